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
