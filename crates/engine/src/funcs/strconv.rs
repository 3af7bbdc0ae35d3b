//! Go's `strconv` number parsing as Sprig and spf13/cast call it: `ParseInt` (over Go's
//! `ParseUint`), `Atoi` and `ParseFloat`, with base prefixes, underscores and Go's `*NumError` texts.
use crate::gofmt::quote;

/// Why a parse failed (Go's `ErrSyntax` and `ErrRange`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumErrorKind {
    Syntax,
    Range,
    Base,
}

/// Go's `*strconv.NumError`: `strconv.ParseInt: parsing "x": invalid syntax`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumError {
    pub func: &'static str,
    pub num: String,
    pub kind: NumErrorKind,
    base: u32,
}

impl NumError {
    fn new(func: &'static str, num: &str, kind: NumErrorKind) -> NumError {
        NumError {
            func,
            num: num.to_owned(),
            kind,
            base: 0,
        }
    }
}

impl std::fmt::Display for NumError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let reason = match self.kind {
            NumErrorKind::Syntax => "invalid syntax".to_owned(),
            NumErrorKind::Range => "value out of range".to_owned(),
            NumErrorKind::Base => format!("invalid base {}", self.base),
        };
        write!(
            f,
            "strconv.{}: parsing {}: {reason}",
            self.func,
            quote(&self.num)
        )
    }
}

/// Go's `underscoreOK`: underscores only between digits, or between a base prefix and a
/// digit.
fn underscore_ok(s: &str) -> bool {
    let s = s.as_bytes();
    let s = match s.first() {
        Some(b'-' | b'+') => &s[1..],
        _ => s,
    };
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1] | 0x20, b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1] | 0x20 == b'x';
    }
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c.is_ascii_digit() || hex && (c | 0x20).is_ascii_hexdigit() {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

fn parse_uint_as(func: &'static str, s: &str, base: u32, bit_size: u32) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::new(func, s, NumErrorKind::Syntax));
    }
    let base0 = base == 0;
    let mut digits = s.as_bytes();
    let mut base = base;
    if base0 {
        base = 10;
        if digits[0] == b'0' {
            if digits.len() >= 3 && matches!(digits[1] | 0x20, b'b' | b'o' | b'x') {
                base = match digits[1] | 0x20 {
                    b'b' => 2,
                    b'o' => 8,
                    _ => 16,
                };
                digits = &digits[2..];
            } else {
                base = 8;
                digits = &digits[1..];
            }
        }
    } else if !(2..=36).contains(&base) {
        let mut err = NumError::new(func, s, NumErrorKind::Base);
        err.base = base;
        return Err(err);
    }
    let bit_size = if bit_size == 0 { 64 } else { bit_size };
    let max_val: u64 = if bit_size >= 64 {
        u64::MAX
    } else {
        (1u64 << bit_size) - 1
    };
    let cutoff = u64::MAX / u64::from(base) + 1;
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => c - b'0',
            _ if (c | 0x20).is_ascii_lowercase() => (c | 0x20) - b'a' + 10,
            _ => return Err(NumError::new(func, s, NumErrorKind::Syntax)),
        };
        if u32::from(d) >= base {
            return Err(NumError::new(func, s, NumErrorKind::Syntax));
        }
        if n >= cutoff {
            return Err(NumError::new(func, s, NumErrorKind::Range));
        }
        n *= u64::from(base);
        let n1 = n.wrapping_add(u64::from(d));
        if n1 < n || n1 > max_val {
            return Err(NumError::new(func, s, NumErrorKind::Range));
        }
        n = n1;
    }
    if underscores && !underscore_ok(s) {
        return Err(NumError::new(func, s, NumErrorKind::Syntax));
    }
    Ok(n)
}

fn parse_int_as(func: &'static str, s: &str, base: u32, bit_size: u32) -> Result<i64, NumError> {
    if s.is_empty() {
        return Err(NumError::new(func, s, NumErrorKind::Syntax));
    }
    let (neg, digits) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let un = match parse_uint_as(func, digits, base, bit_size) {
        Ok(un) => un,
        Err(err) if err.kind == NumErrorKind::Range => u64::MAX,
        Err(mut err) => {
            err.num = s.to_owned();
            return Err(err);
        }
    };
    let bit_size = if bit_size == 0 { 64 } else { bit_size };
    let cutoff = 1u64 << (bit_size - 1);
    if !neg && un >= cutoff {
        return Err(NumError::new(func, s, NumErrorKind::Range));
    }
    if neg && un > cutoff {
        return Err(NumError::new(func, s, NumErrorKind::Range));
    }
    // `un <= 2^63` here, so the two's complement negation is exact.
    let n = un as i64;
    Ok(if neg { n.wrapping_neg() } else { n })
}

/// `strconv.ParseInt(s, base, bitSize)`.
pub fn parse_int(s: &str, base: u32, bit_size: u32) -> Result<i64, NumError> {
    parse_int_as("ParseInt", s, base, bit_size)
}

