use super::*;
use crate::bundle::FileTree;
use std::path::Path;

fn example(path: &str) -> SpecInput {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    SpecInput {
        template: None,
        source: SpecSource {
            path: path.rsplit('/').next().unwrap().to_string(),
            text: std::fs::read_to_string(root.join(path)).unwrap(),
        },
        stacks: Vec::new(),
        from_form: false,
        unconfirmed_mocks: false,
    }
}

fn spec(name: &str, text: &str) -> SpecInput {
    SpecInput {
        template: None,
        source: SpecSource {
            path: name.into(),
            text: text.into(),
        },
        stacks: Vec::new(),
        from_form: false,
        unconfirmed_mocks: false,
    }
}

fn mocks(path: &str) -> Mocks {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_json::from_value(crate::yaml::parse(&text).unwrap().root.to_json()).unwrap()
}

const MANIFEST: &str = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
const SCHEMA: &str = r#"schema:
  format: {openapi: 3.0.0}
  environment_input_type: E
  types:
    E:
      type: object
      properties:
        name: {type: string, description: "The bucket's name", pattern: "^[a-z-]+$"}
        versioned: {type: boolean, default: false}
        size: {type: number, default: 10, minimum: 1}
        tier: {type: string, enum: [small, large], default: small}
"#;

/// A one-environment workspace with `template` as its CloudFormation template.
fn environment(template: &str) -> Workspace {
    let tree = FileTree::from_texts([
        ("env/v1/schema/schema.yaml", SCHEMA),
        ("env/v1/infrastructure/manifest.yaml", MANIFEST),
        ("env/v1/infrastructure/cloudformation.yaml", template),
    ])
    .0;
    Workspace::from_tree(tree, Vec::new())
}

/// The dev and prod stacks of [`environment`]`(template)`, migrated.
fn migrate_environment(template: &str) -> Migration {
    migrate(
        &environment(template),
        &stacks(),
        &Mocks::default(),
        OutputsMode::Parameters,
    )
}

fn stacks() -> Vec<SpecInput> {
    vec![
        spec("dev.yaml", "proton: EnvironmentSpec\nspec:\n  name: dev-data\n"),
        spec(
            "prod.yaml",
            "proton: EnvironmentSpec\nspec:\n  name: prod-data\n  versioned: true\n  size: 20\n  tier: large\n",
        ),
    ]
}

