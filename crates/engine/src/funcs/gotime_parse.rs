//! Go's `time.Parse` and `ParseInLocation` over reference-time layouts: `parse`, `skip`,
//! `getnum`, `parseTimeZone` and friends from `time/format.go`, with Go's `ParseError`
//! texts.
use std::sync::Arc;

use super::goduration::{time_quote, time_quote_bytes};
use super::gotime::{
    GoTime, LONG_DAY_NAMES, LONG_MONTH_NAMES, Location, days_from_civil, days_in, is_leap,
};
use super::gotime_layout::{Std, next_std_chunk};
use super::gotime_scan::{
    SHORT_DAYS, SHORT_MONTHS, digit_at, getnum, getnum3, lookup, parse_nanos, parse_time_zone, skip,
};

/// A parse failure; `Display` is Go's `ParseError.Error()`.
struct ParseFailure {
    layout_elem: String,
    value_elem: Vec<u8>,
    message: String,
}

fn failure(layout_elem: &str, value_elem: &[u8]) -> ParseFailure {
    ParseFailure {
        layout_elem: layout_elem.to_owned(),
        value_elem: value_elem.to_vec(),
        message: String::new(),
    }
}

fn message(msg: String) -> ParseFailure {
    ParseFailure {
        layout_elem: String::new(),
        value_elem: Vec::new(),
        message: msg,
    }
}

/// `time.ParseInLocation(layout, value, loc)` with `local` as `time.Local`.
pub fn parse(
    layout: &str,
    value: &str,
    default_location: Location,
    local: &Location,
) -> Result<GoTime, String> {
    parse_inner(layout, value, default_location, local).map_err(|f| {
        if f.message.is_empty() {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                time_quote(value),
                time_quote(layout),
                time_quote_bytes(&f.value_elem),
                time_quote(&f.layout_elem)
            )
        } else {
            format!("parsing time {}{}", time_quote(value), f.message)
        }
    })
}

#[derive(Default)]
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    yday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nsec: i64,
    am: bool,
    pm: bool,
    utc: bool,
    zone_offset: Option<i64>,
    zone_name: String,
}

fn parse_inner(
    layout: &str,
    value: &str,
    default_location: Location,
    local: &Location,
) -> Result<GoTime, ParseFailure> {
    let mut f = Fields {
        month: -1,
        day: -1,
        yday: -1,
        ..Fields::default()
    };
    let mut layout = layout;
    let mut value = value;
    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        let std_str = &layout[prefix.len()..layout.len() - suffix.len()];
        value = skip(value, prefix).map_err(|rest| failure(prefix, &rest))?;
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(message(format!(": extra text: {}", time_quote(value))));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let mut range_err = "";
        let ok = parse_element(std, layout, &mut value, &mut f, &mut range_err);
        if !range_err.is_empty() {
            return Err(message(format!(": {range_err} out of range")));
        }
        if !ok {
            return Err(failure(std_str, hold.as_bytes()));
        }
    }
    if f.pm && f.hour < 12 {
        f.hour += 12;
    } else if f.am && f.hour == 12 {
        f.hour = 0;
    }
    if f.yday >= 0 {
        let mut yday = f.yday;
        let (mut m, mut d) = (0, 0);
        if is_leap(f.year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(message(": day-of-year out of range".to_owned()));
        }
        if m == 0 {
            const DAYS_BEFORE: [i64; 13] =
                [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
            m = (yday - 1) / 31 + 1;
            if DAYS_BEFORE[m as usize] < yday {
                m += 1;
            }
            d = yday - DAYS_BEFORE[m as usize - 1];
        }
        if f.month >= 0 && f.month != m {
            return Err(message(": day-of-year does not match month".to_owned()));
        }
        f.month = m;
        if f.day >= 0 && f.day != d {
            return Err(message(": day-of-year does not match day".to_owned()));
        }
        f.day = d;
    } else {
        if f.month < 0 {
            f.month = 1;
        }
        if f.day < 0 {
            f.day = 1;
        }
    }
    if f.day < 1 || f.day > days_in(f.month, f.year) {
        return Err(message(": day out of range".to_owned()));
    }
    let fields = [f.year, f.month, f.day, f.hour, f.min, f.sec];
    if f.utc {
        return Ok(GoTime::date(fields, f.nsec, Location::utc()));
    }
    let naive =
        days_from_civil(f.year, f.month, f.day) * 86_400 + f.hour * 3600 + f.min * 60 + f.sec;
    if let Some(offset) = f.zone_offset {
        let unix = naive - offset;
        let (name, local_offset) = local.lookup(unix);
        let location = if i64::from(local_offset) == offset
            && (f.zone_name.is_empty() || name == f.zone_name)
        {
            local.clone()
        } else {
            Location::Fixed {
                name: Arc::from(f.zone_name.as_str()),
                offset: offset as i32,
            }
        };
        return Ok(GoTime {
            unix,
            nanos: f.nsec as i32,
            location,
        });
    }
    if !f.zone_name.is_empty() {
        let (name, local_offset) = local.lookup(naive);
        if name == f.zone_name {
            return Ok(GoTime {
                unix: naive - i64::from(local_offset),
                nanos: f.nsec as i32,
                location: local.clone(),
            });
        }
        let mut offset = 0;
        if f.zone_name.len() > 3 && f.zone_name.starts_with("GMT") {
            offset = f.zone_name[3..].parse::<i64>().unwrap_or(0) * 3600;
        }
        // Go keeps the clock reading as if it were UTC and only labels it with the
        // invented zone.
        return Ok(GoTime {
            unix: naive,
            nanos: f.nsec as i32,
            location: Location::Fixed {
                name: Arc::from(f.zone_name.as_str()),
                offset: offset as i32,
            },
        });
    }
    Ok(GoTime::date(fields, f.nsec, default_location))
}

