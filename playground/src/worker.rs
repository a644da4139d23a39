//! The evaluation worker's side (plain Rust, testable with `cargo test`): it holds the last
//! [`Evaluation`] and answers the page's requests from it: compact rows at once, a resource's why-trace
//! (`Evaluation::explain`, computed on demand) only for the selected one. The wasm entry point (`worker_handle` in lib.rs) only times and
//! (de)serializes.

use crate::protocol::{
    ClusterRow, Diag, Evaluated, ExplainView, PolicyRow, Request, Response, Row, RowsPage, StepView,
};
use karmada_policy_core::report::{ResourceExplain, ResourceResult};
use karmada_policy_core::util::golower::to_lower;
use karmada_policy_core::{evaluate, Diagnostic, Evaluation, Options};

/// Lanes drawn in the ownership timeline (a 10,000-resource fleet is not 10,000 lanes).
pub const LANES: usize = 40;

/// What the worker keeps between requests.
#[derive(Default)]
pub struct Session {
    /// Edit number of the held evaluation.
    seq: u32,
    /// The last successful evaluation.
    eval: Option<Evaluation>,
    /// Its resources (key, result), in report order.
    results: Vec<(String, ResourceResult)>,
    /// Their rows, with a lower-case haystack for the filter.
    rows: Vec<(Row, String)>,
    /// First timeline event index of each step (the events are in step order).
    step_starts: Vec<usize>,
}

/// The scenario text a worker holds, kept up to date with the editor's changes (web/worker.js): the
/// evaluation starts from it, with no 2 MB copy between JavaScript and the module on the way (copying the
/// worker's JavaScript string in took 13-35 ms per evaluation in a busy browser, before the core started).
/// Positions are UTF-16 code units, as CodeMirror counts.
#[derive(Debug, Default)]
pub struct Text {
    text: String,
    /// Every character is ASCII: UTF-16 positions are byte offsets.
    ascii: bool,
}

impl Text {
    /// Replaces the whole text.
    pub fn set(&mut self, text: String) {
        self.ascii = text.is_ascii();
        self.text = text;
    }

