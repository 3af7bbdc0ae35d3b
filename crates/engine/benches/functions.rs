//! Function benchmark: the template functions charts call most (`include`, `toYaml`,
//! `nindent`, `default`, `quote`, `printf`, `tpl`), each called a few hundred times by one
//! template so the calls outweigh the fixed cost of a render, rendered as a one-template
//! chart by helmsync and by Helm's Go engine through the oracle. A baseline template that
//! only loops shows that fixed cost. Prints ns/op (one render) of both and their ratio.
//!
//!     cargo bench -p helmsync-engine --bench functions [-- --iterations N]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use helmsync_engine::Map;
use helmsync_engine::chart::{Chart, File, Metadata};
use helmsync_engine::funcs::DeterministicEnvironment;
use helmsync_engine::json;
use helmsync_engine::render::{self, Options, ReleaseOptions};
use support::{
    ask_oracle, first_difference, iterations_from_args, oracle_output, oracle_path, time_per_op,
};

/// One benchmark: the function it measures, how often one render calls it, the template.
struct Case {
    function: &'static str,
    calls: u32,
    template: &'static str,
}

const CASES: [Case; 8] = [
    Case {
        function: "baseline",
        calls: 0,
        template: include_str!("functions/baseline.yaml"),
    },
    Case {
        function: "include",
        calls: 200,
        template: include_str!("functions/include.yaml"),
    },
    Case {
        function: "toYaml",
        calls: 200,
        template: include_str!("functions/toYaml.yaml"),
    },
    Case {
        function: "nindent",
        calls: 200,
        template: include_str!("functions/nindent.yaml"),
    },
    Case {
        function: "default",
        calls: 600,
        template: include_str!("functions/default.yaml"),
    },
    Case {
        function: "quote",
        calls: 600,
        template: include_str!("functions/quote.yaml"),
    },
    Case {
        function: "printf",
        calls: 200,
        template: include_str!("functions/printf.yaml"),
    },
    Case {
        function: "tpl",
        calls: 200,
        template: include_str!("functions/tpl.yaml"),
    },
];
/// The chart's values: a nested config map of ~30 keys, multi-line text, a tpl string.
const VALUES: &str = include_str!("functions/values.json");
/// The chart and release names the oracle's in-memory chart uses.
const CHART: &str = "test";
const RELEASE: &str = "test";
const NAMESPACE: &str = "default";
const DEFAULT_ITERATIONS: u32 = 300;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("function benchmark: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let iterations = iterations_from_args(DEFAULT_ITERATIONS)?;
    let values = json::parse(VALUES)
        .map_err(|e| format!("values.json: {e}"))?
        .as_map()
        .ok_or("values.json is not an object")?;
    let oracle = oracle_path()?;
    let options = Options::new(
        ReleaseOptions::install(RELEASE, NAMESPACE),
        Arc::new(DeterministicEnvironment::new(0)),
    );

    println!(
        "function benchmark: Helm's engine (Go) vs helmsync, one-template chart, {} bytes of values, {iterations} renders each",
        VALUES.len()
    );
    println!(
        "{:<9} {:>12} {:>16} {:>16}   ratio",
        "function", "calls/render", "helmsync ns/op", "Go ns/op"
    );
    for case in &CASES {
        let chart = chart_of(case, &values);
        let request = oracle_request(case)?;
        let go_output = oracle_output(&oracle, &request, "Helm")?;
        let output = render_once(&chart, &options)?;
        if output != go_output {
            return Err(format!(
                "{}: helmsync's output differs from Helm's, so the timings would not compare \
                 the same work; first difference at {}",
                case.function,
                first_difference("Helm", &go_output, &output)
            ));
        }
        let helmsync = time_per_op(iterations, || render_once(&chart, &options))?;
        let go = oracle_bench(&oracle, &request, iterations)?;
        report(case, helmsync, go);
    }
    Ok(())
}

fn report(case: &Case, helmsync_ns: f64, go_ns: f64) {
    let ratio = go_ns / helmsync_ns;
    let verdict = if ratio >= 1.0 {
        format!("helmsync is {ratio:.1}x faster")
    } else {
        format!("helmsync is {:.1}x slower", 1.0 / ratio)
    };
    println!(
        "{:<9} {:>12} {:>16.0} {:>16.0}   {verdict}",
        case.function, case.calls, helmsync_ns, go_ns
    );
}

/// The chart the oracle builds: "test" 0.1.0 with the case's template as
/// templates/<function>.yaml and the benchmark's values as its default values.
fn chart_of(case: &Case, values: &Map) -> Chart {
    Chart {
        metadata: Metadata {
            api_version: "v2".into(),
            name: CHART.into(),
            version: "0.1.0".into(),
            ..Metadata::default()
        },
        templates: vec![File::new(
            format!("templates/{}", template_name(case)),
            case.template.as_bytes().to_vec(),
        )],
        values: values.clone(),
        ..Chart::default()
    }
}

fn template_name(case: &Case) -> String {
    format!("{}.yaml", case.function)
}

/// What the oracle's render times: values prepared (Helm's `ToRenderValues`), then the
/// chart's templates parsed and executed (`Engine.Render`).
fn render_once(chart: &Chart, options: &Options) -> Result<String, String> {
    let values = render::render_values(chart, &Map::new(), options).map_err(|e| e.to_string())?;
    let mut rendered: BTreeMap<String, String> =
        render::render_templates(chart, &values, options).map_err(|e| e.to_string())?;
    let key = format!("{CHART}/templates/{}", chart_template_name(chart));
    rendered
        .remove(&key)
        .ok_or_else(|| format!("helmsync rendered no {key}"))
}

fn chart_template_name(chart: &Chart) -> &str {
    chart
        .templates
        .first()
        .and_then(|file| file.name.strip_prefix("templates/"))
        .unwrap_or_default()
}

/// The oracle's mode=helm request for one case, as one JSON line.
fn oracle_request(case: &Case) -> Result<String, String> {
    let values: serde_json::Value =
        serde_json::from_str(VALUES).map_err(|e| format!("values.json: {e}"))?;
    let request = serde_json::json!({
        "name": format!("function benchmark: {}", case.function),
        "mode": "helm",
        "missingkey": "default",
        "templates": [{ "name": template_name(case), "text": case.template }],
        "values": values,
    });
    Ok(request.to_string() + "\n")
}

/// Helm's ns per render of the request, measured by `oracle bench` in mode=helm.
fn oracle_bench(oracle: &Path, request: &str, iterations: u32) -> Result<f64, String> {
    let answer = ask_oracle(oracle, &["bench", "-n", &iterations.to_string()], request)?;
    answer["parse_execute_ns_per_op"]
        .as_f64()
        .ok_or_else(|| format!("oracle bench gave no parse_execute_ns_per_op: {answer}"))
}
