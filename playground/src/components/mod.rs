//! The page's components.

pub mod diagnostics;
pub mod explain;
pub mod resources;
pub mod timeline;
