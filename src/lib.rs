//! helmsync: a Kubernetes Helm release controller, compatible with Flux's APIs.
#![forbid(unsafe_code)]

pub mod api;
pub mod cli;
