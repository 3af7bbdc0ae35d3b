//! Unit tests of the index reader and version resolution.
#![allow(clippy::unwrap_used)]
use super::*;

const INDEX: &str = r#"apiVersion: v1
entries:
  other:
  - name: other
    version: 9.9.9
    urls: [other-9.9.9.tgz]
    maintainers: [{name: a, email: b}]
  app:
  - name: app
    version: 1.2.0
    created: "2026-01-02T00:00:00Z"
    digest: abc
    urls:
    - app-1.2.0.tgz
  - name: app
    version: 1.3.0-rc.1
    urls: [app-1.3.0-rc.1.tgz]
  - name: app
    version: 1.1.0
    urls: []
  -
  - name: app
    version: not-a-version
generated: "2026-01-02T00:00:00Z"
"#;

fn read(text: &str, chart: &str) -> Result<Vec<ChartVersion>, IndexError> {
    read_chart_versions(text.as_bytes(), chart, &IndexLimits::default())
}

#[test]
fn keeps_only_the_requested_chart_and_drops_entries_helm_drops() {
    let versions = read(INDEX, "app").unwrap();
    let names: Vec<&str> = versions.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(names, ["1.2.0", "1.3.0-rc.1", "1.1.0"]);
    assert_eq!(versions[0].digest.as_deref(), Some("abc"));
    assert_eq!(versions[0].urls, ["app-1.2.0.tgz"]);
}

#[test]
fn resolves_exact_then_stable_then_constraint() {
    let versions = read(INDEX, "app").unwrap();
    let pick = |req: &str| resolve_version("app", &versions, req).map(|v| v.version.clone());
    assert_eq!(pick("").unwrap(), "1.2.0");
    assert_eq!(pick("*").unwrap(), "1.2.0");
    assert_eq!(pick("1.3.0-rc.1").unwrap(), "1.3.0-rc.1");
    assert_eq!(pick(">=1.0.0-0").unwrap(), "1.3.0-rc.1");
    assert_eq!(pick("~1.1").unwrap(), "1.1.0");
    assert_eq!(
        pick("2.x").unwrap_err().to_string(),
        "no 'app' chart with version matching '2.x' found"
    );
}

#[test]
fn an_entry_without_urls_is_reported_by_name_and_version() {
    let err = find_chart_version(INDEX.as_bytes(), "app", "1.1.0", &IndexLimits::default());
    assert_eq!(err.unwrap_err().to_string(), "entry app-1.1.0 has no URLs");
}

#[test]
fn ties_of_equal_precedence_go_to_the_newest_entry() {
    let text = r#"{"apiVersion":"v1","entries":{"app":[
        {"version":"1.0.0+a","created":"2026-01-01T00:00:00Z","urls":["a"]},
        {"version":"1.0.0+b","created":"2026-03-01T00:00:00+01:00","urls":["b"]}]}}"#;
    let versions = read(text, "app").unwrap();
    assert_eq!(
        resolve_version("app", &versions, "").unwrap().version,
        "1.0.0+b"
    );
}

#[test]
fn bad_indexes_name_what_is_wrong() {
    let err = |text: &str| read(text, "app").unwrap_err().to_string();
    assert_eq!(err(""), "index.yaml: empty index.yaml file");
    let invalid = read_chart_versions(&b"apiVersion: \xff"[..], "app", &IndexLimits::default());
    assert!(invalid.unwrap_err().to_string().starts_with("index.yaml: "));
    assert_eq!(err("entries: {}\n"), "index.yaml: no apiVersion");
    assert_eq!(
        err("- a\n"),
        "index.yaml: line 1: the index must be a mapping"
    );
    assert_eq!(
        err("apiVersion: v1\nentries: {}\n"),
        "chart 'app' not found in index"
    );
    assert!(
        err("apiVersion: v1\nentries:\n  app: [\n").starts_with("index.yaml: line "),
        "{}",
        err("apiVersion: v1\nentries:\n  app: [\n")
    );
    let deep = format!(
        "apiVersion: v1\nx: {}{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    assert_eq!(
        err(&deep),
        "index.yaml: line 2: nested deeper than 64 levels"
    );
}

#[test]
fn limits_are_enforced() {
    let limits = IndexLimits {
        max_size: 64,
        ..IndexLimits::default()
    };
    let big = format!(
        "apiVersion: v1\nentries: {{}}\npad: {}\n",
        "x".repeat(100_000)
    );
    let err = read_chart_versions(big.as_bytes(), "app", &limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "index.yaml: larger than the limit of 64 bytes"
    );
    let limits = IndexLimits {
        max_versions: 2,
        ..IndexLimits::default()
    };
    let err = read_chart_versions(INDEX.as_bytes(), "app", &limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "index.yaml: chart 'app' has more than 2 entries"
    );
}

#[test]
fn inputs_the_yaml_scanner_cannot_read_are_errors() {
    // libyaml-safer panics on a tag followed by ',' inside a flow collection.
    let index = "apiVersion: v1\nentries:\n  smoke: [!a,b]\n";
    let err = read_chart_versions(index.as_bytes(), "smoke", &IndexLimits::default())
        .expect_err("an unreadable index is an error");
    assert!(err.to_string().contains("cannot read"), "{err}");
}
