//! The rendered template as CloudFormation reads it: YAML or JSON, short-form tags rewritten to
//! their long form (docs/proton-semantics.md §7.7), positions kept on every node.

use super::Finding;
use crate::yaml::{self, Node, NodeValue, Notice, Pos};

/// Short-form tags and the long-form key each stands for.
const TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
];

/// The transform that makes `AWS::Serverless::*` resources and `Globals` valid.
pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// A parsed template.
pub struct Template {
    pub root: Node,
    /// Names of the transforms the template declares.
    pub transforms: Vec<String>,
}

impl Template {
    /// Parses `text`; a syntax error becomes a finding and gives `None`.
    pub fn parse(text: &str, findings: &mut Vec<Finding>) -> Option<Template> {
        let document = match yaml::parse(text) {
            Ok(document) => document,
            Err(e) => {
                findings.push(Finding::error(
                    "cfn-yaml",
                    e.pos,
                    format!("the rendered template is not valid YAML: {}", e.message),
                    "CloudFormation cannot read it; look at the template line this came from",
                ));
                return None;
            }
        };
        for notice in &document.notices {
            if let Notice::DuplicateKey { key, pos } = notice {
                findings.push(Finding::error(
                    "cfn-duplicate-key",
                    *pos,
                    format!("`{key}` appears twice in this mapping"),
                    "CloudFormation rejects duplicate keys; remove or rename one",
                ));
            }
        }
        let root = long_form(document.root, findings);
        let transforms = match root.get("Transform") {
            Some(t) => match &t.value {
                NodeValue::Str(s) => vec![s.clone()],
                NodeValue::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        Some(Template { root, transforms })
    }

    pub fn section(&self, name: &str) -> Option<&Node> {
        self.root.get(name)
    }

    /// `(name, key node, value node)` of each entry of a top-level section.
    pub fn entries(&self, section: &str) -> Vec<(String, &Node, &Node)> {
        self.section(section)
            .and_then(Node::as_map)
            .map(|entries| entries.iter().map(|(k, v)| (k.key_text(), k, v)).collect())
            .unwrap_or_default()
    }

    pub fn is_sam(&self) -> bool {
        self.transforms.iter().any(|t| t == SAM_TRANSFORM)
    }

    /// A macro other than SAM or the language extensions may rewrite anything, so reference
    /// and resource checks would guess.
    pub fn has_macro(&self) -> bool {
        self.transforms
            .iter()
            .any(|t| t != SAM_TRANSFORM && t != "AWS::LanguageExtensions")
    }

    /// The `Globals` section that applies to a SAM resource of `type_name` (`Globals.Function`
    /// for `AWS::Serverless::Function`), unless the resource ignores it all (`IgnoreGlobals: '*'`).
    pub fn sam_globals(&self, type_name: &str, resource: &Node) -> Option<&Node> {
        let section = type_name.strip_prefix("AWS::Serverless::")?;
        let ignores_all = resource.get("IgnoreGlobals").and_then(Node::as_str) == Some("*");
        self.section("Globals")?
            .get(section)
            .filter(|_| !ignores_all)
    }
}

/// `(function name, argument)` when `node` is an intrinsic function call in long form:
/// a mapping with the single key `Ref`, `Condition` or `Fn::…`.
pub fn intrinsic(node: &Node) -> Option<(&str, &Node)> {
    match node.as_map()? {
        [(key, arg)] => {
            let name = key.as_str()?;
            (name == "Ref" || name == "Condition" || name.starts_with("Fn::"))
                .then_some((name, arg))
        }
        _ => None,
    }
}

/// The logical name a `Ref` or `Fn::GetAtt` reads (`!GetAtt Queue.Arn` → `Queue`).
pub fn referenced_name(node: &Node) -> Option<&str> {
    match intrinsic(node)? {
        ("Ref", arg) => arg.as_str(),
        ("Fn::GetAtt", arg) => match &arg.value {
            NodeValue::Seq(items) => items.first().and_then(Node::as_str),
            _ => arg.as_str().and_then(|s| s.split('.').next()),
        },
        _ => None,
    }
}

/// Rewrites short-form tags to long form, recursively; unknown tags are findings.
fn long_form(node: Node, findings: &mut Vec<Finding>) -> Node {
    let Node {
        value,
        pos,
        tag,
        raw,
    } = node;
    let value = match value {
        NodeValue::Seq(items) => {
            NodeValue::Seq(items.into_iter().map(|i| long_form(i, findings)).collect())
        }
        NodeValue::Map(entries) => NodeValue::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k, long_form(v, findings)))
                .collect(),
        ),
        scalar => scalar,
    };
    let inner = Node {
        value,
        pos,
        tag: None,
        raw,
    };
    let Some(tag) = tag else { return inner };
    let Some(&(_, long)) = TAGS.iter().find(|(short, _)| *short == tag) else {
        findings.push(Finding::error(
            "cfn-tag",
            pos,
            format!("unknown tag `!{tag}`"),
            format!(
                "CloudFormation knows {}",
                TAGS.iter()
                    .map(|(s, _)| format!("!{s}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ));
        return inner;
    };
    let argument = match (long, &inner.value) {
        // `!GetAtt Resource.Attribute` is `Fn::GetAtt: [Resource, Attribute]`.
        ("Fn::GetAtt", NodeValue::Str(s)) => match s.split_once('.') {
            Some((resource, attribute)) => Node {
                value: NodeValue::Seq(vec![
                    string_node(resource, pos),
                    string_node(attribute, offset(pos, resource.len() + 1)),
                ]),
                ..inner
            },
            None => inner,
        },
        _ => inner,
    };
    Node {
        value: NodeValue::Map(vec![(string_node(long, pos), argument)]),
        pos,
        tag: None,
        raw: None,
    }
}

fn string_node(text: &str, pos: Pos) -> Node {
    Node {
        value: NodeValue::Str(text.to_string()),
        pos,
        tag: None,
        raw: None,
    }
}

/// The position `chars` characters to the right (within one line).
pub fn offset(pos: Pos, chars: usize) -> Pos {
    Pos {
        line: pos.line,
        column: pos.column + chars as u32,
    }
}
