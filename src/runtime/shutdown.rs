//! One shutdown signal shared by every task: the servers, the watches and the lease.
use std::sync::Arc;

use tokio::sync::watch;

/// Requests shutdown; dropping the last clone requests shutdown too.
#[derive(Clone)]
pub struct ShutdownTrigger {
    tx: Arc<watch::Sender<bool>>,
}

/// Resolves when shutdown has been requested.
#[derive(Clone)]
pub struct Shutdown {
    rx: watch::Receiver<bool>,
}

pub fn channel() -> (ShutdownTrigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (ShutdownTrigger { tx: Arc::new(tx) }, Shutdown { rx })
}

impl ShutdownTrigger {
    pub fn trigger(&self) {
        let _ = self.tx.send(true);
    }
}

impl Shutdown {
    pub async fn requested(mut self) {
        // An error means the trigger is gone, which also means stop.
        let _ = self.rx.wait_for(|stop| *stop).await;
    }

    pub fn is_requested(&self) -> bool {
        *self.rx.borrow()
    }
}

/// The process signals that ask for shutdown: SIGTERM (what Kubernetes sends) and SIGINT
/// (Ctrl-C). Listening starts when this is made, so a signal that arrives while the
/// controller is still starting up is kept, not lost.
pub struct OsSignals {
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
}

impl OsSignals {
    /// Starts listening; needs a running tokio runtime. A signal that cannot be listened
    /// for keeps its default action (the process ends).
    pub fn listen() -> OsSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            OsSignals {
                terminate: signal(SignalKind::terminate()).ok(),
                interrupt: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            OsSignals {}
        }
    }

    /// Resolves on the first of the signals.
    pub async fn received(self) {
        #[cfg(unix)]
        {
            async fn next(signal: Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(mut signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                () = next(self.terminate) => {}
                () = next(self.interrupt) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
