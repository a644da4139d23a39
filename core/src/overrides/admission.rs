//! Admission of OverridePolicy / ClusterOverridePolicy: the CRD schema's enums
//! (`charts/karmada/_crds/bases/policy/policy.karmada.io_{,cluster}overridepolicies.yaml`), the mutating webhook
//! (OverridePolicy only: `pkg/webhook/overridepolicy/mutating.go`) and the validating webhooks
//! (`pkg/webhook/{,cluster}overridepolicy/validating.go` → `validation.ValidateOverrideSpec`,
//! `pkg/util/validation/validation.go`), with the exact messages of the vendored apimachinery.

use super::jsonpatch::pointer_tokens;
use crate::api::override_policy::{OverrideKind, OverridePolicy, OverrideSpec, Overriders, PatchOperation};
use crate::api::policy::ClusterAffinity;
use crate::webhook::{aggregate, go_json, go_quote};
use serde_json::Value;

/// `field.Invalid(path, value, detail)` rendered: `<path>: Invalid value: <value>: <detail>`.
fn invalid(path: &str, value: &str, detail: &str) -> String {
    format!("{path}: Invalid value: {value}: {detail}")
}

/// `content.RegexError` with examples.
fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{e}', "));
    }
    out.push_str(&format!("regex used for validation is '{re}')"));
    out
}

const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_MSG: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`.
fn is_label_key_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`.
fn is_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(|l| {
        let b = l.as_bytes();
        let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        b.first().is_some_and(ok) && b.last().is_some_and(ok) && b.iter().all(|c| ok(c) || *c == b'-')
    })
}

/// `content.IsLabelKey` (= `IsQualifiedName`) of the vendored apimachinery.
pub fn label_key_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                if prefix.len() > 253 {
                    errs.push("prefix part must be no more than 253 bytes".to_string());
                }
                if !is_dns1123_subdomain(prefix) {
                    errs.push(format!(
                        "prefix part {}",
                        regex_error(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, &["example.com"])
                    ));
                }
            }
            *name
        }
        _ => {
            return vec![format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            )]
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 bytes".to_string());
    }
    if !is_label_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
        ));
    }
    errs
}

/// `content.IsLabelValue`.
pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 bytes".to_string());
    }
    if !value.is_empty() && !is_label_key_name(value) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            &format!("({LABEL_KEY_FMT})?"),
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// Compact Go JSON of an `apiextensionsv1.JSON` (`null` when empty).
fn json_value(v: &Option<Value>) -> String {
    match v {
        Some(v) => go_json(v),
        None => "null".into(),
    }
}

/// The CRD structural schema's enum checks (the API server refuses before any webhook).
pub fn validate_schema(spec: &OverrideSpec) -> Vec<String> {
    const OPS: &[&str] = &["add", "remove", "replace"];
    let mut errs = Vec::new();
    let check = |errs: &mut Vec<String>, path: String, v: &str, allowed: &[&str]| {
        crate::webhook::unsupported(errs, &path, v, allowed);
    };
    let per_overriders = |errs: &mut Vec<String>, base: &str, o: &Overriders| {
        for (i, p) in o.plaintext.iter().enumerate() {
            check(errs, format!("{base}.plaintext[{i}].operator"), &p.operator, OPS);
        }
        for (i, p) in o.image_overrider.iter().enumerate() {
            check(
                errs,
                format!("{base}.imageOverrider[{i}].component"),
                &p.component,
                &["Registry", "Repository", "Tag"],
            );
            check(errs, format!("{base}.imageOverrider[{i}].operator"), &p.operator, OPS);
        }
        for (name, list) in [("commandOverrider", &o.command_overrider), ("argsOverrider", &o.args_overrider)] {
            for (i, p) in list.iter().enumerate() {
                check(errs, format!("{base}.{name}[{i}].operator"), &p.operator, &["add", "remove"]);
            }
        }
        for (name, list) in
            [("labelsOverrider", &o.labels_overrider), ("annotationsOverrider", &o.annotations_overrider)]
        {
            for (i, p) in list.iter().enumerate() {
                check(errs, format!("{base}.{name}[{i}].operator"), &p.operator, OPS);
            }
        }
        for (i, f) in o.field_overrider.iter().enumerate() {
            for (fmt, list) in [("json", &f.json), ("yaml", &f.yaml)] {
                for (j, p) in list.iter().enumerate() {
                    check(errs, format!("{base}.fieldOverrider[{i}].{fmt}[{j}].operator"), &p.operator, OPS);
                }
            }
        }
    };
    for (i, r) in spec.override_rules.iter().flatten().enumerate() {
        per_overriders(&mut errs, &format!("spec.overrideRules[{i}].overriders"), &r.overriders);
    }
    per_overriders(&mut errs, "spec.overriders", &spec.overriders);
    errs
}

/// The mutating webhook: an OverridePolicy's selectors without namespace get the request namespace.
/// ClusterOverridePolicies have no mutating webhook.
pub fn mutate(kind: OverrideKind, namespace: &str, spec: &mut OverrideSpec) {
    if kind == OverrideKind::OverridePolicy {
        for rs in &mut spec.resource_selectors {
            if rs.namespace.is_empty() {
                rs.namespace = namespace.to_string();
            }
        }
    }
}

