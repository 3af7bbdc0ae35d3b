//! The certificates of Sprig's `genCA`, `genSelfSignedCert`, `genSignedCert` (and their
//! `WithKey` forms) and `buildCustomCert`: Go's `getBaseCertTemplate` and
//! `getCertAndKey` over rcgen, signed with the keys of `certs`.
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyUsagePurpose, SanType, SerialNumber,
};
use sha2::{Digest, Sha256};
use x509_parser::extensions::ParsedExtension;

use crate::Object;
use crate::value::{Map, Value};

use super::certs::{
    PrivateKey, certificate_value, generate_cert_key, parse_private_key_pem, pem_decode,
};
use super::encoding::base64_decode;
use super::{Environment, Error, Result};

/// Go's `certificate{Cert, Key}` as templates see it (`$ca.Cert`, `$ca.Key`).
#[derive(Debug)]
pub struct CertificateObject {
    pub cert: String,
    pub key: String,
}

const CERTIFICATE_TYPE: &str = "sprig.certificate";

impl Object for CertificateObject {
    fn type_name(&self) -> &str {
        CERTIFICATE_TYPE
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn member(&self, name: &str, _args: &[Value]) -> Option<std::result::Result<Value, String>> {
        match name {
            "Cert" => Some(Ok(Value::from(self.cert.as_str()))),
            "Key" => Some(Ok(Value::from(self.key.as_str()))),
            _ => None,
        }
    }

    fn is_method(&self, _name: &str) -> bool {
        false
    }

    fn go_string(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }

    fn to_data(&self) -> Option<Value> {
        Some(Value::map(Map::from([
            ("Cert".to_owned(), Value::from(self.cert.as_str())),
            ("Key".to_owned(), Value::from(self.key.as_str())),
        ])))
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

/// A key as rcgen signs with it.
struct CertKey<'k> {
    key: &'k PrivateKey,
    public: Vec<u8>,
}

impl<'k> CertKey<'k> {
    fn new(key: &'k PrivateKey) -> Result<CertKey<'k>> {
        let public = key
            .public_key_der()
            .map_err(|e| Error::new(format!("error creating certificate: {e}")))?;
        Ok(CertKey { key, public })
    }
}

impl rcgen::PublicKeyData for CertKey<'_> {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        match self.key {
            PrivateKey::Ecdsa(_) => &rcgen::PKCS_ECDSA_P256_SHA256,
            PrivateKey::Ed25519(_) => &rcgen::PKCS_ED25519,
            PrivateKey::Rsa(_) | PrivateKey::Dsa(_) => &rcgen::PKCS_RSA_SHA256,
        }
    }
}

impl rcgen::SigningKey for CertKey<'_> {
    fn sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, rcgen::Error> {
        match self.key {
            PrivateKey::Rsa(key) => {
                use rsa::signature::{SignatureEncoding, Signer};
                let signer = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new((**key).clone());
                signer
                    .try_sign(msg)
                    .map(|s| s.to_vec())
                    .map_err(|_| rcgen::Error::RemoteKeyError)
            }
            PrivateKey::Ecdsa(key) => {
                use p256::ecdsa::signature::Signer;
                let signer = p256::ecdsa::SigningKey::from(key);
                let signature: p256::ecdsa::Signature = signer
                    .try_sign(msg)
                    .map_err(|_| rcgen::Error::RemoteKeyError)?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
            PrivateKey::Ed25519(key) => {
                use ed25519_dalek::Signer;
                Ok(key.sign(msg).to_bytes().to_vec())
            }
            PrivateKey::Dsa(_) => Err(rcgen::Error::RemoteKeyError),
        }
    }
}

/// Go's `getNetIPs`.
fn net_ips(ips: &[Value]) -> Result<Vec<SanType>> {
    ips.iter()
        .map(|ip| {
            let Value::String(text) = ip else {
                return Err(Error::new(format!(
                    "error parsing ip: {} is not a string",
                    crate::gofmt::sprint(std::slice::from_ref(ip))
                )));
            };
            text.parse::<std::net::IpAddr>()
                .map(SanType::IpAddress)
                .map_err(|_| Error::new(format!("error parsing ip: {text}")))
        })
        .collect()
}

