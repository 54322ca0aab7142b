//! One plain CloudFormation template for every stack of a template: the stacks' renders are
//! merged node by node. What every stack renders alike stays as written; a value printed by a
//! `{{ … }}` becomes a parameter (`!Ref`, or `${…}` in an `Fn::Sub`) named after what the
//! expression reads, typed and constrained by the schema when it is a plain input; a scalar that
//! differs for another reason becomes a parameter the migration computes per stack; an entry or
//! list item only some stacks render becomes conditional (`Condition:` on a resource or output,
//! `Fn::If` with `AWS::NoValue` in properties) on the `{% if %}` that decided it. What
//! CloudFormation cannot express ends the merge with a located reason, and the template stays
//! rendered per stack.

use super::branches::{innermost, Branch};
use super::cfn::{canonical, typed_text};
use super::trace::{pieces, unmarked, Piece, Site, Traced};
use crate::yaml::Node;
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, HashMap};

/// One stack's render of the template being merged.
pub struct StackRender<'a> {
    /// The document with expression values marked (long-form intrinsics).
    pub marked: Json,
    /// The rendered document as parsed, for positions.
    pub node: Node,
    pub traced: &'a Traced,
}

/// What the schema says about an input an expression reads plainly.
#[derive(Debug, Clone, Default)]
pub struct InputInfo {
    /// The input's OpenAPI schema.
    pub schema: Json,
    pub description: Option<String>,
    pub default: Option<Json>,
}

/// A CloudFormation parameter of the merged template and its value in each stack.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub declaration: Map<String, Json>,
    pub values: Vec<String>,
    /// The Jinja expression it stands for, or the path of the computed value.
    pub source: String,
    /// True when the migration computes it (CloudFormation cannot).
    pub computed: bool,
    /// Whether it is the whole scalar (typed as YAML reads it) or part of a string.
    whole: bool,
}

impl Parameter {
    /// A parameter the migration adds with a value per stack, not standing for an expression.
    pub fn computed_value(name: &str, source: &str, values: Vec<String>) -> Parameter {
        Parameter {
            name: name.to_string(),
            declaration: Map::new(),
            values,
            source: source.to_string(),
            computed: true,
            whole: true,
        }
    }
}

/// Why a template cannot be one template for every stack, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Fallback {
    pub reason: String,
    /// Template file and 1-based line of the construct, when known.
    pub at: Option<(String, usize)>,
}

/// The questions the merge asks of the rest of the migration.
pub struct Oracle<'a> {
    pub sites: &'a [Site],
    pub sources: &'a BTreeMap<String, String>,
    pub branches: &'a HashMap<String, Vec<Branch>>,
    /// The schema of the input an expression is exactly (`environment.inputs.x`), if it is one.
    pub input: &'a dyn Fn(&str) -> Option<InputInfo>,
    /// What an expression prints in a stack (outside loops), for stacks that do not render the
    /// place it is used in.
    pub evaluate: &'a dyn Fn(usize, &str) -> Option<String>,
}

/// The merge's result.
pub struct Merged {
    pub template: Json,
    pub parameters: Vec<Parameter>,
    pub conditions: Map<String, Json>,
    /// Keys made of expressions whose value is the same in every stack, written as they are.
    pub baked: Vec<(String, usize, String)>,
    /// True when the template uses `Fn::ForEach` (it needs the `AWS::LanguageExtensions`
    /// transform).
    pub for_each: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    fn key(&self) -> Option<&str> {
        match self {
            Seg::Key(k) => Some(k),
            Seg::Index(_) => None,
        }
    }
}

/// One key of a mapping in each stack that has it: `(stack, marked key, value)`.
type Entry<'j> = Vec<(usize, &'j String, &'j Json)>;

struct Merger<'a> {
    stacks: &'a [StackRender<'a>],
    oracle: &'a Oracle<'a>,
    taken: Vec<String>,
    parameters: Vec<Parameter>,
    conditions: Map<String, Json>,
    baked: Vec<(String, usize, String)>,
    /// The `Fn::ForEach` identifier standing for the loop value being merged, if any.
    loop_identifier: Option<String>,
    for_each_used: bool,
}

