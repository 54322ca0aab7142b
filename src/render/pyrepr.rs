//! Python `str()` and `repr()` of template values (docs/proton-semantics.md §7.3): what Jinja2
//! prints for `{{ value }}`, byte for byte.

use minijinja::value::{Value, ValueKind};
use std::fmt::Write;

/// Digits after the point past which an `f64`'s exact decimal expansion is all zeros (its
/// smallest step is 2^-1074); Rust's formatter panics past 65,535 where Python prints them.
const EXACT_DIGITS: usize = 1100;

/// Python's `'%.*f' % (precision, f)`, exact at any precision.
pub(crate) fn fixed(f: f64, precision: usize) -> String {
    let mut text = format!("{:.*}", precision.min(EXACT_DIGITS), f);
    if f.is_finite() {
        text.extend(std::iter::repeat_n(
            '0',
            precision.saturating_sub(EXACT_DIGITS),
        ));
    }
    text
}

/// Rust's `{:.*e}` of `f` (mantissa digits, then `e` and the exponent), exact at any precision.
pub(crate) fn scientific(f: f64, precision: usize) -> String {
    let text = format!("{:.*e}", precision.min(EXACT_DIGITS), f);
    match text.split_once('e') {
        Some((mantissa, exponent)) if precision > EXACT_DIGITS => {
            let zeros = "0".repeat(precision - EXACT_DIGITS);
            format!("{mantissa}{zeros}e{exponent}")
        }
        _ => text,
    }
}

/// Python `repr(float)`: shortest round-trip digits, fixed notation when the decimal exponent is
/// in −4..16 (with `.0` on integral values), else scientific with a signed two-digit exponent.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.5e16", "3.0000000000000004e-1".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if f < 0.0 { "-" } else { "" };
    let body = if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                format!("{digits}{}.0", "0".repeat(int_len - digits.len()))
            } else {
                format!("{}.{}", &digits[..int_len], &digits[int_len..])
            }
        } else {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let mantissa = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{exp_sign}{:02}", exp.abs())
    };
    format!("{sign}{body}")
}

/// Python `str(value)`: strings as they are, everything else as `repr`.
pub fn py_str(value: &Value) -> String {
    match value.kind() {
        ValueKind::String => value.as_str().unwrap_or_default().to_string(),
        ValueKind::Undefined => String::new(),
        _ => py_repr(value),
    }
}

/// Python `repr(value)`.
pub fn py_repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(&mut out, value, 0, false);
    out
}

/// Width Python's `pprint.pformat` fits a value in before it wraps it.
const PPRINT_WIDTH: usize = 80;

/// Python's `pprint.pformat(value)` (Jinja2's `pprint` filter) where the playground reproduces
/// it: the one-line repr with mapping keys sorted, when it fits in 80 characters (or the value is
/// a number, which pprint never wraps). Otherwise pprint wraps it over lines by rules the
/// playground does not reproduce: an error naming the rewrite, never a different text.
pub fn pformat(value: &Value) -> Result<String, String> {
    if !keys_sortable(value, 0) {
        return Err("pprint sorts mapping keys of mixed types in an order Python does not fix: the playground does not reproduce it".into());
    }
    let mut out = String::new();
    write_repr(&mut out, value, 0, true);
    // pprint splits long strings at whitespace and line ends only.
    let unsplittable_string = value
        .as_str()
        .is_some_and(|s| !s.chars().any(char::is_whitespace));
    if out.chars().count() <= PPRINT_WIDTH
        || unsplittable_string
        || matches!(
            value.kind(),
            ValueKind::Number | ValueKind::Bool | ValueKind::None
        )
    {
        return Ok(out);
    }
    Err(format!(
        "pprint wraps a value longer than {PPRINT_WIDTH} characters over several lines, which the playground does not reproduce: use `tojson(indent=2)`, or print the parts"
    ))
}

