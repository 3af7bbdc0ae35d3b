//! The scanners under Go's `time.Parse` (`time/format.go`): numbers, fixed-width fields,
//! literal text, month and day names, fractional seconds and zone abbreviations.

pub(super) fn digit_at(s: &str, i: usize) -> bool {
    s.as_bytes().get(i).is_some_and(u8::is_ascii_digit)
}

/// `getnum`: one or two digits (two when `fixed`).
pub(super) fn getnum(s: &str, fixed: bool) -> Option<(i64, &str)> {
    if !digit_at(s, 0) {
        return None;
    }
    let b = s.as_bytes();
    if !digit_at(s, 1) {
        if fixed {
            return None;
        }
        return Some((i64::from(b[0] - b'0'), &s[1..]));
    }
    Some((
        i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0'),
        &s[2..],
    ))
}

/// `getnum3`: one to three digits (three when `fixed`).
pub(super) fn getnum3(s: &str, fixed: bool) -> Option<(i64, &str)> {
    let n = s.bytes().take(3).take_while(u8::is_ascii_digit).count();
    if n == 0 || fixed && n != 3 {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

fn cutspace(s: &str) -> &str {
    s.trim_start_matches(' ')
}

/// `skip`: `value` without the literal `prefix`, spaces matching any run of spaces; on a
/// mismatch, what is left of `value` from there on, as Go reports it.
pub(super) fn skip<'v>(mut value: &'v str, mut prefix: &str) -> Result<&'v str, Vec<u8>> {
    while let Some(&first) = prefix.as_bytes().first() {
        if first == b' ' {
            if value.as_bytes().first().is_some_and(|&v| v != b' ') {
                return Err(value.as_bytes().to_vec());
            }
            prefix = cutspace(prefix);
            value = cutspace(value);
            continue;
        }
        let (Some(pc), Some(vc)) = (prefix.chars().next(), value.chars().next()) else {
            return Err(value.as_bytes().to_vec());
        };
        if pc != vc {
            // Go compares bytes and reports the value from the first differing byte on,
            // which may be inside a character.
            let same = pc
                .to_string()
                .bytes()
                .zip(vc.to_string().bytes())
                .take_while(|(a, b)| a == b)
                .count();
            return Err(value.as_bytes()[same..].to_vec());
        }
        prefix = &prefix[pc.len_utf8()..];
        value = &value[vc.len_utf8()..];
    }
    Ok(value)
}

/// `lookup`: the index of the table entry `value` starts with, ASCII case-insensitively.
pub(super) fn lookup<'v>(table: &[&str], value: &'v str) -> Option<(usize, &'v str)> {
    table.iter().enumerate().find_map(|(i, name)| {
        let head = value.get(..name.len())?;
        head.eq_ignore_ascii_case(name)
            .then(|| (i, &value[name.len()..]))
    })
}

/// `parseNanoseconds`: the fraction after `.` or `,` in the first `nbytes` bytes.
pub(super) fn parse_nanos(value: &str, nbytes: usize) -> Option<i64> {
    if !matches!(value.as_bytes().first(), Some(b'.' | b',')) {
        return None;
    }
    let nbytes = nbytes.min(10);
    let digits = value.get(1..nbytes)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
        return None;
    }
    let mut ns: i64 = digits.parse().ok()?;
    for _ in 0..10 - nbytes {
        ns *= 10;
    }
    Some(ns)
}

/// `parseTimeZone`: the length of a zone abbreviation at the start of `value`.
pub(super) fn parse_time_zone(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    if b.len() < 3 {
        return None;
    }
    if value.starts_with("ChST") || value.starts_with("MeST") {
        return Some(4);
    }
    if let Some(offset) = value.strip_prefix("GMT") {
        return Some(3 + signed_offset_len(offset).unwrap_or(0));
    }
    if b[0] == b'+' || b[0] == b'-' {
        return signed_offset_len(value);
    }
    let upper = b
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        3 => Some(3),
        4 if b[3] == b'T' || value.starts_with("WITA") => Some(4),
        5 if b[4] == b'T' => Some(5),
        _ => None,
    }
}

/// `parseSignedOffset`: `+hh` or `-hh` within ±23.
fn signed_offset_len(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    if !matches!(b.first(), Some(b'+' | b'-')) {
        return None;
    }
    let n = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let hours: i64 = value[1..1 + n].parse().ok()?;
    (hours <= 23).then_some(1 + n)
}

pub(super) const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(super) const SHORT_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
