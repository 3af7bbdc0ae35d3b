//! The escaping builtins `html`, `js` and `urlquery`, byte for byte as Go's
//! `HTMLEscapeString`, `JSEscapeString` and `url.QueryEscape`, applied to Go's `evalArgs`
//! text of the arguments.
use std::fmt::Write as _;

use crate::gofmt::{is_print, sprint};
use crate::value::Value;

/// Go's `evalArgs`: one string argument as is, otherwise `fmt.Sprint` of the arguments with
/// nil ones shown as `<no value>`.
pub(crate) fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|arg| match arg {
            Value::Missing | Value::Nil => Value::from("<no value>"),
            other => other.clone(),
        })
        .collect();
    sprint(&printable)
}

/// Go's `HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '\'' => out.push_str(r"\'"),
            '"' => out.push_str(r#"\""#),
            '<' => out.push_str(r"\u003C"),
            '>' => out.push_str(r"\u003E"),
            '&' => out.push_str(r"\u0026"),
            '=' => out.push_str(r"\u003D"),
            c if c < ' ' => {
                let _ = write!(out, r"\u00{:02X}", c as u32);
            }
            c if c.is_ascii() || is_print(c) => out.push(c),
            c => {
                let _ = write!(out, r"\u{:04X}", c as u32);
            }
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn url_query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_match_go() {
        assert_eq!(
            html_escape("<a href=\"x\">'&'\0</a>"),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;\u{FFFD}&lt;/a&gt;"
        );
        assert_eq!(
            js_escape("a'b\"c\\<>&=\n\u{7f}é\u{200b}"),
            "a\\'b\\\"c\\\\\\u003C\\u003E\\u0026\\u003D\\u000A\u{7f}é\\u200B"
        );
        assert_eq!(url_query_escape("a b&c=d/é~"), "a+b%26c%3Dd%2F%C3%A9~");
    }

    #[test]
    fn eval_args_shows_nil_as_no_value() {
        assert_eq!(eval_args(&[Value::from("x")]), "x");
        assert_eq!(eval_args(&[Value::Nil]), "<no value>");
        assert_eq!(eval_args(&[Value::int(1), Value::int(2)]), "1 2");
        assert_eq!(eval_args(&[Value::int(1), Value::Nil]), "1<no value>");
    }
}
