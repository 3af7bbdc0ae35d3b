//! Sprig's hashing and symmetric crypto (`crypto.go`): `sha1sum`, `sha256sum`,
//! `sha512sum`, `adler32sum`, `bcrypt`, `htpasswd`, `derivePassword`, `encryptAES` and
//! `decryptAES`.
use aes::Aes256;
use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::encoding::base64_decode;
use super::{Environment, Error, Result};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha1sum S`: hex SHA-1.
pub fn sha1sum(s: &[u8]) -> String {
    hex(&Sha1::digest(s))
}

/// `sha256sum S`: hex SHA-256.
pub fn sha256sum(s: &[u8]) -> String {
    hex(&Sha256::digest(s))
}

/// `sha512sum S`: hex SHA-512.
pub fn sha512sum(s: &[u8]) -> String {
    hex(&Sha512::digest(s))
}

/// `adler32sum S`: the Adler-32 checksum in decimal.
pub fn adler32sum(s: &[u8]) -> String {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in s.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    ((b << 16) | a).to_string()
}

/// golang.org/x/crypto/bcrypt's `DefaultCost`, which Sprig uses.
const BCRYPT_COST: u32 = 10;

/// `bcrypt S`: a `$2a$10$` hash with a random salt, or Sprig's failure text.
pub fn bcrypt(env: &dyn Environment, password: &str) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .to_owned();
    }
    let mut salt = [0u8; 16];
    env.fill_random(&mut salt);
    match ::bcrypt::hash_with_salt(password, BCRYPT_COST, salt) {
        Ok(parts) => parts.format_for_version(::bcrypt::Version::TwoA),
        Err(err) => format!("failed to encrypt string with bcrypt: {err}"),
    }
}

/// `htpasswd USER PASSWORD`: an Apache htpasswd line with a bcrypt hash.
pub fn htpasswd(env: &dyn Environment, username: &str, password: &str) -> String {
    if username.contains(':') {
        return format!("invalid username: {username}");
    }
    format!("{username}:{}", bcrypt(env, password))
}

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// `derivePassword COUNTER TYPE PASSWORD USER SITE`: the Master Password algorithm.
pub fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let derived = scrypt::Params::new(15, 8, 2)
        .map_err(|e| e.to_string())
        .and_then(|params| {
            scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key).map_err(|e| e.to_string())
        });
    if let Err(err) = derived {
        return format!("failed to derive password: {err}");
    }
    let mut message = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    message.extend_from_slice(&(site.len() as u32).to_be_bytes());
    message.extend_from_slice(site.as_bytes());
    message.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&key) else {
        return "failed to derive password: invalid key".to_owned();
    };
    mac.update(&message);
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()].as_bytes();
    template
        .iter()
        .enumerate()
        .map(|(i, &class)| {
            let chars = template_characters(class);
            char::from(chars[usize::from(seed[i + 1]) % chars.len()])
        })
        .collect()
}

const BLOCK: usize = 16;

/// The AES-256 cipher of a password as Sprig makes it: the bytes zero-padded or cut to
/// 32.
fn cipher_for(password: &str) -> Aes256 {
    let mut key = [0u8; 32];
    let bytes = password.as_bytes();
    let n = bytes.len().min(32);
    key[..n].copy_from_slice(&bytes[..n]);
    Aes256::new(&key.into())
}

/// `encryptAES PASSWORD TEXT`: AES-256-CBC with PKCS#7 padding and a random IV, base64
/// of IV and ciphertext.
pub fn encrypt_aes(env: &dyn Environment, password: &str, plaintext: &str) -> Result<String> {
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let cipher = cipher_for(password);
    let mut content = plaintext.as_bytes().to_vec();
    let padding = BLOCK - content.len() % BLOCK;
    content.extend(std::iter::repeat_n(padding as u8, padding));
    let mut out = vec![0u8; BLOCK];
    env.fill_random(&mut out);
    let mut previous = [0u8; BLOCK];
    previous.copy_from_slice(&out);
    for chunk in content.chunks(BLOCK) {
        let mut block = [0u8; BLOCK];
        for (i, b) in chunk.iter().enumerate() {
            block[i] = b ^ previous[i];
        }
        let mut block = block.into();
        cipher.encrypt_block(&mut block);
        previous.copy_from_slice(&block);
        out.extend_from_slice(&block);
    }
    Ok(crate::json::base64_std(&out))
}

/// `decryptAES PASSWORD BASE64`: the inverse of `encryptAES`, failing as Go's slicing and
/// `CryptBlocks` do on malformed input.
pub fn decrypt_aes(password: &str, crypt64: &str) -> Result<String> {
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = base64_decode(crypt64.as_bytes()).map_err(Error::new)?;
    if crypt.len() < BLOCK {
        let capacity = crypt64.len() / 4 * 3;
        return Err(Error::new(format!(
            "runtime error: slice bounds out of range [:{BLOCK}] with capacity {capacity}"
        )));
    }
    let (iv, body) = crypt.split_at(BLOCK);
    if body.len() % BLOCK != 0 {
        return Err(Error::new("crypto/cipher: input not full blocks"));
    }
    let cipher = cipher_for(password);
    let mut previous = [0u8; BLOCK];
    previous.copy_from_slice(iv);
    let mut decrypted = Vec::with_capacity(body.len());
    for chunk in body.chunks(BLOCK) {
        let mut block = [0u8; BLOCK];
        block.copy_from_slice(chunk);
        let mut block = block.into();
        cipher.decrypt_block(&mut block);
        for (i, b) in block.iter().enumerate() {
            decrypted.push(b ^ previous[i]);
        }
        previous.copy_from_slice(chunk);
    }
    let Some(&last) = decrypted.last() else {
        return Err(Error::new("runtime error: index out of range [-1]"));
    };
    let keep = decrypted.len() as i64 - i64::from(last);
    if keep < 0 {
        return Err(Error::new(format!(
            "runtime error: slice bounds out of range [:{keep}]"
        )));
    }
    decrypted.truncate(keep as usize);
    Ok(String::from_utf8_lossy(&decrypted).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::DeterministicEnvironment;

    #[test]
    fn hashes_are_hex() {
        assert_eq!(sha1sum(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sha256sum(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(adler32sum(b"Wikipedia"), "300286872");
    }

    #[test]
    fn aes_round_trips_and_bcrypt_verifies() {
        let env = DeterministicEnvironment::new(1_700_000_000);
        let sealed = encrypt_aes(&env, "secret", "hello world").unwrap();
        assert_eq!(decrypt_aes("secret", &sealed).unwrap(), "hello world");
        assert!(decrypt_aes("secret", "YWJj").is_err());
        let hash = bcrypt(&env, "pw");
        assert!(hash.starts_with("$2a$10$"));
        assert!(::bcrypt::verify("pw", &hash).unwrap());
        assert_eq!(htpasswd(&env, "a:b", "pw"), "invalid username: a:b");
    }
}
