//! `fleet`: which instance specs validate and render on a new template version, and which fail
//! and why.

use crate::common::{load, out, read_mocks, select, Fatal, Format};
use proton_playground::workspace::fleet;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The new version: bundle folder or archive (or a repository with --template).
    bundle: PathBuf,
    /// A folder of spec files, or one spec file (a ServiceSpec may list many instances).
    #[arg(long)]
    specs: PathBuf,
    #[arg(long)]
    template: Option<String>,
    /// Mocked names and outputs (see `render`).
    #[arg(long)]
    mocks: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args) -> Result<ExitCode, Fatal> {
    let workspace = load(&args.bundle)?;
    let selected = select(&workspace, args.template.as_deref())?;
    let specs = fleet::read_specs(&args.specs).map_err(Fatal)?;
    let mocks = read_mocks(args.mocks.as_deref())?;
    let report = fleet::check(selected, &specs, &mocks);
    match args.format {
        Format::Json => out!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        Format::Text => {
            for v in &report.verdicts {
                let who = match &v.instance {
                    Some(i) => format!("{} {i}", v.spec),
                    None => v.spec.clone(),
                };
                out!("{} {who}", if v.ok { "ok  " } else { "FAIL" });
                for e in &v.errors {
                    out!("       {e}");
                }
            }
            out!(
                "{}: {} pass, {} fail",
                report.template,
                report.passed,
                report.failed
            );
        }
    }
    Ok(if report.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
