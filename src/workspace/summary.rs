//! A serializable description of a loaded workspace: what the page needs to build its selector,
//! forms and mock fields (and what `proton-playground` prints for `--format json`).

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Kind};
use crate::context::Target;
use crate::diagnostic::Diagnostic;
use crate::schema::{InputKind, InputType};
use crate::workspace::suggestions::{
    consumed, paired_outputs, plausible, COMPONENT_OUTPUTS, ENVIRONMENT_OUTPUTS, INSTANCE_OUTPUTS,
};
use crate::workspace::Workspace;
use serde::Serialize;
use serde_json::Value as Json;

#[derive(Debug, Clone, Serialize)]
pub struct WorkspaceSummary {
    pub repository: bool,
    /// Spec documents in the load (`Import spec…` offers them).
    pub spec_files: Vec<String>,
    pub bundles: Vec<BundleSummary>,
    /// Findings about the load itself.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BundleSummary {
    pub root: String,
    pub name: String,
    pub major: Option<u32>,
    pub label: String,
    pub kind: Kind,
    /// An environment (standard or customer-managed): it takes an EnvironmentSpec.
    pub is_environment: bool,
    /// The roots of every version of this template in the workspace, oldest major first.
    pub versions: Vec<String>,
    /// The comparison a version check starts from, `[old_root, new_root]`: this version against
    /// its previous major, or for the first major the next one (the upgrade it would take);
    /// none when the template has one version here.
    pub default_comparison: Option<(String, String)>,
    pub method: Option<Method>,
    pub targets: Vec<Target>,
    pub default_target: Target,
    pub has_pipeline: bool,
    pub environment_inputs: Option<InputTypeSummary>,
    pub service_inputs: Option<InputTypeSummary>,
    pub pipeline_inputs: Option<InputTypeSummary>,
    /// `name:major` entries of the registration.
    pub compatible_environments: Vec<String>,
    /// Outputs the templates read, for mock fields: environment, pipeline instance, component.
    pub consumed_environment_outputs: Vec<String>,
    pub consumed_instance_outputs: Vec<String>,
    pub consumed_component_outputs: Vec<String>,
    /// Mock values for the environment outputs: every output read, and every output a paired
    /// loaded environment declares, with plausible values (`vpc-…`, `subnet-…`, ARNs).
    pub suggested_environment_outputs: serde_json::Map<String, Json>,
    /// Mock values for pipeline instance outputs and component outputs the templates read.
    pub suggested_instance_outputs: serde_json::Map<String, Json>,
    pub suggested_component_outputs: serde_json::Map<String, Json>,
    /// Bundle-relative IaC files per target.
    pub infrastructure: Vec<InfrastructureSummary>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InfrastructureSummary {
    pub target: Target,
    pub folder: String,
    pub method: Option<Method>,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InputTypeSummary {
    pub name: String,
    pub properties: Vec<PropertySummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PropertySummary {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub required: bool,
    pub default: Option<Json>,
    /// The OpenAPI schema with `$ref` resolved (type, enum, bounds, pattern, items…).
    pub schema: Json,
}

fn input_summary(t: Option<&InputType>) -> Option<InputTypeSummary> {
    t.map(|t| InputTypeSummary {
        name: t.name.clone(),
        properties: t
            .properties
            .iter()
            .map(|p| PropertySummary {
                name: p.name.clone(),
                title: p.title.clone(),
                description: p.description.clone(),
                required: p.required,
                default: p.default.clone(),
                schema: p.schema.clone(),
            })
            .collect(),
    })
}

/// The keys Proton's context gives `environment` itself; any other `environment.<X>` a pre-GA
/// template reads is an output.
const ENVIRONMENT_KEYS: &[&str] = &["name", "inputs", "outputs", "account_id"];

pub fn summarize(workspace: &Workspace) -> WorkspaceSummary {
    WorkspaceSummary {
        repository: workspace.repository,
        spec_files: workspace.spec_files.clone(),
        diagnostics: workspace.diagnostics.clone(),
        bundles: workspace
            .bundles
            .iter()
            .map(|b| summarize_bundle(workspace, b))
            .collect(),
    }
}

pub fn summarize_bundle(workspace: &Workspace, b: &Bundle) -> BundleSummary {
    let mut consumed_environment_outputs = consumed(b, ENVIRONMENT_OUTPUTS);
    // A pre-GA template reads an environment output as `environment.<Output>` (the compatibility
    // mode copies the outputs there): those reads want mocks too.
    if b.is_pre_ga() {
        let inputs = b
            .schema
            .as_ref()
            .and_then(|s| s.input_type(InputKind::Environment));
        for name in consumed(b, &[&["environment"]]) {
            let known = ENVIRONMENT_KEYS.contains(&name.as_str())
                || inputs.is_some_and(|t| t.property(&name).is_some())
                || consumed_environment_outputs.contains(&name);
            if !known {
                consumed_environment_outputs.push(name);
            }
        }
    }
    let mut suggested_environment_outputs = plausible(consumed_environment_outputs.clone());
    for (name, value) in paired_outputs(workspace, b) {
        suggested_environment_outputs.entry(name).or_insert(value);
    }
    let consumed_instance_outputs = consumed(b, INSTANCE_OUTPUTS);
    let consumed_component_outputs = consumed(b, COMPONENT_OUTPUTS);
    let schema = b.schema.as_ref();
    let kind_type = |k: InputKind| schema.and_then(|s| s.input_type(k));
    let mut versions: Vec<&Bundle> = workspace
        .bundles
        .iter()
        .filter(|other| other.name == b.name)
        .collect();
    versions.sort_by_key(|v| v.major.unwrap_or(0));
    let major = b.major.unwrap_or(0);
    let earlier = versions.iter().rfind(|v| v.major.unwrap_or(0) < major);
    let later = versions.iter().find(|v| v.major.unwrap_or(0) > major);
    let default_comparison = match (earlier, later) {
        (Some(old), _) => Some((old.root.clone(), b.root.clone())),
        (None, Some(new)) => Some((b.root.clone(), new.root.clone())),
        (None, None) => None,
    };
    BundleSummary {
        root: b.root.clone(),
        name: b.name.clone(),
        major: b.major,
        label: b.label(),
        kind: b.kind,
        is_environment: matches!(b.kind, Kind::Environment | Kind::CustomerManagedEnvironment),
        versions: versions.iter().map(|v| v.root.clone()).collect(),
        default_comparison,
        method: b.method(),
        targets: b.targets(),
        default_target: b.default_target(),
        has_pipeline: b.has_pipeline(),
        environment_inputs: input_summary(kind_type(InputKind::Environment)),
        service_inputs: input_summary(kind_type(InputKind::Service)),
        pipeline_inputs: input_summary(kind_type(InputKind::Pipeline)),
        compatible_environments: b
            .registration
            .as_ref()
            .map(|r| {
                r.compatible_environments
                    .iter()
                    .map(|(n, m)| format!("{n}:{m}"))
                    .collect()
            })
            .unwrap_or_default(),
        suggested_environment_outputs,
        suggested_instance_outputs: plausible(consumed_instance_outputs.clone()),
        suggested_component_outputs: plausible(consumed_component_outputs.clone()),
        consumed_environment_outputs,
        consumed_instance_outputs,
        consumed_component_outputs,
        infrastructure: b
            .infrastructure
            .iter()
            .map(|i| InfrastructureSummary {
                target: i.target,
                folder: i.folder.clone(),
                method: i.method,
                files: i.files.clone(),
            })
            .collect(),
        diagnostics: b.diagnostics.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pre_ga_service_gets_mocks_for_the_outputs_it_reads_and_a_hint_to_the_mode() {
        let tree = crate::bundle::FileTree::from_texts([
            ("svc/schema/schema.yaml", "schema:\n  format:\n    openapi: 3.0.0\n  service_input_type: S\n  types:\n    S:\n      type: object\n      properties:\n        port:\n          type: number\n          default: 80\n"),
            ("svc/infrastructure/manifest.yaml", "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      engine: jinja\n      template_language: cloudformation\n"),
            ("svc/infrastructure/cloudformation.yaml", "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: \"{{ service_name }}-{{ environment.ECSTaskExecutionRole }}\"\n"),
        ])
        .0;
        let ws = Workspace::from_tree(tree, Vec::new());
        let summary = summarize(&ws);
        assert_eq!(
            summary.bundles[0].consumed_environment_outputs,
            ["ECSTaskExecutionRole"]
        );
        assert!(summary.bundles[0]
            .suggested_environment_outputs
            .contains_key("ECSTaskExecutionRole"));
        let bundle = &ws.bundles[0];
        let request = crate::report::Request::default();
        let report = crate::report::run(bundle, &request);
        let mode = report
            .diagnostics
            .iter()
            .find(|d| d.code == "pre-ga-mode")
            .unwrap();
        assert_eq!(mode.file.as_deref(), Some("infrastructure/manifest.yaml"));
        let preview = crate::report::Request {
            compat_preview: true,
            ..request
        };
        let report = crate::report::run(bundle, &preview);
        assert!(report.diagnostics.iter().all(|d| d.code != "pre-ga-mode"));
    }

    #[test]
    fn service_example_summary() {
        let ws = Workspace::load_path(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates"),
        )
        .unwrap();
        let summary = summarize(&ws);
        let svc = summary
            .bundles
            .iter()
            .find(|b| b.name == "ecs-fargate-service")
            .unwrap();
        assert_eq!(svc.kind, Kind::Service);
        assert_eq!(svc.compatible_environments, ["ecs-shared-env:1"]);
        assert_eq!(
            svc.consumed_environment_outputs,
            [
                "TaskExecutionRoleArn",
                "SharedLogGroupName",
                "VpcId",
                "ECSClusterArn",
                "PrivateSubnetIds"
            ]
        );
        assert_eq!(
            svc.service_inputs.as_ref().unwrap().properties[0].name,
            "task_cpu"
        );
        assert!(svc.targets.contains(&Target::Pipeline));
        assert!(!svc.is_environment);
        assert_eq!(
            svc.default_comparison,
            Some((
                "ecs-fargate-service/v1".to_string(),
                "ecs-fargate-service/v2".to_string()
            )),
            "its first major compares with the next"
        );
    }

    #[test]
    fn versions_compare_with_the_previous_major_else_the_next() {
        let schema = "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties: {}\n";
        let manifest = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
        let template = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n";
        let mut files = Vec::new();
        for v in ["env/v1", "env/v2", "env/v3"] {
            files.push((format!("{v}/schema/schema.yaml"), schema));
            files.push((format!("{v}/infrastructure/manifest.yaml"), manifest));
            files.push((format!("{v}/infrastructure/cloudformation.yaml"), template));
        }
        let (tree, d) =
            crate::bundle::FileTree::from_texts(files.iter().map(|(p, t)| (p.as_str(), *t)));
        let summary = summarize(&Workspace::from_tree(tree, d));
        let of = |root: &str| summary.bundles.iter().find(|b| b.root == root).unwrap();
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(of("env/v1").default_comparison, pair("env/v1", "env/v2"));
        assert_eq!(of("env/v3").default_comparison, pair("env/v2", "env/v3"));
        assert_eq!(of("env/v2").versions, ["env/v1", "env/v2", "env/v3"]);
        assert!(of("env/v2").is_environment);
    }
}
