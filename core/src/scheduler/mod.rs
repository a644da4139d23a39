//! karmada-scheduler: filters, scores, spread constraints, replica division and the general estimator
//! (`pkg/scheduler`). Entry point: [`schedule`].

use crate::api::{Cluster, ReplicaRequirements, ResourceBinding, ResourceTemplate};
use serde::Serialize;

/// One entry of `spec.clusters`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetCluster {
    /// Cluster name.
    pub name: String,
    /// Replicas (0 for non-workloads).
    pub replicas: i64,
}

/// Why the scheduler decided what it did, per cluster and per step.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScheduleExplain {}

/// Result of one scheduling run of a binding.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScheduleResult {
    /// `spec.clusters`, sorted by cluster name; empty on error.
    pub clusters: Vec<TargetCluster>,
    /// The `Scheduled=False` condition message, if scheduling failed.
    pub error: Option<String>,
    /// The explanation.
    pub explain: ScheduleExplain,
}

/// Schedules `binding` fresh (no previous `spec.clusters`) against `clusters`.
pub fn schedule(_binding: &ResourceBinding, _clusters: &[Cluster]) -> ScheduleResult {
    ScheduleResult::default()
}

/// The default native interpreter: desired replicas and per-replica requirements of a template.
pub fn interpret_replicas(_template: &ResourceTemplate) -> (i64, Option<ReplicaRequirements>) {
    (0, None)
}
