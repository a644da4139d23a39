//! Filter plugins (`pkg/scheduler/framework/plugins/*`) and the FitError message
//! (`pkg/scheduler/framework/types.go`).

use super::explain::FilterVerdict;
use super::SpecView;
use crate::api::policy::ClusterAffinity;
use crate::api::{Cluster, ResourceBinding};
use crate::selector::cluster_matches;
use crate::util::VecMap;

/// Filter plugin names, in the fixed order used to pick a cluster's FitError reason (the registry literal order;
/// Karmada itself iterates a Go map).
pub(crate) const FILTER_PLUGINS: [&str; 5] =
    ["APIEnablement", "TaintToleration", "ClusterAffinity", "SpreadConstraint", "ClusterEviction"];

/// `GroupVersion(spec.resource.apiVersion).String()` via `schema.FromAPIVersionAndKind`: an apiVersion with
/// more than one `/` does not parse and yields the empty group version.
fn group_version_string(api_version: &str) -> String {
    match api_version.matches('/').count() {
        0 => api_version.to_string(),
        1 => {
            let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
            if group.is_empty() {
                version.to_string()
            } else {
                format!("{group}/{version}")
            }
        }
        _ => String::new(),
    }
}

/// A plugin's Unschedulable reason. Only read when no cluster fits (or for the explanation): an untolerated
/// taint is formatted only then.
#[derive(Clone)]
pub(crate) enum Reason<'c> {
    /// A fixed text.
    Fixed(&'static str),
    /// A text already formatted.
    Owned(String),
    /// `cluster(s) had untolerated taint {<taint>}`.
    Taint(&'c crate::api::meta::Taint),
}

impl Reason<'_> {
    /// The reason's text.
    pub(crate) fn into_owned(self) -> String {
        match self {
            Reason::Fixed(s) => s.to_string(),
            Reason::Owned(s) => s,
            Reason::Taint(t) => format!("cluster(s) had untolerated taint {{{}}}", t.to_k8s_string()),
        }
    }
}

/// The filter plugins for one attempt, with what they derive from the binding computed once (not per cluster).
pub(crate) struct Filters<'a> {
    binding: &'a ResourceBinding,
    spec: &'a SpecView<'a>,
    /// `GroupVersion(spec.resource.apiVersion).String()`.
    group_version: String,
    /// The affinities the ClusterAffinity filter checks (`None`: no constraint).
    affinities: Option<Vec<ClusterAffinity>>,
}

impl<'a> Filters<'a> {
    /// The filters of one attempt of `binding` under `spec`.
    pub(crate) fn new(binding: &'a ResourceBinding, spec: &'a SpecView<'a>) -> Self {
        Filters {
            binding,
            spec,
            group_version: group_version_string(&binding.resource.api_version),
            affinities: filter_affinities(binding, spec),
        }
    }

    fn in_previous(&self, cluster: &Cluster) -> bool {
        self.spec.previous.iter().any(|p| p.name == cluster.metadata.name)
    }

    /// APIEnablement (`plugins/apienablement/api_enablement.go`, `Cluster.APIEnablement`): only `APIEnabled`
    /// passes (`APIDisabled` and `APIUnknown` both fail). Clusters in the previous result always pass.
    fn api_enablement<'c>(&self, cluster: &'c Cluster) -> Option<Reason<'c>> {
        if self.in_previous(cluster) {
            return None;
        }
        let kind = &self.binding.resource.kind;
        let enabled = cluster.status.as_ref().is_some_and(|s| {
            s.api_enablements
                .iter()
                .filter(|e| e.group_version == self.group_version)
                .any(|e| e.resources.iter().any(|r| &r.kind == kind))
        });
        if enabled {
            None
        } else {
            Some(Reason::Fixed("cluster(s) did not have the API resource"))
        }
    }

    /// TaintToleration (`plugins/tainttoleration/taint_toleration.go`, `FindMatchingUntoleratedTaint`): the
    /// first NoSchedule/NoExecute taint not tolerated by any cluster toleration fails the cluster.
    fn taint_toleration<'c>(&self, cluster: &'c Cluster) -> Option<Reason<'c>> {
        if self.in_previous(cluster) {
            return None;
        }
        let tolerations = &self.binding.placement.cluster_tolerations;
        cluster
            .spec
            .taints
            .iter()
            .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
            .find(|t| !tolerations.iter().any(|tol| tol.tolerates(t)))
            .map(Reason::Taint)
    }

    /// ClusterAffinity (`plugins/clusteraffinity/cluster_affinity.go`).
    fn cluster_affinity<'c>(&self, cluster: &'c Cluster) -> Option<Reason<'c>> {
        match &self.affinities {
            None => None,
            Some(list) if list.iter().any(|a| cluster_matches(cluster, a)) => None,
            Some(_) => Some(Reason::Fixed("cluster(s) did not match the placement cluster affinity constraint")),
        }
    }

    /// SpreadConstraint (`plugins/spreadconstraint/spread_constraint.go`): the cluster must have the spread
    /// field.
    fn spread_constraint<'c>(&self, cluster: &'c Cluster) -> Option<Reason<'c>> {
        for sc in &self.binding.placement.spread_constraints {
            match sc.spread_by_field.as_str() {
                "provider" if cluster.spec.provider.is_empty() => {
                    return Some(Reason::Fixed("cluster(s) did not have provider property"))
                }
                "region" if cluster.spec.region.is_empty() => {
                    return Some(Reason::Fixed("cluster(s) did not have region property"))
                }
                "zone" if cluster.spec.zones.is_empty() => {
                    return Some(Reason::Fixed("cluster(s) did not have zones property"))
                }
                _ => {}
            }
        }
        None
    }

    /// ClusterEviction (`plugins/clustereviction/cluster_eviction.go`): a fresh binding has no graceful
    /// eviction tasks, so it always passes.
    fn cluster_eviction(&self, _cluster: &Cluster) -> Option<Reason<'static>> {
        None
    }

    /// The plugin `index` of [`FILTER_PLUGINS`] on `cluster`: its failure reason, `None` when it passes.
    fn plugin<'c>(&self, index: usize, cluster: &'c Cluster) -> Option<Reason<'c>> {
        match index {
            0 => self.api_enablement(cluster),
            1 => self.taint_toleration(cluster),
            2 => self.cluster_affinity(cluster),
            3 => self.spread_constraint(cluster),
            _ => self.cluster_eviction(cluster),
        }
    }

    /// Every filter plugin's verdict on `cluster` (all of them, for the explanation), in [`FILTER_PLUGINS`]
    /// order.
    pub(crate) fn verdicts(&self, cluster: &Cluster) -> Vec<FilterVerdict> {
        FILTER_PLUGINS
            .iter()
            .enumerate()
            .map(|(i, plugin)| {
                let reason = self.plugin(i, cluster).map(Reason::into_owned);
                FilterVerdict { plugin, passed: reason.is_none(), reason }
            })
            .collect()
    }

    /// The first failing plugin's reason (the FitError diagnosis), `None` when `cluster` fits; the plugins
    /// after the first failure are not run.
    pub(crate) fn first_failure<'c>(&self, cluster: &'c Cluster) -> Option<Reason<'c>> {
        (0..FILTER_PLUGINS.len()).find_map(|i| self.plugin(i, cluster))
    }
}

