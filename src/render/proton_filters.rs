//! Proton's own filters (docs/proton-semantics.md §8):
//! `proton_cfn_ecs_task_definition_formatted_env_vars`,
//! `proton_cfn_lambda_function_formatted_env_vars`, `proton_cfn_iam_policy_arns` and
//! `proton_cfn_sanitize`, with the post-render re-indentation of multi-line filter output.

use super::pyrepr::py_str;
use super::undefined_error;
use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind};
use regex::Regex;
use std::sync::OnceLock;

/// Marks the start of a multi-line filter output (private-use characters, removed after render).
pub const BLOCK_START: char = '\u{E000}';
/// Marks its end.
pub const BLOCK_END: char = '\u{E001}';

pub const ECS: &str = "proton_cfn_ecs_task_definition_formatted_env_vars";
pub const LAMBDA: &str = "proton_cfn_lambda_function_formatted_env_vars";
pub const IAM: &str = "proton_cfn_iam_policy_arns";
pub const SANITIZE: &str = "proton_cfn_sanitize";

/// Names of the filters whose multi-line output is re-indented.
pub const BLOCK_FILTERS: [&str; 3] = [ECS, LAMBDA, IAM];

struct Patterns {
    safe_value: Regex,
    arn: Regex,
    iam_policy: Regex,
    plain: Regex,
    float_literal: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        // Python's `$` also matches before one trailing newline.
        safe_value: Regex::new(r"^[a-zA-Z0-9_-]*\n?\z").unwrap(),
        arn: Regex::new(r"^arn:[a-zA-Z0-9-]+:[a-zA-Z0-9-]*:[a-zA-Z0-9-]*:[0-9]*:.+\n?\z").unwrap(),
        iam_policy: Regex::new(r"^arn:[a-zA-Z-]+:iam::\d{12}:policy/").unwrap(),
        plain: Regex::new(r"^[A-Za-z0-9_./@+=,:-]+$").unwrap(),
        float_literal: Regex::new(
            r"(?i)^(?:[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[+-]?(?:inf|infinity|nan))$",
        )
        .unwrap(),
    })
}

pub fn register(env: &mut Environment<'_>) {
    env.add_filter(
        ECS,
        |v: &Value, raw: Option<Value>, kwargs: minijinja::value::Kwargs| {
            let raw = raw_flag(raw, &kwargs)?;
            let lines = dict_entries(ECS, v, raw)?
                .iter()
                .map(|(k, val)| {
                    format!("- Name: {}\n  Value: {}", yaml_scalar(k), yaml_scalar(val))
                })
                .collect::<Vec<_>>();
            Ok(block(lines))
        },
    );
    env.add_filter(
        LAMBDA,
        |v: &Value, raw: Option<Value>, kwargs: minijinja::value::Kwargs| {
            let raw = raw_flag(raw, &kwargs)?;
            let lines = dict_entries(LAMBDA, v, raw)?
                .iter()
                .map(|(k, val)| format!("{}: {}", yaml_scalar(k), yaml_scalar(val)))
                .collect::<Vec<_>>();
            Ok(block(lines))
        },
    );
    env.add_filter(IAM, |v: &Value| {
        let lines = dict_entries(IAM, v, true)?
            .into_iter()
            .filter(|(_, val)| patterns().iam_policy.is_match(val))
            .map(|(_, val)| format!("- {val}"))
            .collect::<Vec<_>>();
        Ok(block(lines))
    });
    env.add_filter(SANITIZE, |v: &Value| -> Result<Value, Error> {
        if v.is_undefined() {
            return Err(undefined_error(v));
        }
        let s = py_str(v);
        let p = patterns();
        if p.safe_value.is_match(&s) || p.arn.is_match(&s) {
            Ok(v.clone())
        } else {
            Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("Illegal character(s) detected in \"{s}\". Must match regex ^[a-zA-Z0-9_-]*$ or be a valid ARN"),
            ))
        }
    });
}

fn raw_flag(raw: Option<Value>, kwargs: &minijinja::value::Kwargs) -> Result<bool, Error> {
    let raw = match raw {
        Some(r) => Some(r),
        None => kwargs.get::<Option<Value>>("raw")?,
    };
    kwargs.assert_all_used()?;
    Ok(raw.is_none_or(|r| r.is_true()))
}

