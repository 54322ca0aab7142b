//! Validation errors as a person reads them: the input's field path (`subnets[1].name`), a
//! code per kind of failure, a message naming the bound or the allowed values, and a hint for
//! the YAML and quoting traps behind most of them.

use jsonschema::error::ValidationErrorKind;
use serde_json::Value as Json;

pub fn split_pointer(pointer: &str) -> (String, String) {
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

pub fn code_of(kind: &ValidationErrorKind) -> &'static str {
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

pub fn hint_for(kind: &ValidationErrorKind, got: &Json) -> Option<String> {
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
