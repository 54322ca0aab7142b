use super::*;
use crate::bundle::FileTree;
use crate::report::{Request, SpecSource};

const MANIFEST: &str = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";

const ENV_SCHEMA: &str = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: EnvInput\n  types:\n    EnvInput:\n      type: object\n      properties:\n        vpc_cidr:\n          type: string\n          default: 10.0.0.0/16\n          description: The VPC's range\n        note:\n          type: string\n";

const ENV_TEMPLATE: &str = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {{ environment.inputs.vpc_cidr }}\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n";

const SVC_SCHEMA: &str = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: SvcInput\n  pipeline_input_type: PipeInput\n  types:\n    SvcInput:\n      type: object\n      properties:\n        port:\n          type: number\n          default: 80\n    PipeInput:\n      type: object\n      properties:\n        image:\n          type: string\n          default: nginx\n";

fn workspace(extra: &[(&str, &str)]) -> Workspace {
    let mut files = vec![
        ("env/v1/schema/schema.yaml", ENV_SCHEMA),
        ("env/v1/infrastructure/manifest.yaml", MANIFEST),
        ("env/v1/infrastructure/cloudformation.yaml", ENV_TEMPLATE),
        ("svc/v1/schema/schema.yaml", SVC_SCHEMA),
        ("svc/v1/instance_infrastructure/manifest.yaml", MANIFEST),
        ("svc/v1/pipeline_infrastructure/manifest.yaml", MANIFEST),
        (
            "svc/v1/instance_infrastructure/cloudformation.yaml",
            "Resources: {}\n",
        ),
        (
            "svc/v1/pipeline_infrastructure/cloudformation.yaml",
            "Resources: {}\n",
        ),
        (
            "svc/v1/.template-registration.yaml",
            "compatible_environments:\n  - env:1\n",
        ),
    ];
    files.extend_from_slice(extra);
    let (tree, d) = FileTree::from_texts(files);
    Workspace::from_tree(tree, d)
}

