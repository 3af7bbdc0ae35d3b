//! Tests of Go's formatting. The tables hold Go's own expectations: rows of `fmt_test.go`
//! and `ftoa_test.go` (Go 1.26) for the kinds a `Value` can be, and rows on Helm's value
//! kinds, each expected output produced by Go's `fmt.Sprintf` or `strconv.FormatFloat`.
mod ftoa_rows;
mod go_fmt_rows;
mod helm_rows;
mod unit;

use std::sync::Arc;

use crate::value::{IntKind, ListKind, Map, Value};

pub(super) use IntKind::{Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32};

/// One `Sprintf` case: format, operands, Go's output.
pub(super) struct Row {
    format: &'static str,
    args: Vec<Value>,
    want: &'static str,
}

pub(super) fn row<const N: usize>(
    format: &'static str,
    args: [Value; N],
    want: &'static str,
) -> Row {
    Row {
        format,
        args: args.into(),
        want,
    }
}

/// Runs every row and reports all mismatches at once.
pub(super) fn check_rows(rows: Vec<Row>) {
    let mut failures = Vec::new();
    for r in &rows {
        let got = super::sprintf(r.format, &r.args);
        if got != r.want {
            failures.push(format!(
                "sprintf({:?}, {:?}) = {got:?}, want {:?}",
                r.format, r.args, r.want
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

pub(super) fn int(i: i64) -> Value {
    Value::Int(i, IntKind::Int)
}

pub(super) fn ik(i: i64, kind: IntKind) -> Value {
    Value::Int(i, kind)
}

pub(super) fn f(x: f64) -> Value {
    Value::Float(x)
}

pub(super) fn s(x: &str) -> Value {
    Value::String(x.into())
}

pub(super) fn b(x: bool) -> Value {
    Value::Bool(x)
}

pub(super) fn nil() -> Value {
    Value::Nil
}

pub(super) fn bytes(x: &[u8]) -> Value {
    Value::Bytes(x.into())
}

pub(super) fn list(items: Vec<Value>) -> Value {
    Value::List(Arc::new(items), ListKind::Any)
}

pub(super) fn strs(items: &[&str]) -> Value {
    Value::List(
        Arc::new(items.iter().map(|x| s(x)).collect()),
        ListKind::String,
    )
}

pub(super) fn ints(items: &[i64]) -> Value {
    Value::List(
        Arc::new(items.iter().map(|&i| int(i)).collect()),
        ListKind::Int,
    )
}

pub(super) fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Map>(),
    )
}
