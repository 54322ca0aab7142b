//! Where the bundles of a load are: the root itself, a wrapper folder, or the `name/vN/` folders
//! of a template-sync repository (docs/proton-semantics.md §2.4, §2.5).

use super::FileTree;
use crate::diagnostic::Diagnostic;
use std::collections::BTreeSet;

/// A bundle root found in a load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// Folder in the load (`""`: the load itself).
    pub path: String,
    pub name: String,
    pub major: Option<u32>,
    /// The `name/` folder above a `vN/` root.
    pub template_dir: Option<String>,
}

const INFRA_FOLDERS: [&str; 5] = [
    "infrastructure",
    "instance_infrastructure",
    "pipeline_infrastructure",
    "template",
    "pipeline",
];

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

/// Whether `dir` holds a bundle (§2.2): a schema, an infrastructure folder with a manifest, or a
/// component manifest.
pub fn is_bundle_root(tree: &FileTree, dir: &str) -> bool {
    let has = |rel: &str| tree.files.contains_key(&join(dir, rel));
    has("schema/schema.yaml")
        || has("schema/schema.yml")
        || has("manifest.yaml")
        || has("manifest.yml")
        || INFRA_FOLDERS
            .iter()
            .any(|f| has(&format!("{f}/manifest.yaml")) || has(&format!("{f}/manifest.yml")))
}

/// The one note that the load was read from inside `base` (a bundle's own folder, or a
/// repository's top folder).
fn wrapper_read(base: &str, bundle: bool) -> Diagnostic {
    if bundle {
        Diagnostic::info("bundle-wrapper", format!("read the bundle from the archive's folder `{base}/`"))
            .with_hint("Proton read a bundle's folders at the top of its archive: `tar czf bundle.tar.gz -C <folder> .` packs it so")
    } else {
        Diagnostic::info(
            "bundle-wrapper",
            format!("read the repository from the archive's top folder `{base}/` (as GitHub packs a repository)"),
        )
    }
}

/// Finds the bundle roots of a load, descending through wrapper folders.
pub fn find_roots(tree: &FileTree) -> (Vec<Root>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut base = String::new();
    loop {
        if is_bundle_root(tree, &base) {
            let name = base
                .rsplit('/')
                .next()
                .filter(|s| !s.is_empty())
                .unwrap_or("bundle");
            let (template_name, major, template_dir) = version_of(&base, &mut diags);
            let name = template_name.unwrap_or_else(|| name.to_string());
            if !base.is_empty() {
                diags.push(wrapper_read(&base, true));
            }
            return (
                vec![Root {
                    path: base,
                    name,
                    major,
                    template_dir,
                }],
                diags,
            );
        }
        let prefix = if base.is_empty() {
            String::new()
        } else {
            format!("{base}/")
        };
        let tops: BTreeSet<&str> = tree
            .files
            .keys()
            .filter_map(|p| p.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest))
            .collect();
        let single_folder = tops.len() == 1
            && tree
                .files
                .keys()
                .filter_map(|p| p.strip_prefix(&prefix))
                .all(|rest| rest.contains('/'));
        if !single_folder {
            break;
        }
        let top = tops.into_iter().next().unwrap_or_default().to_string();
        base = join(&base, &top);
    }
    // Several candidates: every outermost bundle root below `base`.
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    let prefix = if base.is_empty() {
        String::new()
    } else {
        format!("{base}/")
    };
    for path in tree.files.keys().filter(|p| p.starts_with(&prefix)) {
        let mut dir = path.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            dirs.insert(parent.to_string());
            dir = parent;
        }
    }
    let mut by_depth: Vec<String> = dirs.into_iter().filter(|d| d.len() > base.len()).collect();
    by_depth.sort_by_key(|d| (d.matches('/').count(), d.clone()));
    let mut roots: Vec<Root> = Vec::new();
    for dir in by_depth {
        if roots
            .iter()
            .any(|r| dir.starts_with(&format!("{}/", r.path)))
        {
            continue;
        }
        if dir.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        if is_bundle_root(tree, &dir) {
            let (name, major, template_dir) = version_of(&dir, &mut diags);
            let name = name.unwrap_or_else(|| dir.rsplit('/').next().unwrap_or(&dir).to_string());
            roots.push(Root {
                path: dir,
                name,
                major,
                template_dir,
            });
        }
    }
    roots.sort_by(|a, b| {
        (a.name.as_str(), a.major, a.path.as_str()).cmp(&(
            b.name.as_str(),
            b.major,
            b.path.as_str(),
        ))
    });
    // Said once, as info: `tar czf b.tgz v1` (how many READMEs package a bundle) and GitHub's
    // `repo-main/` are packaging, not a problem of the bundle.
    if !base.is_empty() && !roots.is_empty() {
        diags.push(wrapper_read(&base, false));
    }
    if roots.is_empty() && !tree.files.is_empty() {
        diags.push(
            Diagnostic::error("bundle-structure", "no bundle found: expected schema/schema.yaml with infrastructure/ or instance_infrastructure/, or a component manifest.yaml")
                .with_hint("point at the bundle folder (the one holding schema/) or at a template-sync repository"),
        );
    } else if roots.is_empty() {
        diags.push(Diagnostic::error("bundle-structure", "the bundle is empty"));
    }
    (roots, diags)
}

