//! karmada-scheduler: filters, scores, spread constraints, replica division and the general estimator
//! (`pkg/scheduler`). Entry point: [`schedule`].
//!
//! Every binding is scheduled fresh, as the reference run does: no previous `spec.clusters` (ClusterLocality
//! scores are all 0, Steady mode from 0 assigned replicas), no graceful eviction tasks, `rescheduleTriggeredAt`
//! unset, and clusters iterated sorted by name. Go `int32` arithmetic (replicas, available replicas) is
//! reproduced with wrapping `i32`; `float64` steps (Webster priorities, `ceil(replicas/minGroups)`) use `f64`.

mod division;
mod estimator;
pub mod explain;
mod filters;
mod interpreter;
mod spread;

use crate::api::policy::Placement;
use crate::api::{Cluster, ResourceBinding};
use serde::Serialize;
use std::collections::BTreeMap;

pub use explain::{
    ClusterExplain, DivisionExplain, EstimateExplain, FilterVerdict, ScheduleAttempt, ScheduleExplain, SpreadExplain,
};
pub use interpreter::{interpret_replicas, interpret_replicas_checked};

/// One entry of `spec.clusters`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetCluster {
    /// Cluster name.
    pub name: String,
    /// Replicas (0 for non-workloads).
    pub replicas: i64,
}

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

/// A `workv1alpha2.TargetCluster` with Go's `int32` replicas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tc {
    /// Cluster name.
    pub name: String,
    /// Replicas.
    pub replicas: i32,
}

/// `spreadconstraint.ClusterDetailInfo`: a feasible cluster with its score and capacity.
#[derive(Debug, Clone)]
pub(crate) struct ClusterDetail<'a> {
    /// Cluster name.
    pub name: String,
    /// Total score.
    pub score: i64,
    /// Overflow order (`getClusterOverflowOrder`).
    pub overflow_order: i32,
    /// Allocatable + previously assigned replicas.
    pub available_replicas: i64,
    /// The estimator's answer.
    pub allocatable_replicas: i32,
    /// The cluster object.
    pub cluster: &'a Cluster,
}

/// The parts of the binding spec and status the algorithm reads, for one attempt.
#[derive(Debug, Clone)]
pub(crate) struct SpecView<'a> {
    /// `spec.replicas` (`int32`).
    pub replicas: i32,
    /// `spec.replicaRequirements != nil`.
    pub has_requirements: bool,
    /// `spec.placement`.
    pub placement: &'a Placement,
    /// `spec.resource.uid`.
    pub uid: &'a str,
    /// `spec.clusters` (the previous result; empty for a fresh binding).
    pub previous: &'a [Tc],
    /// Fresh assignment mode (`RescheduleRequired`).
    pub fresh: bool,
    /// `status.schedulerObservedAffinityName` during this attempt.
    pub observed_affinity: &'a str,
}

/// Clamps the binding's replicas to Go's `int32` (`spec.replicas` cannot hold more).
fn clamp_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

