//! Off Proton: a bundle (or repository) and the specs of its running stacks become a
//! CloudFormation Git Sync repository — one plain template per template and target that serves
//! every stack (its Jinja expressions turned into parameters and conditions, `merge`), proven
//! equal to Proton's render for every stack (`prove`), and one stack deployment file per stack.
//! A template that cannot be one template for all stays rendered per stack, with the reason.
//! docs/migration.md describes the output.

mod branches;
mod cfn;
mod guesses;
mod imports;
mod merge;
mod parameterize;
mod prove;
mod repository;
pub(crate) mod trace;

pub use guesses::Guess;
pub use parameterize::verify;

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Kind};
use crate::context::{Mocks, Target};
use crate::diagnostic::{has_errors, Diagnostic, Subject};
use crate::report::files::RenderedFile;
use crate::report::{run, spec_kind, Request, SpecSource};
use crate::schema::spec::SpecKind;
use crate::workspace::Workspace;
use parameterize::{parameterize, Parameterized};
use serde::Serialize;
use serde_json::{Map, Value as Json};

/// CloudFormation allows 200 parameters per template.
pub const MAX_PARAMETERS: usize = 200;

/// A spec file given to the migration, optionally naming its template (its name, label
/// `name:major` or folder).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct SpecInput {
    #[serde(default)]
    pub template: Option<String>,
    #[serde(flatten)]
    pub source: SpecSource,
    /// The running stacks this spec's targets already are (adoption names them from the
    /// account): each keeps its name, its own mocks and its tags.
    #[serde(default)]
    pub stacks: Vec<KnownStack>,
    /// The spec is the page's form, not a spec file: its inputs are guesses.
    #[serde(default)]
    pub from_form: bool,
    /// The mocks are the page's (suggested or typed), not a mocks file: every value the
    /// templates read from them is a guess.
    #[serde(default)]
    pub unconfirmed_mocks: bool,
}

/// A running stack a spec's target (and instance) is.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct KnownStack {
    pub target: Target,
    #[serde(default)]
    pub instance: Option<String>,
    pub name: String,
    /// What Proton knew for this stack (its environment's outputs, names, repository).
    #[serde(default)]
    pub mocks: Mocks,
    /// The stack's tags as deployed: its deployment file keeps them, so connecting Git Sync
    /// changes no tag (Proton's tags propagate to every resource).
    #[serde(default)]
    pub tags: Map<String, Json>,
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
    /// With `--outputs import`: the environment outputs a service template imports, or an
    /// environment template exports for its services.
    pub shared_outputs: Vec<String>,
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
    /// The running stack's tags, kept as they are; none: the migration's own `proton:*` tags.
    #[serde(skip)]
    pub tags: Option<Map<String, Json>>,
    /// Values its files hold that are not known to be what Proton passed.
    pub guesses: Vec<Guess>,
}

/// A stack to be: its bundle, target, instance, spec, and the render Proton produced.
struct Planned<'a> {
    bundle: &'a Bundle,
    target: Target,
    instance: Option<String>,
    spec: &'a SpecInput,
    name: String,
    /// The running stack's tags, when it is known.
    tags: Option<Map<String, Json>>,
    /// Values of it that are guesses (none for a stack adoption proved against the account).
    guesses: Vec<Guess>,
    request: Request,
    report: crate::Report,
}

/// How a service reads the outputs of its environment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputsMode {
    /// A parameter per output holding what Proton passed at render time (no coupling).
    #[default]
    Parameters,
    /// The environment template exports its outputs (`${AWS::StackName}-<Output>`) and the
    /// service imports them (`Fn::ImportValue`) from the stack named by its
    /// `EnvironmentStackName` parameter.
    Import,
}

