//! The evaluation pipeline: scenario → detector events → bindings → scheduler → Works → report, step by step.

use crate::api::cluster::{ApiEnablement, ApiResource, Cluster, ClusterStatus};
use crate::api::override_policy::OverrideKind;
use crate::api::policy::PolicyKind;
use crate::api::PolicyRef;
use crate::detector::timeline::{EventKind, StepSummary, TimelineEvent};
use crate::detector::{Detector, TemplateKey};
use crate::diagnostic::Diagnostic;
use crate::evaluation::{Evaluation, Flags};
use crate::execution::{Controllers, Fleet};
use crate::scenario::{self, FeatureGates, Object, Scenario, Step, KARMADA_CONTEXT};
use crate::util::VecMap;

/// Evaluation options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Feature gates that override the scenario's `# feature-gates:` directive (the CLI's `--feature-gates`).
    pub feature_gates: Option<String>,
    /// Take the Cluster documents literally: a scenario without any is a Karmada with no member cluster
    /// (as Karmada's own conformance runs are). By default such a scenario gets member1..3 of
    /// `hack/local-up-karmada.sh`, and a note saying so.
    pub literal_clusters: bool,
    /// Keep each resource's template and per-cluster manifests in the report (for rendering); off by default
    /// because they dominate memory on large fleets.
    pub keep_manifests: bool,
    /// Run every step's sync right after its detector pass on one thread, as wasm does, instead of pipelining
    /// runs of template documents (the `parallel` feature); the answer is the same (tested).
    pub sequential: bool,
}

/// A failed evaluation: the input could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .diagnostics.first().map(|d| d.message.as_str()).unwrap_or("invalid input"))]
pub struct InputError {
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and evaluates a scenario.
pub fn evaluate(text: &str, options: &Options) -> Result<Evaluation, InputError> {
    let scenario = scenario::parse(text).map_err(|diagnostics| InputError { diagnostics })?;
    evaluate_scenario(&scenario, options)
}

/// member1..3 as `kubectl get clusters -o json` shows them after `hack/local-up-karmada.sh` (member3 is in Pull
/// mode and runs the karmada-agent, one more pod). An assumption, not a measurement:
/// - `spec.resourceModels`: grade 1 of Karmada's defaults (cpu from 1, memory from 4Gi), set by the Cluster
///   registry strategy's `PrepareForCreate` (`mutation.SetDefaultClusterResourceModels`,
///   `pkg/apis/cluster/mutation/mutation.go`; gate CustomizedClusterResourceModeling, on by default). Only its
///   minimums are kept: the general estimator builds model nodes from the minimums of the grades that count nodes
///   (`getMaximumReplicasBasedOnResourceModels`), and the other eight grades count none here;
/// - `status.resourceSummary`, as the cluster status controller reports it (`getResourceSummary`,
///   `getAllocatableModelings`, `pkg/controllers/status/cluster_status_controller.go`) for a one-node kind cluster
///   (`kindest/node`, `hack/create-cluster.sh`) on a typical dev machine of 8 CPUs, 16 GB of memory and a 100 GB
///   disk, which a kind node reports whole as allocatable (the kubelet's 110 pods). Allocated: the requests of
///   kind's 9 system pods (etcd 100m/100Mi, kube-apiserver 250m, kube-controller-manager 200m, kube-scheduler
///   100m, 2 × coredns 100m/70Mi, kindnet 100m/50Mi, kube-proxy, local-path-provisioner) and metrics-server
///   v0.6.3 (100m/200Mi, `hack/deploy-k8s-metrics-server.sh`). The node's free 6.95 CPUs and 15.1 GiB make it
///   one node of grade 1 (the lowest grade over cpu and memory, `modeling.getIndex`).
const ASSUMED_FLEET: &str = r#"[
{"apiVersion":"cluster.karmada.io/v1alpha1","kind":"Cluster","metadata":{"name":"member1"},"spec":{"syncMode":"Push","resourceModels":[{"grade":1,"ranges":[{"name":"cpu","min":"1"},{"name":"memory","min":"4Gi"}]}]},
 "status":{"resourceSummary":{"allocatable":{"cpu":"8","ephemeral-storage":"102626232Ki","memory":"16318412Ki","pods":"110"},"allocated":{"cpu":"1050m","memory":"490Mi","pods":"10"},"allocatableModelings":[{"grade":1,"count":1}]}}},
{"apiVersion":"cluster.karmada.io/v1alpha1","kind":"Cluster","metadata":{"name":"member2"},"spec":{"syncMode":"Push","resourceModels":[{"grade":1,"ranges":[{"name":"cpu","min":"1"},{"name":"memory","min":"4Gi"}]}]},
 "status":{"resourceSummary":{"allocatable":{"cpu":"8","ephemeral-storage":"102626232Ki","memory":"16318412Ki","pods":"110"},"allocated":{"cpu":"1050m","memory":"490Mi","pods":"10"},"allocatableModelings":[{"grade":1,"count":1}]}}},
{"apiVersion":"cluster.karmada.io/v1alpha1","kind":"Cluster","metadata":{"name":"member3"},"spec":{"syncMode":"Pull","resourceModels":[{"grade":1,"ranges":[{"name":"cpu","min":"1"},{"name":"memory","min":"4Gi"}]}]},
 "status":{"resourceSummary":{"allocatable":{"cpu":"8","ephemeral-storage":"102626232Ki","memory":"16318412Ki","pods":"110"},"allocated":{"cpu":"1050m","memory":"490Mi","pods":"11"},"allocatableModelings":[{"grade":1,"count":1}]}}}]"#;

