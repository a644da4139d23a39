//! The manifest the binding controller writes into the Work of one target cluster (`ensureWork`,
//! `pkg/controllers/binding/common.go`): replica revision, Job completions, overrides, Karmada's metadata
//! (`mergeLabel`, `mergeAnnotations`, `mergeConflictResolution`, `ctrlutil.CreateOrUpdateWork`), then the
//! pruning of fields member clusters must not receive
//! (`pkg/resourceinterpreter/default/native/prune/prune.go` `RemoveIrrelevantFields`, `RemoveJobTTLSeconds`).

use crate::api::cluster::Cluster;
use crate::api::template::ResourceTemplate;
use crate::detector::StoredBinding;
use crate::overrides::{AppliedRule, OverrideStore};
use crate::util::VecMap;
use crate::webhook::go_quote;
use serde_json::{Map, Value};

/// `karmada.io/managed`.
pub const MANAGED_LABEL: &str = "karmada.io/managed";
/// `work.karmada.io/conflict-resolution`.
pub const CONFLICT_ANNOTATION: &str = "work.karmada.io/conflict-resolution";

/// Karmada-internal labels removed from manifests shown to users (the conformance vectors' stripping rule).
pub const INTERNAL_LABELS: &[&str] = &[
    "propagationpolicy.karmada.io/permanent-id",
    "clusterpropagationpolicy.karmada.io/permanent-id",
    "resourcebinding.karmada.io/permanent-id",
    "clusterresourcebinding.karmada.io/permanent-id",
    "work.karmada.io/permanent-id",
    MANAGED_LABEL,
];

/// Karmada-internal annotations removed from manifests shown to users.
pub const INTERNAL_ANNOTATIONS: &[&str] = &[
    "propagationpolicy.karmada.io/name",
    "propagationpolicy.karmada.io/namespace",
    "clusterpropagationpolicy.karmada.io/name",
    "resourcebinding.karmada.io/name",
    "resourcebinding.karmada.io/namespace",
    "clusterresourcebinding.karmada.io/name",
    "resourcetemplate.karmada.io/uid",
    "resourcetemplate.karmada.io/generation",
    "resourcetemplate.karmada.io/managed-labels",
    "resourcetemplate.karmada.io/managed-annotations",
    "work.karmada.io/name",
    "work.karmada.io/namespace",
    CONFLICT_ANNOTATION,
];

/// A Work manifest and the override rules applied to build it.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltWork {
    /// The manifest, Karmada metadata included.
    pub manifest: Value,
    /// Rules applied, in order.
    pub applied: Vec<AppliedRule>,
}

fn meta_mut(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let root = obj.as_object_mut()?;
    let meta = root.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    meta.as_object_mut()
}

fn set_string_map(meta: &mut Map<String, Value>, field: &str, m: &VecMap<String, String>) {
    meta.insert(
        field.to_string(),
        Value::Object(m.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()),
    );
}

/// The template as karmada-apiserver returns it: the document as written, with the defaulted namespace and the
/// current labels and annotations (Karmada's claim metadata included).
pub fn template_object(t: &ResourceTemplate) -> Value {
    let mut v = Value::clone(&t.raw);
    if let Some(meta) = meta_mut(&mut v) {
        if !t.metadata.namespace.is_empty() {
            meta.insert("namespace".into(), Value::String(t.metadata.namespace.clone()));
        }
        if !t.metadata.labels.is_empty() || meta.contains_key("labels") {
            set_string_map(meta, "labels", &t.metadata.labels);
        }
        if !t.metadata.annotations.is_empty() || meta.contains_key("annotations") {
            set_string_map(meta, "annotations", &t.metadata.annotations);
        }
    }
    v
}

/// `util.MergeLabel` / `MergeAnnotation`: set one key, creating the map when needed.
fn merge(obj: &mut Value, field: &str, key: &str, value: &str) {
    if let Some(meta) = meta_mut(obj) {
        let m = meta.entry(field).or_insert_with(|| Value::Object(Map::new()));
        if !m.is_object() {
            *m = Value::Object(Map::new());
        }
        if let Some(m) = m.as_object_mut() {
            m.insert(key.to_string(), Value::String(value.to_string()));
        }
    }
}

