//! Suggestions: what a bundle's templates read (found in their syntax trees), and plausible
//! values for it, so that any template renders with no typing: mocked outputs (`vpc-…`,
//! `subnet-…`, ARNs shaped like ARNs), the outputs a paired environment declares, and
//! placeholder specs for required inputs. The page's mock fields, `check`, the version
//! comparison, the upgrade check and the export all take them from here.

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Kind};
use crate::report::SpecSource;
use crate::schema::spec::{InstanceInputs, SpecInputs, SpecKind};
use crate::schema::{InputKind, InputType};
use crate::workspace::Workspace;
use serde_json::{Map, Value as Json};

/// Where a template reads environment outputs: `environment.outputs.X`, and through the
/// `service_instances` of a pipeline.
pub const ENVIRONMENT_OUTPUTS: &[&[&str]] = &[
    &["environment", "outputs"],
    &["service_instances", "[]", "environment", "outputs"],
];
/// Where a pipeline reads its service instances' outputs.
pub const INSTANCE_OUTPUTS: &[&[&str]] = &[&["service_instances", "[]", "outputs"]];
/// Where a service instance reads its attached component's outputs.
pub const COMPONENT_OUTPUTS: &[&[&str]] =
    &[&["service_instance", "components", "default", "outputs"]];

/// An environment output a service template reads, where, and whether the read is guarded.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsumedOutput {
    pub name: String,
    pub file: String,
    pub line: u32,
    pub guarded: bool,
}

/// The names a bundle's templates read directly under any of `prefixes` (from their syntax trees).
pub fn reads_under(bundle: &Bundle, prefixes: &[&[&str]]) -> Vec<ConsumedOutput> {
    let mut out = Vec::new();
    for (file, refs) in bundle.references() {
        for r in refs {
            for prefix in prefixes {
                if r.path.len() > prefix.len()
                    && r.path.iter().zip(prefix.iter()).all(|(a, b)| a == b)
                {
                    let name = &r.path[prefix.len()];
                    if name != "[]" {
                        out.push(ConsumedOutput {
                            name: name.clone(),
                            file: file.to_string(),
                            line: r.line,
                            guarded: r.guarded,
                        });
                    }
                }
            }
        }
    }
    out
}

/// Every `environment.outputs.X` (and `service_instances[i].environment.outputs.X`, Terraform
/// `var.environment.outputs.X`) a bundle reads.
pub fn consumed_outputs(bundle: &Bundle) -> Vec<ConsumedOutput> {
    let mut out = reads_under(bundle, ENVIRONMENT_OUTPUTS);
    // Terraform reads `var.environment.outputs.X` in .tf files (not templated).
    for infra in &bundle.infrastructure {
        if infra.method != Some(Method::Terraform) {
            continue;
        }
        for file in &infra.files {
            let text = bundle
                .files
                .get(file)
                .map(String::as_str)
                .unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                let mut rest = line;
                while let Some(at) = rest.find("var.environment.outputs.") {
                    let tail = &rest[at + "var.environment.outputs.".len()..];
                    let name: String = tail
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                        .collect();
                    if !name.is_empty() {
                        out.push(ConsumedOutput {
                            name: name.clone(),
                            file: file.clone(),
                            line: i as u32 + 1,
                            guarded: line.contains("try(") || line.contains("lookup("),
                        });
                    }
                    rest = tail;
                }
            }
        }
    }
    out
}

/// Names read under any of `prefixes` (`environment.outputs.X` → `X`), in first-use order.
pub fn consumed(bundle: &Bundle, prefixes: &[&[&str]]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for read in reads_under(bundle, prefixes) {
        if !out.contains(&read.name) {
            out.push(read.name);
        }
    }
    out
}

/// A plausible value for an output name, judged by what the name ends with (the noun it names):
/// `VPCSecurityGroup` is a security group, `VpcConnectorArn` an ARN, `PrivateSubnet1` one subnet
/// and `PrivateSubnets` two.
pub fn plausible_output(name: &str) -> String {
    let word: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    let noun = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| noun.ends_with(s));
    let has = |part: &str| noun.contains(part);
    if ends(&["arn"]) {
        let kind = noun.trim_end_matches("arn");
        let resource = |service: &str, path: &str| {
            format!("arn:aws:{service}:us-east-1:123456789012:{path}/mock-{name}")
        };
        return if kind.ends_with("role") || kind.contains("role") {
            format!("arn:aws:iam::123456789012:role/mock-{name}")
        } else if kind.contains("policy") {
            format!("arn:aws:iam::123456789012:policy/mock-{name}")
        } else if kind.contains("topic") {
            format!("arn:aws:sns:us-east-1:123456789012:mock-{name}")
        } else if kind.contains("queue") {
            format!("arn:aws:sqs:us-east-1:123456789012:mock-{name}")
        } else if kind.contains("bucket") {
            format!("arn:aws:s3:::mock-{}", word)
        } else if kind.contains("connector") {
            resource("apprunner", "vpcconnector")
        } else if kind.contains("cluster") {
            resource("ecs", "cluster")
        } else if kind.contains("function") || kind.contains("lambda") {
            format!("arn:aws:lambda:us-east-1:123456789012:function:mock-{name}")
        } else if kind.contains("loadbalancer") || kind.ends_with("alb") || kind.ends_with("lb") {
            resource("elasticloadbalancing", "loadbalancer/app")
        } else if kind.contains("targetgroup") {
            resource("elasticloadbalancing", "targetgroup")
        } else if kind.contains("secret") {
            format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:mock-{name}")
        } else if kind.contains("key") {
            resource("kms", "key")
        } else {
            format!("arn:aws:mock:us-east-1:123456789012:mock/{name}")
        };
    }
    if ends(&["url", "uri", "endpoint"]) {
        return format!("https://example.com/mock-{name}");
    }
    if ends(&["securitygroups", "securitygroupids", "sgs"]) {
        return "sg-0a1b2c3d4e5f67890,sg-0f9e8d7c6b5a43210".into();
    }
    if ends(&["securitygroup", "securitygroupid", "sg", "sgid"]) {
        return "sg-0a1b2c3d4e5f67890".into();
    }
    if ends(&["subnets", "subnetids"]) {
        return "subnet-0a1b2c3d4e5f67890,subnet-0f9e8d7c6b5a43210".into();
    }
    if ends(&["subnet", "subnetid"]) {
        return "subnet-0a1b2c3d4e5f67890".into();
    }
    if ends(&["vpc", "vpcid"]) {
        return "vpc-0a1b2c3d4e5f67890".into();
    }
    if has("cidr") {
        return "10.0.0.0/16".into();
    }
    if ends(&["accountid", "account"]) {
        return "123456789012".into();
    }
    if ends(&["region"]) {
        return "us-east-1".into();
    }
    format!("mock-{name}")
}

