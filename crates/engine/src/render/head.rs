//! The head of a rendered manifest (Helm's `SimpleHead`: `apiVersion`, `kind`,
//! `metadata.name` and `metadata.annotations`), read as sigs.k8s.io/yaml's `Unmarshal` reads
//! it into that struct: YAML to JSON, numbers and booleans bound for string fields turned
//! into strings, then encoding/json's decoding with its first type error reported.
use std::collections::BTreeMap;

use crate::gofmt::format_float;
use crate::value::{Map, Value};
use crate::yaml;

/// Helm's `SimpleHead`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    /// `apiVersion`.
    pub version: String,
    pub kind: String,
    pub metadata: Option<HeadMetadata>,
}

/// `SimpleHead.Metadata`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeadMetadata {
    pub name: String,
    /// `None` when the manifest has no `annotations` (or they are null).
    pub annotations: Option<BTreeMap<String, String>>,
}

impl Head {
    /// The annotations, when there is at least one (Helm's `hasAnyAnnotation`).
    pub fn annotations(&self) -> Option<&BTreeMap<String, String>> {
        let annotations = self.metadata.as_ref()?.annotations.as_ref()?;
        (!annotations.is_empty()).then_some(annotations)
    }

    pub fn name(&self) -> &str {
        self.metadata.as_ref().map_or("", |m| m.name.as_str())
    }
}

/// How Go names the anonymous type of `SimpleHead.Metadata` in errors.
const METADATA_TYPE: &str = "struct { Name string \"json:\\\"name\\\"\"; \
                             Annotations map[string]string \"json:\\\"annotations\\\"\" }";

/// sigs.k8s.io/yaml's `Unmarshal(doc, &SimpleHead{})`; the error is its message.
pub fn parse_head(doc: &str) -> Result<Head, String> {
    // libyaml-safer 0.3 panics on a block scalar that ends the input without a line break,
    // which rendered files often do; a final line break changes none of the head's fields
    // but a block scalar written as the last one.
    let value = if doc.ends_with('\n') {
        yaml::parse(doc)
    } else {
        yaml::parse(&format!("{doc}\n"))
    };
    let value = value.map_err(|e| e.to_string())?;
    let mut decoder = Decoder::default();
    let head = decoder.head(&value);
    match decoder.first_error {
        Some(message) => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: {message}"
        )),
        None => Ok(head),
    }
}

/// encoding/json's decoding state: it goes on after a type error and reports the first.
#[derive(Default)]
struct Decoder {
    first_error: Option<String>,
}

/// A field of a Go struct: its JSON name, for matching and for error paths.
const HEAD_FIELDS: [&str; 3] = ["apiVersion", "kind", "metadata"];
const METADATA_FIELDS: [&str; 2] = ["name", "annotations"];

impl Decoder {
    fn type_error(&mut self, value: &Value, path: &str, go_type: &str) {
        if self.first_error.is_none() {
            let what = json_kind(value);
            self.first_error = Some(format!(
                "cannot unmarshal {what} into Go struct field {path} of type {go_type}"
            ));
        }
    }

    fn head(&mut self, value: &Value) -> Head {
        let mut head = Head::default();
        let map = match value {
            Value::Missing | Value::Nil => return head,
            Value::Map(map) => map,
            other => {
                let what = json_kind(other);
                self.first_error = Some(format!(
                    "cannot unmarshal {what} into Go value of type util.SimpleHead"
                ));
                return head;
            }
        };
        // JSON objects are written with sorted keys and decoded in that order; a later key
        // matching the same field wins.
        for (key, value) in map.snapshot().iter() {
            match field_for(&HEAD_FIELDS, key) {
                Some("apiVersion") => {
                    self.string_into(&mut head.version, value, "SimpleHead.apiVersion")
                }
                Some("kind") => self.string_into(&mut head.kind, value, "SimpleHead.kind"),
                Some(_) => match value {
                    Value::Nil => head.metadata = None,
                    Value::Map(fields) => {
                        let metadata = head.metadata.get_or_insert_with(HeadMetadata::default);
                        self.metadata(metadata, &fields.snapshot());
                    }
                    other => self.type_error(other, "SimpleHead.metadata", METADATA_TYPE),
                },
                None => {}
            }
        }
        head
    }

    fn metadata(&mut self, metadata: &mut HeadMetadata, fields: &Map) {
        for (key, value) in fields.iter() {
            match field_for(&METADATA_FIELDS, key) {
                Some("name") => self.string_into(&mut metadata.name, value, ".metadata.name"),
                Some(_) => match value {
                    Value::Nil => metadata.annotations = None,
                    Value::Map(entries) => {
                        let annotations = metadata.annotations.get_or_insert_with(BTreeMap::new);
                        for (key, value) in entries.snapshot().iter() {
                            let mut text = String::new();
                            self.string_into(&mut text, value, ".metadata.annotations");
                            annotations.insert(key.clone(), text);
                        }
                    }
                    other => self.type_error(other, ".metadata.annotations", "map[string]string"),
                },
                None => {}
            }
        }
    }

