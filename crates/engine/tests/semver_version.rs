//! `semver::Version`: parsing into parts, the error kinds, precedence and derived versions.
//! The exact texts against Masterminds are pinned by the corpus (semver_corpus.rs).
use std::cmp::Ordering;

use helmsync_engine::semver::{Error, MAX_VERSION_LEN, Version};

/// (input, major, minor, patch, prerelease, metadata, String())
const LENIENT: &[(&str, u64, u64, u64, &str, &str, &str)] = &[
    ("1.2.3", 1, 2, 3, "", "", "1.2.3"),
    ("v1.2.3", 1, 2, 3, "", "", "1.2.3"),
    ("1", 1, 0, 0, "", "", "1.0.0"),
    ("v1.2", 1, 2, 0, "", "", "1.2.0"),
    ("1.2-rc.1", 1, 2, 0, "rc.1", "", "1.2.0-rc.1"),
    (
        "1.2.3-beta.1+build.123",
        1,
        2,
        3,
        "beta.1",
        "build.123",
        "1.2.3-beta.1+build.123",
    ),
    ("1+b", 1, 0, 0, "", "b", "1.0.0+b"),
    ("01.002.0003", 1, 2, 3, "", "", "1.2.3"),
    ("1.2.3-0abc", 1, 2, 3, "0abc", "", "1.2.3-0abc"),
    ("1.2.3+01", 1, 2, 3, "", "01", "1.2.3+01"),
    (
        "18446744073709551615.0.0",
        u64::MAX,
        0,
        0,
        "",
        "",
        "18446744073709551615.0.0",
    ),
    ("1-2-3", 1, 0, 0, "2-3", "", "1.0.0-2-3"),
];

#[test]
fn lenient_parsing_fills_in_missing_parts_and_keeps_the_original() {
    for &(input, major, minor, patch, pre, metadata, text) in LENIENT {
        let v = Version::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        let parts = (
            v.major(),
            v.minor(),
            v.patch(),
            v.prerelease(),
            v.metadata(),
        );
        assert_eq!(parts, (major, minor, patch, pre, metadata), "{input}");
        assert_eq!(v.to_string(), text, "{input}");
        assert_eq!(v.original(), input, "{input}");
    }
}

#[test]
fn lenient_parsing_rejects_with_the_error_go_returns() {
    let long = format!("1.0.0-{}", "a".repeat(MAX_VERSION_LEN));
    let cases: &[(&str, Error)] = &[
        ("", Error::InvalidSemVer),
        ("1.2.3.4", Error::InvalidSemVer),
        ("V1.2.3", Error::InvalidSemVer),
        (" 1.2.3", Error::InvalidSemVer),
        ("1.2.3-", Error::InvalidSemVer),
        ("1.2.3-a_b", Error::InvalidSemVer),
        ("1.2.3-01", Error::SegmentStartsZero),
        ("1.2.3-rc.00", Error::SegmentStartsZero),
        (&long, Error::VersionTooLong),
    ];
    for (input, want) in cases {
        assert_eq!(Version::parse(input).unwrap_err(), *want, "{input}");
    }
    let overflow = Version::parse("1.18446744073709551616").unwrap_err();
    assert!(matches!(overflow, Error::Segment(_)), "{overflow:?}");
    assert_eq!(
        overflow.to_string(),
        "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": \
         value out of range"
    );
}

#[test]
fn strict_parsing_wants_three_plain_numbers() {
    let cases: &[(&str, Result<&str, Error>)] = &[
        ("1.2.3", Ok("1.2.3")),
        ("1.2.3-rc.1+b.01", Ok("1.2.3-rc.1+b.01")),
        ("", Err(Error::EmptyString)),
        ("1.2", Err(Error::InvalidSemVer)),
        ("v1.2.3", Err(Error::InvalidCharacters)),
        ("1.2.3.4", Err(Error::InvalidCharacters)),
        ("01.2.3", Err(Error::SegmentStartsZero)),
        ("1.2.3-", Err(Error::InvalidPrerelease)),
        ("1.2.3+", Err(Error::InvalidMetadata)),
        ("1.2.3-01+x..y", Err(Error::InvalidMetadata)),
    ];
    for (input, want) in cases {
        let got = Version::parse_strict(input).map(|v| v.to_string());
        assert_eq!(got.as_deref().map_err(Clone::clone), *want, "{input}");
    }
    let empty_part = Version::parse_strict("1..3").unwrap_err();
    assert!(matches!(empty_part, Error::Number(_)), "{empty_part:?}");
    assert_eq!(
        empty_part.to_string(),
        "strconv.ParseUint: parsing \"\": invalid syntax"
    );
}

