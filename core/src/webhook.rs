//! Admission of (Cluster)PropagationPolicies: the CRD's structural defaults, Karmada's mutating webhook and its
//! validating webhook, with Karmada's exact denial messages.
//!
//! Sources: CRD `charts/karmada/_crds/bases/policy/*propagationpolicies.yaml`, `pkg/webhook/propagationpolicy`,
//! `pkg/webhook/clusterpropagationpolicy`, `pkg/util/validation/validation.go`, `pkg/util/helper/policy.go`.

use crate::api::policy::{PolicyKind, PropagationSpec};
use serde::Serialize;

/// Applies the CRD structural-schema defaults (what the API server does before the webhooks).
pub fn apply_crd_defaults(spec: &mut PropagationSpec) {
    if spec.priority.is_none() {
        spec.priority = Some(0);
    }
    if spec.preemption.is_empty() {
        spec.preemption = "Never".into();
    }
    if spec.conflict_resolution.is_empty() {
        spec.conflict_resolution = "Abort".into();
    }
    if spec.scheduler_name.is_empty() {
        spec.scheduler_name = "default-scheduler".into();
    }
    if let Some(rs) = spec.placement.replica_scheduling.as_mut() {
        if rs.replica_scheduling_type.is_empty() {
            rs.replica_scheduling_type = "Divided".into();
        }
    }
    if let Some(fo) = spec.failover.as_mut() {
        if let Some(app) = fo.application.as_mut() {
            if app.decision_conditions.toleration_seconds.is_none() {
                app.decision_conditions.toleration_seconds = Some(300);
            }
            if app.purge_mode.is_empty() {
                app.purge_mode = "Gracefully".into();
            }
        }
        if let Some(c) = fo.cluster.as_mut() {
            if c.purge_mode.is_empty() {
                c.purge_mode = "Gracefully".into();
            }
        }
    }
}

/// The mutating webhook (`pkg/webhook/propagationpolicy/mutating.go`, `.../clusterpropagationpolicy/mutating.go`).
/// `namespace` is the request namespace ("" for a ClusterPropagationPolicy).
pub fn mutate(kind: PolicyKind, namespace: &str, spec: &mut PropagationSpec) {
    if kind == PolicyKind::PropagationPolicy {
        for rs in &mut spec.resource_selectors {
            if rs.namespace.is_empty() {
                rs.namespace = namespace.to_string();
            }
        }
    }
    // helper.SetDefaultSpreadConstraints
    for sc in &mut spec.placement.spread_constraints {
        if sc.spread_by_field.is_empty() && sc.spread_by_label.is_empty() {
            sc.spread_by_field = "cluster".into();
        }
        if sc.min_groups == 0 {
            sc.min_groups = 1;
        }
    }
    // helper.ContainsServiceImport
    if spec
        .resource_selectors
        .iter()
        .any(|rs| rs.api_version == "multicluster.x-k8s.io/v1alpha1" && rs.kind == "ServiceImport")
    {
        spec.propagate_deps = true;
    }
    // helper.SetReplicaDivisionPreferenceWeighted
    if let Some(rs) = spec.placement.replica_scheduling.as_mut() {
        if rs.replica_scheduling_type == "Divided" && rs.replica_division_preference.is_empty() {
            rs.replica_division_preference = "Weighted".into();
        }
    }
    // helper.SetDefaultGracePeriodSeconds
    if let Some(app) = spec.failover.as_mut().and_then(|f| f.application.as_mut()) {
        if app.purge_mode == "Gracefully" && app.grace_period_seconds.is_none() {
            app.grace_period_seconds = Some(600);
        }
    }
}

/// One `field.Error` rendered as apimachinery does: `<path>: <Type>: <value>: <detail>`.
fn invalid(path: &str, value: &str, detail: &str) -> String {
    format!("{path}: Invalid value: {value}: {detail}")
}

/// Go `%q` of a string.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go `json.Marshal` of a value (compact, with Go's HTML escaping).
pub fn go_json<T: Serialize>(v: &T) -> String {
    html_escape(serde_json::to_string(v).ok())
}

