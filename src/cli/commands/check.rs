//! `check`: every target of a bundle or repository validated and rendered (the core's
//! workspace-wide check); all findings printed.

use crate::common::{exit_code, load, out, print_diagnostics, request, select, Fatal, RenderArgs};
use proton_playground::report::sarif;
use proton_playground::workspace::check::check;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    bundle: PathBuf,
    #[command(flatten)]
    args: RenderArgs,
    /// `sarif`: SARIF 2.1.0 on stdout (GitHub code scanning); `github`: workflow commands that
    /// annotate a pull request's lines. Exit codes as for `text`.
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
    /// The playground's documentation address (`https://your.host/playground/docs/`): SARIF rules
    /// link their `#rule-<family>` section.
    #[arg(long)]
    docs_url: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Sarif,
    Github,
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
        CheckFormat::Json => {
            let json = serde_json::json!({ "diagnostics": checked.diagnostics });
            out!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        CheckFormat::Text => print_diagnostics(&checked.diagnostics, &checked.sources),
        CheckFormat::Sarif => {
            let base = args.bundle.to_string_lossy();
            let log = sarif::sarif(
                &checked.diagnostics,
                &base,
                env!("CARGO_PKG_VERSION"),
                args.docs_url.as_deref(),
            );
            out!("{}", serde_json::to_string_pretty(&log).unwrap_or_default());
        }
        CheckFormat::Github => {
            let base = args.bundle.to_string_lossy();
            out!("{}", sarif::github(&checked.diagnostics, &base).trim_end());
        }
    }
    Ok(exit_code(&checked.diagnostics))
}
