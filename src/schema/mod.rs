//! `schema/schema.yaml` (docs/proton-semantics.md §4): the input types of a template, their
//! self-checks, and each type's OpenAPI 3.0 schema compiled once into a validator.

pub mod examples;
pub mod explain;
pub mod inputs;
pub mod pattern;
pub mod spec;
pub mod validate;

use crate::diagnostic::{Diagnostic, Subject};
use crate::yaml::{self, Node, Pos};
use serde_json::{json, Map, Value as Json};

/// Which input type of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Environment,
    Service,
    Pipeline,
}

impl InputKind {
    pub fn key(self) -> &'static str {
        match self {
            InputKind::Environment => "environment_input_type",
            InputKind::Service => "service_input_type",
            InputKind::Pipeline => "pipeline_input_type",
        }
    }
}

/// One input (top-level property) of an input type, in schema order.
#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    /// The property's OpenAPI schema with `$ref`s resolved.
    pub schema: Json,
    pub required: bool,
    pub default: Option<Json>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub pos: Pos,
    pub default_pos: Option<Pos>,
}

/// A compiled input type: its properties and a validator for merged inputs.
#[derive(Debug)]
pub struct InputType {
    pub name: String,
    pub properties: Vec<Property>,
    pub validator: validate::Validator,
    pub pos: Pos,
}

impl InputType {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// A parsed schema file.
#[derive(Debug)]
pub struct Schema {
    pub path: String,
    pub environment: Option<InputType>,
    pub service: Option<InputType>,
    pub pipeline: Option<InputType>,
    /// Declared `*_input_type` names, also when they do not resolve.
    pub declared: Vec<(InputKind, String, Pos)>,
}

impl Schema {
    pub fn input_type(&self, kind: InputKind) -> Option<&InputType> {
        match kind {
            InputKind::Environment => self.environment.as_ref(),
            InputKind::Service => self.service.as_ref(),
            InputKind::Pipeline => self.pipeline.as_ref(),
        }
    }

