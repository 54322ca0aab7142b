//! One stack's render with its provenance: the engine's output spans say which `{{ … }}` printed
//! each range of the output, so the migration sees every expression's value in place. The
//! marked text wraps each printed value in private-use markers naming its expression site;
//! parsed as YAML, a scalar then shows which of its characters came from which expression.

use crate::render::proton_filters::{reindent_mapped, BLOCK_START};
use crate::render::Renderer;
use crate::Diagnostic;
use minijinja::{OutputSpanKind, Value};
use std::ops::Range;

/// Opens a marked value: `MARK_OPEN site MARK_SEP value MARK_CLOSE`.
pub const MARK_OPEN: char = '\u{E010}';
pub const MARK_SEP: char = '\u{E011}';
pub const MARK_CLOSE: char = '\u{E012}';
/// Stands for the loop value in a `Fn::ForEach` key pattern while the merge builds it.
pub const MARK_LOOP_VALUE: char = '\u{E013}';

/// One `{{ … }}` of a template (the same site in every stack).
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub template: String,
    pub source: Range<usize>,
    /// The expression as written, whitespace collapsed.
    pub expression: String,
    pub line: usize,
    /// True when it printed YAML structure (line breaks, a Proton filter block) somewhere: its
    /// text is written as rendered, not as a parameter.
    pub structural: bool,
}

/// The sites met so far, shared by the stacks of one template.
#[derive(Debug, Default)]
pub struct Sites(pub Vec<Site>);

impl Sites {
    fn id(&mut self, template: &str, source: Range<usize>, text: &str, line: usize) -> usize {
        if let Some(i) = self
            .0
            .iter()
            .position(|s| s.template == template && s.source == source)
        {
            return i;
        }
        self.0.push(Site {
            template: template.to_string(),
            source,
            expression: text.split_whitespace().collect::<Vec<_>>().join(" "),
            line,
            structural: false,
        });
        self.0.len() - 1
    }
}

/// A traced render of one template for one stack.
#[derive(Debug)]
pub struct Traced {
    /// The rendered file, byte for byte the report's output.
    pub text: String,
    /// `text` with every scalar-printing expression's output wrapped in markers.
    pub marked: String,
    /// Output ranges of `text` with the template and source range that produced them.
    spans: Vec<(Range<usize>, String, Range<usize>, OutputSpanKind)>,
}

impl Traced {
    /// Renders `file` with spans. Expressions that print line breaks or Proton filter blocks
    /// print YAML structure: they are left unmarked (their text is compared as it is).
    pub fn render(
        renderer: &Renderer,
        sources: &std::collections::BTreeMap<String, String>,
        file: &str,
        context: &Value,
        sites: &mut Sites,
    ) -> Result<Traced, Diagnostic> {
        let source = sources.get(file).map(String::as_str).unwrap_or_default();
        let (raw, spans) = renderer.render_traced(file, source, context)?;
        let (text, map) = reindent_mapped(&raw);
        let mut marked = String::with_capacity(text.len() + spans.len() * 8);
        let mut mapped = Vec::with_capacity(spans.len());
        let mut copied = 0;
        for span in &spans {
            let range = map[span.output_range().start]..map[span.output_range().end];
            let kind = span.kind();
            // Offsets in the template as written (the engine loaded `%` rewritten).
            let source_range = renderer.original_range(span.name(), span.source_range());
            mapped.push((
                range.clone(),
                span.name().to_string(),
                source_range.clone(),
                kind,
            ));
            if kind != OutputSpanKind::Expression {
                continue;
            }
            let printed = &raw[span.output_range()];
            let template_source = sources.get(span.name()).map(String::as_str).unwrap_or("");
            let expression = template_source.get(source_range.clone()).unwrap_or("");
            let site = sites.id(span.name(), source_range, expression, span.line());
            if printed.contains('\n') || printed.contains(BLOCK_START) {
                sites.0[site].structural = true;
                continue;
            }
            marked.push_str(&text[copied..range.start]);
            marked.push(MARK_OPEN);
            marked.push_str(&site.to_string());
            marked.push(MARK_SEP);
            marked.push_str(&text[range.clone()]);
            marked.push(MARK_CLOSE);
            copied = range.end;
        }
        marked.push_str(&text[copied..]);
        Ok(Traced {
            text,
            marked,
            spans: mapped,
        })
    }

    /// The template and the offset in its source that produced byte `offset` of the text.
    pub fn origin(&self, offset: usize) -> Option<(&str, usize)> {
        self.spans
            .iter()
            .find(|(range, ..)| range.contains(&offset))
            .map(|(range, name, source, kind)| match kind {
                OutputSpanKind::Raw => (
                    name.as_str(),
                    (source.start + (offset - range.start)).min(source.end),
                ),
                _ => (name.as_str(), source.start),
            })
    }
}

/// A scalar split at its markers: literal text and `(site, printed value)` pieces.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Printed(usize, String),
}

/// The pieces of a marked string; `None` when a marker is cut (a value printed YAML syntax).
pub fn pieces(marked: &str) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find(MARK_OPEN) {
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_string()));
        }
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        let sep = after.find(MARK_SEP)?;
        let site = after[..sep].parse().ok()?;
        let value_start = &after[sep + MARK_SEP.len_utf8()..];
        let close = value_start.find(MARK_CLOSE)?;
        let value = &value_start[..close];
        if value.contains([MARK_OPEN, MARK_SEP]) {
            return None;
        }
        out.push(Piece::Printed(site, value.to_string()));
        rest = &value_start[close + MARK_CLOSE.len_utf8()..];
    }
    if rest.contains([MARK_SEP, MARK_CLOSE]) {
        return None;
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Some(out)
}

/// The text without markers.
pub fn unmarked(marked: &str) -> String {
    match pieces(marked) {
        Some(pieces) => pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Printed(_, t) => t,
            })
            .collect(),
        None => marked.replace([MARK_OPEN, MARK_SEP, MARK_CLOSE], ""),
    }
}
