//! `schema/schema.yaml` (docs/proton-semantics.md §4): the input types of a template, their
//! self-checks, and the OpenAPI 3.0 → JSON Schema translation compiled once into a validator.

pub mod examples;
pub mod explain;
pub mod inputs;
pub mod spec;

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
    /// Translated JSON Schema of the whole type.
    pub json_schema: Json,
    pub validator: Option<jsonschema::Validator>,
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
    let mut json_schema = to_json_schema(&resolved);
    limit_patterns(&mut json_schema, name, path, node, diags);
    // Patterns are compiled once, by the validator; only when that fails are they compiled one by
    // one to locate the culprits, which are then left out.
    let validator = match build_validator(&json_schema).or_else(|first| {
        let bad = bad_patterns(node, types, path, diags, &mut Vec::new());
        if bad.is_empty() {
            return Err(first);
        }
        strip_patterns(&mut json_schema, &bad);
        build_validator(&json_schema)
    }) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "schema-invalid",
                    format!("type {name} cannot be compiled: {e}"),
                )
                .in_file(path)
                .at_pos(Some(node.pos)),
            );
            None
        }
    };
    let input_type = InputType {
        name: name.to_string(),
        properties,
        json_schema,
        validator,
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

/// Compiled size allowed for one pattern (the regex crate's default is 10 MB, which takes about
/// 0.1 s to reach); ECMA-262 classes such as `\\w` are ASCII, so real patterns stay far below.
pub const MAX_PATTERN_SIZE: usize = 1 << 20;
/// Patterns one input type may hold: each may take milliseconds to compile.
pub const MAX_PATTERNS: usize = 64;

fn build_validator(
    schema: &Json,
) -> Result<jsonschema::Validator, jsonschema::ValidationError<'static>> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(false)
        .with_pattern_options(jsonschema::PatternOptions::regex().size_limit(MAX_PATTERN_SIZE))
        .build(schema)
}

/// Leaves out the patterns of an input type past [`MAX_PATTERNS`], and says so.
fn limit_patterns(
    schema: &mut Json,
    name: &str,
    path: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) {
    fn visit(schema: &mut Json, seen: &mut usize) {
        match schema {
            Json::Object(map) => {
                if map.get("pattern").is_some_and(Json::is_string) {
                    *seen += 1;
                    if *seen > MAX_PATTERNS {
                        map.remove("pattern");
                    }
                }
                map.values_mut().for_each(|v| visit(v, seen));
            }
            Json::Array(items) => items.iter_mut().for_each(|v| visit(v, seen)),
            _ => {}
        }
    }
    let mut seen = 0;
    visit(schema, &mut seen);
    if seen > MAX_PATTERNS {
        diags.push(
            Diagnostic::error(
                "schema-limit",
                format!(
                    "type {name} holds {seen} patterns once its `$ref`s are inlined: the playground checks the first {MAX_PATTERNS}"
                ),
            )
            .in_file(path)
            .at_pos(Some(node.pos)),
        );
    }
}

/// The `pattern`s under `node` (following each `$ref` once) that do not compile, each reported.
fn bad_patterns(
    node: &Node,
    types: Option<&Node>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
    followed: &mut Vec<String>,
) -> Vec<String> {
    let mut bad = Vec::new();
    for (key, value) in node.as_map().unwrap_or_default() {
        match (key.key_text().as_str(), value.as_str()) {
            ("pattern", Some(p)) => {
                if let Err(e) = build_validator(&json!({ "pattern": p })) {
                    let detail = e.to_string();
                    let detail = detail.lines().last().unwrap_or_default().trim().to_string();
                    diags.push(
                        Diagnostic::error("schema-pattern", format!("pattern does not compile: {detail}"))
                            .in_file(path)
                            .at_pos(Some(value.pos))
                            .with_hint("patterns are ECMA-262 regular expressions without look-around or backreferences, compiling to at most 1 MB"),
                    );
                    bad.push(p.to_string());
                }
            }
            ("$ref", Some(r)) => {
                let target = r
                    .strip_prefix("#/")
                    .and_then(|n| types.and_then(|t| t.get(n)).map(|t| (n, t)));
                if let Some((name, target)) = target {
                    if !followed.iter().any(|f| f == name) {
                        followed.push(name.to_string());
                        bad.extend(bad_patterns(target, types, path, diags, followed));
                    }
                }
            }
            ("properties", _) => {
                for (_, prop) in value.as_map().unwrap_or_default() {
                    bad.extend(bad_patterns(prop, types, path, diags, followed));
                }
            }
            ("items", _) => bad.extend(bad_patterns(value, types, path, diags, followed)),
            _ => {}
        }
    }
    bad
}

