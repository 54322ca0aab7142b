//! The module graph of `src/` (docs/architecture.md, "Layers"): every module uses only modules
//! below it in the declared order, and nothing makes a cycle.
//!
//! Every `crate::…` and `super::…` path in a source file (use declarations, `{…}` groups and
//! paths written inline) is an arrow from the file's module to the module that path names. A
//! folder's `mod.rs` and the files inside it may name each other (the folder's face re-exports
//! them and they use the types it defines), so arrows between a module and its ancestors do not
//! count; any other cycle fails this test with the arrows that make it. Unit tests (`mod tests`
//! blocks and `tests.rs` files) and `lib.rs` (the crate's face) are left out, and so is `cli/`
//! (the CLI is its own crate over the library's public API).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where one module names another: the file and line of the path.
#[derive(Debug, Clone)]
struct Arrow {
    file: String,
    line: usize,
}

type Graph = BTreeMap<String, BTreeMap<String, Arrow>>;

#[test]
fn src_has_no_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&src);
    assert!(graph.len() > 20, "the module graph reads src/: {graph:?}");
    let cycles: Vec<Vec<String>> = strongly_connected(&graph)
        .into_iter()
        .filter(|c| c.len() > 1)
        .collect();
    let explain = |cycle: &Vec<String>| {
        let members: BTreeSet<&String> = cycle.iter().collect();
        let mut lines = vec![format!("cycle through {}:", cycle.join(", "))];
        for from in cycle {
            for (to, arrow) in &graph[from] {
                if members.contains(to) {
                    lines.push(format!("  {from} → {to} ({}:{})", arrow.file, arrow.line));
                }
            }
        }
        lines.join("\n")
    };
    let report: Vec<String> = cycles.iter().map(explain).collect();
    assert!(cycles.is_empty(), "{}", report.join("\n"));
}

/// The top-level modules of `src/`, bottom up: each may use only those of lower layers (and its
/// own files). Names on one layer do not use each other.
const LAYERS: &[&[&str]] = &[
    &["diagnostic"],
    // Python's text and Jinja2's rendering rules: the YAML reader prints scalars with them.
    &["render"],
    &["yaml"],
    &["schema", "context"],
    &["bundle"],
    &["checks"],
    &["report"],
    &["workspace"],
    &["assist", "migrate"],
    // Adoption reads deployed stacks back and hands the proven ones to the migration.
    &["adopt"],
    // The owner of a session's state; the fuzz targets' entry points.
    &["engine", "fuzzing"],
    // The page's face.
    &["wasm"],
];

/// Every arrow that goes up or across the declared layers, as `from → to (file:line)`.
fn uses_against_the_layers(graph: &Graph) -> Vec<String> {
    let layer_of = |module: &str| {
        let top = module.split("::").nth(1)?;
        LAYERS.iter().position(|layer| layer.contains(&top))
    };
    let mut wrong = Vec::new();
    for (from, arrows) in graph {
        let Some(from_layer) = layer_of(from) else {
            wrong.push(format!("{from} is on no layer: add it to LAYERS"));
            continue;
        };
        for (to, arrow) in arrows {
            let same_module = from.split("::").nth(1) == to.split("::").nth(1);
            match layer_of(to) {
                Some(to_layer) if to_layer < from_layer || same_module => {}
                _ => wrong.push(format!("{from} → {to} ({}:{})", arrow.file, arrow.line)),
            }
        }
    }
    wrong
}

#[test]
fn src_uses_only_modules_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let wrong = uses_against_the_layers(&module_graph(&src));
    assert!(
        wrong.is_empty(),
        "uses that go up or across the layers of docs/architecture.md:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_a_use_going_up() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("render")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod render;\npub mod report;\n").unwrap();
    std::fs::write(src.join("render/mod.rs"), "pub mod budget;\n").unwrap();
    // Down (report → render) is fine; up (render::budget → report) is not, nor across.
    std::fs::write(src.join("render/budget.rs"), "use crate::report::run;\n").unwrap();
    std::fs::write(src.join("report.rs"), "use crate::render::budget;\n").unwrap();
    let wrong = uses_against_the_layers(&module_graph(src));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(
        wrong[0].starts_with("crate::render::budget → crate::report (src/render/budget.rs:1)"),
        "{wrong:?}"
    );
    std::fs::write(src.join("report.rs"), "use crate::assist::x;\n").unwrap();
    std::fs::create_dir_all(src.join("assist")).unwrap();
    std::fs::write(src.join("assist/mod.rs"), "use crate::migrate::y;\n").unwrap();
    std::fs::write(src.join("migrate.rs"), "").unwrap();
    let wrong = uses_against_the_layers(&module_graph(src));
    assert!(
        wrong
            .iter()
            .any(|w| w.starts_with("crate::assist → crate::migrate")),
        "{wrong:?}"
    );
}

