//! One template for the stacks of a template and target: each stack rendered again with output
//! spans (`trace`), the renders merged (`merge`), the parameters and conditions declared, and the
//! result proven against every stack's render (`prove`).

use super::branches::{self, Branch};
use super::merge::{self, merge, InputInfo, Oracle, StackRender};
use super::trace::{Sites, Traced};
use super::{cfn, prove, template_subject, Planned, MAX_PARAMETERS};
use crate::bundle::Bundle;
use crate::diagnostic::{Diagnostic, Subject};
use crate::schema::InputKind;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// A parameterized template (proven), its parameters, what the merge wrote as rendered, and
/// each stack's render as parsed (to prove it again after a change).
pub struct Parameterized {
    pub template: Json,
    pub parameters: Vec<merge::Parameter>,
    pub notes: Vec<Diagnostic>,
    pub renders: Vec<Json>,
    /// Environment outputs the template imports from its environment's stack, or exports for
    /// its services (`--outputs import`, `imports.rs`).
    pub shared_outputs: Vec<String>,
}

/// One template for every stack of `members`, proven; else the located reason (a
/// `migrate-per-stack` warning).
pub fn parameterize(bundle: &Bundle, members: &[&Planned]) -> Result<Parameterized, Diagnostic> {
    let label = bundle.label();
    let per_stack = |reason: String, at: Option<(String, usize)>| {
        let d = Diagnostic::warning(
            "migrate-per-stack",
            format!(
                "{label} ({}) stays one rendered template per stack: {reason}",
                members[0].target.name()
            ),
        )
        .about(Subject::Template {
            template: label.clone(),
            other: None,
            reason: Some(reason),
        });
        // At the construct when known, else on the target's template file.
        let d = match at {
            Some((file, line)) => d.in_file(file).at(line as u32, 1),
            None => match members[0].report.outputs.first() {
                Some(output) => d.in_file(&output.path),
                None => d,
            },
        };
        bundle.in_workspace(d, None)
    };
    let outputs = &members[0].report.outputs;
    let [output] = outputs.as_slice() else {
        return Err(per_stack(
            format!("it renders {} files, not one template", outputs.len()),
            None,
        ));
    };
    let file = output.path.clone();
    let renderer = bundle.renderer(&members[0].request.options);
    let contexts: Vec<minijinja::Value> = members
        .iter()
        .map(|p| crate::context::to_template_value(&p.report.context))
        .collect();
    let mut sites = Sites::default();
    let mut traced = Vec::new();
    for (p, context) in members.iter().zip(&contexts) {
        let t =
            Traced::render(&renderer, &bundle.files, &file, context, &mut sites).map_err(|d| {
                per_stack(
                    format!("it does not render with output spans: {}", d.message),
                    None,
                )
            })?;
        let rendered = p
            .report
            .outputs
            .first()
            .map(|o| o.content.as_str())
            .unwrap_or_default();
        if t.text != rendered {
            return Err(per_stack(
                "its traced render differs from its render".into(),
                None,
            ));
        }
        traced.push(t);
    }
    let mut renders = Vec::new();
    let mut plain = Vec::new();
    for (p, t) in members.iter().zip(&traced) {
        let node = crate::yaml::parse(&t.text)
            .map_err(|e| {
                per_stack(
                    format!("its render for {} is not YAML: {}", p.name, e.message),
                    None,
                )
            })?
            .root;
        let marked = crate::yaml::parse(&t.marked).map(|d| cfn::to_json(&d.root));
        let truth = cfn::to_json(&node);
        let difference = match &marked {
            Ok(marked) => merge::marked_difference(marked, &truth),
            Err(_) => Some(String::new()),
        };
        match (marked, difference) {
            (Ok(marked), None) => {
                plain.push(truth);
                renders.push(StackRender {
                    marked,
                    node,
                    traced: t,
                });
            }
            (_, Some(path)) => {
                return Err(per_stack(
                    format!(
                        "a `{{{{ … }}}}` prints YAML syntax (a colon, a quote, a flow list…){}, so its value cannot stand alone as a parameter",
                        if path.is_empty() { String::new() } else { format!(" at `{path}`") }
                    ),
                    None,
                ));
            }
            (Err(_), None) => unreachable!("a marked document that does not parse differs"),
        }
    }
    let mut branches: HashMap<String, Vec<Branch>> = HashMap::new();
    for (name, source) in bundle.files.iter() {
        if sites.0.iter().any(|s| &s.template == name) || *name == file {
            branches.insert(name.clone(), branches::branches(source, name));
        }
    }
    let schema = bundle.schema.clone();
    let input = move |expression: &str| -> Option<InputInfo> {
        let (kind, rest) = if let Some(rest) = expression.strip_prefix("environment.inputs.") {
            (InputKind::Environment, rest)
        } else if let Some(rest) = expression.strip_prefix("service_instance.inputs.") {
            (InputKind::Service, rest)
        } else if let Some(rest) = expression.strip_prefix("pipeline.inputs.") {
            (InputKind::Pipeline, rest)
        } else {
            return None;
        };
        if !rest.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let property = schema.as_ref()?.input_type(kind)?.property(rest)?;
        Some(InputInfo {
            schema: property.schema.clone(),
            description: property.description.clone().or(property.title.clone()),
            default: property.default.clone(),
        })
    };
    let evaluate = |stack: usize, expression: &str| -> Option<String> {
        let value = renderer.evaluate(expression, &contexts[stack]).ok()?;
        (!value.is_undefined()).then(|| crate::render::pyrepr::py_str(&value))
    };
    let oracle = Oracle {
        sites: &sites.0,
        sources: &bundle.files,
        branches: &branches,
        input: &input,
        evaluate: &evaluate,
    };
    let merged = merge(&renders, &oracle).map_err(|f| per_stack(f.reason, f.at))?;
    if merged.parameters.len() > MAX_PARAMETERS {
        return Err(per_stack(
            format!(
                "it would need {} parameters; CloudFormation allows {MAX_PARAMETERS}",
                merged.parameters.len()
            ),
            None,
        ));
    }
    let template = assemble(
        merged.template,
        &merged.parameters,
        merged.conditions,
        merged.for_each,
    );
    for (i, (p, truth)) in members.iter().zip(&plain).enumerate() {
        let values: Map<String, Json> = merged
            .parameters
            .iter()
            .map(|param| (param.name.clone(), Json::String(param.values[i].clone())))
            .collect();
        if let Some(path) = prove::first_difference(&template, truth, &values, &Map::new()) {
            return Err(per_stack(
                format!("the parameterized template would not deploy what Proton rendered for stack {} (at {path})", p.name),
                None,
            ));
        }
    }
    // What is written as rendered although an expression printed it: the same in every given
    // stack (the proof says so), but another stack's inputs could change it.
    let literal = |template: &str, line: usize, what: String| {
        bundle.in_workspace(
            Diagnostic::info("migrate-literal", what)
                .in_file(template)
                .at(line as u32, 1)
                .with_hint("the same in every given stack; a stack whose inputs change it needs its own template (migrate it with its spec)")
                .about(template_subject(bundle)),
            None,
        )
    };
    let mut notes: Vec<Diagnostic> = merged
        .baked
        .iter()
        .map(|(template, line, key)| {
            literal(
                template,
                *line,
                format!("the key `{key}` is printed by an expression: written as it is"),
            )
        })
        .collect();
    for site in sites.0.iter().filter(|s| s.structural) {
        notes.push(literal(
            &site.template,
            site.line,
            format!(
                "`{{{{ {} }}}}` prints YAML structure: written as rendered",
                site.expression
            ),
        ));
    }
    Ok(Parameterized {
        template,
        parameters: merged.parameters,
        notes,
        renders: plain,
        shared_outputs: Vec::new(),
    })
}

