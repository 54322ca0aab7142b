//! `proton-playground`: the native CLI over the core, for CI and migration.

use clap::{Parser, Subcommand, ValueEnum};
use proton_playground::diagnostic::{distinct, render_diagnostic, Diagnostic, Severity};
use proton_playground::migrate::{self, SpecInput};
use proton_playground::report::files::RenderedFile;
use proton_playground::workspace::repository;
use proton_playground::workspace::versions::{self, Bump, Comparison};
use proton_playground::{
    run, Bundle, Mocks, RenderOptions, Report, Request, SpecSource, Target, UndefinedMode,
    Workspace,
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
    Render {
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
    },
    /// Compare two versions of a template: every schema change with its rule, the bump it needs,
    /// whether the declared bump is honest, and what changes in the rendered output.
    #[command(visible_alias = "compat")]
    Compare {
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
    },
    /// The fleet check: which instance specs validate and render on a new template version, and
    /// which fail and why.
    #[command(visible_alias = "upgrade")]
    Fleet {
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
    },
    /// The way off Proton: write every rendered file of every template, target and instance, plus
    /// each template's spec, to DIR/<template>/<target>[/<instance>]/<file>.
    Export {
        bundle: PathBuf,
        #[command(flatten)]
        args: RenderArgs,
        #[arg(long)]
        out: PathBuf,
    },
    /// Off Proton: a CloudFormation Git Sync repository for the stacks the specs describe — one
    /// parameterized template per template and target (proven equal to Proton's render for every
    /// stack, else rendered per stack with the reason), a deployment file per stack,
    /// migration.json and a README (docs/migration.md).
    Migrate {
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
    },
    /// Validate and render every target of a bundle or repository; report all diagnostics.
    Check {
        bundle: PathBuf,
        #[command(flatten)]
        args: RenderArgs,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(clap::Args)]
struct RenderArgs {
    /// EnvironmentSpec / ServiceSpec file (YAML or JSON).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Mocked names and outputs (YAML or JSON): environment, service, instance_outputs, component.
    #[arg(long)]
    mocks: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "strict")]
    undefined: UndefinedArg,
    /// `preview`: pre-GA compatibility mode (docs/proton-semantics.md §6.5).
    #[arg(long, value_enum)]
    compat: Option<CompatArg>,
    /// In a template-sync repository: the template to use (`name`, `name:major` or its folder).
    #[arg(long)]
    template: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum TargetArg {
    Environment,
    ServiceInstance,
    Pipeline,
    Component,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputsArg {
    Parameters,
    Import,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeclaredArg {
    Minor,
    Major,
}

#[derive(Clone, Copy, ValueEnum)]
enum UndefinedArg {
    Strict,
    Lenient,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompatArg {
    Preview,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// A usage or I/O problem: exit code 2.
struct Fatal(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli.command) {
        Ok(code) => code,
        Err(Fatal(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn execute(command: Command) -> Result<ExitCode, Fatal> {
    match command {
        Command::Render {
            bundle,
            args,
            target,
            instance,
            out,
        } => {
            let workspace = load(&bundle)?;
            let selected = select(&workspace, args.template.as_deref())?;
            let mut request = request(&args)?;
            request.target = target.map(|t| match t {
                TargetArg::Environment => Target::Environment,
                TargetArg::ServiceInstance => Target::ServiceInstance,
                TargetArg::Pipeline => Target::Pipeline,
                TargetArg::Component => Target::Component,
            });
            request.instance = instance;
            let report = run(selected, &request);
            let mut diagnostics = workspace.diagnostics.clone();
            diagnostics.extend(report.diagnostics.iter().cloned());
            match out {
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
        Command::Export { bundle, args, out } => {
            let workspace = load(&bundle)?;
            let selected = select(&workspace, args.template.as_deref())?;
            let request = request(&args)?;
            let export = proton_playground::workspace::export::migration(
                &workspace,
                Some((&selected.root, &request)),
            );
            let mut diagnostics = workspace.diagnostics.clone();
            diagnostics.extend(export.diagnostics.iter().cloned());
            let refused = write_files(&export.files, &out)?;
            let written = export.files.len() - refused.len();
            diagnostics.extend(refused);
            print_diagnostics(&diagnostics, &workspace_sources(&workspace, &request));
            eprintln!("wrote {written} files under {}", out.display());
            Ok(exit_code(&diagnostics))
        }
        Command::Compare {
            old,
            new,
            declared,
            old_template,
            new_template,
            format,
        } => {
            let (old_ws, new_ws) = (load(&old)?, load(&new)?);
            let (a, b) = (
                select(&old_ws, old_template.as_deref())?,
                select(&new_ws, new_template.as_deref())?,
            );
            let declared = declared.map(|d| match d {
                DeclaredArg::Minor => Bump::Minor,
                DeclaredArg::Major => Bump::Major,
            });
            let cmp = versions::compare(a, b, declared);
            match format {
                Format::Json => {
                    out!("{}", serde_json::to_string_pretty(&cmp).unwrap_or_default())
                }
                Format::Text => print_comparison(&cmp),
            }
            Ok(if cmp.honest {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Fleet {
            bundle,
            specs,
            template,
            mocks,
            format,
        } => {
            let workspace = load(&bundle)?;
            let selected = select(&workspace, template.as_deref())?;
            let specs = proton_playground::workspace::fleet::read_specs(&specs).map_err(Fatal)?;
            let mocks = match &mocks {
                Some(p) => parse_mocks(&read_text(p)?)
                    .map_err(|e| Fatal(format!("{}: {e}", p.display())))?,
                None => Mocks::default(),
            };
            let report = proton_playground::workspace::fleet::check(selected, &specs, &mocks);
            match format {
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
        Command::Migrate {
            bundle,
            specs,
            mocks,
            outputs,
            out,
            format,
        } => {
            let workspace = load(&bundle)?;
            let mut inputs = Vec::new();
            for given in &specs {
                let (template, path) = match given.split_once('=') {
                    Some((name, path)) if !Path::new(given).exists() => {
                        (Some(name.to_string()), PathBuf::from(path))
                    }
                    _ => (None, PathBuf::from(given)),
                };
                for source in
                    proton_playground::workspace::fleet::read_specs(&path).map_err(Fatal)?
                {
                    inputs.push(SpecInput {
                        template: template.clone(),
                        source,
                    });
                }
            }
            let mocks = match &mocks {
                Some(p) => parse_mocks(&read_text(p)?)
                    .map_err(|e| Fatal(format!("{}: {e}", p.display())))?,
                None => Mocks::default(),
            };
            let outputs = match outputs {
                OutputsArg::Parameters => migrate::OutputsMode::Parameters,
                OutputsArg::Import => migrate::OutputsMode::Import,
            };
            let migration = migrate::migrate(&workspace, &inputs, &mocks, outputs);
            let mut diagnostics = workspace.diagnostics.clone();
            diagnostics.extend(migration.diagnostics.iter().cloned());
            let refused = write_files(&migration.files, &out)?;
            diagnostics.extend(refused);
            match format {
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
                        out.display()
                    );
                }
            }
            Ok(exit_code(&diagnostics))
        }
        Command::Check {
            bundle,
            args,
            format,
        } => {
            let workspace = load(&bundle)?;
            let base = request(&args)?;
            let mut diagnostics = workspace.diagnostics.clone();
            diagnostics.extend(repository::check_repository(&workspace));
            let mut all_sources = workspace_sources(&workspace, &base);
            let bundles: Vec<&Bundle> = match &args.template {
                Some(t) => vec![select(&workspace, Some(t))?],
                None => workspace.bundles.iter().collect(),
            };
            for b in bundles {
                let keep_spec = !workspace.repository || args.template.is_some();
                let mut request = repository::check_request(&workspace, b, &base, keep_spec);
                // A bundle with nothing to render still runs once, as `render` would: its own
                // findings (a manifest that does not parse) and `target-missing` are reported.
                let targets = match b.targets() {
                    targets if targets.is_empty() => vec![b.default_target()],
                    targets => targets,
                };
                for target in targets {
                    request.target = Some(target);
                    let report = run(b, &request);
                    let spec_file = request.spec.as_ref().map(|s| s.path.as_str());
                    diagnostics.extend(
                        report
                            .diagnostics
                            .into_iter()
                            .map(|d| b.in_workspace(d, spec_file)),
                    );
                }
                // The spec each bundle was checked with (a placeholder in a repository).
                if let Some(spec) = &request.spec {
                    all_sources.insert(spec.path.clone(), spec.text.clone());
                }
            }
            let diagnostics = distinct(diagnostics);
            match format {
                Format::Json => {
                    let json = serde_json::json!({ "diagnostics": diagnostics });
                    out!(
                        "{}",
                        serde_json::to_string_pretty(&json).unwrap_or_default()
                    );
                }
                Format::Text => print_diagnostics(&diagnostics, &all_sources),
            }
            Ok(exit_code(&diagnostics))
        }
    }
}

fn load(path: &Path) -> Result<Workspace, Fatal> {
    if !path.exists() {
        return Err(Fatal(format!("{}: no such file or folder", path.display())));
    }
    Workspace::load_path(path).map_err(Fatal)
}

fn select<'w>(workspace: &'w Workspace, template: Option<&str>) -> Result<&'w Bundle, Fatal> {
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
fn read_text(path: &Path) -> Result<String, Fatal> {
    proton_playground::bundle::files::read_text_file(path, MAX_INPUT_FILE).map_err(Fatal)
}

/// The largest spec or mocks file read (Proton's specs stop at 51,200 characters; the spec's
/// own check says so for anything between).
const MAX_INPUT_FILE: u64 = 4 * 1024 * 1024;

fn request(args: &RenderArgs) -> Result<Request, Fatal> {
    let spec = match &args.spec {
        Some(p) => Some(SpecSource {
            path: p.display().to_string(),
            text: read_text(p)?,
        }),
        None => None,
    };
    let mocks = match &args.mocks {
        Some(p) => {
            parse_mocks(&read_text(p)?).map_err(|e| Fatal(format!("{}: {e}", p.display())))?
        }
        None => Mocks::default(),
    };
    Ok(Request {
        target: None,
        spec,
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
fn sources(bundle: &Bundle, request: &Request) -> BTreeMap<String, String> {
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
fn workspace_sources(workspace: &Workspace, request: &Request) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for b in &workspace.bundles {
        for (path, text) in b.files.iter() {
            let key = if b.root.is_empty() {
                path.clone()
            } else {
                format!("{}/{path}", b.root)
            };
            map.insert(key, text.clone());
        }
    }
    if let Some(spec) = &request.spec {
        map.insert(spec.path.clone(), spec.text.clone());
    }
    map
}

fn print_diagnostics(diagnostics: &[Diagnostic], sources: &BTreeMap<String, String>) {
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
fn write_files(files: &[RenderedFile], dir: &Path) -> Result<Vec<Diagnostic>, Fatal> {
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
fn print_outputs(report: &Report) -> Result<(), Fatal> {
    let mut stdout = std::io::stdout().lock();
    let result = match report.outputs.as_slice() {
        [only] => stdout.write_all(only.content.as_bytes()),
        files => files
            .iter()
            .try_for_each(|f| write!(stdout, "==> {} <==\n{}\n", f.path, f.content)),
    };
    result.map_err(|e| Fatal(format!("stdout: {e}")))
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

fn exit_code(diagnostics: &[Diagnostic]) -> ExitCode {
    if diagnostics.iter().any(Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
