//! What the cursor is on in a template being typed: inside which `{{ … }}` or `{% … %}`, the
//! dotted name or filter under it, and the `for` / `set` names in scope there. Text scanning,
//! not parsing: a template being typed rarely parses.

use std::ops::Range;

/// Which delimiters the cursor is between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `{{ … }}`
    Expression,
    /// `{% … %}`
    Statement,
}

/// An open tag around the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub place: Place,
    /// The tag with its delimiters (to the close, or to the end of the line when unclosed).
    pub span: Range<usize>,
    /// Between the delimiters (and their `-` / `+` whitespace marks).
    pub inner: Range<usize>,
}

/// What a word under the cursor names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    /// A variable and its attributes: `environment.inputs.vpc`.
    Path,
    /// After `|`.
    Filter,
    /// After `is` / `is not`.
    Test,
}

/// The dotted word at the cursor: `environment.inputs.vp` with the cursor after `vp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub kind: WordKind,
    /// The complete segments before the one at the cursor (`environment`, `inputs`).
    pub parents: Vec<String>,
    /// The segment at the cursor, up to the cursor (`vp`).
    pub partial: String,
    /// Where the segment at the cursor starts and ends (the whole segment, past the cursor).
    pub segment: Range<usize>,
}

/// A name a `{% for %}` or `{% set %}` above the cursor binds, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// One name, or two for `for k, v in …`.
    pub names: Vec<String>,
    /// The expression it is bound to (the iterable of a `for`).
    pub expr: String,
    pub is_loop: bool,
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The tag the cursor at byte `offset` is inside (after its opening delimiter, at or before its
/// close), if any. A comment is not a tag.
pub fn tag_at(text: &str, offset: usize) -> Option<Tag> {
    let before = &text[..offset];
    if let Some(comment) = before.rfind("{#") {
        if !before[comment..].contains("#}") {
            return None;
        }
    }
    let open = ["{{", "{%", "{#"]
        .iter()
        .filter_map(|d| before.rfind(d).map(|i| (i, *d)))
        .max_by_key(|(i, _)| *i)?;
    let (start, delimiter) = open;
    let close = match delimiter {
        "{{" => "}}",
        "{%" => "%}",
        _ => return None,
    };
    let after_open = start + 2;
    let (inner_end, end) = match text[after_open..].find(close) {
        Some(i) => (after_open + i, after_open + i + 2),
        None => {
            let line_end = text[after_open..]
                .find('\n')
                .map_or(text.len(), |i| after_open + i);
            (line_end, line_end)
        }
    };
    if offset > inner_end {
        return None;
    }
    let mut inner_start = after_open;
    if text[inner_start..].starts_with(['-', '+']) {
        inner_start += 1;
    }
    let mut inner_stop = inner_end;
    if inner_stop > inner_start && text[..inner_stop].ends_with(['-', '+']) && inner_end != end {
        inner_stop -= 1;
    }
    Some(Tag {
        place: if delimiter == "{{" {
            Place::Expression
        } else {
            Place::Statement
        },
        span: start..end,
        inner: inner_start..inner_stop.max(inner_start),
    })
}

/// True when an odd number of quotes precede `offset` in the tag: the cursor is in a string.
pub fn in_string(text: &str, tag: &Tag, offset: usize) -> bool {
    let mut quote = None;
    for c in text[tag.inner.start..offset.max(tag.inner.start)].chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    quote.is_some()
}

/// The dotted word at the cursor in the tag (possibly empty: the cursor after `{{ ` or `| `).
pub fn word_at(text: &str, tag: &Tag, offset: usize) -> Word {
    let bytes = text.as_bytes();
    let mut start = offset;
    while start > tag.inner.start && (is_name_byte(bytes[start - 1]) || bytes[start - 1] == b'.') {
        start -= 1;
    }
    let mut end = offset;
    while end < tag.inner.end && is_name_byte(bytes[end]) {
        end += 1;
    }
    let typed = &text[start..offset];
    let (parents, partial) = match typed.rfind('.') {
        Some(dot) => (
            typed[..dot].split('.').map(str::to_string).collect(),
            &typed[dot + 1..],
        ),
        None => (Vec::new(), typed),
    };
    let segment_start = offset - partial.len();
    let preceding = text[tag.inner.start..start].trim_end();
    let kind = if parents.is_empty() && preceding.ends_with('|') {
        WordKind::Filter
    } else if parents.is_empty() && ends_with_word(preceding, "is")
        || ends_with_word(preceding, "not")
            && ends_with_word(preceding[..preceding.len() - 3].trim_end(), "is")
    {
        WordKind::Test
    } else {
        WordKind::Path
    };
    Word {
        kind,
        parents,
        partial: partial.to_string(),
        segment: segment_start..end,
    }
}

fn ends_with_word(text: &str, word: &str) -> bool {
    text.ends_with(word)
        && !text[..text.len() - word.len()]
            .bytes()
            .last()
            .is_some_and(is_name_byte)
}

/// The `for` (still open) and `set` bindings of the statements before byte `offset`.
pub fn bindings_before(text: &str, offset: usize) -> Vec<Binding> {
    let mut scope: Vec<Binding> = Vec::new();
    let mut open_loops: Vec<usize> = Vec::new();
    let mut rest = &text[..offset];
    while let Some(i) = rest.find("{%") {
        let after = &rest[i + 2..];
        let Some(close) = after.find("%}") else {
            break;
        };
        let body = after[..close].trim_matches(['-', '+']).trim();
        rest = &after[close + 2..];
        let (keyword, tail) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        match keyword {
            "for" => {
                let Some((targets, iterable)) = tail.split_once(" in ") else {
                    continue;
                };
                let iterable = iterable.trim();
                let iterable = iterable
                    .strip_suffix("recursive")
                    .unwrap_or(iterable)
                    .trim();
                // `for x in xs if cond`: the filter is not part of the iterable.
                let iterable = split_top_level_if(iterable);
                open_loops.push(scope.len());
                scope.push(Binding {
                    names: targets.split(',').map(|t| t.trim().to_string()).collect(),
                    expr: iterable.to_string(),
                    is_loop: true,
                });
            }
            "endfor" => {
                if let Some(at) = open_loops.pop() {
                    scope.truncate(at);
                }
            }
            "set" => {
                if let Some((name, expr)) = tail.split_once('=') {
                    let name = name.trim();
                    if !name.is_empty() && name.bytes().all(is_name_byte) {
                        scope.push(Binding {
                            names: vec![name.to_string()],
                            expr: expr.trim().to_string(),
                            is_loop: false,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    scope
}

/// `xs if cond` → `xs` (an `if` outside brackets and quotes).
fn split_top_level_if(expr: &str) -> &str {
    let bytes = expr.as_bytes();
    let mut depth = 0i32;
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'(' | b'[' | b'{') => depth += 1,
            (None, b')' | b']' | b'}') => depth -= 1,
            (None, b' ') if depth == 0 && expr[i..].starts_with(" if ") => {
                return expr[..i].trim_end();
            }
            _ => {}
        }
    }
    expr
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> (String, usize) {
        let offset = text.find('‸').unwrap();
        (text.replace('‸', ""), offset)
    }

    #[test]
    fn finds_the_open_tag_and_the_word() {
        let (text, offset) = at("a: {{ environment.inputs.vp‸c }}\n");
        let tag = tag_at(&text, offset).unwrap();
        assert_eq!(tag.place, Place::Expression);
        let word = word_at(&text, &tag, offset);
        assert_eq!(word.kind, WordKind::Path);
        assert_eq!(word.parents, ["environment", "inputs"]);
        assert_eq!(word.partial, "vp");
        assert_eq!(&text[word.segment.clone()], "vpc");
    }

    #[test]
    fn outside_a_tag_or_in_a_comment_is_nothing() {
        let (text, offset) = at("a: {{ x }} b‸\n");
        assert_eq!(tag_at(&text, offset), None);
        let (text, offset) = at("{# {{ x‸ #}\n");
        assert_eq!(tag_at(&text, offset), None);
    }

    #[test]
    fn an_unclosed_tag_ends_at_its_line() {
        let (text, offset) = at("a: {{ environment.‸\nb: 1\n");
        let tag = tag_at(&text, offset).unwrap();
        assert_eq!(&text[tag.span.clone()], "{{ environment.");
        let word = word_at(&text, &tag, offset);
        assert_eq!((word.parents.len(), word.partial.as_str()), (1, ""));
    }

    #[test]
    fn filters_and_tests_are_told_apart() {
        for (typed, kind) in [
            ("{{ x | proton_‸ }}", WordKind::Filter),
            ("{{ x|‸ }}", WordKind::Filter),
            ("{% if x is def‸ %}", WordKind::Test),
            ("{% if x is not ‸ %}", WordKind::Test),
            ("{% if not x‸ %}", WordKind::Path),
            ("{% if this‸ %}", WordKind::Path),
        ] {
            let (text, offset) = at(typed);
            let tag = tag_at(&text, offset).unwrap();
            assert_eq!(word_at(&text, &tag, offset).kind, kind, "{typed}");
        }
    }

    #[test]
    fn strings_are_seen() {
        let (text, offset) = at("{{ 'a.b‸' }}");
        let tag = tag_at(&text, offset).unwrap();
        assert!(in_string(&text, &tag, offset));
        let (text, offset) = at("{{ 'a' ~ b‸ }}");
        assert!(!in_string(&text, &tag_at(&text, offset).unwrap(), offset));
    }

    #[test]
    fn loops_bind_until_their_end() {
        let (text, offset) = at(
            "{% for i in service_instances if i.name %}{% set n = i.name %}{% endfor %}\n\
             {%- for k, v in environment.inputs.items() %}{{ ‸ }}",
        );
        let scope = bindings_before(&text, offset);
        assert_eq!(scope.len(), 1);
        assert_eq!(scope[0].names, ["k", "v"]);
        assert_eq!(scope[0].expr, "environment.inputs.items()");
        let (text, offset) = at("{% for i in service_instances if i.name %}{{ ‸ }}");
        assert_eq!(bindings_before(&text, offset)[0].expr, "service_instances");
    }
}
