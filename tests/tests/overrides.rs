//! OverridePolicy / ClusterOverridePolicy behaviour beyond the conformance vectors: Karmada's rules exercised on
//! small scenarios (ordering by specificity, re-sync triggers, failures, Job completions, conflict resolution,
//! strict parsing).

use karmada_policy_core::execution::ApplyResult;
use karmada_policy_core::report::{Report, ResourceResult};
use karmada_policy_core::{evaluate, Evaluation, Options};
use serde_json::{json, Value};

const DEPLOY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, uid: 0a934e73-8254-4fc2-888c-0f8411eb7896, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: 'nginx:1.19'}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: pp}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement: {clusterAffinity: {clusterNames: [member1, member2]}}
";

/// An evaluation with manifests kept, and its report.
struct Kept {
    evaluation: Evaluation,
    report: Report,
}

impl std::ops::Deref for Kept {
    type Target = Report;
    fn deref(&self) -> &Report {
        &self.report
    }
}

impl Kept {
    /// What `cluster` receives for `r`.
    fn received(&self, r: &ResourceResult, cluster: &str) -> Option<Value> {
        self.evaluation.manifest(&r.kind, &r.namespace, &r.name, cluster)
    }
}

fn eval(text: &str) -> Kept {
    let evaluation = evaluate(text, &Options { keep_manifests: true, ..Options::default() })
        .unwrap_or_else(|e| panic!("does not evaluate: {e}\n{text}"));
    Kept { report: evaluation.report(), evaluation }
}

fn web(r: &Report) -> &ResourceResult {
    r.resources.iter().find(|x| x.name == "web").unwrap_or_else(|| panic!("no web"))
}

fn applied(r: &ResourceResult, cluster: &str) -> Vec<String> {
    r.overrides
        .as_ref()
        .and_then(|o| o.iter().find(|e| e.cluster == cluster))
        .map(|e| e.applied.iter().map(|a| a.name.clone()).collect())
        .unwrap_or_default()
}

fn manifest<'a>(r: &'a ResourceResult, cluster: &str) -> &'a Value {
    r.overrides
        .iter()
        .flatten()
        .find(|e| e.cluster == cluster)
        .and_then(|e| e.manifest.as_ref())
        .unwrap_or_else(|| panic!("no manifest for {cluster}"))
}

fn op(name: &str, selectors: &str, label: &str) -> String {
    format!(
        "---\napiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {{name: {name}}}\nspec:\n{selectors}  overrideRules:\n  - overriders:\n      labelsOverrider: [{{operator: add, value: {{tier: {label}}}}}]\n"
    )
}

#[test]
fn the_more_specific_policy_is_applied_last_whatever_its_name() {
    // a-by-name (implicit priority 3) sorts before z-all (no selector, priority 1) by name, but is applied after.
    let text = format!(
        "{DEPLOY}{}{}",
        op("a-by-name", "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]\n", "name"),
        op("z-all", "", "all")
    );
    let r = eval(&text);
    let w = web(&r);
    assert_eq!(applied(w, "member1"), vec!["z-all", "a-by-name"]);
    assert_eq!(manifest(w, "member1")["metadata"]["labels"]["tier"], "name");
}

const COP_STAGE: &str = "---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: cop}
spec:
  overrideRules:
  - overriders:
      labelsOverrider: [{operator: add, value: {stage: canary}}]
";

fn by_stage_label() -> String {
    op(
        "by-label",
        "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {stage: canary}}}]\n",
        "canary",
    )
}

#[test]
fn overridepolicies_match_the_object_as_the_clusteroverridepolicies_left_it() {
    // Policies first, then the template: the first build sees both, and the OverridePolicy matches the
    // label the ClusterOverridePolicy just added.
    let text = format!("{}{}---\n{DEPLOY}", COP_STAGE.trim_start_matches("---\n"), by_stage_label());
    let r = eval(&text);
    let w = web(&r);
    assert_eq!(applied(w, "member2"), vec!["cop", "by-label"]);
    assert_eq!(
        manifest(w, "member2")["metadata"]["labels"],
        json!({"app": "web", "stage": "canary", "tier": "canary"})
    );
}

