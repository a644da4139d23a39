//! Input as the API server takes it: the defaults it stores on workload templates, and the documents it refuses
//! one by one (the rest of the stream is applied, as `kubectl apply -f` of a multi-document file does).

use karmada_policy_core::{evaluate, Evaluation, Options};
use serde_json::Value;

const CLUSTERS: &str = "apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: member1}\n---\napiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: member2}\n---\n";

fn eval(yaml: &str) -> Evaluation {
    let options = Options { keep_manifests: true, ..Options::default() };
    evaluate(yaml, &options).unwrap_or_else(|e| panic!("does not evaluate: {e}"))
}

/// A PropagationPolicy `p` selecting `kind` `web` with the given placement (flow style).
fn policy(api_version: &str, kind: &str, placement: &str) -> String {
    format!("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p}}\nspec:\n  resourceSelectors:\n  - {{apiVersion: {api_version}, kind: {kind}, name: web}}\n  placement: {placement}\n")
}

fn placement(e: &Evaluation, kind: &str) -> Vec<(String, i64)> {
    let r = e.resource(kind, "default", "web").unwrap_or_else(|| panic!("no {kind} default/web"));
    r.placement.iter().map(|p| (p.cluster.clone(), p.replicas)).collect()
}

fn spec_field(e: &Evaluation, kind: &str, cluster: &str, field: &str) -> Option<Value> {
    let m = e.manifest(kind, "default", "web", cluster)?;
    m.get("spec").and_then(|s| s.get(field)).cloned()
}

#[test]
fn a_deployment_without_replicas_is_stored_with_one_and_divided_as_one() {
    for kind in ["Deployment", "StatefulSet", "ReplicaSet"] {
        let yaml = format!(
            "{CLUSTERS}{}---\napiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: web}}\nspec:\n  template: {{spec: {{containers: [{{name: c, image: nginx}}]}}}}\n",
            policy("apps/v1", kind, "{replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference: {staticWeightList: [{targetCluster: {clusterNames: [member1, member2]}, weight: 1}]}}}")
        );
        let e = eval(&yaml);
        let placed = placement(&e, kind);
        assert_eq!(placed.iter().map(|(_, r)| r).sum::<i64>(), 1, "{kind}: {placed:?}");
        assert_eq!(e.template(kind, "default", "web").and_then(|t| t["spec"].get("replicas").cloned()), Some(1.into()));
        for (cluster, replicas) in &placed {
            assert_eq!(spec_field(&e, kind, cluster, "replicas"), Some(Value::from(*replicas)), "{kind} {cluster}");
        }
    }
}

#[test]
fn a_duplicated_deployment_without_replicas_carries_one_to_every_cluster() {
    let yaml = format!(
        "{CLUSTERS}{}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: null\n  template: {{spec: {{containers: [{{name: c, image: nginx}}]}}}}\n",
        policy("apps/v1", "Deployment", "{clusterAffinity: {clusterNames: [member1, member2]}}")
    );
    let e = eval(&yaml);
    assert_eq!(placement(&e, "Deployment"), vec![("member1".into(), 1), ("member2".into(), 1)]);
    assert_eq!(spec_field(&e, "Deployment", "member1", "replicas"), Some(1.into()));
    assert_eq!(spec_field(&e, "Deployment", "member2", "replicas"), Some(1.into()));
}

#[test]
fn a_job_gets_parallelism_and_completions_as_set_defaults_job_gives_them() {
    let job = |spec: &str| {
        let yaml = format!(
            "{CLUSTERS}{}---\napiVersion: batch/v1\nkind: Job\nmetadata: {{name: web}}\nspec:\n{spec}  template: {{spec: {{restartPolicy: Never, containers: [{{name: c, image: busybox}}]}}}}\n",
            policy("batch/v1", "Job", "{clusterAffinity: {clusterNames: [member1]}}")
        );
        let e = eval(&yaml);
        (spec_field(&e, "Job", "member1", "parallelism"), spec_field(&e, "Job", "member1", "completions"))
    };
    assert_eq!(job(""), (Some(1.into()), Some(1.into())));
    assert_eq!(job("  parallelism: 3\n"), (Some(3.into()), None));
    assert_eq!(job("  completions: 4\n"), (Some(1.into()), Some(4.into())));
}

#[test]
fn other_kinds_get_no_replica_default() {
    let yaml = format!(
        "{CLUSTERS}{}---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: web}}\nspec:\n  template: {{spec: {{containers: [{{name: c, image: nginx}}]}}}}\n",
        policy("apps/v1", "DaemonSet", "{clusterAffinity: {clusterNames: [member1]}}")
    );
    let e = eval(&yaml);
    assert_eq!(placement(&e, "DaemonSet"), vec![("member1".into(), 0)]);
    assert_eq!(spec_field(&e, "DaemonSet", "member1", "replicas"), None);
}

#[test]
fn a_policy_off_its_crd_schema_is_refused_alone_and_the_stream_goes_on() {
    let yaml = format!(
        "{CLUSTERS}apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: bad}}\nspec:\n  preserveResourcesOnDeletion: true\n  placement: {{clusterAffinity: {{clusterNames: [member1]}}}}\n---\n{}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: 2\n",
        policy("apps/v1", "Deployment", "{clusterAffinity: {clusterNames: [member2]}}")
    );
    let e = eval(&yaml);
    let d = e.diagnostics.iter().find(|d| d.code == "apiserver-rejected").unwrap_or_else(|| panic!("not refused"));
    assert_eq!(d.message, "The PropagationPolicy \"bad\" is invalid: spec.resourceSelectors: Required value");
    assert_eq!((d.document, d.location()), (Some(3), Some((12, 1))));
    // `bad` never exists: `p`, applied after it, claims the Deployment.
    assert_eq!(placement(&e, "Deployment"), vec![("member2".into(), 2)]);
    let r = e.resource("Deployment", "default", "web").unwrap_or_else(|| panic!("no web"));
    assert_eq!(r.policy.as_ref().map(|p| p.name.as_str()), Some("p"));
    // The refused document still counts for the report's blocks (its spec names preserveResourcesOnDeletion).
    assert!(r.members.is_some());
}

#[test]
fn yaml_syntax_errors_still_refuse_the_whole_input() {
    let yaml = format!("{CLUSTERS}apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: [a\n");
    let e = evaluate(&yaml, &Options::default()).err().unwrap_or_else(|| panic!("accepted"));
    assert_eq!(e.diagnostics.first().map(|d| d.code.as_str()), Some("yaml-syntax"));
}
