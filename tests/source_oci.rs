//! Helm charts and artifacts pulled from the real OCI registry (docker-registry, anonymous
//! and htpasswd), pushed by the real `helm push`; the bytes pulled must equal what
//! `helm pull` returns, and every failure must name its cause and carry Flux's reason.
mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use helmsync::api::ocirepository::{LayerOperation, OciLayerSelector, OciRepositoryRef};
use helmsync::source::credentials::TlsMaterial;
use helmsync::source::oci::{
    ClientOptions, DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE, Error, HELM_CHART_CONTENT,
    HELM_CONFIG, LayerContent, Limits, RegistryClient, RegistryCredentials, Repository,
    pull_artifact, pull_chart, resolve_chart_version,
};
use support::components::{copy_dir, helm, helm_command, repo_dir, run_ok};
use support::registry::{Blob, Registry, Route, ScriptedServer, TokenRegistry, free_port};
use support::repo::{HelmRepoServer, RepoOptions};
use support::tls::TestCa;

const USER: &str = "puller";
const PASSWORD: &str = "correct-horse-battery";

/// A registry, a helm home to push from, and a scratch directory.
struct Fixture {
    registry: Registry,
    home: tempfile::TempDir,
    work: tempfile::TempDir,
}

impl Fixture {
    fn anonymous() -> Fixture {
        Fixture::with(Registry::start_anonymous())
    }

    fn authenticated() -> Fixture {
        Fixture::with(Registry::start_with_auth(USER, PASSWORD))
    }

    fn with(registry: Registry) -> Fixture {
        Fixture {
            registry,
            home: tempfile::tempdir().unwrap(),
            work: tempfile::tempdir().unwrap(),
        }
    }

    /// `oci://host/charts`, the URL of a HelmRepository of type oci.
    fn url(&self) -> String {
        self.registry.charts_url()
    }

    fn helm(&self) -> std::process::Command {
        let mut cmd = helm_command(&helm(), self.home.path());
        cmd.current_dir(self.work.path());
        cmd
    }

    fn with_credentials<'c>(
        &self,
        cmd: &'c mut std::process::Command,
    ) -> &'c mut std::process::Command {
        if let Some((user, password)) = &self.registry.credentials {
            cmd.args(["--username", user, "--password", password]);
        }
        cmd
    }

    /// Packages the smoke chart at `version` with the real helm and pushes it.
    fn push_chart(&self, version: &str) -> PathBuf {
        let source = self.work.path().join(format!("src-{version}"));
        copy_dir(&repo_dir().join("testdata/charts/smoke"), &source);
        let chart_yaml = source.join("Chart.yaml");
        let text = std::fs::read_to_string(&chart_yaml).unwrap();
        let text = text.replace("version: 0.1.0", &format!("version: {version}"));
        std::fs::write(&chart_yaml, text).unwrap();
        let out = self.work.path().join(format!("pkg-{version}"));
        run_ok(self.helm().arg("package").arg(&source).arg("-d").arg(&out));
        let archive = out.join(format!("smoke-{version}.tgz"));
        self.registry.push_chart(&archive);
        archive
    }

    /// What `helm pull` returns for `version`.
    fn helm_pull(&self, version: &str) -> Vec<u8> {
        let dir = self.work.path().join(format!("pulled-{version}"));
        std::fs::create_dir_all(&dir).unwrap();
        let reference = format!("{}/smoke", self.url());
        let mut pull = self.helm();
        pull.args([
            "pull",
            &reference,
            "--version",
            version,
            "--plain-http",
            "-d",
        ])
        .arg(&dir);
        run_ok(self.with_credentials(&mut pull));
        std::fs::read(dir.join(format!("smoke-{version}.tgz"))).unwrap()
    }

    fn client(&self, credentials: RegistryCredentials) -> RegistryClient {
        RegistryClient::new(&self.registry.host, credentials, insecure()).unwrap()
    }

    fn anonymous_client(&self) -> RegistryClient {
        self.client(RegistryCredentials::Anonymous)
    }
}

fn insecure() -> ClientOptions {
    ClientOptions {
        insecure: true,
        timeout: Duration::from_secs(20),
        ..ClientOptions::default()
    }
}

fn assert_error(error: &Error, reason: &str, fragments: &[&str]) {
    let message = error.to_string();
    assert_eq!(error.reason(), reason, "reason of: {message}");
    for fragment in fragments {
        assert!(message.contains(fragment), "{fragment:?} not in: {message}");
    }
}

