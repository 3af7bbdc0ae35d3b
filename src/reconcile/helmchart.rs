//! HelmChart: resolves the chart version from its HelmRepository (the stored index, or the
//! registry for type `oci`), downloads the archive, checks it loads, and stores it as the
//! artifact with the chart version as revision. A source that is missing or has no
//! artifact yet is waited for (`--requeue-dependency`), and a new source artifact triggers
//! the HelmCharts that use it. With `spec.valuesFiles`, the chart is repackaged with the
//! merged values as version `<version>+<generation>`, as Flux does.
mod package;
mod packaging;
mod store;
mod values_files;
mod verify;

use std::sync::Arc;
use std::time::Duration;

use kube::ResourceExt;
use kube::api::Api;
use kube::runtime::controller::Controller;
use kube::runtime::reflector::{ObjectRef, Store};
use kube::runtime::watcher;

use super::Context;
use super::conditions::{BUILD_FAILED, FETCH_FAILED, Outcome};
use super::helmrepository::{artifact_on_disk, http_repository, stored};
use super::ocirepository::{RegistryAccess, registry_client};
use super::source::{Source, object_key, parse_interval};
use crate::api::helmchart::{HelmChart, HelmChartSourceKind, HelmChartStatus};
use crate::api::helmrepository::{HelmRepository, HelmRepositoryType};
use crate::api::meta;
use crate::source::artifact::StorageError;
use crate::source::index::{IndexLimits, find_chart_version};
use crate::source::oci;
use packaging::{ValuesFilesSpec, build_version, package_with_values, summary};
use store::collect_garbage;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A chart archive obtained from the source.
struct Fetched {
    /// The version the artifact gets: the chart's, plus `+<generation>` with values files.
    version: String,
    archive: Vec<u8>,
}

