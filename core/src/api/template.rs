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

/// Kinds that are cluster-scoped in Kubernetes (and Karmada's API groups); everything else is namespaced.
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    // A table rather than a `matches!` over the pairs: less code in the npm package's wasm (its size budget).
    const CLUSTER_SCOPED: [(&str, &str); 30] = [
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
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    CLUSTER_SCOPED.iter().any(|(g, k)| *g == group && *k == kind)
}