#[tokio::test]
async fn an_exact_version_pulls_the_bytes_helm_pull_returns() {
    let f = Fixture::anonymous();
    let pushed = std::fs::read(f.push_chart("0.1.0")).unwrap();
    f.push_chart("0.2.0");
    let chart = pull_chart(&f.anonymous_client(), &f.url(), "smoke", "0.1.0")
        .await
        .unwrap();
    assert_eq!(chart.version, "0.1.0");
    assert_eq!(chart.tag, "0.1.0");
    assert_eq!(
        chart.reference,
        format!("{}/charts/smoke:0.1.0", f.registry.host)
    );
    assert_eq!(
        chart.archive,
        f.helm_pull("0.1.0"),
        "differs from helm pull"
    );
    assert_eq!(chart.archive, pushed, "differs from the pushed archive");
    assert_eq!(
        chart.digest.as_str(),
        support::registry::sha256_digest(&pushed)
    );
    helmsync_engine::chart::load_archive(&chart.archive).expect("the pulled chart loads");
}

#[tokio::test]
async fn a_range_picks_the_highest_matching_version_and_sees_new_pushes() {
    let f = Fixture::anonymous();
    for version in ["0.1.0", "0.2.0", "1.0.0", "1.1.0-rc.1"] {
        f.push_chart(version);
    }
    let client = f.anonymous_client();
    let url = f.url();
    let pull = |range: &'static str| pull_chart(&client, &url, "smoke", range);
    assert_eq!(pull("<1.0.0").await.unwrap().version, "0.2.0");
    assert_eq!(pull("~0.1").await.unwrap().version, "0.1.0");
    assert_eq!(pull("*").await.unwrap().version, "1.0.0", "stable only");
    assert_eq!(
        pull("").await.unwrap().version,
        "1.0.0",
        "empty is latest stable"
    );
    assert_eq!(pull(">=1.1.0-0").await.unwrap().version, "1.1.0-rc.1");

    f.push_chart("1.2.0");
    let newer = pull("1.x").await.unwrap();
    assert_eq!(
        newer.version, "1.2.0",
        "a newly pushed version is picked up"
    );
    assert_eq!(newer.archive, f.helm_pull("1.2.0"));
}

#[tokio::test]
async fn build_metadata_versions_travel_as_underscore_tags() {
    let f = Fixture::anonymous();
    f.push_chart("1.0.0+build.7");
    let client = f.anonymous_client();
    let exact = pull_chart(&client, &f.url(), "smoke", "1.0.0+build.7")
        .await
        .unwrap();
    assert_eq!(exact.tag, "1.0.0_build.7");
    assert_eq!(exact.archive, f.helm_pull("1.0.0+build.7"));
    let ranged = pull_chart(&client, &f.url(), "smoke", "~1.0.0")
        .await
        .unwrap();
    assert_eq!(ranged.version, "1.0.0+build.7");
    assert_eq!(ranged.tag, "1.0.0_build.7");
}

#[tokio::test]
async fn an_oci_repository_resolves_tags_semver_and_digests_with_flux_revisions() {
    let f = Fixture::anonymous();
    f.push_chart("0.1.0");
    f.push_chart("0.2.0+meta");
    let client = f.anonymous_client();
    let url = format!("{}/smoke", f.url());
    let copy = OciLayerSelector {
        media_type: Some(HELM_CHART_CONTENT.to_owned()),
        operation: Some(LayerOperation::Copy),
    };
    let by_tag = OciRepositoryRef {
        tag: Some("0.1.0".into()),
        ..Default::default()
    };
    let tagged = pull_artifact(&client, &url, Some(&by_tag), Some(&copy))
        .await
        .unwrap();
    let digest = tagged.manifest.digest.to_string();
    assert_eq!(tagged.revision, format!("0.1.0@{digest}"));
    assert_eq!(tagged.content, LayerContent::Copied(f.helm_pull("0.1.0")));

    let by_semver = OciRepositoryRef {
        semver: Some(">=0.1.0".into()),
        tag: Some("0.1.0".into()),
        ..Default::default()
    };
    let ranged = pull_artifact(&client, &url, Some(&by_semver), Some(&copy))
        .await
        .unwrap();
    assert!(
        ranged.revision.starts_with("0.2.0_meta@sha256:"),
        "{}",
        ranged.revision
    );

    let by_digest = OciRepositoryRef {
        digest: Some(digest.clone()),
        semver: Some(">=0.1.0".into()),
        ..Default::default()
    };
    let pinned = pull_artifact(&client, &url, Some(&by_digest), Some(&copy))
        .await
        .unwrap();
    assert_eq!(pinned.revision, digest, "a digest ref beats semver");
    assert_eq!(pinned.content, tagged.content);

    let extracted = pull_artifact(&client, &url, Some(&by_tag), None)
        .await
        .unwrap();
    let LayerContent::Extracted(files) = extracted.content else {
        panic!("the default operation is extract");
    };
    let chart_yaml = files
        .iter()
        .find(|f| f.path == "smoke/Chart.yaml")
        .expect("Chart.yaml");
    assert!(String::from_utf8_lossy(&chart_yaml.data).contains("version: 0.1.0"));
}

