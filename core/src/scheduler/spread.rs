//! Cluster ordering, grouping and spread constraints (`pkg/scheduler/core/spreadconstraint/*.go`).

use super::explain::{GroupExplain, RegionPath, SpreadExplain, SpreadSwap};
use super::{ClusterDetail, SpecView};
use crate::api::policy::{Placement, SpreadConstraint};
use crate::util::VecMap;
use std::cmp::Ordering;

/// `weightUnit` of `group_clusters.go`.
const WEIGHT_UNIT: i64 = 1000;

/// `InvalidReplicas`: capacity is not considered.
pub(crate) const INVALID_REPLICAS: i32 = -1;

/// Upper bound on DFS nodes visited by `selectGroups` (keeps absurd region counts from running forever).
const DFS_BUDGET: u64 = 5_000_000;

/// `sortClusters` with the AvailableReplicas comparator: overflow order asc, score desc, available desc, name asc
/// (`generateClustersInfo`, `selectBestClustersByRegion`). A total order, so the sort is deterministic.
pub(crate) fn compare_clusters(a: &ClusterDetail<'_>, b: &ClusterDetail<'_>) -> Ordering {
    a.overflow_order
        .cmp(&b.overflow_order)
        .then_with(|| b.score.cmp(&a.score))
        .then_with(|| b.available_replicas.cmp(&a.available_replicas))
        .then_with(|| a.name.cmp(b.name))
}

/// `shouldIgnoreSpreadConstraint` (`select_clusters.go`): Divided + Weighted with no weightPreference, or with a
/// static weight list and no dynamic weight.
pub(crate) fn should_ignore_spread_constraint(placement: &Placement) -> bool {
    let Some(rs) = placement.replica_scheduling.as_ref() else {
        return false;
    };
    rs.replica_scheduling_type == "Divided"
        && rs.replica_division_preference == "Weighted"
        && match rs.weight_preference.as_ref() {
            None => true,
            Some(w) => !w.static_weight_list.is_empty() && w.dynamic_weight.is_empty(),
        }
}

/// `shouldIgnoreAvailableResource`: `replicaScheduling` absent or Duplicated.
fn should_ignore_available_resource(placement: &Placement) -> bool {
    placement.replica_scheduling.as_ref().is_none_or(|rs| rs.replica_scheduling_type == "Duplicated")
}

