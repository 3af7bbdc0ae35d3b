//! Function calls (Go's `evalCall`): argument counts, arguments converted to the
//! parameter types on the execution's argument stack, the short-circuit of `and` and `or`,
//! and the dispatch to text/template's builtins or to Rust functions.
use super::arena::Source;
use super::error::Error;
use super::exec::{Call, State};
use super::funcs::Builtin;
use super::function::{Function, GoType, Imp, Signature};
use super::node::{ArgNode, IdentifierNode, NodeRef};
use super::reflect::Val;
use crate::value::Value;

impl<'s> State<'s, '_> {
    pub(crate) fn eval_function(
        &mut self,
        dot: &Val,
        node: &'s ArgNode,
        id: &'s IdentifierNode,
        call_node: NodeRef<'s>,
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        self.at(NodeRef::Arg(node));
        let Some(function) = self.set.funcs.slot(id.func) else {
            let name = Value::from(id.ident.of(self.src()));
            return Err(self.errorf("%q is not a defined function", &[name]));
        };
        self.eval_call(
            dot,
            function,
            call_node,
            id.ident.of(self.src()),
            args,
            final_,
        )
    }

    /// Calls a function with the command's arguments, converted to its parameter types,
    /// and the pipeline's final value as the last argument.
    fn eval_call(
        &mut self,
        dot: &Val,
        function: &'s Function,
        node: NodeRef<'s>,
        name: &str,
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        let num_fixed = self.check_arity(function, name, args.len(), final_.is_some())?;
        if let Imp::Builtin(builtin @ (Builtin::And | Builtin::Or)) = function.imp() {
            return self.eval_and_or(*builtin, dot, args, final_);
        }
        let callee = match function.imp() {
            Imp::Builtin(Builtin::Call) => callee_name(args, final_.as_ref(), self.tree.source()),
            _ => String::new(),
        };
        let signature = function.signature();
        let base = self.push_args(dot, signature, num_fixed, args, final_)?;
        let result = match function.imp() {
            Imp::Builtin(builtin) => builtin.call(&callee, &self.args[base..], &mut self.values),
            Imp::Native(native) => {
                let start = self.values.len();
                let values = self.args.drain(base..).map(|val| val.value);
                self.values.extend(values);
                let mut call = Call::new(self.set, self.shared);
                let result = native(&mut call, &self.values[start..]);
                self.values.truncate(start);
                let boxed = signature.result() == GoType::Interface;
                result.map(|value| {
                    let boxed = boxed || matches!(value, Value::Nil);
                    Val::new(value, boxed)
                })
            }
        };
        self.args.truncate(base);
        result.map_err(|err| {
            self.at(node);
            let args = [name.into(), err.to_string().into()];
            self.errorf("error calling %s: %w", &args)
                .with_source(Box::new(err))
        })
    }

    /// Checks that `num_args` arguments, and the pipeline's final value when there is one,
    /// suit the function (Go's texts and counts), and returns how many of the arguments
    /// fill its fixed parameters.
    pub(crate) fn check_arity(
        &self,
        function: &Function,
        name: &str,
        num_args: usize,
        has_final: bool,
    ) -> Result<usize, Error> {
        let params = function.signature().params().len();
        let num_in = num_args + usize::from(has_final);
        if function.signature().variadic_elem().is_some() {
            if num_in < params {
                let args = [name.into(), count(params), count(num_args)];
                let format = "wrong number of args for %s: want at least %d got %d";
                return Err(self.errorf(format, &args));
            }
            Ok(params)
        } else {
            if num_in != params {
                let args = [name.into(), count(params), count(num_in)];
                let format = "wrong number of args for %s: want %d got %d";
                return Err(self.errorf(format, &args));
            }
            Ok(num_args)
        }
    }

    /// Evaluates a call's arguments, converted to the parameter types, onto the
    /// execution's argument stack (above those of enclosing calls), the pipeline's final
    /// value last. Returns where they start.
    pub(crate) fn push_args(
        &mut self,
        dot: &Val,
        signature: &Signature,
        num_fixed: usize,
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<usize, Error> {
        let params = signature.params();
        let num_in = args.len() + usize::from(final_.is_some());
        let base = self.args.len();
        let fixed = num_fixed.min(args.len());
        for (arg, typ) in args[..fixed].iter().zip(params) {
            let val = self.eval_arg(dot, Some(*typ), arg)?;
            self.args.push(val);
        }
        if let Some(elem) = signature.variadic_elem() {
            for arg in &args[fixed..] {
                let val = self.eval_arg(dot, Some(elem), arg)?;
                self.args.push(val);
            }
        }
        if let Some(final_) = final_ {
            let typ = match signature.variadic_elem() {
                // The final argument fills a fixed parameter, or joins the variadic ones.
                Some(elem) if num_in > num_fixed => elem,
                _ => params.get(num_in - 1).copied().unwrap_or(GoType::Interface),
            };
            let val = self.validate(final_, Some(typ))?;
            self.args.push(val);
        }
        Ok(base)
    }

    /// `and` and `or` evaluate their arguments in order and stop at the first that decides.
    fn eval_and_or(
        &mut self,
        builtin: Builtin,
        dot: &Val,
        args: &'s [ArgNode],
        final_: Option<Val>,
    ) -> Result<Val, Error> {
        let mut val = Val::MISSING;
        for arg in args {
            val = self.eval_arg(dot, Some(GoType::Reflect), arg)?;
            if builtin.decides(&val) {
                return Ok(val);
            }
        }
        if let Some(final_) = final_ {
            // Not short-circuited: the pipeline's value is the result.
            val = self.validate(final_, Some(GoType::Reflect))?;
        }
        Ok(val)
    }
}

/// What `call` names its callee: the first argument's text, or for a piped value, what
/// Go's `reflect.Value.String` shows.
fn callee_name(args: &[ArgNode], final_: Option<&Val>, src: Source<'_>) -> String {
    if let Some(first) = args.first() {
        return NodeRef::Arg(first).describe(src);
    }
    match final_.map(|val| &val.value) {
        Some(Value::String(s)) => s.to_string(),
        Some(Value::Missing) | None => "<invalid Value>".to_owned(),
        Some(_) => format!("<{} Value>", final_.map_or("", Val::static_type)),
    }
}

/// A count as a Go `int` operand of an error format.
fn count(n: usize) -> Value {
    Value::int(i64::try_from(n).unwrap_or(i64::MAX))
}
