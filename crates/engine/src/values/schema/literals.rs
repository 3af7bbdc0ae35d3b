//! The number literals of a schema as written. The library reads schemas with
//! `json.Decoder.UseNumber`, so an `enum` or `const` number prints as it was written
//! (`1.0`, `1e2`); the crate keeps only its value.
use std::collections::HashMap;

use super::report::json_pointer;

/// Number literals of a JSON text (already known to be valid) by JSON pointer.
pub(super) fn number_literals(text: &str) -> HashMap<String, String> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        found: HashMap::new(),
    };
    let mut path = Vec::new();
    scanner.value(&mut path);
    scanner.found
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    found: HashMap<String, String>,
}

impl Scanner<'_> {
    fn skip_blanks(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// One value at `path`; nesting is bounded by the JSON reader that accepted the text.
    fn value(&mut self, path: &mut Vec<String>) {
        self.skip_blanks();
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                loop {
                    self.skip_blanks();
                    if self.peek() != Some(b'"') {
                        self.pos += 1;
                        return;
                    }
                    let key = self.string();
                    self.skip_blanks();
                    self.pos += 1;
                    path.push(key);
                    self.value(path);
                    path.pop();
                    self.skip_blanks();
                    let separator = self.peek();
                    self.pos += 1;
                    if separator != Some(b',') {
                        return;
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                self.skip_blanks();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return;
                }
                let mut index = 0usize;
                loop {
                    path.push(index.to_string());
                    self.value(path);
                    path.pop();
                    index += 1;
                    self.skip_blanks();
                    let separator = self.peek();
                    self.pos += 1;
                    if separator != Some(b',') {
                        return;
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                {
                    self.pos += 1;
                }
                let literal = self.text[start..self.pos].to_owned();
                self.found.insert(json_pointer(path), literal);
            }
            Some(_) => {
                while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                    self.pos += 1;
                }
            }
            None => {}
        }
    }

    /// A string, decoded.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => break,
                _ => {}
            }
        }
        let literal = &self.text[start..self.pos.min(self.text.len())];
        match crate::json::parse(literal) {
            Ok(crate::value::Value::String(s)) => s.to_string(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_numbers_by_pointer() {
        let found = number_literals(r#"{"a": [1.0, {"b/c": 1e2}], "d": -0.50, "e": "7"}"#);
        assert_eq!(found.get("/a/0").map(String::as_str), Some("1.0"));
        assert_eq!(found.get("/a/1/b~1c").map(String::as_str), Some("1e2"));
        assert_eq!(found.get("/d").map(String::as_str), Some("-0.50"));
        assert_eq!(found.len(), 3);
    }
}
