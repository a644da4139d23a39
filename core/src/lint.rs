//! Lints: valid Karmada input that will not do what its author probably meant (karmada#4697, #3359), each with a
//! stable code, a one-line message, a help line and the exact line:column of the field concerned.

use crate::api::policy::ResourceSelector;
use crate::api::policy::{ClusterAffinity, PolicyKind, PropagationPolicy};
use crate::api::template::is_cluster_scoped;
use crate::detector::{namespace_ignored, Detector};
use crate::diagnostic::{Diagnostic, SourceMap, Span};
use crate::scenario::{Document, Object, Scenario, Step, KARMADA_CONTEXT};
use crate::selector::{name_or_labels_priority, resource_match_selectors, ImplicitPriority};
use crate::util::VecSet;
use crate::yamlpath::{index, parse_path};

/// Maps a document and a field path to a span of the source text.
pub struct Locator<'a> {
    source: &'a str,
    map: SourceMap<'a>,
}

impl<'a> Locator<'a> {
    /// Indexes the source text.
    pub fn new(source: &'a str) -> Self {
        Locator { source, map: SourceMap::new(source) }
    }

    /// The span of `path` (e.g. `spec.resourceSelectors[0].name`) inside a document, or of its deepest existing
    /// ancestor, or of the document start.
    pub fn field(&self, doc_span: Span, path: &str) -> Span {
        let (start, end) = (doc_span.start.offset, doc_span.end.offset);
        let Some(text) = self.source.get(start..end) else {
            return doc_span;
        };
        // An object that starts after `- ` (an item of a `kind: List`): pad to its column so the block keeps
        // its shape, then subtract the padding (not after a `--- ` marker, whose document starts at column 1).
        let line_start = self.source.get(..start).and_then(|b| b.rfind('\n')).map_or(0, |i| i + 1);
        let before = self.source.get(line_start..start).unwrap_or("");
        let pad = if before.trim_start().starts_with("---") { 0 } else { before.len() };
        let padded = format!("{}{text}", " ".repeat(pad));
        match index(&padded) {
            Some(node) => {
                let (r, _) = node.locate(&parse_path(path));
                let (a, b) = (r.start.saturating_sub(pad), r.end.saturating_sub(pad));
                self.map.span(start + a, start + b)
            }
            None => Span { start: doc_span.start, end: doc_span.start },
        }
    }

    /// The field path at the start of an apimachinery field error message (`spec.x[0].y: Invalid value: ...`).
    pub fn path_of_message(message: &str) -> Option<&str> {
        let body = message.rsplit_once("denied the request: ").map(|(_, b)| b).unwrap_or(message);
        let body = body.strip_prefix('[').unwrap_or(body);
        let body = body.split_once(" is invalid: ").map(|(_, b)| b).unwrap_or(body);
        let path = body.split_once(": ")?.0;
        if path.starts_with("spec") || path.starts_with("metadata") {
            Some(path)
        } else {
            None
        }
    }
}

fn lint_at(code: &str, message: String, help: &str, doc: &Document, span: Span) -> Diagnostic {
    Diagnostic::warning(code, message).with_help(help).at(Some(doc.index), Some(span))
}

