//! `check`: every target of a bundle or repository validated and rendered (the core's
//! workspace-wide check); all findings printed.

use crate::common::{
    exit_code, load, out, print_diagnostics, request, select, Fatal, Format, RenderArgs,
};
use proton_playground::workspace::check::check;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    bundle: PathBuf,
    #[command(flatten)]
    args: RenderArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args) -> Result<ExitCode, Fatal> {
    let workspace = load(&args.bundle)?;
    let base = request(&args.args)?;
    let only = match &args.args.template {
        Some(t) => Some(select(&workspace, Some(t))?),
        None => None,
    };
    let checked = check(&workspace, &base, only);
    match args.format {
        Format::Json => {
            let json = serde_json::json!({ "diagnostics": checked.diagnostics });
            out!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Text => print_diagnostics(&checked.diagnostics, &checked.sources),
    }
    Ok(exit_code(&checked.diagnostics))
}
