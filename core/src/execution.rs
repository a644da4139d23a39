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

/// Identity of an object in a member cluster.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemberKey {
    /// Cluster name.
    pub cluster: String,
    /// The object's identity.
    pub object: TemplateKey,
}

/// An object in a member cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberObject {
    /// Labels (the `karmada.io/managed` label decides updates).
    pub labels: VecMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Work {
    /// What the Work holds: kept only when the report needs it (overrides block, rendering); otherwise the digest
    /// alone decides whether a rebuilt Work changed (manifests dominate memory on large fleets).
    manifest: Option<Value>,
    /// Digest of the manifest's JSON.
    digest: u64,
    result: ApplyResult,
    message: Option<String>,
    /// Override rules applied to build `manifest`.
    applied: Vec<AppliedRule>,
    /// `spec.suspendDispatching`: the execution controller does not sync it (`IsWorkSuspendDispatching`).
    suspended: bool,
    /// `spec.preserveResourcesOnDeletion`: deleting the Work keeps the member object (`handleWorkDelete`).
    preserve: bool,
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

#[derive(Debug, Clone)]
struct Scheduled {
    result: ScheduleResult,
    /// `spec.clusters` as the binding keeps it (a non-FitError failure keeps the previous targets).
    targets: Vec<(String, i64)>,
    /// karmada-scheduler ran for it (false for attached bindings and other schedulers' bindings).
    ran: bool,
    /// The fleet the last scheduling saw (shared by every binding scheduled against it), to explain it later.
    fleet: Fleet,
}

/// One snapshot of the member clusters as the scheduler sees them, shared rather than copied per binding.
pub type Fleet = std::sync::Arc<[Cluster]>;

/// The member-cluster side of the simulation.
#[derive(Debug, Default)]
pub struct Controllers {
    scheduled: ChunkMap<TemplateKey, Scheduled>,
    works: ChunkMap<(TemplateKey, String), Work>,
    /// Objects in member clusters.
    pub members: ChunkMap<MemberKey, MemberObject>,
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
        let key = MemberKey { cluster: cluster.to_string(), object: TemplateKey::of(t) };
        let mut labels = t.metadata.labels.clone();
        if let Some(old) = self.members.get(&key) {
            // kubectl apply keeps labels it does not own (Karmada's managed label survives a re-apply).
            for (k, v) in &old.labels {
                labels.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        self.members.insert(key, MemberObject { labels });
    }

    /// `kubectl --context <cluster> delete`.
    pub fn delete_member_object(&mut self, cluster: &str, kind: &str, namespace: &str, name: &str) -> bool {
        let before = self.members.len();
        self.members.retain(|k, _| {
            !(k.cluster == cluster
                && k.object.kind == kind
                && k.object.name == name
                && (k.object.namespace == namespace || (namespace.is_empty() && k.object.namespace == "default")))
        });
        before != self.members.len()
    }

    /// Every object in the member clusters, by identity: which clusters hold it and whether Karmada manages it
    /// there (clusters sorted by name).
    pub fn member_index(&self) -> ChunkMap<TemplateKey, Vec<MemberEntry>> {
        let mut index: ChunkMap<TemplateKey, Vec<MemberEntry>> = ChunkMap::new();
        for (k, o) in self.members.iter() {
            let entry = MemberEntry { cluster: k.cluster.clone(), managed: is_managed(&o.labels) };
            match index.get_mut(&k.object) {
                Some(v) => v.push(entry),
                None => {
                    index.insert(k.object.clone(), vec![entry]);
                }
            }
        }
        for v in index.values_mut() {
            crate::util::sort_by(v, |a, b| a.cluster.cmp(&b.cluster));
        }
        index
    }

    /// `spec.clusters` of a template's binding as the binding controller last saw it (name, replicas).
    pub fn targets(&self, key: &TemplateKey) -> Option<&[(String, i64)]> {
        self.scheduled.get(key).map(|s| s.targets.as_slice())
    }

    /// The last scheduling result of a template's binding.
    pub fn schedule_result(&self, key: &TemplateKey) -> Option<&ScheduleResult> {
        self.scheduled.get(key).map(|s| &s.result)
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
                match self.works.get(&wk) {
                    Some(w) => ApplyEntry { cluster: c.clone(), result: w.result, message: w.message.clone() },
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
                let work = self.works.get(&wk);
                let error = self.build_errors.get(&wk).cloned();
                let applied = match (work, &error) {
                    (Some(w), None) => w
                        .applied
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
                    manifest: work.and_then(|w| w.manifest.as_ref()).map(work::strip_internal),
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
                let applied = match (self.works.get(&wk), &error) {
                    (Some(w), None) => w.applied.clone(),
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
            .range_from(&(key.clone(), String::new()))
            .take_while(|((k, _), _)| k == key)
            .filter_map(|((_, c), w)| w.manifest.as_ref().map(|m| (c.clone(), work::strip_internal(m))))
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

    fn required_by_seen(&self, key: &TemplateKey) -> Vec<BindingSnapshot> {
        self.required_by.get(key).cloned().unwrap_or_default()
    }

    /// The Work keys of one template (a range of the ordered map, not a scan of every Work).
    fn works_of<'a>(&'a self, key: &'a TemplateKey) -> impl Iterator<Item = (TemplateKey, String)> + 'a {
        self.works.range_from(&(key.clone(), String::new())).map(|(k, _)| k).take_while(move |(k, _)| k == key).cloned()
    }

    /// Runs the scheduler for changed bindings (all of them when the clusters changed), then the binding and
    /// execution controllers, after one step. The binding controller rebuilds the Works of a binding whose
    /// spec changed, that an override policy event enqueued, or whose last build failed (it is retried).
    pub fn sync(
        &mut self,
        det: &Detector,
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
            keys.extend(det.bindings.values().map(|b| b.owner.clone()));
        }
        keys.extend(resync.iter().cloned());
        keys.extend(failing.iter().cloned());
        for key in keys {
            let reschedule = clusters_changed || dirty.contains(&key);
            let rebuild = dirty.contains(&key) || resync.contains(&key) || failing.contains(&key);
            self.sync_one(det, &key, clusters, timeline, document, reschedule, rebuild);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn sync_one(
        &mut self,
        det: &Detector,
        key: &TemplateKey,
        clusters: &Fleet,
        timeline: &mut Vec<TimelineEvent>,
        document: usize,
        reschedule: bool,
        rebuild: bool,
    ) {
        let (Some(sb), Some(template)) = (det.binding_of(key), det.templates.get(key).map(|s| &s.template)) else {
            // The binding went with its template: its Works go, and managed member objects with them.
            self.scheduled.remove(key);
            self.required_by.remove(key);
            let gone: Vec<(TemplateKey, String)> = self.works_of(key).collect();
            for wk in gone {
                self.delete_work(&wk, timeline, document);
            }
            self.build_errors.retain(|(k, _), _| k != key);
            return;
        };
        let prev_targets = self.scheduled.get(key).map(|p| p.targets.clone());
        let prev_work_targets = prev_targets.as_ref().map(|t| merge_target_clusters(t, &self.required_by_seen(key)));
        if !sb.binding.placed || !sb.binding.for_default_scheduler() {
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
                    Scheduled {
                        result: ScheduleResult::default(),
                        targets: Vec::new(),
                        ran: false,
                        fleet: Fleet::clone(clusters),
                    },
                );
            }
        } else if reschedule || prev_targets.is_none() {
            let prev = self.scheduled.get(key);
            let result = scheduler::schedule(&sb.binding, clusters);
            let targets: Vec<(String, i64)> = match &result.error {
                None => result.clusters.iter().map(|c| (c.name.clone(), c.replicas)).collect(),
                // A FitError clears spec.clusters; other failures keep the previous result.
                Some(e) if e.starts_with("0/") => Vec::new(),
                Some(_) => prev_targets.clone().unwrap_or_default(),
            };
            let changed = prev.is_none_or(|p| p.result.clusters != result.clusters || p.result.error != result.error);
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
            self.scheduled.insert(key.clone(), Scheduled { result, targets, ran: true, fleet: Fleet::clone(clusters) });
        }
        let own = self.scheduled.get(key).map(|s| s.targets.clone()).unwrap_or_default();
        // mergeTargetClusters: the binding's own clusters, then those of every binding that requires it.
        let targets = merge_target_clusters(&own, &sb.binding.required_by);
        self.required_by.insert(key.clone(), sb.binding.required_by.clone());
        // Works of clusters that left the placement are deleted.
        let stale: Vec<(TemplateKey, String)> =
            self.works_of(key).filter(|(_, c)| !targets.iter().any(|(t, _)| t == c)).collect();
        for wk in stale {
            self.delete_work(&wk, timeline, document);
        }
        self.build_errors.retain(|(k, c), _| k != key || targets.iter().any(|(t, _)| t == c));
        // The binding controller only runs when the binding changed (its spec.clusters included) or was enqueued.
        if !rebuild && prev_work_targets.as_ref() == Some(&targets) {
            return;
        }
        for (cluster, _) in &targets {
            let wk = (key.clone(), cluster.clone());
            let built = match work::build(template, sb, &targets, cluster, clusters, &self.overrides) {
                Ok(b) => b,
                Err(e) => {
                    // ensureWork skips this cluster: its Work (if any) stays as it was.
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
            self.build_errors.remove(&wk);
            let digest = digest(&built.manifest);
            let suspended = sb.binding.dispatching_suspended(cluster);
            let preserve = sb.binding.preserve_resources_on_deletion.unwrap_or(false);
            let previous = self.works.get(&wk).map(|w| (w.result, w.message.clone()));
            if let Some(w) = self.works.get_mut(&wk) {
                if w.digest == digest && w.suspended == suspended && w.preserve == preserve {
                    w.applied = built.applied;
                    continue;
                }
            }
            if suspended {
                // The Work is written, the execution controller skips it: nothing reaches the member cluster.
                let (result, message) =
                    previous.unwrap_or((ApplyResult::NotApplied, Some(SUSPENDED_MESSAGE.to_string())));
                timeline.push(TimelineEvent {
                    step: 0,
                    document,
                    kind: EventKind::Suspended,
                    subject: key.display(),
                    message: format!("{cluster}: Work written, dispatching suspended ({SUSPENDED_MESSAGE})"),
                });
                let manifest = self.keep_manifests.then_some(built.manifest);
                let work = Work { manifest, digest, result, message, applied: built.applied, suspended, preserve };
                self.works.insert(wk, work);
                continue;
            }
            let (result, message) = self.apply_to_member(cluster, key, &built.manifest);
            let mut text = match &message {
                Some(m) => format!("{cluster}: {result:?}: {m}"),
                None => format!("{cluster}: {result:?}"),
            };
            if !built.applied.is_empty() {
                let rules: Vec<String> = built.applied.iter().map(AppliedRule::display).collect();
                text.push_str(&format!(" (overrides: {})", rules.join(", ")));
            }
            timeline.push(TimelineEvent {
                step: 0,
                document,
                kind: EventKind::Applied,
                subject: key.display(),
                message: text,
            });
            let manifest = self.keep_manifests.then_some(built.manifest);
            self.works
                .insert(wk, Work { manifest, digest, result, message, applied: built.applied, suspended, preserve });
        }
    }

    /// The object watcher's create-or-update, with `allowUpdate`.
    fn apply_to_member(&mut self, cluster: &str, key: &TemplateKey, manifest: &Value) -> (ApplyResult, Option<String>) {
        let mk = MemberKey { cluster: cluster.to_string(), object: key.clone() };
        let desired_labels: VecMap<String, String> = manifest
            .pointer("/metadata/labels")
            .and_then(|l| crate::api::decode::from_value(l).ok())
            .unwrap_or_default();
        match self.members.get_mut(&mk) {
            None => {
                self.members.insert(mk, MemberObject { labels: desired_labels });
                (ApplyResult::Created, None)
            }
            Some(obj) => {
                let managed = is_managed(&obj.labels);
                let overwrite = manifest
                    .pointer(&format!("/metadata/annotations/{}", CONFLICT_ANNOTATION.replace('/', "~1")))
                    == Some(&Value::String("overwrite".into()));
                if managed || overwrite {
                    // retainClusterFields: member labels the desired object does not set are kept.
                    let mut labels = obj.labels.clone();
                    labels.extend(desired_labels);
                    obj.labels = labels;
                    (if managed { ApplyResult::Updated } else { ApplyResult::Adopted }, None)
                } else {
                    let ns = key.namespace.as_str();
                    let msg = format!(
                        "resource(kind={}, {}) already exists in the cluster {cluster} and the {CONFLICT_ANNOTATION} strategy value is empty, Karmada will not manage this resource",
                        key.kind,
                        if ns.is_empty() { key.name.clone() } else { format!("{ns}/{}", key.name) }
                    );
                    (ApplyResult::Conflict, Some(msg))
                }
            }
        }
    }

    /// Deletes a Work; the member object goes only if Karmada manages it.
    fn delete_work(&mut self, wk: &(TemplateKey, String), timeline: &mut Vec<TimelineEvent>, document: usize) {
        let Some(work) = self.works.remove(wk) else {
            return;
        };
        let mk = MemberKey { cluster: wk.1.clone(), object: wk.0.clone() };
        let managed = self.members.get(&mk).is_some_and(|o| is_managed(&o.labels));
        let msg = if work.preserve {
            // cleanupPolicyClaimMetadata: the object stays, without Karmada's claim and management metadata.
            match self.members.get_mut(&mk) {
                Some(o) => {
                    o.labels.retain(|k, _| !PRESERVE_STRIPPED_LABELS.contains(&k.as_str()));
                    format!("{}: Work deleted; preserveResourcesOnDeletion keeps the object, without Karmada's labels and annotations", wk.1)
                }
                None => {
                    format!("{}: Work deleted; preserveResourcesOnDeletion, but the cluster has no such object", wk.1)
                }
            }
        } else if managed {
            self.members.remove(&mk);
            format!("{}: Work deleted; the managed object is deleted from the cluster", wk.1)
        } else {
            format!("{}: Work deleted; the unmanaged object is left alone", wk.1)
        };
        timeline.push(TimelineEvent {
            step: 0,
            document,
            kind: EventKind::Removed,
            subject: wk.0.display(),
            message: msg,
        });
    }
}

/// Labels `handleWorkDelete` removes from a preserved member object: the claim labels (`CleanupPPClaimMetadata`,
/// `CleanupCPPClaimMetadata`) and `util.ManagedResourceLabels`.
const PRESERVE_STRIPPED_LABELS: &[&str] = &[
    "propagationpolicy.karmada.io/permanent-id",
    "clusterpropagationpolicy.karmada.io/permanent-id",
    "resourcebinding.karmada.io/permanent-id",
    "work.karmada.io/permanent-id",
    MANAGED_LABEL,
];

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

/// Labelled `karmada.io/managed: "true"`: Karmada may update and delete it (`isManagedResource`).
fn is_managed(labels: &VecMap<String, String>) -> bool {
    labels.get(MANAGED_LABEL).map(String::as_str) == Some("true")
}

/// A digest of a manifest's JSON text (SipHash with fixed keys: the same on every run and platform).
fn digest(v: &Value) -> u64 {
    use std::hash::Hasher;
    struct H(std::hash::DefaultHasher);
    impl std::io::Write for H {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = H(std::hash::DefaultHasher::new());
    let _ = serde_json::to_writer(&mut h, v);
    h.0.finish()
}
