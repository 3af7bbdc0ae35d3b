//! `import-values`: a child chart's values copied into its parent's, under the parent's own
//! values (Helm's `processImportValues`, in its merging form that `ProcessDependencies`
//! uses). Runs on Go-shared maps: Helm merges imported tables in place, and that shows.
use super::Error;
use super::coalesce::{coalesce_go, coalesce_tables};
use super::gomap::{self, GoMap, GoValue};
use super::model::Chart;
use crate::gofmt;
use crate::value::{Map, Value};
use crate::yaml::with_stack;

/// `processDependencyImportValues`: children first, then this chart.
pub(crate) fn process_dependency_import_values(chart: &mut Chart) -> Result<(), Error> {
    for sub in &mut chart.dependencies {
        with_stack(|| process_dependency_import_values(sub))?;
    }
    process_import_values(chart)
}

/// `processImportValues` with `merge` set: the chart's merged values (subcharts' included,
/// `null`s kept) with each import under them; the chart's values become the result and
/// each dependency's `import-values` the `{child, parent}` pairs Helm rewrites them to.
fn process_import_values(chart: &mut Chart) -> Result<(), Error> {
    if chart.metadata.dependencies.is_none() {
        return Ok(());
    }
    let merged = coalesce_go(chart, &Map::new(), true)?;
    let imported = gomap::new_map();
    let listed = chart.metadata.dependencies.iter_mut().flatten().flatten();
    for dep in listed {
        let mut rewritten: Vec<Value> = Vec::new();
        for entry in dep.import_values.iter().flatten() {
            let (child, parent, source) = match entry {
                Value::Map(pair) => {
                    let text = |key: &str| {
                        let field = pair.get(key).unwrap_or(Value::Nil);
                        gofmt::sprint(std::slice::from_ref(&field))
                    };
                    let (child, parent) = (text("child"), text("parent"));
                    let source = format!("{}.{child}", dep.name);
                    (child, parent, source)
                }
                Value::String(export) => {
                    let child = format!("exports.{export}");
                    let source = format!("{}.{child}", dep.name);
                    (child, ".".to_owned(), source)
                }
                _ => continue,
            };
            rewritten.push(pair_value(&child, &parent));
            let Some(table) = gomap::table(&merged, &source) else {
                continue;
            };
            let incoming = if matches!(entry, Value::Map(_)) {
                path_to_map(&parent, table)
            } else {
                table
            };
            coalesce_tables(&imported, &incoming, "", true, 0)?;
        }
        dep.import_values = (!rewritten.is_empty()).then_some(rewritten);
    }
    // Go deep-copies the merged values before merging the imports under them.
    let merged = gomap::from_map(&gomap::to_map(&merged)?);
    coalesce_tables(&merged, &imported, "", true, 0)?;
    chart.values = gomap::to_map(&merged)?;
    Ok(())
}

fn pair_value(child: &str, parent: &str) -> Value {
    let mut pair = Map::new();
    pair.insert("child".into(), Value::from(child));
    pair.insert("parent".into(), Value::from(parent));
    Value::map(pair)
}

/// `pathToMap`: `data` nested under the dotted `path` (`.` is `data` itself).
fn path_to_map(path: &str, data: GoMap) -> GoMap {
    if path == "." {
        return data;
    }
    let mut current = data;
    for step in path.split('.').rev() {
        let outer = gomap::new_map();
        gomap::insert(&outer, step, GoValue::Map(current));
        current = outer;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Dependency, Metadata};

    fn values(text: &str) -> Map {
        crate::yaml::load_values(text).unwrap()
    }

    fn json(map: &Map) -> String {
        crate::json::to_json(&Value::map(map.clone())).unwrap()
    }

    #[test]
    fn exports_and_child_parent_pairs_are_imported_under_the_parents_values() {
        let child = Chart {
            metadata: Metadata {
                name: "child".into(),
                ..Metadata::default()
            },
            values: values("exports: {data: {a: 1, b: 1}}\nconfig: {port: 80}\n"),
            ..Chart::default()
        };
        let imports = vec![
            Value::from("data"),
            Value::map(values("child: config\nparent: server.conf\n")),
            Value::from(3.0),
        ];
        let mut top = Chart {
            metadata: Metadata {
                name: "top".into(),
                dependencies: Some(vec![Some(Dependency {
                    name: "child".into(),
                    import_values: Some(imports),
                    ..Dependency::default()
                })]),
                ..Metadata::default()
            },
            values: values("b: 2\n"),
            dependencies: vec![child],
            ..Chart::default()
        };
        process_dependency_import_values(&mut top).unwrap();
        assert_eq!(
            json(&top.values),
            r#"{"a":1,"b":2,"child":{"config":{"port":80},"exports":{"data":{"a":1,"b":1}},"global":{}},"server":{"conf":{"port":80}}}"#
        );
        let rewritten = top.metadata.listed_dependencies().next().unwrap();
        let pairs = rewritten.import_values.as_ref().unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(
            json(&pairs[0].as_map().unwrap().clone()),
            r#"{"child":"exports.data","parent":"."}"#
        );
    }

    #[test]
    fn paths_nest_tables() {
        let inner = gomap::new_map();
        let nested = gomap::to_map(&path_to_map("a.b", inner)).unwrap();
        assert_eq!(json(&nested), r#"{"a":{"b":{}}}"#);
    }
}
