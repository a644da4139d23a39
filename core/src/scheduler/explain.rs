//! The scheduler's explanation as data: every filter verdict, score, estimate, the spread decision and the
//! division arithmetic, in a deterministic order (clusters sorted by name, attempts in term order).

use serde::Serialize;

/// Why the scheduler decided what it did, per cluster and per step.
///
/// The cluster table, spread decision and division are those of the deciding attempt: the successful one, or
/// the first one when every attempt failed (its error is the one Karmada reports). `affinityGroups` lists every
/// `clusterAffinities` attempt.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ScheduleExplain {
    /// `spec.replicas` as the scheduler saw it (clamped to the Go `int32` range).
    pub replicas: i64,
    /// `IsWorkload()`: replicas > 0 or replica requirements present.
    pub workload: bool,
    /// Whether the binding has replica requirements (resource requests or a node claim).
    pub has_replica_requirements: bool,
    /// `Placement.ReplicaSchedulingType()` (`Duplicated` when `replicaScheduling` is absent).
    pub replica_scheduling_type: String,
    /// The assignment strategy (`Duplicated`, `StaticWeight`, `DynamicWeight`, `Aggregated`, or `NonWorkload`
    /// when every selected cluster gets 0 replicas); empty when assignment was not reached.
    pub strategy: String,
    /// Number of clusters in the snapshot (deleting ones included): the `N` of a FitError.
    pub num_all_clusters: usize,
    /// Every cluster, sorted by name.
    pub clusters: Vec<ClusterExplain>,
    /// The cluster selection / spread-constraint decision (absent when filtering failed).
    pub spread: Option<SpreadExplain>,
    /// The replica division (absent when filtering or selection failed).
    pub division: Option<DivisionExplain>,
    /// `scheduled`, `noClusterFit`, `selectFailed`, `assignFailed`, or `noAffinityTerms` (an empty
    /// `clusterAffinities` list: nothing is scheduled and no error is reported).
    pub outcome: String,
    /// The reported error, exactly as Karmada prints it.
    pub error: Option<String>,
    /// The `clusterAffinities` attempts in order (empty when `clusterAffinities` is not set).
    pub affinity_groups: Vec<AffinityGroupAttempt>,
    /// Index of the `clusterAffinities` term whose result was written.
    pub chosen_affinity_index: Option<usize>,
}

impl ScheduleExplain {
    /// The score plugin that gave a feasible cluster a score other than 0; `None` when every score is 0, so
    /// scores decide nothing (then no score column is shown).
    pub fn score_plugin(&self) -> Option<&'static str> {
        // prioritizeClusters: only ClusterLocality (pkg/scheduler/framework/plugins/clusterlocality) scores
        // other than 0.
        self.clusters.iter().any(|c| c.score.is_some_and(|s| s != 0)).then_some("ClusterLocality")
    }

    /// Sets what each cluster's available number means ([`ClusterExplain::available_note`]).
    pub(crate) fn annotate(&mut self) {
        let duplicated = matches!(self.strategy.as_str(), "Duplicated" | "NonWorkload");
        for c in &mut self.clusters {
            c.available_note = match c.available_replicas {
                // calAvailableReplicas (pkg/scheduler/core/util.go): MaxInt32 when there are no replicas.
                Some(v) if v >= i64::from(i32::MAX) => Some("unlimited: 0 replicas, not estimated"),
                // assignByDuplicatedStrategy gives every cluster all replicas whatever their capacity.
                Some(_) if duplicated => Some("not used by Duplicated"),
                _ => None,
            };
        }
    }
}

/// One `clusterAffinities` term tried (`scheduleResourceBindingWithClusterAffinities`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct AffinityGroupAttempt {
    /// Index of the term.
    pub index: usize,
    /// `affinityName` of the term.
    pub affinity_name: String,
    /// `scheduled`, `noClusterFit`, `selectFailed` or `assignFailed`.
    pub outcome: String,
    /// The attempt's error (any error moves on to the next term).
    pub error: Option<String>,
    /// Clusters that passed every filter.
    pub feasible: Vec<String>,
    /// The attempt's result (cluster, replicas), sorted by name.
    pub result: Vec<DivisionEntry>,
}

