//! Helpers shared by the CLI's integration tests: run the built binary with arguments and standard input.
#![allow(clippy::panic, dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `karmada-policy` with `args`, feeding `stdin` when given.
pub fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_karmada-policy"));
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).stdin(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn: {e}"));
    if let Some(mut pipe) = child.stdin.take() {
        if let Some(text) = stdin {
            // A usage error exits before reading standard input: a broken pipe is expected then.
            if let Err(e) = pipe.write_all(text.as_bytes()) {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "stdin: {e}");
            }
        }
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("wait: {e}"))
}

/// Lossy UTF-8 of captured output.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Compares each `(name, got)` with `dir/name.txt`, or rewrites the files when `UPDATE_GOLDEN` is set; panics
/// with every difference at once.
pub fn check_goldens(dir: &str, what: &str, cases: impl IntoIterator<Item = (String, String)>) {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for (name, got) in cases {
        let golden = std::path::Path::new(dir).join(format!("{name}.txt"));
        if update {
            std::fs::write(&golden, &got).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
        if got != want {
            failures.push(format!("{name}:\n--- want\n{want}\n+++ got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{what} differ from their golden output:\n{}", failures.join("\n"));
}
