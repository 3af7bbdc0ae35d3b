//! Template literals as Go reads them: `strconv.Unquote` for strings and character constants,
//! `strconv.ParseInt`/`ParseUint`/`ParseFloat` with base prefixes and underscores, and
//! `parse.NumberNode`'s rules for which Go types a number constant can take.
use std::borrow::Cow;

/// Go's `strconv.ErrSyntax` text, which the parser reports for bad literals.
pub(crate) const INVALID_SYNTAX: &str = "invalid syntax";

/// A parsed number constant: its value under every type that can represent it, which is
/// how Go's `NumberNode` simulates untyped constants.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Number {
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    /// Real and imaginary parts.
    pub complex128: (f64, f64),
}

/// How the lexer classified a number's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberSyntax {
    CharConstant,
    Complex,
    Number,
}

impl Number {
    /// Go's `newNumber`: the error is the message Go's parser reports.
    pub(crate) fn parse(text: &str, syntax: NumberSyntax) -> Result<Number, String> {
        let mut n = Number::default();
        match syntax {
            NumberSyntax::CharConstant => {
                let quote = text.as_bytes()[0];
                let (rune, _, tail) =
                    unquote_char(&text[1..], quote).map_err(|()| INVALID_SYNTAX.to_owned())?;
                if tail != "'" {
                    return Err(format!("malformed character constant: {text}"));
                }
                n.int64 = i64::from(rune);
                n.is_int = true;
                n.uint64 = u64::from(rune);
                n.is_uint = true;
                // Odd, but those are the rules.
                n.float64 = f64::from(rune);
                n.is_float = true;
                return Ok(n);
            }
            NumberSyntax::Complex => {
                n.complex128 = parse_complex(text)?;
                n.is_complex = true;
                n.simplify_complex();
                return Ok(n);
            }
            NumberSyntax::Number => {}
        }
        // Imaginary constants can only be complex unless they are zero.
        if let Some(imaginary) = text.strip_suffix('i')
            && let Ok(f) = parse_float(imaginary)
        {
            n.is_complex = true;
            n.complex128 = (0.0, f);
            n.simplify_complex();
            return Ok(n);
        }
        // The integer test comes first so 0x123 and friends parse as integers.
        let unsigned = parse_uint(text);
        if let Ok(u) = unsigned {
            n.is_uint = true;
            n.uint64 = u;
        }
        if let Ok(i) = parse_int(text) {
            n.is_int = true;
            n.int64 = i;
            if i == 0 {
                // In case of -0.
                n.is_uint = true;
                n.uint64 = unsigned.unwrap_or(0);
            }
        }
        if n.is_int {
            n.is_float = true;
            n.float64 = n.int64 as f64;
        } else if n.is_uint {
            n.is_float = true;
            n.float64 = n.uint64 as f64;
        } else if let Ok(f) = parse_float(text) {
            // A float that looks like an integer is an integer too large to fit.
            if !text.contains(['.', 'e', 'E', 'p', 'P']) {
                return Err(format!("integer overflow: {}", crate::gofmt::quote(text)));
            }
            n.is_float = true;
            n.float64 = f;
            if let Some(i) = exact_i64(f) {
                n.is_int = true;
                n.int64 = i;
            }
            if let Some(u) = exact_u64(f) {
                n.is_uint = true;
                n.uint64 = u;
            }
        }
        if !n.is_int && !n.is_uint && !n.is_float {
            return Err(format!(
                "illegal number syntax: {}",
                crate::gofmt::quote(text)
            ));
        }
        Ok(n)
    }

    /// Pulls out the other types a complex number represents; all need a zero imaginary part.
    fn simplify_complex(&mut self) {
        let (re, im) = self.complex128;
        self.is_float = im == 0.0;
        if self.is_float {
            self.float64 = re;
            if let Some(i) = exact_i64(re) {
                self.is_int = true;
                self.int64 = i;
            }
            if let Some(u) = exact_u64(re) {
                self.is_uint = true;
                self.uint64 = u;
            }
        }
    }
}

/// Go's `float64(int64(f)) == f`, for the values where the conversion is defined.
fn exact_i64(f: f64) -> Option<i64> {
    let in_range = (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f);
    (in_range && f.fract() == 0.0).then_some(f as i64)
}

/// Go's `float64(uint64(f)) == f`, for the values where the conversion is defined.
fn exact_u64(f: f64) -> Option<u64> {
    let in_range = (0.0..18_446_744_073_709_551_616.0).contains(&f);
    (in_range && f.fract() == 0.0).then_some(f as u64)
}

