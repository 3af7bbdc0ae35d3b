//! Reading and compiling a values.schema.json as Helm does: `jsonschema.UnmarshalJSON` (Go's
//! decoder, with its error texts), the document named `file:///values.schema.json`, the draft
//! from `$schema` (2020-12 by default), formats asserted before draft 2019-09, and the
//! compile errors of santhosh-tekuri/jsonschema.
//!
//! Known differences, by design of a pure engine: Helm fetches `http(s)` references and reads
//! `file` references from disk; helmsync reports them as not loadable. `urn:` references
//! validate everything, as Helm's default URN resolver makes them. Patterns are compiled by
//! Rust's `regex` (RE2-like, as Go's `regexp`), whose error texts differ from Go's.
use std::collections::HashMap;

use jsonschema::{
    Draft, PatternOptions, Retrieve, Uri, ValidationError, ValidationOptions, Validator,
};
use serde_json::Value as Json;

use super::super::json_prefix::decode_first_value;
use super::format;
use super::literals::number_literals;
use super::message::Context;
use super::report::{self, Report};
use super::tree::{self, Flat};
use crate::value::Value;

/// Where Helm puts the schema of every chart.
pub(super) const SCHEMA_URL: &str = "file:///values.schema.json";

/// A compiled schema, ready to validate values.
pub(super) struct Compiled {
    validator: Validator,
    draft: Draft,
    document: Json,
    literals: HashMap<String, String>,
}

impl Compiled {
    /// The library's message for `values`, without the line Helm trims off, or `None` when
    /// they are valid.
    pub(super) fn validate(&self, values: &Value) -> Option<String> {
        let instance = to_json(values);
        let flats: Vec<Flat> = self
            .validator
            .iter_errors(&instance)
            .map(Flat::from_error)
            .collect();
        if flats.is_empty() {
            return None;
        }
        let subschema = |pointer: &str, item: &Json| self.subschema_errors(pointer, item);
        let context = Context {
            draft: self.draft,
            document: Some(&self.document),
            literals: Some(&self.literals),
            subschema: Some(&subschema),
        };
        Some(report::display(&tree::reports(flats, &context)))
    }

    /// The errors of `item` against the subschema at `pointer` of the document, with
    /// evaluation paths from that subschema (for the causes of a failed `contains`, which
    /// the crate does not keep).
    fn subschema_errors(&self, pointer: &str, item: &Json) -> Vec<Flat> {
        let Ok(registry) = jsonschema::Registry::new()
            .retriever(HelmLoaders)
            .draft(self.draft)
            .add(SCHEMA_URL, &self.document)
            .and_then(|builder| builder.prepare())
        else {
            return Vec::new();
        };
        let target = format!("{SCHEMA_URL}#{}", encode_fragment(pointer));
        let wrapper = serde_json::json!({ "$ref": target });
        // The wrapper is a document of its own, beside the schema in the registry.
        let Ok(validator) = options(self.draft)
            .with_base_uri("file:///values.schema.json.subschema")
            .with_registry(&registry)
            .build(&wrapper)
        else {
            return Vec::new();
        };
        validator
            .iter_errors(item)
            .map(|error| {
                let mut flat = Flat::from_error(error);
                if flat.eval.first().is_some_and(|t| t == "$ref") {
                    flat.eval.remove(0);
                }
                flat
            })
            .collect()
    }
}

/// A JSON pointer as a URI fragment: bytes outside the unreserved set, `/` and `~`
/// percent-encoded.
fn encode_fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/$".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `jsonschema.UnmarshalJSON` then `Compiler.Compile`, with Helm's loaders.
pub(super) fn compile(schema: &[u8]) -> Result<Compiled, String> {
    let text = String::from_utf8_lossy(schema);
    let document = unmarshal(&text)?;
    let draft = draft_of(&document)?;
    match options(draft).build(&document) {
        Ok(validator) => Ok(Compiled {
            validator,
            draft,
            document,
            literals: number_literals(&text),
        }),
        Err(error) => Err(compile_error(error, &document, draft)),
    }
}

/// The crate's options matching the library's compiler as Helm sets it up.
fn options<'i>(draft: Draft) -> ValidationOptions<'i> {
    let mut options = jsonschema::options()
        .with_draft(draft)
        .with_base_uri(SCHEMA_URL)
        .with_retriever(HelmLoaders)
        .with_pattern_options(PatternOptions::regex())
        .should_validate_formats(asserts_formats(draft))
        .should_ignore_unknown_formats(true);
    for (name, check) in format::CHECKS {
        options = options.with_format(*name, move |s: &str| check(s).is_ok());
    }
    options
}

/// Formats are assertions before draft 2019-09 and annotations since.
fn asserts_formats(draft: Draft) -> bool {
    matches!(draft, Draft::Draft4 | Draft::Draft6 | Draft::Draft7)
}

