//! OCIRepository: pulls an artifact from an OCI registry by digest, semver range or tag,
//! and stores the selected layer (copied as-is, or extracted and re-archived) with
//! revision `<tag>@sha256:<hex>`.
use std::time::Duration;

use kube::ResourceExt;

use super::conditions::{FETCH_FAILED, Outcome, STORAGE_OPERATION_FAILED, SUCCEEDED};
use super::helmrepository::artifact_on_disk;
use super::source::{Source, parse_interval};
use super::{Context, secrets, service_account};
use crate::api::meta::{self, LocalObjectReference, Provider};
use crate::api::ocirepository::OciRepositoryStatusFields;
use crate::api::ocirepository::v1::OCIRepository;
use crate::source::artifact::{ArtifactKind, StorageError};
use crate::source::credentials::{ProxySettings, TlsMaterial};
use crate::source::oci::{self, ExtractedFile, LayerContent};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest layer an OCIRepository pulls; Flux sets none, an unbounded download is not
/// acceptable from an untrusted registry.
const MAX_LAYER_SIZE: u64 = 100 << 20;

impl Source for OCIRepository {
    type Status = OciRepositoryStatusFields;
    const STORAGE_KIND: &'static str = "ocirepository";

    fn source_status(&self) -> Option<&Self::Status> {
        self.status.as_ref()
    }

    fn suspended(&self) -> bool {
        self.spec.fields.suspend.unwrap_or(false)
    }

    fn interval(&self) -> Duration {
        parse_interval(Some(&self.spec.fields.interval), Duration::from_secs(60))
    }

    async fn reconcile_artifact(&self, status: &mut Self::Status, ctx: &Context) -> Outcome {
        match self.pull(status, ctx).await {
            Ok(outcome) | Err(outcome) => outcome,
        }
    }
}

/// What a registry client needs from a source object.
pub struct RegistryAccess<'a> {
    pub url_host: &'a str,
    pub secret_ref: Option<&'a LocalObjectReference>,
    pub cert_secret_ref: Option<&'a LocalObjectReference>,
    pub insecure: bool,
    pub timeout: Duration,
    pub max_blob_size: u64,
}

/// What OCIRepository adds to a registry client: a forward proxy, and the pull secrets of
/// a ServiceAccount.
#[derive(Clone, Copy, Debug, Default)]
pub struct RegistryExtras<'a> {
    pub proxy_secret_ref: Option<&'a LocalObjectReference>,
    pub service_account_name: Option<&'a str>,
}

/// A registry client with the credentials of the object's Secrets; a failure becomes a
/// FetchFailed outcome with the reason `reason_of` picks.
pub async fn registry_client(
    access: RegistryAccess<'_>,
    namespace: &str,
    ctx: &Context,
    reason_of: fn(&oci::Error) -> &'static str,
) -> Result<oci::RegistryClient, Outcome> {
    registry_client_with(access, RegistryExtras::default(), namespace, ctx, reason_of).await
}

