//! Python methods on strings, dicts and lists that real templates call (docs/proton-semantics.md
//! §7.6), through minijinja's unknown-method callback. Mutating list/dict methods get a located
//! error with the portable rewrite instead (minijinja values are immutable).

use super::budget;
use super::pyrepr::{fixed, py_repr, py_str, scientific};
use super::python_types::python_type;
use super::views::dict_view;
use minijinja::value::{Tuple, Value, ValueKind};
use minijinja::{Error, ErrorKind, State};

/// Hint attached to the error of a mutating method such as `list.append`.
pub const MUTATION_HINT: &str = "build lists with `+` instead: {% set items = items + [item] %} (dicts: {% set d = dict(d, key=value) %})";

pub fn call(
    state: &mut State,
    value: &Value,
    method: &str,
    args: &[Value],
) -> Result<Value, Error> {
    let (args, kwargs) = split_kwargs(args);
    // A Python method given a StrictUndefined formats, hashes or compares it: each raises.
    for arg in args.iter().chain(kwargs.iter().map(|(_, v)| v)) {
        super::python_types::defined(state, arg)?;
    }
    check_arguments(value, method, &args)?;
    match value.kind() {
        ValueKind::String if value.is_safe() => markup_method(value, method, &args, &kwargs),
        ValueKind::String => {
            string_method(value.as_str().unwrap_or_default(), method, &args, &kwargs)
        }
        ValueKind::Map => dict_method(value, method, &args),
        ValueKind::Seq => list_method(value, method, &args),
        _ => Err(no_attribute(value, method)),
    }
}

/// markupsafe's `Markup` methods (what `tojson`, `safe` and `e` return): text methods return
/// `Markup`, escaping the text they insert (`replace`'s new text, a fill character, `join`'s
/// items); the splitting ones return lists of `Markup`. `format` escapes its arguments through
/// a formatter of its own: refused with the rewrite.
fn markup_method(
    value: &Value,
    method: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Result<Value, Error> {
    let s = value.as_str().unwrap_or_default();
    let escape = |v: &Value| match v.kind() {
        ValueKind::String if !v.is_safe() => {
            Value::from(super::markup::escape_text(v.as_str().unwrap_or_default()))
        }
        _ => v.clone(),
    };
    let markup = |v: Value| match v.as_str() {
        Some(text) if v.kind() == ValueKind::String => Value::from_safe_string(text.to_string()),
        _ => v,
    };
    match method {
        "format" | "format_map" => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "`.{method}` of safe (Markup) text escapes its arguments in Jinja2: not reproduced; make it plain text first: `(value ~ '').{method}(…)`"
            ),
        )),
        "capitalize" | "title" | "lower" | "upper" | "replace" | "ljust" | "rjust" | "lstrip"
        | "rstrip" | "center" | "strip" | "translate" | "expandtabs" | "swapcase" | "zfill"
        | "casefold" | "removeprefix" | "removesuffix" | "join" => {
            let mut args = args.to_vec();
            let mut kwargs = kwargs.to_vec();
            let inserted = match method {
                "replace" | "ljust" | "rjust" | "center" => Some((1, "fillchar")),
                _ => None,
            };
            if let Some((i, name)) = inserted {
                if let Some(arg) = args.get_mut(i) {
                    *arg = escape(arg);
                }
                for (k, v) in &mut kwargs {
                    if k == name {
                        *v = escape(v);
                    }
                }
                // An escaped fill character is no longer one character.
                let fill = args
                    .get(1)
                    .or(kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v));
                if method != "replace" && fill.is_some_and(|f| py_str(f).chars().count() != 1) {
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        "The fill character must be exactly one character long",
                    ));
                }
            }
            if method == "join" {
                if let Some(items) = args.first_mut() {
                    // Each item is escaped, whatever its type (`escape(1)` is '1').
                    let escaped: Vec<Value> = items
                        .try_iter()?
                        .map(|item| match item.kind() {
                            ValueKind::String => escape(&item),
                            _ => Value::from(super::markup::escape_text(&py_str(&item))),
                        })
                        .collect();
                    *items = Value::from(escaped);
                }
            }
            string_method(s, method, &args, &kwargs).map(markup)
        }
        "split" | "rsplit" | "splitlines" | "partition" | "rpartition" => {
            let parts = string_method(s, method, args, kwargs)?;
            let items: Vec<Value> = parts.try_iter()?.map(markup).collect();
            Ok(if parts.is_tuple() {
                Value::from(Tuple::from(items))
            } else {
                Value::from(items)
            })
        }
        _ => string_method(s, method, args, kwargs),
    }
}

