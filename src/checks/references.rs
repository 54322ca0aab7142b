//! Names used across the template: `Ref`, `Fn::GetAtt` (with the type's attributes), `Fn::Sub`
//! variables, `DependsOn`, conditions (`Condition`, `Fn::If`) and `Fn::FindInMap` maps; and the
//! parameters, conditions and mappings nobody uses.

use super::resources::{self, Kind};
use super::structure::suggest;
use super::template::{intrinsic, offset, Template};
use super::Finding;
use crate::yaml::{Node, NodeValue, Pos};
use std::collections::{HashMap, HashSet};

pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// The names a template declares.
pub struct Names {
    pub parameters: Vec<(String, Pos)>,
    /// Resource name → its type's kind (`None` when the type is missing or invalid).
    pub resources: HashMap<String, Option<Kind>>,
    pub conditions: Vec<(String, Pos)>,
    pub mappings: Vec<(String, Pos)>,
    /// Under the SAM transform, resources it generates (`<Function>Role`, `ServerlessRestApi`).
    sam_prefixes: Vec<String>,
}

/// What SAM generates for the functions with a `DeploymentPreference`: one CodeDeploy
/// application and the role it deploys with.
const SAM_DEPLOYMENT: [&str; 2] = ["ServerlessDeploymentApplication", "CodeDeployServiceRole"];

impl Names {
    pub fn of(template: &Template) -> Names {
        let sam = template.is_sam();
        let mut sam_prefixes: Vec<String> = Vec::new();
        if sam {
            sam_prefixes.extend(["ServerlessRestApi".into(), "ServerlessHttpApi".into()]);
        }
        let resources = template
            .entries("Resources")
            .into_iter()
            .map(|(name, _, resource)| {
                let type_name = resource.get("Type").and_then(Node::as_str);
                if sam && type_name.is_some_and(resources::is_sam_type) {
                    sam_prefixes.push(name.clone());
                }
                // A function's `DeploymentPreference` makes SAM generate the CodeDeploy
                // application (and its role) all such functions share.
                let deploys = type_name == Some("AWS::Serverless::Function")
                    && resource
                        .get("Properties")
                        .and_then(|p| p.get("DeploymentPreference"))
                        .is_some_and(|d| {
                            d.get("Enabled").map(|e| &e.value) != Some(&NodeValue::Bool(false))
                        });
                if sam && deploys && !sam_prefixes.iter().any(|p| p == SAM_DEPLOYMENT[0]) {
                    sam_prefixes.extend(SAM_DEPLOYMENT.map(String::from));
                }
                let kind = type_name.and_then(|t| resources::kind(t, sam).ok());
                (name, kind)
            })
            .collect();
        let declared = |section: &str| {
            template
                .entries(section)
                .into_iter()
                .map(|(name, key, _)| (name, key.pos))
                .collect()
        };
        Names {
            parameters: declared("Parameters"),
            resources,
            conditions: declared("Conditions"),
            mappings: declared("Mappings"),
            sam_prefixes,
        }
    }

    pub fn is_parameter(&self, name: &str) -> bool {
        self.parameters.iter().any(|(p, _)| p == name)
    }

    pub fn is_resource(&self, name: &str) -> bool {
        self.resources.contains_key(name)
            || self
                .sam_prefixes
                .iter()
                .any(|p| name.starts_with(p.as_str()))
    }

    /// True when `Ref name` resolves.
    pub fn is_referable(&self, name: &str) -> bool {
        PSEUDO_PARAMETERS.contains(&name) || self.is_parameter(name) || self.is_resource(name)
    }

    fn referable(&self) -> impl Iterator<Item = &str> {
        self.parameters
            .iter()
            .map(|(p, _)| p.as_str())
            .chain(self.resources.keys().map(String::as_str))
            .chain(PSEUDO_PARAMETERS.iter().copied())
    }
}

#[derive(Default)]
struct Uses {
    names: HashSet<String>,
    conditions: HashSet<String>,
    mappings: HashSet<String>,
}

