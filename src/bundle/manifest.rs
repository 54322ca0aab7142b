//! `manifest.yaml` (docs/proton-semantics.md §3): which provisioning method a folder uses and which
//! files it holds, with every check of that section.

use crate::diagnostic::Diagnostic;
use crate::yaml::{self, Node};
use serde::{Deserialize, Serialize};

/// How a folder is provisioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    CloudFormation,
    Terraform,
    CodeBuild,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::CloudFormation => "CloudFormation",
            Method::Terraform => "Terraform",
            Method::CodeBuild => "CodeBuild",
        }
    }
}

/// A parsed manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub method: Option<Method>,
    /// `file` entries as written (may be globs), in order.
    pub files: Vec<String>,
    /// CodeBuild `settings` as JSON (for display and `project_properties`).
    pub codebuild_settings: Option<serde_json::Value>,
}

/// Parses `text` (the manifest at bundle-relative `path`) and checks it.
pub fn parse(text: &str, path: &str) -> (Option<Manifest>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let doc = match yaml::parse(text) {
        Ok(doc) => doc,
        Err(e) => return (None, vec![e.to_diagnostic(path)]),
    };
    let root = &doc.root;
    let here = |node: &Node| node.pos;
    let Some(templates) = root.get("infrastructure").and_then(|i| i.get("templates")) else {
        diags.push(
            Diagnostic::error("manifest-structure", "the manifest needs infrastructure.templates")
                .in_file(path)
                .at_pos(Some(root.pos))
                .with_hint("infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation"),
        );
        return (None, diags);
    };
    let Some(items) = templates.as_seq().filter(|s| !s.is_empty()) else {
        diags.push(
            Diagnostic::error(
                "manifest-structure",
                "infrastructure.templates must be a non-empty list",
            )
            .in_file(path)
            .at_pos(Some(here(templates))),
        );
        return (None, diags);
    };
    let mut method = None;
    let mut files = Vec::new();
    let mut codebuild_settings = None;
    for item in items {
        let engine_key = match (item.entry("rendering_engine"), item.entry("engine")) {
            (Some(e), _) => Some(e),
            (None, Some((k, v))) => {
                diags.push(
                    Diagnostic::error(
                        "pre-ga-engine",
                        "`engine:` is a pre-GA key that Proton rejects",
                    )
                    .in_file(path)
                    .at_pos(Some(k.pos))
                    .with_hint("rename it to `rendering_engine:` (rendered here as if it were)"),
                );
                Some((k, v))
            }
            _ => None,
        };
        let engine = engine_key.and_then(|(_, v)| scalar_text(v));
        let language = item.get("template_language").and_then(scalar_text);
        for (value, node) in [
            (&engine, engine_key.map(|(_, v)| v)),
            (&language, item.get("template_language")),
        ] {
            if let (Some(v), Some(node)) = (value, node) {
                if v.to_lowercase() != *v {
                    diags.push(
                        Diagnostic::warning("manifest-case", format!("`{v}` is not lower-case"))
                            .in_file(path)
                            .at_pos(Some(node.pos)),
                    );
                }
            }
        }
        let item_method = match (
            engine.as_deref().map(str::to_lowercase).as_deref(),
            language.as_deref().map(str::to_lowercase).as_deref(),
        ) {
            (Some("jinja"), Some("cloudformation")) => Some(Method::CloudFormation),
            (Some("hcl"), Some("terraform")) => Some(Method::Terraform),
            (Some("codebuild"), None) => Some(Method::CodeBuild),
            (e, l) => {
                diags.push(
                    Diagnostic::error(
                        "manifest-engine",
                        format!(
                            "unsupported rendering_engine/template_language pair: {} / {}",
                            e.unwrap_or("(none)"),
                            l.unwrap_or("(none)")
                        ),
                    )
                    .in_file(path)
                    .at_pos(Some(item.pos))
                    .with_hint("valid pairs: jinja + cloudformation, hcl + terraform, codebuild (no template_language)"),
                );
                None
            }
        };
        if let (Some(prev), Some(m)) = (method, item_method) {
            if prev != m {
                diags.push(
                    Diagnostic::error(
                        "manifest-engine",
                        "one folder cannot mix provisioning methods",
                    )
                    .in_file(path)
                    .at_pos(Some(item.pos)),
                );
            }
        }
        method = method.or(item_method);
        if let Some(file) = item.get("file").and_then(scalar_text) {
            files.push(file);
        } else if item_method != Some(Method::CodeBuild) {
            if let Some(file) = item.get("file") {
                diags.push(
                    Diagnostic::error("manifest-file", "`file` must be a file name")
                        .in_file(path)
                        .at_pos(Some(file.pos)),
                );
            }
        }
        if item_method == Some(Method::CodeBuild) {
            codebuild_settings = check_codebuild(item, path, &mut diags);
        }
    }
    if method == Some(Method::CloudFormation) {
        let wildcard = files.iter().any(|f| is_glob(f));
        if items.len() > 1 || files.len() != 1 || wildcard {
            diags.push(
                Diagnostic::error(
                    "manifest-cloudformation",
                    "a CloudFormation manifest lists exactly one template file, by name (no wildcard)",
                )
                .in_file(path)
                .at_pos(Some(templates.pos)),
            );
        }
    }
    (
        Some(Manifest {
            method,
            files,
            codebuild_settings,
        }),
        diags,
    )
}