/// True when every mapping under `value` has keys of one kind (strings, or numbers).
fn keys_sortable(value: &Value, depth: usize) -> bool {
    if depth > MAX_REPR_DEPTH {
        return true; // printing it fails anyway
    }
    match value.kind() {
        ValueKind::Map => {
            let keys: Vec<Value> = value.try_iter().map(Iterator::collect).unwrap_or_default();
            let strings = keys.iter().all(|k| k.kind() == ValueKind::String);
            let numbers = keys
                .iter()
                .all(|k| matches!(k.kind(), ValueKind::Number | ValueKind::Bool));
            (strings || numbers)
                && keys.iter().all(|k| {
                    keys_sortable(&value.get_item(k).unwrap_or(Value::UNDEFINED), depth + 1)
                })
        }
        ValueKind::Seq | ValueKind::Iterable => value
            .try_iter()
            .map(|mut items| items.all(|item| keys_sortable(&item, depth + 1)))
            .unwrap_or(true),
        _ => true,
    }
}

/// Nesting printed. Python's `repr` fails near 1,000 levels (RecursionError); past this the
/// render fails instead of printing something Python would not.
pub const MAX_REPR_DEPTH: usize = 500;

/// Writes `repr(value)`; `sorted` sorts mapping keys (pprint), which must be of one kind.
fn write_repr(out: &mut String, value: &Value, depth: usize, sorted: bool) {
    if depth > MAX_REPR_DEPTH {
        super::budget::refuse(format!(
            "a value nested more than {MAX_REPR_DEPTH} levels deep was printed: Python fails near 1,000 (RecursionError) and the playground stops at {MAX_REPR_DEPTH}"
        ));
        return;
    }
    match value.kind() {
        // Jinja2's Undefined (also StrictUndefined) repr.
        ValueKind::Undefined => out.push_str("Undefined"),
        ValueKind::None => out.push_str("None"),
        ValueKind::Bool => out.push_str(if value.is_true() { "True" } else { "False" }),
        ValueKind::Number => out.push_str(&number_str(value)),
        // A safe string is markupsafe's `Markup`, whose repr names it.
        ValueKind::String if value.is_safe() => {
            out.push_str("Markup(");
            write_str_repr(out, value.as_str().unwrap_or_default());
            out.push(')');
        }
        ValueKind::String => write_str_repr(out, value.as_str().unwrap_or_default()),
        ValueKind::Bytes => {
            out.push('b');
            let text: String = value
                .as_bytes()
                .unwrap_or_default()
                .iter()
                .map(|&b| b as char)
                .collect();
            write_str_repr(out, &text);
        }
        ValueKind::Iterable if super::views::is_generator(value) => super::budget::refuse(
            "a generator was printed (map, select, reject, unique, batch, slice, items, reverse): Python prints its address, which cannot be reproduced; add `| list`".into(),
        ),
        ValueKind::Seq | ValueKind::Iterable if super::views::is_view(value) => {
            let items = Value::from(
                value
                    .try_iter()
                    .map(Iterator::collect::<Vec<_>>)
                    .unwrap_or_default(),
            );
            let text = super::views::python_repr(value, || {
                let mut list = String::new();
                write_repr(&mut list, &items, depth + 1, sorted);
                list
            });
            out.push_str(&text.unwrap_or_default());
        }
        ValueKind::Seq | ValueKind::Iterable => {
            let tuple = value.is_tuple();
            out.push(if tuple { '(' } else { '[' });
            let mut count = 0;
            if let Ok(iter) = value.try_iter() {
                for (i, item) in iter.enumerate() {
                    if super::budget::overflowing(out.len()) {
                        return;
                    }
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_repr(out, &item, depth + 1, sorted);
                    count += 1;
                }
            }
            if tuple && count == 1 {
                out.push(',');
            }
            out.push(if tuple { ')' } else { ']' });
        }
        ValueKind::Map => {
            out.push('{');
            if let Ok(keys) = value.try_iter() {
                let mut keys: Vec<Value> = keys.collect();
                if sorted {
                    keys.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
                }
                for (i, key) in keys.into_iter().enumerate() {
                    if super::budget::overflowing(out.len()) {
                        return;
                    }
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_repr(out, &key, depth + 1, sorted);
                    out.push_str(": ");
                    let item = value.get_item(&key).unwrap_or(Value::UNDEFINED);
                    write_repr(out, &item, depth + 1, sorted);
                }
            }
            out.push('}');
        }
        _ => {
            let _ = write!(out, "{value}");
        }
    }
}

