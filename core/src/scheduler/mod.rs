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
use crate::util::VecMap;
use serde::Serialize;

use explain::ScheduleAttempt;
pub use explain::{
    AffinityGroupAttempt, ClusterExplain, DivisionEntry, DivisionExplain, EstimateExplain, FilterVerdict,
    ScheduleExplain, SpreadExplain,
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
    pub name: &'a str,
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
    /// Build the per-cluster explanation table (every filter verdict, score and estimate); off when only the
    /// result is needed.
    pub trace: bool,
}

/// Clamps the binding's replicas to Go's `int32` (`spec.replicas` cannot hold more).
fn clamp_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

/// Schedules `binding` fresh (no previous `spec.clusters`) against `clusters`: the result alone (the
/// explanation stays empty; [`schedule_explained`] gives the same result with it).
pub fn schedule(binding: &ResourceBinding, clusters: &[Cluster]) -> ScheduleResult {
    run(binding, clusters, false)
}

/// [`schedule`] with the explanation: every filter verdict, score, estimate, the spread decision and the
/// division arithmetic.
pub fn schedule_explained(binding: &ResourceBinding, clusters: &[Cluster]) -> ScheduleResult {
    run(binding, clusters, true)
}

/// Schedules `binding` fresh (no previous `spec.clusters`) against `clusters`.
///
/// `scheduleResourceBinding` (`pkg/scheduler/scheduler.go`): with `clusterAffinities` each term is tried in
/// order until one succeeds; when all fail the first attempt's error is reported. On any error `spec.clusters`
/// stays empty (a FitError clears it; other errors keep the — empty — previous result).
fn run(binding: &ResourceBinding, clusters: &[Cluster], trace: bool) -> ScheduleResult {
    let mut sorted: Vec<&Cluster> = clusters.iter().collect();
    // The fleet's snapshot already is in name order (one pass to check, where sorting costs n log n).
    if !sorted.is_sorted_by(|a, b| a.metadata.name <= b.metadata.name) {
        crate::util::sort_by(&mut sorted, |a, b| a.metadata.name.cmp(&b.metadata.name));
    }
    let placement = &binding.placement;
    let base = SpecView {
        replicas: clamp_i32(binding.replicas),
        has_requirements: binding.replica_requirements.is_some(),
        placement,
        uid: &binding.resource.uid,
        previous: &[],
        fresh: false,
        observed_affinity: "",
        trace,
    };
    let mut explain = ScheduleExplain {
        replicas: i64::from(base.replicas),
        workload: binding.is_workload(),
        has_replica_requirements: base.has_requirements,
        replica_scheduling_type: placement.replica_scheduling_type().to_string(),
        ..ScheduleExplain::default()
    };

    let (outcome, deciding) = match &placement.cluster_affinities {
        // scheduleResourceBindingWithClusterAffinities: start at index 0 (nothing observed yet); any error moves
        // on to the next term; when all fail, the first attempt's error is reported.
        Some(terms) => {
            let mut first: Option<(String, ScheduleAttempt)> = None;
            let mut success = None;
            for (index, term) in terms.iter().enumerate() {
                let spec = SpecView { observed_affinity: &term.affinity_name, ..base.clone() };
                let (result, attempt) = generic_schedule(binding, &sorted, &spec);
                explain.affinity_groups.push(affinity_group(index, &term.affinity_name, &attempt, &result));
                match result {
                    Ok(list) => {
                        explain.chosen_affinity_index = Some(index);
                        success = Some((list, attempt));
                        break;
                    }
                    Err(e) => {
                        if first.is_none() {
                            first = Some((e, attempt));
                        }
                    }
                }
            }
            match (success, first) {
                (Some((list, attempt)), _) => (Ok(list), Some(attempt)),
                (None, Some((e, attempt))) => (Err(Some(e)), Some(attempt)),
                // No terms at all: Karmada returns a nil error and writes nothing.
                (None, None) => (Err(None), None),
            }
        }
        None => {
            let (result, attempt) = generic_schedule(binding, &sorted, &base);
            (result.map_err(Some), Some(attempt))
        }
    };
    match deciding {
        Some(a) => {
            explain.strategy = a.division.as_ref().map(|d| d.strategy.clone()).unwrap_or_default();
            explain.num_all_clusters = a.num_all_clusters;
            explain.clusters = a.clusters;
            explain.spread = a.spread;
            explain.division = a.division;
            explain.outcome = a.outcome;
            explain.error = a.error;
        }
        None => {
            explain.num_all_clusters = sorted.len();
            explain.outcome = "noAffinityTerms".to_string();
        }
    }
    if trace {
        explain.annotate();
    }

    match outcome {
        Ok(list) => {
            let mut clusters: Vec<TargetCluster> =
                list.into_iter().map(|c| TargetCluster { name: c.name, replicas: i64::from(c.replicas) }).collect();
            crate::util::sort_by(&mut clusters, |a, b| a.name.cmp(&b.name));
            ScheduleResult { clusters, error: None, explain }
        }
        Err(error) => ScheduleResult { clusters: Vec::new(), error, explain },
    }
}

