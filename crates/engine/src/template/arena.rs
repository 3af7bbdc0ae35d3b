//! Where a parse keeps its nodes: one vector per kind for a whole text, which lists,
//! pipelines, commands and field chains refer to by position. A parse makes a few growing
//! allocations instead of one per node, and a set drops its trees without recursion.
use std::fmt;
use std::marker::PhantomData;

use super::node::{ArgNode, CommandNode, Name, Node};

/// A run of `len` items of kind `T` from `start` in an [`Arena`].
pub(crate) struct Seq<T> {
    start: u32,
    len: u32,
    of: PhantomData<fn() -> T>,
}

impl<T> Seq<T> {
    pub(crate) const EMPTY: Seq<T> = Seq {
        start: 0,
        len: 0,
        of: PhantomData,
    };

    pub(crate) fn is_empty(self) -> bool {
        self.len == 0
    }
}

// Derives would require `T: Clone`, `T: Debug`...; a run is two numbers whatever it holds.
impl<T> Clone for Seq<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Seq<T> {}

impl<T> fmt::Debug for Seq<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..+{}", self.start, self.len)
    }
}

/// The nodes of one parse, by kind.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    nodes: Vec<Node>,
    cmds: Vec<CommandNode>,
    args: Vec<ArgNode>,
    names: Vec<Name>,
}

/// A kind of node an [`Arena`] holds.
pub(crate) trait Stored: Sized {
    fn column(arena: &Arena) -> &Vec<Self>;
    fn column_mut(arena: &mut Arena) -> &mut Vec<Self>;
}

impl Arena {
    /// An arena sized for a text of `actions` actions, by the shape of typical charts
    /// (text between actions, one command of one or two operands each), so that it rarely
    /// grows while the text is parsed.
    pub(crate) fn for_actions(actions: usize) -> Arena {
        Arena {
            nodes: Vec::with_capacity(2 * actions),
            cmds: Vec::with_capacity(actions),
            args: Vec::with_capacity(actions + actions / 2),
            names: Vec::with_capacity(actions),
        }
    }

    /// The items of `seq`. A run always comes from this arena's parse, so it is in range.
    pub(crate) fn get<T: Stored>(&self, seq: Seq<T>) -> &[T] {
        let start = seq.start as usize;
        T::column(self)
            .get(start..start + seq.len as usize)
            .unwrap_or_default()
    }

    /// Moves `items` to the end of their kind's vector and returns where they now are.
    pub(crate) fn push<T: Stored>(&mut self, items: impl Iterator<Item = T>) -> Seq<T> {
        let column = T::column_mut(self);
        let start = column.len();
        column.extend(items);
        let bound = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Seq {
            start: bound(start),
            len: bound(column.len() - start),
            of: PhantomData,
        }
    }
}

macro_rules! stored {
    ($kind:ty, $column:ident) => {
        impl Stored for $kind {
            fn column(arena: &Arena) -> &Vec<Self> {
                &arena.$column
            }

            fn column_mut(arena: &mut Arena) -> &mut Vec<Self> {
                &mut arena.$column
            }
        }
    };
}

stored!(Node, nodes);
stored!(CommandNode, cmds);
stored!(ArgNode, args);
stored!(Name, names);

/// What the nodes of a tree refer to: the parsed text, which names are spans of, and the
/// arena their children are in.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub text: &'a str,
    pub arena: &'a Arena,
}
