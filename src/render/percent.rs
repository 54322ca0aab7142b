//! Python's `%` operator. minijinja computes `a % b` only on numbers, and not as Python does on
//! text (`'%s-%d' % (a, b)` formats). Each template is loaded with every `a % b` written as
//! `__percent((a), (b))` (`rewrite.rs`), a function with Python's rules for both.

use minijinja::value::{Value, ValueKind};
use minijinja::{Error, ErrorKind};

/// The name templates call.
pub const FUNCTION: &str = "__percent";

/// `left % right` as Python computes it: text formats (`printf`), numbers take the remainder
/// (`python_types::modulo`), anything else is a TypeError. An undefined
/// operand fails even when lenient (Jinja2's Undefined refuses arithmetic).
pub fn percent(left: &Value, right: &Value) -> Result<Value, Error> {
    for operand in [left, right] {
        if operand.is_undefined() {
            return Err(super::undefined_error(operand));
        }
    }
    let fail = |message: String| Error::new(ErrorKind::InvalidOperation, message);
    match (left.kind(), right.kind()) {
        (ValueKind::String, _) if left.is_safe() => Err(fail(
            "`%` on safe (Markup) text escapes its arguments in Jinja2: not reproduced".into(),
        )),
        (ValueKind::String, _) => {
            super::printf::percent_operator(left.as_str().unwrap_or_default(), right)
                .map(Value::from)
                .map_err(fail)
        }
        (ValueKind::Number | ValueKind::Bool, ValueKind::Number | ValueKind::Bool) => {
            super::python_types::modulo(left, right)
        }
        _ => Err(fail(format!(
            "unsupported operand type(s) for %: '{}' and '{}'",
            super::python_types::python_type(left),
            super::python_types::python_type(right)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pyrepr::py_str;

    #[test]
    fn python_rules() {
        let v = |x: Value, y: Value| {
            percent(&x, &y)
                .map(|r| py_str(&r))
                .unwrap_or_else(|e| e.to_string())
        };
        assert_eq!(v(Value::from(-7), Value::from(3)), "2");
        assert_eq!(v(Value::from(7), Value::from(-3)), "-2");
        assert_eq!(v(Value::from(7.5), Value::from(2)), "1.5");
        assert_eq!(v(Value::from(-0.5), Value::from(2)), "1.5");
        assert_eq!(
            v(
                Value::from("%s-%s"),
                Value::from(minijinja::value::Tuple::from([
                    Value::from(1),
                    Value::from("a")
                ]))
            ),
            "1-a"
        );
        assert_eq!(v(Value::from("abc"), Value::from(vec![1, 2])), "abc");
        assert!(v(Value::from(1), Value::from(0)).contains("modulo by zero"));
        assert!(v(Value::from("abc"), Value::from(1)).contains("not all arguments converted"));
    }
}
