//! yaml.v2's decoder into `interface{}` (typed scalars, merge keys, alias expansion with its
//! "excessive aliasing" guard), then sigs.k8s.io/yaml's trip through JSON: keys become
//! strings, numbers float64, non-finite floats an error.
use std::collections::HashMap;
use std::collections::HashSet;
use std::sync::Arc;

use super::node::{Kind, Node, Tree};
use super::resolve::{self, Resolved};
use super::{Error, ErrorKind, MAX_NESTING_DEPTH, with_stack};
use crate::gofmt;
use crate::value::{Map, Value};

/// A value as yaml.v2 hands it to sigs.k8s.io/yaml: Go's dynamic types before the JSON trip.
#[derive(Clone, Debug)]
pub(crate) enum Raw {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// Bytes, because `!!binary` can decode to text that is not UTF-8.
    Str(Vec<u8>),
    Seq(Vec<Raw>),
    Map(RawMap),
}

/// Go's `map[interface{}]interface{}`: equal keys replace each other.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawMap {
    entries: Vec<(Raw, Raw)>,
    index: HashMap<KeyId, usize>,
}

/// A hashable identity for map keys with Go's equality (NaN equals nothing).
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
enum KeyId {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(Vec<u8>),
}

fn key_id(k: &Raw) -> Option<KeyId> {
    Some(match k {
        Raw::Nil => KeyId::Nil,
        Raw::Bool(b) => KeyId::Bool(*b),
        Raw::Int(i) => KeyId::Int(*i),
        Raw::Uint(u) => KeyId::Uint(*u),
        Raw::Float(f) if f.is_nan() => return None,
        // -0 and 0 are the same key in Go.
        Raw::Float(f) => KeyId::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
        Raw::Str(s) => KeyId::Str(s.clone()),
        Raw::Seq(_) | Raw::Map(_) => return None,
    })
}

impl RawMap {
    fn set(&mut self, key: Raw, value: Raw) {
        match key_id(&key) {
            Some(id) => match self.index.get(&id) {
                Some(&at) => self.entries[at].1 = value,
                None => {
                    self.index.insert(id, self.entries.len());
                    self.entries.push((key, value));
                }
            },
            None => self.entries.push((key, value)),
        }
    }
}

// yaml.v2's bounds on alias expansion relative to the size of the document.
const ALIAS_RATIO_RANGE_LOW: usize = 400_000;
const ALIAS_RATIO_RANGE_HIGH: usize = 4_000_000;

fn allowed_alias_ratio(decode_count: usize) -> f64 {
    if decode_count <= ALIAS_RATIO_RANGE_LOW {
        0.99
    } else if decode_count >= ALIAS_RATIO_RANGE_HIGH {
        0.10
    } else {
        let range = (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW) as f64;
        0.99 - 0.89 * ((decode_count - ALIAS_RATIO_RANGE_LOW) as f64 / range)
    }
}

struct Decoder<'t> {
    nodes: &'t [Node],
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
    /// Alias nodes being expanded, to refuse an anchor that contains itself.
    expanding: HashSet<usize>,
}

fn fail(message: String) -> Error {
    Error::new(ErrorKind::Syntax, format!("yaml: {message}"))
}

/// Decodes a parsed document as yaml.v2's `Unmarshal` into `interface{}`.
pub(crate) fn decode(tree: &Tree) -> Result<Raw, Error> {
    let Some(root) = tree.root else {
        return Ok(Raw::Nil);
    };
    let mut d = Decoder {
        nodes: &tree.nodes,
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
        expanding: HashSet::new(),
    };
    // yaml.v2 counts the document node and then the root.
    d.enter()?;
    d.enter()?;
    d.value(root, 0)
}

