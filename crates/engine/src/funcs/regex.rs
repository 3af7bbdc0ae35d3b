//! Sprig's regular expression functions (`regex.go`) over Go's regexp semantics
//! (`goregex`): the plain variants compile with `MustCompile`, whose panic fails the call;
//! the `must` variants return the compile error itself.
use crate::value::Value;

use super::goregex::{GoRegex, compile, must_compile};
use super::goregex_match::quote_meta;
use super::strings::string_list;
use super::{Error, Result};

fn compiled(expr: &str) -> Result<GoRegex> {
    compile(expr).map_err(Error::new)
}

fn must(expr: &str) -> Result<GoRegex> {
    must_compile(expr).map_err(Error::new)
}

/// `regexMatch REGEX S`: false when the expression does not compile.
pub fn regex_match(expr: &str, s: &str) -> bool {
    compile(expr).is_ok_and(|re| re.regex.is_match(s))
}

/// `mustRegexMatch REGEX S`.
pub fn must_regex_match(expr: &str, s: &str) -> Result<bool> {
    Ok(compiled(expr)?.regex.is_match(s))
}

fn find_all(re: &GoRegex, s: &str, n: i64) -> Value {
    string_list(
        re.all_matches(s, n)
            .into_iter()
            .filter_map(|m| m[0].map(|(a, b)| s[a..b].to_owned()))
            .collect(),
    )
}

/// `regexFindAll REGEX S N`: up to N matches (all when N is negative).
pub fn regex_find_all(expr: &str, s: &str, n: i64) -> Result<Value> {
    Ok(find_all(&must(expr)?, s, n))
}

/// `mustRegexFindAll REGEX S N`.
pub fn must_regex_find_all(expr: &str, s: &str, n: i64) -> Result<Value> {
    Ok(find_all(&compiled(expr)?, s, n))
}

fn find(re: &GoRegex, s: &str) -> String {
    re.regex
        .find(s)
        .map_or_else(String::new, |m| m.as_str().to_owned())
}

/// `regexFind REGEX S`: the first match, or an empty string.
pub fn regex_find(expr: &str, s: &str) -> Result<String> {
    Ok(find(&must(expr)?, s))
}

/// `mustRegexFind REGEX S`.
pub fn must_regex_find(expr: &str, s: &str) -> Result<String> {
    Ok(find(&compiled(expr)?, s))
}

/// `regexReplaceAll REGEX S REPL`: `$1` and `${name}` in REPL expand.
pub fn regex_replace_all(expr: &str, s: &str, repl: &str) -> Result<String> {
    Ok(must(expr)?.replace_all(s, repl, false))
}

/// `mustRegexReplaceAll REGEX S REPL`.
pub fn must_regex_replace_all(expr: &str, s: &str, repl: &str) -> Result<String> {
    Ok(compiled(expr)?.replace_all(s, repl, false))
}

/// `regexReplaceAllLiteral REGEX S REPL`: REPL as it is.
pub fn regex_replace_all_literal(expr: &str, s: &str, repl: &str) -> Result<String> {
    Ok(must(expr)?.replace_all(s, repl, true))
}

/// `mustRegexReplaceAllLiteral REGEX S REPL`.
pub fn must_regex_replace_all_literal(expr: &str, s: &str, repl: &str) -> Result<String> {
    Ok(compiled(expr)?.replace_all(s, repl, true))
}

/// `regexSplit REGEX S N`.
pub fn regex_split(expr: &str, s: &str, n: i64) -> Result<Value> {
    Ok(string_list(must(expr)?.split(s, n)))
}

/// `mustRegexSplit REGEX S N`.
pub fn must_regex_split(expr: &str, s: &str, n: i64) -> Result<Value> {
    Ok(string_list(compiled(expr)?.split(s, n)))
}

/// `regexQuoteMeta S`.
pub fn regex_quote_meta(s: &str) -> String {
    quote_meta(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_variants_fail_with_must_compile_text() {
        assert_eq!(
            regex_find("(", "x").unwrap_err().message(),
            "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"
        );
        assert_eq!(
            must_regex_find("(", "x").unwrap_err().message(),
            "error parsing regexp: missing closing ): `(`"
        );
        assert!(!regex_match("(", "x"));
        assert_eq!(
            format!("{:?}", regex_find_all("a.", "a1a2a3", 2).unwrap()),
            r#"["a1", "a2"]"#
        );
    }
}