/// `unstructured.NestedInt64(obj, "spec", field)`: `Ok(None)` when absent, an accessor error for another type.
fn nested_spec_int(obj: &Value, field: &str) -> Result<Option<i64>, String> {
    let spec = match obj.get("spec") {
        None => return Ok(None),
        Some(Value::Object(s)) => s,
        Some(other) => {
            return Err(format!(
                ".spec.{field} accessor error: {other} is of the type {}, expected map[string]interface{{}}",
                crate::overrides::go_type(other)
            ))
        }
    };
    match spec.get(field) {
        None => Ok(None),
        Some(v) => match v.as_i64() {
            Some(i) if v.is_i64() || v.is_u64() => Ok(Some(i)),
            _ => Err(format!(
                ".spec.{field} accessor error: {v} is of the type {}, expected int64",
                crate::overrides::go_type(v)
            )),
        },
    }
}

/// `helper.ApplyReplica`: sets `spec.<field>` only when the field is already there.
fn apply_replica(obj: &mut Value, field: &str, replicas: i64) -> Result<(), String> {
    if nested_spec_int(obj, field)?.is_some() {
        if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
            spec.insert(field.to_string(), Value::from(replicas));
        }
    }
    Ok(())
}

/// The default interpreter's `ReviseReplica` hook: which field it revises, for the kinds it handles.
fn revise_field(api_version: &str, kind: &str) -> Option<&'static str> {
    match (api_version, kind) {
        ("apps/v1", "Deployment" | "ReplicaSet" | "StatefulSet") => Some("replicas"),
        ("batch/v1", "Job") => Some("parallelism"),
        _ => None,
    }
}

/// `tieBreakerByUID` + `AllocateWebsterSeats` (`pkg/util/helper/binding.go`, `webstermethod.go`), as used by
/// `SpreadReplicasByTargetClusters(completions, targetClusters, nil, uid)`: seats per cluster, by name.
fn webster(seats: i32, votes: &[(String, i64)], uid: &str) -> VecMap<String, i32> {
    let mut parties: VecMap<String, (i64, i32)> = VecMap::new();
    for (n, v) in votes {
        parties.insert(n.clone(), (*v, 0));
    }
    let sum = votes.iter().fold(0i64, |s, (_, v)| s.saturating_add(*v));
    if sum == 0 || parties.is_empty() || seats <= 0 {
        // Dispenser.AllocateByWeight does nothing when the weights sum to 0.
        return if sum == 0 { VecMap::new() } else { parties.into_keys().map(|n| (n, 0)).collect() };
    }
    let fnv = uid.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    let descending = !uid.is_empty() && fnv & 1 == 1;
    // Start from a lower bound of every party's final seats (s_i ≥ q_i − (k+1)/2 for Webster), so that the
    // sequential method only hands out the last few seats; the result is the same as starting from zero.
    let k = i128::try_from(parties.len()).unwrap_or(i128::MAX);
    let mut remaining = i128::from(seats);
    if votes.iter().all(|(_, v)| *v >= 0) {
        for (v, s) in parties.values_mut() {
            let quota = i128::from(seats) * i128::from(*v) / i128::from(sum);
            let lower = (quota - k - 1).max(0);
            *s = i32::try_from(lower).unwrap_or(0);
            remaining -= lower;
        }
    }
    let priority = |v: i64, s: i32| (v as f64) / f64::from(s.wrapping_mul(2).wrapping_add(1));
    while remaining > 0 {
        let mut best: Option<(&String, i64, i32)> = None;
        for (name, (v, s)) in &parties {
            let better = match best {
                None => true,
                Some((bn, bv, bs)) => {
                    let (pa, pb) = (priority(*v, *s), priority(bv, bs));
                    #[allow(clippy::float_cmp)]
                    if pa == pb {
                        if *s != bs {
                            *s < bs
                        } else if descending {
                            name > bn
                        } else {
                            name < bn
                        }
                    } else {
                        pa > pb
                    }
                }
            };
            if better {
                best = Some((name, *v, *s));
            }
        }
        let Some((name, _, _)) = best else { break };
        let name = name.clone();
        if let Some(p) = parties.get_mut(&name) {
            p.1 = p.1.wrapping_add(1);
        }
        remaining -= 1;
    }
    parties.into_iter().map(|(n, (_, s))| (n, s)).collect()
}

