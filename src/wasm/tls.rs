//! TLS done in the page (the `tls` feature, package `www/pkg-tls`): a sans-IO
//! rustls client. The page hands it the plaintext HTTP bytes and the TLS
//! bytes that arrive through the relay, and sends what it gives back: the
//! relay only ever forwards ciphertext, and holds no key.
//!
//! Trust: the public roots of `webpki-roots`, plus the CA certificates
//! `wirepad serve --trust-ca` hands to the page (PEM). Versions: TLS 1.2 and
//! 1.3. ALPN offers only `http/1.1`; SNI is the host.
//!
//! So that the page can show which TLS record carried which HTTP bytes, the
//! client hands rustls one record at a time, both ways: each application
//! data record it sends holds one piece of plaintext written after the
//! handshake, and each record it receives yields the plaintext it decrypts
//! to. `links()` lists them.

use super::set;
use crate::explain;
use crate::tls::Failure;
use js_sys::Uint32Array;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, ClientConnection, Error, RootCertStore};
use serde::Serialize;
use std::io::{Read, Write};
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// A TLS failure in words: a stable code (docs/tls.md) and what happened.
#[derive(Serialize)]
struct FailureValue {
    code: &'static str,
    message: String,
}

/// The code of a rustls error, for the page's explanation.
fn code_of(e: &Error) -> Failure {
    match e {
        Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => Failure::UnknownIssuer,
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => Failure::Expired,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => Failure::NotYetValid,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => Failure::WrongName,
            _ => Failure::BadCertificate,
        },
        // Bytes that are not TLS records: a server speaking plain HTTP on this port, say.
        Error::InvalidMessage(_) | Error::InappropriateMessage { .. } | Error::InappropriateHandshakeMessage { .. } => {
            Failure::NotTls
        }
        Error::AlertReceived(_) | Error::PeerIncompatible(_) | Error::NoApplicationProtocol => {
            Failure::HandshakeFailure
        }
        _ => Failure::Failed,
    }
}

fn failure(code: Failure, message: impl ToString) -> JsValue {
    let f = FailureValue { code: code.as_str(), message: message.to_string() };
    f.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

fn tls_failure(e: &Error) -> JsValue {
    failure(code_of(e), e)
}

/// One certificate of the server's chain, as the page lists it.
#[derive(Serialize)]
struct Certificate {
    subject: String,
    issuer: String,
    /// notBefore and notAfter, in seconds since 1970.
    not_before: i64,
    not_after: i64,
    /// The DNS names and IP addresses it is issued for (subjectAltName).
    names: Vec<String>,
}

fn certificate(der: &[u8]) -> Option<Certificate> {
    use x509_parser::extensions::GeneralName;
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let names = match cert.subject_alternative_name() {
        Ok(Some(san)) => san
            .value
            .general_names
            .iter()
            .filter_map(|n| match n {
                GeneralName::DNSName(d) => Some(d.to_string()),
                GeneralName::IPAddress(ip) => match ip.len() {
                    4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*ip).ok()?).to_string()),
                    16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*ip).ok()?).to_string()),
                    _ => None,
                },
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(Certificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        names,
    })
}

fn is_chacha(suite: rustls::CipherSuite) -> bool {
    use rustls::CipherSuite::*;
    matches!(
        suite,
        TLS13_CHACHA20_POLY1305_SHA256
            | TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
            | TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
    )
}

/// What the page shows about the connection once the handshake is done.
#[derive(Serialize)]
struct Info {
    handshaking: bool,
    version: Option<String>,
    cipher_suite: Option<String>,
    alpn: Option<String>,
    /// The server's chain, its own certificate first.
    certificates: Vec<Certificate>,
}

/// The largest plaintext one record carries (RFC 8446 §5.1: 2^14 bytes).
const MAX_FRAGMENT: usize = 1 << 14;

/// Which TLS bytes of one direction carried which plaintext bytes, as four
/// columns: record `i` spans `tls_start[i]..tls_end[i]` of the TLS bytes
/// and carried `plain_start[i]..plain_end[i]` of the HTTP bytes.
#[derive(Default)]
struct Links {
    tls_start: Vec<u32>,
    tls_end: Vec<u32>,
    plain_start: Vec<u32>,
    plain_end: Vec<u32>,
}

impl Links {
    fn push(&mut self, tls: (usize, usize), plain: (usize, usize)) {
        self.tls_start.push(tls.0 as u32);
        self.tls_end.push(tls.1 as u32);
        self.plain_start.push(plain.0 as u32);
        self.plain_end.push(plain.1 as u32);
    }