/// How many positional arguments a Python method takes, and of which types: Python refuses
/// the others (`'a'.title(2)`, `'a'.count(None)`), where the engine would ignore them.
fn check_arguments(value: &Value, method: &str, args: &[Value]) -> Result<(), Error> {
    use ValueKind::{Map, Seq, String as Str};
    let (least, most) = match (value.kind(), method) {
        (
            Str,
            "capitalize" | "casefold" | "isalnum" | "isalpha" | "isascii" | "isdecimal" | "isdigit"
            | "isidentifier" | "islower" | "isnumeric" | "isprintable" | "isspace" | "istitle"
            | "isupper" | "lower" | "swapcase" | "title" | "upper",
        )
        | (Map, "items" | "keys" | "values" | "copy")
        | (Seq, "copy") => (0, 0),
        (Str, "strip" | "lstrip" | "rstrip" | "splitlines" | "expandtabs") => (0, 1),
        (Str, "split" | "rsplit") => (0, 2),
        (Str, "startswith" | "endswith" | "find" | "rfind" | "index" | "rindex" | "count") => {
            (1, 3)
        }
        (Str, "replace") => (2, 3),
        (Str, "center" | "ljust" | "rjust") => (1, 2),
        (
            Str,
            "join" | "zfill" | "partition" | "rpartition" | "removeprefix" | "removesuffix"
            | "translate",
        )
        | (Seq, "count") => (1, 1),
        (Map, "get")
            if args
                .first()
                .is_some_and(|k| !super::python_types::hashable(k)) =>
        {
            return Err(bad_args(
                method,
                &format!("unhashable type: '{}'", python_type(&args[0])),
            ))
        }
        (Map, "get") => (1, 2),
        (Seq, "index") => (1, 3),
        _ => return Ok(()),
    };
    let given = args.len();
    if given < least || given > most {
        let takes = match (least, most) {
            (0, 0) => "takes no arguments".to_string(),
            (l, m) if l == m => format!(
                "takes exactly {l} argument{}",
                if l == 1 { "" } else { "s" }
            ),
            (l, _) if given < l => format!(
                "takes at least {l} argument{}",
                if l == 1 { "" } else { "s" }
            ),
            (_, m) => format!(
                "takes at most {m} argument{}",
                if m == 1 { "" } else { "s" }
            ),
        };
        return Err(bad_args(method, &format!("{takes} ({given} given)")));
    }
    if value.kind() != Str {
        return Ok(());
    }
    let text_or_none = |v: &Value| matches!(v.kind(), Str | ValueKind::None);
    let int_or_none =
        |v: &Value| v.is_integer() || matches!(v.kind(), ValueKind::None | ValueKind::Bool);
    let must = |ok: bool, what: &str, v: &Value| {
        if ok {
            Ok(())
        } else {
            Err(bad_args(
                method,
                &format!("must be {what}, not {}", python_type(v)),
            ))
        }
    };
    for (i, arg) in args.iter().enumerate() {
        match (method, i) {
            ("strip" | "lstrip" | "rstrip" | "split" | "rsplit", 0) => {
                must(text_or_none(arg), "str or None", arg)?
            }
            ("startswith" | "endswith", 0) => must(
                arg.kind() == Str || arg.is_tuple(),
                "str or a tuple of str",
                arg,
            )?,
            (
                "find" | "rfind" | "index" | "rindex" | "count" | "partition" | "rpartition"
                | "removeprefix" | "removesuffix" | "replace",
                0,
            )
            | ("replace", 1) => must(arg.kind() == Str, "str", arg)?,
            ("startswith" | "endswith" | "find" | "rfind" | "index" | "rindex" | "count", _)
            | ("split" | "rsplit", 1)
            | ("replace", 2) => must(int_or_none(arg), "an integer or None", arg)?,
            ("expandtabs" | "splitlines", 0) => must(
                arg.is_integer() || arg.kind() == ValueKind::Bool,
                "an integer",
                arg,
            )?,
            ("center" | "ljust" | "rjust" | "zfill", 0) => must(
                arg.is_integer() || arg.kind() == ValueKind::Bool,
                "an integer",
                arg,
            )?,
            ("center" | "ljust" | "rjust", 1) => must(
                arg.as_str().is_some_and(|s| s.chars().count() == 1),
                "a single character",
                arg,
            )?,
            _ => {}
        }
    }
    Ok(())
}

fn split_kwargs(args: &[Value]) -> (Vec<Value>, Vec<(String, Value)>) {
    match args.last() {
        Some(last) if last.is_kwargs() => {
            let kwargs = last
                .try_iter()
                .map(|keys| {
                    keys.map(|k| {
                        let v = last.get_item(&k).unwrap_or_default();
                        (py_str(&k), v)
                    })
                    .collect()
                })
                .unwrap_or_default();
            (args[..args.len() - 1].to_vec(), kwargs)
        }
        _ => (args.to_vec(), Vec::new()),
    }
}

fn no_attribute(value: &Value, method: &str) -> Error {
    Error::new(
        ErrorKind::UnknownMethod,
        format!(
            "'{} object' has no attribute '{method}'",
            python_type(value)
        ),
    )
}