/// Go's `int64(math.Ceil(x))` on amd64: out-of-range and NaN give `MinInt64`.
fn go_f64_to_i64(x: f64) -> i64 {
    if x.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

/// `calcGroupScoreForDuplicate`: clusters able to hold all replicas count 1000 each, plus their mean score.
fn group_score_duplicate(clusters: &[ClusterDetail<'_>], replicas: i32) -> i64 {
    let target = i64::from(replicas);
    let (mut valid, mut sum_score) = (0i64, 0i64);
    for c in clusters.iter().filter(|c| c.available_replicas >= target) {
        valid = valid.wrapping_add(1);
        sum_score = sum_score.wrapping_add(c.score);
    }
    if valid == 0 {
        return 0;
    }
    valid.wrapping_mul(WEIGHT_UNIT).wrapping_add(sum_score.wrapping_div(valid))
}

/// `calcGroupScore` (`group_clusters.go`).
pub(crate) fn group_score(clusters: &[ClusterDetail<'_>], spec: &SpecView<'_>, min_groups: i64) -> i64 {
    let placement = spec.placement;
    if placement.replica_scheduling_type() == "Duplicated" {
        return group_score_duplicate(clusters, spec.replicas);
    }
    // float64 ceil, exactly as Go.
    let target = go_f64_to_i64((f64::from(spec.replicas) / (min_groups as f64)).ceil());
    let mut cluster_min_groups: i64 = 0;
    for sc in placement.spread_constraints.iter().filter(|sc| sc.spread_by_field == "cluster") {
        cluster_min_groups = sc.min_groups;
    }
    cluster_min_groups = cluster_min_groups.max(min_groups);
    let (mut sum_avail, mut sum_score, mut valid) = (0i64, 0i64, 0i64);
    for c in clusters {
        sum_avail = sum_avail.wrapping_add(c.available_replicas);
        sum_score = sum_score.wrapping_add(c.score);
        valid = valid.wrapping_add(1);
        if valid >= cluster_min_groups && sum_avail >= target {
            break;
        }
    }
    if sum_avail < target {
        let len = i64::try_from(clusters.len()).unwrap_or(i64::MAX);
        return sum_avail.wrapping_mul(WEIGHT_UNIT).wrapping_add(if len == 0 { 0 } else { sum_score / len });
    }
    target.wrapping_mul(WEIGHT_UNIT).wrapping_add(if valid == 0 { 0 } else { sum_score.wrapping_div(valid) })
}

/// The spread constraint per field, the last one winning (Go map assignment).
fn constraint_map(constraints: &[SpreadConstraint]) -> VecMap<&str, &SpreadConstraint> {
    let mut m = VecMap::new();
    for sc in constraints {
        m.insert(sc.spread_by_field.as_str(), sc);
    }
    m
}

/// `SelectBestClusters` (`select_clusters.go`). `sorted` is the candidate list in §3.1 order. Errors carry no
/// `failed to select clusters: ` prefix.
pub(crate) fn select_best_clusters<'a>(
    sorted: &[ClusterDetail<'a>],
    spec: &SpecView<'_>,
    explain: &mut SpreadExplain,
) -> Result<Vec<ClusterDetail<'a>>, String> {
    let placement = spec.placement;
    if spec.trace {
        explain.sorted_clusters = sorted.iter().map(|c| c.name.to_string()).collect();
    }
    let mut need_replicas = spec.replicas;
    explain.need_replicas = i64::from(need_replicas);
    if placement.spread_constraints.is_empty() || should_ignore_spread_constraint(placement) {
        explain.mode =
            if placement.spread_constraints.is_empty() { "none" } else { "ignoredByStaticWeight" }.to_string();
        return Ok(sorted.to_vec());
    }
    if should_ignore_available_resource(placement) {
        need_replicas = INVALID_REPLICAS;
        explain.need_replicas = i64::from(need_replicas);
    }
    let map = constraint_map(&placement.spread_constraints);
    if map.contains_key("region") {
        explain.mode = "byRegion".to_string();
        select_by_region(&map, sorted, spec, explain)
    } else if let Some(cluster) = map.get("cluster") {
        explain.mode = "byCluster".to_string();
        select_by_cluster(cluster, sorted, need_replicas, explain)
    } else {
        explain.mode = "unsupported".to_string();
        Err("just support cluster and region spread constraint".to_string())
    }
}

/// `selectBestClustersByCluster` (`select_clusters_by_cluster.go`).
fn select_by_cluster<'a>(
    constraint: &SpreadConstraint,
    sorted: &[ClusterDetail<'a>],
    need_replicas: i32,
    explain: &mut SpreadExplain,
) -> Result<Vec<ClusterDetail<'a>>, String> {
    let total = i64::try_from(sorted.len()).unwrap_or(i64::MAX);
    if total < constraint.min_groups {
        return Err("the number of feasible clusters is less than spreadConstraint.MinGroups".to_string());
    }
    // maxGroups 0 means 0 clusters; a negative maxGroups would make Go's slice expression panic, take 0.
    let need_cnt = total.min(constraint.max_groups).max(0);
    explain.need_count = Some(need_cnt);
    let need = usize::try_from(need_cnt).unwrap_or(0);
    if need_replicas == INVALID_REPLICAS {
        return Ok(sorted.iter().take(need).cloned().collect());
    }
    let selected = select_by_available_resource(sorted, need, need_replicas, explain);
    if selected.is_empty() {
        return Err(format!("no enough resource when selecting {need_cnt} clusters"));
    }
    Ok(selected)
}

fn total_available(list: &[ClusterDetail<'_>]) -> i64 {
    list.iter().fold(0i64, |s, c| s.wrapping_add(c.available_replicas))
}

/// `selectClustersByAvailableResource`: take the first `need` clusters; while they cannot hold `need_replicas`,
/// replace the lowest-ranked one (walking up) with the rest's cluster of strictly most available replicas
/// (only if it has more). Returns empty when still insufficient.
fn select_by_available_resource<'a>(
    sorted: &[ClusterDetail<'a>],
    need: usize,
    need_replicas: i32,
    explain: &mut SpreadExplain,
) -> Vec<ClusterDetail<'a>> {
    let split = need.min(sorted.len());
    let mut ret: Vec<ClusterDetail<'a>> = sorted.iter().take(split).cloned().collect();
    let mut rest: Vec<ClusterDetail<'a>> = sorted.iter().skip(split).cloned().collect();
    let enough = |list: &[ClusterDetail<'_>]| total_available(list) >= i64::from(need_replicas);
    let mut update = ret.len();
    while !enough(&ret) && update > 0 {
        update -= 1;
        let Some(origin) = ret.get(update).map(|c| c.available_replicas) else {
            break;
        };
        // GetClusterWithMaxAvailableResource: strict `<`, first maximum wins.
        let mut best = origin;
        let mut id = None;
        for (i, c) in rest.iter().enumerate() {
            if best < c.available_replicas {
                best = c.available_replicas;
                id = Some(i);
            }
        }
        if let Some(i) = id {
            if let (Some(a), Some(b)) = (ret.get_mut(update), rest.get_mut(i)) {
                explain.swaps.push(SpreadSwap { removed: a.name.to_string(), added: b.name.to_string() });
                std::mem::swap(a, b);
            }
        }
    }
    if !enough(&ret) {
        return Vec::new();
    }
    ret
}

/// One region group: its clusters in §3.1 order and its score.
struct Region<'a> {
    name: String,
    score: i64,
    clusters: Vec<ClusterDetail<'a>>,
}

/// `selectBestClustersByRegion` (`select_clusters_by_region.go`). Capacity is not considered.
fn select_by_region<'a>(
    map: &VecMap<&str, &SpreadConstraint>,
    sorted: &[ClusterDetail<'a>],
    spec: &SpecView<'_>,
    explain: &mut SpreadExplain,
) -> Result<Vec<ClusterDetail<'a>>, String> {
    let default = SpreadConstraint::default();
    let region_c = map.get("region").copied().unwrap_or(&default);
    let cluster_c = map.get("cluster").copied().unwrap_or(&default);

    // generateRegionInfo: clusters appended in sorted order; clusters without a region are skipped.
    let mut regions: VecMap<String, Region<'a>> = VecMap::new();
    for c in sorted {
        let region = c.cluster.spec.region.as_str();
        if region.is_empty() {
            continue;
        }
        regions
            .entry(region.to_string())
            .or_insert_with(|| Region { name: region.to_string(), score: 0, clusters: Vec::new() })
            .clusters
            .push(c.clone());
    }
    for r in regions.values_mut() {
        r.score = group_score(&r.clusters, spec, region_c.min_groups);
    }
    explain.regions = regions
        .values()
        .map(|r| GroupExplain {
            name: r.name.clone(),
            score: r.score,
            clusters: r.clusters.iter().map(|c| c.name.to_string()).collect(),
        })
        .collect();

    select_from_regions(regions.into_values().collect(), region_c, cluster_c, explain)
}