/// `ValidateClusterAffinity`: only the field selector is checked.
fn validate_cluster_affinity(a: Option<&ClusterAffinity>, path: &str, errs: &mut Vec<String>) {
    if let Some(fs) = a.and_then(|a| a.field_selector.as_ref()) {
        if let Some(msg) = crate::webhook::field_selector_error(fs) {
            errs.push(invalid(&format!("{path}.fieldSelector"), &go_json(fs), &msg));
        }
    }
}

/// `emptyOverrides`: note that a field overrider alone counts as empty.
fn empty_overrides(o: &Overriders) -> bool {
    o.plaintext.is_empty()
        && o.image_overrider.is_empty()
        && o.command_overrider.is_empty()
        && o.args_overrider.is_empty()
        && o.labels_overrider.is_empty()
        && o.annotations_overrider.is_empty()
}

/// `validateJSONPatchSubPaths` / `validateYAMLPatchSubPaths` and `validateOverrideOperator`.
fn validate_patches(list: &[PatchOperation], path: &str, errs: &mut Vec<String>) {
    for (i, p) in list.iter().enumerate() {
        let ppath = format!("{path}[{i}]");
        if let Err(e) = pointer_tokens(&p.sub_path) {
            errs.push(invalid(&format!("{ppath}.subPath"), &go_quote(&p.sub_path), &e));
        }
        match p.operator.as_str() {
            "add" | "replace" if p.value.is_none() => {
                errs.push(invalid(&format!("{ppath}.value"), "null", "value is required for add or replace operation"))
            }
            "remove" if p.value.is_some() => errs.push(invalid(
                &format!("{ppath}.value"),
                &json_value(&p.value),
                "value is not allowed for remove operation",
            )),
            _ => {}
        }
    }
}

/// `ValidateOverrideRules`.
fn validate_rules(spec: &OverrideSpec, errs: &mut Vec<String>) {
    for (i, rule) in spec.override_rules.iter().flatten().enumerate() {
        let base = format!("spec.overrideRules[{i}].overriders");
        let o = &rule.overriders;
        for (j, a) in o.annotations_overrider.iter().enumerate() {
            // apivalidation.ValidateAnnotations: keys lower-cased, then the total size.
            let path = format!("{base}.annotationsOverrider[{j}].value");
            for k in a.value.keys() {
                for m in label_key_errors(&crate::util::golower::to_lower(k)) {
                    errs.push(invalid(&path, &go_quote(k), &m));
                }
            }
            let size: usize = a.value.iter().map(|(k, v)| k.len() + v.len()).sum();
            if size > 262_144 {
                errs.push(format!("{path}: Too long: may not be more than 262144 bytes"));
            }
        }
        for (j, l) in o.labels_overrider.iter().enumerate() {
            let path = format!("{base}.labelsOverrider[{j}].value");
            for (k, v) in &l.value {
                for m in label_key_errors(k) {
                    errs.push(invalid(&path, &go_quote(k), &m));
                }
                for m in label_value_errors(v) {
                    errs.push(invalid(&path, &go_quote(v), &m));
                }
            }
        }
        for (j, im) in o.image_overrider.iter().enumerate() {
            if let Some(p) = &im.predicate {
                if let Err(e) = pointer_tokens(&p.path) {
                    errs.push(invalid(&format!("{base}.imageOverrider[{j}].predicate.path"), &go_quote(&p.path), &e));
                }
            }
        }
        for (j, f) in o.field_overrider.iter().enumerate() {
            let path = format!("{base}.fieldOverrider[{j}]");
            if !f.yaml.is_empty() && !f.json.is_empty() {
                errs.push(invalid(
                    &path,
                    &go_json(f),
                    "FieldOverrider has both YAML and JSON set. Only one is allowed",
                ));
            }
            if f.yaml.is_empty() && f.json.is_empty() {
                errs.push(format!("{path}: Required value: FieldOverrider must have either JSON or YAML set"));
            }
            if let Err(e) = pointer_tokens(&f.field_path) {
                errs.push(invalid(&format!("{path}.fieldPath"), &go_quote(&f.field_path), &e));
            }
            validate_patches(&f.json, &format!("{path}.json"), errs);
            validate_patches(&f.yaml, &format!("{path}.yaml"), errs);
        }
        validate_cluster_affinity(
            rule.target_cluster.as_ref(),
            &format!("spec.overrideRules[{i}].targetCluster"),
            errs,
        );
    }
}

