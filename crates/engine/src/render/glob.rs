//! The glob language of `.Files.Glob`: github.com/gobwas/glob v0.2.3 with `/` as the
//! separator. `*` matches within a path segment, `**` across segments, `?` one character
//! of a segment, `[abc]`, `[a-z]` and `[!...]` one character, `{a,b}` alternatives, `\`
//! escapes the next character.
//!
//! The lexer and parser follow gobwas' (`syntax/lexer`, `syntax/ast`), quirks included:
//! `]`, `}` and `,` are plain text where they close nothing, an unclosed `{` still makes
//! alternatives. Matching runs over the set of positions each element can reach, so it is
//! linear in the pattern times the name whatever the pattern.

/// The path separator `*` and `?` do not cross.
const SEPARATOR: char = '/';

/// How deeply `{...}` may nest. gobwas has no limit; deeper patterns are refused as
/// malformed ones are (and `.Files.Glob` then matches every file, as Helm does for them).
pub const MAX_GLOB_NESTING: usize = 64;

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Text(Vec<char>),
    /// `*`
    Any,
    /// `**`
    Super,
    /// `?`
    Single,
    /// `[abc]`, `[!abc]`
    List {
        chars: Vec<char>,
        not: bool,
    },
    /// `[a-z]`, `[!a-z]`
    Range {
        lo: char,
        hi: char,
        not: bool,
    },
    /// `{a,b}`: alternative patterns.
    AnyOf(Vec<Vec<Node>>),
}

/// A compiled glob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    pattern: Vec<Node>,
}

impl Glob {
    /// gobwas' `Compile(pattern, '/')`; the error is gobwas' message.
    pub fn compile(pattern: &str) -> Result<Glob, String> {
        let tokens = lex(pattern)?;
        Ok(Glob {
            pattern: parse(&tokens)?,
        })
    }

