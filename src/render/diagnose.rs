//! A failed render as a located diagnostic: minijinja's errors turned into Jinja2's wording
//! where it matters (undefined names, syntax, unclosed tags), the text budget's refusals as
//! `template-limit`.

use super::{budget, lint, methods, FUEL, RECURSION_LIMIT};
use crate::diagnostic::{Diagnostic, Subject};
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind};

/// Byte offset → 1-based column (in characters) on its line.
fn column_of(source: &str, offset: usize) -> u32 {
    let offset = offset.min(source.len());
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    source
        .get(line_start..offset)
        .map_or(1, |s| s.chars().count() as u32 + 1)
}

/// A render that built more text than [`budget::MAX_TEXT`] (whatever it returned is not used).
pub(super) fn over_budget(name: &str) -> Diagnostic {
    let message = budget::reason().unwrap_or_else(|| {
        format!(
            "the template built more than {} MB of text: the render was stopped",
            budget::MAX_TEXT >> 20
        )
    });
    Diagnostic::error("template-limit", message)
        .in_file(name)
        .with_hint("a filter or loop multiplies text or nesting far beyond any template's needs")
}

/// Turns a minijinja error into a diagnostic with Jinja2's wording where it matters.
pub(super) fn diagnose(
    err: &Error,
    name: &str,
    source: &str,
    context: &Value,
    env: &Environment,
    original: &dyn Fn(&str, usize) -> usize,
) -> Diagnostic {
    let file = err.name().unwrap_or(name).to_string();
    // The error's place in the template as written (a `%` rewrite moves offsets).
    let err_range = err
        .range()
        .map(|r| original(&file, r.start)..original(&file, r.end));
    let detail = err.detail().unwrap_or_default().to_string();
    let undefined_expr = undefined_expression(&detail);
    let (code, message, hint) = match err.kind() {
        _ if budget::exceeded() => (
            "template-limit",
            budget::reason().unwrap_or_else(|| detail.clone()),
            Some("a filter or loop multiplies text far beyond any template's size".to_string()),
        ),
        ErrorKind::SyntaxError => {
            let (message, hint) = syntax_message(&detail, source, err.line());
            ("template-syntax", message, hint)
        }
        ErrorKind::UndefinedError => {
            let message = undefined_message(undefined_expr.as_deref(), context, env);
            (
                "template-undefined",
                message,
                undefined_hint(undefined_expr.as_deref()),
            )
        }
        ErrorKind::InvalidOperation if undefined_expr.is_some() => {
            let message = undefined_message(undefined_expr.as_deref(), context, env);
            let hint = if detail.contains("- operator") {
                Some("`a.my-key` is parsed as a subtraction: write a['my-key']".to_string())
            } else {
                undefined_hint(undefined_expr.as_deref())
            };
            ("template-undefined", message, hint)
        }
        ErrorKind::UnknownMethod if detail.contains("changes a value in place") => (
            "template-mutation",
            detail.clone(),
            Some(methods::MUTATION_HINT.to_string()),
        ),
        ErrorKind::OutOfFuel => (
            "template-fuel",
            "the template ran too long and was stopped (a runaway loop?)".to_string(),
            Some(format!("rendering is limited to {FUEL} steps")),
        ),
        ErrorKind::UnknownFilter | ErrorKind::UnknownTest | ErrorKind::UnknownFunction => (
            "template-unknown",
            format!("{}: {detail}", err.kind()),
            None,
        ),
        ErrorKind::TemplateNotFound => (
            "template-include",
            detail.clone(),
            Some("include/import paths are relative to the bundle root".into()),
        ),
        _ if detail.contains("recursion") => (
            "template-recursion",
            detail.clone(),
            Some(format!("at most {RECURSION_LIMIT} nested calls")),
        ),
        _ if detail.is_empty() => ("template-error", err.kind().to_string(), None),
        _ => ("template-error", detail.clone(), None),
    };
    let mut diagnostic = Diagnostic::error(code, message).in_file(file);
    if let Some(line) = err.line() {
        let column = match (err_range.clone(), err.name()) {
            (Some(range), Some(n)) if n == name => column_of(source, range.start),
            _ => 1,
        };
        diagnostic = diagnostic.at(line as u32, column);
    }
    if let Some(hint) = hint {
        diagnostic = diagnostic.with_hint(hint);
    }
    if code == "template-undefined" && diagnostic.subject.is_none() {
        let span = err_range
            .clone()
            .filter(|_| err.name().is_none_or(|n| n == name))
            .and_then(|r| source.get(r));
        if span.is_some_and(is_inline_if_without_else) {
            diagnostic.message = "an inline `if` without `else` that is false: Jinja2 accepts its undefined here even when strict, the playground cannot".into();
            diagnostic.hint = Some("write the else: `… if … else ''`".into());
        }
    }
    if code == "template-syntax" && err.name().is_none_or(|n| n == name) {
        if let Some(opened) = err_range
            .clone()
            .and_then(|r| unclosed_opener(source, r.start))
        {
            diagnostic = opened.explain(diagnostic, source);
        }
    }
    if let (Some(path), "template-undefined") = (undefined_expr, code) {
        diagnostic = diagnostic.about(Subject::Variable { path });
    }
    diagnostic
}

/// The expression minijinja names in "`o.missing` is undefined".
fn undefined_expression(detail: &str) -> Option<String> {
    let start = detail.find('`')?;
    let rest = &detail[start + 1..];
    let end = rest.find("` is undefined")?;
    Some(rest[..end].to_string())
}

