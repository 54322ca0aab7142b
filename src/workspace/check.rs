//! The workspace-wide check: every bundle (or one), every target it renders, with a spec or
//! placeholders, plus the repository's own findings — what `check` prints, and what the page and
//! an editor report for a whole workspace.

use crate::bundle::Bundle;
use crate::diagnostic::{distinct, Diagnostic};
use crate::report::{run_in_workspace, Request};
use crate::workspace::{repository, Workspace};
use std::collections::BTreeMap;

/// What a check found, and the texts its findings quote.
#[derive(Debug, Default)]
pub struct Checked {
    /// Every finding once, under workspace paths.
    pub diagnostics: Vec<Diagnostic>,
    /// Each file of the workspace by its workspace path, and each spec a bundle was checked with
    /// (a placeholder spec in a repository) by its path.
    pub sources: BTreeMap<String, String>,
}

/// Checks `only` (or every bundle) of `workspace` with `base`'s spec, mocks and options. In a
/// repository the given spec is kept only for a chosen template: every other bundle is checked
/// with placeholders for its required inputs.
pub fn check(workspace: &Workspace, base: &Request, only: Option<&Bundle>) -> Checked {
    let mut diagnostics = workspace.diagnostics.clone();
    diagnostics.extend(repository::check_repository(workspace));
    let mut sources = workspace.sources();
    if let Some(spec) = &base.spec {
        sources.insert(spec.path.clone(), spec.text.clone());
    }
    let bundles: Vec<&Bundle> = match only {
        Some(bundle) => vec![bundle],
        None => workspace.bundles.iter().collect(),
    };
    let keep_spec = !workspace.repository || only.is_some();
    for bundle in bundles {
        let mut request = repository::check_request(workspace, bundle, base, keep_spec);
        // A bundle with nothing to render still runs once, as `render` would: its own findings
        // (a manifest that does not parse) and `target-missing` are reported.
        let targets = match bundle.targets() {
            targets if targets.is_empty() => vec![bundle.default_target()],
            targets => targets,
        };
        for target in targets {
            request.target = Some(target);
            diagnostics.extend(run_in_workspace(bundle, &request).diagnostics);
        }
        if let Some(spec) = &request.spec {
            sources.insert(spec.path.clone(), spec.text.clone());
        }
    }
    Checked {
        diagnostics: distinct(diagnostics),
        sources,
    }
}