/// Merges the stacks' renders (at least one).
pub fn merge(stacks: &[StackRender], oracle: &Oracle) -> Result<Merged, Fallback> {
    let taken = ["Parameters", "Resources", "Outputs", "Conditions"]
        .iter()
        .flat_map(|section| {
            stacks
                .iter()
                .flat_map(|s| s.marked.get(*section).and_then(Json::as_object))
                .flat_map(|m| m.keys().map(|k| unmarked(k)))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut merger = Merger {
        stacks,
        oracle,
        taken,
        parameters: Vec::new(),
        conditions: Map::new(),
        baked: Vec::new(),
        loop_identifier: None,
        for_each_used: false,
    };
    let items: Vec<(usize, &Json)> = stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (i, &s.marked))
        .collect();
    let template = merger.value(&items, &mut Vec::new())?.unwrap_or(Json::Null);
    Ok(Merged {
        template,
        parameters: merger.parameters,
        conditions: merger.conditions,
        baked: merger.baked,
        for_each: merger.for_each_used,
    })
}

/// Where values may come from parameters and conditions: resource properties, outputs' values
/// and exports, and conditions.
fn expressible(path: &[Seg]) -> bool {
    let keys: Vec<Option<&str>> = path.iter().map(Seg::key).collect();
    let placed = matches!(
        keys.as_slice(),
        [Some("Resources"), Some(_), Some("Properties"), ..]
            | [Some("Outputs"), Some(_), Some("Value" | "Export"), ..]
            | [Some("Conditions"), Some(_), ..]
    );
    // Places inside those that CloudFormation reads literally.
    let literal = path.iter().enumerate().any(|(i, seg)| match seg.key() {
        Some("Ref" | "Fn::GetAtt" | "Condition" | "DependsOn") => true,
        Some("Fn::If") => matches!(path.get(i + 1), Some(Seg::Index(0)) | None),
        _ => false,
    });
    placed && !literal
}

fn in_sub(path: &[Seg]) -> bool {
    match path {
        [.., Seg::Key(k)] => k == "Fn::Sub",
        [.., Seg::Key(k), Seg::Index(0)] => k == "Fn::Sub",
        _ => false,
    }
}

fn show(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => unmarked(k),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

impl Merger<'_> {
    fn value(
        &mut self,
        items: &[(usize, &Json)],
        path: &mut Vec<Seg>,
    ) -> Result<Option<Json>, Fallback> {
        let (first, _) = items[0];
        if items.iter().all(|(_, v)| v.is_object()) {
            return self.object(items, path).map(Some);
        }
        if items.iter().all(|(_, v)| v.is_array()) {
            return self.array(items, path).map(Some);
        }
        if items.iter().any(|(_, v)| v.is_object() || v.is_array()) {
            return Err(self.fallback(
                first,
                path,
                format!(
                    "`{}` is a structure in some stacks and a value in others",
                    show(path)
                ),
            ));
        }
        self.scalar(items, path).map(Some)
    }

    fn object(&mut self, items: &[(usize, &Json)], path: &mut Vec<Seg>) -> Result<Json, Fallback> {
        // Entries by key (a key printed by `{{ … }}` is a literal logical ID: one entry per value).
        let mut keys: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<(usize, &String, &Json)>> = Vec::new();
        for (stack, value) in items {
            for (key, child) in value.as_object().into_iter().flatten() {
                let plain = unmarked(key);
                match keys.iter().position(|k| *k == plain) {
                    Some(i) => entries[i].push((*stack, key, child)),
                    None => {
                        keys.push(plain);
                        entries.push(vec![(*stack, key, child)]);
                    }
                }
            }
        }
        let mut out = Map::new();
        let section =
            matches!(path.as_slice(), [Seg::Key(k)] if k == "Resources" || k == "Outputs");
        let mut looped: Vec<(Branch, String, Vec<Entry>)> = Vec::new();
        let mut plain_entries = Vec::new();
        for entry in entries {
            match section.then(|| self.loop_of_key(&entry, path)).flatten() {
                Some((branch, site)) => {
                    let template = self.oracle.sites[site].template.clone();
                    match looped
                        .iter_mut()
                        .find(|(b, t, _)| *b == branch && *t == template)
                    {
                        Some((_, _, group)) => group.push(entry),
                        None => looped.push((branch, template, vec![entry])),
                    }
                }
                None => plain_entries.push(entry),
            }
        }
        for (branch, _, group) in looped {
            let (key, value) = self.for_each(&branch, group, items, path)?;
            out.insert(key, value);
        }
        for entry in plain_entries {
            let (_, key, _) = entry[0];
            let plain = unmarked(key);
            path.push(Seg::Key(key.clone()));
            if key != &plain {
                if let Some(Piece::Printed(site, _)) = pieces(key)
                    .unwrap_or_default()
                    .into_iter()
                    .find(|p| matches!(p, Piece::Printed(..)))
                {
                    let s = &self.oracle.sites[site];
                    self.baked.push((s.template.clone(), s.line, plain.clone()));
                }
            }
            let children: Vec<(usize, &Json)> = entry.iter().map(|(s, _, v)| (*s, *v)).collect();
            if key != &plain && children.len() < items.len() {
                return Err(self.fallback(
                    entry[0].0,
                    path,
                    format!("the key `{plain}` is printed by an expression whose value differs per stack: CloudFormation logical IDs and keys are literal"),
                ));
            }
            let merged = self.value(&children, path)?;
            let value = if children.len() < items.len() {
                let present: Vec<usize> = children.iter().map(|(s, _)| *s).collect();
                let among: Vec<usize> = items.iter().map(|(s, _)| *s).collect();
                self.conditional(merged, &present, &among, path)?
            } else {
                merged
            };
            path.pop();
            if let Some(value) = value {
                out.insert(plain, value);
            }
        }
        Ok(Json::Object(out))
    }

    /// The `for` body an entry comes from, when its key prints that loop's variable: the entry
    /// is one of the loop's repetitions (`NatEip{{ n }}`).
    fn loop_of_key(
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
    fn for_each(
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
                            pattern.push('\u{E013}');
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
                '\u{E013}',
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

    fn array(&mut self, items: &[(usize, &Json)], path: &mut Vec<Seg>) -> Result<Json, Fallback> {
        let lists: Vec<(usize, &Vec<Json>)> = items
            .iter()
            .map(|(s, v)| (*s, v.as_array().expect("arrays")))
            .collect();
        let longest = lists.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
        let (base_stack, base) = *lists
            .iter()
            .find(|(_, l)| l.len() == longest)
            .expect("one list");
        // Each base item with the stacks' items aligned to it (same skeleton, in order).
        let mut aligned: Vec<Vec<(usize, &Json)>> = base.iter().map(|_| Vec::new()).collect();
        for (stack, list) in &lists {
            let matches = if list.len() == base.len() {
                (0..base.len()).map(Some).collect()
            } else {
                align(base, list)
            };
            for (item, at) in list.iter().zip(matches) {
                match at {
                    Some(i) => aligned[i].push((*stack, item)),
                    None => {
                        return Err(self.fallback(
                            *stack,
                            path,
                            format!(
                            "the list `{}` has items in this stack that others do not line up with",
                            show(path)
                        ),
                        ))
                    }
                }
            }
        }
        let among: Vec<usize> = items.iter().map(|(s, _)| *s).collect();
        let mut out = Vec::new();
        for (i, children) in aligned.iter().enumerate() {
            path.push(Seg::Index(i));
            if children.is_empty() {
                path.pop();
                continue;
            }
            let merged = self.value(children, path)?;
            let value = if children.len() < items.len() {
                if let Some(header) = self.loop_at(base_stack, path) {
                    return Err(self.fallback(
                        base_stack,
                        path,
                        format!("the list `{}` has a different length per stack (`{{% {header} %}}`); Fn::ForEach is not generated yet", show(&path[..path.len() - 1])),
                    ));
                }
                let present: Vec<usize> = children.iter().map(|(s, _)| *s).collect();
                self.conditional(merged, &present, &among, path)?
            } else {
                merged
            };
            path.pop();
            out.extend(value);
        }
        Ok(Json::Array(out))
    }

    fn scalar(&mut self, items: &[(usize, &Json)], path: &[Seg]) -> Result<Json, Fallback> {
        let (first, first_value) = items[0];
        let split: Vec<Vec<Piece>> = items
            .iter()
            .map(|(_, v)| match v {
                Json::String(s) => pieces(s).unwrap_or_else(|| vec![Piece::Text(unmarked(s))]),
                other => vec![Piece::Text(
                    super::cfn::scalar_text(other).unwrap_or_default(),
                )],
            })
            .collect();
        let printed = split
            .iter()
            .any(|p| p.iter().any(|p| matches!(p, Piece::Printed(..))));
        let texts: Vec<Json> = items
            .iter()
            .map(|(_, v)| canonical(&unmarked_json(v)))
            .collect();
        let all_equal = texts.iter().all(|t| *t == texts[0]);
        let literal = |v: &Json| unmarked_json(v);
        if path.len() == 1 && path[0].key() == Some("Description") && same_text_around(&split) {
            // The template's description deploys nothing: it names the expressions instead.
            let text: String = split[0]
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => t.clone(),
                    Piece::Printed(site, _) => {
                        format!("{{{{ {} }}}}", self.oracle.sites[*site].expression)
                    }
                })
                .collect();
            return Ok(Json::String(text));
        }
        let repeated = split[0]
            .iter()
            .any(|p| matches!(p, Piece::Printed(LOOP_VALUE, _)));
        if repeated && !expressible(path) && same_text_around(&split) {
            // Fn::ForEach puts its value wherever `${Identifier}` is written, literal places too.
            let only_loop = split[0]
                .iter()
                .all(|p| matches!(p, Piece::Text(_) | Piece::Printed(LOOP_VALUE, _)));
            // The transform puts the value into `Fn::Sub` strings: a `Ref` or `GetAtt` names a
            // repeated resource through one.
            let names_resource = matches!(path, [.., Seg::Key(k)] if k == "Ref")
                || matches!(path, [.., Seg::Key(k), Seg::Index(0)] if k == "Fn::GetAtt");
            if only_loop && names_resource {
                let identifier = self.loop_identifier.clone().unwrap_or_default();
                let text: String = split[0]
                    .iter()
                    .map(|p| match p {
                        Piece::Text(t) => t.replace("${", "${!"),
                        Piece::Printed(..) => format!("${{{identifier}}}"),
                    })
                    .collect();
                return Ok(serde_json::json!({ "Fn::Sub": text }));
            }
        }
        if !expressible(path) {
            if all_equal && !repeated {
                return Ok(literal(first_value));
            }
            return Err(self.fallback(
                first,
                path,
                format!(
                    "`{}` differs per stack where CloudFormation needs a literal",
                    show(path)
                ),
            ));
        }
        let shapes: Vec<Vec<Option<usize>>> = split
            .iter()
            .map(|p| {
                p.iter()
                    .map(|p| match p {
                        Piece::Text(_) => None,
                        Piece::Printed(site, _) => Some(*site),
                    })
                    .collect()
            })
            .collect();
        let same_shape = shapes.iter().all(|s| *s == shapes[0]) && same_text_around(&split);
        if !printed && all_equal {
            return Ok(literal(first_value));
        }
        if !printed || !same_shape {
            // Decided by a tag or a filter block, not a plain `{{ … }}`: computed per stack.
            let values: Vec<Option<String>> =
                self.per_stack(items, |v| super::cfn::scalar_text(&unmarked_json(v)));
            let name = self.computed(path, values, first)?;
            return Ok(reference(&name));
        }
        // Same literal text around the same expressions in every stack: parameters.
        let whole = split[0].len() == 1;
        let mut names = Vec::new();
        for (index, piece) in split[0].iter().enumerate() {
            let Piece::Printed(site, _) = piece else {
                continue;
            };
            if *site == LOOP_VALUE {
                names.push(self.loop_identifier.clone().unwrap_or_default());
                continue;
            }
            let values = self.per_stack(items, |v| {
                let Json::String(s) = v else { return None };
                match pieces(s)?.get(index)? {
                    Piece::Printed(_, printed) if whole => Some(
                        super::cfn::scalar_text(&unmarked_json(v))
                            .unwrap_or_else(|| printed.clone()),
                    ),
                    Piece::Printed(_, printed) => Some(printed.clone()),
                    Piece::Text(_) => None,
                }
            });
            names.push(self.expression_parameter(*site, values, whole));
        }
        if whole {
            return Ok(reference(&names[0]));
        }
        let mut text = String::new();
        let mut names = names.into_iter();
        for piece in &split[0] {
            match piece {
                Piece::Text(t) if in_sub(path) => text.push_str(t),
                Piece::Text(t) => text.push_str(&t.replace("${", "${!")),
                Piece::Printed(..) => {
                    text.push_str(&format!("${{{}}}", names.next().unwrap_or_default()))
                }
            }
        }
        if in_sub(path) {
            return Ok(Json::String(text));
        }
        let mut map = Map::new();
        map.insert("Fn::Sub".into(), Json::String(text));
        Ok(Json::Object(map))
    }

    /// Values per stack (by stack index) for the stacks in `items`; others are `None`.
    fn per_stack(
        &self,
        items: &[(usize, &Json)],
        value: impl Fn(&Json) -> Option<String>,
    ) -> Vec<Option<String>> {
        let mut out = vec![None; self.stacks.len()];
        for (stack, v) in items {
            out[*stack] = value(v);
        }
        out
    }

    /// The parameter for what `{{ site }}` prints: an existing one with the same expression
    /// and the same value in every stack, else a new one.
    fn expression_parameter(
        &mut self,
        site: usize,
        values: Vec<Option<String>>,
        whole: bool,
    ) -> String {
        let expression = self.oracle.sites[site].expression.clone();
        let values: Vec<String> = values
            .into_iter()
            .enumerate()
            .map(|(stack, v)| {
                v.or_else(|| {
                    let printed = (self.oracle.evaluate)(stack, &expression)?;
                    Some(if whole { typed_text(&printed) } else { printed })
                })
                .unwrap_or_default()
            })
            .collect();
        if let Some(p) = self
            .parameters
            .iter()
            .find(|p| p.source == expression && p.values == values)
        {
            return p.name.clone();
        }
        let name = self.fresh(&name_of(&expression));
        let site = &self.oracle.sites[site];
        let mut declaration = Map::new();
        declaration.insert("Type".into(), "String".into());
        let input = (self.oracle.input)(&expression);
        let output = [
            "environment.outputs.",
            "service_instance.environment.outputs.",
        ]
        .iter()
        .find_map(|prefix| expression.strip_prefix(prefix))
        .filter(|rest| rest.chars().all(|c| c.is_alphanumeric() || c == '_'));
        let description = match (&input, output) {
            (Some(info), _) => info
                .description
                .clone()
                .unwrap_or_else(|| format!("Proton input `{expression}`")),
            (None, Some(output)) => format!(
                "the environment's output {output}, as Proton passed it (`{{{{ {expression} }}}}`)"
            ),
            (None, None) => format!(
                "`{{{{ {expression} }}}}` ({} line {})",
                site.template, site.line
            ),
        };
        declaration.insert("Description".into(), Json::String(description));
        if let (Some(info), true) = (&input, whole) {
            constrain(&mut declaration, info);
        }
        // A plain name (`service.name`, an input, an output) is a value Proton passed; anything
        // else (`x | lower`, an inline `if`) is computed by the migration from the spec.
        let computed = !expression
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_'));
        self.parameters.push(Parameter {
            name: name.clone(),
            declaration,
            values,
            source: expression,
            computed,
            whole,
        });
        name
    }

    /// A parameter the migration computes per stack for a value CloudFormation cannot.
    fn computed(
        &mut self,
        path: &[Seg],
        values: Vec<Option<String>>,
        stack: usize,
    ) -> Result<String, Fallback> {
        let origin = self.origin(stack, path);
        let described = match origin.as_ref().and_then(|(t, o)| {
            self.oracle
                .branches
                .get(t)
                .and_then(|b| innermost(b, *o))
                .map(|b| (t, b))
        }) {
            Some((template, branch)) => match (&branch.condition, &branch.loop_header) {
                (Some(c), _) => {
                    format!("set by `{{% if {c} %}}` ({template} line {})", branch.line)
                }
                (_, Some(h)) => format!("set in `{{% {h} %}}` ({template} line {})", branch.line),
                _ => String::new(),
            },
            None => match &origin {
                Some((template, offset)) => {
                    format!("({template} line {})", self.line_of(template, *offset))
                }
                None => String::new(),
            },
        };
        let base = path_name(path);
        let name = self.fresh(&base);
        let mut declaration = Map::new();
        declaration.insert("Type".into(), "String".into());
        declaration.insert(
            "Description".into(),
            Json::String(
                format!(
                    "`{}` per stack, computed by the migration {described}",
                    show(path)
                )
                .trim_end()
                .to_string(),
            ),
        );
        self.parameters.push(Parameter {
            name: name.clone(),
            declaration,
            values: values.into_iter().map(Option::unwrap_or_default).collect(),
            source: show(path),
            computed: true,
            whole: true,
        });
        Ok(name)
    }

    /// `value` made conditional on the stacks in `present` (out of `among`).
    fn conditional(
        &mut self,
        value: Option<Json>,
        present: &[usize],
        among: &[usize],
        path: &[Seg],
    ) -> Result<Option<Json>, Fallback> {
        let Some(value) = value else {
            return Ok(None);
        };
        let keys: Vec<Option<&str>> = path.iter().map(Seg::key).collect();
        let top_level_entry = matches!(keys.as_slice(), [Some("Resources" | "Outputs"), Some(_)]);
        if !top_level_entry && !expressible(&path[..path.len() - 1]) {
            return Err(self.fallback(
                present[0],
                path,
                format!("`{}` is rendered in some stacks only, where CloudFormation allows no condition", show(path)),
            ));
        }
        let condition = self.condition(present, among, path)?;
        if top_level_entry {
            let Json::Object(mut entry) = value else {
                return Err(self.fallback(
                    present[0],
                    path,
                    format!("`{}` is not a mapping", show(path)),
                ));
            };
            let combined = match entry.get("Condition").and_then(Json::as_str) {
                Some(existing) => {
                    let name = self.fresh_condition(&format!("{existing}And{condition}"));
                    self.conditions.insert(
                        name.clone(),
                        serde_json::json!({"Fn::And": [{"Condition": existing}, {"Condition": condition}]}),
                    );
                    name
                }
                None => condition,
            };
            entry.insert("Condition".into(), Json::String(combined));
            return Ok(Some(Json::Object(entry)));
        }
        Ok(Some(
            serde_json::json!({"Fn::If": [condition, value, {"Ref": "AWS::NoValue"}]}),
        ))
    }

    /// The condition true for the stacks in `present` and false for the rest of `among`: on
    /// the input the `{% if %}` tests when it tests one plainly, else on a computed parameter.
    fn condition(
        &mut self,
        present: &[usize],
        among: &[usize],
        path: &[Seg],
    ) -> Result<String, Fallback> {
        let origin = self.origin(present[0], path);
        let branch = origin
            .as_ref()
            .and_then(|(t, o)| self.oracle.branches.get(t).and_then(|b| innermost(b, *o)))
            .cloned();
        let (condition, negated, line) = match &branch {
            Some(Branch { loop_header: Some(header), .. }) => {
                return Err(self.fallback(
                    present[0],
                    path,
                    format!("`{}` is repeated by `{{% {header} %}}` a different number of times per stack; Fn::ForEach is not generated yet", show(path)),
                ))
            }
            Some(Branch { condition: Some(c), negated, line, .. }) => (Some(c.clone()), *negated, *line),
            _ => (None, false, 0),
        };
        let truth: Vec<bool> = (0..self.stacks.len())
            .map(|s| present.contains(&s))
            .collect();
        let base = condition
            .as_deref()
            .map(name_of)
            .unwrap_or_else(|| path_name(path));
        let condition_name = format!("{}{base}", if negated { "Unless" } else { "If" });
        // A plain boolean input: the condition reads its parameter.
        if let Some(expression) = condition
            .as_deref()
            .filter(|c| (self.oracle.input)(c).is_some())
        {
            let typed: Vec<Option<String>> = (0..self.stacks.len())
                .map(|s| (self.oracle.evaluate)(s, expression).map(|p| typed_text(&p)))
                .collect();
            let agrees = among
                .iter()
                .all(|&s| typed[s].as_deref().map(|t| (t == "true") != negated) == Some(truth[s]));
            if agrees
                && typed
                    .iter()
                    .all(|t| matches!(t.as_deref(), Some("true" | "false")))
            {
                let site = self
                    .oracle
                    .sites
                    .iter()
                    .position(|s| s.expression == expression);
                let parameter = match site {
                    Some(site) => self.expression_parameter(site, typed, true),
                    None => self.input_parameter(expression, typed),
                };
                let wanted = if negated { "false" } else { "true" };
                return Ok(self.define_condition(
                    &condition_name,
                    serde_json::json!({"Fn::Equals": [{"Ref": parameter}, wanted]}),
                ));
            }
        }
        let values: Vec<Option<String>> = truth.iter().map(|t| Some(t.to_string())).collect();
        let name = self.fresh(&base);
        let mut declaration = Map::new();
        declaration.insert("Type".into(), "String".into());
        declaration.insert("AllowedValues".into(), serde_json::json!(["true", "false"]));
        let about = match (&condition, &origin) {
            (Some(c), Some((template, _))) => format!(
                "whether `{{% if {c} %}}` ({template} line {line}) holds{}, computed by the migration",
                if negated { " (its else side when false)" } else { "" }
            ),
            _ => format!("whether `{}` is rendered, computed by the migration", show(path)),
        };
        declaration.insert("Description".into(), Json::String(about));
        self.parameters.push(Parameter {
            name: name.clone(),
            declaration,
            values: values.into_iter().map(Option::unwrap_or_default).collect(),
            source: condition.clone().unwrap_or_else(|| show(path)),
            computed: true,
            whole: true,
        });
        Ok(self.define_condition(
            &format!("If{name}"),
            serde_json::json!({"Fn::Equals": [{"Ref": name}, "true"]}),
        ))
    }

    /// A parameter for an input no `{{ … }}` prints (only an `{% if %}` tests it).
    fn input_parameter(&mut self, expression: &str, values: Vec<Option<String>>) -> String {
        if let Some(p) = self
            .parameters
            .iter()
            .find(|p| !p.computed && p.source == expression && p.whole)
        {
            return p.name.clone();
        }
        let name = self.fresh(&name_of(expression));
        let mut declaration = Map::new();
        declaration.insert("Type".into(), "String".into());
        let info = (self.oracle.input)(expression).unwrap_or_default();
        declaration.insert(
            "Description".into(),
            Json::String(
                info.description
                    .clone()
                    .unwrap_or_else(|| format!("Proton input `{expression}`")),
            ),
        );
        constrain(&mut declaration, &info);
        self.parameters.push(Parameter {
            name: name.clone(),
            declaration,
            values: values.into_iter().map(Option::unwrap_or_default).collect(),
            source: expression.to_string(),
            computed: false,
            whole: true,
        });
        name
    }

    fn define_condition(&mut self, name: &str, definition: Json) -> String {
        if let Some((existing, _)) = self.conditions.iter().find(|(_, d)| **d == definition) {
            return existing.clone();
        }
        let name = self.fresh_condition(name);
        self.conditions.insert(name.clone(), definition);
        name
    }

    fn fresh_condition(&self, base: &str) -> String {
        numbered(&sanitize(base), |n| self.conditions.contains_key(n))
    }

    fn fresh(&mut self, base: &str) -> String {
        let name = numbered(&sanitize(base), |n| self.taken.iter().any(|t| t == n));
        self.taken.push(name.clone());
        name
    }

    /// The template and source offset that produced the node at `path` in `stack`.
    fn origin(&self, stack: usize, path: &[Seg]) -> Option<(String, usize)> {
        let render = &self.stacks[stack];
        let node = node_at(&render.node, path);
        let offset = text_offset(&render.traced.text, node.pos.line, node.pos.column)?;
        render
            .traced
            .origin(offset)
            .map(|(template, offset)| (template.to_string(), offset))
    }

    fn line_of(&self, template: &str, offset: usize) -> usize {
        self.oracle
            .sources
            .get(template)
            .map_or(0, |s| s[..offset.min(s.len())].matches('\n').count() + 1)
    }

    /// The `for` body that produced the node at `path`, if the innermost body is one.
    fn loop_at(&self, stack: usize, path: &[Seg]) -> Option<String> {
        let (template, offset) = self.origin(stack, path)?;
        innermost(self.oracle.branches.get(&template)?, offset)?
            .loop_header
            .clone()
    }

    fn fallback(&self, stack: usize, path: &[Seg], reason: String) -> Fallback {
        let at = self.origin(stack, path).map(|(template, offset)| {
            let line = self.line_of(&template, offset);
            (template, line)
        });
        Fallback { reason, at }
    }
}

/// Schema constraints as CloudFormation parameter properties.
fn constrain(declaration: &mut Map<String, Json>, info: &InputInfo) {
    let schema = &info.schema;
    let kind = schema
        .get("type")
        .and_then(Json::as_str)
        .unwrap_or("string");
    if matches!(kind, "number" | "integer") {
        declaration.insert("Type".into(), "Number".into());
        for (from, to) in [("minimum", "MinValue"), ("maximum", "MaxValue")] {
            if let Some(bound) = schema.get(from).filter(|b| b.is_number()) {
                declaration.insert(to.into(), bound.clone());
            }
        }
    }
    if let Some(options) = schema.get("enum").and_then(Json::as_array) {
        let texts: Vec<Json> = options
            .iter()
            .filter_map(super::cfn::scalar_text)
            .map(Json::String)
            .collect();
        declaration.insert("AllowedValues".into(), Json::Array(texts));
    }
    if kind == "string" {
        if let Some(pattern) = schema.get("pattern").and_then(Json::as_str) {
            // Proton searched; CloudFormation matches the whole value.
            declaration.insert(
                "AllowedPattern".into(),
                Json::String(format!("^.*(?:{pattern}).*$")),
            );
        }
        for (from, to) in [("minLength", "MinLength"), ("maxLength", "MaxLength")] {
            if let Some(bound) = schema.get(from).filter(|b| b.is_u64()) {
                declaration.insert(to.into(), bound.clone());
            }
        }
    }
    if let Some(default) = info.default.as_ref().and_then(super::cfn::scalar_text) {
        declaration.insert("Default".into(), Json::String(default));
    }
}

/// Whether an expression prints the value a loop repeats over: its variable or `loop.index`.
fn is_loop_value(expression: &str, target: &str) -> bool {
    expression == target || expression == "loop.index" || expression == "loop.index0"
}

/// The site standing for a `Fn::ForEach` identifier in a repetition's body.
const LOOP_VALUE: usize = usize::MAX;

/// A repetition's body with the values its loop variable printed replaced by [`LOOP_VALUE`].
fn loop_placeholder(value: &Json, target: &str, sites: &[Site]) -> Json {
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
                                super::trace::MARK_OPEN,
                                super::trace::MARK_SEP,
                                super::trace::MARK_CLOSE
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

/// True when every stack's scalar has the same literal text around the same expressions.
fn same_text_around(split: &[Vec<Piece>]) -> bool {
    split.iter().all(|pieces| {
        pieces.len() == split[0].len()
            && pieces.iter().zip(&split[0]).all(|(a, b)| match (a, b) {
                (Piece::Text(x), Piece::Text(y)) => x == y,
                (Piece::Printed(x, _), Piece::Printed(y, _)) => x == y,
                _ => false,
            })
    })
}

fn reference(name: &str) -> Json {
    serde_json::json!({ "Ref": name })
}

/// A string with each marked value replaced by its site, to tell keys apart by expression.
fn skeleton(marked: &str) -> String {
    match pieces(marked) {
        Some(pieces) => pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Printed(site, _) => format!("\u{E010}{site}"),
            })
            .collect(),
        None => marked.to_string(),
    }
}

