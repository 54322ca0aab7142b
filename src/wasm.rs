//! The WebAssembly face: a thin wasm-bindgen layer over the core for the page's worker. The
//! worker holds one [`Engine`] (the core's `engine::Engine`, which owns the analyzed workspace);
//! requests and answers cross as typed JSON. The free functions are stateless helpers and the
//! installation of check data the worker fetches.

use crate::engine::{
    self, AdoptRequest, AssistRequest, CompareRequest, CompatibilityRequest, MigrateRequest,
};
use crate::report::{Request, SpecSource};
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Reads a JS argument into `T`, naming the argument in the error.
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsValue::from_str(&format!("{what}: {e}")))
}

/// A core answer as JS, its error as a JS string.
fn answered<T: Serialize>(result: Result<T, String>) -> Result<JsValue, JsValue> {
    to_js(&result.map_err(|e| JsValue::from_str(&e))?)
}

/// The engine of one page: its workspace and every answer about it. Answers that run checks are
/// `{value, pending_data}`: `pending_data` lists the data shard files to fetch, install
/// ([`install_shard`]) and ask again for.
#[wasm_bindgen]
pub struct Engine {
    core: engine::Engine,
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Engine {
        Engine {
            core: engine::Engine::new(),
        }
    }

    /// Makes the workspace of `files` (`{path: text}`, loaded as `name`) the current one and
    /// describes it: bundles, kinds, input types, targets.
    pub fn analyze(&mut self, files: JsValue, name: &str) -> Result<JsValue, JsValue> {
        let files: BTreeMap<String, String> = from_js(files, "files")?;
        to_js(self.core.analyze(&files, name))
    }

    /// Renders the bundle at `root` for `request` (a `Request`).
    pub fn render(&self, root: &str, request: JsValue) -> Result<JsValue, JsValue> {
        let request: Request = from_js(request, "request")?;
        answered(self.core.render(root, &request))
    }

    /// Compares two bundles: `{old_root, new_root, declared: "minor" | "major" | null}`.
    pub fn compare(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let request: CompareRequest = from_js(request, "compare")?;
        answered(self.core.compare(&request))
    }

    /// Repository-level findings (honest bumps, pairings, output contracts).
    #[wasm_bindgen(js_name = checkRepository)]
    pub fn check_repository(&self) -> Result<JsValue, JsValue> {
        answered(self.core.check_repository())
    }

    /// Compatibility per service instance: `{root, declared: ["name:major"], instances:
    /// [[instance, "env-template:major"]]}`.
    #[wasm_bindgen(js_name = instanceCompatibility)]
    pub fn instance_compatibility(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let request: CompatibilityRequest = from_js(request, "compatibility")?;
        answered(self.core.instance_compatibility(&request))
    }

    /// The fleet check of the bundle at `root` for `specs` (`[{path, text}]`).
    #[wasm_bindgen(js_name = fleetCheck)]
    pub fn fleet_check(&self, root: &str, specs: JsValue) -> Result<JsValue, JsValue> {
        let specs: Vec<SpecSource> = from_js(specs, "specs")?;
        answered(self.core.fleet_check(root, &specs))
    }

    /// Every rendered file of every bundle, target and instance, plus specs: `{files,
    /// diagnostics}`; the bundle at `root` renders with `request`, the others with defaults.
    pub fn export(&self, root: &str, request: JsValue) -> Result<JsValue, JsValue> {
        let request: Request = from_js(request, "request")?;
        answered(self.core.export(root, &request))
    }

    /// Off Proton (src/migrate): `{specs: [{template?, path, text}], mocks, outputs:
    /// "parameters" | "import"}` → `{templates, stacks, files, diagnostics}`.
    pub fn migrate(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let request: MigrateRequest = from_js(request, "migrate")?;
        answered(self.core.migrate(&request))
    }

    /// Off Proton from the running stacks (src/adopt): `{stacks: [[name, text]], templates:
    /// [[name, text]], outputs}` → `{stacks, files, diagnostics}`.
    pub fn adopt(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let request: AdoptRequest = from_js(request, "adopt")?;
        answered(self.core.adopt(&request))
    }

    /// An editor question: `{question: "complete" | "hover" | "definition", path, text, offset,
    /// request}` (src/assist); null when the file is in no bundle.
    pub fn assist(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let request: AssistRequest = from_js(request, "assist")?;
        answered(self.core.assist(&request))
    }
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

/// The files as a `.tar.gz` (bytes).
#[wasm_bindgen(js_name = packArchive)]
pub fn pack_archive(files: JsValue) -> Result<Vec<u8>, JsValue> {
    let files: BTreeMap<String, String> = from_js(files, "files")?;
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
