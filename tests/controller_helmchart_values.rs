//! HelmCharts with `spec.valuesFiles` reconciled by `helmsync controller` against the real
//! control plane and an HTTP repository filled by the real `helm`: the files are merged
//! into a repackaged chart (version `<version>+<generation>`) that both our loader and
//! `helm template` accept; a missing file stalls unless ignored; `spec.verify` fails on an
//! HTTP source as Flux's does and stalls on an OCI source (not supported yet).
mod support;

use std::path::{Path, PathBuf};

use helmsync::api::helmchart::HelmChart;
use helmsync::api::helmrepository::HelmRepository;
use helmsync::api::meta::ConditionStatus;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use support::cluster::{TestNamespace, client};
use support::components::{copy_dir, helm, helm_command, repo_dir, run_ok};
use support::controller::{TestController, install_crds};
use support::helmchart::{artifact_revision, ready, wait_for};
use support::registry::Registry;
use support::repo::{HelmRepoServer, RepoOptions};

const PROD_VALUES: &str = "replicaCount: 5\nimage:\n  tag: \"2.0\"\n";
const EXTRA_VALUES: &str = "service:\n  port: 8080\n";

/// A repository holding the smoke chart 0.1.0 with two more values files, packaged and
/// indexed by the real `helm`.
struct ValuesRepo {
    dir: tempfile::TempDir,
    _home: tempfile::TempDir,
}

impl ValuesRepo {
    fn publish() -> ValuesRepo {
        let dir = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let source = home.path().join("src/smoke");
        copy_dir(&repo_dir().join("testdata/charts/smoke"), &source);
        std::fs::write(source.join("values-prod.yaml"), PROD_VALUES).unwrap();
        std::fs::write(source.join("values-extra.yaml"), EXTRA_VALUES).unwrap();
        run_ok(
            helm_command(&helm(), home.path())
                .arg("package")
                .arg(&source)
                .arg("-d")
                .arg(dir.path()),
        );
        run_ok(
            helm_command(&helm(), home.path())
                .args(["repo", "index"])
                .arg(dir.path()),
        );
        ValuesRepo { dir, _home: home }
    }
}

async fn create<K>(api: &Api<K>, manifest: serde_json::Value)
where
    K: kube::Resource + serde::Serialize + serde::de::DeserializeOwned + Clone + std::fmt::Debug,
{
    let object: K = serde_json::from_value(manifest).unwrap();
    api.create(&PostParams::default(), &object).await.unwrap();
}

async fn start(prefix: &str) -> (TestNamespace, ValuesRepo, HelmRepoServer, TestController) {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, prefix).await;
    let repo = ValuesRepo::publish();
    let server = HelmRepoServer::start(repo.dir.path(), RepoOptions::default()).await;
    let controller = TestController::start(&client, &ns.name).await;
    let repo_api: Api<HelmRepository> = ns.api();
    create(
        &repo_api,
        serde_json::json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
            "metadata": {"name": "charts"}, "spec": {"url": server.url, "interval": "1h"}
        }),
    )
    .await;
    (ns, repo, server, controller)
}

fn chart(name: &str, extra_spec: serde_json::Value) -> serde_json::Value {
    let mut spec = serde_json::json!({
        "chart": "smoke", "version": "0.1.x", "interval": "1h",
        "sourceRef": {"kind": "HelmRepository", "name": "charts"}
    });
    if let (Some(spec), serde_json::Value::Object(extra)) = (spec.as_object_mut(), extra_spec) {
        spec.extend(extra);
    }
    serde_json::json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
        "metadata": {"name": name}, "spec": spec
    })
}

