//! The executor's fast paths for the commonest actions: a lone operand printed or tested
//! by `if` (`{{ .Values.name }}`, `{{ if $x.enabled }}`, `{{ . }}`) is read where it is,
//! inside its maps, rather than copied out; a call of `print`, `printf` or `println` whose
//! result is printed writes straight to the output. Each returns that it did not apply
//! when the general path is needed, which then does the whole work (and reports errors).
use super::error::Error;
use super::exec::{MissingKey, State};
use super::function::Imp;
use super::node::{ArgNode, NodeRef, PipeNode};
use super::reflect::{Val, is_true};
use crate::gofmt::append_value;
use crate::value::Value;

impl<'s> State<'s, '_> {
    /// Prints the value of a lone operand (`{{ .a.b }}`, `{{ $x.a }}`, `{{ $x }}`, `{{ . }}`)
    /// that is a string, number or bool where it is, without copying it out: most actions
    /// are such. False when the operand needs the general path.
    pub(crate) fn print_in_place(&mut self, dot: &Val, pipe: &'s PipeNode) -> Result<bool, Error> {
        let mut out = std::mem::take(&mut self.out);
        let printed = self.inspect_chain(dot, pipe, |value| match value? {
            scalar @ (Value::String(_)
            | Value::Bool(_)
            | Value::Int(..)
            | Value::Uint(_)
            | Value::Float(_)) => {
                append_value(&mut out, scalar);
                Some(())
            }
            _ => None,
        });
        self.out = out;
        if self.out.len() > self.set.max_output {
            return Err(self.output_exceeded());
        }
        Ok(printed.is_some())
    }

    /// Whether an `if` on a lone operand is taken, decided in place (see
    /// `print_in_place`); `None` when it needs the general path, as `with` always does.
    pub(crate) fn truth_in_place(
        &self,
        is_with: bool,
        dot: &Val,
        pipe: &'s PipeNode,
    ) -> Option<bool> {
        if is_with {
            return None;
        }
        let missing_is_false = self.set.missing_key != MissingKey::Error;
        self.inspect_chain(dot, pipe, |value| match value {
            // A missing last key is the invalid value, or a zero value: false either way.
            None => missing_is_false.then_some(false),
            // A map's emptiness is behind its lock, and an object's truth is its own.
            Some(Value::Map(_) | Value::Object(_)) => None,
            Some(value) => Some(is_true(value)),
        })
    }

    /// Writes the result of a pipeline that is one call of the builtin `print`, `printf`
    /// or `println` straight to the output, without making a string value of it. False
    /// when the pipeline is not such a call.
    pub(crate) fn print_call_in_place(
        &mut self,
        dot: &Val,
        pipe: &'s PipeNode,
    ) -> Result<bool, Error> {
        let arena = self.arena();
        let [cmd] = arena.get(pipe.cmds) else {
            return Ok(false);
        };
        let args = arena.get(cmd.args);
        let Some(first @ ArgNode::Identifier(id)) = args.first() else {
            return Ok(false);
        };
        let Some(function) = self.set.funcs.slot(id.func) else {
            return Ok(false);
        };
        let Imp::Builtin(builtin) = function.imp() else {
            return Ok(false);
        };
        if !builtin.prints() || !pipe.decl.is_empty() {
            return Ok(false);
        }
        let builtin = *builtin;
        self.at(NodeRef::Arg(first));
        let name = id.ident.of(self.src());
        let num_fixed = self.check_arity(function, name, args.len() - 1, false)?;
        let base = self.push_args(dot, function.signature(), num_fixed, &args[1..], None)?;
        let mut buf = std::mem::take(&mut self.print_buf);
        builtin.print(&self.args[base..], &mut self.values, &mut buf);
        self.args.truncate(base);
        let written = match std::str::from_utf8(&buf) {
            Ok(text) => self.write(text),
            // Go writes the bytes; the output is text, so they become U+FFFD as when a
            // string of them is printed.
            Err(_) => self.write(&String::from_utf8_lossy(&buf)),
        };
        self.print_buf = buf;
        written.map(|()| true)
    }

    /// Runs `look` on the value of a pipeline that is dot, a variable, or one field chain
    /// on either, without arguments or declarations, in place (see `MapRef::inspect`).
    /// `None` when the pipeline is not such an operand or needs the general path.
    fn inspect_chain<R>(
        &self,
        dot: &Val,
        pipe: &'s PipeNode,
        look: impl FnOnce(Option<&Value>) -> Option<R>,
    ) -> Option<R> {
        let arena = self.arena();
        let [cmd] = arena.get(pipe.cmds) else {
            return None;
        };
        if !pipe.decl.is_empty() {
            return None;
        }
        let [arg] = arena.get(cmd.args) else {
            return None;
        };
        let (receiver, fields) = match arg {
            ArgNode::Dot(_) => return look(Some(&dot.value)),
            ArgNode::Field(field) => (dot, arena.get(field.ident)),
            ArgNode::Variable(variable) => {
                let receiver = self.var_ref(variable.sym, variable.name).ok()?;
                if variable.fields.is_empty() {
                    return look(Some(&receiver.value));
                }
                (receiver, arena.get(variable.fields))
            }
            _ => return None,
        };
        let src = self.src();
        let map = receiver.value.as_map_ref()?;
        map.inspect(fields, |name| name.of(src), look)
    }
}
