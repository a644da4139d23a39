//! The views' shapes: the compact report (one entry per resource template with the conformance vectors'
//! fields, the timeline once, the diagnostics: the JSON every facade prints) and a resource's why-trace.

use crate::detector::timeline::TimelineEvent;
use crate::diagnostic::Diagnostic;
use crate::scheduler::ScheduleExplain;
use serde::Serialize;

/// Karmada commit whose semantics this engine follows.
pub const KARMADA_COMMIT: &str = "f8fdd02df3760fd9521624f284877fa84e7be6ef";
/// Karmada version of that commit.
pub const KARMADA_VERSION: &str = "v1.19.0-rc.0-18-gf8fdd02df";

/// Feature gates in effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct FeatureGatesOut {
    /// `PropagationPolicyPreemption`.
    #[serde(rename = "PropagationPolicyPreemption")]
    pub propagation_policy_preemption: bool,
}

/// The policy that claims a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PolicyOut {
    /// `PropagationPolicy` or `ClusterPropagationPolicy`.
    pub kind: String,
    /// Namespace ("" for a ClusterPropagationPolicy).
    pub namespace: String,
    /// Name.
    pub name: String,
}

/// One target cluster of a placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PlacementOut {
    /// Cluster name.
    pub cluster: String,
    /// Replicas (0 for non-workloads).
    pub replicas: i64,
}

/// How one policy relates to a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PolicyVerdict {
    /// The policy.
    pub policy: PolicyOut,
    /// Explicit priority.
    pub priority: i32,
    /// Implicit priority of its best selector (0 = no match, 1 kind, 2 labelSelector, 3 name).
    pub implicit_priority: u8,
    /// `preemption: Always`.
    pub preemption: bool,
    /// Short verdict: `claims`, `matches`, `no match`, `denied` (refused by the admission webhook).
    pub verdict: String,
    /// Why.
    pub reason: String,
    /// For `denied`: the document that submitted the policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    /// For `denied`: where in the text the denial points (as its diagnostic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<crate::diagnostic::Span>,
}

/// The why-trace of one resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ResourceExplain {
    /// Every policy that could apply (same namespace PPs, all CPPs), best first.
    pub policies: Vec<PolicyVerdict>,
    /// Timeline events about this resource.
    pub events: Vec<TimelineEvent>,
    /// The scheduler's per-cluster verdicts, when the resource has a binding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<ScheduleExplain>,
    /// Per target cluster, the override rules applied (in order) to build its Work, or the build error.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<crate::execution::OverrideExplain>,
}

/// The result for one resource template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ResourceResult {
    /// apiVersion.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Namespace ("" for cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Claiming policy, null when unclaimed.
    pub policy: Option<PolicyOut>,
    /// ResourceBinding / ClusterResourceBinding name, null when none.
    pub binding: Option<String>,
    /// `spec.clusters` after scheduling, sorted by cluster name.
    pub placement: Vec<PlacementOut>,
    /// The `Scheduled=False` condition message, or null.
    pub error: Option<String>,
    /// Latest apply result per target cluster (present when the scenario describes member-cluster objects).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply: Option<Vec<crate::execution::ApplyEntry>>,
    /// Every target cluster applied (Created, Adopted or Updated); present with `apply`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fully_applied: Option<bool>,
    /// Per target cluster: override rules applied, the manifest the cluster receives, and the build error
    /// (present when the scenario has OverridePolicy / ClusterOverridePolicy documents).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Vec<crate::execution::OverrideEntry>>,
    /// Member clusters holding the object at the end of the stream and whether Karmada manages it there
    /// (present when a policy uses propagateDeps, suspension, preserveResourcesOnDeletion, dependentOverrides
    /// or schedulerName).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<crate::execution::MemberEntry>>,
    /// Kind of the binding (`ResourceBinding` or `ClusterResourceBinding`), null when none.
    pub binding_kind: Option<String>,
    /// Document that last applied the template.
    pub document: usize,
    /// Why: present only where an explanation was asked for (`explain`, `--explain`), never in the compact
    /// report.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub explain: Option<ResourceExplain>,
}

/// A resource's result with its why-trace; serializes as the result with its `explain` field set.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedResource {
    /// The result.
    pub result: ResourceResult,
    /// Why.
    pub explain: ResourceExplain,
}

impl ExplainedResource {
    /// The result with its `explain` field set.
    pub fn into_result(self) -> ResourceResult {
        ResourceResult { explain: Some(self.explain), ..self.result }
    }
}

impl Serialize for ExplainedResource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.clone().into_result().serialize(serializer)
    }
}

impl ResourceResult {
    /// `Kind namespace/name` or `Kind name`.
    pub fn display(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Karmada commit whose semantics were reproduced.
    pub karmada_commit: String,
    /// Feature gates in effect.
    pub feature_gates: FeatureGatesOut,
    /// One entry per resource template, sorted by (apiVersion, kind, namespace, name).
    pub resources: Vec<ResourceResult>,
    /// Member clusters the scheduler saw.
    pub clusters: Vec<String>,
    /// The steps of the stream.
    pub steps: Vec<crate::detector::timeline::StepSummary>,
    /// What happened, step by step.
    pub timeline: Vec<TimelineEvent>,
    /// Denials, warnings and assumptions.
    pub diagnostics: Vec<Diagnostic>,
}