#[test]
fn an_overridepolicy_the_template_does_not_match_does_not_resync_its_binding() {
    // Template first, then the COP (no selector: every binding is re-synced), then by-label: the template has
    // no `stage` label, so by-label's creation enqueues nothing and the Works keep the COP-only content.
    let r = eval(&format!("{DEPLOY}{COP_STAGE}{}", by_stage_label()));
    let created = r.timeline.iter().find(|e| e.subject == "OverridePolicy default/by-label").map(|e| e.message.clone());
    assert_eq!(created.as_deref(), Some("1 resource selector(s), 1 rule(s); 0 binding(s) re-synced"));
    let w = web(&r);
    assert_eq!(applied(w, "member1"), vec!["cop"]);
    assert_eq!(manifest(w, "member1")["metadata"]["labels"], json!({"app": "web", "stage": "canary"}));
}

#[test]
fn a_failing_override_is_retried_and_an_update_fixes_it() {
    let bad = "---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: fix}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  overrideRules:
  - targetCluster: {clusterNames: [member1]}
    overriders:
      plaintext: [{path: /spec/nothere, operator: replace, value: 1}]
";
    let r = eval(&format!("{DEPLOY}{bad}"));
    let w = web(&r);
    let e = &w.overrides.as_ref().unwrap_or_else(|| panic!("no overrides"))[0];
    assert_eq!(
        e.error.as_deref(),
        Some("replace operation does not apply: doc is missing key: /spec/nothere: missing value")
    );
    assert_eq!(manifest(w, "member1")["spec"]["replicas"], 2);
    let warn = r.diagnostics.iter().find(|d| d.code == "work-build-failed").map(|d| d.message.as_str());
    assert_eq!(
        warn,
        Some("Deployment default/web: the Work for member1 cannot be built: replace operation does not apply: doc is missing key: /spec/nothere: missing value; Karmada leaves it as it was")
    );
    let good = bad.replace("/spec/nothere", "/spec/replicas");
    let r = eval(&format!("{DEPLOY}{bad}{good}"));
    let w = web(&r);
    let e = &w.overrides.as_ref().unwrap_or_else(|| panic!("no overrides"))[0];
    assert_eq!(e.error, None);
    assert!(r.diagnostics.iter().all(|d| d.code != "work-build-failed"));
    assert_eq!(applied(w, "member1"), vec!["fix"]);
    assert_eq!(manifest(w, "member1")["spec"]["replicas"], 1);
    // Re-applying the same policy changes nothing (no generation change, no re-sync).
    let again = eval(&format!("{DEPLOY}{bad}{good}{good}"));
    let applies = |r: &Report| {
        r.timeline.iter().filter(|e| e.kind == karmada_policy_core::detector::timeline::EventKind::Applied).count()
    };
    assert_eq!(applies(&again), applies(&r));
}

#[test]
fn a_work_never_built_is_not_applied() {
    let text = format!(
        "# context: member1\n---\n# context: karmada-apiserver\n---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {{name: broken}}
spec:
  overrideRules:
  - targetCluster: {{clusterNames: [member2]}}
    overriders:
      plaintext: [{{path: /metadata/labels/x/y, operator: add, value: z}}]
---
{DEPLOY}"
    );
    let r = eval(&text);
    let w = web(&r);
    let o = w.overrides.as_ref().unwrap_or_else(|| panic!("no overrides"));
    assert_eq!(o[1].cluster, "member2");
    assert_eq!(o[1].manifest, None);
    assert_eq!(o[1].applied.len(), 0);
    let msg = "add operation does not apply: doc is missing path: \"/metadata/labels/x/y\": missing value";
    assert_eq!(o[1].error.as_deref(), Some(msg));
    let a = w.apply.as_ref().unwrap_or_else(|| panic!("no apply"));
    assert_eq!((a[0].result, a[1].result), (ApplyResult::Created, ApplyResult::NotApplied));
    assert_eq!(a[1].message.as_deref(), Some(msg));
    assert_eq!(w.fully_applied, Some(false));
    assert!(r.received(w, "member2").is_none());
}