    /// A value bound for a Go `string`: numbers and booleans were made strings on the way
    /// to JSON; null leaves the string as it was.
    fn string_into(&mut self, slot: &mut String, value: &Value, path: &str) {
        match value {
            Value::String(s) => *slot = s.to_string(),
            Value::Bool(b) => *slot = b.to_string(),
            Value::Float(f) => *slot = yaml_number_text(*f),
            Value::Int(i, _) => *slot = i.to_string(),
            Value::Uint(u) => *slot = u.to_string(),
            Value::Missing | Value::Nil => {}
            other => self.type_error(other, path, "string"),
        }
    }
}

/// The JSON field a key decodes into: the exact name, else a case-insensitive match.
fn field_for(fields: &[&'static str], key: &str) -> Option<&'static str> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key)))
        .copied()
}

/// The text sigs.k8s.io/yaml gives a YAML number bound for a string: integers in decimal,
/// other numbers as `strconv.FormatFloat(f, 'g', -1, 32)`. Values arrive as float64 here,
/// so a YAML float with an integral value is written as an integer.
fn yaml_number_text(f: f64) -> String {
    const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.fract() == 0.0 && (-I64_LIMIT..I64_LIMIT).contains(&f) {
        return format!("{}", f as i64);
    }
    format_float(f, b'g', -1, 32)
}

/// How encoding/json names a JSON value in type errors.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Map(_) => "object",
        Value::List(..) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "error unmarshaling JSON: while decoding JSON: json: ";

    fn error(doc: &str) -> String {
        let message = parse_head(doc).unwrap_err();
        message.strip_prefix(PREFIX).unwrap_or(&message).to_owned()
    }

    #[test]
    fn heads_read_fields_case_insensitively_and_stringify_scalars() {
        let head = parse_head(
            "KIND: Service\napiversion: 1\nmetadata:\n  name: 5\n  annotations:\n    \
             a: true\n    b: 1.5\n    c: null\n",
        )
        .unwrap();
        assert_eq!(
            (head.kind.as_str(), head.version.as_str()),
            ("Service", "1")
        );
        assert_eq!(head.name(), "5");
        let annotations = head.annotations().unwrap();
        assert_eq!(annotations["a"], "true");
        assert_eq!(annotations["b"], "1.5");
        assert_eq!(annotations["c"], "");
        assert_eq!(parse_head("~\n").unwrap(), Head::default());
        assert_eq!(parse_head("# only a comment\n").unwrap(), Head::default());
        assert!(
            parse_head("metadata:\n  annotations: {}\n")
                .unwrap()
                .annotations()
                .is_none()
        );
        let unterminated = parse_head("kind: ConfigMap\ndata:\n  a: |\n    x").unwrap();
        assert_eq!(unterminated.kind, "ConfigMap");
    }

    #[test]
    fn type_errors_name_the_first_field_in_json_order() {
        assert_eq!(
            error("- a\n"),
            "cannot unmarshal array into Go value of type util.SimpleHead"
        );
        assert_eq!(
            error("just text\n"),
            "cannot unmarshal string into Go value of type util.SimpleHead"
        );
        assert_eq!(
            error("metadata:\n  name: [1]\nkind: [2]\n"),
            "cannot unmarshal array into Go struct field SimpleHead.kind of type string"
        );
        assert_eq!(
            error("metadata: 5\n"),
            format!(
                "cannot unmarshal number into Go struct field SimpleHead.metadata of type {METADATA_TYPE}"
            )
        );
        assert_eq!(
            error("metadata:\n  annotations:\n    a: [1]\n"),
            "cannot unmarshal array into Go struct field .metadata.annotations of type string"
        );
        assert_eq!(
            error("metadata:\n  annotations: 5\n"),
            "cannot unmarshal number into Go struct field .metadata.annotations of type \
             map[string]string"
        );
        assert_eq!(
            error("metadata:\n  name: {a: 1}\n"),
            "cannot unmarshal object into Go struct field .metadata.name of type string"
        );
    }

    #[test]
    fn yaml_errors_keep_the_conversion_prefix() {
        assert!(
            parse_head("a: [\n")
                .unwrap_err()
                .starts_with("error converting YAML to JSON: yaml: line ")
        );
        assert_eq!(yaml_number_text(123.456789), "123.45679");
        assert_eq!(yaml_number_text(10000000.0), "10000000");
    }
}
