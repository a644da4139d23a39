//! OverridePolicy / ClusterOverridePolicy: the stored policies and Karmada's override manager
//! (`pkg/util/overridemanager`): which policies and rules apply to one object for one cluster, in which order,
//! and what each overrider does to the object.

pub mod admission;
pub mod goyaml;
pub mod image;
pub mod jsonpatch;

use crate::api::cluster::Cluster;
use crate::api::meta::ObjectMeta;
use crate::api::override_policy::{
    CommandArgsOverrider, FieldOverrider, ImageOverrider, LabelAnnotationOverrider, OverrideKind, OverrideSpec,
    Overriders,
};
use crate::api::policy::ResourceSelector;
use crate::api::template::ResourceTemplate;
use crate::selector::{cluster_matches, resource_match_selectors_priority, ImplicitPriority};
use crate::util::VecMap;
use jsonpatch::Operation;
use serde::Serialize;
use serde_json::Value;

/// Identity of an override policy: kind, namespace ("" for cluster-scoped) and name.
pub type OverrideKey = (OverrideKind, String, String);

/// An admitted override policy.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredOverride {
    /// Kind.
    pub kind: OverrideKind,
    /// Namespace ("" for a ClusterOverridePolicy).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Spec after the mutating webhook.
    pub spec: OverrideSpec,
    /// Document that last applied it.
    pub document: usize,
}

impl StoredOverride {
    /// `OverridePolicy ns/name` or `ClusterOverridePolicy name`.
    pub fn display(&self) -> String {
        display(self.kind, &self.namespace, &self.name)
    }
}

/// `OverridePolicy ns/name` or `ClusterOverridePolicy name`.
pub fn display(kind: OverrideKind, namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        format!("{} {name}", kind.as_str())
    } else {
        format!("{} {namespace}/{name}", kind.as_str())
    }
}

/// One rule Karmada applied to an object for a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct AppliedRule {
    /// `ClusterOverridePolicy` or `OverridePolicy`.
    pub kind: OverrideKind,
    /// Namespace ("" for a ClusterOverridePolicy).
    pub namespace: String,
    /// Policy name.
    pub name: String,
    /// Index in `overrideRules`; `None` for the deprecated `targetCluster` + `overriders` form.
    pub rule: Option<usize>,
    /// One line per overrider of the rule.
    pub overriders: Vec<String>,
}

impl AppliedRule {
    /// `OverridePolicy ns/name` or `ClusterOverridePolicy name`, with the rule index when there is one.
    pub fn display(&self) -> String {
        match self.rule {
            Some(i) => format!("{} (rule {i})", display(self.kind, &self.namespace, &self.name)),
            None => display(self.kind, &self.namespace, &self.name),
        }
    }
}

/// The override policies in karmada-apiserver.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverrideStore {
    policies: VecMap<OverrideKey, StoredOverride>,
}

impl OverrideStore {
    /// Whether no policy exists.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
    /// A policy by identity.
    pub fn get(&self, key: &OverrideKey) -> Option<&StoredOverride> {
        self.policies.get(key)
    }
    /// Creates or replaces a policy.
    pub fn insert(&mut self, p: StoredOverride) {
        self.policies.insert((p.kind, p.namespace.clone(), p.name.clone()), p);
    }
    /// Deletes a policy (override policies carry no finalizer: they go at once).
    pub fn remove(&mut self, key: &OverrideKey) -> Option<StoredOverride> {
        self.policies.remove(key)
    }
    /// Every policy, ClusterOverridePolicies first.
    pub fn iter(&self) -> impl Iterator<Item = &StoredOverride> {
        self.policies.values()
    }

