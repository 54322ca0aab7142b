//! Jinja2 built-in filters whose minijinja version differs from CPython Jinja2 3.1
//! (docs/proton-semantics.md §7.5), registered over the builtins: positional signatures and Python
//! printing.

use super::markup::like;
use super::pyjson::{dumps, JsonStyle};
use super::pyrepr::py_str;
use super::python_types::defined;
use super::undefined_error;
use minijinja::value::{Kwargs, Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};

/// Registers every override on `env`.
pub fn register(env: &mut Environment<'_>) {
    env.add_filter("truncate", truncate);
    env.add_filter("wordwrap", wordwrap);
    env.add_filter("center", center);
    env.add_filter("int", int);
    env.add_filter("float", float);
    env.add_filter("tojson", tojson);
    env.add_filter("string", |s: &State, v: &Value| Ok(like(v, text_of(s, v)?)));
    env.add_filter("lower", |s: &State, v: &Value| {
        Ok(like(v, text_of(s, v)?.to_lowercase()))
    });
    env.add_filter("upper", |s: &State, v: &Value| {
        Ok(like(v, text_of(s, v)?.to_uppercase()))
    });
    env.add_filter("join", join);
    env.add_filter("replace", replace);
    env.add_filter("pprint", |v: &Value| -> Result<String, Error> {
        super::pyrepr::pformat(v).map_err(arg_error)
    });
    // Jinja2 counts the runs of `\w` characters.
    env.add_filter("wordcount", |s: &State, v: &Value| {
        static WORD: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let word = WORD.get_or_init(|| regex::Regex::new(r"\w+").expect("a valid pattern"));
        Ok(word.find_iter(&text_of(s, v)?).count())
    });
    env.add_filter("indent", indent);
    env.add_filter("capitalize", |s: &State, v: &Value| {
        Ok(like(v, super::methods::python_capitalize(&text_of(s, v)?)))
    });
    env.add_filter("title", |s: &State, v: &Value| {
        Ok(jinja2_title(&text_of(s, v)?))
    });
    // Python bools are ints: `True | abs` is 1.
    env.add_filter("abs", |v: &Value| -> Result<Value, Error> {
        match v.kind() {
            ValueKind::Bool => Ok(Value::from(v.is_true() as i64)),
            ValueKind::Number if v.is_integer() => {
                Ok(Value::from(v.as_i64().map_or(0, i64::wrapping_abs)))
            }
            ValueKind::Number => Ok(Value::from(f64::try_from(v.clone())?.abs())),
            _ => Err(arg_error(format!(
                "bad operand type for abs(): '{}'",
                super::python_types::python_type(v)
            ))),
        }
    });
    env.add_filter("round", round);
    // `'%s-%d' | format(a, b)` is Python's `'%s-%d' % (a, b)` (or `% kwargs`).
    env.add_filter(
        "format",
        |s: &State, v: &Value, args: Rest<Value>, kwargs: Kwargs| -> Result<String, Error> {
            if v.is_safe() {
                return Err(arg_error(
                    "`format` of safe (Markup) text escapes its arguments in Jinja2: not reproduced; make it plain text first: `(value ~ '') | format(…)`",
                ));
            }
            let template = text_of(s, v)?;
            let named: Vec<(String, Value)> = kwargs
                .args()
                .map(|k| Ok((k.to_string(), kwargs.get::<Value>(k)?)))
                .collect::<Result<_, Error>>()?;
            if !args.is_empty() && !named.is_empty() {
                return Err(arg_error(
                    "can't handle positional and keyword arguments at the same time",
                ));
            }
            for arg in args.iter().chain(named.iter().map(|(_, v)| v)) {
                defined(s, arg)?;
            }
            super::printf::percent_format(&template, &args, &named).map_err(arg_error)
        },
    );
    env.add_filter("default", default);
    env.add_filter("d", default);
    env.add_filter("filesizeformat", filesizeformat);
    env.add_filter(
        "trim",
        |s: &State, v: &Value, args: Rest<Value>, kwargs: Kwargs| {
            if args.len() > 1 {
                return Err(arg_error("trim takes at most one argument (chars)"));
            }
            let chars = argument(&args, &kwargs, 0, "chars")?;
            kwargs.assert_all_used()?;
            let text = text_of(s, v)?;
            let chars = match chars {
                Some(c) if c.kind() == ValueKind::String => Some(py_str(&c)),
                Some(c) if c.is_none() => None,
                Some(_) => return Err(arg_error("strip arg must be None or str")),
                None => None,
            };
            let trimmed = match chars {
                Some(set) => text.trim_matches(|c| set.contains(c)).to_string(),
                None => text.trim().to_string(),
            };
            Ok(like(v, trimmed))
        },
    );
}

