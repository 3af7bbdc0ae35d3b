//! Differential tests of helmsync's YAML and JSON against Go: every case in
//! testdata/yaml/*.case holds an input and the output Go produced for it (via
//! tools/yamlcheck, which uses the libraries Helm uses). The test checks that the recorded
//! output still is Go's, and that helmsync produces the same.
//!
//! `HELMSYNC_UPDATE_CASES=1 cargo test -p helmsync-engine --test yaml_corpus` rewrites the
//! recorded outputs from Go.
//!
//! Case files: `=== name`, `op: OP`, `@@ input` (or `@@ input json` for a JSON string
//! literal), then `@@ ok` or `@@ error` (optionally `json`) and the output. A section's text
//! runs to the line before the next marker; an empty line before a marker means the text
//! ends with a newline.
// A test harness: a malformed case file or a broken reference tool should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use helmsync_engine::{IntKind, Map, Value, json, yaml};

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Ok(String),
    Error(String),
}

#[derive(Clone, Debug)]
struct Case {
    name: String,
    op: String,
    input: String,
    input_json: bool,
    expected: Option<Outcome>,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn section_text(lines: &[&str]) -> String {
    lines.join("\n")
}

fn decode_json_string(text: &str) -> String {
    match json::parse(text) {
        Ok(Value::String(s)) => s.to_string(),
        other => panic!("not a JSON string literal: {text:?} ({other:?})"),
    }
}

fn parse_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let mut cases = Vec::new();
    for block in text
        .split("\n=== ")
        .map(|b| b.strip_prefix("=== ").unwrap_or(b))
    {
        if block.trim().is_empty() {
            continue;
        }
        let lines: Vec<&str> = block.split('\n').collect();
        let name = lines[0].trim().to_string();
        let op = lines
            .get(1)
            .and_then(|l| l.strip_prefix("op: "))
            .unwrap_or_else(|| panic!("{}: case {name:?} has no op line", path.display()))
            .trim()
            .to_string();
        let markers: Vec<usize> = (2..lines.len())
            .filter(|&i| lines[i].starts_with("@@ "))
            .collect();
        let mut case = Case {
            name: name.clone(),
            op,
            input: String::new(),
            input_json: false,
            expected: None,
        };
        for (n, &at) in markers.iter().enumerate() {
            let end = markers.get(n + 1).copied().unwrap_or(lines.len());
            let body = section_text(&lines[at + 1..end]);
            let marker: Vec<&str> = lines[at][3..].split_whitespace().collect();
            let is_json = marker.get(1) == Some(&"json");
            let body = if is_json {
                decode_json_string(&body)
            } else {
                body
            };
            match marker.first().copied() {
                Some("input") => {
                    case.input = body;
                    case.input_json = is_json;
                }
                Some("ok") => case.expected = Some(Outcome::Ok(body)),
                Some("error") => case.expected = Some(Outcome::Error(body)),
                other => panic!(
                    "{}: case {name:?}: unknown marker {other:?}",
                    path.display()
                ),
            }
        }
        cases.push(case);
    }
    cases
}

/// Whether text must be stored as a JSON string literal to survive the file format.
fn needs_json(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && c != '\n') || c == '\u{FEFF}')
        || text.split('\n').any(|l| {
            l.ends_with(' ') || l.starts_with("=== ") || l.starts_with("@@ ") || l.ends_with('\t')
        })
}

fn json_literal(text: &str) -> String {
    json::to_raw_json(&Value::from(text)).unwrap()
}

fn write_cases(path: &Path, cases: &[Case]) {
    let mut out = String::new();
    for case in cases {
        out.push_str(&format!("=== {}\nop: {}\n", case.name, case.op));
        let section = |out: &mut String, marker: &str, text: &str, force_json: bool| {
            if force_json || needs_json(text) {
                out.push_str(&format!("@@ {marker} json\n{}\n", json_literal(text)));
            } else {
                out.push_str(&format!("@@ {marker}\n{text}\n"));
            }
        };
        section(&mut out, "input", &case.input, case.input_json);
        match &case.expected {
            Some(Outcome::Ok(text)) => section(&mut out, "ok", text, false),
            Some(Outcome::Error(text)) => section(&mut out, "error", text, false),
            None => {}
        }
    }
    std::fs::write(path, out).unwrap();
}

const BUILD_COMMAND: &str = "cd tools/yamlcheck && GOTOOLCHAIN=local GOFLAGS=-mod=mod \
                             CGO_ENABLED=0 go build -o ~/.cache/helmsync-tools/bin/yamlcheck .";

/// Builds tools/yamlcheck (a no-op when Go's cache is warm) and returns its path.
fn yamlcheck_binary() -> PathBuf {
    let tools = std::env::var_os("HELMSYNC_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
                .join(".cache/helmsync-tools")
        });
    let binary = tools.join("bin/yamlcheck");
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(repo_root().join("tools/yamlcheck"))
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=mod")
        .env("CGO_ENABLED", "0")
        .status();
    match status {
        Ok(s) if s.success() => binary,
        Ok(s) => panic!("building the Go reference failed ({s}); run: {BUILD_COMMAND}"),
        Err(e) => panic!("cannot run go to build the Go reference ({e}); run: {BUILD_COMMAND}"),
    }
}

