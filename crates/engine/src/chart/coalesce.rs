//! Values coalescing as Helm's `pkg/chart/common/util/coalesce.go`: chart defaults under
//! the given values, subcharts' values under their names, `global` handed down. Helm's
//! warnings (a table over a scalar and the like) are dropped, as Helm only logs them.
use super::gomap::{self, GoMap, GoValue};
use super::model::Chart;
use super::{Error, ErrorKind};
use crate::gofmt;
use crate::value::{Map, Value};
use crate::yaml::{MAX_NESTING_DEPTH, with_stack};

/// The key whose values every chart of a tree sees.
pub(crate) const GLOBAL_KEY: &str = "global";

/// Helm's `CoalesceValues`: `user` over the chart's defaults, recursively into subcharts;
/// a `null` removes the key (a default's included). This is `.Values` of the top chart.
pub fn coalesce_values(chart: &Chart, user: &Map) -> Result<Map, Error> {
    gomap::to_map(&coalesce_go(chart, user, false)?)
}

/// Helm's `MergeValues`: as `coalesce_values`, but `null`s are kept.
pub fn merge_values(chart: &Chart, user: &Map) -> Result<Map, Error> {
    gomap::to_map(&coalesce_go(chart, user, true)?)
}

/// Coalesces into a Go-shared copy of `user`.
pub(crate) fn coalesce_go(chart: &Chart, user: &Map, merge: bool) -> Result<GoMap, Error> {
    let dest = gomap::from_map(user);
    coalesce(chart, &dest, "", merge, 0)?;
    Ok(dest)
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_owned()
    } else {
        format!("{a}.{b}")
    }
}

fn coalesce(
    chart: &Chart,
    dest: &GoMap,
    prefix: &str,
    merge: bool,
    depth: usize,
) -> Result<(), Error> {
    coalesce_chart_values(chart, dest, prefix, merge, depth)?;
    coalesce_deps(chart, dest, prefix, merge, depth)
}

