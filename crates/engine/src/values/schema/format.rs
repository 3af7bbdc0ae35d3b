//! santhosh-tekuri/jsonschema's format checkers (`format.go`), with their reasons, for the
//! formats whose checks need no more of Go's library than `strconv`, `net/netip` and
//! `time.Parse` of a date. The URI formats and `regex` are left to the crate's checkers;
//! their reasons are not reproduced.
use super::netip::parse_addr;
use crate::gofmt;
use crate::values::scan::atoi;

/// A format check: `Err` holds the reason the library gives.
pub(super) type Check = fn(&str) -> Result<(), String>;

/// The formats checked here, by name.
pub(super) const CHECKS: &[(&str, Check)] = &[
    ("json-pointer", json_pointer),
    ("relative-json-pointer", relative_json_pointer),
    ("uuid", uuid),
    ("duration", duration),
    ("period", period),
    ("ipv4", ipv4),
    ("ipv6", ipv6),
    ("hostname", hostname),
    ("email", email),
    ("date", date),
    ("time", time),
    ("date-time", date_time),
    ("semver", semver),
];

/// The library's check of `format` on `s`; formats it does not know pass.
pub(super) fn check(format: &str, s: &str) -> Result<(), String> {
    CHECKS
        .iter()
        .find(|(name, _)| *name == format)
        .map_or(Ok(()), |(_, check)| check(s))
}

/// Go's `%q` of a rune.
fn quote_char(c: char) -> String {
    gofmt::quote_rune(i64::from(u32::from(c)))
}

/// Go's `%q` of a byte (an `int` to `fmt`, so quoted as the rune of that value).
fn quote_byte(b: u8) -> String {
    gofmt::quote_rune(i64::from(b))
}

fn json_pointer(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    let Some(rest) = s.strip_prefix('/') else {
        return Err("not starting with /".to_owned());
    };
    for token in rest.split('/') {
        let mut escape = false;
        for c in token.chars() {
            if escape {
                escape = false;
                if c != '0' && c != '1' {
                    return Err("~ must be followed by 0 or 1".to_owned());
                }
                continue;
            }
            if c == '~' {
                escape = true;
            }
        }
        if escape {
            return Err("~ must be followed by 0 or 1".to_owned());
        }
    }
    Ok(())
}

fn relative_json_pointer(s: &str) -> Result<(), String> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err("must start with non-negative integer".to_owned());
    }
    if digits > 1 && s.starts_with('0') {
        return Err("starts with zero".to_owned());
    }
    match &s[digits..] {
        "#" => Ok(()),
        rest => json_pointer(rest),
    }
}

fn uuid(s: &str) -> Result<(), String> {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = s.split('-').collect();
    if groups.len() != GROUPS.len() {
        return Err(format!("must have {} elements", GROUPS.len()));
    }
    for (i, (group, want)) in groups.iter().zip(GROUPS).enumerate() {
        if group.len() != want {
            return Err(format!("element {} must be {want} characters long", i + 1));
        }
        if let Some(c) = group.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(format!("non-hex character {}", quote_char(c)));
        }
    }
    Ok(())
}

fn duration(s: &str) -> Result<(), String> {
    let Some(s) = s.strip_prefix('P') else {
        return Err("must start with P".to_owned());
    };
    if s.is_empty() {
        return Err("nothing after P".to_owned());
    }
    if let Some(weeks) = s.strip_suffix('W') {
        if weeks.is_empty() {
            return Err("no number in week".to_owned());
        }
        if !weeks.bytes().all(|b| b.is_ascii_digit()) {
            return Err("invalid week".to_owned());
        }
        return Ok(());
    }
    const ALL_UNITS: [&str; 2] = ["YMD", "HMS"];
    for (i, part) in s.split('T').enumerate() {
        if i != 0 && part.is_empty() {
            return Err("no time elements".to_owned());
        }
        let Some(all) = ALL_UNITS.get(i) else {
            return Err("more than one T".to_owned());
        };
        let mut units = *all;
        let mut rest = part;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err("missing number".to_owned());
            }
            rest = &rest[digits..];
            let Some(&unit) = rest.as_bytes().first() else {
                return Err("missing unit".to_owned());
            };
            let Some(j) = units.bytes().position(|u| u == unit) else {
                if all.bytes().any(|u| u == unit) {
                    return Err(format!("unit {} out of order", quote_byte(unit)));
                }
                return Err(format!("invalid unit {}", quote_byte(unit)));
            };
            units = &units[j + 1..];
            rest = &rest[1..];
        }
    }
    Ok(())
}

fn period(s: &str) -> Result<(), String> {
    let Some((start, end)) = s.split_once('/') else {
        return Err("missing slash".to_owned());
    };
    let wrap = |what: &str, r: Result<(), String>| r.map_err(|e| format!("invalid {what}: {e}"));
    if start.starts_with('P') {
        wrap("start duration", duration(start))?;
        wrap("end date-time", date_time(end))
    } else {
        wrap("start date-time", date_time(start))?;
        if end.starts_with('P') {
            wrap("end duration", duration(end))
        } else {
            wrap("end date-time", date_time(end))
        }
    }
}

