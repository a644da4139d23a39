//! Table-driven checks of every admission rule (exact Karmada message) and every lint, each at its line:column.

use karmada_policy_core::{evaluate, Diagnostic, Options, Severity};

fn diagnostics(yaml: &str) -> Vec<Diagnostic> {
    match evaluate(yaml, &Options::default()) {
        Ok(r) => r.diagnostics,
        Err(e) => e.diagnostics,
    }
}

/// A PropagationPolicy named `p` in `default` whose spec is `spec` (indented by two spaces), after a gate header.
fn pp(spec: &str) -> String {
    format!("# feature-gates: PropagationPolicyPreemption=true\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p}}\nspec:\n{spec}")
}

const SEL: &str = "  resourceSelectors:\n  - {apiVersion: apps/v1, kind: Deployment, name: web}\n";

struct Case {
    name: &'static str,
    yaml: String,
    code: &'static str,
    message: &'static str,
    line: usize,
    column: usize,
}

fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in cases {
        let ds = diagnostics(&c.yaml);
        let Some(d) = ds.iter().find(|d| d.code == c.code && d.message.contains(c.message)) else {
            failures.push(format!(
                "{}: no {} diagnostic containing {:?}; got {:#?}",
                c.name,
                c.code,
                c.message,
                ds.iter().map(|d| (&d.code, &d.message)).collect::<Vec<_>>()
            ));
            continue;
        };
        if d.location() != Some((c.line, c.column)) {
            failures.push(format!("{}: expected {}:{}, got {:?}", c.name, c.line, c.column, d.location()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn denied(name: &'static str, spec: String, message: &'static str, line: usize, column: usize) -> Case {
    Case { name, yaml: pp(&spec), code: "webhook-denied", message, line, column }
}

#[test]
fn every_webhook_rule_gives_karmadas_message_at_the_field() {
    check(vec![
        denied("affinity co-exist", format!("{SEL}  placement:\n    clusterAffinity: {{clusterNames: [a]}}\n    clusterAffinities:\n    - {{affinityName: g, clusterNames: [b]}}\n"),
            "admission webhook \"propagationpolicy.karmada.io\" denied the request: spec.placement: Invalid value: {\"clusterAffinity\":{\"clusterNames\":[\"a\"]},\"clusterAffinities\":[{\"affinityName\":\"g\",\"clusterNames\":[\"b\"]}]}: clusterAffinities cannot co-exist with clusterAffinity", 8, 3),
        denied("overflow needs dynamic", format!("{SEL}  placement:\n    clusterAffinities:\n    - affinityName: g\n      clusterNames: [a]\n      overflowAffinities:\n      - {{affinityName: o, clusterNames: [b]}}\n"),
            "spec.placement.clusterAffinities[0].overflowAffinities: Invalid value: [{\"affinityName\":\"o\",\"clusterNames\":[\"b\"]}]: overflowAffinities can only be used together with dynamic weight or aggregated scheduling", 12, 7),
        denied("field key", format!("{SEL}  placement:\n    clusterAffinity:\n      fieldSelector:\n        matchExpressions:\n        - {{key: foo, operator: In, values: [x]}}\n"),
            "spec.placement.clusterAffinity.fieldSelector: Invalid value: {\"matchExpressions\":[{\"key\":\"foo\",\"operator\":\"In\",\"values\":[\"x\"]}]}: unsupported key \"foo\", must be provider, region, or zone", 10, 7),
        denied("field operator", format!("{SEL}  placement:\n    clusterAffinity:\n      fieldSelector:\n        matchExpressions:\n        - {{key: zone, operator: Exists}}\n"),
            "unsupported operator \"Exists\", must be In or NotIn", 10, 7),
        denied("affinity name", format!("{SEL}  placement:\n    clusterAffinities:\n    - {{affinityName: -bad-, clusterNames: [a]}}\n"),
            "spec.placement.clusterAffinities[0]: Invalid value: \"-bad-\": name part must consist of alphanumeric characters", 10, 7),
        denied("duplicate affinity names", format!("{SEL}  placement:\n    clusterAffinities:\n    - {{affinityName: g, clusterNames: [a]}}\n    - {{affinityName: g, clusterNames: [b]}}\n"),
            "each affinity term in a policy must have a unique name", 9, 5),
        denied("overflow without inline", format!("{SEL}  placement:\n    replicaScheduling: {{replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}}\n    clusterAffinities:\n    - affinityName: g\n      overflowAffinities:\n      - {{affinityName: o, clusterNames: [b]}}\n"),
            "spec.placement.clusterAffinities[0].overflowAffinities: Invalid value: [{\"affinityName\":\"o\",\"clusterNames\":[\"b\"]}]: overflowAffinities can only be used together with the inline ClusterAffinity", 12, 7),
        denied("overflow duplicate name", format!("{SEL}  placement:\n    replicaScheduling: {{replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}}\n    clusterAffinities:\n    - affinityName: g\n      clusterNames: [a]\n      overflowAffinities:\n      - {{affinityName: g, clusterNames: [b]}}\n"),
            "spec.placement.clusterAffinities[0].overflowAffinities[0].affinityName: Invalid value: \"g\": overflow affinity name must be unique and must not duplicate the primary group's affinityName", 14, 10),
        denied("spread field and label", format!("{SEL}  placement:\n    spreadConstraints:\n    - {{spreadByField: cluster, spreadByLabel: team}}\n"),
            "spec.placement.spreadConstraints[0]: Invalid value: {\"spreadByField\":\"cluster\",\"spreadByLabel\":\"team\",\"minGroups\":1}: spreadByLabel should not co-exist with spreadByField", 10, 7),
        denied("minGroups negative", format!("{SEL}  placement:\n    spreadConstraints:\n    - {{spreadByField: cluster, minGroups: -1}}\n"),
            "spec.placement.spreadConstraints[0]: Invalid value: {\"spreadByField\":\"cluster\",\"minGroups\":-1}: minGroups lower than 0 is not allowed", 10, 7),
        denied("maxGroups negative", format!("{SEL}  placement:\n    spreadConstraints:\n    - {{spreadByField: cluster, maxGroups: -2}}\n"),
            "maxGroups lower than 0 is not allowed", 10, 7),
        denied("max below min", format!("{SEL}  placement:\n    spreadConstraints:\n    - {{spreadByField: cluster, maxGroups: 1, minGroups: 3}}\n"),
            "spec.placement.spreadConstraints[0]: Invalid value: {\"spreadByField\":\"cluster\",\"maxGroups\":1,\"minGroups\":3}: maxGroups lower than minGroups is not allowed", 10, 7),
        denied("two cluster constraints", format!("{SEL}  placement:\n    spreadConstraints:\n    - {{spreadByField: cluster}}\n    - {{spreadByField: cluster}}\n"),
            "spec.placement.spreadConstraints: Invalid value: [{\"spreadByField\":\"cluster\",\"minGroups\":1},{\"spreadByField\":\"cluster\",\"minGroups\":1}]: multiple cluster spread constraints are not allowed", 9, 5),
        denied("region without cluster", format!("{SEL}  placement:\n    spreadConstraints:\n    - {{spreadByField: region, maxGroups: 1, minGroups: 1}}\n"),
            "spec.placement.spreadConstraints: Invalid value: [{\"spreadByField\":\"region\",\"maxGroups\":1,\"minGroups\":1}]: the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled", 9, 5),
        denied("workload affinity same key", format!("{SEL}  placement:\n    workloadAffinity:\n      affinity: {{groupByLabelKey: app}}\n      antiAffinity: {{groupByLabelKey: app}}\n"),
            "spec.placement.workloadAffinity: Invalid value: {\"affinity\":{\"groupByLabelKey\":\"app\"},\"antiAffinity\":{\"groupByLabelKey\":\"app\"}}: affinity and antiAffinity must not use the same groupByLabelKey", 9, 5),
        denied("workload affinity bad key", format!("{SEL}  placement:\n    workloadAffinity:\n      affinity: {{groupByLabelKey: 'a b'}}\n"),
            "spec.placement.workloadAffinity.affinity.groupByLabelKey: Invalid value: \"a b\": name part must consist of", 10, 18),
        denied("toleration Lt", format!("{SEL}  placement:\n    clusterTolerations:\n    - {{key: k, operator: Lt, value: '3'}}\n"),
            "spec.placement.clusterTolerations[0].operator: Unsupported value: \"Lt\": supported values: \"\", \"Exists\", \"Equal\"", 10, 16),
        denied("failover needs propagateDeps", format!("{SEL}  failover:\n    application:\n      decisionConditions: {{tolerationSeconds: 30}}\n"),
            "spec.propagateDeps: Invalid value: false: application failover is set, propagateDeps must be true", 5, 1),
        denied("toleration seconds", format!("{SEL}  propagateDeps: true\n  failover:\n    application:\n      decisionConditions: {{tolerationSeconds: -100}}\n"),
            "spec.failover.application.decisionConditions.tolerationSeconds: Invalid value: -100: must be greater than or equal to 0", 11, 28),
        denied("grace with Directly", format!("{SEL}  propagateDeps: true\n  failover:\n    application:\n      purgeMode: Directly\n      gracePeriodSeconds: 100\n"),
            "spec.failover.application.gracePeriodSeconds: Invalid value: 100: only takes effect when purgeMode is gracefully", 12, 7),
        denied("grace not positive", format!("{SEL}  propagateDeps: true\n  failover:\n    application:\n      purgeMode: Gracefully\n      gracePeriodSeconds: -100\n"),
            "spec.failover.application.gracePeriodSeconds: Invalid value: -100: must be greater than 0", 12, 7),
        denied("alias label", format!("{SEL}  propagateDeps: true\n  failover:\n    application:\n      statePreservation:\n        rules:\n        - {{aliasLabelName: invalid@label, jsonPath: '{{.x}}'}}\n"),
            "spec.failover.application.statePreservation.rules[0].aliasLabelName: Invalid value: \"invalid@label\": name part must consist of", 13, 12),
        denied("selector namespace", "  resourceSelectors:\n  - {apiVersion: apps/v1, kind: Deployment, namespace: team-b}\n".to_string(),
            "admission webhook \"propagationpolicy.karmada.io\" denied the request: spec.resourceSelectors[0].namespace: Invalid value: \"team-b\": namespace of resource selector must be the same as the namespace of the policy", 7, 45),
        denied("preemption needs names", "  preemption: Always\n  resourceSelectors:\n  - {apiVersion: apps/v1, kind: Deployment}\n".to_string(),
            "spec.resourceSelectors[0].name: Invalid value: \"\": name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption", 8, 5),
        denied("suspension", format!("{SEL}  suspension:\n    dispatching: true\n    dispatchingOnClusters: {{clusterNames: [a]}}\n"),
            "spec.suspension.suspension: Invalid value: {\"dispatching\":true,\"dispatchingOnClusters\":{\"clusterNames\":[\"a\"]}}: suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames", 8, 3),
        denied("enum preemption", format!("{SEL}  preemption: Sometimes\n"),
            "PropagationPolicy.policy.karmada.io \"p\" is invalid: spec.preemption: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\"", 8, 3),
        denied("static weight minimum", format!("{SEL}  placement:\n    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList:\n        - {{targetCluster: {{clusterNames: [a]}}, weight: 0}}\n"),
            "spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight: Invalid value: 0: spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight in body should be greater than or equal to 1", 13, 48),
        denied("empty selectors", "  resourceSelectors: []\n".to_string(),
            "spec.resourceSelectors in body should have at least 1 items", 6, 3),
    ]);
}

#[test]
fn scheduler_name_is_immutable_on_update() {
    let yaml = format!("{}---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p}}\nspec:\n  schedulerName: other\n{SEL}", pp(SEL));
    check(vec![Case { name: "schedulerName", yaml, code: "webhook-denied", message: "admission webhook \"propagationpolicy.karmada.io\" denied the request: the schedulerName should not be updated", line: 9, column: 1 }]);
}

#[test]
fn cluster_propagation_policy_uses_its_own_webhook_name() {
    let yaml = "apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: c}\nspec:\n  preemption: Always\n  resourceSelectors:\n  - {apiVersion: v1, kind: Namespace}\n".to_string();
    check(vec![Case { name: "cpp", yaml, code: "webhook-denied", message: "admission webhook \"clusterpropagationpolicy.karmada.io\" denied the request: spec.resourceSelectors[0].name: Invalid value: \"\"", line: 7, column: 5 }]);
}

const WEB: &str = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, uid: u1}\nspec: {replicas: 2}\n";

#[test]
fn every_lint_has_a_code_message_help_and_position() {
    let cluster = |extra: &str| {
        format!("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {{name: member1}}\nspec: {{syncMode: Push{extra}}}\nstatus:\n  apiEnablements:\n  - groupVersion: apps/v1\n    resources: [{{kind: Deployment, name: deployments}}]\n---\n")
    };
    let cases = vec![
        Case { name: "gate off", yaml: format!("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p}}\nspec:\n  preemption: Always\n{SEL}{WEB}"),
            code: "preemption-gate-off", message: "PropagationPolicy default/p sets `preemption: Always`, but the PropagationPolicyPreemption feature gate is off", line: 5, column: 3 },
        Case { name: "matches nothing", yaml: pp("  resourceSelectors:\n  - {apiVersion: apps/v1, kind: StatefulSet}\n") + WEB,
            code: "policy-matches-nothing", message: "PropagationPolicy default/p matches no resource template", line: 6, column: 3 },
        Case { name: "shadowed", yaml: format!("{}---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: q}}\nspec:\n  priority: 5\n  resourceSelectors:\n  - {{apiVersion: apps/v1, kind: Deployment}}\n", pp(SEL) + WEB),
            code: "policy-shadowed", message: "PropagationPolicy default/q matches 1 resource(s) but claims none: PropagationPolicy default/p claim them", line: 19, column: 3 },
        Case { name: "unmatched", yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lonely}\n".to_string(),
            code: "resource-unmatched", message: "no (Cluster)PropagationPolicy matches ConfigMap default/lonely", line: 3, column: 12 },
        Case { name: "ignored namespace", yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: kube-system\n".to_string(),
            code: "namespace-ignored", message: "ConfigMap kube-system/cm is in namespace \"kube-system\"", line: 5, column: 3 },
        Case { name: "foreign namespace", yaml: pp("  resourceSelectors:\n  - {apiVersion: apps/v1, kind: Deployment, namespace: team-b}\n"),
            code: "pp-foreign-namespace-selector", message: "PropagationPolicy default/p selects namespace \"team-b\"", line: 7, column: 45 },
        Case { name: "cpp preemption namespace", yaml: "# feature-gates: PropagationPolicyPreemption=true\napiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: c}\nspec:\n  preemption: Always\n  resourceSelectors:\n  - {apiVersion: apps/v1, kind: Deployment, name: web}\n".to_string() + WEB,
            code: "cpp-preemption-needs-namespace", message: "ClusterPropagationPolicy c selects the namespaced kind Deployment without `namespace`", line: 8, column: 5 },
        Case { name: "spread by label", yaml: pp(&format!("{SEL}  placement:\n    spreadConstraints:\n    - {{spreadByLabel: team}}\n")) + WEB,
            code: "spread-by-label", message: "spreads by label \"team\"", line: 10, column: 8 },
        Case { name: "region without cluster", yaml: pp(&format!("{SEL}  placement:\n    spreadConstraints:\n    - {{spreadByField: region}}\n")) + WEB,
            code: "spread-without-cluster-constraint", message: "spreads by region/zone/provider without a `cluster` spread constraint", line: 9, column: 5 },
        Case { name: "unknown cluster", yaml: cluster("") + &pp(&format!("{SEL}  placement:\n    clusterAffinity:\n      clusterNames: [member1, membr2]\n")) + WEB,
            code: "unknown-cluster-name", message: "names cluster \"membr2\", which is not in the fleet (member1)", line: 19, column: 31 },
        Case { name: "missing api enablements", yaml: "apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: m}\nspec: {syncMode: Push}\nstatus: {kubernetesVersion: v1.31.0}\n".to_string(),
            code: "cluster-missing-api-enablements", message: "Cluster m reports no `status.apiEnablements`", line: 5, column: 1 },
        Case { name: "missing summary", yaml: cluster("") + &pp(&format!("{SEL}  placement:\n    replicaScheduling: {{replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}}\n")) + WEB,
            code: "cluster-missing-resource-summary", message: "Cluster member1 has no `status.resourceSummary`", line: 5, column: 1 },
        Case { name: "deprecated zone", yaml: cluster(", zone: z1"),
            code: "deprecated-cluster-zone", message: "Cluster member1 sets the deprecated `spec.zone`", line: 4, column: 24 },
    ];
    for c in &cases {
        let ds = diagnostics(&c.yaml);
        if let Some(d) = ds.iter().find(|d| d.code == c.code) {
            assert_eq!(d.severity, Severity::Warning, "{}", c.name);
            assert!(d.help.as_deref().is_some_and(|h| !h.is_empty()), "{}: lints carry a help line", c.name);
        }
    }
    check(cases);
}

#[test]
fn utf16_columns_count_non_ascii_text_before_the_error() {
    // "日本語" is 9 UTF-8 bytes but 3 UTF-16 code units.
    let yaml = "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap, name: \"日本語\", namespace: other}\n";
    let ds = diagnostics(yaml);
    let d = ds.iter().find(|d| d.code == "webhook-denied").unwrap_or_else(|| panic!("no denial: {ds:?}"));
    let span = d.span.unwrap_or_else(|| panic!("no span"));
    assert_eq!(span.start.line, 6);
    assert_eq!(span.start.column, 58, "UTF-8 byte column");
    assert_eq!(span.start.column_utf16, 52, "UTF-16 column");
}

#[test]
fn conformance_vectors_validate_without_errors_except_noted_denials() {
    let dir = karmada_policy_tests::crate_dir().join("conformance");
    for v in karmada_policy_tests::load_vectors(&dir) {
        let ds = match evaluate(&v.yaml, &karmada_policy_tests::karmada_options()) {
            Ok(r) => r.diagnostics,
            Err(e) => panic!("{}: {e}", v.name),
        };
        let errors: Vec<&Diagnostic> = ds.iter().filter(|d| d.severity == Severity::Error).collect();
        let noted: Vec<&str> =
            v.yaml.lines().filter_map(|l| l.strip_prefix("# note: ")).filter(|l| l.contains(" rejected: ")).collect();
        assert_eq!(
            errors.len(),
            noted.len(),
            "{}: errors {:?} vs notes {:?}",
            v.name,
            errors.iter().map(|d| &d.message).collect::<Vec<_>>(),
            noted
        );
        for (e, n) in errors.iter().zip(&noted) {
            let reason = n.split_once(" rejected: ").map(|(_, r)| r).unwrap_or("");
            let reason = reason.trim_end_matches(" (Karmada validating webhook; the policy is never created)");
            assert!(e.message.ends_with(reason), "{}: {} does not end with {}", v.name, e.message, reason);
        }
    }
}
