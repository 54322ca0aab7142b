//! Static checks on a template's syntax tree, before rendering: Jinja2 constructs the playground
//! cannot run (`{% do %}`, `list.append`), pre-GA variable names, and the common
//! mistakes of docs/proton-semantics.md §12, each located at its expression.

use crate::diagnostic::{Diagnostic, Severity, Subject};
use minijinja::machinery::ast::{BinOpKind, CallArg, CompareOpKind, Expr, Stmt};
use minijinja::machinery::{parse, Span};
use minijinja::syntax::SyntaxConfig;

use super::probes::{Check, Probe};
use super::proton_filters::BLOCK_FILTERS;

/// Which target a template renders for; decides which names exist (docs/proton-semantics.md §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Environment,
    ServiceInstance,
    Pipeline,
    Component,
}

/// A variable path a template reads, with loop variables over `service_instances` expanded
/// (`inst.environment.outputs.Vpc` → `service_instances.[].environment.outputs.Vpc`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reference {
    pub path: Vec<String>,
    /// Read through `| default(...)`, an `is defined` test or inside a guarding `if`.
    pub guarded: bool,
    pub line: u32,
}

/// What the syntax tree of a template tells: lint findings and the variables it reads.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    pub references: Vec<Reference>,
    /// Constructs to check against the render's context (`probes.rs`).
    pub probes: Vec<Probe>,
}

/// Analyzes `source`. A syntax error gives an empty analysis (the render reports it).
pub fn analyze(source: &str, file: &str, scope: Scope) -> Analysis {
    let Ok(tree) = parse(source, file, SyntaxConfig::default()) else {
        return Analysis::default();
    };
    let mut linter = Linter {
        source,
        file,
        scope,
        out: Vec::new(),
        guards: 0,
        aliases: Vec::new(),
        refs: Vec::new(),
        conditions: Vec::new(),
        depth: 0,
        probes: Vec::new(),
        block_lines: Vec::new(),
    };
    linter.stmt(&tree);
    Analysis {
        diagnostics: linter.out,
        references: linter.refs,
        probes: linter.probes,
    }
}

/// Lints `source`; see [`analyze`].
pub fn lint(source: &str, file: &str, scope: Scope) -> Vec<Diagnostic> {
    analyze(source, file, scope).diagnostics
}

/// The pre-GA or typo reading of a dotted name, with its fix (docs/proton-semantics.md §12).
pub fn pre_ga_hint(expr: &str) -> Option<String> {
    let parts: Vec<&str> = expr.split('.').collect();
    let hint = match parts.as_slice() {
        ["environment", "input", ..] => "typo: environment.input.X → environment.inputs.X".to_string(),
        ["service_instance", "environment", "outputs", ..] => {
            "typo: service_instance.environment.outputs.X → environment.outputs.X".to_string()
        }
        ["environment", x, ..] if !matches!(*x, "name" | "inputs" | "outputs" | "account_id") => format!(
            "pre-GA name: environment.{x} → environment.inputs.{x} (environment templates) or environment.outputs.{x} (others)"
        ),
        ["service_instance", x, ..] if !matches!(*x, "name" | "inputs" | "components" | "environment") => {
            format!("pre-GA name: service_instance.{x} → service_instance.inputs.{x}")
        }
        ["pipeline", x, ..] if *x != "inputs" => format!("pre-GA name: pipeline.{x} → pipeline.inputs.{x}"),
        ["service_name"] => "pre-GA name: service_name → service.name".to_string(),
        ["service_instance_name"] => "pre-GA name: service_instance_name → service_instance.name".to_string(),
        ["source", "repository", ..] => "pre-GA name: source.repository → service.repository_id".to_string(),
        ["source", "branch", ..] => "pre-GA name: source.branch → service.branch_name".to_string(),
        ["source", "connection_arn", ..] => {
            "pre-GA name: source.connection_arn → service.repository_connection_arn".to_string()
        }
        [_, "spec", ..] if expr.starts_with("service_instances") || parts[0] == "instance" => {
            "pre-GA name: service_instances[i].spec.X → service_instances[i].inputs.X".to_string()
        }
        _ => return None,
    };
    Some(hint)
}

