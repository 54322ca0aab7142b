//! Completion: every name valid at the cursor of a template (context paths, inputs from the
//! schema, loop variables, `loop`, keywords, functions, filters, tests, methods), the keys of a
//! schema or a manifest.

use super::catalog::{self, Entry};
use super::cursor::{in_string, tag_at, word_at, Place, WordKind};
use super::scope::{type_name, Scope};
use super::{byte_offset, input_kind, utf16_offset, InputInfo, Role, Site};
use crate::render::pyrepr::py_repr;
use crate::report::Request;
use minijinja::value::{Value, ValueKind};
use serde::Serialize;

/// What the editor offers at the cursor: items replacing the text from `from` to `to`.
#[derive(Debug, Default, Serialize)]
pub struct Completions {
    pub from: usize,
    pub to: usize,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub label: String,
    /// `variable`, `input`, `property`, `keyword`, `function`, `filter`, `test`, `method`.
    pub kind: &'static str,
    /// One line beside the label: the type, or the signature.
    pub detail: String,
    /// What the item is: the current value, the input's schema, the documentation.
    pub info: String,
    /// The schema's record of an input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<InputInfo>,
    /// Where the item sorts among the others, lowest first: a value's own members (its inputs,
    /// its keys) before names, filters and tests, then methods, then keywords. Editors sort by it
    /// and then by label.
    pub rank: u8,
}

impl Item {
    /// The rank of an item of `kind`.
    fn rank_of(kind: &str) -> u8 {
        match kind {
            "input" | "property" => 0,
            "variable" => 1,
            "function" | "filter" | "test" => 2,
            "method" => 3,
            _ => 4,
        }
    }
}

/// Values longer than this are cut in the info.
const MAX_SHOWN: usize = 200;

/// Completions at UTF-16 `offset` of `text`, the current text of the site's file.
pub fn complete(site: &Site, request: &Request, text: &str, offset: usize) -> Completions {
    let at = byte_offset(text, offset);
    let (from, to, items) = match site.role {
        Role::Template(target) => {
            let request = Request {
                target: Some(target),
                ..request.clone()
            };
            in_template(site, &request, text, at)
        }
        Role::Schema => keys_at(text, at, SCHEMA_KEYS),
        Role::Manifest => keys_at(text, at, MANIFEST_KEYS),
        Role::Other => return Completions::default(),
    };
    Completions {
        from: utf16_offset(text, from),
        to: utf16_offset(text, to),
        items,
    }
}

fn in_template(site: &Site, request: &Request, text: &str, at: usize) -> (usize, usize, Vec<Item>) {
    let Some(tag) = tag_at(text, at) else {
        return (at, at, Vec::new());
    };
    if in_string(text, &tag, at) {
        return (at, at, Vec::new());
    }
    let word = word_at(text, &tag, at);
    let range = (word.segment.start, word.segment.end);
    let items = match word.kind {
        WordKind::Filter => catalog::FILTERS
            .iter()
            .map(|e| entry("filter", e))
            .collect(),
        WordKind::Test => catalog::TESTS.iter().map(|e| entry("test", e)).collect(),
        WordKind::Path if word.parents.is_empty() => {
            let scope = Scope::at(site, request, text, at);
            top_level(&scope, tag.place)
        }
        WordKind::Path => {
            let scope = Scope::at(site, request, text, at);
            members(site, &scope, &word.parents)
        }
    };
    (range.0, range.1, items)
}

fn entry(kind: &'static str, e: &Entry) -> Item {
    Item {
        label: e.name.into(),
        kind,
        rank: Item::rank_of(kind),
        detail: e.signature.into(),
        info: e.doc.into(),
        input: None,
    }
}

/// Names valid at the start of an expression.
fn top_level(scope: &Scope, place: Place) -> Vec<Item> {
    let mut items: Vec<Item> = scope
        .names
        .iter()
        .map(|name| value_item(name, &scope.value(std::slice::from_ref(name)), "variable"))
        .collect();
    if scope.in_loop {
        items.push(Item {
            label: "loop".into(),
            kind: "variable",
            rank: Item::rank_of("variable"),
            detail: "loop".into(),
            info: "The current loop: `loop.index`, `loop.first`, `loop.last`, `loop.length`, …"
                .into(),
            input: None,
        });
    }
    items.extend(catalog::FUNCTIONS.iter().map(|e| entry("function", e)));
    let keywords = match place {
        Place::Expression => catalog::EXPRESSION_KEYWORDS,
        Place::Statement => catalog::STATEMENT_KEYWORDS,
    };
    items.extend(keywords.iter().map(|k| Item {
        label: (*k).into(),
        kind: "keyword",
        rank: Item::rank_of("keyword"),
        detail: "keyword".into(),
        info: String::new(),
        input: None,
    }));
    items
}

