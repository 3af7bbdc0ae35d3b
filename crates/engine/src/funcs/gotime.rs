//! Go's `time.Time` as templates see it: instants in a location, civil fields, and the
//! host object `now` and `toDate` return. Layouts are in `gotime_layout` and
//! `gotime_parse`, durations in `goduration`.
//!
//! Instants and zone rules come from jiff (with its bundled time zone database); calendar
//! arithmetic and every text follow Go.
use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::Object;
use crate::value::{IntKind, Value};

use super::goduration::as_duration;

const NANOS_PER_SECOND: i64 = 1_000_000_000;
/// Seconds from 0001-01-01 (Go's zero time) to the Unix epoch.
const ZERO_TIME_UNIX: i64 = -62_135_596_800;

pub(super) const LONG_DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(super) const LONG_MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A Go `time.Time`: an instant (Unix seconds and nanoseconds) and a location.
#[derive(Clone, Debug)]
pub struct GoTime {
    pub unix: i64,
    pub nanos: i32,
    pub location: Location,
}

/// A Go `*time.Location`: a zone of the database, or a fixed zone with Go's own name.
#[derive(Clone, Debug)]
pub enum Location {
    Zone(TimeZone),
    Fixed { name: Arc<str>, offset: i32 },
}

impl Location {
    pub fn utc() -> Location {
        Location::Zone(TimeZone::UTC)
    }

    /// The zone's abbreviation and UTC offset in seconds at an instant.
    pub fn lookup(&self, unix: i64) -> (String, i32) {
        match self {
            Location::Fixed { name, offset } => (name.to_string(), *offset),
            Location::Zone(tz) => match Timestamp::from_second(unix) {
                Ok(ts) => {
                    let info = tz.to_offset_info(ts);
                    (info.abbreviation().to_owned(), info.offset().seconds())
                }
                Err(_) => ("UTC".to_owned(), 0),
            },
        }
    }
}

/// The civil fields of an instant in its zone.
pub struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub weekday: usize,
    pub yday: i64,
}

/// Days since the Unix epoch to (year, month, day): Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) to days since the Unix epoch: Hinnant's `days_from_civil`.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl GoTime {
    /// Go's zero `time.Time`: January 1, year 1, 00:00:00 UTC.
    pub fn zero() -> GoTime {
        GoTime {
            unix: ZERO_TIME_UNIX,
            nanos: 0,
            location: Location::utc(),
        }
    }

    pub fn from_timestamp(ts: Timestamp, location: Location) -> GoTime {
        GoTime {
            unix: ts.as_second(),
            nanos: ts.subsec_nanosecond(),
            location,
        }
    }

    /// Go's `Date(year, month, day, hour, min, sec, nsec, loc)` for in-range fields.
    pub fn date(fields: [i64; 6], nsec: i64, location: Location) -> GoTime {
        let [year, month, day, hour, minute, second] = fields;
        let naive = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
        let (_, offset) = location.lookup(naive);
        let mut unix = naive - i64::from(offset);
        let (_, corrected) = location.lookup(unix);
        if corrected != offset {
            unix = naive - i64::from(corrected);
        }
        GoTime {
            unix,
            nanos: nsec as i32,
            location,
        }
    }

    pub fn zone(&self) -> (String, i32) {
        self.location.lookup(self.unix)
    }

    pub fn civil(&self) -> Civil {
        let (_, offset) = self.zone();
        let local = self.unix.saturating_add(i64::from(offset));
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs % 3600 / 60,
            second: secs % 60,
            // 1970-01-01 was a Thursday.
            weekday: (days + 4).rem_euclid(7) as usize,
            yday: days - days_from_civil(year, 1, 1) + 1,
        }
    }

    pub fn in_location(&self, location: Location) -> GoTime {
        GoTime {
            location,
            ..self.clone()
        }
    }

    /// `t.Add(d)`.
    pub fn add(&self, duration: i64) -> GoTime {
        let total = i128::from(self.nanos) + i128::from(duration % NANOS_PER_SECOND);
        let carry = total.div_euclid(i128::from(NANOS_PER_SECOND)) as i64;
        GoTime {
            unix: self
                .unix
                .saturating_add(duration / NANOS_PER_SECOND)
                .saturating_add(carry),
            nanos: total.rem_euclid(i128::from(NANOS_PER_SECOND)) as i32,
            location: self.location.clone(),
        }
    }

    /// `t.Sub(u)`, saturating as Go's does.
    pub fn sub(&self, other: &GoTime) -> i64 {
        let nanos = (i128::from(self.unix) - i128::from(other.unix)) * 1_000_000_000
            + i128::from(self.nanos - other.nanos);
        nanos.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// `t.Format(layout)`.
    pub fn format(&self, layout: &str) -> String {
        super::gotime_layout::format(self, layout)
    }

    /// `t.String()`.
    pub fn go_string(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    pub fn is_zero(&self) -> bool {
        self.unix == ZERO_TIME_UNIX && self.nanos == 0
    }

    pub fn into_value(self) -> Value {
        Value::Object(Arc::new(TimeObject(self)))
    }
}

/// The month name of a 1-based month.
pub fn month_name(month: i64) -> &'static str {
    LONG_MONTH_NAMES[((month - 1).rem_euclid(12)) as usize]
}

