//! Rendered output as a list of parsed YAML documents, each with the template it came from,
//! and the differences between two such lists, by path, for a readable report.
use helmsync_engine::{Value, json, yaml};

use super::masks;

/// Deeper than any manifest; bounds the comparison walk.
const MAX_DEPTH: usize = 256;
/// How much of a value a difference line shows.
const MAX_SHOWN_CHARS: usize = 160;
/// Characters of shared text shown before the first difference of two long strings.
const STRING_CONTEXT_CHARS: usize = 30;

/// One document of a rendered stream.
pub struct Document {
    /// The template named by the `# Source:` comment Helm writes above it.
    pub source: Option<String>,
    /// The document parsed as Helm's YAML loader parses it, masked values replaced by shapes.
    pub value: Value,
}

impl Document {
    /// `Kind name (source)`, as far as the document says.
    pub fn describe(&self) -> String {
        let field = |value: &Value, name: &str| {
            value
                .as_map_ref()
                .and_then(|m| m.get(name))
                .unwrap_or(Value::Missing)
        };
        let kind = field(&self.value, "kind");
        let name = field(&field(&self.value, "metadata"), "name");
        format!(
            "{} {} ({})",
            kind.as_str().unwrap_or("<no kind>"),
            name.as_str().unwrap_or("<no name>"),
            self.source.as_deref().unwrap_or("no source comment")
        )
    }
}

/// Splits and parses a rendered stream with helmsync's YAML loader (Kubernetes' document
/// splitting, sigs.k8s.io/yaml's decoding), masking the values that differ by design.
pub fn parse_stream(text: &str) -> Result<Vec<Document>, String> {
    let chunks = yaml::split_documents(text).map_err(|e| e.to_string())?;
    chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| {
            let source = chunk
                .lines()
                .find_map(|l| l.strip_prefix("# Source: "))
                .map(|s| s.trim().to_owned());
            let mut value = yaml::parse(chunk).map_err(|e| {
                format!(
                    "document {} ({}): {e}",
                    index + 1,
                    source.as_deref().unwrap_or("?")
                )
            })?;
            masks::mask_document(&mut value);
            Ok(Document { source, value })
        })
        .collect()
}

/// Every difference between two streams, by document and path, at most `limit` lines.
/// Empty when the streams are equal.
pub fn compare_streams(helm: &[Document], ours: &[Document], limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    if helm.len() != ours.len() {
        out.push(format!(
            "helm renders {} documents, helmsync {}",
            helm.len(),
            ours.len()
        ));
    }
    for (index, (theirs, mine)) in helm.iter().zip(ours).enumerate() {
        let mut differences = Vec::new();
        if theirs.source != mine.source {
            differences.push(format!(
                "  source: helm {:?}, helmsync {:?}",
                theirs.source.as_deref().unwrap_or("-"),
                mine.source.as_deref().unwrap_or("-")
            ));
        }
        diff_values(&theirs.value, &mine.value, "", &mut differences, 0);
        if !differences.is_empty() {
            out.push(format!("document {}: {}", index + 1, theirs.describe()));
            out.extend(differences);
        }
        if out.len() >= limit {
            break;
        }
    }
    for (index, extra) in helm.iter().enumerate().skip(ours.len()) {
        out.push(format!(
            "document {} only in helm: {}",
            index + 1,
            extra.describe()
        ));
    }
    for (index, extra) in ours.iter().enumerate().skip(helm.len()) {
        out.push(format!(
            "document {} only in helmsync: {}",
            index + 1,
            extra.describe()
        ));
    }
    if out.len() > limit {
        let hidden = out.len() - limit;
        out.truncate(limit);
        out.push(format!("... {hidden} more lines of differences"));
    }
    out
}

/// Whether two parsed values are equal: same kinds, maps with the same keys, lists of the
/// same length, numbers with the same bits.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    let mut differences = Vec::new();
    diff_values(a, b, "", &mut differences, 0);
    differences.is_empty()
}

fn shown(v: &Value) -> String {
    let text = json::to_json(v).unwrap_or_else(|_| format!("{v:?}"));
    if text.chars().count() > MAX_SHOWN_CHARS {
        let cut: String = text.chars().take(MAX_SHOWN_CHARS).collect();
        format!("{cut}... ({} chars)", text.chars().count())
    } else {
        text
    }
}

/// Two strings that differ; long ones shown around the first character where they part.
fn string_difference(a: &str, b: &str) -> String {
    let (a_len, b_len) = (a.chars().count(), b.chars().count());
    if a_len.max(b_len) <= MAX_SHOWN_CHARS {
        return format!(
            "helm {}, helmsync {}",
            shown(&Value::string(a)),
            shown(&Value::string(b))
        );
    }
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let start = shared.saturating_sub(STRING_CONTEXT_CHARS);
    let window = |s: &str, len: usize| -> String {
        let text: String = s
            .chars()
            .skip(start)
            .take(STRING_CONTEXT_CHARS * 3)
            .collect();
        let before = if start > 0 { "..." } else { "" };
        let after = if len > start + STRING_CONTEXT_CHARS * 3 {
            "..."
        } else {
            ""
        };
        format!("{before}{}{after}", shown(&Value::string(text)))
    };
    format!(
        "strings differ from character {} (helm {a_len} chars, helmsync {b_len}): helm {}, \
         helmsync {}",
        shared + 1,
        window(a, a_len),
        window(b, b_len)
    )
}

fn key_path(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}

fn at(path: &str) -> &str {
    if path.is_empty() { "." } else { path }
}

fn diff_values(a: &Value, b: &Value, path: &str, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        out.push(format!("  {}: nested too deeply to compare", at(path)));
        return;
    }
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            let (x, y) = (x.snapshot(), y.snapshot());
            for (key, left) in x.iter() {
                let child = key_path(path, key);
                match y.get(key) {
                    Some(right) => diff_values(left, right, &child, out, depth + 1),
                    None => out.push(format!("  {child}: only in helm: {}", shown(left))),
                }
            }
            for (key, right) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                out.push(format!(
                    "  {}: only in helmsync: {}",
                    key_path(path, key),
                    shown(right)
                ));
            }
        }
        (Value::List(x, _), Value::List(y, _)) => {
            if x.len() != y.len() {
                out.push(format!(
                    "  {}: helm has {} items, helmsync {}",
                    at(path),
                    x.len(),
                    y.len()
                ));
            }
            for (index, (left, right)) in x.iter().zip(y.iter()).enumerate() {
                diff_values(left, right, &format!("{path}[{index}]"), out, depth + 1);
            }
        }
        _ if scalars_equal(a, b) => {}
        (Value::String(x), Value::String(y)) => {
            out.push(format!("  {}: {}", at(path), string_difference(x, y)));
        }
        _ => out.push(format!(
            "  {}: helm {}, helmsync {}",
            at(path),
            shown(a),
            shown(b)
        )),
    }
}

fn scalars_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Missing, Value::Missing) | (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, _), Value::Int(y, _)) => x == y,
        (Value::Uint(x), Value::Uint(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        _ => false,
    }
}
