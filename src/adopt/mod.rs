//! Adopt the stacks Proton left running (docs/adoption.md): the account's stacks as the AWS CLI
//! prints them are mapped to Proton by their tags, each deployed body is read back into a
//! template version and a spec whose render is that body byte for byte (`recover`), and what is
//! proven becomes a CloudFormation Git Sync repository (the migration's, with the stacks' real
//! names and tags), plus the recovered specs and mocks, an IAM role for Git Sync and
//! `adoption.json`. A stack no version and inputs reproduce is `drift`: it keeps its deployed
//! body as it is, with the located differences. A stack Proton did not make, or whose template is
//! not given, is `unmatched`, with the reason. Nothing is claimed that a render did not prove.

pub mod account;
mod files;
mod recover;
mod specs;

use crate::bundle::{Bundle, Kind};
use crate::context::{Mocks, Target};
use crate::diagnostic::Diagnostic;
use crate::migrate::{self, KnownStack, OutputsMode, SpecInput};
use crate::report::files::RenderedFile;
use crate::report::{run, Request, SpecSource};
use crate::workspace::Workspace;
use account::{string_map, Account, Body, DeployedStack, Mapped, Role};
use recover::{closeness, recover, Frame, Known};
use serde::Serialize;
use serde_json::Value as Json;

/// What became of one stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A template version and spec render the deployed body byte for byte, and the Git Sync
    /// deployment resolves to it.
    Exact,
    /// Nothing given reproduces the body: it is kept as deployed.
    Drift,
    /// Not Proton's, or its template is not given.
    Unmatched,
}

impl Status {
    /// Its name in `adoption.json` and the CLI's listing.
    pub fn name(self) -> &'static str {
        match self {
            Status::Exact => "exact",
            Status::Drift => "drift",
            Status::Unmatched => "unmatched",
        }
    }
}

/// One stack of the account and what the adoption found (`adoption.json`; paths relative to the
/// output folder).
#[derive(Debug, Clone, Serialize)]
pub struct AdoptedStack {
    pub stack: String,
    pub status: Status,
    pub kind: Option<String>,
    pub template: Option<String>,
    pub version: Option<String>,
    pub target: Option<String>,
    pub environment: Option<String>,
    pub service: Option<String>,
    pub instance: Option<String>,
    pub spec_file: Option<String>,
    pub mocks_file: Option<String>,
    pub deployment_file: Option<String>,
    pub template_file: Option<String>,
    /// Inputs the deployed body does not tell (the templates never print them).
    pub undetermined: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The whole adoption: every stack, the repository's files, and the findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Adoption {
    pub stacks: Vec<AdoptedStack>,
    pub files: Vec<RenderedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A stack being adopted: its account entry, role, and what recovery found.
struct Case<'a> {
    deployed: &'a DeployedStack,
    mapped: Mapped,
    body: &'a Body,
    /// Template versions of its template, newest first.
    versions: Vec<&'a Bundle>,
    /// The version that reproduces the body (exact), else the closest one.
    found: Option<Found<'a>>,
}

struct Found<'a> {
    bundle: &'a Bundle,
    known: Known,
    target: Target,
    instance: Option<String>,
    /// The environment an instance runs in.
    environment: Option<String>,
    /// The instances a pipeline rendered.
    instances: recover::Instances,
    exact: bool,
    render: Option<recover::Rendered>,
}

impl Found<'_> {
    /// What this stack renders as.
    fn frame(&self) -> Frame<'_> {
        Frame {
            bundle: self.bundle,
            target: self.target,
            instance: self.instance.clone(),
            environment: self.environment.clone(),
            instances: self.instances.clone(),
        }
    }

    /// The instances a pipeline rendered, by name.
    fn renders_instance(&self, name: &str) -> bool {
        self.instances.iter().any(|(n, _, _)| n == name)
    }

    /// Whether the render depends on `input`: another value for it renders otherwise, so the
    /// proven render pins the value it has.
    fn pinned(&self, input: &crate::schema::Property) -> bool {
        let (Some(current), Some(rendered)) = (
            self.known
                .inputs
                .get(&input.name)
                .or(input.default.as_ref()),
            &self.render,
        ) else {
            return false;
        };
        let Some(other) = recover::another_value(current, &input.schema) else {
            return false;
        };
        let mut trial = self.known.clone();
        trial.inputs.insert(input.name.clone(), other);
        recover::render(&self.frame(), &trial).is_some_and(|(text, _, _)| text != rendered.text)
    }
}

