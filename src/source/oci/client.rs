//! A small client of the OCI distribution API on reqwest: `GET /v2/`, paginated tag lists,
//! manifests by tag or digest, and blobs streamed with a size cap and sha256 verification.
//! Authorization and bounded reading live in `session`.
use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::{ACCEPT, ACCEPT_ENCODING, HeaderMap, LINK};
use reqwest::{Method, StatusCode};
use sha2::{Digest as _, Sha256};

use super::auth::RegistryCredentials;
use super::error::Error;
use super::manifest::{Descriptor, MANIFEST_ACCEPT, Manifest};
use super::reference::{Digest, Repository};
use super::session::{AuthState, read_bounded};
use crate::source::credentials::{ProxySettings, TlsMaterial, http_client_via};

/// Caps on what a registry may send.
#[derive(Clone, Debug)]
pub struct Limits {
    /// containerd's and oras' limit on a manifest.
    pub max_manifest_size: u64,
    /// The largest blob pulled: a chart's compressed layer, an artifact's layer.
    pub max_blob_size: u64,
    /// The most tags read from one repository, over all pages.
    pub max_tags: usize,
    /// The tags asked for per page (`?n=`); registries may send fewer and a `Link` to more.
    pub tag_page_size: usize,
    /// The largest token response or error body read.
    pub max_small_body: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_manifest_size: 4 * 1024 * 1024,
            // Helm refuses charts that decompress to more; a compressed chart is smaller.
            max_blob_size: helmsync_engine::chart::MAX_DECOMPRESSED_CHART_SIZE,
            max_tags: 100_000,
            tag_page_size: 1000,
            max_small_body: 1024 * 1024,
        }
    }
}

/// How to reach a registry.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Plain HTTP (Flux's `insecure`); HTTPS otherwise.
    pub insecure: bool,
    /// The limit on each request, body included (Flux's `timeout`, 60s by default).
    pub timeout: Duration,
    pub tls: Option<TlsMaterial>,
    /// A forward proxy for every request (Flux's `proxySecretRef`).
    pub proxy: Option<ProxySettings>,
    pub limits: Limits,
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            insecure: false,
            timeout: Duration::from_secs(60),
            tls: None,
            proxy: None,
            limits: Limits::default(),
        }
    }
}

/// A client of one registry host.
pub struct RegistryClient {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
    pub(super) credentials: RegistryCredentials,
    pub(super) options: ClientOptions,
    pub(super) auth: Mutex<AuthState>,
}

#[derive(serde::Deserialize)]
struct TagList {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

impl RegistryClient {
    /// A client of the registry at `host` (`host[:port]`); nothing is sent yet.
    pub fn new(
        host: &str,
        credentials: RegistryCredentials,
        options: ClientOptions,
    ) -> Result<RegistryClient, Error> {
        let http = http_client_via(
            options.tls.as_ref(),
            options.proxy.as_ref(),
            options.timeout,
        )
        .map_err(|e| Error::Client {
            host: host.to_owned(),
            why: e.to_string(),
        })?;
        let scheme = if options.insecure { "http" } else { "https" };
        Ok(RegistryClient {
            http,
            base: format!("{scheme}://{host}"),
            credentials,
            options,
            auth: Mutex::new(AuthState::default()),
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.options.limits
    }

    pub fn timeout(&self) -> Duration {
        self.options.timeout
    }

    /// `GET /v2/`: checks the host speaks the distribution API and accepts the credentials.
    pub async fn ping(&self) -> Result<(), Error> {
        let url = format!("{}/v2/", self.base);
        let response = self.send(Method::GET, &url, None, HeaderMap::new()).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
            let detail = self.error_detail(response).await;
            return Err(self.unauthorized(&url, status, detail));
        }
        Err(Error::NotARegistry {
            url: self.base.clone(),
            status: status.as_u16(),
        })
    }

    /// Every tag of `repository`, following `Link` pagination, at most `max_tags`.
    pub async fn list_tags(&self, repository: &Repository) -> Result<Vec<String>, Error> {
        let mut url = format!(
            "{}/v2/{}/tags/list?n={}",
            self.base,
            repository.name(),
            self.options.limits.tag_page_size
        );
        let mut tags = Vec::new();
        loop {
            let response = self
                .get_ok(&url, repository, HeaderMap::new(), || {
                    format!("repository {repository}")
                })
                .await?;
            let next = next_link(response.headers(), &self.base);
            let body = read_bounded(
                response,
                self.options.limits.max_manifest_size,
                "tag list",
                &url,
            )
            .await?;
            let page: TagList =
                serde_json::from_slice(&body).map_err(|e| Error::InvalidResponse {
                    what: "tag list".into(),
                    url: url.clone(),
                    why: e.to_string(),
                })?;
            tags.extend(page.tags.unwrap_or_default());
            if tags.len() > self.options.limits.max_tags {
                return Err(Error::TooLarge {
                    what: "tag list".into(),
                    url,
                    limit: self.options.limits.max_tags as u64,
                });
            }
            match next {
                Some(next) if next != url => url = next,
                _ => return Ok(tags),
            }
        }
    }

    /// The manifest `reference` (a tag or `sha256:` digest) points at, with its digest.
    pub async fn fetch_manifest(
        &self,
        repository: &Repository,
        reference: &str,
    ) -> Result<Manifest, Error> {
        let url = format!(
            "{}/v2/{}/manifests/{reference}",
            self.base,
            repository.name()
        );
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, MANIFEST_ACCEPT);
        let response = self
            .get_ok(&url, repository, headers, || {
                let separator = if reference.starts_with("sha256:") {
                    '@'
                } else {
                    ':'
                };
                format!("manifest {repository}{separator}{reference}")
            })
            .await?;
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_owned());
        let body = read_bounded(
            response,
            self.options.limits.max_manifest_size,
            "manifest",
            &url,
        )
        .await?;
        let digest = Digest::of(&body);
        if reference.starts_with("sha256:") && digest.as_str() != reference {
            return Err(Error::DigestMismatch {
                what: "manifest".into(),
                url,
                expected: reference.to_owned(),
                actual: digest.to_string(),
            });
        }
        Manifest::parse(&body, content_type.as_deref(), digest).map_err(|why| {
            Error::InvalidResponse {
                what: "manifest".into(),
                url,
                why,
            }
        })
    }

