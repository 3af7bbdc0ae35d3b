//! Helm's `toYamlPretty`: yaml.v3's `Encoder` with `SetIndent(2)` marshalling the Go value
//! directly (encode.go), not through JSON as `toYaml` does. Floats print in strconv's
//! shortest `%g` form, strings keep every character (text that is not UTF-8 becomes
//! `!!binary`), `[]byte` is a sequence of numbers, and map keys sort in yaml.v3's order.
use super::analyze::is_simple_key;
use super::emit::{Emitter, ScalarStyle};
use super::encode::{check_depth, sort_keys, string_scalar};
use super::{Error, ErrorKind, with_stack};
use crate::gofmt;
use crate::json;
use crate::value::Value;

/// The tag yaml.v3 gives a string that is not UTF-8.
const BINARY_TAG: &str = "!!binary";

/// The document yaml.v3's `Encoder.Encode` writes for `v`, ending in a line break.
pub(crate) fn to_yaml_pretty(v: &Value) -> Result<String, Error> {
    let mut emitter = Emitter::v3();
    emitter.node_context(true, false, false);
    marshal(&mut emitter, v, 0)?;
    Ok(emitter.finish())
}

fn marshal(e: &mut Emitter, v: &Value, depth: usize) -> Result<(), Error> {
    with_stack(|| marshal_level(e, v, depth))
}

fn marshal_level(e: &mut Emitter, v: &Value, depth: usize) -> Result<(), Error> {
    match v {
        Value::Missing | Value::Nil => e.scalar("null", ScalarStyle::Plain),
        Value::Bool(b) => e.scalar(if *b { "true" } else { "false" }, ScalarStyle::Plain),
        Value::Int(i, _) => e.scalar(&i.to_string(), ScalarStyle::Plain),
        Value::Uint(u) => e.scalar(&u.to_string(), ScalarStyle::Plain),
        Value::Float(f) => e.scalar(&float_text(*f), ScalarStyle::Plain),
        // yaml.v3 has no case for complex numbers: "cannot marshal type: complex128".
        Value::Complex(..) => return Err(unsupported("complex128")),
        Value::String(s) => string_v(e, s.as_bytes()),
        Value::RawString(b) => string_v(e, b),
        // yaml.v3 has no case for []byte: it is a slice like any other.
        Value::Bytes(bytes) => {
            let items: Vec<Value> = bytes.iter().map(|&b| Value::Uint(u64::from(b))).collect();
            sequence(e, &items, depth)?;
        }
        Value::List(items, _) => sequence(e, items, depth)?,
        Value::Map(map) => {
            let map = map.snapshot();
            if map.is_empty() {
                e.empty_flow("{", "}");
                return Ok(());
            }
            check_depth(depth)?;
            let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
            sort_keys(&mut keys, true);
            e.begin_block_mapping();
            for key in keys {
                let simple = is_simple_key(key);
                e.block_mapping_key(simple);
                e.node_context(false, true, simple);
                string_v(e, key.as_bytes());
                e.block_mapping_value(simple);
                e.node_context(false, true, false);
                if let Some(value) = map.get(key) {
                    marshal(e, value, depth + 1)?;
                }
            }
            e.end_block();
        }
        Value::Object(object) => match object.type_name() {
            // time.Duration is written by its String method, time.Time as RFC 3339 text
            // in plain style; other host objects by their data form.
            "time.Duration" => string_v(e, object.go_string().as_bytes()),
            "time.Time" => match object.to_data() {
                Some(Value::String(s)) => e.scalar(&s, ScalarStyle::Plain),
                _ => return Err(unsupported(object.type_name())),
            },
            name => match object.to_data() {
                Some(data) => marshal(e, &data, depth)?,
                None => return Err(unsupported(name)),
            },
        },
    }
    Ok(())
}

fn sequence(e: &mut Emitter, items: &[Value], depth: usize) -> Result<(), Error> {
    if items.is_empty() {
        e.empty_flow("[", "]");
        return Ok(());
    }
    check_depth(depth)?;
    e.begin_block_sequence();
    for item in items {
        e.block_sequence_item();
        e.node_context(false, false, false);
        marshal(e, item, depth + 1)?;
    }
    e.end_block();
    Ok(())
}

/// yaml.v3's `stringv`: text that is not UTF-8 is written base64-encoded under `!!binary`;
/// otherwise the style is chosen as yaml.v2 chooses it (the two resolvers agree on which
/// plain text reads back as a string once yaml.v3's YAML 1.1 boolean check is added).
fn string_v(e: &mut Emitter, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            let (text, style) = string_scalar(s);
            e.scalar(&text, style);
        }
        Err(_) => {
            let text = encode_base64(bytes);
            let style = if text.contains('\n') {
                ScalarStyle::Literal
            } else {
                ScalarStyle::Plain
            };
            e.tagged_scalar(Some(BINARY_TAG), &text, style);
        }
    }
}

/// yaml.v3's `encodeBase64`: lines of 70 characters, each ended by a line break when
/// there is more than one.
fn encode_base64(bytes: &[u8]) -> String {
    const LINE_LEN: usize = 70;
    let encoded = json::base64_std(bytes);
    let lines = encoded.len() / LINE_LEN + 1;
    if lines <= 1 {
        return encoded;
    }
    let mut out = String::with_capacity(encoded.len() + lines);
    for chunk in encoded.as_bytes().chunks(LINE_LEN) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out
}

/// yaml.v3's `floatv`: strconv's shortest `'g'` form, with YAML's spellings of the
/// infinities and NaN.
fn float_text(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    gofmt::format_float(f, b'g', -1, 64)
}

fn unsupported(type_name: &str) -> Error {
    Error::new(
        ErrorKind::Marshal,
        format!("cannot marshal type: {type_name}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    fn pretty(v: &Value) -> String {
        to_yaml_pretty(v).unwrap()
    }

    #[test]
    fn sequences_indent_under_their_key() {
        let list = Value::list(vec![Value::int(1), Value::list(vec![Value::int(2)])]);
        let map = Value::map(Map::from([("k".to_owned(), list)]));
        assert_eq!(pretty(&map), "k:\n  - 1\n  - - 2\n");
    }

    #[test]
    fn scalars_follow_yaml_v3() {
        assert_eq!(pretty(&Value::Float(1e6)), "1e+06\n");
        assert_eq!(pretty(&Value::Float(f64::NEG_INFINITY)), "-.inf\n");
        assert_eq!(pretty(&Value::from("")), "\"\"\n");
        assert_eq!(pretty(&Value::from("a\tb\nc")), "|-\n  a\tb\n  c\n");
        assert_eq!(pretty(&Value::from_go_bytes(vec![0x80])), "!!binary gA==\n");
        assert_eq!(
            pretty(&Value::Bytes(vec![1, 2].into())),
            "- 1\n- 2\n",
            "[]byte is a sequence"
        );
    }

    #[test]
    fn long_text_is_not_folded() {
        let text = "word ".repeat(30);
        let text = text.trim_end();
        assert_eq!(pretty(&Value::from(text)), format!("{text}\n"));
    }
}
