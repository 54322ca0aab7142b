//! Version compatibility (docs/proton-semantics.md §11.2): every change between two versions of a
//! template classified with the rule that decided it, the version bump the changes need, whether
//! the declared bump is honest, and what changes for a running instance (rendered diff, resources).

use crate::bundle::Bundle;
use crate::report::{run, Request};
use crate::schema::{InputKind, InputType};
use crate::workspace::suggestions::{
    consumed, fill_plausible, placeholder_spec, ENVIRONMENT_OUTPUTS,
};
use crate::yaml::{self, NodeValue};
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// What a change needs. Ordered: the largest requirement of any change wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// No version change is needed (cosmetic).
    None,
    Minor,
    Major,
    /// `pipelineProvisioning` is fixed at creation: no version can do it.
    NotAllowed,
}

impl Bump {
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Minor => "minor",
            Bump::Major => "major",
            Bump::NotAllowed => "not allowed",
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `service inputs: port`, `pipeline`, `compatible environments`…
    pub subject: String,
    pub description: String,
    pub needs: Bump,
    /// The §11.2 rule that decided it.
    pub rule: &'static str,
    /// Needs attention although allowed (a changed default reaches instances at next deploy).
    pub warning: bool,
}

fn change(subject: &str, description: String, needs: Bump, rule: &'static str) -> Change {
    Change {
        subject: subject.to_string(),
        description,
        needs,
        rule,
        warning: false,
    }
}

fn warn(mut c: Change) -> Change {
    c.warning = true;
    c
}

/// Compares two input types property by property (by content: type names do not matter).
pub fn diff_input_types(label: &str, old: &InputType, new: &InputType) -> Vec<Change> {
    let mut out = Vec::new();
    if old.name != new.name {
        out.push(change(
            label,
            format!("input type renamed {} → {}", old.name, new.name),
            Bump::None,
            "*_input_type renamed with identical content: minor (info)",
        ));
    }
    for p in &new.properties {
        let subject = format!("{label}: {}", p.name);
        match old.property(&p.name) {
            None if p.required && p.default.is_none() => out.push(change(
                &subject,
                "required input added without a default".into(),
                Bump::Major,
                "required input added without default: major",
            )),
            None if p.required => out.push(change(
                &subject,
                "required input added with a default".into(),
                Bump::Minor,
                "required input added with default: minor",
            )),
            None => out.push(change(
                &subject,
                "optional input added".into(),
                Bump::Minor,
                "optional input added: minor",
            )),
            Some(o) => {
                match (o.required, p.required) {
                    (false, true) if p.default.is_some() => out.push(change(
                        &subject,
                        "optional → required (has a default)".into(),
                        Bump::Minor,
                        "optional → required with default: minor",
                    )),
                    (false, true) => out.push(change(
                        &subject,
                        "optional → required without a default".into(),
                        Bump::Major,
                        "optional → required without default: major",
                    )),
                    (true, false) => out.push(change(
                        &subject,
                        "required → optional".into(),
                        Bump::Minor,
                        "required → optional: minor",
                    )),
                    _ => {}
                }
                match (&o.default, &p.default) {
                    (None, Some(d)) => out.push(change(&subject, format!("default {} added", show(d)), Bump::Minor, "default added: minor")),
                    (Some(a), Some(b)) if a != b => out.push(warn(change(
                        &subject,
                        format!("default {} → {}: instances relying on it change at their next deployment", show(a), show(b)),
                        Bump::Minor,
                        "default changed: minor + warning",
                    ))),
                    (Some(a), None) if p.required => out.push(change(&subject, format!("default {} removed from a required input", show(a)), Bump::Major, "default removed from a required input: major")),
                    (Some(a), None) => out.push(warn(change(
                        &subject,
                        format!("default {} removed: the input becomes undefined where the spec omits it", show(a)),
                        Bump::Minor,
                        "default removed from an optional input: minor + warning",
                    ))),
                    _ => {}
                }
                diff_schema(&subject, &o.schema, &p.schema, &mut out);
            }
        }
    }
    for o in &old.properties {
        if new.property(&o.name).is_none() {
            out.push(change(
                &format!("{label}: {}", o.name),
                "input removed".into(),
                Bump::Major,
                "input removed: major",
            ));
        }
    }
    out
}

