//! Reading HelmCharts in tests: their Ready condition and artifact, and waiting for them.
use std::time::Duration;

use helmsync::api::helmchart::HelmChart;
use helmsync::api::meta::Condition;
use kube::Api;

use super::eventually;

/// How long a HelmChart may take to reach what a test waits for.
pub const WAIT: Duration = Duration::from_secs(60);

pub fn ready(chart: &HelmChart) -> Option<Condition> {
    chart
        .status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")
        .cloned()
}

pub fn artifact_revision(chart: &HelmChart) -> Option<String> {
    Some(chart.status.as_ref()?.artifact.as_ref()?.revision.clone())
}

/// Polls the HelmChart `name` until `check` holds, or fails the test naming `what`.
pub async fn wait_for(
    api: &Api<HelmChart>,
    name: &str,
    what: &str,
    check: impl Fn(&HelmChart) -> bool,
) -> HelmChart {
    eventually(&format!("HelmChart {name}: {what}"), WAIT, || async {
        let chart = api.get(name).await.ok()?;
        check(&chart).then_some(chart)
    })
    .await
}
