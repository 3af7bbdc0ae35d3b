//! Go's `path/filepath.Match` on Unix, the glob language of `.helmignore`: `*` and `?` do
//! not cross `/`, `[...]` classes with ranges and `^` negation, `\` escapes.

/// Go's `filepath.ErrBadPattern`.
pub(crate) const BAD_PATTERN: &str = "syntax error in pattern";

/// Go's `filepath.Match(pattern, name)`.
pub(crate) fn matches(pattern: &str, name: &str) -> Result<bool, &'static str> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest of the name unless it holds a separator.
            return Ok(!name.contains(&b'/'));
        }
        let first = match_chunk(chunk, name)?;
        if let Some(t) = first
            && (t.is_empty() || !pattern.is_empty())
        {
            name = t;
            continue;
        }
        if star {
            // Look for a match further on, never skipping a separator.
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

/// Splits off the leading stars and the chunk up to the next star outside a class.
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

/// Matches `chunk` (no stars) at the start of `s`: the rest of `s` on a match. After a
/// mismatch the chunk is still read to the end so that syntax errors are reported.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<Option<&'a [u8]>, &'static str> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        failed = failed || s.is_empty();
        match c {
            b'[' => {
                let mut r = 0u32;
                if !failed {
                    let (rune, n) = decode_rune(s);
                    r = rune;
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
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    matched = matched || (lo <= r && r <= hi);
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
                        return Err(BAD_PATTERN);
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
    Ok(if failed { None } else { Some(s) })
}

/// One possibly escaped character of a class, and what follows it.
fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), &'static str> {
    let mut chunk = match chunk.first() {
        None | Some(b'-' | b']') => return Err(BAD_PATTERN),
        Some(_) => chunk,
    };
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
        if chunk.is_empty() {
            return Err(BAD_PATTERN);
        }
    }
    let (r, n) = decode_rune(chunk);
    let rest = &chunk[n..];
    if (r == u32::from(char::REPLACEMENT_CHARACTER) && n == 1) || rest.is_empty() {
        return Err(BAD_PATTERN);
    }
    Ok((r, rest))
}

/// Go's `utf8.DecodeRune`: the first rune and its length; U+FFFD and 1 for a bad byte.
fn decode_rune(s: &[u8]) -> (u32, usize) {
    for len in 1..=s.len().min(4) {
        if let Ok(text) = std::str::from_utf8(&s[..len])
            && let Some(c) = text.chars().next()
        {
            return (u32::from(c), len);
        }
    }
    (u32::from(char::REPLACEMENT_CHARACTER), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_go_matches_them() {
        let cases = [
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abe", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a[^a]b", "a☺b", true),
            ("a?b", "a/b", false),
            ("*x", "xxx", true),
            ("templates/.?*", "templates/.x", true),
            ("templates/.?*", "templates/.", false),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(matches(pattern, name), Ok(want), "{pattern} {name}");
        }
    }

    #[test]
    fn bad_patterns_are_errors() {
        for pattern in [
            "[", "[^", "[^bc", "a[", "a\\", "[a-", "[]a]", "[-]", "[x-]", "[\\",
        ] {
            assert_eq!(matches(pattern, "a"), Err(BAD_PATTERN), "{pattern}");
        }
        // Go stops at the first mismatch of a chunk without a star.
        assert_eq!(matches("a[", "x"), Err(BAD_PATTERN));
        assert_eq!(matches("x*[", "yz"), Ok(false));
    }
}