#[tokio::test]
async fn an_oci_repository_without_ref_pulls_latest_and_selects_layers_by_media_type() {
    let f = Fixture::anonymous();
    let files = tar_gz(&[("manifests/app.yaml", b"kind: ConfigMap\n")]);
    let digest = f
        .registry
        .push_artifact(
            "apps/demo",
            "latest",
            Blob {
                media_type: "application/vnd.cncf.flux.config.v1+json",
                data: b"{}",
            },
            &[Blob {
                media_type: "application/vnd.cncf.flux.content.v1.tar+gzip",
                data: &files,
            }],
        )
        .await;
    let client = f.anonymous_client();
    let url = format!("oci://{}/apps/demo", f.registry.host);
    let pulled = pull_artifact(&client, &url, None, None).await.unwrap();
    assert_eq!(pulled.revision, format!("latest@{digest}"));
    let LayerContent::Extracted(extracted) = pulled.content else {
        panic!("extract is the default");
    };
    assert_eq!(extracted[0].path, "manifests/app.yaml");

    let missing = OciLayerSelector {
        media_type: Some("application/x-missing".into()),
        operation: None,
    };
    let error = pull_artifact(&client, &url, None, Some(&missing))
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactLayerOperationFailed",
        &["failed to find layer with media type 'application/x-missing'"],
    );

    let garbage = f
        .registry
        .push_artifact(
            "apps/garbage",
            "latest",
            Blob {
                media_type: "application/vnd.cncf.flux.config.v1+json",
                data: b"{}",
            },
            &[Blob {
                media_type: "application/octet-stream",
                data: b"not a tarball",
            }],
        )
        .await;
    let url = format!("oci://{}/apps/garbage", f.registry.host);
    let error = pull_artifact(&client, &url, None, None).await.unwrap_err();
    assert_error(
        &error,
        "OCIArtifactLayerOperationFailed",
        &["failed to extract layer contents", &garbage],
    );
}

#[tokio::test]
async fn an_artifact_that_is_not_a_helm_chart_is_refused_as_a_chart() {
    let f = Fixture::anonymous();
    let layer = tar_gz(&[("smoke/Chart.yaml", b"name: smoke\n")]);
    f.registry
        .push_artifact(
            "charts/smoke",
            "1.0.0",
            Blob {
                media_type: "application/vnd.example.config.v1+json",
                data: b"{}",
            },
            &[Blob {
                media_type: HELM_CHART_CONTENT,
                data: &layer,
            }],
        )
        .await;
    let error = pull_chart(&f.anonymous_client(), &f.url(), "smoke", "1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[
            "charts/smoke:1.0.0 is not a Helm chart",
            "config media type is 'application/vnd.example.config.v1+json'",
            "expected 'application/vnd.cncf.helm.config.v1+json'",
        ],
    );
    assert_eq!(error.chart_reason(), "ChartPullError");

    let as_chart = OciLayerSelector {
        media_type: Some(HELM_CHART_CONTENT.to_owned()),
        operation: Some(LayerOperation::Copy),
    };
    let url = format!("{}/smoke", f.url());
    let tag = OciRepositoryRef {
        tag: Some("1.0.0".into()),
        ..Default::default()
    };
    let error = pull_artifact(&f.anonymous_client(), &url, Some(&tag), Some(&as_chart))
        .await
        .unwrap_err();
    assert_error(&error, "OCIArtifactPullFailed", &["is not a Helm chart"]);
}