/// Removes every `pattern` whose text is in `bad`.
fn strip_patterns(schema: &mut Json, bad: &[String]) {
    match schema {
        Json::Object(map) => {
            if map
                .get("pattern")
                .and_then(Json::as_str)
                .is_some_and(|p| bad.iter().any(|b| b == p))
            {
                map.remove("pattern");
            }
            map.values_mut().for_each(|v| strip_patterns(v, bad));
        }
        Json::Array(items) => items.iter_mut().for_each(|v| strip_patterns(v, bad)),
        _ => {}
    }
}

/// OpenAPI 3.0 Schema Object → JSON Schema draft 7: `nullable`, boolean `exclusiveMinimum`
/// / `exclusiveMaximum`, and OpenAPI-only keywords dropped.
pub fn to_json_schema(openapi: &Json) -> Json {
    let Json::Object(map) = openapi else {
        return json!({});
    };
    let mut out = Map::new();
    let nullable = map.get("nullable").and_then(Json::as_bool).unwrap_or(false);
    for (k, v) in map {
        match k.as_str() {
            "nullable" | "example" | "format" | "discriminator" | "xml" | "externalDocs"
            | "deprecated" | "readOnly" | "writeOnly" => {}
            "properties" => {
                let props = v
                    .as_object()
                    .map(|p| {
                        p.iter()
                            .map(|(pk, pv)| (pk.clone(), to_json_schema(pv)))
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(k.clone(), Json::Object(props));
            }
            "items" | "additionalProperties" if v.is_object() => {
                out.insert(k.clone(), to_json_schema(v));
            }
            "exclusiveMinimum" | "exclusiveMaximum" => {
                let bound_key = if k == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                if v.as_bool() == Some(true) {
                    if let Some(bound) = map.get(bound_key) {
                        out.insert(k.clone(), bound.clone());
                    }
                }
            }
            "minimum" | "maximum" => {
                let exclusive = if k == "minimum" {
                    "exclusiveMinimum"
                } else {
                    "exclusiveMaximum"
                };
                if map.get(exclusive).and_then(Json::as_bool) != Some(true) {
                    out.insert(k.clone(), v.clone());
                }
            }
            "required" if v.as_array().is_some_and(|a| a.is_empty()) => {}
            "default" | "title" | "description" => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    if nullable {
        if let Some(Json::String(t)) = out.get("type").cloned() {
            out.insert("type".into(), json!([t, "null"]));
        }
        if let Some(Json::Array(values)) = out.get_mut("enum") {
            if !values.contains(&Json::Null) {
                values.push(Json::Null);
            }
        }
    }
    Json::Object(out)
}

/// A default must satisfy its own constraints (AWS samples ship `type: boolean, default: public`).
fn check_defaults(input_type: &InputType, path: &str, diags: &mut Vec<Diagnostic>) {
    let Some(validator) = &input_type.validator else {
        return;
    };
    // One validation of all defaults with the type's own validator (no extra compile).
    let defaults: serde_json::Map<String, Json> = input_type
        .properties
        .iter()
        .filter_map(|p| Some((p.name.clone(), p.default.clone()?)))
        .collect();
    let instance = Json::Object(defaults);
    for error in validator.iter_errors(&instance) {
        let pointer = error.instance_path().as_str();
        let Some(top) = pointer
            .trim_start_matches('/')
            .split('/')
            .next()
            .filter(|t| !t.is_empty())
        else {
            continue; // `required` and other whole-object findings are not about a default
        };
        let Some(prop) = input_type.property(&top.replace("~1", "/").replace("~0", "~")) else {
            continue;
        };
        let field = explain::field_path(&prop.name, &pointer[1 + top.len()..]);
        let message = explain::describe(&error);
        diags.push(
            Diagnostic::error(
                "schema-default",
                format!("default of {field} breaks its own schema: {message}"),
            )
            .in_file(path)
            .at_pos(prop.default_pos.or(Some(prop.pos)))
            .with_hint("fix the default or the constraint: Proton renders the default as given")
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
        assert_eq!(
            svc.json_schema["properties"]["image"]["type"],
            json!(["string", "null"])
        );
        assert_eq!(
            svc.json_schema["properties"]["port"]["exclusiveMaximum"],
            json!(65536)
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
