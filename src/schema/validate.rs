//! The validator of one input type: its OpenAPI 3.0 Schema Object (with `$ref`s already inlined)
//! compiled once into checks, then run on every set of merged inputs. Proton's keywords are
//! OpenAPI's, not JSON Schema's: `nullable` admits null, `exclusiveMinimum`/`exclusiveMaximum` are
//! booleans beside their bound, `integer` takes whole numbers, `number` never a boolean, lengths
//! count code points and `pattern` is an ECMA-262 search. Annotations (`title`, `description`,
//! `default`, `example`, `format`, …) are not checks.

use super::pattern;
use regex::Regex;
use serde_json::{Number, Value as Json};
use std::cmp::Ordering;

/// One input type's compiled checks.
#[derive(Debug)]
pub struct Validator {
    root: Checks,
}

/// A compiled validator and what compiling left out.
#[derive(Debug)]
pub struct Compiled {
    pub validator: Validator,
    /// Patterns that do not compile, with the engine's reason; they are not checked.
    pub bad_patterns: Vec<(String, String)>,
    /// Patterns past `max_patterns`, not checked.
    pub patterns_left_out: usize,
}

#[derive(Debug, Default)]
struct Checks(Vec<Check>);

#[derive(Debug)]
enum Check {
    Type {
        types: Vec<String>,
        nullable: bool,
    },
    Enum {
        options: Vec<Json>,
        nullable: bool,
    },
    Minimum {
        limit: Number,
        exclusive: bool,
    },
    Maximum {
        limit: Number,
        exclusive: bool,
    },
    MultipleOf(Number),
    MinLength(u64),
    MaxLength(u64),
    Pattern {
        source: String,
        regex: Regex,
    },
    Items(Box<Checks>),
    MinItems(u64),
    MaxItems(u64),
    UniqueItems,
    Properties(Vec<(String, Checks)>),
    Required(Vec<String>),
    AdditionalProperties {
        known: Vec<String>,
        schema: Option<Box<Checks>>,
    },
    MinProperties(u64),
    MaxProperties(u64),
    AllOf(Vec<Checks>),
    AnyOf(Vec<Checks>),
    OneOf(Vec<Checks>),
    Not(Box<Checks>),
}

/// Where in the inputs a failure is.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Why a value fails.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    Type { expected: Vec<String> },
    Enum { options: Vec<Json> },
    Minimum { limit: Number },
    ExclusiveMinimum { limit: Number },
    Maximum { limit: Number },
    ExclusiveMaximum { limit: Number },
    MultipleOf { divisor: Number },
    MinLength { limit: u64 },
    MaxLength { limit: u64 },
    Pattern { pattern: String },
    MinItems { limit: u64 },
    MaxItems { limit: u64 },
    UniqueItems,
    Required { property: String },
    AdditionalProperties { unexpected: Vec<String> },
    MinProperties { limit: u64 },
    MaxProperties { limit: u64 },
    AnyOf,
    OneOf { matching: usize },
    Not,
}

/// One failure: where, why, and the failing value.
#[derive(Debug, Clone)]
pub struct ValidationError<'a> {
    pub path: Vec<Segment>,
    pub kind: ErrorKind,
    pub instance: &'a Json,
}

impl ValidationError<'_> {
    /// The top-level input the failure is under (empty for the inputs as a whole).
    pub fn input(&self) -> &str {
        match self.path.first() {
            Some(Segment::Key(key)) => key,
            _ => "",
        }
    }

    /// `subnets[0].name`, or `(inputs)` for the inputs as a whole.
    pub fn field(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            match segment {
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
            }
        }
        if out.is_empty() {
            "(inputs)".to_string()
        } else {
            out
        }
    }
}

impl Validator {
    /// Compiles `schema`, checking at most `max_patterns` patterns.
    pub fn compile(schema: &Json, max_patterns: usize) -> Compiled {
        let mut budget = Budget {
            patterns: max_patterns,
            bad_patterns: Vec::new(),
            left_out: 0,
        };
        let root = compile_node(schema, &mut budget);
        Compiled {
            validator: Validator { root },
            bad_patterns: budget.bad_patterns,
            patterns_left_out: budget.left_out,
        }
    }

