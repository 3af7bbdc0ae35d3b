//! yaml.v2's `resolve`: what an untagged plain scalar means (YAML 1.1 booleans, Go's integer
//! and float syntax, nulls, timestamps), and the Go `strconv` and `time.Parse` rules it
//! relies on.

/// A scalar as yaml.v2 decodes it into `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str,
    /// A timestamp: kept as its text when decoded into `interface{}`.
    Timestamp,
    Merge,
}

/// The tags yaml.v2 resolves; any other tag leaves the text a string.
pub(crate) const STR_TAG: &str = "tag:yaml.org,2002:str";
pub(crate) const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
pub(crate) const INT_TAG: &str = "tag:yaml.org,2002:int";
pub(crate) const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
pub(crate) const NULL_TAG: &str = "tag:yaml.org,2002:null";
pub(crate) const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
pub(crate) const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
pub(crate) const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

pub(crate) fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

fn lookup(s: &str) -> Option<Resolved> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        "<<" => Resolved::Merge,
        _ => return None,
    })
}

/// The tag a resolved value carries.
pub(crate) fn tag_of(r: &Resolved) -> &'static str {
    match r {
        Resolved::Null => NULL_TAG,
        Resolved::Bool(_) => BOOL_TAG,
        Resolved::Int(_) | Resolved::Uint(_) => INT_TAG,
        Resolved::Float(_) => FLOAT_TAG,
        Resolved::Str => STR_TAG,
        Resolved::Timestamp => TIMESTAMP_TAG,
        Resolved::Merge => MERGE_TAG,
    }
}

