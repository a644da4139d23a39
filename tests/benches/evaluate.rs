//! Bench binary: the pipeline's phases on Karmada's benchmark fleets and on hostile inputs, min/median over
//! runs, then the process's peak memory.
//! `cargo bench -p karmada-policy-tests --bench evaluate [-- FILE...]` (defaults: the billion-laughs corpus file
//! and ../shared/bench/{small,medium,large}.yaml when present); `-- --scaling` for the scaling series.
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

/// The documents of a bench fleet: the header comments, then Clusters, policies and templates.
struct Fleet<'t> {
    header: &'t str,
    clusters: Vec<&'t str>,
    policies: Vec<&'t str>,
    templates: Vec<&'t str>,
}

impl<'t> Fleet<'t> {
    fn split(text: &'t str) -> Self {
        let body_start = text.find("\napiVersion").map_or(0, |i| i + 1);
        let (header, body) = text.split_at(body_start);
        let mut f = Fleet { header, clusters: Vec::new(), policies: Vec::new(), templates: Vec::new() };
        for doc in body.split("\n---\n") {
            if doc.contains("\nkind: Cluster\n") {
                f.clusters.push(doc);
            } else if doc.contains("kind: PropagationPolicy\n") || doc.contains("kind: ClusterPropagationPolicy\n") {
                f.policies.push(doc);
            } else {
                f.templates.push(doc);
            }
        }
        f
    }

    /// The fleet with `clusters` Clusters and `resources` templates: the originals first, then copies with a
    /// suffix on the name (and uid) — the same policy set throughout.
    fn scaled(&self, clusters: usize, resources: usize) -> String {
        fn copy(doc: &str, round: usize, suffix: &str) -> String {
            if round == 0 {
                return doc.to_string();
            }
            let mut out = String::with_capacity(doc.len() + 16);
            let mut renamed = false;
            for line in doc.split_inclusive('\n') {
                let bare = line.trim_end();
                if (!renamed && bare.starts_with("  name: ")) || bare.starts_with("  uid: ") {
                    renamed |= bare.starts_with("  name: ");
                    out.push_str(bare);
                    out.push_str(&format!("-{suffix}{round}\n"));
                } else {
                    out.push_str(line);
                }
            }
            out
        }
        let mut docs: Vec<String> = Vec::new();
        let pick = |list: &[&str], n: usize, suffix: &str, docs: &mut Vec<String>| {
            for i in 0..n {
                if let Some(d) = list.get(i % list.len().max(1)) {
                    docs.push(copy(d, i / list.len().max(1), suffix));
                }
            }
        };
        pick(&self.clusters, clusters, "b", &mut docs);
        docs.extend(self.policies.iter().map(|p| p.to_string()));
        pick(&self.templates, resources, "r", &mut docs);
        format!("{}{}\n", self.header, docs.join("\n---\n").trim_end())
    }
}

/// `--scaling`: the large fleet's policy set with 1k, 10k and 50k resources (100 clusters), and with 100 and
/// 500 clusters (10k resources): cost per resource and per cluster should stay flat.
fn scaling(root: &std::path::Path, options: &Options) {
    let Ok(text) = std::fs::read_to_string(root.join("../../shared/bench/large.yaml")) else {
        eprintln!("--scaling needs ../shared/bench/large.yaml");
        return;
    };
    let fleet = Fleet::split(&text);
    println!("{:<28} {:>9} {:>9} {:>9} {:>12}", "variant (min of 2, ms)", "parse", "evaluate", "total", "µs/resource");
    for (clusters, resources) in [(100, 1_000), (100, 10_000), (100, 50_000), (500, 10_000)] {
        let input = fleet.scaled(clusters, resources);
        let all: Vec<Run> = (0..2).map(|_| run(&input, options)).collect();
        let best = all.iter().min_by_key(|r| r.parse + r.evaluate + r.report).copied().unwrap_or_default();
        let total = best.parse + best.evaluate + best.report;
        let label = format!("{clusters} clusters, {resources} res.");
        let per = total.as_secs_f64() * 1e6 / resources as f64;
        println!("{label:<28} {:>9} {:>9} {:>9} {per:>12.1}", ms(best.parse), ms(best.evaluate), ms(total));
        if best.resources != resources {
            eprintln!("warning: {label}: {} resources evaluated", best.resources);
        }
    }
}

fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let options = Options { literal_clusters: true, ..Options::default() };
    if std::env::args().any(|a| a == "--scaling") {
        scaling(&root, &options);
        return;
    }
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
