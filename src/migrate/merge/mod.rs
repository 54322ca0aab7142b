//! One plain CloudFormation template for every stack of a template: the stacks' renders are
//! merged node by node. What every stack renders alike stays as written; a value printed by a
//! `{{ … }}` becomes a parameter (`!Ref`, or `${…}` in an `Fn::Sub`) named after what the
//! expression reads, typed and constrained by the schema when it is a plain input; a scalar that
//! differs for another reason becomes a parameter the migration computes per stack; an entry or
//! list item only some stacks render becomes conditional (`Condition:` on a resource or output,
//! `Fn::If` with `AWS::NoValue` in properties) on the `{% if %}` that decided it. What
//! CloudFormation cannot express ends the merge with a located reason, and the template stays
//! rendered per stack.

mod conditions;
mod for_each;
mod naming;
mod positions;
mod scalars;

pub use naming::{name_of, numbered};

use naming::sanitize;
use positions::{node_at, text_offset};

use super::branches::{innermost, Branch};
use super::cfn::{canonical, typed_text};
use super::trace::{pieces, unmarked, Piece, Site, Traced, MARK_OPEN};
use crate::yaml::Node;
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, HashMap};

/// One stack's render of the template being merged.
pub struct StackRender<'a> {
    /// The document with expression values marked (long-form intrinsics).
    pub marked: Json,
    /// The rendered document as parsed, for positions.
    pub node: Node,
    pub traced: &'a Traced,
}

/// What the schema says about an input an expression reads plainly.
#[derive(Debug, Clone, Default)]
pub struct InputInfo {
    /// The input's OpenAPI schema.
    pub schema: Json,
    pub description: Option<String>,
    pub default: Option<Json>,
}

/// A CloudFormation parameter of the merged template and its value in each stack.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub declaration: Map<String, Json>,
    pub values: Vec<String>,
    /// The Jinja expression it stands for, or the path of the computed value.
    pub source: String,
    /// True when the migration computes it (CloudFormation cannot).
    pub computed: bool,
    /// Whether it is the whole scalar (typed as YAML reads it) or part of a string.
    whole: bool,
}

impl Parameter {
    /// A parameter the migration adds with a value per stack, not standing for an expression.
    pub fn computed_value(name: &str, source: &str, values: Vec<String>) -> Parameter {
        Parameter {
            name: name.to_string(),
            declaration: Map::new(),
            values,
            source: source.to_string(),
            computed: true,
            whole: true,
        }
    }
}

/// Why a template cannot be one template for every stack, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Fallback {
    pub reason: String,
    /// Template file and 1-based line of the construct, when known.
    pub at: Option<(String, usize)>,
}

/// The questions the merge asks of the rest of the migration.
pub struct Oracle<'a> {
    pub sites: &'a [Site],
    pub sources: &'a BTreeMap<String, String>,
    pub branches: &'a HashMap<String, Vec<Branch>>,
    /// The schema of the input an expression is exactly (`environment.inputs.x`), if it is one.
    pub input: &'a dyn Fn(&str) -> Option<InputInfo>,
    /// What an expression prints in a stack (outside loops), for stacks that do not render the
    /// place it is used in.
    pub evaluate: &'a dyn Fn(usize, &str) -> Option<String>,
}

/// The merge's result.
pub struct Merged {
    pub template: Json,
    pub parameters: Vec<Parameter>,
    pub conditions: Map<String, Json>,
    /// Keys made of expressions whose value is the same in every stack, written as they are.
    pub baked: Vec<(String, usize, String)>,
    /// True when the template uses `Fn::ForEach` (it needs the `AWS::LanguageExtensions`
    /// transform).
    pub for_each: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    fn key(&self) -> Option<&str> {
        match self {
            Seg::Key(k) => Some(k),
            Seg::Index(_) => None,
        }
    }
}

/// One key of a mapping in each stack that has it: `(stack, marked key, value)`.
type Entry<'j> = Vec<(usize, &'j String, &'j Json)>;

struct Merger<'a> {
    stacks: &'a [StackRender<'a>],
    oracle: &'a Oracle<'a>,
    taken: Vec<String>,
    parameters: Vec<Parameter>,
    conditions: Map<String, Json>,
    baked: Vec<(String, usize, String)>,
    /// The `Fn::ForEach` identifier standing for the loop value being merged, if any.
    loop_identifier: Option<String>,
    for_each_used: bool,
}

