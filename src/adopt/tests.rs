//! Accounts built from `examples/`: each stack is what Proton deployed (the render of a version
//! for a spec, its tags, its outputs), some edited by hand since, some not Proton's.

use super::account::Account;
use super::*;
use crate::context::EnvironmentMock;
use serde_json::json;
use std::path::Path;

const ACCOUNT: &str = "111122223333";
const ARN: &str = "arn:aws:proton:us-east-1:111122223333";

/// One stack Proton deployed: the bundle and the request it rendered, and its tags.
pub struct Deployed {
    pub name: String,
    pub tags: Vec<(String, String)>,
    pub outputs: Vec<(String, String)>,
    pub body: String,
}

fn examples() -> Workspace {
    Workspace::load_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates")).unwrap()
}

fn bundle<'w>(ws: &'w Workspace, root: &str) -> &'w Bundle {
    ws.bundles.iter().find(|b| b.root == root).unwrap()
}

/// The body Proton deployed for `request`.
fn deploy(bundle: &Bundle, request: &Request) -> String {
    let report = run(bundle, request);
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    report.outputs[0].content.clone()
}

fn spec(text: &str) -> Option<SpecSource> {
    Some(SpecSource {
        path: "spec.yaml".into(),
        text: text.into(),
    })
}

fn tag(key: &str, value: String) -> (String, String) {
    (key.to_string(), value)
}

/// An environment stack of `root` for `spec_text`, named `env`.
fn environment(ws: &Workspace, root: &str, env: &str, spec_text: &str) -> Deployed {
    let b = bundle(ws, root);
    let mut mocks = Mocks::default();
    mocks.environment.name = Some(env.into());
    mocks.environment.account_id = Some(ACCOUNT.into());
    let body = deploy(
        b,
        &Request {
            spec: spec(spec_text),
            mocks,
            ..Default::default()
        },
    );
    Deployed {
        name: format!("AWSProton-{env}-cloudformation-ABC"),
        tags: vec![
            tag("proton:account", ACCOUNT.into()),
            tag(
                "proton:template",
                format!("{ARN}:environment-template/{}", b.name),
            ),
            tag("proton:environment", format!("{ARN}:environment/{env}")),
        ],
        outputs: env_outputs(env),
        body,
    }
}

