//! Go's reflection view of a value, as the executor and the builtins see it: whether its
//! static type is `interface {}` (a map or list element, an `interface {}` result), Go's
//! `indirect`, truth, type names, and the assignability rules of `validateType`.
use super::function::GoType;
use crate::value::{IntKind, ListKind, MapKind, Value};

/// A value as Go's `reflect.Value` holds it during execution. `boxed` means its static type
/// is `interface {}`: a nil one is a nil interface, and error messages name the type
/// `interface {}`. `Value::Missing` is Go's invalid `reflect.Value`.
#[derive(Clone, Debug)]
pub(crate) struct Val {
    pub value: Value,
    boxed: StaticType,
}

/// Whether a `Val`'s static type is `interface {}`, as a whole word: a `Val` then has no
/// padding, and the executor's many moves of `Val` and `Result<Val, _>` are plain aligned
/// copies rather than byte-wise ones the processor stalls on.
#[repr(u64)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StaticType {
    Concrete,
    Interface,
}

impl Val {
    pub const MISSING: Val = Val {
        value: Value::Missing,
        boxed: StaticType::Concrete,
    };

    /// `value` with the static type `interface {}` when `boxed`, else its own type.
    pub fn new(value: Value, boxed: bool) -> Val {
        let boxed = if boxed {
            StaticType::Interface
        } else {
            StaticType::Concrete
        };
        Val { value, boxed }
    }

    pub fn concrete(value: Value) -> Val {
        Val::new(value, false)
    }

    pub fn boxed(value: Value) -> Val {
        Val::new(value, true)
    }

    /// A list element: `[]interface {}` elements are boxed, typed ones are not.
    pub fn element(value: Value, kind: ListKind) -> Val {
        Val::new(value, kind == ListKind::Any)
    }

    /// Whether the static type is `interface {}`.
    pub fn is_boxed(&self) -> bool {
        self.boxed == StaticType::Interface
    }

    pub fn is_valid(&self) -> bool {
        !self.value.is_missing()
    }

    /// Go's `indirectInterface`: the concrete value inside an interface; a nil interface
    /// becomes the invalid value.
    pub fn unboxed(self) -> Val {
        if !self.is_boxed() {
            return self;
        }
        match self.value {
            Value::Nil => Val::MISSING,
            value => Val::concrete(value),
        }
    }

    /// Go's `indirect`: through interfaces (and pointers), reporting whether a nil stopped
    /// the walk. Nil values here are always nil interfaces or pointers.
    pub fn indirect(self) -> (Val, bool) {
        if matches!(self.value, Value::Nil) {
            return (self, true);
        }
        (self.unboxed(), false)
    }

    /// The static type's name, as `reflect.Value.Type()` prints it.
    pub fn static_type(&self) -> &str {
        if self.is_boxed() || matches!(self.value, Value::Nil) {
            "interface {}"
        } else {
            self.value.type_name()
        }
    }
}

/// The data of a host object that Go sees as a map or a slice (Helm's `.Files`,
/// `.Capabilities.APIVersions`), which `len`, `index`, `slice` and `range` work on. Its
/// elements have concrete types, unlike those of `map[string]interface {}`.
pub(crate) fn object_collection(value: &Value) -> Option<Value> {
    let Value::Object(object) = value else {
        return None;
    };
    if !matches!(object.kind_name(), "map" | "slice") {
        return None;
    }
    object
        .to_data()
        .filter(|data| matches!(data, Value::Map(_) | Value::List(..)))
}

/// Go's `isTrue` for a concrete value: not the zero value of its type.
pub(crate) fn is_true(value: &Value) -> bool {
    match value {
        Value::Missing | Value::Nil => false,
        Value::Bool(b) => *b,
        Value::Int(i, _) => *i != 0,
        Value::Uint(u) => *u != 0,
        Value::Float(f) => *f != 0.0,
        Value::Complex(re, im) => *re != 0.0 || *im != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Bytes(b) | Value::RawString(b) => !b.is_empty(),
        Value::List(l, _) => !l.is_empty(),
        Value::Map(m) => !m.is_empty(),
        Value::Object(o) => o.truthy(),
    }
}

/// Go's `truth`: `isTrue` after `indirectInterface`.
pub(crate) fn truth(val: &Val) -> bool {
    is_true(&val.value)
}