/// `resolve(tag, in)` for `tag` empty or one of the resolvable tags: the value the text
/// stands for. Unresolvable tags must be handled by the caller.
pub(crate) fn resolve(tag: &str, text: &str) -> Resolved {
    let hint = match text.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 || tag == STR_TAG || tag == BINARY_TAG {
        return Resolved::Str;
    }
    if let Some(r) = lookup(text) {
        return r;
    }
    match hint {
        b'.' => {
            if let Some(f) = parse_decimal_float(text) {
                return Resolved::Float(f);
            }
        }
        b'D' | b'S' => {
            if (tag.is_empty() || tag == TIMESTAMP_TAG) && is_timestamp(text) {
                return Resolved::Timestamp;
            }
            let plain: String = text.chars().filter(|&c| c != '_').collect();
            if let Some(i) = parse_int(&plain) {
                return Resolved::Int(i);
            }
            if let Some(u) = parse_uint(&plain) {
                return Resolved::Uint(u);
            }
            if is_yaml_style_float(&plain)
                && let Some(f) = parse_decimal_float(&plain)
            {
                return Resolved::Float(f);
            }
        }
        _ => {}
    }
    Resolved::Str
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat(s, 64)` for decimal text; `None` for syntax and range errors.
pub(crate) fn parse_decimal_float(s: &str) -> Option<f64> {
    let cleaned;
    let s = if s.contains('_') {
        if !underscore_ok(s) {
            return None;
        }
        cleaned = s.replace('_', "");
        cleaned.as_str()
    } else {
        s
    };
    // Go accepts "inf", "infinity" and "nan" spellings but never with a leading dot or
    // digit, the only shapes that reach here; Rust's parser would accept them too.
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Go's `underscoreOK`: underscores only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    if matches!(b.first(), Some(b'+' | b'-')) {
        b = &b[1..];
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, 0, 64)` for text without underscores.
pub(crate) fn parse_uint(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (base, digits): (u32, &[u8]) = if b[0] == b'0' {
        match b.get(1).map(u8::to_ascii_lowercase) {
            Some(b'b') if b.len() >= 3 => (2, &b[2..]),
            Some(b'o') if b.len() >= 3 => (8, &b[2..]),
            Some(b'x') if b.len() >= 3 => (16, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = char::from(c).to_digit(base)?;
        n = n.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// `strconv.ParseInt(s, 0, 64)` for text without underscores.
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = parse_uint(rest)?;
    if negative {
        if magnitude > 1u64 << 63 {
            return None;
        }
        Some((magnitude as i64).wrapping_neg())
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// yaml.v2's `parseTimestamp`: the text starts with a four-digit year and a dash, and
/// `time.Parse` accepts it with one of the layouts yaml.v2 tries.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let year_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year_digits != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    const LAYOUTS: [&[Chunk]; 4] = [
        &[Chunk::Date, Chunk::Lit(b'T'), Chunk::Time, Chunk::Zone],
        &[Chunk::Date, Chunk::Lit(b't'), Chunk::Time, Chunk::Zone],
        &[Chunk::Date, Chunk::Space, Chunk::Time],
        &[Chunk::Date],
    ];
    LAYOUTS.iter().any(|layout| matches_layout(b, layout))
}

#[derive(Clone, Copy)]
enum Chunk {
    /// `2006-1-2`
    Date,
    /// `15:4:5.999999999`
    Time,
    /// `Z07:00`
    Zone,
    Lit(u8),
    /// One or more spaces, as a space in a Go layout matches.
    Space,
}

/// Go's `getnum(s, false)`: one or two digits.
fn get_num(b: &[u8]) -> Option<(u32, &[u8])> {
    let first = char::from(*b.first()?).to_digit(10)?;
    match b.get(1).and_then(|&c| char::from(c).to_digit(10)) {
        Some(second) => Some((first * 10 + second, &b[2..])),
        None => Some((first, &b[1..])),
    }
}

fn literal(b: &[u8], c: u8) -> Option<&[u8]> {
    (b.first() == Some(&c)).then(|| &b[1..])
}

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn matches_layout(mut b: &[u8], layout: &[Chunk]) -> bool {
    for chunk in layout {
        let rest = match chunk {
            Chunk::Date => date(b),
            Chunk::Time => time(b),
            Chunk::Zone => zone(b),
            Chunk::Lit(c) => literal(b, *c),
            Chunk::Space => (b.first() == Some(&b' ')).then(|| {
                let spaces = b.iter().take_while(|&&c| c == b' ').count();
                &b[spaces..]
            }),
        };
        match rest {
            Some(rest) => b = rest,
            None => return false,
        }
    }
    b.is_empty()
}

fn date(b: &[u8]) -> Option<&[u8]> {
    let year_text = std::str::from_utf8(b.get(..4)?).ok()?;
    let year: i64 = year_text.parse().ok()?;
    let b = literal(&b[4..], b'-')?;
    let (month, b) = get_num(b)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let b = literal(b, b'-')?;
    let (day, b) = get_num(b)?;
    if day < 1 || day > days_in(month, year) {
        return None;
    }
    Some(b)
}

fn time(b: &[u8]) -> Option<&[u8]> {
    let (hour, b) = get_num(b)?;
    let b = literal(b, b':')?;
    let (minute, b) = get_num(b)?;
    let b = literal(b, b':')?;
    let (second, mut b) = get_num(b)?;
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    // An optional fraction: a comma or period and any number of digits.
    if b.len() >= 2 && matches!(b[0], b'.' | b',') && b[1].is_ascii_digit() {
        let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        b = &b[1 + digits..];
    }
    Some(b)
}

fn zone(b: &[u8]) -> Option<&[u8]> {
    if let Some(rest) = literal(b, b'Z') {
        return Some(rest);
    }
    if b.len() < 6 || b[3] != b':' || !matches!(b[0], b'+' | b'-') {
        return None;
    }
    let two = |d: &[u8]| -> Option<u32> {
        let hi = char::from(d[0]).to_digit(10)?;
        let lo = char::from(d[1]).to_digit(10)?;
        Some(hi * 10 + lo)
    };
    let hours = two(&b[1..3])?;
    let minutes = two(&b[4..6])?;
    (hours <= 24 && minutes <= 60).then(|| &b[6..])
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: YAML 1.1 base-60 floats, which
/// yaml.v2 does not read but quotes when writing.
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        // [0-5]?[0-9]
        let d1 = b.get(i + 1).copied();
        let d2 = b.get(i + 2).copied();
        match (d1, d2) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 3,
            (Some(b'0'..=b'9'), _) => i += 2,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_booleans_and_nulls() {
        for s in ["y", "Yes", "ON", "true"] {
            assert_eq!(resolve("", s), Resolved::Bool(true), "{s}");
        }
        for s in ["n", "NO", "off", "False"] {
            assert_eq!(resolve("", s), Resolved::Bool(false), "{s}");
        }
        assert_eq!(resolve("", "yEs"), Resolved::Str);
        assert_eq!(resolve("", "~"), Resolved::Null);
        assert_eq!(resolve("", ""), Resolved::Null);
    }

    #[test]
    fn go_integer_syntax() {
        assert_eq!(resolve("", "0x1F"), Resolved::Int(31));
        assert_eq!(resolve("", "010"), Resolved::Int(8));
        assert_eq!(resolve("", "0o17"), Resolved::Int(15));
        assert_eq!(resolve("", "0b101"), Resolved::Int(5));
        assert_eq!(resolve("", "1_000"), Resolved::Int(1000));
        assert_eq!(resolve("", "+7"), Resolved::Int(7));
        assert_eq!(
            resolve("", "18446744073709551615"),
            Resolved::Uint(u64::MAX)
        );
        assert_eq!(resolve("", "-9223372036854775808"), Resolved::Int(i64::MIN));
        assert_eq!(resolve("", "08"), Resolved::Float(8.0));
        assert_eq!(resolve("", "0x"), Resolved::Str);
    }

    #[test]
    fn floats_and_out_of_range_text() {
        assert_eq!(resolve("", "1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve("", ".5"), Resolved::Float(0.5));
        assert_eq!(resolve("", ".1_5"), Resolved::Float(0.15));
        assert_eq!(resolve("", "1e400"), Resolved::Str);
        assert_eq!(resolve("", "1.2.3"), Resolved::Str);
        assert!(matches!(resolve("", ".nan"), Resolved::Float(f) if f.is_nan()));
    }

    #[test]
    fn timestamps_follow_time_parse() {
        assert!(is_timestamp("2001-12-14"));
        assert!(is_timestamp("2001-1-2"));
        assert!(is_timestamp("2001-12-14t21:59:43.10Z"));
        assert!(is_timestamp("2001-12-14T21:59:43+05:30"));
        assert!(is_timestamp("2001-12-14   21:59:43.10"));
        assert!(!is_timestamp("2001-02-30"));
        assert!(!is_timestamp("2001-12-14 21:59:43 +05:30"));
        assert!(!is_timestamp("12001-12-14"));
        assert_eq!(resolve(STR_TAG, "2001-12-14"), Resolved::Str);
    }

    #[test]
    fn base60() {
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:"));
        assert!(!is_base60_float("a:1"));
    }
}
