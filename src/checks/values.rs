//! Property values against their resource type's schema, at every depth: types (with
//! CloudFormation's leniency: `"60"` is an integer, `"true"` a boolean), allowed values, patterns
//! and ID/ARN formats, lengths, item counts, bounds, unknown and missing properties. Intrinsic
//! functions stand for any value (both branches of an `Fn::If` are checked); values that came
//! from mocks or placeholders are not judged ([`Mocked`]).

use super::data::{Shard, SCHEMAS};
use super::formats;
use super::shapes::{self, Shape, TypeSchema, Types};
use super::structure::suggest;
use super::template::{intrinsic, Template};
use super::{Finding, Mocked};
use crate::yaml::{Node, NodeValue, Pos};

/// Properties `aws cloudformation package` fills from a local path: a string stands there for
/// the object (as cfn-lint allows).
const PACKAGED: &[(&str, &str)] = &[
    ("AWS::ApiGateway::RestApi", "BodyS3Location"),
    ("AWS::Lambda::Function", "Code"),
    ("AWS::Lambda::LayerVersion", "Content"),
    ("AWS::ElasticBeanstalk::ApplicationVersion", "SourceBundle"),
    ("AWS::StepFunctions::StateMachine", "DefinitionS3Location"),
    ("AWS::AppSync::GraphQLSchema", "DefinitionS3Location"),
    ("AWS::AppSync::Resolver", "RequestMappingTemplateS3Location"),
    (
        "AWS::AppSync::Resolver",
        "ResponseMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::FunctionConfiguration",
        "RequestMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::FunctionConfiguration",
        "ResponseMappingTemplateS3Location",
    ),
    ("AWS::CloudFormation::Stack", "TemplateURL"),
];

/// Checks every resource's property values and SAM's `Globals` section (its names, and each
/// section's values against its resource type's schema); says once per service, at its first
/// resource, when its schemas could not be fetched (the page fetches them on first use).
pub fn check(template: &Template, mocked: &Mocked, findings: &mut Vec<Finding>) {
    let sam = template.is_sam();
    let mut targets: Vec<Target> = Vec::new();
    if let Some(globals) = template.section("Globals").filter(|_| sam) {
        // Its names against what SAM takes, then each section's values as its type's.
        let sections = globals.as_map().unwrap_or_default().iter();
        let kinds = sections.map(|(kind, section)| (Some(kind.key_text()), section));
        for (kind, properties) in [(None, globals)].into_iter().chain(kinds) {
            targets.push(Target {
                section: "Globals",
                name: "Globals".into(),
                type_name: match &kind {
                    Some(kind) => format!("{SAM}::{kind}"),
                    None => "Globals".into(),
                },
                service: SAM,
                properties,
                at: globals.pos,
                kind,
                globals: None,
            });
        }
    }
    for (name, _, resource) in template.entries("Resources") {
        let Some(type_node) = resource.get("Type") else {
            continue;
        };
        let (Some(type_name), Some(properties)) = (type_node.as_str(), resource.get("Properties"))
        else {
            continue;
        };
        // A SAM type without the transform is the resource check's finding.
        let sam_type = super::resources::is_sam_type(type_name);
        if (sam_type && !sam) || super::resource_types::lookup(type_name).is_none() {
            continue;
        }
        targets.push(Target {
            section: "Resources",
            name,
            type_name: type_name.into(),
            service: shapes::service_of(type_name),
            properties,
            at: type_node.pos,
            kind: None,
            globals: template.sam_globals(type_name, resource),
        });
    }
    // Services whose schemas could not be fetched, said once each.
    let mut said: Vec<&str> = Vec::new();
    for target in &targets {
        let service = target.service;
        let schemas = match shapes::of_service(service) {
            Ok(schemas) => schemas,
            Err(Shard::Unavailable) if !said.contains(&service) => {
                said.push(service);
                let what = format!("the property values of {service} resources were not checked");
                let finding = super::unavailable(&SCHEMAS, service, what, target.at);
                findings.push(finding.about(target.section, &target.name, None));
                continue;
            }
            // Pending: the page renders again once it has fetched them.
            Err(_) => continue,
        };
        let Some(schema) = schemas.get(&target.type_name) else {
            continue;
        };
        let mut walk = Walk {
            schema,
            mocked,
            section: target.section,
            name: &target.name,
            type_name: &target.type_name,
            globals: target.globals,
            path: target.kind.iter().cloned().collect(),
            findings: Vec::new(),
        };
        // The top-level names and required properties of a resource are the resource check's;
        // a `Globals` section holds some of its type's properties.
        let root = target.section == "Resources" || target.kind.is_some();
        walk.value(target.properties, schema.root, root);
        findings.extend(walk.findings);
    }
}

