//! Macros that take any arguments. A Jinja2 macro whose body reads `varargs` or `kwargs` takes
//! extra positional arguments as the tuple `varargs` and extra keyword arguments as the dict
//! `kwargs`; minijinja's macros take only what they declare. Such a macro is loaded with the two
//! as declared arguments (`{% macro m(a, varargs=(), kwargs={}) %}`) and, after its
//! `{% endmacro %}`, replaced by a wrapper (`{% set m = __macro_extras(m, true, true) %}`) that
//! sorts each call's arguments as Jinja2 does — so imports, `{% call %}` and macros passed as
//! values see it too.

use super::lint::full_span;
use minijinja::machinery::ast::{Expr, Macro, Stmt};
use minijinja::machinery::Span;
use minijinja::value::{Kwargs, Object, Tuple, Value};
use minijinja::{Error, ErrorKind, State};
use std::sync::Arc;

/// The name templates call.
pub const FUNCTION: &str = "__macro_extras";

/// The text to insert (offset, text) that gives `m` its extra arguments, if its body reads
/// them.
pub(super) fn insertions(source: &str, m: &Macro, span: Span) -> Vec<(usize, String)> {
    let declared: Vec<&str> = m
        .args
        .iter()
        .filter_map(|a| match a {
            Expr::Var(v) => Some(v.id),
            _ => None,
        })
        .collect();
    let reads = |name: &str| !declared.contains(&name) && body_reads(&m.body, name);
    let (varargs, kwargs) = (reads("varargs"), reads("kwargs"));
    if !varargs && !kwargs {
        return Vec::new();
    }
    let span = span.start_offset as usize..span.end_offset as usize;
    let extras = [(varargs, "varargs=()"), (kwargs, "kwargs={}")]
        .into_iter()
        .filter_map(|(on, param)| on.then_some(param))
        .collect::<Vec<_>>()
        .join(", ");
    // Before the `)` of the signature: after the last argument or default (and its comma).
    let last = m
        .args
        .iter()
        .chain(&m.defaults)
        .map(|e| full_span(e).end_offset as usize)
        .max();
    let header = match last {
        Some(end) => {
            let rest = &source[end..];
            let after_comma = rest.trim_start().strip_prefix(',');
            match after_comma {
                Some(tail) => (source.len() - tail.len(), format!(" {extras}")),
                None => (end, format!(", {extras}")),
            }
        }
        None => match source[span.clone()].find('(') {
            Some(open) => (span.start + open + 1, extras),
            None => return Vec::new(),
        },
    };
    // After the `%}` that closes `{% endmacro %}`, keeping its whitespace control.
    let Some(close) = source[span.end..].find("%}") else {
        return Vec::new();
    };
    let trims = source[span.end..span.end + close].contains('-');
    let after = span.end + close + 2;
    let wrapper = format!(
        "{{% set {name} = {FUNCTION}({name}, {varargs}, {kwargs}) {}%}}",
        if trims { "-" } else { "" },
        name = m.name
    );
    vec![header, (after, wrapper)]
}

/// Whether `body` reads the variable `name`, outside the macros defined in it (theirs are
/// their own).
fn body_reads(body: &[Stmt], name: &str) -> bool {
    let mut found = false;
    super::walk::each_expr(body, &mut |e| {
        found |= matches!(e, Expr::Var(v) if v.id == name);
    });
    found
}

/// `inner` called with each call's arguments sorted as Jinja2 sorts them.
pub fn wrap(inner: Value, varargs: bool, kwargs: bool) -> Result<Value, Error> {
    let declared: Vec<String> = inner
        .get_attr("arguments")?
        .try_iter()?
        .filter_map(|a| a.as_str().map(str::to_string))
        .filter(|a| !(varargs && a == "varargs" || kwargs && a == "kwargs"))
        .collect();
    Ok(Value::from_object(Variadic {
        inner,
        declared,
        varargs,
        kwargs,
    }))
}

#[derive(Debug)]
struct Variadic {
    inner: Value,
    declared: Vec<String>,
    varargs: bool,
    kwargs: bool,
}

impl Variadic {
    fn name(&self) -> String {
        self.inner
            .get_attr("name")
            .ok()
            .and_then(|n| n.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    fn refuse(&self, message: String) -> Error {
        Error::new(
            ErrorKind::TooManyArguments,
            format!("macro '{}' {message}", self.name()),
        )
    }
}

impl Object for Variadic {
    fn call(self: &Arc<Self>, state: &mut State<'_, '_>, args: &[Value]) -> Result<Value, Error> {
        let (positional, named) = match args.last() {
            Some(last) if last.is_kwargs() => (&args[..args.len() - 1], Some(last)),
            _ => (args, None),
        };
        let taken = positional.len().min(self.declared.len());
        let extra_positional = &positional[taken..];
        if !extra_positional.is_empty() && !self.varargs {
            return Err(self.refuse(format!(
                "takes not more than {} argument(s)",
                self.declared.len()
            )));
        }
        let mut passed: Vec<(String, Value)> = Vec::new();
        let mut extra_named: Vec<(Value, Value)> = Vec::new();
        if let Some(named) = named {
            for key in named.try_iter()? {
                let value = named.get_item(&key)?;
                let key_text = key.as_str().unwrap_or_default().to_string();
                // A name filled by position is no longer a parameter to fill (Jinja2 keeps
                // it among the extra keywords).
                let open = self.declared[taken..].contains(&key_text);
                if open || key_text == "caller" {
                    passed.push((key_text, value));
                } else if self.kwargs {
                    extra_named.push((key, value));
                } else {
                    return Err(self.refuse(format!("takes no keyword argument '{key_text}'")));
                }
            }
        }
        if self.varargs {
            passed.push((
                "varargs".into(),
                Value::from(Tuple::from(extra_positional.to_vec())),
            ));
        }
        if self.kwargs {
            passed.push(("kwargs".into(), Value::from_pairs(extra_named)));
        }
        let mut call_args = positional[..taken].to_vec();
        call_args.push(Value::from(Kwargs::from_iter(passed)));
        self.inner.call(state, &call_args)
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "arguments" => Some(Value::from_iter(self.declared.iter().map(Value::from))),
            "catch_varargs" => Some(Value::from(self.varargs)),
            "catch_kwargs" => Some(Value::from(self.kwargs)),
            _ => self.inner.get_attr(key.as_str()?).ok(),
        }
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.inner)
    }
}
