//! The ownership timeline: one lane per resource over the steps of the stream, derived from the timeline
//! events (who claims it and where it is placed after each step) plus markers for what changed it, and the
//! final apply result per cluster from the resource's `apply` field.

use crate::detector::timeline::{EventKind, TimelineEvent};
use crate::detector::TemplateKey;
use crate::evaluation::Evaluation;
use crate::execution::ApplyResult;
use crate::selector::ImplicitPriority;
use serde::{Deserialize, Serialize};

/// A stretch of steps with one owner and one placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// First step (1-based).
    pub from: usize,
    /// Last step (inclusive).
    pub to: usize,
    /// The claiming policy (`PropagationPolicy ns/name`), empty when unclaimed.
    pub owner: String,
    /// `cluster:replicas, …` as scheduled, empty when not placed.
    pub placement: String,
}

/// Something that happened to the resource at one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// Step.
    pub step: usize,
    /// Event kind (`Preempted`, `Released`, `Waiting`, `PolicyDenied`, `PreemptionDisabled`, `Rescheduled`,
    /// `Applied`, …).
    pub kind: String,
    /// What it says.
    pub text: String,
}

/// One resource's ownership over the steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// `Kind namespace/name`.
    pub subject: String,
    /// Owner and placement, step by step (absent steps: the template did not exist).
    pub segments: Vec<Segment>,
    /// Markers, in step order.
    pub marks: Vec<Mark>,
    /// Final apply result per cluster (`member1: Updated, member2: Created`), empty when not reported.
    pub apply: String,
    /// A scheduling error or an apply that did not succeed.
    pub failed: bool,
}

/// The lanes of `keys` (in that order) over `steps` steps: one pass over the timeline.
pub(crate) fn lanes(ev: &Evaluation, keys: &[&TemplateKey]) -> Vec<Lane> {
    let last = ev.steps.last().map_or(0, |s| s.step);
    let subjects: Vec<String> = keys.iter().map(|k| k.display()).collect();
    let index: crate::util::VecMap<&str, usize> = subjects.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let mut events: Vec<Vec<&TimelineEvent>> = vec![Vec::new(); keys.len()];
    // Policy events that concern some lanes: denials and the gate stopping a preemption.
    let mut policy_events: crate::util::VecMap<&str, Vec<&TimelineEvent>> = crate::util::VecMap::new();
    for e in &ev.timeline {
        if let Some(list) = index.get(&e.subject.as_str()).and_then(|i| events.get_mut(*i)) {
            list.push(e);
        } else if matches!(e.kind, EventKind::PolicyDenied | EventKind::PreemptionDisabled) {
            policy_events.entry(e.subject.as_str()).or_default().push(e);
        }
    }
    keys.iter()
        .zip(subjects)
        .zip(events)
        .map(|((key, subject), evs)| {
            let mut lane = build(subject, &evs, last);
            let policy_mark = |kind: EventKind, who: &str, text: String, doc: Option<usize>| {
                let e =
                    policy_events.get(&who)?.iter().find(|e| e.kind == kind && doc.is_none_or(|d| d == e.document))?;
                Some(Mark { step: e.step, kind: kind.as_str().into(), text })
            };
            if let Some(st) = ev.det.templates.get(key) {
                let t = &st.template;
                for (r, _, d, _) in ev.det.denied_candidates(t) {
                    let who = r.display();
                    let text = format!("{who} denied: {}", d.message);
                    lane.marks.extend(policy_mark(EventKind::PolicyDenied, &who, text, d.document));
                }
                let claim = crate::detector::claims::claimed_policy(&t.metadata.labels, &t.metadata.annotations);
                for c in claim.iter().filter(|_| !ev.preemption_gate) {
                    for (p, imp) in ev.det.candidates(t) {
                        let r = p.reference();
                        if imp == ImplicitPriority::Mismatch
                            || r == *c
                            || !ev.det.would_preempt(p.kind, &p.spec, key, c)
                        {
                            continue;
                        }
                        let who = r.display();
                        let text = format!("{who} would preempt {}, but {}", c.display(), ev.gate_off_cause());
                        lane.marks.extend(policy_mark(EventKind::PreemptionDisabled, &who, text, None));
                    }
                }
            }
            crate::util::sort_by(&mut lane.marks, |a, b| a.step.cmp(&b.step));
            let r = ev.result_of(key);
            if let Some(apply) = &r.apply {
                lane.apply =
                    apply.iter().map(|a| format!("{}: {:?}", a.cluster, a.result)).collect::<Vec<_>>().join(", ");
                lane.failed |= apply
                    .iter()
                    .any(|a| !matches!(a.result, ApplyResult::Created | ApplyResult::Adopted | ApplyResult::Updated));
            }
            lane.failed |= r.error.is_some();
            lane
        })
        .collect()
}

