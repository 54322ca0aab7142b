//! The fleet check: given the specs of many running instances, which ones validate and
//! render on a new template version, and which fail and why — the question a platform team asks
//! before announcing an update.

use crate::bundle::{Bundle, Kind};

use crate::context::{Mocks, Target};
use crate::diagnostic::Diagnostic;
use crate::report::{run, Request, SpecSource};
use crate::workspace::suggestions::{consumed, fill_plausible, ENVIRONMENT_OUTPUTS};
use serde::Serialize;

/// The verdict for one instance (or environment, or pipeline) of one spec file.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub spec: String,
    /// Instance name; `(pipeline)` for a service's pipeline; absent for an environment.
    pub instance: Option<String>,
    pub ok: bool,
    /// The error diagnostics that make it fail.
    pub errors: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FleetReport {
    pub template: String,
    pub verdicts: Vec<Verdict>,
    pub passed: usize,
    pub failed: usize,
}

/// Checks every spec against `bundle`. Environment outputs the templates read are mocked with
/// plausible values (unless `mocks` gives them), so only the specs decide.
pub fn check(bundle: &Bundle, specs: &[SpecSource], mocks: &Mocks) -> FleetReport {
    let mut mocks = mocks.clone();
    fill_plausible(
        &mut mocks.environment.outputs,
        consumed(bundle, ENVIRONMENT_OUTPUTS),
    );
    let mut verdicts = Vec::new();
    let wanted = crate::report::spec_kind(bundle).map(|k| k.document_name());
    for spec in specs {
        // Specs of other templates (another document kind) are not this fleet's.
        let document = crate::yaml::parse(&spec.text)
            .ok()
            .and_then(|d| d.root.get("proton").map(crate::yaml::node_text));
        if let (Some(wanted), Some(document)) = (wanted, document.as_deref()) {
            if wanted != document {
                continue;
            }
        }
        let request = Request {
            spec: Some(spec.clone()),
            mocks: mocks.clone(),
            ..Default::default()
        };
        let verdict = |instance: Option<String>, report: crate::Report| {
            let errors: Vec<Diagnostic> = report
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            Verdict {
                spec: spec.path.clone(),
                instance,
                ok: errors.is_empty(),
                errors,
            }
        };
        match bundle.kind {
            Kind::Service => {
                let parsed = crate::schema::spec::parse(
                    &spec.text,
                    &spec.path,
                    Some(crate::schema::spec::SpecKind::Service),
                    bundle.has_pipeline(),
                )
                .0;
                for instance in &parsed.instances {
                    let report = run(
                        bundle,
                        &Request {
                            target: Some(Target::ServiceInstance),
                            instance: Some(instance.name.clone()),
                            ..request.clone()
                        },
                    );
                    verdicts.push(verdict(Some(instance.name.clone()), report));
                }
                if bundle.has_pipeline() {
                    let report = run(
                        bundle,
                        &Request {
                            target: Some(Target::Pipeline),
                            ..request.clone()
                        },
                    );
                    verdicts.push(verdict(Some("(pipeline)".into()), report));
                }
                if parsed.instances.is_empty() {
                    verdicts.push(verdict(None, run(bundle, &request)));
                }
            }
            _ => verdicts.push(verdict(None, run(bundle, &request))),
        }
    }
    let passed = verdicts.iter().filter(|v| v.ok).count();
    FleetReport {
        template: bundle.label(),
        failed: verdicts.len() - passed,
        passed,
        verdicts,
    }
}

/// Spec files of a folder (`.yaml`, `.yml`, `.json`, sorted) or the one file given.
/// Each spec file is a regular file read up to 4 MB (a FIFO or a device is refused, not waited
/// on); at most [`MAX_SPEC_FILES`] are read.
pub fn read_specs(path: &std::path::Path) -> Result<Vec<SpecSource>, String> {
    let read = |p: &std::path::Path| -> Result<SpecSource, String> {
        let text = crate::bundle::files::read_text_file(p, 4 * 1024 * 1024)?;
        Ok(SpecSource {
            path: p.display().to_string(),
            text,
        })
    };
    if !path.is_dir() {
        return Ok(vec![read(path)?]);
    }
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        })
        .take(MAX_SPEC_FILES + 1)
        .collect();
    if paths.len() > MAX_SPEC_FILES {
        return Err(format!(
            "{}: more than the {MAX_SPEC_FILES} spec files one check reads",
            path.display()
        ));
    }
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}

/// Spec files one fleet check reads.
pub const MAX_SPEC_FILES: usize = 10_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Workspace;
    use std::path::Path;

    #[test]
    fn which_instances_survive_an_upgrade() {
        let ws = Workspace::load_path(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates/ecs-shared-env/v2"),
        )
        .unwrap();
        let specs = vec![
            SpecSource {
                path: "dev.yaml".into(),
                text: "proton: EnvironmentSpec\nspec:\n  cost_center: CC-1\n".into(),
            },
            SpecSource {
                path: "prod.yaml".into(),
                text: "proton: EnvironmentSpec\nspec:\n  log_retention_days: 90\n".into(),
            },
        ];
        let report = check(&ws.bundles[0], &specs, &Mocks::default());
        assert_eq!((report.passed, report.failed), (1, 1));
        assert_eq!(report.verdicts[1].errors[0].code, "input-required");
        assert!(report.verdicts[1].errors[0].message.contains("cost_center"));
    }

    #[test]
    fn service_instances_and_pipeline() {
        let ws = Workspace::load_path(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples/templates/ecs-fargate-service/v2"),
        )
        .unwrap();
        let spec = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/specs/payment-api.yaml"),
        )
        .unwrap();
        let report = check(
            &ws.bundles[0],
            &[SpecSource {
                path: "payment-api.yaml".into(),
                text: spec,
            }],
            &Mocks::default(),
        );
        let names: Vec<_> = report
            .verdicts
            .iter()
            .map(|v| (v.instance.clone().unwrap_or_default(), v.ok))
            .collect();
        assert_eq!(
            names,
            [
                ("dev".to_string(), true),
                ("prod".to_string(), true),
                ("(pipeline)".to_string(), true)
            ]
        );
    }
}
