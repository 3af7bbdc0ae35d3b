//! Helm's `toToml`, `mustToToml` and `fromToml`: a port of BurntSushi/toml v1.6.0's
//! encoder (`encode.go`) over helmsync values, and decoding with the `toml` crate into the
//! values BurntSushi produces (`int64`, `float64`, `time.Time`, maps and lists).
use std::sync::Arc;

use crate::value::{IntKind, ListKind, Map, Value};

use super::goduration::{as_duration, format_duration};
use super::gotime::{GoTime, Location, as_time};
use super::{Error, Result};

const INDENT: &str = "  ";
const NIL_ELEMENT: &str = "toml: cannot encode array with nil element";

/// BurntSushi's `dblQuotedReplacer`.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_bare(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn key_part(key: &str) -> String {
    if key.is_empty() {
        "\"\"".to_owned()
    } else if is_bare(key) {
        key.to_owned()
    } else {
        quoted(key)
    }
}

fn key_string(key: &[String]) -> String {
    key.iter()
        .map(|k| key_part(k))
        .collect::<Vec<_>>()
        .join(".")
}

/// BurntSushi's TOML type of a Go value: `None` for nil.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TomlType {
    Scalar,
    Array,
    Hash,
    ArrayHash,
}

fn toml_type(v: &Value) -> std::result::Result<Option<TomlType>, String> {
    Ok(Some(match v {
        Value::Missing | Value::Nil => return Ok(None),
        Value::Map(_) => TomlType::Hash,
        Value::List(items, _) => {
            if items.is_empty() {
                TomlType::Array
            } else {
                let mut all_tables = true;
                for item in items.iter() {
                    match toml_type(item)? {
                        None => return Err(NIL_ELEMENT.to_owned()),
                        Some(TomlType::Hash) => {}
                        Some(_) => all_tables = false,
                    }
                }
                if all_tables {
                    TomlType::ArrayHash
                } else {
                    TomlType::Array
                }
            }
        }
        Value::Bytes(_) => TomlType::Array,
        Value::Object(o) if o.type_name() == "time.Time" || as_duration(v).is_some() => {
            TomlType::Scalar
        }
        Value::Object(o) => match o.to_data() {
            Some(data) => return toml_type(&data),
            None => TomlType::Scalar,
        },
        _ => TomlType::Scalar,
    }))
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    let text = crate::gofmt::format_float(f, b'g', -1, 64);
    if text.contains(['e', '.']) {
        text
    } else {
        text + ".0"
    }
}

struct Encoder {
    out: String,
}

impl Encoder {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(key: &[String]) -> String {
        INDENT.repeat(key.len().saturating_sub(1))
    }

    fn encode(&mut self, key: &mut Vec<String>, v: &Value) -> std::result::Result<(), String> {
        match v {
            Value::Missing | Value::Nil => Ok(()),
            Value::Map(m) => self.table(key, &m.snapshot()),
            Value::List(..) => {
                if toml_type(v)? == Some(TomlType::ArrayHash) {
                    self.array_of_tables(key, v)
                } else {
                    self.key_value(key, v, false)
                }
            }
            _ => self.key_value(key, v, false),
        }
    }

