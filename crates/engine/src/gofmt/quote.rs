//! Go string and rune literals: `strconv.Quote`, `QuoteToASCII`, `QuoteRune`,
//! `QuoteRuneToASCII`, `CanBackquote` and `IsPrint`, over bytes as Go strings are (invalid
//! UTF-8 becomes `\x` escapes), plus Go's UTF-8 decoding rules.
use super::isprint::{IS_NOT_PRINT16, IS_NOT_PRINT32, IS_PRINT16, IS_PRINT32};

/// Go's `utf8.RuneError`, U+FFFD.
pub(super) const RUNE_ERROR: char = '\u{FFFD}';

/// Go's `utf8.MaxRune`.
pub(super) const MAX_RUNE: u64 = 0x10FFFF;

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Go's `utf8.DecodeRune`: the first rune of `b` and its width; an invalid or truncated
/// sequence (or empty input) gives `(None, 1)` (Go's `RuneError` with width 1; `(None, 0)`
/// for empty input).
pub(super) fn decode_rune(b: &[u8]) -> (Option<char>, usize) {
    if b.is_empty() {
        return (None, 0);
    }
    let window = &b[..b.len().min(4)];
    let valid = match std::str::from_utf8(window) {
        Ok(s) => s,
        // The valid prefix is itself valid UTF-8, so this never falls back.
        Err(e) => std::str::from_utf8(&window[..e.valid_up_to()]).unwrap_or_default(),
    };
    match valid.chars().next() {
        Some(c) => (Some(c), c.len_utf8()),
        None => (None, 1),
    }
}

/// Go's `utf8.RuneCount`: each invalid byte counts as one rune.
pub(super) fn rune_count(b: &[u8]) -> usize {
    match std::str::from_utf8(b) {
        Ok(s) => s.chars().count(),
        Err(_) => {
            let (mut n, mut i) = (0, 0);
            while i < b.len() {
                i += decode_rune(&b[i..]).1;
                n += 1;
            }
            n
        }
    }
}

/// Go's `strconv.Quote`: a double-quoted Go string literal.
pub fn quote(s: &str) -> String {
    quote_bytes(s.as_bytes(), false)
}

/// Go's `strconv.QuoteToASCII`: like `quote` with every non-ASCII rune escaped.
pub fn quote_to_ascii(s: &str) -> String {
    quote_bytes(s.as_bytes(), true)
}

/// Go's `strconv.QuoteRune` of a Go rune (any int32; invalid ones print as U+FFFD).
pub fn quote_rune(r: i64) -> String {
    let mut buf = Vec::new();
    append_quoted_rune(&mut buf, r, false);
    bytes_to_string(buf)
}

/// Go's `strconv.QuoteRuneToASCII`.
pub fn quote_rune_to_ascii(r: i64) -> String {
    let mut buf = Vec::new();
    append_quoted_rune(&mut buf, r, true);
    bytes_to_string(buf)
}

fn quote_bytes(s: &[u8], ascii_only: bool) -> String {
    let mut buf = Vec::with_capacity(s.len() + 2);
    append_quoted(&mut buf, s, ascii_only);
    bytes_to_string(buf)
}