/// `name/vN` → (`name`, N, `name` folder); warns on `V1`, `1`, `v01`.
fn version_of(
    dir: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Option<String>, Option<u32>, Option<String>) {
    let Some((parent, last)) = dir.rsplit_once('/').or(Some(("", dir))) else {
        return (None, None, None);
    };
    let digits = last.trim_start_matches(['v', 'V']);
    if digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit())
        || parent.is_empty() && last == dir && !last.starts_with(['v', 'V'])
    {
        return (None, None, None);
    }
    let Ok(major) = digits.parse::<u32>() else {
        return (None, None, None);
    };
    let exact = last.starts_with('v') && !digits.starts_with('0') && major >= 1;
    if !exact {
        diags.push(
            Diagnostic::warning(
                "repo-version-folder",
                format!("version folder `{last}` should be written v{major}"),
            )
            .in_file(dir)
            .with_hint("template sync reads folders named v1, v2, …"),
        );
    }
    let name = parent
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .map(String::from);
    let template_dir = (!parent.is_empty()).then(|| parent.to_string());
    (name, Some(major), template_dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn tree(paths: &[&str]) -> FileTree {
        let mut t = FileTree::new();
        for p in paths {
            t.files.insert(p.to_string(), b"x: 1".to_vec());
        }
        t
    }

    #[test]
    fn single_bundle_and_wrapper() {
        let (roots, d) = find_roots(&tree(&[
            "schema/schema.yaml",
            "infrastructure/manifest.yaml",
        ]));
        assert_eq!(roots[0].path, "");
        assert!(d.is_empty());
        let (roots, d) = find_roots(&tree(&[
            "wrap/schema/schema.yaml",
            "wrap/infrastructure/manifest.yaml",
        ]));
        assert_eq!(roots[0].path, "wrap");
        assert_eq!(roots[0].name, "wrap");
        assert_eq!(d[0].code, "bundle-wrapper");
        // Packaging, said once as info, however deep the folders.
        assert_eq!(d[0].severity, Severity::Info);
        let (roots, d) = find_roots(&tree(&[
            "a/b/schema/schema.yaml",
            "a/b/infrastructure/manifest.yaml",
        ]));
        assert_eq!(roots[0].path, "a/b");
        assert_eq!(d.iter().filter(|d| d.code == "bundle-wrapper").count(), 1);
    }

    #[test]
    fn a_repository_in_one_top_folder_is_packaging_not_a_warning() {
        let (roots, d) = find_roots(&tree(&[
            "repo-main/README.md",
            "repo-main/env/v1/schema/schema.yaml",
            "repo-main/env/v1/infrastructure/manifest.yaml",
            "repo-main/svc/v1/schema/schema.yaml",
            "repo-main/svc/v1/instance_infrastructure/manifest.yaml",
        ]));
        assert_eq!(roots.len(), 2);
        assert_eq!((roots[0].name.as_str(), roots[0].major), ("env", Some(1)));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, crate::diagnostic::Severity::Info);
        assert!(d[0].message.contains("`repo-main/`"), "{}", d[0].message);
    }

    #[test]
    fn template_sync_repository() {
        let (roots, d) = find_roots(&tree(&[
            "README.md",
            "env/v1/schema/schema.yaml",
            "env/v1/infrastructure/manifest.yaml",
            "env/v2/schema/schema.yaml",
            "svc/V1/schema/schema.yaml",
            "svc/V1/instance_infrastructure/manifest.yaml",
            "comp/manifest.yaml",
        ]));
        let labels: Vec<_> = roots.iter().map(|r| (r.name.as_str(), r.major)).collect();
        assert_eq!(
            labels,
            [
                ("comp", None),
                ("env", Some(1)),
                ("env", Some(2)),
                ("svc", Some(1))
            ]
        );
        assert_eq!(d[0].code, "repo-version-folder");
    }
}
