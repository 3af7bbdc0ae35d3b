//! The `helmsync controller` binary: Flux's flags, the endpoints it serves with KUBECONFIG,
//! graceful exit on SIGTERM (promptly, with every controller stopping, even with
//! HelmCharts that watch their HelmRepository), and bad flags refused before anything
//! connects.
mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use helmsync::api::helmchart::HelmChart;
use helmsync::api::helmrepository::HelmRepository;
use kube::Api;
use kube::api::PostParams;
use support::cluster::{TestNamespace, kubeconfig_path};
use support::controller::{ChartRepoDir, install_crds};
use support::registry::free_port;
use support::repo::{HelmRepoServer, RepoOptions};

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

/// Sends SIGTERM and waits for the exit, failing after `limit`; returns the time it took.
fn terminate(
    child: &mut Child,
    log: &Path,
    limit: Duration,
) -> (std::process::ExitStatus, Duration) {
    let started = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            return (exit, started.elapsed());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!(
                "no exit {limit:?} after SIGTERM; log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The controllers that logged "controller stopped".
fn stopped_controllers(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|entry| entry["message"] == "controller stopped")
        .filter_map(|entry| entry["controller"].as_str().map(str::to_owned))
        .collect()
}

fn assert_all_stopped(log: &str) {
    let stopped = stopped_controllers(log);
    for kind in ["helmrepository", "helmchart", "ocirepository"] {
        assert!(
            stopped.iter().any(|s| s == kind),
            "no 'controller stopped' for {kind} (stopped: {stopped:?}); log:\n{log}"
        );
    }
    assert!(
        !log.contains("graceful shutdown timeout"),
        "the shutdown timed out; log:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_the_watches_start_stops_every_controller_at_once() {
    let client = support::cluster::client().await;
    install_crds(&client).await;
    let storage = tempfile::tempdir().unwrap();
    let log = storage.path().join("controller.log");
    let (metrics, health, files) = (free_port(), free_port(), free_port());
    let mut child = helmsync()
        .args([
            "controller",
            "--log-encoding=json",
            "--graceful-shutdown-timeout=600s",
            &format!("--metrics-addr=127.0.0.1:{metrics}"),
            &format!("--health-addr=127.0.0.1:{health}"),
            &format!("--storage-addr=127.0.0.1:{files}"),
            &format!(
                "--watch-label-selector=helmsync.test/startup={}",
                std::process::id()
            ),
        ])
        .arg(format!("--storage-path={}", storage.path().display()))
        .env("KUBECONFIG", kubeconfig_path())
        .env("RUNTIME_NAMESPACE", "default")
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    // The last controller has started; its first LIST (and its peers') is still on the way.
    let started = Instant::now();
    let starting_last = |line: &str| {
        serde_json::from_str::<serde_json::Value>(line).is_ok_and(|entry| {
            entry["message"] == "starting controller" && entry["controller"] == "ocirepository"
        })
    };
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .any(starting_last)
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the controllers did not start; log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let (exit, took) = terminate(&mut child, &log, Duration::from_secs(30));
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(exit.success(), "exit {exit:?}; stderr:\n{stderr}");
    assert!(
        took < Duration::from_secs(10),
        "took {took:?}; stderr:\n{stderr}"
    );
    assert_all_stopped(&stderr);
    eprintln!("stopped {took:?} after SIGTERM during start-up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_every_controller_promptly_while_helmcharts_watch_their_repository() {
    let client = support::cluster::client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "bin-shutdown").await;
    let charts = ChartRepoDir::new();
    charts.publish("0.1.0");
    let server = HelmRepoServer::start(charts.path(), RepoOptions::default()).await;
    let shard = format!("helmsync.test/shutdown={}", std::process::id());
    let label = serde_json::json!({"helmsync.test/shutdown": std::process::id().to_string()});
    let repo: HelmRepository = serde_json::from_value(serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
        "metadata": {"name": "charts", "labels": label},
        "spec": {"url": server.url, "interval": "1h"}
    }))
    .unwrap();
    let repo_api: Api<HelmRepository> = ns.api();
    repo_api
        .create(&PostParams::default(), &repo)
        .await
        .unwrap();
    let chart_api: Api<HelmChart> = ns.api();
    for name in ["one", "two", "three"] {
        let chart: HelmChart = serde_json::from_value(serde_json::json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
            "metadata": {"name": name, "labels": label},
            "spec": {"chart": "smoke", "version": "0.x", "interval": "1h",
                     "sourceRef": {"kind": "HelmRepository", "name": "charts"}}
        }))
        .unwrap();
        chart_api
            .create(&PostParams::default(), &chart)
            .await
            .unwrap();
    }

    let storage = tempfile::tempdir().unwrap();
    let log = storage.path().join("controller.log");
    let (metrics, health, files) = (free_port(), free_port(), free_port());
    let mut child = helmsync()
        .args([
            "controller",
            "--log-encoding=json",
            // Far longer than the test allows: only a prompt stop passes.
            "--graceful-shutdown-timeout=600s",
            &format!("--metrics-addr=127.0.0.1:{metrics}"),
            &format!("--health-addr=127.0.0.1:{health}"),
            &format!("--storage-addr=127.0.0.1:{files}"),
            &format!("--watch-label-selector={shard}"),
        ])
        .arg(format!("--storage-path={}", storage.path().display()))
        .env("KUBECONFIG", kubeconfig_path())
        .env("RUNTIME_NAMESPACE", "default")
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    for name in ["one", "two", "three"] {
        support::eventually(
            &format!("HelmChart {name} to get its artifact"),
            Duration::from_secs(60),
            || async {
                let chart = chart_api.get(name).await.ok()?;
                chart.status?.artifact.map(|_| ())
            },
        )
        .await;
    }

    let (exit, took) = terminate(&mut child, &log, Duration::from_secs(30));
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(exit.success(), "exit {exit:?}; stderr:\n{stderr}");
    assert!(
        took < Duration::from_secs(10),
        "took {took:?} to stop after SIGTERM; stderr:\n{stderr}"
    );
    assert_all_stopped(&stderr);
    eprintln!("stopped {took:?} after SIGTERM");
    ns.cleanup().await;
}
