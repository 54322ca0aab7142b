//! `export`: every rendered file of every template, target and instance, plus each template's
//! spec, under a folder.

use crate::common::{
    exit_code, load, print_diagnostics, request, select, workspace_sources, write_files, Fatal,
    RenderArgs,
};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    bundle: PathBuf,
    #[command(flatten)]
    args: RenderArgs,
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode, Fatal> {
    let workspace = load(&args.bundle)?;
    let selected = select(&workspace, args.args.template.as_deref())?;
    let request = request(&args.args)?;
    let export = proton_playground::workspace::export::migration(
        &workspace,
        Some((&selected.root, &request)),
    );
    let mut diagnostics = workspace.diagnostics.clone();
    diagnostics.extend(export.diagnostics.iter().cloned());
    let refused = write_files(&export.files, &args.out)?;
    let written = export.files.len() - refused.len();
    diagnostics.extend(refused);
    print_diagnostics(&diagnostics, &workspace_sources(&workspace, &request));
    eprintln!("wrote {written} files under {}", args.out.display());
    Ok(exit_code(&diagnostics))
}
