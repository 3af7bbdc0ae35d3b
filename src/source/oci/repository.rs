//! OCIRepository pulls as Flux's source-controller does them: the reference is chosen by
//! precedence (digest, then semver with an optional `semverFilter`, then tag, then
//! `latest`), the revision is `<tag>@sha256:<hex>` (or `sha256:<hex>` for a digest ref),
//! and the selected layer is copied as-is or extracted. Selecting Helm's chart content
//! layer also requires Helm's config media type, so a non-chart is refused by name.
use helmsync_engine::semver::flux;

use super::chart::{chart_layer, within_timeout};
use super::client::RegistryClient;
use super::error::Error;
use super::extract::{ExtractLimits, ExtractedFile, extract_tar_gz};
use super::manifest::{Descriptor, HELM_CHART_CONTENT, Manifest};
use super::reference::{Digest, Repository, tag_to_version};
use crate::api::ocirepository::{LayerOperation, OciLayerSelector, OciRepositoryRef};

/// Flux's default tag when `spec.ref` names nothing.
pub const DEFAULT_TAG: &str = "latest";

/// The most bytes a `semverFilter` regex may compile to.
const MAX_FILTER_REGEX_SIZE: usize = 1024 * 1024;

/// What `spec.ref` resolves to before anything is pulled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolvedRef {
    Tag(String),
    Digest(Digest),
}

/// The layer's content after the layer operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerContent {
    /// `copy`: the layer's bytes as stored (for Helm charts, the chart `.tgz`).
    Copied(Vec<u8>),
    /// `extract`: the layer's regular files.
    Extracted(Vec<ExtractedFile>),
}

/// An artifact pulled for an OCIRepository.
#[derive(Clone, Debug)]
pub struct PulledArtifact {
    /// Flux's revision: `<tag>@sha256:<hex>`, or `sha256:<hex>` for a digest ref.
    pub revision: String,
    pub manifest: Manifest,
    /// The layer the selector chose.
    pub layer: Descriptor,
    pub content: LayerContent,
}

/// Which tag or digest `reference` asks for; tags are listed only for a `semver` ref.
/// A semver range over tags of a Helm chart reads `_` as `+`, as Helm writes build
/// metadata into tags.
pub async fn resolve_ref(
    client: &RegistryClient,
    repository: &Repository,
    reference: Option<&OciRepositoryRef>,
    layer_media_type: Option<&str>,
) -> Result<ResolvedRef, Error> {
    let non_empty = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    let Some(reference) = reference else {
        return Ok(ResolvedRef::Tag(DEFAULT_TAG.to_owned()));
    };
    if let Some(digest) = non_empty(&reference.digest) {
        return Digest::parse(&digest)
            .map(ResolvedRef::Digest)
            .map_err(|why| Error::invalid_url(&format!("{repository}@{digest}"), why));
    }
    if let Some(expression) = non_empty(&reference.semver) {
        let tags = filter_tags(
            client.list_tags(repository).await?,
            non_empty(&reference.semver_filter).as_deref(),
        )?;
        let helm_chart = layer_media_type == Some(HELM_CHART_CONTENT);
        let candidates: Vec<String> = if helm_chart {
            tags.iter().map(|t| tag_to_version(t)).collect()
        } else {
            tags.clone()
        };
        let chosen = flux::latest_tag_by_semver(&candidates, &expression).map_err(|source| {
            Error::NoMatchingVersion {
                repository: repository.to_string(),
                source,
            }
        })?;
        let index = candidates.iter().position(|c| *c == chosen).unwrap_or(0);
        return Ok(ResolvedRef::Tag(tags.get(index).cloned().unwrap_or(chosen)));
    }
    Ok(ResolvedRef::Tag(
        non_empty(&reference.tag).unwrap_or_else(|| DEFAULT_TAG.to_owned()),
    ))
}

/// The tags matching `filter` (Go RE2 syntax, unanchored as `regexp.MatchString`).
fn filter_tags(tags: Vec<String>, filter: Option<&str>) -> Result<Vec<String>, Error> {
    let Some(filter) = filter else {
        return Ok(tags);
    };
    let regex = regex::RegexBuilder::new(filter)
        .size_limit(MAX_FILTER_REGEX_SIZE)
        .build()
        .map_err(|e| Error::InvalidSemverFilter {
            filter: filter.to_owned(),
            why: e.to_string(),
        })?;
    Ok(tags.into_iter().filter(|t| regex.is_match(t)).collect())
}

/// The artifact `url` and `reference` point at, with the selected layer copied or
/// extracted; the whole within `client`'s timeout.
pub async fn pull_artifact(
    client: &RegistryClient,
    url: &str,
    reference: Option<&OciRepositoryRef>,
    layer_selector: Option<&OciLayerSelector>,
) -> Result<PulledArtifact, Error> {
    let repository = Repository::parse_url(url)?;
    let media_type = layer_selector
        .and_then(|s| s.media_type.as_deref())
        .filter(|m| !m.is_empty());
    let operation = layer_selector.and_then(|s| s.operation).unwrap_or_default();
    within_timeout(client, format!("pulling {repository}"), async {
        client.ping().await?;
        let resolved = resolve_ref(client, &repository, reference, media_type).await?;
        let (target, tag) = match &resolved {
            ResolvedRef::Tag(tag) => (tag.clone(), Some(tag.as_str())),
            ResolvedRef::Digest(digest) => (digest.to_string(), None),
        };
        let manifest = client.fetch_manifest(&repository, &target).await?;
        let revision = match tag {
            Some(tag) => format!("{tag}@{}", manifest.digest),
            None => manifest.digest.to_string(),
        };
        let display = format!("{repository}@{}", manifest.digest);
        let layer = if media_type == Some(HELM_CHART_CONTENT) {
            chart_layer(&manifest, &display)?.clone()
        } else {
            manifest
                .layer(media_type)
                .cloned()
                .ok_or_else(|| Error::LayerNotFound {
                    reference: display.clone(),
                    media_type: media_type.unwrap_or("<any>").to_owned(),
                })?
        };
        let bytes = client
            .fetch_blob(&repository, &layer, client.limits().max_blob_size)
            .await?;
        let content = match operation {
            LayerOperation::Copy => LayerContent::Copied(bytes),
            LayerOperation::Extract => {
                LayerContent::Extracted(extract_tar_gz(&bytes, ExtractLimits::default()).map_err(
                    |why| Error::LayerExtract {
                        reference: display,
                        why,
                    },
                )?)
            }
        };
        Ok(PulledArtifact {
            revision,
            manifest,
            layer,
            content,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semver_filter_is_unanchored_and_its_errors_name_it() {
        let tags = vec![
            "1.0.0-rc.1".to_owned(),
            "1.0.0".to_owned(),
            "2.0.0-dev".to_owned(),
        ];
        assert_eq!(
            filter_tags(tags.clone(), Some("-rc")).unwrap(),
            ["1.0.0-rc.1"]
        );
        assert_eq!(filter_tags(tags.clone(), None).unwrap(), tags);
        let message = filter_tags(tags, Some("(")).unwrap_err().to_string();
        assert!(message.starts_with("invalid semverFilter '('"), "{message}");
    }
}
