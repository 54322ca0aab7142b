//! The files a target produces (docs/proton-semantics.md §7–§10): rendered CloudFormation,
//! Terraform `.tf` passed through with `proton.auto.tfvars.json`, CodeBuild `proton-inputs.json`
//! and the rendered `project_properties` (display only).

use crate::bundle::manifest::Method;
use crate::bundle::{Bundle, Infrastructure};
use crate::context::Target;
use crate::diagnostic::Diagnostic;
use crate::render::pyjson::{dumps, JsonStyle};
use crate::render::{probes, Renderer};
use minijinja::value::Value;
use serde::Serialize;
use serde_json::{Map, Value as Json};

/// One produced file, by bundle-relative path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedFile {
    pub path: String,
    pub content: String,
}

impl RenderedFile {
    /// Why `path` cannot be written under an output folder, if it cannot: it must be relative
    /// and made of plain names (no empty, `.` or `..` part, no `\\`, no NUL),
    /// so that whatever a bundle or spec names stays inside the folder.
    pub fn unsafe_path(path: &str) -> Option<String> {
        if path.is_empty() {
            return Some("the path is empty".into());
        }
        if path.starts_with('/') {
            return Some(format!("`{path}` is absolute"));
        }
        if path.contains('\\') || path.contains('\0') {
            return Some(format!("`{path}` holds `\\` or NUL"));
        }
        path.split('/')
            .find(|part| part.is_empty() || *part == "." || *part == ".." || part.len() > 255)
            .map(|part| format!("`{path}` has the part `{part}`"))
    }
}

/// Files for `infra`: the compared outputs, and display-only extras.
pub fn produce(
    bundle: &Bundle,
    infra: &Infrastructure,
    context: &Json,
    template_value: &Value,
    renderer: &Renderer,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<RenderedFile>, Vec<RenderedFile>) {
    let mut outputs = Vec::new();
    let mut extras = Vec::new();
    let folder_file = |name: &str| {
        if infra.folder.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", infra.folder)
        }
    };
    match infra.method {
        Some(Method::CloudFormation) | None => {
            for file in &infra.files {
                let source = bundle
                    .files
                    .get(file)
                    .map(String::as_str)
                    .unwrap_or_default();
                if bundle
                    .diagnostics
                    .iter()
                    .any(|d| crate::render::is_blocking(d) && d.file.as_deref() == Some(file))
                {
                    continue;
                }
                // Values Jinja2 would have refused where the engine goes on (render/probes.rs).
                let rendered = probes::checked_render(
                    bundle.probes(file),
                    renderer,
                    template_value,
                    file,
                    || renderer.render(file, source, template_value),
                    diagnostics,
                );
                if let Some(content) = rendered {
                    outputs.push(RenderedFile {
                        path: file.clone(),
                        content,
                    });
                }
            }
        }
        Some(Method::Terraform) => {
            for file in &infra.files {
                if let Some(content) = bundle.files.get(file) {
                    outputs.push(RenderedFile {
                        path: file.clone(),
                        content: content.clone(),
                    });
                }
            }
            outputs.push(RenderedFile {
                path: folder_file("proton.auto.tfvars.json"),
                content: inputs_file(infra.target, context),
            });
        }
        Some(Method::CodeBuild) => {
            outputs.push(RenderedFile {
                path: folder_file("proton-inputs.json"),
                content: inputs_file(infra.target, context),
            });
            if let Some(props) = infra
                .codebuild_settings
                .as_ref()
                .and_then(|s| s.get("project_properties"))
            {
                let rendered = render_strings(
                    props,
                    &infra.manifest_path,
                    template_value,
                    renderer,
                    diagnostics,
                );
                let value = Value::from(minijinja::value::Serde(&rendered));
                let style = JsonStyle {
                    indent: Some("  "),
                    ..Default::default()
                };
                if let Ok(text) = dumps(&value, style) {
                    extras.push(RenderedFile {
                        path: folder_file("project_properties.rendered.json"),
                        content: text + "\n",
                    });
                }
            }
        }
    }
    (outputs, extras)
}

/// `proton.auto.tfvars.json` / `proton-inputs.json`: the context trimmed per target (§9), as
/// Python `json.dumps(indent=2)` with keys in context order.
pub fn inputs_file(target: Target, context: &Json) -> String {
    let pick = |obj: &Json, keys: &[&str]| -> Json {
        let mut out = Map::new();
        for k in keys {
            if let Some(v) = obj.get(*k) {
                out.insert(k.to_string(), v.clone());
            }
        }
        Json::Object(out)
    };
    let trimmed = match target {
        Target::Environment => {
            let mut out = Map::new();
            out.insert(
                "environment".into(),
                pick(&context["environment"], &["name", "inputs"]),
            );
            Json::Object(out)
        }
        Target::ServiceInstance => {
            let mut out = pick(context, &["environment", "service"]);
            if let Json::Object(map) = &mut out {
                map.insert(
                    "service_instance".into(),
                    pick(&context["service_instance"], &["name", "inputs"]),
                );
            }
            out
        }
        Target::Pipeline => pick(context, &["service", "pipeline", "service_instances"]),
        Target::Component => {
            let mut out = pick(context, &["environment", "service"]);
            if let Json::Object(map) = &mut out {
                map.insert(
                    "service_instance".into(),
                    pick(&context["service_instance"], &["name", "inputs"]),
                );
                map.insert("component".into(), context["component"].clone());
            }
            out
        }
    };
    let value = Value::from(minijinja::value::Serde(&trimmed));
    let style = JsonStyle {
        indent: Some("  "),
        ..Default::default()
    };
    dumps(&value, style).unwrap_or_default() + "\n"
}

/// Renders every string inside `value` as a Jinja template (CodeBuild `project_properties`).
fn render_strings(
    value: &Json,
    file: &str,
    ctx: &Value,
    renderer: &Renderer,
    diagnostics: &mut Vec<Diagnostic>,
) -> Json {
    match value {
        Json::String(s) if s.contains("{{") || s.contains("{%") => {
            match renderer.render_str(file, s, ctx) {
                Ok(r) => Json::String(r),
                Err(d) => {
                    diagnostics.push(d);
                    value.clone()
                }
            }
        }
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|v| render_strings(v, file, ctx, renderer, diagnostics))
                .collect(),
        ),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        render_strings(v, file, ctx, renderer, diagnostics),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_relative_paths_are_safe() {
        use super::RenderedFile;
        for ok in [
            "a.yaml",
            "env/v1/environment/infrastructure/cloudformation.yaml",
            "x..y",
        ] {
            assert_eq!(RenderedFile::unsafe_path(ok), None, "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a/.",
            "..",
            "a\\b",
            "a\0b",
        ] {
            assert!(RenderedFile::unsafe_path(bad).is_some(), "{bad:?}");
        }
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn tfvars_trim_and_format() {
        let ctx = json!({"environment": {"name": "dev", "inputs": {"vpc_cidr": "10.0.0.0/16", "n": 1.5, "z": "é"}, "account_id": "1"}});
        assert_eq!(
            inputs_file(Target::Environment, &ctx),
            "{\n  \"environment\": {\n    \"name\": \"dev\",\n    \"inputs\": {\n      \"vpc_cidr\": \"10.0.0.0/16\",\n      \"n\": 1.5,\n      \"z\": \"\\u00e9\"\n    }\n  }\n}\n"
        );
    }
}