    /// Whether the whole of `name` matches.
    pub fn matches(&self, name: &str) -> bool {
        let text: Vec<char> = name.chars().collect();
        let mut start = vec![false; text.len() + 1];
        start[0] = true;
        let end = reach(&self.pattern, &start, &text);
        end[text.len()]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Text(Vec<char>),
    Any,
    Super,
    Single,
    RangeOpen,
    Not,
    RangeLo(char),
    RangeHi(char),
    RangeClose,
    TermsOpen,
    Separator,
    TermsClose,
}

/// gobwas' lexer: the whole token stream, or its error.
fn lex(pattern: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut lexer = Lexer {
        chars: &chars,
        pos: 0,
        terms_level: 0,
        tokens: Vec::new(),
    };
    while lexer.pos < chars.len() {
        lexer.fetch_item()?;
    }
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    chars: &'a [char],
    pos: usize,
    terms_level: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn read(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn fetch_item(&mut self) -> Result<(), String> {
        let Some(c) = self.read() else {
            return Ok(());
        };
        let in_terms = self.terms_level > 0;
        match c {
            '{' => {
                if self.terms_level == MAX_GLOB_NESTING {
                    return Err(format!("alternatives nest deeper than {MAX_GLOB_NESTING}"));
                }
                self.terms_level += 1;
                self.tokens.push(Token::TermsOpen);
            }
            ',' if in_terms => self.tokens.push(Token::Separator),
            '}' if in_terms => {
                self.tokens.push(Token::TermsClose);
                self.terms_level -= 1;
            }
            '[' => {
                self.tokens.push(Token::RangeOpen);
                self.fetch_range()?;
            }
            '?' => self.tokens.push(Token::Single),
            '*' => {
                if self.peek() == Some('*') {
                    self.pos += 1;
                    self.tokens.push(Token::Super);
                } else {
                    self.tokens.push(Token::Any);
                }
            }
            _ => {
                self.pos -= 1;
                let breakers: &[char] = if in_terms {
                    &['?', '*', '[', '{', '}', ',']
                } else {
                    &['?', '*', '[', '{']
                };
                self.fetch_text(breakers);
            }
        }
        Ok(())
    }

    fn fetch_range(&mut self) -> Result<(), String> {
        let (mut want_hi, mut want_close, mut seen_not) = (false, false, false);
        loop {
            let Some(c) = self.read() else {
                return Err("unexpected end of input".into());
            };
            if want_close {
                if c != ']' {
                    return Err("expected close range character".into());
                }
                self.tokens.push(Token::RangeClose);
                return Ok(());
            }
            if want_hi {
                self.tokens.push(Token::RangeHi(c));
                want_close = true;
                continue;
            }
            if !seen_not && c == '!' {
                self.tokens.push(Token::Not);
                seen_not = true;
                continue;
            }
            if self.peek() == Some('-') {
                self.pos += 1;
                self.tokens.push(Token::RangeLo(c));
                want_hi = true;
                continue;
            }
            self.pos -= 1;
            self.fetch_text(&[']']);
            want_close = true;
        }
    }

    fn fetch_text(&mut self, breakers: &[char]) {
        let mut data = Vec::new();
        let mut escaped = false;
        while let Some(c) = self.read() {
            if !escaped {
                if c == '\\' {
                    escaped = true;
                    continue;
                }
                if breakers.contains(&c) {
                    self.pos -= 1;
                    break;
                }
            }
            escaped = false;
            data.push(c);
        }
        if !data.is_empty() {
            self.tokens.push(Token::Text(data));
        }
    }
}

/// gobwas' parser: patterns nested in `{...}` alternatives.
fn parse(tokens: &[Token]) -> Result<Vec<Node>, String> {
    // The pattern being filled, and for each open `{` the alternatives collected so far.
    let mut current: Vec<Node> = Vec::new();
    let mut open: Vec<(Vec<Node>, Vec<Vec<Node>>)> = Vec::new();
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        i += 1;
        match token {
            Token::Text(text) => current.push(Node::Text(text.clone())),
            Token::Any => current.push(Node::Any),
            Token::Super => current.push(Node::Super),
            Token::Single => current.push(Node::Single),
            Token::RangeOpen => {
                let (node, used) = parse_range(&tokens[i..])?;
                current.push(node);
                i += used;
            }
            Token::TermsOpen => open.push((std::mem::take(&mut current), Vec::new())),
            Token::Separator => {
                if let Some((_, alternatives)) = open.last_mut() {
                    alternatives.push(std::mem::take(&mut current));
                }
            }
            Token::TermsClose => {
                if let Some((outer, mut alternatives)) = open.pop() {
                    alternatives.push(std::mem::replace(&mut current, outer));
                    current.push(Node::AnyOf(alternatives));
                }
            }
            other => return Err(format!("unexpected token: {other:?}")),
        }
    }
    // Alternatives left open at the end are kept, as gobwas keeps them.
    while let Some((outer, mut alternatives)) = open.pop() {
        alternatives.push(std::mem::replace(&mut current, outer));
        current.push(Node::AnyOf(alternatives));
    }
    Ok(current)
}

/// `[...]` after its opening bracket: the node and how many tokens it used.
fn parse_range(tokens: &[Token]) -> Result<(Node, usize), String> {
    let (mut not, mut lo, mut hi, mut chars) = (false, None, None, Vec::new());
    for (used, token) in tokens.iter().enumerate() {
        match token {
            Token::Not => not = true,
            Token::RangeLo(c) => lo = Some(*c),
            Token::RangeHi(c) => {
                if let Some(lo) = lo.filter(|lo| c < lo) {
                    return Err(format!(
                        "hi character '{c}' should be greater than lo '{lo}'"
                    ));
                }
                hi = Some(*c);
            }
            Token::Text(text) => chars = text.clone(),
            Token::RangeClose => {
                // gobwas takes a NUL bound for a missing one.
                let range = lo.zip(hi).filter(|(lo, hi)| *lo != '\0' && *hi != '\0');
                let node = match (range, chars.is_empty()) {
                    (Some((lo, hi)), true) => Node::Range { lo, hi, not },
                    (None, false) => Node::List { chars, not },
                    _ => return Err("could not parse range".into()),
                };
                return Ok((node, used + 1));
            }
            _ => {}
        }
    }
    Err("unexpected end".into())
}

/// The positions of `text` where `pattern` can end when it starts at any of `start`.
fn reach(pattern: &[Node], start: &[bool], text: &[char]) -> Vec<bool> {
    let mut positions = start.to_vec();
    for node in pattern {
        positions = step(node, &positions, text);
    }
    positions
}

fn step(node: &Node, from: &[bool], text: &[char]) -> Vec<bool> {
    let mut to = vec![false; from.len()];
    let one_char = |to: &mut Vec<bool>, accept: &dyn Fn(char) -> bool| {
        for (p, &c) in text.iter().enumerate() {
            if from[p] && accept(c) {
                to[p + 1] = true;
            }
        }
    };
    match node {
        Node::Text(t) => {
            for p in (0..from.len()).filter(|&p| from[p]) {
                if text[p..].starts_with(t) {
                    to[p + t.len()] = true;
                }
            }
        }
        Node::Any | Node::Super => {
            let crosses = matches!(node, Node::Super);
            for p in 0..from.len() {
                let extends = p > 0 && to[p - 1] && (crosses || text[p - 1] != SEPARATOR);
                to[p] = from[p] || extends;
            }
        }
        Node::Single => one_char(&mut to, &|c| c != SEPARATOR),
        Node::List { chars, not } => one_char(&mut to, &|c| chars.contains(&c) != *not),
        Node::Range { lo, hi, not } => one_char(&mut to, &|c| (*lo..=*hi).contains(&c) != *not),
        Node::AnyOf(alternatives) => {
            for alternative in alternatives {
                let ends = reach(alternative, from, text);
                for (slot, end) in to.iter_mut().zip(ends) {
                    *slot |= end;
                }
            }
        }
    }
    to
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, name: &str) -> bool {
        Glob::compile(pattern).unwrap().matches(name)
    }

