//! Shutdown of the in-process controller: a shutdown requested before the watches have
//! listed their objects still ends every controller at once instead of waiting for the
//! graceful shutdown timeout.
mod support;

use std::time::{Duration, Instant};

use support::cluster::{TestNamespace, client};
use support::controller::{TestController, install_crds};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_right_after_start_ends_every_controller_at_once() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-shutdown").await;
    for round in 0..5 {
        let controller = TestController::start_with(&client, &ns.name, |config| {
            config.graceful_shutdown_timeout = Duration::from_secs(600);
        })
        .await;
        // Round 0 stops before the first LIST can have answered; later rounds a little later.
        tokio::time::sleep(Duration::from_millis(round * 20)).await;
        let started = Instant::now();
        tokio::time::timeout(Duration::from_secs(30), controller.stop())
            .await
            .unwrap_or_else(|_| panic!("round {round}: no stop 30 s after the shutdown request"));
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(5),
            "round {round}: stopping took {took:?}"
        );
    }
    ns.cleanup().await;
}
