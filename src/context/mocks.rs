//! What Proton knew that a bundle does not say (docs/proton-semantics.md §6.2): names, account,
//! repository, environment and component outputs. Every key is optional; absent ones take these
//! defaults.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

pub const DEFAULT_ENVIRONMENT: &str = "my-env";
pub const DEFAULT_INSTANCE: &str = "my-instance";
pub const DEFAULT_SERVICE: &str = "my-service";
pub const DEFAULT_COMPONENT: &str = "my-component";
pub const DEFAULT_ACCOUNT: &str = "123456789012";
pub const DEFAULT_BRANCH: &str = "main";
pub const DEFAULT_REPOSITORY: &str = "myorg/myrepo";
pub const DEFAULT_CONNECTION: &str =
    "arn:aws:codestar-connections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000";

/// Mocked environment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnvironmentMock {
    pub name: Option<String>,
    pub account_id: Option<String>,
    pub outputs: Map<String, Json>,
}

/// Mocked service fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceMock {
    pub name: Option<String>,
    pub branch_name: Option<String>,
    pub repository_id: Option<String>,
    pub repository_connection_arn: Option<String>,
}

/// The attached component (present outputs ⇒ attached).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComponentMock {
    pub name: Option<String>,
    pub outputs: Option<Map<String, Json>>,
}

/// Overrides for the rendered instance (instance and component targets), winning over the spec.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstanceMock {
    pub name: Option<String>,
    pub environment: Option<String>,
}

/// Everything Proton would have known that a bundle does not say (docs/proton-semantics.md §6.2).
/// Every key is optional; YAML or JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mocks {
    pub environment: EnvironmentMock,
    pub service: ServiceMock,
    pub instance: InstanceMock,
    /// Every pipeline `service_instances[i].outputs`.
    pub instance_outputs: Map<String, Json>,
    /// One instance's outputs in a pipeline's `service_instances`, by instance name (winning over
    /// `instance_outputs`): each instance stack has its own.
    pub outputs_by_instance: Map<String, Json>,
    /// The environment an instance runs in, by environment name (winning over `environment`'s
    /// account and outputs for the instances in it): a pipeline's instances may run in several.
    pub environments: std::collections::BTreeMap<String, EnvironmentMock>,
    pub component: ComponentMock,
}

impl Mocks {
    pub fn account_id(&self) -> &str {
        self.environment
            .account_id
            .as_deref()
            .unwrap_or(DEFAULT_ACCOUNT)
    }

    pub fn component_attached(&self) -> bool {
        self.component.outputs.is_some()
    }
}
