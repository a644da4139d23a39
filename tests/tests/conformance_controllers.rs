//! conformance-controllers (dependencies distributor `deps-*`, suspension `susp-*`, preserveResourcesOnDeletion
//! `pres-*`, schedulerName `sched-*`, detector retries `retry-*`, input fidelity `input-*`): Karmada's own
//! output against the core, on every field the expected JSON has (the optional `members` included).

use karmada_policy_tests::{compare, run_vectors};

/// Every per-resource field a vector of this set can have.
const ALL_FIELDS: &[&str] =
    &["policy", "binding", "placement", "error", "apply", "fullyApplied", "overrides", "members"];

fn check(prefixes: &[&str]) {
    let (selected, failures) = run_vectors("conformance-controllers", 37, prefixes, |expected, actual| {
        let mut diffs = compare(expected, actual, ALL_FIELDS);
        diffs.extend(presence_diffs(expected, actual));
        diffs
    });
    println!(
        "conformance-controllers {prefixes:?}: {}/{selected} vectors match on every field",
        selected - failures.len()
    );
    assert!(failures.is_empty(), "{} vectors differ:\n{}", failures.len(), failures.join("\n"));
}

/// The optional blocks are present in the output exactly when the expected JSON has them.
fn presence_diffs(expected: &serde_json::Value, actual: &serde_json::Value) -> Vec<String> {
    let empty = Vec::new();
    let exp = expected["resources"].as_array().unwrap_or(&empty);
    let act = actual["resources"].as_array().unwrap_or(&empty);
    let mut diffs = Vec::new();
    for (e, a) in exp.iter().zip(act) {
        for f in ["apply", "fullyApplied", "overrides", "members"] {
            if e.get(f).is_some() != a.get(f).is_some() {
                diffs.push(format!("{} .{f}: presence differs", karmada_policy_tests::identity(e)));
            }
        }
    }
    diffs
}

#[test]
fn dependencies_distributor_matches_karmada() {
    check(&["deps-"]);
}

#[test]
fn suspension_matches_karmada() {
    check(&["susp-"]);
}

#[test]
fn preserve_resources_on_deletion_matches_karmada() {
    check(&["pres-"]);
}

#[test]
fn scheduler_name_matches_karmada() {
    check(&["sched-"]);
}

#[test]
fn detector_retries_match_karmada() {
    check(&["retry-"]);
}

#[test]
fn list_documents_and_pruned_nulls_match_karmada() {
    check(&["input-"]);
}
