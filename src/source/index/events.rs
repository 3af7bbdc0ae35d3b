//! The YAML event stream of an index, with its limits: bytes read, nesting depth.
use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use libyaml_safer::{Event, EventData, Parser, ScalarStyle};

use super::{IndexError, IndexLimits};

pub(super) fn is_null(value: &str, style: ScalarStyle) -> bool {
    style == ScalarStyle::Plain && matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

pub(super) fn line_of(event: &Event) -> u64 {
    event.start_mark.line + 1
}

pub(super) fn syntax_at(event: &Event, problem: &str) -> IndexError {
    IndexError::Syntax {
        line: line_of(event),
        problem: problem.to_owned(),
    }
}

/// Parser events with a nesting limit and a byte limit on the input.
pub(super) struct Events<R> {
    parser: Parser<CountingReader<R>>,
    bytes: Rc<Cell<u64>>,
    depth: usize,
    last_line: u64,
    pub(super) limits: IndexLimits,
}

impl<R: BufRead> Events<R> {
    pub(super) fn new(reader: R, limits: IndexLimits) -> Self {
        let bytes = Rc::new(Cell::new(0));
        let mut parser = Parser::new();
        parser.set_input(CountingReader {
            inner: reader,
            bytes: bytes.clone(),
            limit: limits.max_size,
        });
        Events {
            parser,
            bytes,
            depth: 0,
            last_line: 1,
            limits,
        }
    }

    pub(super) fn bytes_read(&self) -> u64 {
        self.bytes.get()
    }

    pub(super) fn next(&mut self) -> Result<Event, IndexError> {
        // The scanner still panics on a few malformed inputs (a tag before `,` in a flow
        // collection); a hostile index must fail its reconcile, not take down the process.
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.parser.parse()))
            .map_err(|_| self.syntax("the YAML scanner cannot read this input"))?;
        let event = parsed.map_err(|e| self.parse_error(e))?;
        self.last_line = line_of(&event);
        match event.data {
            EventData::MappingStart { .. } | EventData::SequenceStart { .. } => {
                self.depth += 1;
                if self.depth > self.limits.max_depth {
                    return Err(IndexError::TooDeep {
                        line: self.last_line,
                        limit: self.limits.max_depth,
                    });
                }
            }
            EventData::MappingEnd | EventData::SequenceEnd => {
                self.depth = self.depth.saturating_sub(1);
            }
            EventData::StreamEnd if self.depth > 0 => {
                return Err(self.syntax("unexpected end of the index"));
            }
            _ => {}
        }
        Ok(event)
    }

    /// Consumes the rest of the node that `first` starts, keeping nothing of it.
    pub(super) fn skip(&mut self, first: &Event) -> Result<(), IndexError> {
        if !matches!(
            first.data,
            EventData::MappingStart { .. } | EventData::SequenceStart { .. }
        ) {
            return Ok(());
        }
        let outer = self.depth - 1;
        loop {
            let event = self.next()?;
            let ends = matches!(event.data, EventData::MappingEnd | EventData::SequenceEnd);
            if ends && self.depth == outer {
                return Ok(());
            }
        }
    }

    /// The text of a scalar value, `None` for null; any other node is an error.
    pub(super) fn scalar(&mut self, event: &Event) -> Result<Option<String>, IndexError> {
        match &event.data {
            EventData::Scalar { value, style, .. } if is_null(value, *style) => Ok(None),
            EventData::Scalar { value, .. } => Ok(Some(value.clone())),
            EventData::Alias { .. } => Err(syntax_at(event, "aliases are not supported here")),
            _ => Err(syntax_at(event, "expected a single value")),
        }
    }

    pub(super) fn syntax(&self, problem: &str) -> IndexError {
        IndexError::Syntax {
            line: self.last_line,
            problem: problem.to_owned(),
        }
    }

    fn parse_error(&self, error: libyaml_safer::Error) -> IndexError {
        if self.bytes.get() > self.limits.max_size {
            return IndexError::TooLarge {
                limit: self.limits.max_size,
            };
        }
        match error.problem_mark() {
            Some(mark) => {
                let problem = match error.context() {
                    Some(context) => format!("{context}: {}", error.problem()),
                    None => error.problem().to_owned(),
                };
                IndexError::Syntax {
                    line: mark.line + 1,
                    problem,
                }
            }
            None if error.kind() == libyaml_safer::ErrorKind::Io => {
                IndexError::Io(io::Error::other(error.to_string()))
            }
            // Undecodable input (not UTF-8, say) has an offset but no line.
            None => IndexError::Malformed(error.to_string()),
        }
    }
}

/// The most the parser is handed at once.
const READ_CHUNK: usize = 64 * 1024;

/// Counts what the parser consumes and fails once it passes the limit.
struct CountingReader<R> {
    inner: R,
    bytes: Rc<Cell<u64>>,
    limit: u64,
}

impl<R: BufRead> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CountingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.bytes.get() > self.limit {
            return Err(io::Error::other("index larger than its limit"));
        }
        // The scanner copies whatever one call offers; a slice reader would offer the
        // whole index at once and double its memory.
        let available = self.inner.fill_buf()?;
        Ok(&available[..available.len().min(READ_CHUNK)])
    }

    fn consume(&mut self, amount: usize) {
        self.bytes
            .set(self.bytes.get().saturating_add(amount as u64));
        self.inner.consume(amount);
    }
}