fn check_codebuild(
    item: &Node,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<serde_json::Value> {
    let Some(settings) = item.get("settings") else {
        diags.push(
            Diagnostic::warning(
                "manifest-codebuild",
                "CodeBuild templates need `settings` (image, runtimes, provision, deprovision)",
            )
            .in_file(path)
            .at_pos(Some(item.pos)),
        );
        return None;
    };
    for key in ["image", "runtimes", "provision", "deprovision"] {
        if settings.get(key).is_none() {
            diags.push(
                Diagnostic::warning(
                    "manifest-codebuild",
                    format!("CodeBuild settings have no `{key}`"),
                )
                .in_file(path)
                .at_pos(Some(settings.pos)),
            );
        }
    }
    for key in ["provision", "deprovision"] {
        if let Some(cmds) = settings.get(key) {
            if cmds.as_seq().is_none() {
                diags.push(
                    Diagnostic::error(
                        "manifest-codebuild",
                        format!("`{key}` must be a list of shell commands"),
                    )
                    .in_file(path)
                    .at_pos(Some(cmds.pos)),
                );
            }
        }
    }
    let input_type = settings
        .get("input_type")
        .or_else(|| item.get("input_type"));
    if let Some(t) = input_type.and_then(scalar_text) {
        if !matches!(t.as_str(), "JSON" | "HCL") {
            diags.push(
                Diagnostic::error(
                    "manifest-codebuild",
                    format!("input_type must be JSON or HCL, got {t}"),
                )
                .in_file(path)
                .at_pos(input_type.map(|n| n.pos)),
            );
        }
    }
    Some(settings.to_json())
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        yaml::NodeValue::Str(s) => Some(s.clone()),
        yaml::NodeValue::Map(_) | yaml::NodeValue::Seq(_) | yaml::NodeValue::Null => None,
        _ => Some(node.key_text()),
    }
}

pub fn is_glob(name: &str) -> bool {
    name.contains(['*', '?', '['])
}

