//! Each resource: its keys, its `Type` (known to CloudFormation) and its properties (known,
//! required ones present), from the resource type table.

use super::resource_types::{self, ResourceType};
use super::structure::suggest;
use super::template::{intrinsic, Template};
use super::Finding;

const RESOURCE_KEYS: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "Metadata",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
    "Version",
];

/// SAM resource types (`Transform: AWS::Serverless-2016-10-31` expands them).
pub fn is_sam_type(type_name: &str) -> bool {
    type_name.starts_with("AWS::Serverless::")
}

/// What a resource's `Type` names.
pub enum Kind {
    /// A type in the table.
    Known(ResourceType),
    /// Custom resources, modules, registry types: valid, not checkable here.
    Opaque,
}

/// Why a `Type` is not valid.
pub enum TypeProblem {
    NeedsSam,
    Unknown,
    Malformed,
}

impl TypeProblem {
    /// The message and hint for `type_name` (the suggestion is only computed here).
    fn describe(&self, type_name: &str) -> (String, String) {
        match self {
            TypeProblem::NeedsSam => (
                format!("`{type_name}` needs the SAM transform"),
                format!("add `Transform: {}`", super::template::SAM_TRANSFORM),
            ),
            TypeProblem::Unknown => {
                // Same service first (`AWS::SQS::Queu`), then every type (`AWS::SQ::Queue`).
                let service = type_name.rsplit_once("::").map_or("", |(s, _)| s);
                let same_service = resource_types::names().filter(|n| {
                    n.len() > service.len() && n[..service.len()].eq_ignore_ascii_case(service)
                });
                let suggestion = suggest(type_name, same_service)
                    .or_else(|| suggest(type_name, resource_types::names()));
                (
                    format!("unknown resource type `{type_name}`"),
                    match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "see the CloudFormation resource type reference".into(),
                    },
                )
            }
            TypeProblem::Malformed => (
                format!("`{type_name}` is not a resource type"),
                "types look like `AWS::Service::Resource` or `Custom::Name`".into(),
            ),
        }
    }
}

/// Classifies a type name; `sam` when the SAM transform is declared.
pub fn kind(type_name: &str, sam: bool) -> Result<Kind, TypeProblem> {
    if is_sam_type(type_name) && !sam {
        return Err(TypeProblem::NeedsSam);
    }
    if let Some(known) = resource_types::lookup(type_name) {
        return Ok(Kind::Known(known));
    }
    if type_name.starts_with("Custom::") && type_name.len() > "Custom::".len() {
        return Ok(Kind::Opaque);
    }
    let parts: Vec<&str> = type_name.split("::").collect();
    let well_formed = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    match parts.as_slice() {
        // Modules (`Org::Service::Thing::MODULE`) and third-party registry types.
        [_, _, _, "MODULE"] if well_formed => Ok(Kind::Opaque),
        ["AWS", _, _] | ["Alexa", _, _] if well_formed && resource_types::available() => {
            Err(TypeProblem::Unknown)
        }
        [_, _, _] if well_formed => Ok(Kind::Opaque),
        _ => Err(TypeProblem::Malformed),
    }
}

pub fn check(template: &Template, findings: &mut Vec<Finding>) {
    for (name, key, resource) in template.entries("Resources") {
        let Some(entries) = resource.as_map() else {
            findings.push(
                Finding::error(
                    "cfn-resource",
                    resource.pos,
                    format!("resource `{name}` must be a mapping with a `Type`"),
                    "write `Type:` and `Properties:` under it",
                )
                .about("Resources", &name, None),
            );
            continue;
        };
        let type_name = resource.get("Type").and_then(|t| t.as_str());
        // SAM reads its own resource attributes (`Connectors`, `IgnoreGlobals`) and drops others.
        let sam_resource = template.is_sam() && type_name.is_some_and(is_sam_type);
        for (k, _) in entries.iter().filter(|_| !sam_resource) {
            let attribute = k.key_text();
            if !RESOURCE_KEYS.contains(&attribute.as_str()) {
                findings.push(
                    Finding::error(
                        "cfn-resource",
                        k.pos,
                        format!("`{attribute}` is not a resource attribute (resource `{name}`)"),
                        match suggest(&attribute, RESOURCE_KEYS.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "properties go under `Properties:`".into(),
                        },
                    )
                    .about("Resources", &name, Some(&attribute)),
                );
            }
        }
        let Some(type_node) = resource.get("Type") else {
            findings.push(
                Finding::error(
                    "cfn-resource-type",
                    key.pos,
                    format!("resource `{name}` has no `Type`"),
                    "add `Type: AWS::Service::Resource`",
                )
                .about("Resources", &name, Some("Type")),
            );
            continue;
        };
        let Some(type_name) = type_node.as_str() else {
            findings.push(
                Finding::error(
                    "cfn-resource-type",
                    type_node.pos,
                    format!("the `Type` of resource `{name}` must be a string"),
                    "write the type name, e.g. `AWS::S3::Bucket`",
                )
                .about("Resources", &name, Some("Type")),
            );
            continue;
        };
        let known = match kind(type_name, template.is_sam()) {
            Ok(Kind::Known(t)) => t,
            Ok(_) => continue,
            Err(problem) => {
                let (message, hint) = problem.describe(type_name);
                findings.push(
                    Finding::error("cfn-resource-type", type_node.pos, message, hint).about(
                        "Resources",
                        &name,
                        Some("Type"),
                    ),
                );
                continue;
            }
        };
        check_properties(&name, key.pos, resource, known, findings);
    }
}

fn check_properties(
    name: &str,
    key_pos: crate::yaml::Pos,
    resource: &crate::yaml::Node,
    known: ResourceType,
    findings: &mut Vec<Finding>,
) {
    let properties = resource.get("Properties");
    if properties.is_some_and(|p| intrinsic(p).is_some()) {
        return;
    }
    let entries = properties.and_then(|p| p.as_map()).unwrap_or_default();
    for (k, _) in entries {
        let property = k.key_text();
        if known.has_property(&property) {
            continue;
        }
        let hint = if known.has_attribute(&property) {
            format!("`{property}` is read-only: read it with `!GetAtt {name}.{property}`")
        } else {
            match suggest(&property, known.properties().map(|(p, _)| p)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    let names: Vec<&str> = known.properties().map(|(p, _)| p).collect();
                    let shown = names
                        .iter()
                        .take(12)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ");
                    let more = names.len().saturating_sub(12);
                    format!(
                        "{} takes {shown}{}",
                        known.name,
                        if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        }
                    )
                }
            }
        };
        findings.push(
            Finding::error(
                "cfn-property",
                k.pos,
                format!("`{property}` is not a property of {}", known.name),
                hint,
            )
            .about("Resources", name, Some(&property)),
        );
    }
    for (required, _) in known.properties().filter(|(_, r)| *r) {
        if !entries.iter().any(|(k, _)| k.key_text() == required) {
            findings.push(
                Finding::error(
                    "cfn-required-property",
                    properties.map_or(key_pos, |p| p.pos),
                    format!(
                        "resource `{name}` ({}) needs property `{required}`",
                        known.name
                    ),
                    "CloudFormation rejects the resource without it",
                )
                .about("Resources", name, Some(required)),
            );
        }
    }
}