    /// Every failure of `instance`, outer ones first.
    pub fn errors<'a>(&self, instance: &'a Json) -> Vec<ValidationError<'a>> {
        let mut out = Vec::new();
        self.root.run(instance, &mut Vec::new(), &mut out);
        out
    }
}

/// Patterns still to compile, and the ones left out.
struct Budget {
    patterns: usize,
    bad_patterns: Vec<(String, String)>,
    left_out: usize,
}

fn compile_node(schema: &Json, budget: &mut Budget) -> Checks {
    let Json::Object(map) = schema else {
        return Checks::default();
    };
    let nullable = map.get("nullable").and_then(Json::as_bool) == Some(true);
    let number = |key: &str| map.get(key).and_then(Json::as_number).cloned();
    let count = |key: &str| map.get(key).and_then(Json::as_u64);
    let exclusive = |key: &str| map.get(key).and_then(Json::as_bool) == Some(true);
    let mut checks = Vec::new();
    for (key, value) in map {
        let check = match key.as_str() {
            "type" => Some(Check::Type {
                types: match value {
                    Json::String(t) => vec![t.clone()],
                    Json::Array(ts) => ts
                        .iter()
                        .filter_map(Json::as_str)
                        .map(String::from)
                        .collect(),
                    _ => continue,
                },
                nullable,
            }),
            "enum" => value.as_array().map(|options| Check::Enum {
                options: options.clone(),
                nullable,
            }),
            "minimum" => number(key).map(|limit| Check::Minimum {
                limit,
                exclusive: exclusive("exclusiveMinimum"),
            }),
            "maximum" => number(key).map(|limit| Check::Maximum {
                limit,
                exclusive: exclusive("exclusiveMaximum"),
            }),
            "multipleOf" => number(key)
                .filter(|n| n.as_f64().is_some_and(|d| d > 0.0))
                .map(Check::MultipleOf),
            "minLength" => count(key).map(Check::MinLength),
            "maxLength" => count(key).map(Check::MaxLength),
            "pattern" => value
                .as_str()
                .and_then(|source| compile_pattern(source, budget)),
            "items" => Some(Check::Items(Box::new(compile_node(value, budget)))),
            "minItems" => count(key).map(Check::MinItems),
            "maxItems" => count(key).map(Check::MaxItems),
            "uniqueItems" if value.as_bool() == Some(true) => Some(Check::UniqueItems),
            "properties" => value.as_object().map(|properties| {
                Check::Properties(
                    properties
                        .iter()
                        .map(|(name, schema)| (name.clone(), compile_node(schema, budget)))
                        .collect(),
                )
            }),
            "required" => value.as_array().map(|names| {
                Check::Required(
                    names
                        .iter()
                        .filter_map(Json::as_str)
                        .map(String::from)
                        .collect(),
                )
            }),
            "additionalProperties" => {
                let known = map
                    .get("properties")
                    .and_then(Json::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                match value {
                    Json::Bool(false) => Some(Check::AdditionalProperties {
                        known,
                        schema: None,
                    }),
                    Json::Object(_) => Some(Check::AdditionalProperties {
                        known,
                        schema: Some(Box::new(compile_node(value, budget))),
                    }),
                    _ => None,
                }
            }
            "minProperties" => count(key).map(Check::MinProperties),
            "maxProperties" => count(key).map(Check::MaxProperties),
            "allOf" | "anyOf" | "oneOf" => value.as_array().map(|schemas| {
                let each = schemas.iter().map(|s| compile_node(s, budget)).collect();
                match key.as_str() {
                    "allOf" => Check::AllOf(each),
                    "anyOf" => Check::AnyOf(each),
                    _ => Check::OneOf(each),
                }
            }),
            "not" => Some(Check::Not(Box::new(compile_node(value, budget)))),
            _ => None,
        };
        checks.extend(check);
    }
    Checks(checks)
}

fn compile_pattern(source: &str, budget: &mut Budget) -> Option<Check> {
    if budget.patterns == 0 {
        budget.left_out += 1;
        return None;
    }
    budget.patterns -= 1;
    match pattern::compile(source) {
        Ok(regex) => Some(Check::Pattern {
            source: source.to_string(),
            regex,
        }),
        Err(reason) => {
            budget.bad_patterns.push((source.to_string(), reason));
            None
        }
    }
}

impl Checks {
    fn is_valid(&self, instance: &Json) -> bool {
        let mut errors = Vec::new();
        self.run(instance, &mut Vec::new(), &mut errors);
        errors.is_empty()
    }

    fn run<'a>(
        &self,
        instance: &'a Json,
        path: &mut Vec<Segment>,
        out: &mut Vec<ValidationError<'a>>,
    ) {
        for check in &self.0 {
            let mut fail = |kind: ErrorKind| {
                out.push(ValidationError {
                    path: path.clone(),
                    kind,
                    instance,
                })
            };
            match check {
                Check::Type { types, nullable } => {
                    let null_ok = *nullable && instance.is_null();
                    if !null_ok && !types.iter().any(|t| has_type(instance, t)) {
                        let mut expected = types.clone();
                        if *nullable {
                            expected.push("null".into());
                        }
                        fail(ErrorKind::Type { expected });
                    }
                }
                Check::Enum { options, nullable } => {
                    let null_ok = *nullable && instance.is_null();
                    if !null_ok && !options.iter().any(|o| equal(o, instance)) {
                        fail(ErrorKind::Enum {
                            options: options.clone(),
                        });
                    }
                }
                Check::Minimum { limit, exclusive } | Check::Maximum { limit, exclusive } => {
                    if let Json::Number(n) = instance {
                        let upper = matches!(check, Check::Maximum { .. });
                        let past = if upper {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        };
                        let order = compare(n, limit);
                        if order == past || (*exclusive && order == Ordering::Equal) {
                            let limit = limit.clone();
                            fail(match (upper, *exclusive) {
                                (false, false) => ErrorKind::Minimum { limit },
                                (false, true) => ErrorKind::ExclusiveMinimum { limit },
                                (true, false) => ErrorKind::Maximum { limit },
                                (true, true) => ErrorKind::ExclusiveMaximum { limit },
                            });
                        }
                    }
                }
                Check::MultipleOf(divisor) => {
                    if let Json::Number(n) = instance {
                        if !is_multiple(n, divisor) {
                            fail(ErrorKind::MultipleOf {
                                divisor: divisor.clone(),
                            });
                        }
                    }
                }
                Check::MinLength(limit) => {
                    if let Json::String(s) = instance {
                        if (s.chars().count() as u64) < *limit {
                            fail(ErrorKind::MinLength { limit: *limit });
                        }
                    }
                }
                Check::MaxLength(limit) => {
                    if let Json::String(s) = instance {
                        if s.chars().count() as u64 > *limit {
                            fail(ErrorKind::MaxLength { limit: *limit });
                        }
                    }
                }
                Check::Pattern { source, regex } => {
                    if let Json::String(s) = instance {
                        if !regex.is_match(s) {
                            fail(ErrorKind::Pattern {
                                pattern: source.clone(),
                            });
                        }
                    }
                }
                Check::MinItems(limit) => {
                    if let Json::Array(items) = instance {
                        if (items.len() as u64) < *limit {
                            fail(ErrorKind::MinItems { limit: *limit });
                        }
                    }
                }
                Check::MaxItems(limit) => {
                    if let Json::Array(items) = instance {
                        if items.len() as u64 > *limit {
                            fail(ErrorKind::MaxItems { limit: *limit });
                        }
                    }
                }
                Check::UniqueItems => {
                    if let Json::Array(items) = instance {
                        let repeated = items
                            .iter()
                            .enumerate()
                            .any(|(i, a)| items[..i].iter().any(|b| equal(a, b)));
                        if repeated {
                            fail(ErrorKind::UniqueItems);
                        }
                    }
                }
                Check::Required(names) => {
                    if let Json::Object(map) = instance {
                        for name in names.iter().filter(|n| !map.contains_key(*n)) {
                            fail(ErrorKind::Required {
                                property: name.clone(),
                            });
                        }
                    }
                }
                Check::AdditionalProperties { known, schema } => {
                    if let Json::Object(map) = instance {
                        let extra = map.iter().filter(|(k, _)| !known.contains(k));
                        match schema {
                            None => {
                                let unexpected: Vec<String> =
                                    extra.map(|(k, _)| k.clone()).collect();
                                if !unexpected.is_empty() {
                                    fail(ErrorKind::AdditionalProperties { unexpected });
                                }
                            }
                            Some(checks) => {
                                for (key, value) in extra {
                                    path.push(Segment::Key(key.clone()));
                                    checks.run(value, path, out);
                                    path.pop();
                                }
                            }
                        }
                    }
                }
                Check::MinProperties(limit) => {
                    if let Json::Object(map) = instance {
                        if (map.len() as u64) < *limit {
                            fail(ErrorKind::MinProperties { limit: *limit });
                        }
                    }
                }
                Check::MaxProperties(limit) => {
                    if let Json::Object(map) = instance {
                        if map.len() as u64 > *limit {
                            fail(ErrorKind::MaxProperties { limit: *limit });
                        }
                    }
                }
                Check::AnyOf(each) => {
                    if !each.iter().any(|c| c.is_valid(instance)) {
                        fail(ErrorKind::AnyOf);
                    }
                }
                Check::OneOf(each) => {
                    let matching = each.iter().filter(|c| c.is_valid(instance)).count();
                    if matching != 1 {
                        fail(ErrorKind::OneOf { matching });
                    }
                }
                Check::Not(checks) => {
                    if checks.is_valid(instance) {
                        fail(ErrorKind::Not);
                    }
                }
                Check::Items(checks) => {
                    if let Json::Array(items) = instance {
                        for (i, item) in items.iter().enumerate() {
                            path.push(Segment::Index(i));
                            checks.run(item, path, out);
                            path.pop();
                        }
                    }
                }
                Check::Properties(properties) => {
                    if let Json::Object(map) = instance {
                        for (name, checks) in properties {
                            if let Some(value) = map.get(name) {
                                path.push(Segment::Key(name.clone()));
                                checks.run(value, path, out);
                                path.pop();
                            }
                        }
                    }
                }
                Check::AllOf(each) => each.iter().for_each(|c| c.run(instance, path, out)),
            }
        }
    }
}

