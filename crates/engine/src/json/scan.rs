//! Go's encoding/json scanner (scanner.go) as a validator: it decides every syntax error
//! and its message, before any decoding happens, as `json.Unmarshal` does.
use super::{Error, ErrorKind, MAX_NESTING_DEPTH};

// syntax error message.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

#[derive(Clone, Copy)]
enum State {
    BeginValueOrEmpty,
    BeginValue,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    /// Inside `\u`, with this many hex digits read.
    InStringEscU(u8),
    Neg,
    Digits1,
    Zero,
    Dot,
    Dot0,
    Exponent,
    ExponentSign,
    Exponent0,
    /// Inside `true`, `false` or `null`, with this many letters read.
    Literal(&'static str, usize),
    Error,
}

struct Scanner {
    state: State,
    containers: Vec<Container>,
    end_top: bool,
    error: Option<Error>,
}

fn quote_char(c: u8) -> String {
    match c {
        b'\'' => r"'\''".to_string(),
        b'"' => "'\"'".to_string(),
        // Go quotes `string(c)`: the byte taken as a code point.
        _ => format!("'{}'", go_quote_rune(char::from(c))),
    }
}

/// `strconv.Quote` of one rune without the surrounding quotes, for runes below U+0100.
fn go_quote_rune(c: char) -> String {
    match c {
        '\u{7}' => r"\a".into(),
        '\u{8}' => r"\b".into(),
        '\u{c}' => r"\f".into(),
        '\n' => r"\n".into(),
        '\r' => r"\r".into(),
        '\t' => r"\t".into(),
        '\u{b}' => r"\v".into(),
        '\\' => r"\\".into(),
        '"' => "\\\"".into(),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => format!(r"\x{:02x}", c as u32),
        // Go's IsPrint rejects the C1 controls, no-break space and soft hyphen.
        c if (0x80..=0xa0).contains(&(c as u32)) || c as u32 == 0xad => {
            format!(r"\u{:04x}", c as u32)
        }
        c => c.to_string(),
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

impl Scanner {
    fn new() -> Scanner {
        Scanner {
            state: State::BeginValue,
            containers: Vec::new(),
            end_top: false,
            error: None,
        }
    }

    fn fail(&mut self, c: u8, context: &str) -> bool {
        self.state = State::Error;
        self.error = Some(Error::new(
            ErrorKind::Syntax,
            format!("invalid character {} {context}", quote_char(c)),
        ));
        false
    }

    fn push(&mut self, c: u8, container: Container, next: State) -> bool {
        self.containers.push(container);
        self.state = next;
        if self.containers.len() <= MAX_NESTING_DEPTH {
            return true;
        }
        self.fail(c, "exceeded max depth")
    }

    fn pop(&mut self) {
        self.containers.pop();
        if self.containers.is_empty() {
            self.state = State::EndTop;
            self.end_top = true;
        } else {
            self.state = State::EndValue;
        }
    }

    /// Feeds one byte; false once the input is known to be invalid.
    fn step(&mut self, c: u8) -> bool {
        match self.state {
            State::BeginValueOrEmpty => {
                if is_space(c) {
                    return true;
                }
                if c == b']' {
                    return self.end_value(c);
                }
                self.begin_value(c)
            }
            State::BeginValue => self.begin_value(c),
            State::BeginStringOrEmpty => {
                if is_space(c) {
                    return true;
                }
                if c == b'}' {
                    if let Some(top) = self.containers.last_mut() {
                        *top = Container::ObjectValue;
                    }
                    return self.end_value(c);
                }
                self.begin_string(c)
            }
            State::BeginString => self.begin_string(c),
            State::EndValue => self.end_value(c),
            State::EndTop => {
                if !is_space(c) {
                    return self.fail(c, "after top-level value");
                }
                true
            }
            State::InString => {
                match c {
                    b'"' => self.state = State::EndValue,
                    b'\\' => self.state = State::InStringEsc,
                    c if c < 0x20 => return self.fail(c, "in string literal"),
                    _ => {}
                }
                true
            }
            State::InStringEsc => match c {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                    self.state = State::InString;
                    true
                }
                b'u' => {
                    self.state = State::InStringEscU(0);
                    true
                }
                _ => self.fail(c, "in string escape code"),
            },
            State::InStringEscU(read) => {
                if !c.is_ascii_hexdigit() {
                    return self.fail(c, "in \\u hexadecimal character escape");
                }
                self.state = if read == 3 {
                    State::InString
                } else {
                    State::InStringEscU(read + 1)
                };
                true
            }
            State::Neg => match c {
                b'0' => {
                    self.state = State::Zero;
                    true
                }
                b'1'..=b'9' => {
                    self.state = State::Digits1;
                    true
                }
                _ => self.fail(c, "in numeric literal"),
            },
            State::Digits1 => {
                if c.is_ascii_digit() {
                    return true;
                }
                self.after_zero(c)
            }
            State::Zero => self.after_zero(c),
            State::Dot => {
                if c.is_ascii_digit() {
                    self.state = State::Dot0;
                    return true;
                }
                self.fail(c, "after decimal point in numeric literal")
            }
            State::Dot0 => {
                if c.is_ascii_digit() {
                    return true;
                }
                if c == b'e' || c == b'E' {
                    self.state = State::Exponent;
                    return true;
                }
                self.end_value(c)
            }
            State::Exponent => {
                if c == b'+' || c == b'-' {
                    self.state = State::ExponentSign;
                    return true;
                }
                self.exponent_sign(c)
            }
            State::ExponentSign => self.exponent_sign(c),
            State::Exponent0 => {
                if c.is_ascii_digit() {
                    return true;
                }
                self.end_value(c)
            }
            State::Literal(word, read) => {
                let expected = word.as_bytes()[read];
                if c != expected {
                    let context = format!("in literal {word} (expecting {})", quote_char(expected));
                    return self.fail(c, &context);
                }
                self.state = if read + 1 == word.len() {
                    State::EndValue
                } else {
                    State::Literal(word, read + 1)
                };
                true
            }
            State::Error => false,
        }
    }

    fn begin_value(&mut self, c: u8) -> bool {
        if is_space(c) {
            return true;
        }
        match c {
            b'{' => return self.push(c, Container::ObjectKey, State::BeginStringOrEmpty),
            b'[' => return self.push(c, Container::ArrayValue, State::BeginValueOrEmpty),
            b'"' => self.state = State::InString,
            b'-' => self.state = State::Neg,
            b'0' => self.state = State::Zero,
            b't' => self.state = State::Literal("true", 1),
            b'f' => self.state = State::Literal("false", 1),
            b'n' => self.state = State::Literal("null", 1),
            b'1'..=b'9' => self.state = State::Digits1,
            _ => return self.fail(c, "looking for beginning of value"),
        }
        true
    }

    fn begin_string(&mut self, c: u8) -> bool {
        if is_space(c) {
            return true;
        }
        if c == b'"' {
            self.state = State::InString;
            return true;
        }
        self.fail(c, "looking for beginning of object key string")
    }

    fn after_zero(&mut self, c: u8) -> bool {
        match c {
            b'.' => {
                self.state = State::Dot;
                true
            }
            b'e' | b'E' => {
                self.state = State::Exponent;
                true
            }
            _ => self.end_value(c),
        }
    }

    fn exponent_sign(&mut self, c: u8) -> bool {
        if c.is_ascii_digit() {
            self.state = State::Exponent0;
            return true;
        }
        self.fail(c, "in exponent of numeric literal")
    }

    fn end_value(&mut self, c: u8) -> bool {
        let Some(&top) = self.containers.last() else {
            self.state = State::EndTop;
            self.end_top = true;
            return self.step(c);
        };
        if is_space(c) {
            self.state = State::EndValue;
            return true;
        }
        match top {
            Container::ObjectKey => {
                if c == b':' {
                    self.set_top(Container::ObjectValue);
                    self.state = State::BeginValue;
                    return true;
                }
                self.fail(c, "after object key")
            }
            Container::ObjectValue => match c {
                b',' => {
                    self.set_top(Container::ObjectKey);
                    self.state = State::BeginString;
                    true
                }
                b'}' => {
                    self.pop();
                    true
                }
                _ => self.fail(c, "after object key:value pair"),
            },
            Container::ArrayValue => match c {
                b',' => {
                    self.state = State::BeginValue;
                    true
                }
                b']' => {
                    self.pop();
                    true
                }
                _ => self.fail(c, "after array element"),
            },
        }
    }

    fn set_top(&mut self, container: Container) {
        if let Some(top) = self.containers.last_mut() {
            *top = container;
        }
    }

    /// Go's `scanner.eof`: a final space ends a pending number or literal.
    fn eof(&mut self) -> Result<(), Error> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.end_top {
            return Ok(());
        }
        self.step(b' ');
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.end_top {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Syntax,
            "unexpected end of JSON input",
        ))
    }
}

pub(super) fn check_valid(data: &[u8]) -> Result<(), Error> {
    let mut scanner = Scanner::new();
    for &c in data {
        if !scanner.step(c) {
            break;
        }
    }
    scanner.eof()
}
