//! The lexical side of Masterminds' constraint language, which Go expresses as regular
//! expressions (`cvRegex`, `constraintRangeRegex`, `validConstraintRegex`,
//! `findConstraintRegex`): the same matches, found by hand.
//!
//! Every token class is a set of ASCII bytes and the classes barely overlap, so each Go
//! pattern has one greedy reading; the functions below say why where it matters. Go's `\s`
//! is ASCII-only (`[\t\n\f\r ]`), and so is everything here.
use std::borrow::Cow;

use super::comparison::Operator;

/// `[0-9A-Za-z-]`: a byte of a prerelease or metadata identifier.
pub(super) fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// `[0-9|x|X|\*]`: a byte of a number in a constraint. The `|` is in Go's class by accident
/// and stays, so `1|2` reads as one (unparsable) number, as in Go.
fn is_wildcard_digit(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'|' | b'x' | b'X' | b'*')
}

/// Go's `\s`.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The bytes operators are made of; none can start or continue a version.
fn is_operator_char(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'>' | b'<' | b'~' | b'^')
}

/// A position in a string, moved by the token readers below.
pub(super) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(text: &'a str) -> Cursor<'a> {
        Cursor::at(text, 0)
    }

    fn at(text: &'a str, pos: usize) -> Cursor<'a> {
        Cursor { text, pos }
    }

    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn peek_second_is(&self, pred: impl Fn(u8) -> bool) -> bool {
        self.text
            .as_bytes()
            .get(self.pos + 1)
            .is_some_and(|&b| pred(b))
    }

    /// Consumes `b` if it is next.
    pub(super) fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Consumes the longest run of bytes matching `pred` (ASCII classes only, so the run
    /// ends on a character boundary).
    pub(super) fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    fn skip_spaces(&mut self) -> usize {
        self.take_while(is_space).len()
    }

    /// `(\.C+)?` for the class `pred`: the run after the dot, if a dot and one byte of the
    /// class are next.
    pub(super) fn dotted(&mut self, pred: impl Fn(u8) -> bool) -> Option<&'a str> {
        if self.peek() != Some(b'.') || !self.peek_second_is(&pred) {
            return None;
        }
        self.pos += 1;
        Some(self.take_while(pred))
    }

    /// `(LEAD(I+(\.I+)*))?` with `I` the identifier bytes: the identifiers after `lead`, or
    /// "" (consuming nothing) when `lead` and an identifier byte are not next.
    pub(super) fn dotted_identifiers_after(&mut self, lead: u8) -> &'a str {
        if self.peek() != Some(lead) || !self.peek_second_is(is_ident_char) {
            return "";
        }
        self.pos += 1;
        let start = self.pos;
        self.take_while(is_ident_char);
        while self.dotted(is_ident_char).is_some() {}
        &self.text[start..self.pos]
    }
}

/// A version as a constraint writes it (`cvRegex`), with the captures Go's parser uses.
#[derive(Clone, Copy, Debug)]
pub(super) struct ConstraintVersion<'a> {
    /// The whole version as written, `v` and metadata included.
    pub(super) text: &'a str,
    pub(super) major: &'a str,
    /// Without its leading dot.
    pub(super) minor: Option<&'a str>,
    /// Without its leading dot.
    pub(super) patch: Option<&'a str>,
    /// With its leading `-`; "" when absent.
    pub(super) pre: &'a str,
    end: usize,
}

/// Matches `cvRegex` at `start`, greedily:
/// `v?W+(\.W+)?(\.W+)?(-I+(\.I+)*)?(\+I+(\.I+)*)?` with `W` the wildcard digits. Each part
/// stops at a byte only a later part can take, so the greedy match is the longest one, and
/// a string is a version exactly when the greedy match covers it.
fn match_constraint_version(text: &str, start: usize) -> Option<ConstraintVersion<'_>> {
    let mut cursor = Cursor::at(text, start);
    if cursor.peek() == Some(b'v') && cursor.peek_second_is(is_wildcard_digit) {
        cursor.pos += 1;
    }
    let major = cursor.take_while(is_wildcard_digit);
    if major.is_empty() {
        return None;
    }
    let minor = cursor.dotted(is_wildcard_digit);
    let patch = cursor.dotted(is_wildcard_digit);
    let pre_start = cursor.pos;
    cursor.dotted_identifiers_after(b'-');
    let pre = &text[pre_start..cursor.pos];
    cursor.dotted_identifiers_after(b'+');
    Some(ConstraintVersion {
        text: &text[start..cursor.pos],
        major,
        minor,
        patch,
        pre,
        end: cursor.pos,
    })
}

