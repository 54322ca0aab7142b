//! The account as the AWS CLI prints it: `describe-stacks` files (`{"Stacks": [...]}`, paginated
//! output as several files) and `get-template` files named after their stack (`TemplateBody` a
//! string for YAML, an object for JSON) or raw template bodies. Each stack is mapped to what it was
//! to Proton by its propagated tags, never by the shape of its name (REFERENCE §14).

use crate::diagnostic::Diagnostic;
use serde_json::Value as Json;

/// The most stacks one adoption reads (an account holds at most 2,000 by default).
pub const MAX_STACKS: usize = 10_000;

/// Files as `(path, text)`.
pub type Texts = Vec<(String, String)>;

/// A deployed template body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// As submitted, byte for byte: a YAML template, or a raw JSON file.
    Text(String),
    /// A JSON template as `get-template` prints it: parsed, key order kept.
    Json(Json),
}

impl Body {
    /// Whether `rendered` is this body: byte for byte, or for a parsed JSON body the same JSON
    /// with its keys in the same order.
    pub fn is(&self, rendered: &str) -> bool {
        match self {
            Body::Text(text) => text == rendered,
            Body::Json(json) => serde_json::from_str::<Json>(rendered)
                .is_ok_and(|r| serde_json::to_string(&r).ok() == serde_json::to_string(json).ok()),
        }
    }

    /// The body as text, to diff with a render and to write as it is.
    pub fn text(&self) -> String {
        match self {
            Body::Text(text) => text.clone(),
            Body::Json(json) => serde_json::to_string_pretty(json).unwrap_or_default() + "\n",
        }
    }
}

/// One stack of the account.
#[derive(Debug, Clone)]
pub struct DeployedStack {
    pub name: String,
    /// Tags in the order `describe-stacks` lists them.
    pub tags: Vec<(String, String)>,
    pub outputs: Vec<(String, String)>,
    pub parameters: Vec<(String, String)>,
    pub body: Option<Body>,
    /// The describe-stacks file it was read from.
    pub file: String,
}

impl DeployedStack {
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `(key, value)` pairs (tags, outputs, parameters) as a JSON map of strings, in their order.
pub fn string_map(pairs: &[(String, String)]) -> serde_json::Map<String, Json> {
    pairs
        .iter()
        .map(|(k, v)| (k.clone(), Json::String(v.clone())))
        .collect()
}

/// What a stack was to Proton, from its tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Environment {
        name: String,
    },
    ServiceInstance {
        service: String,
        instance: String,
        /// The environment it runs in (`proton:environment`), when tagged.
        environment: Option<String>,
    },
    Pipeline {
        service: String,
    },
    Component {
        name: String,
    },
}

/// A stack mapped to Proton: its role and its template's name (no version: the tags have none).
#[derive(Debug, Clone)]
pub struct Mapped {
    pub role: Role,
    pub template: String,
    pub account: Option<String>,
}

/// The last `/`-separated segment after the ARN's resource part: `…:environment/dev` → `dev`.
fn arn_name(arn: &str) -> Option<&str> {
    let resource = arn.rsplit(':').next()?;
    resource.rsplit('/').next().filter(|n| !n.is_empty())
}

impl DeployedStack {
    /// The stack's role by Proton's tags; `Err` says why it is not one (no tags, a kind not
    /// told).
    pub fn mapped(&self) -> Result<Mapped, String> {
        let template = self
            .tag("proton:template")
            .ok_or("it has no `proton:template` tag: Proton did not make it")?;
        let template_name = arn_name(template)
            .ok_or_else(|| format!("its `proton:template` tag `{template}` is not an ARN"))?
            .to_string();
        let name = |key: &str| self.tag(key).and_then(arn_name).map(String::from);
        let role = if let Some(component) = name("proton:component") {
            Role::Component { name: component }
        } else if let Some(arn) = self.tag("proton:service-instance") {
            // `…:service/<service>/service-instance/<instance>`
            let resource = arn.rsplit(':').next().unwrap_or_default();
            let parts: Vec<&str> = resource.split('/').collect();
            match parts.as_slice() {
                ["service", service, "service-instance", instance] => Role::ServiceInstance {
                    service: service.to_string(),
                    instance: instance.to_string(),
                    environment: name("proton:environment"),
                },
                _ => {
                    return Err(format!(
                        "its `proton:service-instance` tag `{arn}` is not an instance ARN"
                    ))
                }
            }
        } else if let Some(service) = name("proton:service") {
            Role::Pipeline { service }
        } else if let Some(environment) = name("proton:environment") {
            Role::Environment { name: environment }
        } else {
            return Err("its tags name no environment, service or component".into());
        };
        Ok(Mapped {
            role,
            template: template_name,
            account: self.tag("proton:account").map(String::from),
        })
    }
}