/// Segments and markers from one resource's events (in step order).
fn build(subject: String, evs: &[&TimelineEvent], last: usize) -> Lane {
    let mut lane = Lane { subject, segments: Vec::new(), marks: Vec::new(), apply: String::new(), failed: false };
    // The state after each step: None while the template does not exist.
    let mut state: Option<(String, String)> = None;
    let mut i = 0;
    while let Some(first) = evs.get(i) {
        let step = first.step;
        while let Some(e) = evs.get(i).filter(|e| e.step == step) {
            i += 1;
            let mark = |kind: &str| Mark { step, kind: kind.into(), text: e.message.clone() };
            match e.kind {
                EventKind::TemplateCreated => state = Some((String::new(), String::new())),
                EventKind::TemplateDeleted => {
                    state = None;
                    lane.marks.push(Mark { step, kind: "TemplateDeleted".into(), text: "template deleted".into() });
                }
                EventKind::Claimed => {
                    let owner = e.message.strip_prefix("claimed by ").unwrap_or(&e.message);
                    let owner = owner.split(" (previously").next().unwrap_or(owner);
                    if let Some(s) = state.as_mut() {
                        s.0 = owner.to_string();
                    }
                }
                EventKind::Released => {
                    if let Some(s) = state.as_mut() {
                        *s = (String::new(), String::new());
                    }
                    lane.marks.push(mark("Released"));
                }
                EventKind::BindingDeleted => {
                    if let Some(s) = state.as_mut() {
                        s.1.clear();
                    }
                }
                EventKind::Scheduled => {
                    let placed = e.message.strip_prefix("scheduled to ").filter(|p| *p != "no cluster");
                    if let Some(s) = state.as_mut() {
                        // A new placement under the same owner: the scheduler moved it.
                        let moved = !s.1.is_empty() && placed.is_some_and(|p| p != s.1);
                        if moved && !evs.iter().any(|x| x.step == step && x.kind == EventKind::Claimed) {
                            lane.marks.push(mark("Rescheduled"));
                        }
                        if let Some(p) = placed {
                            s.1 = p.to_string();
                        } else if !e.message.starts_with("scheduling failed") {
                            s.1.clear();
                        }
                    }
                    if e.message.starts_with("scheduling failed") {
                        lane.marks.push(mark("SchedulingFailed"));
                    }
                }
                EventKind::Preempted
                | EventKind::PreemptionSkipped
                | EventKind::Waiting
                | EventKind::ClaimStale
                | EventKind::Applied
                | EventKind::Removed
                | EventKind::Suspended
                | EventKind::Error => lane.marks.push(mark(e.kind.as_str())),
                _ => {}
            }
        }
        // The state at the end of `step` holds until the next change.
        let open = lane.segments.last().filter(|s| s.to == usize::MAX);
        let same = match (open, &state) {
            (Some(seg), Some((o, p))) => seg.owner == *o && seg.placement == *p,
            (None, None) => true,
            _ => false,
        };
        if !same {
            if let Some(seg) = lane.segments.last_mut().filter(|s| s.to == usize::MAX) {
                seg.to = step.saturating_sub(1);
            }
            lane.segments.retain(|s| s.to >= s.from);
            if let Some((owner, placement)) = &state {
                lane.segments.push(Segment {
                    from: step,
                    to: usize::MAX,
                    owner: owner.clone(),
                    placement: placement.clone(),
                });
            }
        }
    }
    if let Some(seg) = lane.segments.last_mut().filter(|s| s.to == usize::MAX) {
        seg.to = last.max(seg.from);
    }
    lane
}

impl Lane {
    /// Owner and placement at the end of `step` as text (`PropagationPolicy ns/p → member1:2`, `unclaimed`,
    /// or `absent` when the template does not exist then).
    pub fn at(&self, step: usize) -> String {
        match self.segments.iter().find(|s| s.from <= step && step <= s.to) {
            None => "absent".into(),
            Some(s) => {
                let owner = if s.owner.is_empty() { "unclaimed" } else { &s.owner };
                if s.placement.is_empty() {
                    owner.to_string()
                } else {
                    format!("{owner} → {}", s.placement)
                }
            }
        }
    }
}