fn bad_args(method: &str, detail: &str) -> Error {
    Error::new(ErrorKind::InvalidOperation, format!("{method}(): {detail}"))
}

fn arg_str(args: &[Value], i: usize, method: &str) -> Result<Option<String>, Error> {
    match args.get(i) {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.as_str() {
            Some(s) => Ok(Some(s.to_string())),
            None => Err(bad_args(
                method,
                &format!("argument must be str, not {}", python_type(v)),
            )),
        },
    }
}

/// `s[start:end]` for the optional `start` and `end` arguments at `args[from]` and after (in
/// characters, negative from the end, None for the default), with its first character's index;
/// `None` when `start` is past the end (Python then finds nothing, not even '').
fn window<'a>(s: &'a str, args: &[Value], from: usize) -> Option<(usize, &'a str)> {
    let len = s.chars().count() as i64;
    let bound = |i: usize, default: i64| {
        let b = match args.get(i) {
            Some(v) if v.kind() == ValueKind::Bool => v.is_true() as i64,
            Some(v) => v.as_i64().unwrap_or(default),
            None => default,
        };
        if b < 0 {
            (len + b).max(0)
        } else {
            b
        }
    };
    let (start, end) = (bound(from, 0), bound(from + 1, len).min(len));
    if start > len || start > end {
        return None;
    }
    let byte = |i: i64| s.char_indices().nth(i as usize).map_or(s.len(), |(b, _)| b);
    Some((start as usize, &s[byte(start)..byte(end)]))
}

/// An integer argument (a boolean is 0 or 1, as in Python).
fn arg_int(args: &[Value], i: usize, default: i64) -> i64 {
    args.get(i)
        .and_then(|v| match v.kind() {
            ValueKind::Bool => Some(v.is_true() as i64),
            _ => v.as_i64(),
        })
        .unwrap_or(default)
}

fn list_of(items: Vec<String>) -> Value {
    Value::from(items.into_iter().map(Value::from).collect::<Vec<_>>())
}