/// One element of `parse`; false for Go's `errBad`.
fn parse_element(
    std: Std,
    layout_rest: &str,
    value: &mut &str,
    f: &mut Fields,
    range_err: &mut &'static str,
) -> bool {
    let v = *value;
    match std {
        Std::Year => {
            let Some(p) = v.get(..2) else { return false };
            let Ok(year) = p.parse::<i64>() else {
                return false;
            };
            if !p.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            f.year = if year >= 69 { year + 1900 } else { year + 2000 };
            *value = &v[2..];
        }
        Std::LongYear => {
            if v.len() < 4 || !digit_at(v, 0) {
                return false;
            }
            let Some(p) = v.get(..4) else { return false };
            let Ok(year) = super::strconv::atoi(p) else {
                return false;
            };
            f.year = year;
            *value = &v[4..];
        }
        Std::Month | Std::LongMonth => {
            let table = if std == Std::Month {
                &SHORT_MONTHS
            } else {
                &LONG_MONTH_NAMES
            };
            let Some((i, rest)) = lookup(table, v) else {
                return false;
            };
            f.month = i as i64 + 1;
            *value = rest;
        }
        Std::NumMonth | Std::ZeroMonth => {
            let Some((m, rest)) = getnum(v, std == Std::ZeroMonth) else {
                return false;
            };
            if !(1..=12).contains(&m) {
                *range_err = "month";
            }
            f.month = m;
            *value = rest;
        }
        Std::WeekDay | Std::LongWeekDay => {
            let table: &[&str] = if std == Std::WeekDay {
                &SHORT_DAYS
            } else {
                &LONG_DAY_NAMES
            };
            let Some((_, rest)) = lookup(table, v) else {
                return false;
            };
            *value = rest;
        }
        Std::Day | Std::UnderDay | Std::ZeroDay => {
            let v = if std == Std::UnderDay {
                v.strip_prefix(' ').unwrap_or(v)
            } else {
                v
            };
            let Some((d, rest)) = getnum(v, std == Std::ZeroDay) else {
                return false;
            };
            f.day = d;
            *value = rest;
        }
        Std::UnderYearDay | Std::ZeroYearDay => {
            let mut v = v;
            if std == Std::UnderYearDay {
                for _ in 0..2 {
                    v = v.strip_prefix(' ').unwrap_or(v);
                }
            }
            let Some((d, rest)) = getnum3(v, std == Std::ZeroYearDay) else {
                return false;
            };
            f.yday = d;
            *value = rest;
        }
        Std::Hour => {
            let Some((h, rest)) = getnum(v, false) else {
                return false;
            };
            if !(0..24).contains(&h) {
                *range_err = "hour";
            }
            f.hour = h;
            *value = rest;
        }
        Std::Hour12 | Std::ZeroHour12 => {
            let Some((h, rest)) = getnum(v, std == Std::ZeroHour12) else {
                return false;
            };
            if !(0..=12).contains(&h) {
                *range_err = "hour";
            }
            f.hour = h;
            *value = rest;
        }
        Std::Minute | Std::ZeroMinute => {
            let Some((m, rest)) = getnum(v, std == Std::ZeroMinute) else {
                return false;
            };
            if !(0..60).contains(&m) {
                *range_err = "minute";
            }
            f.min = m;
            *value = rest;
        }
        Std::Second | Std::ZeroSecond => {
            let Some((s, rest)) = getnum(v, std == Std::ZeroSecond) else {
                return false;
            };
            f.sec = s;
            *value = rest;
            if !(0..60).contains(&s) {
                *range_err = "second";
                return true;
            }
            let r = *value;
            if r.len() >= 2 && matches!(r.as_bytes()[0], b'.' | b',') && digit_at(r, 1) {
                let (_, next, _) = next_std_chunk(layout_rest);
                if matches!(next, Some(Std::FracSecond0(..) | Std::FracSecond9(..))) {
                    return true;
                }
                let n = 2 + r[2..].bytes().take_while(u8::is_ascii_digit).count();
                let Some(ns) = parse_nanos(r, n) else {
                    return false;
                };
                f.nsec = ns;
                *value = &r[n..];
            }
        }
        Std::PM | Std::Pm => {
            let Some(p) = v.get(..2) else { return false };
            let (am, pm) = if std == Std::PM {
                ("AM", "PM")
            } else {
                ("am", "pm")
            };
            if p == pm {
                f.pm = true;
            } else if p == am {
                f.am = true;
            } else {
                return false;
            }
            *value = &v[2..];
        }
        Std::TZ => {
            if let Some(rest) = v.strip_prefix("UTC") {
                f.utc = true;
                *value = rest;
                return true;
            }
            let Some(n) = parse_time_zone(v) else {
                return false;
            };
            f.zone_name = v[..n].to_owned();
            *value = &v[n..];
        }
        Std::FracSecond0(n, _) => {
            let ndigit = 1 + n;
            if v.len() < ndigit {
                return false;
            }
            let Some(ns) = parse_nanos(v, ndigit) else {
                return false;
            };
            f.nsec = ns;
            *value = &v[ndigit..];
        }
        Std::FracSecond9(..) => {
            let b = v.as_bytes();
            if b.len() < 2 || !matches!(b[0], b'.' | b',') || !b[1].is_ascii_digit() {
                return true;
            }
            let i = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let Some(ns) = parse_nanos(v, 1 + i) else {
                return false;
            };
            f.nsec = ns;
            *value = &v[1 + i..];
        }
        zone => return parse_numeric_zone(zone, value, f, range_err),
    }
    true
}