/// Jinja2's `title`: upper-case the first character after `-`, whitespace or an opening bracket.
fn jinja2_title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_start = true;
    for c in s.chars() {
        let separator = c == '-' || c.is_whitespace() || matches!(c, '(' | '{' | '[' | '<');
        if separator {
            out.push(c);
            at_start = true;
        } else if at_start {
            out.extend(c.to_uppercase());
            at_start = false;
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The string a string-only filter works on: Jinja2 raises a `TypeError` for other types.
fn string_arg(state: &State, value: &Value, filter: &str) -> Result<String, Error> {
    match value.kind() {
        ValueKind::String => Ok(value.as_str().unwrap_or_default().to_string()),
        ValueKind::Undefined => text_of(state, value),
        _ => Err(arg_error(format!(
            "{filter} expects a string, got {}",
            super::python_types::python_type(value)
        ))),
    }
}

/// `str(value)`; an undefined value fails in strict mode and is `""` otherwise.
fn text_of(state: &State, value: &Value) -> Result<String, Error> {
    defined(state, value)?;
    Ok(py_str(value))
}

fn arg_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

fn truthy(v: Option<&Value>) -> bool {
    v.is_some_and(Value::is_true)
}

fn usize_arg(v: Option<&Value>, name: &str, default: i64) -> Result<i64, Error> {
    match v {
        None => Ok(default),
        Some(v) if v.is_none() => Ok(default),
        Some(v) => v
            .as_i64()
            .ok_or_else(|| arg_error(format!("{name} must be an integer, got {}", py_str(v)))),
    }
}

/// Fails on a `none` given where Python needs a number (the engine would take the default).
fn not_none(v: &Option<Value>, what: &str) -> Result<(), Error> {
    if v.as_ref().is_some_and(Value::is_none) {
        return Err(arg_error(format!(
            "'NoneType' object cannot be interpreted as an integer ({what})"
        )));
    }
    Ok(())
}

/// Argument `i` of a filter that Jinja2 lets be given by position or by `name` (`none` given
/// is `Some(none)`).
fn argument(args: &[Value], kwargs: &Kwargs, i: usize, name: &str) -> Result<Option<Value>, Error> {
    Ok(match args.get(i) {
        Some(v) => Some(v.clone()),
        None if kwargs.has(name) => Some(kwargs.get::<Value>(name)?),
        None => None,
    })
}

/// `truncate(s, length=255, killwords=False, end='...', leeway=None)`; leeway `None` → 5.
fn truncate(
    state: &State,
    value: &Value,
    args: Rest<Value>,
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let get = |i: usize, name: &str| argument(&args, &kwargs, i, name);
    let length = get(0, "length")?;
    if length.as_ref().is_some_and(Value::is_none) {
        return Err(arg_error(
            "'>=' not supported between instances of 'NoneType' and 'int'",
        ));
    }
    // Python compares a float length; only cutting needs an integer.
    let length = match length {
        None => 255.0,
        Some(l) if l.is_number() || l.kind() == ValueKind::Bool => {
            f64::try_from(l.clone()).unwrap_or(if l.is_true() { 1.0 } else { 0.0 })
        }
        Some(l) => {
            return Err(arg_error(format!(
                "'>=' not supported between instances of '{}' and 'int'",
                super::python_types::python_type(&l)
            )))
        }
    };
    let killwords = truthy(get(1, "killwords")?.as_ref());
    let end = get(2, "end")?;
    if end.as_ref().is_some_and(|e| e.kind() != ValueKind::String) {
        return Err(arg_error(format!(
            "object of type '{}' has no len()",
            super::python_types::python_type(end.as_ref().unwrap_or(&Value::UNDEFINED))
        )));
    }
    let end = end.map(|v| py_str(&v)).unwrap_or_else(|| "...".into());
    let leeway = usize_arg(get(3, "leeway")?.as_ref(), "leeway", 5)?;
    kwargs.assert_all_used()?;
    let end_len = end.chars().count() as i64;
    let shown = |n: f64| py_str(&Value::from(n)).trim_end_matches(".0").to_string();
    // Jinja2 measures any sized value; a short list or dict comes back unchanged.
    if matches!(value.kind(), ValueKind::Seq | ValueKind::Map)
        && length >= end_len as f64
        && value.len().unwrap_or(0) as f64 <= length + leeway.max(0) as f64
    {
        return Ok(value.clone());
    }
    let s = string_arg(state, value, "truncate")?;
    if length < end_len as f64 {
        return Err(arg_error(format!(
            "expected length >= {end_len}, got {}",
            shown(length)
        )));
    }
    if leeway < 0 {
        return Err(arg_error(format!("expected leeway >= 0, got {leeway}")));
    }
    let chars: Vec<char> = s.chars().collect();
    if chars.len() as f64 <= length + leeway as f64 {
        return Ok(like(value, s));
    }
    // `Markup + end` escapes the end.
    let appended = if value.is_safe() {
        super::markup::escape_text(&end)
    } else {
        end.clone()
    };
    if length.fract() != 0.0 {
        return Err(arg_error(
            "slice indices must be integers or None or have an __index__ method",
        ));
    }
    let length = length as i64;
    let head: String = chars[..(length - end_len) as usize].iter().collect();
    if killwords {
        return Ok(like(value, head + &appended));
    }
    let kept = match head.rfind(' ') {
        Some(i) => &head[..i],
        None => &head,
    };
    Ok(like(value, format!("{kept}{appended}")))
}

/// `wordwrap(s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True)`:
/// each line wrapped like Python's `textwrap.wrap(expand_tabs=False, replace_whitespace=False)`.
fn wordwrap(
    state: &State,
    value: &Value,
    args: Rest<Value>,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let get = |i: usize, name: &str| argument(&args, &kwargs, i, name);
    let width = get(0, "width")?;
    let break_long = get(1, "break_long_words")?.is_none_or(|v| v.is_true());
    let wrapstring = get(2, "wrapstring")?.filter(|v| !v.is_none());
    if wrapstring
        .as_ref()
        .is_some_and(|w| w.kind() != ValueKind::String)
    {
        return Err(arg_error(format!(
            "'{}' object has no attribute 'join'",
            super::python_types::python_type(wrapstring.as_ref().unwrap_or(&Value::UNDEFINED))
        )));
    }
    let wrapstring = wrapstring
        .map(|v| py_str(&v))
        .unwrap_or_else(|| "\n".into());
    let hyphens = get(3, "break_on_hyphens")?.is_none_or(|v| v.is_true());
    kwargs.assert_all_used()?;
    // Jinja2 calls `s.splitlines()`: an undefined value fails even when lenient.
    if value.is_undefined() {
        return Err(undefined_error(value));
    }
    let s = string_arg(state, value, "wordwrap")?;
    // Python wraps each line: text without lines never reads the width.
    if super::methods::python_splitlines(&s).is_empty() {
        return Ok(String::new());
    }
    not_none(&width, "width")?;
    let width = usize_arg(width.as_ref(), "width", 79)?;
    if width <= 0 {
        return Err(arg_error(format!("invalid width {width} (must be > 0)")));
    }
    // Lines hold at most `width` characters when long words break: a lower bound of the
    // result's size, checked before splitting (millions of chunks take far more memory than
    // the text).
    if break_long {
        let visible = s.chars().filter(|c| !c.is_whitespace()).count();
        let least_lines = visible.div_ceil(width as usize);
        super::budget::check(
            visible
                + wrapstring
                    .len()
                    .saturating_mul(least_lines.saturating_sub(1)),
            "wordwrap",
        )?;
    }
    let paragraphs: Vec<Vec<String>> = super::methods::python_splitlines(&s)
        .iter()
        .map(|line| textwrap(line, width as usize, break_long, hyphens))
        .collect();
    let pieces = paragraphs.iter().map(|p| p.len().max(1)).sum::<usize>();
    let size = paragraphs.iter().flatten().map(String::len).sum::<usize>()
        + wrapstring.len().saturating_mul(pieces.saturating_sub(1));
    super::budget::check(size, "wordwrap")?;
    let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.join(&wrapstring)).collect();
    Ok(paragraphs.join(&wrapstring))
}

/// Splits text into Python `textwrap` chunks: runs of whitespace, em-dashes (`--` between words)
/// and words, split after hyphens between letters when `hyphens` (Python's `wordsep_re`).
fn chunks(text: &str, hyphens: bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let letter = |k: usize| chars.get(k).is_some_and(|c| c.is_alphabetic());
    let word_char = |k: usize| {
        chars
            .get(k)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
    };
    let word_punct =
        |k: usize| word_char(k) || chars.get(k).is_some_and(|c| "!\"'&.,?".contains(*c));
    // Length of an em-dash run at k (`-{2,}` followed by a word character), else 0.
    let em_dash = |k: usize| {
        let mut end = k;
        while chars.get(end) == Some(&'-') {
            end += 1;
        }
        if end - k >= 2 && word_char(end) {
            end - k
        } else {
            0
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let ws = chars[i].is_whitespace();
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() == ws {
            j += 1;
        }
        if ws || !hyphens {
            out.push(chars[i..j].iter().collect());
            i = j;
            continue;
        }
        let mut start = i;
        let mut k = i;
        while k < j {
            let dashes = if k > 0 && word_punct(k - 1) {
                em_dash(k)
            } else {
                0
            };
            if dashes > 0 {
                if k > start {
                    out.push(chars[start..k].iter().collect());
                }
                out.push(chars[k..k + dashes].iter().collect());
                k += dashes;
                start = k;
                continue;
            }
            let breakable = chars[k] == '-'
                && k > start
                && ((k >= 2 && letter(k - 1) && letter(k - 2))
                    || (k >= 3 && letter(k - 1) && chars[k - 2] == '-' && letter(k - 3)))
                && letter(k + 1)
                && (letter(k + 2) || (chars.get(k + 2) == Some(&'-') && letter(k + 3)));
            if breakable {
                out.push(chars[start..=k].iter().collect());
                start = k + 1;
            }
            k += 1;
        }
        if j > start {
            out.push(chars[start..j].iter().collect());
        }
        i = j;
    }
    out
}

/// Python `textwrap.TextWrapper._wrap_chunks` with `drop_whitespace=True`.
fn textwrap(text: &str, width: usize, break_long: bool, hyphens: bool) -> Vec<String> {
    // Chunks as character slices, so that breaking a long word takes a slice off it rather than
    // copying the rest: `wordwrap(1)` on a 200,000-character word stays linear.
    let owned: Vec<Vec<char>> = chunks(text, hyphens)
        .iter()
        .map(|c| c.chars().collect())
        .collect();
    let mut chunks: Vec<&[char]> = owned.iter().rev().map(Vec::as_slice).collect();
    let blank = |c: &[char]| c.iter().all(|ch| ch.is_whitespace());
    let mut lines: Vec<String> = Vec::new();
    while !chunks.is_empty() {
        let mut line: Vec<&[char]> = Vec::new();
        let mut cur = 0usize;
        if chunks.last().is_some_and(|c| blank(c)) && !lines.is_empty() {
            chunks.pop();
        }
        while let Some(chunk) = chunks.last() {
            if cur + chunk.len() <= width {
                cur += chunk.len();
                line.extend(chunks.pop());
            } else {
                break;
            }
        }
        if chunks.last().is_some_and(|c| c.len() > width) {
            // textwrap: what is left of the line, possibly nothing (the word then starts the next).
            let space_left = width.saturating_sub(cur);
            if break_long {
                let chars = chunks.pop().unwrap_or_default();
                let mut end = space_left.min(chars.len());
                if hyphens && chars.len() > space_left {
                    if let Some(h) = chars[..space_left].iter().rposition(|&c| c == '-') {
                        if h > 0 && chars[..h].iter().any(|&c| c != '-') {
                            end = h + 1;
                        }
                    }
                }
                line.push(&chars[..end]);
                chunks.push(&chars[end..]);
            } else if line.is_empty() {
                line.extend(chunks.pop());
            }
        }
        if line.last().is_some_and(|c| blank(c)) {
            line.pop();
        }
        if !line.is_empty() {
            lines.push(line.iter().flat_map(|c| c.iter()).collect());
        }
    }
    lines
}

/// `center(s, width=80)` as Python `str.center`.
fn center(state: &State, value: &Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let s = text_of(state, value)?;
    if args.len() > 1 {
        return Err(arg_error("center takes at most one argument"));
    }
    let width = argument(&args, &kwargs, 0, "width")?;
    kwargs.assert_all_used()?;
    not_none(&width, "width")?;
    let width = match width {
        Some(w) if w.is_integer() || w.kind() == ValueKind::Bool => w.as_i64().unwrap_or(0),
        Some(w) => {
            return Err(arg_error(format!(
                "'{}' object cannot be interpreted as an integer",
                super::python_types::python_type(&w)
            )))
        }
        None => 80,
    };
    super::budget::check_width(width.max(0) as usize, "center")?;
    let len = s.chars().count() as i64;
    let pad = width - len;
    if pad <= 0 {
        return Ok(like(value, s));
    }
    let left = pad / 2 + (pad & width & 1);
    Ok(like(
        value,
        format!(
            "{}{s}{}",
            " ".repeat(left as usize),
            " ".repeat((pad - left) as usize)
        ),
    ))
}

/// Python `int(s, base)` for strings: whitespace, sign, base prefixes, `_` between digits.
pub fn parse_python_int(s: &str, base: u32) -> Option<Result<i128, Error>> {
    let t = s.trim();
    let (neg, body) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = body.to_ascii_lowercase();
    let (base, digits) = match (base, lower.get(..2)) {
        (16 | 0, Some("0x")) => (16, &body[2..]),
        (8 | 0, Some("0o")) => (8, &body[2..]),
        (2 | 0, Some("0b")) => (2, &body[2..]),
        (0, _) => (10, body),
        (b, _) => (b, body),
    };
    let digits = digits
        .strip_prefix('_')
        .filter(|_| digits.len() != body.len())
        .unwrap_or(digits);
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let cleaned: String = digits.chars().filter(|&c| c != '_').collect();
    if !(2..=36).contains(&base) || cleaned.starts_with(['+', '-']) {
        return None;
    }
    if !cleaned.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    // Python's integers have no limit; past 128 bits the playground refuses, never rounds.
    Some(
        i128::from_str_radix(&cleaned, base)
            .map(|v| if neg { -v } else { v })
            .map_err(|_| {
                arg_error(format!(
                    "int of {s:?}: past 128 bits (Python's integers have no limit, the playground's have)"
                ))
            }),
    )
}

/// Python `float(s)` for strings.
pub fn parse_python_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let valid_underscores = t.char_indices().filter(|&(_, c)| c == '_').all(|(i, _)| {
        let before = t[..i].chars().next_back();
        let after = t[i + 1..].chars().next();
        before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit())
    });
    if !valid_underscores || t.is_empty() {
        return None;
    }
    let cleaned: String = t.chars().filter(|&c| c != '_').collect();
    let lower = cleaned.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if matches!(unsigned, "inf" | "infinity" | "nan") {
        return cleaned.parse().ok();
    }
    if !unsigned
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'))
    {
        return None;
    }
    cleaned.parse().ok()
}