/// The span of an expression with all its operands.
pub(crate) fn full_span(expr: &Expr) -> Span {
    let widen = |span: Span, inner: Span| {
        let mut span = span;
        if inner.start_offset < span.start_offset {
            span.start_offset = inner.start_offset;
            span.start_line = inner.start_line;
            span.start_col = inner.start_col;
        }
        if inner.end_offset > span.end_offset {
            span.end_offset = inner.end_offset;
            span.end_line = inner.end_line;
            span.end_col = inner.end_col;
        }
        span
    };
    let span = expr.span();
    match expr {
        Expr::GetAttr(g) => widen(span, full_span(&g.expr)),
        Expr::GetItem(g) => widen(
            widen(span, full_span(&g.expr)),
            full_span(&g.subscript_expr),
        ),
        Expr::Filter(f) => f.expr.as_ref().map_or(span, |e| widen(span, full_span(e))),
        Expr::Test(t) => widen(span, full_span(&t.expr)),
        Expr::Call(c) => widen(span, full_span(&c.expr)),
        Expr::BinOp(b) => widen(widen(span, full_span(&b.left)), full_span(&b.right)),
        Expr::UnaryOp(u) => widen(span, full_span(&u.expr)),
        Expr::Compare(c) => c.ops.iter().fold(widen(span, full_span(&c.expr)), |s, op| {
            widen(s, full_span(&op.expr))
        }),
        _ => span,
    }
}

/// Dotted path of a variable lookup: `a.b['c'].d` → `["a", "b", "c", "d"]`.
pub fn lookup_path(expr: &Expr) -> Option<Vec<String>> {
    match expr {
        Expr::Var(v) => Some(vec![v.id.to_string()]),
        Expr::GetAttr(g) => {
            let mut p = lookup_path(&g.expr)?;
            p.push(g.name.to_string());
            Some(p)
        }
        Expr::GetItem(g) => {
            let mut p = lookup_path(&g.expr)?;
            match &g.subscript_expr {
                Expr::Const(c) => p.push(super::pyrepr::py_str(&c.value)),
                _ => p.push("[]".to_string()),
            }
            Some(p)
        }
        _ => None,
    }
}

const DICT_METHODS: [&str; 7] = ["items", "keys", "values", "get", "update", "pop", "copy"];
const MUTATING: [&str; 9] = [
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "update",
    "setdefault",
    "popitem",
    "clear",
];

struct Linter<'s> {
    source: &'s str,
    file: &'s str,
    scope: Scope,
    out: Vec<Diagnostic>,
    /// Depth of `{% if … %}` blocks whose test mentions `is defined` or `components.default`.
    guards: usize,
    /// Loop variables bound to an item of a known list: name → path of the item.
    aliases: Vec<(String, Vec<String>)>,
    refs: Vec<Reference>,
    /// The `{% if %}` tests around the current statement, and which branch it is in.
    conditions: Vec<(String, bool)>,
    /// Loops, macros, `and`/`or` right sides and inline-if branches around it: a probe there
    /// would need their variables, or might never run.
    depth: usize,
    probes: Vec<Probe>,
    /// Lines holding a `{{ … }}` that applies one of Proton's multi-line filters.
    block_lines: Vec<u32>,
}

