//! The proof that a parameterized template deploys what Proton rendered: resolve it with one
//! stack's parameters (`Ref`, `Fn::Sub`, `Fn::If` with `Conditions`, `Fn::Equals`/`And`/`Or`/
//! `Not`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `AWS::NoValue`), resolve the Jinja render the same
//! way, and compare the two as CloudFormation reads them. What refers to resources, pseudo
//! parameters or anything else unknown stays as written on both sides.

use super::cfn::canonical;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// The transform that expands `Fn::ForEach`.
pub const LANGUAGE_EXTENSIONS: &str = "AWS::LanguageExtensions";

/// Where two resolved documents first differ, as a path (`Resources.Bucket.Properties.Name`).
/// The template's `Description` deploys nothing and is left out. `imports` are the values of
/// the exports `Fn::ImportValue` names.
pub fn first_difference(
    parameterized: &Json,
    rendered: &Json,
    parameters: &Map<String, Json>,
    imports: &Map<String, Json>,
) -> Option<String> {
    let deployed = |document: Json| match document {
        Json::Object(mut sections) => {
            sections.remove("Description");
            // The transform Fn::ForEach needs; `resolve` has applied it.
            match sections.get_mut("Transform") {
                Some(Json::String(t)) if t == LANGUAGE_EXTENSIONS => {
                    sections.remove("Transform");
                }
                Some(Json::Array(list)) => list.retain(|t| t != LANGUAGE_EXTENSIONS),
                _ => {}
            }
            Json::Object(sections)
        }
        other => other,
    };
    let ours = canonical(&deployed(resolve(parameterized, parameters, imports)));
    let theirs = canonical(&deployed(resolve(rendered, &Map::new(), imports)));
    difference(&ours, &theirs, &mut Vec::new())
}

fn difference(a: &Json, b: &Json, path: &mut Vec<String>) -> Option<String> {
    let here = |path: &[String]| {
        if path.is_empty() {
            "(the document)".to_string()
        } else {
            path.join(".")
        }
    };
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            for (key, value) in x {
                path.push(key.clone());
                let found = match y.get(key) {
                    Some(other) => difference(value, other, path),
                    None => Some(format!(
                        "{} (only in the parameterized template)",
                        here(path)
                    )),
                };
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| {
                path.push(k.clone());
                let found = format!("{} (missing from the parameterized template)", here(path));
                path.pop();
                found
            })
        }
        (Json::Array(x), Json::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (a, b))| {
                path.push(i.to_string());
                let found = difference(a, b, path);
                path.pop();
                found
            })
        }
        _ if a == b => None,
        _ => Some(here(path)),
    }
}

/// The document resolved with `parameters` (template parameters not given take their
/// `Default`); `Parameters` and `Conditions` are consumed.
pub fn resolve(
    document: &Json,
    parameters: &Map<String, Json>,
    imports: &Map<String, Json>,
) -> Json {
    let Json::Object(sections) = document else {
        return document.clone();
    };
    let mut values: HashMap<String, String> = HashMap::new();
    if let Some(Json::Object(declared)) = sections.get("Parameters") {
        for (name, declaration) in declared {
            if let Some(default) = declaration.get("Default").and_then(super::cfn::scalar_text) {
                values.insert(name.clone(), default);
            }
        }
    }
    for (name, value) in parameters {
        if let Some(text) = super::cfn::scalar_text(value) {
            values.insert(name.clone(), text);
        }
    }
    let expanded = expand_for_each(document, &values);
    let Json::Object(sections) = &expanded else {
        return expanded;
    };
    let conditions = sections
        .get("Conditions")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let resolver = Resolver {
        values,
        conditions,
        imports,
    };
    let mut out = Map::new();
    for (name, section) in sections {
        match name.as_str() {
            "Parameters" | "Conditions" => {}
            "Resources" | "Outputs" => {
                let mut kept = Map::new();
                for (id, entry) in section.as_object().into_iter().flatten() {
                    let mut entry = entry.clone();
                    if let Some(condition) = entry.get("Condition").and_then(Json::as_str) {
                        match resolver.condition(condition, 0) {
                            Some(false) => continue,
                            Some(true) => {
                                entry.as_object_mut().map(|e| e.remove("Condition"));
                            }
                            None => {}
                        }
                    }
                    if let Some(value) = resolver.value(&entry) {
                        kept.insert(id.clone(), value);
                    }
                }
                out.insert(name.clone(), Json::Object(kept));
            }
            _ => {
                if let Some(value) = resolver.value(section) {
                    out.insert(name.clone(), value);
                }
            }
        }
    }
    Json::Object(out)
}