/// The region part of `selectBestClustersByRegion`: `selectRegions`, region heads, then the best of the rest.
fn select_from_regions<'a>(
    regions: Vec<Region<'a>>,
    region_c: &SpreadConstraint,
    cluster_c: &SpreadConstraint,
    explain: &mut SpreadExplain,
) -> Result<Vec<ClusterDetail<'a>>, String> {
    let region_count = i64::try_from(regions.len()).unwrap_or(i64::MAX);
    if region_count < region_c.min_groups {
        return Err("the number of feasible region is less than spreadConstraint.MinGroups".to_string());
    }
    let groups: Vec<Group> = regions
        .iter()
        .map(|r| Group {
            name: r.name.clone(),
            value: i64::try_from(r.clusters.len()).unwrap_or(i64::MAX),
            weight: r.score,
        })
        .collect();
    let chosen = select_groups(groups, region_c.min_groups, region_c.max_groups, cluster_c.min_groups, explain);
    if chosen.is_empty() {
        return Err("the number of clusters is less than the cluster spreadConstraint.MinGroups".to_string());
    }
    explain.selected_regions = chosen.iter().map(|g| g.name.clone()).collect();

    let mut selected: Vec<ClusterDetail<'a>> = Vec::new();
    let mut candidates: Vec<ClusterDetail<'a>> = Vec::new();
    for g in &chosen {
        if let Some(r) = regions.iter().find(|r| r.name == g.name) {
            let mut it = r.clusters.iter();
            if let Some(head) = it.next() {
                selected.push(head.clone());
            }
            candidates.extend(it.cloned());
        }
    }
    let all = i64::try_from(selected.len().saturating_add(candidates.len())).unwrap_or(i64::MAX);
    let need_cnt = all.min(cluster_c.max_groups);
    let rest_cnt = need_cnt.saturating_sub(i64::try_from(selected.len()).unwrap_or(i64::MAX));
    if rest_cnt > 0 {
        crate::util::sort_by(&mut candidates, compare_clusters);
        selected.extend(candidates.into_iter().take(usize::try_from(rest_cnt).unwrap_or(0)));
    }
    Ok(selected)
}

