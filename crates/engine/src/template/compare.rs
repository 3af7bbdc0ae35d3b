//! The comparison builtins `eq`, `ne`, `lt`, `le`, `gt`, `ge`: Go's `basicKind` rules, the
//! signed/unsigned integer special case, and Go's error texts.
use super::error::FuncError;
use super::reflect::Val;
use crate::gofmt::sprintf;
use crate::value::Value;

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const NO_COMPARISON: &str = "missing argument for comparison";

/// Go's comparison kinds; everything else (maps, lists, nil, objects) is `Invalid`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Complex,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(value: &Value) -> Kind {
    match value {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_, kind) if kind.is_unsigned() => Kind::Uint,
        Value::Int(..) => Kind::Int,
        Value::Uint(_) => Kind::Uint,
        Value::Float(_) => Kind::Float,
        Value::Complex(..) => Kind::Complex,
        Value::String(_) | Value::RawString(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

fn int_of(value: &Value) -> i64 {
    match value {
        Value::Int(i, _) => *i,
        _ => 0,
    }
}

/// Go's `Value.Uint()` for the unsigned kinds.
fn uint_of(value: &Value) -> u64 {
    match value {
        Value::Int(i, _) => *i as u64,
        Value::Uint(u) => *u,
        _ => 0,
    }
}

fn float_of(value: &Value) -> f64 {
    match value {
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

fn incompatible(a: &Val, b: &Val) -> FuncError {
    FuncError::new(format!(
        "incompatible types for comparison: {} and {}",
        a.static_type(),
        b.static_type()
    ))
}

/// Go's `reflect.Kind` classes that decide whether two non-basic values can be compared.
fn reflect_kind(value: &Value) -> u8 {
    match value {
        Value::Missing => 0,
        Value::List(..) | Value::Bytes(_) => 1,
        Value::Map(_) => 2,
        Value::Object(_) => 3,
        Value::Nil => 4,
        _ => 5,
    }
}

/// Go's `isNil`: the invalid value or a nil of a nilable type.
fn is_nil(value: &Value) -> bool {
    matches!(value, Value::Missing | Value::Nil)
}

/// `eq arg1 arg2...`: whether arg1 equals any of the others.
pub(crate) fn eq(arg1: Val, others: &[Val]) -> Result<bool, FuncError> {
    let arg1 = arg1.unboxed();
    if others.is_empty() {
        return Err(FuncError::new(NO_COMPARISON));
    }
    let k1 = basic_kind(&arg1.value);
    for arg in others {
        let arg = arg.clone().unboxed();
        let k2 = basic_kind(&arg.value);
        let (a, b) = (&arg1.value, &arg.value);
        let truth = if k1 != k2 {
            // Integers compare regardless of the sign of their types.
            match (k1, k2) {
                (Kind::Int, Kind::Uint) => int_of(a) >= 0 && int_of(a) as u64 == uint_of(b),
                (Kind::Uint, Kind::Int) => int_of(b) >= 0 && uint_of(a) == int_of(b) as u64,
                _ if arg1.is_valid() && arg.is_valid() => return Err(incompatible(&arg1, &arg)),
                _ => false,
            }
        } else {
            match k1 {
                Kind::Bool => matches!((a, b), (Value::Bool(x), Value::Bool(y)) if x == y),
                Kind::Complex => matches!(
                    (a, b),
                    (Value::Complex(xr, xi), Value::Complex(yr, yi)) if xr == yr && xi == yi
                ),
                Kind::Float => float_of(a) == float_of(b),
                Kind::Int => int_of(a) == int_of(b),
                Kind::String => a.go_string_bytes() == b.go_string_bytes(),
                Kind::Uint => uint_of(a) == uint_of(b),
                Kind::Invalid => equal_non_basic(&arg1, &arg)?,
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `eq` for maps, lists, objects and nils: only nils and pointers compare.
fn equal_non_basic(a: &Val, b: &Val) -> Result<bool, FuncError> {
    let (x, y) = (&a.value, &b.value);
    let same_kind = reflect_kind(x) == reflect_kind(y);
    if !same_kind && !x.is_missing() && !y.is_missing() {
        return Err(FuncError::new(sprintf(
            "non-comparable types %s: %v, %s: %v",
            &[
                x.clone(),
                Value::from(a.static_type()),
                Value::from(b.static_type()),
                y.clone(),
            ],
        )));
    }
    if is_nil(x) || is_nil(y) {
        return Ok(is_nil(x) == is_nil(y));
    }
    match (x, y) {
        (Value::Object(p), Value::Object(q)) => Ok(std::sync::Arc::ptr_eq(p, q)),
        _ => Err(FuncError::new(sprintf(
            "non-comparable type %s: %v",
            &[y.clone(), Value::from(b.static_type())],
        ))),
    }
}

/// `ne a b`.
pub(crate) fn ne(a: Val, b: Val) -> Result<bool, FuncError> {
    eq(a, &[b]).map(|equal| !equal)
}

/// `lt a b`.
pub(crate) fn lt(a: Val, b: Val) -> Result<bool, FuncError> {
    let a = a.unboxed();
    let k1 = basic_kind(&a.value);
    if k1 == Kind::Invalid {
        return Err(FuncError::new(BAD_COMPARISON_TYPE));
    }
    let b = b.unboxed();
    let k2 = basic_kind(&b.value);
    if k2 == Kind::Invalid {
        return Err(FuncError::new(BAD_COMPARISON_TYPE));
    }
    let (x, y) = (&a.value, &b.value);
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => Ok(int_of(x) < 0 || (int_of(x) as u64) < uint_of(y)),
            (Kind::Uint, Kind::Int) => Ok(int_of(y) >= 0 && uint_of(x) < int_of(y) as u64),
            _ => Err(incompatible(&a, &b)),
        };
    }
    match k1 {
        Kind::Float => Ok(float_of(x) < float_of(y)),
        Kind::Int => Ok(int_of(x) < int_of(y)),
        Kind::String => Ok(x.go_string_bytes() < y.go_string_bytes()),
        Kind::Uint => Ok(uint_of(x) < uint_of(y)),
        Kind::Bool | Kind::Complex | Kind::Invalid => Err(FuncError::new(BAD_COMPARISON_TYPE)),
    }
}

/// `le a b`: `lt` or `eq`.
pub(crate) fn le(a: Val, b: Val) -> Result<bool, FuncError> {
    if lt(a.clone(), b.clone())? {
        return Ok(true);
    }
    eq(a, &[b])
}

/// `gt a b`: not `le`.
pub(crate) fn gt(a: Val, b: Val) -> Result<bool, FuncError> {
    le(a, b).map(|le| !le)
}

/// `ge a b`: not `lt`.
pub(crate) fn ge(a: Val, b: Val) -> Result<bool, FuncError> {
    lt(a, b).map(|lt| !lt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::IntKind;

    fn int(i: i64) -> Val {
        Val::concrete(Value::int(i))
    }

    fn boxed_float(f: f64) -> Val {
        Val::boxed(Value::Float(f))
    }

    #[test]
    fn mixed_kinds_are_incompatible() {
        let err = eq(boxed_float(1.0), &[int(1)]).unwrap_err();
        assert_eq!(
            err.message(),
            "incompatible types for comparison: float64 and int"
        );
        let err = lt(int(1), Val::concrete(Value::from("a"))).unwrap_err();
        assert_eq!(
            err.message(),
            "incompatible types for comparison: int and string"
        );
    }

    #[test]
    fn signed_and_unsigned_integers_compare() {
        let unsigned = Val::concrete(Value::Int(3, IntKind::Uint8));
        assert!(eq(int(3), std::slice::from_ref(&unsigned)).unwrap());
        assert!(!eq(int(-1), &[Val::concrete(Value::Uint(u64::MAX))]).unwrap());
        assert!(lt(int(-1), unsigned.clone()).unwrap());
        assert!(!lt(unsigned, int(-1)).unwrap());
    }

    #[test]
    fn missing_values_and_nils() {
        assert!(!eq(Val::MISSING, &[int(1)]).unwrap());
        assert!(eq(Val::MISSING, &[Val::MISSING]).unwrap());
        assert!(eq(Val::boxed(Value::Nil), &[Val::MISSING]).unwrap());
        assert_eq!(
            lt(Val::MISSING, int(1)).unwrap_err().message(),
            "invalid type for comparison"
        );
        assert_eq!(
            eq(int(1), &[]).unwrap_err().message(),
            "missing argument for comparison"
        );
    }

    #[test]
    fn bools_compare_only_for_equality() {
        let t = Val::concrete(Value::Bool(true));
        assert!(eq(t.clone(), std::slice::from_ref(&t)).unwrap());
        assert_eq!(
            lt(t.clone(), t).unwrap_err().message(),
            "invalid type for comparison"
        );
    }

    #[test]
    fn eq_matches_any_of_several() {
        assert!(eq(int(3), &[int(1), int(2), int(3)]).unwrap());
        assert!(ge(int(3), int(3)).unwrap() && le(int(3), int(3)).unwrap());
        assert!(gt(int(4), int(3)).unwrap() && ne(int(4), int(3)).unwrap());
    }
}
