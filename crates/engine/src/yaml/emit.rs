//! The parts of yaml.v2's emitter (emitterc.go, itself a port of libyaml) that Helm's
//! `toYaml` output goes through: block mappings and sequences, empty flow collections, and
//! the style choice (on `analyze.rs`'s analysis) and 80-column folding of plain, quoted and
//! literal scalars. Function names follow emitterc.go.
//!
//! yaml.v3's emitter (`toYamlPretty`) is the same code with a few changes, selected by
//! `Emitter::v3`: no folding of long lines, sequences indented under their key, and tabs
//! allowed in literal blocks.

use super::analyze::{Analysis, analyze_scalar, is_break, is_printable};

/// yaml.v2's `best_indent` and `best_width`.
const BEST_INDENT: i64 = 2;
const BEST_WIDTH: i64 = 80;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// The emitter's state, as in `yaml_emitter_t`.
pub(crate) struct Emitter {
    out: String,
    column: i64,
    indent: i64,
    indents: Vec<i64>,
    flow_level: usize,
    whitespace: bool,
    indention: bool,
    root_context: bool,
    mapping_context: bool,
    simple_key_context: bool,
    /// yaml.v3's emitter rather than yaml.v2's.
    v3: bool,
    /// The column after which plain and quoted scalars fold at a space.
    best_width: i64,
}

