//! The WebAssembly facade, tested in its own runtime (`wasm-bindgen-test-runner`, Node):
//! `cargo test --target wasm32-unknown-unknown --no-default-features --test web`.
#![cfg(target_arch = "wasm32")]

use proton_playground::wasm::{load_archive, parse_yaml, Engine};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// A plain JS object, as the page's worker passes.
fn js(value: &Value) -> JsValue {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap()
}

fn rust(value: JsValue) -> Value {
    serde_wasm_bindgen::from_value(value).unwrap()
}

fn files() -> Value {
    json!({
        "env/v1/schema/schema.yaml": include_str!("../examples/templates/ecs-shared-env/v1/schema/schema.yaml"),
        "env/v1/infrastructure/manifest.yaml": include_str!("../examples/templates/ecs-shared-env/v1/infrastructure/manifest.yaml"),
        "env/v1/infrastructure/cloudformation.yaml": include_str!("../examples/templates/ecs-shared-env/v1/infrastructure/cloudformation.yaml"),
        "comp/manifest.yaml": include_str!("../examples/components/sqs-queue/manifest.yaml"),
        "comp/cloudformation.yaml": include_str!("../examples/components/sqs-queue/cloudformation.yaml"),
    })
}

#[wasm_bindgen_test]
fn analyze_describes_every_bundle() {
    let summary = rust(Engine::new().analyze(js(&files()), "").unwrap());
    assert_eq!(summary["repository"], true);
    let labels: Vec<&str> = summary["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["comp", "env:1"]);
    let env = &summary["bundles"][1];
    assert_eq!(env["kind"], "environment");
    assert_eq!(
        env["environment_inputs"]["properties"][0]["name"],
        "vpc_cidr"
    );
}

#[wasm_bindgen_test]
fn render_returns_outputs_spec_and_located_diagnostics() {
    let request = json!({"target": "environment", "spec": {"path": "spec.yaml", "text": "proton: EnvironmentSpec\nspec:\n  log_retention_days: 5\n"}});
    let mut engine = Engine::new();
    engine.analyze(js(&files()), "").unwrap();
    let answer = rust(engine.render("env/v1", js(&request)).unwrap());
    let report = &answer["value"];
    assert!(report["outputs"][0]["content"]
        .as_str()
        .unwrap()
        .contains("RetentionInDays: 5"));
    let d = &report["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["file"].as_str(), d["line"].as_u64()),
        (Some("input-enum"), Some("spec.yaml"), Some(3))
    );
    assert!(report["spec"]
        .as_str()
        .unwrap()
        .contains("log_retention_days: 5"));
    let mut broken = files();
    broken["env/v1/infrastructure/cloudformation.yaml"] =
        json!("A: {{ environment.inputs.nope }}\n");
    engine.analyze(js(&broken), "").unwrap();
    let report = rust(engine.render("env/v1", js(&json!({}))).unwrap())["value"].take();
    assert_eq!(report["diagnostics"][0]["code"], "template-undefined");
    assert!(engine.render("missing", js(&json!({}))).is_err());
}

#[wasm_bindgen_test]
fn archives_and_yaml() {
    let loaded = rust(
        load_archive(
            "fixture-env.tar.gz",
            include_bytes!("../www/tests/fixtures/fixture-env.tar.gz"),
        )
        .unwrap(),
    );
    assert!(loaded["files"]["infrastructure/cloudformation.yaml"]
        .as_str()
        .unwrap()
        .contains("FixtureBucket"));
    let bad = rust(load_archive("x.zip", b"PK garbage").unwrap());
    assert!(!bad["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(
        rust(parse_yaml("a: yes\nb: 0777\n").unwrap()),
        json!({"a": true, "b": 511})
    );
    assert!(parse_yaml("a: [").is_err());
}
