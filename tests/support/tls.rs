//! A throwaway certificate authority and a loopback server certificate signed by it.
use std::path::Path;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};

pub struct TestCa {
    pub ca_pem: String,
    pub server_cert_pem: String,
    pub server_key_pem: String,
    /// A client certificate signed by the same CA, for mutual TLS.
    pub client_cert_pem: String,
    pub client_key_pem: String,
}

impl TestCa {
    /// A CA and a server certificate for 127.0.0.1 and localhost.
    pub fn generate() -> TestCa {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "helmsync test CA");
        let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca_params, ca_key);

        let server_key = KeyPair::generate().expect("server key");
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
        params
            .subject_alt_names
            .push(SanType::IpAddress([127, 0, 0, 1].into()));
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let server_cert = params
            .signed_by(&server_key, &issuer)
            .expect("server certificate");
        let client_key = KeyPair::generate().expect("client key");
        let mut client_params = CertificateParams::new(Vec::new()).expect("client params");
        client_params
            .distinguished_name
            .push(DnType::CommonName, "helmsync test client");
        client_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
        let client_cert = client_params
            .signed_by(&client_key, &issuer)
            .expect("client certificate");
        TestCa {
            ca_pem: ca_cert.pem(),
            server_cert_pem: server_cert.pem(),
            server_key_pem: server_key.serialize_pem(),
            client_cert_pem: client_cert.pem(),
            client_key_pem: client_key.serialize_pem(),
        }
    }

    pub fn write_files(&self, dir: &Path) {
        std::fs::write(dir.join("ca.crt"), &self.ca_pem).expect("write ca.crt");
        std::fs::write(dir.join("tls.crt"), &self.server_cert_pem).expect("write tls.crt");
        std::fs::write(dir.join("tls.key"), &self.server_key_pem).expect("write tls.key");
    }

    /// A server configuration that refuses clients without a certificate from this CA.
    pub fn mutual_server_config(&self) -> Arc<rustls::ServerConfig> {
        super::init_crypto();
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_slice(self.ca_pem.as_bytes()).expect("CA pem"))
            .expect("CA root");
        let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots))
            .build()
            .expect("client verifier");
        let certs = vec![
            CertificateDer::from_pem_slice(self.server_cert_pem.as_bytes()).expect("cert pem"),
        ];
        let key = PrivateKeyDer::from_pem_slice(self.server_key_pem.as_bytes()).expect("key pem");
        let config = rustls::ServerConfig::builder()
            .with_client_cert_verifier(verifier)
            .with_single_cert(certs, key)
            .expect("server TLS config");
        Arc::new(config)
    }

    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        super::init_crypto();
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs = vec![
            CertificateDer::from_pem_slice(self.server_cert_pem.as_bytes()).expect("cert pem"),
        ];
        let key = PrivateKeyDer::from_pem_slice(self.server_key_pem.as_bytes()).expect("key pem");
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("server TLS config");
        Arc::new(config)
    }
}
