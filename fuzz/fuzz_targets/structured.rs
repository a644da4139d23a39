//! Scenarios built from valid shapes (clusters, policies, templates, overrides, directives), so the fuzzer
//! reaches the detector's event paths and the scheduler rather than stopping at the YAML parser.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = ["a", "b", "web", "db"];
const NS: [&str; 3] = ["default", "team-a", "kube-system"];
const CLUSTERS: [&str; 4] = ["member1", "member2", "member3", "edge"];

#[derive(Debug, Arbitrary)]
struct Cluster {
    name: u8,
    env: bool,
    region: Option<u8>,
    zones: Vec<u8>,
    taint: Option<(bool, u8)>,
    pods: Option<u16>,
    cpu: u8,
    no_status: bool,
}

#[derive(Debug, Arbitrary)]
enum Selector {
    Kind(u8),
    Name(u8, u8),
    Labels(u8, bool),
}

#[derive(Debug, Arbitrary)]
enum Division {
    None,
    Duplicated,
    Static(Vec<(u8, u8)>),
    Dynamic,
    Aggregated,
    Empty,
}

#[derive(Debug, Arbitrary)]
struct Policy {
    cluster_scoped: bool,
    name: u8,
    ns: u8,
    priority: Option<i8>,
    preemption: bool,
    selectors: Vec<Selector>,
    names: Vec<u8>,
    label_env: Option<bool>,
    region_in: Option<u8>,
    affinities: Vec<Vec<u8>>,
    spread: Option<(u8, i8, i8)>,
    division: Division,
    tolerate: bool,
    overwrite: bool,
}

#[derive(Debug, Arbitrary)]
struct Template {
    kind: u8,
    name: u8,
    ns: u8,
    app: u8,
    replicas: Option<i32>,
    cpu_milli: Option<u16>,
    uid: u32,
}

#[derive(Debug, Arbitrary)]
enum Step {
    Cluster(Cluster),
    Policy(Policy),
    Template(Template),
    Override { name: u8, cluster: u8, image: bool, replicas: u8 },
    Delete { what: u8, name: u8 },
    Member { cluster: u8, template: Template, managed: bool },
}

#[derive(Debug, Arbitrary)]
struct Scenario {
    gate: bool,
    steps: Vec<Step>,
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list.get(usize::from(i) % list.len()).copied().unwrap_or("x")
}

fn kind_of(k: u8) -> (&'static str, &'static str) {
    match k % 5 {
        0 => ("apps/v1", "Deployment"),
        1 => ("v1", "Service"),
        2 => ("v1", "ConfigMap"),
        3 => ("batch/v1", "Job"),
        _ => ("v1", "Namespace"),
    }
}

fn template(t: &Template) -> String {
    let (av, kind) = kind_of(t.kind);
    let ns = if kind == "Namespace" { String::new() } else { format!("  namespace: {}\n", pick(&NS, t.ns)) };
    let mut s = format!(
        "apiVersion: {av}\nkind: {kind}\nmetadata:\n  name: {}\n{ns}  uid: u{}\n  labels: {{app: {}}}\n",
        pick(&NAMES, t.name),
        t.uid,
        pick(&NAMES, t.app)
    );
    if kind == "Deployment" || kind == "Job" {
        let reps = t.replicas.map(|r| format!("  replicas: {r}\n  parallelism: {r}\n")).unwrap_or_default();
        let req = t.cpu_milli.map(|m| format!("\n        resources: {{requests: {{cpu: {m}m}}}}")).unwrap_or_default();
        s.push_str(&format!("spec:\n{reps}  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx{req}\n"));
    }
    s
}

