//! Findings in the formats CI reads: SARIF 2.1.0 (GitHub code scanning and every SARIF viewer)
//! and GitHub Actions workflow commands (annotations on a pull request's lines). Paths are the
//! workspace's, under `base` (the checked folder as the repository names it).

use crate::diagnostic::{Diagnostic, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A SARIF 2.1.0 log of one run. `docs` is the documentation's address (its `#rule-<family>`
/// sections explain each code); without it the rules carry their help as text only.
pub fn sarif(diagnostics: &[Diagnostic], base: &str, version: &str, docs: Option<&str>) -> Value {
    // One rule per code, in the order codes first appear.
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ordered: Vec<&str> = Vec::new();
    for d in diagnostics {
        if !rules.contains_key(d.code.as_str()) {
            rules.insert(&d.code, ordered.len());
            ordered.push(&d.code);
        }
    }
    let rules_json: Vec<Value> = ordered
        .iter()
        .map(|code| {
            let family = family(code);
            let mut rule = json!({
                "id": code,
                "name": code,
                "shortDescription": {"text": format!("{code} ({family}-… findings)")},
                "help": {"text": format!("See the `{family}-…` rules in the playground's documentation (docs/#rule-{family}).")},
            });
            if let Some(docs) = docs {
                rule["helpUri"] = json!(format!("{}#rule-{family}", docs.trim_end_matches('#')));
            }
            rule
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(hint) = &d.hint {
                text.push_str("\nhint: ");
                text.push_str(hint);
            }
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rules[d.code.as_str()],
                "level": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                },
                "message": {"text": text},
            });
            if let Some(file) = &d.file {
                result["locations"] = json!([{"physicalLocation": physical(base, file, d.line, d.column)}]);
            }
            if let Some(at) = &d.rendered {
                result["relatedLocations"] = json!([{
                    "id": 1,
                    "physicalLocation": physical(base, &at.file, Some(at.line), Some(at.column)),
                    "message": {"text": format!("where the rendered template has it: {} line {}", at.file, at.line)},
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "proton-playground",
                "version": version,
                "rules": rules_json,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// GitHub Actions workflow commands, one line a finding: `::error file=…,line=…,col=…,title=…::…`.
pub fn github(diagnostics: &[Diagnostic], base: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(file) = &d.file {
            properties.push(format!("file={}", escape_property(&joined(base, file))));
            if let Some(line) = d.line {
                properties.push(format!("line={line}"));
                if let Some(column) = d.column {
                    properties.push(format!("col={column}"));
                }
            }
        }
        properties.push(format!("title={}", escape_property(&d.code)));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out
}

fn physical(base: &str, file: &str, line: Option<u32>, column: Option<u32>) -> Value {
    let mut location = json!({"artifactLocation": {"uri": uri_path(&joined(base, file))}});
    if let Some(line) = line.filter(|l| *l > 0) {
        location["region"] = json!({"startLine": line});
        if let Some(column) = column.filter(|c| *c > 0) {
            location["region"]["startColumn"] = json!(column);
        }
    }
    location
}

/// `base/file`, `/`-separated, without a leading `./`.
fn joined(base: &str, file: &str) -> String {
    let base = base.trim_start_matches("./").trim_end_matches('/');
    if base.is_empty() || base == "." {
        file.to_string()
    } else {
        format!("{base}/{file}")
    }
}

/// A URI reference for a path: characters a URI path cannot hold percent-encoded (`/` kept).
/// SARIF's artifact locations and the language server's `file://` URIs both use it.
pub fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The family of a code (`cfn-value-type` → `cfn`): the documentation's section.
fn family(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding() -> Diagnostic {
        Diagnostic::error(
            "template-undefined",
            "`environment.inputs.nope` is undefined",
        )
        .with_hint("define it in schema.yaml")
        .in_file("env/v1/infrastructure/cloudformation.yaml")
        .at(3, 9)
    }

    #[test]
    fn sarif_names_the_rule_level_place_and_help() {
        let log = sarif(
            &[finding()],
            "templates",
            "0.1.0",
            Some("https://x.test/docs/"),
        );
        let run = &log["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"][0]["id"],
            "template-undefined"
        );
        assert_eq!(
            run["tool"]["driver"]["rules"][0]["helpUri"],
            "https://x.test/docs/#rule-template"
        );
        let result = &run["results"][0];
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "templates/env/v1/infrastructure/cloudformation.yaml"
        );
        assert_eq!(
            location["region"],
            json!({"startLine": 3, "startColumn": 9})
        );
    }

    #[test]
    fn github_annotations_escape_what_the_syntax_uses() {
        let line = github(&[finding()], "./templates/");
        assert_eq!(
            line,
            "::error file=templates/env/v1/infrastructure/cloudformation.yaml,line=3,col=9,title=template-undefined::`environment.inputs.nope` is undefined%0Ahint: define it in schema.yaml\n"
        );
    }
}