/// Asks Go for every case's outcome.
fn go_outcomes(cases: &[Case]) -> Vec<Outcome> {
    let mut child = Command::new(yamlcheck_binary())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("yamlcheck starts");
    let mut stdin = child.stdin.take().unwrap();
    let requests: String = cases
        .iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("op".into(), Value::from(c.op.as_str()));
            m.insert("input".into(), Value::from(c.input.as_str()));
            format!("{}\n", json::to_raw_json(&Value::map(m)).unwrap())
        })
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()).unwrap());
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut outcomes = Vec::new();
    for line in stdout.lines() {
        let response = json::parse(&line.unwrap()).unwrap();
        let map = response.as_map().unwrap();
        outcomes.push(match (map.get("ok"), map.get("error")) {
            (Some(Value::String(s)), _) => Outcome::Ok(s.to_string()),
            (_, Some(Value::String(s))) => Outcome::Error(s.to_string()),
            _ => panic!("bad yamlcheck response: {response:?}"),
        });
    }
    writer.join().unwrap();
    assert!(child.wait().unwrap().success(), "yamlcheck failed");
    assert_eq!(outcomes.len(), cases.len(), "yamlcheck answered every case");
    outcomes
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    out
}

/// A typed value (see tools/yamlcheck): `{"$int": "N"}` and friends become Go's types.
fn typed(v: Value) -> Value {
    match v {
        Value::Map(m) => {
            let m = m.into_map();
            if m.len() == 1 {
                let (k, inner) = m.iter().next().unwrap();
                if let Value::String(s) = inner {
                    match k.as_str() {
                        "$int" => return Value::Int(s.parse().unwrap(), IntKind::Int64),
                        "$uint" => return Value::Uint(s.parse().unwrap()),
                        "$bytes" => return Value::Bytes(Arc::from(decode_base64(s))),
                        "$float" => {
                            return Value::Float(match &**s {
                                "NaN" => f64::NAN,
                                "+Inf" => f64::INFINITY,
                                _ => f64::NEG_INFINITY,
                            });
                        }
                        _ => {}
                    }
                }
            }
            let m: BTreeMap<String, Value> = m.into_iter().map(|(k, v)| (k, typed(v))).collect();
            Value::map(m)
        }
        Value::List(items, _) => {
            Value::list(Arc::unwrap_or_clone(items).into_iter().map(typed).collect())
        }
        other => other,
    }
}

fn dump(v: &Value) -> Outcome {
    Outcome::Ok(json::to_raw_json(v).unwrap())
}

fn outcome<E: std::fmt::Display>(r: Result<String, E>) -> Outcome {
    match r {
        Ok(s) => Outcome::Ok(s),
        Err(e) => Outcome::Error(e.to_string()),
    }
}

/// What helmsync produces for a case.
fn helmsync_outcome(case: &Case) -> Outcome {
    let input = case.input.as_str();
    let result: Result<Outcome, String> = match case.op.as_str() {
        "parse" => yaml::parse(input)
            .map(|v| dump(&v))
            .map_err(|e| e.to_string()),
        "parse_map" => yaml::parse_map(input)
            .map(|m| dump(&Value::map(m)))
            .map_err(|e| e.to_string()),
        "parse_list" => yaml::parse_list(input)
            .map(|l| dump(&Value::list(l)))
            .map_err(|e| e.to_string()),
        "load_values" => yaml::load_values(input)
            .map(|m| dump(&Value::map(m)))
            .map_err(|e| e.to_string()),
        "roundtrip" => Ok(outcome(yaml::parse(input).and_then(|v| yaml::to_yaml(&v)))),
        "jsonparse" => json::parse(input)
            .map(|v| dump(&v))
            .map_err(|e| e.to_string()),
        op => {
            let value = typed(json::parse(input).expect("typed input is JSON"));
            Ok(match op {
                "toyaml" => outcome(yaml::to_yaml(&value)),
                "tojson" => outcome(json::to_json(&value)),
                "toprettyjson" => outcome(json::to_pretty_json(&value)),
                "torawjson" => outcome(json::to_raw_json(&value)),
                _ => panic!("case {:?}: unknown op {op:?}", case.name),
            })
        }
    };
    result.unwrap_or_else(Outcome::Error)
}

fn show(o: &Outcome) -> String {
    match o {
        Outcome::Ok(s) => format!("ok:\n{s}"),
        Outcome::Error(s) => format!("error:\n{s}"),
    }
}

#[test]
fn yaml_and_json_match_go_for_every_case() {
    let dir = repo_root().join("testdata/yaml");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    files.sort();
    let per_file: Vec<(PathBuf, Vec<Case>)> = files
        .into_iter()
        .map(|f| {
            let c = parse_cases(&f);
            (f, c)
        })
        .collect();
    let all: Vec<Case> = per_file.iter().flat_map(|(_, c)| c.clone()).collect();
    let go = go_outcomes(&all);
    let update = std::env::var_os("HELMSYNC_UPDATE_CASES").is_some();
    let mut failures = Vec::new();
    let mut index = 0;
    for (path, cases) in &per_file {
        let mut updated = cases.clone();
        for case in updated.iter_mut() {
            let from_go = &go[index];
            index += 1;
            if update {
                case.expected = Some(from_go.clone());
            } else if case.expected.as_ref() != Some(from_go) {
                failures.push(format!(
                    "{} / {}: the recorded output is not Go's (rerun with HELMSYNC_UPDATE_CASES=1)\n--- recorded {}\n--- go {}",
                    path.display(),
                    case.name,
                    case.expected.as_ref().map_or("nothing".into(), show),
                    show(from_go)
                ));
                continue;
            }
            let ours = helmsync_outcome(case);
            if &ours != from_go {
                failures.push(format!(
                    "{} / {} ({}):\n--- input\n{}\n--- go {}\n--- helmsync {}",
                    path.display(),
                    case.name,
                    case.op,
                    case.input,
                    show(from_go),
                    show(&ours)
                ));
            }
        }
        if update {
            write_cases(path, &updated);
        }
    }
    assert!(
        all.len() >= 150,
        "the corpus has at least 150 cases, found {}",
        all.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Go:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}