fn service_request() -> Request {
    Request {
        spec: Some(SpecSource {
            path: "spec.yaml".into(),
            text: "proton: ServiceSpec\ninstances:\n  - name: one\n    environment: dev\n    spec:\n      port: 8080\n  - name: two\n    environment: dev\npipeline:\n  image: httpd\n".into(),
        }),
        mocks: serde_json::from_str(r#"{"environment": {"outputs": {"VpcId": "vpc-1"}}}"#).unwrap(),
        ..Default::default()
    }
}

/// `text` with `‸` marking the cursor: the text and the cursor's UTF-16 offset.
fn cursor(text: &str) -> (String, usize) {
    let at = text.find('‸').unwrap();
    (text.replace('‸', ""), utf16_offset(text, at))
}

fn labels(c: &Completions) -> Vec<&str> {
    c.items.iter().map(|i| i.label.as_str()).collect()
}

const ENV_FILE: &str = "env/v1/infrastructure/cloudformation.yaml";

#[test]
fn completes_every_input_of_the_schema_with_its_record() {
    let ws = workspace(&[]);
    let site = Site::of(&ws, ENV_FILE).unwrap();
    assert_eq!(site.role, Role::Template(Target::Environment));
    let (text, at) = cursor("a: {{ environment.inputs.‸ }}\n");
    let c = complete(&site, &Request::default(), &text, at);
    assert_eq!(labels(&c)[..2], ["vpc_cidr", "note"]);
    let vpc = &c.items[0];
    assert_eq!(
        (vpc.kind, vpc.detail.as_str(), vpc.info.as_str()),
        ("input", "str", "'10.0.0.0/16'")
    );
    let record = vpc.input.as_ref().unwrap();
    assert_eq!(record.description.as_deref(), Some("The VPC's range"));
    assert_eq!(c.items[1].detail, "not set");
    assert!(labels(&c).contains(&"items"), "dict methods follow");
    // Editors sort by rank: the inputs before the dict's methods.
    let rank = |label: &str| c.items.iter().find(|i| i.label == label).unwrap().rank;
    assert!(rank("vpc_cidr") < rank("items") && rank("note") < rank("get"));
    assert_eq!((c.from, c.to), (at, at));
}

#[test]
fn completes_top_level_names_filters_and_tests() {
    let ws = workspace(&[]);
    let site = Site::of(&ws, ENV_FILE).unwrap();
    let (text, at) = cursor("a: {{ env‸ }}\n");
    let c = complete(&site, &Request::default(), &text, at);
    assert!(labels(&c).contains(&"environment"));
    assert_eq!(c.to - c.from, 3, "replaces the typed part");
    let (text, at) = cursor("a: {{ x | proton_‸ }}\n");
    let c = complete(&site, &Request::default(), &text, at);
    assert!(labels(&c).contains(&"proton_cfn_sanitize"));
    assert!(c.items.iter().all(|i| i.kind == "filter"));
    let (text, at) = cursor("{% if x is ‸ %}{% endif %}\n");
    assert!(labels(&complete(&site, &Request::default(), &text, at)).contains(&"defined"));
    let (text, at) = cursor("a: plain‸ text\n");
    assert!(complete(&site, &Request::default(), &text, at)
        .items
        .is_empty());
}

#[test]
fn loop_variables_complete_with_the_items_they_hold() {
    let ws = workspace(&[]);
    let site = Site::of(&ws, "svc/v1/pipeline_infrastructure/cloudformation.yaml").unwrap();
    assert_eq!(site.role, Role::Template(Target::Pipeline));
    let (text, at) =
        cursor("{% for inst in service_instances %}\n  - {{ inst.inputs.‸ }}\n{% endfor %}\n");
    let c = complete(&site, &service_request(), &text, at);
    let port = c.items.iter().find(|i| i.label == "port").unwrap();
    assert_eq!((port.kind, port.info.as_str()), ("input", "8080"));
    let (text, at) = cursor("{% for inst in service_instances %}{{ lo‸ }}{% endfor %}");
    assert!(labels(&complete(&site, &service_request(), &text, at)).contains(&"loop"));
    let (text, at) = cursor("{% for inst in service_instances %}{{ loop.‸ }}{% endfor %}");
    assert!(labels(&complete(&site, &service_request(), &text, at)).contains(&"last"));
    let (text, at) = cursor("{% for i in service_instances %}{% endfor %}{{ i‸ }}");
    assert!(!labels(&complete(&site, &service_request(), &text, at)).contains(&"i"));
}

#[test]
fn hover_shows_values_inputs_and_docs() {
    let ws = workspace(&[]);
    let site = Site::of(&ws, ENV_FILE).unwrap();
    let (text, at) = cursor("a: {{ environment.inputs.vpc‸_cidr | upper }}\n");
    let h = hover(&site, &Request::default(), &text, at).unwrap();
    assert_eq!(h.title, "environment.inputs.vpc_cidr");
    assert_eq!(h.value.as_deref(), Some("'10.0.0.0/16'"));
    assert_eq!(h.input.unwrap().kind, "string");
    let (text, at) = cursor("a: ‸{{ environment.inputs.vpc_cidr | upper }}\n");
    let h = hover(&site, &Request::default(), &text, at).unwrap();
    assert_eq!(h.value.as_deref(), Some("10.0.0.0/16"));
    assert_eq!((h.from, h.to), (3, text.trim_end().chars().count()));
    let (text, at) = cursor("a: {{ environment.inputs.vpc_cidr | up‸per }}\n");
    assert!(hover(&site, &Request::default(), &text, at)
        .unwrap()
        .doc
        .unwrap()
        .contains("Upper case"));
    let (text, at) = cursor("a: {{ environment.inputs.no‸te }}\n");
    let h = hover(&site, &Request::default(), &text, at).unwrap();
    assert!(h.error.unwrap().contains("undefined"));
    let (text, at) = cursor("a: ‸{{ environment.inputs.vpc_cidr | proton_cfn_sanitize }}\n");
    assert!(
        hover(&site, &Request::default(), &text, at)
            .unwrap()
            .error
            .is_some(),
        "the render's error"
    );
}

#[test]
fn hover_on_a_proton_filter_prints_its_indented_block() {
    let ws = workspace(&[]);
    let site = Site::of(&ws, ENV_FILE).unwrap();
    let (text, at) = cursor(
        "  Env:\n    ‸{{ {'A': 'b', 'C': 'd'} | proton_cfn_lambda_function_formatted_env_vars }}\n",
    );
    let h = hover(&site, &Request::default(), &text, at).unwrap();
    assert_eq!(h.value.as_deref(), Some("A: b\nC: d"));
}

#[test]
fn definitions_of_inputs_outputs_and_includes() {
    let ws = workspace(&[("svc/v1/instance_infrastructure/parts.yaml", "x: 1\n")]);
    let site = Site::of(&ws, ENV_FILE).unwrap();
    let (text, at) = cursor("a: {{ environment.inputs.vpc_ci‸dr }}\n");
    let at_schema = definition(&site, &Request::default(), &text, at).unwrap();
    assert_eq!(at_schema.file, "env/v1/schema/schema.yaml");
    assert_eq!(
        ENV_SCHEMA
            .lines()
            .nth(at_schema.line as usize - 1)
            .unwrap()
            .trim(),
        "vpc_cidr:"
    );
    let site = Site::of(&ws, "svc/v1/instance_infrastructure/cloudformation.yaml").unwrap();
    let (text, at) = cursor("a: {{ environment.outputs.Vp‸cId }}\n");
    let output = definition(&site, &service_request(), &text, at).unwrap();
    assert_eq!(
        (output.file.as_str(), output.line, output.column),
        (ENV_FILE, 7, 3)
    );
    let (text, at) = cursor("{% include 'instance_infrastructure/pa‸rts.yaml' %}\n");
    let included = definition(&site, &service_request(), &text, at).unwrap();
    assert_eq!(included.file, "svc/v1/instance_infrastructure/parts.yaml");
    let (text, at) = cursor("a: {{ environment.outputs.Nope‸ }}\n");
    assert_eq!(definition(&site, &service_request(), &text, at), None);
}

#[test]
fn schema_and_manifest_keys_complete() {
    let ws = workspace(&[]);
    let site = Site::of(&ws, "env/v1/schema/schema.yaml").unwrap();
    let (text, at) = cursor("schema:\n  types:\n    T:\n      propert‸\n");
    let c = complete(&site, &Request::default(), &text, at);
    assert!(labels(&c).contains(&"properties"));
    assert_eq!(c.to - c.from, 7);
    let site = Site::of(&ws, "env/v1/infrastructure/manifest.yaml").unwrap();
    let (text, at) = cursor("infrastructure:\n  templates:\n    - fi‸\n");
    assert!(labels(&complete(&site, &Request::default(), &text, at)).contains(&"file"));
}

#[test]
fn offsets_are_utf16() {
    let ws = workspace(&[]);
    let site = Site::of(&ws, ENV_FILE).unwrap();
    let (text, at) = cursor("# é𝄞\na: {{ environment.inputs.vp‸ }}\n");
    let c = complete(&site, &Request::default(), &text, at);
    assert_eq!((c.from, c.to), (at - 2, at));
}

#[test]
fn every_catalogued_filter_and_test_exists_in_the_engine() {
    let renderer = crate::render::Renderer::new(Default::default(), &Default::default());
    let ctx = minijinja::Value::from(());
    for filter in catalog::FILTERS {
        let error = renderer
            .evaluate(&format!("1 | {}", filter.name), &ctx)
            .err();
        assert!(
            !error.unwrap_or_default().contains("is unknown"),
            "{}",
            filter.name
        );
    }
    for test in catalog::TESTS {
        let error = renderer
            .evaluate(&format!("1 is {}", test.name), &ctx)
            .err();
        assert!(
            !error.unwrap_or_default().contains("is unknown"),
            "{}",
            test.name
        );
    }
    let error = renderer.evaluate("1 | nosuchfilter", &ctx).unwrap_err();
    assert!(error.contains("is unknown"), "{error}");
}

#[test]
fn rendered_lines_map_to_their_template_lines() {
    let template = "a: 1\n{% for x in [1, 2] %}\nb: {{ x }}\n{% endfor %}\nc: 3\n";
    let rendered = "a: 1\n\nb: 1\n\nb: 2\n\nc: 3\n";
    let map = line_map(template, rendered);
    assert_eq!(map[0], 1);
    assert_eq!(map[2], 3);
    assert_eq!(map[4], 3);
    assert_eq!(map[6], 5);
}
