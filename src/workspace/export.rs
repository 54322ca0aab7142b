//! The way off Proton: every rendered file of every bundle of a workspace, for every target and
//! every service instance, plus each bundle's spec — plain CloudFormation, tfvars and CodeBuild
//! inputs a team can deploy without Proton.

use crate::context::Target;
use crate::report::files::RenderedFile;
use crate::report::{run, Request};
use crate::schema::spec;
use crate::workspace::Workspace;

/// The files to export. The bundle at `selected.0` renders with `selected.1` (the user's spec
/// and mocks); the others with their defaults (and the same mocks). Paths:
/// `<bundle>/<target>[/<instance>]/<file>` and `<bundle>/spec.yaml`.
pub fn migration_files(
    workspace: &Workspace,
    selected: Option<(&str, &Request)>,
) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    for bundle in &workspace.bundles {
        let mut request = match selected {
            Some((root, request)) if root == bundle.root => request.clone(),
            _ => Request {
                spec: Some(crate::workspace::suggestions::placeholder_spec(bundle)),
                mocks: selected.map(|(_, r)| r.mocks.clone()).unwrap_or_default(),
                ..Default::default()
            },
        };
        // Outputs the templates read and nobody mocked get the values the page suggests.
        let suggested = crate::workspace::summary::summarize_bundle(workspace, bundle);
        let mocks = &mut request.mocks;
        for (name, value) in suggested.suggested_environment_outputs {
            mocks.environment.outputs.entry(name).or_insert(value);
        }
        for (name, value) in suggested.suggested_instance_outputs {
            mocks.instance_outputs.entry(name).or_insert(value);
        }
        if let Some(outputs) = &mut mocks.component.outputs {
            for (name, value) in suggested.suggested_component_outputs {
                outputs.entry(name).or_insert(value);
            }
        }
        let folder = if bundle.root.is_empty() {
            bundle.label()
        } else {
            bundle.root.clone()
        };
        let instances: Vec<String> = request
            .spec
            .as_ref()
            .map(|s| {
                spec::parse(
                    &s.text,
                    &s.path,
                    crate::report::spec_kind(bundle),
                    bundle.has_pipeline(),
                )
                .0
            })
            .map(|s| s.instances.into_iter().map(|i| i.name).collect())
            .unwrap_or_default();
        let mut spec_text = None;
        for target in bundle.targets() {
            let per_instance = matches!(target, Target::ServiceInstance | Target::Component)
                && !instances.is_empty();
            let runs: Vec<Option<&String>> = if per_instance {
                instances.iter().map(Some).collect()
            } else {
                vec![None]
            };
            for instance in runs {
                let report = run(
                    bundle,
                    &Request {
                        target: Some(target),
                        instance: instance.cloned(),
                        skip_checks: true,
                        ..request.clone()
                    },
                );
                spec_text.get_or_insert(report.spec.clone());
                let place = match instance {
                    Some(name) => format!("{folder}/{}/{name}", target.name()),
                    None => format!("{folder}/{}", target.name()),
                };
                files.extend(report.outputs.into_iter().map(|o| RenderedFile {
                    path: format!("{place}/{}", o.path),
                    content: o.content,
                }));
            }
        }
        if let Some(text) = spec_text {
            files.push(RenderedFile {
                path: format!("{folder}/spec.yaml"),
                content: text,
            });
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_and_instance_of_the_examples() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let ws = Workspace::load_path(&root.join("examples/templates")).unwrap();
        let spec = std::fs::read_to_string(root.join("examples/specs/payment-api.yaml")).unwrap();
        let request = Request {
            spec: Some(crate::report::SpecSource {
                path: "spec.yaml".into(),
                text: spec,
            }),
            ..Default::default()
        };
        let files = migration_files(&ws, Some(("ecs-fargate-service/v1", &request)));
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for expected in [
            "ecs-shared-env/v1/environment/infrastructure/cloudformation.yaml",
            "ecs-shared-env/v1/spec.yaml",
            "ecs-fargate-service/v1/pipeline/pipeline_infrastructure/cloudformation.yaml",
            "ecs-fargate-service/v1/spec.yaml",
        ] {
            assert!(
                paths.contains(&expected),
                "{expected} missing from {paths:?}"
            );
        }
        let instance_files = paths
            .iter()
            .filter(|p| p.starts_with("ecs-fargate-service/v1/service-instance/"))
            .count();
        assert!(instance_files >= 2, "one file per instance: {paths:?}");
        assert!(files.iter().all(|f| !f.content.is_empty()));
    }
}
