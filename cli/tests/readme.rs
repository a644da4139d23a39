//! Every ```console block of the README runs here against the built binary, so the README cannot drift:
//! `$ karmada-policy …` lines are commands (run from the repository root), the lines after one are what it
//! prints — standard error first, then standard output, as a terminal shows them for these commands. A
//! command line ending in `(excerpt)` shows part of the output: its lines (`...` marks an omission) must
//! appear in the output in that order; any other block must match exactly.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

struct Example {
    line: usize,
    args: Vec<String>,
    excerpt: bool,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_console = false;
    for (i, line) in readme.lines().enumerate() {
        if !in_console {
            in_console = line.trim_end() == "```console";
            continue;
        }
        if line.trim_end() == "```" {
            in_console = false;
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            let (cmd, excerpt) = match cmd.trim_end().strip_suffix("(excerpt)") {
                Some(c) => (c.trim_end(), true),
                None => (cmd.trim_end(), false),
            };
            let mut words = cmd.split_whitespace().map(String::from);
            assert_eq!(words.next().as_deref(), Some("karmada-policy"), "README line {}: {cmd}", i + 1);
            out.push(Example { line: i + 1, args: words.collect(), excerpt, expected: Vec::new() });
        } else {
            let ex = out.last_mut().unwrap_or_else(|| panic!("README line {}: output before any command", i + 1));
            ex.expected.push(line.to_string());
        }
    }
    assert!(!in_console, "README: unterminated console block");
    // A blank line between two commands of one block separates them.
    for ex in &mut out {
        while ex.expected.last().is_some_and(|l| l.is_empty()) {
            ex.expected.pop();
        }
    }
    out
}

#[test]
fn every_readme_console_block_matches_the_binary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 6, "the README's console examples were not found");
    let mut failures = Vec::new();
    for ex in &examples {
        let out =
            Command::new(env!("CARGO_BIN_EXE_karmada-policy")).args(&ex.args).current_dir(&root).output().unwrap();
        let shown = format!("{}{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
        let actual: Vec<&str> = shown.lines().collect();
        if ex.excerpt {
            let mut rest = actual.iter();
            for want in ex.expected.iter().filter(|l| l.trim() != "...") {
                if !rest.any(|l| l == want) {
                    failures.push(format!(
                        "README line {} (`karmada-policy {}`, excerpt): {want:?} not found in order in:\n{shown}",
                        ex.line,
                        ex.args.join(" ")
                    ));
                    break;
                }
            }
        } else if actual != ex.expected.iter().map(String::as_str).collect::<Vec<_>>() {
            failures.push(format!(
                "README line {} (`karmada-policy {}`):\n--- README\n{}\n--- actual\n{shown}",
                ex.line,
                ex.args.join(" "),
                ex.expected.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{} README example(s) drifted:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn excerpts_are_checked_in_order() {
    // The checker itself: a reordered excerpt must fail.
    let readme = "```console\n$ karmada-policy x     (excerpt)\nb\n...\na\n```\n";
    let ex = &examples(readme)[0];
    assert!(ex.excerpt);
    assert_eq!(ex.expected, ["b", "...", "a"]);
    let actual = ["a", "b"];
    let mut rest = actual.iter();
    let found = ex.expected.iter().filter(|l| l.trim() != "...").all(|w| rest.any(|l| l == w));
    assert!(!found);
}