fn file<'m>(migration: &'m Migration, path: &str) -> &'m str {
    &migration
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| {
            panic!(
                "{path} missing: {:?}",
                migration.files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
        .content
}

/// Each stack's deployment file parameters.
fn parameters(migration: &Migration, stack: &str) -> Map<String, Json> {
    migration
        .stacks
        .iter()
        .find(|s| s.name == stack)
        .unwrap()
        .parameters
        .clone()
}

#[test]
fn the_examples_parameterize_and_prove() {
    let workspace =
        Workspace::load_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates"))
            .unwrap();
    let specs = [
        example("examples/specs/dev-environment.yaml"),
        example("examples/specs/prod-environment.yaml"),
        example("examples/specs/payment-api.yaml"),
    ];
    let migration = migrate(
        &workspace,
        &specs,
        &mocks("examples/mocks/payment-api.yaml"),
        OutputsMode::Parameters,
    );
    assert!(!migration.has_errors(), "{:#?}", migration.diagnostics);
    let statuses: Vec<(&str, &str)> = migration
        .templates
        .iter()
        .map(|t| (t.target.as_str(), t.status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("environment", "parameterized"),
            ("service-instance", "parameterized"),
            ("pipeline", "parameterized")
        ]
    );
    // The NAT gateways a `for` repeats per environment: one Fn::ForEach over a list parameter.
    let env = file(&migration, "templates/ecs-shared-env-v1/environment.yaml");
    assert!(env.contains("Transform: AWS::LanguageExtensions"), "{env}");
    assert!(env.contains("Fn::ForEach::NLoop:"), "{env}");
    assert_eq!(
        parameters(&migration, "dev-environment")["NatGatewayCountValues"],
        "1"
    );
    assert_eq!(
        parameters(&migration, "prod-environment")["NatGatewayCountValues"],
        "1,2"
    );
    assert_eq!(
        parameters(&migration, "prod-environment")["EnvironmentName"],
        "prod-environment"
    );
    // Every stack has a deployment file naming its template.
    for stack in &migration.stacks {
        let deployment = file(&migration, &stack.deployment_file);
        assert!(
            deployment.contains(&format!("template-file-path: {}", stack.template_file)),
            "{deployment}"
        );
    }
    let summary: Json = serde_json::from_str(file(&migration, "migration.json")).unwrap();
    assert_eq!(summary["stacks"].as_array().unwrap().len(), 5);
    assert!(file(&migration, "README.md").contains("| `payment-api-prod` |"));
}

#[test]
fn inputs_become_typed_parameters_and_ifs_conditions() {
    let template = r#"Description: "Data for {{ environment.name }}"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: "{{ environment.inputs.name }}"
      Tags:
        - Key: size
          Value: "{{ environment.inputs.size }}GB"
{% if environment.inputs.versioned %}
        - Key: versioned
          Value: "yes"
      VersioningConfiguration:
        Status: Enabled
{% endif %}
{% if environment.inputs.tier == 'large' %}
  Replica:
    Type: AWS::S3::Bucket
{% endif %}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: {{ 5 if environment.inputs.tier == 'large' else 0 }}
"#;
    let migration = migrate_environment(template);
    assert!(!migration.has_errors(), "{:#?}", migration.diagnostics);
    let t = &migration.templates[0];
    assert_eq!(t.status, "parameterized", "{:#?}", t.diagnostics);
    let text = file(&migration, "templates/env-v1/environment.yaml");
    let doc = cfn::to_json(&crate::yaml::parse(text).unwrap().root);
    // A plain input: typed and constrained by the schema.
    assert_eq!(
        doc["Parameters"]["Name"]["AllowedPattern"],
        "^.*(?:^[a-z-]+$).*$"
    );
    assert_eq!(
        doc["Parameters"]["Name"]["Description"],
        "The bucket's name"
    );
    assert_eq!(
        doc["Resources"]["Bucket"]["Properties"]["BucketName"],
        serde_json::json!({"Ref": "Name"})
    );
    assert_eq!(
        doc["Resources"]["Bucket"]["Properties"]["Tags"][0]["Value"],
        serde_json::json!({"Fn::Sub": "${Size}GB"})
    );
    // `{% if versioned %}` over a boolean input: a condition on that input's parameter.
    assert_eq!(
        doc["Conditions"]["IfVersioned"],
        serde_json::json!({"Fn::Equals": [{"Ref": "Versioned"}, "true"]})
    );
    assert_eq!(
        doc["Resources"]["Bucket"]["Properties"]["VersioningConfiguration"]["Fn::If"][0],
        "IfVersioned"
    );
    assert_eq!(
        doc["Resources"]["Bucket"]["Properties"]["Tags"][1]["Fn::If"][0],
        "IfVersioned"
    );
    // A resource only some stacks have: `Condition:` on a computed parameter.
    let replica_condition = doc["Resources"]["Replica"]["Condition"].as_str().unwrap();
    assert!(doc["Conditions"][replica_condition].is_object());
    // A value an inline `if` chooses: a parameter the migration computes.
    let delay = doc["Resources"]["Queue"]["Properties"]["DelaySeconds"]["Ref"]
        .as_str()
        .unwrap();
    assert_eq!(parameters(&migration, "dev")[delay], "0");
    assert_eq!(parameters(&migration, "prod")[delay], "5");
    assert!(t.parameters.iter().any(|p| p.name == delay));
    assert_eq!(parameters(&migration, "prod")["Versioned"], "true");
    // The description deploys nothing: it names the expression.
    assert_eq!(doc["Description"], "Data for {{ environment.name }}");
}

#[test]
fn what_cloudformation_cannot_express_stays_per_stack_with_the_reason() {
    let template = "Resources:\n  {{ environment.inputs.name | replace('-', '') }}:\n    Type: AWS::S3::Bucket\n";
    let migration = migrate_environment(template);
    assert!(!migration.has_errors(), "{:#?}", migration.diagnostics);
    let t = &migration.templates[0];
    assert_eq!(t.status, "per-stack");
    let d = &t.diagnostics[0];
    assert_eq!(d.code, "migrate-per-stack");
    assert!(d.message.contains("logical IDs"), "{}", d.message);
    assert_eq!(
        (d.file.as_deref(), d.line),
        (Some("env/v1/infrastructure/cloudformation.yaml"), Some(2))
    );
    assert!(file(&migration, "templates/env-v1/environment.dev.yaml").contains("devdata:"));
    assert!(file(&migration, "templates/env-v1/environment.prod.yaml").contains("proddata:"));
    let readme = file(&migration, "README.md");
    assert!(
        readme.contains("one rendered template per stack"),
        "{readme}"
    );
}

#[test]
fn a_spec_that_does_not_render_is_an_error() {
    let migration = migrate(
        &environment("Resources: {}\n"),
        &[spec(
            "bad.yaml",
            "proton: EnvironmentSpec\nspec:\n  name: NOT VALID\n",
        )],
        &Mocks::default(),
        OutputsMode::Parameters,
    );
    assert!(migration.has_errors());
    assert!(migration
        .diagnostics
        .iter()
        .any(|d| d.code == "migrate-spec"));
    assert!(migration.stacks.is_empty());
}

#[test]
fn the_proof_is_checked_independently() {
    let parameterized = "Parameters:\n  Name: {Type: String}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${Name}-x'\n";
    let rendered =
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: dev-x\n";
    let given = |v: &str| {
        serde_json::json!({ "Name": v })
            .as_object()
            .unwrap()
            .clone()
    };
    assert_eq!(verify(parameterized, &given("dev"), rendered), Ok(()));
    assert!(verify(parameterized, &given("prod"), rendered)
        .unwrap_err()
        .contains("Resources.B.Properties.BucketName"));
}

#[test]
fn services_can_import_their_environments_outputs() {
    let workspace =
        Workspace::load_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates"))
            .unwrap();
    let mut dev = example("examples/specs/dev-environment.yaml");
    dev.source.path = "dev.yaml".into();
    let mut prod = example("examples/specs/prod-environment.yaml");
    prod.source.path = "prod.yaml".into();
    let specs = [dev, prod, example("examples/specs/payment-api.yaml")];
    let migration = migrate(
        &workspace,
        &specs,
        &mocks("examples/mocks/payment-api.yaml"),
        OutputsMode::Import,
    );
    assert!(!migration.has_errors(), "{:#?}", migration.diagnostics);
    let service = file(
        &migration,
        "templates/ecs-fargate-service-v1/service-instance.yaml",
    );
    let doc = cfn::to_json(&crate::yaml::parse(service).unwrap().root);
    assert_eq!(
        doc["Resources"]["ServiceSecurityGroup"]["Properties"]["VpcId"],
        serde_json::json!({"Fn::ImportValue": {"Fn::Sub": "${EnvironmentStackName}-VpcId"}})
    );
    assert!(doc["Parameters"].get("VpcId").is_none());
    assert_eq!(
        parameters(&migration, "payment-api-prod")["EnvironmentStackName"],
        "prod"
    );
    let env = file(&migration, "templates/ecs-shared-env-v1/environment.yaml");
    let env = cfn::to_json(&crate::yaml::parse(env).unwrap().root);
    assert_eq!(
        env["Outputs"]["VpcId"]["Export"]["Name"],
        serde_json::json!({"Fn::Sub": "${AWS::StackName}-VpcId"})
    );
    // The summary says what is shared, for each side.
    let shared = |target: &str| {
        let t = migration
            .templates
            .iter()
            .find(|t| t.target == target)
            .unwrap();
        t.shared_outputs.clone()
    };
    assert!(shared("service-instance").contains(&"VpcId".to_string()));
    assert!(shared("environment").contains(&"VpcId".to_string()));
}

#[test]
fn guesses_are_marked_never_passed_off_as_protons() {
    let workspace =
        Workspace::load_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates"))
            .unwrap();
    // The service's mocks without the repository fields its pipeline prints.
    let mut partial = mocks("examples/mocks/payment-api.yaml");
    partial.service.repository_connection_arn = None;
    let specs = [example("examples/specs/payment-api.yaml")];
    let migration = migrate(&workspace, &specs, &partial, OutputsMode::Parameters);
    let pipeline = migration
        .stacks
        .iter()
        .find(|s| s.target == "pipeline")
        .unwrap();
    assert_eq!(
        pipeline.guesses,
        [Guess {
            value: "service.repository_connection_arn".into(),
            from: "no mocks file gave it: the playground's default stood in".into(),
        }]
    );
    assert!(migration
        .diagnostics
        .iter()
        .any(|d| d.code == "migrate-guess" && d.is_error()));
    let deployment = migration
        .files
        .iter()
        .find(|f| f.path == pipeline.deployment_file)
        .unwrap();
    assert!(deployment
        .content
        .contains("#   service.repository_connection_arn: no mocks file gave it"));
    let readme = &migration
        .files
        .iter()
        .find(|f| f.path == "README.md")
        .unwrap()
        .content;
    assert!(readme.contains(&format!("`{}` (*guessed*: 1 value)", pipeline.name)));
    // The page's form and mocks: every input and every mock the templates read is a guess.
    let mut from_page = example("examples/specs/dev-environment.yaml");
    from_page.from_form = true;
    from_page.unconfirmed_mocks = true;
    let migration = migrate(
        &workspace,
        &[from_page],
        &Mocks::default(),
        OutputsMode::Parameters,
    );
    let values: Vec<&str> = migration.stacks[0]
        .guesses
        .iter()
        .map(|g| g.value.as_str())
        .collect();
    assert!(
        values.contains(&"environment.inputs.vpc_cidr"),
        "{values:?}"
    );
    // Named after its spec file (the user's naming), not a guess; no mocks were given.
    assert!(!values.contains(&"environment.name"), "{values:?}");
    let mut with_page_mocks = example("examples/specs/dev-environment.yaml");
    with_page_mocks.unconfirmed_mocks = true;
    let mut page_mocks = Mocks::default();
    page_mocks.environment.name = Some("dev".into());
    let migration = migrate(
        &workspace,
        &[with_page_mocks],
        &page_mocks,
        OutputsMode::Parameters,
    );
    assert_eq!(
        migration.stacks[0].guesses,
        [Guess {
            value: "environment.name".into(),
            from: "the page's mocks (suggested or typed), not confirmed as what Proton passed"
                .into(),
        }]
    );
    // A stack whose every value came from the spec and mocks files has none.
    let complete = migrate(
        &workspace,
        &specs,
        &mocks("examples/mocks/payment-api.yaml"),
        OutputsMode::Parameters,
    );
    assert!(complete.stacks.iter().all(|s| s.guesses.is_empty()));
}
