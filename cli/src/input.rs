//! Reading the scenario: files, directories (optionally recursive), or standard input, joined into one stream.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The built-in seed tutorial scenario (examples/seamless-migration.yaml).
pub const SEED: &str = include_str!("../../examples/seamless-migration.yaml");
/// Its display name.
pub const SEED_NAME: &str = "examples/seamless-migration.yaml (built-in)";

/// One stream made of several sources, with where each source starts.
pub struct Input {
    /// The joined text.
    pub text: String,
    /// (display name, byte offset where it starts, line offset) per source.
    pub sources: Vec<(String, usize, usize)>,
}

impl Input {
    /// A single in-memory source.
    pub fn single(name: &str, text: String) -> Self {
        Input { text, sources: vec![(name.to_string(), 0, 0)] }
    }

    /// Maps a 1-based line of the joined text to (source name, 1-based line within it).
    pub fn locate(&self, line: usize) -> (String, usize) {
        let mut found = ("<input>".to_string(), line);
        for (name, _, first_line) in &self.sources {
            if line > *first_line {
                found = (name.clone(), line - first_line);
            }
        }
        found
    }
}

fn collect(path: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if recursive {
                    collect(&p, recursive, out)?;
                }
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                out.push(p);
            }
        }
        Ok(())
    } else if path.exists() {
        out.push(path.to_path_buf());
        Ok(())
    } else {
        Err(format!("{}: no such file or directory", path.display()))
    }
}

/// Reads the given paths (`-` is standard input) into one stream, documents of later files after earlier ones.
pub fn read(paths: &[String], recursive: bool) -> Result<Input, String> {
    let mut parts: Vec<(String, String)> = Vec::new();
    for p in paths {
        if p == "-" {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("standard input: {e}"))?;
            parts.push(("<stdin>".into(), decode(&buf, "<stdin>")?));
            continue;
        }
        let mut files = Vec::new();
        collect(Path::new(p), recursive, &mut files)?;
        for f in files {
            let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            let name = f.display().to_string();
            let text = decode(&bytes, &name)?;
            parts.push((name, text));
        }
    }
    if parts.is_empty() {
        return Err("no YAML file found in the given paths".into());
    }
    let mut text = String::new();
    let mut sources = Vec::new();
    for (i, (name, t)) in parts.into_iter().enumerate() {
        if i > 0 {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str("---\n");
        }
        let line = text.matches('\n').count();
        sources.push((name, text.len(), line));
        text.push_str(&t);
    }
    Ok(Input { text, sources })
}

/// UTF-8 text, with a clear error naming the first invalid byte's line and column.
fn decode(bytes: &[u8], name: &str) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').unwrap_or(s).to_string()),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or(&[]);
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let col = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            Err(format!("{name}:{line}:{col}: the input is not valid UTF-8 (byte offset {})", e.valid_up_to()))
        }
    }
}
