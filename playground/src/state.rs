//! The playground state and its actions (a `Reducible`, testable with plain `cargo test`): the user's text is
//! never replaced by an evaluation, whatever the outcome.

use karmada_policy_core::report::{ExplainedResource, Report};
use karmada_policy_core::{evaluate, Diagnostic, Evaluation, Options, Severity};
use std::rc::Rc;
use yew::Reducible;

/// Which result view is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Resources and the why-trace of the selected one.
    Resources,
    /// The step-by-step story.
    Timeline,
    /// Errors and warnings.
    Diagnostics,
}

/// Feature gate override from the toolbar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Use the scenario's `# feature-gates:` directive.
    FromScenario,
    /// Force PropagationPolicyPreemption on.
    On,
    /// Force it off.
    Off,
}

/// The kept evaluation, compared by identity (a new evaluation is a new value).
#[derive(Debug, Clone)]
pub struct Kept(pub Rc<Evaluation>);

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The user's scenario text (never modified by an evaluation).
    pub yaml: String,
    /// Feature gate override.
    pub gate: Gate,
    /// The last successful evaluation of `yaml`, if the input could be read.
    pub report: Option<Report>,
    /// That evaluation, kept to explain the selected resource on demand.
    pub evaluation: Option<Kept>,
    /// The selected resource's result and why-trace.
    pub explained: Option<ExplainedResource>,
    /// Diagnostics of the last evaluation (errors when the input could not be read).
    pub diagnostics: Vec<Diagnostic>,
    /// Index of the selected resource.
    pub selected: Option<usize>,
    /// Current tab.
    pub tab: Tab,
}

/// What the user did.
pub enum Action {
    /// The text changed (evaluation follows).
    Edit(String),
    /// The gate override changed.
    SetGate(Gate),
    /// A resource row was clicked.
    Select(usize),
    /// A tab was chosen.
    Show(Tab),
}

impl State {
    /// A state for `yaml`, evaluated.
    pub fn new(yaml: String) -> Self {
        let mut s = State {
            yaml,
            gate: Gate::FromScenario,
            report: None,
            evaluation: None,
            explained: None,
            diagnostics: Vec::new(),
            selected: None,
            tab: Tab::Resources,
        };
        s.evaluate();
        s
    }

    fn evaluate(&mut self) {
        let feature_gates = match self.gate {
            Gate::FromScenario => None,
            Gate::On => Some("PropagationPolicyPreemption=true".to_string()),
            Gate::Off => Some("PropagationPolicyPreemption=false".to_string()),
        };
        let options = Options { feature_gates, ..Options::default() };
        match evaluate(&self.yaml, &options) {
            Ok(evaluation) => {
                let report = evaluation.report();
                self.diagnostics = report.diagnostics.clone();
                if self.selected.is_none_or(|i| i >= report.resources.len()) {
                    self.selected = if report.resources.is_empty() { None } else { Some(0) };
                }
                self.report = Some(report);
                self.evaluation = Some(Kept(Rc::new(evaluation)));
                self.explain_selected();
            }
            Err(e) => {
                // Keep the previous results visible but flag them stale? No: show the errors, keep the text.
                self.report = None;
                self.evaluation = None;
                self.explained = None;
                self.diagnostics = e.diagnostics;
                self.tab = Tab::Diagnostics;
            }
        }
        if self.report.is_some() && self.tab == Tab::Diagnostics && self.errors() == 0 {
            self.tab = Tab::Resources;
        }
    }

    /// Computes the selected resource's why-trace from the kept evaluation.
    fn explain_selected(&mut self) {
        self.explained = match (&self.evaluation, &self.report, self.selected) {
            (Some(Kept(ev)), Some(report), Some(i)) => report.resources.get(i).and_then(|r| {
                let key = ev.find(&r.kind, &r.namespace, &r.name)?;
                Some(ExplainedResource { result: r.clone(), explain: ev.explain_key(key) })
            }),
            _ => None,
        };
    }

    /// Number of error-severity diagnostics.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(text) => {
                s.yaml = text;
                s.evaluate();
            }
            Action::SetGate(g) => {
                s.gate = g;
                s.evaluate();
            }
            Action::Select(i) => {
                s.selected = Some(i);
                s.explain_selected();
            }
            Action::Show(t) => s.tab = t,
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../examples/seamless-migration.yaml");

    fn reduce(s: State, a: Action) -> State {
        (*Rc::new(s).reduce(a)).clone()
    }

    #[test]
    fn seed_evaluates_and_selects_the_first_resource() {
        let s = State::new(SEED.to_string());
        let report = s.report.as_ref().map(|r| r.resources.len());
        assert_eq!(report, Some(4));
        assert_eq!(s.selected, Some(0));
        assert_eq!(s.tab, Tab::Resources);
    }

    #[test]
    fn bad_input_shows_errors_and_keeps_the_text() {
        let s = State::new(SEED.to_string());
        let broken = format!("{SEED}\n---\nkind: [oops\n");
        let s = reduce(s, Action::Edit(broken.clone()));
        assert_eq!(s.yaml, broken, "the user's text is kept");
        assert!(s.report.is_none());
        assert!(s.errors() > 0);
        assert_eq!(s.tab, Tab::Diagnostics);
        let s = reduce(s, Action::Edit(SEED.to_string()));
        assert!(s.report.is_some());
        assert_eq!(s.tab, Tab::Resources);
    }

    #[test]
    fn gate_override_changes_the_winner() {
        let s = State::new(SEED.to_string());
        let s = reduce(s, Action::SetGate(Gate::Off));
        let nginx = s.report.as_ref().and_then(|r| r.resources.iter().find(|x| x.name == "nginx-deploy").cloned());
        assert_eq!(nginx.and_then(|n| n.policy).map(|p| p.name), Some("migrate-pp".to_string()));
    }
}