fn render(sc: &Scenario) -> String {
    let mut docs = vec![format!("# feature-gates: PropagationPolicyPreemption={}\n", sc.gate)];
    for step in sc.steps.iter().take(40) {
        let doc = match step {
            Step::Cluster(c) => {
                let mut s = format!(
                    "apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: {}\n  labels: {{env: {}}}\nspec:\n  syncMode: Push\n",
                    pick(&CLUSTERS, c.name),
                    if c.env { "prod" } else { "dev" }
                );
                if let Some(r) = c.region {
                    s.push_str(&format!("  region: r{}\n", r % 3));
                }
                if !c.zones.is_empty() {
                    let z: Vec<String> = c.zones.iter().take(3).map(|z| format!("z{}", z % 4)).collect();
                    s.push_str(&format!("  zones: [{}]\n", z.join(", ")));
                }
                if let Some((exec, k)) = c.taint {
                    s.push_str(&format!("  taints:\n  - {{key: k{}, effect: {}}}\n", k % 2, if exec { "NoExecute" } else { "NoSchedule" }));
                }
                if !c.no_status {
                    s.push_str("status:\n  apiEnablements:\n  - groupVersion: apps/v1\n    resources: [{kind: Deployment, name: deployments}]\n  - groupVersion: v1\n    resources: [{kind: Service, name: services}, {kind: ConfigMap, name: configmaps}, {kind: Namespace, name: namespaces}]\n");
                    if let Some(p) = c.pods {
                        s.push_str(&format!("  resourceSummary:\n    allocatable: {{cpu: '{}', pods: '{p}'}}\n    allocated: {{cpu: '1'}}\n", c.cpu % 16));
                    }
                }
                s
            }
            Step::Policy(p) => {
                let kind = if p.cluster_scoped { "ClusterPropagationPolicy" } else { "PropagationPolicy" };
                let ns = if p.cluster_scoped { String::new() } else { format!(", namespace: {}", pick(&NS, p.ns)) };
                let mut s = format!("apiVersion: policy.karmada.io/v1alpha1\nkind: {kind}\nmetadata: {{name: p{}{ns}}}\nspec:\n", p.name % 4);
                if let Some(pr) = p.priority {
                    s.push_str(&format!("  priority: {pr}\n"));
                }
                if p.preemption {
                    s.push_str("  preemption: Always\n");
                }
                if p.overwrite {
                    s.push_str("  conflictResolution: Overwrite\n");
                }
                s.push_str("  resourceSelectors:\n");
                if p.selectors.is_empty() {
                    s.push_str("  - {apiVersion: apps/v1, kind: Deployment}\n");
                }
                for sel in p.selectors.iter().take(3) {
                    s.push_str(&match sel {
                        Selector::Kind(k) => {
                            let (av, kd) = kind_of(*k);
                            format!("  - {{apiVersion: {av}, kind: {kd}}}\n")
                        }
                        Selector::Name(k, n) => {
                            let (av, kd) = kind_of(*k);
                            format!("  - {{apiVersion: {av}, kind: {kd}, name: {}}}\n", pick(&NAMES, *n))
                        }
                        Selector::Labels(a, not) => format!(
                            "  - apiVersion: apps/v1\n    kind: Deployment\n    labelSelector:\n      matchExpressions: [{{key: app, operator: {}, values: [{}]}}]\n",
                            if *not { "NotIn" } else { "In" },
                            pick(&NAMES, *a)
                        ),
                    });
                }
                s.push_str("  placement:\n");
                if !p.affinities.is_empty() {
                    s.push_str("    clusterAffinities:\n");
                    for (i, names) in p.affinities.iter().take(3).enumerate() {
                        let n: Vec<&str> = names.iter().take(3).map(|c| pick(&CLUSTERS, *c)).collect();
                        s.push_str(&format!("    - {{affinityName: g{i}, clusterNames: [{}]}}\n", n.join(", ")));
                    }
                } else {
                    s.push_str("    clusterAffinity:\n");
                    let n: Vec<&str> = p.names.iter().take(3).map(|c| pick(&CLUSTERS, *c)).collect();
                    s.push_str(&format!("      clusterNames: [{}]\n", n.join(", ")));
                    if let Some(e) = p.label_env {
                        s.push_str(&format!("      labelSelector: {{matchLabels: {{env: {}}}}}\n", if e { "prod" } else { "dev" }));
                    }
                    if let Some(r) = p.region_in {
                        s.push_str(&format!("      fieldSelector: {{matchExpressions: [{{key: region, operator: In, values: [r{}]}}]}}\n", r % 3));
                    }
                }
                if p.tolerate {
                    s.push_str("    clusterTolerations: [{key: k0, operator: Exists}]\n");
                }
                if let Some((f, min, max)) = p.spread {
                    let field = ["cluster", "region", "zone", "provider"][usize::from(f % 4)];
                    s.push_str(&format!("    spreadConstraints:\n    - {{spreadByField: cluster, minGroups: {min}, maxGroups: {max}}}\n"));
                    if field != "cluster" {
                        s.push_str(&format!("    - {{spreadByField: {field}, minGroups: 1, maxGroups: 2}}\n"));
                    }
                }
                s.push_str(&match &p.division {
                    Division::None => String::new(),
                    Division::Duplicated => "    replicaScheduling: {replicaSchedulingType: Duplicated}\n".into(),
                    Division::Empty => "    replicaScheduling: {}\n".into(),
                    Division::Dynamic => "    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference: {dynamicWeight: AvailableReplicas}}\n".into(),
                    Division::Aggregated => "    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}\n".into(),
                    Division::Static(ws) => {
                        let mut t = "    replicaScheduling:\n      replicaSchedulingType: Divided\n      replicaDivisionPreference: Weighted\n      weightPreference:\n        staticWeightList:\n".to_string();
                        for (c, w) in ws.iter().take(4) {
                            t.push_str(&format!("        - {{targetCluster: {{clusterNames: [{}]}}, weight: {}}}\n", pick(&CLUSTERS, *c), w));
                        }
                        if ws.is_empty() {
                            t.push_str("        - {targetCluster: {}, weight: 1}\n");
                        }
                        t
                    }
                });
                s
            }
            Step::Template(t) => template(t),
            Step::Override { name, cluster, image, replicas } => {
                let over = if *image {
                    "      imageOverrider: [{component: Registry, operator: replace, value: mirror.io}]\n".to_string()
                } else {
                    format!("      plaintext: [{{path: /spec/replicas, operator: replace, value: {replicas}}}]\n")
                };
                format!(
                    "apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {{name: o{}}}\nspec:\n  resourceSelectors: [{{apiVersion: apps/v1, kind: Deployment}}]\n  overrideRules:\n  - targetCluster: {{clusterNames: [{}]}}\n    overriders:\n{over}",
                    name % 3,
                    pick(&CLUSTERS, *cluster)
                )
            }
            Step::Delete { what, name } => match what % 4 {
                0 => format!("# delete: PropagationPolicy default/p{}\n", name % 4),
                1 => format!("# delete: ClusterPropagationPolicy p{}\n", name % 4),
                2 => format!("# delete: Deployment default/{}\n", pick(&NAMES, *name)),
                _ => format!("# delete: Cluster {}\n", pick(&CLUSTERS, *name)),
            },
            Step::Member { cluster, template: t, managed } => {
                let mut body = template(t);
                if *managed {
                    body = body.replace("  labels: {app:", "  labels: {karmada.io/managed: 'true', app:");
                }
                format!("# context: {}\n---\n{body}---\n# context: karmada-apiserver\n", pick(&CLUSTERS, *cluster))
            }
        };
        docs.push(doc);
    }
    docs.join("---\n")
}

fuzz_target!(|sc: Scenario| {
    let text = render(&sc);
    let _ = karmada_policy_core::evaluate(&text, &Default::default());
});
