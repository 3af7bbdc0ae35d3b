//! `helmsync template` against the real `helm template`: every chart under
//! testdata/charts/render, once per values file in its ci/ directory, rendered by both with
//! the same arguments and compared as parsed YAML documents (in order) and as text; charts
//! that must fail are compared by error kind, location and message.
//!
//! Generated certificates, random strings and render times are compared by shape, under the
//! keys testdata/charts/render/README.md lists (see support/differential/masks.rs).
//! Cases listed in testdata/charts/render/KNOWN-DIFFERENCES may differ; a listed case that
//! matches fails the suite so that the list only shrinks.
#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers fail the test by panicking, as tests do
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::components::{helm, helm_command, repo_dir};
use support::differential::cases::{self, Case};
use support::differential::compare::{self, Outcome};
use support::differential::errors::{ErrorKind, RenderError};
use support::differential::known::KnownDifferences;
use support::differential::run::{RENDER_TIMEOUT, Rendered, run};
use support::differential::{documents, masks, pem_shape};

/// Concurrent renders; each is a separate process.
const MAX_WORKERS: usize = 4;

fn render_dir() -> PathBuf {
    repo_dir().join("testdata/charts/render")
}

/// Renders one case with `binary` (helm or helmsync), in the same isolated environment.
fn render(binary: &Path, home: &Path, case: &Case) -> Rendered {
    let mut cmd = helm_command(binary, home);
    // `date` and friends print in the local time zone; pin it for both renderers.
    cmd.args(case.template_args()).env("TZ", "UTC");
    run(&mut cmd, RENDER_TIMEOUT).unwrap_or_else(|e| Rendered {
        success: false,
        stdout: String::new(),
        stderr: format!("Error: {e}"),
    })
}

/// Every case rendered by both, in parallel, results in case order.
fn run_cases(cases: Vec<Case>, helm: &Path, helmsync: &Path, home: &Path) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..cases.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_WORKERS);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(index) else { break };
                    let theirs = render(helm, home, case);
                    let ours = render(helmsync, home, case);
                    let outcome = compare::compare(case.clone(), &theirs, &ours);
                    results.lock().unwrap()[index] = Some(outcome);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|o| o.expect("every case ran"))
        .collect()
}

fn print_report(outcomes: &[Outcome], known: &KnownDifferences) {
    for outcome in outcomes {
        let id = outcome.case.id();
        if outcome.passed() {
            println!("ok    {id}");
            continue;
        }
        let listed = known
            .covering(&outcome.case)
            .map(|(_, reason)| format!(" [known: {reason}]"))
            .unwrap_or_default();
        if let Some(error) = &outcome.testdata_error {
            println!(
                "BAD   {id}: testdata error: {}",
                error.replace('\n', "\n      ")
            );
            continue;
        }
        let mut what = Vec::new();
        if !outcome.documents_equal {
            what.push("documents");
        }
        if !outcome.text_equal {
            what.push("text");
        }
        println!("DIFF  {id}: {} differ{listed}", what.join(" and "));
        println!("      {}", outcome.case.command_line());
        for line in &outcome.details {
            println!("      {}", line.replace('\n', "\n      "));
        }
    }
}

#[test]
fn helmsync_template_renders_every_chart_as_helm_template_does() {
    let render_dir = render_dir();
    let cases = cases::discover(&render_dir).unwrap();
    let known_text = std::fs::read_to_string(render_dir.join("KNOWN-DIFFERENCES")).unwrap();
    let known = KnownDifferences::parse(&known_text).unwrap();
    let home = tempfile::tempdir().unwrap();
    let outcomes = run_cases(
        cases,
        &helm(),
        Path::new(env!("CARGO_BIN_EXE_helmsync")),
        home.path(),
    );

    print_report(&outcomes, &known);
    let documents_equal = outcomes.iter().filter(|o| o.documents_equal).count();
    let text_equal = outcomes.iter().filter(|o| o.text_equal).count();
    let failing: Vec<&Outcome> = outcomes.iter().filter(|o| !o.passed()).collect();
    println!(
        "template differential: {documents_equal} equal (documents), {text_equal} equal (text), \
         {} failing ({} cases from {} charts)",
        failing.len(),
        outcomes.len(),
        outcomes
            .iter()
            .map(|o| &o.case.chart)
            .collect::<BTreeSet<_>>()
            .len()
    );

    let testdata_errors: Vec<String> = failing
        .iter()
        .filter(|o| o.testdata_error.is_some())
        .map(|o| o.case.id())
        .collect();
    let unexpected: Vec<String> = failing
        .iter()
        .filter(|o| o.testdata_error.is_none() && known.covering(&o.case).is_none())
        .map(|o| o.case.id())
        .collect();
    let now_matching: Vec<&str> = known
        .entries()
        .filter(|entry| {
            let covered: Vec<&Outcome> = outcomes
                .iter()
                .filter(|o| known.covering(&o.case).is_some_and(|(e, _)| e == *entry))
                .collect();
            !covered.is_empty() && covered.iter().all(|o| o.passed())
        })
        .collect();
    let stale: Vec<&str> = known
        .entries()
        .filter(|entry| {
            !outcomes
                .iter()
                .any(|o| known.covering(&o.case).is_some_and(|(e, _)| e == *entry))
        })
        .collect();
    assert!(
        testdata_errors.is_empty(),
        "these cases do not render (or fail) under helm as their values files say: {testdata_errors:?}"
    );
    assert!(
        unexpected.is_empty(),
        "helmsync template differs from helm template (not in KNOWN-DIFFERENCES): {unexpected:?}"
    );
    assert!(
        now_matching.is_empty(),
        "these KNOWN-DIFFERENCES entries match helm now; remove them: {now_matching:?}"
    );
    assert!(
        stale.is_empty(),
        "these KNOWN-DIFFERENCES entries name no case: {stale:?}"
    );
}

