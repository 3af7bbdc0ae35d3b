//! Sprig's `defaults.go` and flow control: `default`, `empty`, `coalesce`, `all`, `any`,
//! `ternary`, `fail`, and Helm's `required`.
use crate::value::Value;

use super::{Error, Result};

/// Sprig's `empty`: the zero value of its type (nil, false, 0, empty string, list or map).
/// Structs (host objects) are never empty.
pub fn empty(v: &Value) -> bool {
    match v {
        Value::Missing | Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i, _) => *i == 0,
        Value::Uint(u) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::Complex(re, im) => *re == 0.0 && *im == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) | Value::RawString(b) => b.is_empty(),
        Value::List(l, _) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Object(_) => false,
    }
}

/// `default D GIVEN...`: the first given value unless it is empty (or absent).
pub fn default(d: &Value, given: &[Value]) -> Value {
    match given.first() {
        Some(g) if !empty(g) => g.clone(),
        _ => d.clone(),
    }
}

/// `coalesce V...`: the first non-empty value, or nil.
pub fn coalesce(values: &[Value]) -> Value {
    values
        .iter()
        .find(|v| !empty(v))
        .cloned()
        .unwrap_or(Value::Nil)
}

/// `all V...`: no value is empty.
pub fn all(values: &[Value]) -> bool {
    values.iter().all(|v| !empty(v))
}

/// `any V...`: some value is not empty.
pub fn any(values: &[Value]) -> bool {
    values.iter().any(|v| !empty(v))
}

/// `ternary TRUE FALSE COND`.
pub fn ternary(vt: &Value, vf: &Value, cond: bool) -> Value {
    if cond { vt.clone() } else { vf.clone() }
}

/// The markers Helm puts around the messages of `fail` and `required`; Helm's renderer
/// finds them in an execution error and reports only the message between them.
pub const HELM_ERR_START: &str = "HELM_ERR_START";
pub const HELM_ERR_END: &str = "HELM_ERR_END";

/// Helm's `warnWrap`.
fn warn_wrap(msg: &str) -> Error {
    Error::new(format!("{HELM_ERR_START}{msg}{HELM_ERR_END}"))
}

/// Helm's `fail MSG`: always an error with the (marked) message.
pub fn fail(msg: &str) -> Result<String> {
    Err(warn_wrap(msg))
}

/// Helm's `required MSG V`: the value, unless it is nil or an empty string.
pub fn required(msg: &str, v: &Value) -> Result<Value> {
    match v {
        Value::Missing | Value::Nil => Err(warn_wrap(msg)),
        Value::String(s) if s.is_empty() => Err(warn_wrap(msg)),
        _ => Ok(v.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_the_zero_value() {
        assert!(empty(&Value::Nil));
        assert!(empty(&Value::Float(0.0)));
        assert!(!empty(&Value::Float(f64::NAN)));
        assert!(empty(&Value::list(vec![])));
        assert!(!empty(&Value::from("0")));
    }

    #[test]
    fn required_rejects_nil_and_empty_strings_only() {
        assert!(required("m", &Value::Nil).is_err());
        assert!(required("m", &Value::from("")).is_err());
        assert!(required("m", &Value::int(0)).is_ok());
        assert_eq!(
            fail("boom").unwrap_err().message(),
            "HELM_ERR_STARTboomHELM_ERR_END"
        );
    }
}
