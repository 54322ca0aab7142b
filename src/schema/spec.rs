//! Spec files (docs/proton-semantics.md §5): `EnvironmentSpec` / `ServiceSpec` import with every
//! check of that section, and export from merged inputs (fields left at their default omitted).

use crate::diagnostic::Diagnostic;
use crate::schema::inputs::Locate;
use crate::yaml::{self, Node, NodeValue, Pos};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A spec's inputs by section: what a spec document holds, and what the page's form edits.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SpecInputs {
    pub environment: Map<String, Json>,
    pub pipeline: Map<String, Json>,
    pub instances: Vec<InstanceInputs>,
}

/// One service instance of a spec: its name, its environment, its inputs.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct InstanceInputs {
    pub name: String,
    pub environment: String,
    pub spec: Map<String, Json>,
}

impl SpecInputs {
    /// The spec document of these inputs for a template taking `kind` (`proton:
    /// EnvironmentSpec` with `spec`, or `ServiceSpec` with the `pipeline` when the template has
    /// one, then `instances`): the one place the document's shape is written.
    pub fn document(&self, kind: SpecKind, has_pipeline: bool) -> Json {
        let mut doc = Map::new();
        match kind {
            SpecKind::Environment => {
                doc.insert("proton".into(), Json::from("EnvironmentSpec"));
                doc.insert("spec".into(), Json::Object(self.environment.clone()));
            }
            SpecKind::Service => {
                doc.insert("proton".into(), Json::from("ServiceSpec"));
                if has_pipeline {
                    doc.insert("pipeline".into(), Json::Object(self.pipeline.clone()));
                }
                let instances = self
                    .instances
                    .iter()
                    .map(|i| serde_json::json!({"name": i.name, "environment": i.environment, "spec": i.spec}))
                    .collect();
                doc.insert("instances".into(), Json::Array(instances));
            }
        }
        Json::Object(doc)
    }
}

/// Which spec document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecKind {
    Environment,
    Service,
}

/// True when `text` reads as a spec document: its `proton:` key, near the top, names an
/// `EnvironmentSpec` or a `ServiceSpec` (YAML or JSON). A cheap look, not a parse: it finds the
/// spec files a repository keeps beside its templates.
pub fn is_spec_document(text: &str) -> bool {
    text.lines().take(40).any(|line| {
        let line = line.trim().trim_start_matches('{').trim_start();
        let Some(rest) = line
            .strip_prefix("proton:")
            .or_else(|| line.strip_prefix("\"proton\":"))
        else {
            return false;
        };
        let value = rest.split([',', '}']).next().unwrap_or_default();
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        matches!(value, "EnvironmentSpec" | "ServiceSpec")
    })
}

impl SpecKind {
    pub fn document_name(self) -> &'static str {
        match self {
            SpecKind::Environment => "EnvironmentSpec",
            SpecKind::Service => "ServiceSpec",
        }
    }
}

/// One entry of `instances`.
#[derive(Debug, Clone, Default)]
pub struct SpecInstance {
    pub name: String,
    pub environment: Option<String>,
    pub spec: Map<String, Json>,
    node: Option<Node>,
    /// Where each key of its `spec:` is written, indexed on first use.
    positions: OnceLock<KeyPositions>,
}

impl SpecInstance {
    /// An instance built in memory (no source position).
    pub fn new(name: &str, environment: Option<&str>, spec: Map<String, Json>) -> Self {
        SpecInstance {
            name: name.to_string(),
            environment: environment.map(String::from),
            spec,
            node: None,
            positions: OnceLock::new(),
        }
    }
}

impl Locate for SpecInstance {
    fn locate(&self, key: &str) -> Option<Pos> {
        self.positions
            .get_or_init(|| KeyPositions::of(self.node.as_ref().and_then(|n| n.get("spec"))))
            .locate(key)
    }
}

/// The position of each key of one mapping of the spec, first occurrence first: locating each
/// of 40,000 keys by scanning the mapping would be quadratic.
#[derive(Debug, Clone, Default)]
pub struct KeyPositions(HashMap<String, Pos>);

impl KeyPositions {
    fn of(section: Option<&Node>) -> Self {
        let mut positions = HashMap::new();
        for (key, value) in section.and_then(Node::as_map).unwrap_or_default() {
            positions.entry(key.key_text()).or_insert(value.pos);
        }
        KeyPositions(positions)
    }
}

impl Locate for KeyPositions {
    fn locate(&self, key: &str) -> Option<Pos> {
        self.0.get(key).copied()
    }
}

