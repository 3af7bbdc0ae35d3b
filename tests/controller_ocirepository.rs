//! OCIRepositories reconciled by `helmsync controller` against the real registry, with a
//! chart pushed by the real `helm push`: the chart layer copied as-is, or extracted.
mod support;

use std::time::Duration;

use helmsync::api::meta::ConditionStatus;
use helmsync::api::ocirepository::v1::OCIRepository;
use kube::Api;
use kube::api::PostParams;
use support::cluster::{TestNamespace, client};
use support::components::{helm, helm_command, run_ok};
use support::controller::{ChartRepoDir, TestController, install_crds};
use support::eventually;
use support::registry::Registry;

const WAIT: Duration = Duration::from_secs(60);

async fn wait_ready(api: &Api<OCIRepository>, name: &str) -> OCIRepository {
    eventually(&format!("OCIRepository {name} Ready"), WAIT, || async {
        let repo = api.get(name).await.ok()?;
        let ready = repo
            .status
            .as_ref()?
            .conditions
            .as_ref()?
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == ConditionStatus::True);
        ready.then_some(repo)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ocirepository_stores_the_chart_layer_copied_or_extracted() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-ocirepo").await;
    let registry = Registry::start_anonymous();
    let charts = ChartRepoDir::new();
    let archive = charts.publish("1.2.3");
    let home = tempfile::tempdir().unwrap();
    let url = format!("oci://{}/charts", registry.host);
    run_ok(
        helm_command(&helm(), home.path())
            .arg("push")
            .arg(&archive)
            .arg(&url)
            .arg("--plain-http"),
    );
    let controller = TestController::start(&client, &ns.name).await;
    let api: Api<OCIRepository> = ns.api();
    for (name, operation) in [("copied", "copy"), ("extracted", "extract")] {
        let object: OCIRepository = serde_json::from_value(serde_json::json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "OCIRepository",
            "metadata": {"name": name},
            "spec": {"url": format!("{url}/smoke"), "insecure": true, "interval": "1h",
                     "ref": {"semver": "1.x"},
                     "layerSelector": {"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                                       "operation": operation}}
        }))
        .unwrap();
        api.create(&PostParams::default(), &object).await.unwrap();
    }

    let copied = wait_ready(&api, "copied").await;
    let status = copied.status.unwrap();
    let artifact = status.artifact.unwrap();
    assert!(
        artifact.revision.starts_with("1.2.3@sha256:"),
        "{}",
        artifact.revision
    );
    assert!(
        artifact
            .path
            .starts_with(&format!("ocirepository/{}/copied/", ns.name))
    );
    let served = reqwest::get(&artifact.url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(served.as_ref(), std::fs::read(&archive).unwrap().as_slice());
    assert!(status.observed_layer_selector.is_some());

    let extracted = wait_ready(&api, "extracted").await;
    let artifact = extracted.status.unwrap().artifact.unwrap();
    let served = reqwest::get(&artifact.url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let files = helmsync::source::oci::extract_tar_gz(&served, Default::default()).unwrap();
    assert!(
        files.iter().any(|f| f.path == "smoke/Chart.yaml"),
        "{:?}",
        files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    controller.stop().await;
    ns.cleanup().await;
}