impl Emitter {
    /// A fresh emitter, after `yaml_emitter_emit_stream_start`.
    pub(crate) fn new() -> Emitter {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            flow_level: 0,
            whitespace: true,
            indention: true,
            root_context: false,
            mapping_context: false,
            simple_key_context: false,
            v3: false,
            best_width: BEST_WIDTH,
        }
    }

    /// A fresh yaml.v3 emitter as `yaml.NewEncoder` makes it: its width is unlimited.
    pub(crate) fn v3() -> Emitter {
        Emitter {
            v3: true,
            best_width: i64::from(i32::MAX),
            ..Emitter::new()
        }
    }

    /// `yaml_emitter_emit_document_end` for an implicit end: the final line break.
    pub(crate) fn finish(mut self) -> String {
        self.write_indent();
        self.out
    }

    /// The context flags `yaml_emitter_emit_node` sets for the node about to be written.
    pub(crate) fn node_context(&mut self, root: bool, mapping: bool, simple_key: bool) {
        self.root_context = root;
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn restore_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// An empty sequence or mapping, which yaml.v2 always writes in flow style.
    pub(crate) fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.restore_indent();
        self.write_indicator(close, false, false, false);
    }

    pub(crate) fn begin_block_sequence(&mut self) {
        // yaml.v3 never writes a sequence at its parent key's indentation.
        let indentless = !self.v3 && self.mapping_context && !self.indention;
        self.increase_indent(false, indentless);
    }

    pub(crate) fn block_sequence_item(&mut self) {
        self.write_indent();
        self.write_indicator("-", true, false, true);
    }

    pub(crate) fn begin_block_mapping(&mut self) {
        self.increase_indent(false, false);
    }

    /// Ends a block sequence or mapping.
    pub(crate) fn end_block(&mut self) {
        self.restore_indent();
    }

    /// Before a key: `simple` as `is_simple_key` decided.
    pub(crate) fn block_mapping_key(&mut self, simple: bool) {
        self.write_indent();
        if !simple {
            self.write_indicator("?", true, false, true);
        }
    }

    /// Between a key and its value.
    pub(crate) fn block_mapping_value(&mut self, simple: bool) {
        if simple {
            self.write_indicator(":", false, false, false);
        } else {
            self.write_indent();
            self.write_indicator(":", true, false, true);
        }
    }

    /// `yaml_emitter_emit_scalar` for an untagged scalar of the requested style.
    pub(crate) fn scalar(&mut self, value: &str, requested: ScalarStyle) {
        self.tagged_scalar(None, value, requested);
    }

    /// `yaml_emitter_emit_scalar` for a scalar with an explicit tag written in its short
    /// form (`!!binary`), when `tag` is given.
    pub(crate) fn tagged_scalar(&mut self, tag: Option<&str>, value: &str, requested: ScalarStyle) {
        let analysis = analyze_scalar(value, self.v3);
        let style = self.select_scalar_style(value, requested, &analysis);
        if let Some(tag) = tag {
            // yaml_emitter_write_tag_handle: the handle and suffix are plain ASCII here.
            if !self.whitespace {
                self.put(' ');
            }
            for c in tag.chars() {
                self.put(c);
            }
            self.whitespace = false;
            self.indention = false;
        }
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            ScalarStyle::Plain => self.write_plain_scalar(value, allow_breaks),
            ScalarStyle::SingleQuoted => self.write_single_quoted_scalar(value, allow_breaks),
            ScalarStyle::DoubleQuoted => self.write_double_quoted_scalar(value, allow_breaks),
            ScalarStyle::Literal => self.write_literal_scalar(value),
        }
        self.restore_indent();
    }

    fn select_scalar_style(
        &self,
        value: &str,
        requested: ScalarStyle,
        a: &Analysis,
    ) -> ScalarStyle {
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = ScalarStyle::SingleQuoted;
            }
            if value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = ScalarStyle::SingleQuoted;
            }
        }
        if style == ScalarStyle::SingleQuoted && !a.single_quoted_allowed {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Literal
            && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = ScalarStyle::DoubleQuoted;
        }
        style
    }

    fn write_plain_scalar(&mut self, value: &str, allow_breaks: bool) {
        // yaml.v3 writes nothing for an empty plain scalar, not even the space before it.
        let empty_v3 = self.v3 && value.is_empty();
        if !(self.whitespace || empty_v3) {
            self.put(' ');
        }
        self.write_folding(value, allow_breaks, false);
        if !empty_v3 {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single_quoted_scalar(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        self.write_folding(value, allow_breaks, true);
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// The text of a plain or single-quoted scalar (`quoted`): a space may become a fold
    /// past the best width (inside a quoted scalar, not at its ends), line breaks are
    /// doubled as YAML folding needs, and quotes inside a quoted scalar are doubled.
    fn write_folding(&mut self, value: &str, allow_breaks: bool, quoted: bool) {
        let mut spaces = false;
        let mut breaks = false;
        let mut chars = value.chars().peekable();
        let mut first = true;
        while let Some(c) = chars.next() {
            if c == ' ' {
                let next = chars.peek();
                let inner = !first && next.is_some();
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && (inner || !quoted)
                    && next != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if quoted && c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            first = false;
        }
    }

    fn write_double_quoted_scalar(&mut self, value: &str, allow_breaks: bool) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        // yaml.v2 checks for a byte order mark at the start of the value, not at each
        // character, so a leading one escapes everything.
        let starts_with_bom = value.starts_with('\u{FEFF}');
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let short = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match short {
                    Some(s) => self.put(s),
                    None => {
                        let v = c as u32;
                        let (prefix, digits) = match v {
                            0..=0xFF => ('x', 2),
                            0x100..=0xFFFF => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(prefix);
                        for k in (0..digits).rev() {
                            self.put(char::from(HEX[((v >> (k * 4)) & 0xF) as usize]));
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                let inner = i > 0 && i + 1 < chars.len();
                if allow_breaks && !spaces && self.column > self.best_width && inner {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_block_scalar_hints(&mut self, value: &str) {
        if value.starts_with(' ') || value.chars().next().is_some_and(is_break) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let mut chars = value.chars().rev();
        let chomp = match (chars.next(), chars.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(before)) if is_break(before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
    }

    fn write_literal_scalar(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        self.write_block_scalar_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar_at_root(value: &str, style: ScalarStyle) -> String {
        let mut e = Emitter::new();
        e.node_context(true, false, false);
        e.scalar(value, style);
        e.finish()
    }

    #[test]
    fn plain_scalars_fall_back_to_quotes() {
        assert_eq!(scalar_at_root("abc", ScalarStyle::Plain), "abc\n");
        assert_eq!(scalar_at_root(" abc", ScalarStyle::Plain), "' abc'\n");
        assert_eq!(scalar_at_root("- a", ScalarStyle::Plain), "'- a'\n");
        assert_eq!(scalar_at_root("a: b", ScalarStyle::Plain), "'a: b'\n");
        assert_eq!(scalar_at_root("a\tb", ScalarStyle::Plain), "\"a\\tb\"\n");
        assert_eq!(
            scalar_at_root("😀", ScalarStyle::Plain),
            "\"\\U0001F600\"\n"
        );
        assert_eq!(scalar_at_root("", ScalarStyle::Plain), "\n");
    }

    #[test]
    fn literal_scalars_choose_chomping() {
        assert_eq!(
            scalar_at_root("a\nb", ScalarStyle::Literal),
            "|-\n  a\n  b\n"
        );
        assert_eq!(scalar_at_root("a\n", ScalarStyle::Literal), "|\n  a\n");
        assert_eq!(scalar_at_root("a\n\n", ScalarStyle::Literal), "|+\n  a\n\n");
        assert_eq!(
            scalar_at_root(" a\nb", ScalarStyle::Literal),
            "|2-\n   a\n  b\n"
        );
    }
}
