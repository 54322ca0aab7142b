//! Every example bundle renders cleanly through the library API and the CLI.

use proton_playground::{run, Mocks, Request, SpecSource, Target, Workspace};
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn spec(path: &str) -> Option<SpecSource> {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    Some(SpecSource {
        path: path.into(),
        text,
    })
}

fn mocks(path: &str) -> Mocks {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let doc = proton_playground::yaml::parse(&text).unwrap();
    serde_json::from_value(doc.root.to_json()).unwrap()
}

fn load(path: &str) -> Workspace {
    Workspace::load_path(&root().join(path)).unwrap()
}

fn assert_clean(report: &proton_playground::Report) {
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(!report.outputs.is_empty());
}

#[test]
fn repository_layout_holds_both_templates() {
    let ws = load("examples/templates");
    assert!(ws.repository);
    let labels: Vec<_> = ws.bundles.iter().map(|b| b.label()).collect();
    assert_eq!(
        labels,
        [
            "ecs-fargate-service:1",
            "ecs-fargate-service:2",
            "ecs-shared-env:1",
            "ecs-shared-env:2"
        ]
    );
    let svc = ws.select(Some("ecs-fargate-service:1")).unwrap();
    assert_eq!(
        svc.registration.as_ref().unwrap().compatible_environments,
        [("ecs-shared-env".to_string(), 1)]
    );
}

#[test]
fn environment_renders_with_each_spec() {
    let ws = load("examples/templates/ecs-shared-env/v1");
    let bundle = &ws.bundles[0];
    for (spec_path, nat_gateways) in [
        ("examples/specs/dev-environment.yaml", 1),
        ("examples/specs/prod-environment.yaml", 2),
    ] {
        let report = run(
            bundle,
            &Request {
                spec: spec(spec_path),
                ..Default::default()
            },
        );
        assert_clean(&report);
        let text = &report.outputs[0].content;
        assert_eq!(
            text.matches("Type: AWS::EC2::NatGateway").count(),
            nat_gateways
        );
        assert!(
            report.spec.starts_with("proton: EnvironmentSpec\nspec:\n"),
            "{}",
            report.spec
        );
    }
    // Defaults only: the exported spec omits every field.
    let report = run(bundle, &Request::default());
    assert_clean(&report);
    assert_eq!(report.spec, "proton: EnvironmentSpec\nspec: {}\n");
}

#[test]
fn service_instances_pipeline_and_component() {
    let ws = load("examples/templates/ecs-fargate-service/v1");
    let bundle = &ws.bundles[0];
    let request = Request {
        spec: spec("examples/specs/payment-api.yaml"),
        mocks: mocks("examples/mocks/payment-api.yaml"),
        instance: Some("prod".into()),
        ..Default::default()
    };
    let report = run(bundle, &request);
    assert_clean(&report);
    assert_eq!(report.instance.as_deref(), Some("prod"));
    assert!(report.outputs[0].content.contains("DesiredCount: 2"));
    assert!(!report.outputs[0].content.contains("ManagedPolicyArns"));

    let pipeline = run(
        bundle,
        &Request {
            target: Some(Target::Pipeline),
            ..request.clone()
        },
    );
    assert_clean(&pipeline);
    assert_eq!(
        pipeline.outputs[0].path,
        "pipeline_infrastructure/cloudformation.yaml"
    );
    assert!(
        pipeline.outputs[0].content.contains("Deploy-dev")
            && pipeline.outputs[0].content.contains("Deploy-prod")
    );

    let attached = run(
        bundle,
        &Request {
            mocks: mocks("examples/mocks/payment-api-with-queue.yaml"),
            ..request
        },
    );
    assert_clean(&attached);
    assert!(attached.outputs[0]
        .content
        .contains("- arn:aws:iam::111122223333:policy/payment-api-dev-queue-access"));

    let component = load("examples/components/sqs-queue");
    let report = run(
        &component.bundles[0],
        &Request {
            spec: spec("examples/specs/payment-api-job-queue.yaml"),
            mocks: mocks("examples/mocks/payment-api-with-queue.yaml"),
            ..Default::default()
        },
    );
    assert_clean(&report);
    assert_eq!(report.target, Target::Component);
    assert!(report.outputs[0]
        .content
        .contains("QueueName: \"payment-api-dev-jobs\""));
}

