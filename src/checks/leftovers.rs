//! What a Jinja template leaves behind when it goes wrong: `{{`/`}}` in the output, Python's
//! spelling of values (`True`, `None`, `['a']`, `{'k': 'v'}`) where YAML expected one, and
//! `${Name}` written outside `Fn::Sub`.

use super::references::{column_in, sub_variables, Names};
use super::template::{intrinsic, Template};
use super::Finding;
use crate::yaml::{Node, NodeValue, Pos};

/// `{{`, or ` }}` as Jinja writes it, outside comments and CloudFormation dynamic references
/// (`{{resolve:…}}`). A bare `}}` closes nested JSON or flow mappings, so it is not a sign.
pub fn check_text(rendered: &str, findings: &mut Vec<Finding>) {
    for (index, line) in rendered.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut search = 0;
        while let Some(found) = [
            line[search..].find("{{"),
            line[search..].find(" }}").map(|i| i + 1),
        ]
        .into_iter()
        .flatten()
        .min()
        {
            let at = search + found;
            if line[at..].starts_with("{{resolve:") {
                search = line[at..].find("}}").map_or(line.len(), |end| at + end + 2);
                continue;
            }
            findings.push(Finding::error(
                "cfn-jinja-leftover",
                Pos {
                    line: index as u32 + 1,
                    column: line[..at].chars().count() as u32 + 1,
                },
                format!("`{}` left in the rendered template", &line[at..at + 2]),
                "Jinja did not process this; check for a missing brace, or a `{% raw %}` block",
            ));
            break;
        }
    }
}

/// Python reprs and unsubstituted `${…}` in values.
pub fn check_values(template: &Template, names: &Names, findings: &mut Vec<Finding>) {
    visit(&template.root, false, names, findings);
}

fn visit(node: &Node, in_sub: bool, names: &Names, findings: &mut Vec<Finding>) {
    if let Some((function, argument)) = intrinsic(node) {
        if function == "Fn::Sub" {
            // The template string is substituted; its variables map is not.
            match &argument.value {
                NodeValue::Seq(parts) => {
                    parts
                        .iter()
                        .take(1)
                        .for_each(|p| visit(p, true, names, findings));
                    parts
                        .iter()
                        .skip(1)
                        .for_each(|p| visit(p, false, names, findings));
                }
                _ => visit(argument, true, names, findings),
            }
            return;
        }
    }
    match &node.value {
        NodeValue::Seq(items) => items.iter().for_each(|i| visit(i, in_sub, names, findings)),
        NodeValue::Map(entries) => entries
            .iter()
            .for_each(|(_, v)| visit(v, in_sub, names, findings)),
        NodeValue::Bool(_) if matches!(node.raw.as_deref(), Some("True" | "False")) => findings
            .push(python_value(
                node.pos,
                node.raw.as_deref().unwrap_or_default(),
            )),
        NodeValue::Str(s) if node.raw.as_deref() == Some("None") => {
            findings.push(python_value(node.pos, s))
        }
        NodeValue::Str(s) => {
            if looks_like_python_repr(s) {
                findings.push(Finding::warning(
                    "cfn-python-repr",
                    node.pos,
                    format!("`{}` is how Python prints a list or dict", shorten(s)),
                    "print it with `| tojson` (a YAML flow value), or loop over the items",
                ));
            }
            if !in_sub {
                unsubstituted(s, node, names, findings);
            }
        }
        _ => {}
    }
}

fn python_value(pos: Pos, text: &str) -> Finding {
    let (means, fix) = match text {
        "None" => ("the string 'None', not null", "`| tojson` prints null"),
        _ => (
            "a boolean only because YAML 1.1 is lenient",
            "`| lower` prints true/false",
        ),
    };
    Finding::warning(
        "cfn-python-repr",
        pos,
        format!("`{text}` is Python's spelling: CloudFormation reads {means}"),
        format!("a Python value was printed here; {fix}"),
    )
}

fn looks_like_python_repr(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("['") && s.ends_with("']"))
        || (s.starts_with("{'") && s.ends_with('}') && s.contains("': "))
}

/// `${Name}` naming a parameter, resource or pseudo parameter in a string outside `Fn::Sub`
/// (other `${…}`, like shell variables in a build spec, are left alone).
fn unsubstituted(s: &str, node: &Node, names: &Names, findings: &mut Vec<Finding>) {
    for (start, variable) in sub_variables(s) {
        let base = variable.split_once('.').map_or(variable, |(r, _)| r);
        let base = if variable.starts_with("AWS::") {
            variable
        } else {
            base
        };
        if names.is_referable(base) {
            let pos = column_in(node, s, start);
            findings.push(Finding::warning(
                "cfn-sub-missing",
                pos,
                format!("`${{{variable}}}` stays as written: this string is not in `Fn::Sub`"),
                "write `!Sub` before the string",
            ));
            return;
        }
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}
