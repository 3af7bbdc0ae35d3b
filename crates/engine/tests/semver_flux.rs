//! `semver::flux`: how Flux picks a chart version from a HelmRepository index or an OCI
//! registry. Masterminds' and Go's sorts' answers on shuffled inputs are pinned by the
//! corpus (testdata/semver/flux.case).
use helmsync_engine::semver::{Error, flux};

#[test]
fn parse_version_is_strict_behind_one_optional_v() {
    let cases = [
        ("1.2.3", Ok("1.2.3")),
        ("v1.2.3-rc.1+b", Ok("1.2.3-rc.1+b")),
        ("1.2", Err(Error::InvalidSemVer)),
        ("vv1.2.3", Err(Error::InvalidCharacters)),
        ("v", Err(Error::EmptyString)),
    ];
    for (input, want) in cases {
        let got = flux::parse_version(input).map(|v| v.to_string());
        assert_eq!(got.as_deref().map_err(Clone::clone), want, "{input}");
    }
    assert_eq!(flux::parse_version("v1.2.3").unwrap().original(), "v1.2.3");
}

const INDEX: &[(&str, u32)] = &[
    ("2.0.0-rc.1", 9),
    ("1.5.0", 5),
    ("1.5.0+b", 7),
    ("1.5.0+a", 6),
    ("1.4", 8),
    ("1.3.0", 3),
];

#[test]
fn index_resolution_prefers_exact_entries_then_the_newest_highest_match() {
    let cases = [
        ("", 2),          // latest stable; of the equal 1.5.0s the newest
        ("*", 2),         // the same
        ("1.5.0+a", 3),   // an exact entry wins outright
        ("1.4", 4),       // even one that is not strict semver
        ("<1.5", 5),      // 1.4 is not strict, so skipped as a candidate
        (">=2.0.0-0", 0), // prereleases when asked for
    ];
    for (requested, want) in cases {
        let got = flux::latest_index_version("app", requested, INDEX);
        assert_eq!(got, Ok(want), "{requested:?}");
    }
}

#[test]
fn index_resolution_errors_name_the_chart_and_request() {
    let none = flux::latest_index_version("app", ">=3", INDEX).unwrap_err();
    assert_eq!(
        none.to_string(),
        "no 'app' chart with version matching '>=3' found"
    );
    let empty: &[(&str, u32)] = &[];
    assert_eq!(
        flux::latest_index_version("app", "", empty),
        Err(Error::NoChartVersion)
    );
    let bad = flux::latest_index_version("app", "foo", INDEX).unwrap_err();
    assert_eq!(bad.to_string(), r#"improper constraint: "foo""#);
}

#[test]
fn registry_tags_keep_strict_versions_highest_first_with_plus_restored() {
    let tags = [
        "latest",
        "1.0.0",
        "1.2.0_build.5",
        "v1.1.0",
        "1.1",
        "2.0.0-rc.1",
        "0.9.0",
    ];
    assert_eq!(
        flux::registry_tags(&tags),
        ["2.0.0-rc.1", "1.2.0+build.5", "1.0.0", "0.9.0"]
    );
}

#[test]
fn oci_tags_resolve_exactly_then_by_constraint_keeping_their_spelling() {
    let tags = ["2.0.0-rc.1", "1.5.0", "v1.6.0", "1.7", "latest"];
    let cases = [
        ("", Ok("v1.6.0")),
        ("latest", Ok("latest")),
        ("1.5", Ok("1.5.0")),
        (">=2.0.0-0", Ok("2.0.0-rc.1")),
        (
            ">=3",
            Err("could not locate a version matching provided version string >=3"),
        ),
    ];
    for (requested, want) in cases {
        let got = flux::latest_oci_tag(&tags, requested).map_err(|e| e.to_string());
        assert_eq!(
            got.as_deref(),
            want.map_err(String::from).as_deref(),
            "{requested:?}"
        );
    }
}

#[test]
fn oci_repository_semver_picks_the_highest_tag_or_explains() {
    let tags = ["v1.0.0", "v1.1.0", "v1.2.0-rc.1", "stable"];
    assert_eq!(
        flux::latest_tag_by_semver(&tags, ">=1.0.0").as_deref(),
        Ok("v1.1.0")
    );
    assert_eq!(
        flux::latest_tag_by_semver(&tags, ">=1.0.0-0").as_deref(),
        Ok("v1.2.0-rc.1")
    );
    let none = flux::latest_tag_by_semver(&tags, "2.x").unwrap_err();
    assert_eq!(none.to_string(), "no match found for semver: 2.x");
    let bad = flux::latest_tag_by_semver(&tags, "> 1 <").unwrap_err();
    assert_eq!(
        bad.to_string(),
        r#"semver '> 1 <' parse error: improper constraint: "> 1 <""#
    );
}
