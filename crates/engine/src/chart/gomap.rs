//! Go's `map[string]interface{}` with reference semantics, for the value algorithms whose
//! results depend on Go's sharing: Helm's coalescing copies maps shallowly in places and
//! then merges into them, so a nested map can be changed through two paths. helmsync's
//! `Value` maps are copy-on-write; these are shared and mutable, as Go's are.
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::{Error, ErrorKind};
use crate::value::{Map, Value};
use crate::yaml::{MAX_NESTING_DEPTH, with_stack};

/// A Go map: cloning the handle shares the map.
pub(crate) type GoMap = Rc<RefCell<BTreeMap<String, GoValue>>>;

/// A value inside a `GoMap`: nil, a (shared) map, or any other value, which the algorithms
/// never change in place.
#[derive(Clone, Debug)]
pub(crate) enum GoValue {
    Nil,
    Map(GoMap),
    Other(Value),
}

impl GoValue {
    pub(crate) fn is_nil(&self) -> bool {
        matches!(self, GoValue::Nil)
    }

    pub(crate) fn as_map(&self) -> Option<&GoMap> {
        match self {
            GoValue::Map(m) => Some(m),
            _ => None,
        }
    }

    /// A deep copy into a `GoValue`, as Go's `copystructure.Copy`.
    pub(crate) fn from_value(value: &Value) -> GoValue {
        match value {
            Value::Nil | Value::Missing => GoValue::Nil,
            Value::Map(m) => GoValue::Map(from_map(&m.snapshot())),
            other => GoValue::Other(other.clone()),
        }
    }

    /// Back to a `Value`. A map reached more than once becomes independent copies.
    pub(crate) fn to_value(&self, depth: usize) -> Result<Value, Error> {
        Ok(match self {
            GoValue::Nil => Value::Nil,
            GoValue::Other(v) => v.clone(),
            GoValue::Map(m) => Value::map(to_map_at(m, depth + 1)?),
        })
    }
}

pub(crate) fn new_map() -> GoMap {
    Rc::new(RefCell::new(BTreeMap::new()))
}

/// A deep copy of `map`.
pub(crate) fn from_map(map: &Map) -> GoMap {
    with_stack(|| {
        let copied = map
            .iter()
            .map(|(k, v)| (k.clone(), GoValue::from_value(v)))
            .collect();
        Rc::new(RefCell::new(copied))
    })
}

/// `map` as a `Value` map.
pub(crate) fn to_map(map: &GoMap) -> Result<Map, Error> {
    to_map_at(map, 0)
}

fn to_map_at(map: &GoMap, depth: usize) -> Result<Map, Error> {
    if depth > MAX_NESTING_DEPTH {
        return Err(too_deep());
    }
    with_stack(|| {
        entries(map)
            .into_iter()
            .map(|(k, v)| Ok((k, v.to_value(depth)?)))
            .collect()
    })
}

pub(crate) fn too_deep() -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("values nest deeper than {MAX_NESTING_DEPTH} levels"),
    )
}

/// The entries of `map` as they are now: Go's `range` over a map the loop body changes
/// sees a snapshot here.
pub(crate) fn entries(map: &GoMap) -> Vec<(String, GoValue)> {
    map.borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

pub(crate) fn get(map: &GoMap, key: &str) -> Option<GoValue> {
    map.borrow().get(key).cloned()
}

pub(crate) fn insert(map: &GoMap, key: &str, value: GoValue) {
    map.borrow_mut().insert(key.to_owned(), value);
}

pub(crate) fn remove(map: &GoMap, key: &str) {
    map.borrow_mut().remove(key);
}

/// A new map with the same entries: nested maps stay shared (Go's `maps.Copy`).
pub(crate) fn shallow_copy(map: &GoMap) -> GoMap {
    Rc::new(RefCell::new(map.borrow().clone()))
}

/// Helm's `Values.Table`: the map at a dotted path; `None` when a step is missing or not
/// a map.
pub(crate) fn table(map: &GoMap, path: &str) -> Option<GoMap> {
    let mut current = map.clone();
    for step in path.split('.') {
        let next = get(&current, step)?.as_map()?.clone();
        current = next;
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_copies_share_nested_maps() {
        let inner = new_map();
        let outer = new_map();
        insert(&outer, "inner", GoValue::Map(inner.clone()));
        let copy = shallow_copy(&outer);
        insert(&inner, "x", GoValue::Other(Value::from("seen")));
        insert(&copy, "only", GoValue::Nil);
        let back = to_map(&outer).unwrap();
        assert_eq!(back["inner"].as_map().unwrap()["x"].as_str(), Some("seen"));
        assert!(!back.contains_key("only"));
        assert!(table(&copy, "inner").is_some());
        assert!(table(&copy, "inner.x").is_none());
    }

    #[test]
    fn converting_back_is_bounded_even_for_a_cycle() {
        let map = new_map();
        insert(&map, "self", GoValue::Map(map.clone()));
        assert_eq!(to_map(&map).unwrap_err().kind(), ErrorKind::Limit);
        // Break the cycle so the test does not leak.
        remove(&map, "self");
    }
}
