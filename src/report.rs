//! The JSON shape of a parse, shared by `wirepad parse --json` and the wasm
//! facade. Field names are a contract; see README.md.

use crate::diag::Severity;
use crate::explain;
use crate::parser::{Framing, Message, MessageKind, Parse};
use crate::span::SpanKind;
use base64::Engine;
use serde::Serialize;
use serde_bytes::ByteBuf;

/// How bodies are carried: base64 text for JSON, raw bytes for JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bodies {
    Base64,
    Bytes,
}

#[derive(Serialize)]
pub struct Report<'a> {
    pub verdict: &'static str,
    pub messages: Vec<MessageReport>,
    pub diagnostics: Vec<DiagnosticReport>,
    pub spans: Spans<'a>,
}

/// The spans, each with the index of its message: `{start, end, kind, message}`.
pub struct Spans<'a>(&'a Parse);

#[derive(Serialize)]
struct SpanReport {
    start: u32,
    end: u32,
    kind: SpanKind,
    message: Option<usize>,
}

impl Serialize for Spans<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let spans = self.0.spans.iter().zip(self.0.span_messages());
        s.collect_seq(spans.map(|(span, message)| SpanReport {
            start: span.start,
            end: span.end,
            kind: span.kind,
            message,
        }))
    }
}

#[derive(Serialize)]
pub struct MessageReport {
    pub kind: MessageKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub headers: Vec<(String, String)>,
    pub trailers: Vec<(String, String)>,
    /// "none", "length", "chunked" or "close"; absent while the head is incomplete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framing: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_b64: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<ByteBuf>,
    /// The body with its Content-Encoding undone, when that worked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded_b64: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded: Option<ByteBuf>,
    pub complete: bool,
    pub start: usize,
    pub end: usize,
}

#[derive(Serialize)]
pub struct DiagnosticReport {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub rfc: &'static str,
}

impl<'a> Report<'a> {
    pub fn new(parse: &'a Parse, bodies: Bodies) -> Report<'a> {
        Report {
            verdict: parse.verdict().as_str(),
            messages: parse.messages.iter().map(|m| message(parse, m, bodies)).collect(),
            diagnostics: parse
                .diagnostics
                .iter()
                .map(|d| DiagnosticReport {
                    severity: d.severity.as_str(),
                    code: d.code.as_str(),
                    message: d.message.clone(),
                    start: d.start,
                    end: d.end,
                    rfc: explain::code(d.code).rfc,
                })
                .collect(),
            spans: Spans(parse),
        }
    }
}

fn message(parse: &Parse, m: &Message, bodies: Bodies) -> MessageReport {
    let text = |r: Option<crate::Range>| r.map(|r| parse.text(r));
    let pairs = |hs: &[crate::Header]| hs.iter().map(|h| (parse.text(h.name), parse.header_value(h))).collect();
    let body = parse.body(m);
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let (body_b64, body, decoded_b64, decoded) = match bodies {
        Bodies::Base64 => (Some(b64(&body)), None, m.decoded.as_deref().map(b64), None),
        Bodies::Bytes => (None, Some(ByteBuf::from(body)), None, m.decoded.clone().map(ByteBuf::from)),
    };
    MessageReport {
        kind: m.kind,
        method: text(m.method),
        target: text(m.target),
        status: m.status,
        reason: match m.kind {
            // A status line without a reason phrase has an empty one.
            MessageKind::Response if m.status.is_some() => Some(text(m.reason).unwrap_or_default()),
            _ => None,
        },
        version: text(m.version),
        headers: pairs(parse.headers(m)),
        trailers: pairs(parse.trailers(m)),
        framing: m.framing.map(|f| match f {
            Framing::None => "none",
            Framing::Length(_) => "length",
            Framing::Chunked => "chunked",
            Framing::Close => "close",
        }),
        body_b64,
        body,
        decoded_b64,
        decoded,
        complete: m.complete,
        start: m.start,
        end: m.end,
    }
}

/// The counts of a parse, for scripts and benchmarks.
#[derive(Serialize)]
pub struct Summary {
    pub messages: usize,
    pub spans: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub bytes: usize,
    pub verdict: &'static str,
}

impl Summary {
    pub fn new(p: &Parse) -> Summary {
        let count = |s: Severity| p.diagnostics.iter().filter(|d| d.severity == s).count();
        Summary {
            messages: p.messages.len(),
            spans: p.spans.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            bytes: p.input.len(),
            verdict: p.verdict().as_str(),
        }
    }
}