fn has_type(value: &Json, name: &str) -> bool {
    match (name, value) {
        ("string", Json::String(_))
        | ("number", Json::Number(_))
        | ("boolean", Json::Bool(_))
        | ("array", Json::Array(_))
        | ("object", Json::Object(_))
        | ("null", Json::Null) => true,
        ("integer", Json::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Numbers compare by value (`1` equals `1.0`); whole numbers exactly.
fn compare(a: &Number, b: &Number) -> Ordering {
    let whole = |n: &Number| n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
    match (whole(a), whole(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => {
            let (x, y) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

fn is_multiple(n: &Number, divisor: &Number) -> bool {
    match (n.as_i64(), divisor.as_i64()) {
        (Some(x), Some(d)) if d != 0 => x % d == 0,
        _ => {
            let (x, d) = (n.as_f64().unwrap_or(0.0), divisor.as_f64().unwrap_or(1.0));
            let quotient = x / d;
            (quotient - quotient.round()).abs() <= quotient.abs().max(1.0) * 4.0 * f64::EPSILON
        }
    }
}

/// JSON equality with numbers by value, as `enum` and `uniqueItems` compare.
fn equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => compare(x, y) == Ordering::Equal,
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds(schema: Json, instance: Json) -> Vec<(String, ErrorKind)> {
        let validator = Validator::compile(&schema, 64).validator;
        validator
            .errors(&instance)
            .into_iter()
            .map(|e| (e.field(), e.kind))
            .collect()
    }

    #[test]
    fn openapi_types() {
        let number = json!({"type": "number"});
        assert!(kinds(number.clone(), json!(1)).is_empty());
        assert!(kinds(number.clone(), json!(1.5)).is_empty());
        assert_eq!(kinds(number.clone(), json!(true)).len(), 1);
        assert_eq!(kinds(number, json!("8080")).len(), 1);
        assert!(kinds(json!({"type": "integer"}), json!(2.0)).is_empty());
        assert_eq!(kinds(json!({"type": "integer"}), json!(2.5)).len(), 1);
        assert_eq!(kinds(json!({"type": "string"}), Json::Null).len(), 1);
        let nullable = json!({"type": "string", "nullable": true, "enum": ["a"]});
        assert!(kinds(nullable.clone(), Json::Null).is_empty());
        assert_eq!(
            kinds(nullable, json!(1))[0].1,
            ErrorKind::Type {
                expected: vec!["string".into(), "null".into()]
            }
        );
    }

    #[test]
    fn openapi_exclusive_bounds_are_booleans() {
        let schema = json!({"minimum": 1, "exclusiveMinimum": true, "maximum": 10});
        assert_eq!(
            kinds(schema.clone(), json!(1)),
            vec![(
                "(inputs)".into(),
                ErrorKind::ExclusiveMinimum { limit: 1.into() }
            )]
        );
        assert!(kinds(schema.clone(), json!(10)).is_empty());
        assert_eq!(
            kinds(schema, json!(10.5))[0].1,
            ErrorKind::Maximum { limit: 10.into() }
        );
    }

    #[test]
    fn nested_paths_and_lengths() {
        let schema = json!({"type": "object", "required": ["subnets", "name"], "properties": {
            "subnets": {"type": "array", "maxItems": 1, "items": {"type": "object", "properties": {
                "cidr": {"type": "string", "pattern": "^\\d+\\.", "minLength": 3}}}},
            "name": {"type": "string", "maxLength": 2}
        }});
        let found = kinds(
            schema,
            json!({"subnets": [{"cidr": "1."}, {"cidr": "x.y.z"}], "name": "ǆǆ"}),
        );
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["subnets", "subnets[0].cidr", "subnets[1].cidr"],
            "{found:?}"
        );
        assert_eq!(found[0].1, ErrorKind::MaxItems { limit: 1 });
        assert_eq!(found[1].1, ErrorKind::MinLength { limit: 3 });
    }

    #[test]
    fn required_enum_unique_and_combinators() {
        assert_eq!(
            kinds(json!({"required": ["a"]}), json!({}))[0].1,
            ErrorKind::Required {
                property: "a".into()
            }
        );
        assert!(kinds(json!({"enum": [1, "x"]}), json!(1.0)).is_empty());
        assert_eq!(
            kinds(json!({"uniqueItems": true}), json!([1, 2, 1.0]))[0].1,
            ErrorKind::UniqueItems
        );
        let any = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
        assert!(kinds(any.clone(), json!(3)).is_empty());
        assert_eq!(kinds(any, json!(true))[0].1, ErrorKind::AnyOf);
        let one = json!({"oneOf": [{"type": "number"}, {"type": "integer"}]});
        assert_eq!(kinds(one, json!(3))[0].1, ErrorKind::OneOf { matching: 2 });
        assert_eq!(
            kinds(json!({"not": {"enum": ["x"]}}), json!("x"))[0].1,
            ErrorKind::Not
        );
        assert!(kinds(json!({"multipleOf": 0.1}), json!(0.3)).is_empty());
        assert_eq!(kinds(json!({"multipleOf": 5}), json!(12)).len(), 1);
    }

    #[test]
    fn patterns_budget_and_failures() {
        let schema = json!({"properties": {
            "a": {"pattern": "(?=x)"}, "b": {"pattern": "^b"}, "c": {"pattern": "^c"}}});
        let compiled = Validator::compile(&schema, 2);
        assert_eq!(compiled.bad_patterns.len(), 1);
        assert_eq!(compiled.bad_patterns[0].0, "(?=x)");
        assert_eq!(compiled.patterns_left_out, 1);
        let validator = compiled.validator;
        assert_eq!(
            validator
                .errors(&json!({"a": "y", "b": "x", "c": "x"}))
                .len(),
            1
        );
    }
}