fn policy_docs(scenario: &Scenario) -> Vec<(&Document, PolicyKind, &PropagationPolicy)> {
    scenario
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Apply(d) if d.context == KARMADA_CONTEXT => match &d.object {
                Object::Policy(k, p) => Some((d, *k, p.as_ref())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The templates with their claims, in the detector's key order (apiVersion, kind, namespace, name): a
/// policy's selectors are only checked against the run of templates of their own apiVersion and kind (every
/// selector names both) and namespace (a PropagationPolicy's own, or the selector's), not against the whole
/// scenario.
struct TemplateIndex<'d> {
    entries: Vec<TemplateEntry<'d>>,
}

/// One template of a [`TemplateIndex`], with the policy whose claim metadata it carries.
type TemplateEntry<'d> = (&'d crate::api::ResourceTemplate, Option<crate::api::PolicyRef>);

impl<'d> TemplateIndex<'d> {
    /// The templates no detector rule ignores.
    fn new(det: &'d Detector) -> Self {
        let entries = det
            .templates
            .values()
            .map(|st| &*st.template)
            .filter(|t| !namespace_ignored(&t.metadata.namespace))
            .map(|t| (t, crate::detector::claims::claimed_policy(&t.metadata.labels, &t.metadata.annotations)))
            .collect();
        TemplateIndex { entries }
    }

    /// The run of templates of `api_version` and `kind` (and `namespace`, if given).
    fn run(&self, api_version: &str, kind: &str, namespace: Option<&str>) -> &[TemplateEntry<'d>] {
        fn key(t: &crate::api::ResourceTemplate, by_namespace: bool) -> (&str, &str, Option<&str>) {
            (t.api_version.as_str(), t.kind.as_str(), by_namespace.then_some(t.metadata.namespace.as_str()))
        }
        let by_ns = namespace.is_some();
        let wanted = (api_version, kind, namespace);
        let start = self.entries.partition_point(|(t, _)| key(t, by_ns) < wanted);
        let len = self.entries.get(start..).unwrap_or(&[]).partition_point(|(t, _)| key(t, by_ns) == wanted);
        self.entries.get(start..start + len).unwrap_or(&[])
    }

    /// The templates any of `selectors` matches (each once), within `namespace` if given.
    fn matching(&self, selectors: &[ResourceSelector], namespace: Option<&str>) -> Vec<&TemplateEntry<'d>> {
        let mut found: Vec<&TemplateEntry<'d>> = Vec::new();
        for (i, rs) in selectors.iter().enumerate() {
            // A selector only matches its own namespace, if it names one (so a PropagationPolicy's selector
            // naming another namespace matches nothing).
            if namespace.is_some_and(|n| !rs.namespace.is_empty() && rs.namespace != n) {
                continue;
            }
            let ns = namespace.or((!rs.namespace.is_empty()).then_some(rs.namespace.as_str()));
            // apiVersion, kind and the selector's namespace hold across the run: only its name or labels are read
            // (a kind-wide selector matches its run without touching a template).
            let run = self.run(&rs.api_version, &rs.kind, ns);
            // Each template once: not again for a later selector of the same kind that matches it too.
            let earlier = selectors.get(..i).unwrap_or(&[]);
            let overlaps = earlier.iter().any(|e| e.api_version == rs.api_version && e.kind == rs.kind);
            found.extend(
                run.iter()
                    .filter(|(t, _)| name_or_labels_priority(t, rs) > ImplicitPriority::Mismatch)
                    .filter(|(t, _)| !(overlaps && resource_match_selectors(t, earlier))),
            );
        }
        found
    }
}

