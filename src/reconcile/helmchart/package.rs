//! A loaded chart written back as a `.tgz`, as Helm's `chartutil.Save` writes it (what
//! Flux's source-controller calls to package a chart with merged values): Chart.yaml
//! marshalled from the metadata, then Chart.lock, values.yaml, values.schema.json,
//! templates, other files, and each subchart as a directory under `charts/`.
use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use helmsync_engine::chart::{API_VERSION_V1, API_VERSION_V2, Chart, Dependency, Metadata};
use helmsync_engine::{Map, Value, yaml};

/// The gzip header extra field and comment Helm writes into every chart it packages.
const HELM_GZIP_EXTRA: &[u8] = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";
const HELM_GZIP_COMMENT: &str = "Helm";

/// Subcharts nest at most this deep when written; the loader bounds them already.
const MAX_DEPTH: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("chart validation: chart.metadata.name is required")]
    NoName,
    #[error("failed to marshal Chart.yaml of chart '{chart}': {source}")]
    ChartYaml {
        chart: String,
        #[source]
        source: yaml::Error,
    },
    #[error("Invalid JSON in values.schema.json of chart '{0}'")]
    InvalidSchema(String),
    #[error("subcharts of chart '{0}' nest deeper than {MAX_DEPTH} levels")]
    TooDeep(String),
    #[error("failed to write '{path}' into the chart archive: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// The chart as a gzipped tar, every path under the chart's name.
pub fn package(chart: &Chart) -> Result<Vec<u8>, PackageError> {
    let gzip = GzBuilder::new()
        .extra(HELM_GZIP_EXTRA)
        .comment(HELM_GZIP_COMMENT)
        .write(Vec::new(), Compression::default());
    let mut archive = tar::Builder::new(gzip);
    let now = jiff::Timestamp::now().as_second().max(0).unsigned_abs();
    write_chart(&mut archive, chart, "", now, 0)?;
    let finish_error = |source| PackageError::Write {
        path: chart.name().to_owned(),
        source,
    };
    let gzip = archive.into_inner().map_err(finish_error)?;
    gzip.finish().map_err(finish_error)
}

type Archive = tar::Builder<GzEncoder<Vec<u8>>>;

fn write_chart(
    archive: &mut Archive,
    chart: &Chart,
    prefix: &str,
    mtime: u64,
    depth: usize,
) -> Result<(), PackageError> {
    if chart.name().is_empty() {
        return Err(PackageError::NoName);
    }
    if depth > MAX_DEPTH {
        return Err(PackageError::TooDeep(chart.name().to_owned()));
    }
    let base = format!("{prefix}{}", chart.name());
    let chart_yaml = chart_yaml(&chart.metadata).map_err(|source| PackageError::ChartYaml {
        chart: chart.name().to_owned(),
        source,
    })?;
    let mut write = |name: &str, data: &[u8]| write_file(archive, &base, name, data, mtime);
    write("Chart.yaml", chart_yaml.as_bytes())?;
    // Helm marshals its parsed lock again; the file as loaded says the same.
    if chart.metadata.api_version == API_VERSION_V2
        && let Some(lock) = chart.raw.iter().find(|f| f.name == "Chart.lock")
    {
        write("Chart.lock", &lock.data)?;
    }
    if let Some(values) = chart.raw.iter().find(|f| f.name == "values.yaml") {
        write("values.yaml", &values.data)?;
    }
    if let Some(schema) = &chart.schema {
        if serde_json::from_slice::<serde::de::IgnoredAny>(schema).is_err() {
            return Err(PackageError::InvalidSchema(chart.name().to_owned()));
        }
        write("values.schema.json", schema)?;
    }
    for file in chart.templates.iter().chain(&chart.files) {
        write(&file.name, &file.data)?;
    }
    let charts_dir = format!("{base}/charts/");
    for dependency in &chart.dependencies {
        write_chart(archive, dependency, &charts_dir, mtime, depth + 1)?;
    }
    Ok(())
}

fn write_file(
    archive: &mut Archive,
    base: &str,
    name: &str,
    data: &[u8],
    mtime: u64,
) -> Result<(), PackageError> {
    let path = format!("{base}/{name}");
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_mode(0o644);
    header.set_size(data.len() as u64);
    header.set_mtime(mtime);
    archive
        .append_data(&mut header, &path, data)
        .map_err(|source| PackageError::Write { path, source })
}

