//! sigs.k8s.io/yaml's `Marshal`: a value goes through `json.Marshal`, yaml.v2 reads the JSON
//! back (numbers become ints where the text is an integer) and yaml.v2's encoder writes it
//! with its key order and scalar styles. The JSON text is never built: each scalar is typed
//! the way yaml.v2 would type its JSON form, and strings change as yaml.v2 reading their
//! JSON form changes them.
use std::borrow::Cow;
use std::collections::BTreeMap;

use super::analyze::is_simple_key;
use super::emit::{Emitter, ScalarStyle};
use super::resolve::{self, Resolved};
use super::{Error, ErrorKind, MAX_NESTING_DEPTH, with_stack};
use crate::gofmt;
use crate::json;
use crate::value::Value;

pub(crate) fn to_yaml(v: &Value) -> Result<String, Error> {
    check_keys_stay_on_one_line(v, &mut 0)?;
    let mut emitter = Emitter::new();
    emitter.node_context(true, false, false);
    emit_node(&mut emitter, v, 0)?;
    Ok(emitter.finish())
}

fn marshal_error(message: String) -> Error {
    Error::new(
        ErrorKind::Marshal,
        format!("error marshaling into JSON: {message}"),
    )
}

/// A scalar as yaml.v2 writes it: its text and the style its encoder asks for.
fn scalar_text(v: &Value) -> Result<(String, ScalarStyle), Error> {
    Ok(match v {
        Value::Missing | Value::Nil => ("null".into(), ScalarStyle::Plain),
        Value::Bool(b) => (b.to_string(), ScalarStyle::Plain),
        Value::Int(i, _) => (i.to_string(), ScalarStyle::Plain),
        Value::Uint(u) => (u.to_string(), ScalarStyle::Plain),
        Value::Float(f) => {
            let text = json::format_float(*f).map_err(|e| marshal_error(e.to_string()))?;
            (number_text(&text), ScalarStyle::Plain)
        }
        Value::Complex(..) => {
            return Err(marshal_error("json: unsupported type: complex128".into()));
        }
        Value::String(s) => string_scalar(&through_json(s)?),
        Value::RawString(_) => {
            let text = v.to_utf8();
            string_scalar(&through_json(text.as_str().unwrap_or_default())?)
        }
        Value::Bytes(b) => string_scalar(&json::base64_std(b)),
        Value::List(..) | Value::Map(_) | Value::Object(_) => {
            return Err(marshal_error("json: unsupported type".into()));
        }
    })
}

/// A string after `json.Marshal` and yaml.v2 reading it back. JSON leaves DEL, the C1
/// controls and U+FFFE/U+FFFF unescaped, and yaml.v2's reader refuses them; it also leaves
/// NEL (U+0085) unescaped, which YAML 1.1 reads as a line break and folds inside the
/// double-quoted scalar.
fn through_json(s: &str) -> Result<Cow<'_, str>, Error> {
    let refused = |c: char| matches!(c as u32, 0x7F..=0x84 | 0x86..=0x9F | 0xFFFE | 0xFFFF);
    if s.chars().any(refused) {
        return Err(Error::new(
            ErrorKind::Syntax,
            "yaml: control characters are not allowed",
        ));
    }
    if !s.contains('\u{85}') {
        return Ok(Cow::Borrowed(s));
    }
    Ok(Cow::Owned(fold_line_breaks(s)))
}

/// A key holding a NEL spans two lines of the JSON text once yaml.v2 reads it, and a
/// multi-line key is a syntax error there. The error names the line, counted in NELs from
/// the start of the JSON text, which lists keys in byte order.
fn check_keys_stay_on_one_line(v: &Value, nels: &mut usize) -> Result<(), Error> {
    check_keys_at(v, nels, 0)
}

fn check_keys_at(v: &Value, nels: &mut usize, depth: usize) -> Result<(), Error> {
    with_stack(|| check_keys_level(v, nels, depth))
}