/// The clusters `hack/local-up-karmada.sh` creates, used when a scenario has no Cluster document
/// ([`ASSUMED_FLEET`]), with `status` (the synthesized API enablements) and their resourceSummary.
fn default_clusters(status: &ClusterStatus) -> Vec<Cluster> {
    let fleet = serde_json::from_str::<serde_json::Value>(ASSUMED_FLEET).ok();
    let mut fleet = fleet.and_then(|v| crate::api::decode::from_value::<Vec<Cluster>>(&v).ok()).unwrap_or_default();
    for c in &mut fleet {
        let summary = c.status.take().and_then(|s| s.resource_summary);
        c.status = Some(ClusterStatus { resource_summary: summary, ..status.clone() });
    }
    fleet
}

/// The fleet as the scheduler sees it at one point of the stream.
struct FleetState {
    docs: VecMap<String, (Cluster, usize)>,
    assumed: bool,
    api_kinds: VecMap<String, Vec<String>>,
    /// The current snapshot, shared by every binding scheduled against it.
    list: Fleet,
}

impl FleetState {
    fn rebuild(&mut self) {
        let status = synth_status(&self.api_kinds);
        let list: Vec<Cluster> = if self.assumed {
            default_clusters(&status)
        } else {
            self.docs
                .values()
                .map(|(c, _)| {
                    let mut c = c.clone();
                    if c.status.is_none() {
                        c.status = Some(status.clone());
                    }
                    c
                })
                .collect()
        };
        self.list = list.into();
    }
}

fn parse_gates(scenario: &Scenario, options: &Options) -> Result<FeatureGates, InputError> {
    let mut gates = scenario.gates;
    if let Some(over) = &options.feature_gates {
        gates.merge(over).map_err(|m| InputError {
            diagnostics: vec![Diagnostic::error("bad-feature-gates", format!("invalid --feature-gates: {m}"))],
        })?;
    }
    Ok(gates)
}

/// Evaluates a parsed scenario: the detector's and controllers' final state, the timeline and the diagnostics,
/// from which the report and the explanations are views ([`Evaluation`]).
pub fn evaluate_scenario(scenario: &Scenario, options: &Options) -> Result<Evaluation, InputError> {
    let pipeline = (cfg!(feature = "parallel") && !options.sequential).then_some(SCHEDULE_AHEAD_BACKLOG);
    match evaluate_steps(scenario, options, pipeline)? {
        Some(evaluation) => Ok(evaluation),
        // A pipelined run's sync read more than its snapshot held: the result would not be the sequential one.
        None => evaluate_steps(scenario, options, None)?.ok_or_else(|| InputError { diagnostics: Vec::new() }),
    }
}

