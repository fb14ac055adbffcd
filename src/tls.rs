//! TLS on the wire, labelled: the bytes an https exchange sends through the
//! relay, cut into records and the fields a student can read without a key.
//!
//! TLS sends everything in records (RFC 8446 §5.1, RFC 5246 §6.2):
//!
//! ```text
//! struct {
//!     ContentType type;                  1 byte: 20 change_cipher_spec, 21 alert,
//!                                        22 handshake, 23 application_data
//!     ProtocolVersion legacy_record_version;   2 bytes, 0x0303 (0x0301 in a first ClientHello)
//!     uint16 length;                     at most 2^14 + 2048 (RFC 5246 §6.2.3)
//!     opaque fragment[TLSPlaintext.length];
//! } TLSPlaintext;
//! ```
//!
//! Handshake messages travel in handshake records, which may split one
//! message or hold several, so [`label`] reads them from the handshake
//! records' payloads joined together (RFC 8446 §5.1: "Handshake messages
//! MAY be coalesced into a single TLSPlaintext record or fragmented across
//! several records"), then maps each field back onto the wire. ClientHello
//! and ServerHello are read field by field; what comes after them is
//! encrypted (TLS 1.3 sends it as application_data records; TLS 1.2 after
//! its change_cipher_spec) or, for TLS 1.2's plaintext Certificate and key
//! exchange messages, labelled as one handshake body each.
//!
//! Like the HTTP parser's spans, these follow the span rule: non-empty,
//! contiguous, in order, and covering every input byte, garbage included
//! (bytes that are not TLS records become [`TlsKind::Unparsed`]).
//!
//! ```
//! use wirepad::tls::{label, TlsKind};
//! // An alert record: fatal (2), handshake_failure (40).
//! let labels = label(&[21, 3, 3, 0, 2, 2, 40]);
//! let kinds: Vec<_> = labels.spans.iter().map(|s| s.kind.as_str()).collect();
//! assert_eq!(kinds, ["tls-record-type", "tls-record-version", "tls-record-length", "tls-alert-level", "tls-alert-description"]);
//! assert_eq!(labels.records[0].content_type, 21);
//! ```

use crate::span::{string_enum, Range};
use serde::Serialize;

string_enum! {
    /// What a run of TLS bytes is.
    pub enum TlsKind {
        /// The first byte of a record header: what the record carries.
        RecordType = "tls-record-type",
        /// The record's legacy version, 0x0303 (0x0301 in a first ClientHello).
        RecordVersion = "tls-record-version",
        /// How many payload bytes follow the five-byte record header.
        RecordLength = "tls-record-length",
        HandshakeType = "tls-handshake-type",
        /// Three bytes: the length of the handshake message's body.
        HandshakeLength = "tls-handshake-length",
        /// legacy_version in a ClientHello or ServerHello.
        HelloVersion = "tls-hello-version",
        Random = "tls-random",
        /// A length prefix of a list (a "vector" in RFC 8446 §3.4).
        VectorLength = "tls-vector-length",
        SessionId = "tls-session-id",
        /// Two bytes naming one cipher suite.
        CipherSuite = "tls-cipher-suite",
        /// legacy_compression_methods; always "null" (0) today.
        Compression = "tls-compression",
        ExtensionType = "tls-extension-type",
        ExtensionData = "tls-extension-data",
        /// The data of a server_name extension (SNI): the host name.
        ServerName = "tls-server-name",
        /// The data of an ALPN extension: the application protocols.
        Alpn = "tls-alpn",
        /// The body of another handshake message sent in the clear (TLS 1.2's Certificate, say).
        HandshakeBody = "tls-handshake-body",
        ChangeCipherSpec = "tls-change-cipher-spec",
        AlertLevel = "tls-alert-level",
        AlertDescription = "tls-alert-description",
        /// An encrypted payload: application data, and in TLS 1.3 everything after ServerHello.
        Encrypted = "tls-encrypted",
        /// Bytes that are not TLS records: from the first one that cannot start a record.
        Unparsed = "tls-unparsed",
    }
}

