//! The differential corpus of `helmsync_engine::values`' `--set` parsers and
//! `merge_values`: every case in testdata/values/strvals/*.case is answered by helmsync and
//! by Helm itself (tools/strvalscheck), and both answers must equal the expectation written
//! in the file.
//!
//! The case format and the operations are described in tools/strvalscheck (casefile.go,
//! ops.go). To add cases, write them without `=> ...` and fill the expectations in with
//! `~/.cache/helmsync-tools/bin/strvalscheck bless testdata/values/strvals/*.case`.
#![allow(
    clippy::expect_used,
    reason = "the helpers of a test: a failed expectation fails the test with its message"
)]

mod values_support;

use std::path::PathBuf;

use helmsync_engine::values::{self, ValueOptions};
use helmsync_engine::{Map, Value, json};
use values_support::{dump, go_answers, read_test_file, values_dir};

/// How many cases the corpus holds at least, so that losing a file does not go unnoticed.
const MIN_CASES: usize = 250;

struct Case {
    location: String,
    op: String,
    args: Vec<String>,
    expected: Option<String>,
}

/// The index just past the JSON string literal `s` starts with.
fn string_literal_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

fn parse_case(location: String, line: &str) -> Case {
    let (op, mut rest) = line.split_once(' ').unwrap_or((line, ""));
    let mut args = Vec::new();
    loop {
        rest = rest.trim_start_matches(' ');
        if rest.is_empty() || rest.starts_with("=>") {
            let expected = rest
                .strip_prefix("=>")
                .map(|e| e.strip_prefix(' ').unwrap_or(e).to_owned());
            return Case {
                location,
                op: op.to_owned(),
                args,
                expected,
            };
        }
        let end = rest
            .starts_with('"')
            .then(|| string_literal_end(rest))
            .flatten()
            .unwrap_or_else(|| panic!("{location}: expected a JSON string or =>: {rest}"));
        match json::parse(&rest[..end]) {
            Ok(Value::String(s)) => args.push(s.to_string()),
            other => panic!("{location}: bad string {}: {other:?}", &rest[..end]),
        }
        rest = &rest[end..];
    }
}

fn load_cases() -> Vec<Case> {
    let dir = values_dir().join("strvals");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable case file");
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            cases.push(parse_case(format!("{name}:{}", n + 1), line));
        }
    }
    cases
}

/// helmsync's answer, in the text tools/strvalscheck gives for the same operation.
fn answer(op: &str, args: &[String]) -> String {
    if op == "merge" {
        return merge(args);
    }
    let mut dest = Map::new();
    for arg in args {
        let result = match op {
            "set" => values::parse_set(&mut dest, arg),
            "set-string" => values::parse_set_string(&mut dest, arg),
            "set-json" => values::parse_set_json(&mut dest, arg),
            "set-literal" => values::parse_set_literal(&mut dest, arg),
            "set-file" => values::parse_set_file(&mut dest, arg, read_test_file),
            _ => panic!("unknown operation {op}"),
        };
        if let Err(e) = result {
            return format!("{} error: {e}", dump(&Value::map(dest)));
        }
    }
    dump(&Value::map(dest))
}

fn merge(args: &[String]) -> String {
    let mut options = ValueOptions::default();
    for arg in args {
        let (flag, value) = arg.split_once('=').expect("FLAG=VALUE");
        let list = match flag {
            "-f" => &mut options.value_files,
            "--set-json" => &mut options.json_values,
            "--set" => &mut options.values,
            "--set-string" => &mut options.string_values,
            "--set-file" => &mut options.file_values,
            "--set-literal" => &mut options.literal_values,
            _ => panic!("unknown merge flag {flag}"),
        };
        list.push(value.to_owned());
    }
    match values::merge_values(&options, read_test_file) {
        Ok(merged) => dump(&Value::map(merged)),
        Err(e) => format!("error: {e}"),
    }
}

fn describe(case: &Case) -> String {
    let args: Vec<String> = case.args.iter().map(|a| format!("{a:?}")).collect();
    format!("{}: {} {}", case.location, case.op, args.join(" "))
}

#[test]
fn strvals_corpus_matches_its_expectations() {
    let cases = load_cases();
    assert!(
        cases.len() >= MIN_CASES,
        "only {} cases in testdata/values/strvals",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let rust = answer(&case.op, &case.args);
        match &case.expected {
            None => failures.push(format!("{}: no expectation", describe(case))),
            Some(expected) if rust != *expected => failures.push(format!(
                "{}\n    expected {expected}\n    helmsync {rust}",
                describe(case)
            )),
            Some(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} strvals cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn strvals_expectations_are_what_helm_answers() {
    let cases = load_cases();
    let requests: Vec<(String, Vec<String>)> = cases
        .iter()
        .map(|c| (c.op.clone(), c.args.clone()))
        .collect();
    let go = go_answers(&requests);
    let stale: Vec<String> = cases
        .iter()
        .zip(&go)
        .filter(|(case, go)| case.expected.as_deref() != Some(go.as_str()))
        .map(|(case, go)| {
            format!(
                "{}\n    expected {:?}\n    Helm says {go}",
                describe(case),
                case.expected
            )
        })
        .collect();
    assert!(
        stale.is_empty(),
        "{} expectations differ from Helm's answers (re-bless them):\n{}",
        stale.len(),
        stale.join("\n")
    );
}
