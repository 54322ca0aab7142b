//! Hostile inputs, round two: each reproducer of the hostile-inputs issue ends quickly, in
//! bounded memory, with a located diagnostic (RELIABILITY.md lists the budgets and figures).
//!
//! Time is the point of these tests, so they run optimized: `make test` runs
//! `cargo test --release --test hostile`, and an unoptimized `cargo test` skips them (its speed
//! depends on the build and on whatever else the machine is doing, not on the product).

use flate2::{write::GzEncoder, Compression};
use proton_playground::bundle::files::{read_file, MAX_ENTRIES};
use proton_playground::{Diagnostic, Workspace};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

fn has(diagnostics: &[Diagnostic], code: &str) -> bool {
    diagnostics.iter().any(|d| d.code == code)
}

/// Runs `f`, which must end within ten seconds: each reproducer takes at most 0.6 s in a release
/// build on the project's machine kind (RELIABILITY.md), so the bound holds on a busy machine.
fn quickly<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let bound = Duration::from_secs(10);
    let start = Instant::now();
    let out = f();
    assert!(start.elapsed() < bound, "{what} took {:?}", start.elapsed());
    out
}

/// The diagnostics of analyzing a schema (its input type `T0`, or the named one).
fn schema_diagnostics(types: &str, input_type: &str) -> Vec<Diagnostic> {
    let schema = format!(
        "schema:\n  format: {{openapi: 3.0.0}}\n  environment_input_type: {input_type}\n  types:\n{types}"
    );
    let (_, d) = proton_playground::schema::parse(&schema, "schema/schema.yaml");
    d
}

/// A gzip'd tar of raw records: a header of `kind` claiming `size` bytes, then `size` zeros.
fn metadata_record(kind: tar::EntryType, size: u64) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    let mut header = tar::Header::new_gnu();
    header.set_path("././@LongLink").unwrap();
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(0o644);
    header.set_cksum();
    gz.write_all(header.as_bytes()).unwrap();
    std::io::copy(&mut std::io::repeat(0).take(size), &mut gz).unwrap();
    gz.finish().unwrap()
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn huge_tar_metadata_is_budgeted() {
    for kind in [tar::EntryType::GNULongName, tar::EntryType::XHeader] {
        let archive = metadata_record(kind, 128 << 20);
        let diagnostics = quickly("a 128 MB long-name record", || {
            Workspace::from_bytes("long.tar.gz", &archive).all_diagnostics()
        });
        assert!(
            has(&diagnostics, "bundle-bomb"),
            "{kind:?}: {diagnostics:?}"
        );
    }
}

