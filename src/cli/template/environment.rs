//! The world `helmsync template` lends the engine's non-hermetic functions: the system
//! clock and time zone, the operating system's random source, and DNS when asked for.
use std::net::ToSocketAddrs;

use helmsync_engine::funcs::Environment;

use crate::cli::CliError;

/// The real clock, zone, randomness and (with `--enable-dns`) resolver.
pub struct SystemEnvironment {
    enable_dns: bool,
}

impl SystemEnvironment {
    /// Fails when the operating system's random source does not answer, so that a render
    /// never generates keys or passwords without it.
    pub fn new(enable_dns: bool) -> Result<SystemEnvironment, CliError> {
        let mut probe = [0u8; 1];
        getrandom::fill(&mut probe)
            .map_err(|e| CliError::Internal(format!("the system random source failed: {e}")))?;
        Ok(SystemEnvironment { enable_dns })
    }
}

impl Environment for SystemEnvironment {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }

    fn local_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::system()
    }

    #[allow(clippy::expect_used)]
    fn fill_random(&self, buf: &mut [u8]) {
        // `new` proved the source works; the operating system does not take it back.
        getrandom::fill(buf).expect("the system random source answered at start-up");
    }

    /// Go's `net.LookupHost`; a name that does not resolve has no addresses.
    fn lookup_host(&self, name: &str) -> Option<Vec<String>> {
        if !self.enable_dns {
            return None;
        }
        let addresses = (name, 0).to_socket_addrs().map_or_else(
            |_| Vec::new(),
            |addrs| addrs.map(|a| a.ip().to_string()).collect(),
        );
        Some(addresses)
    }
}
