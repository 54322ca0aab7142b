//! Proton Playground core: load an AWS Proton template bundle, validate its inputs, build
//! Proton's rendering context and render it byte for byte as Proton (CPython Jinja2) did.
//!
//! The data path is bundle → schema → inputs → context → render → checks → report; the modules
//! are listed here in their layers, bottom up (docs/architecture.md, "Layers"): each uses only
//! modules listed before it, and `tests/architecture.rs` holds every use to that.

pub mod diagnostic;

// Python's text and Jinja2's rendering rules, with Proton's filters.
pub mod render;

pub mod yaml;

pub mod context;
pub mod schema;

pub mod bundle;

pub mod checks;

pub mod report;

// What spans templates: versions, repository checks, the fleet check, export, the page's summary.
pub mod workspace;

// The editor's questions, answered from a report's context.
pub mod assist;
// Off Proton: a Git Sync repository of parameterized templates, proven against the renders.
pub mod migrate;

// Off Proton from the running stacks: what Proton knew, read back from the deployed templates.
pub mod adopt;

// One owner of a session's state (the page's worker, a language server).
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use bundle::{Bundle, Kind};
pub use context::{Mocks, Target};
pub use diagnostic::{Diagnostic, Severity};
pub use render::{RenderOptions, UndefinedMode};
pub use report::{run, Report, Request, SpecSource};
pub use workspace::Workspace;
