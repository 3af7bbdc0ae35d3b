//! A Helm HTTP repository: its `index.yaml` fetched conditionally, and chart archives
//! downloaded from the URLs its entries name, with Helm's and Flux's credential rules.
use std::fmt::Write as _;
use std::time::Duration;

use reqwest::{StatusCode, header};
use sha2::{Digest, Sha256};
use url::Url;

use super::credentials::{BasicAuth, CredentialsError, TlsMaterial, http_client};
use super::index::{ChartVersion, DEFAULT_INDEX_MAX_SIZE};

/// `--helm-chart-max-size`: Flux's default limit on a chart archive.
pub const DEFAULT_CHART_MAX_SIZE: u64 = 10 * 1024 * 1024;

/// What a repository said about the index it served, to ask next time whether it changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexValidators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexFetch {
    /// The server answered 304: the index is the one the validators came from.
    NotModified,
    Fetched {
        bytes: Vec<u8>,
        validators: IndexValidators,
        /// `sha256:<hex>` of `bytes`.
        digest: String,
    },
}

/// What was being fetched, which decides the condition reason of a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Index,
    Chart,
}

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("invalid URL '{url}': {detail}")]
    InvalidUrl { url: String, detail: String },
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    #[error("failed to fetch {url}: {status}: authentication required or refused")]
    Unauthorized {
        target: Target,
        url: String,
        status: StatusCode,
    },
    #[error("failed to fetch {url}: {status}")]
    Status {
        target: Target,
        url: String,
        status: StatusCode,
    },
    #[error("failed to fetch {url}: {detail}")]
    Transport {
        target: Target,
        url: String,
        detail: String,
    },
    #[error("failed to fetch {url}: response larger than the limit of {limit} bytes")]
    TooLarge {
        target: Target,
        url: String,
        limit: u64,
    },
    #[error(
        "chart {url}: digest mismatch: index has sha256:{expected}, download has sha256:{actual}"
    )]
    DigestMismatch {
        url: String,
        expected: String,
        actual: String,
    },
    #[error("entry {chart}-{version} has no URLs")]
    NoUrls { chart: String, version: String },
}

impl HttpError {
    /// Flux's condition reason.
    pub fn reason(&self) -> &'static str {
        let by_target = |target: &Target| match target {
            Target::Index => "IndexationFailed",
            Target::Chart => "ChartPullError",
        };
        match self {
            HttpError::InvalidUrl { .. } => "URLInvalid",
            HttpError::Credentials(e) => e.reason(),
            HttpError::Unauthorized { .. } => "AuthenticationFailed",
            HttpError::Status { target, .. }
            | HttpError::Transport { target, .. }
            | HttpError::TooLarge { target, .. } => by_target(target),
            HttpError::DigestMismatch { .. } | HttpError::NoUrls { .. } => "ChartPullError",
        }
    }
}

/// A HelmRepository of the default (HTTP) type.
#[derive(Clone, Debug)]
pub struct HttpRepository {
    url: Url,
    client: reqwest::Client,
    auth: Option<BasicAuth>,
    pass_credentials: bool,
    index_max_size: u64,
}

impl HttpRepository {
    /// `timeout` bounds each request as a whole, body included (HelmRepository `timeout`).
    pub fn new(
        url: &str,
        auth: Option<BasicAuth>,
        tls: Option<TlsMaterial>,
        pass_credentials: bool,
        timeout: Duration,
    ) -> Result<HttpRepository, HttpError> {
        let parsed = Url::parse(url).map_err(|e| HttpError::InvalidUrl {
            url: url.to_owned(),
            detail: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(HttpError::InvalidUrl {
                url: redact(&parsed),
                detail: "scheme must be http or https".to_owned(),
            });
        }
        Ok(HttpRepository {
            url: parsed,
            client: http_client(tls.as_ref(), timeout)?,
            auth,
            pass_credentials,
            index_max_size: DEFAULT_INDEX_MAX_SIZE,
        })
    }

    /// `--helm-index-max-size`.
    pub fn with_index_max_size(mut self, bytes: u64) -> HttpRepository {
        self.index_max_size = bytes;
        self
    }

    /// The repository URL without credentials, for messages and status.
    pub fn url(&self) -> String {
        redact(&self.url)
    }

    /// `<url>/index.yaml`, joined as Flux joins it (`path.Join`, query kept).
    pub fn index_url(&self) -> Url {
        let mut url = self.url.clone();
        let path = format!("{}/index.yaml", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url
    }

    /// GETs the index, conditionally when `previous` validators are given.
    pub async fn fetch_index(
        &self,
        previous: Option<&IndexValidators>,
    ) -> Result<IndexFetch, HttpError> {
        let url = self.index_url();
        let mut request = self.authorize(self.client.get(url.clone()), &url);
        if let Some(previous) = previous {
            if let Some(etag) = &previous.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &previous.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, modified);
            }
        }
        let response = send(request, Target::Index, &url).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(IndexFetch::NotModified);
        }
        let text = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let validators = IndexValidators {
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
        };
        let bytes = read_capped(response, self.index_max_size, Target::Index, &url).await?;
        let digest = format!("sha256:{}", sha256_hex(&bytes));
        Ok(IndexFetch::Fetched {
            bytes,
            validators,
            digest,
        })
    }

    /// The chart archive of `entry` from its first URL, at most `max_size` bytes, checked
    /// against the entry's digest when the index gives one.
    pub async fn download_chart(
        &self,
        entry: &ChartVersion,
        max_size: u64,
    ) -> Result<Vec<u8>, HttpError> {
        let reference = entry.urls.first().ok_or_else(|| HttpError::NoUrls {
            chart: entry.name.clone(),
            version: entry.version.clone(),
        })?;
        let url = self.resolve_chart_url(reference)?;
        let request = self.authorize(self.client.get(url.clone()), &url);
        let response = send(request, Target::Chart, &url).await?;
        let bytes = read_capped(response, max_size, Target::Chart, &url).await?;
        if let Some(expected) = &entry.digest {
            let expected = expected.strip_prefix("sha256:").unwrap_or(expected);
            let actual = sha256_hex(&bytes);
            if !expected.eq_ignore_ascii_case(&actual) {
                return Err(HttpError::DigestMismatch {
                    url: redact(&url),
                    expected: expected.to_owned(),
                    actual,
                });
            }
        }
        Ok(bytes)
    }

    /// Helm's `repo.ResolveReferenceURL`: an absolute URL stays as it is; a relative one is
    /// resolved against the repository URL read as a directory, and takes its query.
    pub fn resolve_chart_url(&self, reference: &str) -> Result<Url, HttpError> {
        let invalid = |e: url::ParseError| HttpError::InvalidUrl {
            url: reference.to_owned(),
            detail: e.to_string(),
        };
        match Url::parse(reference) {
            Ok(absolute) => Ok(absolute),
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                let mut base = self.url.clone();
                let directory = format!("{}/", base.path().trim_end_matches('/'));
                base.set_path(&directory);
                let mut resolved = base.join(reference).map_err(invalid)?;
                resolved.set_query(self.url.query());
                Ok(resolved)
            }
            Err(e) => Err(invalid(e)),
        }
    }

    /// Basic auth goes to the repository's own scheme and host (port included) only, unless
    /// `passCredentials` allows every host — Helm's getter rule.
    fn authorize(&self, request: reqwest::RequestBuilder, url: &Url) -> reqwest::RequestBuilder {
        let Some(auth) = &self.auth else {
            return request;
        };
        let same_host = url.scheme() == self.url.scheme()
            && url.host_str() == self.url.host_str()
            && url.port() == self.url.port();
        if (self.pass_credentials || same_host)
            && !auth.username.is_empty()
            && !auth.password.is_empty()
        {
            request.basic_auth(&auth.username, Some(&auth.password))
        } else {
            request
        }
    }
}