impl Case<'_> {
    fn target(&self) -> Target {
        match self.mapped.role {
            Role::Environment { .. } => Target::Environment,
            Role::ServiceInstance { .. } => Target::ServiceInstance,
            Role::Pipeline { .. } => Target::Pipeline,
            Role::Component { .. } => Target::Component,
        }
    }

    fn service(&self) -> Option<&str> {
        match &self.mapped.role {
            Role::ServiceInstance { service, .. } | Role::Pipeline { service } => Some(service),
            _ => None,
        }
    }
}

/// The bundle kinds a role is rendered from.
fn kind_fits(role: &Role, kind: Kind) -> bool {
    match role {
        Role::Environment { .. } => {
            matches!(kind, Kind::Environment | Kind::CustomerManagedEnvironment)
        }
        Role::ServiceInstance { .. } | Role::Pipeline { .. } => kind == Kind::Service,
        Role::Component { .. } => kind == Kind::Component,
    }
}

/// Reads an account's files (describe-stacks pages and get-template files, `(name, text)`) and
/// adopts its stacks: what the files themselves got wrong comes first among the findings. The
/// CLI and the page's engine both call this.
pub fn adopt_files(
    workspace: &Workspace,
    stacks: &[(String, String)],
    templates: &[(String, String)],
    outputs: OutputsMode,
) -> Adoption {
    let (account, mut diagnostics) = Account::read(stacks, templates);
    let mut adoption = adopt(workspace, &account, outputs);
    diagnostics.append(&mut adoption.diagnostics);
    adoption.diagnostics = diagnostics;
    adoption
}

/// Adopts `account`'s stacks with the templates of `workspace`.
pub fn adopt(workspace: &Workspace, account: &Account, outputs: OutputsMode) -> Adoption {
    let mut adoption = Adoption::default();
    let mut cases: Vec<Case> = Vec::new();
    for deployed in &account.stacks {
        let unmatched = |reason: String, info: bool| {
            let d = if info {
                Diagnostic::info(
                    "adopt-unmatched",
                    format!("stack {}: {reason}", deployed.name),
                )
            } else {
                Diagnostic::error(
                    "adopt-unmatched",
                    format!("stack {}: {reason}", deployed.name),
                )
            };
            unmatched_stack(deployed, d.in_file(&deployed.file))
        };
        let mapped = match deployed.mapped() {
            Ok(mapped) => mapped,
            Err(reason) => {
                let info = deployed.tag("proton:template").is_none();
                adoption.stacks.push(unmatched(reason, info));
                continue;
            }
        };
        if let Role::Component { .. } = mapped.role {
            let reason =
                "a component stack: components are not adopted yet (their specs are not read back)";
            adoption.stacks.push(unmatched(reason.into(), false));
            continue;
        }
        let mut versions: Vec<&Bundle> = workspace
            .bundles
            .iter()
            .filter(|b| b.name == mapped.template && kind_fits(&mapped.role, b.kind))
            .collect();
        versions.sort_by_key(|b| std::cmp::Reverse(b.major));
        if versions.is_empty() {
            let reason = format!(
                "its template `{}` is not among the loaded templates",
                mapped.template
            );
            let mut stack = unmatched(reason, false);
            stack.template = Some(mapped.template.clone());
            stack.diagnostics[0].hint =
                Some("load that template's bundle (all its versions) too".into());
            adoption.stacks.push(stack);
            continue;
        }
        let Some(body) = &deployed.body else {
            let reason = "no template body was given".to_string();
            let mut stack = unmatched(reason, false);
            stack.diagnostics[0].hint = Some(format!(
                "aws cloudformation get-template --stack-name {} --output json > {}.json",
                deployed.name, deployed.name
            ));
            adoption.stacks.push(stack);
            continue;
        };
        cases.push(Case {
            deployed,
            mapped,
            body,
            versions,
            found: None,
        });
    }
    // Environments first (their outputs reach instances), instances, then pipelines (which
    // render every instance).
    let order = |c: &Case| match c.mapped.role {
        Role::Environment { .. } => 0,
        Role::ServiceInstance { .. } => 1,
        _ => 2,
    };
    cases.sort_by_key(order);
    let environments = account.environments();
    for i in 0..cases.len() {
        let found = {
            let case = &cases[i];
            recover_case(case, &cases, &environments)
        };
        cases[i].found = found;
    }
    files::write(workspace, &cases, outputs, &mut adoption);
    adoption
}

