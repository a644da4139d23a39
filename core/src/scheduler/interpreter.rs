//! The default native resource interpreter's replica interpretation
//! (`pkg/resourceinterpreter/default/native/replica.go`) with the kube-apiserver defaults the reference run
//! applied, and `helper.GenerateReplicaRequirements` (`pkg/util/helper/binding.go`).

use super::estimator::Resource;
use crate::api::{Quantity, ReplicaRequirements, ResourceTemplate};
use serde_json::Value;

/// Reads an optional `int32` field. `Ok(None)` when absent or null; an error when it does not convert
/// (as `runtime.DefaultUnstructuredConverter.FromUnstructured` would refuse it).
fn opt_i32(obj: &Value, path: &[&str]) -> Result<Option<i32>, String> {
    let mut cur = obj;
    for key in path {
        match cur.get(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(v) => cur = v,
        }
    }
    let field = path.join(".");
    let n = if let Some(i) = cur.as_i64() {
        i
    } else if let Some(f) = cur.as_f64().filter(|f| f.fract() == 0.0 && f.is_finite()) {
        f as i64
    } else {
        return Err(format!("{field}: expected an integer, got {cur}"));
    };
    i32::try_from(n).map(Some).map_err(|_| format!("{field}: {n} overflows int32"))
}

/// A resource list (`requests`, `limits`, `overhead`) as ordered `(name, quantity)` pairs.
fn resource_list(v: Option<&Value>, what: &str) -> Result<Vec<(String, Quantity)>, String> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let Some(map) = v.as_object() else {
        return Err(format!("{what}: expected an object"));
    };
    let mut out = Vec::with_capacity(map.len());
    for (k, q) in map {
        let text = match q {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => return Err(format!("{what}.{k}: not a quantity: {other}")),
        };
        let qty = Quantity::parse(&text).ok_or_else(|| format!("{what}.{k}: not a quantity: {text:?}"))?;
        out.push((k.clone(), qty));
    }
    Ok(out)
}

/// A container's effective requests: `requests`, plus each `limits` entry whose key has no request
/// (`Resource.AddPodTemplateRequest`).
fn container_requests(c: &Value, what: &str) -> Result<Vec<(String, Quantity)>, String> {
    let resources = c.get("resources");
    let mut requests = resource_list(resources.and_then(|r| r.get("requests")), &format!("{what}.requests"))?;
    for (k, q) in resource_list(resources.and_then(|r| r.get("limits")), &format!("{what}.limits"))? {
        if !requests.iter().any(|(rk, _)| *rk == k) {
            requests.push((k, q));
        }
    }
    Ok(requests)
}

fn array<'v>(spec: &'v Value, key: &str) -> Result<&'v [Value], String> {
    match spec.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a.as_slice()),
        Some(_) => Err(format!("{key}: expected an array")),
    }
}

/// `helper.GenerateReplicaRequirements(podTemplate)` from a pod spec (`spec.template.spec`, or a Pod's
/// `spec`): Σ containers, max with each init container, plus overhead, only values > 0; node claim when
/// `nodeSelector` is set (even empty), tolerations are non-empty or a required node affinity is set.
pub(crate) fn replica_requirements(pod_spec: Option<&Value>) -> Result<Option<ReplicaRequirements>, String> {
    let empty = Value::Null;
    let spec = pod_spec.unwrap_or(&empty);
    let mut r = Resource::default();
    for (i, c) in array(spec, "containers")?.iter().enumerate() {
        for (k, q) in container_requests(c, &format!("containers[{i}]"))? {
            r.add(&k, &q);
        }
    }
    for (i, c) in array(spec, "initContainers")?.iter().enumerate() {
        for (k, q) in container_requests(c, &format!("initContainers[{i}]"))? {
            r.set_max(&k, &q);
        }
    }
    for (k, q) in resource_list(spec.get("overhead"), "overhead")? {
        r.add(&k, &q);
    }
    let resource_request = r.resource_list();

    let node_selector = spec.get("nodeSelector").is_some_and(|v| !v.is_null());
    let tolerations = !array(spec, "tolerations")?.is_empty();
    let affinity = spec
        .get("affinity")
        .and_then(|a| a.get("nodeAffinity"))
        .and_then(|n| n.get("requiredDuringSchedulingIgnoredDuringExecution"))
        .is_some_and(|v| !v.is_null());
    let has_node_claim = node_selector || tolerations || affinity;

    if resource_request.is_empty() && !has_node_claim {
        return Ok(None);
    }
    Ok(Some(ReplicaRequirements { resource_request, has_node_claim }))
}

/// Replica interpretation of the default native interpreter, with conversion errors reported.
///
/// Deployment/ReplicaSet/StatefulSet (`apps/v1`): `spec.replicas` (API default 1). Job (`batch/v1`):
/// `min(parallelism, completions)`, completions nil → parallelism, with the API defaults parallelism 1 and
/// (only when both are missing) completions 1. Pod (`v1`): 1. Anything else: 0 and no requirements.
pub fn interpret_replicas_checked(template: &ResourceTemplate) -> Result<(i64, Option<ReplicaRequirements>), String> {
    let raw = &template.raw;
    let template_spec = || raw.get("spec").and_then(|s| s.get("template")).and_then(|t| t.get("spec"));
    match (template.api_version.as_str(), template.kind.as_str()) {
        ("apps/v1", "Deployment" | "ReplicaSet" | "StatefulSet") => {
            // deployReplica / replicaSetReplica / statefulSetReplica; kube defaults replicas to 1.
            let replicas = opt_i32(raw, &["spec", "replicas"])?.unwrap_or(1);
            Ok((i64::from(replicas), replica_requirements(template_spec())?))
        }
        ("batch/v1", "Job") => {
            // jobReplica; kube's SetDefaults_Job sets both to 1 when both are nil, else parallelism to 1.
            let parallelism = opt_i32(raw, &["spec", "parallelism"])?;
            let completions = opt_i32(raw, &["spec", "completions"])?;
            let (parallelism, completions) = match (parallelism, completions) {
                (None, None) => (1, Some(1)),
                (p, c) => (p.unwrap_or(1), c),
            };
            let replicas = parallelism.min(completions.unwrap_or(parallelism));
            Ok((i64::from(replicas), replica_requirements(template_spec())?))
        }
        ("v1", "Pod") => Ok((1, replica_requirements(raw.get("spec"))?)),
        _ => Ok((0, None)),
    }
}

