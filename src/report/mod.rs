//! One run of the data path for one bundle and target, each step named in [`run`]: spec →
//! inputs (once per section) → context → render → produced files → checks → spec export. The
//! CLI and the WebAssembly facade both call [`run`].

pub mod files;
pub mod sarif;
mod sections;

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Infrastructure, Kind};
use crate::checks;
use crate::context::{self, Mocks, Target};
use crate::diagnostic::{has_errors, Diagnostic};
use crate::render::RenderOptions;
use crate::schema::spec::{self, Spec, SpecInputs, SpecInstance, SpecKind};
use crate::schema::{InputKind, InputType};
use files::RenderedFile;
use sections::Sections;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use std::sync::Arc;

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
    /// The spec's inputs by section (the page's form): without `spec`, the render reads the
    /// template's spec document of them as `spec.yaml`.
    pub inputs: Option<SpecInputs>,
    /// Spec instance rendered by the instance and component targets (default: the first).
    pub instance: Option<String>,
    pub mocks: Mocks,
    pub options: RenderOptions,
    /// docs/proton-semantics.md §6.5 pre-GA compatibility mode.
    pub compat_preview: bool,
    /// Skips the CloudFormation checks (renders that only read declared outputs or diff text).
    pub skip_checks: bool,
    /// Renders a required input that has no value and no default with an example value (the
    /// page, so a template renders on a first look), said by an `input-example` info instead of
    /// an `input-required` error. The CLI never sets it: Proton would have refused the spec.
    pub fill_required: bool,
}

impl Request {
    /// The spec this request renders `bundle` with: the one given, else the spec document of
    /// its inputs (`spec.yaml`).
    pub fn spec_for(&self, bundle: &Bundle) -> Option<std::borrow::Cow<'_, SpecSource>> {
        if let Some(spec) = &self.spec {
            return Some(std::borrow::Cow::Borrowed(spec));
        }
        let inputs = self.inputs.as_ref()?;
        Some(std::borrow::Cow::Owned(spec_of_inputs(
            bundle, inputs, FORM_SPEC,
        )))
    }
}

/// The spec document `bundle` takes for `inputs`, as the spec file `path` (a component renders
/// in a service instance: its inputs come as a ServiceSpec).
pub fn spec_of_inputs(bundle: &Bundle, inputs: &SpecInputs, path: &str) -> SpecSource {
    let kind = spec_kind(bundle).unwrap_or(SpecKind::Service);
    let document = inputs.document(kind, bundle.has_pipeline());
    SpecSource {
        path: path.into(),
        text: serde_json::to_string_pretty(&document).unwrap_or_default(),
    }
}

/// The name the spec document of a request's inputs is reported under.
pub const FORM_SPEC: &str = "spec.yaml";

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

/// Renders `bundle` for `request`: the data path, one named step after the other.
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
    if bundle.is_pre_ga() && !request.compat_preview {
        // Located where the preview layout was found (its manifest).
        let at = bundle
            .diagnostics
            .iter()
            .find(|d| d.code.starts_with("pre-ga-"))
            .and_then(|d| d.file.clone());
        let mut mode = Diagnostic::info(
                "pre-ga-mode",
                "this bundle is laid out as in Proton's 2020 preview: its templates may read the preview's names (`service_name`, `source.*`, outputs as `environment.<Output>`)",
            )
            .with_hint("render it as the preview did with the Pre-GA compatibility mode (the Mocks panel; CLI `--compat preview`)");
        if let Some(file) = at {
            mode = mode.in_file(file);
        }
        diagnostics.push(mode);
    }
    let spec = read_spec(bundle, request, &mut diagnostics);
    let inputs = sections::resolve(bundle, target, &spec, request, &mut diagnostics);
    let context = build_context(target, &inputs, request);
    let (outputs, extras) = match bundle.infrastructure_for(target) {
        Some(infra) => {
            let produced = render_files(bundle, infra, &context, request, &mut diagnostics);
            if !request.skip_checks {
                let mocked = mocked_values(request, &inputs);
                diagnostics.extend(check_files(bundle, infra, &produced.0, &mocked));
            }
            produced
        }
        None => Default::default(),
    };
    let spec_text = export_spec(bundle, &inputs, &spec);
    Report {
        target,
        instance: matches!(target, Target::ServiceInstance | Target::Component)
            .then(|| inputs.instances.get(inputs.chosen).map(|i| i.name.clone()))
            .flatten(),
        outputs,
        extras,
        diagnostics: dedupe(diagnostics),
        spec: spec_text,
        context,
    }
}

