//! Sprig's key and certificate functions: `genPrivateKey`, `genCA`, `genCAWithKey`,
//! `genSelfSignedCert`, `genSelfSignedCertWithKey`, `genSignedCert`,
//! `genSignedCertWithKey` and `buildCustomCert`, with Go's PEM forms and error texts.
//! Behind the default `certs` feature.
//!
//! This file owns the keys (generation, Go's PEM encodings, `parsePrivateKeyPEM`);
//! `certs_x509` builds the certificates.
use std::sync::Arc;

use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};

use crate::value::Value;

use super::encoding::base64_decode;
use super::{Environment, Error, Result};

pub use super::certs_x509::{
    CertificateObject, build_custom_cert, generate_ca, generate_self_signed, generate_signed,
};

/// The RSA key sizes Sprig uses: 4096 for `genPrivateKey`, 2048 for certificates.
pub const RSA_KEY_BITS: usize = 4096;
pub const RSA_CERT_KEY_BITS: usize = 2048;

/// The environment's entropy as a `rand_core` generator.
pub(super) struct EnvRng<'e>(pub &'e dyn Environment);

impl rand_core::TryRng for EnvRng<'_> {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> std::result::Result<u32, Self::Error> {
        let mut buf = [0u8; 4];
        self.0.fill_random(&mut buf);
        Ok(u32::from_le_bytes(buf))
    }

    fn try_next_u64(&mut self) -> std::result::Result<u64, Self::Error> {
        let mut buf = [0u8; 8];
        self.0.fill_random(&mut buf);
        Ok(u64::from_le_bytes(buf))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> std::result::Result<(), Self::Error> {
        self.0.fill_random(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for EnvRng<'_> {}

/// A private key of one of the kinds Sprig generates and reads.
pub enum PrivateKey {
    Rsa(Box<rsa::PrivateKey>),
    Ecdsa(p256::SecretKey),
    Ed25519(ed25519_dalek::SigningKey),
    Dsa(Box<dsa::SigningKey>),
}

/// Go's `pem.EncodeToMemory`: base64 in lines of 64.
pub fn pem_encode(kind: &str, der: &[u8]) -> String {
    let b64 = crate::json::base64_std(der);
    let mut out = format!("-----BEGIN {kind}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {kind}-----\n"));
    out
}

/// Go's `pem.Decode` for the first block: its type and bytes, or `None`.
pub fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let begin = text.find("-----BEGIN ")?;
    let rest = &text[begin + "-----BEGIN ".len()..];
    let (kind, rest) = rest.split_once("-----")?;
    let end_marker = format!("-----END {kind}-----");
    let end = rest.find(&end_marker)?;
    let body: String = rest[..end]
        .lines()
        .filter(|line| !line.contains(':'))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let der = base64_decode(body.as_bytes()).ok()?;
    Some((kind.to_owned(), der))
}

/// An ASN.1 DER INTEGER of a big-endian unsigned magnitude.
fn der_uint(magnitude: &[u8]) -> Vec<u8> {
    let trimmed: &[u8] = {
        let start = magnitude
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(magnitude.len());
        &magnitude[start..]
    };
    let mut body = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|&b| b & 0x80 != 0) {
        body.push(0);
    }
    body.extend_from_slice(trimmed);
    der_tlv(0x02, &body)
}

fn der_tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(body);
    out
}

/// Reads a DER SEQUENCE of INTEGERs (Sprig's `DSAKeyFormat`).
fn der_integers(der: &[u8]) -> Option<Vec<Vec<u8>>> {
    fn read(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = input.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            let (len_bytes, rest) = rest.split_at_checked(n)?;
            (
                len_bytes
                    .iter()
                    .fold(0usize, |a, &b| (a << 8) | usize::from(b)),
                rest,
            )
        };
        let (body, rest) = rest.split_at_checked(len)?;
        Some((tag, body, rest))
    }
    let (tag, mut body, _) = read(der)?;
    if tag != 0x30 {
        return None;
    }
    let mut out = Vec::new();
    while !body.is_empty() {
        let (tag, value, rest) = read(body)?;
        if tag != 0x02 {
            return None;
        }
        out.push(value.to_vec());
        body = rest;
    }
    Some(out)
}