fn unmatched_stack(deployed: &DeployedStack, d: Diagnostic) -> AdoptedStack {
    AdoptedStack {
        stack: deployed.name.clone(),
        status: Status::Unmatched,
        kind: None,
        template: None,
        version: None,
        target: None,
        environment: None,
        service: None,
        instance: None,
        spec_file: None,
        mocks_file: None,
        deployment_file: None,
        template_file: None,
        undetermined: Vec::new(),
        diagnostics: vec![d],
    }
}

/// The account's environment stacks by environment name.
type Environments<'a> = std::collections::BTreeMap<String, &'a DeployedStack>;

/// What the account says before any body is read: names from the tags, an environment's
/// outputs from its stack, each instance's outputs for a pipeline.
fn known_from_account(
    case: &Case,
    bundle: &Bundle,
    cases: &[Case],
    environments: &Environments,
    with_drifted: bool,
) -> (Known, recover::Instances) {
    let mut known = Known::default();
    let mocks: &mut Mocks = &mut known.mocks;
    mocks.environment.account_id = case.mapped.account.clone();
    let mut instances = Vec::new();
    match &case.mapped.role {
        Role::Environment { name } => mocks.environment.name = Some(name.clone()),
        Role::ServiceInstance {
            service,
            environment,
            ..
        } => {
            mocks.service.name = Some(service.clone());
            if let Some(env) = environment {
                mocks.environment.name = Some(env.clone());
                if let Some(stack) = environments.get(env) {
                    mocks.environment.outputs = string_map(&stack.outputs);
                }
            }
        }
        Role::Pipeline { service } => {
            mocks.service.name = Some(service.clone());
            // The service's instances as read back, on the same template version (a pipeline
            // renders them all).
            for other in cases {
                let (
                    Role::ServiceInstance {
                        service: s,
                        instance,
                        environment,
                    },
                    Some(found),
                ) = (&other.mapped.role, &other.found)
                else {
                    continue;
                };
                // A drifted instance counts with the inputs read off its body: the pipeline
                // rendered it too, and the pipeline's own proof decides.
                if s != service
                    || !std::ptr::eq(bundle, found.bundle)
                    || !(found.exact || with_drifted)
                {
                    continue;
                }
                let env = environment.clone().unwrap_or_default();
                instances.push((instance.clone(), env.clone(), found.known.inputs.clone()));
                mocks.outputs_by_instance.insert(
                    instance.clone(),
                    Json::Object(string_map(&other.deployed.outputs)),
                );
                // Repository fields the instances printed are the service's.
                let read = &found.known.mocks.service;
                mocks.service.repository_id = mocks
                    .service
                    .repository_id
                    .clone()
                    .or(read.repository_id.clone());
                mocks.service.branch_name = mocks
                    .service
                    .branch_name
                    .clone()
                    .or(read.branch_name.clone());
                mocks.service.repository_connection_arn = mocks
                    .service
                    .repository_connection_arn
                    .clone()
                    .or(read.repository_connection_arn.clone());
                if let Some(stack) = environments.get(&env) {
                    let entry = mocks.environments.entry(env.clone()).or_default();
                    entry.outputs = string_map(&stack.outputs);
                    entry.account_id = stack.tag("proton:account").map(String::from);
                }
            }
        }
        Role::Component { .. } => {}
    }
    (known, instances)
}

