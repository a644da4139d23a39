//! Replica assignment: Duplicated, static weights, dynamic weights, Aggregated, overflow tiers and the Webster
//! dispenser (`pkg/scheduler/core/common.go`, `assignment.go`, `division_algorithm.go`,
//! `pkg/util/helper/binding.go`, `pkg/util/helper/webstermethod.go`).

use super::explain::{DivisionEntry, DivisionExplain, DivisionStep};
use super::{ClusterDetail, SpecView, Tc};
use crate::api::policy::ClusterPreferences;
use crate::selector::cluster_matches;
use crate::util::VecMap;

/// `DuplicatedStrategy`.
pub(crate) const DUPLICATED: &str = "Duplicated";
/// `AggregatedStrategy`.
pub(crate) const AGGREGATED: &str = "Aggregated";
/// `StaticWeightStrategy`.
pub(crate) const STATIC_WEIGHT: &str = "StaticWeight";
/// `DynamicWeightStrategy`.
pub(crate) const DYNAMIC_WEIGHT: &str = "DynamicWeight";

/// FNV-1a 32-bit (`hash/fnv.New32a`), used by `tieBreakerByUID`.
pub(crate) fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

/// Which name wins a Webster tie between parties with equal priority and equal seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TieBreak {
    /// The lexicographically smaller name wins.
    NameAscending,
    /// The lexicographically larger name wins.
    NameDescending,
}

impl TieBreak {
    /// Name used in explanations.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TieBreak::NameAscending => "nameAscending",
            TieBreak::NameDescending => "nameDescending",
        }
    }
}

/// `tieBreakerByUID` (`pkg/util/helper/binding.go`): empty uid → ascending; odd FNV-1a → descending.
pub(crate) fn tie_break_by_uid(uid: &str) -> TieBreak {
    if uid.is_empty() || fnv1a32(uid.as_bytes()) & 1 == 0 {
        TieBreak::NameAscending
    } else {
        TieBreak::NameDescending
    }
}

#[derive(Debug, Clone)]
struct Party {
    name: String,
    votes: i64,
    seats: i32,
}

/// Webster priority `float64(votes) / float64(2*seats+1)`, with Go's `int32` arithmetic for the divisor.
fn priority(votes: i64, seats: i32) -> f64 {
    let divisor = seats.wrapping_mul(2).wrapping_add(1);
    // Go converts int64 to float64 the same way (round to nearest).
    (votes as f64) / f64::from(divisor)
}

/// `WebsterPriorityQueue.Less` with the uid tie-breaker: does `a` get the next seat before `b`?
fn ahead(a: &Party, b: &Party, tie: TieBreak) -> bool {
    let (pa, pb) = (priority(a.votes, a.seats), priority(b.votes, b.seats));
    // Exact float comparison, as Go does.
    #[allow(clippy::float_cmp)]
    if pa == pb {
        if a.seats != b.seats {
            return a.seats < b.seats;
        }
        return match tie {
            TieBreak::NameAscending => a.name < b.name,
            TieBreak::NameDescending => a.name > b.name,
        };
    }
    pa > pb
}

/// Seat indices a party can reach: `seats` is an `int32` and at most `MaxInt32` seats are handed out.
const SEAT_DOMAIN: i64 = 1 << 31;

