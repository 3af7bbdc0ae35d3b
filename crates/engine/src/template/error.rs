//! Template errors: parse and execution failures carrying Go's exact texts, and the error
//! type template functions return.
//!
//! `Display` prints what Go's `err.Error()` prints, byte for byte. The alternate form
//! (`{:#}`) adds the offending source line with a caret under the column.
use std::error::Error as StdError;
use std::fmt;

/// A boxed error as template functions wrap them (Go's `%w`).
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why a template could not be parsed or executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not a valid template: `template: NAME:LINE: ...`.
    Parse,
    /// Execution failed (Go's `ExecError`): `template: NAME:LINE:COL: executing ...`.
    Exec,
    /// The set has no template of the requested name (`ExecuteTemplate`'s lookup).
    NoTemplate,
}

/// A parse or execution error of a template set.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    message: String,
    excerpt: Option<Excerpt>,
    source: Option<BoxError>,
}

/// The source line an error points at, for the alternate display form.
#[derive(Debug)]
struct Excerpt {
    location: String,
    line_number: usize,
    line_text: String,
    /// Byte column in `line_text`, counted from 0 as Go counts it.
    col: usize,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: String) -> Error {
        Error(Box::new(Inner {
            kind,
            message,
            excerpt: None,
            source: None,
        }))
    }

    /// Points the error at byte `offset` of `text` (the template's source), reported as
    /// `location` (`NAME:LINE:COL`).
    pub(crate) fn with_excerpt(mut self, location: String, text: &str, offset: usize) -> Error {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        self.0.excerpt = Some(Excerpt {
            location,
            line_number: 1 + text[..offset].matches('\n').count(),
            line_text: text[start..end].to_owned(),
            col: offset - start,
        });
        self
    }

    pub(crate) fn with_source(mut self, source: BoxError) -> Error {
        self.0.source = Some(source);
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// Go's `err.Error()` text.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if let (true, Some(excerpt)) = (f.alternate(), &self.0.excerpt) {
            let number = excerpt.line_number.to_string();
            let gutter = " ".repeat(number.len());
            let caret_pad: String = excerpt.line_text[..excerpt.col]
                .chars()
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n{gutter}--> {}\n{gutter} |\n{number} | {}\n{gutter} | {caret_pad}^",
                excerpt.location, excerpt.line_text
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// The error a template function returns; execution stops with
/// `error calling NAME: MESSAGE` at the call. It may wrap another error (Go's `%w`), which
/// stays reachable through `source()`.
pub struct FuncError {
    message: String,
    source: Option<BoxError>,
}

impl FuncError {
    pub fn new(message: impl Into<String>) -> FuncError {
        FuncError {
            message: message.into(),
            source: None,
        }
    }

    /// An error whose text is `message` and which wraps `source`, like Go's
    /// `fmt.Errorf("...: %w", err)`.
    pub fn wrap(message: impl Into<String>, source: impl Into<BoxError>) -> FuncError {
        FuncError {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<String> for FuncError {
    fn from(message: String) -> FuncError {
        FuncError::new(message)
    }
}

impl From<&str> for FuncError {
    fn from(message: &str) -> FuncError {
        FuncError::new(message)
    }
}

/// A template error returned as is by a function (Helm's `include` does this).
impl From<Error> for FuncError {
    fn from(err: Error) -> FuncError {
        FuncError {
            message: err.message().to_owned(),
            source: Some(Box::new(err)),
        }
    }
}

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FuncError")
            .field("message", &self.message)
            .finish()
    }
}

impl StdError for FuncError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_the_go_text_and_alternate_adds_a_caret() {
        let text = "line one\n\tx {{ .a.b }}\n";
        let err = Error::new(ErrorKind::Exec, "template: t:2:4: boom".to_owned()).with_excerpt(
            "t:2:4".to_owned(),
            text,
            13,
        );
        assert_eq!(err.to_string(), "template: t:2:4: boom");
        assert_eq!(
            format!("{err:#}"),
            "template: t:2:4: boom\n --> t:2:4\n  |\n2 | \tx {{ .a.b }}\n  | \t   ^"
        );
    }

    #[test]
    fn function_errors_keep_their_source() {
        let inner = Error::new(ErrorKind::Exec, "template: a:1:2: inner".to_owned());
        let err = FuncError::from(inner);
        assert_eq!(err.to_string(), "template: a:1:2: inner");
        let source = err.source().map(|s| s.to_string());
        assert_eq!(source.as_deref(), Some("template: a:1:2: inner"));
        assert!(FuncError::new("plain").source().is_none());
    }
}
