//! Off Proton: a bundle (or repository) and the specs of its running stacks become a
//! CloudFormation Git Sync repository — one plain template per template and target that serves
//! every stack (its Jinja expressions turned into parameters and conditions, `merge`), proven
//! equal to Proton's render for every stack (`prove`), and one stack deployment file per stack.
//! A template that cannot be one template for all stays rendered per stack, with the reason.
//! docs/migration.md describes the output.

mod branches;
mod cfn;
mod merge;
mod prove;
mod repository;
mod trace;

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Kind};
use crate::context::{Mocks, Target};
use crate::diagnostic::{has_errors, Diagnostic, Subject};
use crate::report::files::RenderedFile;
use crate::report::{run, spec_kind, Request, SpecSource};
use crate::schema::spec::SpecKind;
use crate::schema::InputKind;
use crate::workspace::Workspace;
use branches::Branch;
use merge::{merge, InputInfo, Oracle, StackRender};
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use trace::{Sites, Traced};

/// CloudFormation allows 200 parameters per template.
pub const MAX_PARAMETERS: usize = 200;

/// A spec file given to the migration, optionally naming its template (its name, label
/// `name:major` or folder).
#[derive(Debug, Clone)]
pub struct SpecInput {
    pub template: Option<String>,
    pub source: SpecSource,
}

/// The whole migration: the repository's files and what they hold.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Migration {
    pub templates: Vec<TemplateMigration>,
    pub stacks: Vec<Stack>,
    /// The repository's files (`templates/`, `deployments/`, `migration.json`, `README.md`).
    pub files: Vec<RenderedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Migration {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// One template and target of the migration.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateMigration {
    pub template: String,
    pub version: String,
    pub target: String,
    /// `parameterized` (one template for every stack), `per-stack` (rendered for each) or
    /// `module` (a Terraform module with one tfvars file per stack).
    pub status: String,
    pub parameters: Vec<ParameterSummary>,
    /// Why a template stayed per stack, located in the template.
    pub diagnostics: Vec<Diagnostic>,
    /// The parameterized template's file, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A parameter of a parameterized template.
#[derive(Debug, Clone, Serialize)]
pub struct ParameterSummary {
    pub name: String,
    /// The Jinja expression it stands for, or the place of a computed value.
    pub source: String,
    /// True when the migration computes the value (CloudFormation cannot).
    pub computed: bool,
}

/// One stack: a deployed environment, service instance or pipeline.
#[derive(Debug, Clone, Serialize)]
pub struct Stack {
    pub name: String,
    pub deployment_file: String,
    pub template_file: String,
    pub template: String,
    pub version: String,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    pub spec: String,
    /// Parameter values (CloudFormation) or variables (Terraform).
    #[serde(skip)]
    pub parameters: Map<String, Json>,
}

/// A stack to be: its bundle, target, instance, spec, and the render Proton produced.
struct Planned<'a> {
    bundle: &'a Bundle,
    target: Target,
    instance: Option<String>,
    spec: &'a SpecInput,
    name: String,
    request: Request,
    report: crate::Report,
}