string_enum! {
    /// Why a TLS connection failed, as the page names it (the `tls` wasm
    /// package maps rustls's errors to these; the explanations are in
    /// [`crate::explain::tls_failure`]).
    pub enum Failure {
        UnknownIssuer = "tls-unknown-issuer",
        Expired = "tls-expired",
        NotYetValid = "tls-not-yet-valid",
        WrongName = "tls-wrong-name",
        BadCertificate = "tls-bad-certificate",
        NotTls = "tls-not-tls",
        HandshakeFailure = "tls-handshake-failure",
        BadName = "tls-bad-name",
        BadTrust = "tls-bad-trust",
        Failed = "tls-failed",
    }
}

/// One labelled run of TLS bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TlsSpan {
    pub start: u32,
    pub end: u32,
    pub kind: TlsKind,
}

/// One record on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The whole record, its five-byte header included.
    pub range: Range,
    pub content_type: u8,
    /// Whether its payload is encrypted (no key here can read it).
    pub encrypted: bool,
    /// False when the input ends inside the record.
    pub complete: bool,
}

/// One handshake message sent in the clear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Handshake {
    pub msg_type: u8,
    /// From its first byte to its last, on the wire (record headers in between included).
    pub range: Range,
    pub complete: bool,
}

/// The labels of one direction's TLS bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Labels {
    pub spans: Vec<TlsSpan>,
    pub records: Vec<Record>,
    pub handshakes: Vec<Handshake>,
    /// Why the bytes from the first [`TlsKind::Unparsed`] one on are not TLS.
    pub error: Option<&'static str>,
}

const CHANGE_CIPHER_SPEC: u8 = 20;
const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const APPLICATION_DATA: u8 = 23;
/// RFC 5246 §6.2.3: a record's payload is at most 2^14 + 2048 bytes.
const MAX_RECORD: usize = (1 << 14) + 2048;

/// Labels the TLS bytes one side sent (all of them, from the first): every
/// byte gets a span.
pub fn label(bytes: &[u8]) -> Labels {
    let mut out = Labels::default();
    let mut spans = Vec::new();
    // The handshake records' payloads, joined, and where each piece sits on the wire.
    let mut handshake = Vec::new();
    let mut pieces = Vec::new();
    // After a change_cipher_spec, what this side sends is encrypted (RFC 5246 §7.1).
    let mut changed = false;
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        if !matches!(rest[0], CHANGE_CIPHER_SPEC..=APPLICATION_DATA) || rest.get(1).is_some_and(|&major| major != 3) {
            out.error = Some("these bytes are not a TLS record: a record starts with a content type from 20 to 23 and the version 3.x");
            break;
        }
        let length = if rest.len() >= 5 { u16::from_be_bytes([rest[3], rest[4]]) as usize } else { 0 };
        if length > MAX_RECORD {
            out.error =
                Some("the record is longer than 2^14 + 2048 bytes, which no TLS record may be (RFC 5246 §6.2.3)");
            break;
        }
        let end = (pos + 5 + length).min(bytes.len());
        let content_type = rest[0];
        let header_end = (pos + 5).min(end);
        push(&mut spans, pos, pos + 1, TlsKind::RecordType);
        push(&mut spans, pos + 1, (pos + 3).min(header_end), TlsKind::RecordVersion);
        push(&mut spans, (pos + 3).min(header_end), header_end, TlsKind::RecordLength);
        let encrypted = content_type == APPLICATION_DATA || (changed && content_type != CHANGE_CIPHER_SPEC);
        match content_type {
            _ if encrypted => push(&mut spans, header_end, end, TlsKind::Encrypted),
            HANDSHAKE => {
                pieces.push(Piece { joined: handshake.len(), wire: header_end, len: end - header_end });
                handshake.extend_from_slice(&bytes[header_end..end]);
            }
            ALERT => {
                // An alert is two bytes; a longer payload is read as alerts in turn.
                for (i, at) in (header_end..end).enumerate() {
                    push(
                        &mut spans,
                        at,
                        at + 1,
                        if i % 2 == 0 { TlsKind::AlertLevel } else { TlsKind::AlertDescription },
                    );
                }
            }
            _ => {
                push(&mut spans, header_end, end, TlsKind::ChangeCipherSpec);
                changed = true;
            }
        }
        let complete = rest.len() >= 5 + length;
        out.records.push(Record { range: Range::new(pos, end), content_type, encrypted, complete });
        pos = end;
    }
    if pos < bytes.len() {
        push(&mut spans, pos, bytes.len(), TlsKind::Unparsed);
    }
    // The handshake messages, read from the joined payloads.
    let mut fields = Fields { spans: Vec::new(), end: 0 };
    let mut at = 0;
    while at < handshake.len() {
        let msg_type = handshake[at];
        let length = if handshake.len() - at >= 4 {
            u32::from_be_bytes([0, handshake[at + 1], handshake[at + 2], handshake[at + 3]]) as usize
        } else {
            0
        };
        let end = (at + 4 + length).min(handshake.len());
        fields.end = end;
        let mut c = at;
        fields.take(&mut c, 1, TlsKind::HandshakeType);
        fields.take(&mut c, 3, TlsKind::HandshakeLength);
        match msg_type {
            1 => fields.hello(&handshake, &mut c, true),
            2 => fields.hello(&handshake, &mut c, false),
            _ => {}
        }
        let rest = end - c;
        fields.take(&mut c, rest, TlsKind::HandshakeBody);
        let (first, last) = (to_wire(&pieces, at), to_wire(&pieces, end - 1) + 1);
        out.handshakes.push(Handshake {
            msg_type,
            range: Range::new(first, last),
            complete: handshake.len() - at >= 4 + length,
        });
        at = end;
    }
    for s in fields.spans {
        for piece in &pieces {
            let (lo, hi) = (s.start.max(piece.joined), s.end.min(piece.joined + piece.len));
            if lo < hi {
                push(&mut spans, piece.wire + lo - piece.joined, piece.wire + hi - piece.joined, s.kind);
            }
        }
    }
    spans.sort_unstable_by_key(|s| s.start);
    out.spans = spans;
    out
}