/// `int(value, default=0, base=10)`.
fn int(state: &State, value: &Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    defined(state, value)?;
    // Jinja2's Undefined refuses `__int__` even when lenient.
    if value.is_undefined() {
        return Err(undefined_error(value));
    }
    // Positional `none` stays a value (an `Option<Value>` parameter would read it as absent).
    let default = argument(&args, &kwargs, 0, "default")?.unwrap_or(Value::from(0));
    let base = argument(&args, &kwargs, 1, "base")?;
    kwargs.assert_all_used()?;
    let base = base.and_then(|b| b.as_i64()).unwrap_or(10) as u32;
    Ok(match value.kind() {
        ValueKind::String => {
            let s = value.as_str().unwrap_or_default();
            if let Some(i) = parse_python_int(s, base) {
                let i = i?;
                i64::try_from(i).map_or_else(|_| Value::from(i), Value::from)
            } else if let Some(f) = parse_python_float(s).filter(|f| f.is_finite()) {
                float_to_int(f)
            } else {
                default
            }
        }
        ValueKind::Bool => Value::from(value.is_true() as i64),
        ValueKind::Number if value.is_integer() => value.clone(),
        ValueKind::Number => match f64::try_from(value.clone()) {
            Ok(f) if f.is_finite() => float_to_int(f),
            _ => default,
        },
        _ => default,
    })
}

