//! Lambda runtimes: a function (`AWS::Lambda::Function`, `AWS::Serverless::Function`) or layer
//! (`CompatibleRuntimes`) with a runtime AWS no longer lets functions be created with fails at
//! stack creation — an error naming the runtime to move to; a deprecated one is a warning; a name
//! that is no runtime (`python3`) an error. The lifecycle is cfn-lint's
//! (`data/lambda-runtimes.tsv`, `scripts/gen-lambda-runtimes.py`), dated against today. Native
//! builds carry the table; the page fetches it beside the wasm and gives it through [`install`]
//! (until then, runtimes are not judged).

use super::data::Table;
use super::structure::suggest;
use super::template::Template;
use super::Finding;
use crate::yaml::Node;

#[cfg(not(target_arch = "wasm32"))]
static TABLE: Table = Table::new(include_str!("../../data/lambda-runtimes.tsv"));
#[cfg(target_arch = "wasm32")]
static TABLE: Table = Table::new("");

/// Provides the table text (the page fetches it). Only the first call counts.
pub fn install(text: String) {
    TABLE.install(text);
}

/// One runtime's lifecycle (dates `YYYY-MM-DD`).
struct Lifecycle<'a> {
    deprecated: &'a str,
    create_block: &'a str,
    update_block: &'a str,
    successor: &'a str,
}

fn rows() -> impl Iterator<Item = (&'static str, Lifecycle<'static>)> {
    TABLE
        .text()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let mut f = line.split('\t');
            Some((
                f.next()?,
                Lifecycle {
                    deprecated: f.next()?,
                    create_block: f.next()?,
                    update_block: f.next()?,
                    successor: f.next().unwrap_or_default(),
                },
            ))
        })
}

/// Every runtime name: those with a lifecycle and the ones they lead to.
fn names() -> impl Iterator<Item = &'static str> {
    rows()
        .flat_map(|(name, l)| [name, l.successor])
        .filter(|n| !n.is_empty())
}

/// Checks the runtimes of `template` as of `today` (`YYYY-MM-DD`).
pub fn check(template: &Template, today: &str, findings: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    for (name, _, resource) in template.entries("Resources") {
        let type_name = resource
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or_default();
        let properties = resource.get("Properties");
        let runtimes: Vec<&Node> = match type_name {
            "AWS::Lambda::Function" => properties
                .and_then(|p| p.get("Runtime"))
                .into_iter()
                .collect(),
            // A SAM function may take its runtime from `Globals.Function` (said once, there).
            "AWS::Serverless::Function" => super::services::runtime(template, type_name, resource)
                .filter(|node| seen.insert((node.pos.line, node.pos.column)))
                .into_iter()
                .collect(),
            "AWS::Lambda::LayerVersion" | "AWS::Serverless::LayerVersion" => properties
                .and_then(|p| p.get("CompatibleRuntimes"))
                .and_then(Node::as_seq)
                .map(|items| items.iter().collect())
                .unwrap_or_default(),
            _ => continue,
        };
        for node in runtimes {
            // `!Ref Runtime` and other functions: the value is not known here.
            let Some(runtime) = node.as_str() else {
                continue;
            };
            if let Some(finding) = judge(runtime, today, node) {
                findings.push(finding.about("Resources", &name, Some("Runtime")));
            }
        }
    }
}

fn judge(runtime: &str, today: &str, node: &Node) -> Option<Finding> {
    let Some((_, life)) = rows().find(|(name, _)| *name == runtime) else {
        if rows().next().is_none() || names().any(|n| n == runtime) {
            return None;
        }
        let hint = match suggest(runtime, names()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "see the Lambda runtimes AWS supports".into(),
        };
        return Some(Finding::error(
            "cfn-runtime",
            node.pos,
            format!("`{runtime}` is not a Lambda runtime"),
            hint,
        ));
    };
    let move_to = if life.successor.is_empty() {
        "move to a supported runtime".to_string()
    } else {
        format!("move to `{}`", life.successor)
    };
    // An empty date: AWS has not set one.
    let reached = |date: &str| !date.is_empty() && date <= today;
    let shown = |date: &'static str| match date {
        "" => "a date AWS has not set",
        date => date,
    };
    if reached(life.create_block) {
        Some(Finding::error(
            "cfn-runtime",
            node.pos,
            format!(
                "`{runtime}` is blocked: AWS stopped the creation of Lambda functions with it on {} (their update on {}), so the stack fails",
                life.create_block,
                shown(life.update_block)
            ),
            move_to,
        ))
    } else if reached(life.deprecated) {
        Some(Finding::warning(
            "cfn-runtime",
            node.pos,
            format!(
                "`{runtime}` is deprecated since {}: creating functions with it is blocked from {}",
                life.deprecated,
                shown(life.create_block)
            ),
            move_to,
        ))
    } else {
        None
    }
}

/// Today's date, `YYYY-MM-DD` (the page asks the browser's clock).
pub fn today() -> String {
    let days = (now_millis() / 86_400_000.0).floor() as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(not(target_arch = "wasm32"))]
fn now_millis() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

#[cfg(target_arch = "wasm32")]
fn now_millis() -> f64 {
    date_now()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(runtime: &str, today: &str) -> Vec<(crate::diagnostic::Severity, String, String)> {
        let text = format!(
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: {runtime}\n  Layer:\n    Type: AWS::Lambda::LayerVersion\n    Properties:\n      CompatibleRuntimes: [{runtime}]\n"
        );
        let mut findings = Vec::new();
        let template = Template::parse(&text, &mut findings).unwrap();
        check(&template, today, &mut findings);
        findings
            .into_iter()
            .map(|f| (f.severity, f.message, f.hint))
            .collect()
    }

    #[test]
    fn blocked_deprecated_unknown_and_current_runtimes() {
        use crate::diagnostic::Severity::{Error, Warning};
        let blocked = found("python3.7", "2026-11-29");
        assert_eq!(blocked.len(), 2, "the function and the layer");
        assert_eq!(blocked[0].0, Error);
        assert!(
            blocked[0]
                .1
                .contains("stopped the creation of Lambda functions with it on 2024-01-09"),
            "{blocked:?}"
        );
        assert_eq!(blocked[0].2, "move to `python3.14`");
        let deprecated = found("dotnet8", "2026-11-29");
        assert_eq!(deprecated[0].0, Warning);
        assert!(
            deprecated[0].1.contains("blocked from 2027-02-01"),
            "{deprecated:?}"
        );
        let unscheduled = found("dotnet9", "2026-11-29");
        assert_eq!(unscheduled[0].0, Warning, "a block AWS has not dated");
        assert!(
            unscheduled[0]
                .1
                .contains("blocked from a date AWS has not set"),
            "{unscheduled:?}"
        );
        assert!(found("python3.12", "2026-11-29").is_empty());
        assert!(
            found("dotnet10", "2026-11-29").is_empty(),
            "a successor is a runtime"
        );
        assert!(
            found("python3.7", "2023-01-01").is_empty(),
            "before its deprecation"
        );
        let unknown = found("python3", "2026-11-29");
        assert_eq!(unknown[0].1, "`python3` is not a Lambda runtime");
        assert!(
            unknown[0].2.starts_with("did you mean `python3."),
            "{unknown:?}"
        );
    }

    #[test]
    fn today_is_a_calendar_date() {
        let today = today();
        assert_eq!(today.len(), 10);
        assert!(today.as_str() > "2026-01-01", "{today}");
    }
}