/// The value with markers taken out (the render as parsed).
pub fn unmarked_json(value: &Json) -> Json {
    match value {
        Json::String(s) => Json::String(unmarked(s)),
        Json::Array(items) => Json::Array(items.iter().map(unmarked_json).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (unmarked(k), unmarked_json(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether the marked document is the render once its markers are out: the same structure, and
/// each scalar the same as CloudFormation reads it (a marked `80` or `True` is text until the
/// markers go). The path of the first difference otherwise.
pub fn marked_difference(marked: &Json, truth: &Json) -> Option<String> {
    fn walk(marked: &Json, truth: &Json, path: &mut Vec<String>) -> Option<String> {
        match (marked, truth) {
            (Json::Object(a), Json::Object(b)) => {
                if a.len() != b.len() {
                    return Some(path.join("."));
                }
                for ((ka, va), (kb, vb)) in a.iter().zip(b) {
                    if unmarked(ka) != *kb {
                        return Some(path.join("."));
                    }
                    path.push(kb.clone());
                    let found = walk(va, vb, path);
                    path.pop();
                    if found.is_some() {
                        return found;
                    }
                }
                None
            }
            (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
                a.iter().zip(b).enumerate().find_map(|(i, (x, y))| {
                    path.push(i.to_string());
                    let found = walk(x, y, path);
                    path.pop();
                    found
                })
            }
            (Json::String(s), truth) if !truth.is_object() && !truth.is_array() => {
                let text = unmarked(s);
                let wanted = super::cfn::scalar_text(truth);
                let same = match truth {
                    Json::String(t) => *t == text,
                    _ => wanted.as_deref() == Some(typed_text(&text).as_str()),
                };
                (!same).then(|| path.join("."))
            }
            (a, b) => (canonical(a) != canonical(b)).then(|| path.join(".")),
        }
    }
    walk(marked, truth, &mut Vec::new())
}

/// For each item of `list`, the index of the `base` item it lines up with (longest common
/// subsequence by skeleton); `None` for items that line up with none.
fn align(base: &[Json], list: &[Json]) -> Vec<Option<usize>> {
    let key = |v: &Json| skeleton(&v.to_string());
    let (a, b): (Vec<String>, Vec<String>) = (
        base.iter().map(key).collect(),
        list.iter().map(key).collect(),
    );
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let mut out = vec![None; b.len()];
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out[j] = Some(i);
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The node at `path` (or the deepest one on the way); long-form keys of tagged nodes are
/// skipped.
fn node_at<'n>(node: &'n Node, path: &[Seg]) -> &'n Node {
    let mut current = node;
    let mut key_of_current: Option<&Node> = None;
    let mut tag_pending = current.tag.is_some();
    for seg in path {
        if tag_pending {
            tag_pending = false;
            if matches!(seg, Seg::Key(k) if k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
            {
                continue;
            }
        }
        let next = match seg {
            Seg::Key(k) => current
                .as_map()
                .and_then(|m| m.iter().find(|(key, _)| key.key_text() == unmarked(k)))
                .map(|(key, value)| (Some(key), value)),
            Seg::Index(i) => current.as_seq().and_then(|s| s.get(*i)).map(|v| (None, v)),
        };
        match next {
            Some((key, n)) => {
                current = n;
                key_of_current = key;
                tag_pending = current.tag.is_some();
            }
            None => break,
        }
    }
    // A mapping entry whose value is a structure starts at its key.
    match key_of_current {
        Some(key)
            if current.as_map().is_some()
                || current.as_seq().is_some()
                || current.pos.line == 0 =>
        {
            key
        }
        _ => current,
    }
}

/// Byte offset of a 1-based line and character column.
fn text_offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let rest = &text[start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

const KEYWORDS: [&str; 12] = [
    "if", "else", "not", "and", "or", "in", "is", "true", "false", "none", "True", "False",
];

/// A parameter name after what an expression reads: `environment.inputs.vpc_cidr` → `VpcCidr`,
/// `service.name` → `ServiceName`, `environment.outputs.VpcId | lower` → `VpcIdLower`.
pub fn name_of(expression: &str) -> String {
    let mut path = String::new();
    let mut filters = Vec::new();
    let mut chars = expression.chars().peekable();
    let mut in_string: Option<char> = None;
    let mut after_pipe = false;
    let mut word = String::new();
    let mut collecting_path = true;
    while let Some(c) = chars.next() {
        if let Some(q) = in_string {
            if c == q {
                in_string = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                // `x['key']` reads key `key`.
                if collecting_path && path.ends_with('[') {
                    let key: String = chars.by_ref().take_while(|&ch| ch != c).collect();
                    path.pop();
                    path.push('.');
                    path.push_str(&key);
                    if chars.peek() == Some(&']') {
                        chars.next();
                    }
                } else {
                    in_string = Some(c);
                }
            }
            c if c.is_alphanumeric() || c == '_' => word.push(c),
            _ => {
                if KEYWORDS.contains(&word.as_str()) {
                    // `a if b else c`, `not x`: keywords end a path and are no part of a name.
                    word.clear();
                    collecting_path = path.is_empty();
                }
                if c == '('
                    && !word.is_empty()
                    && !after_pipe
                    && collecting_path
                    && !path.contains('.')
                {
                    // A function call (`range(…)`): the name comes from its arguments.
                    word.clear();
                    path.clear();
                }
                if path.is_empty() && word.starts_with(|c: char| c.is_ascii_digit()) {
                    word.clear(); // a number, not a name
                }
                if !word.is_empty() {
                    if after_pipe {
                        filters.push(std::mem::take(&mut word));
                        after_pipe = false;
                    } else if collecting_path {
                        path.push_str(&std::mem::take(&mut word));
                    } else {
                        word.clear();
                    }
                }
                match c {
                    '.' if collecting_path && !path.is_empty() => path.push('.'),
                    '[' if collecting_path && !path.is_empty() => path.push('['),
                    '|' => {
                        after_pipe = true;
                        collecting_path = false;
                    }
                    c if c.is_whitespace() => {}
                    _ => collecting_path = path.is_empty(),
                }
            }
        }
    }
    if !word.is_empty() && !KEYWORDS.contains(&word.as_str()) {
        if after_pipe {
            filters.push(word);
        } else if collecting_path {
            path.push_str(&word);
        }
    }
    let segments: Vec<&str> = path.split(['.', '[']).filter(|s| !s.is_empty()).collect();
    let from = segments
        .iter()
        .rposition(|s| matches!(*s, "inputs" | "outputs"))
        .map_or(0, |i| i + 1);
    let mut name: String = segments[from.min(segments.len())..]
        .iter()
        .map(|s| pascal(s))
        .collect();
    for filter in filters.iter().filter(|f| f.as_str() != "default") {
        name.push_str(&pascal(filter));
    }
    if name.is_empty() {
        "Value".to_string()
    } else {
        name
    }
}

/// A name after a place in the template: `Resources.Bucket.Properties.Versioning.Status` →
/// `BucketStatus`.
fn path_name(path: &[Seg]) -> String {
    let keys: Vec<String> = path.iter().filter_map(|s| s.key().map(unmarked)).collect();
    let owner = match keys.first().map(String::as_str) {
        Some("Resources" | "Outputs" | "Conditions") => keys.get(1).cloned(),
        _ => None,
    };
    let last = keys
        .iter()
        .rev()
        .find(|k| !k.starts_with("Fn::") && *k != "Ref")
        .cloned();
    let name = format!(
        "{}{}",
        owner.clone().unwrap_or_default(),
        last.filter(|l| Some(l) != owner.as_ref())
            .unwrap_or_default()
    );
    if name.is_empty() {
        "Value".into()
    } else {
        pascal(&name)
    }
}

fn pascal(word: &str) -> String {
    word.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// `base`, or `base2`, `base3`… the first that `taken` does not hold.
pub fn numbered(base: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}{n}")
            }
        })
        .find(|n| !taken(n))
        .expect("a free name")
}

/// Letters and digits only, starting with a letter, at most 255 characters (CloudFormation's
/// rule for logical IDs).
fn sanitize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(240)
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'P');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_what_expressions_read() {
        assert_eq!(name_of("environment.inputs.vpc_cidr"), "VpcCidr");
        assert_eq!(name_of("service.name"), "ServiceName");
        assert_eq!(name_of("environment.outputs.VpcId | lower"), "VpcIdLower");
        assert_eq!(name_of("service_instance.inputs['task-size']"), "TaskSize");
        assert_eq!(name_of("environment.inputs.name | default('x')"), "Name");
        assert_eq!(name_of("'literal'"), "Value");
        assert_eq!(name_of("service_instance.inputs.port + 1"), "Port");
        assert_eq!(
            name_of("range(1, environment.inputs.nat_gateway_count + 1)"),
            "NatGatewayCount"
        );
        assert_eq!(
            name_of("'enabled' if environment.inputs.container_insights else 'disabled'"),
            "ContainerInsights"
        );
        assert_eq!(name_of("not environment.inputs.public"), "Public");
    }

    #[test]
    fn lists_line_up_by_skeleton() {
        let base: Vec<Json> = serde_json::from_str(r#"["a", "b", "c"]"#).unwrap();
        let list: Vec<Json> = serde_json::from_str(r#"["a", "c"]"#).unwrap();
        assert_eq!(align(&base, &list), [Some(0), Some(2)]);
    }

    #[test]
    fn offsets_of_positions() {
        assert_eq!(text_offset("ab\ncé\nd", 2, 2), Some(4));
        assert_eq!(text_offset("ab\ncé\nd", 3, 1), Some(7));
    }
}
