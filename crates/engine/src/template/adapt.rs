//! Adapters that turn ordinary typed Rust functions into template functions, one line per
//! registration:
//!
//! ```
//! use helmsync_engine::template::{Call, FuncError, FuncMap, Variadic};
//! use helmsync_engine::Value;
//!
//! let mut funcs = FuncMap::builtins();
//! funcs.insert("upper", |s: &str| s.to_uppercase());
//! funcs.insert("repeat", |count: i64, s: &str| s.repeat(count.max(0) as usize));
//! funcs.insert("list", |items: &[Value]| Value::list(items.to_vec()));
//! funcs.insert("join", |sep: &str, parts: Variadic<&str>| parts.0.join(sep));
//! funcs.insert("fail", |msg: &str| -> Result<String, FuncError> { Err(msg.into()) });
//! funcs.insert("include", |call: &mut Call, name: &str, data: Value| call.include(name, &data));
//! ```
//!
//! Parameter types map to Go types: `&str`/`String` to `string`, `i64` to `int`, `f64` to
//! `float64`, `bool`, `Value`/`&Value` to `interface {}`, `&Map` to
//! `map[string]interface {}`, [`Items`] to `[]interface {}`. A last parameter `&[Value]` is
//! `...interface {}`, [`Variadic<T>`] is `...T`. A first parameter `&mut Call` gives access
//! to the engine. Results: any of those value types, or `Result<T, E>` for Go's
//! `(T, error)`.
use std::marker::PhantomData;
use std::sync::Arc;

use super::error::FuncError;
use super::exec::Call;
use super::function::{Function, GoType, IntoFunction, Signature};
use crate::value::{IntKind, ListKind, Map, Value};

/// A parameter type: its Go type and how a converted argument is read.
pub trait Arg {
    /// What the function receives, borrowing from the argument.
    type Item<'a>;
    const GO_TYPE: GoType;
    fn from_value(value: &Value) -> Result<Self::Item<'_>, FuncError>;
}

/// The trailing variadic parameter.
pub trait RestArg {
    type Item<'a>;
    const ELEM: GoType;
    fn from_values(values: &[Value]) -> Result<Self::Item<'_>, FuncError>;
}

/// A result type: its Go type and how it becomes a value or an error.
pub trait FuncResult {
    const GO_TYPE: GoType;
    fn into_result(self) -> Result<Value, FuncError>;
}

/// A `[]interface {}` parameter.
#[derive(Clone, Copy, Debug)]
pub struct Items<'a>(pub &'a [Value]);

/// A typed variadic parameter `...T`.
#[derive(Clone, Debug)]
pub struct Variadic<T>(pub Vec<T>);

fn mismatch(expected: GoType, got: &Value) -> FuncError {
    FuncError::new(format!(
        "wrong type for value; expected {expected}; got {}",
        got.type_name()
    ))
}

impl Arg for Value {
    type Item<'a> = Value;
    const GO_TYPE: GoType = GoType::Interface;
    fn from_value(value: &Value) -> Result<Value, FuncError> {
        Ok(value.clone())
    }
}

impl Arg for &'static Value {
    type Item<'a> = &'a Value;
    const GO_TYPE: GoType = GoType::Interface;
    fn from_value(value: &Value) -> Result<&Value, FuncError> {
        Ok(value)
    }
}

impl Arg for &'static str {
    type Item<'a> = &'a str;
    const GO_TYPE: GoType = GoType::String;
    fn from_value(value: &Value) -> Result<&str, FuncError> {
        value.as_str().ok_or_else(|| mismatch(Self::GO_TYPE, value))
    }
}

impl Arg for String {
    type Item<'a> = String;
    const GO_TYPE: GoType = GoType::String;
    fn from_value(value: &Value) -> Result<String, FuncError> {
        <&str>::from_value(value).map(str::to_owned)
    }
}