    /// `ApplyOverridePolicies`: the ClusterOverridePolicies, then (for a namespaced object) the OverridePolicies
    /// of its namespace, each kind matched against the object as it is at that point. The first failing
    /// overrider aborts everything with its error.
    pub fn apply(&self, obj: &mut Value, cluster: &Cluster) -> Result<Vec<AppliedRule>, String> {
        let mut applied = Vec::new();
        if self.policies.is_empty() {
            return Ok(applied);
        }
        let cops: Vec<&StoredOverride> =
            self.policies.values().filter(|p| p.kind == OverrideKind::ClusterOverridePolicy).collect();
        self.apply_kind(&cops, obj, cluster, &mut applied)?;
        let namespace = obj.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("").to_string();
        if !namespace.is_empty() {
            let ops: Vec<&StoredOverride> = self
                .policies
                .values()
                .filter(|p| p.kind == OverrideKind::OverridePolicy && p.namespace == namespace)
                .collect();
            self.apply_kind(&ops, obj, cluster, &mut applied)?;
        }
        Ok(applied)
    }

    fn apply_kind(
        &self,
        policies: &[&StoredOverride],
        obj: &mut Value,
        cluster: &Cluster,
        applied: &mut Vec<AppliedRule>,
    ) -> Result<(), String> {
        // The rules are chosen before any of them is applied (`getOverridersFromOverridePolicies`).
        let rules = matching_rules(policies, obj, cluster);
        for (p, index, overriders) in rules {
            apply_overriders(obj, overriders)?;
            applied.push(AppliedRule {
                kind: p.kind,
                namespace: p.namespace.clone(),
                name: p.name.clone(),
                rule: index,
                overriders: overriders.describe(),
            });
        }
        Ok(())
    }

    /// The templates whose binding the binding controllers re-sync when `policy` is created, changed or deleted
    /// (`newOverridePolicyFunc` of the ResourceBinding and ClusterResourceBinding controllers): every binding
    /// in scope when the policy has no resource selector, otherwise those whose template matches one.
    pub fn bindings_to_resync(
        policy: &StoredOverride,
        det: &crate::detector::Detector,
    ) -> crate::util::ChunkSet<crate::detector::TemplateKey> {
        det.bindings
            .values()
            .filter(|b| match policy.kind {
                OverrideKind::OverridePolicy => b.binding.namespace == policy.namespace,
                OverrideKind::ClusterOverridePolicy => true,
            })
            .filter(|b| {
                policy.spec.resource_selectors.is_empty()
                    || det.templates.get(&b.owner).is_some_and(|st| {
                        resource_match_selectors_priority(&st.template, &policy.spec.resource_selectors)
                            > ImplicitPriority::Mismatch
                    })
            })
            .map(|b| b.owner.clone())
            .collect()
    }
}

/// The object as the resource-selector matcher reads it (apiVersion, kind, name, namespace, labels).
fn selector_view(obj: &Value) -> ResourceTemplate {
    let s = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or("").to_string();
    // `GetLabels`: a label map with a non-string value reads as no labels.
    let labels: VecMap<String, String> =
        obj.pointer("/metadata/labels").and_then(|l| crate::api::decode::from_value(l).ok()).unwrap_or_default();
    ResourceTemplate {
        api_version: s("/apiVersion"),
        kind: s("/kind"),
        metadata: ObjectMeta {
            name: s("/metadata/name"),
            namespace: s("/metadata/namespace"),
            labels,
            ..Default::default()
        },
        raw: Value::Null,
        document: 0,
    }
}

/// Implicit priority of a policy for the object; a policy without selectors matches everything at the
/// lowest priority (`PriorityMatchAll`).
fn policy_priority(view: &ResourceTemplate, selectors: &[ResourceSelector]) -> ImplicitPriority {
    if selectors.is_empty() {
        ImplicitPriority::MatchAll
    } else {
        resource_match_selectors_priority(view, selectors)
    }
}

/// `getOverridersFromOverridePolicies`: matching policies by (implicit priority ascending, name ascending) —
/// the most specific one is applied last and wins — then their rules whose `targetCluster` selects the cluster.
fn matching_rules<'p>(
    policies: &[&'p StoredOverride],
    obj: &Value,
    cluster: &Cluster,
) -> Vec<(&'p StoredOverride, Option<usize>, &'p Overriders)> {
    let view = selector_view(obj);
    let mut matched: Vec<(&StoredOverride, ImplicitPriority)> = policies
        .iter()
        .map(|p| (*p, policy_priority(&view, &p.spec.resource_selectors)))
        .filter(|(_, prio)| *prio > ImplicitPriority::Mismatch)
        .collect();
    crate::util::sort_by(&mut matched, |a, b| a.1.cmp(&b.1).then_with(|| a.0.name.cmp(&b.0.name)));
    let mut out = Vec::new();
    for (p, _) in matched {
        for (index, target, overriders) in p.spec.effective_rules() {
            if target.is_none_or(|t| cluster_matches(cluster, t)) {
                out.push((p, index, overriders));
            }
        }
    }
    out
}