fn push(spans: &mut Vec<TlsSpan>, start: usize, end: usize, kind: TlsKind) {
    if start < end {
        spans.push(TlsSpan { start: start as u32, end: end as u32, kind });
    }
}

/// Where some handshake payload bytes sit on the wire.
struct Piece {
    joined: usize,
    wire: usize,
    len: usize,
}

fn to_wire(pieces: &[Piece], joined: usize) -> usize {
    let i = pieces.partition_point(|p| p.joined + p.len <= joined);
    pieces[i].wire + joined - pieces[i].joined
}

/// Spans over the joined handshake payloads: half-open, in order.
struct HsSpan {
    start: usize,
    end: usize,
    kind: TlsKind,
}

/// Field spans of the handshake message that ends at `end` (or where the input does).
struct Fields {
    spans: Vec<HsSpan>,
    end: usize,
}

impl Fields {
    /// Labels the next `n` bytes (fewer where the message ends) and moves past them.
    fn take(&mut self, at: &mut usize, n: usize, kind: TlsKind) -> usize {
        let end = (*at + n).min(self.end);
        if *at < end {
            self.spans.push(HsSpan { start: *at, end, kind });
        }
        let taken = end - *at;
        *at = end;
        taken
    }

    /// A length prefix of `n` bytes, and the length it gives (0 when cut short).
    fn length(&mut self, b: &[u8], at: &mut usize, n: usize) -> usize {
        let start = *at;
        if self.take(at, n, TlsKind::VectorLength) < n {
            return 0;
        }
        b[start..start + n].iter().fold(0, |v, &x| v << 8 | x as usize)
    }