/// The proof on its own, for a test or a reviewer: the parameterized template (YAML) resolved
/// with one stack's `parameters` deploys what `rendered` (Proton's render, YAML) does; else the
/// place where they differ.
pub fn verify(
    parameterized: &str,
    parameters: &Map<String, Json>,
    rendered: &str,
) -> Result<(), String> {
    let parse = |text: &str| {
        crate::yaml::parse(text)
            .map(|d| cfn::to_json(&d.root))
            .map_err(|e| format!("line {}: {}", e.pos.line, e.message))
    };
    let (ours, theirs) = (parse(parameterized)?, parse(rendered)?);
    match prove::first_difference(&ours, &theirs, parameters, &Map::new()) {
        None => Ok(()),
        Some(path) => Err(format!("they differ at {path}")),
    }
}

/// The merged document with its new parameters and conditions declared before `Resources`.
pub fn assemble(
    template: Json,
    parameters: &[merge::Parameter],
    conditions: Map<String, Json>,
    for_each: bool,
) -> Json {
    let Json::Object(mut sections) = template else {
        return template;
    };
    if for_each {
        let transform = Json::String(prove::LANGUAGE_EXTENSIONS.into());
        let value = match sections.remove("Transform") {
            None => transform,
            Some(Json::Array(mut list)) => {
                list.push(transform);
                Json::Array(list)
            }
            Some(existing) => Json::Array(vec![existing, transform]),
        };
        let mut with = Map::new();
        for (key, v) in std::mem::take(&mut sections) {
            let first = key == "AWSTemplateFormatVersion";
            with.insert(key, v);
            if first {
                with.insert("Transform".into(), value.clone());
            }
        }
        if !with.contains_key("Transform") {
            with.insert("Transform".into(), value);
        }
        sections = with;
    }
    let mut declared = sections
        .get("Parameters")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    for p in parameters {
        declared.insert(p.name.clone(), Json::Object(p.declaration.clone()));
    }
    let mut all_conditions = sections
        .get("Conditions")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    all_conditions.extend(conditions);
    let mut out = Map::new();
    let mut placed = false;
    let place = |out: &mut Map<String, Json>| {
        if !declared.is_empty() {
            out.insert("Parameters".into(), Json::Object(declared.clone()));
        }
        if !all_conditions.is_empty() {
            out.insert("Conditions".into(), Json::Object(all_conditions.clone()));
        }
    };
    for (key, value) in sections {
        match key.as_str() {
            "Parameters" | "Conditions" => {}
            "Resources" | "Outputs" if !placed => {
                place(&mut out);
                placed = true;
                out.insert(key, value);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    if !placed {
        place(&mut out);
    }
    Json::Object(out)
}
