//! Chart rendering benchmark: the render suite's biggest chart (commerce-suite: 74 templates,
//! three subcharts) loaded from its directory and rendered with its default values file,
//! in process, by helmsync and by Helm's Go engine through the oracle (`oracle render -n`).
//! Both sides load the chart and values and render on every iteration, as `helm template`
//! does once per run. Prints ns/op of both and their ratio.
//!
//!     cargo bench -p helmsync-engine --bench render [-- --iterations N] [CHART]
mod support;

use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::Arc;

use helmsync_engine::chart;
use helmsync_engine::funcs::DeterministicEnvironment;
use helmsync_engine::render::{self, Options, ReleaseOptions};
use helmsync_engine::values::{self, ValueOptions};
use support::{oracle_path, repo_dir, time_per_op};

const DEFAULT_ITERATIONS: u32 = 200;
const DEFAULT_CHART: &str = "commerce-suite";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("render benchmark: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--iterations N` and a chart name; `--bench` and other cargo arguments are ignored.
fn args() -> Result<(u32, String), String> {
    let mut args = std::env::args().skip(1);
    let (mut iterations, mut chart) = (DEFAULT_ITERATIONS, DEFAULT_CHART.to_owned());
    while let Some(arg) = args.next() {
        if arg == "--iterations" {
            let value = args.next().ok_or("--iterations needs a number")?;
            iterations = value
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("--iterations: {value:?} is not a positive number"))?;
        } else if !arg.starts_with('-') {
            chart = arg;
        }
    }
    Ok((iterations, chart))
}

fn run() -> Result<(), String> {
    let (iterations, chart_name) = args()?;
    let chart_dir = repo_dir().join("testdata/charts/render").join(&chart_name);
    let values_file = chart_dir.join("ci/default-values.yaml");
    if !values_file.is_file() {
        return Err(format!("no {}", values_file.display()));
    }
    let oracle = oracle_path()?;

    let documents = render_once(&chart_dir, &values_file)?;
    let helmsync_ns = time_per_op(iterations, || render_once(&chart_dir, &values_file))?;
    let go_ns = oracle_ns_per_op(&oracle, &chart_dir, &values_file, iterations)?;

    println!(
        "render benchmark: {chart_name} with ci/default-values.yaml, {documents} documents, \
         {iterations} iterations, load + values + render per iteration"
    );
    let ratio = go_ns / helmsync_ns;
    let verdict = if ratio >= 1.0 {
        format!("helmsync is {ratio:.1}x faster than Helm's engine")
    } else {
        format!("helmsync is {:.1}x slower than Helm's engine", 1.0 / ratio)
    };
    println!(
        "in process     helmsync {:>10.0} ns/op   Go {:>10.0} ns/op   {verdict}",
        helmsync_ns, go_ns
    );
    Ok(())
}

/// Loads the chart and values and renders, as one `helmsync template` run does; returns the
/// number of documents.
fn render_once(chart_dir: &Path, values_file: &Path) -> Result<usize, String> {
    let chart = chart::load(chart_dir).map_err(|e| e.to_string())?;
    let options = ValueOptions {
        value_files: vec![values_file.display().to_string()],
        ..ValueOptions::default()
    };
    let user_values = values::merge_values(&options, |path| {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
    })
    .map_err(|e| e.to_string())?;
    let environment = Arc::new(DeterministicEnvironment::new(1_700_000_000));
    let options = Options::new(ReleaseOptions::install("demo", "apps"), environment);
    let rendered = render::render(&chart, &user_values, &options).map_err(|e| e.to_string())?;
    Ok(rendered.manifests.len() + rendered.hooks.len())
}

fn oracle_ns_per_op(
    oracle: &Path,
    chart_dir: &Path,
    values_file: &Path,
    iterations: u32,
) -> Result<f64, String> {
    let out = Command::new(oracle)
        .args(["render", "-name", "demo", "-namespace", "apps", "-n"])
        .arg(iterations.to_string())
        .arg(chart_dir)
        .arg(values_file)
        .env("TZ", "UTC")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", oracle.display()))?;
    if !out.status.success() {
        return Err(format!(
            "oracle render failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let answer: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("oracle answer: {e}"))?;
    answer["ns_per_op"]
        .as_f64()
        .ok_or_else(|| format!("oracle answer without ns_per_op: {answer}"))
}