/// The affinities the ClusterAffinity filter checks: `clusterAffinity`, else the observed `clusterAffinities`
/// term (plus its overflow tiers for workloads). `None` means no constraint (pass).
fn filter_affinities(binding: &ResourceBinding, spec: &SpecView<'_>) -> Option<Vec<ClusterAffinity>> {
    let placement = &binding.placement;
    if let Some(a) = &placement.cluster_affinity {
        return Some(vec![a.clone()]);
    }
    let term = placement.cluster_affinities.as_ref()?.iter().find(|t| t.affinity_name == spec.observed_affinity)?;
    let mut list = vec![term.affinity()];
    if binding.is_workload() {
        list.extend(term.overflow_affinities.iter().flatten().map(|o| o.affinity()));
    }
    Some(list)
}

/// `FitError.Error()`: `0/N clusters are available: <histogram>.` with `"<count> <reason>"` entries sorted as
/// strings, or `no cluster exists` when N is 0 or nothing was diagnosed. `diagnosis` maps cluster → reason.
pub(crate) fn fit_error_message(num_all_clusters: usize, diagnosis: &VecMap<String, String>) -> String {
    if num_all_clusters == 0 || diagnosis.is_empty() {
        return format!("0/{num_all_clusters} clusters are available: no cluster exists.");
    }
    let mut histogram: VecMap<&str, usize> = VecMap::new();
    for reason in diagnosis.values() {
        let e = histogram.entry(reason.as_str()).or_insert(0);
        *e = e.saturating_add(1);
    }
    let mut entries: Vec<String> = histogram.iter().map(|(r, n)| format!("{n} {r}")).collect();
    crate::util::sort_by(&mut entries, |a, b| a.cmp(b));
    format!("0/{num_all_clusters} clusters are available: {}.", entries.join(", "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn fit_error_formatting() {
        let mut d = VecMap::new();
        d.insert(
            "m1".to_string(),
            "cluster(s) had untolerated taint {cluster.karmada.io/not-ready:NoSchedule}".to_string(),
        );
        d.insert("m2".to_string(), "cluster(s) did not match the placement cluster affinity constraint".to_string());
        d.insert("m3".to_string(), "cluster(s) did not match the placement cluster affinity constraint".to_string());
        assert_eq!(
            fit_error_message(3, &d),
            "0/3 clusters are available: 1 cluster(s) had untolerated taint {cluster.karmada.io/not-ready:NoSchedule}, \
             2 cluster(s) did not match the placement cluster affinity constraint."
        );
        assert_eq!(fit_error_message(0, &VecMap::new()), "0/0 clusters are available: no cluster exists.");
        assert_eq!(fit_error_message(2, &VecMap::new()), "0/2 clusters are available: no cluster exists.");
        // Entries sort as strings: "10 …" before "2 …".
        let mut big = VecMap::new();
        for i in 0..10 {
            big.insert(format!("a{i}"), "x".to_string());
        }
        big.insert("b0".to_string(), "a".to_string());
        big.insert("b1".to_string(), "a".to_string());
        assert_eq!(fit_error_message(12, &big), "0/12 clusters are available: 10 x, 2 a.");
    }

    #[test]
    fn group_versions() {
        assert_eq!(group_version_string("apps/v1"), "apps/v1");
        assert_eq!(group_version_string("v1"), "v1");
        assert_eq!(group_version_string("/v1"), "v1");
        assert_eq!(group_version_string("a/b/c"), "");
    }
}
