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

/// The API server's defaulting of the replica fields the evaluation reads, applied to the object it stores:
/// `spec.replicas` 1 for apps/v1 Deployment, StatefulSet and ReplicaSet (`SetDefaults_Deployment` & co. in
/// kubernetes `pkg/apis/apps/v1/defaults.go`); Job `parallelism` 1, and `completions` 1 when both are unset
/// (`SetDefaults_Job`, `pkg/apis/batch/v1/defaults.go`). A null is unset. Other defaults are not stored here.
pub fn apply_apiserver_defaults(api_version: &str, kind: &str, obj: &mut Value) {
    let fields: &[&str] = match (api_version, kind) {
        ("apps/v1", "Deployment" | "StatefulSet" | "ReplicaSet") => &["replicas"],
        ("batch/v1", "Job") => &["parallelism", "completions"],
        _ => return,
    };
    let Some(map) = obj.as_object_mut() else { return };
    let spec = map.entry("spec").or_insert_with(|| Value::Object(Default::default()));
    if spec.is_null() {
        *spec = Value::Object(Default::default());
    }
    let Some(spec) = spec.as_object_mut() else { return };
    let unset = |spec: &serde_json::Map<String, Value>, f: &str| spec.get(f).is_none_or(Value::is_null);
    // Job: completions only when both are unset, so test it before parallelism gets its default.
    let both = fields.iter().all(|f| unset(spec, f));
    for f in fields {
        if unset(spec, f) && (*f != "completions" || both) {
            spec.insert((*f).to_string(), Value::from(1));
        }
    }
}

/// Kinds that are cluster-scoped in Kubernetes (and Karmada's API groups); everything else is namespaced.
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    matches!(
        (group, kind),
        ("", "Namespace")
            | ("", "Node")
            | ("", "PersistentVolume")
            | ("", "ComponentStatus")
            | ("rbac.authorization.k8s.io", "ClusterRole")
            | ("rbac.authorization.k8s.io", "ClusterRoleBinding")
            | ("storage.k8s.io", "StorageClass")
            | ("storage.k8s.io", "CSIDriver")
            | ("storage.k8s.io", "CSINode")
            | ("storage.k8s.io", "VolumeAttachment")
            | ("apiextensions.k8s.io", "CustomResourceDefinition")
            | ("apiregistration.k8s.io", "APIService")
            | ("admissionregistration.k8s.io", "MutatingWebhookConfiguration")
            | ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration")
            | ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy")
            | ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding")
            | ("scheduling.k8s.io", "PriorityClass")
            | ("node.k8s.io", "RuntimeClass")
            | ("policy", "PodSecurityPolicy")
            | ("networking.k8s.io", "IngressClass")
            | ("certificates.k8s.io", "CertificateSigningRequest")
            | ("flowcontrol.apiserver.k8s.io", "FlowSchema")
            | ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration")
            | ("cluster.karmada.io", "Cluster")
            | ("policy.karmada.io", "ClusterPropagationPolicy")
            | ("policy.karmada.io", "ClusterOverridePolicy")
            | ("policy.karmada.io", "ClusterTaintPolicy")
            | ("work.karmada.io", "ClusterResourceBinding")
            | ("config.karmada.io", "ResourceInterpreterCustomization")
            | ("config.karmada.io", "ResourceInterpreterWebhookConfiguration")
    )
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::apply_apiserver_defaults;
    use serde_json::{json, Value};

    fn defaulted(api_version: &str, kind: &str, mut v: Value) -> Value {
        apply_apiserver_defaults(api_version, kind, &mut v);
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
        assert_eq!(defaulted("apps/v1", "Deployment", json!({"spec": {"replicas": "x"}}))["spec"]["replicas"], "x");
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
