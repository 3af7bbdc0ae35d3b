//! Chart.yaml as Helm models it (`Metadata`, `Maintainer`, `Dependency`, `Lock`) and its
//! validation rules, with Helm's messages.
use std::collections::BTreeMap;
use std::fmt;

use crate::gofmt;
use crate::semver::Version;
use crate::value::Value;

/// The chart API version of Helm 2 charts (dependencies in requirements.yaml).
pub const API_VERSION_V1: &str = "v1";
/// The chart API version of Helm 3 charts (dependencies in Chart.yaml).
pub const API_VERSION_V2: &str = "v2";

/// Helm's `ValidationError`: prints as `validation: MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError(pub String);

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "validation: {}", self.0)
    }
}

impl std::error::Error for ValidationError {}

/// A chart maintainer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// A chart this chart depends on, as listed in Chart.yaml (or requirements.yaml), in a
/// lock file, or after `process_dependencies` decided about it.
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    /// The dependency's chart name; an alias replaces it once dependencies are processed.
    pub name: String,
    /// A version range (a single version in a lock file).
    pub version: String,
    pub repository: String,
    /// Comma-separated values paths; the first that holds a boolean enables or disables
    /// the dependency.
    pub condition: String,
    pub tags: Vec<String>,
    /// Whether the dependency is loaded; set by `process_dependencies`.
    pub enabled: bool,
    /// `import-values` entries as written: strings (keys under the child's `exports`) or
    /// `{child, parent}` maps. `process_dependencies` rewrites them to `{child, parent}`
    /// maps of strings, as Helm does.
    pub import_values: Option<Vec<Value>>,
    pub alias: String,
}

/// Chart.yaml. Lists that Chart.yaml leaves out are `None` where Helm tells a missing list
/// from an empty one.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Option<Vec<String>>,
    pub version: String,
    pub description: String,
    pub keywords: Option<Vec<String>>,
    /// `None` entries are Chart.yaml's `null` items, which validation rejects.
    pub maintainers: Option<Vec<Option<Maintainer>>>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    pub annotations: Option<BTreeMap<String, String>>,
    pub kube_version: String,
    /// `None` entries are Chart.yaml's `null` items, which validation rejects. A missing
    /// list (`None`) and an empty one differ: Helm skips dependency processing for the
    /// former only.
    pub dependencies: Option<Vec<Option<Dependency>>>,
    /// `application` (or empty) or `library`.
    pub chart_type: String,
}

/// A lock file: Chart.lock, or requirements.lock for v1 charts.
#[derive(Clone, Debug, Default)]
pub struct Lock {
    /// When the lock was generated, as written (an RFC 3339 time).
    pub generated: String,
    pub digest: String,
    pub dependencies: Option<Vec<Option<Dependency>>>,
}

impl Metadata {
    /// Helm's `Metadata.Validate`: sanitizes strings (spaces normalised, unprintable
    /// characters removed) and checks the rules in Helm's order.
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        for field in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *field = sanitize_string(field);
        }
        for list in [&mut self.sources, &mut self.keywords]
            .into_iter()
            .flatten()
        {
            for item in list.iter_mut() {
                *item = sanitize_string(item);
            }
        }
        if self.api_version.is_empty() {
            return Err(invalid("chart.metadata.apiVersion is required"));
        }
        if self.name.is_empty() {
            return Err(invalid("chart.metadata.name is required"));
        }
        if self.name == "." || self.name == ".." {
            return Err(invalid(format!(
                "chart.metadata.name {} is not allowed",
                gofmt::quote(&self.name)
            )));
        }
        if self.name != go_base(&self.name) {
            return Err(invalid(format!(
                "chart.metadata.name {} is invalid",
                gofmt::quote(&self.name)
            )));
        }
        if self.version.is_empty() {
            return Err(invalid("chart.metadata.version is required"));
        }
        if Version::parse(&self.version).is_err() {
            return Err(invalid(format!(
                "chart.metadata.version {} is invalid",
                gofmt::quote(&self.version)
            )));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return Err(invalid(
                "chart.metadata.type must be application or library",
            ));
        }
        for maintainer in self.maintainers.iter_mut().flatten() {
            let Some(maintainer) = maintainer else {
                return Err(invalid("maintainers must not contain empty or null nodes"));
            };
            maintainer.name = sanitize_string(&maintainer.name);
            maintainer.email = sanitize_string(&maintainer.email);
            maintainer.url = sanitize_string(&maintainer.url);
        }
        let mut seen: Vec<String> = Vec::new();
        for dependency in self.dependencies.iter_mut().flatten() {
            let Some(dependency) = dependency else {
                return Err(invalid("dependencies must not contain empty or null nodes"));
            };
            dependency.validate()?;
            let key = if dependency.alias.is_empty() {
                &dependency.name
            } else {
                &dependency.alias
            };
            if seen.contains(key) {
                return Err(invalid(format!(
                    "more than one dependency with name or alias {}",
                    gofmt::quote(key)
                )));
            }
            seen.push(key.clone());
        }
        Ok(())
    }

    /// Whether this is a library chart (`type: library`, in any case, as Helm compares it).
    pub fn is_library(&self) -> bool {
        self.chart_type.eq_ignore_ascii_case("library")
    }

    /// The dependencies listed, without the `null` entries validation rejects.
    pub fn listed_dependencies(&self) -> impl Iterator<Item = &Dependency> {
        self.dependencies.iter().flatten().flatten()
    }
}

