//! An HTTP Helm chart repository served from a directory, in process: plain, with basic
//! auth, and over TLS with a generated CA. Optionally with ETag/Last-Modified validators
//! (answering 304), gzip, per-path status codes or delays, and a log of requests.
use std::collections::HashMap;
use std::convert::Infallible;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::tls::TestCa;

#[derive(Clone, Default)]
pub struct RepoOptions {
    /// Require `Authorization: Basic` with this user and password.
    pub basic_auth: Option<(String, String)>,
    /// Serve HTTPS with a certificate from this CA.
    pub tls: Option<Arc<TestCa>>,
    /// With `tls`: require a client certificate signed by the same CA.
    pub mutual_tls: bool,
    /// Send `ETag` and `Last-Modified` and answer conditional requests with 304.
    pub validators: bool,
    /// Compress bodies with gzip when the client accepts it.
    pub gzip: bool,
}

/// What the server does for one path instead of serving the file.
#[derive(Clone, Debug)]
pub enum PathOverride {
    /// Answer with this status and no body.
    Status(u16),
    /// Wait this long before serving.
    Delay(Duration),
}

/// One request as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    pub path: String,
    /// The request carried an `Authorization` header.
    pub authorization: bool,
    pub status: u16,
    /// The response body was gzip-encoded.
    pub gzipped: bool,
}

#[derive(Default)]
struct Shared {
    overrides: Mutex<HashMap<String, PathOverride>>,
    log: Mutex<Vec<RequestRecord>>,
}

/// Serves `dir` over HTTP: `GET /index.yaml` and `GET /<file>` for every file in it.
pub struct HelmRepoServer {
    pub addr: SocketAddr,
    pub url: String,
    task: JoinHandle<()>,
    shared: Arc<Shared>,
}

impl HelmRepoServer {
    pub async fn start(dir: &Path, options: RepoOptions) -> HelmRepoServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind repository server");
        let addr = listener.local_addr().expect("local addr");
        let scheme = if options.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let url = format!("{scheme}://127.0.0.1:{}", addr.port());
        let acceptor = options
            .tls
            .as_ref()
            .map(|ca| match options.mutual_tls {
                true => ca.mutual_server_config(),
                false => ca.server_config(),
            })
            .map(tokio_rustls::TlsAcceptor::from);
        let shared = Arc::new(Shared::default());
        let state = Arc::new((dir.to_path_buf(), options, shared.clone()));
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = state.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let state = state.clone();
                        async move {
                            let response = serve(&state.0, &state.1, &state.2, req).await;
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let builder =
                        hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(tls) = acceptor.accept(stream).await {
                                let _ = builder.serve_connection(TokioIo::new(tls), service).await;
                            }
                        }
                        None => {
                            let _ = builder
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        }
                    }
                });
            }
        });
        HelmRepoServer {
            addr,
            url,
            task,
            shared,
        }
    }

    /// From now on, `path` (e.g. `/index.yaml`) gets `behaviour` instead of its file.
    pub fn set_override(&self, path: &str, behaviour: PathOverride) {
        self.shared
            .overrides
            .lock()
            .unwrap()
            .insert(path.to_owned(), behaviour);
    }

    pub fn clear_override(&self, path: &str) {
        self.shared.overrides.lock().unwrap().remove(path);
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.log.lock().unwrap().clone()
    }
}

async fn serve(
    dir: &Path,
    options: &RepoOptions,
    shared: &Shared,
    req: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_owned();
    let behaviour = shared.overrides.lock().unwrap().get(&path).cloned();
    let response = match behaviour {
        Some(PathOverride::Status(code)) => Response::builder()
            .status(code)
            .body(Full::new(Bytes::new()))
            .expect("response"),
        Some(PathOverride::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            respond(dir, options, &req)
        }
        None => respond(dir, options, &req),
    };
    let gzipped = response
        .headers()
        .get(hyper::header::CONTENT_ENCODING)
        .is_some_and(|v| v == "gzip");
    shared.log.lock().unwrap().push(RequestRecord {
        path,
        authorization: req.headers().contains_key(hyper::header::AUTHORIZATION),
        status: response.status().as_u16(),
        gzipped,
    });
    response
}

/// The file with validators, 304 or gzip as the options ask.
fn respond(dir: &Path, options: &RepoOptions, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let response = handle(dir, options, req);
    if !response.status().is_success() {
        return response;
    }
    let Some(file) = resolve(dir, req.uri().path()) else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    let mut body = std::fs::read(&file).unwrap_or_default();
    if options.validators {
        let etag = format!("\"{:016x}\"", fnv1a(&body));
        let modified = file
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| jiff::Timestamp::try_from(t).ok())
            .map(|t| jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&t))
            .and_then(Result::ok);
        let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
        let not_modified = match header(hyper::header::IF_NONE_MATCH) {
            Some(tag) => tag == etag,
            None => {
                modified.is_some()
                    && header(hyper::header::IF_MODIFIED_SINCE) == modified.as_deref()
            }
        };
        parts
            .headers
            .insert(hyper::header::ETAG, etag.parse().unwrap());
        if let Some(modified) = &modified {
            parts
                .headers
                .insert(hyper::header::LAST_MODIFIED, modified.parse().unwrap());
        }
        if not_modified {
            parts.status = StatusCode::NOT_MODIFIED;
            return Response::from_parts(parts, Full::new(Bytes::new()));
        }
    }
    let accepts_gzip = req
        .headers()
        .get(hyper::header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    if options.gzip && accepts_gzip {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&body).unwrap();
        body = encoder.finish().unwrap();
        parts
            .headers
            .insert(hyper::header::CONTENT_ENCODING, "gzip".parse().unwrap());
    }
    Response::from_parts(parts, Full::new(Bytes::from(body)))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

impl Drop for HelmRepoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn handle(dir: &Path, options: &RepoOptions, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    if let Some((user, pass)) = &options.basic_auth {
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
        );
        let given = req
            .headers()
            .get(hyper::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if given != Some(expected.as_str()) {
            return Response::builder()
                .status(StatusCode::UNAUTHORIZED)
                .header(hyper::header::WWW_AUTHENTICATE, "Basic realm=\"helm\"")
                .body(Full::new(Bytes::from_static(b"unauthorized\n")))
                .expect("response");
        }
    }
    match resolve(dir, req.uri().path()).and_then(|p| std::fs::read(p).ok()) {
        Some(body) => Response::new(Full::new(Bytes::from(body))),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Full::new(Bytes::from_static(b"not found\n")))
            .expect("response"),
    }
}

/// Maps a request path onto a file directly inside `dir`; anything else is not found.
fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let name = path.trim_start_matches('/');
    let plain = !name.is_empty() && !name.contains('/') && !name.contains("..");
    plain.then(|| dir.join(name)).filter(|p| p.is_file())
}
