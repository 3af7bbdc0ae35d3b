//! The errors of version and constraint parsing and of version resolution, each printing
//! the message Masterminds/semver (or the Flux code around it) prints, byte for byte.
use std::fmt;

use super::constraint::{MAX_CONSTRAINT_GROUPS, MAX_CONSTRAINT_LEN};
use super::version::MAX_VERSION_LEN;

/// Why parsing a version or constraint, or resolving a version, failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `ErrInvalidSemVer`: the text is not shaped like a version at all.
    #[error("invalid semantic version")]
    InvalidSemVer,
    /// `ErrEmptyString` (strict parsing only; lenient parsing says `InvalidSemVer`).
    #[error("version string empty")]
    EmptyString,
    /// `ErrInvalidCharacters`: a major, minor or patch part that is not all digits.
    #[error("invalid characters in version")]
    InvalidCharacters,
    /// `ErrSegmentStartsZero`: a numeric part (or numeric prerelease identifier) with a
    /// leading zero.
    #[error("version segment starts with 0")]
    SegmentStartsZero,
    /// `ErrInvalidMetadata`.
    #[error("invalid metadata string")]
    InvalidMetadata,
    /// `ErrInvalidPrerelease`.
    #[error("invalid prerelease string")]
    InvalidPrerelease,
    /// `ErrVersionTooLong`.
    #[error("version string is too long (max {MAX_VERSION_LEN} bytes)")]
    VersionTooLong,
    /// A `strconv.ParseUint` failure, as strict parsing returns it unwrapped.
    #[error("{0}")]
    Number(NumberError),
    /// A `strconv.ParseUint` failure wrapped by lenient parsing.
    #[error("error parsing version segment: {0}")]
    Segment(NumberError),
    /// Incrementing a part already at `u64::MAX`; Go panics with this text (and a template
    /// reports the recovered panic as the call's error).
    #[error("{0} version increment would overflow uint64")]
    IncrementOverflow(&'static str),
    /// `ErrConstraintTooLong`.
    #[error("constraint string is too long (max {MAX_CONSTRAINT_LEN} bytes)")]
    ConstraintTooLong,
    /// `ErrTooManyConstraintGroups`.
    #[error("too many constraint groups (max {MAX_CONSTRAINT_GROUPS})")]
    TooManyConstraintGroups,
    /// One `||` group of a constraint does not follow the grammar; holds the group's text.
    #[error("improper constraint: {}", crate::gofmt::quote::quote(.0))]
    ImproperConstraint(String),
    /// A constraint term passed the grammar but its version did not parse (a number too big
    /// for a u64, a prerelease identifier with a leading zero, a `|` inside a number...).
    #[error("constraint parser error")]
    ConstraintParser,
    /// Flux, HelmRepository: `repo.ErrNoChartVersion`, the chart has no versions at all.
    #[error("no chart version found")]
    NoChartVersion,
    /// Flux, HelmRepository: no index entry satisfies the requested version.
    #[error("no '{chart}' chart with version matching '{requested}' found")]
    NoMatchingChartVersion { chart: String, requested: String },
    /// Flux, OCI HelmRepository: no tag satisfies the requested version.
    #[error("could not locate a version matching provided version string {0}")]
    NoMatchingTag(String),
    /// Flux, OCIRepository `ref.semver`: the expression does not parse.
    #[error("semver '{expression}' parse error: {source}")]
    SemverExpression {
        expression: String,
        source: Box<Error>,
    },
    /// Flux, OCIRepository `ref.semver`: no tag satisfies the expression.
    #[error("no match found for semver: {0}")]
    NoMatchForSemver(String),
}

/// A failed `strconv.ParseUint(text, 10, 64)` on a run of ASCII digits (possibly empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberError {
    text: String,
    out_of_range: bool,
}

impl NumberError {
    /// Go's `strconv.ParseUint(text, 10, 64)`, with its error.
    pub(super) fn parse_u64(text: &str) -> Result<u64, NumberError> {
        parse_uint(text).ok_or_else(|| NumberError {
            text: text.to_owned(),
            out_of_range: !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()),
        })
    }
}

/// What Go's `strconv.ParseUint(text, 10, 64)` parses `text` to, if anything: decimal
/// digits only (no sign, no underscores), at most `u64::MAX`.
pub(super) fn parse_uint(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = if self.out_of_range {
            "value out of range"
        } else {
            "invalid syntax"
        };
        let quoted = crate::gofmt::quote::quote(&self.text);
        write!(f, "strconv.ParseUint: parsing {quoted}: {reason}")
    }
}