/// Every lint over the evaluated scenario. `clusters` are the names of the fleet the scheduler saw.
pub fn lint(
    scenario: &Scenario,
    det: &Detector,
    gate_preemption: bool,
    clusters: &[String],
    loc: &Locator,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let policies = policy_docs(scenario);
    // The last document of each policy identity is the one in effect.
    let mut seen = VecSet::new();
    let mut latest = Vec::new();
    for (d, k, p) in policies.iter().rev() {
        if seen.insert((*k, p.metadata.namespace.clone(), p.metadata.name.clone())) {
            latest.push((*d, *k, *p));
        }
    }
    latest.reverse();
    let templates = TemplateIndex::new(det);

    // Each policy's lints are independent of the others': computed on every core natively, kept in order.
    let per_policy = crate::util::map_in_order(&latest, |(doc, kind, p)| {
        lint_policy(doc, *kind, p, det, gate_preemption, clusters, loc, &templates)
    });
    out.extend(per_policy.into_iter().flatten());

    // Resources no policy matches.
    let documents = scenario.documents();
    for st in det.templates.values() {
        let t = &st.template;
        if crate::detector::claims::claimed_policy(&t.metadata.labels, &t.metadata.annotations).is_some() {
            continue;
        }
        // A dependency the dependencies distributor propagates with its workloads does not wait.
        let key = crate::detector::TemplateKey::of(t);
        if det.binding_of(&key).is_some_and(|b| !b.binding.required_by.is_empty()) {
            continue;
        }
        let Some(doc) = documents.get(t.document) else { continue };
        if namespace_ignored(&t.metadata.namespace) {
            out.push(lint_at(
                "namespace-ignored",
                format!("{} is in namespace {:?}, which Karmada's detector ignores (reserved or kube-*): no policy can propagate it", t.display(), t.metadata.namespace),
                "move it to another namespace",
                doc,
                loc.field(doc.span, "metadata.namespace"),
            ));
        } else {
            out.push(lint_at(
                "resource-unmatched",
                format!(
                    "no (Cluster)PropagationPolicy matches {}: it stays in karmada-apiserver and waits",
                    t.display()
                ),
                "add a policy whose resourceSelectors match its apiVersion, kind and namespace (and name or labels)",
                doc,
                loc.field(doc.span, "metadata.name"),
            ));
        }
    }

    // Names the API server would refuse.
    for s in &scenario.steps {
        let Step::Apply(doc) = s else { continue };
        let (ns, name, policy) = match &doc.object {
            Object::Template(t) => (t.metadata.namespace.as_str(), t.metadata.name.as_str(), false),
            Object::Policy(_, p) => (p.metadata.namespace.as_str(), p.metadata.name.as_str(), true),
            _ => continue,
        };
        if !ns.is_empty() && !crate::selector::is_dns1123_label(ns) {
            out.push(
                Diagnostic::error(
                    "invalid-name",
                    format!("metadata.namespace: Invalid value: {:?}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')", ns),
                )
                .with_help("the API server rejects the object")
                .at(Some(doc.index), Some(loc.field(doc.span, "metadata.namespace"))),
            );
        }
        if policy && !crate::selector::is_dns1123_subdomain(name) {
            out.push(
                Diagnostic::error(
                    "invalid-name",
                    format!("metadata.name: Invalid value: {:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", name),
                )
                .with_help("the API server rejects the object")
                .at(Some(doc.index), Some(loc.field(doc.span, "metadata.name"))),
            );
        }
    }

    // Clusters.
    let needs_capacity = latest.iter().any(|(_, _, p)| {
        p.spec.placement.replica_scheduling.as_ref().is_some_and(|r| {
            r.replica_division_preference == "Aggregated"
                || r.weight_preference.as_ref().is_some_and(|w| !w.dynamic_weight.is_empty())
        })
    });
    for s in &scenario.steps {
        let Step::Apply(doc) = s else { continue };
        let Object::Cluster(c) = &doc.object else { continue };
        if doc.context != KARMADA_CONTEXT {
            continue;
        }
        if !c.spec.zone.is_empty() && c.spec.zones.is_empty() {
            out.push(lint_at(
                "deprecated-cluster-zone",
                format!("Cluster {} sets the deprecated `spec.zone`: the scheduler's zone field selector and zone spread read `spec.zones` only", c.metadata.name),
                "use `zones: [<zone>]`",
                doc,
                loc.field(doc.span, "spec.zone"),
            ));
        }
        if let Some(st) = &c.status {
            if st.api_enablements.is_empty() {
                out.push(lint_at(
                    "cluster-missing-api-enablements",
                    format!("Cluster {} reports no `status.apiEnablements`: the APIEnablement filter excludes it for every resource", c.metadata.name),
                    "copy `status.apiEnablements` from `kubectl get cluster <name> -o yaml`",
                    doc,
                    loc.field(doc.span, "status"),
                ));
            }
            if needs_capacity && st.resource_summary.is_none() {
                out.push(lint_at(
                    "cluster-missing-resource-summary",
                    format!("Cluster {} has no `status.resourceSummary`: it counts as 0 available replicas for dynamic-weight and Aggregated division", c.metadata.name),
                    "copy `status.resourceSummary` from `kubectl get cluster <name> -o yaml`",
                    doc,
                    loc.field(doc.span, "status"),
                ));
            }
        }
        for (i, t) in c.spec.taints.iter().enumerate() {
            if !matches!(t.effect.as_str(), "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                out.push(
                    Diagnostic::error(
                        "cluster-invalid",
                        format!("Cluster {}: spec.taints[{i}].effect: Unsupported value: {:?}: supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"", c.metadata.name, t.effect),
                    )
                    .at(Some(doc.index), Some(loc.field(doc.span, &format!("spec.taints[{i}].effect")))),
                );
            }
        }
        if !c.spec.sync_mode.is_empty() && !matches!(c.spec.sync_mode.as_str(), "Push" | "Pull") {
            out.push(
                Diagnostic::error(
                    "cluster-invalid",
                    format!(
                        "Cluster {}: spec.syncMode: Unsupported value: {:?}: supported values: \"Push\", \"Pull\"",
                        c.metadata.name, c.spec.sync_mode
                    ),
                )
                .at(Some(doc.index), Some(loc.field(doc.span, "spec.syncMode"))),
            );
        }
    }
    out
}