/// The stacks read, with a body for each whose template was given.
#[derive(Debug, Default)]
pub struct Account {
    pub stacks: Vec<DeployedStack>,
}

impl Account {
    /// The environment stacks by environment name (mapped once; the first of a name wins).
    pub fn environments(&self) -> std::collections::BTreeMap<String, &DeployedStack> {
        let mut by_name = std::collections::BTreeMap::new();
        for stack in &self.stacks {
            if let Ok(Mapped {
                role: Role::Environment { name },
                ..
            }) = stack.mapped()
            {
                by_name.entry(name).or_insert(stack);
            }
        }
        by_name
    }
}

/// `[{"Key": k, "Value": v}]` (or `ParameterKey`/`OutputKey` pairs) as pairs.
fn pairs(value: Option<&Json>, key: &str, val: &str) -> Vec<(String, String)> {
    let Some(Json::Array(items)) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let k = item.get(key)?.as_str()?;
            let v = match item.get(val)? {
                Json::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((k.to_string(), v))
        })
        .collect()
}

/// The stack a template file is for: its name without the extension.
fn stack_of_file(path: &str) -> Option<(&str, &str)> {
    let name = path.rsplit(['/', '\\']).next()?;
    let (stem, extension) = name.rsplit_once('.')?;
    Some((stem, extension))
}

