//! Semantic versions and version constraints as Helm and Flux read them: a port of
//! github.com/Masterminds/semver/v3 at v3.5.0, the version Helm v4.3.1 pins.
//!
//! Used for chart version ranges (HelmRelease/HelmChart `version`, dependency versions),
//! Chart.yaml `kubeVersion`, and the template functions `semver` and `semverCompare`.
//! Masterminds' language differs from Cargo's: `1.2.3` means exactly 1.2.3, `1.2` means
//! `1.2.x`, and a prerelease only satisfies a constraint that names one itself.
//!
//! ```
//! use helmsync_engine::semver::{Constraints, Version};
//!
//! let range = Constraints::parse(">= 1.21-0, < 2").unwrap();
//! assert!(range.check(&Version::parse("v1.30.0-eks.1").unwrap()));
//! assert_eq!(range.to_string(), ">=1.21-0 <2");
//! ```
mod comparison;
mod constraint;
mod error;
pub mod flux;
mod go_sort;
mod syntax;
mod version;

pub use constraint::{Constraints, MAX_CONSTRAINT_GROUPS, MAX_CONSTRAINT_LEN};
pub use error::{Error, NumberError};
pub use version::{MAX_VERSION_LEN, Version};
