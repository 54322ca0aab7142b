//! The WebAssembly facade: a thin wasm-bindgen layer over the core for the page's worker. No logic
//! of its own beyond caching the analyzed workspace between keystrokes.

use crate::bundle::FileTree;
use crate::report::{run_in_workspace, Request};
use crate::workspace::summary::summarize;
use crate::workspace::Workspace;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{hash_map::DefaultHasher, BTreeMap};
use std::hash::{Hash, Hasher};
use wasm_bindgen::prelude::*;

thread_local! {
    /// The last analyzed workspace and the hash of the files it came from: form and mock edits
    /// re-render without re-parsing schemas or recompiling validators, and a file edit
    /// re-analyzes only the bundle it touches.
    static CACHE: RefCell<Option<(u64, Workspace, JsValue)>> = const { RefCell::new(None) };
}

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

fn files_from_js(files: JsValue) -> Result<BTreeMap<String, String>, JsValue> {
    from_js(files, "files")
}

/// Reads a JS argument into `T`, naming the argument in the error.
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsValue::from_str(&format!("{what}: {e}")))
}

/// The bundle at `root` of a workspace.
fn bundle_at<'w>(ws: &'w Workspace, root: &str) -> Result<&'w crate::Bundle, JsValue> {
    ws.bundles
        .iter()
        .find(|b| b.root == root)
        .ok_or_else(|| JsValue::from_str(&format!("no bundle at `{root}`")))
}

fn hash_files(files: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    files.hash(&mut hasher);
    hasher.finish()
}

/// Makes the workspace of `files` (loaded as `name`) the current one, analyzing only when the
/// files changed, and returns its summary.
fn load_workspace(files: BTreeMap<String, String>, name: &str) -> JsValue {
    let hash = hash_files(&(&files, name));
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let fresh = match cache.take() {
            Some(entry) if entry.0 == hash => entry,
            previous => {
                let (tree, diags) =
                    FileTree::from_texts(files.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                let mut workspace =
                    Workspace::reanalyze(previous.map(|(_, ws, _)| ws), tree, diags);
                workspace.name_after(name);
                let summary = to_js(&summarize(&workspace)).unwrap_or(JsValue::NULL);
                (hash, workspace, summary)
            }
        };
        let summary = fresh.2.clone();
        *cache = Some(fresh);
        summary
    })
}

/// Runs `f` on the current workspace (the last one given to [`analyze`]).
fn with_workspace<R>(f: impl FnOnce(&Workspace) -> Result<R, JsValue>) -> Result<R, JsValue> {
    CACHE.with(|cache| match cache.borrow().as_ref() {
        Some((_, workspace, _)) => f(workspace),
        None => Err(JsValue::from_str("no workspace: call analyze(files) first")),
    })
}

/// Unpacks a `.tar.gz`/`.tgz`/`.zip`: `{files: {path: text}, skipped: [path], diagnostics}`.
#[wasm_bindgen(js_name = loadArchive)]
pub fn load_archive(name: &str, bytes: &[u8]) -> Result<JsValue, JsValue> {
    let (tree, diagnostics) = crate::bundle::files::load_bytes(name, bytes);
    #[derive(Serialize)]
    struct Loaded {
        files: BTreeMap<String, String>,
        skipped: Vec<String>,
        diagnostics: Vec<crate::Diagnostic>,
    }
    let mut loaded = Loaded {
        files: BTreeMap::new(),
        skipped: Vec::new(),
        diagnostics,
    };
    for (path, bytes) in tree.files {
        match String::from_utf8(bytes) {
            Ok(text) => {
                loaded.files.insert(path, text);
            }
            Err(_) => loaded.skipped.push(path),
        }
    }
    to_js(&loaded)
}

/// Makes the workspace of `files` (`{path: text}`, loaded as `name`: a lone bundle without a
/// name of its own is named after it) the current one and describes it: bundles, kinds, input
/// types, targets. The other functions work on the current workspace: the files are read from
/// JS once per request, not once per function.
#[wasm_bindgen]
pub fn analyze(files: JsValue, name: &str) -> Result<JsValue, JsValue> {
    Ok(load_workspace(files_from_js(files)?, name))
}

