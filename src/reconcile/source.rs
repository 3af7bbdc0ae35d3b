//! The reconcile loop every source kind shares: watch with Flux's predicates, suspend,
//! finalizer, on-demand requests, status conditions, events, metrics and requeue.

mod report;

use std::fmt::Debug;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use futures::{FutureExt, StreamExt};
use k8s_openapi::NamespaceResourceScope;
use kube::api::{Patch, PatchParams};
use kube::runtime::controller::{Action, Config as ControllerConfig, Controller};
use kube::runtime::finalizer::{Event as FinalizerEvent, finalizer};
use kube::runtime::reflector::Store;
use kube::runtime::watcher;
use kube::{Api, Resource, ResourceExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::conditions::{self, Outcome};
use super::helmrepository::artifact_on_disk;
use super::status::{self, SourceStatus};
use super::{Context, FINALIZER};
use crate::runtime::metrics::{ObjectLabels, ReconcileResult};
use crate::runtime::shutdown::Shutdown;
use report::{publish_events, write_status};

/// One source kind: its status, its settings and the work that produces its artifact.
pub trait Source:
    Resource<Scope = NamespaceResourceScope, DynamicType = ()>
    + Clone
    + Debug
    + DeserializeOwned
    + Serialize
    + Send
    + Sync
    + 'static
{
    type Status: SourceStatus;

    /// The directory of this kind's artifacts under the storage root (Flux's lowercase kind).
    const STORAGE_KIND: &'static str;

    fn source_status(&self) -> Option<&Self::Status>;
    fn suspended(&self) -> bool;
    /// `spec.interval`, the success requeue period.
    fn interval(&self) -> Duration;

    /// Objects with nothing to reconcile (a HelmRepository of type `oci`) keep no status
    /// and no finalizer.
    fn is_static(&self) -> bool {
        false
    }

    /// Fetches and stores the artifact, filling the kind's own status fields.
    fn reconcile_artifact(
        &self,
        status: &mut Self::Status,
        ctx: &Context,
    ) -> impl Future<Output = Outcome> + Send;

    /// The message of the event announcing a new artifact, when it differs from the Ready
    /// message (Flux's HelmRepository event gives the index size and URL).
    fn new_artifact_message(&self, _artifact: &crate::api::meta::Artifact) -> Option<String> {
        None
    }

    /// Adds watches that trigger this kind (HelmCharts follow their HelmRepository).
    fn extend_controller(
        controller: Controller<Self>,
        _ctx: &Arc<Context>,
        _store: Store<Self>,
    ) -> Controller<Self> {
        controller
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error("{kind} {name} has no namespace")]
    NoNamespace { kind: String, name: String },
    #[error("cannot write the status of {kind} {namespace}/{name}: {source}")]
    Status {
        kind: String,
        namespace: String,
        name: String,
        source: kube::Error,
    },
    #[error("cannot encode the status of {kind} {namespace}/{name}: {source}")]
    Encode {
        kind: String,
        namespace: String,
        name: String,
        source: serde_json::Error,
    },
    #[error("cannot remove the artifacts of {kind} {namespace}/{name} at {path}: {source}")]
    RemoveArtifacts {
        kind: String,
        namespace: String,
        name: String,
        path: String,
        source: std::io::Error,
    },
    #[error("cannot update the finalizer of {kind} {namespace}/{name}: {message}")]
    Finalizer {
        kind: String,
        namespace: String,
        name: String,
        message: String,
    },
}

/// The watch triggers Flux's source controllers use: a new generation, a new requestedAt
/// token, deletion, or a finalizer change (so the finalizer helper sees its own patch).
/// Other updates (status) find the object not due and do no work.
fn trigger_hash<K: Resource>(object: &K) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    object.meta().generation.hash(&mut hasher);
    status::requested_at(object).hash(&mut hasher);
    object.meta().deletion_timestamp.is_some().hash(&mut hasher);
    object.meta().finalizers.hash(&mut hasher);
    hasher.finish()
}

