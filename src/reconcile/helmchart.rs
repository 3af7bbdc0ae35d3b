//! HelmChart: resolves the chart version from its HelmRepository (the stored index, or the
//! registry for type `oci`), downloads the archive, checks it loads, and stores it as the
//! artifact with the chart version as revision. A source that is missing or has no
//! artifact yet is waited for (`--requeue-dependency`), and a new source artifact triggers
//! the HelmCharts that use it.
use std::sync::Arc;
use std::time::Duration;

use kube::ResourceExt;
use kube::api::Api;
use kube::runtime::controller::Controller;
use kube::runtime::reflector::{ObjectRef, Store};
use kube::runtime::watcher;

use super::Context;
use super::conditions::{BUILD_FAILED, FETCH_FAILED, Outcome, STORAGE_OPERATION_FAILED};
use super::helmrepository::{artifact_on_disk, http_repository, stored};
use super::ocirepository::{RegistryAccess, registry_client};
use super::source::{Source, object_key, parse_interval};
use crate::api::helmchart::{HelmChart, HelmChartSourceKind, HelmChartStatus};
use crate::api::helmrepository::{HelmRepository, HelmRepositoryType};
use crate::api::meta;
use crate::source::artifact::{ArtifactKind, StorageError};
use crate::source::index::{IndexLimits, find_chart_version};
use crate::source::oci;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A chart archive obtained from the source.
struct Fetched {
    version: String,
    archive: Vec<u8>,
}

impl Source for HelmChart {
    type Status = HelmChartStatus;
    const STORAGE_KIND: &'static str = "helmchart";

    fn source_status(&self) -> Option<&Self::Status> {
        self.status.as_ref()
    }

    fn suspended(&self) -> bool {
        self.spec.suspend.unwrap_or(false)
    }

    fn interval(&self) -> Duration {
        parse_interval(Some(&self.spec.interval), Duration::from_secs(60))
    }

    async fn reconcile_artifact(&self, status: &mut Self::Status, ctx: &Context) -> Outcome {
        match self.build(status, ctx).await {
            Ok(outcome) | Err(outcome) => outcome,
        }
    }

    fn extend_controller(
        controller: Controller<Self>,
        ctx: &Arc<Context>,
        charts: Store<Self>,
    ) -> Controller<Self> {
        let config = &ctx.config;
        let api: Api<HelmRepository> = match &config.watch_namespace {
            Some(ns) => Api::namespaced(ctx.client.clone(), ns),
            None => Api::all(ctx.client.clone()),
        };
        let mut watch_config = watcher::Config::default();
        if let Some(selector) = &config.watch_label_selector {
            watch_config = watch_config.labels(selector);
        }
        let ctx = ctx.clone();
        controller.watches(api, watch_config, move |repo| {
            charts_to_rebuild(&repo, &charts, &ctx)
        })
    }
}

/// The HelmCharts of `repo` that have not used its current artifact yet.
fn charts_to_rebuild(
    repo: &HelmRepository,
    charts: &Store<HelmChart>,
    ctx: &Context,
) -> Vec<ObjectRef<HelmChart>> {
    let Some(revision) = repo
        .status
        .as_ref()
        .and_then(|s| s.artifact.as_ref())
        .map(|a| a.revision.clone())
    else {
        return Vec::new();
    };
    let namespace = repo.namespace();
    charts
        .state()
        .into_iter()
        .filter(|chart| {
            chart.namespace() == namespace
                && chart.spec.source_ref.kind == HelmChartSourceKind::HelmRepository
                && chart.spec.source_ref.name == repo.name_any()
                && chart
                    .status
                    .as_ref()
                    .and_then(|s| s.observed_source_artifact_revision.as_deref())
                    != Some(revision.as_str())
        })
        .map(|chart| {
            ctx.unschedule(&object_key(&*chart));
            ObjectRef::from_obj(&*chart)
        })
        .collect()
}

