//! Which failed writes the reconcilers treat as a lost race (requeued quietly, as
//! controller-runtime does) and which as real errors, checked against the answers of the
//! real API server.
mod support;

use helmsync::api::helmrepository::HelmRepository;
use helmsync::reconcile::FINALIZER;
use helmsync::reconcile::source::is_conflict;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use support::cluster::{TestNamespace, client};
use support::controller::install_crds;

fn repository(name: &str) -> HelmRepository {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
        "metadata": {"name": name, "finalizers": ["example.com/other"]},
        "spec": {"url": "http://127.0.0.1:1/", "interval": "1h"}
    }))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_finalizer_patch_is_a_conflict_and_an_invalid_object_is_not() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-finalizer").await;
    let api: Api<HelmRepository> = ns.api();
    let created = api
        .create(&PostParams::default(), &repository("stale"))
        .await
        .unwrap();

    // The finalizer helper's patch, built from a copy that has not seen the other
    // finalizer yet: its `test` no longer holds.
    let stale: json_patch::Patch = serde_json::from_value(serde_json::json!([
        {"op": "test", "path": "/metadata/finalizers", "value": null},
        {"op": "add", "path": "/metadata/finalizers", "value": [FINALIZER]},
    ]))
    .unwrap();
    let error = api
        .patch("stale", &PatchParams::default(), &Patch::Json::<()>(stale))
        .await
        .expect_err("a failed test operation is refused");
    assert!(is_conflict(&error), "not taken for a conflict: {error:?}");

    // An update from an outdated resourceVersion: 409.
    let mut outdated = created.clone();
    outdated.metadata.resource_version = Some("1".to_owned());
    let error = api
        .replace("stale", &PostParams::default(), &outdated)
        .await
        .expect_err("an outdated resourceVersion is refused");
    assert!(is_conflict(&error), "not taken for a conflict: {error:?}");

    // A value the schema refuses is 422 too, and a real error.
    let invalid = serde_json::json!({"spec": {"url": "ftp://example.com"}});
    let error = api
        .patch("stale", &PatchParams::default(), &Patch::Merge(&invalid))
        .await
        .expect_err("an invalid URL is refused");
    assert!(!is_conflict(&error), "taken for a conflict: {error:?}");
    ns.cleanup().await;
}