#[test]
fn an_overridden_conflict_resolution_annotation_decides_adoption() {
    let member = "# context: member1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: member}\n---\n# context: karmada-apiserver\n---\n";
    let base = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: karmada}\n---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: pp}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
";
    let cop = "---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: adopt}
spec:
  overrideRules:
  - overriders:
      annotationsOverrider: [{operator: add, value: {work.karmada.io/conflict-resolution: overwrite}}]
";
    let without = eval(&format!("{member}{base}"));
    let with = eval(&format!("{member}{cop}---\n{base}"));
    let result = |r: &Report| r.resources[0].apply.as_ref().map(|a| a[0].result);
    assert_eq!(result(&without), Some(ApplyResult::Conflict));
    assert_eq!(result(&with), Some(ApplyResult::Adopted));
    // The annotation is Karmada bookkeeping: not in the manifest shown.
    assert_eq!(
        with.received(&with.resources[0], "member1").unwrap_or_default(),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "default"}, "data": {"a": "karmada"}})
    );
}

#[test]
fn job_completions_are_divided_with_parallelism() {
    let text = "\
apiVersion: batch/v1
kind: Job
metadata: {name: batch, uid: 5fe60694-ee6c-4379-8e5d-353353ba4db0, labels: {controller-uid: x}}
spec:
  parallelism: 3
  completions: 6
  ttlSecondsAfterFinished: 100
  template:
    metadata: {labels: {job-name: batch, app: b}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: pp}
spec:
  resourceSelectors: [{apiVersion: batch/v1, kind: Job}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [member1]}, weight: 2}
        - {targetCluster: {clusterNames: [member2]}, weight: 1}
";
    let r = eval(text);
    let j = &r.resources[0];
    let spec = |c: &str| r.received(j, c).unwrap_or_default()["spec"].clone();
    assert_eq!((spec("member1")["parallelism"].clone(), spec("member1")["completions"].clone()), (json!(2), json!(4)));
    assert_eq!((spec("member2")["parallelism"].clone(), spec("member2")["completions"].clone()), (json!(1), json!(2)));
    // Pruned: the TTL and the generated job-name template label (the object's own labels are kept).
    assert!(spec("member1").get("ttlSecondsAfterFinished").is_none());
    assert_eq!(spec("member1")["template"]["metadata"]["labels"], json!({"app": "b"}));
    assert_eq!(r.received(j, "member1").unwrap_or_default()["metadata"]["labels"], json!({"controller-uid": "x"}));
    // No override policy in the scenario: no `overrides` block, but the manifests are there.
    assert!(serde_json::to_value(j).unwrap_or_default().get("overrides").is_none());
}

#[test]
fn a_cluster_label_change_alone_does_not_rebuild_works() {
    // The binding controllers do not watch Clusters: only a binding change or an override policy event
    // re-renders. Karmada keeps the stale Work until then.
    let cluster = |labels: &str| {
        format!("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {{name: member1, labels: {{{labels}}}}}\nspec: {{syncMode: Push}}\nstatus:\n  apiEnablements:\n  - groupVersion: apps/v1\n    resources: [{{kind: Deployment, name: deployments}}]\n---\n")
    };
    let pp_one = DEPLOY.replace("[member1, member2]", "[member1]");
    let op = "---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: gold}
spec:
  overrideRules:
  - targetCluster: {labelSelector: {matchLabels: {tier: gold}}}
    overriders:
      imageOverrider: [{component: Tag, operator: replace, value: gold}]
";
    let image = |r: &Kept| {
        r.received(web(r), "member1").unwrap_or_default()["spec"]["template"]["spec"]["containers"][0]["image"].clone()
    };
    let r = eval(&format!("{}{pp_one}{op}", cluster("tier: gold")));
    assert_eq!(image(&r), "nginx:gold");
    let r = eval(&format!(
        "{}{pp_one}{op}---\n{}",
        cluster("tier: gold"),
        cluster("tier: silver").trim_end_matches("---\n")
    ));
    assert_eq!(image(&r), "nginx:gold", "stale until the binding is re-synced");
    // Touching the policy re-syncs the binding with the new labels.
    let r = eval(&format!(
        "{}{pp_one}{op}---\n{}{}",
        cluster("tier: gold"),
        cluster("tier: silver"),
        op.trim_start_matches("---\n").replace("value: gold", "value: gold2")
    ));
    assert_eq!(image(&r), "nginx:1.19");
}

