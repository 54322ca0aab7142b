//! Entries and list items only some stacks render: conditional on the `{% if %}` that decided
//! them (`Condition:` on a resource or output, `Fn::If` with `AWS::NoValue` in properties).

use super::*;
use naming::{path_name, sanitize};

impl Merger<'_> {
    /// `value` made conditional on the stacks in `present` (out of `among`).
    pub(super) fn conditional(
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
    pub(super) fn condition(
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

    pub(super) fn define_condition(&mut self, name: &str, definition: Json) -> String {
        if let Some((existing, _)) = self.conditions.iter().find(|(_, d)| **d == definition) {
            return existing.clone();
        }
        let name = self.fresh_condition(name);
        self.conditions.insert(name.clone(), definition);
        name
    }

    pub(super) fn fresh_condition(&self, base: &str) -> String {
        numbered(&sanitize(base), |n| self.conditions.contains_key(n))
    }
}
