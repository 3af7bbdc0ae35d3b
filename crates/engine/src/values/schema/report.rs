//! santhosh-tekuri/jsonschema's `ValidationError` tree and its `Error()` text: one
//! `- at '<instance pointer>': <message>` line per error, causes indented below, and a
//! `$ref` with a single cause left out so that its cause stands in its place.
use crate::gofmt;

/// One error of the library's tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Report {
    /// The instance location, as JSON pointer tokens.
    pub instance: Vec<String>,
    pub message: String,
    pub kind: ReportKind,
    pub causes: Vec<Report>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ReportKind {
    /// A keyword failed (its causes, if any, are why).
    Keyword,
    /// Several errors of one schema at one place: "validation failed".
    Group,
    /// A `$ref` (or `$dynamicRef`, `$recursiveRef`) whose target failed.
    Reference,
}

impl Report {
    pub(super) fn keyword(instance: &[String], message: String) -> Report {
        Report {
            instance: instance.to_vec(),
            message,
            kind: ReportKind::Keyword,
            causes: Vec::new(),
        }
    }

    /// The error a schema evaluation returns for its errors: none, the only one, or a group.
    pub(super) fn of_schema(instance: &[String], mut errors: Vec<Report>) -> Option<Report> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Report {
                instance: instance.to_vec(),
                message: "validation failed".to_owned(),
                kind: ReportKind::Group,
                causes: errors,
            }),
        }
    }

    /// The causes a wrapper (a reference, the whole validation) takes from a schema's
    /// error: a group's members, or the error itself.
    pub(super) fn into_causes(self) -> Vec<Report> {
        match self.kind {
            ReportKind::Group => self.causes,
            _ => vec![self],
        }
    }

    fn skipped(&self) -> bool {
        self.kind == ReportKind::Reference && self.causes.len() == 1
    }

    fn display(&self, out: &mut String, indent: usize) {
        let mut indent = indent;
        if !self.skipped() {
            out.push('\n');
            for _ in 1..indent {
                out.push_str("  ");
            }
            out.push_str("- at ");
            out.push_str(&quote(&json_pointer(&self.instance)));
            out.push_str(": ");
            out.push_str(&self.message);
            indent += 1;
        }
        for cause in &self.causes {
            cause.display(out, indent);
        }
    }
}

/// The text of the causes of a failed validation, as they follow the library's first line
/// (which Helm trims off).
pub(super) fn display(causes: &[Report]) -> String {
    let mut out = String::new();
    for cause in causes {
        cause.display(&mut out, 1);
    }
    out.strip_prefix('\n').map(str::to_owned).unwrap_or(out)
}

/// The library's `quote`: Go's `%q` in single quotes.
pub(super) fn quote(s: &str) -> String {
    let quoted = gofmt::quote(s);
    let inner = &quoted[1..quoted.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

/// A JSON pointer from its tokens (`~` and `/` escaped).
pub(super) fn json_pointer(tokens: &[String]) -> String {
    let mut out = String::new();
    for token in tokens {
        out.push('/');
        out.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &[&str], message: &str) -> Report {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        Report::keyword(&path, message.to_owned())
    }

    #[test]
    fn a_single_cause_reference_is_left_out() {
        let reference = Report {
            kind: ReportKind::Reference,
            causes: vec![at(&["a"], "got string, want integer")],
            ..at(&[], "validation failed")
        };
        assert_eq!(display(&[reference]), "- at '/a': got string, want integer");
    }

    #[test]
    fn groups_indent_their_causes() {
        let group = Report::of_schema(
            &["a/b".to_owned()],
            vec![at(&["a/b"], "one"), at(&["a/b"], "two")],
        )
        .unwrap();
        assert_eq!(
            display(&[group]),
            "- at '/a~1b': validation failed\n  - at '/a~1b': one\n  - at '/a~1b': two"
        );
    }

    #[test]
    fn quote_uses_single_quotes() {
        assert_eq!(quote(r#"it's "x"	"#), r#"'it\'s "x"\t'"#);
    }
}