/// The lints of one policy document: its spec, and what it matches and claims at the end of the stream.
#[allow(clippy::too_many_arguments)]
fn lint_policy(
    doc: &Document,
    kind: PolicyKind,
    p: &PropagationPolicy,
    det: &Detector,
    gate_preemption: bool,
    clusters: &[String],
    loc: &Locator,
    templates: &TemplateIndex<'_>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let name = match kind {
        PolicyKind::PropagationPolicy => format!("PropagationPolicy {}/{}", p.metadata.namespace, p.metadata.name),
        PolicyKind::ClusterPropagationPolicy => format!("ClusterPropagationPolicy {}", p.metadata.name),
    };
    let spec = &p.spec;
    // preemption with the gate off (karmada#4697)
    if spec.preemption == "Always" && !gate_preemption {
        out.push(lint_at(
            "preemption-gate-off",
            format!("{name} sets `preemption: Always`, but the PropagationPolicyPreemption feature gate is off: it will not take resources from other policies"),
            "start karmada-controller-manager with --feature-gates=PropagationPolicyPreemption=true (here: `# feature-gates: PropagationPolicyPreemption=true` or the CLI's --feature-gates)",
            doc,
            loc.field(doc.span, "spec.preemption"),
        ));
    }
    for (i, rs) in spec.resource_selectors.iter().enumerate() {
        if kind == PolicyKind::PropagationPolicy && !rs.namespace.is_empty() && rs.namespace != p.metadata.namespace {
            out.push(lint_at(
                "pp-foreign-namespace-selector",
                format!("{name} selects namespace {:?}, but a PropagationPolicy only ever matches resources of its own namespace {:?}", rs.namespace, p.metadata.namespace),
                "drop `namespace` from the selector, create the policy in that namespace, or use a ClusterPropagationPolicy",
                doc,
                loc.field(doc.span, &format!("spec.resourceSelectors[{i}].namespace")),
            ));
        }
        if kind == PolicyKind::ClusterPropagationPolicy
            && spec.preemption == "Always"
            && rs.namespace.is_empty()
            && !is_cluster_scoped(&rs.api_version, &rs.kind)
        {
            out.push(lint_at(
                "cpp-preemption-needs-namespace",
                format!("{name} selects the namespaced kind {} without `namespace`: it matches, but its preemption can never find the resource to take over", rs.kind),
                "add `namespace:` to the selector (Karmada looks the resource up by namespace and name to preempt it)",
                doc,
                loc.field(doc.span, &format!("spec.resourceSelectors[{i}]")),
            ));
        }
    }
    // Label selectors that do not convert: Karmada accepts them and they never match.
    let mut selectors: Vec<(String, &crate::api::LabelSelector)> = Vec::new();
    for (i, rs) in spec.resource_selectors.iter().enumerate() {
        if let Some(ls) = &rs.label_selector {
            selectors.push((format!("spec.resourceSelectors[{i}].labelSelector"), ls));
        }
    }
    if let Some(ls) = spec.placement.cluster_affinity.as_ref().and_then(|a| a.label_selector.as_ref()) {
        selectors.push(("spec.placement.clusterAffinity.labelSelector".into(), ls));
    }
    for (i, t) in spec.placement.cluster_affinities.as_deref().unwrap_or(&[]).iter().enumerate() {
        if let Some(ls) = &t.label_selector {
            selectors.push((format!("spec.placement.clusterAffinities[{i}].labelSelector"), ls));
        }
    }
    for (path, ls) in selectors {
        if crate::selector::label_selector_matches(ls, &Default::default()).is_none() {
            out.push(
                Diagnostic::error(
                    "invalid-label-selector",
                    format!("{name}: {path} is not a valid label selector (operators are In, NotIn, Exists, DoesNotExist; In/NotIn need values; keys and values must be valid labels): Karmada accepts it, and it never matches"),
                )
                .with_help("fix the operator, key or values")
                .at(Some(doc.index), Some(loc.field(doc.span, &path))),
            );
        }
    }
    let sc = &spec.placement.spread_constraints;
    for (i, c) in sc.iter().enumerate() {
        if !c.spread_by_label.is_empty() {
            out.push(lint_at(
                "spread-by-label",
                format!("{name} spreads by label {:?}: the webhook accepts it, but karmada-scheduler fails with \"just support cluster and region spread constraint\"", c.spread_by_label),
                "use `spreadByField: cluster` or `region` (with a `cluster` constraint)",
                doc,
                loc.field(doc.span, &format!("spec.placement.spreadConstraints[{i}].spreadByLabel")),
            ));
        }
    }
    if sc.iter().any(|c| matches!(c.spread_by_field.as_str(), "region" | "zone" | "provider"))
        && !sc
            .iter()
            .any(|c| c.spread_by_field == "cluster" || (c.spread_by_field.is_empty() && c.spread_by_label.is_empty()))
    {
        out.push(lint_at(
            "spread-without-cluster-constraint",
            format!(
                "{name} spreads by region/zone/provider without a `cluster` spread constraint: the webhook rejects it"
            ),
            "add `- spreadByField: cluster` with minGroups/maxGroups to spreadConstraints",
            doc,
            loc.field(doc.span, "spec.placement.spreadConstraints"),
        ));
    }
    // clusterNames naming unknown clusters
    let mut affinities: Vec<(String, &ClusterAffinity)> = Vec::new();
    if let Some(a) = &spec.placement.cluster_affinity {
        affinities.push(("spec.placement.clusterAffinity".into(), a));
    }
    if let Some(rs) = &spec.placement.replica_scheduling {
        if let Some(wp) = &rs.weight_preference {
            for (i, w) in wp.static_weight_list.iter().enumerate() {
                affinities.push((
                    format!("spec.placement.replicaScheduling.weightPreference.staticWeightList[{i}].targetCluster"),
                    &w.target_cluster,
                ));
            }
        }
    }
    let term_names: Vec<(String, Vec<String>)> = spec
        .placement
        .cluster_affinities
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("spec.placement.clusterAffinities[{i}]"), t.cluster_names.clone()))
        .collect();
    let mut name_lists: Vec<(String, Vec<String>)> =
        affinities.iter().map(|(p, a)| (p.clone(), a.cluster_names.clone())).collect();
    name_lists.extend(term_names);
    if !clusters.is_empty() {
        for (path, names) in name_lists {
            for (j, n) in names.iter().enumerate() {
                if !clusters.contains(n) {
                    out.push(lint_at(
                        "unknown-cluster-name",
                        format!("{name} names cluster {n:?}, which is not in the fleet ({})", clusters.join(", ")),
                        "check the spelling, or add the Cluster document",
                        doc,
                        loc.field(doc.span, &format!("{path}.clusterNames[{j}]")),
                    ));
                }
            }
        }
    }
    // Does the policy exist at the end (not denied, not deleted), and what does it match?
    let key = crate::api::PolicyRef { kind, namespace: p.metadata.namespace.clone(), name: p.metadata.name.clone() };
    let Some(stored) = det.policies.get(&key) else { return out };
    if stored.document != doc.index {
        return out;
    }
    let own_namespace = (kind == PolicyKind::PropagationPolicy).then_some(p.metadata.namespace.as_str());
    let matching = templates.matching(&stored.spec.resource_selectors, own_namespace);
    let span = loc.field(doc.span, "spec.resourceSelectors");
    if matching.is_empty() {
        out.push(lint_at(
            "policy-matches-nothing",
            format!("{name} matches no resource template of the scenario"),
            "check apiVersion, kind, namespace, name and labels of its resourceSelectors against your resources",
            doc,
            span,
        ));
    } else {
        let claims_any = matching.iter().any(|(_, claim)| claim.as_ref() == Some(&key));
        if !claims_any {
            // Each claiming policy named once (neighbours in key order mostly share theirs), not formatted
            // per template: a policy can match thousands.
            let (mut distinct, mut last): (Vec<&crate::api::PolicyRef>, _) = (Vec::new(), None);
            for r in matching.iter().filter_map(|(_, claim)| claim.as_ref()) {
                if last != Some(r) && !distinct.contains(&r) {
                    distinct.push(r);
                }
                last = Some(r);
            }
            let holders: VecSet<String> = distinct.into_iter().map(|r| r.display()).collect();
            out.push(lint_at(
                "policy-shadowed",
                format!(
                    "{name} matches {} resource(s) but claims none: {} claim them",
                    matching.len(),
                    if holders.is_empty() { "no policy".to_string() } else { holders.into_iter().collect::<Vec<_>>().join(", ") }
                ),
                "claims are sticky: raise `priority` and set `preemption: Always` (with the feature gate on) to take them over, or make the other policy's selectors narrower",
                doc,
                span,
            ));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    /// The index's runs find exactly the templates a scan of every template with `ResourceMatchSelectors` (and
    /// the PropagationPolicy's namespace) finds, each once: kind-wide, named, labelled and overlapping
    /// selectors, with and without a namespace.
    #[test]
    fn matching_agrees_with_a_scan_of_every_template() {
        let mut text = String::new();
        for (i, ns) in ["a", "a-b", "b"].iter().enumerate() {
            for (kind, api) in [("Deployment", "apps/v1"), ("ConfigMap", "v1")] {
                for (j, app) in ["x", "y", "x"].iter().enumerate() {
                    text.push_str(&format!(
                        "---\napiVersion: {api}\nkind: {kind}\nmetadata: {{name: n{j}, namespace: {ns}, labels: {{app: {app}, i: \"{i}\"}}}}\n"
                    ));
                }
            }
        }
        let ev = crate::evaluate(&text, &Default::default()).expect("scenario evaluates");
        let index = TemplateIndex::new(&ev.det);
        let candidates: Vec<ResourceSelector> = [
            "{apiVersion: apps/v1, kind: Deployment}",
            "{apiVersion: apps/v1, kind: Deployment, namespace: a}",
            "{apiVersion: apps/v1, kind: Deployment, name: n1}",
            "{apiVersion: apps/v1, kind: Deployment, namespace: a-b, name: n2}",
            "{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {app: x}}}",
            "{apiVersion: apps/v1, kind: Deployment, name: n0, labelSelector: {matchLabels: {app: y}}}",
            "{apiVersion: v1, kind: ConfigMap, namespace: b, labelSelector: {matchExpressions: [{key: i, operator: In, values: ['0', '2']}]}}",
            "{apiVersion: v1, kind: ConfigMap, labelSelector: {matchLabels: {app: 'bad value!'}}}",
            "{apiVersion: v2, kind: ConfigMap}",
        ]
        .iter()
        .map(|y| serde_yaml::from_str(y).expect("selector"))
        .collect();
        let mut sets: Vec<Vec<ResourceSelector>> = candidates.iter().map(|c| vec![c.clone()]).collect();
        for a in &candidates {
            for b in &candidates {
                sets.push(vec![a.clone(), b.clone()]);
            }
        }
        for sels in &sets {
            for ns in [None, Some("a"), Some("a-b")] {
                let mut got: Vec<*const _> = index.matching(sels, ns).iter().map(|(t, _)| *t as *const _).collect();
                let mut want: Vec<*const _> = index
                    .entries
                    .iter()
                    .filter(|(t, _)| ns.is_none_or(|n| t.metadata.namespace == n) && resource_match_selectors(t, sels))
                    .map(|(t, _)| *t as *const _)
                    .collect();
                got.sort();
                want.sort();
                assert_eq!(got, want, "selectors {sels:?} in namespace {ns:?}");
            }
        }
    }
}
