//! One test per row of the docs/proton-semantics.md §11.2 table.
use super::*;
use crate::bundle::FileTree;
use crate::workspace::Workspace;

fn input_type(properties: &str, required: &str) -> InputType {
    let text = format!(
        "schema:\n  format: {{openapi: \"3.0.0\"}}\n  service_input_type: Svc\n  types:\n    Svc:\n      type: object\n      required: [{required}]\n      properties:\n{properties}"
    );
    let (schema, _) = crate::schema::parse(&text, "s");
    schema.unwrap().service.unwrap()
}

/// The single change between two property lists (and its requirement).
fn one(old: (&str, &str), new: (&str, &str)) -> Change {
    let changes: Vec<Change> = diff_input_types(
        "service inputs",
        &input_type(old.0, old.1),
        &input_type(new.0, new.1),
    )
    .into_iter()
    .filter(|c| c.needs != Bump::None)
    .collect();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    changes[0].clone()
}

const BASE: &str = "        a: {type: string}\n";

fn with(extra: &str) -> String {
    format!("{BASE}{extra}")
}

#[test]
fn inputs_added() {
    assert_eq!(
        one((BASE, ""), (&with("        b: {type: string}\n"), "")).needs,
        Bump::Minor
    );
    assert_eq!(
        one(
            (BASE, ""),
            (&with("        b: {type: string, default: x}\n"), "")
        )
        .needs,
        Bump::Minor
    );
    assert_eq!(
        one(
            (BASE, ""),
            (&with("        b: {type: string, default: x}\n"), "b")
        )
        .rule,
        "required input added with default: minor"
    );
    let c = one((BASE, ""), (&with("        b: {type: string}\n"), "b"));
    assert_eq!(
        (c.needs, c.rule),
        (Bump::Major, "required input added without default: major")
    );
}

#[test]
fn input_removed() {
    assert_eq!(
        one((&with("        b: {type: string}\n"), ""), (BASE, "")).rule,
        "input removed: major"
    );
}

#[test]
fn required_changes() {
    let with_default = "        a: {type: string, default: x}\n";
    assert_eq!(
        one((with_default, ""), (with_default, "a")).needs,
        Bump::Minor
    );
    assert_eq!(one((BASE, ""), (BASE, "a")).needs, Bump::Major);
    assert_eq!(
        one((BASE, "a"), (BASE, "")).rule,
        "required → optional: minor"
    );
}

#[test]
fn type_changes() {
    let c = one(
        ("        a: {type: integer}\n", ""),
        ("        a: {type: number}\n", ""),
    );
    assert_eq!(
        (c.needs, c.rule),
        (Bump::Minor, "type integer → number: minor")
    );
    assert_eq!(
        one(
            ("        a: {type: number}\n", ""),
            ("        a: {type: string}\n", "")
        )
        .needs,
        Bump::Major
    );
}

#[test]
fn narrowed_and_widened() {
    let e = |v: &str| format!("        a: {{type: string, enum: [{v}]}}\n");
    assert_eq!(
        one((BASE, ""), (&e("x, y"), "")).rule,
        "narrowed (enum added): major"
    );
    assert_eq!(one((&e("x, y"), ""), (&e("x"), "")).needs, Bump::Major);
    assert_eq!(one((&e("x"), ""), (&e("x, y"), "")).needs, Bump::Minor);
    assert_eq!(
        one((&e("x"), ""), (BASE, "")).rule,
        "widened (enum removed): minor"
    );
    let n = |k: &str| format!("        a: {{type: number, {k}}}\n");
    assert_eq!(
        one((&n("minimum: 1"), ""), (&n("minimum: 2"), "")).needs,
        Bump::Major
    );
    assert_eq!(
        one((&n("maximum: 9"), ""), (&n("maximum: 8"), "")).needs,
        Bump::Major
    );
    assert_eq!(
        one((&n("minimum: 1"), ""), (&n("minimum: 0"), "")).needs,
        Bump::Minor
    );
    assert_eq!(
        one(("        a: {type: number}\n", ""), (&n("maximum: 8"), "")).rule,
        "narrowed (bound added): major"
    );
    assert_eq!(
        one((&n("maximum: 8"), ""), ("        a: {type: number}\n", "")).rule,
        "widened (bound removed): minor"
    );
    let s = |k: &str| format!("        a: {{type: string, {k}}}\n");
    assert_eq!(
        one((&s("minLength: 1"), ""), (&s("minLength: 3"), "")).needs,
        Bump::Major
    );
    assert_eq!(
        one((&s("maxLength: 9"), ""), (&s("maxLength: 20"), "")).needs,
        Bump::Minor
    );
}

#[test]
fn patterns_and_nullable() {
    let p = |v: &str| format!("        a: {{type: string, pattern: '{v}'}}\n");
    assert_eq!(one((BASE, ""), (&p("^a"), "")).rule, "pattern added: major");
    assert_eq!(
        one((&p("^a"), ""), (&p("^b"), "")).rule,
        "pattern changed: major"
    );
    assert_eq!(
        one((&p("^a"), ""), (BASE, "")).rule,
        "pattern removed: minor"
    );
    let n = |v: bool| format!("        a: {{type: string, nullable: {v}}}\n");
    assert_eq!(one((&n(true), ""), (&n(false), "")).needs, Bump::Major);
    assert_eq!(one((&n(false), ""), (&n(true), "")).needs, Bump::Minor);
}

