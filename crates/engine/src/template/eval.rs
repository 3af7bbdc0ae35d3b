//! Evaluation of pipelines, commands, fields, variables and arguments: the eval half of
//! Go's `exec.go`, with Go's argument conversion rules and error texts (calls are in
//! `call.rs`).
use std::sync::Arc;

use super::error::Error;
use super::exec::{MissingKey, State, uint_value};
use super::function::GoType;
use super::node::{
    ArgNode, ChainNode, CommandNode, FieldNode, Name, NodeRef, NumberNode, PipeNode, VariableNode,
    with_stack,
};
use super::reflect::{Val, validate_type, zero};
use crate::value::{IntKind, MapKind, Object, Value};

impl<'s> State<'s, '_> {
    /// Evaluates a pipeline; its declared variables are pushed (or assigned) and stay until
    /// the caller pops them.
    pub(crate) fn eval_pipeline(&mut self, dot: &Val, pipe: &'s PipeNode) -> Result<Val, Error> {
        self.at(NodeRef::Pipe(pipe));
        let value = match self.arena().get(pipe.cmds) {
            [cmd] => self.eval_command(dot, cmd, None)?.unboxed(),
            cmds => {
                let mut value = None;
                for cmd in cmds {
                    // The previous value is this command's final argument; an interface
                    // result is replaced by what it holds.
                    value = Some(self.eval_command(dot, cmd, value)?.unboxed());
                }
                value.unwrap_or(Val::MISSING)
            }
        };
        for variable in &pipe.decl {
            if pipe.is_assign {
                self.set_var(variable.sym, variable.name, value.clone())?;
            } else {
                self.vars.push((variable.sym, value.clone()));
            }
        }
        Ok(value)
    }

    /// A parenthesized pipeline: where expressions nest, so where the stack may need to grow.
    fn eval_nested_pipeline(&mut self, dot: &Val, pipe: &'s PipeNode) -> Result<Val, Error> {
        with_stack(|| self.eval_pipeline(dot, pipe))
    }

    fn eval_command(
        &mut self,
        dot: &Val,
        cmd: &'s CommandNode,
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        let args = self.arena().get(cmd.args);
        let Some(first) = args.first() else {
            return Ok(Val::MISSING);
        };
        match first {
            ArgNode::Field(field) => self.eval_field_node(dot, first, field, args, final_),
            ArgNode::Chain(chain) => self.eval_chain_node(dot, first, chain, args, final_),
            ArgNode::Identifier(id) => {
                let call_node = NodeRef::Command(cmd);
                self.eval_function(dot, first, id, call_node, &args[1..], final_)
            }
            ArgNode::Pipe(pipe) => {
                // Parenthesized: the arguments are all inside; a final value cannot be.
                self.not_a_function(args, &final_)?;
                self.eval_nested_pipeline(dot, pipe)
            }
            ArgNode::Variable(var) => self.eval_variable_node(dot, first, var, args, final_),
            ArgNode::Bool(b) => {
                self.literal_command(first, args, &final_)?;
                Ok(Val::concrete(Value::Bool(b.value)))
            }
            ArgNode::Dot(_) => {
                self.literal_command(first, args, &final_)?;
                Ok(dot.clone())
            }
            ArgNode::Nil(_) => {
                self.literal_command(first, args, &final_)?;
                Err(self.errorf("nil is not a command", &[]))
            }
            ArgNode::Number(number) => {
                self.literal_command(first, args, &final_)?;
                self.ideal_constant(first, number)
            }
            ArgNode::String(s) => {
                self.literal_command(first, args, &final_)?;
                Ok(Val::concrete(s.text.clone()))
            }
        }
    }

    fn literal_command(
        &mut self,
        first: &'s ArgNode,
        args: &'s [ArgNode],
        final_: &Option<Val>,
    ) -> Result<(), Error> {
        self.at(NodeRef::Arg(first));
        self.not_a_function(args, final_)
    }

    fn not_a_function(&self, args: &[ArgNode], final_: &Option<Val>) -> Result<(), Error> {
        if args.len() > 1 || final_.is_some() {
            let first = args
                .first()
                .map(|a| NodeRef::Arg(a).describe(self.tree.source()))
                .unwrap_or_default();
            let format = "can't give argument to non-function %s";
            return Err(self.errorf(format, &[first.into()]));
        }
        Ok(())
    }

    /// A number where its type is unknown: its syntax decides, by Go's rules.
    fn ideal_constant(&mut self, node: &'s ArgNode, constant: &NumberNode) -> Result<Val, Error> {
        self.at(NodeRef::Arg(node));
        let (n, text) = (&constant.number, constant.text.of(self.src()));
        if n.is_complex {
            let (re, im) = n.complex128;
            return Ok(Val::concrete(Value::Complex(re, im)));
        }
        let is_hex_int = text.len() > 2
            && text.starts_with('0')
            && matches!(text.as_bytes()[1], b'x' | b'X')
            && !text.contains(['p', 'P']);
        let is_rune = text.starts_with('\'');
        if n.is_float && !is_hex_int && !is_rune && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Val::concrete(Value::Float(n.float64)));
        }
        if n.is_int {
            return Ok(Val::concrete(Value::int(n.int64)));
        }
        if n.is_uint {
            return Err(self.errorf("%s overflows int", &[text.into()]));
        }
        Ok(Val::MISSING)
    }

    fn eval_field_node(
        &mut self,
        dot: &Val,
        node: &'s ArgNode,
        field: &'s FieldNode,
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        self.at(NodeRef::Arg(node));
        let fields = self.arena().get(field.ident);
        self.eval_field_chain(dot, dot, NodeRef::Arg(node), fields, args, final_)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Val,
        node: &'s ArgNode,
        chain: &'s ChainNode,
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        self.at(NodeRef::Arg(node));
        // (pipe).Field1.Field2: evaluate the term, then walk the fields.
        let receiver = self.eval_arg(dot, None, &chain.node)?;
        self.eval_field_chain(
            dot,
            &receiver,
            NodeRef::Arg(node),
            self.arena().get(chain.field),
            args,
            final_,
        )
    }

    fn eval_variable_node(
        &mut self,
        dot: &Val,
        node: &'s ArgNode,
        variable: &'s VariableNode,
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        self.at(NodeRef::Arg(node));
        let fields = self.arena().get(variable.fields);
        if fields.is_empty() {
            self.not_a_function(args, &final_)?;
            return self.var_value(variable.sym, variable.name);
        }
        // The variable is read in place: only the value its fields reach is cloned.
        let plain = plain_fields(fields, args, &final_);
        let variable = self.var_ref(variable.sym, variable.name)?;
        let (reached, consumed) = follow_present_keys(variable, &fields[..plain], self.src());
        self.finish_field_chain(
            dot,
            reached,
            consumed,
            NodeRef::Arg(node),
            fields,
            args,
            final_,
        )
    }

    /// `.X.Y.Z` on `receiver`; only the last field gets the arguments. `dot` is where the
    /// arguments are evaluated.
    fn eval_field_chain(
        &mut self,
        dot: &Val,
        receiver: &Val,
        node: NodeRef<'s>,
        ident: &'s [Name],
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        let plain = plain_fields(ident, args, &final_);
        let (reached, consumed) = follow_present_keys(receiver, &ident[..plain], self.src());
        self.finish_field_chain(dot, reached, consumed, node, ident, args, final_)
    }

    /// The fields of a chain after the first `consumed`, which reached `receiver`.
    #[allow(clippy::too_many_arguments)]
    fn finish_field_chain(
        &mut self,
        dot: &Val,
        mut receiver: Val,
        consumed: usize,
        node: NodeRef<'s>,
        ident: &'s [Name],
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        let Some((last, init)) = ident[consumed..].split_last() else {
            return Ok(receiver);
        };
        let src = self.src();
        for name in init {
            receiver = self.eval_field(dot, name.of(src), node, &[], None, receiver)?;
        }
        self.eval_field(dot, last.of(src), node, args, final_, receiver)
    }

    /// `.Field` or `.Method args` on `receiver`: a map key, or a host object's field or
    /// method.
    fn eval_field(
        &mut self,
        dot: &Val,
        name: &'s str,
        node: NodeRef<'s>,
        args: &'s [ArgNode],
        final_: Option<Val>,
        receiver: Val,
    ) -> Result<Val, Error> {
        if !receiver.is_valid() {
            if self.set.missing_key == MissingKey::Error {
                // An invalid receiver is treated as a missing map key.
                return Err(self.errorf("nil data; no entry for key %q", &[name.into()]));
            }
            return Ok(Val::MISSING);
        }
        // The static type, for errors: `interface {}` unless the value is concrete.
        let concrete_type = !receiver.is_boxed();
        let (receiver, is_nil) = receiver.indirect();
        let typ = || match &receiver.value {
            value if concrete_type && !is_nil => value.type_name(),
            _ => "interface {}",
        };
        if is_nil {
            let args = [typ().into(), name.into()];
            return Err(self.errorf("nil pointer evaluating %s.%s", &args));
        }
        let has_args = args.len() > 1 || final_.is_some();
        match &receiver.value {
            Value::Object(object) if object.is_method(name) => {
                let object = object.clone();
                let typ = typ().to_owned();
                return self.eval_method(dot, &object, name, node, args, final_, &typ);
            }
            Value::Map(map) => {
                if has_args {
                    let format = "%s is not a method but has arguments";
                    return Err(self.errorf(format, &[name.into()]));
                }
                // The elements of a map[string]string are strings, not interfaces.
                let typed = map.kind() == MapKind::String;
                return match map.get(name) {
                    Some(value) if typed => Ok(Val::concrete(value)),
                    Some(value) => Ok(Val::boxed(value.clone())),
                    None => match self.set.missing_key {
                        MissingKey::Default => Ok(Val::MISSING),
                        MissingKey::Zero if typed => Ok(Val::concrete(Value::from(""))),
                        MissingKey::Zero => Ok(zero(GoType::Interface)),
                        MissingKey::Error => {
                            Err(self.errorf("map has no entry for key %q", &[name.into()]))
                        }
                    },
                };
            }
            Value::Object(object) => match object.member(name, &[]) {
                Some(Ok(value)) => {
                    if has_args {
                        let format = "%s has arguments but cannot be invoked as function";
                        return Err(self.errorf(format, &[name.into()]));
                    }
                    return Ok(Val::concrete(value));
                }
                Some(Err(message)) => return Err(self.errorf("%v", &[message.into()])),
                None => {}
            },
            _ => {}
        }
        let args = [name.into(), typ().into()];
        Err(self.errorf("can't evaluate field %s in type %s", &args))
    }

    /// Calls a host object's method with the command's arguments (any values) and the
    /// pipeline's final value.
    #[allow(clippy::too_many_arguments)]
    fn eval_method(
        &mut self,
        dot: &Val,
        object: &Arc<dyn Object>,
        name: &'s str,
        node: NodeRef<'s>,
        args: &'s [ArgNode],
        final_: Option<Val>,
        typ: &str,
    ) -> Result<Val, Error> {
        let mut argv = Vec::with_capacity(args.len());
        for arg in args.get(1..).unwrap_or_default() {
            argv.push(self.eval_arg(dot, Some(GoType::Interface), arg)?.value);
        }
        if let Some(final_) = final_ {
            argv.push(self.validate(final_, Some(GoType::Interface))?.value);
        }
        match object.member(name, &argv) {
            Some(Ok(value)) => Ok(Val::concrete(value)),
            Some(Err(message)) => {
                self.at(node);
                Err(self.errorf("error calling %s: %w", &[name.into(), message.into()]))
            }
            None => {
                let args = [name.into(), typ.into()];
                Err(self.errorf("can't evaluate field %s in type %s", &args))
            }
        }
    }

    pub(crate) fn validate(&self, val: Val, typ: Option<GoType>) -> Result<Val, Error> {
        validate_type(val, typ).map_err(|(format, args)| self.errorf(format, &args))
    }

    /// Evaluates an argument for a parameter of type `typ` (`None`: untyped); literals
    /// become the parameter's type.
    pub(crate) fn eval_arg(
        &mut self,
        dot: &Val,
        typ: Option<GoType>,
        n: &'s ArgNode,
    ) -> Result<Val, Error> {
        self.at(NodeRef::Arg(n));
        let val = match n {
            ArgNode::Dot(_) => dot.clone(),
            ArgNode::Nil(_) => {
                return match typ {
                    Some(t) if !t.can_be_nil() => {
                        Err(self.errorf("cannot assign nil to %s", &[t.to_string().into()]))
                    }
                    Some(t) => Ok(zero(t)),
                    None => Ok(Val::MISSING),
                };
            }
            ArgNode::Field(field) => {
                self.eval_field_node(dot, n, field, std::slice::from_ref(n), None)?
            }
            ArgNode::Variable(variable) => self.eval_variable_node(dot, n, variable, &[], None)?,
            ArgNode::Pipe(pipe) => self.eval_nested_pipeline(dot, pipe)?,
            ArgNode::Identifier(id) => {
                self.eval_function(dot, n, id, NodeRef::Arg(n), &[], None)?
            }
            ArgNode::Chain(chain) => self.eval_chain_node(dot, n, chain, &[], None)?,
            ArgNode::Bool(_) | ArgNode::Number(_) | ArgNode::String(_) => {
                return self.eval_literal(n, typ);
            }
        };
        self.validate(val, typ)
    }

    /// A literal argument converted to the parameter's type, as Go's `evalBool`,
    /// `evalInteger`, `evalString`... do.
    fn eval_literal(&mut self, n: &'s ArgNode, typ: Option<GoType>) -> Result<Val, Error> {
        let value = match (typ, n) {
            (None | Some(GoType::Interface | GoType::Reflect), ArgNode::Number(number)) => {
                return self.ideal_constant(n, number);
            }
            (None | Some(GoType::Interface | GoType::Reflect | GoType::Bool), ArgNode::Bool(b)) => {
                Value::Bool(b.value)
            }
            (
                None | Some(GoType::Interface | GoType::Reflect | GoType::String),
                ArgNode::String(s),
            ) => s.text.clone(),
            (Some(GoType::Float64), ArgNode::Number(number)) if number.number.is_float => {
                Value::Float(number.number.float64)
            }
            (Some(GoType::Int(kind)), ArgNode::Number(number)) if kind.is_unsigned() => {
                if !number.number.is_uint {
                    let found = NodeRef::Arg(n).describe(self.tree.source());
                    let format = "expected unsigned integer; found %s";
                    return Err(self.errorf(format, &[found.into()]));
                }
                uint_value(truncate_uint(number.number.uint64, kind), kind)
            }
            (Some(GoType::Int(kind)), ArgNode::Number(number)) if number.number.is_int => {
                Value::Int(truncate_int(number.number.int64, kind), kind)
            }
            (Some(typ), _) => return Err(self.literal_mismatch(n, typ)),
            (None, _) => Value::Missing,
        };
        Ok(Val::concrete(value))
    }

    fn literal_mismatch(&self, n: &'s ArgNode, typ: GoType) -> Error {
        let found = Value::from(NodeRef::Arg(n).describe(self.tree.source()));
        let format = match typ {
            GoType::Bool => "expected bool; found %s",
            GoType::Float64 => "expected float; found %s",
            GoType::Int(kind) if kind.is_unsigned() => "expected unsigned integer; found %s",
            GoType::Int(_) => "expected integer; found %s",
            GoType::String => "expected string; found %s",
            _ => {
                let args = [found, typ.to_string().into()];
                return self.errorf("can't handle %s for arg of type %s", &args);
            }
        };
        self.errorf(format, &[found])
    }
}

