//! The evaluation pipeline: scenario → detector events → bindings → scheduler → report.

use crate::api::cluster::{ApiEnablement, ApiResource, Cluster, ClusterStatus};
use crate::api::policy::PolicyKind;
use crate::api::PolicyRef;
use crate::detector::{Detector, TemplateKey};
use crate::diagnostic::Diagnostic;
use crate::report::*;
use crate::scenario::{self, FeatureGates, Object, Scenario, Step, KARMADA_CONTEXT};
use crate::scheduler;
use crate::selector::ImplicitPriority;
use std::collections::BTreeMap;

/// Evaluation options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Feature gates that override the scenario's `# feature-gates:` directive (the CLI's `--feature-gates`).
    pub feature_gates: Option<String>,
}

/// A failed evaluation: the input could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .diagnostics.first().map(|d| d.message.as_str()).unwrap_or("invalid input"))]
pub struct InputError {
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and evaluates a scenario.
pub fn evaluate(text: &str, options: &Options) -> Result<Report, InputError> {
    let scenario = scenario::parse(text).map_err(|diagnostics| InputError { diagnostics })?;
    evaluate_scenario(&scenario, options)
}

/// The clusters `hack/local-up-karmada.sh` creates, used when a scenario has no Cluster document.
fn default_clusters() -> Vec<Cluster> {
    ["member1", "member2", "member3"]
        .iter()
        .map(|n| {
            let mut c = Cluster {
                api_version: "cluster.karmada.io/v1alpha1".into(),
                kind: "Cluster".into(),
                ..Default::default()
            };
            c.metadata.name = (*n).into();
            c.spec.sync_mode = if *n == "member3" { "Pull".into() } else { "Push".into() };
            c
        })
        .collect()
}

/// Evaluates a parsed scenario.
pub fn evaluate_scenario(scenario: &Scenario, options: &Options) -> Result<Report, InputError> {
    let mut gates = scenario.gates;
    if let Some(over) = &options.feature_gates {
        gates = FeatureGates { propagation_policy_preemption: gates.propagation_policy_preemption };
        gates.merge(over).map_err(|m| InputError {
            diagnostics: vec![Diagnostic::error("bad-feature-gates", format!("invalid --feature-gates: {m}"))],
        })?;
    }
    let mut det = Detector::new(gates.preemption());
    let mut diagnostics = scenario.diagnostics.clone();
    let mut clusters: BTreeMap<String, (Cluster, usize)> = BTreeMap::new();
    let mut api_kinds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut member_docs = 0usize;

    for step in &scenario.steps {
        match step {
            Step::Apply(doc) if doc.context != KARMADA_CONTEXT => {
                member_docs += 1;
                let _ = doc;
            }
            Step::Apply(doc) => match &doc.object {
                Object::Cluster(c) => {
                    clusters.insert(c.metadata.name.clone(), ((**c).clone(), doc.index));
                }
                Object::Policy(kind, p) => det.apply_policy(*kind, p, doc.index, doc.span),
                Object::Template(t) => {
                    let kinds = api_kinds.entry(t.api_version.clone()).or_default();
                    if !kinds.contains(&t.kind) {
                        kinds.push(t.kind.clone());
                    }
                    det.apply_template(t);
                }
                Object::Other { api_version, kind, name } => {
                    if api_version.starts_with("policy.karmada.io/")
                        && (kind == "OverridePolicy" || kind == "ClusterOverridePolicy")
                    {
                        let ns = if kind == "OverridePolicy" { "default".to_string() } else { String::new() };
                        det.overrides.insert((ns, name.clone()));
                    }
                }
            },
            Step::Delete { kind, namespace, name, span, context } => {
                if context != KARMADA_CONTEXT {
                    continue;
                }
                let doc = det.timeline.last().map(|e| e.document).unwrap_or(0);
                let found = match kind.as_str() {
                    "PropagationPolicy" | "ClusterPropagationPolicy" => {
                        let pk = if kind == "PropagationPolicy" {
                            PolicyRef {
                                kind: PolicyKind::PropagationPolicy,
                                namespace: if namespace.is_empty() { "default".into() } else { namespace.clone() },
                                name: name.clone(),
                            }
                        } else {
                            PolicyRef {
                                kind: PolicyKind::ClusterPropagationPolicy,
                                namespace: String::new(),
                                name: name.clone(),
                            }
                        };
                        det.delete_policy(&pk, doc)
                    }
                    "OverridePolicy" | "ClusterOverridePolicy" => {
                        let ns = if kind == "OverridePolicy" {
                            if namespace.is_empty() {
                                "default".to_string()
                            } else {
                                namespace.clone()
                            }
                        } else {
                            String::new()
                        };
                        det.overrides.remove(&(ns, name.clone()))
                    }
                    "Cluster" => clusters.remove(name).is_some(),
                    _ => {
                        let keys: Vec<TemplateKey> = det
                            .templates
                            .keys()
                            .filter(|k| {
                                k.kind == *kind
                                    && k.name == *name
                                    && (k.namespace == *namespace || (namespace.is_empty() && k.namespace == "default"))
                            })
                            .cloned()
                            .collect();
                        let mut any = false;
                        for k in keys {
                            any |= det.delete_template(&k, doc);
                        }
                        any
                    }
                };
                if !found {
                    diagnostics.push(
                        Diagnostic::info(
                            "delete-missing",
                            format!("delete: {kind} {namespace}/{name} does not exist; nothing deleted"),
                        )
                        .at(None, Some(*span)),
                    );
                }
            }
        }
    }
    if member_docs > 0 {
        diagnostics.push(Diagnostic::info(
            "member-objects-not-modelled",
            format!("{member_docs} document(s) under `# context: <member>` describe objects already in member clusters; this version does not model applying to member clusters yet"),
        ));
    }

    // Final cluster set.
    let mut cluster_list: Vec<Cluster> = Vec::new();
    if clusters.is_empty() {
        diagnostics.push(
            Diagnostic::info(
                "assumed-clusters",
                "the scenario has no Cluster document: assuming member1, member2 and member3 as hack/local-up-karmada.sh creates them, serving every API kind of the scenario",
            )
            .with_help("add Cluster documents (cluster.karmada.io/v1alpha1) to describe your fleet"),
        );
        for mut c in default_clusters() {
            c.status = Some(synth_status(&api_kinds));
            cluster_list.push(c);
        }
    } else {
        for (name, (mut c, doc)) in clusters {
            if c.status.is_none() {
                diagnostics.push(
                    Diagnostic::warning(
                        "synthesized-cluster-status",
                        format!("Cluster {name} has no status: assuming it serves every API kind of the scenario and reports no resourceSummary (0 available replicas)"),
                    )
                    .with_help("copy `status.apiEnablements` and `status.resourceSummary` from `kubectl get cluster -o yaml`")
                    .at(Some(doc), None),
                );
                c.status = Some(synth_status(&api_kinds));
            }
            cluster_list.push(c);
        }
    }

    diagnostics.extend(det.diagnostics.iter().cloned());
    // Preemption with the gate off (karmada#4697).
    if !gates.preemption() {
        for p in det.policies.values().filter(|p| p.spec.preemption_always()) {
            diagnostics.push(
                Diagnostic::warning(
                    "preemption-gate-off",
                    format!(
                        "{} sets `preemption: Always`, but the PropagationPolicyPreemption feature gate is off: it will not take resources from other policies",
                        p.reference().display()
                    ),
                )
                .with_help("start karmada-controller-manager with --feature-gates=PropagationPolicyPreemption=true (here: `# feature-gates: PropagationPolicyPreemption=true` or the CLI's --feature-gates)")
                .at(Some(p.document), None),
            );
        }
    }

    let mut resources = Vec::new();
    for (key, st) in &det.templates {
        let t = &st.template;
        let claim = crate::detector::claims::claimed_policy(&t.metadata.labels, &t.metadata.annotations);
        let bkey = (key.namespace.clone(), crate::api::binding_name(&key.kind, &key.name));
        let binding = det.bindings.get(&bkey).filter(|b| b.owner == *key);
        let (placement, error, sched_explain) = match binding {
            Some(b) => {
                let r = scheduler::schedule(&b.binding, &cluster_list);
                let placement =
                    r.clusters.iter().map(|c| PlacementOut { cluster: c.name.clone(), replicas: c.replicas }).collect();
                (placement, r.error, Some(r.explain))
            }
            None => (Vec::new(), None, None),
        };
        let mut verdicts: Vec<PolicyVerdict> = det
            .candidates(t)
            .into_iter()
            .map(|(p, imp)| {
                let is_claimer = claim.as_ref() == Some(&p.reference());
                let (verdict, reason) = if is_claimer {
                    ("claims", "its claim metadata is on the template".to_string())
                } else if imp == ImplicitPriority::Mismatch {
                    ("no match", "none of its resourceSelectors matches".to_string())
                } else if claim.is_some() {
                    (
                        "matches",
                        "matches, but the template is already claimed and claims are sticky (only preemption moves them)".to_string(),
                    )
                } else {
                    ("matches", "matches but did not win".to_string())
                };
                PolicyVerdict {
                    policy: PolicyOut { kind: p.kind.as_str().into(), namespace: p.namespace.clone(), name: p.name.clone() },
                    priority: p.spec.explicit_priority(),
                    implicit_priority: imp as u8,
                    preemption: p.spec.preemption_always(),
                    verdict: verdict.into(),
                    reason,
                }
            })
            .collect();
        verdicts.sort_by(|a, b| {
            (
                b.verdict == "claims",
                a.policy.kind.as_str(),
                -(a.priority as i64),
                u8::MAX - a.implicit_priority,
                &a.policy.name,
            )
                .cmp(&(
                    a.verdict == "claims",
                    b.policy.kind.as_str(),
                    -(b.priority as i64),
                    u8::MAX - b.implicit_priority,
                    &b.policy.name,
                ))
        });
        let display = key.display();
        let events = det.timeline.iter().filter(|e| e.subject == display).cloned().collect();
        resources.push(ResourceResult {
            api_version: key.api_version.clone(),
            kind: key.kind.clone(),
            namespace: key.namespace.clone(),
            name: key.name.clone(),
            policy: claim.map(|c| PolicyOut { kind: c.kind.as_str().into(), namespace: c.namespace, name: c.name }),
            binding: binding.map(|b| b.binding.name.clone()),
            placement,
            error,
            binding_kind: binding.map(|b| b.binding.kind().to_string()),
            document: t.document,
            explain: ResourceExplain { policies: verdicts, events, scheduler: sched_explain },
        });
    }

    Ok(Report {
        karmada_commit: KARMADA_COMMIT.into(),
        feature_gates: FeatureGatesOut { propagation_policy_preemption: gates.preemption() },
        resources,
        clusters: cluster_list.iter().map(|c| c.metadata.name.clone()).collect(),
        timeline: det.timeline.clone(),
        diagnostics,
    })
}

fn synth_status(api_kinds: &BTreeMap<String, Vec<String>>) -> ClusterStatus {
    ClusterStatus {
        api_enablements: api_kinds
            .iter()
            .map(|(gv, kinds)| ApiEnablement {
                group_version: gv.clone(),
                resources: kinds
                    .iter()
                    .map(|k| ApiResource { name: format!("{}s", k.to_lowercase()), kind: k.clone() })
                    .collect(),
            })
            .collect(),
        ..Default::default()
    }
}
