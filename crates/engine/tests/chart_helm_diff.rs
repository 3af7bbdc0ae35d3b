//! Dependency processing and values coalescing against the real `helm` CLI: each case of
//! testdata/charts/loader/cases.yaml is rendered by `helm template` (whose test charts print
//! `toYaml .Values` from every template) and compared with the values helmsync gives each
//! chart, written with `yaml::to_yaml`.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use helmsync_engine::{Map, Value, chart, gofmt, json, values, yaml};

/// The Kubernetes version passed to helm, so that it never asks a cluster.
const KUBE_VERSION: &str = "1.30.0";

fn repo_dir() -> PathBuf {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR"));
    engine.ancestors().nth(2).unwrap_or(engine).to_path_buf()
}

fn loader_dir() -> PathBuf {
    repo_dir().join("testdata/charts/loader")
}

/// The helm CLI that tools/build makes; its absence fails the test with how to build it.
fn helm_path() -> Result<PathBuf, String> {
    let out = Command::new(repo_dir().join("tools/build"))
        .args(["--path", "helm4"])
        .output()
        .map_err(|e| format!("cannot run tools/build --path helm4: {e}"))?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !out.status.success() || !path.is_file() {
        return Err(format!(
            "the helm CLI is not built; run: tools/build helm4 (expected at {})",
            path.display()
        ));
    }
    Ok(path)
}

#[derive(Debug)]
struct Case {
    name: String,
    chart: String,
    values: Vec<String>,
    set: Vec<String>,
    error: Option<String>,
}

fn strings(map: &Map, key: &str) -> Vec<String> {
    map.get(key)
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn load_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(loader_dir().join("cases.yaml")).unwrap();
    let parsed = yaml::parse(&text).unwrap();
    parsed
        .as_list()
        .unwrap()
        .iter()
        .map(|item| {
            let map = item.as_map().unwrap();
            let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
            Case {
                name: text("name").unwrap(),
                chart: text("chart").unwrap(),
                values: strings(&map, "values"),
                set: strings(&map, "set"),
                error: text("error"),
            }
        })
        .collect()
}

fn value_paths(case: &Case) -> Vec<String> {
    let dir = loader_dir().join("values");
    case.values
        .iter()
        .map(|f| dir.join(f).display().to_string())
        .collect()
}

/// `helm template`'s output: each document's content by its `# Source:` name.
fn parse_helm_output(stdout: &str) -> BTreeMap<String, String> {
    let mut documents = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    let mut lines = stdout.lines().peekable();
    while let Some(line) = lines.next() {
        let next_is_source = lines.peek().is_some_and(|l| l.starts_with("# Source: "));
        if line == "---" && next_is_source {
            if let Some((name, content)) = current.take() {
                documents.insert(name, content.trim().to_owned());
            }
            let source = lines.next().unwrap_or_default();
            current = Some((source["# Source: ".len()..].to_owned(), String::new()));
            continue;
        }
        if let Some((_, content)) = current.as_mut() {
            content.push_str(line);
            content.push('\n');
        }
    }
    if let Some((name, content)) = current {
        documents.insert(name, content.trim().to_owned());
    }
    documents
}

