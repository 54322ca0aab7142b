//! Every rule code the engine can report links to a section of the docs page (the page's
//! Diagnostics list links `docs/#rule-<family>`, the code's first word).

use regex::Regex;
use std::collections::BTreeSet;
use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_none_or(|n| n != "tests.rs")
        {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn every_rule_family_has_a_docs_section() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    sources(&root.join("src"), &mut texts);
    let code = Regex::new(
        r#"(?:error|warning|info|new|err)\(\s*(?:Severity::\w+,\s*)?"([a-z]+(?:-[a-z0-9]+)+)""#,
    )
    .unwrap();
    let families: BTreeSet<String> = texts
        .iter()
        .map(|t| t.split("#[cfg(test)]").next().unwrap())
        .flat_map(|t| code.captures_iter(t).map(|c| c[1].to_string()))
        .map(|c| c.split('-').next().unwrap().to_string())
        .collect();
    assert!(families.len() > 10, "{families:?}");
    let page = std::fs::read_to_string(root.join("www/static/docs/index.html")).unwrap();
    let missing: Vec<_> = families
        .iter()
        .filter(|f| !page.contains(&format!("id=\"rule-{f}\"")))
        .collect();
    assert!(missing.is_empty(), "no docs section for {missing:?}");
}
