//! A `{% for %}` whose repetitions are entries of one mapping (`NatEip{{ n }}`): one
//! `Fn::ForEach` over a list parameter holding each stack's loop values.

use super::*;
use crate::migrate::trace::MARK_LOOP_VALUE;
use naming::pascal;

impl Merger<'_> {
    /// The `for` body an entry comes from, when its key prints that loop's variable: the entry
    /// is one of the loop's repetitions (`NatEip{{ n }}`).
    pub(super) fn loop_of_key(
        &self,
        entry: &[(usize, &String, &Json)],
        path: &[Seg],
    ) -> Option<(Branch, usize)> {
        let (stack, key, _) = entry[0];
        let site = pieces(key)?.into_iter().find_map(|p| match p {
            Piece::Printed(site, _) => Some(site),
            Piece::Text(_) => None,
        })?;
        let mut at = path.to_vec();
        at.push(Seg::Key(key.clone()));
        let (template, offset) = self.origin(stack, &at)?;
        let branch = self
            .oracle
            .branches
            .get(&template)?
            .iter()
            .filter(|b| b.loop_header.is_some() && b.body.contains(&offset))
            .min_by_key(|b| b.body.len())?;
        let target = branch
            .loop_header
            .as_deref()?
            .strip_prefix("for ")?
            .split(" in ")
            .next()?;
        is_loop_value(&self.oracle.sites[site].expression, target).then(|| (branch.clone(), site))
    }

    /// The entries a `{% for %}` repeats, as one `Fn::ForEach` over a list parameter holding
    /// each stack's loop values.
    pub(super) fn for_each(
        &mut self,
        branch: &Branch,
        group: Vec<Vec<(usize, &String, &Json)>>,
        items: &[(usize, &Json)],
        path: &mut Vec<Seg>,
    ) -> Result<(String, Json), Fallback> {
        let header = branch.loop_header.clone().unwrap_or_default();
        let (target, iterable) = header
            .strip_prefix("for ")
            .and_then(|h| h.split_once(" in "))
            .map(|(t, i)| (t.to_string(), i.to_string()))
            .unwrap_or_default();
        let first_stack = group[0][0].0;
        let fail = |this: &Self, path: &[Seg], why: String| {
            this.fallback(
                first_stack,
                path,
                format!("`{{% {header} %}}` repeats `{}` {why}", show(path)),
            )
        };
        // Per key pattern (the key with the loop value taken out): per stack, the loop values
        // in order and each repetition's value.
        type Repetitions<'j> = Vec<(String, &'j Json)>;
        let mut patterns: Vec<(String, Vec<Repetitions>)> = Vec::new();
        for entry in &group {
            for (stack, key, child) in entry {
                let mut value = None;
                let mut pattern = String::new();
                for piece in pieces(key).unwrap_or_default() {
                    match piece {
                        Piece::Printed(site, printed)
                            if is_loop_value(&self.oracle.sites[site].expression, &target) =>
                        {
                            if value.as_ref().is_some_and(|v| *v != printed) {
                                return Err(fail(
                                    self,
                                    path,
                                    "with keys that print the loop value twice differently".into(),
                                ));
                            }
                            pattern.push(MARK_LOOP_VALUE);
                            value = Some(printed);
                        }
                        other => pattern.push_str(&match other {
                            Piece::Text(t) | Piece::Printed(_, t) => t,
                        }),
                    }
                }
                let value = value.unwrap_or_default();
                let slot = match patterns.iter().position(|(p, _)| *p == pattern) {
                    Some(i) => i,
                    None => {
                        patterns.push((pattern, vec![Vec::new(); self.stacks.len()]));
                        patterns.len() - 1
                    }
                };
                patterns[slot].1[*stack].push((value, *child));
            }
        }
        let values_of =
            |reps: &Repetitions| reps.iter().map(|(v, _)| v.clone()).collect::<Vec<_>>();
        let stacks: Vec<usize> = items.iter().map(|(s, _)| *s).collect();
        let loop_values: Vec<Vec<String>> = (0..self.stacks.len())
            .map(|s| values_of(&patterns[0].1[s]))
            .collect();
        for (_, per_stack) in &patterns {
            for &s in &stacks {
                if values_of(&per_stack[s]) != loop_values[s] {
                    return Err(fail(
                        self,
                        path,
                        "a different number of times for different keys".into(),
                    ));
                }
                if per_stack[s].is_empty() {
                    return Err(fail(
                        self,
                        path,
                        format!(
                            "no times in stack {}; an empty Fn::ForEach is not written",
                            s + 1
                        ),
                    ));
                }
            }
        }
        let identifier = self.fresh(&pascal(&target));
        let plain_values = loop_values.iter().all(|vs| {
            vs.iter()
                .all(|v| v.chars().all(|c| c.is_ascii_alphanumeric()))
        });
        let mut body = Map::new();
        for (pattern, per_stack) in &patterns {
            let key = pattern.replace(
                MARK_LOOP_VALUE,
                &if plain_values {
                    format!("${{{identifier}}}")
                } else {
                    format!("&{{{identifier}}}")
                },
            );
            // Every repetition must be the first one with the loop value taken out.
            let mut representatives: Vec<(usize, Json)> = Vec::new();
            for &s in &stacks {
                let reps = &per_stack[s];
                let first = loop_placeholder(reps[0].1, &target, self.oracle.sites);
                if reps
                    .iter()
                    .any(|(_, v)| loop_placeholder(v, &target, self.oracle.sites) != first)
                {
                    return Err(fail(
                        self,
                        path,
                        "with bodies that differ between repetitions beyond the loop value".into(),
                    ));
                }
                representatives.push((s, first));
            }
            let children: Vec<(usize, &Json)> =
                representatives.iter().map(|(s, v)| (*s, v)).collect();
            path.push(Seg::Key(key.clone()));
            let previous = self.loop_identifier.replace(identifier.clone());
            let merged = self.value(&children, path);
            self.loop_identifier = previous;
            path.pop();
            if let Some(value) = merged? {
                body.insert(key, value);
            }
        }
        let collection = self.fresh(&format!("{}Values", name_of(&iterable)));
        let mut declaration = Map::new();
        declaration.insert("Type".into(), "CommaDelimitedList".into());
        declaration.insert(
            "Description".into(),
            Json::String(format!(
                "the values `{{% {header} %}}` ({} line {}) runs over, computed by the migration",
                self.oracle
                    .sites
                    .iter()
                    .find(|s| s.expression == target)
                    .map_or("", |s| s.template.as_str()),
                branch.line
            )),
        );
        self.parameters.push(Parameter {
            name: collection.clone(),
            declaration,
            values: loop_values.iter().map(|v| v.join(",")).collect(),
            source: header.clone(),
            computed: true,
            whole: true,
        });
        self.for_each_used = true;
        Ok((
            format!(
                "Fn::ForEach::{}",
                self.fresh(&format!("{}Loop", pascal(&target)))
            ),
            serde_json::json!([identifier, {"Ref": collection}, Json::Object(body)]),
        ))
    }
}

