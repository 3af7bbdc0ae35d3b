//! helmsync's CRDs install on a real API server and accept Flux's own sample manifests.
#![allow(clippy::expect_used)] // helpers fail the test by panicking, as tests do
mod support;

use std::path::PathBuf;
use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use support::cluster::{TestNamespace, client};
use support::eventually;

async fn install_crds(client: &Client) {
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    for crd in helmsync::api::crds().expect("CRDs") {
        let name = crd.metadata.name.clone().expect("CRD name");
        crds.patch(
            &name,
            &PatchParams::apply("helmsync-tests").force(),
            &Patch::Apply(&crd),
        )
        .await
        .unwrap_or_else(|e| panic!("the API server refused CRD {name}: {e}"));
        eventually(
            &format!("CRD {name} to be Established"),
            Duration::from_secs(30),
            || async {
                let crd = crds.get(&name).await.ok()?;
                let established = crd
                    .status?
                    .conditions?
                    .iter()
                    .any(|c| c.type_ == "Established" && c.status == "True");
                established.then_some(())
            },
        )
        .await;
    }
}

fn flux_samples() -> PathBuf {
    let out = std::process::Command::new(support::components::repo_dir().join("tools/build"))
        .args(["--path", "flux-source"])
        .output()
        .expect("tools/build");
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("config/samples");
    assert!(
        dir.is_dir(),
        "Flux's samples are missing at {}; run: tools/build flux",
        dir.display()
    );
    dir
}

fn read_manifest(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("sample manifest");
    let value = helmsync_engine::yaml::parse(&text).expect("sample YAML");
    serde_json::from_str(&helmsync_engine::json::to_json(&value).expect("JSON")).expect("JSON")
}

async fn create(client: &Client, namespace: &str, manifest: serde_json::Value) -> DynamicObject {
    let api_version = manifest["apiVersion"]
        .as_str()
        .expect("apiVersion")
        .to_owned();
    let kind = manifest["kind"].as_str().expect("kind").to_owned();
    let (group, version) = api_version.split_once('/').expect("group/version");
    let resource = ApiResource::from_gvk(&GroupVersionKind::gvk(group, version, &kind));
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, &resource);
    let object: DynamicObject = serde_json::from_value(manifest).expect("object");
    api.create(&PostParams::default(), &object)
        .await
        .unwrap_or_else(|e| panic!("the API server refused a Flux {kind} sample: {e}"))
}

#[tokio::test]
async fn flux_source_samples_apply_unchanged() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "flux-samples").await;
    let mut created = Vec::new();
    for entry in std::fs::read_dir(flux_samples()).expect("samples") {
        let path = entry.expect("entry").path();
        let manifest = read_manifest(&path);
        let kind = manifest["kind"].as_str().unwrap_or_default().to_owned();
        if !["HelmRepository", "HelmChart", "OCIRepository"].contains(&kind.as_str()) {
            continue;
        }
        let object = create(&client, &ns.name, manifest).await;
        created.push((
            path.file_name().unwrap().to_string_lossy().into_owned(),
            object,
        ));
    }
    assert!(
        created.len() >= 5,
        "expected at least 5 Flux source samples, applied {}",
        created.len()
    );
    let chart = created
        .iter()
        .find(|(file, _)| file == "source_v1_helmchart_helmrepository.yaml")
        .map(|(_, o)| o)
        .expect("the HelmChart sample");
    // The API server applied Flux's defaults from our schema.
    assert_eq!(chart.data["spec"]["reconcileStrategy"], "ChartVersion");
    ns.cleanup().await;
}

#[tokio::test]
async fn an_ocirepository_written_as_v1beta2_reads_back_as_v1() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "oci-v1beta2").await;
    let manifest = serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1beta2",
        "kind": "OCIRepository",
        "metadata": {"name": "podinfo"},
        "spec": {"interval": "5m", "url": "oci://ghcr.io/stefanprodan/charts/podinfo", "ref": {"semver": ">=6.0.0"}}
    });
    create(&client, &ns.name, manifest).await;
    let v1 = ApiResource::from_gvk(&GroupVersionKind::gvk(
        "source.toolkit.fluxcd.io",
        "v1",
        "OCIRepository",
    ));
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &ns.name, &v1);
    let object = api.get("podinfo").await.expect("read back as v1");
    assert_eq!(object.data["spec"]["ref"]["semver"], ">=6.0.0");
    assert_eq!(
        object.data["spec"]["timeout"], "60s",
        "the v1 default timeout was not applied"
    );
    ns.cleanup().await;
}