/// The service of SAM's types, whose shard also holds the `Globals` section's schema.
const SAM: &str = "AWS::Serverless";

/// What the value check walks: a resource's properties, SAM's `Globals` section, or one of its
/// sections (`Globals.Function`) as properties of its resource type.
struct Target<'t> {
    /// `Resources` or `Globals`.
    section: &'static str,
    name: String,
    /// The schema's key in its service's shard (`AWS::S3::Bucket`, `Globals`).
    type_name: String,
    service: &'t str,
    properties: &'t Node,
    /// Where the type is written (said when the schemas could not be fetched).
    at: Pos,
    /// The `Globals` section walked (`Function`).
    kind: Option<String>,
    /// For a SAM resource, the `Globals` section merged into it.
    globals: Option<&'t Node>,
}

struct Walk<'a> {
    schema: &'a TypeSchema,
    mocked: &'a Mocked,
    /// `Resources` (then `name` is the resource's) or `Globals`.
    section: &'a str,
    name: &'a str,
    /// A SAM resource's `Globals` section: a property it also sets may be completed from there
    /// (the transform merges mappings), so its required properties are not judged.
    globals: Option<&'a Node>,
    type_name: &'a str,
    /// Property names and list indices down to the value being checked.
    path: Vec<String>,
    findings: Vec<Finding>,
}