/// Renders the bundle at `root` of the current workspace for `request` (a [`Request`]).
#[wasm_bindgen]
pub fn render(root: &str, request: JsValue) -> Result<JsValue, JsValue> {
    let request: Request = from_js(request, "request")?;
    with_workspace(|ws| {
        // Findings with workspace paths, as `check` prints them: the page's file editor and
        // diagnostics list use them as they are.
        to_js(&run_in_workspace(bundle_at(ws, root)?, &request))
    })
}

/// Compares two bundles of the current workspace (docs/proton-semantics.md §11.2); `declared` is
/// `minor`, `major` or empty (implied by their `vN` folders).
#[wasm_bindgen]
pub fn compare(old_root: &str, new_root: &str, declared: &str) -> Result<JsValue, JsValue> {
    let declared = match declared {
        "minor" => Some(crate::workspace::versions::Bump::Minor),
        "major" => Some(crate::workspace::versions::Bump::Major),
        _ => None,
    };
    with_workspace(|ws| {
        to_js(&crate::workspace::versions::compare(
            bundle_at(ws, old_root)?,
            bundle_at(ws, new_root)?,
            declared,
        ))
    })
}

/// Repository-level findings (honest bumps, pairings, output contracts) of the current workspace.
#[wasm_bindgen(js_name = checkRepository)]
pub fn check_repository() -> Result<JsValue, JsValue> {
    with_workspace(|ws| to_js(&crate::workspace::repository::check_repository(ws)))
}

/// Compatibility per service instance: `instances` is `[[name, "env-template:major"], …]`,
/// `declared` the compatible list the user gives a loose service bundle (`["name:major", …]`).
#[wasm_bindgen(js_name = instanceCompatibility)]
pub fn instance_compatibility(
    root: &str,
    declared: JsValue,
    instances: JsValue,
) -> Result<JsValue, JsValue> {
    let declared: Vec<String> = from_js(declared, "declared")?;
    let declared: Vec<(String, u32)> = declared
        .iter()
        .filter_map(|d| crate::workspace::repository::parse_template_ref(d))
        .collect();
    let instances: Vec<(String, String)> = from_js(instances, "instances")?;
    with_workspace(|ws| {
        to_js(&crate::workspace::repository::instance_verdicts(
            ws,
            bundle_at(ws, root)?,
            &declared,
            &instances,
        ))
    })
}

/// The fleet check of the bundle at `root` for `specs` (`[{path, text}, …]`).
#[wasm_bindgen(js_name = fleetCheck)]
pub fn fleet_check(root: &str, specs: JsValue) -> Result<JsValue, JsValue> {
    let specs: Vec<crate::report::SpecSource> = from_js(specs, "specs")?;
    with_workspace(|ws| {
        to_js(&crate::workspace::fleet::check(
            bundle_at(ws, root)?,
            &specs,
            &Default::default(),
        ))
    })
}

/// Every rendered file of every bundle, target and instance, plus specs (the migration export):
/// `{files, diagnostics}`; the bundle at `root` renders with `request`, the others with defaults.
#[wasm_bindgen(js_name = exportAll)]
pub fn export_all(root: &str, request: JsValue) -> Result<JsValue, JsValue> {
    let request: Request = from_js(request, "request")?;
    with_workspace(|ws| {
        to_js(&crate::workspace::export::migration(
            ws,
            Some((root, &request)),
        ))
    })
}

