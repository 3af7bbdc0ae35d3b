//! The raw formatter behind `fmt`: flags, width, precision and the padding and number
//! layouts of Go's `fmt/format.go`, writing bytes into the printer's buffer.
use super::ftoa::append_float;
use super::quote::{
    MAX_RUNE, RUNE_ERROR, append_quoted, append_quoted_rune, can_backquote, decode_rune, is_print,
    rune_count,
};

pub(super) const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
pub(super) const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// The flags of one verb, cleared together.
#[derive(Clone, Copy, Default)]
pub(super) struct Flags {
    pub(super) wid_present: bool,
    pub(super) prec_present: bool,
    pub(super) minus: bool,
    pub(super) plus: bool,
    pub(super) sharp: bool,
    pub(super) space: bool,
    pub(super) zero: bool,
    /// `%#v`: Go syntax. `%#v` and `%+v` clear `sharp` and `plus`: they are different,
    /// flagless formats.
    pub(super) sharp_v: bool,
}

/// Go's `fmt` struct: the state of one verb and the output buffer.
#[derive(Default)]
pub(super) struct Fmt {
    pub(super) buf: Vec<u8>,
    pub(super) flags: Flags,
    pub(super) wid: usize,
    pub(super) prec: usize,
}

impl Fmt {
    pub(super) fn clear_flags(&mut self) {
        self.flags = Flags::default();
        self.wid = 0;
        self.prec = 0;
    }

    /// Writes `n` padding bytes: zeros when zero-padding to the left, else spaces.
    pub(super) fn write_padding(&mut self, n: usize) {
        let pad = if self.flags.zero && !self.flags.minus {
            b'0'
        } else {
            b' '
        };
        self.buf.resize(self.buf.len() + n, pad);
    }

    /// Appends `b`, padded to the width (counted in runes) on the left or, with `-`, right.
    pub(super) fn pad(&mut self, b: &[u8]) {
        if !self.flags.wid_present || self.wid == 0 {
            self.buf.extend_from_slice(b);
            return;
        }
        let width = self.wid.saturating_sub(rune_count(b));
        if self.flags.minus {
            self.buf.extend_from_slice(b);
            self.write_padding(width);
        } else {
            self.write_padding(width);
            self.buf.extend_from_slice(b);
        }
    }

    pub(super) fn pad_string(&mut self, s: &str) {
        self.pad(s.as_bytes());
    }

    /// `pad` with zero padding turned off, for text that must not be zero-filled.
    fn pad_spaces(&mut self, b: &[u8]) {
        let old_zero = self.flags.zero;
        self.flags.zero = false;
        self.pad(b);
        self.flags.zero = old_zero;
    }

    pub(super) fn fmt_boolean(&mut self, v: bool) {
        self.pad_string(if v { "true" } else { "false" });
    }

    /// `U+0078`, or with `#` `U+0078 'x'`.
    pub(super) fn fmt_unicode(&mut self, u: u64) {
        let prec = if self.flags.prec_present && self.prec > 4 {
            self.prec
        } else {
            4
        };
        let hex = format!("{u:X}");
        let mut out = Vec::with_capacity(prec + 10);
        out.extend_from_slice(b"U+");
        out.resize(out.len() + prec.saturating_sub(hex.len()), b'0');
        out.extend_from_slice(hex.as_bytes());
        let printable = u32::try_from(u)
            .ok()
            .and_then(char::from_u32)
            .filter(|&c| is_print(c));
        if let Some(c) = printable.filter(|_| self.flags.sharp && u <= MAX_RUNE) {
            out.extend_from_slice(b" '");
            let mut utf8 = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            out.push(b'\'');
        }
        self.pad_spaces(&out);
    }

