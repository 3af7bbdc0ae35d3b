//! The controller process: kube client, HTTP endpoints, leader election, the reconcilers
//! and graceful shutdown.
pub mod config;
pub mod events;
pub mod leader;
pub mod logging;
pub mod metrics;
pub mod servers;
pub mod shutdown;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use kube::Client;
use tokio::task::JoinHandle;

use crate::reconcile::{self, Context};
use config::Config;
use leader::{LeaderError, Leadership};
use metrics::Metrics;
use servers::BindError;
use shutdown::{Shutdown, ShutdownTrigger};

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error(
        "cannot create a Kubernetes client from KUBECONFIG or the in-cluster configuration: {0}"
    )]
    Client(#[source] kube::Error),
    #[error(transparent)]
    Bind(#[from] BindError),
    #[error("cannot create the storage directory {path}: {source}")]
    Storage {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Leader(#[from] LeaderError),
    #[error("the controller task failed: {0}")]
    Task(String),
}

/// The addresses a started controller actually listens on (ports may have been 0).
#[derive(Clone, Copy, Debug)]
pub struct Endpoints {
    pub metrics: SocketAddr,
    pub health: SocketAddr,
    pub storage: SocketAddr,
}

/// A controller running in the background: its endpoints, and how to stop it.
pub struct Running {
    pub endpoints: Endpoints,
    trigger: ShutdownTrigger,
    task: JoinHandle<Result<(), RuntimeError>>,
    pub metrics: Arc<Metrics>,
}

impl Running {
    /// Requests a graceful shutdown and waits for it.
    pub async fn shutdown(self) -> Result<(), RuntimeError> {
        self.trigger.trigger();
        self.wait().await
    }

    /// Waits until the controller stops (shutdown, or a lost lease).
    pub async fn wait(self) -> Result<(), RuntimeError> {
        match self.task.await {
            Ok(result) => result,
            Err(e) => Err(RuntimeError::Task(e.to_string())),
        }
    }

    pub fn trigger_shutdown(&self) {
        self.trigger.trigger();
    }
}

/// Binds the endpoints and starts the controller in the background. Binding happens here,
/// so address errors surface before anything runs.
pub async fn start(config: Config, client: Client) -> Result<Running, RuntimeError> {
    std::fs::create_dir_all(&config.storage.path).map_err(|source| RuntimeError::Storage {
        path: config.storage.path.display().to_string(),
        source,
    })?;
    let metrics_listener = servers::bind("metrics-addr", config.metrics_addr).await?;
    let health_listener = servers::bind("health-addr", config.health_addr).await?;
    let storage_listener = servers::bind("storage-addr", config.storage.addr).await?;
    let local = |l: &tokio::net::TcpListener, flag, addr| {
        l.local_addr()
            .map_err(|source| BindError { flag, addr, source })
    };
    let endpoints = Endpoints {
        metrics: local(&metrics_listener, "metrics-addr", config.metrics_addr)?,
        health: local(&health_listener, "health-addr", config.health_addr)?,
        storage: local(&storage_listener, "storage-addr", config.storage.addr)?,
    };
    let mut config = config;
    if config.storage.advertised.is_empty() {
        config.storage.advertised = endpoints.storage.to_string();
    }
    let (trigger, shutdown) = shutdown::channel();
    let metrics = Metrics::new();
    let ready = Arc::new(AtomicBool::new(false));
    let mut servers = vec![
        servers::serve(
            metrics_listener,
            servers::metrics_router(metrics.clone()),
            shutdown.clone(),
        ),
        servers::serve(
            health_listener,
            servers::health_router(ready.clone()),
            shutdown.clone(),
        ),
        servers::serve(
            storage_listener,
            servers::artifact_router(config.storage.path.clone()),
            shutdown.clone(),
        ),
    ];
    tracing::info!(metrics = %endpoints.metrics, health = %endpoints.health,
        storage = %endpoints.storage, "serving endpoints");
    let ctx = Arc::new(Context::new(client, Arc::new(config), metrics.clone()));
    let task = tokio::spawn(async move {
        let result = supervise(ctx, shutdown.clone(), ready).await;
        for server in servers.drain(..) {
            let _ = server.await;
        }
        result
    });
    Ok(Running {
        endpoints,
        trigger,
        task,
        metrics,
    })
}

/// Waits for the lease when leader election is on, then runs the reconcilers until
/// shutdown or until the lease is lost (then the process must stop, as Flux's does, so
/// two instances never reconcile at once).
async fn supervise(
    ctx: Arc<Context>,
    shutdown: Shutdown,
    ready: Arc<AtomicBool>,
) -> Result<(), RuntimeError> {
    ready.store(true, Ordering::Release);
    let Some(election) = ctx.config.leader_election.clone() else {
        reconcile::run(ctx, shutdown).await;
        return Ok(());
    };
    let mut leadership =
        Leadership::start(ctx.client.clone(), &election, &ctx.config.instance).await?;
    tracing::info!(lease = %format!("{}/{}", election.namespace, election.lease_name),
        identity = %ctx.config.instance, "waiting for the leader election lease");
    if !leadership.acquired(shutdown.clone()).await? {
        leadership.release(election.retry_period).await;
        return Ok(());
    }
    tracing::info!(identity = %ctx.config.instance, "acquired the leader election lease");
    ctx.metrics.set_leader(true);
    let (stop_reconcilers, reconcilers_shutdown) = shutdown::channel();
    let reconcilers = reconcile::run(ctx.clone(), reconcilers_shutdown);
    tokio::pin!(reconcilers);
    let lost = tokio::select! {
        () = &mut reconcilers => false,
        () = shutdown.clone().requested() => false,
        () = leadership.lost() => true,
    };
    stop_reconcilers.trigger();
    reconcilers.await;
    ctx.metrics.set_leader(false);
    if lost {
        tracing::error!(identity = %ctx.config.instance, "lost the leader election lease");
        return Err(LeaderError::Stopped(election.lease_name).into());
    }
    leadership.release(election.renew_deadline).await;
    Ok(())
}

/// What shutdown may take beyond the graceful shutdown timeout: releasing the Lease (at
/// most the renew deadline) and closing the servers.
const SHUTDOWN_MARGIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs the controller in the foreground until SIGTERM or SIGINT.
pub async fn run(mut config: Config) -> Result<(), RuntimeError> {
    let signals = shutdown::OsSignals::listen();
    let client = Client::try_default().await.map_err(RuntimeError::Client)?;
    if let Some(election) = config.leader_election.as_mut()
        && election.namespace.is_empty()
    {
        // Without RUNTIME_NAMESPACE: the in-cluster namespace, or the kubeconfig context's.
        election.namespace = client.default_namespace().to_owned();
    }
    // The reconcilers get the graceful shutdown timeout (see `reconcile::run`); releasing
    // the Lease and closing the servers get this much more.
    let deadline = config.graceful_shutdown_timeout + SHUTDOWN_MARGIN;
    let running = start(config, client).await?;
    let trigger = running.trigger.clone();
    let (signalled, on_signal) = tokio::sync::oneshot::channel();
    let signal = tokio::spawn(async move {
        signals.received().await;
        tracing::info!("shutdown requested; finishing running reconciles");
        trigger.trigger();
        let _ = signalled.send(());
    });
    let wait = running.wait();
    tokio::pin!(wait);
    // As controller-runtime's manager does, the process stops waiting once the graceful
    // shutdown timeout (and the margin) has passed after the signal: whatever has not
    // stopped by then is abandoned.
    let result = tokio::select! {
        result = &mut wait => result,
        Ok(()) = on_signal => match tokio::time::timeout(deadline, &mut wait).await {
            Ok(result) => result,
            Err(_) => {
                tracing::warn!(timeout = ?deadline,
                    "the controller did not stop within the graceful shutdown timeout; exiting");
                Ok(())
            }
        },
    };
    signal.abort();
    result
}
