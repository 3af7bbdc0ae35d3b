//! Flux's status conditions: types, reasons and how a reconcile outcome becomes conditions.
//! `lastTransitionTime` only moves when a condition's status changes.
use crate::api::meta::{Condition, ConditionStatus};

pub const READY: &str = "Ready";
pub const RECONCILING: &str = "Reconciling";
pub const STALLED: &str = "Stalled";
pub const ARTIFACT_IN_STORAGE: &str = "ArtifactInStorage";
pub const ARTIFACT_OUTDATED: &str = "ArtifactOutdated";
pub const FETCH_FAILED: &str = "FetchFailed";
pub const BUILD_FAILED: &str = "BuildFailed";
pub const STORAGE_OPERATION_FAILED: &str = "StorageOperationFailed";

pub const SUCCEEDED: &str = "Succeeded";
pub const PROGRESSING: &str = "Progressing";
pub const PROGRESSING_WITH_RETRY: &str = "ProgressingWithRetry";

/// The failure conditions a successful reconcile clears.
const FAILURES: [&str; 4] = [
    FETCH_FAILED,
    BUILD_FAILED,
    STORAGE_OPERATION_FAILED,
    ARTIFACT_OUTDATED,
];

/// Now, as `metav1.Time` serialises it (RFC 3339, whole seconds, UTC).
pub fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn get<'a>(conditions: &'a [Condition], type_: &str) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

pub fn is_true(conditions: &[Condition], type_: &str) -> bool {
    get(conditions, type_).is_some_and(|c| c.status == ConditionStatus::True)
}

/// One condition to write.
pub struct Mark<'a> {
    pub type_: &'a str,
    pub status: ConditionStatus,
    pub reason: &'a str,
    pub message: &'a str,
}

/// Sets a condition, keeping its `lastTransitionTime` when the status does not change.
pub fn set(conditions: &mut Vec<Condition>, mark: Mark<'_>, generation: Option<i64>, now: &str) {
    let transition = match get(conditions, mark.type_) {
        Some(old) if old.status == mark.status => old.last_transition_time.clone(),
        _ => now.to_owned(),
    };
    let condition = Condition {
        last_transition_time: transition,
        message: mark.message.to_owned(),
        observed_generation: generation,
        reason: mark.reason.to_owned(),
        status: mark.status,
        type_: mark.type_.to_owned(),
    };
    match conditions.iter_mut().find(|c| c.type_ == mark.type_) {
        Some(slot) => *slot = condition,
        None => conditions.push(condition),
    }
    // Flux lists Ready first, then the rest in a stable order.
    conditions.sort_by_key(|c| (c.type_ != READY, rank(&c.type_)));
}

fn rank(type_: &str) -> usize {
    [
        READY,
        STALLED,
        RECONCILING,
        FETCH_FAILED,
        BUILD_FAILED,
        STORAGE_OPERATION_FAILED,
        ARTIFACT_OUTDATED,
        ARTIFACT_IN_STORAGE,
    ]
    .iter()
    .position(|t| *t == type_)
    .unwrap_or(usize::MAX)
}

pub fn remove(conditions: &mut Vec<Condition>, type_: &str) {
    conditions.retain(|c| c.type_ != type_);
}

/// Marks work in progress as Flux's `ProgressiveStatus` does: `Reconciling=True` and
/// `Ready=Unknown`, both with reason `Progressing` and the same message. The outcome of the
/// reconcile replaces both.
pub fn progressing(
    conditions: &mut Vec<Condition>,
    message: &str,
    generation: Option<i64>,
    now: &str,
) {
    set(
        conditions,
        mark(RECONCILING, ConditionStatus::True, PROGRESSING, message),
        generation,
        now,
    );
    set(
        conditions,
        mark(READY, ConditionStatus::Unknown, PROGRESSING, message),
        generation,
        now,
    );
}

/// What Flux's source controllers know about an object when a reconcile starts.
#[derive(Clone, Copy, Debug)]
pub struct Start<'a> {
    pub generation: Option<i64>,
    pub observed_generation: Option<i64>,
    /// The status names an artifact.
    pub has_artifact: bool,
    /// The status names an artifact that is no longer in storage.
    pub artifact_missing: bool,
    /// An on-demand request (`requestedAt`) not handled yet.
    pub new_request: Option<&'a str>,
}

/// The progress message a reconcile writes before its work, when Flux writes one: no
/// artifact yet (or one gone from storage), a new generation, or an on-demand request.
/// `None` otherwise, so an unchanged object costs no extra status write.
pub fn progress_message(start: &Start<'_>) -> Option<String> {
    if start.artifact_missing {
        return Some("building artifact: disappeared from storage".to_owned());
    }
    if !start.has_artifact {
        return Some("building artifact".to_owned());
    }
    if start.generation != start.observed_generation {
        // Flux's CRDs default observedGeneration to -1, so a new object reads "-1 -> 1".
        return Some(format!(
            "processing object: new generation {} -> {}",
            start.observed_generation.unwrap_or(-1),
            start.generation.unwrap_or(0)
        ));
    }
    start
        .new_request
        .map(|_| "reconciliation in progress".to_owned())
}

