//! The fleet assumed when a scenario has no Cluster document: member1..3 of `hack/local-up-karmada.sh`, with
//! the capacity a one-node kind cluster reports, so that capacity-based division schedules.

use karmada_policy_core::{evaluate, Evaluation, Options};

/// A Deployment `web` with `replicas` and an optional cpu request, under a Divided/Aggregated policy.
fn scenario(replicas: u32, cpu: Option<&str>, scheduling: &str) -> String {
    let resources = cpu.map(|c| format!(", resources: {{requests: {{cpu: {c}}}}}")).unwrap_or_default();
    format!(
        "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p}}\nspec:\n  resourceSelectors:\n  - {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  placement:\n    replicaScheduling: {scheduling}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  template: {{spec: {{containers: [{{name: c, image: nginx{resources}}}]}}}}\n"
    )
}

const DYNAMIC: &str = "{replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference: {dynamicWeight: AvailableReplicas}}";
const AGGREGATED: &str = "{replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}";

fn eval(yaml: &str, literal_clusters: bool) -> Evaluation {
    evaluate(yaml, &Options { literal_clusters, ..Options::default() }).unwrap_or_else(|e| panic!("{e}"))
}

fn placement(e: &Evaluation) -> Vec<(String, i64)> {
    let r = e.resource("Deployment", "default", "web").unwrap_or_else(|| panic!("no Deployment default/web"));
    assert_eq!(r.error, None, "scheduling error");
    r.placement.iter().map(|p| (p.cluster.clone(), p.replicas)).collect()
}

#[test]
fn dynamic_weights_divide_by_the_free_pods_of_each_member() {
    // No requests: the estimate is the free pods, 100 on member1/2 and 99 on member3 (the karmada-agent).
    let e = eval(&scenario(6, None, DYNAMIC), false);
    assert_eq!(placement(&e), vec![("member1".into(), 2), ("member2".into(), 2), ("member3".into(), 2)]);
    let d =
        e.diagnostics.iter().find(|d| d.code == "assumed-clusters").unwrap_or_else(|| panic!("no assumed-clusters"));
    assert!(d.message.contains("each with a one-node kind cluster's resourceSummary (8 CPUs, 16 GB)"), "{}", d.message);
    // What explain shows for each member: 100 free pods (110 − kind's 9 system pods − metrics-server), 99 on member3.
    let ex = e.explain("Deployment", "default", "web").unwrap_or_else(|| panic!("no explain"));
    let json = serde_json::to_string(&ex).unwrap_or_default();
    assert!(json.contains("\"allowedPods\":100") && json.contains("\"allowedPods\":99"), "{json}");
}

#[test]
fn aggregated_uses_the_default_resource_models() {
    // A grade-1 model node (1 CPU, 4 GiB) fits two 500m replicas: 5 replicas need all three members.
    let placed = placement(&eval(&scenario(5, Some("500m"), AGGREGATED), false));
    assert_eq!(placed.iter().map(|(_, r)| r).sum::<i64>(), 5, "{placed:?}");
    assert_eq!(placed.len(), 3, "{placed:?}");
    assert!(placed.iter().all(|(_, r)| *r <= 2), "{placed:?}");
    // 4 fit in two members.
    let placed = placement(&eval(&scenario(4, Some("500m"), AGGREGATED), false));
    assert_eq!(placed.iter().map(|(_, r)| *r).collect::<Vec<_>>(), vec![2, 2], "{placed:?}");
}

#[test]
fn beyond_the_assumed_capacity_scheduling_fails() {
    let e = eval(&scenario(7, Some("500m"), AGGREGATED), false);
    let r = e.resource("Deployment", "default", "web").unwrap_or_else(|| panic!("no Deployment default/web"));
    assert!(r.placement.is_empty());
    assert!(r.error.is_some());
}

#[test]
fn literal_clusters_still_means_no_member() {
    let e = eval(&scenario(6, None, DYNAMIC), true);
    assert!(e.clusters().is_empty());
    assert!(e.diagnostics.iter().all(|d| d.code != "assumed-clusters"));
}
