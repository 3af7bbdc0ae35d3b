//! The command line: every subcommand is listed, unfinished ones say so and fail.
use assert_cmd::Command;

const SUBCOMMANDS: [&str; 9] = [
    "controller",
    "template",
    "diff",
    "get",
    "reconcile",
    "suspend",
    "resume",
    "crds",
    "version",
];

fn helmsync() -> Command {
    Command::new(env!("CARGO_BIN_EXE_helmsync"))
}

#[test]
fn help_lists_every_subcommand() {
    let out = helmsync()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(out).unwrap();
    for sub in SUBCOMMANDS {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(sub)),
            "`helmsync --help` does not list {sub}:\n{help}"
        );
    }
}

#[test]
fn version_prints_the_version_and_the_commit() {
    let out = helmsync()
        .arg("version")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let expected = format!("helmsync {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected), "{text}");
    let commit = text
        .trim_end()
        .trim_end_matches(')')
        .rsplit(' ')
        .next()
        .unwrap();
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "commit {commit:?} is neither a short hash nor 'unknown'"
    );
}

#[test]
fn unimplemented_subcommands_fail_with_a_clear_message() {
    for sub in SUBCOMMANDS
        .iter()
        .filter(|s| !["version", "crds", "template", "controller"].contains(s))
    {
        let out = helmsync().arg(sub).assert().failure().get_output().clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!("'helmsync {sub}' is not implemented yet")),
            "{sub}: {stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "{sub} printed output it did not produce"
        );
    }
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    helmsync().arg("frobnicate").assert().failure().code(2);
}