/// A spec giving a placeholder to every required input without a default (and one instance), so a
/// bundle can be checked without a spec: enum → its first value, numbers → their minimum or 1,
/// strings → "example", booleans → false, lists → [], objects → {}.
pub fn placeholder_spec(bundle: &Bundle) -> SpecSource {
    let fill = |t: Option<&InputType>| -> Map<String, Json> {
        t.map(|t| {
            t.properties
                .iter()
                .filter(|p| p.required && p.default.is_none())
                .map(|p| {
                    let value = crate::schema::examples::example_value(&p.schema);
                    (p.name.clone(), value)
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let types = |k: InputKind| bundle.schema.as_ref().and_then(|s| s.input_type(k));
    let inputs = SpecInputs {
        environment: fill(types(InputKind::Environment)),
        pipeline: fill(types(InputKind::Pipeline)),
        instances: vec![InstanceInputs {
            name: "check".into(),
            environment: "check-env".into(),
            spec: fill(types(InputKind::Service)),
        }],
    };
    let kind = match bundle.kind {
        Kind::Environment | Kind::CustomerManagedEnvironment => SpecKind::Environment,
        _ => SpecKind::Service,
    };
    let doc = inputs.document(kind, bundle.has_pipeline());
    SpecSource {
        path: "(placeholder spec)".into(),
        text: serde_json::to_string_pretty(&doc).unwrap_or_default(),
    }
}

pub fn plausible(names: Vec<String>) -> serde_json::Map<String, Json> {
    names
        .into_iter()
        .map(|n| {
            let value = plausible_output(&n);
            (n, Json::String(value))
        })
        .collect()
}

/// Adds a plausible value for each name `outputs` does not already give (given values win).
pub fn fill_plausible(outputs: &mut Map<String, Json>, names: Vec<String>) {
    for name in names {
        let value = plausible_output(&name);
        outputs.entry(name).or_insert(value.into());
    }
}

/// Mocked environment outputs for a service, from what its first loaded compatible environment
/// declares, with plausible values (so the service renders with no typing).
pub fn paired_outputs(ws: &Workspace, service: &Bundle) -> Map<String, Json> {
    ws.compatible_environments(service)
        .first()
        .and_then(|env| ws.declared_outputs(env).outputs().map(<[String]>::to_vec))
        .unwrap_or_default()
        .iter()
        .map(|name| {
            let value = plausible_output(name);
            (name.clone(), Json::String(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::plausible_output;

    #[test]
    fn a_guess_follows_the_noun_a_name_ends_with() {
        for (name, guess) in [
            ("VPCSecurityGroup", "sg-0a1b2c3d4e5f67890"),
            ("VpcId", "vpc-0a1b2c3d4e5f67890"),
            ("PrivateSubnet1", "subnet-0a1b2c3d4e5f67890"),
            (
                "PrivateSubnets",
                "subnet-0a1b2c3d4e5f67890,subnet-0f9e8d7c6b5a43210",
            ),
            ("VpcCidr", "10.0.0.0/16"),
            ("ClusterName", "mock-ClusterName"),
            ("SNSRegion", "us-east-1"),
        ] {
            assert_eq!(plausible_output(name), guess, "{name}");
        }
        for (name, prefix) in [
            (
                "VpcConnectorArn",
                "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/",
            ),
            ("ECSTaskExecutionRoleArn", "arn:aws:iam::123456789012:role/"),
            ("ClusterArn", "arn:aws:ecs:"),
            ("QueueArn", "arn:aws:sqs:"),
            ("LoadBalancerDNSUrl", "https://"),
        ] {
            assert!(
                plausible_output(name).starts_with(prefix),
                "{name}: {}",
                plausible_output(name)
            );
        }
    }
}
