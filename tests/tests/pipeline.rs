//! Natively, runs of template documents are pipelined (the detector on one thread, each step's sync on
//! another); the answer must be the sequential one (wasm's) on every field: resources, explanations, Works'
//! manifests, the timeline and the diagnostics.

use karmada_policy_core::{evaluate, Options};
use karmada_policy_tests::crate_dir;

/// The pipelined answer, after asserting it is the sequential one.
fn same_pipelined(name: &str, text: &str) -> serde_json::Value {
    let run = |sequential: bool| {
        let options = Options { keep_manifests: true, sequential, ..Options::default() };
        let ev = evaluate(text, &options).unwrap_or_else(|e| panic!("{e}"));
        serde_json::to_value(ev.report_view(true)).unwrap_or_default()
    };
    let (pipelined, sequential) = (run(false), run(true));
    assert!(pipelined.get("resources").and_then(|r| r.as_array()).is_some_and(|r| r.len() >= 40), "{name}: too small");
    if pipelined != sequential {
        let (p, s) = (pipelined.to_string(), sequential.to_string());
        let at = p.bytes().zip(s.bytes()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name}: pipelined and sequential differ at byte {at}: …{}… vs …{}…",
            p.get(at.saturating_sub(80)..(at + 80).min(p.len())).unwrap_or(""),
            s.get(at.saturating_sub(80)..(at + 80).min(s.len())).unwrap_or("")
        );
    }
    pipelined
}

fn configmaps(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {prefix}-{i:02}, namespace: shop, labels: {{app: {prefix}}}}}\ndata: {{k: v{i}}}\n"))
        .collect()
}

fn deployments(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {prefix}-{i:02}, namespace: shop, labels: {{app: {prefix}}}}}\nspec: {{replicas: {}, selector: {{matchLabels: {{app: {prefix}}}}}, template: {{metadata: {{labels: {{app: {prefix}}}}}, spec: {{containers: [{{name: c, image: nginx}}]}}}}}}\n", i % 5 + 1))
        .collect()
}

#[test]
fn the_bench_fleets_are_the_same_pipelined() {
    for name in ["small.yaml", "medium.yaml"] {
        let text =
            std::fs::read_to_string(crate_dir().join("bench").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        same_pipelined(name, &text);
    }
}

#[test]
fn runs_between_policy_changes_member_objects_and_deletions_are_the_same_pipelined() {
    // `low` claims everything at first (Overwrite: it adopts member1's cm-03); `high` preempts five of the
    // Deployments by name and sends them to two clusters; deleting `high` hands them back.
    let low = "---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: low, namespace: shop}\nspec:\n  conflictResolution: Overwrite\n  resourceSelectors:\n  - {apiVersion: apps/v1, kind: Deployment}\n  - {apiVersion: v1, kind: ConfigMap, labelSelector: {matchLabels: {app: cm}}}\n  placement:\n    clusterAffinity: {clusterNames: [member1]}\n";
    let names: String =
        (0..5).map(|i| format!("  - {{apiVersion: apps/v1, kind: Deployment, name: web-{i:02}}}\n")).collect();
    let high = format!("---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: high, namespace: shop}}\nspec:\n  priority: 10\n  preemption: Always\n  resourceSelectors:\n{names}  placement:\n    clusterAffinity: {{clusterNames: [member1, member2]}}\n    replicaScheduling: {{replicaSchedulingType: Divided, replicaDivisionPreference: Weighted}}\n");
    let member = "---\n# context: member1\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-03, namespace: shop}\ndata: {k: old}\n---\n# context: karmada-apiserver\n";
    let text = format!(
        "# feature-gates: PropagationPolicyPreemption=true\n{member}{low}{}{}{high}{}---\n# delete: ConfigMap shop/cm-07\n{}---\n# delete: PropagationPolicy shop/high\n",
        configmaps("cm", 40),
        deployments("web", 40),
        configmaps("more", 40),
        deployments("api", 35),
    );
    let pipelined = same_pipelined("policies, members, deletions", &text);
    let owner = |name: &str| {
        pipelined["resources"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["name"] == name))
            .map(|r| r["policy"].to_string())
    };
    assert!(owner("web-03").is_some_and(|p| p.contains("low")), "web-03 handed back to low: {:?}", owner("web-03"));
    assert!(owner("cm-03").is_some_and(|p| p.contains("low")), "{:?}", owner("cm-03"));
    assert!(owner("more-01").is_some_and(|p| p == "null"), "more-* carry app: more: {:?}", owner("more-01"));
    assert!(pipelined["timeline"].to_string().contains("Adopted"), "cm-03 adopted in member1");
}

#[test]
fn a_failing_override_in_a_run_is_the_same_as_sequential() {
    // The first Work build fails for every Deployment: each later sync retries it, which a step's snapshot
    // does not cover, so the pipelined run gives way to the sequential evaluation.
    let cop = "---\napiVersion: policy.karmada.io/v1alpha1\nkind: ClusterOverridePolicy\nmetadata: {name: bad}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n  overrideRules:\n  - targetCluster: {clusterNames: [member1]}\n    overriders:\n      plaintext: [{path: /spec/nothere, operator: replace, value: 1}]\n";
    let cpp = "---\napiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: all}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}, {apiVersion: v1, kind: ConfigMap}]\n  placement: {clusterAffinity: {clusterNames: [member1, member2]}}\n";
    let text = format!("{cpp}{cop}{}{}", deployments("web", 40), configmaps("cm", 40));
    let pipelined = same_pipelined("failing override", &text);
    let failed = pipelined["diagnostics"]
        .as_array()
        .map_or(0, |d| d.iter().filter(|d| d["code"] == "work-build-failed").count());
    assert_eq!(failed, 40, "every Deployment's member1 Work fails to build");
}