/// What an environment stack outputs (what its services read).
fn env_outputs(env: &str) -> Vec<(String, String)> {
    [
        ("VpcId", format!("vpc-{env}0a1b2c3d")),
        ("PrivateSubnetIds", format!("subnet-{env}1,subnet-{env}2")),
        (
            "ECSClusterArn",
            format!("arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/{env}"),
        ),
        (
            "TaskExecutionRoleArn",
            format!("arn:aws:iam::{ACCOUNT}:role/{env}-exec"),
        ),
        ("SharedLogGroupName", format!("/proton/{env}/services")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The instance stacks and pipeline of a service for `spec_text`.
fn service(ws: &Workspace, root: &str, service: &str, spec_text: &str) -> Vec<Deployed> {
    let b = bundle(ws, root);
    let (parsed, _) = crate::schema::spec::parse(
        spec_text,
        "spec.yaml",
        Some(crate::schema::spec::SpecKind::Service),
        true,
    );
    let mut out = Vec::new();
    let service_tags = |extra: Vec<(String, String)>| {
        let mut tags = vec![
            tag("proton:account", ACCOUNT.into()),
            tag(
                "proton:template",
                format!("{ARN}:service-template/{}", b.name),
            ),
            tag("proton:service", format!("{ARN}:service/{service}")),
        ];
        tags.extend(extra);
        tags
    };
    let mut pipeline_mocks = Mocks::default();
    pipeline_mocks.service.name = Some(service.into());
    pipeline_mocks.service.repository_id = Some("myorg/payment-api".into());
    for instance in &parsed.instances {
        let environment = instance.environment.clone().unwrap();
        let mut mocks = Mocks::default();
        mocks.service.name = Some(service.into());
        mocks.service.repository_id = Some("myorg/payment-api".into());
        mocks.environment.name = Some(environment.clone());
        mocks.environment.account_id = Some(ACCOUNT.into());
        mocks.environment.outputs = env_outputs(&environment)
            .into_iter()
            .map(|(k, v)| (k, json!(v)))
            .collect();
        let outputs = vec![(
            "ServiceURL".to_string(),
            format!("https://{}.example.com", instance.name),
        )];
        pipeline_mocks
            .outputs_by_instance
            .insert(instance.name.clone(), json!({"ServiceURL": outputs[0].1}));
        pipeline_mocks.environments.insert(
            environment.clone(),
            EnvironmentMock {
                name: None,
                account_id: Some(ACCOUNT.into()),
                outputs: mocks.environment.outputs.clone(),
            },
        );
        let body = deploy(
            b,
            &Request {
                target: Some(Target::ServiceInstance),
                instance: Some(instance.name.clone()),
                spec: spec(spec_text),
                mocks,
                ..Default::default()
            },
        );
        out.push(Deployed {
            name: format!("AWSProton-{service}-{}-cloudformation-XYZ", instance.name),
            tags: service_tags(vec![
                tag(
                    "proton:environment",
                    format!("{ARN}:environment/{environment}"),
                ),
                tag(
                    "proton:service-instance",
                    format!("{ARN}:service/{service}/service-instance/{}", instance.name),
                ),
            ]),
            outputs,
            body,
        });
    }
    if b.has_pipeline() && parsed.pipeline.is_some() {
        let body = deploy(
            b,
            &Request {
                target: Some(Target::Pipeline),
                spec: spec(spec_text),
                mocks: pipeline_mocks,
                ..Default::default()
            },
        );
        out.push(Deployed {
            name: format!("AWSProton-{service}-pipeline-cloudformation-PPP"),
            tags: service_tags(Vec::new()),
            outputs: Vec::new(),
            body,
        });
    }
    out
}

/// The account as describe-stacks and get-template print it.
fn account_of(stacks: &[Deployed]) -> (account::Texts, account::Texts) {
    let list: Vec<Json> = stacks
        .iter()
        .map(|s| {
            json!({
                "StackName": s.name,
                "StackStatus": "UPDATE_COMPLETE",
                "Tags": s.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
                "Outputs": s.outputs.iter().map(|(k, v)| json!({"OutputKey": k, "OutputValue": v})).collect::<Vec<_>>(),
                "Parameters": [],
            })
        })
        .collect();
    // Paginated: two pages.
    let (first, second) = list.split_at(list.len() / 2);
    let pages = vec![
        (
            "page1.json".to_string(),
            json!({"Stacks": first}).to_string(),
        ),
        (
            "page2.json".to_string(),
            json!({"Stacks": second}).to_string(),
        ),
    ];
    let templates = stacks
        .iter()
        .map(|s| {
            (
                format!("templates/{}.json", s.name),
                json!({"TemplateBody": s.body, "StagesAvailable": ["Original", "Processed"]})
                    .to_string(),
            )
        })
        .collect();
    (pages, templates)
}

fn file<'a>(adoption: &'a Adoption, path: &str) -> &'a str {
    adoption
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| {
            panic!(
                "no {path} among {:?}",
                adoption.files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
        .content
        .as_str()
}

/// Both proofs of an exact stack, from the files alone.
fn assert_both_proofs(ws: &Workspace, adoption: &Adoption, entry: &AdoptedStack, body: &str) {
    let b = ws
        .bundles
        .iter()
        .find(|b| {
            Some(&b.name) == entry.template.as_ref()
                && b.major.map(|m| m.to_string()) == entry.version
        })
        .unwrap();
    // `render` with the spec and mocks files gives the deployed body byte for byte.
    let spec_file = entry.spec_file.as_deref().unwrap();
    let mocks_text = file(adoption, entry.mocks_file.as_deref().unwrap());
    let mocks: Mocks =
        serde_json::from_value(crate::yaml::parse(mocks_text).unwrap().root.to_json()).unwrap();
    let target = match entry.kind.as_deref() {
        Some("environment") => Target::Environment,
        Some("pipeline") => Target::Pipeline,
        _ => Target::ServiceInstance,
    };
    let report = run(
        b,
        &Request {
            target: Some(target),
            instance: entry.instance.clone(),
            spec: Some(SpecSource {
                path: spec_file.into(),
                text: file(adoption, spec_file).into(),
            }),
            mocks,
            ..Default::default()
        },
    );
    assert!(
        !report.has_errors(),
        "{}: {:#?}",
        entry.stack,
        report.diagnostics
    );
    assert_eq!(report.outputs[0].content, body, "{}", entry.stack);
    // The deployment file resolved against its template is the deployed body.
    let deployment = crate::yaml::parse(file(adoption, entry.deployment_file.as_deref().unwrap()))
        .unwrap()
        .root
        .to_json();
    let template = file(adoption, deployment["template-file-path"].as_str().unwrap());
    let parameters = deployment["parameters"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    migrate::verify(template, &parameters, body).unwrap_or_else(|e| panic!("{}: {e}", entry.stack));
    // Proton's tags are kept, so connecting Git Sync updates no resource.
    assert!(deployment["tags"]["proton:template"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:proton:"));
}

#[test]
fn an_account_of_the_examples_is_adopted_exactly() {
    let ws = examples();
    let mut stacks = vec![
        environment(&ws, "ecs-shared-env/v1", "dev", "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 10.10.0.0/16\n  container_insights: true\n  log_retention_days: 7\n  nat_gateway_count: 2\n"),
        environment(&ws, "ecs-shared-env/v2", "prod", "proton: EnvironmentSpec\nspec:\n  cost_center: cc-4471\n  vpc_cidr: 10.20.0.0/16\n  log_retention_days: 90\n"),
    ];
    stacks.extend(service(
        &ws,
        "ecs-fargate-service/v1",
        "payment-api",
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/specs/payment-api.yaml"),
        )
        .unwrap(),
    ));
    let (pages, templates) = account_of(&stacks);
    let (account, d) = Account::read(&pages, &templates);
    assert!(d.is_empty(), "{d:#?}");
    let adoption = adopt(&ws, &account, OutputsMode::Parameters);
    for stack in &stacks {
        let entry = adoption
            .stacks
            .iter()
            .find(|e| e.stack == stack.name)
            .unwrap();
        assert_eq!(
            entry.status,
            Status::Exact,
            "{}: {:#?}",
            stack.name,
            entry.diagnostics
        );
        assert_both_proofs(&ws, &adoption, entry, &stack.body);
    }
    let dev = adoption
        .stacks
        .iter()
        .find(|e| e.stack.contains("-dev-"))
        .unwrap();
    assert_eq!(dev.version.as_deref(), Some("1"));
    let spec = file(&adoption, dev.spec_file.as_deref().unwrap());
    assert!(spec.contains("vpc_cidr: 10.10.0.0/16"), "{spec}");
    assert!(
        spec.contains("# ") && spec.contains("read off the deployed template"),
        "{spec}"
    );
    assert!(file(&adoption, "iam/git-sync-role.json")
        .contains("stack/AWSProton-dev-cloudformation-ABC/*"));
    let summary: Json = serde_json::from_str(file(&adoption, "adoption.json")).unwrap();
    assert_eq!(summary["stacks"].as_array().unwrap().len(), stacks.len());
}

#[test]
fn edited_stacks_drift_and_strangers_are_unmatched() {
    let ws = examples();
    let mut edited = environment(
        &ws,
        "ecs-shared-env/v1",
        "qa",
        "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 10.30.0.0/16\n",
    );
    // Edited by hand after Proton deployed it.
    edited.body = edited.body.replacen(
        "Type: AWS::EC2::VPC",
        "Type: AWS::EC2::VPC\n    DeletionPolicy: Retain",
        1,
    );
    assert!(edited.body.contains("DeletionPolicy: Retain"));
    let mut unknown = environment(
        &ws,
        "ecs-shared-env/v1",
        "lab",
        "proton: EnvironmentSpec\nspec: {}\n",
    );
    unknown.tags[1].1 = format!("{ARN}:environment-template/not-given");
    let stranger = Deployed {
        name: "hand-made".into(),
        tags: Vec::new(),
        outputs: Vec::new(),
        body: "Resources: {}\n".into(),
    };
    let (pages, templates) = account_of(&[edited, unknown, stranger]);
    let (account, _) = Account::read(&pages, &templates);
    let adoption = adopt(&ws, &account, OutputsMode::Parameters);
    let status = |name: &str| {
        adoption
            .stacks
            .iter()
            .find(|e| e.stack.contains(name))
            .unwrap()
    };
    let qa = status("-qa-");
    assert_eq!(qa.status, Status::Drift, "{:#?}", qa.diagnostics);
    assert!(qa.diagnostics.iter().any(|d| d.code == "adopt-drift"));
    // Every finding about it names the stack (and its template), as data.
    assert!(qa.diagnostics.iter().all(|d| matches!(
        d.subject.as_deref(),
        Some(crate::diagnostic::Subject::Stack { stack, template: Some(t) })
            if *stack == qa.stack && t == "ecs-shared-env"
    )));
    assert!(qa
        .diagnostics
        .iter()
        .any(|d| d.code == "adopt-difference" && d.message.contains("DeletionPolicy")));
    // Its deployment points at the body as deployed: connecting Git Sync changes nothing.
    let deployed = file(&adoption, qa.template_file.as_deref().unwrap());
    assert!(deployed.contains("DeletionPolicy: Retain"));
    assert!(file(&adoption, qa.deployment_file.as_deref().unwrap()).contains("templates/deployed/"));
    assert_eq!(status("-lab-").status, Status::Unmatched);
    assert!(status("-lab-").diagnostics[0].message.contains("not-given"));
    let stranger = status("hand-made");
    assert_eq!(stranger.status, Status::Unmatched);
    assert_eq!(stranger.diagnostics[0].severity, crate::Severity::Info);
    // Nothing unproven is claimed.
    assert!(adoption.stacks.iter().all(|e| e.status != Status::Exact));
}