/// Matches a version that must end exactly at `end`.
fn match_version_spanning(text: &str, start: usize, end: usize) -> Option<ConstraintVersion<'_>> {
    match_constraint_version(text, start).filter(|v| v.end == end)
}

/// The end of the run of bytes starting at `from` that are not blanks or (when `commas`)
/// commas: where a version must end when only those may follow it.
fn run_end(text: &str, from: usize, commas: bool) -> usize {
    let stop = |b: u8| is_space(b) || (commas && b == b',');
    text.as_bytes()[from..]
        .iter()
        .position(|&b| stop(b))
        .map_or(text.len(), |n| from + n)
}

/// One `\s*(cv)\s+-\s+(cv)\s*` match of `constraintRangeRegex`.
struct HyphenRange<'a> {
    whole: &'a str,
    low: &'a str,
    high: &'a str,
    end: usize,
}

/// The hyphen range starting at `start`, if any. The low version must end at the first
/// blank (blanks are not version bytes and one must follow it); the high one is free to
/// end anywhere, as the pattern's tail matches the empty string.
fn hyphen_range_at(text: &str, start: usize) -> Option<HyphenRange<'_>> {
    let mut cursor = Cursor::at(text, start);
    cursor.skip_spaces();
    let low_start = cursor.pos;
    let low_end = run_end(text, low_start, false);
    if low_end == text.len() {
        return None;
    }
    let low = match_version_spanning(text, low_start, low_end)?;
    cursor.pos = low_end;
    cursor.skip_spaces();
    if !cursor.eat(b'-') || cursor.skip_spaces() == 0 {
        return None;
    }
    let high = match_constraint_version(text, cursor.pos)?;
    cursor.pos = high.end;
    cursor.skip_spaces();
    Some(HyphenRange {
        whole: &text[start..cursor.pos],
        low: low.text,
        high: high.text,
        end: cursor.pos,
    })
}

/// Go's `rewriteRange`: every hyphen range `A - B` becomes `>= A, <= B `. Like Go, the
/// matches are found on the original text, left to right without overlap, and each is
/// then replaced at its first occurrence in the text rewritten so far.
pub(super) fn rewrite_ranges(c: &str) -> Cow<'_, str> {
    let mut ranges = Vec::new();
    let mut pos = 0;
    let starts = |from: usize| (from..c.len()).filter(|&start| c.is_char_boundary(start));
    while let Some(range) = starts(pos).find_map(|start| hyphen_range_at(c, start)) {
        pos = range.end;
        ranges.push(range);
    }
    if ranges.is_empty() {
        return Cow::Borrowed(c);
    }
    let mut rewritten = c.to_owned();
    for range in ranges {
        let replacement = format!(">= {}, <= {} ", range.low, range.high);
        rewritten = rewritten.replacen(range.whole, &replacement, 1);
    }
    Cow::Owned(rewritten)
}

/// One comparison of a group: its operator, as written (possibly empty), and its version.
#[derive(Clone, Copy, Debug)]
pub(super) struct Term<'a> {
    pub(super) operator: Operator,
    pub(super) spelling: &'a str,
    pub(super) version: ConstraintVersion<'a>,
}

