//! The reader of Go's RE2 syntax behind `goregex`: it checks a pattern as Go's
//! `regexp/syntax` does, with Go's error texts, and writes the Rust `regex` pattern that
//! means the same.
use regex::Regex;

use super::goregex::{MAX_NESTING, MAX_REPEAT, syntax_error};

/// Go's Unicode general categories (`unicode.Categories`) and `Any`, which `\\p{...}` may
/// name besides scripts.
const GO_CATEGORIES: [&str; 37] = [
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N",
    "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
    "Z", "Zl", "Zp", "Zs", "Any",
];

/// Whether Go's regexp knows the class `\\p{name}`: a general category, `Any`, or a
/// script spelled as Go's `unicode.Scripts` spells it (`Greek`, `Old_Italic`).
fn is_go_unicode_class(name: &str) -> bool {
    if GO_CATEGORIES.contains(&name) {
        return true;
    }
    let go_spelling = name.split('_').all(|word| {
        let mut chars = word.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.all(|c| c.is_ascii_alphanumeric())
    });
    go_spelling && Regex::new(&format!("\\p{{Script={name}}}")).is_ok()
}

pub(super) struct Translator<'a> {
    expr: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
    out: String,
    /// Byte offsets of the open parentheses.
    open: Vec<usize>,
    /// Whether the last item can take a repetition operator, and where the last
    /// repetition operator started (Go's `lastRepeat`).
    can_repeat: bool,
    last_repeat: Option<usize>,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn hex_escape(c: char) -> String {
    format!("\\x{{{:X}}}", c as u32)
}