/// The version and inputs that render `case`'s body, else the closest version.
fn recover_case<'a>(
    case: &Case<'a>,
    cases: &[Case],
    environments: &Environments,
) -> Option<Found<'a>> {
    let (instance, environment) = match &case.mapped.role {
        Role::ServiceInstance {
            instance,
            environment,
            ..
        } => (Some(instance.clone()), environment.clone()),
        _ => (None, None),
    };
    let deployed = case.body.text();
    let mut best: Option<(f32, Found)> = None;
    let pipeline = matches!(case.mapped.role, Role::Pipeline { .. });
    // A pipeline renders the service's instances: those read back (a drifted one too, it
    // existed when the pipeline was deployed), else only those adopted exactly.
    let instance_sets: &[bool] = if pipeline { &[true, false] } else { &[true] };
    let attempts = case
        .versions
        .iter()
        .flat_map(|b| instance_sets.iter().map(move |&drifted| (*b, drifted)));
    for (bundle, with_drifted) in attempts {
        let (start, instances) =
            known_from_account(case, bundle, cases, environments, with_drifted);
        // A ServiceSpec has at least one instance: a pipeline is read back on the version its
        // instances were.
        if pipeline && instances.is_empty() {
            continue;
        }
        let frame = Frame {
            bundle,
            target: case.target(),
            instance: instance.clone(),
            environment: environment.clone(),
            instances: instances.clone(),
        };
        let (known, render) = recover(&frame, start, &deployed);
        let exact = render.as_ref().is_some_and(|r| case.body.is(&r.text));
        let score = render
            .as_ref()
            .map_or(0.0, |r| closeness(&r.text, &deployed));
        let found = Found {
            bundle,
            known,
            target: case.target(),
            instance: instance.clone(),
            environment: environment.clone(),
            instances: instances.clone(),
            exact,
            render,
        };
        if exact {
            return Some(found);
        }
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, found));
        }
    }
    best.map(|(_, found)| found)
}

/// The final proof of an exact stack: `render` with the spec and mocks files as written gives
/// the deployed body.
fn proves(found: &Found, spec: &SpecSource, mocks_text: &str, body: &Body) -> Result<(), String> {
    let mocks: Mocks = crate::yaml::parse(mocks_text)
        .map_err(|e| e.message.clone())
        .and_then(|d| serde_json::from_value(d.root.to_json()).map_err(|e| e.to_string()))
        .map_err(|e| format!("its mocks file does not read back: {e}"))?;
    // What is proven is the render; whether CloudFormation would still take it today (a
    // retired Lambda runtime) is the checks' business, said by `check`.
    let request = Request {
        target: Some(found.target),
        instance: found.instance.clone(),
        spec: Some(spec.clone()),
        mocks,
        skip_checks: true,
        ..Default::default()
    };
    let report = run(found.bundle, &request);
    if let Some(error) = report.diagnostics.iter().find(|d| recover::refutes(d)) {
        return Err(format!(
            "the recovered spec does not render: {}",
            error.message
        ));
    }
    match report.outputs.as_slice() {
        [output] if body.is(&output.content) => Ok(()),
        _ => Err("the recovered spec renders something else than the deployed body".into()),
    }
}

/// A stack of the migration for an exact stack (its real name, mocks and tags).
fn known_stack(case: &Case, found: &Found, mocks: Mocks) -> KnownStack {
    KnownStack {
        target: found.target,
        instance: found.instance.clone(),
        name: case.deployed.name.clone(),
        mocks,
        tags: string_map(&case.deployed.tags),
    }
}

/// The migration of the exact stacks, from their recovered specs.
fn migrate_exact(
    workspace: &Workspace,
    specs: Vec<SpecInput>,
    outputs: OutputsMode,
) -> migrate::Migration {
    migrate::migrate(workspace, &specs, &Mocks::default(), outputs)
}

#[cfg(test)]
mod tests;