    fn element(&mut self, v: &Value) -> std::result::Result<(), String> {
        if let Some(t) = as_time(v) {
            self.write(&t.format("2006-01-02T15:04:05.999999999Z07:00"));
            return Ok(());
        }
        if let Some(d) = as_duration(v) {
            self.write(&quoted(&format_duration(d)));
            return Ok(());
        }
        match v {
            Value::String(s) => self.write(&quoted(s)),
            Value::RawString(_) => self.write(&quoted(v.to_utf8().as_str().unwrap_or_default())),
            Value::Bool(b) => self.write(if *b { "true" } else { "false" }),
            Value::Int(i, kind) if kind.is_unsigned() => self.write(&(*i as u64).to_string()),
            Value::Int(i, _) => self.write(&i.to_string()),
            Value::Uint(u) => self.write(&u.to_string()),
            Value::Float(f) => self.write(&float_text(*f)),
            Value::Complex(..) => return Err("unsupported type: complex128".to_owned()),
            Value::List(items, _) => {
                self.write("[");
                for (i, item) in items.iter().enumerate() {
                    self.element(item)?;
                    if i + 1 != items.len() {
                        self.write(", ");
                    }
                }
                self.write("]");
            }
            Value::Bytes(bytes) => {
                let items: Vec<Value> = bytes
                    .iter()
                    .map(|&b| Value::Int(i64::from(b), IntKind::Uint8))
                    .collect();
                self.element(&Value::List(Arc::new(items), ListKind::Any))?;
            }
            Value::Map(m) => self.map(&mut Vec::new(), &m.snapshot(), true)?,
            Value::Object(o) => match o.to_data() {
                Some(Value::String(s)) => self.write(&quoted(&s)),
                Some(data) => self.element(&data)?,
                None => return Err(format!("unexpected type: {}", o.type_name())),
            },
            Value::Missing | Value::Nil => {
                return Err("reflect: call of reflect.Value.Interface on zero Value".to_owned());
            }
        }
        Ok(())
    }

    fn key_value(
        &mut self,
        key: &[String],
        v: &Value,
        inline: bool,
    ) -> std::result::Result<(), String> {
        let Some(last) = key.last() else {
            return self.element(v);
        };
        self.write(&format!("{}{} = ", Self::indent(key), key_part(last)));
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn table(&mut self, key: &mut Vec<String>, m: &Map) -> std::result::Result<(), String> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            self.write(&format!("{}[{}]", Self::indent(key), key_string(key)));
            self.newline();
        }
        self.map(key, m, false)
    }

    fn array_of_tables(
        &mut self,
        key: &mut Vec<String>,
        v: &Value,
    ) -> std::result::Result<(), String> {
        if key.is_empty() {
            return Err("toml: top-level values must be Go maps or structs".to_owned());
        }
        for item in v.as_list().unwrap_or_default() {
            let Value::Map(m) = item else { continue };
            self.newline();
            self.write(&format!("{}[[{}]]", Self::indent(key), key_string(key)));
            self.newline();
            self.map(key, &m.snapshot(), false)?;
        }
        Ok(())
    }

    fn map(
        &mut self,
        key: &mut Vec<String>,
        m: &Map,
        inline: bool,
    ) -> std::result::Result<(), String> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in m {
            match toml_type(v)? {
                Some(TomlType::Hash | TomlType::ArrayHash) => sub.push((k, v)),
                _ => direct.push((k, v)),
            }
        }
        if inline {
            self.write("{");
        }
        let has_sub = !sub.is_empty();
        for (group, trailing_comma) in [(direct, has_sub), (sub, false)] {
            let len = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if v.is_nil() {
                    continue;
                }
                if inline {
                    self.key_value(std::slice::from_ref(k), v, true)?;
                    if trailing_comma || i + 1 != len {
                        self.write(", ");
                    }
                } else {
                    key.push(k.clone());
                    let result = self.encode(key, v);
                    key.pop();
                    result?;
                }
            }
        }
        if inline {
            self.write("}");
        }
        Ok(())
    }
}