impl<'a> Translator<'a> {
    pub(super) fn new(expr: &'a str) -> Translator<'a> {
        Translator {
            expr,
            chars: expr.char_indices().collect(),
            pos: 0,
            out: String::with_capacity(expr.len() + 8),
            open: Vec::new(),
            can_repeat: false,
            last_repeat: None,
        }
    }

    fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.expr.len(), |&(o, _)| o)
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).map(|&(_, c)| c)
    }

    fn rest(&self) -> &'a str {
        &self.expr[self.offset(self.pos)..]
    }

    pub(super) fn run(mut self) -> Result<String, String> {
        while let Some(c) = self.peek(0) {
            let start = self.offset(self.pos);
            match c {
                '(' => self.group(start)?,
                ')' => {
                    if self.open.pop().is_none() {
                        return Err(syntax_error("unexpected )", self.expr));
                    }
                    self.pos += 1;
                    self.out.push(')');
                    self.item();
                }
                '|' => {
                    self.pos += 1;
                    self.out.push('|');
                    self.can_repeat = false;
                    self.last_repeat = None;
                }
                '*' | '+' | '?' => self.repeat(start, 1)?,
                '{' => match self.repeat_braces() {
                    Some(len) => self.repeat(start, len)?,
                    None => {
                        self.pos += 1;
                        self.out.push_str("\\{");
                        self.item();
                    }
                },
                '[' => {
                    self.class(start)?;
                    self.item();
                }
                '\\' => {
                    let translated = self.escape(false)?;
                    self.out.push_str(&translated);
                    self.item();
                }
                '^' | '$' | '.' => {
                    self.pos += 1;
                    self.out.push(c);
                    self.item();
                }
                _ => {
                    self.pos += 1;
                    if c.is_ascii_punctuation() || c == ' ' || c == '#' {
                        self.out.push_str(&hex_escape(c));
                    } else {
                        self.out.push(c);
                    }
                    self.item();
                }
            }
        }
        if !self.open.is_empty() {
            return Err(syntax_error("missing closing )", self.expr));
        }
        Ok(self.out)
    }

    fn item(&mut self) {
        self.can_repeat = true;
        self.last_repeat = None;
    }

    /// The byte length of a valid `{n}`, `{n,}` or `{n,m}` at the current position.
    fn repeat_braces(&self) -> Option<usize> {
        let rest = self.rest();
        let close = rest.find('}')?;
        let body = &rest[1..close];
        let (min, max) = match body.split_once(',') {
            Some((min, max)) => (min, Some(max)),
            None => (body, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(min) || max.is_some_and(|m| !m.is_empty() && !digits(m)) {
            return None;
        }
        Some(close + 1)
    }

    fn repeat(&mut self, start: usize, len: usize) -> Result<(), String> {
        let mut end = start + len;
        let text = &self.expr[start..end];
        if !self.can_repeat && self.last_repeat.is_none() {
            let with_lazy = if self.expr[end..].starts_with('?') {
                end + 1
            } else {
                end
            };
            return Err(syntax_error(
                "missing argument to repetition operator",
                &self.expr[start..with_lazy],
            ));
        }
        if text.starts_with('{') {
            let body = &text[1..text.len() - 1];
            let (min, max) = match body.split_once(',') {
                Some((min, "")) => (min.parse::<u32>().ok(), Some(u32::MAX)),
                Some((min, max)) => (min.parse::<u32>().ok(), max.parse::<u32>().ok()),
                None => (body.parse::<u32>().ok(), body.parse::<u32>().ok()),
            };
            let valid = match (min, max) {
                (Some(min), Some(u32::MAX)) => min <= MAX_REPEAT,
                (Some(min), Some(max)) => min <= max && max <= MAX_REPEAT,
                _ => false,
            };
            if !valid {
                return Err(syntax_error("invalid repeat count", text));
            }
        }
        if self.expr[end..].starts_with('?') {
            end += 1;
        }
        if let Some(previous) = self.last_repeat {
            return Err(syntax_error(
                "invalid nested repetition operator",
                &self.expr[previous..end],
            ));
        }
        self.out.push_str(&self.expr[start..end]);
        while self.offset(self.pos) < end {
            self.pos += 1;
        }
        self.can_repeat = false;
        self.last_repeat = Some(start);
        Ok(())
    }

    fn group(&mut self, start: usize) -> Result<(), String> {
        if self.open.len() >= MAX_NESTING {
            return Err(syntax_error("expression nests too deeply", self.expr));
        }
        let rest = self.rest();
        if !rest.starts_with("(?") {
            self.pos += 1;
            self.open.push(start);
            self.out.push('(');
            self.can_repeat = false;
            self.last_repeat = None;
            return Ok(());
        }
        let perl_error = |len: usize| {
            let end = rest.char_indices().nth(len).map_or(rest.len(), |(i, _)| i);
            syntax_error("invalid or unsupported Perl syntax", &rest[..end])
        };
        let named = rest
            .strip_prefix("(?P<")
            .or_else(|| rest.strip_prefix("(?<"));
        if let Some(after) = named {
            let Some(close) = after.find('>') else {
                return Err(syntax_error("invalid named capture", rest));
            };
            let name = &after[..close];
            let whole = &rest[..rest.len() - after.len() + close + 1];
            if name.is_empty() || !name.chars().all(is_word) {
                return Err(syntax_error("invalid named capture", whole));
            }
            self.out.push_str(&format!("(?P<{name}>"));
            self.open.push(start);
            self.advance_bytes(whole.len());
            self.can_repeat = false;
            self.last_repeat = None;
            return Ok(());
        }
        // Flags: (?flags) or (?flags:...), flags from "imsU" with at most one '-'.
        let mut seen_minus = false;
        let mut seen_flag = false;
        for (n, c) in rest.chars().enumerate().skip(2) {
            match c {
                'i' | 'm' | 's' | 'U' => seen_flag = true,
                '-' if !seen_minus => {
                    seen_minus = true;
                    seen_flag = false;
                }
                ':' | ')' => {
                    if seen_minus && !seen_flag || n == 2 && c == ')' {
                        return Err(perl_error(n + 1));
                    }
                    let len = rest
                        .char_indices()
                        .nth(n + 1)
                        .map_or(rest.len(), |(i, _)| i);
                    self.out.push_str(&rest[..len]);
                    self.advance_bytes(len);
                    if c == ':' {
                        self.open.push(start);
                        self.can_repeat = false;
                    } else {
                        self.can_repeat = false;
                    }
                    self.last_repeat = None;
                    return Ok(());
                }
                _ => return Err(perl_error(n + 1)),
            }
        }
        Err(syntax_error("missing closing )", self.expr))
    }

    fn advance_bytes(&mut self, len: usize) {
        let end = self.offset(self.pos) + len;
        while self.offset(self.pos) < end {
            self.pos += 1;
        }
    }

    /// An escape at the current position (which holds `\`), as Rust syntax. Inside a class
    /// the result is a class item.
    fn escape(&mut self, in_class: bool) -> Result<String, String> {
        let start = self.offset(self.pos);
        self.pos += 1;
        let Some(c) = self.peek(0) else {
            return Err(syntax_error("trailing backslash at end of expression", ""));
        };
        self.pos += 1;
        let class = |set: &str, negated: bool| -> String {
            match (in_class, negated) {
                (false, false) => format!("[{set}]"),
                (_, true) => format!("[^{set}]"),
                (true, false) => set.to_owned(),
            }
        };
        Ok(match c {
            'd' | 'D' => class("0-9", c == 'D'),
            'w' | 'W' => class("0-9A-Za-z_", c == 'W'),
            's' | 'S' => class("\\t\\n\\f\\r ", c == 'S'),
            'b' | 'B' if !in_class => format!("(?-u:\\{c})"),
            'A' | 'z' if !in_class => format!("\\{c}"),
            'a' => "\\x07".to_owned(),
            'f' | 't' | 'n' | 'r' | 'v' => format!("\\{c}"),
            'p' | 'P' => {
                let name_end = if self.peek(0) == Some('{') {
                    let rest = self.rest();
                    match rest.find('}') {
                        Some(close) => close + 1,
                        None => {
                            return Err(syntax_error(
                                "invalid character class range",
                                &self.expr[start..],
                            ));
                        }
                    }
                } else {
                    self.peek(0).map_or(0, char::len_utf8)
                };
                if name_end == 0 {
                    return Err(syntax_error(
                        "invalid character class range",
                        &self.expr[start..],
                    ));
                }
                let name_start = self.offset(self.pos);
                self.advance_bytes(name_end);
                let class = &self.expr[name_start..name_start + name_end];
                let name = class.trim_start_matches('{').trim_end_matches('}');
                if !is_go_unicode_class(name.strip_prefix('^').unwrap_or(name)) {
                    let end = name_start + name_end;
                    return Err(syntax_error(
                        "invalid character class range",
                        &self.expr[start..end],
                    ));
                }
                format!("\\{c}{class}")
            }
            'x' => {
                let rest = self.rest();
                let (len, value) = if let Some(body) = rest.strip_prefix('{') {
                    let close = body.find('}').ok_or_else(|| {
                        syntax_error("invalid escape sequence", &self.expr[start..])
                    })?;
                    (close + 2, u32::from_str_radix(&body[..close], 16).ok())
                } else {
                    (
                        2,
                        rest.get(..2).and_then(|h| u32::from_str_radix(h, 16).ok()),
                    )
                };
                let Some(ch) = value.and_then(char::from_u32) else {
                    let end = (self.offset(self.pos) + len).min(self.expr.len());
                    return Err(syntax_error(
                        "invalid escape sequence",
                        &self.expr[start..end],
                    ));
                };
                self.advance_bytes(len);
                hex_escape(ch)
            }
            '0'..='7' => {
                let followed_by_octal = matches!(self.peek(0), Some('0'..='7'));
                if c != '0' && !followed_by_octal {
                    return Err(syntax_error(
                        "invalid escape sequence",
                        &self.expr[start..start + 2],
                    ));
                }
                let mut value = c as u32 - '0' as u32;
                for _ in 0..2 {
                    match self.peek(0) {
                        Some(d @ '0'..='7') => {
                            value = value * 8 + (d as u32 - '0' as u32);
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                hex_escape(char::from_u32(value).unwrap_or('\0'))
            }
            'Q' if !in_class => {
                let rest = self.rest();
                let (literal, len) = match rest.find("\\E") {
                    Some(i) => (&rest[..i], i + 2),
                    None => (rest, rest.len()),
                };
                self.advance_bytes(len);
                literal.chars().map(hex_escape).collect()
            }
            c if c.is_ascii_punctuation() => hex_escape(c),
            _ => {
                let end = start + 1 + c.len_utf8();
                return Err(syntax_error(
                    "invalid escape sequence",
                    &self.expr[start..end],
                ));
            }
        })
    }

    /// A character class `[...]` at `start`.
    fn class(&mut self, start: usize) -> Result<(), String> {
        let missing = |t: &Translator| syntax_error("missing closing ]", &t.expr[start..]);
        self.pos += 1;
        self.out.push('[');
        if self.peek(0) == Some('^') {
            self.pos += 1;
            self.out.push('^');
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek(0) else {
                return Err(missing(self));
            };
            if c == ']' && !first {
                self.pos += 1;
                self.out.push(']');
                return Ok(());
            }
            first = false;
            if c == '[' && self.peek(1) == Some(':') {
                let rest = self.rest();
                if let Some(close) = rest.find(":]") {
                    let name = &rest[2..close];
                    let name = name.strip_prefix('^').unwrap_or(name);
                    const POSIX: [&str; 14] = [
                        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower",
                        "print", "punct", "space", "upper", "word", "xdigit",
                    ];
                    if POSIX.contains(&name) {
                        self.out.push_str(&rest[..close + 2]);
                        self.advance_bytes(close + 2);
                        continue;
                    }
                    return Err(syntax_error(
                        "invalid character class range",
                        &rest[..close + 2],
                    ));
                }
            }
            let item_start = self.offset(self.pos);
            let (lo, lo_text) = self.class_char()?;
            let Some(lo) = lo else {
                self.out.push_str(&lo_text);
                continue;
            };
            if self.peek(0) == Some('-') && self.peek(1).is_some_and(|n| n != ']') {
                self.pos += 1;
                let (hi, hi_text) = self.class_char()?;
                let Some(hi) = hi else {
                    let end = self.offset(self.pos);
                    return Err(syntax_error(
                        "invalid character class range",
                        &self.expr[item_start..end],
                    ));
                };
                if hi < lo {
                    let end = self.offset(self.pos);
                    return Err(syntax_error(
                        "invalid character class range",
                        &self.expr[item_start..end],
                    ));
                }
                self.out.push_str(&format!("{lo_text}-{hi_text}"));
            } else {
                self.out.push_str(&lo_text);
            }
        }
    }

    /// One class member: a single character (with its Rust text) or a class escape such
    /// as `\d` (no character).
    fn class_char(&mut self) -> Result<(Option<char>, String), String> {
        let c = self
            .peek(0)
            .ok_or_else(|| syntax_error("missing closing ]", self.expr))?;
        if c != '\\' {
            self.pos += 1;
            let text = if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                hex_escape(c)
            };
            return Ok((Some(c), text));
        }
        let next = self.peek(1);
        let text = self.escape(true)?;
        let single = match next {
            Some('d' | 'D' | 'w' | 'W' | 's' | 'S' | 'p' | 'P') => None,
            Some('a') => Some('\x07'),
            Some('f') => Some('\x0c'),
            Some('t') => Some('\t'),
            Some('n') => Some('\n'),
            Some('r') => Some('\r'),
            Some('v') => Some('\x0b'),
            _ => text
                .strip_prefix("\\x{")
                .and_then(|h| h.strip_suffix('}'))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32),
        };
        Ok((single, text))
    }
}
