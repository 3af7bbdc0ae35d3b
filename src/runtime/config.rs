//! The validated configuration of `helmsync controller`: what the flags mean once checked.
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Flux's name for the lease of the source reconcilers.
pub const LEADER_ELECTION_ID: &str = "source-controller-leader-election";

/// Everything the controller needs to run, checked before anything connects.
#[derive(Clone, Debug)]
pub struct Config {
    /// Parallel reconciles per kind.
    pub concurrent: u16,
    /// The namespace to watch; `None` watches all namespaces.
    pub watch_namespace: Option<String>,
    /// A label selector restricting the watched objects (sharding).
    pub watch_label_selector: Option<String>,
    pub leader_election: Option<LeaderElection>,
    pub metrics_addr: SocketAddr,
    pub health_addr: SocketAddr,
    pub storage: StorageConfig,
    /// Requeue delay when a source or its artifact is not ready yet.
    pub requeue_dependency: Duration,
    pub limits: SizeLimits,
    /// How long running reconciles may take to finish on shutdown.
    pub graceful_shutdown_timeout: Duration,
    /// ± percentage of jitter on the success requeue interval (0 turns it off).
    pub interval_jitter_percentage: u8,
    /// Failure backoff bounds.
    pub min_retry_delay: Duration,
    pub max_retry_delay: Duration,
    /// The name of this instance in Events and in the Lease.
    pub instance: String,
}

/// Leader election through a coordination.k8s.io Lease.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderElection {
    pub lease_name: String,
    pub namespace: String,
    pub lease_duration: Duration,
    pub renew_deadline: Duration,
    pub retry_period: Duration,
}

#[derive(Clone, Debug)]
pub struct StorageConfig {
    /// Root directory of the artifacts.
    pub path: PathBuf,
    /// Where the artifact file server listens.
    pub addr: SocketAddr,
    /// The host (and port) written into artifact URLs; empty means the bound address.
    pub advertised: String,
    pub retention_ttl: Duration,
    pub retention_records: u32,
}

/// Bounds on what is downloaded from repositories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeLimits {
    pub index_max_size: u64,
    pub chart_max_size: u64,
    pub chart_file_max_size: u64,
}

impl Default for SizeLimits {
    fn default() -> Self {
        SizeLimits {
            index_max_size: 50 << 20,
            chart_max_size: 10 << 20,
            chart_file_max_size: 5 << 20,
        }
    }
}

/// A flag value that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("invalid value {value:?} for --{flag}: {reason}")]
    Invalid {
        flag: &'static str,
        value: String,
        reason: String,
    },
    #[error(
        "--watch-all-namespaces=false needs the namespace to watch in RUNTIME_NAMESPACE (or --runtime-namespace)"
    )]
    NoRuntimeNamespace,
}

impl ConfigError {
    pub fn invalid(flag: &'static str, value: &str, reason: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            flag,
            value: value.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Parses a Go duration flag (`35s`, `1m30s`, `500ms`); negative durations are refused.
pub fn parse_duration(flag: &'static str, value: &str) -> Result<Duration, ConfigError> {
    let nanos = helmsync_engine::funcs::goduration::parse_duration(value)
        .map_err(|e| ConfigError::invalid(flag, value, e))?;
    u64::try_from(nanos)
        .map(Duration::from_nanos)
        .map_err(|_| ConfigError::invalid(flag, value, "must not be negative"))
}

/// Parses a Go listen address: `:8080` listens on every interface, `host:port` on one.
pub fn parse_listen_addr(flag: &'static str, value: &str) -> Result<SocketAddr, ConfigError> {
    if let Some(port) = value.strip_prefix(':') {
        let port: u16 = port
            .parse()
            .map_err(|_| ConfigError::invalid(flag, value, "the port is not a number"))?;
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port));
    }
    if let Some((host, port)) = value.rsplit_once(':')
        && host == "localhost"
    {
        let port: u16 = port
            .parse()
            .map_err(|_| ConfigError::invalid(flag, value, "the port is not a number"))?;
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    value
        .parse()
        .map_err(|_| ConfigError::invalid(flag, value, "expected HOST:PORT or :PORT"))
}

/// The lease name: Flux suffixes it with a hash of the label selector so that each shard
/// elects its own leader.
pub fn lease_name(label_selector: Option<&str>) -> String {
    match label_selector.filter(|s| !s.is_empty()) {
        Some(selector) => format!("{LEADER_ELECTION_ID}-{:08x}", fnv32a(selector.as_bytes())),
        None => LEADER_ELECTION_ID.to_owned(),
    }
}

fn fnv32a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, b| {
        (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

impl LeaderElection {
    /// Checks the timing relation client-go enforces: the leader renews well within the
    /// lease, and retries more often than it renews.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let secs = |d: Duration| d.as_secs_f64();
        if self.lease_duration < Duration::from_secs(2) {
            return Err(ConfigError::invalid(
                "leader-election-lease-duration",
                &format!("{}s", secs(self.lease_duration)),
                "must be at least 2s",
            ));
        }
        if self.renew_deadline >= self.lease_duration {
            return Err(ConfigError::invalid(
                "leader-election-renew-deadline",
                &format!("{}s", secs(self.renew_deadline)),
                "must be shorter than --leader-election-lease-duration",
            ));
        }
        if self.retry_period.is_zero() || self.retry_period >= self.renew_deadline {
            return Err(ConfigError::invalid(
                "leader-election-retry-period",
                &format!("{}s", secs(self.retry_period)),
                "must be above zero and shorter than --leader-election-renew-deadline",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_listen_addresses_parse() {
        assert_eq!(
            parse_listen_addr("metrics-addr", ":8080"),
            Ok("0.0.0.0:8080".parse().unwrap())
        );
        assert_eq!(
            parse_listen_addr("metrics-addr", "127.0.0.1:0"),
            Ok("127.0.0.1:0".parse().unwrap())
        );
        assert_eq!(
            parse_listen_addr("metrics-addr", "localhost:9"),
            Ok("127.0.0.1:9".parse().unwrap())
        );
        assert!(parse_listen_addr("metrics-addr", "8080").is_err());
    }

    #[test]
    fn durations_use_go_syntax_and_refuse_negatives() {
        assert_eq!(parse_duration("x", "1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("x", "750ms"), Ok(Duration::from_millis(750)));
        assert!(parse_duration("x", "-1s").is_err());
        assert!(parse_duration("x", "soon").is_err());
    }

    #[test]
    fn each_shard_has_its_own_lease() {
        assert_eq!(lease_name(None), LEADER_ELECTION_ID);
        assert_eq!(lease_name(Some("")), LEADER_ELECTION_ID);
        let a = lease_name(Some("sharding.fluxcd.io/key=shard1"));
        let b = lease_name(Some("sharding.fluxcd.io/key=shard2"));
        assert_ne!(a, b);
        assert!(a.starts_with("source-controller-leader-election-"));
    }

    #[test]
    fn leader_election_timings_are_checked() {
        let ok = LeaderElection {
            lease_name: "l".into(),
            namespace: "n".into(),
            lease_duration: Duration::from_secs(35),
            renew_deadline: Duration::from_secs(30),
            retry_period: Duration::from_secs(5),
        };
        assert_eq!(ok.validate(), Ok(()));
        let bad = LeaderElection {
            renew_deadline: Duration::from_secs(40),
            ..ok.clone()
        };
        assert!(bad.validate().is_err());
        let bad = LeaderElection {
            retry_period: Duration::from_secs(30),
            ..ok
        };
        assert!(bad.validate().is_err());
    }
}
