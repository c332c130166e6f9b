//! Which certificate authorities the client trusts, decided once per client.
//!
//! The operating system's store is the base (rustls-platform-verifier). On top of it, each
//! ecosystem's own convention applies, so that a user who moves from that ecosystem's usual HTTP
//! client keeps a working setup:
//!
//! - Rust and Python: `SSL_CERT_FILE` (a PEM bundle) and `SSL_CERT_DIR` (directories of PEM
//!   files, `:`-separated). As in OpenSSL, when either is set the certificates they hold
//!   **replace** the operating system's store.
//! - Node: `NODE_EXTRA_CA_CERTS` (a PEM bundle), **added** to the store, as Node does. (On
//!   Linux the OS store itself is read through rustls-native-certs, which honours
//!   `SSL_CERT_FILE` / `SSL_CERT_DIR` in every ecosystem.)
//!
//! Certificates given to [`crate::NangoBuilder::add_root_certificate`] are always added. A file or
//! a PEM text that holds no certificate is a configuration error naming the option or variable,
//! raised when the client is built rather than at the first request. There is no way to turn
//! certificate checks off.

use std::path::{Path, PathBuf};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::{Error, Result};

/// The option name that errors about explicit CA certificates carry in their `field`.
pub const CA_CERTIFICATES_FIELD: &str = "ca_certificates";

/// A PEM bundle whose certificates replace the OS store (Rust and Python).
pub const SSL_CERT_FILE_ENV: &str = "SSL_CERT_FILE";

/// Directories of PEM files whose certificates replace the OS store (Rust and Python).
pub const SSL_CERT_DIR_ENV: &str = "SSL_CERT_DIR";

/// A PEM bundle whose certificates are added to the OS store (Node).
pub const NODE_EXTRA_CA_CERTS_ENV: &str = "NODE_EXTRA_CA_CERTS";

/// The language the client is used from: it decides which CA environment variables apply and
/// how the untrusted-certificate error says to add a CA.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ecosystem {
    /// The Rust crate used directly (`SSL_CERT_FILE` / `SSL_CERT_DIR`).
    #[default]
    Rust,
    /// The Python package (`SSL_CERT_FILE` / `SSL_CERT_DIR`).
    Python,
    /// The Node package (`NODE_EXTRA_CA_CERTS`).
    Node,
}

impl Ecosystem {
    /// The environment variables read for CA certificates, in the order they are read.
    pub fn ca_env_vars(self) -> &'static [&'static str] {
        match self {
            Ecosystem::Rust | Ecosystem::Python => &[SSL_CERT_FILE_ENV, SSL_CERT_DIR_ENV],
            Ecosystem::Node => &[NODE_EXTRA_CA_CERTS_ENV],
        }
    }

    /// How a user of this ecosystem adds a CA: the hint of the untrusted-certificate error.
    pub(crate) fn add_ca_hint(self) -> &'static str {
        match self {
            Ecosystem::Rust => {
                "if the server uses a private CA, add its PEM certificate with \
                 NangoBuilder::add_root_certificate, or set SSL_CERT_FILE to a bundle that holds it"
            }
            Ecosystem::Python => {
                "if the server uses a private CA, pass its PEM certificate as \
                 ca_certificates=[...], or set SSL_CERT_FILE to a bundle that holds it"
            }
            Ecosystem::Node => {
                "if the server uses a private CA, pass its PEM certificate as \
                 caCertificates: [...], or set NODE_EXTRA_CA_CERTS to a file that holds it"
            }
        }
    }
}

/// One CA given to the builder.
#[derive(Debug, Clone)]
pub(crate) enum CaSource {
    /// PEM text (one or more certificates).
    Pem(Vec<u8>),
    /// A file holding PEM certificates.
    File(PathBuf),
}

/// The trust decision: extra roots, and whether they replace the OS store.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trust {
    /// DER certificates to trust besides (or instead of) the OS store.
    pub(crate) roots: Vec<CertificateDer<'static>>,
    /// True when the roots replace the OS store (`SSL_CERT_FILE` / `SSL_CERT_DIR` set).
    pub(crate) replace_os_store: bool,
}

/// Reads every source: the explicit ones, then the ecosystem's environment variables (`env` is
/// the environment; empty values count as unset).
pub(crate) fn resolve(
    ecosystem: Ecosystem,
    explicit: &[CaSource],
    env: impl Fn(&str) -> Option<String>,
) -> Result<Trust> {
    let mut trust = Trust::default();
    for (index, source) in explicit.iter().enumerate() {
        let field = format!("{CA_CERTIFICATES_FIELD}[{index}]");
        let certs = match source {
            CaSource::Pem(pem) => parse_pem(pem).map_err(|msg| Error::invalid_argument(field, msg)),
            CaSource::File(path) => read_pem_file(path, &field),
        }?;
        trust.roots.extend(certs);
    }
    for name in ecosystem.ca_env_vars() {
        let Some(value) = env(name).filter(|value| !value.is_empty()) else {
            continue;
        };
        match *name {
            SSL_CERT_DIR_ENV => {
                for dir in std::env::split_paths(&value).filter(|d| !d.as_os_str().is_empty()) {
                    trust.roots.extend(read_pem_dir(&dir, name)?);
                }
                trust.replace_os_store = true;
            }
            SSL_CERT_FILE_ENV => {
                trust.roots.extend(read_pem_file(Path::new(&value), name)?);
                trust.replace_os_store = true;
            }
            _ => trust.roots.extend(read_pem_file(Path::new(&value), name)?),
        }
    }
    Ok(trust)
}

