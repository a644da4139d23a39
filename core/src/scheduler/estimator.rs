//! The general replica estimator (`pkg/estimator/client/general.go`) and `calAvailableReplicas`
//! (`pkg/scheduler/core/util.go`). The accurate (gRPC) estimator is off by default and not modelled.

use super::explain::{EstimateExplain, ResourceBound};
use crate::api::cluster::{Cluster, ResourceSummary};
use crate::api::{Quantity, ReplicaRequirements};
use crate::selector::is_qualified_name;
use crate::util::VecMap;

/// `math.MaxInt32`.
const MAX_INT32: i32 = i32::MAX;
/// `estimatorclient.UnauthenticReplica`.
const UNAUTHENTIC_REPLICA: i32 = -1;
/// `maxPodsCountPerNode`.
const MAX_PODS_PER_NODE: i64 = 110;

/// `Quantity.Value()` as Go's `int64` (rounded up; saturating instead of overflowing).
pub(crate) fn value_i64(q: &Quantity) -> i64 {
    i64::try_from(q.value()).unwrap_or(if q.nanos() < 0 { i64::MIN } else { i64::MAX })
}

/// `Quantity.MilliValue()` as Go's `int64` (rounded up; saturating).
pub(crate) fn milli_i64(q: &Quantity) -> i64 {
    i64::try_from(q.milli_value()).unwrap_or(if q.nanos() < 0 { i64::MIN } else { i64::MAX })
}

/// `lifted.IsScalarResourceName`: extended, hugepages, prefixed-native or attachable-volume resources.
pub(crate) fn is_scalar_resource_name(name: &str) -> bool {
    let prefixed_native = name.contains("kubernetes.io/");
    let native = !name.contains('/') || prefixed_native;
    let extended = !native && !name.starts_with("requests.") && is_qualified_name(&format!("requests.{name}"));
    extended || name.starts_with("hugepages-") || prefixed_native || name.starts_with("attachable-volumes-")
}

/// `util.Resource` (`pkg/util/resource.go`): cpu in milli-units, the rest in units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Resource {
    /// Milli-CPU.
    pub milli_cpu: i64,
    /// Memory bytes.
    pub memory: i64,
    /// Ephemeral storage bytes.
    pub ephemeral_storage: i64,
    /// Pods.
    pub allowed_pods: i64,
    /// Scalar (extended) resources.
    pub scalars: VecMap<String, i64>,
}

impl Resource {
    /// `Resource.Add`.
    pub(crate) fn add(&mut self, name: &str, q: &Quantity) {
        match name {
            "cpu" => self.milli_cpu = self.milli_cpu.saturating_add(milli_i64(q)),
            "memory" => self.memory = self.memory.saturating_add(value_i64(q)),
            "pods" => self.allowed_pods = self.allowed_pods.saturating_add(value_i64(q)),
            "ephemeral-storage" => self.ephemeral_storage = self.ephemeral_storage.saturating_add(value_i64(q)),
            _ if is_scalar_resource_name(name) => {
                let e = self.scalars.entry(name.to_string()).or_insert(0);
                *e = e.saturating_add(value_i64(q));
            }
            _ => {}
        }
    }

    /// `Resource.SetMaxResource`: per resource, the larger of the two.
    pub(crate) fn set_max(&mut self, name: &str, q: &Quantity) {
        match name {
            "cpu" => self.milli_cpu = self.milli_cpu.max(milli_i64(q)),
            "memory" => self.memory = self.memory.max(value_i64(q)),
            "ephemeral-storage" => self.ephemeral_storage = self.ephemeral_storage.max(value_i64(q)),
            "pods" => self.allowed_pods = self.allowed_pods.max(value_i64(q)),
            _ if is_scalar_resource_name(name) => {
                let v = value_i64(q);
                let cur = self.scalars.get(name).copied().unwrap_or(0);
                if v > cur {
                    self.scalars.insert(name.to_string(), v);
                }
            }
            _ => {}
        }
    }