/// The default native interpreter: desired replicas and per-replica requirements of a template
/// (0 / `None` when the object does not convert, like a failed `GetReplicas`).
pub fn interpret_replicas(template: &ResourceTemplate) -> (i64, Option<ReplicaRequirements>) {
    interpret_replicas_checked(template).unwrap_or((0, None))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::api::ObjectMeta;
    use serde_json::json;

    fn tmpl(api_version: &str, kind: &str, raw: Value) -> ResourceTemplate {
        ResourceTemplate {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            metadata: ObjectMeta::default(),
            raw: raw.into(),
            document: 0,
        }
    }

    fn req_of(r: &Option<ReplicaRequirements>) -> Vec<(String, String)> {
        r.as_ref()
            .map(|r| r.resource_request.iter().map(|(k, v)| (k.clone(), v.to_k8s_string())).collect())
            .unwrap_or_default()
    }

    #[test]
    fn deployment_defaults_and_requests() {
        let d = tmpl("apps/v1", "Deployment", json!({"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}}));
        assert_eq!(interpret_replicas(&d), (1, None));
        let d = tmpl(
            "apps/v1",
            "Deployment",
            json!({"spec": {"replicas": 3, "template": {"spec": {
                "containers": [
                    {"name": "a", "resources": {
                        "requests": {"cpu": "250m", "memory": "1Gi"},
                        "limits": {"cpu": "1", "nvidia.com/gpu": 1}
                    }},
                    {"name": "b", "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}}}
                ],
                "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2", "memory": "100Mi"}}}],
                "overhead": {"cpu": "10m"}
            }}}}),
        );
        let (n, r) = interpret_replicas(&d);
        assert_eq!(n, 3);
        assert_eq!(
            req_of(&r),
            vec![
                ("cpu".to_string(), "2010m".to_string()),
                ("memory".to_string(), "1610612736".to_string()),
                ("nvidia.com/gpu".to_string(), "1".to_string()),
            ]
        );
        assert!(!r.unwrap().has_node_claim);
        let z = tmpl("apps/v1", "StatefulSet", json!({"spec": {"replicas": 0}}));
        assert_eq!(interpret_replicas(&z), (0, None));
        // Zero requests are dropped; unknown unprefixed names are ignored.
        let zero = tmpl(
            "apps/v1",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {
                "containers": [{"resources": {"requests": {"cpu": "0", "storage": "1"}}}]
            }}}}),
        );
        assert_eq!(interpret_replicas(&zero), (1, None));
    }

    #[test]
    fn node_claim() {
        let d = tmpl("apps/v1", "Deployment", json!({"spec": {"template": {"spec": {"nodeSelector": {}}}}}));
        let (_, r) = interpret_replicas(&d);
        assert!(r.as_ref().unwrap().has_node_claim);
        assert!(r.unwrap().resource_request.is_empty());
        let t = tmpl("apps/v1", "Deployment", json!({"spec": {"template": {"spec": {"tolerations": []}}}}));
        assert_eq!(interpret_replicas(&t).1, None);
        let a = tmpl(
            "apps/v1",
            "Deployment",
            json!({"spec": {"template": {"spec": {"affinity": {"nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}
            }}}}}}),
        );
        assert!(interpret_replicas(&a).1.unwrap().has_node_claim);
    }

    #[test]
    fn jobs() {
        let job = |spec: Value| interpret_replicas(&tmpl("batch/v1", "Job", json!({ "spec": spec }))).0;
        assert_eq!(job(json!({})), 1);
        assert_eq!(job(json!({"parallelism": 3})), 3);
        assert_eq!(job(json!({"completions": 5})), 1);
        assert_eq!(job(json!({"parallelism": 4, "completions": 2})), 2);
        assert_eq!(job(json!({"parallelism": 2, "completions": 6})), 2);
        assert_eq!(job(json!({"parallelism": 0})), 0);
    }

    #[test]
    fn other_kinds_and_errors() {
        assert_eq!(interpret_replicas(&tmpl("v1", "Pod", json!({"spec": {}}))), (1, None));
        assert_eq!(interpret_replicas(&tmpl("v1", "ConfigMap", json!({"data": {}}))), (0, None));
        assert_eq!(
            interpret_replicas(&tmpl("apps/v1beta1", "Deployment", json!({"spec": {"replicas": 4}}))),
            (0, None)
        );
        let bad = tmpl("apps/v1", "Deployment", json!({"spec": {"replicas": "three"}}));
        assert!(interpret_replicas_checked(&bad).is_err());
        assert_eq!(interpret_replicas(&bad), (0, None));
        let bad_q = tmpl(
            "apps/v1",
            "Deployment",
            json!({"spec": {"template": {"spec": {"containers": [{"resources": {"requests": {"cpu": "lots"}}}]}}}}),
        );
        assert!(interpret_replicas_checked(&bad_q).is_err());
        let huge = tmpl("apps/v1", "Deployment", json!({"spec": {"replicas": 1u64 << 40}}));
        assert!(interpret_replicas_checked(&huge).is_err());
    }
}