/// BurntSushi's `Encoder.Encode`: the outer error is a panic that escapes the encoder (a
/// nil value), the inner one an encoding error it returns.
fn encode(v: &Value) -> Result<std::result::Result<String, String>> {
    if v.is_nil() {
        return Err(Error::new(
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    if !nesting_within(v, 0) {
        return Ok(Err(format!(
            "toml: value nested deeper than {MAX_NESTING} levels"
        )));
    }
    let mut encoder = Encoder { out: String::new() };
    Ok(encoder.encode(&mut Vec::new(), v).map(|()| encoder.out))
}

/// How deep the encoder follows nested maps and lists. A map can contain itself
/// (`set $d "self" $d`), which Go's encoder follows until the stack runs out.
const MAX_NESTING: usize = 100;

fn nesting_within(v: &Value, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    match v {
        Value::Map(m) => m.snapshot().values().all(|v| nesting_within(v, depth + 1)),
        Value::List(items, _) => items.iter().all(|v| nesting_within(v, depth + 1)),
        Value::Object(o) => o.to_data().is_none_or(|d| nesting_within(&d, depth + 1)),
        _ => true,
    }
}

/// Helm's `toToml`: the TOML text, or the encoding error's text in its place.
pub fn to_toml(v: &Value) -> Result<String> {
    Ok(encode(v)?.unwrap_or_else(|e| e))
}

/// Helm's `mustToToml`.
pub fn must_to_toml(v: &Value) -> Result<String> {
    encode(v)?.map_err(Error::new)
}

fn datetime_value(dt: &toml::value::Datetime) -> Value {
    let (year, month, day) = dt.date.map_or((0, 1, 1), |d| {
        (i64::from(d.year), i64::from(d.month), i64::from(d.day))
    });
    let (hour, minute, second, nanos) = dt.time.map_or((0, 0, 0, 0), |t| {
        (
            i64::from(t.hour),
            i64::from(t.minute),
            i64::from(t.second.unwrap_or(0)),
            i64::from(t.nanosecond.unwrap_or(0)),
        )
    });
    let fields = [year, month, day, hour, minute, second];
    let location = match (dt.offset, dt.date, dt.time) {
        (Some(toml::value::Offset::Z), ..) => Location::utc(),
        (Some(toml::value::Offset::Custom { minutes: 0 }), ..) => Location::utc(),
        (Some(toml::value::Offset::Custom { minutes }), ..) => Location::Fixed {
            name: Arc::from(""),
            offset: i32::from(minutes) * 60,
        },
        (None, Some(_), Some(_)) => fixed("datetime-local"),
        (None, Some(_), None) => fixed("date-local"),
        (None, None, _) => fixed("time-local"),
    };
    GoTime::date(fields, nanos, location).into_value()
}

fn fixed(name: &str) -> Location {
    Location::Fixed {
        name: Arc::from(name),
        offset: 0,
    }
}

fn from_toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s),
        toml::Value::Integer(i) => Value::Int(i, IntKind::Int64),
        toml::Value::Float(f) => Value::Float(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(dt) => datetime_value(&dt),
        toml::Value::Array(items) => Value::list(items.into_iter().map(from_toml_value).collect()),
        toml::Value::Table(table) => Value::map(
            table
                .into_iter()
                .map(|(k, v)| (k, from_toml_value(v)))
                .collect(),
        ),
    }
}

/// Helm's `fromToml`: a map; a document that does not parse puts the error text under the
/// key `Error`.
pub fn from_toml(s: &str) -> Map {
    match s.parse::<toml::Table>() {
        Ok(table) => table
            .into_iter()
            .map(|(k, v)| (k, from_toml_value(v)))
            .collect(),
        Err(err) => Map::from([(
            "Error".to_owned(),
            Value::from(format!("toml: {}", err.message())),
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn encodes_like_burntsushi() {
        let v = map(&[
            ("a", Value::Float(1.0)),
            (
                "b",
                map(&[
                    ("c", Value::from("x")),
                    ("d", map(&[("e", Value::Bool(true))])),
                ]),
            ),
            ("l", Value::list(vec![Value::int(1), Value::from("two")])),
            ("t", Value::list(vec![map(&[("n", Value::int(1))])])),
            ("weird key", Value::Nil),
        ]);
        assert_eq!(
            to_toml(&v).unwrap(),
            "a = 1.0\nl = [1, \"two\"]\n\n[b]\n  c = \"x\"\n  [b.d]\n    e = true\n\n[[t]]\n  n = 1\n"
        );
        assert_eq!(to_toml(&Value::from("s")).unwrap(), "\"s\"");
        assert_eq!(
            to_toml(&map(&[("l", Value::list(vec![Value::Nil]))])).unwrap(),
            NIL_ELEMENT
        );
    }

    #[test]
    fn decodes_into_go_types() {
        let m = from_toml("a = 1\nb = 1.5\n[t]\nc = [1, 2]\n");
        assert_eq!(format!("{:?}", m["a"]), "int64(1)");
        assert_eq!(format!("{:?}", m["t"]), "{\"c\": [int64(1), int64(2)]}");
        assert!(from_toml("a = ").contains_key("Error"));
    }
}