impl HelmChart {
    async fn build(&self, status: &mut HelmChartStatus, ctx: &Context) -> Result<Outcome, Outcome> {
        let namespace = self.namespace().unwrap_or_default();
        let spec = &self.spec;
        if spec.source_ref.kind != HelmChartSourceKind::HelmRepository {
            return Err(Outcome::Stalled {
                reason: "UnsupportedSourceKind".to_owned(),
                message: format!(
                    "source kind '{:?}' is not supported; only HelmRepository is",
                    spec.source_ref.kind
                ),
            });
        }
        if spec.values_files.as_ref().is_some_and(|f| !f.is_empty()) {
            return Err(Outcome::Stalled {
                reason: "ValuesFilesError".to_owned(),
                message: "spec.valuesFiles is not supported yet".to_owned(),
            });
        }
        let repos: Api<HelmRepository> = Api::namespaced(ctx.client.clone(), &namespace);
        let source_name = &spec.source_ref.name;
        let repo = match repos.get_opt(source_name).await {
            Ok(Some(repo)) => repo,
            Ok(None) => {
                return Err(waiting(
                    "SourceUnavailable",
                    format!(
                        "failed to get source: HelmRepository '{namespace}/{source_name}' not found"
                    ),
                ));
            }
            Err(e) => {
                return Err(waiting(
                    "SourceUnavailable",
                    format!("failed to get source HelmRepository '{namespace}/{source_name}': {e}"),
                ));
            }
        };
        let requested = spec
            .version
            .as_deref()
            .filter(|v| !v.is_empty())
            .unwrap_or("*");
        let (fetched, source_revision) = if repo.spec.type_ == Some(HelmRepositoryType::Oci) {
            (
                self.pull_oci(&repo, &namespace, requested, ctx).await?,
                None,
            )
        } else {
            let Some(index) = repo.status.as_ref().and_then(|s| s.artifact.clone()) else {
                return Err(waiting(
                    "NoSourceArtifact",
                    format!("no artifact available for HelmRepository source '{source_name}'"),
                ));
            };
            let fetched = self
                .download(&repo, &index, status, &namespace, requested, ctx)
                .await?;
            (fetched, Some(index.revision))
        };
        let artifact = match fetched {
            Some(fetched) => self.store(&namespace, fetched, ctx).await?,
            None => status.artifact.clone().ok_or_else(|| {
                Outcome::failed(FETCH_FAILED, "ChartPullError", "the stored chart is gone")
            })?,
        };
        status.url = Some(artifact.url.clone());
        status.observed_chart_name = Some(spec.chart.clone());
        status.observed_source_artifact_revision = source_revision;
        status.observed_values_files = None;
        status.artifact = Some(artifact.clone());
        Ok(Outcome::Ready {
            reason: "ChartPullSucceeded".to_owned(),
            message: format!(
                "pulled '{}' chart with version '{}'",
                spec.chart, artifact.revision
            ),
            revision: Some(artifact.revision),
        })
    }

    /// The chart from an HTTP repository's stored index; `None` when the stored chart is
    /// already the resolved version.
    async fn download(
        &self,
        repo: &HelmRepository,
        index: &meta::Artifact,
        status: &HelmChartStatus,
        namespace: &str,
        requested: &str,
        ctx: &Context,
    ) -> Result<Option<Fetched>, Outcome> {
        let storage = ctx.storage.clone();
        let index_artifact = stored(index);
        let chart = self.spec.chart.clone();
        let limits = IndexLimits {
            max_size: ctx.config.limits.index_max_size,
            ..IndexLimits::default()
        };
        let requested_owned = requested.to_owned();
        let resolved = tokio::task::spawn_blocking(move || {
            let reader = storage
                .open(&index_artifact)
                .map_err(ResolveError::Storage)?;
            find_chart_version(reader, &chart, &requested_owned, &limits)
                .map_err(ResolveError::Index)
        })
        .await;
        let entry = match resolved {
            Ok(Ok(entry)) => entry,
            Ok(Err(ResolveError::Storage(e))) => {
                return Err(waiting(
                    "NoSourceArtifact",
                    format!(
                        "cannot read the artifact of HelmRepository '{}': {e}",
                        repo.name_any()
                    ),
                ));
            }
            Ok(Err(ResolveError::Index(e))) => {
                return Err(Outcome::failed(BUILD_FAILED, e.reason(), e.to_string()));
            }
            Err(e) => return Err(Outcome::failed(BUILD_FAILED, "Unknown", e.to_string())),
        };
        let up_to_date = status
            .artifact
            .as_ref()
            .is_some_and(|a| a.revision == entry.version && artifact_on_disk(ctx, a))
            && status.observed_chart_name.as_deref() == Some(self.spec.chart.as_str());
        if up_to_date {
            return Ok(None);
        }
        let repository = http_repository(&repo.spec, namespace, ctx).await?;
        let archive = repository
            .download_chart(&entry, ctx.config.limits.chart_max_size)
            .await
            .map_err(|e| Outcome::failed(FETCH_FAILED, e.reason(), e.to_string()))?;
        Ok(Some(Fetched {
            version: entry.version,
            archive,
        }))
    }

