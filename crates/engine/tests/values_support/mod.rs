//! Shared by the values corpus tests: the Go checker of testdata/values (tools/strvalscheck)
//! and how helmsync's values print for comparison with it.
#![allow(
    clippy::expect_used,
    reason = "the helpers of a test: a failed expectation fails the test with its message"
)]
#![allow(dead_code, reason = "each corpus test uses part of these helpers")]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use helmsync_engine::gofmt;
use helmsync_engine::{IntKind, Map, Value, json};

/// The repository root: the engine crate lives in crates/engine.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// testdata/values, where the case files and the files they name live.
pub fn values_dir() -> PathBuf {
    repo_root().join("testdata/values")
}

fn checker_path() -> PathBuf {
    let tools = std::env::var_os("HELMSYNC_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").expect("HOME is not set");
            Path::new(&home).join(".cache/helmsync-tools")
        });
    tools.join("bin/strvalscheck")
}

/// How to build the checker at `path`.
fn build_hint(path: &Path) -> String {
    format!(
        "cd tools/strvalscheck && GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 \\\n    \
         go build -o {} .",
        path.display()
    )
}

/// Helm's answers to `(op, args)` requests, from one run of tools/strvalscheck started in
/// testdata/values/files. Fails, saying how to build it, when the checker is missing.
pub fn go_answers(requests: &[(String, Vec<String>)]) -> Vec<String> {
    let checker = checker_path();
    assert!(
        checker.exists(),
        "the Go checker {} is not built; build it with:\n  {}",
        checker.display(),
        build_hint(&checker)
    );
    let mut child = Command::new(&checker)
        .arg("serve")
        .current_dir(values_dir().join("files"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", checker.display()));
    let lines: Vec<String> = requests
        .iter()
        .map(|(op, args)| {
            let args: Vec<Value> = args.iter().map(|a| Value::from(a.as_str())).collect();
            let mut request = Map::new();
            request.insert("op".to_owned(), Value::from(op.as_str()));
            request.insert("args".to_owned(), Value::from(args));
            json::to_json(&Value::from(request)).expect("request encodes")
        })
        .collect();
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Written from another thread so a full pipe in either direction cannot deadlock.
    let writer = std::thread::spawn(move || {
        for line in lines {
            writeln!(stdin, "{line}").expect("the checker reads its requests");
        }
    });
    let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let answers: Vec<String> = stdout
        .lines()
        .map(|line| {
            let line = line.expect("checker output");
            let response = json::parse(&line).expect("the checker answers JSON");
            let response = response.as_map().expect("an object");
            match (response.get("result"), response.get("error")) {
                (Some(Value::String(result)), _) => result.to_string(),
                (_, error) => panic!("the checker rejected a request: {error:?}"),
            }
        })
        .collect();
    writer.join().expect("writer thread");
    assert!(
        child.wait().expect("the checker exits").success(),
        "the checker failed"
    );
    assert_eq!(
        answers.len(),
        requests.len(),
        "the checker answered every request"
    );
    answers
}

/// Reads a file of testdata/values/files as Helm's `os.ReadFile` would, with its error
/// text for a missing file.
pub fn read_test_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(values_dir().join("files").join(path)).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("open {path}: no such file or directory"),
        _ => format!("open {path}: {e}"),
    })
}

/// A value as tools/strvalscheck prints it: Go types visible, maps with sorted keys.
pub fn dump(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Missing | Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i, IntKind::Int64) => out.push_str(&i.to_string()),
        Value::Float(f) => {
            out.push_str("float64(");
            out.push_str(&gofmt::sprint(&[Value::Float(*f)]));
            out.push(')');
        }
        Value::String(s) => out.push_str(&gofmt::quote(s)),
        Value::List(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (key, value)) in map.snapshot().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&gofmt::quote(key));
                out.push_str(": ");
                write_value(out, value);
            }
            out.push('}');
        }
        other => {
            out.push_str(other.type_name());
            out.push('(');
            out.push_str(&gofmt::sprint(std::slice::from_ref(other)));
            out.push(')');
        }
    }
}