fn ed25519_pkcs8(key: &ed25519_dalek::SigningKey) -> Vec<u8> {
    // PrivateKeyInfo { version 0, algorithm id-Ed25519, privateKey OCTET STRING(seed) },
    // as Go's MarshalPKCS8PrivateKey writes it.
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(&key.to_bytes());
    der
}

impl PrivateKey {
    /// Go's `pemBlockForKey`.
    pub fn to_pem(&self) -> Result<String> {
        let internal = |e: &dyn std::fmt::Display| Error::new(format!("failed to encode key: {e}"));
        Ok(match self {
            PrivateKey::Rsa(key) => {
                let der = key.to_pkcs1_der().map_err(|e| internal(&e))?;
                pem_encode("RSA PRIVATE KEY", der.as_bytes())
            }
            PrivateKey::Ecdsa(key) => {
                let der = key.to_sec1_der().map_err(|e| internal(&e))?;
                pem_encode("EC PRIVATE KEY", &der)
            }
            PrivateKey::Ed25519(key) => pem_encode("PRIVATE KEY", &ed25519_pkcs8(key)),
            PrivateKey::Dsa(key) => {
                let verifying = key.verifying_key();
                let components = verifying.components();
                let mut body = der_uint(&[0]);
                let parts: [Box<[u8]>; 5] = [
                    components.p().to_be_bytes(),
                    components.q().to_be_bytes(),
                    components.g().to_be_bytes(),
                    verifying.y().to_be_bytes(),
                    key.x().to_be_bytes(),
                ];
                for part in &parts {
                    body.extend(der_uint(part));
                }
                pem_encode("DSA PRIVATE KEY", &der_tlv(0x30, &body))
            }
        })
    }

    /// The subject public key bits a certificate carries, and rcgen's algorithm.
    pub(super) fn public_key_der(&self) -> Result<Vec<u8>> {
        match self {
            PrivateKey::Rsa(key) => key
                .to_public_key()
                .to_pkcs1_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| Error::new(e.to_string())),
            PrivateKey::Ecdsa(key) => Ok(key.public_key().to_sec1_bytes().to_vec()),
            PrivateKey::Ed25519(key) => Ok(key.verifying_key().to_bytes().to_vec()),
            PrivateKey::Dsa(_) => Err(Error::new(
                "x509: only RSA, ECDSA and Ed25519 keys supported",
            )),
        }
    }
}

/// `genPrivateKey TYPE`: a PEM private key, or Sprig's text for an unknown type.
pub fn generate_private_key(env: &dyn Environment, kind: &str) -> Result<String> {
    let mut rng = EnvRng(env);
    let failed = |e: &dyn std::fmt::Display| format!("failed to generate private key: {e}");
    let key = match kind {
        "" | "rsa" => match rsa::PrivateKey::new(&mut rng, RSA_KEY_BITS) {
            Ok(key) => PrivateKey::Rsa(Box::new(key)),
            Err(e) => return Ok(failed(&e)),
        },
        "ecdsa" => PrivateKey::Ecdsa(<p256::SecretKey as rsa::Generate>::generate_from_rng(
            &mut rng,
        )),
        "ed25519" => PrivateKey::Ed25519(ed25519_dalek::SigningKey::generate(&mut rng)),
        "dsa" => {
            let components = dsa::Components::try_generate_from_rng_with_key_size(
                &mut rng,
                dsa::KeySize::DSA_2048_256,
            )
            .map_err(|e| Error::new(format!("failed to generate dsa params: {e:?}")))?;
            let key = dsa::SigningKey::try_generate_from_rng_with_components(&mut rng, components)
                .map_err(|e| Error::new(failed(&format!("{e:?}"))))?;
            PrivateKey::Dsa(Box::new(key))
        }
        other => return Ok(format!("Unknown type {other}")),
    };
    key.to_pem()
}

