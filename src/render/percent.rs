//! Python's `%` operator. minijinja computes `a % b` only on numbers, and not as Python does on
//! text (`'%s-%d' % (a, b)` formats). Each template is loaded with every `a % b` written as
//! `__percent((a), (b))`, a function with Python's rules for both, and with a map back to the
//! source as written so that locations stay those of the template.

use super::lint::full_span;
use minijinja::machinery::ast::{CallArg, Expr, Stmt};
use minijinja::machinery::{parse, Span};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Value, ValueKind};
use minijinja::{Error, ErrorKind};
use std::ops::Range;

/// The name templates call.
pub const FUNCTION: &str = "__percent";

/// A template source with its `%` operators rewritten, and where its offsets come from.
#[derive(Debug, Clone)]
pub struct Rewritten {
    pub text: String,
    /// Copied stretches: (offset in `text`, offset in the source, length).
    copied: Vec<(usize, usize, usize)>,
}

impl Rewritten {
    /// The source offset of a rewritten offset (inserted text maps to the end of the stretch
    /// before it).
    pub fn original(&self, offset: usize) -> usize {
        let i = self.copied.partition_point(|(at, _, _)| *at <= offset);
        match i.checked_sub(1).map(|i| self.copied[i]) {
            Some((at, from, len)) => from + (offset - at).min(len),
            None => offset,
        }
    }
}

/// The rewritten source, or `None` when it has no `%` operator (or does not parse: the render
/// reports that).
pub fn rewrite(source: &str, name: &str) -> Option<Rewritten> {
    if !source.contains('%') {
        return None;
    }
    let tree = parse(source, name, SyntaxConfig::default()).ok()?;
    let mut found = Vec::new();
    stmt(&tree, &mut found);
    if found.is_empty() {
        return None;
    }
    // Outer operators first among those starting at the same place.
    found.sort_by_key(|n: &Operator| (n.whole.start, std::cmp::Reverse(n.whole.end)));
    let mut out = Rewritten {
        text: String::with_capacity(source.len() + found.len() * 16),
        copied: Vec::new(),
    };
    emit(source, 0..source.len(), &found, &mut out);
    Some(out)
}

/// One `left % right`: the source ranges of the whole and of its operands.
struct Operator {
    whole: Range<usize>,
    left: Range<usize>,
    right: Range<usize>,
}

fn range(span: Span) -> Range<usize> {
    span.start_offset as usize..span.end_offset as usize
}

fn emit(source: &str, within: Range<usize>, operators: &[Operator], out: &mut Rewritten) {
    let copy = |from: usize, to: usize, out: &mut Rewritten| {
        if to > from {
            out.copied.push((out.text.len(), from, to - from));
            out.text.push_str(&source[from..to]);
        }
    };
    let mut at = within.start;
    for op in operators
        .iter()
        .filter(|o| o.whole.start >= within.start && o.whole.end <= within.end)
    {
        if op.whole.start < at || op.whole == within {
            continue; // inside an operator already written
        }
        copy(at, op.whole.start, out);
        out.text.push_str(FUNCTION);
        out.text.push_str("((");
        emit(source, op.left.clone(), operators, out);
        out.text.push_str("), (");
        emit(source, op.right.clone(), operators, out);
        out.text.push_str("))");
        at = op.whole.end;
    }
    copy(at, within.end, out);
}

fn stmts(body: &[Stmt], found: &mut Vec<Operator>) {
    body.iter().for_each(|s| stmt(s, found));
}

fn stmt(s: &Stmt, found: &mut Vec<Operator>) {
    match s {
        Stmt::Template(t) => stmts(&t.children, found),
        Stmt::EmitExpr(e) => expr(&e.expr, found),
        Stmt::EmitRaw(_) => {}
        Stmt::ForLoop(f) => {
            expr(&f.iter, found);
            f.filter_expr.iter().for_each(|e| expr(e, found));
            stmts(&f.body, found);
            stmts(&f.else_body, found);
        }
        Stmt::IfCond(i) => {
            expr(&i.expr, found);
            stmts(&i.true_body, found);
            stmts(&i.false_body, found);
        }
        Stmt::WithBlock(w) => {
            w.assignments.iter().for_each(|(_, v)| expr(v, found));
            stmts(&w.body, found);
        }
        Stmt::Set(set) => expr(&set.expr, found),
        Stmt::SetBlock(set) => {
            set.filter.iter().for_each(|e| expr(e, found));
            stmts(&set.body, found);
        }
        Stmt::AutoEscape(a) => stmts(&a.body, found),
        Stmt::FilterBlock(f) => {
            expr(&f.filter, found);
            stmts(&f.body, found);
        }
        Stmt::Block(b) => stmts(&b.body, found),
        Stmt::Import(_) | Stmt::FromImport(_) | Stmt::Extends(_) | Stmt::Include(_) => {}
        Stmt::Macro(m) => {
            m.defaults.iter().for_each(|e| expr(e, found));
            stmts(&m.body, found);
        }
        Stmt::CallBlock(c) => {
            expr(&c.call.expr, found);
            args(&c.call.args, found);
            stmts(&c.macro_decl.body, found);
        }
        Stmt::Do(d) => {
            expr(&d.call.expr, found);
            args(&d.call.args, found);
        }
    }
}