/// `GroupInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// Group name.
    pub name: String,
    /// Number of clusters.
    pub value: i64,
    /// Group score.
    pub weight: i64,
}

/// `dfsPath`.
#[derive(Debug, Clone)]
struct Path {
    id: i64,
    groups: Vec<Group>,
    weight: i64,
    value: i64,
}

/// `selectGroups` (`select_groups.go`): DFS for feasible combinations, then `prioritizePaths`.
pub(crate) fn select_groups(
    mut groups: Vec<Group>,
    min: i64,
    max: i64,
    target: i64,
    explain: &mut SpreadExplain,
) -> Vec<Group> {
    if groups.is_empty() {
        return Vec::new();
    }
    // value asc, weight desc, name asc.
    crate::util::sort_by(&mut groups, |a, b| {
        a.value.cmp(&b.value).then_with(|| b.weight.cmp(&a.weight)).then_with(|| a.name.cmp(&b.name))
    });
    let mut dfs =
        Dfs { groups: &groups, min, max, target, path: Vec::new(), paths: Vec::new(), next_id: 0, budget: DFS_BUDGET };
    dfs.run(0, 0);
    let mut paths = dfs.paths;
    explain.region_paths = paths
        .iter()
        .map(|p| RegionPath {
            id: p.id,
            regions: p.groups.iter().map(|g| g.name.clone()).collect(),
            weight: p.weight,
            value: p.value,
        })
        .collect();
    if paths.len() <= 1 {
        return paths.pop().map(|p| p.groups).unwrap_or_default();
    }
    // prioritizePaths: weight desc, value desc, id asc; then prefer a strict prefix sub-path.
    crate::util::sort_by(&mut paths, |a, b| {
        b.weight.cmp(&a.weight).then_with(|| b.value.cmp(&a.value)).then_with(|| a.id.cmp(&b.id))
    });
    let mut iter = paths.into_iter();
    let Some(mut best) = iter.next() else {
        return Vec::new();
    };
    for p in iter {
        let is_prefix = p.groups.len() < best.groups.len()
            && p.groups.iter().zip(best.groups.iter()).all(|(a, b)| a.name == b.name);
        if is_prefix {
            best = p;
        }
    }
    best.groups
}

struct Dfs<'g> {
    groups: &'g [Group],
    min: i64,
    max: i64,
    target: i64,
    path: Vec<usize>,
    paths: Vec<Path>,
    next_id: i64,
    budget: u64,
}