/// `applyPolicyOverriders`: image, command, args, labels, annotations, field, then plaintext.
pub fn apply_overriders(obj: &mut Value, o: &Overriders) -> Result<(), String> {
    for io in &o.image_overrider {
        let patches = image_patches(obj, io)?;
        patch_object(obj, &patches)?;
    }
    for c in &o.command_overrider {
        let patches = command_args_patches("command", obj, c)?;
        patch_object(obj, &patches)?;
    }
    for c in &o.args_overrider {
        let patches = command_args_patches("args", obj, c)?;
        patch_object(obj, &patches)?;
    }
    for l in &o.labels_overrider {
        let patches = label_annotation_patches(obj, l, "labels");
        if !patches.is_empty() {
            patch_object(obj, &patches)?;
        }
    }
    for a in &o.annotations_overrider {
        let patches = label_annotation_patches(obj, a, "annotations");
        if !patches.is_empty() {
            patch_object(obj, &patches)?;
        }
    }
    apply_field_overriders(obj, &o.field_overrider)?;
    let plaintext: Vec<Operation> =
        o.plaintext.iter().map(|p| Operation::new(&p.operator, &p.path, p.value.clone())).collect();
    patch_object(obj, &plaintext)
}

/// `applyJSONPatch`: the patch, then the round trip back into an `Unstructured`, which needs a kind.
fn patch_object(obj: &mut Value, ops: &[Operation]) -> Result<(), String> {
    jsonpatch::apply(obj, ops)?;
    match obj.get("kind") {
        Some(Value::String(k)) if !k.is_empty() => Ok(()),
        _ => Err(format!("Object 'Kind' is missing in '{}'", jsonpatch::go_json_compact(obj))),
    }
}

/// The pod-spec prefix of the kinds the image and command/args overriders know (by kind only).
fn pod_spec_prefix(obj: &Value) -> Option<&'static str> {
    match obj.get("kind").and_then(Value::as_str) {
        Some("Pod") => Some("/spec"),
        Some("ReplicaSet" | "Deployment" | "DaemonSet" | "StatefulSet" | "Job") => Some("/spec/template/spec"),
        _ => None,
    }
}

/// `buildPatches` (`imageoverride.go`).
fn image_patches(obj: &Value, io: &ImageOverrider) -> Result<Vec<Operation>, String> {
    let Some(predicate) = &io.predicate else {
        // buildPatchesWithEmptyPredicate: every container of the typed pod spec.
        let Some(prefix) = pod_spec_prefix(obj) else { return Ok(Vec::new()) };
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
        let convert_err = |what: &str| format!("failed to convert {kind} from unstructured object: {what}");
        let containers = match obj.pointer(&format!("{prefix}/containers")) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(a)) => a,
            Some(_) => return Err(convert_err("containers is not an array")),
        };
        let mut patches = Vec::new();
        for (i, c) in containers.iter().enumerate() {
            let image = match c.get("image") {
                None | Some(Value::Null) => "",
                Some(Value::String(s)) => s.as_str(),
                Some(_) => return Err(convert_err("image is not a string")),
            };
            let new = image::override_image(image, &io.component, &io.operator, &io.value)?;
            patches.push(Operation::new(
                "replace",
                &format!("{prefix}/containers/{i}/image"),
                Some(Value::String(new)),
            ));
        }
        return Ok(patches);
    };
    let path = &predicate.path;
    let current = obtain_image_value(obj, path)
        .map_err(|e| format!("failed to obtain imageValue with predicate path({path}), error: {e}"))?;
    if !path.starts_with('/') {
        return Err("imagePath should be start with / character".into());
    }
    let new = image::override_image(&current, &io.component, &io.operator, &io.value)?;
    Ok(vec![Operation::new("replace", path, Some(Value::String(new)))])
}

