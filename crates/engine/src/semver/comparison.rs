//! One term of a constraint (`>=1.2`, `~1.x`, `!=2.0.0-rc.1`): its meaning and why a
//! version fails it, as Go's `constraint` type and `constraintXxx` functions decide.
use std::cmp::Ordering;
use std::fmt;

use super::error::Error;
use super::syntax::Term;
use super::version::{Version, compare_prerelease};

/// What a term's operator asks of a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Operator {
    /// No operator or `=`: equal, or within the range a wildcard or partial version spans.
    EqualOrRange,
    /// `!=`.
    NotEqual,
    /// `>`.
    Greater,
    /// `<`.
    Less,
    /// `>=` or `=>`.
    GreaterOrEqual,
    /// `<=` or `=<`.
    LessOrEqual,
    /// `~` or `~>`: same major and minor, at least the given version.
    Tilde,
    /// `^`: same major (same minor below 1.0, same patch below 0.1), at least the given one.
    Caret,
}

impl Operator {
    /// The operator spelled `spelling` (Go's `constraintOps` keys), if any.
    pub(super) fn from_spelling(spelling: &str) -> Option<Operator> {
        Some(match spelling {
            "" | "=" => Operator::EqualOrRange,
            "!=" => Operator::NotEqual,
            ">" => Operator::Greater,
            "<" => Operator::Less,
            ">=" | "=>" => Operator::GreaterOrEqual,
            "<=" | "=<" => Operator::LessOrEqual,
            "~" | "~>" => Operator::Tilde,
            "^" => Operator::Caret,
            _ => return None,
        })
    }
}

/// Why a version fails a term; `message` gives Go's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Failure {
    Prerelease,
    EqualTo,
    NotEqualTo,
    LessThanOrEqualTo,
    GreaterThanOrEqualTo,
    LessThan,
    GreaterThan,
    MajorDiffers,
    MajorOrMinorDiffers,
    MinorDiffersUnderMajorZero,
    MinorDiffers,
    NotEqualUnderMinorZero,
}

impl Failure {
    /// Go's message for `version` failing the term written `written` (the prerelease
    /// message names only the version).
    pub(super) fn message(self, version: &Version, written: &str) -> String {
        let v = crate::gofmt::quote::quote(&version.to_string());
        let c = crate::gofmt::quote::quote(written);
        match self {
            Failure::Prerelease => format!(
                "{v} is a prerelease version and the constraint is only looking for release versions"
            ),
            Failure::EqualTo => format!("{v} is equal to {c}"),
            Failure::NotEqualTo => format!("{v} is not equal to {c}"),
            Failure::LessThanOrEqualTo => format!("{v} is less than or equal to {c}"),
            Failure::GreaterThanOrEqualTo => format!("{v} is greater than or equal to {c}"),
            Failure::LessThan => format!("{v} is less than {c}"),
            Failure::GreaterThan => format!("{v} is greater than {c}"),
            Failure::MajorDiffers => format!("{v} does not have same major version as {c}"),
            Failure::MajorOrMinorDiffers => {
                format!("{v} does not have same major and minor version as {c}")
            }
            Failure::MinorDiffersUnderMajorZero => format!(
                "{v} does not have same minor version as {c}. Expected minor versions to match when constraint major version is 0"
            ),
            Failure::MinorDiffers => format!("{v} does not have same minor version as {c}"),
            Failure::NotEqualUnderMinorZero => format!(
                "{v} does not equal {c}. Expect version and constraint to equal when major and minor versions are 0"
            ),
        }
    }
}

/// A parsed term. A wildcard or missing part makes it "dirty": `1.x` and `1` both mean
/// `1.0.0` with a wildcard minor, and the operators then compare only the given parts.
#[derive(Clone, Debug)]
pub(super) struct Comparison {
    operator: Operator,
    /// The operator as written, for `Display`.
    spelling: String,
    /// The version as written: what `Display` and the failure messages show.
    written: String,
    /// The version compared against, wildcards as zeros.
    bound: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

fn is_wildcard(part: &str) -> bool {
    matches!(part, "x" | "X" | "*")
}

impl Comparison {
    /// Go's `parseConstraint` for a term the grammar accepted. The first wildcard or missing
    /// part zeroes itself and every later part; metadata is then dropped. A version that
    /// still does not parse (`1|2`, `1.2.3-01`) is a `ConstraintParser` error, as in Go.
    pub(super) fn parse(term: &Term<'_>) -> Result<Comparison, Error> {
        let cv = term.version;
        let missing_or_wildcard = |part: Option<&str>| part.is_none_or(is_wildcard);
        let (bound, minor_dirty, patch_dirty) = if is_wildcard(cv.major) {
            (format!("0.0.0{}", cv.pre), false, false)
        } else if missing_or_wildcard(cv.minor) {
            (format!("{}.0.0{}", cv.major, cv.pre), true, false)
        } else if missing_or_wildcard(cv.patch) {
            let minor = cv.minor.unwrap_or_default();
            (format!("{}.{minor}.0{}", cv.major, cv.pre), false, true)
        } else {
            (cv.text.to_owned(), false, false)
        };
        let dirty = is_wildcard(cv.major) || minor_dirty || patch_dirty;
        let bound = Version::parse(&bound).map_err(|_| Error::ConstraintParser)?;
        Ok(Comparison {
            operator: term.operator,
            spelling: term.spelling.to_owned(),
            written: cv.text.to_owned(),
            bound,
            dirty,
            minor_dirty,
            patch_dirty,
        })
    }

