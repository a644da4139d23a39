//! What reaches the member clusters: the scheduler run per changed binding, the binding controller building one
//! Work per target cluster, and the execution controller applying it through the object watcher
//! (`pkg/controllers/binding`, `pkg/controllers/execution`, `pkg/util/objectwatcher`).

use crate::api::binding::BindingSnapshot;
use crate::api::cluster::Cluster;
use crate::api::override_policy::{OverrideKind, OverridePolicy};
use crate::api::template::ResourceTemplate;
use crate::detector::timeline::{EventKind, TimelineEvent};
use crate::detector::{Detector, TemplateKey};
use crate::diagnostic::{Diagnostic, Span};
use crate::overrides::{admission, AppliedRule, OverrideStore, StoredOverride};
use crate::scheduler::{self, ScheduleResult};
use crate::util::shared::{self, Name, Names};
use crate::util::{ChunkMap, ChunkSet, VecMap};
use crate::work;
use serde::Serialize;
use serde_json::Value;

pub use crate::work::{CONFLICT_ANNOTATION, MANAGED_LABEL};

/// Result of the latest sync of a Work to its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum ApplyResult {
    /// Karmada created the object.
    Created,
    /// The object existed unmanaged and was taken over (conflict resolution `overwrite`).
    Adopted,
    /// The object was already managed by Karmada.
    Updated,
    /// The object existed unmanaged and Karmada refused to touch it.
    Conflict,
    /// Another apply error.
    Error,
    /// No Work exists for that cluster.
    NotApplied,
}

impl ApplyResult {
    /// The variant's name, as the timeline and `{:?}` write it.
    pub fn name(self) -> &'static str {
        match self {
            ApplyResult::Created => "Created",
            ApplyResult::Adopted => "Adopted",
            ApplyResult::Updated => "Updated",
            ApplyResult::Conflict => "Conflict",
            ApplyResult::Error => "Error",
            ApplyResult::NotApplied => "NotApplied",
        }
    }
}

/// One `apply` entry of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct ApplyEntry {
    /// Cluster.
    pub cluster: String,
    /// Latest result.
    pub result: ApplyResult,
    /// Karmada's message for Conflict/Error/NotApplied.
    pub message: Option<String>,
}

/// One applied override rule in a resource's `overrides` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct AppliedOverride {
    /// `ClusterOverridePolicy` or `OverridePolicy`.
    pub kind: String,
    /// Namespace ("" for a ClusterOverridePolicy).
    pub namespace: String,
    /// Policy name.
    pub name: String,
}

/// One `overrides` entry of a resource: what Karmada wrote into the Work for one target cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct OverrideEntry {
    /// Cluster.
    pub cluster: String,
    /// Rules applied, in application order (one entry per rule); `[]` when the last build failed.
    pub applied: Vec<AppliedOverride>,
    /// The Work's manifest with Karmada's bookkeeping metadata removed; `null` when no Work exists.
    #[cfg_attr(feature = "wasm", tsify(type = "unknown"))]
    pub manifest: Option<Value>,
    /// Karmada's error when building the Work for this cluster failed (the Work was then left as it was).
    pub error: Option<String>,
}

/// Per-cluster override trace for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct OverrideExplain {
    /// Cluster.
    pub cluster: String,
    /// Rules applied to build the current Work, in order, with their overriders.
    pub applied: Vec<AppliedRule>,
    /// The error of the last build, when it failed.
    pub error: Option<String>,
}

/// An object in a member cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberObject {
    /// Its `karmada.io/managed` label, the only label that decides updates and deletions (every label merge the
    /// simulation does keeps the other labels, so their values never matter): whether its value is `true`, `None`
    /// when the object has no such label.
    pub managed_label: Option<bool>,
}

impl MemberObject {
    /// Labelled `karmada.io/managed: "true"`: Karmada may update and delete it (`isManagedResource`).
    pub fn is_managed(&self) -> bool {
        self.managed_label == Some(true)
    }
}

#[derive(Debug)]
struct Work {
    /// Digest of the manifest's JSON.
    digest: u64,
    result: ApplyResult,
    /// `spec.suspendDispatching`: the execution controller does not sync it (`IsWorkSuspendDispatching`).
    suspended: bool,
    /// `spec.preserveResourcesOnDeletion`: deleting the Work keeps the member object (`handleWorkDelete`).
    preserve: bool,
    /// What few Works have (a fleet holds hundreds of thousands of Works, almost all without it): boxed.
    extra: Option<Box<WorkExtra>>,
}

/// The parts of a [`Work`] most Works do not have.
#[derive(Debug)]
struct WorkExtra {
    /// What the Work holds: kept only when the report needs it (overrides block, rendering); otherwise the digest
    /// alone decides whether a rebuilt Work changed (manifests dominate memory on large fleets).
    manifest: Option<Value>,
    /// The apply result's message.
    message: Option<String>,
    /// Override rules applied to build `manifest`.
    applied: Vec<AppliedRule>,
}

