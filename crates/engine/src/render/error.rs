//! Rendering errors, and Helm's rewriting of template errors (`cleanupParseError`,
//! `reformatExecErrorMsg`): parse errors as `parse error at (FILE:LINE): ...`, `required`
//! and `fail` as `execution error at (...): MESSAGE`, other execution errors as the chain of
//! template locations they passed through.
use std::error::Error as StdError;

use crate::funcs::defaults::{HELM_ERR_END, HELM_ERR_START};
use crate::template;

/// Why a chart could not be rendered; `Display` prints Helm's message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The release name is not one Helm accepts.
    ReleaseName,
    /// Conditions, tags, aliases or import-values could not be processed.
    Dependencies,
    /// The values could not be coalesced with the chart's.
    Values,
    /// The values do not meet the chart's values.schema.json.
    Schema,
    /// The chart's `kubeVersion` excludes the Kubernetes version rendered for.
    KubeVersion,
    /// A template does not parse.
    Parse,
    /// A template failed while executing (`required` and `fail` among the causes).
    Exec,
    /// A rendered manifest is not YAML Helm can read the head of.
    Manifest,
    /// `--show-only` names a template that rendered nothing.
    ShowOnly,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Whether Helm reports this error after creating the (failed) release, from
    /// rendering proper: `helm template` then adds a hint about `--debug`.
    pub fn is_render_failure(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::KubeVersion | ErrorKind::Parse | ErrorKind::Exec | ErrorKind::Manifest
        )
    }
}

/// Helm's `cleanupParseError`: Go's `template: FILE:LINE: ... : MESSAGE` as
/// `parse error at (FILE:LINE): MESSAGE`.
pub(crate) fn parse_error(filename: &str, err: &template::Error) -> Error {
    let text = err.message();
    let tokens: Vec<&str> = text.split(": ").collect();
    let message = match tokens.as_slice() {
        [_, location, ..] => {
            let last = tokens.last().unwrap_or(location);
            format!("parse error at ({location}): {last}")
        }
        _ => format!("parse error in ({filename}): {text}"),
    };
    Error::new(ErrorKind::Parse, message)
}

/// Helm's `reformatExecErrorMsg` for an error executing `filename`.
pub(crate) fn exec_error(filename: &str, err: &template::Error) -> Error {
    let text = err.message();
    if err.kind() != template::ErrorKind::Exec {
        return Error::new(ErrorKind::Exec, text);
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    let [_, location, rest] = tokens.as_slice() else {
        return Error::new(
            ErrorKind::Exec,
            format!("execution error in ({filename}): {text}"),
        );
    };
    if let Some(message) = warning(rest) {
        return Error::new(
            ErrorKind::Exec,
            format!("execution error at ({location}): {message}"),
        );
    }
    let mut locations: Vec<Traceable> = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(cause) = current {
        let Some(traceable) = Traceable::parse(&cause.to_string()) else {
            return Error::new(ErrorKind::Exec, text);
        };
        if locations.last() != Some(&traceable) {
            locations.push(traceable);
        }
        current = cause.source();
    }
    let joined: String = locations.iter().map(Traceable::render).collect();
    Error::new(ErrorKind::Exec, joined.trim())
}

/// Helm's `warnRegex` (`HELM_ERR_START((?s).*)HELM_ERR_END`): the message `required` or
/// `fail` marked, from the first start marker to the last end marker.
fn warning(text: &str) -> Option<&str> {
    let start = text.find(HELM_ERR_START)? + HELM_ERR_START.len();
    let end = text.rfind(HELM_ERR_END).filter(|&end| end >= start)?;
    Some(&text[start..end])
}

/// Helm's `TraceableError`: one step of an execution error's chain.
#[derive(Debug, Default, PartialEq, Eq)]
struct Traceable {
    location: String,
    message: String,
    executed_function: String,
}

impl Traceable {
    /// Helm's `parseTemplateExecErrorString`: `None` when the text is not one of Go's
    /// template error forms.
    fn parse(text: &str) -> Option<Traceable> {
        let remainder = text.strip_prefix("template: ")?;
        if remainder.starts_with("no template ") {
            return Some(Traceable {
                message: text.to_owned(),
                ..Traceable::default()
            });
        }
        let executing = remainder.split_once(": executing ");
        if let Some(traceable) =
            executing.and_then(|(name, after)| Traceable::executing(name, after))
        {
            return Some(traceable);
        }
        let (template_name, message) = remainder.rsplit_once(": ")?;
        Some(Traceable {
            location: template_name.to_owned(),
            message: cut_chained(message).to_owned(),
            ..Traceable::default()
        })
    }

    /// `NAME: executing "FUNC" at <LOCATION>: MESSAGE`.
    fn executing(template_name: &str, after: &str) -> Option<Traceable> {
        let after = after.strip_prefix('"')?;
        let (function_name, after_function) = after.split_once('"')?;
        let after_at = after_function.strip_prefix(" at <")?;
        let (location_name, message) = after_at.split_once(">: ")?;
        Some(Traceable {
            location: template_name.to_owned(),
            message: cut_chained(message).to_owned(),
            executed_function: format!("executing \"{function_name}\" at <{location_name}>:"),
        })
    }

    /// Helm's `TraceableError.String`.
    fn render(&self) -> String {
        let mut out = String::new();
        if !self.location.is_empty() {
            out += &format!("{}\n  ", self.location);
        }
        if !self.executed_function.is_empty() {
            out += &format!("{}\n    ", self.executed_function);
        }
        if !self.message.is_empty() {
            out += &format!("{}\n", self.message);
        }
        out
    }
}

/// A message without the next error of the chain (` template:...`) Go appended to it.
fn cut_chained(message: &str) -> &str {
    match message.find(" template:") {
        Some(cut) => &message[..cut],
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_span_from_the_first_start_to_the_last_end_marker() {
        assert_eq!(warning("a HELM_ERR_STARTmsgHELM_ERR_END b"), Some("msg"));
        assert_eq!(
            warning("HELM_ERR_STARTaHELM_ERR_END HELM_ERR_STARTbHELM_ERR_END"),
            Some("aHELM_ERR_END HELM_ERR_STARTb")
        );
        assert_eq!(warning("HELM_ERR_ENDHELM_ERR_START"), None);
        assert_eq!(warning("no markers"), None);
    }

    #[test]
    fn traceable_errors_parse_go_error_forms() {
        let t = Traceable::parse(
            "template: a/templates/x.yaml:1:10: executing \"a/templates/x.yaml\" at \
             <.Values.a.b>: nil pointer evaluating interface {}.b",
        )
        .unwrap();
        assert_eq!(
            t.render(),
            "a/templates/x.yaml:1:10\n  executing \"a/templates/x.yaml\" at <.Values.a.b>:\n    \
             nil pointer evaluating interface {}.b\n"
        );
        let t = Traceable::parse("template: no template \"x\" associated with template \"gotpl\"")
            .unwrap();
        assert_eq!(
            t.render(),
            "template: no template \"x\" associated with template \"gotpl\"\n"
        );
        let t =
            Traceable::parse("template: x:1:2: executing \"x\" at <f>: boom template: y").unwrap();
        assert_eq!((t.location.as_str(), t.message.as_str()), ("x:1:2", "boom"));
        // The simple form splits at the last `: `, as Helm's does.
        let t = Traceable::parse("template: x:1:2: a: b").unwrap();
        assert_eq!((t.location.as_str(), t.message.as_str()), ("x:1:2: a", "b"));
        assert!(Traceable::parse("incompatible types for comparison").is_none());
    }
}
