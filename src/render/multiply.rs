//! Python's `*` operator. minijinja repeats text and sequences as Python does but only caps them
//! at a hundred million, and multiplies numbers past 64 bits its own way. Each template is loaded
//! with every `a * b` written as `__multiply((a), (b))` (`rewrite.rs`): numbers multiply, text
//! and lists repeat within the render's text budget — checked on the value met, so
//! `size_mb * 1048576` is a number anywhere, in a loop or a macro too.

use super::budget;
use super::python_types::python_type;
use minijinja::value::{Tuple, Value, ValueKind};
use minijinja::{Error, ErrorKind};

/// The name templates call.
pub const FUNCTION: &str = "__multiply";

/// Items one `*` may build in a list or tuple (each item is shared, but a list of millions is
/// past any template's needs and its printing past the text budget anyway).
pub const MAX_ITEMS: usize = 1 << 20;

/// `left * right` as Python computes it. An undefined operand fails even when lenient (Jinja2's
/// Undefined refuses arithmetic).
pub fn multiply(left: &Value, right: &Value) -> Result<Value, Error> {
    for operand in [left, right] {
        if operand.is_undefined() {
            return Err(super::undefined_error(operand));
        }
    }
    let count = |v: &Value| match v.kind() {
        ValueKind::Bool => Some(v.is_true() as i128),
        ValueKind::Number if v.is_integer() => i128::try_from(v.clone()).ok(),
        _ => None,
    };
    let numeric = |v: &Value| matches!(v.kind(), ValueKind::Number | ValueKind::Bool);
    if numeric(left) && numeric(right) {
        return match (count(left), count(right)) {
            (Some(a), Some(b)) => a.checked_mul(b).map(whole).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    "the product is past 128 bits: Python's integers have no limit, the playground's have",
                )
            }),
            _ => {
                let float = |v: &Value| match v.kind() {
                    ValueKind::Bool => Ok(if v.is_true() { 1.0 } else { 0.0 }),
                    _ => f64::try_from(v.clone()),
                };
                Ok(Value::from(float(left)? * float(right)?))
            }
        };
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
            let len = items.len().saturating_mul(times);
            if len > MAX_ITEMS {
                budget::refuse(format!(
                    "repeating a {kind} would build {len} items, over the playground's limit of {MAX_ITEMS}"
                ));
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    budget::reason().unwrap_or_default(),
                ));
            }
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
    use crate::render::pyrepr::py_str;

    fn product(a: Value, b: Value) -> String {
        multiply(&a, &b)
            .map(|r| py_str(&r))
            .unwrap_or_else(|e| e.to_string())
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
