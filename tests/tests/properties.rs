//! Invariants of placement on generated scenarios (proptest): Divided replicas add up or an error is reported,
//! Duplicated gives every cluster the full count, and the output is deterministic and independent of the order
//! of Cluster documents.

use karmada_policy_core::{evaluate, Options};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct ClusterGen {
    env: bool,
    region: Option<u8>,
    pods: Option<u32>,
    cpu: u32,
    tainted: bool,
}

#[derive(Debug, Clone)]
enum Division {
    Absent,
    Duplicated,
    Static(Vec<u8>),
    Dynamic,
    Aggregated,
}

fn cluster_strategy() -> impl Strategy<Value = ClusterGen> {
    (
        any::<bool>(),
        proptest::option::of(0u8..3),
        proptest::option::of(0u32..40),
        0u32..16,
        proptest::bool::weighted(0.15),
    )
        .prop_map(|(env, region, pods, cpu, tainted)| ClusterGen { env, region, pods, cpu, tainted })
}

fn division_strategy() -> impl Strategy<Value = Division> {
    prop_oneof![
        Just(Division::Absent),
        Just(Division::Duplicated),
        proptest::collection::vec(1u8..5, 1..6).prop_map(Division::Static),
        Just(Division::Dynamic),
        Just(Division::Aggregated),
    ]
}

fn cluster_yaml(i: usize, c: &ClusterGen) -> String {
    let mut s = format!(
        "apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: c{i}\n  labels: {{env: {}}}\nspec:\n",
        if c.env { "prod" } else { "dev" }
    );
    if let Some(r) = c.region {
        s.push_str(&format!("  region: r{r}\n"));
    }
    if c.tainted {
        s.push_str("  taints:\n  - {key: maintenance, effect: NoSchedule}\n");
    }
    s.push_str("  syncMode: Push\nstatus:\n  apiEnablements:\n  - groupVersion: apps/v1\n    resources:\n    - {kind: Deployment, name: deployments}\n");
    if let Some(p) = c.pods {
        s.push_str(&format!("  resourceSummary:\n    allocatable: {{cpu: '{}', memory: 64Gi, pods: '{p}'}}\n", c.cpu));
    }
    s
}

fn scenario(
    clusters: &[(usize, ClusterGen)],
    div: &Division,
    replicas: u32,
    cpu_milli: Option<u32>,
    prod_only: bool,
    max_groups: Option<u8>,
) -> String {
    let mut docs: Vec<String> = clusters.iter().map(|(i, c)| cluster_yaml(*i, c)).collect();
    let mut placement = String::new();
    if prod_only {
        placement.push_str("    clusterAffinity:\n      labelSelector:\n        matchLabels: {env: prod}\n");
    }
    if let Some(m) = max_groups {
        placement.push_str(&format!(
            "    spreadConstraints:\n    - {{spreadByField: cluster, maxGroups: {m}, minGroups: 1}}\n"
        ));
    }
    match div {
        Division::Absent => {}
        Division::Duplicated => placement.push_str("    replicaScheduling: {replicaSchedulingType: Duplicated}\n"),
        Division::Static(ws) => {
            placement.push_str("    replicaScheduling:\n      replicaSchedulingType: Divided\n      replicaDivisionPreference: Weighted\n      weightPreference:\n        staticWeightList:\n");
            for (i, w) in ws.iter().enumerate() {
                placement.push_str(&format!("        - targetCluster: {{clusterNames: [c{i}]}}\n          weight: {w}\n"));
            }
        }
        Division::Dynamic => placement.push_str("    replicaScheduling:\n      replicaSchedulingType: Divided\n      replicaDivisionPreference: Weighted\n      weightPreference: {dynamicWeight: AvailableReplicas}\n"),
        Division::Aggregated => placement.push_str("    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}\n"),
    }
    docs.push(format!(
        "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: pp}}\nspec:\n  resourceSelectors:\n  - {{apiVersion: apps/v1, kind: Deployment}}\n  placement:\n{}",
        if placement.is_empty() { "    {}\n".to_string() } else { placement }
    ));
    let requests = match cpu_milli {
        Some(m) => format!("\n        resources:\n          requests: {{cpu: {m}m}}"),
        None => String::new(),
    };
    docs.push(format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, uid: 8d7a3c1e-0f2b-4c5d-9e6f-7a8b9c0d1e2f}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers:\n      - name: web\n        image: nginx{requests}\n"
    ));
    docs.join("---\n")
}

fn resources(yaml: &str) -> serde_json::Value {
    let report =
        evaluate(yaml, &Options::default()).unwrap_or_else(|e| panic!("generated scenario must parse: {e}\n{yaml}"));
    serde_json::to_value(report.report().resources).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn placement_invariants(
        clusters in proptest::collection::vec(cluster_strategy(), 1..6),
        div in division_strategy(),
        replicas in 0u32..25,
        cpu in proptest::option::of(100u32..2500),
        prod_only in any::<bool>(),
        max_groups in proptest::option::of(1u8..4),
        seed in any::<u64>(),
    ) {
        let indexed: Vec<(usize, ClusterGen)> = clusters.iter().cloned().enumerate().collect();
        let yaml = scenario(&indexed, &div, replicas, cpu, prod_only, max_groups);
        let res = resources(&yaml);
        let web = &res[0];
        prop_assert_eq!(&web["name"], "web");
        let placement = web["placement"].as_array().cloned().unwrap_or_default();
        let error = &web["error"];
        let sum: i64 = placement.iter().map(|p| p["replicas"].as_i64().unwrap_or(-1)).sum();
        match div {
            Division::Absent | Division::Duplicated => {
                if error.is_null() {
                    for p in &placement {
                        prop_assert_eq!(p["replicas"].as_i64(), Some(i64::from(replicas)), "Duplicated gives the full count: {}", yaml);
                    }
                }
            }
            _ => {
                if error.is_null() {
                    if replicas > 0 {
                        prop_assert_eq!(sum, i64::from(replicas), "Divided replicas add up: {}", yaml);
                    } else if cpu.is_some() {
                        // A 0-replica workload with requirements: every entry is 0 and removed.
                        prop_assert!(placement.is_empty(), "0 Divided replicas give an empty placement");
                    } else {
                        // replicas 0 and no requirements is a non-workload: every selected cluster, replicas 0
                        // (scheduler semantics §4 step 3, `AssignReplicas`).
                        prop_assert_eq!(sum, 0);
                    }
                } else {
                    prop_assert!(placement.is_empty(), "a scheduling error leaves no placement");
                }
            }
        }
        // Deterministic across runs.
        prop_assert_eq!(&res, &resources(&yaml));
        // Independent of the order of the Cluster documents.
        let mut shuffled = indexed.clone();
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = ((seed >> (i % 60)) as usize).wrapping_add(i * 7) % (i + 1);
            shuffled.swap(i, j);
        }
        let yaml2 = scenario(&shuffled, &div, replicas, cpu, prod_only, max_groups);
        prop_assert_eq!(&res, &resources(&yaml2), "cluster order changed the result");
    }
}
