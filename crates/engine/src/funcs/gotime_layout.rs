//! Go's reference-time layouts (`Mon Jan 2 15:04:05 MST 2006`): `nextStdChunk` and
//! `appendFormat` from `time/format.go`. Parsing with them is in `gotime_parse`.
use super::gotime::{GoTime, day_name, month_name};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    Iso8601TZ,
    Iso8601SecondsTZ,
    Iso8601ShortTZ,
    Iso8601ColonTZ,
    Iso8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTz,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    /// `.000` (fixed digits) or `.999` (trailing zeros dropped), with the separator.
    FracSecond0(usize, u8),
    FracSecond9(usize, u8),
}

fn starts_with_lower(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_lowercase)
}

/// `nextStdChunk`: the text before the first layout element, the element, and the rest.
pub(super) fn next_std_chunk(layout: &str) -> (&str, Option<Std>, &str) {
    let l = layout.as_bytes();
    let at = |i: usize, s: &str| l.len() >= i + s.len() && &l[i..i + s.len()] == s.as_bytes();
    for i in 0..l.len() {
        let found = |std: Std, len: usize| Some((&layout[..i], Some(std), &layout[i + len..]));
        let hit = match l[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    found(Std::LongMonth, 7)
                } else if !starts_with_lower(&l[i + 3..]) {
                    found(Std::Month, 3)
                } else {
                    None
                }
            }
            b'M' if at(i, "Mon") => {
                if at(i, "Monday") {
                    found(Std::LongWeekDay, 6)
                } else if !starts_with_lower(&l[i + 3..]) {
                    found(Std::WeekDay, 3)
                } else {
                    None
                }
            }
            b'M' if at(i, "MST") => found(Std::TZ, 3),
            b'0' if l.len() >= i + 2 && (b'1'..=b'6').contains(&l[i + 1]) => {
                let std = [
                    Std::ZeroMonth,
                    Std::ZeroDay,
                    Std::ZeroHour12,
                    Std::ZeroMinute,
                    Std::ZeroSecond,
                    Std::Year,
                ][usize::from(l[i + 1] - b'1')];
                found(std, 2)
            }
            b'0' if at(i, "002") => found(Std::ZeroYearDay, 3),
            b'1' if at(i, "15") => found(Std::Hour, 2),
            b'1' => found(Std::NumMonth, 1),
            b'2' if at(i, "2006") => found(Std::LongYear, 4),
            b'2' => found(Std::Day, 1),
            b'_' if at(i, "_2") => {
                if at(i + 1, "2006") {
                    Some((&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..]))
                } else {
                    found(Std::UnderDay, 2)
                }
            }
            b'_' if at(i, "__2") => found(Std::UnderYearDay, 3),
            b'3' => found(Std::Hour12, 1),
            b'4' => found(Std::Minute, 1),
            b'5' => found(Std::Second, 1),
            b'P' if at(i, "PM") => found(Std::PM, 2),
            b'p' if at(i, "pm") => found(Std::Pm, 2),
            b'-' if at(i, "-070000") => found(Std::NumSecondsTz, 7),
            b'-' if at(i, "-07:00:00") => found(Std::NumColonSecondsTZ, 9),
            b'-' if at(i, "-0700") => found(Std::NumTZ, 5),
            b'-' if at(i, "-07:00") => found(Std::NumColonTZ, 6),
            b'-' if at(i, "-07") => found(Std::NumShortTZ, 3),
            b'Z' if at(i, "Z070000") => found(Std::Iso8601SecondsTZ, 7),
            b'Z' if at(i, "Z07:00:00") => found(Std::Iso8601ColonSecondsTZ, 9),
            b'Z' if at(i, "Z0700") => found(Std::Iso8601TZ, 5),
            b'Z' if at(i, "Z07:00") => found(Std::Iso8601ColonTZ, 6),
            b'Z' if at(i, "Z07") => found(Std::Iso8601ShortTZ, 3),
            b'.' | b',' if i + 1 < l.len() && matches!(l[i + 1], b'0' | b'9') => {
                let ch = l[i + 1];
                let mut j = i + 1;
                while j < l.len() && l[j] == ch {
                    j += 1;
                }
                if j < l.len() && l[j].is_ascii_digit() {
                    None
                } else {
                    let digits = j - (i + 1);
                    let std = if ch == b'0' {
                        Std::FracSecond0(digits, l[i])
                    } else {
                        Std::FracSecond9(digits, l[i])
                    };
                    found(std, j - i)
                }
            }
            _ => None,
        };
        if let Some(hit) = hit {
            return hit;
        }
    }
    (layout, None, "")
}

fn pad(out: &mut String, v: i64, width: usize) {
    if v < 0 {
        out.push('-');
        out.push_str(&format!("{:0width$}", v.unsigned_abs()));
    } else {
        out.push_str(&format!("{v:0width$}"));
    }
}

