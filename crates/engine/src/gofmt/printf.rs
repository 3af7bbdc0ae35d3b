//! Go's `Sprintf`, `Sprint` and `Sprintln` drivers: parsing of format directives (flags,
//! width, precision, `*`, argument indexes) and their error forms, a port of `doPrintf`,
//! `doPrint` and `doPrintln` in `fmt/print.go`.
use super::print::{Printer, is_string_kind, type_name};
use super::quote::{RUNE_ERROR, decode_rune};
use crate::value::Value;

/// Widths, precisions and argument indexes above this are treated as malformed, as in Go.
const MAX_FORMAT_NUMBER: i64 = 1_000_000;

fn too_large(x: i64) -> bool {
    !(-MAX_FORMAT_NUMBER..=MAX_FORMAT_NUMBER).contains(&x)
}

/// Go's `parsenum`: the decimal number in `s[start..end]`, whether there was one, and the
/// index after it. An overflowing number consumes everything.
fn parse_num(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let (mut num, mut is_num, mut i) = (0i64, false, start);
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(s[i] - b'0');
        is_num = true;
        i += 1;
    }
    (num, is_num, i)
}

/// Go's `parseArgNumber` on `s` starting at `[`: the zero-based index, the bytes consumed
/// (through `]`, or just the `[` when there is none) and whether it parsed.
fn parse_arg_number(s: &[u8]) -> (i64, usize, bool) {
    if s.len() < 3 {
        return (0, 1, false);
    }
    match s.iter().skip(1).position(|&c| c == b']') {
        Some(offset) => {
            let close = offset + 1;
            let (width, ok, newi) = parse_num(s, 1, close);
            if !ok || newi != close {
                return (0, close + 1, false);
            }
            (width - 1, close + 1, true)
        }
        None => (0, 1, false),
    }
}

/// Go's `intFromArg`: the operand at `arg_num` as a width or precision, whether it is an
/// integer in range, and the next argument number.
fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let Some(arg) = args.get(arg_num) else {
        return (0, false, arg_num);
    };
    let (num, is_int) = match arg {
        Value::Int(n, _) => (*n, true),
        Value::Uint(n) => i64::try_from(*n).map_or((0, false), |n| (n, true)),
        _ => (0, false),
    };
    if too_large(num) {
        (0, false, arg_num + 1)
    } else {
        (num, is_int, arg_num + 1)
    }
}

