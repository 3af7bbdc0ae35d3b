//! Parse-tree nodes, with Go's node names and Go's `String()` forms (which execution errors
//! quote as their context). Every node carries a span: byte offset, line and column.
use std::fmt::Write as _;
use std::sync::Arc;

use super::arena::{Arena, Seq, Source};
use super::literal::Number;
use crate::gofmt::quote;
use crate::value::Value;

/// Stack kept free before a recursive step; deeper nesting continues on a heap segment.
pub(crate) const STACK_RED_ZONE: usize = 64 * 1024;
/// Size of each heap stack segment that deep nesting grows into.
pub(crate) const STACK_SEGMENT: usize = 1024 * 1024;

/// Runs `f` with enough stack for another level of recursion.
pub(crate) fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, f)
}

/// Where a node starts in its template's source: a byte offset. The line and column only
/// matter for errors, so they are computed then (`line_col`), as Go's `ErrorContext` does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub offset: u32,
}

impl Span {
    pub(crate) fn at(offset: usize) -> Span {
        Span {
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
        }
    }

    /// The line (from 1) and byte column (from 0) of the span in `text`, its template's
    /// source, counted as Go's `ErrorContext` counts them.
    pub(crate) fn line_col(self, text: &str) -> (usize, usize) {
        let mut offset = (self.offset as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text.as_bytes()[..offset];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(offset, |newline| offset - newline - 1);
        (line, col)
    }
}

/// One parsed template: a file's top level, a `define` or a `block`.
#[derive(Debug)]
pub(crate) struct Tree {
    /// The template's name.
    pub name: Arc<str>,
    /// The name of the top-level template of the parse, which error locations show.
    pub parse_name: Arc<str>,
    /// The whole text of the parse: the nodes' names and texts are spans of it, and error
    /// excerpts quote it.
    pub text: Arc<str>,
    /// The nodes of the parse, which `root` and its descendants refer to.
    pub arena: Arc<Arena>,
    pub root: ListNode,
}

impl Tree {
    pub(crate) fn source(&self) -> Source<'_> {
        Source {
            text: &self.text,
            arena: &self.arena,
        }
    }
}

/// A control or text node of a list.
#[derive(Debug)]
pub(crate) enum Node {
    Text(TextNode),
    Action(ActionNode),
    If(BranchNode),
    Range(BranchNode),
    With(BranchNode),
    Template(TemplateNode),
    Break(Span),
    Continue(Span),
}

/// A sequence of nodes.
#[derive(Debug)]
pub(crate) struct ListNode {
    pub span: Span,
    pub nodes: Seq<Node>,
}

/// Plain text.
#[derive(Debug)]
pub(crate) struct TextNode {
    pub span: Span,
    pub text: Name,
}

/// A piece of its tree's source (`Tree::text`) as byte bounds: names, literals' texts and
/// text nodes are most of a template, and spans cost no allocation to make or drop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Name {
    start: u32,
    end: u32,
}

impl Name {
    /// `source[start..end]`; the parser passes the bounds of a lexer item (or part of
    /// one), which fall on character boundaries and within `MAX_TEMPLATE_LEN`.
    pub(crate) fn new(start: usize, end: usize) -> Name {
        let bound = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Name {
            start: bound(start),
            end: bound(end),
        }
    }