/// Go's HTML escaping of marshalled JSON (`null` when it did not marshal); out of the generic [`go_json`], so
/// that it exists once in the binary rather than once per type.
#[inline(never)]
fn html_escape(json: Option<String>) -> String {
    json.unwrap_or_else(|| "null".into()).replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// `content.IsLabelKey` messages for a label key (the vendored apimachinery text, shared with the override
/// admission).
fn label_key_errors(key: &str) -> Vec<String> {
    crate::overrides::admission::label_key_errors(key)
}

/// `ValidatePolicyFieldSelector`: the first offending expression.
pub(crate) fn field_selector_error(fs: &crate::api::policy::FieldSelector) -> Option<String> {
    for e in &fs.match_expressions {
        if !matches!(e.key.as_str(), "provider" | "region" | "zone") {
            return Some(format!("unsupported key {}, must be provider, region, or zone", go_quote(&e.key)));
        }
        if !matches!(e.operator.as_str(), "In" | "NotIn") {
            return Some(format!("unsupported operator {}, must be In or NotIn", go_quote(&e.operator)));
        }
    }
    None
}

fn validate_affinity_fields(fs: Option<&crate::api::policy::FieldSelector>, path: &str, errs: &mut Vec<String>) {
    if let Some(fs) = fs {
        if let Some(msg) = field_selector_error(fs) {
            errs.push(invalid(&format!("{path}.fieldSelector"), &go_json(fs), &msg));
        }
    }
}

/// `ValidatePropagationSpec` (`pkg/util/validation/validation.go`): the list of field errors, in Karmada's order.
pub fn validate_spec(spec: &PropagationSpec, policy_namespace: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let p = &spec.placement;
    // ValidatePlacement
    if p.cluster_affinity.is_some() && p.cluster_affinities.is_some() {
        errs.push(invalid("spec.placement", &go_json(p), "clusterAffinities cannot co-exist with clusterAffinity"));
    }
    let overflow_allowed = p.replica_scheduling.as_ref().is_some_and(|r| {
        r.replica_scheduling_type == "Divided"
            && (r.replica_division_preference == "Aggregated"
                || (r.replica_division_preference == "Weighted"
                    && r.weight_preference.as_ref().is_some_and(|w| !w.dynamic_weight.is_empty())))
    });
    let terms = p.cluster_affinities.as_deref().unwrap_or(&[]);
    for (i, t) in terms.iter().enumerate() {
        if let Some(of) = &t.overflow_affinities {
            if !overflow_allowed {
                errs.push(invalid(
                    &format!("spec.placement.clusterAffinities[{i}].overflowAffinities"),
                    &go_json(of),
                    "overflowAffinities can only be used together with dynamic weight or aggregated scheduling",
                ));
            }
        }
    }
    if let Some(a) = &p.cluster_affinity {
        validate_affinity_fields(a.field_selector.as_ref(), "spec.placement.clusterAffinity", &mut errs);
    }
    let mut seen = crate::util::VecSet::new();
    for (i, t) in terms.iter().enumerate() {
        let path = format!("spec.placement.clusterAffinities[{i}]");
        for m in label_key_errors(&t.affinity_name) {
            errs.push(invalid(&path, &go_quote(&t.affinity_name), &m));
        }
        if !seen.insert(t.affinity_name.clone()) {
            errs.push(invalid(
                "spec.placement.clusterAffinities",
                &go_json(&terms),
                "each affinity term in a policy must have a unique name",
            ));
        }
        validate_affinity_fields(t.field_selector.as_ref(), &path, &mut errs);
        if let Some(of) = &t.overflow_affinities {
            let inline = t.affinity();
            if inline.label_selector.is_none()
                && inline.field_selector.is_none()
                && inline.cluster_names.is_empty()
                && inline.exclude.is_empty()
            {
                errs.push(invalid(
                    &format!("{path}.overflowAffinities"),
                    &go_json(of),
                    "overflowAffinities can only be used together with the inline ClusterAffinity",
                ));
            }
            let mut names = crate::util::VecSet::from([t.affinity_name.clone()]);
            for (j, o) in of.iter().enumerate() {
                let opath = format!("{path}.overflowAffinities[{j}]");
                for m in label_key_errors(&o.affinity_name) {
                    errs.push(invalid(&format!("{opath}.affinityName"), &go_quote(&o.affinity_name), &m));
                }
                if !names.insert(o.affinity_name.clone()) {
                    errs.push(invalid(
                        &format!("{opath}.affinityName"),
                        &go_quote(&o.affinity_name),
                        "overflow affinity name must be unique and must not duplicate the primary group's affinityName",
                    ));
                }
                validate_affinity_fields(o.field_selector.as_ref(), &opath, &mut errs);
            }
        }
    }
    // ValidateSpreadConstraint
    let scs = &p.spread_constraints;
    let mut marks: Vec<(String, bool)> = Vec::new();
    for (i, c) in scs.iter().enumerate() {
        let path = format!("spec.placement.spreadConstraints[{i}]");
        if !c.spread_by_field.is_empty() && !c.spread_by_label.is_empty() {
            errs.push(invalid(&path, &go_json(c), "spreadByLabel should not co-exist with spreadByField"));
        }
        if c.min_groups < 0 {
            errs.push(invalid(&path, &go_json(c), "minGroups lower than 0 is not allowed"));
        }
        if c.max_groups < 0 {
            errs.push(invalid(&path, &go_json(c), "maxGroups lower than 0 is not allowed"));
        }
        if c.max_groups > 0 && c.max_groups < c.min_groups {
            errs.push(invalid(&path, &go_json(c), "maxGroups lower than minGroups is not allowed"));
        }
        if !c.spread_by_field.is_empty() {
            match marks.iter_mut().find(|(f, _)| *f == c.spread_by_field) {
                Some((_, reported)) => {
                    if !*reported {
                        errs.push(invalid(
                            "spec.placement.spreadConstraints",
                            &go_json(scs),
                            &format!("multiple {} spread constraints are not allowed", c.spread_by_field),
                        ));
                        *reported = true;
                    }
                }
                None => marks.push((c.spread_by_field.clone(), false)),
            }
        }
    }
    if !marks.is_empty() && !marks.iter().any(|(f, _)| f == "cluster") {
        errs.push(invalid(
            "spec.placement.spreadConstraints",
            &go_json(scs),
            "the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled",
        ));
    }
    // ValidateWorkloadAffinity
    if let Some(wa) = &p.workload_affinity {
        if let Some(a) = &wa.affinity {
            for m in label_key_errors(&a.group_by_label_key) {
                errs.push(invalid(
                    "spec.placement.workloadAffinity.affinity.groupByLabelKey",
                    &go_quote(&a.group_by_label_key),
                    &m,
                ));
            }
        }
        if let Some(a) = &wa.anti_affinity {
            for m in label_key_errors(&a.group_by_label_key) {
                errs.push(invalid(
                    "spec.placement.workloadAffinity.antiAffinity.groupByLabelKey",
                    &go_quote(&a.group_by_label_key),
                    &m,
                ));
            }
        }
        if let (Some(a), Some(b)) = (&wa.affinity, &wa.anti_affinity) {
            if a.group_by_label_key == b.group_by_label_key {
                errs.push(invalid(
                    "spec.placement.workloadAffinity",
                    &go_json(wa),
                    "affinity and antiAffinity must not use the same groupByLabelKey",
                ));
            }
        }
    }
    // validateClusterTolerations
    for (i, t) in p.cluster_tolerations.iter().enumerate() {
        if t.operator == "Lt" || t.operator == "Gt" {
            errs.push(format!(
                "spec.placement.clusterTolerations[{i}].operator: Unsupported value: {}: supported values: \"\", \"Exists\", \"Equal\"",
                go_quote(&t.operator)
            ));
        }
    }
    // failover
    if let Some(fo) = &spec.failover {
        if fo.application.is_some() && !spec.propagate_deps {
            errs.push(invalid(
                "spec.propagateDeps",
                "false",
                "application failover is set, propagateDeps must be true",
            ));
        }
        if let Some(app) = &fo.application {
            let path = "spec.failover.application";
            let ts = app.decision_conditions.toleration_seconds.unwrap_or(0);
            if ts < 0 {
                errs.push(invalid(
                    &format!("{path}.decisionConditions.tolerationSeconds"),
                    &ts.to_string(),
                    "must be greater than or equal to 0",
                ));
            }
            match (app.purge_mode == "Gracefully", app.grace_period_seconds) {
                (false, Some(g)) => errs.push(invalid(
                    &format!("{path}.gracePeriodSeconds"),
                    &g.to_string(),
                    "only takes effect when purgeMode is gracefully",
                )),
                (true, None) => errs.push(invalid(
                    &format!("{path}.gracePeriodSeconds"),
                    "null",
                    "should not be empty when purgeMode is gracefully",
                )),
                _ => {}
            }
            if let Some(g) = app.grace_period_seconds {
                if g <= 0 {
                    errs.push(invalid(&format!("{path}.gracePeriodSeconds"), &g.to_string(), "must be greater than 0"));
                }
            }
            validate_state_preservation(app.state_preservation.as_ref(), path, &mut errs);
        }
        if let Some(c) = &fo.cluster {
            validate_state_preservation(c.state_preservation.as_ref(), "spec.failover.cluster", &mut errs);
        }
    }
    // validateResourceSelectors (PP only)
    if !policy_namespace.is_empty() {
        for (i, rs) in spec.resource_selectors.iter().enumerate() {
            if rs.namespace != policy_namespace {
                errs.push(invalid(
                    &format!("spec.resourceSelectors[{i}].namespace"),
                    &go_quote(&rs.namespace),
                    "namespace of resource selector must be the same as the namespace of the policy",
                ));
            }
        }
    }
    // validateResourceSelectorsIfPreemptionEnabled (not gated by the feature gate)
    if spec.preemption == "Always" {
        for (i, rs) in spec.resource_selectors.iter().enumerate() {
            if rs.name.is_empty() {
                errs.push(invalid(
                    &format!("spec.resourceSelectors[{i}].name"),
                    "\"\"",
                    "name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption",
                ));
            }
        }
    }
    // validateSuspension
    if let Some(s) = &spec.suspension {
        let on = s.dispatching_on_clusters.as_ref().is_some_and(|d| !d.cluster_names.is_empty());
        if s.dispatching == Some(true) && on {
            errs.push(invalid(
                "spec.suspension.suspension",
                &go_json(s),
                "suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames",
            ));
        }
    }
    errs
}

fn validate_state_preservation(sp: Option<&crate::api::policy::StatePreservation>, path: &str, errs: &mut Vec<String>) {
    if let Some(sp) = sp {
        for (i, r) in sp.rules.iter().enumerate() {
            for m in label_key_errors(&r.alias_label_name) {
                errs.push(invalid(
                    &format!("{path}.statePreservation.rules[{i}].aliasLabelName"),
                    &go_quote(&r.alias_label_name),
                    &m,
                ));
            }
        }
    }
}

/// `ErrorList.ToAggregate().Error()`: duplicates dropped; one → itself; several → `[a, b]`.
pub fn aggregate(errs: &[String]) -> Option<String> {
    let mut uniq: Vec<&String> = Vec::new();
    for e in errs {
        if !uniq.contains(&e) {
            uniq.push(e);
        }
    }
    match uniq.as_slice() {
        [] => None,
        [one] => Some((*one).clone()),
        many => Some(format!("[{}]", many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))),
    }
}