#[tokio::test]
async fn basic_auth_and_docker_config_secrets_both_pull_from_an_htpasswd_registry() {
    let f = Fixture::authenticated();
    f.push_chart("0.1.0");
    let expected = f.helm_pull("0.1.0");
    let host = f.registry.host.clone();

    let basic: BTreeMap<String, Vec<u8>> = [("username", USER), ("password", PASSWORD)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.as_bytes().to_vec()))
        .collect();
    let credentials = RegistryCredentials::from_secret("basic", None, &basic, &host).unwrap();
    let chart = pull_chart(&f.client(credentials), &f.url(), "smoke", "0.x")
        .await
        .unwrap();
    assert_eq!(chart.archive, expected);

    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    for key in [host.clone(), format!("http://{host}")] {
        let config = format!(r#"{{"auths":{{"{key}":{{"auth":"{auth}"}}}}}}"#);
        let secret = BTreeMap::from([(DOCKER_CONFIG_JSON_KEY.to_owned(), config.into_bytes())]);
        let credentials = RegistryCredentials::from_secret(
            "regcred",
            Some(DOCKER_CONFIG_JSON_TYPE),
            &secret,
            &host,
        )
        .unwrap();
        let chart = pull_chart(&f.client(credentials), &f.url(), "smoke", "0.1.0")
            .await
            .unwrap();
        assert_eq!(chart.archive, expected, "docker config key {key}");
    }
}

#[tokio::test]
async fn an_htpasswd_registry_refuses_missing_and_wrong_credentials() {
    let f = Fixture::authenticated();
    f.push_chart("0.1.0");
    let error = pull_chart(&f.anonymous_client(), &f.url(), "smoke", "0.1.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "AuthenticationFailed",
        &[
            "401",
            "requires credentials and none were given",
            &format!("http://{}/v2/", f.registry.host),
        ],
    );
    assert_eq!(error.chart_reason(), "AuthenticationFailed");

    let wrong = RegistryCredentials::basic(USER, "not-the-password");
    let error = pull_chart(&f.client(wrong), &f.url(), "smoke", "0.1.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "AuthenticationFailed",
        &["401", "the registry refused the credentials"],
    );
    let debug = format!("{error:?} {error}");
    assert!(
        !debug.contains("not-the-password"),
        "the password leaked: {debug}"
    );

    let artifact = pull_artifact(
        &f.anonymous_client(),
        &format!("{}/smoke", f.url()),
        None,
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(artifact.reason(), "AuthenticationFailed");
}

#[tokio::test]
async fn missing_repositories_tags_and_digests_are_reported_as_not_found() {
    let f = Fixture::anonymous();
    f.push_chart("0.1.0");
    let client = f.anonymous_client();

    let error = pull_chart(&client, &f.url(), "absent", "1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[
            "manifest",
            "charts/absent:1.0.0 not found",
            "404",
            "MANIFEST_UNKNOWN",
        ],
    );
    let error = pull_chart(&client, &f.url(), "absent", ">=1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[
            "repository",
            "charts/absent not found",
            "/tags/list",
            "NAME_UNKNOWN",
        ],
    );

    let digest = format!("sha256:{}", "0".repeat(64));
    let by_digest = OciRepositoryRef {
        digest: Some(digest.clone()),
        ..Default::default()
    };
    let url = format!("{}/smoke", f.url());
    let error = pull_artifact(&client, &url, Some(&by_digest), None)
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[&format!("smoke@{digest} not found"), "404"],
    );
}

#[tokio::test]
async fn a_range_nothing_satisfies_names_the_range() {
    let f = Fixture::anonymous();
    f.push_chart("0.1.0");
    let client = f.anonymous_client();
    let error = pull_chart(&client, &f.url(), "smoke", ">=5.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[
            "charts/smoke",
            "could not locate a version matching provided version string >=5.0.0",
        ],
    );
    assert_eq!(error.chart_reason(), "InvalidChartReference");

    let semver = OciRepositoryRef {
        semver: Some("^9".into()),
        ..Default::default()
    };
    let url = format!("{}/smoke", f.url());
    let error = pull_artifact(&client, &url, Some(&semver), None)
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &["no match found for semver: ^9"],
    );
}