/// Migrates `workspace` for the stacks `specs` describe.
pub fn migrate(workspace: &Workspace, specs: &[SpecInput], mocks: &Mocks) -> Migration {
    let mut migration = Migration::default();
    let mut planned: Vec<Planned> = Vec::new();
    for spec in specs {
        let Some(bundle) = template_for(workspace, spec, mocks, &mut migration.diagnostics) else {
            continue;
        };
        // An environment is named after its spec file unless the mocks name it.
        let mut stack_mocks = mocks.clone();
        if spec_kind(bundle) == Some(SpecKind::Environment) && mocks.environment.name.is_none() {
            stack_mocks.environment.name = Some(file_stem(&spec.source.path));
        }
        for (target, instance) in stacks_of(bundle, spec) {
            let request = Request {
                target: Some(target),
                instance: instance.clone(),
                spec: Some(spec.source.clone()),
                mocks: stack_mocks.clone(),
                skip_checks: true,
                ..Default::default()
            };
            let report = run(bundle, &request);
            if report.has_errors() {
                let found: Vec<Diagnostic> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::Severity::Error)
                    .cloned()
                    .collect();
                for d in found {
                    migration
                        .diagnostics
                        .push(bundle.in_workspace(d, Some(&spec.source.path)));
                }
                migration.diagnostics.push(
                    Diagnostic::error(
                        "migrate-spec",
                        format!(
                            "{} does not render for {}{}: that stack is not migrated",
                            spec.source.path,
                            target.name(),
                            instance
                                .as_deref()
                                .map(|i| format!(" `{i}`"))
                                .unwrap_or_default()
                        ),
                    )
                    .in_file(&spec.source.path)
                    .about(template_subject(bundle)),
                );
                continue;
            }
            let name = stack_name(target, instance.as_deref(), spec, mocks, &planned);
            planned.push(Planned {
                bundle,
                target,
                instance,
                spec,
                name,
                request,
                report,
            });
        }
    }
    // One group per template version and target, in the order first met.
    let mut groups: Vec<(&Bundle, Target, Vec<&Planned>)> = Vec::new();
    for stack in &planned {
        match groups
            .iter_mut()
            .find(|(b, t, _)| std::ptr::eq(*b, stack.bundle) && *t == stack.target)
        {
            Some((_, _, members)) => members.push(stack),
            None => groups.push((stack.bundle, stack.target, vec![stack])),
        }
    }
    for (bundle, target, members) in groups {
        migrate_group(bundle, target, &members, &mut migration);
    }
    repository::write(&mut migration);
    migration
}

fn template_subject(bundle: &Bundle) -> Subject {
    Subject::Template {
        template: bundle.label(),
        other: None,
    }
}

/// The template a spec is for: the one it names, else the only one of its kind that renders it
/// (the newest version when several versions do).
fn template_for<'a>(
    workspace: &'a Workspace,
    spec: &SpecInput,
    mocks: &Mocks,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'a Bundle> {
    let kind = crate::yaml::parse(&spec.source.text).ok().and_then(|d| {
        d.root
            .get("proton")
            .and_then(|p| p.as_str().map(String::from))
    });
    let wanted = match kind.as_deref() {
        Some("EnvironmentSpec") => Some(SpecKind::Environment),
        Some("ServiceSpec") => Some(SpecKind::Service),
        _ => None,
    };
    let named = |b: &&Bundle| match &spec.template {
        Some(name) => {
            b.name == *name
                || b.label() == *name
                || b.root == *name
                || b.root.trim_end_matches('/') == name
        }
        None => true,
    };
    let mut candidates: Vec<&Bundle> = workspace
        .bundles
        .iter()
        .filter(|b| wanted.is_none() || spec_kind(b) == wanted)
        .filter(named)
        .collect();
    if candidates.len() > 1 {
        let renders: Vec<&Bundle> = candidates
            .iter()
            .copied()
            .filter(|b| {
                !run(
                    b,
                    &Request {
                        spec: Some(spec.source.clone()),
                        mocks: mocks.clone(),
                        skip_checks: true,
                        ..Default::default()
                    },
                )
                .has_errors()
            })
            .collect();
        if !renders.is_empty() {
            candidates = renders;
        }
        // Versions of one template: the newest.
        let first = candidates[0].name.clone();
        if candidates.iter().all(|b| b.name == first) {
            candidates.sort_by_key(|b| b.major);
            candidates = candidates.split_off(candidates.len() - 1);
        }
    }
    match candidates.as_slice() {
        [bundle] => Some(bundle),
        [] => {
            diagnostics.push(
                Diagnostic::error(
                    "migrate-spec",
                    format!(
                        "{}: no {} template{} in the workspace",
                        spec.source.path,
                        kind.as_deref().unwrap_or("matching"),
                        spec.template.as_deref().map(|t| format!(" named `{t}`")).unwrap_or_default()
                    ),
                )
                .in_file(&spec.source.path)
                .with_hint("a spec file starts with `proton: EnvironmentSpec` or `proton: ServiceSpec`; name its template with --specs NAME=FILE"),
            );
            None
        }
        several => {
            let names: Vec<String> = several.iter().map(|b| b.label()).collect();
            diagnostics.push(
                Diagnostic::error(
                    "migrate-spec",
                    format!(
                        "{}: fits several templates ({})",
                        spec.source.path,
                        names.join(", ")
                    ),
                )
                .in_file(&spec.source.path)
                .with_hint(format!(
                    "name its template: --specs {}={}",
                    several[0].name, spec.source.path
                )),
            );
            None
        }
    }
}

