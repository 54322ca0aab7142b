//! The rendering context of each target (docs/proton-semantics.md §6): variables, mock defaults,
//! key order, `service_instance.components.default` and the pre-GA compatibility mode.

mod mocks;

pub use mocks::*;

use minijinja::value::{Enumerator, Object, Value};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value as Json};
use std::sync::Arc;

/// What is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    Environment,
    ServiceInstance,
    Pipeline,
    Component,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Environment => "environment",
            Target::ServiceInstance => "service-instance",
            Target::Pipeline => "pipeline",
            Target::Component => "component",
        }
    }

    pub fn parse(s: &str) -> Option<Target> {
        match s.replace('_', "-").as_str() {
            "environment" => Some(Target::Environment),
            "service-instance" | "instance" => Some(Target::ServiceInstance),
            "pipeline" => Some(Target::Pipeline),
            "component" => Some(Target::Component),
            _ => None,
        }
    }
}

/// One service instance as rendered: its name, environment name and merged inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub name: String,
    pub environment: String,
    pub inputs: Map<String, Json>,
}

/// Outputs are strings in Proton: mocked values are turned into their text.
fn string_outputs(outputs: &Map<String, Json>) -> Json {
    Json::Object(
        outputs
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Json::String(s) => s.clone(),
                    other => {
                        crate::render::pyrepr::py_str(&Value::from(minijinja::value::Serde(other)))
                    }
                };
                (k.clone(), Json::String(text))
            })
            .collect(),
    )
}

fn service(mocks: &Mocks) -> Json {
    let s = &mocks.service;
    json!({
        "name": s.name.as_deref().unwrap_or(DEFAULT_SERVICE),
        "branch_name": s.branch_name.as_deref().unwrap_or(DEFAULT_BRANCH),
        "repository_id": s.repository_id.as_deref().unwrap_or(DEFAULT_REPOSITORY),
        "repository_connection_arn": s.repository_connection_arn.as_deref().unwrap_or(DEFAULT_CONNECTION),
    })
}

fn environment_of(instance: &Instance, mocks: &Mocks) -> Json {
    let own = mocks.environments.get(&instance.environment);
    json!({
        "name": instance.environment,
        "account_id": own.and_then(|e| e.account_id.as_deref()).unwrap_or(mocks.account_id()),
        "outputs": string_outputs(own.map_or(&mocks.environment.outputs, |e| &e.outputs)),
    })
}

/// Builds the JSON context of `target`. `instances` are in spec order; `chosen` is the instance
/// rendered by the instance and component targets.
pub fn build(
    target: Target,
    environment_inputs: &Map<String, Json>,
    pipeline_inputs: &Map<String, Json>,
    instances: &[Instance],
    chosen: usize,
    mocks: &Mocks,
    compat_preview: bool,
) -> Json {
    let fallback = Instance {
        name: DEFAULT_INSTANCE.into(),
        environment: mocks
            .environment
            .name
            .clone()
            .unwrap_or_else(|| DEFAULT_ENVIRONMENT.into()),
        inputs: Map::new(),
    };
    let instance = instances.get(chosen).unwrap_or(&fallback);
    let mut context = match target {
        Target::Environment => {
            let mut env = Map::new();
            env.insert(
                "name".into(),
                json!(mocks
                    .environment
                    .name
                    .as_deref()
                    .unwrap_or(DEFAULT_ENVIRONMENT)),
            );
            env.insert("inputs".into(), Json::Object(environment_inputs.clone()));
            if let Some(account) = &mocks.environment.account_id {
                env.insert("account_id".into(), json!(account));
            }
            json!({ "environment": env })
        }
        Target::ServiceInstance => {
            let default = match &mocks.component.outputs {
                Some(outputs) => json!({
                    "name": mocks.component.name.as_deref().unwrap_or(DEFAULT_COMPONENT),
                    "outputs": string_outputs(outputs),
                }),
                None => json!({}),
            };
            json!({
                "environment": environment_of(instance, mocks),
                "service": service(mocks),
                "service_instance": {
                    "name": instance.name,
                    "inputs": instance.inputs,
                    "components": { "default": default },
                },
            })
        }
        Target::Pipeline => {
            let items: Vec<Json> = instances
                .iter()
                .map(|i| {
                    json!({
                        "name": i.name,
                        "inputs": i.inputs,
                        "environment": environment_of(i, mocks),
                        "outputs": string_outputs(
                            match mocks.outputs_by_instance.get(&i.name) {
                                Some(Json::Object(own)) => own,
                                _ => &mocks.instance_outputs,
                            },
                        ),
                    })
                })
                .collect();
            json!({
                "service": service(mocks),
                "pipeline": { "inputs": pipeline_inputs },
                "service_instances": items,
            })
        }
        Target::Component => json!({
            "environment": environment_of(instance, mocks),
            "service": service(mocks),
            "service_instance": { "name": instance.name, "inputs": instance.inputs },
            "component": { "name": mocks.component.name.as_deref().unwrap_or(DEFAULT_COMPONENT) },
        }),
    };
    if compat_preview {
        apply_preview_compat(&mut context);
    }
    context
}

