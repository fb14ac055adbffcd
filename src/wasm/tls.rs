//! TLS done in the page (the `tls` feature, package `www/pkg-tls`): a sans-IO
//! rustls client. The page hands it the plaintext HTTP bytes and the TLS
//! bytes that arrive through the relay, and sends what it gives back: the
//! relay only ever forwards ciphertext, and holds no key.
//!
//! Trust: the public roots of `webpki-roots`, plus the CA certificates
//! `wirepad serve --trust-ca` hands to the page (PEM). Versions: TLS 1.2 and
//! 1.3. ALPN offers only `http/1.1`; SNI is the host.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, ClientConnection, Error, RootCertStore};
use serde::Serialize;
use std::io::{Read, Write};
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// A TLS failure in words: a stable code (README, "https") and what happened.
#[derive(Serialize)]
struct Failure {
    code: &'static str,
    message: String,
}

/// The code of a rustls error, for the page's explanation.
fn code_of(e: &Error) -> &'static str {
    match e {
        Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => "tls-unknown-issuer",
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => "tls-expired",
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => "tls-not-yet-valid",
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => "tls-wrong-name",
            _ => "tls-bad-certificate",
        },
        // Bytes that are not TLS records: a server speaking plain HTTP on this port, say.
        Error::InvalidMessage(_) | Error::InappropriateMessage { .. } | Error::InappropriateHandshakeMessage { .. } => {
            "tls-not-tls"
        }
        Error::AlertReceived(_) | Error::PeerIncompatible(_) | Error::NoApplicationProtocol => "tls-handshake-failure",
        _ => "tls-failed",
    }
}

fn failure(code: &'static str, message: impl ToString) -> JsValue {
    let f = Failure { code, message: message.to_string() };
    f.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

fn tls_failure(e: &Error) -> JsValue {
    failure(code_of(e), e)
}

/// What the page shows about the connection once the handshake is done.
#[derive(Serialize)]
struct Info {
    handshaking: bool,
    version: Option<String>,
    cipher_suite: Option<String>,
    alpn: Option<String>,
    certificates: usize,
}

#[wasm_bindgen]
pub struct TlsClient {
    conn: ClientConnection,
}

#[wasm_bindgen]
impl TlsClient {
    /// A client for `host` (its SNI and the name its certificate must have),
    /// trusting the public roots and the PEM certificates in `trust`.
    #[wasm_bindgen(constructor)]
    pub fn new(host: &str, trust: Vec<String>) -> Result<TlsClient, JsValue> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for pem in &trust {
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert = cert.map_err(|e| failure("tls-bad-trust", format!("a --trust-ca certificate: {e}")))?;
                roots.add(cert).map_err(|e| failure("tls-bad-trust", format!("a --trust-ca certificate: {e}")))?;
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| tls_failure(&e))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let name = ServerName::try_from(host.to_string())
            .map_err(|e| failure("tls-bad-name", format!("{host:?} cannot be a TLS server name: {e}")))?;
        let conn = ClientConnection::new(Arc::new(config), name).map_err(|e| tls_failure(&e))?;
        Ok(TlsClient { conn })
    }

    /// Plaintext to send: kept until the handshake is done, then encrypted.
    pub fn write(&mut self, plain: &[u8]) -> Result<(), JsValue> {
        self.conn.writer().write_all(plain).map_err(|e| failure("tls-failed", e))
    }

    /// The TLS bytes to send to the server now (records, in order).
    pub fn outgoing(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while self.conn.wants_write() {
            if self.conn.write_tls(&mut out).is_err() {
                break;
            }
        }
        out
    }

    /// TLS bytes from the server; returns the plaintext they carried. After an
    /// error, `outgoing()` may still hold the alert that tells the server.
    pub fn receive(&mut self, mut tls: &[u8]) -> Result<Vec<u8>, JsValue> {
        let mut plain = Vec::new();
        while !tls.is_empty() {
            self.conn.read_tls(&mut tls).map_err(|e| failure("tls-failed", e))?;
            self.conn.process_new_packets().map_err(|e| tls_failure(&e))?;
            match self.conn.reader().read_to_end(&mut plain) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                // The server closed the TLS session without close_notify: what came is what there is.
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {}
                Err(e) => return Err(failure("tls-failed", e)),
            }
        }
        Ok(plain)
    }

    /// Ends the session politely (a close_notify alert, then `outgoing()`).
    pub fn close(&mut self) {
        self.conn.send_close_notify();
    }

    /// `{handshaking, version, cipher_suite, alpn, certificates}`.
    pub fn info(&self) -> JsValue {
        let info = Info {
            handshaking: self.conn.is_handshaking(),
            version: self.conn.protocol_version().map(|v| format!("{v:?}").replace("TLSv1_", "TLS 1.")),
            cipher_suite: self.conn.negotiated_cipher_suite().map(|s| format!("{:?}", s.suite())),
            alpn: self.conn.alpn_protocol().map(|p| String::from_utf8_lossy(p).into_owned()),
            certificates: self.conn.peer_certificates().map_or(0, <[_]>::len),
        };
        info.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
    }
}
