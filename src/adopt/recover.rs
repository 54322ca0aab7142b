//! What Proton knew, read back from a deployed body. The render is deterministic, so the body
//! pins down what its `{{ … }}` printed: the engine renders a template version with the inputs
//! known so far, traced (which expression printed each range, as the migration sees it), and
//! reads off the deployed text what stands where each value was printed; a plain input or a name
//! it printed takes that text, typed by the schema. `{% if %}` choices are found by search over
//! the boolean and enumerated inputs. Nothing here is claimed: the adoption proves a result by
//! rendering it.

use crate::bundle::Bundle;
use crate::context::{Mocks, Target};
use crate::migrate::trace::{pieces, Piece, Sites, Traced};
use crate::report::{run, Request, SpecSource};
use crate::schema::spec::{InstanceInputs, SpecInputs, SpecKind};
use crate::schema::{InputKind, Property};
use serde_json::{Map, Value as Json};

/// Rounds of reading values off the body and rendering again (each can open new branches).
const ROUNDS: usize = 6;

/// Where one recovered value came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Read off the deployed body at this 1-based line.
    Deployed { line: usize },
    /// Chosen because the deployed body takes that `{% if %}` branch.
    Branch,
}

/// One stack's spec section and names as far as its body tells them.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The section's inputs set so far (the rest take their defaults).
    pub inputs: Map<String, Json>,
    pub origins: Vec<(String, Origin)>,
    /// What Proton knew besides the spec: names, outputs, repository.
    pub mocks: Mocks,
    /// Mock fields read off the body (`environment.outputs.VpcId`, `service.branch_name`).
    pub mock_origins: Vec<(String, Origin)>,
}

/// A service's instances: name, environment and inputs.
pub type Instances = Vec<(String, String, Map<String, Json>)>;

/// What a stack is rendered as: its section of the spec and how the spec is written around it.
pub struct Frame<'a> {
    pub bundle: &'a Bundle,
    pub target: Target,
    /// The instance rendered (service instances).
    pub instance: Option<String>,
    /// The environment an instance runs in.
    pub environment: Option<String>,
    /// The other instances of the service, with their inputs (a pipeline renders them all).
    pub instances: Instances,
}

impl Frame<'_> {
    fn kind(&self) -> InputKind {
        match self.target {
            Target::Environment => InputKind::Environment,
            Target::Pipeline => InputKind::Pipeline,
            _ => InputKind::Service,
        }
    }

    /// The section's properties.
    pub fn properties(&self) -> &[Property] {
        self.bundle
            .schema
            .as_ref()
            .and_then(|s| s.input_type(self.kind()))
            .map_or(&[], |t| t.properties.as_slice())
    }

    /// The prefix templates read the section's inputs under.
    fn inputs_prefix(&self) -> &'static str {
        match self.target {
            Target::Environment => "environment.inputs",
            Target::Pipeline => "pipeline.inputs",
            _ => "service_instance.inputs",
        }
    }

    /// The spec document for `inputs` (the section's), with the other instances of the service
    /// for a pipeline.
    pub fn spec_document(&self, inputs: &Map<String, Json>) -> Json {
        let instance = |name: &str, environment: &str, spec: &Map<String, Json>| InstanceInputs {
            name: name.to_string(),
            environment: environment.to_string(),
            spec: spec.clone(),
        };
        let (kind, section) = match self.target {
            Target::Environment => (
                SpecKind::Environment,
                SpecInputs {
                    environment: inputs.clone(),
                    ..Default::default()
                },
            ),
            Target::Pipeline => (
                SpecKind::Service,
                SpecInputs {
                    pipeline: inputs.clone(),
                    instances: self
                        .instances
                        .iter()
                        .map(|(n, e, s)| instance(n, e, s))
                        .collect(),
                    ..Default::default()
                },
            ),
            _ => (
                SpecKind::Service,
                SpecInputs {
                    instances: vec![instance(
                        self.instance.as_deref().unwrap_or_default(),
                        self.environment.as_deref().unwrap_or_default(),
                        inputs,
                    )],
                    ..Default::default()
                },
            ),
        };
        section.document(kind, self.bundle.has_pipeline())
    }

    /// The request that renders this frame with `known` (required inputs nobody printed take
    /// examples, as the page does: the body cannot say what they were).
    pub fn request(&self, known: &Known, fill_required: bool) -> Request {
        Request {
            target: Some(self.target),
            instance: self.instance.clone(),
            spec: Some(SpecSource {
                path: "spec.json".into(),
                text: self.spec_document(&known.inputs).to_string(),
            }),
            mocks: known.mocks.clone(),
            skip_checks: true,
            fill_required,
            ..Default::default()
        }
    }
}

