//! Go's encoding/json as Helm and Sprig use it: `Unmarshal` into `interface{}` (`parse`) and
//! `Marshal`/`MarshalIndent`/`Encoder` without HTML escaping (`to_json`, `to_pretty_json`,
//! `to_raw_json`), with Go's error texts.
//!
//! Both directions walk the value with an explicit stack; nesting is bounded below Go's own
//! limit because dropping a nested `Value` recurses once per level.
use std::collections::Bound;
use std::sync::Arc;

mod decode;
mod scan;

use crate::gofmt;
use crate::value::{Map, Value};

/// How deep arrays and objects may nest. Go's scanner allows 10000 levels; helmsync allows
/// fewer so that dropping or printing such a value cannot exhaust a thread's stack. The
/// error at the limit has Go's text.
pub const MAX_NESTING_DEPTH: usize = 1000;

/// Why a JSON operation failed; `Display` prints Go's message byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `*json.SyntaxError`: the input is not JSON.
    Syntax,
    /// `*json.UnmarshalTypeError`: a number that does not fit a float64.
    NumberRange,
    /// `*json.UnsupportedValueError`: NaN or an infinity.
    UnsupportedValue,
    /// `*json.UnsupportedTypeError`: a host object without a data form.
    UnsupportedType,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

/// `json.Unmarshal(data, &v)` with `v interface{}`: objects become maps, arrays lists,
/// every number a float64, `null` nil.
pub fn parse(s: &str) -> Result<Value, Error> {
    scan::check_valid(s.as_bytes())?;
    decode::decode_valid(s.as_bytes())
}

/// `json.Marshal(v)`: compact, `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026`.
pub fn to_json(v: &Value) -> Result<String, Error> {
    encode(
        v,
        Style {
            escape_html: true,
            indent: false,
        },
    )
}

/// `json.MarshalIndent(v, "", "  ")`, as Sprig's `toPrettyJson`.
pub fn to_pretty_json(v: &Value) -> Result<String, Error> {
    encode(
        v,
        Style {
            escape_html: true,
            indent: true,
        },
    )
}

/// A `json.Encoder` with `SetEscapeHTML(false)`, trailing newline trimmed, as Sprig's
/// `toRawJson`.
pub fn to_raw_json(v: &Value) -> Result<String, Error> {
    encode(
        v,
        Style {
            escape_html: false,
            indent: false,
        },
    )
}

#[derive(Clone, Copy)]
struct Style {
    escape_html: bool,
    indent: bool,
}

/// A container being written: what is left of it.
enum Writing {
    List(Arc<Vec<Value>>, usize),
    /// The map and the last key written.
    Map(Arc<Map>, Option<String>),
}

fn encode(v: &Value, style: Style) -> Result<String, Error> {
    let mut out = String::new();
    let mut stack: Vec<Writing> = Vec::new();
    let mut next = Some(v.clone());
    loop {
        if let Some(value) = next.take()
            && let Some(container) = write_value(&value, &mut out, style, stack.len())?
        {
            stack.push(container);
        }
        let depth = stack.len();
        let Some(top) = stack.last_mut() else {
            return Ok(out);
        };
        match top.next_item() {
            Some((first, key, value)) => {
                if !first {
                    out.push(',');
                }
                newline(&mut out, style, depth);
                if let Some(key) = key {
                    write_string(&mut out, &key, style.escape_html);
                    out.push(':');
                    if style.indent {
                        out.push(' ');
                    }
                }
                next = Some(value);
            }
            None => {
                let close = if matches!(top, Writing::List(..)) {
                    ']'
                } else {
                    '}'
                };
                stack.pop();
                // Only non-empty containers are on the stack.
                newline(&mut out, style, depth - 1);
                out.push(close);
            }
        }
    }
}