    /// The version as written in the constraint.
    pub(super) fn written(&self) -> &str {
        &self.written
    }

    /// Whether the term names a prerelease, which opts its whole group into prereleases.
    pub(super) fn has_prerelease(&self) -> bool {
        !self.bound.prerelease().is_empty()
    }

    /// Go's `constraint.check`: whether `v` satisfies the term. A prerelease version only
    /// does when `include_prerelease` (the group names a prerelease, or the caller asked).
    pub(super) fn check(&self, v: &Version, include_prerelease: bool) -> Result<(), Failure> {
        if !v.prerelease().is_empty() && !include_prerelease {
            return Err(Failure::Prerelease);
        }
        match self.operator {
            Operator::EqualOrRange if self.dirty => self.check_tilde(v),
            Operator::EqualOrRange => require(v.equal(&self.bound), Failure::NotEqualTo),
            Operator::NotEqual => self.check_not_equal(v),
            Operator::Greater => self.check_greater(v),
            Operator::Less => require(v.less_than(&self.bound), Failure::GreaterThanOrEqualTo),
            Operator::GreaterOrEqual => require(!v.less_than(&self.bound), Failure::LessThan),
            Operator::LessOrEqual => self.check_less_or_equal(v),
            Operator::Tilde => self.check_tilde(v),
            Operator::Caret => self.check_caret(v),
        }
    }

    fn check_not_equal(&self, v: &Version) -> Result<(), Failure> {
        let c = &self.bound;
        if self.dirty {
            if c.major() != v.major() {
                return Ok(());
            }
            if c.minor() != v.minor() && !self.minor_dirty {
                return Ok(());
            } else if self.minor_dirty {
                return Err(Failure::EqualTo);
            } else if c.patch() != v.patch() && !self.patch_dirty {
                return Ok(());
            } else if self.patch_dirty {
                // Within the wildcard's range only a different prerelease differs.
                let pres_differ = (!v.prerelease().is_empty() || !c.prerelease().is_empty())
                    && compare_prerelease(v.prerelease(), c.prerelease()) != Ordering::Equal;
                return require(pres_differ, Failure::EqualTo);
            }
        }
        require(!v.equal(c), Failure::EqualTo)
    }

    fn check_greater(&self, v: &Version) -> Result<(), Failure> {
        let c = &self.bound;
        let greater = if !self.dirty || v.major() != c.major() {
            v.compare(c) == Ordering::Greater
        } else if self.minor_dirty {
            // `>11` wants 12 or above: nothing within 11.x is greater.
            false
        } else if self.patch_dirty {
            // `>11.1` wants 11.2 or above.
            v.minor() > c.minor()
        } else {
            v.compare(c) == Ordering::Greater
        };
        require(greater, Failure::LessThanOrEqualTo)
    }

    fn check_less_or_equal(&self, v: &Version) -> Result<(), Failure> {
        let c = &self.bound;
        let within = if !self.dirty {
            v.compare(c) != Ordering::Greater
        } else {
            // `<=1.1` admits all of 1.1.x; `<=1` all of 1.x.
            v.major() < c.major()
                || (v.major() == c.major() && (v.minor() <= c.minor() || self.minor_dirty))
        };
        require(within, Failure::GreaterThan)
    }

    /// `~1.2.3` is `>=1.2.3 <1.3.0`, `~1` and `~1.x` are `>=1.0.0 <2.0.0`, `~0` and `~*`
    /// admit everything.
    fn check_tilde(&self, v: &Version) -> Result<(), Failure> {
        let c = &self.bound;
        if v.less_than(c) {
            return Err(Failure::LessThan);
        }
        let any = (c.major(), c.minor(), c.patch()) == (0, 0, 0)
            && !self.minor_dirty
            && !self.patch_dirty;
        if any {
            return Ok(());
        }
        if v.major() != c.major() {
            return Err(Failure::MajorDiffers);
        }
        require(
            v.minor() == c.minor() || self.minor_dirty,
            Failure::MajorOrMinorDiffers,
        )
    }

    /// `^1.2.3` is `>=1.2.3 <2.0.0`, `^0.2.3` is `>=0.2.3 <0.3.0`, `^0.0.3` is exactly
    /// `0.0.3`; `^0` and `^0.0` span their wildcard part.
    fn check_caret(&self, v: &Version) -> Result<(), Failure> {
        let c = &self.bound;
        if v.less_than(c) {
            return Err(Failure::LessThan);
        }
        if c.major() > 0 || self.minor_dirty {
            return require(v.major() == c.major(), Failure::MajorDiffers);
        }
        if v.major() > 0 {
            return Err(Failure::MajorDiffers);
        }
        if c.minor() > 0 || self.patch_dirty {
            return require(v.minor() == c.minor(), Failure::MinorDiffersUnderMajorZero);
        }
        if v.minor() > 0 {
            return Err(Failure::MinorDiffers);
        }
        require(v.patch() == c.patch(), Failure::NotEqualUnderMinorZero)
    }
}

fn require(ok: bool, failure: Failure) -> Result<(), Failure> {
    if ok { Ok(()) } else { Err(failure) }
}

/// Go's `constraint.string()`: the operator and version as written, blanks dropped.
impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.spelling, self.written)
    }
}