/// Python `int(float)`: truncation, beyond i64 too (minijinja holds 128-bit integers).
fn float_to_int(f: f64) -> Value {
    let t = f.trunc();
    if t.abs() < 9.2e18 {
        Value::from(t as i64)
    } else {
        Value::from(t as i128)
    }
}

/// `default(default_value='', boolean=False)`: the default for an undefined value, or with
/// `boolean` for any false one.
fn default(value: &Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let default_value = argument(&args, &kwargs, 0, "default_value")?.unwrap_or(Value::from(""));
    let boolean = argument(&args, &kwargs, 1, "boolean")?.is_some_and(|b| b.is_true());
    kwargs.assert_all_used()?;
    Ok(if value.is_undefined() || (boolean && !value.is_true()) {
        default_value
    } else {
        value.clone()
    })
}

/// `filesizeformat(binary=False)`: `12.3 kB`, `1 Byte`, `5 Bytes`, `1.0 KiB`.
fn filesizeformat(
    state: &State,
    value: &Value,
    args: Rest<Value>,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let binary = argument(&args, &kwargs, 0, "binary")?;
    kwargs.assert_all_used()?;
    defined(state, value)?;
    let bytes = match value.kind() {
        ValueKind::String => {
            parse_python_float(value.as_str().unwrap_or_default()).ok_or_else(|| {
                arg_error(format!(
                    "could not convert string to float: {}",
                    super::pyrepr::py_repr(value)
                ))
            })?
        }
        ValueKind::Bool => value.is_true() as i64 as f64,
        ValueKind::Number => f64::try_from(value.clone())?,
        _ => {
            return Err(arg_error(format!(
                "float() argument must be a string or a real number, not '{}'",
                super::python_types::python_type(value)
            )))
        }
    };
    let binary = binary.is_some_and(|b| b.is_true());
    let base = if binary { 1024f64 } else { 1000f64 };
    let prefixes = if binary {
        ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
    } else {
        ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    };
    if bytes == 1.0 {
        return Ok("1 Byte".into());
    }
    if bytes < base {
        return Ok(format!("{} Bytes", bytes.trunc() as i64));
    }
    let mut unit = base;
    for prefix in prefixes {
        unit *= base;
        if bytes < unit {
            return Ok(format!("{:.1} {prefix}", base * bytes / unit));
        }
    }
    Ok(format!(
        "{:.1} {}",
        base * bytes / unit,
        prefixes[prefixes.len() - 1]
    ))
}

