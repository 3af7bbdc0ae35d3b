//! Sprig's dictionary functions (`dict.go`): building, reading, merging and copying
//! `map[string]interface {}` values.
//!
//! Go's `set`, `unset`, `merge` and `mergeOverwrite` change their first argument in place
//! and return it. These functions return the changed map; making the change visible through
//! every reference to the original map is the caller's business.
use std::sync::Arc;

use crate::value::{Map, Value};

use super::cast::strval;
use super::defaults::empty;
use super::strings::string_list;
use super::{Error, Result};

/// `get DICT KEY`: the value, or an empty string.
pub fn get(d: &Map, key: &str) -> Value {
    d.get(key).cloned().unwrap_or_else(|| Value::from(""))
}

/// `set DICT KEY VALUE`.
pub fn set(d: &Map, key: &str, value: &Value) -> Map {
    let mut d = d.clone();
    d.insert(key.to_owned(), value.clone());
    d
}

/// `unset DICT KEY`.
pub fn unset(d: &Map, key: &str) -> Map {
    let mut d = d.clone();
    d.remove(key);
    d
}

/// `hasKey DICT KEY`.
pub fn has_key(d: &Map, key: &str) -> bool {
    d.contains_key(key)
}

/// `pluck KEY DICT...`: the values of KEY in the dicts that have it.
pub fn pluck(key: &str, dicts: &[&Map]) -> Value {
    Value::list(dicts.iter().filter_map(|d| d.get(key).cloned()).collect())
}

/// `keys DICT...`: every key of every dict, as a `[]string`. Go lists a map's keys in
/// random order; helmsync lists them sorted.
pub fn keys(dicts: &[&Map]) -> Value {
    string_list(dicts.iter().flat_map(|d| d.keys().cloned()).collect())
}

/// `pick DICT KEY...`.
pub fn pick(d: &Map, keys: &[&str]) -> Map {
    keys.iter()
        .filter_map(|&k| d.get(k).map(|v| (k.to_owned(), v.clone())))
        .collect()
}

/// `omit DICT KEY...`.
pub fn omit(d: &Map, keys: &[&str]) -> Map {
    d.iter()
        .filter(|(k, _)| !keys.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `dict K V K V...`: keys are printed with `strval`; a last key without a value maps to
/// an empty string.
pub fn dict(args: &[Value]) -> Map {
    let mut d = Map::new();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::from(""));
        d.insert(strval(&pair[0]), value);
    }
    d
}

/// `values DICT`: the values as a list (in key order; Go's order is random).
pub fn values(d: &Map) -> Value {
    Value::list(d.values().cloned().collect())
}

/// mergo's `deepMerge` of one source map into a destination map, as `mergo.Merge`
/// (`overwrite` false) and `mergo.MergeWithOverwrite` (true) do it for
/// `map[string]interface {}` values.
fn deep_merge(dst: &mut Map, src: &Map, overwrite: bool) {
    for (key, src_value) in src {
        if src_value.is_nil() {
            if overwrite {
                dst.insert(key.clone(), Value::Nil);
            }
            continue;
        }
        let dst_value = dst.get(key).cloned();
        match (src_value, &dst_value) {
            (Value::Map(src_map), Some(Value::Map(dst_map))) => {
                let mut merged = Arc::unwrap_or_clone(dst_map.clone());
                deep_merge(&mut merged, src_map, overwrite);
                if !merged.is_empty() {
                    dst.insert(key.clone(), Value::map(merged));
                    continue;
                }
            }
            (Value::List(..) | Value::Bytes(_), Some(existing))
                if !overwrite && !empty(existing) =>
            {
                continue;
            }
            _ => {}
        }
        let dst_is_empty = dst_value.as_ref().is_none_or(empty);
        if overwrite || dst_is_empty {
            dst.insert(key.clone(), src_value.clone());
        }
    }
}

