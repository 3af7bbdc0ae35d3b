//! The real `helm` CLI, OCI registry and HTTP chart repository work as the later
//! differential and source tests need them.
mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use support::components::{copy_dir, helm, helm_command, helm3, repo_dir, run_ok};
use support::registry::Registry;
use support::repo::{HelmRepoServer, RepoOptions};
use support::tls::TestCa;

fn smoke_chart() -> PathBuf {
    repo_dir().join("testdata/charts/smoke")
}

/// Packages the smoke chart into `dir` and returns the archive path.
fn package(helm: &Path, home: &Path, dir: &Path) -> PathBuf {
    run_ok(
        helm_command(helm, home)
            .arg("package")
            .arg(smoke_chart())
            .arg("-d")
            .arg(dir),
    );
    dir.join("smoke-0.1.0.tgz")
}

fn template_with(helm: &Path) {
    let home = tempfile::tempdir().unwrap();
    let out = run_ok(
        helm_command(helm, home.path())
            .args(["template", "demo"])
            .arg(smoke_chart())
            .args(["--kube-version", "1.36.0", "--set", "replicaCount=3"]),
    );
    assert!(
        out.contains("# Source: smoke/templates/deployment.yaml"),
        "{out}"
    );
    assert!(out.contains("name: demo-smoke"), "{out}");
    assert!(out.contains("replicas: 3"), "{out}");
    assert!(out.contains("smoke/kube-version: \"v1.36.0\""), "{out}");
}

#[test]
fn helm4_renders_a_chart_from_testdata() {
    template_with(&helm());
}

#[test]
fn helm3_renders_a_chart_from_testdata() {
    template_with(&helm3());
}

#[test]
fn helm3_reports_its_pinned_version() {
    let home = tempfile::tempdir().unwrap();
    let out = run_ok(helm_command(&helm3(), home.path()).args(["version", "--short"]));
    let versions = std::fs::read_to_string(repo_dir().join("tools/versions.env")).unwrap();
    let pinned = versions
        .lines()
        .find_map(|l| l.strip_prefix("HELM3_VERSION="))
        .unwrap();
    assert!(
        out.starts_with(pinned),
        "helm3 reports {out:?}, pinned {pinned}"
    );
}

#[test]
fn a_chart_pushed_to_the_anonymous_registry_pulls_back_identical() {
    let helm = helm();
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let archive = package(&helm, home.path(), work.path());
    let registry = Registry::start_anonymous();
    let oci = format!("oci://{}/charts", registry.host);
    run_ok(
        helm_command(&helm, home.path())
            .arg("push")
            .arg(&archive)
            .arg(&oci)
            .arg("--plain-http"),
    );
    let pulled = work.path().join("pulled");
    std::fs::create_dir(&pulled).unwrap();
    run_ok(
        helm_command(&helm, home.path())
            .args([
                "pull",
                &format!("{oci}/smoke"),
                "--version",
                "0.1.0",
                "--plain-http",
                "-d",
            ])
            .arg(&pulled),
    );
    let original = std::fs::read(&archive).unwrap();
    let back = std::fs::read(pulled.join("smoke-0.1.0.tgz")).unwrap();
    assert_eq!(
        original, back,
        "the pulled archive differs from the pushed one"
    );
}

#[test]
fn the_authenticated_registry_refuses_anonymous_pushes_and_accepts_credentials() {
    let helm = helm();
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let archive = package(&helm, home.path(), work.path());
    let registry = Registry::start_with_auth("pusher", "s3cret-pass");
    let oci = format!("oci://{}/charts", registry.host);
    let anonymous = helm_command(&helm, home.path())
        .arg("push")
        .arg(&archive)
        .arg(&oci)
        .arg("--plain-http")
        .output()
        .unwrap();
    assert!(
        !anonymous.status.success(),
        "an anonymous push to an htpasswd registry succeeded"
    );
    run_ok(
        helm_command(&helm, home.path())
            .arg("push")
            .arg(&archive)
            .arg(&oci)
            .args([
                "--plain-http",
                "--username",
                "pusher",
                "--password",
                "s3cret-pass",
            ]),
    );
    let pulled = work.path().join("pulled");
    std::fs::create_dir(&pulled).unwrap();
    run_ok(
        helm_command(&helm, home.path())
            .args([
                "pull",
                &format!("{oci}/smoke"),
                "--version",
                "0.1.0",
                "--plain-http",
            ])
            .args(["--username", "pusher", "--password", "s3cret-pass", "-d"])
            .arg(&pulled),
    );
    assert!(pulled.join("smoke-0.1.0.tgz").is_file());
}

