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
    }

    #[test]
    fn timestamps_are_whole_seconds_in_utc() {
        let now = now();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.ends_with('Z'));
    }
}
