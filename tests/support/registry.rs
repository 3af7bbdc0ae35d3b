//! A real OCI registry (Debian's docker-registry, distribution 2.8) on a free loopback port,
//! anonymous or with htpasswd basic auth. Stopped when dropped.
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::components::{component, helm, helm_command, run_ok};
use super::tls::TestCa;

pub struct Registry {
    /// `127.0.0.1:PORT`, as `oci://` references and `helm --plain-http` use it.
    pub host: String,
    pub credentials: Option<(String, String)>,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Registry {
    pub fn start_anonymous() -> Registry {
        Registry::start(None)
    }

    pub fn start_with_auth(user: &str, password: &str) -> Registry {
        Registry::start(Some((user.to_owned(), password.to_owned())))
    }

    /// An anonymous registry serving HTTPS with a certificate from `ca`.
    pub fn start_tls(ca: &TestCa) -> Registry {
        Registry::start_with(None, Some(ca))
    }

    fn start(credentials: Option<(String, String)>) -> Registry {
        Registry::start_with(credentials, None)
    }

    fn start_with(credentials: Option<(String, String)>, tls: Option<&TestCa>) -> Registry {
        let binary = component("registry", "registry");
        let dir = tempfile::tempdir().expect("registry dir");
        let port = free_port();
        let host = format!("127.0.0.1:{port}");
        let auth = match &credentials {
            Some((user, password)) => {
                // The registry accepts bcrypt entries only.
                let hash = bcrypt::hash(password, 4).expect("bcrypt");
                std::fs::write(dir.path().join("htpasswd"), format!("{user}:{hash}\n"))
                    .expect("write htpasswd");
                format!(
                    "auth:\n  htpasswd:\n    realm: basic-realm\n    path: {}\n",
                    dir.path().join("htpasswd").display()
                )
            }
            None => String::new(),
        };
        let tls = match tls {
            Some(ca) => {
                ca.write_files(dir.path());
                format!(
                    "  tls:\n    certificate: {}\n    key: {}\n",
                    dir.path().join("tls.crt").display(),
                    dir.path().join("tls.key").display()
                )
            }
            None => String::new(),
        };
        let config = format!(
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {host}\n  secret: helmsync-test\n{tls}{auth}",
            dir.path().join("data").display()
        );
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).expect("write registry config");
        let log = std::fs::File::create(dir.path().join("registry.log")).expect("registry log");
        let child = Command::new(&binary)
            .arg("serve")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log fd"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut registry = Registry {
            host,
            credentials,
            child,
            _dir: dir,
        };
        registry.wait_ready();
        registry
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the registry exited with {status}: {}", self.log());
            }
            if TcpStream::connect(&self.host).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the registry did not listen on {} within 20s: {}",
            self.host,
            self.log()
        );
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("registry.log")).unwrap_or_default()
    }

    /// `oci://host/charts`, the URL of a HelmRepository of type oci on this registry.
    pub fn charts_url(&self) -> String {
        format!("oci://{}/charts", self.host)
    }

    /// Pushes a chart archive to `charts_url()` with the real `helm push`, from a helm home
    /// of its own; returns that URL.
    pub fn push_chart(&self, archive: &Path) -> String {
        let url = self.charts_url();
        let home = tempfile::tempdir().expect("helm home");
        let mut push = helm_command(&helm(), home.path());
        push.arg("push").arg(archive).arg(&url).arg("--plain-http");
        if let Some((user, password)) = &self.credentials {
            push.args(["--username", user, "--password", password]);
        }
        run_ok(&mut push);
        url
    }

    pub fn data_dir(&self) -> &Path {
        self._dir.path()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}

/// One blob of an artifact pushed through the distribution API.
pub struct Blob<'a> {
    pub media_type: &'a str,
    pub data: &'a [u8],
}

pub fn sha256_digest(data: &[u8]) -> String {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(data);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl Registry {
    /// Pushes an OCI artifact with the raw v2 API over plain HTTP (blob uploads, then the
    /// manifest under `tag`), as the registry's own credentials allow; returns the
    /// manifest's digest.
    pub async fn push_artifact(
        &self,
        name: &str,
        tag: &str,
        config: Blob<'_>,
        layers: &[Blob<'_>],
    ) -> String {
        let http = reqwest::Client::new();
        let base = format!("http://{}", self.host);
        let auth = |request: reqwest::RequestBuilder| match &self.credentials {
            Some((user, password)) => request.basic_auth(user, Some(password)),
            None => request,
        };
        let mut descriptors = Vec::new();
        for blob in std::iter::once(&config).chain(layers) {
            let digest = sha256_digest(blob.data);
            let started = auth(http.post(format!("{base}/v2/{name}/blobs/uploads/")))
                .send()
                .await
                .expect("start blob upload");
            assert_eq!(started.status().as_u16(), 202, "blob upload start");
            let location = started
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .expect("upload location")
                .to_owned();
            let location = if location.starts_with("http") {
                location
            } else {
                format!("{base}{location}")
            };
            let separator = if location.contains('?') { '&' } else { '?' };
            let put = auth(http.put(format!("{location}{separator}digest={digest}")))
                .header("content-type", "application/octet-stream")
                .body(blob.data.to_vec())
                .send()
                .await
                .expect("upload blob");
            assert_eq!(put.status().as_u16(), 201, "blob upload");
            descriptors.push(serde_json::json!({
                "mediaType": blob.media_type,
                "digest": digest,
                "size": blob.data.len(),
            }));
        }
        let config = descriptors.remove(0);
        let manifest = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": config,
            "layers": descriptors,
        }))
        .expect("manifest json");
        let put = auth(http.put(format!("{base}/v2/{name}/manifests/{tag}")))
            .header("content-type", "application/vnd.oci.image.manifest.v1+json")
            .body(manifest.clone())
            .send()
            .await
            .expect("put manifest");
        assert_eq!(put.status().as_u16(), 201, "manifest upload");
        sha256_digest(&manifest)
    }
}