/// The attributes of `parents` (a dotted path): its keys, the schema's inputs, its methods.
fn members(site: &Site, scope: &Scope, parents: &[String]) -> Vec<Item> {
    if parents == ["loop"] && scope.in_loop {
        return catalog::LOOP.iter().map(|e| entry("property", e)).collect();
    }
    let value = scope.value(parents);
    let canonical = scope.canonical(parents);
    let inputs = input_kind(&canonical)
        .and_then(|kind| site.bundle.schema.as_ref().and_then(|s| s.input_type(kind)));
    let mut items: Vec<Item> = Vec::new();
    if value.kind() == ValueKind::Map {
        for key in value.try_iter().into_iter().flatten() {
            let Some(name) = key.as_str() else { continue };
            let member = value.get_attr(name).unwrap_or(Value::UNDEFINED);
            let mut item = value_item(name, &member, "property");
            if let Some(property) = inputs.and_then(|t| t.property(name)) {
                item.kind = "input";
                item.input = Some(InputInfo::of(property));
            }
            items.push(item);
        }
    }
    // Optional inputs without a default are not in the context until a spec sets them.
    for property in inputs.map(|t| t.properties.as_slice()).unwrap_or_default() {
        if items.iter().any(|i| i.label == property.name) {
            continue;
        }
        items.push(Item {
            label: property.name.clone(),
            kind: "input",
            rank: Item::rank_of("input"),
            detail: "not set".into(),
            info: "Not set by the current inputs: guard it with `is defined` or `| default(…)`."
                .into(),
            input: Some(InputInfo::of(property)),
        });
    }
    let methods: &[Entry] = match value.kind() {
        ValueKind::String => catalog::STRING_METHODS,
        ValueKind::Map => catalog::DICT_METHODS,
        ValueKind::Seq => catalog::LIST_METHODS,
        _ => &[],
    };
    items.extend(methods.iter().map(|e| entry("method", e)));
    items
}

/// A name and its current value.
fn value_item(name: &str, value: &Value, kind: &'static str) -> Item {
    Item {
        label: name.into(),
        kind,
        rank: Item::rank_of(kind),
        detail: type_name(value).into(),
        info: shown(value),
        input: None,
    }
}

/// A value as Python shows it, cut to [`MAX_SHOWN`] characters.
pub fn shown(value: &Value) -> String {
    if value.is_undefined() {
        return "undefined".into();
    }
    let repr = py_repr(value);
    match repr.char_indices().nth(MAX_SHOWN) {
        Some((cut, _)) => format!("{}…", &repr[..cut]),
        None => repr,
    }
}

/// Keys of a schema file (docs/proton-semantics.md §4).
const SCHEMA_KEYS: &[(&str, &str)] = &[
    (
        "schema",
        "The schema document: `format`, the input type names, `types`.",
    ),
    ("format", "`openapi: \"3.0.0\"`"),
    ("openapi", "The OpenAPI version: \"3.0.0\"."),
    (
        "environment_input_type",
        "Name of the type under `types` holding the environment's inputs.",
    ),
    (
        "service_input_type",
        "Name of the type under `types` holding each service instance's inputs.",
    ),
    (
        "pipeline_input_type",
        "Name of the type under `types` holding the pipeline's inputs.",
    ),
    ("types", "The input types, by name."),
    ("type", "string, number, integer, boolean, array or object."),
    ("description", "Shown in the form beside the input."),
    ("title", "A short label."),
    ("default", "The value when a spec does not set it."),
    ("properties", "The inputs of the type, by name."),
    ("required", "Inputs a spec must set."),
    ("enum", "The allowed values."),
    ("pattern", "A regular expression a string must match."),
    ("minLength", "The shortest string allowed."),
    ("maxLength", "The longest string allowed."),
    ("minimum", "The smallest number allowed."),
    ("maximum", "The largest number allowed."),
    (
        "exclusiveMinimum",
        "`true`: the minimum itself is not allowed.",
    ),
    (
        "exclusiveMaximum",
        "`true`: the maximum itself is not allowed.",
    ),
    ("items", "The schema of each item of an array."),
    ("minItems", "The fewest items allowed."),
    ("maxItems", "The most items allowed."),
    ("uniqueItems", "`true`: no item twice."),
    ("$ref", "`#/types/Name`: another type of this schema."),
];

/// Keys of an infrastructure manifest (docs/proton-semantics.md §2).
const MANIFEST_KEYS: &[(&str, &str)] = &[
    ("infrastructure", "The files of this target."),
    ("templates", "One entry per file (or a CodeBuild entry)."),
    ("file", "The file's path, relative to this folder."),
    (
        "rendering_engine",
        "`jinja` (CloudFormation) or `hcl` (Terraform).",
    ),
    ("template_language", "`cloudformation` or `terraform`."),
    (
        "engine",
        "`codebuild`: Proton runs the `provision` commands.",
    ),
    ("provision", "CodeBuild commands that deploy."),
    ("deprovision", "CodeBuild commands that delete."),
    (
        "project_properties",
        "CodeBuild project settings (rendered with the context).",
    ),
    ("image", "The CodeBuild image."),
    ("runtimes", "The CodeBuild runtimes."),
];

/// The keys of a YAML file, when the cursor is on a key being typed.
fn keys_at(text: &str, at: usize, keys: &[(&str, &str)]) -> (usize, usize, Vec<Item>) {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let typed = text[line_start..at].trim_start().trim_start_matches("- ");
    let is_key = typed
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
    if !is_key {
        return (at, at, Vec::new());
    }
    let items = keys
        .iter()
        .map(|(key, doc)| Item {
            label: (*key).into(),
            kind: "property",
            rank: Item::rank_of("property"),
            detail: "key".into(),
            info: (*doc).into(),
            input: None,
        })
        .collect();
    (at - typed.len(), at, items)
}
