//! The outputs an environment template version declares (docs/proton-semantics.md §11.3), which its
//! services may read: the environment-output contract and the mocks a paired service renders with.

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Kind};
use crate::context::Target;
use crate::diagnostic::Diagnostic;
use crate::report::{run, Request};
use crate::workspace::suggestions::placeholder_spec;
use crate::yaml;
use std::sync::Arc;

/// What an environment template version declares it outputs.
#[derive(Debug, Clone)]
pub enum Declared {
    Outputs(Arc<[String]>),
    /// Not knowable before deployment (CodeBuild).
    Unknown,
    /// The template does not render at the moment (the first error says why): its outputs
    /// cannot be read, and what its services read cannot be checked against them.
    Unrendered(Box<Diagnostic>),
}

impl Declared {
    /// The declared outputs, when known.
    pub fn outputs(&self) -> Option<&[String]> {
        match self {
            Declared::Outputs(names) => Some(names),
            _ => None,
        }
    }
}

/// Outputs an environment template version declares (docs/proton-semantics.md §11.3):
/// CloudFormation `Outputs` rendered with default inputs, Terraform `output "X"` blocks,
/// customer-managed input names.
pub fn of(env: &Bundle) -> Declared {
    match names_of(env) {
        Ok(Some(names)) => Declared::Outputs(names.into()),
        Ok(None) => Declared::Unknown,
        Err(error) => Declared::Unrendered(Box::new(error)),
    }
}

fn names_of(env: &Bundle) -> Result<Option<Vec<String>>, Diagnostic> {
    Ok(match (env.kind, env.method()) {
        (Kind::CustomerManagedEnvironment, _) => Some(
            env.schema
                .as_ref()
                .and_then(|s| s.environment.as_ref())
                .map(|t| t.properties.iter().map(|p| p.name.clone()).collect())
                .unwrap_or_default(),
        ),
        (_, Some(Method::CloudFormation)) => {
            let request = Request {
                target: Some(Target::Environment),
                spec: Some(placeholder_spec(env)),
                skip_checks: true,
                ..Default::default()
            };
            let report = run(env, &request);
            if let Some(error) = report.diagnostics.iter().find(|d| {
                d.severity == crate::diagnostic::Severity::Error && d.code.starts_with("template-")
            }) {
                return Err(env.in_workspace(error.clone(), None));
            }
            Some(
                report
                    .outputs
                    .iter()
                    .flat_map(|o| output_names(&o.content))
                    .collect(),
            )
        }
        (_, Some(Method::Terraform)) => {
            let Some(infra) = env.infrastructure_for(Target::Environment) else {
                return Ok(None);
            };
            let mut names = Vec::new();
            for file in &infra.files {
                for line in env
                    .files
                    .get(file)
                    .map(String::as_str)
                    .unwrap_or_default()
                    .lines()
                {
                    let t = line.trim_start();
                    if let Some(rest) = t.strip_prefix("output") {
                        if let Some(name) = rest
                            .trim_start()
                            .strip_prefix('"')
                            .and_then(|r| r.split('"').next())
                        {
                            names.push(name.to_string());
                        }
                    }
                }
            }
            Some(names)
        }
        _ => None,
    })
}

/// `Outputs` keys of a rendered CloudFormation text.
pub fn output_names(text: &str) -> Vec<String> {
    // An environment's outputs are read on every edit of its template: parsing only the
    // top-level `Outputs:` block is a fraction of parsing the whole template.
    let names = |text: &str| {
        yaml::parse(text).ok().map(|doc| {
            doc.root
                .get("Outputs")
                .and_then(|o| o.as_map())
                .map(|m| m.iter().map(|(k, _)| k.key_text()).collect())
                .unwrap_or_default()
        })
    };
    outputs_block(text)
        .and_then(names)
        .or_else(|| names(text))
        .unwrap_or_default()
}

/// The lines of a block-style document's one top-level `Outputs:` key, up to the next
/// top-level line (nothing inside a block mapping's value starts at column 0).
fn outputs_block(text: &str) -> Option<&str> {
    let top_level = |line: &str| {
        line.starts_with(|c: char| !c.is_whitespace() && c != '#') && !line.starts_with("---")
    };
    let mut starts = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain([0])
        .filter(|&i| text[i..].starts_with("Outputs:"));
    let start = starts.next()?;
    if starts.next().is_some() {
        return None; // a duplicate key: the whole parse reports it
    }
    let rest = &text[start..];
    let end = rest
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| top_level(&rest[i..]))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_come_from_the_outputs_block_or_the_whole_document() {
        let block = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\nOutputs:\n  # the VPC\n  VpcId:\n    Value: !Ref Vpc\n\n  Cluster: {Value: x}\nDescription: |\n  Outputs: not a key\n";
        assert_eq!(output_names(block), ["VpcId", "Cluster"]);
        assert_eq!(
            outputs_block(block),
            Some("Outputs:\n  # the VPC\n  VpcId:\n    Value: !Ref Vpc\n\n  Cluster: {Value: x}\n")
        );
        // JSON, a flow mapping and a duplicate key are read from the whole document.
        let json = "{\n  \"Outputs\": {\"A\": {\"Value\": 1}},\n  \"Resources\": {}\n}\n";
        assert_eq!(output_names(json), ["A"]);
        assert_eq!(
            output_names("{\nOutputs: {B: {Value: 1}},\nResources: {}\n}\n"),
            ["B"]
        );
        assert_eq!(outputs_block("Outputs:\n  A: 1\nOutputs:\n  B: 2\n"), None);
        assert_eq!(output_names("Resources: {}\n"), Vec::<String>::new());
    }
}