    /// The blob `descriptor` names, streamed into memory, refused beyond `max_size` bytes
    /// and checked against the descriptor's size and digest.
    pub async fn fetch_blob(
        &self,
        repository: &Repository,
        descriptor: &Descriptor,
        max_size: u64,
    ) -> Result<Vec<u8>, Error> {
        let url = format!(
            "{}/v2/{}/blobs/{}",
            self.base,
            repository.name(),
            descriptor.digest
        );
        let what = format!("blob {} ({})", descriptor.digest, descriptor.media_type);
        if descriptor.size > max_size {
            return Err(Error::TooLarge {
                what,
                url,
                limit: max_size,
            });
        }
        let mut headers = HeaderMap::new();
        // The digest covers the bytes as stored; no transfer compression in between.
        headers.insert(
            ACCEPT_ENCODING,
            reqwest::header::HeaderValue::from_static("identity"),
        );
        let mut response = self
            .get_ok(&url, repository, headers, || {
                format!("blob {}", descriptor.digest)
            })
            .await?;
        let mut hasher = Sha256::new();
        let mut body = Vec::with_capacity(usize::try_from(descriptor.size).unwrap_or(0));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.failed("GET", &url, e))?
        {
            if body.len() as u64 + chunk.len() as u64 > descriptor.size {
                return Err(Error::InvalidResponse {
                    what,
                    url,
                    why: format!(
                        "more bytes than the {} the manifest declares",
                        descriptor.size
                    ),
                });
            }
            hasher.update(&chunk);
            body.extend_from_slice(&chunk);
        }
        if body.len() as u64 != descriptor.size {
            return Err(Error::InvalidResponse {
                what,
                url,
                why: format!(
                    "{} bytes received, the manifest declares {}",
                    body.len(),
                    descriptor.size
                ),
            });
        }
        let actual = Digest::from_sha256(&hasher.finalize());
        if actual != descriptor.digest {
            return Err(Error::DigestMismatch {
                what,
                url,
                expected: descriptor.digest.to_string(),
                actual: actual.to_string(),
            });
        }
        Ok(body)
    }
}

/// The `rel="next"` target of a `Link` header, made absolute against `base`.
fn next_link(headers: &HeaderMap, base: &str) -> Option<String> {
    headers.get_all(LINK).iter().find_map(|value| {
        let value = value.to_str().ok()?;
        value.split(',').find_map(|link| {
            let (target, params) = link.split_once(';')?;
            if !params.replace(' ', "").contains("rel=\"next\"") {
                return None;
            }
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            let base = reqwest::Url::parse(base).ok()?;
            let next = base.join(target).ok()?;
            // Pagination must stay on the registry.
            (next.origin() == base.origin()).then(|| next.to_string())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_next_page_is_resolved_against_the_registry() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            HeaderValue::from_static("</v2/a/tags/list?last=x&n=2>; rel=\"next\""),
        );
        assert_eq!(
            next_link(&headers, "http://127.0.0.1:5000").as_deref(),
            Some("http://127.0.0.1:5000/v2/a/tags/list?last=x&n=2")
        );
    }

    #[test]
    fn a_next_page_on_another_host_is_not_followed() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            HeaderValue::from_static("<http://elsewhere/v2/a/tags/list>; rel=\"next\""),
        );
        assert_eq!(next_link(&headers, "http://127.0.0.1:5000"), None);
    }
}
