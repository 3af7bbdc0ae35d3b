//! `.helmignore` rules exactly as Helm's `pkg/ignore` reads and applies them, quirks
//! included: a negated rule ignores every path it does not match.
use super::glob;

/// The name of a chart's ignore file.
pub const HELM_IGNORE: &str = ".helmignore";

/// Go's `bufio.Scanner` default limit: a longer line fails the whole file.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// A parsed `.helmignore`.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
struct Pattern {
    /// The glob, without `!`, a trailing `/` or a leading `/`.
    glob: String,
    scope: Scope,
    negate: bool,
    must_be_dir: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// A pattern with a slash: matched against the whole path.
    Path,
    /// A pattern without a slash: matched against the last element only.
    BaseName,
}

impl Rules {
    /// Helm's `ignore.Parse`: one rule a line; blank lines and `#` comments skipped; a
    /// leading UTF-8 BOM dropped.
    pub fn parse(text: &[u8]) -> Result<Rules, String> {
        let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        let mut rules = Rules::default();
        let mut lines = text.split(|&b| b == b'\n').peekable();
        while let Some(line) = lines.next() {
            if lines.peek().is_none() && line.is_empty() {
                break;
            }
            if line.len() > MAX_LINE_BYTES {
                return Err("bufio.Scanner: token too long".to_owned());
            }
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            rules.parse_rule(&String::from_utf8_lossy(line))?;
        }
        Ok(rules)
    }

    /// Helm's `AddDefaults`: dotfiles in `templates/` are always ignored.
    pub fn add_defaults(&mut self) {
        // The default rule is a valid pattern; parsing it cannot fail.
        let _ = self.parse_rule("templates/.?*");
    }

    /// Helm's `Rules.Ignore`: rules in order, the first that decides wins.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for pattern in &self.patterns {
            if pattern.negate {
                if pattern.must_be_dir && !is_dir {
                    return true;
                }
                if !pattern.matches(path) {
                    return true;
                }
                continue;
            }
            if pattern.must_be_dir && !is_dir {
                continue;
            }
            if pattern.matches(path) {
                return true;
            }
        }
        false
    }

    fn parse_rule(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim_matches(super::metadata::is_go_space);
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".to_owned());
        }
        glob::matches(rule, "abc").map_err(str::to_owned)?;
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let (must_be_dir, rule) = match rule.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let (glob, scope) = if let Some(rooted) = rule.strip_prefix('/') {
            (rooted, Scope::Path)
        } else if rule.contains('/') {
            (rule, Scope::Path)
        } else {
            (rule, Scope::BaseName)
        };
        self.patterns.push(Pattern {
            glob: glob.to_owned(),
            scope,
            negate,
            must_be_dir,
        });
        Ok(())
    }
}

impl Pattern {
    /// A pattern that cannot compile matches nothing (Helm logs it and goes on).
    fn matches(&self, path: &str) -> bool {
        let subject = match self.scope {
            Scope::Path => path,
            Scope::BaseName => super::metadata::go_base(path),
        };
        glob::matches(&self.glob, subject).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Rules {
        let mut rules = Rules::parse(text.as_bytes()).unwrap();
        rules.add_defaults();
        rules
    }

    #[test]
    fn patterns_match_names_paths_and_directories() {
        let r = rules("# comment\n\n*.txt\n/rooted.md\ndocs/*.md\nbuild/\n");
        assert!(r.ignore("notes.txt", false));
        assert!(r.ignore("a/b/notes.txt", false));
        assert!(r.ignore("rooted.md", false));
        assert!(!r.ignore("sub/rooted.md", false));
        assert!(r.ignore("docs/x.md", false));
        assert!(!r.ignore("docs/deeper/x.md", false));
        assert!(r.ignore("build", true));
        assert!(!r.ignore("build", false));
        assert!(r.ignore("templates/.hidden", false));
        assert!(!r.ignore("charts/sub/templates/.hidden", false));
        assert!(!r.ignore(".", true));
    }

    #[test]
    fn a_negated_rule_ignores_everything_it_does_not_match() {
        let r = rules("!keep.yaml\n");
        assert!(!r.ignore("keep.yaml", false));
        assert!(r.ignore("other.yaml", false));
        let r = rules("!dir/\n");
        assert!(r.ignore("file", false));
    }

    #[test]
    fn invalid_rules_fail_the_file() {
        assert_eq!(
            Rules::parse(b"a/**/b\n").unwrap_err(),
            "double-star (**) syntax is not supported"
        );
        assert_eq!(Rules::parse(b"[\n").unwrap_err(), "syntax error in pattern");
        let long = "x".repeat(MAX_LINE_BYTES + 1);
        assert_eq!(
            Rules::parse(long.as_bytes()).unwrap_err(),
            "bufio.Scanner: token too long"
        );
    }

    #[test]
    fn a_byte_order_mark_and_carriage_returns_are_dropped() {
        let r = rules("\u{FEFF}*.bak\r\n");
        assert!(r.ignore("x.bak", false));
    }
}
