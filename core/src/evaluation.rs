//! The result of an evaluation: the detector's and controllers' final state, the fleet, the timeline and the
//! diagnostics. Everything users see is a view computed from it when asked: the compact [`Report`] of every
//! resource, one resource's [`ResourceExplain`] (policy verdicts, events, the scheduler's per-cluster table,
//! override rules), the manifest a cluster receives. Nothing per resource is built that no view asked for.

use crate::detector::timeline::{StepSummary, TimelineEvent};
use crate::detector::{Detector, TemplateKey};
use crate::diagnostic::{Diagnostic, Severity};
use crate::execution::{ApplyResult, Controllers, MemberEntry};
use crate::report::{
    FeatureGatesOut, PlacementOut, PolicyOut, PolicyVerdict, Report, ResourceExplain, ResourceResult, KARMADA_COMMIT,
};
use crate::selector::ImplicitPriority;
use crate::util::ChunkMap;
use serde_json::Value;

/// What a resource result carries beyond the conformance fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flags {
    /// The scenario has member-cluster objects (`# context:`): `apply` and `fullyApplied` are reported.
    pub with_apply: bool,
    /// The scenario has override policies: the `overrides` block is reported.
    pub with_overrides: bool,
    /// Work manifests and templates were kept (for rendering).
    pub keep_manifests: bool,
}

/// One evaluated scenario; see the module documentation.
#[derive(Debug)]
pub struct Evaluation {
    /// `PropagationPolicyPreemption` in effect.
    pub(crate) preemption_gate: bool,
    /// Where it was set: (by the override, i.e. `--feature-gates` or the playground's toggle; the scenario's
    /// `# feature-gates:` line, `None` when not set).
    pub(crate) gate_origin: (bool, Option<bool>),
    /// Member clusters the scheduler saw last.
    pub(crate) clusters: Vec<String>,
    pub(crate) det: Detector,
    pub(crate) ctl: Controllers,
    pub(crate) flags: Flags,
    /// Which member clusters hold each object at the end (`members`), when the scenario's policies use
    /// propagateDeps, suspension, preserveResourcesOnDeletion, dependentOverrides or schedulerName.
    pub(crate) members: Option<ChunkMap<TemplateKey, Vec<MemberEntry>>>,
    /// The steps of the stream.
    pub steps: Vec<StepSummary>,
    /// What happened, step by step.
    pub timeline: Vec<TimelineEvent>,
    /// Denials, warnings and assumptions.
    pub diagnostics: Vec<Diagnostic>,
}

impl Evaluation {
    /// Number of resource templates.
    pub fn len(&self) -> usize {
        self.det.templates.len()
    }

    /// Whether the scenario has no resource template.
    pub fn is_empty(&self) -> bool {
        self.det.templates.is_empty()
    }

    /// Member clusters the scheduler saw.
    pub fn clusters(&self) -> &[String] {
        &self.clusters
    }

    /// Whether `PropagationPolicyPreemption` was on.
    pub fn preemption_gate(&self) -> bool {
        self.preemption_gate
    }

    /// Where `PropagationPolicyPreemption` was set: (by the override — `--feature-gates`, the playground's
    /// toggle —, the scenario's `# feature-gates:` value if any).
    pub fn gate_origin(&self) -> (bool, Option<bool>) {
        self.gate_origin
    }

