//! Leader election through a Lease: of two controllers, only the holder reconciles; when it
//! shuts down it releases the Lease and the other takes over.
mod support;

use std::time::Duration;

use helmsync::api::helmrepository::HelmRepository;
use k8s_openapi::api::coordination::v1::Lease;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use support::cluster::{TestNamespace, client};
use support::controller::{ChartRepoDir, TestController, fast_leader_election, install_crds};
use support::eventually;
use support::repo::{HelmRepoServer, RepoOptions};

const WAIT: Duration = Duration::from_secs(60);
const LEASE: &str = "source-controller-leader-election";

async fn holder(leases: &Api<Lease>) -> Option<String> {
    leases.get_opt(LEASE).await.ok()??.spec?.holder_identity
}

async fn handled(api: &Api<HelmRepository>, token: &str) {
    let patch = serde_json::json!({"metadata": {"annotations": {
        "reconcile.fluxcd.io/requestedAt": token}}});
    api.patch("r", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap();
    eventually(
        &format!("lastHandledReconcileAt = {token}"),
        WAIT,
        || async {
            let repo = api.get("r").await.ok()?;
            (repo.status?.last_handled_reconcile_at.as_deref() == Some(token)).then_some(())
        },
    )
    .await;
}

fn reconciled_series(metrics: &str, namespace: &str) -> bool {
    metrics.contains(&format!(
        "gotk_reconcile_duration_seconds_count{{kind=\"HelmRepository\",name=\"r\",namespace=\"{namespace}\"}}"
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_lease_holder_reconciles_and_the_standby_takes_over() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-leader").await;
    let charts = ChartRepoDir::new();
    charts.publish("0.1.0");
    let server = HelmRepoServer::start(charts.path(), RepoOptions::default()).await;
    let leases: Api<Lease> = ns.api();

    let first = TestController::start_with(&client, &ns.name, |c| {
        c.leader_election = Some(fast_leader_election(&ns.name, LEASE));
        c.instance = "first".into();
    })
    .await;
    eventually("the first instance to hold the Lease", WAIT, || async {
        (holder(&leases).await.as_deref() == Some("first")).then_some(())
    })
    .await;
    let second = TestController::start_with(&client, &ns.name, |c| {
        c.leader_election = Some(fast_leader_election(&ns.name, LEASE));
        c.instance = "second".into();
    })
    .await;

    let api: Api<HelmRepository> = ns.api();
    let repo: HelmRepository = serde_json::from_value(serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
        "metadata": {"name": "r"}, "spec": {"url": server.url, "interval": "1h"}
    }))
    .unwrap();
    api.create(&PostParams::default(), &repo).await.unwrap();
    handled(&api, "one").await;
    // Several lease periods pass with the standby running.
    tokio::time::sleep(Duration::from_secs(6)).await;
    handled(&api, "two").await;

    assert_eq!(holder(&leases).await.as_deref(), Some("first"));
    let first_metrics = first.metrics().await;
    let second_metrics = second.metrics().await;
    assert!(
        reconciled_series(&first_metrics, &ns.name),
        "{first_metrics}"
    );
    assert!(
        first_metrics.contains("leader_election_master_status 1"),
        "{first_metrics}"
    );
    assert!(
        !reconciled_series(&second_metrics, &ns.name),
        "the standby reconciled:\n{second_metrics}"
    );
    assert!(
        second_metrics.contains("leader_election_master_status 0"),
        "{second_metrics}"
    );

    // A graceful stop releases the Lease; the standby takes it over and reconciles.
    first.stop().await;
    eventually("the second instance to hold the Lease", WAIT, || async {
        (holder(&leases).await.as_deref() == Some("second")).then_some(())
    })
    .await;
    handled(&api, "three").await;
    let second_metrics = second.metrics().await;
    assert!(
        reconciled_series(&second_metrics, &ns.name),
        "{second_metrics}"
    );
    assert!(second_metrics.contains("leader_election_master_status 1"));
    second.stop().await;
    eventually("the Lease to be released", WAIT, || async {
        holder(&leases).await.is_none().then_some(())
    })
    .await;
    ns.cleanup().await;
}