/// Reads `re±imi` the way `fmt.Sscan` reads a complex128.
fn parse_complex(text: &str) -> Result<(f64, f64), String> {
    let bad = || {
        format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            crate::gofmt::quote(text)
        )
    };
    let body = text.strip_suffix('i').ok_or_else(bad)?;
    let split = body
        .char_indices()
        .skip(1)
        .filter(|&(i, c)| {
            matches!(c, '+' | '-') && !matches!(body.as_bytes()[i - 1], b'e' | b'E' | b'p' | b'P')
        })
        .map(|(i, _)| i)
        .last()
        .ok_or_else(bad)?;
    let re = parse_float(&body[..split]).map_err(|()| bad())?;
    let im = parse_float(&body[split..]).map_err(|()| bad())?;
    Ok((re, im))
}

fn lower(c: u8) -> u8 {
    c | (b'x' - b'X')
}

/// Go's `strconv.ParseUint(s, 0, 64)`: base prefixes, and underscores between digits.
pub(crate) fn parse_uint(s: &str) -> Result<u64, ()> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(());
    }
    let (base, digits): (u64, &[u8]) = match b {
        [b'0', p, ..] if b.len() >= 3 && lower(*p) == b'b' => (2, &b[2..]),
        [b'0', p, ..] if b.len() >= 3 && lower(*p) == b'o' => (8, &b[2..]),
        [b'0', p, ..] if b.len() >= 3 && lower(*p) == b'x' => (16, &b[2..]),
        [b'0', ..] => (8, &b[1..]),
        _ => (10, b),
    };
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'_' => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => c - b'0',
            _ if lower(c).is_ascii_lowercase() => lower(c) - b'a' + 10,
            _ => return Err(()),
        };
        if u64::from(d) >= base {
            return Err(());
        }
        n = n
            .checked_mul(base)
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or(())?;
    }
    if underscores && !underscore_ok(s) {
        return Err(());
    }
    Ok(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_int(s: &str) -> Result<i64, ()> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(digits)?;
    if negative {
        if u > 1 << 63 {
            return Err(());
        }
        Ok((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).map_err(|_| ())
    }
}

/// Go's `underscoreOK`: underscores only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    if let [b'+' | b'-', rest @ ..] = b {
        b = rest;
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(lower(b[1]), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = lower(b[1]) == b'x';
    }
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c.is_ascii_digit() || hex && lower(c).is_ascii_hexdigit() {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms the lexer produces: decimal and
/// hexadecimal floats with underscores. Out-of-range values are errors, as in Go.
pub(crate) fn parse_float(s: &str) -> Result<f64, ()> {
    let b = s.as_bytes();
    let (negative, body) = match b.first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if body.contains('_') && !underscore_ok(s) {
        return Err(());
    }
    let cleaned = body.replace('_', "");
    let is_hex =
        cleaned.len() > 2 && cleaned.starts_with('0') && lower(cleaned.as_bytes()[1]) == b'x';
    let magnitude = if is_hex {
        parse_hex_float(&cleaned[2..])?
    } else {
        parse_decimal_float(&cleaned)?
    };
    if magnitude.is_infinite() {
        return Err(());
    }
    Ok(if negative { -magnitude } else { magnitude })
}

fn parse_decimal_float(s: &str) -> Result<f64, ()> {
    let b = s.as_bytes();
    let mantissa_end = b
        .iter()
        .position(|c| matches!(c, b'e' | b'E'))
        .unwrap_or(b.len());
    let mantissa = &b[..mantissa_end];
    let valid_mantissa = mantissa.iter().any(u8::is_ascii_digit)
        && mantissa.iter().filter(|&&c| c == b'.').count() <= 1
        && mantissa.iter().all(|&c| c.is_ascii_digit() || c == b'.');
    let exponent = b.get(mantissa_end + 1..).unwrap_or_default();
    let valid_exponent = mantissa_end == b.len() || {
        let digits = exponent
            .strip_prefix(b"+")
            .or_else(|| exponent.strip_prefix(b"-"));
        let digits = digits.unwrap_or(exponent);
        !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
    };
    if !valid_mantissa || !valid_exponent {
        return Err(());
    }
    s.parse::<f64>().map_err(|_| ())
}

/// A hexadecimal float after its `0x`: hex digits with an optional point, then a mandatory
/// binary exponent.
fn parse_hex_float(s: &str) -> Result<f64, ()> {
    let (mantissa, exponent) = s.split_once(['p', 'P']).ok_or(())?;
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(());
    }
    let mut value = 0f64;
    for c in int_part.chars().chain(frac_part.chars()) {
        value = value * 16.0 + f64::from(c.to_digit(16).ok_or(())?);
    }
    let exponent: i32 = match exponent.as_bytes().first() {
        Some(b'+') => exponent[1..].parse().map_err(|_| ())?,
        _ => exponent.parse().map_err(|_| ())?,
    };
    let scale = exponent.saturating_sub(4 * i32::try_from(frac_part.len()).map_err(|_| ())?);
    Ok(value * 2f64.powi(scale))
}

/// Go's `strconv.Unquote` for double-quoted and raw (backquoted) strings, as text: bytes
/// that are not UTF-8 (from `\x` escapes) become U+FFFD. For names, which are text.
pub(crate) fn unquote(s: &str) -> Result<Cow<'_, str>, ()> {
    Ok(match unquote_bytes(s)? {
        Cow::Borrowed(bytes) => String::from_utf8_lossy(bytes),
        Cow::Owned(bytes) => Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
    })
}

