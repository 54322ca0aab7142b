//! YAML loading with positions, YAML 1.1 scalar typing (as PyYAML's safe loader, REFERENCE §7.7)
//! and tags kept, so schema, spec and manifest problems point at a line and column and the
//! CloudFormation checks can see `!Ref` and friends.
//!
//! Rust YAML crates implement YAML 1.2 (`yes`, `0777` stay strings); Proton's Python tooling read
//! YAML 1.1, so plain scalars are resolved here with PyYAML's rules.

use crate::diagnostic::Diagnostic;
use serde_json::{Map, Number, Value as Json};
use std::collections::{HashMap, HashSet};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Nesting deeper than this is reported instead of recursing (no stack overflow on hostile input).
pub const MAX_DEPTH: usize = 256;
/// Node budget, so alias expansion ("billion laughs") cannot exhaust memory.
pub const MAX_NODES: usize = 1_000_000;

/// 1-based line and column of a node in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    fn from_marker(m: &Marker) -> Pos {
        Pos {
            line: m.line() as u32,
            column: m.col() as u32 + 1,
        }
    }
}

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

/// Parses the first document of `text`. An empty document gives a `Null` root.
pub fn parse(text: &str) -> Result<Document, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    loop {
        let (event, marker) = parser.next_token().map_err(|e| YamlError {
            message: e.info().to_string(),
            pos: Pos::from_marker(e.marker()),
        })?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    builder.notices.push(Notice::ExtraDocuments {
                        pos: Pos::from_marker(&marker),
                    });
                    break;
                }
            }
            other => builder.event(other, &marker)?,
        }
    }
    let root = builder.root.take().unwrap_or(Node {
        value: NodeValue::Null,
        pos: Pos { line: 1, column: 1 },
        tag: None,
        raw: None,
    });
    Ok(Document {
        root,
        notices: builder.notices,
    })
}