/// How a reconcile of one source ended; the single place that decides `Ready`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The artifact is stored and current.
    Ready {
        reason: String,
        message: String,
        /// The revision of the stored artifact (for `ArtifactInStorage`).
        revision: Option<String>,
    },
    /// A failure that may go away on retry; `condition` is FetchFailed, BuildFailed or
    /// StorageOperationFailed.
    Failed {
        condition: &'static str,
        reason: String,
        message: String,
    },
    /// Waiting for another object (a source without an artifact); requeued after
    /// `--requeue-dependency`.
    Waiting { reason: String, message: String },
    /// Cannot succeed until the spec changes: no retries.
    Stalled { reason: String, message: String },
}

impl Outcome {
    pub fn failed(condition: &'static str, reason: &str, message: impl Into<String>) -> Outcome {
        Outcome::Failed {
            condition,
            reason: reason.to_owned(),
            message: message.into(),
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Outcome::Ready { reason, .. }
            | Outcome::Failed { reason, .. }
            | Outcome::Waiting { reason, .. }
            | Outcome::Stalled { reason, .. } => reason,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Outcome::Ready { message, .. }
            | Outcome::Failed { message, .. }
            | Outcome::Waiting { message, .. }
            | Outcome::Stalled { message, .. } => message,
        }
    }
}

/// Writes `outcome` into `conditions`.
pub fn apply(
    conditions: &mut Vec<Condition>,
    outcome: &Outcome,
    generation: Option<i64>,
    now: &str,
) {
    use ConditionStatus::{False, True};
    match outcome {
        Outcome::Ready {
            reason,
            message,
            revision,
        } => {
            for failure in FAILURES {
                remove(conditions, failure);
            }
            remove(conditions, STALLED);
            remove(conditions, RECONCILING);
            if let Some(revision) = revision {
                let stored = format!("stored artifact: revision '{revision}'");
                set(
                    conditions,
                    mark(ARTIFACT_IN_STORAGE, True, SUCCEEDED, &stored),
                    generation,
                    now,
                );
            }
            set(
                conditions,
                mark(READY, True, reason, message),
                generation,
                now,
            );
        }
        Outcome::Failed {
            condition,
            reason,
            message,
        } => {
            remove(conditions, STALLED);
            set(
                conditions,
                mark(condition, True, reason, message),
                generation,
                now,
            );
            set(
                conditions,
                mark(RECONCILING, True, PROGRESSING_WITH_RETRY, message),
                generation,
                now,
            );
            set(
                conditions,
                mark(READY, False, reason, message),
                generation,
                now,
            );
        }
        Outcome::Waiting { reason, message } => {
            remove(conditions, STALLED);
            set(
                conditions,
                mark(FETCH_FAILED, True, reason, message),
                generation,
                now,
            );
            // Retried after --requeue-dependency: still in progress, as Flux reports it.
            set(
                conditions,
                mark(RECONCILING, True, PROGRESSING_WITH_RETRY, message),
                generation,
                now,
            );
            set(
                conditions,
                mark(READY, False, reason, message),
                generation,
                now,
            );
        }
        Outcome::Stalled { reason, message } => {
            remove(conditions, RECONCILING);
            set(
                conditions,
                mark(STALLED, True, reason, message),
                generation,
                now,
            );
            set(
                conditions,
                mark(READY, False, reason, message),
                generation,
                now,
            );
        }
    }
}

fn mark<'a>(
    type_: &'a str,
    status: ConditionStatus,
    reason: &'a str,
    message: &'a str,
) -> Mark<'a> {
    Mark {
        type_,
        status,
        reason,
        message,
    }
}

