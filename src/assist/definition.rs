//! Go to definition: an input → its property in `schema.yaml`; an environment output → its
//! `Outputs` entry (or Terraform `output` block) in the paired environment template; an
//! `{% include %}` / `{% import %}` name → that file.

use super::cursor::{in_string, tag_at, word_at, WordKind};
use super::scope::Scope;
use super::{byte_offset, input_property, workspace_path, Role, Site};
use crate::bundle::Bundle;
use crate::context::Target;
use crate::report::Request;
use serde::Serialize;

/// A place in the workspace: workspace path, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// Where the name at UTF-16 `offset` of `text` (the site's file) is defined.
pub fn definition(site: &Site, request: &Request, text: &str, offset: usize) -> Option<Location> {
    let Role::Template(target) = site.role else {
        return None;
    };
    let at = byte_offset(text, offset);
    let tag = tag_at(text, at)?;
    if in_string(text, &tag, at) {
        return included_file(site, text, &tag, at);
    }
    let word = word_at(text, &tag, at);
    if word.kind != WordKind::Path || word.segment.is_empty() {
        return None;
    }
    let mut path = word.parents.clone();
    path.push(text[word.segment.clone()].to_string());
    let request = Request {
        target: Some(target),
        ..request.clone()
    };
    let canonical = Scope::at(site, &request, text, tag.span.start).canonical(&path);
    if let Some(property) = input_property(site.bundle, &canonical) {
        let schema = site.bundle.schema.as_ref()?;
        return Some(Location {
            file: site.workspace_path(&schema.path),
            line: property.pos.line,
            column: property.pos.column,
        });
    }
    match canonical
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [.., "environment", "outputs", name] => site
            .workspace
            .compatible_environments(site.bundle)
            .into_iter()
            .find_map(|env| output_in(env, name)),
        _ => None,
    }
}

/// The `Outputs` entry `name` of an environment's templates (CloudFormation), or its
/// `output "name"` block (Terraform), from the template text.
fn output_in(env: &Bundle, name: &str) -> Option<Location> {
    let infra = env.infrastructure_for(Target::Environment)?;
    for file in &infra.files {
        let text = env.files.get(file)?;
        let mut in_outputs = false;
        for (i, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            let found = if indent == 0 && !trimmed.is_empty() {
                in_outputs = trimmed.starts_with("Outputs:");
                trimmed
                    .strip_prefix("output")
                    .is_some_and(|rest| rest.trim_start().starts_with(&format!("\"{name}\"")))
            } else {
                in_outputs
                    && trimmed
                        .strip_prefix(name)
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
            };
            if found {
                return Some(Location {
                    file: workspace_path(env, file),
                    line: i as u32 + 1,
                    column: indent as u32 + 1,
                });
            }
        }
    }
    None
}

/// The file an `{% include 'x' %}` / `{% import 'x' %}` / `{% from 'x' … %}` names.
fn included_file(site: &Site, text: &str, tag: &super::cursor::Tag, at: usize) -> Option<Location> {
    let inner = text[tag.inner.clone()].trim_start();
    if !["include", "import", "from"]
        .iter()
        .any(|k| inner.starts_with(k))
    {
        return None;
    }
    let before = &text[tag.inner.start..at];
    let quote_at = before.rfind(['\'', '"'])?;
    let quote = before.as_bytes()[quote_at] as char;
    let start = tag.inner.start + quote_at + 1;
    let end = start + text[start..].find(quote)?;
    let name = &text[start..end];
    site.bundle.files.contains_key(name).then(|| Location {
        file: site.workspace_path(name),
        line: 1,
        column: 1,
    })
}

/// A file a template names: UTF-16 `from`..`to` is the name in the template's text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    /// The named file's workspace path.
    pub file: String,
}

/// Every `{% include %}` / `{% import %}` / `{% from … import %}` of `text` (the site's file)
/// that names a file of its bundle, for an editor's document links.
pub fn links(site: &Site, text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{%").map(|i| rest + i) {
        let Some(close) = text[open..].find("%}").map(|i| open + i) else {
            break;
        };
        rest = close + 2;
        let inner = text[open + 2..close]
            .trim_start_matches(['-', '+'])
            .trim_start();
        if !["include", "import", "from"]
            .iter()
            .any(|k| inner.starts_with(k))
        {
            continue;
        }
        let body = open + 2;
        let Some(quote_at) = text[body..close].find(['\'', '"']).map(|i| body + i) else {
            continue;
        };
        let quote = text.as_bytes()[quote_at] as char;
        let start = quote_at + 1;
        let Some(end) = text[start..close].find(quote).map(|i| start + i) else {
            continue;
        };
        let name = &text[start..end];
        if site.bundle.files.contains_key(name) {
            out.push(Link {
                from: super::utf16_offset(text, start),
                to: super::utf16_offset(text, end),
                file: site.workspace_path(name),
            });
        }
    }
    out
}
