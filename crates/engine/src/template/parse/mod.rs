//! The template parser: Go's `text/template/parse/parse.go`, recursive descent with the
//! grammar rule of each function in its doc comment, three tokens of lookahead, and Go's
//! error texts and line numbers. This file holds the parser state and the tree-level rules;
//! `pipeline.rs` parses pipelines, commands and operands.
use std::sync::Arc;

use super::arena::{Arena, Seq, Source, Stored};
use super::error::{Error, ErrorKind};
use super::fnv::FnvHashMap;
use super::function::FuncMap;
use super::lex::{Item, ItemType, LexOptions, Lexer, count_actions};
use super::literal::{INVALID_SYNTAX, unquote};
use super::node::{ArgNode, CommandNode, ListNode, Name, Node, NodeRef, Span, TextNode, Tree};
use crate::value::Value;

mod control;
mod names;
mod pipeline;

pub(crate) use names::Names;

/// Go's `maxStackDepth`: how deeply parenthesized pipelines may nest.
pub const MAX_PAREN_DEPTH: usize = 10_000;
/// The longest template text accepted; node positions are 32-bit.
pub const MAX_TEMPLATE_LEN: usize = u32::MAX as usize;

/// The templates one text defines, by name: its top level and its `define`s and `block`s.
/// Hashed with FNV: the keys are short names, and the set is built at every parse.
pub(crate) type TreeSet = FnvHashMap<Arc<str>, Tree>;

type PResult<T> = Result<T, Error>;

/// Parses `text` as the template `name`, with `define`d templates alongside; `names` holds
/// the names met so far, and gains this text's.
pub(crate) fn parse(
    name: &str,
    text: &str,
    delims: (&str, &str),
    funcs: &FuncMap,
    names: &mut Names,
) -> PResult<TreeSet> {
    let parse_name: Arc<str> = Arc::from(name);
    if text.len() > MAX_TEMPLATE_LEN {
        let message = format!("template: {name}: template text exceeds {MAX_TEMPLATE_LEN} bytes");
        return Err(Error::new(ErrorKind::Parse, message));
    }
    let options = LexOptions {
        break_ok: funcs.lookup("break").is_none(),
        continue_ok: funcs.lookup("continue").is_none(),
    };
    let mut parser = Parser {
        lex: Lexer::new(text, delims.0, delims.1, options),
        text,
        parse_name: parse_name.clone(),
        funcs,
        roots: FnvHashMap::default(),
        symbols: FnvHashMap::from_iter([("$", 0)]),
        names,
        arena: Arena::for_actions(count_actions(text, delims.0)),
        nodes: Vec::new(),
        cmds: Vec::new(),
        args: Vec::new(),
        fields: Vec::new(),
        cur: TreeState::new(parse_name.clone()),
    };
    let root = parser.parse()?;
    let line = parser.cur.token[0].line;
    let name = parser.cur.name.clone();
    parser.add(name, root, line)?;
    let text: Arc<str> = Arc::from(text);
    let arena = Arc::new(parser.arena);
    let trees = parser.roots.into_iter().map(|(name, root)| {
        let tree = Tree {
            name: name.clone(),
            parse_name: parse_name.clone(),
            text: text.clone(),
            arena: arena.clone(),
            root,
        };
        (name, tree)
    });
    Ok(trees.collect())
}

/// The parsing state of one tree: Go keeps it in `Tree` while parsing.
struct TreeState<'a> {
    name: Arc<str>,
    /// Three-token lookahead.
    token: [Item<'a>; 3],
    peek_count: usize,
    /// Variables defined at the moment, interned.
    vars: Vec<u32>,
    /// Line of the left delimiter starting the current action.
    action_line: usize,
    range_depth: usize,
    /// Depth of nested parenthesized pipelines.
    stack_depth: usize,
}

impl TreeState<'_> {
    fn new(name: Arc<str>) -> Self {
        TreeState {
            name,
            token: [Item::eof(0, 0), Item::eof(0, 0), Item::eof(0, 0)],
            peek_count: 0,
            vars: vec![0],
            action_line: 0,
            range_depth: 0,
            stack_depth: 0,
        }
    }
}

/// What `textOrAction` found: a node, or an `{{end}}` or `{{else}}`, which never reach a
/// tree.
enum Parsed {
    Node(Node),
    End,
    Else(Span),
}

impl Parsed {
    /// Go's `String()` of the node, for "unexpected ..." errors.
    fn describe(&self, src: Source<'_>) -> String {
        match self {
            Parsed::Node(node) => NodeRef::Node(node).describe(src),
            Parsed::End => "{{end}}".to_owned(),
            Parsed::Else(_) => "{{else}}".to_owned(),
        }
    }
}

