//! The loader: yaml-rust2's events built into [`Node`]s with positions and tags, within the
//! depth and node budgets.

use super::scalars::resolve_plain;
use super::{Document, Node, NodeValue, Notice, Pos, YamlError, MAX_DEPTH, MAX_NODES};
use std::collections::{HashMap, HashSet};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, Scanner, TScalarStyle, Token, TokenType};

/// Lines the loader indented to get past yaml-rust2's indentation rule inside flow collections:
/// `(line, spaces added)`, so positions are reported in the text as written.
#[derive(Default)]
struct Padding(Vec<(u32, u32)>);

impl Padding {
    fn pos(&self, m: &Marker) -> Pos {
        let line = m.line() as u32;
        let added = self
            .0
            .iter()
            .find(|(l, _)| *l == line)
            .map_or(0, |(_, n)| *n);
        Pos {
            line,
            column: (m.col() as u32 + 1).saturating_sub(added).max(1),
        }
    }
}

/// How many lines the loader indents before it reports the error as it is, and how much text
/// it parses again in all (a hostile document must not make it parse for long).
const MAX_FLOW_REPAIRS: usize = 256;
const MAX_REPARSED_BYTES: usize = 32 << 20;

/// Parses the first document of `text`. An empty document gives a `Null` root.
///
/// Inside a flow collection (`[…]`, `{…}`) indentation means nothing to PyYAML, which Proton
/// and CloudFormation's tooling read YAML with; yaml-rust2 rejects a continuation line indented
/// less than a key it saw in the collection ("invalid indentation"). Such a line is indented
/// (the collection's meaning does not change) and the text parsed again.
pub fn parse(text: &str) -> Result<Document, YamlError> {
    // YAML allows a byte-order mark at the start (PyYAML skips it); yaml-rust2 does not.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut padding = Padding::default();
    let mut lines: Option<Vec<String>> = None;
    let mut repairs = 0;
    loop {
        let joined;
        let current = match &lines {
            Some(lines) => {
                joined = lines.join("\n");
                joined.as_str()
            }
            None => text,
        };
        let error = match parse_once(current, &padding) {
            Err((error, marker)) if error.message == "invalid indentation" => (error, marker),
            done => return done.map_err(|(error, _)| error),
        };
        let (error, marker) = error;
        let line = marker.line() as u32;
        let over_budget =
            repairs >= MAX_FLOW_REPAIRS || (repairs + 1) * text.len() > MAX_REPARSED_BYTES;
        if over_budget || !in_flow_collection(current, &marker) {
            return Err(error);
        }
        let lines = lines.get_or_insert_with(|| text.split('\n').map(String::from).collect());
        let index = (line as usize).saturating_sub(1);
        if index >= lines.len() {
            return Err(error);
        }
        let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
        // The line above parsed: its indentation first, then two more at each try.
        let above = lines[..index]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map_or(0, |l| indent(l));
        let own = indent(&lines[index]);
        let add = if above > own { above - own } else { 2 };
        lines[index].insert_str(0, &" ".repeat(add));
        match padding.0.iter_mut().find(|(l, _)| *l == line) {
            Some((_, added)) => *added += add as u32,
            None => padding.0.push((line, add as u32)),
        }
        repairs += 1;
    }
}

/// True when the scanner is inside a flow collection where it stopped with an error.
fn in_flow_collection(text: &str, at: &Marker) -> bool {
    let mut level = 0i32;
    for Token(marker, token) in Scanner::new(text.chars()) {
        if marker.index() >= at.index() {
            break;
        }
        match token {
            TokenType::FlowSequenceStart | TokenType::FlowMappingStart => level += 1,
            TokenType::FlowSequenceEnd | TokenType::FlowMappingEnd => level -= 1,
            _ => {}
        }
    }
    level > 0
}

fn parse_once(text: &str, padding: &Padding) -> Result<Document, (YamlError, Marker)> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    loop {
        let (event, marker) = parser.next_token().map_err(|e| {
            let error = YamlError {
                message: e.info().to_string(),
                pos: padding.pos(e.marker()),
            };
            (error, *e.marker())
        })?;
        let pos = padding.pos(&marker);
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    builder.notices.push(Notice::ExtraDocuments { pos });
                    break;
                }
            }
            other => builder.event(other, pos).map_err(|e| (e, marker))?,
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
    fn event(&mut self, event: Event, pos: Pos) -> Result<(), YamlError> {
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