    /// `Resource.ResourceList`: only values > 0, cpu as a milli quantity.
    pub(crate) fn resource_list(&self) -> VecMap<String, Quantity> {
        let mut out = VecMap::new();
        let mut put = |name: &str, v: i64, milli: bool| {
            if v > 0 {
                let q =
                    if milli { Quantity::parse(&format!("{v}m")).unwrap_or_default() } else { Quantity::from_units(v) };
                out.insert(name.to_string(), q);
            }
        };
        put("cpu", self.milli_cpu, true);
        put("memory", self.memory, false);
        put("ephemeral-storage", self.ephemeral_storage, false);
        put("pods", self.allowed_pods, false);
        for (k, v) in &self.scalars {
            put(k, *v, false);
        }
        out
    }

    /// `Resource.MaxDivided(rl)`: how many copies of `req` fit (pods included).
    fn max_divided(&self, req: &Resource) -> i64 {
        let mut res = i64::MAX;
        if req.milli_cpu > 0 {
            res = res.min(self.milli_cpu / req.milli_cpu);
        }
        if req.memory > 0 {
            res = res.min(self.memory / req.memory);
        }
        if req.ephemeral_storage > 0 {
            res = res.min(self.ephemeral_storage / req.ephemeral_storage);
        }
        for (name, v) in req.scalars.iter().filter(|(_, v)| **v > 0) {
            res = res.min(self.scalars.get(name).copied().unwrap_or(0) / v);
        }
        res.min(self.allowed_pods)
    }
}

/// `util.NewResource(rl)`.
pub(crate) fn new_resource(rl: &VecMap<String, Quantity>) -> Resource {
    let mut r = Resource::default();
    for (k, q) in rl {
        r.add(k, q);
    }
    r
}

fn get_pods(list: Option<&VecMap<String, Quantity>>) -> i64 {
    list.and_then(|l| l.get("pods")).map(value_i64).unwrap_or(0)
}

/// `getAllowedPodNumber`: allocatable − allocated − allocating pods, 0 when ≤ 0.
fn allowed_pod_number(summary: &ResourceSummary) -> i64 {
    let allowed = get_pods(summary.allocatable.as_ref())
        .wrapping_sub(get_pods(summary.allocated.as_ref()))
        .wrapping_sub(get_pods(summary.allocating.as_ref()));
    allowed.max(0)
}

/// `getMaximumReplicasBasedOnClusterSummary`.
fn max_replicas_from_summary(
    summary: &ResourceSummary,
    req: &ReplicaRequirements,
    mut bounds: Option<&mut Vec<ResourceBound>>,
) -> i64 {
    // The per-resource arithmetic is only kept for an explanation (no allocation otherwise).
    let mut bound = |resource: &String, request: i64, available: Option<i64>, max_replicas: i64| {
        if let Some(b) = bounds.as_deref_mut() {
            b.push(ResourceBound { resource: resource.clone(), request, available, max_replicas });
        }
    };
    let mut maximum = i64::MAX;
    for (key, value) in &req.resource_request {
        let mut requested = value_i64(value);
        if requested <= 0 {
            continue;
        }
        let Some(allocatable) = summary.allocatable.as_ref().and_then(|a| a.get(key)) else {
            bound(key, requested, None, 0);
            return 0;
        };
        let mut avail = *allocatable;
        if let Some(q) = summary.allocated.as_ref().and_then(|a| a.get(key)) {
            avail = avail.minus(*q);
        }
        if let Some(q) = summary.allocating.as_ref().and_then(|a| a.get(key)) {
            avail = avail.minus(*q);
        }
        let mut available = value_i64(&avail);
        if available <= 0 {
            bound(key, requested, Some(available), 0);
            return 0;
        }
        if key == "cpu" {
            requested = milli_i64(value);
            available = milli_i64(&avail);
        }
        let max = if requested > 0 { available / requested } else { i64::MAX };
        bound(key, requested, Some(available), max);
        maximum = maximum.min(max);
    }
    maximum
}

