//! What a reconcile reports: the status patch and the Kubernetes Events.

use kube::ResourceExt;
use kube::api::Api;

use super::{ReconcileError, Source};
use crate::reconcile::Context;
use crate::reconcile::conditions::{self, Outcome};
use crate::reconcile::status::{self, SourceStatus};
use crate::runtime::events::EventType;

pub(super) async fn write_status<S: Source>(
    api: &Api<S>,
    object: &S,
    old: Option<&S::Status>,
    new: &S::Status,
) -> Result<(), ReconcileError> {
    let patch = status::merge_patch(old, new).map_err(|source| ReconcileError::Encode {
        kind: S::kind(&()).into_owned(),
        namespace: object.namespace().unwrap_or_default(),
        name: object.name_any(),
        source,
    })?;
    if let Some(patch) = patch {
        status::patch(api, object, patch)
            .await
            .map_err(|source| ReconcileError::Status {
                kind: S::kind(&()).into_owned(),
                namespace: object.namespace().unwrap_or_default(),
                name: object.name_any(),
                source,
            })?;
    }
    Ok(())
}

/// A Normal event for each new artifact, a Warning when a failure first appears or changes.
pub(super) async fn publish_events<S: Source>(
    object: &S,
    old: Option<&S::Status>,
    new: &S::Status,
    old_revision: Option<&str>,
    outcome: &Outcome,
    ctx: &Context,
) {
    let revision = new.artifact().map(|a| a.revision.as_str());
    let old_ready = old.and_then(|s| conditions::get(s.conditions(), conditions::READY));
    let new_ready = conditions::get(new.conditions(), conditions::READY);
    let ready_changed = old_ready.map(|c| (&c.status, &c.reason, &c.message))
        != new_ready.map(|c| (&c.status, &c.reason, &c.message));
    match outcome {
        Outcome::Ready {
            reason, message, ..
        } => {
            let recovered =
                old_ready.is_some_and(|c| c.status != crate::api::meta::ConditionStatus::True);
            if revision != old_revision || recovered {
                let reason = if reason == conditions::SUCCEEDED {
                    "NewArtifact"
                } else {
                    reason
                };
                let message = new
                    .artifact()
                    .and_then(|a| object.new_artifact_message(a))
                    .unwrap_or_else(|| message.clone());
                ctx.events
                    .publish(object, EventType::Normal, reason, &message, revision)
                    .await;
            }
        }
        Outcome::Failed {
            reason, message, ..
        }
        | Outcome::Waiting { reason, message }
        | Outcome::Stalled { reason, message } => {
            if ready_changed {
                ctx.events
                    .publish(object, EventType::Warning, reason, message, revision)
                    .await;
            }
        }
    }
}
