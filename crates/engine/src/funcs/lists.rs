//! Sprig's list functions (`list.go`): building, reading and transforming lists. Like Sprig
//! they accept any Go slice (`[]interface {}`, `[]string`, `[]int`, `[]byte`) and fail with
//! Sprig's message on anything else; the `must` variants fail the same way, since Go turns
//! the plain variants' panics into the same errors.
use std::sync::Arc;

use crate::value::{IntKind, ListKind, Value};

use super::cast::{strval, to_int};
use super::defaults::empty;
use super::reflect::{deep_equal, type_kind};
use super::strings::strslice;
use super::{Error, Result};

/// The elements of a Go slice value, or the Kind of a value that is not one.
fn elements(v: &Value) -> Result<std::result::Result<Vec<Value>, String>> {
    match v {
        Value::List(items, _) => Ok(Ok(items.to_vec())),
        Value::Bytes(bytes) => Ok(Ok(bytes
            .iter()
            .map(|&b| Value::Int(i64::from(b), IntKind::Uint8))
            .collect())),
        _ => type_kind(v).map(Err),
    }
}

/// The elements of a slice, or Sprig's `Cannot WHAT on type KIND` error.
fn slice_of(v: &Value, what: &str) -> Result<Vec<Value>> {
    elements(v)?.map_err(|kind| Error::new(format!("Cannot {what} type {kind}")))
}

/// `list V...` (and `tuple`).
pub fn list(items: &[Value]) -> Value {
    Value::list(items.to_vec())
}

/// `append LIST V` / `push` / `mustAppend` / `mustPush`.
pub fn push(list: &Value, v: &Value) -> Result<Value> {
    let mut items = slice_of(list, "push on")?;
    items.push(v.clone());
    Ok(Value::list(items))
}

/// `prepend LIST V` / `mustPrepend`.
pub fn prepend(list: &Value, v: &Value) -> Result<Value> {
    let mut items = slice_of(list, "prepend on")?;
    items.insert(0, v.clone());
    Ok(Value::list(items))
}

/// `chunk SIZE LIST` / `mustChunk`: lists of SIZE elements, the last one shorter. Sizes
/// below 1 fail as Go's `make` does with the negative length Sprig computes.
pub fn chunk(size: i64, list: &Value) -> Result<Value> {
    let items = slice_of(list, "chunk")?;
    let len = items.len() as f64;
    let chunks = super::cast::float_to_int64(((len - 1.0) / size as f64).floor() + 1.0);
    let makeslice = || Error::new("runtime error: makeslice: len out of range");
    if chunks < 0 {
        return Err(makeslice());
    }
    let mut out = Vec::with_capacity(chunks as usize);
    for i in 0..chunks {
        let mut clen = size;
        if i == chunks - 1 {
            clen = (len % size as f64).floor() as i64;
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(makeslice());
        }
        let start = (i * size) as usize;
        let chunk = items
            .get(start..start + clen as usize)
            .ok_or_else(|| Error::new("runtime error: index out of range"))?;
        out.push(Value::list(chunk.to_vec()));
    }
    Ok(Value::List(Arc::new(out), ListKind::AnyLists))
}

/// `last LIST` / `mustLast`: nil for an empty list.
pub fn last(list: &Value) -> Result<Value> {
    let items = slice_of(list, "find last on")?;
    Ok(items.last().cloned().unwrap_or(Value::Nil))
}

/// `first LIST` / `mustFirst`: nil for an empty list.
pub fn first(list: &Value) -> Result<Value> {
    let items = slice_of(list, "find first on")?;
    Ok(items.first().cloned().unwrap_or(Value::Nil))
}

/// `rest LIST` / `mustRest`: all but the first element.
pub fn rest(list: &Value) -> Result<Value> {
    let items = slice_of(list, "find rest on")?;
    Ok(Value::list(items.get(1..).unwrap_or_default().to_vec()))
}

/// `initial LIST` / `mustInitial`: all but the last element.
pub fn initial(list: &Value) -> Result<Value> {
    let mut items = slice_of(list, "find initial on")?;
    items.pop();
    Ok(Value::list(items))
}

/// `sortAlpha LIST`: the elements as strings, sorted; a non-list as a one-element list.
pub fn sort_alpha(list: &Value) -> Value {
    let mut strings = match list {
        Value::List(..) | Value::Bytes(_) => strslice(list),
        _ => vec![strval(list)],
    };
    strings.sort_unstable();
    super::strings::string_list(strings)
}

/// `reverse LIST` / `mustReverse`.
pub fn reverse(list: &Value) -> Result<Value> {
    let mut items = slice_of(list, "find reverse on")?;
    items.reverse();
    Ok(Value::list(items))
}