/// `strconv.Atoi(s)`: `ParseInt(s, 10, 0)` reported as `Atoi`.
pub fn atoi(s: &str) -> Result<i64, NumError> {
    parse_int_as("Atoi", s, 10, 64)
}

/// `strconv.ParseFloat(s, 64)`: decimal and hexadecimal forms, `inf`/`infinity`/`nan` in
/// any case, underscores as Go allows them.
pub fn parse_float(s: &str) -> Result<f64, NumError> {
    let syntax = || NumError::new("ParseFloat", s, NumErrorKind::Syntax);
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower == "nan" && body.len() == s.len() {
        return Ok(f64::NAN);
    }
    let value = if let Some(hex) = lower.strip_prefix("0x") {
        parse_hex_float(hex).ok_or_else(syntax)?
    } else {
        if !is_decimal_float(&lower) {
            return Err(syntax());
        }
        let cleaned: String = lower.chars().filter(|&c| c != '_').collect();
        cleaned.parse::<f64>().map_err(|_| syntax())?
    };
    if body.contains('_') && !underscore_ok(s) {
        return Err(syntax());
    }
    let value = if neg { -value } else { value };
    if value.is_infinite() {
        return Err(NumError::new("ParseFloat", s, NumErrorKind::Range));
    }
    Ok(value)
}

/// Digits, at most one dot, at least one digit, then an optional exponent with digits.
fn is_decimal_float(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut digits = 0;
    let mut dot = false;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => digits += 1,
            b'_' => {}
            b'.' if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return false;
    }
    if i == bytes.len() {
        return true;
    }
    if bytes[i] != b'e' {
        return false;
    }
    i += 1;
    if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
        i += 1;
    }
    let exp_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'_') {
        i += 1;
    }
    i == bytes.len() && bytes[exp_start..].iter().any(u8::is_ascii_digit)
}

/// The part after `0x` of a Go hexadecimal float: hex mantissa with an optional dot, and a
/// mandatory binary exponent `p±N`.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mantissa, exponent) = s.split_once('p')?;
    let exponent: i32 = {
        let e: String = exponent.chars().filter(|&c| c != '_').collect();
        if e.is_empty() || e == "+" || e == "-" {
            return None;
        }
        e.parse::<i64>().ok()?.clamp(-100_000, 100_000) as i32
    };
    let mut value = 0f64;
    let mut scale = 0i32;
    let mut seen_dot = false;
    let mut digits = 0;
    for c in mantissa.chars() {
        match c {
            '_' => {}
            '.' if !seen_dot => seen_dot = true,
            _ => {
                let d = c.to_digit(16)?;
                digits += 1;
                value = value * 16.0 + f64::from(d);
                if seen_dot {
                    scale -= 4;
                }
            }
        }
    }
    if digits == 0 {
        return None;
    }
    Some(value * 2f64.powi(exponent + scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_follows_go() {
        assert_eq!(parse_int("0x1F", 0, 0), Ok(31));
        assert_eq!(parse_int("010", 0, 0), Ok(8));
        assert_eq!(parse_int("-0b101", 0, 0), Ok(-5));
        assert_eq!(parse_int("1_000", 0, 0), Ok(1000));
        assert_eq!(parse_int("0", 0, 0), Ok(0));
        assert_eq!(parse_int("-9223372036854775808", 10, 64), Ok(i64::MIN));
        assert_eq!(
            parse_int("9223372036854775808", 10, 64)
                .unwrap_err()
                .to_string(),
            "strconv.ParseInt: parsing \"9223372036854775808\": value out of range"
        );
        assert_eq!(
            parse_int("1_000", 10, 64).unwrap_err().to_string(),
            "strconv.ParseInt: parsing \"1_000\": invalid syntax"
        );
        assert_eq!(
            atoi("abc").unwrap_err().to_string(),
            "strconv.Atoi: parsing \"abc\": invalid syntax"
        );
        assert!(parse_int("_1", 0, 0).is_err());
        assert!(parse_int("08", 0, 0).is_err());
    }

    #[test]
    fn parse_float_follows_go() {
        assert_eq!(parse_float("1.5"), Ok(1.5));
        assert_eq!(parse_float(".5"), Ok(0.5));
        assert_eq!(parse_float("5."), Ok(5.0));
        assert_eq!(parse_float("1e3"), Ok(1000.0));
        assert_eq!(parse_float("0x1p-2"), Ok(0.25));
        assert_eq!(parse_float("-Inf"), Ok(f64::NEG_INFINITY));
        assert!(parse_float("NaN").unwrap().is_nan());
        assert!(parse_float("1e").is_err());
        assert!(parse_float("").is_err());
        assert!(parse_float(" 1").is_err());
        assert_eq!(
            parse_float("1e400").unwrap_err().to_string(),
            "strconv.ParseFloat: parsing \"1e400\": value out of range"
        );
    }
}
