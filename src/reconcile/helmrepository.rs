//! HelmRepository: fetches the repository index (conditionally, so an unchanged index costs
//! no download), checks it parses, and stores an exact copy as the artifact, revision
//! `sha256:<hex>`. Repositories of type `oci` are static, as in Flux.
use std::time::Duration;

use kube::ResourceExt;

use super::Context;
use super::conditions::{FETCH_FAILED, Outcome, SUCCEEDED, stored_artifact};
use super::secrets;
use super::source::{Source, parse_interval};
use crate::api::helmrepository::{
    HelmRepository, HelmRepositorySpec, HelmRepositoryStatus, HelmRepositoryType,
};
use crate::api::meta;
use crate::source::artifact::{self, ArtifactKind};
use crate::source::credentials::{BasicAuth, TlsMaterial};
use crate::source::http::{HttpRepository, IndexFetch};
use crate::source::index::{IndexError, IndexLimits, read_chart_versions};

const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

impl Source for HelmRepository {
    type Status = HelmRepositoryStatus;
    const STORAGE_KIND: &'static str = "helmrepository";

    fn source_status(&self) -> Option<&Self::Status> {
        self.status.as_ref()
    }

    fn suspended(&self) -> bool {
        self.spec.suspend.unwrap_or(false)
    }

    fn interval(&self) -> Duration {
        parse_interval(self.spec.interval.as_deref(), DEFAULT_INTERVAL)
    }

    fn is_static(&self) -> bool {
        self.spec.type_ == Some(HelmRepositoryType::Oci)
    }

    async fn reconcile_artifact(&self, status: &mut Self::Status, ctx: &Context) -> Outcome {
        let namespace = self.namespace().unwrap_or_default();
        let repository = match http_repository(&self.spec, &namespace, ctx).await {
            Ok(repository) => repository,
            Err(outcome) => return outcome,
        };
        let key = super::source::object_key(self);
        let current = status.artifact.clone().filter(|a| artifact_on_disk(ctx, a));
        let validators = current.as_ref().and_then(|a| {
            let cache = ctx.index_validators.lock().ok()?;
            cache
                .get(&key)
                .filter(|(_, digest)| *digest == a.digest)
                .map(|(v, _)| v.clone())
        });
        let fetched = match repository.fetch_index(validators.as_ref()).await {
            Ok(fetched) => fetched,
            Err(e) => return Outcome::failed(FETCH_FAILED, e.reason(), e.to_string()),
        };
        let (bytes, validators, digest) = match fetched {
            IndexFetch::NotModified => {
                return match current {
                    Some(artifact) => ready(&artifact),
                    // The cache promised an artifact that is gone: fetch in full next time.
                    None => Outcome::failed(
                        FETCH_FAILED,
                        "IndexationFailed",
                        "index not modified but no artifact stored",
                    ),
                };
            }
            IndexFetch::Fetched {
                bytes,
                validators,
                digest,
            } => (bytes, validators, digest),
        };
        let limits = IndexLimits {
            max_size: ctx.config.limits.index_max_size,
            ..IndexLimits::default()
        };
        // Read the whole index once for its syntax, asking for a chart no index has, so no
        // entry is kept.
        match read_chart_versions(&bytes[..], "\u{0}", &limits) {
            Ok(_) | Err(IndexError::ChartNotFound(_)) => {}
            Err(e) => return Outcome::failed(FETCH_FAILED, e.reason(), e.to_string()),
        }
        let artifact = match current.filter(|a| a.digest == digest) {
            Some(artifact) => artifact,
            None => match store_index(ctx, &namespace, &self.name_any(), &digest, bytes).await {
                Ok(artifact) => artifact,
                Err(outcome) => return outcome,
            },
        };
        if let Ok(mut cache) = ctx.index_validators.lock() {
            cache.insert(key, (validators, digest));
        }
        status.url = Some(artifact.url.clone());
        status.artifact = Some(artifact.clone());
        // Flux's Ready message is the same whether the index is new or not, so a second
        // reconcile of an unchanged index writes nothing; the size goes into the event.
        ready(&artifact)
    }

    fn new_artifact_message(&self, artifact: &meta::Artifact) -> Option<String> {
        let url = url::Url::parse(&self.spec.url)
            .map(|url| crate::source::http::redact(&url))
            .unwrap_or_default();
        let size = artifact
            .size
            .and_then(|s| usize::try_from(s).ok())
            .map_or_else(
                || "unknown size".to_owned(),
                |s| format!("size {}", human_size(s)),
            );
        Some(format!("stored fetched index of {size} from '{url}'"))
    }
}

