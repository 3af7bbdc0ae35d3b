//! The `helmsync controller` binary: Flux's flags, the endpoints it serves with KUBECONFIG,
//! graceful exit on SIGTERM, and bad flags refused before anything connects.
mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::cluster::kubeconfig_path;
use support::controller::install_crds;
use support::registry::free_port;

fn helmsync() -> Command {
    Command::new(env!("CARGO_BIN_EXE_helmsync"))
}

#[test]
fn a_bad_flag_is_a_usage_error_before_anything_connects() {
    let out = helmsync()
        .args(["controller", "--metrics-addr=8080"])
        // Nothing may be contacted: a kubeconfig that points nowhere proves it.
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--metrics-addr"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_controller_serves_its_endpoints_and_exits_cleanly_on_sigterm() {
    let client = support::cluster::client().await;
    install_crds(&client).await;
    let storage = tempfile::tempdir().unwrap();
    let (metrics, health, files) = (free_port(), free_port(), free_port());
    let log = storage.path().join("controller.log");
    let mut child = helmsync()
        .args([
            "controller",
            "--log-encoding=json",
            "--enable-leader-election",
            "--leader-election-lease-duration=4s",
            "--leader-election-renew-deadline=3s",
            "--leader-election-retry-period=1s",
            "--graceful-shutdown-timeout=5s",
            &format!("--metrics-addr=127.0.0.1:{metrics}"),
            &format!("--health-addr=127.0.0.1:{health}"),
            &format!("--storage-addr=127.0.0.1:{files}"),
        ])
        .arg(format!("--storage-path={}", storage.path().display()))
        // Its own shard, so its Lease is not one a stale instance may hold.
        .arg(format!(
            "--watch-label-selector=helmsync.test/binary={}",
            std::process::id()
        ))
        .env("KUBECONFIG", kubeconfig_path())
        .env("RUNTIME_NAMESPACE", "default")
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    support::eventually("/readyz to answer ok", Duration::from_secs(30), || async {
        let response = reqwest::get(format!("http://127.0.0.1:{health}/readyz"))
            .await
            .ok()?;
        response.status().is_success().then_some(())
    })
    .await;
    let text = support::eventually(
        "the instance to become leader",
        Duration::from_secs(30),
        || async {
            let text = reqwest::get(format!("http://127.0.0.1:{metrics}/metrics"))
                .await
                .ok()?
                .text()
                .await
                .ok()?;
            text.contains("leader_election_master_status 1")
                .then_some(text)
        },
    )
    .await;
    // Nothing matches the selector, so no reconcile series yet: only the OpenMetrics frame.
    assert!(text.ends_with("# EOF\n"), "{text}");

    let started = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no exit 20s after SIGTERM; log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(exit.success(), "exit {exit:?}; stderr:\n{stderr}");
    // JSON logs, one object a line, and the lease given back on the way out.
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        serde_json::from_str::<serde_json::Value>(first).is_ok(),
        "{first}"
    );
    assert!(
        stderr.contains("released the leader election lease"),
        "{stderr}"
    );
}
