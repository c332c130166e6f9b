//! HTTPS: the server certificate chain and key (PEM), turned into a rustls acceptor.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::routes::error::EmulatorError;

/// A certificate chain (leaf first) and its private key, both PEM.
#[derive(Clone)]
pub(crate) struct TlsPem {
    pub(crate) cert_chain: Vec<u8>,
    pub(crate) key: Vec<u8>,
}

impl std::fmt::Debug for TlsPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret.
        f.write_str("TlsPem { .. }")
    }
}

impl TlsPem {
    /// Reads both files.
    pub(crate) fn from_files(cert: &str, key: &str) -> Result<TlsPem, EmulatorError> {
        let read = |what: &str, path: &str| {
            std::fs::read(path)
                .map_err(|err| EmulatorError::Config(format!("cannot read {what} {path}: {err}")))
        };
        Ok(TlsPem {
            cert_chain: read("tls_cert", cert)?,
            key: read("tls_key", key)?,
        })
    }

    /// The chain's certificates (DER), leaf first.
    pub(crate) fn certs(&self) -> Result<Vec<CertificateDer<'static>>, EmulatorError> {
        let certs = CertificateDer::pem_slice_iter(&self.cert_chain)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| EmulatorError::Config(format!("tls_cert: not valid PEM: {err}")))?;
        if certs.is_empty() {
            return Err(EmulatorError::Config(
                "tls_cert holds no PEM certificate".into(),
            ));
        }
        Ok(certs)
    }

    /// The acceptor the accept loop wraps every connection in (HTTP/2 and HTTP/1.1 by ALPN).
    pub(crate) fn acceptor(&self) -> Result<TlsAcceptor, EmulatorError> {
        let certs = self.certs()?;
        let key = PrivateKeyDer::from_pem_slice(&self.key).map_err(|err| {
            EmulatorError::Config(format!("tls_key: no PEM private key found ({err})"))
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|builder| builder.with_no_client_auth().with_single_cert(certs, key))
            .map_err(|err| EmulatorError::Config(format!("tls_cert/tls_key: {err}")))?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}