    /// The chart from a HelmRepository of type `oci`.
    async fn pull_oci(
        &self,
        repo: &HelmRepository,
        namespace: &str,
        requested: &str,
        ctx: &Context,
    ) -> Result<Option<Fetched>, Outcome> {
        let failed = |reason: &str, message: String| Outcome::failed(FETCH_FAILED, reason, message);
        let repository = oci::Repository::for_chart(&repo.spec.url, &self.spec.chart)
            .map_err(|e| failed(e.chart_reason(), e.to_string()))?;
        let access = RegistryAccess {
            url_host: repository.host(),
            secret_ref: repo.spec.secret_ref.as_ref(),
            cert_secret_ref: repo.spec.cert_secret_ref.as_ref(),
            insecure: repo.spec.insecure.unwrap_or(false),
            timeout: parse_interval(repo.spec.timeout.as_deref(), DEFAULT_TIMEOUT),
            max_blob_size: ctx.config.limits.chart_max_size,
        };
        let client = registry_client(access, namespace, ctx, oci::Error::chart_reason).await?;
        let pulled = oci::pull_chart(&client, &repo.spec.url, &self.spec.chart, requested)
            .await
            .map_err(|e| failed(e.chart_reason(), e.to_string()))?;
        Ok(Some(Fetched {
            version: pulled.version,
            archive: pulled.archive,
        }))
    }

    /// Checks the archive is a chart and stores it as `<chart>-<version>.tgz`.
    async fn store(
        &self,
        namespace: &str,
        fetched: Fetched,
        ctx: &Context,
    ) -> Result<meta::Artifact, Outcome> {
        let what = format!("{}-{}", self.spec.chart, fetched.version);
        crate::source::load_chart_archive(&what, &fetched.archive)
            .map_err(|e| Outcome::failed(BUILD_FAILED, e.reason(), e.to_string()))?;
        let storage = ctx.storage.clone();
        let retention = ctx.config.storage.retention_records as usize;
        let (namespace, name) = (namespace.to_owned(), self.name_any());
        let stored = tokio::task::spawn_blocking(move || {
            let kind = ArtifactKind::HelmChart;
            let artifact = storage
                .store(
                    kind,
                    &namespace,
                    &name,
                    &format!("{what}.tgz"),
                    &fetched.archive,
                )?
                .with_revision(fetched.version);
            if let Err(e) = storage.garbage_collect(kind, &namespace, &name, &artifact, retention) {
                tracing::warn!(error = %e, "garbage collection of old chart artifacts failed");
            }
            Ok::<_, StorageError>(artifact)
        })
        .await;
        match stored {
            Ok(Ok(artifact)) => Ok(artifact.into()),
            Ok(Err(e)) => Err(Outcome::failed(
                STORAGE_OPERATION_FAILED,
                e.reason(),
                e.to_string(),
            )),
            Err(e) => Err(Outcome::failed(
                STORAGE_OPERATION_FAILED,
                "ArchiveOperationFailed",
                format!("storing the chart failed: {e}"),
            )),
        }
    }
}

enum ResolveError {
    Storage(StorageError),
    Index(crate::source::index::IndexError),
}

fn waiting(reason: &str, message: String) -> Outcome {
    Outcome::Waiting {
        reason: reason.to_owned(),
        message,
    }
}
