//! Bad input of every kind gets a located diagnostic (or exit code 2 for usage and I/O
//! problems), never a panic.

use proton_playground::bundle::FileTree;
use proton_playground::{run, Diagnostic, Request, SpecSource, Workspace};
use std::process::Command;

const SCHEMA: &str = "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        cidr: {type: string, default: 10.0.0.0/16, pattern: '^[0-9./]+$'}\n        count: {type: integer, default: 1, minimum: 1}\n";
const MANIFEST: &str = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";

fn workspace(files: &[(&str, &str)]) -> Workspace {
    let (tree, diags) = FileTree::from_texts(files.iter().copied());
    Workspace::from_tree(tree, diags)
}

fn env_bundle(template: &str) -> Workspace {
    workspace(&[
        ("schema/schema.yaml", SCHEMA),
        ("infrastructure/manifest.yaml", MANIFEST),
        ("infrastructure/cloudformation.yaml", template),
    ])
}

fn render(ws: &Workspace, spec: Option<&str>) -> Vec<Diagnostic> {
    let request = Request {
        spec: spec.map(|t| SpecSource {
            path: "spec.yaml".into(),
            text: t.into(),
        }),
        ..Default::default()
    };
    let mut all = ws.all_diagnostics();
    all.extend(run(&ws.bundles[0], &request).diagnostics);
    all
}

fn find<'a>(diags: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
}

#[test]
fn template_syntax_and_undefined_are_located() {
    let d = render(&env_bundle("a: 1\nb: {{ environment.inputs.cidr }\n"), None);
    let e = find(&d, "template-syntax");
    assert_eq!(
        (e.file.as_deref(), e.line),
        (Some("infrastructure/cloudformation.yaml"), Some(2))
    );
    let d = render(
        &env_bundle("a: 1\n\nb: {{ environment.inputs.nope }}\n"),
        None,
    );
    let e = find(&d, "template-undefined");
    assert_eq!((e.line, e.column), (Some(3), Some(7)));
    assert_eq!(e.message, "'dict object' has no attribute 'nope'");
}

#[test]
fn yaml_errors_in_schema_manifest_and_spec() {
    let ws = workspace(&[
        ("schema/schema.yaml", "schema:\n  types: [\n"),
        ("infrastructure/manifest.yaml", MANIFEST),
        ("infrastructure/cloudformation.yaml", "x"),
    ]);
    let e = find(&ws.all_diagnostics(), "yaml-syntax").clone();
    assert_eq!(e.file.as_deref(), Some("schema/schema.yaml"));
    assert!(e.line.is_some());
    let ws = workspace(&[
        ("schema/schema.yaml", SCHEMA),
        (
            "infrastructure/manifest.yaml",
            "infrastructure:\n  templates: {\n",
        ),
        ("infrastructure/cloudformation.yaml", "x"),
    ]);
    assert_eq!(
        find(&ws.all_diagnostics(), "yaml-syntax").file.as_deref(),
        Some("infrastructure/manifest.yaml")
    );
    let d = render(
        &env_bundle("x: 1"),
        Some("proton: EnvironmentSpec\nspec:\n  cidr: [\n"),
    );
    let e = find(&d, "yaml-syntax");
    assert_eq!(e.file.as_deref(), Some("spec.yaml"));
}

#[test]
fn validation_errors_point_at_the_spec_value() {
    let d = render(
        &env_bundle("x: 1"),
        Some("proton: EnvironmentSpec\nspec:\n  count: 0\n  cidr: 'a b'\n  extra: 1\n"),
    );
    let range = find(&d, "input-range");
    assert_eq!(
        (range.file.as_deref(), range.line),
        (Some("spec.yaml"), Some(3))
    );
    assert_eq!(
        range.message,
        "environment inputs: count: must be at least 1; got 0"
    );
    assert_eq!(find(&d, "input-pattern").line, Some(4));
    assert_eq!(
        find(&d, "input-unknown").severity,
        proton_playground::Severity::Warning
    );
}

#[test]
fn unsafe_archives_and_quotas() {
    let mut tree = FileTree::new();
    tree.files
        .insert("schema/schema.yaml".into(), SCHEMA.as_bytes().to_vec());
    tree.files.insert(
        "infrastructure/manifest.yaml".into(),
        MANIFEST.as_bytes().to_vec(),
    );
    tree.files.insert(
        "infrastructure/cloudformation.yaml".into(),
        vec![b'#'; 300 * 1024],
    );
    let ws = Workspace::from_tree(tree, Vec::new());
    let quota = find(&ws.all_diagnostics(), "bundle-quota").clone();
    assert_eq!(
        quota.file.as_deref(),
        Some("infrastructure/cloudformation.yaml")
    );
    let (_, diags) = FileTree::from_texts([("../x", "a"), ("/abs", "b")]);
    assert_eq!(diags.iter().filter(|d| d.code == "bundle-path").count(), 2);
}

