//! What spans templates: the workspace of analyzed bundles a load gives, and what is computed
//! across them: the outputs environments declare, version comparison, repository checks, the
//! upgrade check, the migration export, the page's summary and the suggestions (plausible mocks,
//! placeholder specs) they share.

pub mod check;
pub mod declared_outputs;
pub mod export;
pub mod fleet;
pub mod repository;
pub mod suggestions;
pub mod summary;
pub mod versions;

use crate::bundle::{self, files, Bundle, FileTree, Kind};
use crate::diagnostic::Diagnostic;
use declared_outputs::Declared;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;

/// Everything one load holds.
#[derive(Debug)]
pub struct Workspace {
    pub bundles: Vec<Bundle>,
    /// Findings about the load itself (archive, paths, layout).
    pub diagnostics: Vec<Diagnostic>,
    /// True for a template-sync repository with several template versions.
    pub repository: bool,
    /// Spec documents the load holds beside its templates (`specs/prod.yaml`), by path.
    pub spec_files: Vec<String>,
    /// Outputs each environment bundle declares, by the bundle's source hash.
    declared: Mutex<HashMap<u64, Declared>>,
}

impl Workspace {
    /// Loads a folder, `.tar.gz`/`.tgz` or `.zip` from disk.
    pub fn load_path(path: &Path) -> Result<Workspace, String> {
        let (tree, diags) = files::load_path(path)?;
        let mut workspace = Workspace::from_tree(tree, diags);
        // A bundle loaded on its own is named after its folder or archive, and a `name/vN`
        // folder after `name`, with major N.
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let last = canonical
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("bundle");
        workspace.name_after(last);
        if let [bundle] = workspace.bundles.as_mut_slice() {
            let parent = canonical
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str());
            let major = last.strip_prefix('v').and_then(|d| d.parse::<u32>().ok());
            if let (true, Some(major), Some(parent)) = (bundle.root.is_empty(), major, parent) {
                bundle.name = parent.to_string();
                bundle.major = Some(major);
            }
        }
        Ok(workspace)
    }

    /// Loads several folders or archives as one workspace (each as [`Workspace::load_path`]
    /// does); a bundle at the top of its load is placed under the load's name, so every bundle
    /// keeps a root of its own.
    pub fn load_paths(paths: &[std::path::PathBuf]) -> Result<Workspace, String> {
        if let [path] = paths {
            return Workspace::load_path(path);
        }
        let mut combined = Workspace::from_tree(FileTree::new(), Vec::new());
        for path in paths {
            let loaded = Workspace::load_path(path)?;
            let place = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("bundle")
                .to_string();
            combined.diagnostics.extend(loaded.diagnostics);
            for mut bundle in loaded.bundles {
                let mut root = if bundle.root.is_empty() {
                    place.clone()
                } else {
                    bundle.root.clone()
                };
                let base = root.clone();
                let mut n = 2;
                while combined.bundles.iter().any(|b| b.root == root) {
                    root = format!("{base}-{n}");
                    n += 1;
                }
                bundle.root = root;
                combined.bundles.push(bundle);
            }
        }
        combined.repository = combined.bundles.len() > 1;
        Ok(combined)
    }

    /// Names a lone bundle that has no name of its own (the load's root, or a lone `vN/` folder
    /// at the top of an archive) after what was loaded: `x.tgz` → `x`, keeping its major.
    pub fn name_after(&mut self, source: &str) {
        let [bundle] = self.bundles.as_mut_slice() else {
            return;
        };
        let unnamed =
            bundle.root.is_empty() || (bundle.name == bundle.root && bundle.major.is_some());
        let file = source.rsplit(['/', '\\']).next().unwrap_or(source);
        let stem = [".tar.gz", ".tgz", ".zip"]
            .iter()
            .find_map(|ext| file.strip_suffix(ext))
            .unwrap_or(file);
        if unnamed && !stem.is_empty() {
            bundle.name = stem.to_string();
        }
    }

    /// Loads an archive from memory.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Workspace {
        let (tree, diags) = files::load_bytes(name, bytes);
        let mut workspace = Workspace::from_tree(tree, diags);
        workspace.name_after(name);
        workspace
    }

    /// Analyzes loaded files.
    pub fn from_tree(tree: FileTree, diagnostics: Vec<Diagnostic>) -> Workspace {
        Workspace::reanalyze(None, tree, diagnostics)
    }

    /// Like [`Workspace::from_tree`], taking each bundle whose files did not change from
    /// `previous` (with the outputs it declares) instead of analyzing it again: an edit
    /// re-analyzes only the bundle it touches.
    pub fn reanalyze(
        previous: Option<Workspace>,
        tree: FileTree,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Workspace {
        let (bundles, declared) = match previous {
            Some(ws) => (
                ws.bundles,
                ws.declared.into_inner().unwrap_or_else(|e| e.into_inner()),
            ),
            None => Default::default(),
        };
        let (bundles, layout) = bundle::analyze_tree(&tree, bundles);
        diagnostics.extend(layout);
        let declared = bundles
            .iter()
            .filter_map(|b| Some((b.source_hash, declared.get(&b.source_hash)?.clone())))
            .collect();
        let spec_files = tree
            .files
            .iter()
            .filter(|(path, _)| {
                [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|ext| path.to_ascii_lowercase().ends_with(ext))
            })
            .filter(|(_, bytes)| {
                std::str::from_utf8(bytes).is_ok_and(crate::schema::spec::is_spec_document)
            })
            .map(|(path, _)| path.clone())
            .collect();
        Workspace {
            repository: bundles.len() > 1,
            spec_files,
            bundles,
            diagnostics,
            declared: Mutex::new(declared),
        }
    }

    /// The outputs an environment bundle of this workspace declares, computed once per version
    /// of its files (they need a render).
    pub fn declared_outputs(&self, env: &Bundle) -> Declared {
        let mut cache = self.declared.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(env.source_hash)
            .or_insert_with(|| declared_outputs::of(env))
            .clone()
    }

    /// The loaded environment template versions a service is registered for.
    pub fn compatible_environments(&self, service: &Bundle) -> Vec<&Bundle> {
        let Some(reg) = &service.registration else {
            return Vec::new();
        };
        self.bundles
            .iter()
            .filter(|b| matches!(b.kind, Kind::Environment | Kind::CustomerManagedEnvironment))
            .filter(|b| {
                reg.compatible_environments
                    .iter()
                    .any(|(name, major)| &b.name == name && b.major == Some(*major))
            })
            .collect()
    }

    /// Every file of every bundle under its workspace path (what findings quote).
    pub fn sources(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        for bundle in &self.bundles {
            for (path, text) in bundle.files.iter() {
                let key = if bundle.root.is_empty() {
                    path.clone()
                } else {
                    format!("{}/{path}", bundle.root)
                };
                map.insert(key, text.clone());
            }
        }
        map
    }

    /// Every diagnostic with repository-relative paths.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = self.diagnostics.clone();
        for b in &self.bundles {
            out.extend(
                b.diagnostics
                    .iter()
                    .cloned()
                    .map(|d| b.in_workspace(d, None)),
            );
        }
        out
    }

    /// The bundle named `name` (optionally `name:major` or a root path), else the first.
    pub fn select(&self, selector: Option<&str>) -> Option<&Bundle> {
        match selector {
            None => self.bundles.first(),
            Some(sel) => self.bundles.iter().find(|b| {
                b.root == sel
                    || b.name == sel
                    || b.major.is_some_and(|m| {
                        format!("{}:{m}", b.name) == sel || format!("{}/v{m}", b.name) == sel
                    })
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const MANIFEST: &str = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";

    /// A repository of an environment (with `env_template`) and a component.
    fn repository(env_template: &str) -> FileTree {
        let files = [
            ("env/v1/schema/schema.yaml", "schema:\n  format:\n    openapi: 3.0.0\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties: {}\n"),
            ("env/v1/infrastructure/manifest.yaml", MANIFEST),
            ("env/v1/infrastructure/cloudformation.yaml", env_template),
            ("component/v1/manifest.yaml", MANIFEST),
            ("component/v1/cloudformation.yaml", "Resources: {}\n"),
        ];
        FileTree::from_texts(files).0
    }

    #[test]
    fn spec_documents_beside_the_templates_are_listed() {
        let mut tree = repository("Resources: {}\n");
        for (path, text) in [
            (
                "env/spec/spec.yaml",
                "# prod\nproton: EnvironmentSpec\nspec:\n  a: 1\n",
            ),
            (
                "specs/svc.json",
                "{\"proton\": \"ServiceSpec\", \"instances\": []}",
            ),
            ("notes/other.yaml", "proton: Something\n"),
            ("specs/readme.md", "proton: EnvironmentSpec\n"),
        ] {
            tree.files.insert(path.into(), text.as_bytes().to_vec());
        }
        let ws = Workspace::from_tree(tree, Vec::new());
        assert_eq!(ws.spec_files, ["env/spec/spec.yaml", "specs/svc.json"]);
    }

    #[test]
    fn a_lone_version_folder_is_named_after_its_archive() {
        let tree = FileTree::from_texts([
            ("v1/schema/schema.yaml", "schema:\n  format:\n    openapi: 3.0.0\n  environment_input_type: T\n  types:\n    T:\n      type: object\n      properties: {}\n"),
            ("v1/infrastructure/manifest.yaml", MANIFEST),
            ("v1/infrastructure/cloudformation.yaml", "Resources: {}\n"),
        ])
        .0;
        let mut ws = Workspace::from_tree(tree, Vec::new());
        assert_eq!(ws.bundles[0].label(), "v1:1");
        ws.name_after("uploads/my-env.tgz");
        assert_eq!(ws.bundles[0].label(), "my-env:1");
        // A bundle with a name of its own keeps it.
        ws.name_after("other.zip");
        assert_eq!(ws.bundles[0].label(), "my-env:1");
    }

    #[test]
    fn an_edit_reanalyzes_only_the_bundle_it_touches() {
        let first = Workspace::from_tree(repository("Resources: {}\n"), Vec::new());
        let files_of = |ws: &Workspace, root: &str| {
            Arc::as_ptr(&ws.bundles.iter().find(|b| b.root == root).unwrap().files)
        };
        let (env, component) = (files_of(&first, "env/v1"), files_of(&first, "component/v1"));
        let edited = repository("Resources: {}\nOutputs: {}\n");
        let second = Workspace::reanalyze(Some(first), edited, Vec::new());
        assert_eq!(second.bundles.len(), 2);
        assert_eq!(files_of(&second, "component/v1"), component, "reused");
        assert_ne!(files_of(&second, "env/v1"), env, "analyzed again");
        let env = second.bundles.iter().find(|b| b.root == "env/v1").unwrap();
        assert!(env.files["infrastructure/cloudformation.yaml"].contains("Outputs"));
    }

    #[test]
    fn a_reanalysis_reuses_what_unchanged_files_gave() {
        // A lint finding in the template and a schema finding, so both are carried over.
        let schema = "schema:\n  format:\n    openapi: 3.0.0\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      required: [missing]\n      properties:\n        port: { type: number, default: 80 }\n";
        let tree = |template: &str| {
            FileTree::from_texts([
                ("schema/schema.yaml", schema),
                ("infrastructure/manifest.yaml", MANIFEST),
                ("infrastructure/cloudformation.yaml", template),
            ])
            .0
        };
        let template = "Resources: {}\n# {{ service.name }}\n";
        let first = Workspace::from_tree(tree(template), Vec::new());
        let schema_of = |ws: &Workspace| ws.bundles[0].schema.clone().unwrap();
        let first_schema = schema_of(&first);

        let edited = format!("{template}# an edit\n");
        let second = Workspace::reanalyze(Some(first), tree(&edited), Vec::new());
        assert!(
            Arc::ptr_eq(&schema_of(&second), &first_schema),
            "schema reused"
        );
        let fresh = Workspace::from_tree(tree(&edited), Vec::new());
        let codes = |ws: &Workspace| {
            let mut codes: Vec<String> = ws.bundles[0]
                .diagnostics
                .iter()
                .map(|d| format!("{d}"))
                .collect();
            codes.sort();
            codes
        };
        assert_eq!(
            codes(&second),
            codes(&fresh),
            "same findings as a fresh analysis"
        );
        assert!(
            codes(&fresh).iter().any(|c| c.contains("missing")),
            "{:?}",
            codes(&fresh)
        );
        assert!(
            codes(&fresh).iter().any(|c| c.contains("service")),
            "{:?}",
            codes(&fresh)
        );

        let changed_schema = schema.replace("80", "81");
        let third = Workspace::reanalyze(
            Some(second),
            FileTree::from_texts([
                ("schema/schema.yaml", changed_schema.as_str()),
                ("infrastructure/manifest.yaml", MANIFEST),
                ("infrastructure/cloudformation.yaml", edited.as_str()),
            ])
            .0,
            Vec::new(),
        );
        assert!(
            !Arc::ptr_eq(&schema_of(&third), &first_schema),
            "schema parsed again"
        );
    }
}