/// Matches a manifest `file` glob against a file name (`*`, `?`, `[…]`; no recursion).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    /// One element of a pattern: a character, `?`, `*`, or a `[…]` set (negated with `!`/`^`).
    enum Token {
        Char(char),
        Any,
        Star,
        Set { negate: bool, set: Vec<char> },
    }
    let p: Vec<char> = pattern.chars().collect();
    if p.len() > 256 {
        return false;
    }
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let token = match p[i] {
            '*' => Token::Star,
            '?' => Token::Any,
            '[' => match p[i + 1..].iter().position(|&c| c == ']').map(|k| i + 1 + k) {
                // `[` without a closing `]` is a plain character.
                None => Token::Char('['),
                Some(close) => {
                    let (negate, set) = match p.get(i + 1) {
                        Some('!' | '^') => (true, p[i + 2..close].to_vec()),
                        _ => (false, p[i + 1..close].to_vec()),
                    };
                    i = close;
                    Token::Set { negate, set }
                }
            },
            c => Token::Char(c),
        };
        tokens.push(token);
        i += 1;
    }
    let in_set = |set: &[char], c: char| {
        let mut found = false;
        let mut i = 0;
        while i < set.len() {
            if i + 2 < set.len() && set[i + 1] == '-' {
                found |= set[i] <= c && c <= set[i + 2];
                i += 3;
            } else {
                found |= set[i] == c;
                i += 1;
            }
        }
        found
    };
    // Which prefixes of the name the pattern's tokens so far match: one pass per token, so
    // `*a*a*a…b` against a long name takes pattern × name steps, never backtracking.
    let n: Vec<char> = name.chars().collect();
    let mut matched = vec![false; n.len() + 1];
    matched[0] = true;
    for token in &tokens {
        let mut next = vec![false; n.len() + 1];
        match token {
            Token::Star => {
                let mut any = false;
                for j in 0..=n.len() {
                    any |= matched[j];
                    next[j] = any;
                }
            }
            _ => {
                for j in 0..n.len() {
                    next[j + 1] = matched[j]
                        && match token {
                            Token::Char(c) => n[j] == *c,
                            Token::Any => true,
                            Token::Set { negate, set } => in_set(set, n[j]) != *negate,
                            Token::Star => false,
                        };
                }
            }
        }
        matched = next;
    }
    matched[n.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudformation_manifest() {
        let (m, d) = parse(
            "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            "infrastructure/manifest.yaml",
        );
        assert!(d.is_empty(), "{d:?}");
        let m = m.unwrap();
        assert_eq!(m.method, Some(Method::CloudFormation));
        assert_eq!(m.files, ["cloudformation.yaml"]);
    }

    #[test]
    fn pre_ga_engine_and_wildcard_cloudformation() {
        let (m, d) = parse(
            "infrastructure:\n  templates:\n    - file: '*'\n      engine: jinja\n      template_language: cloudformation\n",
            "m.yaml",
        );
        assert_eq!(m.unwrap().method, Some(Method::CloudFormation));
        let codes: Vec<_> = d.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["pre-ga-engine", "manifest-cloudformation"]);
        assert_eq!(d[0].line, Some(4));
    }

    #[test]
    fn bad_pairs_and_codebuild() {
        let (_, d) = parse("infrastructure:\n  templates:\n    - file: a\n      rendering_engine: jinja\n      template_language: terraform\n", "m");
        assert_eq!(d[0].code, "manifest-engine");
        let (m, d) = parse(
            "infrastructure:\n  templates:\n    - rendering_engine: codebuild\n      settings:\n        image: x\n        runtimes: {nodejs: 16}\n        provision: [a]\n",
            "m",
        );
        assert_eq!(m.unwrap().method, Some(Method::CodeBuild));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("deprovision"));
        let (m, d) = parse("nope: 1", "m");
        assert!(m.is_none());
        assert_eq!(d[0].code, "manifest-structure");
    }

    #[test]
    fn globs() {
        assert!(glob_match("*", "main.tf"));
        assert!(glob_match("*.tf", "main.tf"));
        assert!(!glob_match("*.tf", "main.tfvars"));
        assert!(glob_match("m?in.[st]f", "main.tf"));
        assert!(glob_match("[!a]*", "main.tf"));
        assert!(!glob_match("[!m]*", "main.tf"));
        assert!(glob_match("a[b", "a[b"));
        assert!(glob_match("[a-c]x", "bx"));
        // Backtracking took exponential time on this (hostile-inputs issue): about 2^60 steps, so
        // a matcher that backtracks never ends here; the linear one answers at once.
        assert!(!glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", &"a".repeat(60)));
    }
}
