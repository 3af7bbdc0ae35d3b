//! `helmsync controller`: the flags of Flux's source-controller (names and defaults), checked
//! into a `runtime::config::Config` before anything connects.
use std::path::PathBuf;

use clap::{ArgAction, Args};

use super::CliError;
use crate::runtime::config::{
    Config, ConfigError, LeaderElection, SizeLimits, StorageConfig, lease_name, parse_duration,
    parse_listen_addr,
};
use crate::runtime::logging::{self, LogEncoding, LogLevel};

#[derive(Debug, Args)]
pub struct ControllerArgs {
    /// The number of concurrent reconciles per kind.
    #[arg(long, default_value_t = 2)]
    concurrent: u16,
    /// Watch custom resources in all namespaces; if false, only in RUNTIME_NAMESPACE.
    #[arg(long, default_value_t = true, action = ArgAction::Set, num_args = 0..=1,
          require_equals = true, default_missing_value = "true")]
    watch_all_namespaces: bool,
    /// The namespace the controller runs in (Flux reads it from RUNTIME_NAMESPACE).
    #[arg(long, env = "RUNTIME_NAMESPACE", default_value = "")]
    runtime_namespace: String,
    /// Watch only the custom resources matching this label selector (sharding).
    #[arg(long, default_value = "")]
    watch_label_selector: String,
    /// Enable leader election, so that only one instance reconciles.
    #[arg(long, default_value_t = false, action = ArgAction::Set, num_args = 0..=1,
          require_equals = true, default_missing_value = "true")]
    enable_leader_election: bool,
    /// How long a non-leader waits before it may take over an unrenewed lease.
    #[arg(long, default_value = "35s")]
    leader_election_lease_duration: String,
    /// How long the leader keeps trying to renew before it gives up.
    #[arg(long, default_value = "30s")]
    leader_election_renew_deadline: String,
    /// How long instances wait between attempts on the lease.
    #[arg(long, default_value = "5s")]
    leader_election_retry_period: String,
    /// The address the Prometheus metrics endpoint binds to.
    #[arg(long, default_value = ":8080")]
    metrics_addr: String,
    /// The address the health endpoints (/healthz, /readyz) bind to.
    #[arg(long, default_value = ":9440")]
    health_addr: String,
    /// Log verbosity.
    #[arg(long, value_enum, default_value_t = LogLevel::Info)]
    log_level: LogLevel,
    /// Log encoding: json or console.
    #[arg(long, value_enum, default_value_t = LogEncoding::Json)]
    log_encoding: LogEncoding,
    /// The local storage path of the artifacts.
    #[arg(long, default_value = "/data")]
    storage_path: PathBuf,
    /// The address the artifact file server binds to.
    #[arg(long, default_value = ":9090")]
    storage_addr: String,
    /// The advertised address of the artifact server, used in artifact URLs.
    #[arg(long, default_value = "")]
    storage_adv_addr: String,
    /// The interval at which failing dependencies are re-evaluated.
    #[arg(long, default_value = "30s")]
    requeue_dependency: String,
    /// The maximum size of a repository index.yaml, in bytes.
    #[arg(long, default_value_t = 50 << 20)]
    helm_index_max_size: u64,
    /// The maximum size of a chart archive, in bytes.
    #[arg(long, default_value_t = 10 << 20)]
    helm_chart_max_size: u64,
    /// The maximum size of one file in a chart, in bytes.
    #[arg(long, default_value_t = 5 << 20)]
    helm_chart_file_max_size: u64,
    /// How long superseded artifacts are kept.
    #[arg(long, default_value = "1m")]
    artifact_retention_ttl: String,
    /// How many artifacts per object are kept, the current one included.
    #[arg(long, default_value_t = 2)]
    artifact_retention_records: u32,
    /// How long running reconciles may take to finish on shutdown.
    #[arg(long, default_value = "600s")]
    graceful_shutdown_timeout: String,
    /// ± percentage of jitter on the success requeue interval; 0 turns it off.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..100))]
    interval_jitter_percentage: u8,
    /// The first retry delay of a failing reconcile.
    #[arg(long, default_value = "750ms")]
    min_retry_delay: String,
    /// The longest retry delay of a failing reconcile.
    #[arg(long, default_value = "15m")]
    max_retry_delay: String,
}

