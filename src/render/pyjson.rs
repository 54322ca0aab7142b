//! Python `json.dumps` for template values (docs/proton-semantics.md §7.4): Jinja2's `tojson` and
//! the Terraform / CodeBuild input files. ASCII-only output, Python float repr, Python separators.

use super::pyrepr::{float_repr, py_str};
use minijinja::value::{Value, ValueKind};
use minijinja::{Error, ErrorKind};
use std::fmt::Write;

/// How to lay out the JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonStyle<'a> {
    /// Sort mapping keys by code point (`tojson` does, the input files do not).
    pub sort_keys: bool,
    /// `None`: one line with `, ` and `: `; `Some(unit)`: a new line per item, indented by
    /// `unit` per level (Python's `indent=n` is n spaces; a string indent is used as it is),
    /// `,` at line ends.
    pub indent: Option<&'a str>,
    /// Escape `<` `>` `&` `'` as `\u003c`… like Jinja2's `htmlsafe_json_dumps`.
    pub html_safe: bool,
}

const MAX_JSON_DEPTH: usize = 500;

/// Serializes `value`. Undefined values are an error, as in Jinja2.
pub fn dumps(value: &Value, style: JsonStyle<'_>) -> Result<String, Error> {
    let mut out = String::new();
    write_value(&mut out, value, style, 0)?;
    Ok(out)
}

fn write_value(
    out: &mut String,
    value: &Value,
    style: JsonStyle<'_>,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_JSON_DEPTH {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "value nested too deeply for JSON",
        ));
    }
    match value.kind() {
        ValueKind::Undefined => return Err(super::undefined_error(value)),
        ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => {
            if value.is_integer() {
                out.push_str(&value.to_string());
            } else {
                let f = f64::try_from(value.clone()).unwrap_or(f64::NAN);
                out.push_str(&match f {
                    f if f.is_nan() => "NaN".to_string(),
                    f if f.is_infinite() && f > 0.0 => "Infinity".to_string(),
                    f if f.is_infinite() => "-Infinity".to_string(),
                    f => float_repr(f),
                });
            }
        }
        ValueKind::String => write_string(out, value.as_str().unwrap_or_default(), style),
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Vec<Value> = value.try_iter()?.collect();
            write_container(out, '[', ']', items.len(), style, depth, |out, i| {
                write_value(out, &items[i], style, depth + 1)
            })?;
        }
        ValueKind::Map => {
            let mut entries: Vec<(String, Value)> = value
                .try_iter()?
                .map(|k| {
                    let v = value.get_item(&k).unwrap_or(Value::UNDEFINED);
                    (json_key(&k), v)
                })
                .collect();
            if style.sort_keys {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
            }
            write_container(out, '{', '}', entries.len(), style, depth, |out, i| {
                write_string(out, &entries[i].0, style);
                out.push_str(": ");
                write_value(out, &entries[i].1, style, depth + 1)
            })?;
        }
        _ => write_string(out, &py_str(value), style),
    }
    Ok(())
}

/// Python converts non-string keys: `True` → `"true"`, `None` → `"null"`, numbers as text.
fn json_key(key: &Value) -> String {
    match key.kind() {
        ValueKind::Bool => if key.is_true() { "true" } else { "false" }.into(),
        ValueKind::None => "null".into(),
        _ => py_str(key),
    }
}

fn write_container(
    out: &mut String,
    open: char,
    close: char,
    len: usize,
    style: JsonStyle<'_>,
    depth: usize,
    mut item: impl FnMut(&mut String, usize) -> Result<(), Error>,
) -> Result<(), Error> {
    out.push(open);
    if len == 0 {
        out.push(close);
        return Ok(());
    }
    for i in 0..len {
        // `[x, x]` doubled 30 times is a billion items once written out.
        super::budget::check(out.len(), "tojson")?;
        match style.indent {
            Some(unit) => {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                let width = unit.len().saturating_mul(depth + 1);
                super::budget::check(out.len().saturating_add(width), "tojson")?;
                out.push_str(&unit.repeat(depth + 1));
            }
            None if i > 0 => out.push_str(", "),
            None => {}
        }
        item(out, i)?;
    }
    if let Some(unit) = style.indent {
        out.push('\n');
        out.push_str(&unit.repeat(depth));
    }
    out.push(close);
    Ok(())
}

/// A JSON string with Python's `ensure_ascii` escaping (lower-case hex, surrogate pairs).
pub fn write_string(out: &mut String, s: &str, style: JsonStyle<'_>) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\'' if style.html_safe => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tojson(v: &Value, indent: Option<usize>) -> String {
        let unit = indent.map(|n| " ".repeat(n));
        dumps(
            v,
            JsonStyle {
                sort_keys: true,
                indent: unit.as_deref(),
                html_safe: true,
            },
        )
        .unwrap()
    }

    #[test]
    fn matches_jinja2_tojson() {
        let d = Value::from_pairs([("k", Value::from("v")), ("a", Value::from(1))]);
        assert_eq!(tojson(&d, None), r#"{"a": 1, "k": "v"}"#);
        assert_eq!(tojson(&d, Some(2)), "{\n  \"a\": 1,\n  \"k\": \"v\"\n}");
        let html = Value::from_pairs([("b", "<&>"), ("a", "'")]);
        assert_eq!(
            tojson(&html, None),
            r#"{"a": "\u0027", "b": "\u003c\u0026\u003e"}"#
        );
        assert_eq!(
            tojson(&Value::from("café😀"), None),
            r#""caf\u00e9\ud83d\ude00""#
        );
        assert_eq!(tojson(&Value::from(1e20), None), "1e+20");
        let empty = Value::from(Vec::<Value>::new());
        assert_eq!(tojson(&empty, Some(2)), "[]");
    }

    #[test]
    fn undefined_is_an_error() {
        assert!(dumps(&Value::UNDEFINED, JsonStyle::default()).is_err());
    }
}
