//! Go's `time.Duration`: `Duration.String`, `ParseDuration`, the unit conversions, and the
//! host object `mustToDuration` and the duration helpers return.
use std::sync::Arc;

use crate::Object;
use crate::value::{IntKind, Value};

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// A `time.Duration` host object: an int64 count of nanoseconds that prints as `1h2m3s`.
#[derive(Debug)]
pub struct DurationObject(pub i64);

impl DurationObject {
    pub fn value(nanos: i64) -> Value {
        Value::Object(Arc::new(DurationObject(nanos)))
    }
}

/// The nanoseconds of a `time.Duration` value.
pub fn as_duration(v: &Value) -> Option<i64> {
    match v {
        Value::Object(o) => o
            .as_any()
            .and_then(|a| a.downcast_ref::<DurationObject>())
            .map(|d| d.0),
        _ => None,
    }
}

impl Object for DurationObject {
    fn type_name(&self) -> &str {
        "time.Duration"
    }

    fn kind_name(&self) -> &str {
        "int64"
    }

    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let d = self.0;
        if !args.is_empty() {
            return None;
        }
        Some(Ok(match name {
            "String" => Value::from(format_duration(d)),
            "Seconds" => Value::Float(seconds(d)),
            "Minutes" => Value::Float(minutes(d)),
            "Hours" => Value::Float(hours(d)),
            "Milliseconds" => Value::Int(d / 1_000_000, IntKind::Int64),
            "Microseconds" => Value::Int(d / 1000, IntKind::Int64),
            "Nanoseconds" => Value::Int(d, IntKind::Int64),
            _ => return None,
        }))
    }

    fn is_method(&self, name: &str) -> bool {
        matches!(
            name,
            "String"
                | "Seconds"
                | "Minutes"
                | "Hours"
                | "Milliseconds"
                | "Microseconds"
                | "Nanoseconds"
        )
    }

    fn go_string(&self) -> String {
        format_duration(self.0)
    }

    fn truthy(&self) -> bool {
        self.0 != 0
    }

    /// A `time.Duration` marshals to JSON as its integer count of nanoseconds.
    fn to_data(&self) -> Option<Value> {
        Some(Value::Int(self.0, IntKind::Int64))
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

/// `Duration.Seconds()`.
pub fn seconds(d: i64) -> f64 {
    let sec = d / NANOS_PER_SECOND;
    let nsec = d % NANOS_PER_SECOND;
    sec as f64 + nsec as f64 / 1e9
}

/// `Duration.Minutes()`.
pub fn minutes(d: i64) -> f64 {
    let min = d / (60 * NANOS_PER_SECOND);
    let nsec = d % (60 * NANOS_PER_SECOND);
    min as f64 + nsec as f64 / (60e9)
}

/// `Duration.Hours()`.
pub fn hours(d: i64) -> f64 {
    let hour = d / (3600 * NANOS_PER_SECOND);
    let nsec = d % (3600 * NANOS_PER_SECOND);
    hour as f64 + nsec as f64 / (60.0 * 60e9)
}

/// The digits of `v / 10^prec` after the point, trailing zeros removed, and the integer
/// part (Go's `fmtFrac`).
fn frac(v: u64, prec: u32) -> (String, u64) {
    let scale = 10u64.pow(prec);
    let fraction = v % scale;
    if fraction == 0 {
        return (String::new(), v / scale);
    }
    let digits = format!("{fraction:0width$}", width = prec as usize);
    (format!(".{}", digits.trim_end_matches('0')), v / scale)
}

/// `Duration.String()`: `72h3m0.5s`, `1.5ms`, `0s`.
pub fn format_duration(d: i64) -> String {
    let neg = d < 0;
    let u = d.unsigned_abs();
    let body = if u < NANOS_PER_SECOND as u64 {
        let (prec, unit) = match u {
            0 => return "0s".to_owned(),
            1..1_000 => (0, "ns"),
            1_000..1_000_000 => (3, "µs"),
            _ => (6, "ms"),
        };
        let (fraction, int) = frac(u, prec);
        format!("{int}{fraction}{unit}")
    } else {
        let (fraction, secs) = frac(u, 9);
        let mut out = format!("{}{fraction}s", secs % 60);
        let mins = secs / 60;
        if mins > 0 {
            out = format!("{}m{out}", mins % 60);
            let hours = mins / 60;
            if hours > 0 {
                out = format!("{hours}h{out}");
            }
        }
        out
    };
    if neg { format!("-{body}") } else { body }
}

/// Go's `time` package quoting: ASCII kept, `"` and `\` escaped, other bytes as `\x`.
pub fn time_quote(s: &str) -> String {
    time_quote_bytes(s.as_bytes())
}

/// `time_quote` of bytes that may not be UTF-8: every byte from 0x80 up is escaped, valid
/// or not.
pub fn time_quote_bytes(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in bytes {
        if !(b' '..0x80).contains(&b) {
            out.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

/// `time.ParseDuration`.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.chars().next()
        && (c == '-' || c == '+')
    {
        neg = c == '-';
        s = &s[1..];
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut d: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut v: u64 = 0;
        for &c in &b[..int_len] {
            if v > LIMIT / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(c - b'0');
            if v > LIMIT {
                return Err(invalid());
            }
        }
        s = &s[int_len..];
        let pre = int_len > 0;
        let mut f: u64 = 0;
        let mut scale = 1f64;
        let mut post = false;
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let frac_len = s.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for &c in &s.as_bytes()[..frac_len] {
                if overflow {
                    continue;
                }
                if f > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let y = f * 10 + u64::from(c - b'0');
                if y > LIMIT {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10.0;
            }
            s = &s[frac_len..];
            post = frac_len > 0;
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s
            .char_indices()
            .find(|&(_, c)| c == '.' || c.is_ascii_digit())
            .map_or(s.len(), |(i, _)| i);
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(orig)
            ));
        }
        let unit_text = &s[..unit_len];
        s = &s[unit_len..];
        let unit: u64 = match unit_text {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    time_quote(unit_text),
                    time_quote(orig)
                ));
            }
        };
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        d = match d.checked_add(v) {
            Some(sum) if sum <= LIMIT => sum,
            _ => return Err(invalid()),
        };
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_and_parse_like_go() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(1_500_000), "1.5ms");
        assert_eq!(format_duration(1_500), "1.5µs");
        assert_eq!(format_duration(90 * NANOS_PER_SECOND), "1m30s");
        assert_eq!(format_duration(-3_600 * NANOS_PER_SECOND), "-1h0m0s");
        assert_eq!(parse_duration("1h30m"), Ok(5_400 * NANOS_PER_SECOND));
        assert_eq!(parse_duration("-1.5s"), Ok(-1_500_000_000));
        assert_eq!(
            parse_duration("1"),
            Err("time: missing unit in duration \"1\"".to_owned())
        );
        assert_eq!(
            parse_duration("1x"),
            Err("time: unknown unit \"x\" in duration \"1x\"".to_owned())
        );
        assert_eq!(
            parse_duration(""),
            Err("time: invalid duration \"\"".to_owned())
        );
    }
}
