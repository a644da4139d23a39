//! What the page and the evaluation worker say to each other: JSON messages (serde), one request kind per
//! question, each answer tagged with the edit it belongs to so the page never shows a result older than the text.
//!
//! The worker holds the evaluation and sends the page only what it draws: one compact row per resource, the
//! diagnostics with editor positions, and on demand the why-trace of the selected resource or a page of the
//! timeline. The page's main thread never parses YAML or walks a report.

use serde::{Deserialize, Serialize};

/// Feature gate override from the toolbar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gate {
    /// Use the scenario's `# feature-gates:` directive.
    #[default]
    Scenario,
    /// Force PropagationPolicyPreemption on.
    On,
    /// Force it off.
    Off,
}

impl Gate {
    /// The controller-manager flag value, when overridden.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Gate::Scenario => None,
            Gate::On => Some("PropagationPolicyPreemption=true"),
            Gate::Off => Some("PropagationPolicyPreemption=false"),
        }
    }
}

/// Which result view is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    /// Resources and the why-trace of the selected one.
    #[default]
    Resources,
    /// The step-by-step story: ownership lanes, a step diff, the events.
    Timeline,
    /// The placement matrix: resources × clusters.
    Placement,
    /// Errors and warnings.
    Diagnostics,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The CLI's `-o json`.
    Json,
    /// The CLI's `-o yaml`.
    Yaml,
}

/// What a share link carries: everything that decides the answer and what the recipient looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// The scenario text.
    #[serde(rename = "t")]
    pub text: String,
    /// Gate override.
    #[serde(rename = "g", default, skip_serializing_if = "is_default")]
    pub gate: Gate,
    /// Selected resource key (`Kind/namespace/name`).
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    /// Result view.
    #[serde(rename = "v", default, skip_serializing_if = "is_default")]
    pub tab: Tab,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Page → worker (externally tagged, `{"evaluate": {…}}`: serde's internally tagged enums buffer through
/// `Content`, 7 KB gzip of wasm).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Request {
    /// Evaluate this text (edit number `seq`), explain `select` (or the first resource), and send the first
    /// `limit` rows matching `filter`.
    Evaluate {
        /// Edit number.
        seq: u32,
        /// Scenario (the page sends none: the worker evaluates its own text, lib.rs `worker_handle`).
        #[serde(default)]
        text: String,
        /// Gate override.
        gate: Gate,
        /// Resource to explain.
        select: Option<String>,
        /// Row filter.
        #[serde(default)]
        filter: String,
        /// Rows to send.
        limit: usize,
    },
    /// Rows of the held evaluation: the first `limit` matching `filter` (case-insensitive substring).
    Rows {
        /// Filter.
        filter: String,
        /// How many.
        limit: usize,
    },
    /// The why-trace of one resource of the held evaluation.
    Explain {
        /// Resource key.
        key: String,
    },
    /// A page of the timeline of the held evaluation.
    Timeline {
        /// First step (0-based).
        offset: usize,
        /// How many steps.
        limit: usize,
    },
    /// The held report as the CLI prints it.
    Export {
        /// Format.
        format: Format,
    },
    /// The `#v2:` fragment of a state.
    Share {
        /// State.
        state: Shared,
        /// Copy the link to the clipboard when it arrives.
        copy: bool,
    },
}

impl Request {
    /// The message kind (requests of one kind supersede each other in the worker's queue).
    pub fn kind(&self) -> &'static str {
        match self {
            Request::Evaluate { .. } => "evaluate",
            Request::Rows { .. } => "rows",
            Request::Explain { .. } => "explain",
            Request::Timeline { .. } => "timeline",
            Request::Export { .. } => "export",
            Request::Share { .. } => "share",
        }
    }
}

/// One resource row, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// `Kind/namespace/name`.
    pub key: String,
    /// Namespace, or `<cluster>`.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// `Kind/name` of the claiming policy or `<none>`.
    pub policy: String,
    /// `cluster:replicas, …` or `<none>`.
    pub placement: String,
    /// Apply results.
    pub apply: String,
    /// Scheduling error.
    pub error: String,
}

/// The rows the page draws: never the whole fleet, only what is shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsPage {
    /// The filter they match.
    pub filter: String,
    /// How many were asked for.
    pub limit: usize,
    /// Resources in all.
    pub total: usize,
    /// Resources matching the filter.
    pub matching: usize,
    /// The first `limit` of them.
    pub rows: Vec<Row>,
}