#[test]
fn precedence_orders_prereleases_below_releases_and_ignores_metadata() {
    let ascending = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.1.0",
        "2.0.0",
    ];
    for (i, a) in ascending.iter().enumerate() {
        for (j, b) in ascending.iter().enumerate() {
            let (va, vb) = (Version::parse(a).unwrap(), Version::parse(b).unwrap());
            assert_eq!(va.compare(&vb), i.cmp(&j), "{a} vs {b}");
            assert_eq!(va.less_than(&vb), i < j, "{a} < {b}");
        }
    }
    let with_metadata = Version::parse("1.0.0+build.7").unwrap();
    assert!(with_metadata.equal(&Version::parse("v1.0.0+other").unwrap()));
    let big = Version::parse("1.0.0-18446744073709551616").unwrap();
    assert_eq!(
        big.compare(&Version::parse("1.0.0-2").unwrap()),
        Ordering::Greater
    );
}

#[test]
fn new_builds_a_version_without_validating_it() {
    let v = Version::new(1, 2, 3, "alpha.1", "foo.bar");
    assert_eq!(v.to_string(), "1.2.3-alpha.1+foo.bar");
    assert_eq!(v.original(), "1.2.3-alpha.1+foo.bar");
    assert_eq!(Version::new(0, 1, 2, "", "").to_string(), "0.1.2");
}

#[test]
fn derived_versions_keep_a_leading_v_in_their_original() {
    type Derive = fn(&Version) -> Result<Version, Error>;
    let cases: &[(&str, Derive, &str, &str)] = &[
        ("1.2.3", Version::inc_patch, "1.2.4", "1.2.4"),
        ("v1.2.3+b", Version::inc_patch, "1.2.4", "v1.2.4"),
        ("v1.2.3-rc.1", Version::inc_patch, "1.2.3", "v1.2.3"),
        ("v1.2.3-rc.1", Version::inc_minor, "1.3.0", "v1.3.0"),
        ("1.2.3-rc.1", Version::inc_major, "2.0.0", "2.0.0"),
        (
            "v1.2.3",
            |v| v.set_prerelease("rc.2"),
            "1.2.3-rc.2",
            "v1.2.3-rc.2",
        ),
        (
            "1.2.3-rc.1+b",
            |v| v.set_prerelease(""),
            "1.2.3+b",
            "1.2.3+b",
        ),
        (
            "v1.2.3",
            |v| v.set_metadata("git.abc"),
            "1.2.3+git.abc",
            "v1.2.3+git.abc",
        ),
    ];
    for (input, derive, text, original) in cases {
        let next = derive(&Version::parse(input).unwrap()).unwrap();
        assert_eq!(
            (next.to_string().as_str(), next.original()),
            (*text, *original),
            "{input}"
        );
    }
}

#[test]
fn derived_versions_report_overflow_and_invalid_parts() {
    let max = Version::new(u64::MAX, u64::MAX, u64::MAX, "", "");
    let overflow = |r: Result<Version, Error>| r.unwrap_err().to_string();
    assert_eq!(
        overflow(max.inc_patch()),
        "patch version increment would overflow uint64"
    );
    assert_eq!(
        overflow(max.inc_minor()),
        "minor version increment would overflow uint64"
    );
    assert_eq!(
        overflow(max.inc_major()),
        "major version increment would overflow uint64"
    );
    let v = Version::parse("1.2.3").unwrap();
    assert_eq!(
        v.set_prerelease("**").unwrap_err(),
        Error::InvalidPrerelease
    );
    assert_eq!(
        v.set_prerelease("rc.01").unwrap_err(),
        Error::SegmentStartsZero
    );
    assert_eq!(v.set_metadata("a..b").unwrap_err(), Error::InvalidMetadata);
}