struct Parser<'a, 'f> {
    lex: Lexer<'a>,
    text: &'a str,
    parse_name: Arc<str>,
    funcs: &'f FuncMap,
    /// The trees parsed so far, by name.
    roots: FnvHashMap<Arc<str>, ListNode>,
    /// Variable names to their symbols; the names borrow the text, so none is copied.
    symbols: FnvHashMap<&'a str, u32>,
    names: &'f mut Names,
    /// The nodes of finished lists, pipelines, commands and field chains.
    arena: Arena,
    /// The nodes of those still being parsed, innermost last: each moves to the arena in
    /// one piece when it is complete, so its children sit together there.
    nodes: Vec<Node>,
    cmds: Vec<CommandNode>,
    args: Vec<ArgNode>,
    fields: Vec<Name>,
    cur: TreeState<'a>,
}

impl<'a> Parser<'a, '_> {
    /// Returns the next token.
    fn next(&mut self) -> Item<'a> {
        if self.cur.peek_count > 0 {
            self.cur.peek_count -= 1;
        } else {
            self.cur.token[0] = self.lex.next_item();
        }
        self.cur.token[self.cur.peek_count]
    }

    /// Backs the input stream up one token.
    fn backup(&mut self) {
        self.cur.peek_count += 1;
    }

    /// Backs the input stream up two tokens; the zeroth token is already there.
    fn backup2(&mut self, t1: Item<'a>) {
        self.cur.token[1] = t1;
        self.cur.peek_count = 2;
    }

    /// Backs the input stream up three tokens; the zeroth token is already there.
    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.cur.token[1] = t1;
        self.cur.token[2] = t2;
        self.cur.peek_count = 3;
    }

    /// Returns but does not consume the next token.
    fn peek(&mut self) -> Item<'a> {
        if self.cur.peek_count > 0 {
            return self.cur.token[self.cur.peek_count - 1];
        }
        self.cur.peek_count = 1;
        self.cur.token[0] = self.lex.next_item();
        self.cur.token[0]
    }

    /// Returns the next non-space token.
    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let token = self.next();
            if token.typ != ItemType::Space {
                return token;
            }
        }
    }

    /// Returns but does not consume the next non-space token.
    fn peek_non_space(&mut self) -> Item<'a> {
        let token = self.next_non_space();
        self.backup();
        token
    }

    /// Go's `errorf`: `template: NAME:LINE: ` and Go's `format` with its `args`, the line of
    /// the last token read. Go puts the name into the format unescaped, so a `%` in it
    /// formats too (and may take arguments); this keeps that.
    fn errorf(&self, format: &str, args: &[Value]) -> Error {
        let line = self.cur.token[0].line;
        let location = format!("{}:{line}", self.parse_name);
        let text = crate::gofmt::errorf(&format!("template: {location}: {format}"), args);
        Error::new(ErrorKind::Parse, text).with_excerpt(location, self.text, self.cur.token[0].pos)
    }

    /// Go's `t.error(err)` for a literal `strconv` cannot read.
    fn syntax_error(&self) -> Error {
        self.errorf("%s", &[INVALID_SYNTAX.into()])
    }

    /// Consumes the next token and checks its type.
    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item<'a>> {
        let token = self.next_non_space();
        if token.typ != expected {
            return Err(self.unexpected(&token, context));
        }
        Ok(token)
    }

    /// Consumes the next token and checks it has one of two types.
    fn expect_one_of(&mut self, e1: ItemType, e2: ItemType, context: &str) -> PResult<Item<'a>> {
        let token = self.next_non_space();
        if token.typ != e1 && token.typ != e2 {
            return Err(self.unexpected(&token, context));
        }
        Ok(token)
    }

    /// Complains about the token: a lexer error as is, anything else as unexpected.
    fn unexpected(&self, token: &Item<'_>, context: &str) -> Error {
        if token.typ == ItemType::Error {
            let message = self.lex.error();
            let mut extra = String::new();
            if self.cur.action_line != 0 && self.cur.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.cur.action_line
                );
                if message.ends_with(" action") {
                    // Avoid "action in action".
                    extra.drain(.." in action".len());
                }
            }
            return self.errorf("%s%s", &[message.into(), extra.into()]);
        }
        self.errorf(
            "unexpected %s in %s",
            &[token.to_string().into(), context.into()],
        )
    }

    fn span(&self, pos: usize) -> Span {
        Span::at(pos)
    }

    /// Installs a finished tree in the set: it replaces an empty tree of the same name, and
    /// two non-empty ones are an error.
    fn add(&mut self, name: Arc<str>, root: ListNode, line: usize) -> PResult<()> {
        if let Some(existing) = self.roots.get(&name)
            && !is_empty_list(existing, self.source())
        {
            if !is_empty_list(&root, self.source()) {
                let format = format!(
                    "template: {}:{line}: template: multiple definition of template %q",
                    self.parse_name
                );
                let message = crate::gofmt::errorf(&format, &[name.as_ref().into()]);
                return Err(Error::new(ErrorKind::Parse, message));
            }
            return Ok(());
        }
        self.roots.insert(name, root);
        Ok(())
    }

    /// What the nodes parsed so far refer to.
    fn source(&self) -> Source<'_> {
        Source {
            text: self.text,
            arena: &self.arena,
        }
    }

    /// Moves the scratch `items` from `mark` up to the arena: the children of the node
    /// just completed.
    fn finish<T: Stored>(&mut self, mark: usize, items: fn(&mut Self) -> &mut Vec<T>) -> Seq<T> {
        let mut scratch = std::mem::take(items(self));
        let seq = self.arena.push(scratch.drain(mark..));
        *items(self) = scratch;
        seq
    }

    /// The top level of a template: like `itemList`, but also parses `{{define}}` and
    /// runs to EOF.
    fn parse(&mut self) -> PResult<ListNode> {
        let pos = self.peek().pos;
        let mark = self.nodes.len();
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.in_new_tree("definition".into(), Self::parse_definition)?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(node) => self.nodes.push(node),
                end_or_else => {
                    let node = end_or_else.describe(self.source()).into();
                    return Err(self.errorf("unexpected %s", &[node]));
                }
            }
        }
        Ok(ListNode {
            span: self.span(pos),
            nodes: self.finish(mark, |p| &mut p.nodes),
        })
    }

    /// Runs `f` with a fresh tree state (its own lookahead and variables), as Go does for a
    /// `define` or `block` body, then restores the current one.
    fn in_new_tree<T>(
        &mut self,
        name: Arc<str>,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let outer = std::mem::replace(&mut self.cur, TreeState::new(name));
        let result = f(self);
        self.cur = outer;
        result
    }

    /// `{{define "name"}} itemList {{end}}`; the `define` keyword has been scanned.
    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let name = self.expect_one_of(ItemType::String, ItemType::RawString, CONTEXT)?;
        let name = unquote(name.val).map_err(|()| self.syntax_error())?;
        self.cur.name = name.into();
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            let args = [end.describe(self.source()).into(), CONTEXT.into()];
            return Err(self.errorf("unexpected %s in %s", &args));
        }
        let line = self.cur.token[0].line;
        self.add(self.cur.name.clone(), root, line)
    }

    /// itemList:
    ///
    /// ```text
    /// textOrAction*
    /// ```
    ///
    /// Terminates at `{{end}}` or `{{else}}`, returned separately.
    fn item_list(&mut self) -> PResult<(ListNode, Parsed)> {
        let pos = self.peek_non_space().pos;
        let mark = self.nodes.len();
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Parsed::Node(node) => self.nodes.push(node),
                end_or_else => {
                    let list = ListNode {
                        span: self.span(pos),
                        nodes: self.finish(mark, |p| &mut p.nodes),
                    };
                    return Ok((list, end_or_else));
                }
            }
        }
        Err(self.errorf("unexpected EOF", &[]))
    }

    /// textOrAction:
    ///
    /// ```text
    /// text | comment | action
    /// ```
    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text(TextNode {
                span: self.span(token.pos),
                text: Name::new(token.pos, token.pos + token.val.len()),
            }))),
            ItemType::LeftDelim => {
                self.cur.action_line = token.line;
                let action = self.action();
                self.cur.action_line = 0;
                action
            }
            _ => Err(self.unexpected(&token, "input")),
        }
    }

    /// Action:
    ///
    /// ```text
    /// control
    /// command ("|" command)*
    /// ```
    ///
    /// The left delimiter is past; the first word may be a keyword such as `range`.
    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        let node = match token.typ {
            ItemType::Block => self.block_control()?,
            ItemType::Break => self.break_control(token.pos, "{{break}}")?,
            ItemType::Continue => self.break_control(token.pos, "{{continue}}")?,
            ItemType::Else => return self.else_control(),
            ItemType::End => return self.end_control(),
            ItemType::If => self.if_control()?,
            ItemType::Range => self.range_control()?,
            ItemType::Template => self.template_control()?,
            ItemType::With => self.with_control()?,
            _ => {
                self.backup();
                let token = self.peek();
                // Variables are not popped: they persist until "end".
                let pipe = self.pipeline("command", ItemType::RightDelim)?;
                Node::Action(super::node::ActionNode {
                    span: self.span(token.pos),
                    pipe,
                })
            }
        };
        Ok(Parsed::Node(node))
    }
}

/// Go's `IsEmptyTree` for a list: nothing but space (Unicode white space) in it.
pub(crate) fn is_empty_list(list: &ListNode, src: Source<'_>) -> bool {
    src.arena.get(list.nodes).iter().all(|node| match node {
        Node::Text(text) => text.text.of(src.text).trim().is_empty(),
        _ => false,
    })
}

#[cfg(test)]
mod tests;
