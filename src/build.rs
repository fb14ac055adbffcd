//! The request builder: from method, target, version, ordered headers and
//! body to the exact bytes. It writes what it is told: a missing Host or an
//! odd header stays in, so that the parser can explain it.

use serde::Deserialize;

/// A request to write, field by field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RequestSpec {
    pub method: String,
    pub target: String,
    /// As written on the wire, e.g. `HTTP/1.1`.
    pub version: String,
    /// In order, with the case they are given in.
    pub headers: Vec<(String, String)>,
    #[serde(with = "serde_bytes_compat")]
    pub body: Vec<u8>,
    /// Add `Content-Length` when the headers have neither it nor
    /// Transfer-Encoding and there is a body (or the method is one that
    /// usually carries one).
    pub auto_content_length: bool,
}

impl RequestSpec {
    /// The classic lesson: `GET / HTTP/1.1` with a Host header.
    pub fn get(host: &str, target: &str) -> RequestSpec {
        RequestSpec {
            method: "GET".into(),
            target: target.into(),
            version: "HTTP/1.1".into(),
            headers: vec![("Host".into(), host.into())],
            body: Vec::new(),
            auto_content_length: true,
        }
    }

    /// The headers as they will be written, with the automatic
    /// Content-Length (if any) last.
    pub fn effective_headers(&self) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        let wants_body = !self.body.is_empty() || matches!(self.method.as_str(), "POST" | "PUT" | "PATCH");
        if self.auto_content_length && wants_body && !has("content-length") && !has("transfer-encoding") {
            headers.push(("Content-Length".into(), self.body.len().to_string()));
        }
        headers
    }

    /// The exact bytes: request line, field lines, empty line, body. Text
    /// is written as Latin-1 where it can be (one byte per character), so
    /// what the page shows is what goes on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.body.len());
        put(&mut out, &self.method);
        out.push(b' ');
        put(&mut out, &self.target);
        out.push(b' ');
        put(&mut out, &self.version);
        out.extend_from_slice(b"\r\n");
        for (name, value) in self.effective_headers() {
            put(&mut out, &name);
            out.extend_from_slice(b": ");
            put(&mut out, &value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

/// Characters up to U+00FF are one byte; others are written as UTF-8.
pub(crate) fn put(out: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(b) => out.push(b),
            Err(_) => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// Bodies arrive from JSON and JavaScript as a string, an array of numbers
/// or (through serde-wasm-bindgen) a byte buffer.
mod serde_bytes_compat {
    use serde::de::{Deserializer, Error, SeqAccess, Visitor};
    use std::fmt;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct BodyVisitor;
        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, bytes, or an array of byte values")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Vec<u8>, E> {
                let mut out = Vec::new();
                super::put(&mut out, v);
                Ok(out)
            }
            fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
                let mut out = Vec::new();
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(out)
            }
        }
        d.deserialize_any(BodyVisitor)
    }
}