fn ipv4(s: &str) -> Result<(), String> {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Err("expected four decimals".to_owned());
    }
    for group in groups {
        if group.len() > 1 && group.starts_with('0') {
            return Err("leading zeros".to_owned());
        }
        let n = atoi(group)?;
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".to_owned());
        }
    }
    Ok(())
}

fn ipv6(s: &str) -> Result<(), String> {
    if !s.contains(':') {
        return Err("missing colon".to_owned());
    }
    if parse_addr(s)?.has_zone {
        return Err("zone id is not a part of ipv6 address".to_owned());
    }
    Ok(())
}

fn hostname(s: &str) -> Result<(), String> {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return Err("more than 253 characters long".to_owned());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("label must be 1 to 63 characters long".to_owned());
        }
        if label.starts_with('-') {
            return Err("label starts with hyphen".to_owned());
        }
        if label.ends_with('-') {
            return Err("label ends with hyphen".to_owned());
        }
        if let Some(c) = label
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
        {
            return Err(format!("invalid character {}", quote_char(c)));
        }
    }
    Ok(())
}

fn email(s: &str) -> Result<(), String> {
    if s.len() > 254 {
        return Err("more than 255 characters long".to_owned());
    }
    let Some(at) = s.rfind('@') else {
        return Err("missing @".to_owned());
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return Err("local part more than 64 characters long".to_owned());
    }
    if local.len() > 1 && local.starts_with('"') && local.ends_with('"') {
        let quoted = &local[1..local.len() - 1];
        if quoted.contains(['\\', '"']) {
            return Err("backslash and quote are not allowed within quoted local part".to_owned());
        }
    } else {
        if local.starts_with('.') {
            return Err("starts with dot".to_owned());
        }
        if local.ends_with('.') {
            return Err("ends with dot".to_owned());
        }
        if local.contains("..") {
            return Err("consecutive dots".to_owned());
        }
        const SPECIALS: &str = ".!#$%&'*+-/=?^_`{|}~";
        if let Some(c) = local
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && !SPECIALS.contains(*c))
        {
            return Err(format!("invalid character {}", quote_char(c)));
        }
    }
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        if let Some(address) = literal.strip_prefix("IPv6:") {
            return ipv6(address).map_err(|e| format!("invalid ipv6 address: {e}"));
        }
        return ipv4(literal).map_err(|e| format!("invalid ipv4 address: {e}"));
    }
    hostname(domain).map_err(|e| format!("invalid domain: {e}"))
}

/// `time.Parse("2006-01-02", s)`, with the text of Go's `*time.ParseError`.
fn date(s: &str) -> Result<(), String> {
    const LAYOUT: &str = "2006-01-02";
    let cannot = |value: &str, element: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            time_quote(s),
            time_quote(LAYOUT),
            time_quote(value),
            time_quote(element)
        )
    };
    let message = |text: &str| format!("parsing time {}{text}", time_quote(s));
    let bytes = s.as_bytes();
    if bytes.len() < 4 || !bytes[..4].iter().all(u8::is_ascii_digit) {
        return Err(cannot(s, "2006"));
    }
    let year = atoi(&s[..4]).unwrap_or_default();
    let mut rest = &s[4..];
    let mut numbers = [0i64; 2];
    for (i, element) in ["01", "02"].into_iter().enumerate() {
        let Some(after) = rest.strip_prefix('-') else {
            return Err(cannot(rest, "-"));
        };
        let digits = after.as_bytes();
        if digits.len() < 2 || !digits[0].is_ascii_digit() || !digits[1].is_ascii_digit() {
            return Err(cannot(after, element));
        }
        numbers[i] = i64::from(digits[0] - b'0') * 10 + i64::from(digits[1] - b'0');
        if i == 0 && !(1..=12).contains(&numbers[0]) {
            return Err(message(": month out of range"));
        }
        rest = &after[2..];
    }
    if !rest.is_empty() {
        return Err(message(&format!(": extra text: {}", time_quote(rest))));
    }
    let [month, day] = numbers;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > days_in_month {
        return Err(message(": day out of range"));
    }
    Ok(())
}

/// The `time` package's own `quote`: non-ASCII and control bytes as `\x..`.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii() && c >= ' ' {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
    }
    out.push('"');
    out
}