/// A CRD enum check: `<path>: Unsupported value: "v": supported values: "a", "b"` when `v` is not allowed.
pub(crate) fn unsupported(errs: &mut Vec<String>, path: &str, v: &str, allowed: &[&str]) {
    if !allowed.contains(&v) {
        let list = allowed.iter().map(|a| go_quote(a)).collect::<Vec<_>>().join(", ");
        errs.push(format!("{path}: Unsupported value: {}: supported values: {list}", go_quote(v)));
    }
}

/// The CRD schema checks the API server makes before any webhook (enums, minimums, required lists).
/// Messages follow the API server's `<Kind>.policy.karmada.io "<name>" is invalid: ...` form.
pub fn validate_schema(spec: &PropagationSpec) -> Vec<String> {
    let mut errs = Vec::new();
    let enum_check = |errs: &mut Vec<String>, path: &str, v: &str, allowed: &[&str]| {
        if !v.is_empty() {
            unsupported(errs, path, v, allowed);
        }
    };
    if spec.resource_selectors.is_empty() {
        errs.push(
            "spec.resourceSelectors: Invalid value: 0: spec.resourceSelectors in body should have at least 1 items"
                .into(),
        );
    }
    for (i, rs) in spec.resource_selectors.iter().enumerate() {
        if rs.api_version.is_empty() {
            errs.push(format!("spec.resourceSelectors[{i}].apiVersion: Required value"));
        }
        if rs.kind.is_empty() {
            errs.push(format!("spec.resourceSelectors[{i}].kind: Required value"));
        }
    }
    enum_check(&mut errs, "spec.preemption", &spec.preemption, &["Always", "Never"]);
    enum_check(&mut errs, "spec.conflictResolution", &spec.conflict_resolution, &["Abort", "Overwrite"]);
    enum_check(&mut errs, "spec.activationPreference", &spec.activation_preference, &["Lazy"]);
    let p = &spec.placement;
    if let Some(rs) = &p.replica_scheduling {
        enum_check(
            &mut errs,
            "spec.placement.replicaScheduling.replicaSchedulingType",
            &rs.replica_scheduling_type,
            &["Duplicated", "Divided"],
        );
        enum_check(
            &mut errs,
            "spec.placement.replicaScheduling.replicaDivisionPreference",
            &rs.replica_division_preference,
            &["Aggregated", "Weighted"],
        );
        if let Some(wp) = &rs.weight_preference {
            enum_check(
                &mut errs,
                "spec.placement.replicaScheduling.weightPreference.dynamicWeight",
                &wp.dynamic_weight,
                &["AvailableReplicas"],
            );
            for (i, w) in wp.static_weight_list.iter().enumerate() {
                if w.weight < 1 {
                    let path =
                        format!("spec.placement.replicaScheduling.weightPreference.staticWeightList[{i}].weight");
                    errs.push(format!(
                        "{path}: Invalid value: {}: {path} in body should be greater than or equal to 1",
                        w.weight
                    ));
                }
            }
        }
    }
    for (i, sc) in p.spread_constraints.iter().enumerate() {
        enum_check(
            &mut errs,
            &format!("spec.placement.spreadConstraints[{i}].spreadByField"),
            &sc.spread_by_field,
            &["cluster", "region", "zone", "provider"],
        );
    }
    for (i, t) in p.cluster_affinities.as_deref().unwrap_or(&[]).iter().enumerate() {
        let path = format!("spec.placement.clusterAffinities[{i}].affinityName");
        if t.affinity_name.is_empty() {
            errs.push(format!("{path}: Invalid value: \"\": {path} in body should be at least 1 chars long"));
        } else if t.affinity_name.len() > 32 {
            errs.push(format!("{path}: Too long: may not be more than 32 bytes"));
        }
    }
    if let Some(fo) = &spec.failover {
        if let Some(app) = &fo.application {
            enum_check(
                &mut errs,
                "spec.failover.application.purgeMode",
                &app.purge_mode,
                &["Directly", "Gracefully", "Never"],
            );
        }
        if let Some(c) = &fo.cluster {
            enum_check(&mut errs, "spec.failover.cluster.purgeMode", &c.purge_mode, &["Directly", "Gracefully"]);
        }
    }
    if let Some(sp) = &spec.schedule_priority {
        enum_check(
            &mut errs,
            "spec.schedulePriority.priorityClassSource",
            &sp.priority_class_source,
            &["KubePriorityClass"],
        );
    }
    errs
}