/// Go's `getAlternateDNSStrs`.
fn dns_names(names: &[Value]) -> Result<Vec<SanType>> {
    names
        .iter()
        .map(|name| {
            let Value::String(text) = name else {
                return Err(Error::new(format!(
                    "error processing alternate dns name: {} is not a string",
                    crate::gofmt::sprint(std::slice::from_ref(name))
                )));
            };
            text.to_string()
                .try_into()
                .map(SanType::DnsName)
                .map_err(|_| {
                    Error::new("error creating certificate: x509: SAN dNSName is malformed")
                })
        })
        .collect()
}

fn time_at(unix: i64) -> Result<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map_err(|e| Error::new(format!("error creating certificate: {e}")))
}

/// Go's subject key identifier: the leftmost 160 bits of the SHA-256 of the public key.
fn key_identifier(public_key: &[u8]) -> Vec<u8> {
    Sha256::digest(public_key)[..20].to_vec()
}

const OID_BASIC_CONSTRAINTS: &[u64] = &[2, 5, 29, 19];
/// DER of a basic constraints value without the CA flag: an empty SEQUENCE.
const EMPTY_SEQUENCE: [u8; 2] = [0x30, 0x00];

/// Go's `getBaseCertTemplate`, with the subject key identifier of `key`.
fn base_params(
    env: &dyn Environment,
    cn: &str,
    ips: &[Value],
    dns: &[Value],
    days_valid: i64,
    key: &CertKey,
) -> Result<CertificateParams> {
    // Go's x509 writes DNS names before IP addresses, whatever the template's order.
    let mut sans = dns_names(dns)?;
    sans.extend(net_ips(ips)?);
    let mut serial = [0u8; 16];
    env.fill_random(&mut serial);
    let now = env.now().as_second();
    let mut params = CertificateParams::default();
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    params.distinguished_name = DistinguishedName::new();
    if !cn.is_empty() {
        params.distinguished_name.push(DnType::CommonName, cn);
    }
    params.subject_alt_names = sans;
    params.not_before = time_at(now)?;
    params.not_after = time_at(now.saturating_add(days_valid.saturating_mul(86_400)))?;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    // Go writes basic constraints (not a CA) but, unlike rcgen's `ExplicitNoCa`, no subject
    // key identifier for a certificate that is not a CA.
    params.is_ca = IsCa::NoCa;
    let mut not_ca =
        CustomExtension::from_oid_content(OID_BASIC_CONSTRAINTS, EMPTY_SEQUENCE.to_vec());
    not_ca.set_criticality(true);
    params.custom_extensions = vec![not_ca];
    params.key_identifier_method = KeyIdMethod::PreSpecified(key_identifier(&key.public));
    Ok(params)
}

fn create_error(e: rcgen::Error) -> Error {
    Error::new(format!("error creating certificate: {e}"))
}

fn key_from(env: &dyn Environment, key_pem: Option<&str>) -> Result<PrivateKey> {
    match key_pem {
        None => generate_cert_key(env),
        Some(pem) => {
            parse_private_key_pem(pem).map_err(|e| Error::new(format!("parsing private key: {e}")))
        }
    }
}

/// `genCA CN DAYS` / `genCAWithKey CN DAYS KEY`.
pub fn generate_ca(
    env: &dyn Environment,
    cn: &str,
    days_valid: i64,
    key_pem: Option<&str>,
) -> Result<Value> {
    let key = key_from(env, key_pem)?;
    let signer = CertKey::new(&key)?;
    let mut params = base_params(env, cn, &[], &[], days_valid, &signer)?;
    params.key_usages.push(KeyUsagePurpose::KeyCertSign);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.custom_extensions.clear();
    let cert = params.self_signed(&signer).map_err(create_error)?;
    Ok(certificate_value(cert.pem(), key.to_pem()?))
}

