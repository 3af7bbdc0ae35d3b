//! Go's `regexp` match iteration over a compiled `GoRegex`: `allMatches` (behind
//! `FindAll` and `Split`), `ReplaceAll` with `Expand`'s `$1`/`${name}` templates, and
//! `QuoteMeta`, each following Go's rules for empty matches.
use super::goregex::GoRegex;

impl GoRegex {
    /// Go's `allMatches`: up to `n` (all when negative) non-overlapping matches, as
    /// capture offsets, skipping an empty match right after the previous match.
    pub fn all_matches(&self, s: &str, n: i64) -> Vec<Vec<Option<(usize, usize)>>> {
        let limit = if n < 0 { s.len() as u64 + 1 } else { n as u64 };
        let mut out = Vec::new();
        let mut pos = 0;
        let mut prev_end: Option<usize> = None;
        while (out.len() as u64) < limit && pos <= s.len() {
            let Some(caps) = self.regex.captures_at(s, pos) else {
                break;
            };
            let whole = caps.get(0).map_or((pos, pos), |m| (m.start(), m.end()));
            let mut accept = true;
            if whole.1 == pos {
                if Some(whole.0) == prev_end {
                    accept = false;
                }
                pos += s[pos..].chars().next().map_or(1, char::len_utf8);
            } else {
                pos = whole.1;
            }
            prev_end = Some(whole.1);
            if accept {
                out.push(
                    (0..caps.len())
                        .map(|i| caps.get(i).map(|m| (m.start(), m.end())))
                        .collect(),
                );
            }
        }
        out
    }

    /// Go's `Expand` of a `$1`/`${name}` template for one match.
    fn expand(&self, out: &mut String, template: &str, src: &str, m: &[Option<(usize, usize)>]) {
        let mut template = template;
        while let Some(dollar) = template.find('$') {
            out.push_str(&template[..dollar]);
            template = &template[dollar + 1..];
            if let Some(rest) = template.strip_prefix('$') {
                out.push('$');
                template = rest;
                continue;
            }
            let Some((name, num, rest)) = extract(template) else {
                out.push('$');
                continue;
            };
            template = rest;
            let group = match num {
                Some(num) => m.get(num).copied().flatten(),
                None => self
                    .names
                    .iter()
                    .position(|n| n.as_deref() == Some(name))
                    .and_then(|i| m.get(i).copied().flatten()),
            };
            if let Some((a, b)) = group {
                out.push_str(&src[a..b]);
            }
        }
        out.push_str(template);
    }

    /// Go's `replaceAll` driver, with `literal` deciding between `ReplaceAllString` and
    /// `ReplaceAllLiteralString`.
    pub fn replace_all(&self, src: &str, repl: &str, literal: bool) -> String {
        let mut out = String::with_capacity(src.len());
        let mut last_end = 0;
        let mut search = 0;
        while search <= src.len() {
            let Some(caps) = self.regex.captures_at(src, search) else {
                break;
            };
            let m: Vec<Option<(usize, usize)>> = (0..caps.len())
                .map(|i| caps.get(i).map(|g| (g.start(), g.end())))
                .collect();
            let Some((a0, a1)) = m[0] else { break };
            out.push_str(&src[last_end..a0]);
            if a1 > last_end || a0 == 0 {
                if literal {
                    out.push_str(repl);
                } else {
                    self.expand(&mut out, repl, src, &m);
                }
            }
            last_end = a1;
            let width = src[search..].chars().next().map_or(0, char::len_utf8);
            if search + width > a1 {
                search += width;
            } else if search + 1 > a1 {
                search += 1;
            } else {
                search = a1;
            }
        }
        out.push_str(&src[last_end..]);
        out
    }

    /// Go's `Split`.
    pub fn split(&self, s: &str, n: i64) -> Vec<String> {
        if n == 0 {
            return Vec::new();
        }
        if !self.empty_expr && s.is_empty() {
            return vec![String::new()];
        }
        let matches = self.all_matches(s, n);
        let mut parts = Vec::with_capacity(matches.len());
        let (mut beg, mut end) = (0, 0);
        for m in matches {
            if n > 0 && parts.len() as i64 == n - 1 {
                break;
            }
            let Some((a, b)) = m[0] else { continue };
            end = a;
            if b != 0 {
                parts.push(s[beg..end].to_owned());
            }
            beg = b;
        }
        if end != s.len() {
            parts.push(s[beg..].to_owned());
        }
        parts
    }
}

/// Go's `extract`: a leading `name` or `{name}`; the number when the name is one.
fn extract(s: &str) -> Option<(&str, Option<usize>, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, s),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| !(super::unicode::is_letter(c) || is_unicode_digit(c) || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    let num = if name.len() > 1 && name.starts_with('0') {
        None
    } else {
        name.bytes().try_fold(0usize, |acc, b| {
            (b.is_ascii_digit() && acc < 100_000_000).then(|| acc * 10 + usize::from(b - b'0'))
        })
    };
    Some((name, num, rest))
}

fn is_unicode_digit(c: char) -> bool {
    unicode_general_category::get_general_category(c)
        == unicode_general_category::GeneralCategory::DecimalNumber
}

/// Go's `QuoteMeta`.
pub fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::goregex::compile;

    #[test]
    fn iteration_and_replacement_follow_go() {
        let re = compile("a*").unwrap();
        assert_eq!(re.replace_all("baaac", "X", true), "XbXcX");
        let re = compile("(?P<w>[a-z]+)-(\\d)").unwrap();
        assert_eq!(re.replace_all("ab-1 cd-2", "${2}$w$$", false), "1ab$ 2cd$");
        assert_eq!(re.replace_all("ab-1", "[$3x$1y]", false), "[]");
        assert_eq!(compile(",").unwrap().split("a,b,c", 2), ["a", "b,c"]);
        assert_eq!(compile("").unwrap().split("abc", -1), ["a", "b", "c"]);
        assert_eq!(quote_meta("a.b*"), "a\\.b\\*");
        let all = compile("a|").unwrap().all_matches("baa", -1);
        assert_eq!(all.len(), 3);
    }
}