#[test]
fn the_check_sees_a_cycle() {
    // Two sibling modules that use each other, one of them through a `{…}` group.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod a;\npub mod b;\n").unwrap();
    std::fs::write(src.join("a/mod.rs"), "pub mod x;\npub mod y;\n").unwrap();
    std::fs::write(src.join("a/x.rs"), "use super::y::f;\n").unwrap();
    std::fs::write(
        src.join("a/y.rs"),
        "use crate::{b::g, a::x::{self, h}};\n#[cfg(test)]\nmod tests {\n    use crate::b;\n}\n",
    )
    .unwrap();
    std::fs::write(
        src.join("b.rs"),
        "// crate::a::x is only a comment\nfn f() {}\n",
    )
    .unwrap();
    let graph = module_graph(src);
    assert!(graph["crate::a::x"].contains_key("crate::a::y"));
    assert!(graph["crate::a::y"].contains_key("crate::a::x"));
    assert!(graph["crate::a::y"].contains_key("crate::b"));
    assert!(graph["crate::b"].is_empty(), "comments are not imports");
    let cycles: Vec<_> = strongly_connected(&graph)
        .into_iter()
        .filter(|c| c.len() > 1)
        .collect();
    assert_eq!(
        cycles,
        [vec!["crate::a::x".to_string(), "crate::a::y".to_string()]]
    );
}

fn module_graph(src: &Path) -> Graph {
    let files = rust_files(src);
    let modules: BTreeMap<String, PathBuf> = files
        .iter()
        .filter_map(|f| Some((module_of(src, f)?, f.clone())))
        .collect();
    // What lib.rs re-exports (`pub use report::{run, Report}`): name → module.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap_or_default();
    let mut reexports = BTreeMap::new();
    for line in lib.lines() {
        if let Some(rest) = line.strip_prefix("pub use ") {
            for path in expand(&format!("crate::{rest}")).0 {
                let name = path.rsplit("::").next().unwrap_or_default().to_string();
                if let Some(module) = resolve("crate", &path, &modules) {
                    reexports.insert(name, module);
                }
            }
        }
    }
    let mut graph = Graph::new();
    for (module, file) in &modules {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "lib.rs" | "tests.rs") {
            continue;
        }
        let arrows = graph.entry(module.clone()).or_default();
        let text = std::fs::read_to_string(file).unwrap();
        let shown = file.strip_prefix(src).unwrap().display().to_string();
        for (line, path) in paths_in(&without_unit_tests(&text)) {
            let Some(mut target) = resolve(module, &path, &modules) else {
                continue;
            };
            // `crate::Report` names what lib.rs re-exports.
            if target == "crate" {
                let name = path.split("::").nth(1).unwrap_or_default();
                match reexports.get(name) {
                    Some(actual) => target = actual.clone(),
                    None => continue,
                }
            }
            let related = target == *module
                || module.starts_with(&format!("{target}::"))
                || target.starts_with(&format!("{module}::"));
            if !related {
                arrows.entry(target).or_insert(Arrow {
                    file: format!("src/{shown}"),
                    line,
                });
            }
        }
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "cli") {
                continue;
            }
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// `src/a/b.rs` and `src/a/b/mod.rs` → `crate::a::b`; `src/lib.rs` → `crate`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?.with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    Some(
        std::iter::once("crate".to_string())
            .chain(parts)
            .collect::<Vec<_>>()
            .join("::"),
    )
}

/// The text before a trailing `#[cfg(test)] mod tests {…}` block.
fn without_unit_tests(text: &str) -> String {
    match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => text[..at].to_string(),
        None => text.to_string(),
    }
}

/// Every `crate::…`/`super::…` path with its 1-based line, `{…}` groups expanded; comments
/// skipped.
fn paths_in(text: &str) -> Vec<(usize, String)> {
    let code: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let starts_word = i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != b':';
        if starts_word && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let line = code[..i].matches('\n').count() + 1;
            let (paths, len) = expand(rest);
            out.extend(paths.into_iter().map(|p| (line, p)));
            i += len.max(1);
        } else {
            i += 1;
        }
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Reads one path at the start of `text` (`a::b::{c, d::e}`), returning the full paths it
/// names and the bytes it took.
fn expand(text: &str) -> (Vec<String>, usize) {
    let bytes = text.as_bytes();
    let mut prefix = String::new();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        prefix.push_str(&text[start..i]);
        if text[i..].starts_with("::") {
            i += 2;
            prefix.push_str("::");
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'{' {
                let mut paths = Vec::new();
                i += 1;
                loop {
                    while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                        i += 1;
                    }
                    if i >= bytes.len() || bytes[i] == b'}' {
                        break;
                    }
                    let (inner, len) = expand(&text[i..]);
                    paths.extend(inner.into_iter().map(|p| format!("{prefix}{p}")));
                    i += len.max(1);
                }
                return (paths, i + 1);
            }
            if i < bytes.len() && bytes[i] == b'*' {
                return (vec![prefix.trim_end_matches("::").to_string()], i + 1);
            }
        } else {
            return (vec![prefix.trim_end_matches("::").to_string()], i);
        }
    }
}

/// The module a path names: the longest prefix that is a module of the crate.
fn resolve(module: &str, path: &str, modules: &BTreeMap<String, PathBuf>) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = module.split("::").collect();
    if segments.first() == Some(&"crate") {
        base = vec!["crate"];
        segments.remove(0);
    } else {
        // `super` of `a::b` is `a` (a `mod.rs` is its folder's module).
        while segments.first() == Some(&"super") {
            segments.remove(0);
            base.pop();
        }
    }
    let mut best = None;
    let mut candidate = base.join("::");
    if modules.contains_key(&candidate) {
        best = Some(candidate.clone());
    }
    for segment in segments {
        if segment == "self" {
            continue;
        }
        candidate = format!("{candidate}::{segment}");
        if modules.contains_key(&candidate) {
            best = Some(candidate.clone());
        }
    }
    best
}

/// Tarjan's strongly connected components.
fn strongly_connected(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flat_map(|m| m.keys()) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            component.sort();
            s.out.push(component);
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.out
}
