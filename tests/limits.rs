//! Every limit of the playground is a located diagnostic, never a hang, a crash or unbounded
//! memory (issue "Hardening"; the measured figures are in RELIABILITY.md).

use flate2::{write::GzEncoder, Compression};
use proton_playground::bundle::FileTree;
use proton_playground::{run, Diagnostic, Request, SpecSource, Workspace};
use std::io::Read;

const MANIFEST: &str = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";

fn schema(properties: &str) -> String {
    format!("schema:\n  format: {{openapi: 3.0.0}}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n{properties}")
}

fn workspace(files: &[(&str, &str)]) -> Workspace {
    let (tree, diagnostics) = FileTree::from_texts(files.iter().copied());
    Workspace::from_tree(tree, diagnostics)
}

/// Every diagnostic of analyzing and rendering an environment bundle.
fn diagnostics(schema_properties: &str, template: &str, spec: Option<&str>) -> Vec<Diagnostic> {
    let schema = schema(schema_properties);
    let ws = workspace(&[
        ("schema/schema.yaml", &schema),
        ("infrastructure/manifest.yaml", MANIFEST),
        ("infrastructure/cloudformation.yaml", template),
    ]);
    let request = Request {
        spec: spec.map(|text| SpecSource {
            path: "spec.yaml".into(),
            text: text.into(),
        }),
        ..Default::default()
    };
    let mut all = ws.all_diagnostics();
    all.extend(run(&ws.bundles[0], &request).diagnostics);
    all
}

fn has(diagnostics: &[Diagnostic], code: &str) -> bool {
    diagnostics.iter().any(|d| d.code == code)
}

fn tar_gz(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::best()));
    for (path, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, path, bytes.as_slice())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

#[test]
fn decompression_bombs_by_ratio_and_by_size() {
    let ratio = tar_gz(&[("zeros".into(), vec![0; 16 << 20])]);
    assert!(has(
        &Workspace::from_bytes("r.tar.gz", &ratio).all_diagnostics(),
        "bundle-bomb"
    ));
    // Stored (uncompressed) gzip: past the absolute cap (64 MB) without a suspicious ratio.
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::none()));
    let mut header = tar::Header::new_gnu();
    header.set_size(65 << 20);
    header.set_mode(0o644);
    builder
        .append_data(&mut header, "big", std::io::repeat(b'#').take(65 << 20))
        .unwrap();
    let stored = builder.into_inner().unwrap().finish().unwrap();
    let size = Workspace::from_bytes("s.tar.gz", &stored).all_diagnostics();
    assert!(
        has(&size, "bundle-bomb") || has(&size, "bundle-quota"),
        "{size:?}"
    );
}

#[test]
fn file_count_path_depth_and_length() {
    let many: Vec<(String, Vec<u8>)> = (0..10_001)
        .map(|i| (format!("f/{i}"), vec![b'x']))
        .collect();
    assert!(has(
        &Workspace::from_bytes("m.tar.gz", &tar_gz(&many)).all_diagnostics(),
        "bundle-entries"
    ));
    let deep = format!("{}x", "d/".repeat(40));
    let long = format!("{}/x", "l".repeat(1100));
    let (tree, d) = FileTree::from_texts([(deep.as_str(), "a"), (long.as_str(), "b")]);
    assert!(tree.files.is_empty());
    assert_eq!(d.iter().filter(|d| d.code == "bundle-path").count(), 2);
}

#[test]
fn the_five_megabyte_bundle_quota() {
    let big = "#".repeat(190 * 1024);
    let names: Vec<String> = (0..28)
        .map(|i| format!("infrastructure/part{i}.yaml"))
        .collect();
    let mut files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), big.as_str())).collect();
    files.push(("infrastructure/manifest.yaml", MANIFEST));
    files.push(("infrastructure/cloudformation.yaml", "Resources: {}\n"));
    let ws = workspace(&files);
    let quota: Vec<_> = ws
        .all_diagnostics()
        .into_iter()
        .filter(|d| d.code == "bundle-quota")
        .collect();
    assert!(quota.iter().any(|d| d.message.contains("5")), "{quota:?}");
}

#[test]
fn deeply_nested_yaml_and_json() {
    let yaml = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let d = diagnostics(
        "        a: {type: string}\n",
        "Resources: {}\n",
        Some(&format!("proton: EnvironmentSpec\nspec: {yaml}\n")),
    );
    assert!(
        d.iter()
            .any(|d| d.code.starts_with("yaml") || d.code.starts_with("spec")),
        "{d:?}"
    );
    let json = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let d = diagnostics("        a: {type: string}\n", &json, None);
    assert!(has(&d, "cfn-yaml"), "{d:?}");
    let broken_schema = format!("schema: {yaml}\n");
    let ws = workspace(&[
        ("schema/schema.yaml", &broken_schema),
        ("infrastructure/manifest.yaml", MANIFEST),
        ("infrastructure/cloudformation.yaml", "x"),
    ]);
    let d = ws.all_diagnostics();
    assert!(
        d.iter()
            .any(|d| d.code == "yaml-syntax" && d.message.contains("recursion limit")),
        "{d:?}"
    );
}

#[test]
fn huge_single_inputs() {
    let value = "a".repeat(1 << 20);
    let spec = format!("proton: EnvironmentSpec\nspec:\n  name: {value}\n");
    let d = diagnostics("        name: {type: string, maxLength: 100}\n", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: '{{ environment.inputs.name }}'\n", Some(&spec));
    let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"input-length"), "{codes:?}");
}

#[test]
fn runaway_templates_stop_on_fuel_and_recursion() {
    let d = diagnostics(
        "        a: {type: string}\n",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        None,
    );
    assert!(has(&d, "template-fuel"), "{d:?}");
    let d = diagnostics(
        "        a: {type: string}\n",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        None,
    );
    assert!(d.iter().any(|d| d.message.contains("recursion")), "{d:?}");
}

#[test]
fn padding_and_repetition_are_bounded() {
    for template in [
        "{{ 'a' | center(1000000000) }}",
        "{{ 'a'.ljust(1000000000) }}",
        "{{ 'a'.zfill(1000000000) }}",
        "{{ 'a' | indent(1000000000) }}",
        "{{ '{:>1000000000}'.format('a') }}",
    ] {
        let d = diagnostics("        a: {type: string}\n", template, None);
        assert!(
            d.iter()
                .any(|d| d.message.contains("over the playground's limit")),
            "{template}: {d:?}"
        );
    }
    let d = diagnostics("        a: {type: string}\n", "{{ [1] * 100000000 }}", None);
    assert!(has(&d, "template-limit"), "{d:?}");
}

#[test]
fn pathological_patterns_stay_linear() {
    // `(a+)+$` backtracks exponentially in engines with backtracking; the regex crate is linear.
    let spec = format!(
        "proton: EnvironmentSpec\nspec:\n  name: {}b\n",
        "a".repeat(100_000)
    );
    let d = diagnostics(
        "        name: {type: string, pattern: '^(a+)+$'}\n",
        "Resources: {}\n",
        Some(&spec),
    );
    assert!(d.iter().any(|d| d.code.starts_with("input")), "{d:?}");
}
