//! Go's `unicode` predicates and simple case mappings, which Go's `strings`, goutils and
//! xstrings use. Rust's `to_uppercase` applies full (special) case mapping, which Go never
//! does: `ß` stays `ß` in Go.
use unicode_general_category::{GeneralCategory as Gc, get_general_category};

/// `unicode.IsUpper`: category Lu.
pub fn is_upper(c: char) -> bool {
    get_general_category(c) == Gc::UppercaseLetter
}

/// `unicode.IsLower`: category Ll.
pub fn is_lower(c: char) -> bool {
    get_general_category(c) == Gc::LowercaseLetter
}

/// `unicode.IsTitle`: category Lt.
pub fn is_title(c: char) -> bool {
    get_general_category(c) == Gc::TitlecaseLetter
}

/// `unicode.IsLetter`: categories L*.
pub fn is_letter(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
    )
}

/// `unicode.IsNumber`: categories N*.
pub fn is_number(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::DecimalNumber | Gc::LetterNumber | Gc::OtherNumber
    )
}

/// `unicode.IsPunct`: categories P*.
pub fn is_punct(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
    )
}

/// `unicode.IsSpace`: Go's Latin-1 list plus the White_Space property, which is what Rust's
/// `is_whitespace` tests.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `unicode.ToUpper`: the simple mapping; characters whose only uppercase form is several
/// characters stay as they are.
pub fn to_upper(c: char) -> char {
    single(c.to_uppercase()).unwrap_or(c)
}

/// `unicode.ToLower`: the simple mapping (`İ` becomes `i`).
pub fn to_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    lower.next().unwrap_or(c)
}

/// `unicode.ToTitle`: the upper case, except for the Latin digraphs that have a title case
/// form of their own.
pub fn to_title(c: char) -> char {
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        _ => to_upper(c),
    }
}

fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// Go's `strings.ToUpper`.
pub fn string_to_upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    s.chars().map(to_upper).collect()
}

/// Go's `strings.ToLower`.
pub fn string_to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars().map(to_lower).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_mapping_is_go_simple_mapping() {
        assert_eq!(string_to_upper("straße"), "STRAßE");
        assert_eq!(string_to_lower("İx"), "ix");
        assert_eq!(to_title('ǆ'), 'ǅ');
        assert!(is_punct('-') && !is_punct('+'));
        assert!(is_space('\u{85}') && is_space('\u{a0}'));
    }
}
