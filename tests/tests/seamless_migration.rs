//! The seamless-migration tutorial (examples/seamless-migration.yaml), replayed step by step: what a user sees
//! after each `kubectl apply` of the tutorial.

use karmada_policy_core::execution::ApplyResult;
use karmada_policy_core::report::{Report, ResourceResult};
use karmada_policy_core::{evaluate, Options};

const TUTORIAL: &str = include_str!("../../examples/seamless-migration.yaml");

/// The tutorial text up to (not including) the document that starts with `marker`.
fn until(marker: &str) -> &'static str {
    let idx = TUTORIAL.find(marker).unwrap_or_else(|| panic!("marker {marker:?} not in the tutorial"));
    TUTORIAL.get(..idx).unwrap_or_default()
}

fn eval(text: &str) -> Report {
    evaluate(text, &Options::default()).unwrap_or_else(|e| panic!("tutorial prefix does not evaluate: {e}")).report()
}

fn res<'a>(r: &'a Report, name: &str) -> &'a ResourceResult {
    r.resources.iter().find(|x| x.name == name).unwrap_or_else(|| panic!("no resource {name}"))
}

fn clusters(r: &ResourceResult) -> Vec<(String, i64)> {
    r.placement.iter().map(|p| (p.cluster.clone(), p.replicas)).collect()
}

fn applies(r: &ResourceResult) -> Vec<(String, ApplyResult)> {
    r.apply.clone().unwrap_or_default().into_iter().map(|a| (a.cluster, a.result)).collect()
}

#[test]
fn step1_member1_objects_are_not_karmada_resources() {
    let r = eval(until("# context: karmada-apiserver"));
    assert!(r.resources.is_empty());
}

#[test]
fn step2_templates_wait_for_a_policy() {
    let r =
        eval(until("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata:\n  name: migrate-pp"));
    assert_eq!(r.resources.len(), 4);
    for x in &r.resources {
        assert_eq!(x.policy, None, "{}", x.name);
        assert_eq!(x.binding, None, "{}", x.name);
        assert!(x.placement.is_empty());
    }
}

#[test]
fn step3_migrate_pp_adopts_everything_in_member1() {
    let r = eval(until("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata:\n  name: nginx-pp"));
    for (name, replicas) in [("nginx-deploy", 2), ("nginx-svc", 0), ("hello-deploy", 2), ("hello-svc", 0)] {
        let x = res(&r, name);
        assert_eq!(x.policy.as_ref().map(|p| p.name.as_str()), Some("migrate-pp"), "{name}");
        assert_eq!(clusters(x), vec![("member1".to_string(), replicas)], "{name}");
        assert_eq!(applies(x), vec![("member1".to_string(), ApplyResult::Adopted)], "{name}");
        assert_eq!(x.fully_applied, Some(true), "{name}");
        assert_eq!(x.error, None);
    }
}

#[test]
fn step4_nginx_pp_rehomes_nginx_to_member1_and_member2() {
    let r = eval(TUTORIAL);
    for name in ["nginx-deploy", "nginx-svc"] {
        let x = res(&r, name);
        assert_eq!(x.policy.as_ref().map(|p| p.name.as_str()), Some("nginx-pp"), "{name}");
        let got: Vec<String> = x.placement.iter().map(|p| p.cluster.clone()).collect();
        assert_eq!(got, ["member1", "member2"], "{name}");
        // member1's copy was adopted by migrate-pp (now labelled managed): the re-synced Work updates it.
        assert_eq!(
            applies(x),
            vec![("member1".to_string(), ApplyResult::Updated), ("member2".to_string(), ApplyResult::Created)],
            "{name}"
        );
        assert_eq!(x.fully_applied, Some(true));
    }
    assert_eq!(clusters(res(&r, "nginx-deploy")), vec![("member1".into(), 2), ("member2".into(), 2)]);
    for name in ["hello-deploy", "hello-svc"] {
        let x = res(&r, name);
        assert_eq!(x.policy.as_ref().map(|p| p.name.as_str()), Some("migrate-pp"), "{name}");
        assert_eq!(applies(x), vec![("member1".to_string(), ApplyResult::Adopted)], "{name}");
    }
    // The story is told in order.
    let kinds: Vec<String> = r.timeline.iter().map(|e| format!("{:?}", e.kind)).collect();
    let pos = |k: &str| kinds.iter().position(|x| x == k).unwrap_or_else(|| panic!("no {k} event"));
    assert!(pos("MemberObjectApplied") < pos("TemplateCreated"));
    assert!(pos("TemplateCreated") < pos("Claimed"));
    assert!(pos("Claimed") < pos("Preempted"));
    assert!(r.timeline.iter().any(|e| e.kind == karmada_policy_core::detector::timeline::EventKind::Preempted
        && e.subject == "Deployment default/nginx-deploy"
        && e.message.contains("priority 10 > 0")));
}

#[test]
fn gate_off_keeps_nginx_with_migrate_pp() {
    let opts = Options { feature_gates: Some("PropagationPolicyPreemption=false".into()), ..Options::default() };
    let r = evaluate(TUTORIAL, &opts).unwrap_or_else(|e| panic!("{e}")).report();
    for x in &r.resources {
        assert_eq!(x.policy.as_ref().map(|p| p.name.as_str()), Some("migrate-pp"), "{}", x.name);
    }
    assert!(r.diagnostics.iter().any(|d| d.code == "preemption-gate-off" && d.message.contains("nginx-pp")));
}
