//! Template benchmark: a chart's Deployment, Service, ConfigMap and Ingress, written like
//! real charts with Go's builtins only (define/template, range over lists and maps, with,
//! if/else, printf), rendered by helmsync and by Go's text/template through the oracle on
//! the same input. Prints ns/op of both and their ratio.
//!
//!     cargo bench -p helmsync-engine --bench template [-- --iterations N]
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use helmsync_engine::json;
use helmsync_engine::template::{FuncMap, Template};
use helmsync_engine::value::Value;

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

/// `--iterations N`; the `--bench` cargo passes and anything else cargo adds are ignored.
fn iterations_from_args() -> Result<u32, String> {
    let mut args = std::env::args().skip(1);
    let mut iterations = DEFAULT_ITERATIONS;
    while let Some(arg) = args.next() {
        if arg == "--iterations" {
            let value = args.next().ok_or("--iterations needs a number")?;
            iterations = value
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("--iterations: {value:?} is not a positive number"))?;
        }
    }
    Ok(iterations)
}

fn run() -> Result<(), String> {
    let iterations = iterations_from_args()?;
    let data = json::parse(VALUES).map_err(|e| format!("values.json: {e}"))?;
    let oracle = oracle_path()?;
    let request = oracle_request()?;

    let go_output = oracle_output(&oracle, &request)?;
    let output = render(&data)?;
    if output != go_output {
        return Err(format!(
            "helmsync's output differs from Go's, so the timings would not compare the same \
             work; first difference at {}",
            first_difference(&go_output, &output)
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

/// Average wall time of `op` over `iterations` runs, after one untimed run.
fn time_per_op(
    iterations: u32,
    mut op: impl FnMut() -> Result<String, String>,
) -> Result<f64, String> {
    black_box(op()?);
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(op()?);
    }
    Ok(start.elapsed().as_nanos() as f64 / f64::from(iterations))
}

fn first_difference(expected: &str, actual: &str) -> String {
    let at = expected
        .bytes()
        .zip(actual.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let line = expected[..at].matches('\n').count() + 1;
    let excerpt = |text: &str| {
        text.get(at..)
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .to_owned()
    };
    format!(
        "line {line}: Go {:?}, helmsync {:?}",
        excerpt(expected),
        excerpt(actual)
    )
}

fn oracle_path() -> Result<PathBuf, String> {
    // The engine crate lives in crates/engine.
    let engine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = engine.ancestors().nth(2).unwrap_or(engine);
    let out = Command::new(repo.join("tools/build"))
        .args(["--path", "oracle"])
        .output()
        .map_err(|e| format!("cannot run tools/build --path oracle: {e}"))?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !out.status.success() || !path.is_file() {
        return Err("the Go oracle is not built; run: tools/build oracle".into());
    }
    Ok(path)
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

/// Runs the oracle with `request` on stdin and parses its JSON answer.
fn ask_oracle(oracle: &Path, args: &[&str], request: &str) -> Result<serde_json::Value, String> {
    let mut child = Command::new(oracle)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the oracle: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("the oracle's stdin is not piped")?
        .write_all(request.as_bytes())
        .map_err(|e| format!("writing to the oracle: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("waiting for the oracle: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "oracle {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("the oracle's answer is not JSON: {e}"))
}

fn oracle_output(oracle: &Path, request: &str) -> Result<String, String> {
    let answer = ask_oracle(oracle, &["template"], request)?;
    match (answer["output"].as_str(), answer["error"].as_str()) {
        (Some(output), _) => Ok(output.to_owned()),
        (None, Some(error)) => Err(format!("Go fails on the benchmark chart: {error}")),
        _ => Err(format!("unexpected oracle answer: {answer}")),
    }
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
