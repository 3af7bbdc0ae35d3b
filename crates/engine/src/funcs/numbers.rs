//! Sprig's math and conversions (`numeric.go` and the arithmetic entries of its function
//! map): integer arithmetic over spf13/cast's `ToInt64`, float arithmetic through exact
//! decimals, rounding, ranges and `seq`.
use crate::gofmt;
use crate::value::{IntKind, Value};

use super::cast::{int64_value, to_float64, to_int, to_int64};
use super::decimal::Decimal;
use super::lists::int_list;
use super::{Error, Result, strconv};

/// The longest list `until`, `untilStep` and `seq` build. Go would try to allocate any
/// length; helmsync stops with an error instead.
pub const MAX_RANGE_LEN: usize = 1 << 20;

/// `atoi S`: `strconv.Atoi`, whose clamped value survives a range error; 0 on a syntax
/// error.
pub fn atoi(s: &str) -> i64 {
    match strconv::atoi(s) {
        Ok(i) => i,
        Err(err) if err.kind == strconv::NumErrorKind::Range => {
            if s.starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            }
        }
        Err(_) => 0,
    }
}

/// `int V`.
pub fn int(v: &Value) -> Value {
    Value::Int(to_int(v), IntKind::Int)
}

/// `int64 V`.
pub fn int64(v: &Value) -> Value {
    int64_value(to_int64(v))
}

/// `float64 V`.
pub fn float64(v: &Value) -> f64 {
    to_float64(v)
}

/// `add1 V`.
pub fn add1(v: &Value) -> Value {
    int64_value(to_int64(v).wrapping_add(1))
}

/// `add V...`.
pub fn add(values: &[Value]) -> Value {
    int64_value(values.iter().fold(0i64, |a, b| a.wrapping_add(to_int64(b))))
}

/// `sub A B`.
pub fn sub(a: &Value, b: &Value) -> Value {
    int64_value(to_int64(a).wrapping_sub(to_int64(b)))
}

const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

/// `div A B`: Go's truncating division; dividing by zero fails as Go's runtime does.
pub fn div(a: &Value, b: &Value) -> Result<Value> {
    let divisor = to_int64(b);
    if divisor == 0 {
        return Err(Error::new(DIVIDE_BY_ZERO));
    }
    Ok(int64_value(to_int64(a).wrapping_div(divisor)))
}

/// `mod A B`.
pub fn modulo(a: &Value, b: &Value) -> Result<Value> {
    let divisor = to_int64(b);
    if divisor == 0 {
        return Err(Error::new(DIVIDE_BY_ZERO));
    }
    Ok(int64_value(to_int64(a).wrapping_rem(divisor)))
}

/// `mul A V...`.
pub fn mul(a: &Value, values: &[Value]) -> Value {
    int64_value(
        values
            .iter()
            .fold(to_int64(a), |acc, b| acc.wrapping_mul(to_int64(b))),
    )
}

/// `max A V...` (and `biggest`).
pub fn max(a: &Value, values: &[Value]) -> Value {
    int64_value(values.iter().map(to_int64).fold(to_int64(a), i64::max))
}

/// `min A V...`.
pub fn min(a: &Value, values: &[Value]) -> Value {
    int64_value(values.iter().map(to_int64).fold(to_int64(a), i64::min))
}

/// Go's `math.Max`.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y { x } else { y }
}

/// Go's `math.Min`.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y { x } else { y }
}

/// `maxf A V...`.
pub fn maxf(a: &Value, values: &[Value]) -> f64 {
    values.iter().map(to_float64).fold(to_float64(a), go_max)
}

/// `minf A V...`.
pub fn minf(a: &Value, values: &[Value]) -> f64 {
    values.iter().map(to_float64).fold(to_float64(a), go_min)
}

/// `floor V`.
pub fn floor(v: &Value) -> f64 {
    to_float64(v).floor()
}

/// `ceil V`.
pub fn ceil(v: &Value) -> f64 {
    to_float64(v).ceil()
}

