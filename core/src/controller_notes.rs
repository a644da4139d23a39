//! Diagnostics about what Karmada's controllers do after scheduling that a reader could miss: bindings
//! karmada-scheduler skips (`schedulerName`), Works held back by `suspension`, attached bindings nothing
//! requires any more.

use crate::detector::Detector;
use crate::diagnostic::Diagnostic;
use crate::execution::Controllers;
use crate::lint::Locator;
use crate::scenario::Scenario;

/// The info diagnostics of the controllers after scheduling, each pointing at the template's document.
pub fn notes(scenario: &Scenario, det: &Detector, ctl: &Controllers, loc: &Locator) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The template's document is looked up only for a note (a scan of the stream per template made this
    // quadratic: most of the time of a 50,000-resource fleet).
    let documents = scenario.documents();
    for (key, st) in &det.templates {
        let Some(sb) = det.binding_of(key) else { continue };
        let b = &sb.binding;
        let at = |d: Diagnostic| {
            let doc = documents.get(st.template.document);
            d.at(doc.map(|d| d.index), doc.map(|d| loc.field(d.span, "metadata.name")))
        };
        if b.placed && !b.for_default_scheduler() {
            // schedulerNameFilter (pkg/scheduler/event_handler.go): karmada-scheduler only takes its own name.
            out.push(at(Diagnostic::info(
                "not-scheduled-scheduler-name",
                format!(
                    "{}: its binding {} names schedulerName {}: karmada-scheduler (default-scheduler) skips it, so it is never scheduled and nothing is propagated",
                    key.display(),
                    b.name,
                    crate::webhook::go_quote(&b.scheduler_name)
                ),
            )
            .with_help("another scheduler must write spec.clusters; remove `schedulerName` to let karmada-scheduler place it")));
        }
        let suspended: Vec<String> = match &b.suspension {
            None => Vec::new(),
            Some(_) => {
                let targets = ctl.targets(key).unwrap_or(&[]);
                let all = crate::execution::merge_target_clusters(targets, &b.required_by);
                all.into_iter().map(|(c, _)| c).filter(|c| b.dispatching_suspended(c)).collect()
            }
        };
        if !suspended.is_empty() {
            out.push(at(Diagnostic::info(
                "dispatching-suspended",
                format!(
                    "{}: dispatching is suspended to {}: the Work exists, nothing reaches the cluster until the suspension is lifted",
                    key.display(),
                    suspended.join(", ")
                ),
            )
            .with_help("set `suspension.dispatching: false` (or drop the cluster from `dispatchingOnClusters`) to resume")));
        }
        if !b.placed && b.required_by.is_empty() && st.template.metadata.namespace == b.namespace {
            out.push(at(Diagnostic::info(
                "attached-binding-unused",
                format!(
                    "{}: its attached ResourceBinding {} is required by no workload any more; it stays, with no cluster",
                    key.display(),
                    b.name
                ),
            )
            .with_help("Karmada keeps attached bindings until their template is deleted")));
        }
    }
    out
}
