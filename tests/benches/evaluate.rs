//! Bench binary: the pipeline's phases on Karmada's benchmark fleets and on hostile inputs, min/median over
//! runs, then the process's peak memory.
//! `cargo bench -p karmada-policy-tests --bench evaluate [-- FILE...]` (defaults: the billion-laughs corpus file
//! and ../shared/bench/{small,medium,large}.yaml when present).
//!
//! Phases: `parse` (text → scenario), `evaluate` (events → claims → bindings → scheduling → Works, the lints),
//! `report` (the compact report serialized as the CLI's `-o json`, into a counting sink), `explain` (one
//! resource's why-trace, the middle one of the report), and `total` (parse + evaluate + report).

use karmada_policy_core::{evaluate_scenario, scenario, Options};
use std::time::{Duration, Instant};

/// The CLI's allocator, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// A writer that only counts bytes.
struct Count(usize);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Times of one run, per phase.
#[derive(Default, Clone, Copy)]
struct Run {
    parse: Duration,
    evaluate: Duration,
    report: Duration,
    explain: Duration,
    resources: usize,
    bytes: usize,
}

fn run(text: &str, options: &Options) -> Run {
    let mut r = Run::default();
    let t = Instant::now();
    let Ok(sc) = scenario::parse(text) else {
        r.parse = t.elapsed();
        return r;
    };
    r.parse = t.elapsed();
    let t = Instant::now();
    let Ok(ev) = evaluate_scenario(&sc, options) else {
        r.evaluate = t.elapsed();
        return r;
    };
    r.evaluate = t.elapsed();
    r.resources = ev.len();
    let t = Instant::now();
    let mut sink = Count(0);
    let _ = serde_json::to_writer_pretty(&mut sink, &ev.report_view(false));
    r.report = t.elapsed();
    r.bytes = sink.0;
    let middle = ev.resources().nth(ev.len() / 2);
    let t = Instant::now();
    if let Some(m) = middle {
        let _ = ev.explain(&m.kind, &m.namespace, &m.name);
    }
    r.explain = t.elapsed();
    // Freeing is not timed (the CLI leaves it to the process's end).
    drop(ev);
    drop(sc);
    r
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<std::path::PathBuf> =
        std::env::args().skip(1).filter(|a| !a.starts_with('-')).map(Into::into).collect();
    if files.is_empty() {
        files.push(root.join("corpus/bad/billion-laughs.yaml"));
        for f in ["small", "medium", "large"] {
            let p = root.join(format!("../../shared/bench/{f}.yaml"));
            if p.exists() {
                files.push(p);
            }
        }
    }
    let options = Options { literal_clusters: true, ..Options::default() };
    println!(
        "{:<24} {:>4} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>11}",
        "input (min of runs, ms)",
        "runs",
        "parse",
        "evaluate",
        "report",
        "total",
        "median",
        "explain",
        "resources",
        "JSON bytes"
    );
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            eprintln!("cannot read {}", f.display());
            continue;
        };
        let runs = if text.len() > 2_000_000 { 3 } else { 5 };
        let all: Vec<Run> = (0..runs).map(|_| run(&text, &options)).collect();
        let min = |f: fn(&Run) -> Duration| all.iter().map(f).min().unwrap_or_default();
        let mut totals: Vec<Duration> = all.iter().map(|r| r.parse + r.evaluate + r.report).collect();
        totals.sort();
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let last = all.last().copied().unwrap_or_default();
        println!(
            "{:<24} {:>4} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>11}",
            name,
            runs,
            ms(min(|r| r.parse)),
            ms(min(|r| r.evaluate)),
            ms(min(|r| r.report)),
            ms(totals.first().copied().unwrap_or_default()),
            ms(totals.get(totals.len() / 2).copied().unwrap_or_default()),
            ms(min(|r| r.explain)),
            last.resources,
            last.bytes
        );
    }
    if let Some(m) = peak_rss_mib() {
        println!("peak RSS of the whole run: {m} MiB");
    }
}
