//! The template as minijinja loads it. Constructs whose Python meaning minijinja does not have
//! are written as calls to functions with Python's rules, with a map back to the source as
//! written so that locations stay those of the template:
//! - `a % b` → `__percent((a), (b))` (text formatting or the remainder: `percent.rs`);
//! - `a + b` → `__add((a), (b))` and `a * b` → `__multiply((a), (b))` (Python's types,
//!   markupsafe's escaping, the text budget: `arithmetic.rs`); `a ~ b` as `__plain((a ~ b))`
//!   (Jinja2 joins with `str`: never `Markup`);
//! - a macro whose body reads `varargs` or `kwargs` takes them as arguments and is wrapped after
//!   its `{% endmacro %}` so that calls with extra arguments reach it as Jinja2 passes them
//!   (`variadic.rs`);
//! - the value a `set` unpacks into several names, and the items a `for` unpacks, as
//!   `__unpack((value))` and `__unpack_items((iterable))`: text unpacks into its characters
//!   (`unpack.rs`).

use super::lint::full_span;
use super::walk::{walk, Node};
use super::{arithmetic, percent, unpack, variadic};
use minijinja::machinery::ast::{BinOpKind, Expr, Stmt};
use minijinja::machinery::{parse, Span};
use minijinja::syntax::SyntaxConfig;
use std::ops::Range;

/// A template source with its constructs rewritten, and where its offsets come from.
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

/// The rewritten source, or `None` when nothing in it needs rewriting (or it does not parse:
/// the render reports that).
pub fn rewrite(source: &str, name: &str) -> Option<Rewritten> {
    if !source.contains(['%', '*', '+', '~', ',']) {
        return None;
    }
    let tree = parse(source, name, SyntaxConfig::default()).ok()?;
    let mut edits = Vec::new();
    walk(&tree, true, &mut |node| {
        self::edits(source, node, &mut edits)
    });
    if edits.is_empty() {
        return None;
    }
    // Outer edits first among those starting at the same place.
    edits.sort_by_key(|e: &Edit| (e.whole.start, std::cmp::Reverse(e.whole.end)));
    let mut out = Rewritten {
        text: String::with_capacity(source.len() + edits.len() * 16),
        copied: Vec::new(),
    };
    emit(source, 0..source.len(), None, &edits, &mut out);
    Some(out)
}

/// A piece of an edit's replacement.
enum Part {
    Text(String),
    /// A stretch of the source, itself rewritten.
    Source(Range<usize>),
}

/// `whole` (empty: an insertion) is replaced by `parts`.
struct Edit {
    whole: Range<usize>,
    parts: Vec<Part>,
}

fn range(span: Span) -> Range<usize> {
    span.start_offset as usize..span.end_offset as usize
}

/// `whole` as `function((arg), …)`: each argument a stretch of the source, itself rewritten.
fn call(function: &str, whole: &Expr, args: &[&Expr]) -> Edit {
    let mut parts = vec![Part::Text(format!("{function}("))];
    for (i, arg) in args.iter().enumerate() {
        let open = if i == 0 { "(" } else { ", (" };
        parts.push(Part::Text(open.into()));
        parts.push(Part::Source(range(full_span(arg))));
        parts.push(Part::Text(")".into()));
    }
    parts.push(Part::Text(")".into()));
    Edit {
        whole: range(full_span(whole)),
        parts,
    }
}

/// Writes `within` with the edits inside it applied. `expanding` is the edit whose replacement
/// holds `within`: edits of that same stretch up to it are already written around it.
fn emit(
    source: &str,
    within: Range<usize>,
    expanding: Option<usize>,
    edits: &[Edit],
    out: &mut Rewritten,
) {
    let copy = |from: usize, to: usize, out: &mut Rewritten| {
        if to > from {
            out.copied.push((out.text.len(), from, to - from));
            out.text.push_str(&source[from..to]);
        }
    };
    let mut at = within.start;
    for (i, edit) in edits.iter().enumerate() {
        let inside = edit.whole.start >= within.start && edit.whole.end <= within.end;
        let written = edit.whole == within && expanding.is_some_and(|e| i <= e);
        if !inside || written || edit.whole.start < at {
            continue; // elsewhere, or inside an edit already written
        }
        copy(at, edit.whole.start, out);
        for part in &edit.parts {
            match part {
                Part::Text(text) => out.text.push_str(text),
                Part::Source(r) => emit(source, r.clone(), Some(i), edits, out),
            }
        }
        at = edit.whole.end;
    }
    copy(at, within.end, out);
}

fn edits(source: &str, node: Node, found: &mut Vec<Edit>) {
    match node {
        Node::Stmt(Stmt::Macro(m)) => {
            found.extend(variadic::insertions(source, m, m.span()).into_iter().map(
                |(at, text)| Edit {
                    whole: at..at,
                    parts: vec![Part::Text(text)],
                },
            ));
        }
        Node::Stmt(Stmt::Set(set)) if matches!(set.target, Expr::List(_)) => {
            found.push(call(unpack::FUNCTION, &set.expr, &[&set.expr]));
        }
        Node::Stmt(Stmt::ForLoop(f)) if matches!(f.target, Expr::List(_)) => {
            found.push(call(unpack::ITEMS_FUNCTION, &f.iter, &[&f.iter]));
        }
        Node::Expr(e @ Expr::BinOp(b)) => match b.op {
            BinOpKind::Rem => found.push(call(percent::FUNCTION, e, &[&b.left, &b.right])),
            BinOpKind::Add => found.push(call(arithmetic::ADD, e, &[&b.left, &b.right])),
            BinOpKind::Concat => found.push(call(arithmetic::PLAIN, e, &[e])),
            BinOpKind::Mul => found.push(call(arithmetic::MULTIPLY, e, &[&b.left, &b.right])),
            _ => {}
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_rewritten_with_a_map_back() {
        let source = "a {{ '%s-%d' % (x, n % 3) }} b\n{% set y = (p % q) * 2 % 3 %}";
        let r = rewrite(source, "t").unwrap();
        assert_eq!(
            r.text,
            "a {{ __percent(('%s-%d'), ((x, __percent((n), (3))))) }} b\n{% set y = __percent((__multiply((__percent((p), (q))), (2))), (3)) %}"
        );
        // `b` after the first expression maps back to its place in the source.
        assert_eq!(
            r.original(r.text.find(" b\n").unwrap()),
            source.find(" b\n").unwrap()
        );
        assert!(rewrite("{{ 100 }}%", "t").is_none());
        // Several names (a list target to the parser) unpack.
        assert_eq!(
            rewrite("{% set a, b = x %}{% for k, v in y % 2 %}{% endfor %}", "t").unwrap().text,
            "{% set a, b = __unpack((x)) %}{% for k, v in __unpack_items((__percent((y), (2)))) %}{% endfor %}"
        );
    }
}
