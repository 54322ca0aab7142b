//! The names a template sees at the cursor: the render context of its target under the page's
//! inputs and mocks, plus the `for` and `set` bindings open there, each bound to its value (a
//! loop variable to the first item) and, when it stands for a context path, to that path.

use super::cursor::{bindings_before, Binding};
use super::Site;
use crate::context::to_template_value;
use crate::render::Renderer;
use crate::report::{context_of, Request};
use minijinja::value::{Value, ValueKind};
use std::collections::HashMap;
use std::sync::Arc;

pub struct Scope {
    pub renderer: Arc<Renderer>,
    /// The context with the bindings over it.
    pub root: Value,
    /// Context names, then bound names, in order.
    pub names: Vec<String>,
    /// Bound names that stand for a context path (`inst` → `service_instances.[]`).
    aliases: HashMap<String, Vec<String>>,
    /// A `{% for %}` is open at the cursor (`loop` exists).
    pub in_loop: bool,
}

impl Scope {
    /// The scope at byte `offset` of `text`, a template of `site` rendered for `request`.
    pub fn at(site: &Site, request: &Request, text: &str, offset: usize) -> Scope {
        let renderer = site.bundle.renderer(&request.options);
        let context = to_template_value(&context_of(site.bundle, request));
        let mut entries: Vec<(String, Value)> = context
            .try_iter()
            .into_iter()
            .flatten()
            .filter_map(|k| {
                let key = k.as_str()?.to_string();
                let value = context.get_attr(&key).ok()?;
                Some((key, value))
            })
            .collect();
        let mut scope = Scope {
            renderer,
            root: Value::from_pairs(entries.clone()),
            names: entries.iter().map(|(k, _)| k.clone()).collect(),
            aliases: HashMap::new(),
            in_loop: false,
        };
        for binding in bindings_before(text, offset) {
            let values = scope.bind(&binding);
            for (name, value) in binding.names.iter().zip(values) {
                entries.retain(|(k, _)| k != name);
                entries.push((name.clone(), value));
                if !scope.names.contains(name) {
                    scope.names.push(name.clone());
                }
            }
            scope.in_loop |= binding.is_loop;
            scope.root = Value::from_pairs(entries.clone());
        }
        scope
    }

    /// The values a binding gives its names, and the path each stands for.
    fn bind(&mut self, binding: &Binding) -> Vec<Value> {
        let value = self
            .renderer
            .evaluate(&binding.expr, &self.root)
            .unwrap_or(Value::UNDEFINED);
        let path = plain_path(&binding.expr).map(|p| self.canonical(&p));
        for name in &binding.names {
            self.aliases.remove(name);
        }
        if !binding.is_loop {
            if let (Some(path), [name]) = (path, binding.names.as_slice()) {
                self.aliases.insert(name.clone(), path);
            }
            return vec![value];
        }
        let first = first_item(&value);
        match binding.names.as_slice() {
            [name] => {
                if let Some(mut path) = path {
                    path.push("[]".into());
                    self.aliases.insert(name.clone(), path);
                }
                vec![first]
            }
            names => {
                // `for k, v in d.items()`: `v` stands for every value of `d`.
                if let (Some(dict), Some(value_name)) = (
                    binding.expr.strip_suffix(".items()").and_then(plain_path),
                    names.get(1),
                ) {
                    let mut path = self.canonical(&dict);
                    path.push("*".into());
                    self.aliases.insert(value_name.clone(), path);
                }
                (0..names.len())
                    .map(|i| first.get_item(&Value::from(i)).unwrap_or(Value::UNDEFINED))
                    .collect()
            }
        }
    }

    /// `path` with a bound first name replaced by the context path it stands for.
    pub fn canonical(&self, path: &[String]) -> Vec<String> {
        match path.split_first() {
            Some((first, rest)) => match self.aliases.get(first) {
                Some(alias) => alias.iter().chain(rest).cloned().collect(),
                None => path.to_vec(),
            },
            None => Vec::new(),
        }
    }

    /// The value of a dotted path (undefined when any step is missing).
    pub fn value(&self, path: &[String]) -> Value {
        let mut value = self.root.clone();
        for segment in path {
            value = value.get_attr(segment).unwrap_or(Value::UNDEFINED);
            if value.is_undefined() {
                break;
            }
        }
        value
    }
}

/// `a.b.c` as its names, when the expression is only that.
fn plain_path(expr: &str) -> Option<Vec<String>> {
    let expr = expr.trim();
    let names: Vec<String> = expr.split('.').map(str::to_string).collect();
    names
        .iter()
        .all(|n| {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !n.as_bytes()[0].is_ascii_digit()
        })
        .then_some(names)
}

/// What a loop's variable holds on its first iteration (a dict iterates its keys).
fn first_item(value: &Value) -> Value {
    if matches!(value.kind(), ValueKind::Undefined | ValueKind::None) {
        return Value::UNDEFINED;
    }
    value
        .try_iter()
        .ok()
        .and_then(|mut items| items.next())
        .unwrap_or(Value::UNDEFINED)
}

/// Python's name for a value's type, as Jinja2 authors know them.
pub fn type_name(value: &Value) -> &'static str {
    match value.kind() {
        ValueKind::String => "str",
        ValueKind::Number if value.is_integer() => "int",
        ValueKind::Number => "float",
        ValueKind::Bool => "bool",
        ValueKind::None => "None",
        ValueKind::Seq => "list",
        ValueKind::Map => "dict",
        ValueKind::Undefined => "undefined",
        _ => "object",
    }
}