fn run_helm(helm: &Path, home: &Path, case: &Case) -> Result<BTreeMap<String, String>, String> {
    let mut command = Command::new(helm);
    command
        .args(["template", "release-name"])
        .arg(loader_dir().join(&case.chart))
        .args(["--kube-version", KUBE_VERSION]);
    for path in value_paths(case) {
        command.args(["-f", &path]);
    }
    for set in &case.set {
        command.args(["--set", set]);
    }
    for (var, dir) in [
        ("HELM_CACHE_HOME", "cache"),
        ("HELM_CONFIG_HOME", "config"),
        ("HELM_DATA_HOME", "data"),
    ] {
        command.env(var, home.join(dir));
    }
    let out = command
        .output()
        .map_err(|e| format!("cannot run helm: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(parse_helm_output(&String::from_utf8_lossy(&out.stdout)))
}

/// What helmsync renders for the case's charts: each template's chart's values as YAML.
fn run_helmsync(case: &Case) -> Result<BTreeMap<String, String>, String> {
    let options = values::ValueOptions {
        value_files: value_paths(case),
        values: case.set.clone(),
        ..values::ValueOptions::default()
    };
    let user = values::merge_values(&options, |p| {
        std::fs::read_to_string(p).map_err(|e| e.to_string())
    })
    .map_err(|e| e.to_string())?;
    let mut loaded = chart::load(&loader_dir().join(&case.chart)).map_err(|e| e.to_string())?;
    chart::check_installable(&loaded).map_err(|e| e.to_string())?;
    chart::check_dependencies(&loaded).map_err(|e| e.to_string())?;
    chart::process_dependencies(&mut loaded, &user).map_err(|e| e.to_string())?;
    let coalesced = chart::coalesce_values(&loaded, &user).map_err(|e| e.to_string())?;

    let nodes = loaded.nodes();
    let paths = chart::Chart::full_paths(&nodes);
    let mut scoped: Vec<Map> = Vec::with_capacity(nodes.len());
    let mut documents = BTreeMap::new();
    for (node, path) in nodes.iter().zip(&paths) {
        let values = match node.parent {
            None => coalesced.clone(),
            Some(parent) => scoped[parent]
                .get(node.chart.name())
                .and_then(Value::as_map)
                .map(|m| m.as_ref().clone())
                .unwrap_or_default(),
        };
        let text = yaml::to_yaml(&Value::map(values.clone())).map_err(|e| e.to_string())?;
        for template in &node.chart.templates {
            let partial = template
                .name
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .starts_with('_');
            if !node.chart.is_library() && !partial {
                documents.insert(format!("{path}/{}", template.name), text.trim().to_owned());
            }
        }
        scoped.push(values);
    }
    Ok(documents)
}

fn describe_difference(
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) -> String {
    let mut report = String::new();
    for (name, content) in expected {
        match actual.get(name) {
            None => report.push_str(&format!("  helm rendered {name}, helmsync did not\n")),
            Some(ours) if ours != content => report.push_str(&format!(
                "  {name} differs\n--- helm\n{content}\n--- helmsync\n{ours}\n"
            )),
            Some(_) => {}
        }
    }
    for name in actual.keys().filter(|n| !expected.contains_key(*n)) {
        report.push_str(&format!("  helmsync rendered {name}, helm did not\n"));
    }
    report
}

#[test]
fn dependencies_and_coalesced_values_match_helm_template() {
    let helm = helm_path().unwrap_or_else(|e| panic!("{e}"));
    let home = tempfile::tempdir().unwrap();
    let cases = load_cases();
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let helm_result = run_helm(&helm, home.path(), case);
        let ours = run_helmsync(case);
        let failure = match (&case.error, helm_result, ours) {
            (None, Ok(expected), _) if expected.is_empty() => {
                Some("  helm rendered nothing\n".to_owned())
            }
            (None, Ok(expected), Ok(actual)) if expected == actual => None,
            (None, Ok(expected), Ok(actual)) => Some(describe_difference(&expected, &actual)),
            (Some(want), Err(helm_error), Err(our_error)) => {
                let ok = helm_error.contains(want.as_str()) && our_error == *want;
                (!ok).then(|| format!("  helm: {helm_error}  helmsync: {our_error}\n"))
            }
            (_, helm_result, ours) => Some(format!(
                "  expected error: {:?}\n  helm: {helm_result:?}\n  helmsync: {ours:?}\n",
                case.error
            )),
        };
        if let Some(failure) = failure {
            failures.push(format!("case {:?}:\n{failure}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from helm:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn chart_metadata_reaches_templates_as_helm_gives_it() {
    let helm = helm_path().unwrap_or_else(|e| panic!("{e}"));
    let home = tempfile::tempdir().unwrap();
    let case = Case {
        name: "metadata".into(),
        chart: "metadata".into(),
        values: Vec::new(),
        set: Vec::new(),
        error: None,
    };
    let expected = run_helm(&helm, home.path(), &case).unwrap();
    let mut loaded = chart::load(&loader_dir().join("metadata")).unwrap();
    chart::process_dependencies(&mut loaded, &Map::new()).unwrap();
    let nodes = loaded.nodes();
    let paths = chart::Chart::full_paths(&nodes);
    let mut actual = BTreeMap::new();
    for (node, path) in nodes.iter().zip(&paths) {
        let metadata = node.chart.template_metadata(node.parent.is_none());
        let printed = gofmt::quote(&gofmt::sprint(std::slice::from_ref(&metadata)));
        let text = format!(
            "json: {}\nprinted: {printed}",
            json::to_json(&metadata).unwrap()
        );
        actual.insert(format!("{path}/templates/chart.yaml"), text);
    }
    assert_eq!(expected.len(), 2, "{expected:?}");
    assert!(
        expected == actual,
        "{}",
        describe_difference(&expected, &actual)
    );
}

#[test]
fn helmignore_rules_leave_the_files_helm_leaves() {
    let helm = helm_path().unwrap_or_else(|e| panic!("{e}"));
    let home = tempfile::tempdir().unwrap();
    let case = Case {
        name: "ignored".into(),
        chart: "ignored".into(),
        values: Vec::new(),
        set: Vec::new(),
        error: None,
    };
    let expected = run_helm(&helm, home.path(), &case).unwrap();
    let loaded = chart::load(&loader_dir().join("ignored")).unwrap();
    let names: Vec<&str> = loaded.files.iter().map(|f| f.name.as_str()).collect();
    let listed: String = names.iter().map(|n| format!("{n} ")).collect();
    let mut actual = BTreeMap::new();
    actual.insert(
        "ignored/templates/files.yaml".to_owned(),
        format!("files: {listed}").trim().to_owned(),
    );
    assert!(
        expected == actual,
        "{}",
        describe_difference(&expected, &actual)
    );
    let templates: Vec<&str> = loaded.templates.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(templates, ["templates/files.yaml"]);
}
