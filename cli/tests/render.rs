//! Golden tests of `karmada-policy render`: the YAML a member cluster receives, its diff against the template,
//! and the errors when a cluster receives nothing.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{run, text};

const EXAMPLE: &str = "../examples/image-override-per-region.yaml";

#[test]
fn renders_what_the_cluster_receives() {
    let out = run(&["render", "deployment/web", "-n", "shop", "--cluster", "eu-1", EXAMPLE], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: eu.registry.example.com/library/nginx:1.25
"
    );
}

#[test]
fn diff_against_the_template() {
    let out = run(&["render", "Deployment/web", "--namespace", "shop", "--cluster", "us-1", "--diff", EXAMPLE], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "\
--- template Deployment shop/web
+++ us-1 Deployment shop/web
@@ -3,11 +3,11 @@
 metadata:
   name: web
   namespace: shop
-  uid: 6f1c2a4e-7d0b-4d5e-9a53-2b8f0c1d9e77
   labels:
     app: web
+    registry: us
 spec:
-  replicas: 6
+  replicas: 3
   selector:
     matchLabels:
       app: web
@@ -18,4 +18,4 @@
     spec:
       containers:
       - name: web
-        image: docker.io/library/nginx:1.25
+        image: us.registry.example.com/library/nginx:1.25
"
    );
}

#[test]
fn works_without_override_policies() {
    // Divided replicas are revised per cluster even when no override policy exists.
    let out = run(
        &[
            "render",
            "deployment/web",
            "--cluster",
            "member2",
            "--literal-clusters",
            "../tests/conformance-next/ov-divided-replicas-then-plaintext__gate-off.yaml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    // member2 gets 2 of the 6 replicas, then op1's plaintext sets 10.
    assert!(text(&out.stdout).contains("  replicas: 10\n"), "{}", text(&out.stdout));
    let yaml = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: team, uid: u1, resourceVersion: '7'}
data: {a: b}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: pp, namespace: team}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
";
    let out = run(&["render", "configmap/cfg", "-n", "team", "--cluster", "member1", "-"], Some(yaml));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: team\ndata:\n  a: b\n"
    );
}

#[test]
fn a_failed_override_keeps_the_previous_work_and_says_so() {
    let vector = "../tests/conformance-next/ov-plaintext-bad-path-apply-fails__gate-off.yaml";
    let out = run(&["render", "deployment/web", "--cluster", "member1", "--literal-clusters", vector], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("image: docker.io/library/nginx:1.19"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning: the binding controller cannot rebuild the Work for member1: replace operation does not apply: doc is missing path: /spec/nothere/x: missing value"),
        "{stderr}"
    );
}

#[test]
fn no_work_no_manifest() {
    // The override policy exists before the template is propagated: the Work is never built.
    let yaml = "\
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: op}
spec:
  overrideRules:
  - overriders:
      plaintext: [{path: /spec/nope/x, operator: replace, value: 1}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: b}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: pp}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
";
    let out = run(&["render", "configmap/cfg", "--cluster", "member1", "-"], Some(yaml));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).lines().last().unwrap_or(""),
        "error: no Work for ConfigMap default/cfg in member1: the binding controller cannot build it: replace operation does not apply: doc is missing path: /spec/nope/x: missing value"
    );
    let out = run(&["render", "configmap/cfg", "--cluster", "member2", "-"], Some(yaml));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("error: ConfigMap default/cfg is not propagated to member2 (placement: member1)")
    );
    let out = run(&["render", "configmap/nope", "--cluster", "member1", "-"], Some(yaml));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("error: no resource template configmap/nope in namespace default"));
    let out = run(&["render", "configmap", "--cluster", "member1", "-"], Some(yaml));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_lists_the_rules_per_cluster() {
    let out = run(&["explain", "deployment/web", "-n", "shop", EXAMPLE], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let section = stdout.split("\nOverrides (applied in this order; the last one wins):\n").nth(1).unwrap_or_default();
    assert_eq!(
        section,
        "  eu-1: OverridePolicy shop/registry-per-region (rule 0)
          imageOverrider Registry replace \"eu.registry.example.com\"
  eu-2: OverridePolicy shop/registry-per-region (rule 0)
          imageOverrider Registry replace \"eu.registry.example.com\"
  us-1: OverridePolicy shop/registry-per-region (rule 1)
          imageOverrider Registry replace \"us.registry.example.com\"
          labelsOverrider add {\"registry\": \"us\"}
"
    );
    // One Applied event per binding and step, clusters grouped by outcome.
    assert!(stdout.contains(
        "Applied: eu-1, eu-2: Updated (overrides: OverridePolicy shop/registry-per-region (rule 0)); us-1: Updated (overrides: OverridePolicy shop/registry-per-region (rule 1))\n"
    ));
}