/// A run of at least this many template documents is pipelined (natively): the detector applies them while
/// another thread runs their syncs.
#[cfg(feature = "parallel")]
const PIPELINE_MIN_RUN: usize = 32;

/// In a pipelined run, once this many steps wait for their sync, the detector's thread schedules the next
/// steps' bindings itself.
const SCHEDULE_AHEAD_BACKLOG: usize = 2;

/// Whether a step is the `kubectl apply` of a resource template to the Karmada control plane.
#[cfg(feature = "parallel")]
fn is_template_apply(step: &Step) -> bool {
    matches!(step, Step::Apply(d) if d.context == KARMADA_CONTEXT && matches!(d.object, Object::Template(_)))
}

/// The steps of a run of template documents, pipelined: this thread runs the detector through them (which
/// never reads the controllers' state), taking after each step a snapshot of the bindings it changed; another
/// thread runs each step's sync, in order, on its snapshot. Each step's events are the detector's, then its
/// sync's, as sequentially. `run`: the steps, the first one's number, and the backlog of unsynced steps from
/// which this thread also schedules the next steps' bindings. `None` when a sync read a binding outside its
/// snapshot (a resync, a failed build's retry): the caller then evaluates sequentially.
#[cfg(feature = "parallel")]
fn pipelined_run(
    (run, first_step_no, ahead_after): (&[Step], usize, usize),
    det: &mut Detector,
    ctl: &mut Controllers,
    fleet: &Fleet,
    timeline: &mut Vec<TimelineEvent>,
    summaries: &mut Vec<StepSummary>,
) -> Option<usize> {
    use crate::execution::StepSnapshot;
    use crate::util::ChunkSet;
    let (tx, rx) = std::sync::mpsc::channel::<(ChunkSet<TemplateKey>, StepSnapshot, usize)>();
    // Steps handed over and not yet synced: when the sync falls behind, this thread schedules the next
    // steps' bindings itself (the same results; only which thread computes them varies).
    let pending = &std::sync::atomic::AtomicUsize::new(0);
    // Each thread's events go into one list, with the index where each step's events end (a run has tens of
    // thousands of steps: not a list per step).
    let mut detector_events: Vec<TimelineEvent> = Vec::new();
    let mut detector_ends: Vec<(usize, usize)> = Vec::with_capacity(run.len());
    let mut doc_index = 0;
    let (sync_events, sync_ends, strayed) = std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let mut events: Vec<TimelineEvent> = Vec::new();
            let mut ends: Vec<usize> = Vec::new();
            let mut strayed = false;
            for (dirty, snapshot, document) in rx {
                if !strayed {
                    ctl.sync(&snapshot, &dirty, fleet, false, &mut events, document);
                    strayed = snapshot.strayed();
                }
                pending.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
                ends.push(events.len());
            }
            (events, ends, strayed)
        });
        for (i, step) in run.iter().enumerate() {
            let Step::Apply(doc) = step else { continue };
            let Object::Template(t) = &doc.object else { continue };
            doc_index = doc.index;
            det.apply_template(t);
            det.requeue_failed(doc_index);
            detector_events.append(&mut det.timeline);
            detector_ends.push((doc_index, detector_events.len()));
            let dirty = det.take_dirty();
            let mut snapshot = StepSnapshot::take(det, &dirty);
            if pending.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= ahead_after {
                snapshot.schedule_ahead(fleet);
            }
            // The worker ends only when the channel closes: a send cannot fail before that.
            let _ = tx.send((dirty, snapshot, doc_index));
            summaries.push(step_summary(step, first_step_no + i, doc_index));
        }
        drop(tx);
        worker.join().unwrap_or_else(|_| (Vec::new(), Vec::new(), true))
    });
    if strayed || sync_ends.len() != detector_ends.len() {
        return None;
    }
    // Each step's events are the detector's, then its sync's; the timeline grows once, to its exact size.
    timeline.reserve_exact(detector_events.len() + sync_events.len());
    let (mut det_events, mut sync_events) = (detector_events.into_iter(), sync_events.into_iter());
    let (mut det_from, mut sync_from) = (0, 0);
    for (i, ((document, det_end), sync_end)) in detector_ends.into_iter().zip(sync_ends).enumerate() {
        let from = timeline.len();
        timeline.extend(det_events.by_ref().take(det_end - det_from));
        timeline.extend(sync_events.by_ref().take(sync_end - sync_from));
        (det_from, sync_from) = (det_end, sync_end);
        stamp(timeline.get_mut(from..).unwrap_or_default(), first_step_no + i, document);
    }
    Some(doc_index)
}