/// Go's `math.Pow(x, y)` for an integral `y`, by the same repeated squaring of the
/// `Frexp` mantissa, so results match Go's to the last bit.
fn go_pow_int(x: f64, y: f64) -> f64 {
    if y == 0.0 || x == 1.0 {
        return 1.0;
    }
    if y == 1.0 {
        return x;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if y.is_infinite() || x.is_infinite() || x == 0.0 {
        return x.powf(y);
    }
    let yi = y.abs().trunc();
    if yi >= 9_223_372_036_854_775_808.0 {
        return x.powf(y);
    }
    let (mut x1, mut xe) = frexp(x);
    let mut a1 = 1.0f64;
    let mut ae: i64 = 0;
    let mut i = yi as i64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

/// Go's `math.Frexp` for a finite non-zero `f`: `f = frac × 2^exp`, `0.5 <= |frac| < 1`.
fn frexp(f: f64) -> (f64, i64) {
    let mut f = f;
    let mut exp = 0i64;
    if f.abs() < f64::MIN_POSITIVE {
        f *= (1u64 << 52) as f64;
        exp = -52;
    }
    let bits = f.to_bits();
    exp += ((bits >> 52) & 0x7ff) as i64 - 1022;
    let frac = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (frac, exp)
}

/// Go's `math.Ldexp`.
fn ldexp(frac: f64, exp: i64) -> f64 {
    let exp = exp.clamp(-1200, 1200) as i32;
    // Two steps keep the intermediate power of two representable.
    let half = exp / 2;
    frac * 2f64.powi(half) * 2f64.powi(exp - half)
}

/// `round V PLACES [ROUND_ON]`: rounds up when the fraction at PLACES decimals is at least
/// ROUND_ON (default .5).
pub fn round(v: &Value, places: i64, round_on: &[f64]) -> f64 {
    let round_on = round_on.first().copied().unwrap_or(0.5);
    let val = to_float64(v);
    let pow = go_pow_int(10.0, places as f64);
    let digit = pow * val;
    let div = digit.fract();
    let rounded = if div >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    rounded / pow
}

/// `toDecimal V`: V printed with `%v` and read as an octal number; 0 if it is not one.
pub fn to_decimal(v: &Value) -> Value {
    let text = gofmt::sprint(std::slice::from_ref(v));
    int64_value(strconv::parse_int(&text, 8, 64).unwrap_or(0))
}

/// `untilStep START STOP STEP` as Sprig builds it.
pub fn until_step_values(start: i64, stop: i64, step: i64) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    let too_long = || {
        Error::new(format!(
            "untilStep: the range exceeds helmsync's limit of {MAX_RANGE_LEN} elements"
        ))
    };
    if stop < start {
        if step >= 0 {
            return Ok(out);
        }
        let mut i = start;
        while i > stop {
            if out.len() == MAX_RANGE_LEN {
                return Err(too_long());
            }
            out.push(i);
            i = match i.checked_add(step) {
                Some(next) => next,
                None => break,
            };
        }
        return Ok(out);
    }
    if step <= 0 {
        return Ok(out);
    }
    let mut i = start;
    while i < stop {
        if out.len() == MAX_RANGE_LEN {
            return Err(too_long());
        }
        out.push(i);
        i = match i.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    Ok(out)
}

/// `untilStep START STOP STEP`.
pub fn until_step(start: i64, stop: i64, step: i64) -> Result<Value> {
    until_step_values(start, stop, step).map(int_list)
}

/// `until COUNT`: 0 up to COUNT (or down to it when negative), exclusive.
pub fn until(count: i64) -> Result<Value> {
    until_step(0, count, if count < 0 { -1 } else { 1 })
}

/// `seq [START [STEP]] END`: the numbers, space separated, as the Unix command prints them.
pub fn seq(params: &[i64]) -> Result<String> {
    let numbers = match *params {
        [end] => {
            let step = if end < 1 { -1 } else { 1 };
            until_step_values(1, end.wrapping_add(step), step)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step_values(start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut increment = 1;
            if end < start {
                increment = -1;
                if step > 0 {
                    return Ok(String::new());
                }
            }
            until_step_values(start, end.wrapping_add(increment), step)?
        }
        _ => return Ok(String::new()),
    };
    Ok(numbers
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" "))
}

fn decimal_op(
    first: &Value,
    rest: &[Value],
    op: fn(&Decimal, &Decimal) -> Result<Decimal>,
) -> Result<f64> {
    let mut acc = Decimal::from_f64(to_float64(first))?;
    for v in rest {
        acc = op(&acc, &Decimal::from_f64(to_float64(v))?)?;
    }
    Ok(acc.to_f64())
}

/// `add1f V`.
pub fn add1f(v: &Value) -> Result<f64> {
    decimal_op(v, &[Value::int(1)], Decimal::add)
}

/// `addf V...`.
pub fn addf(values: &[Value]) -> Result<f64> {
    decimal_op(&Value::Float(0.0), values, Decimal::add)
}

/// `subf A V...`.
pub fn subf(a: &Value, values: &[Value]) -> Result<f64> {
    decimal_op(a, values, Decimal::sub)
}

/// `mulf A V...`.
pub fn mulf(a: &Value, values: &[Value]) -> Result<f64> {
    decimal_op(a, values, Decimal::mul)
}

/// `divf A V...`.
pub fn divf(a: &Value, values: &[Value]) -> Result<f64> {
    decimal_op(a, values, Decimal::div)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_math_uses_cast() {
        assert_eq!(
            format!("{:?}", add(&[Value::Float(1.9), Value::from("2")])),
            "int64(3)"
        );
        assert!(div(&Value::int(1), &Value::Nil).is_err());
        assert_eq!(
            format!("{:?}", max(&Value::int(1), &[Value::from("7")])),
            "int64(7)"
        );
        assert_eq!(atoi("99999999999999999999"), i64::MAX);
    }

    #[test]
    fn round_matches_go() {
        assert_eq!(round(&Value::Float(123.5555), 3, &[]), 123.556);
        assert_eq!(round(&Value::Float(123.5555), 3, &[0.6]), 123.555);
        assert_eq!(go_pow_int(10.0, 3.0), 1000.0);
        assert_eq!(go_pow_int(10.0, -2.0), 0.01);
    }

    #[test]
    fn seq_follows_sprig() {
        assert_eq!(seq(&[3]).unwrap(), "1 2 3");
        assert_eq!(seq(&[0]).unwrap(), "1 0");
        assert_eq!(seq(&[2, 6]).unwrap(), "2 3 4 5 6");
        assert_eq!(seq(&[0, 2, 6]).unwrap(), "0 2 4 6");
        assert_eq!(seq(&[6, -2, 0]).unwrap(), "6 4 2 0");
        assert_eq!(seq(&[6, 2, 0]).unwrap(), "");
        assert_eq!(seq(&[]).unwrap(), "");
    }
}
