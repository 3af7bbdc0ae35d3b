//! The differential corpus of values.schema.json validation: every case in
//! testdata/values/schema/*.case is answered by helmsync and by Helm itself
//! (tools/strvalscheck), and both answers must equal the expectation written in the file.
//!
//! The case format is described in tools/strvalscheck/casefile.go. To add cases, write them
//! without an expect section and fill it in with
//! `~/.cache/helmsync-tools/bin/strvalscheck bless testdata/values/schema/*.case`.
#![allow(
    clippy::expect_used,
    reason = "the helpers of a test: a failed expectation fails the test with its message"
)]

mod values_support;

use helmsync_engine::values::{self, SchemaChart};
use helmsync_engine::yaml;
use values_support::{go_answers, values_dir};

/// How many cases the corpus holds at least, so that losing a file does not go unnoticed.
const MIN_CASES: usize = 40;

struct Case {
    location: String,
    name: String,
    values: String,
    set: String,
    /// (path, schema) per chart, parents first; an empty schema means none.
    charts: Vec<(String, String)>,
    expected: Option<String>,
}

fn load_cases() -> Vec<Case> {
    let dir = values_dir().join("schema");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable case file");
        let file = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        cases.extend(parse_file(&file, &text));
    }
    cases
}

/// One section being read: its kind, argument and lines.
struct Section {
    kind: String,
    arg: String,
    lines: Vec<String>,
}

fn parse_file(file: &str, text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut current: Option<(String, usize, Vec<Section>)> = None;
    let mut finish = |current: Option<(String, usize, Vec<Section>)>| {
        if let Some((name, line, sections)) = current {
            cases.push(build_case(format!("{file}:{line}"), name, sections));
        }
    };
    for (n, line) in text.lines().enumerate() {
        if let Some(name) = line.strip_prefix("=== case: ") {
            finish(current.take());
            current = Some((name.trim().to_owned(), n + 1, Vec::new()));
            continue;
        }
        let Some((_, _, sections)) = current.as_mut() else {
            continue;
        };
        if let Some(header) = line.strip_prefix("--- ") {
            let (kind, arg) = header.split_once(' ').unwrap_or((header, ""));
            if ["values", "set", "schema", "expect"].contains(&kind) {
                sections.push(Section {
                    kind: kind.to_owned(),
                    arg: arg.to_owned(),
                    lines: Vec::new(),
                });
                continue;
            }
        }
        sections
            .last_mut()
            .unwrap_or_else(|| panic!("{file}:{}: text before the first section", n + 1))
            .lines
            .push(line.to_owned());
    }
    finish(current);
    cases
}

fn build_case(location: String, name: String, sections: Vec<Section>) -> Case {
    let mut case = Case {
        location,
        name,
        values: String::new(),
        set: String::new(),
        charts: Vec::new(),
        expected: None,
    };
    for section in sections {
        let content = section.lines.join("\n");
        match section.kind.as_str() {
            "values" => case.values = content,
            "set" => case.set = content,
            "schema" => case.charts.push((section.arg, content)),
            _ => case.expected = Some(expectation(&section.arg, &section.lines)),
        }
    }
    case
}

/// The checker's answer an expect section stands for.
fn expectation(arg: &str, lines: &[String]) -> String {
    if lines == ["valid"] {
        return "valid".to_owned();
    }
    let message: Vec<&str> = lines
        .iter()
        .map(|l| {
            l.strip_prefix("| ")
                .unwrap_or(l.strip_prefix('|').unwrap_or(l))
        })
        .collect();
    let kind = if arg == "unordered" {
        "unordered"
    } else {
        "error"
    };
    format!("{kind}\n{}", message.join("\n"))
}

/// A chart of a case: a name, a schema and subcharts.
struct TestChart {
    name: String,
    schema: Option<Vec<u8>>,
    dependencies: Vec<TestChart>,
}

impl SchemaChart for TestChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn schema(&self) -> Option<&[u8]> {
        self.schema.as_deref()
    }

    fn dependencies(&self) -> Vec<&TestChart> {
        self.dependencies.iter().collect()
    }
}