/// `genSelfSignedCert CN IPS DNS DAYS` / `genSelfSignedCertWithKey ... KEY`.
pub fn generate_self_signed(
    env: &dyn Environment,
    cn: &str,
    ips: &[Value],
    dns: &[Value],
    days_valid: i64,
    key_pem: Option<&str>,
) -> Result<Value> {
    let key = key_from(env, key_pem)?;
    let signer = CertKey::new(&key)?;
    let params = base_params(env, cn, ips, dns, days_valid, &signer)?;
    let cert = params.self_signed(&signer).map_err(create_error)?;
    Ok(certificate_value(cert.pem(), key.to_pem()?))
}

/// The `certificate` a `genSignedCert` call names as its CA.
fn ca_parts(ca: &Value) -> Result<(&str, &str)> {
    match ca {
        Value::Object(o) => o
            .as_any()
            .and_then(|a| a.downcast_ref::<CertificateObject>())
            .map(|c| (c.cert.as_str(), c.key.as_str()))
            .ok_or_else(|| Error::new("wrong type for value; expected sprig.certificate")),
        _ => Err(Error::new(format!(
            "wrong type for value; expected sprig.certificate; got {}",
            ca.type_name()
        ))),
    }
}

/// What signing with a CA certificate needs of it: its subject as the issuer name, and
/// its subject key identifier for the authority key identifier.
fn issuer_params(ca_der: &[u8]) -> Result<CertificateParams> {
    let (_, ca) = x509_parser::parse_x509_certificate(ca_der).map_err(|e| {
        Error::new(format!(
            "error parsing certificate: decodedSignerCert.Bytes: x509: {e}"
        ))
    })?;
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    for attribute in ca.subject().iter_attributes() {
        let oid: Vec<u64> = attribute
            .attr_type()
            .iter()
            .map(|arcs| arcs.collect())
            .unwrap_or_default();
        let kind = match oid.as_slice() {
            [2, 5, 4, 3] => DnType::CommonName,
            [2, 5, 4, 6] => DnType::CountryName,
            [2, 5, 4, 7] => DnType::LocalityName,
            [2, 5, 4, 8] => DnType::StateOrProvinceName,
            [2, 5, 4, 10] => DnType::OrganizationName,
            [2, 5, 4, 11] => DnType::OrganizationalUnitName,
            _ => DnType::CustomDnType(oid),
        };
        params
            .distinguished_name
            .push(kind, attribute.as_str().unwrap_or_default());
    }
    let ski = ca
        .extensions()
        .iter()
        .find_map(|ext| match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0.to_vec()),
            _ => None,
        });
    let ski = ski.unwrap_or_else(|| key_identifier(&ca.public_key().subject_public_key.data));
    params.key_identifier_method = KeyIdMethod::PreSpecified(ski);
    params.key_usages = Vec::new();
    Ok(params)
}

/// `genSignedCert CN IPS DNS DAYS CA` / `genSignedCertWithKey ... CA KEY`.
pub fn generate_signed(
    env: &dyn Environment,
    cn: &str,
    ips: &[Value],
    dns: &[Value],
    days_valid: i64,
    ca: &Value,
    key_pem: Option<&str>,
) -> Result<Value> {
    let key = key_from(env, key_pem)?;
    let (ca_cert, ca_key) = ca_parts(ca)?;
    let Some((_, ca_der)) = pem_decode(ca_cert) else {
        return Err(Error::new("unable to decode certificate"));
    };
    let signer_key = parse_private_key_pem(ca_key)
        .map_err(|e| Error::new(format!("error parsing private key: {e}")))?;
    let ca_signer = CertKey::new(&signer_key)?;
    let issuer = Issuer::new(issuer_params(&ca_der)?, &ca_signer);
    let subject = CertKey::new(&key)?;
    let mut params = base_params(env, cn, ips, dns, days_valid, &subject)?;
    params.use_authority_key_identifier_extension = true;
    let cert = params.signed_by(&subject, &issuer).map_err(create_error)?;
    Ok(certificate_value(cert.pem(), key.to_pem()?))
}