/// The terms of one `||` group, or `None` when the group does not match
/// `validConstraintRegex`:
///
/// ```text
/// group = \s* term (sep term)* \s*      sep  = \s+ | \s* , \s*
/// term  = op \s* cv                      op   = "" = != > < >= => <= =< ~ ~> ^
/// ```
///
/// Operator bytes, version bytes, blanks and commas are disjoint classes, so a term's
/// operator is its whole run of operator bytes and its version runs to the next blank,
/// comma or end. For a valid group, Go's `findConstraintRegex` finds exactly these terms.
pub(super) fn split_terms(group: &str) -> Option<Vec<Term<'_>>> {
    let mut terms = Vec::new();
    let mut cursor = Cursor::new(group);
    cursor.skip_spaces();
    loop {
        let spelling = cursor.take_while(is_operator_char);
        let operator = Operator::from_spelling(spelling)?;
        cursor.skip_spaces();
        let end = run_end(group, cursor.pos, true);
        let version = match_version_spanning(group, cursor.pos, end)?;
        terms.push(Term {
            operator,
            spelling,
            version,
        });
        cursor.pos = end;
        cursor.skip_spaces();
        if cursor.at_end() {
            return Some(terms);
        }
        // Not at the end, so a blank or a comma stopped the version: either separates.
        if cursor.eat(b',') {
            cursor.skip_spaces();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphen_ranges_are_rewritten_as_go_rewrites_them() {
        let cases = [
            // Upstream's TestRewriteRange.
            ("2 - 3", ">= 2, <= 3 "),
            ("2 - 3, 2 - 3", ">= 2, <= 3 ,>= 2, <= 3 "),
            ("2 - 3, 4.0.0 - 5.1", ">= 2, <= 3 ,>= 4.0.0, <= 5.1 "),
            ("2 - 3 4.0.0 - 5.1", ">= 2, <= 3 >= 4.0.0, <= 5.1 "),
            ("1.0.0 - 2.0.0 <=2.0.0", ">= 1.0.0, <= 2.0.0 <=2.0.0"),
            // A match may start inside a word, and the high end stops wherever it can.
            ("a1 - 2", "a>= 1, <= 2 "),
            ("1.2.3.4 - 5", "1.>= 2.3.4, <= 5 "),
            ("1 - 2.3.4.5", ">= 1, <= 2.3.4 .5"),
            ("1 - 2||3", ">= 1, <= 2||3 "),
            ("é1 - 2", "é>= 1, <= 2 "),
            // Not ranges.
            ("1-2", "1-2"),
            ("1 -2", "1 -2"),
            ("1 - ", "1 - "),
            (">=1.2 <2", ">=1.2 <2"),
        ];
        for (input, want) in cases {
            assert_eq!(rewrite_ranges(input), want, "{input:?}");
        }
    }

    /// Each term as (operator, version), both as written.
    type Written<'a> = &'a [(&'a str, &'a str)];

    #[test]
    fn groups_split_into_terms_or_fail_the_grammar() {
        let cases: &[(&str, Option<Written<'_>>)] = &[
            (">= 1.1", Some(&[(">=", "1.1")])),
            (
                ">40.50.60, < 50.70",
                Some(&[(">", "40.50.60"), ("<", "50.70")]),
            ),
            (
                "  1.2 ,  ~>v1.3-rc+b ",
                Some(&[("", "1.2"), ("~>", "v1.3-rc+b")]),
            ),
            ("12.3.34 ~1.2.3", Some(&[("", "12.3.34"), ("~", "1.2.3")])),
            ("12.3.34~ 1.2.3", None),
            ("BAR >= 1.2.3", None),
            ("1,,2", None),
            (">1<2", None),
            ("", None),
            ("==1", None),
        ];
        for (group, want) in cases {
            let terms = split_terms(group);
            let got: Option<Vec<(&str, &str)>> =
                terms.map(|t| t.iter().map(|t| (t.spelling, t.version.text)).collect());
            assert_eq!(got.as_deref(), *want, "{group:?}");
        }
    }

    #[test]
    fn constraint_versions_expose_the_parts_go_captures() {
        let v = match_constraint_version("v1.x.3-rc.1+b ", 0).expect("a version");
        assert_eq!(
            (v.text, v.major, v.minor, v.patch, v.pre),
            ("v1.x.3-rc.1+b", "1", Some("x"), Some("3"), "-rc.1")
        );
        let v = match_constraint_version("*", 0).expect("a version");
        assert_eq!((v.major, v.minor, v.patch, v.pre), ("*", None, None, ""));
        assert!(match_constraint_version("v.1", 0).is_none());
        assert!(match_constraint_version("-1", 0).is_none());
    }
}