/// `t.Format(layout)`.
pub fn format(t: &GoTime, layout: &str) -> String {
    let c = t.civil();
    let (name, offset) = t.zone();
    let mut out = String::with_capacity(layout.len() + 10);
    let mut rest = layout;
    loop {
        let (prefix, std, suffix) = next_std_chunk(rest);
        out.push_str(prefix);
        let Some(std) = std else { break };
        rest = suffix;
        match std {
            Std::Year => pad(&mut out, c.year.abs() % 100, 2),
            Std::LongYear => pad(&mut out, c.year, 4),
            Std::Month => out.push_str(&month_name(c.month)[..3]),
            Std::LongMonth => out.push_str(month_name(c.month)),
            Std::NumMonth => pad(&mut out, c.month, 0),
            Std::ZeroMonth => pad(&mut out, c.month, 2),
            Std::WeekDay => out.push_str(&day_name(c.weekday)[..3]),
            Std::LongWeekDay => out.push_str(day_name(c.weekday)),
            Std::Day => pad(&mut out, c.day, 0),
            Std::UnderDay => {
                if c.day < 10 {
                    out.push(' ');
                }
                pad(&mut out, c.day, 0);
            }
            Std::ZeroDay => pad(&mut out, c.day, 2),
            Std::UnderYearDay => {
                if c.yday < 100 {
                    out.push(' ');
                    if c.yday < 10 {
                        out.push(' ');
                    }
                }
                pad(&mut out, c.yday, 0);
            }
            Std::ZeroYearDay => pad(&mut out, c.yday, 3),
            Std::Hour => pad(&mut out, c.hour, 2),
            Std::Hour12 | Std::ZeroHour12 => {
                let hr = match c.hour % 12 {
                    0 => 12,
                    h => h,
                };
                pad(&mut out, hr, if std == Std::Hour12 { 0 } else { 2 });
            }
            Std::Minute => pad(&mut out, c.minute, 0),
            Std::ZeroMinute => pad(&mut out, c.minute, 2),
            Std::Second => pad(&mut out, c.second, 0),
            Std::ZeroSecond => pad(&mut out, c.second, 2),
            Std::PM => out.push_str(if c.hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => out.push_str(if c.hour >= 12 { "pm" } else { "am" }),
            Std::TZ => {
                if name.is_empty() {
                    let zone = offset / 60;
                    out.push(if zone < 0 { '-' } else { '+' });
                    pad(&mut out, i64::from(zone.abs() / 60), 2);
                    pad(&mut out, i64::from(zone.abs() % 60), 2);
                } else {
                    out.push_str(&name);
                }
            }
            Std::FracSecond0(n, sep) | Std::FracSecond9(n, sep) => {
                let trim = matches!(std, Std::FracSecond9(..));
                if trim && (n == 0 || t.nanos == 0) {
                    continue;
                }
                let mut digits = format!("{:09}", t.nanos);
                digits.truncate(n.min(9));
                if trim {
                    let kept = digits.trim_end_matches('0');
                    if kept.is_empty() {
                        continue;
                    }
                    digits = kept.to_owned();
                }
                out.push(char::from(sep));
                out.push_str(&digits);
            }
            numeric_zone => format_zone(&mut out, numeric_zone, offset),
        }
    }
    out
}

fn format_zone(out: &mut String, std: Std, offset: i32) {
    use Std::*;
    let iso = matches!(
        std,
        Iso8601TZ | Iso8601ColonTZ | Iso8601SecondsTZ | Iso8601ShortTZ | Iso8601ColonSecondsTZ
    );
    if offset == 0 && iso {
        out.push('Z');
        return;
    }
    let zone = (offset / 60).abs();
    let abs_offset = offset.abs();
    out.push(if offset < 0 { '-' } else { '+' });
    pad(out, i64::from(zone / 60), 2);
    if matches!(
        std,
        Iso8601ColonTZ | NumColonTZ | Iso8601ColonSecondsTZ | NumColonSecondsTZ
    ) {
        out.push(':');
    }
    if !matches!(std, NumShortTZ | Iso8601ShortTZ) {
        pad(out, i64::from(zone % 60), 2);
    }
    if matches!(
        std,
        Iso8601SecondsTZ | NumSecondsTz | NumColonSecondsTZ | Iso8601ColonSecondsTZ
    ) {
        if matches!(std, NumColonSecondsTZ | Iso8601ColonSecondsTZ) {
            out.push(':');
        }
        pad(out, i64::from(abs_offset % 60), 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::gotime::Location;

    fn utc(unix: i64, nanos: i32) -> GoTime {
        GoTime {
            unix,
            nanos,
            location: Location::utc(),
        }
    }

    #[test]
    fn formats_like_go() {
        let t = utc(1_700_000_000, 123_456_000);
        assert_eq!(
            t.format("2006-01-02T15:04:05Z07:00"),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            t.format("Mon Jan _2 3:04PM .000 .999999999"),
            "Tue Nov 14 10:13PM .123 .123456"
        );
        assert_eq!(t.format("02/01/06 -0700 MST __2"), "14/11/23 +0000 UTC 318");
    }
}
