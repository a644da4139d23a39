//! `OverridePolicy` / `ClusterOverridePolicy` (policy.karmada.io/v1alpha1).
//!
//! Field names, shapes and JSON field order follow `pkg/apis/policy/v1alpha1/override_types.go` (the order
//! matters: Karmada's admission messages print these structs as JSON). Unknown fields are rejected, and the
//! fields the CRD marks `required` are required here too.

use super::meta::ObjectMeta;
use super::policy::{ClusterAffinity, ResourceSelector};
use crate::util::VecMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which of the two override policy kinds a policy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum OverrideKind {
    /// Cluster-scoped `ClusterOverridePolicy` (applied first).
    ClusterOverridePolicy,
    /// Namespaced `OverridePolicy` (applied after the cluster-scoped ones).
    OverridePolicy,
}

impl OverrideKind {
    /// The Kubernetes kind string.
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideKind::ClusterOverridePolicy => "ClusterOverridePolicy",
            OverrideKind::OverridePolicy => "OverridePolicy",
        }
    }
    /// The validating webhook's name in admission denials (`artifacts/deploy/webhook-configuration.yaml`).
    pub fn webhook_name(self) -> &'static str {
        match self {
            OverrideKind::ClusterOverridePolicy => "clusteroverridepolicy.karmada.io",
            OverrideKind::OverridePolicy => "overridepolicy.karmada.io",
        }
    }
    /// Parses `OverridePolicy` / `ClusterOverridePolicy`.
    pub fn from_kind(kind: &str) -> Option<Self> {
        match kind {
            "OverridePolicy" => Some(OverrideKind::OverridePolicy),
            "ClusterOverridePolicy" => Some(OverrideKind::ClusterOverridePolicy),
            _ => None,
        }
    }
}

/// An OverridePolicy or ClusterOverridePolicy as the user wrote it (before admission).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverridePolicy {
    /// `policy.karmada.io/v1alpha1`.
    pub api_version: String,
    /// `OverridePolicy` or `ClusterOverridePolicy`.
    pub kind: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The spec (required by the CRD schema).
    pub spec: OverrideSpec,
}

/// `OverrideSpec`, shared by both kinds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverrideSpec {
    /// Resources the policy applies to; empty means every resource (in scope).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_selectors: Vec<ResourceSelector>,
    /// Rules; `Some(vec![])` (an explicit `[]`) is not the same as absent for the webhook (`!= nil`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_rules: Option<Vec<RuleWithCluster>>,
    /// Deprecated single-rule form: the clusters of `overriders`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_cluster: Option<ClusterAffinity>,
    /// Deprecated single-rule form: what to change.
    #[serde(default)]
    pub overriders: Overriders,
}

impl OverrideSpec {
    /// The rules Karmada evaluates (`getOverridersFromOverridePolicies`): `overrideRules`, or when it is empty
    /// the deprecated `targetCluster` + `overriders` pair as one rule. The index is `None` for that pair.
    pub fn effective_rules(&self) -> Vec<(Option<usize>, Option<&ClusterAffinity>, &Overriders)> {
        match self.override_rules.as_deref() {
            Some(rules) if !rules.is_empty() => {
                rules.iter().enumerate().map(|(i, r)| (Some(i), r.target_cluster.as_ref(), &r.overriders)).collect()
            }
            _ => vec![(None, self.target_cluster.as_ref(), &self.overriders)],
        }
    }
}

/// One `overrideRules[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleWithCluster {
    /// Clusters the rule applies to; absent means all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_cluster: Option<ClusterAffinity>,
    /// What to change (CRD: required).
    pub overriders: Overriders,
}

/// `overriders`: applied in the order image, command, args, labels, annotations, field, plaintext.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Overriders {
    /// JSON-patch style operations on the object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plaintext: Vec<PlaintextOverrider>,
    /// Container image changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_overrider: Vec<ImageOverrider>,
    /// Container command changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command_overrider: Vec<CommandArgsOverrider>,
    /// Container args changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args_overrider: Vec<CommandArgsOverrider>,
    /// `metadata.labels` changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels_overrider: Vec<LabelAnnotationOverrider>,
    /// `metadata.annotations` changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations_overrider: Vec<LabelAnnotationOverrider>,
    /// Patches of a JSON or YAML document held in a string field (e.g. a ConfigMap key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_overrider: Vec<FieldOverrider>,
}