#[tokio::test]
async fn a_host_that_is_not_a_registry_or_not_listening_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let server = HelmRepoServer::start(dir.path(), RepoOptions::default()).await;
    let host = server.addr.to_string();
    let client = RegistryClient::new(&host, RegistryCredentials::Anonymous, insecure()).unwrap();
    let error = pull_chart(&client, &format!("oci://{host}/charts"), "smoke", "1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[
            &format!("http://{host} is not an OCI registry"),
            "GET /v2/ answered 404",
        ],
    );

    let host = format!("127.0.0.1:{}", free_port());
    let client = RegistryClient::new(&host, RegistryCredentials::Anonymous, insecure()).unwrap();
    let error = pull_chart(&client, &format!("oci://{host}/charts"), "smoke", "1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[&format!("GET http://{host}/v2/"), "onnection refused"],
    );
}

#[tokio::test]
async fn plain_http_is_used_only_when_insecure_and_tls_needs_the_ca() {
    support::init_crypto();
    let f = Fixture::anonymous();
    f.push_chart("0.1.0");
    let secure = ClientOptions {
        insecure: false,
        ..insecure()
    };
    let client = RegistryClient::new(
        &f.registry.host,
        RegistryCredentials::Anonymous,
        secure.clone(),
    )
    .unwrap();
    let error = pull_chart(&client, &f.url(), "smoke", "0.1.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[
            &format!("GET https://{}/v2/", f.registry.host),
            "needs `insecure: true`",
        ],
    );

    let ca = TestCa::generate();
    let registry = Registry::start_tls(&ca);
    let url = format!("oci://{}/apps/demo", registry.host);
    let untrusted = RegistryClient::new(
        &registry.host,
        RegistryCredentials::Anonymous,
        secure.clone(),
    )
    .unwrap();
    let error = pull_artifact(&untrusted, &url, None, None)
        .await
        .unwrap_err();
    assert_error(&error, "OCIArtifactPullFailed", &["certificate"]);

    let trusted = RegistryClient::new(
        &registry.host,
        RegistryCredentials::Anonymous,
        ClientOptions {
            tls: Some(TlsMaterial {
                ca: Some(ca.ca_pem.clone().into_bytes()),
                cert_and_key: None,
            }),
            ..secure
        },
    )
    .unwrap();
    let error = pull_artifact(&trusted, &url, None, None).await.unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &["apps/demo:latest not found"],
    );
}

#[tokio::test]
async fn an_unparsable_url_is_url_invalid() {
    let client =
        RegistryClient::new("127.0.0.1:1", RegistryCredentials::Anonymous, insecure()).unwrap();
    let error = pull_artifact(&client, "https://example.com/app", None, None)
        .await
        .unwrap_err();
    assert_error(&error, "URLInvalid", &["must start with oci://"]);
    let error = pull_chart(&client, "oci://127.0.0.1:1/charts", "Bad_Name", "1.0.0")
        .await
        .unwrap_err();
    assert_eq!(error.chart_reason(), "InvalidChartReference");
}

fn tar_gz(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, path, *data).unwrap();
    }
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &tar).unwrap();
    gz.finish().unwrap()
}

#[tokio::test]
async fn tag_lists_are_followed_across_pages_of_the_real_registry() {
    let f = Fixture::anonymous();
    let layer = tar_gz(&[("smoke/Chart.yaml", b"name: smoke\n")]);
    for tag in ["0.1.0", "0.5.0", "0.3.0", "0.2.0", "0.4.0", "latest"] {
        f.registry
            .push_artifact(
                "charts/smoke",
                tag,
                Blob {
                    media_type: HELM_CONFIG,
                    data: b"{}",
                },
                &[Blob {
                    media_type: HELM_CHART_CONTENT,
                    data: &layer,
                }],
            )
            .await;
    }
    let options = ClientOptions {
        limits: Limits {
            tag_page_size: 2,
            ..Limits::default()
        },
        ..insecure()
    };
    let client =
        RegistryClient::new(&f.registry.host, RegistryCredentials::Anonymous, options).unwrap();
    let repository = Repository::for_chart(&f.url(), "smoke").unwrap();
    let tags = client.list_tags(&repository).await.unwrap();
    assert_eq!(tags.len(), 6, "{tags:?}");
    assert_eq!(
        resolve_chart_version(&client, &repository, "*")
            .await
            .unwrap(),
        "0.5.0"
    );
}