/// `merge DST SRC...` / `mustMerge`: keys missing or empty in DST come from the sources,
/// nested maps merge key by key; the first source to provide a key wins.
pub fn merge(dst: &Map, srcs: &[&Map]) -> Map {
    let mut out = dst.clone();
    for src in srcs {
        deep_merge(&mut out, src, false);
    }
    out
}

/// `mergeOverwrite DST SRC...` / `mustMergeOverwrite`: later sources win, nested maps
/// merge key by key.
pub fn merge_overwrite(dst: &Map, srcs: &[&Map]) -> Map {
    let mut out = dst.clone();
    for src in srcs {
        deep_merge(&mut out, src, true);
    }
    out
}

/// `deepCopy V` / `mustDeepCopy`: values are immutable, so a copy is the same value. Go's
/// copystructure cannot copy a nil interface.
pub fn deep_copy(v: &Value) -> Result<Value> {
    if v.is_nil() {
        return Err(Error::new(
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    Ok(v.clone())
}

fn interface_conversion(v: &Value, want: &str) -> Error {
    let got = if v.is_nil() {
        "nil".to_owned()
    } else {
        v.type_name().to_owned()
    };
    Error::new(format!(
        "interface conversion: interface {{}} is {got}, not {want}"
    ))
}

/// `dig KEY... DEFAULT DICT`: the value at the path of keys, or DEFAULT when a key is
/// missing. Go's type assertions on the arguments fail as panics do.
pub fn dig(args: &[Value]) -> Result<Value> {
    if args.len() < 3 {
        return Err(Error::new("dig needs at least three arguments"));
    }
    let (dict, rest) = args
        .split_last()
        .ok_or_else(|| Error::new("dig needs at least three arguments"))?;
    let (default, keys) = rest
        .split_last()
        .ok_or_else(|| Error::new("dig needs at least three arguments"))?;
    let Value::Map(dict) = dict else {
        return Err(interface_conversion(dict, "map[string]interface {}"));
    };
    let keys: Vec<&str> = keys
        .iter()
        .map(|k| k.as_str().ok_or_else(|| interface_conversion(k, "string")))
        .collect::<Result<_>>()?;
    let mut current: &Map = dict;
    for (i, key) in keys.iter().enumerate() {
        let Some(step) = current.get(*key) else {
            return Ok(default.clone());
        };
        if i == keys.len() - 1 {
            return Ok(step.clone());
        }
        current = match step {
            Value::Map(m) => m,
            other => return Err(interface_conversion(other, "map[string]interface {}")),
        };
    }
    Ok(default.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn merge_keeps_non_empty_destination_values() {
        let dst = map(&[
            ("a", Value::int(1)),
            ("b", Value::from("")),
            ("n", Value::empty_map()),
        ]);
        let src = map(&[
            ("a", Value::int(2)),
            ("b", Value::from("x")),
            ("c", Value::Nil),
            ("n", Value::map(map(&[("k", Value::Bool(true))]))),
        ]);
        let merged = merge(&dst, &[&src]);
        assert_eq!(
            format!("{merged:?}"),
            r#"{"a": int(1), "b": "x", "n": {"k": true}}"#
        );
        let overwritten = merge_overwrite(&dst, &[&src]);
        assert_eq!(
            format!("{overwritten:?}"),
            r#"{"a": int(2), "b": "x", "c": Nil, "n": {"k": true}}"#
        );
    }

    #[test]
    fn dig_walks_nested_maps() {
        let inner = Value::map(map(&[("b", Value::from("v"))]));
        let d = Value::map(map(&[("a", inner)]));
        let args = [
            Value::from("a"),
            Value::from("b"),
            Value::from("def"),
            d.clone(),
        ];
        assert_eq!(format!("{:?}", dig(&args).unwrap()), r#""v""#);
        let missing = [Value::from("x"), Value::from("def"), d];
        assert_eq!(format!("{:?}", dig(&missing).unwrap()), r#""def""#);
    }
}