fn ready(artifact: &meta::Artifact) -> Outcome {
    Outcome::Ready {
        reason: SUCCEEDED.to_owned(),
        message: format!("stored artifact: revision '{}'", artifact.revision),
        revision: Some(artifact.revision.clone()),
    }
}

/// The client for the repository with the credentials of its Secrets.
pub async fn http_repository(
    spec: &HelmRepositorySpec,
    namespace: &str,
    ctx: &Context,
) -> Result<HttpRepository, Outcome> {
    let auth_failed =
        |message: String| Outcome::failed(FETCH_FAILED, "AuthenticationFailed", message);
    let mut auth = None;
    if let Some(reference) = &spec.secret_ref {
        let secret = secrets::read(&ctx.client, namespace, &reference.name)
            .await
            .map_err(|e| auth_failed(e.to_string()))?;
        auth = BasicAuth::from_secret(&secret.data).map_err(|e| {
            auth_failed(format!(
                "invalid secret '{namespace}/{}': {e}",
                reference.name
            ))
        })?;
    }
    let mut tls = None;
    if let Some(reference) = &spec.cert_secret_ref {
        let secret = secrets::read(&ctx.client, namespace, &reference.name)
            .await
            .map_err(|e| auth_failed(e.to_string()))?;
        tls = TlsMaterial::from_secret(&secret.data).map_err(|e| {
            auth_failed(format!(
                "invalid secret '{namespace}/{}': {e}",
                reference.name
            ))
        })?;
    }
    let timeout = parse_interval(spec.timeout.as_deref(), DEFAULT_TIMEOUT);
    let repository = HttpRepository::new(
        &spec.url,
        auth,
        tls,
        spec.pass_credentials.unwrap_or(false),
        timeout,
    )
    .map_err(|e| {
        if e.reason() == "URLInvalid" {
            Outcome::Stalled {
                reason: e.reason().to_owned(),
                message: e.to_string(),
            }
        } else {
            Outcome::failed(FETCH_FAILED, e.reason(), e.to_string())
        }
    })?;
    Ok(repository.with_index_max_size(ctx.config.limits.index_max_size))
}

/// The status artifact as the store describes it.
pub fn stored(artifact: &meta::Artifact) -> artifact::Artifact {
    artifact::Artifact {
        path: artifact.path.clone(),
        url: artifact.url.clone(),
        revision: artifact.revision.clone(),
        digest: artifact.digest.clone(),
        last_update_time: artifact.last_update_time.clone(),
        size: artifact
            .size
            .and_then(|s| u64::try_from(s).ok())
            .unwrap_or(0),
    }
}

pub fn artifact_on_disk(ctx: &Context, artifact: &meta::Artifact) -> bool {
    !artifact.path.contains("..") && ctx.storage.root().join(&artifact.path).is_file()
}

async fn store_index(
    ctx: &Context,
    namespace: &str,
    name: &str,
    digest: &str,
    bytes: Vec<u8>,
) -> Result<meta::Artifact, Outcome> {
    let storage = ctx.storage.clone();
    let retention = ctx.config.storage.retention_records as usize;
    let (namespace, name) = (namespace.to_owned(), name.to_owned());
    let hex = digest.trim_start_matches("sha256:").to_owned();
    let stored = tokio::task::spawn_blocking(move || {
        let kind = ArtifactKind::HelmRepository;
        let artifact = storage.store(
            kind,
            &namespace,
            &name,
            &format!("index-{hex}.yaml"),
            &bytes,
        )?;
        if let Err(e) = storage.garbage_collect(kind, &namespace, &name, &artifact, retention) {
            tracing::warn!(error = %e, "garbage collection of old index artifacts failed");
        }
        Ok::<_, artifact::StorageError>(artifact)
    })
    .await;
    stored_artifact(stored, "index")
}

/// Go's `units.HumanSize`-like text Flux puts in its messages (`1.2kB`).
fn human_size(bytes: usize) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_fluxs_messages() {
        assert_eq!(human_size(512), "512B");
        assert_eq!(human_size(1234), "1.234kB");
        assert_eq!(human_size(25_000_000), "25MB");
    }
}
