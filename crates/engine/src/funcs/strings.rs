//! Sprig's string functions (`strings.go` and the string entries of its function map):
//! trimming, case, quoting, indentation, splitting and joining.
use crate::gofmt;
use crate::value::{ListKind, Map, Value};

use super::cast::strval;
use super::{Error, Result, goutils, unicode, xstrings};

/// The largest string `repeat`, `indent` and `nindent` build. Go would try to allocate any
/// size; helmsync stops with an error instead of exhausting memory.
pub const MAX_STRING_BYTES: usize = 64 << 20;

fn too_long(what: &str) -> Error {
    Error::new(format!(
        "{what}: output would exceed helmsync's limit of {MAX_STRING_BYTES} bytes"
    ))
}

/// Go's `strings.Repeat`, with its panics as errors.
pub fn go_repeat(s: &str, count: i64) -> Result<String> {
    if count < 0 {
        return Err(Error::new("strings: negative Repeat count"));
    }
    let total = (s.len() as u128) * (count as u128);
    if total > MAX_STRING_BYTES as u128 {
        return Err(too_long("strings.Repeat"));
    }
    Ok(s.repeat(count as usize))
}

/// `hello`.
pub fn hello() -> String {
    "Hello!".to_owned()
}

/// `abbrev WIDTH S`.
pub fn abbrev(width: i64, s: &str) -> String {
    if width < 4 {
        return s.to_owned();
    }
    goutils::abbreviate_full(s, 0, width).unwrap_or_default()
}

/// `abbrevboth LEFT RIGHT S`.
pub fn abbrevboth(left: i64, right: i64, s: &str) -> String {
    if right < 4 || left > 0 && right < 7 {
        return s.to_owned();
    }
    goutils::abbreviate_full(s, left, right).unwrap_or_default()
}

/// `trunc N S`: the first N bytes, or with a negative N the last -N bytes. A cut inside a
/// character leaves a string that is not UTF-8, as in Go.
pub fn trunc(c: i64, bytes: &[u8]) -> Value {
    let len = bytes.len() as i64;
    // Go's int arithmetic wraps, so a huge negative count keeps the whole string.
    let start = len.wrapping_add(c);
    if c < 0 && start > 0 {
        return Value::from_go_bytes(bytes[start as usize..].to_vec());
    }
    if c >= 0 && len > c {
        return Value::from_go_bytes(bytes[..c as usize].to_vec());
    }
    Value::from_go_bytes(bytes.to_vec())
}

/// `trim`: Go's `strings.TrimSpace`.
pub fn trim(s: &str) -> String {
    s.trim().to_owned()
}

/// `upper`: Go's `strings.ToUpper`.
pub fn upper(s: &str) -> String {
    unicode::string_to_upper(s)
}

/// `lower`: Go's `strings.ToLower`.
pub fn lower(s: &str) -> String {
    unicode::string_to_lower(s)
}

/// Go's `strings.Title` separator test.
fn is_title_separator(r: char) -> bool {
    if r.is_ascii() {
        return !(r.is_ascii_alphanumeric() || r == '_');
    }
    if unicode::is_letter(r) || is_decimal_digit(r) {
        return false;
    }
    unicode::is_space(r)
}

fn is_decimal_digit(r: char) -> bool {
    unicode_general_category::get_general_category(r)
        == unicode_general_category::GeneralCategory::DecimalNumber
}

/// `title`: Go's deprecated `strings.Title`, title-casing the letter after a separator.
pub fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|r| {
            let mapped = if is_title_separator(prev) {
                unicode::to_title(r)
            } else {
                r
            };
            prev = r;
            mapped
        })
        .collect()
}

/// `untitle`.
pub fn untitle(s: &str) -> String {
    goutils::uncapitalize(s)
}

/// Go's `s[lo:hi]` on a string, with the runtime's panic texts as errors.
pub fn go_slice_string(s: &[u8], lo: i64, hi: i64) -> Result<Value> {
    let len = s.len() as i64;
    if hi < 0 {
        return Err(Error::new(format!(
            "runtime error: slice bounds out of range [:{hi}]"
        )));
    }
    if hi > len {
        return Err(Error::new(format!(
            "runtime error: slice bounds out of range [:{hi}] with length {len}"
        )));
    }
    if lo < 0 {
        return Err(Error::new(format!(
            "runtime error: slice bounds out of range [{lo}:]"
        )));
    }
    if lo > hi {
        return Err(Error::new(format!(
            "runtime error: slice bounds out of range [{lo}:{hi}]"
        )));
    }
    Ok(Value::from_go_bytes(s[lo as usize..hi as usize].to_vec()))
}