/// Python `str()` of a number value: ints in decimal, floats as [`float_repr`].
pub fn number_str(value: &Value) -> String {
    if value.is_integer() {
        value.to_string()
    } else {
        match f64::try_from(value.clone()) {
            Ok(f) => float_repr(f),
            Err(_) => value.to_string(),
        }
    }
}

/// Python string repr: `'` quotes unless the text has `'` and no `"`; escapes `\\`, the quote,
/// `\n` `\r` `\t`, other non-printables as `\xNN` / `\uNNNN` / `\UNNNNNNNN`.
pub fn write_str_repr(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let cp = c as u32;
                let _ = if cp < 0x100 {
                    write!(out, "\\x{cp:02x}")
                } else if cp < 0x10000 {
                    write!(out, "\\u{cp:04x}")
                } else {
                    write!(out, "\\U{cp:08x}")
                };
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable` for one character, without Unicode tables: control and format
/// characters, separators other than the space, and private-use characters are not printable.
fn is_printable(c: char) -> bool {
    let cp = c as u32;
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(cp,
            0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
            | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
            | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
        || (0xFDD0..=0xFDEF).contains(&cp)
        || (cp & 0xFFFE) == 0xFFFE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_python() {
        let cases = [
            (1e20, "1e+20"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (0.1 + 0.2, "0.30000000000000004"),
            (3.0, "3.0"),
            (0.5, "0.5"),
            (123456789012345.6, "123456789012345.6"),
            (1234567890123456.7, "1234567890123456.8"),
            (-2.5e-7, "-2.5e-07"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (-0.0, "-0.0"),
            (100.0, "100.0"),
        ];
        for (f, expected) in cases {
            assert_eq!(float_repr(f), expected, "{f}");
        }
        assert_eq!(float_repr(f64::NAN), "nan");
    }

    #[test]
    fn containers_print_like_python() {
        let v = Value::from(vec![
            Value::from(1),
            Value::from(()),
            Value::from(true),
            Value::from("it's"),
            Value::from(2.5),
        ]);
        assert_eq!(py_str(&v), "[1, None, True, \"it's\", 2.5]");
        let t = Value::from(minijinja::value::Tuple::from([Value::from("a")]));
        assert_eq!(py_str(&t), "('a',)");
        let m = Value::from_pairs([("k", Value::from("v")), ("a", Value::from(1))]);
        assert_eq!(py_str(&m), "{'k': 'v', 'a': 1}");
        assert_eq!(
            py_repr(&Value::from("a\tb\u{1}é\u{a0}")),
            "'a\\tb\\x01é\\xa0'"
        );
        assert_eq!(py_repr(&Value::from("both'\"")), "'both\\'\"'");
    }

    #[test]
    fn pformat_where_it_is_one_line() {
        let v = |json: &str| {
            Value::from(minijinja::value::Serde(
                serde_json::from_str::<serde_json::Value>(json).unwrap(),
            ))
        };
        assert_eq!(
            pformat(&v(r#"{"b": 1, "a": [2, "x"]}"#)).unwrap(),
            "{'a': [2, 'x'], 'b': 1}"
        );
        assert_eq!(pformat(&Value::from("x".repeat(90))).unwrap().len(), 92);
        assert!(pformat(&v(&format!("[{}]", vec!["1"; 40].join(", ")))).is_err());
        assert!(pformat(&Value::from("a b ".repeat(30))).is_err());
    }
}