/// Every `Fn::ForEach::Name: [Identifier, Collection, Fragment]` replaced by the fragment once
/// per item, `${Identifier}` and `&{Identifier}` put in its keys and strings (what the
/// `AWS::LanguageExtensions` transform does). A collection that does not resolve stays as it is.
fn expand_for_each(value: &Json, values: &HashMap<String, String>) -> Json {
    match value {
        Json::Object(map) => {
            let mut out = Map::new();
            for (key, child) in map {
                let items = key
                    .starts_with("Fn::ForEach::")
                    .then(|| loop_parts(child, values))
                    .flatten();
                match items {
                    Some((identifier, items, fragment)) => {
                        for item in items {
                            let replaced = replace_identifier(fragment, &identifier, &item);
                            if let Json::Object(entries) = expand_for_each(&replaced, values) {
                                out.extend(entries);
                            }
                        }
                    }
                    None => {
                        out.insert(key.clone(), expand_for_each(child, values));
                    }
                }
            }
            Json::Object(out)
        }
        Json::Array(items) => {
            Json::Array(items.iter().map(|v| expand_for_each(v, values)).collect())
        }
        other => other.clone(),
    }
}

fn loop_parts<'a>(
    value: &'a Json,
    values: &HashMap<String, String>,
) -> Option<(String, Vec<String>, &'a Json)> {
    let [Json::String(identifier), collection, fragment] = value.as_array()?.as_slice() else {
        return None;
    };
    let items = match collection {
        Json::Array(items) => items.iter().filter_map(super::cfn::scalar_text).collect(),
        other => {
            let (function, name) = single(other)?;
            if function != "Ref" {
                return None;
            }
            values
                .get(name.as_str()?)?
                .split(',')
                .map(str::to_string)
                .collect()
        }
    };
    Some((identifier.clone(), items, fragment))
}

