//! OCIRepositories reconciled by `helmsync controller` against the real registry, with a
//! chart pushed by the real `helm push`: the chart layer copied as-is, or extracted; pulled
//! through a `proxySecretRef` proxy with the pull secrets of a `serviceAccountName`; and
//! cloud providers refused once, without retries.
mod support;

use std::time::Duration;

use helmsync::api::meta::{Condition, ConditionStatus};
use helmsync::api::ocirepository::v1::OCIRepository;
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use kube::Api;
use kube::api::PostParams;
use support::cluster::{TestNamespace, client};
use support::controller::{ChartRepoDir, TestController, install_crds};
use support::eventually;
use support::proxy::ForwardProxy;
use support::registry::{Blob, Registry};

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
    let url = registry.push_chart(&archive);
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

fn condition(repo: &OCIRepository, type_: &str) -> Option<Condition> {
    repo.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
        .cloned()
}

/// Waits until Ready=False and returns its message.
async fn wait_failed(api: &Api<OCIRepository>, name: &str) -> String {
    eventually(
        &format!("OCIRepository {name} Ready=False"),
        WAIT,
        || async {
            let repo = api.get(name).await.ok()?;
            condition(&repo, "Ready")
                .filter(|c| c.status == ConditionStatus::False)
                .map(|c| c.message)
        },
    )
    .await
}

async fn create<K>(api: &Api<K>, manifest: serde_json::Value)
where
    K: kube::Resource + Clone + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
{
    let object: K = serde_json::from_value(manifest).unwrap();
    api.create(&PostParams::default(), &object).await.unwrap();
}

fn oci_repository(name: &str, url: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut spec = serde_json::json!({
        "url": url, "insecure": true, "interval": "1h", "timeout": "10s",
        "ref": {"tag": "1.2.3"},
        "layerSelector": {"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                          "operation": "copy"}
    });
    if let (Some(spec), serde_json::Value::Object(extra)) = (spec.as_object_mut(), extra) {
        spec.extend(extra);
    }
    serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "OCIRepository",
        "metadata": {"name": name}, "spec": spec
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ocirepository_pulls_through_its_proxy_with_its_service_accounts_pull_secret() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-ocirepo-access").await;
    let registry = Registry::start_with_auth("puller", "pull-pass");
    let charts = ChartRepoDir::new();
    let archive = std::fs::read(charts.publish("1.2.3")).unwrap();
    let config = Blob {
        media_type: "application/vnd.cncf.helm.config.v1+json",
        data: br#"{"name":"smoke","version":"1.2.3","apiVersion":"v2"}"#,
    };
    let layer = Blob {
        media_type: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
        data: &archive,
    };
    registry
        .push_artifact("charts/smoke", "1.2.3", config, &[layer])
        .await;
    let url = format!("oci://{}/charts/smoke", registry.host);
    let proxy = ForwardProxy::start(Some(("proxy-user", "proxy-pass"))).await;

    let secrets: Api<Secret> = ns.api();
    let docker_config = serde_json::json!({"auths": {registry.host.clone(): {
        "username": "puller", "password": "pull-pass"}}});
    create(
        &secrets,
        serde_json::json!({
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "pull"},
            "type": "kubernetes.io/dockerconfigjson",
            "stringData": {".dockerconfigjson": docker_config.to_string()}
        }),
    )
    .await;
    for (name, password) in [("proxy", "proxy-pass"), ("wrong-proxy", "not-the-pass")] {
        create(
            &secrets,
            serde_json::json!({
                "apiVersion": "v1", "kind": "Secret", "metadata": {"name": name},
                "stringData": {"address": proxy.address, "username": "proxy-user",
                               "password": password}
            }),
        )
        .await;
    }
    let accounts: Api<ServiceAccount> = ns.api();
    create(
        &accounts,
        serde_json::json!({
            "apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "puller"},
            "imagePullSecrets": [{"name": "pull"}]
        }),
    )
    .await;

    let controller = TestController::start(&client, &ns.name).await;
    let api: Api<OCIRepository> = ns.api();
    create(
        &api,
        oci_repository(
            "proxied",
            &url,
            serde_json::json!({"serviceAccountName": "puller",
                               "proxySecretRef": {"name": "proxy"}}),
        ),
    )
    .await;
    let pulled = wait_ready(&api, "proxied").await;
    let artifact = pulled.status.unwrap().artifact.unwrap();
    let served = reqwest::get(&artifact.url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(served.as_ref(), archive.as_slice());
    assert!(proxy.carried() > 0, "nothing went through the proxy");
    assert_eq!(proxy.refused(), 0);

    // Without the ServiceAccount the registry refuses the pull.
    create(
        &api,
        oci_repository("anonymous", &url, serde_json::json!({})),
    )
    .await;
    let message = wait_failed(&api, "anonymous").await;
    assert!(message.contains("401"), "{message}");

    // A ServiceAccount that does not exist is named.
    create(
        &api,
        oci_repository(
            "no-account",
            &url,
            serde_json::json!({"serviceAccountName": "nobody"}),
        ),
    )
    .await;
    let message = wait_failed(&api, "no-account").await;
    assert!(
        message.contains(r#"serviceaccounts "nobody" not found"#),
        "{message}"
    );

    // The proxy refuses wrong credentials: the traffic goes nowhere else, and neither
    // password reaches the status.
    let carried = proxy.carried();
    create(
        &api,
        oci_repository(
            "wrong-proxy",
            &url,
            serde_json::json!({"serviceAccountName": "puller",
                               "proxySecretRef": {"name": "wrong-proxy"}}),
        ),
    )
    .await;
    let message = wait_failed(&api, "wrong-proxy").await;
    assert!(proxy.refused() > 0, "{message}");
    assert_eq!(proxy.carried(), carried, "{message}");
    for secret in ["not-the-pass", "proxy-pass", "pull-pass"] {
        assert!(!message.contains(secret), "{message}");
    }
    controller.stop().await;
    ns.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_provider_is_stalled_once_with_a_message_naming_it() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-ocirepo-provider").await;
    let controller = TestController::start(&client, &ns.name).await;
    let api: Api<OCIRepository> = ns.api();
    create(
        &api,
        oci_repository(
            "aws",
            "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts/smoke",
            serde_json::json!({"provider": "aws"}),
        ),
    )
    .await;
    let stalled = eventually("OCIRepository aws Stalled", WAIT, || async {
        let repo = api.get("aws").await.ok()?;
        condition(&repo, "Stalled")
            .filter(|c| c.status == ConditionStatus::True)
            .map(|_| repo)
    })
    .await;
    let ready = condition(&stalled, "Ready").unwrap();
    assert_eq!(ready.status, ConditionStatus::False);
    assert_eq!(ready.reason, "InvalidProviderConfiguration");
    assert!(
        ready.message.contains("provider 'aws'"),
        "{}",
        ready.message
    );
    assert!(ready.message.contains("'generic'"), "{}", ready.message);
    assert!(condition(&stalled, "Reconciling").is_none());
    // No retries: nothing is written again while the spec stays the same.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let later = api.get("aws").await.unwrap();
    assert_eq!(
        later.metadata.resource_version,
        stalled.metadata.resource_version
    );
    controller.stop().await;
    ns.cleanup().await;
}
