//! Exact multiprecision decimal arithmetic for float formatting: a port of Go's
//! `strconv/decimal.go` and of `roundShortest` from `strconv/ftoa.go`.
//!
//! Every float64 is `mant * 2^exp`, and since 2 divides 10 its decimal expansion is finite:
//! at most 767 significant digits, which fit in `MAX_DIGITS`. Rounding works on the exact
//! digits, so `%.2f` of 1.005 gives "1.00" (the binary value is just below 1.005) and ties
//! round to even, exactly as Go prints them.

/// Digits held by a `Decimal`; Go's size, enough for every float64 without truncation.
const MAX_DIGITS: usize = 800;

/// Largest binary shift done in one pass: `9 << k` must not overflow a u64 accumulator.
const MAX_SHIFT: u32 = 60;

/// A decimal number `0.d[0..nd] * 10^dp`, digits stored as ASCII.
pub(super) struct Decimal {
    pub(super) d: [u8; MAX_DIGITS],
    pub(super) nd: usize,
    pub(super) dp: i32,
    /// Nonzero digits were discarded beyond `d[..nd]`.
    trunc: bool,
}

impl Decimal {
    /// The decimal value of `v`.
    pub(super) fn new(v: u64) -> Decimal {
        let mut a = Decimal {
            d: [b'0'; MAX_DIGITS],
            nd: 0,
            dp: 0,
            trunc: false,
        };
        let digits = v.to_string();
        a.d[..digits.len()].copy_from_slice(digits.as_bytes());
        a.nd = digits.len();
        a.dp = a.nd as i32;
        a.trim();
        a
    }

    pub(super) fn digits(&self) -> &[u8] {
        &self.d[..self.nd]
    }

    /// Drops trailing zeros: the decimal point is tracked apart from the digits.
    fn trim(&mut self) {
        while self.nd > 0 && self.d[self.nd - 1] == b'0' {
            self.nd -= 1;
        }
        if self.nd == 0 {
            self.dp = 0;
        }
    }

    /// Multiplies by `2^k` (k > 0) or divides by `2^-k` (k < 0), exactly.
    pub(super) fn shift(&mut self, mut k: i32) {
        if self.nd == 0 {
            return;
        }
        let max = MAX_SHIFT as i32;
        if k > 0 {
            while k > max {
                self.left_shift(MAX_SHIFT);
                k -= max;
            }
            self.left_shift(k as u32);
        } else if k < 0 {
            while k < -max {
                self.right_shift(MAX_SHIFT);
                k += max;
            }
            self.right_shift((-k) as u32);
        }
    }

    fn right_shift(&mut self, k: u32) {
        let mut r = 0; // read index
        let mut w = 0; // write index
        let mut n: u64 = 0;
        // Pick up enough leading digits to cover the first shift.
        while n >> k == 0 {
            if r >= self.nd {
                if n == 0 {
                    self.nd = 0;
                    return;
                }
                while n >> k == 0 {
                    n *= 10;
                    r += 1;
                }
                break;
            }
            n = n * 10 + u64::from(self.d[r] - b'0');
            r += 1;
        }
        self.dp -= r as i32 - 1;
        let mask = (1u64 << k) - 1;
        // Pick up a digit, put down a digit.
        while r < self.nd {
            let c = u64::from(self.d[r] - b'0');
            let dig = n >> k;
            n &= mask;
            self.d[w] = dig as u8 + b'0';
            w += 1;
            n = n * 10 + c;
            r += 1;
        }
        // Put down extra digits.
        while n > 0 {
            let dig = n >> k;
            n &= mask;
            if w < MAX_DIGITS {
                self.d[w] = dig as u8 + b'0';
                w += 1;
            } else if dig > 0 {
                self.trunc = true;
            }
            n *= 10;
        }
        self.nd = w;
        self.trim();
    }

    fn left_shift(&mut self, k: u32) {
        let delta = new_digits_of_left_shift(&self.d[..self.nd], k);
        let mut r = self.nd;
        let mut w = self.nd + delta;
        let mut n: u64 = 0;
        // Pick up a digit, put down a digit.
        while r > 0 {
            r -= 1;
            n += u64::from(self.d[r] - b'0') << k;
            let quo = n / 10;
            let rem = n - 10 * quo;
            w -= 1;
            if w < MAX_DIGITS {
                self.d[w] = rem as u8 + b'0';
            } else if rem != 0 {
                self.trunc = true;
            }
            n = quo;
        }
        // Put down extra digits.
        while n > 0 {
            let quo = n / 10;
            let rem = n - 10 * quo;
            w -= 1;
            if w < MAX_DIGITS {
                self.d[w] = rem as u8 + b'0';
            } else if rem != 0 {
                self.trunc = true;
            }
            n = quo;
        }
        self.nd = (self.nd + delta).min(MAX_DIGITS);
        self.dp += delta as i32;
        self.trim();
    }

