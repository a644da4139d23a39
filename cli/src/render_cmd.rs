//! `karmada-policy render <kind>/<name> --cluster <c>`: the YAML a member cluster receives for one resource
//! (replicas revised, Job completions divided, overrides applied, fields Karmada prunes removed), or with
//! `--diff` a unified diff against the template as written.

use karmada_policy_core::report::ResourceResult;
use karmada_policy_core::Evaluation;
use serde_json::Value;
use std::process::ExitCode;

/// The command's arguments.
#[derive(clap::Args)]
pub struct RenderArgs {
    /// `<kind>/<name>`, e.g. `deployment/web`.
    resource: String,
    /// Namespace of the resource (ignored for cluster-scoped resources).
    #[arg(short, long, default_value = "default")]
    namespace: String,
    /// The member cluster whose copy to show.
    #[arg(long)]
    cluster: String,
    /// Print a unified diff from the template to what the cluster receives.
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    common: crate::Common,
}

/// Runs the command: 0 when the cluster receives the resource, 1 when it does not (or the Work could not be
/// built), 2 when the input or the resource is unusable.
pub fn run(args: &RenderArgs) -> ExitCode {
    let Some((kind, name)) = args.resource.split_once('/') else {
        eprintln!("error: resource must be <kind>/<name>, e.g. deployment/web");
        return ExitCode::from(2);
    };
    let (evaluation, _) = match crate::run_eval_with(&args.common, true) {
        Ok(r) => r,
        Err(c) => return c,
    };
    match render(&evaluation, kind, &args.namespace, name, &args.cluster, args.diff) {
        Ok((text, warning)) => {
            if let Some(w) = warning {
                eprintln!("warning: {w}");
            }
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err((code, msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(code)
        }
    }
}

/// The text to print (and a warning), or an exit code and message.
pub fn render(
    evaluation: &Evaluation,
    kind: &str,
    namespace: &str,
    name: &str,
    cluster: &str,
    diff: bool,
) -> Result<(String, Option<String>), (u8, String)> {
    let Some(r) = evaluation.resource(kind, namespace, name) else {
        return Err((2, format!("no resource template {kind}/{name} in namespace {namespace}")));
    };
    let build_error = evaluation
        .explain(kind, namespace, name)
        .and_then(|e| e.overrides.into_iter().find(|o| o.cluster == cluster))
        .and_then(|o| o.error);
    let Some(manifest) = evaluation.manifest(kind, namespace, name, cluster) else {
        return Err((1, not_received(&r, cluster, build_error)));
    };
    let warning = build_error.map(|e| {
        format!(
            "the binding controller cannot rebuild the Work for {cluster}: {e}; showing the Work as Karmada left it"
        )
    });
    let rendered = to_yaml(&manifest);
    if !diff {
        return Ok((rendered, warning));
    }
    let template = to_yaml(evaluation.template(kind, namespace, name).unwrap_or(&Value::Null));
    let who = r.display();
    Ok((unified_diff(&template, &rendered, &format!("template {who}"), &format!("{cluster} {who}"), 3), warning))
}

fn not_received(r: &ResourceResult, cluster: &str, build_error: Option<String>) -> String {
    let who = r.display();
    if let Some(e) = build_error {
        return format!("no Work for {who} in {cluster}: the binding controller cannot build it: {e}");
    }
    if r.binding.is_none() {
        return format!("{who} is not propagated (no policy claims it, so it has no binding)");
    }
    let placement: Vec<&str> = r.placement.iter().map(|p| p.cluster.as_str()).collect();
    if placement.is_empty() {
        format!("{who} is scheduled to no cluster")
    } else {
        format!("{who} is not propagated to {cluster} (placement: {})", placement.join(", "))
    }
}

fn to_yaml(v: &Value) -> String {
    serde_yaml::to_string(v).unwrap_or_else(|e| format!("# cannot render as YAML: {e}\n"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Equal,
    Delete,
    Insert,
}

/// Line operations turning `a` into `b`: common prefix and suffix, and a longest common subsequence of the
/// middle (quadratic, so very large middles are shown as replaced wholesale).
fn line_ops<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(Tag, &'t str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a.iter().rev().zip(b.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
    let am = a.get(prefix..a.len() - suffix).unwrap_or(&[]);
    let bm = b.get(prefix..b.len() - suffix).unwrap_or(&[]);
    let mut ops: Vec<(Tag, &str)> = a.iter().take(prefix).map(|l| (Tag::Equal, *l)).collect();
    if am.len().saturating_mul(bm.len()) <= 4_000_000 {
        // lcs[i * w + j] = LCS length of am[i..] and bm[j..].
        let w = bm.len() + 1;
        let mut lcs = vec![0u32; (am.len() + 1) * w];
        let get = |t: &[u32], i: usize, j: usize| t.get(i * w + j).copied().unwrap_or(0);
        for (i, x) in am.iter().enumerate().rev() {
            for (j, y) in bm.iter().enumerate().rev() {
                let v = if x == y { get(&lcs, i + 1, j + 1) + 1 } else { get(&lcs, i + 1, j).max(get(&lcs, i, j + 1)) };
                if let Some(cell) = lcs.get_mut(i * w + j) {
                    *cell = v;
                }
            }
        }
        let (mut i, mut j) = (0, 0);
        while let (Some(x), Some(y)) = (am.get(i), bm.get(j)) {
            if x == y {
                ops.push((Tag::Equal, x));
                i += 1;
                j += 1;
            } else if get(&lcs, i + 1, j) >= get(&lcs, i, j + 1) {
                ops.push((Tag::Delete, x));
                i += 1;
            } else {
                ops.push((Tag::Insert, y));
                j += 1;
            }
        }
        ops.extend(am.iter().skip(i).map(|l| (Tag::Delete, *l)));
        ops.extend(bm.iter().skip(j).map(|l| (Tag::Insert, *l)));
    } else {
        ops.extend(am.iter().map(|l| (Tag::Delete, *l)));
        ops.extend(bm.iter().map(|l| (Tag::Insert, *l)));
    }
    ops.extend(a.iter().skip(a.len() - suffix).map(|l| (Tag::Equal, *l)));
    ops
}

fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{},0", start.saturating_sub(1)),
        1 => start.to_string(),
        _ => format!("{start},{len}"),
    }
}

/// A unified diff (`diff -u` format) of two texts, with `context` lines around each change.
pub fn unified_diff(a: &str, b: &str, a_name: &str, b_name: &str, context: usize) -> String {
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let ops = line_ops(&al, &bl);
    let changes: Vec<usize> = ops.iter().enumerate().filter(|(_, (t, _))| *t != Tag::Equal).map(|(i, _)| i).collect();
    let mut out = format!("--- {a_name}\n+++ {b_name}\n");
    if changes.is_empty() {
        return out;
    }
    // Hunks: runs of changes closer than 2*context lines apart, padded with context.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &c in &changes {
        let (start, end) = (c.saturating_sub(context), (c + context + 1).min(ops.len()));
        match hunks.last_mut() {
            Some(h) if start <= h.1 => h.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    for (start, end) in hunks {
        let a_before = ops.iter().take(start).filter(|(t, _)| *t != Tag::Insert).count();
        let b_before = ops.iter().take(start).filter(|(t, _)| *t != Tag::Delete).count();
        let hunk = ops.get(start..end).unwrap_or(&[]);
        let a_len = hunk.iter().filter(|(t, _)| *t != Tag::Insert).count();
        let b_len = hunk.iter().filter(|(t, _)| *t != Tag::Delete).count();
        out.push_str(&format!("@@ -{} +{} @@\n", range(a_before + 1, a_len), range(b_before + 1, b_len)));
        for (t, l) in hunk {
            let sign = match t {
                Tag::Equal => ' ',
                Tag::Delete => '-',
                Tag::Insert => '+',
            };
            out.push(sign);
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn diff_format() {
        let a = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let b = "a\nb\nc\nD\ne\nf\ng\nh\ni\n";
        assert_eq!(
            unified_diff(a, b, "x", "y", 1),
            "--- x\n+++ y\n@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n@@ -8 +8,2 @@\n h\n+i\n"
        );
        assert_eq!(unified_diff("", "a\n", "x", "y", 3), "--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n");
        assert_eq!(unified_diff("same\n", "same\n", "x", "y", 3), "--- x\n+++ y\n");
    }
}
