//! Leader election through a Lease (kube-lease-manager): only the holder runs reconcilers.
use std::time::Duration;

use kube::Client;
use kube_lease_manager::{LeaseManager, LeaseManagerBuilder, LeaseManagerError};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::config::LeaderElection;
use super::shutdown::Shutdown;

#[derive(Debug, thiserror::Error)]
pub enum LeaderError {
    #[error("cannot set up the leader election Lease {namespace}/{name}: {source}")]
    Setup {
        namespace: String,
        name: String,
        source: LeaseManagerError,
    },
    #[error("the leader election task of Lease {0} stopped unexpectedly")]
    Stopped(String),
}

/// The lease while it is held (or being waited for).
pub struct Leadership {
    state: watch::Receiver<bool>,
    task: JoinHandle<Result<LeaseManager, LeaseManagerError>>,
    name: String,
}

/// Whole seconds, rounded up: the lease API counts in seconds.
fn seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl Leadership {
    /// Starts competing for the lease.
    pub async fn start(
        client: Client,
        election: &LeaderElection,
        identity: &str,
    ) -> Result<Leadership, LeaderError> {
        let duration = seconds(election.lease_duration).max(2);
        // The holder renews every retry period, as client-go's elector does; the lease
        // manager expresses that as the time before expiry at which it renews.
        let grace = duration
            .saturating_sub(seconds(election.retry_period))
            .clamp(1, duration - 1);
        let manager = LeaseManagerBuilder::new(client, &election.lease_name)
            .with_namespace(&election.namespace)
            .with_identity(identity)
            .with_duration(duration)
            .with_grace(grace)
            .build()
            .await
            .map_err(|source| LeaderError::Setup {
                namespace: election.namespace.clone(),
                name: election.lease_name.clone(),
                source,
            })?;
        let (state, task) = manager.watch().await;
        Ok(Leadership {
            state,
            task,
            name: format!("{}/{}", election.namespace, election.lease_name),
        })
    }

    /// Waits until this instance holds the lease; `false` if shutdown came first.
    pub async fn acquired(&mut self, shutdown: Shutdown) -> Result<bool, LeaderError> {
        tokio::select! {
            held = self.state.wait_for(|held| *held) => match held {
                Ok(_) => Ok(true),
                Err(_) => Err(LeaderError::Stopped(self.name.clone())),
            },
            () = shutdown.requested() => Ok(false),
        }
    }

    /// Resolves when the lease is lost (another instance took it, or renewal failed).
    pub async fn lost(&mut self) {
        let _ = self.state.wait_for(|held| !*held).await;
    }

    /// Gives the lease up so another instance can take over at once instead of waiting for
    /// it to expire.
    pub async fn release(self, deadline: Duration) {
        let Leadership { state, task, name } = self;
        // Closing the channel makes the lease task release the lease and return.
        drop(state);
        match tokio::time::timeout(deadline, task).await {
            Ok(Ok(Ok(_))) => tracing::info!(lease = %name, "released the leader election lease"),
            Ok(Ok(Err(e))) => {
                tracing::warn!(lease = %name, error = %e, "cannot release the leader election lease")
            }
            Ok(Err(e)) => tracing::warn!(lease = %name, error = %e, "the lease task failed"),
            Err(_) => {
                tracing::warn!(lease = %name, "timed out releasing the leader election lease")
            }
        }
    }
}
