//! Sprig's dictionary functions (`dict.go`): building, reading, merging and copying
//! `map[string]interface {}` values.
//!
//! Go's `set`, `unset`, `merge` and `mergeOverwrite` change their first argument in place
//! and return it; so do these, through the shared `MapRef`.
use crate::value::{Map, MapKind, MapRef, Value};

use super::cast::strval;
use super::defaults::empty;
use super::strings::string_list;
use super::{Error, Result};

/// `get DICT KEY`: the value, or an empty string.
pub fn get(d: &Map, key: &str) -> Value {
    d.get(key).cloned().unwrap_or_else(|| Value::from(""))
}

/// `set DICT KEY VALUE`: changes DICT and returns it. Go cannot assign into a nil map.
pub fn set(d: Option<&MapRef>, key: &str, value: &Value) -> Result<Value> {
    let d = d.ok_or_else(|| Error::new("assignment to entry in nil map"))?;
    d.insert(key.to_owned(), value.clone());
    Ok(Value::Map(d.clone()))
}

/// `unset DICT KEY`: changes DICT and returns it (deleting from a nil map does nothing).
pub fn unset(d: Option<&MapRef>, key: &str) -> Value {
    match d {
        Some(d) => {
            d.remove(key);
            Value::Map(d.clone())
        }
        None => Value::empty_map(),
    }
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

/// How deep merging descends into nested maps. A map that contains itself would otherwise
/// recurse forever; Sprig swallows mergo's errors, so deeper levels are left as they are.
const MAX_MERGE_DEPTH: usize = 1000;

/// mergo's `deepMerge` of one source map into a destination map, in place, as `mergo.Merge`
/// (`overwrite` false) and `mergo.MergeWithOverwrite` (true) do it for
/// `map[string]interface {}` values. A nested map of DST is merged in place; a key DST lacks
/// takes the source's value itself, so both maps then share it, as in Go.
fn deep_merge(dst: &MapRef, src: &Map, overwrite: bool, depth: usize) {
    if depth > MAX_MERGE_DEPTH {
        return;
    }
    for (key, src_value) in src {
        if src_value.is_nil() {
            if overwrite {
                dst.insert(key.clone(), Value::Nil);
            }
            continue;
        }
        let dst_value = dst.get(key);
        match (src_value, &dst_value) {
            (Value::Map(src_map), Some(Value::Map(dst_map))) => {
                let src_map = src_map.snapshot();
                crate::yaml::with_stack(|| deep_merge(dst_map, &src_map, overwrite, depth + 1));
                if !dst_map.is_empty() {
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
/// nested maps merge key by key; the first source to provide a key wins. DST is changed
/// and returned; a nil DST becomes a new map.
pub fn merge(dst: Option<&MapRef>, srcs: &[Option<&MapRef>], overwrite: bool) -> Value {
    let dst = dst.cloned().unwrap_or_default();
    for src in srcs.iter().flatten() {
        deep_merge(&dst, &src.snapshot(), overwrite, 0);
    }
    Value::Map(dst)
}

/// How deep `deepCopy` copies nested maps and lists.
const MAX_COPY_DEPTH: usize = 1000;

/// `deepCopy V` / `mustDeepCopy`: a copy whose maps are new maps, so changing one does not
/// change the other. Go's copystructure cannot copy a nil interface.
pub fn deep_copy(v: &Value) -> Result<Value> {
    if v.is_nil() {
        return Err(Error::new(
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    copy_at(v, 0)
}

fn copy_at(v: &Value, depth: usize) -> Result<Value> {
    if depth > MAX_COPY_DEPTH {
        return Err(Error::new(format!(
            "deepCopy: value nested deeper than {MAX_COPY_DEPTH} levels"
        )));
    }
    crate::yaml::with_stack(|| {
        Ok(match v {
            // The copy keeps the map's Go type, as copystructure's does.
            Value::Map(m) => Value::Map(MapRef::with_kind(
                m.snapshot()
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), copy_at(v, depth + 1)?)))
                    .collect::<Result<Map>>()?,
                m.kind(),
            )),
            Value::List(items, kind) => Value::List(
                std::sync::Arc::new(
                    items
                        .iter()
                        .map(|v| copy_at(v, depth + 1))
                        .collect::<Result<Vec<_>>>()?,
                ),
                *kind,
            ),
            other => other.clone(),
        })
    })
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
    let dict = match dict {
        Value::Map(dict) if dict.kind() == MapKind::Any => dict,
        _ => return Err(interface_conversion(dict, "map[string]interface {}")),
    };
    let keys: Vec<&str> = keys
        .iter()
        .map(|k| k.as_str().ok_or_else(|| interface_conversion(k, "string")))
        .collect::<Result<_>>()?;
    let mut current: MapRef = dict.clone();
    for (i, key) in keys.iter().enumerate() {
        let Some(step) = current.get(key) else {
            return Ok(default.clone());
        };
        if i == keys.len() - 1 {
            return Ok(step);
        }
        current = match step {
            Value::Map(m) if m.kind() == MapKind::Any => m,
            other => return Err(interface_conversion(&other, "map[string]interface {}")),
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
        let src = MapRef::new(src);
        let merged = merge(Some(&MapRef::new(dst.clone())), &[Some(&src)], false);
        assert_eq!(
            format!("{merged:?}"),
            r#"{"a": int(1), "b": "x", "n": {"k": true}}"#
        );
        let overwritten = merge(Some(&MapRef::new(dst)), &[Some(&src)], true);
        assert_eq!(
            format!("{overwritten:?}"),
            r#"{"a": int(2), "b": "x", "c": Nil, "n": {"k": true}}"#
        );
    }

    #[test]
    fn set_and_merge_change_the_shared_map() {
        let d = MapRef::default();
        let alias = Value::Map(d.clone());
        set(Some(&d), "k", &Value::int(1)).unwrap();
        assert_eq!(alias.as_map_ref().unwrap().get("k"), Some(Value::int(1)));
        let src = MapRef::new(map(&[("n", Value::empty_map())]));
        merge(Some(&d), &[Some(&src)], false);
        // DST lacked "n": both maps now hold the same nested map.
        let nested = d.get("n").unwrap();
        set(nested.as_map_ref(), "x", &Value::Nil).unwrap();
        assert!(
            src.get("n")
                .unwrap()
                .as_map_ref()
                .unwrap()
                .contains_key("x")
        );
        assert!(set(None, "k", &Value::Nil).is_err());
    }

    #[test]
    fn deep_copy_makes_new_maps_and_stops_at_cycles() {
        let d = MapRef::default();
        let copy = deep_copy(&Value::Map(d.clone())).unwrap();
        set(copy.as_map_ref(), "k", &Value::Nil).unwrap();
        assert!(d.is_empty());
        set(Some(&d), "self", &Value::Map(d.clone())).unwrap();
        assert!(deep_copy(&Value::Map(d.clone())).is_err());
        d.remove("self");
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