    /// ClientHello and ServerHello (RFC 8446 §4.1.2 and §4.1.3):
    ///
    /// ```text
    /// ClientHello: legacy_version(2) random(32) legacy_session_id<0..32>
    ///              cipher_suites<2..2^16-2> legacy_compression_methods<1..2^8-1>
    ///              extensions<8..2^16-1>
    /// ServerHello: legacy_version(2) random(32) legacy_session_id_echo<0..32>
    ///              cipher_suite(2) legacy_compression_method(1) extensions<6..2^16-1>
    /// ```
    fn hello(&mut self, b: &[u8], at: &mut usize, client: bool) {
        self.take(at, 2, TlsKind::HelloVersion);
        self.take(at, 32, TlsKind::Random);
        let n = self.length(b, at, 1);
        self.take(at, n, TlsKind::SessionId);
        if client {
            let n = self.length(b, at, 2);
            self.list(at, n, 2, TlsKind::CipherSuite);
            let n = self.length(b, at, 1);
            self.take(at, n, TlsKind::Compression);
        } else {
            self.take(at, 2, TlsKind::CipherSuite);
            self.take(at, 1, TlsKind::Compression);
        }
        // TLS 1.2 lets a hello end here, without extensions (RFC 5246 §7.4.1.2).
        let n = self.length(b, at, 2);
        let list_end = (*at + n).min(self.end);
        while *at < list_end {
            let ext = *at;
            self.take(at, 2.min(list_end - ext), TlsKind::ExtensionType);
            let data = self.length(b, at, 2.min(list_end - *at)).min(list_end - *at);
            let kind = match b.get(ext..ext + 2) {
                Some([0, 0]) => TlsKind::ServerName,
                Some([0, 16]) => TlsKind::Alpn,
                _ => TlsKind::ExtensionData,
            };
            self.take(at, data, kind);
        }
    }

    /// `len` bytes of items of `size` bytes each, one span per item.
    fn list(&mut self, at: &mut usize, len: usize, size: usize, kind: TlsKind) {
        let end = *at + len;
        while *at < end.min(self.end) {
            self.take(at, size.min(end - *at), kind);
        }
    }
}

/// The name of a record's content type (RFC 8446 §5.1).
pub fn content_type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        CHANGE_CIPHER_SPEC => "change_cipher_spec",
        ALERT => "alert",
        HANDSHAKE => "handshake",
        APPLICATION_DATA => "application_data",
        _ => return None,
    })
}

/// The name of a handshake message type (RFC 8446 §4, RFC 5246 §7.4).
pub fn handshake_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0 => "hello_request",
        1 => "client_hello",
        2 => "server_hello",
        4 => "new_session_ticket",
        5 => "end_of_early_data",
        8 => "encrypted_extensions",
        11 => "certificate",
        12 => "server_key_exchange",
        13 => "certificate_request",
        14 => "server_hello_done",
        15 => "certificate_verify",
        16 => "client_key_exchange",
        20 => "finished",
        24 => "key_update",
        _ => return None,
    })
}

/// The name of a protocol version (RFC 8446 §5.1, Appendix D).
pub fn version_name(v: u16) -> Option<&'static str> {
    Some(match v {
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        _ => return None,
    })
}

/// The name of an extension (IANA's TLS ExtensionType registry).
pub fn extension_name(t: u16) -> Option<&'static str> {
    Some(match t {
        0 => "server_name",
        5 => "status_request",
        10 => "supported_groups",
        11 => "ec_point_formats",
        13 => "signature_algorithms",
        16 => "application_layer_protocol_negotiation",
        18 => "signed_certificate_timestamp",
        21 => "padding",
        22 => "encrypt_then_mac",
        23 => "extended_master_secret",
        35 => "session_ticket",
        41 => "pre_shared_key",
        42 => "early_data",
        43 => "supported_versions",
        44 => "cookie",
        45 => "psk_key_exchange_modes",
        50 => "signature_algorithms_cert",
        51 => "key_share",
        0xff01 => "renegotiation_info",
        _ => return None,
    })
}

/// The name of a cipher suite (IANA's TLS Cipher Suites registry; the ones
/// browsers and servers commonly offer).
pub fn suite_name(s: u16) -> Option<&'static str> {
    Some(match s {
        0x1301 => "TLS_AES_128_GCM_SHA256",
        0x1302 => "TLS_AES_256_GCM_SHA384",
        0x1303 => "TLS_CHACHA20_POLY1305_SHA256",
        0xc02b => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xc02c => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xc02f => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xc030 => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xcca8 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xcca9 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0x009c => "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009d => "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x002f => "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0035 => "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x00ff => "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        _ => return None,
    })
}

