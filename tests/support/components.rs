//! Locates the test components that tools/build caches, failing loudly when one is missing.
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cached binary of a component, as `tools/build --path NAME` reports it.
pub fn component(name: &str, build_target: &str) -> PathBuf {
    let out = Command::new(repo_dir().join("tools/build"))
        .args(["--path", name])
        .output()
        .unwrap_or_else(|e| panic!("cannot run tools/build --path {name}: {e}"));
    assert!(
        out.status.success(),
        "tools/build --path {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(
        is_executable(&path),
        "{name} is not installed at {}; run: tools/build {build_target}",
        path.display()
    );
    path
}

/// The Helm 4 CLI, the oracle for rendering and release storage.
pub fn helm() -> PathBuf {
    component("helm4", "helm4")
}

/// The Helm 3 CLI.
pub fn helm3() -> PathBuf {
    component("helm3", "helm3")
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// A `helm` command isolated from the user's configuration and caches.
pub fn helm_command(helm: &Path, home: &Path) -> Command {
    let mut cmd = Command::new(helm);
    cmd.env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_DATA_HOME", home.join("data"))
        .env("HELM_REGISTRY_CONFIG", home.join("registry.json"))
        .env("HELM_REPOSITORY_CONFIG", home.join("repositories.yaml"))
        .env("HELM_REPOSITORY_CACHE", home.join("repository"));
    cmd
}

/// Runs a command and returns its stdout, failing the test with its output when it fails.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed with {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies the directory tree `from` to `to`, as `cp -r` does.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
