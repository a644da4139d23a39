//! The page's state and its actions (a `Reducible`, testable with plain `cargo test`). The text lives in the
//! editor, never here: the state only numbers the edits, so an answer older than the text is recognised and
//! dropped, and the last good result stays (greyed) while the input has errors.

use crate::protocol::{Diag, Evaluated, ExplainView, Gate, Response, RowsPage, StepView, Tab};
use std::rc::Rc;
use yew::Reducible;

/// Rows drawn at first and added by each "Show more" (a 10,000-resource fleet is not 10,000 DOM rows, nor
/// 10,000 rows sent to this thread: the worker sends the page asked for).
pub const PAGE: usize = 100;
/// Timeline steps drawn at first and added by each "Show more".
pub const STEPS_PAGE: usize = 50;

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// Feature gate override.
    pub gate: Gate,
    /// Result view.
    pub tab: Tab,
    /// Selected resource key.
    pub selected: Option<String>,
    /// Latest edit sent to the worker.
    pub edit: u32,
    /// Latest edit answered.
    pub answered: u32,
    /// Whether the latest answered edit could be evaluated.
    pub latest_ok: bool,
    /// The last good evaluation (counts, timing).
    pub shown: Option<Rc<Evaluated>>,
    /// The rows drawn (of `shown`).
    pub rows: Rc<RowsPage>,
    /// Diagnostics of the latest answered edit.
    pub diagnostics: Rc<Vec<Diag>>,
    /// Why-trace of the selected resource.
    pub explain: Option<Rc<ExplainView>>,
    /// Timeline page: (total steps, steps).
    pub timeline: Option<Rc<(usize, Vec<StepView>)>>,
    /// Timeline steps asked for.
    pub timeline_limit: usize,
    /// Row filter.
    pub filter: String,
    /// Rows drawn.
    pub limit: usize,
    /// Current share fragment (without `#`).
    pub fragment: String,
}

/// What happened.
pub enum Action {
    /// Edit `n` was sent to the worker.
    Edited(u32),
    /// The gate override changed (an evaluation follows).
    SetGate(Gate),
    /// A resource was selected.
    Select(String),
    /// A view was chosen.
    Show(Tab),
    /// The row filter changed.
    Filter(String),
    /// More rows.
    MoreRows,
    /// More timeline steps.
    MoreSteps,
    /// The worker answered.
    Answer(Response),
}

impl State {
    /// A fresh state.
    pub fn new(gate: Gate, tab: Tab, selected: Option<String>) -> Self {
        State { gate, tab, selected, limit: PAGE, timeline_limit: STEPS_PAGE, latest_ok: true, ..State::default() }
    }

    /// An edit is being evaluated.
    pub fn pending(&self) -> bool {
        self.answered < self.edit
    }

    /// The shown result is not the answer to the current text.
    pub fn stale(&self) -> bool {
        self.pending() || !self.latest_ok
    }