/// Watches kind `S` and reconciles it until shutdown.
pub async fn run_controller<S: Source>(ctx: Arc<Context>, shutdown: Shutdown) {
    let config = &ctx.config;
    let api: Api<S> = match &config.watch_namespace {
        Some(ns) => Api::namespaced(ctx.client.clone(), ns),
        None => Api::all(ctx.client.clone()),
    };
    let mut watch_config = watcher::Config::default();
    if let Some(selector) = &config.watch_label_selector {
        watch_config = watch_config.labels(selector);
    }
    let controller = Controller::new(api, watch_config);
    let store = controller.store();
    let controller = controller
        .with_config(ControllerConfig::default().concurrency(config.concurrent))
        .graceful_shutdown_on(shutdown.clone().requested());
    let kind = S::kind(&()).into_owned();
    tracing::info!(controller = %kind.to_lowercase(), workers = config.concurrent, "starting controller");
    S::extend_controller(controller, &ctx, store.clone())
        .run(reconcile::<S>, error_policy::<S>, ctx.clone())
        .take_until(stopped_before_first_list(store, shutdown))
        .for_each(|result| async {
            if let Err(e) = result {
                tracing::debug!(error = %e, "reconcile round ended with an error");
            }
        })
        .await;
    tracing::info!(controller = %kind.to_lowercase(), "controller stopped");
}

/// Resolves when shutdown is requested before the watch of `S` has listed its objects.
///
/// kube-runtime's applier starts no reconcile until its store has seen the first LIST, and
/// on graceful shutdown it stops polling the watches that would fill the store: a shutdown
/// in that window leaves the applier waiting for a store that never becomes ready, until
/// the graceful shutdown timeout. Nothing can be running then (no reconcile starts before
/// the store is ready), so the stream may end at once. The more watch streams a controller
/// has (HelmCharts also watch HelmRepositories), the longer its first LIST can be held up
/// behind their errors' backoff, and the wider that window. Once the store is ready the
/// applier's own graceful shutdown applies: running reconciles finish.
async fn stopped_before_first_list<S: Source>(store: Store<S>, shutdown: Shutdown) {
    shutdown.requested().await;
    if store.wait_until_ready().now_or_never().is_some() {
        std::future::pending::<()>().await;
    }
    tracing::debug!(kind = %S::kind(&()), "shutdown before the first list: nothing was started");
}

pub fn object_key<K: Resource<DynamicType = ()>>(object: &K) -> String {
    format!(
        "{}/{}/{}",
        K::kind(&()),
        object.namespace().unwrap_or_default(),
        object.name_any()
    )
}

fn error_policy<S: Source>(object: Arc<S>, error: &ReconcileError, ctx: Arc<Context>) -> Action {
    tracing::error!(kind = %S::kind(&()), name = %object.name_any(),
        namespace = %object.namespace().unwrap_or_default(), error = %error, "reconcile failed");
    Action::requeue(ctx.retry_delay(&object_key(&*object)))
}

async fn reconcile<S: Source>(object: Arc<S>, ctx: Arc<Context>) -> Result<Action, ReconcileError> {
    let kind = S::kind(&()).into_owned();
    let name = object.name_any();
    let Some(namespace) = object.namespace() else {
        return Err(ReconcileError::NoNamespace { kind, name });
    };
    let key = object_key(&*object);
    let trigger = trigger_hash(&*object);
    if let Some(wait) = ctx.not_due(&key, trigger) {
        // A status update of our own, or another change Flux's predicates ignore.
        return Ok(match wait {
            Some(wait) => Action::requeue(wait),
            None => Action::await_change(),
        });
    }
    let mut timer = ctx.metrics.start_reconcile(ObjectLabels {
        kind: kind.clone(),
        name: name.clone(),
        namespace: namespace.clone(),
    });
    let api: Api<S> = Api::namespaced(ctx.client.clone(), &namespace);
    if object.is_static() {
        let result = make_static(&api, &object).await;
        timer.finish(if result.is_ok() {
            ReconcileResult::Success
        } else {
            ReconcileResult::Error
        });
        return result.map(|()| Action::await_change());
    }
    let deleting = object.meta().deletion_timestamp.is_some();
    let result = finalizer(&api, FINALIZER, object, |event| async {
        match event {
            FinalizerEvent::Apply(object) => {
                let (action, due) = apply(object, &api, &ctx).await?;
                ctx.schedule(&key, trigger, due);
                Ok(action)
            }
            FinalizerEvent::Cleanup(object) => cleanup(object, &ctx).await,
        }
    })
    .await;
    match result {
        Ok(action) if deleting => {
            timer.discard();
            Ok(action)
        }
        Ok(action) => {
            timer.finish(ReconcileResult::Success);
            Ok(action)
        }
        Err(kube::runtime::finalizer::Error::ApplyFailed(e))
        | Err(kube::runtime::finalizer::Error::CleanupFailed(e)) => Err(e),
        Err(
            kube::runtime::finalizer::Error::AddFinalizer(e)
            | kube::runtime::finalizer::Error::RemoveFinalizer(e),
        ) if is_conflict(&e) => {
            // The object changed since the watch saw it; the change is on its way and
            // triggers the retry. controller-runtime requeues these quietly too.
            timer.discard();
            tracing::debug!(kind = %kind, name = %name, namespace = %namespace, error = %e,
                "the object changed while its finalizer was updated; retrying");
            Ok(Action::requeue(ctx.config.min_retry_delay))
        }
        Err(e) => Err(ReconcileError::Finalizer {
            kind,
            namespace,
            name,
            message: e.to_string(),
        }),
    }
}

