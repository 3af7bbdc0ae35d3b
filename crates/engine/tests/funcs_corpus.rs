//! The function corpus (testdata/funcs/*.case): every Sprig and Helm function, rendered
//! through Helm's engine by the oracle, must render the same through helmsync's template
//! engine with `funcs::helm_funcs`, and the stored expectations must be what the oracle
//! answers today.
//!
//! Until helmsync's chart renderer exists, `render_like_helm` stands in for the part of
//! Helm's `engine.Render` these cases need: the template names, the top-level objects,
//! `missingkey=zero`, the `<no value>` clean-up and Helm's rewording of errors.
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use helmsync_engine::funcs::{DeterministicEnvironment, Family, HELM_FUNCTIONS, helm_funcs};
use helmsync_engine::json;
use helmsync_engine::template::{ErrorKind, MissingKey, Template};
use helmsync_engine::{Map, Value};
use support::case_file::{self, Case, Mode, Outcome};
use support::known_differences::{self, KnownDifference};
use support::{diff, oracle, repo_dir};

/// The clock the corpus renders with; no case depends on it.
const CORPUS_NOW: i64 = 1_700_000_000;

const CHART: &str = "test";

/// The cases of the functions this build has: certificate generation is behind the
/// `certs` feature.
fn load_corpus() -> Vec<Case> {
    let cases =
        case_file::load_dir(&repo_dir().join("testdata/funcs")).unwrap_or_else(|e| panic!("{e}"));
    assert!(!cases.is_empty(), "no cases found in testdata/funcs");
    cases
        .into_iter()
        .filter(|case| cfg!(feature = "certs") || case.file != "certs.case")
        .collect()
}

