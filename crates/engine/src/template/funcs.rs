//! text/template's builtin functions (Go's `funcs.go`): and, or, not, len, index, slice,
//! print, printf, println, html, js, urlquery, call and the comparisons. They work on Go's
//! reflection view of their arguments ([`Val`]), so missing values and nil interfaces
//! behave and fail as in Go.
use super::compare;
use super::error::FuncError;
use super::escape::{eval_args, html_escape, js_escape, url_query_escape};
use super::function::{GoType, Signature};
use super::reflect::{Val, object_collection, truth};
use crate::gofmt::sprint_to_buffer;
use crate::value::{IntKind, MapKind, Value};

/// One of text/template's builtins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Call,
    Html,
    Index,
    Slice,
    Js,
    Len,
    Not,
    Or,
    Print,
    Printf,
    Println,
    UrlQuery,
    Eq,
    Ge,
    Gt,
    Le,
    Lt,
    Ne,
}

/// Go's message when a builtin's reflection reads the type of the invalid value.
const ZERO_VALUE_TYPE: &str = "reflect: call of reflect.Value.Type on zero Value";

impl Builtin {
    pub(crate) const ALL: [Builtin; 19] = [
        Builtin::And,
        Builtin::Call,
        Builtin::Html,
        Builtin::Index,
        Builtin::Slice,
        Builtin::Js,
        Builtin::Len,
        Builtin::Not,
        Builtin::Or,
        Builtin::Print,
        Builtin::Printf,
        Builtin::Println,
        Builtin::UrlQuery,
        Builtin::Eq,
        Builtin::Ge,
        Builtin::Gt,
        Builtin::Le,
        Builtin::Lt,
        Builtin::Ne,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Builtin::And => "and",
            Builtin::Call => "call",
            Builtin::Html => "html",
            Builtin::Index => "index",
            Builtin::Slice => "slice",
            Builtin::Js => "js",
            Builtin::Len => "len",
            Builtin::Not => "not",
            Builtin::Or => "or",
            Builtin::Print => "print",
            Builtin::Printf => "printf",
            Builtin::Println => "println",
            Builtin::UrlQuery => "urlquery",
            Builtin::Eq => "eq",
            Builtin::Ge => "ge",
            Builtin::Gt => "gt",
            Builtin::Le => "le",
            Builtin::Lt => "lt",
            Builtin::Ne => "ne",
        }
    }

    /// The Go signature of the builtin.
    pub(crate) fn signature(self) -> Signature {
        let reflect = GoType::Reflect;
        match self {
            Builtin::And | Builtin::Or | Builtin::Call | Builtin::Index | Builtin::Slice => {
                Signature::new([reflect]).variadic(reflect).returns(reflect)
            }
            Builtin::Html | Builtin::Js | Builtin::UrlQuery | Builtin::Print | Builtin::Println => {
                Signature::new([])
                    .variadic(GoType::Interface)
                    .returns(GoType::String)
            }
            Builtin::Printf => Signature::new([GoType::String])
                .variadic(GoType::Interface)
                .returns(GoType::String),
            Builtin::Len => Signature::new([reflect]).returns(GoType::Int(IntKind::Int)),
            Builtin::Not => Signature::new([reflect]).returns(GoType::Bool),
            Builtin::Eq => Signature::new([reflect])
                .variadic(reflect)
                .returns(GoType::Bool),
            Builtin::Ge | Builtin::Gt | Builtin::Le | Builtin::Lt | Builtin::Ne => {
                Signature::new([reflect, reflect]).returns(GoType::Bool)
            }
        }
    }

    /// Whether `val` settles `and`/`or`: the first false value for `and`, the first true
    /// one for `or`.
    pub(crate) fn decides(self, val: &Val) -> bool {
        truth(val) == (self == Builtin::Or)
    }

    /// Runs the builtin on arguments converted to its signature. `callee` is the text of
    /// the first argument, which only `call` uses; `scratch` lends room for plain values.
    pub(crate) fn call(
        self,
        callee: &str,
        args: &[Val],
        scratch: &mut Vec<Value>,
    ) -> Result<Val, FuncError> {
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::MISSING);
        let rest = args.get(1..).unwrap_or_default();
        let bool_val = |b: bool| Val::concrete(Value::Bool(b));
        Ok(match self {
            Builtin::And | Builtin::Or => {
                let decided = args.iter().find(|val| self.decides(val));
                decided.or(args.last()).cloned().unwrap_or(Val::MISSING)
            }
            Builtin::Call => return call(callee, arg(0)),
            Builtin::Not => bool_val(!args.first().is_some_and(truth)),
            Builtin::Len => Val::concrete(Value::int(length(arg(0))?)),
            Builtin::Index => index(arg(0), rest)?,
            Builtin::Slice => slice(arg(0), rest)?,
            Builtin::Print | Builtin::Printf | Builtin::Println => {
                let mut buf = Vec::new();
                self.print(args, scratch, &mut buf);
                Val::concrete(Value::from_go_bytes(buf))
            }
            Builtin::Html => string_val(html_escape(&with_plain_values(scratch, args, eval_args))),
            Builtin::Js => string_val(js_escape(&with_plain_values(scratch, args, eval_args))),
            Builtin::UrlQuery => string_val(url_query_escape(&with_plain_values(
                scratch, args, eval_args,
            ))),
            Builtin::Eq => bool_val(compare::eq(arg(0), rest)?),
            Builtin::Ne => bool_val(compare::ne(arg(0), arg(1))?),
            Builtin::Lt => bool_val(compare::lt(arg(0), arg(1))?),
            Builtin::Le => bool_val(compare::le(arg(0), arg(1))?),
            Builtin::Gt => bool_val(compare::gt(arg(0), arg(1))?),
            Builtin::Ge => bool_val(compare::ge(arg(0), arg(1))?),
        })
    }
}

