//! The loader: yaml-rust2's events built into [`Node`]s with positions and tags, within the
//! depth and node budgets.

use super::scalars::resolve_plain;
use super::{Document, Node, NodeValue, Notice, Pos, YamlError, MAX_DEPTH, MAX_NODES};
use std::collections::{HashMap, HashSet};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

fn pos_of(m: &Marker) -> Pos {
    Pos {
        line: m.line() as u32,
        column: m.col() as u32 + 1,
    }
}

/// Parses the first document of `text`. An empty document gives a `Null` root.
pub fn parse(text: &str) -> Result<Document, YamlError> {
    // YAML allows a byte-order mark at the start (PyYAML skips it); yaml-rust2 does not.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    loop {
        let (event, marker) = parser.next_token().map_err(|e| YamlError {
            message: e.info().to_string(),
            pos: pos_of(e.marker()),
        })?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    builder.notices.push(Notice::ExtraDocuments {
                        pos: pos_of(&marker),
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
        let pos = pos_of(marker);
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
