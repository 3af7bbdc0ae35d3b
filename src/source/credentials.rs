//! Credentials read from a Kubernetes Secret's `data`, as Flux reads them for
//! HelmRepository `secretRef` and `certSecretRef` and OCIRepository `proxySecretRef`, and
//! the HTTP client built from them.
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// A Secret's data, as the API server returns it (values already base64-decoded).
pub type SecretData = BTreeMap<String, Vec<u8>>;

#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("secret has '{present}' but no '{missing}'")]
    Incomplete {
        present: &'static str,
        missing: &'static str,
    },
    #[error("secret key '{key}' is not valid UTF-8")]
    NotUtf8 { key: &'static str },
    #[error("secret key '{key}' holds no valid PEM {what}")]
    InvalidPem { key: String, what: &'static str },
    #[error("TLS client configuration rejected: {0}")]
    Client(String),
    #[error("secret has no '{key}' key")]
    Missing { key: &'static str },
    // The address is not quoted: it may carry credentials.
    #[error("secret key 'address' is not a proxy URL: {why}")]
    InvalidProxy { why: String },
}

impl CredentialsError {
    /// Flux reports every unusable credential as an authentication failure.
    pub fn reason(&self) -> &'static str {
        "AuthenticationFailed"
    }
}

/// HTTP basic authentication from the `username` and `password` keys.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicAuth {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl BasicAuth {
    /// `None` when the Secret has neither key (it may hold only TLS material); an error when
    /// it has one without the other.
    pub fn from_secret(data: &SecretData) -> Result<Option<BasicAuth>, CredentialsError> {
        let username = utf8(data, "username")?;
        let password = utf8(data, "password")?;
        match (username, password) {
            (Some(username), Some(password)) => Ok(Some(BasicAuth { username, password })),
            (None, None) => Ok(None),
            (Some(_), None) => Err(CredentialsError::Incomplete {
                present: "username",
                missing: "password",
            }),
            (None, Some(_)) => Err(CredentialsError::Incomplete {
                present: "password",
                missing: "username",
            }),
        }
    }
}

fn utf8(data: &SecretData, key: &'static str) -> Result<Option<String>, CredentialsError> {
    data.get(key)
        .map(|v| String::from_utf8(v.clone()).map_err(|_| CredentialsError::NotUtf8 { key }))
        .transpose()
}

/// A forward proxy for all of a client's traffic, from a `proxySecretRef` Secret: the
/// `address` URL and optional `username` and `password` (both or neither).
#[derive(Clone, PartialEq, Eq)]
pub struct ProxySettings {
    pub address: reqwest::Url,
    pub auth: Option<BasicAuth>,
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxySettings")
            .field("host", &self.address.host_str())
            .field("port", &self.address.port_or_known_default())
            .field("auth", &self.auth)
            .finish()
    }
}

impl ProxySettings {
    pub fn from_secret(data: &SecretData) -> Result<ProxySettings, CredentialsError> {
        let address = utf8(data, "address")?.ok_or(CredentialsError::Missing { key: "address" })?;
        let invalid = |why: &str| CredentialsError::InvalidProxy {
            why: why.to_owned(),
        };
        let address = reqwest::Url::parse(address.trim()).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(address.scheme(), "http" | "https") {
            return Err(invalid("only http and https proxies are supported"));
        }
        if address.host_str().is_none_or(str::is_empty) {
            return Err(invalid("it names no host"));
        }
        Ok(ProxySettings {
            address,
            auth: BasicAuth::from_secret(data)?,
        })
    }

    /// Credentials written into the address itself are used too, as Go's transport does;
    /// the keys take precedence.
    fn proxy(&self) -> Result<reqwest::Proxy, CredentialsError> {
        let mut proxy = reqwest::Proxy::all(self.address.as_str()).map_err(|_| {
            CredentialsError::InvalidProxy {
                why: "the HTTP client refused it".to_owned(),
            }
        })?;
        if let Some(auth) = &self.auth {
            proxy = proxy.basic_auth(&auth.username, &auth.password);
        }
        Ok(proxy)
    }
}