async fn send(
    request: reqwest::RequestBuilder,
    target: Target,
    url: &Url,
) -> Result<reqwest::Response, HttpError> {
    let response = request
        .send()
        .await
        .map_err(|e| transport_error(&e, target, url))?;
    let status = response.status();
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return Err(HttpError::Unauthorized {
            target,
            url: redact(url),
            status,
        });
    }
    if !status.is_success() && status != StatusCode::NOT_MODIFIED {
        return Err(HttpError::Status {
            target,
            url: redact(url),
            status,
        });
    }
    Ok(response)
}

/// The body, refused as soon as it passes `limit` (after decompression, so a small
/// compressed body cannot expand without bound).
async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
    target: Target,
    url: &Url,
) -> Result<Vec<u8>, HttpError> {
    let too_large = || HttpError::TooLarge {
        target,
        url: redact(url),
        limit,
    };
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(&e, target, url))?
    {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The causes of a transport failure (connection refused, DNS, TLS, timeout), without the
/// URL reqwest puts in its own text, which may carry userinfo.
fn transport_error(error: &reqwest::Error, target: Target, url: &Url) -> HttpError {
    let mut detail = if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "connection failed".to_owned()
    } else if error.is_body() || error.is_decode() {
        "reading the response body failed".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        let repeats_timeout = error.is_timeout() && text.contains("timed out");
        if !detail.ends_with(&text) && !repeats_timeout {
            let _ = write!(detail, ": {text}");
        }
        source = cause.source();
    }
    HttpError::Transport {
        target,
        url: redact(url),
        detail,
    }
}

/// The URL without userinfo.
pub fn redact(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn repo(url: &str) -> HttpRepository {
        HttpRepository::new(url, None, None, false, Duration::from_secs(5)).unwrap()
    }

    #[test]
    fn index_url_joins_like_flux_and_keeps_the_query() {
        let index = |u: &str| repo(u).index_url().to_string();
        assert_eq!(index("https://h/charts"), "https://h/charts/index.yaml");
        assert_eq!(index("https://h/charts/"), "https://h/charts/index.yaml");
        assert_eq!(index("https://h"), "https://h/index.yaml");
        assert_eq!(index("https://h/c/?sig=1"), "https://h/c/index.yaml?sig=1");
    }

    #[test]
    fn chart_urls_resolve_like_helm() {
        let resolve = |u: &str, r: &str| repo(u).resolve_chart_url(r).unwrap().to_string();
        assert_eq!(resolve("https://h/c", "a-1.tgz"), "https://h/c/a-1.tgz");
        assert_eq!(
            resolve("https://h/c/", "x/a-1.tgz"),
            "https://h/c/x/a-1.tgz"
        );
        assert_eq!(
            resolve("https://h/c?t=1", "a-1.tgz"),
            "https://h/c/a-1.tgz?t=1"
        );
        assert_eq!(resolve("https://h/c", "/r/a-1.tgz"), "https://h/r/a-1.tgz");
        assert_eq!(
            resolve("https://h/c", "https://o:8443/a-1.tgz?x=y"),
            "https://o:8443/a-1.tgz?x=y"
        );
    }

    #[test]
    fn errors_never_show_userinfo() {
        let url = Url::parse("https://user:pw@h/c").unwrap();
        assert_eq!(redact(&url), "https://h/c");
        let err = HttpRepository::new("ftp://u:pw@h", None, None, false, Duration::from_secs(1))
            .unwrap_err();
        assert_eq!(err.reason(), "URLInvalid");
        assert!(!err.to_string().contains("pw"), "{err}");
    }
}