/// The summary of one `clusterAffinities` attempt.
fn affinity_group(
    index: usize,
    name: &str,
    attempt: &ScheduleAttempt,
    result: &Result<Vec<Tc>, String>,
) -> AffinityGroupAttempt {
    let mut entries: Vec<DivisionEntry> = result
        .as_ref()
        .map(|l| l.iter().map(|c| DivisionEntry { cluster: c.name.clone(), value: i64::from(c.replicas) }).collect())
        .unwrap_or_default();
    crate::util::sort_by(&mut entries, |a, b| a.cluster.cmp(&b.cluster));
    AffinityGroupAttempt {
        index,
        affinity_name: name.to_string(),
        outcome: attempt.outcome.clone(),
        error: attempt.error.clone(),
        feasible: attempt.clusters.iter().filter(|c| c.feasible).map(|c| c.name.clone()).collect(),
        result: entries,
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
    let filters = filters::Filters::new(binding, spec);
    let mut feasible: Vec<&Cluster> = Vec::new();
    // The diagnosis (cluster → reason) is only read when no cluster fits: kept as borrowed reasons until then.
    let mut failures: Vec<(&str, filters::Reason)> = Vec::new();
    for c in sorted {
        let deleting = c.metadata.deletion_timestamp.is_some();
        let (verdicts, failure) = match (deleting, spec.trace) {
            (true, _) => (Vec::new(), None),
            (false, true) => {
                let verdicts = filters.verdicts(c);
                let failure =
                    verdicts.iter().find(|v| !v.passed).and_then(|v| v.reason.clone()).map(filters::Reason::Owned);
                (verdicts, failure)
            }
            (false, false) => (Vec::new(), filters.first_failure(c)),
        };
        let fits = !deleting && failure.is_none();
        if fits {
            feasible.push(c);
        }
        if spec.trace {
            attempt.clusters.push(ClusterExplain {
                name: c.metadata.name.clone(),
                deleting,
                feasible: fits,
                filters: verdicts,
                diagnosis: failure.clone().map(filters::Reason::into_owned),
                ..ClusterExplain::default()
            });
        }
        if let (false, Some(reason)) = (deleting, failure) {
            failures.push((c.metadata.name.as_str(), reason));
        }
    }
    if feasible.is_empty() {
        let diagnosis: VecMap<String, String> =
            failures.into_iter().map(|(name, reason)| (name.to_string(), reason.into_owned())).collect();
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
    let estimates = estimator::cal_available_replicas(&feasible, spec.replicas, req, spec.trace);
    let mut details: Vec<ClusterDetail<'_>> = Vec::with_capacity(feasible.len());
    for (c, (allocatable, estimate)) in feasible.iter().zip(estimates) {
        let assigned = spec.previous.iter().find(|p| p.name == c.metadata.name).map(|p| p.replicas).unwrap_or(0);
        let d = ClusterDetail {
            name: c.metadata.name.as_str(),
            score: score(c),
            overflow_order: overflow_order(c, spec),
            available_replicas: i64::from(allocatable).saturating_add(i64::from(assigned)),
            allocatable_replicas: allocatable,
            cluster: c,
        };
        if let Some(row) = attempt.row(d.name) {
            row.score = Some(d.score);
            row.overflow_order = Some(d.overflow_order);
            row.allocatable_replicas = Some(d.allocatable_replicas);
            row.available_replicas = Some(d.available_replicas);
            row.estimate = Some(estimate);
        }
        details.push(d);
    }
    crate::util::sort_by(&mut details, spread::compare_clusters);
    for (rank, d) in details.iter().enumerate() {
        if let Some(row) = attempt.row(d.name) {
            row.rank = Some(rank);
        }
    }

    let mut spread_explain = SpreadExplain::default();
    let selected = spread::select_best_clusters(&details, spec, &mut spread_explain);
    spread_explain.error = selected.as_ref().err().cloned();
    if let (Ok(sel), true) = (&selected, spec.trace) {
        spread_explain.selected = sel.iter().map(|c| c.name.to_string()).collect();
        for c in sel {
            if let Some(row) = attempt.row(c.name) {
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
                if let Some(row) = attempt.row(&t.name) {
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::api::cluster::{ApiEnablement, ApiResource, ClusterStatus, ResourceSummary};
    use crate::api::policy::{ClusterAffinity, ClusterAffinityTerm, ReplicaSchedulingStrategy, SpreadConstraint};
    use crate::api::{ObjectReference, Quantity, ReplicaRequirements, Taint};

    fn cluster(name: &str, cpu: &str) -> Cluster {
        let mut c = Cluster::default();
        c.metadata.name = name.to_string();
        let allocatable: VecMap<String, Quantity> =
            [("cpu", cpu), ("pods", "110")].iter().map(|(k, v)| (k.to_string(), Quantity::parse(v).unwrap())).collect();
        c.status = Some(ClusterStatus {
            api_enablements: vec![ApiEnablement {
                group_version: "apps/v1".to_string(),
                resources: vec![ApiResource { name: "deployments".to_string(), kind: "Deployment".to_string() }],
            }],
            resource_summary: Some(ResourceSummary { allocatable: Some(allocatable), ..ResourceSummary::default() }),
            ..ClusterStatus::default()
        });
        c
    }

    fn binding(replicas: i64, cpu: Option<&str>, placement: Placement) -> ResourceBinding {
        ResourceBinding {
            name: "web-deployment".to_string(),
            namespace: "default".to_string(),
            resource: ObjectReference {
                api_version: "apps/v1".to_string(),
                kind: "Deployment".to_string(),
                namespace: "default".to_string(),
                name: "web".to_string(),
                uid: String::new(),
            },
            replicas,
            replica_requirements: cpu.map(|c| ReplicaRequirements {
                resource_request: [("cpu".to_string(), Quantity::parse(c).unwrap())].into_iter().collect(),
                has_node_claim: false,
            }),
            placement,
            conflict_resolution: "Abort".to_string(),
            policy: None,
            placed: true,
            ..ResourceBinding::default()
        }
    }

    /// `replicaScheduling: Divided` with `pref`, dynamic weights when asked (shared with the spread tests).
    pub(super) fn divided(pref: &str, dynamic: bool) -> Option<ReplicaSchedulingStrategy> {
        Some(ReplicaSchedulingStrategy {
            replica_scheduling_type: "Divided".to_string(),
            replica_division_preference: pref.to_string(),
            weight_preference: dynamic.then(|| crate::api::policy::ClusterPreferences {
                dynamic_weight: "AvailableReplicas".to_string(),
                ..Default::default()
            }),
        })
    }

    fn names(affinity_names: &[&str]) -> ClusterAffinity {
        ClusterAffinity { cluster_names: affinity_names.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }

    fn placement_of(r: &ScheduleResult) -> Vec<(String, i64)> {
        r.clusters.iter().map(|c| (c.name.clone(), c.replicas)).collect()
    }

    fn pairs(p: &[(&str, i64)]) -> Vec<(String, i64)> {
        p.iter().map(|(n, r)| (n.to_string(), *r)).collect()
    }

    #[test]
    fn fit_error_uses_first_failing_plugin_and_counts_deleting_clusters() {
        let mut tainted = cluster("m1", "4");
        tainted.spec.taints = vec![Taint {
            key: "maint".to_string(),
            value: "x".to_string(),
            effect: "NoExecute".to_string(),
            time_added: None,
        }];
        // m2 fails both APIEnablement and ClusterAffinity: APIEnablement is reported.
        let mut no_api = cluster("m2", "4");
        if let Some(s) = no_api.status.as_mut() {
            s.api_enablements.clear();
        }
        let mut deleting = cluster("m0", "4");
        deleting.metadata.deletion_timestamp = Some("2026-01-01T00:00:00Z".to_string());
        let p = Placement { cluster_affinity: Some(names(&["m1"])), ..Placement::default() };
        let r = schedule_explained(&binding(2, None, p), &[tainted, no_api, deleting, cluster("m3", "4")]);
        assert!(r.clusters.is_empty());
        assert_eq!(
            r.error.as_deref(),
            Some(
                "0/4 clusters are available: 1 cluster(s) did not have the API resource, 1 cluster(s) did not match \
                 the placement cluster affinity constraint, 1 cluster(s) had untolerated taint {maint=x:NoExecute}."
            )
        );
        let ex = &r.explain;
        assert_eq!(ex.outcome, "noClusterFit");
        let order: Vec<&str> = ex.clusters.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(order, vec!["m0", "m1", "m2", "m3"]);
        assert!(ex.clusters[0].deleting && ex.clusters[0].filters.is_empty());
        let m2 = &ex.clusters[2];
        assert_eq!(m2.filters.len(), 5);
        let failed: Vec<&str> = m2.filters.iter().filter(|f| !f.passed).map(|f| f.plugin).collect();
        assert_eq!(failed, vec!["APIEnablement", "ClusterAffinity"]);
        assert_eq!(m2.diagnosis.as_deref(), Some("cluster(s) did not have the API resource"));
        // Only deleting clusters: nothing diagnosed.
        let mut d = cluster("m9", "4");
        d.metadata.deletion_timestamp = Some("x".to_string());
        let r = schedule_explained(&binding(1, None, Placement::default()), &[d]);
        assert_eq!(r.error.as_deref(), Some("0/1 clusters are available: no cluster exists."));
        let r = schedule_explained(&binding(1, None, Placement::default()), &[]);
        assert_eq!(r.error.as_deref(), Some("0/0 clusters are available: no cluster exists."));
    }

    #[test]
    fn duplicated_non_workload_and_zero_replica_divided() {
        let cs = [cluster("b", "1"), cluster("a", "1")];
        let r = schedule_explained(&binding(3, Some("500m"), Placement::default()), &cs);
        assert_eq!(placement_of(&r), pairs(&[("a", 3), ("b", 3)]));
        assert_eq!(r.explain.strategy, "Duplicated");
        // A non-workload (0 replicas, no requirements) gets every cluster with 0 replicas.
        let r = schedule_explained(
            &binding(0, None, Placement { replica_scheduling: divided("Weighted", false), ..Default::default() }),
            &cs,
        );
        assert_eq!(placement_of(&r), pairs(&[("a", 0), ("b", 0)]));
        assert_eq!(r.explain.strategy, "NonWorkload");
        // A Divided 0-replica workload with requirements: empty placement, no error.
        let r = schedule_explained(
            &binding(0, Some("1"), Placement { replica_scheduling: divided("Weighted", true), ..Default::default() }),
            &cs,
        );
        assert!(r.clusters.is_empty());
        assert_eq!(r.error, None);
    }

    #[test]
    fn dynamic_weight_capacity_error() {
        let cs = [cluster("a", "1"), cluster("b", "2")];
        let p = Placement { replica_scheduling: divided("Weighted", true), ..Default::default() };
        let r = schedule_explained(&binding(3, Some("1"), p.clone()), &cs);
        assert_eq!(placement_of(&r), pairs(&[("a", 1), ("b", 2)]));
        let r = schedule_explained(&binding(4, Some("1"), p), &cs);
        assert_eq!(
            r.error.as_deref(),
            Some("failed to assign replicas: failed to scale up: Clusters available replicas 3 are not enough to schedule.")
        );
        assert_eq!(r.explain.outcome, "assignFailed");
        let div = r.explain.division.as_ref().unwrap();
        assert_eq!(div.steps[0].available_replicas, Some(3));
    }

    #[test]
    fn spread_error_is_prefixed() {
        let cs = [cluster("a", "1")];
        let p = Placement {
            spread_constraints: vec![SpreadConstraint {
                spread_by_label: "site".to_string(),
                min_groups: 1,
                max_groups: 1,
                ..Default::default()
            }],
            ..Default::default()
        };
        let r = schedule_explained(&binding(1, None, p), &cs);
        assert_eq!(
            r.error.as_deref(),
            Some("failed to select clusters: just support cluster and region spread constraint")
        );
    }

    #[test]
    fn cluster_affinities_fall_back_and_report_first_error() {
        let cs = [cluster("a", "1"), cluster("b", "8")];
        let term = |name: &str, clusters: &[&str]| ClusterAffinityTerm {
            affinity_name: name.to_string(),
            cluster_names: clusters.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let mut p = Placement {
            cluster_affinities: Some(vec![term("first", &["zz"]), term("second", &["a"]), term("third", &["b"])]),
            replica_scheduling: divided("Weighted", true),
            ..Default::default()
        };
        // "first" matches nothing, "second" lacks capacity, "third" fits.
        let r = schedule_explained(&binding(4, Some("1"), p.clone()), &cs);
        assert_eq!(placement_of(&r), pairs(&[("b", 4)]));
        assert_eq!(r.explain.chosen_affinity_index, Some(2));
        let outcomes: Vec<&str> = r.explain.affinity_groups.iter().map(|g| g.outcome.as_str()).collect();
        assert_eq!(outcomes, vec!["noClusterFit", "assignFailed", "scheduled"]);
        // All fail: the first attempt's error is reported.
        p.cluster_affinities = Some(vec![term("first", &["zz"]), term("second", &["a"])]);
        let r = schedule_explained(&binding(4, Some("1"), p.clone()), &cs);
        assert_eq!(
            r.error.as_deref(),
            Some("0/2 clusters are available: 2 cluster(s) did not match the placement cluster affinity constraint.")
        );
        assert!(r.clusters.is_empty());
        p.cluster_affinities = Some(vec![term("second", &["a"]), term("first", &["zz"])]);
        let r = schedule_explained(&binding(4, Some("1"), p.clone()), &cs);
        assert_eq!(
            r.error.as_deref(),
            Some("failed to assign replicas: failed to scale up: Clusters available replicas 1 are not enough to schedule.")
        );
        // An empty list: nothing scheduled, no error.
        p.cluster_affinities = Some(Vec::new());
        let r = schedule_explained(&binding(4, Some("1"), p), &cs);
        assert!(r.clusters.is_empty());
        assert_eq!(r.error, None);
        assert_eq!(r.explain.outcome, "noAffinityTerms");
    }

    #[test]
    fn schedule_without_trace_keeps_no_per_cluster_lists() {
        let cs = [cluster("a", "2"), cluster("b", "2")];
        for p in [
            Placement { replica_scheduling: divided("Weighted", false), ..Default::default() },
            Placement { replica_scheduling: divided("Aggregated", true), ..Default::default() },
            Placement::default(),
        ] {
            let b = binding(3, Some("100m"), p);
            let (plain, traced) = (schedule(&b, &cs), schedule_explained(&b, &cs));
            assert_eq!((&plain.clusters, &plain.error), (&traced.clusters, &traced.error));
            let (pe, te) = (&plain.explain, &traced.explain);
            assert!(pe.clusters.is_empty() && !te.clusters.is_empty());
            let (ps, ts) = (pe.spread.as_ref().unwrap(), te.spread.as_ref().unwrap());
            assert!(ps.sorted_clusters.is_empty() && ps.selected.is_empty());
            assert_eq!(ts.sorted_clusters.len(), 2);
            let (pd, td) = (pe.division.as_ref().unwrap(), te.division.as_ref().unwrap());
            assert!(pd.result.is_empty() && !td.result.is_empty());
            assert!(pd.steps.iter().all(|s| s.candidates.is_empty() && s.weights.is_empty() && s.result.is_empty()));
            assert!(td.steps.iter().all(|s| s.candidates.len() == 2 && !s.result.is_empty()));
        }
    }

    #[test]
    fn explanation_serializes_camel_case_deterministically() {
        let cs = [cluster("a", "2"), cluster("b", "2")];
        let mut b = binding(
            5,
            Some("100m"),
            Placement { replica_scheduling: divided("Weighted", false), ..Default::default() },
        );
        b.resource.uid = "d43fdeeb-d750-4e2b-bee3-64eb94534f4c".to_string();
        let r = schedule_explained(&b, &cs);
        // Odd FNV-1a: the larger name wins the tie.
        assert_eq!(placement_of(&r), pairs(&[("a", 2), ("b", 3)]));
        let v = serde_json::to_value(&r.explain).unwrap();
        assert_eq!(v["division"]["tieBreak"], "nameDescending");
        assert_eq!(v["division"]["strategy"], "StaticWeight");
        assert_eq!(v["clusters"][0]["filters"][0]["plugin"], "APIEnablement");
        assert_eq!(v["clusters"][1]["availableReplicas"], 20);
        assert_eq!(v["spread"]["mode"], "none");
        assert_eq!(
            serde_json::to_string(&schedule_explained(&b, &cs).explain).unwrap(),
            serde_json::to_string(&r.explain).unwrap()
        );
    }

    #[test]
    fn absurd_inputs_do_not_panic() {
        use crate::api::policy::{ClusterPreferences, StaticClusterWeight};
        let mut cs: Vec<Cluster> = (0..40).map(|i| cluster(&format!("c{i:02}"), "1000000")).collect();
        for (i, c) in cs.iter_mut().enumerate() {
            c.spec.region = format!("r{}", i % 20);
            if let Some(s) = c.status.as_mut().and_then(|s| s.resource_summary.as_mut()) {
                s.allocatable.as_mut().unwrap().insert("pods".to_string(), Quantity::parse("9e18").unwrap());
            }
        }
        let weights = vec![
            StaticClusterWeight { target_cluster: names(&["c00"]), weight: i64::MAX },
            StaticClusterWeight { target_cluster: names(&["c01"]), weight: i64::MAX },
            StaticClusterWeight { target_cluster: names(&["c02"]), weight: -5 },
        ];
        let static_p = Placement {
            replica_scheduling: Some(ReplicaSchedulingStrategy {
                replica_scheduling_type: "Divided".to_string(),
                replica_division_preference: "Weighted".to_string(),
                weight_preference: Some(ClusterPreferences { static_weight_list: weights, ..Default::default() }),
            }),
            ..Default::default()
        };
        let sc = |field: &str, min: i64, max: i64| SpreadConstraint {
            spread_by_field: field.to_string(),
            min_groups: min,
            max_groups: max,
            ..Default::default()
        };
        let placements = [
            static_p,
            Placement { replica_scheduling: divided("Weighted", true), ..Default::default() },
            Placement { replica_scheduling: divided("Aggregated", false), ..Default::default() },
            Placement {
                spread_constraints: vec![sc("region", 1, i64::MAX), sc("cluster", 1, i64::MAX)],
                replica_scheduling: divided("Weighted", true),
                ..Default::default()
            },
            Placement { spread_constraints: vec![sc("cluster", -3, -1)], ..Default::default() },
            Placement {
                spread_constraints: vec![sc("region", 0, 0), sc("cluster", 0, 0)],
                replica_scheduling: divided("Aggregated", false),
                ..Default::default()
            },
        ];
        for p in placements {
            for replicas in [i64::MAX, i64::from(i32::MAX), 1, 0, -7, i64::MIN] {
                for cpu in [None, Some("1m")] {
                    let r = schedule_explained(&binding(replicas, cpu, p.clone()), &cs);
                    let total: i64 = r.clusters.iter().map(|c| c.replicas).sum();
                    assert!(r.error.is_some() || total >= 0);
                }
            }
        }
    }
}
