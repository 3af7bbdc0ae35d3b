//! The value model shared by the template executor, the function library, YAML and values
//! handling: Go's dynamic values as Helm's data presents them to templates.
//!
//! A `Value` is cheap to clone: strings and lists sit behind `Arc` and are copied on write
//! (`Arc::make_mut`); maps are shared references, as Go's are (see `MapRef`). Maps iterate
//! in sorted key order, as Go prints and ranges them.
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

mod shared_map;

pub use shared_map::{MapKind, MapRef};

/// A map with string keys, iterated in byte order of the keys (Go's sort order for strings).
pub type Map = BTreeMap<String, Value>;

/// Go's integer kinds. They print the same and compare by value; `typeOf`/`kindOf` tell them
/// apart (a template literal `1` is `int`, `int64 "1"` is `int64`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntKind {
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
}

impl IntKind {
    pub fn go_name(self) -> &'static str {
        match self {
            IntKind::Int => "int",
            IntKind::Int8 => "int8",
            IntKind::Int16 => "int16",
            IntKind::Int32 => "int32",
            IntKind::Int64 => "int64",
            IntKind::Uint => "uint",
            IntKind::Uint8 => "uint8",
            IntKind::Uint16 => "uint16",
            IntKind::Uint32 => "uint32",
            IntKind::Uint64 => "uint64",
        }
    }

    pub fn is_unsigned(self) -> bool {
        matches!(
            self,
            IntKind::Uint | IntKind::Uint8 | IntKind::Uint16 | IntKind::Uint32 | IntKind::Uint64
        )
    }
}

/// The Go element type of a list, for `typeOf` and for the few places Go's behaviour depends
/// on it (a `[]string` from `splitList` vs the `[]interface {}` of `list`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ListKind {
    /// `[]interface {}`: YAML/JSON lists, `list`, most Sprig results.
    #[default]
    Any,
    /// `[]string`: `splitList`, `keys`, `sortAlpha`, `toStrings`, `regexFindAll`, ...
    String,
    /// `[]int`: `until`, `untilStep`.
    Int,
    /// `[][]interface {}`: `chunk`.
    AnyLists,
}

/// A Go value as templates see it.
#[derive(Clone, Default)]
pub enum Value {
    /// Go's invalid `reflect.Value`: what a missing map key yields. Prints as `<no value>`.
    #[default]
    Missing,
    /// A nil interface, nil pointer, nil map or nil slice: YAML `null`, the literal `nil`.
    Nil,
    Bool(bool),
    /// Any Go integer; `IntKind` keeps the Go type. Unsigned values above `i64::MAX` are
    /// stored as `Uint`.
    Int(i64, IntKind),
    Uint(u64),
    /// float64 (the type of every number in YAML or JSON values).
    Float(f64),
    /// complex128, real and imaginary parts: only template constants like `1+2i` make one.
    Complex(f64, f64),
    String(Arc<str>),
    /// A Go string whose bytes are not valid UTF-8 (`b64dec` of random bytes). Made only by
    /// `Value::from_go_bytes`, so text that is UTF-8 is always a `String`. Functions see it
    /// as a `String` with Go's replacement of bad bytes, except those that only pass bytes
    /// through (see `funcs::register`).
    RawString(Arc<[u8]>),
    /// `[]byte`.
    Bytes(Arc<[u8]>),
    List(Arc<Vec<Value>>, ListKind),
    /// `map[string]interface {}` (or `map[string]string`, see `MapKind`): a shared
    /// reference, like a Go map.
    Map(MapRef),
    /// A host object with fields and methods: `.Files`, `.Capabilities`, a semver version.
    Object(Arc<dyn Object>),
}

/// A host object exposed to templates: Go structs and types with methods.
pub trait Object: Send + Sync + fmt::Debug {
    /// The Go type name, as `typeOf` prints it (e.g. `*chartutil.Capabilities`).
    fn type_name(&self) -> &str;

    /// `kindOf`: the Go kind (`ptr`, `struct`, `map`, ...).
    fn kind_name(&self) -> &str {
        "ptr"
    }

