//! Helm HTTP repositories served by the test harness (plain, basic auth, TLS), with chart
//! archives made by the real `helm package` and indexes by the real `helm repo index`:
//! fetching, conditional requests, version resolution, downloads and digests, credentials,
//! and each bad input with its message and Flux reason.
mod support;

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use helmsync::source::credentials::{BasicAuth, SecretData, TlsMaterial};
use helmsync::source::http::{HttpRepository, IndexFetch, IndexValidators, sha256_hex};
use helmsync::source::index::{ChartVersion, IndexLimits, find_chart_version};
use helmsync::source::load_chart_archive;
use support::components::{copy_dir, helm, helm_command, repo_dir, run_ok};
use support::repo::{HelmRepoServer, PathOverride, RepoOptions};
use support::tls::TestCa;

const USER: &str = "reader";
const PASSWORD: &str = "opensesame";
const MAX_CHART: u64 = 10 * 1024 * 1024;

/// A directory served as a chart repository, filled with the real helm.
struct RepoDir {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl RepoDir {
    fn new() -> RepoDir {
        RepoDir {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `helm package` of the smoke chart at `version`, into the repository directory.
    fn publish(&self, version: &str) -> PathBuf {
        let source = self.home.path().join(format!("src-{version}/smoke"));
        copy_dir(&repo_dir().join("testdata/charts/smoke"), &source);
        let chart_yaml = source.join("Chart.yaml");
        let text = std::fs::read_to_string(&chart_yaml).unwrap();
        let text = text.replace("version: 0.1.0", &format!("version: {version}"));
        std::fs::write(&chart_yaml, text).unwrap();
        run_ok(
            self.helm()
                .arg("package")
                .arg(&source)
                .arg("-d")
                .arg(self.path()),
        );
        self.path().join(format!("smoke-{version}.tgz"))
    }

    /// `helm repo index`, chart URLs relative unless `base_url` is given.
    fn index(&self, base_url: Option<&str>) {
        let mut cmd = self.helm();
        cmd.args(["repo", "index"]).arg(self.path());
        if let Some(url) = base_url {
            cmd.args(["--url", url]);
        }
        run_ok(&mut cmd);
    }

    fn index_text(&self) -> String {
        std::fs::read_to_string(self.path().join("index.yaml")).unwrap()
    }

    fn write_index(&self, text: &str) {
        std::fs::write(self.path().join("index.yaml"), text).unwrap();
    }

    fn helm(&self) -> std::process::Command {
        helm_command(&helm(), self.home.path())
    }
}

fn repository(url: &str) -> HttpRepository {
    HttpRepository::new(url, None, None, false, Duration::from_secs(10)).unwrap()
}

fn credentials() -> BasicAuth {
    BasicAuth {
        username: USER.to_owned(),
        password: PASSWORD.to_owned(),
    }
}

async fn fetch(repo: &HttpRepository) -> (Vec<u8>, IndexValidators) {
    match repo.fetch_index(None).await.unwrap() {
        IndexFetch::Fetched {
            bytes,
            validators,
            digest,
        } => {
            assert_eq!(digest, format!("sha256:{}", sha256_hex(&bytes)));
            (bytes, validators)
        }
        IndexFetch::NotModified => panic!("an unconditional request got 304"),
    }
}

fn resolve(index: &[u8], requested: &str) -> ChartVersion {
    find_chart_version(index, "smoke", requested, &IndexLimits::default()).unwrap()
}

/// The error's message contains every part, and its reason is Flux's.
fn assert_failure(message: impl Display, reason: &str, expected_reason: &str, parts: &[&str]) {
    let message = message.to_string();
    assert_eq!(reason, expected_reason, "reason of: {message}");
    for part in parts {
        assert!(
            message.contains(part),
            "{message:?} does not contain {part:?}"
        );
    }
}

#[tokio::test]
async fn a_chart_is_resolved_downloaded_and_loads_with_its_digest_checked() {
    let repo = RepoDir::new();
    let archive = repo.publish("0.1.0");
    repo.publish("0.2.0");
    repo.publish("0.3.0-rc.1");
    repo.index(None);
    let server = HelmRepoServer::start(repo.path(), RepoOptions::default()).await;
    let http = repository(&format!("{}/", server.url));

    let (index, _) = fetch(&http).await;
    assert_eq!(index, repo.index_text().as_bytes());
    assert_eq!(resolve(&index, "").version, "0.2.0");
    assert_eq!(resolve(&index, ">=0.3.0-0").version, "0.3.0-rc.1");
    let entry = resolve(&index, "0.1.x");
    assert_eq!(entry.version, "0.1.0");
    assert_eq!(entry.urls, ["smoke-0.1.0.tgz"]);

    let bytes = http.download_chart(&entry, MAX_CHART).await.unwrap();
    assert_eq!(bytes, std::fs::read(&archive).unwrap());
    assert_eq!(entry.digest.as_deref(), Some(sha256_hex(&bytes).as_str()));
    let chart = load_chart_archive("smoke-0.1.0", &bytes).unwrap();
    assert_eq!(chart.name(), "smoke");
}

#[tokio::test]
async fn an_unchanged_index_costs_a_304_and_a_new_version_is_seen_next_time() {
    let repo = RepoDir::new();
    repo.publish("0.1.0");
    repo.index(None);
    let options = RepoOptions {
        validators: true,
        ..Default::default()
    };
    let server = HelmRepoServer::start(repo.path(), options).await;
    let http = repository(&server.url);

    let (index, validators) = fetch(&http).await;
    assert!(validators.etag.is_some() && validators.last_modified.is_some());
    assert_eq!(resolve(&index, "*").version, "0.1.0");
    let again = http.fetch_index(Some(&validators)).await.unwrap();
    assert_eq!(again, IndexFetch::NotModified);
    let only_modified_since = IndexValidators {
        etag: None,
        ..validators.clone()
    };
    let again = http.fetch_index(Some(&only_modified_since)).await.unwrap();
    assert_eq!(again, IndexFetch::NotModified);

    repo.publish("0.2.0");
    repo.index(None);
    let IndexFetch::Fetched { bytes, .. } = http.fetch_index(Some(&validators)).await.unwrap()
    else {
        panic!("a changed index was reported unchanged");
    };
    assert_eq!(resolve(&bytes, "*").version, "0.2.0");
    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 304, 304, 200]);
}

#[tokio::test]
async fn a_gzip_encoded_index_is_decoded() {
    let repo = RepoDir::new();
    repo.publish("0.1.0");
    repo.index(None);
    let options = RepoOptions {
        gzip: true,
        ..Default::default()
    };
    let server = HelmRepoServer::start(repo.path(), options).await;
    let (index, _) = fetch(&repository(&server.url)).await;
    assert_eq!(index, repo.index_text().as_bytes());
    assert!(server.requests()[0].gzipped);
}

#[tokio::test]
async fn basic_auth_is_sent_and_required() {
    let repo = RepoDir::new();
    repo.publish("0.1.0");
    repo.index(None);
    let options = RepoOptions {
        basic_auth: Some((USER.into(), PASSWORD.into())),
        ..Default::default()
    };
    let server = HelmRepoServer::start(repo.path(), options).await;
    let timeout = Duration::from_secs(10);
    let http = HttpRepository::new(&server.url, Some(credentials()), None, false, timeout).unwrap();
    let (index, _) = fetch(&http).await;
    http.download_chart(&resolve(&index, "0.1.0"), MAX_CHART)
        .await
        .unwrap();

    let err = repository(&server.url).fetch_index(None).await.unwrap_err();
    let url = format!("{}/index.yaml", server.url);
    assert_failure(
        &err,
        err.reason(),
        "AuthenticationFailed",
        &[&url, "401 Unauthorized"],
    );
    server.set_override("/index.yaml", PathOverride::Status(403));
    let err = http.fetch_index(None).await.unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "AuthenticationFailed",
        &["403 Forbidden"],
    );
    assert!(!err.to_string().contains(PASSWORD));
}

