//! `strconv.FormatFloat`: Go's float to text conversion, a port of `strconv/ftoa.go`.
//!
//! All decimal formats go through the exact `Decimal`, Go's own reference path (`bigFtoa`);
//! Go's faster paths are tested to produce the same digits.
use super::decimal::{Decimal, FLOAT32, FLOAT64, FloatInfo, round_shortest};

/// The largest precision honoured; larger ones are clamped. `fmt` rejects widths and
/// precisions above a million, so only direct callers can reach it.
pub const MAX_FLOAT_PRECISION: i32 = 1_000_000;

/// Go's `strconv.FormatFloat(f, fmt, prec, bits)`.
///
/// `fmt` is one of `b e E f g G x X` (anything else gives `%` and the byte, as Go does);
/// `prec` is the number of digits (`-1`: the fewest that read back exactly); `bits` is 32 to
/// round as a float32 first, anything else means float64.
pub fn format_float(f: f64, fmt: u8, prec: i32, bits: u32) -> String {
    let mut dst = Vec::with_capacity(24);
    append_float(&mut dst, f, fmt, prec.min(MAX_FLOAT_PRECISION), bits);
    // Every byte written is ASCII.
    String::from_utf8_lossy(&dst).into_owned()
}

/// Appends `format_float(f, fmt, prec, bits)` to `dst`.
pub(super) fn append_float(dst: &mut Vec<u8>, f: f64, fmt: u8, prec: i32, bits: u32) {
    let (raw, flt) = if bits == 32 {
        (u64::from((f as f32).to_bits()), FLOAT32)
    } else {
        (f.to_bits(), FLOAT64)
    };
    let neg = raw >> (flt.expbits + flt.mantbits) != 0;
    let mut exp = ((raw >> flt.mantbits) & ((1 << flt.expbits) - 1)) as i32;
    let mut mant = raw & ((1u64 << flt.mantbits) - 1);

    if exp == (1 << flt.expbits) - 1 {
        let text: &[u8] = if mant != 0 {
            b"NaN"
        } else if neg {
            b"-Inf"
        } else {
            b"+Inf"
        };
        dst.extend_from_slice(text);
        return;
    }
    if exp == 0 {
        exp += 1; // denormal
    } else {
        mant |= 1u64 << flt.mantbits; // implicit top bit
    }
    exp += flt.bias;

    match fmt {
        b'b' => fmt_b(dst, neg, mant, exp, flt),
        b'x' | b'X' => fmt_x(dst, prec, fmt, neg, mant, exp, flt),
        _ => big_ftoa(dst, prec, fmt, neg, mant, exp, flt),
    }
}

/// Digits of a decimal: `0.d * 10^dp`.
struct Digits<'a> {
    d: &'a [u8],
    dp: i32,
}

impl Digits<'_> {
    fn nd(&self) -> i32 {
        self.d.len() as i32
    }
}

fn big_ftoa(
    dst: &mut Vec<u8>,
    mut prec: i32,
    fmt: u8,
    neg: bool,
    mant: u64,
    exp: i32,
    flt: FloatInfo,
) {
    let mut d = Decimal::new(mant);
    d.shift(exp - flt.mantbits as i32);
    let shortest = prec < 0;
    if shortest {
        round_shortest(&mut d, mant, exp, flt);
        let (nd, dp) = (d.nd as i32, d.dp);
        match fmt {
            b'e' | b'E' => prec = nd - 1,
            b'f' => prec = (nd - dp).max(0),
            b'g' | b'G' => prec = nd,
            _ => {}
        }
    } else {
        match fmt {
            b'e' | b'E' => d.round(prec + 1),
            b'f' => d.round(d.dp + prec),
            b'g' | b'G' => {
                if prec == 0 {
                    prec = 1;
                }
                d.round(prec);
            }
            _ => {}
        }
    }
    let digs = Digits {
        d: d.digits(),
        dp: d.dp,
    };
    format_digits(dst, shortest, neg, &digs, prec, fmt);
}

fn format_digits(
    dst: &mut Vec<u8>,
    shortest: bool,
    neg: bool,
    digs: &Digits<'_>,
    mut prec: i32,
    fmt: u8,
) {
    match fmt {
        b'e' | b'E' => fmt_e(dst, neg, digs, prec, fmt),
        b'f' => fmt_f(dst, neg, digs, prec),
        b'g' | b'G' => {
            // Trailing fractional zeros in 'e' form are trimmed.
            let mut eprec = prec;
            if eprec > digs.nd() && digs.nd() >= digs.dp {
                eprec = digs.nd();
            }
            // %e is used when the exponent is below -4 or at least the precision; the
            // shortest form decides as if the precision were 6.
            if shortest {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                if prec > digs.nd() {
                    prec = digs.nd();
                }
                fmt_e(dst, neg, digs, prec - 1, fmt + b'e' - b'g');
                return;
            }
            if prec > digs.dp {
                prec = digs.nd();
            }
            fmt_f(dst, neg, digs, (prec - digs.dp).max(0));
        }
        _ => dst.extend_from_slice(&[b'%', fmt]),
    }
}