fn replace_identifier(value: &Json, identifier: &str, item: &str) -> Json {
    let plain = format!("${{{identifier}}}");
    let alphanumeric = format!("&{{{identifier}}}");
    let squeezed: String = item.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let put = |s: &str| s.replace(&plain, item).replace(&alphanumeric, &squeezed);
    match value {
        Json::String(s) => Json::String(put(s)),
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|v| replace_identifier(v, identifier, item))
                .collect(),
        ),
        Json::Object(map) => {
            // `Ref: Identifier` is the item too.
            if let Some(("Ref", Json::String(name))) = single(value) {
                if name == identifier {
                    return Json::String(item.to_string());
                }
            }
            Json::Object(
                map.iter()
                    .map(|(k, v)| (put(k), replace_identifier(v, identifier, item)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

struct Resolver<'a> {
    values: HashMap<String, String>,
    conditions: Map<String, Json>,
    imports: &'a Map<String, Json>,
}

/// Conditions that refer to each other deeper than this are left unresolved (a loop).
const MAX_CONDITION_DEPTH: usize = 32;

impl Resolver<'_> {
    fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        if depth > MAX_CONDITION_DEPTH {
            return None;
        }
        self.truth(self.conditions.get(name)?, depth + 1)
    }

    fn truth(&self, expression: &Json, depth: usize) -> Option<bool> {
        let (function, args) = single(expression)?;
        let args_list = || args.as_array().cloned().unwrap_or_default();
        match function {
            "Fn::Equals" => {
                let items = args_list();
                let [a, b] = items.as_slice() else {
                    return None;
                };
                let (a, b) = (self.value(a)?, self.value(b)?);
                if has_intrinsic(&a) || has_intrinsic(&b) {
                    return None;
                }
                Some(canonical(&a) == canonical(&b))
            }
            "Fn::Not" => Some(!self.truth(args_list().first()?, depth)?),
            "Fn::And" => args_list()
                .iter()
                .try_fold(true, |all, c| Some(all & self.truth(c, depth)?)),
            "Fn::Or" => args_list()
                .iter()
                .try_fold(false, |any, c| Some(any | self.truth(c, depth)?)),
            "Condition" => self.condition(args.as_str()?, depth),
            _ => None,
        }
    }

    /// The resolved value; `None` for `AWS::NoValue`.
    fn value(&self, value: &Json) -> Option<Json> {
        if let Some((function, args)) = single(value) {
            if let Some(resolved) = self.function(function, args) {
                return resolved;
            }
        }
        Some(match value {
            Json::Object(map) => Json::Object(
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), self.value(v)?)))
                    .collect(),
            ),
            Json::Array(items) => Json::Array(items.iter().filter_map(|v| self.value(v)).collect()),
            other => other.clone(),
        })
    }

    /// `Some(resolved)` when the function could be evaluated (`Some(None)` is `AWS::NoValue`).
    fn function(&self, function: &str, args: &Json) -> Option<Option<Json>> {
        match function {
            "Ref" => {
                let name = args.as_str()?;
                if name == "AWS::NoValue" {
                    return Some(None);
                }
                self.values.get(name).map(|v| Some(Json::String(v.clone())))
            }
            "Fn::ImportValue" => {
                let name = self.value(args)?;
                let value = self.imports.get(name.as_str()?)?;
                Some(Some(value.clone()))
            }
            "Fn::If" => {
                let items = args.as_array()?;
                let [condition, yes, no] = items.as_slice() else {
                    return None;
                };
                let chosen = if self.condition(condition.as_str()?, 0)? {
                    yes
                } else {
                    no
                };
                Some(self.value(chosen))
            }
            "Fn::Sub" => {
                let (text, variables) = match args {
                    Json::String(text) => (text.as_str(), Map::new()),
                    Json::Array(items) => match items.as_slice() {
                        [Json::String(text), Json::Object(vars)] => (
                            text.as_str(),
                            vars.iter()
                                .filter_map(|(k, v)| Some((k.clone(), self.value(v)?)))
                                .collect(),
                        ),
                        _ => return None,
                    },
                    _ => return None,
                };
                Some(Some(self.substitute(text, &variables)))
            }
            "Fn::Join" => {
                let items = args.as_array()?;
                let [Json::String(delimiter), list] = items.as_slice() else {
                    return None;
                };
                let list = self.value(list)?;
                let texts: Option<Vec<String>> = list
                    .as_array()?
                    .iter()
                    .map(|v| {
                        (!has_intrinsic(v))
                            .then(|| super::cfn::scalar_text(v))
                            .flatten()
                    })
                    .collect();
                Some(Some(Json::String(texts?.join(delimiter))))
            }
            "Fn::Select" => {
                let items = args.as_array()?;
                let [index, list] = items.as_slice() else {
                    return None;
                };
                let index: usize = super::cfn::scalar_text(&self.value(index)?)?.parse().ok()?;
                let list = self.value(list)?;
                Some(Some(list.as_array()?.get(index)?.clone()))
            }
            "Fn::Split" => {
                let items = args.as_array()?;
                let [Json::String(delimiter), text] = items.as_slice() else {
                    return None;
                };
                let text = self.value(text)?;
                let text = text.as_str()?;
                if delimiter.is_empty() {
                    return None;
                }
                Some(Some(Json::Array(
                    text.split(delimiter.as_str())
                        .map(|s| Json::String(s.to_string()))
                        .collect(),
                )))
            }
            _ => None,
        }
    }

    /// `Fn::Sub` with known values put in; a plain string once no `${…}` is left.
    fn substitute(&self, text: &str, variables: &Map<String, Json>) -> Json {
        let mut out = String::with_capacity(text.len());
        let mut unresolved = false;
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            let known = if name.starts_with('!') {
                None
            } else {
                variables
                    .get(name)
                    .and_then(|v| {
                        (!has_intrinsic(v))
                            .then(|| super::cfn::scalar_text(v))
                            .flatten()
                    })
                    .or_else(|| self.values.get(name).cloned())
            };
            match known {
                Some(value) => out.push_str(&value),
                None => {
                    if !name.starts_with('!') {
                        unresolved = true;
                    }
                    out.push_str(&rest[start..start + 2 + end + 1]);
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        if unresolved {
            let mut map = Map::new();
            map.insert("Fn::Sub".into(), Json::String(out));
            Json::Object(map)
        } else {
            Json::String(out.replace("${!", "${"))
        }
    }
}

fn single(value: &Json) -> Option<(&str, &Json)> {
    match value {
        Json::Object(map) if map.len() == 1 => {
            let (k, v) = map.iter().next()?;
            (k == "Ref" || k == "Condition" || k.starts_with("Fn::")).then_some((k.as_str(), v))
        }
        _ => None,
    }
}

fn has_intrinsic(value: &Json) -> bool {
    match value {
        Json::Object(map) => single(value).is_some() || map.values().any(has_intrinsic),
        Json::Array(items) => items.iter().any(has_intrinsic),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_parameters_conditions_and_functions() {
        let template = json!({
            "Parameters": {"Env": {"Type": "String"}, "Nat": {"Type": "String"}, "Port": {"Type": "String", "Default": "80"}},
            "Conditions": {"HasNat": {"Fn::Equals": [{"Ref": "Nat"}, "true"]}},
            "Resources": {
                "Gw": {"Type": "AWS::EC2::NatGateway", "Condition": "HasNat", "Properties": {}},
                "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {
                    "Name": {"Fn::Sub": "${Env}-vpc-${AWS::Region}"},
                    "Tag": {"Fn::Sub": "${Env}-${!Literal}"},
                    "Port": {"Ref": "Port"},
                    "Maybe": {"Fn::If": ["HasNat", "yes", {"Ref": "AWS::NoValue"}]},
                    "Parts": {"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]},
                    "Joined": {"Fn::Join": ["-", [{"Ref": "Env"}, "x"]]}
                }}
            }
        });
        let params = json!({"Env": "dev", "Nat": "false"});
        let resolved = resolve(&template, params.as_object().unwrap(), &Map::new());
        assert_eq!(
            resolved,
            json!({"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {
                "Name": {"Fn::Sub": "dev-vpc-${AWS::Region}"},
                "Tag": "dev-${Literal}",
                "Port": "80",
                "Parts": "b",
                "Joined": "dev-x"
            }}}})
        );
    }

    #[test]
    fn differences_are_named_by_path() {
        let a = json!({"Resources": {"B": {"Properties": {"N": {"Ref": "P"}}}}});
        let b = json!({"Resources": {"B": {"Properties": {"N": "x"}}}});
        let given = json!({"P": "x"});
        assert_eq!(
            first_difference(&a, &b, given.as_object().unwrap(), &Map::new()),
            None
        );
        let other = json!({"P": "y"});
        assert_eq!(
            first_difference(&a, &b, other.as_object().unwrap(), &Map::new()).as_deref(),
            Some("Resources.B.Properties.N")
        );
    }
}