/// Whether a value of `val`'s static type is assignable to `typ`.
fn assignable(val: &Val, typ: GoType) -> bool {
    if typ == GoType::Interface {
        return true;
    }
    if val.is_boxed() {
        return false;
    }
    match (&val.value, typ) {
        (Value::Bool(_), GoType::Bool)
        | (Value::Uint(_), GoType::Int(IntKind::Uint64))
        | (Value::Float(_), GoType::Float64)
        | (Value::String(_) | Value::RawString(_), GoType::String)
        | (Value::Bytes(_), GoType::Bytes)
        | (Value::Nil, GoType::Bytes | GoType::List(_) | GoType::Map | GoType::Object(_)) => true,
        // A map[string]string is not a map[string]interface {}.
        (Value::Map(m), GoType::Map) => m.kind() == MapKind::Any,
        (Value::Int(_, kind), GoType::Int(want)) => *kind == want,
        (Value::List(_, kind), GoType::List(want)) => *kind == want,
        (Value::Object(o), GoType::Object(name)) => o.type_name() == name,
        _ => false,
    }
}

/// The zero value of a nilable type (Go's `reflect.Zero`).
pub(crate) fn zero(typ: GoType) -> Val {
    match typ {
        GoType::Interface => Val::boxed(Value::Nil),
        GoType::Reflect => Val::MISSING,
        _ => Val::concrete(Value::Nil),
    }
}

/// Go's `validateType`: checks that `val` can be passed as `typ` (`None`: any, untyped),
/// unboxing an interface when its content fits. The error is Go's format and arguments.
pub(crate) fn validate_type(
    val: Val,
    typ: Option<GoType>,
) -> Result<Val, (&'static str, Vec<Value>)> {
    let Some(typ) = typ else {
        return Ok(val);
    };
    if !val.is_valid() {
        if typ.can_be_nil() {
            return Ok(zero(typ));
        }
        return Err(("invalid value; expected %s", vec![typ.to_string().into()]));
    }
    if typ == GoType::Reflect || assignable(&val, typ) {
        return Ok(val);
    }
    let val = if val.is_boxed() && !matches!(val.value, Value::Nil) {
        let inner = Val::concrete(val.value);
        if assignable(&inner, typ) {
            return Ok(inner);
        }
        inner
    } else {
        val
    };
    Err((
        "wrong type for value; expected %s; got %s",
        vec![typ.to_string().into(), val.static_type().into()],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unboxing_a_nil_interface_gives_the_invalid_value() {
        assert!(!Val::boxed(Value::Nil).unboxed().is_valid());
        let (val, is_nil) = Val::boxed(Value::Nil).indirect();
        assert!(is_nil && val.is_boxed());
        assert_eq!(Val::boxed(Value::from("x")).static_type(), "interface {}");
        assert_eq!(Val::concrete(Value::from("x")).static_type(), "string");
    }

    #[test]
    fn validate_type_follows_go() {
        let int = GoType::Int(IntKind::Int);
        let validate_type = |val, typ| {
            validate_type(val, typ)
                .map_err(|(format, args): (&str, Vec<Value>)| crate::gofmt::sprintf(format, &args))
        };
        assert_eq!(
            validate_type(Val::MISSING, Some(int)).unwrap_err(),
            "invalid value; expected int"
        );
        assert_eq!(
            validate_type(Val::boxed(Value::Float(1.0)), Some(int)).unwrap_err(),
            "wrong type for value; expected int; got float64"
        );
        assert_eq!(
            validate_type(Val::boxed(Value::Nil), Some(GoType::String)).unwrap_err(),
            "wrong type for value; expected string; got interface {}"
        );
        assert_eq!(
            validate_type(Val::concrete(Value::Int(1, IntKind::Int64)), Some(int)).unwrap_err(),
            "wrong type for value; expected int; got int64"
        );
        let unboxed = validate_type(Val::boxed(Value::from("s")), Some(GoType::String)).unwrap();
        assert!(!unboxed.is_boxed());
        let nil_map = validate_type(Val::MISSING, Some(GoType::Map)).unwrap();
        assert!(matches!(nil_map.value, Value::Nil));
        let nil_iface = validate_type(Val::MISSING, Some(GoType::Interface)).unwrap();
        assert!(nil_iface.is_boxed() && matches!(nil_iface.value, Value::Nil));
    }

    #[test]
    fn truth_is_go_zero_value_test() {
        assert!(!is_true(&Value::int(0)));
        assert!(is_true(&Value::Float(f64::NAN)));
        assert!(!is_true(&Value::from("")));
        assert!(!is_true(&Value::empty_map()));
        assert!(is_true(&Value::list(vec![Value::Nil])));
    }
}
