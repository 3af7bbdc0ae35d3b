//! Masks for the values that differ on every render by design - generated certificates and
//! keys, random strings, the current time - so both outputs can still be compared exactly
//! everywhere else. A masked value is replaced by its shape; the charts put such values only
//! under the keys listed here, so nothing else is ever masked.
use std::collections::BTreeSet;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use helmsync_engine::{Map, MapRef, Value};

use super::pem_shape;

/// How a masked value is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mask {
    /// PEM (or base64 of PEM): by the shape of each certificate or key.
    Pem,
    /// A random string: by length and where its letters and digits are.
    Random,
    /// Base64 of a random string (a Secret's `data`): decoded, then as `Random`.
    RandomBase64,
    /// A time or duration: by its text with every run of digits folded to one `0`.
    Time,
}

/// Keys whose values are PEM wherever they appear: TLS Secret data and webhook CA bundles.
const PEM_KEYS: [&str; 5] = ["tls.crt", "tls.key", "ca.crt", "ca.key", "caBundle"];

/// Key prefixes (annotations, in practice) the charts use for generated values.
const PEM_PREFIX: &str = "pem.render.helmsync.test/";
const RANDOM_PREFIX: &str = "random.render.helmsync.test/";
const TIME_PREFIX: &str = "time.render.helmsync.test/";

/// A document annotation naming, comma-separated, the keys of its `data` or `stringData`
/// that hold generated values (Secret keys cannot carry the prefixes above).
pub const RANDOM_KEYS_ANNOTATION: &str = "render.helmsync.test/random-keys";

/// Deeper than any manifest; bounds the walk over a parsed document.
const MAX_DEPTH: usize = 256;

/// The mask for a map key, if any.
pub fn mask_for_key(key: &str) -> Option<Mask> {
    if PEM_KEYS.contains(&key) || key.starts_with(PEM_PREFIX) {
        Some(Mask::Pem)
    } else if key.starts_with(RANDOM_PREFIX) {
        Some(Mask::Random)
    } else if key.starts_with(TIME_PREFIX) {
        Some(Mask::Time)
    } else {
        None
    }
}

/// What a masked string is compared by.
pub fn shape(mask: Mask, text: &str) -> String {
    match mask {
        Mask::Pem => pem(text),
        Mask::Random => format!("<random {}>", letters_and_digits(text)),
        Mask::RandomBase64 => match decoded_text(text) {
            Some(decoded) => format!("<random base64 {}>", letters_and_digits(&decoded)),
            None => format!("<not base64: {text}>"),
        },
        Mask::Time => format!("<time {}>", fold_digits(text)),
    }
}

fn pem(text: &str) -> String {
    if let Some(shape) = pem_shape::describe(text) {
        return format!("<pem {shape}>");
    }
    if let Some(decoded) = decoded_text(text)
        && let Some(shape) = pem_shape::describe(&decoded)
    {
        return format!("<pem base64 {shape}>");
    }
    // Not generated PEM (a chart may pass a user's certificate through): compare exactly.
    text.to_owned()
}

/// `text` base64-decoded, when that gives text. Only values known to be base64 (Secret
/// data, PEM that is not PEM as it stands) are decoded: a random string may happen to be
/// valid base64 too.
fn decoded_text(text: &str) -> Option<String> {
    let bytes = STANDARD.decode(text.trim()).ok()?;
    let decoded = String::from_utf8(bytes).ok()?;
    let printable = !decoded.is_empty()
        && decoded
            .chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\r' || c == '\t');
    printable.then_some(decoded)
}

fn letters_and_digits(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { 'x' } else { c })
        .collect()
}

fn fold_digits(text: &str) -> String {
    let mut out = String::new();
    let mut in_digits = false;
    for c in text.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !in_digits {
            out.push('0');
        }
        in_digits = c.is_ascii_digit();
    }
    out
}

/// The keys a document's `render.helmsync.test/random-keys` annotation names.
fn random_keys(document: &Value) -> BTreeSet<String> {
    let annotation = document
        .as_map_ref()
        .and_then(|d| d.get("metadata"))
        .and_then(|m| m.as_map_ref()?.get("annotations"))
        .and_then(|a| a.as_map_ref()?.get(RANDOM_KEYS_ANNOTATION));
    annotation
        .as_ref()
        .and_then(Value::as_str)
        .map(|keys| keys.split(',').map(|k| k.trim().to_owned()).collect())
        .unwrap_or_default()
}

