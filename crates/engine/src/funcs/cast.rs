//! Value conversions as Sprig makes them: spf13/cast v1.7.0's `ToInt64`, `ToInt` and
//! `ToFloat64` (errors become 0), Sprig's `strval`, and Go's numeric conversions.
use crate::gofmt;
use crate::value::{IntKind, Value};

use super::strconv;

/// Go's `int64(f)` on amd64: truncation toward zero, and the "integer indefinite" value
/// `math.MinInt64` for NaN and anything out of range.
pub fn float_to_int64(f: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// spf13/cast's `trimZeroDecimal`: `"1.0"` and `"1.00"` become `"1"`.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, c) in s.bytes().enumerate().rev() {
        match c {
            b'.' if found_zero => return &s[..i],
            b'.' => {}
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `cast.ToInt64E`: the error texts name Go's `%#v` and `%T` of the value.
pub fn to_int64_e(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i, _) => Ok(*i),
        // A uint64 above MaxInt64 wraps, as Go's `int64(u)` does.
        Value::Uint(u) => Ok(*u as i64),
        Value::Float(f) => Ok(float_to_int64(*f)),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Missing | Value::Nil => Ok(0),
        Value::String(s) => {
            strconv::parse_int(trim_zero_decimal(s), 0, 0).map_err(|_| cast_error(v, "int64"))
        }
        _ => Err(cast_error(v, "int64")),
    }
}

fn cast_error(v: &Value, target: &str) -> String {
    format!(
        "unable to cast {} of type {} to {target}",
        gofmt::sprintf("%#v", std::slice::from_ref(v)),
        v.type_name()
    )
}

/// `cast.ToInt64`: `ToInt64E` with errors read as 0.
pub fn to_int64(v: &Value) -> i64 {
    to_int64_e(v).unwrap_or(0)
}

/// `cast.ToInt`: the same conversions as `ToInt64` on a 64-bit platform.
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64`: numbers convert, strings parse with `ParseFloat`, bools are 0 or 1,
/// anything else is 0.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i, _) => *i as f64,
        Value::Uint(u) => *u as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => strconv::parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Sprig's `strval`: strings as they are, bytes as text, Stringers and errors by their
/// text, everything else as `fmt.Sprintf("%v")` prints it.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::RawString(_) => v.to_utf8().as_str().unwrap_or_default().to_owned(),
        Value::Object(o) => o.go_string(),
        _ => gofmt::sprint(std::slice::from_ref(v)),
    }
}

/// An `int64` result, as Sprig's arithmetic returns.
pub fn int64_value(i: i64) -> Value {
    Value::Int(i, IntKind::Int64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_int64_follows_cast() {
        assert_eq!(to_int64(&Value::Float(3.9)), 3);
        assert_eq!(to_int64(&Value::Float(-3.9)), -3);
        assert_eq!(to_int64(&Value::Float(f64::NAN)), i64::MIN);
        assert_eq!(to_int64(&Value::from("0x10")), 16);
        assert_eq!(to_int64(&Value::from("010")), 8);
        assert_eq!(to_int64(&Value::from("5.00")), 5);
        assert_eq!(to_int64(&Value::from("5.5")), 0);
        assert_eq!(to_int64(&Value::from("x")), 0);
        assert_eq!(to_int64(&Value::Nil), 0);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_int64(&Value::Uint(u64::MAX)), -1);
    }

    #[test]
    fn to_float64_follows_cast() {
        assert_eq!(to_float64(&Value::from("1e3")), 1000.0);
        assert_eq!(to_float64(&Value::from("x")), 0.0);
        assert_eq!(to_float64(&Value::int(3)), 3.0);
        assert_eq!(to_float64(&Value::list(vec![])), 0.0);
    }
}
