//! Human output: kubectl-like tables, rustc-like diagnostics, the why-trace and the timeline.

use crate::input::Input;
use karmada_policy_core::detector::timeline::{StepSummary, TimelineEvent};
use karmada_policy_core::report::{ExplainedResource, ResourceResult};
use karmada_policy_core::scheduler::ScheduleExplain;
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
pub fn resources(results: impl Iterator<Item = ResourceResult>, wide: bool) -> String {
    let mut rows = vec![if wide {
        vec!["NAMESPACE", "NAME", "KIND", "POLICY", "BINDING", "CLUSTERS", "REPLICAS", "ERROR"]
    } else {
        vec!["NAMESPACE", "NAME", "KIND", "POLICY", "CLUSTERS"]
    }
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>()];
    // Which member clusters hold each object, when the scenario's policies make that part of the answer (every
    // result has `members` then, or none has).
    let mut with_members = false;
    for r in results {
        let r = &r;
        if wide && !with_members && r.members.is_some() {
            with_members = true;
            if let Some(h) = rows.first_mut() {
                h.push("MEMBERS".into());
            }
        }
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
            if with_members {
                let m = r.members.as_deref().unwrap_or_default();
                row.push(if m.is_empty() {
                    "<none>".into()
                } else {
                    m.iter()
                        .map(|e| format!("{}({})", e.cluster, if e.managed { "managed" } else { "unmanaged" }))
                        .collect::<Vec<_>>()
                        .join(",")
                });
            }
        } else {
            row.push(clusters);
        }
        rows.push(row);
    }
    table(&rows)
}

/// How many diagnostics of one code text output shows before it summarises the rest in one line.
pub const SHOWN_PER_CODE: usize = 3;

/// Diagnostics as text, at most [`SHOWN_PER_CODE`] per code: the rest of a code in one line that says how
/// many there are and where to see them all (on a large fleet, hundreds of warnings share a code).
pub fn diagnostics(list: &[&Diagnostic], input: &Input) -> String {
    let mut out = String::new();
    let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    for d in list {
        let n = seen.entry((d.code.as_str(), d.severity.as_str())).or_insert(0);
        *n += 1;
        if *n <= SHOWN_PER_CODE {
            out.push_str(&diagnostic(d, input));
        }
    }
    let mut hidden: Vec<((&str, &str), usize)> =
        seen.into_iter().filter(|(_, n)| *n > SHOWN_PER_CODE).map(|(k, n)| (k, n - SHOWN_PER_CODE)).collect();
    hidden.sort();
    for ((code, severity), n) in hidden {
        let plural = if n == 1 { "" } else { "s" };
        out.push_str(&format!(
            "… and {n} more {code} {severity}{plural} (karmada-policy validate -o json lists them all)\n"
        ));
    }
    out
}

