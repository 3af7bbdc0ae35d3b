//! The lexer states inside an action that scan operands: identifiers and keywords, fields
//! and variables, character constants, numbers and quoted strings (Go's `lexIdentifier`,
//! `lexField`, `lexVariable`, `lexChar`, `lexNumber`, `lexQuote`, `lexRawQuote`).
use super::chars::{bytes_start_with, is_alpha_numeric, unicode_format};
use super::{ItemType, Lexer, Step};
use crate::gofmt::quote;

impl Lexer<'_> {
    /// Scans an alphanumeric word: a keyword, a boolean or an identifier.
    pub(super) fn lex_identifier(&mut self) -> Step {
        let r = self.scan_alpha_numeric();
        if !self.at_terminator() {
            return self.bad_character(r);
        }
        let word = &self.input[self.start..self.pos];
        let typ = match ItemType::keyword(word) {
            Some(ItemType::Break) if !self.options.break_ok => ItemType::Identifier,
            Some(ItemType::Continue) if !self.options.continue_ok => ItemType::Identifier,
            Some(keyword) => keyword,
            None if word == "true" || word == "false" => ItemType::Bool,
            None => ItemType::Identifier,
        };
        self.emit(typ)
    }

    fn bad_character(&mut self, r: Option<char>) -> Step {
        let shown = r.map_or_else(|| "U+FFFFFFFFFFFFFFFF".to_owned(), unicode_format);
        self.errorf(format!("bad character {shown}"))
    }

    /// Scans a variable: `$` alone or `$Alphanumeric`. The `$` has been scanned.
    pub(super) fn lex_variable(&mut self) -> Step {
        if self.at_terminator() {
            return self.emit(ItemType::Variable);
        }
        self.lex_field_or_variable(ItemType::Variable)
    }

    /// Scans a field or variable: `[.$]Alphanumeric`. The `.` or `$` has been scanned.
    pub(super) fn lex_field_or_variable(&mut self, typ: ItemType) -> Step {
        if self.at_terminator() {
            if typ == ItemType::Variable {
                return self.emit(ItemType::Variable);
            }
            return self.emit(ItemType::Dot);
        }
        let r = self.scan_alpha_numeric();
        if !self.at_terminator() {
            return self.bad_character(r);
        }
        self.emit(typ)
    }

    /// Consumes a run of alphanumeric runes and returns the rune after it, which is left in
    /// the input (`None` at the end).
    fn scan_alpha_numeric(&mut self) -> Option<char> {
        self.skip_ascii_alpha_numeric();
        // An ASCII byte after the ASCII run ends the word: no rune to decode and back up.
        match self.input.as_bytes().get(self.pos) {
            None => {
                self.at_eof = true;
                return None;
            }
            Some(&b) if b.is_ascii() => return Some(char::from(b)),
            Some(_) => {}
        }
        loop {
            let r = self.next();
            if !r.is_some_and(is_alpha_numeric) {
                self.backup();
                return r;
            }
        }
    }

    /// Skips ASCII letters, digits and underscores: the common case of `is_alpha_numeric`,
    /// without decoding runes one by one. None of them is a newline.
    fn skip_ascii_alpha_numeric(&mut self) {
        let rest = &self.input.as_bytes()[self.pos..];
        self.pos += rest
            .iter()
            .position(|&b| !ASCII_WORD[usize::from(b)])
            .unwrap_or(rest.len());
    }

    /// Reports whether the input is at a character that may follow an identifier. This
    /// splits `.X.Y` in two and rejects `$x+2`.
    fn at_terminator(&self) -> bool {
        // Every terminator is ASCII, so the next byte decides without decoding a rune.
        let rest = &self.input.as_bytes()[self.pos..];
        match rest.first() {
            None | Some(b'.' | b',' | b'|' | b':' | b')' | b'(' | b' ' | b'\t' | b'\r' | b'\n') => {
                true
            }
            Some(_) => bytes_start_with(rest, self.right_delim.as_bytes()),
        }
    }

    /// Scans a character constant; the opening quote has been scanned. The parser checks
    /// its syntax.
    pub(super) fn lex_char(&mut self) -> Step {
        self.lex_escaped(
            '\'',
            ItemType::CharConstant,
            "unterminated character constant",
        )
    }

    /// Scans a number: decimal, octal, hex, float or imaginary. Like Go's, it accepts some
    /// invalid forms ("089", "0x0.2") that the parser then rejects.
    pub(super) fn lex_number(&mut self) -> Step {
        if !self.scan_number() {
            return self.bad_number();
        }
        if matches!(self.peek(), Some('+' | '-')) {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !self.scan_number() || self.input.as_bytes()[self.pos - 1] != b'i' {
                return self.bad_number();
            }
            return self.emit(ItemType::Complex);
        }
        self.emit(ItemType::Number)
    }

    fn bad_number(&mut self) -> Step {
        let text = quote(&self.input[self.start..self.pos]);
        self.errorf(format!("bad number syntax: {text}"))
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            // A leading 0 does not mean octal in floats.
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 10 + 1 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 16 + 6 + 1 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        // The next thing mustn't be alphanumeric.
        if self.peek().is_some_and(is_alpha_numeric) {
            self.next();
            return false;
        }
        true
    }

    /// Scans a quoted string; the opening quote has been scanned.
    pub(super) fn lex_quote(&mut self) -> Step {
        self.lex_escaped('"', ItemType::String, "unterminated quoted string")
    }

    /// Scans up to the `close` quote of a literal with backslash escapes on one line, and
    /// emits it as `typ`; `unterminated` is the error at a newline or the end.
    fn lex_escaped(&mut self, close: char, typ: ItemType, unterminated: &str) -> Step {
        loop {
            match self.next() {
                Some('\\') => {
                    if !matches!(self.next(), None | Some('\n')) {
                        continue;
                    }
                    return self.errorf(unterminated.to_owned());
                }
                None | Some('\n') => return self.errorf(unterminated.to_owned()),
                Some(c) if c == close => return self.emit(typ),
                Some(_) => {}
            }
        }
    }

    /// Scans a raw quoted string; the opening backquote has been scanned.
    pub(super) fn lex_raw_quote(&mut self) -> Step {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".to_owned()),
                Some('`') => return self.emit(ItemType::RawString),
                Some(_) => {}
            }
        }
    }
}

/// The ASCII letters, digits and underscore, as a table: one load per byte of a name
/// instead of three range tests.
const ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};
