//! What every command shares: the render arguments, loading a workspace, reading spec and mock
//! files, printing diagnostics and writing files.

use clap::ValueEnum;
use proton_playground::diagnostic::{render_diagnostic, Diagnostic, Severity};
use proton_playground::report::files::RenderedFile;
use proton_playground::{
    Bundle, Mocks, RenderOptions, Report, Request, SpecSource, UndefinedMode, Workspace,
};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Prints a line to stdout; a closed pipe (`| head`) ends the program quietly, not in a panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}
pub(crate) use out;

#[derive(clap::Args)]
pub struct RenderArgs {
    /// EnvironmentSpec / ServiceSpec file (YAML or JSON).
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Mocked names and outputs (YAML or JSON): environment, service, instance_outputs, component.
    #[arg(long)]
    pub mocks: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "strict")]
    pub undefined: UndefinedArg,
    /// `preview`: pre-GA compatibility mode (docs/proton-semantics.md §6.5).
    #[arg(long, value_enum)]
    pub compat: Option<CompatArg>,
    /// In a template-sync repository: the template to use (`name`, `name:major` or its folder).
    #[arg(long)]
    pub template: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum UndefinedArg {
    Strict,
    Lenient,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CompatArg {
    Preview,
}

/// How a command prints its result.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// A usage or I/O problem: exit code 2.
pub struct Fatal(pub String);

pub fn load(path: &Path) -> Result<Workspace, Fatal> {
    if !path.exists() {
        return Err(Fatal(format!("{}: no such file or folder", path.display())));
    }
    Workspace::load_path(path).map_err(Fatal)
}

pub fn select<'w>(workspace: &'w Workspace, template: Option<&str>) -> Result<&'w Bundle, Fatal> {
    workspace.select(template).ok_or_else(|| {
        let known: Vec<String> = workspace.bundles.iter().map(Bundle::label).collect();
        match template {
            Some(t) => Fatal(format!(
                "no template `{t}` here; found: {}",
                known.join(", ")
            )),
            None => Fatal(
                workspace
                    .diagnostics
                    .first()
                    .map(|d| d.message.clone())
                    .unwrap_or_else(|| "no bundle found".into()),
            ),
        }
    })
}

/// A spec or mocks file: a regular file of at most [`MAX_INPUT_FILE`] bytes, UTF-8.
pub fn read_text(path: &Path) -> Result<String, Fatal> {
    proton_playground::bundle::files::read_text_file(path, MAX_INPUT_FILE).map_err(Fatal)
}

/// The largest spec or mocks file read (Proton's specs stop at 51,200 characters; the spec's
/// own check says so for anything between).
const MAX_INPUT_FILE: u64 = 4 * 1024 * 1024;

pub fn request(args: &RenderArgs) -> Result<Request, Fatal> {
    let spec = match &args.spec {
        Some(p) => Some(SpecSource {
            path: p.display().to_string(),
            text: read_text(p)?,
        }),
        None => None,
    };
    let mocks = read_mocks(args.mocks.as_deref())?;
    Ok(Request {
        target: None,
        spec,
        inputs: None,
        instance: None,
        mocks,
        options: RenderOptions {
            undefined: match args.undefined {
                UndefinedArg::Strict => UndefinedMode::Strict,
                UndefinedArg::Lenient => UndefinedMode::Lenient,
            },
            ..Default::default()
        },
        compat_preview: args.compat.is_some(),
        skip_checks: false,
        fill_required: false,
    })
}

/// The mocks file given (none: no mocks).
pub fn read_mocks(path: Option<&Path>) -> Result<Mocks, Fatal> {
    match path {
        Some(p) => parse_mocks(&read_text(p)?).map_err(|e| Fatal(format!("{}: {e}", p.display()))),
        None => Ok(Mocks::default()),
    }
}

/// Mocks from YAML or JSON (JSON is YAML).
fn parse_mocks(text: &str) -> Result<Mocks, String> {
    let doc = proton_playground::yaml::parse(text)
        .map_err(|e| format!("line {}: {}", e.pos.line, e.message))?;
    if doc.root.is_null() {
        return Ok(Mocks::default());
    }
    serde_json::from_value(doc.root.to_json()).map_err(|e| e.to_string())
}

/// File texts by the paths diagnostics use, for printing source lines.
pub fn sources(bundle: &Bundle, request: &Request) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = bundle
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(spec) = &request.spec {
        map.insert(spec.path.clone(), spec.text.clone());
    }
    map
}

/// Every file of the workspace under its workspace path, and the spec: what findings quote.
pub fn workspace_sources(workspace: &Workspace, request: &Request) -> BTreeMap<String, String> {
    let mut map = workspace.sources();
    if let Some(spec) = &request.spec {
        map.insert(spec.path.clone(), spec.text.clone());
    }
    map
}

pub fn print_diagnostics(diagnostics: &[Diagnostic], sources: &BTreeMap<String, String>) {
    let mut err = std::io::stderr().lock();
    // Each file's lines, split once: 60,000 findings in one template would otherwise each scan
    // it from the top.
    let mut lines: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in diagnostics {
        let source_line = d.file.as_deref().zip(d.line).and_then(|(file, line)| {
            let text = sources.get(file)?;
            let file_lines = lines.entry(file).or_insert_with(|| text.lines().collect());
            file_lines.get(line.checked_sub(1)? as usize).copied()
        });
        let _ = write!(err, "{}", render_diagnostic(d, source_line));
    }
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if errors + warnings > 0 {
        let _ = writeln!(
            err,
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Writes each file to `dir/<its path>`. A path that would leave `dir` (absolute, with `..`, or
/// through a link already in `dir`) is not written: the findings say which.
pub fn write_files(files: &[RenderedFile], dir: &Path) -> Result<Vec<Diagnostic>, Fatal> {
    std::fs::create_dir_all(dir).map_err(|e| Fatal(format!("{}: {e}", dir.display())))?;
    let root = dir
        .canonicalize()
        .map_err(|e| Fatal(format!("{}: {e}", dir.display())))?;
    let mut refused = Vec::new();
    for file in files {
        let refuse = |why: String| {
            Diagnostic::error("export-path", format!("not written: {why}"))
                .with_hint("only plain relative names are written under the output folder")
        };
        if let Some(why) = RenderedFile::unsafe_path(&file.path) {
            refused.push(refuse(why));
            continue;
        }
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Fatal(format!("{}: {e}", parent.display())))?;
            let inside = parent.canonicalize().is_ok_and(|p| p.starts_with(&root));
            let linked = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            if !inside || linked {
                refused.push(refuse(format!(
                    "`{}` would leave {} through a link",
                    file.path,
                    dir.display()
                )));
                continue;
            }
        }
        std::fs::write(&path, &file.content)
            .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    }
    Ok(refused)
}

/// Prints the report's files to stdout (one file as it is, several with a header each).
pub fn print_outputs(report: &Report) -> Result<(), Fatal> {
    let mut stdout = std::io::stdout().lock();
    let result = match report.outputs.as_slice() {
        [only] => stdout.write_all(only.content.as_bytes()),
        files => files
            .iter()
            .try_for_each(|f| write!(stdout, "==> {} <==\n{}\n", f.path, f.content)),
    };
    result.map_err(|e| Fatal(format!("stdout: {e}")))
}

pub fn exit_code(diagnostics: &[Diagnostic]) -> ExitCode {
    if diagnostics.iter().any(Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