/// `round(precision=0, method='common')`: Python's `round` (an int stays an int), or
/// `math.ceil` / `math.floor` of the scaled value divided back, always a float.
fn round(
    state: &State,
    value: Value,
    precision: Option<i32>,
    method: Option<String>,
    kwargs: Kwargs,
) -> Result<Value, Error> {
    defined(state, &value)?;
    let precision = match precision {
        Some(p) => p,
        None => kwargs.get::<Option<i32>>("precision")?.unwrap_or(0),
    };
    let method = match method {
        Some(m) => m,
        None => kwargs
            .get::<Option<String>>("method")?
            .unwrap_or_else(|| "common".into()),
    };
    kwargs.assert_all_used()?;
    // Python bools are ints: `True | round` is 1.
    let value = match value.kind() {
        ValueKind::Bool => Value::from(value.is_true() as i64),
        _ => value,
    };
    match method.as_str() {
        "common" => minijinja::filters::round(
            value,
            Some(precision),
            Some("common"),
            Kwargs::from_iter(std::iter::empty::<(String, Value)>()),
        ),
        method @ ("ceil" | "floor") => {
            let number = match value.kind() {
                ValueKind::Number | ValueKind::Bool => f64::try_from(value)?,
                _ => {
                    return Err(arg_error(format!(
                        "must be real number, not {}",
                        super::python_types::python_type(&value)
                    )))
                }
            };
            let scale = 10f64.powi(precision);
            let scaled = number * scale;
            let rounded = if method == "ceil" {
                scaled.ceil()
            } else {
                scaled.floor()
            };
            Ok(Value::from(rounded / scale))
        }
        _ => Err(arg_error("method must be common, ceil or floor")),
    }
}

