//! `check --format sarif` is valid SARIF 2.1.0 (the OASIS schema, as serde-sarif's package ships
//! it, read from cargo's registry: nothing copied in) with the error located; `--format github`
//! annotates the same lines.

mod common;
use common::copy_into;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The OASIS SARIF 2.1.0 JSON schema from the serde-sarif package cargo fetched: the version
/// Cargo.lock pins, in cargo's registry sources.
fn oasis_schema() -> Value {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"serde-sarif\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .expect("serde-sarif is a dev-dependency")
        .trim_matches('"')
        .to_string();
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let sources = home.join("registry/src");
    let path = std::fs::read_dir(&sources)
        .unwrap()
        .map(|index| {
            index
                .unwrap()
                .path()
                .join(format!("serde-sarif-{version}/src/schema.json"))
        })
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("serde-sarif {version} under {}", sources.display()));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    schema
}

/// A copy of the examples with an input the template reads and the schema does not define.
fn broken() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("templates");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates/ecs-shared-env/v1");
    copy_into(&from, &root);
    let template = root.join("infrastructure/cloudformation.yaml");
    let text = std::fs::read_to_string(&template).unwrap();
    let text = text.replacen(
        "Resources:\n",
        "Resources:\n  # {{ environment.inputs.nope }}\n",
        1,
    );
    std::fs::write(&template, text).unwrap();
    (dir, root)
}

fn check(dir: &Path, format: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_proton-playground"))
        .args(["check", "templates", "--format", format])
        .args(["--docs-url", "https://playground.example/docs/"])
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn check_writes_valid_sarif_with_the_error_located() {
    let (dir, _) = broken();
    let (code, stdout) = check(dir.path(), "sarif");
    assert_eq!(code, 1, "an error fails the run, as with text");
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let schema = oasis_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let undefined = results
        .iter()
        .find(|r| r["ruleId"] == "template-undefined")
        .unwrap_or_else(|| panic!("{results:#?}"));
    assert_eq!(undefined["level"], "error");
    let location = &undefined["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "templates/infrastructure/cloudformation.yaml"
    );
    assert_eq!(location["region"]["startLine"], 4);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = &rules[undefined["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "template-undefined");
    assert_eq!(
        rule["helpUri"],
        "https://playground.example/docs/#rule-template"
    );

    // The schema is strict enough to refuse a broken log (the validation can fail).
    let mut wrong = log.clone();
    wrong["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn check_annotates_pull_request_lines_for_github() {
    let (dir, _) = broken();
    let (code, stdout) = check(dir.path(), "github");
    assert_eq!(code, 1);
    assert!(
        stdout.lines().any(|l| l
            .starts_with("::error file=templates/infrastructure/cloudformation.yaml,line=4,")
            && l.contains("title=template-undefined::")),
        "{stdout}"
    );
}
