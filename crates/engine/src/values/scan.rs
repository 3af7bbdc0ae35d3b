//! The reading half of Helm's strvals parsers: a rune reader with Go's `bytes.Buffer`
//! semantics (`ReadRune`, `UnreadRune`), `runesUntil`, and the few Go library functions the
//! parsers lean on (`strconv.Atoi`, `strconv.ParseInt`, `strings.EqualFold`), with Go's
//! results and error texts.
use crate::gofmt::quote;

/// A cursor over the text of one `--set` argument.
pub(super) struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    /// The byte width of the rune just read, so that it can be unread.
    last_width: Option<usize>,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            text,
            pos: 0,
            last_width: None,
        }
    }

    /// `ReadRune`: the next character, or `None` at the end.
    pub(super) fn read_rune(&mut self) -> Option<char> {
        let c = self.text[self.pos..].chars().next();
        self.last_width = c.map(char::len_utf8);
        if let Some(c) = c {
            self.pos += c.len_utf8();
        }
        c
    }

    /// `UnreadRune`: steps back over the character just read; does nothing otherwise, as
    /// Go's buffer refuses (with an error the parsers ignore).
    pub(super) fn unread_rune(&mut self) {
        if let Some(width) = self.last_width.take() {
            self.pos -= width;
        }
    }

    /// What is left to read.
    pub(super) fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Skips `n` bytes of what is left, as `io.CopyN(io.Discard, buffer, n)` does.
    pub(super) fn skip_bytes(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.text.len());
        self.last_width = None;
    }

    /// `runesUntil` (with `escapes`) or `runesUntilLiteral`: the characters up to the first
    /// one in `stop`, and that character (`None` when the text ended first). With `escapes`
    /// a backslash takes the next character as it is, stop characters included; a trailing
    /// backslash is dropped.
    pub(super) fn runes_until(&mut self, stop: &[char], escapes: bool) -> (String, Option<char>) {
        let mut runes = String::new();
        loop {
            match self.read_rune() {
                None => return (runes, None),
                Some(c) if stop.contains(&c) => return (runes, Some(c)),
                Some('\\') if escapes => match self.read_rune() {
                    None => return (runes, None),
                    Some(next) => runes.push(next),
                },
                Some(c) => runes.push(c),
            }
        }
    }
}

/// Why `strconv` refused a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NumError {
    Syntax,
    Range,
}

/// `strconv.ParseInt(s, 10, 64)`: an optional sign and at least one decimal digit, within
/// the range of an int64. (`strconv.Atoi` accepts exactly the same texts on 64-bit Go.)
pub(super) fn parse_int(s: &str) -> Result<i64, NumError> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumError::Syntax);
    }
    let mut magnitude: u64 = 0;
    for b in digits.bytes() {
        magnitude = magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(b - b'0')))
            .ok_or(NumError::Range)?;
    }
    let limit = if negative {
        i64::MIN.unsigned_abs()
    } else {
        i64::MAX.unsigned_abs()
    };
    if magnitude > limit {
        return Err(NumError::Range);
    }
    Ok(if negative {
        0i64.wrapping_sub_unsigned(magnitude)
    } else {
        // Within i64::MAX, checked above.
        magnitude as i64
    })
}

/// `strconv.Atoi(s)`, with the text of Go's `*strconv.NumError`.
pub(super) fn atoi(s: &str) -> Result<i64, String> {
    parse_int(s).map_err(|e| {
        let reason = match e {
            NumError::Syntax => "invalid syntax",
            NumError::Range => "value out of range",
        };
        format!("strconv.Atoi: parsing {}: {reason}", quote(s))
    })
}

/// `strings.EqualFold(s, word)` for an ASCII lower-case `word`: equal under Unicode simple
/// case folding. Beyond ASCII case, only two runes fold onto ASCII letters: U+017F (ſ) onto
/// `s` and U+212A (Kelvin sign) onto `k`.
pub(super) fn equal_fold(s: &str, word: &str) -> bool {
    let mut chars = s.chars();
    for w in word.chars() {
        let Some(c) = chars.next() else {
            return false;
        };
        let folds = c.to_ascii_lowercase() == w
            || (w == 's' && c == '\u{17F}')
            || (w == 'k' && c == '\u{212A}');
        if !folds {
            return false;
        }
    }
    chars.next().is_none()
}

/// How `fmt` prints a `[]rune` with `%q`: each rune quoted, between brackets.
pub(super) fn quote_runes(s: &str) -> String {
    let quoted: Vec<String> = s
        .chars()
        .map(|c| crate::gofmt::quote_rune(i64::from(u32::from(c))))
        .collect();
    format!("[{}]", quoted.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_follows_strconv() {
        assert_eq!(parse_int("42"), Ok(42));
        assert_eq!(parse_int("+7"), Ok(7));
        assert_eq!(parse_int("-007"), Ok(-7));
        assert_eq!(parse_int("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(parse_int("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(parse_int("9223372036854775808"), Err(NumError::Range));
        assert_eq!(parse_int("99999999999999999999999"), Err(NumError::Range));
        for bad in ["", "+", "-", "1_000", "0x1F", "1e3", " 1", "١"] {
            assert_eq!(parse_int(bad), Err(NumError::Syntax), "{bad:?}");
        }
    }

    #[test]
    fn atoi_errors_read_like_go() {
        assert_eq!(
            atoi("x").unwrap_err(),
            r#"strconv.Atoi: parsing "x": invalid syntax"#
        );
        assert_eq!(
            atoi("99999999999999999999").unwrap_err(),
            r#"strconv.Atoi: parsing "99999999999999999999": value out of range"#
        );
    }

    #[test]
    fn equal_fold_knows_the_long_s() {
        assert!(equal_fold("FaLsE", "false"));
        assert!(equal_fold("fal\u{17F}e", "false"));
        assert!(!equal_fold("fals", "false"));
        assert!(!equal_fold("falsee", "false"));
        assert!(!equal_fold("tru\u{E9}", "true"));
    }

    #[test]
    fn runes_until_honours_escapes() {
        let mut s = Scanner::new(r"a\.b\=c.d\");
        assert_eq!(s.runes_until(&['.'], true), ("a.b=c".to_owned(), Some('.')));
        assert_eq!(s.runes_until(&['.'], true), ("d".to_owned(), None));
        let mut s = Scanner::new(r"a\.b");
        assert_eq!(s.runes_until(&['.'], false), (r"a\".to_owned(), Some('.')));
    }
}