/// `obtainImageValue`: walks maps, and for an array uses the next segment as index (skipping it).
fn obtain_image_value(obj: &Value, path: &str) -> Result<String, String> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut cur = obj;
    let mut index = 0;
    while index + 1 < segments.len() {
        let seg = segments.get(index).copied().unwrap_or("");
        match cur.get(seg) {
            Some(next @ Value::Object(_)) => cur = next,
            Some(Value::Array(items)) => {
                let raw = segments.get(index + 1).copied().unwrap_or("");
                let idx = raw.parse::<i32>().map_err(|_| format!("path({raw}) of rawObj's is not number"))?;
                // Go indexes the slice and asserts a map: both panic (recovered by the controller) on failure.
                cur = usize::try_from(idx).ok().and_then(|i| items.get(i)).filter(|v| v.is_object()).ok_or_else(
                    || format!("panic: runtime error: index out of range [{idx}] with length {}", items.len()),
                )?;
                index += 1;
            }
            _ => {
                return Err(format!("path({seg}) of rawObj's type is not map[string]interface{{}} and []interface{{}}"))
            }
        }
        index += 1;
    }
    let last = segments.last().copied().unwrap_or("");
    cur.get(last)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("failed to convert path({last}) to string"))
}

/// Go's `fmt.Sprintf("%s", v)` for a decoded JSON value.
fn go_percent_s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "%!s(<nil>)".into(),
        Value::Bool(b) => format!("%!s(bool={b})"),
        Value::Number(n) => match n.as_i64() {
            Some(i) => format!("%!s(int64={i})"),
            None => format!("%!s(float64={})", goyaml::go_format_g(n.as_f64().unwrap_or(0.0))),
        },
        Value::Array(a) => format!("[{}]", a.iter().map(go_percent_s).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            format!("map[{}]", m.iter().map(|(k, v)| format!("{k}:{}", go_percent_s(v))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// `buildCommandArgsPatches` (`commandargsoverride.go`): one add (field absent) or replace per container of
/// that name; other operators leave the list unchanged.
fn command_args_patches(target: &str, obj: &Value, o: &CommandArgsOverrider) -> Result<Vec<Operation>, String> {
    let Some(prefix) = pod_spec_prefix(obj) else { return Ok(Vec::new()) };
    let spec_path = prefix.trim_start_matches('/').to_string() + "/containers";
    let containers = match nested(obj, &spec_path) {
        Err(e) => return Err(format!("failed to retrieves path({spec_path}) from rawObj, error: {e}")),
        Ok(None) => return Ok(Vec::new()),
        Ok(Some(Value::Array(a))) => a,
        Ok(Some(other)) => {
            return Err(format!(
                "failed to retrieves path({spec_path}) from rawObj, error: .{} accessor error: {other} is of the type {}, expected []interface{{}}",
                spec_path.replace('/', "."),
                go_type(other)
            ))
        }
    };
    let mut patches = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        let Some(c) = c.as_object() else {
            return Err("panic: interface conversion: interface {} is not map[string]interface {}".into());
        };
        if c.get("name").and_then(Value::as_str) != Some(o.container_name.as_str()) {
            continue;
        }
        let path = format!("/{spec_path}/{i}/{target}");
        let (op, current) = match c.get(target) {
            None | Some(Value::Null) => ("add", Vec::new()),
            Some(Value::Array(items)) => ("replace", items.iter().map(go_percent_s).collect()),
            Some(_) => {
                return Err("panic: interface conversion: interface {} is not []interface {}".into());
            }
        };
        let new: Vec<String> = match o.operator.as_str() {
            "add" => current.into_iter().chain(o.value.iter().cloned()).collect(),
            "remove" => current.into_iter().filter(|v| !o.value.contains(v)).collect(),
            _ => current,
        };
        patches.push(Operation::new(op, &path, Some(Value::from(new))));
    }
    Ok(patches)
}

/// `unstructured.NestedFieldNoCopy` along a `/`-separated path: `Ok(None)` when a key is missing.
fn nested<'v>(obj: &'v Value, path: &str) -> Result<Option<&'v Value>, String> {
    let mut cur = obj;
    let mut walked = String::new();
    for seg in path.split('/') {
        match cur {
            Value::Object(m) => match m.get(seg) {
                Some(v) => cur = v,
                None => return Ok(None),
            },
            other => {
                return Err(format!(
                    "{walked} accessor error: {other} is of the type {}, expected map[string]interface{{}}",
                    go_type(other)
                ))
            }
        }
        walked.push('.');
        walked.push_str(seg);
    }
    Ok(Some(cur))
}

