//! Reading the scenario: files, directories (optionally recursive), standard input, or the same paths at a git
//! revision, joined into one stream. JSON streams (several top-level values, as `jq -c` prints them) become
//! YAML documents.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

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
    /// 1-based lines of the joined text that no source has: the `---` put between the objects of a JSON
    /// stream (sorted).
    pub inserted: Vec<usize>,
}

impl Input {
    /// A single in-memory source.
    pub fn single(name: &str, text: String) -> Self {
        Input { text, sources: vec![(name.to_string(), 0, 0)], inserted: Vec::new() }
    }

    /// Maps a 1-based line of the joined text to (source name, 1-based line within it).
    pub fn locate(&self, line: usize) -> (String, usize) {
        let mut found = ("<input>".to_string(), line, 0);
        for (name, _, first_line) in &self.sources {
            if line > *first_line {
                found = (name.clone(), line - first_line, *first_line);
            }
        }
        let (name, within, first_line) = found;
        let inserted = self.inserted.iter().filter(|l| **l > first_line && **l < line).count();
        (name, within - inserted)
    }

    /// Joins named texts into one stream, a `---` between two sources.
    fn join(parts: Vec<(String, Decoded)>) -> Self {
        let mut text = String::new();
        let mut sources = Vec::new();
        let mut inserted = Vec::new();
        for (i, (name, t)) in parts.into_iter().enumerate() {
            if i > 0 {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str("---\n");
            }
            let line = text.matches('\n').count();
            sources.push((name, text.len(), line));
            inserted.extend(t.inserted.iter().map(|l| line + l));
            text.push_str(&t.text);
        }
        Input { text, sources, inserted }
    }
}

/// Whether a directory entry is a scenario file.
fn is_scenario_file(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
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
            } else if is_scenario_file(&p) {
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
    let mut parts: Vec<(String, Decoded)> = Vec::new();
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
    Ok(Input::join(parts))
}

/// Runs `git` with `args` in the current directory; its standard output, or a message with its stderr.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out =
        Command::new("git").args(args).output().map_err(|e| format!("cannot run git (needed for --base-rev): {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// The git object name of `path` at `rev`: `rev:./path` for a relative path (git resolves it against the
/// current directory), `rev:path-from-the-top` for an absolute one.
fn object_name(rev: &str, path: &str) -> Result<String, String> {
    let p = Path::new(path);
    if p.is_absolute() {
        let top = String::from_utf8_lossy(&git(&["rev-parse", "--show-toplevel"])?).trim().to_string();
        let top = std::fs::canonicalize(&top).unwrap_or_else(|_| PathBuf::from(&top));
        let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let rel = abs.strip_prefix(&top).map_err(|_| format!("{path}: outside the git work tree {}", top.display()))?;
        Ok(format!("{rev}:{}", rel.display()))
    } else {
        Ok(format!("{rev}:./{}", path.trim_start_matches("./")))
    }
}

/// Reads the same paths as [`read`] as they are at git revision `rev` (with the `git` binary: `git cat-file`,
/// `git ls-tree`, `git show`). A path that does not exist at `rev` contributes nothing (a file the change
/// adds); `None` when none of them exists there (the base is empty).
pub fn read_rev(rev: &str, paths: &[String], recursive: bool) -> Result<Option<Input>, String> {
    git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .map_err(|_| format!("--base-rev {rev}: not a commit of the git repository here"))?;
    let mut parts: Vec<(String, Decoded)> = Vec::new();
    for p in paths {
        if p == "-" {
            return Err("--base-rev cannot read standard input at a revision: give the paths".into());
        }
        let object = object_name(rev, p)?;
        let Ok(kind) = git(&["cat-file", "-t", &object]) else { continue };
        let mut files: Vec<String> = Vec::new();
        if kind.starts_with(b"tree") {
            let dir = format!("{}/", p.trim_end_matches('/'));
            let mut args = vec!["ls-tree", "--name-only"];
            if recursive {
                args.push("-r");
            }
            args.extend([rev, "--", dir.as_str()]);
            let listing = git(&args)?;
            let mut names: Vec<String> = String::from_utf8_lossy(&listing)
                .lines()
                .filter(|l| is_scenario_file(Path::new(l)))
                .map(String::from)
                .collect();
            names.sort();
            // Non-recursive listings also name subdirectories: keep blobs only.
            for n in names {
                if git(&["cat-file", "-t", &object_name(rev, &n)?]).is_ok_and(|k| k.starts_with(b"blob")) {
                    files.push(n);
                }
            }
        } else {
            files.push(p.clone());
        }
        for f in files {
            let bytes = git(&["show", &object_name(rev, &f)?])?;
            let name = format!("{rev}:{f}");
            let text = decode(&bytes, &name)?;
            parts.push((name, text));
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some(Input::join(parts)))
}

/// A source's text and the 1-based lines in it that the source does not have (see [`json_stream`]).
struct Decoded {
    text: String,
    inserted: Vec<usize>,
}

/// UTF-8 text, with a clear error naming the first invalid byte's line and column; a JSON stream made YAML.
fn decode(bytes: &[u8], name: &str) -> Result<Decoded, String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            let (text, inserted) = json_stream(s.strip_prefix('\u{feff}').unwrap_or(s));
            Ok(Decoded { text, inserted })
        }
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or(&[]);
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let col = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            Err(format!("{name}:{line}:{col}: the input is not valid UTF-8 (byte offset {})", e.valid_up_to()))
        }
    }
}