/// An RSA key for a certificate (Sprig's `rsa.GenerateKey(rand.Reader, 2048)`).
pub(super) fn generate_cert_key(env: &dyn Environment) -> Result<PrivateKey> {
    rsa::PrivateKey::new(&mut EnvRng(env), RSA_CERT_KEY_BITS)
        .map(|k| PrivateKey::Rsa(Box::new(k)))
        .map_err(|e| Error::new(format!("error generating rsa key: {e}")))
}

/// Sprig's `parsePrivateKeyPEM`.
pub fn parse_private_key_pem(text: &str) -> std::result::Result<PrivateKey, String> {
    let Some((kind, der)) = pem_decode(text) else {
        return Err("no PEM data in input".to_owned());
    };
    if kind == "PRIVATE KEY" {
        return parse_pkcs8(&der).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {kind}"));
    };
    match prefix {
        "RSA" => rsa::PrivateKey::from_pkcs1_der(&der)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
        "EC" => p256::SecretKey::from_sec1_der(&der)
            .map(PrivateKey::Ecdsa)
            .map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => parse_dsa(&der)
            .ok_or_else(|| "parsing DSA private key from PEM: asn1: structure error".to_owned()),
        _ => Err(format!("invalid private key type {kind}")),
    }
}

fn parse_pkcs8(der: &[u8]) -> std::result::Result<PrivateKey, String> {
    use rsa::pkcs8::DecodePrivateKey;
    if let Ok(key) = rsa::PrivateKey::from_pkcs8_der(der) {
        return Ok(PrivateKey::Rsa(Box::new(key)));
    }
    if let Ok(key) = p256::SecretKey::from_pkcs8_der(der) {
        return Ok(PrivateKey::Ecdsa(key));
    }
    if let Ok(key) = ed25519_dalek::SigningKey::from_pkcs8_der(der) {
        return Ok(PrivateKey::Ed25519(key));
    }
    Err("x509: failed to parse private key".to_owned())
}

fn parse_dsa(der: &[u8]) -> Option<PrivateKey> {
    let ints = der_integers(der)?;
    let [_, p, q, g, y, x] = ints.as_slice() else {
        return None;
    };
    let big = |b: &[u8]| dsa::BoxedUint::from_be_slice_vartime(b);
    let components = dsa::Components::from_components(big(p), big(q), big(g)).ok()?;
    let verifying = dsa::VerifyingKey::from_components(components, big(y)).ok()?;
    dsa::SigningKey::from_components(verifying, big(x))
        .ok()
        .map(|k| PrivateKey::Dsa(Box::new(k)))
}

/// The Go `certificate` struct Sprig returns.
pub(super) fn certificate_value(cert: String, key: String) -> Value {
    Value::Object(Arc::new(CertificateObject { cert, key }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::DeterministicEnvironment;

    #[test]
    fn keys_round_trip_through_go_pem_forms() {
        let env = DeterministicEnvironment::new(1_700_000_000);
        let ec = generate_private_key(&env, "ecdsa").unwrap();
        assert!(ec.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
        assert!(matches!(
            parse_private_key_pem(&ec),
            Ok(PrivateKey::Ecdsa(_))
        ));
        let ed = generate_private_key(&env, "ed25519").unwrap();
        assert!(ed.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"));
        assert!(matches!(
            parse_private_key_pem(&ed),
            Ok(PrivateKey::Ed25519(_))
        ));
        assert_eq!(generate_private_key(&env, "x").unwrap(), "Unknown type x");
        assert_eq!(
            parse_private_key_pem("junk").err().as_deref(),
            Some("no PEM data in input")
        );
        assert_eq!(
            parse_private_key_pem(&pem_encode("CERTIFICATE", b"x"))
                .err()
                .as_deref(),
            Some("no private key data in PEM block of type CERTIFICATE")
        );
    }
}
