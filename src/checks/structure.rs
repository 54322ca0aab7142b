//! The template's shape: top-level sections, format version, `Resources` present, parameters
//! Proton cannot supply, outputs without a value.

use super::template::Template;
use super::Finding;
use crate::yaml::NodeValue;

const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
    "Hooks",
];

pub fn check(template: &Template, findings: &mut Vec<Finding>) {
    let root = &template.root;
    let Some(entries) = root.as_map() else {
        findings.push(Finding::error(
            "cfn-structure",
            root.pos,
            format!(
                "a CloudFormation template is a mapping, this is a {}",
                root.type_name()
            ),
            "start with `AWSTemplateFormatVersion: '2010-09-09'` and a `Resources:` mapping",
        ));
        return;
    };
    for (key, value) in entries {
        let name = key.key_text();
        let known = SECTIONS.contains(&name.as_str()) || (name == "Globals" && template.is_sam());
        if !known {
            let hint = if name == "Globals" {
                format!(
                    "`Globals` needs `Transform: {}`",
                    super::template::SAM_TRANSFORM
                )
            } else {
                match suggest(&name, SECTIONS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the sections are {}", SECTIONS.join(", ")),
                }
            };
            findings.push(Finding::error(
                "cfn-structure",
                key.pos,
                format!("`{name}` is not a template section"),
                hint,
            ));
        }
        if name == "AWSTemplateFormatVersion" && value.as_str() != Some("2010-09-09") {
            findings.push(Finding::error(
                "cfn-format-version",
                value.pos,
                format!(
                    "AWSTemplateFormatVersion must be '2010-09-09', not {}",
                    shown(value)
                ),
                "it is the only version CloudFormation has; quote it",
            ));
        }
    }
    match root.get("Resources") {
        None => findings.push(Finding::error(
            "cfn-resources",
            root.pos,
            "the template has no `Resources` section".into(),
            "CloudFormation needs at least one resource",
        )),
        Some(r) if r.as_map().is_none_or(<[_]>::is_empty) => findings.push(Finding::error(
            "cfn-resources",
            r.pos,
            "`Resources` is empty".into(),
            "CloudFormation needs at least one resource (an `{% if %}` may have removed them all)",
        )),
        Some(_) => {}
    }
    for (name, key, parameter) in template.entries("Parameters") {
        if parameter.as_map().is_some() && parameter.get("Default").is_none() {
            findings.push(
                Finding::error(
                    "cfn-parameter-default",
                    key.pos,
                    format!("parameter `{name}` has no Default, and Proton passes no parameters"),
                    "give it a Default, or render the value into the template with `{{ … }}`",
                )
                .about("Parameters", &name, None),
            );
        }
    }
    for (name, key, output) in template.entries("Outputs") {
        outputs::check(&name, key, output, findings);
    }
}

/// The shape of one output: `Value` (a string, or a function that gives one), `Description`,
/// `Export` with its `Name`, `Condition`, nothing else. CloudFormation rejects the template
/// otherwise.
mod outputs {
    use super::super::template::intrinsic;
    use super::Finding;
    use crate::yaml::{Node, NodeValue};

    /// A string, a number or a function call: what CloudFormation can turn into a string.
    fn text_like(node: &Node) -> bool {
        !matches!(
            node.value,
            NodeValue::Seq(_) | NodeValue::Map(_) | NodeValue::Null
        ) || intrinsic(node).is_some()
    }

    pub fn check(name: &str, key: &Node, output: &Node, findings: &mut Vec<Finding>) {
        let Some(entries) = output.as_map() else {
            findings.push(
                Finding::error(
                    "cfn-output",
                    output.pos,
                    format!("output `{name}` must be a mapping with `Value:`"),
                    "Outputs:\n  Name:\n    Value: …",
                )
                .about("Outputs", name, None),
            );
            return;
        };
        for (k, v) in entries {
            let field = k.key_text();
            match field.as_str() {
                "Value" | "Description" if !text_like(v) => findings.push(
                    Finding::error(
                        "cfn-output",
                        v.pos,
                        format!("the {field} of output `{name}` is a {}, CloudFormation needs a string", v.type_name()),
                        if field == "Value" {
                            "join a list with !Join [',', …]; a mapping cannot be an output"
                        } else {
                            "write the description as text"
                        },
                    )
                    .about("Outputs", name, Some(&field)),
                ),
                "Export" => match v.get("Name") {
                    None => findings.push(
                        Finding::error(
                            "cfn-output",
                            v.pos,
                            format!("the Export of output `{name}` has no Name"),
                            "Export:\n  Name: !Sub '${AWS::StackName}-…'",
                        )
                        .about("Outputs", name, Some("Export")),
                    ),
                    Some(export) if !text_like(export) => findings.push(
                        Finding::error(
                            "cfn-output",
                            export.pos,
                            format!(
                                "the Export Name of output `{name}` is a {}, CloudFormation needs a string",
                                export.type_name()
                            ),
                            "name it with a string or !Sub '${AWS::StackName}-…'",
                        )
                        .about("Outputs", name, Some("Export")),
                    ),
                    Some(_) => {}
                },
                "Value" | "Description" | "Condition" => {}
                other => findings.push(
                    Finding::error(
                        "cfn-output",
                        k.pos,
                        format!("output `{name}` has an unknown key `{other}`"),
                        "an output has Value, Description, Export and Condition",
                    )
                    .about("Outputs", name, Some(other)),
                ),
            }
        }
        if output.get("Value").is_none() {
            findings.push(
                Finding::error(
                    "cfn-output-value",
                    key.pos,
                    format!("output `{name}` has no Value"),
                    "every output needs `Value:`",
                )
                .about("Outputs", name, Some("Value")),
            );
        }
    }
}

fn shown(node: &crate::yaml::Node) -> String {
    match &node.value {
        NodeValue::Str(s) => format!("'{s}'"),
        _ => node.key_text(),
    }
}

/// "Did you mean" suggestions one template's check makes; the findings past them get none.
pub const MAX_SUGGESTIONS: usize = 64;

thread_local! {
    static SUGGESTIONS_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(MAX_SUGGESTIONS) };
}

/// Starts the suggestion budget of one template's check.
pub(super) fn reset_suggestions() {
    SUGGESTIONS_LEFT.set(MAX_SUGGESTIONS);
}

/// The candidate closest to `name` (case-insensitive, within a small edit distance). Lengths
/// are compared first: most of the 1,868 resource type names are ruled out without a distance.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Each suggestion compares with every candidate: 60,000 misspelt names against 60,000
    // resources (or 1,868 types) would be quadratic, so a check makes a bounded number of them.
    let left = SUGGESTIONS_LEFT.get();
    if left == 0 {
        return None;
    }
    SUGGESTIONS_LEFT.set(left - 1);
    let wanted: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    candidates
        .into_iter()
        .filter_map(|candidate| {
            let limit = 2.max(candidate.len() / 4);
            if candidate.len().abs_diff(name.len()) > limit {
                return None;
            }
            distance_within(&wanted, candidate, limit).map(|d| (d, candidate))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between `a` (lowercased) and `b`, ignoring ASCII case, when it is at
/// most `limit` (a row whose every cell is over the limit ends the computation).
fn distance_within(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
        if row.iter().all(|&d| d > limit) {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= limit)
}
