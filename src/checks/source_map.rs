//! Which template line produced a rendered line, by aligning the two texts: a rendered line
//! equal to a literal template line maps to it (column included); otherwise the template line
//! whose literal text around `{{ … }}` / `{% … %}` matches best, nearest after the previous
//! match (loops repeat lines, so going back is allowed when nothing lies ahead).

use crate::yaml::Pos;
use std::collections::HashMap;

/// A template line as the matcher sees it.
enum Shape<'a> {
    /// No Jinja: the rendered line is this text exactly.
    Literal(&'a str),
    /// Literal fragments around expressions and tags, in order.
    Pattern {
        fragments: Vec<&'a str>,
        starts_literal: bool,
        ends_literal: bool,
        /// Column (1-based) of the first `{{`, where a substituted value starts.
        expression_column: Option<u32>,
    },
    /// Only tags, comments or whitespace: renders nothing worth matching.
    Silent,
}

pub struct SourceMap<'a> {
    shapes: Vec<Shape<'a>>,
    literal_index: HashMap<&'a str, Vec<usize>>,
    rendered: Vec<&'a str>,
}

#[derive(Clone, Copy)]
struct Match {
    template_line: usize,
    exact: bool,
}

impl<'a> SourceMap<'a> {
    pub fn build(template: &'a str, rendered: &'a str) -> SourceMap<'a> {
        let shapes = shapes(template);
        let mut literal_index: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, shape) in shapes.iter().enumerate() {
            if let Shape::Literal(text) = shape {
                literal_index.entry(text).or_default().push(i);
            }
        }
        SourceMap {
            shapes,
            literal_index,
            rendered: rendered.lines().collect(),
        }
    }

    /// The template positions for rendered positions (sorted by line), when known. One pass
    /// aligns the lines from the nearest unambiguous anchor above the first position (a rendered
    /// line equal to a template line found once in the template) to the last position.
    pub fn locate_all(&self, positions: &[Pos]) -> Vec<Option<Pos>> {
        let lines: Vec<usize> = positions
            .iter()
            .map(|p| (p.line as usize).saturating_sub(1).min(self.rendered.len()))
            .collect();
        let (Some(&first), Some(&last)) = (lines.iter().min(), lines.iter().max()) else {
            return Vec::new();
        };
        let last = last.min(self.rendered.len().saturating_sub(1));
        let (start, mut previous) = match self.anchor_at_or_before(first) {
            Some((i, line)) => (i, Some(line).filter(|_| i < first)),
            None => (0, None),
        };
        let mut matches: Vec<Option<Match>> = Vec::new();
        for (i, line) in self.rendered.iter().enumerate().take(last + 1).skip(start) {
            let found = match self.anchor_line(i) {
                Some(template_line) => Some(Match {
                    template_line,
                    exact: true,
                }),
                None => self.next_match(line, previous),
            };
            if let Some(m) = found {
                previous = Some(m.template_line);
            }
            matches.push(found);
        }
        positions
            .iter()
            .zip(lines)
            .map(|(pos, line)| {
                let m = (*matches.get(line.checked_sub(start)?)?)?;
                Some(self.position(m, pos.column))
            })
            .collect()
    }

    fn position(&self, m: Match, rendered_column: u32) -> Pos {
        let (prefix, expression_column) = match &self.shapes[m.template_line] {
            Shape::Pattern {
                fragments,
                starts_literal,
                expression_column,
                ..
            } => (
                if *starts_literal {
                    fragments[0].chars().count()
                } else {
                    0
                },
                *expression_column,
            ),
            _ => (0, None),
        };
        let column = if m.exact || (rendered_column as usize) <= prefix {
            rendered_column
        } else {
            expression_column.unwrap_or(1)
        };
        Pos {
            line: m.template_line as u32 + 1,
            column,
        }
    }

    /// The template line of rendered line `i` when that line is an unambiguous anchor.
    fn anchor_line(&self, i: usize) -> Option<usize> {
        match self.literal_index.get(self.rendered.get(i)?) {
            Some(lines) if lines.len() == 1 => Some(lines[0]),
            _ => None,
        }
    }

    fn anchor_at_or_before(&self, target: usize) -> Option<(usize, usize)> {
        (0..=target.min(self.rendered.len().saturating_sub(1)))
            .rev()
            .find_map(|i| self.anchor_line(i).map(|line| (i, line)))
    }

    fn next_match(&self, line: &str, previous: Option<usize>) -> Option<Match> {
        if line.trim().is_empty() {
            return None;
        }
        let shapes = &self.shapes;
        let window = search_window(shapes.len(), previous);
        let best = |strong| best(line, shapes, &self.literal_index, previous, strong, &window);
        best(true)
            .or_else(|| {
                // A value spanning several lines continues the expression that printed it.
                previous
                    .filter(|&p| {
                        matches!(
                            &shapes[p],
                            Shape::Pattern {
                                expression_column: Some(_),
                                ..
                            }
                        )
                    })
                    .map(|p| Match {
                        template_line: p,
                        exact: false,
                    })
            })
            .or_else(|| best(false))
    }
}