impl Writing {
    /// The next element: whether it is the first, its key in a map, and the value.
    fn next_item(&mut self) -> Option<(bool, Option<String>, Value)> {
        match self {
            Writing::List(items, index) => {
                let item = items.get(*index).cloned()?;
                *index += 1;
                Some((*index == 1, None, item))
            }
            Writing::Map(map, last) => {
                let lower = last.as_deref().map_or(Bound::Unbounded, Bound::Excluded);
                let (key, value) = map.range::<str, _>((lower, Bound::Unbounded)).next()?;
                let first = last.is_none();
                *last = Some(key.clone());
                Some((first, Some(key.clone()), value.clone()))
            }
        }
    }
}

fn newline(out: &mut String, style: Style, depth: usize) {
    if style.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

/// Writes a scalar, or the opening of a non-empty container (returned to be continued).
fn write_value(
    v: &Value,
    out: &mut String,
    style: Style,
    depth: usize,
) -> Result<Option<Writing>, Error> {
    match v {
        Value::Missing | Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i, _) => out.push_str(&i.to_string()),
        Value::Uint(u) => out.push_str(&u.to_string()),
        Value::Float(f) => out.push_str(&format_float(*f)?),
        Value::Complex(..) => {
            return Err(Error::new(
                ErrorKind::UnsupportedType,
                "json: unsupported type: complex128",
            ));
        }
        Value::String(s) => write_string(out, s, style.escape_html),
        Value::RawString(b) => write_raw_string(out, b, style.escape_html),
        Value::Bytes(b) => {
            out.push('"');
            out.push_str(&base64_std(b));
            out.push('"');
        }
        Value::List(items, _) => {
            if items.is_empty() {
                out.push_str("[]");
            } else {
                check_depth(depth)?;
                out.push('[');
                return Ok(Some(Writing::List(items.clone(), 0)));
            }
        }
        Value::Map(map) => {
            if map.is_empty() {
                out.push_str("{}");
            } else {
                check_depth(depth)?;
                out.push('{');
                return Ok(Some(Writing::Map(map.snapshot(), None)));
            }
        }
        Value::Object(object) => match object.to_data() {
            Some(data) => return write_value(&data, out, style, depth),
            None => {
                return Err(Error::new(
                    ErrorKind::UnsupportedType,
                    format!("json: unsupported type: {}", object.type_name()),
                ));
            }
        },
    }
    Ok(None)
}

/// Go has no nesting limit when encoding; values deeper than helmsync decodes are refused
/// rather than written, so every encoded value can be read back.
fn check_depth(depth: usize) -> Result<(), Error> {
    if depth >= MAX_NESTING_DEPTH {
        return Err(Error::new(
            ErrorKind::UnsupportedValue,
            format!("json: unsupported value: nesting deeper than {MAX_NESTING_DEPTH}"),
        ));
    }
    Ok(())
}

/// encoding/json's `floatEncoder` for float64.
pub(crate) fn format_float(f: f64) -> Result<String, Error> {
    if !f.is_finite() {
        return Err(Error::new(
            ErrorKind::UnsupportedValue,
            format!(
                "json: unsupported value: {}",
                gofmt::format_float(f, b'g', -1, 64)
            ),
        ));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut text = gofmt::format_float(f, b'e', -1, 64);
        // Clean up e-09 to e-9.
        let n = text.len();
        if n >= 4 && text.as_bytes()[n - 4..n - 1] == *b"e-0" {
            text.remove(n - 2);
        }
        return Ok(text);
    }
    Ok(gofmt::format_float(f, b'f', -1, 64))
}

/// Go's `appendString`: escapes quotes, backslashes, control characters, U+2028/U+2029 and,
/// when asked, `<`, `>`, `&`.
pub(crate) fn write_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    write_string_body(out, s, escape_html);
    out.push('"');
}

/// A Go string that is not UTF-8: encoding/json writes each bad byte as `\ufffd`.
fn write_raw_string(out: &mut String, bytes: &[u8], escape_html: bool) {
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        write_string_body(out, chunk.valid(), escape_html);
        for _ in chunk.invalid() {
            out.push_str("\\ufffd");
        }
    }
    out.push('"');
}

fn write_string_body(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 0xF]));
            }
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 0xF]));
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
}

