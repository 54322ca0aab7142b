//! The Jinja renderer: minijinja configured and extended until it renders like CPython Jinja2 3.1
//! with Proton's filters (docs/proton-semantics.md §7, §8). Errors become located [`Diagnostic`]s.

mod arithmetic;
pub mod budget;
mod cyclers;
mod diagnose;
use diagnose::{diagnose, over_budget};
mod filters;
mod html;
pub mod lint;
mod markup;
mod methods;
mod percent;
mod printf;
pub mod probes;
pub mod proton_filters;
pub mod pyjson;
pub mod pyrepr;
mod python_types;
mod rewrite;
mod unpack;
mod variadic;
mod views;
mod walk;

use crate::diagnostic::Diagnostic;
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Fuel for one render: 25× what the largest corpus render needs (every corpus case renders with
/// 20,000), small enough that a runaway loop stops within about 60 ms in WebAssembly.
pub const FUEL: u64 = 500_000;
/// Nested macro calls / includes allowed.
pub const RECURSION_LIMIT: usize = 100;
/// What happens when a template reads a missing value (docs/proton-semantics.md §7.2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UndefinedMode {
    /// Jinja2 `StrictUndefined`: any use but `is defined` / `default` fails (Proton's behaviour).
    #[default]
    Strict,
    /// Jinja2's default `Undefined`: prints as empty, attribute access on it fails.
    Lenient,
    /// Jinja2 `ChainableUndefined`.
    Chainable,
}

/// Renderer settings; Jinja2's defaults except strict undefined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RenderOptions {
    pub undefined: UndefinedMode,
    pub trim_blocks: bool,
    pub lstrip_blocks: bool,
    pub keep_trailing_newline: bool,
}

/// Jinja2 reads template sources with universal newlines.
pub fn normalize_newlines(source: &str) -> String {
    if source.contains('\r') {
        source.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        source.to_string()
    }
}

/// The error minijinja raises for using `value` when it is undefined, carrying its origin so the
/// message names the expression.
pub(crate) fn undefined_error(value: &Value) -> Error {
    value
        .get_attr("__undefined__")
        .err()
        .unwrap_or_else(|| Error::from(ErrorKind::UndefinedError))
}

/// A configured engine over one bundle's template files (names are bundle-relative paths, so
/// `{% include %}` resolves from the bundle root).
pub struct Renderer {
    env: Environment<'static>,
    /// Templates rewritten when loaded (render/rewrite.rs), by name.
    rewritten: Arc<std::sync::Mutex<BTreeMap<String, rewrite::Rewritten>>>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").finish_non_exhaustive()
    }
}

impl Renderer {
    pub fn new(sources: Arc<BTreeMap<String, String>>, options: &RenderOptions) -> Renderer {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.set_undefined_behavior(match options.undefined {
            UndefinedMode::Strict => UndefinedBehavior::Strict,
            UndefinedMode::Lenient => UndefinedBehavior::Lenient,
            UndefinedMode::Chainable => UndefinedBehavior::Chainable,
        });
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(options.trim_blocks)
            .lstrip_blocks(options.lstrip_blocks)
            .keep_trailing_newline(options.keep_trailing_newline)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.set_debug(true);
        env.set_fuel(Some(FUEL));
        env.set_recursion_limit(RECURSION_LIMIT);
        env.set_formatter(|out, _state, value| {
            // A strict undefined failed before reaching the formatter: what arrives is lenient,
            // or the silent undefined of an inline `if` without `else`, which Jinja2 prints as
            // nothing even with StrictUndefined.
            if value.is_undefined() {
                return Ok(());
            }
            let text = pyrepr::py_str(value);
            budget::print(text.len())?;
            out.write_str(&text).map_err(Error::from)
        });
        env.set_unknown_method_callback(methods::call);
        filters::register(&mut env);
        python_types::register(&mut env);
        html::register(&mut env);
        env.add_function("range", views::range);
        env.add_function("cycler", |args: minijinja::value::Rest<Value>| {
            cyclers::cycler(&args)
        });
        env.add_function("joiner", |args: minijinja::value::Rest<Value>| {
            cyclers::joiner(&args)
        });
        // minijinja's own filters, tests and globals that Jinja2 does not have: Jinja2 refuses
        // a template that uses them.
        for filter in ["bool", "chain", "lines", "split", "zip"] {
            env.remove_filter(filter);
        }
        for test in ["safe", "int", "startingwith", "endingwith"] {
            env.remove_test(test);
        }
        env.remove_global("debug");
        proton_filters::register(&mut env);
        env.add_function(percent::FUNCTION, percent::percent);
        env.add_function(arithmetic::ADD, arithmetic::add);
        env.add_function(arithmetic::MULTIPLY, arithmetic::multiply);
        env.add_function(arithmetic::PLAIN, arithmetic::plain);
        env.add_function(variadic::FUNCTION, variadic::wrap);
        env.add_function(unpack::FUNCTION, unpack::unpack);
        env.add_function(unpack::ITEMS_FUNCTION, unpack::unpack_items);
        let rewritten: Arc<std::sync::Mutex<BTreeMap<String, rewrite::Rewritten>>> = Arc::default();
        let record = rewritten.clone();
        env.set_loader(move |name| {
            Ok(sources.get(name).map(|s| {
                let source = normalize_newlines(s);
                match rewrite::rewrite(&source, name) {
                    Some(r) => {
                        let text = r.text.clone();
                        let mut map = record.lock().unwrap_or_else(|e| e.into_inner());
                        map.insert(name.to_string(), r);
                        text
                    }
                    None => source,
                }
            }))
        });
        Renderer { env, rewritten }
    }

