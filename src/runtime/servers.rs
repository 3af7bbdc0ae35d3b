//! The HTTP endpoints of the controller: Prometheus metrics (`/metrics`), health probes
//! (`/healthz`, `/readyz`) and the artifact file server (`/<kind>/<ns>/<name>/<file>`).
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::metrics::Metrics;
use super::shutdown::Shutdown;

#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {addr} (--{flag}): {source}")]
pub struct BindError {
    pub flag: &'static str,
    pub addr: SocketAddr,
    pub source: std::io::Error,
}

pub async fn bind(flag: &'static str, addr: SocketAddr) -> Result<TcpListener, BindError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| BindError { flag, addr, source })
}

/// Serves `router` on `listener` until shutdown.
pub fn serve(listener: TcpListener, router: Router, shutdown: Shutdown) -> JoinHandle<()> {
    tokio::spawn(async move {
        let addr = listener.local_addr().ok();
        if let Err(e) = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown.requested())
            .await
        {
            tracing::error!(?addr, error = %e, "HTTP server failed");
        }
    })
}

pub fn metrics_router(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(serve_metrics))
        .with_state(metrics)
}

async fn serve_metrics(State(metrics): State<Arc<Metrics>>) -> Response {
    match metrics.encode() {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `/healthz` answers while the process serves; `/readyz` once the controller has connected
/// to the API server and started (a standby instance waiting for the lease is ready too).
pub fn health_router(ready: Arc<AtomicBool>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/readyz",
            get(|State(ready): State<Arc<AtomicBool>>| async move {
                if ready.load(Ordering::Acquire) {
                    (StatusCode::OK, "ok")
                } else {
                    (StatusCode::SERVICE_UNAVAILABLE, "not ready")
                }
            }),
        )
        .with_state(ready)
}

/// Serves the files under the storage root, read-only, streamed.
pub fn artifact_router(root: PathBuf) -> Router {
    Router::new()
        .route("/{*path}", get(serve_artifact))
        .with_state(Arc::new(root))
}

/// Maps a request path onto the storage root; anything that could leave it (`..`, absolute
/// parts, empty segments) is refused.
fn artifact_path(root: &Path, request: &str) -> Option<PathBuf> {
    let relative = Path::new(request.trim_start_matches('/'));
    if request.is_empty() || request.contains("//") {
        return None;
    }
    let mut path = root.to_path_buf();
    for component in relative.components() {
        match component {
            Component::Normal(part) if !part.to_string_lossy().starts_with('.') => path.push(part),
            _ => return None,
        }
    }
    Some(path)
}

async fn serve_artifact(
    State(root): State<Arc<PathBuf>>,
    UrlPath(request): UrlPath<String>,
) -> Response {
    let Some(path) = artifact_path(&root, &request) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    match file.metadata().await {
        Ok(meta) if meta.is_file() => {
            let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
            (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                    (header::CONTENT_LENGTH, meta.len().to_string()),
                ],
                body,
            )
                .into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_paths_stay_inside_the_storage_root() {
        let root = Path::new("/data");
        assert_eq!(
            artifact_path(root, "helmrepository/ns/podinfo/index-abc.yaml"),
            Some(PathBuf::from(
                "/data/helmrepository/ns/podinfo/index-abc.yaml"
            ))
        );
        for bad in [
            "",
            "../etc/passwd",
            "helmrepository/../../etc/passwd",
            "a//b",
            "helmrepository/ns/.lock",
        ] {
            assert_eq!(artifact_path(root, bad), None, "{bad}");
        }
    }
}
