//! The suite's cases: every chart under testdata/charts/render, once per values file in its
//! `ci/` directory (chart-testing's convention), with what the file's header asks for.
//!
//! A values file may start with comment lines that direct the suite:
//!   `# args: --include-crds --api-versions x/v1`  extra `template` arguments (split on spaces)
//!   `# expect: failure`                           helm must fail to render it
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The release name, namespace and Kubernetes version every case renders with.
pub const RELEASE: &str = "demo";
pub const NAMESPACE: &str = "apps";
pub const KUBE_VERSION: &str = "1.36.0";

#[derive(Clone, Debug)]
pub struct Case {
    /// The chart's directory name under testdata/charts/render.
    pub chart: String,
    pub chart_dir: PathBuf,
    pub values_file: PathBuf,
    pub extra_args: Vec<String>,
    pub expect_failure: bool,
}

impl Case {
    /// `chart/ci/file.yaml`, as reports and KNOWN-DIFFERENCES name the case.
    pub fn id(&self) -> String {
        let file = self
            .values_file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        format!("{}/ci/{file}", self.chart)
    }

    /// The arguments after the binary, the same for `helm` and `helmsync`.
    pub fn template_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec!["template".into(), RELEASE.into()];
        args.push(self.chart_dir.clone().into());
        for arg in [
            "--namespace",
            NAMESPACE,
            "--kube-version",
            KUBE_VERSION,
            "-f",
        ] {
            args.push(arg.into());
        }
        args.push(self.values_file.clone().into());
        args.extend(self.extra_args.iter().map(OsString::from));
        args
    }

    /// The command line, for reports.
    pub fn command_line(&self) -> String {
        let args: Vec<String> = self
            .template_args()
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        args.join(" ")
    }
}

/// Every case under `render_dir`, sorted by chart and values file.
pub fn discover(render_dir: &Path) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for chart_dir in sorted_entries(render_dir)? {
        if !chart_dir.join("Chart.yaml").is_file() {
            continue;
        }
        let chart = chart_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let ci = chart_dir.join("ci");
        let values_files: Vec<PathBuf> = sorted_entries(&ci)?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        if values_files.is_empty() {
            return Err(format!(
                "{} has no values files in ci/",
                chart_dir.display()
            ));
        }
        for values_file in values_files {
            let text = std::fs::read_to_string(&values_file)
                .map_err(|e| format!("{}: {e}", values_file.display()))?;
            let (extra_args, expect_failure) =
                header(&text).map_err(|e| format!("{}: {e}", values_file.display()))?;
            cases.push(Case {
                chart: chart.clone(),
                chart_dir: chart_dir.clone(),
                values_file,
                extra_args,
                expect_failure,
            });
        }
    }
    Ok(cases)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .map(|entry| {
            entry
                .map(|e| e.path())
                .map_err(|e| format!("{}: {e}", dir.display()))
        })
        .collect::<Result<_, _>>()?;
    entries.sort();
    Ok(entries)
}

/// The `# args:` and `# expect:` directives of the leading comment lines.
fn header(text: &str) -> Result<(Vec<String>, bool), String> {
    let mut args = Vec::new();
    let mut expect_failure = false;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(rest) = line.strip_prefix("# args:") {
            args.extend(rest.split_whitespace().map(str::to_owned));
        } else if let Some(rest) = line.strip_prefix("# expect:") {
            expect_failure = match rest.trim() {
                "failure" => true,
                "success" => false,
                other => return Err(format!("unknown expectation {other:?}")),
            };
        }
    }
    Ok((args, expect_failure))
}
