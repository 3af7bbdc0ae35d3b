//! Template functions: Go signatures (parameter and result types, variadics), the function
//! map a template set is created with, and the functions themselves.
//!
//! The executor converts and checks arguments against a function's signature exactly as Go's
//! `evalArg`/`validateType` do, so a function receives values of its declared types. Typed
//! Rust functions register in one line through [`IntoFunction`] (see `adapt.rs`).
use std::fmt;
use std::sync::{Arc, LazyLock};

use super::error::FuncError;
use super::exec::Call;
use super::fnv::FnvHashMap;
use super::funcs::Builtin;
use crate::value::{IntKind, ListKind, Value};

/// A Go type a function parameter or result can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoType {
    /// `interface {}`: any value; a missing value arrives as nil.
    Interface,
    Bool,
    Int(IntKind),
    Float64,
    String,
    /// `[]byte`.
    Bytes,
    /// `[]interface {}`, `[]string` or `[]int`.
    List(ListKind),
    /// `map[string]interface {}`.
    Map,
    /// A host object type, by the name its [`crate::Object::type_name`] reports.
    Object(&'static str),
    /// `reflect.Value`: the untyped parameters of text/template's own builtins, which see
    /// missing values and interface boxing as they are.
    Reflect,
}

impl GoType {
    /// The type as Go prints it in error messages.
    pub fn go_name(self) -> &'static str {
        match self {
            GoType::Interface => "interface {}",
            GoType::Bool => "bool",
            GoType::Int(kind) => kind.go_name(),
            GoType::Float64 => "float64",
            GoType::String => "string",
            GoType::Bytes => "[]uint8",
            GoType::List(kind) => kind.go_name(),
            GoType::Map => "map[string]interface {}",
            GoType::Object(name) => name,
            GoType::Reflect => "reflect.Value",
        }
    }

    /// Whether an untyped nil can be assigned to the type (Go's `canBeNil`).
    pub(crate) fn can_be_nil(self) -> bool {
        matches!(
            self,
            GoType::Interface
                | GoType::Reflect
                | GoType::Bytes
                | GoType::List(_)
                | GoType::Map
                | GoType::Object(_)
        )
    }
}

impl fmt::Display for GoType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.go_name())
    }
}

/// A function's Go signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    params: Vec<GoType>,
    variadic: Option<GoType>,
    result: GoType,
}

impl Signature {
    /// Fixed parameters, returning `interface {}`.
    pub fn new(params: impl Into<Vec<GoType>>) -> Signature {
        Signature {
            params: params.into(),
            variadic: None,
            result: GoType::Interface,
        }
    }

    /// Adds a trailing `...elem` parameter.
    pub fn variadic(mut self, elem: GoType) -> Signature {
        self.variadic = Some(elem);
        self
    }

    /// Sets the result type (default `interface {}`).
    pub fn returns(mut self, result: GoType) -> Signature {
        self.result = result;
        self
    }

    pub fn params(&self) -> &[GoType] {
        &self.params
    }

    /// The element type of the trailing variadic parameter, if any.
    pub fn variadic_elem(&self) -> Option<GoType> {
        self.variadic
    }

    pub fn result(&self) -> GoType {
        self.result
    }
}

