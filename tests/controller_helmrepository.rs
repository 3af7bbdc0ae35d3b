//! `helmsync controller` against the real control plane: a HelmRepository served by the
//! test harness becomes Ready with its index as the artifact, is served by the artifact
//! server, records metrics and Events, handles `reconcile.fluxcd.io/requestedAt`, honours
//! `suspend`, reports bad credentials by name, removes its artifacts when deleted, and
//! says `Reconciling` while it works (writing nothing more for an unchanged object).
mod support;

use std::time::Duration;

use helmsync::api::helmrepository::HelmRepository;
use helmsync::api::meta::ConditionStatus;
use k8s_openapi::api::core::v1::{Event, Secret};
use kube::api::{DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use support::cluster::{TestNamespace, client};
use support::controller::{ChartRepoDir, TestController, get_text, install_crds};
use support::eventually;
use support::repo::{HelmRepoServer, PathOverride, RepoOptions};

const WAIT: Duration = Duration::from_secs(60);

async fn setup(prefix: &str) -> (Client, TestNamespace) {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, prefix).await;
    (client, ns)
}

async fn create_repository(api: &Api<HelmRepository>, name: &str, spec: serde_json::Value) {
    let repo: HelmRepository = serde_json::from_value(serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "HelmRepository",
        "metadata": {"name": name},
        "spec": spec,
    }))
    .unwrap();
    api.create(&PostParams::default(), &repo).await.unwrap();
}

/// Waits until Ready has `status` and returns the object.
async fn wait_ready(
    api: &Api<HelmRepository>,
    name: &str,
    status: ConditionStatus,
) -> HelmRepository {
    eventually(
        &format!("HelmRepository {name} Ready={status:?}"),
        WAIT,
        || async {
            let repo = api.get(name).await.ok()?;
            let ready = repo
                .status
                .as_ref()?
                .conditions
                .as_ref()?
                .iter()
                .find(|c| c.type_ == "Ready")?
                .clone();
            // A failure does not advance observedGeneration (as in Flux); success does.
            let current = status == ConditionStatus::False
                || ready.observed_generation == repo.metadata.generation;
            (ready.status == status && current).then_some(repo)
        },
    )
    .await
}

fn ready_condition(repo: &HelmRepository) -> helmsync::api::meta::Condition {
    repo.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .cloned()
        .expect("a Ready condition")
}

