//! `spec.valuesFiles`: files of the chart merged in order into the chart's default values,
//! as Flux's source-controller does (`mergeChartValues` and `OverwriteChartDefaultValues`
//! in `internal/helm/chart`), with each file bounded by the chart file size limit.
use helmsync_engine::chart::{Chart, File};
use helmsync_engine::{Map, Value, values, yaml};

/// The default values file of a chart.
pub const VALUES_FILE: &str = "values.yaml";

/// Why the values files could not be merged; the text follows Flux's messages.
#[derive(Debug, thiserror::Error)]
pub enum ValuesFilesError {
    #[error("failed to merge chart values: no values file found at path '{path}'")]
    Missing { path: String },
    #[error("failed to merge chart values: unmarshaling values from '{path}' failed: {source}")]
    Invalid {
        path: String,
        #[source]
        source: yaml::Error,
    },
    #[error(
        "failed to merge chart values: values file '{path}' is {size} bytes, over the limit of {limit} bytes"
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("failed to encode the merged values: {0}")]
    Encode(#[source] yaml::Error),
    #[error("failed to locate values file: {VALUES_FILE}")]
    NoValuesFile,
}

/// Merges the listed files of `chart` in order (later files win, nested maps merge),
/// `values.yaml` meaning the chart's parsed default values. Returns the merged values and
/// the paths that were merged, as listed: a missing file is an error unless
/// `ignore_missing`, and then it is left out.
pub fn merge_values_files(
    chart: &Chart,
    paths: &[String],
    ignore_missing: bool,
    max_file_size: u64,
) -> Result<(Map, Vec<String>), ValuesFilesError> {
    let mut merged = Map::new();
    let mut applied = Vec::with_capacity(paths.len());
    for path in paths {
        // Go's filepath.Clean: `./values-prod.yaml` names `values-prod.yaml`.
        let clean = helmsync_engine::funcs::paths::clean(path);
        if clean == VALUES_FILE {
            merged = values::merge_maps(merged, chart.values.clone());
            applied.push(path.clone());
            continue;
        }
        let Some(file) = chart.files.iter().find(|f| f.name == clean) else {
            if ignore_missing {
                continue;
            }
            return Err(ValuesFilesError::Missing { path: path.clone() });
        };
        let size = file.data.len() as u64;
        if size > max_file_size {
            return Err(ValuesFilesError::TooLarge {
                path: path.clone(),
                size,
                limit: max_file_size,
            });
        }
        let text = String::from_utf8_lossy(&file.data);
        let parsed = yaml::parse_map(&text).map_err(|source| ValuesFilesError::Invalid {
            path: path.clone(),
            source,
        })?;
        merged = values::merge_maps(merged, parsed);
        applied.push(path.clone());
    }
    Ok((merged, applied))
}

