//! Go's strict RFC 3339 time parsing (`time.Time.UnmarshalJSON`), for the `generated` field
//! of lock files: accepts what Go accepts and fails with Go's `ParseError` texts.
use crate::gofmt::quote;

const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

/// The layout's elements: a literal to match, or a number of one or two digits.
#[derive(Clone, Copy)]
enum Element {
    Literal(&'static str),
    Year,
    /// Two digits, with the inclusive range and the name range errors use.
    Fixed2(&'static str, u32, u32, &'static str),
    Hour,
    SecondsAndFraction,
    Zone,
}

const ELEMENTS: &[Element] = &[
    Element::Year,
    Element::Literal("-"),
    Element::Fixed2("01", 1, 12, "month"),
    Element::Literal("-"),
    Element::Fixed2("02", 0, 99, ""),
    Element::Literal("T"),
    Element::Hour,
    Element::Literal(":"),
    Element::Fixed2("04", 0, 59, "minute"),
    Element::Literal(":"),
    Element::SecondsAndFraction,
    Element::Zone,
];

/// Parses `value` as `time.Time.UnmarshalJSON` does; the error is Go's message.
pub(crate) fn parse_strict(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let cannot_parse = |rest: &[u8], elem: &str| -> String {
        cannot_parse(value, &String::from_utf8_lossy(rest), elem)
    };
    let out_of_range = |what: &str| format!("parsing time {}: {what} out of range", quote(value));
    let mut rest = bytes;
    let (mut year, mut month, mut day) = (0u32, 0u32, 0u32);
    let mut one_digit_hour = false;
    for element in ELEMENTS {
        match *element {
            Element::Literal(text) => {
                rest = rest
                    .strip_prefix(text.as_bytes())
                    .ok_or_else(|| cannot_parse(rest, text))?;
            }
            Element::Year => {
                let digits = rest.get(..4).filter(|d| d.iter().all(u8::is_ascii_digit));
                year = number(digits.ok_or_else(|| cannot_parse(rest, "2006"))?);
                rest = &rest[4..];
            }
            Element::Fixed2(name, low, high, range_name) => {
                let digits = rest.get(..2).filter(|d| d.iter().all(u8::is_ascii_digit));
                let n = number(digits.ok_or_else(|| cannot_parse(rest, name))?);
                if !range_name.is_empty() && !(low..=high).contains(&n) {
                    return Err(out_of_range(range_name));
                }
                match name {
                    "01" => month = n,
                    "02" => day = n,
                    _ => {}
                }
                rest = &rest[2..];
            }
            Element::Hour => {
                let width = match rest {
                    [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() => 2,
                    [a, ..] if a.is_ascii_digit() => 1,
                    _ => return Err(cannot_parse(rest, "15")),
                };
                if number(&rest[..width]) >= 24 {
                    return Err(out_of_range("hour"));
                }
                one_digit_hour = width == 1;
                rest = &rest[width..];
            }
            Element::SecondsAndFraction => {
                let digits = rest.get(..2).filter(|d| d.iter().all(u8::is_ascii_digit));
                if number(digits.ok_or_else(|| cannot_parse(rest, "05"))?) >= 60 {
                    return Err(out_of_range("second"));
                }
                rest = &rest[2..];
                if let [b'.' | b',', next, ..] = rest
                    && next.is_ascii_digit()
                {
                    // Go keeps nanoseconds: longer fractions are cut, not rejected.
                    let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
                    rest = &rest[1 + digits..];
                }
            }
            Element::Zone => {
                if let Some(after) = rest.strip_prefix(b"Z") {
                    rest = after;
                    continue;
                }
                let zone_ok = rest.len() >= 6
                    && rest[3] == b':'
                    && matches!(rest[0], b'+' | b'-')
                    && rest[1..3].iter().chain(&rest[4..6]).all(u8::is_ascii_digit);
                if !zone_ok {
                    return Err(cannot_parse(rest, "Z07:00"));
                }
                if number(&rest[1..3]) > 24 {
                    return Err(out_of_range("time zone offset hour"));
                }
                if number(&rest[4..6]) > 60 {
                    return Err(out_of_range("time zone offset minute"));
                }
                rest = &rest[6..];
            }
        }
    }
    if !rest.is_empty() {
        let extra = String::from_utf8_lossy(rest);
        return Err(format!(
            "parsing time {}: extra text: {}",
            quote(value),
            quote(&extra)
        ));
    }
    if day < 1 || day > days_in(month, year) {
        return Err(format!("parsing time {}: day out of range", quote(value)));
    }
    strict_checks(value, one_digit_hour)
}

/// `parseStrictRFC3339`'s checks of what the layout cannot express.
fn strict_checks(value: &str, one_digit_hour: bool) -> Result<(), String> {
    let bytes = value.as_bytes();
    if one_digit_hour {
        return Err(cannot_parse(value, &value[11..12], "15"));
    }
    if bytes.get(19) == Some(&b',') {
        return Err(cannot_parse(value, ",", "."));
    }
    if bytes.last() != Some(&b'Z') && bytes.len() >= 6 {
        let zone = &bytes[bytes.len() - 6..];
        if number(&zone[1..3]) >= 24 {
            return Err(format!(
                "parsing time {}: timezone hour out of range",
                quote(value)
            ));
        }
        if number(&zone[4..6]) >= 60 {
            return Err(format!(
                "parsing time {}: timezone minute out of range",
                quote(value)
            ));
        }
    }
    Ok(())
}

fn cannot_parse(value: &str, rest: &str, element: &str) -> String {
    format!(
        "parsing time {} as {}: cannot parse {} as {}",
        quote(value),
        quote(LAYOUT),
        quote(rest),
        quote(element)
    )
}

fn number(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |n, d| n * 10 + u32::from(d.saturating_sub(b'0')))
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_are_accepted() {
        for ok in [
            "2024-02-29T23:59:59Z",
            "2019-09-26T10:58:46.123456789-07:00",
            "2019-09-26T10:58:46.1234567891+05:30",
        ] {
            assert_eq!(parse_strict(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn malformed_times_get_gos_messages() {
        assert_eq!(
            parse_strict("yesterday").unwrap_err(),
            "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \
             \"yesterday\" as \"2006\""
        );
        assert_eq!(
            parse_strict("2024-01-02 03:04:05Z").unwrap_err(),
            "parsing time \"2024-01-02 03:04:05Z\" as \"2006-01-02T15:04:05Z07:00\": cannot \
             parse \" 03:04:05Z\" as \"T\""
        );
        assert_eq!(
            parse_strict("2024-13-02T03:04:05Z").unwrap_err(),
            "parsing time \"2024-13-02T03:04:05Z\": month out of range"
        );
        assert_eq!(
            parse_strict("2023-02-29T03:04:05Z").unwrap_err(),
            "parsing time \"2023-02-29T03:04:05Z\": day out of range"
        );
        assert_eq!(
            parse_strict("2024-01-02T03:04:05Zjunk").unwrap_err(),
            "parsing time \"2024-01-02T03:04:05Zjunk\": extra text: \"junk\""
        );
        assert_eq!(
            parse_strict("2024-01-02T3:04:05Z").unwrap_err(),
            "parsing time \"2024-01-02T3:04:05Z\" as \"2006-01-02T15:04:05Z07:00\": cannot \
             parse \"3\" as \"15\""
        );
    }
}
