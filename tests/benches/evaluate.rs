//! Bench binary: parse + evaluate on Karmada's benchmark fleets and on hostile inputs, min/median over runs,
//! and the process's peak memory. `cargo bench -p karmada-policy-tests --bench evaluate [-- FILE...]`
//! (defaults: ../shared/bench/{small,medium,large}.yaml when present, and the billion-laughs corpus file).

use karmada_policy_core::{evaluate, Options};
use std::time::{Duration, Instant};

fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
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
    println!("{:<40} {:>6} {:>12} {:>12} {:>10}", "input", "runs", "min", "median", "resources");
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            eprintln!("cannot read {}", f.display());
            continue;
        };
        let runs = if text.len() > 2_000_000 { 3 } else { 5 };
        let mut times: Vec<Duration> = Vec::new();
        let mut resources = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let r = evaluate(&text, &options);
            times.push(start.elapsed());
            resources = r.map(|r| r.len()).unwrap_or(0);
        }
        times.sort();
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!(
            "{:<40} {:>6} {:>12.1?} {:>12.1?} {:>10}",
            name,
            runs,
            times.first().copied().unwrap_or_default(),
            times.get(times.len() / 2).copied().unwrap_or_default(),
            resources
        );
    }
    if let Some(m) = peak_rss_mib() {
        println!("peak RSS of the whole run: {m} MiB");
    }
}
