//! Python's `%` string formatting, which Jinja2's `format` filter is (`'%s-%05.1f' | format(a,
//! b)` is `'%s-%05.1f' % (a, b)`): `%[(key)][flags][width][.precision]type` with the types
//! `s r a d i u o x X e E f F g G c %`, as CPython writes them.

use super::budget;
use super::methods::format_general;
use super::pyrepr::{fixed, py_repr, py_str, scientific};
use super::python_types::python_type;
use minijinja::value::{Value, ValueKind};

/// `template % args` (positional) or `template % kwargs` (by `%(key)s`).
pub fn percent_format(
    template: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Result<String, String> {
    format_with(template, args, kwargs, !kwargs.is_empty())
}

/// Python's `template % right`: a tuple gives the arguments; a mapping (a dict, or a list,
/// which Python also takes for one) gives the keys and is itself the one argument, and may
/// be left unused; anything else is the one argument.
pub fn percent_operator(template: &str, right: &Value) -> Result<String, String> {
    if right.is_tuple() {
        let args: Vec<Value> = right.try_iter().map(Iterator::collect).unwrap_or_default();
        return format_with(template, &args, &[], false);
    }
    match right.kind() {
        ValueKind::Map => {
            let named: Vec<(String, Value)> = right
                .try_iter()
                .map(|keys| {
                    keys.map(|k| (py_str(&k), right.get_item(&k).unwrap_or_default()))
                        .collect()
                })
                .unwrap_or_default();
            format_with(template, std::slice::from_ref(right), &named, true)
        }
        ValueKind::Seq => format_with(template, std::slice::from_ref(right), &[], true),
        _ => format_with(template, std::slice::from_ref(right), &[], false),
    }
}

fn format_with(
    template: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    mapping: bool,
) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    let mut next = 0usize;
    let mut take = |key: Option<&str>| -> Result<Value, String> {
        match key {
            Some(key) => {
                if !mapping {
                    return Err("format requires a mapping".into());
                }
                kwargs
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| format!("KeyError: {}", py_repr(&Value::from(key))))
            }
            None => {
                next += 1;
                args.get(next - 1)
                    .cloned()
                    .ok_or_else(|| "not enough arguments for format string".to_string())
            }
        }
    };
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Only `%%` is a literal `%`: with a key, flags, width or precision between, Python
        // takes an argument and then refuses the conversion.
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let mut depth = 1;
            let mut name = String::new();
            for c in chars.by_ref() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                name.push(c);
            }
            if depth != 0 {
                return Err("incomplete format key".into());
            }
            key = Some(name);
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek().filter(|f| "-+ #0".contains(**f)) {
            flags.push(f);
            chars.next();
        }
        let mut number =
            |chars: &mut std::iter::Peekable<std::str::Chars>| -> Result<Option<usize>, String> {
                if chars.peek() == Some(&'*') {
                    chars.next();
                    let v = take(None)?;
                    return v
                        .as_i64()
                        .filter(|_| v.is_integer())
                        .map(|n| Some(n.max(0) as usize))
                        .ok_or_else(|| "* wants int".to_string());
                }
                let mut digits = String::new();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(d);
                    chars.next();
                }
                Ok(digits.parse().ok())
            };
        let width = number(&mut chars)?.unwrap_or(0);
        let precision = if chars.peek() == Some(&'.') {
            chars.next();
            Some(number(&mut chars)?.unwrap_or(0))
        } else {
            None
        };
        budget::check_width(width.max(precision.unwrap_or(0)), "%-format")
            .map_err(budget::detail)?;
        while chars.peek().is_some_and(|c| matches!(c, 'h' | 'l' | 'L')) {
            chars.next();
        }
        let Some(kind) = chars.next() else {
            return Err("incomplete format".into());
        };
        if kind == '%' {
            take(key.as_deref())?;
            return Err("unsupported format character '%' (0x25)".into());
        }
        let value = take(key.as_deref())?;
        let (negative, body) = convert(&value, kind, precision, flags.contains('#'))?;
        let numeric = !matches!(kind, 's' | 'r' | 'a' | 'c');
        let sign = match (negative, numeric) {
            (true, _) => "-",
            (false, true) if flags.contains('+') => "+",
            (false, true) if flags.contains(' ') => " ",
            _ => "",
        };
        let len = sign.chars().count() + body.chars().count();
        let pad = width.saturating_sub(len);
        let size = out.len() + sign.len() + body.len() + pad;
        budget::check(size, "%-format").map_err(budget::detail)?;
        if flags.contains('-') {
            out.push_str(sign);
            out.push_str(&body);
            out.extend(std::iter::repeat_n(' ', pad));
        } else if flags.contains('0') && numeric {
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', pad));
            out.push_str(&body);
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(sign);
            out.push_str(&body);
        }
    }
    if !mapping && next < args.len() {
        return Err("not all arguments converted during string formatting".into());
    }
    Ok(out)
}