/// [`run`] with the findings under their workspace paths (`bundle.root/…`; the spec file's as
/// given): what the CLI prints, the page's editor marks and a language server publishes.
pub fn run_in_workspace(bundle: &Bundle, request: &Request) -> Report {
    let mut report = run(bundle, request);
    let spec = request.spec_for(bundle);
    let spec_file = spec.as_ref().map(|s| s.path.as_str());
    report.diagnostics = std::mem::take(&mut report.diagnostics)
        .into_iter()
        .map(|d| bundle.in_workspace(d, spec_file))
        .collect();
    report
}

/// Steps 1–3 alone: the context a render of `request` would use (the editor's completion and
/// hover read it), without rendering.
pub fn context_of(bundle: &Bundle, request: &Request) -> Json {
    let target = request.target.unwrap_or_else(|| bundle.default_target());
    let mut ignored = Vec::new();
    let spec = read_spec(bundle, request, &mut ignored);
    let inputs = sections::resolve(bundle, target, &spec, request, &mut ignored);
    build_context(target, &inputs, request)
}

/// Step 3: the context of the resolved inputs and the mocks.
fn build_context(target: Target, inputs: &Sections, request: &Request) -> Json {
    context::build(
        target,
        &inputs.environment,
        &inputs.pipeline,
        &inputs.instances,
        inputs.chosen,
        &request.mocks,
        request.compat_preview,
    )
}

/// Step 1: the request's spec document, parsed and checked (empty when none is given; the
/// bundle keeps the last one parsed).
fn read_spec(bundle: &Bundle, request: &Request, diagnostics: &mut Vec<Diagnostic>) -> Arc<Spec> {
    let Some(source) = request.spec_for(bundle) else {
        return Arc::default();
    };
    let (spec, found) = bundle.parse_spec(&source.path, &source.text, spec_kind(bundle));
    diagnostics.extend(found);
    spec
}

/// Steps 3–4: the target's templates rendered with the context, then the files the method
/// produces from them (`proton.auto.tfvars.json`, CodeBuild inputs), and the display-only ones.
fn render_files(
    bundle: &Bundle,
    infra: &Infrastructure,
    context: &Json,
    request: &Request,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<RenderedFile>, Vec<RenderedFile>) {
    let template_value = context::to_template_value(context);
    let renderer = bundle.renderer(&request.options);
    files::produce(
        bundle,
        infra,
        context,
        &template_value,
        &renderer,
        diagnostics,
    )
}

/// The values that came from mocked outputs and placeholders, which the checks do not judge.
fn mocked_values(request: &Request, inputs: &Sections) -> checks::Mocked {
    let mocks = &request.mocks;
    let outputs = [&mocks.environment.outputs, &mocks.instance_outputs]
        .into_iter()
        .chain(mocks.component.outputs.as_ref())
        .flat_map(|outputs| outputs.values());
    checks::Mocked::of(outputs.chain(&inputs.placeholders))
}

/// Step 5: the CloudFormation checks of every rendered template.
fn check_files(
    bundle: &Bundle,
    infra: &Infrastructure,
    outputs: &[RenderedFile],
    mocked: &checks::Mocked,
) -> Vec<Diagnostic> {
    if !matches!(infra.method, Some(Method::CloudFormation) | None) {
        return Vec::new();
    }
    outputs
        .iter()
        .filter(|o| checks::is_template_file(&o.path))
        .flat_map(|output| {
            let source = bundle.files.get(&output.path).map_or("", String::as_str);
            checks::check_rendered(&output.path, source, &output.content, mocked)
        })
        .collect()
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
/// predicted): same code, severity, file and line, and same message unless it is a template
/// finding. A lint warning never hides the error the render then met (an include that fails).
fn dedupe(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| {
            let message = (!d.code.starts_with("template-")).then(|| d.message.clone());
            seen.insert((d.code.clone(), d.severity, d.file.clone(), d.line, message))
        })
        .collect()
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Environment => "environment",
        Kind::CustomerManagedEnvironment => "customer-managed environment",
        Kind::Service => "service",
        Kind::Component => "component",
    }
}

/// Step 6: the spec for the inputs as resolved, fields at their default left out.
fn export_spec(bundle: &Bundle, inputs: &Sections, spec: &Spec) -> String {
    let input_type = |k: InputKind| -> Option<&InputType> {
        bundle.schema.as_ref().and_then(|s| s.input_type(k))
    };
    match spec_kind(bundle) {
        Some(SpecKind::Environment) => spec::export(
            SpecKind::Environment,
            &spec::without_defaults(input_type(InputKind::Environment), &inputs.environment),
            None,
            &[],
        ),
        _ => {
            let exported: Vec<SpecInstance> = inputs
                .instances
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
                .then(|| spec::without_defaults(input_type(InputKind::Pipeline), &inputs.pipeline));
            spec::export(SpecKind::Service, &Map::new(), pipeline.as_ref(), &exported)
        }
    }
}