/// The files of a chart directory, relative to it, with their contents.
fn chart_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((relative, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

#[test]
fn every_vendored_copy_of_common_matches_its_source() {
    let render_dir = render_dir();
    let source: Vec<(String, Vec<u8>)> = chart_files(&render_dir.join("common"))
        .into_iter()
        .filter(|(path, _)| !path.starts_with("ci/"))
        .collect();
    let mut copies = Vec::new();
    let mut pending = vec![render_dir.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let in_charts = dir.file_name().is_some_and(|n| n == "charts");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if in_charts && name == "common" {
                copies.push((path.clone(), chart_files(&path)));
            } else if in_charts && name.starts_with("common-") && name.ends_with(".tgz") {
                let unpacked = tempfile::tempdir().unwrap();
                let status = std::process::Command::new("tar")
                    .arg("-xzf")
                    .arg(&path)
                    .arg("-C")
                    .arg(unpacked.path())
                    .status()
                    .unwrap();
                assert!(status.success(), "cannot unpack {}", path.display());
                copies.push((path.clone(), chart_files(&unpacked.path().join("common"))));
            } else if path.is_dir() && path != render_dir.join("common") {
                pending.push(path);
            }
        }
    }
    assert!(
        copies.len() >= 2,
        "expected several vendored copies of common, found {}",
        copies.len()
    );
    // `helm package` rewrites Chart.yaml in its own layout; it must still say the same.
    let same = |name: &str, a: &[u8], b: &[u8]| {
        if name != "Chart.yaml" {
            return a == b;
        }
        let parse = |bytes: &[u8]| helmsync_engine::yaml::parse(&String::from_utf8_lossy(bytes));
        matches!((parse(a), parse(b)), (Ok(x), Ok(y)) if documents::values_equal(&x, &y))
    };
    for (path, files) in copies {
        let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&files),
            names(&source),
            "{}: other files than common/",
            path.display()
        );
        let differing: Vec<&str> = files
            .iter()
            .zip(&source)
            .filter(|((name, a), (_, b))| !same(name, a, b))
            .map(|((name, _), _)| name.as_str())
            .collect();
        assert!(
            differing.is_empty(),
            "{}: {differing:?} differ from common/; run testdata/charts/render/vendor-common",
            path.display()
        );
    }
}

#[test]
fn a_certificate_is_compared_by_subject_names_validity_and_key() {
    let ca = support::tls::TestCa::generate();
    let shape = pem_shape::describe(&ca.server_cert_pem).expect("a generated certificate parses");
    for part in [
        "CERTIFICATE{version=2 ",
        "subject=\"CN=localhost\"",
        "issuer=\"CN=helmsync test CA\"",
        "key=ec/1.2.840.10045.3.1.7",
        "san=[dns:localhost,ip:127.0.0.1]",
    ] {
        assert!(shape.contains(part), "{part} not in {shape}");
    }
    let ca_shape = pem_shape::describe(&ca.ca_pem).unwrap();
    assert!(ca_shape.contains("ca=true"), "{ca_shape}");
    let key_shape = pem_shape::describe(&ca.server_key_pem).unwrap();
    assert_eq!(key_shape, "PRIVATE KEY{pkcs8/ec/1.2.840.10045.3.1.7}");
    assert_eq!(pem_shape::describe("not pem"), None);
    let damaged = ca.server_cert_pem.replacen("MII", "AII", 1);
    assert_eq!(
        pem_shape::describe(&damaged),
        None,
        "a damaged certificate has no shape"
    );
}