/// The dict's entries as `(str(key), str(value))`; with `raw = false` every value must match
/// `^[a-zA-Z0-9_-]*$`. Undefined input fails in every undefined mode.
fn dict_entries(filter: &str, v: &Value, raw: bool) -> Result<Vec<(String, String)>, Error> {
    if v.is_undefined() {
        return Err(undefined_error(v));
    }
    if v.kind() != ValueKind::Map {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "{filter} expects a dict of outputs, got {}",
                super::python_types::python_type(v)
            ),
        ));
    }
    let mut entries = Vec::new();
    for key in v.try_iter()? {
        // docs/proton-semantics.md §8: values through str(), None as "".
        let value = match v.get_item(&key)? {
            none if none.is_none() => String::new(),
            value => py_str(&value),
        };
        if !raw && !patterns().safe_value.is_match(&value) {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("Illegal character(s) detected in \"{value}\". Must match regex ^[a-zA-Z0-9_-]*$"),
            ));
        }
        entries.push((py_str(&key), value));
    }
    Ok(entries)
}

/// Wraps multi-line output in sentinels for [`reindent`]; empty output stays empty.
fn block(lines: Vec<String>) -> Value {
    if lines.is_empty() {
        return Value::from("");
    }
    Value::from_safe_string(format!("{BLOCK_START}{}{BLOCK_END}", lines.join("\n")))
}

/// A scalar emitted plain when YAML reads it back as the same string, else as a JSON string.
pub fn yaml_scalar(s: &str) -> String {
    let p = patterns();
    let reserved = matches!(
        s.to_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
    );
    if p.plain.is_match(s)
        && !s.starts_with(['-', ':', ',', '@'])
        && !reserved
        && !p.float_literal.is_match(s)
    {
        s.to_string()
    } else {
        let mut out = String::new();
        super::pyjson::write_string(&mut out, s, Default::default());
        out
    }
}

/// Post-pass over the whole rendered file: each continuation line of a filter block is prefixed
/// with as many spaces as there were characters before the block on its first line.
pub fn reindent(rendered: &str) -> String {
    if !rendered.contains(BLOCK_START) {
        return rendered.to_string();
    }
    reindent_mapped(rendered).0
}

/// [`reindent`], also giving where each byte offset of `rendered` (and its end) lands in the
/// result: the migration maps the engine's output spans through it.
pub fn reindent_mapped(rendered: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(rendered.len() + 64);
    let mut map = Vec::with_capacity(rendered.len() + 1);
    let mut column = 0usize;
    let mut block_indent: Option<String> = None;
    for c in rendered.chars() {
        map.extend(std::iter::repeat_n(out.len(), c.len_utf8()));
        match c {
            BLOCK_START => block_indent = Some(" ".repeat(column)),
            BLOCK_END => block_indent = None,
            '\n' => {
                out.push('\n');
                column = 0;
                if let Some(indent) = &block_indent {
                    out.push_str(indent);
                    column = indent.chars().count();
                }
            }
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    map.push(out.len());
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_rules() {
        for plain in [
            "hello",
            "0x1F",
            "None",
            "1.2.3",
            "arn:aws:s3:::b",
            "10.0.0.0/16",
            "x:y",
        ] {
            assert_eq!(yaml_scalar(plain), plain);
        }
        for (v, q) in [
            ("8080", "\"8080\""),
            ("1.5", "\"1.5\""),
            ("1_000", "\"1_000\""),
            ("+5", "\"+5\""),
            ("Infinity", "\"Infinity\""),
            ("true", "\"true\""),
            ("Off", "\"Off\""),
            ("True", "\"True\""),
            ("", "\"\""),
            ("-x", "\"-x\""),
            ("@x", "\"@x\""),
            ("a b", "\"a b\""),
            ("https://x/y?q=1", "\"https://x/y?q=1\""),
            ("Zürich", "\"Z\\u00fcrich\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("a\tb", "\"a\\tb\""),
        ] {
            assert_eq!(yaml_scalar(v), q, "{v}");
        }
    }

    #[test]
    fn reindents_continuation_lines() {
        let text = format!("  Variables: {BLOCK_START}A: 1\nB: 2{BLOCK_END}\nnext\n");
        assert_eq!(
            reindent(&text),
            "  Variables: A: 1\n             B: 2\nnext\n"
        );
    }
}
