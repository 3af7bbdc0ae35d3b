//! `helmsync template`'s argument handling and output, without the real `helm` (the
//! end-to-end comparisons with it live in tests/cli_template.rs).
use clap::Parser;

use super::*;

#[derive(Debug, Parser)]
struct Command {
    #[command(flatten)]
    args: TemplateArgs,
}

fn parse(argv: &[&str]) -> TemplateArgs {
    let argv = std::iter::once("template").chain(argv.iter().copied());
    match Command::try_parse_from(argv) {
        Ok(command) => command.args,
        Err(e) => panic!("{e}"),
    }
}

fn smoke_chart() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/charts/smoke")
        .display()
        .to_string()
}

fn output(argv: &[&str]) -> Result<String, CliError> {
    let mut out = Vec::new();
    execute(&parse(argv), &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn error(argv: &[&str]) -> String {
    match output(argv) {
        Ok(out) => panic!("expected an error, got output:\n{out}"),
        Err(e) => e.to_string(),
    }
}

fn environment() -> Arc<SystemEnvironment> {
    match SystemEnvironment::new(false) {
        Ok(environment) => Arc::new(environment),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn names_and_charts_come_from_the_arguments_as_helm_reads_them() {
    let env = environment();
    let names = |argv: &[&str]| name_and_chart(&parse(argv), &env).map_err(|e| e.to_string());
    assert_eq!(names(&["c"]), Ok(("release-name".into(), "c".into())));
    assert_eq!(names(&["n", "c"]), Ok(("n".into(), "c".into())));
    assert_eq!(
        names(&["c", "--generate-name"]),
        Ok(("release-name".into(), "c".into()))
    );
    assert_eq!(
        names(&[
            "c",
            "--name-template",
            "{{ \"x\" | upper }}-{{ len \"ab\" }}"
        ]),
        Ok(("X-2".into(), "c".into()))
    );
    assert_eq!(
        names(&["n", "c", "--generate-name"]),
        Err("cannot set --generate-name and also specify a name".into())
    );
    assert_eq!(
        names(&["n", "c", "--name-template=x"]),
        Err("cannot set --name-template and also specify a name".into())
    );
    assert_eq!(
        names(&["a", "b", "c", "d"]),
        Err("expected at most two arguments, unexpected arguments: c, d".into())
    );
    assert!(
        names(&[])
            .unwrap_err()
            .starts_with("\"helmsync template\" requires at least 1")
    );
}

#[test]
fn missing_charts_are_reported_with_helms_messages() {
    let locate = |r: &str| locate_chart(r).map_err(|e| e.to_string());
    assert_eq!(locate("./nope"), Err("path \"./nope\" not found".into()));
    assert_eq!(locate("/nope/x"), Err("path \"/nope/x\" not found".into()));
    assert_eq!(locate("stable/nope"), Err("repo stable not found".into()));
    assert_eq!(
        locate("nope"),
        Err("non-absolute URLs should be in form of repo_name/path_to_chart, got: nope".into())
    );
    let relative = locate("testdata/charts/smoke/../smoke").map(|p| p.display().to_string());
    assert!(
        relative.as_ref().is_ok_and(|p| p.starts_with('/')),
        "{relative:?}"
    );
    assert!(relative.is_ok_and(|p| p.ends_with("/testdata/charts/smoke")));
    assert!(locate(&smoke_chart()).is_ok());
}

#[test]
fn the_smoke_chart_renders_with_values_and_kube_version() {
    let chart = smoke_chart();
    let out = output(&[
        "demo",
        &chart,
        "--kube-version",
        "1.36.0",
        "--set",
        "replicaCount=3",
        "-n",
        "apps",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.starts_with("---\n# Source: smoke/templates/service.yaml\n"),
        "{out}"
    );
    assert!(out.contains("replicas: 3"), "{out}");
    assert!(out.contains("smoke/kube-version: \"v1.36.0\""), "{out}");
    assert!(out.ends_with('\n') && !out.ends_with("\n\n"), "{out:?}");

    let only = output(&[
        &chart,
        "--kube-version",
        "1.36.0",
        "-s",
        "templates/service.yaml",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        only.starts_with("---\n# Source: smoke/templates/service.yaml\n"),
        "{only}"
    );
    assert!(!only.contains("deployment.yaml"), "{only}");
}

#[test]
fn errors_read_as_helm_prints_them() {
    let chart = smoke_chart();
    assert_eq!(
        error(&[&chart, "--kube-version", "foo"]),
        "invalid kube version 'foo': could not parse \"foo\" as version"
    );
    assert_eq!(
        error(&[
            &chart,
            "--kube-version",
            "1.36.0",
            "-s",
            "templates/nope.yaml"
        ]),
        "could not find template templates/nope.yaml in chart"
    );
    assert!(
        error(&["Bad_Name", &chart, "--kube-version", "1.36.0"]).starts_with(
            "release name check failed: release name \"Bad_Name\": invalid release name"
        )
    );
    assert_eq!(
        error(&[&chart, "-f", "/nonexistent.yaml"]),
        "open /nonexistent.yaml: no such file or directory"
    );
}

#[test]
fn output_dir_writes_files_and_prints_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().display().to_string();
    let out = output(&[
        &smoke_chart(),
        "--kube-version",
        "1.36.0",
        "--output-dir",
        &root,
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out,
        format!(
            "wrote {root}/smoke/templates/service.yaml\nwrote {root}/smoke/templates/deployment.yaml\n\n"
        )
    );
    let service = std::fs::read_to_string(dir.path().join("smoke/templates/service.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        service.starts_with("---\n# Source: smoke/templates/service.yaml\n"),
        "{service}"
    );
}