/// Merges the stacks' renders (at least one).
pub fn merge(stacks: &[StackRender], oracle: &Oracle) -> Result<Merged, Fallback> {
    let taken = ["Parameters", "Resources", "Outputs", "Conditions"]
        .iter()
        .flat_map(|section| {
            stacks
                .iter()
                .flat_map(|s| s.marked.get(*section).and_then(Json::as_object))
                .flat_map(|m| m.keys().map(|k| unmarked(k)))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut merger = Merger {
        stacks,
        oracle,
        taken,
        parameters: Vec::new(),
        conditions: Map::new(),
        baked: Vec::new(),
        loop_identifier: None,
        for_each_used: false,
    };
    let items: Vec<(usize, &Json)> = stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (i, &s.marked))
        .collect();
    let template = merger.value(&items, &mut Vec::new())?.unwrap_or(Json::Null);
    Ok(Merged {
        template,
        parameters: merger.parameters,
        conditions: merger.conditions,
        baked: merger.baked,
        for_each: merger.for_each_used,
    })
}

/// Where values may come from parameters and conditions: resource properties, outputs' values
/// and exports, and conditions.
fn expressible(path: &[Seg]) -> bool {
    let keys: Vec<Option<&str>> = path.iter().map(Seg::key).collect();
    let placed = matches!(
        keys.as_slice(),
        [Some("Resources"), Some(_), Some("Properties"), ..]
            | [Some("Outputs"), Some(_), Some("Value" | "Export"), ..]
            | [Some("Conditions"), Some(_), ..]
    );
    // Places inside those that CloudFormation reads literally.
    let literal = path.iter().enumerate().any(|(i, seg)| match seg.key() {
        Some("Ref" | "Fn::GetAtt" | "Condition" | "DependsOn") => true,
        Some("Fn::If") => matches!(path.get(i + 1), Some(Seg::Index(0)) | None),
        _ => false,
    });
    placed && !literal
}

fn in_sub(path: &[Seg]) -> bool {
    match path {
        [.., Seg::Key(k)] => k == "Fn::Sub",
        [.., Seg::Key(k), Seg::Index(0)] => k == "Fn::Sub",
        _ => false,
    }
}

fn show(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => unmarked(k),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

impl Merger<'_> {
    fn value(
        &mut self,
        items: &[(usize, &Json)],
        path: &mut Vec<Seg>,
    ) -> Result<Option<Json>, Fallback> {
        let (first, _) = items[0];
        if items.iter().all(|(_, v)| v.is_object()) {
            return self.object(items, path).map(Some);
        }
        if items.iter().all(|(_, v)| v.is_array()) {
            return self.array(items, path).map(Some);
        }
        if items.iter().any(|(_, v)| v.is_object() || v.is_array()) {
            return Err(self.fallback(
                first,
                path,
                format!(
                    "`{}` is a structure in some stacks and a value in others",
                    show(path)
                ),
            ));
        }
        self.scalar(items, path).map(Some)
    }

    fn object(&mut self, items: &[(usize, &Json)], path: &mut Vec<Seg>) -> Result<Json, Fallback> {
        // Entries by key (a key printed by `{{ … }}` is a literal logical ID: one entry per value).
        let mut keys: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<(usize, &String, &Json)>> = Vec::new();
        for (stack, value) in items {
            for (key, child) in value.as_object().into_iter().flatten() {
                let plain = unmarked(key);
                match keys.iter().position(|k| *k == plain) {
                    Some(i) => entries[i].push((*stack, key, child)),
                    None => {
                        keys.push(plain);
                        entries.push(vec![(*stack, key, child)]);
                    }
                }
            }
        }
        let mut out = Map::new();
        let section =
            matches!(path.as_slice(), [Seg::Key(k)] if k == "Resources" || k == "Outputs");
        let mut looped: Vec<(Branch, String, Vec<Entry>)> = Vec::new();
        let mut plain_entries = Vec::new();
        for entry in entries {
            match section.then(|| self.loop_of_key(&entry, path)).flatten() {
                Some((branch, site)) => {
                    let template = self.oracle.sites[site].template.clone();
                    match looped
                        .iter_mut()
                        .find(|(b, t, _)| *b == branch && *t == template)
                    {
                        Some((_, _, group)) => group.push(entry),
                        None => looped.push((branch, template, vec![entry])),
                    }
                }
                None => plain_entries.push(entry),
            }
        }
        for (branch, _, group) in looped {
            let (key, value) = self.for_each(&branch, group, items, path)?;
            out.insert(key, value);
        }
        for entry in plain_entries {
            let (_, key, _) = entry[0];
            let plain = unmarked(key);
            path.push(Seg::Key(key.clone()));
            if key != &plain {
                if let Some(Piece::Printed(site, _)) = pieces(key)
                    .unwrap_or_default()
                    .into_iter()
                    .find(|p| matches!(p, Piece::Printed(..)))
                {
                    let s = &self.oracle.sites[site];
                    self.baked.push((s.template.clone(), s.line, plain.clone()));
                }
            }
            let children: Vec<(usize, &Json)> = entry.iter().map(|(s, _, v)| (*s, *v)).collect();
            if key != &plain && children.len() < items.len() {
                return Err(self.fallback(
                    entry[0].0,
                    path,
                    format!("the key `{plain}` is printed by an expression whose value differs per stack: CloudFormation logical IDs and keys are literal"),
                ));
            }
            let merged = self.value(&children, path)?;
            let value = if children.len() < items.len() {
                let present: Vec<usize> = children.iter().map(|(s, _)| *s).collect();
                let among: Vec<usize> = items.iter().map(|(s, _)| *s).collect();
                self.conditional(merged, &present, &among, path)?
            } else {
                merged
            };
            path.pop();
            if let Some(value) = value {
                out.insert(plain, value);
            }
        }
        Ok(Json::Object(out))
    }

    fn array(&mut self, items: &[(usize, &Json)], path: &mut Vec<Seg>) -> Result<Json, Fallback> {
        let lists: Vec<(usize, &Vec<Json>)> = items
            .iter()
            .map(|(s, v)| (*s, v.as_array().expect("arrays")))
            .collect();
        let longest = lists.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
        let (base_stack, base) = *lists
            .iter()
            .find(|(_, l)| l.len() == longest)
            .expect("one list");
        // Each base item with the stacks' items aligned to it (same skeleton, in order).
        let mut aligned: Vec<Vec<(usize, &Json)>> = base.iter().map(|_| Vec::new()).collect();
        for (stack, list) in &lists {
            let matches = if list.len() == base.len() {
                (0..base.len()).map(Some).collect()
            } else {
                align(base, list)
            };
            for (item, at) in list.iter().zip(matches) {
                match at {
                    Some(i) => aligned[i].push((*stack, item)),
                    None => {
                        return Err(self.fallback(
                            *stack,
                            path,
                            format!(
                            "the list `{}` has items in this stack that others do not line up with",
                            show(path)
                        ),
                        ))
                    }
                }
            }
        }
        let among: Vec<usize> = items.iter().map(|(s, _)| *s).collect();
        let mut out = Vec::new();
        for (i, children) in aligned.iter().enumerate() {
            path.push(Seg::Index(i));
            if children.is_empty() {
                path.pop();
                continue;
            }
            let merged = self.value(children, path)?;
            let value = if children.len() < items.len() {
                if let Some(header) = self.loop_at(base_stack, path) {
                    return Err(self.fallback(
                        base_stack,
                        path,
                        format!("the list `{}` has a different length per stack (`{{% {header} %}}`); Fn::ForEach is not generated yet", show(&path[..path.len() - 1])),
                    ));
                }
                let present: Vec<usize> = children.iter().map(|(s, _)| *s).collect();
                self.conditional(merged, &present, &among, path)?
            } else {
                merged
            };
            path.pop();
            out.extend(value);
        }
        Ok(Json::Array(out))
    }

    fn fresh(&mut self, base: &str) -> String {
        let name = numbered(&sanitize(base), |n| self.taken.iter().any(|t| t == n));
        self.taken.push(name.clone());
        name
    }

    /// The template and source offset that produced the node at `path` in `stack`.
    fn origin(&self, stack: usize, path: &[Seg]) -> Option<(String, usize)> {
        let render = &self.stacks[stack];
        let node = node_at(&render.node, path);
        let offset = text_offset(&render.traced.text, node.pos.line, node.pos.column)?;
        render
            .traced
            .origin(offset)
            .map(|(template, offset)| (template.to_string(), offset))
    }

    fn line_of(&self, template: &str, offset: usize) -> usize {
        self.oracle
            .sources
            .get(template)
            .map_or(0, |s| s[..offset.min(s.len())].matches('\n').count() + 1)
    }

    /// The `for` body that produced the node at `path`, if the innermost body is one.
    fn loop_at(&self, stack: usize, path: &[Seg]) -> Option<String> {
        let (template, offset) = self.origin(stack, path)?;
        innermost(self.oracle.branches.get(&template)?, offset)?
            .loop_header
            .clone()
    }

    fn fallback(&self, stack: usize, path: &[Seg], reason: String) -> Fallback {
        let at = self.origin(stack, path).map(|(template, offset)| {
            let line = self.line_of(&template, offset);
            (template, line)
        });
        Fallback { reason, at }
    }
}

fn reference(name: &str) -> Json {
    serde_json::json!({ "Ref": name })
}

/// A string with each marked value replaced by its site, to tell keys apart by expression.
fn skeleton(marked: &str) -> String {
    match pieces(marked) {
        Some(pieces) => pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Printed(site, _) => format!("{MARK_OPEN}{site}"),
            })
            .collect(),
        None => marked.to_string(),
    }
}

