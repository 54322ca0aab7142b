//! `compare`: two versions of a template — every schema change with its rule, the bump it
//! needs, whether the declared bump is honest, and what changes in the rendered output.

use crate::common::{load, out, select, Fatal, Format};
use clap::ValueEnum;
use proton_playground::workspace::versions::{self, Bump, Comparison};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    old: PathBuf,
    new: PathBuf,
    /// The bump being made (default: implied by `vN/` folders, else minor).
    #[arg(long, value_enum)]
    declared: Option<DeclaredArg>,
    /// In template-sync repositories: the template to compare (`name`, `name:major`).
    #[arg(long)]
    old_template: Option<String>,
    #[arg(long)]
    new_template: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeclaredArg {
    Minor,
    Major,
}

pub fn run(args: Args) -> Result<ExitCode, Fatal> {
    let (old_ws, new_ws) = (load(&args.old)?, load(&args.new)?);
    let (a, b) = (
        select(&old_ws, args.old_template.as_deref())?,
        select(&new_ws, args.new_template.as_deref())?,
    );
    let declared = args.declared.map(|d| match d {
        DeclaredArg::Minor => Bump::Minor,
        DeclaredArg::Major => Bump::Major,
    });
    // The services loaded with the new version judge it too.
    let cmp = versions::compare_in(&new_ws, a, b, declared);
    match args.format {
        Format::Json => out!("{}", serde_json::to_string_pretty(&cmp).unwrap_or_default()),
        Format::Text => print_comparison(&cmp),
    }
    Ok(if cmp.honest {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_comparison(cmp: &Comparison) {
    out!("{} → {}", cmp.old, cmp.new);
    if cmp.changes.is_empty() {
        out!("  no input changes");
    }
    for c in &cmp.changes {
        let mark = if c.warning { " (!)" } else { "" };
        out!(
            "  [{:>11}] {}: {}{mark}\n                rule: {}",
            c.needs.label(),
            c.subject,
            c.description,
            c.rule
        );
    }
    for r in &cmp.resources {
        let detail = match r.change {
            "added" => format!("added ({})", r.new_type.as_deref().unwrap_or("?")),
            "removed" => format!("removed ({})", r.old_type.as_deref().unwrap_or("?")),
            _ => format!(
                "type {} → {}: CloudFormation replaces it",
                r.old_type.as_deref().unwrap_or("?"),
                r.new_type.as_deref().unwrap_or("?")
            ),
        };
        out!("  resource {} in {}: {detail}", r.logical_id, r.file);
    }
    out!(
        "needs: {}; declared: {}; {}",
        cmp.required.label(),
        cmp.declared.label(),
        if cmp.honest {
            "the bump is honest"
        } else {
            "the bump is NOT honest: publish a new major version (vN+1/)"
        }
    );
    if !cmp.rendered_diff.is_empty() {
        out!("\nRendered with default inputs:\n{}", cmp.rendered_diff);
    }
}
