//! Sprig's reflection functions (`typeOf`, `typeIs`, `typeIsLike`, `kindOf`, `kindIs`,
//! `deepEqual`) and the Go reflection facts other families need: a value's `Kind`, and
//! `reflect.DeepEqual`.
use crate::value::{IntKind, Value};

/// The text of Go's nil pointer dereference, which `reflect.TypeOf(nil).Kind()` raises.
pub const NIL_DEREFERENCE: &str =
    "runtime error: invalid memory address or nil pointer dereference";

/// `reflect.ValueOf(v).Kind().String()`: `invalid` for nil.
pub fn kind_of(v: &Value) -> String {
    match v {
        Value::Missing | Value::Nil => "invalid".to_owned(),
        Value::Bool(_) => "bool".to_owned(),
        Value::Int(_, kind) => kind.go_name().to_owned(),
        Value::Uint(_) => "uint64".to_owned(),
        Value::Float(_) => "float64".to_owned(),
        Value::Complex(..) => "complex128".to_owned(),
        Value::String(_) | Value::RawString(_) => "string".to_owned(),
        Value::Bytes(_) | Value::List(..) => "slice".to_owned(),
        Value::Map(_) => "map".to_owned(),
        Value::Object(o) => o.kind_name().to_owned(),
    }
}

/// `reflect.TypeOf(v).Kind()` as the list functions use it: Go panics on a nil interface,
/// whose type is nil.
pub fn type_kind(v: &Value) -> Result<String, super::Error> {
    if v.is_nil() {
        return Err(super::Error::new(NIL_DEREFERENCE));
    }
    Ok(kind_of(v))
}

/// `typeOf`: `fmt.Sprintf("%T", v)`.
pub fn type_of(v: &Value) -> String {
    v.type_name().to_owned()
}

/// `typeIs TARGET V`.
pub fn type_is(target: &str, v: &Value) -> bool {
    target == v.type_name()
}

/// `typeIsLike TARGET V`: the type, or a pointer to it.
pub fn type_is_like(target: &str, v: &Value) -> bool {
    let t = v.type_name();
    target == t || t.strip_prefix('*') == Some(target)
}

/// `kindIs TARGET V`.
pub fn kind_is(target: &str, v: &Value) -> bool {
    target == kind_of(v)
}

/// `reflect.DeepEqual`: same dynamic types and deeply equal contents. A NaN is not equal
/// to itself, as in Go.
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    deep_equal_at(a, b, 0)
}

/// How deep `deepEqual` compares; a map that contains itself compares unequal rather than
/// recursing forever.
const MAX_DEEP_EQUAL_DEPTH: usize = 1000;

fn deep_equal_at(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > MAX_DEEP_EQUAL_DEPTH {
        return false;
    }
    crate::yaml::with_stack(|| deep_equal_level(a, b, depth))
}

fn deep_equal_level(a: &Value, b: &Value, depth: usize) -> bool {
    match (a, b) {
        (Value::Missing | Value::Nil, Value::Missing | Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, kx), Value::Int(y, ky)) => x == y && kx == ky,
        (Value::Int(x, IntKind::Uint64), Value::Uint(y))
        | (Value::Uint(y), Value::Int(x, IntKind::Uint64)) => u64::try_from(*x) == Ok(*y),
        (Value::Uint(x), Value::Uint(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Complex(xr, xi), Value::Complex(yr, yi)) => xr == yr && xi == yi,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) | (Value::RawString(x), Value::RawString(y)) => x == y,
        (Value::List(x, kx), Value::List(y, ky)) => {
            kx == ky
                && x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| deep_equal_at(p, q, depth + 1))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.ptr_eq(y) {
                return true;
            }
            if x.kind() != y.kind() {
                return false;
            }
            let (x, y) = (x.snapshot(), y.snapshot());
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((kp, p), (kq, q))| kp == kq && deep_equal_at(p, q, depth + 1))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.type_name() == y.type_name()
                && match (x.to_data(), y.to_data()) {
                    (Some(p), Some(q)) => deep_equal_at(&p, &q, depth + 1),
                    _ => x.go_string() == y.go_string(),
                }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_equal_compares_types_too() {
        assert!(!deep_equal(&Value::int(1), &Value::Float(1.0)));
        assert!(!deep_equal(&Value::int(1), &Value::Int(1, IntKind::Int64)));
        assert!(deep_equal(
            &Value::list(vec![Value::from("a")]),
            &Value::list(vec![Value::from("a")])
        ));
        assert!(!deep_equal(
            &Value::Float(f64::NAN),
            &Value::Float(f64::NAN)
        ));
    }

    #[test]
    fn kinds_are_go_kind_names() {
        assert_eq!(kind_of(&Value::empty_map()), "map");
        assert_eq!(kind_of(&Value::Nil), "invalid");
        assert!(type_is_like("int", &Value::int(1)));
        assert_eq!(
            type_kind(&Value::Nil).unwrap_err().message(),
            NIL_DEREFERENCE
        );
    }
}
