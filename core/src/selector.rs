//! Selector semantics: Kubernetes label selectors, Karmada resource selectors (implicit priority) and
//! cluster affinity (`pkg/util/selector.go`).

use crate::api::cluster::Cluster;
use crate::api::meta::{LabelSelector, LabelSelectorRequirement};
use crate::api::policy::{ClusterAffinity, ResourceSelector};
use crate::api::template::ResourceTemplate;
use crate::util::VecMap;

/// Implicit priority of a resource selector match (`util.ImplicitPriority`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ImplicitPriority {
    /// No match.
    Mismatch = 0,
    /// apiVersion + kind only.
    MatchAll = 1,
    /// labelSelector match (an empty `{}` selector counts here too).
    MatchLabelSelector = 2,
    /// name match.
    MatchName = 3,
}

impl ImplicitPriority {
    /// Human name used in explanations.
    pub fn describe(self) -> &'static str {
        match self {
            ImplicitPriority::Mismatch => "no match",
            ImplicitPriority::MatchAll => "kind match (implicit priority 1)",
            ImplicitPriority::MatchLabelSelector => "labelSelector match (implicit priority 2)",
            ImplicitPriority::MatchName => "name match (implicit priority 3)",
        }
    }
}

/// `ResourceSelectorPriority` (`pkg/util/selector.go`).
pub fn resource_selector_priority(obj: &ResourceTemplate, rs: &ResourceSelector) -> ImplicitPriority {
    if obj.api_version != rs.api_version
        || obj.kind != rs.kind
        || (!rs.namespace.is_empty() && obj.metadata.namespace != rs.namespace)
    {
        return ImplicitPriority::Mismatch;
    }
    name_or_labels_priority(obj, rs)
}

/// The rest of [`resource_selector_priority`] once apiVersion, kind and namespace hold: the selector's name, or
/// else its labelSelector (the lints call it on runs of templates where they are known to hold).
pub fn name_or_labels_priority(obj: &ResourceTemplate, rs: &ResourceSelector) -> ImplicitPriority {
    // A name makes the labelSelector irrelevant.
    if !rs.name.is_empty() {
        return if rs.name == obj.metadata.name { ImplicitPriority::MatchName } else { ImplicitPriority::Mismatch };
    }
    match &rs.label_selector {
        None => ImplicitPriority::MatchAll,
        // A non-matching or invalid selector is a mismatch.
        Some(sel) if label_selector_selects(sel, &obj.metadata.labels) => ImplicitPriority::MatchLabelSelector,
        Some(_) => ImplicitPriority::Mismatch,
    }
}

/// `ResourceMatchSelectorsPriority`: the best priority over all selectors (the policy's implicit priority).
pub fn resource_match_selectors_priority(obj: &ResourceTemplate, sels: &[ResourceSelector]) -> ImplicitPriority {
    sels.iter().map(|rs| resource_selector_priority(obj, rs)).max().unwrap_or(ImplicitPriority::Mismatch)
}

/// `ResourceMatchSelectors`: any selector matches.
pub fn resource_match_selectors(obj: &ResourceTemplate, sels: &[ResourceSelector]) -> bool {
    sels.iter().any(|rs| resource_selector_priority(obj, rs) > ImplicitPriority::Mismatch)
}

/// `metav1.LabelSelectorAsSelector(sel).Matches(labels)`: `None` when the selector does not convert
/// (bad operator, bad key or value), which every caller in Karmada treats as "no match".
pub fn label_selector_matches(sel: &LabelSelector, labels: &VecMap<String, String>) -> Option<bool> {
    label_selector_valid(sel).then(|| labels_satisfy(sel, labels))
}

/// `label_selector_matches(..) == Some(true)`: the selector converts and matches. The labels are checked
/// first (most pairs of a fleet fail on the first label), the selector's validity only for a match.
pub fn label_selector_selects(sel: &LabelSelector, labels: &VecMap<String, String>) -> bool {
    labels_satisfy(sel, labels) && label_selector_valid(sel)
}

/// Whether `metav1.LabelSelectorAsSelector` converts the selector.
fn label_selector_valid(sel: &LabelSelector) -> bool {
    sel.match_labels.iter().all(|(k, v)| is_qualified_name(k) && is_label_value(v))
        && sel.match_expressions.iter().all(|r| validate_requirement(r, false).is_some())
}

/// The selector's labels and requirements hold for `labels` (validity aside).
fn labels_satisfy(sel: &LabelSelector, labels: &VecMap<String, String>) -> bool {
    sel.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
        && sel.match_expressions.iter().all(|r| requirement_matches(r, labels.get(&r.key).map(String::as_str)))
}

/// Checks one requirement as `labels.NewRequirement` does; `node` allows `Gt`/`Lt`.
fn validate_requirement(r: &LabelSelectorRequirement, node: bool) -> Option<()> {
    if !is_qualified_name(&r.key) {
        return None;
    }
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if r.values.is_empty() {
                return None;
            }
        }
        "Exists" | "DoesNotExist" => {
            if !r.values.is_empty() {
                return None;
            }
        }
        "Gt" | "Lt" if node => {
            if r.values.len() != 1 {
                return None;
            }
            r.values.first()?.parse::<i64>().ok()?;
        }
        _ => return None,
    }
    if r.values.iter().all(|v| is_label_value(v)) {
        Some(())
    } else {
        None
    }
}

