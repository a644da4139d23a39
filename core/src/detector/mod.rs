//! The resource detector (`pkg/detector`): policy claims, implicit and explicit priority, the waiting list,
//! preemption and policy lifecycle, driven by the same event handlers and reconcilers as Karmada's, with
//! synchronous de-duplicating queues (policy queues drained before the resource-template queue).

pub mod claims;
pub mod timeline;

use crate::api::binding::{binding_name, ObjectReference, PolicyRef, ResourceBinding};
use crate::api::policy::{PolicyKind, PropagationPolicy, PropagationSpec};
use crate::api::template::ResourceTemplate;
use crate::diagnostic::{Diagnostic, Span};
use crate::scheduler::interpret_replicas;
use crate::selector::{
    resource_match_selectors, resource_match_selectors_priority, resource_selector_priority, ImplicitPriority,
};
use crate::util::{ChunkMap, ChunkSet, VecMap, VecSet};
use crate::webhook;
use claims::*;
use serde_json::Value;
use std::collections::VecDeque;
use timeline::{EventKind, TimelineEvent};

// TemplateKey: natively the four parts are kept in one shared string, `apiVersion NUL kind NUL namespace NUL
// name`: one allocation per key, clones by reference count (keys are cloned into every map of the detector and
// the controllers) and one byte comparison where four strings take up to four. NUL sorts before every other
// byte, so while no part holds a NUL (Kubernetes names, kinds and group versions cannot) keys order as the tuple
// of their parts; a key with one compares part by part. The wasm build keeps the four strings (smaller code:
// the npm package is size-budgeted; the joined form cost 870 B gzip there), and its `display` reads the fields
// (through the accessors it is 60 B larger), hence the second `display`.

/// Identity of a resource template (`keys.ClusterWideKey`), ordered by (apiVersion, kind, namespace, name).
#[cfg(feature = "parallel")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TemplateKey {
    /// Shared by the key's clones (a reference count, not a copy).
    joined: std::sync::Arc<str>,
    /// Where apiVersion, kind and namespace end in `joined`.
    ends: [usize; 3],
    /// No part holds a NUL, so `joined` orders as the parts do.
    plain: bool,
}

#[cfg(feature = "parallel")]
impl Ord for TemplateKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self.plain && other.plain {
            self.joined.cmp(&other.joined)
        } else {
            self.parts().cmp(&other.parts())
        }
    }
}

#[cfg(feature = "parallel")]
impl PartialOrd for TemplateKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(feature = "parallel")]
impl TemplateKey {
    /// The key of these four parts.
    pub fn new(api_version: &str, kind: &str, namespace: &str, name: &str) -> Self {
        let mut joined = String::with_capacity(api_version.len() + kind.len() + namespace.len() + name.len() + 3);
        let mut ends = [0; 3];
        for (end, part) in ends.iter_mut().zip([api_version, kind, namespace]) {
            joined.push_str(part);
            *end = joined.len();
            joined.push('\0');
        }
        joined.push_str(name);
        let plain = joined.bytes().filter(|b| *b == 0).count() == 3;
        TemplateKey { joined: joined.into(), ends, plain }
    }
    /// The four parts, in order.
    fn parts(&self) -> [&str; 4] {
        [self.api_version(), self.kind(), self.namespace(), self.name()]
    }
    /// The text between two separators (separator positions are char boundaries).
    fn part(&self, start: usize, end: usize) -> &str {
        self.joined.get(start..end).unwrap_or_default()
    }
    /// apiVersion.
    pub fn api_version(&self) -> &str {
        self.part(0, self.ends[0])
    }
    /// Kind.
    pub fn kind(&self) -> &str {
        self.part(self.ends[0] + 1, self.ends[1])
    }
    /// Namespace ("" for cluster-scoped).
    pub fn namespace(&self) -> &str {
        self.part(self.ends[1] + 1, self.ends[2])
    }
    /// Name.
    pub fn name(&self) -> &str {
        self.part(self.ends[2] + 1, self.joined.len())
    }
    /// `Kind ns/name` for messages.
    pub fn display(&self) -> String {
        if self.namespace().is_empty() {
            format!("{} {}", self.kind(), self.name())
        } else {
            format!("{} {}/{}", self.kind(), self.namespace(), self.name())
        }
    }
}

/// Identity of a resource template (`keys.ClusterWideKey`), ordered by (apiVersion, kind, namespace, name).
#[cfg(not(feature = "parallel"))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TemplateKey {
    api_version: String,
    kind: String,
    namespace: String,
    name: String,
}

#[cfg(not(feature = "parallel"))]
impl TemplateKey {
    /// The key of these four parts.
    pub fn new(api_version: &str, kind: &str, namespace: &str, name: &str) -> Self {
        TemplateKey {
            api_version: api_version.into(),
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }
    /// apiVersion.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }
    /// Kind.
    pub fn kind(&self) -> &str {
        &self.kind
    }
    /// Namespace ("" for cluster-scoped).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }
    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// `Kind ns/name` for messages.
    pub fn display(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

impl TemplateKey {
    /// Key of a template.
    pub fn of(t: &ResourceTemplate) -> Self {
        TemplateKey::new(&t.api_version, &t.kind, &t.metadata.namespace, &t.metadata.name)
    }
    /// Key of the template a binding's `spec.resource` refers to.
    pub fn of_ref(r: &ObjectReference) -> Self {
        TemplateKey::new(&r.api_version, &r.kind, &r.namespace, &r.name)
    }
}

/// Identity of a policy.
pub type PolicyKey = PolicyRef;

/// A policy as stored after admission.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPolicy {
    /// Kind.
    pub kind: PolicyKind,
    /// Namespace ("" for CPP).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Permanent id (the mutating webhook's UUID; deterministic here).
    pub id: String,
    /// Spec after CRD defaults and the mutating webhook.
    pub spec: PropagationSpec,
    /// metadata.generation.
    pub generation: u64,
    /// Deletion requested (held by the finalizer until the detector cleans up).
    pub deleting: bool,
    /// Document that last applied it.
    pub document: usize,
}

impl StoredPolicy {
    /// Reference to this policy.
    pub fn reference(&self) -> PolicyRef {
        PolicyRef { kind: self.kind, namespace: self.namespace.clone(), name: self.name.clone() }
    }
    fn lazy(&self) -> bool {
        self.spec.activation_preference == "Lazy"
    }
}

/// A template as stored in karmada-apiserver, with the label/annotation keys the user owns (kubectl apply's
/// last-applied configuration).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTemplate {
    /// The object, claim metadata included (shared with the sync's snapshots).
    pub template: crate::util::Shared<ResourceTemplate>,
    user_labels: VecSet<String>,
    user_annotations: VecSet<String>,
    /// The policy object the last `ApplyPolicy` built the binding from and the binding's revision after it;
    /// cleared when the template changes.
    applied: Option<(std::sync::Arc<StoredPolicy>, u64)>,
}

/// A binding as stored, with its labels/annotations (claim metadata) and owner.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBinding {
    /// The binding spec the scheduler reads.
    pub binding: ResourceBinding,
    /// Labels.
    pub labels: VecMap<String, String>,
    /// Annotations.
    pub annotations: VecMap<String, String>,
    /// Controller owner.
    pub owner: TemplateKey,
    /// Bumped on every write of the binding (what the binding controller reacts to).
    pub revision: u64,
    /// A digest of the template object at the last apply (its resourceVersion is part of the binding spec: a
    /// changed template changes the binding); 0 for bindings of other controllers.
    template_snapshot: u64,
}