struct Walk<'a> {
    names: &'a Names,
    uses: Uses,
    findings: &'a mut Vec<Finding>,
}

pub fn check(template: &Template, names: &Names, findings: &mut Vec<Finding>) {
    if template.has_macro() {
        return;
    }
    let mut walk = Walk {
        names,
        uses: Uses::default(),
        findings,
    };
    for (section, value) in template.root.as_map().unwrap_or_default() {
        match section.key_text().as_str() {
            "Parameters"
            | "Mappings"
            | "AWSTemplateFormatVersion"
            | "Description"
            | "Transform" => {}
            "Resources" => walk.resources(value),
            "Outputs" => {
                for (_, output) in value.as_map().unwrap_or_default() {
                    walk.condition_attribute(output);
                    walk.node(output);
                }
            }
            _ => walk.node(value),
        }
    }
    let Walk { uses, findings, .. } = walk;
    let unused = |kind: &str, declared: &[(String, Pos)], used: &HashSet<String>, hint: &str| {
        declared
            .iter()
            .filter(|(name, _)| !used.contains(name))
            .map(|(name, pos)| {
                Finding::warning(
                    "cfn-unused",
                    *pos,
                    format!("{kind} `{name}` is never used"),
                    hint.to_string(),
                )
                .about(
                    match kind {
                        "parameter" => "Parameters",
                        "condition" => "Conditions",
                        _ => "Mappings",
                    },
                    name,
                    None,
                )
            })
            .collect::<Vec<_>>()
    };
    findings.extend(unused(
        "parameter",
        &names.parameters,
        &uses.names,
        "remove it, or use it with `!Ref`",
    ));
    findings.extend(unused(
        "condition",
        &names.conditions,
        &uses.conditions,
        "remove it, or use it in `Condition:` or `!If`",
    ));
    findings.extend(unused(
        "mapping",
        &names.mappings,
        &uses.mappings,
        "remove it, or read it with `!FindInMap`",
    ));
}