/// Whether a finding means the render is not what Proton deployed: the template failed, or
/// Proton would have refused the spec. Findings about the bundle itself (a pre-GA manifest key
/// the stacks were deployed with) or about CloudFormation today do not change the bytes.
pub fn refutes(d: &crate::Diagnostic) -> bool {
    d.is_error()
        && ["template-", "input-", "spec-", "target-"]
            .iter()
            .any(|p| d.code.starts_with(p))
}

/// The render of `known`, if it renders one file that can be what Proton deployed.
pub fn render(frame: &Frame, known: &Known) -> Option<(String, Request, crate::Report)> {
    let request = frame.request(known, true);
    let report = run(frame.bundle, &request);
    if report.diagnostics.iter().any(refutes) {
        return None;
    }
    let [output] = report.outputs.as_slice() else {
        return None;
    };
    Some((output.content.clone(), request, report))
}

/// How close a render is to the deployed text (1.0: the same lines).
pub fn closeness(rendered: &str, deployed: &str) -> f32 {
    similar::TextDiff::from_lines(rendered, deployed).ratio()
}

/// A render of one stack's template: the file (bundle-relative) and its text.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub file: String,
    pub text: String,
}

/// Recovers `known` for `frame` from `deployed` (text), starting from what the tags and the
/// account already gave. Returns the render it ends with.
pub fn recover(frame: &Frame, mut known: Known, deployed: &str) -> (Known, Option<Rendered>) {
    for _ in 0..ROUNDS {
        let Some((text, request, report)) = render(frame, &known) else {
            return (known, None);
        };
        if text == deployed {
            break;
        }
        let changed = read_off(frame, &mut known, &request, &report, deployed);
        if !changed && !search_branches(frame, &mut known, deployed) {
            break;
        }
    }
    let last = render(frame, &known).map(|(text, _, report)| Rendered {
        file: report.outputs[0].path.clone(),
        text,
    });
    (known, last)
}

/// Sets every input and name a traced render printed to what the deployed body has in its place;
/// true when something changed.
fn read_off(
    frame: &Frame,
    known: &mut Known,
    request: &Request,
    report: &crate::Report,
    deployed: &str,
) -> bool {
    let Some(output) = report.outputs.first() else {
        return false;
    };
    let renderer = frame.bundle.renderer(&request.options);
    let context = crate::context::to_template_value(&report.context);
    let mut sites = Sites::default();
    let Ok(traced) = Traced::render(
        &renderer,
        &frame.bundle.files,
        &output.path,
        &context,
        &mut sites,
    ) else {
        return false;
    };
    let Some(pieces) = pieces(&traced.marked) else {
        return false;
    };
    let apply = |known: &mut Known, resume: bool| {
        let mut changed = false;
        for (site, value, line) in values_in_place(&pieces, deployed, resume) {
            if let Some(site) = sites.0.get(site) {
                changed |= assign(frame, known, &site.expression, &value, line);
            }
        }
        changed
    };
    if apply(known, false) {
        return true;
    }
    // Past where the body parts ways, a value read may be wrong: it is kept only when the render
    // comes closer to the body.
    let mut trial = known.clone();
    if !apply(&mut trial, true) {
        return false;
    }
    let score = |k: &Known| render(frame, k).map_or(0.0, |(text, _, _)| closeness(&text, deployed));
    if score(&trial) > score(known) {
        *known = trial;
        return true;
    }
    false
}

/// For each printed piece, the deployed text in its place and its 1-based line. Where the
/// literal text parts ways with the body, the reading stops, or with `resume` goes on at the next
/// value's line. Values
/// printed side by side (`{{ a }}{{ b }}`) cannot be told
/// apart: the reading goes past them without taking either.
fn values_in_place(pieces: &[Piece], deployed: &str, resume: bool) -> Vec<(usize, String, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut i = 0;
    // Set while the reading has lost its place (values are skipped until it finds it again).
    let mut lost = false;
    while i < pieces.len() {
        match &pieces[i] {
            Piece::Text(text) => {
                if !lost && deployed[at..].starts_with(text.as_str()) {
                    at += text.len();
                } else if !resume {
                    break;
                } else {
                    // The body parts ways here (a branch not taken, a hand edit): pick the
                    // reading up again where the literal line before the next value reappears.
                    let tail = &text[text.rfind('\n').unwrap_or(0)..];
                    match deployed[at..].find(tail).filter(|_| tail.trim().len() > 2) {
                        Some(k) => {
                            at += k + tail.len();
                            lost = false;
                        }
                        None => lost = true,
                    }
                }
                i += 1;
            }
            Piece::Printed(..) if lost => i += 1,
            Piece::Printed(site, _) => {
                let run = pieces[i..]
                    .iter()
                    .take_while(|p| matches!(p, Piece::Printed(..)))
                    .count();
                let next = match pieces.get(i + run) {
                    Some(Piece::Text(text)) => Some(text.as_str()),
                    _ => None,
                };
                let line_end = deployed[at..].find('\n').map_or(deployed.len(), |e| at + e);
                let first_line = next.map(|t| t.split('\n').next().unwrap_or_default());
                let end = match first_line {
                    Some(literal) if !literal.is_empty() => {
                        match deployed[at..line_end].find(literal) {
                            Some(k) => at + k,
                            None => break,
                        }
                    }
                    _ => line_end,
                };
                if run == 1 {
                    let line = deployed[..at].matches('\n').count() + 1;
                    out.push((*site, deployed[at..end].to_string(), line));
                }
                at = end;
                i += run;
            }
        }
    }
    out
}

