//! Builtin tests on Go's reflection view of values: boxed map and list elements, missing
//! values and nil interfaces fail as Go's builtins fail.
use super::*;
use crate::template::FuncMap;
use crate::value::{ListKind, Map};

fn call(builtin: Builtin, args: Vec<Val>) -> Result<Val, String> {
    builtin
        .call("fn", &args, &mut Vec::new())
        .map_err(|e| e.message().to_owned())
}

fn int(i: i64) -> Val {
    Val::concrete(Value::int(i))
}

fn list() -> Val {
    Val::concrete(Value::list(vec![Value::from("a"), Value::Nil]))
}

fn map() -> Val {
    let map = Map::from([("k".to_owned(), Value::list(vec![Value::int(7)]))]);
    Val::concrete(Value::map(map))
}

#[test]
fn index_walks_lists_strings_and_maps() {
    let elem = call(Builtin::Index, vec![list(), int(0)]).unwrap();
    assert!(elem.is_boxed());
    assert_eq!(elem.value.as_str(), Some("a"));
    let byte = call(
        Builtin::Index,
        vec![Val::concrete(Value::from("abc")), int(1)],
    )
    .unwrap();
    assert!(matches!(byte.value, Value::Int(98, IntKind::Uint8)));
    let nested = call(
        Builtin::Index,
        vec![map(), Val::concrete(Value::from("k")), int(0)],
    )
    .unwrap();
    assert!(matches!(nested.value, Value::Int(7, IntKind::Int)));
    let absent = call(Builtin::Index, vec![map(), Val::concrete(Value::from("z"))]).unwrap();
    assert!(absent.is_boxed() && matches!(absent.value, Value::Nil));
}

#[test]
fn index_errors_match_go() {
    let cases = [
        (vec![list(), int(3)], "index out of range: 3"),
        (vec![list(), int(2)], "reflect: slice index out of range"),
        (vec![list(), int(-1)], "index out of range: -1"),
        (
            vec![list(), Val::MISSING],
            "cannot index slice/array with nil",
        ),
        (
            vec![list(), Val::boxed(Value::Float(1.0))],
            "cannot index slice/array with type float64",
        ),
        (vec![Val::MISSING, int(0)], "index of untyped nil"),
        (vec![list(), int(1), int(0)], "index of nil pointer"),
        (vec![map(), int(1)], "value has type int; should be string"),
        (
            vec![map(), Val::MISSING],
            "value is nil; should be of type string",
        ),
        (vec![int(1), int(0)], "can't index item of type int"),
    ];
    for (args, want) in cases {
        assert_eq!(call(Builtin::Index, args).unwrap_err(), want);
    }
}

#[test]
fn slice_follows_go() {
    let s = Val::concrete(Value::from("hello"));
    let sliced = call(Builtin::Slice, vec![s.clone(), int(1), int(3)]).unwrap();
    assert_eq!(sliced.value.as_str(), Some("el"));
    let tail = call(Builtin::Slice, vec![list(), int(1)]).unwrap();
    assert!(matches!(&tail.value, Value::List(l, ListKind::Any) if l.len() == 1));
    let errors = [
        (
            vec![s.clone(), int(3), int(1)],
            "invalid slice index: 3 > 1",
        ),
        (
            vec![s.clone(), int(0), int(1), int(2)],
            "cannot 3-index slice a string",
        ),
        (
            vec![list(), int(0), int(2), int(1)],
            "invalid slice index: 2 > 1",
        ),
        (
            vec![list(), int(0), int(0), int(0), int(0)],
            "too many slice indexes: 4",
        ),
        (vec![int(1)], "can't slice item of type int"),
        (vec![Val::MISSING], "slice of untyped nil"),
        (
            vec![s, Val::boxed(Value::int(1))],
            "cannot index slice/array with type interface {}",
        ),
    ];
    for (args, want) in errors {
        assert_eq!(call(Builtin::Slice, args).unwrap_err(), want);
    }
}

#[test]
fn len_of_missing_and_nil_fail_like_go() {
    assert!(matches!(
        call(Builtin::Len, vec![list()]).unwrap().value,
        Value::Int(2, _)
    ));
    assert_eq!(
        call(Builtin::Len, vec![Val::MISSING]).unwrap_err(),
        "reflect: call of reflect.Value.Type on zero Value"
    );
    assert_eq!(
        call(Builtin::Len, vec![Val::boxed(Value::Nil)]).unwrap_err(),
        "len of nil pointer"
    );
    assert_eq!(
        call(Builtin::Len, vec![int(3)]).unwrap_err(),
        "len of type int"
    );
}

#[test]
fn and_or_return_the_deciding_value() {
    let picked = call(Builtin::And, vec![int(1), int(0), int(2)]).unwrap();
    assert!(matches!(picked.value, Value::Int(0, _)));
    let picked = call(Builtin::Or, vec![int(0), int(0)]).unwrap();
    assert!(matches!(picked.value, Value::Int(0, _)));
    assert!(Builtin::Or.decides(&int(3)) && !Builtin::And.decides(&int(3)));
}

#[test]
fn call_reports_non_functions() {
    assert_eq!(
        call(Builtin::Call, vec![int(1)]).unwrap_err(),
        "non-function fn of type int"
    );
    assert_eq!(
        call(Builtin::Call, vec![Val::MISSING]).unwrap_err(),
        "call of nil"
    );
}

#[test]
fn printing_builtins_show_nil_as_go_does() {
    let printed = call(Builtin::Print, vec![int(1), int(2), Val::boxed(Value::Nil)]).unwrap();
    assert_eq!(printed.value.as_str(), Some("1 2 <nil>"));
    let html = call(Builtin::Html, vec![Val::boxed(Value::Nil)]).unwrap();
    assert_eq!(html.value.as_str(), Some("&lt;no value&gt;"));
    let format = Val::concrete(Value::from("%d-%s"));
    let printf = call(
        Builtin::Printf,
        vec![format, int(1), Val::concrete("x".into())],
    )
    .unwrap();
    assert_eq!(printf.value.as_str(), Some("1-x"));
}

#[test]
fn every_builtin_has_a_signature_and_a_name() {
    let map = FuncMap::builtins();
    for builtin in Builtin::ALL {
        assert!(map.contains(builtin.name()));
        let signature = builtin.signature();
        assert!(!signature.params().is_empty() || signature.variadic_elem().is_some());
    }
}