/// The Rust side of a function: the call context and the converted arguments in, one value
/// or an error out.
pub type NativeFn =
    Arc<dyn Fn(&mut Call<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync + 'static>;

/// A template function: its signature and implementation.
#[derive(Clone)]
pub struct Function {
    signature: Signature,
    imp: Imp,
}

#[derive(Clone)]
pub(crate) enum Imp {
    /// text/template's own builtins, which work on Go's reflection view of values and
    /// include the `and`/`or` special forms.
    Builtin(Builtin),
    Native(NativeFn),
}

impl Function {
    /// A function with an explicit signature; `f` receives arguments already converted to
    /// the signature's types (missing nilable arguments arrive as [`Value::Nil`]).
    pub fn new(
        signature: Signature,
        f: impl Fn(&mut Call<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    ) -> Function {
        Function {
            signature,
            imp: Imp::Native(Arc::new(f)),
        }
    }

    pub(crate) fn builtin(builtin: Builtin) -> Function {
        Function {
            signature: builtin.signature(),
            imp: Imp::Builtin(builtin),
        }
    }

    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    pub(crate) fn imp(&self) -> &Imp {
        &self.imp
    }
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Function")
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Names to functions, as a template set is created with (Go's `FuncMap`).
///
/// Like Go, templates always see text/template's builtins; a function of the same name
/// replaces a builtin (and `and`/`or` then lose their short-circuit). Clones share one
/// table until one of them changes it, so a set costs no copy of its map.
#[derive(Clone, Debug, Default)]
pub struct FuncMap(Arc<FuncTable>);

#[derive(Clone, Debug, Default)]
struct FuncTable {
    index: FnvHashMap<Box<str>, usize>,
    funcs: Vec<Function>,
}

impl FuncMap {
    /// An empty map.
    pub fn new() -> FuncMap {
        FuncMap::default()
    }

    /// text/template's builtins: and, or, not, len, index, slice, print, printf, println,
    /// eq, ne, lt, le, gt, ge, html, js, urlquery, call.
    pub fn builtins() -> FuncMap {
        static BUILTINS: LazyLock<FuncMap> = LazyLock::new(|| {
            let mut map = FuncMap::new();
            map.add_missing_builtins();
            map
        });
        BUILTINS.clone()
    }

    /// Adds the builtins the map does not define itself.
    pub(crate) fn add_missing_builtins(&mut self) {
        if Builtin::ALL.iter().all(|b| self.contains(b.name())) {
            return;
        }
        // Every template set starts with this, so its tables are sized once.
        let table = Arc::make_mut(&mut self.0);
        table.funcs.reserve(Builtin::ALL.len());
        table.index.reserve(Builtin::ALL.len());
        for builtin in Builtin::ALL {
            if !self.contains(builtin.name()) {
                self.insert_function(builtin.name(), Function::builtin(builtin));
            }
        }
    }

    /// Adds (or replaces) a function given as a typed Rust function or closure.
    pub fn insert<M>(&mut self, name: &str, f: impl IntoFunction<M>) -> &mut FuncMap {
        self.insert_function(name, f.into_function())
    }

    /// Adds (or replaces) a function.
    pub fn insert_function(&mut self, name: &str, function: Function) -> &mut FuncMap {
        let table = Arc::make_mut(&mut self.0);
        match table.index.get(name) {
            Some(&slot) => table.funcs[slot] = function,
            None => {
                table.index.insert(name.into(), table.funcs.len());
                table.funcs.push(function);
            }
        }
        self
    }

    /// Adds every function of `other`, replacing those of the same names.
    pub fn extend(&mut self, other: &FuncMap) -> &mut FuncMap {
        for (name, &slot) in &other.0.index {
            self.insert_function(name, other.0.funcs[slot].clone());
        }
        self
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.index.contains_key(name)
    }

    pub fn get(&self, name: &str) -> Option<&Function> {
        self.lookup(name).map(|slot| &self.0.funcs[slot])
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.index.keys().map(AsRef::as_ref)
    }

    /// The slot of a function, which parsed trees keep.
    pub(crate) fn lookup(&self, name: &str) -> Option<usize> {
        self.0.index.get(name).copied()
    }

    pub(crate) fn slot(&self, slot: usize) -> Option<&Function> {
        self.0.funcs.get(slot)
    }
}

/// A Rust function or closure usable as a template function; `Marker` only disambiguates
/// the implementations. See `adapt.rs` for the accepted shapes.
pub trait IntoFunction<Marker> {
    fn into_function(self) -> Function;
}

impl IntoFunction<Function> for Function {
    fn into_function(self) -> Function {
        self
    }
}