/// One run of the generic scheduler (`genericScheduler.Schedule`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ScheduleAttempt {
    /// Number of clusters in the snapshot.
    pub num_all_clusters: usize,
    /// Every cluster, sorted by name.
    pub clusters: Vec<ClusterExplain>,
    /// The selection step.
    pub spread: Option<SpreadExplain>,
    /// The division step.
    pub division: Option<DivisionExplain>,
    /// Outcome.
    pub outcome: String,
    /// Error.
    pub error: Option<String>,
}

impl ClusterExplain {
    /// The available replicas as text: `unlimited (…)` for MaxInt32, the number with its note, `-` when not
    /// computed.
    pub fn available_text(&self) -> String {
        match (self.available_replicas, self.available_note) {
            (None, _) => "-".into(),
            // GeneralEstimator.maxAvailableReplicas: no resourceSummary answers 0.
            (Some(v), None) if self.estimate.as_ref().is_some_and(|e| e.method == "noResourceSummary") => {
                format!("{v} (no resourceSummary)")
            }
            (Some(v), None) => v.to_string(),
            (Some(v), Some(n)) if v >= i64::from(i32::MAX) => {
                format!("unlimited ({})", n.trim_start_matches("unlimited: "))
            }
            (Some(_), Some(n)) if n.starts_with("not used") => format!("- ({n})"),
            (Some(v), Some(n)) => format!("{v} ({n})"),
        }
    }

    /// The failing filter plugins, `Plugin ✗ reason` each, in plugin order (empty when all passed).
    pub fn failed_filters(&self) -> Vec<String> {
        self.filters
            .iter()
            .filter(|f| !f.passed)
            .map(|f| format!("{} ✗ {}", f.plugin, f.reason.as_deref().unwrap_or_default()))
            .collect()
    }
}

impl ScheduleAttempt {
    /// The explanation row of cluster `name` (rows are sorted by name); `None` when not traced.
    pub(crate) fn row(&mut self, name: &str) -> Option<&mut ClusterExplain> {
        let i = self.clusters.binary_search_by(|r| r.name.as_str().cmp(name)).ok()?;
        self.clusters.get_mut(i)
    }
}

/// One cluster's row of the explanation table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ClusterExplain {
    /// Cluster name.
    pub name: String,
    /// `metadata.deletionTimestamp` set: skipped before filtering (still counted in N).
    pub deleting: bool,
    /// Every filter plugin's verdict, in the fixed plugin order.
    pub filters: Vec<FilterVerdict>,
    /// All filters passed.
    pub feasible: bool,
    /// The reason recorded in the FitError diagnosis (first failing plugin), if infeasible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<String>,
    /// Total score (sum of score plugins), for feasible clusters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<i64>,
    /// Overflow order (0 primary, i+1 for `overflowAffinities[i]`, 1000 unmatched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overflow_order: Option<i32>,
    /// The estimator's max available replicas (`AllocatableReplicas`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocatable_replicas: Option<i32>,
    /// `AllocatableReplicas` + replicas previously assigned there (`AvailableReplicas`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_replicas: Option<i64>,
    /// What the available number means when it is not a capacity (unlimited, not used by Duplicated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_note: Option<&'static str>,
    /// How the general estimator reached its number (absent when it was not consulted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<EstimateExplain>,
    /// Position in the sorted candidate list (0 = best), for feasible clusters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// Selected by the spread-constraint step.
    pub selected: bool,
    /// Replicas in the final result of this attempt (absent when not in the result).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
}

/// One filter plugin's verdict on one cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct FilterVerdict {
    /// Plugin name (`APIEnablement`, `TaintToleration`, `ClusterAffinity`, `SpreadConstraint`,
    /// `ClusterEviction`).
    pub plugin: &'static str,
    /// Whether the cluster passed.
    pub passed: bool,
    /// The Unschedulable reason when it failed.
    pub reason: Option<String>,
}

/// How the general estimator computed a cluster's available replicas (`pkg/estimator/client/general.go`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct EstimateExplain {
    /// `nonWorkload` (replicas 0: MaxInt32, not estimated), `noResourceSummary`, `noAllowedPods`,
    /// `noRequirements`, `resourceModels` or `resourceSummary`.
    pub method: &'static str,
    /// allocatable.pods − allocated.pods − allocating.pods (floored at 0).
    pub allowed_pods: i64,
    /// Per requested resource bound (summary path).
    pub resources: Vec<ResourceBound>,
    /// Why the resource-model path was not used although `allocatableModelings` is set.
    pub model_error: Option<String>,
    /// Replicas fitting the model nodes (model path).
    pub model_replicas: Option<i64>,
    /// The estimator's raw answer (`int32`).
    pub estimated: i32,
    /// After merging (`-1` ignored) and the `MaxInt32 → spec.replicas` rule.
    pub result: i32,
}

