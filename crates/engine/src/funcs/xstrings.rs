//! Ports of the huandu/xstrings v1.5.0 case conversions Sprig calls: `ToSnakeCase`,
//! `ToKebabCase` (Sprig's `snakecase`, `kebabcase`) and `ToPascalCase` (`camelcase`).
use super::unicode;

fn is_connector(r: char) -> bool {
    r == '-' || r == '_' || unicode::is_space(r)
}

/// A letter that is not a CJK ideograph.
fn is_alphabet(r: char) -> bool {
    if !unicode::is_letter(r) {
        return false;
    }
    !matches!(r, '\u{4E00}'..='\u{9FCC}' | '\u{3400}'..='\u{4D85}' | '\u{20000}'..='\u{2B81D}')
}

/// `toCamelCase(str, true)`.
pub fn to_pascal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut is_first_rune_upper = false;
    let mut r0 = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            is_first_rune_upper = unicode::is_upper(c);
            r0 = Some(unicode::to_upper(c));
            break;
        }
        out.push(c);
    }
    let Some(mut r0) = r0 else {
        // Go writes the last connector a second time when there is nothing else.
        if let Some(last) = s.chars().next_back() {
            out.push(last);
        }
        return out;
    };
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            is_first_rune_upper = unicode::is_upper(r0);
            r0 = unicode::to_upper(r0);
        } else {
            if is_first_rune_upper {
                if unicode::is_upper(r0) {
                    r0 = unicode::to_lower(r0);
                } else {
                    is_first_rune_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WordType {
    Invalid,
    Number,
    UpperCase,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// `nextWord`: the type and text of the word at the start of `s`, and the rest. Rust
/// strings are valid UTF-8, so xstrings' `RuneError` handling never applies.
fn next_word(s: &str) -> (WordType, &str, &str) {
    let mut chars = s.char_indices().peekable();
    let Some((_, r)) = chars.next() else {
        return (WordType::Invalid, "", "");
    };
    let take_while = |start: usize, pred: &dyn Fn(char) -> bool| -> usize {
        s[start..]
            .char_indices()
            .find(|&(_, c)| !pred(c))
            .map_or(s.len(), |(i, _)| start + i)
    };
    let first = r.len_utf8();
    let (wt, end) = if is_connector(r) {
        (WordType::Connector, take_while(first, &is_connector))
    } else if unicode::is_punct(r) {
        (WordType::Punct, take_while(first, &unicode::is_punct))
    } else if unicode::is_upper(r) {
        match s[first..].chars().next() {
            None => (WordType::UpperCase, first),
            Some(next) if unicode::is_upper(next) => {
                let end = take_while(first, &unicode::is_upper);
                // "HTTPStatus" splits as "HTTP" and "Status": the last upper case letter
                // starts the next word when a letter follows it.
                match s[end..].chars().next() {
                    Some(after) if is_alphabet(after) => {
                        let last = s[..end].chars().next_back().map_or(0, char::len_utf8);
                        (WordType::UpperCase, end - last)
                    }
                    _ => (WordType::UpperCase, end),
                }
            }
            Some(next) if is_alphabet(next) => (
                WordType::UpperCase,
                take_while(first, &|c| is_alphabet(c) && !unicode::is_upper(c)),
            ),
            Some(_) => (WordType::UpperCase, first),
        }
    } else if is_alphabet(r) {
        (
            WordType::Alphabet,
            take_while(first, &|c| is_alphabet(c) && !unicode::is_upper(c)),
        )
    } else if unicode::is_number(r) {
        (WordType::Number, take_while(first, &unicode::is_number))
    } else {
        (
            WordType::Other,
            take_while(first, &|c| {
                !(is_connector(c)
                    || is_alphabet(c)
                    || unicode::is_number(c)
                    || unicode::is_punct(c))
            }),
        )
    };
    (wt, &s[..end], &s[end..])
}

fn to_lower(out: &mut String, wt: WordType, word: &str, connector: char) {
    if wt != WordType::UpperCase && wt != WordType::Connector {
        out.push_str(word);
        return;
    }
    for r in word.chars() {
        if is_connector(r) {
            out.push(connector);
        } else if unicode::is_upper(r) {
            out.push(unicode::to_lower(r));
        } else {
            out.push(r);
        }
    }
}

/// `camelCaseToLowerCase(str, connector)`: `ToSnakeCase` with `_`, `ToKebabCase` with `-`.
pub fn camel_case_to_lower_case(s: &str, connector: char) -> String {
    use WordType::*;
    let mut out = String::with_capacity(s.len() + 4);
    let (mut wt, mut word, mut remaining) = next_word(s);
    while !remaining.is_empty() {
        if wt != Connector {
            to_lower(&mut out, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Number => {
                while wt == Alphabet || wt == Number {
                    to_lower(&mut out, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Invalid && wt != Punct && wt != Connector {
                    out.push(connector);
                }
            }
            Connector => to_lower(&mut out, prev, last, connector),
            Punct => {}
            _ => {
                if wt != Number {
                    if wt != Connector && wt != Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, remaining) = next_word(remaining);
                if wt != Alphabet {
                    to_lower(&mut out, Number, last, connector);
                    if wt != Connector && wt != Punct {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                to_lower(&mut out, Number, last, connector);
                while wt == Alphabet || wt == Number {
                    to_lower(&mut out, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Invalid && wt != Connector && wt != Punct {
                    out.push(connector);
                }
            }
        }
    }
    to_lower(&mut out, wt, word, connector);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions_follow_xstrings() {
        assert_eq!(camel_case_to_lower_case("FirstName", '_'), "first_name");
        assert_eq!(camel_case_to_lower_case("HTTPStatus", '_'), "http_status");
        assert_eq!(camel_case_to_lower_case("Bld4Floor", '_'), "bld4_floor");
        assert_eq!(camel_case_to_lower_case("HTTP2xx", '_'), "http_2xx");
        assert_eq!(camel_case_to_lower_case("some-kebab", '-'), "some-kebab");
        assert_eq!(to_pascal_case("http_server"), "HttpServer");
        assert_eq!(to_pascal_case("_complex__case_"), "_Complex_Case_");
        assert_eq!(to_pascal_case("a"), "A");
    }
}