/// `coalesceDeps`: each subchart's values, under its name, with the globals handed down.
fn coalesce_deps(
    chart: &Chart,
    dest: &GoMap,
    prefix: &str,
    merge: bool,
    depth: usize,
) -> Result<(), Error> {
    for sub in &chart.dependencies {
        let name = sub.name();
        let sub_values = match gomap::get(dest, name) {
            None => {
                let fresh = gomap::new_map();
                gomap::insert(dest, name, GoValue::Map(fresh.clone()));
                fresh
            }
            Some(GoValue::Map(m)) => m,
            Some(other) => {
                let shown = other.to_value(0).unwrap_or(Value::Nil);
                return Err(Error::new(
                    ErrorKind::Values,
                    gofmt::sprintf("type mismatch on %s: %t", &[Value::from(name), shown]),
                ));
            }
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(&sub_values, dest, &sub_prefix, depth)?;
        with_stack(|| coalesce(sub, &sub_values, &sub_prefix, merge, depth + 1))?;
    }
    Ok(())
}

/// `coalesceGlobals`: the parent's `global` merged into the subchart's, the subchart's
/// entries winning. Tables are copied one level deep only, so deeper maps stay shared with
/// the parent's, as in Go.
fn coalesce_globals(dest: &GoMap, src: &GoMap, prefix: &str, depth: usize) -> Result<(), Error> {
    let dest_globals = match gomap::get(dest, GLOBAL_KEY) {
        None => gomap::new_map(),
        Some(GoValue::Map(m)) => m,
        Some(_) => return Ok(()),
    };
    let src_globals = match gomap::get(src, GLOBAL_KEY) {
        None => gomap::new_map(),
        Some(GoValue::Map(m)) => m,
        Some(_) => return Ok(()),
    };
    for (key, value) in gomap::entries(&src_globals) {
        match (&value, gomap::get(&dest_globals, &key)) {
            (GoValue::Map(table), None) => {
                let copy = gomap::shallow_copy(table);
                gomap::insert(&dest_globals, &key, GoValue::Map(copy));
            }
            (GoValue::Map(table), Some(GoValue::Map(dest_table))) => {
                let copy = gomap::shallow_copy(table);
                let sub_prefix = concat_prefix(prefix, &key);
                coalesce_tables(&copy, &dest_table, &sub_prefix, true, depth)?;
                gomap::insert(&dest_globals, &key, GoValue::Map(copy));
            }
            (GoValue::Map(_), Some(_)) | (_, Some(GoValue::Map(_))) => {}
            (_, _) => gomap::insert(&dest_globals, &key, value.clone()),
        }
    }
    gomap::insert(dest, GLOBAL_KEY, GoValue::Map(dest_globals));
    Ok(())
}

/// `coalesceValues`: the chart's defaults (a fresh deep copy) under `values`.
fn coalesce_chart_values(
    chart: &Chart,
    values: &GoMap,
    prefix: &str,
    merge: bool,
    depth: usize,
) -> Result<(), Error> {
    let sub_prefix = concat_prefix(prefix, chart.name());
    let defaults = gomap::from_map(&chart.values);
    for (key, default) in gomap::entries(&defaults) {
        match gomap::get(values, &key) {
            Some(GoValue::Nil) if !merge => gomap::remove(values, &key),
            Some(GoValue::Map(dest)) => {
                if let GoValue::Map(src) = &default {
                    let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                    if !merge {
                        clean_nil_values(src, depth)?;
                    }
                    coalesce_tables(&dest, src, &concat_prefix(&sub_prefix, &key), merge, depth)?;
                }
            }
            Some(_) => {}
            None => {
                if !merge {
                    match &default {
                        GoValue::Nil => continue,
                        GoValue::Map(sub) => clean_nil_values(sub, depth)?,
                        GoValue::Other(_) => {}
                    }
                }
                gomap::insert(values, &key, default);
            }
        }
    }
    Ok(())
}

/// Helm's `CoalesceTables` (`merge` false) and `MergeTables` (`merge` true): `src` under
/// `dst`, `dst` winning; maps merge. Returns nothing: `dst` is changed in place.
pub(crate) fn coalesce_tables(
    dst: &GoMap,
    src: &GoMap,
    prefix: &str,
    merge: bool,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_NESTING_DEPTH {
        return Err(gomap::too_deep());
    }
    let src_originally_set: Vec<String> = gomap::entries(src)
        .into_iter()
        .filter(|(_, v)| !v.is_nil())
        .map(|(k, _)| k)
        .collect();
    for (key, value) in gomap::entries(dst) {
        if value.is_nil() {
            gomap::insert(src, &key, GoValue::Nil);
        }
    }
    for (key, value) in gomap::entries(src) {
        let full_key = concat_prefix(prefix, &key);
        match gomap::get(dst, &key) {
            Some(GoValue::Nil) if !merge && src_originally_set.contains(&key) => {
                gomap::remove(dst, &key);
            }
            None => gomap::insert(dst, &key, value),
            Some(GoValue::Map(dst_table)) => {
                if let GoValue::Map(src_table) = &value {
                    with_stack(|| {
                        coalesce_tables(&dst_table, src_table, &full_key, merge, depth + 1)
                    })?;
                }
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// `cleanNilValues`: removes `null` entries, recursively, in place.
fn clean_nil_values(map: &GoMap, depth: usize) -> Result<(), Error> {
    if depth > MAX_NESTING_DEPTH {
        return Err(gomap::too_deep());
    }
    for (key, value) in gomap::entries(map) {
        match value {
            GoValue::Nil => gomap::remove(map, &key),
            GoValue::Map(sub) => with_stack(|| clean_nil_values(&sub, depth + 1))?,
            GoValue::Other(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Metadata;

    fn chart(name: &str, values: &str, dependencies: Vec<Chart>) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                ..Metadata::default()
            },
            values: crate::yaml::load_values(values).unwrap(),
            dependencies,
            ..Chart::default()
        }
    }

    fn json(map: &Map) -> String {
        crate::json::to_json(&Value::map(map.clone())).unwrap()
    }

    fn user(text: &str) -> Map {
        crate::yaml::load_values(text).unwrap()
    }

    #[test]
    fn user_values_win_maps_merge_and_nulls_delete() {
        let top = chart("top", "a: 1\nm: {p: 1, q: 2}\nl: [1, 2]\ngone: 3\n", vec![]);
        let out = coalesce_values(&top, &user("m: {q: 3, r: null}\nl: [9]\ngone: null\n"));
        assert_eq!(
            json(&out.unwrap()),
            r#"{"a":1,"l":[9],"m":{"p":1,"q":3,"r":null}}"#
        );
    }

    #[test]
    fn merging_keeps_nulls() {
        let top = chart("top", "a: 1\nnothing: null\n", vec![]);
        let out = merge_values(&top, &user("a: null\n")).unwrap();
        assert_eq!(json(&out), r#"{"a":null,"nothing":null}"#);
    }

    #[test]
    fn subcharts_get_their_defaults_and_the_globals() {
        let sub = chart("sub", "s: 1\nglobal: {g: sub, own: 1}\n", vec![]);
        let top = chart("top", "global: {g: top}\nsub: {s: 2}\n", vec![sub]);
        let out = coalesce_values(&top, &Map::new()).unwrap();
        assert_eq!(
            json(&out),
            r#"{"global":{"g":"top"},"sub":{"global":{"g":"top","own":1},"s":2}}"#
        );
    }

    #[test]
    fn a_subchart_value_that_is_not_a_table_is_an_error() {
        let top = chart("top", "", vec![chart("sub", "", vec![])]);
        let err = coalesce_values(&top, &user("sub: 3\n")).unwrap_err();
        assert_eq!(err.to_string(), "type mismatch on sub: %!t(float64=3)");
    }

    #[test]
    fn deep_global_tables_are_shared_with_the_parent_as_in_go() {
        let sub = chart("sub", "global: {a: {b: {from_sub: 1}}}\n", vec![]);
        let top = chart("top", "global: {a: {b: {from_top: 1}}}\n", vec![sub]);
        let out = coalesce_values(&top, &Map::new()).unwrap();
        assert_eq!(
            json(&out["global"].as_map().unwrap().clone()),
            r#"{"a":{"b":{"from_sub":1,"from_top":1}}}"#
        );
    }
}