/// Evaluates the steps; `pipeline` (the schedule-ahead backlog) allows [`pipelined_run`] (native). `None`: a
/// pipelined run strayed.
fn evaluate_steps(
    scenario: &Scenario,
    options: &Options,
    pipeline: Option<usize>,
) -> Result<Option<Evaluation>, InputError> {
    #[cfg(not(feature = "parallel"))]
    let _ = pipeline;
    let gates = parse_gates(scenario, options)?;
    let mut det = Detector::new(gates.preemption());
    let mut ctl = Controllers::default();
    // The distributor reconciles every binding after every step: only worth it when some policy of the
    // scenario ever sets `propagateDeps` (without one, no binding has dependencies to distribute).
    let any_propagate_deps = scenario
        .steps
        .iter()
        .any(|s| matches!(s, Step::Apply(d) if matches!(&d.object, Object::Policy(_, p) if p.spec.propagate_deps)));
    let mut distributor = crate::dependencies::Distributor::new(gates.propagate_deps() && any_propagate_deps);
    ctl.keep_manifests = options.keep_manifests || scenario.uses_overrides;
    let mut diagnostics = scenario.diagnostics.clone();
    let mut timeline = Vec::new();

    // The API kinds of the scenario, for clusters whose status has to be synthesized.
    let mut fleet = FleetState {
        docs: VecMap::new(),
        assumed: !options.literal_clusters,
        api_kinds: VecMap::new(),
        list: Vec::new().into(),
    };
    for step in &scenario.steps {
        if let Step::Apply(doc) = step {
            match &doc.object {
                Object::Template(t) if doc.context == KARMADA_CONTEXT => {
                    let kinds = fleet.api_kinds.entry(t.api_version.clone()).or_default();
                    if !kinds.contains(&t.kind) {
                        kinds.push(t.kind.clone());
                    }
                }
                Object::Cluster(_) if doc.context == KARMADA_CONTEXT => fleet.assumed = false,
                _ => {}
            }
        }
    }
    fleet.rebuild();
    let mut clusters_changed = true;
    // Directives between documents are attributed to the document before them.
    let mut doc_index = 0;

    let mut steps = Vec::new();
    let mut next = 0;
    while let Some(step) = scenario.steps.get(next) {
        next += 1;
        let step_no = next;
        #[cfg(feature = "parallel")]
        if let (Some(ahead_after), false, false) = (pipeline, clusters_changed, distributor.enabled) {
            let rest = scenario.steps.get(step_no - 1..).unwrap_or(&[]);
            let len = rest.iter().take_while(|s| is_template_apply(s)).count();
            if len >= PIPELINE_MIN_RUN {
                let run = rest.get(..len).unwrap_or(&[]);
                let run = (run, step_no, ahead_after);
                match pipelined_run(run, &mut det, &mut ctl, &fleet.list, &mut timeline, &mut steps) {
                    Some(last) => doc_index = last,
                    None => return Ok(None),
                }
                next += len - 1;
                continue;
            }
        }
        let start = timeline.len();
        match step {
            Step::Apply(doc) if doc.context != KARMADA_CONTEXT => {
                doc_index = doc.index;
                if let Object::Template(t) = &doc.object {
                    ctl.apply_member_object(&doc.context, t);
                    timeline.push(TimelineEvent {
                        step: step_no,
                        document: doc_index,
                        kind: EventKind::MemberObjectApplied,
                        subject: t.display(),
                        message: format!("exists in {} (kubectl --context {} apply)", doc.context, doc.context),
                    });
                }
            }
            Step::Apply(doc) => {
                doc_index = doc.index;
                match &doc.object {
                    Object::Cluster(c) => {
                        timeline.push(TimelineEvent {
                            step: step_no,
                            document: doc_index,
                            kind: EventKind::ClusterApplied,
                            subject: format!("Cluster {}", c.metadata.name),
                            message: String::new(),
                        });
                        fleet.docs.insert(c.metadata.name.clone(), ((**c).clone(), doc.index));
                        fleet.rebuild();
                        clusters_changed = true;
                    }
                    Object::Policy(kind, p) => det.apply_policy(*kind, p, doc.index, doc.span),
                    Object::Template(t) => det.apply_template(t),
                    Object::Override(kind, p) => {
                        ctl.apply_override_document(&mut det, *kind, p, doc.index, doc.span);
                    }
                    Object::Other { .. } => {}
                }
            }
            Step::Delete { kind, namespace, name, span, context } => {
                let found = if context != KARMADA_CONTEXT {
                    let found = ctl.delete_member_object(context, kind, namespace, name);
                    if found {
                        timeline.push(TimelineEvent {
                            step: step_no,
                            document: doc_index,
                            kind: EventKind::MemberObjectDeleted,
                            subject: format!("{kind} {namespace}/{name}"),
                            message: format!("deleted from {context}"),
                        });
                    }
                    found
                } else if let Some(ok) = OverrideKind::from_kind(kind) {
                    let ns = match ok {
                        OverrideKind::OverridePolicy if namespace.is_empty() => "default",
                        OverrideKind::OverridePolicy => namespace.as_str(),
                        OverrideKind::ClusterOverridePolicy => "",
                    };
                    ctl.delete_override(&mut det, ok, ns, name)
                } else {
                    delete(&mut det, &mut fleet, &mut clusters_changed, kind, namespace, name, doc_index)
                };
                if !found {
                    let target = if namespace.is_empty() { name.clone() } else { format!("{namespace}/{name}") };
                    diagnostics.push(
                        Diagnostic::info(
                            "delete-missing",
                            format!("delete: {kind} {target} does not exist; nothing deleted"),
                        )
                        .at(None, Some(*span)),
                    );
                }
            }
        }
        det.requeue_failed(doc_index);
        timeline.append(&mut det.timeline);
        let dirty = det.take_dirty();
        ctl.sync(&det, &dirty, &fleet.list, clusters_changed, &mut timeline, doc_index);
        let attached = distributor.run(&mut det, &ctl, &mut timeline, doc_index);
        if !attached.is_empty() {
            ctl.sync(&det, &attached, &fleet.list, false, &mut timeline, doc_index);
        }
        clusters_changed = false;
        stamp(timeline.get_mut(start..).unwrap_or_default(), step_no, doc_index);
        steps.push(step_summary(step, step_no, doc_index));
    }

    if fleet.assumed {
        diagnostics.push(
            Diagnostic::info(
                "assumed-clusters",
                "the scenario has no Cluster document: assuming member1, member2 and member3 as hack/local-up-karmada.sh creates them, serving every API kind of the scenario, each with a one-node kind cluster's resourceSummary (8 CPUs, 16 GB)",
            )
            .with_help("add Cluster documents (cluster.karmada.io/v1alpha1) to describe your fleet"),
        );
    }
    for (name, (c, doc)) in &fleet.docs {
        if c.status.is_none() {
            diagnostics.push(
                Diagnostic::warning(
                    "synthesized-cluster-status",
                    format!("Cluster {name} has no status: assuming it serves every API kind of the scenario and reports no resourceSummary (0 available replicas)"),
                )
                .with_help("copy `status.apiEnablements` and `status.resourceSummary` from `kubectl get cluster -o yaml`")
                .at(Some(*doc), None),
            );
        }
    }

    // Admission denials point at the field named in Karmada's message.
    let loc = crate::lint::Locator::new(&scenario.source);
    for d in &det.diagnostics {
        let mut d = d.clone();
        if let (Some(span), Some(path)) = (d.span, crate::lint::Locator::path_of_message(&d.message)) {
            d.span = Some(loc.field(span, path));
        }
        diagnostics.push(d);
    }
    let cluster_names: Vec<String> = fleet.list.iter().map(|c| c.metadata.name.clone()).collect();
    diagnostics.extend(crate::lint::lint(scenario, &det, gates.preemption(), &cluster_names, &loc));

    diagnostics.extend(crate::controller_notes::notes(scenario, &det, &ctl, &loc));

    // Scheduling failures: valid input that Karmada cannot place.
    let documents = scenario.documents();
    for (key, st) in &det.templates {
        // The (rare) failed result first: finding the binding costs more.
        let failed = ctl.schedule_result(key).and_then(|(_, error)| error);
        if let Some(err) = failed.filter(|_| det.binding_of(key).is_some()) {
            let doc = documents.get(st.template.document);
            diagnostics.push(
                Diagnostic::warning("scheduling-failed", format!("{}: {err}", key.display()))
                    .with_help(
                        "see `karmada-policy explain` for each cluster's filter verdicts and the division arithmetic",
                    )
                    .at(doc.map(|d| d.index), doc.map(|d| loc.field(d.span, "metadata.name"))),
            );
        }
    }

    // Works the binding controller cannot build (an override that does not apply): the old Work stays.
    for (key, cluster, err) in ctl.build_failures() {
        let doc = det.templates.get(key).and_then(|st| documents.get(st.template.document));
        diagnostics.push(
            Diagnostic::warning(
                "work-build-failed",
                format!("{}: the Work for {cluster} cannot be built: {err}; Karmada leaves it as it was", key.display()),
            )
            .with_help("`karmada-policy explain` lists the override rules per cluster; `karmada-policy render` shows what the cluster has")
            .at(doc.map(|d| d.index), doc.map(|d| loc.field(d.span, "metadata.name"))),
        );
    }

    let flags = Flags {
        with_apply: scenario.uses_contexts,
        with_overrides: scenario.uses_overrides,
        keep_manifests: options.keep_manifests,
    };
    let members = if scenario.uses_member_fields { Some(ctl.member_index()) } else { None };
    Ok(Some(Evaluation {
        preemption_gate: gates.preemption(),
        gate_origin: (
            options.feature_gates.as_deref().is_some_and(|o| o.contains("PropagationPolicyPreemption")),
            scenario.gates.propagation_policy_preemption,
        ),
        clusters: fleet.list.iter().map(|c| c.metadata.name.clone()).collect(),
        det,
        ctl,
        flags,
        members,
        steps,
        timeline,
        diagnostics,
    }))
}