/// A repository directory with the packaged smoke chart and an index made by real helm.
fn repository_dir(helm: &Path, home: &Path, url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    package(helm, home, dir.path());
    run_ok(
        helm_command(helm, home)
            .arg("repo")
            .arg("index")
            .arg(dir.path())
            .args(["--url", url]),
    );
    dir
}

async fn get(
    client: &reqwest::Client,
    url: &str,
    auth: Option<(&str, &str)>,
) -> reqwest::StatusCode {
    let mut req = client.get(url);
    if let Some((u, p)) = auth {
        req = req.basic_auth(u, Some(p));
    }
    req.send().await.expect("request").status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plain_repository_serves_its_index() {
    let helm = helm();
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = HelmRepoServer::start(dir.path(), RepoOptions::default()).await;
    // The index embeds absolute chart URLs, so it is made once the server's URL is known.
    let repo = repository_dir(&helm, home.path(), &server.url);
    copy_dir(repo.path(), dir.path());
    let client = reqwest::Client::new();
    let index = client
        .get(format!("{}/index.yaml", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(index.status(), 200);
    let body = index.text().await.unwrap();
    assert!(body.contains("smoke-0.1.0.tgz"), "{body}");
    assert_eq!(
        get(&client, &format!("{}/missing.tgz", server.url), None).await,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_basic_auth_repository_wants_the_right_credentials() {
    let helm = helm();
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = RepoOptions {
        basic_auth: Some(("reader".into(), "opensesame".into())),
        ..Default::default()
    };
    let server = HelmRepoServer::start(dir.path(), options).await;
    let repo = repository_dir(&helm, home.path(), &server.url);
    copy_dir(repo.path(), dir.path());
    let client = reqwest::Client::new();
    let index = format!("{}/index.yaml", server.url);
    assert_eq!(get(&client, &index, None).await, 401);
    assert_eq!(get(&client, &index, Some(("reader", "wrong"))).await, 401);
    assert_eq!(
        get(&client, &index, Some(("reader", "opensesame"))).await,
        200
    );

    // The real helm client through the same server (blocking, off the server's runtime).
    let mut add = helm_command(&helm, home.path());
    add.args(["repo", "add", "smoke", &server.url]).args([
        "--username",
        "reader",
        "--password",
        "opensesame",
    ]);
    let out = tempfile::tempdir().unwrap();
    let mut pull = helm_command(&helm, home.path());
    pull.args(["pull", "smoke/smoke", "--version", "0.1.0", "-d"])
        .arg(out.path());
    tokio::task::spawn_blocking(move || {
        run_ok(&mut add);
        run_ok(&mut pull)
    })
    .await
    .unwrap();
    assert!(out.path().join("smoke-0.1.0.tgz").is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tls_repository_is_trusted_only_with_its_ca() {
    let helm = helm();
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = Arc::new(TestCa::generate());
    let certs = tempfile::tempdir().unwrap();
    ca.write_files(certs.path());
    let options = RepoOptions {
        tls: Some(ca.clone()),
        ..Default::default()
    };
    let server = HelmRepoServer::start(dir.path(), options).await;
    assert!(server.url.starts_with("https://"));
    let repo = repository_dir(&helm, home.path(), &server.url);
    copy_dir(repo.path(), dir.path());
    let index = format!("{}/index.yaml", server.url);

    support::init_crypto();
    let untrusting = reqwest::Client::new();
    assert!(
        untrusting.get(&index).send().await.is_err(),
        "a client without the CA connected"
    );
    let cert = reqwest::Certificate::from_pem(ca.ca_pem.as_bytes()).unwrap();
    let trusting = reqwest::Client::builder()
        .add_root_certificate(cert)
        .build()
        .unwrap();
    assert_eq!(get(&trusting, &index, None).await, 200);

    let ca_file = certs.path().join("ca.crt");
    let mut add = helm_command(&helm, home.path());
    add.args(["repo", "add", "smoke-tls", &server.url, "--ca-file"])
        .arg(&ca_file);
    tokio::task::spawn_blocking(move || run_ok(&mut add))
        .await
        .unwrap();
}