/// Go's `strconv.Unquote` for double-quoted and raw (backquoted) strings: the bytes of
/// the Go string, which a `\x` escape can leave not UTF-8.
pub(crate) fn unquote_bytes(s: &str) -> Result<Cow<'_, [u8]>, ()> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(());
    }
    let quote = b[0];
    if b[b.len() - 1] != quote {
        return Err(());
    }
    let body = &s[1..s.len() - 1];
    match quote {
        b'`' => {
            if body.contains('`') {
                return Err(());
            }
            // Carriage returns inside raw strings are discarded.
            if body.contains('\r') {
                return Ok(Cow::Owned(body.replace('\r', "").into_bytes()));
            }
            Ok(Cow::Borrowed(body.as_bytes()))
        }
        b'"' => {
            if !body.contains(['\\', '\n', '"']) {
                return Ok(Cow::Borrowed(body.as_bytes()));
            }
            let mut out = Vec::with_capacity(body.len());
            let mut rest = body;
            while !rest.is_empty() {
                if rest.starts_with('\n') {
                    return Err(());
                }
                let (value, multibyte, tail) = unquote_char(rest, quote)?;
                rest = tail;
                push_unquoted(&mut out, value, multibyte);
            }
            Ok(Cow::Owned(out))
        }
        _ => Err(()),
    }
}