/// The outcome of storing an artifact on a blocking thread: the stored artifact, or
/// StorageOperationFailed naming `what` was being stored.
pub fn stored_artifact<A: Into<crate::api::meta::Artifact>>(
    stored: Result<Result<A, crate::source::artifact::StorageError>, tokio::task::JoinError>,
    what: &str,
) -> Result<crate::api::meta::Artifact, Outcome> {
    match stored {
        Ok(Ok(artifact)) => Ok(artifact.into()),
        Ok(Err(e)) => Err(Outcome::failed(
            STORAGE_OPERATION_FAILED,
            e.reason(),
            e.to_string(),
        )),
        Err(e) => Err(Outcome::failed(
            STORAGE_OPERATION_FAILED,
            "ArchiveOperationFailed",
            format!("storing the {what} failed: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready() -> Outcome {
        Outcome::Ready {
            reason: SUCCEEDED.into(),
            message: "stored artifact: revision 'sha256:1'".into(),
            revision: Some("sha256:1".into()),
        }
    }

    #[test]
    fn an_unchanged_status_keeps_its_transition_time() {
        let mut conditions = Vec::new();
        apply(&mut conditions, &ready(), Some(1), "2026-01-01T00:00:00Z");
        apply(&mut conditions, &ready(), Some(2), "2026-01-02T00:00:00Z");
        let ready = get(&conditions, READY).unwrap();
        assert_eq!(ready.last_transition_time, "2026-01-01T00:00:00Z");
        assert_eq!(ready.observed_generation, Some(2));
        assert!(is_true(&conditions, ARTIFACT_IN_STORAGE));
    }

    #[test]
    fn a_failure_turns_ready_false_with_the_same_reason_and_keeps_the_artifact_condition() {
        let mut conditions = Vec::new();
        apply(&mut conditions, &ready(), Some(1), "t1");
        let failure = Outcome::failed(FETCH_FAILED, "IndexationFailed", "HTTP 500");
        apply(&mut conditions, &failure, Some(1), "t2");
        let ready = get(&conditions, READY).unwrap();
        assert_eq!(ready.status, ConditionStatus::False);
        assert_eq!(ready.reason, "IndexationFailed");
        assert_eq!(ready.last_transition_time, "t2");
        assert!(is_true(&conditions, FETCH_FAILED));
        assert!(is_true(&conditions, RECONCILING));
        assert!(is_true(&conditions, ARTIFACT_IN_STORAGE));
        assert_eq!(conditions[0].type_, READY);
    }

    #[test]
    fn success_clears_failures_and_stalled() {
        let mut conditions = Vec::new();
        let stalled = Outcome::Stalled {
            reason: "InvalidChartReference".into(),
            message: "bad".into(),
        };
        apply(&mut conditions, &stalled, Some(1), "t1");
        assert!(is_true(&conditions, STALLED));
        apply(
            &mut conditions,
            &Outcome::failed(BUILD_FAILED, "ChartPullError", "x"),
            Some(1),
            "t2",
        );
        apply(&mut conditions, &ready(), Some(2), "t3");
        let types: Vec<&str> = conditions.iter().map(|c| c.type_.as_str()).collect();
        assert_eq!(types, [READY, ARTIFACT_IN_STORAGE]);
    }

    #[test]
    fn waiting_marks_the_fetch_failed() {
        let mut conditions = Vec::new();
        let waiting = Outcome::Waiting {
            reason: "NoSourceArtifact".into(),
            message: "no artifact available for HelmRepository source 'podinfo'".into(),
        };
        apply(&mut conditions, &waiting, Some(1), "t1");
        assert_eq!(get(&conditions, READY).unwrap().reason, "NoSourceArtifact");
        assert!(is_true(&conditions, FETCH_FAILED));
        assert_eq!(
            get(&conditions, RECONCILING).unwrap().reason,
            PROGRESSING_WITH_RETRY
        );
    }

    #[test]
    fn progress_is_reconciling_and_ready_unknown_until_the_outcome() {
        let mut conditions = Vec::new();
        apply(&mut conditions, &ready(), Some(1), "t1");
        progressing(&mut conditions, "building artifact", Some(2), "t2");
        let reconciling = get(&conditions, RECONCILING).unwrap();
        assert_eq!(reconciling.status, ConditionStatus::True);
        assert_eq!(reconciling.reason, PROGRESSING);
        let ready_condition = get(&conditions, READY).unwrap();
        assert_eq!(ready_condition.status, ConditionStatus::Unknown);
        assert_eq!(ready_condition.reason, PROGRESSING);
        assert_eq!(ready_condition.message, "building artifact");
        assert_eq!(ready_condition.last_transition_time, "t2");
        apply(&mut conditions, &ready(), Some(2), "t3");
        assert!(get(&conditions, RECONCILING).is_none());
        assert!(is_true(&conditions, READY));
        progressing(&mut conditions, "building artifact", Some(3), "t4");
        apply(
            &mut conditions,
            &Outcome::failed(FETCH_FAILED, "IndexationFailed", "HTTP 500"),
            Some(3),
            "t5",
        );
        let reconciling = get(&conditions, RECONCILING).unwrap();
        assert_eq!(reconciling.reason, PROGRESSING_WITH_RETRY);
        assert_eq!(
            get(&conditions, READY).unwrap().status,
            ConditionStatus::False
        );
    }

    #[test]
    fn progress_is_written_only_when_flux_writes_it() {
        let unchanged = Start {
            generation: Some(2),
            observed_generation: Some(2),
            has_artifact: true,
            artifact_missing: false,
            new_request: None,
        };
        assert_eq!(progress_message(&unchanged), None);
        let new_object = Start {
            observed_generation: None,
            has_artifact: false,
            ..unchanged
        };
        assert_eq!(
            progress_message(&new_object).as_deref(),
            Some("building artifact")
        );
        let new_generation = Start {
            generation: Some(3),
            ..unchanged
        };
        assert_eq!(
            progress_message(&new_generation).as_deref(),
            Some("processing object: new generation 2 -> 3")
        );
        let missing = Start {
            artifact_missing: true,
            ..new_generation
        };
        assert_eq!(
            progress_message(&missing).as_deref(),
            Some("building artifact: disappeared from storage")
        );
        let requested = Start {
            new_request: Some("now"),
            ..unchanged
        };
        assert_eq!(
            progress_message(&requested).as_deref(),
            Some("reconciliation in progress")
        );
    }

    #[test]
    fn timestamps_are_whole_seconds_in_utc() {
        let now = now();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.ends_with('Z'));
    }
}
