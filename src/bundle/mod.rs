//! Bundles (docs/proton-semantics.md §2): a load holds one bundle or, for a template-sync
//! repository, every `name/vN/` template version; each [`Bundle`] knows its kind, schema,
//! infrastructure folders and registration, with the diagnostics found on the way.

pub mod files;
mod layout;
pub mod manifest;
mod registration;

pub use files::FileTree;
pub use layout::{find_roots, Root};
pub use registration::Registration;

use crate::context::Target;
use crate::diagnostic::Diagnostic;
use crate::render::{RenderOptions, Renderer};
use crate::schema::{self, InputKind, Schema};
use manifest::Method;
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// What a bundle is a template of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Environment,
    /// An environment provisioned outside Proton: schema only, its values are the outputs.
    CustomerManagedEnvironment,
    Service,
    Component,
}

/// One infrastructure folder and what it renders.
#[derive(Debug, Clone)]
pub struct Infrastructure {
    pub target: Target,
    /// Bundle-relative folder (`""` for a component at the root).
    pub folder: String,
    pub manifest_path: String,
    pub method: Option<Method>,
    /// Bundle-relative IaC files, in order.
    pub files: Vec<String>,
    pub codebuild_settings: Option<serde_json::Value>,
}

/// One template version.
#[derive(Debug)]
pub struct Bundle {
    /// Folder of this bundle in the load (`""` for a single bundle).
    pub root: String,
    /// Template name (`name/vN/` → `name`; else the folder name).
    pub name: String,
    /// Major version from a `vN/` folder.
    pub major: Option<u32>,
    /// Text files, bundle-relative.
    pub files: Arc<BTreeMap<String, String>>,
    pub kind: Kind,
    pub schema: Option<Arc<Schema>>,
    pub infrastructure: Vec<Infrastructure>,
    pub registration: Option<Registration>,
    /// Static findings (structure, manifest, schema, lint), bundle-relative.
    pub diagnostics: Vec<Diagnostic>,
    /// Identifies what the bundle was analyzed from (root, files, parent folder files), so an
    /// unchanged bundle can be reused when its workspace is loaded again.
    pub source_hash: u64,
    /// Renderers by options: a keystroke re-renders without recompiling the templates.
    renderers: Mutex<Vec<(RenderOptions, Arc<Renderer>)>>,
    /// The last spec parsed for this bundle, by the hash of its path and text: an export or a
    /// fleet check renders one spec once per instance and target, and parsing a large spec each
    /// time would make that quadratic.
    last_spec: Mutex<Option<ParsedSpec>>,
    /// What single files gave the analysis, for the next analysis of this root to reuse.
    file_analyses: FileAnalyses,
}

/// A spec document as parsed, its findings, and the hash of what it was parsed from.
type ParsedSpec = (u64, Arc<schema::spec::Spec>, Vec<Diagnostic>);

/// Results of analyzing one file each. After an edit, the bundle is analyzed again and takes
/// these from its earlier analysis for every file whose text did not change: a keystroke in a
/// template neither re-parses the schema nor recompiles its validators, and re-lints only the
/// edited template (compile once, validate many).
#[derive(Debug, Default)]
struct FileAnalyses {
    /// The schema file's findings (the parsed schema is `Bundle::schema`).
    schema_diagnostics: Vec<Diagnostic>,
    /// Lint of each CloudFormation template (findings and the variables it reads), with the
    /// scope it was linted in.
    lint: BTreeMap<
        String,
        (
            crate::render::lint::Scope,
            Arc<crate::render::lint::Analysis>,
        ),
    >,
}