/// Standard base64 with padding, as encoding/json writes `[]byte`.
pub(crate) fn base64_std(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        parse(s).unwrap_err().to_string()
    }

    #[test]
    fn parse_makes_floats_maps_and_lists() {
        let v = parse(r#"{"a": [1, 2.5, "x", true, null], "b": {}}"#).unwrap();
        assert_eq!(
            to_json(&v).unwrap(),
            r#"{"a":[1,2.5,"x",true,null],"b":{}}"#
        );
        assert!(matches!(parse("3").unwrap(), Value::Float(f) if f == 3.0));
    }

    #[test]
    fn syntax_errors_use_go_messages() {
        assert_eq!(err(""), "unexpected end of JSON input");
        assert_eq!(err("[1,"), "unexpected end of JSON input");
        assert_eq!(
            err("tru"),
            "invalid character ' ' in literal true (expecting 'e')"
        );
        assert_eq!(
            err("{1}"),
            "invalid character '1' looking for beginning of object key string"
        );
        assert_eq!(err("[1 2]"), "invalid character '2' after array element");
        assert_eq!(err("1 x"), "invalid character 'x' after top-level value");
        assert_eq!(err("\"\t\""), r"invalid character '\t' in string literal");
        assert_eq!(
            err("'"),
            r"invalid character '\'' looking for beginning of value"
        );
        assert_eq!(
            err("é"),
            "invalid character 'Ã' looking for beginning of value"
        );
        assert_eq!(
            err("1e400"),
            "json: cannot unmarshal number 1e400 into Go value of type float64"
        );
    }

    #[test]
    fn nesting_beyond_the_limit_is_an_error() {
        let deep = "[".repeat(MAX_NESTING_DEPTH + 1);
        assert_eq!(err(&deep), "invalid character '[' exceeded max depth");
        let ok = format!(
            "{}{}",
            "[".repeat(MAX_NESTING_DEPTH),
            "]".repeat(MAX_NESTING_DEPTH)
        );
        assert!(parse(&ok).is_ok());
        assert_eq!(to_json(&parse(&ok).unwrap()).unwrap(), ok);
    }

    #[test]
    fn surrogates_pair_or_become_replacement_characters() {
        let v = parse(r#"["\ud83d\ude00", "\ud83d", "\ude00x"]"#).unwrap();
        assert_eq!(to_json(&v).unwrap(), "[\"😀\",\"\u{FFFD}\",\"\u{FFFD}x\"]");
    }

    #[test]
    fn floats_print_like_go() {
        let cases = [
            (1e6, "1000000"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-10, "1.5e-10"),
            (-0.0, "-0"),
        ];
        for (f, want) in cases {
            assert_eq!(to_json(&Value::Float(f)).unwrap(), want, "{f}");
        }
        assert_eq!(
            to_json(&Value::Float(f64::NAN)).unwrap_err().to_string(),
            "json: unsupported value: NaN"
        );
        assert_eq!(
            to_json(&Value::Float(f64::INFINITY))
                .unwrap_err()
                .to_string(),
            "json: unsupported value: +Inf"
        );
    }

    #[test]
    fn html_escaping_only_in_marshal() {
        let v = Value::from("<a&b>\u{2028}");
        assert_eq!(to_json(&v).unwrap(), r#""\u003ca\u0026b\u003e\u2028""#);
        assert_eq!(to_raw_json(&v).unwrap(), r#""<a&b>\u2028""#);
    }

    #[test]
    fn pretty_keeps_empty_containers_compact() {
        let v = parse(r#"{"a":[1,{}],"b":[],"c":{"d":null}}"#).unwrap();
        let want = "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": [],\n  \"c\": {\n    \"d\": null\n  }\n}";
        assert_eq!(to_pretty_json(&v).unwrap(), want);
    }

    #[test]
    fn bytes_are_base64() {
        assert_eq!(
            to_json(&Value::Bytes(Arc::from(&b"hello"[..]))).unwrap(),
            "\"aGVsbG8=\""
        );
        assert_eq!(base64_std(b""), "");
        assert_eq!(base64_std(b"ab"), "YWI=");
    }
}
