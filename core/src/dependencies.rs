//! The dependencies distributor (`pkg/dependenciesdistributor/dependencies_distributor.go`): for every
//! ResourceBinding with `propagateDeps` that has been scheduled, the ConfigMaps, Secrets, ServiceAccounts and
//! PersistentVolumeClaims its workload's pod template refers to (the native interpreter's `GetDependencies`,
//! `pkg/resourceinterpreter/default/native/dependencies.go`) get an *attached* ResourceBinding whose
//! `spec.requiredBy` carries the requiring binding's clusters; the binding controller then builds Works for
//! those clusters (`mergeTargetClusters`).
//!
//! Reconciled level-based after every step, as the conformance vectors' reference run does.

use crate::api::binding::{binding_name, BindingSnapshot, ObjectReference, ResourceBinding};
use crate::api::meta::LabelSelector;
use crate::detector::timeline::{EventKind, TimelineEvent};
use crate::detector::{Detector, StoredBinding, TemplateKey};
use crate::execution::Controllers;
use crate::util::{ChunkSet, VecMap, VecSet};
use serde_json::Value;

/// Label prefix on an attached binding naming each binding that requires it (`dependedByLabelKeyPrefix`).
pub const DEPENDED_BY_LABEL_PREFIX: &str = "resourcebinding.karmada.io/depended-by-";

/// One dependency of a workload (`DependentObjectReference`): by name, or by label selector.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// apiVersion.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Namespace (the workload's).
    pub namespace: String,
    /// Name; empty when `label_selector` is set.
    pub name: String,
    /// Label selector (ServiceImport's EndpointSlices).
    pub label_selector: Option<LabelSelector>,
}

impl Dependency {
    fn named(kind: &str, namespace: &str, name: &str) -> Self {
        Dependency {
            api_version: "v1".into(),
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
            label_selector: None,
        }
    }
}

/// The distributor's memory between steps: the independent bindings it has reconciled (they carry its
/// finalizer), so that a later un-scheduling or `propagateDeps: false` still reaches their attached bindings.
#[derive(Debug, Default)]
pub struct Distributor {
    /// Feature gate `PropagateDeps` (Beta, default on).
    pub enabled: bool,
    seen: VecSet<(String, String)>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |cur, p| cur.get(*p)).and_then(Value::as_str)
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// `GetDependenciesFromPodTemplate` (`pkg/util/helper/pod.go`) over a pod spec: ConfigMaps
/// (`VisitPodConfigmapNames`), Secrets (`VisitPodSecretNames`), the ServiceAccount unless `default`, and
/// PersistentVolumeClaims; empty names skipped, each name once.
fn pod_dependencies(spec: &Value, namespace: &str) -> Vec<Dependency> {
    let mut config_maps: VecSet<String> = VecSet::new();
    let mut secrets: VecSet<String> = VecSet::new();
    let mut pvcs: VecSet<String> = VecSet::new();
    let add = |set: &mut VecSet<String>, name: Option<&str>| {
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            set.insert(n.to_string());
        }
    };
    for r in list(spec, "imagePullSecrets") {
        add(&mut secrets, str_at(r, &["name"]));
    }
    for group in ["initContainers", "containers", "ephemeralContainers"] {
        for c in list(spec, group) {
            for e in list(c, "envFrom") {
                add(&mut config_maps, str_at(e, &["configMapRef", "name"]));
                add(&mut secrets, str_at(e, &["secretRef", "name"]));
            }
            for e in list(c, "env") {
                add(&mut config_maps, str_at(e, &["valueFrom", "configMapKeyRef", "name"]));
                add(&mut secrets, str_at(e, &["valueFrom", "secretKeyRef", "name"]));
            }
        }
    }
    // One source per volume: the first one present, in the order of Kubernetes' switch statements.
    const SECRET_SOURCES: &[(&str, &[&str])] = &[
        ("azureFile", &["secretName"]),
        ("cephfs", &["secretRef", "name"]),
        ("cinder", &["secretRef", "name"]),
        ("flexVolume", &["secretRef", "name"]),
        ("projected", &[]),
        ("rbd", &["secretRef", "name"]),
        ("secret", &["secretName"]),
        ("scaleIO", &["secretRef", "name"]),
        ("iscsi", &["secretRef", "name"]),
        ("storageos", &["secretRef", "name"]),
        ("csi", &["nodePublishSecretRef", "name"]),
    ];
    for vol in list(spec, "volumes") {
        if let Some((source, path)) = SECRET_SOURCES.iter().find(|(s, _)| vol.get(*s).is_some_and(|v| !v.is_null())) {
            let src = vol.get(*source).unwrap_or(&Value::Null);
            if *source == "projected" {
                for p in list(src, "sources") {
                    add(&mut secrets, str_at(p, &["secret", "name"]));
                }
            } else {
                add(&mut secrets, str_at(src, path));
            }
        }
        match (vol.get("projected").filter(|v| !v.is_null()), vol.get("configMap").filter(|v| !v.is_null())) {
            (Some(projected), _) => {
                for p in list(projected, "sources") {
                    add(&mut config_maps, str_at(p, &["configMap", "name"]));
                }
            }
            (None, Some(cm)) => add(&mut config_maps, str_at(cm, &["name"])),
            (None, None) => {}
        }
        add(&mut pvcs, str_at(vol, &["persistentVolumeClaim", "claimName"]));
    }
    let mut deps: Vec<Dependency> = Vec::new();
    deps.extend(config_maps.iter().map(|n| Dependency::named("ConfigMap", namespace, n)));
    deps.extend(secrets.iter().map(|n| Dependency::named("Secret", namespace, n)));
    let sa =
        str_at(spec, &["serviceAccountName"]).filter(|s| !s.is_empty()).or_else(|| str_at(spec, &["serviceAccount"]));
    if let Some(sa) = sa.filter(|s| !s.is_empty() && *s != "default") {
        deps.push(Dependency::named("ServiceAccount", namespace, sa));
    }
    deps.extend(pvcs.iter().map(|n| Dependency::named("PersistentVolumeClaim", namespace, n)));
    deps
}