/// The value with markers taken out (the render as parsed).
pub fn unmarked_json(value: &Json) -> Json {
    match value {
        Json::String(s) => Json::String(unmarked(s)),
        Json::Array(items) => Json::Array(items.iter().map(unmarked_json).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (unmarked(k), unmarked_json(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether the marked document is the render once its markers are out: the same structure, and
/// each scalar the same as CloudFormation reads it (a marked `80` or `True` is text until the
/// markers go). The path of the first difference otherwise.
pub fn marked_difference(marked: &Json, truth: &Json) -> Option<String> {
    fn walk(marked: &Json, truth: &Json, path: &mut Vec<String>) -> Option<String> {
        match (marked, truth) {
            (Json::Object(a), Json::Object(b)) => {
                if a.len() != b.len() {
                    return Some(path.join("."));
                }
                for ((ka, va), (kb, vb)) in a.iter().zip(b) {
                    if unmarked(ka) != *kb {
                        return Some(path.join("."));
                    }
                    path.push(kb.clone());
                    let found = walk(va, vb, path);
                    path.pop();
                    if found.is_some() {
                        return found;
                    }
                }
                None
            }
            (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
                a.iter().zip(b).enumerate().find_map(|(i, (x, y))| {
                    path.push(i.to_string());
                    let found = walk(x, y, path);
                    path.pop();
                    found
                })
            }
            (Json::String(s), truth) if !truth.is_object() && !truth.is_array() => {
                let text = unmarked(s);
                let wanted = super::cfn::scalar_text(truth);
                let same = match truth {
                    Json::String(t) => *t == text,
                    _ => wanted.as_deref() == Some(typed_text(&text).as_str()),
                };
                (!same).then(|| path.join("."))
            }
            (a, b) => (canonical(a) != canonical(b)).then(|| path.join(".")),
        }
    }
    walk(marked, truth, &mut Vec::new())
}

/// For each item of `list`, the index of the `base` item it lines up with (longest common
/// subsequence by skeleton); `None` for items that line up with none.
fn align(base: &[Json], list: &[Json]) -> Vec<Option<usize>> {
    let key = |v: &Json| skeleton(&v.to_string());
    let (a, b): (Vec<String>, Vec<String>) = (
        base.iter().map(key).collect(),
        list.iter().map(key).collect(),
    );
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let mut out = vec![None; b.len()];
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out[j] = Some(i);
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_what_expressions_read() {
        assert_eq!(name_of("environment.inputs.vpc_cidr"), "VpcCidr");
        assert_eq!(name_of("service.name"), "ServiceName");
        assert_eq!(name_of("environment.outputs.VpcId | lower"), "VpcIdLower");
        assert_eq!(name_of("service_instance.inputs['task-size']"), "TaskSize");
        assert_eq!(name_of("environment.inputs.name | default('x')"), "Name");
        assert_eq!(name_of("'literal'"), "Value");
        assert_eq!(name_of("service_instance.inputs.port + 1"), "Port");
        assert_eq!(
            name_of("range(1, environment.inputs.nat_gateway_count + 1)"),
            "NatGatewayCount"
        );
        assert_eq!(
            name_of("'enabled' if environment.inputs.container_insights else 'disabled'"),
            "ContainerInsights"
        );
        assert_eq!(name_of("not environment.inputs.public"), "Public");
    }

    #[test]
    fn lists_line_up_by_skeleton() {
        let base: Vec<Json> = serde_json::from_str(r#"["a", "b", "c"]"#).unwrap();
        let list: Vec<Json> = serde_json::from_str(r#"["a", "c"]"#).unwrap();
        assert_eq!(align(&base, &list), [Some(0), Some(2)]);
    }

    #[test]
    fn offsets_of_positions() {
        assert_eq!(text_offset("ab\ncé\nd", 2, 2), Some(4));
        assert_eq!(text_offset("ab\ncé\nd", 3, 1), Some(7));
    }
}
