//! The recovered specs and mocks of the exact stacks: an EnvironmentSpec per environment, a
//! ServiceSpec per service and version, a mocks file per stack, each value with where it came
//! from — proven by rendering them as written before the migration takes them.

use super::recover::Origin;
use super::{known_stack, proves, AdoptedStack, Case, Found, Status};
use crate::adopt::account::Role;
use crate::bundle::Bundle;
use crate::context::Target;
use crate::diagnostic::Diagnostic;
use crate::migrate::SpecInput;
use crate::report::files::RenderedFile;
use crate::report::SpecSource;
use crate::schema::spec::{InstanceInputs, SpecInputs, SpecKind};
use serde_json::{Map, Value as Json};

/// One spec file being written: its bundle, path, the cases it serves.
struct SpecFile<'c> {
    bundle: &'c Bundle,
    path: String,
    /// Indexes into the cases.
    members: Vec<usize>,
}

/// A name safe as a file name.
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The spec files of the exact cases: an EnvironmentSpec per environment, a ServiceSpec per
/// service and template version.
fn spec_files<'c>(cases: &'c [Case]) -> Vec<SpecFile<'c>> {
    let mut specs: Vec<SpecFile> = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let Some(found) = case.found.as_ref().filter(|f| f.exact) else {
            continue;
        };
        let stem = match &case.mapped.role {
            Role::Environment { name } => name.clone(),
            Role::ServiceInstance { service, .. } | Role::Pipeline { service } => service.clone(),
            Role::Component { name } => name.clone(),
        };
        let is_environment = matches!(case.mapped.role, Role::Environment { .. });
        let same = specs.iter_mut().find(|s| {
            !is_environment
                && std::ptr::eq(s.bundle, found.bundle)
                && s.members
                    .iter()
                    .any(|&m| cases[m].service() == case.service())
        });
        match same {
            Some(spec) => spec.members.push(i),
            None => {
                let mut path = format!("specs/{}.yaml", file_name(&stem));
                let mut n = 2;
                while specs.iter().any(|s| s.path == path) {
                    path = format!("specs/{}-{n}.yaml", file_name(&stem));
                    n += 1;
                }
                specs.push(SpecFile {
                    bundle: found.bundle,
                    path,
                    members: vec![i],
                });
            }
        }
    }
    specs
}

/// A section's inputs for the spec, with required inputs the body does not tell filled by their
/// schema's example (and named, so the file says so), and each input's origin.
fn section(
    found: &Found,
    frame_kind: crate::schema::InputKind,
) -> (Map<String, Json>, Vec<String>, Vec<String>) {
    let mut inputs = found.known.inputs.clone();
    let mut undetermined = Vec::new();
    let mut notes = Vec::new();
    let properties = found
        .bundle
        .schema
        .as_ref()
        .and_then(|s| s.input_type(frame_kind))
        .map_or(&[][..], |t| t.properties.as_slice());
    for property in properties {
        match found
            .known
            .origins
            .iter()
            .find(|(n, _)| *n == property.name)
        {
            Some((_, Origin::Deployed { line })) => notes.push(format!(
                "{}: read off the deployed template, line {line}",
                property.name
            )),
            Some((_, Origin::Branch)) => notes.push(format!(
                "{}: the deployed template takes the `{{% if %}}` branch this value decides",
                property.name
            )),
            None if found.pinned(property) => notes.push(format!(
                "{}: {} — the deployed template has it (another value renders otherwise)",
                property.name,
                if found.known.inputs.contains_key(&property.name) {
                    "as found"
                } else {
                    "its default"
                }
            )),
            None => {
                undetermined.push(property.name.clone());
                if property.required
                    && property.default.is_none()
                    && !inputs.contains_key(&property.name)
                {
                    inputs.insert(
                        property.name.clone(),
                        crate::schema::examples::example_value(&property.schema),
                    );
                    notes.push(format!(
                        "{}: UNDETERMINED — required, and nothing in the deployed template depends on it: an example value stands in; write Proton's value",
                        property.name
                    ));
                } else {
                    notes.push(format!(
                        "{}: undetermined — nothing in the deployed template depends on it; {}",
                        property.name,
                        if inputs.contains_key(&property.name) {
                            "kept as found"
                        } else {
                            "its default applies"
                        }
                    ));
                }
            }
        }
    }
    (inputs, undetermined, notes)
}