#[test]
fn masked_values_compare_by_shape_and_everything_else_exactly() {
    let render = |token: &str, cert: &str, password: &str, replicas: u32| {
        format!(
            "---\n# Source: c/templates/a.yaml\nkind: Secret\nmetadata:\n  annotations:\n    \
             random.render.helmsync.test/token: \"{token}\"\n    \
             render.helmsync.test/random-keys: password\ndata:\n  password: {password}\n  \
             tls.crt: {cert}\n  replicas: {replicas}\n"
        )
    };
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let first = support::tls::TestCa::generate().server_cert_pem;
    let second = support::tls::TestCa::generate().server_cert_pem;
    let a = render("Ab3dEf", &b64(&first), &b64("s3cretA"), 1);
    let b = render("zZ9yYx", &b64(&second), &b64("0therPw"), 1);
    let parsed = |text: &str| documents::parse_stream(text).unwrap();
    assert!(documents::compare_streams(&parsed(&a), &parsed(&b), 10).is_empty());
    assert_eq!(masks::mask_text(&a), masks::mask_text(&b));

    let longer_token = render("Ab3dEfG", &b64(&first), &b64("s3cretA"), 1);
    assert!(!documents::compare_streams(&parsed(&a), &parsed(&longer_token), 10).is_empty());
    let more_replicas = render("Ab3dEf", &b64(&first), &b64("s3cretA"), 2);
    let differences = documents::compare_streams(&parsed(&a), &parsed(&more_replicas), 10);
    assert_eq!(
        differences,
        [
            "document 1: Secret <no name> (c/templates/a.yaml)",
            "  .data.replicas: helm 1, helmsync 2"
        ]
    );
    assert_ne!(masks::mask_text(&a), masks::mask_text(&more_replicas));
    assert_eq!(
        masks::shape(masks::Mask::Time, "6076h56m9s"),
        masks::shape(masks::Mask::Time, "6076h56m10s")
    );
}

#[test]
fn helm_errors_are_compared_by_kind_and_the_template_location_they_name() {
    let fail = RenderError::from_stderr(
        "Error: execution error at (webapp/templates/deployment.yaml:59:20): preset 'huge'\n\n\
         Use --debug flag to render out invalid YAML\n",
    );
    assert_eq!(
        (fail.kind, fail.location.as_str()),
        (ErrorKind::Fail, "webapp/templates/deployment.yaml:59:20")
    );
    assert_eq!(
        fail.message,
        "execution error at (webapp/templates/deployment.yaml:59:20): preset 'huge'"
    );

    let nested = RenderError::from_stderr(
        "Error: c/templates/cm.yaml:8:11\n  executing \"c/templates/cm.yaml\" at <include \"x\" .>:\n    \
         error calling include:\nc/templates/_helpers.tpl:6:11\n  executing \"x\" at <.a.b>:\n    \
         nil pointer evaluating interface {}.b\n",
    );
    assert_eq!(
        (nested.kind, nested.location.as_str()),
        (ErrorKind::Exec, "c/templates/cm.yaml:8:11")
    );

    let old_layout = RenderError::from_stderr(
        "Error: template: v/templates/configmap.yaml:2:10: executing \"v/templates/configmap.yaml\" \
         at <semver $version>: error calling semver: invalid semantic version\n",
    );
    assert_eq!(
        (old_layout.kind, old_layout.location.as_str()),
        (ErrorKind::Exec, "v/templates/configmap.yaml:2:10")
    );

    let parse =
        RenderError::from_stderr("Error: parse error at (p/templates/c.yaml:12): unexpected EOF\n");
    assert_eq!(
        (parse.kind, parse.location.as_str()),
        (ErrorKind::Parse, "p/templates/c.yaml:12")
    );

    let yaml = RenderError::from_stderr(
        "Error: YAML parse error on o/templates/d.yaml: error converting YAML to JSON: yaml: line 22: \
         found character that cannot start any token\n",
    );
    assert_eq!(
        (yaml.kind, yaml.location.as_str()),
        (ErrorKind::Yaml, "o/templates/d.yaml (yaml line 22)")
    );

    let schema = |order: [&str; 2]| {
        RenderError::from_stderr(&format!(
            "Error: values don't meet the specifications of the schema(s) in the following chart(s):\n\
             s:\n- {}\n- {}\n",
            order[0], order[1]
        ))
    };
    let a = "at '/replicaCount': got string, want integer";
    let b = "at '/auth/password': minLength: got 5, want 12";
    assert_eq!(
        schema([a, b]),
        schema([b, a]),
        "Helm's violation order varies between runs"
    );
    assert_eq!(schema([a, b]).location, "s:/auth/password, s:/replicaCount");

    let other = RenderError::from_stderr("warning: x\nError: library charts are not installable\n");
    assert_eq!(
        (other.kind, other.location.as_str(), other.message.as_str()),
        (ErrorKind::Other, "", "library charts are not installable")
    );
}
