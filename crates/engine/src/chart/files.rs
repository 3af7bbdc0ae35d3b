//! Helm's `LoadFiles`: a chart from its files (names relative to the chart directory),
//! whether they came from a directory or an archive, with subcharts under `charts/` as
//! directories or archives, nested to a bounded depth.
use std::collections::BTreeMap;

use super::archive;
use super::chartfile;
use super::metadata::{API_VERSION_V1, Metadata};
use super::model::{Chart, File};
use super::{Error, ErrorKind};
use crate::yaml;

/// The most files one chart (not counting its subcharts) may have, from a directory or in
/// an archive. Helm has no such limit; real charts have a few hundred at most.
pub const MAX_CHART_FILES: usize = 20_000;

/// How deep subcharts may nest (`charts/a/charts/b/...`). Helm has no such limit.
pub const MAX_SUBCHART_DEPTH: usize = 20;

/// The most bytes one load may read in all, subcharts and nested archives included (each
/// archive also keeps Helm's own limit of `MAX_DECOMPRESSED_CHART_SIZE`).
pub const MAX_TOTAL_LOADED_SIZE: u64 = 256 * 1024 * 1024;

/// What every file costs in the total budget beyond its bytes: a tar header's size, so
/// that many empty files are bounded too.
const PER_FILE_COST: u64 = 512;

/// State shared by one load across nested subcharts and archives.
#[derive(Debug)]
pub(crate) struct LoadContext {
    remaining: u64,
    depth: usize,
}

impl LoadContext {
    pub(crate) fn new() -> LoadContext {
        LoadContext {
            remaining: MAX_TOTAL_LOADED_SIZE,
            depth: 0,
        }
    }

    /// Takes `bytes` of file data (plus the per-file cost) from the total budget.
    pub(crate) fn charge(&mut self, bytes: u64) -> Result<(), Error> {
        let cost = bytes.saturating_add(PER_FILE_COST);
        if cost > self.remaining {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "chart and its subcharts exceed the maximum total size of \
                     {MAX_TOTAL_LOADED_SIZE} bytes"
                ),
            ));
        }
        self.remaining -= cost;
        Ok(())
    }

    fn enter_subchart(&mut self, name: &str) -> Result<(), Error> {
        if self.depth >= MAX_SUBCHART_DEPTH {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("subchart {name} is nested more than {MAX_SUBCHART_DEPTH} levels deep"),
            ));
        }
        self.depth += 1;
        Ok(())
    }
}

/// Text of a file as Go sees its bytes.
fn text(file: &File) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(&file.data)
}

fn parse_error(what: &str, message: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Parse, format!("cannot load {what}: {message}"))
}

/// Helm's `LoadFiles`.
pub(crate) fn load_files(files: Vec<File>, ctx: &mut LoadContext) -> Result<Chart, Error> {
    let mut chart = Chart::default();
    let mut metadata: Option<Metadata> = None;
    for file in files.iter().filter(|f| f.name == "Chart.yaml") {
        let md = metadata.get_or_insert_with(Metadata::default);
        chartfile::decode_metadata(&text(file), md).map_err(|e| parse_error("Chart.yaml", e))?;
        if md.api_version.is_empty() {
            md.api_version = API_VERSION_V1.to_owned();
        }
    }
    let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
    for file in &files {
        let name = file.name.as_str();
        match name {
            "Chart.yaml" => {}
            "Chart.lock" => {
                chart.lock =
                    chartfile::decode_lock(&text(file)).map_err(|e| parse_error(name, e))?;
            }
            "values.yaml" => {
                chart.values = yaml::load_values(&text(file)).map_err(|e| parse_error(name, e))?;
            }
            "values.schema.json" => chart.schema = Some(file.data.clone()),
            "requirements.yaml" => {
                let md = metadata.get_or_insert_with(Metadata::default);
                chartfile::decode_metadata(&text(file), md).map_err(|e| parse_error(name, e))?;
                if md.api_version == API_VERSION_V1 {
                    chart.files.push(file.clone());
                }
            }
            "requirements.lock" => {
                chart.lock =
                    chartfile::decode_lock(&text(file)).map_err(|e| parse_error(name, e))?;
                let md = metadata.get_or_insert_with(Metadata::default);
                if md.api_version == API_VERSION_V1 {
                    chart.files.push(file.clone());
                }
            }
            _ if name.starts_with("templates/") => chart.templates.push(file.clone()),
            _ if name.starts_with("charts/") => {
                if extension(name) == ".prov" {
                    chart.files.push(file.clone());
                    continue;
                }
                let inner = &name["charts/".len()..];
                let subchart = inner.split('/').next().unwrap_or(inner);
                subcharts
                    .entry(subchart.to_owned())
                    .or_default()
                    .push(File::new(inner, file.data.clone()));
            }
            _ => chart.files.push(file.clone()),
        }
    }
    chart.raw = files;
    let Some(metadata) = metadata else {
        return Err(Error::new(ErrorKind::Load, "Chart.yaml file is missing"));
    };
    chart.metadata = metadata;
    chart.metadata.validate()?;
    // Go visits the subcharts in map order, which is random; helmsync sorts them by name.
    for (name, files) in subcharts {
        if name.starts_with(['_', '.']) {
            continue;
        }
        let parent = chart.name().to_owned();
        if extension(&name) == ".tgz" && files.first().is_some_and(|f| f.name != name) {
            let got = files.first().map(|f| f.name.as_str()).unwrap_or_default();
            return Err(Error::new(
                ErrorKind::Load,
                format!("error unpacking subchart tar in {parent}: expected {name}, got {got}"),
            ));
        }
        ctx.enter_subchart(&name)?;
        let subchart = load_subchart(&name, files, ctx);
        ctx.depth -= 1;
        let subchart = subchart
            .map_err(|e| e.prefixed(&format!("error unpacking subchart {name} in {parent}: ")))?;
        chart.dependencies.push(subchart);
    }
    Ok(chart)
}

