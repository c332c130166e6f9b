//! Certificates for the HTTPS tests, generated at test time with rcgen: a CA, a server
//! certificate for `127.0.0.1` and `localhost` signed by it, and a second CA that signed nothing
//! (a server signed by the first looks untrusted to a client that only knows the second).

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};

/// PEM texts of one generated set.
#[derive(Debug, Clone)]
pub struct TestCa {
    /// The CA that signed [`TestCa::server_cert`].
    pub ca_cert: String,
    /// The server certificate (`127.0.0.1`, `localhost`).
    pub server_cert: String,
    /// The server certificate's private key (PKCS#8).
    pub server_key: String,
    /// Another CA, which signed nothing.
    pub other_ca_cert: String,
}

impl TestCa {
    /// A fresh set (ECDSA P-256 keys).
    pub fn generate() -> Result<TestCa, rcgen::Error> {
        let ca = new_ca("nango-rs test CA")?;
        let other = new_ca("nango-rs other test CA")?;
        let server_key = KeyPair::generate()?;
        let mut params = CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()])?;
        params
            .distinguished_name
            .push(DnType::CommonName, "nango-emulator test server");
        let server_cert = params.signed_by(&server_key, &ca)?;
        Ok(TestCa {
            ca_cert: ca.pem(),
            server_cert: server_cert.pem(),
            server_key: server_key.serialize_pem(),
            other_ca_cert: other.pem(),
        })
    }

    /// Writes `ca.pem`, `server.pem`, `server-key.pem` and `other-ca.pem` into `dir`.
    pub fn write_to(&self, dir: &std::path::Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, text) in [
            ("ca.pem", &self.ca_cert),
            ("server.pem", &self.server_cert),
            ("server-key.pem", &self.server_key),
            ("other-ca.pem", &self.other_ca_cert),
        ] {
            std::fs::write(dir.join(name), text)?;
        }
        Ok(())
    }
}

fn new_ca(name: &str) -> Result<CertifiedIssuer<'static, KeyPair>, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate()?)
}