impl Linter<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &str,
        message: String,
        span: Span,
        hint: Option<String>,
    ) {
        let (line, column) = self.position(span);
        let mut d = Diagnostic::new(severity, code, message)
            .in_file(self.file)
            .at(line, column);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.out.push(d);
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Template(t) => self.stmts(&t.children),
            Stmt::EmitExpr(e) => {
                self.block_filter_line(&e.expr);
                self.expr(&e.expr, Ctx::Plain)
            }
            Stmt::EmitRaw(_) => {}
            Stmt::ForLoop(f) => {
                if let (true, Some(filter)) = (f.recursive, &f.filter_expr) {
                    self.push(
                        Severity::Error,
                        "template-unsupported",
                        "a `recursive` loop with an `if` filter: Jinja2 filters the items of every `loop(…)` call too, the engine only the first level".into(),
                        full_span(filter),
                        Some("test the item inside the loop: `{% if … %}…{% endif %}`".into()),
                    );
                }
                self.expr(&f.iter, Ctx::Plain);
                let whole = self.source_of(f.span());
                let counts = ["loop.length", "loop.last", "loop.revindex"]
                    .iter()
                    .any(|m| whole.contains(m));
                let iterable = self.expr_source(&f.iter).to_string();
                self.probe(Check::Loop { iterable, counts }, f.iter.span());
                self.depth += 1;
                let alias = match (&f.target, lookup_path(&f.iter)) {
                    (Expr::Var(v), Some(path)) => {
                        let mut item = self.expand(path);
                        item.push("[]".into());
                        Some((v.id.to_string(), item))
                    }
                    _ => None,
                };
                let bound = alias.is_some();
                self.aliases.extend(alias);
                if let Some(e) = &f.filter_expr {
                    self.expr(e, Ctx::Plain);
                }
                self.stmts(&f.body);
                if bound {
                    self.aliases.pop();
                }
                self.depth -= 1;
                self.stmts(&f.else_body);
            }
            Stmt::IfCond(i) => {
                self.expr(&i.expr, Ctx::Guard);
                let guard = self.expr_source(&i.expr).to_string();
                let guarded = guard.contains("defined") || guard.contains("components.default");
                self.guards += guarded as usize;
                self.conditions.push((guard.clone(), true));
                self.stmts(&i.true_body);
                self.conditions.pop();
                self.guards -= guarded as usize;
                self.conditions.push((guard, false));
                self.stmts(&i.false_body);
                self.conditions.pop();
            }
            Stmt::WithBlock(w) => {
                // Jinja2 evaluates every value in the enclosing scope; minijinja one after the
                // other, so a value reading a name the same `with` set before differs.
                let mut set: Vec<&str> = Vec::new();
                for (target, value) in &w.assignments {
                    let mut reads_set: Option<String> = None;
                    super::walk::each_expr_of(value, &mut |e| {
                        if let Expr::Var(v) = e {
                            if set.contains(&v.id) {
                                reads_set = Some(v.id.to_string());
                            }
                        }
                    });
                    if let Some(name) = reads_set {
                        self.push(
                            Severity::Error,
                            "template-unsupported",
                            format!("a `with` value reads `{name}`, which the same `with` sets: Jinja2 reads the `{name}` outside it, the engine the new one"),
                            full_span(value),
                            Some(format!("set `{name}` in an inner `{{% with %}}`, or name the outer value differently")),
                        );
                    }
                    if let Expr::Var(v) = target {
                        set.push(v.id);
                    }
                    self.expr(value, Ctx::Plain);
                }
                self.stmts(&w.body);
            }
            Stmt::Set(s) => self.expr(&s.expr, Ctx::Plain),
            Stmt::SetBlock(s) => self.stmts(&s.body),
            Stmt::AutoEscape(a) => self.stmts(&a.body),
            Stmt::FilterBlock(f) => self.stmts(&f.body),
            Stmt::Block(b) => self.stmts(&b.body),
            Stmt::Macro(m) => {
                self.depth += 1;
                self.stmts(&m.body);
                self.depth -= 1;
            }
            Stmt::CallBlock(c) => {
                self.depth += 1;
                self.stmts(&c.macro_decl.body);
                self.depth -= 1;
            }
            Stmt::Import(i) => self.include_warning(i.expr.span()),
            Stmt::FromImport(i) => self.include_warning(i.expr.span()),
            Stmt::Include(i) => self.include_warning(i.name.span()),
            Stmt::Extends(e) => self.include_warning(e.name.span()),
            Stmt::Do(d) => self.push(
                Severity::Error,
                "template-syntax",
                "unknown tag 'do'".into(),
                d.span(),
                Some("Proton enables no Jinja extensions: rewrite with {% set %}".into()),
            ),
        }
    }

    /// Proton re-indents a multi-line filter's output after the column its `{{` stands at; how it
    /// indented a second such block on the same line is not documented (REFERENCE §8), so that
    /// is refused rather than guessed.
    fn block_filter_line(&mut self, expr: &Expr) {
        // The filter chain's names, not the text: a string that mentions a filter is no block.
        fn applies_block_filter(expr: &Expr) -> bool {
            match expr {
                Expr::Filter(f) => {
                    super::proton_filters::BLOCK_FILTERS.contains(&f.name)
                        || f.expr.as_ref().is_some_and(applies_block_filter)
                }
                _ => false,
            }
        }
        if !applies_block_filter(expr) {
            return;
        }
        let span = full_span(expr);
        let line = u32::from(span.start_line);
        if self.block_lines.contains(&line) {
            self.push(
                Severity::Error,
                "template-block-filters",
                "two multi-line Proton filter blocks on one line: how Proton indented the second is not documented, so it is not guessed".into(),
                span,
                Some("put each `{{ … | proton_cfn_… }}` on a line of its own".into()),
            );
        } else {
            self.block_lines.push(line);
        }
    }

    /// `.name` of a dict where `name` is one of its methods: Jinja2 finds the method (and prints
    /// it with its address), the engine the key — an error with the subscript to write.
    fn dict_method(&mut self, name: &str, base: &Expr, span: Span) {
        let base = self.source_of(full_span(base)).to_string();
        self.push(
            Severity::Error,
            "template-dict-method",
            format!("`.{name}` reads the dict method, not the key '{name}'"),
            span,
            Some(format!("write {base}['{name}']")),
        );
        if let Some(d) = self.out.pop() {
            self.out.push(d.about(Subject::Variable {
                path: format!("{base}.{name}"),
            }));
        }
    }

    /// Records a construct to check against the render's context, when it reads no loop or
    /// macro variable (outside loops and macros).
    fn probe(&mut self, check: Check, span: Span) {
        if self.depth > 0 {
            return;
        }
        let (line, column) = self.position(span);
        self.probes.push(Probe {
            check,
            guards: self.conditions.clone(),
            line,
            column,
        });
    }

    /// 1-based line and column (in characters) where `span` starts.
    fn position(&self, span: Span) -> (u32, u32) {
        let start = (span.start_offset as usize).min(self.source.len());
        let line_start = self.source[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self
            .source
            .get(line_start..start)
            .map_or(1, |s| s.chars().count() as u32 + 1);
        (span.start_line as u32, column)
    }

    /// Replaces a loop variable at the head of `path` by the item path it is bound to.
    fn expand(&self, path: Vec<String>) -> Vec<String> {
        match self
            .aliases
            .iter()
            .rev()
            .find(|(name, _)| path.first() == Some(name))
        {
            Some((_, item)) => item
                .iter()
                .cloned()
                .chain(path.into_iter().skip(1))
                .collect(),
            None => path,
        }
    }

    fn include_warning(&mut self, span: Span) {
        self.push(
            Severity::Warning,
            "template-include",
            "include/import/extends: whether Proton resolved other template files is unknown"
                .into(),
            span,
            Some("paths resolve from the bundle root here; inline the file to be safe".into()),
        );
    }

    /// The source of a whole expression: minijinja spans an attribute or item lookup, a filter
    /// or a call from its operator on, so the span is widened over its operands.
    fn expr_source(&self, expr: &Expr) -> &str {
        let span = full_span(expr);
        self.source_of(span)
    }

    fn source_of(&self, span: Span) -> &str {
        self.source
            .get(span.start_offset as usize..span.end_offset as usize)
            .unwrap_or_default()
    }

    fn args(&mut self, args: &[CallArg]) {
        for a in args {
            match a {
                CallArg::Pos(e)
                | CallArg::Kwarg(_, e)
                | CallArg::PosSplat(e)
                | CallArg::KwargSplat(e) => self.expr(e, Ctx::Plain),
            }
        }
    }

    fn expr(&mut self, expr: &Expr, ctx: Ctx) {
        match expr {
            Expr::Var(_) | Expr::GetAttr(_) | Expr::GetItem(_) => {
                // `{'items': 1}.items` is the dict's method to Jinja2 (printed with its address),
                // the key's value to the engine.
                if let Expr::GetAttr(g) = expr {
                    if matches!(g.expr, Expr::Map(_)) && DICT_METHODS.contains(&g.name) {
                        self.dict_method(g.name, &g.expr, full_span(expr));
                    }
                }
                self.lookup(expr, ctx)
            }
            Expr::Const(_) => {}
            Expr::Slice(s) => {
                let operand = self.expr_source(&s.expr).to_string();
                self.probe(Check::Slice { operand }, full_span(expr));
                self.expr(&s.expr, Ctx::Plain);
                for e in [&s.start, &s.stop, &s.step].into_iter().flatten() {
                    self.expr(e, Ctx::Plain);
                }
            }
            Expr::UnaryOp(u) => self.expr(&u.expr, ctx.inner()),
            Expr::BinOp(b) => {
                if matches!(b.op, BinOpKind::Sub) {
                    if let (Some(left), Expr::Var(right)) = (lookup_path(&b.left), &b.right) {
                        if left.len() > 1 && !self.source_of(b.span()).contains(' ') {
                            let name = left[left.len() - 1].clone();
                            let base = left[..left.len() - 1].join(".");
                            self.push(
                                Severity::Warning,
                                "template-hyphen-key",
                                format!(
                                    "`{}` is parsed as a subtraction",
                                    self.source_of(b.span())
                                ),
                                b.span(),
                                Some(format!("write {base}['{name}-{}']", right.id)),
                            );
                        }
                    }
                }
                let (left, right) = (
                    self.expr_source(&b.left).to_string(),
                    self.expr_source(&b.right).to_string(),
                );
                let order = match b.op {
                    BinOpKind::Lt => Some("<"),
                    BinOpKind::Lte => Some("<="),
                    BinOpKind::Gt => Some(">"),
                    BinOpKind::Gte => Some(">="),
                    _ => None,
                };
                if let Some(op) = order {
                    self.probe(Check::Order { op, left, right }, full_span(expr));
                } else if matches!(b.op, BinOpKind::Mul) {
                    self.probe(Check::Multiply { left, right }, full_span(expr));
                } else if matches!(b.op, BinOpKind::Concat) {
                    // A float literal the engine would join in another notation than Python's.
                    for side in [&b.left, &b.right] {
                        let Expr::Const(c) = side else { continue };
                        let Ok(f) = f64::try_from(c.value.clone()) else {
                            continue;
                        };
                        let float = c.value.kind() == minijinja::value::ValueKind::Number
                            && !c.value.is_integer();
                        if float && f != 0.0 && (f.abs() >= 1e16 || f.abs() < 1e-4) {
                            let literal = self.source_of(side.span()).to_string();
                            self.push(
                                Severity::Error,
                                "template-unsupported",
                                format!("`~` joins the float {literal} to text: Jinja2 writes it as Python does, the engine in another notation"),
                                full_span(expr),
                                Some(format!("write `({literal} | string)`, which the playground writes as Python does")),
                            );
                        }
                    }
                    for side in [&b.left, &b.right] {
                        if !matches!(side, Expr::Const(_))
                            && !matches!(side, Expr::BinOp(inner) if matches!(inner.op, BinOpKind::Concat))
                        {
                            let operand = self.expr_source(side).to_string();
                            self.probe(Check::Concat { operand }, full_span(expr));
                        }
                    }
                } else if matches!(b.op, BinOpKind::In) {
                    let check = Check::Contains {
                        item: left,
                        container: right,
                    };
                    self.probe(check, full_span(expr));
                }
                let short_circuit = matches!(b.op, BinOpKind::ScAnd | BinOpKind::ScOr);
                let inner = if short_circuit {
                    ctx.inner()
                } else {
                    Ctx::Plain
                };
                self.expr(&b.left, inner);
                // The right of `and` / `or` runs only sometimes: no probe in it.
                self.depth += short_circuit as usize;
                self.expr(&b.right, inner);
                self.depth -= short_circuit as usize;
            }
            Expr::Compare(c) => {
                self.expr(&c.expr, Ctx::Plain);
                let mut left = &c.expr;
                for op in &c.ops {
                    self.expr(&op.expr, Ctx::Plain);
                    let (a, b) = (
                        self.expr_source(left).to_string(),
                        self.expr_source(&op.expr).to_string(),
                    );
                    let check = match op.op {
                        CompareOpKind::Lt => Some(("<", a, b)),
                        CompareOpKind::Lte => Some(("<=", a, b)),
                        CompareOpKind::Gt => Some((">", a, b)),
                        CompareOpKind::Gte => Some((">=", a, b)),
                        CompareOpKind::In | CompareOpKind::NotIn => {
                            self.probe(
                                Check::Contains {
                                    item: a,
                                    container: b,
                                },
                                c.span(),
                            );
                            None
                        }
                        CompareOpKind::Eq | CompareOpKind::Ne => None,
                    };
                    if let Some((op, left, right)) = check {
                        self.probe(Check::Order { op, left, right }, c.span());
                    }
                    left = &op.expr;
                }
            }
            Expr::IfExpr(i) => {
                self.expr(&i.test_expr, Ctx::Guard);
                // Either branch runs only sometimes: no probe in them.
                self.depth += 1;
                self.expr(&i.true_expr, Ctx::Plain);
                if let Some(e) = &i.false_expr {
                    self.expr(e, Ctx::Plain);
                }
                self.depth -= 1;
            }
            Expr::Filter(f) => {
                if let Some(Expr::Filter(inner)) = &f.expr {
                    if BLOCK_FILTERS.contains(&inner.name) {
                        self.push(
                            Severity::Warning,
                            "template-filter-chain",
                            format!("the output of {} is piped into `{}`", inner.name, f.name),
                            f.span(),
                            Some("Proton's multi-line filters are re-indented only when printed directly".into()),
                        );
                    }
                }
                if let Some(e) = &f.expr {
                    let inner = if matches!(f.name, "default" | "d") {
                        Ctx::Defaulted
                    } else {
                        Ctx::Plain
                    };
                    self.expr(e, inner);
                }
                self.args(&f.args);
            }
            Expr::Test(t) => {
                // `a is b is c` is a syntax error to Jinja2; `(a is b) is c` is not (the
                // parentheses are gone from the tree: the text between says which it was).
                if let Expr::Test(inner) = &t.expr {
                    let end = full_span(&inner.expr)
                        .end_offset
                        .max(inner.span().end_offset) as usize;
                    let after = self.source.get(end..).unwrap_or_default().trim_start();
                    if !after.starts_with(')') {
                        self.push(
                            Severity::Error,
                            "template-syntax",
                            "You cannot chain multiple tests with is".into(),
                            t.span(),
                            Some("Jinja2 refuses `a is b is c`: group the first test, `(a is b) is c`".into()),
                        );
                    }
                }
                let inner = if matches!(t.name, "defined" | "undefined") {
                    Ctx::Defaulted
                } else {
                    Ctx::Plain
                };
                self.expr(&t.expr, inner);
                self.args(&t.args);
            }
            Expr::Call(c) => {
                if let Expr::GetAttr(g) = &c.expr {
                    if MUTATING.contains(&g.name) {
                        self.push(
                            Severity::Error,
                            "template-mutation",
                            format!("`.{}()` changes a value in place, which Jinja2 allows but the playground cannot run", g.name),
                            c.span(),
                            Some(super::methods::MUTATION_HINT.into()),
                        );
                    }
                    self.expr(&g.expr, Ctx::Plain);
                } else {
                    self.expr(&c.expr, Ctx::Plain);
                }
                self.args(&c.args);
            }
            Expr::List(l) => l.items.iter().for_each(|e| self.expr(e, Ctx::Plain)),
            Expr::Tuple(t) => t.items.iter().for_each(|e| self.expr(e, Ctx::Plain)),
            Expr::Map(m) => {
                for e in m.keys.iter().chain(m.values.iter()) {
                    self.expr(e, Ctx::Plain);
                }
            }
        }
    }

    fn lookup(&mut self, expr: &Expr, ctx: Ctx) {
        match expr {
            Expr::GetAttr(g) => self.expr(&g.expr, Ctx::Parent),
            Expr::GetItem(g) => {
                self.expr(&g.expr, Ctx::Parent);
                self.expr(&g.subscript_expr, Ctx::Plain);
            }
            _ => {}
        }
        if ctx == Ctx::Parent {
            return;
        }
        let Some(path) = lookup_path(expr) else {
            return;
        };
        let path = self.expand(path);
        // Every finding about this read names the variable.
        let first = self.out.len();
        self.variable(expr, ctx, path);
        let dotted = self
            .refs
            .last()
            .map(|r| r.path.join("."))
            .unwrap_or_default();
        for d in &mut self.out[first..] {
            d.subject = Some(Box::new(Subject::Variable {
                path: dotted.clone(),
            }));
        }
    }

    /// The checks of one variable read (`environment.inputs.x`), with its expanded path.
    fn variable(&mut self, expr: &Expr, ctx: Ctx, path: Vec<String>) {
        self.refs.push(Reference {
            path: path.clone(),
            guarded: matches!(ctx, Ctx::Defaulted | Ctx::Guard) || self.guards > 0,
            line: expr.span().start_line as u32,
        });
        let dotted = path.join(".");
        let span = expr.span();
        if let Some(hint) = pre_ga_hint(&dotted) {
            self.push(
                Severity::Warning,
                "template-pre-ga",
                format!("`{dotted}` is not a Proton variable"),
                span,
                Some(hint),
            );
            return;
        }
        if let Expr::GetAttr(g) = expr {
            if DICT_METHODS.contains(&g.name) {
                self.dict_method(g.name, &g.expr, span);
            }
        }
        let wrong_target = match (path[0].as_str(), self.scope) {
            ("environment", Scope::Pipeline) => Some("environment"),
            ("service_instance", Scope::Pipeline | Scope::Environment) => Some("service_instance"),
            ("service_instances" | "pipeline", s) if s != Scope::Pipeline => Some(path[0].as_str()),
            ("service", Scope::Environment)
            | ("component", Scope::Environment | Scope::ServiceInstance | Scope::Pipeline) => {
                Some(path[0].as_str())
            }
            _ => None,
        };
        if let Some(name) = wrong_target {
            self.push(
                Severity::Warning,
                "template-scope",
                format!(
                    "`{name}` is not available to {} templates",
                    scope_name(self.scope)
                ),
                span,
                Some("see docs/proton-semantics.md §6.1 for the variables of each target".into()),
            );
        } else if path.len() >= 2
            && path[0] == "environment"
            && path[1] == "outputs"
            && self.scope == Scope::Environment
        {
            self.push(
                Severity::Warning,
                "template-scope",
                "environment templates cannot read environment outputs".into(),
                span,
                Some("use environment.inputs.X".into()),
            );
        }
        let component_output = path.len() >= 5
            && path[..4] == ["service_instance", "components", "default", "outputs"];
        if component_output && ctx != Ctx::Defaulted && ctx != Ctx::Guard && self.guards == 0 {
            self.push(
                Severity::Warning,
                "template-component-output",
                format!("`{dotted}` fails whenever no component is attached"),
                span,
                Some("add | default('') or guard it with `{% if … is defined %}`".into()),
            );
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Plain,
    /// The operand of `default` or of an `is defined` test.
    Defaulted,
    /// An `if` test (`{% if x %}` / `a if x else b`).
    Guard,
    /// The object of an attribute or item lookup (only the full path is checked).
    Parent,
}

impl Ctx {
    fn inner(self) -> Ctx {
        if self == Ctx::Guard {
            Ctx::Guard
        } else {
            Ctx::Plain
        }
    }
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Environment => "environment",
        Scope::ServiceInstance => "service instance",
        Scope::Pipeline => "pipeline",
        Scope::Component => "component",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(src: &str, scope: Scope) -> Vec<String> {
        lint(src, "t.yaml", scope)
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn references_expand_loop_variables() {
        let src = "{% for inst in service_instances %}{{ inst.environment.outputs.Cluster }}{{ inst.outputs.X | default('') }}{% endfor %}{{ environment.outputs['Vpc'] }}";
        let refs = analyze(src, "t", Scope::Pipeline).references;
        let paths: Vec<(String, bool)> =
            refs.iter().map(|r| (r.path.join("."), r.guarded)).collect();
        assert!(
            paths.contains(&(
                "service_instances.[].environment.outputs.Cluster".into(),
                false
            )),
            "{paths:?}"
        );
        assert!(
            paths.contains(&("service_instances.[].outputs.X".into(), true)),
            "{paths:?}"
        );
        assert!(
            paths.contains(&("environment.outputs.Vpc".into(), false)),
            "{paths:?}"
        );
    }

    #[test]
    fn flags_unrunnable_jinja2() {
        assert!(codes("{{ '%s-%d' % ('a', 1) }}", Scope::Environment).is_empty());
        assert_eq!(
            codes("{% set _ = x.append(1) %}", Scope::Environment),
            ["template-mutation"]
        );
        assert_eq!(
            codes("{% do x.append(1) %}", Scope::Environment)[0],
            "template-syntax"
        );
    }

    #[test]
    fn refuses_two_proton_blocks_on_one_line_and_chained_tests() {
        let two = "A: {{ m | proton_cfn_lambda_function_formatted_env_vars }} B: {{ m | proton_cfn_lambda_function_formatted_env_vars }}";
        let named = "A: {{ m | proton_cfn_iam_policy_arns }} B: {{ 'proton_cfn_iam_policy_arns' }}";
        assert!(
            codes(named, Scope::ServiceInstance).is_empty(),
            "a string is no block"
        );
        assert_eq!(
            codes(two, Scope::ServiceInstance),
            ["template-block-filters"]
        );
        let apart = "A: {{ m | proton_cfn_lambda_function_formatted_env_vars }}\nB: {{ m | proton_cfn_iam_policy_arns }}";
        assert!(codes(apart, Scope::ServiceInstance).is_empty());
        assert_eq!(
            codes("{{ x is none is true }}", Scope::Environment),
            ["template-syntax"]
        );
        assert!(codes("{{ (x is none) is true }}", Scope::Environment).is_empty());
    }

    #[test]
    fn flags_pre_ga_names_and_typos() {
        assert_eq!(
            codes("{{ environment.ClusterName }}", Scope::ServiceInstance),
            ["template-pre-ga"]
        );
        assert_eq!(
            codes("{{ environment.input.x }}", Scope::Environment),
            ["template-pre-ga"]
        );
        assert_eq!(
            codes("{{ service_name }}", Scope::ServiceInstance),
            ["template-pre-ga"]
        );
        assert!(codes("{{ environment.outputs.Vpc }}", Scope::ServiceInstance).is_empty());
    }

    #[test]
    fn flags_common_mistakes() {
        assert_eq!(
            codes("{{ outputs.my-output }}", Scope::ServiceInstance),
            ["template-hyphen-key"]
        );
        assert_eq!(
            codes("{{ inputs.items }}", Scope::ServiceInstance),
            ["template-dict-method"]
        );
        assert_eq!(
            codes(
                "{{ service_instance.components.default.outputs.B }}",
                Scope::ServiceInstance
            ),
            ["template-component-output"]
        );
        assert!(codes(
            "{{ service_instance.components.default.outputs.B | default('') }}",
            Scope::ServiceInstance
        )
        .is_empty());
        assert!(codes(
            "{% if service_instance.components.default.outputs.B is defined %}{{ service_instance.components.default.outputs.B }}{% endif %}",
            Scope::ServiceInstance
        )
        .is_empty());
        assert_eq!(
            codes(
                "{{ x | proton_cfn_iam_policy_arns | upper }}",
                Scope::ServiceInstance
            ),
            ["template-filter-chain"]
        );
        assert_eq!(
            codes("{{ pipeline.inputs.x }}", Scope::ServiceInstance),
            ["template-scope"]
        );
        let found = lint("{{ pipeline.inputs.x }}", "t.yaml", Scope::ServiceInstance);
        assert_eq!(
            found[0].subject.as_deref(),
            Some(&Subject::Variable {
                path: "pipeline.inputs.x".into()
            })
        );
    }
}
