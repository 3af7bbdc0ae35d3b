//! Test harness for integration tests: the real control plane, the real `helm` CLI, a real
//! OCI registry and an HTTP chart repository, each found or started here. A component that
//! is missing fails the test with the command that provides it; nothing is skipped.
// Each test binary uses a different part of the harness; and harness code fails the test the
// way test code does, by panicking with what went wrong.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

pub mod cluster;
pub mod components;
pub mod controller;
pub mod differential;
pub mod helmchart;
pub mod proxy;
pub mod registry;
pub mod repo;
pub mod tls;

use std::time::{Duration, Instant};

/// Polls `check` until it returns `Some`, or fails the test with `what` after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A process-wide TLS crypto provider; rustls refuses to pick one on its own when more than
/// one is compiled in.
pub fn init_crypto() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}
