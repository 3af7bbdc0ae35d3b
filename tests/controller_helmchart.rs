//! HelmCharts reconciled by `helmsync controller` against the real control plane: from an
//! HTTP HelmRepository (waiting for a source that does not exist yet, picking up a newly
//! published version when the repository's index changes, reporting a range nothing
//! satisfies) and from an OCI HelmRepository backed by the real registry and `helm push`.
mod support;

use helmsync::api::helmchart::HelmChart;
use helmsync::api::helmrepository::HelmRepository;
use helmsync::api::meta::ConditionStatus;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use support::cluster::{TestNamespace, client};
use support::controller::{ChartRepoDir, TestController, install_crds};
use support::helmchart::{artifact_revision, ready, wait_for};
use support::registry::Registry;
use support::repo::{HelmRepoServer, RepoOptions};

async fn create<
    K: kube::Resource + serde::Serialize + serde::de::DeserializeOwned + Clone + std::fmt::Debug,
>(
    api: &Api<K>,
    manifest: serde_json::Value,
) {
    let object: K = serde_json::from_value(manifest).unwrap();
    api.create(&PostParams::default(), &object).await.unwrap();
}

fn chart(name: &str, source: &str, version: &str) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
        "metadata": {"name": name},
        "spec": {"chart": "smoke", "version": version, "interval": "1h",
                 "sourceRef": {"kind": "HelmRepository", "name": source}}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_helmchart_waits_for_its_repository_then_follows_new_versions() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-chart-http").await;
    let charts = ChartRepoDir::new();
    let v1 = charts.publish("0.1.0");
    let server = HelmRepoServer::start(charts.path(), RepoOptions::default()).await;
    let controller = TestController::start(&client, &ns.name).await;
    let chart_api: Api<HelmChart> = ns.api();
    let repo_api: Api<HelmRepository> = ns.api();

    // The source does not exist yet: Ready=False, SourceUnavailable, retried.
    create(&chart_api, chart("smoke", "charts", "0.x")).await;
    let waiting = wait_for(&chart_api, "smoke", "SourceUnavailable", |c| {
        ready(c)
            .is_some_and(|r| r.status == ConditionStatus::False && r.reason == "SourceUnavailable")
    })
    .await;
    let message = ready(&waiting).unwrap().message;
    assert!(
        message.contains(&format!("'{}/charts' not found", ns.name)),
        "{message}"
    );

    create(
        &repo_api,
        serde_json::json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
            "metadata": {"name": "charts"}, "spec": {"url": server.url, "interval": "1h"}
        }),
    )
    .await;
    let built = wait_for(&chart_api, "smoke", "Ready with 0.1.0", |c| {
        ready(c).is_some_and(|r| r.status == ConditionStatus::True)
            && artifact_revision(c).as_deref() == Some("0.1.0")
    })
    .await;
    let ready_condition = ready(&built).unwrap();
    assert_eq!(ready_condition.reason, "ChartPullSucceeded");
    assert_eq!(
        ready_condition.message,
        "pulled 'smoke' chart with version '0.1.0'"
    );
    let status = built.status.clone().unwrap();
    let artifact = status.artifact.unwrap();
    assert_eq!(
        artifact.path,
        format!("helmchart/{}/smoke/smoke-0.1.0.tgz", ns.name)
    );
    assert_eq!(status.observed_chart_name.as_deref(), Some("smoke"));
    let repo = repo_api.get("charts").await.unwrap();
    assert_eq!(
        status.observed_source_artifact_revision,
        Some(repo.status.unwrap().artifact.unwrap().revision)
    );
    let served = reqwest::get(&artifact.url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(served.as_ref(), std::fs::read(&v1).unwrap().as_slice());

    // A new version in range: once the repository has the new index, the chart follows
    // (both intervals are an hour, so only the new source artifact explains it).
    charts.publish("0.2.0");
    let patch = serde_json::json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "new-index"}}});
    repo_api
        .patch("charts", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap();
    wait_for(&chart_api, "smoke", "Ready with 0.2.0", |c| {
        artifact_revision(c).as_deref() == Some("0.2.0")
    })
    .await;

    // A range nothing satisfies is reported with Flux's reason.
    create(&chart_api, chart("future", "charts", ">=5.0.0")).await;
    let failed = wait_for(&chart_api, "future", "a failed build", |c| {
        ready(c).is_some_and(|r| r.status == ConditionStatus::False)
    })
    .await;
    let condition = ready(&failed).unwrap();
    assert_eq!(
        condition.reason, "InvalidChartReference",
        "{}",
        condition.message
    );
    assert!(
        condition.message.contains(">=5.0.0"),
        "{}",
        condition.message
    );
    controller.stop().await;
    ns.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_helmchart_is_pulled_from_an_oci_helmrepository() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-chart-oci").await;
    let registry = Registry::start_anonymous();
    let charts = ChartRepoDir::new();
    let archive = charts.publish("1.2.3");
    let url = registry.push_chart(&archive);
    let controller = TestController::start(&client, &ns.name).await;
    let chart_api: Api<HelmChart> = ns.api();
    let repo_api: Api<HelmRepository> = ns.api();
    create(
        &repo_api,
        serde_json::json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
            "metadata": {"name": "registry"},
            "spec": {"url": url, "type": "oci", "insecure": true, "interval": "1h"}
        }),
    )
    .await;
    create(&chart_api, chart("smoke", "registry", "1.x")).await;
    let built = wait_for(&chart_api, "smoke", "Ready with 1.2.3", |c| {
        ready(c).is_some_and(|r| r.status == ConditionStatus::True)
            && artifact_revision(c).as_deref() == Some("1.2.3")
    })
    .await;
    let artifact = built.status.unwrap().artifact.unwrap();
    let served = reqwest::get(&artifact.url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(served.as_ref(), std::fs::read(&archive).unwrap().as_slice());
    // An OCI HelmRepository is static: no status, no finalizer.
    let repo = repo_api.get("registry").await.unwrap();
    assert!(repo.status.unwrap_or_default().conditions.is_none());
    assert!(repo.metadata.finalizers.unwrap_or_default().is_empty());
    controller.stop().await;
    ns.cleanup().await;
}
