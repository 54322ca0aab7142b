//! Validation errors as a person reads them: the input's field path (`subnets[1].name`), a
//! code per kind of failure, a message naming the bound or the allowed values, and a hint for
//! the YAML and quoting traps behind most of them.

use super::validate::{ErrorKind, ValidationError};
use serde_json::Value as Json;

pub fn code_of(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Type { .. } => "input-type",
        ErrorKind::Enum { .. } => "input-enum",
        ErrorKind::Minimum { .. }
        | ErrorKind::Maximum { .. }
        | ErrorKind::ExclusiveMinimum { .. }
        | ErrorKind::ExclusiveMaximum { .. }
        | ErrorKind::MultipleOf { .. } => "input-range",
        ErrorKind::MinLength { .. } | ErrorKind::MaxLength { .. } => "input-length",
        ErrorKind::Pattern { .. } => "input-pattern",
        ErrorKind::MinItems { .. } | ErrorKind::MaxItems { .. } | ErrorKind::UniqueItems => {
            "input-items"
        }
        ErrorKind::Required { .. } => "input-required",
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
pub fn describe(error: &ValidationError) -> String {
    let got = error.instance;
    match &error.kind {
        ErrorKind::Type { expected } => {
            let expected = expected.join(" or ");
            let expected = expected.replace("null", "null (nullable)");
            format!(
                "must be {} {expected}, got {} {}",
                article(&expected),
                json_type(got),
                show(got)
            )
        }
        ErrorKind::Enum { options } => {
            let list = options.iter().map(show).collect::<Vec<_>>().join(", ");
            format!("must be one of {list}; got {}", show(got))
        }
        ErrorKind::Minimum { limit } => {
            format!("must be at least {limit}; got {}", show(got))
        }
        ErrorKind::Maximum { limit } => {
            format!("must be at most {limit}; got {}", show(got))
        }
        ErrorKind::ExclusiveMinimum { limit } => {
            format!("must be greater than {limit}; got {}", show(got))
        }
        ErrorKind::ExclusiveMaximum { limit } => {
            format!("must be less than {limit}; got {}", show(got))
        }
        ErrorKind::MinLength { limit } => format!(
            "must be at least {limit} character{} long; got {} ({})",
            plural(*limit),
            show(got),
            got.as_str().map_or(0, |s| s.chars().count())
        ),
        ErrorKind::MaxLength { limit } => format!(
            "must be at most {limit} character{} long; got {} characters",
            plural(*limit),
            got.as_str().map_or(0, |s| s.chars().count())
        ),
        ErrorKind::Pattern { pattern } => {
            format!("must match the pattern {pattern}; got {}", show(got))
        }
        ErrorKind::MinItems { limit } => format!(
            "needs at least {limit} item{}; got {}",
            plural(*limit),
            got.as_array().map_or(0, Vec::len)
        ),
        ErrorKind::MaxItems { limit } => format!(
            "allows at most {limit} item{}; got {}",
            plural(*limit),
            got.as_array().map_or(0, Vec::len)
        ),
        ErrorKind::MultipleOf { divisor } => {
            format!("must be a multiple of {divisor}; got {}", show(got))
        }
        ErrorKind::UniqueItems => "items must not repeat".to_string(),
        ErrorKind::Required { property } => format!("`{property}` is required"),
        ErrorKind::AdditionalProperties { unexpected } => {
            format!(
                "has keys its schema does not allow: {}",
                unexpected.join(", ")
            )
        }
        ErrorKind::MinProperties { limit } => format!(
            "needs at least {limit} key{}; got {}",
            plural(*limit),
            got.as_object().map_or(0, |m| m.len())
        ),
        ErrorKind::MaxProperties { limit } => format!(
            "allows at most {limit} key{}; got {}",
            plural(*limit),
            got.as_object().map_or(0, |m| m.len())
        ),
        ErrorKind::AnyOf => format!(
            "matches none of the allowed shapes (anyOf); got {}",
            show(got)
        ),
        ErrorKind::OneOf { matching: 0 } => {
            format!(
                "matches none of the allowed shapes (oneOf); got {}",
                show(got)
            )
        }
        ErrorKind::OneOf { matching } => format!(
            "must match exactly one of the allowed shapes (oneOf), matches {matching}; got {}",
            show(got)
        ),
        ErrorKind::Not => format!(
            "matches a shape its schema excludes (not); got {}",
            show(got)
        ),
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

pub fn hint_for(kind: &ErrorKind, got: &Json) -> Option<String> {
    match (kind, got) {
        (ErrorKind::Type { .. }, Json::String(s)) if s.parse::<f64>().is_ok() => {
            Some("remove the quotes: Proton does not convert \"8080\" to a number".into())
        }
        (ErrorKind::Type { .. }, Json::Null) => {
            Some("an explicit null overrides the default; omit the key to use the default".into())
        }
        (ErrorKind::Type { .. }, Json::Bool(_)) => Some(
            "YAML 1.1 reads yes/no/on/off as booleans: quote the value if you mean text".into(),
        ),
        _ => None,
    }
}
