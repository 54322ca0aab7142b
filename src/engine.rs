//! One owner of a session's state. The page's worker holds one `Engine` (through the wasm face),
//! and so will a language server: it keeps the analyzed workspace between requests — a form edit
//! re-renders without re-parsing schemas or recompiling validators, a file edit re-analyzes only
//! the bundle it touches — and answers typed requests. Every answer lists the check data it
//! lacked (the shard files to fetch), so nothing is polled from the side.

use crate::adopt::{self, Adoption};
use crate::assist::{self, Site};
use crate::bundle::{Bundle, FileTree};
use crate::checks::data::noting_pending;
use crate::migrate::{self, Migration, OutputsMode, SpecInput};
use crate::report::{run_in_workspace, spec_of_inputs, Report, Request, SpecSource};
use crate::schema::spec::SpecInputs;
use crate::workspace::export::{self, Export};
use crate::workspace::fleet::{self, FleetReport};
use crate::workspace::repository::{self, InstanceVerdict};
use crate::workspace::summary::{summarize, WorkspaceSummary};
use crate::workspace::versions::{self, Bump, Comparison};
use crate::workspace::Workspace;
use crate::{Diagnostic, Mocks};
use serde::{Deserialize, Serialize};
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// A session: the current workspace and what was computed about it.
#[derive(Default)]
pub struct Engine {
    current: Option<Current>,
}

struct Current {
    /// Hash of the files and the name they were loaded as.
    hash: u64,
    workspace: Workspace,
    summary: WorkspaceSummary,
}

/// An answer, and the data shard files its checks asked for and did not have: the caller
/// fetches them, installs them (`checks::data::install_shard`) and asks again for the checks
/// they enable.
#[derive(Debug, Serialize)]
pub struct Answer<T> {
    pub value: T,
    pub pending_data: Vec<String>,
}

/// Two versions of a template to compare (docs/proton-semantics.md §11.2).
#[derive(Debug, Deserialize)]
pub struct CompareRequest {
    pub old_root: String,
    pub new_root: String,
    /// The bump being made; none: implied by their `vN` folders.
    #[serde(default)]
    pub declared: Option<Bump>,
}

/// Which environments a service's instances may run in.
#[derive(Debug, Deserialize)]
pub struct CompatibilityRequest {
    /// The service bundle.
    pub root: String,
    /// The compatible environments a loose service bundle is given (`name:major`).
    #[serde(default)]
    pub declared: Vec<String>,
    /// Each instance and its environment's template (`name:major`).
    #[serde(default)]
    pub instances: Vec<(String, String)>,
}

/// The stacks to migrate and how services read environment outputs.
#[derive(Debug, Deserialize)]
pub struct MigrateRequest {
    pub specs: Vec<SpecInput>,
    /// The page's form as one more stack, under the name the user gave it.
    #[serde(default)]
    pub form: Option<FormStack>,
    #[serde(default)]
    pub mocks: Mocks,
    #[serde(default)]
    pub outputs: OutputsMode,
}

/// The account's files to adopt (docs/adoption.md): describe-stacks pages and get-template files
/// (or raw bodies), each `(name, text)`.
#[derive(Debug, Deserialize)]
pub struct AdoptRequest {
    pub stacks: Vec<(String, String)>,
    pub templates: Vec<(String, String)>,
    #[serde(default)]
    pub outputs: OutputsMode,
}

/// The page's form as a stack to migrate: the template it is for, the stack's name, its inputs.
#[derive(Debug, Deserialize)]
pub struct FormStack {
    pub root: String,
    pub name: String,
    pub inputs: SpecInputs,
}

/// The editor's questions (src/assist).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Question {
    Complete,
    Hover,
    Definition,
    /// The files the document names (`{% include %}`…), wherever the offset.
    Links,
}

/// An editor question about workspace file `path`, whose current `text` may be ahead of the
/// analyzed files, at UTF-16 `offset`. A file of the `selected` bundle is answered under
/// `request` (the inputs and mocks being edited); another bundle's file under its defaults, with
/// examples for required inputs.
#[derive(Debug, Deserialize)]
pub struct AssistRequest {
    pub question: Question,
    pub path: String,
    pub text: String,
    pub offset: usize,
    #[serde(default)]
    pub selected: Option<String>,
    #[serde(default)]
    pub request: Request,
}

