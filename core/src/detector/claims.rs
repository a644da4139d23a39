//! Claim metadata written on templates and bindings (`pkg/detector/claim.go`).

use crate::api::binding::PolicyRef;
use crate::api::policy::PolicyKind;
use crate::util::VecMap;

/// `propagationpolicy.karmada.io/permanent-id`.
pub const PP_ID_LABEL: &str = "propagationpolicy.karmada.io/permanent-id";
/// `clusterpropagationpolicy.karmada.io/permanent-id`.
pub const CPP_ID_LABEL: &str = "clusterpropagationpolicy.karmada.io/permanent-id";
/// `propagationpolicy.karmada.io/namespace`.
pub const PP_NS_ANNOTATION: &str = "propagationpolicy.karmada.io/namespace";
/// `propagationpolicy.karmada.io/name`.
pub const PP_NAME_ANNOTATION: &str = "propagationpolicy.karmada.io/name";
/// `clusterpropagationpolicy.karmada.io/name`.
pub const CPP_NAME_ANNOTATION: &str = "clusterpropagationpolicy.karmada.io/name";
/// `resourcetemplate.karmada.io/claimed-by` (set by the MultiClusterService controller).
pub const CLAIMED_BY_LABEL: &str = "resourcetemplate.karmada.io/claimed-by";

fn non_empty<'m>(m: &'m VecMap<String, String>, k: &str) -> Option<&'m str> {
    m.get(k).map(String::as_str).filter(|v| !v.is_empty())
}

/// A complete PP claim: (namespace, name, id) — all three non-empty (`propagateResource`).
pub fn pp_claim(labels: &VecMap<String, String>, ann: &VecMap<String, String>) -> Option<(String, String, String)> {
    Some((
        non_empty(ann, PP_NS_ANNOTATION)?.to_string(),
        non_empty(ann, PP_NAME_ANNOTATION)?.to_string(),
        non_empty(labels, PP_ID_LABEL)?.to_string(),
    ))
}

/// A complete CPP claim: (name, id).
pub fn cpp_claim(labels: &VecMap<String, String>, ann: &VecMap<String, String>) -> Option<(String, String)> {
    Some((non_empty(ann, CPP_NAME_ANNOTATION)?.to_string(), non_empty(labels, CPP_ID_LABEL)?.to_string()))
}

/// The policy named by the claim metadata (PP first, as the detector checks it first).
pub fn claimed_policy(labels: &VecMap<String, String>, ann: &VecMap<String, String>) -> Option<PolicyRef> {
    if let Some((namespace, name, _)) = pp_claim(labels, ann) {
        return Some(PolicyRef { kind: PolicyKind::PropagationPolicy, namespace, name });
    }
    cpp_claim(labels, ann).map(|(name, _)| PolicyRef {
        kind: PolicyKind::ClusterPropagationPolicy,
        namespace: String::new(),
        name,
    })
}

/// `AddPPClaimMetadata` / `AddCPPClaimMetadata`.
pub fn add_claim(
    labels: &mut VecMap<String, String>,
    ann: &mut VecMap<String, String>,
    kind: PolicyKind,
    id: &str,
    namespace: &str,
    name: &str,
) {
    match kind {
        PolicyKind::PropagationPolicy => {
            labels.insert(PP_ID_LABEL.into(), id.into());
            ann.insert(PP_NS_ANNOTATION.into(), namespace.into());
            ann.insert(PP_NAME_ANNOTATION.into(), name.into());
        }
        PolicyKind::ClusterPropagationPolicy => {
            labels.insert(CPP_ID_LABEL.into(), id.into());
            ann.insert(CPP_NAME_ANNOTATION.into(), name.into());
        }
    }
}

/// `CleanupPPClaimMetadata` / `CleanupCPPClaimMetadata`.
pub fn cleanup_claim(labels: &mut VecMap<String, String>, ann: &mut VecMap<String, String>, kind: PolicyKind) {
    match kind {
        PolicyKind::PropagationPolicy => {
            labels.remove(PP_ID_LABEL);
            ann.remove(PP_NS_ANNOTATION);
            ann.remove(PP_NAME_ANNOTATION);
        }
        PolicyKind::ClusterPropagationPolicy => {
            labels.remove(CPP_ID_LABEL);
            ann.remove(CPP_NAME_ANNOTATION);
        }
    }
}

/// `excludeClusterPolicy`: strips CPP claim metadata; true if there was a CPP label.
pub fn exclude_cluster_policy(labels: &mut VecMap<String, String>, ann: &mut VecMap<String, String>) -> bool {
    if !labels.contains_key(CPP_ID_LABEL) {
        return false;
    }
    cleanup_claim(labels, ann, PolicyKind::ClusterPropagationPolicy);
    true
}
