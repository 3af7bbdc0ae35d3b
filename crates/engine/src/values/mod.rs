//! User-supplied values as Helm reads them: the `--set` family of flags (Helm's
//! `pkg/strvals`), their composition with `-f` files (`pkg/cli/values.Options.MergeValues`),
//! and `values.schema.json` validation (`pkg/chart/common/util/jsonschema.go`).
//!
//! Every error's `Display` is Helm's message byte for byte.
mod json_prefix;
mod scan;
pub mod schema;
mod strvals;

#[cfg(test)]
mod tests;

pub use schema::{
    SchemaChart, SchemaError, validate_against_schema, validate_schema, validate_single_schema,
};
pub use strvals::{MAX_INDEX, MAX_INDEX_NESTING, MAX_NESTED_NAME_LEVEL};

use crate::json;
use crate::value::{Map, MapRef, Value};
use crate::yaml;
use strvals::{Mode, parse_into};

/// Why values could not be read; `Display` prints Helm's message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A `--set`-style argument or a values file is malformed.
    Parse,
    /// The file reader failed for a `-f` path (a failed `--set-file` read is a `Parse`
    /// error, as Helm wraps it in its parse error).
    ReadFile,
}

impl Error {
    fn parse(message: String) -> Error {
        Error {
            kind: ErrorKind::Parse,
            message,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

/// `strvals.ParseInto`: `--set name=value,...` into `dest`; `true`, `false`, `null` and
/// integers become typed values. What was written before an error stays, as in Go.
pub fn parse_set(dest: &mut Map, text: &str) -> Result<(), Error> {
    parse_into(text, dest, Mode::Typed).map_err(Error::parse)
}

/// `strvals.ParseIntoString`: `--set-string`, every value a string.
pub fn parse_set_string(dest: &mut Map, text: &str) -> Result<(), Error> {
    parse_into(text, dest, Mode::Strings).map_err(Error::parse)
}

/// `strvals.ParseJSON`: `--set-json name=JSON,...`; an empty value is null.
pub fn parse_set_json(dest: &mut Map, text: &str) -> Result<(), Error> {
    parse_into(text, dest, Mode::Json).map_err(Error::parse)
}

/// `strvals.ParseLiteralInto`: `--set-literal name=value`, the value taken as it is to the
/// end of the text.
pub fn parse_set_literal(dest: &mut Map, text: &str) -> Result<(), Error> {
    parse_into(text, dest, Mode::Literal).map_err(Error::parse)
}

/// `strvals.ParseIntoFile`: `--set-file name=path,...`; `reader` gives a file's contents
/// or the error to report (Helm's is `os.ReadFile`'s, e.g. `open x: no such file or
/// directory`).
pub fn parse_set_file(
    dest: &mut Map,
    text: &str,
    reader: impl Fn(&str) -> Result<String, String>,
) -> Result<(), Error> {
    parse_into(text, dest, Mode::File(&reader)).map_err(Error::parse)
}

/// Helm's `values.Options`: the values flags of `helm install`/`upgrade`/`template`, each
/// in the order given on the command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueOptions {
    /// `-f`/`--values`: paths handed to the file reader.
    pub value_files: Vec<String>,
    /// `--set-json`.
    pub json_values: Vec<String>,
    /// `--set`.
    pub values: Vec<String>,
    /// `--set-string`.
    pub string_values: Vec<String>,
    /// `--set-file`.
    pub file_values: Vec<String>,
    /// `--set-literal`.
    pub literal_values: Vec<String>,
}

/// `Options.MergeValues`: `-f` files merged in order, then `--set-json`, `--set`,
/// `--set-string`, `--set-file` and `--set-literal`, each kind in its order. `read_file`
/// reads both `-f` files and `--set-file` paths (Helm reads `-` as stdin and URLs with its
/// getters; that is the caller's business).
pub fn merge_values(
    options: &ValueOptions,
    read_file: impl Fn(&str) -> Result<String, String>,
) -> Result<Map, Error> {
    let mut base = Map::new();
    for path in &options.value_files {
        let raw = read_file(path).map_err(|message| Error {
            kind: ErrorKind::ReadFile,
            message,
        })?;
        let current = yaml::load_values(&raw)
            .map_err(|e| Error::parse(format!("failed to parse {path}: {e}")))?;
        base = merge_maps(base, current);
    }
    for value in &options.json_values {
        if value.trim().starts_with('{') {
            let invalid = || Error::parse(format!("failed parsing --set-json data JSON: {value}"));
            let Ok(Value::Map(json_map)) = json::parse(value.trim()) else {
                return Err(invalid());
            };
            base = merge_maps(base, json_map.into_map());
        } else if parse_set_json(&mut base, value).is_err() {
            return Err(Error::parse(format!(
                "failed parsing --set-json data {value}"
            )));
        }
    }
    for value in &options.values {
        parse_set(&mut base, value).map_err(|e| prefixed("failed parsing --set data: ", e))?;
    }
    for value in &options.string_values {
        parse_set_string(&mut base, value)
            .map_err(|e| prefixed("failed parsing --set-string data: ", e))?;
    }
    for value in &options.file_values {
        parse_set_file(&mut base, value, &read_file)
            .map_err(|e| prefixed("failed parsing --set-file data: ", e))?;
    }
    for value in &options.literal_values {
        parse_set_literal(&mut base, value)
            .map_err(|e| prefixed("failed parsing --set-literal data: ", e))?;
    }
    Ok(base)
}

fn prefixed(prefix: &str, error: Error) -> Error {
    Error {
        kind: error.kind,
        message: format!("{prefix}{}", error.message),
    }
}

/// Helm's `loader.MergeMaps`: `b`'s values win, except that two maps merge key by key.
pub fn merge_maps(mut a: Map, b: Map) -> Map {
    for (key, value) in b {
        if let Value::Map(incoming) = &value
            && let Some(Value::Map(existing)) = a.get_mut(&key)
        {
            let merged = merge_maps(
                std::mem::take(existing).into_map(),
                incoming.clone().into_map(),
            );
            *existing = MapRef::new(merged);
            continue;
        }
        a.insert(key, value);
    }
    a
}