impl Work {
    fn new(digest: u64, result: ApplyResult, suspended: bool, preserve: bool, extra: WorkExtra) -> Self {
        let none = extra.manifest.is_none() && extra.message.is_none() && extra.applied.is_empty();
        let extra = (!none).then(|| Box::new(extra));
        Work { digest, result, suspended, preserve, extra }
    }
    fn manifest(&self) -> Option<&Value> {
        self.extra.as_ref().and_then(|e| e.manifest.as_ref())
    }
    fn message(&self) -> Option<&String> {
        self.extra.as_ref().and_then(|e| e.message.as_ref())
    }
    fn applied(&self) -> &[AppliedRule] {
        self.extra.as_ref().map_or(&[], |e| e.applied.as_slice())
    }
    fn set_applied(&mut self, applied: Vec<AppliedRule>) {
        if !applied.is_empty() || self.extra.is_some() {
            self.extra
                .get_or_insert_with(|| Box::new(WorkExtra { manifest: None, message: None, applied: Vec::new() }))
                .applied = applied;
        }
    }
}

/// The Work condition message of a suspended Work (`WorkSuspendDispatchingConditionMessage`,
/// `pkg/controllers/execution/execution_controller.go`).
pub const SUSPENDED_MESSAGE: &str = "Work dispatching is in a suspended state.";

/// One member cluster holding an object (the report's `members` block).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct MemberEntry {
    /// Cluster.
    pub cluster: String,
    /// Labelled `karmada.io/managed: "true"`.
    pub managed: bool,
}

/// What the binding and execution controllers read of the detector's state: a template's binding and the
/// template itself, by key (and, when the fleet changed, every binding's owner). The detector is one; a
/// [`StepSnapshot`] of one step's changed bindings is another, for a sync that runs beside the detector.
pub trait DetectorView: Sync {
    /// The binding `key`'s template owns (`Detector::binding_of`).
    fn binding(&self, key: &TemplateKey) -> Option<&crate::detector::StoredBinding>;
    /// The stored template.
    fn template(&self, key: &TemplateKey) -> Option<&ResourceTemplate>;
    /// The owner of every binding.
    fn owners(&self) -> Vec<TemplateKey>;
    /// The scheduler's result for `key`'s binding, if it was computed beforehand (it is a function of the
    /// binding and the fleet only, so it is the one the sync would compute).
    fn scheduled_ahead(&self, _key: &TemplateKey) -> Option<ScheduleResult> {
        None
    }
}

impl DetectorView for Detector {
    fn binding(&self, key: &TemplateKey) -> Option<&crate::detector::StoredBinding> {
        self.binding_of(key)
    }
    fn template(&self, key: &TemplateKey) -> Option<&ResourceTemplate> {
        self.templates.get(key).map(|s| &*s.template)
    }
    fn owners(&self) -> Vec<TemplateKey> {
        self.bindings.values().map(|b| b.owner.clone()).collect()
    }
}

/// One template of a [`StepSnapshot`]: its key, binding and template.
type SnapshotEntry = (
    TemplateKey,
    Option<crate::util::Shared<crate::detector::StoredBinding>>,
    Option<crate::util::Shared<ResourceTemplate>>,
);

/// The detector's state for the templates one step changed, taken right after the step: what that step's
/// sync reads of them. Reading any other key marks the snapshot as strayed (the sync needed more than was
/// taken, and its result is not the sequential one).
#[derive(Default)]
pub struct StepSnapshot {
    entries: Vec<SnapshotEntry>,
    /// Scheduler results computed by the thread that took the snapshot, when it was ahead of the sync.
    ahead: std::sync::Mutex<Vec<(TemplateKey, ScheduleResult)>>,
    strayed: std::sync::atomic::AtomicBool,
}

impl StepSnapshot {
    /// The state of `keys` in `det`.
    pub fn take(det: &Detector, keys: &ChunkSet<TemplateKey>) -> Self {
        let entries = keys
            .iter()
            .map(|k| (k.clone(), det.shared_binding_of(k).cloned(), det.templates.get(k).map(|s| s.template.clone())))
            .collect();
        StepSnapshot { entries, ahead: Default::default(), strayed: Default::default() }
    }
    /// Schedules the snapshot's bindings karmada-scheduler takes against `fleet` now (whether the sync needs
    /// them depends on the controllers' state: it uses them if it does).
    pub fn schedule_ahead(&mut self, fleet: &[Cluster]) {
        let ahead = self
            .entries
            .iter()
            .filter_map(|(k, b, t)| {
                let b = b.as_ref().filter(|b| t.is_some() && karmada_schedules(&b.binding))?;
                Some((k.clone(), scheduler::schedule(&b.binding, fleet)))
            })
            .collect();
        self.ahead = std::sync::Mutex::new(ahead);
    }
    /// A key outside the snapshot was read.
    pub fn strayed(&self) -> bool {
        self.strayed.load(std::sync::atomic::Ordering::Relaxed)
    }
    fn entry(&self, key: &TemplateKey) -> Option<&SnapshotEntry> {
        let found = self.entries.iter().find(|(k, _, _)| k == key);
        if found.is_none() {
            self.strayed.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        found
    }
}

impl DetectorView for StepSnapshot {
    fn binding(&self, key: &TemplateKey) -> Option<&crate::detector::StoredBinding> {
        self.entry(key).and_then(|(_, b, _)| b.as_deref())
    }
    fn template(&self, key: &TemplateKey) -> Option<&ResourceTemplate> {
        self.entry(key).and_then(|(_, _, t)| t.as_deref())
    }
    fn owners(&self) -> Vec<TemplateKey> {
        self.strayed.store(true, std::sync::atomic::Ordering::Relaxed);
        Vec::new()
    }
    fn scheduled_ahead(&self, key: &TemplateKey) -> Option<ScheduleResult> {
        // Handed over, not copied: a sync schedules a binding at most once per pass.
        let mut ahead = self.ahead.lock().ok()?;
        let at = ahead.iter().position(|(k, _)| k == key)?;
        Some(ahead.swap_remove(at).1)
    }
}

#[derive(Debug, Clone)]
struct Scheduled {
    /// `spec.clusters` as the binding keeps it (a non-FitError failure keeps the previous targets).
    targets: Vec<(String, i64)>,
    /// The last scheduling's failure (`Scheduled=False`); its clusters are `targets` when it succeeded, none
    /// otherwise (kept once: hundreds of thousands of names on a large fleet).
    error: Option<String>,
    /// karmada-scheduler ran for it (false for attached bindings and other schedulers' bindings).
    ran: bool,
    /// The fleet the last scheduling saw (shared by every binding scheduled against it), to explain it later.
    fleet: Fleet,
}

/// A scheduling's outcome: the clusters chosen (name, replicas; none when it failed) and the failure.
pub type Outcome<'a> = (&'a [(String, i64)], Option<&'a str>);

impl Scheduled {
    /// The clusters the last scheduling chose (none when it failed) and its failure.
    fn outcome(&self) -> Outcome<'_> {
        match &self.error {
            None => (&self.targets, None),
            Some(e) => (&[], Some(e)),
        }
    }
}