/// Go's decoder with `UseNumber`: one value, then nothing but blanks.
fn unmarshal(text: &str) -> Result<Json, String> {
    let blank = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    if text.chars().all(blank) {
        return Err("EOF".to_owned());
    }
    let start = text.len() - text.trim_start_matches(blank).len();
    let (_, length) = decode_first_value(&text[start..])?;
    let end = start + length;
    if !text[end..].chars().all(blank) {
        return Err("invalid character after top-level value".to_owned());
    }
    serde_json::from_str(&text[start..end]).map_err(|e| e.to_string())
}

/// The draft `$schema` names, as the library knows them; 2020-12 without one.
fn draft_of(document: &Json) -> Result<Draft, String> {
    let Some(url) = document.get("$schema").and_then(Json::as_str) else {
        return Ok(Draft::Draft202012);
    };
    let url = url.strip_suffix('#').unwrap_or(url);
    match url {
        "http://json-schema.org/draft-04/schema" | "https://json-schema.org/draft-04/schema" => {
            Ok(Draft::Draft4)
        }
        "http://json-schema.org/draft-06/schema" | "https://json-schema.org/draft-06/schema" => {
            Ok(Draft::Draft6)
        }
        "http://json-schema.org/draft-07/schema" | "https://json-schema.org/draft-07/schema" => {
            Ok(Draft::Draft7)
        }
        "https://json-schema.org/draft/2019-09/schema" => Ok(Draft::Draft201909),
        "https://json-schema.org/draft/2020-12/schema" => Ok(Draft::Draft202012),
        other => Err(format!(
            "failing loading {}: {}",
            crate::gofmt::quote(other),
            REMOTE_REFUSED
        )),
    }
}

/// The metaschema of `draft`, as the library names it in messages.
fn metaschema_url(draft: Draft) -> &'static str {
    match draft {
        Draft::Draft4 => "http://json-schema.org/draft-04/schema#",
        Draft::Draft6 => "http://json-schema.org/draft-06/schema#",
        Draft::Draft7 => "http://json-schema.org/draft-07/schema#",
        Draft::Draft201909 => "https://json-schema.org/draft/2019-09/schema#",
        _ => "https://json-schema.org/draft/2020-12/schema#",
    }
}

const REMOTE_REFUSED: &str = "remote schemas are not fetched by helmsync";

/// Helm's URL loaders: `file` reads the disk, `http(s)` fetch, `urn` resolves to `true`.
/// helmsync reads nothing: a file is reported missing, the network is refused.
struct HelmLoaders;

impl Retrieve for HelmLoaders {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Json, Box<dyn std::error::Error + Send + Sync>> {
        match uri.scheme().as_str() {
            "urn" => Ok(Json::Bool(true)),
            "file" => Err(format!("open {}: no such file or directory", uri.path()).into()),
            _ => Err(REMOTE_REFUSED.into()),
        }
    }
}

/// The library's compile error for a schema the crate refused.
fn compile_error(error: ValidationError<'static>, document: &Json, draft: Draft) -> String {
    use jsonschema::ReferencingError as R;
    use jsonschema::error::ValidationErrorKind as K;
    if let K::Referencing(reference) = error.kind() {
        return match reference {
            R::PointerToNowhere { pointer } => {
                format!("json-pointer in \"{SCHEMA_URL}#{pointer}\" not found")
            }
            R::Unretrievable { uri, source } => {
                format!("failing loading {}: {source}", crate::gofmt::quote(uri))
            }
            R::NoSuchAnchor { anchor } => {
                format!("anchor in \"{SCHEMA_URL}#{anchor}\" not found in schema \"{SCHEMA_URL}\"")
            }
            other => other.to_string(),
        };
    }
    // Anything else is the document failing its metaschema: report every error.
    let flats: Vec<Flat> = match jsonschema::meta::validator_for(document) {
        Ok(meta) => meta.iter_errors(document).map(Flat::from_error).collect(),
        Err(_) => Vec::new(),
    };
    let flats = if flats.is_empty() {
        vec![Flat::from_error(error)]
    } else {
        flats
    };
    let context = Context {
        draft: Draft::Draft202012,
        document: None,
        literals: None,
        subschema: None,
    };
    let causes: Vec<Report> = tree::reports(flats, &context);
    format!(
        "\"{SCHEMA_URL}#\" is not valid against metaschema: jsonschema validation failed with {}\n{}",
        report::quote(metaschema_url(draft)),
        report::display(&causes)
    )
}

/// Values as the JSON the crate validates. Go's values hold only JSON types; a byte string
/// or host object has none, and validates as null.
pub(super) fn to_json(v: &Value) -> Json {
    match v {
        Value::Missing | Value::Nil | Value::Bytes(_) | Value::Complex(..) => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i, _) => Json::from(*i),
        Value::Uint(u) => Json::from(*u),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.to_string()),
        Value::RawString(_) => Json::String(v.to_utf8().as_str().unwrap_or_default().to_owned()),
        Value::List(items, _) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => Json::Object(
            map.snapshot()
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        Value::Object(object) => object.to_data().map_or(Json::Null, |data| to_json(&data)),
    }
}