/// Schedules `binding` fresh (no previous `spec.clusters`) against `clusters`.
///
/// `scheduleResourceBinding` (`pkg/scheduler/scheduler.go`): with `clusterAffinities` each term is tried in
/// order until one succeeds; when all fail the first attempt's error is reported. On any error `spec.clusters`
/// stays empty (a FitError clears it; other errors keep the — empty — previous result).
pub fn schedule(binding: &ResourceBinding, clusters: &[Cluster]) -> ScheduleResult {
    let mut sorted: Vec<&Cluster> = clusters.iter().collect();
    sorted.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let placement = &binding.placement;
    let base = SpecView {
        replicas: clamp_i32(binding.replicas),
        has_requirements: binding.replica_requirements.is_some(),
        placement,
        uid: &binding.resource.uid,
        previous: &[],
        fresh: false,
        observed_affinity: "",
    };
    let mut explain = ScheduleExplain {
        replicas: i64::from(base.replicas),
        workload: binding.is_workload(),
        has_replica_requirements: base.has_requirements,
        replica_scheduling_type: placement.replica_scheduling_type().to_string(),
        uses_cluster_affinities: placement.cluster_affinities.is_some(),
        ..ScheduleExplain::default()
    };

    let outcome: Result<Vec<Tc>, Option<String>> = match &placement.cluster_affinities {
        // scheduleResourceBindingWithClusterAffinities: start at index 0 (nothing observed yet).
        Some(terms) => {
            let mut first_err: Option<String> = None;
            let mut success = None;
            for (index, term) in terms.iter().enumerate() {
                let spec = SpecView { observed_affinity: &term.affinity_name, ..base.clone() };
                let (result, mut attempt) = generic_schedule(binding, &sorted, &spec);
                attempt.affinity_index = Some(index);
                attempt.affinity_name = Some(term.affinity_name.clone());
                explain.attempts.push(attempt);
                match result {
                    Ok(list) => {
                        explain.chosen_attempt = Some(explain.attempts.len().saturating_sub(1));
                        success = Some(list);
                        break;
                    }
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
            // All failed (or no terms at all: Karmada then returns a nil error and writes nothing).
            success.ok_or(first_err)
        }
        None => {
            let (result, attempt) = generic_schedule(binding, &sorted, &base);
            explain.attempts.push(attempt);
            if result.is_ok() {
                explain.chosen_attempt = Some(0);
            }
            result.map_err(Some)
        }
    };
    explain.strategy = explain
        .chosen_attempt
        .and_then(|i| explain.attempts.get(i))
        .or_else(|| explain.attempts.first())
        .and_then(|a| a.division.as_ref())
        .map(|d| d.strategy.clone())
        .unwrap_or_default();

    match outcome {
        Ok(list) => {
            let mut clusters: Vec<TargetCluster> =
                list.into_iter().map(|c| TargetCluster { name: c.name, replicas: i64::from(c.replicas) }).collect();
            clusters.sort_by(|a, b| a.name.cmp(&b.name));
            ScheduleResult { clusters, error: None, explain }
        }
        Err(error) => ScheduleResult { clusters: Vec::new(), error, explain },
    }
}

/// `getClusterOverflowOrder` (`group_clusters.go`): 0 for the observed term's own affinity, `i+1` for the first
/// matching `overflowAffinities[i]`, 1000 otherwise; always 0 outside the `clusterAffinities` path.
fn overflow_order(cluster: &Cluster, spec: &SpecView<'_>) -> i32 {
    let placement = spec.placement;
    if placement.cluster_affinity.is_some() {
        return 0;
    }
    let Some(terms) = placement.cluster_affinities.as_ref().filter(|t| !t.is_empty()) else {
        return 0;
    };
    let Some(term) = terms.iter().find(|t| t.affinity_name == spec.observed_affinity) else {
        return 1000;
    };
    if crate::selector::cluster_matches(cluster, &term.affinity()) {
        return 0;
    }
    for (i, o) in term.overflow_affinities.iter().flatten().enumerate() {
        if crate::selector::cluster_matches(cluster, &o.affinity()) {
            return i32::try_from(i).unwrap_or(i32::MAX).saturating_add(1);
        }
    }
    1000
}

/// `genericScheduler.Schedule` (`pkg/scheduler/core/generic_scheduler.go`): filter, score, select, assign.
/// Returns the (unsorted) assignment or the error string exactly as Karmada prints it.
fn generic_schedule(
    binding: &ResourceBinding,
    sorted: &[&Cluster],
    spec: &SpecView<'_>,
) -> (Result<Vec<Tc>, String>, ScheduleAttempt) {
    let mut attempt = ScheduleAttempt { num_all_clusters: sorted.len(), ..ScheduleAttempt::default() };

    // findClustersThatFit: deleting clusters are skipped (not diagnosed); the first failing plugin's reason
    // goes into the diagnosis.
    let mut feasible: Vec<&Cluster> = Vec::new();
    let mut diagnosis: BTreeMap<String, String> = BTreeMap::new();
    for c in sorted {
        let mut row = ClusterExplain { name: c.metadata.name.clone(), ..ClusterExplain::default() };
        if c.metadata.deletion_timestamp.is_some() {
            row.deleting = true;
        } else {
            row.filters = filters::run_filters(binding, c, spec);
            row.diagnosis = row.filters.iter().find(|v| !v.passed).and_then(|v| v.reason.clone());
            match &row.diagnosis {
                Some(reason) => {
                    diagnosis.insert(c.metadata.name.clone(), reason.clone());
                }
                None => {
                    row.feasible = true;
                    feasible.push(c);
                }
            }
        }
        attempt.clusters.push(row);
    }
    if feasible.is_empty() {
        let msg = filters::fit_error_message(sorted.len(), &diagnosis);
        attempt.outcome = "noClusterFit".to_string();
        attempt.error = Some(msg.clone());
        return (Err(msg), attempt);
    }

    // prioritizeClusters: ClusterLocality (100 when in the previous result, only if there is one) +
    // ClusterAffinity (always 0); raw scores, no weights.
    let score = |c: &Cluster| -> i64 {
        if !spec.previous.is_empty() && spec.previous.iter().any(|p| p.name == c.metadata.name) {
            100
        } else {
            0
        }
    };

    // generateClustersInfo: available replicas, then the total-order sort.
    let req = binding.replica_requirements.as_ref();
    let estimates = estimator::cal_available_replicas(&feasible, spec.replicas, req);
    let mut details: Vec<ClusterDetail<'_>> = Vec::with_capacity(feasible.len());
    for (c, (allocatable, estimate)) in feasible.iter().zip(estimates) {
        let assigned = spec.previous.iter().find(|p| p.name == c.metadata.name).map(|p| p.replicas).unwrap_or(0);
        let d = ClusterDetail {
            name: c.metadata.name.clone(),
            score: score(c),
            overflow_order: overflow_order(c, spec),
            available_replicas: i64::from(allocatable).saturating_add(i64::from(assigned)),
            allocatable_replicas: allocatable,
            cluster: c,
        };
        if let Some(row) = attempt.clusters.iter_mut().find(|r| r.name == d.name) {
            row.score = Some(d.score);
            row.overflow_order = Some(d.overflow_order);
            row.allocatable_replicas = Some(d.allocatable_replicas);
            row.available_replicas = Some(d.available_replicas);
            row.estimate = Some(estimate);
        }
        details.push(d);
    }
    details.sort_by(spread::compare_clusters);
    for (rank, d) in details.iter().enumerate() {
        if let Some(row) = attempt.clusters.iter_mut().find(|r| r.name == d.name) {
            row.rank = Some(rank);
        }
    }

    let mut spread_explain = SpreadExplain::default();
    let selected = spread::select_best_clusters(&details, spec, &mut spread_explain);
    spread_explain.error = selected.as_ref().err().cloned();
    if let Ok(sel) = &selected {
        spread_explain.selected = sel.iter().map(|c| c.name.clone()).collect();
        for c in sel {
            if let Some(row) = attempt.clusters.iter_mut().find(|r| r.name == c.name) {
                row.selected = true;
            }
        }
    }
    attempt.spread = Some(spread_explain);
    let selected = match selected {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("failed to select clusters: {e}");
            attempt.outcome = "selectFailed".to_string();
            attempt.error = Some(msg.clone());
            return (Err(msg), attempt);
        }
    };

    let mut division = DivisionExplain::default();
    let assigned = division::assign_replicas(&selected, spec, &mut division);
    division.error = assigned.as_ref().err().cloned();
    attempt.division = Some(division);
    match assigned {
        Ok(list) => {
            for t in &list {
                if let Some(row) = attempt.clusters.iter_mut().find(|r| r.name == t.name) {
                    row.replicas = Some(i64::from(t.replicas));
                }
            }
            attempt.outcome = "scheduled".to_string();
            (Ok(list), attempt)
        }
        Err(e) => {
            let msg = format!("failed to assign replicas: {e}");
            attempt.outcome = "assignFailed".to_string();
            attempt.error = Some(msg.clone());
            (Err(msg), attempt)
        }
    }
}