    /// The text of the name in `source`, its tree's text.
    pub(crate) fn of(self, source: &str) -> &str {
        source
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// A non-control action such as a field evaluation.
#[derive(Debug)]
pub(crate) struct ActionNode {
    pub span: Span,
    pub pipe: PipeNode,
}

/// The common shape of `if`, `range` and `with`.
#[derive(Debug)]
pub(crate) struct BranchNode {
    pub span: Span,
    pub pipe: PipeNode,
    pub list: ListNode,
    pub else_list: Option<ListNode>,
}

/// A `{{template}}` action (and the call half of a `{{block}}`).
#[derive(Debug)]
pub(crate) struct TemplateNode {
    pub span: Span,
    pub name: Box<str>,
    pub pipe: Option<PipeNode>,
}

/// A pipeline with optional declarations.
#[derive(Debug)]
pub(crate) struct PipeNode {
    pub span: Span,
    /// The variables are assigned (`=`), not declared (`:=`).
    pub is_assign: bool,
    pub decl: Vec<VariableNode>,
    pub cmds: Seq<CommandNode>,
}

/// One command of a pipeline: an operand followed by its arguments.
#[derive(Debug)]
pub(crate) struct CommandNode {
    pub span: Span,
    pub args: Seq<ArgNode>,
}

/// An operand: the nodes a command is made of.
#[derive(Debug)]
pub(crate) enum ArgNode {
    Bool(BoolNode),
    Chain(ChainNode),
    Dot(DotNode),
    Field(FieldNode),
    Identifier(IdentifierNode),
    Nil(NilNode),
    Number(NumberNode),
    Pipe(Box<PipeNode>),
    String(StringNode),
    Variable(VariableNode),
}

#[derive(Debug)]
pub(crate) struct BoolNode {
    pub span: Span,
    pub value: bool,
}

/// A term followed by field accesses: `(pipeline).X.Y`, `fn.X`.
#[derive(Debug)]
pub(crate) struct ChainNode {
    pub span: Span,
    pub node: Box<ArgNode>,
    pub field: Seq<Name>,
}

#[derive(Debug)]
pub(crate) struct DotNode {
    pub span: Span,
}

/// A field chain on dot: `.X.Y`.
#[derive(Debug)]
pub(crate) struct FieldNode {
    pub span: Span,
    pub ident: Seq<Name>,
}

/// A function name, resolved at parse time to its slot in the set's function table.
#[derive(Debug)]
pub(crate) struct IdentifierNode {
    pub span: Span,
    pub ident: Name,
    pub func: usize,
}

#[derive(Debug)]
pub(crate) struct NilNode {
    pub span: Span,
}

#[derive(Debug)]
pub(crate) struct NumberNode {
    pub span: Span,
    pub text: Name,
    /// Boxed: it is several times the size of the other operands, and every operand
    /// would pay for it.
    pub number: Box<Number>,
}

#[derive(Debug)]
pub(crate) struct StringNode {
    pub span: Span,
    /// The original text, with quotes.
    pub quoted: Name,
    /// The unquoted value, a Go string: templates repeat their strings (template names,
    /// separators), so equal literals share one allocation.
    pub text: Value,
}

/// A variable with optional field chain: `$x.Y`. `name` includes the `$`; `sym` is the
/// name interned, for fast lookups. (Go keeps the name as `Ident[0]`; apart, a variable
/// without fields needs no list.)
#[derive(Debug)]
pub(crate) struct VariableNode {
    pub span: Span,
    pub name: Name,
    pub fields: Seq<Name>,
    pub sym: u32,
}

impl ArgNode {
    pub(crate) fn span(&self) -> Span {
        match self {
            ArgNode::Bool(n) => n.span,
            ArgNode::Chain(n) => n.span,
            ArgNode::Dot(n) => n.span,
            ArgNode::Field(n) => n.span,
            ArgNode::Identifier(n) => n.span,
            ArgNode::Nil(n) => n.span,
            ArgNode::Number(n) => n.span,
            ArgNode::Pipe(n) => n.span,
            ArgNode::String(n) => n.span,
            ArgNode::Variable(n) => n.span,
        }
    }

    fn write_to(&self, src: Source<'_>, out: &mut String) {
        match self {
            ArgNode::Bool(n) => out.push_str(if n.value { "true" } else { "false" }),
            ArgNode::Chain(n) => n.write_to(src, out),
            ArgNode::Dot(_) => out.push('.'),
            ArgNode::Field(n) => n.write_to(src, out),
            ArgNode::Identifier(n) => out.push_str(n.ident.of(src.text)),
            ArgNode::Nil(_) => out.push_str("nil"),
            ArgNode::Number(n) => out.push_str(n.text.of(src.text)),
            ArgNode::Pipe(n) => n.write_to(src, out),
            ArgNode::String(n) => out.push_str(n.quoted.of(src.text)),
            ArgNode::Variable(n) => n.write_to(src, out),
        }
    }
}

impl Node {
    pub(crate) fn span(&self) -> Span {
        match self {
            Node::Text(n) => n.span,
            Node::Action(n) => n.span,
            Node::If(n) | Node::Range(n) | Node::With(n) => n.span,
            Node::Template(n) => n.span,
            Node::Break(span) | Node::Continue(span) => *span,
        }
    }

    fn write_to(&self, src: Source<'_>, out: &mut String) {
        match self {
            Node::Text(n) => out.push_str(n.text.of(src.text)),
            Node::Action(n) => {
                out.push_str("{{");
                n.pipe.write_to(src, out);
                out.push_str("}}");
            }
            Node::If(n) => n.write_to("if", src, out),
            Node::Range(n) => n.write_to("range", src, out),
            Node::With(n) => n.write_to("with", src, out),
            Node::Template(n) => {
                out.push_str("{{template ");
                out.push_str(&quote(&n.name));
                if let Some(pipe) = &n.pipe {
                    out.push(' ');
                    pipe.write_to(src, out);
                }
                out.push_str("}}");
            }
            Node::Break(_) => out.push_str("{{break}}"),
            Node::Continue(_) => out.push_str("{{continue}}"),
        }
    }
}

impl ListNode {
    fn write_to(&self, src: Source<'_>, out: &mut String) {
        let nodes = src.arena.get(self.nodes);
        with_stack(|| nodes.iter().for_each(|n| n.write_to(src, out)));
    }
}

impl BranchNode {
    fn write_to(&self, keyword: &str, src: Source<'_>, out: &mut String) {
        let _ = write!(out, "{{{{{keyword} ");
        self.pipe.write_to(src, out);
        out.push_str("}}");
        self.list.write_to(src, out);
        if let Some(else_list) = &self.else_list {
            out.push_str("{{else}}");
            else_list.write_to(src, out);
        }
        out.push_str("{{end}}");
    }
}

impl PipeNode {
    fn write_to(&self, src: Source<'_>, out: &mut String) {
        with_stack(|| {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                v.write_to(src, out);
            }
            if !self.decl.is_empty() {
                out.push_str(if self.is_assign { " = " } else { " := " });
            }
            for (i, c) in src.arena.get(self.cmds).iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                c.write_to(src, out);
            }
        });
    }
}

