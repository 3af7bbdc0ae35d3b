//! A streaming reader of Helm repository indexes (`index.yaml`, YAML or JSON) that keeps
//! only the entries of one chart, and version resolution over them as Flux does it.
//!
//! Indexes of public repositories reach tens of megabytes; building a tree of one costs
//! several times its size. This reader walks the parser's events once and keeps nothing of
//! the charts it was not asked about, so memory follows the size of one chart's entries.
mod events;

use std::io::{self, BufRead};

use helmsync_engine::semver::{self, flux};
use libyaml_safer::{Event, EventData};

use events::{Events, is_null, line_of, syntax_at};

/// `--helm-index-max-size`: Flux's default limit on an index.
pub const DEFAULT_INDEX_MAX_SIZE: u64 = 50 * 1024 * 1024;

/// Bounds on what an index may make this reader do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexLimits {
    /// Bytes read from the index.
    pub max_size: u64,
    /// Nesting of mappings and sequences; Helm's index needs five.
    pub max_depth: usize,
    /// Entries kept for the requested chart.
    pub max_versions: usize,
    /// URLs of one entry.
    pub max_urls: usize,
}

impl Default for IndexLimits {
    fn default() -> Self {
        IndexLimits {
            max_size: DEFAULT_INDEX_MAX_SIZE,
            max_depth: 64,
            max_versions: 100_000,
            max_urls: 64,
        }
    }
}

/// What helmsync needs of one index entry (Helm's `repo.ChartVersion`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChartVersion {
    pub name: String,
    pub version: String,
    pub urls: Vec<String>,
    /// The archive's sha256 in hex, as `helm repo index` writes it.
    pub digest: Option<String>,
    /// RFC 3339 time the entry was created.
    pub created: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index.yaml: line {line}: {problem}")]
    Syntax { line: u64, problem: String },
    #[error("index.yaml: empty index.yaml file")]
    Empty,
    #[error("index.yaml: no apiVersion")]
    NoApiVersion,
    #[error("index.yaml: larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("index.yaml: line {line}: nested deeper than {limit} levels")]
    TooDeep { line: u64, limit: usize },
    #[error("index.yaml: chart '{chart}' has more than {limit} entries")]
    TooManyVersions { chart: String, limit: usize },
    #[error("index.yaml: line {line}: an entry of chart '{chart}' has more than {limit} URLs")]
    TooManyUrls {
        line: u64,
        chart: String,
        limit: usize,
    },
    #[error("index.yaml: {0}")]
    Malformed(String),
    #[error("index.yaml: read failed: {0}")]
    Io(#[source] io::Error),
    #[error("chart '{0}' not found in index")]
    ChartNotFound(String),
    /// No version satisfies the request, or the request is not a valid constraint; the
    /// message is Flux's.
    #[error("{0}")]
    NoVersion(#[source] semver::Error),
    #[error("entry {chart}-{version} has no URLs")]
    NoUrls { chart: String, version: String },
}

impl IndexError {
    /// Flux's condition reason.
    pub fn reason(&self) -> &'static str {
        match self {
            IndexError::ChartNotFound(_) | IndexError::NoVersion(_) => "InvalidChartReference",
            IndexError::NoUrls { .. } => "ChartPullError",
            _ => "IndexationFailed",
        }
    }
}

/// The entries of `chart` in the index read from `reader`, in index order. Entries Helm
/// would drop when loading (null, or a version that is not semver) are left out.
pub fn read_chart_versions<R: BufRead>(
    reader: R,
    chart: &str,
    limits: &IndexLimits,
) -> Result<Vec<ChartVersion>, IndexError> {
    let mut events = Events::new(reader, *limits);
    let mut api_version = None;
    let mut found = None;
    match events.next()?.data {
        EventData::StreamStart { .. } => {}
        _ => return Err(events.syntax("expected the start of the stream")),
    }
    let first = events.next()?;
    if matches!(first.data, EventData::StreamEnd) {
        return Err(if events.bytes_read() == 0 {
            IndexError::Empty
        } else {
            IndexError::NoApiVersion
        });
    }
    let root = events.next()?;
    match root.data {
        EventData::MappingStart { .. } => {}
        EventData::Scalar {
            ref value, style, ..
        } if is_null(value, style) => {
            return Err(IndexError::NoApiVersion);
        }
        _ => return Err(syntax_at(&root, "the index must be a mapping")),
    }
    loop {
        let key = events.next()?;
        let name = match key.data {
            EventData::MappingEnd => break,
            EventData::Scalar { value, .. } => value,
            _ => {
                events.skip(&key)?;
                let value = events.next()?;
                events.skip(&value)?;
                continue;
            }
        };
        let value = events.next()?;
        match name.as_str() {
            "apiVersion" => api_version = events.scalar(&value)?,
            "entries" => {
                if let Some(versions) = read_entries(&mut events, &value, chart)? {
                    found.get_or_insert_with(Vec::new).extend(versions);
                }
            }
            _ => events.skip(&value)?,
        }
    }
    if api_version.is_none_or(|v| v.is_empty()) {
        return Err(IndexError::NoApiVersion);
    }
    found.ok_or_else(|| IndexError::ChartNotFound(chart.to_owned()))
}