impl Arg for bool {
    type Item<'a> = bool;
    const GO_TYPE: GoType = GoType::Bool;
    fn from_value(value: &Value) -> Result<bool, FuncError> {
        match value {
            Value::Bool(b) => Ok(*b),
            _ => Err(mismatch(<Self as Arg>::GO_TYPE, value)),
        }
    }
}

impl Arg for i64 {
    type Item<'a> = i64;
    const GO_TYPE: GoType = GoType::Int(IntKind::Int);
    fn from_value(value: &Value) -> Result<i64, FuncError> {
        match value {
            Value::Int(i, IntKind::Int) => Ok(*i),
            _ => Err(mismatch(<Self as Arg>::GO_TYPE, value)),
        }
    }
}

impl Arg for f64 {
    type Item<'a> = f64;
    const GO_TYPE: GoType = GoType::Float64;
    fn from_value(value: &Value) -> Result<f64, FuncError> {
        match value {
            Value::Float(f) => Ok(*f),
            _ => Err(mismatch(<Self as Arg>::GO_TYPE, value)),
        }
    }
}

/// A map argument is a snapshot: functions that change a map in place take the `Value`.
impl Arg for Arc<Map> {
    type Item<'a> = Arc<Map>;
    const GO_TYPE: GoType = GoType::Map;
    fn from_value(value: &Value) -> Result<Arc<Map>, FuncError> {
        match value {
            Value::Map(m) => Ok(m.snapshot()),
            Value::Nil | Value::Missing => Ok(Arc::default()),
            _ => Err(mismatch(<Self as Arg>::GO_TYPE, value)),
        }
    }
}

impl Arg for Items<'static> {
    type Item<'a> = Items<'a>;
    const GO_TYPE: GoType = GoType::List(ListKind::Any);
    fn from_value(value: &Value) -> Result<Items<'_>, FuncError> {
        match value {
            Value::List(items, ListKind::Any) => Ok(Items(items)),
            Value::Nil | Value::Missing => Ok(Items(&[])),
            _ => Err(mismatch(<Self as Arg>::GO_TYPE, value)),
        }
    }
}

impl RestArg for &'static [Value] {
    type Item<'a> = &'a [Value];
    const ELEM: GoType = GoType::Interface;
    fn from_values(values: &[Value]) -> Result<&[Value], FuncError> {
        Ok(values)
    }
}

impl<T: Arg> RestArg for Variadic<T> {
    type Item<'a> = Variadic<T::Item<'a>>;
    const ELEM: GoType = T::GO_TYPE;
    fn from_values(values: &[Value]) -> Result<Self::Item<'_>, FuncError> {
        values
            .iter()
            .map(T::from_value)
            .collect::<Result<_, _>>()
            .map(Variadic)
    }
}

macro_rules! plain_results {
    ($($t:ty => $go:expr, $wrap:expr;)*) => {$(
        impl FuncResult for $t {
            const GO_TYPE: GoType = $go;
            fn into_result(self) -> Result<Value, FuncError> {
                let wrap: fn($t) -> Value = $wrap;
                Ok(wrap(self))
            }
        }
    )*};
}

plain_results! {
    Value => GoType::Interface, |v| v;
    String => GoType::String, Value::from;
    bool => GoType::Bool, Value::Bool;
    i64 => GoType::Int(IntKind::Int), Value::int;
    f64 => GoType::Float64, Value::Float;
    Vec<Value> => GoType::List(ListKind::Any), Value::list;
    Map => GoType::Map, Value::map;
}

impl<T: FuncResult, E: Into<FuncError>> FuncResult for Result<T, E> {
    const GO_TYPE: GoType = T::GO_TYPE;
    fn into_result(self) -> Result<Value, FuncError> {
        self.map_err(Into::into).and_then(T::into_result)
    }
}

/// Markers that keep the adapter shapes apart.
#[doc(hidden)]
pub struct Fixed<T>(PhantomData<T>);
#[doc(hidden)]
pub struct WithRest<T>(PhantomData<T>);
#[doc(hidden)]
pub struct WithCall<T>(PhantomData<T>);
#[doc(hidden)]
pub struct WithCallRest<T>(PhantomData<T>);