#[tokio::test]
async fn tls_needs_the_repository_ca() {
    let repo = RepoDir::new();
    repo.publish("0.1.0");
    repo.index(None);
    let ca = Arc::new(TestCa::generate());
    let options = RepoOptions {
        tls: Some(ca.clone()),
        ..Default::default()
    };
    let server = HelmRepoServer::start(repo.path(), options).await;
    let tls = TlsMaterial {
        ca: Some(ca.ca_pem.clone().into_bytes()),
        cert_and_key: None,
    };
    let timeout = Duration::from_secs(10);
    let http = HttpRepository::new(&server.url, None, Some(tls), false, timeout).unwrap();
    let (index, _) = fetch(&http).await;
    http.download_chart(&resolve(&index, "0.1.0"), MAX_CHART)
        .await
        .unwrap();

    let err = repository(&server.url).fetch_index(None).await.unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "IndexationFailed",
        &[&server.url, "certificate"],
    );
}

#[tokio::test]
async fn mutual_tls_presents_the_client_certificate_from_the_secret() {
    let repo = RepoDir::new();
    repo.publish("0.1.0");
    repo.index(None);
    let ca = Arc::new(TestCa::generate());
    let options = RepoOptions {
        tls: Some(ca.clone()),
        mutual_tls: true,
        ..Default::default()
    };
    let server = HelmRepoServer::start(repo.path(), options).await;
    let secret: SecretData = [
        ("ca.crt", &ca.ca_pem),
        ("tls.crt", &ca.client_cert_pem),
        ("tls.key", &ca.client_key_pem),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone().into_bytes()))
    .collect();
    let tls = TlsMaterial::from_secret(&secret).unwrap().unwrap();
    let timeout = Duration::from_secs(10);
    let http = HttpRepository::new(&server.url, None, Some(tls.clone()), false, timeout).unwrap();
    let (index, _) = fetch(&http).await;
    assert_eq!(resolve(&index, "*").version, "0.1.0");

    let ca_only = TlsMaterial {
        cert_and_key: None,
        ..tls
    };
    let http = HttpRepository::new(&server.url, None, Some(ca_only), false, timeout).unwrap();
    let err = http.fetch_index(None).await.unwrap_err();
    assert_failure(&err, err.reason(), "IndexationFailed", &[&server.url]);
}

