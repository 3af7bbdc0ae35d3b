//! Why talking to a registry, resolving a reference or handling a layer failed, with the
//! condition reason Flux's source-controller reports for each. Messages name the URL and
//! the registry's answer; they never carry credentials or tokens.
use std::time::Duration;

/// Flux's condition reasons for OCI sources (`source-controller/api/v1`).
pub mod reason {
    pub const AUTHENTICATION_FAILED: &str = "AuthenticationFailed";
    pub const URL_INVALID: &str = "URLInvalid";
    pub const OCI_ARTIFACT_PULL_FAILED: &str = "OCIArtifactPullFailed";
    pub const OCI_ARTIFACT_LAYER_OPERATION_FAILED: &str = "OCIArtifactLayerOperationFailed";
    /// HelmChart build reasons (`internal/helm/chart/errors.go`).
    pub const INVALID_CHART_REFERENCE: &str = "InvalidChartReference";
    pub const CHART_PULL_ERROR: &str = "ChartPullError";
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid OCI URL '{url}': {why}")]
    InvalidUrl { url: String, why: String },

    #[error("invalid registry credentials: {0}")]
    Credentials(String),

    #[error("cannot configure the HTTP client for registry {host}: {why}")]
    Client { host: String, why: String },

    #[error("{method} {url}: {status}: {}{detail}", if *.credentials_sent {
        "the registry refused the credentials"
    } else {
        "the registry requires credentials and none were given"
    })]
    Unauthorized {
        method: &'static str,
        url: String,
        status: u16,
        credentials_sent: bool,
        detail: String,
    },

    #[error("{url} is not an OCI registry: GET /v2/ answered {status}")]
    NotARegistry { url: String, status: u16 },

    #[error("{what} not found: {method} {url}: {status}{detail}")]
    NotFound {
        what: String,
        method: &'static str,
        url: String,
        status: u16,
        detail: String,
    },

    #[error("{method} {url}: unexpected status {status}{detail}")]
    Status {
        method: &'static str,
        url: String,
        status: u16,
        detail: String,
    },

    #[error("{method} {url}: {why}")]
    Transport {
        method: &'static str,
        url: String,
        why: String,
    },

    #[error("{what} timed out after {after:?}")]
    Timeout { what: String, after: Duration },

    #[error("{what} from {url} is larger than the limit of {limit} bytes")]
    TooLarge {
        what: String,
        url: String,
        limit: u64,
    },

    #[error("{what} from {url} has digest {actual}, expected {expected}")]
    DigestMismatch {
        what: String,
        url: String,
        expected: String,
        actual: String,
    },

    #[error("invalid {what} from {url}: {why}")]
    InvalidResponse {
        what: String,
        url: String,
        why: String,
    },

    #[error("{repository}: {source}")]
    NoMatchingVersion {
        repository: String,
        source: helmsync_engine::semver::Error,
    },

    #[error("invalid semverFilter '{filter}': {why}")]
    InvalidSemverFilter { filter: String, why: String },

    #[error(
        "{reference} is not a Helm chart: config media type is '{found}', expected '{expected}'"
    )]
    NotAHelmChart {
        reference: String,
        found: String,
        expected: String,
    },

    #[error("failed to find layer with media type '{media_type}' in OCI artifact {reference}")]
    LayerNotFound {
        reference: String,
        media_type: String,
    },

    #[error("failed to extract layer contents from artifact {reference}: {why}")]
    LayerExtract { reference: String, why: String },
}

impl Error {
    pub(crate) fn invalid_url(url: &str, why: &str) -> Error {
        Error::InvalidUrl {
            url: url.to_owned(),
            why: why.to_owned(),
        }
    }

    /// The reason an OCIRepository condition carries for this error.
    pub fn reason(&self) -> &'static str {
        match self {
            Error::InvalidUrl { .. } => reason::URL_INVALID,
            Error::Credentials(_) | Error::Client { .. } | Error::Unauthorized { .. } => {
                reason::AUTHENTICATION_FAILED
            }
            Error::LayerNotFound { .. } | Error::LayerExtract { .. } => {
                reason::OCI_ARTIFACT_LAYER_OPERATION_FAILED
            }
            _ => reason::OCI_ARTIFACT_PULL_FAILED,
        }
    }

    /// The reason a HelmChart built from a HelmRepository of type `oci` carries.
    pub fn chart_reason(&self) -> &'static str {
        match self {
            Error::Credentials(_) | Error::Client { .. } | Error::Unauthorized { .. } => {
                reason::AUTHENTICATION_FAILED
            }
            Error::InvalidUrl { .. } | Error::NoMatchingVersion { .. } => {
                reason::INVALID_CHART_REFERENCE
            }
            _ => reason::CHART_PULL_ERROR,
        }
    }

    /// Whether the registry refused the credentials (or wanted some).
    pub fn is_authentication(&self) -> bool {
        self.reason() == reason::AUTHENTICATION_FAILED
    }
}

/// A transport error with its causes, which carry the useful part ("Connection refused",
/// "dns error"); reqwest's own text only says a request failed.
pub(crate) fn transport(method: &'static str, url: &str, error: reqwest::Error) -> Error {
    let connect = error.is_connect();
    let error = error.without_url();
    let mut why = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !why.contains(&text) {
            why.push_str(": ");
            why.push_str(&text);
        }
        source = cause.source();
    }
    // rustls's words for a plain-HTTP answer to a TLS hello.
    if connect && url.starts_with("https://") && why.contains("InvalidContentType") {
        why.push_str(" (the registry may serve plain HTTP; that needs `insecure: true`)");
    }
    Error::Transport {
        method,
        url: url.to_owned(),
        why,
    }
}
