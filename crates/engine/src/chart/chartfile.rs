//! Chart.yaml, requirements.yaml and lock files decoded as Helm decodes them: YAML read by
//! sigs.k8s.io/yaml and stored into Go structs by encoding/json, so scalars become strings
//! where a string is expected, field names match without case, and type errors carry
//! encoding/json's text.
use std::collections::BTreeMap;

use super::metadata::{Dependency, Lock, Maintainer, Metadata};
use super::rfc3339;
use crate::gofmt;
use crate::value::{Map, Value};
use crate::yaml;

/// sigs.k8s.io/yaml's prefix for errors of the JSON half of `Unmarshal`.
const JSON_PREFIX: &str = "error unmarshaling JSON: while decoding JSON: ";

/// Decodes YAML text into `metadata`, overlaying the fields the text sets, as
/// `yaml.Unmarshal(data, metadata)` does.
pub(crate) fn decode_metadata(text: &str, metadata: &mut Metadata) -> Result<(), String> {
    let value = yaml::parse(text).map_err(|e| e.to_string())?;
    let mut decoder = Decoder::default();
    let outcome = decoder.top_level(&value, "v2.Metadata", |d, map| d.metadata(map, metadata));
    decoder.finish(outcome)
}

/// Decodes a lock file (Chart.lock or requirements.lock); a `null` document is no lock, as
/// Go's decoding into a `*Lock` makes it.
pub(crate) fn decode_lock(text: &str) -> Result<Option<Lock>, String> {
    let value = yaml::parse(text).map_err(|e| e.to_string())?;
    if value.is_nil() {
        return Ok(None);
    }
    let mut lock = Lock::default();
    let mut decoder = Decoder::default();
    let outcome = decoder.top_level(&value, "v2.Lock", |d, map| d.lock(map, &mut lock));
    decoder.finish(outcome)?;
    Ok(Some(lock))
}

/// Reads only `apiVersion`, as Helm does to pick the loader for a chart's API version.
pub(crate) fn decode_api_version(text: &str) -> Result<String, String> {
    let mut metadata = Metadata::default();
    let value = yaml::parse(text).map_err(|e| e.to_string())?;
    let mut decoder = Decoder::default();
    let outcome = decoder.top_level(&value, "loader.chartBase", |d, map| {
        d.fields("chartBase", map, &["apiVersion"], |d, _, v| {
            d.string(v, &mut metadata.api_version);
            Ok(())
        })
    });
    decoder.finish(outcome)?;
    Ok(metadata.api_version)
}

/// encoding/json's decoding state: the field path for error messages and the first type
/// error, which Go records while it goes on decoding.
#[derive(Default)]
struct Decoder {
    structs: Vec<&'static str>,
    fields: Vec<&'static str>,
    first_type_error: Option<String>,
}

/// An error that stops decoding at once (one from a type's own `UnmarshalJSON`).
struct Hard(String);

impl Decoder {
    fn top_level(
        &mut self,
        value: &Value,
        go_type: &str,
        decode: impl FnOnce(&mut Decoder, &Map) -> Result<(), Hard>,
    ) -> Result<(), Hard> {
        match value {
            Value::Nil | Value::Missing => Ok(()),
            Value::Map(map) => decode(self, &map.snapshot()),
            other => {
                self.first_type_error = Some(format!(
                    "json: cannot unmarshal {} into Go value of type {go_type}",
                    json_kind(other)
                ));
                Ok(())
            }
        }
    }

    fn finish(self, outcome: Result<(), Hard>) -> Result<(), String> {
        match (outcome, self.first_type_error) {
            (Err(Hard(message)), _) | (Ok(()), Some(message)) => {
                Err(format!("{JSON_PREFIX}{message}"))
            }
            (Ok(()), None) => Ok(()),
        }
    }

    fn enter(&mut self, field: &'static str) {
        self.fields.push(field);
    }

    fn leave(&mut self) {
        self.fields.pop();
    }

    fn type_error(&mut self, value: &Value, go_type: &str) {
        if self.first_type_error.is_some() {
            return;
        }
        let structure = self.structs.last().copied().unwrap_or_default();
        self.first_type_error = Some(format!(
            "json: cannot unmarshal {} into Go struct field {structure}.{} of type {go_type}",
            json_kind(value),
            self.fields.join(".")
        ));
    }