/// Chart.yaml as `yaml.Marshal(chart.Metadata)` writes it: Helm's JSON field names,
/// empty fields left out (`omitempty`), keys sorted. A v1 chart's dependencies stay in its
/// requirements.yaml, as Helm keeps them out of Chart.yaml.
pub fn chart_yaml(metadata: &Metadata) -> Result<String, yaml::Error> {
    let mut map = Map::new();
    let mut text = |key: &str, value: &str| {
        if !value.is_empty() {
            map.insert(key.to_owned(), Value::from(value));
        }
    };
    text("name", &metadata.name);
    text("home", &metadata.home);
    text("version", &metadata.version);
    text("description", &metadata.description);
    text("icon", &metadata.icon);
    text("apiVersion", &metadata.api_version);
    text("condition", &metadata.condition);
    text("tags", &metadata.tags);
    text("appVersion", &metadata.app_version);
    text("kubeVersion", &metadata.kube_version);
    text("type", &metadata.chart_type);
    insert_strings(&mut map, "sources", metadata.sources.as_deref());
    insert_strings(&mut map, "keywords", metadata.keywords.as_deref());
    if let Some(maintainers) = metadata.maintainers.as_ref().filter(|m| !m.is_empty()) {
        let list = maintainers
            .iter()
            .map(|m| match m {
                None => Value::Nil,
                Some(m) => Value::from(omit_empty([
                    ("name", &m.name),
                    ("email", &m.email),
                    ("url", &m.url),
                ])),
            })
            .collect::<Vec<_>>();
        map.insert("maintainers".to_owned(), Value::from(list));
    }
    if metadata.deprecated {
        map.insert("deprecated".to_owned(), Value::Bool(true));
    }
    if let Some(annotations) = metadata.annotations.as_ref().filter(|a| !a.is_empty()) {
        let annotations: Map = annotations
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        map.insert("annotations".to_owned(), Value::from(annotations));
    }
    if metadata.api_version != API_VERSION_V1
        && let Some(dependencies) = metadata.dependencies.as_ref().filter(|d| !d.is_empty())
    {
        let list = dependencies
            .iter()
            .map(|d| d.as_ref().map_or(Value::Nil, dependency))
            .collect::<Vec<_>>();
        map.insert("dependencies".to_owned(), Value::from(list));
    }
    yaml::to_yaml(&Value::from(map))
}

/// One dependency with Helm's field names; `name` and `repository` are always written.
fn dependency(d: &Dependency) -> Value {
    let mut map = omit_empty([
        ("version", &d.version),
        ("condition", &d.condition),
        ("alias", &d.alias),
    ]);
    map.insert("name".to_owned(), Value::from(d.name.as_str()));
    map.insert("repository".to_owned(), Value::from(d.repository.as_str()));
    insert_strings(&mut map, "tags", Some(&d.tags));
    if d.enabled {
        map.insert("enabled".to_owned(), Value::Bool(true));
    }
    if let Some(import) = d.import_values.as_ref().filter(|i| !i.is_empty()) {
        map.insert("import-values".to_owned(), Value::from(import.clone()));
    }
    Value::from(map)
}

fn omit_empty<const N: usize>(fields: [(&str, &String); N]) -> Map {
    fields
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_owned(), Value::from(v.as_str())))
        .collect()
}

fn insert_strings(map: &mut Map, key: &str, list: Option<&[String]>) {
    if let Some(list) = list.filter(|l| !l.is_empty()) {
        let list: Vec<Value> = list.iter().map(|s| Value::from(s.as_str())).collect();
        map.insert(key.to_owned(), Value::from(list));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use helmsync_engine::chart;

    use super::*;

    fn smoke() -> Chart {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/charts/smoke");
        chart::load(&dir).unwrap()
    }

    #[test]
    fn chart_yaml_is_the_metadata_with_sorted_keys_and_empty_fields_left_out() {
        let mut metadata = smoke().metadata;
        metadata.version = "0.1.0+3".to_owned();
        assert_eq!(
            chart_yaml(&metadata).unwrap(),
            "apiVersion: v2\nappVersion: 1.0.0\ndescription: A small chart the component smoke \
             tests render, push and serve.\nkubeVersion: '>=1.20.0-0'\nname: smoke\ntype: \
             application\nversion: 0.1.0+3\n"
        );
    }

    #[test]
    fn a_packaged_chart_loads_back_the_same() {
        let mut original = smoke();
        original.metadata.version = "0.1.0+1".to_owned();
        let bytes = package(&original).unwrap();
        let decoder = flate2::read::GzDecoder::new(&bytes[..]);
        let gzip_header = decoder.header().unwrap();
        assert_eq!(gzip_header.extra(), Some(HELM_GZIP_EXTRA));
        assert_eq!(gzip_header.comment(), Some(HELM_GZIP_COMMENT.as_bytes()));
        let loaded = chart::load_archive(&bytes).unwrap();
        assert_eq!(loaded.metadata.version, "0.1.0+1");
        assert_eq!(loaded.metadata.name, "smoke");
        assert_eq!(loaded.raw_values(), original.raw_values());
        assert_eq!(loaded.values, original.values);
        let names = |c: &Chart| {
            c.templates
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&loaded), names(&original));
    }

    #[test]
    fn subcharts_are_written_as_directories_under_charts() {
        let mut parent = smoke();
        let mut sub = smoke();
        sub.metadata.name = "sub".to_owned();
        parent.dependencies.push(sub);
        let loaded = chart::load_archive(&package(&parent).unwrap()).unwrap();
        assert_eq!(loaded.dependencies.len(), 1);
        assert_eq!(loaded.dependencies[0].name(), "sub");
        assert_eq!(
            loaded.dependencies[0].templates.len(),
            parent.templates.len()
        );
    }
}