    fn to_js(&self) -> Result<JsValue, JsValue> {
        let o = js_sys::Object::new();
        for (name, column) in [
            ("tls_start", &self.tls_start),
            ("tls_end", &self.tls_end),
            ("plain_start", &self.plain_start),
            ("plain_end", &self.plain_end),
        ] {
            js_sys::Reflect::set(&o, &name.into(), &Uint32Array::from(&column[..]).into())?;
        }
        Ok(o.into())
    }
}

/// Where the incoming bytes stand in the record being received.
#[derive(Default)]
struct Incoming {
    /// The current record's header bytes seen so far (at most five).
    header: Vec<u8>,
    /// Payload bytes of the current record still to come.
    remaining: usize,
    /// Where the current record starts in the TLS bytes received.
    start: usize,
    /// TLS bytes received in all.
    seen: usize,
}

#[wasm_bindgen]
pub struct TlsClient {
    conn: ClientConnection,
    /// Plaintext written, not yet handed to rustls (it waits for the handshake).
    pending: Vec<u8>,
    /// TLS bytes sent and plaintext bytes encrypted so far.
    sent: usize,
    sent_plain: usize,
    received_plain: usize,
    incoming: Incoming,
    up: Links,
    down: Links,
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
                let cert = cert.map_err(|e| failure(Failure::BadTrust, format!("a --trust-ca certificate: {e}")))?;
                roots.add(cert).map_err(|e| failure(Failure::BadTrust, format!("a --trust-ca certificate: {e}")))?;
            }
        }
        let mut provider = rustls::crypto::ring::default_provider();
        // WebAssembly has no AES instructions, and software AES-GCM is slow:
        // ChaCha20-Poly1305 decrypts an 8 MiB body about four times faster
        // here (85 ms against 330 ms, measured in Node). Offered first, as
        // browsers without AES hardware do; a server that honours the
        // client's order picks it.
        provider.cipher_suites.sort_by_key(|s| !is_chacha(s.suite()));
        let provider = Arc::new(provider);
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| tls_failure(&e))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let name = ServerName::try_from(host.to_string())
            .map_err(|e| failure(Failure::BadName, format!("{host:?} cannot be a TLS server name: {e}")))?;
        let conn = ClientConnection::new(Arc::new(config), name).map_err(|e| tls_failure(&e))?;
        Ok(TlsClient {
            conn,
            pending: Vec::new(),
            sent: 0,
            sent_plain: 0,
            received_plain: 0,
            incoming: Incoming::default(),
            up: Links::default(),
            down: Links::default(),
        })
    }

    /// Plaintext to send: kept until the handshake is done, then encrypted
    /// by `outgoing()`.
    pub fn write(&mut self, plain: &[u8]) {
        self.pending.extend_from_slice(plain);
    }

    /// The TLS bytes to send to the server now (records, in order).
    pub fn outgoing(&mut self) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.drain(&mut out);
        if !self.conn.is_handshaking() && !self.pending.is_empty() {
            // One write of at most 2^14 bytes is one application data record.
            let pending = std::mem::take(&mut self.pending);
            for piece in pending.chunks(MAX_FRAGMENT) {
                self.conn.writer().write_all(piece).map_err(|e| failure(Failure::Failed, e))?;
                let start = self.sent + out.len();
                self.drain(&mut out);
                self.up.push((start, self.sent + out.len()), (self.sent_plain, self.sent_plain + piece.len()));
                self.sent_plain += piece.len();
            }
        }
        self.sent += out.len();
        Ok(out)
    }

    fn drain(&mut self, out: &mut Vec<u8>) {
        while self.conn.wants_write() {
            if self.conn.write_tls(out).is_err() {
                break;
            }
        }
    }

    /// TLS bytes from the server; returns the plaintext they carried. After an
    /// error, `outgoing()` may still hold the alert that tells the server.
    pub fn receive(&mut self, mut tls: &[u8]) -> Result<Vec<u8>, JsValue> {
        let mut plain = Vec::new();
        while !tls.is_empty() {
            // Cut the bytes where a record ends, so what rustls decrypts next
            // came from that record alone.
            let inc = &mut self.incoming;
            let n = if inc.header.len() < 5 {
                let n = (5 - inc.header.len()).min(tls.len());
                inc.header.extend_from_slice(&tls[..n]);
                if inc.header.len() == 5 {
                    inc.remaining = u16::from_be_bytes([inc.header[3], inc.header[4]]) as usize;
                }
                n
            } else {
                let n = inc.remaining.min(tls.len());
                inc.remaining -= n;
                n
            };
            let (piece, rest) = tls.split_at(n);
            tls = rest;
            inc.seen += n;
            let record_done = inc.header.len() == 5 && inc.remaining == 0;
            let mut piece = piece;
            while !piece.is_empty() {
                self.conn.read_tls(&mut piece).map_err(|e| failure(Failure::Failed, e))?;
            }
            self.conn.process_new_packets().map_err(|e| tls_failure(&e))?;
            let before = plain.len();
            match self.conn.reader().read_to_end(&mut plain) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                // The server closed the TLS session without close_notify: what came is what there is.
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {}
                Err(e) => return Err(failure(Failure::Failed, e)),
            }
            let inc = &mut self.incoming;
            if plain.len() > before {
                let start = self.received_plain;
                self.received_plain += plain.len() - before;
                self.down.push((inc.start, inc.seen), (start, self.received_plain));
            }
            if record_done {
                inc.header.clear();
                inc.start = inc.seen;
            }
        }
        Ok(plain)
    }

    /// Ends the session politely (a close_notify alert, then `outgoing()`).
    pub fn close(&mut self) {
        self.conn.send_close_notify();
    }

    /// `{handshaking, version, cipher_suite, alpn, certificates: [{subject,
    /// issuer, not_before, not_after, names}]}`.
    pub fn info(&self) -> JsValue {
        let info = Info {
            handshaking: self.conn.is_handshaking(),
            version: self.conn.protocol_version().map(|v| format!("{v:?}").replace("TLSv1_", "TLS 1.")),
            cipher_suite: self.conn.negotiated_cipher_suite().map(|s| format!("{:?}", s.suite())),
            alpn: self.conn.alpn_protocol().map(|p| String::from_utf8_lossy(p).into_owned()),
            certificates: self
                .conn
                .peer_certificates()
                .unwrap_or_default()
                .iter()
                .filter_map(|c| certificate(c))
                .collect(),
        };
        info.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
    }

    /// Which records carried which HTTP bytes: `{up, down}`, each
    /// `{tls_start, tls_end, plain_start, plain_end}` (Uint32Arrays; TLS
    /// offsets count the bytes sent or received from the first, plaintext
    /// offsets the request or response bytes).
    pub fn links(&self) -> Result<JsValue, JsValue> {
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"up".into(), &self.up.to_js()?)?;
        js_sys::Reflect::set(&o, &"down".into(), &self.down.to_js()?)?;
        Ok(o.into())
    }
}

