//! Human output: kubectl-like tables, rustc-like diagnostics, the why-trace and the timeline.

use crate::input::Input;
use karmada_policy_core::diagnostic::SourceMap;
use karmada_policy_core::report::{Report, ResourceResult};
use karmada_policy_core::Diagnostic;

/// Left-aligned columns separated by three spaces, like kubectl.
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            if i + 1 == r.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}   "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn policy_cell(r: &ResourceResult) -> String {
    match &r.policy {
        Some(p) => format!("{}/{}", p.kind, p.name),
        None => "<none>".into(),
    }
}

/// The default and `-o wide` resource tables.
pub fn resources(report: &Report, wide: bool) -> String {
    let mut rows = vec![if wide {
        vec!["NAMESPACE", "NAME", "KIND", "POLICY", "BINDING", "CLUSTERS", "REPLICAS", "ERROR"]
    } else {
        vec!["NAMESPACE", "NAME", "KIND", "POLICY", "CLUSTERS"]
    }
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>()];
    for r in &report.resources {
        let clusters = if r.placement.is_empty() {
            "<none>".to_string()
        } else {
            r.placement.iter().map(|p| p.cluster.as_str()).collect::<Vec<_>>().join(",")
        };
        let ns = if r.namespace.is_empty() { "<cluster>".to_string() } else { r.namespace.clone() };
        let mut row = vec![ns, r.name.clone(), r.kind.clone(), policy_cell(r)];
        if wide {
            row.push(r.binding.clone().unwrap_or_else(|| "<none>".into()));
            row.push(clusters);
            row.push(if r.placement.is_empty() {
                "<none>".into()
            } else {
                r.placement.iter().map(|p| format!("{}:{}", p.cluster, p.replicas)).collect::<Vec<_>>().join(",")
            });
            row.push(r.error.clone().unwrap_or_else(|| "<none>".into()));
        } else {
            row.push(clusters);
        }
        rows.push(row);
    }
    table(&rows)
}

/// One diagnostic as rustc/miette print it: header, `--> file:line:col`, the source line, a caret, help.
pub fn diagnostic(d: &Diagnostic, input: &Input) -> String {
    let mut out = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message);
    if let Some(span) = d.span {
        let map = SourceMap::new(&input.text);
        let (file, line) = input.locate(span.start.line);
        let src = map.line_text(span.start.line);
        let gutter = line.to_string().len();
        out.push_str(&format!("{:gutter$}--> {file}:{line}:{}\n", "", span.start.column));
        out.push_str(&format!("{:gutter$} |\n", ""));
        out.push_str(&format!("{line} | {src}\n"));
        let caret_pad: String = src
            .chars()
            .take(span.start.column_utf16.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!("{:gutter$} | {caret_pad}^\n", ""));
    } else if let Some(doc) = d.document {
        out.push_str(&format!("  = in document {doc}\n"));
    }
    if let Some(h) = &d.help {
        out.push_str(&format!("  = help: {h}\n"));
    }
    out
}

