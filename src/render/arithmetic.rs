//! Python's `+` and `*`. minijinja adds and repeats its own way: it concatenates a range and a
//! list, knows nothing of markupsafe's `Markup` (which escapes the text added to it), caps
//! repetition only at a hundred million. Each template is loaded with every `a + b` written as
//! `__add((a), (b))` and every `a * b` as `__multiply((a), (b))` (`rewrite.rs`): numbers add and
//! multiply, text and lists concatenate and repeat within the render's text budget — checked on
//! the value met, so `size_mb * 1048576` is a number anywhere, in a loop or a macro too.

use super::budget;
use super::python_types::python_type;
use minijinja::value::{Tuple, Value, ValueKind};
use minijinja::{Error, ErrorKind};

/// The names templates call.
pub const ADD: &str = "__add";
pub const MULTIPLY: &str = "__multiply";
pub const PLAIN: &str = "__plain";

/// The text `~` built, never `Markup`: Jinja2 joins its operands with `str`, where minijinja
/// keeps two safe operands safe.
pub fn plain(joined: Value) -> Value {
    match joined.as_str() {
        Some(text) if joined.is_safe() => Value::from(text.to_string()),
        _ => joined,
    }
}

fn defined(left: &Value, right: &Value) -> Result<(), Error> {
    for operand in [left, right] {
        if operand.is_undefined() {
            return Err(super::undefined_error(operand));
        }
    }
    Ok(())
}

/// An integer (a boolean is 0 or 1), exactly.
fn count(v: &Value) -> Option<i128> {
    match v.kind() {
        ValueKind::Bool => Some(v.is_true() as i128),
        ValueKind::Number if v.is_integer() => i128::try_from(v.clone()).ok(),
        _ => None,
    }
}

fn numeric(v: &Value) -> bool {
    matches!(v.kind(), ValueKind::Number | ValueKind::Bool)
}

/// `left op right` on two numbers: integers exactly (to 128 bits), else floats.
fn numbers(
    left: &Value,
    right: &Value,
    integers: fn(i128, i128) -> Option<i128>,
    floats: fn(f64, f64) -> f64,
) -> Result<Value, Error> {
    match (count(left), count(right)) {
        (Some(a), Some(b)) => integers(a, b).map(whole).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                "the result is past 128 bits: Python's integers have no limit, the playground's have",
            )
        }),
        _ => {
            let float = |v: &Value| match v.kind() {
                ValueKind::Bool => Ok(if v.is_true() { 1.0 } else { 0.0 }),
                _ => f64::try_from(v.clone()),
            };
            Ok(Value::from(floats(float(left)?, float(right)?)))
        }
    }
}

/// `left + right` as Python computes it: numbers add; text, lists and tuples concatenate with
/// their own kind; `Markup` escapes the plain text added to it (either side). An undefined
/// operand fails even when lenient (Jinja2's Undefined refuses arithmetic).
pub fn add(left: &Value, right: &Value) -> Result<Value, Error> {
    defined(left, right)?;
    if numeric(left) && numeric(right) {
        return numbers(left, right, i128::checked_add, |a, b| a + b);
    }
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    match (python_type(left), python_type(right)) {
        ("str", "str") => {
            let markup = left.is_safe() || right.is_safe();
            let side = |v: &Value| {
                if markup && !v.is_safe() {
                    super::markup::escape_text(&text(v))
                } else {
                    text(v)
                }
            };
            let (a, b) = (side(left), side(right));
            budget::check(a.len() + b.len(), "adding text")?;
            let joined = a + &b;
            Ok(if markup {
                Value::from_safe_string(joined)
            } else {
                Value::from(joined)
            })
        }
        (kind @ ("list" | "tuple"), other) if kind == other => {
            let items: Vec<Value> = left.try_iter()?.chain(right.try_iter()?).collect();
            budget::check_items(items.len(), kind)?;
            Ok(if kind == "tuple" {
                Value::from(Tuple::from(items))
            } else {
                Value::from(items)
            })
        }
        (kind @ ("str" | "list" | "tuple"), other) if !left.is_safe() => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("can only concatenate {kind} (not \"{other}\") to {kind}"),
        )),
        (a, b) => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("unsupported operand type(s) for +: '{a}' and '{b}'"),
        )),
    }
}

