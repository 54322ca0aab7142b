//! `render`: one bundle, one target: the files to stdout or a folder, findings to stderr.

use crate::common::{
    exit_code, load, print_diagnostics, print_outputs, request, select, sources, write_files,
    Fatal, RenderArgs,
};
use clap::ValueEnum;
use proton_playground::Target;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Bundle folder, .tar.gz/.tgz or .zip (or a template-sync repository with --template).
    bundle: PathBuf,
    #[command(flatten)]
    args: RenderArgs,
    #[arg(long, value_enum)]
    target: Option<TargetArg>,
    /// Spec instance to render (default: the first).
    #[arg(long)]
    instance: Option<String>,
    /// Write every output file to DIR/<bundle-relative path>.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum TargetArg {
    Environment,
    ServiceInstance,
    Pipeline,
    Component,
}

pub fn run(args: Args) -> Result<ExitCode, Fatal> {
    let workspace = load(&args.bundle)?;
    let selected = select(&workspace, args.args.template.as_deref())?;
    let mut request = request(&args.args)?;
    request.target = args.target.map(|t| match t {
        TargetArg::Environment => Target::Environment,
        TargetArg::ServiceInstance => Target::ServiceInstance,
        TargetArg::Pipeline => Target::Pipeline,
        TargetArg::Component => Target::Component,
    });
    request.instance = args.instance;
    let report = proton_playground::run(selected, &request);
    let mut diagnostics = workspace.diagnostics.clone();
    diagnostics.extend(report.diagnostics.iter().cloned());
    match args.out {
        Some(dir) => {
            diagnostics.extend(write_files(&report.outputs, &dir)?);
            print_diagnostics(&diagnostics, &sources(selected, &request));
        }
        None => {
            print_diagnostics(&diagnostics, &sources(selected, &request));
            print_outputs(&report)?;
        }
    }
    Ok(exit_code(&diagnostics))
}