/// The chart artifact as served, written to `dir` for `helm`.
async fn download(chart: &HelmChart, dir: &Path) -> (Vec<u8>, PathBuf) {
    let artifact = chart.status.clone().unwrap().artifact.unwrap();
    let bytes = reqwest::get(&artifact.url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let path = dir.join(artifact.path.rsplit('/').next().unwrap());
    std::fs::write(&path, &bytes).unwrap();
    (bytes, path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_files_are_merged_into_a_repackaged_chart_that_helm_renders() {
    let (ns, _repo, _server, controller) = start("ctl-chart-values").await;
    let api: Api<HelmChart> = ns.api();
    create(
        &api,
        chart(
            "smoke",
            serde_json::json!({"valuesFiles": ["values.yaml", "./values-prod.yaml"]}),
        ),
    )
    .await;
    let built = wait_for(&api, "smoke", "Ready with 0.1.0+1", |c| {
        ready(c).is_some_and(|r| r.status == ConditionStatus::True)
            && artifact_revision(c).as_deref() == Some("0.1.0+1")
    })
    .await;
    let condition = ready(&built).unwrap();
    assert_eq!(condition.reason, "ChartPackageSucceeded");
    assert_eq!(
        condition.message,
        "packaged 'smoke' chart with version '0.1.0+1' and merged values files \
         [values.yaml ./values-prod.yaml]"
    );
    let status = built.status.clone().unwrap();
    assert_eq!(
        status.observed_values_files, None,
        "only with ignoreMissing"
    );
    let artifact = status.artifact.clone().unwrap();
    assert_eq!(
        artifact.path,
        format!("helmchart/{}/smoke/smoke-0.1.0+1.tgz", ns.name)
    );

    // Our loader reads the merged values and the patched version.
    let work = tempfile::tempdir().unwrap();
    let (bytes, path) = download(&built, work.path()).await;
    let loaded = helmsync_engine::chart::load_archive(&bytes).unwrap();
    assert_eq!(loaded.metadata.version, "0.1.0+1");
    assert_eq!(
        String::from_utf8_lossy(loaded.raw_values().unwrap()),
        "image:\n  repository: registry.example/web\n  tag: \"2.0\"\nreplicaCount: 5\nservice:\n  port: 80\n"
    );

    // The real helm accepts the archive and renders with the merged defaults.
    let home = tempfile::tempdir().unwrap();
    let shown = run_ok(
        helm_command(&helm(), home.path())
            .args(["show", "chart"])
            .arg(&path),
    );
    assert!(shown.contains("version: 0.1.0+1"), "{shown}");
    let rendered = run_ok(
        helm_command(&helm(), home.path())
            .args(["template", "web"])
            .arg(&path),
    );
    assert!(rendered.contains("replicas: 5"), "{rendered}");
    assert!(
        rendered.contains("image: \"registry.example/web:2.0\""),
        "{rendered}"
    );
    assert!(rendered.contains("containerPort: 80"), "{rendered}");

    // Another list of values files is a new generation, so a new artifact revision.
    let patch = serde_json::json!({"spec": {"valuesFiles": ["values.yaml", "values-extra.yaml"]}});
    api.patch("smoke", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap();
    let rebuilt = wait_for(&api, "smoke", "Ready with 0.1.0+2", |c| {
        artifact_revision(c).as_deref() == Some("0.1.0+2")
    })
    .await;
    let (bytes, path) = download(&rebuilt, work.path()).await;
    let loaded = helmsync_engine::chart::load_archive(&bytes).unwrap();
    assert_eq!(
        String::from_utf8_lossy(loaded.raw_values().unwrap()),
        "image:\n  repository: registry.example/web\n  tag: \"1.27\"\nreplicaCount: 2\nservice:\n  port: 8080\n"
    );
    let rendered = run_ok(
        helm_command(&helm(), home.path())
            .args(["template", "web"])
            .arg(&path),
    );
    assert!(rendered.contains("containerPort: 8080"), "{rendered}");
    assert!(rendered.contains("replicas: 2"), "{rendered}");
    controller.stop().await;
    ns.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_values_file_stalls_unless_ignored_and_verify_fails_on_http_sources() {
    let (ns, _repo, _server, controller) = start("ctl-chart-values-missing").await;
    let api: Api<HelmChart> = ns.api();
    create(
        &api,
        chart(
            "strict",
            serde_json::json!({"valuesFiles": ["values.yaml", "values-nope.yaml"]}),
        ),
    )
    .await;
    create(
        &api,
        chart(
            "lenient",
            serde_json::json!({
                "valuesFiles": ["values-prod.yaml", "values-nope.yaml"],
                "ignoreMissingValuesFiles": true
            }),
        ),
    )
    .await;
    create(
        &api,
        chart(
            "verified",
            serde_json::json!({"verify": {"provider": "cosign"}}),
        ),
    )
    .await;

    let strict = wait_for(&api, "strict", "a values files error", |c| {
        ready(c)
            .is_some_and(|r| r.status == ConditionStatus::False && r.reason != "NoSourceArtifact")
    })
    .await;
    let condition = ready(&strict).unwrap();
    assert_eq!(
        condition.reason, "ValuesFilesError",
        "{}",
        condition.message
    );
    assert_eq!(
        condition.message,
        "values files merge error: failed to merge chart values: no values file found at \
         path 'values-nope.yaml'"
    );
    let stalled = strict
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Stalled").cloned());
    assert_eq!(
        stalled.map(|s| (s.status, s.reason)),
        Some((ConditionStatus::True, "ValuesFilesError".to_owned()))
    );
    assert!(strict.status.unwrap().artifact.is_none());

    let lenient = wait_for(&api, "lenient", "Ready", |c| {
        ready(c).is_some_and(|r| r.status == ConditionStatus::True)
    })
    .await;
    let status = lenient.status.clone().unwrap();
    assert_eq!(
        status.observed_values_files,
        Some(vec!["values-prod.yaml".to_owned()])
    );
    assert_eq!(
        ready(&lenient).unwrap().message,
        "packaged 'smoke' chart with version '0.1.0+1' and merged values files [values-prod.yaml]"
    );
    let work = tempfile::tempdir().unwrap();
    let (bytes, _) = download(&lenient, work.path()).await;
    let loaded = helmsync_engine::chart::load_archive(&bytes).unwrap();
    // values.yaml was not listed: only the prod file's values remain.
    assert_eq!(
        String::from_utf8_lossy(loaded.raw_values().unwrap()),
        "image:\n  tag: \"2.0\"\nreplicaCount: 5\n"
    );

    let verified = wait_for(&api, "verified", "a verification failure", |c| {
        ready(c)
            .is_some_and(|r| r.status == ConditionStatus::False && r.reason != "NoSourceArtifact")
    })
    .await;
    let condition = ready(&verified).unwrap();
    assert_eq!(condition.reason, "ChartVerificationError");
    assert_eq!(
        condition.message,
        "chart verification error: not implemented"
    );
    controller.stop().await;
    ns.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oci_chart_gets_its_values_files_merged_and_verify_stalls() {
    let client = client().await;
    install_crds(&client).await;
    let ns = TestNamespace::create(&client, "ctl-chart-values-oci").await;
    let repo = ValuesRepo::publish();
    let registry = Registry::start_anonymous();
    let url = registry.push_chart(&repo.dir.path().join("smoke-0.1.0.tgz"));
    let controller = TestController::start(&client, &ns.name).await;
    let repo_api: Api<HelmRepository> = ns.api();
    create(
        &repo_api,
        serde_json::json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
            "metadata": {"name": "charts"},
            "spec": {"url": url, "type": "oci", "insecure": true, "interval": "1h"}
        }),
    )
    .await;
    let api: Api<HelmChart> = ns.api();
    create(
        &api,
        chart(
            "values",
            serde_json::json!({"valuesFiles": ["values-extra.yaml"]}),
        ),
    )
    .await;
    create(
        &api,
        chart(
            "signed",
            serde_json::json!({"verify": {"provider": "cosign"}}),
        ),
    )
    .await;

    let built = wait_for(&api, "values", "Ready with 0.1.0+1", |c| {
        ready(c).is_some_and(|r| r.status == ConditionStatus::True)
            && artifact_revision(c).as_deref() == Some("0.1.0+1")
    })
    .await;
    assert_eq!(ready(&built).unwrap().reason, "ChartPackageSucceeded");
    let work = tempfile::tempdir().unwrap();
    let (bytes, _) = download(&built, work.path()).await;
    let loaded = helmsync_engine::chart::load_archive(&bytes).unwrap();
    assert_eq!(
        String::from_utf8_lossy(loaded.raw_values().unwrap()),
        EXTRA_VALUES
    );

    let signed = wait_for(&api, "signed", "Stalled", |c| {
        ready(c).is_some_and(|r| r.status == ConditionStatus::False)
    })
    .await;
    let condition = ready(&signed).unwrap();
    assert_eq!(condition.reason, "VerificationError");
    assert!(
        condition.message.starts_with(
            "failed to verify the signature using provider 'cosign keyless': spec.verify"
        ),
        "{}",
        condition.message
    );
    let stalled = signed
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Stalled").cloned());
    assert_eq!(stalled.map(|s| s.status), Some(ConditionStatus::True));
    controller.stop().await;
    ns.cleanup().await;
}
