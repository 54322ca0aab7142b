//! Hover: the current value of a name or of a whole `{{ … }}` under the page's inputs and mocks,
//! an input's schema, a filter's or test's documentation.

use super::catalog;
use super::complete::shown;
use super::cursor::{tag_at, word_at, Place, Tag, WordKind};
use super::scope::{type_name, Scope};
use super::{byte_offset, input_property, utf16_offset, InputInfo, Role, Site};
use crate::report::Request;
use serde::Serialize;

/// What the editor shows over `from..to`.
#[derive(Debug, Serialize)]
pub struct Hover {
    pub from: usize,
    pub to: usize,
    /// The hovered name, filter or expression.
    pub title: String,
    /// What it prints (`{{ … }}`) or its value, as Python shows it.
    pub value: Option<String>,
    /// Python's name of the value's type.
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    /// Why it has no value (undefined, a filter's error).
    pub error: Option<String>,
    pub input: Option<InputInfo>,
    /// A filter's, test's or `loop` member's signature and documentation.
    pub doc: Option<String>,
}

impl Hover {
    fn new(text: &str, range: (usize, usize), title: String) -> Hover {
        Hover {
            from: utf16_offset(text, range.0),
            to: utf16_offset(text, range.1),
            title,
            value: None,
            kind: None,
            error: None,
            input: None,
            doc: None,
        }
    }
}

/// What to show for UTF-16 `offset` of `text`, the current text of the site's file.
pub fn hover(site: &Site, request: &Request, text: &str, offset: usize) -> Option<Hover> {
    let Role::Template(target) = site.role else {
        return None;
    };
    let request = Request {
        target: Some(target),
        ..request.clone()
    };
    let at = byte_offset(text, offset);
    // On a delimiter: the whole tag. Else the name under the cursor.
    let on_open = [at, at.saturating_sub(1)]
        .into_iter()
        .find(|&i| text[i..].starts_with("{{") || text[i..].starts_with("{%"));
    let tag = match on_open {
        Some(i) => tag_at(text, i + 2)?,
        None => tag_at(text, at)?,
    };
    let on_delimiter = on_open.is_some()
        || at >= tag.inner.end && at <= tag.span.end && tag.span.end > tag.inner.end;
    if on_delimiter {
        return whole_tag(site, &request, text, &tag);
    }
    let word = word_at(text, &tag, at);
    let name = &text[word.segment.clone()];
    if name.is_empty() {
        return None;
    }
    let range = (word.segment.start, word.segment.end);
    let documented = |kind: &str, entry: Option<&catalog::Entry>| {
        entry.map(|e| {
            let mut hover = Hover::new(text, range, format!("{kind} {}", e.name));
            hover.doc = Some(format!("{}\n\n{}", e.signature, e.doc));
            hover
        })
    };
    match word.kind {
        WordKind::Filter => return documented("filter", catalog::filter(name)),
        WordKind::Test => return documented("test", catalog::test(name)),
        WordKind::Path => {}
    }
    let mut path = word.parents.clone();
    path.push(name.to_string());
    if path.len() == 2 && path[0] == "loop" {
        return documented("loop", catalog::LOOP.iter().find(|e| e.name == path[1]));
    }
    // A tag binds its names after it closes: the scope at its start is the cursor's.
    let scope = Scope::at(site, &request, text, tag.span.start);
    let value = scope.value(&path);
    let mut hover = Hover::new(text, range, path.join("."));
    hover.input = input_property(site.bundle, &scope.canonical(&path)).map(InputInfo::of);
    if value.is_undefined() {
        if hover.input.is_none() && path.len() == 1 && !scope.names.contains(&path[0]) {
            return None; // a keyword or a name this scanner does not follow
        }
        hover.error = Some(format!("`{}` is undefined here", path.join(".")));
    } else {
        hover.kind = Some(type_name(&value));
        hover.value = Some(shown(&value));
    }
    Some(hover)
}

/// A whole `{{ … }}`: what it prints; an `{% if %}`: whether it holds; a `{% for %}`: its items.
fn whole_tag(site: &Site, request: &Request, text: &str, tag: &Tag) -> Option<Hover> {
    let inner = text[tag.inner.clone()].trim();
    let range = (tag.span.start, tag.span.end);
    let scope = Scope::at(site, request, text, tag.span.start);
    let mut hover = Hover::new(text, range, text[tag.span.clone()].to_string());
    let (keyword, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let expression = match (tag.place, keyword) {
        // What the render prints there, Proton's filters re-indented.
        (Place::Expression, _) => {
            match scope
                .renderer
                .render_str("hover", &format!("{{{{ {inner} }}}}"), &scope.root)
            {
                Ok(printed) => hover.value = Some(cut(&printed)),
                Err(error) => hover.error = Some(error.message),
            }
            return Some(hover);
        }
        (Place::Statement, "if" | "elif") => rest,
        (Place::Statement, "for") => rest.split_once(" in ")?.1,
        _ => return None,
    };
    match scope.renderer.evaluate(expression, &scope.root) {
        Ok(value) => {
            hover.kind = Some(type_name(&value));
            hover.value = Some(shown(&value));
        }
        Err(error) => hover.error = Some(error),
    }
    Some(hover)
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(400) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