/// Templates up to this many lines are searched whole for each rendered line.
const WHOLE_SEARCH_LINES: usize = 2_000;
/// In longer templates, the lines searched on each side of the previous match: matching each
/// rendered line against every template line would be quadratic (60,000 generated resources).
const SEARCH_RADIUS: usize = 300;

/// The template lines searched for a rendered line, given the previous match.
fn search_window(template_lines: usize, previous: Option<usize>) -> std::ops::Range<usize> {
    if template_lines <= WHOLE_SEARCH_LINES {
        return 0..template_lines;
    }
    let center = previous.unwrap_or(0);
    center.saturating_sub(SEARCH_RADIUS)..(center + SEARCH_RADIUS).min(template_lines)
}

/// The best-matching template line for `line` within `window`: by literal text matched when
/// `strong`, else among lines that are only an expression (and indentation).
fn best(
    line: &str,
    shapes: &[Shape],
    literal_index: &HashMap<&str, Vec<usize>>,
    previous: Option<usize>,
    strong: bool,
    window: &std::ops::Range<usize>,
) -> Option<Match> {
    let mut candidates: Vec<(usize, usize, bool)> = Vec::new();
    if strong {
        if let Some(lines) = literal_index.get(line) {
            // Template lines are indexed in order: the window is a slice of them.
            let from = lines.partition_point(|&i| i < window.start);
            let to = lines.partition_point(|&i| i < window.end);
            let score = significant(line);
            candidates.extend(lines[from..to].iter().map(|&i| (i, score, true)));
        }
    }
    for (i, shape) in shapes
        .iter()
        .enumerate()
        .skip(window.start)
        .take(window.len())
    {
        if let Shape::Pattern {
            fragments,
            starts_literal,
            ends_literal,
            expression_column,
        } = shape
        {
            if matches(line, fragments, *starts_literal, *ends_literal) {
                let score: usize = fragments.iter().map(|f| significant(f)).sum();
                if (score > 0) == strong && (strong || expression_column.is_some()) {
                    candidates.push((i, score, false));
                }
            }
        }
    }
    let top = candidates.iter().map(|c| c.1).max()?;
    let after = previous.map_or(0, |p| p + 1);
    candidates
        .into_iter()
        .filter(|c| c.1 == top)
        .min_by_key(|&(i, _, _)| {
            if i >= after {
                (0, i - after)
            } else {
                (1, after - i)
            }
        })
        .map(|(template_line, _, exact)| Match {
            template_line,
            exact,
        })
}