#[tokio::test]
async fn a_token_service_trades_basic_credentials_for_a_scoped_bearer_token() {
    let pages = vec![vec!["0.1.0", "0.2.0"], vec!["1.0.0", "0.3.0", "not-semver"]];
    let registry = TokenRegistry::start(USER, PASSWORD, pages).await;
    let url = format!("oci://{}/charts", registry.host);
    let repository = Repository::for_chart(&url, "smoke").unwrap();
    let client = RegistryClient::new(
        &registry.host,
        RegistryCredentials::basic(USER, PASSWORD),
        insecure(),
    )
    .unwrap();
    client.ping().await.unwrap();
    assert_eq!(
        resolve_chart_version(&client, &repository, "*")
            .await
            .unwrap(),
        "1.0.0"
    );
    assert_eq!(
        resolve_chart_version(&client, &repository, "<1")
            .await
            .unwrap(),
        "0.3.0"
    );
    let scopes = registry.scopes.lock().unwrap().clone();
    assert_eq!(
        scopes,
        ["", "repository:charts/smoke:pull"],
        "one token per scope, reused"
    );

    let wrong = RegistryClient::new(
        &registry.host,
        RegistryCredentials::basic(USER, "wrong-password"),
        insecure(),
    )
    .unwrap();
    let error = wrong.ping().await.unwrap_err();
    assert_error(
        &error,
        "AuthenticationFailed",
        &[
            &format!("GET http://{}/token?service=fake", registry.host),
            "refused the credentials",
        ],
    );
    assert!(!format!("{error:?}").contains("wrong-password"));
}

#[tokio::test]
async fn a_registry_that_never_answers_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let options = ClientOptions {
        timeout: Duration::from_millis(500),
        ..insecure()
    };
    let client = RegistryClient::new(&host, RegistryCredentials::Anonymous, options).unwrap();
    let started = std::time::Instant::now();
    let error = pull_chart(&client, &format!("oci://{host}/charts"), "smoke", "1.0.0")
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_error(&error, "OCIArtifactPullFailed", &["timed out after 500ms"]);
    held.abort();
}

#[tokio::test]
async fn a_layer_larger_than_the_limit_is_refused_before_download() {
    let f = Fixture::anonymous();
    let big = vec![7u8; 2 * 1024 * 1024];
    f.registry
        .push_artifact(
            "charts/smoke",
            "1.0.0",
            Blob {
                media_type: HELM_CONFIG,
                data: b"{}",
            },
            &[Blob {
                media_type: HELM_CHART_CONTENT,
                data: &big,
            }],
        )
        .await;
    let options = ClientOptions {
        limits: Limits {
            max_blob_size: 1024 * 1024,
            ..Limits::default()
        },
        ..insecure()
    };
    let client =
        RegistryClient::new(&f.registry.host, RegistryCredentials::Anonymous, options).unwrap();
    let error = pull_chart(&client, &f.url(), "smoke", "1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[
            "(application/vnd.cncf.helm.chart.content.v1.tar+gzip)",
            "larger than the limit of 1048576 bytes",
        ],
    );
}

/// A registry whose chart manifest declares a layer of `declared` bytes and which serves
/// `served` for it.
async fn scripted_chart(declared: &[u8], served: &[u8]) -> ScriptedServer {
    let config = b"{}";
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": HELM_CONFIG, "digest": support::registry::sha256_digest(config), "size": 2},
        "layers": [{
            "mediaType": HELM_CHART_CONTENT,
            "digest": support::registry::sha256_digest(declared),
            "size": declared.len(),
        }],
    });
    let route = |path: String, content_type, body: Vec<u8>| Route {
        path,
        status: 200,
        content_type,
        body,
    };
    ScriptedServer::start(vec![
        route("/v2/".into(), "application/json", b"{}".to_vec()),
        route(
            "/v2/charts/smoke/manifests/1.0.0".into(),
            "application/vnd.oci.image.manifest.v1+json",
            manifest.to_string().into_bytes(),
        ),
        route(
            format!(
                "/v2/charts/smoke/blobs/{}",
                support::registry::sha256_digest(declared)
            ),
            "application/octet-stream",
            served.to_vec(),
        ),
    ])
    .await
}