/// A cluster's Work as built: its own manifest, or the binding's shared one with the cluster's digest.
enum Built<'s> {
    Own(work::BuiltWork),
    Shared(&'s work::SharedWork, u64),
}

/// One snapshot of the member clusters as the scheduler sees them, shared rather than copied per binding.
pub type Fleet = std::sync::Arc<[Cluster]>;

/// The member-cluster side of the simulation.
#[derive(Debug, Default)]
pub struct Controllers {
    scheduled: ChunkMap<TemplateKey, Scheduled>,
    /// Works per template, by cluster.
    works: ChunkMap<TemplateKey, VecMap<Name, Work>>,
    /// Objects in member clusters: per object identity, by cluster.
    pub members: ChunkMap<TemplateKey, VecMap<Name, MemberObject>>,
    /// The cluster names the keys of `works` and `members` share.
    names: Names,
    /// OverridePolicies and ClusterOverridePolicies.
    pub overrides: OverrideStore,
    /// The last failed Work build per (template, cluster); the binding controller retries those bindings.
    build_errors: ChunkMap<(TemplateKey, String), String>,
    /// Bindings an override policy event enqueued in the binding controllers.
    resync: ChunkSet<TemplateKey>,
    /// `spec.requiredBy` of each binding when the binding controller last built its Works.
    required_by: ChunkMap<TemplateKey, Vec<BindingSnapshot>>,
    /// Keep Work manifests (not only their digests).
    pub keep_manifests: bool,
}

/// What applying an override policy document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideChange {
    /// The policy was created.
    Created,
    /// Its spec changed.
    Updated,
    /// Re-applied with the same spec (no generation change: nothing is re-synced).
    Unchanged,
}

impl Controllers {
    /// `kubectl --context <cluster> apply` of an object that lives in a member cluster.
    pub fn apply_member_object(&mut self, cluster: &str, t: &ResourceTemplate) {
        let objects = self.members.entry(TemplateKey::of(t)).or_default();
        // kubectl apply keeps labels it does not own (Karmada's managed label survives a re-apply).
        let old = objects.get(cluster).and_then(|o| o.managed_label);
        let managed_label = t.metadata.labels.get(MANAGED_LABEL).map(|v| v == "true").or(old);
        objects.insert(self.names.get(cluster), MemberObject { managed_label });
    }

    /// `kubectl --context <cluster> delete`.
    pub fn delete_member_object(&mut self, cluster: &str, kind: &str, namespace: &str, name: &str) -> bool {
        let mut found = false;
        for (k, objects) in self.members.iter_mut() {
            if k.kind() == kind
                && k.name() == name
                && (k.namespace() == namespace || (namespace.is_empty() && k.namespace() == "default"))
            {
                found |= objects.remove(cluster).is_some();
            }
        }
        found
    }

    /// Every object in the member clusters, by identity: which clusters hold it and whether Karmada manages it
    /// there (clusters sorted by name).
    pub fn member_index(&self) -> ChunkMap<TemplateKey, Vec<MemberEntry>> {
        self.members
            .iter()
            .filter(|(_, objects)| !objects.is_empty())
            .map(|(k, objects)| {
                let entries = objects
                    .iter()
                    .map(|(cluster, o)| MemberEntry { cluster: shared::owned(cluster), managed: o.is_managed() })
                    .collect();
                (k.clone(), entries)
            })
            .collect()
    }

    /// `spec.clusters` of a template's binding as the binding controller last saw it (name, replicas).
    pub fn targets(&self, key: &TemplateKey) -> Option<&[(String, i64)]> {
        self.scheduled.get(key).map(|s| s.targets.as_slice())
    }

