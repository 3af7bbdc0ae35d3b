//! Character classes as Go's lexer and `unicode` package define them, and the trim-marker
//! tests.
use unicode_general_category::{GeneralCategory, get_general_category};

use super::TRIM_MARKER;
use crate::gofmt::is_print;

/// `text.starts_with(prefix)` for the short delimiters and markers the lexer tests at
/// almost every byte: a plain loop, cheaper than the library's call to `memcmp`.
pub(super) fn starts_with(text: &str, prefix: &str) -> bool {
    bytes_start_with(text.as_bytes(), prefix.as_bytes())
}

pub(super) fn bytes_start_with(text: &[u8], prefix: &[u8]) -> bool {
    text.len() >= prefix.len() && text.iter().zip(prefix).all(|(a, b)| a == b)
}

pub(super) fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

/// The length of the spaces at the end of `s`. Go's spaces are ASCII and no byte of a
/// multi-byte rune is, so bytes are tested without decoding runes.
pub(super) fn right_trim_length(s: &str) -> usize {
    s.bytes()
        .rev()
        .take_while(|&b| is_space(char::from(b)))
        .count()
}

/// The length of the spaces at the beginning of `s`.
pub(super) fn left_trim_length(s: &str) -> usize {
    s.bytes().take_while(|&b| is_space(char::from(b))).count()
}

/// The space characters Go's lexer defines.
pub(super) fn is_space(r: char) -> bool {
    matches!(r, ' ' | '\t' | '\r' | '\n')
}

/// Go's `isAlphaNumeric`: underscore, a Unicode letter or a decimal digit.
pub(super) fn is_alpha_numeric(r: char) -> bool {
    r == '_' || is_letter(r) || is_digit(r)
}

/// Go's `unicode.IsLetter`: general category L.
pub(super) fn is_letter(r: char) -> bool {
    if r.is_ascii() {
        return r.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(r),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
    )
}

/// Go's `unicode.IsDigit`: general category Nd.
pub(super) fn is_digit(r: char) -> bool {
    if r.is_ascii() {
        return r.is_ascii_digit();
    }
    get_general_category(r) == GeneralCategory::DecimalNumber
}

pub(super) fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == TRIM_MARKER && is_space(b[1] as char)
}

pub(super) fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == TRIM_MARKER
}

/// Go's `%#U`: `U+0078 'x'`, without the quoted rune when it is not printable.
pub(super) fn unicode_format(r: char) -> String {
    if is_print(r) {
        format!("U+{:04X} '{r}'", r as u32)
    } else {
        format!("U+{:04X}", r as u32)
    }
}