impl Printer {
    /// Go's `argNumber`: the argument a `[n]` at `format[i..]` selects (or `arg_num`), the
    /// index after it, and whether there was a valid one.
    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        if format.get(i) != Some(&b'[') {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if let Ok(index) = usize::try_from(index)
            && ok
            && index < num_args
        {
            return (index, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn verb_error(&mut self, verb: char, what: &[u8]) {
        self.write(b"%!");
        self.write_rune(verb);
        self.write(what);
    }

    /// Go's `doPrintf`.
    pub(super) fn do_printf(&mut self, format: &str, args: &[Value]) {
        let format = format.as_bytes();
        let end = format.len();
        let mut arg_num = 0;
        let mut after_index;
        self.reordered = false;
        let mut i = 0;
        'format: while i < end {
            self.good_arg_num = true;
            let last = i;
            while i < end && format[i] != b'%' {
                i += 1;
            }
            if i > last {
                self.write(&format[last..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // the '%'

            self.fmt.clear_flags();
            while i < end {
                let c = format[i];
                let flags = &mut self.fmt.flags;
                match c {
                    b'#' => flags.sharp = true,
                    b'0' => flags.zero = true,
                    b'+' => flags.plus = true,
                    b'-' => flags.minus = true,
                    b' ' => flags.space = true,
                    // Fast path: a lower-case verb right after the flags.
                    b'a'..=b'z' if arg_num < args.len() => {
                        if c == b'v' || c == b'w' {
                            flags.sharp_v = flags.sharp;
                            flags.sharp = false;
                            flags.plus = false;
                        }
                        self.print_arg(&args[arg_num], char::from(c));
                        arg_num += 1;
                        i += 1;
                        continue 'format;
                    }
                    _ => break,
                }
                i += 1;
            }

            // An explicit argument index?
            (arg_num, i, after_index) = self.arg_number(arg_num, format, i, args.len());

            // Width.
            if i < end && format[i] == b'*' {
                i += 1;
                let (wid, present, next) = int_from_arg(args, arg_num);
                arg_num = next;
                self.fmt.flags.wid_present = present;
                if !present {
                    self.write(b"%!(BADWIDTH)");
                }
                // A negative width means left-justify.
                if wid < 0 {
                    self.fmt.flags.minus = true;
                    self.fmt.flags.zero = false;
                }
                self.fmt.wid = wid.unsigned_abs() as usize;
                after_index = false;
            } else {
                let (wid, present, next) = parse_num(format, i, end);
                (self.fmt.wid, self.fmt.flags.wid_present, i) = (wid as usize, present, next);
                if after_index && present {
                    self.good_arg_num = false; // "%[3]2d"
                }
            }

            // Precision.
            if i + 1 < end && format[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false; // "%[3].2d"
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, format, i, args.len());
                if i < end && format[i] == b'*' {
                    i += 1;
                    let (prec, mut present, next) = int_from_arg(args, arg_num);
                    arg_num = next;
                    // A negative precision means none.
                    if prec < 0 {
                        present = false;
                    }
                    self.fmt.prec = prec.max(0) as usize;
                    self.fmt.flags.prec_present = present;
                    if !present {
                        self.write(b"%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (prec, present, next) = parse_num(format, i, end);
                    i = next;
                    // "%.d": an empty precision is zero.
                    self.fmt.prec = if present { prec as usize } else { 0 };
                    self.fmt.flags.prec_present = true;
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, format, i, args.len());
            }

            if i >= end {
                self.write(b"%!(NOVERB)");
                break;
            }
            let (verb, size) = decode_rune(&format[i..]);
            let verb = verb.unwrap_or(RUNE_ERROR);
            i += size;

            if verb == '%' {
                // A literal percent takes no operand and ignores width and precision.
                self.write(b"%");
            } else if !self.good_arg_num {
                self.verb_error(verb, b"(BADINDEX)");
            } else if arg_num >= args.len() {
                self.verb_error(verb, b"(MISSING)");
            } else {
                if verb == 'v' || verb == 'w' {
                    let flags = &mut self.fmt.flags;
                    flags.sharp_v = flags.sharp;
                    flags.sharp = false;
                    flags.plus = false;
                }
                self.print_arg(&args[arg_num], verb);
                arg_num += 1;
            }
        }

        // Unused operands, unless the format reordered them (then it cannot tell).
        if !self.reordered && arg_num < args.len() {
            self.fmt.clear_flags();
            self.write(b"%!(EXTRA ");
            for (i, arg) in args[arg_num..].iter().enumerate() {
                if i > 0 {
                    self.write(b", ");
                }
                if arg.is_nil() {
                    self.write(b"<nil>");
                } else {
                    self.write(type_name(arg).as_bytes());
                    self.write(b"=");
                    self.print_arg(arg, 'v');
                }
            }
            self.write(b")");
        }
    }

    /// Go's `doPrint`: operands in their default format, with a space between two
    /// operands when neither is a string.
    pub(super) fn do_print(&mut self, args: &[Value]) {
        let mut prev_string = false;
        for (i, arg) in args.iter().enumerate() {
            let is_string = is_string_kind(arg);
            if i > 0 && !is_string && !prev_string {
                self.write(b" ");
            }
            self.print_arg(arg, 'v');
            prev_string = is_string;
        }
    }

    /// Go's `doPrintln`: spaces between all operands and a final newline.
    pub(super) fn do_println(&mut self, args: &[Value]) {
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.write(b" ");
            }
            self.print_arg(arg, 'v');
        }
        self.write(b"\n");
    }
}
