//! The template corpus (testdata/template/*.case): helmsync's text/template engine must
//! produce what Go's produced for every case, and the stored expectations must be what the
//! Go oracle answers today.
mod support;

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::thread;

use helmsync_engine::chart::{Chart, File, Metadata};
use helmsync_engine::funcs::DeterministicEnvironment;
use helmsync_engine::json;
use helmsync_engine::render::{self, Options, ReleaseOptions};
use helmsync_engine::template::{FuncMap, MissingKey, Template};
use helmsync_engine::{Map, Value};
use support::case_file::{self, Case, MissingKeyOption, Mode, Outcome};
use support::known_differences::{self, KnownDifference};
use support::{diff, oracle, repo_dir};

/// Deep-recursion cases (Go allows 100000 nested template calls) run on a thread with room
/// for them, so a shortfall shows as one failing case rather than a crashed test binary.
const CORPUS_THREAD_STACK: usize = 512 << 20;

/// Failures shown with a full diff; later ones are listed by name only, so that a change
/// breaking many cases at once still gives a readable report.
const MAX_DETAILED_FAILURES: usize = 150;

/// The chart, release and namespace the oracle renders mode=helm cases as.
const HELM_CASE_CHART: &str = "test";
const HELM_CASE_NAMESPACE: &str = "default";

