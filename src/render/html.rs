//! Jinja2's filters for HTML and URLs, as markupsafe and Jinja2 write them: `escape` / `e`,
//! `xmlattr` and `urlencode`.

use super::markup::escape_text;
use super::pyrepr::py_str;
use super::python_types::defined;
use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};

pub fn register(env: &mut Environment<'_>) {
    // `Markup(value)`: `str()` of the value, marked safe.
    env.add_filter(
        "safe",
        |state: &State, value: &Value| -> Result<Value, Error> {
            defined(state, value)?;
            Ok(if value.is_safe() {
                value.clone()
            } else {
                Value::from_safe_string(py_str(value))
            })
        },
    );
    env.add_filter("escape", escape);
    env.add_filter("e", escape);
    // Escapes even a safe string.
    env.add_filter(
        "forceescape",
        |state: &State, value: &Value| -> Result<Value, Error> {
            defined(state, value)?;
            Ok(Value::from_safe_string(escape_text(&py_str(value))))
        },
    );
    env.add_filter("striptags", striptags);
    env.add_filter("urlize", urlize);
    env.add_filter("xmlattr", xmlattr);
    env.add_filter("urlencode", urlencode);
}

/// markupsafe's `striptags`: comments and tags removed, whitespace runs collapsed to one space,
/// entities unescaped. Python unescapes every HTML5 entity; the playground the five XML ones and
/// numeric references, and refuses a text with any other.
fn striptags(state: &State, value: &Value) -> Result<String, Error> {
    use std::sync::OnceLock;
    static PATTERNS: OnceLock<(regex::Regex, regex::Regex, regex::Regex)> = OnceLock::new();
    let (comments, tags, entity) = PATTERNS.get_or_init(|| {
        (
            regex::Regex::new(r"(?s)<!--.*?-->").expect("a valid pattern"),
            regex::Regex::new(r"(?s)<.*?>").expect("a valid pattern"),
            regex::Regex::new(r"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|amp;|lt;|gt;|quot;|apos;|#39;)")
                .expect("a valid pattern"),
        )
    });
    defined(state, value)?;
    // Python's str() of a generator or iterator is one tag, `<generator object NAME at 0x…>`.
    if super::views::is_generator(value) {
        return Ok(String::new());
    }
    let text = py_str(value);
    let text = comments.replace_all(&text, "");
    let text = tags.replace_all(&text, "");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for found in entity.find_iter(&text) {
        out.push_str(&text[last..found.start()]);
        let name = &text[found.start() + 1..found.end() - 1];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let number = name.trim_start_matches('#');
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse().ok(),
                };
                code.and_then(char::from_u32).filter(|c| *c != '\0')
            }
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(found.as_str()),
        }
        last = found.end();
    }
    out.push_str(&text[last..]);
    // What remains of the text besides the entities decoded: any other entity is refused.
    let rest = entity.replace_all(&text, "");
    let other_entity = rest.char_indices().any(|(i, c)| {
        c == '&' && rest[i + 1..].starts_with(|n: char| n.is_ascii_alphanumeric() || n == '#')
    });
    if other_entity {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "striptags: only the XML entities and numeric ones are unescaped here (Python knows every HTML5 one)",
        ));
    }
    Ok(out)
}

/// `urlize`: Jinja2 escapes every word and turns the ones that look like links (a scheme,
/// `www.`, a `.com`/`.net`/`.org` domain, an e-mail address) into `<a>` tags. The playground
/// writes text without such words as Jinja2 does, and refuses text with one.
fn urlize(
    state: &State,
    value: &Value,
    args: minijinja::value::Rest<Value>,
    kwargs: minijinja::value::Kwargs,
) -> Result<String, Error> {
    // urlize(value, trim_url_limit=None, nofollow=False, target=None, rel=None,
    // extra_schemes=None): the arguments only shape links, but Jinja2 checks two of them first.
    const NAMES: [&str; 5] = [
        "trim_url_limit",
        "nofollow",
        "target",
        "rel",
        "extra_schemes",
    ];
    if args.len() > NAMES.len() {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "urlize takes at most {} arguments after the value",
                NAMES.len()
            ),
        ));
    }
    let mut given: Vec<Option<Value>> = NAMES.iter().map(|_| None).collect();
    for (i, name) in NAMES.iter().enumerate() {
        given[i] = match args.get(i) {
            Some(v) => Some(v.clone()),
            None if kwargs.has(name) => Some(kwargs.get::<Value>(name)?),
            None => None,
        };
    }
    kwargs.assert_all_used()?;
    if let Some(rel) = given[3]
        .as_ref()
        .filter(|r| r.is_true() && r.as_str().is_none())
    {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "'{}' object has no attribute 'split'",
                super::python_types::python_type(rel)
            ),
        ));
    }
    if let Some(schemes) = given[4].as_ref().filter(|s| !s.is_none()) {
        let scheme = regex::Regex::new(r"^[\w.+-]{2,}:(/){0,2}$").expect("a valid pattern");
        for item in schemes.try_iter()? {
            if item.as_str().is_none_or(|s| !scheme.is_match(s)) {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!(
                        "{} is not a valid URI scheme prefix.",
                        super::pyrepr::py_repr(&item)
                    ),
                ));
            }
        }
    }
    defined(state, value)?;
    let text = py_str(value);
    let looks_like_link = |word: &str| {
        let lower = word.to_lowercase();
        lower.contains("://")
            || lower.contains("www.")
            || lower.contains('@')
            || lower.contains(".com")
            || lower.contains(".net")
            || lower.contains(".org")
            || lower.starts_with("mailto:")
    };
    if text.split_whitespace().any(looks_like_link) {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "urlize of text with a link: Jinja2's link rules are not reproduced by the playground",
        ));
    }
    // markupsafe's escape leaves safe text (`tojson`'s) as it is.
    if value.is_safe() {
        return Ok(text);
    }
    Ok(escape_text(&text))
}