/// The why-trace of one resource.
pub fn explain(r: &ResourceResult) -> String {
    let mut out = String::new();
    let ns = if r.namespace.is_empty() { String::new() } else { format!("{}/", r.namespace) };
    out.push_str(&format!("{} {}{} ({})\n", r.kind, ns, r.name, r.api_version));
    out.push_str(&format!(
        "  policy:    {}\n",
        r.policy
            .as_ref()
            .map(|p| format!(
                "{} {}{}",
                p.kind,
                if p.namespace.is_empty() { String::new() } else { format!("{}/", p.namespace) },
                p.name
            ))
            .unwrap_or_else(|| "<none> (unclaimed)".into())
    ));
    out.push_str(&format!(
        "  binding:   {}\n",
        match (&r.binding_kind, &r.binding) {
            (Some(k), Some(b)) => format!("{k} {b}"),
            _ => "<none>".into(),
        }
    ));
    out.push_str(&format!(
        "  placement: {}\n",
        if r.placement.is_empty() {
            "<none>".into()
        } else {
            r.placement.iter().map(|p| format!("{}:{}", p.cluster, p.replicas)).collect::<Vec<_>>().join(", ")
        }
    ));
    if let Some(e) = &r.error {
        out.push_str(&format!("  error:     {e}\n"));
    }
    out.push_str("\nPolicies considered:\n");
    let mut rows = vec![["POLICY", "PRIORITY", "MATCH", "PREEMPTION", "VERDICT", "WHY"].map(String::from).to_vec()];
    for v in &r.explain.policies {
        let name = format!("{}/{}", v.policy.kind, v.policy.name);
        let m = match v.implicit_priority {
            3 => "name",
            2 => "labelSelector",
            1 => "kind",
            _ => "-",
        };
        rows.push(vec![
            name,
            v.priority.to_string(),
            m.into(),
            if v.preemption { "Always".into() } else { "Never".into() },
            v.verdict.clone(),
            v.reason.clone(),
        ]);
    }
    if rows.len() == 1 {
        out.push_str("  (no policy in scope)\n");
    } else {
        for l in table(&rows).lines() {
            out.push_str(&format!("  {l}\n"));
        }
    }
    out.push_str("\nWhat happened:\n");
    for e in &r.explain.events {
        out.push_str(&format!("  [doc {}] {:?}: {}\n", e.document, e.kind, e.message));
    }
    if let Some(s) = &r.explain.scheduler {
        out.push_str("\nClusters:\n");
        let v = serde_json::to_value(s).unwrap_or_default();
        out.push_str(&crate::render::scheduler_table(&v));
    }
    out
}

/// Renders the scheduler explanation: one row per cluster with each filter verdict.
pub fn scheduler_table(v: &serde_json::Value) -> String {
    let mut out = String::new();
    let Some(clusters) = v.get("clusters").and_then(|c| c.as_array()) else {
        return "  (no per-cluster detail)\n".into();
    };
    let mut rows = vec![["CLUSTER", "FILTERS", "AVAILABLE", "SELECTED", "REPLICAS"].map(String::from).to_vec()];
    for c in clusters {
        let name = c.get("name").and_then(|n| n.as_str()).unwrap_or("?").to_string();
        let filters = c
            .get("filters")
            .and_then(|f| f.as_array())
            .map(|fs| {
                let failed: Vec<String> = fs
                    .iter()
                    .filter(|f| f.get("passed").and_then(|p| p.as_bool()) == Some(false))
                    .map(|f| {
                        format!(
                            "{} ✗ {}",
                            f.get("plugin").and_then(|p| p.as_str()).unwrap_or("?"),
                            f.get("reason").and_then(|p| p.as_str()).unwrap_or("")
                        )
                    })
                    .collect();
                if failed.is_empty() {
                    "all passed".to_string()
                } else {
                    failed.join("; ")
                }
            })
            .unwrap_or_default();
        let avail = c.get("availableReplicas").map(|a| a.to_string()).unwrap_or_else(|| "-".into());
        let sel = c.get("selected").and_then(|s| s.as_bool()).map(|s| if s { "yes" } else { "no" }).unwrap_or("-");
        let reps = c.get("replicas").map(|a| a.to_string()).unwrap_or_else(|| "-".into());
        rows.push(vec![name, filters, avail, sel.into(), reps]);
    }
    for l in table(&rows).lines() {
        out.push_str(&format!("  {l}\n"));
    }
    for key in ["affinityGroups", "spread", "division"] {
        if let Some(x) = v.get(key) {
            if !x.is_null() {
                out.push_str(&format!("  {key}: {x}\n"));
            }
        }
    }
    out
}

/// The timeline: a header per step of the stream, then one readable line per event.
pub fn timeline(report: &Report) -> String {
    let mut out = String::new();
    for st in &report.steps {
        let events: Vec<_> = report.timeline.iter().filter(|e| e.step == st.step).collect();
        let ctx = if st.context == "karmada-apiserver" { String::new() } else { format!(" (context {})", st.context) };
        let what = if st.action == "delete" {
            format!("# delete: {} (after document {})", st.object, st.document)
        } else {
            format!("document {}: {} {}", st.document, st.action, st.object)
        };
        out.push_str(&format!(
            "step {:>2}  {what}{ctx}
",
            st.step
        ));
        for e in events {
            let msg = if e.message.is_empty() { String::new() } else { format!(": {}", e.message) };
            out.push_str(&format!("         {:<20} {}{}\n", format!("{:?}", e.kind), e.subject, msg));
        }
    }
    out
}
