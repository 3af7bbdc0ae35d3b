//! Sprig's random functions (`randAlpha`, `randNumeric`, `randAlphaNum`, `randAscii`,
//! `randInt`, `randBytes`, `shuffle`, `uuidv4`) and `getHostByName`, drawing from the
//! caller's [`Environment`].
use std::sync::{Mutex, PoisonError};

use super::{Environment, Error, Result, unicode};

/// The longest random string or byte count these functions produce. Go would try to
/// allocate any size; helmsync stops with an error instead.
pub const MAX_RANDOM_LEN: usize = 1 << 20;

/// A uniform integer in `0..n` (Go's `crypto/rand.Int`), by rejection sampling.
pub fn uniform(env: &dyn Environment, n: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let mut buf = [0u8; 8];
        env.fill_random(&mut buf);
        let x = u64::from_le_bytes(buf);
        if x < zone {
            return x % n;
        }
    }
}

fn check_len(count: i64) -> Result<usize> {
    if count as u64 > MAX_RANDOM_LEN as u64 {
        return Err(Error::new(format!(
            "random: {count} exceeds helmsync's limit of {MAX_RANDOM_LEN}"
        )));
    }
    Ok(count as usize)
}

/// goutils' `CryptoRandom(count, start, end, letters, numbers)` for ASCII ranges: draws
/// from `start..end` and keeps the characters of the asked classes. A negative count
/// gives an empty string, as Sprig swallows goutils' error.
fn crypto_random(
    env: &dyn Environment,
    count: i64,
    start: u32,
    end: u32,
    letters: bool,
    numbers: bool,
) -> Result<String> {
    if count <= 0 {
        return Ok(String::new());
    }
    let count = check_len(count)?;
    let mut out = String::with_capacity(count);
    while out.len() < count {
        let code = start + uniform(env, u64::from(end - start)) as u32;
        let Some(ch) = char::from_u32(code) else {
            continue;
        };
        let keep = !letters && !numbers
            || letters && unicode::is_letter(ch)
            || numbers && ch.is_ascii_digit();
        if keep {
            out.push(ch);
        }
    }
    Ok(out)
}

/// `randAlphaNum N`.
pub fn rand_alpha_num(env: &dyn Environment, count: i64) -> Result<String> {
    crypto_random(env, count, u32::from(b' '), u32::from(b'z') + 1, true, true)
}

/// `randAlpha N`.
pub fn rand_alpha(env: &dyn Environment, count: i64) -> Result<String> {
    crypto_random(
        env,
        count,
        u32::from(b' '),
        u32::from(b'z') + 1,
        true,
        false,
    )
}

/// `randNumeric N`.
pub fn rand_numeric(env: &dyn Environment, count: i64) -> Result<String> {
    crypto_random(
        env,
        count,
        u32::from(b' '),
        u32::from(b'z') + 1,
        false,
        true,
    )
}

/// `randAscii N`: printable ASCII, space included.
pub fn rand_ascii(env: &dyn Environment, count: i64) -> Result<String> {
    crypto_random(env, count, 32, 127, false, false)
}

/// `randInt MIN MAX`: `MIN <= n < MAX`; an empty range fails as Go's `rand.Intn` does.
pub fn rand_int(env: &dyn Environment, min: i64, max: i64) -> Result<i64> {
    let span = max.wrapping_sub(min);
    if span <= 0 {
        return Err(Error::new("invalid argument to Intn"));
    }
    Ok(min.wrapping_add(uniform(env, span as u64) as i64))
}

/// `randBytes N`: N random bytes, base64 encoded.
pub fn rand_bytes(env: &dyn Environment, count: i64) -> Result<String> {
    if count < 0 {
        return Err(Error::new("runtime error: makeslice: len out of range"));
    }
    let mut buf = vec![0u8; check_len(count)?];
    env.fill_random(&mut buf);
    Ok(crate::json::base64_std(&buf))
}

/// `shuffle S`: the characters of S in random order (Fisher–Yates, as xstrings does).
pub fn shuffle(env: &dyn Environment, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for i in (1..chars.len()).rev() {
        let j = uniform(env, i as u64 + 1) as usize;
        chars.swap(i, j);
    }
    chars.into_iter().collect()
}

/// `uuidv4`: a random (version 4, RFC 4122 variant) UUID in its canonical text form.
pub fn uuidv4(env: &dyn Environment) -> String {
    let mut b = [0u8; 16];
    env.fill_random(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `getHostByName NAME`: one of the host's addresses; an empty string while DNS lookups
/// are disabled, which is Helm's default.
pub fn get_host_by_name(env: &dyn Environment, name: &str) -> Result<String> {
    let Some(addrs) = env.lookup_host(name) else {
        return Ok(String::new());
    };
    if addrs.is_empty() {
        return Err(Error::new("invalid argument to Intn"));
    }
    let pick = uniform(env, addrs.len() as u64) as usize;
    Ok(addrs[pick].clone())
}

/// An environment for tests and reproducible renders: a fixed clock, UTC as the local
/// zone, and a seeded pseudo-random generator (xorshift) instead of real entropy. Never use
/// it where generated secrets must be unpredictable.
pub struct DeterministicEnvironment {
    now: jiff::Timestamp,
    state: Mutex<u64>,
}

impl DeterministicEnvironment {
    /// Time frozen at `now_unix` seconds; the generator seeded with a fixed constant.
    pub fn new(now_unix: i64) -> DeterministicEnvironment {
        DeterministicEnvironment {
            now: jiff::Timestamp::from_second(now_unix).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            state: Mutex::new(0x9E37_79B9_7F4A_7C15),
        }
    }
}

impl Environment for DeterministicEnvironment {
    fn now(&self) -> jiff::Timestamp {
        self.now
    }

    fn fill_random(&self, buf: &mut [u8]) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        for b in buf {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *b = (*state >> 24) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_strings_have_the_asked_classes() {
        let env = DeterministicEnvironment::new(1_700_000_000);
        let alpha = rand_alpha(&env, 50).unwrap();
        assert_eq!(alpha.len(), 50);
        assert!(alpha.chars().all(|c| c.is_ascii_alphabetic()));
        assert!(
            rand_numeric(&env, 20)
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_digit())
        );
        assert!(
            rand_alpha_num(&env, 20)
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
        );
        assert!(
            rand_ascii(&env, 20)
                .unwrap()
                .chars()
                .all(|c| (' '..='~').contains(&c))
        );
        assert_eq!(rand_alpha(&env, -1).unwrap(), "");
        let n = rand_int(&env, 5, 8).unwrap();
        assert!((5..8).contains(&n));
        assert!(rand_int(&env, 5, 5).is_err());
        let uuid = uuidv4(&env);
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        let mut shuffled: Vec<char> = shuffle(&env, "abcdef").chars().collect();
        shuffled.sort_unstable();
        assert_eq!(shuffled.into_iter().collect::<String>(), "abcdef");
        assert_eq!(get_host_by_name(&env, "example.com").unwrap(), "");
    }
}