impl StoredBinding {
    /// A binding created by another controller than the detector (the dependencies distributor's attached
    /// bindings), owned by `owner`.
    pub fn created_for(binding: ResourceBinding, owner: TemplateKey) -> Self {
        StoredBinding {
            binding,
            labels: VecMap::new(),
            annotations: VecMap::new(),
            owner,
            revision: 1,
            template_snapshot: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RtItem {
    key: TemplateKey,
    by_karmada: bool,
}

/// A de-duplicating FIFO with two priorities (normal first, then low), like Karmada's priority queue.
#[derive(Debug)]
struct Queue<T: PartialEq + Clone> {
    normal: VecDeque<(T, u8)>,
    low: VecDeque<(T, u8)>,
}

impl<T: PartialEq + Clone> Default for Queue<T> {
    fn default() -> Self {
        Queue { normal: VecDeque::new(), low: VecDeque::new() }
    }
}

impl<T: PartialEq + Clone> Queue<T> {
    fn add(&mut self, item: T, low: bool) {
        self.add_with_retries(item, low, 0);
    }
    fn add_with_retries(&mut self, item: T, low: bool, retries: u8) {
        if self.normal.iter().any(|(i, _)| *i == item) {
            return;
        }
        if let Some(pos) = self.low.iter().position(|(i, _)| *i == item) {
            if low {
                return;
            }
            // A normal-priority add raises a waiting low-priority item.
            self.low.remove(pos);
        }
        if low {
            self.low.push_back((item, retries));
        } else {
            self.normal.push_back((item, retries));
        }
    }
    fn pop(&mut self) -> Option<(T, u8)> {
        self.normal.pop_front().or_else(|| self.low.pop_front())
    }
}

/// Retries of a failed queue item within one drain (the reference run retries up to 3 times).
const MAX_RETRIES: u8 = 3;
/// A safety bound on reconciles per drain; Karmada converges far sooner.
const MAX_RECONCILES: usize = 1_000_000;

/// Reserved namespaces and `--skipped-propagating-namespaces` default `kube-.*` (`EventFilter`).
pub fn namespace_ignored(ns: &str) -> bool {
    ns == "karmada-system" || ns == "karmada-cluster" || ns.starts_with("karmada-es-") || ns.starts_with("kube-")
}

/// The detector state: everything karmada-apiserver holds that the detector reads or writes.
#[derive(Debug, Default)]
pub struct Detector {
    gate_preemption: bool,
    /// Policies by key.
    pub policies: VecMap<PolicyKey, std::sync::Arc<StoredPolicy>>,
    /// Templates by key.
    pub templates: ChunkMap<TemplateKey, StoredTemplate>,
    /// Bindings by (namespace, name); namespace "" for ClusterResourceBindings.
    pub bindings: ChunkMap<(String, String), crate::util::Shared<StoredBinding>>,
    /// OverridePolicy / ClusterOverridePolicy names present (for `dependentOverrides`).
    pub overrides: VecSet<(String, String)>,
    waiting: ChunkSet<TemplateKey>,
    pp_queue: Queue<PolicyKey>,
    cpp_queue: Queue<PolicyKey>,
    rt_queue: Queue<RtItem>,
    next_id: u64,
    document: usize,
    /// What happened, in order.
    pub timeline: Vec<TimelineEvent>,
    /// Admission denials and other per-document findings.
    pub diagnostics: Vec<Diagnostic>,
    /// Policies the admission webhook refused (the spec as submitted, defaulted) with the index of their
    /// denial in [`Self::diagnostics`], for the why-trace of the resources they would select.
    pub denied: Vec<(PolicyRef, PropagationSpec, usize)>,
    /// Templates whose binding was written or deleted since the last [`Detector::take_dirty`].
    dirty: ChunkSet<TemplateKey>,
    /// Reconciles that kept failing in this drain: Karmada's queues requeue them with backoff until they
    /// succeed, so they are retried at every later step ([`Detector::requeue_failed`]).
    failed_templates: Vec<RtItem>,
    failed_policies: Vec<PolicyKey>,
    /// Failures already told in the timeline (subject, error): a retry that fails the same way is not repeated.
    reported: VecSet<(String, String)>,
}

type ReconcileResult = Result<(), String>;

impl Detector {
    /// A detector with the `PropagationPolicyPreemption` gate set as given.
    pub fn new(gate_preemption: bool) -> Self {
        Detector { gate_preemption, ..Default::default() }
    }

    fn event(&mut self, kind: EventKind, subject: String, message: String) {
        self.timeline.push(TimelineEvent { step: 0, document: self.document, kind, subject, message });
    }

    fn new_id(&mut self, kind: PolicyKind) -> String {
        self.next_id += 1;
        let prefix = match kind {
            PolicyKind::PropagationPolicy => "pp",
            PolicyKind::ClusterPropagationPolicy => "cpp",
        };
        format!("{prefix}-{:08}", self.next_id)
    }

    // ------------------------------------------------------------------------------------------------
    // API-server side: applying and deleting objects, with the events the detector's informers deliver.
    // ------------------------------------------------------------------------------------------------

    /// `kubectl apply` of a (Cluster)PropagationPolicy: CRD defaults, mutating and validating webhooks, then
    /// create or update with the informer event.
    pub fn apply_policy(&mut self, kind: PolicyKind, policy: &PropagationPolicy, document: usize, span: Span) {
        self.document = document;
        let namespace = policy.metadata.namespace.clone();
        let name = policy.metadata.name.clone();
        let key = PolicyRef { kind, namespace: namespace.clone(), name: name.clone() };
        let mut spec = policy.spec.clone();
        webhook::apply_crd_defaults(&mut spec);
        let subject = key.display();
        let schema_errs = webhook::validate_schema(&spec);
        if let Some(msg) = webhook::aggregate(&schema_errs) {
            let full = format!("{}.policy.karmada.io {} is invalid: {msg}", kind.as_str(), webhook::go_quote(&name));
            self.deny(subject, full, document, span);
            self.denied.push((key, spec, self.diagnostics.len() - 1));
            return;
        }
        webhook::mutate(kind, &namespace, &mut spec);
        let existing = self.policies.get(&key).cloned();
        if let Some(old) = &existing {
            if old.deleting {
                let msg = format!(
                    "Operation cannot be fulfilled on {}.policy.karmada.io {}: object is being deleted",
                    crate::util::golower::to_lower(kind.as_str()) + "ies",
                    webhook::go_quote(&name)
                );
                self.deny(subject, msg, document, span);
                return;
            }
            if old.spec.scheduler_name != spec.scheduler_name {
                let msg = format!(
                    "admission webhook \"{}\" denied the request: the schedulerName should not be updated",
                    kind.webhook_name()
                );
                self.deny(subject, msg, document, span);
                return;
            }
        }
        let req_ns = if kind == PolicyKind::PropagationPolicy { namespace.as_str() } else { "" };
        let errs = webhook::validate_spec(&spec, req_ns);
        if let Some(msg) = webhook::aggregate(&errs) {
            let full = format!("admission webhook \"{}\" denied the request: {msg}", kind.webhook_name());
            self.deny(subject, full, document, span);
            self.denied.push((key, spec, self.diagnostics.len() - 1));
            return;
        }
        match existing {
            None => {
                let id = self.new_id(kind);
                let stored = StoredPolicy { kind, namespace, name, id, spec, generation: 1, deleting: false, document };
                self.event(EventKind::PolicyCreated, subject, describe_policy(&stored));
                self.policies.insert(key.clone(), stored.into());
                self.policy_queue(kind).add(key, false);
            }
            Some(old) => {
                if old.spec == spec {
                    self.event(EventKind::PolicyUnchanged, subject, "re-applied with no spec change".into());
                    return;
                }
                let mut new = StoredPolicy::clone(&old);
                new.spec = spec;
                new.generation += 1;
                new.document = document;
                self.event(EventKind::PolicyUpdated, subject, describe_policy(&new));
                self.policies.insert(key.clone(), new.clone().into());
                // OnPropagationPolicyUpdate: generation changed → enqueue, then the deprioritized handler.
                self.policy_queue(kind).add(key, false);
                if self.gate_preemption && new.spec.explicit_priority() < old.spec.explicit_priority() {
                    self.handle_deprioritized(&old, &new);
                }
            }
        }
        self.drain();
    }

    fn deny(&mut self, subject: String, message: String, document: usize, span: Span) {
        self.event(EventKind::PolicyDenied, subject, message.clone());
        self.diagnostics.push(
            Diagnostic::error("webhook-denied", message)
                .with_help("Karmada refuses this policy: it is never created")
                .at(Some(document), Some(span)),
        );
    }

    fn policy_queue(&mut self, kind: PolicyKind) -> &mut Queue<PolicyKey> {
        match kind {
            PolicyKind::PropagationPolicy => &mut self.pp_queue,
            PolicyKind::ClusterPropagationPolicy => &mut self.cpp_queue,
        }
    }

    /// `HandleDeprioritized(Cluster)PropagationPolicy` (`pkg/detector/preemption.go`): re-queue the same kind's
    /// `preemption: Always` policies whose priority lies strictly between the new and the old one, highest first.
    fn handle_deprioritized(&mut self, old: &StoredPolicy, new: &StoredPolicy) {
        let (lo, hi) = (new.spec.explicit_priority(), old.spec.explicit_priority());
        let mut found: Vec<(i32, PolicyKey)> = self
            .policies
            .values()
            .filter(|p| {
                p.kind == new.kind && (p.kind == PolicyKind::ClusterPropagationPolicy || p.namespace == new.namespace)
            })
            .filter(|p| p.spec.priority.is_some() && p.spec.preemption_always())
            .filter(|p| p.spec.explicit_priority() > lo && p.spec.explicit_priority() < hi)
            .map(|p| (p.spec.explicit_priority(), p.reference()))
            .collect();
        crate::util::sort_by(&mut found, |a, b| b.0.cmp(&a.0));
        for (prio, key) in found {
            self.event(
                EventKind::PolicyRequeued,
                key.display(),
                format!(
                    "re-queued for preemption: {} lowered its priority from {hi} to {lo} and this policy's priority {prio} lies between",
                    new.reference().display()
                ),
            );
            self.policy_queue(key.kind).add(key, false);
        }
    }

    /// Deletes a policy: the finalizer holds it, the detector cleans up claims, then it disappears.
    pub fn delete_policy(&mut self, key: &PolicyKey, document: usize) -> bool {
        self.document = document;
        let Some(stored) = self.policies.get_mut(key) else {
            return false;
        };
        let mut p = StoredPolicy::clone(stored);
        p.deleting = true;
        p.generation += 1;
        *stored = p.into();
        let subject = key.display();
        self.event(EventKind::PolicyDeleted, subject, "deletion requested; the detector releases its claims".into());
        self.policy_queue(key.kind).add(key.clone(), false);
        self.drain();
        true
    }

    /// `kubectl apply` of a resource template (create, or update with kubectl's label/annotation merge).
    pub fn apply_template(&mut self, template: &ResourceTemplate) {
        self.document = template.document;
        let key = TemplateKey::of(template);
        let user_labels: VecSet<String> = template.metadata.labels.keys().cloned().collect();
        let user_annotations: VecSet<String> = template.metadata.annotations.keys().cloned().collect();
        match self.templates.get(&key).cloned() {
            None => {
                self.event(EventKind::TemplateCreated, key.display(), String::new());
                self.templates.insert(
                    key.clone(),
                    StoredTemplate {
                        template: crate::util::Shared::new(template.clone()),
                        user_labels,
                        user_annotations,
                        applied: None,
                    },
                );
                if !namespace_ignored(key.namespace()) {
                    self.rt_queue.add(RtItem { key, by_karmada: false }, false);
                } else {
                    self.event(
                        EventKind::Ignored,
                        key.display(),
                        format!("namespace {} is skipped by the detector (reserved or kube-*)", key.namespace()),
                    );
                }
            }
            Some(old) => {
                let mut new = template.clone();
                // Keys the user did not own before stay (Karmada's claim metadata); user keys come from the new manifest.
                for (k, v) in &old.template.metadata.labels {
                    if !old.user_labels.contains(k) && !new.metadata.labels.contains_key(k) {
                        new.metadata.labels.insert(k.clone(), v.clone());
                    }
                }
                for (k, v) in &old.template.metadata.annotations {
                    if !old.user_annotations.contains(k) && !new.metadata.annotations.contains_key(k) {
                        new.metadata.annotations.insert(k.clone(), v.clone());
                    }
                }
                let changed = full_object(&old.template) != full_object(&new);
                self.templates.insert(
                    key.clone(),
                    StoredTemplate {
                        template: crate::util::Shared::new(new.clone()),
                        user_labels,
                        user_annotations,
                        applied: None,
                    },
                );
                if changed {
                    self.event(EventKind::TemplateUpdated, key.display(), String::new());
                    self.on_template_update(&old.template, &new);
                } else {
                    self.event(EventKind::TemplateUnchanged, key.display(), "re-applied with no change".into());
                }
            }
        }
        self.drain();
    }

    /// Deletes a template: its binding goes with it (owner reference garbage collection).
    pub fn delete_template(&mut self, key: &TemplateKey, document: usize) -> bool {
        self.document = document;
        if self.templates.remove(key).is_none() {
            return false;
        }
        self.event(EventKind::TemplateDeleted, key.display(), String::new());
        let owned: Vec<(String, String)> =
            self.bindings.iter().filter(|(_, b)| b.owner == *key).map(|(k, _)| k.clone()).collect();
        self.dirty.insert(key.clone());
        for bk in owned {
            self.bindings.remove(&bk);
            self.event(EventKind::BindingDeleted, key.display(), format!("binding {} garbage-collected", bk.1));
        }
        if !namespace_ignored(key.namespace()) {
            self.rt_queue.add(RtItem { key: key.clone(), by_karmada: false }, false);
        }
        self.drain();
        true
    }

    /// `OnUpdate`: enqueue when the specification changed (anything but status).
    fn on_template_update(&mut self, old: &ResourceTemplate, new: &ResourceTemplate) {
        let key = TemplateKey::of(new);
        if namespace_ignored(key.namespace()) || full_object(old) == full_object(new) {
            return;
        }
        let by_karmada = if self.claimed_by_lazy_policy(new) { resource_change_by_karmada(old, new) } else { false };
        self.rt_queue.add(RtItem { key, by_karmada }, false);
    }

    /// `isClaimedByLazyPolicy`.
    fn claimed_by_lazy_policy(&self, t: &ResourceTemplate) -> bool {
        let (l, a) = (&t.metadata.labels, &t.metadata.annotations);
        if let Some((ns, name, _)) = pp_claim(l, a) {
            let k = PolicyRef { kind: PolicyKind::PropagationPolicy, namespace: ns, name };
            return self.policies.get(&k).is_some_and(|p| p.lazy());
        }
        if let Some((name, _)) = cpp_claim(l, a) {
            let k = PolicyRef { kind: PolicyKind::ClusterPropagationPolicy, namespace: String::new(), name };
            return self.policies.get(&k).is_some_and(|p| p.lazy());
        }
        false
    }

    /// Writes a template's labels/annotations (a `Client.Update`) and delivers the update event.
    fn update_template_meta(
        &mut self,
        key: &TemplateKey,
        f: impl FnOnce(&mut VecMap<String, String>, &mut VecMap<String, String>),
    ) {
        let Some(st) = self.templates.get_mut(key) else {
            return;
        };
        let meta = &mut crate::util::shared::make_mut(&mut st.template).metadata;
        let (old_labels, old_annotations) = (meta.labels.clone(), meta.annotations.clone());
        f(&mut meta.labels, &mut meta.annotations);
        // Only the labels and annotations can have changed: the object is the same iff they are (what
        // `on_template_update` compares), and the old object is needed only for a Lazy policy's check.
        if meta.labels == old_labels && meta.annotations == old_annotations {
            return;
        }
        st.applied = None;
        let Some(new) = self.templates.get(key).map(|s| &s.template) else {
            return;
        };
        if namespace_ignored(key.namespace()) {
            return;
        }
        let by_karmada = self.claimed_by_lazy_policy(new) && {
            let mut old = ResourceTemplate::clone(new);
            old.metadata.labels = old_labels;
            old.metadata.annotations = old_annotations;
            resource_change_by_karmada(&old, new)
        };
        self.rt_queue.add(RtItem { key: key.clone(), by_karmada }, false);
    }

    // ------------------------------------------------------------------------------------------------
    // The workers.
    // ------------------------------------------------------------------------------------------------

    /// Runs every queue until nothing is left: PP queue, then CPP queue, then resource templates.
    pub fn drain(&mut self) {
        let mut budget = MAX_RECONCILES;
        while budget > 0 {
            budget -= 1;
            if let Some((key, tries)) = self.pp_queue.pop() {
                if let Err(e) = self.reconcile_policy(&key) {
                    self.retry_policy(key, tries, e);
                }
            } else if let Some((key, tries)) = self.cpp_queue.pop() {
                if let Err(e) = self.reconcile_policy(&key) {
                    self.retry_policy(key, tries, e);
                }
            } else if let Some((item, tries)) = self.rt_queue.pop() {
                if let Err(e) = self.reconcile_template(&item) {
                    if tries < MAX_RETRIES {
                        self.rt_queue.add_with_retries(item, false, tries + 1);
                    } else if e != "no matched propagation policy" {
                        self.report_failure(item.key.display(), e);
                        if !self.failed_templates.contains(&item) {
                            self.failed_templates.push(item);
                        }
                    }
                }
            } else {
                return;
            }
        }
    }

    fn retry_policy(&mut self, key: PolicyKey, tries: u8, e: String) {
        if tries < MAX_RETRIES {
            self.policy_queue(key.kind).add_with_retries(key, false, tries + 1);
        } else {
            self.report_failure(key.display(), e);
            if !self.failed_policies.contains(&key) {
                self.failed_policies.push(key);
            }
        }
    }

    fn report_failure(&mut self, subject: String, error: String) {
        if self.reported.insert((subject.clone(), error.clone())) {
            self.event(EventKind::Error, subject, format!("{error} (requeued: retried at every later step)"));
        }
    }

    /// Requeues the reconciles that kept failing (the rate-limited requeue of Karmada's workers, e.g. a
    /// policy waiting for its `dependentOverrides`), then drains the queues. Called after every step.
    pub fn requeue_failed(&mut self, document: usize) {
        if self.failed_templates.is_empty() && self.failed_policies.is_empty() {
            return;
        }
        self.document = document;
        for key in std::mem::take(&mut self.failed_policies) {
            self.policy_queue(key.kind).add(key, false);
        }
        for item in std::mem::take(&mut self.failed_templates) {
            self.rt_queue.add(item, false);
        }
        self.drain();
    }

    /// `Reconcile` → `propagateResource` (`pkg/detector/detector.go`, `policy.go`).
    fn reconcile_template(&mut self, item: &RtItem) -> ReconcileResult {
        let Some(st) = self.templates.get(&item.key) else {
            self.waiting.remove(&item.key);
            return Ok(());
        };
        let t = st.template.clone();
        if t.metadata.labels.get(CLAIMED_BY_LABEL).is_some_and(|v| !v.is_empty()) {
            self.waiting.remove(&item.key);
            return Ok(());
        }
        let (l, a) = (&t.metadata.labels, &t.metadata.annotations);
        if let Some((ns, name, id)) = pp_claim(l, a) {
            let pk = PolicyRef { kind: PolicyKind::PropagationPolicy, namespace: ns, name };
            return self.get_and_apply_policy(item, &t, &pk, &id);
        }
        if let Some((name, id)) = cpp_claim(l, a) {
            let pk = PolicyRef { kind: PolicyKind::ClusterPropagationPolicy, namespace: String::new(), name };
            return self.get_and_apply_policy(item, &t, &pk, &id);
        }
        for kind in [PolicyKind::PropagationPolicy, PolicyKind::ClusterPropagationPolicy] {
            if let Some(pk) = self.highest_priority_policy(&t, kind) {
                self.check_dependent_overrides(&pk)?;
                self.waiting.remove(&item.key);
                let why = self.why_selected(&t, &pk);
                self.event(EventKind::Matched, item.key.display(), why);
                return self.apply(item, &pk);
            }
        }
        if self.waiting.contains(&item.key) {
            return Ok(());
        }
        self.waiting.insert(item.key.clone());
        self.event(EventKind::Waiting, item.key.display(), "no policy matches; left in the waiting list".into());
        Err("no matched propagation policy".into())
    }

    /// `getHighestPriority(Cluster)PropagationPolicy`: max of (explicit desc, implicit desc, name asc) over the
    /// non-deleting candidates; PP candidates only in the template's namespace (none for cluster-scoped ones).
    pub fn highest_priority_policy(&self, t: &ResourceTemplate, kind: PolicyKind) -> Option<PolicyKey> {
        if kind == PolicyKind::PropagationPolicy && t.metadata.namespace.is_empty() {
            return None;
        }
        let mut best: Option<(&StoredPolicy, i32, crate::selector::ImplicitPriority)> = None;
        // Policies are keyed by (kind, namespace, name): the candidates are one contiguous run of keys.
        let namespace = if kind == PolicyKind::PropagationPolicy { t.metadata.namespace.as_str() } else { "" };
        let start = PolicyKey { kind, namespace: namespace.to_string(), name: String::new() };
        let candidates =
            self.policies.range_from(&start).take_while(|(k, _)| k.kind == kind && k.namespace == namespace);
        for (_, p) in candidates {
            if p.deleting {
                continue;
            }
            let imp = resource_match_selectors_priority(t, &p.spec.resource_selectors);
            if imp == crate::selector::ImplicitPriority::Mismatch {
                continue;
            }
            let exp = p.spec.explicit_priority();
            let better = match &best {
                None => true,
                Some((b, be, bi)) => (exp, imp) > (*be, *bi) || ((exp, imp) == (*be, *bi) && p.name < b.name),
            };
            if better {
                best = Some((p, exp, imp));
            }
        }
        best.map(|(p, _, _)| p.reference())
    }

    fn why_selected(&self, t: &ResourceTemplate, pk: &PolicyKey) -> String {
        let Some(p) = self.policies.get(pk) else {
            return String::new();
        };
        let imp = resource_match_selectors_priority(t, &p.spec.resource_selectors);
        format!(
            "{} selected: explicit priority {}, {}{}",
            pk.display(),
            p.spec.explicit_priority(),
            imp.describe(),
            if pk.kind == PolicyKind::ClusterPropagationPolicy {
                "; no PropagationPolicy in the namespace matches"
            } else {
                ""
            }
        )
    }

    fn check_dependent_overrides(&self, pk: &PolicyKey) -> ReconcileResult {
        let Some(p) = self.policies.get(pk) else {
            return Ok(());
        };
        for name in &p.spec.dependent_overrides {
            if !self.overrides.contains(&(p.namespace.clone(), name.clone())) {
                return Err("waiting for dependent overrides".into());
            }
        }
        Ok(())
    }

    /// `getAndApplyPolicy` / `getAndApplyClusterPolicy`.
    fn get_and_apply_policy(
        &mut self,
        item: &RtItem,
        t: &ResourceTemplate,
        pk: &PolicyKey,
        claimed_id: &str,
    ) -> ReconcileResult {
        let Some(p) = self.policies.get(pk).cloned() else {
            // The claimer is gone: clean the claim from the binding, then from the template.
            self.cleanup_template_and_binding(&item.key, pk.kind, claimed_id);
            return Ok(());
        };
        if p.deleting {
            return Err(match pk.kind {
                PolicyKind::PropagationPolicy => format!("policy({}/{}) is being deleted", pk.namespace, pk.name),
                PolicyKind::ClusterPropagationPolicy => format!("cluster policy({}) is being deleted", pk.name),
            });
        }
        if !resource_match_selectors(t, &p.spec.resource_selectors) {
            // Silently nothing: the claim stays and the binding is no longer refreshed (Karmada §9.5).
            self.event(
                EventKind::ClaimStale,
                item.key.display(),
                format!(
                    "{} still claims it but its selectors no longer match; the binding is not refreshed",
                    pk.display()
                ),
            );
            return Ok(());
        }
        self.check_dependent_overrides(pk)?;
        self.apply(item, pk)
    }

    /// `ApplyPolicy` / `ApplyClusterPolicy`: claim, then build and create-or-update the binding.
    fn apply(&mut self, item: &RtItem, pk: &PolicyKey) -> ReconcileResult {
        let Some(p) = self.policies.get(pk).cloned() else {
            return Ok(());
        };
        self.claim(&item.key, &p);
        if item.by_karmada && p.lazy() {
            self.event(
                EventKind::LazySkipped,
                item.key.display(),
                format!("{} is Lazy: claimed, binding not refreshed until the template changes", pk.display()),
            );
            return Ok(());
        }
        if self.applied_unchanged(&item.key, &p) {
            return Ok(());
        }
        let Some(t) = self.templates.get(&item.key).map(|s| s.template.clone()) else {
            return Ok(());
        };
        let bname = binding_name(&t.kind, &t.metadata.name);
        let bkey = (t.metadata.namespace.clone(), bname.clone());
        if let Some(existing) = self.bindings.get(&bkey) {
            if existing.owner != item.key {
                return Err("failed to update binding due to different owner reference UID, will try again later after binding is garbage collected, see https://github.com/karmada-io/karmada/issues/2090".into());
            }
        }
        let (replicas, requirements) = interpret_replicas(&t);
        let mut stored = self.bindings.get(&bkey).map(|b| StoredBinding::clone(b)).unwrap_or_else(|| StoredBinding {
            binding: ResourceBinding {
                name: bname.clone(),
                namespace: t.metadata.namespace.clone(),
                ..ResourceBinding::default()
            },
            labels: VecMap::new(),
            annotations: VecMap::new(),
            owner: item.key.clone(),
            revision: 0,
            template_snapshot: 0,
        });
        let created = !self.bindings.contains_key(&bkey);
        add_claim(&mut stored.labels, &mut stored.annotations, p.kind, &p.id, &p.namespace, &p.name);
        if p.kind == PolicyKind::PropagationPolicy {
            exclude_cluster_policy(&mut stored.labels, &mut stored.annotations);
        }
        let b = &mut stored.binding;
        b.resource = ObjectReference {
            api_version: t.api_version.clone(),
            kind: t.kind.clone(),
            namespace: t.metadata.namespace.clone(),
            name: t.metadata.name.clone(),
            uid: t.metadata.uid.clone(),
        };
        b.replicas = replicas;
        b.replica_requirements = requirements;
        b.placement = p.spec.placement.clone();
        b.placed = true;
        b.conflict_resolution = p.spec.conflict_resolution.clone();
        b.scheduler_name = p.spec.scheduler_name.clone();
        b.suspension = p.spec.suspension.clone();
        b.preserve_resources_on_deletion = p.spec.preserve_resources_on_deletion;
        // The ClusterResourceBinding mutate function sets propagateDeps only on create (`ApplyClusterPolicy`).
        if created || !t.metadata.namespace.is_empty() {
            b.propagate_deps = p.spec.propagate_deps;
        }
        b.policy = claimed_policy(&stored.labels, &stored.annotations);
        stored.template_snapshot = full_object_digest(&t);
        // Compared with the stored binding without keeping a copy of it; a created one always differs from the
        // empty binding it started as (add_claim gave it the policy's permanent-id label).
        let changed = self.bindings.get(&bkey).is_none_or(|before| stored != **before);
        if changed {
            stored.revision += 1;
            self.dirty.insert(item.key.clone());
        }
        let revision = stored.revision;
        self.bindings.insert(bkey, crate::util::Shared::new(stored));
        if let Some(st) = self.templates.get_mut(&item.key) {
            st.applied = Some((p.clone(), revision));
        }
        if created {
            self.event(
                EventKind::BindingCreated,
                item.key.display(),
                format!("{} {} created from {}", kind_of_binding(&t), bname, pk.display()),
            );
        } else if changed {
            self.event(
                EventKind::BindingUpdated,
                item.key.display(),
                format!("{} {} updated from {}", kind_of_binding(&t), bname, pk.display()),
            );
        }
        Ok(())
    }

    /// The template, the policy object and the binding are as the last `ApplyPolicy` of this template left
    /// them: applying again would write the same binding and tell nothing (the claim's own update event
    /// reconciles every template a second time), so it is skipped.
    fn applied_unchanged(&self, key: &TemplateKey, p: &std::sync::Arc<StoredPolicy>) -> bool {
        let Some((applied, revision)) = self.templates.get(key).and_then(|st| st.applied.as_ref()) else {
            return false;
        };
        std::sync::Arc::ptr_eq(applied, p) && self.binding_of(key).is_some_and(|b| b.revision == *revision)
    }

    /// `ClaimPolicyForObject` / `ClaimClusterPolicyForObject`.
    fn claim(&mut self, key: &TemplateKey, p: &StoredPolicy) {
        let Some(st) = self.templates.get(key) else {
            return;
        };
        let (l, a) = (&st.template.metadata.labels, &st.template.metadata.annotations);
        let already = match p.kind {
            PolicyKind::PropagationPolicy => {
                !l.is_empty() && !l.contains_key(CPP_ID_LABEL) && l.get(PP_ID_LABEL) == Some(&p.id)
            }
            PolicyKind::ClusterPropagationPolicy => l.get(CPP_ID_LABEL).map(String::as_str).unwrap_or("") == p.id,
        };
        if already {
            return;
        }
        let previous = claimed_policy(l, a);
        let (kind, id, ns, name) = (p.kind, p.id.clone(), p.namespace.clone(), p.name.clone());
        self.update_template_meta(key, |labels, ann| {
            if kind == PolicyKind::PropagationPolicy {
                exclude_cluster_policy(labels, ann);
            }
            add_claim(labels, ann, kind, &id, &ns, &name);
        });
        let msg = match previous {
            Some(prev) if prev != p.reference() => {
                format!("claimed by {} (previously {})", p.reference().display(), prev.display())
            }
            _ => format!("claimed by {}", p.reference().display()),
        };
        self.event(EventKind::Claimed, key.display(), msg);
    }

    /// `handleResourceTemplateAndBindingCleanup`: the binding first, then the template, each only if it still
    /// carries `claimed_id`.
    fn cleanup_template_and_binding(&mut self, key: &TemplateKey, kind: PolicyKind, claimed_id: &str) {
        let id_label = kind.permanent_id_label();
        let bkey = (key.namespace().to_string(), binding_name(key.kind(), key.name()));
        if let Some(b) = self.bindings.get_mut(&bkey).map(crate::util::shared::make_mut) {
            if b.labels.get(id_label).map(String::as_str) == Some(claimed_id) {
                cleanup_claim(&mut b.labels, &mut b.annotations, kind);
                b.binding.policy = claimed_policy(&b.labels, &b.annotations);
                b.revision += 1;
                self.dirty.insert(key.clone());
            }
        }
        let needs = self
            .templates
            .get(key)
            .is_some_and(|st| st.template.metadata.labels.get(id_label).map(String::as_str) == Some(claimed_id));
        if needs {
            self.update_template_meta(key, |labels, ann| cleanup_claim(labels, ann, kind));
            self.event(EventKind::Released, key.display(), "claim removed; the template is matched again".into());
        }
    }

    /// `ReconcilePropagationPolicy` / `ReconcileClusterPropagationPolicy`.
    fn reconcile_policy(&mut self, key: &PolicyKey) -> ReconcileResult {
        let Some(p) = self.policies.get(key).cloned() else {
            return Ok(());
        };
        if p.deleting {
            self.handle_policy_deletion(&p);
            self.policies.remove(key);
            self.event(EventKind::PolicyGone, key.display(), "finalizer removed; the policy is gone".into());
            return Ok(());
        }
        self.handle_creation_or_update(&p)
    }

    /// `handlePolicyDeletion`: templates labelled with the policy's id, per unique (apiVersion, kind, namespace)
    /// of its selectors.
    fn handle_policy_deletion(&mut self, p: &StoredPolicy) {
        let id_label = p.kind.permanent_id_label();
        let mut seen = VecSet::new();
        for rs in &p.spec.resource_selectors {
            if !seen.insert((rs.api_version.clone(), rs.kind.clone(), rs.namespace.clone())) {
                continue;
            }
            let keys: Vec<TemplateKey> = self
                .templates
                .iter()
                .filter(|(k, st)| {
                    k.api_version() == rs.api_version
                        && k.kind() == rs.kind
                        && (rs.namespace.is_empty() || k.namespace() == rs.namespace)
                        && st.template.metadata.labels.get(id_label) == Some(&p.id)
                })
                .map(|(k, _)| k.clone())
                .collect();
            for k in keys {
                self.cleanup_template_and_binding(&k, p.kind, &p.id);
            }
        }
    }

    /// `HandlePropagationPolicyCreationOrUpdate` / `HandleClusterPropagationPolicyCreationOrUpdate`.
    fn handle_creation_or_update(&mut self, p: &StoredPolicy) -> ReconcileResult {
        let id_label = p.kind.permanent_id_label();
        let derived = |d: &Detector| -> Vec<(String, String)> {
            d.bindings
                .iter()
                .filter(|((ns, _), b)| {
                    (p.kind == PolicyKind::ClusterPropagationPolicy || *ns == p.namespace)
                        && b.labels.get(id_label) == Some(&p.id)
                })
                .map(|(k, _)| k.clone())
                .collect()
        };
        // 1. Unmatched cleanup.
        for bkey in derived(self) {
            let Some(b) = self.bindings.get(&bkey) else { continue };
            let tkey = TemplateKey::of_ref(&b.binding.resource);
            let Some(t) = self.templates.get(&tkey).map(|s| s.template.clone()) else { continue };
            if resource_match_selectors(&t, &p.spec.resource_selectors) {
                continue;
            }
            let kind = p.kind;
            self.update_template_meta(&tkey, |labels, ann| cleanup_claim(labels, ann, kind));
            if let Some(b) = self.bindings.get_mut(&bkey).map(crate::util::shared::make_mut) {
                cleanup_claim(&mut b.labels, &mut b.annotations, kind);
                b.binding.policy = claimed_policy(&b.labels, &b.annotations);
                b.revision += 1;
                self.dirty.insert(tkey.clone());
            }
            self.event(
                EventKind::Released,
                tkey.display(),
                format!(
                    "{} no longer selects it; claim removed and the template is matched again",
                    p.reference().display()
                ),
            );
        }
        // 2. Propagate the policy change to its bindings' templates.
        for bkey in derived(self) {
            if let Some(b) = self.bindings.get(&bkey) {
                let tkey = TemplateKey::of_ref(&b.binding.resource);
                self.rt_queue.add(RtItem { key: tkey, by_karmada: p.lazy() }, true);
            }
        }
        // 3. The waiting list.
        let matched: Vec<TemplateKey> = self
            .waiting
            .iter()
            .filter(|k| {
                self.templates
                    .get(*k)
                    .is_some_and(|st| resource_match_selectors(&st.template, &p.spec.resource_selectors))
            })
            .cloned()
            .collect();
        if !matched.is_empty() {
            self.check_dependent_overrides(&p.reference())?;
        }
        for k in matched {
            self.waiting.remove(&k);
            self.rt_queue.add(RtItem { key: k, by_karmada: p.lazy() }, true);
        }
        // 4. Preemption.
        if p.spec.preemption_always() {
            if self.gate_preemption {
                return self.handle_preemption(p);
            }
            self.event(
                EventKind::PreemptionDisabled,
                p.reference().display(),
                "preemption: Always has no effect: feature gate \"PropagationPolicyPreemption\" is not enabled".into(),
            );
        }
        Ok(())
    }

    /// `handlePropagationPolicyPreemption` / `handleClusterPropagationPolicyPreemption`.
    fn handle_preemption(&mut self, p: &StoredPolicy) -> ReconcileResult {
        let mut errs = Vec::new();
        for rs in &p.spec.resource_selectors {
            // fetchResourceTemplate: a GET by (apiVersion, kind, selector namespace, name); the labelSelector is
            // not evaluated. A namespace-less GET never finds a namespaced template.
            let key = TemplateKey::new(&rs.api_version, &rs.kind, &rs.namespace, &rs.name);
            if rs.name.is_empty() {
                errs.push("name is required".to_string());
                continue;
            }
            let Some(t) = self.templates.get(&key).map(|s| s.template.clone()) else { continue };
            let (l, a) = (&t.metadata.labels, &t.metadata.annotations);
            match p.kind {
                PolicyKind::PropagationPolicy => {
                    // preemptPropagationPolicy
                    let pp_ns = a.get(PP_NS_ANNOTATION).cloned().unwrap_or_default();
                    let pp_name = a.get(PP_NAME_ANNOTATION).cloned().unwrap_or_default();
                    let own = pp_ns == p.namespace && pp_name == p.name;
                    if !pp_ns.is_empty() && !pp_name.is_empty() && !own {
                        let ck = PolicyRef { kind: PolicyKind::PropagationPolicy, namespace: pp_ns, name: pp_name };
                        match self.policies.get(&ck).cloned() {
                            None => {
                                errs.push(format!("propagationpolicies.policy.karmada.io \"{}\" not found", ck.name));
                                continue;
                            }
                            Some(claimer) => self.preempt_if_higher(&key, p, &claimer),
                        }
                    }
                    // preemptClusterPropagationPolicyDirectly: a PP takes a template from any CPP.
                    let Some(t) = self.templates.get(&key).map(|s| s.template.clone()) else { continue };
                    let cpp_name = t.metadata.annotations.get(CPP_NAME_ANNOTATION).cloned().unwrap_or_default();
                    if !cpp_name.is_empty() {
                        self.event(
                            EventKind::Preempted,
                            key.display(),
                            format!(
                                "{} preempted ClusterPropagationPolicy {cpp_name} (a PropagationPolicy with preemption: Always takes templates from any ClusterPropagationPolicy)",
                                p.reference().display()
                            ),
                        );
                        self.claim(&key, p);
                    }
                }
                PolicyKind::ClusterPropagationPolicy => {
                    let cpp_name = a.get(CPP_NAME_ANNOTATION).cloned().unwrap_or_default();
                    let _ = l;
                    if cpp_name.is_empty() {
                        if pp_claim(&t.metadata.labels, &t.metadata.annotations).is_some() {
                            self.event(
                                EventKind::PreemptionSkipped,
                                key.display(),
                                format!("{} cannot preempt a PropagationPolicy", p.reference().display()),
                            );
                        }
                        continue;
                    }
                    if cpp_name == p.name {
                        continue;
                    }
                    let ck = PolicyRef {
                        kind: PolicyKind::ClusterPropagationPolicy,
                        namespace: String::new(),
                        name: cpp_name,
                    };
                    let Some(claimer) = self.policies.get(&ck).cloned() else {
                        errs.push(format!("clusterpropagationpolicies.policy.karmada.io \"{}\" not found", ck.name));
                        continue;
                    };
                    self.preempt_if_higher(&key, p, &claimer);
                }
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.join(", "))
        }
    }

    /// Templates whose binding changed since the last call.
    pub fn take_dirty(&mut self) -> ChunkSet<TemplateKey> {
        std::mem::take(&mut self.dirty)
    }

    /// The binding owned by a template, if any.
    pub fn binding_of(&self, key: &TemplateKey) -> Option<&StoredBinding> {
        self.shared_binding_of(key).map(|b| &**b)
    }

    /// [`Self::binding_of`], shared (a snapshot of it costs a reference count).
    pub fn shared_binding_of(&self, key: &TemplateKey) -> Option<&crate::util::Shared<StoredBinding>> {
        self.bindings
            .get(&(key.namespace().to_string(), binding_name(key.kind(), key.name())))
            .filter(|b| b.owner == *key)
    }

    /// `preemptPropagationPolicy` / `preemptClusterPropagationPolicy`: take the template over only with a strictly
    /// higher explicit priority than the current claimer's (equal never preempts).
    fn preempt_if_higher(&mut self, key: &TemplateKey, p: &StoredPolicy, claimer: &StoredPolicy) {
        let (mine, theirs) = (p.spec.explicit_priority(), claimer.spec.explicit_priority());
        let (who, whom) = (p.reference().display(), claimer.reference().display());
        if mine > theirs {
            self.event(
                EventKind::Preempted,
                key.display(),
                format!("{who} preempted {whom} (priority {mine} > {theirs}, preemption: Always, gate on)"),
            );
            self.claim(key, p);
        } else {
            self.event(
                EventKind::PreemptionSkipped,
                key.display(),
                format!("{who} did not preempt {whom}: priority {mine} is not greater than {theirs}"),
            );
        }
    }

    /// What `p` would preempt on `key` if the `PropagationPolicyPreemption` gate were on: the claimer and
    /// the priority comparison, mirroring [`Self::handle_preemption`] (`pkg/detector/preemption.go`,
    /// `preemptPropagationPolicy` / `preemptClusterPropagationPolicy`: only a template named by a selector
    /// (a GET, no label selector), a strictly higher priority, and a PropagationPolicy always takes a template
    /// from a ClusterPropagationPolicy, never the reverse).
    pub fn would_preempt(
        &self,
        kind: PolicyKind,
        spec: &PropagationSpec,
        key: &TemplateKey,
        claim: &PolicyRef,
    ) -> bool {
        let named = spec.resource_selectors.iter().any(|rs| {
            rs.name == key.name()
                && rs.namespace == key.namespace()
                && rs.kind == key.kind()
                && rs.api_version == key.api_version()
        });
        let theirs = self.policies.get(claim).map_or(i32::MAX, |c| c.spec.explicit_priority());
        let pp = PolicyKind::PropagationPolicy;
        spec.preemption_always()
            && named
            && (kind == claim.kind && spec.explicit_priority() > theirs || kind == pp && claim.kind != pp)
    }

    /// The refused policies whose selectors match `t` (a PropagationPolicy in its namespace or naming it), with
    /// their denial.
    pub fn denied_candidates(
        &self,
        t: &ResourceTemplate,
    ) -> Vec<(&PolicyRef, &PropagationSpec, &Diagnostic, ImplicitPriority)> {
        let ns = &t.metadata.namespace;
        self.denied
            .iter()
            .filter(|(r, spec, _)| {
                r.kind == PolicyKind::ClusterPropagationPolicy
                    || r.namespace == *ns
                    || spec.resource_selectors.iter().any(|rs| rs.namespace == *ns)
            })
            .filter_map(|(r, spec, i)| {
                let imp = resource_match_selectors_priority(t, &spec.resource_selectors);
                Some((r, spec, self.diagnostics.get(*i)?, imp)).filter(|_| imp != ImplicitPriority::Mismatch)
            })
            .collect()
    }

    /// The implicit priority of each policy for a template (for explanations).
    pub fn candidates(&self, t: &ResourceTemplate) -> Vec<(&StoredPolicy, crate::selector::ImplicitPriority)> {
        self.policies
            .values()
            .filter(|p| p.kind == PolicyKind::ClusterPropagationPolicy || p.namespace == t.metadata.namespace)
            .map(|p| {
                let imp = p
                    .spec
                    .resource_selectors
                    .iter()
                    .map(|rs| resource_selector_priority(t, rs))
                    .max()
                    .unwrap_or(crate::selector::ImplicitPriority::Mismatch);
                (&**p, imp)
            })
            .collect()
    }
}

fn kind_of_binding(t: &ResourceTemplate) -> &'static str {
    if t.metadata.namespace.is_empty() {
        "ClusterResourceBinding"
    } else {
        "ResourceBinding"
    }
}

fn describe_policy(p: &StoredPolicy) -> String {
    format!(
        "priority {}, preemption {}, {} selector(s)",
        p.spec.explicit_priority(),
        p.spec.preemption,
        p.spec.resource_selectors.len()
    )
}

/// The object as the API server would return it (status removed), for `SpecificationChanged`.
fn full_object(t: &ResourceTemplate) -> Value {
    let mut v = Value::clone(&t.raw);
    if let Value::Object(m) = &mut v {
        m.remove("status");
        let meta = m.entry("metadata").or_insert_with(|| Value::Object(Default::default()));
        if let Value::Object(mm) = meta {
            mm.insert("labels".into(), serde_json::to_value(&t.metadata.labels).unwrap_or(Value::Null));
            mm.insert("annotations".into(), serde_json::to_value(&t.metadata.annotations).unwrap_or(Value::Null));
            mm.remove("resourceVersion");
            mm.remove("managedFields");
        }
    }
    v
}

/// `work::digest(&full_object(t))`, without building the copy.
fn full_object_digest(t: &ResourceTemplate) -> u64 {
    use crate::work::ObjectDigest;
    let Value::Object(m) = &*t.raw else {
        return crate::work::digest(&full_object(t));
    };
    let metadata = |mm: Option<&serde_json::Map<String, Value>>| {
        let mut o = ObjectDigest::default();
        for (k, v) in mm.into_iter().flatten() {
            if !matches!(k.as_str(), "labels" | "annotations" | "resourceVersion" | "managedFields") {
                o.entry(k, v);
            }
        }
        o.entry_strings("labels", t.metadata.labels.iter());
        o.entry_strings("annotations", t.metadata.annotations.iter());
        o
    };
    let mut top = ObjectDigest::default();
    let mut has_metadata = false;
    for (k, v) in m {
        match (k.as_str(), v) {
            ("status", _) => {}
            ("metadata", Value::Object(mm)) => {
                has_metadata = true;
                top.entry_object("metadata", &metadata(Some(mm)));
            }
            ("metadata", other) => {
                has_metadata = true;
                top.entry("metadata", other);
            }
            _ => top.entry(k, v),
        }
    }
    if !has_metadata {
        top.entry_object("metadata", &metadata(None));
    }
    top.finish()
}

/// `eventfilter.ResourceChangeByKarmada`: equal once `.karmada.io` labels/annotations (except
/// `namespace.karmada.io/skip-auto-propagation`) and `metadata.generation` are removed.
fn resource_change_by_karmada(old: &ResourceTemplate, new: &ResourceTemplate) -> bool {
    let strip = |t: &ResourceTemplate| {
        let mut v = full_object(t);
        if let Some(Value::Object(mm)) = v.get_mut("metadata") {
            mm.remove("generation");
            for field in ["labels", "annotations"] {
                if let Some(Value::Object(m)) = mm.get_mut(field) {
                    m.retain(|k, _| !k.contains(".karmada.io") || k == "namespace.karmada.io/skip-auto-propagation");
                }
            }
        }
        v
    };
    strip(old) == strip(new)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{full_object, full_object_digest};
    use crate::scenario::{Object, Step};

    #[test]
    fn a_changed_policy_or_template_is_applied_again() {
        // The claim's own update skips a second identical ApplyPolicy; a new policy object or a changed
        // template must not be skipped.
        let pp = |clusters: &str| {
            format!("---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: p, namespace: default}}\nspec:\n  resourceSelectors: [{{apiVersion: v1, kind: ConfigMap}}]\n  placement: {{clusterAffinity: {{clusterNames: [{clusters}]}}}}\n")
        };
        let cm = |label: &str| {
            format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm, namespace: default, labels: {{l: {label}}}}}\ndata: {{k: v}}\n")
        };
        let placement = |text: String| {
            let ev = crate::evaluate(&text, &crate::Options::default()).unwrap();
            let r = ev.resource("ConfigMap", "default", "cm").unwrap();
            let binding = ev.det.binding_of(ev.find("ConfigMap", "default", "cm").unwrap()).unwrap();
            (r.placement.into_iter().map(|p| p.cluster).collect::<Vec<_>>(), binding.revision)
        };
        assert_eq!(placement(pp("member1") + &cm("a")), (vec!["member1".to_string()], 1));
        assert_eq!(placement(pp("member1") + &cm("a") + &pp("member2")), (vec!["member2".to_string()], 2));
        assert_eq!(placement(pp("member1") + &cm("a") + &pp("member1, member3")).0, ["member1", "member3"]);
        // A changed template changes the binding (its snapshot); the same template again does not.
        assert_eq!(placement(pp("member1") + &cm("a") + &cm("b")).1, 2);
        assert_eq!(placement(pp("member1") + &cm("a") + &cm("a")).1, 1);
    }