#[tokio::test]
async fn blobs_that_do_not_match_their_descriptor_are_refused() {
    let server = scripted_chart(b"the chart", b"the chary").await;
    let client =
        RegistryClient::new(&server.host, RegistryCredentials::Anonymous, insecure()).unwrap();
    let url = format!("oci://{}/charts", server.host);
    let error = pull_chart(&client, &url, "smoke", "1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &[
            &format!(
                "has digest {}",
                support::registry::sha256_digest(b"the chary")
            ),
            &format!(
                "expected {}",
                support::registry::sha256_digest(b"the chart")
            ),
        ],
    );

    let server = scripted_chart(b"short", b"longer than declared").await;
    let client =
        RegistryClient::new(&server.host, RegistryCredentials::Anonymous, insecure()).unwrap();
    let url = format!("oci://{}/charts", server.host);
    let error = pull_chart(&client, &url, "smoke", "1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &["more bytes than the 5 the manifest declares"],
    );

    let server = scripted_chart(b"the chart", b"the chart").await;
    let client =
        RegistryClient::new(&server.host, RegistryCredentials::Anonymous, insecure()).unwrap();
    let url = format!("oci://{}/charts", server.host);
    let chart = pull_chart(&client, &url, "smoke", "1.0.0").await.unwrap();
    assert_eq!(
        chart.archive, b"the chart",
        "the same server with honest bytes works"
    );
}

#[tokio::test]
async fn an_oversized_manifest_is_refused() {
    let huge = vec![b' '; 5 * 1024 * 1024];
    let server = ScriptedServer::start(vec![
        Route {
            path: "/v2/".into(),
            status: 200,
            content_type: "application/json",
            body: b"{}".to_vec(),
        },
        Route {
            path: "/v2/charts/smoke/manifests/1.0.0".into(),
            status: 200,
            content_type: "application/vnd.oci.image.manifest.v1+json",
            body: huge,
        },
    ])
    .await;
    let client =
        RegistryClient::new(&server.host, RegistryCredentials::Anonymous, insecure()).unwrap();
    let url = format!("oci://{}/charts", server.host);
    let error = pull_chart(&client, &url, "smoke", "1.0.0")
        .await
        .unwrap_err();
    assert_error(
        &error,
        "OCIArtifactPullFailed",
        &["manifest from", "larger than the limit of 4194304 bytes"],
    );
}

/// Peak resident memory of this process so far, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Figures for the record: `cargo test --release --test source_oci -- --ignored --nocapture`.
#[tokio::test]
#[ignore]
async fn measure_pull_latency_and_blob_throughput() {
    let f = Fixture::anonymous();
    f.push_chart("0.1.0");
    let client = f.anonymous_client();
    let mut times = Vec::new();
    for _ in 0..50 {
        let started = std::time::Instant::now();
        pull_chart(&client, &f.url(), "smoke", "0.1.0")
            .await
            .unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    eprintln!(
        "FIGURE exact-version chart pull, median of 50: {:?}",
        times[25]
    );

    let layer = tar_gz(&[("smoke/Chart.yaml", b"name: smoke\n")]);
    for minor in 0..200 {
        f.registry
            .push_artifact(
                "charts/many",
                &format!("1.{minor}.0"),
                Blob {
                    media_type: HELM_CONFIG,
                    data: b"{}",
                },
                &[Blob {
                    media_type: HELM_CHART_CONTENT,
                    data: &layer,
                }],
            )
            .await;
    }
    let started = std::time::Instant::now();
    let chart = pull_chart(&client, &f.url(), "many", "^1.0.0")
        .await
        .unwrap();
    eprintln!(
        "FIGURE range over 200 tags ({}): {:?}",
        chart.version,
        started.elapsed()
    );

    let big: Vec<u8> = (0..64u32 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    f.registry
        .push_artifact(
            "apps/big",
            "latest",
            Blob {
                media_type: "application/vnd.example.config.v1+json",
                data: b"{}",
            },
            &[Blob {
                media_type: "application/octet-stream",
                data: &big,
            }],
        )
        .await;
    drop(big);
    // Resets the high-water mark (Linux ≥ 4.0), so the peak below is the pull's own.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = peak_rss_kib();
    let copy = OciLayerSelector {
        media_type: None,
        operation: Some(LayerOperation::Copy),
    };
    let url = format!("oci://{}/apps/big", f.registry.host);
    let started = std::time::Instant::now();
    let pulled = pull_artifact(&client, &url, None, Some(&copy))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "FIGURE 64 MiB layer pulled and sha256-verified in {elapsed:?} ({:.0} MiB/s); peak RSS {} -> {} MiB",
        64.0 / elapsed.as_secs_f64(),
        before / 1024,
        peak_rss_kib() / 1024
    );
    drop(pulled);
}
