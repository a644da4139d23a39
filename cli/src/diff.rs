//! `karmada-policy diff`: what a change to the scenario moves. Both sides are evaluated (at the same time, on
//! two threads), their per-resource results compared by identity: owner policy, binding, clusters and
//! replicas, scheduling error, apply results, members, and — only when override policies are involved — the
//! manifest each cluster receives.

use crate::ci::{Finding, Region};
use crate::input::Input;
use karmada_policy_core::execution::OverrideEntry;
use karmada_policy_core::report::ResourceResult;
use karmada_policy_core::{evaluate, Diagnostic, Options, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// `base → head` of one field, `None` meaning absent on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    /// Before.
    pub base: Option<T>,
    /// After.
    pub head: Option<T>,
}

/// A cluster's replica count before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplicaChange {
    /// Cluster.
    pub cluster: String,
    /// Replicas before.
    pub base: i64,
    /// Replicas after.
    pub head: i64,
}

/// A cluster's apply result before and after (`None`: no entry for that cluster).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplyChange {
    /// Cluster.
    pub cluster: String,
    /// Result before.
    pub base: Option<String>,
    /// Result after.
    pub head: Option<String>,
}

/// The manifest a cluster receives, changed (overrides): the rules before and after and a unified diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestChange {
    /// Cluster.
    pub cluster: String,
    /// Override rules applied before (`Kind namespace/name`).
    pub base_overrides: Vec<String>,
    /// Override rules applied after.
    pub head_overrides: Vec<String>,
    /// `diff -u` of the YAML before and after.
    pub diff: String,
}

/// Whether a resource is new, gone or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Only in head.
    Added,
    /// Only in base.
    Removed,
    /// In both, with a different result.
    Changed,
}

/// Everything that differs for one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceDiff {
    /// apiVersion.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Namespace ("" when cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// New, gone or changed.
    pub status: Status,
    /// Owner policy (`Kind/name`), when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<Change<String>>,
    /// Binding name, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<Change<String>>,
    /// Placement (`cluster:replicas,…`), when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Change<String>>,
    /// Clusters the resource newly lands on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gained: Vec<String>,
    /// Clusters it no longer lands on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lost: Vec<String>,
    /// Clusters kept with another replica count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replicas: Vec<ReplicaChange>,
    /// Scheduling error, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Change<String>>,
    /// Apply results that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub apply: Vec<ApplyChange>,
    /// Member clusters holding it (`cluster(managed|unmanaged),…`), when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Change<String>>,
    /// Manifests that differ, per cluster kept on both sides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub manifests: Vec<ManifestChange>,
    /// The head document that applies it (0 when removed).
    #[serde(skip)]
    pub head_document: usize,
}

impl ResourceDiff {
    /// `Kind namespace/name`.
    pub fn display(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }

    /// Whether the resource newly fails to schedule (or fails with another message).
    pub fn fails_to_schedule(&self) -> bool {
        self.error.as_ref().is_some_and(|e| e.head.is_some())
    }
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The summary sentence.
    pub summary: String,
    /// How many resources were compared (base ∪ head).
    pub compared: usize,
    /// The resources that differ, by identity.
    pub changes: Vec<ResourceDiff>,
}

