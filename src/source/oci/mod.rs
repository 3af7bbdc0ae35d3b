//! Helm charts and artifacts in OCI registries: references, a distribution-API client with
//! Basic and Bearer token auth, chart resolution for HelmRepository type `oci`, and
//! OCIRepository pulls with layer selection.
//!
//! The client is ours, on reqwest, rather than `oci-client`: that crate's pulls buffer whole
//! layers without a cap and it knows nothing of Helm's media types, while a pull here needs
//! exactly four endpoints with every body bounded and every blob verified as it streams.
mod auth;
mod chart;
mod client;
mod error;
mod extract;
mod manifest;
mod reference;
mod repository;
mod session;

pub use auth::{Challenge, DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE, RegistryCredentials};
pub use chart::{PulledChart, pull_chart, pull_chart_version, resolve_chart_version};
pub use client::{ClientOptions, Limits, RegistryClient};
pub use error::{Error, reason};
pub use extract::{ExtractLimits, ExtractedFile, extract_tar_gz};
pub use manifest::{
    DOCKER_MANIFEST, Descriptor, HELM_CHART_CONTENT, HELM_CHART_PROVENANCE, HELM_CONFIG, Manifest,
    OCI_INDEX, OCI_MANIFEST,
};
pub use reference::{
    Digest, OCI_SCHEME, Reference, Repository, Target, is_valid_tag, tag_to_version, version_to_tag,
};
pub use repository::{
    DEFAULT_TAG, LayerContent, PulledArtifact, ResolvedRef, pull_artifact, resolve_ref,
};