/// `left * right` as Python computes it. An undefined operand fails even when lenient (Jinja2's
/// Undefined refuses arithmetic).
pub fn multiply(left: &Value, right: &Value) -> Result<Value, Error> {
    defined(left, right)?;
    if numeric(left) && numeric(right) {
        return numbers(left, right, i128::checked_mul, |a, b| a * b);
    }
    let (repeated, times) = match (count(left), count(right)) {
        (None, Some(n)) => (left, n),
        (Some(n), None) => (right, n),
        _ => return Err(unsupported(left, right)),
    };
    let times = usize::try_from(times.max(0)).unwrap_or(usize::MAX);
    match python_type(repeated) {
        "str" => {
            let text = repeated.as_str().unwrap_or_default();
            budget::check(text.len().saturating_mul(times), "repeating text")?;
            let out = text.repeat(times);
            Ok(if repeated.is_safe() {
                Value::from_safe_string(out)
            } else {
                Value::from(out)
            })
        }
        kind @ ("list" | "tuple") => {
            let items: Vec<Value> = repeated.try_iter()?.collect();
            budget::check_items(items.len().saturating_mul(times), kind)?;
            let out: Vec<Value> = (0..times).flat_map(|_| items.iter().cloned()).collect();
            Ok(if kind == "tuple" {
                Value::from(Tuple::from(out))
            } else {
                Value::from(out)
            })
        }
        _ => Err(unsupported(left, right)),
    }
}

fn whole(n: i128) -> Value {
    i64::try_from(n).map_or_else(|_| Value::from(n), Value::from)
}

fn unsupported(left: &Value, right: &Value) -> Error {
    let (a, b) = (python_type(left), python_type(right));
    let message = match (a, b) {
        ("str" | "list" | "tuple", "float") | ("float", "str" | "list" | "tuple") => {
            "can't multiply sequence by non-int of type 'float'".to_string()
        }
        ("str" | "list" | "tuple", "str" | "list" | "tuple") => {
            format!("can't multiply sequence by non-int of type '{b}'")
        }
        _ => format!("unsupported operand type(s) for *: '{a}' and '{b}'"),
    };
    Error::new(ErrorKind::InvalidOperation, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pyrepr::{py_repr, py_str};

    fn product(a: Value, b: Value) -> String {
        multiply(&a, &b)
            .map(|r| py_str(&r))
            .unwrap_or_else(|e| e.to_string())
    }

    fn sum(a: Value, b: Value) -> String {
        add(&a, &b)
            .map(|r| py_repr(&r))
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn adding_follows_python() {
        assert_eq!(sum(Value::from(1), Value::from(true)), "2");
        assert_eq!(sum(Value::from(0.5), Value::from(1)), "1.5");
        assert_eq!(
            sum(Value::from(i64::MAX), Value::from(1)),
            "9223372036854775808"
        );
        assert_eq!(sum(Value::from("a"), Value::from("b")), "'ab'");
        assert_eq!(
            sum(Value::from_safe_string("<b>".into()), Value::from("<")),
            "Markup('<b>&lt;')"
        );
        assert_eq!(
            sum(Value::from("<"), Value::from_safe_string("b".into())),
            "Markup('&lt;b')"
        );
        assert_eq!(sum(Value::from(vec![1]), Value::from(vec![2])), "[1, 2]");
        assert!(sum(Value::from("a"), Value::from(1)).contains("can only concatenate str"));
        assert!(sum(Value::from(1), Value::from("a")).contains("'int' and 'str'"));
        let range = crate::render::views::range(2, None, None).unwrap();
        assert!(sum(range, Value::from(vec![1])).contains("'range' and 'list'"));
    }

    #[test]
    fn python_rules() {
        assert_eq!(product(Value::from(3), Value::from(1048576)), "3145728");
        assert_eq!(product(Value::from(1.5), Value::from(2)), "3.0");
        assert_eq!(product(Value::from(true), Value::from(4)), "4");
        assert_eq!(product(Value::from(0.5), Value::from(true)), "0.5");
        assert_eq!(product(Value::from("ab"), Value::from(3)), "ababab");
        assert_eq!(product(Value::from(2), Value::from("ab")), "abab");
        assert_eq!(product(Value::from("ab"), Value::from(-1)), "");
        assert_eq!(product(Value::from("ab"), Value::from(true)), "ab");
        assert_eq!(
            product(Value::from(vec![1, 2]), Value::from(2)),
            "[1, 2, 1, 2]"
        );
        assert_eq!(
            product(Value::from(Tuple::from([Value::from(1)])), Value::from(2)),
            "(1, 1)"
        );
        assert_eq!(
            product(Value::from(i64::MAX), Value::from(4)),
            "36893488147419103228"
        );
        assert!(product(Value::from("a"), Value::from(1.5)).contains("non-int of type 'float'"));
        assert!(product(Value::from(()), Value::from(2)).contains("'NoneType' and 'int'"));
        assert!(product(Value::from("a"), Value::from(1 << 30)).contains("limit"));
        assert!(product(Value::from(vec![1]), Value::from(100_000_000)).contains("limit"));
    }
}