fn parse_numeric_zone(
    std: Std,
    value: &mut &str,
    f: &mut Fields,
    range_err: &mut &'static str,
) -> bool {
    use Std::*;
    let v = *value;
    let iso = matches!(
        std,
        Iso8601TZ | Iso8601ShortTZ | Iso8601ColonTZ | Iso8601SecondsTZ | Iso8601ColonSecondsTZ
    );
    if iso && v.starts_with('Z') {
        *value = &v[1..];
        f.utc = true;
        return true;
    }
    let b = v.as_bytes();
    let (sign, hr, mm, ss, consumed) = match std {
        Iso8601TZ | NumTZ => {
            if b.len() < 5 || b[3] == b':' {
                return false;
            }
            (b[0], &v[1..3], &v[3..5], "00", 5)
        }
        NumShortTZ | Iso8601ShortTZ => {
            if b.len() < 3 {
                return false;
            }
            (b[0], &v[1..3], "00", "00", 3)
        }
        Iso8601ColonTZ | NumColonTZ => {
            if b.len() < 6 || b[3] != b':' {
                return false;
            }
            (b[0], &v[1..3], &v[4..6], "00", 6)
        }
        NumColonSecondsTZ | Iso8601ColonSecondsTZ => {
            if b.len() < 9 || b[3] != b':' || b[6] != b':' {
                return false;
            }
            (b[0], &v[1..3], &v[4..6], &v[7..9], 9)
        }
        _ => {
            if b.len() < 7 || b[3] == b':' || b[5] == b':' {
                return false;
            }
            (b[0], &v[1..3], &v[3..5], &v[5..7], 7)
        }
    };
    let (Some((h, _)), Some((m, _)), Some((s, _))) =
        (getnum(hr, true), getnum(mm, true), getnum(ss, true))
    else {
        return false;
    };
    if h > 24 {
        *range_err = "time zone offset hour";
    }
    if m > 60 {
        *range_err = "time zone offset minute";
    }
    if s > 60 {
        *range_err = "time zone offset second";
    }
    let offset = (h * 60 + m) * 60 + s;
    f.zone_offset = Some(match sign {
        b'+' => offset,
        b'-' => -offset,
        _ => return false,
    });
    *value = &v[consumed..];
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_go() {
        let utc_loc = Location::utc();
        let t = parse("2006-01-02", "2024-02-29", Location::utc(), &utc_loc).unwrap();
        assert_eq!(t.unix, 1_709_164_800);
        let t = parse(
            "2006-01-02T15:04:05Z07:00",
            "2024-01-02T03:04:05+01:00",
            Location::utc(),
            &utc_loc,
        )
        .unwrap();
        assert_eq!(t.format("15:04 -07:00"), "03:04 +01:00");
        assert_eq!(
            parse("2006-01-02", "2024-13-01", Location::utc(), &utc_loc).unwrap_err(),
            "parsing time \"2024-13-01\": month out of range"
        );
        assert_eq!(
            parse("2006-01-02", "x", Location::utc(), &utc_loc).unwrap_err(),
            "parsing time \"x\" as \"2006-01-02\": cannot parse \"x\" as \"2006\""
        );
        assert_eq!(
            parse("2006", "2024x", Location::utc(), &utc_loc).unwrap_err(),
            "parsing time \"2024x\": extra text: \"x\""
        );
    }
}
