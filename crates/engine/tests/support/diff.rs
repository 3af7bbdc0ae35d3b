//! A line diff of expected and actual text that keeps invisible differences visible:
//! control characters are escaped, and a final newline that only one side has is called out.
use std::fmt::Write;

/// Above this many lines on either side, the diff shows both texts in full instead: the
/// quadratic line alignment below is meant for template outputs, which are small.
const MAX_ALIGNED_LINES: usize = 2000;

/// A unified-style diff: ` ` common lines, `-` expected only, `+` actual only.
pub fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.split_inclusive('\n').collect();
    let new: Vec<&str> = actual.split_inclusive('\n').collect();
    let mut out = DiffWriter {
        text: String::new(),
        mark_unterminated: expected.ends_with('\n') != actual.ends_with('\n'),
    };
    if old.len() > MAX_ALIGNED_LINES || new.len() > MAX_ALIGNED_LINES {
        old.iter().for_each(|line| out.line('-', line));
        new.iter().for_each(|line| out.line('+', line));
        return out.text;
    }
    // common[i][j]: length of the longest common subsequence of old[i..] and new[j..].
    let mut common = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            common[i][j] = if old[i] == new[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            out.line(' ', old[i]);
            (i, j) = (i + 1, j + 1);
        } else if i < old.len() && (j == new.len() || common[i + 1][j] >= common[i][j + 1]) {
            out.line('-', old[i]);
            i += 1;
        } else {
            out.line('+', new[j]);
            j += 1;
        }
    }
    out.text
}

struct DiffWriter {
    text: String,
    /// Whether exactly one side lacks a final newline, which the diff must then show.
    mark_unterminated: bool,
}

impl DiffWriter {
    fn line(&mut self, marker: char, line: &str) {
        let (body, has_newline) = match line.strip_suffix('\n') {
            Some(body) => (body, true),
            None => (line, false),
        };
        self.text.push(marker);
        self.text.push(' ');
        for c in body.chars() {
            if c.is_control() && c != '\t' {
                let _ = write!(self.text, "{}", c.escape_default());
            } else {
                self.text.push(c);
            }
        }
        self.text.push('\n');
        if !has_newline && self.mark_unterminated {
            self.text.push_str("\\ no newline at end\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_marked() {
        assert_eq!(diff("a\nb\nc", "a\nB\nc"), "  a\n- b\n+ B\n  c\n");
    }

    #[test]
    fn a_final_newline_on_one_side_only_is_visible() {
        assert_eq!(diff("x\n", "x"), "- x\n+ x\n\\ no newline at end\n");
        assert_eq!(diff("x", "y"), "- x\n+ y\n");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(diff("", "a\r\n"), "+ a\\r\n");
    }
}
