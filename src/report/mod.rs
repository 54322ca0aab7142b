//! One run of the data path for one bundle and target: spec → inputs → context → render →
//! report. The CLI and the WebAssembly facade both call [`run`].

pub mod files;

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Kind};
use crate::checks;
use crate::context::{self, Instance, Mocks, Target};
use crate::diagnostic::{has_errors, Diagnostic};
use crate::render::RenderOptions;
use crate::schema::inputs::{self, InputSite};
use crate::schema::spec::{self, Spec, SpecInstance, SpecKind};
use crate::schema::{InputKind, InputType};
use files::RenderedFile;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

/// A spec document and the name it is reported under.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpecSource {
    pub path: String,
    pub text: String,
}

/// What to render.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    /// Default: the bundle's own target (environment / service-instance / component).
    pub target: Option<Target>,
    pub spec: Option<SpecSource>,
    /// Spec instance rendered by the instance and component targets (default: the first).
    pub instance: Option<String>,
    pub mocks: Mocks,
    pub options: RenderOptions,
    /// REFERENCE §6.5 pre-GA compatibility mode.
    pub compat_preview: bool,
    /// Skips the CloudFormation checks (renders that only read declared outputs or diff text).
    pub skip_checks: bool,
}

/// Everything one render produced.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub target: Target,
    /// Name of the instance rendered (instance and component targets).
    pub instance: Option<String>,
    /// The compared output files (rendered templates, generated input files).
    pub outputs: Vec<RenderedFile>,
    /// Display-only files (CodeBuild `project_properties` rendered).
    pub extras: Vec<RenderedFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// The spec for the current inputs, fields at their default omitted.
    pub spec: String,
    /// The rendering context (JSON).
    pub context: Json,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// The spec document a bundle takes.
pub fn spec_kind(bundle: &Bundle) -> Option<SpecKind> {
    match bundle.kind {
        Kind::Environment | Kind::CustomerManagedEnvironment => Some(SpecKind::Environment),
        Kind::Service => Some(SpecKind::Service),
        Kind::Component => None,
    }
}