    /// Why `PropagationPolicyPreemption` is off, naming where the value came from.
    pub fn gate_off_cause(&self) -> &'static str {
        match self.gate_origin {
            (true, Some(true)) => "the PropagationPolicyPreemption feature gate is off, set by the feature-gates override (the scenario's line says true)",
            (true, _) => "the PropagationPolicyPreemption feature gate is off, set by the feature-gates override",
            (false, Some(_)) => "the PropagationPolicyPreemption feature gate is off, set by the scenario's `# feature-gates:` line",
            _ => "the PropagationPolicyPreemption feature gate is off, set by Karmada's default (Alpha)",
        }
    }

    /// Every resource's result, sorted by (apiVersion, kind, namespace, name).
    pub fn resources(&self) -> impl Iterator<Item = ResourceResult> + '_ {
        self.keys().into_iter().map(|k| self.result_of(&k))
    }

    /// The identities reported: every template, and, when `members` is reported, every object left only in
    /// member clusters (e.g. kept by `preserveResourcesOnDeletion` after its template was deleted), sorted.
    fn keys(&self) -> Vec<TemplateKey> {
        let mut keys: Vec<TemplateKey> = self.det.templates.keys().cloned().collect();
        if let Some(m) = &self.members {
            let before = keys.len();
            keys.extend(
                m.iter().filter(|(k, e)| !e.is_empty() && !self.det.templates.contains_key(*k)).map(|(k, _)| k.clone()),
            );
            if keys.len() != before {
                crate::util::sort_by(&mut keys, |a, b| a.cmp(b));
            }
        }
        keys
    }

    /// The compact report: every resource's result, the steps, the timeline (once) and the diagnostics.
    pub fn report(&self) -> Report {
        Report {
            karmada_commit: KARMADA_COMMIT.into(),
            feature_gates: FeatureGatesOut { propagation_policy_preemption: self.preemption_gate },
            resources: self.resources().collect(),
            clusters: self.clusters.clone(),
            steps: self.steps.clone(),
            timeline: self.timeline.clone(),
            diagnostics: self.diagnostics.clone(),
        }
    }

    /// The report as a value to serialize without building it: each resource's result (and its why-trace
    /// with `explained`) is computed while it is written, borrowing the rest. Serializes exactly as
    /// [`Self::report`] does (with `explained`, every resource's `explain` field set).
    pub fn report_view(&self, explained: bool) -> ReportView<'_> {
        ReportView { evaluation: self, explained }
    }

    /// Whether any error-severity diagnostic or scheduling error is present.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
            || self.det.templates.keys().any(|k| {
                self.ctl.schedule_result(k).is_some_and(|(_, error)| error.is_some())
                    && self.det.binding_of(k).is_some()
            })
    }

    /// The resource `kind` (case-insensitive) `name` in `namespace` (ignored for cluster-scoped resources).
    pub fn find(&self, kind: &str, namespace: &str, name: &str) -> Option<&TemplateKey> {
        self.det.templates.keys().find(|k| {
            k.kind().eq_ignore_ascii_case(kind)
                && k.name() == name
                && (k.namespace() == namespace || k.namespace().is_empty())
        })
    }

    /// The result of one resource (see [`Self::find`]).
    pub fn resource(&self, kind: &str, namespace: &str, name: &str) -> Option<ResourceResult> {
        self.find(kind, namespace, name).map(|k| self.result_of(k))
    }

    /// Why one resource got its policy and placement (see [`Self::find`]).
    pub fn explain(&self, kind: &str, namespace: &str, name: &str) -> Option<ResourceExplain> {
        self.find(kind, namespace, name).map(|k| self.explain_key(k))
    }

    /// The template as last applied (as the API server stores it: the document with its replica defaults); `None` unless manifests were kept
    /// ([`crate::Options::keep_manifests`]).
    pub fn template(&self, kind: &str, namespace: &str, name: &str) -> Option<&Value> {
        if !self.flags.keep_manifests {
            return None;
        }
        let key = self.find(kind, namespace, name)?;
        self.det.templates.get(key).map(|st| &*st.template.raw)
    }

    /// The manifest `cluster` receives for one resource (replicas revised, overrides applied, fields Karmada
    /// prunes removed, Karmada's bookkeeping metadata removed); `None` when no Work exists for that cluster or
    /// manifests were not kept.
    pub fn manifest(&self, kind: &str, namespace: &str, name: &str, cluster: &str) -> Option<Value> {
        let key = self.find(kind, namespace, name)?;
        self.ctl.manifests(key).remove(cluster)
    }

    /// The result of one resource: the conformance vectors' fields.
    pub fn result_of(&self, key: &TemplateKey) -> ResourceResult {
        let (det, ctl) = (&self.det, &self.ctl);
        let template = det.templates.get(key).map(|st| &st.template);
        let document = template.map(|t| t.document).unwrap_or_default();
        let claim =
            template.and_then(|t| crate::detector::claims::claimed_policy(&t.metadata.labels, &t.metadata.annotations));
        let binding = det.binding_of(key);
        let sched = binding.and_then(|_| ctl.schedule_result(key));
        let (mut placement, error): (Vec<PlacementOut>, _) = match sched {
            Some((clusters, error)) => (
                clusters.iter().map(|(c, replicas)| PlacementOut { cluster: c.clone(), replicas: *replicas }).collect(),
                error.map(str::to_string),
            ),
            None => (Vec::new(), None),
        };
        // The clusters the binding controller builds Works for: its own, then those of the bindings requiring
        // it (`mergeTargetClusters`), with their replica counts.
        if let Some(b) = binding.filter(|b| !b.binding.required_by.is_empty()) {
            let own: Vec<(String, i64)> = placement.iter().map(|p| (p.cluster.clone(), p.replicas)).collect();
            placement = crate::execution::merge_target_clusters(&own, &b.binding.required_by)
                .into_iter()
                .map(|(cluster, replicas)| PlacementOut { cluster, replicas })
                .collect();
            crate::util::sort_by(&mut placement, |a, b| a.cluster.cmp(&b.cluster));
        }
        let names: Vec<String> = placement.iter().map(|p| p.cluster.clone()).collect();
        let overrides = self.flags.with_overrides.then(|| ctl.override_entries(key, &names));
        let (apply, fully_applied) = if self.flags.with_apply {
            let entries = ctl.apply_entries(key, &names);
            let full = !entries.is_empty()
                && entries
                    .iter()
                    .all(|e| matches!(e.result, ApplyResult::Created | ApplyResult::Adopted | ApplyResult::Updated));
            (Some(entries), Some(full))
        } else {
            (None, None)
        };
        ResourceResult {
            api_version: key.api_version().to_string(),
            kind: key.kind().to_string(),
            namespace: key.namespace().to_string(),
            name: key.name().to_string(),
            policy: claim.map(|c| PolicyOut { kind: c.kind.as_str().into(), namespace: c.namespace, name: c.name }),
            binding: binding.map(|b| b.binding.name.clone()),
            placement,
            error,
            apply,
            fully_applied,
            overrides,
            members: self.members.as_ref().map(|m| m.get(key).cloned().unwrap_or_default()),
            binding_kind: binding.map(|b| b.binding.kind().to_string()),
            explain: None,
            document,
        }
    }

    /// The why-trace of one resource, computed from the final state: every policy in scope with its verdict,
    /// the resource's timeline events, the scheduler's explanation of its last scheduling (run again on the
    /// same binding and fleet snapshot) and the override rules of each Work.
    pub fn explain_key(&self, key: &TemplateKey) -> ResourceExplain {
        let (det, ctl) = (&self.det, &self.ctl);
        let Some(st) = det.templates.get(key) else { return ResourceExplain::default() };
        let t = &st.template;
        let claim = crate::detector::claims::claimed_policy(&t.metadata.labels, &t.metadata.annotations);
        let subject = key.display();
        let events: Vec<TimelineEvent> = self.timeline.iter().filter(|e| e.subject == subject).cloned().collect();
        let binding = det.binding_of(key);
        let scheduler = binding.and_then(|_| ctl.explain_schedule(det, key));
        let names: Vec<String> = self.result_of(key).placement.into_iter().map(|p| p.cluster).collect();
        let mut overrides = ctl.override_explain(key, &names);
        if !self.flags.with_overrides && overrides.iter().all(|o| o.error.is_none()) {
            overrides.clear();
        }
        // Policies the admission webhook refused never reach the detector: listed with the denial.
        let denied = det.denied_candidates(t).into_iter().map(|(r, spec, d, imp)| (r.clone(), spec, imp, Some(d)));
        let mut policies: Vec<PolicyVerdict> = det
            .candidates(t)
            .into_iter()
            .map(|(p, imp)| (p.reference(), &p.spec, imp, None))
            .chain(denied)
            .map(|(r, spec, imp, denial)| {
                let (verdict, reason) = if let Some(d) = denial {
                    ("denied", d.message.clone())
                } else if claim.as_ref() == Some(&r) {
                    ("claims", "its claim metadata is on the template".into())
                } else if imp == ImplicitPriority::Mismatch {
                    ("no match", "none of its resourceSelectors matches".into())
                } else if let Some(c) = claim
                    .as_ref()
                    .filter(|c| !self.preemption_gate && det.would_preempt(r.kind, spec, key, c))
                {
                    ("matches", format!("would preempt {}, but {}", c.display(), self.gate_off_cause()))
                } else if claim.is_some() {
                    ("matches", "matches, but the template is already claimed and claims are sticky (only preemption moves them)".into())
                } else {
                    ("matches", "matches but did not win".into())
                };
                // The denial as positioned in the text (the evaluation's copy of the diagnostic).
                let at = denial.and_then(|d| self.diagnostics.iter().find(|e| e.message == d.message));
                PolicyVerdict {
                    policy: PolicyOut { kind: r.kind.as_str().into(), namespace: r.namespace, name: r.name },
                    priority: spec.explicit_priority(),
                    implicit_priority: imp as u8,
                    preemption: spec.preemption_always(),
                    verdict: verdict.into(),
                    reason,
                    document: denial.and_then(|d| d.document),
                    span: at.and_then(|d| d.span),
                }
            })
            .collect();
        crate::util::sort_by(&mut policies, |a, b| {
            (
                b.verdict == "claims",
                a.verdict == "denied",
                a.policy.kind.as_str(),
                std::cmp::Reverse(a.priority),
                std::cmp::Reverse(a.implicit_priority),
                &a.policy.name,
            )
                .cmp(&(
                    a.verdict == "claims",
                    b.verdict == "denied",
                    b.policy.kind.as_str(),
                    std::cmp::Reverse(b.priority),
                    std::cmp::Reverse(b.implicit_priority),
                    &b.policy.name,
                ))
        });
        ResourceExplain { policies, events, scheduler, overrides }
    }
}