/// `getMaximumReplicasBasedOnResourceModels` with `buildModelNodes` and the first-fit simulator: identical
/// one-replica items placed first-fit on nodes built from each grade's range minimums (+110 pods) give
/// Σ count × MaxDivided(node), capped at MaxInt32. Node claims are ignored (model nodes carry no labels).
fn max_replicas_from_models(cluster: &Cluster, req: &ReplicaRequirements) -> Result<i64, String> {
    let summary = cluster.status.as_ref().and_then(|s| s.resource_summary.as_ref()).ok_or("resource summary is nil")?;
    if cluster.spec.resource_models.is_empty() {
        return Err("no resource models defined".to_string());
    }
    let mut caps: VecMap<u32, Resource> = VecMap::new();
    for m in &cluster.spec.resource_models {
        let mut tmpl: VecMap<String, Quantity> = VecMap::new();
        for r in &m.ranges {
            tmpl.insert(r.name.clone(), r.min);
        }
        tmpl.insert("pods".to_string(), Quantity::from_units(MAX_PODS_PER_NODE));
        caps.insert(m.grade, new_resource(&tmpl));
    }
    let mut counts: VecMap<u32, i64> = VecMap::new();
    for a in &summary.allocatable_modelings {
        if a.count < 0 {
            return Err(format!("negative node count for grade {}", a.grade));
        }
        let e = counts.entry(a.grade).or_insert(0);
        *e = e.wrapping_add(a.count);
    }
    let mut per_replica = new_resource(&req.resource_request);
    per_replica.allowed_pods = 1;
    // ResourceList() keeps only positive values; MaxDivided skips the others anyway.
    let mut total: i64 = 0;
    for (grade, node) in &caps {
        let count = counts.get(grade).copied().unwrap_or(0);
        if count <= 0 {
            continue;
        }
        let per_node = node.max_divided(&per_replica);
        // A non-positive fit contributes nothing (Go would skip 0; negatives only arise from negative minimums).
        if per_node <= 0 {
            continue;
        }
        total = total.saturating_add(count.saturating_mul(per_node));
    }
    Ok(total.min(i64::from(MAX_INT32)))
}

/// `GeneralEstimator.maxAvailableReplicas`.
#[cfg(test)]
pub(crate) fn general_max_available_replicas(
    cluster: &Cluster,
    req: Option<&ReplicaRequirements>,
) -> (i32, EstimateExplain) {
    general_max_available_replicas_traced(cluster, req, true)
}

/// [`general_max_available_replicas`], with the per-resource bounds only when `trace`.
fn general_max_available_replicas_traced(
    cluster: &Cluster,
    req: Option<&ReplicaRequirements>,
    trace: bool,
) -> (i32, EstimateExplain) {
    let mut ex = EstimateExplain::default();
    let Some(summary) = cluster.status.as_ref().and_then(|s| s.resource_summary.as_ref()) else {
        ex.method = "noResourceSummary";
        return (0, ex);
    };
    let mut maximum = allowed_pod_number(summary);
    ex.allowed_pods = maximum;
    if maximum <= 0 {
        ex.method = "noAllowedPods";
        return (0, ex);
    }
    let Some(req) = req else {
        ex.method = "noRequirements";
        // Go's int32(int64) conversion wraps.
        return (maximum as i32, ex);
    };
    if !summary.allocatable_modelings.is_empty() {
        match max_replicas_from_models(cluster, req) {
            Ok(num) => {
                ex.method = "resourceModels";
                ex.model_replicas = Some(num);
                maximum = maximum.min(num);
                return (maximum as i32, ex);
            }
            Err(e) => ex.model_error = Some(e),
        }
    }
    ex.method = "resourceSummary";
    let num = max_replicas_from_summary(summary, req, trace.then_some(&mut ex.resources));
    maximum = maximum.min(num);
    (maximum as i32, ex)
}