fn string_method(
    s: &str,
    method: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Result<Value, Error> {
    let kw = |name: &str| {
        kwargs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    Ok(match method {
        "split" | "rsplit" => {
            let sep = match kw("sep") {
                Some(v) if !v.is_none() => Some(py_str(&v)),
                _ => arg_str(args, 0, method)?,
            };
            let maxsplit = kw("maxsplit")
                .and_then(|v| v.as_i64())
                .unwrap_or(arg_int(args, 1, -1));
            list_of(
                python_split(s, sep.as_deref(), maxsplit, method == "rsplit")
                    .map_err(|e| bad_args(method, e))?,
            )
        }
        "strip" | "lstrip" | "rstrip" => {
            let chars = arg_str(args, 0, method)?;
            let is_strip = |c: char| match &chars {
                Some(set) => set.contains(c),
                None => c.is_whitespace(),
            };
            Value::from(match method {
                "strip" => s.trim_matches(is_strip),
                "lstrip" => s.trim_start_matches(is_strip),
                _ => s.trim_end_matches(is_strip),
            })
        }
        "upper" => Value::from(s.to_uppercase()),
        "lower" | "casefold" => Value::from(s.to_lowercase()),
        "swapcase" => Value::from(
            s.chars()
                .map(|c| {
                    if c.is_uppercase() {
                        c.to_lowercase().collect::<String>()
                    } else {
                        c.to_uppercase().collect()
                    }
                })
                .collect::<String>(),
        ),
        "title" => Value::from(python_title(s)),
        "capitalize" => Value::from(python_capitalize(s)),
        "replace" => {
            let old = arg_str(args, 0, method)?
                .ok_or_else(|| bad_args(method, "expected 2 arguments"))?;
            let new = arg_str(args, 1, method)?
                .ok_or_else(|| bad_args(method, "expected 2 arguments"))?;
            let count = arg_int(args, 2, -1);
            Value::from(python_replace(s, &old, &new, usize::try_from(count).ok())?)
        }
        "startswith" | "endswith" => {
            let candidates: Vec<String> = match args.first() {
                Some(v) if v.kind() == ValueKind::Seq => {
                    v.try_iter()?.map(|x| py_str(&x)).collect()
                }
                Some(v) if v.kind() == ValueKind::String => vec![py_str(v)],
                _ => return Err(bad_args(method, "expected a str or a tuple of str")),
            };
            // `startswith(prefix, start, end)` looks at `s[start:end]` (in characters).
            let Some((_, window)) = window(s, args, 1) else {
                return Ok(Value::from(false));
            };
            Value::from(candidates.iter().any(|c| {
                if method == "startswith" {
                    window.starts_with(c.as_str())
                } else {
                    window.ends_with(c.as_str())
                }
            }))
        }
        "removeprefix" => Value::from(
            s.strip_prefix(arg_str(args, 0, method)?.unwrap_or_default().as_str())
                .unwrap_or(s),
        ),
        "removesuffix" => Value::from(
            s.strip_suffix(arg_str(args, 0, method)?.unwrap_or_default().as_str())
                .unwrap_or(s),
        ),
        "count" => {
            let sub = arg_str(args, 0, method)?.unwrap_or_default();
            Value::from(match window(s, args, 1) {
                None => 0,
                Some((_, w)) if sub.is_empty() => w.chars().count() + 1,
                Some((_, w)) => w.matches(sub.as_str()).count(),
            })
        }
        "find" | "rfind" | "index" | "rindex" => {
            let sub = arg_str(args, 0, method)?.unwrap_or_default();
            let found = window(s, args, 1).and_then(|(start, w)| {
                let byte = if method.starts_with('r') {
                    w.rfind(&sub)
                } else {
                    w.find(&sub)
                };
                byte.map(|b| start + w[..b].chars().count())
            });
            match found {
                Some(index) => Value::from(index),
                None if method.ends_with("find") => Value::from(-1),
                None => return Err(bad_args(method, "substring not found")),
            }
        }
        "join" => {
            let items = args
                .first()
                .ok_or_else(|| bad_args(method, "expected an iterable"))?;
            if !matches!(
                items.kind(),
                ValueKind::Seq | ValueKind::Map | ValueKind::String | ValueKind::Iterable
            ) {
                return Err(bad_args(
                    method,
                    &format!("can only join an iterable, not {}", python_type(items)),
                ));
            }
            let mut parts = Vec::new();
            let mut size = 0usize;
            for (i, item) in items.try_iter()?.enumerate() {
                match item.as_str() {
                    Some(text) => {
                        size = size.saturating_add(text.len()).saturating_add(if i > 0 {
                            s.len()
                        } else {
                            0
                        });
                        super::budget::check(size, "str.join")?;
                        parts.push(text.to_string());
                    }
                    None => {
                        let found = python_type(&item);
                        return Err(bad_args(
                            method,
                            &format!("sequence item {i}: expected str instance, {found} found"),
                        ));
                    }
                }
            }
            Value::from(parts.join(s))
        }
        "format" => Value::from(python_format(s, args, kwargs)?),
        "splitlines" if args.first().is_some_and(Value::is_true) => {
            list_of(python_splitlines_keeping_ends(s))
        }
        "splitlines" => list_of(python_splitlines(s)),
        "translate" => translate(s, &args[0])?,
        "zfill" => {
            let width = arg_int(args, 0, 0).max(0) as usize;
            super::budget::check_width(width, "zfill")?;
            let len = s.chars().count();
            if len >= width {
                Value::from(s)
            } else {
                let (sign, rest) = match s.chars().next() {
                    Some(c @ ('+' | '-')) => (c.to_string(), &s[1..]),
                    _ => (String::new(), s),
                };
                Value::from(format!("{sign}{}{rest}", "0".repeat(width - len)))
            }
        }
        "ljust" | "rjust" => {
            let width = arg_int(args, 0, 0).max(0) as usize;
            super::budget::check_width(width, method)?;
            let fill = arg_str(args, 1, method)?
                .and_then(|f| f.chars().next())
                .unwrap_or(' ');
            let len = s.chars().count();
            let pad: String = std::iter::repeat_n(fill, width.saturating_sub(len)).collect();
            Value::from(if method == "ljust" {
                format!("{s}{pad}")
            } else {
                format!("{pad}{s}")
            })
        }
        "center" => {
            let width = arg_int(args, 0, 0).max(0) as usize;
            super::budget::check_width(width, "center")?;
            let fill = arg_str(args, 1, method)?
                .and_then(|f| f.chars().next())
                .unwrap_or(' ');
            let len = s.chars().count();
            let margin = width.saturating_sub(len);
            // CPython: the odd space goes left when the width is odd.
            let left = margin / 2 + (margin & width & 1);
            let pad = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
            Value::from(format!("{}{s}{}", pad(left), pad(margin - left)))
        }
        "expandtabs" => {
            let size = arg_int(args, 0, 8).max(0) as usize;
            super::budget::check_width(size, "expandtabs")?;
            let mut out = String::new();
            let mut column = 0usize;
            for c in s.chars() {
                match c {
                    '\t' => {
                        let spaces = if size == 0 { 0 } else { size - column % size };
                        super::budget::check(out.len().saturating_add(spaces), "expandtabs")?;
                        out.extend(std::iter::repeat_n(' ', spaces));
                        column += spaces;
                    }
                    '\n' | '\r' => {
                        out.push(c);
                        column = 0;
                    }
                    c => {
                        out.push(c);
                        column += 1;
                    }
                }
            }
            Value::from(out)
        }
        "istitle" => {
            let (mut cased, mut previous_cased, mut title) = (false, false, true);
            for c in s.chars() {
                if c.is_uppercase() {
                    title &= !previous_cased;
                    previous_cased = true;
                    cased = true;
                } else if c.is_lowercase() {
                    title &= previous_cased;
                    previous_cased = true;
                    cased = true;
                } else {
                    previous_cased = false;
                }
            }
            Value::from(cased && title)
        }
        "isidentifier" => {
            let mut chars = s.chars();
            Value::from(
                chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                    && chars.all(|c| c.is_alphanumeric() || c == '_'),
            )
        }
        "isdigit" | "isnumeric" | "isdecimal" => {
            Value::from(!s.is_empty() && s.chars().all(|c| c.is_numeric()))
        }
        "isalpha" => Value::from(!s.is_empty() && s.chars().all(char::is_alphabetic)),
        "isalnum" => Value::from(!s.is_empty() && s.chars().all(char::is_alphanumeric)),
        "isspace" => Value::from(!s.is_empty() && s.chars().all(char::is_whitespace)),
        "isascii" => Value::from(s.is_ascii()),
        "islower" => {
            Value::from(s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase))
        }
        "isupper" => {
            Value::from(s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase))
        }
        "partition" | "rpartition" => {
            let sep = arg_str(args, 0, method)?.unwrap_or_default();
            if sep.is_empty() {
                return Err(bad_args(method, "empty separator"));
            }
            let found = if method == "partition" {
                s.find(&sep)
            } else {
                s.rfind(&sep)
            };
            let parts = match found {
                Some(i) => [&s[..i], sep.as_str(), &s[i + sep.len()..]],
                None if method == "partition" => [s, "", ""],
                None => ["", "", s],
            };
            Value::from(Tuple::from(parts.map(Value::from)))
        }
        _ => return Err(no_attribute(&Value::from(s), method)),
    })
}

