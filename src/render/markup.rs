//! markupsafe's `Markup`: the text `tojson`, `safe` and `e` return in Jinja2, which escapes the
//! plain text added or inserted into it and prints as `Markup('…')` inside lists and dicts. The
//! engine's safe strings stand for it.

use minijinja::value::Value;

/// markupsafe's table: `& < > ' "` as `&amp; &lt; &gt; &#39; &#34;` (minijinja also escapes
/// `/`, Jinja2 does not).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&#34;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as the same kind of string as `value`: Jinja2's filters that call `soft_str(value)`
/// and a `str` method on it keep markupsafe's `Markup` (`tojson`, `safe` and `e` make it), which
/// prints as `Markup('…')` inside lists and dicts.
pub fn like(value: &Value, text: String) -> Value {
    if value.is_safe() {
        Value::from_safe_string(text)
    } else {
        Value::from(text)
    }
}
