//! Golden tests of the controllers after scheduling, on the examples taken from Karmada's documentation:
//! the dependencies distributor, suspension of dispatching, and the migration rollback with
//! preserveResourcesOnDeletion; plus the errors of the input paths they added (List documents, pruned nulls).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{run, text};

const DEPS: &str = "../examples/propagate-dependencies.yaml";
const SUSPENSION: &str = "../examples/suspension.yaml";
const ROLLBACK: &str = "../examples/migration-rollback.yaml";

fn stdout_of(args: &[&str]) -> String {
    let out = run(args, None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn configmaps_follow_their_deployments_clusters_with_their_replicas() {
    assert_eq!(
        stdout_of(&["evaluate", "-o", "wide", DEPS]),
        "\
NAMESPACE   NAME              KIND         POLICY                                   BINDING                     CLUSTERS          REPLICAS              ERROR    MEMBERS
default     app-a             Deployment   PropagationPolicy/app-a-policy           app-a-deployment            member1,member2   member1:1,member2:1   <none>   member1(managed),member2(managed)
default     app-b             Deployment   PropagationPolicy/app-b-policy           app-b-deployment            member1,member2   member1:1,member2:1   <none>   member1(managed),member2(managed)
default     my-nginx          Deployment   PropagationPolicy/my-nginx-propagation   my-nginx-deployment         member1,member2   member1:1,member2:1   <none>   member1(managed),member2(managed)
default     my-nginx-config   ConfigMap    <none>                                   my-nginx-config-configmap   member1,member2   member1:1,member2:1   <none>   member1(managed),member2(managed)
default     shared-config     ConfigMap    <none>                                   shared-config-configmap     member1,member2   member1:1,member2:1   <none>   member1(managed),member2(managed)
"
    );
}

#[test]
fn the_shared_configmap_is_required_by_both_deployments_and_the_conflict_is_told() {
    let out = stdout_of(&["explain", "configmap/shared-config", DEPS]);
    assert!(out.contains("  binding:   ResourceBinding shared-config-configmap\n"), "{out}");
    assert!(
        out.contains(
            "required by default/app-a-deployment (member1, member2), default/app-b-deployment (member1, member2)"
        ),
        "{out}"
    );
    assert!(
        out.contains("DependencyPolicyConflict: Dependency policy conflict detected: ConflictResolution conflicted (Overwrite vs Abort); PreserveResourcesOnDeletion conflicted (true vs false). Resolved to conflictResolution Overwrite, preserveResourcesOnDeletion true"),
        "{out}"
    );
    // The ConfigMap waits for a policy of its own, but is not reported as waiting: its workloads carry it.
    let err = text(&run(&["evaluate", DEPS], None).stderr);
    assert!(!err.contains("resource-unmatched"), "{err}");
}

#[test]
fn without_the_propagate_deps_gate_the_configmaps_stay_in_karmada() {
    let json = stdout_of(&["evaluate", "-o", "json", "--feature-gates", "PropagateDeps=false", DEPS]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for name in ["my-nginx-config", "shared-config"] {
        let cm = v["resources"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap();
        assert_eq!(cm["binding"], serde_json::Value::Null, "{name}");
        assert_eq!(cm["placement"], serde_json::json!([]), "{name}");
        assert_eq!(cm["members"], serde_json::json!([]), "{name}");
    }
    let deploy = v["resources"].as_array().unwrap().iter().find(|r| r["name"] == "my-nginx").unwrap();
    assert_eq!(deploy["members"].as_array().map(Vec::len), Some(2));
    // The scenario directive sets it too; the flag wins over the directive.
    let yaml = std::fs::read_to_string(DEPS).unwrap().replacen(
        "# feature-gates: PropagationPolicyPreemption=false",
        "# feature-gates: PropagationPolicyPreemption=false,PropagateDeps=false",
        1,
    );
    let off = text(&run(&["evaluate", "-o", "wide", "-"], Some(&yaml)).stdout);
    assert!(off.lines().any(|l| l.starts_with("default     my-nginx-config") && l.contains("<none>")), "{off}");
    assert!(!off.contains("my-nginx-config-configmap"), "{off}");
    let on = text(&run(&["evaluate", "-o", "wide", "--feature-gates", "PropagateDeps=true", "-"], Some(&yaml)).stdout);
    assert!(on.contains("my-nginx-config-configmap"), "{on}");
}

#[test]
fn suspension_holds_the_works_back_until_it_is_lifted() {
    let out = stdout_of(&["timeline", SUSPENSION]);
    let expected = "\
step  2  document 2: apply PropagationPolicy default/nginx-propagation
         PolicyCreated        PropagationPolicy default/nginx-propagation: priority 0, preemption Never, 1 selector(s)
         Matched              Deployment default/nginx: PropagationPolicy default/nginx-propagation selected: explicit priority 0, kind match (implicit priority 1)
         Claimed              Deployment default/nginx: claimed by PropagationPolicy default/nginx-propagation
         BindingCreated       Deployment default/nginx: ResourceBinding nginx-deployment created from PropagationPolicy default/nginx-propagation
         Scheduled            Deployment default/nginx: scheduled to member1:2, member2:2
         Suspended            Deployment default/nginx: member1: Work written, dispatching suspended (Work dispatching is in a suspended state.)
         Suspended            Deployment default/nginx: member2: Work written, dispatching suspended (Work dispatching is in a suspended state.)
step  3  document 3: apply PropagationPolicy default/nginx-propagation
         PolicyUpdated        PropagationPolicy default/nginx-propagation: priority 0, preemption Never, 1 selector(s)
         BindingUpdated       Deployment default/nginx: ResourceBinding nginx-deployment updated from PropagationPolicy default/nginx-propagation
         Applied              Deployment default/nginx: member1: Created
step  4  document 4: apply PropagationPolicy default/nginx-propagation
         PolicyUpdated        PropagationPolicy default/nginx-propagation: priority 0, preemption Never, 1 selector(s)
         BindingUpdated       Deployment default/nginx: ResourceBinding nginx-deployment updated from PropagationPolicy default/nginx-propagation
         Applied              Deployment default/nginx: member2: Created
";
    assert!(out.ends_with(expected), "{out}");
    assert!(stdout_of(&["evaluate", "-o", "wide", SUSPENSION]).contains("member1(managed),member2(managed)"));
}

#[test]
fn a_suspended_cluster_is_said_and_gets_nothing() {
    // The suspension example stopped after its second policy: member2 is still held back.
    let yaml = std::fs::read_to_string(SUSPENSION).unwrap();
    let cut = yaml.rfind("---\napiVersion: policy.karmada.io/v1alpha1").unwrap();
    let out = run(&["evaluate", "-o", "wide", "-"], Some(&yaml[..cut]));
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.contains("info[dispatching-suspended]: Deployment default/nginx: dispatching is suspended to member2: the Work exists, nothing reaches the cluster until the suspension is lifted"),
        "{err}"
    );
    assert!(text(&out.stdout).contains("member1:2,member2:2   <none>   member1(managed)\n"), "{}", text(&out.stdout));
}

#[test]
fn the_rollback_keeps_the_deployment_in_member1_unmanaged() {
    assert_eq!(
        stdout_of(&["evaluate", "-o", "wide", ROLLBACK]),
        "\
NAMESPACE   NAME           KIND         POLICY   BINDING   CLUSTERS   REPLICAS   ERROR    MEMBERS
default     nginx-deploy   Deployment   <none>   <none>    <none>     <none>     <none>   member1(unmanaged)
"
    );
    let timeline = stdout_of(&["timeline", ROLLBACK]);
    let expected = "\
         Applied              Deployment default/nginx-deploy: member1: Adopted
step  4  document 4: apply PropagationPolicy default/migrate-pp
         PolicyUpdated        PropagationPolicy default/migrate-pp: priority 0, preemption Never, 1 selector(s)
         BindingUpdated       Deployment default/nginx-deploy: ResourceBinding nginx-deploy-deployment updated from PropagationPolicy default/migrate-pp
         Applied              Deployment default/nginx-deploy: member1: Updated
step  5  # delete: Deployment default/nginx-deploy (after document 4)
         TemplateDeleted      Deployment default/nginx-deploy
         BindingDeleted       Deployment default/nginx-deploy: binding nginx-deploy-deployment garbage-collected
         Removed              Deployment default/nginx-deploy: member1: Work deleted; preserveResourcesOnDeletion keeps the object, without Karmada's labels and annotations
";
    assert!(timeline.ends_with(expected), "{timeline}");
    // Without the patch (step 4), the tutorial's rollback would delete the managed Deployment from member1.
    let yaml = std::fs::read_to_string(ROLLBACK).unwrap().replace("  preserveResourcesOnDeletion: true\n", "");
    let out = run(&["evaluate", "-o", "json", "-"], Some(&yaml));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["resources"], serde_json::json!([]), "{}", text(&out.stderr));
}

#[test]
fn a_custom_scheduler_name_is_said() {
    let out =
        run(&["evaluate", "--literal-clusters", "../tests/conformance-controllers/sched-custom-scheduler.yaml"], None);
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.contains("info[not-scheduled-scheduler-name]: Deployment default/nginx: its binding nginx-deployment names schedulerName \"my-scheduler\": karmada-scheduler (default-scheduler) skips it, so it is never scheduled and nothing is propagated"),
        "{err}"
    );
}

fn assert_input_error(yaml: &str, location: &str, message: &str) {
    let out = run(&["evaluate", "-"], Some(yaml));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains(location), "expected {location:?} in:\n{stderr}");
    assert!(stderr.contains(message), "expected {message:?} in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn list_items_are_checked_where_they_are() {
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n";
    // A List item karmada-apiserver refuses is refused alone, at its field; the other items are applied.
    let out = run(
        &["evaluate", "-"],
        Some(&format!("{list}- apiVersion: policy.karmada.io/v1alpha1\n  kind: PropagationPolicy\n  metadata: {{name: p}}\n  spec:\n    resourceSelectors:\n    - {{apiVersion: v1, kind: ConfigMap}}\n    placment: {{}}\n")),
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains("error[apiserver-rejected]: Error from server (BadRequest): PropagationPolicy in version \"v1alpha1\" cannot be handled as a PropagationPolicy: strict decoding error: unknown field \"spec.placment\"\n  --> <stdin>:13:5"), "{stderr}");
    assert!(text(&out.stdout).contains("default     a      ConfigMap   <none>"), "{}", text(&out.stdout));
    assert_input_error(
        &format!("{list}- kind: ConfigMap\n  metadata: {{name: b}}\n"),
        "<stdin>:7:3",
        "missing or non-string `apiVersion`",
    );
    assert_input_error(&format!("{list}- 3\n"), "<stdin>:7:3", "a document must be a Kubernetes object");
    assert_input_error(
        &format!("{list}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{}}\n"),
        "<stdin>:7:3",
        "ConfigMap: metadata.name is required",
    );
}

#[test]
fn list_items_and_nulls_are_applied_as_the_api_server_takes_them() {
    let yaml = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"j\"}}]}\n---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap}\n  placement:\n  priority: ~\n";
    let out = run(&["evaluate", "-o", "wide", "-"], Some(yaml));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout)
            .contains("default     j      ConfigMap   PropagationPolicy/p   j-configmap   member1,member2,member3"),
        "{}",
        text(&out.stdout)
    );
    // A rejected item inside a List points at the item's own field.
    let bad = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: d}\n  spec: {replicas: -1}\n";
    let out = run(&["evaluate", "-"], Some(bad));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0\n --> <stdin>:7:10"),
        "{err}"
    );
}

#[test]
fn an_unserved_karmada_api_version_is_refused_like_kubectl_and_the_rest_applied() {
    let yaml = "apiVersion: karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: op}\nspec: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: pp}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap}\n";
    let out = run(&["evaluate", "-"], Some(yaml));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[no-matches-for-kind]: resource mapping not found for name: \"op\": no matches for kind \"OverridePolicy\" in version \"karmada.io/v1alpha1\"; the document is not applied\n --> <stdin>:1:1"),
        "{err}"
    );
    assert!(err.contains("= help: OverridePolicy is served as apiVersion policy.karmada.io/v1alpha1"), "{err}");
    // The ConfigMap is not taken for a template of kind OverridePolicy, and the rest of the stream applies.
    let table = text(&out.stdout);
    assert!(table.contains("default     cm     ConfigMap   PropagationPolicy/pp   member1,member2,member3"), "{table}");
    assert!(!table.contains("OverridePolicy"), "{table}");
}
