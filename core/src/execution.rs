//! What reaches the member clusters: the scheduler run per changed binding, the binding controller building one
//! Work per target cluster, and the execution controller applying it through the object watcher
//! (`pkg/controllers/binding`, `pkg/controllers/execution`, `pkg/util/objectwatcher`).

use crate::api::cluster::Cluster;
use crate::api::template::ResourceTemplate;
use crate::detector::timeline::{EventKind, TimelineEvent};
use crate::detector::{Detector, TemplateKey};
use crate::scheduler::{self, ScheduleResult};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// `karmada.io/managed`.
pub const MANAGED_LABEL: &str = "karmada.io/managed";
/// `work.karmada.io/conflict-resolution`.
pub const CONFLICT_ANNOTATION: &str = "work.karmada.io/conflict-resolution";

/// Result of the latest sync of a Work to its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
pub struct ApplyEntry {
    /// Cluster.
    pub cluster: String,
    /// Latest result.
    pub result: ApplyResult,
    /// Karmada's message for Conflict/Error/NotApplied.
    pub message: Option<String>,
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
    pub labels: BTreeMap<String, String>,
    /// The object.
    pub content: Value,
}

#[derive(Debug, Clone, PartialEq)]
struct Work {
    manifest: Value,
    result: ApplyResult,
    message: Option<String>,
}

#[derive(Debug, Clone)]
struct Scheduled {
    result: ScheduleResult,
    /// `spec.clusters` as the binding keeps it (a non-FitError failure keeps the previous targets).
    targets: Vec<(String, i64)>,
}

/// The member-cluster side of the simulation.
#[derive(Debug, Default)]
pub struct Controllers {
    scheduled: BTreeMap<TemplateKey, Scheduled>,
    works: BTreeMap<(TemplateKey, String), Work>,
    /// Objects in member clusters.
    pub members: BTreeMap<MemberKey, MemberObject>,
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
        self.members.insert(key, MemberObject { labels, content: t.raw.clone() });
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

    /// The last scheduling result of a template's binding.
    pub fn schedule_result(&self, key: &TemplateKey) -> Option<&ScheduleResult> {
        self.scheduled.get(key).map(|s| &s.result)
    }

    /// The `apply` entries of a template: one per cluster of `placement`.
    pub fn apply_entries(&self, key: &TemplateKey, placement: &[String]) -> Vec<ApplyEntry> {
        placement
            .iter()
            .map(|c| match self.works.get(&(key.clone(), c.clone())) {
                Some(w) => ApplyEntry { cluster: c.clone(), result: w.result, message: w.message.clone() },
                None => ApplyEntry {
                    cluster: c.clone(),
                    result: ApplyResult::NotApplied,
                    message: Some("no Work exists for this cluster".into()),
                },
            })
            .collect()
    }

    /// Runs the scheduler for changed bindings (all of them when the clusters changed), then the binding and
    /// execution controllers, after one step.
    pub fn sync(
        &mut self,
        det: &Detector,
        dirty: &BTreeSet<TemplateKey>,
        clusters: &[Cluster],
        clusters_changed: bool,
        timeline: &mut Vec<TimelineEvent>,
        document: usize,
    ) {
        let keys: Vec<TemplateKey> = if clusters_changed {
            let mut all: BTreeSet<TemplateKey> = dirty.clone();
            all.extend(det.bindings.values().map(|b| b.owner.clone()));
            all.into_iter().collect()
        } else {
            dirty.iter().cloned().collect()
        };
        for key in keys {
            self.sync_one(det, &key, clusters, timeline, document);
        }
    }