/// The resources whose owner, clusters or replicas differ between the end of step `from` and the end of step
/// `to`: (resource, before, after).
pub fn changes(lanes: &[Lane], from: usize, to: usize) -> Vec<(String, String, String)> {
    lanes
        .iter()
        .filter_map(|l| {
            let (a, b) = (l.at(from), l.at(to));
            (a != b).then(|| (l.subject.clone(), a, b))
        })
        .collect()
}

impl Evaluation {
    /// The ownership lanes of the resources `keys` (`Kind/namespace/name`, unknown ones skipped), or of every
    /// resource when `keys` is `None`.
    pub fn lanes(&self, keys: Option<&[String]>) -> Vec<Lane> {
        let all: Vec<&TemplateKey> = self.det.templates.keys().collect();
        let chosen: Vec<&TemplateKey> = match keys {
            None => all,
            Some(ks) => ks
                .iter()
                .filter_map(|k| {
                    let mut parts = k.splitn(3, '/');
                    let (kind, ns, name) = (parts.next()?, parts.next()?, parts.next()?);
                    all.iter().find(|t| t.kind() == kind && t.namespace() == ns && t.name() == name).copied()
                })
                .collect(),
        };
        lanes(self, &chosen)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use crate::{evaluate, Options};

    const SEED: &str = include_str!("../../examples/seamless-migration.yaml");

    #[test]
    fn the_seed_reads_at_a_glance() {
        let ev = evaluate(SEED, &Options::default()).unwrap();
        let lanes = ev.lanes(None);
        assert_eq!(lanes.len(), 4);
        let nginx = lanes.iter().find(|l| l.subject == "Deployment default/nginx-deploy").unwrap();
        let owners: Vec<(usize, &str, &str)> =
            nginx.segments.iter().map(|s| (s.from, s.owner.as_str(), s.placement.as_str())).collect();
        assert_eq!(
            owners,
            vec![
                (5, "", ""),
                (9, "PropagationPolicy default/migrate-pp", "member1:2"),
                (10, "PropagationPolicy default/nginx-pp", "member1:2, member2:2"),
            ]
        );
        assert_eq!(nginx.segments[0].to, 8);
        assert_eq!(nginx.segments[2].to, ev.steps.len());
        let pre = nginx.marks.iter().find(|m| m.kind == "Preempted").unwrap();
        assert_eq!(pre.step, 10);
        assert!(pre.text.contains("priority 10 > 0"), "{}", pre.text);
        assert_eq!(nginx.apply, "member1: Updated, member2: Created");
        assert!(!nginx.failed);
        let diff = super::changes(&lanes, 9, 10);
        assert_eq!(diff.len(), 2, "{diff:?}");
        assert_eq!(
            diff[0],
            (
                "Deployment default/nginx-deploy".to_string(),
                "PropagationPolicy default/migrate-pp → member1:2".to_string(),
                "PropagationPolicy default/nginx-pp → member1:2, member2:2".to_string()
            )
        );
        assert_eq!(super::changes(&lanes, 4, 4), vec![]);
        assert_eq!(nginx.at(1), "absent");
        let hello = lanes.iter().find(|l| l.subject == "Deployment default/hello-deploy").unwrap();
        assert_eq!(hello.segments.last().map(|s| s.owner.as_str()), Some("PropagationPolicy default/migrate-pp"));
    }

    #[test]
    fn gate_off_and_denials_are_marked_on_the_lanes() {
        let opts = Options { feature_gates: Some("PropagationPolicyPreemption=false".into()), ..Options::default() };
        let ev = evaluate(SEED, &opts).unwrap();
        let keys = vec!["Deployment/default/nginx-deploy".to_string(), "Nope/x/y".to_string()];
        let lanes = ev.lanes(Some(&keys));
        assert_eq!(lanes.len(), 1);
        let m = lanes[0].marks.iter().find(|m| m.kind == "PreemptionDisabled").unwrap();
        assert_eq!(m.step, 10);
        assert!(m.text.contains("gate is off"), "{}", m.text);
        assert!(lanes[0].segments.iter().all(|s| s.owner != "PropagationPolicy default/nginx-pp"));

        let ev = evaluate(include_str!("../../examples/webhook-denial.yaml"), &Options::default()).unwrap();
        let lanes = ev.lanes(Some(&["Deployment/team-b/api".to_string()]));
        let d = lanes[0].marks.iter().find(|m| m.kind == "PolicyDenied").unwrap();
        assert_eq!(d.step, 1);
        assert!(d.text.contains("cross-ns denied: admission webhook"), "{}", d.text);
    }
}