/// The native interpreter's `GetDependencies` for the kinds it knows; `None` when the kind has no
/// dependency interpreter (`HookEnabled(..., InterpretDependency)` is false).
pub fn dependencies_of(api_version: &str, kind: &str, namespace: &str, obj: &Value) -> Option<Vec<Dependency>> {
    let pod_spec = |path: &[&str]| path.iter().try_fold(obj, |cur, p| cur.get(*p)).cloned().unwrap_or(Value::Null);
    let deps = match (api_version, kind) {
        ("apps/v1", "Deployment" | "ReplicaSet" | "DaemonSet") | ("batch/v1", "Job") => {
            pod_dependencies(&pod_spec(&["spec", "template", "spec"]), namespace)
        }
        ("apps/v1", "StatefulSet") => {
            // PVCs made from volumeClaimTemplates are the StatefulSet's own, not dependencies.
            let claims: Vec<&str> = list(obj.get("spec").unwrap_or(&Value::Null), "volumeClaimTemplates")
                .filter_map(|t| str_at(t, &["metadata", "name"]))
                .collect();
            let mut deps = pod_dependencies(&pod_spec(&["spec", "template", "spec"]), namespace);
            deps.retain(|d| d.kind != "PersistentVolumeClaim" || !claims.contains(&d.name.as_str()));
            deps
        }
        ("batch/v1", "CronJob") => {
            pod_dependencies(&pod_spec(&["spec", "jobTemplate", "spec", "template", "spec"]), namespace)
        }
        ("v1", "Pod") => pod_dependencies(&pod_spec(&["spec"]), namespace),
        ("networking.k8s.io/v1", "Ingress") => list(obj.get("spec").unwrap_or(&Value::Null), "tls")
            .filter_map(|t| str_at(t, &["secretName"]))
            .filter(|n| !n.is_empty())
            .map(|n| Dependency::named("Secret", namespace, n))
            .collect(),
        ("multicluster.x-k8s.io/v1alpha1", "ServiceImport") => {
            let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
            let derived = format!("derived-{name}");
            let mut labels = VecMap::new();
            labels.insert("kubernetes.io/service-name".to_string(), derived.clone());
            vec![
                Dependency::named("Service", namespace, &derived),
                Dependency {
                    api_version: "discovery.k8s.io/v1".into(),
                    kind: "EndpointSlice".into(),
                    namespace: namespace.into(),
                    name: String::new(),
                    label_selector: Some(LabelSelector { match_labels: labels, match_expressions: Vec::new() }),
                },
            ]
        }
        _ => return None,
    };
    Some(deps)
}

