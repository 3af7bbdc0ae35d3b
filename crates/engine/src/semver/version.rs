//! `Version`: one semantic version as Masterminds/semver v3 parses, prints, orders and
//! increments it (`version.go`).
use std::cmp::Ordering;
use std::fmt;

use super::error::{Error, NumberError, parse_uint};
use super::syntax::{Cursor, is_ident_char};

/// `MaxVersionLen`: longer version strings are rejected before any parsing.
pub const MAX_VERSION_LEN: usize = 256;

/// A semantic version. `compare` and `equal` follow semver precedence, in which build
/// metadata and the original spelling take no part.
#[derive(Clone, Debug)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

/// The parts `looseSemVerRegex` captures: `v?N(.N)?(.N)?(-PRE)?(+META)?`, each optional
/// number without its dot.
struct LooseParts<'a> {
    major: &'a str,
    minor: Option<&'a str>,
    patch: Option<&'a str>,
    pre: &'a str,
    metadata: &'a str,
}

impl Version {
    /// Go's `New`: a version from its parts. Like Go, the prerelease and metadata are not
    /// validated.
    pub fn new(major: u64, minor: u64, patch: u64, pre: &str, metadata: &str) -> Version {
        let mut v = Version {
            major,
            minor,
            patch,
            pre: pre.to_owned(),
            metadata: metadata.to_owned(),
            original: String::new(),
        };
        v.original = v.to_string();
        v
    }

    /// Go's `NewVersion` (with its default `CoerceNewVersion`): accepts a leading `v`, a
    /// missing minor or patch (`1`, `v1.2`) and leading zeros in numbers (`01.2.3`).
    pub fn parse(v: &str) -> Result<Version, Error> {
        if v.len() > MAX_VERSION_LEN {
            return Err(Error::VersionTooLong);
        }
        let parts = match_loose(v).ok_or(Error::InvalidSemVer)?;
        let number = |text: &str| NumberError::parse_u64(text).map_err(Error::Segment);
        let major = number(parts.major)?;
        let minor = parts.minor.map_or(Ok(0), number)?;
        let patch = parts.patch.map_or(Ok(0), number)?;
        // The grammar admits only well-formed identifiers; what remains for the prerelease is
        // Go's leading-zero rule. (Go validates the metadata too, which cannot fail here.)
        if !parts.pre.is_empty() {
            validate_prerelease(parts.pre)?;
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre: parts.pre.to_owned(),
            metadata: parts.metadata.to_owned(),
            original: v.to_owned(),
        })
    }

    /// Go's `StrictNewVersion`: exactly `MAJOR.MINOR.PATCH[-PRE][+META]`, no `v`, no leading
    /// zeros. The checks run in Go's order, so the same input gets the same error.
    pub fn parse_strict(v: &str) -> Result<Version, Error> {
        if v.is_empty() {
            return Err(Error::EmptyString);
        }
        if v.len() > MAX_VERSION_LEN {
            return Err(Error::VersionTooLong);
        }
        let mut parts = v.splitn(3, '.');
        let (Some(major), Some(minor), Some(rest)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::InvalidSemVer);
        };
        let (rest, metadata) = match rest.split_once('+') {
            Some((rest, metadata)) => {
                validate_metadata(metadata)?;
                (rest, metadata)
            }
            None => (rest, ""),
        };
        let (patch, pre) = match rest.split_once('-') {
            Some((patch, pre)) => {
                validate_prerelease(pre)?;
                (patch, pre)
            }
            None => (rest, ""),
        };
        for part in [major, minor, patch] {
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::InvalidCharacters);
            }
            if part.len() > 1 && part.starts_with('0') {
                return Err(Error::SegmentStartsZero);
            }
        }
        let number = |text: &str| NumberError::parse_u64(text).map_err(Error::Number);
        Ok(Version {
            major: number(major)?,
            minor: number(minor)?,
            patch: number(patch)?,
            pre: pre.to_owned(),
            metadata: metadata.to_owned(),
            original: v.to_owned(),
        })
    }

    /// The text the version was parsed from (`Original()`).
    pub fn original(&self) -> &str {
        &self.original
    }

    pub fn major(&self) -> u64 {
        self.major
    }

    pub fn minor(&self) -> u64 {
        self.minor
    }

    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The prerelease, without its `-`; empty when there is none.
    pub fn prerelease(&self) -> &str {
        &self.pre
    }

    /// The build metadata, without its `+`; empty when there is none.
    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// Go's `Compare`: semver precedence. Numbers first, then a version without prerelease
    /// above one with, then prerelease identifiers one by one; metadata is ignored.
    pub fn compare(&self, other: &Version) -> Ordering {
        let numbers =
            (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch));
        if numbers != Ordering::Equal {
            return numbers;
        }
        match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prerelease(&self.pre, &other.pre),
        }
    }

    /// Go's `LessThan`.
    pub fn less_than(&self, other: &Version) -> bool {
        self.compare(other) == Ordering::Less
    }

    /// Go's `Equal`: same precedence (metadata may differ).
    pub fn equal(&self, other: &Version) -> bool {
        self.compare(other) == Ordering::Equal
    }

    /// Go's `IncPatch`: a prerelease version becomes its release (`1.2.3-rc.1` -> `1.2.3`),
    /// any other gets the next patch; metadata is dropped and a leading `v` kept.
    pub fn inc_patch(&self) -> Result<Version, Error> {
        let patch = if self.pre.is_empty() {
            self.patch
                .checked_add(1)
                .ok_or(Error::IncrementOverflow("patch"))?
        } else {
            self.patch
        };
        Ok(self.successor(self.major, self.minor, patch))
    }

    /// Go's `IncMinor`: the next minor with patch 0, without prerelease or metadata.
    pub fn inc_minor(&self) -> Result<Version, Error> {
        let minor = self
            .minor
            .checked_add(1)
            .ok_or(Error::IncrementOverflow("minor"))?;
        Ok(self.successor(self.major, minor, 0))
    }

    /// Go's `IncMajor`: the next major with minor and patch 0, without prerelease or
    /// metadata.
    pub fn inc_major(&self) -> Result<Version, Error> {
        let major = self
            .major
            .checked_add(1)
            .ok_or(Error::IncrementOverflow("major"))?;
        Ok(self.successor(major, 0, 0))
    }

    /// Go's `SetPrerelease`: the prerelease (without `-`) replaced; empty removes it.
    pub fn set_prerelease(&self, pre: &str) -> Result<Version, Error> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        Ok(self.respelled(Version {
            pre: pre.to_owned(),
            ..self.clone()
        }))
    }

    /// Go's `SetMetadata`: the metadata (without `+`) replaced; empty removes it.
    pub fn set_metadata(&self, metadata: &str) -> Result<Version, Error> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        Ok(self.respelled(Version {
            metadata: metadata.to_owned(),
            ..self.clone()
        }))
    }

    fn successor(&self, major: u64, minor: u64, patch: u64) -> Version {
        let next = Version {
            major,
            minor,
            patch,
            pre: String::new(),
            metadata: String::new(),
            original: String::new(),
        };
        self.respelled(next)
    }

    /// `next` with the original spelling Go gives a derived version: its `String()` behind
    /// this version's leading `v`, if it had one.
    fn respelled(&self, mut next: Version) -> Version {
        let prefix = if self.original.starts_with('v') {
            "v"
        } else {
            ""
        };
        next.original = format!("{prefix}{next}");
        next
    }
}

