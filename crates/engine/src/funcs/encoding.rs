//! Encodings: Sprig's base64 and base32 (with Go's decoders and their error texts), and the
//! JSON, YAML and TOML conversions of Sprig and Helm.
use std::sync::Arc;

use crate::value::{Map, Value};
use crate::{json, yaml};

use super::{Error, Result};

const BASE64_STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE32_STD: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn corrupt_base64(offset: usize) -> String {
    format!("illegal base64 data at input byte {offset}")
}

fn corrupt_base32(offset: usize) -> String {
    format!("illegal base32 data at input byte {offset}")
}

/// `b64enc`: standard base64 with padding.
pub fn b64enc(s: &[u8]) -> String {
    json::base64_std(s)
}

/// Go's `base64.StdEncoding.DecodeString`: `\r` and `\n` are skipped, padding is required.
pub fn base64_decode(src: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut decode_map = [0xFFu8; 256];
    for (i, &c) in BASE64_STD.iter().enumerate() {
        decode_map[usize::from(c)] = i as u8;
    }
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut trailing_error = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(corrupt_base64(si - j));
            }
            let c = src[si];
            si += 1;
            let decoded = decode_map[usize::from(c)];
            if decoded != 0xFF {
                dbuf[j] = decoded;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(corrupt_base64(si - 1));
            }
            match j {
                0 | 1 => return Err(corrupt_base64(si - 1)),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(corrupt_base64(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(corrupt_base64(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                trailing_error = Some(corrupt_base64(si));
            }
            dlen = j;
            break;
        }
        let val = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(err) = trailing_error {
            return Err(err);
        }
    }
    Ok(out)
}

/// `b64dec`: the decoded text, or Go's error text in its place.
pub fn b64dec(s: &str) -> Value {
    match base64_decode(s.as_bytes()) {
        Ok(bytes) => Value::from_go_bytes(bytes),
        Err(err) => Value::from(err),
    }
}

/// `b32enc`: standard base32 with padding.
pub fn b32enc(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let emitted = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < emitted {
                out.push(char::from(BASE32_STD[((n >> (35 - 5 * i)) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString`: newlines are removed first, padding is
/// required.
pub fn base32_decode(s: &str) -> std::result::Result<Vec<u8>, String> {
    let mut decode_map = [0xFFu8; 256];
    for (i, &c) in BASE32_STD.iter().enumerate() {
        decode_map[usize::from(c)] = i as u8;
    }
    let src: Vec<u8> = s.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            let Some((&c, tail)) = rest.split_first() else {
                return Err(corrupt_base32(olen - rest.len() - j));
            };
            rest = tail;
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(corrupt_base32(olen));
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(corrupt_base32(olen - rest.len() + k - 1));
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(corrupt_base32(olen - rest.len() - 1));
                }
                break;
            }
            dbuf[j] = decode_map[usize::from(c)];
            if dbuf[j] == 0xFF {
                return Err(corrupt_base32(olen - rest.len() - 1));
            }
            j += 1;
        }
        let n = dbuf.iter().fold(0u64, |acc, &d| (acc << 5) | u64::from(d));
        let bytes = [
            (n >> 32) as u8,
            (n >> 24) as u8,
            (n >> 16) as u8,
            (n >> 8) as u8,
            n as u8,
        ];
        let produced = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..produced]);
    }
    Ok(out)
}

/// `b32dec`: the decoded text, or Go's error text in its place.
pub fn b32dec(s: &str) -> Value {
    match base32_decode(s) {
        Ok(bytes) => Value::from_go_bytes(bytes),
        Err(err) => Value::from(err),
    }
}

/// Helm's `toJson`: compact JSON, or an empty string when the value cannot be encoded.
pub fn to_json(v: &Value) -> String {
    json::to_json(v).unwrap_or_default()
}

/// `mustToJson`.
pub fn must_to_json(v: &Value) -> Result<String> {
    json::to_json(v).map_err(|e| Error::new(e.to_string()))
}

/// Sprig's `toPrettyJson`: two-space indented JSON, or an empty string on failure.
pub fn to_pretty_json(v: &Value) -> String {
    json::to_pretty_json(v).unwrap_or_default()
}

/// `mustToPrettyJson`.
pub fn must_to_pretty_json(v: &Value) -> Result<String> {
    json::to_pretty_json(v).map_err(|e| Error::new(e.to_string()))
}

/// `toRawJson` and `mustToRawJson`: JSON without HTML escaping; Sprig's plain variant
/// panics on failure, which fails the call the same way.
pub fn to_raw_json(v: &Value) -> Result<String> {
    json::to_raw_json(v).map_err(|e| Error::new(e.to_string()))
}

/// Helm's `fromJson`: a map; a document that is not a JSON object puts the error text
/// under the key `Error`.
pub fn from_json(s: &str) -> Map {
    match json::parse(s) {
        Ok(Value::Map(m)) => m.into_map(),
        Ok(Value::Nil) => Map::new(),
        Ok(other) => error_map(json_type_error(&other, "map[string]interface {}")),
        Err(err) => error_map(err.to_string()),
    }
}

/// Helm's `fromJsonArray`: a list; on failure a list holding the error text.
pub fn from_json_array(s: &str) -> Value {
    match json::parse(s) {
        Ok(Value::List(items, _)) => Value::list(Arc::unwrap_or_clone(items)),
        Ok(Value::Nil) => Value::list(Vec::new()),
        Ok(other) => Value::list(vec![Value::from(json_type_error(&other, "[]interface {}"))]),
        Err(err) => Value::list(vec![Value::from(err.to_string())]),
    }
}

/// Sprig's `mustFromJson`: any JSON value.
pub fn must_from_json(s: &str) -> Result<Value> {
    json::parse(s).map_err(|e| Error::new(e.to_string()))
}

/// encoding/json's `UnmarshalTypeError` text for a top-level value of the wrong type.
fn json_type_error(v: &Value, go_type: &str) -> String {
    let kind = match v {
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::List(..) => "array",
        Value::Map(_) => "object",
        _ => "number",
    };
    format!("json: cannot unmarshal {kind} into Go value of type {go_type}")
}

fn error_map(message: String) -> Map {
    Map::from([("Error".to_owned(), Value::from(message))])
}

/// Helm's `toYaml`: YAML without its final newline, or an empty string on failure.
pub fn to_yaml(v: &Value) -> String {
    must_to_yaml(v).unwrap_or_default()
}

/// Helm's `mustToYaml`.
pub fn must_to_yaml(v: &Value) -> Result<String> {
    let text = yaml::to_yaml(v).map_err(|e| Error::new(e.to_string()))?;
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_owned())
}

/// Helm's `toYamlPretty`: yaml.v3's form without its final newline, or an empty string on
/// an encoder error. A type yaml.v3 cannot marshal (a complex number) is a panic in Go, not
/// an error, and the template call fails with its message.
pub fn to_yaml_pretty(v: &Value) -> Result<String> {
    match yaml::to_yaml_pretty(v) {
        Ok(text) => Ok(text.strip_suffix('\n').unwrap_or(&text).to_owned()),
        Err(e) if e.kind() == yaml::ErrorKind::Marshal => Err(Error::new(e.to_string())),
        Err(_) => Ok(String::new()),
    }
}

/// Helm's `fromYaml`: the first document as a map; errors under the key `Error`.
pub fn from_yaml(s: &str) -> Map {
    yaml::parse_map(s).unwrap_or_else(|err| error_map(err.to_string()))
}

/// Helm's `fromYamlArray`: the first document as a list; on failure a list holding the
/// error text.
pub fn from_yaml_array(s: &str) -> Value {
    match yaml::parse_list(s) {
        Ok(items) => Value::list(items),
        Err(err) => Value::list(vec![Value::from(err.to_string())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decoding_reports_go_offsets() {
        assert_eq!(b64dec("aGVsbG8="), Value::from("hello"));
        assert_eq!(b64dec("aGVs\nbG8="), Value::from("hello"));
        assert_eq!(
            b64dec("aGVsbG8"),
            Value::from("illegal base64 data at input byte 4")
        );
        assert_eq!(
            b64dec("a*"),
            Value::from("illegal base64 data at input byte 1")
        );
        assert_eq!(
            b64dec("aGVsbG8=x"),
            Value::from("illegal base64 data at input byte 8")
        );
        assert_eq!(b64enc(b"hello"), "aGVsbG8=");
    }

    #[test]
    fn decoded_bytes_that_are_not_utf8_stay_bytes() {
        assert_eq!(b64dec("gA=="), Value::RawString(vec![0x80].into()));
        assert_eq!(b64enc(b"\x80"), "gA==");
    }

    #[test]
    fn base32_round_trips() {
        assert_eq!(b32enc(b"hello"), "NBSWY3DP");
        assert_eq!(b32enc(b"hi"), "NBUQ====");
        assert_eq!(b32dec("NBUQ===="), Value::from("hi"));
        assert_eq!(b32dec("NBSWY3DP"), Value::from("hello"));
        assert_eq!(
            b32dec("NBU"),
            Value::from("illegal base32 data at input byte 0")
        );
    }
}
