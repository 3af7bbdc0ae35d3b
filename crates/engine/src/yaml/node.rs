//! The node tree yaml.v2's parser builds from libyaml events for the first document of a
//! stream: anchors recorded as nodes are created, aliases resolved to them, and Go's
//! error texts for parse errors (including its line-number quirks).
use std::collections::HashMap;

use libyaml_safer::{EventData, Parser};

use super::{Error, ErrorKind, MAX_NESTING_DEPTH};

#[derive(Debug)]
pub(crate) enum Kind {
    Scalar {
        value: String,
        /// libyaml's `plain_implicit`: an untagged plain scalar (or one tagged `!`), whose
        /// type is resolved from its text; other untagged scalars are strings.
        implicit: bool,
    },
    Sequence(Vec<usize>),
    /// Keys and values, alternating.
    Mapping(Vec<usize>),
    /// An alias: its anchor name and the node it refers to.
    Alias(String, usize),
}

#[derive(Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub tag: String,
}

/// The first document of a stream; `root` is `None` for an empty stream.
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    pub root: Option<usize>,
}

fn parse_error(e: &libyaml_safer::Error) -> Error {
    use libyaml_safer::ErrorKind as K;
    // yaml.v2's `parser.fail`: the problem mark's line (0-based, plus one for scanner
    // errors only), else the context mark's line, and only when it is not zero.
    let problem_line = e.problem_mark().map_or(0, |m| m.line);
    let line = if problem_line != 0 {
        problem_line + u64::from(e.kind() == K::Scanner)
    } else {
        e.context_mark().map_or(0, |m| m.line)
    };
    let problem = match e.problem() {
        "" => "unknown problem parsing YAML content",
        p => p,
    };
    let message = if line != 0 {
        format!("yaml: line {line}: {problem}")
    } else {
        format!("yaml: {problem}")
    };
    Error::new(ErrorKind::Syntax, message)
}

/// The parser's next event. libyaml-safer panics on a few inputs where libyaml reports an
/// error or carries on (a tag followed by `,` in a flow collection, `[!a,b]`; a backslash at
/// the end of a double-quoted scalar); untrusted YAML must never take the process down, so
/// such a panic becomes a syntax error.
fn next_event(parser: &mut Parser<&[u8]>) -> Result<libyaml_safer::Event, Error> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse())) {
        Ok(result) => result.map_err(|e| parse_error(&e)),
        Err(_) => Err(Error::new(
            ErrorKind::Syntax,
            "yaml: the YAML scanner cannot read this input",
        )),
    }
}

/// Parses the first document of `input` into a node tree, as yaml.v2's `parser.parse`.
pub(crate) fn parse_first_document(input: &[u8]) -> Result<Tree, Error> {
    // yaml.v2 parses a lone newline when given nothing.
    let input: &[u8] = if input.is_empty() { b"\n" } else { input };
    let mut parser = Parser::new();
    parser.set_input(input);
    let mut nodes: Vec<Node> = Vec::new();
    let mut anchors: HashMap<String, usize> = HashMap::new();
    // Collections whose children are still being read.
    let mut open: Vec<usize> = Vec::new();
    let mut root = None;
    loop {
        let event = next_event(&mut parser)?;
        let line = event.start_mark.line;
        let (node, anchor) = match event.data {
            EventData::StreamStart { .. } | EventData::DocumentStart { .. } => continue,
            // Reading stops at the first document's end, as yaml.v2's does: later documents
            // are never parsed.
            EventData::StreamEnd | EventData::DocumentEnd { .. } => {
                return Ok(Tree { nodes, root });
            }
            EventData::SequenceEnd | EventData::MappingEnd => {
                open.pop();
                continue;
            }
            EventData::Alias { anchor } => {
                let Some(&target) = anchors.get(&anchor) else {
                    return Err(Error::new(
                        ErrorKind::Syntax,
                        format!("yaml: unknown anchor '{anchor}' referenced"),
                    ));
                };
                (
                    Node {
                        kind: Kind::Alias(anchor, target),
                        tag: String::new(),
                    },
                    None,
                )
            }
            EventData::Scalar {
                anchor,
                tag,
                value,
                plain_implicit,
                ..
            } => (
                Node {
                    kind: Kind::Scalar {
                        value,
                        implicit: plain_implicit,
                    },
                    tag: tag.unwrap_or_default(),
                },
                anchor,
            ),
            EventData::SequenceStart { anchor, tag, .. } => (
                Node {
                    kind: Kind::Sequence(Vec::new()),
                    tag: tag.unwrap_or_default(),
                },
                anchor,
            ),
            EventData::MappingStart { anchor, tag, .. } => (
                Node {
                    kind: Kind::Mapping(Vec::new()),
                    tag: tag.unwrap_or_default(),
                },
                anchor,
            ),
        };
        let is_collection = matches!(node.kind, Kind::Sequence(_) | Kind::Mapping(_));
        let index = nodes.len();
        nodes.push(node);
        if let Some(anchor) = anchor {
            anchors.insert(anchor, index);
        }
        match open.last() {
            Some(&parent) => match &mut nodes[parent].kind {
                Kind::Sequence(children) | Kind::Mapping(children) => children.push(index),
                Kind::Scalar { .. } | Kind::Alias(..) => {}
            },
            None => root = Some(index),
        }
        if is_collection {
            if open.len() >= MAX_NESTING_DEPTH {
                return Err(Error::new(
                    ErrorKind::Limit,
                    format!(
                        "yaml: line {}: exceeded max depth of {MAX_NESTING_DEPTH}",
                        line + 1
                    ),
                ));
            }
            open.push(index);
        }
    }
}

#[cfg(test)]
mod scanner_panic_tests {
    use super::*;

    #[test]
    fn inputs_the_scanner_panics_on_are_errors() {
        // Found by fuzzing: libyaml-safer panics on these.
        for input in [&b"[[!p,!"[..], b"\"}A\\"] {
            let Err(err) = parse_first_document(input) else {
                panic!("{input:?} parsed");
            };
            assert_eq!(err.kind(), ErrorKind::Syntax);
        }
    }
}