/// The name of an alert description (RFC 8446 §6).
pub fn alert_name(d: u8) -> Option<&'static str> {
    Some(match d {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        22 => "record_overflow",
        40 => "handshake_failure",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        116 => "certificate_required",
        120 => "no_application_protocol",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record of `content_type` around `payload`.
    fn record(content_type: u8, payload: &[u8]) -> Vec<u8> {
        let mut r = vec![content_type, 3, 3];
        r.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        r.extend_from_slice(payload);
        r
    }

    /// A handshake message of `msg_type` around `body`.
    fn message(msg_type: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![msg_type];
        m.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        m.extend_from_slice(body);
        m
    }

    /// A ClientHello with two suites, an SNI extension for `host` and ALPN http/1.1.
    fn client_hello(host: &str) -> Vec<u8> {
        let mut b = vec![3, 3];
        b.extend_from_slice(&[7; 32]);
        b.extend_from_slice(&[32]);
        b.extend_from_slice(&[9; 32]);
        b.extend_from_slice(&[0, 4, 0x13, 0x01, 0xc0, 0x2f]);
        b.extend_from_slice(&[1, 0]);
        let mut sni = vec![0, 0];
        let list_len = host.len() as u16 + 3;
        sni.extend_from_slice(&(list_len + 2).to_be_bytes());
        sni.extend_from_slice(&list_len.to_be_bytes());
        sni.push(0);
        sni.extend_from_slice(&(host.len() as u16).to_be_bytes());
        sni.extend_from_slice(host.as_bytes());
        let alpn = [0, 16, 0, 11, 0, 9, 8, b'h', b't', b't', b'p', b'/', b'1', b'.', b'1'];
        let extensions = [sni, alpn.to_vec()].concat();
        b.extend_from_slice(&(extensions.len() as u16).to_be_bytes());
        b.extend_from_slice(&extensions);
        message(1, &b)
    }

    fn kinds(labels: &Labels) -> Vec<&'static str> {
        labels.spans.iter().map(|s| s.kind.as_str()).collect()
    }

    /// The span rule: non-empty, contiguous, in order, covering every byte.
    fn assert_covers(labels: &Labels, len: usize) {
        let mut at = 0;
        for s in &labels.spans {
            assert_eq!(s.start, at, "{labels:?}");
            assert!(s.start < s.end, "{labels:?}");
            at = s.end;
        }
        assert_eq!(at as usize, len);
    }

    #[test]
    fn client_hello_fields_are_named() {
        let wire = record(HANDSHAKE, &client_hello("example.org"));
        let labels = label(&wire);
        assert_covers(&labels, wire.len());
        assert_eq!(
            kinds(&labels),
            [
                "tls-record-type",
                "tls-record-version",
                "tls-record-length",
                "tls-handshake-type",
                "tls-handshake-length",
                "tls-hello-version",
                "tls-random",
                "tls-vector-length",
                "tls-session-id",
                "tls-vector-length",
                "tls-cipher-suite",
                "tls-cipher-suite",
                "tls-vector-length",
                "tls-compression",
                "tls-vector-length",
                "tls-extension-type",
                "tls-vector-length",
                "tls-server-name",
                "tls-extension-type",
                "tls-vector-length",
                "tls-alpn",
            ]
        );
        let sni = labels.spans.iter().find(|s| s.kind == TlsKind::ServerName).unwrap();
        assert!(wire[sni.start as usize..sni.end as usize].ends_with(b"example.org"));
        assert_eq!(labels.handshakes, [Handshake { msg_type: 1, range: Range::new(5, wire.len()), complete: true }]);
        assert_eq!(labels.error, None);
    }

    #[test]
    fn a_message_split_across_records_is_read_whole() {
        let hello = client_hello("a.test");
        let (a, b) = hello.split_at(20);
        let wire = [record(HANDSHAKE, a), record(HANDSHAKE, b)].concat();
        let labels = label(&wire);
        assert_covers(&labels, wire.len());
        // The random is cut by the second record's header, and continues after it.
        let randoms: Vec<_> = labels.spans.iter().filter(|s| s.kind == TlsKind::Random).collect();
        assert_eq!(randoms.len(), 2);
        assert_eq!((randoms[0].start, randoms[0].end), (11, 25));
        assert_eq!((randoms[1].start, randoms[1].end), (30, 48));
        assert_eq!(labels.records.len(), 2);
        assert_eq!(labels.handshakes[0].range, Range::new(5, wire.len()));
        assert!(kinds(&labels).contains(&"tls-alpn"));
    }

    #[test]
    fn after_change_cipher_spec_everything_is_encrypted() {
        let wire =
            [record(CHANGE_CIPHER_SPEC, &[1]), record(HANDSHAKE, &[0xaa; 40]), record(APPLICATION_DATA, &[0xbb; 10])]
                .concat();
        let labels = label(&wire);
        assert_covers(&labels, wire.len());
        assert_eq!(labels.spans[3].kind, TlsKind::ChangeCipherSpec);
        assert_eq!(labels.spans[7].kind, TlsKind::Encrypted);
        assert!(labels.records[1].encrypted && labels.records[2].encrypted && !labels.records[0].encrypted);
        assert!(labels.handshakes.is_empty());
    }

    #[test]
    fn plain_http_on_a_tls_port_is_unparsed_with_a_reason() {
        let wire = b"HTTP/1.1 400 Bad Request\r\n\r\n";
        let labels = label(wire);
        assert_eq!(kinds(&labels), ["tls-unparsed"]);
        assert!(labels.error.unwrap().contains("not a TLS record"));
    }

    #[test]
    fn an_oversized_record_stops_the_labels() {
        let wire = [record(APPLICATION_DATA, &[1; 3]), vec![23, 3, 3, 0xff, 0xff, 0]].concat();
        let labels = label(&wire);
        assert_covers(&labels, wire.len());
        assert_eq!(labels.spans.last().unwrap().kind, TlsKind::Unparsed);
        assert_eq!(labels.spans.last().unwrap().start, 8);
    }

    #[test]
    fn a_server_hello_without_extensions_is_tls_1_2() {
        let mut body = vec![3, 3];
        body.extend_from_slice(&[1; 32]);
        body.extend_from_slice(&[0, 0xc0, 0x2f, 0]);
        let wire = record(HANDSHAKE, &[message(2, &body), message(14, &[])].concat());
        let labels = label(&wire);
        assert_covers(&labels, wire.len());
        assert_eq!(
            kinds(&labels)[3..],
            [
                "tls-handshake-type",
                "tls-handshake-length",
                "tls-hello-version",
                "tls-random",
                "tls-vector-length",
                "tls-cipher-suite",
                "tls-compression",
                "tls-handshake-type",
                "tls-handshake-length"
            ]
        );
        assert_eq!(labels.handshakes.iter().map(|h| h.msg_type).collect::<Vec<_>>(), [2, 14]);
    }

    #[test]
    fn every_prefix_is_covered_and_agrees_with_the_whole() {
        let wire = [
            record(HANDSHAKE, &client_hello("example.org")),
            record(ALERT, &[1, 0]),
            record(APPLICATION_DATA, &[5; 20]),
        ]
        .concat();
        let whole = label(&wire);
        for n in 0..=wire.len() {
            let part = label(&wire[..n]);
            assert_covers(&part, n);
            // A byte keeps its kind once the record around it is whole.
            for s in part.spans.iter().filter(|s| part.records.iter().any(|r| r.complete && r.range.end >= s.end)) {
                assert!(whole.spans.contains(s), "prefix {n}: {s:?}");
            }
        }
    }

    #[test]
    fn every_kind_and_failure_is_explained_with_a_link() {
        for k in TlsKind::ALL {
            let e = crate::explain::tls_kind(*k);
            assert!(crate::explain::rfc_url(e.rfc).is_some(), "{k}: {}", e.rfc);
        }
        for f in Failure::ALL {
            let e = crate::explain::tls_failure(*f);
            assert!(!e.title.is_empty() && crate::explain::rfc_url(e.rfc).is_some(), "{f}");
        }
        let table = crate::explain::tls_table();
        assert_eq!(table.kinds.len(), TlsKind::ALL.len());
        assert!(table.suites.contains(&(0x1303, "TLS_CHACHA20_POLY1305_SHA256")));
    }

    #[test]
    fn names_of_numbers() {
        assert_eq!(content_type_name(23), Some("application_data"));
        assert_eq!(handshake_name(11), Some("certificate"));
        assert_eq!(version_name(0x0304), Some("TLS 1.3"));
        assert_eq!(extension_name(16), Some("application_layer_protocol_negotiation"));
        assert_eq!(suite_name(0x1301), Some("TLS_AES_128_GCM_SHA256"));
        assert_eq!(alert_name(48), Some("unknown_ca"));
        assert_eq!(alert_name(255), None);
    }
}