    /// Formats a signed or unsigned integer in `base` (2, 8, 10 or 16).
    pub(super) fn fmt_integer(
        &mut self,
        mut u: u64,
        base: u64,
        is_signed: bool,
        verb: char,
        digits: &[u8; 17],
    ) {
        let negative = is_signed && (u as i64) < 0;
        if negative {
            u = u.wrapping_neg();
        }
        // Two ways to ask for leading zeros: %.3d or %03d. With both, the zero flag is
        // ignored and the padding is spaces.
        let mut prec = 0;
        if self.flags.prec_present {
            prec = self.prec;
            // Precision 0 and value 0 print nothing but padding.
            if prec == 0 && u == 0 {
                let old_zero = self.flags.zero;
                self.flags.zero = false;
                self.write_padding(self.wid);
                self.flags.zero = old_zero;
                return;
            }
        } else if self.flags.zero && !self.flags.minus && self.flags.wid_present {
            prec = self.wid;
            if negative || self.flags.plus || self.flags.space {
                prec = prec.saturating_sub(1); // room for the sign
            }
        }

        // Built right to left, then reversed.
        let mut rev = Vec::with_capacity(prec.max(24) + 4);
        loop {
            rev.push(digits[(u % base) as usize]);
            u /= base;
            if u == 0 {
                break;
            }
        }
        while rev.len() < prec {
            rev.push(b'0');
        }
        if self.flags.sharp {
            match base {
                2 => rev.extend_from_slice(b"b0"),
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => rev.extend_from_slice(&[digits[16], b'0']),
                _ => {}
            }
        }
        if verb == 'O' {
            rev.extend_from_slice(b"o0");
        }
        if negative {
            rev.push(b'-');
        } else if self.flags.plus {
            rev.push(b'+');
        } else if self.flags.space {
            rev.push(b' ');
        }
        rev.reverse();
        // Zero padding on the left was done above as precision, or is ignored.
        self.pad_spaces(&rev);
    }

