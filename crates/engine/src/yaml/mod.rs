//! YAML with Helm's (Go's) semantics: values loaded as sigs.k8s.io/yaml loads them over
//! yaml.v2 (YAML 1.1 booleans, every number a float64, keys made strings), and `toYaml`
//! output byte for byte as sigs.k8s.io/yaml's `Marshal` writes it.
//!
//! Errors carry Go's text, including sigs.k8s.io/yaml's prefixes, so callers print them
//! as Helm would.
mod analyze;
mod decode;
pub(crate) use decode::go_lossy_utf8;
mod emit;
mod encode;
mod encode_pretty;
mod node;
mod resolve;

use crate::value::{Map, Value};

/// The largest input `parse` and its siblings accept, in bytes. Helm reads chart files of
/// up to 5 MiB; values handed over by a controller may be larger, but not unboundedly.
pub const MAX_INPUT_BYTES: usize = 32 << 20;

/// How deep collections may nest, in the input and after aliases are expanded. yaml.v2
/// allows 10000 levels; helmsync allows fewer so that dropping or printing a value, which
/// recurses once per level, cannot exhaust a thread's stack.
pub const MAX_NESTING_DEPTH: usize = crate::json::MAX_NESTING_DEPTH;

/// Why loading or writing YAML failed; `Display` prints Go's message byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not YAML that yaml.v2 can decode, or not representable as JSON.
    Syntax,
    /// The document is not of the type asked for (a map for values, a list for
    /// `fromYamlArray`).
    Type,
    /// A helmsync limit was reached: input size or nesting depth.
    Limit,
    /// A value cannot be written (NaN, infinities, objects without a data form).
    Marshal,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    fn prefixed(self, prefix: &str) -> Error {
        Error {
            kind: self.kind,
            message: format!("{prefix}{}", self.message),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

/// Stack kept free before each recursive step over a value; deeper recursion continues on
/// a heap segment of `STACK_SEGMENT` bytes.
const STACK_RED_ZONE: usize = 64 * 1024;
const STACK_SEGMENT: usize = 1024 * 1024;

/// Runs one level of a recursive walk with enough stack for it, whatever thread runs it.
pub(crate) fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, f)
}

fn check_size(s: &str) -> Result<(), Error> {
    if s.len() > MAX_INPUT_BYTES {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "yaml: input of {} bytes exceeds the limit of {MAX_INPUT_BYTES} bytes",
                s.len()
            ),
        ));
    }
    Ok(())
}

/// The YAML-to-JSON half of sigs.k8s.io/yaml's `Unmarshal`, without its error prefix.
fn yaml_to_json_value(s: &str) -> Result<Value, Error> {
    check_size(s)?;
    let tree = node::parse_first_document(s.as_bytes())?;
    let raw = decode::decode(&tree)?;
    let value = decode::to_json_value(raw)?;
    decode::check_finite(&value)?;
    Ok(value)
}

/// sigs.k8s.io/yaml's `Unmarshal` into `interface{}`: the first document of `s`, with
/// numbers as float64 and keys as strings. Empty input is nil.
pub fn parse(s: &str) -> Result<Value, Error> {
    yaml_to_json_value(s).map_err(|e| e.prefixed("error converting YAML to JSON: "))
}

/// How encoding/json names a value it cannot store in the target type.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "object",
        Value::List(..) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

fn type_error(v: &Value, go_type: &str) -> Error {
    Error::new(
        ErrorKind::Type,
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go \
             value of type {go_type}",
            json_kind(v)
        ),
    )
}

/// sigs.k8s.io/yaml's `Unmarshal` into `map[string]interface{}`: how Helm reads values and
/// what `fromYaml` returns. A null or empty document is an empty map.
pub fn parse_map(s: &str) -> Result<Map, Error> {
    match parse(s)? {
        Value::Nil => Ok(Map::new()),
        Value::Map(m) => Ok(m.into_map()),
        other => Err(type_error(&other, "map[string]interface {}")),
    }
}

/// sigs.k8s.io/yaml's `Unmarshal` into `[]interface{}`, as `fromYamlArray` calls it. A null
/// or empty document is an empty list.
pub fn parse_list(s: &str) -> Result<Vec<Value>, Error> {
    match parse(s)? {
        Value::Nil => Ok(Vec::new()),
        Value::List(items, _) => Ok(std::sync::Arc::unwrap_or_clone(items)),
        other => Err(type_error(&other, "[]interface {}")),
    }
}