    #[test]
    fn stars_stay_within_a_segment_and_double_stars_cross() {
        assert!(matches("files/*", "files/a.txt"));
        assert!(!matches("files/*", "files/sub/b.yaml"));
        assert!(matches("files/**", "files/sub/b.yaml"));
        assert!(matches("**.txt", "files/a.txt"));
        assert!(matches("*", "a"));
        assert!(!matches("*", "a/b"));
        assert!(matches("a/**/c", "a/b/x/c"));
        assert!(matches("?.txt", "a.txt"));
        assert!(!matches("?", "/"));
    }

    #[test]
    fn classes_alternatives_and_escapes() {
        assert!(matches("[ab].txt", "b.txt"));
        assert!(!matches("[!ab].txt", "b.txt"));
        assert!(matches("[!ab]", "/"));
        assert!(matches("[a-c]x", "bx"));
        assert!(matches("{conf,data}/*.yaml", "data/x.yaml"));
        assert!(!matches("{conf,data}/*.yaml", "other/x.yaml"));
        assert!(matches("a{,b}", "a"));
        assert!(matches("{a,b{c,d}}", "bd"));
        assert!(matches(r"\*", "*"));
        assert!(!matches(r"\*", "a"));
        assert!(matches("a]", "a]"));
        assert!(matches("a}", "a}"));
        // An unclosed `{` keeps its alternatives.
        assert!(matches("{a,b", "b"));
    }

    #[test]
    fn malformed_patterns_are_errors_with_gobwas_messages() {
        assert_eq!(Glob::compile("[").unwrap_err(), "unexpected end of input");
        assert_eq!(Glob::compile("[]").unwrap_err(), "could not parse range");
        assert_eq!(Glob::compile("[!]").unwrap_err(), "could not parse range");
        assert_eq!(
            Glob::compile("[z-a]").unwrap_err(),
            "hi character 'a' should be greater than lo 'z'"
        );
        assert_eq!(
            Glob::compile("[a-bc]").unwrap_err(),
            "expected close range character"
        );
        let deep = "{".repeat(MAX_GLOB_NESTING + 1);
        assert!(Glob::compile(&deep).is_err());
        assert!(Glob::compile(&"{".repeat(MAX_GLOB_NESTING)).is_ok());
    }
}
