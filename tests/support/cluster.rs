//! The running local control plane (`tools/cluster up`) and a namespace per test.
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{DeleteParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Config};

use super::components::repo_dir;

/// The kubeconfig of the local control plane: $HELMSYNC_TEST_KUBECONFIG if set, else the
/// one `tools/cluster up` wrote.
pub fn kubeconfig_path() -> PathBuf {
    if let Some(p) = std::env::var_os("HELMSYNC_TEST_KUBECONFIG") {
        return PathBuf::from(p);
    }
    let state = std::env::var_os("HELMSYNC_CLUSTER_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_dir().join(".cluster"));
    let path = state.join("admin.kubeconfig");
    assert!(
        path.exists(),
        "no local control plane (no {}); run: tools/build all && tools/cluster up",
        path.display()
    );
    path
}

pub async fn client() -> Client {
    super::init_crypto();
    let path = kubeconfig_path();
    let kubeconfig = Kubeconfig::read_from(&path)
        .unwrap_or_else(|e| panic!("cannot read kubeconfig {}: {e}", path.display()));
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap_or_else(|e| panic!("bad kubeconfig {}: {e}", path.display()));
    let client = Client::try_from(config).expect("kube client");
    client.apiserver_version().await.unwrap_or_else(|e| {
        panic!(
            "the control plane in {} does not answer ({e}); run: tools/cluster up",
            path.display()
        )
    });
    client
}

/// A namespace of its own for one test; deleted by `cleanup` (a failed test leaves it for
/// inspection, and `tools/cluster down` removes everything).
pub struct TestNamespace {
    pub name: String,
    client: Client,
}

impl TestNamespace {
    pub async fn create(client: &Client, prefix: &str) -> TestNamespace {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "{prefix}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let ns: Namespace = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"helmsync.test/namespace": "true"}},
        }))
        .expect("namespace object");
        Api::<Namespace>::all(client.clone())
            .create(&PostParams::default(), &ns)
            .await
            .unwrap_or_else(|e| panic!("cannot create namespace {name}: {e}"));
        TestNamespace {
            name,
            client: client.clone(),
        }
    }

    pub fn api<K>(&self) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
        K::DynamicType: Default,
    {
        Api::namespaced(self.client.clone(), &self.name)
    }

    pub async fn cleanup(self) {
        let _ = Api::<Namespace>::all(self.client.clone())
            .delete(&self.name, &DeleteParams::background())
            .await;
    }
}