async fn request_reconcile(api: &Api<HelmRepository>, name: &str, token: &str) {
    let patch = serde_json::json!({"metadata": {"annotations": {
        "reconcile.fluxcd.io/requestedAt": token}}});
    api.patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_helmrepository_becomes_ready_with_its_index_stored_and_served() {
    let (client, ns) = setup("ctl-repo-ready").await;
    let charts = ChartRepoDir::new();
    charts.publish("0.1.0");
    let server = HelmRepoServer::start(charts.path(), RepoOptions::default()).await;
    let controller = TestController::start(&client, &ns.name).await;
    let api: Api<HelmRepository> = ns.api();
    create_repository(
        &api,
        "podinfo",
        serde_json::json!({"url": server.url, "interval": "1m"}),
    )
    .await;

    let repo = wait_ready(&api, "podinfo", ConditionStatus::True).await;
    let status = repo.status.clone().unwrap();
    let artifact = status.artifact.clone().expect("an artifact");
    let index = charts.index_bytes();
    let digest = format!("sha256:{}", helmsync::source::http::sha256_hex(&index));
    assert_eq!(artifact.revision, digest);
    assert_eq!(artifact.digest, digest);
    assert!(
        artifact
            .path
            .starts_with(&format!("helmrepository/{}/podinfo/index-", ns.name))
    );
    assert_eq!(status.observed_generation, repo.metadata.generation);
    assert!(
        repo.metadata
            .finalizers
            .unwrap_or_default()
            .contains(&"finalizers.fluxcd.io".to_owned())
    );
    let types: Vec<&str> = status
        .conditions
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| c.type_.as_str())
        .collect();
    assert_eq!(types, ["Ready", "ArtifactInStorage"]);

    // The artifact server hands out exactly the fetched index.
    let served = reqwest::get(&artifact.url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(served.as_ref(), index.as_slice());

    // Metrics, with Flux's histogram name and labels, and the health probes.
    let metrics = controller.metrics().await;
    let series = format!(
        "gotk_reconcile_duration_seconds_count{{kind=\"HelmRepository\",name=\"podinfo\",namespace=\"{}\"}}",
        ns.name
    );
    assert!(
        metrics.contains(&series),
        "{series} missing from:\n{metrics}"
    );
    assert!(metrics.contains(
        "controller_runtime_reconcile_total{controller=\"helmrepository\",result=\"success\"}"
    ));
    assert_eq!(get_text(&controller.health_url("/healthz")).await, "ok");
    assert_eq!(get_text(&controller.health_url("/readyz")).await, "ok");

    // A Normal event from source-controller carrying the revision.
    let events: Api<Event> = ns.api();
    let event = eventually("a NewArtifact event", WAIT, || async {
        events
            .list(&ListParams::default())
            .await
            .ok()?
            .items
            .into_iter()
            .find(|e| e.reason.as_deref() == Some("NewArtifact"))
    })
    .await;
    assert_eq!(
        event.reporting_component.as_deref(),
        Some("source-controller")
    );
    assert_eq!(event.type_.as_deref(), Some("Normal"));
    assert_eq!(
        event.metadata.annotations.unwrap()["source.toolkit.fluxcd.io/revision"],
        digest
    );

    // Deletion removes the stored artifacts, then the finalizer.
    let dir = controller
        .storage
        .path()
        .join(format!("helmrepository/{}/podinfo", ns.name));
    assert!(dir.is_dir());
    api.delete("podinfo", &DeleteParams::default())
        .await
        .unwrap();
    eventually("the HelmRepository to be gone", WAIT, || async {
        matches!(api.get_opt("podinfo").await, Ok(None)).then_some(())
    })
    .await;
    assert!(!dir.exists(), "{} was not removed", dir.display());
    controller.stop().await;
    ns.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requested_at_triggers_a_reconcile_and_suspend_stops_them() {
    let (client, ns) = setup("ctl-repo-request").await;
    let charts = ChartRepoDir::new();
    charts.publish("0.1.0");
    let server = HelmRepoServer::start(charts.path(), RepoOptions::default()).await;
    let controller = TestController::start(&client, &ns.name).await;
    let api: Api<HelmRepository> = ns.api();
    // A long interval: only the request can explain a second fetch.
    create_repository(
        &api,
        "r",
        serde_json::json!({"url": server.url, "interval": "1h"}),
    )
    .await;
    let first = wait_ready(&api, "r", ConditionStatus::True).await;
    let first_revision = first.status.unwrap().artifact.unwrap().revision;

    charts.publish("0.2.0");
    request_reconcile(&api, "r", "token-1").await;
    let repo = eventually("lastHandledReconcileAt = token-1", WAIT, || async {
        let repo = api.get("r").await.ok()?;
        (repo.status.as_ref()?.last_handled_reconcile_at.as_deref() == Some("token-1"))
            .then_some(repo)
    })
    .await;
    let second_revision = repo.status.unwrap().artifact.unwrap().revision;
    assert_ne!(
        second_revision, first_revision,
        "the new index was not fetched"
    );

    // Suspended: a request is not handled, and nothing is fetched.
    api.patch(
        "r",
        &PatchParams::default(),
        &Patch::Merge(serde_json::json!({"spec": {"suspend": true}})),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let fetches_before = server.requests().len();
    charts.publish("0.3.0");
    request_reconcile(&api, "r", "token-2").await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let repo = api.get("r").await.unwrap();
    let status = repo.status.unwrap();
    assert_eq!(status.last_handled_reconcile_at.as_deref(), Some("token-1"));
    assert_eq!(status.artifact.unwrap().revision, second_revision);
    assert_eq!(
        server.requests().len(),
        fetches_before,
        "a suspended repository was fetched"
    );

    // Resumed: the pending request is handled.
    api.patch(
        "r",
        &PatchParams::default(),
        &Patch::Merge(serde_json::json!({"spec": {"suspend": false}})),
    )
    .await
    .unwrap();
    eventually(
        "lastHandledReconcileAt = token-2 after resume",
        WAIT,
        || async {
            let repo = api.get("r").await.ok()?;
            (repo.status.as_ref()?.last_handled_reconcile_at.as_deref() == Some("token-2"))
                .then_some(())
        },
    )
    .await;
    controller.stop().await;
    ns.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_are_reported_by_name_and_fixed_by_the_secret() {
    let (client, ns) = setup("ctl-repo-auth").await;
    let charts = ChartRepoDir::new();
    charts.publish("0.1.0");
    let options = RepoOptions {
        basic_auth: Some(("reader".into(), "opensesame".into())),
        ..Default::default()
    };
    let server = HelmRepoServer::start(charts.path(), options).await;
    let controller = TestController::start(&client, &ns.name).await;
    let api: Api<HelmRepository> = ns.api();

    create_repository(&api, "anonymous", serde_json::json!({"url": server.url})).await;
    let repo = wait_ready(&api, "anonymous", ConditionStatus::False).await;
    let ready = ready_condition(&repo);
    assert_eq!(ready.reason, "AuthenticationFailed", "{}", ready.message);
    assert!(ready.message.contains("401"), "{}", ready.message);

    create_repository(
        &api,
        "with-secret",
        serde_json::json!({"url": server.url, "secretRef": {"name": "repo-auth"}}),
    )
    .await;
    let repo = wait_ready(&api, "with-secret", ConditionStatus::False).await;
    let ready = ready_condition(&repo);
    assert_eq!(ready.reason, "AuthenticationFailed");
    assert!(
        ready.message.contains(&format!("'{}/repo-auth'", ns.name))
            && ready.message.contains("not found"),
        "{}",
        ready.message
    );

    let secret: Secret = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "repo-auth"},
        "stringData": {"username": "reader", "password": "opensesame"}
    }))
    .unwrap();
    ns.api::<Secret>()
        .create(&PostParams::default(), &secret)
        .await
        .unwrap();
    // The failure is retried with backoff; the secret fixes it without a spec change.
    wait_ready(&api, "with-secret", ConditionStatus::True).await;
    let events: Api<Event> = ns.api();
    let warnings = events.list(&ListParams::default()).await.unwrap().items;
    let warning = warnings
        .iter()
        .find(|e| {
            e.type_.as_deref() == Some("Warning")
                && e.involved_object.name.as_deref() == Some("with-secret")
        })
        .expect("a Warning event for the missing secret");
    assert!(
        !warning
            .message
            .as_deref()
            .unwrap_or_default()
            .contains("opensesame")
    );
    controller.stop().await;
    ns.cleanup().await;
}