    /// A `string` field: numbers and booleans become their text (sigs.k8s.io/yaml does
    /// this for string targets); `null` leaves the field as it was.
    fn string(&mut self, value: &Value, out: &mut String) {
        match scalar_text(value) {
            Some(text) => *out = text,
            None if value.is_nil() => {}
            None => self.type_error(value, "string"),
        }
    }

    fn boolean(&mut self, value: &Value, out: &mut bool) {
        match value {
            Value::Bool(b) => *out = *b,
            Value::Nil | Value::Missing => {}
            other => self.type_error(other, "bool"),
        }
    }

    /// A `[]string` field: `null` sets it to nil.
    fn strings(&mut self, value: &Value, out: &mut Option<Vec<String>>) {
        match value {
            Value::Nil | Value::Missing => *out = None,
            Value::List(items, _) => {
                let mut list = Vec::with_capacity(items.len());
                for item in items.iter() {
                    let mut text = String::new();
                    self.string(item, &mut text);
                    list.push(text);
                }
                *out = Some(list);
            }
            other => self.type_error(other, "[]string"),
        }
    }

    fn string_map(&mut self, value: &Value, out: &mut Option<BTreeMap<String, String>>) {
        match value {
            Value::Nil | Value::Missing => *out = None,
            Value::Map(map) => {
                let mut decoded = BTreeMap::new();
                for (key, item) in map.snapshot().iter() {
                    let mut text = String::new();
                    self.string(item, &mut text);
                    decoded.insert(key.clone(), text);
                }
                *out = Some(decoded);
            }
            other => self.type_error(other, "map[string]string"),
        }
    }

    /// A slice of struct pointers: `null` items are nil pointers.
    fn struct_list<T: Default>(
        &mut self,
        value: &Value,
        go_type: &str,
        out: &mut Option<Vec<Option<T>>>,
        mut decode: impl FnMut(&mut Decoder, &Map, &mut T) -> Result<(), Hard>,
    ) -> Result<(), Hard> {
        match value {
            Value::Nil | Value::Missing => *out = None,
            Value::List(items, _) => {
                let mut list = Vec::with_capacity(items.len());
                for item in items.iter() {
                    match item {
                        Value::Nil | Value::Missing => list.push(None),
                        Value::Map(map) => {
                            let mut decoded = T::default();
                            decode(self, &map.snapshot(), &mut decoded)?;
                            list.push(Some(decoded));
                        }
                        other => {
                            self.type_error(other, go_type);
                            list.push(Some(T::default()));
                        }
                    }
                }
                *out = Some(list);
            }
            other => self.type_error(other, &format!("[]*{go_type}")),
        }
        Ok(())
    }