/// Python `str.split` / `str.rsplit`.
pub fn python_split(
    s: &str,
    sep: Option<&str>,
    maxsplit: i64,
    from_right: bool,
) -> Result<Vec<String>, &'static str> {
    let limit = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    match sep {
        Some("") => Err("empty separator"),
        Some(sep) => {
            let parts: Vec<String> = if from_right {
                let mut v: Vec<String> = s
                    .rsplitn(limit.saturating_add(1), sep)
                    .map(String::from)
                    .collect();
                v.reverse();
                v
            } else {
                s.splitn(limit.saturating_add(1), sep)
                    .map(String::from)
                    .collect()
            };
            Ok(parts)
        }
        None => {
            // Whitespace split: runs of whitespace separate, leading/trailing ignored.
            let words: Vec<&str> = s.split_whitespace().collect();
            if words.len() <= limit.saturating_add(1) {
                return Ok(words.into_iter().map(String::from).collect());
            }
            if from_right {
                let mut rest = s.trim_end();
                let mut tail = Vec::new();
                for _ in 0..limit {
                    let idx = rest.rfind(char::is_whitespace).unwrap_or(0);
                    tail.push(rest[idx..].trim_start().to_string());
                    rest = rest[..idx].trim_end();
                }
                tail.push(rest.to_string());
                tail.reverse();
                Ok(tail)
            } else {
                let mut rest = s.trim_start();
                let mut head = Vec::new();
                for _ in 0..limit {
                    let idx = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    head.push(rest[..idx].to_string());
                    rest = rest[idx..].trim_start();
                }
                head.push(rest.to_string());
                Ok(head)
            }
        }
    }
}

/// Python `str.title`: title-case a letter that follows a non-letter, lower-case the others.
fn python_title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.push_str(&titlecase(c));
        }
        prev_cased = c.is_alphabetic();
    }
    out
}

/// Python `str.capitalize`: the first character title-cased, the rest lower-cased.
pub(super) fn python_capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => titlecase(first) + &chars.as_str().to_lowercase(),
        None => String::new(),
    }
}

/// Unicode's titlecase of a character, which Python's `title` and `capitalize` use: the upper
/// case, except for the digraphs (ǆ → ǅ), the Greek letters with a subscript iota (ᾀ → ᾈ) and
/// Georgian (whose letters title-case to themselves).
fn titlecase(c: char) -> String {
    let code = c as u32;
    let titled = match code {
        0x01C4..=0x01C6 => Some(0x01C5),
        0x01C7..=0x01C9 => Some(0x01C8),
        0x01CA..=0x01CC => Some(0x01CB),
        0x01F1..=0x01F3 => Some(0x01F2),
        0x1F80..=0x1FAF => Some(code | 0x8),
        0x1FB3 | 0x1FBC => Some(0x1FBC),
        0x1FC3 | 0x1FCC => Some(0x1FCC),
        0x1FF3 | 0x1FFC => Some(0x1FFC),
        0x10D0..=0x10FA | 0x10FD..=0x10FF => Some(code),
        _ => None,
    };
    match titled.and_then(char::from_u32) {
        Some(t) => t.to_string(),
        None => c.to_uppercase().collect(),
    }
}

