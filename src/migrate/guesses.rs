//! Which of a stack's values are guesses, not what Proton passed: a name, account or output the
//! templates read that no mocks file gave (the playground's default stood in), the page's mocks
//! (suggested or typed, never confirmed as Proton's), or the page's form instead of a spec file.
//! A deployment file marks them and the migration reports each stack that has them.

use super::SpecInput;
use crate::bundle::Bundle;
use crate::context::{Mocks, Target};
use serde::Serialize;
use serde_json::Value as Json;

/// One value a stack's files hold that is not known to be Proton's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guess {
    /// What the templates read (`environment.outputs.VpcId`, `environment.inputs.vpc_cidr`).
    pub value: String,
    /// Where it came from instead.
    pub from: String,
}

/// Where the page's values come from (set by the page, never by a file).
const FORM: &str = "the page's form, not a spec file";
const PAGE_MOCKS: &str =
    "the page's mocks (suggested or typed), not confirmed as what Proton passed";
const DEFAULT: &str = "no mocks file gave it: the playground's default stood in";

/// Whether `mocks` gives the value at `path` (a template's read, split at dots).
fn given(mocks: &Mocks, path: &[String]) -> bool {
    let strs: Vec<&str> = path.iter().map(String::as_str).collect();
    let has = |outputs: &serde_json::Map<String, Json>, name: &str| outputs.contains_key(name);
    match strs.as_slice() {
        ["environment", "outputs", name, ..] => has(&mocks.environment.outputs, name),
        ["environment", "name", ..] => mocks.environment.name.is_some(),
        ["environment", "account_id", ..]
        | ["service_instances", "[]", "environment", "account_id", ..] => {
            mocks.environment.account_id.is_some()
        }
        ["service_instances", "[]", "environment", "outputs", name, ..] => {
            has(&mocks.environment.outputs, name)
                || mocks.environments.values().any(|e| has(&e.outputs, name))
        }
        ["service_instances", "[]", "outputs", name, ..] => {
            has(&mocks.instance_outputs, name)
                || mocks
                    .outputs_by_instance
                    .values()
                    .any(|o| o.as_object().is_some_and(|o| has(o, name)))
        }
        ["service", "name", ..] => mocks.service.name.is_some(),
        ["service", "branch_name", ..] => mocks.service.branch_name.is_some(),
        ["service", "repository_id", ..] => mocks.service.repository_id.is_some(),
        ["service", "repository_connection_arn", ..] => {
            mocks.service.repository_connection_arn.is_some()
        }
        ["service_instance", "components", "default", "outputs", name, ..] => mocks
            .component
            .outputs
            .as_ref()
            .is_some_and(|o| has(o, name)),
        _ => true,
    }
}

/// A read that is a mock's (what Proton knew besides the spec), as `a.b.c`.
fn mock_read(path: &[String], target: Target) -> Option<String> {
    let strs: Vec<&str> = path.iter().map(String::as_str).collect();
    let mock = match strs.as_slice() {
        // An environment's name comes from its mocks; an instance's environment from its spec.
        ["environment", "name", ..] => target == Target::Environment,
        ["environment", "outputs", _, ..] | ["environment", "account_id", ..] => true,
        ["service", "name" | "branch_name" | "repository_id" | "repository_connection_arn", ..] => {
            true
        }
        ["service_instance", "components", "default", "outputs", _, ..] => true,
        ["service_instances", "[]", "environment", "outputs" | "account_id", ..] => true,
        ["service_instances", "[]", "outputs", _, ..] => true,
        _ => false,
    };
    mock.then(|| path.iter().take(5).cloned().collect::<Vec<_>>().join("."))
}

/// The guesses among the values a stack of `bundle`'s `target` holds, rendered for `spec` with
/// `mocks` (the mocks given, `stack_mocks` with the names the migration's rules add — an
/// environment named after its spec file); `context` is its render's context.
pub fn of_stack(
    bundle: &Bundle,
    target: Target,
    spec: &SpecInput,
    (mocks, stack_mocks): (&Mocks, &Mocks),
    context: &Json,
) -> Vec<Guess> {
    let mut out: Vec<Guess> = Vec::new();
    let mut push = |value: String, from: &str| {
        if !out.iter().any(|g| g.value == value) {
            out.push(Guess {
                value,
                from: from.to_string(),
            });
        }
    };
    if spec.from_form {
        let section = match target {
            Target::Environment => &context["environment"]["inputs"],
            Target::Pipeline => &context["pipeline"]["inputs"],
            _ => &context["service_instance"]["inputs"],
        };
        let prefix = match target {
            Target::Environment => "environment.inputs",
            Target::Pipeline => "pipeline.inputs",
            _ => "service_instance.inputs",
        };
        for key in section.as_object().into_iter().flat_map(|m| m.keys()) {
            push(format!("{prefix}.{key}"), FORM);
        }
    }
    let files: Vec<&String> = bundle
        .infrastructure_for(target)
        .map(|i| i.files.iter().collect())
        .unwrap_or_default();
    for (file, references) in bundle.references() {
        if !files.iter().any(|f| f.as_str() == file) {
            continue;
        }
        for reference in references {
            let Some(value) = mock_read(&reference.path, target) else {
                continue;
            };
            if spec.unconfirmed_mocks && given(mocks, &reference.path) {
                push(value, PAGE_MOCKS);
            } else if !given(stack_mocks, &reference.path) && !reference.guarded {
                push(value, DEFAULT);
            }
        }
    }
    out
}