    /// Reads a field or calls a method `name` with `args`. `None` means the object has no
    /// such field or method (the executor reports Go's "can't evaluate field" error).
    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>>;

    /// Whether `name` is a method (which may take arguments) rather than a field.
    fn is_method(&self, name: &str) -> bool;

    /// The text Go's `%v` prints for this object.
    fn go_string(&self) -> String;

    /// What `{{ }}` prints for this object where Go's executor can take its address and
    /// the pointer has a `String` method while the value has none (a struct field reached
    /// through a pointer, like `.Capabilities.KubeVersion`). `None`: `go_string`.
    fn addressable_string(&self) -> Option<String> {
        None
    }

    /// Go truthiness: non-nil pointers and non-empty structs are true.
    fn truthy(&self) -> bool {
        true
    }

    /// The object as plain data, for `toYaml`, `toJson`, `deepCopy` and equality (Go
    /// marshals structs by their exported fields). `None` when it has no data form.
    fn to_data(&self) -> Option<Value> {
        None
    }

    /// The object as `Any`, so that functions taking a specific host type (`time.Time`,
    /// `time.Duration`, `*semver.Version`) can read it. `None` when it does not offer that.
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }
}

impl Value {
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A Go string of these bytes: a `String` when they are UTF-8, else a `RawString`.
    pub fn from_go_bytes(bytes: Vec<u8>) -> Value {
        match String::from_utf8(bytes) {
            Ok(s) => Value::String(s.into()),
            Err(e) => Value::RawString(e.into_bytes().into()),
        }
    }

    /// The bytes of a Go string (`String` or `RawString`).
    pub fn go_string_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::String(s) => Some(s.as_bytes()),
            Value::RawString(b) => Some(b),
            _ => None,
        }
    }

    /// A `RawString` as Go converts a string to runes (each bad byte becomes U+FFFD); any
    /// other value as it is.
    pub fn to_utf8(&self) -> Value {
        match self {
            Value::RawString(b) => Value::String(crate::yaml::go_lossy_utf8(b.to_vec()).into()),
            other => other.clone(),
        }
    }

    pub fn int(i: i64) -> Value {
        Value::Int(i, IntKind::Int)
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items), ListKind::Any)
    }

    pub fn map(m: Map) -> Value {
        Value::Map(MapRef::new(m))
    }

    pub fn empty_map() -> Value {
        Value::Map(MapRef::default())
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Missing)
    }

    /// Nil or missing: the values Go's `printValue` shows as `<no value>` or `<nil>`.
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Missing | Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A snapshot of the map, when this is one.
    pub fn as_map(&self) -> Option<Arc<Map>> {
        match self {
            Value::Map(m) => Some(m.snapshot()),
            _ => None,
        }
    }

    /// The shared map, when this is one.
    pub fn as_map_ref(&self) -> Option<&MapRef> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l, _) => Some(l),
            _ => None,
        }
    }

    /// The Go type name, as `%T` prints it (`<nil>` for nil and missing values).
    pub fn type_name(&self) -> &str {
        match self {
            Value::Missing | Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_, kind) => kind.go_name(),
            Value::Uint(_) => "uint64",
            Value::Float(_) => "float64",
            Value::Complex(..) => "complex128",
            Value::String(_) | Value::RawString(_) => "string",
            Value::Bytes(_) => "[]uint8",
            Value::List(_, kind) => kind.go_name(),
            Value::Map(m) => m.kind().go_name(),
            Value::Object(o) => o.type_name(),
        }
    }
}

impl ListKind {
    /// The Go type of a list of this kind, as `%T` prints it.
    pub fn go_name(self) -> &'static str {
        match self {
            ListKind::Any => "[]interface {}",
            ListKind::String => "[]string",
            ListKind::Int => "[]int",
            ListKind::AnyLists => "[][]interface {}",
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i, IntKind::Int64)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s.into())
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Map(MapRef::new(m))
    }
}

impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Value {
        Value::List(Arc::new(l), ListKind::Any)
    }
}

/// How deep equality looks into nested lists and maps. Templates can make a map contain
/// itself (`set $d "self" $d`); two such maps compare unequal instead of recursing forever.
const MAX_EQUALITY_DEPTH: usize = 1000;

/// Structural equality, as Go's `reflect.DeepEqual` compares data: the same variant and Go
/// type with equal contents (a NaN is not equal to itself). Host objects are equal when they
/// are the same object, or of one type with equal data forms.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        equal_at(self, other, 0)
    }
}

fn equal_at(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > MAX_EQUALITY_DEPTH {
        return false;
    }
    crate::yaml::with_stack(|| match (a, b) {
        (Value::Missing, Value::Missing) | (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, kx), Value::Int(y, ky)) => x == y && kx == ky,
        (Value::Uint(x), Value::Uint(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Complex(xr, xi), Value::Complex(yr, yi)) => xr == yr && xi == yi,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::RawString(x), Value::RawString(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x, kx), Value::List(y, ky)) => {
            kx == ky
                && x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| equal_at(p, q, depth + 1))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.ptr_eq(y) {
                return true;
            }
            if x.kind() != y.kind() {
                return false;
            }
            let (x, y) = (x.snapshot(), y.snapshot());
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((kp, p), (kq, q))| kp == kq && equal_at(p, q, depth + 1))
        }
        (Value::Object(x), Value::Object(y)) => {
            Arc::ptr_eq(x, y)
                || x.type_name() == y.type_name()
                    && matches!((x.to_data(), y.to_data()), (Some(p), Some(q)) if equal_at(&p, &q, depth + 1))
        }
        _ => false,
    })
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Missing => f.write_str("Missing"),
            Value::Nil => f.write_str("Nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i, k) => write!(f, "{}({i})", k.go_name()),
            Value::Uint(u) => write!(f, "uint64({u})"),
            Value::Float(x) => write!(f, "float64({x:?})"),
            Value::Complex(re, im) => write!(f, "complex128({re:?}, {im:?})"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::RawString(b) => write!(f, "string({b:?})"),
            Value::Bytes(b) => write!(f, "bytes({b:?})"),
            Value::List(l, _) => f.debug_list().entries(l.iter()).finish(),
            Value::Map(m) => write!(f, "{m:?}"),
            Value::Object(o) => write!(f, "{o:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_is_structural_with_go_types() {
        let map = |v: Value| Value::map(Map::from([("k".to_owned(), v)]));
        assert_eq!(
            map(Value::list(vec![Value::int(1)])),
            map(Value::list(vec![Value::int(1)]))
        );
        assert_ne!(Value::int(1), Value::Int(1, IntKind::Int64));
        assert_ne!(Value::Float(f64::NAN), Value::Float(f64::NAN));
        assert_ne!(Value::Nil, Value::Missing);
        assert_ne!(
            Value::List(Arc::new(vec![]), ListKind::Any),
            Value::List(Arc::new(vec![]), ListKind::String)
        );
    }

    #[test]
    fn go_bytes_are_strings_unless_not_utf8() {
        assert_eq!(Value::from_go_bytes(b"ab".to_vec()), Value::from("ab"));
        let raw = Value::from_go_bytes(vec![b'h', 0xE2, 0x82]);
        assert_eq!(raw.type_name(), "string");
        assert_eq!(raw.go_string_bytes(), Some(&[b'h', 0xE2, 0x82][..]));
        assert_eq!(raw.to_utf8(), Value::from("h\u{FFFD}\u{FFFD}"));
    }

    #[test]
    fn type_names_are_go_names() {
        assert_eq!(Value::Nil.type_name(), "<nil>");
        assert_eq!(Value::Uint(1).type_name(), "uint64");
        assert_eq!(Value::empty_map().type_name(), "map[string]interface {}");
        assert_eq!(
            Value::List(Arc::new(vec![]), ListKind::Int).type_name(),
            "[]int"
        );
    }
}
