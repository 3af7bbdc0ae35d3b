//! The differential corpus of `helmsync_engine::semver`: every case in testdata/semver/*.case
//! is answered by helmsync and by Masterminds/semver itself (tools/semvercheck), and both
//! answers must equal the expectation written in the file.
//!
//! The case format and the operations are described in tools/semvercheck (casefile.go,
//! ops.go). To add cases, write them without `=> ...` and fill the expectations in with
//! `~/.cache/helmsync-tools/bin/semvercheck bless testdata/semver/*.case`.
#![allow(
    clippy::expect_used,
    reason = "the helpers of a test: a failed expectation fails the test with its message"
)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use helmsync_engine::semver::{Constraints, Error, Version, flux};
use helmsync_engine::{Map, Value, json};

/// How to build the checker at `path`.
fn build_hint(path: &Path) -> String {
    format!(
        "cd tools/semvercheck && GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 \\\n    \
         go build -o {} .",
        path.display()
    )
}

/// How many constraint/version checks the corpus holds at least, so that losing a file
/// does not go unnoticed.
const MIN_CHECK_CASES: usize = 300;

struct Case {
    location: String,
    op: String,
    args: Vec<String>,
    expected: Option<String>,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn checker_path() -> PathBuf {
    let tools = std::env::var_os("HELMSYNC_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").expect("HOME is not set");
            Path::new(&home).join(".cache/helmsync-tools")
        });
    tools.join("bin/semvercheck")
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
        if rest.is_empty() {
            return Case {
                location,
                op: op.to_owned(),
                args,
                expected: None,
            };
        }
        if let Some(expected) = rest.strip_prefix("=>") {
            let expected = expected.strip_prefix(' ').unwrap_or(expected).to_owned();
            return Case {
                location,
                op: op.to_owned(),
                args,
                expected: Some(expected),
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
    let dir = repo_root().join("testdata/semver");
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

fn or_error(result: Result<String, Error>) -> String {
    result.unwrap_or_else(|e| format!("error: {e}"))
}

fn derived(v: Result<Version, Error>) -> String {
    or_error(v.map(|v| format!("{v} original={}", v.original())))
}

fn check(constraint: &str, version: &str, include_prerelease: bool) -> String {
    let mut c = match Constraints::parse(constraint) {
        Ok(c) => c,
        Err(e) => return format!("error: {e}"),
    };
    c.include_prerelease = include_prerelease;
    let v = match Version::parse(version) {
        Ok(v) => v,
        Err(e) => return format!("version error: {e}"),
    };
    match (c.check(&v), c.validate(&v)) {
        (true, Ok(())) => "true".to_owned(),
        (false, Err(reasons)) => format!("false: {}", reasons.join(" | ")),
        (checked, validated) => {
            format!("Check says {checked}, Validate says {}", validated.is_ok())
        }
    }
}

fn index_version(requested: &str, specs: &[String]) -> String {
    let entries: Vec<(&str, i64)> = specs
        .iter()
        .map(|spec| {
            let (version, created) = spec.split_once('@').expect("VERSION@CREATED");
            (version, created.parse().expect("integer CREATED"))
        })
        .collect();
    or_error(
        flux::latest_index_version("chart", requested, &entries)
            .map(|i| format!("#{i} {}", entries[i].0)),
    )
}

/// helmsync's answer, in the text tools/semvercheck gives for the same operation.
fn answer(op: &str, args: &[String]) -> String {
    match (op, args) {
        ("version", [v]) => or_error(Version::parse(v).map(|v| v.to_string())),
        ("strict", [v]) => or_error(Version::parse_strict(v).map(|v| v.to_string())),
        ("flux", [v]) => or_error(flux::parse_version(v).map(|v| v.to_string())),
        ("compare", [a, b]) => or_error(
            Version::parse(a)
                .and_then(|a| Version::parse(b).map(|b| (a.compare(&b) as i8).to_string())),
        ),
        ("constraint", [c]) => or_error(Constraints::parse(c).map(|c| c.to_string())),
        ("check", [c, v]) => check(c, v, false),
        ("check-pre", [c, v]) => check(c, v, true),
        ("inc-patch", [v]) => derived(Version::parse(v).and_then(|v| v.inc_patch())),
        ("inc-minor", [v]) => derived(Version::parse(v).and_then(|v| v.inc_minor())),
        ("inc-major", [v]) => derived(Version::parse(v).and_then(|v| v.inc_major())),
        ("set-pre", [v, p]) => derived(Version::parse(v).and_then(|v| v.set_prerelease(p))),
        ("set-meta", [v, m]) => derived(Version::parse(v).and_then(|v| v.set_metadata(m))),
        ("registry-tags", tags) => flux::registry_tags(tags).join(" "),
        ("oci-tag", [requested, tags @ ..]) => or_error(flux::latest_oci_tag(tags, requested)),
        ("semver-tag", [expression, tags @ ..]) => {
            or_error(flux::latest_tag_by_semver(tags, expression))
        }
        ("index-version", [requested, specs @ ..]) => index_version(requested, specs),
        _ => panic!("unknown operation {op} with {} arguments", args.len()),
    }
}

/// Masterminds' answers, from one run of the checker.
fn go_answers(cases: &[Case]) -> Vec<String> {
    let checker = checker_path();
    assert!(
        checker.exists(),
        "the Go checker {} is not built; build it with:\n  {}",
        checker.display(),
        build_hint(&checker)
    );
    let mut child = Command::new(&checker)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", checker.display()));
    let requests: Vec<String> = cases
        .iter()
        .map(|case| {
            let args: Vec<Value> = case.args.iter().map(|a| Value::from(a.as_str())).collect();
            let mut request = Map::new();
            request.insert("op".to_owned(), Value::from(case.op.as_str()));
            request.insert("args".to_owned(), Value::from(args));
            json::to_json(&Value::from(request)).expect("request encodes")
        })
        .collect();
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Written from another thread so a full pipe in either direction cannot deadlock.
    let writer = std::thread::spawn(move || {
        for request in requests {
            writeln!(stdin, "{request}").expect("checker reads its requests");
        }
    });
    let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let answers: Vec<String> = stdout
        .lines()
        .map(|line| {
            let line = line.expect("checker output");
            let response = json::parse(&line).expect("checker answers JSON");
            let response = response.as_map().expect("an object");
            match (response.get("result"), response.get("error")) {
                (Some(Value::String(result)), _) => result.to_string(),
                (_, error) => panic!("the checker rejected a request: {error:?}"),
            }
        })
        .collect();
    writer.join().expect("writer thread");
    assert!(
        child.wait().expect("checker exits").success(),
        "the checker failed"
    );
    assert_eq!(
        answers.len(),
        cases.len(),
        "the checker answered every case"
    );
    answers
}

#[test]
fn semver_corpus_matches_masterminds_and_its_expectations() {
    let cases = load_cases();
    let checks = cases.iter().filter(|c| c.op.starts_with("check")).count();
    assert!(
        checks >= MIN_CHECK_CASES,
        "only {checks} check cases in testdata/semver"
    );
    let go = go_answers(&cases);
    let mut failures = Vec::new();
    for (case, go) in cases.iter().zip(&go) {
        let rust = answer(&case.op, &case.args);
        let Some(expected) = &case.expected else {
            failures.push(format!(
                "{}: no expectation (Go says {go:?})",
                case.location
            ));
            continue;
        };
        if *go != *expected {
            failures.push(format!(
                "{}: stale expectation {expected:?}, Go says {go:?}",
                case.location
            ));
        }
        if rust != *expected {
            let args = case
                .args
                .iter()
                .map(|a| format!("{a:?}"))
                .collect::<Vec<_>>()
                .join(" ");
            failures.push(format!(
                "{}: {} {args}\n    expected {expected:?}\n    helmsync {rust:?}",
                case.location, case.op
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} semver cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
