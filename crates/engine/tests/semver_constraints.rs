//! `semver::Constraints`: the grammar, each operator's range, the prerelease rule, the
//! reasons `validate` gives, and the limits. Masterminds' own answers for many more inputs
//! are pinned by the corpus (semver_corpus.rs).
use helmsync_engine::semver::{
    Constraints, Error, MAX_CONSTRAINT_GROUPS, MAX_CONSTRAINT_LEN, Version,
};

fn satisfies(constraint: &str, version: &str) -> bool {
    let c = Constraints::parse(constraint).unwrap_or_else(|e| panic!("{constraint}: {e}"));
    c.check(&Version::parse(version).unwrap_or_else(|e| panic!("{version}: {e}")))
}

/// Each constraint with versions just inside and just outside the range it means.
const RANGES: &[(&str, &[&str], &[&str])] = &[
    ("1.2.3", &["1.2.3", "v1.2.3+build"], &["1.2.4", "1.2.2"]),
    ("1.2", &["1.2.0", "1.2.99"], &["1.3.0", "1.1.9"]),
    ("1", &["1.0.0", "1.99.0"], &["2.0.0", "0.9.9"]),
    ("1.x", &["1.0.0", "1.9.9"], &["2.0.0"]),
    ("*", &["0.0.0", "99.0.0"], &["1.0.0-rc.1"]),
    ("!=1.2.3", &["1.2.4"], &["1.2.3"]),
    ("!=1.2", &["1.3.0", "2.2.0"], &["1.2.0", "1.2.7"]),
    (">1.2.3", &["1.2.4"], &["1.2.3"]),
    (">1.2", &["1.3.0"], &["1.2.9"]),
    ("<1.2.3", &["1.2.2"], &["1.2.3"]),
    (">=1.2.3", &["1.2.3"], &["1.2.2"]),
    ("=>1.2.3", &["1.2.3"], &["1.2.2"]),
    ("<=1.2.3", &["1.2.3"], &["1.2.4"]),
    ("=<1.2", &["1.2.9"], &["1.3.0"]),
    ("~1.2.3", &["1.2.3", "1.2.9"], &["1.3.0", "1.2.2"]),
    ("~>1.2", &["1.2.0", "1.2.9"], &["1.3.0"]),
    ("~1", &["1.0.0", "1.9.0"], &["2.0.0"]),
    ("^1.2.3", &["1.2.3", "1.9.9"], &["2.0.0", "1.2.2"]),
    ("^0.2.3", &["0.2.3", "0.2.9"], &["0.3.0"]),
    ("^0.0.3", &["0.0.3"], &["0.0.4"]),
    ("1.2 - 1.4.5", &["1.2.0", "1.4.5"], &["1.4.6", "1.1.9"]),
    (
        ">=1.2, <2 || ^3",
        &["1.2.0", "1.9.9", "3.5.0"],
        &["2.0.0", "4.0.0"],
    ),
    (">= 1.2 < 2", &["1.5.0"], &["2.0.0"]),
];

#[test]
fn each_operator_admits_its_range() {
    for (constraint, inside, outside) in RANGES {
        for v in *inside {
            assert!(satisfies(constraint, v), "{v} should satisfy {constraint}");
        }
        for v in *outside {
            assert!(
                !satisfies(constraint, v),
                "{v} should not satisfy {constraint}"
            );
        }
    }
}

#[test]
fn prereleases_need_a_group_that_names_one() {
    let cases = [
        (">=1.21", "1.30.0-eks.1", false),
        (">=1.21-0", "1.30.0-eks.1", true),
        (">=1.21.0-0 <2", "1.30.0-gke.100", true),
        ("*", "1.0.0-rc.1", false),
        ("*-0", "1.0.0-rc.1", true),
        ("<1 || >=1.0.0-0", "1.0.0-rc.1", true),
        ("<1 || >=2", "2.0.0-rc.1", false),
    ];
    for (constraint, version, want) in cases {
        assert_eq!(
            satisfies(constraint, version),
            want,
            "{version} against {constraint}"
        );
    }
    let mut all = Constraints::parse(">=1.21").unwrap();
    all.include_prerelease = true;
    assert!(all.check(&Version::parse("1.30.0-eks.1").unwrap()));
}

#[test]
fn display_shows_each_term_as_written_without_blanks() {
    let cases = [
        (">= 1.2.3", ">=1.2.3"),
        (
            "2.x,   >=1.2.3 || >4.5.6, < 5.7",
            "2.x >=1.2.3 || >4.5.6 <5.7",
        ),
        ("v1.2 - v1.4", ">=v1.2 <=v1.4"),
        ("=> 1 , =< 2+b", "=>1 =<2+b"),
    ];
    for (input, shown) in cases {
        assert_eq!(
            Constraints::parse(input).unwrap().to_string(),
            shown,
            "{input}"
        );
    }
}

#[test]
fn validate_explains_every_failing_term_of_every_group() {
    let c = Constraints::parse("!= 1.2.5, ^2, <= 1.1.x || >3").unwrap();
    assert_eq!(c.validate(&Version::parse("4.1.0").unwrap()), Ok(()));
    assert_eq!(
        c.validate(&Version::parse("1.2.3").unwrap()),
        Err(vec![
            r#""1.2.3" is less than "2""#.to_owned(),
            r#""1.2.3" is greater than "1.1.x""#.to_owned(),
            r#""1.2.3" is less than or equal to "3""#.to_owned(),
        ])
    );
    let prerelease = c
        .validate(&Version::parse("1.2.3-rc.1").unwrap())
        .unwrap_err();
    assert_eq!(
        prerelease,
        [
            r#""1.2.3-rc.1" is a prerelease version and the constraint is only looking for release versions"#
        ]
    );
}

#[test]
fn malformed_constraints_fail_with_go_texts() {
    let cases: &[(&str, Error)] = &[
        ("", Error::ImproperConstraint(String::new())),
        (">= bar", Error::ImproperConstraint(">= bar".into())),
        (
            "1 - 2 - 3",
            Error::ImproperConstraint(">= 1, <= 2 - 3".into()),
        ),
        ("1 ||", Error::ImproperConstraint(String::new())),
        ("1.2.3-01", Error::ConstraintParser),
        ("1|2", Error::ConstraintParser),
    ];
    for (input, want) in cases {
        assert_eq!(Constraints::parse(input).unwrap_err(), *want, "{input:?}");
    }
    let quoted = Constraints::parse("foo\t\u{200b}é")
        .unwrap_err()
        .to_string();
    assert_eq!(quoted, r#"improper constraint: "foo\t\u200bé""#);
}

#[test]
fn limits_bound_the_length_and_the_number_of_groups() {
    let longest = format!("{}1", " ".repeat(MAX_CONSTRAINT_LEN - 1));
    assert!(Constraints::parse(&longest).is_ok());
    let too_long = format!("{}1", " ".repeat(MAX_CONSTRAINT_LEN));
    assert_eq!(
        Constraints::parse(&too_long).unwrap_err(),
        Error::ConstraintTooLong
    );
    assert_eq!(
        Error::ConstraintTooLong.to_string(),
        "constraint string is too long (max 512 bytes)"
    );
    let groups = |n: usize| vec!["1"; n].join("||");
    assert!(Constraints::parse(&groups(MAX_CONSTRAINT_GROUPS)).is_ok());
    let too_many = Constraints::parse(&groups(MAX_CONSTRAINT_GROUPS + 1)).unwrap_err();
    assert_eq!(too_many.to_string(), "too many constraint groups (max 32)");
}
