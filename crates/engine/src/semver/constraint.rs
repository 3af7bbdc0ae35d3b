//! `Constraints`: a version range in Masterminds' language (`>=1.2 <2 || ^3`), parsed,
//! checked and explained as `constraints.go` does.
use std::fmt;

use super::comparison::{Comparison, Failure};
use super::error::Error;
use super::syntax::{rewrite_ranges, split_terms};
use super::version::Version;

/// `MaxConstraintLen`: longer constraint strings are rejected before any parsing.
pub const MAX_CONSTRAINT_LEN: usize = 512;

/// `MaxConstraintGroups`: the most `||` groups a constraint may have.
pub const MAX_CONSTRAINT_GROUPS: usize = 32;

/// A parsed constraint: `||`-separated groups of comparisons that must all hold.
#[derive(Clone, Debug)]
pub struct Constraints {
    groups: Vec<Group>,
    /// Go's `IncludePrerelease`: let prerelease versions satisfy every group, not only
    /// groups that name a prerelease themselves.
    pub include_prerelease: bool,
}

#[derive(Clone, Debug)]
struct Group {
    comparisons: Vec<Comparison>,
    /// Some comparison names a prerelease (`>=1.2.0-0`), so prerelease versions may satisfy
    /// the group.
    names_prerelease: bool,
}

impl Constraints {
    /// Go's `NewConstraint`. Hyphen ranges (`1.2 - 1.4.5`) are rewritten to `>= 1.2, <= 1.4.5`
    /// first; then each `||` group must follow the grammar (else "improper constraint") and
    /// each of its terms must name a version (else "constraint parser error").
    pub fn parse(c: &str) -> Result<Constraints, Error> {
        if c.len() > MAX_CONSTRAINT_LEN {
            return Err(Error::ConstraintTooLong);
        }
        let rewritten = rewrite_ranges(c);
        let texts: Vec<&str> = rewritten.split("||").collect();
        if texts.len() > MAX_CONSTRAINT_GROUPS {
            return Err(Error::TooManyConstraintGroups);
        }
        let mut groups = Vec::with_capacity(texts.len());
        for text in texts {
            let terms =
                split_terms(text).ok_or_else(|| Error::ImproperConstraint(text.to_owned()))?;
            let comparisons = terms
                .iter()
                .map(Comparison::parse)
                .collect::<Result<Vec<_>, _>>()?;
            let names_prerelease = comparisons.iter().any(Comparison::has_prerelease);
            groups.push(Group {
                comparisons,
                names_prerelease,
            });
        }
        Ok(Constraints {
            groups,
            include_prerelease: false,
        })
    }

    /// Go's `Check`: whether `v` satisfies some group. A prerelease version only satisfies
    /// a group that names a prerelease itself (`>=1.21-0` admits `1.22.0-rc.1`, `>=1.21`
    /// does not), unless `include_prerelease` is set.
    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().any(|group| {
            let include = self.include_prerelease || group.names_prerelease;
            group
                .comparisons
                .iter()
                .all(|c| c.check(v, include).is_ok())
        })
    }

    /// Go's `Validate`: `Ok` when `v` satisfies some group, else the reasons from every
    /// group, in order (the prerelease reason at most once), with Go's texts.
    pub fn validate(&self, v: &Version) -> Result<(), Vec<String>> {
        let mut reasons = Vec::new();
        let mut prerelease_reported = false;
        for group in &self.groups {
            let include = self.include_prerelease || group.names_prerelease;
            if !include && !v.prerelease().is_empty() {
                if !prerelease_reported {
                    reasons.push(Failure::Prerelease.message(v, ""));
                    prerelease_reported = true;
                }
                continue;
            }
            let before = reasons.len();
            for c in &group.comparisons {
                if let Err(failure) = c.check(v, include) {
                    reasons.push(failure.message(v, c.written()));
                }
            }
            if reasons.len() == before {
                return Ok(());
            }
        }
        Err(reasons)
    }
}

/// Go's `String()`: comparisons as written without their blanks, joined by a space within
/// a group and by ` || ` between groups.
impl fmt::Display for Constraints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, group) in self.groups.iter().enumerate() {
            if i > 0 {
                f.write_str(" || ")?;
            }
            for (j, c) in group.comparisons.iter().enumerate() {
                if j > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}
