//! Scalars that differ between stacks: a parameter named after the expression that printed
//! them (`!Ref`, or `${…}` in an `Fn::Sub`), typed and constrained by the schema for a plain
//! input; else a parameter the migration computes per stack.

use super::*;
use for_each::LOOP_VALUE;
use naming::path_name;

impl Merger<'_> {
    pub(super) fn scalar(
        &mut self,
        items: &[(usize, &Json)],
        path: &[Seg],
    ) -> Result<Json, Fallback> {
        let (first, first_value) = items[0];
        let split: Vec<Vec<Piece>> = items
            .iter()
            .map(|(_, v)| match v {
                Json::String(s) => pieces(s).unwrap_or_else(|| vec![Piece::Text(unmarked(s))]),
                other => vec![Piece::Text(
                    crate::migrate::cfn::scalar_text(other).unwrap_or_default(),
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
            let values: Vec<Option<String>> = self.per_stack(items, |v| {
                crate::migrate::cfn::scalar_text(&unmarked_json(v))
            });
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
                        crate::migrate::cfn::scalar_text(&unmarked_json(v))
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
    pub(super) fn per_stack(
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
    pub(super) fn expression_parameter(
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
    pub(super) fn computed(
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

    /// A parameter for an input no `{{ … }}` prints (only an `{% if %}` tests it).
    pub(super) fn input_parameter(
        &mut self,
        expression: &str,
        values: Vec<Option<String>>,
    ) -> String {
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
}

/// Schema constraints as CloudFormation parameter properties.
pub(super) fn constrain(declaration: &mut Map<String, Json>, info: &InputInfo) {
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
            .filter_map(crate::migrate::cfn::scalar_text)
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
    if let Some(default) = info
        .default
        .as_ref()
        .and_then(crate::migrate::cfn::scalar_text)
    {
        declaration.insert("Default".into(), Json::String(default));
    }
}

/// True when every stack's scalar has the same literal text around the same expressions.
pub(super) fn same_text_around(split: &[Vec<Piece>]) -> bool {
    split.iter().all(|pieces| {
        pieces.len() == split[0].len()
            && pieces.iter().zip(&split[0]).all(|(a, b)| match (a, b) {
                (Piece::Text(x), Piece::Text(y)) => x == y,
                (Piece::Printed(x, _), Piece::Printed(y, _)) => x == y,
                _ => false,
            })
    })
}
