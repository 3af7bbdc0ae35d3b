//! helmsync-engine: chart bytes and values in, rendered manifests out.
//!
//! Pure by design: no Kubernetes client, no async runtime, no network, no clock or
//! environment access. The controller and the CLI both call into it.
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod chart;
pub mod funcs;
pub mod gofmt;
pub mod json;
pub mod render;
pub mod semver;
pub mod template;
pub mod value;
pub mod values;
pub mod yaml;

pub use value::{IntKind, ListKind, Map, MapKind, MapRef, Object, Value};
