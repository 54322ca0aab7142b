//! `--outputs import`: a service reads its environment's outputs from the environment's stack
//! instead of from parameters holding what Proton passed. The environment template exports each
//! output a service reads as `${AWS::StackName}-<Output>`; the service template imports it with
//! `Fn::ImportValue` from the stack its `EnvironmentStackName` parameter names. The service is
//! proven again with the imports resolved to the values its render saw; an environment that is
//! not among the migrated stacks, or does not declare the output, keeps the parameter (said).

use super::merge::Parameter;
use super::{prove, template_subject, Outcome, Planned};
use crate::context::Target;
use crate::diagnostic::Diagnostic;
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;

pub fn apply(outcomes: &mut [Outcome], planned: &[Planned]) {
    // The environment stack of each environment name its renders saw.
    let environment_stack = |name: &str| {
        planned
            .iter()
            .find(|p| p.target == Target::Environment && environment_name(p) == Some(name))
            .map(|p| p.name.clone())
    };
    // The outputs each environment template declares, by its stacks' names.
    let mut declared: HashMap<String, Vec<String>> = HashMap::new();
    for outcome in outcomes.iter().filter(|o| o.target == Target::Environment) {
        let outputs: Vec<String> = match &outcome.result {
            Some(Ok(p)) => p
                .template
                .get("Outputs")
                .and_then(Json::as_object)
                .map(|o| {
                    o.iter()
                        .filter(|(_, v)| v.get("Export").is_none())
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        for member in &outcome.members {
            declared.insert(member.name.clone(), outputs.clone());
        }
    }
    let mut exported: HashMap<String, Vec<String>> = HashMap::new();
    for outcome in outcomes.iter_mut() {
        if !matches!(outcome.target, Target::ServiceInstance | Target::Component) {
            continue;
        }
        let members = outcome.members.clone();
        let bundle = outcome.bundle;
        let Some(Ok(parameterized)) = &mut outcome.result else {
            continue;
        };
        let stacks: Vec<Option<String>> = members
            .iter()
            .map(|m| environment_name(m).and_then(environment_stack))
            .collect();
        let file = members[0].report.outputs.first().map(|o| o.path.clone());
        let mut note = |message: String| {
            let mut d = Diagnostic::info("migrate-import", message)
                .with_hint("its value stays a parameter holding what Proton passed")
                .about(template_subject(bundle));
            if let Some(file) = &file {
                d = d.in_file(file);
            }
            parameterized.notes.push(bundle.in_workspace(d, None));
        };
        // Parameters that stand for an environment output every stack's environment exports.
        let mut imported: Vec<(String, String)> = Vec::new();
        for parameter in &parameterized.parameters {
            let Some(output) = parameter
                .source
                .strip_prefix("environment.outputs.")
                .filter(|o| o.chars().all(|c| c.is_alphanumeric() || c == '_'))
            else {
                continue;
            };
            match stacks.iter().position(|s| {
                s.as_ref()
                    .is_none_or(|s| !declared.get(s).is_some_and(|o| o.iter().any(|d| d == output)))
            }) {
                None => imported.push((parameter.name.clone(), output.to_string())),
                Some(i) => note(match &stacks[i] {
                    None => format!(
                        "output {output}: the environment of stack {} is not among the migrated stacks",
                        members[i].name
                    ),
                    Some(env) => format!(
                        "output {output}: the template of environment stack {env} is not parameterized or does not declare it"
                    ),
                }),
            }
        }
        if imported.is_empty() {
            continue;
        }
        let stack_parameter = fresh(&parameterized.template, "EnvironmentStackName");
        let replacements: HashMap<String, String> = imported.iter().cloned().collect();
        let mut template = parameterized.template.clone();
        replace(&mut template, &replacements, &stack_parameter);
        if let Some(Json::Object(declared)) = template.get_mut("Parameters") {
            for (name, _) in &imported {
                declared.remove(name);
            }
            declared.insert(
                stack_parameter.clone(),
                json!({"Type": "String", "Description": "the environment stack this stack imports outputs from (its exports are named <stack>-<Output>)"}),
            );
        }
        let mut parameters: Vec<Parameter> = parameterized
            .parameters
            .iter()
            .filter(|p| !replacements.contains_key(&p.name))
            .cloned()
            .collect();
        parameters.push(Parameter::computed_value(
            &stack_parameter,
            "the environment's stack",
            stacks
                .iter()
                .map(|s| s.clone().unwrap_or_default())
                .collect(),
        ));
        // Proven again, the imports resolved to what each stack's render saw.
        let proven = members.iter().enumerate().all(|(i, _)| {
            let values: Map<String, Json> = parameters
                .iter()
                .map(|p| (p.name.clone(), Json::String(p.values[i].clone())))
                .collect();
            let env = stacks[i].clone().unwrap_or_default();
            let imports: Map<String, Json> = imported
                .iter()
                .filter_map(|(name, output)| {
                    let p = parameterized.parameters.iter().find(|p| &p.name == name)?;
                    Some((format!("{env}-{output}"), Json::String(p.values[i].clone())))
                })
                .collect();
            prove::first_difference(&template, &parameterized.renders[i], &values, &imports)
                .is_none()
        });
        if !proven {
            note("the imports would not deploy what Proton rendered".into());
            continue;
        }
        parameterized.template = template;
        parameterized.parameters = parameters;
        parameterized.shared_outputs = imported.iter().map(|(_, o)| o.clone()).collect();
        for (env, (_, output)) in stacks
            .iter()
            .flatten()
            .flat_map(|s| imported.iter().map(move |o| (s, o)))
        {
            let outputs = exported.entry(env.clone()).or_default();
            if !outputs.contains(output) {
                outputs.push(output.clone());
            }
        }
    }
    // The environments export what their services import.
    for outcome in outcomes
        .iter_mut()
        .filter(|o| o.target == Target::Environment)
    {
        let wanted: Vec<String> = outcome
            .members
            .iter()
            .flat_map(|m| exported.get(&m.name).cloned().unwrap_or_default())
            .collect();
        let Some(Ok(parameterized)) = &mut outcome.result else {
            continue;
        };
        if let Some(Json::Object(outputs)) = parameterized.template.get_mut("Outputs") {
            for output in wanted {
                if let Some(Json::Object(entry)) = outputs.get_mut(&output) {
                    if !parameterized.shared_outputs.contains(&output) {
                        parameterized.shared_outputs.push(output.clone());
                    }
                    entry.entry("Export").or_insert_with(
                        || json!({"Name": {"Fn::Sub": format!("${{AWS::StackName}}-{output}")}}),
                    );
                }
            }
        }
    }
}

/// The environment name a stack's render saw.
fn environment_name<'p>(stack: &'p Planned) -> Option<&'p str> {
    stack.report.context.pointer("/environment/name")?.as_str()
}

/// `base`, numbered when the template already uses it as a logical ID.
fn fresh(template: &Json, base: &str) -> String {
    super::merge::numbered(base, |name| {
        ["Parameters", "Resources", "Outputs", "Conditions"]
            .iter()
            .any(|s| template.get(*s).and_then(|m| m.get(name)).is_some())
    })
}

fn import(output: &str, stack_parameter: &str) -> Json {
    json!({"Fn::ImportValue": {"Fn::Sub": format!("${{{stack_parameter}}}-{output}")}})
}

/// Every `Ref` to a replaced parameter becomes its import; an `Fn::Sub` that names one gets it as
/// a variable.
fn replace(value: &mut Json, replacements: &HashMap<String, String>, stack_parameter: &str) {
    match value {
        Json::Object(map) if map.len() == 1 => {
            if let Some(Json::String(name)) = map.get("Ref") {
                if let Some(output) = replacements.get(name) {
                    *value = import(output, stack_parameter);
                }
                return;
            }
            if let Some(sub) = map.get_mut("Fn::Sub") {
                let (text, mut variables) = match sub {
                    Json::String(text) => (text.clone(), Map::new()),
                    Json::Array(items) => match items.as_slice() {
                        [Json::String(text), Json::Object(vars)] => (text.clone(), vars.clone()),
                        _ => return,
                    },
                    _ => return,
                };
                for (name, output) in replacements {
                    if text.contains(&format!("${{{name}}}")) && !variables.contains_key(name) {
                        variables.insert(name.clone(), import(output, stack_parameter));
                    }
                }
                for v in variables.values_mut() {
                    replace(v, replacements, stack_parameter);
                }
                if !variables.is_empty() {
                    *sub = json!([text, variables]);
                }
                return;
            }
            map.values_mut()
                .for_each(|v| replace(v, replacements, stack_parameter));
        }
        Json::Object(map) => map
            .values_mut()
            .for_each(|v| replace(v, replacements, stack_parameter)),
        Json::Array(items) => items
            .iter_mut()
            .for_each(|v| replace(v, replacements, stack_parameter)),
        _ => {}
    }
}