/// Python `str.format` for `{}`, `{0}`, `{name}`, `!r`/`!s` and the common format specs.
fn python_format(
    template: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Result<String, Error> {
    let err = |m: &str| Error::new(ErrorKind::InvalidOperation, format!("format(): {m}"));
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    let mut auto = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => field.push(c),
                        None => return Err(err("single '{' encountered in format string")),
                    }
                }
                let (name_conv, spec) = field.split_once(':').unwrap_or((&field, ""));
                let (name, conv) = name_conv.split_once('!').unwrap_or((name_conv, ""));
                // `0[1].key`: the argument, then each `[index]` / `.attribute` of it.
                let split = name.find(['[', '.']).unwrap_or(name.len());
                let (base, mut path) = name.split_at(split);
                let value = if base.is_empty() {
                    auto += 1;
                    args.get(auto - 1).cloned()
                } else if let Ok(i) = base.parse::<usize>() {
                    args.get(i).cloned()
                } else {
                    kwargs
                        .iter()
                        .find(|(k, _)| k == base)
                        .map(|(_, v)| v.clone())
                }
                .ok_or_else(|| err(&format!("replacement index {base:?} out of range")))?;
                let mut value = value;
                while !path.is_empty() {
                    let (key, rest) = if let Some(inner) = path.strip_prefix('[') {
                        let end = inner
                            .find(']')
                            .ok_or_else(|| err("expected '}' before end of string"))?;
                        let key = &inner[..end];
                        let key = key
                            .parse::<i64>()
                            .map(Value::from)
                            .unwrap_or_else(|_| Value::from(key));
                        (key, &inner[end + 1..])
                    } else {
                        let inner = &path[1..];
                        let end = inner.find(['[', '.']).unwrap_or(inner.len());
                        (Value::from(&inner[..end]), &inner[end..])
                    };
                    value = value
                        .get_item(&key)
                        .ok()
                        .filter(|v| !v.is_undefined())
                        .ok_or_else(|| {
                            err(&format!("no item {} in {}", py_repr(&key), py_repr(&value)))
                        })?;
                    path = rest;
                }
                let text = match conv {
                    "r" => Some(py_repr(&value)),
                    "s" => Some(py_str(&value)),
                    "" => None,
                    other => return Err(err(&format!("unknown conversion specifier {other}"))),
                };
                let field = format_spec(&value, text, spec).map_err(|m| err(&m))?;
                budget::check(out.len().saturating_add(field.len()), "str.format")?;
                out.push_str(&field);
            }
            '}' => return Err(err("single '}' encountered in format string")),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Applies a Python format spec `[[fill]align][sign][0][width][,][.precision][type]`.
fn format_spec(value: &Value, converted: Option<String>, spec: &str) -> Result<String, String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let mut fill = ' ';
    let mut align = None;
    if chars.len() >= 2 && matches!(chars[1], '<' | '>' | '^' | '=') {
        fill = chars[0];
        align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && matches!(chars[0], '<' | '>' | '^' | '=') {
        align = Some(chars[0]);
        i = 1;
    }
    let mut sign = '-';
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        sign = chars[i];
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        if align.is_none() {
            fill = '0';
            align = Some('=');
        }
        i += 1;
    }
    let width_start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    let width: usize = chars[width_start..i]
        .iter()
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    budget::check_width(width, "format").map_err(budget::detail)?;
    let mut grouping = false;
    if i < chars.len() && chars[i] == ',' {
        grouping = true;
        i += 1;
    }
    let mut precision = None;
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        precision = chars[start..i]
            .iter()
            .collect::<String>()
            .parse::<usize>()
            .ok();
        budget::check_width(precision.unwrap_or(0), "format").map_err(budget::detail)?;
    }
    let ty: String = chars[i..].iter().collect();
    let is_number = value.kind() == ValueKind::Number || value.kind() == ValueKind::Bool;
    let as_f64 = || {
        f64::try_from(value.clone())
            .map_err(|_| format!("cannot format {} with '{ty}'", py_repr(value)))
    };
    let (negative, body) = match (converted, ty.as_str()) {
        (Some(text), "" | "s") => (false, truncate_chars(text, precision)),
        (None, "" | "s") if !is_number => (false, truncate_chars(py_str(value), precision)),
        (None, "") if value.is_integer() => split_sign(value.to_string()),
        (None, "") => split_sign(match precision {
            Some(p) => format_general(as_f64()?, p.max(1)),
            None => py_str(value),
        }),
        (None, "d") if value.is_integer() || value.kind() == ValueKind::Bool => {
            split_sign(value.as_i64().unwrap_or(value.is_true() as i64).to_string())
        }
        (None, "f" | "F") => split_sign(fixed(as_f64()?, precision.unwrap_or(6))),
        (None, "e" | "E") => {
            let s = scientific(as_f64()?, precision.unwrap_or(6));
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            let s = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
            split_sign(if ty == "E" { s.to_uppercase() } else { s })
        }
        (None, "%") => split_sign(fixed(as_f64()? * 100.0, precision.unwrap_or(6)) + "%"),
        (None, "g" | "G") => {
            let text = format_general(as_f64()?, precision.unwrap_or(6).max(1));
            split_sign(if ty == "G" { text.to_uppercase() } else { text })
        }
        (None, "x" | "X" | "o" | "b") if value.is_integer() => {
            let n = value.as_i64().unwrap_or(0);
            let digits = match ty.as_str() {
                "x" => format!("{:x}", n.unsigned_abs()),
                "X" => format!("{:X}", n.unsigned_abs()),
                "o" => format!("{:o}", n.unsigned_abs()),
                _ => format!("{:b}", n.unsigned_abs()),
            };
            (n < 0, digits)
        }
        _ => {
            return Err(format!(
                "unsupported format spec {spec:?} for {}",
                py_repr(value)
            ))
        }
    };
    let body = if grouping {
        group_thousands(&body)
    } else {
        body
    };
    let sign_text = match (negative, sign) {
        (true, _) => "-",
        (false, '+') => "+",
        (false, ' ') => " ",
        _ => "",
    };
    let len = sign_text.chars().count() + body.chars().count();
    let pad = width.saturating_sub(len);
    let padding: String = std::iter::repeat_n(fill, pad).collect();
    let default_align = if is_number { '>' } else { '<' };
    Ok(match align.unwrap_or(default_align) {
        '<' => format!("{sign_text}{body}{padding}"),
        '^' => {
            let left: String = std::iter::repeat_n(fill, pad / 2).collect();
            let right: String = std::iter::repeat_n(fill, pad - pad / 2).collect();
            format!("{left}{sign_text}{body}{right}")
        }
        '=' => format!("{sign_text}{padding}{body}"),
        _ => format!("{padding}{sign_text}{body}"),
    })
}