#[test]
fn defaults() {
    let d = |v: &str| format!("        a: {{type: string, default: {v}}}\n");
    assert_eq!(one((BASE, ""), (&d("x"), "")).rule, "default added: minor");
    let c = one((&d("x"), ""), (&d("y"), ""));
    assert!(c.warning && c.needs == Bump::Minor);
    assert_eq!(one((&d("x"), "a"), (BASE, "a")).needs, Bump::Major);
    let c = one((&d("x"), ""), (BASE, ""));
    assert!(c.warning && c.needs == Bump::Minor);
}

#[test]
fn cosmetic_and_nested() {
    let all = diff_input_types(
        "service inputs",
        &input_type(
            "        a: {type: string, title: A, description: old}\n",
            "",
        ),
        &input_type(
            "        a: {type: string, title: B, description: new}\n",
            "",
        ),
    );
    assert!(all.iter().all(|c| c.needs == Bump::None), "{all:#?}");
    let nested = one(
        (
            "        a: {type: object, properties: {x: {type: string}}}\n",
            "",
        ),
        (
            "        a: {type: object, properties: {x: {type: integer}}}\n",
            "",
        ),
    );
    assert_eq!(
        (nested.subject.as_str(), nested.needs),
        ("service inputs: a.x", Bump::Major)
    );
    let items = one(
        ("        a: {type: array, items: {type: string}}\n", ""),
        (
            "        a: {type: array, items: {type: string, maxLength: 3}}\n",
            "",
        ),
    );
    assert_eq!(items.subject, "service inputs: a[]");
}

fn bundle(files: &[(&str, &str)]) -> Workspace {
    let (tree, d) = FileTree::from_texts(files.iter().copied());
    Workspace::from_tree(tree, d)
}

const MANIFEST: &str = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";

#[test]
fn pipeline_environments_and_method() {
    let schema = |pipe: bool| {
        format!(
            "schema:\n  format: {{openapi: 3.0.0}}\n  service_input_type: S\n{}  types:\n    S:\n      properties:\n        a: {{type: string, default: x}}\n    P:\n      properties: {{}}\n",
            if pipe { "  pipeline_input_type: P\n" } else { "" }
        )
    };
    let reg = |env: &str| format!("compatible_environments:\n  - {env}\n");
    let old = bundle(&[
        ("svc/v1/schema/schema.yaml", &schema(false)),
        ("svc/v1/instance_infrastructure/manifest.yaml", MANIFEST),
        ("svc/v1/instance_infrastructure/cloudformation.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  T:\n    Type: AWS::SNS::Topic\n"),
        ("svc/v1/.template-registration.yaml", &reg("env:1")),
        ("svc/v2/schema/schema.yaml", &schema(true)),
        ("svc/v2/instance_infrastructure/manifest.yaml", MANIFEST),
        ("svc/v2/instance_infrastructure/cloudformation.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  T:\n    Type: AWS::Lambda::Function\n  N:\n    Type: AWS::S3::Bucket\n"),
        ("svc/v2/pipeline_infrastructure/manifest.yaml", MANIFEST),
        ("svc/v2/pipeline_infrastructure/cloudformation.yaml", "Resources: {}\n"),
        ("svc/v2/.template-registration.yaml", &reg("env:2")),
    ]);
    let cmp = compare(&old.bundles[0], &old.bundles[1], None);
    assert_eq!(cmp.declared, Bump::Major);
    assert_eq!(cmp.required, Bump::NotAllowed);
    assert!(!cmp.honest);
    let rules: Vec<&str> = cmp.changes.iter().map(|c| c.rule).collect();
    assert!(
        rules.iter().any(|r| r.starts_with("pipeline_input_type")),
        "{rules:?}"
    );
    assert_eq!(
        rules
            .iter()
            .filter(|r| r.starts_with("compatible environments"))
            .count(),
        2
    );
    let kinds: Vec<(&str, &str)> = cmp
        .resources
        .iter()
        .map(|r| (r.logical_id.as_str(), r.change))
        .collect();
    assert_eq!(kinds, [("N", "added"), ("T", "type-changed")]);
    assert!(
        cmp.rendered_diff
            .contains("+    Type: AWS::Lambda::Function"),
        "{}",
        cmp.rendered_diff
    );
}

