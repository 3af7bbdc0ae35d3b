//! Chart sources: Helm HTTP repositories (index, chart download), OCI registries, the
//! credentials both read from Secrets, and the artifact store the reconcilers fill.
pub mod artifact;
pub mod credentials;
pub mod http;
pub mod index;
pub mod oci;

use helmsync_engine::chart::{self, Chart};

/// A downloaded archive that is not a loadable chart (Flux: `ChartPullError`).
#[derive(Debug, thiserror::Error)]
#[error("{what} is not a valid chart archive: {source}")]
pub struct ChartArchiveError {
    pub what: String,
    #[source]
    pub source: chart::Error,
}

impl ChartArchiveError {
    pub fn reason(&self) -> &'static str {
        "ChartPullError"
    }
}

/// Loads `bytes` as a chart archive, with the engine's limits, to refuse what is not one
/// before it is stored; `what` names the archive in the error (`podinfo-6.0.3`).
pub fn load_chart_archive(what: &str, bytes: &[u8]) -> Result<Chart, ChartArchiveError> {
    chart::load_archive(bytes).map_err(|source| ChartArchiveError {
        what: what.to_owned(),
        source,
    })
}