fn show(v: &Json) -> String {
    match v {
        Json::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

fn num(v: Option<&Json>) -> Option<f64> {
    v.and_then(Json::as_f64)
}

/// Constraint changes of one property schema, recursing into `properties` and `items`.
fn diff_schema(subject: &str, old: &Json, new: &Json, out: &mut Vec<Change>) {
    let get = |s: &Json, k: &str| s.get(k).cloned();
    let (ot, nt) = (get(old, "type"), get(new, "type"));
    if ot != nt {
        let widening = ot.as_ref().and_then(Json::as_str) == Some("integer")
            && nt.as_ref().and_then(Json::as_str) == Some("number");
        if widening {
            out.push(change(
                subject,
                "type integer → number".into(),
                Bump::Minor,
                "type integer → number: minor",
            ));
        } else {
            let s = |t: &Option<Json>| {
                t.as_ref().map_or("(none)".to_string(), |t| {
                    t.as_str().unwrap_or("?").to_string()
                })
            };
            out.push(change(
                subject,
                format!("type {} → {}", s(&ot), s(&nt)),
                Bump::Major,
                "type changed: major",
            ));
        }
    }
    // enum
    match (
        old.get("enum").and_then(Json::as_array),
        new.get("enum").and_then(Json::as_array),
    ) {
        (None, Some(_)) => out.push(change(
            subject,
            "enum added".into(),
            Bump::Major,
            "narrowed (enum added): major",
        )),
        (Some(_), None) => out.push(change(
            subject,
            "enum removed".into(),
            Bump::Minor,
            "widened (enum removed): minor",
        )),
        (Some(a), Some(b)) => {
            let removed: Vec<String> = a.iter().filter(|v| !b.contains(v)).map(show).collect();
            let added: Vec<String> = b.iter().filter(|v| !a.contains(v)).map(show).collect();
            if !removed.is_empty() {
                out.push(change(
                    subject,
                    format!("enum values removed: {}", removed.join(", ")),
                    Bump::Major,
                    "narrowed (enum value removed): major",
                ));
            }
            if !added.is_empty() {
                out.push(change(
                    subject,
                    format!("enum values added: {}", added.join(", ")),
                    Bump::Minor,
                    "widened (enum value added): minor",
                ));
            }
        }
        _ => {}
    }
    // Lower bounds: raising or adding narrows; upper bounds: lowering or adding narrows.
    for (key, lower) in [
        ("minimum", true),
        ("minLength", true),
        ("minItems", true),
        ("maximum", false),
        ("maxLength", false),
        ("maxItems", false),
    ] {
        match (num(old.get(key)), num(new.get(key))) {
            (None, Some(b)) => out.push(change(
                subject,
                format!("{key} {b} added"),
                Bump::Major,
                "narrowed (bound added): major",
            )),
            (Some(a), None) => out.push(change(
                subject,
                format!("{key} {a} removed"),
                Bump::Minor,
                "widened (bound removed): minor",
            )),
            (Some(a), Some(b)) if a != b => {
                let narrowed = if lower { b > a } else { b < a };
                if narrowed {
                    out.push(change(
                        subject,
                        format!("{key} {a} → {b}"),
                        Bump::Major,
                        "narrowed (bound tightened): major",
                    ));
                } else {
                    out.push(change(
                        subject,
                        format!("{key} {a} → {b}"),
                        Bump::Minor,
                        "widened (bound loosened): minor",
                    ));
                }
            }
            _ => {}
        }
    }
    for key in ["exclusiveMinimum", "exclusiveMaximum"] {
        let (a, b) = (
            old.get(key).and_then(Json::as_bool).unwrap_or(false),
            new.get(key).and_then(Json::as_bool).unwrap_or(false),
        );
        if !a && b {
            out.push(change(
                subject,
                format!("{key} added"),
                Bump::Major,
                "narrowed (bound tightened): major",
            ));
        } else if a && !b {
            out.push(change(
                subject,
                format!("{key} removed"),
                Bump::Minor,
                "widened (bound loosened): minor",
            ));
        }
    }
    match (
        old.get("pattern").and_then(Json::as_str),
        new.get("pattern").and_then(Json::as_str),
    ) {
        (None, Some(p)) => out.push(change(
            subject,
            format!("pattern {p} added"),
            Bump::Major,
            "pattern added: major",
        )),
        (Some(a), Some(b)) if a != b => out.push(change(
            subject,
            format!("pattern {a} → {b}"),
            Bump::Major,
            "pattern changed: major",
        )),
        (Some(a), None) => out.push(change(
            subject,
            format!("pattern {a} removed"),
            Bump::Minor,
            "pattern removed: minor",
        )),
        _ => {}
    }
    let nullable = |s: &Json| s.get("nullable").and_then(Json::as_bool).unwrap_or(false);
    match (nullable(old), nullable(new)) {
        (true, false) => out.push(change(
            subject,
            "nullable true → false".into(),
            Bump::Major,
            "nullable true → false: major",
        )),
        (false, true) => out.push(change(
            subject,
            "nullable false → true".into(),
            Bump::Minor,
            "nullable false → true: minor",
        )),
        _ => {}
    }
    for key in ["title", "description", "example"] {
        if old.get(key) != new.get(key) {
            out.push(change(
                subject,
                format!("{key} changed"),
                Bump::None,
                "title, description, example changed: minor (info)",
            ));
        }
    }
    // Nested object properties and array items.
    if let (Some(a), Some(b)) = (old.get("items"), new.get("items")) {
        diff_schema(&format!("{subject}[]"), a, b, out);
    }
    let props = |s: &Json| {
        s.get("properties")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (op, np) = (props(old), props(new));
    let required = |s: &Json| -> Vec<String> {
        s.get("required")
            .and_then(Json::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (or, nr) = (required(old), required(new));
    for (name, schema) in &np {
        let sub = format!("{subject}.{name}");
        match op.get(name) {
            None if nr.contains(name) && schema.get("default").is_none() => out.push(change(
                &sub,
                "required property added without a default".into(),
                Bump::Major,
                "required input added without default: major",
            )),
            None => out.push(change(
                &sub,
                "property added".into(),
                Bump::Minor,
                "optional input added: minor",
            )),
            Some(o) => {
                if !or.contains(name) && nr.contains(name) {
                    let needs = if schema.get("default").is_some() {
                        Bump::Minor
                    } else {
                        Bump::Major
                    };
                    out.push(change(
                        &sub,
                        "optional → required".into(),
                        needs,
                        if needs == Bump::Major {
                            "optional → required without default: major"
                        } else {
                            "optional → required with default: minor"
                        },
                    ));
                }
                diff_schema(&sub, o, schema, out);
            }
        }
    }
    for name in op.keys().filter(|k| !np.contains_key(*k)) {
        out.push(change(
            &format!("{subject}.{name}"),
            "property removed".into(),
            Bump::Major,
            "input removed: major",
        ));
    }
}

/// A resource-level difference of the rendered CloudFormation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceChange {
    pub file: String,
    pub logical_id: String,
    /// `added`, `removed`, or `type-changed` (CloudFormation replaces the resource).
    pub change: &'static str,
    pub old_type: Option<String>,
    pub new_type: Option<String>,
}

/// The comparison of two template versions.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
    /// The largest requirement of any change.
    pub required: Bump,
    /// The bump the versions declare (`vN` → `vN+1` is major; same major or unknown: minor).
    pub declared: Bump,
    /// The declared bump covers the required one.
    pub honest: bool,
    /// Unified diff of each rendered file for the same (default) inputs.
    pub rendered_diff: String,
    pub resources: Vec<ResourceChange>,
}

/// Compares two versions; `declared` overrides the bump implied by their `vN` folders.
pub fn compare(old: &Bundle, new: &Bundle, declared: Option<Bump>) -> Comparison {
    let mut changes = Vec::new();
    let labels = [
        (InputKind::Environment, "environment inputs"),
        (InputKind::Service, "service inputs"),
        (InputKind::Pipeline, "pipeline inputs"),
    ];
    fn types(b: &Bundle, k: InputKind) -> Option<&InputType> {
        b.schema.as_ref().and_then(|s| s.input_type(k))
    }
    for (kind, label) in labels {
        match (types(old, kind), types(new, kind)) {
            (Some(a), Some(b)) => changes.extend(diff_input_types(label, a, b)),
            (None, Some(_)) if kind == InputKind::Pipeline => {}
            (Some(_), None) if kind == InputKind::Pipeline => {}
            (None, Some(b)) => changes.push(change(
                label,
                format!("input type {} added", b.name),
                Bump::Major,
                "input added",
            )),
            (Some(a), None) => changes.push(change(
                label,
                format!("input type {} removed", a.name),
                Bump::Major,
                "input removed: major",
            )),
            (None, None) => {}
        }
    }
    if old.has_pipeline() != new.has_pipeline() {
        let what = if new.has_pipeline() {
            "pipeline added"
        } else {
            "pipeline removed"
        };
        changes.push(change("pipeline", what.into(), Bump::NotAllowed, "pipeline_input_type / pipeline_infrastructure added or removed: not allowed (pipelineProvisioning is fixed at creation)"));
    }
    let envs = |b: &Bundle| {
        b.registration
            .as_ref()
            .map(|r| r.compatible_environments.clone())
            .unwrap_or_default()
    };
    let (oe, ne) = (envs(old), envs(new));
    for e in ne.iter().filter(|e| !oe.contains(e)) {
        changes.push(change(
            "compatible environments",
            format!("{}:{} added", e.0, e.1),
            Bump::Major,
            "compatible environments added or removed: major",
        ));
    }
    for e in oe.iter().filter(|e| !ne.contains(e)) {
        changes.push(change(
            "compatible environments",
            format!("{}:{} removed", e.0, e.1),
            Bump::Major,
            "compatible environments added or removed: major",
        ));
    }
    let sources = |b: &Bundle| {
        b.registration
            .as_ref()
            .map(|r| r.supported_component_sources.clone())
            .unwrap_or_default()
    };
    if sources(old) != sources(new) {
        changes.push(change(
            "supported component sources",
            "changed".into(),
            Bump::Minor,
            "supported_component_sources changed: minor",
        ));
    }
    if old.method() != new.method() {
        changes.push(warn(change(
            "provisioning method",
            format!(
                "{} → {}",
                old.method().map_or("none", |m| m.label()),
                new.method().map_or("none", |m| m.label())
            ),
            Bump::Major,
            "provisioning method changed: warning, use a new major",
        )));
    }
    if old.kind != new.kind {
        changes.push(change(
            "template kind",
            format!("{:?} → {:?}", old.kind, new.kind),
            Bump::Major,
            "type changed: major",
        ));
    }
    let required = changes.iter().map(|c| c.needs).max().unwrap_or(Bump::None);
    let declared = declared.unwrap_or(match (old.major, new.major) {
        (Some(a), Some(b)) if b > a => Bump::Major,
        _ => Bump::Minor,
    });
    let honest = required != Bump::NotAllowed && required <= declared.max(Bump::Minor);
    let (rendered_diff, resources) = rendered_changes(old, new);
    Comparison {
        old: old.label(),
        new: new.label(),
        changes,
        required,
        declared,
        honest,
        rendered_diff,
        resources,
    }
}

/// [`compare`] in a workspace: the services it holds that are compatible with the old version's
/// major judge the new version too — an environment output such a service reads and the new
/// version no longer declares breaks it, so the change needs a major version, whatever the
/// services of the new version are registered for (docs/proton-semantics.md §11.3).
pub fn compare_in(
    workspace: &crate::workspace::Workspace,
    old: &Bundle,
    new: &Bundle,
    declared: Option<Bump>,
) -> Comparison {
    let mut comparison = compare(old, new, declared);
    let removed = match (
        workspace.declared_outputs(old).outputs(),
        workspace.declared_outputs(new).outputs(),
    ) {
        (Some(before), Some(after)) => before
            .iter()
            .filter(|o| !after.contains(o))
            .cloned()
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    if removed.is_empty() {
        return comparison;
    }
    let major = old.major.unwrap_or(1);
    for service in workspace
        .bundles
        .iter()
        .filter(|b| b.kind == crate::bundle::Kind::Service)
    {
        let compatible = service.registration.as_ref().is_some_and(|r| {
            r.compatible_environments
                .iter()
                .any(|(name, m)| *name == old.name && *m == major)
        });
        if !compatible {
            continue;
        }
        let reads = crate::workspace::suggestions::consumed(
            service,
            crate::workspace::suggestions::ENVIRONMENT_OUTPUTS,
        );
        for output in removed.iter().filter(|o| reads.contains(o)) {
            comparison.changes.push(change(
                "environment outputs",
                format!(
                    "output {output} removed: {} (compatible with {}:{major}) reads it",
                    service.label(),
                    old.name
                ),
                Bump::Major,
                "an output a compatible service reads removed: major",
            ));
        }
    }
    comparison.required = comparison
        .changes
        .iter()
        .map(|c| c.needs)
        .max()
        .unwrap_or(Bump::None);
    comparison.honest = comparison.required != Bump::NotAllowed
        && comparison.required <= comparison.declared.max(Bump::Minor);
    comparison
}

/// Renders both versions with default inputs and the same mocks, for every target they share.
fn rendered_changes(old: &Bundle, new: &Bundle) -> (String, Vec<ResourceChange>) {
    let mut diff = String::new();
    let mut resources = Vec::new();
    for target in new
        .targets()
        .into_iter()
        .filter(|t| old.targets().contains(t))
    {
        let request = Request {
            target: Some(target),
            skip_checks: true,
            ..mock_request(old, new)
        };
        let (a, b) = (run(old, &request), run(new, &request));
        let files: Vec<&String> = a
            .outputs
            .iter()
            .map(|o| &o.path)
            .chain(b.outputs.iter().map(|o| &o.path))
            .collect();
        let mut seen = Vec::new();
        for path in files {
            if seen.contains(&path) {
                continue;
            }
            seen.push(path);
            let text = |r: &crate::Report| {
                r.outputs
                    .iter()
                    .find(|o| &o.path == path)
                    .map(|o| o.content.clone())
                    .unwrap_or_default()
            };
            let (x, y) = (text(&a), text(&b));
            if x != y {
                diff.push_str(&udiff::unified_diff(&x, &y, 3, path));
            }
            resources.extend(resource_changes(path, &x, &y));
        }
    }
    (diff, resources)
}

/// Mocks that satisfy both versions' reads: every environment output they consume.
fn mock_request(old: &Bundle, new: &Bundle) -> Request {
    let mut request = Request {
        spec: Some(placeholder_spec(new)),
        ..Default::default()
    };
    for b in [old, new] {
        fill_plausible(
            &mut request.mocks.environment.outputs,
            consumed(b, ENVIRONMENT_OUTPUTS),
        );
    }
    request
}

/// `Resources` of a rendered CloudFormation text: logical id → type.
pub fn resource_types(text: &str) -> BTreeMap<String, String> {
    let Ok(doc) = yaml::parse(text) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    if let Some(resources) = doc.root.get("Resources").and_then(|r| r.as_map()) {
        for (k, v) in resources {
            let t = v.get("Type").map(|t| match &t.value {
                NodeValue::Str(s) => s.clone(),
                _ => t.key_text(),
            });
            out.insert(k.key_text(), t.unwrap_or_default());
        }
    }
    out
}

fn resource_changes(file: &str, old: &str, new: &str) -> Vec<ResourceChange> {
    let (a, b) = (resource_types(old), resource_types(new));
    let mut out = Vec::new();
    for (id, t) in &b {
        match a.get(id) {
            None => out.push(ResourceChange {
                file: file.into(),
                logical_id: id.clone(),
                change: "added",
                old_type: None,
                new_type: Some(t.clone()),
            }),
            Some(o) if o != t => out.push(ResourceChange {
                file: file.into(),
                logical_id: id.clone(),
                change: "type-changed",
                old_type: Some(o.clone()),
                new_type: Some(t.clone()),
            }),
            _ => {}
        }
    }
    for (id, t) in &a {
        if !b.contains_key(id) {
            out.push(ResourceChange {
                file: file.into(),
                logical_id: id.clone(),
                change: "removed",
                old_type: Some(t.clone()),
                new_type: None,
            });
        }
    }
    out
}

mod udiff;

#[cfg(test)]
mod tests;