impl Decoder<'_> {
    /// The bookkeeping at the top of yaml.v2's `unmarshal`.
    fn enter(&mut self) -> Result<(), Error> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(fail("document contains excessive aliasing".into()));
        }
        Ok(())
    }

    fn check_depth(depth: usize) -> Result<(), Error> {
        if depth > MAX_NESTING_DEPTH {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("yaml: exceeded max depth of {MAX_NESTING_DEPTH}"),
            ));
        }
        Ok(())
    }

    fn begin_alias(&mut self, at: usize, anchor: &str) -> Result<(), Error> {
        if !self.expanding.insert(at) {
            return Err(fail(format!("anchor '{anchor}' value contains itself")));
        }
        self.alias_depth += 1;
        Ok(())
    }

    fn end_alias(&mut self, at: usize) {
        self.alias_depth -= 1;
        self.expanding.remove(&at);
    }

    fn value(&mut self, at: usize, depth: usize) -> Result<Raw, Error> {
        with_stack(|| self.value_level(at, depth))
    }

    fn value_level(&mut self, at: usize, depth: usize) -> Result<Raw, Error> {
        let node = &self.nodes[at];
        match &node.kind {
            Kind::Alias(anchor, target) => {
                self.begin_alias(at, anchor)?;
                self.enter()?;
                let result = self.value(*target, depth);
                self.end_alias(at);
                result
            }
            Kind::Scalar { value, implicit } => scalar(&node.tag, value, *implicit),
            Kind::Sequence(children) => {
                Self::check_depth(depth + 1)?;
                let mut items = Vec::with_capacity(children.len());
                for &child in children {
                    self.enter()?;
                    items.push(self.value(child, depth + 1)?);
                }
                Ok(Raw::Seq(items))
            }
            Kind::Mapping(_) => {
                Self::check_depth(depth + 1)?;
                let mut map = RawMap::default();
                self.fill_map(at, &mut map, depth + 1)?;
                Ok(Raw::Map(map))
            }
        }
    }

    /// yaml.v2's `mapping` into a map that may already hold merged keys.
    fn fill_map(&mut self, at: usize, map: &mut RawMap, depth: usize) -> Result<(), Error> {
        let Kind::Mapping(children) = &self.nodes[at].kind else {
            return Ok(());
        };
        for pair in children.chunks(2) {
            let [key, value] = *pair else { continue };
            if self.is_merge(key) {
                self.merge(value, map, depth)?;
                continue;
            }
            self.enter()?;
            let k = self.value(key, depth)?;
            if matches!(k, Raw::Seq(_) | Raw::Map(_)) {
                return Err(fail(format!("invalid map key: {}", go_syntax(&k))));
            }
            self.enter()?;
            let v = self.value(value, depth)?;
            map.set(k, v);
        }
        Ok(())
    }

    fn is_merge(&self, at: usize) -> bool {
        let node = &self.nodes[at];
        matches!(&node.kind, Kind::Scalar { value, implicit }
            if value == "<<" && (*implicit || node.tag == resolve::MERGE_TAG))
    }

    fn is_mapping_or_alias_to_one(&self, at: usize) -> bool {
        match &self.nodes[at].kind {
            Kind::Mapping(_) => true,
            Kind::Alias(_, target) => matches!(self.nodes[*target].kind, Kind::Mapping(_)),
            _ => false,
        }
    }

    /// yaml.v2's `merge`: mappings are decoded into `map` itself, a sequence of them from the
    /// last to the first so that earlier ones win.
    fn merge(&mut self, at: usize, map: &mut RawMap, depth: usize) -> Result<(), Error> {
        let want_map = || fail("map merge requires map or sequence of maps as the value".into());
        match &self.nodes[at].kind {
            Kind::Mapping(_) | Kind::Alias(..) => {
                if !self.is_mapping_or_alias_to_one(at) {
                    return Err(want_map());
                }
                self.merge_one(at, map, depth)
            }
            Kind::Sequence(children) => {
                for &child in children.iter().rev() {
                    if !self.is_mapping_or_alias_to_one(child) {
                        return Err(want_map());
                    }
                    self.merge_one(child, map, depth)?;
                }
                Ok(())
            }
            Kind::Scalar { .. } => Err(want_map()),
        }
    }

    fn merge_one(&mut self, at: usize, map: &mut RawMap, depth: usize) -> Result<(), Error> {
        self.enter()?;
        match &self.nodes[at].kind {
            Kind::Alias(anchor, target) => {
                self.begin_alias(at, anchor)?;
                self.enter()?;
                let result = self.fill_map(*target, map, depth);
                self.end_alias(at);
                result
            }
            _ => self.fill_map(at, map, depth),
        }
    }
}

