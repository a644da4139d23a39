//! Karmada's own output for its 1,000-resource benchmark fleet (shared/bench/small.yaml: 20 clusters, 50
//! policies, every placement kind) against the core, on every field.

use karmada_policy_core::evaluate;
use karmada_policy_tests::{compare, crate_dir, karmada_options};

#[test]
fn small_fleet_matches_karmada_on_every_resource() {
    let dir = crate_dir().join("bench");
    let yaml = std::fs::read_to_string(dir.join("small.yaml")).unwrap_or_else(|e| panic!("small.yaml: {e}"));
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("small.expected.json")).unwrap_or_default())
            .unwrap_or_else(|e| panic!("small.expected.json: {e}"));
    let report = evaluate(&yaml, &karmada_options()).unwrap_or_else(|e| panic!("{e}")).report();
    assert_eq!(report.resources.len(), 1000);
    let actual = serde_json::to_value(&report).unwrap_or_default();
    let diffs = compare(&expected, &actual, &["policy", "binding", "placement", "error"]);
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}
