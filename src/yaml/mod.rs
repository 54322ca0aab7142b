//! YAML loading with positions, YAML 1.1 scalar typing (as PyYAML's safe loader,
//! docs/proton-semantics.md §7.7) and tags kept, so schema, spec and manifest problems point at a
//! line and column and the CloudFormation checks can see `!Ref` and friends.
//!
//! Rust YAML crates implement YAML 1.2 (`yes`, `0777` stay strings); Proton's Python tooling read
//! YAML 1.1, so plain scalars are resolved here with PyYAML's rules.

mod loader;
mod scalars;
mod writer;

pub use crate::diagnostic::Pos;
pub use loader::parse;
pub use scalars::{needs_quotes, resolve_plain};
pub use writer::{write_mapping, yaml_string};

use crate::diagnostic::Diagnostic;
use serde_json::{Map, Number, Value as Json};

/// Nesting deeper than this is reported instead of recursing (no stack overflow on hostile input).
pub const MAX_DEPTH: usize = 256;
/// Node budget, so alias expansion ("billion laughs") cannot exhaust memory.
pub const MAX_NODES: usize = 1_000_000;

/// A YAML node with its position and tag (`!Ref` → `Some("Ref")`; standard `!!` tags resolved).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub pos: Pos,
    pub tag: Option<String>,
    /// The text of a plain (unquoted) scalar as written, for checks on how it was spelled
    /// (`None`, `True` printed by Python).
    pub raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// Something in the document worth a warning that is not a parse error.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A mapping key written twice (PyYAML keeps the last one).
    DuplicateKey { key: String, pos: Pos },
    /// A plain scalar YAML 1.1 reads differently than most people expect (`yes`, `0777`, `3.10`).
    Surprising {
        text: String,
        became: String,
        pos: Pos,
    },
    /// A date-like plain scalar: kept as its text.
    Date { text: String, pos: Pos },
    /// More than one document: only the first is used.
    ExtraDocuments { pos: Pos },
}

/// A parsed document.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Node,
    pub notices: Vec<Notice>,
}

/// A YAML syntax error with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub pos: Pos,
}

impl YamlError {
    pub fn to_diagnostic(&self, file: &str) -> Diagnostic {
        Diagnostic::error("yaml-syntax", format!("invalid YAML: {}", self.message))
            .in_file(file)
            .at(self.pos.line, self.pos.column)
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            NodeValue::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, NodeValue::Null)
    }

    /// The value under `key` in a mapping (the last one, as PyYAML keeps the last duplicate).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value under `key`.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.key_text() == key)
            .map(|(k, v)| (k, v))
    }

    /// The text a key is looked up by: Python `str()` of the scalar.
    pub fn key_text(&self) -> String {
        match &self.value {
            NodeValue::Str(s) => s.clone(),
            NodeValue::Null => "None".into(),
            NodeValue::Bool(b) => if *b { "True" } else { "False" }.into(),
            NodeValue::Int(i) => i.to_string(),
            NodeValue::Float(f) => crate::render::pyrepr::float_repr(*f),
            NodeValue::Seq(_) | NodeValue::Map(_) => {
                let mut out = String::new();
                self.write_flow(&mut out);
                out
            }
        }
    }

    /// A collection key as flow YAML, in one pass: escaping each level's text inside the next
    /// (as formatting nested JSON would) doubles its length per level.
    fn write_flow(&self, out: &mut String) {
        match &self.value {
            NodeValue::Seq(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_flow(out);
                }
                out.push(']');
            }
            NodeValue::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_flow(out);
                    out.push_str(": ");
                    v.write_flow(out);
                }
                out.push('}');
            }
            _ => out.push_str(&self.key_text()),
        }
    }

    /// Python-ish type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "boolean",
            NodeValue::Int(_) => "integer",
            NodeValue::Float(_) => "number",
            NodeValue::Str(_) => "string",
            NodeValue::Seq(_) => "list",
            NodeValue::Map(_) => "mapping",
        }
    }

    /// Converts to JSON, keeping mapping order. Tags are dropped.
    pub fn to_json(&self) -> Json {
        match &self.value {
            NodeValue::Null => Json::Null,
            NodeValue::Bool(b) => Json::Bool(*b),
            NodeValue::Int(i) => Json::Number((*i).into()),
            NodeValue::Float(f) => Number::from_f64(*f)
                .map(Json::Number)
                .unwrap_or_else(|| Json::String(crate::render::pyrepr::float_repr(*f))),
            NodeValue::Str(s) => Json::String(s.clone()),
            NodeValue::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.key_text(), v.to_json());
                }
                Json::Object(map)
            }
        }
    }
}

/// The value of a scalar node as the text Proton would show.
pub fn node_text(node: &Node) -> String {
    match &node.value {
        NodeValue::Str(s) => s.clone(),
        _ => node.key_text(),
    }
}