/// Builds the Work manifest for `cluster` (one of `targets`, the binding's `spec.clusters`). An error means
/// the binding controller could not build it; Karmada then leaves that cluster's Work as it was.
pub fn build(
    template: &ResourceTemplate,
    sb: &StoredBinding,
    targets: &[(String, i64)],
    cluster: &str,
    clusters: &[Cluster],
    overrides: &OverrideStore,
) -> Result<BuiltWork, String> {
    let b = &sb.binding;
    let mut obj = template_object(template);
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    let replicas = targets.iter().find(|(n, _)| n == cluster).map(|(_, r)| *r).unwrap_or(0);
    // ReviseReplica: the scheduler's per-cluster count, whatever the division mode.
    if b.is_workload() {
        if let Some(field) = revise_field(&template.api_version, &template.kind) {
            apply_replica(&mut obj, field, replicas)?;
        }
    }
    // Job completions are divided like the replicas (needReviseJobCompletions / divideReplicasByJobCompletions).
    if kind == "Job" && b.replicas > 0 && b.placement.replica_scheduling_type() == "Divided" {
        if let Some(completions) = nested_spec_int(&template_object(template), "completions")? {
            let split = webster(completions as i32, targets, &template.metadata.uid);
            if !split.is_empty() {
                let mine = split.get(cluster).ok_or_else(|| format!("no completions found for cluster {cluster}"))?;
                apply_replica(&mut obj, "completions", i64::from(*mine))?;
            }
        }
    }
    // ApplyOverridePolicies, last: override rules have the highest priority.
    // The fleet is sorted by name (a linear search covers any other order).
    let found = clusters
        .binary_search_by(|c| c.metadata.name.as_str().cmp(cluster))
        .ok()
        .or_else(|| clusters.iter().position(|c| c.metadata.name == cluster));
    let Some(cluster_obj) = found.and_then(|i| clusters.get(i)) else {
        return Err(format!("clusters.cluster.karmada.io {} not found", go_quote(cluster)));
    };
    let applied = overrides.apply(&mut obj, cluster_obj)?;
    finish(&mut obj, b);
    Ok(BuiltWork { manifest: obj, applied })
}

/// What follows the overrides: mergeLabel / mergeAnnotations (the binding's identity),
/// mergeConflictResolution (the template annotation wins when it is exactly `overwrite` or `abort`, read after
/// the overrides), CreateOrUpdateWork, then the pruning.
fn finish(obj: &mut Value, b: &crate::api::ResourceBinding) {
    let conflict = match obj.get("metadata").and_then(|m| m.get("annotations")).and_then(|a| a.get(CONFLICT_ANNOTATION))
    {
        Some(Value::String(s)) if s == "overwrite" || s == "abort" => s.clone(),
        _ if b.conflict_resolution == "Overwrite" => "overwrite".into(),
        _ => "abort".into(),
    };
    if b.namespace.is_empty() {
        merge(obj, "annotations", "clusterresourcebinding.karmada.io/name", &b.name);
    } else {
        merge(obj, "annotations", "resourcebinding.karmada.io/namespace", &b.namespace);
        merge(obj, "annotations", "resourcebinding.karmada.io/name", &b.name);
    }
    merge(obj, "labels", MANAGED_LABEL, "true");
    let uid = obj.get("metadata").and_then(|m| m.get("uid")).and_then(Value::as_str).unwrap_or("").to_string();
    merge(obj, "annotations", "resourcetemplate.karmada.io/uid", &uid);
    merge(obj, "annotations", CONFLICT_ANNOTATION, &conflict);
    prune(obj);
}

/// The Works of one binding when no override policy exists and manifests are not kept: then every cluster's
/// manifest is one shared manifest with per-cluster values in the revised replica field and the Job
/// completions, so it is built once per binding instead of once per cluster. [`SharedWork::digest_for`] tells
/// two builds of a cluster's Work apart exactly when [`digest`] of [`build`]'s manifests does.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedWork {
    /// The manifest with the per-cluster fields set to null (labels and annotations are final).
    pub manifest: Value,
    /// [`digest`] of `manifest`.
    digest: u64,
    /// The revised replica field is present: it holds the cluster's replicas.
    revises_replicas: bool,
    /// Job completions per cluster, when they are divided.
    completions: Option<VecMap<String, i32>>,
}

