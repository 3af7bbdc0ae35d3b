//! A failed render's error as the suite compares it: its kind and the place it names (the
//! template, line and column), and its message with Helm's own run-to-run noise removed.
use std::collections::BTreeMap;

/// The hint Helm prints after every template error.
const DEBUG_HINT: &str = "Use --debug flag to render out invalid YAML";

/// Template file extensions an error location can name.
const TEMPLATE_EXTENSIONS: [&str; 5] = [".yaml", ".yml", ".tpl", ".txt", ".json"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `fail` or `required`: `execution error at (TEMPLATE:LINE:COL): ...`.
    Fail,
    /// Any other template execution error, in either of Helm's two layouts.
    Exec,
    /// A template that does not parse: `parse error at (TEMPLATE:LINE): ...`.
    Parse,
    /// Rendered text that is not YAML: `YAML parse error on TEMPLATE: ...`.
    Yaml,
    /// values.schema.json rejected the values.
    Schema,
    /// The chart's kubeVersion constraint excludes the target version.
    KubeVersion,
    /// Anything else (library charts, missing dependencies, usage errors).
    Other,
}

/// A failed render, as compared between helm and helmsync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderError {
    pub kind: ErrorKind,
    /// The template location(s) the error names; empty when it names none.
    pub location: String,
    /// The message after `Error: `, normalised (see `normalise`).
    pub message: String,
}

impl RenderError {
    /// Reads the error from a failed command's stderr: from the first `Error: ` line to the
    /// end, without the `--debug` hint. Earlier lines (warnings) are not part of it.
    pub fn from_stderr(stderr: &str) -> RenderError {
        let start = stderr.find("Error: ").map_or(0, |i| i + "Error: ".len());
        let message = stderr[start..]
            .replace(DEBUG_HINT, "")
            .trim_end()
            .to_owned();
        let kind = classify(&message);
        RenderError {
            kind,
            location: location(kind, &message),
            message: normalise(kind, &message),
        }
    }

    /// `kind at location`, for reports.
    pub fn summary(&self) -> String {
        if self.location.is_empty() {
            format!("{:?}", self.kind)
        } else {
            format!("{:?} at {}", self.kind, self.location)
        }
    }
}

fn classify(message: &str) -> ErrorKind {
    if message.starts_with("execution error at (") {
        ErrorKind::Fail
    } else if message.starts_with("parse error at (") {
        ErrorKind::Parse
    } else if message.starts_with("YAML parse error on ") {
        ErrorKind::Yaml
    } else if message.starts_with("values don't meet the specifications of the schema") {
        ErrorKind::Schema
    } else if message.starts_with("chart requires kubeVersion: ") {
        ErrorKind::KubeVersion
    } else if message.starts_with("template: ") || first_template_location(message).is_some() {
        ErrorKind::Exec
    } else {
        ErrorKind::Other
    }
}

/// The first `path/file.ext:LINE[:COL]` in `text`.
fn first_template_location(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || "()<>\"',".contains(c))
        .find_map(|token| {
            let token = token.trim_end_matches(':');
            let mut parts = token.splitn(3, ':');
            let path = parts.next()?;
            let line = parts.next()?;
            let column = parts.next();
            let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let is_template =
                path.contains('/') && TEMPLATE_EXTENSIONS.iter().any(|e| path.ends_with(e));
            (is_template && numeric(line) && column.is_none_or(numeric)).then(|| token.to_owned())
        })
}

fn location(kind: ErrorKind, message: &str) -> String {
    match kind {
        ErrorKind::Fail | ErrorKind::Parse | ErrorKind::Exec => {
            first_template_location(message).unwrap_or_default()
        }
        ErrorKind::Yaml => {
            let rest = &message["YAML parse error on ".len()..];
            let template = rest.split(": ").next().unwrap_or_default();
            match rest
                .split("yaml: line ")
                .nth(1)
                .and_then(|r| r.split(':').next())
            {
                Some(line) => format!("{template} (yaml line {line})"),
                None => template.to_owned(),
            }
        }
        ErrorKind::Schema => {
            let mut places: Vec<String> = schema_blocks(message)
                .into_iter()
                .flat_map(|(chart, lines)| {
                    lines.into_iter().map(move |line| {
                        let pointer = line.split('\'').nth(1).unwrap_or(&line).to_owned();
                        format!("{chart}:{pointer}")
                    })
                })
                .collect();
            places.sort();
            places.join(", ")
        }
        ErrorKind::KubeVersion | ErrorKind::Other => String::new(),
    }
}

/// A schema error's violations per chart: `chart:` lines followed by `- at ...` lines.
fn schema_blocks(message: &str) -> BTreeMap<String, Vec<String>> {
    let mut blocks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut chart = String::new();
    for line in message.lines().skip(1) {
        if let Some(violation) = line.strip_prefix("- ") {
            blocks
                .entry(chart.clone())
                .or_default()
                .push(violation.to_owned());
        } else if let Some(name) = line.strip_suffix(':') {
            chart = name.to_owned();
        }
    }
    blocks
}

/// Helm lists schema violations in Go map order, which changes from run to run; they are
/// sorted within each chart so that equal errors compare equal. Other messages are kept.
fn normalise(kind: ErrorKind, message: &str) -> String {
    if kind != ErrorKind::Schema {
        return message.to_owned();
    }
    let mut out = message.lines().next().unwrap_or_default().to_owned();
    for (chart, mut violations) in schema_blocks(message) {
        violations.sort();
        out.push_str(&format!("\n{chart}:"));
        for violation in violations {
            out.push_str(&format!("\n- {violation}"));
        }
    }
    out
}
