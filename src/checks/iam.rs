//! IAM policy actions: every `Action`/`NotAction` of a policy statement anywhere in a resource's
//! properties names a service prefix and an action IAM knows (`data/iam-actions.tsv`, from
//! cfn-lint's policy data; wildcards match as IAM matches them). IAM stores a policy with an
//! unknown action and it then grants nothing — a warning, as cfn-lint's W3037; an action without
//! `service:` is rejected — an error. Bucket, queue and topic policies take their own service's
//! actions only.

use super::data::{Shard, IAM_ACTIONS};
use super::template::Template;
use super::{Finding, Mocked};
use crate::yaml::{Node, NodeValue};

/// Resource policies that accept only their service's actions.
const OWN_SERVICE: &[(&str, &str)] = &[
    ("AWS::S3::BucketPolicy", "s3"),
    ("AWS::SQS::QueuePolicy", "sqs"),
    ("AWS::SNS::TopicPolicy", "sns"),
];

pub fn check(template: &Template, mocked: &Mocked, findings: &mut Vec<Finding>) {
    // The SAM transform writes policies of its own (cfn-lint does not judge these either).
    if template.is_sam() {
        return;
    }
    // Prefixes whose actions could not be fetched, said once each.
    let mut said: Vec<String> = Vec::new();
    for (name, _, resource) in template.entries("Resources") {
        let type_name = resource
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or_default();
        let own = OWN_SERVICE
            .iter()
            .find(|(t, _)| *t == type_name)
            .map(|(_, s)| *s);
        let mut actions = Vec::new();
        if let Some(properties) = resource.get("Properties") {
            statement_actions(properties, &mut actions);
        }
        for action in actions {
            let Some(text) = action.as_str().filter(|t| !mocked.covers(t)) else {
                continue;
            };
            match judge(text, own) {
                Judgement::Fine => {}
                Judgement::Unavailable(prefix) if !said.contains(&prefix) => {
                    let what = format!("the IAM actions of `{prefix}` were not checked");
                    findings.push(
                        super::unavailable(&IAM_ACTIONS, &prefix, what, action.pos).about(
                            "Resources",
                            &name,
                            Some(text),
                        ),
                    );
                    said.push(prefix);
                }
                Judgement::Unavailable(_) => {}
                Judgement::Malformed => findings.push(
                    Finding::error(
                        "cfn-iam-action",
                        action.pos,
                        format!("`{text}` is not an IAM action (resource `{name}`)"),
                        "write `service:Action` (`s3:GetObject`) or `*`",
                    )
                    .about("Resources", &name, Some(text)),
                ),
                Judgement::Wrong(message, hint) => findings.push(
                    Finding::warning(
                        "cfn-iam-action",
                        action.pos,
                        format!("{message} (resource `{name}`)"),
                        hint,
                    )
                    .about("Resources", &name, Some(text)),
                ),
            }
        }
    }
}

enum Judgement {
    Fine,
    Malformed,
    Unavailable(String),
    Wrong(String, String),
}

fn judge(action: &str, own: Option<&str>) -> Judgement {
    if action == "*" {
        return Judgement::Fine;
    }
    let Some((prefix, permission)) = action.split_once(':') else {
        return Judgement::Malformed;
    };
    let (prefix, permission) = (prefix.to_ascii_lowercase(), permission.to_ascii_lowercase());
    if let Some(own) = own.filter(|own| *own != prefix) {
        return Judgement::Wrong(
            format!("`{action}` is not an action of this policy's service"),
            format!("a {own} resource policy takes `{own}:` actions only"),
        );
    }
    let known = match IAM_ACTIONS.get(&prefix) {
        Shard::Found(known) => known,
        // Judged on the render the page makes once it has fetched them.
        Shard::Pending => return Judgement::Fine,
        Shard::Unavailable => return Judgement::Unavailable(prefix),
    };
    if known.is_empty() {
        return Judgement::Wrong(
            format!("`{prefix}` is not an IAM service prefix (in `{action}`)"),
            "see the service's entry in the IAM Service Authorization Reference".into(),
        );
    }
    let mut actions = known.split(',');
    let found = if permission.contains(['*', '?']) {
        // IAM's wildcards are the shell's `*` and `?`.
        actions.any(|a| crate::bundle::manifest::glob_match(&permission, a))
    } else {
        actions.any(|a| a == permission)
    };
    if found {
        return Judgement::Fine;
    }
    let hint = match super::structure::suggest(&permission, known.split(',')) {
        Some(s) => format!("did you mean `{prefix}:{s}`?"),
        None => format!("the Service Authorization Reference lists `{prefix}`'s actions"),
    };
    Judgement::Wrong(
        format!("`{action}` is not an action of `{prefix}`: IAM keeps it, and it grants nothing"),
        hint,
    )
}

/// The action nodes of every policy statement under `node`.
fn statement_actions<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match &node.value {
        NodeValue::Map(entries) => {
            if let Some(statements) = node.get("Statement") {
                let list: Vec<&Node> = match &statements.value {
                    NodeValue::Seq(items) => items.iter().collect(),
                    NodeValue::Map(_) => vec![statements],
                    _ => Vec::new(),
                };
                for statement in list.into_iter().filter(|s| s.get("Effect").is_some()) {
                    for key in ["Action", "NotAction"] {
                        match statement.get(key).map(|a| &a.value) {
                            Some(NodeValue::Seq(items)) => out.extend(items),
                            Some(NodeValue::Str(_)) => out.extend(statement.get(key)),
                            _ => {}
                        }
                    }
                }
            }
            entries.iter().for_each(|(_, v)| statement_actions(v, out));
        }
        NodeValue::Seq(items) => items.iter().for_each(|i| statement_actions(i, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_judged_like_iam() {
        assert!(matches!(judge("s3:GetObject", None), Judgement::Fine));
        assert!(matches!(judge("S3:getobject", None), Judgement::Fine));
        assert!(matches!(judge("s3:Get*", None), Judgement::Fine));
        assert!(matches!(judge("s3:?etObject", None), Judgement::Fine));
        assert!(matches!(judge("*", None), Judgement::Fine));
        assert!(matches!(
            judge("s3:createmultipartupload", None),
            Judgement::Wrong(..)
        ));
        assert!(matches!(judge("s3:Nothing*", None), Judgement::Wrong(..)));
        assert!(matches!(
            judge("nosuchservice:Get", None),
            Judgement::Wrong(..)
        ));
        assert!(matches!(judge("GetObject", None), Judgement::Malformed));
        assert!(matches!(
            judge("sqs:SendMessage", Some("s3")),
            Judgement::Wrong(..)
        ));
    }
}
