//! The helmsync controller started in process against the local control plane, watching
//! one test namespace, with its endpoints on free loopback ports; and chart repositories
//! filled by the real `helm`.
use std::path::{Path, PathBuf};
use std::time::Duration;

use helmsync::runtime::config::{Config, LeaderElection, SizeLimits, StorageConfig};
use helmsync::runtime::{self, Running};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Patch, PatchParams};
use kube::{Api, Client};

use super::components::{copy_dir, helm, helm_command, repo_dir, run_ok};
use super::eventually;

/// Applies helmsync's CRDs and waits until they are served.
pub async fn install_crds(client: &Client) {
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

/// A configuration for tests: loopback ports chosen by the OS, one namespace, fast retries.
pub fn test_config(namespace: &str, storage: &Path) -> Config {
    let any = "127.0.0.1:0".parse().unwrap();
    Config {
        concurrent: 2,
        watch_namespace: Some(namespace.to_owned()),
        watch_label_selector: None,
        leader_election: None,
        metrics_addr: any,
        health_addr: any,
        storage: StorageConfig {
            path: storage.to_path_buf(),
            addr: any,
            advertised: String::new(),
            retention_ttl: Duration::from_secs(60),
            retention_records: 2,
        },
        requeue_dependency: Duration::from_secs(2),
        limits: SizeLimits::default(),
        graceful_shutdown_timeout: Duration::from_secs(10),
        interval_jitter_percentage: 0,
        min_retry_delay: Duration::from_millis(200),
        max_retry_delay: Duration::from_secs(5),
        instance: format!("test-{}", std::process::id()),
    }
}

/// Short lease timings so a takeover happens within seconds.
pub fn fast_leader_election(namespace: &str, lease_name: &str) -> LeaderElection {
    LeaderElection {
        lease_name: lease_name.to_owned(),
        namespace: namespace.to_owned(),
        lease_duration: Duration::from_secs(4),
        renew_deadline: Duration::from_secs(3),
        retry_period: Duration::from_secs(1),
    }
}

/// A controller running in this test process.
pub struct TestController {
    pub running: Running,
    pub storage: tempfile::TempDir,
}

impl TestController {
    pub async fn start(client: &Client, namespace: &str) -> TestController {
        Self::start_with(client, namespace, |_| {}).await
    }

    pub async fn start_with(
        client: &Client,
        namespace: &str,
        adjust: impl FnOnce(&mut Config),
    ) -> TestController {
        helmsync::runtime::logging::init(
            helmsync::runtime::logging::LogLevel::Info,
            helmsync::runtime::logging::LogEncoding::Console,
        );
        let storage = tempfile::tempdir().unwrap();
        let mut config = test_config(namespace, storage.path());
        adjust(&mut config);
        let running = runtime::start(config, client.clone())
            .await
            .unwrap_or_else(|e| panic!("the controller did not start: {e}"));
        TestController { running, storage }
    }

    pub fn metrics_url(&self) -> String {
        format!("http://{}/metrics", self.running.endpoints.metrics)
    }

    pub fn health_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.running.endpoints.health)
    }

    pub async fn metrics(&self) -> String {
        get_text(&self.metrics_url()).await
    }

    pub async fn stop(self) {
        self.running
            .shutdown()
            .await
            .unwrap_or_else(|e| panic!("the controller did not stop cleanly: {e}"));
    }
}

pub async fn get_text(url: &str) -> String {
    let response = reqwest::get(url)
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert!(
        response.status().is_success(),
        "GET {url}: {}",
        response.status()
    );
    response.text().await.expect("body")
}

/// A directory served as a chart repository, filled with the real helm.
pub struct ChartRepoDir {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl ChartRepoDir {
    pub fn new() -> ChartRepoDir {
        ChartRepoDir {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `helm package` of the smoke chart at `version`, then `helm repo index`.
    pub fn publish(&self, version: &str) -> PathBuf {
        let source = self.home.path().join(format!("src-{version}/smoke"));
        copy_dir(&repo_dir().join("testdata/charts/smoke"), &source);
        let chart_yaml = source.join("Chart.yaml");
        let text = std::fs::read_to_string(&chart_yaml).unwrap();
        let text = text.replace("version: 0.1.0", &format!("version: {version}"));
        std::fs::write(&chart_yaml, text).unwrap();
        let mut package = helm_command(&helm(), self.home.path());
        run_ok(
            package
                .arg("package")
                .arg(&source)
                .arg("-d")
                .arg(self.path()),
        );
        let mut index = helm_command(&helm(), self.home.path());
        run_ok(index.args(["repo", "index"]).arg(self.path()));
        self.path().join(format!("smoke-{version}.tgz"))
    }

    pub fn index_bytes(&self) -> Vec<u8> {
        std::fs::read(self.path().join("index.yaml")).unwrap()
    }
}