/// TLS material: a CA bundle to trust in addition to the system roots, and a client
/// certificate with its key for mutual TLS.
#[derive(Clone, PartialEq, Eq)]
pub struct TlsMaterial {
    pub ca: Option<Vec<u8>>,
    pub cert_and_key: Option<(Vec<u8>, Vec<u8>)>,
}

impl fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsMaterial")
            .field("ca", &self.ca.as_ref().map(|c| c.len()))
            .field("client_certificate", &self.cert_and_key.is_some())
            .finish()
    }
}

/// The current key and its deprecated Flux spelling, tried in that order.
const CA_KEYS: [&str; 2] = ["ca.crt", "caFile"];
const CERT_KEYS: [&str; 2] = ["tls.crt", "certFile"];
const KEY_KEYS: [&str; 2] = ["tls.key", "keyFile"];

impl TlsMaterial {
    /// `None` when the Secret holds no TLS keys at all. Every PEM block is validated here
    /// so a bad Secret is reported by its key rather than as a handshake failure later.
    pub fn from_secret(data: &SecretData) -> Result<Option<TlsMaterial>, CredentialsError> {
        let ca = lookup(data, CA_KEYS);
        let cert = lookup(data, CERT_KEYS);
        let key = lookup(data, KEY_KEYS);
        let cert_and_key = match (cert, key) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(CredentialsError::Incomplete {
                    present: "tls.crt",
                    missing: "tls.key",
                });
            }
            (None, Some(_)) => {
                return Err(CredentialsError::Incomplete {
                    present: "tls.key",
                    missing: "tls.crt",
                });
            }
        };
        if ca.is_none() && cert_and_key.is_none() {
            return Ok(None);
        }
        if let Some((key_name, pem)) = ca {
            validate_certificates(key_name, pem)?;
        }
        if let Some(((cert_name, cert), (key_name, key))) = cert_and_key {
            validate_certificates(cert_name, cert)?;
            PrivateKeyDer::from_pem_slice(key).map_err(|_| CredentialsError::InvalidPem {
                key: key_name.to_owned(),
                what: "private key",
            })?;
        }
        Ok(Some(TlsMaterial {
            ca: ca.map(|(_, pem)| pem.to_vec()),
            cert_and_key: cert_and_key.map(|((_, c), (_, k))| (c.to_vec(), k.to_vec())),
        }))
    }
}

fn lookup<'a>(data: &'a SecretData, keys: [&'static str; 2]) -> Option<(&'static str, &'a [u8])> {
    keys.iter()
        .find_map(|k| data.get(*k).map(|v| (*k, v.as_slice())))
}

fn validate_certificates(key: &str, pem: &[u8]) -> Result<(), CredentialsError> {
    let invalid = || CredentialsError::InvalidPem {
        key: key.to_owned(),
        what: "certificate",
    };
    let mut count = 0;
    for cert in CertificateDer::pem_slice_iter(pem) {
        cert.map_err(|_| invalid())?;
        count += 1;
    }
    if count == 0 {
        return Err(invalid());
    }
    Ok(())
}

/// A `reqwest` client with rustls: the system roots plus `tls.ca`, the client certificate
/// when given, gzip decoding, and `timeout` for each whole request including its body.
pub fn http_client(
    tls: Option<&TlsMaterial>,
    timeout: Duration,
) -> Result<reqwest::Client, CredentialsError> {
    http_client_via(tls, None, timeout)
}