impl Overriders {
    /// One short line per overrider, for explanations (`image Tag replace "1.25"`).
    pub fn describe(&self) -> Vec<String> {
        let json = |v: &Option<Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "null".into());
        let mut out = Vec::new();
        for o in &self.image_overrider {
            let target = o.predicate.as_ref().map(|p| format!(" at {}", p.path)).unwrap_or_default();
            out.push(format!("imageOverrider {} {} {:?}{target}", o.component, o.operator, o.value));
        }
        for o in &self.command_overrider {
            out.push(format!("commandOverrider {} {} {:?}", o.container_name, o.operator, o.value));
        }
        for o in &self.args_overrider {
            out.push(format!("argsOverrider {} {} {:?}", o.container_name, o.operator, o.value));
        }
        for o in &self.labels_overrider {
            out.push(format!("labelsOverrider {} {:?}", o.operator, o.value));
        }
        for o in &self.annotations_overrider {
            out.push(format!("annotationsOverrider {} {:?}", o.operator, o.value));
        }
        for o in &self.field_overrider {
            for p in &o.json {
                out.push(format!(
                    "fieldOverrider {} json {} {} {}",
                    o.field_path,
                    p.operator,
                    p.sub_path,
                    json(&p.value)
                ));
            }
            for p in &o.yaml {
                out.push(format!(
                    "fieldOverrider {} yaml {} {} {}",
                    o.field_path,
                    p.operator,
                    p.sub_path,
                    json(&p.value)
                ));
            }
        }
        for o in &self.plaintext {
            out.push(format!("plaintext {} {} {}", o.operator, o.path, json(&o.value)));
        }
        out
    }
}

/// `plaintext[]`: one JSON-patch operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlaintextOverrider {
    /// JSON pointer of the target field.
    pub path: String,
    /// `add`, `remove` or `replace`.
    pub operator: String,
    /// The value (`apiextensionsv1.JSON`: `null` when absent).
    #[serde(default)]
    pub value: Option<Value>,
}

/// `imageOverrider[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageOverrider {
    /// Which image field; absent means every container of a known workload kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<ImagePredicate>,
    /// `Registry`, `Repository` or `Tag`.
    pub component: String,
    /// `add`, `remove` or `replace`.
    pub operator: String,
    /// The value.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
}

/// `imageOverrider[].predicate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImagePredicate {
    /// Path of the image field, e.g. `/spec/template/spec/containers/0/image`.
    pub path: String,
}

/// `commandOverrider[]` / `argsOverrider[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommandArgsOverrider {
    /// Container name.
    pub container_name: String,
    /// `add` or `remove`.
    pub operator: String,
    /// Values to append or remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value: Vec<String>,
}

/// `labelsOverrider[]` / `annotationsOverrider[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelAnnotationOverrider {
    /// `add`, `remove` or `replace`.
    pub operator: String,
    /// Keys and values (for `remove` only the keys matter).
    pub value: VecMap<String, String>,
}

/// `fieldOverrider[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldOverrider {
    /// JSON pointer of a string field holding JSON or YAML.
    pub field_path: String,
    /// Patches when the field holds JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub json: Vec<PatchOperation>,
    /// Patches when the field holds YAML.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yaml: Vec<PatchOperation>,
}

/// `fieldOverrider[].json[]` / `.yaml[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchOperation {
    /// JSON pointer inside the embedded document.
    pub sub_path: String,
    /// `add`, `remove` or `replace`.
    pub operator: String,
    /// The value (`null` when absent).
    #[serde(default)]
    pub value: Option<Value>,
}

/// `apiextensionsv1.JSON` as Karmada receives it: kubectl turns the YAML into JSON through a Go map, so object
/// keys come sorted, and integral floats print as integers. Applied to every `value` after parsing.
pub fn normalize_json(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
            crate::util::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
            for (k, mut val) in entries {
                normalize_json(&mut val);
                m.insert(k, val);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize_json),
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    *v = Value::from(f as i64);
                }
            }
        }
        _ => {}
    }
}

impl OverridePolicy {
    /// Normalizes every embedded JSON value (see [`normalize_json`]); a `null` value becomes absent.
    pub fn normalize_values(&mut self) {
        let fix = |o: &mut Overriders| {
            for p in &mut o.plaintext {
                fix_value(&mut p.value);
            }
            for f in &mut o.field_overrider {
                for p in f.json.iter_mut().chain(f.yaml.iter_mut()) {
                    fix_value(&mut p.value);
                }
            }
        };
        fix(&mut self.spec.overriders);
        for r in self.spec.override_rules.iter_mut().flatten() {
            fix(&mut r.overriders);
        }
    }
}

fn fix_value(v: &mut Option<Value>) {
    if matches!(v, Some(Value::Null)) {
        *v = None;
    }
    if let Some(v) = v.as_mut() {
        normalize_json(v);
    }
}