impl Builtin {
    /// Whether this is `print`, `printf` or `println`, whose result is formatted text.
    pub(crate) fn prints(self) -> bool {
        matches!(self, Builtin::Print | Builtin::Printf | Builtin::Println)
    }

    /// What `print`, `printf` or `println` return, as the bytes of a Go string, written
    /// into `buf` in place of what it held.
    pub(crate) fn print(self, args: &[Val], scratch: &mut Vec<Value>, buf: &mut Vec<u8>) {
        let (format, args) = match (self, args.split_first()) {
            (Builtin::Printf, Some((format, rest))) => {
                (Some(format.value.as_str().unwrap_or_default()), rest)
            }
            (Builtin::Printf, None) => (Some(""), args),
            _ => (None, args),
        };
        let newline = self == Builtin::Println;
        with_plain_values(scratch, args, |values| {
            sprint_to_buffer(buf, format, newline, values);
        });
    }
}

/// Runs `f` on `...interface {}` arguments as plain values (a nil interface is Go's nil),
/// laid out in `scratch`.
fn with_plain_values<R>(
    scratch: &mut Vec<Value>,
    args: &[Val],
    f: impl FnOnce(&[Value]) -> R,
) -> R {
    let start = scratch.len();
    scratch.extend(args.iter().map(|val| match &val.value {
        Value::Missing => Value::Nil,
        value => value.clone(),
    }));
    let result = f(&scratch[start..]);
    scratch.truncate(start);
    result
}

fn string_val(s: String) -> Val {
    Val::concrete(Value::from(s))
}

/// `call fn args...`: template data holds no Go functions, so this reports what Go reports
/// for a non-function (or nil) first argument.
fn call(callee: &str, function: Val) -> Result<Val, FuncError> {
    let function = function.unboxed();
    if !function.is_valid() {
        return Err(FuncError::new("call of nil"));
    }
    Err(FuncError::new(format!(
        "non-function {callee} of type {}",
        function.static_type()
    )))
}

/// `len x`.
fn length(item: Val) -> Result<i64, FuncError> {
    let (item, is_nil) = item.indirect();
    if is_nil {
        return Err(FuncError::new("len of nil pointer"));
    }
    let item = object_collection(&item.value).map_or(item, Val::concrete);
    let len = match &item.value {
        Value::String(s) => s.len(),
        Value::Bytes(b) | Value::RawString(b) => b.len(),
        Value::List(l, _) => l.len(),
        Value::Map(m) => m.len(),
        Value::Missing => return Err(FuncError::new(ZERO_VALUE_TYPE)),
        _ => {
            let message = format!("len of type {}", item.static_type());
            return Err(FuncError::new(message));
        }
    };
    Ok(i64::try_from(len).unwrap_or(i64::MAX))
}

/// Go's `indexArg`: an integer index in `0..=cap`. An index still boxed in an interface
/// is refused, as Go refuses it.
fn index_arg(index: &Val, cap: usize) -> Result<usize, FuncError> {
    let x = match &index.value {
        _ if index.is_boxed() => {
            let message = format!("cannot index slice/array with type {}", index.static_type());
            return Err(FuncError::new(message));
        }
        Value::Int(i, _) => *i,
        Value::Uint(u) => *u as i64,
        Value::Missing => return Err(FuncError::new("cannot index slice/array with nil")),
        _ => {
            let message = format!("cannot index slice/array with type {}", index.static_type());
            return Err(FuncError::new(message));
        }
    };
    match usize::try_from(x) {
        Ok(i) if i <= cap => Ok(i),
        _ => Err(FuncError::new(format!("index out of range: {x}"))),
    }
}