/// The templates a dependency names (one by name, or every match of its label selector).
fn resolve(det: &Detector, dep: &Dependency) -> Vec<TemplateKey> {
    if dep.name.is_empty() {
        let Some(sel) = &dep.label_selector else { return Vec::new() };
        return det
            .templates
            .iter()
            .filter(|(k, st)| {
                k.api_version() == dep.api_version
                    && k.kind() == dep.kind
                    && k.namespace() == dep.namespace
                    && crate::selector::label_selector_selects(sel, &st.template.metadata.labels)
            })
            .map(|(k, _)| k.clone())
            .collect();
    }
    let key = TemplateKey::new(&dep.api_version, &dep.kind, &dep.namespace, &dep.name);
    if det.templates.contains_key(&key) {
        vec![key]
    } else {
        Vec::new()
    }
}

fn depended_by_label(namespace: &str, name: &str) -> String {
    // names.GenerateBindingReferenceKey: a hash of namespace/name; any stable, unique key does here.
    format!("{DEPENDED_BY_LABEL_PREFIX}{}", crate::util::golower::to_lower(&format!("{namespace}.{name}")))
}

impl Distributor {
    /// A distributor with the `PropagateDeps` gate as given.
    pub fn new(enabled: bool) -> Self {
        Distributor { enabled, seen: VecSet::new() }
    }

    /// Reconciles every independent binding it would be triggered for; returns the templates whose attached
    /// binding changed (the binding controller rebuilds their Works).
    pub fn run(
        &mut self,
        det: &mut Detector,
        ctl: &Controllers,
        timeline: &mut Vec<TimelineEvent>,
        document: usize,
    ) -> ChunkSet<TemplateKey> {
        let mut changed = ChunkSet::new();
        if !self.enabled {
            return changed;
        }
        let before: Vec<((String, String), crate::util::Shared<StoredBinding>)> = det
            .bindings
            .iter()
            .filter(|(_, b)| !b.binding.required_by.is_empty() || !b.binding.placed)
            .map(|(k, b)| (k.clone(), b.clone()))
            .collect();
        // Independent bindings (ResourceBindings only: the distributor does not watch ClusterResourceBindings).
        let independents: Vec<((String, String), TemplateKey, bool)> = det
            .bindings
            .iter()
            .filter(|((ns, _), _)| !ns.is_empty())
            .map(|(k, b)| (k.clone(), b.owner.clone(), b.binding.propagate_deps))
            .collect();
        let live: VecSet<(String, String)> = independents.iter().map(|(k, _, _)| k.clone()).collect();
        // Deleted bindings and `propagateDeps` turned off: `handleIndependentBindingDeletion`.
        let gone: Vec<(String, String)> = self
            .seen
            .iter()
            .filter(|k| !live.contains(*k) || independents.iter().any(|(ik, _, deps)| ik == *k && !deps))
            .cloned()
            .collect();
        for k in gone {
            self.remove_requirer(det, &k, None);
            self.seen.remove(&k);
        }
        for (bkey, owner, deps) in independents {
            if !deps {
                continue;
            }
            let targets: Vec<(String, i64)> = ctl.targets(&owner).map(<[_]>::to_vec).unwrap_or_default();
            // The create event of an unscheduled binding is dropped; later updates pass.
            if targets.is_empty() && !self.seen.contains(&bkey) {
                continue;
            }
            let Some(template) = det.templates.get(&owner).map(|st| st.template.clone()) else { continue };
            let Some(dependencies) = dependencies_of(
                &template.api_version,
                &template.kind,
                &template.metadata.namespace,
                &crate::work::template_object(&template),
            ) else {
                continue;
            };
            self.seen.insert(bkey.clone());
            let wanted: Vec<TemplateKey> = dependencies.iter().flat_map(|d| resolve(det, d)).collect();
            // removeOrphanAttachedBindings: attached bindings of this requirer that are no longer dependencies.
            self.remove_requirer(det, &bkey, Some(&wanted));
            for dep in wanted {
                self.attach(det, &bkey, &targets, &dep, timeline, document);
            }
        }
        // Which attached bindings changed (new ones, and those whose requiredBy or strategy moved).
        for (k, b) in det.bindings.iter_mut() {
            let old = before.iter().find(|(bk, _)| bk == k).map(|(_, b)| b);
            let differs = old.is_none_or(|o| o.binding != b.binding || o.labels != b.labels);
            let attached = old.is_some() || !b.binding.placed || !b.binding.required_by.is_empty();
            if differs && attached {
                crate::util::shared::make_mut(b).revision += 1;
                changed.insert(b.owner.clone());
            }
        }
        changed
    }

