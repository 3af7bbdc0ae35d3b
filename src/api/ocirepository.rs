//! OCIRepository (`source.toolkit.fluxcd.io`): an artifact in an OCI registry, by tag,
//! semver range or digest. Served as `v1` (storage) and `v1beta2` (same spec) so manifests
//! written for either work.
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::meta::{Artifact, Condition, LocalObjectReference, OidcIdentityMatch, Provider};
use super::meta::{VerificationProvider, default_provider};

/// The spec both served versions share.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositorySpecFields {
    /// CertSecretRef names a Secret with `tls.crt`, `tls.key` and/or `ca.crt` for TLS
    /// connections to the registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_secret_ref: Option<LocalObjectReference>,
    /// Ignore overrides the set of excluded patterns in the .sourceignore format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore: Option<String>,
    /// Insecure allows connecting to a non-TLS HTTP container registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    /// Interval at which the OCIRepository URL is checked for updates.
    #[schemars(regex(pattern = r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$"))]
    pub interval: String,
    /// LayerSelector specifies which layer should be extracted from the OCI artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_selector: Option<OciLayerSelector>,
    /// The provider used for authentication to the registry.
    #[serde(default = "default_provider", skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// ProxySecretRef names a Secret with the proxy `address`, `username` and `password`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_secret_ref: Option<LocalObjectReference>,
    /// The OCI reference to pull and monitor for changes, defaults to the latest tag.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<OciRepositoryRef>,
    /// SecretRef names a Secret with registry credentials (kubernetes.io/dockerconfigjson).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// ServiceAccountName is the name of the Kubernetes ServiceAccount used to authenticate
    /// the image pull if the service account has attached pull secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// This flag tells the controller to suspend the reconciliation of this source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// The timeout for remote OCI Repository operations like pulling, defaults to 60s.
    #[serde(default = "default_timeout", skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^([0-9]+(\.[0-9]+)?(ms|s|m))+$"))]
    pub timeout: Option<String>,
    /// URL is a reference to an OCI artifact repository hosted on a remote container registry.
    #[schemars(regex(pattern = r"^oci://.*$"))]
    pub url: String,
    /// Verify contains the secret name containing the trusted public keys used to verify
    /// the signature and specifies which provider to use to check whether the OCI image is
    /// authentic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<OciArtifactVerification>,
}

fn default_timeout() -> Option<String> {
    Some("60s".to_owned())
}

/// OCIRepositoryRef defines the image reference for the OCIRepository's URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositoryRef {
    /// Digest is the image digest to pull, takes precedence over SemVer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// SemVer is the range of tags to pull selecting the latest within the range, takes
    /// precedence over Tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver: Option<String>,
    /// SemverFilter is a regex pattern to filter the tags within the SemVer range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver_filter: Option<String>,
    /// Tag is the image tag to pull, defaults to latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// OCILayerSelector specifies which layer should be extracted from an OCI Artifact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OciLayerSelector {
    /// MediaType specifies the OCI media type of the layer which should be extracted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Operation specifies how the selected layer should be processed: `extract` (default)
    /// or `copy` (the compressed layer as-is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<LayerOperation>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LayerOperation {
    #[default]
    Extract,
    Copy,
}

/// Signature verification of an OCI artifact, with an optional custom Sigstore root.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OciArtifactVerification {
    /// MatchOIDCIdentity specifies the identity matching criteria for keyless signatures.
    #[serde(
        default,
        rename = "matchOIDCIdentity",
        skip_serializing_if = "Option::is_none"
    )]
    pub match_oidc_identity: Option<Vec<OidcIdentityMatch>>,
    /// Provider specifies the technology used to sign the OCI Artifact.
    #[schemars(extend("default" = "cosign"))]
    pub provider: VerificationProvider,
    /// SecretRef specifies the Kubernetes Secret containing the trusted public keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// TrustedRootSecretRef specifies a Secret with a Sigstore trusted_root.json.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_root_secret_ref: Option<LocalObjectReference>,
}

/// The status both served versions share.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositoryStatusFields {
    /// Artifact represents the output of the last successful OCI Repository sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// Conditions holds the conditions for the OCIRepository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<Condition>>,
    /// LastHandledReconcileAt holds the value of the most recent reconcile request value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// ObservedGeneration is the last observed generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// ObservedIgnore is the observed exclusion patterns used for constructing the source
    /// artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_ignore: Option<String>,
    /// ObservedLayerSelector is the observed layer selector used for constructing the source
    /// artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_layer_selector: Option<OciLayerSelector>,
    /// URL is the download link for the artifact output of the last OCI Repository sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

macro_rules! oci_repository_version {
    ($module:ident, $version:literal, $status:ty) => {
        pub mod $module {
            use kube::CustomResource;
            use schemars::JsonSchema;
            use serde::{Deserialize, Serialize};

            #[derive(
                CustomResource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema,
            )]
            #[kube(
                group = "source.toolkit.fluxcd.io",
                version = $version,
                kind = "OCIRepository",
                plural = "ocirepositories",
                shortname = "ocirepo",
                category = "all",
                category = "fluxcd",
                category = "fluxcd-sources",
                namespaced,
                status = "OciRepositoryStatus",
                doc = "OCIRepository is the Schema for the ocirepositories API.",
                printcolumn = r#"{"name":"URL","type":"string","jsonPath":".spec.url"}"#,
                printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
                printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#,
                printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
            )]
            pub struct OciRepositorySpec {
                #[serde(flatten)]
                pub fields: super::OciRepositorySpecFields,
            }

            pub type OciRepositoryStatus = $status;
        }
    };
}

oci_repository_version!(v1, "v1", super::OciRepositoryStatusFields);
oci_repository_version!(v1beta2, "v1beta2", super::OciRepositoryStatusV1beta2);

/// The v1beta2 status also carries the deprecated content checksum.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositoryStatusV1beta2 {
    #[serde(flatten)]
    pub fields: OciRepositoryStatusFields,
    /// ContentConfigChecksum is a checksum of all the configurations related to the content
    /// of the source artifact (deprecated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_config_checksum: Option<String>,
}
