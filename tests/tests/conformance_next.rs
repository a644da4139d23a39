//! conformance-next (deletions `del-*`, member objects and conflict resolution `mig-*`, overrides `ov-*`):
//! Karmada's own output against the core.

use karmada_policy_core::evaluate;
use karmada_policy_tests::{compare, crate_dir, karmada_options, load_vectors};

fn check(prefixes: &[&str], fields: &[&str]) {
    let vectors = load_vectors(&crate_dir().join("conformance-next"));
    assert_eq!(vectors.len(), 83, "tests/conformance-next must hold the 83 vectors of shared/conformance-next");
    let selected: Vec<_> = vectors.iter().filter(|v| prefixes.iter().any(|p| v.name.starts_with(p))).collect();
    assert!(!selected.is_empty());
    let mut failures = Vec::new();
    for v in &selected {
        match evaluate(&v.yaml, &karmada_options()) {
            Ok(r) => {
                let actual = serde_json::to_value(&r).unwrap_or_default();
                let diffs = compare(&v.expected, &actual, fields);
                if !diffs.is_empty() {
                    failures.push(format!("{}:\n  {}", v.name, diffs.join("\n  ")));
                }
            }
            Err(e) => failures.push(format!("{}: input error: {e}", v.name)),
        }
    }
    println!(
        "conformance-next {prefixes:?} {fields:?}: {}/{} vectors match",
        selected.len() - failures.len(),
        selected.len()
    );
    assert!(failures.is_empty(), "{} vectors differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn policy_and_binding_match_karmada() {
    check(&["del-", "mig-", "ov-"], &["policy", "binding"]);
}

#[test]
fn deletions_and_migration_match_karmada_on_every_field() {
    check(&["del-", "mig-"], &["policy", "binding", "placement", "error", "apply", "fullyApplied"]);
}

#[test]
fn overrides_placement_matches_karmada() {
    check(&["ov-"], &["placement", "error"]);
}