/// `substr START END S`: `s[:end]` when start is negative, `s[start:]` when end is
/// negative or past the end, else `s[start:end]`; byte offsets, Go's panics as errors.
pub fn substr(start: i64, end: i64, s: &[u8]) -> Result<Value> {
    let len = s.len() as i64;
    if start < 0 {
        return go_slice_string(s, 0, end);
    }
    if end < 0 || end > len {
        return go_slice_string(s, start, len);
    }
    go_slice_string(s, start, end)
}

/// `repeat COUNT S`.
pub fn repeat(count: i64, s: &str) -> Result<String> {
    go_repeat(s, count)
}

/// `trimAll CUTSET S` (and the deprecated `trimall`): Go's `strings.Trim`.
pub fn trim_all(cutset: &str, s: &str) -> String {
    s.trim_matches(|c| cutset.contains(c)).to_owned()
}

/// `trimSuffix SUFFIX S`.
pub fn trim_suffix(suffix: &str, s: &str) -> String {
    s.strip_suffix(suffix).unwrap_or(s).to_owned()
}

/// `trimPrefix PREFIX S`.
pub fn trim_prefix(prefix: &str, s: &str) -> String {
    s.strip_prefix(prefix).unwrap_or(s).to_owned()
}

/// `nospace`.
pub fn nospace(s: &str) -> String {
    goutils::delete_white_space(s)
}

/// `initials`.
pub fn initials(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    goutils::initials(s)
}

/// `swapcase`.
pub fn swapcase(s: &str) -> String {
    goutils::swap_case(s)
}

/// `snakecase`.
pub fn snakecase(s: &str) -> String {
    xstrings::camel_case_to_lower_case(s, '_')
}

/// `kebabcase`.
pub fn kebabcase(s: &str) -> String {
    xstrings::camel_case_to_lower_case(s, '-')
}

/// `camelcase`: xstrings' `ToPascalCase`.
pub fn camelcase(s: &str) -> String {
    xstrings::to_pascal_case(s)
}

/// `wrap WIDTH S`.
pub fn wrap(width: i64, s: &str) -> String {
    goutils::wrap_custom(s, width, "", false)
}

/// `wrapWith WIDTH SEP S`.
pub fn wrap_with(width: i64, sep: &str, s: &str) -> String {
    goutils::wrap_custom(s, width, sep, true)
}

/// `contains SUBSTR S`.
pub fn contains(substr: &str, s: &str) -> bool {
    s.contains(substr)
}

/// `hasPrefix PREFIX S`.
pub fn has_prefix(prefix: &str, s: &str) -> bool {
    s.starts_with(prefix)
}

/// `hasSuffix SUFFIX S`.
pub fn has_suffix(suffix: &str, s: &str) -> bool {
    s.ends_with(suffix)
}

