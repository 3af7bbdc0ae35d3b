//! helmsync: a Kubernetes Helm release controller, compatible with Flux's APIs.
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod api;
pub mod cli;
pub mod reconcile;
pub mod runtime;
pub mod source;