/// As `http_client`, with all traffic through `proxy` when given.
pub fn http_client_via(
    tls: Option<&TlsMaterial>,
    proxy: Option<&ProxySettings>,
    timeout: Duration,
) -> Result<reqwest::Client, CredentialsError> {
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .gzip(true)
        .user_agent(concat!("helmsync/", env!("CARGO_PKG_VERSION")));
    if let Some(proxy) = proxy {
        builder = builder.proxy(proxy.proxy()?);
    }
    if let Some(tls) = tls {
        if let Some(ca) = &tls.ca {
            let roots = reqwest::Certificate::from_pem_bundle(ca)
                .map_err(|_| CredentialsError::Client("ca.crt is not a PEM bundle".to_owned()))?;
            builder = builder.tls_certs_merge(roots);
        }
        if let Some((cert, key)) = &tls.cert_and_key {
            let mut pem = cert.clone();
            pem.push(b'\n');
            pem.extend_from_slice(key);
            let identity = reqwest::Identity::from_pem(&pem).map_err(|_| {
                CredentialsError::Client("tls.crt and tls.key do not form an identity".to_owned())
            })?;
            builder = builder.identity(identity);
        }
    }
    // reqwest's error here names no secret material; keep only its text.
    builder
        .build()
        .map_err(|e| CredentialsError::Client(e.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn data(pairs: &[(&str, &[u8])]) -> SecretData {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.to_vec()))
            .collect()
    }

    #[test]
    fn a_proxy_secret_needs_an_address_and_keeps_its_password_out_of_debug() {
        let proxy = ProxySettings::from_secret(&data(&[
            ("address", b"http://127.0.0.1:3128"),
            ("username", b"u"),
            ("password", b"s3cret"),
        ]))
        .unwrap();
        assert_eq!(proxy.address.as_str(), "http://127.0.0.1:3128/");
        assert!(!format!("{proxy:?}").contains("s3cret"));
        assert!(proxy.proxy().is_ok());
        let missing = ProxySettings::from_secret(&data(&[("username", b"u")])).unwrap_err();
        assert_eq!(missing.to_string(), "secret has no 'address' key");
        let half = ProxySettings::from_secret(&data(&[
            ("address", b"http://127.0.0.1:3128"),
            ("username", b"u"),
        ]))
        .unwrap_err();
        assert_eq!(half.to_string(), "secret has 'username' but no 'password'");
        let secret_in_address =
            ProxySettings::from_secret(&data(&[("address", b"ftp://user:pa55@proxy:21")]))
                .unwrap_err()
                .to_string();
        assert!(!secret_in_address.contains("pa55"), "{secret_in_address}");
        assert!(
            secret_in_address.contains("only http and https"),
            "{secret_in_address}"
        );
        assert!(ProxySettings::from_secret(&data(&[("address", b"not a url")])).is_err());
    }

    #[test]
    fn basic_auth_needs_both_keys_and_redacts_the_password() {
        let auth = BasicAuth::from_secret(&data(&[("username", b"u"), ("password", b"s3cret")]))
            .unwrap()
            .unwrap();
        assert!(!format!("{auth:?}").contains("s3cret"));
        let err = BasicAuth::from_secret(&data(&[("username", b"u")])).unwrap_err();
        assert_eq!(err.to_string(), "secret has 'username' but no 'password'");
        let err = BasicAuth::from_secret(&data(&[("password", b"s3cret")])).unwrap_err();
        assert_eq!(err.to_string(), "secret has 'password' but no 'username'");
        assert!(!err.to_string().contains("s3cret"));
        assert_eq!(BasicAuth::from_secret(&data(&[])).unwrap(), None);
    }

    #[test]
    fn tls_material_rejects_a_certificate_without_key_and_bad_pem() {
        let err = TlsMaterial::from_secret(&data(&[("tls.crt", b"x")])).unwrap_err();
        assert_eq!(err.to_string(), "secret has 'tls.crt' but no 'tls.key'");
        let err = TlsMaterial::from_secret(&data(&[("keyFile", b"x")])).unwrap_err();
        assert_eq!(err.to_string(), "secret has 'tls.key' but no 'tls.crt'");
        let err = TlsMaterial::from_secret(&data(&[("caFile", b"not pem")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "secret key 'caFile' holds no valid PEM certificate"
        );
        assert_eq!(TlsMaterial::from_secret(&data(&[])).unwrap(), None);
    }
}