/// As `registry_client`, with a proxy and ServiceAccount pull secrets. `secretRef` wins over
/// the ServiceAccount's pull secrets.
pub async fn registry_client_with(
    access: RegistryAccess<'_>,
    extras: RegistryExtras<'_>,
    namespace: &str,
    ctx: &Context,
    reason_of: fn(&oci::Error) -> &'static str,
) -> Result<oci::RegistryClient, Outcome> {
    let failed = |reason: &str, message: String| Outcome::failed(FETCH_FAILED, reason, message);
    let mut credentials = oci::RegistryCredentials::Anonymous;
    if let Some(reference) = access.secret_ref {
        let secret = secrets::read(&ctx.client, namespace, &reference.name)
            .await
            .map_err(|e| failed("AuthenticationFailed", e.to_string()))?;
        credentials = oci::RegistryCredentials::from_secret(
            &reference.name,
            secret.type_.as_deref(),
            &secret.data,
            access.url_host,
        )
        .map_err(|e| failed(reason_of(&e), e.to_string()))?;
    } else if let Some(account) = extras.service_account_name {
        credentials =
            service_account::registry_credentials(ctx, namespace, account, access.url_host)
                .await
                .map_err(|message| failed("AuthenticationFailed", message))?;
    }
    let mut proxy = None;
    if let Some(reference) = extras.proxy_secret_ref {
        let proxy_failed = |e: String| {
            failed(
                "AuthenticationFailed",
                format!("failed to get proxy address: {e}"),
            )
        };
        let secret = secrets::read(&ctx.client, namespace, &reference.name)
            .await
            .map_err(|e| proxy_failed(e.to_string()))?;
        proxy = Some(ProxySettings::from_secret(&secret.data).map_err(|e| {
            proxy_failed(format!(
                "invalid proxy secret '{namespace}/{}': {e}",
                reference.name
            ))
        })?);
    }
    let mut tls = None;
    if let Some(reference) = access.cert_secret_ref {
        let secret = secrets::read(&ctx.client, namespace, &reference.name)
            .await
            .map_err(|e| failed("AuthenticationFailed", e.to_string()))?;
        tls = TlsMaterial::from_secret(&secret.data).map_err(|e| {
            failed(
                "AuthenticationFailed",
                format!("invalid secret '{namespace}/{}': {e}", reference.name),
            )
        })?;
    }
    let options = oci::ClientOptions {
        insecure: access.insecure,
        timeout: access.timeout,
        tls,
        proxy,
        limits: oci::Limits {
            max_blob_size: access.max_blob_size,
            ..oci::Limits::default()
        },
    };
    oci::RegistryClient::new(access.url_host, credentials, options)
        .map_err(|e| failed(reason_of(&e), e.to_string()))
}

/// Cloud provider authentication (`provider: aws|azure|gcp`) needs the providers' identity
/// services, which helmsync does not reach: such objects are Stalled, not retried, until
/// the spec changes.
pub fn unsupported_provider(provider: Option<Provider>) -> Option<Outcome> {
    let name = match provider? {
        Provider::Generic => return None,
        Provider::Aws => "aws",
        Provider::Azure => "azure",
        Provider::Gcp => "gcp",
    };
    Some(Outcome::Stalled {
        reason: "InvalidProviderConfiguration".to_owned(),
        message: format!(
            "provider '{name}' is not supported: use provider 'generic' with secretRef or \
             serviceAccountName (image pull secrets) for registry credentials"
        ),
    })
}

impl OCIRepository {
    async fn pull(
        &self,
        status: &mut OciRepositoryStatusFields,
        ctx: &Context,
    ) -> Result<Outcome, Outcome> {
        let spec = &self.spec.fields;
        let namespace = self.namespace().unwrap_or_default();
        let stalled = |reason: &str, message: String| Outcome::Stalled {
            reason: reason.to_owned(),
            message,
        };
        if let Some(outcome) = unsupported_provider(spec.provider) {
            return Err(outcome);
        }
        if spec.verify.is_some() {
            // Serving an artifact whose signature was asked for but not checked would be
            // worse than serving none.
            return Err(stalled(
                "VerificationError",
                "signature verification (spec.verify) is not supported yet".to_owned(),
            ));
        }
        let repository = oci::Repository::parse_url(&spec.url)
            .map_err(|e| stalled(e.reason(), e.to_string()))?;
        let access = RegistryAccess {
            url_host: repository.host(),
            secret_ref: spec.secret_ref.as_ref(),
            cert_secret_ref: spec.cert_secret_ref.as_ref(),
            insecure: spec.insecure.unwrap_or(false),
            timeout: parse_interval(spec.timeout.as_deref(), DEFAULT_TIMEOUT),
            max_blob_size: MAX_LAYER_SIZE,
        };
        let extras = RegistryExtras {
            proxy_secret_ref: spec.proxy_secret_ref.as_ref(),
            service_account_name: spec.service_account_name.as_deref(),
        };
        let client =
            registry_client_with(access, extras, &namespace, ctx, oci::Error::reason).await?;
        let pulled = oci::pull_artifact(
            &client,
            &spec.url,
            spec.reference.as_ref(),
            spec.layer_selector.as_ref(),
        )
        .await
        .map_err(|e| Outcome::failed(FETCH_FAILED, e.reason(), e.to_string()))?;
        let current = status
            .artifact
            .clone()
            .filter(|a| a.revision == pulled.revision && artifact_on_disk(ctx, a));
        let artifact = match current {
            Some(artifact) => artifact,
            None => {
                let bytes = match pulled.content {
                    LayerContent::Copied(bytes) => bytes,
                    LayerContent::Extracted(files) => archive(&files).map_err(|e| {
                        Outcome::failed(
                            STORAGE_OPERATION_FAILED,
                            "ArchiveOperationFailed",
                            format!("cannot archive the extracted layer: {e}"),
                        )
                    })?,
                };
                let file = format!(
                    "{}.tar.gz",
                    pulled
                        .manifest
                        .digest
                        .to_string()
                        .trim_start_matches("sha256:")
                );
                store(
                    ctx,
                    &namespace,
                    &self.name_any(),
                    &file,
                    bytes,
                    &pulled.revision,
                )
                .await?
            }
        };
        status.url = Some(artifact.url.clone());
        status.observed_layer_selector = spec.layer_selector.clone();
        status.observed_ignore = spec.ignore.clone();
        status.artifact = Some(artifact.clone());
        Ok(Outcome::Ready {
            reason: SUCCEEDED.to_owned(),
            message: format!("stored artifact for digest '{}'", artifact.revision),
            revision: Some(artifact.revision),
        })
    }
}

