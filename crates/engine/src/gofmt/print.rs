//! The printer behind `fmt`: how each kind of `Value` prints under each verb, a port of
//! Go's `printArg`/`printValue` and their helpers in `fmt/print.go`.
use std::borrow::Cow;
use std::sync::Arc;

use super::format::{Fmt, LDIGITS, UDIGITS};
use crate::value::{IntKind, Value};

/// Nesting depth of lists and maps printed before giving up on a value. Go has no limit;
/// data this deep does not come from charts, and the bound keeps the stack safe.
pub const MAX_PRINT_DEPTH: usize = 1000;

/// Output size after which a printer stops formatting further values. Go has no limit;
/// widths of up to a million per verb applied to every element of a list could otherwise
/// ask for gigabytes.
pub const MAX_OUTPUT_BYTES: usize = 64 << 20;

/// Written once where a limit stopped the printing.
const LIMIT_STRING: &[u8] = b"%!(LIMIT)";

/// What a bad verb names in `%!verb(type=value)`: Go's `p.arg` (the operand as passed,
/// printed again as an operand) or `p.value` (an element reached by reflection).
#[derive(Clone, Copy)]
pub(super) enum Subject<'a> {
    Arg(&'a Value),
    Reflected(&'a Value),
    Nil,
}

/// The buffer a printer starts with: most printed values and `printf` results fit.
const PRINT_CAPACITY: usize = 32;

/// Go's `pp`: one printing operation.
#[derive(Default)]
pub(super) struct Printer {
    pub(super) fmt: Fmt,
    /// Formatting for `fmt.Errorf`: `%w` prints its operand as `%v` (the operand stands for
    /// an error, given by its text).
    pub(super) wrap_errs: bool,
    /// Printing a bad-verb error: string methods are not consulted again.
    erroring: bool,
    /// A limit was hit; nothing more is printed.
    limited: bool,
    /// The format used explicit argument indexes (`%[2]d`).
    pub(super) reordered: bool,
    /// The most recent argument index was valid.
    pub(super) good_arg_num: bool,
}

/// The Go type of a non-nil value, as `%T` and error texts name it.
pub(super) fn type_name(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Missing | Value::Nil => Cow::Borrowed("<nil>"),
        Value::Bool(_) => Cow::Borrowed("bool"),
        Value::Int(_, kind) => Cow::Borrowed(kind.go_name()),
        Value::Uint(_) => Cow::Borrowed("uint64"),
        Value::Float(_) => Cow::Borrowed("float64"),
        Value::Complex(..) => Cow::Borrowed("complex128"),
        Value::String(_) | Value::RawString(_) => Cow::Borrowed("string"),
        Value::Bytes(_) => Cow::Borrowed("[]uint8"),
        Value::List(_, kind) => Cow::Borrowed(kind.go_name()),
        Value::Map(m) => Cow::Borrowed(m.kind().go_name()),
        Value::Object(o) => Cow::Owned(o.type_name().to_owned()),
    }
}

/// Whether Go's `Sprint` treats the operand as a string (no spaces around it).
pub(super) fn is_string_kind(v: &Value) -> bool {
    match v {
        Value::String(_) | Value::RawString(_) => true,
        Value::Object(o) => o.kind_name() == "string",
        _ => false,
    }
}

impl Printer {
    pub(super) fn new() -> Printer {
        Printer::with_capacity(PRINT_CAPACITY)
    }

    /// A printer whose buffer starts with room for `capacity` bytes, so that short
    /// results take one allocation.
    pub(super) fn with_capacity(capacity: usize) -> Printer {
        Printer::with_buffer(Vec::with_capacity(capacity))
    }

    /// A printer writing into `buf`, which must be empty.
    pub(super) fn with_buffer(buf: Vec<u8>) -> Printer {
        let mut printer = Printer::default();
        printer.fmt.buf = buf;
        printer
    }

