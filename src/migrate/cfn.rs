//! CloudFormation documents as JSON values: short-form tags become the long form (`!Ref x` →
//! `{Ref: x}`, `!GetAtt a.b` → `{Fn::GetAtt: [a, b]}`, `!Sub s` → `{Fn::Sub: s}`), so a template
//! can be rewritten, resolved and compared without caring how it was spelled.

use crate::yaml::{Node, NodeValue};
use serde_json::{Map, Value as Json};

/// The document as JSON with intrinsic functions in their long form.
pub fn to_json(node: &Node) -> Json {
    let value = match &node.value {
        NodeValue::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        NodeValue::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.key_text(), to_json(v)))
                .collect(),
        ),
        _ => node.to_json(),
    };
    match node.tag.as_deref() {
        None => value,
        Some(tag) => long_form(tag, value),
    }
}

fn long_form(tag: &str, value: Json) -> Json {
    let (key, value) = match (tag, value) {
        ("Ref" | "Condition", value) => (tag.to_string(), value),
        ("GetAtt", Json::String(path)) => {
            let (resource, attribute) = path.split_once('.').unwrap_or((path.as_str(), ""));
            (
                "Fn::GetAtt".to_string(),
                Json::Array(vec![resource.into(), attribute.into()]),
            )
        }
        (tag, value) => (format!("Fn::{tag}"), value),
    };
    let mut map = Map::new();
    map.insert(key, value);
    Json::Object(map)
}

/// A scalar as CloudFormation receives it: text (`true`, `80`, `1.5`); structures recursively.
/// Two documents equal in this form deploy the same.
pub fn canonical(value: &Json) -> Json {
    match value {
        Json::Bool(b) => Json::String(b.to_string()),
        Json::Number(n) => Json::String(n.to_string()),
        Json::Array(items) => Json::Array(items.iter().map(canonical).collect()),
        Json::Object(map) => {
            Json::Object(map.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
        }
        other => other.clone(),
    }
}

/// The text of a scalar as CloudFormation receives it (`None` for structures).
pub fn scalar_text(value: &Json) -> Option<String> {
    match canonical(value) {
        Json::String(s) => Some(s),
        Json::Null => Some(String::new()),
        _ => None,
    }
}

/// The value a plain YAML scalar with this text has, as CloudFormation receives it (`True` →
/// `true`): what a whole-scalar parameter must hold to deploy like the render.
pub fn typed_text(printed: &str) -> String {
    match crate::yaml::parse(printed) {
        Ok(doc) if doc.root.tag.is_none() => match &doc.root.value {
            NodeValue::Seq(_) | NodeValue::Map(_) => printed.to_string(),
            NodeValue::Null if !printed.trim().is_empty() => printed.to_string(),
            _ => scalar_text(&doc.root.to_json()).unwrap_or_else(|| printed.to_string()),
        },
        _ => printed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_forms_become_long_forms() {
        let doc = crate::yaml::parse(
            "A: !Ref X\nB: !GetAtt R.Arn\nC: !Sub 'x-${Y}'\nD: !If [C, 1, !Ref AWS::NoValue]\n",
        )
        .unwrap();
        assert_eq!(
            to_json(&doc.root),
            json!({"A": {"Ref": "X"}, "B": {"Fn::GetAtt": ["R", "Arn"]}, "C": {"Fn::Sub": "x-${Y}"},
                   "D": {"Fn::If": ["C", 1, {"Ref": "AWS::NoValue"}]}})
        );
    }

    #[test]
    fn scalars_compare_as_cloudformation_reads_them() {
        assert_eq!(
            canonical(&json!({"a": true, "b": 80})),
            json!({"a": "true", "b": "80"})
        );
        assert_eq!(typed_text("True"), "true");
        assert_eq!(typed_text("080"), "080");
        assert_eq!(typed_text("x: y"), "x: y");
    }
}