/// One evaluated side.
pub struct Side {
    /// Per-resource results, sorted by identity.
    pub results: Vec<ResourceResult>,
    /// Its diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// A side's input could not be evaluated: its diagnostics (located in its input).
pub struct SideError {
    /// `base` or `head`.
    pub side: &'static str,
    /// The diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

fn policy_of(r: &ResourceResult) -> Option<String> {
    r.policy.as_ref().map(|p| format!("{}/{}", p.kind, p.name))
}

fn placement_of(r: &ResourceResult) -> String {
    r.placement.iter().map(|p| format!("{}:{}", p.cluster, p.replicas)).collect::<Vec<_>>().join(",")
}

fn members_of(r: &ResourceResult) -> Option<String> {
    r.members.as_ref().map(|m| {
        m.iter()
            .map(|e| format!("{}({})", e.cluster, if e.managed { "managed" } else { "unmanaged" }))
            .collect::<Vec<_>>()
            .join(",")
    })
}

fn change<T: PartialEq>(base: Option<T>, head: Option<T>) -> Option<Change<T>> {
    (base != head).then_some(Change { base, head })
}

/// Evaluates one side. With `manifests`, results without an `overrides` block get one built from the kept
/// manifests, so that a side without override policies compares with a side that has some.
fn evaluate_side(input: Option<&Input>, options: &Options, manifests: bool) -> Result<Side, Vec<Diagnostic>> {
    let Some(input) = input else { return Ok(Side { results: Vec::new(), diagnostics: Vec::new() }) };
    let evaluation = evaluate(&input.text, options).map_err(|e| e.diagnostics)?;
    let mut results: Vec<ResourceResult> = evaluation.resources().collect();
    if manifests {
        for r in results.iter_mut().filter(|r| r.overrides.is_none()) {
            let entries = r
                .placement
                .iter()
                .map(|p| OverrideEntry {
                    cluster: p.cluster.clone(),
                    applied: Vec::new(),
                    manifest: evaluation.manifest(&r.kind, &r.namespace, &r.name, &p.cluster),
                    error: None,
                })
                .collect();
            r.overrides = Some(entries);
        }
    }
    results.sort_by(|a, b| key(a).cmp(&key(b)));
    let diagnostics = evaluation.diagnostics.clone();
    // The process ends soon after: the OS takes the memory back faster than a piecewise free.
    std::mem::forget(evaluation);
    Ok(Side { results, diagnostics })
}

fn key(r: &ResourceResult) -> (&str, &str, &str, &str) {
    (&r.api_version, &r.kind, &r.namespace, &r.name)
}

/// Whether a scenario text may hold override policies (then manifests are compared).
fn mentions_overrides(input: Option<&Input>) -> bool {
    input.is_some_and(|i| i.text.contains("OverridePolicy"))
}

/// Evaluates both sides on two threads. `None` input: an empty side (e.g. every path is new in head).
pub fn evaluate_both(
    base: Option<&Input>,
    head: Option<&Input>,
    base_options: &Options,
    head_options: &Options,
) -> Result<(Side, Side), SideError> {
    let manifests = mentions_overrides(base) || mentions_overrides(head);
    let mut base_options = base_options.clone();
    let mut head_options = head_options.clone();
    base_options.keep_manifests |= manifests;
    head_options.keep_manifests |= manifests;
    let (b, h) = std::thread::scope(|s| {
        let b = s.spawn(|| evaluate_side(base, &base_options, manifests));
        let h = evaluate_side(head, &head_options, manifests);
        (b.join(), h)
    });
    let b = b.unwrap_or_else(|_| Err(vec![Diagnostic::error("internal", "the base evaluation stopped")]));
    let b = b.map_err(|diagnostics| SideError { side: "base", diagnostics })?;
    let h = h.map_err(|diagnostics| SideError { side: "head", diagnostics })?;
    Ok((b, h))
}

fn override_names(e: &OverrideEntry) -> Vec<String> {
    e.applied
        .iter()
        .map(|a| {
            if a.namespace.is_empty() {
                format!("{} {}", a.kind, a.name)
            } else {
                format!("{} {}/{}", a.kind, a.namespace, a.name)
            }
        })
        .collect()
}

fn manifest_changes(b: &ResourceResult, h: &ResourceResult) -> Vec<ManifestChange> {
    let (Some(bo), Some(ho)) = (&b.overrides, &h.overrides) else { return Vec::new() };
    let who = h.display();
    let mut out = Vec::new();
    for he in ho {
        let Some(be) = bo.iter().find(|e| e.cluster == he.cluster) else { continue };
        if be.manifest == he.manifest && be.applied == he.applied {
            continue;
        }
        let yaml = |v: &Option<serde_json::Value>| match v {
            Some(v) => serde_yaml::to_string(v).unwrap_or_default(),
            None => String::new(),
        };
        let diff = crate::render_cmd::unified_diff(
            &yaml(&be.manifest),
            &yaml(&he.manifest),
            &format!("base {} {who}", he.cluster),
            &format!("head {} {who}", he.cluster),
            3,
        );
        out.push(ManifestChange {
            cluster: he.cluster.clone(),
            base_overrides: override_names(be),
            head_overrides: override_names(he),
            diff,
        });
    }
    out
}

/// What differs for one resource present on both sides, `None` when nothing does.
fn compare(b: &ResourceResult, h: &ResourceResult) -> Option<ResourceDiff> {
    // Most resources of a change are untouched: compare the fields before building anything.
    if b.policy == h.policy
        && b.binding == h.binding
        && b.placement == h.placement
        && b.error == h.error
        && b.apply == h.apply
        && b.members == h.members
        && b.overrides == h.overrides
    {
        return None;
    }
    let bc: Vec<&str> = b.placement.iter().map(|p| p.cluster.as_str()).collect();
    let hc: Vec<&str> = h.placement.iter().map(|p| p.cluster.as_str()).collect();
    let gained = hc.iter().filter(|c| !bc.contains(c)).map(|c| c.to_string()).collect();
    let lost = bc.iter().filter(|c| !hc.contains(c)).map(|c| c.to_string()).collect();
    let replicas = h
        .placement
        .iter()
        .filter_map(|hp| {
            let bp = b.placement.iter().find(|bp| bp.cluster == hp.cluster)?;
            (bp.replicas != hp.replicas).then(|| ReplicaChange {
                cluster: hp.cluster.clone(),
                base: bp.replicas,
                head: hp.replicas,
            })
        })
        .collect();
    let mut apply = Vec::new();
    if b.apply != h.apply {
        let (ba, ha) = (b.apply.as_deref().unwrap_or_default(), h.apply.as_deref().unwrap_or_default());
        let mut clusters: Vec<&str> = ba.iter().chain(ha).map(|e| e.cluster.as_str()).collect();
        clusters.sort_unstable();
        clusters.dedup();
        for c in clusters {
            let res = |l: &[karmada_policy_core::execution::ApplyEntry]| {
                l.iter().find(|e| e.cluster == c).map(|e| match &e.message {
                    Some(m) => format!("{:?} ({m})", e.result),
                    None => format!("{:?}", e.result),
                })
            };
            let (x, y) = (res(ba), res(ha));
            if x != y {
                apply.push(ApplyChange { cluster: c.to_string(), base: x, head: y });
            }
        }
    }
    let d = ResourceDiff {
        api_version: h.api_version.clone(),
        kind: h.kind.clone(),
        namespace: h.namespace.clone(),
        name: h.name.clone(),
        status: Status::Changed,
        policy: change(policy_of(b), policy_of(h)),
        binding: change(b.binding.clone(), h.binding.clone()),
        placement: change(Some(placement_of(b)), Some(placement_of(h))),
        gained,
        lost,
        replicas,
        error: change(b.error.clone(), h.error.clone()),
        apply,
        members: change(members_of(b), members_of(h)),
        manifests: manifest_changes(b, h),
        head_document: h.document,
    };
    let same = d.policy.is_none()
        && d.binding.is_none()
        && d.placement.is_none()
        && d.error.is_none()
        && d.apply.is_empty()
        && d.members.is_none()
        && d.manifests.is_empty();
    (!same).then_some(d)
}

/// A resource on one side only.
fn one_sided(r: &ResourceResult, status: Status) -> ResourceDiff {
    let added = status == Status::Added;
    // Only what the resource has on its side: an unclaimed new ConfigMap has no policy to show.
    let side = |v: Option<String>| {
        v.map(|v| if added { Change { base: None, head: Some(v) } } else { Change { base: Some(v), head: None } })
    };
    let clusters: Vec<String> = r.placement.iter().map(|p| p.cluster.clone()).collect();
    ResourceDiff {
        api_version: r.api_version.clone(),
        kind: r.kind.clone(),
        namespace: r.namespace.clone(),
        name: r.name.clone(),
        status,
        policy: side(policy_of(r)),
        binding: side(r.binding.clone()),
        placement: side(Some(placement_of(r)).filter(|p| !p.is_empty())),
        gained: if added { clusters.clone() } else { Vec::new() },
        lost: if added { Vec::new() } else { clusters },
        replicas: Vec::new(),
        error: side(r.error.clone()),
        apply: Vec::new(),
        members: None,
        manifests: Vec::new(),
        head_document: if added { r.document } else { 0 },
    }
}

/// Compares two sides, resource by resource (both sorted by identity: one merge pass).
pub fn diff(base: &Side, head: &Side) -> Diff {
    let mut changes = Vec::new();
    let (mut bi, mut hi) = (base.results.iter().peekable(), head.results.iter().peekable());
    let mut compared = 0;
    loop {
        let next = match (bi.peek(), hi.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(b), Some(h)) => key(b).cmp(&key(h)),
        };
        compared += 1;
        match next {
            std::cmp::Ordering::Less => {
                if let Some(b) = bi.next() {
                    changes.push(one_sided(b, Status::Removed));
                }
            }
            std::cmp::Ordering::Greater => {
                if let Some(h) = hi.next() {
                    changes.push(one_sided(h, Status::Added));
                }
            }
            std::cmp::Ordering::Equal => {
                if let (Some(b), Some(h)) = (bi.next(), hi.next()) {
                    changes.extend(compare(b, h));
                }
            }
        }
    }
    let summary = summary(&changes, compared);
    Diff { summary, compared, changes }
}

/// "3 resources change owner, 12 gain member2, 1 fails to schedule": one clause per kind of change, in a
/// fixed order (owner, clusters gained and lost, new and removed resources, the rest), the noun on the first.
fn summary(changes: &[ResourceDiff], compared: usize) -> String {
    if changes.is_empty() {
        let plural = if compared == 1 { "" } else { "s" };
        return format!("no change ({compared} resource{plural} compared)");
    }
    let count = |f: &dyn Fn(&ResourceDiff) -> bool| changes.iter().filter(|d| f(d)).count();
    let changed = |d: &ResourceDiff| d.status == Status::Changed;
    // (count, singular verb phrase, plural verb phrase)
    let mut clauses: Vec<(usize, String, String)> =
        vec![(count(&|d| changed(d) && d.policy.is_some()), "changes owner".into(), "change owner".into())];
    let mut gains: BTreeMap<&str, usize> = BTreeMap::new();
    let mut losses: BTreeMap<&str, usize> = BTreeMap::new();
    for d in changes.iter().filter(|d| changed(d)) {
        for c in &d.gained {
            *gains.entry(c).or_default() += 1;
        }
        for c in &d.lost {
            *losses.entry(c).or_default() += 1;
        }
    }
    let changed_clusters =
        |d: &ResourceDiff, gained: bool| changed(d) && !(if gained { &d.gained } else { &d.lost }).is_empty();
    clauses.extend(cluster_clauses(gains, count(&|d| changed_clusters(d, true)), ("gains", "gain")));
    clauses.extend(cluster_clauses(losses, count(&|d| changed_clusters(d, false)), ("loses", "lose")));
    clauses.extend([
        (count(&|d| d.status == Status::Added), "is new".into(), "are new".into()),
        (count(&|d| d.status == Status::Removed), "is removed".into(), "are removed".into()),
        (count(&|d| changed(d) && !d.replicas.is_empty()), "changes replicas".into(), "change replicas".into()),
        (count(&|d| d.fails_to_schedule()), "fails to schedule".into(), "fail to schedule".into()),
        (
            count(&|d| changed(d) && d.error.as_ref().is_some_and(|e| e.head.is_none())),
            "schedules again".into(),
            "schedule again".into(),
        ),
        (
            count(&|d| changed(d) && d.policy.is_none() && d.binding.is_some()),
            "changes binding".into(),
            "change binding".into(),
        ),
        (count(&|d| !d.apply.is_empty()), "changes apply result".into(), "change apply result".into()),
        (count(&|d| d.members.is_some()), "changes member objects".into(), "change member objects".into()),
        (
            count(&|d| !d.manifests.is_empty()),
            "receives a different manifest".into(),
            "receive a different manifest".into(),
        ),
    ]);
    let mut parts = Vec::new();
    for (i, (n, one, many)) in clauses.into_iter().filter(|c| c.0 > 0).enumerate() {
        let verb = if n == 1 { one } else { many };
        if i == 0 {
            parts.push(format!("{n} resource{} {verb}", if n == 1 { "" } else { "s" }));
        } else {
            parts.push(format!("{n} {verb}"));
        }
    }
    parts.join(", ")
}

/// How many clusters a summary or a cell names before it only counts them.
const NAMED_CLUSTERS: usize = 3;

/// One clause per cluster gained (or lost), or, on a fleet where a change moves resources across more than
/// [`NAMED_CLUSTERS`] clusters, one clause that counts them and names the first few.
fn cluster_clauses(
    per_cluster: BTreeMap<&str, usize>,
    resources: usize,
    (one, many): (&str, &str),
) -> Vec<(usize, String, String)> {
    if per_cluster.len() <= NAMED_CLUSTERS {
        return per_cluster.into_iter().map(|(c, n)| (n, format!("{one} {c}"), format!("{many} {c}"))).collect();
    }
    let named: Vec<&str> = per_cluster.keys().take(NAMED_CLUSTERS).copied().collect();
    let what = format!("clusters ({} clusters: {}, …)", per_cluster.len(), named.join(", "));
    vec![(resources, format!("{one} {what}"), format!("{many} {what}"))]
}

/// `+a +b` (or `-a -b`), or `+5 clusters` beyond [`NAMED_CLUSTERS`].
fn moves(sign: char, clusters: &[String]) -> Vec<String> {
    if clusters.len() > NAMED_CLUSTERS {
        vec![format!("{sign}{} clusters", clusters.len())]
    } else {
        clusters.iter().map(|c| format!("{sign}{c}")).collect()
    }
}

fn arrow(c: &Change<String>) -> String {
    let show = |v: &Option<String>| match v.as_deref() {
        None | Some("") => "<none>".to_string(),
        Some(s) => s.to_string(),
    };
    format!("{} → {}", show(&c.base), show(&c.head))
}

/// The human form: the summary, then one block per resource.
pub fn text(d: &Diff) -> String {
    let mut out = format!("{}\n", d.summary);
    for c in &d.changes {
        let tag = match c.status {
            Status::Added => " (new)",
            Status::Removed => " (removed)",
            Status::Changed => "",
        };
        out.push_str(&format!("\n{}{tag}\n", c.display()));
        for line in detail_lines(c) {
            out.push_str(&format!("  {line}\n"));
        }
        for m in &c.manifests {
            out.push_str(&format!("  manifest for {}:\n", m.cluster));
            for l in m.diff.lines() {
                out.push_str(&format!("    {l}\n"));
            }
        }
    }
    out
}

/// `field: base → head` lines of one resource (manifests apart).
fn detail_lines(c: &ResourceDiff) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(p) = &c.policy {
        lines.push(format!("policy:    {}", arrow(p)));
    }
    if let Some(b) = &c.binding {
        lines.push(format!("binding:   {}", arrow(b)));
    }
    if let Some(p) = &c.placement {
        let mut l = format!("placement: {}", arrow(p));
        let moved: Vec<String> = moves('+', &c.gained).into_iter().chain(moves('-', &c.lost)).collect();
        if c.status == Status::Changed && !moved.is_empty() {
            l.push_str(&format!(" ({})", moved.join(" ")));
        }
        lines.push(l);
    }
    if let Some(e) = &c.error {
        lines.push(format!("error:     {}", arrow(e)));
    }
    for a in &c.apply {
        lines.push(format!(
            "apply:     {}: {}",
            a.cluster,
            arrow(&Change { base: a.base.clone(), head: a.head.clone() })
        ));
    }
    if let Some(m) = &c.members {
        lines.push(format!("members:   {}", arrow(m)));
    }
    for m in &c.manifests {
        if m.base_overrides != m.head_overrides {
            let join = |v: &[String]| if v.is_empty() { "<none>".to_string() } else { v.join(", ") };
            lines.push(format!("overrides: {}: {} → {}", m.cluster, join(&m.base_overrides), join(&m.head_overrides)));
        }
    }
    lines
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

/// Markdown for a pull-request comment: the summary in bold, a table of the resources, the manifest diffs
/// in collapsed `diff` blocks.
pub fn markdown(d: &Diff) -> String {
    let mut out = format!("**karmada-policy diff**: {}\n", d.summary);
    if d.changes.is_empty() {
        return out;
    }
    out.push_str("\n| Resource | Change | Policy | Placement | Error |\n|---|---|---|---|---|\n");
    for c in &d.changes {
        let status = match c.status {
            Status::Added => "new".to_string(),
            Status::Removed => "removed".to_string(),
            Status::Changed => {
                let mut what: Vec<String> = Vec::new();
                what.extend(moves('+', &c.gained));
                what.extend(moves('-', &c.lost));
                if !c.replicas.is_empty() {
                    what.push("replicas".into());
                }
                if !c.apply.is_empty() {
                    what.push("apply".into());
                }
                if c.members.is_some() {
                    what.push("members".into());
                }
                if !c.manifests.is_empty() {
                    what.push("manifest".into());
                }
                if c.policy.is_some() {
                    what.insert(0, "owner".into());
                }
                what.join(" ")
            }
        };
        let cell = |v: &Option<Change<String>>| v.as_ref().map(arrow).unwrap_or_default();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            md_cell(&c.display()),
            md_cell(&status),
            md_cell(&cell(&c.policy)),
            md_cell(&cell(&c.placement)),
            md_cell(&cell(&c.error)),
        ));
    }
    for c in d.changes.iter().filter(|c| !c.manifests.is_empty() || !c.apply.is_empty()) {
        out.push_str(&format!("\n<details><summary><code>{}</code></summary>\n\n", c.display()));
        for l in detail_lines(c) {
            out.push_str(&format!("- {}\n", md_cell(&l)));
        }
        for m in &c.manifests {
            out.push_str(&format!("\n`{}`:\n\n```diff\n{}```\n", m.cluster, m.diff));
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// The changes as CI findings (notices; a new scheduling failure is a warning), located at the head document
/// that applies each resource (`regions` by head document index).
pub fn findings(d: &Diff, regions: &BTreeMap<usize, Region>) -> Vec<Finding> {
    d.changes
        .iter()
        .map(|c| {
            let (code, severity) = if c.fails_to_schedule() {
                ("fails-to-schedule", Severity::Warning)
            } else {
                ("propagation-changed", Severity::Info)
            };
            let mut message = c.display();
            match c.status {
                Status::Added => message.push_str(" is new"),
                Status::Removed => message.push_str(" is removed"),
                Status::Changed => {}
            }
            let details = detail_lines(c);
            if !details.is_empty() {
                message.push_str(": ");
                message.push_str(
                    &details
                        .iter()
                        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
            Finding {
                code: code.into(),
                severity,
                message,
                help: Some("karmada-policy explain <kind>/<name> shows why, for one resource".into()),
                region: regions.get(&c.head_document).cloned(),
            }
        })
        .collect()
}

/// Where each document of `input` starts and ends, by document index (for annotating resources).
pub fn document_regions(input: &Input) -> BTreeMap<usize, Region> {
    let Ok(scenario) = karmada_policy_core::scenario::parse(&input.text) else { return BTreeMap::new() };
    scenario
        .steps
        .iter()
        .filter_map(|s| match s {
            karmada_policy_core::scenario::Step::Apply(d) => Some(d),
            karmada_policy_core::scenario::Step::Delete { .. } => None,
        })
        .map(|d| {
            let (file, line) = input.locate(d.span.start.line);
            // The first line of the document: annotations on a whole document are noise in a review.
            (d.index, Region { file, line, column: 1, end_line: line, end_column: 1 })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_name_few_clusters_and_count_many() {
        let d = |gained: &[&str]| ResourceDiff {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            namespace: "default".into(),
            name: "cm".into(),
            status: Status::Changed,
            policy: None,
            binding: None,
            placement: Some(Change { base: Some(String::new()), head: Some("x".into()) }),
            gained: gained.iter().map(|c| c.to_string()).collect(),
            lost: Vec::new(),
            replicas: Vec::new(),
            error: None,
            apply: Vec::new(),
            members: None,
            manifests: Vec::new(),
            head_document: 1,
        };
        assert_eq!(summary(&[d(&["m1"]), d(&["m1", "m2"])], 2), "2 resources gain m1, 1 gains m2");
        assert_eq!(
            summary(&[d(&["a", "b", "c", "d"]), d(&["e"])], 5),
            "2 resources gain clusters (5 clusters: a, b, c, …)"
        );
        assert_eq!(summary(&[], 1), "no change (1 resource compared)");
        assert_eq!(moves('+', &["a".into(), "b".into(), "c".into(), "d".into()]), ["+4 clusters"]);
    }
}