/// `float(value, default=0.0)`.
fn float(state: &State, value: &Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    defined(state, value)?;
    // Jinja2's Undefined refuses `__float__` even when lenient.
    if value.is_undefined() {
        return Err(undefined_error(value));
    }
    // `default=none` is a default too: read it as a value, not as an option.
    let default = argument(&args, &kwargs, 0, "default")?.unwrap_or(Value::from(0.0));
    kwargs.assert_all_used()?;
    Ok(match value.kind() {
        ValueKind::String => parse_python_float(value.as_str().unwrap_or_default())
            .map(Value::from)
            .unwrap_or(default),
        ValueKind::Bool => Value::from(if value.is_true() { 1.0 } else { 0.0 }),
        ValueKind::Number => f64::try_from(value.clone())
            .map(Value::from)
            .unwrap_or(default),
        _ => default,
    })
}

/// `tojson(indent=None)`: sorted keys, HTML-safe, safe string. Undefined always fails.
fn tojson(value: &Value, indent: Option<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let indent = match indent {
        Some(i) => Some(i),
        None => kwargs.get::<Option<Value>>("indent")?,
    };
    kwargs.assert_all_used()?;
    if value.is_undefined() {
        return Err(undefined_error(value));
    }
    if super::views::is_generator(value) {
        return Err(arg_error(
            "Object of type generator is not JSON serializable",
        ));
    }
    // Python's json.dumps: an int (a bool counts as one) is that many spaces, negative being 0;
    // a string is the indent itself. A string value is encoded before the indent is read.
    let unit = match indent.as_ref() {
        None => None,
        Some(_) if value.kind() == ValueKind::String => None,
        Some(i) if i.is_none() => None,
        Some(i) if i.kind() == ValueKind::Bool => Some(" ".repeat(i.is_true() as usize)),
        Some(i) if i.is_integer() => {
            let n = i.as_i64().unwrap_or(0).max(0) as usize;
            super::budget::check_width(n, "tojson")?;
            Some(" ".repeat(n))
        }
        Some(i) => match i.as_str() {
            Some(text) => Some(text.to_string()),
            None => {
                return Err(arg_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    super::python_types::python_type(i)
                )))
            }
        },
    };
    let style = JsonStyle {
        sort_keys: true,
        indent: unit.as_deref(),
        html_safe: true,
    };
    Ok(Value::from_safe_string(dumps(value, style)?))
}