/// Events happened in step `step`, attributed to `document`.
fn stamp(events: &mut [TimelineEvent], step: usize, document: usize) {
    for e in events {
        e.step = step;
        e.document = document;
    }
}

/// A `# delete:` directive in the Karmada context.
fn delete(
    det: &mut Detector,
    fleet: &mut FleetState,
    clusters_changed: &mut bool,
    kind: &str,
    namespace: &str,
    name: &str,
    doc: usize,
) -> bool {
    let ns_or_default = if namespace.is_empty() { "default".to_string() } else { namespace.to_string() };
    match kind {
        "PropagationPolicy" => det.delete_policy(
            &PolicyRef { kind: PolicyKind::PropagationPolicy, namespace: ns_or_default, name: name.into() },
            doc,
        ),
        "ClusterPropagationPolicy" => det.delete_policy(
            &PolicyRef { kind: PolicyKind::ClusterPropagationPolicy, namespace: String::new(), name: name.into() },
            doc,
        ),
        "Cluster" => {
            let found = fleet.docs.remove(name).is_some();
            if found {
                fleet.rebuild();
                *clusters_changed = true;
            }
            found
        }
        _ => {
            let keys: Vec<TemplateKey> = det
                .templates
                .keys()
                .filter(|k| {
                    k.kind() == kind
                        && k.name() == name
                        && (k.namespace() == namespace || (namespace.is_empty() && k.namespace() == "default"))
                })
                .cloned()
                .collect();
            let mut any = false;
            for k in keys {
                any |= det.delete_template(&k, doc);
            }
            any
        }
    }
}