/// Pre-GA compatibility (docs/proton-semantics.md §6.5): copy inputs then outputs onto their
/// objects, `spec` on pipeline instances, `service_name` and `source`. Existing keys always win.
pub fn apply_preview_compat(context: &mut Json) {
    fn flatten(object: &mut Json) {
        let Some(map) = object.as_object_mut() else {
            return;
        };
        for section in ["inputs", "outputs"] {
            if let Some(Json::Object(values)) = map.get(section).cloned() {
                for (k, v) in values {
                    map.entry(k).or_insert(v);
                }
            }
        }
    }
    let Some(root) = context.as_object_mut() else {
        return;
    };
    for key in ["environment", "service_instance", "pipeline"] {
        if let Some(obj) = root.get_mut(key) {
            flatten(obj);
        }
    }
    if let Some(Json::Array(items)) = root.get_mut("service_instances") {
        for item in items {
            flatten(item);
            if let Some(env) = item.get_mut("environment") {
                flatten(env);
            }
            if let Some(map) = item.as_object_mut() {
                let inputs = map.get("inputs").cloned().unwrap_or(json!({}));
                map.entry("spec").or_insert(inputs);
            }
        }
    }
    if let Some(service) = root.get("service").cloned() {
        root.entry("service_name")
            .or_insert(service["name"].clone());
        root.entry("source").or_insert(json!({
            "repository": service["repository_id"],
            "connection_arn": service["repository_connection_arn"],
            "branch": service["branch_name"],
        }));
    }
}

/// A detached `service_instance.components.default`: prints and measures as `{}`, yet exposes
/// an empty `outputs` mapping (docs/proton-semantics.md §6.3).
#[derive(Debug)]
struct DetachedComponent;

impl Object for DetachedComponent {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        (key.as_str() == Some("outputs"))
            .then(|| Value::from(std::collections::BTreeMap::<String, Value>::new()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Empty
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(0)
    }
}

/// The template value of a JSON context, with the detached component object in place.
pub fn to_template_value(context: &Json) -> Value {
    let detached = context
        .pointer("/service_instance/components/default")
        .is_some_and(|d| d.as_object().is_some_and(Map::is_empty));
    if !detached {
        return Value::from(minijinja::value::Serde(context));
    }
    let mut root: Vec<(String, Value)> = Vec::new();
    for (key, value) in context.as_object().into_iter().flatten() {
        if key != "service_instance" {
            root.push((key.clone(), Value::from(minijinja::value::Serde(value))));
            continue;
        }
        let mut instance: Vec<(String, Value)> = Vec::new();
        for (k, v) in value.as_object().into_iter().flatten() {
            let converted = if k == "components" {
                Value::from_pairs([("default", Value::from_object(DetachedComponent))])
            } else {
                Value::from(minijinja::value::Serde(v))
            };
            instance.push((k.clone(), converted));
        }
        root.push((key.clone(), Value::from_pairs(instance)));
    }
    Value::from_pairs(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst() -> Vec<Instance> {
        vec![Instance {
            name: "frontend-dev".into(),
            environment: "dev-env".into(),
            inputs: json!({"port": 80}).as_object().unwrap().clone(),
        }]
    }

    #[test]
    fn service_instance_key_order() {
        let mut mocks = Mocks::default();
        mocks
            .environment
            .outputs
            .insert("VpcId".into(), json!("vpc-1"));
        let ctx = build(
            Target::ServiceInstance,
            &Map::new(),
            &Map::new(),
            &inst(),
            0,
            &mocks,
            false,
        );
        assert_eq!(
            ctx.to_string(),
            r#"{"environment":{"name":"dev-env","account_id":"123456789012","outputs":{"VpcId":"vpc-1"}},"service":{"name":"my-service","branch_name":"main","repository_id":"myorg/myrepo","repository_connection_arn":"arn:aws:codestar-connections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000"},"service_instance":{"name":"frontend-dev","inputs":{"port":80},"components":{"default":{}}}}"#
        );
    }

    #[test]
    fn detached_component_behaves_like_proton() {
        let ctx = build(
            Target::ServiceInstance,
            &Map::new(),
            &Map::new(),
            &inst(),
            0,
            &Mocks::default(),
            false,
        );
        let value = to_template_value(&ctx);
        let env = minijinja::Environment::new();
        let r = |src: &str| env.render_str(src, value.clone()).unwrap();
        assert_eq!(
            r("{{ service_instance.components.default.outputs | length }}"),
            "0"
        );
        assert_eq!(r("{{ service_instance.components.default | length }}"), "0");
        assert_eq!(r("{{ service_instance.components.default is defined }}|{{ service_instance.components.default.name is defined }}"), "True|False");
        assert_eq!(
            r("{{ service_instance.components.default.outputs.x | default('[optional-value]') }}"),
            "[optional-value]"
        );
    }

    #[test]
    fn preview_compat_copies_inputs() {
        let inputs = json!({"ClusterName": "c"}).as_object().unwrap().clone();
        let ctx = build(
            Target::Environment,
            &inputs,
            &Map::new(),
            &[],
            0,
            &Mocks::default(),
            true,
        );
        assert_eq!(ctx["environment"]["ClusterName"], json!("c"));
        let ctx = build(
            Target::Pipeline,
            &Map::new(),
            &inputs,
            &inst(),
            0,
            &Mocks::default(),
            true,
        );
        assert_eq!(ctx["pipeline"]["ClusterName"], json!("c"));
        assert_eq!(ctx["service_instances"][0]["spec"]["port"], json!(80));
        assert_eq!(ctx["service_name"], json!("my-service"));
        assert_eq!(ctx["source"]["branch"], json!("main"));
    }
}