/// A write that lost a race with another writer: 409 Conflict, or the 422 the API server
/// answers when a JSON patch `test` operation (the finalizer helper's guard against a
/// stale finalizer list) no longer holds. Anything else is a real error.
pub fn is_conflict(error: &kube::Error) -> bool {
    // The API server's whole message for a failed `test`; a schema violation names the
    // object and the field instead.
    const FAILED_PATCH_TEST: &str =
        "the server rejected our request due to an error in our request";
    match error {
        kube::Error::Api(status) => {
            status.code == 409 || (status.code == 422 && status.message == FAILED_PATCH_TEST)
        }
        _ => false,
    }
}

/// One reconcile of a live object.
/// Returns the next action and when the object is next due (`None`: on change only).
async fn apply<S: Source>(
    object: Arc<S>,
    api: &Api<S>,
    ctx: &Context,
) -> Result<(Action, Option<Duration>), ReconcileError> {
    let key = object_key(&*object);
    if object.suspended() {
        tracing::info!(kind = %S::kind(&()), name = %object.name_any(),
            namespace = %object.namespace().unwrap_or_default(),
            "reconciliation is suspended for this object");
        return Ok((Action::await_change(), None));
    }
    let old = object.source_status().cloned();
    let mut new = old.clone().unwrap_or_default();
    let generation = object.meta().generation;
    let old_revision = new.artifact().map(|a| a.revision.clone());
    // What the API server holds; the final patch is computed against it.
    let mut written = old.clone();
    let requested = status::requested_at(&*object);
    let start = conditions::Start {
        generation,
        observed_generation: new.observed_generation(),
        has_artifact: new.artifact().is_some(),
        artifact_missing: new.artifact().is_some_and(|a| !artifact_on_disk(ctx, a)),
        new_request: requested.filter(|token| Some(*token) != new.last_handled_reconcile_at()),
    };
    if let Some(message) = conditions::progress_message(&start) {
        conditions::progressing(
            new.conditions_mut().get_or_insert_with(Vec::new),
            &message,
            generation,
            &conditions::now(),
        );
        write_status(api, &*object, written.as_ref(), &new).await?;
        written = Some(new.clone());
    }
    if let Some(token) = requested {
        *new.last_handled_reconcile_at_mut() = Some(token.to_owned());
    }
    let outcome = object.reconcile_artifact(&mut new, ctx).await;
    conditions::apply(
        new.conditions_mut().get_or_insert_with(Vec::new),
        &outcome,
        generation,
        &conditions::now(),
    );
    if matches!(outcome, Outcome::Ready { .. } | Outcome::Stalled { .. }) {
        *new.observed_generation_mut() = generation;
    }
    write_status(api, &*object, written.as_ref(), &new).await?;
    publish_events(
        &*object,
        old.as_ref(),
        &new,
        old_revision.as_deref(),
        &outcome,
        ctx,
    )
    .await;
    let due = match &outcome {
        Outcome::Ready { .. } => {
            ctx.forget_failures(&key);
            Some(jitter(
                object.interval(),
                ctx.config.interval_jitter_percentage,
            ))
        }
        Outcome::Failed { .. } => Some(ctx.retry_delay(&key)),
        Outcome::Waiting { .. } => Some(ctx.config.requeue_dependency),
        Outcome::Stalled { .. } => None,
    };
    let action = due.map_or_else(Action::await_change, Action::requeue);
    tracing::info!(kind = %S::kind(&()), name = %object.name_any(),
        namespace = %object.namespace().unwrap_or_default(),
        reason = %outcome.reason(), detail = %outcome.message(), "reconciled");
    Ok((action, due))
}

