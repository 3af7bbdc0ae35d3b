//! Helm's duration helpers (`pkg/engine/funcs.go`): `mustToDuration`, `durationSeconds`,
//! `durationMilliseconds`, `durationMicroseconds`, `durationNanoseconds`,
//! `durationMinutes`, `durationHours`, `durationDays`, `durationWeeks`, `durationRoundTo`
//! and `durationTruncateTo`.
use crate::gofmt;
use crate::value::{IntKind, Value};

use super::cast::float_to_int64;
use super::dates::round_duration;
use super::goduration::{DurationObject, as_duration, hours, minutes, parse_duration, seconds};
use super::{Error, Result, strconv};

const SECOND: i64 = 1_000_000_000;
const MAX_SECONDS: i64 = i64::MAX / SECOND;
const MIN_SECONDS: i64 = i64::MIN / SECOND;
const MAX_SECONDS_FLOAT: f64 = i64::MAX as f64 / SECOND as f64;
const MIN_SECONDS_FLOAT: f64 = i64::MIN as f64 / SECOND as f64;

fn go_v(f: f64) -> String {
    gofmt::sprint(&[Value::Float(f)])
}

fn from_seconds_float(seconds: f64) -> Result<i64> {
    if !seconds.is_finite() {
        return Err(Error::new(format!(
            "invalid duration seconds: {}",
            go_v(seconds)
        )));
    }
    if !(MIN_SECONDS_FLOAT..=MAX_SECONDS_FLOAT).contains(&seconds) {
        return Err(Error::new(format!(
            "duration seconds overflow: {}",
            go_v(seconds)
        )));
    }
    let nanos = seconds * SECOND as f64;
    if nanos > i64::MAX as f64 || nanos < i64::MIN as f64 {
        return Err(Error::new(format!(
            "duration nanoseconds overflow: {}",
            go_v(nanos)
        )));
    }
    Ok(float_to_int64(nanos))
}

/// Helm's `asDuration`: a `time.Duration`, a duration text or a number of seconds (as a
/// number or a numeric text).
pub fn as_duration_value(v: &Value) -> Result<i64> {
    if let Some(d) = as_duration(v) {
        return Ok(d);
    }
    match v {
        Value::String(s) => {
            let trimmed = s.trim();
            if trimmed.is_empty() {
                return Err(Error::new("empty duration"));
            }
            if let Ok(d) = parse_duration(trimmed) {
                return Ok(d);
            }
            if let Ok(f) = strconv::parse_float(trimmed) {
                return from_seconds_float(f);
            }
            Err(Error::new(format!(
                "could not parse duration {}",
                gofmt::quote(s)
            )))
        }
        Value::Missing | Value::Nil => Err(Error::new("invalid duration")),
        Value::Int(i, kind) if kind.is_unsigned() => from_seconds_uint(*i as u64),
        Value::Int(i, _) => {
            if *i > MAX_SECONDS || *i < MIN_SECONDS {
                return Err(Error::new(format!("duration seconds overflow: {i}")));
            }
            Ok(i * SECOND)
        }
        Value::Uint(u) => from_seconds_uint(*u),
        Value::Float(f) => from_seconds_float(*f),
        other => Err(Error::new(format!(
            "unsupported duration type {}",
            other.type_name()
        ))),
    }
}

fn from_seconds_uint(u: u64) -> Result<i64> {
    if u > MAX_SECONDS as u64 {
        return Err(Error::new(format!("duration seconds overflow: {u}")));
    }
    Ok(u as i64 * SECOND)
}

/// `mustToDuration V`.
pub fn must_to_duration(v: &Value) -> Result<Value> {
    as_duration_value(v).map(DurationObject::value)
}

fn or_zero(v: &Value) -> i64 {
    as_duration_value(v).unwrap_or(0)
}

/// `durationSeconds V`.
pub fn duration_seconds(v: &Value) -> f64 {
    seconds(or_zero(v))
}

/// `durationMilliseconds V`.
pub fn duration_milliseconds(v: &Value) -> Value {
    Value::Int(or_zero(v) / 1_000_000, IntKind::Int64)
}

/// `durationMicroseconds V`.
pub fn duration_microseconds(v: &Value) -> Value {
    Value::Int(or_zero(v) / 1_000, IntKind::Int64)
}

/// `durationNanoseconds V`.
pub fn duration_nanoseconds(v: &Value) -> Value {
    Value::Int(or_zero(v), IntKind::Int64)
}

/// `durationMinutes V`.
pub fn duration_minutes(v: &Value) -> f64 {
    minutes(or_zero(v))
}

/// `durationHours V`.
pub fn duration_hours(v: &Value) -> f64 {
    hours(or_zero(v))
}

/// `durationDays V`.
pub fn duration_days(v: &Value) -> f64 {
    hours(or_zero(v)) / 24.0
}

/// `durationWeeks V`.
pub fn duration_weeks(v: &Value) -> f64 {
    hours(or_zero(v)) / 24.0 / 7.0
}

/// `durationRoundTo V M`: V rounded to a multiple of M; 0 when V is invalid, V when M is.
pub fn duration_round_to(v: &Value, m: &Value) -> Value {
    let Ok(d) = as_duration_value(v) else {
        return DurationObject::value(0);
    };
    match as_duration_value(m) {
        Ok(m) => DurationObject::value(round_duration(d, m)),
        Err(_) => DurationObject::value(d),
    }
}

/// `durationTruncateTo V M`: V truncated toward zero to a multiple of M.
pub fn duration_truncate_to(v: &Value, m: &Value) -> Value {
    let Ok(d) = as_duration_value(v) else {
        return DurationObject::value(0);
    };
    match as_duration_value(m) {
        Ok(m) if m > 0 => DurationObject::value(d - d % m),
        _ => DurationObject::value(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_texts_and_seconds() {
        assert_eq!(as_duration_value(&Value::from("1m30s")), Ok(90 * SECOND));
        assert_eq!(as_duration_value(&Value::from(" 2.5 ")), Ok(2_500_000_000));
        assert_eq!(as_duration_value(&Value::Float(1.5)), Ok(1_500_000_000));
        assert_eq!(as_duration_value(&Value::int(2)), Ok(2 * SECOND));
        assert_eq!(
            as_duration_value(&Value::from("abc"))
                .unwrap_err()
                .message(),
            "could not parse duration \"abc\""
        );
        assert_eq!(
            as_duration_value(&Value::Bool(true)).unwrap_err().message(),
            "unsupported duration type bool"
        );
        assert_eq!(duration_seconds(&Value::from("1m")), 60.0);
        assert_eq!(duration_days(&Value::from("36h")), 1.5);
        let rounded = duration_round_to(&Value::from("1h29m"), &Value::from("1h"));
        assert_eq!(as_duration(&rounded), Some(3_600 * SECOND));
        let truncated = duration_truncate_to(&Value::from("1h59m"), &Value::from("1h"));
        assert_eq!(as_duration(&truncated), Some(3_600 * SECOND));
    }
}