/// The stacks a spec describes: the environment; or each service instance, and the pipeline
/// when the service has one.
fn stacks_of(bundle: &Bundle, spec: &SpecInput) -> Vec<(Target, Option<String>)> {
    match bundle.kind {
        Kind::Environment | Kind::CustomerManagedEnvironment => vec![(Target::Environment, None)],
        Kind::Component => vec![(Target::Component, None)],
        Kind::Service => {
            let (parsed, _) = crate::schema::spec::parse(
                &spec.source.text,
                &spec.source.path,
                Some(SpecKind::Service),
                bundle.has_pipeline(),
            );
            let mut out: Vec<(Target, Option<String>)> = parsed
                .instances
                .iter()
                .map(|i| (Target::ServiceInstance, Some(i.name.clone())))
                .collect();
            if bundle.has_pipeline() && parsed.pipeline.is_some() {
                out.push((Target::Pipeline, None));
            }
            out
        }
    }
}

/// A CloudFormation stack name: letters, digits and hyphens, starting with a letter, unique.
fn stack_name(
    target: Target,
    instance: Option<&str>,
    spec: &SpecInput,
    mocks: &Mocks,
    planned: &[Planned],
) -> String {
    let stem = file_stem(&spec.source.path);
    let service = mocks.service.name.clone().unwrap_or_else(|| stem.clone());
    let raw = match (target, instance) {
        (Target::Environment, _) => stem,
        (Target::ServiceInstance, Some(i)) => format!("{service}-{i}"),
        (Target::Pipeline, _) => format!("{service}-pipeline"),
        (_, Some(i)) => format!("{service}-{i}-{}", target.name()),
        (_, None) => format!("{service}-{}", target.name()),
    };
    let mut name: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "stack-");
    }
    name.truncate(120);
    let base = name.clone();
    let mut n = 2;
    while planned.iter().any(|p| p.name == name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

fn file_stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "stack".into())
}

fn version_of(bundle: &Bundle) -> String {
    bundle
        .major
        .map(|m| format!("{m}"))
        .unwrap_or_else(|| "1".into())
}

fn template_folder(bundle: &Bundle) -> String {
    let name: String = bundle
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{name}-v{}", version_of(bundle))
}

fn migrate_group(bundle: &Bundle, target: Target, members: &[&Planned], migration: &mut Migration) {
    let folder = format!("templates/{}", template_folder(bundle));
    let mut summary = TemplateMigration {
        template: bundle.name.clone(),
        version: version_of(bundle),
        target: target.name().to_string(),
        status: "per-stack".into(),
        parameters: Vec::new(),
        diagnostics: Vec::new(),
        file: None,
    };
    let stack = |p: &Planned, template_file: String, parameters: Map<String, Json>| Stack {
        name: p.name.clone(),
        deployment_file: format!("deployments/{}.yaml", p.name),
        template_file,
        template: bundle.name.clone(),
        version: version_of(bundle),
        target: target.name().to_string(),
        instance: p.instance.clone(),
        spec: p.spec.source.path.clone(),
        parameters,
    };
    match bundle.method() {
        Some(Method::Terraform) => {
            summary.status = "module".into();
            let module = format!("{folder}/{}", target.name());
            let first = &members[0].report;
            for file in first.outputs.iter().filter(|f| !is_tfvars(&f.path)) {
                migration.files.push(RenderedFile {
                    path: format!("{module}/{}", file_name(&file.path)),
                    content: file.content.clone(),
                });
            }
            for p in members {
                let variables = p
                    .report
                    .outputs
                    .iter()
                    .find(|f| is_tfvars(&f.path))
                    .and_then(|f| serde_json::from_str::<Map<String, Json>>(&f.content).ok())
                    .unwrap_or_default();
                migration.stacks.push(stack(p, module.clone(), variables));
            }
            summary.file = Some(module);
        }
        Some(Method::CloudFormation) => match parameterize(bundle, members) {
            Ok(parameterized) => {
                let file = format!("{folder}/{}.yaml", target.name());
                migration.files.push(RenderedFile {
                    path: file.clone(),
                    content: parameterized.text,
                });
                for (i, p) in members.iter().enumerate() {
                    let values = parameterized
                        .parameters
                        .iter()
                        .map(|param| (param.name.clone(), Json::String(param.values[i].clone())))
                        .collect();
                    migration.stacks.push(stack(p, file.clone(), values));
                }
                summary.status = "parameterized".into();
                summary.parameters = parameterized
                    .parameters
                    .iter()
                    .map(|p| ParameterSummary {
                        name: p.name.clone(),
                        source: p.source.clone(),
                        computed: p.computed,
                    })
                    .collect();
                summary.diagnostics = parameterized.notes;
                summary.file = Some(file);
            }
            Err(reason) => {
                summary.diagnostics.push(reason);
                per_stack(&folder, target, members, migration, &stack);
            }
        },
        _ => per_stack(&folder, target, members, migration, &stack),
    }
    for d in &summary.diagnostics {
        migration.diagnostics.push(d.clone());
    }
    migration.templates.push(summary);
}