/// One diagnostic as rustc/miette print it: header, `--> file:line:col`, the source line, a caret, help.
pub fn diagnostic(d: &Diagnostic, input: &Input) -> String {
    let mut out = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message);
    if let Some(span) = d.span {
        let (file, line) = input.locate(span.start.line);
        let src = karmada_policy_core::diagnostic::line_around(&input.text, span.start.offset);
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
pub fn explain(e: &ExplainedResource) -> String {
    let (r, explain) = (&e.result, &e.explain);
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
    if let Some(m) = &r.members {
        let held: Vec<String> = m
            .iter()
            .map(|e| format!("{} ({})", e.cluster, if e.managed { "managed" } else { "not managed by Karmada" }))
            .collect();
        out.push_str(&format!("  members:   {}\n", if held.is_empty() { "<none>".into() } else { held.join(", ") }));
    }
    out.push_str("\nPolicies considered:\n");
    let mut rows = vec![["POLICY", "PRIORITY", "MATCH", "PREEMPTION", "VERDICT", "WHY"].map(String::from).to_vec()];
    for v in &explain.policies {
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
            match (v.document, &v.span) {
                (Some(d), Some(sp)) => {
                    format!("{} (document {d}, line {}:{})", v.reason, sp.start.line, sp.start.column)
                }
                (Some(d), None) => format!("{} (document {d})", v.reason),
                _ => v.reason.clone(),
            },
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
    for e in &explain.events {
        let msg = if e.message.is_empty() { String::new() } else { format!(": {}", e.message) };
        out.push_str(&format!("  [step {:>2}] {:?}{msg}\n", e.step, e.kind));
    }
    if let Some(s) = &explain.scheduler {
        out.push_str("\nClusters:\n");
        out.push_str(&scheduler_explain(s));
    }
    if !explain.overrides.is_empty() {
        out.push_str("\nOverrides (applied in this order; the last one wins):\n");
        for o in &explain.overrides {
            if let Some(e) = &o.error {
                out.push_str(&format!("  {}: error: {e} (the Work is left as it was)\n", o.cluster));
                continue;
            }
            if o.applied.is_empty() {
                out.push_str(&format!("  {}: none\n", o.cluster));
            }
            for (i, a) in o.applied.iter().enumerate() {
                let head = if i == 0 { format!("{}:", o.cluster) } else { String::new() };
                out.push_str(&format!("  {head:<width$} {}\n", a.display(), width = o.cluster.len() + 1));
                for line in &a.overriders {
                    out.push_str(&format!("  {:<width$}   {line}\n", "", width = o.cluster.len() + 1));
                }
            }
        }
    }
    out
}

/// Renders the scheduler explanation: one row per cluster with each filter verdict, then selection and division.
pub fn scheduler_explain(s: &ScheduleExplain) -> String {
    let mut out = String::new();
    for g in &s.affinity_groups {
        let verdict = match &g.error {
            Some(e) => format!("failed: {e}"),
            None => "scheduled".to_string(),
        };
        out.push_str(&format!("  clusterAffinities[{}] {:?}: {verdict}\n", g.index, g.affinity_name));
    }
    // A score column only when scores differ, i.e. decide the order.
    let score = s.score_plugin().map(|p| format!("SCORE ({p})"));
    let mut head = vec!["CLUSTER".to_string(), "FILTERS".into()];
    head.extend(score.clone());
    head.extend(["AVAILABLE", "SELECTED", "REPLICAS"].map(String::from));
    let mut rows = vec![head];
    for c in &s.clusters {
        let failed = c.failed_filters();
        let filters = if c.deleting {
            "skipped: being deleted".to_string()
        } else if failed.is_empty() {
            "all passed".to_string()
        } else {
            failed.join("; ")
        };
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
        let mut row = vec![c.name.clone(), filters];
        row.extend(score.as_ref().map(|_| opt(c.score)));
        row.extend([c.available_text(), if c.selected { "yes".into() } else { "no".into() }, opt(c.replicas)]);
        rows.push(row);
    }
    for l in table(&rows).lines() {
        out.push_str(&format!("  {l}\n"));
    }
    if let Some(sp) = &s.spread {
        let how = match sp.mode.as_str() {
            "byCluster" => "cluster spread constraint",
            "byRegion" => "region spread constraint",
            "unsupported" => "unsupported spread constraint",
            "ignoredByStaticWeight" => "every feasible cluster (static weights ignore spread constraints)",
            _ => "every feasible cluster (no spread constraint)",
        };
        let chosen = if sp.selected.is_empty() { "none".to_string() } else { sp.selected.join(", ") };
        out.push_str(&format!("  selection: {how} → {chosen}\n"));
        for sw in &sp.swaps {
            out.push_str(&format!("    swapped {} for {} (more available replicas)\n", sw.removed, sw.added));
        }
        if let Some(e) = &sp.error {
            out.push_str(&format!("    error: {e}\n"));
        }
    }
    if let Some(d) = &s.division {
        out.push_str(&format!("  division: {}", d.strategy));
        if !d.uid.is_empty() || d.strategy.contains("Weight") || d.strategy == "Aggregated" {
            out.push_str(&format!(
                " (Webster ties broken {}{})",
                d.tie_break,
                if d.uid.is_empty() { ", no uid".to_string() } else { format!(" by uid {}", d.uid) }
            ));
        }
        out.push('\n');
        for st in &d.steps {
            let w: Vec<String> = st.weights.iter().map(|e| format!("{}={}", e.cluster, e.value)).collect();
            let r: Vec<String> = st.result.iter().map(|e| format!("{}:{}", e.cluster, e.value)).collect();
            if w.is_empty() {
                out.push_str(&format!("    {} replicas → {}\n", st.target_replicas, r.join(", ")));
            } else {
                out.push_str(&format!(
                    "    {} replicas by weights [{}] → {}\n",
                    st.target_replicas,
                    w.join(", "),
                    r.join(", ")
                ));
            }
        }
        if let Some(e) = &d.error {
            out.push_str(&format!("    error: {e}\n"));
        }
    }
    out
}

/// The timeline: a header per step of the stream, then one readable line per event.
pub fn timeline(steps: &[StepSummary], timeline: &[TimelineEvent]) -> String {
    let mut out = String::new();
    // Events are in step order: one pass over them, not one per step.
    let mut rest = timeline;
    for st in steps {
        let n = rest.iter().take_while(|e| e.step <= st.step).count();
        let (here, later) = rest.split_at(n);
        rest = later;
        let events = here.iter().filter(|e| e.step == st.step);
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

/// The ownership lanes: a grid (one row per resource, one column per step, a letter per owning policy, `·`
/// unclaimed, blank before the template exists or after it is deleted), the legend, then each lane's segments
/// and markers (apply events are summed up by the final apply result).
pub fn lanes(lanes: &[karmada_policy_core::lanes::Lane], steps: usize) -> String {
    let mut owners: Vec<&str> = Vec::new();
    for s in lanes.iter().flat_map(|l| &l.segments).filter(|s| !s.owner.is_empty()) {
        if !owners.contains(&s.owner.as_str()) {
            owners.push(&s.owner);
        }
    }
    let letter = |o: &str| -> char {
        match owners.iter().position(|x| *x == o) {
            Some(i) => char::from_u32(u32::try_from(i % 26).unwrap_or(0) + u32::from(b'A')).unwrap_or('?'),
            None => '·',
        }
    };
    let w = steps.to_string().len() + 1;
    let name_w = lanes.iter().map(|l| l.subject.chars().count()).max().unwrap_or(0).max(4);
    let mut out = String::from("Ownership per step (a letter per owning policy, · unclaimed, blank: no template):\n");
    out.push_str(&format!("{:<name_w$}", "STEP"));
    for st in 1..=steps {
        out.push_str(&format!("{st:>w$}"));
    }
    out.push('\n');
    for l in lanes {
        let mut row = format!("{:<name_w$}", l.subject);
        for st in 1..=steps {
            let c = l.segments.iter().find(|s| s.from <= st && st <= s.to).map_or(' ', |s| letter(&s.owner));
            row.push_str(&format!("{c:>w$}"));
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    for o in &owners {
        out.push_str(&format!("  {} = {o}\n", letter(o)));
    }
    for l in lanes {
        out.push_str(&format!("\n{}{}\n", l.subject, if l.failed { "  (failed)" } else { "" }));
        for s in &l.segments {
            let steps = if s.from == s.to { format!("step {}", s.from) } else { format!("steps {}-{}", s.from, s.to) };
            let owner = if s.owner.is_empty() { "unclaimed" } else { &s.owner };
            let place = if s.placement.is_empty() { String::new() } else { format!(" → {}", s.placement) };
            out.push_str(&format!("  {steps:<12} {owner}{place}\n"));
        }
        for m in l.marks.iter().filter(|m| m.kind != "Applied") {
            out.push_str(&format!("  step {:<7} {}: {}\n", m.step, m.kind, m.text));
        }
        if !l.apply.is_empty() {
            out.push_str(&format!("  applied:     {}\n", l.apply));
        }
    }
    out
}

/// What changed between the end of step `from` and the end of step `to`: a table of the resources whose
/// owner, clusters or replicas differ.
pub fn step_diff(lanes: &[karmada_policy_core::lanes::Lane], from: usize, to: usize) -> String {
    let changes = karmada_policy_core::lanes::changes(lanes, from, to);
    if changes.is_empty() {
        return format!("nothing changed between step {from} and step {to}\n");
    }
    let mut rows = vec![vec!["RESOURCE".to_string(), format!("AFTER STEP {from}"), format!("AFTER STEP {to}")]];
    rows.extend(changes.into_iter().map(|(r, a, b)| vec![r, a, b]));
    table(&rows)
}