/// Builds the [`SharedWork`] of a binding (what [`build`] does for every cluster, without the overrides).
pub fn build_shared(
    template: &ResourceTemplate,
    sb: &StoredBinding,
    targets: &[(String, i64)],
) -> Result<SharedWork, String> {
    let b = &sb.binding;
    let mut obj = template_object(template);
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    let mut revises_replicas = false;
    if b.is_workload() {
        if let Some(field) = revise_field(&template.api_version, &template.kind) {
            if nested_spec_int(&obj, field)?.is_some() {
                null_spec_field(&mut obj, field);
                revises_replicas = true;
            }
        }
    }
    let mut completions = None;
    if kind == "Job" && b.replicas > 0 && b.placement.replica_scheduling_type() == "Divided" {
        if let Some(total) = nested_spec_int(&template_object(template), "completions")? {
            let split = webster(total as i32, targets, &template.metadata.uid);
            if !split.is_empty() {
                null_spec_field(&mut obj, "completions");
                completions = Some(split);
            }
        }
    }
    finish(&mut obj, b);
    Ok(SharedWork { digest: digest(&obj), manifest: obj, revises_replicas, completions })
}

fn null_spec_field(obj: &mut Value, field: &str) {
    if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert(field.to_string(), Value::Null);
    }
}

impl SharedWork {
    /// The digest of `cluster`'s manifest, or the error [`build`] gives for it.
    /// `replicas` is the cluster's entry of the binding's (merged, one entry per cluster) target clusters.
    pub fn digest_for(&self, cluster: &str, replicas: i64, clusters: &[Cluster]) -> Result<u64, String> {
        use std::hash::Hasher;
        let known = clusters.binary_search_by(|c| c.metadata.name.as_str().cmp(cluster)).is_ok()
            || clusters.iter().any(|c| c.metadata.name == cluster);
        if !known {
            return Err(format!("clusters.cluster.karmada.io {} not found", go_quote(cluster)));
        }
        let mut h = std::hash::DefaultHasher::new();
        h.write_u64(self.digest);
        if self.revises_replicas {
            h.write_i64(replicas);
        }
        if let Some(split) = &self.completions {
            let mine = split.get(cluster).ok_or_else(|| format!("no completions found for cluster {cluster}"))?;
            h.write_i32(*mine);
        }
        Ok(h.finish())
    }
}

/// A digest of a manifest (SipHash with fixed keys over its structure: the same on every run and platform).
/// Equal values (`serde_json::Value`'s equality, which ignores the order of an object's keys, as Go's maps do)
/// have equal digests: an object's digest is the sum of its entries' digests.
pub fn digest(v: &Value) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    feed(&mut h, v);
    std::hash::Hasher::finish(&h)
}

fn feed(h: &mut std::hash::DefaultHasher, v: &Value) {
    use std::hash::Hasher;
    match v {
        Value::Null => h.write_u8(0),
        Value::Bool(b) => {
            h.write_u8(1);
            h.write_u8(u8::from(*b));
        }
        Value::Number(n) => {
            // serde_json's Number equality: the same unsigned, signed or float value (1 and 1.0 differ).
            h.write_u8(2);
            if let Some(u) = n.as_u64() {
                h.write_u8(0);
                h.write_u64(u);
            } else if let Some(i) = n.as_i64() {
                h.write_u8(1);
                h.write_i64(i);
            } else {
                h.write_u8(2);
                h.write_u64(n.as_f64().unwrap_or(0.0).to_bits());
            }
        }
        Value::String(s) => feed_str(h, s),
        Value::Array(a) => {
            h.write_u8(4);
            h.write_usize(a.len());
            for x in a {
                feed(h, x);
            }
        }
        Value::Object(m) => {
            let mut o = ObjectDigest::default();
            for (k, x) in m {
                o.entry(k, x);
            }
            o.feed(h);
        }
    }
}

fn feed_str(h: &mut std::hash::DefaultHasher, s: &str) {
    use std::hash::Hasher;
    h.write_u8(3);
    h.write(s.as_bytes());
    h.write_u8(0xff);
}

/// The [`digest`] of an object built entry by entry, so a caller can digest an edited copy of an object
/// (entries left out, replaced or added) without building it.
#[derive(Default)]
pub struct ObjectDigest {
    len: usize,
    sum: u64,
}

impl ObjectDigest {
    fn add(&mut self, key: &str, value: impl FnOnce(&mut std::hash::DefaultHasher)) {
        use std::hash::Hasher;
        let mut e = std::hash::DefaultHasher::new();
        e.write(key.as_bytes());
        e.write_u8(0xff);
        value(&mut e);
        self.len += 1;
        self.sum = self.sum.wrapping_add(e.finish());
    }

    /// Adds the entry `key: value`.
    pub fn entry(&mut self, key: &str, value: &Value) {
        self.add(key, |h| feed(h, value));
    }

