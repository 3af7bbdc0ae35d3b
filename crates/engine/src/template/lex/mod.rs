//! The template lexer: Go's `text/template/parse/lex.go` as a state machine with one function
//! per Go `lexXxx` state. Trim markers (`{{- ` and ` -}}`) are handled here and only here; the
//! parser never sees the trimmed space.
use crate::gofmt::is_print;

mod chars;
mod item;
mod operand;

use chars::{
    bytes_start_with, count_newlines, has_left_trim_marker, has_right_trim_marker,
    is_alpha_numeric, is_space, left_trim_length, right_trim_length, starts_with, unicode_format,
};
pub(crate) use item::{Item, ItemType};

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
/// Attached to a delimiter, trims the adjacent spaces of the surrounding text.
const TRIM_MARKER: u8 = b'-';
/// The marker plus the space before or after it.
const TRIM_MARKER_LEN: usize = 2;

/// Which keywords the lexer recognises; `break` and `continue` are plain identifiers when
/// the function map defines functions of those names.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LexOptions {
    pub break_ok: bool,
    pub continue_ok: bool,
}

/// The states of the scanner, one per Go `lexXxx` function.
#[derive(Clone, Copy, Debug)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

/// The state of the scanner. `next_item` runs states until one emits an item.
pub(crate) struct Lexer<'a> {
    input: &'a str,
    left_delim: &'a str,
    right_delim: &'a str,
    pos: usize,
    start: usize,
    at_eof: bool,
    paren_depth: usize,
    line: usize,
    start_line: usize,
    item: Item<'a>,
    inside_action: bool,
    options: LexOptions,
    /// The message of the error item, once one was emitted.
    error: String,
}

/// A state function's outcome: the next state, or `None` once an item was emitted.
type Step = Option<State>;

impl<'a> Lexer<'a> {
    /// Creates a scanner; empty delimiters mean the defaults `{{` and `}}`.
    pub(crate) fn new(input: &'a str, left: &'a str, right: &'a str, options: LexOptions) -> Self {
        Lexer {
            input,
            left_delim: if left.is_empty() { LEFT_DELIM } else { left },
            right_delim: if right.is_empty() { RIGHT_DELIM } else { right },
            pos: 0,
            start: 0,
            at_eof: false,
            paren_depth: 0,
            line: 1,
            start_line: 1,
            item: Item::eof(0, 1),
            inside_action: false,
            options,
            error: String::new(),
        }
    }

    /// The message of the error item the scan ended with.
    pub(crate) fn error(&self) -> &str {
        &self.error
    }