pub fn day_name(weekday: usize) -> &'static str {
    LONG_DAY_NAMES[weekday % 7]
}

/// A `time.Time` host object.
#[derive(Debug)]
pub struct TimeObject(pub GoTime);

/// The time inside a `time.Time` value.
pub fn as_time(v: &Value) -> Option<&GoTime> {
    match v {
        Value::Object(o) => o
            .as_any()
            .and_then(|a| a.downcast_ref::<TimeObject>())
            .map(|t| &t.0),
        _ => None,
    }
}

impl Object for TimeObject {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let t = &self.0;
        let int = |i: i64| Ok(Value::int(i));
        Some(match (name, args) {
            ("Format", [Value::String(layout)]) => Ok(Value::from(t.format(layout))),
            ("Unix", []) => Ok(Value::Int(t.unix, IntKind::Int64)),
            ("UnixMilli", []) => Ok(Value::Int(
                t.unix
                    .wrapping_mul(1000)
                    .wrapping_add(i64::from(t.nanos) / 1_000_000),
                IntKind::Int64,
            )),
            ("UnixNano", []) => Ok(Value::Int(
                t.unix
                    .wrapping_mul(NANOS_PER_SECOND)
                    .wrapping_add(i64::from(t.nanos)),
                IntKind::Int64,
            )),
            ("Year", []) => int(t.civil().year),
            ("Month", []) => Ok(Value::from(month_name(t.civil().month))),
            ("Day", []) => int(t.civil().day),
            ("Hour", []) => int(t.civil().hour),
            ("Minute", []) => int(t.civil().minute),
            ("Second", []) => int(t.civil().second),
            ("Nanosecond", []) => int(i64::from(t.nanos)),
            ("YearDay", []) => int(t.civil().yday),
            ("Weekday", []) => Ok(Value::from(day_name(t.civil().weekday))),
            ("UTC", []) => Ok(t.in_location(Location::utc()).into_value()),
            ("String", []) => Ok(Value::from(t.go_string())),
            ("IsZero", []) => Ok(Value::Bool(t.is_zero())),
            ("Add", [d]) => match as_duration(d) {
                Some(d) => Ok(t.add(d).into_value()),
                None => Err(format!(
                    "wrong type for value; expected time.Duration; got {}",
                    d.type_name()
                )),
            },
            ("Format" | "Add", _) => Err(format!(
                "wrong number of args for {name}: want 1 got {}",
                args.len()
            )),
            _ => return None,
        })
    }

    fn is_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Format"
                | "Unix"
                | "UnixMilli"
                | "UnixNano"
                | "Year"
                | "Month"
                | "Day"
                | "Hour"
                | "Minute"
                | "Second"
                | "Nanosecond"
                | "YearDay"
                | "Weekday"
                | "UTC"
                | "String"
                | "IsZero"
                | "Add"
        )
    }

    fn go_string(&self) -> String {
        self.0.go_string()
    }

    /// `time.Time` marshals to JSON as RFC 3339 with nanoseconds.
    fn to_data(&self) -> Option<Value> {
        Some(Value::from(
            self.0.format("2006-01-02T15:04:05.999999999Z07:00"),
        ))
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        let t = GoTime::zero();
        assert_eq!(t.go_string(), "0001-01-01 00:00:00 +0000 UTC");
    }
}