fn load_known_differences() -> Vec<KnownDifference> {
    known_differences::load(&repo_dir().join("testdata/funcs/KNOWN-DIFFERENCES"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn object(pairs: &[(&str, Value)]) -> Value {
    Value::map(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<Map>(),
    )
}

/// The top-level objects Helm gives a template of chart "test", release "test".
fn render_values(values: Value, template: &str) -> Value {
    object(&[
        ("Values", values),
        (
            "Release",
            object(&[
                ("Name", Value::from("test")),
                ("Namespace", Value::from("default")),
                ("Revision", Value::int(1)),
                ("IsInstall", Value::Bool(true)),
                ("IsUpgrade", Value::Bool(false)),
                ("Service", Value::from("Helm")),
            ]),
        ),
        (
            "Chart",
            object(&[
                ("Name", Value::from(CHART)),
                ("Version", Value::from("0.1.0")),
                ("APIVersion", Value::from("v2")),
            ]),
        ),
        (
            "Template",
            object(&[
                ("Name", Value::from(template)),
                ("BasePath", Value::from(format!("{CHART}/templates"))),
            ]),
        ),
    ])
}

/// Helm's `cleanupParseError`.
fn cleanup_parse_error(filename: &str, message: &str) -> String {
    let tokens: Vec<&str> = message.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {message}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

/// One link of Helm's `TraceableError` chain.
#[derive(PartialEq, Eq)]
struct Traceable {
    location: String,
    message: String,
    executed_function: String,
}

/// Helm's `parseTemplateExecErrorString`.
fn parse_exec_error(s: &str) -> Option<Traceable> {
    let remainder = s.strip_prefix("template: ")?;
    if remainder.starts_with("no template ") {
        return Some(Traceable {
            location: String::new(),
            message: s.to_owned(),
            executed_function: String::new(),
        });
    }
    let cut_chain = |msg: &str| match msg.find(" template:") {
        Some(cut) => msg[..cut].to_owned(),
        None => msg.to_owned(),
    };
    if let Some((name, after)) = remainder.split_once(": executing ") {
        let after = after.strip_prefix('"')?;
        let end_quote = after.find('"')?;
        let function = &after[..end_quote];
        let after_at = after[end_quote + 1..].strip_prefix(" at <")?;
        let (location, message) = after_at.split_once(">: ")?;
        return Some(Traceable {
            location: name.to_owned(),
            message: cut_chain(message),
            executed_function: format!("executing \"{function}\" at <{location}>:"),
        });
    }
    let sep = remainder.rfind(": ")?;
    Some(Traceable {
        location: remainder[..sep].to_owned(),
        message: cut_chain(&remainder[sep + 2..]),
        executed_function: String::new(),
    })
}

/// Helm's `reformatExecErrorMsg`.
fn reformat_exec_error(filename: &str, err: &helmsync_engine::template::Error) -> String {
    let text = err.to_string();
    if err.kind() != ErrorKind::Exec {
        return text;
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {text}");
    }
    if let Some(start) = tokens[2].find("HELM_ERR_START")
        && let Some(end) = tokens[2].rfind("HELM_ERR_END")
        && end >= start + "HELM_ERR_START".len()
    {
        let message = &tokens[2][start + "HELM_ERR_START".len()..end];
        return format!("execution error at ({}): {message}", tokens[1]);
    }
    let mut chain: Vec<Traceable> = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = current {
        let Some(traceable) = parse_exec_error(&e.to_string()) else {
            return text;
        };
        if chain.last() != Some(&traceable) {
            chain.push(traceable);
        }
        current = e.source();
    }
    let mut out = String::new();
    for t in &chain {
        if !t.location.is_empty() {
            out += &format!("{}\n  ", t.location);
        }
        if !t.executed_function.is_empty() {
            out += &format!("{}\n    ", t.executed_function);
        }
        if !t.message.is_empty() {
            out += &format!("{}\n", t.message);
        }
    }
    out.trim().to_owned()
}

/// Helm's `cleanNilValues`, which coalescing applies to a chart's default values: null
/// map entries disappear, at any depth of maps.
fn clean_nil_values(v: Value) -> Value {
    match v {
        Value::Map(m) => Value::map(
            m.into_map()
                .into_iter()
                .filter(|(_, v)| !v.is_nil())
                .map(|(k, v)| (k, clean_nil_values(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Renders a mode=helm case the way Helm's engine renders the one-template chart the
/// oracle builds.
fn render_like_helm(case: &Case) -> Outcome {
    let values = match json::parse(&case.values) {
        Ok(values) => clean_nil_values(values),
        Err(e) => return Outcome::Error(format!("values: {e}")),
    };
    let env = Arc::new(DeterministicEnvironment::new(CORPUS_NOW));
    let mut set = Template::new("gotpl", helm_funcs(env));
    set.set_missing_key(MissingKey::Zero);
    let name = |n: &str| format!("{CHART}/templates/{n}");
    for template in &case.templates {
        let filename = name(&template.name);
        if let Err(e) = set.parse(&filename, &template.text) {
            return Outcome::Error(cleanup_parse_error(&filename, &e.to_string()));
        }
    }
    let entry = name(&case.entry_template().name);
    match set.execute(&entry, &render_values(values, &entry)) {
        Ok(output) => Outcome::Output(output.replace("<no value>", "")),
        Err(e) => Outcome::Error(reformat_exec_error(&entry, &e)),
    }
}

fn run_case(case: &Case) -> Outcome {
    if case.mode != Mode::Helm {
        return Outcome::Error("testdata/funcs cases must use mode=helm".to_owned());
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_like_helm(case)))
        .unwrap_or_else(|_| Outcome::Error("helmsync panicked".to_owned()))
}

fn describe(outcome: &Outcome) -> (&'static str, &str) {
    match outcome {
        Outcome::Output(text) => ("output", text),
        Outcome::Error(text) => ("error", text),
    }
}

#[test]
fn function_corpus_matches_helm() {
    let cases = load_corpus();
    let known = load_known_differences();
    let mut report = String::new();
    let (mut passed, mut failed, mut known_count) = (0, 0, 0);
    let mut listed_seen = BTreeSet::new();
    // Key generation and scrypt are slow in debug builds: render on every core.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = cases.len().div_ceil(threads).max(1);
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(run_case).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (case, actual) in cases.iter().zip(outcomes) {
        let listed = known.iter().find(|k| k.is_for(&case.file, &case.name));
        if let Some(entry) = listed {
            listed_seen.insert(entry.line);
        }
        let Some(expected) = &case.expected else {
            failed += 1;
            report += &format!(
                "\n{} {:?}: no expectation; run: oracle bless testdata/funcs/{}\n",
                case.location(),
                case.name,
                case.file
            );
            continue;
        };
        match (actual == *expected, listed) {
            (true, None) => passed += 1,
            (false, Some(_)) => known_count += 1,
            (false, None) => {
                failed += 1;
                let ((ek, et), (ak, at)) = (describe(expected), describe(&actual));
                report += &format!(
                    "\n{} {:?}: Helm gives {ek}, helmsync gives {ak} (- Helm, + helmsync):\n{}",
                    case.location(),
                    case.name,
                    diff::diff(et, at)
                );
            }
            (true, Some(entry)) => {
                failed += 1;
                report += &format!(
                    "\n{} {:?}: now matches Helm; remove it from KNOWN-DIFFERENCES (line {})\n",
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
        "function corpus: {passed} passed, {failed} failed, {known_count} known differences"
    );
    println!("{summary}");
    assert!(failed == 0, "{report}\n{summary}");
}

#[test]
fn function_corpus_covers_every_function_three_times() {
    let cases = load_corpus();
    let mut thin = Vec::new();
    for (name, family) in HELM_FUNCTIONS {
        if *family == Family::Certs && !cfg!(feature = "certs") {
            continue;
        }
        let uses = cases
            .iter()
            .filter(|c| {
                c.templates.iter().any(|t| {
                    t.text
                        .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                        .any(|word| word == *name)
                })
            })
            .count();
        if uses < 3 {
            thin.push(format!("{name} ({uses})"));
        }
    }
    assert!(
        thin.is_empty(),
        "functions with fewer than 3 cases: {}",
        thin.join(", ")
    );
}

#[test]
fn function_corpus_expectations_match_oracle() {
    let cases = load_corpus();
    let oracle = oracle::path().unwrap_or_else(|e| panic!("{e}"));
    let answers = oracle::answer_all(&oracle, &cases).unwrap_or_else(|e| panic!("{e}"));
    let stale: Vec<String> = cases
        .iter()
        .zip(&answers)
        .filter(|(case, answer)| case.expected.as_ref() != Some(answer))
        .map(|(case, _)| format!("{} {:?}", case.location(), case.name))
        .collect();
    assert!(
        stale.is_empty(),
        "stale expectations (run oracle bless testdata/funcs/*.case):\n{}",
        stale.join("\n")
    );
}

/// helmsync offers exactly the functions Helm's engine offers: the Go oracle lists the names
/// Helm's engine accepts (Sprig's map, Helm's own, minus what Helm deletes; text/template's
/// built-ins only where Sprig redefines them), and the test fails on any name one side has
/// and the other lacks.
fn oracle_function_names() -> BTreeSet<String> {
    let oracle = oracle::path().unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(&oracle)
        .arg("funcs")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", oracle.display()));
    // helmsync's own names are candidates too, so a name only helmsync has is checked.
    let mut stdin = child.stdin.take().unwrap();
    for (name, _) in HELM_FUNCTIONS {
        writeln!(stdin, "{name}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "oracle funcs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn helmsync_offers_every_function_of_helms_map_and_no_other() {
    let helm = oracle_function_names();
    let ours: BTreeSet<String> = HELM_FUNCTIONS
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    let missing: Vec<&String> = helm.difference(&ours).collect();
    let extra: Vec<&String> = ours.difference(&helm).collect();

    let mut families: BTreeMap<String, usize> = BTreeMap::new();
    for (name, family) in HELM_FUNCTIONS {
        if helm.contains(*name) {
            *families.entry(format!("{family:?}")).or_default() += 1;
        }
    }
    println!(
        "functions implemented / in Helm's map: {} / {}",
        ours.len() - extra.len(),
        helm.len()
    );
    for (family, count) in &families {
        println!("  {family:<10} {count}");
    }
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing from helmsync: {missing:?}; not in Helm's map: {extra:?}"
    );
}