    fn sync_one(
        &mut self,
        det: &Detector,
        key: &TemplateKey,
        clusters: &[Cluster],
        timeline: &mut Vec<TimelineEvent>,
        document: usize,
    ) {
        let (Some(sb), Some(template)) = (det.binding_of(key), det.templates.get(key).map(|s| &s.template)) else {
            // The binding went with its template: its Works go, and managed member objects with them.
            self.scheduled.remove(key);
            let gone: Vec<(TemplateKey, String)> = self.works.keys().filter(|(k, _)| k == key).cloned().collect();
            for wk in gone {
                self.delete_work(&wk, timeline, document);
            }
            return;
        };
        let prev = self.scheduled.get(key);
        let result = scheduler::schedule(&sb.binding, clusters);
        let prev_targets = prev.map(|p| p.targets.clone()).unwrap_or_default();
        let targets: Vec<(String, i64)> = match &result.error {
            None => result.clusters.iter().map(|c| (c.name.clone(), c.replicas)).collect(),
            // A FitError clears spec.clusters; other failures keep the previous result.
            Some(e) if e.starts_with("0/") => Vec::new(),
            Some(_) => prev_targets,
        };
        let changed = prev.is_none_or(|p| p.result.clusters != result.clusters || p.result.error != result.error);
        if changed {
            let msg = match &result.error {
                Some(e) => format!("scheduling failed: {e}"),
                None if result.clusters.is_empty() => "scheduled to no cluster".into(),
                None => format!(
                    "scheduled to {}",
                    result.clusters.iter().map(|c| format!("{}:{}", c.name, c.replicas)).collect::<Vec<_>>().join(", ")
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
        self.scheduled.insert(key.clone(), Scheduled { result, targets: targets.clone() });
        // Works of clusters that left the placement are deleted.
        let stale: Vec<(TemplateKey, String)> =
            self.works.keys().filter(|(k, c)| k == key && !targets.iter().any(|(t, _)| t == c)).cloned().collect();
        for wk in stale {
            self.delete_work(&wk, timeline, document);
        }
        for (cluster, replicas) in &targets {
            let manifest = render_manifest(template, sb, *replicas);
            let wk = (key.clone(), cluster.clone());
            if self.works.get(&wk).is_some_and(|w| w.manifest == manifest) {
                continue;
            }
            let (result, message) = self.apply_to_member(cluster, key, &manifest);
            let text = match &message {
                Some(m) => format!("{cluster}: {result:?}: {m}"),
                None => format!("{cluster}: {result:?}"),
            };
            timeline.push(TimelineEvent {
                step: 0,
                document,
                kind: EventKind::Applied,
                subject: key.display(),
                message: text,
            });
            self.works.insert(wk, Work { manifest, result, message });
        }
    }

    /// The object watcher's create-or-update, with `allowUpdate`.
    fn apply_to_member(&mut self, cluster: &str, key: &TemplateKey, manifest: &Value) -> (ApplyResult, Option<String>) {
        let mk = MemberKey { cluster: cluster.to_string(), object: key.clone() };
        let desired_labels: BTreeMap<String, String> = manifest
            .pointer("/metadata/labels")
            .and_then(|l| serde_json::from_value(l.clone()).ok())
            .unwrap_or_default();
        match self.members.get_mut(&mk) {
            None => {
                self.members.insert(mk, MemberObject { labels: desired_labels, content: manifest.clone() });
                (ApplyResult::Created, None)
            }
            Some(obj) => {
                let managed = obj.labels.get(MANAGED_LABEL).map(String::as_str) == Some("true");
                let overwrite = manifest
                    .pointer(&format!("/metadata/annotations/{}", CONFLICT_ANNOTATION.replace('/', "~1")))
                    == Some(&Value::String("overwrite".into()));
                if managed || overwrite {
                    // retainClusterFields: member labels the desired object does not set are kept.
                    let mut labels = obj.labels.clone();
                    labels.extend(desired_labels);
                    obj.labels = labels;
                    obj.content = manifest.clone();
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
        if self.works.remove(wk).is_none() {
            return;
        }
        let mk = MemberKey { cluster: wk.1.clone(), object: wk.0.clone() };
        let managed =
            self.members.get(&mk).is_some_and(|o| o.labels.get(MANAGED_LABEL).map(String::as_str) == Some("true"));
        let msg = if managed {
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

/// The effective conflict resolution of a Work (`mergeConflictResolution`): the template annotation wins when
/// it is exactly `overwrite` or `abort`; otherwise the binding's `Overwrite` gives `overwrite`, anything else
/// `abort`.
pub fn conflict_resolution(template: &ResourceTemplate, binding_value: &str) -> &'static str {
    match template.metadata.annotations.get(CONFLICT_ANNOTATION).map(String::as_str) {
        Some("overwrite") => "overwrite",
        Some("abort") => "abort",
        _ if binding_value == "Overwrite" => "overwrite",
        _ => "abort",
    }
}

/// The manifest the binding controller writes into the Work for one cluster (before overrides).
pub fn render_manifest(template: &ResourceTemplate, sb: &crate::detector::StoredBinding, replicas: i64) -> Value {
    let mut v = template.raw.clone();
    if let Value::Object(m) = &mut v {
        m.remove("status");
        let mut labels = template.metadata.labels.clone();
        labels.insert(MANAGED_LABEL.into(), "true".into());
        let mut annotations = template.metadata.annotations.clone();
        annotations
            .insert(CONFLICT_ANNOTATION.into(), conflict_resolution(template, &sb.binding.conflict_resolution).into());
        if let Value::Object(meta) = m.entry("metadata").or_insert_with(|| Value::Object(Default::default())) {
            for f in [
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "ownerReferences",
                "finalizers",
                "managedFields",
            ] {
                meta.remove(f);
            }
            if !template.metadata.namespace.is_empty() {
                meta.insert("namespace".into(), Value::String(template.metadata.namespace.clone()));
            }
            meta.insert("labels".into(), serde_json::to_value(labels).unwrap_or(Value::Null));
            meta.insert("annotations".into(), serde_json::to_value(annotations).unwrap_or(Value::Null));
        }
        if sb.binding.is_workload() && has_replicas_field(&template.api_version, &template.kind) {
            if let Some(Value::Object(spec)) = m.get_mut("spec") {
                let field = if template.kind == "Job" { "parallelism" } else { "replicas" };
                spec.insert(field.into(), Value::from(replicas));
            }
        }
    }
    v
}

/// Kinds whose replicas the default interpreter revises per cluster (`ReviseReplica`).
fn has_replicas_field(api_version: &str, kind: &str) -> bool {
    matches!((api_version, kind), ("apps/v1", "Deployment" | "StatefulSet" | "ReplicaSet") | ("batch/v1", "Job"))
}