    /// Replaces the UTF-16 range `from..to` with `inserted` (positions past the end are the end; one inside a
    /// surrogate pair is the character's end).
    pub fn replace(&mut self, from: usize, to: usize, inserted: &str) {
        let (from, to) = (from.min(to), from.max(to));
        let range = if self.ascii {
            from.min(self.text.len())..to.min(self.text.len())
        } else {
            let byte = |pos: usize| {
                let mut units = 0;
                for (i, c) in self.text.char_indices() {
                    if units >= pos {
                        return i;
                    }
                    units += c.len_utf16();
                }
                self.text.len()
            };
            byte(from)..byte(to)
        };
        // Not `replace_range`: its splice machinery is 0.35 KB gzip of wasm. One copy of the text.
        let (head, tail) = (self.text.get(..range.start).unwrap_or_default(), self.text.get(range.end..));
        let mut text = String::with_capacity(self.text.len() + inserted.len());
        text.push_str(head);
        text.push_str(inserted);
        text.push_str(tail.unwrap_or_default());
        self.text = text;
        self.ascii &= inserted.is_ascii();
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Distinct strings and their indices, the first (index 0) empty: the matrix data's owners and apply results.
struct Table {
    names: Vec<String>,
    at: karmada_policy_core::util::VecMap<String, usize>,
    buf: String,
}

impl Default for Table {
    fn default() -> Self {
        Table { names: vec![String::new()], at: Default::default(), buf: String::new() }
    }
}

impl Table {
    /// The index of `text`, added when new.
    fn index(&mut self, text: &std::fmt::Arguments) -> usize {
        use std::fmt::Write;
        self.buf.clear();
        let _ = write!(self.buf, "{text}");
        if let Some(i) = self.at.get(self.buf.as_str()) {
            return *i;
        }
        self.names.push(self.buf.clone());
        self.at.insert(self.buf.clone(), self.names.len() - 1);
        self.names.len() - 1
    }
}

/// The key of a resource: `Kind/namespace/name`.
pub fn key_of(r: &ResourceResult) -> String {
    format!("{}/{}/{}", r.kind, r.namespace, r.name)
}

fn diag(d: &Diagnostic) -> Diag {
    let (line, col, end_line, end_col) =
        d.span.map(|s| (s.start.line, s.start.column_utf16, s.end.line, s.end.column_utf16)).unwrap_or((0, 0, 0, 0));
    Diag {
        severity: d.severity.as_str().to_string(),
        code: d.code.clone(),
        message: d.message.clone(),
        help: d.help.clone(),
        line,
        col,
        end_line,
        end_col,
    }
}

fn row(r: &ResourceResult) -> Row {
    let join = |v: Vec<String>| if v.is_empty() { "<none>".to_string() } else { v.join(", ") };
    Row {
        key: key_of(r),
        namespace: if r.namespace.is_empty() { "<cluster>".to_string() } else { r.namespace.clone() },
        name: r.name.clone(),
        kind: r.kind.clone(),
        policy: r.policy.as_ref().map(|p| format!("{}/{}", p.kind, p.name)).unwrap_or_else(|| "<none>".into()),
        placement: join(r.placement.iter().map(|p| format!("{}:{}", p.cluster, p.replicas)).collect()),
        apply: r
            .apply
            .as_ref()
            .map(|a| a.iter().map(|e| format!("{}:{:?}", e.cluster, e.result)).collect::<Vec<_>>().join(", "))
            .unwrap_or_default(),
        error: r.error.clone().unwrap_or_default(),
    }
}

fn explain_view(r: &ResourceResult, x: &ResourceExplain) -> ExplainView {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
    let mut view = ExplainView {
        key: key_of(r),
        title: r.display(),
        policies: x
            .policies
            .iter()
            .map(|v| PolicyRow {
                policy: format!("{}/{}", v.policy.kind, v.policy.name),
                priority: v.priority,
                matched: match v.implicit_priority {
                    3 => "name",
                    2 => "labelSelector",
                    1 => "kind",
                    _ => "-",
                }
                .to_string(),
                preemption: if v.preemption { "Always" } else { "Never" }.to_string(),
                verdict: v.verdict.clone(),
                reason: v.reason.clone(),
                denial: v.span.map(|span| {
                    let mut d = Diagnostic::error("webhook-denied", v.reason.clone());
                    d.span = Some(span);
                    diag(&d)
                }),
            })
            .collect(),
        events: x.events.iter().map(|e| (e.step, format!("{:?}", e.kind), e.message.clone())).collect(),
        groups: Vec::new(),
        clusters: Vec::new(),
        score_plugin: None,
        division: None,
        error: None,
        overrides: x
            .overrides
            .iter()
            .map(|o| {
                let rules: Vec<String> =
                    o.applied.iter().map(|a| format!("{} [{}]", a.display(), a.overriders.join("; "))).collect();
                let what = match &o.error {
                    Some(e) => format!("build failed: {e}"),
                    None if rules.is_empty() => "no rule applies".to_string(),
                    None => rules.join(" → "),
                };
                (o.cluster.clone(), what)
            })
            .collect(),
    };
    if let Some(s) = &x.scheduler {
        view.groups = s
            .affinity_groups
            .iter()
            .map(|g| {
                format!(
                    "clusterAffinities[{}] {}: {}",
                    g.index,
                    g.affinity_name,
                    g.error.clone().unwrap_or_else(|| "scheduled".into())
                )
            })
            .collect();
        view.clusters = s
            .clusters
            .iter()
            .map(|c| {
                let failed = c.failed_filters();
                ClusterRow {
                    name: c.name.clone(),
                    filters: if failed.is_empty() { "all passed".to_string() } else { failed.join("; ") },
                    score: opt(c.score),
                    available: c.available_text(),
                    selected: c.selected,
                    replicas: opt(c.replicas),
                }
            })
            .collect();
        view.division = s.division.as_ref().map(|d| {
            let parts: Vec<String> = d.result.iter().map(|e| format!("{}:{}", e.cluster, e.value)).collect();
            format!("{} — {}", d.strategy, parts.join(", "))
        });
        view.error = s.error.clone();
        view.score_plugin = s.score_plugin().map(str::to_string);
    }
    view
}

impl Session {
    /// Answers one request. `core_ms` is filled in by the caller.
    pub fn handle(&mut self, request: Request) -> Response {
        match request {
            Request::Evaluate { seq, text, gate, select, filter, limit } => {
                let mut e = self.evaluate(seq, &text, gate.flag(), select);
                if e.ok {
                    e.rows = self.page(&filter, limit);
                }
                Response::Evaluated(Box::new(e))
            }
            Request::Rows { filter, limit } => Response::Rows { seq: self.seq, page: self.page(&filter, limit) },
            Request::Explain { key } => {
                Response::Explained { seq: self.seq, explain: self.explain(&key).map(Box::new) }
            }
            Request::Timeline { offset, limit } => self.timeline(offset, limit),
            Request::Export { format } => match &self.eval {
                Some(ev) => {
                    // The CLI's `-o json` / `-o yaml` (the compact report, written without building it).
                    let r = ev.report_view(false);
                    // Compact JSON for both formats: the worker's JavaScript indents it or writes it as YAML
                    // (web/yaml.js). A pretty printer and a Value serializer here cost the page 4 KB gzip.
                    let text = serde_json::to_string(&r).map_err(|e| e.to_string());
                    Response::Exported {
                        seq: self.seq,
                        format,
                        text: text.unwrap_or_else(|e| format!("cannot serialize the result: {e}")),
                    }
                }
                None => Response::Nothing,
            },
            // Answered by the worker's JavaScript (CompressionStream), see share.rs.
            Request::Share { .. } => Response::Nothing,
        }
    }

    fn explain(&self, key: &str) -> Option<ExplainView> {
        let ev = self.eval.as_ref()?;
        let (_, r) = self.results.iter().find(|(k, _)| k == key)?;
        let x = ev.explain(&r.kind, &r.namespace, &r.name)?;
        Some(explain_view(r, &x))
    }

    fn evaluate(&mut self, seq: u32, text: &str, gates: Option<&str>, select: Option<String>) -> Evaluated {
        let options = Options { feature_gates: gates.map(str::to_string), ..Options::default() };
        match evaluate(text, &options) {
            Ok(ev) => {
                self.seq = seq;
                self.step_starts = step_starts(&ev);
                self.results = ev.resources().map(|r| (key_of(&r), r)).collect();
                self.rows = self
                    .results
                    .iter()
                    .map(|(_, r)| {
                        let row = row(r);
                        let hay = [&row.namespace, &row.name, &row.kind, &row.policy, &row.placement, &row.error]
                            .iter()
                            .map(|s| to_lower(s))
                            .collect::<Vec<_>>()
                            .join("\u{1}");
                        (row, hay)
                    })
                    .collect();
                let out = Evaluated {
                    seq,
                    ok: true,
                    rows: RowsPage::default(),
                    requested: select.clone(),
                    selected: None,
                    diagnostics: ev.diagnostics.iter().map(diag).collect(),
                    gate_on: ev.preemption_gate(),
                    overridden: match ev.gate_origin() {
                        (true, Some(said)) if said != ev.preemption_gate() => Some(said),
                        _ => None,
                    },
                    steps: ev.steps.len(),
                    core_ms: 0,
                    explain: None,
                };
                self.eval = Some(ev);
                let chosen = select
                    .filter(|k| self.results.iter().any(|(key, _)| key == k))
                    .or_else(|| self.results.first().map(|(k, _)| k.clone()));
                Evaluated { explain: chosen.as_deref().and_then(|k| self.explain(k)), selected: chosen, ..out }
            }
            // The held evaluation stays: the page keeps showing it (greyed) and may still ask about it.
            Err(e) => Evaluated {
                seq,
                ok: false,
                rows: RowsPage::default(),
                requested: select,
                selected: None,
                diagnostics: e.diagnostics.iter().map(diag).collect(),
                gate_on: false,
                overridden: None,
                steps: 0,
                core_ms: 0,
                explain: None,
            },
        }
    }

    fn page(&self, filter: &str, limit: usize) -> RowsPage {
        let f = to_lower(filter);
        let mut matching = 0;
        let mut rows = Vec::new();
        for (row, hay) in &self.rows {
            if f.is_empty() || hay.contains(&f) {
                matching += 1;
                if rows.len() < limit {
                    rows.push(row.clone());
                }
            }
        }
        RowsPage { filter: filter.to_string(), limit, total: self.rows.len(), matching, rows }
    }

    /// Indices of the resources matching the row filter.
    fn matching(&self, filter: &str) -> Vec<usize> {
        let f = to_lower(filter);
        self.rows.iter().enumerate().filter(|(_, (_, hay))| f.is_empty() || hay.contains(&f)).map(|(i, _)| i).collect()
    }

    /// A picture's data as JSON: `lanes` (q: the row filter): (steps, resources matching, the lanes of the
    /// first [`LANES`]); `diff` (q: from, to, tab-separated): (from, to, (resource, before, after) per change).
    pub fn draw(&self, view: &str, q: &str) -> String {
        let Some(ev) = &self.eval else { return String::new() };
        let mut q = q.split('\t');
        let mut arg = || q.next().unwrap_or_default();
        let json = match view {
            // (steps, resources matching, lanes of the first LANES of them)
            "lanes" => {
                let m = self.matching(arg());
                let keys: Vec<String> =
                    m.iter().take(LANES).filter_map(|i| self.results.get(*i)).map(|(k, _)| k.clone()).collect();
                serde_json::to_string(&(ev.steps.len(), m.len(), ev.lanes(Some(&keys))))
            }
            // (from, to, (resource, before, after) of each change)
            "diff" => {
                let from = arg().parse().unwrap_or(0);
                let to = arg().parse().unwrap_or(0);
                serde_json::to_string(&(from, to, karmada_policy_core::lanes::changes(&ev.lanes(None), from, to)))
            }
            // (clusters, owners, apply results, per resource (kind, namespace, name, owner, error, cells)) of
            // every resource, owners and apply results as indices into their tables (index 0: none), cells
            // (column, replicas, apply result): web/draw.js filters, groups and windows it. Compact: the
            // 10,000-resource fleet's export is 90 MB, this 3.0 MB (3.6 MB with the owner's name in each row).
            "matrix" => {
                let cl = ev.clusters();
                let col: karmada_policy_core::util::VecMap<&str, usize> =
                    cl.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
                let mut owners = Table::default();
                let mut hows = Table::default();
                let rows: Vec<_> = self
                    .results
                    .iter()
                    .map(|(_, r)| {
                        let owner = match &r.policy {
                            Some(p) if p.namespace.is_empty() => owners.index(&format_args!("{} {}", p.kind, p.name)),
                            Some(p) => owners.index(&format_args!("{} {}/{}", p.kind, p.namespace, p.name)),
                            None => 0,
                        };
                        let mut cells = Vec::with_capacity(r.placement.len());
                        for p in &r.placement {
                            let Some(c) = col.get(p.cluster.as_str()) else { continue };
                            let how = match r.apply.as_ref().and_then(|a| a.iter().find(|e| e.cluster == p.cluster)) {
                                Some(e) => match &e.message {
                                    Some(m) => hows.index(&format_args!("{:?}: {m}", e.result)),
                                    None => hows.index(&format_args!("{:?}", e.result)),
                                },
                                None => 0,
                            };
                            cells.push((*c, p.replicas, how));
                        }
                        (&r.kind, &r.namespace, &r.name, owner, r.error.as_deref().unwrap_or_default(), cells)
                    })
                    .collect();
                serde_json::to_string(&(cl, owners.names, hows.names, rows))
            }
            _ => Ok(String::new()),
        };
        json.unwrap_or_default()
    }

    fn timeline(&self, offset: usize, limit: usize) -> Response {
        let Some(r) = &self.eval else { return Response::Nothing };
        let steps = r
            .steps
            .iter()
            .enumerate()
            .skip(offset)
            .take(limit)
            .map(|(i, st)| {
                let from = self.step_starts.get(i).copied().unwrap_or(r.timeline.len());
                let events = r
                    .timeline
                    .iter()
                    .skip(from)
                    .take_while(|e| e.step == st.step)
                    .map(|e| {
                        let msg = if e.message.is_empty() { String::new() } else { format!(": {}", e.message) };
                        (format!("{:?}", e.kind), format!("{}{msg}", e.subject))
                    })
                    .collect();
                let ctx = if st.context == "karmada-apiserver" {
                    String::new()
                } else {
                    format!(" (context {})", st.context)
                };
                StepView {
                    title: format!("step {} · document {} · {} {}{ctx}", st.step, st.document, st.action, st.object),
                    events,
                }
            })
            .collect();
        Response::Timeline { seq: self.seq, total: r.steps.len(), steps }
    }
}

/// Index of the first event of each step (events are emitted in step order).
fn step_starts(r: &Evaluation) -> Vec<usize> {
    let mut starts = Vec::with_capacity(r.steps.len());
    let mut i = 0;
    for st in &r.steps {
        while r.timeline.get(i).is_some_and(|e| e.step < st.step) {
            i += 1;
        }
        starts.push(i);
    }
    starts
}

#[cfg(test)]
#[allow(clippy::panic, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::protocol::{Format, Gate};

    const SEED: &str = include_str!("../../examples/seamless-migration.yaml");

    fn eval(s: &mut Session, seq: u32, text: &str, gate: Gate) -> Evaluated {
        match s.handle(Request::Evaluate {
            seq,
            text: text.into(),
            gate,
            select: None,
            filter: String::new(),
            limit: 200,
        }) {
            Response::Evaluated(e) => *e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_follows_utf16_edits() {
        let mut t = Text::default();
        t.set("kind: a\n".into());
        t.replace(6, 7, "ConfigMap");
        t.replace(0, 0, "# x\n");
        assert_eq!(t.as_str(), "# x\nkind: ConfigMap\n");
        // Past a wide character and a surrogate pair (two UTF-16 units), positions are not byte offsets.
        t.set("a: 日本\nb: 😀x\n".into());
        t.replace(11, 12, "y");
        assert_eq!(t.as_str(), "a: 日本\nb: 😀y\n");
        t.replace(3, 5, "");
        assert_eq!(t.as_str(), "a: \nb: 😀y\n");
        t.replace(100, 200, "z");
        assert_eq!(t.as_str(), "a: \nb: 😀y\nz");
        // An inserted wide character ends the ASCII shortcut.
        t.set("ab".into());
        t.replace(1, 1, "é");
        t.replace(2, 3, "");
        assert_eq!(t.as_str(), "aé");
    }

    #[test]
    fn seed_rows_and_explain_of_the_first_resource() {
        let mut s = Session::default();
        let e = eval(&mut s, 1, SEED, Gate::Scenario);
        assert!(e.ok);
        assert_eq!((e.rows.total, e.rows.rows.len()), (4, 4));
        let nginx = e.rows.rows.iter().find(|r| r.name == "nginx-deploy").expect("nginx row");
        assert_eq!(nginx.policy, "PropagationPolicy/nginx-pp");
        assert_eq!(nginx.placement, "member1:2, member2:2");
        assert_eq!(e.explain.as_ref().map(|x| x.key.clone()), e.rows.rows.first().map(|r| r.key.clone()));
        assert_eq!(e.selected, e.rows.rows.first().map(|r| r.key.clone()));
        let Response::Rows { page, .. } = s.handle(Request::Rows { filter: "NGINX".into(), limit: 1 }) else {
            panic!("no rows");
        };
        assert_eq!((page.total, page.matching, page.rows.len()), (4, 2, 1));
        let Response::Explained { seq, explain: Some(x) } = s.handle(Request::Explain { key: nginx.key.clone() })
        else {
            panic!("no explain");
        };
        assert_eq!(seq, 1);
        assert!(x.events.iter().any(|(_, _, m)| m.contains("preempted PropagationPolicy default/migrate-pp")));
        assert!(x.clusters.iter().any(|c| c.name == "member3" && !c.selected));
    }

    #[test]
    fn gate_override_changes_the_winner() {
        let mut s = Session::default();
        let e = eval(&mut s, 1, SEED, Gate::Off);
        let nginx = e.rows.rows.iter().find(|r| r.name == "nginx-deploy").map(|r| r.policy.clone());
        assert_eq!(nginx.as_deref(), Some("PropagationPolicy/migrate-pp"));
        assert_eq!(e.overridden, Some(true), "the scenario's directive says true");
        assert_eq!(eval(&mut s, 2, SEED, Gate::On).overridden, None, "the override agrees with it");
    }

    #[test]
    fn gate_off_and_denials_are_named_in_the_trace() {
        let mut s = Session::default();
        eval(&mut s, 1, SEED, Gate::Off);
        let Some(x) = s.explain("Deployment/default/nginx-deploy") else { panic!("no explain") };
        let pp = x.policies.iter().find(|p| p.policy == "PropagationPolicy/nginx-pp").expect("nginx-pp");
        assert!(pp.reason.contains("would preempt PropagationPolicy default/migrate-pp"), "{}", pp.reason);
        assert!(pp.reason.contains("feature-gates override"), "{}", pp.reason);
        assert!(x.score_plugin.is_none(), "every score is 0");
        assert!(x.clusters.iter().any(|c| c.available.contains("Duplicated")));
        eval(&mut s, 2, include_str!("../../examples/webhook-denial.yaml"), Gate::Scenario);
        let Some(x) = s.explain("Deployment/team-b/api") else { panic!("no explain") };
        let denied = x.policies.iter().find(|p| p.verdict == "denied").expect("denied policy");
        assert_eq!(denied.policy, "PropagationPolicy/cross-ns");
        let d = denied.denial.as_ref().expect("position");
        assert_eq!((d.line, d.col), (12, 45));
    }

    fn drawn(s: &mut Session, view: &str, q: &str) -> serde_json::Value {
        serde_json::from_str(&s.draw(view, q)).expect("json")
    }

    #[test]
    fn pictures_of_the_seed() {
        let mut s = Session::default();
        eval(&mut s, 1, SEED, Gate::Scenario);
        let l = drawn(&mut s, "lanes", "");
        assert_eq!((l[0].as_u64(), l[1].as_u64(), l[2].as_array().map(Vec::len)), (Some(10), Some(4), Some(4)));
        let l = drawn(&mut s, "lanes", "nginx");
        assert_eq!(l[1], 2);
        let m = drawn(&mut s, "matrix", "");
        assert_eq!(m[0], serde_json::json!(["member1", "member2", "member3"]));
        let nginx = m[3].as_array().and_then(|r| r.iter().find(|r| r[2] == "nginx-deploy")).expect("row");
        let name = |table: usize, i: &serde_json::Value| m[table][i.as_u64().expect("index") as usize].clone();
        assert_eq!(name(1, &nginx[3]), "PropagationPolicy default/nginx-pp");
        let cells = nginx[5].as_array().expect("cells");
        let look = |c: &serde_json::Value| (c[0].clone(), c[1].clone(), name(2, &c[2]));
        let looks: Vec<_> = cells.iter().map(look).collect();
        assert_eq!(looks, [(0.into(), 2.into(), "Updated".into()), (1.into(), 2.into(), "Created".into())]);
        assert_eq!((m[1][0].clone(), m[2][0].clone()), ("".into(), "".into()), "index 0 is none");
        let d = drawn(&mut s, "diff", "9\t10");
        assert_eq!(d[2].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn bad_input_keeps_the_held_evaluation_and_positions_the_error() {
        let mut s = Session::default();
        eval(&mut s, 1, SEED, Gate::Scenario);
        // A YAML syntax error (the stream cannot be split into requests): the whole input is refused.
        let bad = "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors:\n  - {apiVersion: v1, kind: ConfigMap\n";
        let e = eval(&mut s, 2, bad, Gate::Scenario);
        assert!(!e.ok);
        let d = e.diagnostics.iter().find(|d| d.code == "yaml-syntax").expect("yaml-syntax");
        assert_eq!((d.line, d.col), (7, 1));
        // Explain and timeline still answer from the last good evaluation (edit 1).
        let Response::Timeline { seq, total, steps } = s.handle(Request::Timeline { offset: 0, limit: 2 }) else {
            panic!("no timeline");
        };
        assert_eq!((seq, steps.len()), (1, 2));
        assert!(total > 2);
    }

    #[test]
    fn timeline_pages_cover_every_event_once() {
        let mut s = Session::default();
        eval(&mut s, 1, SEED, Gate::Scenario);
        let Some(r) = s.eval.as_ref() else { panic!("no evaluation") };
        let all = r.timeline.len();
        let total_steps = r.steps.len();
        let mut seen = 0;
        let mut offset = 0;
        while offset < total_steps {
            let Response::Timeline { steps, .. } = s.handle(Request::Timeline { offset, limit: 3 }) else {
                panic!("no timeline");
            };
            seen += steps.iter().map(|s| s.events.len()).sum::<usize>();
            offset += 3;
        }
        assert_eq!(seen, all);
    }

    #[test]
    fn export_is_the_cli_json() {
        let mut s = Session::default();
        eval(&mut s, 1, SEED, Gate::Scenario);
        let Response::Exported { text, .. } = s.handle(Request::Export { format: Format::Json }) else {
            panic!("no export");
        };
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v.pointer("/resources/1/name").and_then(|v| v.as_str()), Some("nginx-deploy"));
        // The same JSON for YAML: the worker's JavaScript writes it as YAML (web/yaml.js).
        let Response::Exported { text: yaml, .. } = s.handle(Request::Export { format: Format::Yaml }) else {
            panic!("no export");
        };
        assert_eq!(yaml, text);
    }
}