/// `compact LIST` / `mustCompact`: without the empty elements.
pub fn compact(list: &Value) -> Result<Value> {
    let items = slice_of(list, "compact on")?;
    Ok(Value::list(
        items.into_iter().filter(|v| !empty(v)).collect(),
    ))
}

/// `uniq LIST` / `mustUniq`: the first of each group of deeply equal elements.
pub fn uniq(list: &Value) -> Result<Value> {
    let items = slice_of(list, "find uniq on")?;
    let mut out: Vec<Value> = Vec::new();
    for item in items {
        if !out.iter().any(|seen| deep_equal(&item, seen)) {
            out.push(item);
        }
    }
    Ok(Value::list(out))
}

/// `without LIST V...` / `mustWithout`: the elements equal to none of the values.
pub fn without(list: &Value, omit: &[Value]) -> Result<Value> {
    let items = slice_of(list, "find without on")?;
    Ok(Value::list(
        items
            .into_iter()
            .filter(|item| !omit.iter().any(|o| deep_equal(item, o)))
            .collect(),
    ))
}

/// `has NEEDLE LIST` / `mustHas`: false for a nil list.
pub fn has(needle: &Value, haystack: &Value) -> Result<bool> {
    if haystack.is_nil() {
        return Ok(false);
    }
    let items = slice_of(haystack, "find has on")?;
    Ok(items.iter().any(|item| deep_equal(needle, item)))
}

/// `slice LIST [START [END]]` / `mustSlice`: Go's `list[start:end]` of the same slice
/// type; nil for an empty list.
pub fn slice(list: &Value, indices: &[Value]) -> Result<Value> {
    let items = elements(list)?
        .map_err(|kind| Error::new(format!("list should be type of slice or array but {kind}")))?;
    if items.is_empty() {
        return Ok(Value::Nil);
    }
    let start = indices.first().map_or(0, to_int);
    let end = match indices.get(1) {
        Some(end) => to_int(end),
        None => items.len() as i64,
    };
    if start < 0 || end < start || end > items.len() as i64 {
        return Err(Error::new("reflect.Value.Slice: slice index out of bounds"));
    }
    let part = &items[start as usize..end as usize];
    Ok(match list {
        Value::Bytes(bytes) => Value::Bytes(Arc::from(&bytes[start as usize..end as usize])),
        Value::List(_, kind) => Value::List(Arc::new(part.to_vec()), *kind),
        _ => Value::list(part.to_vec()),
    })
}

/// `concat LIST...`: the elements of all lists in one `[]interface {}`.
pub fn concat(lists: &[Value]) -> Result<Value> {
    let mut out = Vec::new();
    for list in lists {
        let items = elements(list)?
            .map_err(|kind| Error::new(format!("Cannot concat type {kind} as list")))?;
        out.extend(items);
    }
    Ok(Value::list(out))
}

/// A Go `[]int` value, as `until` and `untilStep` return.
pub fn int_list(items: Vec<i64>) -> Value {
    Value::List(
        Arc::new(items.into_iter().map(Value::int).collect()),
        ListKind::Int,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> Value {
        Value::list(v.iter().map(|&i| Value::int(i)).collect())
    }

    #[test]
    fn list_functions_reject_non_lists_with_sprig_messages() {
        assert_eq!(
            first(&Value::int(1)).unwrap_err().message(),
            "Cannot find first on type int"
        );
        assert_eq!(
            push(&Value::from("x"), &Value::Nil).unwrap_err().message(),
            "Cannot push on type string"
        );
        assert_eq!(
            concat(&[Value::empty_map()]).unwrap_err().message(),
            "Cannot concat type map as list"
        );
    }

    #[test]
    fn chunk_splits_like_sprig() {
        let chunks = chunk(2, &ints(&[1, 2, 3])).unwrap();
        assert_eq!(format!("{chunks:?}"), "[[int(1), int(2)], [int(3)]]");
        assert!(chunk(0, &ints(&[1])).is_err());
        assert_eq!(format!("{:?}", chunk(3, &ints(&[])).unwrap()), "[]");
    }

    #[test]
    fn slice_follows_reflect() {
        let l = ints(&[1, 2, 3]);
        assert_eq!(
            format!("{:?}", slice(&l, &[Value::int(1)]).unwrap()),
            "[int(2), int(3)]"
        );
        assert!(slice(&l, &[Value::int(2), Value::int(1)]).is_err());
        assert!(matches!(slice(&ints(&[]), &[]).unwrap(), Value::Nil));
    }
}
