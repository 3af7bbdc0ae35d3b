//! Version resolution as Flux's source-controller does it: which chart version a
//! HelmRepository index or an OCI registry offers for a requested version or range.
//!
//! Flux reads candidate versions strictly (three numbers, an optional leading `v`, so an
//! index entry `1.2` is never picked), tries an exact string match before treating the
//! request as a constraint, and takes the first element after sorting with Go's sorts,
//! which decides between versions of equal precedence (`1.0.0+a`, `1.0.0+b`).
use super::constraint::Constraints;
use super::error::Error;
use super::go_sort;
use super::version::Version;

/// `fluxcd/pkg/version.ParseVersion`: a strict semantic version, optionally behind one
/// leading `v` (`v1.2.3` yes, `1.2` no). The version keeps its original spelling.
pub fn parse_version(v: &str) -> Result<Version, Error> {
    Version::parse_strict(v.strip_prefix('v').unwrap_or(v))?;
    Version::parse(v)
}

/// The constraint Flux resolves a request with: an empty request or `*` means the latest
/// stable version.
fn request_constraint(requested: &str) -> Result<Constraints, Error> {
    Constraints::parse(if requested.is_empty() { "*" } else { requested })
}

/// The candidates (by index) that parse strictly and satisfy `constraint`, with their
/// versions, in their original order.
fn matching<S: AsRef<str>>(constraint: &Constraints, candidates: &[S]) -> Vec<(Version, usize)> {
    candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| parse_version(c.as_ref()).ok().map(|v| (v, i)))
        .filter(|(v, _)| constraint.check(v))
        .collect()
}

/// The highest version first, as `sort.Sort(sort.Reverse(semver.Collection(...)))` orders.
fn sort_descending(versions: &mut [(Version, usize)]) {
    go_sort::sort(versions, |a, b| b.0.less_than(&a.0));
}

/// HelmRepository (HTTP index), Flux's `ChartRepository.GetChartVersion` after the chart's
/// entries are found: the index in `entries` (`(version, created)` in index order) of the
/// version to use for `requested`.
///
/// An entry whose version equals `requested` wins outright; otherwise the highest entry
/// satisfying the constraint, ties of equal precedence going to the newest `created`.
pub fn latest_index_version<C: Ord>(
    chart: &str,
    requested: &str,
    entries: &[(&str, C)],
) -> Result<usize, Error> {
    if entries.is_empty() {
        return Err(Error::NoChartVersion);
    }
    if !requested.is_empty()
        && let Some(exact) = entries.iter().position(|(v, _)| *v == requested)
    {
        return Ok(exact);
    }
    let constraint = request_constraint(requested)?;
    let versions: Vec<&str> = entries.iter().map(|(v, _)| *v).collect();
    let mut matched = matching(&constraint, &versions);
    if matched.is_empty() {
        return Err(Error::NoMatchingChartVersion {
            chart: chart.to_owned(),
            requested: requested.to_owned(),
        });
    }
    // Flux's comparator is "not (older or equal-and-created-before)", which is not a
    // strict order; the port of Go's stable sort settles ties the way Flux sees them.
    go_sort::sort_stable(&mut matched, |(left, l), (right, r)| {
        let ascending = if left.equal(right) {
            entries[*l].1 < entries[*r].1
        } else {
            left.less_than(right)
        };
        !ascending
    });
    Ok(matched[0].1)
}

/// Helm's registry client `Tags`: of the tags an OCI repository lists, those that are
/// strict semantic versions once `_` is read as `+` (OCI tags cannot hold `+`), highest
/// first, spelled with `+`.
pub fn registry_tags<S: AsRef<str>>(tags: &[S]) -> Vec<String> {
    let mut versions: Vec<(Version, usize)> = tags
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            Version::parse_strict(&t.as_ref().replace('_', "+"))
                .ok()
                .map(|v| (v, i))
        })
        .collect();
    sort_descending(&mut versions);
    versions.into_iter().map(|(v, _)| v.to_string()).collect()
}

/// OCI HelmRepository, Flux's `getLastMatchingVersionOrConstraint` over the output of
/// `registry_tags`: a tag equal to `requested`, else the highest tag satisfying it.
///
/// Flux first uses `requested` as the tag without listing any when it is itself a version
/// (`parse_version(requested).is_ok()`); callers do that check before listing tags.
pub fn latest_oci_tag<S: AsRef<str>>(tags: &[S], requested: &str) -> Result<String, Error> {
    if !requested.is_empty()
        && let Some(exact) = tags.iter().find(|t| t.as_ref() == requested)
    {
        return Ok(exact.as_ref().to_owned());
    }
    let constraint = request_constraint(requested)?;
    highest_original(&constraint, tags).ok_or_else(|| Error::NoMatchingTag(requested.to_owned()))
}

/// OCIRepository `spec.ref.semver` (after any `semverFilter`): the highest tag satisfying
/// `expression`, as written in the registry.
pub fn latest_tag_by_semver<S: AsRef<str>>(tags: &[S], expression: &str) -> Result<String, Error> {
    let constraint = Constraints::parse(expression).map_err(|e| Error::SemverExpression {
        expression: expression.to_owned(),
        source: Box::new(e),
    })?;
    highest_original(&constraint, tags)
        .ok_or_else(|| Error::NoMatchForSemver(expression.to_owned()))
}

/// The original spelling of the highest candidate satisfying `constraint`.
fn highest_original<S: AsRef<str>>(constraint: &Constraints, candidates: &[S]) -> Option<String> {
    let mut matched = matching(constraint, candidates);
    sort_descending(&mut matched);
    matched.first().map(|(v, _)| v.original().to_owned())
}