    /// Runs `decode` for each key of `map` that names one of `fields` (exactly, else
    /// without case), in the sorted order encoding/json sees them.
    fn fields(
        &mut self,
        structure: &'static str,
        map: &Map,
        fields: &[&'static str],
        mut decode: impl FnMut(&mut Decoder, &'static str, &Value) -> Result<(), Hard>,
    ) -> Result<(), Hard> {
        self.structs.push(structure);
        for (key, value) in map.iter() {
            let field = fields
                .iter()
                .find(|f| **f == key)
                .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key)));
            if let Some(&field) = field {
                self.enter(field);
                let outcome = decode(self, field, value);
                self.leave();
                outcome?;
            }
        }
        self.structs.pop();
        Ok(())
    }

    fn metadata(&mut self, map: &Map, md: &mut Metadata) -> Result<(), Hard> {
        const FIELDS: &[&str] = &[
            "name",
            "home",
            "sources",
            "version",
            "description",
            "keywords",
            "maintainers",
            "icon",
            "apiVersion",
            "condition",
            "tags",
            "appVersion",
            "deprecated",
            "annotations",
            "kubeVersion",
            "dependencies",
            "type",
        ];
        self.fields("Metadata", map, FIELDS, |d, field, v| {
            match field {
                "name" => d.string(v, &mut md.name),
                "home" => d.string(v, &mut md.home),
                "sources" => d.strings(v, &mut md.sources),
                "version" => d.string(v, &mut md.version),
                "description" => d.string(v, &mut md.description),
                "keywords" => d.strings(v, &mut md.keywords),
                "maintainers" => {
                    d.struct_list(v, "v2.Maintainer", &mut md.maintainers, Decoder::maintainer)?
                }
                "icon" => d.string(v, &mut md.icon),
                "apiVersion" => d.string(v, &mut md.api_version),
                "condition" => d.string(v, &mut md.condition),
                "tags" => d.string(v, &mut md.tags),
                "appVersion" => d.string(v, &mut md.app_version),
                "deprecated" => d.boolean(v, &mut md.deprecated),
                "annotations" => d.string_map(v, &mut md.annotations),
                "kubeVersion" => d.string(v, &mut md.kube_version),
                "dependencies" => d.struct_list(
                    v,
                    "v2.Dependency",
                    &mut md.dependencies,
                    Decoder::dependency,
                )?,
                _ => d.string(v, &mut md.chart_type),
            }
            Ok(())
        })
    }

    fn maintainer(&mut self, map: &Map, m: &mut Maintainer) -> Result<(), Hard> {
        self.fields(
            "Maintainer",
            map,
            &["name", "email", "url"],
            |d, field, v| {
                match field {
                    "name" => d.string(v, &mut m.name),
                    "email" => d.string(v, &mut m.email),
                    _ => d.string(v, &mut m.url),
                }
                Ok(())
            },
        )
    }

    fn dependency(&mut self, map: &Map, dep: &mut Dependency) -> Result<(), Hard> {
        const FIELDS: &[&str] = &[
            "name",
            "version",
            "repository",
            "condition",
            "tags",
            "enabled",
            "import-values",
            "alias",
        ];
        self.fields("Dependency", map, FIELDS, |d, field, v| {
            match field {
                "name" => d.string(v, &mut dep.name),
                "version" => d.string(v, &mut dep.version),
                "repository" => d.string(v, &mut dep.repository),
                "condition" => d.string(v, &mut dep.condition),
                "tags" => {
                    let mut tags = Some(std::mem::take(&mut dep.tags));
                    d.strings(v, &mut tags);
                    dep.tags = tags.unwrap_or_default();
                }
                "enabled" => d.boolean(v, &mut dep.enabled),
                "import-values" => match v {
                    Value::Nil | Value::Missing => dep.import_values = None,
                    Value::List(items, _) => dep.import_values = Some(items.to_vec()),
                    other => d.type_error(other, "[]interface {}"),
                },
                _ => d.string(v, &mut dep.alias),
            }
            Ok(())
        })
    }

    fn lock(&mut self, map: &Map, lock: &mut Lock) -> Result<(), Hard> {
        self.fields(
            "Lock",
            map,
            &["generated", "digest", "dependencies"],
            |d, field, v| {
                match field {
                    "generated" => match v {
                        Value::Nil | Value::Missing => {}
                        Value::String(s) => {
                            rfc3339::parse_strict(s).map_err(Hard)?;
                            lock.generated = s.to_string();
                        }
                        _ => {
                            return Err(Hard(
                                "Time.UnmarshalJSON: input is not a JSON string".to_owned(),
                            ));
                        }
                    },
                    "digest" => d.string(v, &mut lock.digest),
                    _ => d.struct_list(
                        v,
                        "v2.Dependency",
                        &mut lock.dependencies,
                        Decoder::dependency,
                    )?,
                }
                Ok(())
            },
        )
    }
}

/// How encoding/json names a JSON value's kind in its type errors.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Map(_) => "object",
        Value::List(..) => "array",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::Bool(_) => "bool",
        Value::Nil | Value::Missing => "null",
        _ => "number",
    }
}

/// The text of a scalar as sigs.k8s.io/yaml gives it to a string target; `None` for
/// `null` and collections.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i, _) => Some(i.to_string()),
        Value::Uint(u) => Some(u.to_string()),
        Value::Float(f) => Some(number_text(*f)),
        _ => None,
    }
}