fn build_charts(charts: &[(String, String)]) -> TestChart {
    let (root_path, root_schema) = charts.first().expect("a chart");
    let mut root = TestChart {
        name: root_path.clone(),
        schema: (!root_schema.is_empty()).then(|| root_schema.clone().into_bytes()),
        dependencies: Vec::new(),
    };
    for (path, schema) in &charts[1..] {
        let mut names = path.split('/').skip(1).peekable();
        let mut parent = &mut root;
        while let Some(name) = names.next() {
            if names.peek().is_none() {
                parent.dependencies.push(TestChart {
                    name: name.to_owned(),
                    schema: (!schema.is_empty()).then(|| schema.clone().into_bytes()),
                    dependencies: Vec::new(),
                });
                break;
            }
            parent = parent
                .dependencies
                .iter_mut()
                .find(|c| c.name == name)
                .unwrap_or_else(|| panic!("chart {path} comes before its parent"));
        }
    }
    root
}

/// The checker's sorting of sibling "- " blocks (see tools/strvalscheck/schema.go).
fn canonical(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    sort_items(&lines).join("\n")
}

fn item_depth(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    (trimmed.starts_with("- ") && indent.is_multiple_of(2)).then_some(indent / 2)
}

fn sort_items(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(depth) = item_depth(lines[i]) else {
            out.push(lines[i].to_owned());
            i += 1;
            continue;
        };
        let mut blocks = Vec::new();
        while i < lines.len() && item_depth(lines[i]) == Some(depth) {
            let mut j = i + 1;
            while j < lines.len() && item_depth(lines[j]).is_some_and(|d| d > depth) {
                j += 1;
            }
            let mut block = vec![lines[i].to_owned()];
            block.extend(sort_items(&lines[i + 1..j]));
            blocks.push(block.join("\n"));
            i = j;
        }
        blocks.sort();
        out.extend(blocks);
    }
    out
}

/// helmsync's answer, in the checker's form: "valid", or "error\n" and the message.
fn answer(case: &Case) -> String {
    let mut values = yaml::load_values(&case.values).expect("case values are YAML");
    if !case.set.is_empty() {
        values::parse_set(&mut values, &case.set).expect("case --set line parses");
    }
    let chart = build_charts(&case.charts);
    match values::validate_against_schema(&chart, &values) {
        Ok(()) => "valid".to_owned(),
        Err(e) => format!("error\n{e}"),
    }
}

/// Whether helmsync's answer matches an expectation (sibling order aside when Helm's
/// order is random).
fn matches(rust: &str, expected: &str) -> bool {
    match (
        expected.strip_prefix("unordered\n"),
        rust.strip_prefix("error\n"),
    ) {
        (Some(want), Some(got)) => canonical(got) == want,
        _ => rust == expected,
    }
}

#[test]
fn schema_corpus_matches_its_expectations() {
    let cases = load_cases();
    assert!(
        cases.len() >= MIN_CASES,
        "only {} cases in testdata/values/schema",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let rust = answer(case);
        match &case.expected {
            None => failures.push(format!("{} {}: no expectation", case.location, case.name)),
            Some(expected) if !matches(&rust, expected) => failures.push(format!(
                "{} {}\n--- expected\n{expected}\n--- helmsync\n{rust}",
                case.location, case.name
            )),
            Some(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} schema cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn schema_expectations_are_what_helm_answers() {
    let cases = load_cases();
    let requests: Vec<(String, Vec<String>)> = cases
        .iter()
        .map(|case| {
            let mut args = vec![case.values.clone(), case.set.clone()];
            for (path, schema) in &case.charts {
                args.push(path.clone());
                args.push(schema.clone());
            }
            ("schema".to_owned(), args)
        })
        .collect();
    let go = go_answers(&requests);
    let stale: Vec<String> = cases
        .iter()
        .zip(&go)
        .filter(|(case, go)| case.expected.as_deref() != Some(go.as_str()))
        .map(|(case, go)| {
            format!(
                "{} {}\n--- expected\n{:?}\n--- Helm says\n{go}",
                case.location, case.name, case.expected
            )
        })
        .collect();
    assert!(
        stale.is_empty(),
        "{} expectations differ from Helm's answers (re-bless them):\n{}",
        stale.len(),
        stale.join("\n\n")
    );
}
