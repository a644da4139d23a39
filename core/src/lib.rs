//! Pure evaluator of Karmada propagation: which PropagationPolicy claims each resource template and where it
//! lands, reproducing Karmada's detector, admission webhooks and scheduler (karmada-io/karmada f8fdd02).
//!
//! Data flows one way: text → [`scenario`] → events ([`detector`]) → claims → bindings → placements
//! ([`scheduler`]) → Works ([`execution`]) → an [`Evaluation`], whose views are the [`report`] and each
//! resource's explanation.
//!
//! ```
//! let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n";
//! let evaluation = karmada_policy_core::evaluate(yaml, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
//! let report = evaluation.report();
//! assert_eq!(report.resources[0].policy, None);
//! let why = evaluation.explain("ConfigMap", "default", "cm").unwrap_or_default();
//! assert!(why.policies.is_empty());
//! ```

#![warn(missing_docs)]

pub mod api;
pub mod controller_notes;
pub mod dependencies;
pub mod detector;
pub mod diagnostic;
pub mod engine;
pub mod evaluation;
pub mod execution;
pub mod lanes;
pub mod lint;
pub mod overrides;
pub mod report;
pub mod scenario;
pub mod scheduler;
pub mod selector;
pub mod util;
pub mod webhook;
pub mod work;
pub mod yamlpath;

pub use diagnostic::{Diagnostic, Severity};
pub use engine::{evaluate, evaluate_scenario, InputError, Options};
pub use evaluation::Evaluation;
pub use report::Report;