impl ControllerArgs {
    /// Checks every flag; the namespace of the lease defaults to RUNTIME_NAMESPACE, else the
    /// client's namespace (filled in at start-up).
    pub fn into_config(self) -> Result<Config, ConfigError> {
        let runtime_namespace = Some(self.runtime_namespace).filter(|n| !n.is_empty());
        let watch_namespace = if self.watch_all_namespaces {
            None
        } else {
            Some(
                runtime_namespace
                    .clone()
                    .ok_or(ConfigError::NoRuntimeNamespace)?,
            )
        };
        let selector = Some(self.watch_label_selector).filter(|s| !s.trim().is_empty());
        let leader_election = if self.enable_leader_election {
            let election = LeaderElection {
                lease_name: lease_name(selector.as_deref()),
                namespace: runtime_namespace.unwrap_or_default(),
                lease_duration: parse_duration(
                    "leader-election-lease-duration",
                    &self.leader_election_lease_duration,
                )?,
                renew_deadline: parse_duration(
                    "leader-election-renew-deadline",
                    &self.leader_election_renew_deadline,
                )?,
                retry_period: parse_duration(
                    "leader-election-retry-period",
                    &self.leader_election_retry_period,
                )?,
            };
            election.validate()?;
            Some(election)
        } else {
            None
        };
        if self.concurrent == 0 {
            return Err(ConfigError::invalid(
                "concurrent",
                "0",
                "must be at least 1",
            ));
        }
        let min_retry_delay = parse_duration("min-retry-delay", &self.min_retry_delay)?;
        let max_retry_delay = parse_duration("max-retry-delay", &self.max_retry_delay)?;
        if max_retry_delay < min_retry_delay {
            return Err(ConfigError::invalid(
                "max-retry-delay",
                &self.max_retry_delay,
                "must not be shorter than --min-retry-delay",
            ));
        }
        Ok(Config {
            concurrent: self.concurrent,
            watch_namespace,
            watch_label_selector: selector,
            leader_election,
            metrics_addr: parse_listen_addr("metrics-addr", &self.metrics_addr)?,
            health_addr: parse_listen_addr("health-addr", &self.health_addr)?,
            storage: StorageConfig {
                path: self.storage_path,
                addr: parse_listen_addr("storage-addr", &self.storage_addr)?,
                advertised: self.storage_adv_addr,
                retention_ttl: parse_duration(
                    "artifact-retention-ttl",
                    &self.artifact_retention_ttl,
                )?,
                retention_records: self.artifact_retention_records.max(1),
            },
            requeue_dependency: parse_duration("requeue-dependency", &self.requeue_dependency)?,
            limits: SizeLimits {
                index_max_size: self.helm_index_max_size,
                chart_max_size: self.helm_chart_max_size,
                chart_file_max_size: self.helm_chart_file_max_size,
            },
            graceful_shutdown_timeout: parse_duration(
                "graceful-shutdown-timeout",
                &self.graceful_shutdown_timeout,
            )?,
            interval_jitter_percentage: self.interval_jitter_percentage,
            min_retry_delay,
            max_retry_delay,
            instance: instance_identity(),
        })
    }
}

/// `<hostname>_<random>`, as client-go names leader election candidates.
fn instance_identity() -> String {
    let host = std::env::var("POD_NAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
        })
        .unwrap_or_else(|| "helmsync".to_owned());
    let suffix = getrandom::u64().unwrap_or_default();
    format!("{host}_{suffix:016x}")
}

pub fn run(args: ControllerArgs) -> Result<(), CliError> {
    let (level, encoding) = (args.log_level, args.log_encoding);
    let config = args
        .into_config()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    logging::init(level, encoding);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start the async runtime: {e}")))?;
    runtime
        .block_on(crate::runtime::run(config))
        .map_err(|e| CliError::Command(e.to_string()))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: ControllerArgs,
    }

    fn config(args: &[&str]) -> Result<Config, ConfigError> {
        let mut argv = vec!["helmsync"];
        argv.extend_from_slice(args);
        Wrapper::try_parse_from(argv).unwrap().args.into_config()
    }

    #[test]
    fn defaults_are_fluxs() {
        let config = config(&["--runtime-namespace="]).unwrap();
        assert_eq!(config.concurrent, 2);
        assert_eq!(config.metrics_addr.port(), 8080);
        assert_eq!(config.health_addr.port(), 9440);
        assert_eq!(config.storage.addr.port(), 9090);
        assert_eq!(config.storage.path, PathBuf::from("/data"));
        assert_eq!(config.requeue_dependency.as_secs(), 30);
        assert_eq!(config.limits, SizeLimits::default());
        assert_eq!(config.storage.retention_records, 2);
        assert_eq!(config.interval_jitter_percentage, 0);
        assert!(config.leader_election.is_none());
        assert!(config.watch_namespace.is_none());
    }

    #[test]
    fn go_style_booleans_and_leader_election() {
        let config = config(&[
            "--enable-leader-election",
            "--watch-all-namespaces=false",
            "--runtime-namespace=flux-system",
            "--watch-label-selector=sharding.fluxcd.io/key=shard1",
        ])
        .unwrap();
        let election = config.leader_election.unwrap();
        assert_eq!(election.namespace, "flux-system");
        assert_eq!(election.lease_duration.as_secs(), 35);
        assert_ne!(election.lease_name, "source-controller-leader-election");
        assert_eq!(config.watch_namespace.as_deref(), Some("flux-system"));
    }

    #[test]
    fn bad_flags_are_refused_with_the_flag_name() {
        let err = config(&["--metrics-addr=8080"]).unwrap_err();
        assert!(err.to_string().contains("--metrics-addr"), "{err}");
        let err = config(&["--watch-all-namespaces=false", "--runtime-namespace="]).unwrap_err();
        assert_eq!(err, ConfigError::NoRuntimeNamespace);
        let err = config(&[
            "--enable-leader-election",
            "--leader-election-renew-deadline=40s",
        ])
        .unwrap_err();
        assert!(err.to_string().contains("renew-deadline"), "{err}");
    }
}