enum Frame {
    Seq(Node, Vec<Node>, Option<usize>),
    Map {
        node: Node,
        entries: Vec<(Node, Node)>,
        /// The key waiting for its value.
        pending: Option<Node>,
        anchor: Option<usize>,
        /// Key texts seen: duplicate detection in constant time (mappings can have 100,000 keys).
        seen: HashSet<String>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    notices: Vec<Notice>,
}

impl Builder {
    fn event(&mut self, event: Event, marker: &Marker) -> Result<(), YamlError> {
        let pos = Pos::from_marker(marker);
        let budget_error = || YamlError {
            message: format!("document too large (more than {MAX_NODES} nodes)"),
            pos,
        };
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.nodes += 1;
                if self.nodes > MAX_NODES {
                    return Err(budget_error());
                }
                let node = self.scalar(text, style, tag, pos);
                self.finish(node, anchor);
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().ok_or(YamlError {
                    message: "unknown alias".into(),
                    pos,
                })?;
                self.nodes += count_nodes(&node);
                if self.nodes > MAX_NODES {
                    return Err(budget_error());
                }
                self.finish(node, 0);
            }
            Event::SequenceStart(anchor, tag) => self.open(true, anchor, tag, pos)?,
            Event::MappingStart(anchor, tag) => self.open(false, anchor, tag, pos)?,
            Event::SequenceEnd => {
                if let Some(Frame::Seq(mut node, items, anchor)) = self.stack.pop() {
                    node.value = NodeValue::Seq(items);
                    self.finish(node, anchor.unwrap_or(0));
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    mut node,
                    entries,
                    anchor,
                    ..
                }) = self.stack.pop()
                {
                    node.value = NodeValue::Map(entries);
                    self.finish(node, anchor.unwrap_or(0));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Starts a sequence or mapping node.
    fn open(
        &mut self,
        is_seq: bool,
        anchor: usize,
        tag: Option<Tag>,
        pos: Pos,
    ) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError {
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                pos,
            });
        }
        self.nodes += 1;
        let node = Node {
            value: NodeValue::Null,
            pos,
            tag: tag.map(tag_name),
            raw: None,
        };
        let anchor = (anchor != 0).then_some(anchor);
        self.stack.push(if is_seq {
            Frame::Seq(node, Vec::new(), anchor)
        } else {
            Frame::Map {
                node,
                entries: Vec::new(),
                pending: None,
                anchor,
                seen: HashSet::new(),
            }
        });
        Ok(())
    }

    fn scalar(&mut self, text: String, style: TScalarStyle, tag: Option<Tag>, pos: Pos) -> Node {
        let tag = tag.map(tag_name);
        let raw = (style == TScalarStyle::Plain).then(|| text.clone());
        let value = match (style, tag.as_deref()) {
            (_, Some("tag:yaml.org,2002:str")) => NodeValue::Str(text.clone()),
            (TScalarStyle::Plain, None) => {
                let (value, notice) = resolve_plain(&text, pos);
                self.notices.extend(notice);
                value
            }
            (TScalarStyle::Plain, Some(t)) if t.starts_with("tag:yaml.org,2002:") => {
                resolve_plain(&text, pos).0
            }
            _ => NodeValue::Str(text),
        };
        let tag = tag.filter(|t| !t.starts_with("tag:yaml.org,2002:"));
        Node {
            value,
            pos,
            tag,
            raw,
        }
    }

    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, items, _)) => items.push(node),
            Some(Frame::Map {
                entries,
                pending,
                seen,
                ..
            }) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    let text = key.key_text();
                    if !seen.insert(text.clone()) {
                        self.notices.push(Notice::DuplicateKey {
                            key: text,
                            pos: key.pos,
                        });
                    }
                    entries.push((key, node));
                }
            },
        }
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.value {
        NodeValue::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        NodeValue::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| count_nodes(k) + count_nodes(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

fn tag_name(tag: Tag) -> String {
    match tag.handle.as_str() {
        "!!" => format!("tag:yaml.org,2002:{}", tag.suffix),
        "!" => tag.suffix,
        handle => format!("{handle}{}", tag.suffix),
    }
}

/// A cursor over ASCII bytes for the YAML 1.1 resolver patterns (hand-written: compiling the
/// equivalent regexes costs more than all other start-up work in WebAssembly).
struct Scan<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
    fn new(s: &'a str) -> Self {
        Scan {
            s: s.as_bytes(),
            i: 0,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += hit as usize;
        hit
    }
    fn eat_if(&mut self, f: impl Fn(u8) -> bool) -> bool {
        let hit = self.peek().is_some_and(&f);
        self.i += hit as usize;
        hit
    }
    /// Eats a run of bytes matching `f`; returns its length.
    fn run(&mut self, f: impl Fn(u8) -> bool) -> usize {
        let start = self.i;
        while self.eat_if(&f) {}
        self.i - start
    }
    fn sign(&mut self) {
        let _ = self.eat(b'+') || self.eat(b'-');
    }
    fn done(&self) -> bool {
        self.i == self.s.len()
    }
    fn rest(&self) -> &'a [u8] {
        &self.s[self.i..]
    }
}

fn digit_(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

/// `(?::[0-5]?[0-9])+` — base-60 groups; at least one.
fn sexagesimal_groups(sc: &mut Scan) -> bool {
    let mut groups = 0;
    while sc.eat(b':') {
        let start = sc.i;
        if sc.eat_if(|c| (b'0'..=b'5').contains(&c)) && sc.eat_if(|c| c.is_ascii_digit()) {
            groups += 1;
            continue;
        }
        sc.i = start;
        if !sc.eat_if(|c| c.is_ascii_digit()) {
            return false;
        }
        groups += 1;
    }
    groups > 0
}

/// PyYAML's int pattern.
fn is_yaml11_int(text: &str) -> bool {
    let mut sc = Scan::new(text);
    sc.sign();
    let rest = sc.rest();
    if rest.starts_with(b"0b") {
        sc.i += 2;
        return sc.run(|c| c == b'0' || c == b'1' || c == b'_') > 0 && sc.done();
    }
    if rest.starts_with(b"0x") {
        sc.i += 2;
        return sc.run(|c| c.is_ascii_hexdigit() || c == b'_') > 0 && sc.done();
    }
    if rest == b"0" {
        return true;
    }
    if sc.eat(b'0') {
        return sc.run(|c| (b'0'..=b'7').contains(&c) || c == b'_') > 0 && sc.done();
    }
    if !sc.eat_if(|c| (b'1'..=b'9').contains(&c)) {
        return false;
    }
    sc.run(digit_);
    sc.done() || (sexagesimal_groups(&mut sc) && sc.done())
}

/// `(?:[eE][-+][0-9]+)?`
fn exponent(sc: &mut Scan) -> bool {
    if sc.eat(b'e') || sc.eat(b'E') {
        return (sc.eat(b'-') || sc.eat(b'+')) && sc.run(|c| c.is_ascii_digit()) > 0;
    }
    true
}

/// PyYAML's float pattern.
fn is_yaml11_float(text: &str) -> bool {
    let b = text.as_bytes();
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    if b.len() - unsigned.len() <= 1 && matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    // `\.[0-9][0-9_]*(exp)?` (no sign).
    let mut sc = Scan::new(text);
    if sc.eat(b'.') {
        return sc.eat_if(|c| c.is_ascii_digit()) && {
            sc.run(digit_);
            exponent(&mut sc) && sc.done()
        };
    }
    sc.sign();
    if !sc.eat_if(|c| c.is_ascii_digit()) {
        return false;
    }
    sc.run(digit_);
    let after_int = sc.i;
    // `[0-9][0-9_]*\.[0-9_]*(exp)?`
    if sc.eat(b'.') {
        sc.run(digit_);
        if exponent(&mut sc) && sc.done() {
            return true;
        }
    }
    // `[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`
    sc.i = after_int;
    if sexagesimal_groups(&mut sc) && sc.eat(b'.') {
        sc.run(digit_);
        return sc.done();
    }
    false
}

/// PyYAML's timestamp pattern.
fn is_yaml11_timestamp(text: &str) -> bool {
    let mut sc = Scan::new(text);
    let digits = |sc: &mut Scan, min: usize, max: usize| {
        let n = sc.run(|c| c.is_ascii_digit());
        (min..=max).contains(&n)
    };
    if !(digits(&mut sc, 4, 4) && sc.eat(b'-')) {
        return false;
    }
    let date_start = sc.i;
    if digits(&mut sc, 2, 2) && sc.eat(b'-') && digits(&mut sc, 2, 2) && sc.done() {
        return true;
    }
    sc.i = date_start;
    if !(digits(&mut sc, 1, 2) && sc.eat(b'-') && digits(&mut sc, 1, 2)) {
        return false;
    }
    if !(sc.eat(b'T') || sc.eat(b't') || sc.run(|c| c == b' ' || c == b'\t') > 0) {
        return false;
    }
    if !(digits(&mut sc, 1, 2)
        && sc.eat(b':')
        && digits(&mut sc, 2, 2)
        && sc.eat(b':')
        && digits(&mut sc, 2, 2))
    {
        return false;
    }
    if sc.eat(b'.') {
        sc.run(|c| c.is_ascii_digit());
    }
    if sc.done() {
        return true;
    }
    sc.run(|c| c == b' ' || c == b'\t');
    if sc.eat(b'Z') {
        return sc.done();
    }
    if !((sc.eat(b'+') || sc.eat(b'-')) && digits(&mut sc, 1, 2)) {
        return false;
    }
    if sc.eat(b':') && !digits(&mut sc, 2, 2) {
        return false;
    }
    sc.done()
}

/// Resolves a plain scalar as YAML 1.1 (PyYAML `SafeLoader`): bool, null, int (octal, hex,
/// binary, base 60, `_`), float, else string. Also returns a notice for readings that surprise.
pub fn resolve_plain(text: &str, pos: Pos) -> (NodeValue, Option<Notice>) {
    let surprising = |became: String| {
        Some(Notice::Surprising {
            text: text.to_string(),
            became,
            pos,
        })
    };
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return (NodeValue::Null, None);
    }
    if matches!(
        text,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    ) {
        let value = matches!(text.to_ascii_lowercase().as_str(), "yes" | "true" | "on");
        let notice = if matches!(text.to_ascii_lowercase().as_str(), "true" | "false") {
            None
        } else {
            surprising(if value { "True" } else { "False" }.into())
        };
        return (NodeValue::Bool(value), notice);
    }
    if is_yaml11_int(text) {
        if let Some(i) = parse_yaml11_int(text) {
            let plain_decimal = text
                .trim_start_matches(['+', '-'])
                .chars()
                .all(|c| c.is_ascii_digit())
                && !(text.trim_start_matches(['+', '-']).starts_with('0')
                    && text.trim_start_matches(['+', '-']).len() > 1);
            let notice = if plain_decimal {
                None
            } else {
                surprising(i.to_string())
            };
            return (NodeValue::Int(i), notice);
        }
        return (NodeValue::Str(text.to_string()), None);
    }
    if is_yaml11_float(text) {
        if let Some(f) = parse_yaml11_float(text) {
            let repr = crate::render::pyrepr::float_repr(f);
            let notice = if repr == text { None } else { surprising(repr) };
            return (NodeValue::Float(f), notice);
        }
    }
    if is_yaml11_timestamp(text) {
        return (
            NodeValue::Str(text.to_string()),
            Some(Notice::Date {
                text: text.to_string(),
                pos,
            }),
        );
    }
    (NodeValue::Str(text.to_string()), None)
}

fn parse_yaml11_int(text: &str) -> Option<i64> {
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let (sign, digits) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1i64, &cleaned[1..]),
        Some(b'+') => (1, &cleaned[1..]),
        _ => (1, cleaned.as_str()),
    };
    let magnitude = if digits == "0" {
        0
    } else if let Some(b) = digits.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()?
    } else if let Some(h) = digits.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if digits.starts_with('0') {
        i64::from_str_radix(digits, 8).ok()?
    } else if digits.contains(':') {
        sexagesimal(digits)? as i64
    } else {
        digits.parse().ok()?
    };
    magnitude.checked_mul(sign)
}

