//! Resource templates: any object that is not a Karmada API object.

use super::meta::ObjectMeta;
use serde_json::Value;

/// A resource template as stored in karmada-apiserver (user object plus Karmada's claim metadata).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceTemplate {
    /// apiVersion (`apps/v1`).
    pub api_version: String,
    /// Kind (`Deployment`).
    pub kind: String,
    /// Metadata; `namespace` is already defaulted (empty for cluster-scoped kinds).
    pub metadata: ObjectMeta,
    /// The whole object as written (JSON form), for replica interpretation and rendering; shared, so that the
    /// detector's copies of a template do not copy the document.
    pub raw: std::sync::Arc<Value>,
    /// Index of the document that last applied it.
    pub document: usize,
}

impl ResourceTemplate {
    /// Namespace ("" when cluster-scoped).
    pub fn namespace(&self) -> &str {
        &self.metadata.namespace
    }
    /// Name.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
    /// `Kind namespace/name` or `Kind name`.
    pub fn display(&self) -> String {
        if self.metadata.namespace.is_empty() {
            format!("{} {}", self.kind, self.metadata.name)
        } else {
            format!("{} {}/{}", self.kind, self.metadata.namespace, self.metadata.name)
        }
    }
}

/// What the API server does with the replica fields the evaluation reads before it stores an object: defaulting,
/// then validation. Defaults: `spec.replicas` 1 for apps/v1 Deployment, StatefulSet and ReplicaSet
/// (`SetDefaults_Deployment` & co. in kubernetes `pkg/apis/apps/v1/defaults.go`); Job `parallelism` 1, and
/// `completions` 1 when both are unset (`SetDefaults_Job`, `pkg/apis/batch/v1/defaults.go`); a null is unset; other
/// defaults are not stored here. Validation: int32 counts, not negative (`ValidateDeploymentSpec` /
/// `ValidateJobSpec`); a refusal is the field under `spec` and the message.
pub fn apiserver_admit(api_version: &str, kind: &str, obj: &mut Value) -> Option<(&'static str, String)> {
    let fields: &[&'static str] = match (api_version, kind) {
        ("apps/v1", "Deployment" | "StatefulSet" | "ReplicaSet") => &["replicas"],
        ("batch/v1", "Job") => &["parallelism", "completions"],
        _ => return None,
    };
    let map = obj.as_object_mut()?;
    if map.get("spec").is_none_or(Value::is_null) {
        map.insert("spec".into(), Value::Object(Default::default()));
    }
    let spec = map.get_mut("spec").and_then(Value::as_object_mut)?;
    let unset = |spec: &serde_json::Map<String, Value>, f: &str| spec.get(f).is_none_or(Value::is_null);
    // Job: completions only when both are unset.
    if fields.iter().all(|f| unset(spec, f)) {
        for f in fields {
            spec.insert((*f).into(), 1.into());
        }
    }
    if unset(spec, fields.first()?) {
        spec.insert((*fields.first()?).into(), 1.into());
    }
    for f in fields {
        let Some(v) = spec.get(*f) else { continue };
        match v.as_i64().filter(|n| i32::try_from(*n).is_ok()) {
            None if v.is_null() => {}
            None => {
                return Some((f, format!("Invalid value: {v}: cannot be decoded as an int32 (json: cannot unmarshal {v} into Go struct field of type int32)")))
            }
            Some(n) if n < 0 => return Some((f, format!("Invalid value: {n}: must be greater than or equal to 0"))),
            Some(_) => {}
        }
    }
    None
}

/// Kinds that are cluster-scoped in Kubernetes (and Karmada's API groups), by API group; everything else is
/// namespaced.
const CLUSTER_SCOPED: &[(&str, &str)] = &[
    ("", "Namespace"),
    ("", "Node"),
    ("", "PersistentVolume"),
    ("", "ComponentStatus"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("storage.k8s.io", "StorageClass"),
    ("storage.k8s.io", "CSIDriver"),
    ("storage.k8s.io", "CSINode"),
    ("storage.k8s.io", "VolumeAttachment"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("apiregistration.k8s.io", "APIService"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
    ("scheduling.k8s.io", "PriorityClass"),
    ("node.k8s.io", "RuntimeClass"),
    ("policy", "PodSecurityPolicy"),
    ("networking.k8s.io", "IngressClass"),
    ("certificates.k8s.io", "CertificateSigningRequest"),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
    ("cluster.karmada.io", "Cluster"),
    ("policy.karmada.io", "ClusterPropagationPolicy"),
    ("policy.karmada.io", "ClusterOverridePolicy"),
    ("policy.karmada.io", "ClusterTaintPolicy"),
    ("work.karmada.io", "ClusterResourceBinding"),
    ("config.karmada.io", "ResourceInterpreterCustomization"),
    ("config.karmada.io", "ResourceInterpreterWebhookConfiguration"),
];

/// Whether a kind is cluster-scoped ([`CLUSTER_SCOPED`]).
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    CLUSTER_SCOPED.iter().any(|(g, k)| *g == group && *k == kind)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::apiserver_admit;
    use serde_json::{json, Value};

    fn defaulted(api_version: &str, kind: &str, mut v: Value) -> Value {
        assert_eq!(apiserver_admit(api_version, kind, &mut v), None);
        v
    }

    #[test]
    fn replica_fields_get_the_kube_defaults() {
        assert_eq!(defaulted("apps/v1", "Deployment", json!({})), json!({"spec": {"replicas": 1}}));
        assert_eq!(defaulted("apps/v1", "StatefulSet", json!({"spec": null})), json!({"spec": {"replicas": 1}}));
        assert_eq!(
            defaulted("apps/v1", "ReplicaSet", json!({"spec": {"replicas": 0}})),
            json!({"spec": {"replicas": 0}})
        );
        let mut bad = json!({"spec": {"replicas": -1}});
        let refused = apiserver_admit("apps/v1", "Deployment", &mut bad);
        assert_eq!(refused, Some(("replicas", "Invalid value: -1: must be greater than or equal to 0".to_string())));
        let mut bad = json!({"spec": {"completions": "x"}});
        assert_eq!(apiserver_admit("batch/v1", "Job", &mut bad).map(|r| r.0), Some("completions"));
        assert_eq!(bad, json!({"spec": {"completions": "x", "parallelism": 1}}));
        assert_eq!(
            defaulted("batch/v1", "Job", json!({"spec": {}})),
            json!({"spec": {"parallelism": 1, "completions": 1}})
        );
        assert_eq!(
            defaulted("batch/v1", "Job", json!({"spec": {"parallelism": 2}})),
            json!({"spec": {"parallelism": 2}})
        );
        assert_eq!(
            defaulted("batch/v1", "Job", json!({"spec": {"completions": 3, "parallelism": null}})),
            json!({"spec": {"parallelism": 1, "completions": 3}})
        );
        for (av, kind) in [("apps/v1beta1", "Deployment"), ("apps/v1", "DaemonSet"), ("v1", "ConfigMap")] {
            assert_eq!(defaulted(av, kind, json!({"data": {}})), json!({"data": {}}), "{av} {kind}");
        }
    }
}
