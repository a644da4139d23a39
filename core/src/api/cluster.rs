//! `Cluster` (cluster.karmada.io/v1alpha1): the fields karmada-scheduler reads.

use super::meta::{ObjectMeta, Taint};
use super::quantity::Quantity;
use crate::util::VecMap;
use serde::Serialize;

/// A member cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    /// `cluster.karmada.io/v1alpha1`.
    #[serde(default)]
    pub api_version: String,
    /// `Cluster`.
    #[serde(default)]
    pub kind: String,
    /// Metadata (name, labels).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: ClusterSpec,
    /// Status; `None` when the document has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ClusterStatus>,
}

/// `Cluster.spec`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ClusterSpec {
    /// `Push` or `Pull`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sync_mode: String,
    /// Provider.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider: String,
    /// Region.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// Deprecated single zone: never read by the zone field selector.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub zone: String,
    /// Zones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// Taints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    /// Resource models (grades) for the estimator's model path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_models: Vec<ResourceModel>,
}

/// One resource model grade.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ResourceModel {
    /// Grade.
    #[serde(default)]
    pub grade: u32,
    /// Ranges per resource.
    #[serde(default)]
    pub ranges: Vec<ResourceModelRange>,
}

/// One range of a resource model grade.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ResourceModelRange {
    /// Resource name.
    #[serde(default)]
    pub name: String,
    /// Lower bound.
    #[serde(default)]
    pub min: Quantity,
    /// Upper bound.
    #[serde(default)]
    pub max: Quantity,
}

/// `Cluster.status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ClusterStatus {
    /// Kubernetes version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kubernetes_version: String,
    /// APIs the cluster serves.
    #[serde(default)]
    pub api_enablements: Vec<ApiEnablement>,
    /// Conditions (`Ready`, `CompleteAPIEnablements`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Capacity summary; `None` means 0 available replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_summary: Option<ResourceSummary>,
}

/// One `apiEnablements[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ApiEnablement {
    /// `apps/v1`, `v1`, ...
    #[serde(default)]
    pub group_version: String,
    /// Resources of that group version.
    #[serde(default)]
    pub resources: Vec<ApiResource>,
}

/// One served resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ApiResource {
    /// Plural name.
    #[serde(default)]
    pub name: String,
    /// Kind.
    #[serde(default)]
    pub kind: String,
}

/// A status condition.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// Condition type.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default)]
    pub status: String,
    /// Reason.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Message.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// `status.resourceSummary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ResourceSummary {
    /// Allocatable resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocatable: Option<VecMap<String, Quantity>>,
    /// Allocated resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocated: Option<VecMap<String, Quantity>>,
    /// Resources being allocated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocating: Option<VecMap<String, Quantity>>,
    /// Node counts per resource-model grade.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allocatable_modelings: Vec<AllocatableModeling>,
}

/// Node count of one grade.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct AllocatableModeling {
    /// Grade.
    #[serde(default)]
    pub grade: u32,
    /// Node count.
    #[serde(default)]
    pub count: i64,
}

impl Cluster {
    /// Name.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
}
