//! Karmada's own output (tests/conformance, produced by karmada-io/karmada f8fdd02) against the core.

use karmada_policy_core::evaluate;
use karmada_policy_tests::{compare, crate_dir, karmada_options, load_vectors};

fn run(fields: &[&str]) -> (usize, Vec<String>) {
    let vectors = load_vectors(&crate_dir().join("conformance"));
    assert_eq!(vectors.len(), 290, "tests/conformance must hold the 290 vectors of shared/conformance");
    let mut failures = Vec::new();
    for v in &vectors {
        let actual = match evaluate(&v.yaml, &karmada_options()) {
            Ok(r) => serde_json::to_value(r.report()).unwrap_or_default(),
            Err(e) => {
                failures.push(format!("{}: input error: {e}", v.name));
                continue;
            }
        };
        let diffs = compare(&v.expected, &actual, fields);
        if !diffs.is_empty() {
            failures.push(format!("{}:\n  {}", v.name, diffs.join("\n  ")));
        }
    }
    (vectors.len(), failures)
}

fn check(fields: &[&str]) {
    let (total, failures) = run(fields);
    let passed = total - failures.len();
    println!("conformance {fields:?}: {passed}/{total} vectors match");
    assert!(
        failures.is_empty(),
        "{} of {total} vectors differ on {fields:?}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn policy_and_binding_match_karmada() {
    check(&["policy", "binding"]);
}

#[test]
fn placement_and_error_match_karmada() {
    check(&["placement", "error"]);
}

#[test]
fn comparison_detects_a_wrong_policy() {
    let vectors = load_vectors(&crate_dir().join("conformance"));
    let v =
        vectors.iter().find(|v| v.name == "seed-migrate-then-nginx__gate-on").unwrap_or_else(|| panic!("seed vector"));
    let actual = serde_json::to_value(evaluate(&v.yaml, &karmada_options()).unwrap_or_else(|e| panic!("{e}")).report())
        .unwrap_or_default();
    let mut wrong = v.expected.clone();
    wrong["resources"][1]["policy"]["name"] = "migrate-pp".into();
    assert_eq!(compare(&wrong, &actual, &["policy"]).len(), 1);
    assert!(compare(&v.expected, &actual, &["policy", "binding"]).is_empty());
}
