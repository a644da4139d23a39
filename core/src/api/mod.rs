//! Typed Karmada and Kubernetes objects: what a scenario document can be.

pub mod binding;
pub mod cluster;
pub mod decode;
#[cfg(test)]
mod decode_reference;
mod decoders;
pub mod meta;
pub mod override_policy;
pub mod policy;
pub mod quantity;
pub mod template;

pub use binding::{binding_name, ObjectReference, PolicyRef, ReplicaRequirements, ResourceBinding};
pub use cluster::Cluster;
pub use meta::{LabelSelector, LabelSelectorRequirement, ObjectMeta, Taint, Toleration};
pub use policy::{PolicyKind, PropagationPolicy, PropagationSpec};
pub use quantity::Quantity;
pub use template::{is_cluster_scoped, ResourceTemplate};