/// The Reconciling and Ready conditions of the object, when both are present.
async fn progress(
    api: &Api<HelmRepository>,
    name: &str,
) -> Option<(
    helmsync::api::meta::Condition,
    helmsync::api::meta::Condition,
)> {
    let repo = api.get(name).await.ok()?;
    let conditions = repo.status?.conditions?;
    let find = |type_: &str| conditions.iter().find(|c| c.type_ == type_).cloned();
    Some((find("Reconciling")?, find("Ready")?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconciling_is_reported_while_working_and_an_unchanged_object_is_not_written() {
    let (client, ns) = setup("ctl-repo-progress").await;
    let charts = ChartRepoDir::new();
    charts.publish("0.1.0");
    let options = RepoOptions {
        validators: true,
        ..RepoOptions::default()
    };
    let server = HelmRepoServer::start(charts.path(), options).await;
    // A slow index keeps the reconcile in progress long enough to be seen.
    server.set_override("/index.yaml", PathOverride::Delay(Duration::from_secs(3)));
    let controller = TestController::start(&client, &ns.name).await;
    let api: Api<HelmRepository> = ns.api();
    create_repository(
        &api,
        "slow",
        serde_json::json!({"url": server.url, "interval": "2s"}),
    )
    .await;
    let (reconciling, ready) =
        eventually("Reconciling while the first index downloads", WAIT, || {
            progress(&api, "slow")
        })
        .await;
    assert_eq!(reconciling.status, ConditionStatus::True);
    assert_eq!(reconciling.reason, "Progressing");
    assert_eq!(reconciling.message, "building artifact");
    assert_eq!(ready.status, ConditionStatus::Unknown);
    assert_eq!(ready.reason, "Progressing");
    assert_eq!(ready.message, "building artifact");
    server.clear_override("/index.yaml");
    let repo = wait_ready(&api, "slow", ConditionStatus::True).await;
    assert!(
        progress(&api, "slow").await.is_none(),
        "Reconciling was not removed"
    );

    // Interval reconciles of an unchanged object (the index answers 304) write nothing.
    let version = repo.metadata.resource_version.clone();
    let fetches = server.requests().len();
    eventually("two more index fetches", WAIT, || async {
        (server.requests().len() >= fetches + 2).then_some(())
    })
    .await;
    assert_eq!(
        api.get("slow").await.unwrap().metadata.resource_version,
        version
    );

    // A new generation is announced before the work, as Flux does.
    server.set_override("/index.yaml", PathOverride::Delay(Duration::from_secs(3)));
    api.patch(
        "slow",
        &PatchParams::default(),
        &Patch::Merge(serde_json::json!({"spec": {"timeout": "59s"}})),
    )
    .await
    .unwrap();
    let (reconciling, ready) = eventually("Reconciling for generation 2", WAIT, || async {
        progress(&api, "slow")
            .await
            .filter(|(r, _)| r.message == "processing object: new generation 1 -> 2")
    })
    .await;
    assert_eq!(reconciling.observed_generation, Some(2));
    assert_eq!(ready.status, ConditionStatus::Unknown);
    server.clear_override("/index.yaml");
    wait_ready(&api, "slow", ConditionStatus::True).await;
    assert!(
        progress(&api, "slow").await.is_none(),
        "Reconciling was not removed"
    );
    controller.stop().await;
    ns.cleanup().await;
}
