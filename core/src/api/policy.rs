//! `PropagationPolicy` / `ClusterPropagationPolicy` (policy.karmada.io/v1alpha1).
//!
//! Field names and shapes follow `pkg/apis/policy/v1alpha1/propagation_types.go`. Unknown fields are rejected,
//! as the CRD's structural schema prunes/rejects them on a strict `kubectl apply`.

use super::meta::{LabelSelector, LabelSelectorRequirement, ObjectMeta, Toleration};
use serde::{Deserialize, Serialize};

/// Which of the two policy kinds a policy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    /// Namespaced `PropagationPolicy`.
    PropagationPolicy,
    /// Cluster-scoped `ClusterPropagationPolicy`.
    ClusterPropagationPolicy,
}

impl PolicyKind {
    /// The Kubernetes kind string.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::PropagationPolicy => "PropagationPolicy",
            PolicyKind::ClusterPropagationPolicy => "ClusterPropagationPolicy",
        }
    }
    /// The webhook name in admission denials.
    pub fn webhook_name(self) -> &'static str {
        match self {
            PolicyKind::PropagationPolicy => "propagationpolicy.karmada.io",
            PolicyKind::ClusterPropagationPolicy => "clusterpropagationpolicy.karmada.io",
        }
    }
    /// The permanent-id label key written on the policy and on claimed objects.
    pub fn permanent_id_label(self) -> &'static str {
        match self {
            PolicyKind::PropagationPolicy => "propagationpolicy.karmada.io/permanent-id",
            PolicyKind::ClusterPropagationPolicy => "clusterpropagationpolicy.karmada.io/permanent-id",
        }
    }
}

/// A PropagationPolicy or ClusterPropagationPolicy as the user wrote it (before admission).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PropagationPolicy {
    /// `policy.karmada.io/v1alpha1`.
    pub api_version: String,
    /// `PropagationPolicy` or `ClusterPropagationPolicy`.
    pub kind: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The spec (required by the CRD schema).
    pub spec: PropagationSpec,
}

/// `PropagationSpec`, shared by both policy kinds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PropagationSpec {
    /// Resources this policy selects (CRD: required, at least one).
    pub resource_selectors: Vec<ResourceSelector>,
    /// Deprecated, read by nobody.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub association: bool,
    /// Propagate dependencies.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub propagate_deps: bool,
    /// Where the resources go.
    #[serde(default)]
    pub placement: Placement,
    /// Explicit priority (CRD default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// `Always` or `Never` (CRD default `Never`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub preemption: String,
    /// OverridePolicies that must exist before this policy is applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependent_overrides: Vec<String>,
    /// Scheduler name (CRD default `default-scheduler`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scheduler_name: String,
    /// Failover behaviour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover: Option<FailoverBehavior>,
    /// `Abort` or `Overwrite` (CRD default `Abort`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub conflict_resolution: String,
    /// `Lazy` or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub activation_preference: String,
    /// Suspension of dispatching.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension: Option<Suspension>,
    /// Keep member resources when the template is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preserve_resources_on_deletion: Option<bool>,
    /// Scheduling priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_priority: Option<SchedulePriority>,
}

impl PropagationSpec {
    /// `ExplicitPriority()`: the priority, 0 when unset (`propagation_helper.go`).
    pub fn explicit_priority(&self) -> i32 {
        self.priority.unwrap_or(0)
    }
    /// `preemptionEnabled` (`pkg/detector/preemption.go`): only the exact string `Always`.
    pub fn preemption_always(&self) -> bool {
        self.preemption == "Always"
    }
}

/// One resource selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceSelector {
    /// Exact apiVersion (`apps/v1`, `v1`).
    pub api_version: String,
    /// Exact, case-sensitive kind.
    pub kind: String,
    /// Namespace; empty inherits the parent scope.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Name; empty selects all names.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Ignored when `name` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
}

/// `placement`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Placement {
    /// Single affinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_affinity: Option<ClusterAffinity>,
    /// Ordered affinity groups (fallback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_affinities: Option<Vec<ClusterAffinityTerm>>,
    /// Tolerations of cluster taints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_tolerations: Vec<Toleration>,
    /// Spread constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spread_constraints: Vec<SpreadConstraint>,
    /// Replica scheduling; `None` means Duplicated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_scheduling: Option<ReplicaSchedulingStrategy>,
    /// Workload affinity (gate WorkloadAffinity, off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_affinity: Option<WorkloadAffinity>,
}

impl Placement {
    /// `Placement.ReplicaSchedulingType()`: `Duplicated` when `replicaScheduling` is absent.
    pub fn replica_scheduling_type(&self) -> &str {
        match &self.replica_scheduling {
            None => "Duplicated",
            Some(r) => r.replica_scheduling_type.as_str(),
        }
    }
}

/// `clusterAffinity`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterAffinity {
    /// Cluster label selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// provider/region/zone selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_selector: Option<FieldSelector>,
    /// Cluster names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_names: Vec<String>,
    /// Excluded cluster names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

