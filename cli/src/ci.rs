//! CI-native output: SARIF 2.1.0 (code scanning) and GitHub Actions workflow commands, for `validate`,
//! `evaluate` and `diff`. Both are built from [`Finding`]s: a diagnostic, a scheduling failure or a diff
//! entry, with the exact region of the text it is about.

use crate::input::Input;
use karmada_policy_core::{Diagnostic, Severity};
use serde_json::{json, Value};

/// Where a finding is: file and 1-based line and column (UTF-16 code units, as SARIF counts by default and
/// editors show), start and end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The source file's display name.
    pub file: String,
    /// Start line.
    pub line: usize,
    /// Start column.
    pub column: usize,
    /// End line.
    pub end_line: usize,
    /// End column (exclusive).
    pub end_column: usize,
}

/// One thing to report to CI.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule id: the lint or diagnostic code (`webhook-denied`, `resource-unmatched`, …).
    pub code: String,
    /// Severity (an info becomes a SARIF `note`, a GitHub `notice`).
    pub severity: Severity,
    /// One-line message.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Where, when known.
    pub region: Option<Region>,
}

impl Finding {
    /// A diagnostic, located in `input`.
    pub fn from_diagnostic(d: &Diagnostic, input: &Input) -> Self {
        let region = d.span.map(|span| {
            let (file, line) = input.locate(span.start.line);
            let column = span.start.column_utf16.max(1);
            let (end_file, end_line) = input.locate(span.end.line);
            // An end in another source, or before the start, collapses to the start.
            let (end_line, end_column) = if end_file == file && (end_line, span.end.column_utf16) >= (line, column) {
                (end_line, span.end.column_utf16)
            } else {
                (line, column)
            };
            Region { file, line, column, end_line, end_column }
        });
        Finding { code: d.code.clone(), severity: d.severity, message: d.message.clone(), help: d.help.clone(), region }
    }
}

/// The minimum severity that fails a run (`--fail-on`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Errors fail the run.
    Error,
    /// Warnings and errors fail the run.
    Warning,
}

impl FailOn {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => matches!(severity, Severity::Error | Severity::Warning),
        }
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF 2.1.0 log with one run of `karmada-policy`: one rule per code (its help from the first finding
/// that has one), one result per finding, regions in UTF-16 code units.
pub fn sarif(findings: &[Finding]) -> Value {
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut rules: Vec<Value> = Vec::new();
    for f in findings {
        if rule_ids.contains(&f.code.as_str()) {
            continue;
        }
        rule_ids.push(&f.code);
        let help =
            findings.iter().filter(|g| g.code == f.code).find_map(|g| g.help.clone()).unwrap_or_else(|| {
                format!("See `karmada-policy validate` and `karmada-policy explain` for {}.", f.code)
            });
        rules.push(json!({
            "id": f.code,
            "name": f.code,
            "shortDescription": { "text": f.code.replace('-', " ") },
            "help": { "text": help },
            "defaultConfiguration": { "level": sarif_level(f.severity) },
        }));
    }
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut r = json!({
                "ruleId": f.code,
                "ruleIndex": rule_ids.iter().position(|c| *c == f.code).unwrap_or(0),
                "level": sarif_level(f.severity),
                "message": { "text": match &f.help {
                    Some(h) => format!("{}\nhelp: {h}", f.message),
                    None => f.message.clone(),
                } },
            });
            if let (Some(reg), Value::Object(m)) = (&f.region, &mut r) {
                m.insert(
                    "locations".into(),
                    json!([{ "physicalLocation": {
                        "artifactLocation": { "uri": uri(&reg.file) },
                        "region": {
                            "startLine": reg.line,
                            "startColumn": reg.column,
                            "endLine": reg.end_line,
                            "endColumn": reg.end_column,
                        },
                    } }]),
                );
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "karmada-policy",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/karmada-io/karmada",
                "rules": rules,
            } },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    })
}

/// A file name as a SARIF artifact URI: relative paths as they are (resolved against the checkout by code
/// scanning), `/` separators, `%`, spaces and `#`/`?` escaped.
fn uri(file: &str) -> String {
    let file = file.replace('\\', "/");
    let file = file.strip_prefix("./").unwrap_or(&file);
    let mut out = String::new();
    for c in file.chars() {
        match c {
            '%' => out.push_str("%25"),
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            _ => out.push(c),
        }
    }
    out
}

/// GitHub Actions workflow commands, one line per finding: `::error file=F,line=L,col=C,endLine=…,
/// endColumn=…,title=code::message`, escaped as the runner expects (`%`, CR, LF in both; `:` and `,` in
/// properties).
pub fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(r) = &f.region {
            props.push(format!("file={}", escape_property(&r.file)));
            props.push(format!("line={}", r.line));
            props.push(format!("col={}", r.column));
            props.push(format!("endLine={}", r.end_line));
            props.push(format!("endColumn={}", r.end_column));
        }
        props.push(format!("title={}", escape_property(&format!("karmada-policy {}", f.code))));
        let message = match &f.help {
            Some(h) => format!("{}\nhelp: {h}", f.message),
            None => f.message.clone(),
        };
        out.push_str(&format!("::{level} {}::{}\n", props.join(","), escape_data(&message)));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_data_and_properties() {
        let f = Finding {
            code: "x-y".into(),
            severity: Severity::Warning,
            message: "50% of a,b: c".into(),
            help: Some("do\nthis".into()),
            region: Some(Region { file: "a,b:c.yaml".into(), line: 3, column: 5, end_line: 3, end_column: 9 }),
        };
        assert_eq!(
            github(&[f]),
            "::warning file=a%2Cb%3Ac.yaml,line=3,col=5,endLine=3,endColumn=9,title=karmada-policy x-y::50%25 of a,b: c%0Ahelp: do%0Athis\n"
        );
    }

    #[test]
    fn sarif_uris_are_escaped() {
        assert_eq!(uri("./a b/c%.yaml"), "a%20b/c%25.yaml");
    }
}
