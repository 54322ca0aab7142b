//! One diagnostic type for the whole product: every problem found while loading, validating,
//! rendering or checking a bundle is a [`Diagnostic`] with a location when one is known.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is. Only `Error` makes a run fail (CLI exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A located finding. `file` is bundle-relative (`instance_infrastructure/cloudformation.yaml`);
/// `line` and `column` are 1-based and absent when the finding concerns a whole file or bundle.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier, e.g. `template-syntax`, `input-enum` (documented in the README).
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub hint: Option<String>,
    /// Where the finding sits in a rendered output file (CloudFormation checks run on rendered
    /// text; `file`/`line` then point at the template line it came from, when that is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered: Option<Box<Location>>,
    /// What the finding is about, as data: tools and the page read this, never the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Box<Subject>>,
}

/// The input sections of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    Environment,
    Pipeline,
    ServiceInstance,
}

impl Section {
    /// `environment inputs`, `pipeline inputs`, `service_instance inputs`: how messages name it
    /// (the template variable the inputs are read from).
    pub fn label(self) -> &'static str {
        match self {
            Section::Environment => "environment inputs",
            Section::Pipeline => "pipeline inputs",
            Section::ServiceInstance => "service_instance inputs",
        }
    }
}

/// What a finding is about, one shape per family of codes (`kind` names it in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Subject {
    /// An input value (`input-*`): its section, the service instance it belongs to, the
    /// top-level input, the field path within it (`subnets[1].name`) and what is wrong with
    /// it (the message without the section and field, for a form to show beside the field).
    Input {
        section: Section,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance: Option<String>,
        input: String,
        field: String,
        problem: String,
    },
    /// An input of a schema type (`schema-*` findings about one property).
    SchemaInput { input_type: String, input: String },
    /// An environment output a template reads (`contract-*`): the template that reads it, the
    /// environment template version (`name:major`) that should declare it, and the output.
    EnvironmentOutput {
        reader: String,
        environment: String,
        output: String,
    },
    /// A template version (`compat-*`, `registration-*`, `repo-*`), and the other template
    /// version concerned when there is one (`name:major`).
    Template {
        template: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
        /// Why, in words that stand without the template's name (for a list that names it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A named element of a rendered CloudFormation template (`cfn-*`): its section
    /// (`Resources`, `Parameters`, …), logical name, and the property, attribute or reference
    /// concerned.
    Cfn {
        section: String,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A variable a template reads (`template-undefined`, `template-scope`): its dotted path.
    Variable { path: String },
    /// A running stack (`adopt-*`, `migrate-guess`): its name, and the template it is of when
    /// known.
    Stack {
        stack: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        template: Option<String>,
    },
}

/// 1-based line and column in a file (YAML nodes carry one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// A place in a file: bundle-relative path, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            file: None,
            line: None,
            column: None,
            hint: None,
            rendered: None,
            subject: None,
        }
    }

    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    pub fn info(code: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message)
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the location from a YAML node position, if it has one.
    pub fn at_pos(mut self, pos: Option<Pos>) -> Self {
        if let Some(pos) = pos {
            self.line = Some(pos.line);
            self.column = Some(pos.column);
        }
        self
    }

    /// Sets the rendered-file location.
    pub fn rendered_at(mut self, file: &str, line: u32, column: u32) -> Self {
        self.rendered = Some(Box::new(Location {
            file: file.to_string(),
            line,
            column,
        }));
        self
    }

    /// Says what the finding is about.
    pub fn about(mut self, subject: Subject) -> Self {
        self.subject = Some(Box::new(subject));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Prefixes the file path (a finding without a file gets the folder). The rendered
    /// location keeps its path: it names a rendered output, not a file of the folder.
    pub fn under(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.file = Some(match self.file {
                Some(f) => format!("{prefix}/{f}"),
                None => prefix.to_string(),
            });
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: severity[code]: message`, the first line of [`render_diagnostic`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if let Some(at) = &self.rendered {
            write!(f, " (rendered {}:{}:{})", at.file, at.line, at.column)?;
        }
        Ok(())
    }
}

/// Renders a diagnostic like a compiler: the headline, the source line with a caret under the
/// column, then the hint. `source_line` is the text of line `diagnostic.line` of its file.
pub fn render_diagnostic(diagnostic: &Diagnostic, source_line: Option<&str>) -> String {
    let mut out = diagnostic.to_string();
    out.push('\n');
    if let (Some(text), Some(line)) = (source_line, diagnostic.line) {
        let gutter = line.to_string();
        let pad = " ".repeat(gutter.len());
        out.push_str(&format!("{pad} |\n{gutter} | {text}\n"));
        if let Some(col) = diagnostic.column {
            let prefix: String = text
                .chars()
                .take(col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{pad} | {prefix}^\n"));
        }
    }
    if let Some(hint) = &diagnostic.hint {
        out.push_str(&format!("  = hint: {hint}\n"));
    }
    out
}

/// Keeps the first of equal diagnostics, in order (a set of those seen: findings can number in
/// the tens of thousands).
pub fn distinct(diagnostics: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| seen.insert(d.clone()))
        .collect()
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let d = Diagnostic::error("template-undefined", "'vpc' is undefined")
            .in_file("infrastructure/cloudformation.yaml")
            .at(2, 11)
            .with_hint("define it");
        let text = render_diagnostic(&d, Some("CidrBlock: {{ vpc }}"));
        assert_eq!(
            text,
            "infrastructure/cloudformation.yaml:2:11: error[template-undefined]: 'vpc' is undefined\n  |\n2 | CidrBlock: {{ vpc }}\n  |           ^\n  = hint: define it\n"
        );
    }

    #[test]
    fn serializes_with_lowercase_severity() {
        let d = Diagnostic::warning("x", "y");
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains("\"severity\":\"warning\""));
    }
}