    /// Whether chopping at `nd` digits should round up (ties to even).
    fn should_round_up(&self, nd: usize) -> bool {
        if nd >= self.nd {
            return false;
        }
        if self.d[nd] == b'5' && nd + 1 == self.nd {
            // Exactly halfway, unless digits were truncated (then a little above).
            if self.trunc {
                return true;
            }
            return nd > 0 && !(self.d[nd - 1] - b'0').is_multiple_of(2);
        }
        self.d[nd] >= b'5'
    }

    /// Rounds to `nd` digits (or fewer); a negative `nd` leaves the number alone, zero
    /// rounds just left of the first digit (0.09 -> 0.1).
    pub(super) fn round(&mut self, nd: i32) {
        let Ok(nd) = usize::try_from(nd) else { return };
        if nd >= self.nd {
            return;
        }
        if self.should_round_up(nd) {
            self.round_up(nd as i32);
        } else {
            self.round_down(nd as i32);
        }
    }

    /// Truncates to `nd` digits (or fewer).
    pub(super) fn round_down(&mut self, nd: i32) {
        let Ok(nd) = usize::try_from(nd) else { return };
        if nd >= self.nd {
            return;
        }
        self.nd = nd;
        self.trim();
    }

    /// Rounds away from zero at `nd` digits (or fewer).
    pub(super) fn round_up(&mut self, nd: i32) {
        let Ok(nd) = usize::try_from(nd) else { return };
        if nd >= self.nd {
            return;
        }
        for i in (0..nd).rev() {
            if self.d[i] < b'9' {
                self.d[i] += 1;
                self.nd = i + 1;
                return;
            }
        }
        // All nines: becomes a single 1 one place higher.
        self.d[0] = b'1';
        self.nd = 1;
        self.dp += 1;
    }
}

/// Leading digits of `5^k` (the digits of `1/2^k`) for each shift `k`: a left shift by `k`
/// adds `LEFT_CHEATS[k].0` digits, one fewer when the number is below the prefix.
const LEFT_CHEATS: [(usize, &str); 61] = [
    (0, ""),
    (1, "5"),
    (1, "25"),
    (1, "125"),
    (2, "625"),
    (2, "3125"),
    (2, "15625"),
    (3, "78125"),
    (3, "390625"),
    (3, "1953125"),
    (4, "9765625"),
    (4, "48828125"),
    (4, "244140625"),
    (4, "1220703125"),
    (5, "6103515625"),
    (5, "30517578125"),
    (5, "152587890625"),
    (6, "762939453125"),
    (6, "3814697265625"),
    (6, "19073486328125"),
    (7, "95367431640625"),
    (7, "476837158203125"),
    (7, "2384185791015625"),
    (7, "11920928955078125"),
    (8, "59604644775390625"),
    (8, "298023223876953125"),
    (8, "1490116119384765625"),
    (9, "7450580596923828125"),
    (9, "37252902984619140625"),
    (9, "186264514923095703125"),
    (10, "931322574615478515625"),
    (10, "4656612873077392578125"),
    (10, "23283064365386962890625"),
    (10, "116415321826934814453125"),
    (11, "582076609134674072265625"),
    (11, "2910383045673370361328125"),
    (11, "14551915228366851806640625"),
    (12, "72759576141834259033203125"),
    (12, "363797880709171295166015625"),
    (12, "1818989403545856475830078125"),
    (13, "9094947017729282379150390625"),
    (13, "45474735088646411895751953125"),
    (13, "227373675443232059478759765625"),
    (13, "1136868377216160297393798828125"),
    (14, "5684341886080801486968994140625"),
    (14, "28421709430404007434844970703125"),
    (14, "142108547152020037174224853515625"),
    (15, "710542735760100185871124267578125"),
    (15, "3552713678800500929355621337890625"),
    (15, "17763568394002504646778106689453125"),
    (16, "88817841970012523233890533447265625"),
    (16, "444089209850062616169452667236328125"),
    (16, "2220446049250313080847263336181640625"),
    (16, "11102230246251565404236316680908203125"),
    (17, "55511151231257827021181583404541015625"),
    (17, "277555756156289135105907917022705078125"),
    (17, "1387778780781445675529539585113525390625"),
    (18, "6938893903907228377647697925567626953125"),
    (18, "34694469519536141888238489627838134765625"),
    (18, "173472347597680709441192448139190673828125"),
    (19, "867361737988403547205962240695953369140625"),
];

