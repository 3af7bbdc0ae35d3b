//! Arguments of host objects' methods, checked with the messages Go's executor gives when
//! a template calls a method with the wrong number or type of arguments.
use crate::value::Value;

/// The message for a method called with the wrong number of arguments.
pub(crate) fn arity_error(method: &str, want: usize, got: usize) -> String {
    format!("wrong number of args for {method}: want {want} got {got}")
}

/// The single string argument of a method.
pub(crate) fn string_arg<'a>(method: &str, args: &'a [Value]) -> Result<&'a str, String> {
    match args {
        [Value::String(s)] => Ok(s),
        [other] => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
        _ => Err(arity_error(method, 1, args.len())),
    }
}

/// A method that takes no arguments.
pub(crate) fn no_args(method: &str, args: &[Value]) -> Result<(), String> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(arity_error(method, 0, args.len()))
    }
}