/// Maps an `f64` to a `u64` whose order is the float order (−0.0 just below +0.0).
fn float_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Inverse of [`float_key`].
fn key_float(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// First seat index `j ≥ from` whose quotient `votes/(2j+1)` satisfies `stop` (quotients never increase with
/// `j` for votes ≥ 0, also through Go's `int32` wrap of `2j+1`), or [`SEAT_DOMAIN`].
fn first_seat(votes: i64, from: i64, stop: impl Fn(f64) -> bool) -> i64 {
    let (mut lo, mut hi) = (from, SEAT_DOMAIN);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if stop(priority(votes, i32::try_from(mid).unwrap_or(i32::MAX))) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// Computes the seats of a Webster run without popping the heap `new_seats` times (all votes ≥ 0).
///
/// The heap hands out quotients `votes/(2j+1)` in decreasing (priority, fewer seats, name) order, and each
/// party's quotients decrease with `j`, so after `n` pops the parties hold the top `n` quotients. Find the
/// smallest float `λ` with at most `n` quotients strictly above it; every party gets those; the remaining seats
/// go to quotients equal to `λ`, level by level (fewer seats first), by name within a level.
fn skip_ahead(parties: &mut [Party], new_seats: i32, tie: TieBreak) {
    let n = i64::from(new_seats);
    let above = |lambda: f64| -> i64 {
        parties.iter().fold(0i64, |s, p| s.saturating_add(first_seat(p.votes, 0, |q| q <= lambda)))
    };
    let (mut lo, mut hi) = (float_key(-f64::MAX), float_key(f64::MAX));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if above(key_float(mid)) <= n {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let lambda = key_float(lo);
    // Ranges [start, end) of seat indices whose quotient equals λ.
    let mut ranges = Vec::with_capacity(parties.len());
    let mut given: i64 = 0;
    for p in parties.iter_mut() {
        let start = first_seat(p.votes, 0, |q| q <= lambda);
        let end = first_seat(p.votes, start, |q| q < lambda);
        p.seats = i32::try_from(start).unwrap_or(i32::MAX);
        given = given.saturating_add(start);
        ranges.push((start, end));
    }
    let mut remaining = n.saturating_sub(given);
    let mut bounds: Vec<i64> = ranges.iter().filter(|(s, e)| s < e).flat_map(|(s, e)| [*s, *e]).collect();
    crate::util::sort_by(&mut bounds, |a, b| a.cmp(b));
    bounds.dedup();
    // Parties in the order a tie at equal seats is broken.
    let mut order: Vec<usize> = (0..parties.len()).collect();
    crate::util::sort_by(&mut order, |a, b| {
        let (na, nb) = (parties.get(*a).map(|p| &p.name), parties.get(*b).map(|p| &p.name));
        match tie {
            TieBreak::NameAscending => na.cmp(&nb),
            TieBreak::NameDescending => nb.cmp(&na),
        }
    });
    for w in bounds.windows(2) {
        if remaining <= 0 {
            break;
        }
        let (Some(&b0), Some(&b1)) = (w.first(), w.get(1)) else { continue };
        let active: Vec<usize> =
            order.iter().copied().filter(|i| ranges.get(*i).is_some_and(|(s, e)| *s <= b0 && *e >= b1)).collect();
        let m = i64::try_from(active.len()).unwrap_or(i64::MAX);
        if m == 0 {
            continue;
        }
        let len = b1 - b0;
        let (full, extra) = if remaining >= m.saturating_mul(len) { (len, 0) } else { (remaining / m, remaining % m) };
        for (rank, i) in active.iter().enumerate() {
            let bonus = i64::from(i64::try_from(rank).unwrap_or(i64::MAX) < extra);
            if let Some(p) = parties.get_mut(*i) {
                let add = i32::try_from(full + bonus).unwrap_or(i32::MAX);
                p.seats = p.seats.saturating_add(add);
            }
        }
        remaining -= m.saturating_mul(full) + extra;
    }
}

/// Whether no party with negative votes can get a seat (negative votes only arise from a wrapped `int32`
/// estimate). A negative party's head priority is negative, so it never beats a zero-vote party (priority ±0)
/// nor a positive party with fewer than 2^30 seats (before its `int32` divisor wraps); with two positive
/// parties, or `n ≤ 2^30` and one, some positive head stays positive for all `n < 2^31` pops.
fn negative_votes_never_win(parties: &[Party], n: i64) -> bool {
    if parties.iter().all(|p| p.votes >= 0) {
        return true;
    }
    let positive = parties.iter().filter(|p| p.votes > 0).count();
    parties.iter().any(|p| p.votes == 0) || positive >= 2 || (positive == 1 && n <= 1 << 30)
}

/// `AllocateWebsterSeats(newSeats, partyVotes, nil, tieBreaker)`: every party, sorted by name, with its seats.
/// Duplicate names keep the last vote count (Go map assignment).
pub(crate) fn webster(new_seats: i32, votes: &[(String, i64)], tie: TieBreak) -> Vec<Tc> {
    let mut by_name: VecMap<&str, i64> = VecMap::new();
    for (name, v) in votes {
        by_name.insert(name.as_str(), *v);
    }
    let mut parties: Vec<Party> =
        by_name.into_iter().map(|(name, votes)| Party { name: name.to_string(), votes, seats: 0 }).collect();
    if parties.is_empty() {
        return Vec::new();
    }
    let mut remaining = i64::from(new_seats);
    if remaining > 64 && negative_votes_never_win(&parties, remaining) {
        // Parties with negative votes keep 0 seats; the others follow the exact skip-ahead.
        let (mut rest, negative): (Vec<Party>, Vec<Party>) = parties.into_iter().partition(|p| p.votes >= 0);
        skip_ahead(&mut rest, new_seats, tie);
        rest.extend(negative);
        crate::util::sort_by(&mut rest, |a, b| a.name.cmp(&b.name));
        parties = rest;
        remaining = 0;
    }
    while remaining > 0 {
        let mut best: Option<usize> = None;
        for (i, p) in parties.iter().enumerate() {
            best = match best.and_then(|b| parties.get(b)) {
                Some(cur) if !ahead(p, cur, tie) => best,
                _ => Some(i),
            };
        }
        if let Some(p) = best.and_then(|b| parties.get_mut(b)) {
            p.seats = p.seats.wrapping_add(1);
        }
        remaining -= 1;
    }
    parties.into_iter().map(|p| Tc { name: p.name, replicas: p.seats }).collect()
}

/// `Dispenser.AllocateByWeight` with an empty initial result: nothing when the weights sum to 0.
pub(crate) fn allocate_by_weight(num_replicas: i32, weights: &[(String, i64)], tie: TieBreak) -> Vec<Tc> {
    let sum = weights.iter().fold(0i64, |s, (_, w)| s.wrapping_add(*w));
    if sum == 0 {
        return Vec::new();
    }
    webster(num_replicas, weights, tie)
}

/// `util.GetSumOfReplicas`: an `int32` sum (wrapping, as Go does).
fn sum_replicas(list: &[Tc]) -> i32 {
    list.iter().fold(0i32, |s, c| s.wrapping_add(c.replicas))
}

/// `TargetClustersList` sorted by replicas descending with Go `sort.Sort` (stable for ≤ 12 elements; a stable
/// sort is used for every size).
fn sort_desc(list: &mut [Tc]) {
    crate::util::sort_by(list, |a, b| b.replicas.cmp(&a.replicas));
}

/// `util.MergeTargetClusters`: add old replicas to same-name entries, append old-only entries.
fn merge_target_clusters(old: Vec<Tc>, mut new: Vec<Tc>) -> Vec<Tc> {
    if old.is_empty() {
        return new;
    }
    if new.is_empty() {
        return old;
    }
    let mut old_map: VecMap<String, i32> = VecMap::new();
    for c in old {
        old_map.insert(c.name, c.replicas);
    }
    for c in new.iter_mut() {
        if let Some(v) = old_map.remove(&c.name) {
            c.replicas = c.replicas.wrapping_add(v);
        }
    }
    // Go appends the rest in map order; the final result is sorted by name anyway.
    new.extend(old_map.into_iter().map(|(name, replicas)| Tc { name, replicas }));
    new
}

/// The strategy name of `newAssignState`, or `None` when unsupported.
pub(crate) fn strategy_type(spec: &SpecView<'_>) -> Option<&'static str> {
    let placement = spec.placement;
    match placement.replica_scheduling_type() {
        "Duplicated" => Some(DUPLICATED),
        "Divided" => {
            let rs = placement.replica_scheduling.as_ref()?;
            match rs.replica_division_preference.as_str() {
                "Aggregated" => Some(AGGREGATED),
                "Weighted" => {
                    if rs.weight_preference.as_ref().is_some_and(|w| !w.dynamic_weight.is_empty()) {
                        Some(DYNAMIC_WEIGHT)
                    } else {
                        Some(STATIC_WEIGHT)
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn weight_entries(weights: &[(String, i64)]) -> Vec<DivisionEntry> {
    weights.iter().map(|(n, w)| DivisionEntry { cluster: n.clone(), value: *w }).collect()
}

fn entries(list: &[Tc]) -> Vec<DivisionEntry> {
    list.iter().map(|c| DivisionEntry { cluster: c.name.clone(), value: i64::from(c.replicas) }).collect()
}

/// `AssignReplicas` (`pkg/scheduler/core/common.go`). Errors carry no `failed to assign replicas: ` prefix.
pub(crate) fn assign_replicas(
    clusters: &[ClusterDetail<'_>],
    spec: &SpecView<'_>,
    explain: &mut DivisionExplain,
) -> Result<Vec<Tc>, String> {
    let tie = tie_break_by_uid(spec.uid);
    explain.uid = spec.uid.to_string();
    explain.uid_fnv1a32 = if spec.uid.is_empty() { None } else { Some(fnv1a32(spec.uid.as_bytes())) };
    explain.tie_break = tie.as_str().to_string();
    if clusters.is_empty() {
        return Err("no clusters available to schedule".to_string());
    }
    // Only workloads take part in replica assignment.
    if spec.replicas > 0 || spec.has_requirements {
        return assign_workload_replicas(clusters, spec, explain);
    }
    explain.strategy = "NonWorkload".to_string();
    let result: Vec<Tc> = clusters.iter().map(|c| Tc { name: c.name.to_string(), replicas: 0 }).collect();
    if spec.trace {
        explain.result = entries(&result);
    }
    Ok(result)
}

/// `enableOverflow`: clusterAffinities path with an observed term that has `overflowAffinities` (even empty).
fn enable_overflow(spec: &SpecView<'_>) -> bool {
    let placement = spec.placement;
    if placement.cluster_affinity.is_some() || spec.observed_affinity.is_empty() {
        return false;
    }
    placement.cluster_affinities.as_ref().is_some_and(|terms| {
        terms.iter().any(|t| t.affinity_name == spec.observed_affinity && t.overflow_affinities.is_some())
    })
}

/// `assignWorkloadReplicas`: overflow tiers if enabled, else one `assignReplicasToClusters`.
fn assign_workload_replicas(
    clusters: &[ClusterDetail<'_>],
    spec: &SpecView<'_>,
    explain: &mut DivisionExplain,
) -> Result<Vec<Tc>, String> {
    if !enable_overflow(spec) {
        let result = assign_replicas_to_clusters(clusters, spec, None, explain)?;
        return Ok(result);
    }
    explain.overflow = true;
    let mut tiers: VecMap<i32, (Vec<ClusterDetail<'_>>, i64)> = VecMap::new();
    for c in clusters {
        let tier = tiers.entry(c.overflow_order).or_default();
        tier.0.push(c.clone());
        tier.1 = tier.1.wrapping_add(c.available_replicas);
    }
    let mut final_results = Vec::new();
    let mut remaining: i32 = spec.replicas;
    // Tiers run in ascending order; Go walks 0..=max and skips empty ones (negative orders never occur).
    for (tier, (members, available)) in tiers.iter().filter(|(t, _)| **t >= 0) {
        if members.is_empty() {
            continue;
        }
        let mut tier_spec = spec.clone();
        tier_spec.replicas = i64::from(remaining).min(*available) as i32;
        let results = assign_replicas_to_clusters(members, &tier_spec, Some(*tier), explain)?;
        final_results.extend(results);
        remaining = remaining.wrapping_sub(tier_spec.replicas);
        if remaining <= 0 {
            break;
        }
    }
    if remaining > 0 {
        return Err("Clusters available replicas are not enough to schedule.".to_string());
    }
    Ok(final_results)
}

/// `assignReplicasToClusters`: run the strategy, then `removeZeroReplicasCluster`.
fn assign_replicas_to_clusters(
    clusters: &[ClusterDetail<'_>],
    spec: &SpecView<'_>,
    tier: Option<i32>,
    explain: &mut DivisionExplain,
) -> Result<Vec<Tc>, String> {
    let Some(strategy) = strategy_type(spec) else {
        let pref = spec.placement.replica_scheduling.as_ref().map(|r| r.replica_division_preference.as_str());
        return Err(format!(
            "unsupported replica scheduling strategy, replicaSchedulingType: {}, replicaDivisionPreference: {}, \
             please try another scheduling strategy",
            spec.placement.replica_scheduling_type(),
            pref.unwrap_or("")
        ));
    };
    explain.strategy = strategy.to_string();
    let mut step = DivisionStep {
        tier,
        // The per-cluster lists are only kept for an explanation (no allocation per cluster otherwise).
        candidates: if spec.trace { clusters.iter().map(|c| c.name.to_string()).collect() } else { Vec::new() },
        target_replicas: i64::from(spec.replicas),
        ..DivisionStep::default()
    };
    let tie = tie_break_by_uid(spec.uid);
    let result = match strategy {
        DUPLICATED => Ok(clusters.iter().map(|c| Tc { name: c.name.to_string(), replicas: spec.replicas }).collect()),
        STATIC_WEIGHT => {
            let pref = spec.placement.replica_scheduling.as_ref().and_then(|r| r.weight_preference.as_ref());
            let weights = static_weight_list(clusters, pref);
            if spec.trace {
                step.weights = weight_entries(&weights);
            }
            Ok(allocate_by_weight(spec.replicas, &weights, tie))
        }
        _ => assign_dynamic(clusters, spec, strategy, tie, &mut step),
    };
    match result {
        Ok(list) => {
            if spec.trace {
                step.result = entries(&list);
                explain.result.extend(entries(&list));
            }
            explain.steps.push(step);
            Ok(list.into_iter().filter(|c| c.replicas > 0).collect())
        }
        Err(e) => {
            explain.steps.push(step);
            Err(e)
        }
    }
}

/// `getStaticWeightInfoList` (`division_algorithm.go`) with `getDefaultWeightPreference` for a nil preference:
/// each candidate's weight is the largest weight of the rules whose `targetCluster` matches it; candidates with
/// weight 0 are left out; if the weights sum to 0, every candidate gets weight 1.
pub(crate) fn static_weight_list(
    clusters: &[ClusterDetail<'_>],
    pref: Option<&ClusterPreferences>,
) -> Vec<(String, i64)> {
    let mut list: Vec<(String, i64)> = Vec::new();
    for c in clusters {
        let weight = match pref {
            // Default preference: one `{clusterNames: [name], weight: 1}` rule per candidate.
            None => 1,
            Some(p) => p
                .static_weight_list
                .iter()
                .filter(|rule| cluster_matches(c.cluster, &rule.target_cluster))
                .fold(0i64, |w, rule| w.max(rule.weight)),
        };
        if weight > 0 {
            list.push((c.name.to_string(), weight));
        }
    }
    if list.iter().fold(0i64, |s, (_, w)| s.wrapping_add(*w)) == 0 {
        list.extend(clusters.iter().map(|c| (c.name.to_string(), 1)));
    }
    list
}

/// `assignByDynamicStrategy` (Aggregated and DynamicWeight), Steady or Fresh mode.
fn assign_dynamic(
    clusters: &[ClusterDetail<'_>],
    spec: &SpecView<'_>,
    strategy: &str,
    tie: TieBreak,
    step: &mut DivisionStep,
) -> Result<Vec<Tc>, String> {
    // buildScheduledClusters: previous entries still among the candidates, in spec.clusters order.
    let scheduled: Vec<Tc> =
        spec.previous.iter().filter(|p| clusters.iter().any(|c| c.name == p.name)).cloned().collect();
    let assigned = sum_replicas(&scheduled);
    let allocatable = || -> Vec<Tc> {
        clusters.iter().map(|c| Tc { name: c.name.to_string(), replicas: c.allocatable_replicas }).collect()
    };
    if spec.fresh {
        step.mode = "fresh".to_string();
        let mut available = allocatable();
        for s in &scheduled {
            if let Some(a) = available.iter_mut().find(|a| a.name == s.name) {
                a.replicas = a.replicas.wrapping_add(s.replicas);
            }
        }
        sort_desc(&mut available);
        return dynamic_divide(spec.replicas, available, Vec::new(), strategy, tie, step, spec.trace)
            .map_err(|e| format!("failed to do fresh scale: {e}"));
    }
    if assigned > spec.replicas {
        step.mode = "scaleDown".to_string();
        let mut available = scheduled;
        sort_desc(&mut available);
        dynamic_divide(spec.replicas, available, Vec::new(), strategy, tie, step, spec.trace)
            .map_err(|e| format!("failed to scale down: {e}"))
    } else if assigned < spec.replicas {
        step.mode = "scaleUp".to_string();
        let target = spec.replicas.wrapping_sub(assigned);
        let mut available = allocatable();
        sort_desc(&mut available);
        dynamic_divide(target, available, scheduled, strategy, tie, step, spec.trace)
            .map_err(|e| format!("failed to scale up: {e}"))
    } else {
        step.mode = "unchanged".to_string();
        Ok(scheduled)
    }
}

/// `dynamicDivideReplicas`: capacity check, Aggregated prefix cut, Webster over available replicas, merge.
fn dynamic_divide(
    target: i32,
    mut available: Vec<Tc>,
    scheduled: Vec<Tc>,
    strategy: &str,
    tie: TieBreak,
    step: &mut DivisionStep,
    trace: bool,
) -> Result<Vec<Tc>, String> {
    step.target_replicas = i64::from(target);
    let available_replicas = sum_replicas(&available);
    step.available_replicas = Some(i64::from(available_replicas));
    if available_replicas < target {
        return Err(format!("Clusters available replicas {available_replicas} are not enough to schedule."));
    }
    if strategy == AGGREGATED {
        // resortAvailableClusters: previously scheduled clusters (replicas > 0) first, stable.
        let prior: Vec<&str> = scheduled.iter().filter(|s| s.replicas > 0).map(|s| s.name.as_str()).collect();
        if !prior.is_empty() {
            let (mut front, back): (Vec<Tc>, Vec<Tc>) =
                available.into_iter().partition(|c| prior.contains(&c.name.as_str()));
            front.extend(back);
            available = front;
        }
        let mut sum: i32 = 0;
        let mut cut = None;
        for (i, c) in available.iter().enumerate() {
            sum = sum.wrapping_add(c.replicas);
            if sum >= target {
                cut = Some(i.saturating_add(1));
                break;
            }
        }
        if let Some(n) = cut {
            available.truncate(n);
        }
    }
    let weights: Vec<(String, i64)> = available.iter().map(|c| (c.name.clone(), i64::from(c.replicas))).collect();
    if trace {
        step.weights = weight_entries(&weights);
    }
    let new = allocate_by_weight(target, &weights, tie);
    Ok(merge_target_clusters(scheduled, new))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::api::policy::{ClusterAffinity, Placement, ReplicaSchedulingStrategy, StaticClusterWeight};
    use crate::api::Cluster;

    fn names(list: &[Tc]) -> Vec<(String, i32)> {
        list.iter().map(|c| (c.name.clone(), c.replicas)).collect()
    }

    fn w(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
        pairs.iter().map(|(n, v)| (n.to_string(), *v)).collect()
    }

    fn seats(n: i32, pairs: &[(&str, i64)], tie: TieBreak) -> Vec<i32> {
        webster(n, &w(pairs), tie).iter().map(|c| c.replicas).collect()
    }

    #[test]
    fn fnv_and_tie_break() {
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(tie_break_by_uid(""), TieBreak::NameAscending);
        assert_eq!(tie_break_by_uid("d43fdeeb-d750-4e2b-bee3-64eb94534f4c"), TieBreak::NameDescending);
        assert_eq!(tie_break_by_uid("4858ca61-3ff8-4095-8267-f3d059d8074c"), TieBreak::NameAscending);
    }

    #[test]
    fn webster_sequences() {
        let asc = TieBreak::NameAscending;
        // §8.17
        assert_eq!(seats(1, &[("A", 2), ("B", 1)], asc), vec![1, 0]);
        assert_eq!(seats(2, &[("A", 2), ("B", 1)], asc), vec![1, 1]);
        assert_eq!(seats(3, &[("A", 2), ("B", 1)], asc), vec![2, 1]);
        assert_eq!(seats(5, &[("A", 170), ("B", 110), ("C", 60)], asc), vec![2, 2, 1]);
        assert_eq!(seats(6, &[("A", 170), ("B", 110), ("C", 60)], asc), vec![3, 2, 1]);
        // §8.20
        let votes = [("A", 100_000), ("B", 80_000), ("C", 30_000), ("D", 20_000)];
        let expect = [
            vec![1, 0, 0, 0],
            vec![1, 1, 0, 0],
            vec![2, 1, 0, 0],
            vec![2, 1, 1, 0],
            vec![2, 2, 1, 0],
            vec![2, 2, 1, 1],
            vec![3, 2, 1, 1],
            vec![3, 3, 1, 1],
        ];
        for (i, e) in expect.iter().enumerate() {
            assert_eq!(&seats(i as i32 + 1, &votes, asc), e, "seats {}", i + 1);
        }
    }

    #[test]
    fn webster_uid_tie_break() {
        // §8.18: 5 replicas at 1:1.
        let odd = tie_break_by_uid("d43fdeeb-d750-4e2b-bee3-64eb94534f4c");
        let even = tie_break_by_uid("4858ca61-3ff8-4095-8267-f3d059d8074c");
        assert_eq!(seats(5, &[("A", 1), ("B", 1)], odd), vec![2, 3]);
        assert_eq!(seats(5, &[("A", 1), ("B", 1)], even), vec![3, 2]);
    }

    #[test]
    fn static_weight_sequences() {
        let asc = TieBreak::NameAscending;
        // §8.1 and §8.5 / §4.3
        assert_eq!(seats(12, &[("m1", 3), ("m2", 2), ("m3", 1)], asc), vec![6, 4, 2]);
        assert_eq!(seats(13, &[("m1", 3), ("m2", 2), ("m3", 1)], asc), vec![7, 4, 2]);
        assert_eq!(seats(14, &[("m1", 3), ("m2", 2), ("m3", 1)], asc), vec![7, 5, 2]);
        assert_eq!(seats(3, &[("a", 1), ("b", 1)], asc), vec![2, 1]);
        assert_eq!(seats(3, &[("a", 1), ("b", 1), ("c", 1)], asc), vec![1, 1, 1]);
        assert_eq!(seats(5, &[("a", 1), ("b", 1), ("c", 1)], asc), vec![2, 2, 1]);
        assert_eq!(seats(7, &[("a", 2), ("b", 1), ("c", 1), ("d", 1)], asc), vec![3, 2, 1, 1]);
        assert_eq!(seats(8, &[("a", 2), ("b", 1), ("c", 1), ("d", 1)], asc), vec![3, 2, 2, 1]);
        assert_eq!(seats(9, &[("a", 2), ("b", 1), ("c", 1), ("d", 1)], asc), vec![3, 2, 2, 2]);
        assert_eq!(seats(6, &[("a", 1), ("b", 1), ("c", 1), ("d", 1)], asc), vec![2, 2, 1, 1]);
        assert_eq!(seats(6, &[("a", 2), ("b", 1), ("c", 1), ("d", 1)], asc), vec![3, 1, 1, 1]);
        assert_eq!(seats(12, &[("a", 1), ("b", 1), ("c", 1)], asc), vec![4, 4, 4]);
        // Zero weights: nothing happens.
        assert!(allocate_by_weight(4, &w(&[("a", 0), ("b", 0)]), asc).is_empty());
        // 0 replicas: all parties listed with 0.
        assert_eq!(seats(0, &[("a", 1), ("b", 1)], asc), vec![0, 0]);
    }

    fn sequential(n: i32, votes: &[(&str, i64)], tie: TieBreak) -> Vec<i32> {
        let mut parties: Vec<Party> =
            votes.iter().map(|(n, v)| Party { name: n.to_string(), votes: *v, seats: 0 }).collect();
        parties.sort_by(|a, b| a.name.cmp(&b.name));
        for _ in 0..n {
            let mut best = 0;
            for i in 1..parties.len() {
                if ahead(&parties[i], &parties[best], tie) {
                    best = i;
                }
            }
            parties[best].seats += 1;
        }
        parties.iter().map(|p| p.seats).collect()
    }

    /// The skip-ahead must reproduce the plain sequential heap exactly.
    #[test]
    fn skip_ahead_matches_sequential() {
        let cases: Vec<Vec<(&str, i64)>> = vec![
            vec![("a", 1), ("b", 1)],
            vec![("a", 3), ("b", 2), ("c", 1)],
            vec![("a", 7), ("b", 0), ("c", 13), ("d", 13)],
            vec![("m1", 110), ("m2", 110), ("m3", 37)],
            vec![("x", 1_000_000_007), ("y", 3), ("z", 999)],
            vec![("p", 5)],
            vec![("a", 0), ("b", 0), ("c", 0)],
            vec![("a", 2), ("b", 6), ("c", 10), ("d", 6), ("e", 2)],
            vec![("a", 1), ("b", 3), ("c", 5), ("d", 7), ("e", 9), ("f", 11), ("g", 13)],
        ];
        for votes in &cases {
            for n in [65, 66, 100, 257, 1000, 1001, 4099] {
                for tie in [TieBreak::NameAscending, TieBreak::NameDescending] {
                    assert_eq!(seats(n, votes, tie), sequential(n, votes, tie), "{votes:?} n={n} {tie:?}");
                }
            }
        }
        // Pseudo-random weights.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..40 {
            let names = ["c1", "c2", "c3", "c4", "c5"];
            let k = 1 + round % 5;
            let votes: Vec<(&str, i64)> = names[..k]
                .iter()
                .map(|n| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (*n, (x % 50) as i64)
                })
                .collect();
            let n = 65 + (x % 700) as i32;
            for tie in [TieBreak::NameAscending, TieBreak::NameDescending] {
                assert_eq!(seats(n, &votes, tie), sequential(n, &votes, tie), "{votes:?} n={n} {tie:?}");
            }
        }
    }

    #[test]
    fn negative_votes_match_sequential() {
        for votes in
            [vec![("a", -3), ("b", 4), ("c", 9)], vec![("a", 5), ("b", 0), ("c", -1)], vec![("a", 2), ("z", -8)]]
        {
            for n in [65, 300, 1001] {
                for tie in [TieBreak::NameAscending, TieBreak::NameDescending] {
                    assert_eq!(seats(n, &votes, tie), sequential(n, &votes, tie), "{votes:?} n={n} {tie:?}");
                }
            }
        }
        assert_eq!(seats(i32::MAX, &[("a", -3), ("b", 4), ("c", 9)], TieBreak::NameAscending)[0], 0);
    }

    #[test]
    fn webster_huge_follows_go_int32_wrap() {
        // Past 2^30 seats Go's int32 `2*seats+1` wraps negative and the party stops winning.
        let asc = TieBreak::NameAscending;
        assert_eq!(seats(i32::MAX, &[("a", i64::MAX), ("b", 1)], asc), vec![1 << 30, (1 << 30) - 1]);
        assert_eq!(seats(i32::MAX, &[("a", 5)], asc), vec![i32::MAX]);
        assert_eq!(seats(i32::MAX, &[("a", 5), ("y", 0), ("z", 0)], asc), vec![1 << 30, 1 << 29, (1 << 29) - 1]);
        assert_eq!(seats(i32::MAX, &[("a", 1), ("b", 1)], asc), vec![1 << 30, (1 << 30) - 1]);
    }

    fn cluster(name: &str) -> Cluster {
        let mut c = Cluster::default();
        c.metadata.name = name.to_string();
        c
    }

    fn details<'a>(cs: &'a [Cluster], alloc: &[i32]) -> Vec<ClusterDetail<'a>> {
        cs.iter()
            .zip(alloc)
            .map(|(c, a)| ClusterDetail {
                name: c.metadata.name.as_str(),
                score: 0,
                overflow_order: 0,
                available_replicas: i64::from(*a),
                allocatable_replicas: *a,
                cluster: c,
            })
            .collect()
    }

    fn divided(pref: &str, dynamic: bool) -> Placement {
        Placement {
            replica_scheduling: Some(ReplicaSchedulingStrategy {
                replica_scheduling_type: "Divided".to_string(),
                replica_division_preference: pref.to_string(),
                weight_preference: if dynamic {
                    Some(ClusterPreferences {
                        dynamic_weight: "AvailableReplicas".to_string(),
                        ..ClusterPreferences::default()
                    })
                } else {
                    None
                },
            }),
            ..Placement::default()
        }
    }

    fn spec<'a>(replicas: i32, placement: &'a Placement, previous: &'a [Tc]) -> SpecView<'a> {
        SpecView {
            replicas,
            has_requirements: true,
            placement,
            uid: "",
            previous,
            fresh: false,
            observed_affinity: "",
            trace: true,
        }
    }

    fn tcs(pairs: &[(&str, i32)]) -> Vec<Tc> {
        pairs.iter().map(|(n, r)| Tc { name: n.to_string(), replicas: *r }).collect()
    }

    fn run(cs: &[ClusterDetail<'_>], s: &SpecView<'_>) -> Result<Vec<(String, i32)>, String> {
        let mut ex = DivisionExplain::default();
        assign_replicas(cs, s, &mut ex).map(|mut r| {
            r.sort_by(|a, b| a.name.cmp(&b.name));
            names(&r)
        })
    }

    fn expect(pairs: &[(&str, i32)]) -> Result<Vec<(String, i32)>, String> {
        Ok(pairs.iter().map(|(n, r)| (n.to_string(), *r)).collect())
    }

    #[test]
    fn static_weight_rules() {
        let cs = [cluster("m1"), cluster("m2"), cluster("m3")];
        let rule = |names: &[&str], weight| StaticClusterWeight {
            target_cluster: ClusterAffinity {
                cluster_names: names.iter().map(|s| s.to_string()).collect(),
                ..ClusterAffinity::default()
            },
            weight,
        };
        let mut p = divided("Weighted", false);
        if let Some(rs) = p.replica_scheduling.as_mut() {
            rs.weight_preference = Some(ClusterPreferences {
                static_weight_list: vec![rule(&["m1"], 3), rule(&["m2"], 2), rule(&["m3"], 1)],
                ..ClusterPreferences::default()
            });
        }
        let d = details(&cs, &[0, 0, 0]);
        assert_eq!(run(&d, &spec(12, &p, &[])), expect(&[("m1", 6), ("m2", 4), ("m3", 2)]));
        assert_eq!(run(&d, &spec(13, &p, &[])), expect(&[("m1", 7), ("m2", 4), ("m3", 2)]));
        assert_eq!(run(&d, &spec(14, &p, &[])), expect(&[("m1", 7), ("m2", 5), ("m3", 2)]));
        // §8.3: only m1 listed → m2 gets nothing.
        if let Some(rs) = p.replica_scheduling.as_mut() {
            rs.weight_preference = Some(ClusterPreferences {
                static_weight_list: vec![rule(&["m1"], 1)],
                ..ClusterPreferences::default()
            });
        }
        let d2 = details(&cs[..2], &[0, 0]);
        assert_eq!(run(&d2, &spec(2, &p, &[])), expect(&[("m1", 2)]));
        // §8.4: duplicate rule → max weight.
        if let Some(rs) = p.replica_scheduling.as_mut() {
            rs.weight_preference = Some(ClusterPreferences {
                static_weight_list: vec![rule(&["m1"], 1), rule(&["m2"], 1), rule(&["m1"], 2)],
                ..ClusterPreferences::default()
            });
        }
        assert_eq!(run(&d2, &spec(3, &p, &[])), expect(&[("m1", 2), ("m2", 1)]));
        // No rule matches anyone → equal weights.
        if let Some(rs) = p.replica_scheduling.as_mut() {
            rs.weight_preference = Some(ClusterPreferences {
                static_weight_list: vec![rule(&["zz"], 5)],
                ..ClusterPreferences::default()
            });
        }
        assert_eq!(run(&d, &spec(12, &p, &[])), expect(&[("m1", 4), ("m2", 4), ("m3", 4)]));
        // §8.2: no weightPreference, replicas 0 → everything dropped.
        let p0 = divided("Weighted", false);
        assert_eq!(run(&d2, &spec(0, &p0, &[])), expect(&[]));
        assert_eq!(run(&d[..1], &spec(3, &p0, &[])), expect(&[("m1", 3)]));
    }

    #[test]
    fn dynamic_weight_first_schedule() {
        let cs = [cluster("m1"), cluster("m2"), cluster("m3")];
        let p = divided("Weighted", true);
        // §8.11
        assert_eq!(run(&details(&cs, &[6, 8, 10]), &spec(12, &p, &[])), expect(&[("m1", 3), ("m2", 4), ("m3", 5)]));
        assert_eq!(run(&details(&cs, &[8, 8, 10]), &spec(12, &p, &[])), expect(&[("m1", 4), ("m2", 4), ("m3", 4)]));
        assert_eq!(
            run(&details(&cs, &[3, 3, 3]), &spec(12, &p, &[])),
            Err("failed to scale up: Clusters available replicas 9 are not enough to schedule.".to_string())
        );
    }

    #[test]
    fn dynamic_weight_steady() {
        let cs = [cluster("m1"), cluster("m2"), cluster("m3")];
        let p = divided("Weighted", true);
        let prev = tcs(&[("m1", 2), ("m2", 4), ("m3", 6)]);
        // §8.6 scale down
        assert_eq!(run(&details(&cs, &[0, 0, 0]), &spec(6, &p, &prev)), expect(&[("m1", 1), ("m2", 2), ("m3", 3)]));
        // §8.7 scale up
        assert_eq!(
            run(&details(&cs, &[10, 10, 10]), &spec(24, &p, &prev)),
            expect(&[("m1", 6), ("m2", 8), ("m3", 10)])
        );
        assert!(run(&details(&cs, &[1, 1, 1]), &spec(24, &p, &prev)).is_err());
        // §8.12: previous m1:6, m3:6; candidates m1(3), m2(3) → m3's 6 are re-placed.
        let prev2 = tcs(&[("m1", 6), ("m3", 6)]);
        assert_eq!(run(&details(&cs[..2], &[3, 3]), &spec(12, &p, &prev2)), expect(&[("m1", 9), ("m2", 3)]));
    }

    #[test]
    fn aggregated() {
        let cs = [cluster("m1"), cluster("m2"), cluster("m3"), cluster("m4")];
        let p = divided("Aggregated", false);
        // §8.11 first schedule
        assert_eq!(run(&details(&cs[..3], &[6, 8, 10]), &spec(12, &p, &[])), expect(&[("m2", 5), ("m3", 7)]));
        assert_eq!(run(&details(&cs[..3], &[12, 8, 10]), &spec(12, &p, &[])), expect(&[("m1", 12)]));
        assert!(run(&details(&cs[..3], &[3, 3, 3]), &spec(12, &p, &[])).is_err());
        // §8.8 scale down
        let prev = tcs(&[("m1", 4), ("m2", 8)]);
        assert_eq!(run(&details(&cs[..2], &[100, 100]), &spec(6, &p, &prev)), expect(&[("m2", 6)]));
        assert_eq!(run(&details(&cs[..2], &[100, 100]), &spec(8, &p, &prev)), expect(&[("m2", 8)]));
        // §8.9 scale up
        assert_eq!(
            run(&details(&cs[..3], &[4, 6, 8]), &spec(24, &p, &prev)),
            expect(&[("m1", 7), ("m2", 12), ("m3", 5)])
        );
        assert_eq!(run(&details(&cs[..3], &[6, 6, 20]), &spec(24, &p, &prev)), expect(&[("m1", 10), ("m2", 14)]));
        assert!(run(&details(&cs[..3], &[1, 1, 1]), &spec(24, &p, &prev)).is_err());
        // §8.10 churn: candidates m1(4), m3(8), m4(12)
        let churn = [cluster("m1"), cluster("m3"), cluster("m4")];
        assert_eq!(
            run(&details(&churn, &[4, 8, 12]), &spec(24, &p, &prev)),
            expect(&[("m1", 7), ("m3", 7), ("m4", 10)])
        );
    }

    #[test]
    fn dynamic_divide_direct() {
        // §8.13
        let tie = TieBreak::NameAscending;
        let mut step = DivisionStep::default();
        let run = |avail: &[(&str, i32)], strategy: &str, step: &mut DivisionStep| {
            let mut a = tcs(avail);
            sort_desc(&mut a);
            let mut r = dynamic_divide(12, a, Vec::new(), strategy, tie, step, true).unwrap();
            r.retain(|c| c.replicas > 0);
            names(&r)
        };
        let n = |pairs: &[(&str, i32)]| pairs.iter().map(|(a, b)| (a.to_string(), *b)).collect::<Vec<_>>();
        assert_eq!(
            run(&[("m1", 18), ("m2", 12), ("m3", 6)], DYNAMIC_WEIGHT, &mut step),
            n(&[("m1", 6), ("m2", 4), ("m3", 2)])
        );
        assert_eq!(
            run(&[("m1", 20), ("m2", 12), ("m3", 6)], DYNAMIC_WEIGHT, &mut step),
            n(&[("m1", 6), ("m2", 4), ("m3", 2)])
        );
        assert_eq!(
            run(&[("m1", 6), ("m2", 12), ("m3", 6)], DYNAMIC_WEIGHT, &mut step),
            n(&[("m1", 3), ("m2", 6), ("m3", 3)])
        );
        assert_eq!(run(&[("m2", 12), ("m1", 6), ("m3", 6)], AGGREGATED, &mut step), n(&[("m2", 12)]));
        assert_eq!(run(&[("m1", 6), ("m2", 6), ("m3", 6)], AGGREGATED, &mut step), n(&[("m1", 6), ("m2", 6)]));
    }

    #[test]
    fn duplicated_non_workload_and_errors() {
        let cs = [cluster("m1"), cluster("m2")];
        let d = details(&cs, &[0, 0]);
        let dup = Placement::default();
        assert_eq!(run(&d, &spec(2, &dup, &[])), expect(&[("m1", 2), ("m2", 2)]));
        // Duplicated workload with 0 replicas but requirements: all dropped.
        assert_eq!(run(&d, &spec(0, &dup, &[])), expect(&[]));
        // Non-workload: every cluster with 0.
        let mut s = spec(0, &dup, &[]);
        s.has_requirements = false;
        assert_eq!(run(&d, &s), expect(&[("m1", 0), ("m2", 0)]));
        assert_eq!(run(&[], &s), Err("no clusters available to schedule".to_string()));
        let bad = divided("", false);
        assert_eq!(
            run(&d, &spec(2, &bad, &[])),
            Err("unsupported replica scheduling strategy, replicaSchedulingType: Divided, \
                 replicaDivisionPreference: , please try another scheduling strategy"
                .to_string())
        );
    }

    #[test]
    fn overflow_tiers() {
        use crate::api::policy::{ClusterAffinityTerm, OverflowClusterAffinity};
        let cs = [cluster("m1"), cluster("m2")];
        let mut p = divided("Weighted", true);
        p.cluster_affinities = Some(vec![ClusterAffinityTerm {
            affinity_name: "primary".to_string(),
            cluster_names: vec!["m1".to_string()],
            overflow_affinities: Some(vec![OverflowClusterAffinity {
                affinity_name: "burst".to_string(),
                cluster_names: vec!["m2".to_string()],
                ..OverflowClusterAffinity::default()
            }]),
            ..ClusterAffinityTerm::default()
        }]);
        let tiered = |alloc: [i32; 2], prev: [i32; 2]| {
            let mut d = details(&cs, &alloc);
            for (i, c) in d.iter_mut().enumerate() {
                c.overflow_order = i as i32;
                c.available_replicas += i64::from(prev[i]);
            }
            d
        };
        let mut s = spec(5, &p, &[]);
        s.observed_affinity = "primary";
        // §8.15
        assert_eq!(run(&tiered([10, 10], [0, 0]), &s), expect(&[("m1", 5)]));
        assert_eq!(run(&tiered([2, 10], [0, 0]), &s), expect(&[("m1", 2), ("m2", 3)]));
        s.replicas = 10;
        assert_eq!(
            run(&tiered([2, 2], [0, 0]), &s),
            Err("Clusters available replicas are not enough to schedule.".to_string())
        );
        let prev = tcs(&[("m1", 3)]);
        let mut s2 = spec(8, &p, &prev);
        s2.observed_affinity = "primary";
        assert_eq!(run(&tiered([2, 10], [3, 0]), &s2), expect(&[("m1", 5), ("m2", 3)]));
    }
}