/// What an editor question found.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Assisted {
    Completions(assist::Completions),
    Hover(Option<assist::Hover>),
    Definition(Option<assist::Location>),
    Links(Vec<assist::Link>),
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Makes the workspace of `files` (loaded as `name`: a lone bundle without a name of its own
    /// is named after it) the current one, analyzing only when the files changed (and then only
    /// the bundles they touch), and describes it.
    pub fn analyze(&mut self, files: &BTreeMap<String, String>, name: &str) -> &WorkspaceSummary {
        let mut hasher = DefaultHasher::new();
        (files, name).hash(&mut hasher);
        let hash = hasher.finish();
        let current = match self.current.take() {
            Some(current) if current.hash == hash => current,
            previous => {
                let (tree, diagnostics) =
                    FileTree::from_texts(files.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                let mut workspace =
                    Workspace::reanalyze(previous.map(|c| c.workspace), tree, diagnostics);
                workspace.name_after(name);
                let summary = summarize(&workspace);
                Current {
                    hash,
                    workspace,
                    summary,
                }
            }
        };
        &self.current.insert(current).summary
    }

    /// The current workspace.
    pub fn workspace(&self) -> Result<&Workspace, String> {
        self.current
            .as_ref()
            .map(|c| &c.workspace)
            .ok_or_else(|| "no workspace: analyze files first".to_string())
    }

    fn bundle(&self, root: &str) -> Result<&Bundle, String> {
        self.workspace()?
            .bundles
            .iter()
            .find(|b| b.root == root)
            .ok_or_else(|| format!("no bundle at `{root}`"))
    }

    /// The workspace-wide check (what the CLI's `check` prints, what an editor shows): every
    /// bundle and target with `request`'s spec, mocks and options, findings under workspace paths.
    pub fn check(&self, request: &Request) -> Result<Answer<Vec<Diagnostic>>, String> {
        let workspace = self.workspace()?;
        Ok(answer(|| {
            crate::workspace::check::check(workspace, request, None).diagnostics
        }))
    }

    /// The bundle at `root` rendered for `request`, findings under workspace paths.
    pub fn render(&self, root: &str, request: &Request) -> Result<Answer<Report>, String> {
        let bundle = self.bundle(root)?;
        Ok(answer(|| run_in_workspace(bundle, request)))
    }

    /// Two bundles of the workspace compared.
    pub fn compare(&self, request: &CompareRequest) -> Result<Answer<Comparison>, String> {
        let (old, new) = (
            self.bundle(&request.old_root)?,
            self.bundle(&request.new_root)?,
        );
        let workspace = self.workspace()?;
        Ok(answer(|| {
            versions::compare_in(workspace, old, new, request.declared)
        }))
    }

    /// The repository's own findings: honest bumps, pairings, output contracts.
    pub fn check_repository(&self) -> Result<Answer<Vec<Diagnostic>>, String> {
        let workspace = self.workspace()?;
        Ok(answer(|| repository::check_repository(workspace)))
    }

    /// Compatibility per service instance.
    pub fn instance_compatibility(
        &self,
        request: &CompatibilityRequest,
    ) -> Result<Answer<Vec<InstanceVerdict>>, String> {
        let workspace = self.workspace()?;
        let service = self.bundle(&request.root)?;
        let declared: Vec<(String, u32)> = request
            .declared
            .iter()
            .filter_map(|d| repository::parse_template_ref(d))
            .collect();
        Ok(answer(|| {
            repository::instance_verdicts(workspace, service, &declared, &request.instances)
        }))
    }

    /// The fleet check of the bundle at `root` for `specs`.
    pub fn fleet_check(
        &self,
        root: &str,
        specs: &[SpecSource],
    ) -> Result<Answer<FleetReport>, String> {
        let bundle = self.bundle(root)?;
        Ok(answer(|| fleet::check(bundle, specs, &Mocks::default())))
    }

    /// Every rendered file of every bundle, target and instance, plus specs; the bundle at
    /// `root` renders with `request`, the others with their defaults.
    pub fn export(&self, root: &str, request: &Request) -> Result<Answer<Export>, String> {
        let workspace = self.workspace()?;
        Ok(answer(|| {
            export::migration(workspace, Some((root, request)))
        }))
    }

    /// The CloudFormation Git Sync repository for the stacks the request's specs (and the form's
    /// stack) describe. The form's inputs are not a spec file: the migration marks them.
    pub fn migrate(&self, request: &MigrateRequest) -> Result<Answer<Migration>, String> {
        let workspace = self.workspace()?;
        let mut specs = Vec::new();
        if let Some(form) = &request.form {
            let bundle = self.bundle(&form.root)?;
            specs.push(SpecInput {
                template: Some(form.root.clone()),
                source: spec_of_inputs(bundle, &form.inputs, &format!("{}.yaml", form.name)),
                stacks: Vec::new(),
                from_form: true,
                unconfirmed_mocks: true,
            });
        }
        specs.extend(request.specs.iter().cloned());
        Ok(answer(|| {
            migrate::migrate(workspace, &specs, &request.mocks, request.outputs)
        }))
    }

    /// The running stacks of an account read back against the workspace's templates.
    pub fn adopt(&self, request: &AdoptRequest) -> Result<Answer<Adoption>, String> {
        let workspace = self.workspace()?;
        Ok(answer(|| {
            adopt::adopt_files(
                workspace,
                &request.stacks,
                &request.templates,
                request.outputs,
            )
        }))
    }

    /// An editor question; `None` when the file is in no bundle.
    pub fn assist(&self, request: &AssistRequest) -> Result<Option<Assisted>, String> {
        let Some(site) = Site::of(self.workspace()?, &request.path) else {
            return Ok(None);
        };
        let defaults = Request {
            fill_required: true,
            ..Request::default()
        };
        let inputs = match &request.selected {
            Some(root) if *root != site.bundle.root => &defaults,
            _ => &request.request,
        };
        let (text, offset) = (&request.text, request.offset);
        Ok(Some(match request.question {
            Question::Complete => {
                Assisted::Completions(assist::complete(&site, inputs, text, offset))
            }
            Question::Hover => Assisted::Hover(assist::hover(&site, inputs, text, offset)),
            Question::Definition => {
                Assisted::Definition(assist::definition(&site, inputs, text, offset))
            }
            Question::Links => Assisted::Links(assist::links(&site, text)),
        }))
    }
}

fn answer<T>(work: impl FnOnce() -> T) -> Answer<T> {
    let (value, pending_data) = noting_pending(work);
    Answer {
        value,
        pending_data,
    }
}