/// The certificates of a PEM text: at least one, and every `CERTIFICATE` block well formed
/// (other blocks, such as a private key in the same file, are skipped).
fn parse_pem(pem: &[u8]) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    let mut certs = Vec::new();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|err| format!("not a valid PEM certificate ({err})"))?;
        // The DER must at least be an X.509 certificate rustls can read.
        webpki_check(&cert)?;
        certs.push(cert);
    }
    if certs.is_empty() {
        return Err("holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned());
    }
    Ok(certs)
}

/// Rejects DER that is not a certificate (e.g. base64 of random bytes between PEM markers).
fn webpki_check(cert: &CertificateDer<'_>) -> std::result::Result<(), String> {
    let mut store = rustls::RootCertStore::empty();
    store
        .add(cert.clone())
        .map_err(|err| format!("not a valid X.509 certificate ({err})"))
}

fn read_pem_file(path: &Path, field: &str) -> Result<Vec<CertificateDer<'static>>> {
    let bytes = std::fs::read(path).map_err(|err| {
        Error::invalid_argument(field, format!("cannot read {}: {err}", path.display()))
    })?;
    parse_pem(&bytes)
        .map_err(|msg| Error::invalid_argument(field, format!("{}: {msg}", path.display())))
}

/// Every certificate of the PEM files in `dir` (files that hold none, such as a README, are
/// skipped, as OpenSSL does); the directory must yield at least one.
fn read_pem_dir(dir: &Path, field: &str) -> Result<Vec<CertificateDer<'static>>> {
    let entries = std::fs::read_dir(dir).map_err(|err| {
        Error::invalid_argument(field, format!("cannot read {}: {err}", dir.display()))
    })?;
    let mut certs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file()
            && let Ok(bytes) = std::fs::read(&path)
            && let Ok(found) = parse_pem(&bytes)
        {
            certs.extend(found);
        }
    }
    if certs.is_empty() {
        return Err(Error::invalid_argument(
            field,
            format!("{} holds no PEM certificate", dir.display()),
        ));
    }
    Ok(certs)
}

/// Whether a failed request failed because the server's certificate was refused, and rustls'
/// reason when so. io errors wrap rustls' error (sometimes in a second io error) without
/// exposing it as their `source`, so each link of the chain is unwrapped too.
pub(crate) fn certificate_rejection(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current = Some(err);
    while let Some(link) = current {
        let mut wrapped: Option<&(dyn std::error::Error + 'static)> = Some(link);
        while let Some(inner) = wrapped {
            if let Some(
                err @ (rustls::Error::InvalidCertificate(_)
                | rustls::Error::NoCertificatesPresented
                | rustls::Error::UnsupportedNameType),
            ) = inner.downcast_ref::<rustls::Error>()
            {
                return Some(err.to_string());
            }
            wrapped = inner
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|boxed| boxed as &(dyn std::error::Error + 'static));
        }
        current = link.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOT_PEM: &[u8] = b"hello";
    const BAD_BASE64: &[u8] = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    const NOT_X509: &[u8] =
        b"-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";

    fn field(result: Result<Trust>) -> String {
        let err = result.expect_err("rejected");
        assert_eq!(err.code(), "invalid_argument");
        err.info().field.unwrap_or_default()
    }

    #[test]
    fn bad_pem_names_the_option_or_the_variable() {
        let none = |_: &str| None;
        for bad in [NOT_PEM, BAD_BASE64, NOT_X509] {
            let sources = [CaSource::Pem(bad.to_vec())];
            assert_eq!(
                field(resolve(Ecosystem::Rust, &sources, none)),
                "ca_certificates[0]"
            );
        }
        let missing = [CaSource::File(PathBuf::from("/nonexistent/ca.pem"))];
        assert_eq!(
            field(resolve(Ecosystem::Python, &missing, none)),
            "ca_certificates[0]"
        );
        let env = |name: &str| (name == "SSL_CERT_FILE").then(|| "/nonexistent/ca.pem".to_owned());
        assert_eq!(field(resolve(Ecosystem::Rust, &[], env)), "SSL_CERT_FILE");
        // Node reads only its own variable.
        assert!(resolve(Ecosystem::Node, &[], env).unwrap().roots.is_empty());
        let node = |name: &str| (name == "NODE_EXTRA_CA_CERTS").then(|| "/dev/null".to_owned());
        assert_eq!(
            field(resolve(Ecosystem::Node, &[], node)),
            "NODE_EXTRA_CA_CERTS"
        );
        let dir = |name: &str| (name == "SSL_CERT_DIR").then(|| "/nonexistent".to_owned());
        assert_eq!(field(resolve(Ecosystem::Python, &[], dir)), "SSL_CERT_DIR");
    }

    #[test]
    fn nothing_set_keeps_the_os_store() {
        let trust = resolve(Ecosystem::Rust, &[], |_| Some(String::new())).unwrap();
        assert!(trust.roots.is_empty() && !trust.replace_os_store);
    }
}
