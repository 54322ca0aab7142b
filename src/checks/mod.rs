//! CloudFormation checks on a rendered template, offline, the way cfn-lint would: the data
//! path's "checks" step. Proton only said "deployment failed" after the fact; these findings
//! come on every render instead.
//!
//! Every finding is located twice when possible: on the rendered file's line
//! ([`Diagnostic::rendered`]) and on the template line it came from ([`Diagnostic::line`]),
//! found by aligning the rendered text with the template ([`source_map`]).
//!
//! ```
//! use proton_playground::checks::check_cloudformation;
//!
//! let template = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Nmae\n";
//! let findings = check_cloudformation("cloudformation.yaml", template, template);
//! assert_eq!(findings[0].code, "cfn-ref");
//! assert_eq!((findings[0].line, findings[0].column), (Some(5), Some(23)));
//! ```

mod cycles;
pub mod data;
mod formats;
mod iam;
mod leftovers;
mod references;
pub mod resource_types;
mod resources;
mod runtimes;
mod services;
pub use runtimes::install as install_lambda_runtimes;
mod shapes;
mod source_map;
mod structure;
mod template;
mod values;

use crate::diagnostic::{Diagnostic, Severity, Subject};
use crate::yaml::Pos;
use source_map::SourceMap;
use template::Template;

/// One finding on the rendered text, before it is located in the template.
#[derive(Debug)]
struct Finding {
    severity: Severity,
    code: &'static str,
    message: String,
    hint: String,
    pos: Pos,
    subject: Option<Subject>,
}

impl Finding {
    fn error(code: &'static str, pos: Pos, message: String, hint: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            code,
            message,
            hint: hint.into(),
            pos,
            subject: None,
        }
    }

    /// Names the template element the finding is about: its section, logical name, and the
    /// property, attribute or function concerned.
    fn about(mut self, section: &str, name: &str, detail: Option<&str>) -> Self {
        self.subject = Some(Subject::Cfn {
            section: section.to_string(),
            name: name.to_string(),
            detail: detail.map(String::from),
        });
        self
    }

    fn warning(code: &'static str, pos: Pos, message: String, hint: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, pos, message, hint)
        }
    }
}

/// The texts of values that came from mocks or placeholders rather than from the template or
/// the inputs. Value and format checks do not judge a value containing one: a playground full of
/// "`mock-VpcId` is not a VPC ID" would say nothing about the template.
#[derive(Debug, Default, Clone)]
pub struct Mocked {
    texts: Vec<String>,
}

impl Mocked {
    /// The string and number leaves of `values` (mocked outputs, example inputs).
    pub fn of<'a>(values: impl IntoIterator<Item = &'a serde_json::Value>) -> Mocked {
        fn leaves(value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Number(n) => out.push(n.to_string()),
                serde_json::Value::Array(items) => items.iter().for_each(|i| leaves(i, out)),
                serde_json::Value::Object(map) => map.values().for_each(|v| leaves(v, out)),
                _ => {}
            }
        }
        let mut texts = Vec::new();
        values.into_iter().for_each(|v| leaves(v, &mut texts));
        // A one- or two-character value (`1`, `a`) would cover nearly every text.
        texts.retain(|t| t.chars().count() >= 3);
        texts.sort();
        texts.dedup();
        Mocked { texts }
    }

    /// True when `text` contains a mocked value, or is a piece of one (a split list).
    pub fn covers(&self, text: &str) -> bool {
        self.texts
            .iter()
            .any(|m| text.contains(m.as_str()) || (text.len() >= 6 && m.contains(text)))
    }
}

/// Checks `rendered`, the output of the template `source` at bundle path `file`.
pub fn check_cloudformation(file: &str, source: &str, rendered: &str) -> Vec<Diagnostic> {
    check_rendered(file, source, rendered, &Mocked::default())
}

/// [`check_cloudformation`], not judging the values `mocked` produced.
pub fn check_rendered(
    file: &str,
    source: &str,
    rendered: &str,
    mocked: &Mocked,
) -> Vec<Diagnostic> {
    structure::reset_suggestions();
    let mut findings = Vec::new();
    leftovers::check_text(rendered, &mut findings);
    match Template::parse(rendered, &mut findings) {
        Some(template) => {
            structure::check(&template, &mut findings);
            resources::check(&template, &mut findings);
            if !template.has_macro() {
                values::check(&template, mocked, &mut findings);
                iam::check(&template, mocked, &mut findings);
            }
            runtimes::check(&template, &runtimes::today(), &mut findings);
            services::check(&template, &mut findings);
            let names = references::Names::of(&template);
            references::check(&template, &names, &mut findings);
            if !template.has_macro() {
                cycles::check(&template, &mut findings);
            }
            leftovers::check_values(&template, &names, &mut findings);
        }
        None if findings.iter().all(|f| f.code != "cfn-jinja-leftover") => {}
        // A YAML error caused by leftover Jinja says nothing new.
        None => findings.retain(|f| f.code != "cfn-yaml"),
    }
    if findings.is_empty() {
        return Vec::new();
    }
    findings.sort_by_key(|f| (f.pos.line, f.pos.column));
    let more = findings.len().saturating_sub(MAX_FINDINGS);
    findings.truncate(MAX_FINDINGS);
    let map = SourceMap::build(source, rendered);
    let positions: Vec<Pos> = findings.iter().map(|f| f.pos).collect();
    findings
        .into_iter()
        .zip(map.locate_all(&positions))
        .map(|(f, at)| {
            let mut d = Diagnostic::new(f.severity, f.code, f.message)
                .with_hint(f.hint)
                .in_file(file)
                .rendered_at(file, f.pos.line, f.pos.column);
            if let Some(subject) = f.subject {
                d = d.about(subject);
            }
            match at {
                Some(at) => d.at(at.line, at.column),
                None => d,
            }
        })
        .chain((more > 0).then(|| {
            Diagnostic::warning(
                "cfn-limit",
                format!("{more} more findings in this template are not shown (the first {MAX_FINDINGS} are)"),
            )
            .in_file(file)
            .with_hint("fix the ones shown: they often share a cause")
        }))
        .collect()
}

/// The info that `what` was not checked: the page could not fetch `table`'s shard for `key`.
/// Located at the first place that needed it; the caller names the element.
fn unavailable(table: &data::Sharded, key: &str, what: String, pos: Pos) -> Finding {
    Finding {
        severity: Severity::Info,
        ..Finding::error(
            "cfn-data-unavailable",
            pos,
            format!("{what}: `{}` could not be loaded", table.file_name(key)),
            "the page fetches it beside the engine when a template first needs it; reload when online",
        )
    }
}

/// Findings shown per rendered template (a generated template can hold tens of thousands).
pub const MAX_FINDINGS: usize = 500;

/// True for the file names CloudFormation templates come in.
pub fn is_template_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// For each rendered line, the template line (1-based) that produced it, 0 when unknown: the
/// source map the findings are located with, for every line.
pub fn line_origins(template: &str, rendered: &str) -> Vec<u32> {
    let map = SourceMap::build(template, rendered);
    let positions: Vec<Pos> = (1..=rendered.lines().count() as u32)
        .map(|line| Pos { line, column: 1 })
        .collect();
    map.locate_all(&positions)
        .into_iter()
        .map(|p| p.map_or(0, |p| p.line))
        .collect()
}

#[cfg(test)]
mod tests;
