//! `json.NewDecoder(r).Decode(&v)` as `--set-json` uses it: the first JSON value at the
//! start of a text, how many bytes it took (`InputOffset`), and the decoder's error texts,
//! which differ from `json.Unmarshal`'s at the end of the input ("unexpected EOF").
use crate::json;
use crate::value::Value;

/// Go's decoder's message when the text ends inside a value.
const DECODER_EOF: &str = "unexpected EOF";
/// A control character: invalid anywhere in JSON text.
const NEVER_JSON: char = '\u{1}';
const TRAILING_DATA: &str = " after top-level value";

/// Decodes the value `text` starts with. Returns it and the byte offset just past it;
/// whatever follows is left to the caller. `text` starts with a non-blank character.
pub(super) fn decode_first_value(text: &str) -> Result<(Value, usize), String> {
    let error = match json::parse(text) {
        Ok(value) => return Ok((value, text.len())),
        Err(error) => error,
    };
    let message = error.to_string();
    if error.kind() != json::ErrorKind::Syntax {
        return Err(message);
    }
    if message.ends_with(TRAILING_DATA) {
        // The scanner completed a value before the offending byte: the decoder stops
        // there and unmarshals only that value.
        let end = first_value_end(text.as_bytes());
        return json::parse(&text[..end])
            .map(|value| (value, end))
            .map_err(|e| e.to_string());
    }
    // `Unmarshal` reports a value cut short by the end of the text with the error of a
    // blank appended to it; the decoder says "unexpected EOF". An error at a real byte
    // stays the same when a byte that can never continue JSON is appended.
    let extended = format!("{text}{NEVER_JSON}");
    match json::parse(&extended) {
        Err(e) if e.to_string() == message => Err(message),
        _ => Err(DECODER_EOF.to_owned()),
    }
}

/// The offset just past the first value of `bytes`, which Go's scanner found complete.
fn first_value_end(bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'"') => string_end(bytes, i),
        Some(b'{' | b'[') => container_end(bytes, i),
        Some(b't' | b'n') => i + 4,
        Some(b'f') => i + 5,
        _ => number_end(bytes, i),
    }
}

/// Past the closing quote of the string opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Past the bracket closing the object or array opening at `start`.
fn container_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i);
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Past the number starting at `start`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = start;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    i = if bytes.get(i) == Some(&b'0') {
        i + 1
    } else {
        digits(i)
    };
    if bytes.get(i) == Some(&b'.') {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i);
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset(text: &str) -> usize {
        decode_first_value(text).unwrap().1
    }

    #[test]
    fn stops_after_the_first_value() {
        assert_eq!(offset("1,b=2"), 1);
        assert_eq!(offset("-1.5e+3 x"), 7);
        assert_eq!(offset(r#""a,\"b" x"#), 7);
        assert_eq!(offset(r#"{"a":["]"]}]"#), 11);
        assert_eq!(offset("[[1],[2]],"), 9);
        assert_eq!(offset("true,"), 4);
        assert_eq!(offset("null x"), 4);
        assert_eq!(offset("0 1"), 1);
        assert_eq!(offset("[1] "), 4);
    }

    #[test]
    fn errors_read_like_the_decoder() {
        let err = |t: &str| decode_first_value(t).unwrap_err();
        assert_eq!(err("[1,"), "unexpected EOF");
        assert_eq!(err("tru"), "unexpected EOF");
        assert_eq!(
            err("x"),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            err("1e400,"),
            "json: cannot unmarshal number 1e400 into Go value of type float64"
        );
    }
}