/// `calAvailableReplicas`: per cluster (input order) the estimator's answer, MaxInt32 for replicas 0, and
/// MaxInt32 (or an ignored −1) replaced by `spec.replicas`.
pub(crate) fn cal_available_replicas(
    clusters: &[&Cluster],
    replicas: i32,
    req: Option<&ReplicaRequirements>,
    trace: bool,
) -> Vec<(i32, EstimateExplain)> {
    if replicas == 0 {
        return clusters
            .iter()
            .map(|_| {
                let ex = EstimateExplain {
                    method: "nonWorkload",
                    estimated: MAX_INT32,
                    result: MAX_INT32,
                    ..EstimateExplain::default()
                };
                (MAX_INT32, ex)
            })
            .collect();
    }
    clusters
        .iter()
        .map(|c| {
            let (estimated, mut ex) = general_max_available_replicas_traced(c, req, trace);
            ex.estimated = estimated;
            // mergeReplicaResults: -1 is ignored; take the minimum with MaxInt32.
            let mut result = MAX_INT32;
            if estimated != UNAUTHENTIC_REPLICA && result > estimated {
                result = estimated;
            }
            if result == MAX_INT32 {
                result = replicas;
            }
            ex.result = result;
            (result, ex)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::api::cluster::{AllocatableModeling, ClusterStatus, ResourceModel, ResourceModelRange};

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    fn list(pairs: &[(&str, &str)]) -> VecMap<String, Quantity> {
        pairs.iter().map(|(k, v)| (k.to_string(), q(v))).collect()
    }

    fn cluster_with(summary: Option<ResourceSummary>) -> Cluster {
        let mut c = Cluster::default();
        c.metadata.name = "m".to_string();
        c.status = Some(ClusterStatus { resource_summary: summary, ..ClusterStatus::default() });
        c
    }

    fn req(pairs: &[(&str, &str)]) -> ReplicaRequirements {
        ReplicaRequirements { resource_request: list(pairs), has_node_claim: false }
    }

    #[test]
    fn summary_path() {
        let c = cluster_with(Some(ResourceSummary {
            allocatable: Some(list(&[("cpu", "4"), ("memory", "8Gi"), ("pods", "110")])),
            ..ResourceSummary::default()
        }));
        // §6.2 example.
        assert_eq!(general_max_available_replicas(&c, Some(&req(&[("cpu", "500m"), ("memory", "1Gi")]))).0, 8);
        assert_eq!(general_max_available_replicas(&c, None).0, 110);
        // Missing resource on the cluster → 0.
        assert_eq!(general_max_available_replicas(&c, Some(&req(&[("nvidia.com/gpu", "1")]))).0, 0);
        let used = cluster_with(Some(ResourceSummary {
            allocatable: Some(list(&[("cpu", "16"), ("memory", "32Gi"), ("pods", "110")])),
            allocated: Some(list(&[("cpu", "7"), ("pods", "100")])),
            allocating: Some(list(&[("memory", "2Gi")])),
            ..ResourceSummary::default()
        }));
        assert_eq!(general_max_available_replicas(&used, Some(&req(&[("cpu", "1")]))).0, 9);
        assert_eq!(general_max_available_replicas(&used, Some(&req(&[("cpu", "100m")]))).0, 10);
        assert_eq!(general_max_available_replicas(&used, Some(&req(&[("memory", "10Gi")]))).0, 3);
    }

    #[test]
    fn degenerate_summaries() {
        assert_eq!(general_max_available_replicas(&cluster_with(None), None).0, 0);
        let no_status = Cluster { status: None, ..Cluster::default() };
        assert_eq!(general_max_available_replicas(&no_status, None).0, 0);
        // No pods in allocatable → 0.
        let no_pods = cluster_with(Some(ResourceSummary {
            allocatable: Some(list(&[("cpu", "4")])),
            ..ResourceSummary::default()
        }));
        assert_eq!(general_max_available_replicas(&no_pods, None).0, 0);
        // Allowed pods ≤ 0.
        let full = cluster_with(Some(ResourceSummary {
            allocatable: Some(list(&[("pods", "10")])),
            allocated: Some(list(&[("pods", "12")])),
            ..ResourceSummary::default()
        }));
        assert_eq!(general_max_available_replicas(&full, None).0, 0);
        // Huge pod counts wrap like Go's int32 conversion.
        let huge = cluster_with(Some(ResourceSummary {
            allocatable: Some(list(&[("pods", "4294967295")])),
            ..ResourceSummary::default()
        }));
        assert_eq!(general_max_available_replicas(&huge, None).0, -1);
        // ... and -1 is ignored by the merge, so spec.replicas is used.
        assert_eq!(cal_available_replicas(&[&huge], 7, None, true)[0].0, 7);
    }

    #[test]
    fn cal_available() {
        let c = cluster_with(Some(ResourceSummary {
            allocatable: Some(list(&[("cpu", "2"), ("pods", "110")])),
            ..ResourceSummary::default()
        }));
        let r = req(&[("cpu", "1")]);
        assert_eq!(cal_available_replicas(&[&c], 5, Some(&r), true)[0].0, 2);
        assert_eq!(cal_available_replicas(&[&c], 0, Some(&r), true)[0].0, i32::MAX);
        let max = cluster_with(Some(ResourceSummary {
            allocatable: Some(list(&[("pods", "2147483647")])),
            ..ResourceSummary::default()
        }));
        assert_eq!(cal_available_replicas(&[&max], 5, None, true)[0].0, 5);
    }

    fn model_cluster(models: Vec<ResourceModel>, counts: &[(u32, i64)]) -> Cluster {
        let mut c = cluster_with(Some(ResourceSummary {
            allocatable: Some(list(&[("cpu", "100"), ("memory", "100Gi"), ("pods", "110")])),
            allocatable_modelings: counts.iter().map(|(g, n)| AllocatableModeling { grade: *g, count: *n }).collect(),
            ..ResourceSummary::default()
        }));
        c.spec.resource_models = models;
        c
    }

    fn model(grade: u32, ranges: &[(&str, &str, &str)]) -> ResourceModel {
        ResourceModel {
            grade,
            ranges: ranges
                .iter()
                .map(|(n, a, b)| ResourceModelRange { name: n.to_string(), min: q(a), max: q(b) })
                .collect(),
        }
    }

    #[test]
    fn model_path() {
        // general_test.go: models g0 cpu[0,1) g1 [1,2) g2 [2,4), one node each.
        let cpu_models =
            vec![model(0, &[("cpu", "0", "1")]), model(1, &[("cpu", "1", "2")]), model(2, &[("cpu", "2", "4")])];
        let c = model_cluster(cpu_models.clone(), &[(0, 1), (1, 1), (2, 1)]);
        assert_eq!(general_max_available_replicas(&c, Some(&req(&[("cpu", "1.5")]))).0, 1);
        assert_eq!(general_max_available_replicas(&c, Some(&req(&[("cpu", "3")]))).0, 0);
        let mem_models = vec![
            model(0, &[("cpu", "0", "1"), ("memory", "0", "1Gi")]),
            model(1, &[("cpu", "1", "2"), ("memory", "1Gi", "2Gi")]),
            model(2, &[("cpu", "2", "3"), ("memory", "2Gi", "3Gi")]),
        ];
        let c2 = model_cluster(mem_models, &[(0, 1), (1, 1), (2, 1)]);
        assert_eq!(general_max_available_replicas(&c2, Some(&req(&[("cpu", "1"), ("memory", "1.5Gi")]))).0, 1);
        assert_eq!(general_max_available_replicas(&c2, Some(&req(&[("cpu", "1"), ("memory", "2.5Gi")]))).0, 0);
        // No models defined → error → summary path (100 cpu / 1 = 100).
        let c3 = model_cluster(Vec::new(), &[(0, 1)]);
        let (n, ex) = general_max_available_replicas(&c3, Some(&req(&[("cpu", "1")])));
        assert_eq!(n, 100);
        assert_eq!(ex.model_error.as_deref(), Some("no resource models defined"));
        // Negative count → error → summary path.
        let c4 = model_cluster(cpu_models.clone(), &[(1, -1)]);
        assert_eq!(general_max_available_replicas(&c4, Some(&req(&[("cpu", "1")]))).0, 100);
        // Many nodes: capped by allowed pods.
        let c5 = model_cluster(cpu_models, &[(2, 1_000_000)]);
        assert_eq!(general_max_available_replicas(&c5, Some(&req(&[("cpu", "1")]))).0, 110);
    }

    #[test]
    fn scalar_names() {
        assert!(is_scalar_resource_name("nvidia.com/gpu"));
        assert!(is_scalar_resource_name("hugepages-2Mi"));
        assert!(is_scalar_resource_name("kubernetes.io/foo"));
        assert!(is_scalar_resource_name("attachable-volumes-aws-ebs"));
        assert!(!is_scalar_resource_name("storage"));
        assert!(!is_scalar_resource_name("requests.example.com/x"));
    }
}