/// `join(d='', attribute=None)` with Python `str()` of each item.
fn join(state: &State, value: &Value, args: Rest<Value>, kwargs: Kwargs) -> Result<String, Error> {
    // `none` as the separator joins with 'None', as Python's str(None).
    let sep = argument(&args, &kwargs, 0, "d")?;
    let attribute = argument(&args, &kwargs, 1, "attribute")?.filter(|a| !a.is_none());
    kwargs.assert_all_used()?;
    if value.is_undefined() {
        return if super::python_types::raises(state, value) {
            Err(undefined_error(value))
        } else {
            Ok(String::new())
        };
    }
    super::python_types::iterable(state, value)?;
    let sep = sep.map(|s| py_str(&s)).unwrap_or_default();
    if let Some(s) = value.as_str().filter(|_| attribute.is_none()) {
        let chars = s.chars().count();
        super::budget::check(s.len() + sep.len() * chars.saturating_sub(1), "join")?;
        return Ok(s.chars().map(String::from).collect::<Vec<_>>().join(&sep));
    }
    let mut parts = Vec::new();
    let mut size = 0usize;
    for item in value.try_iter()? {
        let item = match &attribute {
            // A missing attribute is Jinja2's undefined: strict fails on it.
            Some(attr) => {
                let found = item.get_item(attr).unwrap_or_default();
                defined(state, &found)?;
                found
            }
            None => item,
        };
        let part = py_str(&item);
        size = size
            .saturating_add(part.len())
            .saturating_add(if parts.is_empty() { 0 } else { sep.len() });
        super::budget::check(size, "join")?;
        parts.push(part);
    }
    Ok(parts.join(&sep))
}

