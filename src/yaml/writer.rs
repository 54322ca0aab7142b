//! Writing YAML that PyYAML (YAML 1.1) reads back to the same values: specs exported by the
//! playground.

use super::needs_quotes;
use serde_json::{Map, Value as Json};

/// Writes `map`'s entries at `depth` (two spaces a level) after a key already written; an empty
/// mapping is written `{}` on the key's line.
pub fn write_mapping(out: &mut String, map: &Map<String, Json>, depth: usize) {
    if map.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push('\n');
    for (k, v) in map {
        out.push_str(&"  ".repeat(depth));
        out.push_str(&yaml_string(k));
        out.push(':');
        write_value(out, v, depth);
    }
}

fn write_value(out: &mut String, value: &Json, depth: usize) {
    match value {
        Json::Object(m) => write_mapping(out, m, depth + 1),
        Json::Array(items) if items.is_empty() => out.push_str(" []\n"),
        Json::Array(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&"  ".repeat(depth + 1));
                out.push('-');
                match item {
                    Json::Object(m) if !m.is_empty() => {
                        let mut inner = String::new();
                        write_mapping(&mut inner, m, depth + 2);
                        // The first key goes on the dash line.
                        let trimmed = inner.trim_start_matches('\n');
                        out.push(' ');
                        out.push_str(trimmed.trim_start());
                    }
                    other => write_value(out, other, depth + 1),
                }
            }
        }
        scalar => {
            out.push(' ');
            out.push_str(&match scalar {
                Json::String(s) => yaml_string(s),
                Json::Null => "null".into(),
                Json::Bool(b) => b.to_string(),
                Json::Number(n) => match n.as_f64() {
                    Some(f) if !n.is_i64() && !n.is_u64() => crate::render::pyrepr::float_repr(f),
                    _ => n.to_string(),
                },
                _ => String::new(),
            });
            out.push('\n');
        }
    }
}

/// A string plain when YAML 1.1 reads it back unchanged, else double-quoted.
pub fn yaml_string(s: &str) -> String {
    if needs_quotes(s) {
        let mut out = String::new();
        crate::render::pyjson::write_string(&mut out, s, Default::default());
        out
    } else {
        s.to_string()
    }
}