impl Dfs<'_> {
    fn len(&self) -> i64 {
        i64::try_from(self.path.len()).unwrap_or(i64::MAX)
    }

    /// `findFeasiblePaths`' closure, including its quirk: when `len(groups) == min` the loop breaks after the
    /// first child without popping it.
    fn run(&mut self, mut sum: i64, begin: usize) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        if sum >= self.target && self.len() >= self.min && self.len() <= self.max {
            self.record();
            return;
        }
        if self.len() >= self.max {
            return;
        }
        let n = self.groups.len();
        let exhaustive = i64::try_from(n).ok() == Some(self.min);
        for i in begin..n {
            let value = self.groups.get(i).map(|g| g.value).unwrap_or(0);
            sum = sum.wrapping_add(value);
            self.path.push(i);
            self.run(sum, i.saturating_add(1));
            if exhaustive {
                break;
            }
            sum = sum.wrapping_sub(value);
            self.path.pop();
        }
    }

    /// `dfsPath.next`: copy, sum weights and values, sort the copy by weight desc then name.
    fn record(&mut self) {
        self.next_id = self.next_id.saturating_add(1);
        let mut groups: Vec<Group> = self.path.iter().filter_map(|i| self.groups.get(*i).cloned()).collect();
        let weight = groups.iter().fold(0i64, |s, g| s.wrapping_add(g.weight));
        let value = groups.iter().fold(0i64, |s, g| s.wrapping_add(g.value));
        crate::util::sort_by(&mut groups, |a, b| b.weight.cmp(&a.weight).then_with(|| a.name.cmp(&b.name)));
        self.paths.push(Path { id: self.next_id, groups, weight, value });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::super::tests::divided;
    use super::*;
    use crate::api::policy::SpreadConstraint;
    use crate::api::Cluster;

    fn g(name: &str, value: i64, weight: i64) -> Group {
        Group { name: name.to_string(), value, weight }
    }

    fn sel(groups: Vec<Group>, min: i64, max: i64, target: i64) -> Vec<String> {
        let mut ex = SpreadExplain::default();
        select_groups(groups, min, max, target, &mut ex).into_iter().map(|g| g.name).collect()
    }

    #[test]
    fn select_groups_cases() {
        // §8.24
        assert!(sel(vec![g("R1", 1, 80)], 2, 2, 1).is_empty());
        assert!(sel(vec![g("R1", 1, 80), g("R2", 2, 30)], 2, 2, 4).is_empty());
        assert_eq!(sel(vec![g("R1", 1, 80)], 1, 1, 1), vec!["R1"]);
        assert_eq!(
            sel(
                vec![g("R1", 1, 80), g("R3", 1, 80), g("R2", 1, 60), g("R5", 2, 60), g("R4", 5, 50), g("R6", 3, 50)],
                1,
                3,
                10
            ),
            vec!["R5", "R4", "R6"]
        );
        assert_eq!(
            sel(
                vec![g("R1", 1, 80), g("R2", 4, 40), g("R3", 1, 30), g("R4", 3, 30), g("R5", 3, 20), g("R6", 5, 10)],
                2,
                6,
                5
            ),
            vec!["R1", "R2"]
        );
        assert_eq!(
            sel(
                vec![g("R1", 1, 60), g("R2", 1, 50), g("R3", 1, 40), g("R4", 3, 30), g("R5", 3, 20), g("R6", 3, 10)],
                1,
                3,
                6
            ),
            vec!["R1", "R4", "R5"]
        );
        assert_eq!(
            sel(vec![g("R1", 1, 60), g("R2", 2, 50), g("R3", 3, 40), g("R4", 4, 30)], 1, 2, 5),
            vec!["R1", "R4"]
        );
        assert_eq!(
            sel(vec![g("R4", 1, 60), g("R3", 3, 50), g("R1", 3, 40), g("R2", 4, 30)], 1, 2, 5),
            vec!["R3", "R1"]
        );
        // maxGroups 0: no path.
        assert!(sel(vec![g("R1", 3, 10)], 1, 0, 1).is_empty());
    }

    fn cluster(name: &str, region: &str) -> Cluster {
        let mut c = Cluster::default();
        c.metadata.name = name.to_string();
        c.spec.region = region.to_string();
        c
    }

    fn detail<'a>(c: &'a Cluster, score: i64, avail: i64) -> ClusterDetail<'a> {
        ClusterDetail {
            name: c.metadata.name.as_str(),
            score,
            overflow_order: 0,
            available_replicas: avail,
            allocatable_replicas: avail as i32,
            cluster: c,
        }
    }

    fn sc(field: &str, min: i64, max: i64) -> SpreadConstraint {
        SpreadConstraint { spread_by_field: field.to_string(), min_groups: min, max_groups: max, ..Default::default() }
    }

    fn spec<'a>(replicas: i32, placement: &'a Placement) -> SpecView<'a> {
        SpecView {
            replicas,
            has_requirements: true,
            placement,
            uid: "",
            previous: &[],
            fresh: false,
            observed_affinity: "",
            trace: true,
        }
    }

    fn select(list: &mut Vec<ClusterDetail<'_>>, s: &SpecView<'_>) -> Result<Vec<String>, String> {
        list.sort_by(compare_clusters);
        let mut ex = SpreadExplain::default();
        select_best_clusters(list, s, &mut ex).map(|v| v.into_iter().map(|c| c.name.to_string()).collect())
    }

    #[test]
    fn sort_order() {
        // §8.21
        let cs: Vec<Cluster> = ["m1", "m2", "m3", "m4"].iter().map(|n| cluster(n, "")).collect();
        let mut list = [detail(&cs[0], 20, 0), detail(&cs[1], 40, 0), detail(&cs[2], 30, 0), detail(&cs[3], 60, 0)];
        list.sort_by(compare_clusters);
        let names: Vec<&str> = list.iter().map(|c| c.name).collect();
        assert_eq!(names, vec!["m4", "m2", "m3", "m1"]);
    }

    #[test]
    fn by_cluster() {
        // §8.22
        let cs: Vec<Cluster> = ["m1", "m2", "m3", "m4"].iter().map(|n| cluster(n, "")).collect();
        let mk =
            || vec![detail(&cs[3], 60, 50), detail(&cs[1], 40, 60), detail(&cs[2], 30, 80), detail(&cs[0], 20, 40)];
        let mut p = Placement { spread_constraints: vec![sc("cluster", 1, 2)], ..Placement::default() };
        p.replica_scheduling = divided("Aggregated", false);
        assert_eq!(select(&mut mk(), &spec(100, &p)), Ok(vec!["m4".to_string(), "m2".to_string()]));
        assert_eq!(select(&mut mk(), &spec(120, &p)), Ok(vec!["m4".to_string(), "m3".to_string()]));
        assert_eq!(select(&mut mk(), &spec(200, &p)), Err("no enough resource when selecting 2 clusters".to_string()));
        let dup = Placement { spread_constraints: vec![sc("cluster", 1, 2)], ..Placement::default() };
        assert_eq!(select(&mut mk(), &spec(1000, &dup)), Ok(vec!["m4".to_string(), "m2".to_string()]));
        let mut st = Placement { spread_constraints: vec![sc("cluster", 1, 2)], ..Placement::default() };
        st.replica_scheduling = divided("Weighted", false);
        assert_eq!(select(&mut mk(), &spec(100, &st)).map(|v| v.len()), Ok(4));
        let mut min7 = Placement { spread_constraints: vec![sc("cluster", 7, 7)], ..Placement::default() };
        min7.replica_scheduling = divided("Aggregated", false);
        assert_eq!(
            select(&mut mk(), &spec(100, &min7)),
            Err("the number of feasible clusters is less than spreadConstraint.MinGroups".to_string())
        );
        // maxGroups 0 with a Divided workload.
        let mut max0 = Placement { spread_constraints: vec![sc("cluster", 1, 0)], ..Placement::default() };
        max0.replica_scheduling = divided("Aggregated", false);
        assert_eq!(select(&mut mk(), &spec(1, &max0)), Err("no enough resource when selecting 0 clusters".to_string()));
        // Label or zone-only constraints are not supported.
        let zone = Placement { spread_constraints: vec![sc("zone", 1, 1)], ..Placement::default() };
        assert_eq!(
            select(&mut mk(), &spec(1, &zone)),
            Err("just support cluster and region spread constraint".to_string())
        );
    }

    #[test]
    fn by_cluster_max_one() {
        // §8.23
        let cs: Vec<Cluster> = ["a", "b", "c"].iter().map(|n| cluster(n, "")).collect();
        let mut list = vec![detail(&cs[0], 10, 5), detail(&cs[1], 20, 5), detail(&cs[2], 15, 5)];
        let mut p = Placement { spread_constraints: vec![sc("cluster", 1, 1)], ..Placement::default() };
        p.replica_scheduling = divided("Aggregated", false);
        assert_eq!(select(&mut list, &spec(1, &p)), Ok(vec!["b".to_string()]));
    }

    fn region<'a>(name: &str, score: i64, clusters: Vec<ClusterDetail<'a>>) -> Region<'a> {
        Region { name: name.to_string(), score, clusters }
    }

    fn from_regions(regions: Vec<Region<'_>>, region: (i64, i64), cl: (i64, i64)) -> Result<Vec<String>, String> {
        let mut ex = SpreadExplain::default();
        select_from_regions(regions, &sc("region", region.0, region.1), &sc("cluster", cl.0, cl.1), &mut ex)
            .map(|v| v.into_iter().map(|c| c.name.to_string()).collect())
    }

    #[test]
    fn by_region() {
        // select_clusters_by_region_test.go (§8.25).
        let cs: Vec<Cluster> = (1..=10).map(|i| cluster(&format!("member{i}"), "")).collect();
        let m = |i: usize, score: i64, avail: i64| detail(&cs[i - 1], score, avail);
        let two = || {
            vec![
                region("R1", 100, vec![m(1, 100, 40), m(2, 80, 40)]),
                region("R2", 80, vec![m(3, 80, 40), m(4, 80, 40), m(5, 60, 40)]),
            ]
        };
        assert_eq!(from_regions(two(), (1, 1), (2, 2)), Ok(vec!["member1".into(), "member2".into()]));
        assert_eq!(from_regions(two(), (1, 1), (3, 3)), Ok(vec!["member3".into(), "member4".into(), "member5".into()]));
        let four = vec![
            region("R1", 90, vec![m(1, 90, 40)]),
            region("R2", 70, vec![m(2, 70, 40), m(3, 60, 40), m(4, 30, 40)]),
            region("R3", 80, vec![m(5, 80, 40), m(6, 50, 60)]),
            region("R4", 50, vec![m(7, 50, 50), m(8, 40, 50), m(9, 10, 50), m(10, 0, 50)]),
        ];
        assert_eq!(
            from_regions(four, (2, 2), (4, 5)),
            Ok(vec!["member1".into(), "member2".into(), "member3".into(), "member4".into()])
        );
        let five = vec![
            region("R1", 70, vec![m(1, 70, 40)]),
            region("R2", 40, vec![m(2, 40, 40), m(3, 40, 40), m(4, 40, 40)]),
            region("R3", 60, vec![m(5, 60, 40), m(6, 50, 60)]),
            region("R4", 70, vec![m(7, 70, 100)]),
            region("R5", 50, vec![m(8, 50, 50)]),
        ];
        assert_eq!(
            from_regions(five, (1, 3), (6, 8)),
            Ok(["member1", "member5", "member2", "member6", "member3", "member4"]
                .iter()
                .map(|s| s.to_string())
                .collect())
        );
        assert_eq!(
            from_regions(two(), (3, 3), (1, 5)),
            Err("the number of feasible region is less than spreadConstraint.MinGroups".to_string())
        );
        assert_eq!(
            from_regions(two(), (1, 1), (4, 5)),
            Err("the number of clusters is less than the cluster spreadConstraint.MinGroups".to_string())
        );
    }

    #[test]
    fn by_region_end_to_end() {
        // Regions built from the clusters themselves (Duplicated: group score counts clusters that fit).
        let cs = [cluster("a1", "A"), cluster("a2", "A"), cluster("b1", "B"), cluster("c1", "")];
        let mut list = vec![detail(&cs[0], 0, 10), detail(&cs[1], 0, 1), detail(&cs[2], 0, 10), detail(&cs[3], 0, 10)];
        let p = Placement { spread_constraints: vec![sc("region", 1, 1), sc("cluster", 1, 2)], ..Placement::default() };
        // A scores 1000 (one cluster holds 5), B 1000; equal weight → value asc (B has 1 cluster) wins the DFS
        // order, both paths weigh 1000, the larger value (A, 2 clusters) wins prioritizePaths.
        assert_eq!(select(&mut list, &spec(5, &p)), Ok(vec!["a1".to_string(), "a2".to_string()]));
    }

    #[test]
    fn region_selection_with_fixed_group_scores() {
        // §8.25 second case, driving the region part with the test's group scores: regions R1{m1} 70,
        // R2{m2,m3,m4} 40, R3{m5,m6} 60, R4{m7} 70, R5{m8} 50; region min1 max3, cluster min6 → R1,R3,R2... the
        // DFS picks the highest-weight feasible path.
        let mut ex = SpreadExplain::default();
        let chosen = select_groups(
            vec![g("R1", 1, 70), g("R2", 3, 40), g("R3", 2, 60), g("R4", 1, 70), g("R5", 1, 50)],
            1,
            3,
            6,
            &mut ex,
        );
        let names: Vec<String> = chosen.into_iter().map(|g| g.name).collect();
        assert_eq!(names, vec!["R1", "R3", "R2"]);
    }

    #[test]
    fn group_scores() {
        // §8.26 (code-comment examples of group_clusters.go)
        let c = cluster("x", "");
        let group = |rows: &[(i64, i64)]| rows.iter().map(|(s, a)| detail(&c, *s, *a)).collect::<Vec<_>>();
        let dup = Placement::default();
        let g1 = group(&[(100, 60), (100, 70), (100, 40), (100, 30), (100, 10)]);
        let g2 = group(&[(0, 60), (0, 60), (0, 60), (0, 60)]);
        assert_eq!(group_score(&g1, &spec(50, &dup), 1), 2100);
        assert_eq!(group_score(&g2, &spec(50, &dup), 1), 4000);
        let g3 = group(&[(100, 60), (100, 70), (100, 10), (100, 10), (100, 5)]);
        let g4 = group(&[(0, 100), (0, 100), (0, 10), (0, 10)]);
        assert_eq!(group_score(&g3, &spec(50, &dup), 1), 2100);
        assert_eq!(group_score(&g4, &spec(50, &dup), 1), 2000);
        let mut div = Placement { spread_constraints: vec![sc("cluster", 1, 5)], ..Placement::default() };
        div.replica_scheduling = divided("Weighted", true);
        let d1 = group(&[(100, 10), (100, 10), (100, 10), (100, 10), (100, 5)]);
        let d2 = group(&[(0, 40), (0, 30), (0, 10), (0, 10)]);
        assert_eq!(group_score(&d1, &spec(100, &div), 2), 45100);
        assert_eq!(group_score(&d2, &spec(100, &div), 2), 50000);
        let d3 = group(&[(100, 40), (100, 40), (100, 10), (100, 10), (100, 5)]);
        let d4 = group(&[(0, 100), (0, 100), (0, 10), (0, 10)]);
        assert_eq!(group_score(&d3, &spec(100, &div), 2), 50100);
        assert_eq!(group_score(&d4, &spec(100, &div), 2), 50000);
    }
}
