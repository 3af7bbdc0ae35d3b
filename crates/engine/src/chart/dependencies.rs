//! Helm's `ProcessDependencies` (`pkg/chart/v2/util/dependencies.go`): aliases copy and
//! rename subcharts, `tags` and `condition` enable or disable them against the coalesced
//! values, disabled ones are dropped, then `import-values` are applied. Also the checks
//! `helm install` makes first: every listed dependency present, no library chart.
use super::coalesce::coalesce_values;
use super::import_values::process_dependency_import_values;
use super::metadata::Dependency;
use super::model::Chart;
use super::{Error, ErrorKind};
use crate::semver::{Constraints, Version};
use crate::value::{Map, Value};
use crate::yaml::with_stack;

/// Helm's `ProcessDependencies`: decides which subcharts stay (by alias, tags and
/// condition, against `user` values coalesced with the chart's), then imports values from
/// children into parents. Rewrites the chart's dependency lists and values as Helm does.
pub fn process_dependencies(chart: &mut Chart, user: &Map) -> Result<(), Error> {
    process_dependency_enabled(chart, user, "")?;
    process_dependency_import_values(chart)
}

/// Helm's `CheckDependencies`: every dependency Chart.yaml lists must be among the loaded
/// subcharts (by name; aliases are resolved later).
pub fn check_dependencies(chart: &Chart) -> Result<(), Error> {
    let missing: Vec<&str> = chart
        .metadata
        .listed_dependencies()
        .filter(|req| !chart.dependencies.iter().any(|d| d.name() == req.name))
        .map(|req| req.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Dependency,
        format!(
            "found in Chart.yaml, but missing in charts/ directory: {}",
            missing.join(", ")
        ),
    ))
}

/// Helm's `checkIfInstallable`: only application charts (or charts of no type) install.
pub fn check_installable(chart: &Chart) -> Result<(), Error> {
    match chart.metadata.chart_type.as_str() {
        "" | "application" => Ok(()),
        other => Err(Error::new(
            ErrorKind::Dependency,
            format!("{other} charts are not installable"),
        )),
    }
}

/// Helm's `IsCompatibleRange`: whether `version` satisfies the range; false when either
/// does not parse.
fn is_compatible_range(range: &str, version: &str) -> bool {
    match (Version::parse(version), Constraints::parse(range)) {
        (Ok(version), Ok(range)) => range.check(&version),
        _ => false,
    }
}

/// `getAliasDependency`: a copy of the first loaded subchart the dependency names (and
/// whose version satisfies its range), renamed to the alias if it has one.
fn alias_dependency(charts: &[Chart], dep: &Dependency) -> Option<Chart> {
    let found = charts
        .iter()
        .find(|c| c.name() == dep.name && is_compatible_range(&dep.version, &c.metadata.version))?;
    let mut copy = found.clone();
    if !dep.alias.is_empty() {
        copy.metadata.name = dep.alias.clone();
    }
    Some(copy)
}

/// `processDependencyEnabled`: for this chart, then for each subchart it keeps (with the
/// coalesced values and the path of the subchart's values in them).
fn process_dependency_enabled(chart: &mut Chart, values: &Map, path: &str) -> Result<(), Error> {
    let Some(listed) = chart.metadata.dependencies.as_mut() else {
        return Ok(());
    };
    let mut kept: Vec<Chart> = chart
        .dependencies
        .iter()
        .filter(|existing| {
            !listed.iter().flatten().any(|req| {
                existing.name() == req.name
                    && is_compatible_range(&req.version, &existing.metadata.version)
            })
        })
        .cloned()
        .collect();
    for req in listed.iter_mut().flatten() {
        if let Some(dependency) = alias_dependency(&chart.dependencies, req) {
            kept.push(dependency);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
        req.enabled = true;
    }
    chart.dependencies = kept;

    let coalesced = coalesce_values(chart, values)?;
    if let Some(listed) = chart.metadata.dependencies.as_mut() {
        process_dependency_tags(listed.iter_mut().flatten(), &coalesced);
        process_dependency_conditions(listed.iter_mut().flatten(), &coalesced, path);
    }
    let disabled: Vec<String> = chart
        .metadata
        .listed_dependencies()
        .filter(|d| !d.enabled)
        .map(|d| d.name.clone())
        .collect();
    chart
        .dependencies
        .retain(|c| !disabled.iter().any(|name| name == c.name()));
    for sub in &mut chart.dependencies {
        let sub_path = format!("{path}{}.", sub.name());
        with_stack(|| process_dependency_enabled(sub, &coalesced, &sub_path))?;
    }
    let remaining: Vec<Option<Dependency>> = chart
        .metadata
        .listed_dependencies()
        .filter(|d| !disabled.contains(&d.name))
        .cloned()
        .map(Some)
        .collect();
    // Go appends the survivors to a nil slice: none left is no list at all.
    chart.metadata.dependencies = (!remaining.is_empty()).then_some(remaining);
    Ok(())
}

/// `processDependencyTags`: a dependency with a true tag is enabled; one whose tags are
/// all false (among those set) is disabled; tags that are not booleans are ignored.
fn process_dependency_tags<'a>(deps: impl Iterator<Item = &'a mut Dependency>, values: &Map) {
    let Some(Value::Map(tags)) = values.get("tags") else {
        return;
    };
    for dep in deps {
        let mut has_true = false;
        let mut has_false = false;
        for tag in &dep.tags {
            match tags.get(tag) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                _ => {}
            }
        }
        dep.enabled = has_true || !has_false;
    }
}