/// One conversion: whether the number is negative, and the text without its sign.
fn convert(
    value: &Value,
    kind: char,
    precision: Option<usize>,
    alternate: bool,
) -> Result<(bool, String), String> {
    let truncate = |s: String| match precision {
        Some(p) => s.chars().take(p).collect(),
        None => s,
    };
    let is_number = matches!(value.kind(), ValueKind::Number | ValueKind::Bool);
    let real = || -> Result<f64, String> {
        if is_number {
            f64::try_from(value.clone()).map_err(|e| e.to_string())
        } else {
            Err(format!("must be real number, not {}", python_type(value)))
        }
    };
    let signed = |text: String| match text.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, text),
    };
    Ok(match kind {
        's' => (false, truncate(py_str(value))),
        'r' => (false, truncate(py_repr(value))),
        'a' if py_repr(value).is_ascii() => (false, truncate(py_repr(value))),
        'd' | 'i' | 'u' => {
            if !is_number {
                return Err(format!(
                    "%{kind} format: a real number is required, not {}",
                    python_type(value)
                ));
            }
            if value.is_integer() || value.kind() == ValueKind::Bool {
                signed(match value.kind() {
                    ValueKind::Bool => (value.is_true() as i64).to_string(),
                    _ => value.to_string(),
                })
            } else {
                let f = real()?;
                if !f.is_finite() {
                    return Err("cannot convert float infinity or NaN to integer".into());
                }
                signed(format!("{:.0}", f.trunc()).replace("-0", "0"))
            }
        }
        'o' | 'x' | 'X' => {
            if !(value.is_integer() || value.kind() == ValueKind::Bool) {
                return Err(format!(
                    "%{kind} format: an integer is required, not {}",
                    python_type(value)
                ));
            }
            let n = value.as_i64().unwrap_or(value.is_true() as i64);
            let digits = match kind {
                'o' => format!("{:o}", n.unsigned_abs()),
                'x' => format!("{:x}", n.unsigned_abs()),
                _ => format!("{:X}", n.unsigned_abs()),
            };
            let prefix = match (alternate, kind) {
                (true, 'o') => "0o",
                (true, 'x') => "0x",
                (true, _) => "0X",
                _ => "",
            };
            (n < 0, format!("{prefix}{digits}"))
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let f = real()?;
            let upper = kind.is_ascii_uppercase();
            if !f.is_finite() {
                let text = if f.is_nan() { "nan" } else { "inf" };
                let text = if upper {
                    text.to_uppercase()
                } else {
                    text.into()
                };
                return Ok((f < 0.0, text));
            }
            let p = precision.unwrap_or(6);
            let text = match kind.to_ascii_lowercase() {
                'f' => fixed(f, p),
                'e' => {
                    let s = scientific(f, p);
                    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
                    let exp: i32 = exp.parse().unwrap_or(0);
                    let mantissa = if alternate && p == 0 {
                        format!("{mantissa}.")
                    } else {
                        mantissa.to_string()
                    };
                    format!(
                        "{mantissa}e{}{:02}",
                        if exp < 0 { '-' } else { '+' },
                        exp.abs()
                    )
                }
                _ if alternate => {
                    return Err("the playground does not reproduce %#g".into());
                }
                _ => format_general(f, p.max(1)),
            };
            let (negative, body) = signed(text);
            (negative, if upper { body.to_uppercase() } else { body })
        }
        'c' => match (value.kind(), value.as_str()) {
            (ValueKind::String, Some(s)) if s.chars().count() == 1 => (false, s.to_string()),
            (ValueKind::Number, _) if value.is_integer() => {
                let code = value.as_i64().unwrap_or(-1);
                let c = u32::try_from(code)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or("%c arg not in range(0x110000)")?;
                (false, c.to_string())
            }
            _ => return Err("%c requires int or char".into()),
        },
        other => {
            return Err(format!(
                "unsupported format character '{other}' (0x{:x})",
                other as u32
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(template: &str, args: &[Value]) -> String {
        percent_format(template, args, &[]).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn writes_as_cpython_does() {
        assert_eq!(
            f("%s-%05.1f", &[Value::from("a"), Value::from(3.25159)]),
            "a-003.3"
        );
        assert_eq!(
            f(
                "%i|%d|%5d|%-5d|%+d",
                &[
                    Value::from(3.7),
                    Value::from(-3.7),
                    Value::from(42),
                    Value::from(42),
                    Value::from(1)
                ]
            ),
            "3|-3|   42|42   |+1"
        );
        assert_eq!(
            f("%r|%s", &[Value::from("a"), Value::from(true)]),
            "'a'|True"
        );
        assert_eq!(
            f(
                "%x|%#X|%o",
                &[Value::from(255), Value::from(255), Value::from(8)]
            ),
            "ff|0XFF|10"
        );
        assert_eq!(
            f(
                "%e|%.2E|%g|%g|%G",
                &[
                    Value::from(1234.5),
                    Value::from(0.00012),
                    Value::from(0.5),
                    Value::from(1e20),
                    Value::from(1e-10)
                ]
            ),
            "1.234500e+03|1.20E-04|0.5|1e+20|1E-10"
        );
        assert_eq!(
            f(
                "%.2s|%c|%c|%%",
                &[Value::from("abc"), Value::from(65), Value::from("z")]
            ),
            "ab|A|z|%"
        );
        assert_eq!(f("%*d", &[Value::from(4), Value::from(7)]), "   7");
        assert!(f("%d", &[Value::from("x")])
            .starts_with("ERR %d format: a real number is required, not str"));
        assert!(f("%s %s", &[Value::from(1)]).starts_with("ERR not enough arguments"));
        assert!(f("%s", &[Value::from(1), Value::from(2)])
            .starts_with("ERR not all arguments converted"));
        let named = percent_format(
            "%(a)s=%(b)03d",
            &[],
            &[("a".into(), Value::from("k")), ("b".into(), Value::from(7))],
        );
        assert_eq!(named.unwrap(), "k=007");
    }
}
