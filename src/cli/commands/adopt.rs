//! `adopt`: the stacks Proton left running, read back into template versions and specs whose
//! render is their deployed template, written as a Git Sync repository (docs/adoption.md).

use crate::common::{exit_code, out, print_diagnostics, write_files, Fatal, Format};
use clap::ValueEnum;
use proton_playground::adopt::adopt_files;
use proton_playground::bundle::files::read_text_file;
use proton_playground::migrate::OutputsMode;
use proton_playground::Workspace;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The largest describe-stacks page or template file read.
const MAX_ACCOUNT_FILE: u64 = 64 * 1024 * 1024;
/// The most template files read from the folders given.
const MAX_TEMPLATE_FILES: usize = 10_000;

#[derive(clap::Args)]
pub struct Args {
    /// The templates' bundles or template-sync repositories (every version the stacks may run).
    #[arg(required = true)]
    bundles: Vec<PathBuf>,
    /// `aws cloudformation describe-stacks --output json` output (repeat for paginated output).
    #[arg(long, required = true)]
    stacks: Vec<PathBuf>,
    /// `aws cloudformation get-template --stack-name S --output json` output named `S.json`, raw
    /// bodies `S.yaml`/`S.json`, or folders of them.
    #[arg(long, required = true)]
    templates: Vec<PathBuf>,
    /// The repository folder to write.
    #[arg(long)]
    out: PathBuf,
    /// How services read environment outputs (see `migrate`).
    #[arg(long, value_enum, default_value = "parameters")]
    outputs: OutputsArg,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputsArg {
    Parameters,
    Import,
}

fn read(path: &Path) -> Result<(String, String), Fatal> {
    let text = read_text_file(path, MAX_ACCOUNT_FILE).map_err(Fatal)?;
    Ok((path.display().to_string(), text))
}

/// The template files given: files as they are, folders' `.json`/`.yaml`/`.yml`/`.template`
/// files.
fn template_files(given: &[PathBuf]) -> Result<Vec<(String, String)>, Fatal> {
    let mut paths = Vec::new();
    for path in given {
        if !path.is_dir() {
            paths.push(path.clone());
            continue;
        }
        let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Fatal(format!("{}: {e}", path.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "json" | "yaml" | "yml" | "template"))
            })
            .collect();
        inside.sort();
        paths.extend(inside);
        if paths.len() > MAX_TEMPLATE_FILES {
            return Err(Fatal(format!(
                "{}: more than the {MAX_TEMPLATE_FILES} template files one adoption reads",
                path.display()
            )));
        }
    }
    paths.iter().map(|p| read(p)).collect()
}

pub fn run(args: Args) -> Result<ExitCode, Fatal> {
    for path in &args.bundles {
        if !path.exists() {
            return Err(Fatal(format!("{}: no such file or folder", path.display())));
        }
    }
    let workspace = Workspace::load_paths(&args.bundles).map_err(Fatal)?;
    let stacks: Vec<(String, String)> = args
        .stacks
        .iter()
        .map(|p| read(p))
        .collect::<Result<_, _>>()?;
    let templates = template_files(&args.templates)?;
    let outputs = match args.outputs {
        OutputsArg::Parameters => OutputsMode::Parameters,
        OutputsArg::Import => OutputsMode::Import,
    };
    let adoption = adopt_files(&workspace, &stacks, &templates, outputs);
    let mut diagnostics = workspace.diagnostics.clone();
    diagnostics.extend(adoption.diagnostics.iter().cloned());
    diagnostics.extend(write_files(&adoption.files, &args.out)?);
    match args.format {
        Format::Json => out!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "stacks": adoption.stacks,
                "diagnostics": diagnostics,
            }))
            .unwrap_or_default()
        ),
        Format::Text => {
            let mut sources = workspace.sources();
            sources.extend(stacks.iter().cloned());
            print_diagnostics(&diagnostics, &sources);
            for stack in &adoption.stacks {
                let what = match (&stack.template, &stack.version, &stack.target) {
                    (Some(t), Some(v), Some(target)) => format!("{t} v{v} ({target})"),
                    (Some(t), _, _) => t.clone(),
                    _ => String::new(),
                };
                out!("{:<10} {} {what}", stack.status.name(), stack.stack);
            }
            out!(
                "{} stacks, {} files under {}",
                adoption.stacks.len(),
                adoption.files.len(),
                args.out.display()
            );
        }
    }
    Ok(exit_code(&diagnostics))
}
