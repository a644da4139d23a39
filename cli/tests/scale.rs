//! The CLI on a fleet: the compact report (no per-resource explanation unless asked), explanations on demand,
//! and diagnostics grouped per code in text output.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{run, text};

/// Eight ConfigMaps no policy matches: eight `resource-unmatched` warnings.
fn unmatched(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}}}\n"));
    }
    s.push_str(
        "---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: pp}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n  placement: {clusterAffinity: {clusterNames: [member1]}}\n",
    );
    s
}

#[test]
fn text_diagnostics_show_three_per_code_and_count_the_rest() {
    let out = run(&["evaluate", "-"], Some(&unmatched(8)));
    let err = text(&out.stderr);
    assert_eq!(err.matches("warning[resource-unmatched]").count(), 3, "{err}");
    assert!(
        err.contains("… and 5 more resource-unmatched warnings (karmada-policy validate -o json lists them all)"),
        "{err}"
    );
    // validate's text groups too; its JSON keeps every one.
    let out = run(&["validate", "-"], Some(&unmatched(8)));
    let shown = text(&out.stdout);
    assert_eq!(shown.matches("warning[resource-unmatched]").count(), 3, "{shown}");
    assert!(shown.contains("… and 5 more resource-unmatched warnings"), "{shown}");
    let out = run(&["validate", "-o", "json", "-"], Some(&unmatched(8)));
    let v: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let n = v["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "resource-unmatched").count();
    assert_eq!(n, 8);
    // Three of a code: no summary line.
    let out = run(&["evaluate", "-"], Some(&unmatched(3)));
    assert!(!text(&out.stderr).contains("more resource-unmatched"), "{}", text(&out.stderr));
}

#[test]
fn the_json_report_is_compact_and_explain_is_on_demand() {
    let out = run(&["evaluate", "-o", "json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let resources = v["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 4);
    assert!(resources.iter().all(|r| r.get("explain").is_none()), "no per-resource explanation by default");
    assert!(v["timeline"].as_array().is_some_and(|t| !t.is_empty()), "the timeline once, for the stream");
    let out = run(&["evaluate", "-o", "json", "--explain"], None);
    let v: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let nginx = v["resources"].as_array().unwrap().iter().find(|r| r["name"] == "nginx-deploy").unwrap().clone();
    assert_eq!(nginx["explain"]["policies"][0]["policy"]["name"], "nginx-pp");
    assert_eq!(nginx["explain"]["scheduler"]["outcome"], "scheduled");
    // One resource's explanation equals its block in the --explain report.
    let out = run(&["explain", "deployment/nginx-deploy", "-o", "json"], None);
    let one: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(one, nginx);
}