/// YAML text of `document` under a comment header.
pub(super) fn yaml_with_header(header: &[String], document: &Map<String, Json>) -> String {
    let mut text: String = header.iter().map(|l| format!("# {l}\n")).collect();
    let mut body = String::new();
    crate::yaml::write_mapping(&mut body, document, 0);
    text.push_str(body.trim_start_matches('\n'));
    text
}

/// The mocks file of one exact stack, each value with its origin.
fn mocks_file(case: &Case, found: &Found) -> String {
    let mocks = serde_json::to_value(&found.known.mocks).unwrap_or_default();
    // Only what is known: empty and absent fields stay out (they take no part in the render).
    fn prune(value: &Json) -> Option<Json> {
        match value {
            Json::Null => None,
            Json::Object(m) => {
                let kept: Map<String, Json> = m
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), prune(v)?)))
                    .collect();
                (!kept.is_empty()).then_some(Json::Object(kept))
            }
            other => Some(other.clone()),
        }
    }
    let document = match prune(&mocks) {
        Some(Json::Object(m)) => m,
        _ => Map::new(),
    };
    let mut header = vec![
        format!(
            "What Proton knew when it deployed stack {} (proton-playground adopt):",
            case.deployed.name
        ),
        "  names and the account: the stack's proton:* tags".to_string(),
    ];
    if let Role::ServiceInstance {
        environment: Some(env),
        ..
    } = &case.mapped.role
    {
        if !found.known.mocks.environment.outputs.is_empty() {
            header.push(format!(
                "  environment.outputs: the Outputs of environment `{env}`'s stack, as deployed"
            ));
        }
    }
    if let Role::Pipeline { .. } = case.mapped.role {
        header.push(
            "  outputs_by_instance, environments: the instance and environment stacks' Outputs"
                .into(),
        );
    }
    for (field, origin) in &found.known.mock_origins {
        if let Origin::Deployed { line } = origin {
            header.push(format!(
                "  {field}: read off the deployed template, line {line}"
            ));
        }
    }
    yaml_with_header(&header, &document)
}