/// Makes a stack's record from its plan, template file and parameters.
type StackOf<'a> = dyn Fn(&Planned, String, Map<String, Json>) -> Stack + 'a;

fn per_stack(
    folder: &str,
    target: Target,
    members: &[&Planned],
    migration: &mut Migration,
    stack: &StackOf,
) {
    for p in members {
        let mut template_file = String::new();
        for (i, file) in p.report.outputs.iter().enumerate() {
            let path = if i == 0 && p.report.outputs.len() == 1 {
                format!("{folder}/{}.{}.yaml", target.name(), p.name)
            } else {
                format!(
                    "{folder}/{}.{}/{}",
                    target.name(),
                    p.name,
                    file_name(&file.path)
                )
            };
            if i == 0 {
                template_file = path.clone();
            }
            migration.files.push(RenderedFile {
                path,
                content: file.content.clone(),
            });
        }
        migration.stacks.push(stack(p, template_file, Map::new()));
    }
}

fn is_tfvars(path: &str) -> bool {
    path.ends_with(".tfvars.json")
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A parameterized template, its parameters, and what the merge wrote as it was.
struct Parameterized {
    text: String,
    parameters: Vec<merge::Parameter>,
    notes: Vec<Diagnostic>,
}

/// One template for every stack of `members`, proven; else the located reason (a
/// `migrate-per-stack` warning).
fn parameterize(bundle: &Bundle, members: &[&Planned]) -> Result<Parameterized, Diagnostic> {
    let label = bundle.label();
    let per_stack = |reason: String, at: Option<(String, usize)>| {
        let mut d = Diagnostic::warning(
            "migrate-per-stack",
            format!(
                "{label} ({}) stays one rendered template per stack: {reason}",
                members[0].target.name()
            ),
        )
        .about(template_subject(bundle));
        if let Some((file, line)) = at {
            d = bundle.in_workspace(d.in_file(file).at(line as u32, 1), None);
        }
        d
    };
    let outputs = &members[0].report.outputs;
    let [output] = outputs.as_slice() else {
        return Err(per_stack(
            format!("it renders {} files, not one template", outputs.len()),
            None,
        ));
    };
    let file = output.path.clone();
    let renderer = bundle.renderer(&members[0].request.options);
    let contexts: Vec<minijinja::Value> = members
        .iter()
        .map(|p| crate::context::to_template_value(&p.report.context))
        .collect();
    let mut sites = Sites::default();
    let mut traced = Vec::new();
    for (p, context) in members.iter().zip(&contexts) {
        let t =
            Traced::render(&renderer, &bundle.files, &file, context, &mut sites).map_err(|d| {
                per_stack(
                    format!("it does not render with output spans: {}", d.message),
                    None,
                )
            })?;
        let rendered = p
            .report
            .outputs
            .first()
            .map(|o| o.content.as_str())
            .unwrap_or_default();
        if t.text != rendered {
            return Err(per_stack(
                "its traced render differs from its render".into(),
                None,
            ));
        }
        traced.push(t);
    }
    let mut renders = Vec::new();
    let mut plain = Vec::new();
    for (p, t) in members.iter().zip(&traced) {
        let node = crate::yaml::parse(&t.text)
            .map_err(|e| {
                per_stack(
                    format!("its render for {} is not YAML: {}", p.name, e.message),
                    None,
                )
            })?
            .root;
        let marked = crate::yaml::parse(&t.marked).map(|d| cfn::to_json(&d.root));
        let truth = cfn::to_json(&node);
        let difference = match &marked {
            Ok(marked) => merge::marked_difference(marked, &truth),
            Err(_) => Some(String::new()),
        };
        match (marked, difference) {
            (Ok(marked), None) => {
                plain.push(truth);
                renders.push(StackRender {
                    marked,
                    node,
                    traced: t,
                });
            }
            (_, Some(path)) => {
                return Err(per_stack(
                    format!(
                        "a `{{{{ … }}}}` prints YAML syntax (a colon, a quote, a flow list…){}, so its value cannot stand alone as a parameter",
                        if path.is_empty() { String::new() } else { format!(" at `{path}`") }
                    ),
                    None,
                ));
            }
            (Err(_), None) => unreachable!("a marked document that does not parse differs"),
        }
    }
    let mut branches: HashMap<String, Vec<Branch>> = HashMap::new();
    for (name, source) in bundle.files.iter() {
        if sites.0.iter().any(|s| &s.template == name) || *name == file {
            branches.insert(name.clone(), branches::branches(source, name));
        }
    }
    let schema = bundle.schema.clone();
    let input = move |expression: &str| -> Option<InputInfo> {
        let (kind, rest) = if let Some(rest) = expression.strip_prefix("environment.inputs.") {
            (InputKind::Environment, rest)
        } else if let Some(rest) = expression.strip_prefix("service_instance.inputs.") {
            (InputKind::Service, rest)
        } else if let Some(rest) = expression.strip_prefix("pipeline.inputs.") {
            (InputKind::Pipeline, rest)
        } else {
            return None;
        };
        if !rest.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let property = schema.as_ref()?.input_type(kind)?.property(rest)?;
        Some(InputInfo {
            schema: property.schema.clone(),
            description: property.description.clone().or(property.title.clone()),
            default: property.default.clone(),
        })
    };
    let evaluate = |stack: usize, expression: &str| -> Option<String> {
        let value = renderer.evaluate(expression, &contexts[stack]).ok()?;
        (!value.is_undefined()).then(|| crate::render::pyrepr::py_str(&value))
    };
    let oracle = Oracle {
        sites: &sites.0,
        sources: &bundle.files,
        branches: &branches,
        input: &input,
        evaluate: &evaluate,
    };
    let merged = merge(&renders, &oracle).map_err(|f| per_stack(f.reason, f.at))?;
    if merged.parameters.len() > MAX_PARAMETERS {
        return Err(per_stack(
            format!(
                "it would need {} parameters; CloudFormation allows {MAX_PARAMETERS}",
                merged.parameters.len()
            ),
            None,
        ));
    }
    let template = assemble(
        merged.template,
        &merged.parameters,
        merged.conditions,
        merged.for_each,
    );
    for (i, (p, truth)) in members.iter().zip(&plain).enumerate() {
        let values: Map<String, Json> = merged
            .parameters
            .iter()
            .map(|param| (param.name.clone(), Json::String(param.values[i].clone())))
            .collect();
        if let Some(path) = prove::first_difference(&template, truth, &values) {
            return Err(per_stack(
                format!("the parameterized template would not deploy what Proton rendered for stack {} (at {path})", p.name),
                None,
            ));
        }
    }
    // What is written as rendered although an expression printed it: the same in every given
    // stack (the proof says so), but another stack's inputs could change it.
    let literal = |template: &str, line: usize, what: String| {
        bundle.in_workspace(
            Diagnostic::info("migrate-literal", what)
                .in_file(template)
                .at(line as u32, 1)
                .with_hint("the same in every given stack; a stack whose inputs change it needs its own template (migrate it with its spec)")
                .about(template_subject(bundle)),
            None,
        )
    };
    let mut notes: Vec<Diagnostic> = merged
        .baked
        .iter()
        .map(|(template, line, key)| {
            literal(
                template,
                *line,
                format!("the key `{key}` is printed by an expression: written as it is"),
            )
        })
        .collect();
    for site in sites.0.iter().filter(|s| s.structural) {
        notes.push(literal(
            &site.template,
            site.line,
            format!(
                "`{{{{ {} }}}}` prints YAML structure: written as rendered",
                site.expression
            ),
        ));
    }
    let mut text = format!(
        "# Generated by proton-playground migrate from {} ({}), for {} stack{}; proven to deploy what\n# Proton rendered for each.\n",
        label,
        members[0].target.name(),
        members.len(),
        if members.len() == 1 { "" } else { "s" }
    );
    if let Json::Object(map) = &template {
        let mut body = String::new();
        crate::yaml::write_mapping(&mut body, map, 0);
        text.push_str(body.trim_start_matches('\n'));
    }
    Ok(Parameterized {
        text,
        parameters: merged.parameters,
        notes,
    })
}

/// The proof on its own, for a test or a reviewer: the parameterized template (YAML) resolved
/// with one stack's `parameters` deploys what `rendered` (Proton's render, YAML) does; else the
/// place where they differ.
pub fn verify(
    parameterized: &str,
    parameters: &Map<String, Json>,
    rendered: &str,
) -> Result<(), String> {
    let parse = |text: &str| {
        crate::yaml::parse(text)
            .map(|d| cfn::to_json(&d.root))
            .map_err(|e| format!("line {}: {}", e.pos.line, e.message))
    };
    let (ours, theirs) = (parse(parameterized)?, parse(rendered)?);
    match prove::first_difference(&ours, &theirs, parameters) {
        None => Ok(()),
        Some(path) => Err(format!("they differ at {path}")),
    }
}

/// The merged document with its new parameters and conditions declared before `Resources`.
fn assemble(
    template: Json,
    parameters: &[merge::Parameter],
    conditions: Map<String, Json>,
    for_each: bool,
) -> Json {
    let Json::Object(mut sections) = template else {
        return template;
    };
    if for_each {
        let transform = Json::String(prove::LANGUAGE_EXTENSIONS.into());
        let value = match sections.remove("Transform") {
            None => transform,
            Some(Json::Array(mut list)) => {
                list.push(transform);
                Json::Array(list)
            }
            Some(existing) => Json::Array(vec![existing, transform]),
        };
        let mut with = Map::new();
        for (key, v) in std::mem::take(&mut sections) {
            let first = key == "AWSTemplateFormatVersion";
            with.insert(key, v);
            if first {
                with.insert("Transform".into(), value.clone());
            }
        }
        if !with.contains_key("Transform") {
            with.insert("Transform".into(), value);
        }
        sections = with;
    }
    let mut declared = sections
        .get("Parameters")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    for p in parameters {
        declared.insert(p.name.clone(), Json::Object(p.declaration.clone()));
    }
    let mut all_conditions = sections
        .get("Conditions")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    all_conditions.extend(conditions);
    let mut out = Map::new();
    let mut placed = false;
    let place = |out: &mut Map<String, Json>| {
        if !declared.is_empty() {
            out.insert("Parameters".into(), Json::Object(declared.clone()));
        }
        if !all_conditions.is_empty() {
            out.insert("Conditions".into(), Json::Object(all_conditions.clone()));
        }
    };
    for (key, value) in sections {
        match key.as_str() {
            "Parameters" | "Conditions" => {}
            "Resources" | "Outputs" if !placed => {
                place(&mut out);
                placed = true;
                out.insert(key, value);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    if !placed {
        place(&mut out);
    }
    Json::Object(out)
}

#[cfg(test)]
mod tests;
