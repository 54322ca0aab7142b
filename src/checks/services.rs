//! Service rules that make stack creation fail although the template is well formed:
//! - an S3 bucket with a canned ACL other than `Private` and no ownership controls that allow
//!   ACLs: since April 2023 S3 creates buckets with ACLs disabled (`BucketOwnerEnforced`), so
//!   CloudFormation's create fails (`cfn-s3-acl`);
//! - a Lambda function with inline code (`Code.ZipFile`) under a runtime other than Node.js or
//!   Python, the only ones CloudFormation zips inline code for (`cfn-inline-code`).

use super::template::Template;
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
            Some("AWS::Lambda::Function") => inline_code(&name, properties, findings),
            _ => {}
        }
    }
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

fn inline_code(name: &str, properties: Option<&Node>, findings: &mut Vec<Finding>) {
    let Some(properties) = properties else { return };
    let Some((zip, _)) = properties.get("Code").and_then(|c| c.entry("ZipFile")) else {
        return;
    };
    let Some(runtime) = properties.get("Runtime").and_then(Node::as_str) else {
        return;
    };
    if runtime.starts_with("python") || runtime.starts_with("nodejs") {
        return;
    }
    findings.push(
        Finding::error(
            "cfn-inline-code",
            zip.pos,
            format!("function `{name}` has inline code (ZipFile) under the {runtime} runtime: CloudFormation zips inline code only for Node.js and Python"),
            "upload a package (Code: S3Bucket/S3Key, or ImageUri) or use a Node.js or Python runtime",
        )
        .about("Resources", name, Some("Code")),
    );
}
