//! What happened at each document: the detector's story as data.

use serde::Serialize;

/// Kind of a timeline event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum EventKind {
    /// A policy was admitted and created.
    PolicyCreated,
    /// A policy's spec changed.
    PolicyUpdated,
    /// A policy was re-applied unchanged.
    PolicyUnchanged,
    /// The admission webhook (or CRD schema) refused a policy.
    PolicyDenied,
    /// A policy deletion was requested.
    PolicyDeleted,
    /// The policy's finalizer was removed.
    PolicyGone,
    /// A policy was re-queued by the deprioritized handler.
    PolicyRequeued,
    /// A template was created.
    TemplateCreated,
    /// A template changed.
    TemplateUpdated,
    /// A template was re-applied unchanged.
    TemplateUnchanged,
    /// A template was deleted.
    TemplateDeleted,
    /// The detector ignores the template (reserved or skipped namespace).
    Ignored,
    /// A policy was selected for an unclaimed template.
    Matched,
    /// Claim metadata was written on the template.
    Claimed,
    /// A preemption took a template over.
    Preempted,
    /// A preemption was considered and did not happen.
    PreemptionSkipped,
    /// `preemption: Always` with the gate off.
    PreemptionDisabled,
    /// The claim was removed from the template.
    Released,
    /// No policy matched; the template waits.
    Waiting,
    /// The claiming policy no longer matches the changed template; nothing is refreshed.
    ClaimStale,
    /// Lazy activation skipped the binding update.
    LazySkipped,
    /// A binding was created.
    BindingCreated,
    /// A binding was updated.
    BindingUpdated,
    /// A binding was deleted with its template.
    BindingDeleted,
    /// The scheduler placed (or failed to place) a binding.
    Scheduled,
    /// A Work was written with dispatching suspended: nothing reaches the member cluster.
    Suspended,
    /// The dependencies distributor created, updated or emptied an attached binding.
    DependenciesDistributed,
    /// A Work was applied to a member cluster.
    Applied,
    /// A Work was deleted from a member cluster.
    Removed,
    /// An object was applied in a member cluster's own context (`# context: <cluster>`).
    MemberObjectApplied,
    /// An object was deleted in a member cluster's own context.
    MemberObjectDeleted,
    /// A member cluster joined or changed.
    ClusterApplied,
    /// A member cluster was removed.
    ClusterDeleted,
    /// A reconcile kept failing.
    Error,
}

impl EventKind {
    /// The kind's name, as serialized (`"Claimed"`).
    pub fn as_str(self) -> &'static str {
        // One table instead of serde's per-variant code (the npm package's size budget).
        const NAMES: [&str; 34] = [
            "PolicyCreated",
            "PolicyUpdated",
            "PolicyUnchanged",
            "PolicyDenied",
            "PolicyDeleted",
            "PolicyGone",
            "PolicyRequeued",
            "TemplateCreated",
            "TemplateUpdated",
            "TemplateUnchanged",
            "TemplateDeleted",
            "Ignored",
            "Matched",
            "Claimed",
            "Preempted",
            "PreemptionSkipped",
            "PreemptionDisabled",
            "Released",
            "Waiting",
            "ClaimStale",
            "LazySkipped",
            "BindingCreated",
            "BindingUpdated",
            "BindingDeleted",
            "Scheduled",
            "Suspended",
            "DependenciesDistributed",
            "Applied",
            "Removed",
            "MemberObjectApplied",
            "MemberObjectDeleted",
            "ClusterApplied",
            "ClusterDeleted",
            "Error",
        ];
        NAMES.get(self as usize).copied().unwrap_or("")
    }
}

impl serde::Serialize for EventKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct TimelineEvent {
    /// 1-based step of the stream (documents and directives) that caused it.
    pub step: usize,
    /// 1-based document index that caused it (for a directive: the document before it).
    pub document: usize,
    /// What happened.
    pub kind: EventKind,
    /// The object it is about.
    pub subject: String,
    /// Details.
    pub message: String,
}

/// One step of the stream: a document applied or a directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct StepSummary {
    /// 1-based step number.
    pub step: usize,
    /// 1-based document index (for a directive: the document before it).
    pub document: usize,
    /// `karmada-apiserver` or a member cluster.
    pub context: String,
    /// `apply` or `delete`.
    pub action: String,
    /// `Kind namespace/name` or `Kind name`.
    pub object: String,
}

#[cfg(test)]
mod tests {
    use super::EventKind;

    #[test]
    fn kind_names_are_the_variant_names() {
        use EventKind::*;
        let all = [
            PolicyCreated,
            PolicyUpdated,
            PolicyUnchanged,
            PolicyDenied,
            PolicyDeleted,
            PolicyGone,
            PolicyRequeued,
            TemplateCreated,
            TemplateUpdated,
            TemplateUnchanged,
            TemplateDeleted,
            Ignored,
            Matched,
            Claimed,
            Preempted,
            PreemptionSkipped,
            PreemptionDisabled,
            Released,
            Waiting,
            ClaimStale,
            LazySkipped,
            BindingCreated,
            BindingUpdated,
            BindingDeleted,
            Scheduled,
            Suspended,
            DependenciesDistributed,
            Applied,
            Removed,
            MemberObjectApplied,
            MemberObjectDeleted,
            ClusterApplied,
            ClusterDeleted,
            Error,
        ];
        for (i, k) in all.iter().enumerate() {
            assert_eq!(*k as usize, i, "variants in declaration order");
            assert_eq!(k.as_str(), format!("{k:?}"));
            assert_eq!(serde_json::to_string(k).unwrap_or_default(), format!("\"{k:?}\""));
        }
    }
}
