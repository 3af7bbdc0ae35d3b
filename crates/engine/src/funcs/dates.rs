//! Sprig's date functions (`date.go`): `now`, `date`, `dateInZone`, `htmlDate`,
//! `htmlDateInZone`, `dateModify`, `ago`, `duration`, `durationRound`, `toDate` and
//! `unixEpoch`. The clock and the local zone come from the caller's [`Environment`].
use crate::value::{IntKind, Value};

use super::goduration::{format_duration, parse_duration};
use super::gotime::{GoTime, Location, as_time};
use super::gotime_parse::parse;
use super::{Environment, Error, Result, strconv};

const SECOND: i64 = 1_000_000_000;

/// Go's `time.Local` as the environment defines it.
pub fn local(env: &dyn Environment) -> Location {
    Location::Zone(env.local_zone())
}

/// `now`: the current time in the local zone.
pub fn now(env: &dyn Environment) -> Value {
    GoTime::from_timestamp(env.now(), local(env)).into_value()
}

fn now_time(env: &dyn Environment) -> GoTime {
    GoTime::from_timestamp(env.now(), local(env))
}

/// `time.Unix(sec, 0)` in the local zone.
fn unix(env: &dyn Environment, sec: i64) -> GoTime {
    GoTime {
        unix: sec,
        nanos: 0,
        location: local(env),
    }
}

/// `time.LoadLocation(zone)`, falling back to UTC as Sprig does when it fails.
pub fn load_location(env: &dyn Environment, zone: &str) -> Location {
    match zone {
        "" | "UTC" => Location::utc(),
        "Local" => local(env),
        name => jiff::tz::db()
            .get(name)
            .map(Location::Zone)
            .unwrap_or_else(|_| Location::utc()),
    }
}

/// The time a date argument denotes: a `time.Time`, or Unix seconds as an `int`, `int32`
/// or `int64`; anything else is now.
fn date_arg(env: &dyn Environment, date: &Value, accept_int32: bool) -> GoTime {
    if let Some(t) = as_time(date) {
        return t.clone();
    }
    match date {
        Value::Int(sec, IntKind::Int | IntKind::Int64) => unix(env, *sec),
        Value::Int(sec, IntKind::Int32) if accept_int32 => unix(env, *sec),
        _ => now_time(env),
    }
}

/// `dateInZone LAYOUT DATE ZONE` (and `date_in_zone`).
pub fn date_in_zone(env: &dyn Environment, layout: &str, date: &Value, zone: &str) -> String {
    date_arg(env, date, true)
        .in_location(load_location(env, zone))
        .format(layout)
}

/// `date LAYOUT DATE`.
pub fn date(env: &dyn Environment, layout: &str, date: &Value) -> String {
    date_in_zone(env, layout, date, "Local")
}

/// `htmlDate DATE`.
pub fn html_date(env: &dyn Environment, date: &Value) -> String {
    date_in_zone(env, "2006-01-02", date, "Local")
}

/// `htmlDateInZone DATE ZONE`.
pub fn html_date_in_zone(env: &dyn Environment, date: &Value, zone: &str) -> String {
    date_in_zone(env, "2006-01-02", date, zone)
}

fn time_param(date: &Value) -> Result<&GoTime> {
    as_time(date).ok_or_else(|| {
        Error::new(format!(
            "wrong type for value; expected time.Time; got {}",
            date.type_name()
        ))
    })
}

/// `dateModify DURATION DATE` (and `date_modify`): the date unchanged when the duration
/// does not parse.
pub fn date_modify(modification: &str, date: &Value) -> Result<Value> {
    let t = time_param(date)?;
    Ok(match parse_duration(modification) {
        Ok(d) => t.add(d).into_value(),
        Err(_) => t.clone().into_value(),
    })
}

/// `mustDateModify DURATION DATE` (and `must_date_modify`).
pub fn must_date_modify(modification: &str, date: &Value) -> Result<Value> {
    let t = time_param(date)?;
    let d = parse_duration(modification).map_err(Error::new)?;
    Ok(t.add(d).into_value())
}

/// Go's `Duration.Round(m)`.
pub fn round_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let less_than_half = |x: i64| (x as u64).wrapping_add(x as u64) < m as u64;
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if less_than_half(r) {
            return d + r;
        }
        return match d.checked_sub(m).and_then(|x| x.checked_add(r)) {
            Some(d1) if d1 < d => d1,
            _ => i64::MIN,
        };
    }
    if less_than_half(r) {
        return d - r;
    }
    match (d + r.wrapping_neg()).checked_add(m) {
        Some(d1) if d1 > d => d1,
        _ => i64::MAX,
    }
}