fn step_summary(step: &Step, step_no: usize, document: usize) -> StepSummary {
    match step {
        Step::Apply(doc) => {
            let object = match &doc.object {
                Object::Cluster(c) => format!("Cluster {}", c.metadata.name),
                Object::Policy(kind, p) => match kind {
                    PolicyKind::PropagationPolicy => {
                        format!("PropagationPolicy {}/{}", p.metadata.namespace, p.metadata.name)
                    }
                    PolicyKind::ClusterPropagationPolicy => format!("ClusterPropagationPolicy {}", p.metadata.name),
                },
                Object::Template(t) => t.display(),
                Object::Override(kind, p) => crate::overrides::display(*kind, &p.metadata.namespace, &p.metadata.name),
                Object::Other { kind, name, .. } => format!("{kind} {name}"),
            };
            StepSummary { step: step_no, document, context: doc.context.clone(), action: "apply".into(), object }
        }
        Step::Delete { kind, namespace, name, context, .. } => StepSummary {
            step: step_no,
            document,
            context: context.clone(),
            action: "delete".into(),
            object: if namespace.is_empty() { format!("{kind} {name}") } else { format!("{kind} {namespace}/{name}") },
        },
    }
}

fn synth_status(api_kinds: &VecMap<String, Vec<String>>) -> ClusterStatus {
    ClusterStatus {
        api_enablements: api_kinds
            .iter()
            .map(|(gv, kinds)| ApiEnablement {
                group_version: gv.clone(),
                resources: kinds
                    .iter()
                    .map(|k| ApiResource { name: format!("{}s", crate::util::golower::to_lower(k)), kind: k.clone() })
                    .collect(),
            })
            .collect(),
        ..Default::default()
    }
}