/// The Go type name of a decoded JSON value, as Go's `%T` prints it in Karmada's errors.
pub(crate) fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int64",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// `buildLabelAnnotationOverriderPatches`: `add` creates the map when missing; `remove`/`replace` only touch
/// keys that exist. Keys get `/` escaped as `~1` (not `~`).
fn label_annotation_patches(obj: &mut Value, o: &LabelAnnotationOverrider, field: &str) -> Vec<Operation> {
    let mut patches = Vec::new();
    for (key, value) in &o.value {
        let current: Option<VecMap<String, String>> =
            obj.pointer(&format!("/metadata/{field}")).and_then(|m| crate::api::decode::from_value(m).ok());
        match o.operator.as_str() {
            "remove" | "replace" if !current.as_ref().is_some_and(|m| m.contains_key(key)) => continue,
            // SetNestedStringMap(obj, {}, metadata, field); a non-map metadata makes it fail: skip the key.
            "add" if current.is_none() => match obj.get_mut("metadata") {
                Some(Value::Object(meta)) => {
                    meta.insert(field.to_string(), Value::Object(Default::default()));
                }
                None => {
                    if let Some(root) = obj.as_object_mut() {
                        let mut meta = serde_json::Map::new();
                        meta.insert(field.to_string(), Value::Object(Default::default()));
                        root.insert("metadata".into(), Value::Object(meta));
                    }
                }
                Some(_) => continue,
            },
            _ => {}
        }
        let escaped = key.replace('/', "~1");
        patches.push(Operation::new(
            &o.operator,
            &format!("/metadata/{field}/{escaped}"),
            Some(Value::String(value.clone())),
        ));
    }
    patches
}

/// `applyFieldOverriders`: each field must hold a string; its JSON or YAML content is patched in place.
fn apply_field_overriders(obj: &mut Value, list: &[FieldOverrider]) -> Result<(), String> {
    for fo in list {
        let tokens = jsonpatch::pointer_tokens(&fo.field_path)?;
        let data = match jsonpatch::pointer_get(obj, &tokens)? {
            Value::String(s) if !tokens.is_empty() => s.clone(),
            _ => return Err(format!("Get object's value by overrider's path({}) is not string", fo.field_path)),
        };
        let new = if !fo.yaml.is_empty() {
            let ops: Vec<Operation> =
                fo.yaml.iter().map(|p| Operation::new(&p.operator, &p.sub_path, p.value.clone())).collect();
            let mut doc = goyaml::yaml_to_json(&data)?;
            jsonpatch::apply(&mut doc, &ops)?;
            goyaml::json_to_yaml(&doc)
        } else if !fo.json.is_empty() {
            let ops: Vec<Operation> =
                fo.json.iter().map(|p| Operation::new(&p.operator, &p.sub_path, p.value.clone())).collect();
            raw_json_patch(&data, &ops)?
        } else {
            String::new()
        };
        jsonpatch::pointer_set(obj, &tokens, Value::String(new))?;
    }
    Ok(())
}