    /// `s` cut to the precision, counted in runes.
    fn truncate<'a>(&self, s: &'a [u8]) -> &'a [u8] {
        if self.flags.prec_present {
            let mut n = self.prec;
            let mut i = 0;
            while i < s.len() {
                if n == 0 {
                    return &s[..i];
                }
                n -= 1;
                i += decode_rune(&s[i..]).1;
            }
        }
        s
    }

    /// `%s` of a string or byte slice.
    pub(super) fn fmt_s(&mut self, s: &[u8]) {
        let s = self.truncate(s);
        self.pad(s);
    }

    /// `%x`/`%X` of a string or byte slice: two hex digits per byte, with `#` a leading
    /// `0x`, with space one `0x` per byte separated by spaces.
    pub(super) fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let length = if self.flags.prec_present {
            b.len().min(self.prec)
        } else {
            b.len()
        };
        let mut width = 2 * length;
        if width == 0 {
            if self.flags.wid_present {
                self.write_padding(self.wid);
            }
            return;
        }
        if self.flags.space {
            if self.flags.sharp {
                width *= 2;
            }
            width += length - 1;
        } else if self.flags.sharp {
            width += 2;
        }
        let padding = if self.flags.wid_present {
            self.wid.saturating_sub(width)
        } else {
            0
        };
        if !self.flags.minus {
            self.write_padding(padding);
        }
        if self.flags.sharp {
            self.buf.extend_from_slice(&[b'0', digits[16]]);
        }
        for (i, &c) in b[..length].iter().enumerate() {
            if self.flags.space && i > 0 {
                self.buf.push(b' ');
                if self.flags.sharp {
                    self.buf.extend_from_slice(&[b'0', digits[16]]);
                }
            }
            self.buf
                .extend_from_slice(&[digits[usize::from(c >> 4)], digits[usize::from(c & 0xF)]]);
        }
        if self.flags.minus {
            self.write_padding(padding);
        }
    }

    /// `%q` of a string: a double-quoted Go literal, with `#` a raw literal when possible,
    /// with `+` ASCII only.
    pub(super) fn fmt_q(&mut self, s: &[u8]) {
        let s = self.truncate(s);
        if self.flags.sharp && can_backquote(s) {
            let mut raw = Vec::with_capacity(s.len() + 2);
            raw.push(b'`');
            raw.extend_from_slice(s);
            raw.push(b'`');
            self.pad(&raw);
            return;
        }
        let mut quoted = Vec::with_capacity(s.len() + 2);
        append_quoted(&mut quoted, s, self.flags.plus);
        self.pad(&quoted);
    }

    /// `%c`: the integer as a Unicode character, U+FFFD when it is not one.
    pub(super) fn fmt_c(&mut self, c: u64) {
        let r = go_rune(c);
        let mut utf8 = [0; 4];
        let encoded = r.encode_utf8(&mut utf8).as_bytes().to_vec();
        self.pad(&encoded);
    }

    /// `%q` of an integer: a single-quoted Go character literal.
    pub(super) fn fmt_qc(&mut self, c: u64) {
        let r = if c > MAX_RUNE {
            i64::from(u32::from(RUNE_ERROR))
        } else {
            c as i64
        };
        let mut quoted = Vec::new();
        append_quoted_rune(&mut quoted, r, self.flags.plus);
        self.pad(&quoted);
    }

    /// Formats a float64 with `strconv` format `verb` and default precision `prec`.
    pub(super) fn fmt_float(&mut self, v: f64, verb: u8, mut prec: i32) {
        if self.flags.prec_present {
            prec = i32::try_from(self.prec).unwrap_or(i32::MAX);
        }
        // num[0] holds the sign, '+' when positive.
        let mut num = vec![b'+'];
        append_float(&mut num, v, verb, prec, 64);
        if num[1] == b'-' || num[1] == b'+' {
            num.remove(0);
        }
        if self.flags.space && num[0] == b'+' && !self.flags.plus {
            num[0] = b' ';
        }
        // Infinities and NaN are not numbers to zero-pad.
        if num[1] == b'I' || num[1] == b'N' {
            if num[1] == b'N' && !self.flags.space && !self.flags.plus {
                num.remove(0);
            }
            self.pad_spaces(&num);
            return;
        }
        // `#` forces a decimal point and keeps trailing zeros (not for %b).
        if self.flags.sharp && verb != b'b' {
            num = sharp_float(num, verb, prec);
        }
        if self.flags.plus || num[0] != b'+' {
            // Zero padding goes between the sign and the digits.
            if self.flags.zero
                && !self.flags.minus
                && self.flags.wid_present
                && self.wid > num.len()
            {
                self.buf.push(num[0]);
                self.write_padding(self.wid - num.len());
                self.buf.extend_from_slice(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        // A positive number without a requested sign.
        self.pad(&num[1..]);
    }
}

/// The `#` form of a formatted float `num` (sign first): a decimal point always, and for
/// %g/%x the trailing zeros up to the precision (6 when unset).
fn sharp_float(mut num: Vec<u8>, verb: u8, prec: i32) -> Vec<u8> {
    let mut digits = match verb {
        b'g' | b'G' | b'x' if prec == -1 => 6,
        b'g' | b'G' | b'x' => prec,
        _ => 0,
    };
    let mut tail = Vec::new();
    let mut has_decimal_point = false;
    let mut saw_nonzero_digit = false;
    let mut i = 1;
    while i < num.len() {
        match num[i] {
            b'.' => has_decimal_point = true,
            b'p' | b'P' => {
                tail = num.split_off(i);
            }
            b'e' | b'E' if verb != b'x' && verb != b'X' => {
                tail = num.split_off(i);
            }
            c => {
                if c != b'0' {
                    saw_nonzero_digit = true;
                }
                // Count significant digits after the first non-zero one.
                if saw_nonzero_digit {
                    digits -= 1;
                }
            }
        }
        i += 1;
    }
    if !has_decimal_point {
        // A lone 0 counts as one digit.
        if num.len() == 2 && num[1] == b'0' {
            digits -= 1;
        }
        num.push(b'.');
    }
    if digits > 0 {
        num.resize(num.len() + digits as usize, b'0');
    }
    num.extend_from_slice(&tail);
    num
}

/// Go's conversion of an integer to a rune for `%c`: U+FFFD when out of range or not a
/// Unicode scalar value.
fn go_rune(c: u64) -> char {
    if c > MAX_RUNE {
        return RUNE_ERROR;
    }
    u32::try_from(c)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or(RUNE_ERROR)
}
