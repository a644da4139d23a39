//! Shared helpers for the cross-crate tests: loading conformance vectors and comparing results field by field.

use karmada_policy_core::Options;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One conformance vector: the scenario and Karmada's expected output.
pub struct Vector {
    /// File stem, e.g. `seed-migrate-then-nginx__gate-on`.
    pub name: String,
    /// The scenario YAML.
    pub yaml: String,
    /// The expected JSON.
    pub expected: Value,
}

/// The folder of this crate.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads every `*.yaml` + `*.expected.json` pair of a folder, sorted by name.
pub fn load_vectors(dir: &Path) -> Vec<Vector> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let yaml = std::fs::read_to_string(dir.join(format!("{name}.yaml")))
                .unwrap_or_else(|e| panic!("{name}.yaml: {e}"));
            let exp = std::fs::read_to_string(dir.join(format!("{name}.expected.json")))
                .unwrap_or_else(|e| panic!("{name}.expected.json: {e}"));
            let expected = serde_json::from_str(&exp).unwrap_or_else(|e| panic!("{name}.expected.json: {e}"));
            Vector { name, yaml, expected }
        })
        .collect()
}

/// Evaluates the vectors of `dir` whose name starts with one of `prefixes` (the folder must hold `count`
/// vectors) and compares each report with `diff`; returns how many were selected and one entry per failing
/// vector.
pub fn run_vectors(
    dir: &str,
    count: usize,
    prefixes: &[&str],
    diff: impl Fn(&Value, &Value) -> Vec<String>,
) -> (usize, Vec<String>) {
    let vectors = load_vectors(&crate_dir().join(dir));
    assert_eq!(vectors.len(), count, "tests/{dir} must hold the {count} vectors of shared/{dir}");
    let selected: Vec<&Vector> = vectors.iter().filter(|v| prefixes.iter().any(|p| v.name.starts_with(p))).collect();
    assert!(!selected.is_empty());
    let mut failures = Vec::new();
    for v in &selected {
        match karmada_policy_core::evaluate(&v.yaml, &karmada_options()) {
            Ok(r) => {
                let actual = serde_json::to_value(r.report()).unwrap_or_default();
                let diffs = diff(&v.expected, &actual);
                if !diffs.is_empty() {
                    failures.push(format!("{}:\n  {}", v.name, diffs.join("\n  ")));
                }
            }
            Err(e) => failures.push(format!("{}: input error: {e}", v.name)),
        }
    }
    (selected.len(), failures)
}

/// The identity fields of a resource entry.
pub fn identity(r: &Value) -> String {
    format!("{} {} {}/{}", r["apiVersion"], r["kind"], r["namespace"], r["name"])
}

/// Compares the listed fields of every resource; returns one line per difference.
pub fn compare(expected: &Value, actual: &Value, fields: &[&str]) -> Vec<String> {
    let empty = Vec::new();
    let exp = expected["resources"].as_array().unwrap_or(&empty);
    let act = actual["resources"].as_array().unwrap_or(&empty);
    let mut diffs = Vec::new();
    let ids_e: Vec<String> = exp.iter().map(identity).collect();
    let ids_a: Vec<String> = act.iter().map(identity).collect();
    if ids_e != ids_a {
        diffs.push(format!("resources differ:\n    expected {ids_e:?}\n    actual   {ids_a:?}"));
        return diffs;
    }
    for (e, a) in exp.iter().zip(act) {
        for f in fields {
            if e.get(*f).is_none() {
                continue;
            }
            if e[*f] != a[*f] {
                diffs.push(format!("{} .{f}: expected {} got {}", identity(e), e[*f], a[*f]));
            }
        }
    }
    diffs
}

/// Options under which the vectors were produced: Karmada with exactly the Cluster documents given (a scenario
/// without any has no member cluster, where the product otherwise assumes local-up-karmada's member1..3).
pub fn karmada_options() -> Options {
    Options { literal_clusters: true, ..Options::default() }
}
