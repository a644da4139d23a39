//! ResourceBinding / ClusterResourceBinding (work.karmada.io/v1alpha2): what the detector builds and the
//! scheduler reads.

use super::policy::{Placement, PolicyKind};
use super::quantity::Quantity;
use crate::util::VecMap;
use serde::Serialize;

/// Reference to the policy that claimed a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PolicyRef {
    /// Policy kind.
    pub kind: PolicyKind,
    /// Namespace ("" for a ClusterPropagationPolicy).
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl PolicyRef {
    /// `PropagationPolicy ns/name` or `ClusterPropagationPolicy name`.
    pub fn display(&self) -> String {
        match self.kind {
            PolicyKind::PropagationPolicy => format!("PropagationPolicy {}/{}", self.namespace, self.name),
            PolicyKind::ClusterPropagationPolicy => format!("ClusterPropagationPolicy {}", self.name),
        }
    }
}

/// `spec.resource` of a binding.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    /// apiVersion.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Namespace ("" for cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// UID of the template.
    pub uid: String,
}

/// `spec.replicaRequirements`: per-replica resource requests and node claim.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaRequirements {
    /// Per-replica requests (only resources with a value > 0).
    pub resource_request: VecMap<String, Quantity>,
    /// Whether the pod template has a node claim (nodeSelector, tolerations, required node affinity).
    pub has_node_claim: bool,
}

/// A ResourceBinding (namespaced template) or ClusterResourceBinding (cluster-scoped template).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceBinding {
    /// `<name>-<kind lowercased>` (`names.GenerateBindingName`).
    pub name: String,
    /// Namespace of the template; "" for a ClusterResourceBinding.
    pub namespace: String,
    /// The template it binds.
    pub resource: ObjectReference,
    /// Desired replicas from the resource interpreter (0 for non-workloads).
    pub replicas: i64,
    /// Per-replica requirements, `None` when the template has no requests and no node claim.
    pub replica_requirements: Option<ReplicaRequirements>,
    /// Placement copied from the claiming policy at the last apply.
    pub placement: Placement,
    /// `Abort` or `Overwrite` from the policy.
    pub conflict_resolution: String,
    /// Policy that last applied this binding (claim metadata; cleared when that policy is deleted).
    pub policy: Option<PolicyRef>,
}

impl ResourceBinding {
    /// `ResourceBinding` or `ClusterResourceBinding`.
    pub fn kind(&self) -> &'static str {
        if self.namespace.is_empty() {
            "ClusterResourceBinding"
        } else {
            "ResourceBinding"
        }
    }
    /// `IsWorkload()`: replicas > 0 or requirements present.
    pub fn is_workload(&self) -> bool {
        self.replicas > 0 || self.replica_requirements.is_some()
    }
}

/// `names.GenerateBindingName`: `:` becomes `.`, then `name-kind` lower-cased.
pub fn binding_name(kind: &str, name: &str) -> String {
    crate::util::golower::to_lower(&format!("{}-{}", name.replace(':', "."), kind))
}