/// Jinja2's texts: `'name' is undefined`, `'dict object' has no attribute 'key'`,
/// `list object has no element 5`.
fn undefined_message(expr: Option<&str>, context: &Value, env: &Environment) -> String {
    let Some(expr) = expr else {
        return "undefined value".to_string();
    };
    if let Some(open) = expr.rfind('[').filter(|_| expr.ends_with(']')) {
        let parent = &expr[..open];
        let key = &expr[open + 1..expr.len() - 1];
        if key.parse::<i64>().is_ok() {
            return format!(
                "{} object has no element {key}",
                parent_type(parent, context, env).unwrap_or("list")
            );
        }
        if key == "..." {
            // The key was computed at render time: name the lookup, not a key we do not know.
            return "a mapping has no item for the key looked up in it".to_string();
        }
        let key = key.trim_matches(|c| c == '"' || c == '\'');
        return format!(
            "'{} object' has no attribute '{key}'",
            parent_type(parent, context, env).unwrap_or("dict")
        );
    }
    match expr.rfind('.') {
        Some(dot) => format!(
            "'{} object' has no attribute '{}'",
            parent_type(&expr[..dot], context, env).unwrap_or("dict"),
            &expr[dot + 1..]
        ),
        None => format!("'{expr}' is undefined"),
    }
}

/// Python type name of a parent expression when it can be evaluated against the root context.
fn parent_type(expr: &str, context: &Value, env: &Environment) -> Option<&'static str> {
    let value = env.compile_expression(expr).ok()?.eval(context).ok()?;
    Some(match value.kind() {
        minijinja::value::ValueKind::Map => "dict",
        minijinja::value::ValueKind::Seq if value.is_tuple() => "tuple",
        minijinja::value::ValueKind::Seq => "list",
        minijinja::value::ValueKind::String => "str",
        minijinja::value::ValueKind::Number if value.is_integer() => "int",
        minijinja::value::ValueKind::Number => "float",
        minijinja::value::ValueKind::None => "NoneType",
        minijinja::value::ValueKind::Bool => "bool",
        _ => return None,
    })
}

/// Hints for the undefined reads that have a known cause (docs/proton-semantics.md §12).
fn undefined_hint(expr: Option<&str>) -> Option<String> {
    let expr = expr?;
    lint::pre_ga_hint(expr)
        .or_else(|| {
            expr.contains("components.default.")
                .then(|| "with no component attached this fails: add | default('') or guard with `is defined`".to_string())
        })
        .or_else(|| {
            (expr.contains(".outputs.") || expr.contains(".inputs."))
                .then(|| "give it a value (spec input or mocked output), or use | default(...) / an `is defined` guard".to_string())
        })
}

/// `x if cond` with no `else` (outside strings), the whole of a printed expression.
fn is_inline_if_without_else(expr: &str) -> bool {
    let mut words = Vec::new();
    let mut quote = None;
    let mut word = String::new();
    for c in expr.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c.is_alphanumeric() || c == '_' => word.push(c),
            (None, _) => words.push(std::mem::take(&mut word)),
        }
    }
    words.push(word);
    words.iter().any(|w| w == "if") && !words.iter().any(|w| w == "else")
}

/// A `{{` or `{%` opened on an earlier line than a syntax error and not closed before it: the
/// construct the user opened, where the parser only noticed later.
struct Unclosed {
    offset: usize,
    open: &'static str,
    close: &'static str,
}

fn unclosed_opener(source: &str, error_at: usize) -> Option<Unclosed> {
    let before = source.get(..error_at)?;
    let (offset, open, close) = [("{{", "}}"), ("{%", "%}")]
        .into_iter()
        .filter_map(|(open, close)| before.rfind(open).map(|i| (i, open, close)))
        .max_by_key(|(i, _, _)| *i)?;
    let closed = before[offset + 2..].contains(close);
    let same_line = !before[offset..].contains('\n');
    (!closed && !same_line).then_some(Unclosed {
        offset,
        open,
        close,
    })
}

impl Unclosed {
    /// Moves the finding to the opener and says what happened.
    fn explain(&self, diagnostic: Diagnostic, source: &str) -> Diagnostic {
        let line = source[..self.offset].matches('\n').count() as u32 + 1;
        let error_line = diagnostic.line.unwrap_or(line);
        let message = format!(
            "`{}` opened here is not closed: the {} runs on, and Proton reported line {error_line}: {}",
            self.open,
            if self.open == "{{" {
                "expression"
            } else {
                "tag"
            },
            diagnostic.message
        );
        Diagnostic {
            message,
            hint: Some(format!("close it with `{}` on this line", self.close)),
            ..diagnostic
        }
        .at(line, column_of(source, self.offset))
    }
}

fn syntax_message(detail: &str, source: &str, line: Option<usize>) -> (String, Option<String>) {
    let line_text = line
        .and_then(|l| source.lines().nth(l.saturating_sub(1)))
        .unwrap_or_default();
    for tag in ["break", "continue", "do"] {
        if detail == format!("unknown statement {tag}") {
            return (
                format!("unknown tag '{tag}'"),
                Some("Proton enables no Jinja extensions: rewrite with if/set".to_string()),
            );
        }
    }
    let hint = if line_text.contains("{{resolve:") {
        Some("a CloudFormation dynamic reference looks like Jinja: write {{ '{{resolve:…}}' }} or wrap it in {% raw %}…{% endraw %}".to_string())
    } else {
        None
    };
    (detail.to_string(), hint)
}
