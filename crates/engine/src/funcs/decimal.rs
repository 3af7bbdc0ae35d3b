//! The part of shopspring/decimal v1.4.0 that Sprig's float arithmetic (`addf`, `subf`,
//! `mulf`, `divf`, `add1f`) goes through: exact decimals made from float64s by their
//! shortest representation, added, subtracted and multiplied exactly, divided to 16
//! decimal places (rounding half away from zero), and turned back into the nearest float64.
use std::cmp::Ordering;

use super::{Error, Result};

/// shopspring's `DivisionPrecision`.
const DIVISION_PRECISION: i32 = 16;

/// The most decimal digits a value may grow to; Go's big integers have no such bound, but
/// operands that are float64s never come near it.
const MAX_DIGITS: usize = 100_000;

/// `±digits × 10^exp`, with `digits` little-endian base 10 and no leading zeros.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

fn trim(digits: &mut Vec<u8>) {
    while digits.last() == Some(&0) {
        digits.pop();
    }
}

fn cmp_mag(a: &[u8], b: &[u8]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

fn add_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0u8;
    for i in 0..a.len().max(b.len()) {
        let sum = a.get(i).copied().unwrap_or(0) + b.get(i).copied().unwrap_or(0) + carry;
        out.push(sum % 10);
        carry = sum / 10;
    }
    if carry > 0 {
        out.push(carry);
    }
    out
}

/// `a - b` for `a >= b`.
fn sub_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    for (i, &d) in a.iter().enumerate() {
        let mut diff = d as i8 - b.get(i).copied().unwrap_or(0) as i8 - borrow;
        borrow = 0;
        if diff < 0 {
            diff += 10;
            borrow = 1;
        }
        out.push(diff as u8);
    }
    trim(&mut out);
    out
}

fn mul_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut acc = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        for (j, &y) in b.iter().enumerate() {
            acc[i + j] += u32::from(x) * u32::from(y);
        }
        // Normalise as we go so the accumulators stay small.
        let mut carry = 0;
        for slot in acc.iter_mut() {
            let v = *slot + carry;
            *slot = v % 10;
            carry = v / 10;
        }
    }
    let mut out: Vec<u8> = acc.into_iter().map(|d| d as u8).collect();
    trim(&mut out);
    out
}

/// `a / b` and `a % b` by long division, most significant digit first.
fn divmod_mag(a: &[u8], b: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut quotient = vec![0u8; a.len()];
    let mut rem: Vec<u8> = Vec::new();
    for i in (0..a.len()).rev() {
        rem.insert(0, a[i]);
        trim(&mut rem);
        let mut q = 0;
        while cmp_mag(&rem, b) != Ordering::Less {
            rem = sub_mag(&rem, b);
            q += 1;
        }
        quotient[i] = q;
    }
    trim(&mut quotient);
    (quotient, rem)
}

fn shift_left(digits: &[u8], zeros: usize) -> Vec<u8> {
    if digits.is_empty() {
        return Vec::new();
    }
    let mut out = vec![0u8; zeros];
    out.extend_from_slice(digits);
    out
}

impl Decimal {
    fn new(neg: bool, mut digits: Vec<u8>, exp: i64) -> Result<Decimal> {
        trim(&mut digits);
        if digits.len() > MAX_DIGITS {
            return Err(Error::new(format!(
                "decimal: result exceeds helmsync's limit of {MAX_DIGITS} digits"
            )));
        }
        let neg = neg && !digits.is_empty();
        Ok(Decimal { neg, digits, exp })
    }

    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    pub fn from_f64(f: f64) -> Result<Decimal> {
        if !f.is_finite() {
            return Err(Error::new(format!(
                "Cannot create a Decimal from {}",
                crate::gofmt::sprint(&[crate::value::Value::Float(f)])
            )));
        }
        let text = format!("{:e}", f.abs());
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i64 = exponent.parse().unwrap_or(0);
        let fraction_len = mantissa.split_once('.').map_or(0, |(_, frac)| frac.len()) as i64;
        let digits: Vec<u8> = mantissa
            .bytes()
            .filter(u8::is_ascii_digit)
            .rev()
            .map(|b| b - b'0')
            .collect();
        Decimal::new(f.is_sign_negative(), digits, exponent - fraction_len)
    }