/// Warnings for YAML 1.1 readings that surprise (`yes` → True) and date-like scalars.
pub fn notice_diagnostics(notices: &[Notice], path: &str) -> Vec<Diagnostic> {
    notices
        .iter()
        .map(|n| match n {
            Notice::Surprising { text, became, pos } => Diagnostic::warning(
                "yaml-1.1",
                format!("unquoted `{text}` is read as {became} (YAML 1.1)"),
            )
            .in_file(path)
            .at_pos(Some(*pos))
            .with_hint(format!("quote it (\"{text}\") if you mean the text")),
            Notice::Date { text, pos } => Diagnostic::warning(
                "yaml-date",
                format!("`{text}` looks like a date: kept as text"),
            )
            .in_file(path)
            .at_pos(Some(*pos))
            .with_hint("quote it to make the intent clear"),
            Notice::DuplicateKey { key, pos } => Diagnostic::warning(
                "yaml-duplicate-key",
                format!("key `{key}` appears twice: the last one wins"),
            )
            .in_file(path)
            .at_pos(Some(*pos)),
            Notice::ExtraDocuments { pos } => Diagnostic::warning(
                "yaml-documents",
                "more than one YAML document: only the first is read",
            )
            .in_file(path)
            .at_pos(Some(*pos)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_mappings_parse_in_linear_time() {
        // Duplicate detection once compared each key with every earlier one: 100,000 keys
        // (a 5 MB template) took minutes.
        let text: String = (0..100_000).map(|i| format!("k{i}: {i}\n")).collect();
        let doc = parse(&format!("{text}k7: again\n")).unwrap();
        assert_eq!(doc.root.as_map().unwrap().len(), 100_001);
        assert!(matches!(&doc.notices[..], [Notice::DuplicateKey { key, .. }] if key == "k7"));
    }

    #[test]
    fn nested_collection_keys_stay_linear() {
        // Found by fuzzing: each level's key text used to be escaped inside the next one.
        let text = format!("{}{}\n", "{".repeat(40), "}".repeat(40));
        let root = parse(&text).unwrap().root;
        let key = root.as_map().unwrap()[0].0.key_text();
        assert!(key.len() < 400, "{} chars", key.len());
    }

    #[test]
    fn flow_collections_ignore_indentation_as_pyyaml_does() {
        // A nested mapping inside a flow list, closed at the key's column (AWS's SAM examples
        // write policies so); yaml-rust2 alone says "invalid indentation".
        let text = "R:\n  CS: [{\n    \"P\": {\n      \"S\": \"l\"\n    },\n    \"A\": \"s\"\n  }]\n  Next: 1\n";
        let root = parse(text).unwrap().root;
        let r = root.get("R").unwrap();
        assert_eq!(
            r.get("CS").unwrap().to_json(),
            serde_json::json!([{"P": {"S": "l"}, "A": "s"}])
        );
        // Positions are those of the text as written, also on the lines indented to parse it.
        let next = r
            .as_map()
            .unwrap()
            .iter()
            .find(|(k, _)| k.key_text() == "Next")
            .unwrap();
        assert_eq!((next.0.pos.line, next.0.pos.column), (8, 3));
        // A value on a line indented to parse: located where it is written.
        let text = "R:\n  CS: [{\n    \"P\": {\n      \"S\": \"l\"\n    },\n  \"A\": \"s\"}]\n";
        let root = parse(text).unwrap().root;
        let entry = &root.get("R").unwrap().get("CS").unwrap().as_seq().unwrap()[0];
        assert_eq!(entry.get("A").unwrap().pos, Pos { line: 6, column: 8 });
        // Block indentation still matters: PyYAML rejects this too.
        assert!(parse("a:\n  b: 1\n c: 2\n").is_err());
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let doc = parse("\u{feff}schema:\n  a: 1\n").unwrap();
        let (key, _) = &doc.root.as_map().unwrap()[0];
        assert_eq!(
            (key.key_text().as_str(), key.pos.line, key.pos.column),
            ("schema", 1, 1)
        );
    }

    #[test]
    fn keeps_positions_tags_and_order() {
        let doc = parse("b: 1\na:\n  - !Ref X\n  - 'yes'\n").unwrap();
        let a = doc.root.get("a").unwrap();
        assert_eq!(a.pos.line, 3);
        let items = a.as_seq().unwrap();
        assert_eq!(items[0].tag.as_deref(), Some("Ref"));
        assert_eq!(items[1].value, NodeValue::Str("yes".into()));
        let json = doc.root.to_json();
        assert_eq!(json.to_string(), r#"{"b":1,"a":["X","yes"]}"#);
    }

    #[test]
    fn reports_duplicates_errors_and_depth() {
        let doc = parse("a: 1\na: 2\n").unwrap();
        assert!(matches!(doc.notices[0], Notice::DuplicateKey { .. }));
        assert_eq!(doc.root.get("a").unwrap().value, NodeValue::Int(2));
        let err = parse("a: [1\nb: 2").unwrap_err();
        assert_eq!(err.pos.line, 2);
        let deep = "[".repeat(10_000);
        let message = parse(&deep).unwrap_err().message;
        assert!(
            message.contains("nesting") || message.contains("recursion"),
            "{message}"
        );
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(&text).unwrap_err().message.contains("too large"));
    }

    #[test]
    fn quoting_for_round_trips() {
        assert!(needs_quotes("yes"));
        assert!(needs_quotes("0777"));
        assert!(needs_quotes("3.10"));
        assert!(needs_quotes(""));
        assert!(needs_quotes("a: b"));
        assert!(!needs_quotes("nginx:1.25"));
        assert!(!needs_quotes("10.0.0.0/16"));
    }
}