/// A diagnostic with editor positions (1-based lines, 1-based UTF-16 columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diag {
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// Stable code.
    pub code: String,
    /// Message.
    pub message: String,
    /// Help.
    pub help: Option<String>,
    /// Start line (0 when the diagnostic has no position).
    pub line: usize,
    /// Start column (UTF-16).
    pub col: usize,
    /// End line.
    pub end_line: usize,
    /// End column (UTF-16, exclusive).
    pub end_col: usize,
}

/// One policy of the why-trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRow {
    /// `Kind/name`.
    pub policy: String,
    /// Explicit priority.
    pub priority: i32,
    /// Best selector match.
    pub matched: String,
    /// `Always` / `Never`.
    pub preemption: String,
    /// Verdict.
    pub verdict: String,
    /// Why.
    pub reason: String,
    /// For a policy the webhook refused: the denial, positioned in the editor.
    pub denial: Option<Diag>,
}

/// One cluster of the why-trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterRow {
    /// Cluster.
    pub name: String,
    /// Filter verdicts.
    pub filters: String,
    /// Score.
    pub score: String,
    /// Available replicas.
    pub available: String,
    /// Selected.
    pub selected: bool,
    /// Replicas.
    pub replicas: String,
}

/// The why-trace of one resource, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainView {
    /// Resource key.
    pub key: String,
    /// `Kind namespace/name`.
    pub title: String,
    /// Policies considered, best first.
    pub policies: Vec<PolicyRow>,
    /// What happened: (step, event kind, message).
    pub events: Vec<(usize, String, String)>,
    /// clusterAffinities attempts.
    pub groups: Vec<String>,
    /// Per-cluster verdicts.
    pub clusters: Vec<ClusterRow>,
    /// The score plugin when scores decide the order (the score column is shown only then).
    pub score_plugin: Option<String>,
    /// Division arithmetic.
    pub division: Option<String>,
    /// Scheduling error.
    pub error: Option<String>,
    /// Overrides per cluster: (cluster, what).
    pub overrides: Vec<(String, String)>,
}

/// One step of the timeline, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    /// Heading.
    pub title: String,
    /// Events: (kind, text).
    pub events: Vec<(String, String)>,
}

/// The result of an evaluation (`Eq`, so an `Rc` of it compares by pointer first: 10,000 rows are not
/// compared on every render).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluated {
    /// Edit number.
    pub seq: u32,
    /// False when the input could not be evaluated (rows are then empty).
    pub ok: bool,
    /// The first rows (as the request asked).
    pub rows: RowsPage,
    /// The resource the request asked to explain.
    pub requested: Option<String>,
    /// The resource explained: the requested one if it exists, else the first.
    pub selected: Option<String>,
    /// Diagnostics.
    pub diagnostics: Vec<Diag>,
    /// Gate in effect.
    pub gate_on: bool,
    /// The scenario's `# feature-gates:` value of the gate when the toolbar overrides it with another one.
    pub overridden: Option<bool>,
    /// Number of timeline steps.
    pub steps: usize,
    /// Evaluation time in the worker (ms).
    pub core_ms: u32,
    /// Why-trace of the requested (or first) resource.
    pub explain: Option<ExplainView>,
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Response {
    /// An evaluation finished.
    Evaluated(Box<Evaluated>),
    /// Rows (of evaluation `seq`).
    Rows {
        /// Evaluation.
        seq: u32,
        /// The page.
        page: RowsPage,
    },
    /// A why-trace (of evaluation `seq`).
    Explained {
        /// Evaluation.
        seq: u32,
        /// The trace, none when the resource does not exist.
        explain: Option<Box<ExplainView>>,
    },
    /// A timeline page (of evaluation `seq`).
    Timeline {
        /// Evaluation.
        seq: u32,
        /// Steps in all.
        total: usize,
        /// The page.
        steps: Vec<StepView>,
    },
    /// The report, formatted.
    Exported {
        /// Evaluation.
        seq: u32,
        /// Format.
        format: Format,
        /// Text.
        text: String,
    },
    /// A share fragment.
    Shared {
        /// `v2:…` (without `#`).
        fragment: String,
        /// Copy requested.
        copy: bool,
    },
    /// Nothing to answer (no evaluation held yet).
    Nothing,
}