/// Analyzes every bundle root of a loaded tree (one bundle, or each `name/vN/` of a
/// template-sync repository). A bundle of `previous` whose files did not change is taken as it
/// is, and the others reuse what their unchanged files gave: an edit re-analyzes only the bundle
/// it touches. Returns the bundles and the layout's findings.
pub fn analyze_tree(tree: &FileTree, mut previous: Vec<Bundle>) -> (Vec<Bundle>, Vec<Diagnostic>) {
    let (roots, diagnostics) = find_roots(tree);
    let bundles = roots
        .into_iter()
        .map(|root| {
            let prefix = if root.path.is_empty() {
                String::new()
            } else {
                format!("{}/", root.path)
            };
            let files: BTreeMap<String, Vec<u8>> = tree
                .files
                .iter()
                .filter_map(|(p, b)| {
                    p.strip_prefix(&prefix)
                        .map(|rel| (rel.to_string(), b.clone()))
                })
                .collect();
            let parent_files: BTreeMap<String, Vec<u8>> = root
                .template_dir
                .as_ref()
                .map(|dir| {
                    let p = format!("{dir}/");
                    tree.files
                        .iter()
                        .filter_map(|(k, v)| {
                            k.strip_prefix(&p)
                                .filter(|r| !r.contains('/'))
                                .map(|r| (r.to_string(), v.clone()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let hash = source_hash(&root, &files, &parent_files);
            match previous.iter().position(|b| b.source_hash == hash) {
                Some(i) => previous.swap_remove(i),
                None => {
                    let earlier = previous.iter().find(|b| b.root == root.path);
                    Bundle::analyze(&root, files, &parent_files, hash, earlier)
                }
            }
        })
        .collect();
    (bundles, diagnostics)
}

/// Folders tried for a target, in order, with a note when the folder is not the standard one.
type FolderChoices = &'static [(&'static str, Option<&'static str>)];

const TEXT_LIMIT: usize = files::MAX_UNPACKED as usize;

fn source_hash(
    root: &Root,
    files: &BTreeMap<String, Vec<u8>>,
    parent_files: &BTreeMap<String, Vec<u8>>,
) -> u64 {
    let mut hasher = DefaultHasher::new();
    (&root.path, &root.name, root.major, &root.template_dir).hash(&mut hasher);
    files.hash(&mut hasher);
    parent_files.hash(&mut hasher);
    hasher.finish()
}

impl Bundle {
    /// Analyzes the files of one bundle root. `template_files` are the files of the template
    /// folder above a `vN/` (for the legacy `.compatible-envs`); `source_hash` identifies them.
    /// `earlier` is an earlier analysis of the same root, whose per-file results are reused
    /// for the files that did not change.
    fn analyze(
        root: &Root,
        raw: BTreeMap<String, Vec<u8>>,
        template_files: &BTreeMap<String, Vec<u8>>,
        source_hash: u64,
        earlier: Option<&Bundle>,
    ) -> Bundle {
        let mut diags = files::quota_diagnostics(raw.iter().map(|(p, b)| (p, b.len())));
        let mut text = BTreeMap::new();
        for (path, bytes) in raw {
            if bytes.len() > TEXT_LIMIT {
                continue;
            }
            match String::from_utf8(bytes) {
                Ok(s) => {
                    text.insert(path, s);
                }
                Err(_) if is_template_candidate(&path) => diags.push(
                    Diagnostic::error("bundle-encoding", "not UTF-8 text: it cannot be a template")
                        .in_file(path),
                ),
                Err(_) => {}
            }
        }
        let unchanged = |path: &str, source: &str| {
            earlier.filter(|b| b.files.get(path).is_some_and(|t| t == source))
        };
        let mut file_analyses = FileAnalyses::default();
        let (schema_path, schema) = match schema_path(&text, &mut diags) {
            Some(path) => {
                let source = &text[path];
                let (schema, schema_diags) = match unchanged(path, source) {
                    Some(b) => (b.schema.clone(), b.file_analyses.schema_diagnostics.clone()),
                    None => {
                        let (schema, diags) = schema::parse(source, path);
                        (schema.map(Arc::new), diags)
                    }
                };
                diags.extend(schema_diags.iter().cloned());
                file_analyses.schema_diagnostics = schema_diags;
                (Some(path.to_string()), schema)
            }
            None => (None, None),
        };
        let mut infrastructure = Vec::new();
        let has_schema_kind = |k| schema.as_deref().is_some_and(|s: &Schema| s.declares(k));
        let folder_exists = |f: &str| text.keys().any(|p| p.starts_with(&format!("{f}/")));
        let manifest_in = |f: &str| manifest_path(&text, f);
        let kind = if has_schema_kind(InputKind::Environment) {
            if manifest_in("infrastructure").is_some() || manifest_in("template").is_some() {
                Kind::Environment
            } else {
                Kind::CustomerManagedEnvironment
            }
        } else if has_schema_kind(InputKind::Service)
            || has_schema_kind(InputKind::Pipeline)
            || manifest_in("instance_infrastructure").is_some()
            || manifest_in("pipeline_infrastructure").is_some()
        {
            Kind::Service
        } else if manifest_in("infrastructure").is_some() || manifest_in("template").is_some() {
            Kind::Environment
        } else {
            Kind::Component
        };
        let candidates: &[(Target, FolderChoices)] = match kind {
            Kind::Environment => &[(
                Target::Environment,
                &[("infrastructure", None), ("template", Some("template/ is not a standard Proton folder (seen in an AWS CodeBuild sample)"))],
            )],
            Kind::CustomerManagedEnvironment => &[],
            Kind::Service => &[
                (
                    Target::ServiceInstance,
                    &[("instance_infrastructure", None), ("infrastructure", Some("pre-GA"))],
                ),
                (Target::Pipeline, &[("pipeline_infrastructure", None), ("pipeline", Some("pre-GA"))]),
            ],
            Kind::Component => &[(Target::Component, &[("", None), ("infrastructure", None)])],
        };
        for (target, folders) in candidates {
            for (folder, note) in folders.iter() {
                let Some(manifest) = manifest_in(folder) else {
                    continue;
                };
                match note {
                    Some("pre-GA") => {
                        let ga = if *target == Target::Pipeline {
                            "pipeline_infrastructure"
                        } else {
                            "instance_infrastructure"
                        };
                        diags.push(
                            Diagnostic::error("pre-ga-folder", format!("service folder `{folder}/` is a pre-GA name that Proton rejects"))
                                .in_file(manifest.clone())
                                .with_hint(format!("rename it to `{ga}/` (rendered here as if it were)")),
                        );
                    }
                    Some(message) => diags.push(
                        Diagnostic::warning("bundle-folder", *message).in_file(manifest.clone()),
                    ),
                    None => {}
                }
                if let Some(infra) =
                    read_infrastructure(*target, folder, &manifest, &text, &mut diags)
                {
                    infrastructure.push(infra);
                }
                break;
            }
        }
        let has_pipeline = infrastructure.iter().any(|i| i.target == Target::Pipeline);
        check_structure(
            kind,
            schema.as_deref(),
            schema_path.as_deref(),
            has_pipeline,
            &infrastructure,
            &text,
            &folder_exists,
            &mut diags,
        );
        let registration = registration::read(&text, template_files, kind, &mut diags);
        for infra in &infrastructure {
            if infra.method == Some(Method::CloudFormation) {
                for file in &infra.files {
                    if let Some(source) = text.get(file) {
                        let scope = scope_of(infra.target);
                        let analysis = unchanged(file, source)
                            .and_then(|b| b.file_analyses.lint.get(file))
                            .filter(|(s, _)| *s == scope)
                            .map(|(_, a)| a.clone())
                            .unwrap_or_else(|| {
                                Arc::new(crate::render::lint::analyze(source, file, scope))
                            });
                        diags.extend(analysis.diagnostics.iter().cloned());
                        file_analyses.lint.insert(file.clone(), (scope, analysis));
                    }
                }
            }
        }
        Bundle {
            root: root.path.clone(),
            name: root.name.clone(),
            major: root.major,
            files: Arc::new(text),
            kind,
            schema,
            infrastructure,
            registration,
            diagnostics: diags,
            source_hash,
            renderers: Mutex::new(Vec::new()),
            last_spec: Mutex::new(None),
            file_analyses,
        }
    }

    /// The renderer of this bundle's files for `options`, built once (it keeps the compiled
    /// templates between renders).
    pub fn renderer(&self, options: &RenderOptions) -> Arc<Renderer> {
        let mut renderers = self.renderers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, renderer)) = renderers.iter().find(|(o, _)| o == options) {
            return renderer.clone();
        }
        let renderer = Arc::new(Renderer::new(self.files.clone(), options));
        renderers.push((options.clone(), renderer.clone()));
        renderer
    }

    /// The spec document at `path` with `text`, parsed as the document this bundle takes
    /// (`expected`), and its findings; parsed once while it is the last one asked for.
    pub fn parse_spec(
        &self,
        path: &str,
        text: &str,
        expected: Option<schema::spec::SpecKind>,
    ) -> (Arc<schema::spec::Spec>, Vec<Diagnostic>) {
        let mut hasher = DefaultHasher::new();
        (path, text, expected).hash(&mut hasher);
        let key = hasher.finish();
        let mut last = self.last_spec.lock().unwrap_or_else(|e| e.into_inner());
        match last.as_ref() {
            Some((k, spec, found)) if *k == key => (spec.clone(), found.clone()),
            _ => {
                let (spec, found) = schema::spec::parse(text, path, expected, self.has_pipeline());
                let spec = Arc::new(spec);
                *last = Some((key, spec.clone(), found.clone()));
                (spec, found)
            }
        }
    }

    /// The variables each CloudFormation template reads (by bundle-relative file), from its
    /// syntax tree.
    pub fn references(
        &self,
    ) -> impl Iterator<Item = (&str, &[crate::render::lint::Reference])> + '_ {
        self.file_analyses
            .lint
            .iter()
            .map(|(file, (_, lint))| (file.as_str(), lint.references.as_slice()))
    }

    /// What the lint of a template found to check against each render's context.
    pub fn probes(&self, file: &str) -> &[crate::render::probes::Probe] {
        self.file_analyses
            .lint
            .get(file)
            .map_or(&[], |(_, lint)| lint.probes.as_slice())
    }

    pub fn infrastructure_for(&self, target: Target) -> Option<&Infrastructure> {
        self.infrastructure.iter().find(|i| i.target == target)
    }

    pub fn has_pipeline(&self) -> bool {
        self.infrastructure_for(Target::Pipeline).is_some()
    }

    /// The provisioning method of the bundle (its first infrastructure folder's).
    pub fn method(&self) -> Option<Method> {
        self.infrastructure.iter().find_map(|i| i.method)
    }

    /// The target rendered when none is asked for.
    pub fn default_target(&self) -> Target {
        match self.kind {
            Kind::Environment | Kind::CustomerManagedEnvironment => Target::Environment,
            Kind::Service => Target::ServiceInstance,
            Kind::Component => Target::Component,
        }
    }

    /// Targets this bundle can render.
    pub fn targets(&self) -> Vec<Target> {
        match self.kind {
            Kind::CustomerManagedEnvironment => vec![Target::Environment],
            _ => self.infrastructure.iter().map(|i| i.target).collect(),
        }
    }

    /// A finding of this bundle with workspace paths: its file (or, without one, the finding
    /// itself) goes under the bundle's folder (`../.compatible-envs` of `svc/v1` is
    /// `svc/.compatible-envs`), except the spec's file, which is not the bundle's. The CLI and
    /// the page both show findings this way.
    pub fn in_workspace(&self, d: Diagnostic, spec_file: Option<&str>) -> Diagnostic {
        if d.file.is_some() && d.file.as_deref() == spec_file {
            return d;
        }
        let mut d = d.under(&self.root);
        if let Some(file) = &mut d.file {
            let mut parts: Vec<&str> = Vec::new();
            for part in file.split('/') {
                match part {
                    ".." if parts.last().is_some_and(|p| *p != "..") => {
                        parts.pop();
                    }
                    _ => parts.push(part),
                }
            }
            *file = parts.join("/");
        }
        d
    }

    /// True when the bundle is laid out as in Proton's 2020 preview (a `pre-ga-*` finding): its
    /// templates likely read the preview's names, which the pre-GA compatibility mode provides.
    pub fn is_pre_ga(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.code.starts_with("pre-ga-"))
    }

    /// `name:major` label.
    pub fn label(&self) -> String {
        match self.major {
            Some(m) => format!("{}:{m}", self.name),
            None => self.name.clone(),
        }
    }
}

pub fn scope_of(target: Target) -> crate::render::lint::Scope {
    use crate::render::lint::Scope;
    match target {
        Target::Environment => Scope::Environment,
        Target::ServiceInstance => Scope::ServiceInstance,
        Target::Pipeline => Scope::Pipeline,
        Target::Component => Scope::Component,
    }
}

fn is_template_candidate(path: &str) -> bool {
    path.ends_with(".yaml")
        || path.ends_with(".yml")
        || path.ends_with(".json")
        || path.ends_with(".tf")
}

/// The schema file's path (`schema/schema.yaml`, else `schema/schema.yml` with a warning).
fn schema_path(
    text: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'static str> {
    if text.contains_key("schema/schema.yaml") {
        Some("schema/schema.yaml")
    } else if text.contains_key("schema/schema.yml") {
        diags.push(
            Diagnostic::warning("bundle-yml", "Proton looks for schema/schema.yaml")
                .in_file("schema/schema.yml"),
        );
        Some("schema/schema.yml")
    } else {
        None
    }
}

/// `folder/manifest.yaml` (or `.yml`) when present.
fn manifest_path(text: &BTreeMap<String, String>, folder: &str) -> Option<String> {
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    ["manifest.yaml", "manifest.yml"]
        .iter()
        .map(|n| format!("{prefix}{n}"))
        .find(|p| text.contains_key(p))
}

fn read_infrastructure(
    target: Target,
    folder: &str,
    manifest_path: &str,
    text: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Infrastructure> {
    if manifest_path.ends_with(".yml") {
        diags.push(
            Diagnostic::warning("bundle-yml", "Proton looks for manifest.yaml")
                .in_file(manifest_path),
        );
    }
    let (manifest, manifest_diags) = manifest::parse(&text[manifest_path], manifest_path);
    diags.extend(manifest_diags);
    let manifest = manifest?;
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let siblings: Vec<&String> = text
        .keys()
        .filter(|p| {
            p.strip_prefix(&prefix).is_some_and(|r| !r.contains('/')) && p.as_str() != manifest_path
        })
        .collect();
    let mut files = Vec::new();
    for entry in &manifest.files {
        if manifest::is_glob(entry) {
            let mut matched: Vec<String> = siblings
                .iter()
                .filter(|p| {
                    let name = &p[prefix.len()..];
                    manifest::glob_match(entry, name)
                        && (manifest.method != Some(Method::Terraform) || name.ends_with(".tf"))
                })
                .map(|p| p.to_string())
                .collect();
            matched.sort();
            if matched.is_empty() {
                diags.push(
                    Diagnostic::error(
                        "manifest-file",
                        format!("manifest lists {entry}, which matches no file"),
                    )
                    .in_file(manifest_path),
                );
            }
            files.extend(matched);
        } else {
            let path = format!("{prefix}{entry}");
            if text.contains_key(&path) {
                files.push(path);
            } else {
                diags.push(
                    Diagnostic::error(
                        "manifest-file",
                        format!("manifest lists {path}, which is missing"),
                    )
                    .in_file(manifest_path),
                );
            }
        }
    }
    if target == Target::Component {
        let manifest_len = text[manifest_path].chars().count();
        if manifest_len > 1024 {
            diags.push(
                Diagnostic::error(
                    "component-size",
                    "a component manifest is limited to 1024 characters",
                )
                .in_file(manifest_path),
            );
        }
        for f in &files {
            if text[f].chars().count() > 51200 {
                diags.push(
                    Diagnostic::error(
                        "component-size",
                        "a component template file is limited to 51200 characters",
                    )
                    .in_file(f.as_str()),
                );
            }
        }
        if manifest.method == Some(Method::CodeBuild) {
            diags.push(
                Diagnostic::error(
                    "component-method",
                    "components are CloudFormation or Terraform, not CodeBuild",
                )
                .in_file(manifest_path),
            );
        }
    }
    Some(Infrastructure {
        target,
        folder: folder.to_string(),
        manifest_path: manifest_path.to_string(),
        method: manifest.method,
        files,
        codebuild_settings: manifest.codebuild_settings,
    })
}

#[allow(clippy::too_many_arguments)]
fn check_structure(
    kind: Kind,
    schema: Option<&Schema>,
    schema_path: Option<&str>,
    has_pipeline: bool,
    infrastructure: &[Infrastructure],
    text: &BTreeMap<String, String>,
    folder_exists: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let schema_file = schema_path.unwrap_or("schema/schema.yaml");
    match kind {
        Kind::Service => {
            let declares_pipeline = schema.is_some_and(|s| s.declares(InputKind::Pipeline));
            if declares_pipeline && !has_pipeline {
                diags.push(
                    Diagnostic::error(
                        "schema-pipeline",
                        "pipeline_input_type is set but there is no pipeline_infrastructure/",
                    )
                    .in_file(schema_file),
                );
            }
            if has_pipeline && schema.is_some() && !declares_pipeline {
                diags.push(
                    Diagnostic::error(
                        "schema-pipeline",
                        "pipeline_infrastructure/ exists but the schema has no pipeline_input_type",
                    )
                    .in_file(schema_file),
                );
            }
            if schema.is_none() {
                diags.push(Diagnostic::error(
                    "bundle-schema",
                    "a service template needs schema/schema.yaml",
                ));
            }
            if let Some(svc) = schema.and_then(|s| s.service.as_ref()) {
                if svc.properties.is_empty() {
                    diags.push(
                        Diagnostic::warning(
                            "schema-empty",
                            format!("service input type {} has no inputs", svc.name),
                        )
                        .in_file(schema_file)
                        .with_hint("users report Proton rejects service schemas without inputs"),
                    );
                }
            }
            if infrastructure
                .iter()
                .all(|i| i.target != Target::ServiceInstance)
            {
                diags.push(Diagnostic::error(
                    "bundle-structure",
                    "a service template needs instance_infrastructure/manifest.yaml",
                ));
            }
        }
        Kind::Environment => {
            if schema.is_none() {
                diags.push(Diagnostic::error(
                    "bundle-schema",
                    "an environment template needs schema/schema.yaml",
                ));
            }
        }
        Kind::CustomerManagedEnvironment => {
            if folder_exists("infrastructure") {
                diags.push(
                    Diagnostic::error("bundle-structure", "infrastructure/ has no manifest.yaml")
                        .with_hint("a customer-managed environment template holds schema/ only; a standard one needs infrastructure/manifest.yaml"),
                );
            }
            if let Some(env) = schema.and_then(|s| s.environment.as_ref()) {
                for p in &env.properties {
                    if p.schema.get("type").and_then(|t| t.as_str()) != Some("string") {
                        diags.push(
                            Diagnostic::error("schema-customer-managed", format!("`{}` must be type: string in a customer-managed environment", p.name))
                                .in_file(schema_file)
                                .at(p.pos.line, p.pos.column)
                                .with_hint("its values are the outputs of the stack provisioned outside Proton"),
                        );
                    }
                }
            }
        }
        Kind::Component => {
            if infrastructure.is_empty() {
                let message = if text.is_empty() {
                    "the bundle is empty"
                } else {
                    "no bundle found: expected schema/schema.yaml with infrastructure/, instance_infrastructure/ or a component manifest.yaml"
                };
                diags.push(Diagnostic::error("bundle-structure", message));
            }
        }
    }
}
