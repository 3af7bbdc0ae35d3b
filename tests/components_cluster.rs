//! The local control plane is real: Deployments become Available on kwok nodes and Jobs
//! complete, driven by the real controller-manager and scheduler.
mod support;

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::Node;
use kube::Api;
use kube::api::{ListParams, PostParams};
use support::cluster::{TestNamespace, client};
use support::eventually;

const WAIT: Duration = Duration::from_secs(90);

#[tokio::test]
async fn the_api_server_reports_the_pinned_kubernetes_version() {
    let client = client().await;
    let info = client.apiserver_version().await.expect("version");
    let versions =
        std::fs::read_to_string(support::components::repo_dir().join("tools/versions.env"))
            .expect("tools/versions.env");
    let pinned = versions
        .lines()
        .find_map(|l| l.strip_prefix("KUBERNETES_VERSION="))
        .expect("KUBERNETES_VERSION in tools/versions.env");
    assert_eq!(info.git_version, pinned);
}

#[tokio::test]
async fn a_fake_node_is_ready() {
    let client = client().await;
    let nodes = Api::<Node>::all(client)
        .list(&ListParams::default())
        .await
        .expect("nodes");
    let ready = nodes.items.iter().any(|n| {
        n.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
    });
    assert!(ready, "no Ready node among {} node(s)", nodes.items.len());
}

#[tokio::test]
async fn a_deployment_becomes_available() {
    let client = client().await;
    let ns = TestNamespace::create(&client, "smoke-deploy").await;
    let deployment: Deployment = serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "registry.example/web:1"}]}
            }
        }
    }))
    .expect("deployment");
    let api: Api<Deployment> = ns.api();
    api.create(&PostParams::default(), &deployment)
        .await
        .expect("create deployment");
    eventually(
        "Deployment web to become Available with 2 ready replicas",
        WAIT,
        || async {
            let d = api.get("web").await.ok()?;
            let status = d.status?;
            let available = status
                .conditions?
                .iter()
                .any(|c| c.type_ == "Available" && c.status == "True");
            (available && status.ready_replicas == Some(2)).then_some(())
        },
    )
    .await;
    ns.cleanup().await;
}

#[tokio::test]
async fn a_job_completes() {
    let client = client().await;
    let ns = TestNamespace::create(&client, "smoke-job").await;
    let job: Job = serde_json::from_value(serde_json::json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "once"},
        "spec": {
            "backoffLimit": 0,
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "once", "image": "registry.example/once:1"}]
                }
            }
        }
    }))
    .expect("job");
    let api: Api<Job> = ns.api();
    api.create(&PostParams::default(), &job)
        .await
        .expect("create job");
    eventually("Job once to Complete", WAIT, || async {
        let j = api.get("once").await.ok()?;
        let complete = j
            .status?
            .conditions?
            .iter()
            .any(|c| c.type_ == "Complete" && c.status == "True");
        complete.then_some(())
    })
    .await;
    ns.cleanup().await;
}
