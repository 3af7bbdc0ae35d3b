//! Go's `regexp` over Rust's `regex`: a reader of Go's RE2 syntax that reports Go's
//! compile errors (`error parsing regexp: missing closing ): ...`) and rewrites the
//! pattern where the two dialects differ (`goregex_syntax`). Matching is in
//! `goregex_match`.
//!
//! The rewrites: `\d \w \s \b` are ASCII in Go (Unicode in Rust); `\Q...\E`, octal
//! escapes and `{` as a literal exist only in Go; `[` and `&&`/`--`/`~~` inside a class
//! are literal in Go but nested classes and set operations in Rust.
use regex::{Regex, RegexBuilder};

use super::goregex_syntax::Translator;

/// Go's `maxHeight`-style nesting bound and its repeat count limit.
pub(super) const MAX_NESTING: usize = 1000;
pub(super) const MAX_REPEAT: u32 = 1000;

/// The largest compiled program accepted, well above what charts use.
const SIZE_LIMIT: usize = 32 << 20;

pub(super) fn syntax_error(code: &str, expr: &str) -> String {
    format!("error parsing regexp: {code}: `{expr}`")
}

/// A compiled Go regular expression.
pub struct GoRegex {
    pub regex: Regex,
    /// Go's `SubexpNames`: index 0 is the whole match.
    pub(super) names: Vec<Option<String>>,
    pub(super) empty_expr: bool,
}

/// Go's `regexp.Compile`.
pub fn compile(expr: &str) -> Result<GoRegex, String> {
    let translated = Translator::new(expr).run()?;
    let regex = RegexBuilder::new(&translated)
        .nest_limit(MAX_NESTING as u32 * 2)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => syntax_error("expression too large", expr),
            other => format!("error parsing regexp: {other}"),
        })?;
    let names = regex
        .capture_names()
        .map(|n| n.map(str::to_owned))
        .collect();
    Ok(GoRegex {
        regex,
        names,
        empty_expr: expr.is_empty(),
    })
}

/// Go's `regexp.MustCompile` panic text.
pub fn must_compile(expr: &str) -> Result<GoRegex, String> {
    compile(expr).map_err(|e| format!("regexp: Compile({}): {e}", quote_backtick(expr)))
}

/// Go's `quote` in `regexp`: backquoted when possible, else `strconv.Quote`.
fn quote_backtick(s: &str) -> String {
    if !s.contains('`') && s.chars().all(|c| c == '\t' || !c.is_control()) {
        format!("`{s}`")
    } else {
        crate::gofmt::quote(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(expr: &str) -> String {
        compile(expr).err().unwrap_or_default()
    }

    #[test]
    fn compile_errors_are_go_texts() {
        assert_eq!(err("(a"), "error parsing regexp: missing closing ): `(a`");
        assert_eq!(err("a)"), "error parsing regexp: unexpected ): `a)`");
        assert_eq!(err("[a"), "error parsing regexp: missing closing ]: `[a`");
        assert_eq!(
            err("*a"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            err("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            err("\\q"),
            "error parsing regexp: invalid escape sequence: `\\q`"
        );
        assert_eq!(
            err("a\\"),
            "error parsing regexp: trailing backslash at end of expression: ``"
        );
        assert_eq!(
            err("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert_eq!(
            err("[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(
            err("(?x)a"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?x`"
        );
        assert_eq!(
            err("(?=a)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"
        );
    }

    #[test]
    fn ascii_classes_and_go_literals() {
        let re = compile(r"^\d+\w*$").unwrap();
        assert!(re.regex.is_match("12ab_"));
        assert!(!re.regex.is_match("１２"));
        assert!(compile(r"a{").unwrap().regex.is_match("a{"));
        assert!(compile(r"\Q.*\E").unwrap().regex.is_match(".*"));
        assert!(compile(r"[[a]").unwrap().regex.is_match("["));
        assert!(compile(r"[a&&b]").unwrap().regex.is_match("&"));
    }
}
