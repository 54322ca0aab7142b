//! Constructs whose Jinja2 behaviour depends on the values they meet, where the engine would
//! quietly differ: found by the lint (`lint.rs`) outside loops and macros, checked here against
//! the render's context, each a located error when Jinja2 would have raised. Before the render:
//! a loop over a string that counts it, a loop over None or a number. After it: comparisons Python cannot make (`'8080' > 1000`,
//! `none < 1`) and `in` tests Python refuses (`none in 'abc'`).

use super::python_types::{compare, contained, python_type};
use super::Renderer;
use crate::diagnostic::{Diagnostic, Subject};
use minijinja::value::{Value, ValueKind};

/// A construct to check, with the `{% if %}` tests around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub check: Check,
    /// Each enclosing `{% if %}` test and whether its true branch holds the construct.
    pub guards: Vec<(String, bool)>,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `left op right` with `<`, `<=`, `>` or `>=`.
    Order {
        op: &'static str,
        left: String,
        right: String,
    },
    /// `item in container` (or `not in`).
    Contains { item: String, container: String },
    /// `{% for … in iterable %}`; `counts` when its body reads `loop.length`, `loop.last` or
    /// `loop.revindex`.
    Loop { iterable: String, counts: bool },
    /// An operand of `~`: the engine writes a float there in its own notation.
    Concat { operand: String },
    /// `left * right`: Python repeats a string or list only by an integer.
    Multiply { left: String, right: String },
    /// `operand[a:b]`: Python slices sequences only (the engine slices None as empty).
    Slice { operand: String },
}

impl Check {
    /// The expression whose value the finding is about.
    fn expression(&self) -> &str {
        match self {
            Check::Order { left, .. } | Check::Multiply { left, .. } => left,
            Check::Contains { item, .. } => item,
            Check::Loop { iterable, .. } => iterable,
            Check::Concat { operand } | Check::Slice { operand } => operand,
        }
    }
}

impl Probe {
    fn error(&self, file: &str, code: &str, message: String, hint: &str) -> Diagnostic {
        Diagnostic::error(code, message)
            .in_file(file)
            .at(self.line, self.column)
            .with_hint(hint)
            .about(Subject::Variable {
                path: self.check.expression().to_string(),
            })
    }

    /// Whether the enclosing tests hold under `context`: `None` when one cannot be evaluated
    /// here (it reads a `set` variable, a macro argument…).
    fn reached(&self, renderer: &Renderer, context: &Value) -> Option<bool> {
        for (test, holds) in &self.guards {
            let value = renderer.evaluate(test, context).ok()?;
            if value.is_true() != *holds {
                return Some(false);
            }
        }
        Some(true)
    }
}

/// What must be refused before rendering `file` (a blocking error stops its render).
pub fn before_render(
    probes: &[Probe],
    renderer: &Renderer,
    context: &Value,
    file: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for probe in probes {
        match &probe.check {
            Check::Loop { iterable, counts } => {
                if probe.reached(renderer, context) != Some(true) {
                    continue;
                }
                let Ok(value) = renderer.evaluate(iterable, context) else {
                    continue;
                };
                match value.kind() {
                    ValueKind::None | ValueKind::Number | ValueKind::Bool => out.push(probe.error(
                        file,
                        "template-type",
                        format!(
                            "`{iterable}` is {}: Jinja2 raises TypeError ('{}' object is not iterable)",
                            describe(&value),
                            python_type(&value)
                        ),
                        "loop over a list, or guard the loop with `{% if … %}`",
                    )),
                    ValueKind::String if *counts => out.push(probe.error(
                        file,
                        "template-unsupported",
                        format!("`{iterable}` is a string: the playground does not count it for `loop.length`/`last`/`revindex` as Jinja2 does"),
                        &format!("loop over its characters as a list: `{{% for … in {iterable} | list %}}`"),
                    )),
                    _ => {}
                }
            }
            Check::Order { .. }
            | Check::Contains { .. }
            | Check::Concat { .. }
            | Check::Multiply { .. }
            | Check::Slice { .. } => {}
        }
    }
    out
}