fn tar_of(entries: impl Iterator<Item = (String, tar::EntryType)>) -> Vec<u8> {
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    for (path, kind) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_size(0);
        header.set_mode(0o755);
        if kind == tar::EntryType::Symlink {
            header.set_link_name("target").unwrap();
        }
        builder
            .append_data(&mut header, path, std::io::empty())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn entries_of_every_kind_count() {
    let folders =
        tar_of((0..MAX_ENTRIES + 5).map(|i| (format!("d{i}/"), tar::EntryType::Directory)));
    let d = quickly("folders", || {
        Workspace::from_bytes("dirs.tar.gz", &folders).all_diagnostics()
    });
    assert!(has(&d, "bundle-entries"), "{d:?}");

    let links = tar_of((0..3_000).map(|i| (format!("l{i}"), tar::EntryType::Symlink)));
    let d = quickly("links", || {
        Workspace::from_bytes("links.tar.gz", &links).all_diagnostics()
    });
    let notes = d.iter().filter(|d| d.code == "bundle-link").count();
    assert!((2..=30).contains(&notes), "{notes} link notes");
    assert!(d.iter().any(|d| d.message.contains("more links")), "{d:?}");
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn a_zip_past_the_entry_limit_says_so() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..MAX_ENTRIES + 1 {
        zip.start_file(format!("f{i}"), zip::write::SimpleFileOptions::default())
            .unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let d = Workspace::from_bytes("many.zip", &bytes).all_diagnostics();
    assert!(has(&d, "bundle-entries"), "{d:?}");
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn duplicate_archive_entries_are_said() {
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    for text in ["first", "second"] {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, "schema/schema.yaml", text.as_bytes())
            .unwrap();
    }
    let bytes = builder.into_inner().unwrap().finish().unwrap();
    let (tree, d) = proton_playground::bundle::files::load_bytes("dup.tar.gz", &bytes);
    assert_eq!(tree.files["schema/schema.yaml"], b"second");
    assert!(has(&d, "bundle-duplicate"), "{d:?}");
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn folders_are_budgeted_in_depth_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    // Deeper than the depth limit: skipped and said; the rest loads.
    let deep = dir.path().join("a/".repeat(40));
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("x.yaml"), "x: 1\n").unwrap();
    std::fs::write(dir.path().join("top.yaml"), "y: 1\n").unwrap();
    let (tree, d) = proton_playground::bundle::files::load_path(dir.path()).unwrap();
    assert!(tree.files.contains_key("top.yaml"));
    assert!(has(&d, "bundle-path"), "{d:?}");

    // Sparse files: 3 × 40 MB read as a folder stop at the budget, not at the disk.
    let big = tempfile::tempdir().unwrap();
    for i in 0..3 {
        let f = std::fs::File::create(big.path().join(format!("f{i}.tf"))).unwrap();
        f.set_len(40 << 20).unwrap();
    }
    let (_, d) = quickly("120 MB of files", || {
        proton_playground::bundle::files::load_path(big.path()).unwrap()
    });
    assert!(has(&d, "bundle-bomb"), "{d:?}");
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn devices_and_fifos_are_not_read() {
    let err = read_file(std::path::Path::new("/dev/zero"), 1 << 20).unwrap_err();
    assert!(err.contains("not a regular file"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("specs.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let err = quickly("a FIFO", || read_file(&fifo, 1 << 20).unwrap_err());
        assert!(err.contains("not a regular file"), "{err}");
    }
    // Through the CLI: a FIFO among the specs of a fleet check, /dev/zero as mocks.
    let bin = env!("CARGO_BIN_EXE_proton-playground");
    let root = env!("CARGO_MANIFEST_DIR");
    let out = quickly("render --mocks /dev/zero", || {
        std::process::Command::new(bin)
            .args([
                "render",
                "examples/templates/ecs-shared-env/v1",
                "--mocks",
                "/dev/zero",
            ])
            .current_dir(root)
            .output()
            .unwrap()
    });
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    if fifo.exists() {
        let out = quickly("fleet --specs with a FIFO", || {
            std::process::Command::new(bin)
                .args(["fleet", "examples/templates/ecs-shared-env/v1", "--specs"])
                .arg(dir.path())
                .current_dir(root)
                .output()
                .unwrap()
        });
        assert_eq!(out.status.code(), Some(2));
    }
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn a_byte_order_mark_is_not_an_error() {
    let bom = |text: &str| format!("\u{feff}{text}");
    let schema = bom("schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        a: {type: string, default: x}\n");
    let manifest = bom("infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n");
    let (tree, d) = proton_playground::bundle::FileTree::from_texts([
        ("schema/schema.yaml", schema.as_str()),
        ("infrastructure/manifest.yaml", manifest.as_str()),
        (
            "infrastructure/cloudformation.yaml",
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n# {{ environment.inputs.a }}\n",
        ),
    ]);
    let ws = Workspace::from_tree(tree, d);
    let request = proton_playground::Request {
        spec: Some(proton_playground::SpecSource {
            path: "spec.yaml".into(),
            text: bom("proton: EnvironmentSpec\nspec:\n  a: y\n"),
        }),
        ..Default::default()
    };
    let report = proton_playground::run(&ws.bundles[0], &request);
    let errors: Vec<_> = ws
        .all_diagnostics()
        .into_iter()
        .chain(report.diagnostics)
        .filter(Diagnostic::is_error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(report.outputs[0].content.contains("# y"));
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn schema_ref_fan_out_and_chains_are_budgeted() {
    // Each type refers to the one before it twice: 2^22 copies once inlined.
    let mut types = String::from("    T0: {type: string}\n");
    for j in 1..=22 {
        types.push_str(&format!(
            "    T{j}: {{type: object, properties: {{a: {{$ref: '#/T{}'}}, b: {{$ref: '#/T{}'}}}}}}\n",
            j - 1,
            j - 1
        ));
    }
    let d = quickly("$ref fan-out", || schema_diagnostics(&types, "T22"));
    assert!(has(&d, "schema-limit"), "{d:?}");

    // A chain of 4,000 array types.
    let mut chain = String::from("    A0: {type: string}\n");
    for j in 1..4_000 {
        chain.push_str(&format!(
            "    A{j}: {{type: array, items: {{$ref: '#/A{}'}}}}\n",
            j - 1
        ));
    }
    let d = quickly("a $ref chain", || schema_diagnostics(&chain, "A3999"));
    assert!(has(&d, "schema-limit"), "{d:?}");

    // 240 levels of inline `items` (the YAML reader allows 256).
    let nested = format!(
        "    N: {}{{type: string}}{}\n",
        "{type: array, items: ".repeat(240),
        "}".repeat(240)
    );
    let d = quickly("inline items", || schema_diagnostics(&nested, "N"));
    assert!(has(&d, "schema-limit"), "{d:?}");
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn schema_patterns_are_budgeted() {
    // 300 patterns each compiling to megabytes: over the size limit, and over the count.
    let mut props = String::new();
    for i in 0..300 {
        props.push_str(&format!(
            "        p{i}: {{type: string, pattern: '(b{{1000}}){{{}}}'}}\n",
            1000 + i
        ));
    }
    let types = format!("    T:\n      type: object\n      properties:\n{props}");
    let d = quickly("300 huge patterns", || schema_diagnostics(&types, "T"));
    assert!(has(&d, "schema-limit"), "{d:?}");
    assert!(has(&d, "schema-pattern"), "{d:?}");
}

/// Renders `template` as an environment bundle's CloudFormation template: every diagnostic.
fn render_template(template: &str) -> Vec<Diagnostic> {
    let schema = "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties: {}\n";
    let manifest = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
    let (tree, d) = proton_playground::bundle::FileTree::from_texts([
        ("schema/schema.yaml", schema),
        ("infrastructure/manifest.yaml", manifest),
        ("infrastructure/cloudformation.yaml", template),
    ]);
    let ws = Workspace::from_tree(tree, d);
    let report = proton_playground::run(&ws.bundles[0], &Default::default());
    report.diagnostics
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn templates_that_build_gigabytes_stop() {
    for template in [
        "{% set s='a'*2000 %}{{ s|replace('',s)|replace('',s) }}",
        "{% set s='a'*2000 %}{{ s.replace('',s).replace('',s) }}",
        "{{ ('x\\n'*100000)|indent(1000000) }}",
        "{% set s='abcdefghij'*4000 %}{{ ([s]*100000)|join }}",
        "{% set s='abcdefghij'*4000 %}{{ ''.join([s]*100000) }}",
        "{% set ns = namespace(x=[1]) %}{% for i in range(30) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x|tojson }}",
        "{% set ns = namespace(x=[1]) %}{% for i in range(30) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x }}",
        "{% set s='x'*1000000 %}{% for i in range(100) %}{{ s }}{% endfor %}",
    ] {
        let d = quickly(template, || render_template(template));
        assert!(has(&d, "template-limit"), "{template}: {d:?}");
    }
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn filters_that_were_slow_stay_linear() {
    let d = quickly("wordwrap(1)", || {
        render_template("{{ ('ab'*100000)|wordwrap(1)|length }}")
    });
    assert!(
        !d.iter()
            .any(|d| d.is_error() && d.code.starts_with("template-")),
        "{d:?}"
    );
    quickly("a 2,000-deep list printed", || {
        render_template(
            "{% set ns = namespace(x=[]) %}{% for i in range(2000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x|pprint|length }}{{ ns.x|length }}",
        )
    });
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn many_keys_resources_and_instances_stay_linear() {
    let schema = "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        a: {type: string, default: x}\n";
    let manifest = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
    // 60,000 resources of a type that does not exist: a finding each, located in the template.
    let mut template = String::from("Resources:\n");
    for i in 0..60_000 {
        template.push_str(&format!(
            "  R{i}:\n    Type: AWS::Nope::Thing\n    Properties:\n      Name: {{{{ environment.name }}}}-{i}\n"
        ));
    }
    let (tree, d) = proton_playground::bundle::FileTree::from_texts([
        ("schema/schema.yaml", schema),
        ("infrastructure/manifest.yaml", manifest),
        ("infrastructure/cloudformation.yaml", template.as_str()),
    ]);
    let ws = Workspace::from_tree(tree, d);
    // 40,000 keys the schema does not define (locating each took quadratic time).
    let mut spec = String::from("proton: EnvironmentSpec\nspec:\n");
    for i in 0..40_000 {
        spec.push_str(&format!("  k{i}: v\n"));
    }
    let request = proton_playground::Request {
        spec: Some(proton_playground::SpecSource {
            path: "spec.yaml".into(),
            text: spec,
        }),
        ..Default::default()
    };
    let report = quickly("60,000 unknown resources and 40,000 unknown keys", || {
        proton_playground::run(&ws.bundles[0], &request)
    });
    assert!(has(&report.diagnostics, "cfn-resource-type"));
    // The first 500 findings are shown, located; the rest are counted.
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "cfn-limit" && d.message.starts_with("59500 more findings")),
        "{} diagnostics",
        report.diagnostics.len()
    );
    let unknown = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "input-unknown")
        .count();
    assert_eq!(unknown, 40_000);
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn a_hundred_thousand_instances() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = Workspace::load_path(&root.join("examples/templates/ecs-fargate-service/v1")).unwrap();
    let spec_of = |n: usize| {
        let mut spec = String::from("proton: ServiceSpec\npipeline: {}\ninstances:\n");
        for i in 0..n {
            spec.push_str(&format!(
                "  - {{name: i{i}, environment: dev, spec: {{image: nginx}}}}\n"
            ));
        }
        proton_playground::Request {
            target: Some(proton_playground::Target::Pipeline),
            spec: Some(proton_playground::SpecSource {
                path: "spec.yaml".into(),
                text: spec,
            }),
            ..Default::default()
        }
    };
    // 100,000 instances make a spec far past what the playground reads.
    let request = spec_of(100_000);
    let report = quickly("a pipeline of 100,000 instances", || {
        proton_playground::run(&ws.bundles[0], &request)
    });
    assert!(has(&report.diagnostics, "spec-size"));
    // 3,000: the first 1,000 are read, and that is said.
    let request = spec_of(3_000);
    let report = quickly("a pipeline of 3,000 instances", || {
        proton_playground::run(&ws.bundles[0], &request)
    });
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "spec-instances" && d.message.contains("the first 1000")),
        "{} diagnostics",
        report.diagnostics.len()
    );
    let export = quickly("an export of 3,000 instances", || {
        proton_playground::workspace::export::migration(&ws, Some(("", &request)))
    });
    assert!(
        export.files.len() <= 2 * 1_000 + 10,
        "{} files",
        export.files.len()
    );
}

/// Writes an environment bundle with `manifest` and `template` under a new temporary folder.
fn bundle_on_disk(manifest: &str, template: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "schema/schema.yaml",
        "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties: {}\n",
    );
    write("infrastructure/manifest.yaml", manifest);
    write("infrastructure/cloudformation.yaml", template);
    dir
}

/// Exit code and stderr of the CLI.
fn cli(args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_proton-playground"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "optimized only: cargo test --release --test hostile"
)]
fn what_render_reports_check_reports() {
    let manifest = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
    // A manifest that is not YAML: nothing to render, which `check` once passed silently.
    let broken = bundle_on_disk("infrastructure: [\n  templates: {\n", "Resources: {}\n");
    for command in ["render", "check"] {
        let (code, err) = cli(&[command, broken.path().to_str().unwrap()]);
        assert_eq!(code, Some(1), "{command}: {err}");
        assert!(err.contains("error[yaml-syntax]"), "{command}: {err}");
    }
    // An include that fails is an error (the lint's warning about includes does not hide it),
    // whatever the path names.
    for include in ["missing.yaml", "/etc/passwd", "../../x.yaml"] {
        let dir = bundle_on_disk(manifest, &format!("{{% include \"{include}\" %}}\n"));
        for command in ["render", "check"] {
            let (code, err) = cli(&[command, dir.path().to_str().unwrap()]);
            assert_eq!(code, Some(1), "{command} {include}: {err}");
            assert!(err.contains("error[template-include]"), "{command}: {err}");
        }
    }
}

/// Renders `template` (one line) through the release CLI with its address space capped at
/// 200 MB: the render must end within the bound of [`quickly`], in that memory, with a
/// `template-limit` error located on the template's line.
fn stops_at_the_text_budget(template: &str) {
    let dir = bundle_on_disk(
        "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        &format!("{template}\n"),
    );
    let out = quickly(template, || {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -v 204800 && exec "$0" render "$1""#)
            .arg(env!("CARGO_BIN_EXE_proton-playground"))
            .arg(dir.path())
            .output()
            .unwrap()
    });
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{template}: {err}");
    assert!(
        err.contains("infrastructure/cloudformation.yaml:1:")
            && err.contains("error[template-limit]"),
        "{template}: {err}"
    );
}

/// One test per text builder: each would allocate gigabytes (or, for a precision, panic in
/// Rust's formatter) if it did not stop at the render's budget before building.
macro_rules! text_builders {
    ($($name:ident: $template:expr;)*) => {$(
        #[test]
        #[cfg_attr(debug_assertions, ignore = "optimized only: cargo test --release --test hostile")]
        fn $name() {
            stops_at_the_text_budget($template);
        }
    )*};
}

text_builders! {
    expandtabs: r"{% set s = '\t' * 100000 %}{{ s.expandtabs(1000000)|length }}";
    expandtabs_width: "{{ 'a'.expandtabs(1000000000) }}";
    center_method: "{{ 'x'.center(1000000000)|length }}";
    center_filter: "{{ 'x'|center(1000000000)|length }}";
    ljust: "{{ 'x'.ljust(1000000000)|length }}";
    rjust: "{{ 'x'.rjust(1000000000, '\u{e9}')|length }}";
    zfill: "{{ '-1'.zfill(1000000000)|length }}";
    format_width: "{{ '{:>1000000000}'.format('x')|length }}";
    format_precision: "{{ '{:,.1000000000f}'.format(1.5)|length }}";
    format_fields: "{{ ('{}'*1000).format(*(['x'*100000]*1000))|length }}";
    format_repeated_field: "{{ '{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}'.format('x'*10000000)|length }}";
    percent_width: "{{ '%1000000000d' % 1 }}";
    percent_star_width: "{{ '%*d' % (1000000000, 1) }}";
    percent_precision: "{{ '%.1000000000f' % 1.5 }}";
    percent_fields: "{{ ('%s'*1000) % ((('x'*100000),)*1000) }}";
    format_filter: "{{ '%1000000000s'|format('x')|length }}";
    indent_width: "{{ 'x'|indent(1000000000) }}";
    indent_lines: r"{{ ('x\n'*100000)|indent(1000000) }}";
    indent_text: r"{{ ('x\n'*1000000)|indent(first=true, width='y'*1000)|length }}";
    wordwrap: "{% set s = 'a b ' * 1000000 %}{{ s|wordwrap(1, wrapstring='x'*1000)|length }}";
    replace_filter: "{{ ('x'*1000)|replace('x', 'y'*100000)|length }}";
    replace_method: "{{ ('x'*1000).replace('x', 'y'*100000)|length }}";
    join_filter: "{{ (['x']*10000)|join('y'*100000)|length }}";
    join_method: "{{ ('y'*100000).join(['a']*10000)|length }}";
    translate: "{{ ('x'*1000).translate({120: 'y'*1000000})|length }}";
    repetition: "{{ ('x' * 99000000)|length }}";
    tojson_indent: "{{ ([[1]*1000]*1000)|tojson(indent=100000)|length }}";
    upper: "{{ ('\u{df}'*10000000)|upper|length }}";
    mapped_center: "{{ ['x']|map('center', 1000000000)|list|length }}";
}
