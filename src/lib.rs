//! Proton Playground core: load an AWS Proton template bundle, validate its inputs, build
//! Proton's rendering context and render it byte for byte as Proton (CPython Jinja2) did.
//!
//! The modules follow the data path, one stage each (docs/architecture.md):
//! bundle → schema (schema, spec, inputs) → context → render → checks → report, then `assist`
//! (the editor's completion, hover and definitions over a report's context),
//! and `workspace` for what spans templates (versions, repository checks, upgrade check,
//! export, suggestions). `diagnostic` and `yaml` serve every stage.

pub mod diagnostic;
pub mod yaml;

pub mod bundle;
pub mod checks;
pub mod context;
pub mod render;
pub mod report;
// The editor's questions, answered from a report's context.
pub mod assist;
pub mod schema;
pub mod workspace;
// Off Proton: a Git Sync repository of parameterized templates, proven against the renders.
pub mod migrate;

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
