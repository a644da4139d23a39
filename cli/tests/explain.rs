//! Golden tests of `karmada-policy explain` and `timeline --lanes`: the why-trace names every cause — the feature gate that kept a
//! policy from preempting (and where it was set), a policy the admission webhook refused (message and
//! position), unlimited capacity instead of MaxInt32. Stored in tests/golden/explain/NAME.txt;
//! `UPDATE_GOLDEN=1 cargo test -p karmada-policy-cli --test explain` rewrites them after a deliberate change.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{run, text};

/// (golden name, arguments, lines that must appear, text that must not).
const CASES: &[(&str, &[&str], &[&str], &str)] = &[
    (
        "gate-off",
        &[
            "explain",
            "deployment/nginx-deploy",
            "--feature-gates",
            "PropagationPolicyPreemption=false",
            "../examples/seamless-migration.yaml",
        ],
        &[
            "would preempt PropagationPolicy default/migrate-pp, but the PropagationPolicyPreemption feature gate is off, set by the feature-gates override (the scenario's line says true)",
        ],
        "claims are sticky",
    ),
    (
        "gate-off-by-scenario",
        &["explain", "deployment/orders", "tests/golden/explain/gate-off-by-scenario.yaml"],
        &["would preempt PropagationPolicy default/catch-all, but the PropagationPolicyPreemption feature gate is off, set by the scenario's `# feature-gates:` line"],
        "claims are sticky",
    ),
    (
        "webhook-denial",
        &["explain", "deployment/api", "-n", "team-b", "../examples/webhook-denial.yaml"],
        &[
            "PropagationPolicy/cross-ns",
            "denied     admission webhook \"propagationpolicy.karmada.io\" denied the request: spec.resourceSelectors[0].namespace: Invalid value: \"team-b\"",
            "(document 1, line 12:45)",
        ],
        "2147483647",
    ),
    (
        "lanes-seed",
        &["timeline", "--lanes", "../examples/seamless-migration.yaml"],
        &[
            "Deployment default/nginx-deploy              ·  ·  ·  ·  A  B",
            "  A = PropagationPolicy default/migrate-pp",
            "  step 10      PropagationPolicy default/nginx-pp → member1:2, member2:2",
            "  applied:     member1: Updated, member2: Created",
        ],
        "(failed)",
    ),
    (
        "lanes-gate-off",
        &["timeline", "--lanes", "--feature-gates", "PropagationPolicyPreemption=false", "../examples/seamless-migration.yaml"],
        &["  step 10      PreemptionDisabled: PropagationPolicy default/nginx-pp would preempt PropagationPolicy default/migrate-pp, but the PropagationPolicyPreemption feature gate is off"],
        "B = ",
    ),
    (
        "lanes-webhook-denial",
        &["timeline", "--lanes", "../examples/webhook-denial.yaml"],
        &["  step 1       PolicyDenied: PropagationPolicy team-a/cross-ns denied: admission webhook"],
        "2147483647",
    ),
    (
        "step-diff",
        &["timeline", "--diff", "9..10", "../examples/seamless-migration.yaml"],
        &["Deployment default/nginx-deploy   PropagationPolicy default/migrate-pp → member1:2   PropagationPolicy default/nginx-pp → member1:2, member2:2"],
        "hello-deploy",
    ),
    (
        "unlimited",
        &["explain", "service/nginx-svc", "../examples/seamless-migration.yaml"],
        &["unlimited (0 replicas, not estimated)"],
        "2147483647",
    ),
];

#[test]
fn explain_names_every_cause() {
    let mut cases = Vec::new();
    for (name, args, must, must_not) in CASES {
        let o = run(args, None);
        let out = text(&o.stdout);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{name}: {}", text(&o.stderr));
        for m in *must {
            assert!(out.contains(m), "{name}: {m:?} not in:\n{out}");
        }
        assert!(!out.contains(must_not), "{name}: {must_not:?} in:\n{out}");
        let code = o.status.code().unwrap_or(-1);
        cases.push((
            name.to_string(),
            format!("$ karmada-policy {}\n{out}exit: {code}\n", args.join(" ").replace("../", "")),
        ));
    }
    common::check_goldens("tests/golden/explain", "explain outputs", cases);
}

#[test]
fn explain_json_carries_the_denial_position_and_the_available_note() {
    let o = run(&["explain", "deployment/api", "-n", "team-b", "-o", "json", "../examples/webhook-denial.yaml"], None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let denied = v["explain"]["policies"].as_array().unwrap().iter().find(|p| p["verdict"] == "denied").unwrap();
    assert_eq!(denied["policy"]["name"], "cross-ns");
    assert_eq!(denied["document"], 1);
    assert_eq!(denied["span"]["start"]["line"], 12);
    let o = run(&["explain", "service/nginx-svc", "-o", "json", "../examples/seamless-migration.yaml"], None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = &v["explain"]["scheduler"]["clusters"][0];
    assert_eq!(c["availableReplicas"], 2147483647);
    assert_eq!(c["availableNote"], "unlimited: 0 replicas, not estimated");
}
