//! Go's `fmt` and `strconv` formatting over helmsync `Value`s, byte for byte: what
//! `printf`, `print`, `println` and `{{ . }}` print in templates, and the float and
//! string literal texts the YAML and JSON emitters need.
//!
//! The code follows Go's `fmt/print.go` (`print`, `printf`), `fmt/format.go` (`format`),
//! `strconv/ftoa.go` and `decimal.go` (`ftoa`, `decimal`) and `strconv/quote.go`
//! (`quote`), keeping Go's names so the two read side by side.
mod decimal;
mod format;
mod ftoa;
mod isprint;
mod print;
mod printf;
pub mod quote;

#[cfg(test)]
mod tests;

pub use ftoa::{MAX_FLOAT_PRECISION, format_float};
pub use print::{MAX_OUTPUT_BYTES, MAX_PRINT_DEPTH};
pub use quote::{is_print, quote, quote_rune, quote_rune_to_ascii, quote_to_ascii};

use crate::value::Value;
use print::Printer;

/// Go's `fmt.Sprint`: operands in their default format, with a space between two operands
/// when neither is a string. `Missing` operands print as Go's nil (`<nil>`), which is what
/// a missing value becomes when a template passes it to a function.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::new();
    p.do_print(args);
    p.into_string()
}

/// Go's `fmt.Sprintln`: spaces between all operands and a final newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::new();
    p.do_println(args);
    p.into_string()
}

/// Go's `fmt.Sprintf`, with Go's error forms for bad verbs, missing and extra operands,
/// bad widths, precisions and argument indexes.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::with_capacity(format.len() + 32);
    p.do_printf(format, args);
    p.into_string()
}

/// `sprint`, `sprintln` (`newline`) or `sprintf` (`format`) as the bytes of a Go string,
/// written into `buf` in place of what it held. It keeps operands' bytes that are not UTF-8
/// (`Value::RawString`) as Go does; a caller that prints many values reuses one buffer.
pub fn sprint_to_buffer(buf: &mut Vec<u8>, format: Option<&str>, newline: bool, args: &[Value]) {
    buf.clear();
    let mut p = Printer::with_buffer(std::mem::take(buf));
    match format {
        Some(format) => p.do_printf(format, args),
        None if newline => p.do_println(args),
        None => p.do_print(args),
    }
    *buf = p.into_bytes();
}

/// Go's `fmt.Errorf(...).Error()`: `sprintf` where a `%w` operand is an error given by its
/// text, printed as `%v` prints it.
pub fn errorf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::new();
    p.wrap_errs = true;
    p.do_printf(format, args);
    p.into_string()
}

/// What text/template prints for a pipeline's value (`{{ . }}`): `<no value>` for a
/// missing value and for nil (Go's executor turns a nil interface into an invalid value
/// before printing), otherwise `fmt.Sprint` of the value.
pub fn print_value(v: &Value) -> String {
    let mut out = String::new();
    append_value(&mut out, v);
    out
}

/// `print_value` written at the end of `out`. Integers, and floats that print as
/// integers, are formatted in place: templates print numbers from values constantly.
pub fn append_value(out: &mut String, v: &Value) {
    match v {
        Value::Missing | Value::Nil => out.push_str("<no value>"),
        Value::String(s) => out.push_str(s),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i, _) => append_decimal(out, i.unsigned_abs(), *i < 0),
        Value::Uint(u) => append_decimal(out, *u, false),
        Value::Float(f) if prints_as_integer(*f) => {
            append_decimal(out, f.abs() as u64, *f < 0.0);
        }
        _ => out.push_str(&sprint(std::slice::from_ref(v))),
    }
}

/// Whether `%v` prints the float64 `f` as a plain integer: it is integral and its exponent
/// is below 6, where Go's shortest `%g` switches to `%e` (`1e+06`). Negative zero prints
/// as `-0`, so it takes the general path.
fn prints_as_integer(f: f64) -> bool {
    f.fract() == 0.0 && f.abs() < 1e6 && !(f == 0.0 && f.is_sign_negative())
}

/// Writes the decimal digits of `n`, after a minus sign when `negative`.
fn append_decimal(out: &mut String, mut n: u64, negative: bool) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        out.push('-');
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}
