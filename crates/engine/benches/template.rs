//! Template benchmark: a chart's Deployment, Service, ConfigMap and Ingress, written like
//! real charts with Go's builtins only (define/template, range over lists and maps, with,
//! if/else, printf), rendered by helmsync and by Go's text/template through the oracle on
//! the same input. Prints ns/op of both and their ratio.
//!
//!     cargo bench -p helmsync-engine --bench template [-- --iterations N]
mod support;

use std::path::Path;
use std::process::ExitCode;

use helmsync_engine::json;
use helmsync_engine::template::{FuncMap, Template};
use helmsync_engine::value::Value;
use support::{
    ask_oracle, first_difference, iterations_from_args, oracle_output, oracle_path, time_per_op,
};

/// The chart's templates; the first renders every manifest.
const TEMPLATES: [(&str, &str); 6] = [
    ("chart.tpl", include_str!("template/chart.tpl")),
    ("_helpers.tpl", include_str!("template/_helpers.tpl")),
    ("deployment.yaml", include_str!("template/deployment.yaml")),
    ("service.yaml", include_str!("template/service.yaml")),
    ("configmap.yaml", include_str!("template/configmap.yaml")),
    ("ingress.yaml", include_str!("template/ingress.yaml")),
];
/// `.Release`, `.Chart` and `.Values` of a production-sized release.
const VALUES: &str = include_str!("template/values.json");
const DEFAULT_ITERATIONS: u32 = 2000;
/// What the project aims for on this benchmark.
const TARGET_SPEEDUP: f64 = 3.0;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("template benchmark: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let iterations = iterations_from_args(DEFAULT_ITERATIONS)?;
    let data = json::parse(VALUES).map_err(|e| format!("values.json: {e}"))?;
    let oracle = oracle_path()?;
    let request = oracle_request()?;

    let go_output = oracle_output(&oracle, &request, "Go")?;
    let output = render(&data)?;
    if output != go_output {
        return Err(format!(
            "helmsync's output differs from Go's, so the timings would not compare the same \
             work; first difference at {}",
            first_difference("Go", &go_output, &output)
        ));
    }

    let parse_execute = time_per_op(iterations, || render(&data))?;
    let set = parse_set()?;
    let execute = time_per_op(iterations, || {
        set.execute(TEMPLATES[0].0, &data)
            .map_err(|e| e.to_string())
    })?;
    let go = oracle_bench(&oracle, &request, iterations)?;

    println!(
        "template benchmark: {} templates, {} bytes of values, {} bytes of output, {iterations} iterations",
        TEMPLATES.len(),
        VALUES.len(),
        output.len()
    );
    report("parse+execute", parse_execute, go.parse_execute);
    report("execute only", execute, go.execute);
    Ok(())
}

fn report(measure: &str, helmsync_ns: f64, go_ns: f64) {
    let ratio = go_ns / helmsync_ns;
    let verdict = if ratio >= 1.0 {
        format!("helmsync is {ratio:.1}x faster than Go text/template")
    } else {
        format!(
            "helmsync is {:.1}x slower than Go text/template",
            1.0 / ratio
        )
    };
    let target = if ratio >= TARGET_SPEEDUP {
        ""
    } else {
        " (below the 3x target)"
    };
    println!(
        "{measure:<14} helmsync {:>9.0} ns/op   Go {:>9.0} ns/op   {verdict}{target}",
        helmsync_ns, go_ns
    );
}

fn parse_set() -> Result<Template, String> {
    let mut set = Template::new(TEMPLATES[0].0, FuncMap::builtins());
    for (name, text) in TEMPLATES {
        set.parse(name, text).map_err(|e| e.to_string())?;
    }
    Ok(set)
}

fn render(data: &Value) -> Result<String, String> {
    parse_set()?
        .execute(TEMPLATES[0].0, data)
        .map_err(|e| e.to_string())
}

/// The oracle's request for this chart, as one JSON line.
fn oracle_request() -> Result<String, String> {
    let values: serde_json::Value =
        serde_json::from_str(VALUES).map_err(|e| format!("values.json: {e}"))?;
    let templates: Vec<_> = TEMPLATES
        .iter()
        .map(|(name, text)| serde_json::json!({ "name": name, "text": text }))
        .collect();
    let request = serde_json::json!({
        "name": "template benchmark",
        "mode": "go",
        "missingkey": "default",
        "templates": templates,
        "values": values,
    });
    Ok(request.to_string() + "\n")
}

struct GoTimings {
    parse_execute: f64,
    execute: f64,
}

fn oracle_bench(oracle: &Path, request: &str, iterations: u32) -> Result<GoTimings, String> {
    let answer = ask_oracle(oracle, &["bench", "-n", &iterations.to_string()], request)?;
    let field = |name: &str| {
        answer[name]
            .as_f64()
            .ok_or_else(|| format!("oracle bench gave no {name}: {answer}"))
    };
    Ok(GoTimings {
        parse_execute: field("parse_execute_ns_per_op")?,
        execute: field("execute_ns_per_op")?,
    })
}