/// The argument after the converted ones; the executor checked the count.
fn arg(args: &[Value], i: usize) -> Result<&Value, FuncError> {
    args.get(i)
        .ok_or_else(|| FuncError::new(format!("missing argument {i}")))
}

macro_rules! adapters {
    ($($a:ident $i:tt),*) => {
        #[allow(non_snake_case)]
        impl<F, R, $($a: Arg),*> IntoFunction<Fixed<(R, $($a,)*)>> for F
        where
            F: Fn($($a),*) -> R + for<'a> Fn($($a::Item<'a>),*) -> R + Send + Sync + 'static,
            R: FuncResult,
        {
            fn into_function(self) -> Function {
                let signature = Signature::new([$($a::GO_TYPE),*]).returns(R::GO_TYPE);
                Function::new(signature, move |_call, _args| {
                    $(let $a = $a::from_value(arg(_args, $i)?)?;)*
                    (self)($($a),*).into_result()
                })
            }
        }

        #[allow(non_snake_case)]
        impl<F, R, $($a: Arg,)* Z: RestArg> IntoFunction<WithRest<(R, $($a,)* Z)>> for F
        where
            F: Fn($($a,)* Z) -> R
                + for<'a> Fn($($a::Item<'a>,)* Z::Item<'a>) -> R
                + Send + Sync + 'static,
            R: FuncResult,
        {
            fn into_function(self) -> Function {
                let signature = Signature::new([$($a::GO_TYPE),*])
                    .variadic(Z::ELEM)
                    .returns(R::GO_TYPE);
                const FIXED: usize = {
                    let fixed: &[usize] = &[$($i),*];
                    fixed.len()
                };
                Function::new(signature, move |_call, args| {
                    $(let $a = $a::from_value(arg(args, $i)?)?;)*
                    let rest = Z::from_values(args.get(FIXED..).unwrap_or_default())?;
                    (self)($($a,)* rest).into_result()
                })
            }
        }

        #[allow(non_snake_case)]
        impl<F, R, $($a: Arg),*> IntoFunction<WithCall<(R, $($a,)*)>> for F
        where
            F: Fn(&mut Call<'_>, $($a),*) -> R
                + for<'a> Fn(&mut Call<'_>, $($a::Item<'a>),*) -> R
                + Send + Sync + 'static,
            R: FuncResult,
        {
            fn into_function(self) -> Function {
                let signature = Signature::new([$($a::GO_TYPE),*]).returns(R::GO_TYPE);
                Function::new(signature, move |call, _args| {
                    $(let $a = $a::from_value(arg(_args, $i)?)?;)*
                    (self)(call, $($a),*).into_result()
                })
            }
        }

        #[allow(non_snake_case)]
        impl<F, R, $($a: Arg,)* Z: RestArg> IntoFunction<WithCallRest<(R, $($a,)* Z)>> for F
        where
            F: Fn(&mut Call<'_>, $($a,)* Z) -> R
                + for<'a> Fn(&mut Call<'_>, $($a::Item<'a>,)* Z::Item<'a>) -> R
                + Send + Sync + 'static,
            R: FuncResult,
        {
            fn into_function(self) -> Function {
                let signature = Signature::new([$($a::GO_TYPE),*])
                    .variadic(Z::ELEM)
                    .returns(R::GO_TYPE);
                const FIXED: usize = {
                    let fixed: &[usize] = &[$($i),*];
                    fixed.len()
                };
                Function::new(signature, move |call, args| {
                    $(let $a = $a::from_value(arg(args, $i)?)?;)*
                    let rest = Z::from_values(args.get(FIXED..).unwrap_or_default())?;
                    (self)(call, $($a,)* rest).into_result()
                })
            }
        }
    };
}

adapters!();
adapters!(A0 0);
adapters!(A0 0, A1 1);
adapters!(A0 0, A1 1, A2 2);
adapters!(A0 0, A1 1, A2 2, A3 3);
adapters!(A0 0, A1 1, A2 2, A3 3, A4 4);
adapters!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5);