/// Renders `bundle` for `request`.
pub fn run(bundle: &Bundle, request: &Request) -> Report {
    let target = request.target.unwrap_or_else(|| bundle.default_target());
    let mut diagnostics = static_diagnostics(bundle, target);
    if !bundle.targets().contains(&target) {
        diagnostics.push(Diagnostic::error(
            "target-missing",
            format!(
                "this {} bundle has nothing to render for the {} target",
                kind_name(bundle.kind),
                target.name()
            ),
        ));
    }
    let parsed = request.spec.as_ref().map(|s| {
        let (spec, d) = spec::parse(&s.text, &s.path, spec_kind(bundle), bundle.has_pipeline());
        diagnostics.extend(d);
        spec
    });
    let spec = parsed.unwrap_or_default();
    let spec_file = request.spec.as_ref().map(|s| s.path.as_str());
    let schema_file = bundle
        .schema
        .as_ref()
        .map(|s| s.path.clone())
        .unwrap_or_else(|| "schema/schema.yaml".into());
    let input_type = |k: InputKind| bundle.schema.as_ref().and_then(|s| s.input_type(k));

    // Inputs.
    let environment_inputs = match input_type(InputKind::Environment) {
        Some(t) if target == Target::Environment => {
            let merged = inputs::merge(t, &spec.spec);
            let locator = spec.environment_locator();
            let site = InputSite {
                label: "environment inputs",
                spec_file,
                locate: Some(&locator),
                schema_file: &schema_file,
            };
            diagnostics.extend(inputs::validate(t, &spec.spec, &merged, &site));
            merged
        }
        _ => spec.spec.clone(),
    };
    let service_type = input_type(InputKind::Service);
    let spec_instances: Vec<SpecInstance> =
        if spec.instances.is_empty() && target != Target::Pipeline {
            vec![SpecInstance::default()]
        } else {
            spec.instances.clone()
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
    let validate_instance = |i: usize| match target {
        Target::ServiceInstance | Target::Component => i == chosen,
        Target::Pipeline => true,
        Target::Environment => false,
    };
    let mut instances = Vec::new();
    for (i, si) in spec_instances.iter().enumerate() {
        let merged = match service_type {
            Some(t) => {
                let merged = inputs::merge(t, &si.spec);
                if validate_instance(i) {
                    let site = InputSite {
                        label: "service_instance inputs",
                        spec_file,
                        locate: Some(si),
                        schema_file: &schema_file,
                    };
                    diagnostics.extend(inputs::validate(t, &si.spec, &merged, &site));
                }
                merged
            }
            None => si.spec.clone(),
        };
        let fallback_name = if target == Target::Pipeline {
            format!("{}-{}", context::DEFAULT_INSTANCE, i + 1)
        } else {
            context::DEFAULT_INSTANCE.to_string()
        };
        // The rendered instance takes the user's overrides (REFERENCE §6.2 precedence).
        let overrides = &request.mocks.instance;
        let rendered = i == chosen && target != Target::Pipeline;
        let name = match (&overrides.name, rendered) {
            (Some(name), true) => name.clone(),
            _ if si.name.is_empty() => fallback_name,
            _ => si.name.clone(),
        };
        let environment = match (&overrides.environment, rendered) {
            (Some(env), true) => env.clone(),
            _ => si
                .environment
                .clone()
                .or_else(|| request.mocks.environment.name.clone())
                .unwrap_or_else(|| context::DEFAULT_ENVIRONMENT.into()),
        };
        instances.push(Instance {
            name,
            environment,
            inputs: merged,
        });
    }
    if target == Target::Pipeline && spec.instances.is_empty() {
        instances.clear();
    }
    let pipeline_spec = spec.pipeline.clone().unwrap_or_default();
    let pipeline_inputs = match input_type(InputKind::Pipeline) {
        Some(t) => {
            let merged = inputs::merge(t, &pipeline_spec);
            if target == Target::Pipeline {
                let locator = spec.pipeline_locator();
                let site = InputSite {
                    label: "pipeline inputs",
                    spec_file,
                    locate: Some(&locator),
                    schema_file: &schema_file,
                };
                diagnostics.extend(inputs::validate(t, &pipeline_spec, &merged, &site));
            }
            merged
        }
        None => pipeline_spec,
    };

    // Context and render.
    let context = context::build(
        target,
        &environment_inputs,
        &pipeline_inputs,
        &instances,
        chosen,
        &request.mocks,
        request.compat_preview,
    );
    let template_value = context::to_template_value(&context);
    let mut outputs = Vec::new();
    let mut extras = Vec::new();
    if let Some(infra) = bundle.infrastructure_for(target) {
        let renderer = bundle.renderer(&request.options);
        let (o, e) = files::produce(
            bundle,
            infra,
            &context,
            &template_value,
            &renderer,
            &mut diagnostics,
        );
        outputs = o;
        extras = e;
        if !request.skip_checks && matches!(infra.method, Some(Method::CloudFormation) | None) {
            for output in outputs.iter().filter(|o| checks::is_template_file(&o.path)) {
                let source = bundle.files.get(&output.path).map_or("", String::as_str);
                diagnostics.extend(checks::check_cloudformation(
                    &output.path,
                    source,
                    &output.content,
                ));
            }
        }
    }
    let spec_text = export_spec(
        bundle,
        &environment_inputs,
        &pipeline_inputs,
        &spec,
        &instances,
    );
    Report {
        target,
        instance: matches!(target, Target::ServiceInstance | Target::Component)
            .then(|| instances.get(chosen).map(|i| i.name.clone()))
            .flatten(),
        outputs,
        extras,
        diagnostics: dedupe(diagnostics),
        spec: spec_text,
        context,
    }
}

/// The bundle's static diagnostics that concern `target`: template lint only for its own files.
fn static_diagnostics(bundle: &Bundle, target: Target) -> Vec<Diagnostic> {
    let own_files: Vec<&String> = bundle
        .infrastructure_for(target)
        .map(|i| i.files.iter().collect())
        .unwrap_or_default();
    bundle
        .diagnostics
        .iter()
        .filter(|d| {
            !d.code.starts_with("template-")
                || d.file.as_ref().is_some_and(|f| own_files.contains(&f))
        })
        .cloned()
        .collect()
}

/// Drops repeats of the same finding at the same place (a lint error and the render error it
/// predicted).
fn dedupe(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in diagnostics {
        if !out.iter().any(|o| {
            o.code == d.code
                && o.file == d.file
                && o.line == d.line
                && (o.message == d.message || o.code.starts_with("template-"))
        }) {
            out.push(d);
        }
    }
    out
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Environment => "environment",
        Kind::CustomerManagedEnvironment => "customer-managed environment",
        Kind::Service => "service",
        Kind::Component => "component",
    }
}

fn export_spec(
    bundle: &Bundle,
    env_inputs: &Map<String, Json>,
    pipeline_inputs: &Map<String, Json>,
    spec: &Spec,
    instances: &[Instance],
) -> String {
    let input_type = |k: InputKind| -> Option<&InputType> {
        bundle.schema.as_ref().and_then(|s| s.input_type(k))
    };
    match spec_kind(bundle) {
        Some(SpecKind::Environment) => spec::export(
            SpecKind::Environment,
            &spec::without_defaults(input_type(InputKind::Environment), env_inputs),
            None,
            &[],
        ),
        _ => {
            let exported: Vec<SpecInstance> = instances
                .iter()
                .map(|i| {
                    SpecInstance::new(
                        &i.name,
                        Some(&i.environment),
                        spec::without_defaults(input_type(InputKind::Service), &i.inputs),
                    )
                })
                .collect();
            let pipeline = (bundle.has_pipeline() || spec.pipeline.is_some())
                .then(|| spec::without_defaults(input_type(InputKind::Pipeline), pipeline_inputs));
            spec::export(SpecKind::Service, &Map::new(), pipeline.as_ref(), &exported)
        }
    }
}