/// A stand-in for a registry behind a token service (as Docker Hub, GHCR, Harbor are): every
/// `/v2/` request wants `Bearer <token>`, `GET /token` trades Basic credentials for one, and
/// the tag list of `charts/smoke` comes in pages linked by `Link` headers. It records the
/// `scope` of every token request.
pub struct TokenRegistry {
    pub host: String,
    pub scopes: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

const TOKEN: &str = "issued-token";

impl TokenRegistry {
    pub async fn start(user: &str, password: &str, pages: Vec<Vec<&'static str>>) -> TokenRegistry {
        use base64::Engine as _;
        use hyper::body::Bytes;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let host = listener.local_addr().expect("addr").to_string();
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        );
        let scopes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let state = std::sync::Arc::new((host.clone(), basic, pages, scopes.clone()));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = state.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req: hyper::Request<_>| {
                        let state = state.clone();
                        async move {
                            let (host, basic, pages, scopes) = &*state;
                            let auth = req
                                .headers()
                                .get("authorization")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned();
                            let path = req.uri().path().to_owned();
                            let query = req.uri().query().unwrap_or("").to_owned();
                            let reply = |status: u16, body: String| {
                                hyper::Response::builder()
                                    .status(status)
                                    .header("content-type", "application/json")
                                    .body(http_body_util::Full::new(Bytes::from(body)))
                            };
                            let response = if path == "/token" {
                                let scope = query
                                    .split('&')
                                    .find_map(|p| p.strip_prefix("scope="))
                                    .unwrap_or("")
                                    .replace("%3A", ":")
                                    .replace("%2F", "/");
                                scopes.lock().unwrap().push(scope);
                                if auth == *basic {
                                    reply(200, format!(r#"{{"token":"{TOKEN}"}}"#))
                                } else {
                                    reply(401, "{}".into())
                                }
                            } else if auth != format!("Bearer {TOKEN}") {
                                let scope = path
                                    .strip_prefix("/v2/")
                                    .and_then(|p| p.strip_suffix("/tags/list"))
                                    .map(|name| format!(",scope=\"repository:{name}:pull\""))
                                    .unwrap_or_default();
                                hyper::Response::builder()
                                    .status(401)
                                    .header(
                                        "www-authenticate",
                                        format!(
                                            "Bearer realm=\"http://{host}/token\",service=\"fake\"{scope}"
                                        ),
                                    )
                                    .body(http_body_util::Full::new(Bytes::from_static(
                                        br#"{"errors":[{"code":"UNAUTHORIZED","message":"token required"}]}"#,
                                    )))
                            } else if path == "/v2/" {
                                reply(200, "{}".into())
                            } else if path == "/v2/charts/smoke/tags/list" {
                                let page: usize = query
                                    .split('&')
                                    .find_map(|p| p.strip_prefix("page="))
                                    .and_then(|p| p.parse().ok())
                                    .unwrap_or(0);
                                let tags = pages.get(page).cloned().unwrap_or_default();
                                let body =
                                    serde_json::json!({"name": "charts/smoke", "tags": tags});
                                let mut builder = hyper::Response::builder().status(200);
                                if page + 1 < pages.len() {
                                    builder = builder.header(
                                        "link",
                                        format!(
                                            "</v2/charts/smoke/tags/list?page={}>; rel=\"next\"",
                                            page + 1
                                        ),
                                    );
                                }
                                builder
                                    .body(http_body_util::Full::new(Bytes::from(body.to_string())))
                            } else {
                                reply(404, "{}".into())
                            };
                            Ok::<_, std::convert::Infallible>(response.expect("response"))
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        TokenRegistry { host, scopes, task }
    }
}

impl Drop for TokenRegistry {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One fixed answer of a `ScriptedServer`.
pub struct Route {
    pub path: String,
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// An HTTP server answering fixed routes (404 elsewhere), for registry misbehaviour the real
/// registry never shows: a blob whose bytes do not match its digest, an endless manifest.
pub struct ScriptedServer {
    pub host: String,
    task: tokio::task::JoinHandle<()>,
}

impl ScriptedServer {
    pub async fn start(routes: Vec<Route>) -> ScriptedServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let host = listener.local_addr().expect("addr").to_string();
        let routes = std::sync::Arc::new(routes);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let routes = routes.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req: hyper::Request<_>| {
                        let routes = routes.clone();
                        async move {
                            let route = routes.iter().find(|r| r.path == req.uri().path());
                            let response = match route {
                                Some(route) => hyper::Response::builder()
                                    .status(route.status)
                                    .header("content-type", route.content_type)
                                    .body(http_body_util::Full::new(hyper::body::Bytes::from(
                                        route.body.clone(),
                                    ))),
                                None => hyper::Response::builder()
                                    .status(404)
                                    .body(http_body_util::Full::new(hyper::body::Bytes::new())),
                            };
                            Ok::<_, std::convert::Infallible>(response.expect("response"))
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        ScriptedServer { host, task }
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
