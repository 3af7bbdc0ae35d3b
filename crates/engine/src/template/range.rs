//! `range` (Go's `walkRange`): over lists, maps in key order, integers and the collections
//! of host objects, with one or two variables, `else`, `break` and `continue`.
use super::error::Error;
use super::exec::{Flow, State, uint_value};
use super::node::{BranchNode, Node, NodeRef, with_stack};
use super::reflect::{Val, object_collection};
use crate::value::{IntKind, Value};

impl<'s> State<'s, '_> {
    pub(crate) fn walk_range(
        &mut self,
        dot: &Val,
        node: &'s Node,
        range: &'s BranchNode,
    ) -> Result<Flow, Error> {
        with_stack(|| {
            self.at(NodeRef::Node(node));
            let outer_mark = self.vars.len();
            let (val, _) = self.eval_pipeline(dot, &range.pipe)?.indirect();
            let ran = self.range_over(val, range)?;
            if !ran && let Some(else_list) = &range.else_list {
                self.walk_list(dot, else_list)?;
            }
            self.vars.truncate(outer_mark);
            Ok(Flow::Normal)
        })
    }

    /// Runs the body for each element; false when there was nothing to iterate.
    fn range_over(&mut self, val: Val, range: &'s BranchNode) -> Result<bool, Error> {
        // The body's own variables are popped after each iteration, down to here.
        let mark = self.vars.len();
        let (val, typed) = match object_collection(&val.value) {
            Some(data) => (Val::concrete(data), true),
            None => (val, false),
        };
        let two_vars = range.pipe.decl.len() > 1;
        match &val.value {
            Value::Int(n, kind) => {
                if two_vars {
                    return Err(self.cannot_iterate_two(&val));
                }
                let count = if kind.is_unsigned() {
                    *n as u64
                } else {
                    (*n).max(0) as u64
                };
                self.range_count(count, |i| Value::Int(i as i64, *kind), range, mark)
            }
            Value::Uint(n) => {
                if two_vars {
                    return Err(self.cannot_iterate_two(&val));
                }
                self.range_count(*n, |i| uint_value(i, IntKind::Uint64), range, mark)
            }
            Value::List(items, kind) => {
                for (i, item) in items.iter().enumerate() {
                    let index = Val::concrete(Value::int(i as i64));
                    let elem = Val::element(item.clone(), *kind);
                    if self.one_iteration(index, elem, range, mark)? == Flow::Break {
                        break;
                    }
                }
                Ok(!items.is_empty())
            }
            Value::Bytes(bytes) => {
                for (i, byte) in bytes.iter().enumerate() {
                    let index = Val::concrete(Value::int(i as i64));
                    let elem = Val::concrete(Value::Int(i64::from(*byte), IntKind::Uint8));
                    if self.one_iteration(index, elem, range, mark)? == Flow::Break {
                        break;
                    }
                }
                Ok(!bytes.is_empty())
            }
            Value::Map(map) => {
                for (key, item) in map.snapshot().iter() {
                    let index = if two_vars {
                        Val::concrete(Value::from(key.as_str()))
                    } else {
                        Val::MISSING
                    };
                    let elem = Val::new(item.clone(), !typed);
                    if self.one_iteration(index, elem, range, mark)? == Flow::Break {
                        break;
                    }
                }
                Ok(!map.is_empty())
            }
            // An invalid value is likely a nil map and acts like an empty one.
            Value::Missing | Value::Nil => Ok(false),
            _ => Err(self.errorf(
                "range can't iterate over %v",
                std::slice::from_ref(&val.value),
            )),
        }
    }

    fn cannot_iterate_two(&self, val: &Val) -> Error {
        self.errorf(
            "can't use %v to iterate over more than one variable",
            std::slice::from_ref(&val.value),
        )
    }

    /// Ranges over `0..count`, each element made by `elem`.
    fn range_count(
        &mut self,
        count: u64,
        elem: impl Fn(u64) -> Value,
        range: &'s BranchNode,
        mark: usize,
    ) -> Result<bool, Error> {
        for i in 0..count {
            let flow = self.one_iteration(Val::MISSING, Val::concrete(elem(i)), range, mark)?;
            if flow == Flow::Break {
                break;
            }
        }
        Ok(count > 0)
    }

    /// Sets the range variables, runs the body with the element as dot, and pops the
    /// body's variables.
    fn one_iteration(
        &mut self,
        index: Val,
        elem: Val,
        range: &'s BranchNode,
        mark: usize,
    ) -> Result<Flow, Error> {
        let decl = &range.pipe.decl;
        if let Some(first) = decl.first() {
            if range.pipe.is_assign {
                // With two variables the index comes first; with one, the element.
                let value = if decl.len() > 1 { &index } else { &elem };
                self.set_var(first.sym, first.name, value.clone())?;
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if let Some(second) = decl.get(1) {
            if range.pipe.is_assign {
                self.set_var(second.sym, second.name, elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let flow = self.walk_list(&elem, &range.list)?;
        self.vars.truncate(mark);
        Ok(flow)
    }

    /// Overwrites the n-th variable from the top of the stack (range iterations).
    fn set_top_var(&mut self, n: usize, val: Val) {
        let top = self.vars.len().checked_sub(n);
        if let Some(slot) = top.and_then(|i| self.vars.get_mut(i)) {
            slot.1 = val;
        }
    }
}