/// The path an expression reads, when reading it back is plain: `a.b['c']` → `a.b.c`, through
/// `default(…)` and `string`.
fn plain_path(expression: &str) -> Option<String> {
    let mut parts = expression.split('|').map(str::trim);
    let base = parts.next()?;
    for filter in parts {
        let name = filter.split('(').next().unwrap_or_default().trim();
        if !matches!(name, "default" | "d" | "string") {
            return None;
        }
    }
    let mut path = String::new();
    let mut rest = base;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix("['").or_else(|| rest.strip_prefix("[\"")) {
            let end = inner.find(['\'', '"'])?;
            path.push('.');
            path.push_str(&inner[..end]);
            rest = inner[end + 1..].strip_prefix(']')?;
        } else {
            let end = rest.find('[').unwrap_or(rest.len());
            path.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    path.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        .then_some(path)
}

/// `text` as the value of an input of `schema`'s type, when it reads as one.
fn typed(schema: &Json, text: &str) -> Option<Json> {
    match schema.get("type").and_then(Json::as_str) {
        Some("integer") => text.parse::<i64>().ok().map(Json::from),
        Some("number") => match text.parse::<i64>() {
            Ok(n) => Some(Json::from(n)),
            Err(_) => text
                .parse::<f64>()
                .ok()
                .and_then(|f| serde_json::Number::from_f64(f).map(Json::Number)),
        },
        Some("boolean") => match text {
            "True" | "true" => Some(Json::Bool(true)),
            "False" | "false" => Some(Json::Bool(false)),
            _ => None,
        },
        Some("array" | "object") => serde_json::from_str(text).ok(),
        _ => Some(Json::String(text.to_string())),
    }
}

/// A value of `schema`'s type other than `value` (another allowed value when it has a list).
pub fn another_value(value: &Json, schema: &Json) -> Option<Json> {
    if let Some(Json::Array(allowed)) = schema.get("enum") {
        return allowed.iter().find(|v| *v != value).cloned();
    }
    match value {
        Json::Bool(b) => Some(Json::Bool(!b)),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Some(Json::from(if i > i64::MIN { i - 1 } else { i + 1 })),
            None => n
                .as_f64()
                .and_then(|f| serde_json::Number::from_f64(f + 1.0))
                .map(Json::Number),
        },
        Json::String(s) => Some(Json::String(format!("{s}0"))),
        _ => None,
    }
}

/// Sets what `expression` reads to `value` (read at `line`); true when it changed anything.
fn assign(frame: &Frame, known: &mut Known, expression: &str, value: &str, line: usize) -> bool {
    let Some(path) = plain_path(expression) else {
        return false;
    };
    let origin = Origin::Deployed { line };
    if let Some(input) = path
        .strip_prefix(frame.inputs_prefix())
        .and_then(|rest| rest.strip_prefix('.'))
    {
        let Some(property) = frame.properties().iter().find(|p| p.name == input) else {
            return false;
        };
        let Some(value) = typed(&property.schema, value) else {
            return false;
        };
        let current = known.inputs.get(input).or(property.default.as_ref());
        note(&mut known.origins, input, origin);
        if current == Some(&value) {
            // Printed as its default: known now, nothing to change.
            known.inputs.entry(input.to_string()).or_insert(value);
            return false;
        }
        known.inputs.insert(input.to_string(), value);
        return true;
    }
    let mocks = &mut known.mocks;
    let text = Some(value.to_string());
    let slot: &mut Option<String> = match path.as_str() {
        "service.repository_id" => &mut mocks.service.repository_id,
        "service.branch_name" => &mut mocks.service.branch_name,
        "service.repository_connection_arn" => &mut mocks.service.repository_connection_arn,
        "environment.account_id" => &mut mocks.environment.account_id,
        _ => {
            let Some(output) = path.strip_prefix("environment.outputs.") else {
                return false;
            };
            note(&mut known.mock_origins, &path, origin);
            let value = Json::String(value.to_string());
            return known
                .mocks
                .environment
                .outputs
                .insert(output.to_string(), value.clone())
                != Some(value);
        }
    };
    note(&mut known.mock_origins, &path, origin);
    if *slot == text {
        return false;
    }
    *slot = text;
    true
}

