//! The regression corpus of bad inputs (tests/corpus/bad): each is refused with a clear message naming the
//! document and line, with exit code 2 (unreadable input) or 1 (read, but Kubernetes/Karmada refuses a document), and
//! never a panic. tests/corpus/good holds odd-but-valid encodings (BOM, CRLF, JSON) that must evaluate.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn corpus(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus").join(sub)
}

fn run(path: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_karmada-policy"))
        .args(["evaluate", &path.to_string_lossy()])
        .output()
        .unwrap_or_else(|e| panic!("spawn: {e}"))
}

fn check(path: &std::path::Path, code: i32, needles: &[&str]) {
    let out = run(path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{}: exit code\n{stderr}", path.display());
    assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
    for n in needles {
        assert!(stderr.contains(n), "{}: expected {n:?} in\n{stderr}", path.display());
    }
}

#[test]
fn every_bad_input_gets_a_clear_error() {
    let cases: &[(&str, i32, &[&str])] = &[
        ("syntax-error.yaml", 2, &["document 1, line 5:1", "syntax-error.yaml:5:1"]),
        (
            "wrong-type.yaml",
            1,
            &[
                "error[apiserver-rejected]: The PropagationPolicy \"p\" is invalid: spec.priority: Invalid value: \"string\": spec.priority in body must be of type integer: \"string\"",
                "wrong-type.yaml:5:3",
            ],
        ),
        ("missing-name.yaml", 2, &["document 1", "metadata.name is required"]),
        ("duplicate-keys.yaml", 2, &["document 1, line 6:3", "mapping key \"k\" already defined"]),
        (
            "invalid-label-selector-operator.yaml",
            1,
            &["error[invalid-label-selector]", "invalid-label-selector-operator.yaml:8:5"],
        ),
        (
            "negative-replicas.yaml",
            1,
            &["spec.replicas: Invalid value: -3: must be greater than or equal to 0", "negative-replicas.yaml:5:3"],
        ),
        ("huge-replicas.yaml", 1, &["Invalid value: 99999999999", "huge-replicas.yaml:5:3"]),
        ("zero-weight.yaml", 1, &["should be greater than or equal to 1", "zero-weight.yaml:12:54"]),
        (
            "min-greater-than-max-groups.yaml",
            1,
            &["maxGroups lower than minGroups is not allowed", "min-greater-than-max-groups.yaml:9:7"],
        ),
        ("empty-documents.yaml", 2, &["error[empty-input]"]),
        ("not-an-object.yaml", 2, &["document 2, line 5:1", "must be a Kubernetes object"]),
        ("tab-indentation.yaml", 2, &["document 1, line 4:1"]),
        ("billion-laughs.yaml", 2, &["document 1", "repetition limit exceeded"]),
        ("deep-nesting.yaml", 2, &["document 1", "recursion limit exceeded"]),
    ];
    let dir = corpus("bad");
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(files, cases.len(), "every corpus file has an expectation");
    for (file, code, needles) in cases {
        check(&dir.join(file), *code, needles);
    }
}

#[test]
fn odd_but_valid_encodings_evaluate() {
    for entry in std::fs::read_dir(corpus("good")).unwrap() {
        let path = entry.unwrap().path();
        let out = run(&path);
        assert_eq!(out.status.code(), Some(0), "{}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("ConfigMap"), "{}", path.display());
    }
}

#[test]
fn fuzz_regressions_never_crash() {
    for entry in std::fs::read_dir(corpus("fuzz-regressions")).unwrap() {
        let path = entry.unwrap().path();
        let out = run(&path);
        assert!(matches!(out.status.code(), Some(0..=2)), "{}: {:?}", path.display(), out.status);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

#[test]
fn non_utf8_and_oversized_inputs_are_refused() {
    let dir = std::env::temp_dir().join(format!("karmada-policy-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("latin1.yaml");
    std::fs::write(&bin, b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n").unwrap();
    check(&bin, 2, &["latin1.yaml:3:21", "not valid UTF-8"]);
    let big = dir.join("forty-megabytes.yaml");
    let doc =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm}}\ndata: {{k: {}}}\n---\n", "x".repeat(1000));
    std::fs::write(&big, doc.repeat(40 * 1024 * 1024 / doc.len() + 1)).unwrap();
    check(&big, 2, &["error[input-too-large]", "document 1, line 1:1", "over the 32 MiB budget"]);
    let _ = std::fs::remove_dir_all(&dir);
}