/// yaml.v2's `scalar` into `interface{}`.
fn scalar(tag: &str, value: &str, implicit: bool) -> Result<Raw, Error> {
    if tag.is_empty() && !implicit {
        return Ok(Raw::Str(value.as_bytes().to_vec()));
    }
    let resolvable = matches!(
        tag,
        "" | resolve::STR_TAG
            | resolve::BOOL_TAG
            | resolve::INT_TAG
            | resolve::FLOAT_TAG
            | resolve::NULL_TAG
            | resolve::TIMESTAMP_TAG
    );
    if !resolvable {
        if tag == resolve::BINARY_TAG {
            return decode_base64(value)
                .map(Raw::Str)
                .ok_or_else(|| fail("!!binary value contains invalid base64 data".into()));
        }
        return Ok(Raw::Str(value.as_bytes().to_vec()));
    }
    let mut resolved = resolve::resolve(tag, value);
    let rtag = resolve::tag_of(&resolved);
    if !(tag.is_empty() || tag == rtag || tag == resolve::STR_TAG) {
        match resolved {
            Resolved::Int(i) if tag == resolve::FLOAT_TAG => resolved = Resolved::Float(i as f64),
            _ => {
                return Err(fail(format!(
                    "cannot decode {} `{value}` as a {}",
                    resolve::short_tag(rtag),
                    resolve::short_tag(tag)
                )));
            }
        }
    }
    Ok(match resolved {
        Resolved::Null => Raw::Nil,
        Resolved::Bool(b) => Raw::Bool(b),
        Resolved::Int(i) => Raw::Int(i),
        Resolved::Uint(u) => Raw::Uint(u),
        Resolved::Float(f) => Raw::Float(f),
        Resolved::Str | Resolved::Timestamp | Resolved::Merge => {
            Raw::Str(value.as_bytes().to_vec())
        }
    })
}

/// Go's `base64.StdEncoding.DecodeString`: padded, newlines ignored.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::new();
    let mut padding = 0;
    let mut count = 0;
    for c in text.bytes() {
        if c == b'\n' || c == b'\r' {
            continue;
        }
        count += 1;
        if c == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return None;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    let valid_padding = match count % 4 {
        0 => padding <= 2 && (padding == 0 || nbits == 2 * padding),
        _ => false,
    };
    (valid_padding && bits == 0).then_some(out)
}

/// Go's conversion of bytes to a JSON string: each byte of an invalid sequence becomes
/// U+FFFD.
pub(crate) fn go_lossy_utf8(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let mut out = String::new();
            for chunk in e.as_bytes().utf8_chunks() {
                out.push_str(chunk.valid());
                out.extend(std::iter::repeat_n('\u{FFFD}', chunk.invalid().len()));
            }
            out
        }
    }
}

/// Go's `%#v` of a decoded value, for error messages.
pub(crate) fn go_syntax(v: &Raw) -> String {
    with_stack(|| go_syntax_level(v))
}