    /// Adds the entry `key: {…}`, an object digested entry by entry.
    pub fn entry_object(&mut self, key: &str, value: &ObjectDigest) {
        self.add(key, |h| value.feed(h));
    }

    /// Adds the entry `key: {…}` for a map of strings (labels, annotations).
    pub fn entry_strings<'a>(&mut self, key: &str, map: impl IntoIterator<Item = (&'a String, &'a String)>) {
        let mut o = ObjectDigest::default();
        for (k, v) in map {
            o.add(k, |h| feed_str(h, v));
        }
        self.entry_object(key, &o);
    }

    fn feed(&self, h: &mut std::hash::DefaultHasher) {
        use std::hash::Hasher;
        h.write_u8(5);
        h.write_usize(self.len);
        h.write_u64(self.sum);
    }

    /// The digest of the object.
    pub fn finish(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.feed(&mut h);
        std::hash::Hasher::finish(&h)
    }
}

fn remove_path(obj: &mut Value, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut cur = obj;
    for p in parents {
        match cur.get_mut(*p) {
            Some(next) => cur = next,
            None => return,
        }
    }
    if let Some(m) = cur.as_object_mut() {
        m.shift_remove(*last);
    }
}

/// `RemoveIrrelevantFields` + `RemoveJobTTLSeconds`. Per-kind pruners key on the kind only.
pub fn prune(obj: &mut Value) {
    for f in [
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "managedFields",
        "resourceVersion",
        "selfLink",
        "uid",
        "ownerReferences",
        "finalizers",
    ] {
        remove_path(obj, &["metadata", f]);
    }
    remove_path(obj, &["status"]);
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    let annotation = |obj: &Value, k: &str| obj.pointer("/metadata/annotations").and_then(|a| a.get(k)).cloned();
    match kind.as_str() {
        "Deployment" => {
            for a in ["deployment.kubernetes.io/revision", "deployment.kubernetes.io/revision-history"] {
                remove_path(obj, &["metadata", "annotations", a]);
            }
        }
        "Job" if obj.pointer("/spec/manualSelector") != Some(&Value::Bool(true)) => {
            for k in ["controller-uid", "batch.kubernetes.io/controller-uid"] {
                remove_path(obj, &["spec", "selector", "matchLabels", k]);
            }
            for k in
                ["controller-uid", "job-name", "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name"]
            {
                remove_path(obj, &["spec", "template", "metadata", "labels", k]);
            }
        }
        "Secret" if obj.get("type").and_then(Value::as_str) == Some("kubernetes.io/service-account-token") => {
            remove_path(obj, &["metadata", "annotations", "kubernetes.io/service-account.uid"]);
            if let Some(m) = obj.as_object_mut() {
                m.insert("data".into(), Value::Null);
            }
        }
        "ServiceAccount" => {
            let prefix = format!("{}-token-", obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or(""));
            if let Some(Value::Array(secrets)) = obj.get_mut("secrets") {
                // Karmada's loop advances past the element that slides into a removed slot.
                let mut idx = 0;
                while idx < secrets.len() {
                    let hit = secrets
                        .get(idx)
                        .and_then(|s| s.get("name"))
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.starts_with(&prefix));
                    if hit {
                        secrets.remove(idx);
                    }
                    idx += 1;
                }
            }
        }
        "Service" => {
            let ip = obj.pointer("/spec/clusterIP").and_then(Value::as_str).map(str::to_string);
            if ip.is_some_and(|ip| ip != "None") {
                remove_path(obj, &["spec", "clusterIP"]);
                remove_path(obj, &["spec", "clusterIPs"]);
            }
        }
        "PersistentVolumeClaim" => {
            let key = "volume.kubernetes.io/selected-node";
            if annotation(obj, key).and_then(|v| v.as_str().map(|s| !s.is_empty())) == Some(true) {
                remove_path(obj, &["metadata", "annotations", key]);
            }
        }
        _ => {}
    }
    if kind == "Job" {
        remove_path(obj, &["spec", "ttlSecondsAfterFinished"]);
    }
}