    /// `Rat().Float64()`: the nearest float64.
    pub fn to_f64(&self) -> f64 {
        if self.digits.is_empty() {
            return 0.0;
        }
        let digits: String = self
            .digits
            .iter()
            .rev()
            .map(|d| char::from(b'0' + d))
            .collect();
        let text = format!("{}{digits}e{}", if self.neg { "-" } else { "" }, self.exp);
        text.parse().unwrap_or(0.0)
    }

    fn aligned(&self, other: &Decimal) -> (Vec<u8>, Vec<u8>, i64) {
        let exp = self.exp.min(other.exp);
        (
            shift_left(&self.digits, (self.exp - exp) as usize),
            shift_left(&other.digits, (other.exp - exp) as usize),
            exp,
        )
    }

    pub fn add(&self, other: &Decimal) -> Result<Decimal> {
        if self.exp.abs_diff(other.exp) as usize > MAX_DIGITS {
            return Err(Error::new(format!(
                "decimal: result exceeds helmsync's limit of {MAX_DIGITS} digits"
            )));
        }
        let (a, b, exp) = self.aligned(other);
        if self.neg == other.neg {
            return Decimal::new(self.neg, add_mag(&a, &b), exp);
        }
        match cmp_mag(&a, &b) {
            Ordering::Less => Decimal::new(other.neg, sub_mag(&b, &a), exp),
            _ => Decimal::new(self.neg, sub_mag(&a, &b), exp),
        }
    }

    pub fn sub(&self, other: &Decimal) -> Result<Decimal> {
        let negated = Decimal {
            neg: !other.neg && !other.digits.is_empty(),
            ..other.clone()
        };
        self.add(&negated)
    }

    pub fn mul(&self, other: &Decimal) -> Result<Decimal> {
        Decimal::new(
            self.neg != other.neg,
            mul_mag(&self.digits, &other.digits),
            self.exp + other.exp,
        )
    }

    /// `Div`: `DivRound(other, 16)`.
    pub fn div(&self, other: &Decimal) -> Result<Decimal> {
        if other.digits.is_empty() {
            return Err(Error::new("decimal division by 0"));
        }
        // Quotient scaled to 10^-16: a×10^(ea-eb+16) / b.
        let e = self.exp - other.exp + i64::from(DIVISION_PRECISION);
        if e.unsigned_abs() as usize > MAX_DIGITS {
            return Err(Error::new(format!(
                "decimal: result exceeds helmsync's limit of {MAX_DIGITS} digits"
            )));
        }
        let (a, b) = if e >= 0 {
            (shift_left(&self.digits, e as usize), other.digits.clone())
        } else {
            (
                self.digits.clone(),
                shift_left(&other.digits, (-e) as usize),
            )
        };
        let (mut q, r) = divmod_mag(&a, &b);
        // Round half away from zero: compare 2r with b.
        if cmp_mag(&add_mag(&r, &r), &b) != Ordering::Less {
            q = add_mag(&q, &[1]);
        }
        Decimal::new(self.neg != other.neg, q, -i64::from(DIVISION_PRECISION))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(f: f64) -> Decimal {
        Decimal::from_f64(f).unwrap()
    }

    #[test]
    fn arithmetic_is_exact_in_decimal() {
        assert_eq!(d(0.1).add(&d(0.2)).unwrap().to_f64(), 0.3);
        assert_eq!(d(1.5).sub(&d(2.25)).unwrap().to_f64(), -0.75);
        assert_eq!(d(1.1).mul(&d(1.1)).unwrap().to_f64(), 1.21);
        assert_eq!(d(1.0).div(&d(3.0)).unwrap().to_f64(), 0.3333333333333333);
        assert_eq!(d(2.0).div(&d(3.0)).unwrap().to_f64(), 0.6666666666666667);
        assert_eq!(d(-2.0).div(&d(3.0)).unwrap().to_f64(), -0.6666666666666667);
        assert!(d(1.0).div(&d(0.0)).is_err());
        assert!(Decimal::from_f64(f64::NAN).is_err());
    }
}
