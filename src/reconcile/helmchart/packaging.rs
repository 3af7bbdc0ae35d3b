//! What Flux's remote chart builder does beyond pulling (`builder_remote.go`): the
//! `+<generation>` build metadata a chart with values files gets, the merge of those files
//! into a repackaged chart, and the summary the Ready condition carries.
use helmsync_engine::semver::Version;

use super::package::package;
use super::values_files::{merge_values_files, overwrite_default_values};
use crate::reconcile::conditions::{BUILD_FAILED, Outcome};

/// `setBuildMetaData`: the version with its build metadata replaced by `metadata`, printed
/// as Masterminds/semver prints it (`6.0.3` and `2` make `6.0.3+2`); unchanged without
/// metadata.
pub fn build_version(version: &str, metadata: Option<&str>) -> Result<String, Outcome> {
    let Some(metadata) = metadata else {
        return Ok(version.to_owned());
    };
    let stalled = |message: String| Outcome::Stalled {
        reason: "MetadataPatchError".to_owned(),
        message: format!("chart metadata patch error: {message}"),
    };
    let parsed = Version::parse(version).map_err(|e| {
        stalled(format!(
            "failed to parse version from chart metadata as SemVer: {e}"
        ))
    })?;
    let patched = parsed.set_metadata(metadata).map_err(|e| {
        stalled(format!(
            "failed to set SemVer metadata on chart version: {e}"
        ))
    })?;
    Ok(patched.to_string())
}

/// What the spec asks of the values files.
pub struct ValuesFilesSpec<'a> {
    pub paths: &'a [String],
    pub ignore_missing: bool,
    /// The chart file size limit each values file (and the merged values.yaml) counts
    /// against.
    pub max_file_size: u64,
}

/// A chart repackaged with merged values.
pub struct Packaged {
    pub archive: Vec<u8>,
    /// The files merged, when the merge changed values.yaml (Flux reports them only then).
    pub merged_files: Option<Vec<String>>,
}

/// Loads the pulled archive, sets its version, replaces values.yaml with the merged values
/// files and packages it again. Values file problems stall (the spec must change); a chart
/// that cannot be loaded or packaged is a build failure.
pub fn package_with_values(
    archive: &[u8],
    version: &str,
    spec: &ValuesFilesSpec<'_>,
) -> Result<Packaged, Outcome> {
    let package_error = |message: String| {
        Outcome::failed(
            BUILD_FAILED,
            "ChartPackageError",
            format!("chart package error: {message}"),
        )
    };
    let values_error = |e: super::values_files::ValuesFilesError| Outcome::Stalled {
        reason: "ValuesFilesError".to_owned(),
        message: format!("values files merge error: {e}"),
    };
    let mut chart = helmsync_engine::chart::load_archive(archive)
        .map_err(|e| package_error(format!("failed to load downloaded chart: {e}")))?;
    chart.metadata.version = version.to_owned();
    let (merged, applied) =
        merge_values_files(&chart, spec.paths, spec.ignore_missing, spec.max_file_size)
            .map_err(values_error)?;
    let changed =
        overwrite_default_values(&mut chart, merged, spec.max_file_size).map_err(values_error)?;
    let archive = package(&chart).map_err(|e| package_error(e.to_string()))?;
    Ok(Packaged {
        archive,
        merged_files: changed.then_some(applied),
    })
}

/// Flux's `Build.Summary`: `pulled` or `packaged`, the chart and version, and the values
/// files merged (Go prints the list as `[a b]`).
pub fn summary(packaged: bool, chart: &str, version: &str, merged_files: &[String]) -> String {
    let action = if packaged { "packaged" } else { "pulled" };
    let mut summary = format!("{action} '{chart}' chart with version '{version}'");
    if !merged_files.is_empty() {
        summary.push_str(&format!(
            " and merged values files [{}]",
            merged_files.join(" ")
        ));
    }
    summary
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn build_metadata_replaces_any_metadata_and_normalises_as_masterminds_prints() {
        assert_eq!(build_version("6.0.3", Some("2")).unwrap(), "6.0.3+2");
        assert_eq!(build_version("6.0.3+abc", Some("7")).unwrap(), "6.0.3+7");
        assert_eq!(
            build_version("v1.2.3-rc.1", Some("1")).unwrap(),
            "1.2.3-rc.1+1"
        );
        assert_eq!(build_version("v1.2.3", None).unwrap(), "v1.2.3");
        let stalled = build_version("not-a-version", Some("1")).unwrap_err();
        assert_eq!(stalled.reason(), "MetadataPatchError");
        assert!(
            stalled
                .message()
                .starts_with("chart metadata patch error: failed to parse version"),
            "{}",
            stalled.message()
        );
    }

    #[test]
    fn the_summary_reads_as_flux_writes_it() {
        assert_eq!(
            summary(false, "podinfo", "6.0.3", &[]),
            "pulled 'podinfo' chart with version '6.0.3'"
        );
        assert_eq!(
            summary(
                true,
                "podinfo",
                "6.0.3+2",
                &["values.yaml".to_owned(), "values-prod.yaml".to_owned()]
            ),
            "packaged 'podinfo' chart with version '6.0.3+2' and merged values files \
             [values.yaml values-prod.yaml]"
        );
    }

    #[test]
    fn a_missing_values_file_stalls_with_the_path_in_the_message() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/charts/smoke");
        let chart = helmsync_engine::chart::load(&dir).unwrap();
        let archive = package(&chart).unwrap();
        let paths = ["values.yaml".to_owned(), "values-missing.yaml".to_owned()];
        let spec = ValuesFilesSpec {
            paths: &paths,
            ignore_missing: false,
            max_file_size: 1 << 20,
        };
        let outcome = package_with_values(&archive, "0.1.0+1", &spec)
            .err()
            .unwrap();
        assert_eq!(
            outcome,
            Outcome::Stalled {
                reason: "ValuesFilesError".to_owned(),
                message: "values files merge error: failed to merge chart values: no values \
                          file found at path 'values-missing.yaml'"
                    .to_owned(),
            }
        );
        let spec = ValuesFilesSpec {
            ignore_missing: true,
            ..spec
        };
        let packaged = package_with_values(&archive, "0.1.0+1", &spec).unwrap();
        // Only values.yaml was merged: the same values, re-encoded.
        let loaded = helmsync_engine::chart::load_archive(&packaged.archive).unwrap();
        assert_eq!(loaded.metadata.version, "0.1.0+1");
        assert_eq!(loaded.values, chart.values);
    }
}