fn new_digits_of_left_shift(digits: &[u8], k: u32) -> usize {
    let (delta, cutoff) = LEFT_CHEATS[k as usize];
    if prefix_is_less_than(digits, cutoff.as_bytes()) {
        delta - 1
    } else {
        delta
    }
}

fn prefix_is_less_than(b: &[u8], s: &[u8]) -> bool {
    for (i, &c) in s.iter().enumerate() {
        match b.get(i) {
            None => return true,
            Some(&digit) if digit != c => return digit < c,
            Some(_) => {}
        }
    }
    false
}

/// The layout of a binary float format.
#[derive(Clone, Copy)]
pub(super) struct FloatInfo {
    pub(super) mantbits: u32,
    pub(super) expbits: u32,
    pub(super) bias: i32,
}

pub(super) const FLOAT32: FloatInfo = FloatInfo {
    mantbits: 23,
    expbits: 8,
    bias: -127,
};
pub(super) const FLOAT64: FloatInfo = FloatInfo {
    mantbits: 52,
    expbits: 11,
    bias: -1023,
};

/// Rounds `d` (= `mant * 2^(exp - mantbits)`) to the fewest digits that still read back as
/// the same float: every decimal strictly between the halfway points to the neighbouring
/// floats (inclusive when the mantissa is even, as round-half-even parsing allows).
pub(super) fn round_shortest(d: &mut Decimal, mant: u64, exp: i32, flt: FloatInfo) {
    if mant == 0 {
        d.nd = 0;
        return;
    }
    let mantbits = flt.mantbits as i32;
    // Already shortest when the closest shorter number, 10^(dp-nd) away, lies beyond the
    // rounding interval (log2(10) > 3.32).
    let minexp = flt.bias + 1;
    if exp > minexp && 332 * (d.dp - d.nd as i32) >= 100 * (exp - mantbits) {
        return;
    }

    // Upper bound: halfway to the next float up.
    let mut upper = Decimal::new(mant * 2 + 1);
    upper.shift(exp - mantbits - 1);

    // Lower bound: halfway to the next float down, which has a finer spacing when `mant`
    // is the smallest mantissa of its binade (and not denormal).
    let (mantlo, explo) = if mant > 1u64 << flt.mantbits || exp == minexp {
        (mant - 1, exp)
    } else {
        (mant * 2 - 1, exp - 1)
    };
    let mut lower = Decimal::new(mantlo * 2 + 1);
    lower.shift(explo - mantbits - 1);

    let inclusive = mant.is_multiple_of(2);

    // 0: d and upper agree so far; 1: they differ by one followed by 9s in d and 0s in
    // upper; 2: they differ by more, so rounding up stays within the bound.
    let mut upperdelta = 0u8;
    let mut ui: i32 = 0;
    loop {
        // upper has the most digits; d and lower may start later (indices below zero).
        let mi = ui - upper.dp + d.dp;
        if mi >= d.nd as i32 {
            break;
        }
        let li = ui - upper.dp + lower.dp;
        let l = digit_at(&lower, li);
        let m = digit_at(d, mi);
        let u = digit_at(&upper, ui);

        // Rounding down is fine when lower has a different digit, or when lower is
        // inclusive and this is its last digit.
        let okdown = l != m || inclusive && li + 1 == lower.nd as i32;

        if upperdelta == 0 && m + 1 < u {
            upperdelta = 2;
        } else if upperdelta == 0 && m != u {
            upperdelta = 1;
        } else if upperdelta == 1 && (m != b'9' || u != b'0') {
            upperdelta = 2;
        }
        // Rounding up is fine when upper differs and is inclusive or bigger than the
        // rounded-up result.
        let okup = upperdelta > 0 && (inclusive || upperdelta > 1 || ui + 1 < upper.nd as i32);

        let nd = mi + 1;
        match (okdown, okup) {
            (true, true) => {
                d.round(nd);
                return;
            }
            (true, false) => {
                d.round_down(nd);
                return;
            }
            (false, true) => {
                d.round_up(nd);
                return;
            }
            (false, false) => {}
        }
        ui += 1;
    }
}

/// The digit at index `i`, '0' outside the stored digits.
fn digit_at(d: &Decimal, i: i32) -> u8 {
    match usize::try_from(i) {
        Ok(i) if i < d.nd => d.d[i],
        _ => b'0',
    }
}