/// The hint of a value Python's operators refuse.
const CONVERT: &str =
    "convert first (`| int`, `| string`) or guard it with an `is number` / `is string` test";

/// Comparisons, `in` tests, repetitions and slices Jinja2 would have raised on, and floats the
/// engine joins in another notation, in a rendered `file`.
pub fn after_render(
    probes: &[Probe],
    renderer: &Renderer,
    context: &Value,
    file: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for probe in probes {
        let evaluate = |expr: &str| renderer.evaluate(expr, context).ok();
        let raised = |e: minijinja::Error| e.detail().unwrap_or_default().to_string();
        // (code, message, hint) of what Jinja2 would have done differently.
        let problem: Option<(&str, String, String)> = match &probe.check {
            Check::Order { op, left, right } => {
                let (Some(a), Some(b)) = (evaluate(left), evaluate(right)) else {
                    continue;
                };
                let failure = if a.is_undefined() || b.is_undefined() {
                    Some("UndefinedError".to_string())
                } else {
                    compare(&a, &b, op)
                        .err()
                        .map(|e| format!("TypeError ({})", raised(e)))
                };
                failure.map(|failure| {
                    let message = format!(
                        "`{left} {op} {right}` compares {} with {}: Jinja2 raises {failure}",
                        describe(&a),
                        describe(&b)
                    );
                    ("template-type", message, CONVERT.to_string())
                })
            }
            Check::Contains { item, container } => {
                let (Some(a), Some(b)) = (evaluate(item), evaluate(container)) else {
                    continue;
                };
                if a.is_undefined() || b.is_undefined() {
                    continue;
                }
                contained(&a, &b).err().map(|e| {
                    let message = format!(
                        "`{item} in {container}` looks for {} in {}: Jinja2 raises TypeError ({})",
                        describe(&a),
                        describe(&b),
                        raised(e)
                    );
                    ("template-type", message, CONVERT.to_string())
                })
            }
            Check::Concat { operand } => {
                let Some(v) = evaluate(operand) else { continue };
                let f = f64::try_from(v.clone()).unwrap_or(0.0);
                let differs = v.kind() == ValueKind::Number
                    && !v.is_integer()
                    && f != 0.0
                    && (f.abs() >= 1e16 || f.abs() < 1e-4);
                differs.then(|| {
                    let message = format!(
                        "`~` joins the float {} to text: Jinja2 writes it as Python does, the engine in another notation",
                        super::pyrepr::py_repr(&v)
                    );
                    let hint = format!(
                        "write `({operand} | string)`, which the playground writes as Python does"
                    );
                    ("template-unsupported", message, hint)
                })
            }
            Check::Multiply { left, right } => {
                let (Some(a), Some(b)) = (evaluate(left), evaluate(right)) else {
                    continue;
                };
                let sequence = |v: &Value| matches!(v.kind(), ValueKind::String | ValueKind::Seq);
                let not_int = |v: &Value| !(v.is_integer() || v.kind() == ValueKind::Bool);
                let (seq, count) = if sequence(&a) { (&a, &b) } else { (&b, &a) };
                (sequence(seq) && not_int(count) && !sequence(count)).then(|| {
                    let message = format!(
                        "`{left} * {right}` repeats {} by {}: Jinja2 raises TypeError (can't multiply sequence by non-int of type '{}')",
                        describe(seq),
                        describe(count),
                        python_type(count)
                    );
                    ("template-type", message, CONVERT.to_string())
                })
            }
            Check::Slice { operand } => {
                let Some(v) = evaluate(operand) else { continue };
                matches!(v.kind(), ValueKind::None | ValueKind::Number | ValueKind::Bool).then(
                    || {
                        let message = format!(
                            "`{operand}` is {}: Jinja2 raises TypeError ('{}' object is not subscriptable)",
                            describe(&v),
                            python_type(&v)
                        );
                        ("template-type", message, CONVERT.to_string())
                    },
                )
            }
            Check::Loop { .. } => continue,
        };
        let Some((code, message, hint)) = problem else {
            continue;
        };
        if probe.reached(renderer, context) == Some(true) {
            out.push(probe.error(file, code, message, &hint));
        }
    }
    out
}