/// `ValidateOverrideSpec(spec, requestNamespace)`: the field errors in Karmada's order.
pub fn validate(spec: &OverrideSpec, request_namespace: &str) -> Vec<String> {
    let mut errs = Vec::new();
    validate_cluster_affinity(spec.target_cluster.as_ref(), "spec.targetCluster", &mut errs);
    if let (Some(tc), Some(_)) = (&spec.target_cluster, &spec.override_rules) {
        errs.push(invalid("spec.targetCluster", &go_json(tc), "overrideRules and targetCluster can't co-exist"));
    }
    if !empty_overrides(&spec.overriders) && spec.override_rules.is_some() {
        errs.push(invalid(
            "spec.overriders",
            &go_json(&spec.overriders),
            "overrideRules and overriders can't co-exist",
        ));
    }
    validate_rules(spec, &mut errs);
    if !request_namespace.is_empty() {
        for (i, rs) in spec.resource_selectors.iter().enumerate() {
            if rs.namespace != request_namespace {
                errs.push(invalid(
                    &format!("spec.resourceSelectors[{i}].namespace"),
                    &go_quote(&rs.namespace),
                    "namespace of resource selector must be the same as the namespace of the policy",
                ));
            }
        }
    }
    errs
}

/// Full admission of one document: the admitted spec, or the message `kubectl apply` prints.
pub fn admit(kind: OverrideKind, policy: &OverridePolicy) -> Result<OverrideSpec, String> {
    let mut spec = policy.spec.clone();
    let name = &policy.metadata.name;
    if let Some(msg) = aggregate(&validate_schema(&spec)) {
        return Err(format!("{}.policy.karmada.io {} is invalid: {msg}", kind.as_str(), go_quote(name)));
    }
    let namespace = if kind == OverrideKind::OverridePolicy { policy.metadata.namespace.as_str() } else { "" };
    mutate(kind, namespace, &mut spec);
    if let Some(msg) = aggregate(&validate(&spec, namespace)) {
        return Err(format!("admission webhook \"{}\" denied the request: {msg}", kind.webhook_name()));
    }
    Ok(spec)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn policy(kind: &str, yaml_spec: &str) -> OverridePolicy {
        let text = format!("apiVersion: policy.karmada.io/v1alpha1\nkind: {kind}\nmetadata: {{name: p, namespace: default}}\nspec:\n{yaml_spec}");
        let mut p: OverridePolicy = serde_yaml::from_str(&text).unwrap();
        p.normalize_values();
        p
    }

    #[test]
    fn karmada_messages() {
        let p = policy(
            "OverridePolicy",
            "  resourceSelectors: [{apiVersion: v1, kind: ConfigMap, namespace: other}]\n  overrideRules: []\n  targetCluster: {clusterNames: [m2]}\n",
        );
        let err = admit(OverrideKind::OverridePolicy, &p).unwrap_err();
        assert_eq!(
            err,
            "admission webhook \"overridepolicy.karmada.io\" denied the request: [spec.targetCluster: Invalid value: {\"clusterNames\":[\"m2\"]}: overrideRules and targetCluster can't co-exist, spec.resourceSelectors[0].namespace: Invalid value: \"other\": namespace of resource selector must be the same as the namespace of the policy]"
        );
        let p = policy(
            "OverridePolicy",
            "  overrideRules:\n  - overriders:\n      fieldOverrider:\n      - fieldPath: /data/a\n        json: [{subPath: /x, operator: add}, {subPath: /y, operator: remove, value: {b: 1, a: '<'}}]\n",
        );
        assert_eq!(
            validate(&p.spec, "default"),
            vec![
                "spec.overrideRules[0].overriders.fieldOverrider[0].json[0].value: Invalid value: null: value is required for add or replace operation",
                "spec.overrideRules[0].overriders.fieldOverrider[0].json[1].value: Invalid value: {\"a\":\"\\u003c\",\"b\":1}: value is not allowed for remove operation",
            ]
        );
        let p = policy(
            "ClusterOverridePolicy",
            "  overrideRules:\n  - overriders:\n      labelsOverrider: [{operator: add, value: {'a/b/c': 'x y'}}]\n      plaintext: [{path: /a, operator: copy}]\n",
        );
        assert_eq!(
            admit(OverrideKind::ClusterOverridePolicy, &p).unwrap_err(),
            "ClusterOverridePolicy.policy.karmada.io \"p\" is invalid: spec.overrideRules[0].overriders.plaintext[0].operator: Unsupported value: \"copy\": supported values: \"add\", \"remove\", \"replace\""
        );
        let errs = validate(&p.spec, "");
        assert!(errs[0].starts_with("spec.overrideRules[0].overriders.labelsOverrider[0].value: Invalid value: \"a/b/c\": a valid label key must consist"), "{errs:?}");
        assert!(errs[1].starts_with("spec.overrideRules[0].overriders.labelsOverrider[0].value: Invalid value: \"x y\": a valid label must be"), "{errs:?}");
    }

    #[test]
    fn mutation_defaults_selector_namespace_for_overridepolicy_only() {
        let p = policy("OverridePolicy", "  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n");
        assert_eq!(admit(OverrideKind::OverridePolicy, &p).unwrap().resource_selectors[0].namespace, "default");
        let c = admit(OverrideKind::ClusterOverridePolicy, &p).unwrap();
        assert_eq!(c.resource_selectors[0].namespace, "");
    }
}