async fn store(
    ctx: &Context,
    namespace: &str,
    name: &str,
    file: &str,
    bytes: Vec<u8>,
    revision: &str,
) -> Result<meta::Artifact, Outcome> {
    let storage = ctx.storage.clone();
    let retention = ctx.config.storage.retention_records as usize;
    let (namespace, name, file, revision) = (
        namespace.to_owned(),
        name.to_owned(),
        file.to_owned(),
        revision.to_owned(),
    );
    let stored = tokio::task::spawn_blocking(move || {
        let kind = ArtifactKind::OciRepository;
        let artifact = storage
            .store(kind, &namespace, &name, &file, &bytes)?
            .with_revision(revision);
        if let Err(e) = storage.garbage_collect(kind, &namespace, &name, &artifact, retention) {
            tracing::warn!(error = %e, "garbage collection of old OCI artifacts failed");
        }
        Ok::<_, StorageError>(artifact)
    })
    .await;
    super::conditions::stored_artifact(stored, "artifact")
}

/// The extracted files as a reproducible tar.gz (sorted, no timestamps), as Flux archives
/// extracted layers.
fn archive(files: &[ExtractedFile]) -> std::io::Result<Vec<u8>> {
    let mut sorted: Vec<&ExtractedFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(encoder);
    for file in sorted {
        let mut header = tar::Header::new_gnu();
        header.set_size(file.data.len() as u64);
        header.set_mode(file.mode & 0o777);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut header, &file.path, file.data.as_slice())?;
    }
    builder.into_inner()?.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_providers_stall_with_a_message_naming_them() {
        assert_eq!(unsupported_provider(None), None);
        assert_eq!(unsupported_provider(Some(Provider::Generic)), None);
        for (provider, name) in [
            (Provider::Aws, "aws"),
            (Provider::Azure, "azure"),
            (Provider::Gcp, "gcp"),
        ] {
            let Some(Outcome::Stalled { reason, message }) = unsupported_provider(Some(provider))
            else {
                panic!("{name} is not stalled");
            };
            assert_eq!(reason, "InvalidProviderConfiguration");
            assert!(message.contains(&format!("provider '{name}'")), "{message}");
            assert!(message.contains("'generic'"), "{message}");
        }
    }

    #[test]
    fn extracted_files_archive_reproducibly() {
        let files = vec![
            ExtractedFile {
                path: "b.txt".into(),
                mode: 0o644,
                data: b"b".to_vec(),
            },
            ExtractedFile {
                path: "dir/a.txt".into(),
                mode: 0o600,
                data: b"a".to_vec(),
            },
        ];
        let one = archive(&files).unwrap();
        let mut reversed = files.clone();
        reversed.reverse();
        assert_eq!(one, archive(&reversed).unwrap());
        let back = oci::extract_tar_gz(&one, Default::default()).unwrap();
        let paths: Vec<&str> = back.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["b.txt", "dir/a.txt"]);
    }
}
