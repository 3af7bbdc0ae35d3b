//! What the benchmarks share: argument reading, timing, and asking the Go oracle
//! (tools/oracle) for its output and timings. Each benchmark uses a part of it.
#![allow(dead_code)]

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// `--iterations N`; the `--bench` cargo passes and anything else cargo adds are ignored.
pub fn iterations_from_args(default: u32) -> Result<u32, String> {
    let mut args = std::env::args().skip(1);
    let mut iterations = default;
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

/// Average wall time of `op` over `iterations` runs, after one untimed run.
pub fn time_per_op<T>(
    iterations: u32,
    mut op: impl FnMut() -> Result<T, String>,
) -> Result<f64, String> {
    black_box(op()?);
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(op()?);
    }
    Ok(start.elapsed().as_nanos() as f64 / f64::from(iterations))
}

/// Where `actual` first differs from `reference`'s `expected` output.
pub fn first_difference(reference: &str, expected: &str, actual: &str) -> String {
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
        "line {line}: {reference} {:?}, helmsync {:?}",
        excerpt(expected),
        excerpt(actual)
    )
}

/// The repository root (the engine crate lives in crates/engine).
pub fn repo_dir() -> PathBuf {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR"));
    engine.ancestors().nth(2).unwrap_or(engine).to_path_buf()
}

/// The Go oracle built against Helm 4, as `tools/build --path oracle` names it.
pub fn oracle_path() -> Result<PathBuf, String> {
    let out = Command::new(repo_dir().join("tools/build"))
        .args(["--path", "oracle"])
        .output()
        .map_err(|e| format!("cannot run tools/build --path oracle: {e}"))?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !out.status.success() || !path.is_file() {
        return Err("the Go oracle is not built; run: tools/build oracle".into());
    }
    Ok(path)
}

/// Runs the oracle with `request` on stdin and parses its JSON answer.
pub fn ask_oracle(
    oracle: &Path,
    args: &[&str],
    request: &str,
) -> Result<serde_json::Value, String> {
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

/// The oracle's output for `request`; `reference` names the engine answering in errors.
pub fn oracle_output(oracle: &Path, request: &str, reference: &str) -> Result<String, String> {
    let answer = ask_oracle(oracle, &["template"], request)?;
    match (answer["output"].as_str(), answer["error"].as_str()) {
        (Some(output), _) => Ok(output.to_owned()),
        (None, Some(error)) => Err(format!("{reference} fails on the benchmark: {error}")),
        _ => Err(format!("unexpected oracle answer: {answer}")),
    }
}