/// How many fields of a chain can be followed as plain map keys: all but the last, when
/// the last gets arguments (a method call, or an error for a map key).
fn plain_fields(fields: &[Name], args: &[ArgNode], final_: &Option<Val>) -> usize {
    let has_args = args.len() > 1 || final_.is_some();
    if has_args {
        fields.len().saturating_sub(1)
    } else {
        fields.len()
    }
}

/// Follows `fields` through maps while each key is present, as `eval_field` would, and
/// returns the value reached (boxed when it came out of a map) and how many fields it took.
fn follow_present_keys(receiver: &Val, fields: &[Name], src: &str) -> (Val, usize) {
    let mut reached = None;
    let mut consumed = 0;
    loop {
        let current = reached.as_ref().unwrap_or(&receiver.value);
        let Some(map) = current.as_map_ref() else {
            break;
        };
        let Some((value, taken)) = map.follow(&fields[consumed..], |name| name.of(src)) else {
            break;
        };
        reached = Some(value);
        consumed += taken;
    }
    match reached {
        Some(value) => (Val::boxed(value), consumed),
        None => (receiver.clone(), 0),
    }
}

/// Stores a signed integer in a `kind` variable, as Go's `reflect.Value.SetInt` does.
fn truncate_int(i: i64, kind: IntKind) -> i64 {
    match kind {
        IntKind::Int8 => i64::from(i as i8),
        IntKind::Int16 => i64::from(i as i16),
        IntKind::Int32 => i64::from(i as i32),
        _ => i,
    }
}

/// Stores an unsigned integer in a `kind` variable, as Go's `reflect.Value.SetUint` does.
fn truncate_uint(u: u64, kind: IntKind) -> u64 {
    match kind {
        IntKind::Uint8 => u64::from(u as u8),
        IntKind::Uint16 => u64::from(u as u16),
        IntKind::Uint32 => u64::from(u as u32),
        _ => u,
    }
}
