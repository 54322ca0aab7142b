//! `migrate`: a CloudFormation Git Sync repository for the stacks the specs describe
//! (docs/migration.md).

use crate::common::{
    exit_code, load, out, print_diagnostics, read_mocks, workspace_sources, write_files, Fatal,
    Format,
};
use clap::ValueEnum;
use proton_playground::migrate::{self, SpecInput};
use proton_playground::workspace::fleet;
use proton_playground::Request;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Bundle folder, archive or template-sync repository.
    bundle: PathBuf,
    /// Spec files of the running stacks: `FILE`, a folder of them, or `TEMPLATE=FILE` to name
    /// the template a spec is for (repeat the option for more).
    #[arg(long, required = true)]
    specs: Vec<String>,
    /// Mocked names and outputs (see `render`): the deployed environments' outputs.
    #[arg(long)]
    mocks: Option<PathBuf>,
    /// How services read environment outputs: parameters holding what Proton passed, or
    /// `Fn::ImportValue` of exports the environment templates gain.
    #[arg(long, value_enum, default_value = "parameters")]
    outputs: OutputsArg,
    /// The repository folder to write.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputsArg {
    Parameters,
    Import,
}

pub fn run(args: Args) -> Result<ExitCode, Fatal> {
    let workspace = load(&args.bundle)?;
    let mut inputs = Vec::new();
    for given in &args.specs {
        let (template, path) = match given.split_once('=') {
            Some((name, path)) if !Path::new(given).exists() => {
                (Some(name.to_string()), PathBuf::from(path))
            }
            _ => (None, PathBuf::from(given)),
        };
        for source in fleet::read_specs(&path).map_err(Fatal)? {
            inputs.push(SpecInput {
                template: template.clone(),
                source,
                stacks: Vec::new(),
                from_form: false,
                unconfirmed_mocks: false,
            });
        }
    }
    let mocks = read_mocks(args.mocks.as_deref())?;
    let outputs = match args.outputs {
        OutputsArg::Parameters => migrate::OutputsMode::Parameters,
        OutputsArg::Import => migrate::OutputsMode::Import,
    };
    let migration = migrate::migrate(&workspace, &inputs, &mocks, outputs);
    let mut diagnostics = workspace.diagnostics.clone();
    diagnostics.extend(migration.diagnostics.iter().cloned());
    diagnostics.extend(write_files(&migration.files, &args.out)?);
    match args.format {
        Format::Json => out!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "templates": migration.templates,
                "stacks": migration.stacks,
                "diagnostics": diagnostics,
            }))
            .unwrap_or_default()
        ),
        Format::Text => {
            print_diagnostics(
                &diagnostics,
                &workspace_sources(&workspace, &Request::default()),
            );
            for t in &migration.templates {
                out!(
                    "{:<13} {} v{} ({})",
                    t.status,
                    t.template,
                    t.version,
                    t.target
                );
            }
            out!(
                "{} stacks, {} files under {}",
                migration.stacks.len(),
                migration.files.len(),
                args.out.display()
            );
        }
    }
    Ok(exit_code(&diagnostics))
}
