//! The property schemas of CloudFormation resource types (`data/cfn-schemas.tsv`, one shard per
//! service), compiled once per service into [`Shape`]s the value checks walk: compile once,
//! check many.

use super::data::{Shard, SCHEMAS};
use indexmap::IndexMap;
use serde_json::value::RawValue;
use serde_json::{Map, Value as Json};
use std::sync::{Mutex, OnceLock};

/// The JSON types a value may have (`type` in the schema); empty: any.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Types(u8);

impl Types {
    pub const OBJECT: u8 = 1;
    pub const ARRAY: u8 = 2;
    pub const STRING: u8 = 4;
    pub const INTEGER: u8 = 8;
    pub const NUMBER: u8 = 16;
    pub const BOOLEAN: u8 = 32;
    /// Each type's bit, its name in schemas and in messages.
    const NAMES: [(u8, &'static str, &'static str); 6] = [
        (Types::OBJECT, "object", "a mapping"),
        (Types::ARRAY, "array", "a list"),
        (Types::STRING, "string", "a string"),
        (Types::INTEGER, "integer", "an integer"),
        (Types::NUMBER, "number", "a number"),
        (Types::BOOLEAN, "boolean", "a boolean"),
    ];

    fn of(value: &Json) -> Types {
        let bit = |name: &str| {
            Types::NAMES
                .iter()
                .find(|(_, n, _)| *n == name)
                .map_or(0, |(bit, _, _)| *bit)
        };
        Types(match value {
            Json::String(name) => bit(name),
            Json::Array(names) => names
                .iter()
                .filter_map(Json::as_str)
                .fold(0, |bits, name| bits | bit(name)),
            _ => 0,
        })
    }

    pub fn any(self) -> bool {
        self.0 == 0
    }

    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    /// `a string`, `a mapping or a list`, … for messages.
    pub fn describe(self) -> String {
        let mut text = String::new();
        for (_, _, words) in Types::NAMES.iter().filter(|(bit, _, _)| self.has(*bit)) {
            if !text.is_empty() {
                text.push_str(" or ");
            }
            text.push_str(words);
        }
        text
    }
}

/// One schema, its references resolved to indices into the type's shapes.
#[derive(Debug, Default)]
pub struct Shape {
    pub types: Types,
    pub properties: Vec<(String, usize)>,
    pub pattern_properties: Vec<(String, usize)>,
    /// `additionalProperties: false`: names outside `properties` are errors.
    pub closed: bool,
    /// `additionalProperties: {schema}`: the shape of names outside `properties`.
    pub additional: Option<usize>,
    pub required: Vec<String>,
    pub items: Option<usize>,
    /// The `enum`, each value as text (`true`, `5`, `Enabled`).
    pub allowed: Vec<String>,
    pub case_insensitive: bool,
    pub pattern: Option<String>,
    /// An ID/ARN format cfn-lint checks: an index into [`TypeSchema::formats`].
    pub format: Option<usize>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub unique_items: bool,
    /// `oneOf` / `anyOf`: the value must fit at least one.
    pub alternatives: Vec<usize>,
    /// `allOf` and a `$ref` beside other keywords: the value must fit each.
    pub all: Vec<usize>,
}

impl Shape {
    pub fn property(&self, name: &str) -> Option<usize> {
        self.properties
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, i)| *i)
    }
}

/// An ID/ARN format (`AWS::EC2::VPC.Id`), its pattern and the cfn-lint rule that checks it.
#[derive(Debug)]
pub struct Format {
    pub name: String,
    pub pattern: String,
    pub rule: String,
}

/// One resource type's compiled schema: `shapes[root]` is its `Properties`.
#[derive(Debug)]
pub struct TypeSchema {
    pub shapes: Vec<Shape>,
    pub root: usize,
    pub formats: Vec<Format>,
}