fn truncate_chars(s: String, precision: Option<usize>) -> String {
    match precision {
        Some(p) => s.chars().take(p).collect(),
        None => s,
    }
}

fn split_sign(s: String) -> (bool, String) {
    match s.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, s),
    }
}

pub(super) fn format_general(f: f64, precision: usize) -> String {
    let s = scientific(f, precision - 1);
    let (_, e) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = e.parse().unwrap_or(0);
    if exp < -4 || exp >= precision as i32 {
        let (m, _) = s.split_once('e').unwrap_or((&s, ""));
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let fixed = fixed(f, (precision as i64 - 1 - i64::from(exp)).max(0) as usize);
        if fixed.contains('.') {
            fixed
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        } else {
            fixed
        }
    }
}

fn group_thousands(body: &str) -> String {
    let (int, frac) = body
        .split_once('.')
        .map(|(a, b)| (a, Some(b)))
        .unwrap_or((body, None));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

fn dict_method(value: &Value, method: &str, args: &[Value]) -> Result<Value, Error> {
    let keys: Vec<Value> = value.try_iter()?.collect();
    Ok(match method {
        "items" => dict_view(
            "dict_items",
            keys.iter()
                .map(|k| {
                    Value::from(Tuple::from([
                        k.clone(),
                        value.get_item(k).unwrap_or_default(),
                    ]))
                })
                .collect(),
        ),
        "keys" => dict_view("dict_keys", keys),
        "values" => dict_view(
            "dict_values",
            keys.iter()
                .map(|k| value.get_item(k).unwrap_or_default())
                .collect(),
        ),
        "get" => {
            let key = args.first().cloned().unwrap_or_default();
            let found = value.get_item(&key).unwrap_or_default();
            if found.is_undefined() {
                args.get(1).cloned().unwrap_or(Value::from(()))
            } else {
                found
            }
        }
        "copy" => value.clone(),
        "update" | "pop" | "popitem" | "setdefault" | "clear" => {
            return Err(mutation_error("dict", method))
        }
        _ => return Err(no_attribute(value, method)),
    })
}

fn list_method(value: &Value, method: &str, args: &[Value]) -> Result<Value, Error> {
    match method {
        "append" | "extend" | "insert" | "pop" | "remove" | "sort" | "reverse" | "clear"
            if !value.is_tuple() =>
        {
            Err(mutation_error("list", method))
        }
        "index" => {
            let target = args.first().cloned().unwrap_or_default();
            let items: Vec<Value> = value.try_iter()?.collect();
            // `index(x, start, stop)`, negative bounds from the end, as slices.
            let bound = |i: usize, default: usize| {
                args.get(i).and_then(Value::as_i64).map_or(default, |b| {
                    if b < 0 {
                        items.len().saturating_sub(b.unsigned_abs() as usize)
                    } else {
                        (b as usize).min(items.len())
                    }
                })
            };
            let (start, stop) = (bound(1, 0), bound(2, items.len()));
            items
                .get(start..stop.max(start))
                .unwrap_or_default()
                .iter()
                .position(|v| *v == target)
                .map(|i| Value::from(i + start))
                .ok_or_else(|| bad_args("index", &format!("{} is not in list", py_repr(&target))))
        }
        "count" => {
            let target = args.first().cloned().unwrap_or_default();
            Ok(Value::from(
                value.try_iter()?.filter(|v| *v == target).count(),
            ))
        }
        "copy" => Ok(value.clone()),
        _ => Err(no_attribute(value, method)),
    }
}

fn mutation_error(kind: &str, method: &str) -> Error {
    Error::new(
        ErrorKind::UnknownMethod,
        format!("{kind}.{method}() changes a value in place, which Jinja2 allows but the playground cannot run"),
    )
}

/// Python `str.splitlines()` (without keepends).
/// `str.splitlines(keepends=True)`: each line with the line end that ended it.
fn python_splitlines_keeping_ends(s: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        let ends = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    current.push('\n');
                    chars.next();
                }
                true
            }
            '\n' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}'
            | '\u{2029}' => true,
            _ => false,
        };
        if ends {
            lines.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

pub fn python_splitlines(s: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut current));
            }
            '\n' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}'
            | '\u{2029}' => lines.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Python `str.replace(old, new, count)`: every occurrence, or the first `count`; an empty `old`
