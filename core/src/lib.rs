//! Pure evaluator of Karmada propagation: which PropagationPolicy claims each resource template and where it
//! lands, reproducing Karmada's detector, admission webhooks and scheduler (karmada-io/karmada f8fdd02).
//!
//! Data flows one way: text → [`scenario`] → events ([`detector`]) → claims → bindings → placements
//! ([`scheduler`]) → [`report`].

pub mod api;
pub mod scheduler;
pub mod selector;