    /// Returns the next item from the input.
    pub(crate) fn next_item(&mut self) -> Item<'a> {
        let mut state = if self.inside_action {
            State::InsideAction
        } else {
            State::Text
        };
        // The states run until one emits: every `None` step has set `self.item`.
        while let Some(next) = self.run(state) {
            state = next;
        }
        self.item
    }

    fn run(&mut self, state: State) -> Step {
        match state {
            State::Text => self.lex_text(),
            State::LeftDelim => self.lex_left_delim(),
            State::Comment => self.lex_comment(),
            State::RightDelim => self.lex_right_delim(),
            State::InsideAction => self.lex_inside_action(),
            State::Space => self.lex_space(),
            State::Identifier => self.lex_identifier(),
            State::Field => self.lex_field_or_variable(ItemType::Field),
            State::Variable => self.lex_variable(),
            State::Char => self.lex_char(),
            State::Number => self.lex_number(),
            State::Quote => self.lex_quote(),
            State::RawQuote => self.lex_raw_quote(),
        }
    }

    /// Returns the next rune in the input, `None` at the end.
    #[inline]
    fn next(&mut self) -> Option<char> {
        let r = match self.input.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => char::from(b),
            Some(_) => self.input[self.pos..].chars().next()?,
            None => {
                self.at_eof = true;
                return None;
            }
        };
        self.pos += r.len_utf8();
        if r == '\n' {
            self.line += 1;
        }
        Some(r)
    }

    /// Returns but does not consume the next rune in the input.
    fn peek(&mut self) -> Option<char> {
        let r = self.next();
        self.backup();
        r
    }

    /// Steps back one rune.
    #[inline]
    fn backup(&mut self) {
        if self.at_eof || self.pos == 0 {
            return;
        }
        let width = match self.input.as_bytes()[self.pos - 1] {
            b'\n' => {
                self.line -= 1;
                1
            }
            b if b.is_ascii() => 1,
            _ => self.input[..self.pos]
                .chars()
                .next_back()
                .map_or(1, char::len_utf8),
        };
        self.pos -= width;
    }

    /// Returns the item at the current input point with the given type and advances past it.
    fn this_item(&mut self, typ: ItemType) -> Item<'a> {
        let item = Item {
            typ,
            pos: self.start,
            val: &self.input[self.start..self.pos],
            line: self.start_line,
        };
        self.start = self.pos;
        self.start_line = self.line;
        item
    }

    /// Passes the pending text as an item back to the parser.
    fn emit(&mut self, typ: ItemType) -> Step {
        let item = self.this_item(typ);
        self.emit_item(item)
    }

    fn emit_item(&mut self, item: Item<'a>) -> Step {
        self.item = item;
        None
    }

    /// Skips over the pending input, counting the newlines it holds.
    fn ignore(&mut self) {
        self.line += count_newlines(&self.input[self.start..self.pos]);
        self.start = self.pos;
        self.start_line = self.line;
    }

    /// Consumes the next rune if it is in `valid`.
    fn accept(&mut self, valid: &str) -> bool {
        if self.next().is_some_and(|r| valid.contains(r)) {
            return true;
        }
        self.backup();
        false
    }

    /// Consumes a run of runes from `valid`.
    fn accept_run(&mut self, valid: &str) {
        while self.next().is_some_and(|r| valid.contains(r)) {}
        self.backup();
    }

    /// Emits an error item and ends the scan: the input is dropped, so every later call
    /// finds its end.
    fn errorf(&mut self, message: String) -> Step {
        self.item = Item {
            typ: ItemType::Error,
            pos: self.start,
            val: "",
            line: self.start_line,
        };
        self.error = message;
        self.start = 0;
        self.pos = 0;
        self.input = "";
        None
    }

    /// Scans until an opening action delimiter.
    fn lex_text(&mut self) -> Step {
        if let Some(x) = find_delim(&self.input[self.pos..], self.left_delim) {
            if x > 0 {
                self.pos += x;
                let delim_end = self.pos + self.left_delim.len();
                let trim_length = if has_left_trim_marker(&self.input[delim_end..]) {
                    right_trim_length(&self.input[self.start..self.pos])
                } else {
                    0
                };
                self.pos -= trim_length;
                self.line += count_newlines(&self.input[self.start..self.pos]);
                let item = self.this_item(ItemType::Text);
                self.pos += trim_length;
                self.ignore();
                if !item.val.is_empty() {
                    return self.emit_item(item);
                }
            }
            return Some(State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.line += count_newlines(&self.input[self.start..self.pos]);
            return self.emit(ItemType::Text);
        }
        self.emit(ItemType::Eof)
    }

    /// Reports whether the input is at a right delimiter, and whether a trim marker
    /// precedes it.
    #[inline]
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.input.as_bytes()[self.pos..];
        let right = self.right_delim.as_bytes();
        // Inside an action this runs before every item; most start with neither a space
        // (of a trim marker) nor the delimiter, which the first byte tells.
        match rest.first() {
            Some(&b) if is_space(char::from(b)) => {
                let trimmed = rest.get(1) == Some(&TRIM_MARKER)
                    && bytes_start_with(&rest[TRIM_MARKER_LEN..], right);
                (trimmed || bytes_start_with(rest, right), trimmed)
            }
            Some(&b) if right.first() == Some(&b) => (bytes_start_with(rest, right), false),
            _ => (false, false),
        }
    }

    /// Scans the left delimiter, which is known to be present, possibly with a trim marker.
    fn lex_left_delim(&mut self) -> Step {
        self.pos += self.left_delim.len();
        let after_marker = if has_left_trim_marker(&self.input[self.pos..]) {
            TRIM_MARKER_LEN
        } else {
            0
        };
        if starts_with(&self.input[self.pos + after_marker..], LEFT_COMMENT) {
            self.pos += after_marker;
            self.ignore();
            return Some(State::Comment);
        }
        let item = self.this_item(ItemType::LeftDelim);
        self.inside_action = true;
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        self.emit_item(item)
    }

    /// Scans a comment. The left comment marker is known to be present.
    fn lex_comment(&mut self) -> Step {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = self.input[self.pos..].find(RIGHT_COMMENT) else {
            return self.errorf("unclosed comment".to_owned());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim_space) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".to_owned());
        }
        self.line += count_newlines(&self.input[self.start..self.pos]);
        // Comments are not emitted: the parser is never asked to keep them.
        self.this_item(ItemType::Comment);
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += self.right_delim.len();
        if trim_space {
            self.pos += left_trim_length(&self.input[self.pos..]);
        }
        self.ignore();
        Some(State::Text)
    }

    /// Scans the right delimiter, which is known to be present, possibly with a trim marker.
    fn lex_right_delim(&mut self) -> Step {
        let (_, trim_space) = self.at_right_delim();
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += self.right_delim.len();
        let item = self.this_item(ItemType::RightDelim);
        if trim_space {
            self.pos += left_trim_length(&self.input[self.pos..]);
            self.ignore();
        }
        self.inside_action = false;
        self.emit_item(item)
    }

    /// Scans the elements inside action delimiters.
    fn lex_inside_action(&mut self) -> Step {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Some(State::RightDelim);
            }
            return self.errorf("unclosed left paren".to_owned());
        }
        let Some(r) = self.next() else {
            return self.errorf("unclosed action".to_owned());
        };
        match r {
            r if is_space(r) => {
                // Put the space back in case it starts " -}}".
                self.backup();
                Some(State::Space)
            }
            '=' => self.emit(ItemType::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".to_owned());
                }
                self.emit(ItemType::Declare)
            }
            '|' => self.emit(ItemType::Pipe),
            '"' => Some(State::Quote),
            '`' => Some(State::RawQuote),
            '$' => Some(State::Variable),
            '\'' => Some(State::Char),
            '.' if !self
                .input
                .as_bytes()
                .get(self.pos)
                .is_some_and(u8::is_ascii_digit) =>
            {
                // ".field"; a digit after the dot starts a number.
                if self.pos < self.input.len() {
                    return Some(State::Field);
                }
                self.backup();
                Some(State::Number)
            }
            '.' | '+' | '-' | '0'..='9' => {
                self.backup();
                Some(State::Number)
            }
            r if is_alpha_numeric(r) => {
                self.backup();
                Some(State::Identifier)
            }
            '(' => {
                self.paren_depth += 1;
                self.emit(ItemType::LeftParen)
            }
            ')' => {
                if self.paren_depth == 0 {
                    return self.errorf("unexpected right paren".to_owned());
                }
                self.paren_depth -= 1;
                self.emit(ItemType::RightParen)
            }
            r if r.is_ascii() && is_print(r) => self.emit(ItemType::Char),
            r => self.errorf(format!(
                "unrecognized character in action: {}",
                unicode_format(r)
            )),
        }
    }

    /// Scans a run of space characters; the first one is known to be present. A
    /// trim-marked right delimiter starts with a space, so it is left for `lex_right_delim`.
    fn lex_space(&mut self) -> Step {
        // Spaces are ASCII: count them by byte rather than rune by rune.
        let rest = &self.input.as_bytes()[self.pos..];
        let num_spaces = rest
            .iter()
            .take_while(|&&b| is_space(char::from(b)))
            .count();
        self.line += rest[..num_spaces].iter().filter(|&&b| b == b'\n').count();
        self.pos += num_spaces;
        let before = &self.input[self.pos - 1..];
        if has_right_trim_marker(before)
            && starts_with(&before[TRIM_MARKER_LEN..], self.right_delim)
        {
            self.backup();
            if num_spaces == 1 {
                return Some(State::RightDelim);
            }
        }
        self.emit(ItemType::Space)
    }
}

/// About how many actions `text` holds, as left delimiters `left` (empty: the default),
/// for sizing what its parse builds.
pub(crate) fn count_actions(text: &str, left: &str) -> usize {
    let left = if left.is_empty() { LEFT_DELIM } else { left };
    memchr::memmem::find_iter(text.as_bytes(), left.as_bytes()).count()
}

/// Where `delim` first occurs in `text`: a vectorised scan for its first byte (`memchr`),
/// cheaper than a general substring search for short delimiters.
fn find_delim(text: &str, delim: &str) -> Option<usize> {
    let (&first, _) = delim.as_bytes().split_first()?;
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, &bytes[from..]) {
        let at = from + i;
        if bytes_start_with(&bytes[at..], delim.as_bytes()) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests;
