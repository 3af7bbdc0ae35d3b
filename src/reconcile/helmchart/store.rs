//! Where a built chart goes: the artifact store, as `<chart>-<version>.tgz`, and the
//! garbage collection of the chart's previous artifacts.
use kube::ResourceExt;

use super::Fetched;
use crate::api::helmchart::HelmChart;
use crate::api::meta;
use crate::reconcile::Context;
use crate::reconcile::conditions::{BUILD_FAILED, Outcome, stored_artifact};
use crate::reconcile::helmrepository::stored;
use crate::source::artifact::ArtifactKind;

impl HelmChart {
    /// Checks the archive is a chart and stores it as `<chart>-<version>.tgz`.
    pub(super) async fn store(
        &self,
        namespace: &str,
        fetched: Fetched,
        ctx: &Context,
    ) -> Result<meta::Artifact, Outcome> {
        let what = format!("{}-{}", self.spec.chart, fetched.version);
        crate::source::load_chart_archive(&what, &fetched.archive)
            .map_err(|e| Outcome::failed(BUILD_FAILED, e.reason(), e.to_string()))?;
        let storage = ctx.storage.clone();
        let (owned_namespace, name) = (namespace.to_owned(), self.name_any());
        let stored = tokio::task::spawn_blocking(move || {
            storage
                .store(
                    ArtifactKind::HelmChart,
                    &owned_namespace,
                    &name,
                    &format!("{what}.tgz"),
                    &fetched.archive,
                )
                .map(|a| a.with_revision(fetched.version))
        })
        .await;
        if let Ok(Ok(artifact)) = &stored {
            collect_garbage(ctx, namespace, &self.name_any(), artifact.clone().into()).await;
        }
        stored_artifact(stored, "chart")
    }
}

/// Deletes the chart's previous artifacts past `--artifact-retention-records` and
/// `--artifact-retention-ttl`, as Flux does at the start of every reconcile; a failure is
/// only logged, as it does not affect the current artifact.
pub(super) async fn collect_garbage(
    ctx: &Context,
    namespace: &str,
    name: &str,
    current: meta::Artifact,
) {
    let storage = ctx.storage.clone();
    let records = ctx.config.storage.retention_records as usize;
    let (namespace, name) = (namespace.to_owned(), name.to_owned());
    let collected = tokio::task::spawn_blocking(move || {
        let current = stored(&current);
        storage.garbage_collect(
            ArtifactKind::HelmChart,
            &namespace,
            &name,
            &current,
            records,
        )
    })
    .await;
    match collected {
        Ok(Ok(deleted)) if !deleted.is_empty() => {
            tracing::info!(
                count = deleted.len(),
                "garbage collected old chart artifacts"
            );
        }
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "garbage collection of old chart artifacts failed")
        }
        Err(e) => tracing::warn!(error = %e, "garbage collection of old chart artifacts failed"),
    }
}