/// Splits a stream into documents as Kubernetes' `YAMLReader` does: a line starting with
/// `---` ends a document and may be followed only by spaces or a comment; line ends are
/// normalised to `\n`; empty documents are skipped.
pub fn split_documents(s: &str) -> Result<Vec<String>, Error> {
    check_size(s)?;
    let mut documents = Vec::new();
    let mut current = String::new();
    for line in s.split_inclusive('\n') {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(Error::new(
                    ErrorKind::Syntax,
                    format!("invalid Yaml document separator: {trimmed}"),
                ));
            }
            if !current.is_empty() {
                documents.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.is_empty() {
        documents.push(current);
    }
    Ok(documents)
}

/// Each document of a stream (split as `split_documents` does) parsed as `parse` does.
pub fn parse_documents(s: &str) -> Result<Vec<Value>, Error> {
    split_documents(s)?.iter().map(|doc| parse(doc)).collect()
}

/// Helm's `loader.LoadValues`: a chart's values.yaml, every document read as a map and
/// merged into the ones before it, nested maps key by key.
pub fn load_values(s: &str) -> Result<Map, Error> {
    let documents = split_documents(s).map_err(|e| e.prefixed("error reading yaml document: "))?;
    let mut values = Map::new();
    for document in documents {
        let current =
            parse_map(&document).map_err(|e| e.prefixed("cannot unmarshal yaml document: "))?;
        merge_maps(&mut values, current);
    }
    Ok(values)
}

/// Helm's `MergeMaps`: values of `b` win, except that two maps are merged.
fn merge_maps(a: &mut Map, b: Map) {
    with_stack(|| merge_maps_level(a, b));
}

fn merge_maps_level(a: &mut Map, b: Map) {
    for (key, value) in b {
        if let Value::Map(incoming) = &value
            && let Some(Value::Map(existing)) = a.get_mut(&key)
        {
            let mut merged = std::mem::take(existing).into_map();
            merge_maps(&mut merged, incoming.clone().into_map());
            *existing = crate::value::MapRef::new(merged);
            continue;
        }
        a.insert(key, value);
    }
}

/// yaml.v3's `Encoder` with an indent of 2, as Helm's `toYamlPretty` calls it: the document
/// with its final newline.
pub fn to_yaml_pretty(v: &Value) -> Result<String, Error> {
    encode_pretty::to_yaml_pretty(v)
}

/// sigs.k8s.io/yaml's `Marshal` as Helm's `toYaml` calls it (before Helm trims the final
/// newline): the value goes through JSON, so integers that JSON prints as such stay
/// integers, keys are sorted yaml.v2's way and strings are quoted only when they must be.
pub fn to_yaml(v: &Value) -> Result<String, Error> {
    encode::to_yaml(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested_flow(depth: usize, inner: &str) -> String {
        format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn nesting_in_the_input_is_bounded() {
        assert!(parse(&nested_flow(MAX_NESTING_DEPTH, "x")).is_ok());
        let err = parse(&nested_flow(MAX_NESTING_DEPTH + 1, "x")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit);
        assert_eq!(
            err.to_string(),
            "error converting YAML to JSON: yaml: line 1: exceeded max depth of 1000"
        );
    }

    #[test]
    fn nesting_grown_by_aliases_is_bounded() {
        let half = MAX_NESTING_DEPTH / 2 + 1;
        let doc = format!(
            "a: &a {}\nb: {}\n",
            nested_flow(half, "x"),
            nested_flow(half, "*a")
        );
        let err = parse(&doc).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit);
        assert_eq!(
            err.to_string(),
            "error converting YAML to JSON: yaml: exceeded max depth of 1000"
        );
    }

    #[test]
    fn writing_deeply_nested_values_is_bounded() {
        let mut v = Value::from("leaf");
        for _ in 0..MAX_NESTING_DEPTH {
            v = Value::list(vec![v]);
        }
        assert!(to_yaml(&v).is_ok());
        let err = to_yaml(&Value::list(vec![v])).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit);
        assert_eq!(err.to_string(), "yaml: exceeded max depth of 1000");
    }

    #[test]
    fn input_size_is_bounded() {
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        let err = parse(&big).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit);
        assert!(
            err.to_string()
                .ends_with("exceeds the limit of 33554432 bytes"),
            "{err}"
        );
        assert_eq!(split_documents(&big).unwrap_err().kind(), ErrorKind::Limit);
    }

    #[test]
    fn alias_expansion_is_bounded_like_yaml_v2() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert_eq!(
            parse(&doc).unwrap_err().to_string(),
            "error converting YAML to JSON: yaml: document contains excessive aliasing"
        );
    }

    #[test]
    fn values_documents_merge_nested_maps() {
        let values = load_values("a: {x: 1, w: 1}\n---\na: {w: 2}\nb: 3\n").unwrap();
        assert_eq!(
            crate::json::to_json(&Value::map(values)).unwrap(),
            r#"{"a":{"w":2,"x":1},"b":3}"#
        );
    }
}
