//! The editor's questions about a file of the workspace, answered from the analyzed workspace and
//! the context a render would use (docs/authoring.md): completion, hover, go to definition, and
//! which template line produced each rendered line. Offsets are UTF-16 code units, as editors
//! count them.

mod catalog;
mod complete;
mod cursor;
mod definition;
mod hover;
mod scope;

pub use complete::{complete, Completions, Item};
pub use definition::{definition, links, Link, Location};
pub use hover::{hover, Hover};

use crate::bundle::Bundle;
use crate::context::Target;
use crate::schema::{InputKind, Property};
use crate::workspace::Workspace;
use serde::Serialize;

/// What a file is to its bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An infrastructure file rendered for this target.
    Template(Target),
    Schema,
    Manifest,
    Other,
}

/// A workspace file and the bundle it belongs to.
pub struct Site<'w> {
    pub workspace: &'w Workspace,
    pub bundle: &'w Bundle,
    /// Path within the bundle.
    pub file: String,
    pub role: Role,
}

impl<'w> Site<'w> {
    /// The bundle holding workspace path `path` (the deepest whose folder contains it).
    pub fn of(workspace: &'w Workspace, path: &str) -> Option<Site<'w>> {
        let bundle = workspace
            .bundles
            .iter()
            .filter(|b| b.root.is_empty() || path.starts_with(&format!("{}/", b.root)))
            .max_by_key(|b| b.root.len())?;
        let file = match bundle.root.as_str() {
            "" => path.to_string(),
            root => path[root.len() + 1..].to_string(),
        };
        let role = if let Some(infra) = bundle
            .infrastructure
            .iter()
            .find(|i| i.files.contains(&file))
        {
            Role::Template(infra.target)
        } else if bundle.schema.as_ref().is_some_and(|s| s.path == file) {
            Role::Schema
        } else if bundle
            .infrastructure
            .iter()
            .any(|i| i.manifest_path == file)
        {
            Role::Manifest
        } else {
            Role::Other
        };
        Some(Site {
            workspace,
            bundle,
            file,
            role,
        })
    }

    /// A bundle-relative path as a workspace path.
    pub fn workspace_path(&self, file: &str) -> String {
        workspace_path(self.bundle, file)
    }
}

fn workspace_path(bundle: &Bundle, file: &str) -> String {
    match bundle.root.as_str() {
        "" => file.to_string(),
        root => format!("{root}/{file}"),
    }
}

/// The input type whose values a canonical path (`environment.inputs`,
/// `service_instances.[].inputs`) holds.
fn input_kind(canonical: &[String]) -> Option<InputKind> {
    let path: Vec<&str> = canonical.iter().map(String::as_str).collect();
    match path.as_slice() {
        ["environment", "inputs"] => Some(InputKind::Environment),
        ["service_instance", "inputs"] | ["service_instances", "[]", "inputs"] => {
            Some(InputKind::Service)
        }
        ["pipeline", "inputs"] => Some(InputKind::Pipeline),
        _ => None,
    }
}

/// An input as the schema declares it, for the editor's info.
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub default: Option<String>,
    pub description: Option<String>,
}

impl InputInfo {
    /// One paragraph an editor shows: `name`: its type, whether required, its default, then its
    /// description.
    pub fn describe(&self) -> String {
        let mut line = format!("`{}`: {}", self.name, self.kind);
        if self.required {
            line.push_str(", required");
        }
        if let Some(default) = &self.default {
            line.push_str(&format!(", default `{default}`"));
        }
        match &self.description {
            Some(description) => format!("{line}\n\n{description}"),
            None => line,
        }
    }

    fn of(property: &Property) -> InputInfo {
        let schema = &property.schema;
        let kind = match schema.get("type").and_then(|t| t.as_str()) {
            Some("array") => match schema.pointer("/items/type").and_then(|t| t.as_str()) {
                Some(item) => format!("array of {item}"),
                None => "array".into(),
            },
            Some(t) => t.to_string(),
            None => "any".into(),
        };
        InputInfo {
            name: property.name.clone(),
            kind,
            required: property.required,
            default: property.default.as_ref().map(|d| d.to_string()),
            description: property
                .description
                .clone()
                .or_else(|| property.title.clone()),
        }
    }
}

/// The schema property a canonical path `….inputs.NAME` names, in the site's bundle.
fn input_property<'b>(bundle: &'b Bundle, canonical: &[String]) -> Option<&'b Property> {
    let (name, parent) = canonical.split_last()?;
    let kind = input_kind(parent)?;
    bundle.schema.as_ref()?.input_type(kind)?.property(name)
}

/// UTF-16 offset → byte offset in `text` (clamped to the text, on a character boundary).
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Byte offset → UTF-16 offset in `text`.
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].encode_utf16().count()
}

/// For each rendered line, the 1-based template line that produced it (0 when unknown): the
/// page links a template's lines and its rendered lines both ways with it.
pub fn line_map(template: &str, rendered: &str) -> Vec<u32> {
    crate::checks::line_origins(template, rendered)
}

#[cfg(test)]
mod tests;