fn push_unquoted(out: &mut Vec<u8>, value: u32, multibyte: bool) {
    if value < 0x80 || !multibyte {
        // Single bytes, including raw `\x` and octal escapes.
        out.push(value as u8);
    } else {
        let c = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut buf = [0; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

/// Go's `strconv.UnquoteChar`: decodes the first character or escape of `s`, returning its
/// value, whether it needs a multibyte UTF-8 encoding, and the rest of `s`.
pub(crate) fn unquote_char(s: &str, quote: u8) -> Result<(u32, bool, &str), ()> {
    let b = s.as_bytes();
    let Some(&c) = b.first() else {
        return Err(());
    };
    if c == quote && (quote == b'\'' || quote == b'"') {
        return Err(());
    }
    if c >= 0x80 {
        let r = s.chars().next().ok_or(())?;
        return Ok((u32::from(r), true, &s[r.len_utf8()..]));
    }
    if c != b'\\' {
        return Ok((u32::from(c), false, &s[1..]));
    }
    // Every valid escape is one ASCII byte; anything else (a multibyte character after the
    // backslash included) is a syntax error, as in Go.
    let Some(&escape) = b.get(1).filter(|e| e.is_ascii()) else {
        return Err(());
    };
    let rest = &s[2..];
    let simple = |v: u8| Ok((u32::from(v), false, rest));
    match escape {
        b'a' => simple(0x07),
        b'b' => simple(0x08),
        b'f' => simple(0x0c),
        b'n' => simple(b'\n'),
        b'r' => simple(b'\r'),
        b't' => simple(b'\t'),
        b'v' => simple(0x0b),
        b'x' | b'u' | b'U' => {
            let n = match escape {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = rest.get(..n).ok_or(())?;
            let mut v: u32 = 0;
            for d in digits.chars() {
                v = (v << 4) | d.to_digit(16).ok_or(())?;
            }
            if escape == b'x' {
                // A single byte, possibly not UTF-8.
                return Ok((v, false, &rest[n..]));
            }
            if char::from_u32(v).is_none() {
                return Err(());
            }
            Ok((v, true, &rest[n..]))
        }
        b'0'..=b'7' => {
            let digits = rest.as_bytes().get(..2).ok_or(())?;
            let mut v = u32::from(escape - b'0');
            for &d in digits {
                if !(b'0'..=b'7').contains(&d) {
                    return Err(());
                }
                v = (v << 3) | u32::from(d - b'0');
            }
            if v > 255 {
                return Err(());
            }
            Ok((v, false, &rest[2..]))
        }
        b'\\' => simple(b'\\'),
        b'\'' | b'"' if escape == quote => simple(escape),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_go_base_prefixes_and_underscores() {
        assert_eq!(parse_int("0x1F"), Ok(31));
        assert_eq!(parse_int("0o17"), Ok(15));
        assert_eq!(parse_int("017"), Ok(15));
        assert_eq!(parse_int("0b101"), Ok(5));
        assert_eq!(parse_int("1_000"), Ok(1000));
        assert_eq!(parse_int("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(parse_int("9223372036854775808"), Err(()));
        assert_eq!(parse_int("089"), Err(()));
        assert_eq!(parse_int("1__0"), Err(()));
        assert_eq!(parse_int("_1"), Err(()));
        assert_eq!(parse_uint("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_uint("-1"), Err(()));
    }

    #[test]
    fn floats_follow_go_syntax() {
        assert_eq!(parse_float("1.5"), Ok(1.5));
        assert_eq!(parse_float(".5"), Ok(0.5));
        assert_eq!(parse_float("5."), Ok(5.0));
        assert_eq!(parse_float("1e3"), Ok(1000.0));
        assert_eq!(parse_float("-1.2e-4"), Ok(-1.2e-4));
        assert_eq!(parse_float("1_000.5"), Ok(1000.5));
        assert_eq!(parse_float("0x1.8p1"), Ok(3.0));
        assert_eq!(parse_float("0x1p-2"), Ok(0.25));
        assert_eq!(parse_float("1e400"), Err(()));
        assert_eq!(parse_float("0x1.8"), Err(()));
        assert_eq!(parse_float("1.2.3"), Err(()));
        assert_eq!(parse_float("inf"), Err(()));
    }

    #[test]
    fn numbers_take_every_type_that_represents_them() {
        let n = Number::parse("1.0", NumberSyntax::Number).unwrap();
        assert!(n.is_int && n.is_uint && n.is_float && !n.is_complex);
        let n = Number::parse("-3", NumberSyntax::Number).unwrap();
        assert!(n.is_int && !n.is_uint && n.is_float);
        let n = Number::parse("18446744073709551615", NumberSyntax::Number).unwrap();
        assert!(!n.is_int && n.is_uint && n.is_float);
        let n = Number::parse("'a'", NumberSyntax::CharConstant).unwrap();
        assert_eq!((n.int64, n.is_float), (97, true));
        let n = Number::parse("1+2i", NumberSyntax::Complex).unwrap();
        assert_eq!((n.complex128, n.is_float), ((1.0, 2.0), false));
        let n = Number::parse("0i", NumberSyntax::Number).unwrap();
        assert!(n.is_complex && n.is_int && n.is_float);
        assert_eq!(
            Number::parse("99999999999999999999", NumberSyntax::Number),
            Err("integer overflow: \"99999999999999999999\"".to_owned())
        );
        // Not octal, but a float parse succeeds, so Go calls it an overflow.
        assert_eq!(
            Number::parse("089", NumberSyntax::Number),
            Err("integer overflow: \"089\"".to_owned())
        );
        assert_eq!(
            Number::parse("1.E", NumberSyntax::Number),
            Err("illegal number syntax: \"1.E\"".to_owned())
        );
        assert_eq!(
            Number::parse("'ab'", NumberSyntax::CharConstant),
            Err("malformed character constant: 'ab'".to_owned())
        );
    }

    #[test]
    fn unquote_matches_go() {
        assert_eq!(
            unquote(r#""a\tb\x41\u00e9\101\"""#).as_deref(),
            Ok("a\tbAéA\"")
        );
        assert_eq!(unquote("`a\\n\r`").as_deref(), Ok("a\\n"));
        assert_eq!(unquote(r#""\'""#), Err(()));
        assert_eq!(unquote(r#""\400""#), Err(()));
        assert_eq!(unquote(r#""\ud800""#), Err(()));
        assert_eq!(unquote(r#""\q""#), Err(()));
    }
}