fn sexagesimal(digits: &str) -> Option<f64> {
    let mut value = 0f64;
    for part in digits.split(':') {
        value = value * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(value)
}

fn parse_yaml11_float(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let (sign, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1.0, &cleaned[1..]),
        Some(b'+') => (1.0, &cleaned[1..]),
        _ => (1.0, cleaned.as_str()),
    };
    let magnitude = match body {
        ".inf" => f64::INFINITY,
        ".nan" => return Some(f64::NAN),
        b if b.contains(':') => sexagesimal(b)?,
        b => b.parse::<f64>().ok()?,
    };
    Some(sign * magnitude)
}

/// Whether a string must be quoted to survive a YAML 1.1 round trip (used when writing specs).
pub fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    if !matches!(resolve_plain(s, Pos::default()).0, NodeValue::Str(_)) {
        return true;
    }
    if is_yaml11_timestamp(s) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control() || c == '\u{feff}')
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

    fn scalar(text: &str) -> NodeValue {
        resolve_plain(text, Pos::default()).0
    }

    #[test]
    fn yaml11_scalars_follow_pyyaml() {
        assert_eq!(scalar("yes"), NodeValue::Bool(true));
        assert_eq!(scalar("No"), NodeValue::Bool(false));
        assert_eq!(scalar("ON"), NodeValue::Bool(true));
        assert_eq!(scalar("FALSE"), NodeValue::Bool(false));
        for s in ["y", "n", "tRue", "None", "1e5", "1.0e5", "08", "0o17"] {
            assert_eq!(scalar(s), NodeValue::Str(s.into()), "{s}");
        }
        for s in ["null", "Null", "NULL", "~", ""] {
            assert_eq!(scalar(s), NodeValue::Null);
        }
        assert_eq!(scalar("0777"), NodeValue::Int(511));
        assert_eq!(scalar("010"), NodeValue::Int(8));
        assert_eq!(scalar("0x1F"), NodeValue::Int(31));
        assert_eq!(scalar("0b101"), NodeValue::Int(5));
        assert_eq!(scalar("1_000"), NodeValue::Int(1000));
        assert_eq!(scalar("+1"), NodeValue::Int(1));
        assert_eq!(scalar("1:30"), NodeValue::Int(90));
        assert_eq!(scalar("3.10"), NodeValue::Float(3.1));
        assert_eq!(scalar("5."), NodeValue::Float(5.0));
        assert_eq!(scalar(".5"), NodeValue::Float(0.5));
        assert_eq!(scalar("1.0e+5"), NodeValue::Float(100000.0));
        assert_eq!(scalar(".inf"), NodeValue::Float(f64::INFINITY));
        assert_eq!(scalar("2020-01-01"), NodeValue::Str("2020-01-01".into()));
        assert!(is_yaml11_timestamp("2001-12-14t21:59:43.10-05:00"));
        assert!(is_yaml11_timestamp("2001-12-14 21:59:43.10 -5"));
        assert!(!is_yaml11_timestamp("2001-12-1"));
        for s in ["1.0e5", "1e5", "+.5", "1.0e", "..5", "1:60.0"] {
            assert!(!is_yaml11_float(s), "{s}");
        }
        for s in ["1.", "-1.5e+3", "1_0.0_1", "190:20:30.15", "+.inf", ".NaN"] {
            assert!(is_yaml11_float(s), "{s}");
        }
        for s in ["1__0", "0o7", "0b", "1:", "-0x_1F"] {
            assert_eq!(is_yaml11_int(s), s == "-0x_1F" || s == "1__0", "{s}");
        }
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