impl Account {
    /// Reads `stacks` (describe-stacks files, `(path, text)`) and `templates` (get-template files
    /// or raw bodies named `<StackName>.json|.yaml|.yml|.template`). Each problem is a located
    /// diagnostic; what could be read is kept.
    pub fn read(
        stacks: &[(String, String)],
        templates: &[(String, String)],
    ) -> (Account, Vec<Diagnostic>) {
        let mut account = Account::default();
        let mut diagnostics = Vec::new();
        for (path, text) in stacks {
            let parsed: Json = match serde_json::from_str(text) {
                Ok(json) => json,
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::error("adopt-stacks", format!("not JSON: {e}"))
                            .in_file(path)
                            .at(e.line() as u32, e.column() as u32)
                            .with_hint(
                                "write it with `aws cloudformation describe-stacks --output json`",
                            ),
                    );
                    continue;
                }
            };
            let Some(Json::Array(list)) = parsed.get("Stacks") else {
                diagnostics.push(
                    Diagnostic::error(
                        "adopt-stacks",
                        "no `Stacks` list: not describe-stacks output",
                    )
                    .in_file(path)
                    .with_hint("write it with `aws cloudformation describe-stacks --output json`"),
                );
                continue;
            };
            for item in list {
                let Some(name) = item.get("StackName").and_then(Json::as_str) else {
                    diagnostics.push(
                        Diagnostic::warning(
                            "adopt-stacks",
                            "a stack without `StackName` is skipped",
                        )
                        .in_file(path),
                    );
                    continue;
                };
                if account.stacks.len() >= MAX_STACKS {
                    diagnostics.push(
                        Diagnostic::error(
                            "adopt-stacks",
                            format!("more than {MAX_STACKS} stacks: the rest are not read"),
                        )
                        .in_file(path),
                    );
                    break;
                }
                if account.stacks.iter().any(|s| s.name == name) {
                    continue; // the same stack in two pages of output
                }
                account.stacks.push(DeployedStack {
                    name: name.to_string(),
                    tags: pairs(item.get("Tags"), "Key", "Value"),
                    outputs: pairs(item.get("Outputs"), "OutputKey", "OutputValue"),
                    parameters: pairs(item.get("Parameters"), "ParameterKey", "ParameterValue"),
                    body: None,
                    file: path.clone(),
                });
            }
        }
        for (path, text) in templates {
            let Some((stem, extension)) = stack_of_file(path) else {
                continue;
            };
            let body = match extension {
                "json" => match serde_json::from_str::<Json>(text) {
                    Ok(json) => match json.get("TemplateBody") {
                        Some(Json::String(body)) => Body::Text(body.clone()),
                        Some(object @ Json::Object(_)) => Body::Json(object.clone()),
                        Some(_) => {
                            diagnostics.push(
                                Diagnostic::error(
                                    "adopt-template",
                                    "`TemplateBody` is neither text nor an object",
                                )
                                .in_file(path),
                            );
                            continue;
                        }
                        // A raw JSON template, byte for byte.
                        None => Body::Text(text.clone()),
                    },
                    Err(e) => {
                        diagnostics.push(
                            Diagnostic::error("adopt-template", format!("not JSON: {e}"))
                                .in_file(path)
                                .at(e.line() as u32, e.column() as u32)
                                .with_hint("write it with `aws cloudformation get-template --stack-name <stack> --output json`"),
                        );
                        continue;
                    }
                },
                "yaml" | "yml" | "template" => Body::Text(text.clone()),
                _ => continue,
            };
            match account.stacks.iter_mut().find(|s| s.name == stem) {
                Some(stack) => stack.body = Some(body),
                None => diagnostics.push(
                    Diagnostic::warning(
                        "adopt-template",
                        format!("no stack `{stem}` in the describe-stacks output: this template is not used"),
                    )
                    .in_file(path)
                    .with_hint("name each template file after its stack: <StackName>.json"),
                ),
            }
        }
        (account, diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_map_by_their_tags() {
        let stacks = r#"{"Stacks": [
          {"StackName": "AWSProton-dev-cloudformation-X", "Tags": [
            {"Key": "proton:account", "Value": "111122223333"},
            {"Key": "proton:template", "Value": "arn:aws:proton:us-east-1:111122223333:environment-template/fargate-env"},
            {"Key": "proton:environment", "Value": "arn:aws:proton:us-east-1:111122223333:environment/dev"}],
           "Outputs": [{"OutputKey": "VpcId", "OutputValue": "vpc-1"}]},
          {"StackName": "web-fe", "Tags": [
            {"Key": "proton:template", "Value": "arn:aws:proton:us-east-1:111122223333:service-template/web"},
            {"Key": "proton:environment", "Value": "arn:aws:proton:us-east-1:111122223333:environment/dev"},
            {"Key": "proton:service", "Value": "arn:aws:proton:us-east-1:111122223333:service/shop"},
            {"Key": "proton:service-instance", "Value": "arn:aws:proton:us-east-1:111122223333:service/shop/service-instance/fe"}]},
          {"StackName": "pipe", "Tags": [
            {"Key": "proton:template", "Value": "arn:aws:proton:us-east-1:111122223333:service-template/web"},
            {"Key": "proton:service", "Value": "arn:aws:proton:us-east-1:111122223333:service/shop"}]},
          {"StackName": "hand-made"}]}"#;
        let templates = vec![
            (
                "t/web-fe.json".to_string(),
                r#"{"TemplateBody": "Resources: {}\n"}"#.to_string(),
            ),
            (
                "t/pipe.json".to_string(),
                r#"{"TemplateBody": {"Resources": {}}}"#.to_string(),
            ),
            ("t/ghost.yaml".to_string(), "x".to_string()),
        ];
        let (account, d) = Account::read(&[("stacks.json".into(), stacks.into())], &templates);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, "adopt-template");
        let roles: Vec<_> = account
            .stacks
            .iter()
            .map(|s| s.mapped().map(|m| m.role))
            .collect();
        assert_eq!(roles[0], Ok(Role::Environment { name: "dev".into() }));
        assert_eq!(
            roles[1],
            Ok(Role::ServiceInstance {
                service: "shop".into(),
                instance: "fe".into(),
                environment: Some("dev".into())
            })
        );
        assert_eq!(
            roles[2],
            Ok(Role::Pipeline {
                service: "shop".into()
            })
        );
        assert!(roles[3].is_err());
        assert_eq!(account.stacks[0].mapped().unwrap().template, "fargate-env");
        assert_eq!(
            account.stacks[1].body,
            Some(Body::Text("Resources: {}\n".into()))
        );
        assert!(account.stacks[2]
            .body
            .as_ref()
            .unwrap()
            .is("{\"Resources\": {}}"));
        let (_, d) = Account::read(&[("bad.json".into(), "{\"Stacks\": [".into())], &[]);
        assert_eq!((d[0].code.as_str(), d[0].line), ("adopt-stacks", Some(1)));
    }
}