/// `replace(s, old, new, count=None)`: Python's `str(s).replace(str(old), str(new), count)`.
fn replace(
    state: &State,
    value: &Value,
    args: Rest<Value>,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let get = |i: usize, name: &str| argument(&args, &kwargs, i, name);
    let (Some(old), Some(new)) = (get(0, "old")?, get(1, "new")?) else {
        return Err(arg_error("replace() needs old and new"));
    };
    let count = get(2, "count")?;
    kwargs.assert_all_used()?;
    let count = match count.filter(|c| !c.is_none()) {
        None => None,
        Some(c) => match i64::try_from(c.clone()) {
            Ok(n) => usize::try_from(n).ok(),
            Err(_) => {
                return Err(arg_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    super::python_types::python_type(&c)
                )))
            }
        },
    };
    let s = text_of(state, value)?;
    super::methods::python_replace(&s, &text_of(state, &old)?, &text_of(state, &new)?, count)
}

/// `indent(width=4, first=False, blank=False)`.
fn indent(state: &State, value: &Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    // Jinja2 appends a newline to the value: an undefined one fails even when lenient.
    if value.is_undefined() {
        return Err(undefined_error(value));
    }
    let get = |i: usize, name: &str| argument(&args, &kwargs, i, name);
    let width = get(0, "width")?;
    let first = truthy(get(1, "first")?.as_ref());
    let blank = truthy(get(2, "blank")?.as_ref());
    kwargs.assert_all_used()?;
    let prefix = match width {
        None => "    ".to_string(),
        Some(w) if w.kind() == ValueKind::String => py_str(&w),
        Some(w) if !(w.is_integer() || w.kind() == ValueKind::Bool) => {
            return Err(arg_error(format!(
                "can't multiply sequence by non-int of type '{}'",
                super::python_types::python_type(&w)
            )))
        }
        Some(w) => {
            let width = w.as_usize().unwrap_or(0);
            super::budget::check_width(width, "indent")?;
            " ".repeat(width)
        }
    };
    let s = string_arg(state, value, "indent")?;
    let lines = s.matches('\n').count() + 1;
    super::budget::check(
        s.len()
            .saturating_add(prefix.len().saturating_mul(lines + 1)),
        "indent",
    )?;
    let newline = "\n";
    // Jinja2 appends a newline and splits with Python's `splitlines` (`\r\n`, `\r` and the other
    // line boundaries too), then joins with `\n`.
    let lines = super::methods::python_splitlines(&format!("{s}{newline}"));
    let mut rv: String;
    if blank {
        rv = lines.join(&format!("{newline}{prefix}"));
    } else {
        rv = lines[0].to_string();
        for line in &lines[1..] {
            rv.push_str(newline);
            if !line.is_empty() {
                rv.push_str(&prefix);
            }
            rv.push_str(line);
        }
    }
    if first {
        rv = format!("{prefix}{rv}");
    }
    Ok(like(value, rv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int_parsing() {
        let int = |s: &str, base: u32| parse_python_int(s, base).map(|r| r.ok());
        assert_eq!(int(" 42 ", 10), Some(Some(42)));
        assert_eq!(int("1_000", 10), Some(Some(1000)));
        assert_eq!(int("1F", 16), Some(Some(31)));
        assert_eq!(int("0x1F", 16), Some(Some(31)));
        assert_eq!(int("_1", 10), None);
        assert_eq!(int("1__0", 10), None);
        assert_eq!(int("3.7", 10), None);
        assert_eq!(
            int("12345678901234567890", 10),
            Some(Some(12345678901234567890))
        );
        assert_eq!(int("9".repeat(40).as_str(), 10), Some(None));
        assert_eq!(parse_python_float("3.7"), Some(3.7));
        assert_eq!(parse_python_float("x"), None);
        assert_eq!(parse_python_float("1_0.5"), Some(10.5));
    }

    #[test]
    fn textwrap_like_python() {
        assert_eq!(
            textwrap("hello world foo bar", 11, true, true),
            ["hello world", "foo bar"]
        );
        assert_eq!(
            textwrap("aaaaaaaaaaaa bb", 5, false, true),
            ["aaaaaaaaaaaa", "bb"]
        );
        assert_eq!(
            textwrap("aaaaaaaaaaaa bb", 5, true, true),
            ["aaaaa", "aaaaa", "aa bb"]
        );
        assert_eq!(
            textwrap("well-known fact", 6, true, true),
            ["well-", "known", "fact"]
        );
    }
}
