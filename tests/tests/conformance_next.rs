//! conformance-next (deletions `del-*`, member objects and conflict resolution `mig-*`, overrides `ov-*`):
//! Karmada's own output against the core.

use karmada_policy_core::evaluate;
use karmada_policy_tests::{compare, crate_dir, karmada_options, load_vectors, run_vectors};

fn check(prefixes: &[&str], fields: &[&str]) {
    let (selected, failures) =
        run_vectors("conformance-next", 83, prefixes, |expected, actual| compare(expected, actual, fields));
    println!("conformance-next {prefixes:?} {fields:?}: {}/{selected} vectors match", selected - failures.len());
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

#[test]
fn overrides_match_karmada_on_every_field() {
    check(&["ov-"], &["policy", "binding", "placement", "error", "overrides", "apply", "fullyApplied"]);
}

/// The `overrides` block is present exactly when the scenario has an override policy document, and every
/// override policy the vectors' headers note as rejected is denied with Karmada's message.
#[test]
fn override_block_presence_and_webhook_denials_match_karmada() {
    let vectors = load_vectors(&crate_dir().join("conformance-next"));
    let mut checked_notes = 0;
    for v in &vectors {
        let r = evaluate(&v.yaml, &karmada_options()).unwrap_or_else(|e| panic!("{}: {e}", v.name)).report();
        let actual = serde_json::to_value(&r).unwrap_or_default();
        let empty = Vec::new();
        let exp = v.expected["resources"].as_array().unwrap_or(&empty);
        let act = actual["resources"].as_array().unwrap_or(&empty);
        assert_eq!(exp.len(), act.len(), "{}", v.name);
        for (e, a) in exp.iter().zip(act) {
            assert_eq!(
                e.get("overrides").is_some(),
                a.get("overrides").is_some(),
                "{}: presence of `overrides` differs",
                v.name
            );
        }
        assert_eq!(v.name.starts_with("ov-"), exp.iter().all(|e| e.get("overrides").is_some()) && !exp.is_empty());
        for line in v.yaml.lines().take_while(|l| l.starts_with('#')) {
            let Some(note) = line.strip_prefix("# note: ") else { continue };
            let Some((who, rest)) = note.split_once(" rejected: ") else { continue };
            let msg = rest.trim_end_matches(" (Karmada admission webhook; the policy is never created)");
            let webhook = if who.starts_with("ClusterOverridePolicy") {
                "clusteroverridepolicy.karmada.io"
            } else {
                "overridepolicy.karmada.io"
            };
            let want = format!("admission webhook \"{webhook}\" denied the request: {msg}");
            // Karmada's JSON pointer error is two lines (errors.Join); the note keeps the first.
            let found = r
                .diagnostics
                .iter()
                .any(|d| d.code == "webhook-denied" && d.message.lines().next() == Some(want.as_str()));
            assert!(found, "{}: no denial {want:?} in {:#?}", v.name, r.diagnostics);
            checked_notes += 1;
        }
    }
    assert_eq!(checked_notes, 5, "the five rejected override policies of the ov- vectors");
}