/// `fieldSelector`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldSelector {
    /// Node-selector style requirements over provider/region/zone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One `clusterAffinities[]` term: a name plus an inline ClusterAffinity.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterAffinityTerm {
    /// Term name.
    #[serde(default)]
    pub affinity_name: String,
    /// Cluster label selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// provider/region/zone selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_selector: Option<FieldSelector>,
    /// Cluster names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_names: Vec<String>,
    /// Excluded cluster names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Overflow tiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overflow_affinities: Option<Vec<OverflowClusterAffinity>>,
}

impl ClusterAffinityTerm {
    /// The inline affinity of this term.
    pub fn affinity(&self) -> ClusterAffinity {
        ClusterAffinity {
            label_selector: self.label_selector.clone(),
            field_selector: self.field_selector.clone(),
            cluster_names: self.cluster_names.clone(),
            exclude: self.exclude.clone(),
        }
    }
}

/// One overflow tier of a `clusterAffinities[]` term.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverflowClusterAffinity {
    /// Tier name.
    #[serde(default)]
    pub affinity_name: String,
    /// Cluster label selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// provider/region/zone selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_selector: Option<FieldSelector>,
    /// Cluster names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_names: Vec<String>,
    /// Excluded cluster names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

impl OverflowClusterAffinity {
    /// The inline affinity of this tier.
    pub fn affinity(&self) -> ClusterAffinity {
        ClusterAffinity {
            label_selector: self.label_selector.clone(),
            field_selector: self.field_selector.clone(),
            cluster_names: self.cluster_names.clone(),
            exclude: self.exclude.clone(),
        }
    }
}

/// `spreadConstraints[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpreadConstraint {
    /// `cluster`, `region`, `zone` or `provider`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub spread_by_field: String,
    /// A cluster label key (not supported by the scheduler).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub spread_by_label: String,
    /// Maximum groups (0 = unset).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max_groups: i64,
    /// Minimum groups (webhook default 1).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_groups: i64,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

/// `replicaScheduling`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplicaSchedulingStrategy {
    /// `Duplicated` or `Divided` (CRD default `Divided`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub replica_scheduling_type: String,
    /// `Aggregated` or `Weighted` (webhook default `Weighted` when Divided).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub replica_division_preference: String,
    /// Weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_preference: Option<ClusterPreferences>,
}

/// `weightPreference`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterPreferences {
    /// Static weights.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub static_weight_list: Vec<StaticClusterWeight>,
    /// `AvailableReplicas` or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dynamic_weight: String,
}

/// One static weight rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StaticClusterWeight {
    /// Which clusters the weight is for.
    #[serde(default)]
    pub target_cluster: ClusterAffinity,
    /// Weight (CRD minimum 1).
    pub weight: i64,
}

/// `workloadAffinity`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadAffinity {
    /// Affinity term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<WorkloadAffinityTerm>,
    /// Anti-affinity term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anti_affinity: Option<WorkloadAffinityTerm>,
}

/// A workload (anti-)affinity term.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadAffinityTerm {
    /// Label key grouping workloads.
    #[serde(default)]
    pub group_by_label_key: String,
}

/// `failover`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailoverBehavior {
    /// Application failover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<ApplicationFailoverBehavior>,
    /// Cluster failover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterFailoverBehavior>,
}

/// `failover.application`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationFailoverBehavior {
    /// When to fail over.
    #[serde(default)]
    pub decision_conditions: DecisionConditions,
    /// `Directly`, `Gracefully` or `Never`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purge_mode: String,
    /// Grace period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_period_seconds: Option<i64>,
    /// State preservation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_preservation: Option<StatePreservation>,
}

/// `failover.cluster`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterFailoverBehavior {
    /// `Directly` or `Gracefully`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purge_mode: String,
    /// State preservation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_preservation: Option<StatePreservation>,
}

/// `decisionConditions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionConditions {
    /// CRD default 300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

/// `statePreservation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatePreservation {
    /// Rules.
    #[serde(default)]
    pub rules: Vec<StatePreservationRule>,
}

/// One state preservation rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatePreservationRule {
    /// Label name to write.
    #[serde(default)]
    pub alias_label_name: String,
    /// JSONPath to read.
    #[serde(default)]
    pub json_path: String,
}

/// `suspension`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Suspension {
    /// Suspend dispatching to all clusters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatching: Option<bool>,
    /// Suspend dispatching to these clusters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatching_on_clusters: Option<SuspendClusters>,
}

/// `suspension.dispatchingOnClusters`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SuspendClusters {
    /// Cluster names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_names: Vec<String>,
}

/// `schedulePriority`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchedulePriority {
    /// `KubePriorityClass`.
    #[serde(default)]
    pub priority_class_source: String,
    /// Class name.
    #[serde(default)]
    pub priority_class_name: String,
}