/// `escape`: a safe string stays as it is, anything else is `str()` escaped, marked safe.
fn escape(state: &State, value: &Value) -> Result<Value, Error> {
    if value.is_safe() {
        return Ok(value.clone());
    }
    defined(state, value)?;
    Ok(Value::from_safe_string(escape_text(&py_str(value))))
}

/// `xmlattr(autospace=True)`: ` key="value"` for each entry whose value is not None or
/// undefined; a key with whitespace, `/`, `>` or `=` is refused.
fn xmlattr(state: &State, value: &Value, autospace: Option<Value>) -> Result<Value, Error> {
    defined(state, value)?;
    if value.kind() != ValueKind::Map {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "'{}' object has no attribute 'items'",
                super::python_types::python_type(value)
            ),
        ));
    }
    let mut items = Vec::new();
    for key in value.try_iter()? {
        let item = value.get_item(&key)?;
        if item.is_none() || item.is_undefined() {
            continue;
        }
        let key = py_str(&key);
        if key
            .chars()
            .any(|c| c.is_ascii_whitespace() || matches!(c, '/' | '>' | '='))
        {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "Invalid character in attribute name: {}",
                    super::pyrepr::py_repr(&Value::from(key))
                ),
            ));
        }
        let shown = if item.is_safe() {
            py_str(&item)
        } else {
            escape_text(&py_str(&item))
        };
        items.push(format!("{}=\"{shown}\"", escape_text(&key)));
    }
    let joined = items.join(" ");
    // Python reads `autospace` for its truth.
    let spaced = if autospace.is_none_or(|a| a.is_true()) && !joined.is_empty() {
        format!(" {joined}")
    } else {
        joined
    };
    Ok(Value::from(spaced))
}

/// Python's `urllib.parse.quote` of the UTF-8 bytes: letters, digits and `_.-~` stay, and `/`
/// unless for a query string, where a space becomes `+`.
fn url_quote(text: &str, for_query: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(byte as char)
            }
            b'/' if !for_query => out.push('/'),
            b' ' if for_query => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `urlencode`: a string quoted for a URL path; a dict or a sequence of pairs as a query string.
fn urlencode(state: &State, value: &Value) -> Result<String, Error> {
    defined(state, value)?;
    let pair = |k: &Value, v: &Value| {
        format!(
            "{}={}",
            url_quote(&py_str(k), true),
            url_quote(&py_str(v), true)
        )
    };
    match value.kind() {
        ValueKind::String | ValueKind::Number | ValueKind::Bool | ValueKind::None => {
            Ok(url_quote(&py_str(value), false))
        }
        ValueKind::Map => Ok(value
            .try_iter()?
            .map(|k| {
                let v = value.get_item(&k).unwrap_or_default();
                pair(&k, &v)
            })
            .collect::<Vec<_>>()
            .join("&")),
        _ => value
            .try_iter()?
            .map(|item| {
                // `for k, v in value`: each item unpacks into two.
                let parts: Vec<Value> = item.try_iter().map(Iterator::collect).map_err(|_| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        format!(
                            "cannot unpack non-iterable {} object",
                            super::python_types::python_type(&item)
                        ),
                    )
                })?;
                match parts.as_slice() {
                    [k, v] => Ok(pair(k, v)),
                    _ => Err(Error::new(
                        ErrorKind::InvalidOperation,
                        format!("expected 2 values to unpack, got {}", parts.len()),
                    )),
                }
            })
            .collect::<Result<Vec<_>, Error>>()
            .map(|pairs| pairs.join("&")),
    }
}
