//! Native timings of the data path on the largest corpus bundle (and the examples when the
//! corpus is absent): load + analyze, and one render (what a keystroke costs). Prints a table
//! for BENCHMARKS.md. Run with `cargo bench`.

use proton_playground::{run, Request, SpecSource, Target, Workspace};
use std::path::Path;
use std::time::{Duration, Instant};

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn measure(label: &str, iterations: usize, mut f: impl FnMut()) {
    for _ in 0..iterations / 10 {
        f();
    }
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    let p50 = percentile(&mut samples, 0.5);
    let p99 = percentile(&mut samples, 0.99);
    println!(
        "| {label} | {:.3} ms | {:.3} ms |",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
}

/// `count` instance specs checked against a new version (the fleet upgrade check): the curve
/// over 1,000, 10,000 and 100,000 shows it linear.
fn fleet(root: &Path, count: usize) {
    let ws = Workspace::load_path(&root.join("examples/templates/ecs-fargate-service/v2")).unwrap();
    let specs: Vec<SpecSource> = (0..count)
        .map(|i| SpecSource {
            path: format!("svc-{i}.yaml"),
            text: format!(
                "proton: ServiceSpec\npipeline: {{}}\ninstances:\n  - name: inst-{i}\n    environment: env-{}\n    spec:\n      desired_count: {}\n      task_cpu: {}\n",
                i % 7,
                1 + i % 60,
                [256, 512, 1024][i % 3]
            ),
        })
        .collect();
    let start = Instant::now();
    let report =
        proton_playground::workspace::fleet::check(&ws.bundles[0], &specs, &Default::default());
    let elapsed = start.elapsed();
    println!(
        "| fleet upgrade check: {count} service specs (instance + pipeline each) | {:.0} ms total ({:.1} µs per spec) | {} pass, {} fail |",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e6 / count as f64,
        report.passed,
        report.failed
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/bundles/aws-proton-cloudformation-sample-templates/lambda-multi-svc/service-crud/v1");
    let (bundle_dir, spec) = if corpus.is_dir() {
        let spec = "proton: ServiceSpec\npipeline:\n  unit_test_command: 'echo test'\ninstances:\n  - name: front-end\n    environment: multi-svc-beta\n    spec:\n      resource_name: task\n";
        (corpus, spec.to_string())
    } else {
        eprintln!("../shared/corpus is absent: timing the examples instead");
        let spec = std::fs::read_to_string(root.join("examples/specs/payment-api.yaml")).unwrap();
        (root.join("examples/templates/ecs-fargate-service/v1"), spec)
    };
    println!("Bundle: {}\n", bundle_dir.display());
    println!("| Step (native, release) | p50 | p99 |\n|---|---|---|");
    measure(
        "load folder + analyze (schema, manifests, lint)",
        200,
        || {
            Workspace::load_path(&bundle_dir).unwrap();
        },
    );
    let ws = Workspace::load_path(&bundle_dir).unwrap();
    let bundle = &ws.bundles[0];
    let mut request = Request {
        target: Some(Target::Pipeline),
        spec: Some(SpecSource {
            path: "spec.yaml".into(),
            text: spec,
        }),
        ..Default::default()
    };
    request
        .mocks
        .instance_outputs
        .insert("LambdaRuntime".into(), "ruby2.7".into());
    let mut n = 0u64;
    measure(
        "render pipeline (inputs, context, render, report)",
        2000,
        || {
            n += 1;
            request.mocks.service.name = Some(format!("svc-{n}"));
            let report = run(bundle, &request);
            assert!(!report.outputs.is_empty());
        },
    );
    request.target = Some(Target::ServiceInstance);
    measure("render service instance", 2000, || {
        n += 1;
        request.mocks.service.name = Some(format!("svc-{n}"));
        run(bundle, &request);
    });
    assist(&ws, &request);
    checks(root);
    println!();
    println!();
    for count in [1_000, 10_000, 100_000] {
        fleet(root, count);
    }
}

/// The editor's questions (src/assist) on the bundle's pipeline template, at its last
/// `.inputs.` (after a loop over `service_instances` when it has one): completion, hover, definition.
fn assist(ws: &Workspace, request: &Request) {
    use proton_playground::assist::{complete, definition, hover, Site};
    let bundle = &ws.bundles[0];
    let Some(infra) = bundle.infrastructure_for(Target::Pipeline) else {
        return;
    };
    let file = &infra.files[0];
    let text = bundle.files[file].clone();
    let Some(at) = text.rfind(".inputs.") else {
        return;
    };
    let offset = text[..at + ".inputs.".len()].encode_utf16().count();
    let path = match bundle.root.as_str() {
        "" => file.clone(),
        root => format!("{root}/{file}"),
    };
    let site = Site::of(ws, &path).unwrap();
    assert!(!complete(&site, request, &text, offset).items.is_empty());
    measure("editor: completion after `.inputs.`", 2000, || {
        complete(&site, request, &text, offset);
    });
    measure("editor: hover on the input there", 2000, || {
        hover(&site, request, &text, offset + 1);
    });
    measure("editor: go to definition of it", 2000, || {
        definition(&site, request, &text, offset + 1);
    });
}

/// The CloudFormation checks alone, on the largest rendered template of the corpus: clean, and
/// with one finding (which also builds the rendered-to-template line map).
fn checks(root: &Path) {
    let corpus = root.join("../shared/corpus");
    let case = "aws-proton-cloudformation-sample-templates__public-private-fargate-microservices_microservices-svc_loadbalanced-public-svc_v1__pipeline__svc-public-spec";
    let rendered = corpus.join(format!(
        "cases/{case}.expected/pipeline_infrastructure/cloudformation.yaml"
    ));
    let source = corpus.join("bundles/aws-proton-cloudformation-sample-templates/public-private-fargate-microservices/microservices-svc/loadbalanced-public-svc/v1/pipeline_infrastructure/cloudformation.yaml");
    let (Ok(rendered), Ok(source)) = (
        std::fs::read_to_string(rendered),
        std::fs::read_to_string(source),
    ) else {
        return;
    };
    let file = "pipeline_infrastructure/cloudformation.yaml";
    measure(
        &format!(
            "CloudFormation checks, {} KB template, clean",
            rendered.len() / 1024
        ),
        2000,
        || {
            assert!(
                proton_playground::checks::check_cloudformation(file, &source, &rendered)
                    .is_empty()
            );
        },
    );
    let broken = rendered.replacen("!Ref ", "!Ref Missing", 1);
    measure(
        "CloudFormation checks, same template, one finding located in the template",
        2000,
        || {
            assert_eq!(
                proton_playground::checks::check_cloudformation(file, &source, &broken).len(),
                1
            );
        },
    );
}
