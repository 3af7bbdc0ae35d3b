//! The source reconcilers: one `kube::runtime::Controller` per kind (HelmRepository,
//! HelmChart, OCIRepository) sharing one `Context`.
pub mod conditions;
pub mod helmchart;
pub mod helmrepository;
pub mod ocirepository;
pub mod secrets;
pub mod service_account;
pub mod source;
pub mod status;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kube::Client;

use crate::runtime::config::Config;
use crate::runtime::events::EventRecorder;
use crate::runtime::metrics::Metrics;
use crate::runtime::shutdown::Shutdown;
use crate::source::artifact::{Retention, Storage};
use crate::source::http::IndexValidators;

/// Flux's finalizer on every source object: artifacts are removed before the object goes.
pub const FINALIZER: &str = "finalizers.fluxcd.io";

/// What every reconcile shares: no globals.
pub struct Context {
    pub client: Client,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    pub events: EventRecorder,
    pub storage: Storage,
    /// The validators of the last index fetched per HelmRepository (by uid), with the
    /// digest they belong to, for conditional requests.
    pub index_validators: Mutex<HashMap<String, (IndexValidators, String)>>,
    /// Consecutive failures per object, for the retry backoff.
    failures: Mutex<HashMap<String, u32>>,
    /// Per object: the trigger hash last reconciled and when it is next due (`None`: only
    /// on change).
    schedule: Mutex<HashMap<String, (u64, Option<Instant>)>>,
}

impl Context {
    pub fn new(client: Client, config: Arc<Config>, metrics: Arc<Metrics>) -> Context {
        let events = EventRecorder::new(client.clone(), config.instance.clone());
        let storage = Storage::new(
            config.storage.path.clone(),
            &format!("http://{}", config.storage.advertised),
        )
        .with_retention(Retention {
            ttl: config.storage.retention_ttl,
            records: config.storage.retention_records as usize,
        });
        Context {
            client,
            config,
            metrics,
            events,
            storage,
            index_validators: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            schedule: Mutex::new(HashMap::new()),
        }
    }

    /// The storage directory of one object's artifacts (`<root>/<kind>/<ns>/<name>`).
    pub fn artifact_dir(&self, storage_kind: &str, namespace: &str, name: &str) -> PathBuf {
        self.config
            .storage
            .path
            .join(storage_kind)
            .join(namespace)
            .join(name)
    }

    /// The next retry delay of a failing object: doubling from `--min-retry-delay` up to
    /// `--max-retry-delay`, as controller-runtime's rate limiter does.
    pub fn retry_delay(&self, key: &str) -> Duration {
        let failures = {
            let mut map = self
                .failures
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let count = map.entry(key.to_owned()).or_insert(0);
            *count = count.saturating_add(1);
            *count
        };
        backoff(
            self.config.min_retry_delay,
            self.config.max_retry_delay,
            failures,
        )
    }

    /// `Some(wait)` when the object was reconciled at this trigger and is not due yet
    /// (`Some(None)`: due only on change); `None` when it must be reconciled now.
    pub fn not_due(&self, key: &str, trigger: u64) -> Option<Option<Duration>> {
        let schedule = self
            .schedule
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (last, due) = schedule.get(key)?;
        if *last != trigger {
            return None;
        }
        match due {
            None => Some(None),
            Some(due) => {
                let wait = due.saturating_duration_since(Instant::now());
                // Within a scheduler tick of the due time, run now.
                (wait > Duration::from_millis(50)).then_some(Some(wait))
            }
        }
    }

    /// Records that the object was reconciled at `trigger` and is next due after `after`.
    pub fn schedule(&self, key: &str, trigger: u64, after: Option<Duration>) {
        self.schedule
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key.to_owned(), (trigger, after.map(|d| Instant::now() + d)));
    }

    /// Makes the object due now, whatever its trigger: another object it depends on changed.
    pub fn unschedule(&self, key: &str) {
        self.schedule
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
    }

    /// Drops everything kept about a deleted object.
    pub fn forget(&self, key: &str) {
        self.forget_failures(key);
        self.schedule
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
        if let Ok(mut cache) = self.index_validators.lock() {
            cache.remove(key);
        }
    }

    pub fn forget_failures(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
    }
}

fn backoff(min: Duration, max: Duration, failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(30);
    min.saturating_mul(1 << exponent).min(max)
}

/// Runs the three source controllers until shutdown; in-flight reconciles get
/// `--graceful-shutdown-timeout` to finish.
pub async fn run(ctx: Arc<Context>, shutdown: Shutdown) {
    let timeout = ctx.config.graceful_shutdown_timeout;
    let controllers = async {
        tokio::join!(
            source::run_controller::<crate::api::helmrepository::HelmRepository>(
                ctx.clone(),
                shutdown.clone()
            ),
            source::run_controller::<crate::api::helmchart::HelmChart>(
                ctx.clone(),
                shutdown.clone()
            ),
            source::run_controller::<crate::api::ocirepository::v1::OCIRepository>(
                ctx.clone(),
                shutdown.clone()
            ),
        )
    };
    tokio::pin!(controllers);
    tokio::select! {
        _ = &mut controllers => return,
        () = shutdown.clone().requested() => {}
    }
    if tokio::time::timeout(timeout, controllers).await.is_err() {
        tracing::warn!(
            ?timeout,
            "reconciles still running at the end of the graceful shutdown timeout were cancelled"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_doubles_up_to_the_maximum() {
        let min = Duration::from_millis(750);
        let max = Duration::from_secs(900);
        assert_eq!(backoff(min, max, 1), min);
        assert_eq!(backoff(min, max, 2), Duration::from_millis(1500));
        assert_eq!(backoff(min, max, 40), max);
    }
}