#[test]
fn honest_minor_and_dishonest_minor() {
    let schema = |extra: &str| {
        format!("schema:\n  format: {{openapi: 3.0.0}}\n  environment_input_type: E\n  types:\n    E:\n      properties:\n        a: {{type: string, default: x}}\n{extra}")
    };
    let make = |extra: &str| {
        let s = schema(extra);
        bundle(&[
            ("schema/schema.yaml", &s),
            ("infrastructure/manifest.yaml", MANIFEST),
            (
                "infrastructure/cloudformation.yaml",
                "Outputs:\n  A:\n    Value: x\n",
            ),
        ])
    };
    let v1 = make("");
    let minor = make("        b: {type: string}\n");
    let cmp = compare(&v1.bundles[0], &minor.bundles[0], None);
    assert_eq!(
        (cmp.required, cmp.declared, cmp.honest),
        (Bump::Minor, Bump::Minor, true)
    );
    let breaking = make("        b: {type: string}\n      required: [b]\n");
    let cmp = compare(&v1.bundles[0], &breaking.bundles[0], None);
    assert_eq!((cmp.required, cmp.honest), (Bump::Major, false));
    assert!(compare(&v1.bundles[0], &breaking.bundles[0], Some(Bump::Major)).honest);
    assert_eq!(
        crate::workspace::declared_outputs::of(&v1.bundles[0])
            .outputs()
            .unwrap(),
        ["A"]
    );
}

/// The examples' workspace with `ecs-shared-env-next/v1`: a copy of `ecs-shared-env/v1` with
/// `edits` (file under the version, text, replacement) applied.
fn with_next_environment(edits: &[Edit]) -> crate::workspace::Workspace {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates");
    let (mut tree, d) = crate::bundle::files::load_path(&root).unwrap();
    for (path, bytes) in tree.files.clone() {
        if let Some(rest) = path.strip_prefix("ecs-shared-env/v1/") {
            let mut text = String::from_utf8(bytes).unwrap();
            for (file, from, to) in edits.iter().filter(|(f, _, _)| *f == rest) {
                let edited = text.replace(from, to);
                assert_ne!(edited, text, "{file} holds {from:?}");
                text = edited;
            }
            tree.files
                .insert(format!("ecs-shared-env-next/v1/{rest}"), text.into_bytes());
        }
    }
    crate::workspace::Workspace::from_tree(tree, d)
}

/// The old and the next environment of [`with_next_environment`]'s workspace.
fn old_and_next(ws: &crate::workspace::Workspace) -> (&Bundle, &Bundle) {
    let bundle = |root: &str| ws.bundles.iter().find(|b| b.root == root).unwrap();
    (
        bundle("ecs-shared-env/v1"),
        bundle("ecs-shared-env-next/v1"),
    )
}

/// A file under the version, a text in it and its replacement.
type Edit<'a> = (&'a str, &'a str, &'a str);

const TEMPLATE: &str = "infrastructure/cloudformation.yaml";
const SCHEMA: &str = "schema/schema.yaml";

#[test]
fn a_minor_version_that_drops_an_output_a_compatible_service_reads_needs_a_major() {
    // v1 → a "v1.1" that no longer outputs the cluster the v1 service reads.
    let ws = with_next_environment(&[(
        TEMPLATE,
        "  ECSClusterArn:\n    Value: !GetAtt ECSCluster.Arn\n",
        "",
    )]);
    let (old, new) = old_and_next(&ws);
    // On its own the schema did not change: a minor would do.
    assert_eq!(compare(old, new, Some(Bump::Minor)).required, Bump::None);
    // With the workspace's services: ecs-fargate-service v1 is compatible with ecs-shared-env:1.
    let cmp = compare_in(&ws, old, new, Some(Bump::Minor));
    assert_eq!(cmp.required, Bump::Major, "{:#?}", cmp.changes);
    assert!(!cmp.honest);
    assert!(cmp.changes.iter().any(|c| c
        .description
        .starts_with("output ECSClusterArn removed: ecs-fargate-service:1")));
}

/// The siblings of a removed output: a minor version is never "fine" when a compatible service
/// or its running specs would break.
#[test]
fn renamed_outputs_inputs_turned_required_and_narrowed_enums_need_a_major() {
    let cases: [(&str, &[Edit], &str); 3] = [
        (
            "a renamed output the service reads",
            &[(TEMPLATE, "  ECSClusterArn:\n", "  ClusterArn:\n")],
            "output ECSClusterArn removed",
        ),
        (
            "an optional input turned required, without a default",
            &[
                (
                    SCHEMA,
                    "        - log_retention_days\n",
                    "        - log_retention_days\n        - nat_gateway_count\n",
                ),
                (
                    SCHEMA,
                    "          default: 1\n          enum: [1, 2]",
                    "          enum: [1, 2]",
                ),
            ],
            "nat_gateway_count",
        ),
        (
            "an enum narrowed",
            &[(
                SCHEMA,
                "enum: [7, 14, 30, 60, 90, 180, 365]",
                "enum: [7, 14, 30, 60, 90, 180]",
            )],
            "log_retention_days",
        ),
    ];
    for (case, edits, named) in cases {
        let ws = with_next_environment(edits);
        let (old, new) = old_and_next(&ws);
        let cmp = compare_in(&ws, old, new, Some(Bump::Minor));
        assert_eq!(cmp.required, Bump::Major, "{case}: {:#?}", cmp.changes);
        assert!(!cmp.honest, "{case}: a minor is not honest");
        assert!(
            cmp.changes.iter().any(|c| c.needs == Bump::Major
                && (c.subject.contains(named) || c.description.contains(named))),
            "{case}: {:#?}",
            cmp.changes
        );
    }
}