/// Makes `values` the chart's values.yaml (encoded as Helm's `Values.Encode` does) unless
/// it is byte for byte what the chart has; returns whether it changed anything. A chart
/// without values.yaml is an error, as in Flux.
pub fn overwrite_default_values(
    chart: &mut Chart,
    values: Map,
    max_file_size: u64,
) -> Result<bool, ValuesFilesError> {
    let encoded: Vec<u8> = if values.is_empty() {
        Vec::new()
    } else {
        yaml::to_yaml(&Value::from(values.clone()))
            .map_err(ValuesFilesError::Encode)?
            .into_bytes()
    };
    let size = encoded.len() as u64;
    if size > max_file_size {
        return Err(ValuesFilesError::TooLarge {
            path: VALUES_FILE.to_owned(),
            size,
            limit: max_file_size,
        });
    }
    let Some(raw) = chart.raw.iter_mut().find(|f| f.name == VALUES_FILE) else {
        return Err(ValuesFilesError::NoValuesFile);
    };
    if raw.data[..] == encoded[..] {
        return Ok(false);
    }
    *raw = File::new(VALUES_FILE, encoded.clone());
    for file in chart.files.iter_mut().filter(|f| f.name == VALUES_FILE) {
        *file = File::new(VALUES_FILE, encoded.clone());
    }
    chart.values = values;
    Ok(true)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chart(values_yaml: &str, files: &[(&str, &str)]) -> Chart {
        let mut chart = Chart {
            values: yaml::load_values(values_yaml).unwrap(),
            ..Chart::default()
        };
        chart
            .raw
            .push(File::new(VALUES_FILE, values_yaml.as_bytes().to_vec()));
        for (name, text) in files {
            chart.files.push(File::new(*name, text.as_bytes().to_vec()));
        }
        chart
    }

    fn merged(chart: &Chart, paths: &[&str], ignore: bool) -> (String, Vec<String>) {
        let paths: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
        let (values, applied) = merge_values_files(chart, &paths, ignore, 1 << 20).unwrap();
        (yaml::to_yaml(&Value::from(values)).unwrap(), applied)
    }

    #[test]
    fn later_files_win_and_nested_maps_merge() {
        let chart = chart(
            "image:\n  repository: web\n  tag: \"1.0\"\nreplicas: 1\n",
            &[
                ("values-prod.yaml", "image:\n  tag: \"2.0\"\nreplicas: 3\n"),
                ("extra.yaml", "replicas: null\nfeature: {enabled: true}\n"),
            ],
        );
        let (text, applied) = merged(
            &chart,
            &["values.yaml", "./values-prod.yaml", "extra.yaml"],
            false,
        );
        assert_eq!(
            text,
            "feature:\n  enabled: true\nimage:\n  repository: web\n  tag: \"2.0\"\nreplicas: null\n"
        );
        assert_eq!(applied, ["values.yaml", "./values-prod.yaml", "extra.yaml"]);
    }

    #[test]
    fn values_yaml_is_only_used_when_listed() {
        let chart = chart("a: 1\nb: 2\n", &[("prod.yaml", "b: 3\n")]);
        assert_eq!(merged(&chart, &["prod.yaml"], false).0, "b: 3\n");
    }

    #[test]
    fn a_missing_file_fails_unless_ignored() {
        let chart = chart("a: 1\n", &[]);
        let err = merge_values_files(&chart, &["nope.yaml".to_owned()], false, 1 << 20)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "failed to merge chart values: no values file found at path 'nope.yaml'"
        );
        let (text, applied) = merged(&chart, &["values.yaml", "nope.yaml"], true);
        assert_eq!(text, "a: 1\n");
        assert_eq!(applied, ["values.yaml"]);
    }

    #[test]
    fn templates_are_not_values_files() {
        let mut chart = chart("a: 1\n", &[]);
        chart
            .templates
            .push(File::new("templates/x.yaml", b"a: 2\n".to_vec()));
        let err = merge_values_files(&chart, &["templates/x.yaml".to_owned()], false, 1 << 20)
            .unwrap_err();
        assert!(matches!(err, ValuesFilesError::Missing { .. }), "{err}");
    }

    #[test]
    fn a_values_file_over_the_file_size_limit_is_refused() {
        let chart = chart("a: 1\n", &[("big.yaml", "b: 0123456789\n")]);
        let err = merge_values_files(&chart, &["big.yaml".to_owned()], false, 8).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to merge chart values: values file 'big.yaml' is 14 bytes, over the limit of 8 bytes"
        );
    }

    #[test]
    fn an_invalid_values_file_names_itself() {
        let chart = chart("a: 1\n", &[("bad.yaml", "- a list\n")]);
        let err = merge_values_files(&chart, &["bad.yaml".to_owned()], false, 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "failed to merge chart values: unmarshaling values from 'bad.yaml' failed: "
            ),
            "{err}"
        );
    }

    #[test]
    fn overwriting_replaces_values_yaml_unless_identical() {
        let mut chart = chart("a: 1\n", &[]);
        let same = yaml::parse_map("a: 1\n").unwrap();
        assert!(!overwrite_default_values(&mut chart, same, 1 << 20).unwrap());
        let other = yaml::parse_map("a: 2\n").unwrap();
        assert!(overwrite_default_values(&mut chart, other, 1 << 20).unwrap());
        assert_eq!(chart.raw_values().unwrap(), b"a: 2\n");
        assert!(overwrite_default_values(&mut chart, Map::new(), 1 << 20).unwrap());
        assert_eq!(chart.raw_values().unwrap(), b"");
        let mut without = Chart::default();
        let err = overwrite_default_values(&mut without, Map::new(), 1 << 20).unwrap_err();
        assert_eq!(err.to_string(), "failed to locate values file: values.yaml");
    }
}