/// A parsed spec.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    pub path: String,
    /// Environment inputs (`spec:`).
    pub spec: Map<String, Json>,
    /// Pipeline inputs, when the document has `pipeline:`.
    pub pipeline: Option<Map<String, Json>>,
    pub instances: Vec<SpecInstance>,
    root: Option<Node>,
    /// Where the keys of `spec:` and `pipeline:` are written, indexed on first use (a parsed
    /// spec is kept across renders: report::read_spec).
    environment_positions: OnceLock<KeyPositions>,
    pipeline_positions: OnceLock<KeyPositions>,
}

impl Spec {
    /// Locator for the environment inputs (`spec:`).
    pub fn environment_locator(&self) -> &KeyPositions {
        self.environment_positions
            .get_or_init(|| KeyPositions::of(self.root.as_ref().and_then(|r| r.get("spec"))))
    }

    /// Locator for the pipeline inputs (`pipeline:`).
    pub fn pipeline_locator(&self) -> &KeyPositions {
        self.pipeline_positions
            .get_or_init(|| KeyPositions::of(self.root.as_ref().and_then(|r| r.get("pipeline"))))
    }

    pub fn instance(&self, name: &str) -> Option<&SpecInstance> {
        self.instances.iter().find(|i| i.name == name)
    }
}

const CURRENT_VAL: &str = "${Proton::CURRENT_VAL}";
pub const MAX_SPEC_CHARS: usize = 51200;
/// Specs past this size are not read at all (forty times Proton's limit).
pub const MAX_SPEC_READ: usize = 2 * 1024 * 1024;
/// Instances read from one spec: 100,000 would take seconds and a gigabyte to render, and
/// Proton's size limit holds fewer than 2,000 of the smallest (`- {name: a, environment: b}`).
pub const MAX_INSTANCES: usize = 1_000;