impl<'a> Walk<'a> {
    /// Shape `index`, borrowed from the schema (not from the walk, which goes on changing).
    fn shape(&self, index: usize) -> &'a Shape {
        &self.schema.shapes[index]
    }

    /// Reports the value at the current path: `` `A.B` of resource `R` `` followed by `what`.
    fn report(&mut self, code: &'static str, pos: Pos, what: std::fmt::Arguments, hint: &str) {
        let detail = self.path.join(".");
        // `Globals` is named as a section, anything else as a resource.
        let owner = match self.section {
            "Globals" => "",
            _ => "resource ",
        };
        let message = match detail.is_empty() {
            true => format!("the properties of {owner}`{}` {what}", self.name),
            false => format!("`{detail}` of {owner}`{}` {what}", self.name),
        };
        let finding = Finding::error(code, pos, message, hint).about(
            self.section,
            self.name,
            (!detail.is_empty()).then_some(detail.as_str()),
        );
        self.findings.push(finding);
    }

    /// Checks `node` against shape `index`; `root` is the resource's `Properties`, whose names
    /// and required properties the resource check already judged.
    fn value(&mut self, node: &Node, index: usize, root: bool) {
        if let Some((function, argument)) = intrinsic(node).filter(|(f, _)| *f != "Condition") {
            if function == "Fn::If" {
                for branch in argument.as_seq().unwrap_or_default().iter().skip(1).take(2) {
                    let no_value = intrinsic(branch)
                        .is_some_and(|(f, a)| f == "Ref" && a.as_str() == Some("AWS::NoValue"));
                    if !no_value {
                        self.value(branch, index, root);
                    }
                }
            }
            return;
        }
        let shape = self.shape(index);
        if !self.fits_type(node, index) {
            return;
        }
        match &node.value {
            NodeValue::Map(entries) => self.object(node, entries, index, root),
            NodeValue::Seq(items) => self.array(node, items, index),
            _ => self.scalar(node, index),
        }
        for &part in &shape.all {
            self.value(node, part, root);
        }
        if !shape.alternatives.is_empty() {
            self.alternatives(node, &shape.alternatives, root);
        }
    }

    /// The value passes if one alternative takes it; else the findings of the closest one.
    fn alternatives(&mut self, node: &Node, alternatives: &[usize], root: bool) {
        let mut closest: Option<Vec<Finding>> = None;
        for &alternative in alternatives {
            let before = std::mem::take(&mut self.findings);
            self.value(node, alternative, root);
            let found = std::mem::replace(&mut self.findings, before);
            if found.is_empty() {
                return;
            }
            // The fewest findings; at a tie, rather a wrong value than a wrong type (an enum
            // beside `type: object` says more).
            let only_types = |f: &[Finding]| f.iter().all(|f| f.code == "cfn-value-type");
            let closer = closest.as_ref().is_none_or(|c| {
                found.len() < c.len()
                    || (found.len() == c.len() && only_types(c) && !only_types(&found))
            });
            if closer {
                closest = Some(found);
            }
        }
        // Alternative formats (`Key.Arn`, `Key.Id` or `Alias.AliasName`) are one finding.
        let formats: Option<Vec<&str>> = alternatives
            .iter()
            .map(|&a| Some(self.schema.formats[self.shape(a).format?].name.as_str()))
            .collect();
        if let (Some(formats), Some(text)) = (formats, scalar_text(node)) {
            self.report(
                "cfn-value-format",
                node.pos,
                format_args!("is `{text}`, which is none of {}", formats.join(", ")),
                "write a real value; values from mocked outputs are not judged",
            );
            return;
        }
        self.findings.extend(closest.unwrap_or_default());
    }

    fn fits_type(&mut self, node: &Node, index: usize) -> bool {
        let types = self.shape(index).types;
        if types.any() || self.is_mocked(node) {
            return true;
        }
        let packaged = matches!(node.value, NodeValue::Str(_))
            && self.path.len() == 1
            && PACKAGED.contains(&(self.type_name, self.path[0].as_str()));
        if packaged || lenient_type(node, types) {
            return true;
        }
        let expected = types.describe();
        let write = format!("write {expected}");
        let hint = match (node.is_null(), types.has(Types::OBJECT), types.has(Types::ARRAY)) {
            (true, _, _) => "write a value or leave the property out (an empty Jinja expression renders nothing here)",
            (_, true, _) => "write a mapping of its properties",
            (_, _, true) => "write a list (`- item` lines or `[a, b]`)",
            _ => write.as_str(),
        };
        self.report(
            "cfn-value-type",
            node.pos,
            format_args!("must be {expected}, not {}", kind_of(node)),
            hint,
        );
        false
    }

    fn object(&mut self, node: &Node, entries: &[(Node, Node)], index: usize, root: bool) {
        for (key, value) in entries {
            let name = key.key_text();
            let shape = self.shape(index);
            let target = shape.property(&name).or_else(|| {
                shape
                    .pattern_properties
                    .iter()
                    .find(|(pattern, _)| formats::search(pattern, &name) != Some(false))
                    .map(|(_, i)| *i)
                    .or(shape.additional)
            });
            match target {
                Some(target) => {
                    self.path.push(name);
                    self.value(value, target, false);
                    self.path.pop();
                }
                None if shape.closed && !root && !name.starts_with("Fn::") => {
                    let known: Vec<&str> =
                        shape.properties.iter().map(|(p, _)| p.as_str()).collect();
                    let hint = match suggest(&name, known.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("it takes {}", known.join(", ")),
                    };
                    self.path.push(name);
                    self.report(
                        "cfn-property",
                        key.pos,
                        format_args!("is not a known property"),
                        &hint,
                    );
                    self.path.pop();
                }
                None => {}
            }
        }
        let completed = self
            .globals
            .zip(self.path.first())
            .is_some_and(|(globals, top)| globals.get(top).is_some());
        if root || completed {
            return;
        }
        let shape = self.shape(index);
        let missing = shape
            .required
            .iter()
            .filter(|r| !entries.iter().any(|(k, _)| k.key_text() == **r));
        for required in missing {
            self.report(
                "cfn-required-property",
                node.pos,
                format_args!("needs property `{required}`"),
                "CloudFormation rejects the resource without it",
            );
        }
    }

    fn array(&mut self, node: &Node, items: &[Node], index: usize) {
        let shape = self.shape(index);
        let (min, max, unique, item) = (
            shape.min_items,
            shape.max_items,
            shape.unique_items,
            shape.items,
        );
        let count = items.len() as u64;
        let counted = !items
            .iter()
            .any(|i| intrinsic(i).is_some_and(|(f, _)| f == "Fn::If"));
        if counted && (min.is_some_and(|m| count < m) || max.is_some_and(|m| count > m)) {
            self.report(
                "cfn-value-length",
                node.pos,
                format_args!("has {count} items; {}", bounds_text(min, max, "items")),
                "add or remove items",
            );
        }
        if unique {
            let mut seen = Vec::new();
            for entry in items {
                let json = entry.to_json();
                if seen.contains(&json) && !self.is_mocked(entry) {
                    self.report(
                        "cfn-value-unique",
                        entry.pos,
                        format_args!(
                            "lists {} twice; items must be unique",
                            crate::yaml::node_text(entry)
                        ),
                        "remove the repeated item",
                    );
                } else {
                    seen.push(json);
                }
            }
        }
        if let Some(item) = item {
            for (i, entry) in items.iter().enumerate() {
                self.path.push(i.to_string());
                self.value(entry, item, false);
                self.path.pop();
            }
        }
    }

    fn scalar(&mut self, node: &Node, index: usize) {
        if self.is_mocked(node) {
            return;
        }
        let Some(text) = scalar_text(node) else {
            return;
        };
        if text.contains("{{resolve:") {
            return;
        }
        let shape = self.shape(index);
        if !shape.allowed.is_empty()
            && !shape
                .allowed
                .iter()
                .any(|a| same_value(&text, a, shape.case_insensitive))
        {
            let names = shape.allowed.join(", ");
            let hint = match suggest(&text, shape.allowed.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`? Allowed: {names}"),
                None => format!("allowed: {names}"),
            };
            let written = match (&node.value, &node.raw) {
                (NodeValue::Bool(_), Some(raw)) if raw != &text => {
                    format!("`{raw}` (YAML 1.1 reads the boolean {text})")
                }
                _ => format!("`{text}`"),
            };
            self.report(
                "cfn-value-allowed",
                node.pos,
                format_args!("is {written}, which is not an allowed value"),
                &hint,
            );
            return;
        }
        let (min, max) = (shape.min_length, shape.max_length);
        let (minimum, maximum) = (shape.minimum, shape.maximum);
        if let Some(format) = shape.format.map(|f| &self.schema.formats[f]) {
            if formats::search(&format.pattern, &text) == Some(false) {
                let hint = format!(
                    "write a real value (cfn-lint {}); values from mocked outputs are not judged",
                    format.rule
                );
                self.report(
                    "cfn-value-format",
                    node.pos,
                    format_args!("is `{text}`, which is not a valid {}", format.name),
                    &hint,
                );
                return;
            }
        }
        if let Some(pattern) = &shape.pattern {
            if formats::search(pattern, &text) == Some(false) {
                self.report(
                    "cfn-value-pattern",
                    node.pos,
                    format_args!("is `{text}`, which does not match the pattern `{pattern}`"),
                    "CloudFormation's resource schema rejects it",
                );
                return;
            }
        }
        if matches!(node.value, NodeValue::Str(_)) {
            let length = text.chars().count() as u64;
            if min.is_some_and(|m| length < m) || max.is_some_and(|m| length > m) {
                self.report(
                    "cfn-value-length",
                    node.pos,
                    format_args!(
                        "is {length} characters long; {}",
                        bounds_text(min, max, "characters")
                    ),
                    "shorten or lengthen the value",
                );
            }
        }
        let number = match &node.value {
            NodeValue::Int(i) => Some(*i as f64),
            NodeValue::Float(f) => Some(*f),
            NodeValue::Str(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        if let Some(number) = number {
            if minimum.is_some_and(|m| number < m) || maximum.is_some_and(|m| number > m) {
                let range = match (minimum, maximum) {
                    (Some(a), Some(b)) => format!("from {a} to {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (_, Some(b)) => format!("at most {b}"),
                    _ => String::new(),
                };
                self.report(
                    "cfn-value-range",
                    node.pos,
                    format_args!("is {text}; it must be {range}"),
                    "CloudFormation's resource schema rejects it",
                );
            }
        }
    }

    fn is_mocked(&self, node: &Node) -> bool {
        scalar_text(node).is_some_and(|t| self.mocked.covers(&t))
    }
}

/// cfn-lint's (non-strict) reading of CloudFormation types: scalars are strings, numeric strings
/// numbers, `"true"`/`"false"` booleans.
fn lenient_type(node: &Node, types: Types) -> bool {
    let fits = |bit: u8| match (&node.value, bit) {
        (NodeValue::Null, _) => false,
        (NodeValue::Map(_), Types::OBJECT) | (NodeValue::Seq(_), Types::ARRAY) => true,
        (NodeValue::Map(_) | NodeValue::Seq(_), _) => false,
        (_, Types::STRING) => true,
        (NodeValue::Bool(_), Types::BOOLEAN) => true,
        (NodeValue::Bool(_), _) => false,
        (NodeValue::Int(_) | NodeValue::Float(_), Types::INTEGER | Types::NUMBER) => true,
        (NodeValue::Str(s), Types::INTEGER) => {
            let s = s.trim();
            s.strip_prefix(['+', '-'])
                .unwrap_or(s)
                .chars()
                .all(|c| c.is_ascii_digit())
                && !s.is_empty()
                && s != "+"
                && s != "-"
        }
        (NodeValue::Str(s), Types::NUMBER) => s.trim().parse::<f64>().is_ok(),
        (NodeValue::Str(s), Types::BOOLEAN) => {
            ["true", "True", "TRUE", "false", "False", "FALSE"].contains(&s.as_str())
        }
        _ => false,
    };
    // Each type's bit, `Types::OBJECT` (1) to `Types::BOOLEAN` (32).
    (0..6)
        .map(|shift| 1 << shift)
        .any(|bit| types.has(bit) && fits(bit))
}

fn kind_of(node: &Node) -> String {
    match &node.value {
        NodeValue::Null => "empty".into(),
        NodeValue::Map(_) => "a mapping".into(),
        NodeValue::Seq(_) => "a list".into(),
        NodeValue::Bool(b) => format!("the boolean `{b}`"),
        NodeValue::Int(_) | NodeValue::Float(_) => {
            format!("the number `{}`", crate::yaml::node_text(node))
        }
        NodeValue::Str(s) => format!("`{s}`"),
    }
}

/// A scalar's text as Python's `str()` gives it (what cfn-lint compares and matches).
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        NodeValue::Str(s) => Some(s.clone()),
        NodeValue::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        NodeValue::Int(i) => Some(i.to_string()),
        NodeValue::Float(f) => Some(crate::render::pyrepr::float_repr(*f)),
        _ => None,
    }
}

/// cfn-lint's enum equality on texts: booleans (`True`, `"false"`) alike in any case, else
/// compared as text.
fn same_value(text: &str, allowed: &str, case_insensitive: bool) -> bool {
    let booleanish = |s: &str| s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false");
    if (booleanish(text) && booleanish(allowed)) || case_insensitive {
        return text.to_lowercase() == allowed.to_lowercase();
    }
    text == allowed
}

fn bounds_text(min: Option<u64>, max: Option<u64>, unit: &str) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("it needs exactly {a} {unit}"),
        (Some(a), Some(b)) => format!("it takes {a} to {b} {unit}"),
        (Some(a), None) => format!("it needs at least {a} {unit}"),
        (_, Some(b)) => format!("it takes at most {b} {unit}"),
        _ => String::new(),
    }
}
