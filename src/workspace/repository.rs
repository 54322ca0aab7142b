//! Checks across the templates of a repository (docs/proton-semantics.md §11, §2.5): honest version
//! bumps, service ↔ environment compatibility and method pairing, and the environment-output
//! contract.

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Kind};
use crate::diagnostic::{Diagnostic, Subject};
use crate::workspace::declared_outputs::Declared;
use crate::workspace::suggestions::{
    consumed, consumed_outputs, fill_plausible, paired_outputs, placeholder_spec, INSTANCE_OUTPUTS,
};
use crate::workspace::versions::{compare, Bump};
use crate::workspace::Workspace;

/// The request `check` renders `bundle` with: the given spec (when `keep_spec` and there is one)
/// or placeholders for required inputs, the outputs a paired loaded environment declares, and
/// plausible outputs for pipeline instances; mocks given by the user always win.
pub fn check_request(
    ws: &Workspace,
    bundle: &Bundle,
    base: &crate::report::Request,
    keep_spec: bool,
) -> crate::report::Request {
    let mut request = base.clone();
    if !keep_spec || request.spec.is_none() {
        request.spec = Some(placeholder_spec(bundle));
    }
    for (name, value) in paired_outputs(ws, bundle) {
        request
            .mocks
            .environment
            .outputs
            .entry(name)
            .or_insert(value);
    }
    fill_plausible(
        &mut request.mocks.instance_outputs,
        consumed(bundle, INSTANCE_OUTPUTS),
    );
    request
}

/// Whether one service instance may run in an environment of template `name:major`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InstanceVerdict {
    pub instance: String,
    /// `name:major` of the environment's template.
    pub environment_template: String,
    pub compatible: bool,
    /// No environment template is given for the instance yet: there is nothing to judge (the
    /// page asks for one instead of showing a verdict).
    pub undecided: bool,
    /// Why: the registration entry, the method pairing, outputs read but not declared.
    pub reasons: Vec<String>,
}

/// Parses `name:major` (as in `.template-registration.yaml`).
pub fn parse_template_ref(text: &str) -> Option<(String, u32)> {
    let (name, major) = text.trim().rsplit_once(':')?;
    Some((name.to_string(), major.parse().ok()?))
}

/// Verdict per instance: is its environment's template `name:major` among the service's
/// compatible environments (the registration, else `declared` for a loose bundle), do the
/// methods pair, and — when that environment version is loaded — does it declare every output
/// the service reads?
pub fn instance_verdicts(
    ws: &Workspace,
    service: &Bundle,
    declared: &[(String, u32)],
    instances: &[(String, String)],
) -> Vec<InstanceVerdict> {
    let registered: Vec<(String, u32)> = match &service.registration {
        Some(reg) => reg.compatible_environments.clone(),
        None => declared.to_vec(),
    };
    let source = if service.registration.is_some() {
        "the registration"
    } else {
        "the declared list"
    };
    let consumed = consumed_outputs(service);
    instances
        .iter()
        .map(|(instance, template)| {
            let mut reasons = Vec::new();
            if template.trim().is_empty() {
                return InstanceVerdict {
                    instance: instance.clone(),
                    environment_template: String::new(),
                    compatible: false,
                    undecided: true,
                    reasons: vec![
                        "say which environment template (`name:major`) it runs in".to_string()
                    ],
                };
            }
            let Some((name, major)) = parse_template_ref(template) else {
                return InstanceVerdict {
                    instance: instance.clone(),
                    environment_template: template.clone(),
                    compatible: false,
                    undecided: false,
                    reasons: vec![format!(
                        "`{template}` is not `<environment-template>:<major>`"
                    )],
                };
            };
            let listed = registered.iter().any(|(n, m)| *n == name && *m == major);
            let list: Vec<String> = registered.iter().map(|(n, m)| format!("{n}:{m}")).collect();
            reasons.push(if listed {
                format!("{name}:{major} is in {source}")
            } else {
                format!(
                    "{name}:{major} is not in {source} ({})",
                    if list.is_empty() {
                        "empty".into()
                    } else {
                        list.join(", ")
                    }
                )
            });
            let mut compatible = listed;
            if let Some(env) = ws
                .bundles
                .iter()
                .find(|b| b.name == name && b.major == Some(major))
            {
                if let (Some(a), Some(b)) = (service.method(), env.method()) {
                    if a != b && a != Method::CodeBuild && b != Method::CodeBuild {
                        compatible = false;
                        reasons.push(format!(
                            "{} service, {} environment: the methods must match",
                            a.label(),
                            b.label()
                        ));
                    }
                }
                let declared = ws.declared_outputs(env);
                if let Declared::Unrendered(_) = declared {
                    reasons.push(format!(
                        "{} does not render at the moment: the outputs read are not checked",
                        env.label()
                    ));
                }
                if let Some(declared_outputs) = declared.outputs() {
                    let missing: Vec<&str> = consumed
                        .iter()
                        .filter(|c| !c.guarded && !declared_outputs.contains(&c.name))
                        .map(|c| c.name.as_str())
                        .collect();
                    if !missing.is_empty() {
                        compatible = false;
                        let mut unique = missing.clone();
                        unique.dedup();
                        reasons.push(format!(
                            "reads outputs {} does not declare: {}",
                            env.label(),
                            unique.join(", ")
                        ));
                    }
                }
            }
            InstanceVerdict {
                instance: instance.clone(),
                environment_template: template.clone(),
                compatible,
                undecided: false,
                reasons,
            }
        })
        .collect()
}