    pub fn declares(&self, kind: InputKind) -> bool {
        self.declared.iter().any(|(k, _, _)| *k == kind)
    }
}

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Parses and self-checks a schema file at bundle-relative `path`.
pub fn parse(text: &str, path: &str) -> (Option<Schema>, Vec<Diagnostic>) {
    let doc = match yaml::parse(text) {
        Ok(doc) => doc,
        Err(e) => return (None, vec![e.to_diagnostic(path)]),
    };
    let mut diags = yaml::notice_diagnostics(&doc.notices, path);
    let Some(schema) = doc.root.get("schema") else {
        diags.push(
            Diagnostic::error(
                "schema-structure",
                "schema.yaml needs a top-level `schema:` key",
            )
            .in_file(path)
            .at_pos(Some(doc.root.pos)),
        );
        return (None, diags);
    };
    if schema
        .get("format")
        .and_then(|f| f.get("openapi"))
        .is_none()
    {
        diags.push(
            Diagnostic::error("schema-structure", "schema.format.openapi is required")
                .in_file(path)
                .at_pos(Some(schema.pos))
                .with_hint("format:\n  openapi: \"3.0.0\""),
        );
    }
    let types = schema.get("types");
    if types.and_then(Node::as_map).is_none() {
        diags.push(
            Diagnostic::error(
                "schema-structure",
                "schema.types must be a mapping of type names to schemas",
            )
            .in_file(path)
            .at_pos(Some(types.unwrap_or(schema).pos)),
        );
    }
    let mut out = Schema {
        path: path.to_string(),
        environment: None,
        service: None,
        pipeline: None,
        declared: Vec::new(),
    };
    for kind in [
        InputKind::Environment,
        InputKind::Service,
        InputKind::Pipeline,
    ] {
        let Some(node) = schema.get(kind.key()) else {
            continue;
        };
        let Some(name) = node.as_str() else {
            diags.push(
                Diagnostic::error(
                    "schema-structure",
                    format!("{} must be a type name", kind.key()),
                )
                .in_file(path)
                .at_pos(Some(node.pos)),
            );
            continue;
        };
        out.declared.push((kind, name.to_string(), node.pos));
        let Some(type_node) = types.and_then(|t| t.get(name)) else {
            diags.push(
                Diagnostic::error(
                    "schema-type-missing",
                    format!(
                        "{} names `{name}`, which is not in schema.types",
                        kind.key()
                    ),
                )
                .in_file(path)
                .at_pos(Some(node.pos)),
            );
            continue;
        };
        let compiled = compile_type(name, type_node, types, path, &mut diags);
        match kind {
            InputKind::Environment => out.environment = Some(compiled),
            InputKind::Service => out.service = Some(compiled),
            InputKind::Pipeline => out.pipeline = Some(compiled),
        }
    }
    if out.declares(InputKind::Environment)
        && (out.declares(InputKind::Service) || out.declares(InputKind::Pipeline))
    {
        diags.push(
            Diagnostic::error(
                "schema-structure",
                "a schema is for an environment or for a service, not both",
            )
            .in_file(path)
            .at_pos(Some(schema.pos)),
        );
    }
    if out.declares(InputKind::Pipeline) && !out.declares(InputKind::Service) {
        diags.push(
            Diagnostic::error(
                "schema-structure",
                "service templates need service_input_type",
            )
            .in_file(path)
            .at_pos(Some(schema.pos)),
        );
    }
    if out.declared.is_empty() {
        diags.push(
            Diagnostic::error(
                "schema-structure",
                "no environment_input_type or service_input_type",
            )
            .in_file(path)
            .at_pos(Some(schema.pos)),
        );
    }
    (Some(out), diags)
}

fn compile_type(
    name: &str,
    node: &Node,
    types: Option<&Node>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> InputType {
    let resolved = resolve_node(node, &mut Resolver::new(name, types, path), diags, 0);
    let node_for_props = deref_node(node, types);
    let required: Vec<String> = node_for_props
        .get("required")
        .and_then(Node::as_seq)
        .map(|r| {
            r.iter()
                .filter_map(|n| n.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let mut properties = Vec::new();
    if let Some(props) = node_for_props.get("properties").and_then(Node::as_map) {
        for (key, prop) in props {
            let pname = key.key_text();
            if pname.chars().count() > 100 {
                diags.push(
                    Diagnostic::error("schema-name", "input names are limited to 100 characters")
                        .in_file(path)
                        .at_pos(Some(key.pos)),
                );
            }
            let schema = resolved
                .get("properties")
                .and_then(|p| p.get(&pname))
                .cloned()
                .unwrap_or(Json::Null);
            let target = deref_node(prop, types);
            properties.push(Property {
                default: target.get("default").map(Node::to_json),
                default_pos: target.get("default").map(|d| d.pos),
                title: target.get("title").and_then(Node::as_str).map(String::from),
                description: target
                    .get("description")
                    .and_then(Node::as_str)
                    .map(String::from),
                required: required.contains(&pname),
                name: pname,
                schema,
                pos: key.pos,
            });
        }
    }
    for r in &required {
        if !properties.iter().any(|p| &p.name == r) {
            diags.push(
                Diagnostic::warning(
                    "schema-required",
                    format!("`{r}` is required but not among the properties of {name}"),
                )
                .about(Subject::SchemaInput {
                    input_type: name.to_string(),
                    input: r.clone(),
                })
                .in_file(path)
                .at_pos(Some(node.pos)),
            );
        }
    }
    let compiled = validate::Validator::compile(&resolved, MAX_PATTERNS);
    if compiled.patterns_left_out > 0 {
        diags.push(
            Diagnostic::error(
                "schema-limit",
                format!(
                    "type {name} holds {} patterns once its `$ref`s are inlined: the playground checks the first {MAX_PATTERNS}",
                    MAX_PATTERNS + compiled.patterns_left_out
                ),
            )
            .in_file(path)
            .at_pos(Some(node.pos)),
        );
    }
    for (pattern, reason) in &compiled.bad_patterns {
        let pos = pattern_pos(node, types, pattern, &mut Vec::new()).unwrap_or(node.pos);
        diags.push(
            Diagnostic::error("schema-pattern", format!("pattern does not compile: {reason}"))
                .in_file(path)
                .at_pos(Some(pos))
                .with_hint("patterns are ECMA-262 regular expressions without look-around or backreferences, compiling to at most 1 MB"),
        );
    }
    let input_type = InputType {
        name: name.to_string(),
        properties,
        validator: compiled.validator,
        pos: node.pos,
    };
    check_defaults(&input_type, path, diags);
    input_type
}

/// Follows a top-level `$ref: '#/Name'` to the referenced type node.
fn deref_node<'a>(node: &'a Node, types: Option<&'a Node>) -> &'a Node {
    let mut current = node;
    for _ in 0..16 {
        match current
            .get("$ref")
            .and_then(Node::as_str)
            .and_then(|r| r.strip_prefix("#/"))
        {
            Some(name) => match types.and_then(|t| t.get(name)) {
                Some(target) => current = target,
                None => break,
            },
            None => break,
        }
    }
    current
}

/// Schema nodes one input type may expand to once its `$ref`s are inlined: two references per
/// level over 18 levels would otherwise expand to gigabytes.
pub const MAX_SCHEMA_NODES: usize = 20_000;
/// Nesting of one input type, `$ref`s and inline `items`/`properties` alike.
pub const MAX_SCHEMA_DEPTH: usize = 64;

/// Inlines `$ref`s within the budgets above; past them the rest is left out, said once.
struct Resolver<'a> {
    types: Option<&'a Node>,
    path: &'a str,
    /// The `$ref` names being expanded (a name met again refers to itself).
    stack: Vec<String>,
    nodes: usize,
    exhausted: bool,
}

impl<'a> Resolver<'a> {
    fn new(name: &str, types: Option<&'a Node>, path: &'a str) -> Self {
        Resolver {
            types,
            path,
            stack: vec![name.to_string()],
            nodes: 0,
            exhausted: false,
        }
    }

    /// False (and said once) when `node` would go past a budget.
    fn within_budget(&mut self, node: &Node, depth: usize, diags: &mut Vec<Diagnostic>) -> bool {
        self.nodes += 1;
        if self.nodes <= MAX_SCHEMA_NODES && depth <= MAX_SCHEMA_DEPTH {
            return true;
        }
        if !self.exhausted {
            self.exhausted = true;
            diags.push(
                Diagnostic::error(
                    "schema-limit",
                    format!(
                        "the input type expands past the playground's limits ({MAX_SCHEMA_NODES} schema nodes, {MAX_SCHEMA_DEPTH} levels) once its `$ref`s are inlined: the rest is not checked"
                    ),
                )
                .in_file(self.path)
                .at_pos(Some(node.pos))
                .with_hint("share fewer `$ref`s per level, or flatten the type"),
            );
        }
        false
    }
}

/// Converts a schema node to JSON with `$ref`s inlined and every keyword checked.
fn resolve_node(
    node: &Node,
    resolver: &mut Resolver,
    diags: &mut Vec<Diagnostic>,
    depth: usize,
) -> Json {
    if !resolver.within_budget(node, depth, diags) {
        return json!({});
    }
    let (types, path) = (resolver.types, resolver.path);
    let Some(entries) = node.as_map() else {
        diags.push(
            Diagnostic::error(
                "schema-invalid",
                format!("a schema must be a mapping, got {}", node.type_name()),
            )
            .in_file(path)
            .at_pos(Some(node.pos)),
        );
        return json!({});
    };
    if let Some(reference) = node.get("$ref") {
        let target = reference.as_str().and_then(|r| r.strip_prefix("#/"));
        return match target.and_then(|name| types.and_then(|t| t.get(name)).map(|n| (name, n))) {
            Some((name, _)) if resolver.stack.iter().any(|s| s == name) => {
                diags.push(
                    Diagnostic::error("schema-ref", format!("`$ref: '#/{name}'` refers to itself"))
                        .in_file(path)
                        .at_pos(Some(reference.pos)),
                );
                json!({})
            }
            Some((name, target)) => {
                resolver.stack.push(name.to_string());
                let resolved = resolve_node(target, resolver, diags, depth + 1);
                resolver.stack.pop();
                resolved
            }
            None => {
                diags.push(
                    Diagnostic::error(
                        "schema-ref",
                        format!(
                            "`$ref` must name a type of schema.types as '#/TypeName', got {}",
                            reference.key_text()
                        ),
                    )
                    .in_file(path)
                    .at_pos(Some(reference.pos)),
                );
                json!({})
            }
        };
    }
    let mut out = Map::new();
    for (key, value) in entries {
        let k = key.key_text();
        let converted = match k.as_str() {
            "properties" => {
                let mut props = Map::new();
                if let Some(p) = value.as_map() {
                    for (pk, pv) in p {
                        props.insert(pk.key_text(), resolve_node(pv, resolver, diags, depth + 1));
                    }
                }
                Json::Object(props)
            }
            "items" => resolve_node(value, resolver, diags, depth + 1),
            "type" => {
                match value.as_str() {
                    Some(t) if TYPES.contains(&t) => {}
                    _ => {
                        diags.push(
                            Diagnostic::error(
                                "schema-type",
                                format!(
                                    "unknown type `{}`: use one of {}",
                                    value.key_text(),
                                    TYPES.join(", ")
                                ),
                            )
                            .in_file(path)
                            .at_pos(Some(value.pos)),
                        );
                        // Left out so the rest of the type still validates.
                        continue;
                    }
                }
                value.to_json()
            }
            _ => value.to_json(),
        };
        out.insert(k, converted);
    }
    Json::Object(out)
}

/// Patterns one input type may hold: each may take milliseconds to compile.
pub const MAX_PATTERNS: usize = 64;

/// Where `pattern` is written under `node` (following each `$ref` once), to locate its error.
fn pattern_pos(
    node: &Node,
    types: Option<&Node>,
    pattern: &str,
    followed: &mut Vec<String>,
) -> Option<Pos> {
    for (key, value) in node.as_map().unwrap_or_default() {
        let found = match (key.key_text().as_str(), value.as_str()) {
            ("pattern", Some(p)) if p == pattern => Some(value.pos),
            ("$ref", Some(r)) => r
                .strip_prefix("#/")
                .and_then(|n| types.and_then(|t| t.get(n)).map(|t| (n, t)))
                .filter(|(name, _)| !followed.iter().any(|f| f == name))
                .and_then(|(name, target)| {
                    followed.push(name.to_string());
                    pattern_pos(target, types, pattern, followed)
                }),
            ("properties", _) => value
                .as_map()
                .unwrap_or_default()
                .iter()
                .find_map(|(_, prop)| pattern_pos(prop, types, pattern, followed)),
            ("items" | "additionalProperties" | "not", _) => {
                pattern_pos(value, types, pattern, followed)
            }
            ("allOf" | "anyOf" | "oneOf", _) => value
                .as_seq()
                .unwrap_or_default()
                .iter()
                .find_map(|each| pattern_pos(each, types, pattern, followed)),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// A default should satisfy its own constraints (AWS samples ship `type: boolean, default:
/// public`). It is a warning, not an error (docs/proton-semantics.md §4 (5)): published bundles
/// Proton ran declare `minLength: 12` with `default: ""`, and nothing may stop on it.
fn check_defaults(input_type: &InputType, path: &str, diags: &mut Vec<Diagnostic>) {
    // One validation of all defaults with the type's own validator (no extra compile).
    let defaults: serde_json::Map<String, Json> = input_type
        .properties
        .iter()
        .filter_map(|p| Some((p.name.clone(), p.default.clone()?)))
        .collect();
    let instance = Json::Object(defaults);
    for error in input_type.validator.errors(&instance) {
        // `required` and other whole-object findings are not about a default.
        let Some(prop) = input_type.property(error.input()) else {
            continue;
        };
        let field = error.field();
        let message = explain::describe(&error);
        diags.push(
            Diagnostic::warning(
                "schema-default",
                format!("default of {field} breaks its own schema: {message}"),
            )
            .in_file(path)
            .at_pos(prop.default_pos.or(Some(prop.pos)))
            .with_hint("fix the default or the constraint: Proton renders the default as given, and a spec that sets such a value is refused")
            .about(Subject::SchemaInput {
                input_type: input_type.name.clone(),
                input: prop.name.clone(),
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"
schema:
  format:
    openapi: "3.0.0"
  service_input_type: "SvcInput"
  types:
    Port:
      type: number
      minimum: 1
      exclusiveMaximum: true
      maximum: 65536
    SvcInput:
      type: object
      properties:
        port:
          $ref: '#/Port'
          default: 80
        task_size: { type: string, enum: [x-small, small], default: x-small, title: "Task size" }
        image: { type: string, pattern: "^[a-z0-9./:-]+$", nullable: true }
        broken: { type: boolean, default: public }
      required: [image]
"#;

    #[test]
    fn parses_types_refs_and_self_checks() {
        let (schema, diags) = parse(SCHEMA, "schema/schema.yaml");
        let schema = schema.unwrap();
        let svc = schema.service.as_ref().unwrap();
        let names: Vec<_> = svc.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["port", "task_size", "image", "broken"]);
        assert_eq!(svc.properties[0].schema["type"], "number");
        assert!(svc.properties[2].required);
        assert_eq!(svc.properties[1].title.as_deref(), Some("Task size"));
        let failures = |inputs: Json| -> Vec<String> {
            svc.validator
                .errors(&inputs)
                .iter()
                .map(explain::describe)
                .collect()
        };
        assert!(failures(json!({"image": null, "port": 65535})).is_empty());
        assert_eq!(
            failures(json!({"image": 1, "port": 65536})),
            [
                "must be less than 65536; got 65536",
                "must be a string or null (nullable), got integer 1"
            ]
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, "schema-default");
        assert_eq!(diags[0].line, Some(20));
        assert!(matches!(
            diags[0].subject.as_deref(),
            Some(Subject::SchemaInput { input_type, input }) if input_type == "SvcInput" && input == "broken"
        ));
    }

    #[test]
    fn structural_errors_are_located() {
        let (_, d) = parse(
            "schema:\n  format: {openapi: 3.0.0}\n  service_input_type: Missing\n  types: {}\n",
            "s",
        );
        assert_eq!(d[0].code, "schema-type-missing");
        assert_eq!(d[0].line, Some(3));
        let (_, d) = parse(
            "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      properties:\n        a: {type: str, pattern: '(?<=x)a'}\n",
            "s",
        );
        let codes: Vec<_> = d.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["schema-type", "schema-pattern"]);
        let (_, d) = parse("schema: [", "s");
        assert_eq!(d[0].code, "yaml-syntax");
    }

    #[test]
    fn yaml11_surprises_are_warned() {
        let (_, d) = parse(
            "schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      properties:\n        v: {type: string, default: 3.10}\n",
            "s",
        );
        assert!(
            d.iter().any(|d| d.code == "yaml-1.1" && d.line == Some(7)),
            "{d:?}"
        );
    }
}