fn check_keys_level(v: &Value, nels: &mut usize, depth: usize) -> Result<(), Error> {
    if matches!(v, Value::List(..) | Value::Map(_)) {
        check_depth(depth)?;
    }
    let count = |s: &str| s.matches('\u{85}').count();
    match v {
        Value::String(s) => *nels += count(s),
        Value::List(items, _) => {
            for item in items.iter() {
                check_keys_at(item, nels, depth + 1)?;
            }
        }
        Value::Map(map) => {
            for (key, value) in map.snapshot().iter() {
                let in_key = count(key);
                *nels += in_key;
                if in_key > 0 {
                    return Err(Error::new(
                        ErrorKind::Syntax,
                        format!("yaml: line {nels}: did not find expected ',' or '}}'"),
                    ));
                }
                check_keys_at(value, nels, depth + 1)?;
            }
        }
        Value::Object(object) => {
            if let Some(data) = object.to_data() {
                check_keys_at(&data, nels, depth + 1)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// libyaml's joining of lines in a double-quoted scalar, for text whose only raw breaks are
/// NELs and whose only raw blanks are spaces (JSON escapes everything else).
fn fold_line_breaks(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while chars.peek().is_some() {
        while let Some(&c) = chars.peek() {
            if c == ' ' || c == '\u{85}' {
                break;
            }
            out.push(c);
            chars.next();
        }
        let mut whitespace = String::new();
        let mut leading_break = false;
        let mut trailing_breaks = 0;
        while let Some(&c) = chars.peek() {
            match c {
                ' ' if !leading_break => whitespace.push(c),
                ' ' => {}
                '\u{85}' if !leading_break => {
                    whitespace.clear();
                    leading_break = true;
                }
                '\u{85}' => trailing_breaks += 1,
                _ => break,
            }
            chars.next();
        }
        if leading_break {
            if trailing_breaks == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', trailing_breaks));
            }
        } else {
            out.push_str(&whitespace);
        }
    }
    out
}

/// How yaml.v2 reads a JSON number and writes it back.
fn number_text(json_text: &str) -> String {
    match resolve::resolve("", json_text) {
        Resolved::Int(i) => i.to_string(),
        Resolved::Uint(u) => u.to_string(),
        Resolved::Float(f) => gofmt::format_float(f, b'g', -1, 64),
        _ => json_text.to_string(),
    }
}

/// yaml.v2's `stringv`: literal style for multi-line text, plain when the text would read
/// back as a string, double quotes otherwise. The emitter may still pick another style.
pub(crate) fn string_scalar(s: &str) -> (String, ScalarStyle) {
    let can_use_plain = resolve::resolve("", s) == Resolved::Str && !resolve::is_base60_float(s);
    let style = if s.contains('\n') {
        ScalarStyle::Literal
    } else if can_use_plain {
        ScalarStyle::Plain
    } else {
        ScalarStyle::DoubleQuoted
    };
    (s.to_string(), style)
}

fn emit_node(e: &mut Emitter, v: &Value, depth: usize) -> Result<(), Error> {
    with_stack(|| emit_node_level(e, v, depth))
}

fn emit_node_level(e: &mut Emitter, v: &Value, depth: usize) -> Result<(), Error> {
    match v {
        Value::Object(object) => match object.to_data() {
            Some(data) => emit_node(e, &data, depth),
            None => Err(marshal_error(format!(
                "json: unsupported type: {}",
                object.type_name()
            ))),
        },
        Value::List(items, _) => {
            if items.is_empty() {
                e.empty_flow("[", "]");
                return Ok(());
            }
            check_depth(depth)?;
            e.begin_block_sequence();
            for item in items.iter() {
                e.block_sequence_item();
                e.node_context(false, false, false);
                emit_node(e, item, depth + 1)?;
            }
            e.end_block();
            Ok(())
        }
        Value::Map(map) => {
            if map.is_empty() {
                e.empty_flow("{", "}");
                return Ok(());
            }
            check_depth(depth)?;
            // Keys as yaml.v2 reads them from the JSON; if two become equal the later wins.
            let map = map.snapshot();
            let mut entries: BTreeMap<Cow<'_, str>, &Value> = BTreeMap::new();
            for (key, value) in map.iter() {
                entries.insert(through_json(key)?, value);
            }
            let mut keys: Vec<&str> = entries.keys().map(|k| k.as_ref()).collect();
            sort_keys(&mut keys, false);
            e.begin_block_mapping();
            for key in keys {
                let simple = is_simple_key(key);
                e.block_mapping_key(simple);
                e.node_context(false, true, simple);
                let (text, style) = string_scalar(key);
                e.scalar(&text, style);
                e.block_mapping_value(simple);
                e.node_context(false, true, false);
                if let Some(value) = entries.get(key) {
                    emit_node(e, value, depth + 1)?;
                }
            }
            e.end_block();
            Ok(())
        }
        scalar => {
            let (text, style) = scalar_text(scalar)?;
            e.scalar(&text, style);
            Ok(())
        }
    }
}

pub(super) fn check_depth(depth: usize) -> Result<(), Error> {
    if depth >= MAX_NESTING_DEPTH {
        return Err(Error::new(
            ErrorKind::Limit,
            format!("yaml: exceeded max depth of {MAX_NESTING_DEPTH}"),
        ));
    }
    Ok(())
}

/// Go's `unicode.IsLetter`: general categories Lu, Ll, Lt, Lm and Lo.
fn is_letter(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
    )
}

/// Go's `unicode.IsDigit`: general category Nd.
fn is_digit(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == G::DecimalNumber
}

/// yaml.v2's `keyList.Less` for two string keys: letters before other characters, runs of
/// digits compared as numbers. yaml.v3's (`v3`) differs after a common digit: there a
/// letter sorts first (`a1b` before `a10`), where yaml.v2 puts the letter last.
fn key_less(a: &[char], b: &[char], v3: bool) -> bool {
    let mut digits = false;
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            digits = is_digit(a[i]);
            continue;
        }
        let al = is_letter(a[i]);
        let bl = is_letter(b[i]);
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            return if v3 && digits { al } else { bl };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if a[i] == '0' || b[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(a[j - 1]) {
                j -= 1;
                if a[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let digit_value = |c: char| i64::from(c as u32) - i64::from(b'0');
        let mut ai = i;
        while ai < a.len() && is_digit(a[ai]) {
            an = an.wrapping_mul(10).wrapping_add(digit_value(a[ai]));
            ai += 1;
        }
        let mut bi = i;
        while bi < b.len() && is_digit(b[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(digit_value(b[bi]));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}

/// Sorts keys with `key_less`. Go's `sort.Sort` uses insertion sort for up to 12 elements,
/// which this reproduces exactly; larger maps use a merge sort, which agrees with Go
/// wherever `key_less` is a consistent order.
pub(crate) fn sort_keys(keys: &mut [&str], v3: bool) {
    let mut decorated: Vec<(Vec<char>, &str)> =
        keys.iter().map(|k| (k.chars().collect(), *k)).collect();
    if decorated.len() <= 12 {
        for i in 1..decorated.len() {
            let mut j = i;
            while j > 0 && key_less(&decorated[j].0, &decorated[j - 1].0, v3) {
                decorated.swap(j, j - 1);
                j -= 1;
            }
        }
    } else {
        merge_sort(&mut decorated, v3);
    }
    for (slot, (_, key)) in keys.iter_mut().zip(decorated) {
        *slot = key;
    }
}

fn merge_sort(items: &mut Vec<(Vec<char>, &str)>, v3: bool) {
    if items.len() <= 1 {
        return;
    }
    let mut right = items.split_off(items.len() / 2);
    merge_sort(items, v3);
    merge_sort(&mut right, v3);
    let left = std::mem::take(items);
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        let next = if key_less(&r.0, &l.0, v3) {
            right.next()
        } else {
            left.next()
        };
        merged.extend(next);
    }
    merged.extend(left);
    merged.extend(right);
    *items = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut keys = keys.to_vec();
        sort_keys(&mut keys, false);
        keys.into_iter().map(String::from).collect()
    }

    #[test]
    fn yaml_v3_puts_letters_first_after_a_common_digit() {
        let mut keys = vec!["a10", "a1b", "a1"];
        sort_keys(&mut keys, true);
        assert_eq!(keys, ["a1", "a1b", "a10"]);
        sort_keys(&mut keys, false);
        assert_eq!(keys, ["a1", "a10", "a1b"]);
    }

    #[test]
    fn keys_sort_naturally_with_non_letters_first() {
        assert_eq!(
            sorted(&["b", "a10", "a2", "_x", "A"]),
            ["_x", "A", "a2", "a10", "b"]
        );
        let many: Vec<String> = (0..30).map(|i| format!("k{i}")).collect();
        let refs: Vec<&str> = many.iter().rev().map(String::as_str).collect();
        assert_eq!(sorted(&refs), many);
    }

    #[test]
    fn numbers_print_as_yaml_v2_reads_their_json() {
        assert_eq!(number_text("1000000"), "1000000");
        assert_eq!(number_text("100000000000000000000"), "1e+20");
        assert_eq!(number_text("1.5"), "1.5");
        assert_eq!(number_text("-0"), "0");
        assert_eq!(number_text("1e-7"), "1e-07");
        assert_eq!(number_text("12345678901234567000"), "12345678901234567000");
    }

    #[test]
    fn nel_folds_like_a_line_break_in_double_quotes() {
        assert_eq!(fold_line_breaks("a\u{85}b"), "a b");
        assert_eq!(fold_line_breaks("a \u{85} b"), "a b");
        assert_eq!(fold_line_breaks("a\u{85}\u{85}b"), "a\nb");
        assert_eq!(fold_line_breaks("\u{85}a"), " a");
        assert!(through_json("a\u{7f}").is_err());
    }
}