#[test]
fn cli_renders_every_example() {
    let bin = env!("CARGO_BIN_EXE_proton-playground");
    let cases: &[&[&str]] = &[
        &[
            "render",
            "examples/templates/ecs-shared-env/v1",
            "--spec",
            "examples/specs/dev-environment.yaml",
        ],
        &[
            "render",
            "examples/templates",
            "--template",
            "ecs-shared-env:1",
        ],
        &[
            "render",
            "examples/templates/ecs-fargate-service/v1",
            "--spec",
            "examples/specs/payment-api.yaml",
            "--mocks",
            "examples/mocks/payment-api.yaml",
            "--instance",
            "dev",
        ],
        &[
            "render",
            "examples/templates/ecs-fargate-service/v1",
            "--target",
            "pipeline",
            "--spec",
            "examples/specs/payment-api.yaml",
            "--mocks",
            "examples/mocks/payment-api.yaml",
        ],
        &[
            "render",
            "examples/components/sqs-queue",
            "--spec",
            "examples/specs/payment-api-job-queue.yaml",
            "--mocks",
            "examples/mocks/payment-api-with-queue.yaml",
        ],
    ];
    for args in cases {
        let out = Command::new(bin)
            .args(*args)
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with("AWSTemplateFormatVersion"),
            "{args:?}"
        );
    }
}

#[test]
fn cli_compat_and_repository_check() {
    let bin = env!("CARGO_BIN_EXE_proton-playground");
    let cli = |args: &[&str]| {
        let out = Command::new(bin)
            .args(args)
            .current_dir(root())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The repository is consistent: versions, pairings and output contracts.
    let (code, _, err) = cli(&["check", "examples/templates"]);
    assert_eq!(code, Some(0), "{err}");
    // v1 → v2 of the environment is breaking, and declared major by its folders: honest.
    let (code, out, _) = cli(&[
        "compare",
        "examples/templates/ecs-shared-env/v1",
        "examples/templates/ecs-shared-env/v2",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("environment inputs: cost_center: required input added without a default"),
        "{out}"
    );
    assert!(
        out.contains("needs: major; declared: major; the bump is honest"),
        "{out}"
    );
    // The proposed minor change is secretly breaking: exit 1.
    let (code, out, _) = cli(&[
        "compare",
        "examples/templates/ecs-shared-env/v1",
        "examples/proposals/ecs-shared-env-v1-minor",
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("narrowed (enum value removed): major"),
        "{out}"
    );
    let (code, out, _) = cli(&[
        "compat",
        "examples/templates/ecs-shared-env/v1",
        "examples/proposals/ecs-shared-env-v1-minor",
        "--declared",
        "major",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["required"], "major");
    assert_eq!(json["resources"][0]["logical_id"], "NatEip2");
    // Service v2 runs in environment v2 only; pointing it at v1's outputs breaks the contract.
    let (code, out, _) = cli(&[
        "compat",
        "examples/templates",
        "examples/templates",
        "--old-template",
        "ecs-fargate-service:1",
        "--new-template",
        "ecs-fargate-service:2",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("ecs-shared-env:2 added") && out.contains("ecs-shared-env:1 removed"),
        "{out}"
    );
}

#[test]
fn cli_fleet_upgrade() {
    let bin = env!("CARGO_BIN_EXE_proton-playground");
    let out = Command::new(bin)
        .args([
            "fleet",
            "examples/templates/ecs-shared-env/v2",
            "--specs",
            "examples/specs",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("ecs-shared-env:2: 0 pass, 2 fail"), "{text}");
    let out = Command::new(bin)
        .args([
            "upgrade",
            "examples/templates/ecs-fargate-service/v2",
            "--specs",
            "examples/specs/payment-api.yaml",
            "--format",
            "json",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["passed"], 3);
}

#[test]
fn cli_exports_every_template_target_and_instance() {
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_proton-playground"))
        .arg("export")
        .arg(root().join("examples/templates"))
        .args(["--template", "ecs-fargate-service:1", "--spec"])
        .arg(root().join("examples/specs/payment-api.yaml"))
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    for file in [
        "ecs-fargate-service/v1/service-instance/dev/instance_infrastructure/cloudformation.yaml",
        "ecs-fargate-service/v1/service-instance/prod/instance_infrastructure/cloudformation.yaml",
        "ecs-fargate-service/v1/pipeline/pipeline_infrastructure/cloudformation.yaml",
        "ecs-fargate-service/v1/spec.yaml",
        "ecs-shared-env/v1/environment/infrastructure/cloudformation.yaml",
    ] {
        let text = std::fs::read_to_string(out.path().join(file)).unwrap();
        assert!(!text.is_empty(), "{file}");
    }
}
