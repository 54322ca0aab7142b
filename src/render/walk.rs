//! A depth-first walk over a parsed template's statements and expressions: what the load-time
//! rewrites (`rewrite.rs`, `variadic.rs`) look for.

use minijinja::machinery::ast::{CallArg, Expr, Stmt};

/// A statement or an expression met by [`walk`].
pub(super) enum Node<'n, 'a> {
    Stmt(&'n Stmt<'a>),
    Expr(&'n Expr<'a>),
}

/// Calls `visit` on every expression in `body` and inside them, outside the macros `body`
/// defines.
pub(super) fn each_expr(body: &[Stmt], visit: &mut dyn FnMut(&Expr)) {
    let mut on = |node: Node| {
        if let Node::Expr(e) = node {
            visit(e);
        }
    };
    for s in body {
        walk(s, false, &mut on);
    }
}

/// Calls `visit` on `e` and every expression inside it.
pub(super) fn each_expr_of(e: &Expr, visit: &mut dyn FnMut(&Expr)) {
    expr(e, &mut |node| {
        if let Node::Expr(e) = node {
            visit(e);
        }
    });
}

/// Visits `s`, its statements and expressions depth first (macro bodies when `into_macros`).
pub(super) fn walk(s: &Stmt, into_macros: bool, visit: &mut dyn FnMut(Node)) {
    visit(Node::Stmt(s));
    let body = |b: &[Stmt], visit: &mut dyn FnMut(Node)| {
        b.iter().for_each(|s| walk(s, into_macros, visit));
    };
    match s {
        Stmt::Template(t) => body(&t.children, visit),
        Stmt::EmitExpr(e) => expr(&e.expr, visit),
        Stmt::EmitRaw(_) => {}
        Stmt::ForLoop(f) => {
            expr(&f.iter, visit);
            f.filter_expr.iter().for_each(|e| expr(e, visit));
            body(&f.body, visit);
            body(&f.else_body, visit);
        }
        Stmt::IfCond(i) => {
            expr(&i.expr, visit);
            body(&i.true_body, visit);
            body(&i.false_body, visit);
        }
        Stmt::WithBlock(w) => {
            w.assignments.iter().for_each(|(_, v)| expr(v, visit));
            body(&w.body, visit);
        }
        Stmt::Set(set) => expr(&set.expr, visit),
        Stmt::SetBlock(set) => {
            set.filter.iter().for_each(|e| expr(e, visit));
            body(&set.body, visit);
        }
        Stmt::AutoEscape(a) => body(&a.body, visit),
        Stmt::FilterBlock(f) => {
            expr(&f.filter, visit);
            body(&f.body, visit);
        }
        Stmt::Block(b) => body(&b.body, visit),
        Stmt::Import(_) | Stmt::FromImport(_) | Stmt::Extends(_) | Stmt::Include(_) => {}
        Stmt::Macro(m) => {
            if into_macros {
                m.defaults.iter().for_each(|e| expr(e, visit));
                body(&m.body, visit);
            }
        }
        Stmt::CallBlock(c) => {
            expr(&c.call.expr, visit);
            args(&c.call.args, visit);
            if into_macros {
                body(&c.macro_decl.body, visit);
            }
        }
        Stmt::Do(d) => {
            expr(&d.call.expr, visit);
            args(&d.call.args, visit);
        }
    }
}

fn args(list: &[CallArg], visit: &mut dyn FnMut(Node)) {
    for a in list {
        match a {
            CallArg::Pos(e)
            | CallArg::Kwarg(_, e)
            | CallArg::PosSplat(e)
            | CallArg::KwargSplat(e) => expr(e, visit),
        }
    }
}

fn expr(e: &Expr, visit: &mut dyn FnMut(Node)) {
    visit(Node::Expr(e));
    match e {
        Expr::Var(_) | Expr::Const(_) => {}
        Expr::Slice(s) => {
            expr(&s.expr, visit);
            [&s.start, &s.stop, &s.step]
                .into_iter()
                .flatten()
                .for_each(|e| expr(e, visit));
        }
        Expr::UnaryOp(u) => expr(&u.expr, visit),
        Expr::BinOp(b) => {
            expr(&b.left, visit);
            expr(&b.right, visit);
        }
        Expr::Compare(c) => {
            expr(&c.expr, visit);
            c.ops.iter().for_each(|op| expr(&op.expr, visit));
        }
        Expr::IfExpr(i) => {
            expr(&i.test_expr, visit);
            expr(&i.true_expr, visit);
            i.false_expr.iter().for_each(|e| expr(e, visit));
        }
        Expr::Filter(f) => {
            f.expr.iter().for_each(|e| expr(e, visit));
            args(&f.args, visit);
        }
        Expr::Test(t) => {
            expr(&t.expr, visit);
            args(&t.args, visit);
        }
        Expr::GetAttr(g) => expr(&g.expr, visit),
        Expr::GetItem(g) => {
            expr(&g.expr, visit);
            expr(&g.subscript_expr, visit);
        }
        Expr::Call(c) => {
            expr(&c.expr, visit);
            args(&c.args, visit);
        }
        Expr::List(l) => l.items.iter().for_each(|e| expr(e, visit)),
        Expr::Tuple(t) => t.items.iter().for_each(|e| expr(e, visit)),
        Expr::Map(m) => m.keys.iter().chain(&m.values).for_each(|e| expr(e, visit)),
    }
}