/// See [`Evaluation::report_view`].
pub struct ReportView<'a> {
    evaluation: &'a Evaluation,
    explained: bool,
}

/// The resources of a [`ReportView`], computed one at a time as they are written.
struct ResourcesView<'a>(&'a ReportView<'a>);

impl serde::Serialize for ResourcesView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ev = self.0.evaluation;
        let result = |k: &&TemplateKey| match self.0.explained {
            true => ResourceResult { explain: Some(ev.explain_key(k)), ..ev.result_of(k) },
            false => ev.result_of(k),
        };
        // Natively the results of a few hundred resources at a time are computed on every core while the
        // serializer waits (in order); wasm computes each as it is written.
        #[cfg(feature = "parallel")]
        {
            let keys: Vec<&TemplateKey> = ev.det.templates.keys().collect();
            serializer.collect_seq(keys.chunks(512).flat_map(|chunk| crate::util::map_in_order(chunk, result)))
        }
        #[cfg(not(feature = "parallel"))]
        serializer.collect_seq(ev.det.templates.keys().map(|k| result(&k)))
    }
}

impl serde::Serialize for ReportView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let ev = self.evaluation;
        // The fields and their order of `Report`.
        let mut s = serializer.serialize_struct("Report", 7)?;
        s.serialize_field("karmadaCommit", KARMADA_COMMIT)?;
        s.serialize_field("featureGates", &FeatureGatesOut { propagation_policy_preemption: ev.preemption_gate })?;
        s.serialize_field("resources", &ResourcesView(self))?;
        s.serialize_field("clusters", &ev.clusters)?;
        s.serialize_field("steps", &ev.steps)?;
        s.serialize_field("timeline", &ev.timeline)?;
        s.serialize_field("diagnostics", &ev.diagnostics)?;
        s.end()
    }
}