/// `ago DATE`: the time since DATE, rounded to seconds.
pub fn ago(env: &dyn Environment, date: &Value) -> String {
    let t = date_arg(env, date, false);
    format_duration(round_duration(now_time(env).sub(&t), SECOND))
}

/// `duration SECONDS`: seconds (an `int64` or a decimal string) as a duration text.
pub fn duration(sec: &Value) -> String {
    let n = match sec {
        Value::String(s) => match strconv::parse_int(s, 10, 64) {
            Ok(n) => n,
            Err(err) if err.kind == strconv::NumErrorKind::Range => {
                if s.starts_with('-') {
                    i64::MIN
                } else {
                    i64::MAX
                }
            }
            Err(_) => 0,
        },
        Value::Int(n, IntKind::Int64) => *n,
        _ => 0,
    };
    format_duration(n.wrapping_mul(SECOND))
}

/// `durationRound D`: the duration in its largest whole unit (`2h`, `3mo`, `1y`).
pub fn duration_round(env: &dyn Environment, duration: &Value) -> String {
    let d = if let Some(t) = as_time(duration) {
        now_time(env).sub(t)
    } else {
        match duration {
            Value::String(s) => parse_duration(s).unwrap_or(0),
            Value::Int(n, IntKind::Int64) => *n,
            _ => 0,
        }
    };
    let u = d.unsigned_abs();
    const HOUR: u64 = 3_600_000_000_000;
    const UNITS: [(u64, &str); 6] = [
        (HOUR * 24 * 365, "y"),
        (HOUR * 24 * 30, "mo"),
        (HOUR * 24, "d"),
        (HOUR, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
    ];
    for (size, unit) in UNITS {
        if u > size {
            return format!("{}{unit}", u / size);
        }
    }
    "0s".to_owned()
}

/// `toDate LAYOUT TEXT`: the time in the local zone, or the zero time when it does not
/// parse.
pub fn to_date(env: &dyn Environment, layout: &str, text: &str) -> Value {
    must_to_date(env, layout, text).unwrap_or_else(|_| GoTime::zero().into_value())
}

/// `mustToDate LAYOUT TEXT`.
pub fn must_to_date(env: &dyn Environment, layout: &str, text: &str) -> Result<Value> {
    let local = local(env);
    parse(layout, text, local.clone(), &local)
        .map(GoTime::into_value)
        .map_err(Error::new)
}

/// `unixEpoch DATE`: the Unix seconds as a string.
pub fn unix_epoch(date: &Value) -> Result<String> {
    Ok(time_param(date)?.unix.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::DeterministicEnvironment;

    #[test]
    fn dates_format_in_zones() {
        let env = DeterministicEnvironment::new(1_700_000_000);
        let t = Value::Int(0, IntKind::Int);
        assert_eq!(
            date(&env, "2006-01-02 15:04 MST", &t),
            "1970-01-01 00:00 UTC"
        );
        assert_eq!(
            date_in_zone(&env, "15:04 MST", &t, "America/New_York"),
            "19:00 EST"
        );
        assert_eq!(
            date_in_zone(&env, "15:04 MST", &t, "Nowhere/Else"),
            "00:00 UTC"
        );
        assert_eq!(
            html_date(&env, &Value::Int(86_400, IntKind::Int64)),
            "1970-01-02"
        );
    }

    #[test]
    fn durations_follow_sprig() {
        assert_eq!(duration(&Value::from("95")), "1m35s");
        assert_eq!(duration(&Value::Float(95.0)), "0s");
        let env = DeterministicEnvironment::new(1_700_000_000);
        assert_eq!(duration_round(&env, &Value::from("2h5m")), "2h");
        assert_eq!(duration_round(&env, &Value::from("-49h")), "2d");
        assert_eq!(duration_round(&env, &Value::from("1s")), "0s");
        assert_eq!(round_duration(1_500_000_000, SECOND), 2 * SECOND);
    }

    #[test]
    fn modify_and_epoch() {
        let env = DeterministicEnvironment::new(1_700_000_000);
        let t = must_to_date(&env, "2006-01-02", "2024-01-01").unwrap();
        assert_eq!(unix_epoch(&t).unwrap(), "1704067200");
        let later = date_modify("1h", &t).unwrap();
        assert_eq!(unix_epoch(&later).unwrap(), "1704070800");
        assert_eq!(
            unix_epoch(&date_modify("x", &t).unwrap()).unwrap(),
            "1704067200"
        );
        assert!(must_date_modify("x", &t).is_err());
        let zero = to_date(&env, "2006", "x");
        assert_eq!(unix_epoch(&zero).unwrap(), "-62135596800");
    }
}