/// Quoting only emits valid UTF-8 (escapes are ASCII, runes are re-encoded).
fn bytes_to_string(buf: Vec<u8>) -> String {
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Appends `s` (possibly invalid UTF-8) as a double-quoted Go literal.
pub(super) fn append_quoted(buf: &mut Vec<u8>, mut s: &[u8], ascii_only: bool) {
    buf.push(b'"');
    while !s.is_empty() {
        // Printable ASCII other than the quote and the backslash is copied as is; taking
        // such runs whole skips decoding them rune by rune.
        let plain = s
            .iter()
            .position(|&b| !((0x20..0x7f).contains(&b) && b != b'"' && b != b'\\'))
            .unwrap_or(s.len());
        if plain > 0 {
            buf.extend_from_slice(&s[..plain]);
            s = &s[plain..];
            continue;
        }
        let (r, width) = decode_rune(s);
        match r {
            Some(r) => append_escaped_rune(buf, r, b'"', ascii_only),
            None => {
                buf.extend_from_slice(b"\\x");
                buf.push(LOWER_HEX[usize::from(s[0] >> 4)]);
                buf.push(LOWER_HEX[usize::from(s[0] & 0xF)]);
            }
        }
        s = &s[width..];
    }
    buf.push(b'"');
}

/// Appends the Go rune `r` as a single-quoted Go literal.
pub(super) fn append_quoted_rune(buf: &mut Vec<u8>, r: i64, ascii_only: bool) {
    buf.push(b'\'');
    append_escaped_rune(buf, valid_rune(r), b'\'', ascii_only);
    buf.push(b'\'');
}

/// The char of Go rune `r`, or U+FFFD when it is not a valid code point.
pub(super) fn valid_rune(r: i64) -> char {
    u32::try_from(r)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or(RUNE_ERROR)
}

fn append_escaped_rune(buf: &mut Vec<u8>, r: char, quote: u8, ascii_only: bool) {
    if r == char::from(quote) || r == '\\' {
        buf.push(b'\\');
        buf.push(quote_byte(r));
        return;
    }
    if ascii_only {
        if r.is_ascii() && is_print(r) {
            buf.push(quote_byte(r));
            return;
        }
    } else if is_print(r) {
        let mut utf8 = [0; 4];
        buf.extend_from_slice(r.encode_utf8(&mut utf8).as_bytes());
        return;
    }
    let escape: &[u8] = match r {
        '\x07' => b"\\a",
        '\x08' => b"\\b",
        '\x0C' => b"\\f",
        '\n' => b"\\n",
        '\r' => b"\\r",
        '\t' => b"\\t",
        '\x0B' => b"\\v",
        _ => {
            let code = u32::from(r);
            if code < u32::from(b' ') || code == 0x7F {
                buf.extend_from_slice(b"\\x");
                push_hex(buf, code, 2);
            } else if code < 0x10000 {
                buf.extend_from_slice(b"\\u");
                push_hex(buf, code, 4);
            } else {
                buf.extend_from_slice(b"\\U");
                push_hex(buf, code, 8);
            }
            return;
        }
    };
    buf.extend_from_slice(escape);
}

/// The byte of an ASCII char (callers check it is ASCII).
fn quote_byte(r: char) -> u8 {
    u8::try_from(r).unwrap_or(b'?')
}

fn push_hex(buf: &mut Vec<u8>, code: u32, digits: u32) {
    for i in (0..digits).rev() {
        buf.push(LOWER_HEX[((code >> (i * 4)) & 0xF) as usize]);
    }
}

/// Go's `strconv.CanBackquote`: whether `s` can be a raw string literal unchanged.
pub(super) fn can_backquote(mut s: &[u8]) -> bool {
    while !s.is_empty() {
        let (r, width) = decode_rune(s);
        s = &s[width..];
        match r {
            // Invalid UTF-8, or an invisible byte order mark.
            None | Some('\u{FEFF}') => return false,
            // Other multibyte runes are assumed printable.
            Some(r) if width == 1 && ((r < ' ' && r != '\t') || r == '`' || r == '\x7F') => {
                return false;
            }
            Some(_) => {}
        }
    }
    true
}

/// Go's `strconv.IsPrint` (the same as `unicode.IsPrint`): letters, marks, numbers,
/// punctuation, symbols and the ASCII space.
pub fn is_print(r: char) -> bool {
    let r = u32::from(r);
    if r <= 0xFF {
        return (0x20..=0x7E).contains(&r) || ((0xA1..=0xFF).contains(&r) && r != 0xAD);
    }
    if let Ok(r16) = u16::try_from(r) {
        return in_ranges(IS_PRINT16, r16) && IS_NOT_PRINT16.binary_search(&r16).is_err();
    }
    if !in_ranges(IS_PRINT32, r) {
        return false;
    }
    if r >= 0x20000 {
        return true;
    }
    u16::try_from(r - 0x10000).is_ok_and(|low| IS_NOT_PRINT32.binary_search(&low).is_err())
}

/// Whether `x` lies in one of the inclusive `[lo, hi]` pairs of the sorted `table`.
fn in_ranges<T: Ord + Copy>(table: &[T], x: T) -> bool {
    // The first entry >= x is either the start or the end of the pair that may hold x.
    let i = table.partition_point(|&e| e < x);
    if i >= table.len() {
        return false;
    }
    let (lo, hi) = (table[i & !1], table[i | 1]);
    lo <= x && x <= hi
}
