//! `helmsync template` against the real `helm template`: the same arguments give the same
//! standard output byte for byte, the same exit code, the same error message and, with
//! `--output-dir`, the same files. Covers what the chart-by-chart differential suite does
//! not: `--show-only`, `--output-dir`, argument errors and every values flag.
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::components::{helm, helm_command, repo_dir};

/// What one run of either tool left behind.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    /// Standard error without Helm's `level=...` log lines, which helmsync does not write.
    error: String,
    /// The files under the working directory, by relative path.
    files: BTreeMap<String, String>,
}

fn chart(name: &str) -> String {
    let path = match name {
        "smoke" => repo_dir().join("testdata/charts/smoke"),
        other => repo_dir().join("testdata/charts/render").join(other),
    };
    path.display().to_string()
}

/// Runs `command` in a fresh working directory and collects what it printed and wrote.
fn outcome(mut command: Command) -> Outcome {
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let output = command
        .current_dir(work.path())
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error = stderr
        .lines()
        .filter(|line| !line.starts_with("level="))
        .collect::<Vec<_>>()
        .join("\n");
    let mut files = BTreeMap::new();
    collect_files(work.path(), work.path(), &mut files);
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        error,
        files,
    }
}

fn collect_files(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path: PathBuf = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            collect_files(root, &path, files);
        } else {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let content = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            files.insert(name, content);
        }
    }
}

/// `helm template ARGS` and `helmsync template ARGS` must agree; returns helm's outcome.
fn same_as_helm(args: &[&str]) -> Outcome {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let mut helm_run = helm_command(&helm(), home.path());
    helm_run
        .arg("template")
        .args(args)
        .env_remove("HELM_NAMESPACE");
    let mut helmsync_run = Command::new(env!("CARGO_BIN_EXE_helmsync"));
    helmsync_run
        .arg("template")
        .args(args)
        .env_remove("HELM_NAMESPACE");
    let expected = outcome(helm_run);
    let actual = outcome(helmsync_run);
    assert_eq!(
        expected,
        actual,
        "helm (left) and helmsync (right) differ for: template {}",
        args.join(" ")
    );
    expected
}

#[test]
fn show_only_selects_the_same_documents_in_the_same_order() {
    let stack = chart("monitoring-stack");
    let out = same_as_helm(&[
        &stack,
        "--kube-version",
        "1.36.0",
        "-s",
        "charts/grafana/templates/*",
        "--show-only",
        "templates/*",
    ]);
    assert!(
        out.stdout
            .contains("# Source: monitoring-stack/charts/grafana/"),
        "{}",
        out.stdout
    );
    let backup = chart("backup-operator");
    same_as_helm(&[
        &backup,
        "--kube-version",
        "1.36.0",
        "--include-crds",
        "-s",
        "crds/*",
    ]);
    same_as_helm(&[
        &backup,
        "--kube-version",
        "1.36.0",
        "-s",
        "templates/tests/*",
    ]);
    let missing = same_as_helm(&[
        &backup,
        "--kube-version",
        "1.36.0",
        "-s",
        "templates/nope.yaml",
    ]);
    assert_eq!(missing.code, Some(1));
}

#[test]
fn output_dir_writes_the_same_files_and_progress() {
    let backup = chart("backup-operator");
    let out = same_as_helm(&[
        &backup,
        "--kube-version",
        "1.36.0",
        "--include-crds",
        "--output-dir",
        "out",
    ]);
    assert!(
        out.files
            .keys()
            .any(|f| f.starts_with("out/backup-operator/crds/")),
        "{out:?}"
    );
    same_as_helm(&[
        "demo",
        &backup,
        "--kube-version",
        "1.36.0",
        "--output-dir",
        "out/",
        "--release-name",
    ]);
    let stack = chart("monitoring-stack");
    same_as_helm(&[
        &stack,
        "--kube-version",
        "1.36.0",
        "--output-dir",
        "out",
        "-s",
        "templates/*",
    ]);
}

#[test]
fn argument_and_chart_errors_read_the_same() {
    let smoke = chart("smoke");
    for args in [
        vec!["./no-such-chart"],
        vec!["stable/nginx"],
        vec!["nginx"],
        vec!["a", "b", "c"],
        vec!["name", &smoke, "--generate-name"],
        vec!["Not_A_Name", &smoke, "--kube-version", "1.36.0"],
        vec![&smoke, "--kube-version", "v1"],
        vec![&smoke, "--kube-version", "1.36.0", "-f", "missing.yaml"],
        vec![&smoke, "--kube-version", "1.36.0", "--set", "a[x]=1"],
    ] {
        let out = same_as_helm(&args);
        assert_eq!(out.code, Some(1), "{args:?} should fail: {out:?}");
    }
    let not_a_chart = repo_dir()
        .join("testdata/charts/render")
        .display()
        .to_string();
    same_as_helm(&[&not_a_chart, "--kube-version", "1.36.0"]);
    let broken = chart("broken-templates");
    same_as_helm(&[&broken, "--kube-version", "1.36.0"]);
}

#[test]
fn every_values_flag_and_release_option_renders_the_same() {
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let values = work.path().join("values.yaml");
    let image = work.path().join("tag.txt");
    std::fs::write(&values, "replicaCount: 4\nservice:\n  port: 8443\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&image, "from-a-file").unwrap_or_else(|e| panic!("{e}"));
    let (values, image) = (values.display().to_string(), image.display().to_string());
    let smoke = chart("smoke");
    let out = same_as_helm(&[
        "web",
        &smoke,
        "--namespace",
        "apps",
        "--kube-version",
        "v1.35.2-eks.1",
        "--api-versions",
        "example.com/v1,other.io/v2",
        "--is-upgrade",
        "-f",
        &values,
        "--set",
        "image.repository=nginx,replicaCount=5",
        "--set-string",
        "image.tag=1.27",
        "--set-json",
        "extra={\"a\":[1,2]}",
        "--set-literal",
        "literal=a,b=c",
        "--set-file",
        &format!("fromFile={image}"),
    ]);
    assert!(out.stdout.contains("replicas: 5"), "{}", out.stdout);
    same_as_helm(&[
        &smoke,
        "--kube-version",
        "1.36.0",
        "--name-template",
        "{{ \"web\" | upper | lower }}-x",
    ]);
}
