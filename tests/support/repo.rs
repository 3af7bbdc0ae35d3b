//! An HTTP Helm chart repository served from a directory, in process: plain, with basic
//! auth, and over TLS with a generated CA.
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
}

/// Serves `dir` over HTTP: `GET /index.yaml` and `GET /<file>` for every file in it.
pub struct HelmRepoServer {
    pub addr: SocketAddr,
    pub url: String,
    task: JoinHandle<()>,
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
            .map(|ca| tokio_rustls::TlsAcceptor::from(ca.server_config()));
        let state = Arc::new((dir.to_path_buf(), options));
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
                        async move { Ok::<_, Infallible>(handle(&state.0, &state.1, req)) }
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
        HelmRepoServer { addr, url, task }
    }
}

impl Drop for HelmRepoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn handle(dir: &Path, options: &RepoOptions, req: Request<Incoming>) -> Response<Full<Bytes>> {
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