/// `processDependencyConditions`: the first path of the comma-separated condition that
/// holds a boolean decides.
fn process_dependency_conditions<'a>(
    deps: impl Iterator<Item = &'a mut Dependency>,
    values: &Map,
    path: &str,
) {
    for dep in deps {
        let condition = dep.condition.trim_matches(super::metadata::is_go_space);
        for part in condition.split(',') {
            if part.is_empty() {
                continue;
            }
            if let Some(Value::Bool(enabled)) = path_value(values, &format!("{path}{part}")) {
                dep.enabled = enabled;
                break;
            }
        }
    }
}

/// Helm's `Values.PathValue`: the value at a dotted path, if it is not a table.
fn path_value(values: &Map, path: &str) -> Option<Value> {
    let mut steps: Vec<&str> = path.split('.').collect();
    let key = steps.pop()?;
    let mut table: Option<std::sync::Arc<Map>> = None;
    for step in steps {
        let parent = table.as_deref().unwrap_or(values);
        table = Some(parent.get(step)?.as_map()?);
    }
    let table = table.as_deref().unwrap_or(values);
    table.get(key).filter(|v| v.as_map_ref().is_none()).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Metadata;

    fn chart(name: &str, version: &str, deps: Vec<Dependency>, subcharts: Vec<Chart>) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                version: version.into(),
                api_version: "v2".into(),
                dependencies: (!deps.is_empty()).then(|| deps.into_iter().map(Some).collect()),
                ..Metadata::default()
            },
            dependencies: subcharts,
            ..Chart::default()
        }
    }

    fn dep(name: &str, condition: &str, tags: &[&str], alias: &str) -> Dependency {
        Dependency {
            name: name.into(),
            version: ">=0.1.0".into(),
            condition: condition.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            alias: alias.into(),
            ..Dependency::default()
        }
    }

    fn names(chart: &Chart) -> Vec<&str> {
        chart.dependencies.iter().map(Chart::name).collect()
    }

    fn values(text: &str) -> Map {
        crate::yaml::load_values(text).unwrap()
    }

    #[test]
    fn conditions_tags_and_aliases_decide_the_subcharts() {
        let sub = || chart("sub", "0.1.0", vec![], vec![]);
        let mut top = chart(
            "top",
            "1.0.0",
            vec![
                dep("sub", "a.enabled,b.enabled", &[], "first"),
                dep("sub", "", &["front"], "second"),
                dep("sub", "", &["back"], "third"),
            ],
            vec![sub()],
        );
        let user =
            values("a: {enabled: 1}\nb: {enabled: false}\ntags: {front: false, back: true}\n");
        process_dependencies(&mut top, &user).unwrap();
        assert_eq!(names(&top), ["third"]);
        let listed: Vec<&str> = top
            .metadata
            .listed_dependencies()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(listed, ["third"]);
    }

    #[test]
    fn unlisted_subcharts_stay_and_unmatched_versions_are_not_aliased() {
        let mut extra_dep = dep("sub", "", &[], "renamed");
        extra_dep.version = "^2".into();
        let mut top = chart(
            "top",
            "1.0.0",
            vec![extra_dep],
            vec![
                chart("sub", "0.1.0", vec![], vec![]),
                chart("other", "1.0.0", vec![], vec![]),
            ],
        );
        process_dependencies(&mut top, &Map::new()).unwrap();
        assert_eq!(names(&top), ["sub", "other"]);
        assert!(top.metadata.listed_dependencies().all(|d| d.enabled));
    }

    #[test]
    fn missing_dependencies_and_library_charts_are_reported() {
        let top = chart(
            "top",
            "1.0.0",
            vec![dep("a", "", &[], ""), dep("b", "", &[], "")],
            vec![],
        );
        assert_eq!(
            check_dependencies(&top).unwrap_err().to_string(),
            "found in Chart.yaml, but missing in charts/ directory: a, b"
        );
        let mut library = chart("lib", "1.0.0", vec![], vec![]);
        library.metadata.chart_type = "library".into();
        assert_eq!(
            check_installable(&library).unwrap_err().to_string(),
            "library charts are not installable"
        );
    }

    #[test]
    fn path_values_skip_tables() {
        let v = values("a: {b: {c: true}}\nx: 1\n");
        assert_eq!(
            path_value(&v, "a.b.c").and_then(|v| match v {
                Value::Bool(b) => Some(b),
                _ => None,
            }),
            Some(true)
        );
        assert!(path_value(&v, "a.b").is_none());
        assert!(path_value(&v, "x.y").is_none());
    }
}