/// One service's schemas, by resource type (a service has tens of types), each compiled the
/// first time a template uses it: a template of three EC2 types compiles three, not a hundred.
#[derive(Debug)]
pub struct ServiceSchemas(Vec<(String, &'static RawValue, OnceLock<TypeSchema>)>);

impl ServiceSchemas {
    pub fn get(&self, type_name: &str) -> Option<&TypeSchema> {
        let (_, raw, compiled) = self.0.iter().find(|(t, _, _)| t == type_name)?;
        Some(
            compiled
                .get_or_init(|| compile(&serde_json::from_str(raw.get()).unwrap_or(Json::Null))),
        )
    }
}

/// A service's schemas, or why its shard is not there (pending or unavailable).
pub fn of_service(service: &str) -> Result<&'static ServiceSchemas, Shard> {
    // Read once and kept for the process's life, like the shard texts they come from.
    static READ: Mutex<Vec<(String, &'static ServiceSchemas)>> = Mutex::new(Vec::new());
    let mut read = READ.lock().unwrap();
    if let Some((_, found)) = read.iter().find(|(s, _)| s == service) {
        return Ok(found);
    }
    let text = match SCHEMAS.get(service) {
        Shard::Found(text) => text,
        missing => return Err(missing),
    };
    // No text: the table has no such service. Text that is not the generator's JSON (a
    // damaged file) is said like a failed fetch. Each type's schema stays raw text until used.
    let types: Vec<(String, &'static RawValue)> = match text {
        "" => Vec::new(),
        text => serde_json::from_str::<IndexMap<String, &'static RawValue>>(text)
            .map_err(|_| Shard::Unavailable)?
            .into_iter()
            .collect(),
    };
    let schemas = ServiceSchemas(
        types
            .into_iter()
            .map(|(name, raw)| (name, raw, OnceLock::new()))
            .collect(),
    );
    let schemas: &'static ServiceSchemas = Box::leak(Box::new(schemas));
    read.push((service.to_string(), schemas));
    Ok(schemas)
}

/// The service part of a type name (`AWS::S3::Bucket` → `AWS::S3`).
pub fn service_of(type_name: &str) -> &str {
    type_name.rsplit_once("::").map_or(type_name, |(s, _)| s)
}

/// Compiles `{"s": schema, "d": {name: schema}, "f": {format: [pattern, rule]}}`.
fn compile(entry: &Json) -> TypeSchema {
    let empty = Map::new();
    let definitions = entry.get("d").and_then(Json::as_object).unwrap_or(&empty);
    let formats = entry.get("f").and_then(Json::as_object).unwrap_or(&empty);
    // Definitions first, each at a known index (its place in `definitions`), so references
    // (also recursive ones) resolve.
    let mut compiler = Compiler {
        shapes: definitions.keys().map(|_| Shape::default()).collect(),
        definitions: definitions.keys().cloned().collect(),
        formats: formats
            .iter()
            .map(|(name, pattern_rule)| {
                let field = |i: usize| pattern_rule[i].as_str().unwrap_or_default().to_string();
                Format {
                    name: name.clone(),
                    pattern: field(0),
                    rule: field(1),
                }
            })
            .collect(),
    };
    for (index, schema) in definitions.values().enumerate() {
        compiler.shapes[index] = compiler.shape(schema);
    }
    let root = compiler.add(entry.get("s").unwrap_or(&Json::Null));
    TypeSchema {
        shapes: compiler.shapes,
        root,
        formats: compiler.formats,
    }
}

struct Compiler {
    shapes: Vec<Shape>,
    /// Definition names; definition `i` is `shapes[i]`.
    definitions: Vec<String>,
    formats: Vec<Format>,
}

impl Compiler {
    /// The index of `schema`: a lone `$ref` is its definition's index.
    fn add(&mut self, schema: &Json) -> usize {
        if let Some(map) = schema.as_object() {
            if let (1, Some(target)) = (map.len(), self.reference(schema)) {
                return target;
            }
        }
        let shape = self.shape(schema);
        self.shapes.push(shape);
        self.shapes.len() - 1
    }

    fn reference(&self, schema: &Json) -> Option<usize> {
        let name = schema.get("$ref")?.as_str()?;
        self.definitions.iter().position(|d| d == name)
    }

    fn shape(&mut self, schema: &Json) -> Shape {
        let Some(map) = schema.as_object() else {
            return Shape::default();
        };
        let number = |key: &str| map.get(key).and_then(Json::as_f64);
        let count = |key: &str| map.get(key).and_then(Json::as_u64);
        let named = |this: &mut Compiler, key: &str| -> Vec<(String, usize)> {
            map.get(key)
                .and_then(Json::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), this.add(v))).collect())
                .unwrap_or_default()
        };
        let listed = |this: &mut Compiler, key: &str| -> Vec<usize> {
            map.get(key)
                .and_then(Json::as_array)
                .map(|l| l.iter().map(|v| this.add(v)).collect())
                .unwrap_or_default()
        };
        let properties = named(self, "properties");
        let pattern_properties = named(self, "patternProperties");
        let items = map.get("items").map(|i| self.add(i));
        let additional = map
            .get("additionalProperties")
            .filter(|a| a.is_object())
            .map(|a| self.add(a));
        let mut alternatives = listed(self, "oneOf");
        alternatives.extend(listed(self, "anyOf"));
        let mut all = listed(self, "allOf");
        all.extend(self.reference(schema));
        let (allowed, case_insensitive) = match (map.get("enum"), map.get("enumCaseInsensitive")) {
            (Some(Json::Array(values)), _) => (values, false),
            (_, Some(Json::Array(values))) => (values, true),
            _ => (&Vec::new(), false),
        };
        let allowed = allowed
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from))
            .collect();
        Shape {
            types: map.get("type").map(Types::of).unwrap_or_default(),
            properties,
            pattern_properties,
            closed: map.get("additionalProperties") == Some(&Json::Bool(false)),
            additional,
            required: map
                .get("required")
                .and_then(Json::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            items,
            allowed,
            case_insensitive,
            pattern: map.get("pattern").and_then(Json::as_str).map(String::from),
            format: map
                .get("format")
                .and_then(Json::as_str)
                .and_then(|name| self.formats.iter().position(|f| f.name == name)),
            min_length: count("minLength"),
            max_length: count("maxLength"),
            min_items: count("minItems"),
            max_items: count("maxItems"),
            minimum: number("minimum"),
            maximum: number("maximum"),
            unique_items: map.get("uniqueItems") == Some(&Json::Bool(true)),
            alternatives,
            all,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_definitions_resolve() {
        let s3 = of_service("AWS::S3").unwrap();
        let bucket = s3.get("AWS::S3::Bucket").unwrap();
        let root = &bucket.shapes[bucket.root];
        assert!(root.closed);
        let versioning = &bucket.shapes[root.property("VersioningConfiguration").unwrap()];
        assert!(versioning.types.has(Types::OBJECT));
        assert_eq!(versioning.required, ["Status"]);
        let status = &bucket.shapes[versioning.property("Status").unwrap()];
        assert!(status.allowed.iter().any(|a| a == "Enabled"));
    }

    #[test]
    fn formats_come_with_the_types_that_use_them() {
        let ec2 = of_service("AWS::EC2").unwrap();
        let subnet = ec2.get("AWS::EC2::Subnet").unwrap();
        let root = &subnet.shapes[subnet.root];
        let vpc_id = &subnet.shapes[root.property("VpcId").unwrap()];
        let format = &subnet.formats[vpc_id.format.unwrap()];
        assert_eq!(
            (format.name.as_str(), format.rule.as_str()),
            ("AWS::EC2::VPC.Id", "E1151")
        );
        assert_eq!(
            super::super::formats::search(&format.pattern, "vpc-0123abcd"),
            Some(true)
        );
        assert_eq!(
            super::super::formats::search(&format.pattern, "my-vpc"),
            Some(false)
        );
    }

    #[test]
    fn every_service_compiles() {
        let text = include_str!("../../data/cfn-schemas.tsv");
        let services: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t').map(|(s, _)| s))
            .collect();
        assert!(services.len() > 250, "{} services", services.len());
        for service in services {
            let schemas = of_service(service).unwrap();
            assert!(!schemas.0.is_empty(), "{service}");
            for (type_name, _, _) in &schemas.0 {
                let compiled = schemas.get(type_name).unwrap();
                assert!(compiled.root < compiled.shapes.len(), "{type_name}");
            }
        }
    }
}
