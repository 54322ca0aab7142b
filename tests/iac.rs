//! Terraform and CodeBuild bundles (docs/proton-semantics.md §9, §10): `.tf` passed through byte
//! for byte with `proton.auto.tfvars.json`, CodeBuild `proton-inputs.json` and rendered
//! `project_properties`.

use proton_playground::bundle::FileTree;
use proton_playground::{run, Request, SpecSource, Target, Workspace};
use std::path::Path;

fn terraform_corpus() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/bundles/aws-proton-terraform-sample-templates");
    dir.is_dir().then_some(dir)
}

#[test]
fn terraform_environment_passes_tf_through_with_tfvars() {
    let Some(corpus) = terraform_corpus() else {
        eprintln!("skipping: ../shared/corpus is absent");
        return;
    };
    let bundle_dir = corpus.join("environment-templates/vpc-env/v1");
    let ws = Workspace::load_path(&bundle_dir).unwrap();
    let bundle = &ws.bundles[0];
    let spec = std::fs::read_to_string(corpus.join("environment-templates/vpc-env/spec/spec.yaml"))
        .unwrap();
    let mut request = Request {
        spec: Some(SpecSource {
            path: "spec.yaml".into(),
            text: spec,
        }),
        ..Default::default()
    };
    request.mocks.environment.name = Some("dev".into());
    request.mocks.environment.account_id = Some("111122223333".into());
    let report = run(bundle, &request);
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let paths: Vec<&str> = report.outputs.iter().map(|o| o.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "infrastructure/config.tf",
            "infrastructure/data.tf",
            "infrastructure/locals.tf",
            "infrastructure/main.tf",
            "infrastructure/outputs.tf",
            "infrastructure/proton.auto.tfvars.json"
        ]
    );
    for o in &report.outputs[..5] {
        assert_eq!(
            o.content,
            std::fs::read_to_string(bundle_dir.join(&o.path)).unwrap(),
            "{} must pass through",
            o.path
        );
    }
    let tfvars = &report.outputs[5].content;
    assert!(
        tfvars.starts_with("{\n  \"environment\": {\n    \"name\": \"dev\",\n    \"inputs\": {\n"),
        "{tfvars}"
    );
    assert!(
        tfvars.contains("      \"private_subnet_two_cidr\": \"10.0.192.0/18\"\n"),
        "{tfvars}"
    );
    assert!(
        !tfvars.contains("account_id"),
        "the environment file never carries account_id"
    );
    assert!(tfvars.ends_with("}\n"));
}

#[test]
fn terraform_service_instance_and_pipeline_files() {
    let Some(corpus) = terraform_corpus() else {
        eprintln!("skipping: ../shared/corpus is absent");
        return;
    };
    let ws = Workspace::load_path(&corpus.join("service-templates/apigw-lambda-svc/v1")).unwrap();
    let bundle = &ws.bundles[0];
    let spec =
        "proton: ServiceSpec\npipeline: {}\ninstances:\n  - name: api\n    environment: dev\n";
    let request = Request {
        spec: Some(SpecSource {
            path: "spec.yaml".into(),
            text: spec.into(),
        }),
        ..Default::default()
    };
    let instance = run(bundle, &request);
    let tfvars = instance
        .outputs
        .iter()
        .find(|o| o.path == "instance_infrastructure/proton.auto.tfvars.json")
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&tfvars.content).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["environment", "service", "service_instance"]);
    assert_eq!(
        json["service_instance"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["name", "inputs"]
    );
    let pipeline = run(
        bundle,
        &Request {
            target: Some(Target::Pipeline),
            ..request
        },
    );
    let tfvars = pipeline
        .outputs
        .iter()
        .find(|o| o.path == "pipeline_infrastructure/proton.auto.tfvars.json")
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&tfvars.content).unwrap();
    assert_eq!(
        json.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["service", "pipeline", "service_instances"]
    );
    assert_eq!(json["service_instances"][0]["name"], "api");
}

#[test]
fn codebuild_inputs_file_and_project_properties() {
    let manifest = "infrastructure:\n  templates:\n    - rendering_engine: codebuild\n      settings:\n        image: aws/codebuild/amazonlinux2-x86_64-standard:4.0\n        runtimes:\n          nodejs: 16\n        provision:\n          - npm install\n          - npm run deploy\n        deprovision:\n          - npm run destroy\n        project_properties:\n          VpcConfig:\n            VpcId: \"{{ environment.inputs.codebuild_vpc_id }}\"\n";
    let schema = "schema:\n  format: {openapi: \"3.0.0\"}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        codebuild_vpc_id: {type: string, default: vpc-123}\n        port: {type: integer, default: 8080}\n        load_balanced: {type: boolean, default: true}\n";
    let (tree, diags) = FileTree::from_texts([
        ("schema/schema.yaml", schema),
        ("infrastructure/manifest.yaml", manifest),
    ]);
    let ws = Workspace::from_tree(tree, diags);
    assert!(
        ws.all_diagnostics().is_empty(),
        "{:#?}",
        ws.all_diagnostics()
    );
    let mut request = Request::default();
    request.mocks.environment.name = Some("dev".into());
    let report = run(&ws.bundles[0], &request);
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    assert_eq!(report.outputs.len(), 1);
    assert_eq!(report.outputs[0].path, "infrastructure/proton-inputs.json");
    assert_eq!(
        report.outputs[0].content,
        "{\n  \"environment\": {\n    \"name\": \"dev\",\n    \"inputs\": {\n      \"codebuild_vpc_id\": \"vpc-123\",\n      \"port\": 8080,\n      \"load_balanced\": true\n    }\n  }\n}\n"
    );
    assert_eq!(
        report.extras[0].path,
        "infrastructure/project_properties.rendered.json"
    );
    assert!(
        report.extras[0].content.contains("\"VpcId\": \"vpc-123\""),
        "{}",
        report.extras[0].content
    );
}
