//! Service rules that make stack creation fail although the template is well formed:
//! - an S3 bucket with a canned ACL other than `Private` and no ownership controls that allow
//!   ACLs: since April 2023 S3 creates buckets with ACLs disabled (`BucketOwnerEnforced`), so
//!   CloudFormation's create fails (`cfn-s3-acl`);
//! - a Lambda function with inline code (`Code.ZipFile`, SAM's `InlineCode`) under a runtime
//!   other than Node.js or Python (its own, or SAM's `Globals.Function.Runtime`), the only ones
//!   CloudFormation zips inline code for (`cfn-inline-code`);
//! - an ECS service that puts a container with a dynamic host port (`HostPort: 0`) behind a target
//!   group whose `HealthCheckPort` is a fixed port: the health checks miss the port each task
//!   gets, every target turns unhealthy and the service never stabilizes (`cfn-health-check-port`;
//!   absent, the port is `traffic-port`, the right one).

use super::template::{intrinsic, Template};
use super::Finding;
use crate::yaml::Node;

pub fn check(template: &Template, findings: &mut Vec<Finding>) {
    for (name, _, resource) in template.entries("Resources") {
        let properties = resource.get("Properties");
        match resource.get("Type").and_then(Node::as_str) {
            Some("AWS::S3::Bucket") => {
                if let Some(acl) = properties.and_then(|p| p.get("AccessControl")) {
                    bucket_acl(&name, acl, properties, findings);
                }
            }
            Some("AWS::Lambda::Function") => {
                let code = properties
                    .and_then(|p| p.get("Code"))
                    .and_then(|c| c.entry("ZipFile"));
                let runtime = runtime(template, "AWS::Lambda::Function", resource);
                inline_code(&name, code, runtime, findings)
            }
            // SAM's `InlineCode` becomes `Code.ZipFile`; the runtime may come from `Globals`.
            Some("AWS::Serverless::Function") => {
                let code = properties.and_then(|p| p.entry("InlineCode"));
                let runtime = runtime(template, "AWS::Serverless::Function", resource);
                inline_code(&name, code, runtime, findings)
            }
            Some("AWS::ECS::Service") => {
                if let Some(properties) = properties {
                    health_check_port(template, &name, properties, findings);
                }
            }
            _ => {}
        }
    }
}

/// The resource a `Ref`/`Fn::GetAtt` reads, with its name.
fn referenced<'t>(template: &'t Template, node: &Node) -> Option<(String, &'t Node)> {
    let name = super::template::referenced_name(node)?;
    let resource = template.section("Resources")?.get(name)?;
    Some((name.to_string(), resource))
}

fn health_check_port(template: &Template, name: &str, service: &Node, findings: &mut Vec<Finding>) {
    let Some((_, task)) = service
        .get("TaskDefinition")
        .and_then(|t| referenced(template, t))
    else {
        return;
    };
    let containers = task
        .get("Properties")
        .and_then(|p| p.get("ContainerDefinitions"))
        .and_then(Node::as_seq)
        .unwrap_or_default();
    // Both written and the same scalar (`80` and `'80'` alike).
    let same = |a: Option<&Node>, b: Option<&Node>| {
        a.zip(b).is_some_and(|(a, b)| a.key_text() == b.key_text())
    };
    let balancers = service.get("LoadBalancers").and_then(Node::as_seq);
    for balancer in balancers.unwrap_or_default() {
        let Some((group_name, group)) = balancer
            .get("TargetGroupArn")
            .and_then(|t| referenced(template, t))
        else {
            continue;
        };
        let Some(health) = group
            .get("Properties")
            .and_then(|p| p.get("HealthCheckPort"))
            .filter(|h| h.as_str() != Some("traffic-port") && intrinsic(h).is_none())
        else {
            continue;
        };
        let mut dynamic = false;
        for container in containers {
            if !same(container.get("Name"), balancer.get("ContainerName")) {
                continue;
            }
            let mappings = container.get("PortMappings").and_then(Node::as_seq);
            for mapping in mappings.unwrap_or_default() {
                dynamic |= same(mapping.get("ContainerPort"), balancer.get("ContainerPort"))
                    && mapping.get("HostPort").is_some_and(|h| h.key_text() == "0");
            }
        }
        if dynamic {
            findings.push(
                Finding::error(
                    "cfn-health-check-port",
                    health.pos,
                    format!(
                        "target group `{group_name}` checks port {} but ECS service `{name}` gives its container a dynamic host port (HostPort: 0)",
                        health.key_text()
                    ),
                    "write `HealthCheckPort: traffic-port` (or leave it out: that is the default)",
                )
                .about("Resources", &group_name, Some("HealthCheckPort")),
            );
        }
    }
}

/// A function's runtime: its own, or for a SAM function the one its `Globals` section gives
/// (unless it ignores them).
pub fn runtime<'t>(
    template: &'t Template,
    type_name: &str,
    resource: &'t Node,
) -> Option<&'t Node> {
    let own = resource.get("Properties").and_then(|p| p.get("Runtime"));
    own.or_else(|| template.sam_globals(type_name, resource)?.get("Runtime"))
}

fn bucket_acl(name: &str, acl: &Node, properties: Option<&Node>, findings: &mut Vec<Finding>) {
    // A function (`!Ref Acl`) is not known here.
    let Some(canned) = acl.as_str() else { return };
    if canned == "Private" {
        return;
    }
    let allows_acls = properties
        .and_then(|p| p.get("OwnershipControls"))
        .and_then(|o| o.get("Rules"))
        .and_then(Node::as_seq)
        .is_some_and(|rules| {
            rules.iter().any(|r| {
                matches!(
                    r.get("ObjectOwnership").and_then(Node::as_str),
                    Some("ObjectWriter" | "BucketOwnerPreferred")
                )
            })
        });
    if !allows_acls {
        findings.push(
            Finding::error(
                "cfn-s3-acl",
                acl.pos,
                format!("bucket `{name}` sets AccessControl: {canned}, but S3 creates buckets with ACLs disabled (BucketOwnerEnforced) since April 2023: the stack fails"),
                "drop AccessControl (grant access with a bucket policy), or add OwnershipControls with ObjectOwnership: BucketOwnerPreferred or ObjectWriter",
            )
            .about("Resources", name, Some("AccessControl")),
        );
    }
}

fn inline_code(
    name: &str,
    code: Option<(&Node, &Node)>,
    runtime: Option<&Node>,
    findings: &mut Vec<Finding>,
) {
    let (Some((zip, _)), Some(runtime)) = (code, runtime.and_then(Node::as_str)) else {
        return;
    };
    if runtime.starts_with("python") || runtime.starts_with("nodejs") {
        return;
    }
    findings.push(
        Finding::error(
            "cfn-inline-code",
            zip.pos,
            format!("function `{name}` has inline code under the {runtime} runtime: CloudFormation zips inline code only for Node.js and Python"),
            "upload a package (Code: S3Bucket/S3Key, or ImageUri) or use a Node.js or Python runtime",
        )
        .about("Resources", name, Some("Code")),
    );
}