    /// Where an offset of a loaded template is in its source as written (`%` rewrites move it).
    pub fn original_offset(&self, name: &str, offset: usize) -> usize {
        let map = self.rewritten.lock().unwrap_or_else(|e| e.into_inner());
        map.get(name).map_or(offset, |r| r.original(offset))
    }

    pub fn original_range(
        &self,
        name: &str,
        range: std::ops::Range<usize>,
    ) -> std::ops::Range<usize> {
        self.original_offset(name, range.start)..self.original_offset(name, range.end)
    }

    /// Renders the template `name` with `context`: the exact bytes Proton produced.
    pub fn render(&self, name: &str, source: &str, context: &Value) -> Result<String, Diagnostic> {
        let rendered = self.run(name, source, context, |t| t.render(context))?;
        Ok(proton_filters::reindent(&rendered))
    }

    /// Renders like [`Renderer::render`] and says which template source produced each range of
    /// the output (minijinja's output spans), before Proton's filter blocks are re-indented
    /// ([`proton_filters::reindent_mapped`] maps them): the migration reads what each `{{ … }}`
    /// printed.
    pub fn render_traced(
        &self,
        name: &str,
        source: &str,
        context: &Value,
    ) -> Result<(String, Vec<minijinja::OutputSpan>), Diagnostic> {
        self.run(name, source, context, |t| t.render_with_spans(context))
    }

    /// Runs `render` on the template `name` within the render budgets; an error becomes a
    /// diagnostic located in `source` as written.
    fn run<T>(
        &self,
        name: &str,
        source: &str,
        context: &Value,
        render: impl FnOnce(&minijinja::Template) -> Result<T, Error>,
    ) -> Result<T, Diagnostic> {
        let located = |e: Error| {
            diagnose(&e, name, source, context, &self.env, &|n, o| {
                self.original_offset(n, o)
            })
        };
        let template = self.env.get_template(name).map_err(located)?;
        budget::start();
        let out = render(&template).map_err(located)?;
        if budget::exceeded() {
            return Err(over_budget(name));
        }
        Ok(out)
    }
}

impl Renderer {
    /// The value of a Jinja expression under `context` (the editor's completion and hover),
    /// within the render budgets.
    pub fn evaluate(&self, expr: &str, context: &Value) -> Result<Value, String> {
        budget::start();
        let value = self
            .env
            .compile_expression_owned(expr.to_string())
            .and_then(|e| e.eval(context))
            .map_err(|e| e.detail().map_or_else(|| e.to_string(), str::to_string))?;
        if budget::exceeded() {
            return Err(budget::reason().unwrap_or_else(|| "over the render budget".into()));
        }
        Ok(value)
    }

    /// Renders a template string that is not a bundle file (CodeBuild `project_properties`).
    pub fn render_str(
        &self,
        name: &str,
        source: &str,
        context: &Value,
    ) -> Result<String, Diagnostic> {
        let source = normalize_newlines(source);
        let text = match rewrite::rewrite(&source, name) {
            Some(r) => {
                let text = r.text.clone();
                let mut map = self.rewritten.lock().unwrap_or_else(|e| e.into_inner());
                map.insert(name.to_string(), r);
                text
            }
            None => source.clone(),
        };
        budget::start();
        let rendered = self
            .env
            .render_named_str(name, &text, context)
            .map(|s| proton_filters::reindent(&s))
            .map_err(|e| {
                diagnose(&e, name, &source, context, &self.env, &|n, o| {
                    self.original_offset(n, o)
                })
            })?;
        if budget::exceeded() {
            return Err(over_budget(name));
        }
        Ok(rendered)
    }
}

/// Diagnostics that stop a template from rendering: Jinja2 would refuse to compile it, or the
/// render would exhaust the playground (the lint's and the probes' refusals).
pub fn is_blocking(d: &Diagnostic) -> bool {
    d.severity == crate::diagnostic::Severity::Error
        && matches!(
            d.code.as_str(),
            "template-syntax" | "template-limit" | "template-block-filters"
        )
}

#[cfg(test)]
mod tests;