/// All repository-level findings, with repository-relative paths.
pub fn check_repository(ws: &Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut unrendered: Vec<String> = Vec::new();
    // Honest bumps between consecutive major versions of each template.
    let mut names: Vec<&str> = ws.bundles.iter().map(|b| b.name.as_str()).collect();
    names.dedup();
    for name in names {
        let mut versions: Vec<&Bundle> = ws
            .bundles
            .iter()
            .filter(|b| b.name == name && b.major.is_some())
            .collect();
        versions.sort_by_key(|b| b.major);
        for pair in versions.windows(2) {
            let cmp = compare(pair[0], pair[1], None);
            if !cmp.honest {
                let reasons: Vec<String> = cmp
                    .changes
                    .iter()
                    .filter(|c| c.needs > cmp.declared || c.needs == Bump::NotAllowed)
                    .map(|c| format!("{}: {} ({})", c.subject, c.description, c.rule))
                    .collect();
                out.push(
                    Diagnostic::error(
                        "version-bump",
                        format!(
                            "{} → {}: the changes need {} but the layout declares {}",
                            cmp.old,
                            cmp.new,
                            cmp.required.label(),
                            cmp.declared.label()
                        ),
                    )
                    .in_file(pair[1].root.clone())
                    .with_hint(reasons.join("; "))
                    .about(Subject::Template {
                        template: pair[1].label(),
                        other: Some(pair[0].label()),
                        reason: None,
                    }),
                );
            }
        }
    }
    for service in ws.bundles.iter().filter(|b| b.kind == Kind::Service) {
        if ws.repository && service.registration.is_none() {
            out.push(
                // Template sync needed the file; a version registered with the CLI named its
                // environments in the call instead, so its absence is no error. What it costs
                // here is said: the outputs the service reads are checked against no environment.
                Diagnostic::info(
                    "registration-missing",
                    format!(
                        "service template {} has no .template-registration.yaml: which environments it runs in is unknown, so the outputs it reads are not checked against any",
                        service.label()
                    ),
                )
                .in_file(service.root.clone())
                .with_hint("template sync needs the file; to check the outputs, add it:\ncompatible_environments:\n  - <environment-template>:<major>")
                .about(Subject::Template {
                    template: service.label(),
                    other: None,
                    reason: None,
                }),
            );
            continue;
        }
        let Some(reg) = &service.registration else {
            continue;
        };
        let consumed = consumed_outputs(service);
        for (name, major) in &reg.compatible_environments {
            let envs: Vec<&Bundle> = ws
                .bundles
                .iter()
                .filter(|b| &b.name == name && b.major == Some(*major))
                .collect();
            let reg_file = format!("{}/{}", service.root, reg.file)
                .trim_start_matches('/')
                .to_string();
            let pairing = |env: &str| Subject::Template {
                template: service.label(),
                other: Some(env.to_string()),
                reason: None,
            };
            if envs.is_empty() {
                if ws.bundles.iter().any(|b| &b.name == name) {
                    out.push(Diagnostic::warning("compat-missing-version", format!("{} is registered for {name}:{major}, which this repository does not hold", service.label())).in_file(reg_file).about(pairing(&format!("{name}:{major}"))));
                }
                continue;
            }
            for env in envs {
                if !matches!(
                    env.kind,
                    Kind::Environment | Kind::CustomerManagedEnvironment
                ) {
                    out.push(
                        Diagnostic::error(
                            "compat-kind",
                            format!("{name}:{major} is not an environment template"),
                        )
                        .in_file(reg_file.clone())
                        .about(pairing(&env.label())),
                    );
                    continue;
                }
                match (service.method(), env.method()) {
                    (Some(a), Some(b)) if a == b => {}
                    (Some(a), Some(b)) if a == Method::CodeBuild || b == Method::CodeBuild => {
                        out.push(Diagnostic::warning("compat-method", format!("{} ({}) with {} ({}): Proton's pairing rules for CodeBuild are unknown", service.label(), a.label(), env.label(), b.label())).in_file(reg_file.clone()).about(pairing(&env.label())));
                    }
                    (Some(a), Some(b)) => out.push(
                        Diagnostic::error("compat-method", format!("{} is {} but {} is {}: services deploy only to environments of the same method", service.label(), a.label(), env.label(), b.label()))
                            .in_file(reg_file.clone())
                            .about(pairing(&env.label())),
                    ),
                    _ => {}
                }
                // Cached by the workspace: each environment renders once, however many services.
                let declared = match ws.declared_outputs(env) {
                    Declared::Outputs(names) => names,
                    Declared::Unknown => {
                        out.push(Diagnostic::info("contract-unknown", format!("{} declares its outputs through CodeBuild: the contract is not checked", env.label())).in_file(env.root.clone()).about(pairing(&env.label())));
                        continue;
                    }
                    // Said once per environment, however many services read it.
                    Declared::Unrendered(error) => {
                        if !unrendered.contains(&env.label()) {
                            unrendered.push(env.label());
                            let at = error.file.as_deref().map(|f| match error.line {
                                Some(line) => format!(" ({f}:{line})"),
                                None => format!(" ({f})"),
                            });
                            out.push(Diagnostic::info("contract-unrendered", format!("{} does not render at the moment{}: the outputs its services read are checked once it renders again", env.label(), at.unwrap_or_default())).in_file(error.file.clone().unwrap_or_else(|| env.root.clone())).about(pairing(&env.label())));
                        }
                        continue;
                    }
                };
                let mut reported = Vec::new();
                for c in &consumed {
                    if declared.contains(&c.name) || reported.contains(&c.name) {
                        continue;
                    }
                    reported.push(c.name.clone());
                    let message = format!(
                        "{} reads environment output `{}`, which {} does not declare",
                        service.label(),
                        c.name,
                        env.label()
                    );
                    let d = if c.guarded {
                        Diagnostic::warning("contract-output", message)
                    } else {
                        Diagnostic::error("contract-output", message)
                    };
                    out.push(
                        d.in_file(
                            format!("{}/{}", service.root, c.file)
                                .trim_start_matches('/')
                                .to_string(),
                        )
                        .at(c.line, 1)
                        .about(Subject::EnvironmentOutput {
                            reader: service.label(),
                            environment: env.label(),
                            output: c.name.clone(),
                        })
                        .with_hint(format!(
                            "declared: {}",
                            if declared.is_empty() {
                                "(none)".into()
                            } else {
                                declared.join(", ")
                            }
                        )),
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn verdicts_per_instance() {
        let ws =
            Workspace::load_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates"))
                .unwrap();
        let svc = ws.select(Some("ecs-fargate-service:2")).unwrap();
        let instances = [
            ("dev".to_string(), "ecs-shared-env:2".to_string()),
            ("old".to_string(), "ecs-shared-env:1".to_string()),
            ("bad".to_string(), "nope".to_string()),
            ("new".to_string(), String::new()),
        ];
        let v = instance_verdicts(&ws, svc, &[], &instances);
        assert!(v[3].undecided && !v[3].compatible, "{v:#?}");
        assert!(v[..3].iter().all(|v| !v.undecided));
        assert!(v[0].compatible, "{v:#?}");
        assert!(!v[1].compatible);
        assert!(
            v[1].reasons
                .iter()
                .any(|r| r.contains("not in the registration")),
            "{v:#?}"
        );
        assert!(
            v[1].reasons.iter().any(|r| r.contains("PrivateSubnets")),
            "{v:#?}"
        );
        assert!(!v[2].compatible);
    }

    #[test]
    fn examples_repository_is_consistent() {
        let ws =
            Workspace::load_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates"))
                .unwrap();
        let findings = check_repository(&ws);
        assert!(findings.is_empty(), "{findings:#?}");
        let svc = ws.select(Some("ecs-fargate-service:1")).unwrap();
        let outputs = paired_outputs(&ws, svc);
        assert_eq!(outputs["VpcId"], "vpc-0a1b2c3d4e5f67890");
        assert!(outputs["TaskExecutionRoleArn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:iam::123456789012:role/"));
    }

    /// An environment with `env_template` and a service reading two of its outputs.
    fn paired(env_template: &str) -> Workspace {
        const MANIFEST: &str = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
        let schema = |kind: &str| {
            format!("schema:\n  format:\n    openapi: 3.0.0\n  {kind}_input_type: T\n  types:\n    T:\n      type: object\n      properties: {{}}\n")
        };
        let tree = crate::bundle::FileTree::from_texts([
            ("env/v1/schema/schema.yaml", schema("environment").as_str()),
            ("env/v1/infrastructure/manifest.yaml", MANIFEST),
            ("env/v1/infrastructure/cloudformation.yaml", env_template),
            ("svc/v1/schema/schema.yaml", schema("service").as_str()),
            ("svc/v1/.template-registration.yaml", "compatible_environments:\n  - env:1\n"),
            ("svc/v1/instance_infrastructure/manifest.yaml", MANIFEST),
            (
                "svc/v1/instance_infrastructure/cloudformation.yaml",
                "Resources: {}\n# {{ environment.outputs.VpcId }}\n# {{ environment.outputs.ClusterName }}\n",
            ),
        ])
        .0;
        Workspace::from_tree(tree, Vec::new())
    }

    #[test]
    fn an_environment_that_does_not_render_is_said_once_not_its_outputs_missing() {
        let ws = paired("Resources: {}\nOutputs:\n  VpcId:\n    Value: {{ environment.\n");
        let findings = check_repository(&ws);
        assert!(
            findings.iter().all(|d| d.code != "contract-output"),
            "{findings:#?}"
        );
        let said: Vec<_> = findings
            .iter()
            .filter(|d| d.code == "contract-unrendered")
            .collect();
        assert_eq!(said.len(), 1, "{findings:#?}");
        assert_eq!(
            said[0].file.as_deref(),
            Some("env/v1/infrastructure/cloudformation.yaml")
        );
        assert!(said[0]
            .message
            .contains("env:1 does not render at the moment"));
    }

    #[test]
    fn an_undeclared_output_is_a_located_finding_with_its_subject() {
        let ws = paired("Resources: {}\nOutputs:\n  VpcId:\n    Value: x\n");
        let findings = check_repository(&ws);
        let contract: Vec<_> = findings
            .iter()
            .filter(|d| d.code == "contract-output")
            .collect();
        assert_eq!(contract.len(), 1, "{findings:#?}");
        assert_eq!(
            contract[0].file.as_deref(),
            Some("svc/v1/instance_infrastructure/cloudformation.yaml")
        );
        assert_eq!(contract[0].line, Some(3));
        assert_eq!(
            contract[0].subject.as_deref(),
            Some(&Subject::EnvironmentOutput {
                reader: "svc:1".into(),
                environment: "env:1".into(),
                output: "ClusterName".into(),
            })
        );
    }
}