/// `applyRawJSONPatch`: an empty document stays empty; invalid JSON is `invalid state detected`.
fn raw_json_patch(data: &str, ops: &[Operation]) -> Result<String, String> {
    jsonpatch::validate(ops)?;
    if data.is_empty() {
        return Ok(String::new());
    }
    let mut doc: Value = serde_json::from_str(data).map_err(|_| "invalid state detected".to_string())?;
    jsonpatch::apply(&mut doc, ops)?;
    Ok(jsonpatch::go_json_compact(&doc))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::api::override_policy::{ImagePredicate, PatchOperation, PlaintextOverrider};
    use serde_json::json;

    fn deploy() -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
               "spec": {"replicas": 2, "template": {"spec": {"containers": [
                   {"name": "web", "image": "nginx:1.19", "command": ["nginx"]}]}}}})
    }

    #[test]
    fn overrider_order_and_effects() {
        let mut obj = deploy();
        let o = Overriders {
            plaintext: vec![PlaintextOverrider {
                path: "/spec/replicas".into(),
                operator: "replace".into(),
                value: Some(json!(7)),
            }],
            image_overrider: vec![ImageOverrider {
                predicate: Some(ImagePredicate { path: "/spec/template/spec/containers/0/image".into() }),
                component: "Tag".into(),
                operator: "replace".into(),
                value: "x".into(),
            }],
            command_overrider: vec![CommandArgsOverrider {
                container_name: "web".into(),
                operator: "add".into(),
                value: vec!["-v".into()],
            }],
            args_overrider: vec![CommandArgsOverrider {
                container_name: "web".into(),
                operator: "remove".into(),
                value: vec![],
            }],
            labels_overrider: vec![LabelAnnotationOverrider {
                operator: "add".into(),
                value: [("a/b".to_string(), "1".to_string())].into(),
            }],
            annotations_overrider: vec![LabelAnnotationOverrider {
                operator: "remove".into(),
                value: [("nope".to_string(), String::new())].into(),
            }],
            field_overrider: vec![],
        };
        apply_overriders(&mut obj, &o).unwrap();
        assert_eq!(obj["spec"]["replicas"], 7);
        let c = &obj["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c["image"], "nginx:x");
        assert_eq!(c["command"], json!(["nginx", "-v"]));
        assert_eq!(c["args"], json!([]));
        assert_eq!(obj["metadata"]["labels"]["a/b"], "1");
        assert!(obj["metadata"].get("annotations").is_none());
    }

    #[test]
    fn field_overrider_json_and_errors() {
        let mut obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                             "data": {"c.json": "{\"db\":{\"host\":\"a\",\"port\":1}}", "n": 5}});
        let fo = |path: &str, sub: &str| FieldOverrider {
            field_path: path.into(),
            json: vec![PatchOperation { sub_path: sub.into(), operator: "replace".into(), value: Some(json!("<b>")) }],
            yaml: vec![],
        };
        apply_field_overriders(&mut obj, &[fo("/data/c.json", "/db/host")]).unwrap();
        assert_eq!(obj["data"]["c.json"], "{\"db\":{\"host\":\"\\u003cb\\u003e\",\"port\":1}}");
        assert_eq!(
            apply_field_overriders(&mut obj, &[fo("/data/n", "/x")]).unwrap_err(),
            "Get object's value by overrider's path(/data/n) is not string"
        );
        assert_eq!(
            apply_field_overriders(&mut obj, &[fo("/data/zz", "/x")]).unwrap_err(),
            "object has no key \"zz\": JSON pointer error"
        );
    }

    #[test]
    fn field_overrider_yaml() {
        let mut obj = json!({"kind": "ConfigMap", "data": {"app.yaml": "server:\n  port: 8080\n  debug: false\n"}});
        let fo = FieldOverrider {
            field_path: "/data/app.yaml".into(),
            json: vec![],
            yaml: vec![
                PatchOperation {
                    sub_path: "/server/port".into(),
                    operator: "replace".into(),
                    value: Some(json!(9090)),
                },
                PatchOperation { sub_path: "/server/name".into(), operator: "add".into(), value: Some(json!("a b")) },
            ],
        };
        apply_field_overriders(&mut obj, &[fo]).unwrap();
        assert_eq!(obj["data"]["app.yaml"], "server:\n  debug: false\n  name: a b\n  port: 9090\n");
    }

    #[test]
    fn kind_removal_is_an_error() {
        let mut obj = deploy();
        let err = patch_object(&mut obj, &[Operation::new("remove", "/kind", None)]).unwrap_err();
        assert!(err.starts_with("Object 'Kind' is missing in '"), "{err}");
    }
}