fn note(origins: &mut Vec<(String, Origin)>, name: &str, origin: Origin) {
    match origins.iter_mut().find(|(n, _)| n == name) {
        Some(entry) => entry.1 = origin,
        None => origins.push((name.to_string(), origin)),
    }
}

/// Tries each other value of the boolean and enumerated inputs not read off the body, keeping one
/// when it brings the render closer to the body; true when one was kept.
fn search_branches(frame: &Frame, known: &mut Known, deployed: &str) -> bool {
    let Some((text, _, _)) = render(frame, known) else {
        return false;
    };
    let mut best = closeness(&text, deployed);
    let mut kept = false;
    for property in frame.properties() {
        if known.origins.iter().any(|(n, _)| *n == property.name) {
            continue;
        }
        let choices: Vec<Json> = match (
            property.schema.get("type").and_then(Json::as_str),
            property.schema.get("enum"),
        ) {
            (_, Some(Json::Array(values))) => values.clone(),
            (Some("boolean"), _) => vec![Json::Bool(true), Json::Bool(false)],
            _ => continue,
        };
        let current = known
            .inputs
            .get(&property.name)
            .or(property.default.as_ref())
            .cloned();
        for choice in choices.into_iter().take(16) {
            if Some(&choice) == current.as_ref() {
                continue;
            }
            let mut trial = known.clone();
            trial.inputs.insert(property.name.clone(), choice.clone());
            let Some((text, _, _)) = render(frame, &trial) else {
                continue;
            };
            let score = closeness(&text, deployed);
            if score > best {
                best = score;
                note(&mut trial.origins, &property.name, Origin::Branch);
                *known = trial;
                kept = true;
                if text == deployed {
                    return true;
                }
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_back_plainly() {
        assert_eq!(
            plain_path("environment.inputs.vpc_cidr").as_deref(),
            Some("environment.inputs.vpc_cidr")
        );
        assert_eq!(
            plain_path("service_instance.inputs['task-size']").as_deref(),
            Some("service_instance.inputs.task-size")
        );
        assert_eq!(
            plain_path("environment.inputs.x | default('y')").as_deref(),
            Some("environment.inputs.x")
        );
        assert_eq!(plain_path("environment.inputs.x | lower"), None);
        assert_eq!(plain_path("a + b"), None);
    }

    #[test]
    fn values_are_read_in_place() {
        let pieces = vec![
            Piece::Text("Name: ".into()),
            Piece::Printed(0, "my-env".into()),
            Piece::Text("-vpc\nCidr: ".into()),
            Piece::Printed(1, "10.0.0.0/16".into()),
            Piece::Text("\n".into()),
        ];
        let found = values_in_place(&pieces, "Name: prod-eu-vpc\nCidr: 10.9.0.0/16\n", false);
        assert_eq!(
            found,
            [
                (0, "prod-eu".to_string(), 1),
                (1, "10.9.0.0/16".to_string(), 2)
            ]
        );
        // The literal text parts ways: the reading resumes at the next value's line.
        assert_eq!(
            values_in_place(&pieces, "Other: x\nCidr: 10.1.0.0/16\n", true),
            [(1, "10.1.0.0/16".to_string(), 2)]
        );
        assert_eq!(
            values_in_place(&pieces, "Other: x\nCidr: 10.1.0.0/16\n", false),
            []
        );
        assert_eq!(values_in_place(&pieces, "Other: x\n", true), []);
    }

    #[test]
    fn text_is_typed_by_the_schema() {
        let t = |ty: &str, text: &str| typed(&serde_json::json!({"type": ty}), text);
        assert_eq!(t("integer", "3"), Some(Json::from(3)));
        assert_eq!(t("integer", "x"), None);
        assert_eq!(t("boolean", "True"), Some(Json::Bool(true)));
        assert_eq!(t("string", "3"), Some(Json::from("3")));
        assert_eq!(t("array", "[\"a\"]"), Some(serde_json::json!(["a"])));
    }
}
