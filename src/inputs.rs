//! Inputs: defaults filled exactly as REFERENCE §4 says, then the merged result validated, one
//! diagnostic per failing field with a message a person understands.

use crate::diagnostic::Diagnostic;
use crate::schema::InputType;
use crate::yaml::Pos;
use jsonschema::error::ValidationErrorKind;
use serde_json::{Map, Value as Json};

/// Merged inputs: defaulted properties in schema order (spec values override in place), then
/// spec-only keys in spec order. Optional inputs without default stay absent.
pub fn merge(input_type: &InputType, spec: &Map<String, Json>) -> Map<String, Json> {
    let mut merged = Map::new();
    for prop in &input_type.properties {
        if let Some(value) = spec.get(&prop.name) {
            merged.insert(prop.name.clone(), value.clone());
        } else if let Some(default) = &prop.default {
            merged.insert(prop.name.clone(), default.clone());
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
    /// `service_instance inputs`, `pipeline inputs`, `environment inputs`.
    pub label: &'a str,
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
            out.push(located(
                Diagnostic::warning(
                    "input-unknown",
                    format!(
                        "{}: {key}: not defined in schema type {}",
                        site.label, input_type.name
                    ),
                )
                .with_hint("validation ignores it, but templates can still read it"),
                file,
                pos,
            ));
        }
    }
    let Some(validator) = &input_type.validator else {
        return out;
    };
    let instance = Json::Object(merged.clone());
    for error in validator.iter_errors(&instance) {
        let pointer = error.instance_path().as_str().to_string();
        let (code, field, message) = match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default().to_string();
                (
                    "input-required",
                    field_path(&name, ""),
                    "required input has no value and no default".to_string(),
                )
            }
            ValidationErrorKind::AdditionalProperties { .. } => continue,
            _ => {
                let (top, rest) = split_pointer(&pointer);
                (
                    code_of(error.kind()),
                    field_path(&top, &rest),
                    describe(&error),
                )
            }
        };
        let top = field
            .split(['.', '['])
            .next()
            .unwrap_or_default()
            .to_string();
        let (file, pos) = if code == "input-required" {
            (site.spec_file.or(Some(site.schema_file)), None)
        } else {
            locate(&top)
        };
        let mut d = Diagnostic::error(code, format!("{}: {field}: {message}", site.label));
        if let Some(hint) = hint_for(error.kind(), error.instance()) {
            d = d.with_hint(hint);
        }
        out.push(located(d, file, pos));
    }
    out
}

fn located(mut d: Diagnostic, file: Option<&str>, pos: Option<Pos>) -> Diagnostic {
    if let Some(f) = file {
        d = d.in_file(f);
    }
    d.at_pos(pos)
}

fn split_pointer(pointer: &str) -> (String, String) {
    let trimmed = pointer.trim_start_matches('/');
    match trimmed.split_once('/') {
        Some((top, rest)) => (unescape(top), format!("/{rest}")),
        None => (unescape(trimmed), String::new()),
    }
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `subnets` + `/0/name` → `subnets[0].name`.
pub fn field_path(top: &str, rest: &str) -> String {
    let mut out = top.to_string();
    for segment in rest.split('/').filter(|s| !s.is_empty()) {
        if segment.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&unescape(segment));
        }
    }
    if out.is_empty() {
        "(inputs)".to_string()
    } else {
        out
    }
}

fn code_of(kind: &ValidationErrorKind) -> &'static str {
    match kind {
        ValidationErrorKind::Type { .. } => "input-type",
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. } => "input-enum",
        ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::Maximum { .. }
        | ValidationErrorKind::ExclusiveMinimum { .. }
        | ValidationErrorKind::ExclusiveMaximum { .. }
        | ValidationErrorKind::MultipleOf { .. } => "input-range",
        ValidationErrorKind::MinLength { .. } | ValidationErrorKind::MaxLength { .. } => {
            "input-length"
        }
        ValidationErrorKind::Pattern { .. } => "input-pattern",
        ValidationErrorKind::MinItems { .. }
        | ValidationErrorKind::MaxItems { .. }
        | ValidationErrorKind::UniqueItems => "input-items",
        _ => "input-invalid",
    }
}

/// A JSON value as a person reads it in a message.
fn show(value: &Json) -> String {
    match value {
        Json::String(s) => format!("\"{s}\""),
        Json::Null => "null".into(),
        other => other.to_string(),
    }
}

fn json_type(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "list",
        Json::Object(_) => "mapping",
    }
}

/// The message for one validation error, naming the bound or the allowed values.
pub fn describe(error: &jsonschema::ValidationError) -> String {
    let got = error.instance();
    let got = got.as_ref();
    match error.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                jsonschema::error::TypeKind::Single(t) => t.to_string(),
                jsonschema::error::TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let expected = expected.replace("null", "null (nullable)");
            format!(
                "must be {} {expected}, got {} {}",
                article(&expected),
                json_type(got),
                show(got)
            )
        }
        ValidationErrorKind::Enum { options } => {
            let list = options
                .as_array()
                .map(|a| a.iter().map(show).collect::<Vec<_>>().join(", "))
                .unwrap_or_else(|| options.to_string());
            format!("must be one of {list}; got {}", show(got))
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("must be {}; got {}", show(expected_value), show(got))
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("must be at least {limit}; got {}", show(got))
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("must be at most {limit}; got {}", show(got))
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("must be greater than {limit}; got {}", show(got))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("must be less than {limit}; got {}", show(got))
        }
        ValidationErrorKind::MinLength { limit } => format!(
            "must be at least {limit} character{} long; got {} ({})",
            plural(*limit),
            show(got),
            got.as_str().map_or(0, |s| s.chars().count())
        ),
        ValidationErrorKind::MaxLength { limit } => format!(
            "must be at most {limit} character{} long; got {} characters",
            plural(*limit),
            got.as_str().map_or(0, |s| s.chars().count())
        ),
        ValidationErrorKind::Pattern { pattern } => {
            format!("must match the pattern {pattern}; got {}", show(got))
        }
        ValidationErrorKind::MinItems { limit } => format!(
            "needs at least {limit} item{}; got {}",
            plural(*limit),
            got.as_array().map_or(0, Vec::len)
        ),
        ValidationErrorKind::MaxItems { limit } => format!(
            "allows at most {limit} item{}; got {}",
            plural(*limit),
            got.as_array().map_or(0, Vec::len)
        ),
        _ => error.to_string(),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn hint_for(kind: &ValidationErrorKind, got: &Json) -> Option<String> {
    match (kind, got) {
        (ValidationErrorKind::Type { .. }, Json::String(s)) if s.parse::<f64>().is_ok() => {
            Some("remove the quotes: Proton does not convert \"8080\" to a number".into())
        }
        (ValidationErrorKind::Type { .. }, Json::Null) => {
            Some("an explicit null overrides the default; omit the key to use the default".into())
        }
        (ValidationErrorKind::Type { .. }, Json::Bool(_)) => Some(
            "YAML 1.1 reads yes/no/on/off as booleans: quote the value if you mean text".into(),
        ),
        _ => None,
    }
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
            r#"{"port":80,"size":"small","image":"nginx","extra":1}"#
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
            label: "service_instance inputs",
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
        let missing = validate(&t, &Map::new(), &merge(&t, &Map::new()), &site);
        assert_eq!(missing[0].code, "input-required");
        assert!(missing[0].message.contains("image"));
    }
}
