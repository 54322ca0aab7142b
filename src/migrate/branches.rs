//! The `{% if %}` branches and `{% for %}` bodies of a template, by source range: what made a
//! part of the output appear in some stacks and not others, to name the CloudFormation
//! condition after it and to point a fallback at it.

use crate::render::lint::full_span;
use minijinja::machinery::ast::Stmt;
use minijinja::machinery::{parse, Span};
use minijinja::syntax::SyntaxConfig;
use std::ops::Range;

/// A body of a template that runs only sometimes.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    /// The body's source range.
    pub body: Range<usize>,
    /// The `if` condition (`None` for a `for` body), and whether this is its `else` side.
    pub condition: Option<String>,
    pub negated: bool,
    /// The loop's `for … in …` header, for a `for` body.
    pub loop_header: Option<String>,
    /// Line of the tag that opens the body.
    pub line: usize,
}

/// Every conditional and repeated body of `source`, outer ones first.
pub fn branches(source: &str, file: &str) -> Vec<Branch> {
    let Ok(tree) = parse(source, file, SyntaxConfig::default()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    visit(&tree, source, &mut out);
    out
}

fn body_range(body: &[Stmt]) -> Option<Range<usize>> {
    let first = span_of(body.first()?);
    let last = span_of(body.last()?);
    Some(first.start_offset as usize..last.end_offset as usize)
}

fn span_of(stmt: &Stmt) -> Span {
    match stmt {
        Stmt::Template(s) => s.span(),
        Stmt::EmitExpr(s) => s.span(),
        Stmt::EmitRaw(s) => s.span(),
        Stmt::ForLoop(s) => s.span(),
        Stmt::IfCond(s) => s.span(),
        Stmt::WithBlock(s) => s.span(),
        Stmt::Set(s) => s.span(),
        Stmt::SetBlock(s) => s.span(),
        Stmt::AutoEscape(s) => s.span(),
        Stmt::FilterBlock(s) => s.span(),
        Stmt::Block(s) => s.span(),
        Stmt::Import(s) => s.span(),
        Stmt::FromImport(s) => s.span(),
        Stmt::Extends(s) => s.span(),
        Stmt::Include(s) => s.span(),
        Stmt::Macro(s) => s.span(),
        Stmt::CallBlock(s) => s.span(),
        Stmt::Do(s) => s.span(),
    }
}

fn text(source: &str, span: Span) -> String {
    source
        .get(span.start_offset as usize..span.end_offset as usize)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn visit(stmt: &Stmt, source: &str, out: &mut Vec<Branch>) {
    let all =
        |body: &[Stmt], out: &mut Vec<Branch>| body.iter().for_each(|s| visit(s, source, out));
    match stmt {
        Stmt::Template(t) => all(&t.children, out),
        Stmt::IfCond(i) => {
            let condition = text(source, full_span(&i.expr));
            let line = i.span().start_line as usize;
            for (body, negated) in [(&i.true_body, false), (&i.false_body, true)] {
                if let Some(range) = body_range(body) {
                    out.push(Branch {
                        body: range,
                        condition: Some(condition.clone()),
                        negated,
                        loop_header: None,
                        line,
                    });
                }
                all(body, out);
            }
        }
        Stmt::ForLoop(f) => {
            if let Some(range) = body_range(&f.body) {
                out.push(Branch {
                    body: range,
                    condition: None,
                    negated: false,
                    loop_header: Some(format!(
                        "for {} in {}",
                        text(source, full_span(&f.target)),
                        text(source, full_span(&f.iter))
                    )),
                    line: f.span().start_line as usize,
                });
            }
            all(&f.body, out);
            all(&f.else_body, out);
        }
        Stmt::WithBlock(w) => all(&w.body, out),
        Stmt::AutoEscape(a) => all(&a.body, out),
        Stmt::FilterBlock(f) => all(&f.body, out),
        Stmt::SetBlock(s) => all(&s.body, out),
        Stmt::Block(b) => all(&b.body, out),
        _ => {}
    }
}

/// The innermost body of `branches` holding `offset`.
pub fn innermost(branches: &[Branch], offset: usize) -> Option<&Branch> {
    branches
        .iter()
        .filter(|b| b.body.contains(&offset))
        .min_by_key(|b| b.body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_ifs_and_loops() {
        let source = "a\n{% if x.y %}\nB\n{% else %}\nC\n{% endif %}\n{% for s in subnets %}- {{ s }}\n{% endfor %}\n";
        let found = branches(source, "t");
        assert_eq!(found.len(), 3);
        let at = |needle: &str| innermost(&found, source.find(needle).unwrap()).cloned();
        let b = at("B").unwrap();
        assert_eq!(
            (b.condition.as_deref(), b.negated, b.line),
            (Some("x.y"), false, 2)
        );
        assert!(at("C").unwrap().negated);
        assert_eq!(
            at("{{ s").unwrap().loop_header.as_deref(),
            Some("for s in subnets")
        );
        assert_eq!(at("a\n"), None);
    }
}
