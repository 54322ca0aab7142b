//! Step 2 of a run: the inputs of each section resolved once. Each section's spec values are merged
//! with the schema's defaults (docs/proton-semantics.md §4) and validated when the target renders
//! it: the environment's for the environment target, the rendered instance's for the instance and
//! component targets, the pipeline's and every instance's for the pipeline target.

use crate::bundle::Bundle;
use crate::context::{self, Instance, Target};
use crate::diagnostic::{Diagnostic, Section, Subject};
use crate::report::Request;
use crate::schema::inputs::{self, InputSite, Locate};
use crate::schema::spec::{Spec, SpecInstance};
use crate::schema::{examples, InputKind};
use serde_json::{Map, Value as Json};

/// The resolved inputs of every section, and which instance the target renders.
pub struct Sections {
    pub environment: Map<String, Json>,
    pub pipeline: Map<String, Json>,
    pub instances: Vec<Instance>,
    /// Index of the rendered instance in `instances`.
    pub chosen: usize,
    /// The example values given to required inputs without one ([`Request::fill_required`]):
    /// placeholders the CloudFormation checks do not judge.
    pub placeholders: Vec<Json>,
}

/// Where the diagnostics of a section point (the spec file and the schema file), and whether
/// missing required inputs get example values ([`Request::fill_required`]).
struct Files<'a> {
    spec: Option<&'a str>,
    schema: &'a str,
    fill_required: bool,
    placeholders: std::cell::RefCell<Vec<Json>>,
}

/// Merges one section's spec values with the schema's defaults, validating them when `validate`.
fn resolve_section(
    bundle: &Bundle,
    kind: InputKind,
    values: &Map<String, Json>,
    validate: Option<(Section, Option<&str>, &dyn Locate)>,
    files: &Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> Map<String, Json> {
    let Some(input_type) = bundle.schema.as_ref().and_then(|s| s.input_type(kind)) else {
        return values.clone();
    };
    let mut merged = inputs::merge(input_type, values);
    if let Some((section, instance, locate)) = validate {
        if files.fill_required {
            for prop in input_type.properties.iter().filter(|p| p.required) {
                if merged.contains_key(&prop.name) {
                    continue;
                }
                let example = examples::example_value(&prop.schema);
                let problem = format!(
                    "no value and no default: rendered with the example value {example}; a real spec must set it"
                );
                diagnostics.push(
                    Diagnostic::info(
                        "input-example",
                        format!("{}: {}: {problem}", section.label(), prop.name),
                    )
                    .in_file(files.schema)
                    .at_pos(Some(prop.pos))
                    .about(Subject::Input {
                        section,
                        instance: instance.map(String::from),
                        input: prop.name.clone(),
                        field: prop.name.clone(),
                        problem,
                    }),
                );
                files.placeholders.borrow_mut().push(example.clone());
                merged.insert(prop.name.clone(), example);
            }
        }
        let site = InputSite {
            section,
            instance,
            spec_file: files.spec,
            locate: Some(locate),
            schema_file: files.schema,
        };
        diagnostics.extend(inputs::validate(input_type, values, &merged, &site));
    }
    merged
}

pub fn resolve(
    bundle: &Bundle,
    target: Target,
    spec: &Spec,
    request: &Request,
    diagnostics: &mut Vec<Diagnostic>,
) -> Sections {
    let schema_file = bundle
        .schema
        .as_ref()
        .map(|s| s.path.clone())
        .unwrap_or_else(|| "schema/schema.yaml".into());
    let spec_source = request.spec_for(bundle);
    let files = Files {
        spec: spec_source.as_ref().map(|s| s.path.as_str()),
        schema: &schema_file,
        fill_required: request.fill_required,
        placeholders: Default::default(),
    };

    let environment_locator = spec.environment_locator();
    let environment = if target == Target::Environment {
        let validate = (
            Section::Environment,
            None,
            environment_locator as &dyn Locate,
        );
        resolve_section(
            bundle,
            InputKind::Environment,
            &spec.spec,
            Some(validate),
            &files,
            diagnostics,
        )
    } else {
        spec.spec.clone()
    };

    if spec.instances.is_empty() && target == Target::Pipeline {
        diagnostics.push(
            Diagnostic::warning(
                "spec-instances",
                "no service instances: the pipeline renders with an empty service_instances",
            )
            .with_hint("give a ServiceSpec with instances"),
        );
    }
    // The instance and component targets render one instance, even when the spec has none.
    let default_instance = [SpecInstance::default()];
    let spec_instances: &[SpecInstance] = match target {
        Target::Pipeline => &spec.instances,
        _ if spec.instances.is_empty() => &default_instance,
        _ => &spec.instances,
    };
    let chosen = match request
        .instance
        .as_ref()
        .filter(|_| target != Target::Environment)
    {
        Some(name) => spec_instances
            .iter()
            .position(|i| &i.name == name)
            .unwrap_or_else(|| {
                diagnostics.push(Diagnostic::error(
                    "spec-instance",
                    format!("the spec has no instance named `{name}`"),
                ));
                0
            }),
        None => 0,
    };
    let instances = spec_instances
        .iter()
        .enumerate()
        .map(|(i, si)| {
            let validated = match target {
                Target::ServiceInstance | Target::Component => i == chosen,
                Target::Pipeline => true,
                Target::Environment => false,
            };
            let name = instance_name(si, i, target, i == chosen, request);
            let validate = validated.then_some((
                Section::ServiceInstance,
                Some(name.as_str()),
                si as &dyn Locate,
            ));
            let inputs = resolve_section(
                bundle,
                InputKind::Service,
                &si.spec,
                validate,
                &files,
                diagnostics,
            );
            let environment = instance_environment(si, target, i == chosen, request);
            Instance {
                name,
                environment,
                inputs,
            }
        })
        .collect();

    let pipeline_spec = spec.pipeline.clone().unwrap_or_default();
    let pipeline_locator = spec.pipeline_locator();
    let validate = (target == Target::Pipeline).then_some((
        Section::Pipeline,
        None,
        pipeline_locator as &dyn Locate,
    ));
    let pipeline = resolve_section(
        bundle,
        InputKind::Pipeline,
        &pipeline_spec,
        validate,
        &files,
        diagnostics,
    );
    Sections {
        environment,
        pipeline,
        instances,
        chosen,
        placeholders: files.placeholders.into_inner(),
    }
}

/// The rendered instance takes the user's overrides (docs/proton-semantics.md §6.2 precedence); an
/// instance without a name gets the mock default (numbered in a pipeline).
fn instance_name(
    si: &SpecInstance,
    index: usize,
    target: Target,
    chosen: bool,
    request: &Request,
) -> String {
    let rendered = chosen && target != Target::Pipeline;
    match (&request.mocks.instance.name, rendered) {
        (Some(name), true) => name.clone(),
        _ if !si.name.is_empty() => si.name.clone(),
        _ if target == Target::Pipeline => format!("{}-{}", context::DEFAULT_INSTANCE, index + 1),
        _ => context::DEFAULT_INSTANCE.to_string(),
    }
}

fn instance_environment(
    si: &SpecInstance,
    target: Target,
    chosen: bool,
    request: &Request,
) -> String {
    let rendered = chosen && target != Target::Pipeline;
    match (&request.mocks.instance.environment, rendered) {
        (Some(env), true) => env.clone(),
        _ => si
            .environment
            .clone()
            .or_else(|| request.mocks.environment.name.clone())
            .unwrap_or_else(|| context::DEFAULT_ENVIRONMENT.into()),
    }
}