impl Dependency {
    /// Helm's `Dependency.Validate`: sanitizes strings and checks the alias characters.
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        for field in [
            &mut self.name,
            &mut self.version,
            &mut self.repository,
            &mut self.condition,
        ] {
            *field = sanitize_string(field);
        }
        for tag in &mut self.tags {
            *tag = sanitize_string(tag);
        }
        let alias_ok = self
            .alias
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !self.alias.is_empty() && !alias_ok {
            return Err(invalid(format!(
                "dependency {} has disallowed characters in the alias",
                gofmt::quote(&self.name)
            )));
        }
        Ok(())
    }
}

fn invalid(message: impl Into<String>) -> ValidationError {
    ValidationError(message.into())
}

/// Helm's `sanitizeString`: Unicode spaces become ASCII spaces, other unprintable
/// characters are dropped.
pub(crate) fn sanitize_string(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if is_go_space(c) {
                Some(' ')
            } else if gofmt::is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// Go's `unicode.IsSpace`.
pub(crate) fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (c as u32 > 0xFF && c.is_whitespace())
}

/// Go's `filepath.Base` on Unix: the last element, trailing slashes ignored; `.` for an
/// empty path and `/` for a path of slashes.
pub(crate) fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Metadata {
        Metadata {
            api_version: "v2".into(),
            name: "demo".into(),
            version: "1.0.0".into(),
            ..Metadata::default()
        }
    }

    fn error_of(md: Metadata) -> String {
        let mut md = md;
        md.validate().unwrap_err().to_string()
    }

    #[test]
    fn required_fields_are_checked_in_helms_order() {
        assert_eq!(
            error_of(Metadata::default()),
            "validation: chart.metadata.apiVersion is required"
        );
        let md = Metadata {
            name: String::new(),
            ..valid()
        };
        assert_eq!(error_of(md), "validation: chart.metadata.name is required");
        let md = Metadata {
            version: String::new(),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: chart.metadata.version is required"
        );
    }

    #[test]
    fn names_that_are_paths_are_rejected() {
        let md = Metadata {
            name: "..".into(),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: chart.metadata.name \"..\" is not allowed"
        );
        let md = Metadata {
            name: "a/b".into(),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: chart.metadata.name \"a/b\" is invalid"
        );
    }

    #[test]
    fn versions_must_be_semver_as_masterminds_reads_them() {
        let md = Metadata {
            version: "one".into(),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: chart.metadata.version \"one\" is invalid"
        );
        let mut md = Metadata {
            version: "v1.2".into(),
            ..valid()
        };
        assert!(md.validate().is_ok());
    }

    #[test]
    fn chart_types_and_null_entries_are_checked() {
        let md = Metadata {
            chart_type: "plugin".into(),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: chart.metadata.type must be application or library"
        );
        let md = Metadata {
            maintainers: Some(vec![None]),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: maintainers must not contain empty or null nodes"
        );
        let md = Metadata {
            dependencies: Some(vec![None]),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: dependencies must not contain empty or null nodes"
        );
    }

    #[test]
    fn dependency_aliases_and_duplicates_are_checked() {
        let dep = |name: &str, alias: &str| {
            Some(Dependency {
                name: name.into(),
                alias: alias.into(),
                ..Dependency::default()
            })
        };
        let md = Metadata {
            dependencies: Some(vec![dep("sub", "bad alias")]),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: dependency \"sub\" has disallowed characters in the alias"
        );
        let md = Metadata {
            dependencies: Some(vec![dep("sub", "x"), dep("other", ""), dep("x", "")]),
            ..valid()
        };
        assert_eq!(
            error_of(md),
            "validation: more than one dependency with name or alias \"x\""
        );
    }

    #[test]
    fn strings_are_sanitized() {
        let mut md = Metadata {
            description: "a\tb\u{7}c\u{2003}d".into(),
            ..valid()
        };
        md.validate().unwrap();
        assert_eq!(md.description, "a bc d");
    }

    #[test]
    fn library_type_is_matched_without_case() {
        let md = Metadata {
            chart_type: "Library".into(),
            ..valid()
        };
        assert!(md.is_library());
        assert_eq!(go_base("a/b/"), "b");
    }
}