fn args(list: &[CallArg], found: &mut Vec<Operator>) {
    for a in list {
        match a {
            CallArg::Pos(e)
            | CallArg::Kwarg(_, e)
            | CallArg::PosSplat(e)
            | CallArg::KwargSplat(e) => expr(e, found),
        }
    }
}

fn expr(e: &Expr, found: &mut Vec<Operator>) {
    match e {
        Expr::Var(_) | Expr::Const(_) => {}
        Expr::Slice(s) => {
            expr(&s.expr, found);
            [&s.start, &s.stop, &s.step]
                .into_iter()
                .flatten()
                .for_each(|e| expr(e, found));
        }
        Expr::UnaryOp(u) => expr(&u.expr, found),
        Expr::BinOp(b) => {
            if matches!(b.op, minijinja::machinery::ast::BinOpKind::Rem) {
                found.push(Operator {
                    whole: range(full_span(e)),
                    left: range(full_span(&b.left)),
                    right: range(full_span(&b.right)),
                });
            }
            expr(&b.left, found);
            expr(&b.right, found);
        }
        Expr::Compare(c) => {
            expr(&c.expr, found);
            c.ops.iter().for_each(|op| expr(&op.expr, found));
        }
        Expr::IfExpr(i) => {
            expr(&i.test_expr, found);
            expr(&i.true_expr, found);
            i.false_expr.iter().for_each(|e| expr(e, found));
        }
        Expr::Filter(f) => {
            f.expr.iter().for_each(|e| expr(e, found));
            args(&f.args, found);
        }
        Expr::Test(t) => {
            expr(&t.expr, found);
            args(&t.args, found);
        }
        Expr::GetAttr(g) => expr(&g.expr, found),
        Expr::GetItem(g) => {
            expr(&g.expr, found);
            expr(&g.subscript_expr, found);
        }
        Expr::Call(c) => {
            expr(&c.expr, found);
            args(&c.args, found);
        }
        Expr::List(l) => l.items.iter().for_each(|e| expr(e, found)),
        Expr::Tuple(t) => t.items.iter().for_each(|e| expr(e, found)),
        Expr::Map(m) => m.keys.iter().chain(&m.values).for_each(|e| expr(e, found)),
    }
}

/// `left % right` as Python computes it: text formats (`printf`), numbers take the remainder
/// (`python_types::modulo`), anything else is a TypeError. An undefined
/// operand fails even when lenient (Jinja2's Undefined refuses arithmetic).
pub fn percent(left: &Value, right: &Value) -> Result<Value, Error> {
    for operand in [left, right] {
        if operand.is_undefined() {
            return Err(super::undefined_error(operand));
        }
    }
    let fail = |message: String| Error::new(ErrorKind::InvalidOperation, message);
    match (left.kind(), right.kind()) {
        (ValueKind::String, _) if left.is_safe() => Err(fail(
            "`%` on safe (Markup) text escapes its arguments in Jinja2: not reproduced".into(),
        )),
        (ValueKind::String, _) => {
            super::printf::percent_operator(left.as_str().unwrap_or_default(), right)
                .map(Value::from)
                .map_err(fail)
        }
        (ValueKind::Number | ValueKind::Bool, ValueKind::Number | ValueKind::Bool) => {
            super::python_types::modulo(left, right)
        }
        _ => Err(fail(format!(
            "unsupported operand type(s) for %: '{}' and '{}'",
            super::python_types::python_type(left),
            super::python_types::python_type(right)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pyrepr::py_str;

    #[test]
    fn operators_are_rewritten_with_a_map_back() {
        let source = "a {{ '%s-%d' % (x, n % 3) }} b\n{% set y = (p % q) %}";
        let r = rewrite(source, "t").unwrap();
        assert_eq!(
            r.text,
            "a {{ __percent(('%s-%d'), ((x, __percent((n), (3))))) }} b\n{% set y = (__percent((p), (q))) %}"
        );
        // `b` after the first expression maps back to its place in the source.
        assert_eq!(
            r.original(r.text.find(" b\n").unwrap()),
            source.find(" b\n").unwrap()
        );
        assert!(rewrite("{{ 100 }}%", "t").is_none());
    }

    #[test]
    fn python_rules() {
        let v = |x: Value, y: Value| {
            percent(&x, &y)
                .map(|r| py_str(&r))
                .unwrap_or_else(|e| e.to_string())
        };
        assert_eq!(v(Value::from(-7), Value::from(3)), "2");
        assert_eq!(v(Value::from(7), Value::from(-3)), "-2");
        assert_eq!(v(Value::from(7.5), Value::from(2)), "1.5");
        assert_eq!(v(Value::from(-0.5), Value::from(2)), "1.5");
        assert_eq!(
            v(
                Value::from("%s-%s"),
                Value::from(minijinja::value::Tuple::from([
                    Value::from(1),
                    Value::from("a")
                ]))
            ),
            "1-a"
        );
        assert_eq!(v(Value::from("abc"), Value::from(vec![1, 2])), "abc");
        assert!(v(Value::from(1), Value::from(0)).contains("modulo by zero"));
        assert!(v(Value::from("abc"), Value::from(1)).contains("not all arguments converted"));
    }
}