/// A subchart: an archive `charts/NAME.tgz`, or the files under `charts/NAME/`.
fn load_subchart(name: &str, files: Vec<File>, ctx: &mut LoadContext) -> Result<Chart, Error> {
    if extension(name) == ".tgz" {
        let data = files.into_iter().next().map(|f| f.data).unwrap_or_default();
        return archive::load_nested_archive(&data, ctx);
    }
    let inner = files
        .into_iter()
        .filter_map(|f| {
            let (_, rest) = f.name.split_once('/')?;
            Some(File::new(rest, f.data))
        })
        .collect();
    load_files(inner, ctx)
}

/// Go's `filepath.Ext`: from the last dot of the last element, or empty.
pub(crate) fn extension(name: &str) -> &str {
    let base_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[base_start..].rfind('.') {
        Some(dot) => &name[base_start + dot..],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> File {
        File::new(name, text.as_bytes().to_vec())
    }

    fn load(files: Vec<File>) -> Result<Chart, Error> {
        load_files(files, &mut LoadContext::new())
    }

    const CHART: &str = "apiVersion: v2\nname: top\nversion: 1.0.0\n";

    #[test]
    fn files_are_sorted_into_the_chart_model() {
        let chart = load(vec![
            file("values.yaml", "a: 1\n"),
            file("Chart.yaml", CHART),
            file("templates/x.yaml", "x"),
            file("crds/c.yaml", "c"),
            file(
                "charts/sub/Chart.yaml",
                "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            ),
            file("charts/sub/templates/y.yaml", "y"),
            file("charts/_skipped/Chart.yaml", "not yaml: ["),
            file("charts/sub-1.0.0.tgz.prov", "signature"),
            file("values.schema.json", "{}"),
        ])
        .unwrap();
        assert_eq!(chart.name(), "top");
        assert_eq!(chart.values["a"].type_name(), "float64");
        assert_eq!(chart.templates[0].name, "templates/x.yaml");
        let files: Vec<&str> = chart.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(files, ["crds/c.yaml", "charts/sub-1.0.0.tgz.prov"]);
        assert_eq!(chart.raw.len(), 9);
        assert!(chart.schema.is_some());
        assert_eq!(chart.dependencies.len(), 1);
        assert_eq!(chart.dependencies[0].templates[0].name, "templates/y.yaml");
    }

    #[test]
    fn a_missing_chart_yaml_and_invalid_metadata_are_errors() {
        assert_eq!(
            load(vec![file("values.yaml", "")]).unwrap_err().to_string(),
            "Chart.yaml file is missing"
        );
        assert_eq!(
            load(vec![file("Chart.yaml", "name: x\n")])
                .unwrap_err()
                .to_string(),
            "validation: chart.metadata.version is required"
        );
        assert_eq!(
            load(vec![
                file("Chart.yaml", CHART),
                file("values.yaml", "- a\n")
            ])
            .unwrap_err()
            .to_string(),
            "cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling \
             JSON: while decoding JSON: json: cannot unmarshal array into Go value of type \
             map[string]interface {}"
        );
    }

    #[test]
    fn stray_files_in_charts_are_subcharts_without_a_chart_yaml() {
        let err = load(vec![
            file("Chart.yaml", CHART),
            file("charts/README.md", "x"),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "error unpacking subchart README.md in top: Chart.yaml file is missing"
        );
    }

    #[test]
    fn v1_charts_read_requirements_and_keep_them_as_files() {
        let chart = load(vec![
            file("Chart.yaml", "name: old\nversion: 1.0.0\n"),
            file(
                "requirements.yaml",
                "dependencies:\n- name: sub\n  version: 1.x\n",
            ),
            file("requirements.lock", "digest: abc\n"),
        ])
        .unwrap();
        assert_eq!(chart.metadata.api_version, "v1");
        assert_eq!(chart.metadata.listed_dependencies().count(), 1);
        assert_eq!(chart.lock.map(|l| l.digest), Some("abc".to_owned()));
        assert_eq!(chart.files.len(), 2);
    }

    #[test]
    fn subcharts_nest_only_so_deep() {
        let mut files = vec![file("Chart.yaml", CHART)];
        let mut prefix = String::new();
        for _ in 0..=MAX_SUBCHART_DEPTH {
            prefix.push_str("charts/s/");
            files.push(file(
                &format!("{prefix}Chart.yaml"),
                "apiVersion: v2\nname: s\nversion: 1.0.0\n",
            ));
        }
        let err = load(files).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit);
        assert!(
            err.to_string()
                .ends_with("in s: subchart s is nested more than 20 levels deep"),
            "{err}"
        );
    }

    #[test]
    fn extensions_are_gos() {
        assert_eq!(extension("a/b.c/d"), "");
        assert_eq!(extension("x.tar.gz"), ".gz");
        assert_eq!(extension("sub-1.0.0.tgz"), ".tgz");
    }
}
