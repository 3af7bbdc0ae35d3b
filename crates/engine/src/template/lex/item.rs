//! Lexical items: Go's `itemType` and `item`, and the text parse errors show for them.
use std::fmt;

use crate::gofmt::quote;

/// Go's `itemType`, in Go's order: keywords come after `Variable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemType {
    fn is_keyword(self) -> bool {
        self as u8 > ItemType::Variable as u8
    }

    pub(super) fn keyword(word: &str) -> Option<ItemType> {
        Some(match word {
            "." => ItemType::Dot,
            "block" => ItemType::Block,
            "break" => ItemType::Break,
            "continue" => ItemType::Continue,
            "define" => ItemType::Define,
            "else" => ItemType::Else,
            "end" => ItemType::End,
            "if" => ItemType::If,
            "range" => ItemType::Range,
            "nil" => ItemType::Nil,
            "template" => ItemType::Template,
            "with" => ItemType::With,
            _ => return None,
        })
    }
}

/// A token or text string returned from the scanner. It borrows its text from the input,
/// so the parser's lookahead copies it freely; an error item's message is the lexer's
/// (`Lexer::error`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'a> {
    pub typ: ItemType,
    /// Byte offset of the item in the input.
    pub pos: usize,
    pub val: &'a str,
    /// The line number at the start of this item.
    pub line: usize,
}

impl Item<'_> {
    pub(crate) fn eof(pos: usize, line: usize) -> Item<'static> {
        Item {
            typ: ItemType::Eof,
            pos,
            val: "EOF",
            line,
        }
    }
}

/// Go's `item.String()`, used in "unexpected ..." parse errors.
impl fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.typ {
            ItemType::Eof => f.write_str("EOF"),
            ItemType::Error => f.write_str(self.val),
            typ if typ.is_keyword() => write!(f, "<{}>", self.val),
            _ if self.val.len() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                write!(f, "{}...", quote(&head))
            }
            _ => f.write_str(&quote(self.val)),
        }
    }
}