/// Helm's getter rule: credentials go to the index host only, unless passCredentials.
#[tokio::test]
async fn credentials_reach_another_chart_host_only_with_pass_credentials() {
    let charts = RepoDir::new();
    charts.publish("0.1.0");
    let auth = RepoOptions {
        basic_auth: Some((USER.into(), PASSWORD.into())),
        ..Default::default()
    };
    let chart_host = HelmRepoServer::start(charts.path(), auth.clone()).await;
    charts.index(Some(&chart_host.url));
    let index_dir = RepoDir::new();
    index_dir.write_index(&charts.index_text());
    let index_host = HelmRepoServer::start(index_dir.path(), auth).await;
    let timeout = Duration::from_secs(10);

    let kept =
        HttpRepository::new(&index_host.url, Some(credentials()), None, false, timeout).unwrap();
    let (index, _) = fetch(&kept).await;
    let entry = resolve(&index, "0.1.0");
    let err = kept.download_chart(&entry, MAX_CHART).await.unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "AuthenticationFailed",
        &["401 Unauthorized"],
    );
    assert!(!chart_host.requests()[0].authorization);

    let passed =
        HttpRepository::new(&index_host.url, Some(credentials()), None, true, timeout).unwrap();
    passed.download_chart(&entry, MAX_CHART).await.unwrap();
    assert!(chart_host.requests()[1].authorization);
    assert!(index_host.requests().iter().all(|r| r.authorization));
}

#[tokio::test]
async fn unreachable_hosts_and_http_errors_are_named() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = format!("http://127.0.0.1:{port}");
    let err = repository(&closed).fetch_index(None).await.unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "IndexationFailed",
        &[&closed, "connection"],
    );

    let err = repository("http://nonexistent.invalid")
        .fetch_index(None)
        .await
        .unwrap_err();
    let parts = ["http://nonexistent.invalid/index.yaml", "dns error"];
    assert_failure(&err, err.reason(), "IndexationFailed", &parts);

    let empty = RepoDir::new();
    let server = HelmRepoServer::start(empty.path(), RepoOptions::default()).await;
    let http = repository(&format!("{}/charts/?token=x", server.url));
    let err = http.fetch_index(None).await.unwrap_err();
    let url = format!("{}/charts/index.yaml?token=x", server.url);
    assert_failure(
        &err,
        err.reason(),
        "IndexationFailed",
        &[&url, "404 Not Found"],
    );
    let http = repository(&server.url);
    server.set_override("/index.yaml", PathOverride::Status(500));
    let err = http.fetch_index(None).await.unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "IndexationFailed",
        &["500 Internal Server Error"],
    );

    server.set_override("/index.yaml", PathOverride::Delay(Duration::from_secs(5)));
    let slow =
        HttpRepository::new(&server.url, None, None, false, Duration::from_millis(300)).unwrap();
    let err = slow.fetch_index(None).await.unwrap_err();
    assert_failure(&err, err.reason(), "IndexationFailed", &["timed out"]);
}