/// Flux keeps no status or finalizer on objects with nothing to reconcile.
async fn make_static<S: Source>(api: &Api<S>, object: &S) -> Result<(), ReconcileError> {
    let error = |message: String| ReconcileError::Finalizer {
        kind: S::kind(&()).into_owned(),
        namespace: object.namespace().unwrap_or_default(),
        name: object.name_any(),
        message,
    };
    if object.finalizers().iter().any(|f| f == FINALIZER) {
        let kept: Vec<&String> = object
            .finalizers()
            .iter()
            .filter(|f| *f != FINALIZER)
            .collect();
        let patch = serde_json::json!({"metadata": {"finalizers": kept}});
        api.patch(
            &object.name_any(),
            &PatchParams::default(),
            &Patch::Merge(&patch),
        )
        .await
        .map_err(|e| error(e.to_string()))?;
    }
    let old = object.source_status();
    if old.is_some_and(|s| *s != S::Status::default()) {
        write_status(api, object, old, &S::Status::default()).await?;
    }
    Ok(())
}

/// Removes the stored artifacts of a deleted object.
async fn cleanup<S: Source>(object: Arc<S>, ctx: &Context) -> Result<Action, ReconcileError> {
    let namespace = object.namespace().unwrap_or_default();
    let name = object.name_any();
    let dir = ctx.artifact_dir(S::STORAGE_KIND, &namespace, &name);
    match tokio::fs::remove_dir_all(&dir).await {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(ReconcileError::RemoveArtifacts {
                kind: S::kind(&()).into_owned(),
                namespace,
                name,
                path: dir.display().to_string(),
                source,
            });
        }
    }
    ctx.forget(&object_key(&*object));
    tracing::info!(kind = %S::kind(&()), name = %name, namespace = %namespace,
        "removed the stored artifacts of the deleted object");
    Ok(Action::await_change())
}

/// Spreads requeues of objects with the same interval (`--interval-jitter-percentage`).
fn jitter(interval: Duration, percentage: u8) -> Duration {
    if percentage == 0 {
        return interval;
    }
    let spread = interval.as_secs_f64() * f64::from(percentage.min(99)) / 100.0;
    let unit = getrandom::u64()
        .map(|r| (r >> 11) as f64 / (1u64 << 53) as f64)
        .unwrap_or(0.5);
    Duration::from_secs_f64((interval.as_secs_f64() + spread * (2.0 * unit - 1.0)).max(0.0))
}

/// Parses `spec.interval`; the schema guarantees its syntax, a fallback keeps a bad value
/// from stopping the controller.
pub fn parse_interval(value: Option<&str>, default: Duration) -> Duration {
    value
        .and_then(|v| crate::runtime::config::parse_duration("interval", v).ok())
        .filter(|d| !d.is_zero())
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_off_at_zero_and_bounded_otherwise() {
        let interval = Duration::from_secs(100);
        assert_eq!(jitter(interval, 0), interval);
        for _ in 0..50 {
            let d = jitter(interval, 10);
            assert!(
                d >= Duration::from_secs(90) && d <= Duration::from_secs(110),
                "{d:?}"
            );
        }
    }

    #[test]
    fn status_updates_do_not_trigger_but_requests_do() {
        use crate::api::helmrepository::HelmRepository;
        let mut repo = HelmRepository::new("r", Default::default());
        repo.metadata.generation = Some(1);
        let before = trigger_hash(&repo);
        repo.status = Some(Default::default());
        assert_eq!(trigger_hash(&repo), before);
        repo.annotations_mut()
            .insert(status::REQUESTED_AT_ANNOTATION.into(), "now".into());
        assert_ne!(trigger_hash(&repo), before);
    }

    #[test]
    fn intervals_fall_back_to_the_default() {
        let default = Duration::from_secs(60);
        assert_eq!(
            parse_interval(Some("5m"), default),
            Duration::from_secs(300)
        );
        assert_eq!(parse_interval(None, default), default);
        assert_eq!(parse_interval(Some("bad"), default), default);
    }
}