    /// Removes `requirer` from the `requiredBy` of every attached binding, except those of `keep`
    /// (`removeScheduleResultFromAttachedBindings`).
    fn remove_requirer(&self, det: &mut Detector, requirer: &(String, String), keep: Option<&[TemplateKey]>) {
        let label = depended_by_label(&requirer.0, &requirer.1);
        let affected: Vec<(String, String)> = det
            .bindings
            .iter()
            .filter(|((ns, _), b)| {
                *ns == requirer.0
                    && b.binding.required_by.iter().any(|s| s.namespace == requirer.0 && s.name == requirer.1)
                    && !keep.is_some_and(|k| k.contains(&b.owner))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in affected {
            let Some(mut b) = det.bindings.get(&k).map(|b| StoredBinding::clone(b)) else { continue };
            b.labels.remove(&label);
            b.binding.required_by.retain(|s| !(s.namespace == requirer.0 && s.name == requirer.1));
            if !b.binding.placed {
                // Strategy fields of a dependency-generated binding follow its remaining requirers.
                let (cr, preserve) = effective_strategy(det, &b.binding.required_by);
                if b.binding.required_by.is_empty() {
                    b.binding.conflict_resolution.clear();
                    b.binding.preserve_resources_on_deletion = None;
                } else {
                    b.binding.conflict_resolution = cr;
                    b.binding.preserve_resources_on_deletion = Some(preserve);
                }
            }
            det.bindings.insert(k, crate::util::Shared::new(b));
        }
    }

    /// `buildAttachedBinding` + `createOrUpdateAttachedBinding`.
    fn attach(
        &self,
        det: &mut Detector,
        requirer: &(String, String),
        targets: &[(String, i64)],
        dep: &TemplateKey,
        timeline: &mut Vec<TimelineEvent>,
        document: usize,
    ) {
        let Some(t) = det.templates.get(dep).map(|st| st.template.clone()) else { return };
        let bkey = (dep.namespace().to_string(), binding_name(dep.kind(), dep.name()));
        let existing = det.bindings.get(&bkey).map(|b| StoredBinding::clone(b));
        if let Some(e) = &existing {
            if e.owner != *dep {
                timeline.push(TimelineEvent {
                    step: 0,
                    document,
                    kind: EventKind::Error,
                    subject: dep.display(),
                    message: format!(
                        "failed to update resourceBinding({}/{}) due to different owner reference UID, will try again later after binding is garbage collected, see https://github.com/karmada-io/karmada/issues/6034",
                        bkey.0, bkey.1
                    ),
                });
                return;
            }
        }
        let created = existing.is_none();
        let mut b = existing.unwrap_or_else(|| {
            StoredBinding::created_for(
                ResourceBinding { name: bkey.1.clone(), namespace: bkey.0.clone(), ..ResourceBinding::default() },
                dep.clone(),
            )
        });
        let snapshot =
            BindingSnapshot { namespace: requirer.0.clone(), name: requirer.1.clone(), clusters: targets.to_vec() };
        // mergeBindingSnapshot: an existing entry gets the new clusters, a new one is appended.
        match b.binding.required_by.iter_mut().find(|s| s.namespace == snapshot.namespace && s.name == snapshot.name) {
            Some(s) => s.clusters = snapshot.clusters,
            None => b.binding.required_by.push(snapshot),
        }
        let mut conflicts = Vec::new();
        if !b.binding.placed {
            let (cr, preserve, c) = strategy_and_conflicts(det, &b.binding.required_by);
            b.binding.conflict_resolution = cr;
            b.binding.preserve_resources_on_deletion = Some(preserve);
            conflicts = c;
        }
        b.labels.insert(depended_by_label(&requirer.0, &requirer.1), String::new());
        b.binding.resource = ObjectReference {
            api_version: t.api_version.clone(),
            kind: t.kind.clone(),
            namespace: t.metadata.namespace.clone(),
            name: t.metadata.name.clone(),
            uid: t.metadata.uid.clone(),
        };
        let unchanged = det.bindings.get(&bkey).is_some_and(|old| old.binding == b.binding);
        if created || !unchanged {
            let who: Vec<String> = b
                .binding
                .required_by
                .iter()
                .map(|s| {
                    let cl: Vec<&str> = s.clusters.iter().map(|(c, _)| c.as_str()).collect();
                    format!(
                        "{}/{} ({})",
                        s.namespace,
                        s.name,
                        if cl.is_empty() { "no cluster".into() } else { cl.join(", ") }
                    )
                })
                .collect();
            timeline.push(TimelineEvent {
                step: 0,
                document,
                kind: EventKind::DependenciesDistributed,
                subject: dep.display(),
                message: format!(
                    "attached ResourceBinding {} {} by the dependencies distributor; required by {}",
                    bkey.1,
                    if created { "created" } else { "updated" },
                    who.join(", ")
                ),
            });
            if !conflicts.is_empty() {
                // recordEventIfPolicyConflict (policy_utils.go): a Warning event on the attached binding.
                timeline.push(TimelineEvent {
                    step: 0,
                    document,
                    kind: EventKind::DependenciesDistributed,
                    subject: dep.display(),
                    message: format!(
                        "DependencyPolicyConflict: Dependency policy conflict detected: {}. Resolved to conflictResolution {}, preserveResourcesOnDeletion {}",
                        conflicts.join("; "),
                        b.binding.conflict_resolution,
                        b.binding.preserve_resources_on_deletion.unwrap_or(false)
                    ),
                });
            }
        }
        det.bindings.insert(bkey, crate::util::Shared::new(b));
    }
}

/// `detectAndResolveConflictResolution` / `detectAndResolvePreserveOnDeletion` (`policy_utils.go`): any
/// requirer with `Overwrite` makes it `Overwrite` (else `Abort`); any with preserve `true` makes it `true`.
fn effective_strategy(det: &Detector, required_by: &[BindingSnapshot]) -> (String, bool) {
    let (cr, preserve, _) = strategy_and_conflicts(det, required_by);
    (cr, preserve)
}

/// [`effective_strategy`] plus the conflicts `recordEventIfPolicyConflict` reports.
fn strategy_and_conflicts(det: &Detector, required_by: &[BindingSnapshot]) -> (String, bool, Vec<&'static str>) {
    let (mut overwrite, mut abort, mut keep, mut drop) = (false, false, false, false);
    for s in required_by {
        if let Some(b) = det.bindings.get(&(s.namespace.clone(), s.name.clone())) {
            let o = b.binding.conflict_resolution == "Overwrite";
            overwrite |= o;
            abort |= !o;
            let p = b.binding.preserve_resources_on_deletion.unwrap_or(false);
            keep |= p;
            drop |= !p;
        }
    }
    let mut conflicts = Vec::new();
    if overwrite && abort {
        conflicts.push("ConflictResolution conflicted (Overwrite vs Abort)");
    }
    if keep && drop {
        conflicts.push("PreserveResourcesOnDeletion conflicted (true vs false)");
    }
    (if overwrite { "Overwrite" } else { "Abort" }.to_string(), keep, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(deps: &[Dependency]) -> Vec<String> {
        deps.iter().map(|d| format!("{}/{}", d.kind, d.name)).collect()
    }

    #[test]
    fn pod_template_references_become_dependencies_once_each() {
        let deploy = json!({"spec": {"template": {"spec": {
            "serviceAccountName": "sa",
            "imagePullSecrets": [{"name": "pull"}],
            "initContainers": [{"envFrom": [{"configMapRef": {"name": "init-cm"}}]}],
            "containers": [{"env": [
                {"valueFrom": {"secretKeyRef": {"name": "s1"}}},
                {"valueFrom": {"configMapKeyRef": {"name": "cm"}}},
                {"valueFrom": {"configMapKeyRef": {"name": ""}}}
            ]}],
            "volumes": [
                {"configMap": {"name": "cm"}},
                {"projected": {"sources": [{"secret": {"name": "s2"}}, {"configMap": {"name": "p-cm"}}]}},
                {"secret": {"secretName": "s1"}},
                {"persistentVolumeClaim": {"claimName": "data"}}
            ]
        }}}});
        let deps = dependencies_of("apps/v1", "Deployment", "ns", &deploy).unwrap_or_default();
        assert_eq!(
            names(&deps),
            [
                "ConfigMap/cm",
                "ConfigMap/init-cm",
                "ConfigMap/p-cm",
                "Secret/pull",
                "Secret/s1",
                "Secret/s2",
                "ServiceAccount/sa",
                "PersistentVolumeClaim/data"
            ]
        );
        assert!(deps.iter().all(|d| d.namespace == "ns" && d.api_version == "v1"));
    }

    #[test]
    fn default_service_account_and_statefulset_claims_are_not_dependencies() {
        let sts = json!({"spec": {
            "volumeClaimTemplates": [{"metadata": {"name": "www"}}],
            "template": {"spec": {"serviceAccountName": "default", "volumes": [
                {"persistentVolumeClaim": {"claimName": "www"}},
                {"persistentVolumeClaim": {"claimName": "shared"}}
            ]}}
        }});
        let deps = dependencies_of("apps/v1", "StatefulSet", "ns", &sts).unwrap_or_default();
        assert_eq!(names(&deps), ["PersistentVolumeClaim/shared"]);
    }

    #[test]
    fn kinds_without_a_dependency_interpreter_have_none() {
        assert!(dependencies_of("v1", "ConfigMap", "ns", &json!({})).is_none());
        assert!(dependencies_of("apps/v1beta1", "Deployment", "ns", &json!({})).is_none());
        let cron = json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {"volumes": [{"configMap": {"name": "c"}}]}}}}}});
        assert_eq!(names(&dependencies_of("batch/v1", "CronJob", "ns", &cron).unwrap_or_default()), ["ConfigMap/c"]);
        let ing = json!({"spec": {"tls": [{"secretName": "tls"}, {"secretName": ""}]}});
        assert_eq!(
            names(&dependencies_of("networking.k8s.io/v1", "Ingress", "ns", &ing).unwrap_or_default()),
            ["Secret/tls"]
        );
        let si = json!({"metadata": {"name": "web"}});
        let deps = dependencies_of("multicluster.x-k8s.io/v1alpha1", "ServiceImport", "ns", &si).unwrap_or_default();
        assert_eq!(names(&deps), ["Service/derived-web", "EndpointSlice/"]);
        assert!(deps.get(1).and_then(|d| d.label_selector.as_ref()).is_some());
    }
}