/// Replaces every masked string in a parsed document by its shape.
pub fn mask_document(document: &mut Value) {
    let random = random_keys(document);
    if let Value::Map(map) = document {
        let mut owned = map.snapshot().as_ref().clone();
        for (section, mask) in [("data", Mask::RandomBase64), ("stringData", Mask::Random)] {
            if let Some(Value::Map(data)) = owned.get_mut(section) {
                let mut entries = data.snapshot().as_ref().clone();
                for (key, value) in entries.iter_mut() {
                    if random.contains(key) {
                        mask_value(value, mask);
                    }
                }
                *data = MapRef::new(entries);
            }
        }
        *map = MapRef::new(owned);
    }
    mask_keys(document, 0);
}

fn mask_value(value: &mut Value, mask: Mask) {
    if let Value::String(text) = value {
        *value = Value::string(shape(mask, text));
    }
}

fn mask_keys(value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Map(map) => {
            let mut owned = map.snapshot().as_ref().clone();
            mask_map(&mut owned, depth);
            *map = MapRef::new(owned);
        }
        Value::List(items, _) => {
            for item in Arc::make_mut(items).iter_mut() {
                mask_keys(item, depth + 1);
            }
        }
        _ => {}
    }
}

fn mask_map(map: &mut Map, depth: usize) {
    for (key, value) in map.iter_mut() {
        match mask_for_key(key) {
            Some(mask) => mask_value(value, mask),
            None => mask_keys(value, depth + 1),
        }
    }
}

/// The rendered text with the value of every masked key replaced by `<masked>`, line by line:
/// `key: value` on one line, or a block scalar (`key: |`) with its more-indented lines.
/// The shapes themselves are compared on the parsed documents.
pub fn mask_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut random = BTreeSet::new();
    let mut block_indent: Option<usize> = None;
    let mut position = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if position == 0 {
            random = document_random_keys(text, 0);
        }
        position += line.len();
        if content.starts_with("---") {
            random = document_random_keys(text, position);
        }
        let indent = content.len() - content.trim_start().len();
        if let Some(key_indent) = block_indent {
            if content.trim().is_empty() || indent > key_indent {
                continue;
            }
            block_indent = None;
        }
        match masked_entry(content, &random) {
            Some((key_end, value)) => {
                out.push_str(&content[..key_end]);
                out.push_str(" <masked>\n");
                if value.starts_with('|') || value.starts_with('>') {
                    block_indent = Some(indent);
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The random keys announced in the document that starts at byte `start` of `text`.
fn document_random_keys(text: &str, start: usize) -> BTreeSet<String> {
    let document = text.get(start..).unwrap_or_default();
    let end = document.find("\n---").map_or(document.len(), |i| i + 1);
    document[..end]
        .lines()
        .find_map(|line| {
            let (key, value) = split_entry(line)?;
            (key == RANDOM_KEYS_ANNOTATION).then(|| unquote(value).to_owned())
        })
        .map(|keys| keys.split(',').map(|k| k.trim().to_owned()).collect())
        .unwrap_or_default()
}

/// For a `key: value` line whose key is masked: where the key (and its colon) ends, and the
/// value text.
fn masked_entry<'a>(line: &'a str, random: &BTreeSet<String>) -> Option<(usize, &'a str)> {
    let (key, value) = split_entry(line)?;
    if value.is_empty() || (mask_for_key(key).is_none() && !random.contains(key)) {
        return None;
    }
    let value_start = line.len() - value.len();
    Some((line[..value_start].trim_end().len(), value))
}

/// The key (unquoted) and value of a `key: value` line, list markers skipped.
fn split_entry(line: &str) -> Option<(&str, &str)> {
    let mut rest = line.trim_start();
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start();
    }
    let (key, value) = if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
    {
        let close = rest[1..].find(quote)? + 1;
        (&rest[1..close], rest[close + 1..].strip_prefix(':')?)
    } else {
        let colon = rest
            .find(": ")
            .or_else(|| rest.strip_suffix(':').map(str::len))?;
        (&rest[..colon], &rest[colon + 1..])
    };
    Some((key, value.trim()))
}

fn unquote(value: &str) -> &str {
    value.trim_matches(|c| c == '"' || c == '\'')
}