#[test]
fn override_policies_off_their_schema_are_refused_alone_at_the_field() {
    let q = "\"";
    let cases = [
        (
            "  overrideRules:\n  - overriders:\n      plaintext: [{path: /a, operator: add, vlue: 1}]\n",
            (11, 45),
            format!("Error from server (BadRequest): OverridePolicy in version {q}v1alpha1{q} cannot be handled as a OverridePolicy: strict decoding error: unknown field {q}spec.overrideRules[0].overriders.plaintext[0].vlue{q}"),
        ),
        (
            "  overrideRules:\n  - overriders:\n      labelsOverrider: [{operator: add, value: 5}]\n",
            (11, 41),
            format!("The OverridePolicy {q}bad{q} is invalid: spec.overrideRules[0].overriders.labelsOverrider[0].value: Invalid value: {q}integer{q}: spec.overrideRules[0].overriders.labelsOverrider[0].value in body must be of type object: {q}integer{q}"),
        ),
        (
            "  overrideRules:\n  - overriders:\n      imageOverrider: [{component: Tag, value: x}]\n",
            // A missing field points at the mapping that lacks it.
            (11, 24),
            format!("The OverridePolicy {q}bad{q} is invalid: spec.overrideRules[0].overriders.imageOverrider[0].operator: Required value"),
        ),
        (
            "  overrideRules:\n  - targetCluster: {clusterNames: [a]}\n",
            (10, 5),
            format!("The OverridePolicy {q}bad{q} is invalid: spec.overrideRules[0].overriders: Required value"),
        ),
    ];
    for (spec, pos, msg) in cases {
        let text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n---\napiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {{name: bad}}\nspec:\n{spec}---\n{DEPLOY}");
        let e = evaluate(&text, &Options::default()).unwrap_or_else(|e| panic!("{spec}: whole input refused: {e}"));
        let d = e
            .diagnostics
            .iter()
            .find(|d| d.code == "apiserver-rejected")
            .unwrap_or_else(|| panic!("{spec}: not refused"));
        assert_eq!(d.message, msg, "{spec}");
        assert_eq!((d.document, d.location()), (Some(2), Some(pos)), "{spec}");
        // The refused policy does not exist; the documents around it are evaluated, and the report has
        // its `overrides` block (the scenario has an OverridePolicy document).
        let r = e.report();
        assert_eq!(r.resources.len(), 2, "{spec}");
        assert!(r.resources.iter().all(|x| x.overrides.iter().flatten().all(|o| o.applied.is_empty())), "{spec}");
        assert!(r.resources.iter().any(|x| x.overrides.is_some()), "{spec}");
    }
}

#[test]
fn denied_policies_never_exist() {
    let text = format!(
        "{DEPLOY}---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {{name: op1}}
spec:
  overrideRules:
  - overriders:
      labelsOverrider: [{{operator: add, value: {{'bad key': x}}}}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {{name: dep}}
spec:
  dependentOverrides: [op1]
  resourceSelectors: [{{apiVersion: v1, kind: ConfigMap}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: waits}}
"
    );
    let r = eval(&text);
    assert_eq!(applied(web(&r), "member1"), Vec::<String>::new());
    let d = r.diagnostics.iter().find(|d| d.code == "webhook-denied").unwrap_or_else(|| panic!("no denial"));
    assert!(
        d.message.starts_with("admission webhook \"overridepolicy.karmada.io\" denied the request: spec.overrideRules[0].overriders.labelsOverrider[0].value: Invalid value: \"bad key\": name part must consist of"),
        "{}",
        d.message
    );
    // dependentOverrides only sees admitted policies: the ConfigMap keeps waiting.
    let cm = r.resources.iter().find(|x| x.name == "waits").unwrap_or_else(|| panic!("no cm"));
    assert_eq!(cm.policy, None);
}
