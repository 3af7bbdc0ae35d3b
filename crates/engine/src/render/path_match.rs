//! Go's `path/filepath.Match` on Unix, as `helm template --show-only` matches template
//! paths: `*` and `?` stay within a path segment, `[...]` classes with ranges and `^`,
//! `\` escapes. A malformed pattern matches nothing (Helm ignores Match's error).

/// Whether `name` matches `pattern` as a whole.
pub fn path_match(pattern: &str, name: &str) -> bool {
    matches(pattern.as_bytes(), name.as_bytes()).unwrap_or(false)
}

/// `Err` is Go's `ErrBadPattern`.
type Result<T> = std::result::Result<T, ()>;

fn matches(mut pattern: &[u8], mut name: &[u8]) -> Result<bool> {
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest of the name unless it holds a separator.
            return Ok(!name.contains(&b'/'));
        }
        let (first, err) = match match_chunk(chunk, name) {
            Ok(found) => (found, None),
            Err(()) => (None, Some(())),
        };
        // The last chunk must use up the name, or a later position may still match.
        if let Some(t) = first
            && (t.is_empty() || !pattern.is_empty())
        {
            name = t;
            continue;
        }
        if let Some(err) = err {
            return Err(err);
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Go's `scanChunk`: leading stars, then the text up to the next star outside a class.
fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let stars = pattern.iter().take_while(|&&b| b == b'*').count();
    let pattern = &pattern[stars..];
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => return (stars > 0, &pattern[..i], &pattern[i..]),
            _ => {}
        }
        i += 1;
    }
    (stars > 0, pattern, &[])
}

/// Go's `matchChunk`: the rest of `s` after `chunk` matched its start, `None` when it did
/// not; the whole chunk is checked for well-formedness either way.
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> Result<Option<&'s [u8]>> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        failed = failed || s.is_empty();
        match c {
            b'[' => {
                let mut r = None;
                if !failed {
                    let (decoded, n) = decode_rune(s);
                    r = Some(decoded);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_escaped(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_escaped(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    matched = matched || r.is_some_and(|r| lo <= r && r <= hi);
                    ranges += 1;
                }
                failed = failed || matched == negated;
            }
            b'?' => {
                if !failed {
                    failed = s[0] == b'/';
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(());
                    }
                }
                if !failed {
                    failed = chunk[0] != s[0];
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok((!failed).then_some(s))
}

/// Go's `getEsc`: one possibly escaped character of a class.
fn get_escaped(chunk: &[u8]) -> Result<(char, &[u8])> {
    let mut chunk = match chunk.first() {
        None | Some(b'-' | b']') => return Err(()),
        Some(_) => chunk,
    };
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
        if chunk.is_empty() {
            return Err(());
        }
    }
    let (r, n) = decode_rune(chunk);
    let rest = &chunk[n..];
    if (r == char::REPLACEMENT_CHARACTER && n == 1) || rest.is_empty() {
        return Err(());
    }
    Ok((r, rest))
}

/// Go's `utf8.DecodeRuneInString`: the first character and its length; an invalid byte
/// is U+FFFD of length 1.
fn decode_rune(s: &[u8]) -> (char, usize) {
    let prefix = &s[..s.len().min(4)];
    let valid = match std::str::from_utf8(prefix) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&prefix[..e.valid_up_to()]).unwrap_or_default(),
    };
    match valid.chars().next() {
        Some(c) => (c, c.len_utf8()),
        None => (char::REPLACEMENT_CHARACTER, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks_stay_in_a_segment() {
        assert!(path_match("templates/*", "templates/a.yaml"));
        assert!(!path_match("templates/*", "templates/dir/c.yaml"));
        assert!(path_match("templates/*/c.yaml", "templates/dir/c.yaml"));
        assert!(path_match("templates/?.yaml", "templates/a.yaml"));
        assert!(!path_match("a?b", "a/b"));
        assert!(path_match("*.yaml", "a.yaml"));
        assert!(path_match("a*b*c", "axxbyyc"));
        assert!(!path_match("a*b", "a/b"));
    }

    #[test]
    fn classes_escapes_and_bad_patterns() {
        assert!(path_match("[a-c].yaml", "b.yaml"));
        assert!(!path_match("[^a-c].yaml", "b.yaml"));
        assert!(path_match(r"\*", "*"));
        assert!(!path_match("[", "["));
        assert!(!path_match("a[", "a"));
        assert!(!path_match(r"a\", "a"));
        assert!(path_match("templates/a.yaml", "templates/a.yaml"));
        assert!(!path_match("templates/a.yaml", "templates/a.yamlx"));
    }
}
