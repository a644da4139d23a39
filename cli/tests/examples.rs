//! Every scenario under examples/ (the playground's gallery) evaluated by the CLI and compared with its stored
//! golden output in tests/golden/examples/NAME.txt: `evaluate -o wide` and `get rb` (apply results), with exit
//! codes. `UPDATE_GOLDEN=1 cargo test -p karmada-policy-cli --test examples` rewrites the files after a
//! deliberate change; review the diff.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{run, text};
use std::path::Path;

fn golden_of(example: &Path) -> String {
    let file = example.to_str().unwrap();
    let mut out = String::new();
    for args in [vec!["evaluate", "-o", "wide", file], vec!["get", "rb", file]] {
        let o = run(&args, None);
        out.push_str(&format!("$ karmada-policy {}\n", args.join(" ").replace("../", "")));
        out.push_str(&text(&o.stdout));
        out.push_str(&format!("exit: {}\n\n", o.status.code().unwrap_or(-1)));
    }
    out
}

#[test]
fn every_example_matches_its_golden_output() {
    let mut examples: Vec<_> = std::fs::read_dir("../examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 12, "the playground gallery needs at least 12 examples");
    common::check_goldens(
        "tests/golden/examples",
        "examples",
        examples.iter().map(|ex| (ex.file_stem().unwrap().to_str().unwrap().to_string(), golden_of(ex))),
    );
}
