//! Helm charts from a HelmRepository of type `oci`, as Flux's `OCIChartRepository` finds
//! them: the chart lives at `<url>/<chart>`, a requested version that is itself a strict
//! semantic version is used as the tag directly, anything else is matched against the
//! listed tags (exact match first, then the highest satisfying the constraint).
use std::future::Future;

use helmsync_engine::semver::flux;

use super::client::RegistryClient;
use super::error::Error;
use super::manifest::{HELM_CHART_CONTENT, HELM_CONFIG, Manifest};
use super::reference::{Digest, Repository, version_to_tag};

/// A chart archive pulled from a registry.
#[derive(Clone, Debug)]
pub struct PulledChart {
    /// The chart version (`1.0.0+build`).
    pub version: String,
    /// The tag it was pulled by (`1.0.0_build`).
    pub tag: String,
    /// `host/path/chart:tag`.
    pub reference: String,
    /// The digest of the manifest the tag pointed at.
    pub manifest_digest: Digest,
    /// The digest of the archive, as the manifest lists the chart layer.
    pub digest: Digest,
    /// The `.tgz` exactly as `helm push` uploaded it.
    pub archive: Vec<u8>,
}

/// The chart version to pull for `requested` (a version, a range, or empty for the latest
/// stable one).
pub async fn resolve_chart_version(
    client: &RegistryClient,
    repository: &Repository,
    requested: &str,
) -> Result<String, Error> {
    if flux::parse_version(requested).is_ok() {
        return Ok(requested.to_owned());
    }
    let tags = client.list_tags(repository).await?;
    let versions = flux::registry_tags(&tags);
    flux::latest_oci_tag(&versions, requested).map_err(|source| Error::NoMatchingVersion {
        repository: repository.to_string(),
        source,
    })
}

/// The chart at `version`, checked to be a Helm chart (config media type) and pulled with
/// the client's blob size limit.
pub async fn pull_chart_version(
    client: &RegistryClient,
    repository: &Repository,
    version: &str,
) -> Result<PulledChart, Error> {
    let tag = version_to_tag(version);
    let reference = format!("{repository}:{tag}");
    let manifest = client.fetch_manifest(repository, &tag).await?;
    let layer = chart_layer(&manifest, &reference)?;
    let archive = client
        .fetch_blob(repository, layer, client.limits().max_blob_size)
        .await?;
    Ok(PulledChart {
        version: version.to_owned(),
        tag,
        reference,
        manifest_digest: manifest.digest.clone(),
        digest: layer.digest.clone(),
        archive,
    })
}

/// The registry's answer for the chart `chart` of the OCI HelmRepository at
/// `repository_url` at `requested`: checks the registry, resolves the version, pulls it;
/// the whole within `client`'s timeout.
pub async fn pull_chart(
    client: &RegistryClient,
    repository_url: &str,
    chart: &str,
    requested: &str,
) -> Result<PulledChart, Error> {
    let repository = Repository::for_chart(repository_url, chart)?;
    within_timeout(client, format!("pulling {repository}"), async {
        client.ping().await?;
        let version = resolve_chart_version(client, &repository, requested).await?;
        pull_chart_version(client, &repository, &version).await
    })
    .await
}

/// The chart content layer of a Helm chart manifest; anything with another config type
/// is not a chart.
pub(crate) fn chart_layer<'m>(
    manifest: &'m Manifest,
    reference: &str,
) -> Result<&'m super::Descriptor, Error> {
    if manifest.config.media_type != HELM_CONFIG {
        return Err(Error::NotAHelmChart {
            reference: reference.to_owned(),
            found: manifest.config.media_type.clone(),
            expected: HELM_CONFIG.to_owned(),
        });
    }
    manifest
        .layer(Some(HELM_CHART_CONTENT))
        .ok_or_else(|| Error::LayerNotFound {
            reference: reference.to_owned(),
            media_type: HELM_CHART_CONTENT.to_owned(),
        })
}

/// `operation`, failing with a timeout error once the client's timeout has passed.
pub(crate) async fn within_timeout<T>(
    client: &RegistryClient,
    what: String,
    operation: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let after = client.timeout();
    tokio::time::timeout(after, operation)
        .await
        .unwrap_or(Err(Error::Timeout { what, after }))
}
