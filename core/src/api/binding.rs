//! ResourceBinding / ClusterResourceBinding (work.karmada.io/v1alpha2): what the detector builds and the
//! scheduler reads.

use super::policy::{Placement, PolicyKind, Suspension};
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

/// One `spec.requiredBy` entry: a binding that requires this (attached) binding, with its scheduling result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BindingSnapshot {
    /// Namespace of the requiring binding.
    pub namespace: String,
    /// Name of the requiring binding.
    pub name: String,
    /// Its `spec.clusters` (name, replicas) when the dependencies distributor last synced it.
    pub clusters: Vec<(String, i64)>,
}

/// A ResourceBinding (namespaced template) or ClusterResourceBinding (cluster-scoped template).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
    /// `spec.placement` is set: a policy applied this binding (false for an attached binding the dependencies
    /// distributor created, whose `spec.placement` is nil and which the scheduler never sees).
    pub placed: bool,
    /// `spec.schedulerName` from the policy (CRD default `default-scheduler`).
    pub scheduler_name: String,
    /// `spec.propagateDeps` from the policy.
    pub propagate_deps: bool,
    /// `spec.suspension` from the policy (`util.MergePolicySuspension`).
    pub suspension: Option<Suspension>,
    /// `spec.preserveResourcesOnDeletion`.
    pub preserve_resources_on_deletion: Option<bool>,
    /// `spec.requiredBy`: the bindings whose workloads depend on this one (dependencies distributor).
    pub required_by: Vec<BindingSnapshot>,
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
    /// Whether karmada-scheduler (`default-scheduler`) takes this binding (`schedulerNameFilter`,
    /// `pkg/scheduler/event_handler.go`: an empty name means the default).
    pub fn for_default_scheduler(&self) -> bool {
        self.scheduler_name.is_empty() || self.scheduler_name == DEFAULT_SCHEDULER
    }
    /// `shouldSuspendDispatching` (`pkg/controllers/binding/common.go`): all clusters, or the named ones.
    pub fn dispatching_suspended(&self, cluster: &str) -> bool {
        let Some(s) = &self.suspension else { return false };
        s.dispatching.unwrap_or(false)
            || s.dispatching_on_clusters.as_ref().is_some_and(|c| c.cluster_names.iter().any(|n| n == cluster))
    }
    /// `IsWorkload()`: replicas > 0 or requirements present.
    pub fn is_workload(&self) -> bool {
        self.replicas > 0 || self.replica_requirements.is_some()
    }
}

/// The scheduler name karmada-scheduler runs as.
pub const DEFAULT_SCHEDULER: &str = "default-scheduler";

/// `names.GenerateBindingName`: `:` becomes `.`, then `name-kind` lower-cased.
pub fn binding_name(kind: &str, name: &str) -> String {
    crate::util::golower::to_lower(&format!("{}-{}", name.replace(':', "."), kind))
}