/// Renders `file` with its probes around the render: what must be refused before (a blocking
/// refusal stops the render), the render, what Jinja2 would have raised on after. The one path
/// the report and the differential test take.
pub fn checked_render(
    probes: &[Probe],
    renderer: &Renderer,
    context: &Value,
    file: &str,
    render: impl FnOnce() -> Result<String, Diagnostic>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let refused = before_render(probes, renderer, context, file);
    let blocked = refused.iter().any(super::is_blocking);
    diagnostics.extend(refused);
    if blocked {
        return None;
    }
    match render() {
        Ok(output) => {
            diagnostics.extend(after_render(probes, renderer, context, file));
            Some(output)
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// A value as a message names it: `the string '8080'`, `None`, `the int 3`.
fn describe(value: &Value) -> String {
    match value.kind() {
        ValueKind::None => "None".into(),
        ValueKind::String => format!("the string {}", super::pyrepr::py_repr(value)),
        _ => format!(
            "the {} {}",
            python_type(value),
            cut(&super::pyrepr::py_repr(value))
        ),
    }
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::lint::{analyze, Scope};
    use crate::render::RenderOptions;
    use std::sync::Arc;

    /// The findings for `template` under `context`, before and after its render.
    fn findings(template: &str, context: serde_json::Value) -> Vec<String> {
        let probes = analyze(template, "t.yaml", Scope::Environment).probes;
        let renderer = Renderer::new(Arc::new(Default::default()), &RenderOptions::default());
        let context = crate::context::to_template_value(&context);
        let mut out = before_render(&probes, &renderer, &context, "t.yaml");
        out.extend(after_render(&probes, &renderer, &context, "t.yaml"));
        out.into_iter()
            .map(|d| format!("{}:{} {}", d.line.unwrap(), d.code, d.message))
            .collect()
    }

    fn inputs(v: serde_json::Value) -> serde_json::Value {
        serde_json::json!({ "environment": { "inputs": v } })
    }

    #[test]
    fn comparisons_python_refuses_are_errors_where_they_run() {
        let t = "a: 1\n{% if environment.inputs.port > 1000 %}\nb: 2\n{% endif %}\n";
        let found = findings(t, inputs(serde_json::json!({"port": "8080"})));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("2:template-type `environment.inputs.port > 1000` compares the string '8080' with the int 1000"), "{found:?}");
        assert!(findings(t, inputs(serde_json::json!({"port": 8080}))).is_empty());
        // Not reached: under a false test, or behind `and`.
        let guarded = "{% if false %}{{ environment.inputs.port > 1 }}{% endif %}\n{{ environment.inputs.port is number and environment.inputs.port > 1 }}";
        assert!(findings(guarded, inputs(serde_json::json!({"port": "x"}))).is_empty());
        // Loop variables are not probed.
        let looped = "{% for p in ['a'] %}{{ p > 1 }}{% endfor %}";
        assert!(findings(looped, inputs(serde_json::json!({}))).is_empty());
        assert_eq!(
            findings("{{ none < none }}", inputs(serde_json::json!({}))).len(),
            1
        );
    }

    #[test]
    fn in_tests_python_refuses() {
        let found = findings(
            "{{ none in 'abc' }}|{{ 'a' in 5 }}|{{ [1] in {'a': 1} }}|{{ 'a' in 'abc' }}",
            inputs(serde_json::json!({})),
        );
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn loops_over_strings_none_and_numbers() {
        let counted = "{% for c in environment.inputs.name %}{{ loop.last }}{% endfor %}";
        let found = findings(counted, inputs(serde_json::json!({"name": "abc"})));
        assert!(found[0].contains("template-unsupported"), "{found:?}");
        let plain = "{% for c in environment.inputs.name %}{{ c }}{% endfor %}";
        assert!(findings(plain, inputs(serde_json::json!({"name": "abc"}))).is_empty());
        let found = findings(plain, inputs(serde_json::json!({"name": null})));
        assert!(
            found[0].contains("'NoneType' object is not iterable"),
            "{found:?}"
        );
    }
}
