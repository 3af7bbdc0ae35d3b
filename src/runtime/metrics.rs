//! Prometheus metrics with Flux's names: the reconcile duration histogram of fluxcd/pkg and
//! controller-runtime's reconcile counters.
use std::sync::Arc;
use std::time::Instant;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets_range};
use prometheus_client::registry::Registry;

/// `gotk_reconcile_duration_seconds` labels: the object, never anything secret.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ObjectLabels {
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

/// `controller_runtime_reconcile_total` labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    pub controller: String,
    pub result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ControllerLabels {
    pub controller: String,
}

/// How one reconcile ended, in controller-runtime's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReconcileResult {
    Success,
    Error,
    RequeueAfter,
}

impl ReconcileResult {
    fn label(self) -> &'static str {
        match self {
            ReconcileResult::Success => "success",
            ReconcileResult::Error => "error",
            ReconcileResult::RequeueAfter => "requeue_after",
        }
    }
}

/// Fluxcd/pkg's `ExponentialBucketsRange(10ms, 1800s, 10)`.
fn duration_histogram() -> Histogram {
    Histogram::new(exponential_buckets_range(0.01, 1800.0, 10))
}

type HistogramFamily = Family<ObjectLabels, Histogram, fn() -> Histogram>;

/// The metrics registry and the handles reconcilers record into; registered once.
pub struct Metrics {
    registry: Registry,
    reconcile_duration: HistogramFamily,
    reconcile_total: Family<ResultLabels, Counter>,
    reconcile_errors: Family<ControllerLabels, Counter>,
    active_workers: Family<ControllerLabels, Gauge>,
    leader: Gauge,
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        let mut registry = Registry::default();
        let reconcile_duration: HistogramFamily = Family::new_with_constructor(duration_histogram);
        registry.register(
            "gotk_reconcile_duration_seconds",
            "The duration in seconds of a GitOps Toolkit resource reconciliation.",
            reconcile_duration.clone(),
        );
        let reconcile_total = Family::<ResultLabels, Counter>::default();
        registry.register(
            "controller_runtime_reconcile",
            "Total number of reconciliations per controller",
            reconcile_total.clone(),
        );
        let reconcile_errors = Family::<ControllerLabels, Counter>::default();
        registry.register(
            "controller_runtime_reconcile_errors",
            "Total number of reconciliation errors per controller",
            reconcile_errors.clone(),
        );
        let active_workers = Family::<ControllerLabels, Gauge>::default();
        registry.register(
            "controller_runtime_active_workers",
            "Number of currently used workers per controller",
            active_workers.clone(),
        );
        let leader = Gauge::default();
        registry.register(
            "leader_election_master_status",
            "Whether this instance holds the leader lease (1) or not (0)",
            leader.clone(),
        );
        Arc::new(Metrics {
            registry,
            reconcile_duration,
            reconcile_total,
            reconcile_errors,
            active_workers,
            leader,
        })
    }

    /// The registry in the Prometheus text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }

    /// Starts timing one reconcile; the duration is recorded when the guard drops, so every
    /// return path is counted.
    pub fn start_reconcile(self: &Arc<Self>, labels: ObjectLabels) -> ReconcileTimer {
        let controller = ControllerLabels {
            controller: labels.kind.to_lowercase(),
        };
        self.active_workers.get_or_create(&controller).inc();
        ReconcileTimer {
            metrics: self.clone(),
            labels,
            controller,
            started: Instant::now(),
            result: ReconcileResult::Error,
        }
    }

    /// Forgets the series of a deleted object, as Flux does.
    pub fn forget(&self, labels: &ObjectLabels) {
        self.reconcile_duration.remove(labels);
    }

    pub fn set_leader(&self, leader: bool) {
        self.leader.set(i64::from(leader));
    }
}

/// Records `gotk_reconcile_duration_seconds` and the reconcile counters on drop.
pub struct ReconcileTimer {
    metrics: Arc<Metrics>,
    labels: ObjectLabels,
    controller: ControllerLabels,
    started: Instant,
    result: ReconcileResult,
}

impl ReconcileTimer {
    pub fn finish(&mut self, result: ReconcileResult) {
        self.result = result;
    }

    /// Drops the timer without recording a duration (the object was deleted).
    pub fn discard(mut self) {
        self.result = ReconcileResult::Success;
        self.metrics.forget(&self.labels);
        self.labels.kind.clear();
    }
}

impl Drop for ReconcileTimer {
    fn drop(&mut self) {
        let metrics = &self.metrics;
        metrics.active_workers.get_or_create(&self.controller).dec();
        if self.labels.kind.is_empty() {
            return;
        }
        metrics
            .reconcile_duration
            .get_or_create(&self.labels)
            .observe(self.started.elapsed().as_secs_f64());
        metrics
            .reconcile_total
            .get_or_create(&ResultLabels {
                controller: self.controller.controller.clone(),
                result: self.result.label().to_owned(),
            })
            .inc();
        if self.result == ReconcileResult::Error {
            metrics
                .reconcile_errors
                .get_or_create(&self.controller)
                .inc();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> ObjectLabels {
        ObjectLabels {
            kind: "HelmRepository".into(),
            name: "podinfo".into(),
            namespace: "default".into(),
        }
    }

    #[test]
    fn a_reconcile_is_recorded_with_fluxs_ten_buckets() {
        let metrics = Metrics::new();
        let mut timer = metrics.start_reconcile(labels());
        timer.finish(ReconcileResult::Success);
        drop(timer);
        let text = metrics.encode().unwrap();
        let buckets: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("gotk_reconcile_duration_seconds_bucket"))
            .collect();
        // Ten bounds plus +Inf.
        assert_eq!(buckets.len(), 11, "{text}");
        assert!(buckets[0].contains("le=\"0.01\""), "{}", buckets[0]);
        // Like Go's ExponentialBucketsRange, the top bound is 1800 up to rounding.
        let top: f64 = buckets[9]
            .split('"')
            .nth(1)
            .and_then(|le| le.parse().ok())
            .unwrap();
        assert!((top - 1800.0).abs() < 1e-6, "{}", buckets[9]);
        assert!(text.contains(
            "gotk_reconcile_duration_seconds_count{kind=\"HelmRepository\",name=\"podinfo\",namespace=\"default\"} 1"
        ));
        assert!(text.contains(
            "controller_runtime_reconcile_total{controller=\"helmrepository\",result=\"success\"} 1"
        ));
    }

    #[test]
    fn a_deleted_object_loses_its_series() {
        let metrics = Metrics::new();
        drop(metrics.start_reconcile(labels()));
        metrics.start_reconcile(labels()).discard();
        let text = metrics.encode().unwrap();
        assert!(!text.contains("name=\"podinfo\""), "{text}");
        assert!(text.contains(
            "controller_runtime_reconcile_errors_total{controller=\"helmrepository\"} 1"
        ));
    }
}