fn requirement_matches(r: &LabelSelectorRequirement, v: Option<&str>) -> bool {
    match r.operator.as_str() {
        "In" => v.is_some_and(|v| r.values.iter().any(|x| x == v)),
        "NotIn" => v.is_none_or(|v| !r.values.iter().any(|x| x == v)),
        "Exists" => v.is_some(),
        "DoesNotExist" => v.is_none(),
        "Gt" | "Lt" => {
            let (Some(have), Some(want)) =
                (v.and_then(|v| v.parse::<i64>().ok()), r.values.first().and_then(|w| w.parse::<i64>().ok()))
            else {
                return false;
            };
            if r.operator == "Gt" {
                have > want
            } else {
                have < want
            }
        }
        _ => false,
    }
}

/// `util.ClusterMatches`: exclude, labelSelector, fieldSelector (zones special-cased), clusterNames.
pub fn cluster_matches(cluster: &Cluster, affinity: &ClusterAffinity) -> bool {
    let name = cluster.name();
    if affinity.exclude.iter().any(|e| e == name) {
        return false;
    }
    if let Some(sel) = &affinity.label_selector {
        if !label_selector_selects(sel, &cluster.metadata.labels) {
            return false;
        }
    }
    if let Some(fs) = &affinity.field_selector {
        let mut others = Vec::new();
        for expr in &fs.match_expressions {
            if expr.key == "zone" {
                if !match_zones(expr, &cluster.spec.zones) {
                    return false;
                }
            } else {
                others.push(expr);
            }
        }
        if !others.is_empty() {
            if others.iter().any(|r| validate_requirement(r, true).is_none()) {
                return false;
            }
            // The fields a cluster has: its provider and region, when set.
            let field = |key: &str| {
                let value = match key {
                    "provider" => cluster.spec.provider.as_str(),
                    "region" => cluster.spec.region.as_str(),
                    _ => "",
                };
                Some(value).filter(|v| !v.is_empty())
            };
            if !others.iter().all(|r| requirement_matches(r, field(&r.key))) {
                return false;
            }
        }
    }
    affinity.cluster_names.is_empty() || affinity.cluster_names.iter().any(|n| n == name)
}

/// `matchZones`: the `zone` key reads `spec.zones` (plural).
fn match_zones(r: &LabelSelectorRequirement, zones: &[String]) -> bool {
    match r.operator.as_str() {
        "In" => zones.iter().any(|z| r.values.contains(z)),
        "NotIn" => !zones.iter().any(|z| r.values.contains(z)),
        "Exists" => !zones.is_empty(),
        "DoesNotExist" => zones.is_empty(),
        _ => false,
    }
}

/// A DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 chars).
pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A DNS-1123 subdomain (at most 253 chars of dot-separated labels).
pub fn is_dns1123_subdomain(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 253
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'.')
        && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
}

fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A qualified name (`[prefix/]name`), the syntax of label keys.
pub fn is_qualified_name(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => is_dns1123_subdomain(prefix) && is_name_part(name),
        None => is_name_part(s),
    }
}

/// A label value: empty, or a name part of at most 63 chars.
pub fn is_label_value(s: &str) -> bool {
    s.is_empty() || is_name_part(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{label_selector_matches, label_selector_selects};
    use crate::api::{LabelSelector, LabelSelectorRequirement};
    use crate::util::VecMap;

    #[test]
    fn selects_is_a_valid_match() {
        let req = |key: &str, operator: &str, values: &[&str]| LabelSelectorRequirement {
            key: key.into(),
            operator: operator.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let labels = |pairs: &[(&str, &str)]| -> VecMap<String, String> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let mut selectors = Vec::new();
        for match_labels in [labels(&[]), labels(&[("app", "a")]), labels(&[("app", "a"), ("bad key!", "x")])] {
            for exprs in [
                vec![],
                vec![req("tier", "In", &["web"])],
                vec![req("tier", "In", &[])],
                vec![req("tier", "Exists", &["x"])],
                vec![req("tier", "NotIn", &["db"]), req("app", "Bogus", &[])],
                vec![req("tier", "DoesNotExist", &[])],
            ] {
                selectors.push(LabelSelector { match_labels: match_labels.clone(), match_expressions: exprs });
            }
        }
        let label_sets =
            [labels(&[]), labels(&[("app", "a")]), labels(&[("app", "a"), ("tier", "web")]), labels(&[("tier", "db")])];
        let (mut valid_matches, mut invalid) = (0, 0);
        for sel in &selectors {
            for l in &label_sets {
                let m = label_selector_matches(sel, l);
                assert_eq!(label_selector_selects(sel, l), m == Some(true), "{sel:?} on {l:?}");
                valid_matches += usize::from(m == Some(true));
                invalid += usize::from(m.is_none());
            }
        }
        // Both kinds of outcome were exercised.
        assert!(valid_matches > 5 && invalid > 5, "{valid_matches} {invalid}");
    }
}