/// The `entries` mapping: the versions of `chart`, `None` when it has none.
fn read_entries<R: BufRead>(
    events: &mut Events<R>,
    start: &Event,
    chart: &str,
) -> Result<Option<Vec<ChartVersion>>, IndexError> {
    match &start.data {
        EventData::MappingStart { .. } => {}
        EventData::Scalar { value, style, .. } if is_null(value, *style) => return Ok(None),
        _ => return Err(syntax_at(start, "entries must be a mapping")),
    }
    let mut found: Option<Vec<ChartVersion>> = None;
    loop {
        let key = events.next()?;
        let is_requested = match &key.data {
            EventData::MappingEnd => return Ok(found),
            EventData::Scalar { value, .. } => value == chart,
            _ => {
                events.skip(&key)?;
                false
            }
        };
        let value = events.next()?;
        if is_requested {
            let kept = found.get_or_insert_with(Vec::new);
            read_versions(events, &value, chart, kept)?;
        } else {
            events.skip(&value)?;
        }
    }
}

fn read_versions<R: BufRead>(
    events: &mut Events<R>,
    start: &Event,
    chart: &str,
    kept: &mut Vec<ChartVersion>,
) -> Result<(), IndexError> {
    match &start.data {
        EventData::SequenceStart { .. } => {}
        EventData::Scalar { value, style, .. } if is_null(value, *style) => return Ok(()),
        _ => {
            return Err(syntax_at(
                start,
                &format!("entries of '{chart}' must be a list"),
            ));
        }
    }
    loop {
        let item = events.next()?;
        match &item.data {
            EventData::SequenceEnd => return Ok(()),
            EventData::MappingStart { .. } => {}
            EventData::Scalar { value, style, .. } if is_null(value, *style) => continue,
            _ => return Err(syntax_at(&item, "an index entry must be a mapping")),
        }
        let mut entry = read_entry(events, chart)?;
        if entry.name.is_empty() {
            entry.name = chart.to_owned();
        }
        if semver::Version::parse(&entry.version).is_err() {
            continue;
        }
        if kept.len() == events.limits.max_versions {
            return Err(IndexError::TooManyVersions {
                chart: chart.to_owned(),
                limit: events.limits.max_versions,
            });
        }
        kept.push(entry);
    }
}

fn read_entry<R: BufRead>(events: &mut Events<R>, chart: &str) -> Result<ChartVersion, IndexError> {
    let mut entry = ChartVersion::default();
    loop {
        let key = events.next()?;
        let field = match key.data {
            EventData::MappingEnd => return Ok(entry),
            EventData::Scalar { value, .. } => value,
            _ => {
                events.skip(&key)?;
                String::new()
            }
        };
        let value = events.next()?;
        match field.as_str() {
            "name" => entry.name = events.scalar(&value)?.unwrap_or_default(),
            "version" => entry.version = events.scalar(&value)?.unwrap_or_default(),
            "digest" => entry.digest = events.scalar(&value)?.filter(|d| !d.is_empty()),
            "created" => entry.created = events.scalar(&value)?,
            "urls" => entry.urls = read_urls(events, &value, chart)?,
            _ => events.skip(&value)?,
        }
    }
}

fn read_urls<R: BufRead>(
    events: &mut Events<R>,
    start: &Event,
    chart: &str,
) -> Result<Vec<String>, IndexError> {
    match &start.data {
        EventData::SequenceStart { .. } => {}
        EventData::Scalar { value, style, .. } if is_null(value, *style) => return Ok(Vec::new()),
        _ => return Err(syntax_at(start, "urls must be a list")),
    }
    let mut urls = Vec::new();
    loop {
        let item = events.next()?;
        if matches!(item.data, EventData::SequenceEnd) {
            return Ok(urls);
        }
        if urls.len() == events.limits.max_urls {
            return Err(IndexError::TooManyUrls {
                line: line_of(&item),
                chart: chart.to_owned(),
                limit: events.limits.max_urls,
            });
        }
        if let Some(url) = events.scalar(&item)? {
            urls.push(url);
        }
    }
}

/// The version of `chart` to use for `requested` (Flux's `GetChartVersion`): an exact
/// string match, else the highest version satisfying the constraint (`*` for an empty
/// request), ties going to the newest `created`.
pub fn resolve_version<'a>(
    chart: &str,
    versions: &'a [ChartVersion],
    requested: &str,
) -> Result<&'a ChartVersion, IndexError> {
    let candidates: Vec<(&str, Option<jiff::Timestamp>)> = versions
        .iter()
        .map(|v| {
            let created = v.created.as_deref().and_then(|c| c.parse().ok());
            (v.version.as_str(), created)
        })
        .collect();
    let picked =
        flux::latest_index_version(chart, requested, &candidates).map_err(IndexError::NoVersion)?;
    versions
        .get(picked)
        .ok_or_else(|| IndexError::ChartNotFound(chart.to_owned()))
}

/// Reads the index once and returns the resolved entry of `chart`, which has a URL to
/// download it from.
pub fn find_chart_version<R: BufRead>(
    reader: R,
    chart: &str,
    requested: &str,
    limits: &IndexLimits,
) -> Result<ChartVersion, IndexError> {
    let versions = read_chart_versions(reader, chart, limits)?;
    let entry = resolve_version(chart, &versions, requested)?;
    if entry.urls.is_empty() {
        return Err(IndexError::NoUrls {
            chart: chart.to_owned(),
            version: entry.version.clone(),
        });
    }
    Ok(entry.clone())
}

#[cfg(test)]
mod tests;
