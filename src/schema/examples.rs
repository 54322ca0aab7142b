//! Example values for required inputs the schema gives no default for: what the page renders
//! with until the user types a value (said by an `input-example` diagnostic), and what `check`
//! and the export fill a placeholder spec with. Each example satisfies its schema where it can:
//! the first enum member, the minimum, a string matching the pattern within the length bounds.

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Map, Value as Json};

/// An example value for an input of OpenAPI `schema` (resolved).
pub fn example_value(schema: &Json) -> Json {
    if let Some(first) = schema
        .get("enum")
        .and_then(Json::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    match schema.get("type").and_then(Json::as_str) {
        Some("integer" | "number") => schema.get("minimum").cloned().unwrap_or(Json::from(1)),
        Some("boolean") => Json::Bool(false),
        Some("array") => Json::Array(Vec::new()),
        Some("object") => Json::Object(Map::new()),
        _ => Json::String(example_string(schema)),
    }
}

/// A string for `schema`: one its pattern matches when one can be built, else `example`, padded
/// or cut to the length bounds.
fn example_string(schema: &Json) -> String {
    let bound = |key: &str| schema.get(key).and_then(Json::as_u64).map(|n| n as usize);
    let (min, max) = (bound("minLength").unwrap_or(0), bound("maxLength"));
    let fits = |s: &str| {
        let n = s.chars().count();
        n >= min && max.is_none_or(|max| n <= max)
    };
    if let Some(pattern) = schema.get("pattern").and_then(Json::as_str) {
        if let Some(sample) = pattern_sample(pattern).filter(|s| fits(s)) {
            return sample;
        }
    }
    let mut text = String::from("example");
    while text.chars().count() < min {
        text.push('x');
    }
    match max {
        Some(max) => text.chars().take(max).collect(),
        None => text,
    }
}

/// The shortest string the pattern's syntax tree spells out (first alternatives, minimum
/// repetitions, a readable member of each class), when the pattern then matches it.
fn pattern_sample(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let mut out = String::new();
    spell(&hir, &mut out, 0)?;
    let matches = regex::Regex::new(pattern).ok()?.is_match(&out);
    matches.then_some(out)
}

fn spell(hir: &Hir, out: &mut String, depth: usize) -> Option<()> {
    if depth > 64 || out.len() > 1024 {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(class) => out.push(class_member(class)?),
        HirKind::Repetition(repetition) => {
            for _ in 0..repetition.min.min(256) {
                spell(&repetition.sub, out, depth + 1)?;
            }
        }
        HirKind::Capture(capture) => spell(&capture.sub, out, depth + 1)?,
        HirKind::Concat(parts) => {
            for part in parts {
                spell(part, out, depth + 1)?;
            }
        }
        HirKind::Alternation(branches) => spell(branches.first()?, out, depth + 1)?,
    }
    Some(())
}

/// A readable character of the class: a lower-case letter, a digit, an upper-case letter, `-`,
/// else its first member.
fn class_member(class: &Class) -> Option<char> {
    let contains = |c: char| match class {
        Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= c && c <= r.end()),
        Class::Bytes(b) => {
            c.is_ascii()
                && b.ranges()
                    .iter()
                    .any(|r| r.start() <= c as u8 && c as u8 <= r.end())
        }
    };
    ['a', 'e', '0', '1', 'A', '-', '_', '.']
        .into_iter()
        .find(|&c| contains(c))
        .or_else(|| match class {
            Class::Unicode(u) => u.ranges().first().map(|r| r.start()),
            Class::Bytes(b) => b
                .ranges()
                .first()
                .map(|r| r.start())
                .filter(u8::is_ascii)
                .map(char::from),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn examples_satisfy_their_schema() {
        let example = |schema: Json| example_value(&schema);
        assert_eq!(
            example(json!({"type": "string", "enum": ["x-small", "small"]})),
            "x-small"
        );
        assert_eq!(example(json!({"type": "integer", "minimum": 2})), 2);
        assert_eq!(example(json!({"type": "boolean"})), false);
        assert_eq!(example(json!({"type": "string"})), "example");
        assert_eq!(
            example(json!({"type": "string", "minLength": 12})),
            "examplexxxxx"
        );
        assert_eq!(example(json!({"type": "string", "maxLength": 3})), "exa");
        let cidr = example(
            json!({"type": "string", "pattern": "^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$"}),
        );
        assert_eq!(cidr, "0.0.0.0/0");
        let image = example(json!({"type": "string", "pattern": "^[a-z0-9./:-]+$"}));
        assert_eq!(image, "a");
        let arn = example(json!({"type": "string", "pattern": "^arn:aws:iam::\\d{12}:role/.+$"}));
        assert!(
            regex::Regex::new("^arn:aws:iam::\\d{12}:role/.+$")
                .unwrap()
                .is_match(arn.as_str().unwrap()),
            "{arn}"
        );
    }
}
