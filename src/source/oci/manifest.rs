//! OCI and Docker manifests as registries serve them, reduced to what pulling needs: the
//! config descriptor, the layers, the annotations.
use std::collections::BTreeMap;

use reqwest::header::HeaderValue;

use super::reference::Digest;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

/// Helm's media types (`helm.sh/helm/v4/pkg/registry/constants.go`).
pub const HELM_CONFIG: &str = "application/vnd.cncf.helm.config.v1+json";
pub const HELM_CHART_CONTENT: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
pub const HELM_CHART_PROVENANCE: &str = "application/vnd.cncf.helm.chart.provenance.v1.prov";

/// The manifest types asked for, indexes included so that they are recognised and refused
/// by name rather than misread.
pub const MANIFEST_ACCEPT: HeaderValue = HeaderValue::from_static(
    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, \
     application/vnd.docker.distribution.manifest.v2+json, \
     application/vnd.docker.distribution.manifest.list.v2+json",
);

/// The most layers a manifest may list.
const MAX_LAYERS: usize = 1000;

/// A content descriptor: what a manifest says about its config or one layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    pub annotations: BTreeMap<String, String>,
}

/// An image manifest: one artifact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The digest of the manifest's bytes, as pulled.
    pub digest: Digest,
    pub media_type: String,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
    pub annotations: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawManifest {
    #[serde(default)]
    schema_version: Option<i64>,
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    config: Option<RawDescriptor>,
    #[serde(default)]
    layers: Vec<RawDescriptor>,
    #[serde(default)]
    manifests: Option<serde_json::Value>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDescriptor {
    media_type: String,
    digest: String,
    size: i64,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

impl RawDescriptor {
    fn into_descriptor(self, what: &str) -> Result<Descriptor, String> {
        let digest = Digest::parse(&self.digest).map_err(|why| format!("{what} digest: {why}"))?;
        let size = u64::try_from(self.size).map_err(|_| format!("{what} has a negative size"))?;
        Ok(Descriptor {
            media_type: self.media_type,
            digest,
            size,
            annotations: self.annotations,
        })
    }
}

impl Manifest {
    /// A manifest from its bytes; `content_type` is the response's media type, used when
    /// the body does not name one.
    pub fn parse(
        body: &[u8],
        content_type: Option<&str>,
        digest: Digest,
    ) -> Result<Manifest, String> {
        let raw: RawManifest =
            serde_json::from_slice(body).map_err(|e| format!("not a JSON manifest: {e}"))?;
        let media_type = raw
            .media_type
            .clone()
            .or_else(|| content_type.map(str::to_owned))
            .unwrap_or_else(|| OCI_MANIFEST.to_owned());
        if raw.manifests.is_some() || media_type == OCI_INDEX || media_type == DOCKER_MANIFEST_LIST
        {
            return Err(format!(
                "{digest} is an image index ({media_type}), not the manifest of a single artifact"
            ));
        }
        if raw.schema_version != Some(2) {
            return Err("schemaVersion is not 2".into());
        }
        if media_type != OCI_MANIFEST && media_type != DOCKER_MANIFEST {
            return Err(format!("unsupported manifest media type '{media_type}'"));
        }
        let config = raw
            .config
            .ok_or("the manifest has no config")?
            .into_descriptor("config")?;
        if raw.layers.len() > MAX_LAYERS {
            return Err(format!("more than {MAX_LAYERS} layers"));
        }
        let layers = raw
            .layers
            .into_iter()
            .enumerate()
            .map(|(i, layer)| layer.into_descriptor(&format!("layer {i}")))
            .collect::<Result<_, _>>()?;
        Ok(Manifest {
            digest,
            media_type,
            config,
            layers,
            annotations: raw.annotations,
        })
    }

    /// The first layer of `media_type`, or the first layer when no type is asked for.
    pub fn layer(&self, media_type: Option<&str>) -> Option<&Descriptor> {
        match media_type {
            Some(wanted) => self.layers.iter().find(|l| l.media_type == wanted),
            None => self.layers.first(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn chart_manifest() -> String {
        format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}",
               "config":{{"mediaType":"{HELM_CONFIG}","digest":"{D}","size":10}},
               "layers":[{{"mediaType":"{HELM_CHART_CONTENT}","digest":"{D}","size":20}}],
               "annotations":{{"org.opencontainers.image.version":"1.0.0"}}}}"#
        )
    }

    #[test]
    fn a_helm_chart_manifest_parses() {
        let body = chart_manifest();
        let m = Manifest::parse(body.as_bytes(), None, Digest::of(body.as_bytes())).unwrap();
        assert_eq!(m.config.media_type, HELM_CONFIG);
        assert_eq!(m.layer(Some(HELM_CHART_CONTENT)).map(|l| l.size), Some(20));
        assert_eq!(m.layer(None).map(|l| l.size), Some(20));
        assert_eq!(m.layer(Some("other")), None);
    }

    #[test]
    fn indexes_are_refused_by_name() {
        let body = format!(r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[]}}"#);
        let why = Manifest::parse(body.as_bytes(), None, Digest::of(b"")).unwrap_err();
        assert!(why.contains("image index"), "{why}");
    }

    #[test]
    fn bad_descriptors_say_which() {
        let body = r#"{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:zz","size":1},"layers":[]}"#;
        let why = Manifest::parse(body.as_bytes(), None, Digest::of(b"")).unwrap_err();
        assert!(why.starts_with("config digest"), "{why}");
    }
}
