//! Inputs: defaults filled exactly as docs/proton-semantics.md §4 says, then the merged result
//! validated, one diagnostic per failing field with a message a person understands.

use crate::diagnostic::{Diagnostic, Section, Subject};
use crate::schema::explain::{code_of, describe, hint_for};
use crate::schema::validate::ErrorKind;
use crate::schema::InputType;
use crate::yaml::Pos;
use serde_json::{Map, Value as Json};

/// Merged inputs: defaulted properties in schema order (spec values override in place), then
/// spec-only keys in spec order. Optional inputs without default stay absent.
pub fn merge(input_type: &InputType, spec: &Map<String, Json>) -> Map<String, Json> {
    // Defaulted properties first, in schema order (a spec value overrides in place), then the
    // spec's other keys in spec order (docs/proton-semantics.md §4 (3)): templates print the dict in this order.
    let mut merged = Map::new();
    for prop in &input_type.properties {
        if let Some(default) = &prop.default {
            let value = spec.get(&prop.name).unwrap_or(default);
            merged.insert(prop.name.clone(), value.clone());
        }
    }
    for (key, value) in spec {
        if !merged.contains_key(key) {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

/// Where a spec value is written, to locate its diagnostics.
pub trait Locate {
    /// The position of `key` (a top-level input) in the spec, if the spec gave it.
    fn locate(&self, key: &str) -> Option<Pos>;
}

/// Context for the diagnostics of one set of inputs.
pub struct InputSite<'a> {
    pub section: Section,
    /// The service instance the inputs belong to.
    pub instance: Option<&'a str>,
    /// Spec file (bundle-relative or as given) and the locator of its values.
    pub spec_file: Option<&'a str>,
    pub locate: Option<&'a dyn Locate>,
    /// Schema file, for errors on defaulted values.
    pub schema_file: &'a str,
}

/// Validates merged inputs; spec keys unknown to the schema are warnings.
pub fn validate(
    input_type: &InputType,
    spec: &Map<String, Json>,
    merged: &Map<String, Json>,
    site: &InputSite,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let label = site.section.label();
    let about = |input: &str, field: &str, problem: &str| Subject::Input {
        section: site.section,
        instance: site.instance.map(String::from),
        input: input.to_string(),
        field: field.to_string(),
        problem: problem.to_string(),
    };
    let locate = |key: &str| -> (Option<&str>, Option<Pos>) {
        if spec.contains_key(key) {
            (site.spec_file, site.locate.and_then(|l| l.locate(key)))
        } else {
            let pos = input_type
                .property(key)
                .map(|p| p.default_pos.unwrap_or(p.pos));
            (Some(site.schema_file), pos)
        }
    };
    for key in spec.keys() {
        if input_type.property(key).is_none() {
            let (file, pos) = locate(key);
            let problem = format!("not defined in schema type {}", input_type.name);
            out.push(located(
                Diagnostic::warning("input-unknown", format!("{label}: {key}: {problem}"))
                    .with_hint("validation ignores it, but templates can still read it")
                    .about(about(key, key, &problem)),
                file,
                pos,
            ));
        }
    }
    let instance = Json::Object(merged.clone());
    for error in input_type.validator.errors(&instance) {
        let (code, top, field, message) = match &error.kind {
            ErrorKind::Required { property } if error.path.is_empty() => (
                "input-required",
                property.clone(),
                property.clone(),
                "required input has no value and no default".to_string(),
            ),
            // Unknown inputs are the warnings above.
            ErrorKind::AdditionalProperties { .. } if error.path.is_empty() => continue,
            kind => (
                code_of(kind),
                error.input().to_string(),
                error.field(),
                describe(&error),
            ),
        };
        // A default's own violation is the schema's `schema-default` warning: a render does not
        // stop on it (docs/proton-semantics.md §4 (5)); a value the spec sets is judged here.
        if code != "input-required" && !spec.contains_key(&top) {
            continue;
        }
        let (file, pos) = if code == "input-required" {
            (site.spec_file.or(Some(site.schema_file)), None)
        } else {
            locate(&top)
        };
        let mut d = Diagnostic::error(code, format!("{label}: {field}: {message}"))
            .about(about(&top, &field, &message));
        if let Some(hint) = hint_for(&error.kind, error.instance) {
            d = d.with_hint(hint);
        } else if code == "input-pattern" && field == top {
            if let Some(sample) = accepted_sample(input_type.property(&top)) {
                d = d.with_hint(format!("the pattern accepts values like `{sample}`"));
            }
        }
        out.push(located(d, file, pos));
    }
    out
}

/// A value an input's pattern accepts, to show beside a pattern error: its default when it is a
/// string, else the example built from its schema.
fn accepted_sample(property: Option<&crate::schema::Property>) -> Option<String> {
    let property = property?;
    match property.default.as_ref() {
        Some(Json::String(default)) => Some(default.clone()),
        _ => match crate::schema::examples::example_value(&property.schema) {
            Json::String(example) if !example.is_empty() => Some(example),
            _ => None,
        },
    }
}

fn located(mut d: Diagnostic, file: Option<&str>, pos: Option<Pos>) -> Diagnostic {
    if let Some(f) = file {
        d = d.in_file(f);
    }
    d.at_pos(pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn svc() -> InputType {
        let (schema, _) = crate::schema::parse(
            r#"
schema:
  format: {openapi: "3.0.0"}
  service_input_type: Svc
  types:
    Svc:
      type: object
      required: [image]
      properties:
        port: {type: number, default: 80, minimum: 1, maximum: 65535}
        size: {type: string, enum: [x-small, small], default: x-small}
        image: {type: string, pattern: "^[a-z0-9./:-]+$", minLength: 3}
        subnets: {type: array, items: {type: string}}
        optional: {type: string}
"#,
            "schema/schema.yaml",
        );
        schema.unwrap().service.unwrap()
    }

    fn obj(v: Json) -> Map<String, Json> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn merge_order_and_absence() {
        let t = svc();
        let merged = merge(
            &t,
            &obj(json!({"extra": 1, "image": "nginx", "size": "small"})),
        );
        assert_eq!(
            Json::Object(merged).to_string(),
            r#"{"port":80,"size":"small","extra":1,"image":"nginx"}"#
        );
    }

    #[test]
    fn one_diagnostic_per_failing_field() {
        let t = svc();
        let spec = obj(
            json!({"port": "8080", "size": "huge", "image": "A", "subnets": ["a", 1], "bogus": true}),
        );
        let merged = merge(&t, &spec);
        let site = InputSite {
            section: Section::ServiceInstance,
            instance: Some("web"),
            spec_file: Some("spec.yaml"),
            locate: None,
            schema_file: "schema/schema.yaml",
        };
        let d = validate(&t, &spec, &merged, &site);
        let messages: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.contains(&"service_instance inputs: bogus: not defined in schema type Svc"),
            "{messages:?}"
        );
        assert!(
            messages
                .contains(&"service_instance inputs: port: must be a number, got string \"8080\""),
            "{messages:?}"
        );
        assert!(messages.contains(&"service_instance inputs: size: must be one of \"x-small\", \"small\"; got \"huge\""), "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("service_instance inputs: image: must match the pattern")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m
                    .starts_with("service_instance inputs: image: must be at least 3 characters")),
            "{messages:?}"
        );
        assert!(
            messages
                .contains(&"service_instance inputs: subnets[1]: must be a string, got integer 1"),
            "{messages:?}"
        );
        let subnet = d.iter().find(|d| d.message.contains("subnets[1]")).unwrap();
        assert_eq!(
            subnet.subject.as_deref(),
            Some(&Subject::Input {
                section: Section::ServiceInstance,
                instance: Some("web".into()),
                input: "subnets".into(),
                field: "subnets[1]".into(),
                problem: "must be a string, got integer 1".into(),
            })
        );
        let missing = validate(&t, &Map::new(), &merge(&t, &Map::new()), &site);
        assert_eq!(missing[0].code, "input-required");
        assert!(missing[0].message.contains("image"));
        // A pattern error shows a value the pattern accepts.
        let spec = obj(json!({"image": "Not An Image"}));
        let d = validate(&t, &spec, &merge(&t, &spec), &site);
        let pattern = d.iter().find(|d| d.code == "input-pattern").unwrap();
        let hint = pattern.hint.as_deref().unwrap();
        let sample = hint.split('`').nth(1).unwrap();
        assert!(
            regex::Regex::new("^[a-z0-9./:-]+$")
                .unwrap()
                .is_match(sample)
                && sample.len() >= 3,
            "{hint}"
        );
    }
}