    #[test]
    fn template_keys_order_as_their_four_parts() {
        // The order every store of templates (and so the report) relies on: the four parts' order. Parts chosen
        // so that a more compact representation (a joined string, say) could disagree: prefixes, empty parts, a NUL.
        let words = ["", "a", "ab", "a\0", "b", "v1", "apps/v1"];
        let mut keys = Vec::new();
        for (i, a) in words.iter().enumerate() {
            for b in words.iter().skip(i % 3).take(4) {
                for c in words.iter().skip((i + 1) % 4).take(3) {
                    for d in &words {
                        keys.push(([*a, *b, *c, *d], super::TemplateKey::new(a, b, c, d)));
                    }
                }
            }
        }
        for (pa, ka) in &keys {
            assert_eq!([ka.api_version(), ka.kind(), ka.namespace(), ka.name()], *pa);
            for (pb, kb) in &keys {
                assert_eq!(ka.cmp(kb), pa.cmp(pb), "{pa:?} vs {pb:?}");
                assert_eq!(ka == kb, pa == pb, "{pa:?} vs {pb:?}");
            }
        }
    }

    #[test]
    fn template_digest_is_the_digest_of_the_full_object() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, labels: {app: a}, resourceVersion: \"7\", managedFields: [{}]}\nspec: {replicas: 2, x: [1, -1, 1.5, null, true]}\nstatus: {ready: 1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, annotations: {k: v}}\ndata: {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
        let scenario = crate::scenario::parse(text).unwrap();
        let mut seen = 0;
        for step in &scenario.steps {
            if let Step::Apply(d) = step {
                if let Object::Template(t) = &d.object {
                    assert_eq!(full_object_digest(t), crate::work::digest(&full_object(t)), "{}", t.display());
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 3);
        // A label change changes it; a status change does not.
        let a = |labels: &str, status: &str| {
            let text =
                format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a, labels: {labels}}}\nstatus: {status}\n");
            let s = crate::scenario::parse(&text).unwrap();
            match s.steps.first() {
                Some(Step::Apply(d)) => match &d.object {
                    Object::Template(t) => full_object_digest(t),
                    _ => 0,
                },
                _ => 0,
            }
        };
        assert_eq!(a("{x: y}", "{a: 1}"), a("{x: y}", "{a: 2}"));
        assert_ne!(a("{x: y}", "{a: 1}"), a("{x: z}", "{a: 1}"));
    }
}