    /// The last scheduling result of a template's binding: the clusters it chose (name, replicas; none when it
    /// failed) and its failure.
    pub fn schedule_result(&self, key: &TemplateKey) -> Option<Outcome<'_>> {
        self.scheduled.get(key).map(Scheduled::outcome)
    }

    /// The scheduler's explanation of a binding's last scheduling, computed again from the same binding and
    /// fleet snapshot (scheduling is deterministic, so it is the run that produced [`Self::schedule_result`]);
    /// `None` when karmada-scheduler never ran for it (attached bindings, other schedulers' bindings).
    pub fn explain_schedule(&self, det: &Detector, key: &TemplateKey) -> Option<crate::scheduler::ScheduleExplain> {
        let sb = det.binding_of(key)?;
        let s = self.scheduled.get(key).filter(|s| s.ran)?;
        Some(scheduler::schedule_explained(&sb.binding, &s.fleet).explain)
    }

    /// The `apply` entries of a template: one per cluster of `placement`.
    pub fn apply_entries(&self, key: &TemplateKey, placement: &[String]) -> Vec<ApplyEntry> {
        placement
            .iter()
            .map(|c| {
                let wk = (key.clone(), c.clone());
                match self.work(key, c) {
                    Some(w) => ApplyEntry { cluster: c.clone(), result: w.result, message: w.message().cloned() },
                    None => ApplyEntry {
                        cluster: c.clone(),
                        result: ApplyResult::NotApplied,
                        message: Some(
                            self.build_errors
                                .get(&wk)
                                .cloned()
                                .unwrap_or_else(|| "no Work exists for this cluster".into()),
                        ),
                    },
                }
            })
            .collect()
    }

    /// The `overrides` entries of a template: one per cluster of `placement`.
    pub fn override_entries(&self, key: &TemplateKey, placement: &[String]) -> Vec<OverrideEntry> {
        placement
            .iter()
            .map(|c| {
                let wk = (key.clone(), c.clone());
                let work = self.work(key, c);
                let error = self.build_errors.get(&wk).cloned();
                let applied = match (work, &error) {
                    (Some(w), None) => w
                        .applied()
                        .iter()
                        .map(|a| AppliedOverride {
                            kind: a.kind.as_str().into(),
                            namespace: a.namespace.clone(),
                            name: a.name.clone(),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                OverrideEntry {
                    cluster: c.clone(),
                    applied,
                    manifest: work.and_then(Work::manifest).map(work::strip_internal),
                    error,
                }
            })
            .collect()
    }

    /// Which override rules built each Work of a template (clusters of `placement`), for explanations.
    pub fn override_explain(&self, key: &TemplateKey, placement: &[String]) -> Vec<OverrideExplain> {
        placement
            .iter()
            .map(|c| {
                let wk = (key.clone(), c.clone());
                let error = self.build_errors.get(&wk).cloned();
                let applied = match (self.work(key, c), &error) {
                    (Some(w), None) => w.applied().to_vec(),
                    _ => Vec::new(),
                };
                OverrideExplain { cluster: c.clone(), applied, error }
            })
            .collect()
    }

    /// Every (template, cluster) whose last Work build failed, with the binding controller's error.
    pub fn build_failures(&self) -> impl Iterator<Item = (&TemplateKey, &str, &str)> {
        self.build_errors.iter().map(|((k, c), e)| (k, c.as_str(), e.as_str()))
    }

    /// What each cluster with a Work receives for a template (Karmada's bookkeeping metadata removed).
    pub fn manifests(&self, key: &TemplateKey) -> VecMap<String, Value> {
        self.works
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|(c, w)| w.manifest().map(|m| (shared::owned(c), work::strip_internal(m))))
            .collect()
    }

    /// `kubectl apply` of an OverridePolicy / ClusterOverridePolicy: CRD schema, mutating and validating
    /// webhooks, then create or update; the binding controllers re-sync the bindings the policy selects
    /// (before and after the change). A denial becomes a `webhook-denied` diagnostic and a timeline event.
    pub fn apply_override_document(
        &mut self,
        det: &mut Detector,
        kind: OverrideKind,
        policy: &OverridePolicy,
        document: usize,
        span: Span,
    ) -> Option<OverrideChange> {
        let namespace = policy.metadata.namespace.clone();
        let name = policy.metadata.name.clone();
        let subject = crate::overrides::display(kind, &namespace, &name);
        let event = |det: &mut Detector, kind: EventKind, message: String| {
            det.timeline.push(TimelineEvent { step: 0, document, kind, subject: subject.clone(), message });
        };
        let spec = match admission::admit(kind, policy) {
            Ok(spec) => spec,
            Err(message) => {
                event(det, EventKind::PolicyDenied, message.clone());
                det.diagnostics.push(
                    Diagnostic::error("webhook-denied", message)
                        .with_help("Karmada refuses this policy: it is never created")
                        .at(Some(document), Some(span)),
                );
                return None;
            }
        };
        let key = (kind, namespace.clone(), name.clone());
        let old = self.overrides.get(&key).cloned();
        if old.as_ref().is_some_and(|o| o.spec == spec) {
            event(det, EventKind::PolicyUnchanged, "re-applied with no spec change".into());
            return Some(OverrideChange::Unchanged);
        }
        let stored = StoredOverride { kind, namespace: namespace.clone(), name: name.clone(), spec, document };
        let mut enqueue = OverrideStore::bindings_to_resync(&stored, det);
        if let Some(o) = &old {
            enqueue.extend(OverrideStore::bindings_to_resync(o, det));
        }
        let rules = stored.spec.effective_rules().len();
        let change = if old.is_some() { OverrideChange::Updated } else { OverrideChange::Created };
        event(
            det,
            if old.is_some() { EventKind::PolicyUpdated } else { EventKind::PolicyCreated },
            format!(
                "{} resource selector(s), {rules} rule(s); {} binding(s) re-synced",
                stored.spec.resource_selectors.len(),
                enqueue.len()
            ),
        );
        det.overrides.insert((namespace, name));
        self.overrides.insert(stored);
        self.resync.extend(enqueue);
        Some(change)
    }

    /// `kubectl delete` of an override policy (no finalizer: it goes at once); the bindings it selected are
    /// re-synced. Returns whether it existed.
    pub fn delete_override(&mut self, det: &mut Detector, kind: OverrideKind, namespace: &str, name: &str) -> bool {
        let Some(old) = self.overrides.remove(&(kind, namespace.to_string(), name.to_string())) else {
            return false;
        };
        let enqueue = OverrideStore::bindings_to_resync(&old, det);
        det.timeline.push(TimelineEvent {
            step: 0,
            document: old.document,
            kind: EventKind::PolicyDeleted,
            subject: old.display(),
            message: format!("deleted (override policies have no finalizer); {} binding(s) re-synced", enqueue.len()),
        });
        det.overrides.remove(&(namespace.to_string(), name.to_string()));
        self.resync.extend(enqueue);
        true
    }

    fn required_by_seen(&self, key: &TemplateKey) -> &[BindingSnapshot] {
        self.required_by.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The Work of `key` for `cluster`.
    fn work(&self, key: &TemplateKey, cluster: &str) -> Option<&Work> {
        self.works.get(key).and_then(|w| w.get(cluster))
    }

    /// The clusters `key` has a Work for.
    fn work_clusters(&self, key: &TemplateKey) -> Vec<String> {
        self.works.get(key).map(|w| w.keys().map(shared::owned).collect()).unwrap_or_default()
    }

    /// Runs the scheduler for changed bindings (all of them when the clusters changed), then the binding and
    /// execution controllers, after one step. The binding controller rebuilds the Works of a binding whose
    /// spec changed, that an override policy event enqueued, or whose last build failed (it is retried).
    pub fn sync(
        &mut self,
        det: &impl DetectorView,
        dirty: &ChunkSet<TemplateKey>,
        clusters: &Fleet,
        clusters_changed: bool,
        timeline: &mut Vec<TimelineEvent>,
        document: usize,
    ) {
        let resync = std::mem::take(&mut self.resync);
        let failing: ChunkSet<TemplateKey> = self.build_errors.keys().map(|(k, _)| k.clone()).collect();
        let mut keys: ChunkSet<TemplateKey> = dirty.clone();
        if clusters_changed {
            keys.extend(det.owners());
        }
        keys.extend(resync.iter().cloned());
        keys.extend(failing.iter().cloned());
        // The scheduler only reads the binding and the fleet snapshot: natively, every binding this pass
        // schedules is scheduled first on every core, then the controllers run in key order; single-threaded
        // (wasm), `sync_one` schedules each in place.
        let passes: Vec<(&TemplateKey, bool, bool)> = keys
            .iter()
            .map(|key| {
                let reschedule = clusters_changed || dirty.contains(key);
                let rebuild = dirty.contains(key) || resync.contains(key) || failing.contains(key);
                (key, reschedule, rebuild)
            })
            .collect();
        let mut results = self.schedule_ahead(det, &passes, clusters).into_iter().peekable();
        for (key, reschedule, rebuild) in passes {
            self.sync_one(det, key, clusters, timeline, document, reschedule, rebuild, &mut results);
        }
    }

    /// The results `sync_one` would compute for the bindings it reschedules in `passes`, in key order, computed
    /// on every core; none single-threaded (wasm), where `sync_one` schedules each in place.
    fn schedule_ahead<'k>(
        &self,
        det: &'k impl DetectorView,
        passes: &[(&'k TemplateKey, bool, bool)],
        clusters: &[Cluster],
    ) -> Vec<(&'k TemplateKey, ScheduleResult)> {
        #[cfg(not(feature = "parallel"))]
        {
            let _ = (det, passes, clusters);
            Vec::new()
        }
        #[cfg(feature = "parallel")]
        {
            let bindings: Vec<(&TemplateKey, &crate::api::binding::ResourceBinding)> = passes
                .iter()
                .filter_map(|&(key, reschedule, _)| {
                    let sb = det.binding(key).filter(|_| det.template(key).is_some())?;
                    let schedule =
                        karmada_schedules(&sb.binding) && schedules_now(reschedule, self.scheduled.contains_key(key));
                    schedule.then_some((key, &sb.binding))
                })
                .collect();
            crate::util::map_in_order(&bindings, |(key, binding)| {
                (*key, det.scheduled_ahead(key).unwrap_or_else(|| scheduler::schedule(binding, clusters)))
            })
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn sync_one<'k>(
        &mut self,
        det: &impl DetectorView,
        key: &TemplateKey,
        clusters: &Fleet,
        timeline: &mut Vec<TimelineEvent>,
        document: usize,
        reschedule: bool,
        rebuild: bool,
        scheduled_ahead: &mut std::iter::Peekable<impl Iterator<Item = (&'k TemplateKey, ScheduleResult)>>,
    ) {
        let (Some(sb), Some(template)) = (det.binding(key), det.template(key)) else {
            // The binding went with its template: its Works go, and managed member objects with them.
            self.scheduled.remove(key);
            self.required_by.remove(key);
            for cluster in self.work_clusters(key) {
                self.delete_work(key, &cluster, timeline, document);
            }
            self.build_errors.retain(|(k, _), _| k != key);
            return;
        };
        let prev_targets = self.scheduled.get(key).map(|p| p.targets.clone());
        let prev_work_targets = prev_targets.as_ref().map(|t| merge_target_clusters(t, self.required_by_seen(key)));
        if !karmada_schedules(&sb.binding) {
            // karmada-scheduler never sees it: an attached binding (no placement, no policy label) or one for
            // another scheduler (`schedulerNameFilter`); spec.clusters stays as it is (empty).
            if prev_targets.is_none() && sb.binding.placed {
                timeline.push(TimelineEvent {
                    step: 0,
                    document,
                    kind: EventKind::Scheduled,
                    subject: key.display(),
                    message: format!(
                        "not scheduled: schedulerName {} is not {}, so karmada-scheduler skips the binding",
                        crate::webhook::go_quote(&sb.binding.scheduler_name),
                        crate::api::binding::DEFAULT_SCHEDULER
                    ),
                });
            }
            if prev_targets.is_none() {
                self.scheduled.insert(
                    key.clone(),
                    Scheduled { targets: Vec::new(), error: None, ran: false, fleet: Fleet::clone(clusters) },
                );
            }
        } else if schedules_now(reschedule, prev_targets.is_some()) {
            let prev = self.scheduled.get(key);
            // `sync` may have scheduled it already (in key order, matched by key).
            let result = match scheduled_ahead.next_if(|(k, _)| *k == key) {
                Some((_, result)) => result,
                None => scheduler::schedule(&sb.binding, clusters),
            };
            let changed = prev.map(Scheduled::outcome).is_none_or(|(clusters, error)| {
                error != result.error.as_deref()
                    || clusters.len() != result.clusters.len()
                    || clusters.iter().zip(&result.clusters).any(|((n, r), c)| *n != c.name || *r != c.replicas)
            });
            if changed {
                let msg = match &result.error {
                    Some(e) => format!("scheduling failed: {e}"),
                    None if result.clusters.is_empty() => "scheduled to no cluster".into(),
                    None => format!(
                        "scheduled to {}",
                        result
                            .clusters
                            .iter()
                            .map(|c| format!("{}:{}", c.name, c.replicas))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                timeline.push(TimelineEvent {
                    step: 0,
                    document,
                    kind: EventKind::Scheduled,
                    subject: key.display(),
                    message: msg,
                });
            }
            let ScheduleResult { clusters: chosen, error, .. } = result;
            let targets: Vec<(String, i64)> = match &error {
                None => chosen.into_iter().map(|c| (c.name, c.replicas)).collect(),
                // A FitError clears spec.clusters; other failures keep the previous result.
                Some(e) if e.starts_with("0/") => Vec::new(),
                Some(_) => prev_targets.clone().unwrap_or_default(),
            };
            self.scheduled.insert(key.clone(), Scheduled { targets, error, ran: true, fleet: Fleet::clone(clusters) });
        }
        // mergeTargetClusters: the binding's own clusters, then those of every binding that requires it.
        let own = self.scheduled.get(key).map(|s| s.targets.as_slice()).unwrap_or(&[]);
        let targets = merge_target_clusters(own, &sb.binding.required_by);
        // What the binding controller last saw of the requiring bindings (none, for almost every binding: no
        // entry rather than an empty one).
        if sb.binding.required_by.is_empty() {
            self.required_by.remove(key);
        } else {
            self.required_by.insert(key.clone(), sb.binding.required_by.clone());
        }
        // Works of clusters that left the placement are deleted.
        for cluster in self.work_clusters(key) {
            if !targets.iter().any(|(t, _)| *t == cluster) {
                self.delete_work(key, &cluster, timeline, document);
            }
        }
        self.build_errors.retain(|(k, c), _| k != key || targets.iter().any(|(t, _)| t == c));
        // The binding controller only runs when the binding changed (its spec.clusters included) or was enqueued.
        if !rebuild && prev_work_targets.as_ref() == Some(&targets) {
            return;
        }
        // Without override policies and kept manifests, what every cluster receives is built once.
        let shared =
            (!self.keep_manifests && self.overrides.is_empty()).then(|| work::build_shared(template, sb, &targets));
        // The template's Works and member objects, taken out once for the loop (not looked up per cluster).
        let mut works = self.works.remove(key).unwrap_or_default();
        let mut members = self.members.remove(key).unwrap_or_default();
        // A template's first Works and member objects, one per target cluster, without slack (hundreds of
        // thousands on a large fleet).
        if works.is_empty() {
            works.reserve_exact(targets.len());
        }
        if members.is_empty() {
            members.reserve_exact(targets.len());
        }
        let mut applies = ApplyOutcomes::default();
        let mut shared_facts = None;
        for (cluster, replicas) in &targets {
            let built = match &shared {
                Some(Ok(s)) => s.digest_for(cluster, *replicas, clusters).map(|digest| Built::Shared(s, digest)),
                Some(Err(e)) => Err(e.clone()),
                None => work::build(template, sb, &targets, cluster, clusters, &self.overrides).map(Built::Own),
            };
            let built = match built {
                Ok(b) => b,
                Err(e) => {
                    // ensureWork skips this cluster: its Work (if any) stays as it was.
                    let wk = (key.clone(), cluster.clone());
                    if self.build_errors.get(&wk) != Some(&e) {
                        timeline.push(TimelineEvent {
                            step: 0,
                            document,
                            kind: EventKind::Error,
                            subject: key.display(),
                            message: format!("{cluster}: the binding controller cannot build the Work: {e}"),
                        });
                    }
                    self.build_errors.insert(wk, e);
                    continue;
                }
            };
            if !self.build_errors.is_empty() {
                self.build_errors.remove(&(key.clone(), cluster.clone()));
            }
            // What the member object's apply reads of the manifest: once per binding when the manifest is shared.
            let (digest, manifest, applied, facts) = match built {
                Built::Shared(s, digest) => {
                    let facts = *shared_facts.get_or_insert_with(|| MemberFacts::of(&s.manifest));
                    (digest, std::borrow::Cow::Borrowed(&s.manifest), Vec::new(), facts)
                }
                Built::Own(b) => {
                    let facts = MemberFacts::of(&b.manifest);
                    (work::digest(&b.manifest), std::borrow::Cow::Owned(b.manifest), b.applied, facts)
                }
            };
            let suspended = sb.binding.dispatching_suspended(cluster);
            let preserve = sb.binding.preserve_resources_on_deletion.unwrap_or(false);
            let previous = works.get(shared::key(cluster)).map(|w| (w.result, w.message().cloned()));
            if let Some(w) = works.get_mut(shared::key(cluster)) {
                if w.digest == digest && w.suspended == suspended && w.preserve == preserve {
                    w.set_applied(applied);
                    continue;
                }
            }
            let (result, message) = if suspended {
                // The Work is written, the execution controller skips it: nothing reaches the member cluster.
                timeline.push(TimelineEvent {
                    step: 0,
                    document,
                    kind: EventKind::Suspended,
                    subject: key.display(),
                    message: format!("{cluster}: Work written, dispatching suspended ({SUSPENDED_MESSAGE})"),
                });
                previous.unwrap_or((ApplyResult::NotApplied, Some(SUSPENDED_MESSAGE.to_string())))
            } else {
                let (result, message) = apply_to_member(&mut members, cluster, &mut self.names, key, facts);
                let outcome = if message.is_none() && applied.is_empty() {
                    // The common case, without formatting: `Created`, `Updated`, …
                    std::borrow::Cow::Borrowed(result.name())
                } else {
                    let mut outcome = match &message {
                        Some(m) => format!("{}: {m}", result.name()),
                        None => result.name().to_string(),
                    };
                    if !applied.is_empty() {
                        let rules: Vec<String> = applied.iter().map(AppliedRule::display).collect();
                        outcome.push_str(&format!(" (overrides: {})", rules.join(", ")));
                    }
                    std::borrow::Cow::Owned(outcome)
                };
                applies.record(cluster, outcome);
                (result, message)
            };
            let manifest = self.keep_manifests.then(|| manifest.into_owned());
            let work = Work::new(digest, result, suspended, preserve, WorkExtra { manifest, message, applied });
            works.insert(self.names.get(cluster), work);
        }
        if let Some(message) = applies.message() {
            timeline.push(TimelineEvent {
                step: 0,
                document,
                kind: EventKind::Applied,
                subject: key.display(),
                message,
            });
        }
        if !works.is_empty() {
            self.works.insert(key.clone(), works);
        }
        if !members.is_empty() {
            self.members.insert(key.clone(), members);
        }
    }

    /// Deletes a Work; the member object goes only if Karmada manages it.
    fn delete_work(&mut self, key: &TemplateKey, cluster: &str, timeline: &mut Vec<TimelineEvent>, document: usize) {
        let Some(work) = self.works.get_mut(key).and_then(|w| w.remove(cluster)) else {
            return;
        };
        let objects = self.members.get_mut(key);
        let managed = objects.as_ref().and_then(|o| o.get(cluster)).is_some_and(MemberObject::is_managed);
        let msg = if work.preserve {
            // cleanupPolicyClaimMetadata: the object stays, without Karmada's claim and management metadata
            // (`handleWorkDelete` strips the claim labels and `util.ManagedResourceLabels`, the managed label
            // among them: the only one the simulation keeps).
            match objects.and_then(|o| o.get_mut(cluster)) {
                Some(o) => {
                    o.managed_label = None;
                    format!("{cluster}: Work deleted; preserveResourcesOnDeletion keeps the object, without Karmada's labels and annotations")
                }
                None => {
                    format!("{cluster}: Work deleted; preserveResourcesOnDeletion, but the cluster has no such object")
                }
            }
        } else if managed {
            if let Some(o) = objects {
                o.remove(cluster);
            }
            format!("{cluster}: Work deleted; the managed object is deleted from the cluster")
        } else {
            format!("{cluster}: Work deleted; the unmanaged object is left alone")
        };
        timeline.push(TimelineEvent {
            step: 0,
            document,
            kind: EventKind::Removed,
            subject: key.display(),
            message: msg,
        });
    }
}

/// karmada-scheduler takes the binding: it has a placement (not an attached binding) and names the default
/// scheduler (`schedulerNameFilter`).
fn karmada_schedules(b: &crate::api::binding::ResourceBinding) -> bool {
    b.placed && b.for_default_scheduler()
}

/// A binding karmada-scheduler takes is scheduled in this pass when the pass reschedules it (its spec or the
/// fleet changed) or it was never scheduled.
fn schedules_now(reschedule: bool, scheduled_before: bool) -> bool {
    reschedule || !scheduled_before
}

/// What one binding-controller pass applied, grouped by outcome: one `Applied` event per binding and step
/// (`member1, member2: Created; member3: Conflict: …`), not one per cluster, which on a fleet of a hundred
/// clusters made the timeline most of the report.
#[derive(Default)]
struct ApplyOutcomes {
    /// Each distinct outcome with its clusters, in the order the clusters were applied.
    groups: Vec<(std::borrow::Cow<'static, str>, String)>,
}

impl ApplyOutcomes {
    fn record(&mut self, cluster: &str, outcome: std::borrow::Cow<'static, str>) {
        match self.groups.iter_mut().find(|(o, _)| *o == outcome) {
            Some((_, clusters)) => {
                clusters.push_str(", ");
                clusters.push_str(cluster);
            }
            None => self.groups.push((outcome, cluster.to_string())),
        }
    }

    fn message(self) -> Option<String> {
        let mut groups = self.groups.into_iter();
        let (outcome, clusters) = groups.next()?;
        let mut text = format!("{clusters}: {outcome}");
        for (outcome, clusters) in groups {
            text.push_str("; ");
            text.push_str(&clusters);
            text.push_str(": ");
            text.push_str(&outcome);
        }
        Some(text)
    }
}

/// `mergeTargetClusters` (`pkg/controllers/binding/common.go`): `own` first, then each requiring binding's
/// clusters not yet present, with that binding's replica counts.
pub fn merge_target_clusters(own: &[(String, i64)], required_by: &[BindingSnapshot]) -> Vec<(String, i64)> {
    let mut out = own.to_vec();
    for snap in required_by {
        for (name, replicas) in &snap.clusters {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.clone(), *replicas));
            }
        }
    }
    out
}

/// What applying a Work's manifest to a member object reads of the manifest.
#[derive(Clone, Copy)]
struct MemberFacts {
    /// Its managed label (see [`MemberObject::managed_label`]).
    desired_managed: Option<bool>,
    /// `work.karmada.io/conflict-resolution: overwrite`.
    overwrite: bool,
}

impl MemberFacts {
    fn of(manifest: &Value) -> Self {
        let metadata = manifest.get("metadata");
        // `GetLabels`: a label map with a non-string value reads as no labels.
        let desired_managed = match metadata.and_then(|m| m.get("labels")) {
            Some(Value::Object(l)) if l.values().all(Value::is_string) => {
                l.get(MANAGED_LABEL).and_then(Value::as_str).map(|v| v == "true")
            }
            _ => None,
        };
        let overwrite = metadata
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get(CONFLICT_ANNOTATION))
            .and_then(Value::as_str)
            == Some("overwrite");
        MemberFacts { desired_managed, overwrite }
    }
}

/// The object watcher's create-or-update, with `allowUpdate`, against a template's objects in member clusters.
fn apply_to_member(
    objects: &mut VecMap<Name, MemberObject>,
    cluster: &str,
    names: &mut Names,
    key: &TemplateKey,
    MemberFacts { desired_managed, overwrite }: MemberFacts,
) -> (ApplyResult, Option<String>) {
    match objects.get_mut(cluster) {
        None => {
            objects.insert(names.get(cluster), MemberObject { managed_label: desired_managed });
            (ApplyResult::Created, None)
        }
        Some(obj) => {
            let managed = obj.is_managed();
            if managed || overwrite {
                // retainClusterFields: member labels the desired object does not set are kept.
                if desired_managed.is_some() {
                    obj.managed_label = desired_managed;
                }
                (if managed { ApplyResult::Updated } else { ApplyResult::Adopted }, None)
            } else {
                let ns = key.namespace();
                let msg = format!(
                    "resource(kind={}, {}) already exists in the cluster {cluster} and the {CONFLICT_ANNOTATION} strategy value is empty, Karmada will not manage this resource",
                    key.kind(),
                    if ns.is_empty() { key.name().to_string() } else { format!("{ns}/{}", key.name()) }
                );
                (ApplyResult::Conflict, Some(msg))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ApplyResult;

    #[test]
    fn apply_result_names_are_their_debug_names() {
        for r in [
            ApplyResult::Created,
            ApplyResult::Adopted,
            ApplyResult::Updated,
            ApplyResult::Conflict,
            ApplyResult::Error,
            ApplyResult::NotApplied,
        ] {
            assert_eq!(r.name(), format!("{r:?}"));
        }
    }
}