/// Labels one direction's TLS bytes (see `wirepad::tls`): `{spans: {start,
/// end, kind, kinds}, records: [{range, content_type, encrypted, complete}],
/// handshakes: [{msg_type, range, complete}], error}`; `kind[i]` indexes
/// `kinds`, ranges are `{start, end}`.
#[wasm_bindgen(js_name = tlsLabels)]
pub fn tls_labels(bytes: &[u8]) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Out<'a> {
        records: &'a [crate::tls::Record],
        handshakes: &'a [crate::tls::Handshake],
        error: Option<&'static str>,
    }
    let labels = crate::tls::label(bytes);
    let out = super::to_js(&Out { records: &labels.records, handshakes: &labels.handshakes, error: labels.error })?;
    let spans = js_sys::Object::new();
    let start: Vec<u32> = labels.spans.iter().map(|s| s.start).collect();
    let end: Vec<u32> = labels.spans.iter().map(|s| s.end).collect();
    let kind: Vec<u8> = labels.spans.iter().map(|s| s.kind as u8).collect();
    let kinds: Vec<&str> = crate::tls::TlsKind::ALL.iter().map(|k| k.as_str()).collect();
    set(&spans, "start", &Uint32Array::from(&start[..]).into())?;
    set(&spans, "end", &Uint32Array::from(&end[..]).into())?;
    set(&spans, "kind", &js_sys::Uint8Array::from(&kind[..]).into())?;
    set(&spans, "kinds", &super::to_js(&kinds)?)?;
    set(out.unchecked_ref(), "spans", &spans.into())?;
    Ok(out)
}

/// The TLS part of the explanation table (`wirepad::explain::tls_table`):
/// `{kinds, failures, content_types, handshakes, alerts, versions,
/// extensions, suites}`, each a list of `[key, value]`.
#[wasm_bindgen(js_name = tlsExplanations)]
pub fn tls_explanations() -> Result<JsValue, JsError> {
    super::to_js(&explain::tls_table())
}