/// `quote ARGS...`: each non-nil argument as a Go double-quoted string, space separated.
pub fn quote(args: &[Value]) -> String {
    args.iter()
        .filter(|v| !v.is_nil())
        .map(|v| match v {
            // Go's %q writes the bytes that are not UTF-8 as \x escapes.
            Value::RawString(_) => gofmt::sprintf("%q", std::slice::from_ref(v)),
            _ => gofmt::quote(&strval(v)),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `squote ARGS...`: each non-nil argument as `'%v'`, space separated.
pub fn squote(args: &[Value]) -> String {
    args.iter()
        .filter(|v| !v.is_nil())
        .map(|v| format!("'{}'", gofmt::sprint(std::slice::from_ref(v))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `cat ARGS...`: the non-nil arguments printed with `%v`, space separated.
pub fn cat(args: &[Value]) -> String {
    args.iter()
        .filter(|v| !v.is_nil())
        .map(|v| gofmt::sprint(std::slice::from_ref(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `indent N S`: N spaces before every line.
pub fn indent(spaces: i64, s: &str) -> Result<String> {
    let pad = go_repeat(" ", spaces)?;
    let lines = s.bytes().filter(|&b| b == b'\n').count() + 1;
    if lines.saturating_mul(pad.len()).saturating_add(s.len()) > MAX_STRING_BYTES {
        return Err(too_long("indent"));
    }
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

/// `nindent N S`: a newline, then `indent N S`.
pub fn nindent(spaces: i64, s: &str) -> Result<String> {
    Ok(format!("\n{}", indent(spaces, s)?))
}

/// `replace OLD NEW S`: every occurrence, as Go's `strings.Replace(s, old, new, -1)`.
pub fn replace(old: &str, new: &str, s: &str) -> Result<String> {
    if !old.is_empty() {
        let count = s.matches(old).count();
        if new.len() > old.len()
            && count.saturating_mul(new.len() - old.len()) + s.len() > MAX_STRING_BYTES
        {
            return Err(too_long("replace"));
        }
    } else if (s.chars().count() + 1).saturating_mul(new.len()) + s.len() > MAX_STRING_BYTES {
        return Err(too_long("replace"));
    }
    Ok(s.replace(old, new))
}

/// `plural ONE MANY COUNT`.
pub fn plural(one: &str, many: &str, count: i64) -> String {
    if count == 1 { one } else { many }.to_owned()
}

/// `toString V`: Sprig's `strval`.
pub fn to_string(v: &Value) -> String {
    strval(v)
}

/// Go's `strings.SplitN(s, sep, n)`; `n < 0` splits everywhere.
pub fn go_split_n(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        // explode: one string per UTF-8 sequence, the last holding the rest.
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let limit = if n < 0 || n as usize > chars.len() {
            chars.len()
        } else {
            n as usize
        };
        let mut parts: Vec<String> = chars[..limit.saturating_sub(1)]
            .iter()
            .map(|&(_, c)| c.to_string())
            .collect();
        if limit > 0 {
            parts.push(s[chars[limit - 1].0..].to_owned());
        }
        return parts;
    }
    if n < 0 {
        return s.split(sep).map(str::to_owned).collect();
    }
    s.splitn(n as usize, sep).map(str::to_owned).collect()
}

fn indexed_parts(parts: Vec<String>) -> Map {
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| (format!("_{i}"), Value::from(part)))
        .collect()
}

/// `split SEP S`: a map from `_0`, `_1`... to the parts.
pub fn split(sep: &str, s: &str) -> Map {
    indexed_parts(go_split_n(s, sep, -1))
}

/// `splitn SEP N S`.
pub fn splitn(sep: &str, n: i64, s: &str) -> Map {
    indexed_parts(go_split_n(s, sep, n))
}

/// A Go `[]string` value.
pub fn string_list(items: Vec<String>) -> Value {
    Value::List(
        std::sync::Arc::new(items.into_iter().map(Value::from).collect()),
        ListKind::String,
    )
}

/// `splitList SEP S`.
pub fn split_list(sep: &str, s: &str) -> Value {
    string_list(go_split_n(s, sep, -1))
}

/// Sprig's `strslice`: a list's non-nil elements as strings (bytes of a `[]byte` as
/// numbers), nil as no strings, anything else as one string.
pub fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(items, _) => items.iter().filter(|i| !i.is_nil()).map(strval).collect(),
        Value::Bytes(bytes) => bytes.iter().map(u8::to_string).collect(),
        Value::Missing | Value::Nil => Vec::new(),
        _ => vec![strval(v)],
    }
}

/// `toStrings V`.
pub fn to_strings(v: &Value) -> Value {
    string_list(strslice(v))
}

/// `join SEP V`.
pub fn join(sep: &str, v: &Value) -> String {
    strslice(v).join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substr_follows_go_slicing() {
        assert_eq!(substr(1, 3, b"hello").unwrap(), Value::from("el"));
        assert_eq!(substr(-1, 3, b"hello").unwrap(), Value::from("hel"));
        assert_eq!(substr(2, 99, b"hello").unwrap(), Value::from("llo"));
        assert_eq!(
            substr(0, 2, "hé".as_bytes()).unwrap(),
            Value::RawString(vec![b'h', 0xC3].into())
        );
        assert_eq!(
            substr(4, 2, b"hello").unwrap_err().message(),
            "runtime error: slice bounds out of range [4:2]"
        );
        assert_eq!(
            substr(-1, 9, b"hello").unwrap_err().message(),
            "runtime error: slice bounds out of range [:9] with length 5"
        );
    }

    #[test]
    fn split_n_follows_go() {
        assert_eq!(go_split_n("a,b,c", ",", 2), ["a", "b,c"]);
        assert_eq!(go_split_n("abc", "", -1), ["a", "b", "c"]);
        assert_eq!(go_split_n("abc", "", 2), ["a", "bc"]);
        assert!(go_split_n("abc", ",", 0).is_empty());
        assert_eq!(go_split_n("", ",", -1), [""]);
        assert!(go_split_n("", "", -1).is_empty());
    }

    #[test]
    fn title_follows_go() {
        assert_eq!(title("hello wORLD-foo_bar"), "Hello WORLD-Foo_bar");
    }
}