impl CommandNode {
    fn write_to(&self, src: Source<'_>, out: &mut String) {
        for (i, arg) in src.arena.get(self.args).iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if let ArgNode::Pipe(pipe) = arg {
                out.push('(');
                pipe.write_to(src, out);
                out.push(')');
            } else {
                arg.write_to(src, out);
            }
        }
    }
}

impl ChainNode {
    fn write_to(&self, src: Source<'_>, out: &mut String) {
        if let ArgNode::Pipe(pipe) = &*self.node {
            out.push('(');
            pipe.write_to(src, out);
            out.push(')');
        } else {
            self.node.write_to(src, out);
        }
        for field in src.arena.get(self.field) {
            out.push('.');
            out.push_str(field.of(src.text));
        }
    }
}

impl FieldNode {
    fn write_to(&self, src: Source<'_>, out: &mut String) {
        for id in src.arena.get(self.ident) {
            out.push('.');
            out.push_str(id.of(src.text));
        }
    }
}

impl VariableNode {
    fn write_to(&self, src: Source<'_>, out: &mut String) {
        out.push_str(self.name.of(src.text));
        for id in src.arena.get(self.fields) {
            out.push('.');
            out.push_str(id.of(src.text));
        }
    }
}

/// A node that execution is at, for error context: its position and Go's `String()`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum NodeRef<'t> {
    Node(&'t Node),
    List(&'t ListNode),
    Pipe(&'t PipeNode),
    Command(&'t CommandNode),
    Arg(&'t ArgNode),
}

impl NodeRef<'_> {
    pub(crate) fn span(self) -> Span {
        match self {
            NodeRef::Node(n) => n.span(),
            NodeRef::List(n) => n.span,
            NodeRef::Pipe(n) => n.span,
            NodeRef::Command(n) => n.span,
            NodeRef::Arg(n) => n.span(),
        }
    }
}

impl NodeRef<'_> {
    /// Go's `String()` of the node: its text as the parser understood it. `src` is what
    /// the node's tree refers to.
    pub(crate) fn describe(self, src: Source<'_>) -> String {
        let mut out = String::new();
        match self {
            NodeRef::Node(n) => n.write_to(src, &mut out),
            NodeRef::List(n) => n.write_to(src, &mut out),
            NodeRef::Pipe(n) => n.write_to(src, &mut out),
            NodeRef::Command(n) => n.write_to(src, &mut out),
            NodeRef::Arg(n) => n.write_to(src, &mut out),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_like_go_error_context() {
        let text = "ab\ncd\n\nef";
        let at = |offset| Span::at(offset).line_col(text);
        assert_eq!(at(0), (1, 0));
        assert_eq!(at(1), (1, 1));
        assert_eq!(at(2), (1, 2));
        assert_eq!(at(3), (2, 0));
        assert_eq!(at(7), (4, 0));
        assert_eq!(at(8), (4, 1));
    }
}