/// A text of several top-level JSON objects (`{…}\n{…}`, as `jq -c` prints them) as YAML documents (a JSON
/// object is a YAML flow mapping): a `---` line before every object after the first, and the 1-based lines
/// of the result that are those separators (so that positions are mapped back to the source's lines). Any
/// other text is returned as it is.
pub fn json_stream(text: &str) -> (String, Vec<usize>) {
    let unchanged = || (text.to_string(), Vec::new());
    if !text.trim_start().starts_with('{') {
        return unchanged();
    }
    // Top-level object starts after the first, found outside strings.
    // Only whitespace may stand between two values: anything else is YAML (`---`, `key: {…}`), left alone.
    let mut starts = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut seen_first) = (0usize, false, false, false);
    let mut closed_at = 0;
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => {
                if depth == 0 {
                    if seen_first {
                        if c != '{' || !text.get(closed_at..i).unwrap_or("x").trim().is_empty() {
                            return unchanged();
                        }
                        starts.push(i);
                    }
                    seen_first = true;
                }
                depth += 1;
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    closed_at = i + 1;
                }
            }
            _ if depth == 0 && !c.is_whitespace() => return unchanged(),
            _ => {}
        }
    }
    if starts.is_empty() {
        return unchanged();
    }
    let mut out = String::with_capacity(text.len() + 5 * starts.len());
    let mut inserted = Vec::new();
    let mut last = 0;
    for s in starts {
        let before = text.get(last..s).unwrap_or("");
        // The object's own line, up to it, stays on that line after the separator.
        let (head, indent) = match before.rfind('\n') {
            Some(nl) => before.split_at(nl + 1),
            None => (before, ""),
        };
        out.push_str(head);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("---\n");
        inserted.push(out.matches('\n').count());
        out.push_str(indent);
        last = s;
    }
    out.push_str(text.get(last..).unwrap_or(""));
    (out, inserted)
}

#[cfg(test)]
mod tests {
    use super::json_stream;

    fn text(s: &str) -> String {
        json_stream(s).0
    }

    #[test]
    fn json_streams_become_documents() {
        assert_eq!(
            json_stream("{\"a\": \"}{\"}\n{\"b\": 1}\n"),
            ("{\"a\": \"}{\"}\n---\n{\"b\": 1}\n".into(), vec![2])
        );
        assert_eq!(json_stream("{}\n  {}\n{}"), ("{}\n---\n  {}\n---\n{}".into(), vec![2, 4]));
        assert_eq!(text("{\"a\": {\"b\": [1]}}\n"), "{\"a\": {\"b\": [1]}}\n");
        assert_eq!(text("a: {b: 1}\n"), "a: {b: 1}\n");
        assert_eq!(text("{}{}"), "{}\n---\n{}");
        // YAML that starts with a flow mapping is left alone.
        assert_eq!(text("{a: 1}\n---\nb: {c: 2}\n"), "{a: 1}\n---\nb: {c: 2}\n");
    }

    #[test]
    fn positions_after_a_separator_map_to_the_source_lines() {
        let (text, inserted) = json_stream("{}\n{}\n{\n}\n");
        let input = super::Input::join(vec![
            ("a.yaml".into(), super::Decoded { text: "x: 1\n".into(), inserted: vec![] }),
            ("s.json".into(), super::Decoded { text, inserted }),
        ]);
        // Joined: x: 1 / --- / {} / --- / {} / --- / { / }
        assert_eq!(input.locate(1), ("a.yaml".into(), 1));
        assert_eq!(input.locate(3), ("s.json".into(), 1));
        assert_eq!(input.locate(5), ("s.json".into(), 2));
        assert_eq!(input.locate(8), ("s.json".into(), 4));
    }
}
