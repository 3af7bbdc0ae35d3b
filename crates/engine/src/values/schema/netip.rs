//! Go's `net/netip.ParseAddr`, for the reasons the `ipv6` format gives: which texts are
//! addresses and the exact `ParseAddr("..."): ...` error of those that are not.
use crate::gofmt::quote;

/// A parsed address: whether it carried a zone (`fe80::1%eth0`).
pub(super) struct Addr {
    pub has_zone: bool,
}

fn error(input: &str, message: &str, at: Option<&str>) -> String {
    match at {
        Some(at) if !at.is_empty() => {
            format!("ParseAddr({}): {message} (at {})", quote(input), quote(at))
        }
        _ => format!("ParseAddr({}): {message}", quote(input)),
    }
}

/// `netip.ParseAddr(s)`.
pub(super) fn parse_addr(s: &str) -> Result<Addr, String> {
    match s.bytes().find(|b| matches!(b, b'.' | b':' | b'%')) {
        Some(b'.') => parse_ipv4_fields(s, s).map(|_| Addr { has_zone: false }),
        Some(b':') => parse_ipv6(s),
        Some(_) => Err(error(s, "missing IPv6 address", None)),
        None => Err(error(s, "unable to parse IP", None)),
    }
}

/// `parseIPv4Fields` over `part`, a suffix of the whole `input`.
fn parse_ipv4_fields(input: &str, part: &str) -> Result<(), String> {
    let bytes = part.as_bytes();
    let (mut value, mut position, mut digits) = (0u32, 0, 0);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                if digits == 1 && value == 0 {
                    return Err(error(input, "IPv4 field has octet with leading zero", None));
                }
                value = value * 10 + u32::from(b - b'0');
                digits += 1;
                if value > 255 {
                    return Err(error(input, "IPv4 field has value >255", None));
                }
            }
            b'.' => {
                if i == 0 || i == bytes.len() - 1 || bytes[i - 1] == b'.' {
                    return Err(error(
                        input,
                        "IPv4 field must have at least one digit",
                        Some(&part[i..]),
                    ));
                }
                if position == 3 {
                    return Err(error(input, "IPv4 address too long", None));
                }
                position += 1;
                value = 0;
                digits = 0;
            }
            _ => return Err(error(input, "unexpected character", Some(&part[i..]))),
        }
    }
    if position < 3 {
        return Err(error(input, "IPv4 address too short", None));
    }
    Ok(())
}

/// `parseIPv6`: hex groups, one `::`, an optional trailing IPv4 and zone.
fn parse_ipv6(input: &str) -> Result<Addr, String> {
    let (mut s, zone) = match input.split_once('%') {
        Some((_, "")) => return Err(error(input, "zone must be a non-empty string", None)),
        Some((address, zone)) => (address, zone),
        None => (input, ""),
    };
    let has_zone = !zone.is_empty();
    let mut ellipsis: Option<usize> = None;
    if let Some(rest) = s.strip_prefix("::") {
        ellipsis = Some(0);
        s = rest;
        if s.is_empty() {
            return Ok(Addr { has_zone });
        }
    }
    let mut filled = 0;
    while filled < 16 {
        let bytes = s.as_bytes();
        let mut offset = 0;
        let mut acc = 0u32;
        while offset < bytes.len() {
            let Some(digit) = char::from(bytes[offset]).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + digit;
            if offset > 3 {
                return Err(error(
                    input,
                    "each group must have 4 or less digits",
                    Some(s),
                ));
            }
            if acc > u32::from(u16::MAX) {
                return Err(error(input, "IPv6 field has value >=2^16", Some(s)));
            }
            offset += 1;
        }
        if offset == 0 {
            return Err(error(
                input,
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if bytes.get(offset) == Some(&b'.') {
            if ellipsis.is_none() && filled != 12 {
                return Err(error(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if filled + 4 > 16 {
                return Err(error(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            parse_ipv4_fields(input, s)?;
            s = "";
            filled += 4;
            break;
        }
        filled += 2;
        s = &s[offset..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(error(input, "unexpected character, want colon", Some(s)));
        }
        if s.len() == 1 {
            return Err(error(
                input,
                "colon must be followed by more characters",
                Some(s),
            ));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis.is_some() {
                return Err(error(input, "multiple :: in address", Some(s)));
            }
            ellipsis = Some(filled);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(error(input, "trailing garbage after address", Some(s)));
    }
    match (filled < 16, ellipsis) {
        (true, None) => Err(error(input, "address string too short", None)),
        (false, Some(_)) => Err(error(
            input,
            "the :: must expand to at least one field of zeros",
            None,
        )),
        _ => Ok(Addr { has_zone }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        parse_addr(s).err().unwrap_or_default()
    }

    #[test]
    fn ipv6_errors_read_like_go() {
        assert_eq!(
            err("1::2::3"),
            r#"ParseAddr("1::2::3"): multiple :: in address (at ":3")"#
        );
        assert_eq!(err("1:2"), r#"ParseAddr("1:2"): address string too short"#);
        assert_eq!(
            err("12345::"),
            r#"ParseAddr("12345::"): each group must have 4 or less digits (at "12345::")"#
        );
        assert_eq!(err("x"), r#"ParseAddr("x"): unable to parse IP"#);
        assert!(parse_addr("::ffff:1.2.3.4").is_ok());
        assert!(parse_addr("fe80::1%eth0").unwrap().has_zone);
        assert!(parse_addr("1:2:3:4:5:6:7:8").is_ok());
    }
}
