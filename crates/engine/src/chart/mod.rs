//! Helm charts: the chart model, loading from a directory or a `.tgz` (with limits for
//! untrusted archives), dependency processing and values coalescing, as Helm v4.3.1's
//! `pkg/chart/v2`, `pkg/chart/v2/loader`, `pkg/chart/v2/util` and `pkg/chart/common/util` do.
//!
//! Every error's `Display` is Helm's message where Helm has one.
//!
//! ```no_run
//! use helmsync_engine::chart;
//! use helmsync_engine::Map;
//!
//! let mut chart = chart::load("testdata/charts/smoke".as_ref()).unwrap();
//! let user = Map::new();
//! chart::process_dependencies(&mut chart, &user).unwrap();
//! let values = chart::coalesce_values(&chart, &user).unwrap();
//! # let _ = values;
//! ```
mod archive;
mod chartfile;
mod coalesce;
mod dependencies;
mod directory;
mod files;
pub(crate) mod glob;
mod gomap;
mod ignore;
mod import_values;
mod metadata;
mod model;
mod rfc3339;
mod template_data;

use std::path::Path;

pub use archive::MAX_DECOMPRESSED_CHART_SIZE;
pub use coalesce::{coalesce_values, merge_values};
pub use dependencies::{check_dependencies, check_installable, process_dependencies};
pub use directory::MAX_DIRECTORY_DEPTH;
pub use files::{MAX_CHART_FILES, MAX_SUBCHART_DEPTH, MAX_TOTAL_LOADED_SIZE};
pub use ignore::{HELM_IGNORE, Rules as IgnoreRules};
pub use metadata::{
    API_VERSION_V1, API_VERSION_V2, Dependency, Lock, Maintainer, Metadata, ValidationError,
};
pub use model::{Chart, ChartNode, Crd, File, TemplateFile};

/// Why a chart could not be loaded, processed or its values coalesced. `Display` prints
/// Helm's message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A file could not be read, or the chart's layout is not one Helm loads.
    Load,
    /// A file of the chart (Chart.yaml, values.yaml, Chart.lock...) is malformed.
    Parse,
    /// Chart.yaml breaks one of Helm's rules (`validation: ...`).
    Validation,
    /// An archive entry or a directory entry is unsafe: a path outside the chart, a link,
    /// a device, a duplicate.
    Unsafe,
    /// A size, count or depth limit was reached.
    Limit,
    /// Dependencies are missing, or the chart cannot be installed (a library chart).
    Dependency,
    /// Values cannot be coalesced (a subchart's values are not a table).
    Values,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// The same error with `prefix` before its message, as Go's `fmt.Errorf("...: %w")`.
    pub(crate) fn prefixed(self, prefix: &str) -> Error {
        Error {
            kind: self.kind,
            message: format!("{prefix}{}", self.message),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Error {
        Error::new(ErrorKind::Validation, e.to_string())
    }
}

/// Helm's `loader.Load`: a chart from a directory (honouring `.helmignore`) or from a
/// `.tgz` file.
pub fn load(path: &Path) -> Result<Chart, Error> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| Error::new(ErrorKind::Load, directory::go_io_error("stat", path, &e)))?;
    if metadata.is_dir() {
        load_dir(path)
    } else {
        load_file(path)
    }
}

/// Helm's `loader.LoadDir`: a chart from a directory, `.helmignore` honoured.
pub fn load_dir(path: &Path) -> Result<Chart, Error> {
    directory::load_dir(path)
}

/// Helm's `loader.LoadFile`: a chart from a `.tgz` file.
pub fn load_file(path: &Path) -> Result<Chart, Error> {
    archive::load_file(path)
}

/// Helm's `loader.LoadArchive`: a chart from the bytes of a `.tgz`, read in memory with
/// limits on sizes, entry counts and nesting; nothing is written anywhere.
pub fn load_archive(bytes: &[u8]) -> Result<Chart, Error> {
    archive::load_archive(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_print_their_message_and_keep_their_kind_when_prefixed() {
        let e = Error::new(ErrorKind::Parse, "inner").prefixed("outer: ");
        assert_eq!(e.to_string(), "outer: inner");
        assert_eq!(e.kind(), ErrorKind::Parse);
    }
}