fn go_syntax_level(v: &Raw) -> String {
    match v {
        Raw::Nil => "<nil>".into(),
        Raw::Bool(b) => b.to_string(),
        Raw::Int(i) => i.to_string(),
        Raw::Uint(u) => format!("0x{u:x}"),
        Raw::Float(f) => gofmt::format_float(*f, b'g', -1, 64),
        Raw::Str(s) => {
            let text = String::from_utf8_lossy(s);
            let mut out = String::from("\"");
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                        out.push_str(&format!("\\x{:02x}", c as u32));
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Raw::Seq(items) => {
            let inner: Vec<String> = items.iter().map(go_syntax).collect();
            format!("[]interface {{}}{{{}}}", inner.join(", "))
        }
        Raw::Map(map) => {
            let mut inner: Vec<String> = map
                .entries
                .iter()
                .map(|(k, v)| format!("{}:{}", go_syntax(k), go_syntax(v)))
                .collect();
            inner.sort();
            format!("map[interface {{}}]interface {{}}{{{}}}", inner.join(", "))
        }
    }
}

fn go_type_name(v: &Raw) -> &'static str {
    match v {
        Raw::Nil => "%!s(<nil>)",
        Raw::Bool(_) => "bool",
        Raw::Int(_) => "int",
        Raw::Uint(_) => "uint64",
        Raw::Float(_) => "float64",
        Raw::Str(_) => "string",
        Raw::Seq(_) => "[]interface {}",
        Raw::Map(_) => "map[interface {}]interface {}",
    }
}

/// sigs.k8s.io/yaml's `convertToJSONableObject` and the JSON round trip: keys become strings,
/// every number a float64. Non-finite floats are kept for `check_finite`.
pub(crate) fn to_json_value(raw: Raw) -> Result<Value, Error> {
    with_stack(|| to_json_value_level(raw))
}

fn to_json_value_level(raw: Raw) -> Result<Value, Error> {
    Ok(match raw {
        Raw::Nil => Value::Nil,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Float(i as f64),
        Raw::Uint(u) => Value::Float(u as f64),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::String(Arc::from(go_lossy_utf8(s))),
        Raw::Seq(items) => Value::list(
            items
                .into_iter()
                .map(to_json_value)
                .collect::<Result<_, _>>()?,
        ),
        Raw::Map(map) => {
            let mut out = Map::new();
            for (k, v) in map.entries {
                let key = match &k {
                    Raw::Str(s) => go_lossy_utf8(s.clone()),
                    Raw::Int(i) => i.to_string(),
                    Raw::Float(f) => match gofmt::format_float(*f, b'g', -1, 32).as_str() {
                        "+Inf" => ".inf".into(),
                        "-Inf" => "-.inf".into(),
                        "NaN" => ".nan".into(),
                        s => s.into(),
                    },
                    Raw::Bool(b) => b.to_string(),
                    Raw::Nil | Raw::Uint(_) | Raw::Seq(_) | Raw::Map(_) => {
                        return Err(Error::new(
                            ErrorKind::Syntax,
                            format!(
                                "unsupported map key of type: {}, key: {}, value: {}",
                                go_type_name(&k),
                                go_syntax(&k),
                                go_syntax(&v)
                            ),
                        ));
                    }
                };
                out.insert(key, to_json_value(v)?);
            }
            Value::map(out)
        }
    })
}

/// json.Marshal's refusal of NaN and infinities, in its (sorted) order.
pub(crate) fn check_finite(v: &Value) -> Result<(), Error> {
    with_stack(|| match v {
        Value::Float(f) if !f.is_finite() => Err(Error::new(
            ErrorKind::Syntax,
            format!(
                "json: unsupported value: {}",
                gofmt::format_float(*f, b'g', -1, 64)
            ),
        )),
        Value::List(items, _) => items.iter().try_for_each(check_finite),
        Value::Map(map) => map.snapshot().values().try_for_each(check_finite),
        _ => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_like_go() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVs\nbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert!(decode_base64("aGVsbG8").is_none());
        assert!(decode_base64("a===").is_none());
        assert!(decode_base64("aGVsbG9=").is_none());
    }

    #[test]
    fn invalid_utf8_bytes_each_become_a_replacement_character() {
        assert_eq!(
            go_lossy_utf8(vec![b'a', 0xE2, 0x82, b'b']),
            "a\u{FFFD}\u{FFFD}b"
        );
        assert_eq!(go_lossy_utf8(vec![0xFF]), "\u{FFFD}");
    }
}
