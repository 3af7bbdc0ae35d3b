//! Ports of the Masterminds/goutils v1.1.1 functions Sprig calls: `Abbreviate`,
//! `AbbreviateFull`, `Initials`, `DeleteWhiteSpace`, `SwapCase`, `Uncapitalize`, `Wrap` and
//! `WrapCustom`.
//!
//! goutils measures and slices strings by bytes and, in `Initials` and
//! `DeleteWhiteSpace`, turns single bytes into runes; the ports keep that, so multi-byte
//! text comes out exactly as mangled as in Go (a cut inside a character becomes U+FFFD,
//! since a Rust string cannot hold the raw byte).
use super::unicode;

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `AbbreviateFull(str, offset, maxWidth)`.
pub fn abbreviate_full(s: &str, offset: i64, max_width: i64) -> Result<String, String> {
    let bytes = s.as_bytes();
    let len = bytes.len() as i64;
    if s.is_empty() {
        return Ok(String::new());
    }
    if max_width < 4 {
        return Err("stringutils illegal argument: Minimum abbreviation width is 4".to_owned());
    }
    if len <= max_width {
        return Ok(s.to_owned());
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    const MARKER: &str = "...";
    if offset <= 4 {
        return Ok(lossy(&bytes[..(max_width - 3) as usize]) + MARKER);
    }
    if max_width < 7 {
        return Err(
            "stringutils illegal argument: Minimum abbreviation width with offset is 7".to_owned(),
        );
    }
    if offset + max_width - 3 < len {
        let rest = lossy(&bytes[offset as usize..]);
        let abbreviated = abbreviate_full(&rest, 0, max_width - 3).unwrap_or_default();
        return Ok(format!("{MARKER}{abbreviated}"));
    }
    Ok(format!(
        "{MARKER}{}",
        lossy(&bytes[(len - (max_width - 3)) as usize..])
    ))
}

/// `Initials(str)`: the first byte of the string and each byte after whitespace, each
/// byte written as the rune of the same value.
pub fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut last_was_gap = true;
    for &b in s.as_bytes() {
        let ch = char::from(b);
        if unicode::is_space(ch) {
            last_was_gap = true;
        } else if last_was_gap {
            out.push(ch);
            last_was_gap = false;
        }
    }
    out
}

/// `DeleteWhiteSpace(str)`: bytes that are not whitespace, each written as the rune of the
/// same value; the string itself when it has no whitespace byte.
pub fn delete_white_space(s: &str) -> String {
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| unicode::is_space(char::from(b))) {
        return s.to_owned();
    }
    bytes
        .iter()
        .map(|&b| char::from(b))
        .filter(|&c| !unicode::is_space(c))
        .collect()
}

/// `SwapCase(str)`: upper and title case to lower, lower case to title case after
/// whitespace (and at the start), other lower case to upper.
pub fn swap_case(s: &str) -> String {
    let mut whitespace = true;
    s.chars()
        .map(|ch| {
            if unicode::is_upper(ch) || unicode::is_title(ch) {
                whitespace = false;
                unicode::to_lower(ch)
            } else if unicode::is_lower(ch) {
                if whitespace {
                    whitespace = false;
                    unicode::to_title(ch)
                } else {
                    unicode::to_upper(ch)
                }
            } else {
                whitespace = unicode::is_space(ch);
                ch
            }
        })
        .collect()
}

/// `Uncapitalize(str)`: the first character of each whitespace-separated word in lower
/// case.
pub fn uncapitalize(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|ch| {
            if unicode::is_space(ch) {
                next = true;
                ch
            } else if next {
                next = false;
                unicode::to_lower(ch)
            } else {
                ch
            }
        })
        .collect()
}

/// `WrapCustom(str, wrapLength, newLineStr, wrapLongWords)`.
pub fn wrap_custom(s: &str, wrap_length: i64, new_line: &str, wrap_long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let new_line = if new_line.is_empty() { "\n" } else { new_line };
    let wrap_length = wrap_length.max(1) as usize;
    let bytes = s.as_bytes();
    let input_len = bytes.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(input_len);
    while input_len - offset > wrap_length {
        if bytes[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = wrap_length + offset + 1;
        if let Some(space) = bytes[offset..end].iter().rposition(|&b| b == b' ') {
            let space = space + offset;
            out.extend_from_slice(&bytes[offset..space]);
            out.extend_from_slice(new_line.as_bytes());
            offset = space + 1;
        } else if wrap_long_words {
            let end = wrap_length + offset;
            out.extend_from_slice(&bytes[offset..end]);
            out.extend_from_slice(new_line.as_bytes());
            offset += wrap_length;
        } else {
            let end = wrap_length + offset;
            match bytes[end..].iter().position(|&b| b == b' ') {
                None => {
                    out.extend_from_slice(&bytes[offset..]);
                    offset = input_len;
                }
                Some(index) => {
                    let space = index + end;
                    out.extend_from_slice(&bytes[offset..space]);
                    out.extend_from_slice(new_line.as_bytes());
                    offset = space + 1;
                }
            }
        }
    }
    out.extend_from_slice(&bytes[offset..]);
    lossy(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviate_follows_goutils() {
        let s = "Now is the time for all good men";
        assert_eq!(abbreviate_full(s, 0, 10).unwrap(), "Now is ...");
        assert_eq!(abbreviate_full(s, 5, 10).unwrap(), "...s th...");
        assert_eq!(
            abbreviate_full("abcdefghijklmno", 10, 10).unwrap(),
            "...ijklmno"
        );
        assert!(abbreviate_full(s, 0, 3).is_err());
    }

    #[test]
    fn wrap_follows_goutils() {
        assert_eq!(
            wrap_custom("Hello world, here", 5, "", false),
            "Hello\nworld,\nhere"
        );
        assert_eq!(
            wrap_custom("abcdefgh ij", 3, "<br>", true),
            "abc<br>def<br>gh<br>ij"
        );
    }

    #[test]
    fn byte_wise_functions_mangle_like_go() {
        assert_eq!(initials("é x"), "Ãx");
        assert_eq!(delete_white_space("a b"), "ab");
        assert_eq!(delete_white_space("é"), "é");
        assert_eq!(swap_case("This Is"), "tHIS iS");
    }
}