/// Name format for environments, services, instances and components (docs/proton-semantics.md
/// §2.6).
pub fn valid_name(name: &str) -> bool {
    // `^[0-9A-Za-z]+[0-9A-Za-z_\-]*$`, 1–100 characters.
    (1..=100).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Parses a spec file. `expected` is the document the template takes (None: unknown, e.g. a
/// component); `has_pipeline` whether the service template has one.
pub fn parse(
    text: &str,
    path: &str,
    expected: Option<SpecKind>,
    has_pipeline: bool,
) -> (Spec, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut spec = Spec {
        path: path.to_string(),
        ..Default::default()
    };
    let err = |code: &str, msg: String, pos: Option<Pos>| {
        Diagnostic::error(code, msg).in_file(path).at_pos(pos)
    };
    if text.len() > MAX_SPEC_READ {
        diags.push(
            err(
                "spec-size",
                format!(
                    "the spec is {} bytes, far over Proton's {MAX_SPEC_CHARS}-character limit: it is not read (the playground reads up to {} KB)",
                    text.len(),
                    MAX_SPEC_READ / 1024
                ),
                None,
            )
            .with_hint("Proton rejects specs over its limit: split the service"),
        );
        return (spec, diags);
    }
    if text.chars().count() > MAX_SPEC_CHARS {
        diags.push(err(
            "spec-size",
            format!("the spec is over Proton's {MAX_SPEC_CHARS}-character limit"),
            None,
        ));
    }
    let doc = match yaml::parse(text) {
        Ok(d) => d,
        Err(e) => {
            diags.push(e.to_diagnostic(path));
            return (spec, diags);
        }
    };
    diags.extend(crate::yaml::notice_diagnostics(&doc.notices, path));
    let root = doc.root;
    if root.as_map().is_none() {
        diags.push(err(
            "spec-structure",
            format!("a spec is a mapping, got {}", root.type_name()),
            Some(root.pos),
        ));
        return (spec, diags);
    }
    match root.entry("proton") {
        None => diags.push(err(
            "spec-structure",
            "the spec has no `proton:` key (EnvironmentSpec or ServiceSpec)".into(),
            Some(root.pos),
        )),
        Some((_, value)) => {
            let text = crate::yaml::node_text(value);
            if let Some(expected) = expected {
                if text != expected.document_name() {
                    diags.push(err(
                        "spec-kind",
                        format!(
                            "`proton: {text}` but this template takes a {}",
                            expected.document_name()
                        ),
                        Some(value.pos),
                    ));
                }
            }
        }
    }
    for (key, _) in root.as_map().unwrap_or_default() {
        let k = key.key_text();
        if !matches!(k.as_str(), "proton" | "spec" | "pipeline" | "instances") {
            diags.push(
                Diagnostic::warning("spec-key", format!("unknown top-level key `{k}`"))
                    .in_file(path)
                    .at_pos(Some(key.pos)),
            );
        }
    }
    spec.spec = section(&root, "spec", path, &mut diags);
    if let Some((key, _)) = root.entry("pipeline") {
        if expected == Some(SpecKind::Service) && !has_pipeline {
            diags.push(
                err("spec-pipeline", "`pipeline:` is given but this template has no pipeline".into(), Some(key.pos))
                    .with_hint("remove it: a pipeline-less service is created with pipelineProvisioning CUSTOMER_MANAGED"),
            );
        }
        spec.pipeline = Some(section(&root, "pipeline", path, &mut diags));
    }
    if let Some(instances) = root.get("instances") {
        match instances.as_seq() {
            Some(items) if !items.is_empty() => {
                for item in items.iter().take(MAX_INSTANCES) {
                    spec.instances.push(parse_instance(item, path, &mut diags));
                }
                if items.len() > MAX_INSTANCES {
                    diags.push(err(
                        "spec-instances",
                        format!(
                            "{} instances: the playground reads the first {MAX_INSTANCES} (Proton's {MAX_SPEC_CHARS}-character limit holds fewer)",
                            items.len()
                        ),
                        Some(instances.pos),
                    ));
                }
            }
            _ => diags.push(err(
                "spec-instances",
                "`instances` must be a non-empty list".into(),
                Some(instances.pos),
            )),
        }
        let mut seen = std::collections::HashSet::new();
        for inst in &spec.instances {
            if !inst.name.is_empty() && !seen.insert(inst.name.clone()) {
                diags.push(err(
                    "spec-instances",
                    format!("instance name `{}` is used twice", inst.name),
                    inst.node.as_ref().map(|n| n.pos),
                ));
            }
        }
    } else if expected == Some(SpecKind::Service) {
        diags.push(err(
            "spec-instances",
            "a ServiceSpec needs `instances`".into(),
            Some(root.pos),
        ));
    }
    warn_current_val(&root, path, &mut diags);
    spec.root = Some(root);
    (spec, diags)
}

fn section(root: &Node, key: &str, path: &str, diags: &mut Vec<Diagnostic>) -> Map<String, Json> {
    match root.get(key) {
        None => Map::new(),
        Some(n) if n.is_null() => Map::new(),
        Some(n) => match n.to_json() {
            Json::Object(m) => m,
            _ => {
                diags.push(
                    Diagnostic::error(
                        "spec-structure",
                        format!("`{key}` must be a mapping of inputs, got {}", n.type_name()),
                    )
                    .in_file(path)
                    .at_pos(Some(n.pos)),
                );
                Map::new()
            }
        },
    }
}

fn parse_instance(item: &Node, path: &str, diags: &mut Vec<Diagnostic>) -> SpecInstance {
    let mut inst = SpecInstance {
        node: Some(item.clone()),
        ..Default::default()
    };
    if item.as_map().is_none() {
        diags.push(
            Diagnostic::error(
                "spec-instances",
                "each instance is a mapping with name, environment and spec",
            )
            .in_file(path)
            .at_pos(Some(item.pos)),
        );
        return inst;
    }
    for field in ["name", "environment"] {
        match item.get(field) {
            None => diags.push(
                Diagnostic::error("spec-instances", format!("instance has no `{field}`"))
                    .in_file(path)
                    .at_pos(Some(item.pos)),
            ),
            Some(node) => {
                let value = crate::yaml::node_text(node);
                if !valid_name(&value) {
                    diags.push(
                        Diagnostic::error("spec-name", format!("{field} `{value}` is not a valid Proton name"))
                            .in_file(path)
                            .at_pos(Some(node.pos))
                            .with_hint("1–100 characters: letters, digits, `-` and `_`, starting with a letter or digit"),
                    );
                }
                if field == "name" {
                    inst.name = value;
                } else {
                    inst.environment = Some(value);
                }
            }
        }
    }
    inst.spec = section(item, "spec", path, diags);
    inst
}

fn warn_current_val(node: &Node, path: &str, diags: &mut Vec<Diagnostic>) {
    match &node.value {
        NodeValue::Str(s) if s == CURRENT_VAL => diags.push(
            Diagnostic::warning("spec-current-val", "${Proton::CURRENT_VAL} keeps the deployed value; with no previous spec loaded it is rendered literally")
                .in_file(path)
                .at_pos(Some(node.pos)),
        ),
        NodeValue::Seq(items) => items.iter().for_each(|i| warn_current_val(i, path, diags)),
        NodeValue::Map(entries) => entries.iter().for_each(|(_, v)| warn_current_val(v, path, diags)),
        _ => {}
    }
}

/// Writes a spec document. Fields equal to their schema default are left out.
pub fn export(
    kind: SpecKind,
    spec: &Map<String, Json>,
    pipeline: Option<&Map<String, Json>>,
    instances: &[SpecInstance],
) -> String {
    let mut out = format!("proton: {}\n", kind.document_name());
    match kind {
        SpecKind::Environment => {
            out.push_str("spec:");
            yaml::write_mapping(&mut out, spec, 1);
        }
        SpecKind::Service => {
            if let Some(p) = pipeline {
                out.push_str("pipeline:");
                yaml::write_mapping(&mut out, p, 1);
            }
            out.push_str("instances:\n");
            for inst in instances {
                out.push_str(&format!("  - name: {}\n", yaml::yaml_string(&inst.name)));
                if let Some(env) = &inst.environment {
                    out.push_str(&format!("    environment: {}\n", yaml::yaml_string(env)));
                }
                if !inst.spec.is_empty() {
                    out.push_str("    spec:");
                    yaml::write_mapping(&mut out, &inst.spec, 3);
                }
            }
        }
    }
    out
}

/// Drops the keys whose value equals the schema default: what a spec written by hand holds.
pub fn without_defaults(
    input_type: Option<&crate::schema::InputType>,
    merged: &Map<String, Json>,
) -> Map<String, Json> {
    merged
        .iter()
        .filter(|(k, v)| {
            input_type
                .and_then(|t| t.property(k))
                .and_then(|p| p.default.as_ref())
                .is_none_or(|d| d != *v)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn service_spec_checks() {
        let text = "proton: ServiceSpec\npipeline:\n  a: 1\ninstances:\n  - name: dev\n    environment: my_env\n    spec:\n      port: 80\n  - name: dev\n    environment: 'bad env'\nextra: 1\n";
        let (spec, d) = parse(text, "spec.yaml", Some(SpecKind::Service), false);
        let codes: Vec<_> = d.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["spec-key", "spec-pipeline", "spec-name", "spec-instances"],
            "{d:?}"
        );
        assert_eq!(spec.instances.len(), 2);
        assert_eq!(spec.instances[0].spec["port"], json!(80));
        assert_eq!(spec.instances[0].locate("port").unwrap().line, 8);
    }

    #[test]
    fn wrong_document_and_shapes() {
        let (_, d) = parse(
            "proton: ServiceSpec\nspec: [1]\n",
            "s",
            Some(SpecKind::Environment),
            false,
        );
        assert_eq!(
            d.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            ["spec-kind", "spec-structure"]
        );
        let (_, d) = parse(
            "proton: ServiceSpec\ninstances: {}\n",
            "s",
            Some(SpecKind::Service),
            false,
        );
        assert_eq!(d[0].code, "spec-instances");
        let (_, d) = parse("- a", "s", None, false);
        assert_eq!(d[0].code, "spec-structure");
        let (spec, d) = parse(
            "proton: \"EnvironmentSpec\"\nspec:\n  v: ${Proton::CURRENT_VAL}\n",
            "s",
            Some(SpecKind::Environment),
            false,
        );
        assert_eq!(d[0].code, "spec-current-val");
        assert_eq!(spec.spec["v"], json!("${Proton::CURRENT_VAL}"));
    }

    #[test]
    fn export_round_trips() {
        let spec = json!({"vpc_cidr": "10.0.0.0/16", "flag": "yes", "n": 3, "list": ["a", {"k": "v", "x": 1}], "empty": {}});
        let text = export(SpecKind::Environment, spec.as_object().unwrap(), None, &[]);
        let (back, d) = parse(&text, "s", Some(SpecKind::Environment), false);
        assert!(d.is_empty(), "{text}\n{d:?}");
        assert_eq!(Json::Object(back.spec), spec, "{text}");
        let inst = SpecInstance::new(
            "dev",
            Some("env"),
            json!({"p": 1}).as_object().unwrap().clone(),
        );
        let text = export(SpecKind::Service, &Map::new(), Some(&Map::new()), &[inst]);
        assert_eq!(text, "proton: ServiceSpec\npipeline: {}\ninstances:\n  - name: dev\n    environment: env\n    spec:\n      p: 1\n");
    }
}
