//! The way off Proton: every rendered file of every bundle of a workspace, for every target and
//! every service instance, plus each bundle's spec — plain CloudFormation, tfvars and CodeBuild
//! inputs a team can deploy without Proton.

use crate::bundle::Bundle;
use crate::context::Target;
use crate::diagnostic::{distinct, has_errors, Diagnostic, Subject};
use crate::report::files::RenderedFile;
use crate::report::{run, Request};
use crate::schema::spec;
use crate::workspace::suggestions::placeholder_spec;
use crate::workspace::Workspace;
use serde::Serialize;

/// What an export gives: the files, and every finding of the renders that made them (under
/// workspace paths), with the names that could not be exported.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Export {
    pub files: Vec<RenderedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Export {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// Everything to export. The bundle at `selected.0` renders with `selected.1` (the user's spec
/// and mocks); the others with their defaults (and the same mocks). Paths:
/// `<bundle>/<target>[/<instance>]/<file>` and `<bundle>/spec.yaml`, each made of plain names:
/// an instance whose name is not one (`../x`) is not exported, and says so.
pub fn migration(workspace: &Workspace, selected: Option<(&str, &Request)>) -> Export {
    let mut export = Export::default();
    for bundle in &workspace.bundles {
        let mut request = match selected {
            Some((root, request)) if root == bundle.root => request.clone(),
            _ => Request {
                spec: Some(placeholder_spec(bundle)),
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
        // The page's form inputs, as the spec document they make.
        if request.spec.is_none() {
            request.spec = request.spec_for(bundle).map(std::borrow::Cow::into_owned);
        }
        let folder = export_folder(bundle, &mut export);
        let spec_file = request.spec.as_ref().map(|s| s.path.clone());
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
                let place = match instance {
                    Some(name) => format!("{folder}/{}/{name}", target.name()),
                    None => format!("{folder}/{}", target.name()),
                };
                if let Some(name) = instance.filter(|name| !spec::valid_name(name)) {
                    export.diagnostics.push(
                        Diagnostic::error(
                            "export-path",
                            format!(
                                "instance `{name}` of {} is not exported: its name is not a valid instance name",
                                bundle.label()
                            ),
                        )
                        .with_hint("instance names are letters, digits, `-` and `_`, starting with a letter or digit")
                        .about(Subject::Template {
                            template: bundle.label(),
                            other: None,
                            reason: None,
                        }),
                    );
                    continue;
                }
                let report = run(
                    bundle,
                    &Request {
                        target: Some(target),
                        instance: instance.cloned(),
                        skip_checks: true,
                        ..request.clone()
                    },
                );
                for d in report.diagnostics {
                    export
                        .diagnostics
                        .push(bundle.in_workspace(d, spec_file.as_deref()));
                }
                spec_text.get_or_insert(report.spec.clone());
                for o in report.outputs {
                    export.add(format!("{place}/{}", o.path), o.content);
                }
            }
        }
        if let Some(text) = spec_text {
            export.add(format!("{folder}/spec.yaml"), text);
        }
    }
    export.diagnostics = distinct(std::mem::take(&mut export.diagnostics));
    export
}

impl Export {
    /// Adds a file, or a finding when its path would leave the export folder.
    fn add(&mut self, path: String, content: String) {
        match RenderedFile::unsafe_path(&path) {
            None => self.files.push(RenderedFile { path, content }),
            Some(why) => self.diagnostics.push(
                Diagnostic::error("export-path", format!("not exported: {why}"))
                    .with_hint("rename the file or folder to plain names"),
            ),
        }
    }
}

/// The folder a bundle is exported under: its folder in the repository, else its label, else
/// `bundle` when the label is not a plain name (a bundle loaded from `...tar.gz`).
fn export_folder(bundle: &Bundle, export: &mut Export) -> String {
    let folder = if bundle.root.is_empty() {
        bundle.label()
    } else {
        bundle.root.clone()
    };
    match RenderedFile::unsafe_path(&folder) {
        None => folder,
        Some(why) => {
            export.diagnostics.push(
                Diagnostic::warning(
                    "export-path",
                    format!("the bundle is exported under `bundle/`: {why}"),
                )
                .with_hint("name the bundle's folder or archive with plain names"),
            );
            "bundle".to_string()
        }
    }
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
        let export = migration(&ws, Some(("ecs-fargate-service/v1", &request)));
        assert!(!export.has_errors(), "{:#?}", export.diagnostics);
        let files = export.files;
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

    #[test]
    fn names_that_would_leave_the_folder_are_refused() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let ws =
            Workspace::load_path(&root.join("examples/templates/ecs-fargate-service/v1")).unwrap();
        let request = Request {
            spec: Some(crate::report::SpecSource {
                path: "spec.yaml".into(),
                text: "proton: ServiceSpec\npipeline: {}\ninstances:\n  - name: ../../escaped\n    environment: dev\n    spec: {image: nginx}\n  - name: ok\n    environment: dev\n    spec: {image: nginx}\n".into(),
            }),
            ..Default::default()
        };
        let export = migration(&ws, Some(("", &request)));
        assert!(export.has_errors());
        assert!(
            export
                .diagnostics
                .iter()
                .any(|d| d.code == "export-path" && d.message.contains("../../escaped")),
            "{:#?}",
            export.diagnostics
        );
        assert!(export
            .files
            .iter()
            .all(|f| RenderedFile::unsafe_path(&f.path).is_none()));
        assert!(export
            .files
            .iter()
            .any(|f| f.path.contains("/service-instance/ok/")));
    }
}