#[tokio::test]
async fn malformed_truncated_and_oversized_indexes_are_reported() {
    let repo = RepoDir::new();
    repo.publish("0.1.0");
    repo.index(None);
    let index = repo.index_text();
    let limits = IndexLimits::default();
    let find = |text: &str, requested: &str| {
        find_chart_version(text.as_bytes(), "smoke", requested, &limits).unwrap_err()
    };

    let err = find("apiVersion: v1\nentries:\n  smoke: [\n", "");
    assert_failure(
        &err,
        err.reason(),
        "IndexationFailed",
        &["index.yaml: line 4:"],
    );
    // Cut inside the quoted `created` time, as a dropped connection would.
    let cut = index.find("created: \"").unwrap() + 14;
    let err = find(&index[..cut], "");
    assert_failure(
        &err,
        err.reason(),
        "IndexationFailed",
        &["index.yaml: line "],
    );
    let err = find(&index.replace("apiVersion: v1\n", ""), "");
    assert_failure(
        &err,
        err.reason(),
        "IndexationFailed",
        &["index.yaml: no apiVersion"],
    );
    let err = find_chart_version(index.as_bytes(), "other", "", &limits).unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "InvalidChartReference",
        &["chart 'other' not found"],
    );
    let err = find(&index, "9.x");
    let message = "no 'smoke' chart with version matching '9.x' found";
    assert_failure(&err, err.reason(), "InvalidChartReference", &[message]);

    let server = HelmRepoServer::start(repo.path(), RepoOptions::default()).await;
    let small = repository(&server.url).with_index_max_size(64);
    let err = small.fetch_index(None).await.unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "IndexationFailed",
        &["larger than the limit of 64"],
    );
}

#[tokio::test]
async fn bad_entries_and_bad_archives_fail_the_download() {
    let repo = RepoDir::new();
    repo.publish("0.1.0");
    repo.index(None);
    let index = repo.index_text();
    let server = HelmRepoServer::start(repo.path(), RepoOptions::default()).await;
    let http = repository(&server.url);
    let entry = resolve(index.as_bytes(), "0.1.0");

    let no_urls = index
        .replace("    - smoke-0.1.0.tgz\n", "")
        .replace("urls:", "urls: []");
    let err =
        find_chart_version(no_urls.as_bytes(), "smoke", "", &IndexLimits::default()).unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "ChartPullError",
        &["entry smoke-0.1.0 has no URLs"],
    );

    let digest = entry.digest.clone().unwrap();
    let wrong = ChartVersion {
        digest: Some("0".repeat(64)),
        ..entry.clone()
    };
    let err = http.download_chart(&wrong, MAX_CHART).await.unwrap_err();
    let parts = ["digest mismatch", &"0".repeat(64), &digest];
    assert_failure(&err, err.reason(), "ChartPullError", &parts);

    let err = http.download_chart(&entry, 100).await.unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "ChartPullError",
        &["larger than the limit of 100"],
    );
    let missing = ChartVersion {
        urls: vec!["smoke-9.9.9.tgz".to_owned()],
        ..entry.clone()
    };
    let err = http.download_chart(&missing, MAX_CHART).await.unwrap_err();
    assert_failure(
        &err,
        err.reason(),
        "ChartPullError",
        &["smoke-9.9.9.tgz", "404"],
    );

    std::fs::write(repo.path().join("smoke-0.1.0.tgz"), b"not a chart archive").unwrap();
    let not_chart = ChartVersion {
        digest: None,
        ..entry
    };
    let bytes = http.download_chart(&not_chart, MAX_CHART).await.unwrap();
    let err = load_chart_archive("smoke-0.1.0", &bytes).unwrap_err();
    let parts = ["smoke-0.1.0 is not a valid chart archive"];
    assert_failure(&err, err.reason(), "ChartPullError", &parts);
}