/// Off Proton (src/migrate): the CloudFormation Git Sync repository for the stacks `specs`
/// (`[{template?, path, text}]`) describe, with `mocks`, services reading environment outputs
/// through imports when `import_outputs`: `{templates, stacks, files, diagnostics}`.
#[wasm_bindgen]
pub fn migrate(specs: JsValue, mocks: JsValue, import_outputs: bool) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    struct SpecFile {
        #[serde(default)]
        template: Option<String>,
        path: String,
        text: String,
    }
    let specs: Vec<SpecFile> = from_js(specs, "specs")?;
    let specs: Vec<crate::migrate::SpecInput> = specs
        .into_iter()
        .map(|s| crate::migrate::SpecInput {
            template: s.template,
            source: crate::SpecSource {
                path: s.path,
                text: s.text,
            },
        })
        .collect();
    let mocks: crate::Mocks = from_js(mocks, "mocks")?;
    let outputs = if import_outputs {
        crate::migrate::OutputsMode::Import
    } else {
        crate::migrate::OutputsMode::Parameters
    };
    with_workspace(|ws| to_js(&crate::migrate::migrate(ws, &specs, &mocks, outputs)))
}

/// The files as a `.tar.gz` (bytes).
#[wasm_bindgen(js_name = packArchive)]
pub fn pack_archive(files: JsValue) -> Result<Vec<u8>, JsValue> {
    let files = files_from_js(files)?;
    Ok(crate::bundle::files::pack_tar_gz(
        files.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

/// Parses YAML (1.1 typing, as Proton) to JSON, for importing spec and mock files.
#[wasm_bindgen(js_name = parseYaml)]
pub fn parse_yaml(text: &str) -> Result<JsValue, JsValue> {
    match crate::yaml::parse(text) {
        Ok(doc) => to_js(&doc.root.to_json()),
        Err(e) => Err(JsValue::from_str(&format!(
            "line {}: {}",
            e.pos.line, e.message
        ))),
    }
}

/// An editor question about workspace file `path`, whose current text is `text` (it may be ahead
/// of the analyzed files), at UTF-16 `offset`, under `request` (the page's inputs and mocks):
/// `complete`, `hover` or `definition` (src/assist). Null when the file is in no bundle.
#[wasm_bindgen]
pub fn assist(
    question: &str,
    path: &str,
    text: &str,
    offset: u32,
    request: JsValue,
) -> Result<JsValue, JsValue> {
    use crate::assist::{complete, definition, hover, Site};
    let request: Request = from_js(request, "request")?;
    let offset = offset as usize;
    with_workspace(|ws| {
        let Some(site) = Site::of(ws, path) else {
            return Ok(JsValue::NULL);
        };
        match question {
            "complete" => to_js(&complete(&site, &request, text, offset)),
            "hover" => to_js(&hover(&site, &request, text, offset)),
            "definition" => to_js(&definition(&site, &request, text, offset)),
            other => Err(JsValue::from_str(&format!("no question `{other}`"))),
        }
    })
}

/// For each line of `rendered`, the 1-based line of `template` that produced it (0: unknown).
#[wasm_bindgen(js_name = lineMap)]
pub fn line_map(template: &str, rendered: &str) -> Vec<u32> {
    crate::assist::line_map(template, rendered)
}

/// Installs the CloudFormation resource type table (`cfn-resource-types.tsv`, fetched by the
/// worker beside the wasm so the wasm stays small).
#[wasm_bindgen(js_name = loadResourceTypes)]
pub fn load_resource_types(text: String) {
    crate::checks::resource_types::install(text);
}

/// Installs the Lambda runtime lifecycle (`lambda-runtimes.tsv`, fetched beside the wasm).
#[wasm_bindgen(js_name = loadLambdaRuntimes)]
pub fn load_lambda_runtimes(text: String) {
    crate::checks::install_lambda_runtimes(text);
}

/// The shard files (`cfn-schemas/AWS-S3.txt`, `iam-actions/s3.txt`) the checks asked for since
/// the last call and did not have: the worker fetches them, installs them and runs again.
#[wasm_bindgen(js_name = wantedShards)]
pub fn wanted_shards() -> Vec<String> {
    crate::checks::data::wanted()
}

/// Installs a shard file the worker fetched (`text` empty: the server has no such file; absent:
/// it could not be fetched, and the checks needing it say so).
#[wasm_bindgen(js_name = installShard)]
pub fn install_shard(file: &str, text: Option<String>) {
    crate::checks::data::install_shard(file, text);
}

/// The crate version, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