/// The bound one requested resource puts on a cluster's replicas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ResourceBound {
    /// Resource name.
    pub resource: String,
    /// Per-replica request (milli-units for cpu, units otherwise).
    pub request: i64,
    /// Available = allocatable − allocated − allocating (same units), if the cluster has the resource.
    pub available: Option<i64>,
    /// available / request (0 when missing or exhausted).
    pub max_replicas: i64,
}

/// The cluster selection step (`SelectBestClusters`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SpreadExplain {
    /// `none` (no constraints: all clusters), `ignoredByStaticWeight`, `byCluster`, `byRegion` or
    /// `unsupported`.
    pub mode: String,
    /// Replicas the selection must cover (−1: capacity ignored, Duplicated).
    pub need_replicas: i64,
    /// The sorted candidate list (overflow order asc, score desc, available desc, name asc).
    pub sorted_clusters: Vec<String>,
    /// By cluster: how many clusters are taken (`min(#clusters, maxGroups)`).
    pub need_count: Option<i64>,
    /// By cluster: swaps made to cover `need_replicas` (`selectClustersByAvailableResource`).
    pub swaps: Vec<SpreadSwap>,
    /// By region: every region group with its score.
    pub regions: Vec<GroupExplain>,
    /// By region: feasible region combinations found by `selectGroups`.
    pub region_paths: Vec<RegionPath>,
    /// By region: the chosen regions, in selection order.
    pub selected_regions: Vec<String>,
    /// The selected clusters, in selection order (the order assignment sees).
    pub selected: Vec<String>,
    /// The selection error, if any (without the `failed to select clusters: ` prefix).
    pub error: Option<String>,
}

/// One swap of `selectClustersByAvailableResource`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SpreadSwap {
    /// Cluster taken out of the selection.
    pub removed: String,
    /// Cluster with more available replicas put in its place.
    pub added: String,
}

/// A region group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct GroupExplain {
    /// Region name.
    pub name: String,
    /// Group score (`calcGroupScore`).
    pub score: i64,
    /// Clusters of the region, best first.
    pub clusters: Vec<String>,
}

/// One feasible combination of regions found by the DFS of `selectGroups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct RegionPath {
    /// Discovery order (1-based).
    pub id: i64,
    /// Regions, by weight desc then name.
    pub regions: Vec<String>,
    /// Sum of region scores.
    pub weight: i64,
    /// Sum of cluster counts.
    pub value: i64,
}

/// The replica division step (`AssignReplicas`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DivisionExplain {
    /// `NonWorkload`, `Duplicated`, `StaticWeight`, `DynamicWeight` or `Aggregated`.
    pub strategy: String,
    /// Template uid used for the Webster tie-break.
    pub uid: String,
    /// FNV-1a 32-bit hash of the uid (absent for an empty uid).
    pub uid_fnv1a32: Option<u32>,
    /// `nameAscending` or `nameDescending`: which name wins a Webster tie.
    pub tie_break: String,
    /// Whether overflow tiers (`overflowAffinities`) were used.
    pub overflow: bool,
    /// One step per tier (one step without overflow).
    pub steps: Vec<DivisionStep>,
    /// Final result before zero-replica entries are dropped, in assignment order.
    pub result: Vec<DivisionEntry>,
    /// The assignment error, if any (without the `failed to assign replicas: ` prefix).
    pub error: Option<String>,
}

/// One division computation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DivisionStep {
    /// Overflow tier (absent without overflow).
    pub tier: Option<i32>,
    /// Candidate clusters of this step, in order.
    pub candidates: Vec<String>,
    /// `fresh`, `scaleUp`, `scaleDown`, `unchanged` (dynamic strategies) or empty.
    pub mode: String,
    /// Replicas divided in this step.
    pub target_replicas: i64,
    /// Sum of the available replicas (dynamic strategies).
    pub available_replicas: Option<i64>,
    /// Webster weights per cluster, in the order given to the dispenser.
    pub weights: Vec<DivisionEntry>,
    /// Result of this step (Webster output sorted by name, zero entries included).
    pub result: Vec<DivisionEntry>,
}

/// A (cluster, number) pair.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DivisionEntry {
    /// Cluster name.
    pub cluster: String,
    /// Weight or replicas.
    pub value: i64,
}