/// Integers below 2^53 that YAML wrote as integers yaml.v2 hands over as Go ints, which
/// print in full; other numbers are float64s, printed as float32s (`strconv.FormatFloat(f,
/// 'g', -1, 32)`). Values reach helmsync as float64 either way, so an integral value is
/// taken to have been written as an integer.
fn number_text(f: f64) -> String {
    const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;
    if f.fract() == 0.0 && f.abs() < EXACT_INTEGER_LIMIT {
        format!("{}", f as i64)
    } else {
        gofmt::format_float(f, b'g', -1, 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(text: &str) -> Result<Metadata, String> {
        let mut md = Metadata::default();
        decode_metadata(text, &mut md).map(|()| md)
    }

    #[test]
    fn scalars_become_strings_where_strings_are_expected() {
        let md =
            metadata("name: yes\nversion: 1.10\nappVersion: 20240101\nkubeVersion: 0.5\n").unwrap();
        assert_eq!(md.name, "true");
        assert_eq!(md.version, "1.1");
        assert_eq!(md.app_version, "20240101");
        assert_eq!(md.kube_version, "0.5");
    }

    #[test]
    fn field_names_match_without_case_and_the_exact_name_is_read_last() {
        let md = metadata("Name: upper\nname: lower\nAPPVERSION: x\n").unwrap();
        assert_eq!(md.name, "lower");
        assert_eq!(md.app_version, "x");
    }

    #[test]
    fn type_errors_name_the_struct_and_field_path() {
        assert_eq!(
            metadata("name: [a]\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into \
             Go struct field Metadata.name of type string"
        );
        assert_eq!(
            metadata("maintainers:\n- name: {a: 1}\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into \
             Go struct field Maintainer.maintainers.name of type string"
        );
        assert_eq!(
            metadata("dependencies: [x]\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into \
             Go struct field Metadata.dependencies of type v2.Dependency"
        );
        assert_eq!(
            metadata("deprecated: \"true\"\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into \
             Go struct field Metadata.deprecated of type bool"
        );
        assert_eq!(
            metadata("- a\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into \
             Go value of type v2.Metadata"
        );
    }

    #[test]
    fn the_first_type_error_in_key_order_is_reported() {
        assert_eq!(
            metadata("version: [1]\nhome: {}\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into \
             Go struct field Metadata.home of type string"
        );
    }

    #[test]
    fn nulls_keep_scalars_and_clear_lists() {
        let mut md = Metadata {
            name: "kept".into(),
            sources: Some(vec!["x".into()]),
            ..Metadata::default()
        };
        decode_metadata("name: null\nsources: null\n", &mut md).unwrap();
        assert_eq!(md.name, "kept");
        assert_eq!(md.sources, None);
        let md =
            metadata("maintainers: [null, {name: a}]\nannotations: {a: 1, b: null}\n").unwrap();
        assert_eq!(md.maintainers.as_ref().map(Vec::len), Some(2));
        assert!(md.maintainers.as_ref().is_some_and(|m| m[0].is_none()));
        let annotations = md.annotations.unwrap();
        assert_eq!(annotations["a"], "1");
        assert_eq!(annotations["b"], "");
    }

    #[test]
    fn dependencies_keep_import_values_as_written() {
        let md = metadata(
            "dependencies:\n- name: sub\n  tags: [a, 1]\n  enabled: true\n  \
             import-values: [data, {child: a, parent: b}]\n",
        )
        .unwrap();
        let dep = md.listed_dependencies().next().unwrap();
        assert_eq!(dep.tags, ["a", "1"]);
        assert!(dep.enabled);
        assert_eq!(dep.import_values.as_ref().map(Vec::len), Some(2));
    }

    #[test]
    fn lock_files_check_their_generation_time() {
        let lock = decode_lock(
            "generated: \"2024-01-02T03:04:05.5+01:00\"\ndigest: sha256:x\ndependencies:\n\
             - name: sub\n  version: 1.0.0\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(lock.digest, "sha256:x");
        assert!(matches!(decode_lock("~\n"), Ok(None)));
        assert_eq!(
            decode_lock("generated: 5\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: Time.UnmarshalJSON: input is not \
             a JSON string"
        );
        assert!(decode_lock("generated: yesterday\n").is_err());
    }

    #[test]
    fn the_api_version_is_read_alone() {
        assert_eq!(
            decode_api_version("apiVersion: v2\nname: [x]\n").unwrap(),
            "v2"
        );
        assert_eq!(decode_api_version("").unwrap(), "");
    }
}