/// inserts `new` around every character. The result's size is checked against the render's
/// budget before it is built (`s.replace('', s)` squares the text).
pub(crate) fn python_replace(
    s: &str,
    old: &str,
    new: &str,
    count: Option<usize>,
) -> Result<String, Error> {
    let count = count.unwrap_or(usize::MAX);
    let matches = if old.is_empty() {
        (s.chars().count() + 1).min(count)
    } else {
        s.matches(old).take(count).count()
    };
    let size = (s.len() - matches * old.len()).saturating_add(matches.saturating_mul(new.len()));
    super::budget::check(size, "replace")?;
    Ok(s.replacen(old, new, count))
}

/// `str.translate(table)`: each character looked up by its code point in the table (a mapping,
/// or anything indexable); not found, it stays; None removes it; a number is a code point; text
/// replaces it.
fn translate(s: &str, table: &Value) -> Result<Value, Error> {
    if !matches!(
        table.kind(),
        ValueKind::Map | ValueKind::Seq | ValueKind::String
    ) {
        return Err(bad_args(
            "translate",
            &format!("'{}' object is not subscriptable", python_type(table)),
        ));
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let code = Value::from(c as u32);
        let found = table.get_item(&code).ok().filter(|v| !v.is_undefined());
        match found {
            None => out.push(c),
            Some(v) if v.is_none() => {}
            Some(v) if v.is_integer() => {
                let point = v.as_i64().unwrap_or(-1);
                match u32::try_from(point).ok().and_then(char::from_u32) {
                    Some(mapped) => out.push(mapped),
                    None => {
                        return Err(bad_args(
                            "translate",
                            &format!("character mapping must be in range(0x110000), got {point}"),
                        ))
                    }
                }
            }
            Some(v) if v.kind() == ValueKind::String => {
                out.push_str(v.as_str().unwrap_or_default())
            }
            Some(_) => {
                return Err(bad_args(
                    "translate",
                    "character mapping must return integer, None or str",
                ))
            }
        }
        super::budget::check(out.len(), "translate")?;
    }
    Ok(Value::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_python() {
        assert_eq!(
            python_split("a,b,,c", Some(","), -1, false).unwrap(),
            ["a", "b", "", "c"]
        );
        assert_eq!(
            python_split("a b  c", None, -1, false).unwrap(),
            ["a", "b", "c"]
        );
        assert_eq!(
            python_split("k=v=w", Some("="), 1, false).unwrap(),
            ["k", "v=w"]
        );
        assert_eq!(
            python_split("a-b-c", Some("-"), 1, true).unwrap(),
            ["a-b", "c"]
        );
        assert_eq!(
            python_split("  a b  c ", None, 1, false).unwrap(),
            ["a", "b  c "]
        );
        assert_eq!(
            python_split("  a b  c ", None, 1, true).unwrap(),
            ["  a b", "c"]
        );
        assert!(python_split("x", Some(""), -1, false).is_err());
    }

    #[test]
    fn format_like_python() {
        let f = |t: &str, args: &[Value]| python_format(t, args, &[]).unwrap();
        assert_eq!(f("{}-{}", &[Value::from("a"), Value::from(1)]), "a-1");
        assert_eq!(
            f("{0:>5}|{0:<5}|{0:^5}", &[Value::from("ab")]),
            "   ab|ab   | ab  "
        );
        assert_eq!(f("{:05.1f}", &[Value::from(4.56789)]), "004.6");
        assert_eq!(f("{:,}", &[Value::from(1234567)]), "1,234,567");
        assert_eq!(f("{!r}", &[Value::from("x")]), "'x'");
        assert_eq!(f("{:x}", &[Value::from(255)]), "ff");
        assert_eq!(python_title("hello wORLD-x"), "Hello World-X");
    }
}