impl Walk<'_> {
    fn resources(&mut self, resources: &Node) {
        for (_, resource) in resources.as_map().unwrap_or_default() {
            self.condition_attribute(resource);
            if let Some(depends) = resource.get("DependsOn") {
                let targets = match &depends.value {
                    NodeValue::Seq(items) => items.iter().collect(),
                    _ => vec![depends],
                };
                for target in targets {
                    match target.as_str() {
                        Some(name) if self.names.is_resource(name) => {}
                        Some(name) => self.findings.push(
                            Finding::error(
                                "cfn-depends-on",
                                target.pos,
                                format!("DependsOn names `{name}`, which is not a resource"),
                                self.did_you_mean(
                                    name,
                                    self.names.resources.keys().map(String::as_str),
                                ),
                            )
                            .about(
                                "Resources",
                                name,
                                Some("DependsOn"),
                            ),
                        ),
                        None => self.findings.push(Finding::error(
                            "cfn-depends-on",
                            target.pos,
                            "DependsOn takes resource names".into(),
                            "write a name or a list of names",
                        )),
                    }
                }
            }
            for (key, value) in resource.as_map().unwrap_or_default() {
                if !matches!(key.key_text().as_str(), "DependsOn" | "Condition" | "Type") {
                    self.node(value);
                }
            }
        }
    }

    /// The `Condition:` attribute of a resource or output.
    fn condition_attribute(&mut self, node: &Node) {
        if node.as_map().is_some_and(|m| m.len() > 1) {
            if let Some(condition) = node.get("Condition") {
                self.condition(condition);
            }
        }
    }

    fn node(&mut self, node: &Node) {
        if let Some((function, argument)) = intrinsic(node) {
            self.function(function, argument);
            return;
        }
        match &node.value {
            NodeValue::Seq(items) => items.iter().for_each(|i| self.node(i)),
            NodeValue::Map(entries) => entries.iter().for_each(|(_, v)| self.node(v)),
            _ => {}
        }
    }

    fn function(&mut self, function: &str, argument: &Node) {
        let items = argument.as_seq().unwrap_or_default();
        match function {
            "Ref" => match argument.as_str() {
                Some(name) => self.reference(name, argument.pos),
                None => self.node(argument),
            },
            "Condition" => self.condition(argument),
            "Fn::GetAtt" => match &argument.value {
                NodeValue::Seq(parts) if !parts.is_empty() => {
                    match (parts[0].as_str(), parts.get(1)) {
                        (Some(resource), None) => self.attribute_missing(resource, argument.pos),
                        (Some(resource), Some(attribute)) => {
                            self.get_att(
                                resource,
                                attribute.as_str(),
                                parts[0].pos,
                                Some(attribute.pos),
                            );
                            // An attribute given by a function (`!Ref Param`) uses its names.
                            if attribute.as_str().is_none() {
                                parts.iter().skip(1).for_each(|p| self.node(p));
                            }
                        }
                        (None, _) => parts.iter().for_each(|p| self.node(p)),
                    }
                }
                NodeValue::Str(s) => match s.split_once('.') {
                    Some((resource, attribute)) => {
                        self.get_att(resource, Some(attribute), argument.pos, None)
                    }
                    None => self.attribute_missing(s, argument.pos),
                },
                _ => self.node(argument),
            },
            "Fn::Sub" => match &argument.value {
                NodeValue::Str(text) => self.sub(text, argument, &[]),
                NodeValue::Seq(parts) => {
                    let variables: Vec<String> = parts
                        .get(1)
                        .and_then(Node::as_map)
                        .unwrap_or_default()
                        .iter()
                        .map(|(k, _)| k.key_text())
                        .collect();
                    if let Some(text) = parts.first().and_then(Node::as_str) {
                        self.sub(text, &parts[0], &variables);
                    }
                    parts.iter().skip(1).for_each(|p| self.node(p));
                }
                _ => self.node(argument),
            },
            "Fn::If" => {
                if let Some(first) = items.first() {
                    self.condition(first);
                }
                items.iter().skip(1).for_each(|i| self.node(i));
            }
            "Fn::FindInMap" => {
                match items.first().map(|m| (m.as_str(), m)) {
                    Some((Some(map), node)) => {
                        self.uses.mappings.insert(map.to_string());
                        if !self.names.mappings.iter().any(|(m, _)| m == map) {
                            self.findings.push(Finding::error(
                                "cfn-find-in-map",
                                node.pos,
                                format!("FindInMap reads mapping `{map}`, which the template does not declare"),
                                self.did_you_mean(map, self.names.mappings.iter().map(|(m, _)| m.as_str())),
                            )
            .about("Mappings", map, Some("FindInMap")));
                        }
                    }
                    Some((None, node)) => self.node(node),
                    None => {}
                }
                items.iter().skip(1).for_each(|i| self.node(i));
            }
            _ => self.node(argument),
        }
    }

    fn reference(&mut self, name: &str, pos: Pos) {
        self.uses.names.insert(name.to_string());
        if !self.names.is_referable(name) {
            self.findings.push(
                Finding::error(
                    "cfn-ref",
                    pos,
                    format!("`{name}` is not a parameter, resource or pseudo parameter"),
                    self.did_you_mean(name, self.names.referable()),
                )
                .about("Parameters", name, Some("Ref")),
            );
        }
    }

    fn get_att(
        &mut self,
        resource: &str,
        attribute: Option<&str>,
        pos: Pos,
        attribute_pos: Option<Pos>,
    ) {
        self.uses.names.insert(resource.to_string());
        let Some(kind) = self.names.resources.get(resource) else {
            if !self.names.is_resource(resource) {
                self.findings.push(
                    Finding::error(
                        "cfn-getatt",
                        pos,
                        format!("GetAtt reads `{resource}`, which is not a resource"),
                        self.did_you_mean(
                            resource,
                            self.names.resources.keys().map(String::as_str),
                        ),
                    )
                    .about("Resources", resource, Some("GetAtt")),
                );
            }
            return;
        };
        if let (Some(Kind::Known(known)), Some(attribute)) = (kind, attribute) {
            // SAM resources expand into others whose attributes GetAtt reads.
            if !known.has_attribute(attribute) && !resources::is_sam_type(known.name) {
                let attributes: Vec<&str> = known.attributes().collect();
                self.findings.push(
                    Finding::error(
                        "cfn-getatt",
                        attribute_pos.unwrap_or(pos),
                        format!(
                            "{} has no attribute `{attribute}` (resource `{resource}`)",
                            known.name
                        ),
                        match suggest(attribute, attributes.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None if attributes.is_empty() => {
                                format!("{} has no attributes", known.name)
                            }
                            None => format!("its attributes are {}", attributes.join(", ")),
                        },
                    )
                    .about("Resources", resource, Some(attribute)),
                );
            }
        }
    }

    /// `Fn::GetAtt` names a resource and no attribute: CloudFormation rejects the template. The
    /// one finding for it (whether `resource` is one is told once the attribute is there).
    fn attribute_missing(&mut self, resource: &str, pos: Pos) {
        self.uses.names.insert(resource.to_string());
        self.findings.push(Finding::error(
            "cfn-getatt",
            pos,
            "GetAtt needs a resource and an attribute".into(),
            "write `!GetAtt Resource.Attribute` (or `[Resource, Attribute]`)",
        ));
    }

    /// `${Name}`, `${Resource.Attribute}` and `${!Literal}` in a `Fn::Sub` string.
    fn sub(&mut self, text: &str, node: &Node, variables: &[String]) {
        for (start, variable) in sub_variables(text) {
            if variables.iter().any(|v| v == variable) {
                continue;
            }
            // The column is exact when the string sits on one line, as written.
            let pos = column_in(node, text, start);
            match variable.split_once('.') {
                Some((resource, attribute)) if !variable.starts_with("AWS::") => {
                    self.get_att(resource, Some(attribute), pos, None)
                }
                _ => self.reference(variable, pos),
            }
        }
    }

    fn condition(&mut self, node: &Node) {
        let Some(name) = node.as_str() else {
            self.node(node);
            return;
        };
        self.uses.conditions.insert(name.to_string());
        if !self.names.conditions.iter().any(|(c, _)| c == name) {
            self.findings.push(
                Finding::error(
                    "cfn-condition",
                    node.pos,
                    format!("condition `{name}` is not declared in `Conditions`"),
                    self.did_you_mean(name, self.names.conditions.iter().map(|(c, _)| c.as_str())),
                )
                .about("Conditions", name, None),
            );
        }
    }

    fn did_you_mean<'b>(
        &self,
        name: &str,
        candidates: impl IntoIterator<Item = &'b str>,
    ) -> String {
        match suggest(name, candidates) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "declare it, or fix the name".into(),
        }
    }
}

/// The position of byte `start` of `text`, the value of the scalar `node`: exact on one line
/// (past the opening quote of a quoted scalar, when no escape comes before), else the node's.
pub fn column_in(node: &Node, text: &str, start: usize) -> Pos {
    let before = &text[..start];
    if text.contains('\n') {
        node.pos
    } else if node.raw.is_some() {
        offset(node.pos, before.chars().count())
    } else if !before.contains(['\'', '"', '\\']) {
        offset(node.pos, before.chars().count() + 1)
    } else {
        node.pos
    }
}

/// `(byte offset, name)` of each `${name}` in a `Fn::Sub` string (`${!Literal}` skipped).
pub fn sub_variables(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(i) = text[rest..].find("${") {
        let start = rest + i;
        let Some(len) = text[start + 2..].find('}') else {
            break;
        };
        let name = text[start + 2..start + 2 + len].trim();
        if !name.starts_with('!') && !name.is_empty() {
            found.push((start, name));
        }
        rest = start + 2 + len + 1;
    }
    found
}