/// The manifest as users want to read it: Karmada's bookkeeping labels and annotations removed, and labels or
/// annotations left empty dropped (the `overrides[].manifest` form of the conformance vectors).
pub fn strip_internal(manifest: &Value) -> Value {
    let mut v = manifest.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        for (field, keys) in [("labels", INTERNAL_LABELS), ("annotations", INTERNAL_ANNOTATIONS)] {
            let empty = match meta.get_mut(field) {
                Some(Value::Object(m)) => {
                    for k in keys {
                        m.shift_remove(*k);
                    }
                    m.is_empty()
                }
                _ => false,
            };
            if empty {
                meta.shift_remove(field);
            }
        }
    }
    v
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn digests_follow_value_equality() {
        let a = json!({"spec": {"replicas": 2, "template": {"a": [1, "x", null, true]}}, "kind": "Deployment"});
        let b = json!({"kind": "Deployment", "spec": {"template": {"a": [1, "x", null, true]}, "replicas": 2}});
        assert_eq!(a, b);
        assert_eq!(digest(&a), digest(&b), "key order does not matter");
        for c in [
            json!({"kind": "Deployment", "spec": {"template": {"a": [1, "x", null, true]}, "replicas": 3}}),
            json!({"kind": "Deployment", "spec": {"template": {"a": ["x", 1, null, true]}, "replicas": 2}}),
            json!({"kind": "Deployment", "spec": {"template": {"a": [1, "x", null]}, "replicas": 2}}),
            json!({"kind": "Deployment", "spec": {"template": {"b": [1, "x", null, true]}, "replicas": 2}}),
            json!({"kind": "Deployment", "spec": {"template": {"a": [1, "x", false, true]}, "replicas": 2}}),
            json!({"kind": "Deployment", "spec": {"template": {"a": [1.5, "x", null, true]}, "replicas": 2}}),
        ] {
            assert_ne!(a, c);
            assert_ne!(digest(&a), digest(&c), "{c}");
        }
        // Strings and keys do not run into each other.
        assert_ne!(digest(&json!({"ab": "c"})), digest(&json!({"a": "bc"})));
    }

    #[test]
    fn prune_and_strip() {
        let mut v = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "s", "uid": "u", "resourceVersion": "1", "labels": {"karmada.io/managed": "true"},
                         "annotations": {"a": "b", "work.karmada.io/conflict-resolution": "abort"}},
            "spec": {"clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.1"], "ports": []}, "status": {}});
        prune(&mut v);
        let s = strip_internal(&v);
        assert_eq!(
            s,
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "annotations": {"a": "b"}},
                             "spec": {"ports": []}})
        );
        let mut h = json!({"kind": "Service", "spec": {"clusterIP": "None"}});
        prune(&mut h);
        assert_eq!(h["spec"]["clusterIP"], "None");
        let mut sa = json!({"kind": "ServiceAccount", "metadata": {"name": "x"},
                            "secrets": [{"name": "x-token-1"}, {"name": "x-token-2"}, {"name": "y"}]});
        prune(&mut sa);
        assert_eq!(sa["secrets"], json!([{"name": "x-token-2"}, {"name": "y"}]));
    }

    #[test]
    fn webster_matches_sequential() {
        let w = vec![("a".to_string(), 2), ("b".to_string(), 1)];
        let r = webster(6, &w, "");
        assert_eq!((r.get("a").copied(), r.get("b").copied()), (Some(4), Some(2)));
        let big = webster(1_000_000_007, &[("a".into(), 3), ("b".into(), 3), ("c".into(), 1)], "x");
        assert_eq!(big.values().map(|v| i64::from(*v)).sum::<i64>(), 1_000_000_007);
        // Same answer as the plain sequential method on a size where both run.
        for n in [1, 5, 17, 101, 2000] {
            let votes = vec![("m1".to_string(), 7), ("m2".to_string(), 3), ("m3".to_string(), 5)];
            let fast = webster(n, &votes, "abc");
            let mut seq: VecMap<String, i32> = votes.iter().map(|(n, _)| (n.clone(), 0)).collect();
            let descending = {
                let fnv = "abc".bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
                fnv & 1 == 1
            };
            for _ in 0..n {
                let best = votes
                    .iter()
                    .max_by(|(an, av), (bn, bv)| {
                        let (sa, sb) = (seq.get(an).copied().unwrap_or(0), seq.get(bn).copied().unwrap_or(0));
                        let (pa, pb) = (*av as f64 / f64::from(2 * sa + 1), *bv as f64 / f64::from(2 * sb + 1));
                        pa.partial_cmp(&pb).unwrap().then(sb.cmp(&sa)).then(if descending {
                            an.cmp(bn)
                        } else {
                            bn.cmp(an)
                        })
                    })
                    .unwrap();
                *seq.get_mut(&best.0).unwrap() += 1;
            }
            assert_eq!(fast, seq, "n={n}");
        }
    }
}
