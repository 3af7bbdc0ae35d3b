//! Decoding JSON already known to be valid into `interface{}` values: objects to maps,
//! arrays to lists, numbers to float64, strings unquoted as encoding/json unquotes them.
use std::sync::Arc;

use super::{Error, ErrorKind};
use crate::value::{Map, Value};

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

enum Open {
    List(Vec<Value>),
    Map(Map, Option<String>),
}

struct Decoder<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Decoder<'_> {
    fn skip_space(&mut self) {
        while self.data.get(self.pos).copied().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> u8 {
        self.skip_space();
        self.data.get(self.pos).copied().unwrap_or(b' ')
    }

    fn string(&mut self) -> String {
        // Opening quote.
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(&c) = self.data.get(self.pos) {
            self.pos += 1;
            match c {
                b'"' => break,
                b'\\' => self.escape(&mut out),
                c => out.push(c),
            }
        }
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }

    fn escape(&mut self, out: &mut Vec<u8>) {
        let Some(&c) = self.data.get(self.pos) else {
            return;
        };
        self.pos += 1;
        let simple = match c {
            b'b' => Some(b'\x08'),
            b'f' => Some(b'\x0c'),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'u' => None,
            other => Some(other),
        };
        if let Some(b) = simple {
            out.push(b);
            return;
        }
        let unit = self.hex4(self.pos).unwrap_or(0xFFFD);
        self.pos += 4;
        let mut rune = char::from_u32(unit).unwrap_or('\u{FFFD}');
        if (0xD800..0xE000).contains(&unit) {
            rune = '\u{FFFD}';
            let low = (self.data.get(self.pos..self.pos + 2) == Some(b"\\u"))
                .then(|| self.hex4(self.pos + 2))
                .flatten();
            if let Some(low) = low
                && (0xD800..0xDC00).contains(&unit)
                && (0xDC00..0xE000).contains(&low)
            {
                let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                rune = char::from_u32(code).unwrap_or('\u{FFFD}');
                self.pos += 6;
            }
        }
        let mut buf = [0u8; 4];
        out.extend_from_slice(rune.encode_utf8(&mut buf).as_bytes());
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.data.get(at..at + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        u32::from_str_radix(text, 16).ok()
    }

    fn number(&mut self) -> Result<Value, Error> {
        let start = self.pos;
        while self
            .data
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.data[start..self.pos]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(Error::new(
                ErrorKind::NumberRange,
                format!("json: cannot unmarshal number {text} into Go value of type float64"),
            )),
        }
    }

    /// A scalar, or the opening of a container pushed onto `open`.
    fn value_start(&mut self, open: &mut Vec<Open>) -> Result<Option<Value>, Error> {
        let value = match self.peek() {
            b'{' => {
                self.pos += 1;
                open.push(Open::Map(Map::new(), None));
                return Ok(None);
            }
            b'[' => {
                self.pos += 1;
                open.push(Open::List(Vec::new()));
                return Ok(None);
            }
            b'"' => Value::String(Arc::from(self.string())),
            b't' => {
                self.pos += 4;
                Value::Bool(true)
            }
            b'f' => {
                self.pos += 5;
                Value::Bool(false)
            }
            b'n' => {
                self.pos += 4;
                Value::Nil
            }
            _ => self.number()?,
        };
        Ok(Some(value))
    }
}

pub(super) fn decode_valid(data: &[u8]) -> Result<Value, Error> {
    let mut d = Decoder { data, pos: 0 };
    let mut open: Vec<Open> = Vec::new();
    let mut done = d.value_start(&mut open)?;
    loop {
        // Attach a finished value to its container, or close containers.
        if let Some(value) = done.take() {
            match open.last_mut() {
                None => return Ok(value),
                Some(Open::List(items)) => items.push(value),
                Some(Open::Map(map, key)) => {
                    map.insert(key.take().unwrap_or_default(), value);
                }
            }
            if d.peek() == b',' {
                d.pos += 1;
            }
        }
        match d.peek() {
            b']' | b'}' => {
                d.pos += 1;
                done = match open.pop() {
                    Some(Open::List(items)) => Some(Value::list(items)),
                    Some(Open::Map(map, _)) => Some(Value::map(map)),
                    None => Some(Value::Nil),
                };
            }
            _ => {
                if let Some(Open::Map(_, key)) = open.last_mut() {
                    d.skip_space();
                    *key = Some(d.string());
                    // The colon.
                    d.peek();
                    d.pos += 1;
                }
                done = d.value_start(&mut open)?;
            }
        }
    }
}