/// `buildCustomCert BASE64_CERT BASE64_KEY`: the certificate and key, checked to parse.
pub fn build_custom_cert(b64cert: &str, b64key: &str) -> Result<Value> {
    let cert = base64_decode(b64cert.as_bytes())
        .map_err(|_| Error::new("unable to decode base64 certificate"))?;
    let key = base64_decode(b64key.as_bytes())
        .map_err(|_| Error::new("unable to decode base64 private key"))?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let Some((_, der)) = pem_decode(&cert) else {
        return Err(Error::new("unable to decode certificate"));
    };
    if x509_parser::parse_x509_certificate(&der).is_err() {
        return Err(Error::new(
            "error parsing certificate: decodedCert.Bytes: x509: malformed certificate",
        ));
    }
    parse_private_key_pem(&key)
        .map_err(|e| Error::new(format!("error parsing private key: {e}")))?;
    Ok(certificate_value(cert, key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::DeterministicEnvironment;
    use crate::funcs::certs::generate_private_key;

    fn parts(v: &Value) -> (String, String) {
        let Value::Object(o) = v else {
            panic!("not a certificate: {v:?}")
        };
        let field = |name| match o.member(name, &[]) {
            Some(Ok(Value::String(s))) => s.to_string(),
            other => panic!("{name}: {other:?}"),
        };
        (field("Cert"), field("Key"))
    }

    fn parse(pem: &str) -> Vec<u8> {
        pem_decode(pem).expect("a PEM block").1
    }

    #[test]
    fn ca_and_signed_certificates_have_the_requested_shape() {
        let env = DeterministicEnvironment::new(1_700_000_000);
        let key = generate_private_key(&env, "ecdsa").unwrap();
        let ca = generate_ca(&env, "my-ca", 30, Some(&key)).unwrap();
        let (ca_cert, ca_key) = parts(&ca);
        assert_eq!(ca_key, key);
        let der = parse(&ca_cert);
        let (_, x509) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert_eq!(x509.subject().to_string(), "CN=my-ca");
        assert!(x509.is_ca());
        assert_eq!(x509.validity().not_before.timestamp(), 1_700_000_000);
        assert_eq!(
            x509.validity().not_after.timestamp(),
            1_700_000_000 + 30 * 86_400
        );

        let leaf_key = generate_private_key(&env, "ed25519").unwrap();
        let ips = [Value::from("10.0.0.1")];
        let dns = [Value::from("svc.local")];
        let leaf = generate_signed(&env, "leaf", &ips, &dns, 5, &ca, Some(&leaf_key)).unwrap();
        let (leaf_cert, _) = parts(&leaf);
        let der = parse(&leaf_cert);
        let (_, x509) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert_eq!(x509.issuer().to_string(), "CN=my-ca");
        assert!(!x509.is_ca());
        let san = x509.subject_alternative_name().unwrap().unwrap();
        assert_eq!(san.value.general_names.len(), 2);
        let ca_der = parse(&ca_cert);
        let (_, ca_x509) = x509_parser::parse_x509_certificate(&ca_der).unwrap();
        use p256::ecdsa::signature::Verifier;
        let ca_public = &ca_x509.public_key().subject_public_key.data;
        let verifier = p256::ecdsa::VerifyingKey::from_sec1_bytes(ca_public).unwrap();
        let signature = p256::ecdsa::Signature::from_der(&x509.signature_value.data).unwrap();
        verifier
            .verify(x509.tbs_certificate.as_ref(), &signature)
            .unwrap();
    }

    #[test]
    fn bad_arguments_fail_with_sprig_messages() {
        let env = DeterministicEnvironment::new(1_700_000_000);
        let key = generate_private_key(&env, "ecdsa").unwrap();
        let bad_ip = generate_self_signed(&env, "x", &[Value::from("nope")], &[], 1, Some(&key));
        assert_eq!(bad_ip.unwrap_err().message(), "error parsing ip: nope");
        let not_string = generate_self_signed(&env, "x", &[Value::int(1)], &[], 1, Some(&key));
        assert_eq!(
            not_string.unwrap_err().message(),
            "error parsing ip: 1 is not a string"
        );
        assert_eq!(
            generate_ca(&env, "x", 1, Some("junk"))
                .unwrap_err()
                .message(),
            "parsing private key: no PEM data in input"
        );
        assert_eq!(
            build_custom_cert("***", "").unwrap_err().message(),
            "unable to decode base64 certificate"
        );
    }
}