/// `index x i j...`: `x[i][j]...` over lists, strings, byte slices and maps.
fn index(item: Val, indexes: &[Val]) -> Result<Val, FuncError> {
    let mut item = item.unboxed();
    if !item.is_valid() {
        return Err(FuncError::new("index of untyped nil"));
    }
    for index in indexes {
        let index = index.clone().unboxed();
        let (current, is_nil) = item.indirect();
        if is_nil {
            return Err(FuncError::new("index of nil pointer"));
        }
        let (current, typed) = match object_collection(&current.value) {
            Some(data) => (Val::concrete(data), true),
            None => (current, false),
        };
        item = match &current.value {
            Value::List(list, kind) => {
                let x = index_arg(&index, list.len())?;
                let elem = list.get(x).ok_or("reflect: slice index out of range")?;
                Val::element(elem.clone(), *kind)
            }
            Value::Bytes(bytes) => {
                let x = index_arg(&index, bytes.len())?;
                let byte = bytes.get(x).ok_or("reflect: slice index out of range")?;
                Val::concrete(Value::Int(i64::from(*byte), IntKind::Uint8))
            }
            Value::RawString(bytes) => {
                let x = index_arg(&index, bytes.len())?;
                let byte = bytes.get(x).ok_or("reflect: string index out of range")?;
                Val::concrete(Value::Int(i64::from(*byte), IntKind::Uint8))
            }
            Value::String(s) => {
                let x = index_arg(&index, s.len())?;
                let byte = s
                    .as_bytes()
                    .get(x)
                    .ok_or("reflect: string index out of range")?;
                Val::concrete(Value::Int(i64::from(*byte), IntKind::Uint8))
            }
            Value::Map(map) => {
                let key = match &index.value {
                    Value::String(key) => key,
                    Value::Missing => {
                        return Err(FuncError::new("value is nil; should be of type string"));
                    }
                    _ => {
                        let message =
                            format!("value has type {}; should be string", index.static_type());
                        return Err(FuncError::new(message));
                    }
                };
                // A missing key reads as the zero value of the element type: a nil
                // interface, or "" in a map[string]string.
                if map.kind() == MapKind::String {
                    Val::concrete(map.get(key.as_ref()).unwrap_or_else(|| Value::from("")))
                } else {
                    let elem = map.get(key.as_ref()).unwrap_or(Value::Nil);
                    Val::new(elem, !typed)
                }
            }
            _ => {
                let message = format!("can't index item of type {}", current.static_type());
                return Err(FuncError::new(message));
            }
        };
    }
    Ok(item)
}

/// `slice x i j k`: `x[i:j:k]` over strings, lists and byte slices.
fn slice(item: Val, indexes: &[Val]) -> Result<Val, FuncError> {
    let item = item.unboxed();
    if !item.is_valid() {
        return Err(FuncError::new("slice of untyped nil"));
    }
    let (item, is_nil) = item.indirect();
    if is_nil {
        return Err(FuncError::new("slice of nil pointer"));
    }
    let item = object_collection(&item.value).map_or(item, Val::concrete);
    if indexes.len() > 3 {
        let message = format!("too many slice indexes: {}", indexes.len());
        return Err(FuncError::new(message));
    }
    let len = match &item.value {
        Value::String(_) | Value::RawString(_) => {
            if indexes.len() == 3 {
                return Err(FuncError::new("cannot 3-index slice a string"));
            }
            item.value.go_string_bytes().map_or(0, <[u8]>::len)
        }
        Value::List(l, _) => l.len(),
        Value::Bytes(b) => b.len(),
        _ => {
            let message = format!("can't slice item of type {}", item.static_type());
            return Err(FuncError::new(message));
        }
    };
    let mut idx = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(FuncError::new(format!(
            "invalid slice index: {} > {}",
            idx[0], idx[1]
        )));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(FuncError::new(format!(
            "invalid slice index: {} > {}",
            idx[1], idx[2]
        )));
    }
    let (from, to) = (idx[0], idx[1]);
    let value = match item.value {
        // Go slices bytes; a cut inside a character leaves a string that is not UTF-8.
        Value::String(_) | Value::RawString(_) => {
            let bytes = item.value.go_string_bytes().unwrap_or_default();
            Value::from_go_bytes(bytes.get(from..to).unwrap_or_default().to_vec())
        }
        Value::List(l, kind) => Value::List(l[from..to].to_vec().into(), kind),
        Value::Bytes(b) => Value::Bytes(b[from..to].into()),
        _ => Value::Missing,
    };
    Ok(Val::concrete(value))
}

#[cfg(test)]
#[path = "funcs_tests.rs"]
mod tests;