/// Whether an expression prints the value a loop repeats over: its variable or `loop.index`.
pub(super) fn is_loop_value(expression: &str, target: &str) -> bool {
    expression == target || expression == "loop.index" || expression == "loop.index0"
}

/// The site standing for a `Fn::ForEach` identifier in a repetition's body.
pub(super) const LOOP_VALUE: usize = usize::MAX;

/// A repetition's body with the values its loop variable printed replaced by [`LOOP_VALUE`].
pub(super) fn loop_placeholder(value: &Json, target: &str, sites: &[Site]) -> Json {
    match value {
        Json::String(s) => match pieces(s) {
            Some(pieces) if pieces.iter().any(|p| matches!(p, Piece::Printed(..))) => Json::String(
                pieces
                    .into_iter()
                    .map(|p| match p {
                        Piece::Text(t) => t,
                        Piece::Printed(site, printed) => {
                            let site = if is_loop_value(&sites[site].expression, target) {
                                LOOP_VALUE
                            } else {
                                site
                            };
                            let printed = if site == LOOP_VALUE {
                                String::new()
                            } else {
                                printed
                            };
                            format!(
                                "{}{site}{}{printed}{}",
                                crate::migrate::trace::MARK_OPEN,
                                crate::migrate::trace::MARK_SEP,
                                crate::migrate::trace::MARK_CLOSE
                            )
                        }
                    })
                    .collect(),
            ),
            _ => value.clone(),
        },
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|v| loop_placeholder(v, target, sites))
                .collect(),
        ),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), loop_placeholder(v, target, sites)))
                .collect(),
        ),
        other => other.clone(),
    }
}
