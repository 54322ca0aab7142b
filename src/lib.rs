//! Proton Playground core: load an AWS Proton template bundle, validate its inputs, build
//! Proton's rendering context and render it byte for byte as Proton (CPython Jinja2) did.
//!
//! The data path is one line, and so is the module list below:
//! bundle → manifest/schema → spec/inputs → context → render → outputs → checks → report (→ export).

pub mod bundle;
pub mod checks;
pub mod compat;
pub mod context;
pub mod diagnostic;
pub mod export;
pub mod fleet;
#[doc(hidden)]
pub mod fuzzing;
pub mod inputs;
pub mod manifest;
pub mod outputs;
pub mod render;
pub mod report;
pub mod schema;
pub mod spec;
pub mod summary;
pub mod versions;
pub mod yaml;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use bundle::{Bundle, Kind, Workspace};
pub use context::{Mocks, Target};
pub use diagnostic::{Diagnostic, Severity};
pub use render::{RenderOptions, UndefinedMode};
pub use report::{run, Report, Request, SpecSource};