/// Flux's `BuildOptions` as the spec and status set them.
struct BuildOptions {
    /// `<generation>` when values files are listed (`VersionMetadata`).
    version_metadata: Option<String>,
    /// The spec changed since the stored artifact was built: build again (`Force`).
    force: bool,
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
        if let Some(current) = status.artifact.clone() {
            collect_garbage(ctx, &namespace, &self.name_any(), current).await;
        }
        let values_files = spec.values_files.clone().unwrap_or_default();
        let generation = self.metadata.generation;
        let options = BuildOptions {
            version_metadata: (!values_files.is_empty())
                .then(|| generation.unwrap_or_default().to_string()),
            force: generation != status.observed_generation,
        };
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
            let pulled = self.pull_oci(&repo, &namespace, requested, ctx).await?;
            let version = build_version(&pulled.version, options.version_metadata.as_deref())?;
            (Some(Fetched { version, ..pulled }), None)
        } else {
            let Some(index) = repo.status.as_ref().and_then(|s| s.artifact.clone()) else {
                return Err(waiting(
                    "NoSourceArtifact",
                    format!("no artifact available for HelmRepository source '{source_name}'"),
                ));
            };
            let fetched = self
                .download(&repo, &index, status, requested, &options, ctx)
                .await?;
            (fetched, Some(index.revision))
        };
        let packaged = !values_files.is_empty();
        let (artifact, merged_files) = match fetched {
            Some(fetched) if packaged => {
                let (fetched, merged) = self.merge_values_files(fetched, ctx).await?;
                let artifact = self.store(&namespace, fetched, ctx).await?;
                // Flux records the merged files only when missing ones may be skipped.
                status.observed_values_files = merged
                    .clone()
                    .filter(|m| !m.is_empty() && spec.ignore_missing_values_files == Some(true));
                (artifact, merged.unwrap_or_default())
            }
            Some(fetched) => {
                status.observed_values_files = None;
                (self.store(&namespace, fetched, ctx).await?, Vec::new())
            }
            None => {
                let artifact = status.artifact.clone().ok_or_else(|| {
                    Outcome::failed(FETCH_FAILED, "ChartPullError", "the stored chart is gone")
                })?;
                let merged = match &status.observed_values_files {
                    Some(observed) => observed.clone(),
                    None => values_files.clone(),
                };
                (artifact, merged)
            }
        };
        status.url = Some(artifact.url.clone());
        status.observed_chart_name = Some(spec.chart.clone());
        status.observed_source_artifact_revision = source_revision;
        status.artifact = Some(artifact.clone());
        let reason = if packaged {
            "ChartPackageSucceeded"
        } else {
            "ChartPullSucceeded"
        };
        Ok(Outcome::Ready {
            reason: reason.to_owned(),
            message: summary(packaged, &spec.chart, &artifact.revision, &merged_files),
            revision: Some(artifact.revision),
        })
    }

    /// The pulled chart repackaged with `spec.valuesFiles` merged into its values, and the
    /// files merged when that changed the values.
    async fn merge_values_files(
        &self,
        fetched: Fetched,
        ctx: &Context,
    ) -> Result<(Fetched, Option<Vec<String>>), Outcome> {
        let paths = self.spec.values_files.clone().unwrap_or_default();
        let ignore_missing = self.spec.ignore_missing_values_files == Some(true);
        let max_file_size = ctx.config.limits.chart_file_max_size;
        let packaged = tokio::task::spawn_blocking(move || {
            let spec = ValuesFilesSpec {
                paths: &paths,
                ignore_missing,
                max_file_size,
            };
            package_with_values(&fetched.archive, &fetched.version, &spec)
                .map(|p| (fetched.version, p))
        })
        .await
        .map_err(|e| Outcome::failed(BUILD_FAILED, "ChartPackageError", e.to_string()))??;
        let (version, packaged) = packaged;
        Ok((
            Fetched {
                version,
                archive: packaged.archive,
            },
            packaged.merged_files,
        ))
    }

    /// The chart from an HTTP repository's stored index; `None` when the stored chart is
    /// already the resolved version.
    async fn download(
        &self,
        repo: &HelmRepository,
        index: &meta::Artifact,
        status: &HelmChartStatus,
        requested: &str,
        options: &BuildOptions,
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
        if self.spec.verify.is_some() {
            return Err(verify::http_verification());
        }
        let version = build_version(&entry.version, options.version_metadata.as_deref())?;
        let up_to_date = !options.force
            && status
                .artifact
                .as_ref()
                .is_some_and(|a| a.revision == version && artifact_on_disk(ctx, a))
            && status.observed_chart_name.as_deref() == Some(self.spec.chart.as_str());
        if up_to_date {
            return Ok(None);
        }
        let namespace = self.namespace().unwrap_or_default();
        let repository = http_repository(&repo.spec, &namespace, ctx).await?;
        let archive = repository
            .download_chart(&entry, ctx.config.limits.chart_max_size)
            .await
            .map_err(|e| Outcome::failed(FETCH_FAILED, e.reason(), e.to_string()))?;
        Ok(Some(Fetched { version, archive }))
    }

    /// The chart from a HelmRepository of type `oci`.
    async fn pull_oci(
        &self,
        repo: &HelmRepository,
        namespace: &str,
        requested: &str,
        ctx: &Context,
    ) -> Result<Fetched, Outcome> {
        if let Some(verify) = &self.spec.verify {
            return Err(verify::unsupported_oci_verification(verify));
        }
        let failed = |reason: &str, message: String| Outcome::failed(FETCH_FAILED, reason, message);
        let repository = oci::Repository::for_chart(&repo.spec.url, &self.spec.chart)
            .map_err(|e| failed(e.chart_reason(), e.to_string()))?;
        if let Some(outcome) = super::ocirepository::unsupported_provider(repo.spec.provider) {
            return Err(outcome);
        }
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
        Ok(Fetched {
            version: pulled.version,
            archive: pulled.archive,
        })
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