/// Migrates `workspace` for the stacks `specs` describe.
pub fn migrate(
    workspace: &Workspace,
    specs: &[SpecInput],
    mocks: &Mocks,
    outputs: OutputsMode,
) -> Migration {
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
            let known = spec
                .stacks
                .iter()
                .find(|k| k.target == target && k.instance == instance);
            // A spec that names its running stacks migrates those only.
            if known.is_none() && !spec.stacks.is_empty() {
                continue;
            }
            let request = Request {
                target: Some(target),
                instance: instance.clone(),
                spec: Some(spec.source.clone()),
                mocks: known.map_or_else(|| stack_mocks.clone(), |k| k.mocks.clone()),
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
            let name = match known {
                Some(k) => k.name.clone(),
                None => stack_name(target, instance.as_deref(), spec, mocks, &planned),
            };
            planned.push(Planned {
                bundle,
                target,
                instance,
                spec,
                name,
                tags: known.map(|k| k.tags.clone()),
                guesses: match known {
                    Some(_) => Vec::new(),
                    // Judged against the mocks given (an environment named after its spec
                    // file is the user's naming, docs/migration.md), not the defaults.
                    None => guesses::of_stack(
                        bundle,
                        target,
                        spec,
                        (mocks, &stack_mocks),
                        &report.context,
                    ),
                },
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
    let mut outcomes: Vec<Outcome> = groups
        .into_iter()
        .map(|(bundle, target, members)| {
            let result = match bundle.method() {
                Some(Method::CloudFormation) => Some(parameterize(bundle, &members)),
                _ => None,
            };
            Outcome {
                bundle,
                target,
                members,
                result,
            }
        })
        .collect();
    if outputs == OutputsMode::Import {
        imports::apply(&mut outcomes, &planned);
    }
    for outcome in outcomes {
        write_group(outcome, &mut migration);
    }
    for stack in &migration.stacks {
        if stack.guesses.is_empty() {
            continue;
        }
        let shown: Vec<String> = stack
            .guesses
            .iter()
            .take(6)
            .map(|g| format!("`{}` ({})", g.value, g.from))
            .collect();
        let more = stack.guesses.len().saturating_sub(shown.len());
        migration.diagnostics.push(
            Diagnostic::error(
                "migrate-guess",
                format!(
                    "stack {}: {} value{} in its deployment {} not known to be what Proton passed: {}{}",
                    stack.name,
                    stack.guesses.len(),
                    if stack.guesses.len() == 1 { "" } else { "s" },
                    if stack.guesses.len() == 1 { "is" } else { "are" },
                    shown.join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() }
                ),
            )
            .in_file(&stack.deployment_file)
            .about(Subject::Stack {
                stack: stack.name.clone(),
                template: Some(stack.template.clone()),
            })
            .with_hint("connected to Git Sync, these would be deployed: give the stack's spec file and a mocks file with what Proton passed (or adopt the stack from the account: docs/adoption.md)"),
        );
    }
    repository::write(&mut migration);
    migration
}

/// One template and target with its stacks, and what parameterizing it gave (`None` when it is
/// not CloudFormation).
struct Outcome<'a> {
    bundle: &'a Bundle,
    target: Target,
    members: Vec<&'a Planned<'a>>,
    result: Option<Result<Parameterized, Diagnostic>>,
}

fn template_subject(bundle: &Bundle) -> Subject {
    Subject::Template {
        template: bundle.label(),
        other: None,
        reason: None,
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
                .about(Subject::Template {
                    template: several[0].label(),
                    other: Some(several[1].label()),
                    reason: None,
                })
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

fn write_group(outcome: Outcome, migration: &mut Migration) {
    let Outcome {
        bundle,
        target,
        members,
        result,
    } = outcome;
    let folder = format!("templates/{}", template_folder(bundle));
    let mut summary = TemplateMigration {
        template: bundle.name.clone(),
        version: version_of(bundle),
        target: target.name().to_string(),
        status: "per-stack".into(),
        parameters: Vec::new(),
        diagnostics: Vec::new(),
        file: None,
        shared_outputs: Vec::new(),
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
        tags: p.tags.clone(),
        guesses: p.guesses.clone(),
    };
    match (bundle.method(), result) {
        (Some(Method::Terraform), _) => {
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
        (_, Some(result)) => match result {
            Ok(parameterized) => {
                let file = format!("{folder}/{}.yaml", target.name());
                migration.files.push(RenderedFile {
                    path: file.clone(),
                    content: emit(&parameterized.template, bundle, target, members.len()),
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
                summary.shared_outputs = parameterized.shared_outputs.clone();
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
                per_stack(&folder, target, &members, migration, &stack);
            }
        },
        _ => per_stack(&folder, target, &members, migration, &stack),
    }
    for d in &summary.diagnostics {
        migration.diagnostics.push(d.clone());
    }
    migration.templates.push(summary);
}

/// A parameterized template's text: a header saying where it comes from, then the document.
fn emit(template: &Json, bundle: &Bundle, target: Target, stacks: usize) -> String {
    let mut text = format!(
        "# Generated by proton-playground migrate from {} ({}), for {stacks} stack{}; proven to deploy what\n# Proton rendered for each.\n",
        bundle.label(),
        target.name(),
        if stacks == 1 { "" } else { "s" }
    );
    if let Json::Object(map) = template {
        let mut body = String::new();
        crate::yaml::write_mapping(&mut body, map, 0);
        text.push_str(body.trim_start_matches('\n'));
    }
    text
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

#[cfg(test)]
mod tests;