#[test]
fn manifest_and_structure_mistakes() {
    let ws = workspace(&[
        ("schema/schema.yaml", SCHEMA),
        ("infrastructure/manifest.yaml", MANIFEST),
    ]);
    let e = find(&ws.all_diagnostics(), "manifest-file").clone();
    assert_eq!(
        e.message,
        "manifest lists infrastructure/cloudformation.yaml, which is missing"
    );
    let ws = workspace(&[("readme.txt", "hello")]);
    find(&ws.all_diagnostics(), "bundle-structure");
}

#[test]
fn random_bytes_never_panic() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for len in [0usize, 1, 2, 10, 100, 1000, 5000] {
        for prefix in [&[][..], &[0x1f, 0x8b][..], b"PK\x03\x04"] {
            let mut bytes = prefix.to_vec();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                bytes.push(seed as u8);
            }
            let ws = Workspace::from_bytes("x.tgz", &bytes);
            assert!(!ws.all_diagnostics().is_empty());
        }
    }
    for text in [
        "{{",
        "{% for %}",
        "{{ a.b.c[1:2:3] }}",
        "{% macro %}",
        "\u{0}{{ x }}",
        "{{ 1/0 }}",
        "{{ 'a' * 1000000000 }}",
    ] {
        let _ = render(&env_bundle(text), Some(text));
    }
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_proton-playground"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn cli_exit_codes_and_json() {
    let (code, _, err) = cli(&["render", "does/not/exist"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = cli(&[
        "render",
        "examples/templates/ecs-shared-env/v1",
        "--mocks",
        "Cargo.toml",
    ]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = cli(&[
        "render",
        "examples/templates/ecs-shared-env/v1",
        "--target",
        "nonsense",
    ]);
    assert_eq!(code, 2);
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    std::fs::write(
        &spec,
        "proton: EnvironmentSpec\nspec:\n  log_retention_days: 5\n",
    )
    .unwrap();
    let (code, out, _) = cli(&[
        "check",
        "examples/templates/ecs-shared-env/v1",
        "--spec",
        spec.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "input-enum");
    assert_eq!(d["line"], 3);
    assert_eq!(
        d["subject"],
        serde_json::json!({
            "kind": "input",
            "section": "environment",
            "input": "log_retention_days",
            "field": "log_retention_days",
            "problem": "must be one of 7, 14, 30, 60, 90, 180, 365; got 5",
        })
    );
    for key in [
        "severity", "code", "message", "file", "line", "column", "hint",
    ] {
        assert!(d.get(key).is_some(), "{key}");
    }
    let (code, _, err) = cli(&[
        "render",
        "examples/templates/ecs-shared-env/v1",
        "--spec",
        spec.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("spec.yaml:3:23: error[input-enum]: environment inputs: log_retention_days: must be one of 7, 14, 30, 60, 90, 180, 365; got 5"), "{err}");
    assert!(
        err.contains("3 |   log_retention_days: 5\n  |                       ^"),
        "{err}"
    );
}

/// Every file under `dir`, relative to it.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out
}

#[test]
fn export_writes_nothing_outside_its_folder() {
    // A Terraform service, so the attacker would also choose the content; an instance named to
    // climb out of the output folder.
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    let write = |path: &str, text: &str| {
        let path = bundle.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "schema/schema.yaml",
        "schema:\n  format: {openapi: 3.0.0}\n  service_input_type: S\n  types:\n    S:\n      type: object\n      properties: {}\n",
    );
    write(
        "instance_infrastructure/manifest.yaml",
        "infrastructure:\n  templates:\n    - file: '*'\n      rendering_engine: hcl\n      template_language: terraform\n",
    );
    write("instance_infrastructure/main.tf", "# owned\n");
    let spec = dir.path().join("spec.yaml");
    std::fs::write(
        &spec,
        "proton: ServiceSpec\ninstances:\n  - name: ../../escaped\n    environment: dev\n  - name: fine\n    environment: dev\n",
    )
    .unwrap();
    let out = dir.path().join("deep/out");
    let (code, _, err) = cli(&[
        "export",
        bundle.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[export-path]"), "{err}");
    assert!(err.contains("../../escaped"), "{err}");
    let everything = files_under(dir.path());
    assert!(
        everything
            .iter()
            .all(|p| p.starts_with("bundle/") || p.starts_with("deep/out/") || p == "spec.yaml"),
        "{everything:?}"
    );
    assert!(
        files_under(&out)
            .iter()
            .any(|p| p.contains("service-instance/fine/")),
        "{everything:?}"
    );

    // An archive named `...tar.gz` names the bundle `..`: it is exported under `bundle/`.
    let archive = dir.path().join("...tar.gz");
    let texts: Vec<(String, String)> = files_under(&bundle)
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(bundle.join(&p)).unwrap();
            (p, text)
        })
        .collect();
    let packed = proton_playground::bundle::files::pack_tar_gz(
        texts.iter().map(|(p, t)| (p.as_str(), t.as_str())),
    );
    std::fs::write(&archive, packed).unwrap();
    let out2 = dir.path().join("out2");
    let (code, _, err) = cli(&[
        "export",
        archive.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert!(code <= 1, "{err}");
    assert!(
        files_under(&out2).iter().all(|p| p.starts_with("bundle/")),
        "{:?} {err}",
        files_under(&out2)
    );
    assert!(!dir.path().join("instance_infrastructure").exists());
}

#[test]
fn the_page_renders_a_missing_required_input_with_an_example() {
    let schema = "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      required: [cidr]\n      properties:\n        cidr: {type: string, pattern: '^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$'}\n";
    let ws = workspace(&[
        ("schema/schema.yaml", schema),
        ("infrastructure/manifest.yaml", MANIFEST),
        (
            "infrastructure/cloudformation.yaml",
            "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {{ environment.inputs.cidr }}\n",
        ),
    ]);
    // Proton (and the CLI) refuse it.
    let refused = run(&ws.bundles[0], &Request::default());
    assert!(refused
        .diagnostics
        .iter()
        .any(|d| d.code == "input-required"));
    // The page renders it with an example that satisfies the pattern, and says so.
    let page = run(
        &ws.bundles[0],
        &Request {
            fill_required: true,
            ..Default::default()
        },
    );
    assert!(!page.has_errors(), "{:#?}", page.diagnostics);
    assert!(page.outputs[0].content.contains("CidrBlock: 0.0.0.0/0"));
    let example = page
        .diagnostics
        .iter()
        .find(|d| d.code == "input-example")
        .unwrap();
    assert_eq!(example.severity, proton_playground::Severity::Info);
    assert!(example.message.contains("a real spec must set it"));
    assert_eq!(example.file.as_deref(), Some("schema/schema.yaml"));
}

/// The CloudFormation checks judge the template's text and the spec's inputs, never the values
/// mocked outputs or the page's example inputs put there (issue #19's "no noise from mocks").
#[test]
fn values_from_mocks_and_examples_are_not_judged_the_inputs_are() {
    let schema = "schema:\n  format: {openapi: 3.0.0}\n  service_input_type: S\n  types:\n    S:\n      type: object\n      required: [group]\n      properties:\n        group: {type: string}\n";
    let template = "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n      VpcId: '{{ environment.outputs.VpcId }}'\n      SecurityGroupEgress:\n        - IpProtocol: '-1'\n          DestinationSecurityGroupId: '{{ service_instance.inputs.group }}'\n";
    let ws = workspace(&[
        ("schema/schema.yaml", schema),
        ("instance_infrastructure/manifest.yaml", MANIFEST),
        ("instance_infrastructure/cloudformation.yaml", template),
    ]);
    let mut mocks = proton_playground::Mocks::default();
    mocks
        .environment
        .outputs
        .insert("VpcId".into(), "mock-VpcId".into());
    let formats = |request: &Request| -> Vec<String> {
        let report = run(&ws.bundles[0], request);
        assert!(
            report.outputs[0].content.contains("VpcId: 'mock-VpcId'"),
            "{}",
            report.outputs[0].content
        );
        report
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "cfn-value-format")
            .map(|d| d.message)
            .collect()
    };
    // The page: the mocked VPC and the example security group are placeholders.
    let page = Request {
        mocks: mocks.clone(),
        fill_required: true,
        ..Default::default()
    };
    assert_eq!(formats(&page), Vec::<String>::new());
    // A spec's own value is judged (the mocked VPC still is not).
    let spec = Request {
        mocks,
        spec: Some(SpecSource {
            path: "spec.yaml".into(),
            text: "proton: ServiceSpec\ninstances:\n  - name: a\n    environment: e\n    spec:\n      group: web-servers\n".into(),
        }),
        ..Default::default()
    };
    let found = formats(&spec);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("web-servers"), "{found:?}");
}

#[test]
fn a_default_breaking_its_own_constraints_is_a_warning() {
    // sample-template-aws-proton's ec2-autoscaling/service: optional account ids with
    // `minLength: 12` and `default: ""` (docs/proton-semantics.md §4 (5)).
    let schema = "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        account: {type: string, minLength: 12, maxLength: 12, default: ''}\n";
    let ws = workspace(&[
        ("schema/schema.yaml", schema),
        ("infrastructure/manifest.yaml", MANIFEST),
        (
            "infrastructure/cloudformation.yaml",
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n# [{{ environment.inputs.account }}]\n",
        ),
    ]);
    let d = render(&ws, None);
    assert_eq!(
        find(&d, "schema-default").severity,
        proton_playground::Severity::Warning
    );
    assert!(!d.iter().any(Diagnostic::is_error), "{d:#?}");
    let report = run(&ws.bundles[0], &Request::default());
    assert!(report.outputs[0].content.contains("# []"));
    // A value the spec sets is still judged.
    let d = render(
        &ws,
        Some("proton: EnvironmentSpec\nspec:\n  account: '123'\n"),
    );
    assert!(find(&d, "input-length").is_error(), "{d:#?}");
    // No command stops on it: `check` passes, with the warning.
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("schema/schema.yaml", schema),
        ("infrastructure/manifest.yaml", MANIFEST),
        (
            "infrastructure/cloudformation.yaml",
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
        ),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_proton-playground"))
        .args(["check", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("warning[schema-default]"), "{err}");
}