    /// Number of diagnostics of a severity.
    pub fn count(&self, severity: &str) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    fn answer(&mut self, r: Response) {
        match r {
            Response::Evaluated(e) => {
                // An answer older than the text is never shown (a newer one is on its way).
                if e.seq < self.edit || e.seq < self.answered {
                    return;
                }
                self.answered = e.seq;
                self.latest_ok = e.ok;
                self.diagnostics = Rc::new(e.diagnostics.clone());
                if !e.ok {
                    return;
                }
                // The worker explained the requested resource, or the first when it is gone; a selection
                // made since then stands (its own explain request follows).
                if self.selected == e.requested {
                    self.selected = e.selected.clone();
                }
                self.rows = Rc::new(e.rows.clone());
                self.explain = e.explain.clone().filter(|x| Some(&x.key) == self.selected.as_ref()).map(Rc::new);
                self.timeline = None;
                if self.tab == Tab::Diagnostics && self.count("error") == 0 && self.shown.is_none() {
                    self.tab = Tab::Resources;
                }
                self.shown = Some(Rc::new(*e));
            }
            Response::Explained { seq, explain } => {
                if self.shown.as_ref().is_some_and(|s| s.seq == seq) {
                    if let Some(x) = explain.filter(|x| Some(&x.key) == self.selected.as_ref()) {
                        self.explain = Some(Rc::new(*x));
                    }
                }
            }
            Response::Rows { seq, page } => {
                if self.shown.as_ref().is_some_and(|s| s.seq == seq) {
                    self.rows = Rc::new(page);
                }
            }
            Response::Timeline { seq, total, steps } => {
                if self.shown.as_ref().is_some_and(|s| s.seq == seq) {
                    self.timeline = Some(Rc::new((total, steps)));
                }
            }
            Response::Shared { fragment, .. } => self.fragment = fragment,
            Response::Exported { .. } | Response::Nothing => {}
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edited(n) => s.edit = s.edit.max(n),
            Action::SetGate(g) => s.gate = g,
            Action::Select(k) => {
                if s.selected.as_ref() != Some(&k) {
                    s.explain = None;
                    s.selected = Some(k);
                }
            }
            Action::Show(t) => s.tab = t,
            Action::Filter(f) => {
                s.filter = f;
                s.limit = PAGE;
            }
            Action::MoreRows => s.limit += PAGE,
            Action::MoreSteps => s.timeline_limit += STEPS_PAGE,
            Action::Answer(r) => s.answer(r),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;
    use crate::protocol::Request;
    use crate::worker::Session;

    const SEED: &str = include_str!("../../examples/seamless-migration.yaml");

    fn reduce(s: State, a: Action) -> State {
        (*Rc::new(s).reduce(a)).clone()
    }

    fn evaluated(session: &mut Session, seq: u32, text: &str) -> Response {
        session.handle(Request::Evaluate {
            seq,
            text: text.into(),
            gate: Gate::Scenario,
            select: None,
            filter: String::new(),
            limit: PAGE,
        })
    }

    #[test]
    fn answers_older_than_the_text_are_dropped() {
        let mut w = Session::default();
        let s = State::new(Gate::Scenario, Tab::Resources, None);
        let s = reduce(s, Action::Edited(1));
        let s = reduce(s, Action::Edited(2));
        assert!(s.pending());
        let s = reduce(s, Action::Answer(evaluated(&mut w, 1, SEED)));
        assert!(s.shown.is_none(), "edit 1's answer is older than the text (edit 2)");
        let s = reduce(s, Action::Answer(evaluated(&mut w, 2, SEED)));
        assert!(!s.stale());
        assert_eq!(s.rows.rows.len(), 4);
        assert!(s.selected.is_some());
        assert_eq!(s.explain.as_ref().map(|x| &x.key), s.selected.as_ref());
    }

    #[test]
    fn bad_input_keeps_the_last_good_result_greyed() {
        let mut w = Session::default();
        let s = reduce(State::new(Gate::Scenario, Tab::Resources, None), Action::Edited(1));
        let s = reduce(s, Action::Answer(evaluated(&mut w, 1, SEED)));
        let s = reduce(s, Action::Edited(2));
        let s = reduce(s, Action::Answer(evaluated(&mut w, 2, "kind: [oops\n")));
        assert!(s.stale());
        assert!(!s.latest_ok);
        assert!(s.count("error") > 0);
        assert_eq!((s.shown.as_ref().map(|e| e.seq), s.rows.rows.len()), (Some(1), 4), "last good result kept");
        let s = reduce(s, Action::Edited(3));
        let s = reduce(s, Action::Answer(evaluated(&mut w, 3, SEED)));
        assert!(!s.stale());
    }

    #[test]
    fn a_shared_selection_survives_the_first_evaluation() {
        let mut w = Session::default();
        let key = "Deployment/default/nginx-deploy".to_string();
        let s = State::new(Gate::Scenario, Tab::Resources, Some(key.clone()));
        let s = reduce(s, Action::Edited(1));
        let r = w.handle(Request::Evaluate {
            seq: 1,
            text: SEED.into(),
            gate: Gate::Scenario,
            select: Some(key.clone()),
            filter: String::new(),
            limit: PAGE,
        });
        let s = reduce(s, Action::Answer(r));
        assert_eq!(s.selected.as_ref(), Some(&key));
        assert_eq!(s.explain.as_ref().map(|x| &x.key), Some(&key));
    }
}