fn load_corpus() -> Vec<Case> {
    let cases = case_file::load_dir(&repo_dir().join("testdata/template"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!cases.is_empty(), "no cases found in testdata/template");
    cases
}

fn load_known_differences() -> Vec<KnownDifference> {
    known_differences::load(&repo_dir().join("testdata/template/KNOWN-DIFFERENCES"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn engine_missing_key(option: MissingKeyOption) -> MissingKey {
    match option {
        MissingKeyOption::Default => MissingKey::Default,
        MissingKeyOption::Zero => MissingKey::Zero,
        MissingKeyOption::Error => MissingKey::Error,
    }
}

/// Runs a mode=go case through helmsync's engine the way the oracle runs it through Go: one
/// set, every template parsed in order, the first executed with the JSON values as data.
fn render_with_helmsync(case: &Case) -> Outcome {
    let data = match json::parse(&case.values) {
        Ok(data) => data,
        Err(e) => return Outcome::Error(format!("values: {e}")),
    };
    let entry = &case.entry_template().name;
    let mut set = Template::new(entry, FuncMap::builtins());
    set.set_missing_key(engine_missing_key(case.missing_key));
    for template in &case.templates {
        if let Err(e) = set.parse(&template.name, &template.text) {
            return Outcome::Error(e.to_string());
        }
    }
    match set.execute(entry, &data) {
        Ok(output) => Outcome::Output(output),
        Err(e) => Outcome::Error(e.to_string()),
    }
}

/// Runs a mode=helm case as the oracle does: the templates are `templates/NAME` of a chart
/// "test" 0.1.0 whose values are the case's, released as "test" in "default", rendered by
/// Helm's engine (strict with missingkey=error); the outcome is the first template's.
fn render_helm_case(case: &Case) -> Outcome {
    let values = match json::parse(&case.values) {
        Ok(Value::Map(values)) => values.into_map(),
        Ok(other) => {
            let type_name = other.type_name();
            return Outcome::Error(format!(
                "mode=helm needs values to be a JSON object, not {type_name}"
            ));
        }
        Err(e) => return Outcome::Error(format!("values: {e}")),
    };
    let chart = Chart {
        metadata: Metadata {
            api_version: "v2".into(),
            name: HELM_CASE_CHART.into(),
            version: "0.1.0".into(),
            ..Metadata::default()
        },
        templates: case
            .templates
            .iter()
            .map(|t| File::new(format!("templates/{}", t.name), t.text.as_bytes().to_vec()))
            .collect(),
        values,
        ..Chart::default()
    };
    let release = ReleaseOptions::install(HELM_CASE_CHART, HELM_CASE_NAMESPACE);
    let mut options = Options::new(release, Arc::new(DeterministicEnvironment::new(0)));
    options.strict = case.missing_key == MissingKeyOption::Error;
    let rendered = render::render_values(&chart, &Map::new(), &options)
        .and_then(|values| render::render_templates(&chart, &values, &options));
    let key = format!("{HELM_CASE_CHART}/templates/{}", case.entry_template().name);
    match rendered {
        Ok(mut files) => match files.remove(&key) {
            Some(output) => Outcome::Output(output),
            None => Outcome::Error(format!(
                "helm rendered no {key} (templates whose name starts with _ are not rendered)"
            )),
        },
        Err(e) => Outcome::Error(e.to_string()),
    }
}

/// helmsync's outcome for a case; a panic in the engine is an outcome too, so one bad case
/// cannot hide the rest.
fn run_case(case: &Case) -> Outcome {
    let render = match case.mode {
        Mode::Helm => render_helm_case,
        Mode::Go => render_with_helmsync,
    };
    panic::catch_unwind(AssertUnwindSafe(|| render(case))).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        Outcome::Error(format!("helmsync panicked: {message}"))
    })
}

fn describe(outcome: &Outcome) -> (&'static str, &str) {
    match outcome {
        Outcome::Output(text) => ("output", text),
        Outcome::Error(text) => ("error", text),
    }
}

/// A readable account of how `actual` differs from `expected`, each side named.
fn mismatch(expected: &Outcome, actual: &Outcome, sides: (&str, &str)) -> String {
    let ((expected_kind, expected_text), (actual_kind, actual_text)) =
        (describe(expected), describe(actual));
    let headline = if expected_kind == actual_kind {
        format!("{expected_kind} differs")
    } else {
        format!(
            "{} gives {expected_kind}, {} gives {actual_kind}",
            sides.0, sides.1
        )
    };
    format!(
        "{headline} (- {}, + {}):\n{}",
        sides.0,
        sides.1,
        diff::diff(expected_text, actual_text)
    )
}

#[test]
fn corpus_matches_expected() {
    let cases = load_corpus();
    let known = load_known_differences();
    let outcomes = thread::Builder::new()
        .name("template-corpus".into())
        .stack_size(CORPUS_THREAD_STACK)
        .spawn(move || {
            let outcomes: Vec<_> = cases.iter().map(run_case).collect();
            (cases, outcomes)
        })
        .expect("spawn the corpus thread")
        .join();
    let (cases, outcomes) = outcomes.expect("the corpus thread panicked outside a case");

    let mut report = String::new();
    let (mut passed, mut failed, mut known_count) = (0, 0, 0);
    let mut listed_seen = BTreeSet::new();
    for (case, outcome) in cases.iter().zip(&outcomes) {
        let listed = known.iter().find(|k| k.is_for(&case.file, &case.name));
        if let Some(entry) = listed {
            listed_seen.insert(entry.line);
        }
        let Some(expected) = &case.expected else {
            failed += 1;
            report += &format!(
                "\n{} {:?}: no expected output or error; run: oracle bless testdata/template/{}\n",
                case.location(),
                case.name,
                case.file
            );
            continue;
        };
        let problem = if outcome == expected {
            None
        } else {
            Some(mismatch(expected, outcome, ("Go", "helmsync")))
        };
        match (problem, listed) {
            (None, None) => passed += 1,
            (Some(_), Some(_)) => known_count += 1,
            (Some(problem), None) => {
                failed += 1;
                if failed <= MAX_DETAILED_FAILURES {
                    report += &format!("\n{} {:?}: {problem}", case.location(), case.name);
                } else {
                    report += &format!("\n{} {:?}: differs from Go", case.location(), case.name);
                }
            }
            (None, Some(entry)) => {
                failed += 1;
                report += &format!(
                    "\n{} {:?}: now matches Go; remove it from KNOWN-DIFFERENCES (line {})\n",
                    case.location(),
                    case.name,
                    entry.line
                );
            }
        }
    }
    for entry in known.iter().filter(|k| !listed_seen.contains(&k.line)) {
        failed += 1;
        report += &format!(
            "\nKNOWN-DIFFERENCES:{}: no case {:?} in {}; remove the entry\n",
            entry.line, entry.case, entry.file
        );
    }
    let summary = format!(
        "template corpus: {passed} passed, {failed} failed, {known_count} known differences"
    );
    println!("{summary}");
    assert!(failed == 0, "{report}\n{summary}");
}

#[test]
fn corpus_expectations_match_oracle() {
    let cases = load_corpus();
    let oracle = oracle::path().unwrap_or_else(|e| panic!("{e}"));
    let answers = oracle::answer_all(&oracle, &cases).unwrap_or_else(|e| panic!("{e}"));
    let mut report = String::new();
    let mut stale = 0;
    for (case, answer) in cases.iter().zip(&answers) {
        match &case.expected {
            Some(expected) if expected == answer => {}
            Some(expected) => {
                stale += 1;
                let account = mismatch(expected, answer, ("stored", "oracle"));
                report += &format!("\n{} {:?}: {account}", case.location(), case.name);
            }
            None => {
                stale += 1;
                report += &format!("\n{} {:?}: not blessed\n", case.location(), case.name);
            }
        }
    }
    assert!(
        stale == 0,
        "{report}\n{stale} of {} stored expectations differ from the oracle; \
         run: $(tools/build --path oracle) bless testdata/template/*.case",
        cases.len()
    );
}