#[cfg(all(test, feature = "parallel"))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{evaluate_steps, Options, PIPELINE_MIN_RUN};

    fn scenario(extra: &str) -> crate::scenario::Scenario {
        let cpp = "apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: all}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  placement: {clusterAffinity: {clusterNames: [member1, member2]}}\n";
        let maps: String = (0..PIPELINE_MIN_RUN)
            .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}, namespace: default}}\ndata: {{k: v}}\n"))
            .collect();
        crate::scenario::parse(&format!("{cpp}{extra}{maps}")).unwrap()
    }

    #[test]
    fn a_run_of_templates_is_pipelined_and_a_retried_build_falls_back() {
        let plain = scenario("");
        let report = |pipeline| {
            let ev = evaluate_steps(&plain, &Options::default(), pipeline).unwrap().unwrap();
            serde_json::to_value(ev.report_view(true)).unwrap()
        };
        let sequential = report(None);
        // Pipelined with the detector's thread scheduling every step ahead, and with the sync scheduling all.
        assert_eq!(report(Some(0)), sequential);
        assert_eq!(report(Some(usize::MAX)), sequential);
        assert_eq!(sequential.get("resources").and_then(|r| r.as_array()).map(Vec::len), Some(PIPELINE_MIN_RUN));
        // Every member1 Work fails to build; the next step's sync retries it: outside that step's snapshot.
        let cop = "---\napiVersion: policy.karmada.io/v1alpha1\nkind: ClusterOverridePolicy\nmetadata: {name: bad}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  overrideRules:\n  - targetCluster: {clusterNames: [member1]}\n    overriders:\n      plaintext: [{path: /data/missing/x, operator: replace, value: 1}]\n";
        let failing = scenario(cop);
        assert!(evaluate_steps(&failing, &Options::default(), Some(2)).unwrap().is_none(), "strayed");
        assert!(evaluate_steps(&failing, &Options::default(), None).unwrap().is_some());
    }
}