fn time(s: &str) -> Result<(), String> {
    let bytes = s.as_bytes();
    if bytes.len() < 9 {
        return Err("less than 9 characters long".to_owned());
    }
    if bytes[2] != b':' || bytes[5] != b':' {
        return Err("missing colon in correct place".to_owned());
    }
    let mut hms = [0i64; 3];
    for (slot, token) in hms.iter_mut().zip(s[..8].splitn(3, ':')) {
        let n = atoi(token).map_err(|_| "invalid hour/min/sec".to_owned())?;
        if n < 0 {
            return Err("non-positive hour/min/sec".to_owned());
        }
        *slot = n;
    }
    let [mut h, mut m, sec] = hms;
    if h > 23 || m > 59 || sec > 60 {
        return Err("hour/min/sec out of range".to_owned());
    }
    let mut rest = &s[8..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err("no digits in second fraction".to_owned());
        }
        rest = &fraction[digits..];
    }
    if rest != "z" && rest != "Z" {
        let offset = rest.as_bytes();
        if offset.len() != 6 {
            return Err("offset must be 6 characters long".to_owned());
        }
        let sign = match offset[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return Err("offset must begin with plus/minus".to_owned()),
        };
        if offset[3] != b':' {
            return Err("missing colon in offset in correct place".to_owned());
        }
        let mut zone = [0i64; 2];
        for (slot, token) in zone.iter_mut().zip(rest[1..].splitn(2, ':')) {
            let n = atoi(token).map_err(|_| "invalid hour/min in offset".to_owned())?;
            if n < 0 {
                return Err("non-positive hour/min in offset".to_owned());
            }
            *slot = n;
        }
        let [zh, zm] = zone;
        if zh > 23 || zm > 59 {
            return Err("hour/min in offset out of range".to_owned());
        }
        let mut minutes = h * 60 + m + sign * (zh * 60 + zm);
        if minutes < 0 {
            minutes += 24 * 60;
        }
        (h, m) = (minutes / 60, minutes % 60);
    }
    if sec >= 60 && (h != 23 || m != 59) {
        return Err("invalid leap second".to_owned());
    }
    Ok(())
}

fn date_time(s: &str) -> Result<(), String> {
    let bytes = s.as_bytes();
    if bytes.len() < 20 {
        return Err("less than 20 characters long".to_owned());
    }
    if bytes[10] != b't' && bytes[10] != b'T' {
        return Err("11th character must be t or T".to_owned());
    }
    // Bytes 10 is ASCII, so both halves are whole characters.
    date(&s[..10]).map_err(|e| format!("invalid date element: {e}"))?;
    time(&s[11..]).map_err(|e| format!("invalid time element: {e}"))
}

fn semver(s: &str) -> Result<(), String> {
    let identifier_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let mut s = s;
    if let Some((core, build)) = s.split_once('+') {
        if build.is_empty() {
            return Err("build is empty".to_owned());
        }
        for id in build.split('.') {
            if id.is_empty() {
                return Err("build identifier is empty".to_owned());
            }
            if let Some(c) = id.chars().find(|c| !identifier_char(*c)) {
                return Err(format!(
                    "invalid character {} in build identifier",
                    quote_char(c)
                ));
            }
        }
        s = core;
    }
    if let Some((core, pre_release)) = s.split_once('-') {
        for id in pre_release.split('.') {
            if id.is_empty() {
                return Err("pre-release identifier is empty".to_owned());
            }
            if let Some(c) = id.chars().find(|c| !identifier_char(*c)) {
                return Err(format!(
                    "invalid character {} in pre-release identifier",
                    quote_char(c)
                ));
            }
            if id.bytes().all(|b| b.is_ascii_digit()) && id.len() > 1 && id.starts_with('0') {
                return Err("pre-release numeric identifier starts with zero".to_owned());
            }
        }
        s = core;
    }
    let versions: Vec<&str> = s.split('.').collect();
    if versions.len() != 3 {
        return Err("versionCore must have 3 numbers separated by dot".to_owned());
    }
    for (name, version) in ["major", "minor", "patch"].into_iter().zip(versions) {
        if version.is_empty() {
            return Err(format!("{name} is empty"));
        }
        if version.len() > 1 && version.starts_with('0') {
            return Err(format!("{name} starts with zero"));
        }
        if !version.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{name} contains non-digit"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_fail_like_time_parse() {
        assert_eq!(
            date("x").unwrap_err(),
            r#"parsing time "x" as "2006-01-02": cannot parse "x" as "2006""#
        );
        assert_eq!(
            date("2020-13-01").unwrap_err(),
            r#"parsing time "2020-13-01": month out of range"#
        );
        assert_eq!(
            date("2021-02-29").unwrap_err(),
            r#"parsing time "2021-02-29": day out of range"#
        );
        assert_eq!(
            date("2020-01-011").unwrap_err(),
            r#"parsing time "2020-01-011": extra text: "1""#
        );
        assert!(date("2020-02-29").is_ok());
    }

    #[test]
    fn times_and_date_times() {
        assert!(date_time("2020-01-01T10:00:00Z").is_ok());
        assert!(date_time("2020-01-01t10:00:00.5+01:00").is_ok());
        assert_eq!(time("23:59:60+01:00").unwrap_err(), "invalid leap second");
        assert_eq!(
            date_time("2020-01-01 10:00:00Z").unwrap_err(),
            "11th character must be t or T"
        );
    }

    #[test]
    fn emails_and_hosts() {
        assert_eq!(email("x").unwrap_err(), "missing @");
        assert_eq!(
            email("a@-b").unwrap_err(),
            "invalid domain: label starts with hyphen"
        );
        assert_eq!(
            email("a@[1.2.3]").unwrap_err(),
            "invalid ipv4 address: expected four decimals"
        );
        assert_eq!(
            ipv4("1.2.3.x").unwrap_err(),
            r#"strconv.Atoi: parsing "x": invalid syntax"#
        );
        assert!(email("first.last@example.com").is_ok());
    }
}