/// Writes the spec and mocks files of the exact cases into `files` and returns what the
/// migration takes; a case whose files do not render its body is drift (`entries` say why).
pub(super) fn write_specs(
    cases: &[Case],
    entries: &mut [AdoptedStack],
    files: &mut Vec<RenderedFile>,
) -> Vec<SpecInput> {
    let mut inputs: Vec<SpecInput> = Vec::new();
    for spec in spec_files(cases) {
        let mut written = SpecInputs::default();
        let (mut environment_spec, mut with_pipeline) = (false, false);
        let mut header = vec![format!(
            "Recovered by proton-playground adopt from the deployed templates of {} (template {}); each input and where it came from:",
            spec.members.iter().map(|&m| cases[m].deployed.name.as_str()).collect::<Vec<_>>().join(", "),
            spec.bundle.label()
        )];
        let mut adopted_inputs: std::collections::BTreeMap<usize, Map<String, Json>> =
            std::collections::BTreeMap::new();
        for &m in &spec.members {
            let case = &cases[m];
            let found = case.found.as_ref().expect("exact cases are found");
            let kind = match found.target {
                Target::Environment => crate::schema::InputKind::Environment,
                Target::Pipeline => crate::schema::InputKind::Pipeline,
                _ => crate::schema::InputKind::Service,
            };
            let (values, undetermined, notes) = section(found, kind);
            let scope = match &case.mapped.role {
                Role::ServiceInstance { instance, .. } => format!("instance {instance}"),
                Role::Pipeline { .. } => "pipeline".to_string(),
                _ => "spec".to_string(),
            };
            header.extend(notes.iter().map(|n| format!("  {scope}: {n}")));
            entries[m].undetermined = undetermined;
            match &case.mapped.role {
                Role::Environment { .. } => {
                    environment_spec = true;
                    written.environment = values;
                }
                Role::ServiceInstance { .. } => {
                    adopted_inputs.insert(m, values);
                }
                Role::Pipeline { .. } => {
                    with_pipeline = true;
                    written.pipeline = values;
                }
                Role::Component { .. } => {}
            }
        }
        // Every instance of the service on this version, in the order its pipeline rendered
        // them; one drifted since keeps its inputs as read off its body (not adopted).
        for (i, case) in cases.iter().enumerate() {
            let (
                Role::ServiceInstance {
                    instance,
                    environment,
                    ..
                },
                Some(found),
            ) = (&case.mapped.role, case.found.as_ref())
            else {
                continue;
            };
            let of_this = std::ptr::eq(found.bundle, spec.bundle)
                && spec
                    .members
                    .iter()
                    .any(|&m| cases[m].service() == case.service());
            // With a pipeline, the instances it rendered; else those adopted.
            let pipeline = spec.members.iter().find_map(|&m| {
                let f = cases[m].found.as_ref()?;
                (f.target == Target::Pipeline).then_some(f)
            });
            let wanted = match pipeline {
                Some(p) => p.renders_instance(instance),
                None => adopted_inputs.contains_key(&i),
            };
            if !of_this || !wanted || environment_spec {
                continue;
            }
            let values = match adopted_inputs.remove(&i) {
                Some(values) => values,
                None => {
                    header.push(format!(
                        "  instance {instance}: its stack {} drifted (edited since Proton deployed it); its inputs as read off its body, for the pipeline — not adopted",
                        case.deployed.name
                    ));
                    found.known.inputs.clone()
                }
            };
            written.instances.push(InstanceInputs {
                name: instance.clone(),
                environment: environment.clone().unwrap_or_default(),
                spec: values,
            });
        }
        let kind = if environment_spec {
            SpecKind::Environment
        } else {
            SpecKind::Service
        };
        let document = match written.document(kind, with_pipeline) {
            Json::Object(document) => document,
            _ => Map::new(),
        };
        let source = SpecSource {
            path: spec.path.clone(),
            text: yaml_with_header(&header, &document),
        };
        let mut known = Vec::new();
        for &m in &spec.members {
            let case = &cases[m];
            let found = case.found.as_ref().expect("exact cases are found");
            let mocks_path = format!("mocks/{}.yaml", case.deployed.name);
            let mocks_text = mocks_file(case, found);
            match proves(found, &source, &mocks_text, case.body) {
                Ok(()) => {
                    entries[m].spec_file = Some(spec.path.clone());
                    entries[m].mocks_file = Some(mocks_path.clone());
                    known.push(known_stack(case, found, found.known.mocks.clone()));
                    files.push(RenderedFile {
                        path: mocks_path,
                        content: mocks_text,
                    });
                }
                Err(why) => {
                    entries[m].status = Status::Drift;
                    entries[m].diagnostics.push(
                        Diagnostic::error(
                            "adopt-proof",
                            format!("stack {}: {why}", case.deployed.name),
                        )
                        .in_file(&spec.path),
                    );
                }
            }
        }
        if known.is_empty() {
            continue;
        }
        files.push(RenderedFile {
            path: source.path.clone(),
            content: source.text.clone(),
        });
        inputs.push(SpecInput {
            template: Some(spec.bundle.root.clone()),
            source,
            stacks: known,
            from_form: false,
            unconfirmed_mocks: false,
        });
    }
    inputs
}