    /// The printed text. Only `%s` of invalid UTF-8 bytes can make it invalid; those
    /// bytes become U+FFFD.
    pub(super) fn into_string(self) -> String {
        String::from_utf8(self.fmt.buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.fmt.buf
    }

    pub(super) fn write(&mut self, b: &[u8]) {
        self.fmt.buf.extend_from_slice(b);
    }

    pub(super) fn write_rune(&mut self, r: char) {
        let mut utf8 = [0; 4];
        self.write(r.encode_utf8(&mut utf8).as_bytes());
    }

    /// Whether a limit stops printing `depth` levels down; writes the marker once.
    fn over_limit(&mut self, depth: usize) -> bool {
        if !self.limited && depth <= MAX_PRINT_DEPTH && self.fmt.buf.len() <= MAX_OUTPUT_BYTES {
            return false;
        }
        if !self.limited {
            self.limited = true;
            self.write(LIMIT_STRING);
        }
        true
    }

    /// `%!verb(type=value)`, or `%!verb(<nil>)`.
    pub(super) fn bad_verb(&mut self, verb: char, subject: Subject<'_>) {
        self.erroring = true;
        self.write(b"%!");
        self.write_rune(verb);
        self.write(b"(");
        match subject {
            Subject::Arg(v) => {
                self.write(type_name(v).as_bytes());
                self.write(b"=");
                self.print_arg(v, 'v');
            }
            Subject::Reflected(v) => {
                self.write(type_name(v).as_bytes());
                self.write(b"=");
                self.print_value(v, 'v', 0);
            }
            Subject::Nil => self.write(b"<nil>"),
        }
        self.write(b")");
        self.erroring = false;
    }

    /// Go's `printArg`: one operand of `Printf`, `Print` or `Println`.
    pub(super) fn print_arg(&mut self, arg: &Value, verb: char) {
        if self.over_limit(0) {
            return;
        }
        let verb = if verb == 'w' && self.wrap_errs {
            'v'
        } else {
            verb
        };
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.fmt.pad_string("<nil>"),
                _ => self.bad_verb(verb, Subject::Nil),
            }
            return;
        }
        match verb {
            'T' => {
                let name = type_name(arg);
                self.fmt.fmt_s(name.as_bytes());
                return;
            }
            'p' => {
                self.fmt_pointer(arg, verb);
                return;
            }
            _ => {}
        }
        let subject = Subject::Arg(arg);
        match arg {
            Value::Bool(b) => self.fmt_bool(*b, verb, subject),
            Value::Int(i, kind) => self.fmt_integer(*i as u64, !kind.is_unsigned(), verb, subject),
            Value::Uint(u) => self.fmt_integer(*u, false, verb, subject),
            Value::Float(f) => self.fmt_float(*f, verb, subject),
            Value::Complex(re, im) => self.fmt_complex(*re, *im, verb, subject),
            Value::String(s) => self.fmt_string(s.as_bytes(), verb, subject),
            Value::RawString(b) => self.fmt_string(b, verb, subject),
            Value::Bytes(b) => {
                if !self.fmt_bytes(b, verb, "[]byte") {
                    self.print_value(arg, verb, 0);
                }
            }
            _ => {
                if !self.handle_methods(verb, arg) {
                    self.print_value(arg, verb, 0);
                }
            }
        }
    }

    /// Go's `handleMethods`: `%w` outside `Errorf`, and host objects, which print like
    /// Go values with a `String` (and for `%#v`, `GoString`) method.
    fn handle_methods(&mut self, verb: char, v: &Value) -> bool {
        if self.erroring {
            return false;
        }
        if verb == 'w' {
            self.bad_verb(verb, Subject::Arg(v));
            return true;
        }
        let Value::Object(object) = v else {
            return false;
        };
        if self.fmt.flags.sharp_v {
            self.fmt.fmt_s(object.go_string().as_bytes());
            return true;
        }
        if matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') {
            let text = object.go_string();
            self.fmt_string(text.as_bytes(), verb, Subject::Arg(v));
            return true;
        }
        false
    }

    /// Go's `printValue`: a value reached inside a list or map (`depth > 0`), or an
    /// operand that needs its structure printed (`depth == 0`).
    pub(super) fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        if self.over_limit(depth) {
            return;
        }
        if depth > 0 && !v.is_nil() && self.handle_methods(verb, v) {
            return;
        }
        let subject = Subject::Reflected(v);
        match v {
            // A nil interface inside a list or map.
            Value::Missing | Value::Nil => {
                let nil: &[u8] = if self.fmt.flags.sharp_v {
                    b"interface {}(nil)"
                } else {
                    b"<nil>"
                };
                self.write(nil);
            }
            Value::Bool(b) => self.fmt_bool(*b, verb, subject),
            Value::Int(i, kind) => self.fmt_integer(*i as u64, !kind.is_unsigned(), verb, subject),
            Value::Uint(u) => self.fmt_integer(*u, false, verb, subject),
            Value::Float(f) => self.fmt_float(*f, verb, subject),
            Value::Complex(re, im) => self.fmt_complex(*re, *im, verb, subject),
            Value::String(s) => self.fmt_string(s.as_bytes(), verb, subject),
            Value::RawString(b) => self.fmt_string(b, verb, subject),
            Value::Bytes(b) => {
                if !(matches!(verb, 's' | 'q' | 'x' | 'X') && self.fmt_bytes(b, verb, "[]uint8")) {
                    let items: Vec<Value> = b
                        .iter()
                        .map(|&c| Value::Int(i64::from(c), IntKind::Uint8))
                        .collect();
                    self.print_list(v, &items, verb, depth);
                }
            }
            Value::List(items, _) => self.print_list(v, items, verb, depth),
            Value::Map(map) => {
                if self.fmt.flags.sharp_v {
                    self.write(type_name(v).as_bytes());
                    self.write(b"{");
                } else {
                    self.write(b"map[");
                }
                for (i, (key, value)) in map.snapshot().iter().enumerate() {
                    if i > 0 {
                        let sep: &[u8] = if self.fmt.flags.sharp_v { b", " } else { b" " };
                        self.write(sep);
                    }
                    self.print_value(&Value::String(Arc::from(key.as_str())), verb, depth + 1);
                    self.write(b":");
                    self.print_value(value, verb, depth + 1);
                }
                self.write(if self.fmt.flags.sharp_v { b"}" } else { b"]" });
            }
            Value::Object(object) => {
                if verb == 'v' {
                    self.write(object.go_string().as_bytes());
                } else {
                    self.bad_verb(verb, subject);
                }
            }
        }
    }

    /// A slice: `[a b]`, or with `%#v` `[]T{a, b}`.
    fn print_list(&mut self, list: &Value, items: &[Value], verb: char, depth: usize) {
        let sharp_v = self.fmt.flags.sharp_v;
        if sharp_v {
            self.write(type_name(list).as_bytes());
            self.write(b"{");
        } else {
            self.write(b"[");
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.write(if sharp_v { b", " } else { b" " });
            }
            self.print_value(item, verb, depth + 1);
        }
        self.write(if sharp_v { b"}" } else { b"]" });
    }

    fn fmt_bool(&mut self, v: bool, verb: char, subject: Subject<'_>) {
        match verb {
            't' | 'v' => self.fmt.fmt_boolean(v),
            _ => self.bad_verb(verb, subject),
        }
    }

    /// Hexadecimal with or without the leading 0x, whatever the `#` flag says.
    fn fmt_0x64(&mut self, v: u64, leading_0x: bool) {
        let sharp = self.fmt.flags.sharp;
        self.fmt.flags.sharp = leading_0x;
        self.fmt.fmt_integer(v, 16, false, 'v', LDIGITS);
        self.fmt.flags.sharp = sharp;
    }

    fn fmt_integer(&mut self, v: u64, is_signed: bool, verb: char, subject: Subject<'_>) {
        match verb {
            'v' if self.fmt.flags.sharp_v && !is_signed => self.fmt_0x64(v, true),
            'v' | 'd' => self.fmt.fmt_integer(v, 10, is_signed, verb, LDIGITS),
            'b' => self.fmt.fmt_integer(v, 2, is_signed, verb, LDIGITS),
            'o' | 'O' => self.fmt.fmt_integer(v, 8, is_signed, verb, LDIGITS),
            'x' => self.fmt.fmt_integer(v, 16, is_signed, verb, LDIGITS),
            'X' => self.fmt.fmt_integer(v, 16, is_signed, verb, UDIGITS),
            'c' => self.fmt.fmt_c(v),
            'q' => self.fmt.fmt_qc(v),
            'U' => self.fmt.fmt_unicode(v),
            _ => self.bad_verb(verb, subject),
        }
    }

    fn fmt_float(&mut self, v: f64, verb: char, subject: Subject<'_>) {
        match verb {
            'v' => self.fmt.fmt_float(v, b'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt.fmt_float(v, verb as u8, -1),
            'f' | 'e' | 'E' => self.fmt.fmt_float(v, verb as u8, 6),
            'F' => self.fmt.fmt_float(v, b'f', 6),
            _ => self.bad_verb(verb, subject),
        }
    }

    /// Go's `fmtComplex`: each part formatted with the verb, the imaginary one always signed.
    fn fmt_complex(&mut self, re: f64, im: f64, verb: char, subject: Subject<'_>) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.fmt.flags.plus;
                self.write(b"(");
                self.fmt_float(re, verb, subject);
                self.fmt.flags.plus = true;
                self.fmt_float(im, verb, subject);
                self.write(b"i)");
                self.fmt.flags.plus = old_plus;
            }
            _ => self.bad_verb(verb, subject),
        }
    }

    fn fmt_string(&mut self, s: &[u8], verb: char, subject: Subject<'_>) {
        match verb {
            'v' if self.fmt.flags.sharp_v => self.fmt.fmt_q(s),
            'v' | 's' => self.fmt.fmt_s(s),
            'x' => self.fmt.fmt_sbx(s, LDIGITS),
            'X' => self.fmt.fmt_sbx(s, UDIGITS),
            'q' => self.fmt.fmt_q(s),
            _ => self.bad_verb(verb, subject),
        }
    }

    /// `[]byte` under the verbs that print it as a whole; false for the other verbs,
    /// which print it element by element.
    fn fmt_bytes(&mut self, v: &[u8], verb: char, type_string: &str) -> bool {
        match verb {
            'v' | 'd' => {
                if self.fmt.flags.sharp_v {
                    self.write(type_string.as_bytes());
                    self.write(b"{");
                    for (i, &c) in v.iter().enumerate() {
                        if i > 0 {
                            self.write(b", ");
                        }
                        self.fmt_0x64(u64::from(c), true);
                    }
                    self.write(b"}");
                } else {
                    self.write(b"[");
                    for (i, &c) in v.iter().enumerate() {
                        if i > 0 {
                            self.write(b" ");
                        }
                        self.fmt.fmt_integer(u64::from(c), 10, false, verb, LDIGITS);
                    }
                    self.write(b"]");
                }
            }
            's' => self.fmt.fmt_s(v),
            'x' => self.fmt.fmt_sbx(v, LDIGITS),
            'X' => self.fmt.fmt_sbx(v, UDIGITS),
            'q' => self.fmt.fmt_q(v),
            _ => return false,
        }
        true
    }

    /// `%p`: the address of a list, map, byte slice or host object. Addresses differ from
    /// run to run, as in Go.
    fn fmt_pointer(&mut self, v: &Value, verb: char) {
        let address = match v {
            Value::List(items, _) => Arc::as_ptr(items) as *const u8 as usize,
            Value::Map(map) => map.addr(),
            Value::Bytes(bytes) => bytes.as_ptr() as usize,
            Value::Object(object)
                if matches!(
                    object.kind_name(),
                    "ptr" | "map" | "slice" | "func" | "chan"
                ) =>
            {
                Arc::as_ptr(object) as *const u8 as usize
            }
            _ => {
                self.bad_verb(verb, Subject::Arg(v));
                return;
            }
        };
        let leading_0x = !self.fmt.flags.sharp;
        self.fmt_0x64(address as u64, leading_0x);
    }
}
