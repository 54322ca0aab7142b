//! `proton-playground`: the native CLI over the core, for CI and migration. This file only
//! dispatches; each command is a module of `commands/`, and what they share is `common.rs`.

mod commands;
mod common;

use clap::{Parser, Subcommand};
use common::Fatal;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "proton-playground",
    version,
    about = "Render and check AWS Proton template bundles offline, exactly as Proton did"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a bundle for one target: output files to stdout or --out, diagnostics to stderr.
    Render(commands::render::Args),
    /// Compare two versions of a template: every schema change with its rule, the bump it needs,
    /// whether the declared bump is honest, and what changes in the rendered output.
    #[command(visible_alias = "compat")]
    Compare(commands::compare::Args),
    /// The fleet check: which instance specs validate and render on a new template version, and
    /// which fail and why.
    #[command(visible_alias = "upgrade")]
    Fleet(commands::fleet::Args),
    /// The way off Proton: write every rendered file of every template, target and instance, plus
    /// each template's spec, to DIR/<template>/<target>[/<instance>]/<file>.
    Export(commands::export::Args),
    /// Off Proton: a CloudFormation Git Sync repository for the stacks the specs describe — one
    /// parameterized template per template and target (proven equal to Proton's render for every
    /// stack, else rendered per stack with the reason), a deployment file per stack,
    /// migration.json and a README (docs/migration.md).
    Migrate(commands::migrate::Args),
    /// Validate and render every target of a bundle or repository; report all diagnostics.
    Check(commands::check::Args),
    /// Off Proton from the running stacks: read each stack's deployed template back into a
    /// template version and spec that render it byte for byte, prove it, and write a Git Sync
    /// repository with the stacks' real names and tags (docs/adoption.md).
    Adopt(commands::adopt::Args),
    /// A Language Server Protocol server over stdio for editors: diagnostics, completion, hover
    /// and go to definition in templates, schemas and manifests, answered by the same engine as
    /// the playground (docs/editors.md).
    Lsp(commands::lsp::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Render(args) => commands::render::run(args),
        Command::Compare(args) => commands::compare::run(args),
        Command::Fleet(args) => commands::fleet::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Migrate(args) => commands::migrate::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Adopt(args) => commands::adopt::run(args),
        Command::Lsp(args) => commands::lsp::run(args),
    };
    result.unwrap_or_else(|Fatal(message)| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })
}