/// `-d.dddde±dd`
fn fmt_e(dst: &mut Vec<u8>, neg: bool, digs: &Digits<'_>, prec: i32, fmt: u8) {
    if neg {
        dst.push(b'-');
    }
    dst.push(digs.d.first().copied().unwrap_or(b'0'));
    if prec > 0 {
        dst.push(b'.');
        let end = digs.d.len().min(prec as usize + 1);
        if end > 1 {
            dst.extend_from_slice(&digs.d[1..end]);
        }
        let written = end.max(1);
        dst.resize(dst.len() + (prec as usize + 1 - written), b'0');
    }
    dst.push(fmt);
    let mut exp = if digs.d.is_empty() { 0 } else { digs.dp - 1 };
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 10 {
        dst.extend_from_slice(&[b'0', exp as u8 + b'0']);
    } else if exp < 100 {
        dst.extend_from_slice(&[(exp / 10) as u8 + b'0', (exp % 10) as u8 + b'0']);
    } else {
        dst.extend_from_slice(&[
            (exp / 100) as u8 + b'0',
            (exp / 10 % 10) as u8 + b'0',
            (exp % 10) as u8 + b'0',
        ]);
    }
}

/// `-ddddddd.ddddd`
fn fmt_f(dst: &mut Vec<u8>, neg: bool, digs: &Digits<'_>, prec: i32) {
    if neg {
        dst.push(b'-');
    }
    if digs.dp > 0 {
        let int_digits = digs.dp as usize;
        let m = digs.d.len().min(int_digits);
        dst.extend_from_slice(&digs.d[..m]);
        dst.resize(dst.len() + (int_digits - m), b'0');
    } else {
        dst.push(b'0');
    }
    if prec > 0 {
        dst.push(b'.');
        for i in 0..prec {
            let j = digs.dp + i;
            let digit = usize::try_from(j).ok().and_then(|j| digs.d.get(j)).copied();
            dst.push(digit.unwrap_or(b'0'));
        }
    }
}

/// `-ddddp±ddd`: the mantissa and binary exponent in decimal.
fn fmt_b(dst: &mut Vec<u8>, neg: bool, mant: u64, exp: i32, flt: FloatInfo) {
    if neg {
        dst.push(b'-');
    }
    dst.extend_from_slice(mant.to_string().as_bytes());
    dst.push(b'p');
    let exp = exp - flt.mantbits as i32;
    if exp >= 0 {
        dst.push(b'+');
    }
    dst.extend_from_slice(exp.to_string().as_bytes());
}

/// `-0x1.yyyyp±dd`: a hexadecimal fraction and a binary exponent.
fn fmt_x(
    dst: &mut Vec<u8>,
    prec: i32,
    fmt: u8,
    neg: bool,
    mut mant: u64,
    mut exp: i32,
    flt: FloatInfo,
) {
    if mant == 0 {
        exp = 0;
    }
    // Shift the leading 1 (if any) to bit 60.
    mant <<= 60 - flt.mantbits;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    // Round to `prec` hex digits, half to even.
    if (0..15).contains(&prec) {
        let shift = prec as u32 * 4;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            // Wrapped around.
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if fmt == b'X' {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    if neg {
        dst.push(b'-');
    }
    dst.extend_from_slice(&[b'0', fmt, b'0' + ((mant >> 60) & 1) as u8]);
    mant <<= 4; // drop the leading 0 or 1
    if prec < 0 && mant != 0 {
        dst.push(b'.');
        while mant != 0 {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    } else if prec > 0 {
        dst.push(b'.');
        for _ in 0..prec {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    }
    dst.push(if fmt == b'X' { b'P' } else { b'p' });
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    let exp = exp as u32;
    if exp < 100 {
        dst.extend_from_slice(&[(exp / 10) as u8 + b'0', (exp % 10) as u8 + b'0']);
    } else if exp < 1000 {
        dst.extend_from_slice(&[
            (exp / 100) as u8 + b'0',
            (exp / 10 % 10) as u8 + b'0',
            (exp % 10) as u8 + b'0',
        ]);
    } else {
        dst.extend_from_slice(&[
            (exp / 1000) as u8 + b'0',
            (exp / 100 % 10) as u8 + b'0',
            (exp / 10 % 10) as u8 + b'0',
            (exp % 10) as u8 + b'0',
        ]);
    }
}
