//! Entry points of the fuzz targets in `fuzz/`, shared with `tests/fuzz_regressions.rs`, which
//! replays every input that once crashed or hung one of them. Each must return normally, whatever
//! the bytes: problems become diagnostics.

use crate::render::lint::{self, Scope};
use crate::render::{RenderOptions, Renderer};
use crate::schema::spec::{self, SpecKind};
use crate::schema::InputKind;
use crate::workspace::Workspace;
use minijinja::Value;
use std::sync::{Arc, OnceLock};

/// Archive bytes, read as a `.tar.gz` and as a `.zip`, analyzed and summarized.
pub fn archive(data: &[u8]) {
    for name in ["bundle.tar.gz", "bundle.zip"] {
        let workspace = Workspace::from_bytes(name, data);
        let _ = crate::workspace::summary::summarize(&workspace);
    }
}

/// An uncompressed tar stream: its headers, long names, PAX records and links, read within the
/// archive budgets.
pub fn tar(data: &[u8]) {
    let workspace = Workspace::from_bytes("bundle.tar", data);
    let _ = crate::workspace::summary::summarize(&workspace);
}

/// `schema.yaml` text: parsed and compiled (`$ref`s, patterns, defaults), then an empty input and
/// the defaults validated against each input type.
pub fn schema(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (schema, _) = crate::schema::parse(&text, "schema/schema.yaml");
    let Some(schema) = schema else { return };
    for kind in [
        InputKind::Environment,
        InputKind::Service,
        InputKind::Pipeline,
    ] {
        if let Some(input_type) = schema.input_type(kind) {
            let merged = crate::schema::inputs::merge(input_type, &serde_json::Map::new());
            let site = crate::schema::inputs::InputSite {
                section: crate::diagnostic::Section::Environment,
                instance: None,
                spec_file: None,
                locate: None,
                schema_file: "schema/schema.yaml",
            };
            let _ = crate::schema::inputs::validate(
                input_type,
                &serde_json::Map::new(),
                &merged,
                &site,
            );
        }
    }
}

/// `schema.yaml` text, then `\n---\n`, then a spec: parsed, merged and validated.
pub fn inputs(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (schema_text, spec_text) = text.split_once("\n---\n").unwrap_or((&text, ""));
    let (schema, _) = crate::schema::parse(schema_text, "schema/schema.yaml");
    for (kind, expected) in [(SpecKind::Environment, true), (SpecKind::Service, false)] {
        let (spec, _) = spec::parse(spec_text, "spec.yaml", Some(kind), expected);
        let Some(schema) = &schema else { continue };
        for input_kind in [
            InputKind::Environment,
            InputKind::Service,
            InputKind::Pipeline,
        ] {
            if let Some(input_type) = schema.input_type(input_kind) {
                let specs = std::iter::once(&spec.spec)
                    .chain(spec.pipeline.iter())
                    .chain(spec.instances.iter().map(|i| &i.spec));
                for values in specs {
                    let merged = crate::schema::inputs::merge(input_type, values);
                    let site = crate::schema::inputs::InputSite {
                        section: crate::diagnostic::Section::Environment,
                        instance: None,
                        spec_file: Some("spec.yaml"),
                        locate: None,
                        schema_file: "schema/schema.yaml",
                    };
                    let _ = crate::schema::inputs::validate(input_type, values, &merged, &site);
                }
            }
        }
    }
}

/// A template: linted, then rendered over a fixed environment context.
pub fn render(data: &[u8]) {
    let Ok(template) = std::str::from_utf8(data) else {
        return;
    };
    let _ = lint::analyze(template, "t.yaml", Scope::Environment);
    static ENGINE: OnceLock<(Renderer, Value)> = OnceLock::new();
    let (renderer, context) = ENGINE.get_or_init(|| {
        let context = serde_json::json!({
            "environment": {
                "name": "env", "account_id": "123456789012",
                "inputs": {"cidr": "10.0.0.0/16", "count": 2, "flag": true, "names": ["a", "b"],
                           "nested": {"k": "v", "n": null}, "ratio": 0.5},
            },
        });
        (
            Renderer::new(Arc::default(), &RenderOptions::default()),
            crate::context::to_template_value(&context),
        )
    });
    let _ = renderer.render_str("t.yaml", template, context);
}

/// Rendered text through the CloudFormation checks (also as its own template source).
pub fn cfn_checks(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::checks::check_cloudformation("t.yaml", &text, &text);
}