/// Go's `String()`: `MAJOR.MINOR.PATCH[-PRE][+META]`, never with a leading `v`.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

/// Matches `^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-IDENTS)?(\+IDENTS)?$`. Each part is followed
/// by a byte no earlier part can take, so the greedy reading is the only one.
fn match_loose(v: &str) -> Option<LooseParts<'_>> {
    let mut cursor = Cursor::new(v);
    cursor.eat(b'v');
    let major = cursor.take_while(|b| b.is_ascii_digit());
    if major.is_empty() {
        return None;
    }
    let minor = cursor.dotted(|b| b.is_ascii_digit());
    let patch = cursor.dotted(|b| b.is_ascii_digit());
    let pre = cursor.dotted_identifiers_after(b'-');
    let metadata = cursor.dotted_identifiers_after(b'+');
    cursor.at_end().then_some(LooseParts {
        major,
        minor,
        patch,
        pre,
        metadata,
    })
}

/// Go's `validatePrerelease`: dot-separated non-empty identifiers of `[0-9A-Za-z-]`,
/// numeric ones without leading zeros.
fn validate_prerelease(pre: &str) -> Result<(), Error> {
    for part in pre.split('.') {
        if part.is_empty() {
            return Err(Error::InvalidPrerelease);
        } else if part.bytes().all(|b| b.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(Error::SegmentStartsZero);
            }
        } else if !part.bytes().all(is_ident_char) {
            return Err(Error::InvalidPrerelease);
        }
    }
    Ok(())
}

/// Go's `validateMetadata`: dot-separated non-empty identifiers of `[0-9A-Za-z-]`.
fn validate_metadata(metadata: &str) -> Result<(), Error> {
    if metadata
        .split('.')
        .all(|part| !part.is_empty() && part.bytes().all(is_ident_char))
    {
        Ok(())
    } else {
        Err(Error::InvalidMetadata)
    }
}

/// Go's `comparePrerelease`: identifier by identifier, a missing identifier ranking lowest.
/// It is also what `!=` uses on raw prerelease strings, where one side may be empty.
pub(super) fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        let (l, r) = match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (l, r) => (l.unwrap_or(""), r.unwrap_or("")),
        };
        let order = compare_prerelease_part(l, r);
        if order != Ordering::Equal {
            return order;
        }
    }
}

/// Go's `comparePrePart`: numbers (what `ParseUint` accepts) below words, numbers by value,
/// words bytewise; an empty part below anything.
fn compare_prerelease_part(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    if a.is_empty() {
        return Ordering::Less;
    }
    if b.is_empty() {
        return Ordering::Greater;
    }
    match (parse_uint(a), parse_uint(b)) {
        (None, None) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        // Unequal texts of equal value ("1" and "01", from `new`) are not equal in Go.
        (Some(x), Some(y)) if x > y => Ordering::Greater,
        (Some(_), Some(_)) => Ordering::Less,
    }
}