fn significant(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// True when the fragments occur in `line` in order, anchored where the template line starts
/// or ends with literal text.
fn matches(line: &str, fragments: &[&str], starts_literal: bool, ends_literal: bool) -> bool {
    let mut rest = line;
    for (i, fragment) in fragments.iter().enumerate() {
        if i == 0 && starts_literal {
            match rest.strip_prefix(fragment) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == fragments.len() - 1 && ends_literal {
            return rest.ends_with(fragment);
        } else {
            match rest.find(fragment) {
                Some(at) => rest = &rest[at + fragment.len()..],
                None => return false,
            }
        }
    }
    true
}

/// Classifies each template line, following tags and comments across lines.
fn shapes(template: &str) -> Vec<Shape<'_>> {
    let mut open: Option<&str> = None;
    template
        .lines()
        .map(|line| {
            let mut fragments = Vec::new();
            let mut expression_column = None;
            let mut has_tag = false;
            let mut rest = line;
            let mut consumed = 0;
            let mut starts_literal = open.is_none();
            loop {
                if let Some(close) = open {
                    has_tag = true;
                    match rest.find(close) {
                        Some(at) => {
                            consumed += at + 2;
                            rest = &rest[at + 2..];
                            open = None;
                        }
                        None => break,
                    }
                }
                let next = ["{{", "{%", "{#"]
                    .iter()
                    .filter_map(|o| rest.find(o).map(|at| (at, *o)))
                    .min();
                match next {
                    Some((at, opener)) => {
                        if at > 0 {
                            fragments.push(&rest[..at]);
                        } else if fragments.is_empty() && consumed == 0 {
                            starts_literal = false;
                        }
                        if opener == "{{" && expression_column.is_none() {
                            expression_column =
                                Some(line[..consumed + at].chars().count() as u32 + 1);
                        }
                        open = Some(match opener {
                            "{{" => "}}",
                            "{%" => "%}",
                            _ => "#}",
                        });
                        consumed += at + 2;
                        rest = &rest[at + 2..];
                    }
                    None => {
                        if !rest.is_empty() {
                            fragments.push(rest);
                        }
                        break;
                    }
                }
            }
            let ends_literal =
                open.is_none() && !rest.is_empty() && fragments.last() == Some(&rest);
            if !has_tag && expression_column.is_none() {
                Shape::Literal(line)
            } else if expression_column.is_none() && fragments.iter().all(|f| f.trim().is_empty()) {
                Shape::Silent
            } else {
                Shape::Pattern {
                    fragments,
                    starts_literal: starts_literal && !line.is_empty(),
                    ends_literal,
                    expression_column,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(map: &SourceMap, rendered_line: u32, column: u32) -> Option<(u32, u32)> {
        let pos = Pos {
            line: rendered_line,
            column,
        };
        map.locate_all(&[pos])[0].map(|p| (p.line, p.column))
    }

    #[test]
    fn literal_lines_map_exactly_and_expressions_to_their_line() {
        let template = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: '{{ name }}'\n      DelaySeconds: 5\n";
        let rendered = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: 'orders'\n      DelaySeconds: 5\n";
        let map = SourceMap::build(template, rendered);
        assert_eq!(line_of(&map, 3, 11), Some((3, 11)));
        assert_eq!(
            line_of(&map, 5, 7),
            Some((5, 7)),
            "inside the literal prefix"
        );
        assert_eq!(
            line_of(&map, 5, 19),
            Some((5, 19)),
            "the value starts where `{{` was"
        );
        assert_eq!(line_of(&map, 6, 7), Some((6, 7)));
    }

    #[test]
    fn tags_shift_lines_and_loops_repeat_them() {
        let template = "Resources:\n{% for q in queues %}\n  {{ q }}Queue:\n    Type: AWS::SQS::Queue\n{% endfor %}\nOutputs: {}\n";
        let rendered = "Resources:\n\n  aQueue:\n    Type: AWS::SQS::Queue\n\n  bQueue:\n    Type: AWS::SQS::Queue\n\nOutputs: {}\n";
        let map = SourceMap::build(template, rendered);
        assert_eq!(line_of(&map, 6, 3).map(|l| l.0), Some(3));
        assert_eq!(line_of(&map, 7, 5), Some((4, 5)));
        assert_eq!(line_of(&map, 9, 1), Some((6, 1)));
        assert_eq!(line_of(&map, 2, 1), None, "a blank line has no source");
    }

    #[test]
    fn multi_line_values_stay_on_their_expression() {
        let template = "Code: |\n  {{ code | indent(2) }}\nNext: 1\n";
        let rendered = "Code: |\n  line one\n  line two\nNext: 1\n";
        let map = SourceMap::build(template, rendered);
        assert_eq!(line_of(&map, 3, 3).map(|l| l.0), Some(2));
        assert_eq!(line_of(&map, 4, 1), Some((3, 1)));
    }
}
