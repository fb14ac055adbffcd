//! The JSON shape of a parse, printed by `wirepad parse --json`. Field names
//! are a contract; see docs/formats.md. (The wasm facade hands the page the same
//! facts in columns instead: see `src/wasm/`.)
//!
//! The report is the parse plus the decoding step: each complete message
//! with a Content-Encoding gets its decoded body, and a coding that could
//! not be undone becomes a diagnostic.

use crate::decode::{self, Outcome};
use crate::diag::{Code, Severity};
use crate::explain;
use crate::parse::{Framing, Header, Message, MessageKind, Parse, Verdict};
use crate::span::{Range, SpanKind};
use base64::Engine;
use serde::Serialize;

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

/// A range as `[start, end]`.
type Pair = [u32; 2];

fn pair(r: Range) -> Pair {
    [r.start, r.end]
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
    pub body_b64: String,
    /// The body with its Content-Encoding undone, when that worked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded_b64: Option<String>,
    pub complete: bool,
    /// A final response (status 200 and up, or 101); interim (1xx)
    /// responses and requests are not.
    #[serde(rename = "final")]
    pub is_final: bool,
    pub start: usize,
    pub end: usize,
    /// The structure, as ranges of the input (and of the span list).
    pub structure: Structure,
}

/// Where each part of a message lies: `[start, end]` byte ranges.
#[derive(Serialize)]
pub struct Structure {
    /// The message's half-open run of span indexes.
    pub spans: Pair,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Pair>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Pair>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Pair>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<Pair>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Pair>,
    pub headers: Vec<FieldRanges>,
    pub trailers: Vec<FieldRanges>,
    pub chunks: Vec<ChunkRanges>,
    pub body: Vec<Pair>,
    /// Where the header section ends (after its empty line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_end: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_length: Option<u64>,
    /// For a response: the index of the request it answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<u32>,
    /// The connection closes after this message.
    pub closes: bool,
    /// Each step of undoing its Content-Encoding, the last coding first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decoding: Vec<DecodeStep>,
}

#[derive(Serialize)]
pub struct FieldRanges {
    pub name: Pair,
    pub value: Pair,
    pub line: Pair,
}

#[derive(Serialize)]
pub struct ChunkRanges {
    pub size: u64,
    pub size_digits: Pair,
    pub ext: Pair,
    pub data: Pair,
    pub end: u32,
}

#[derive(Serialize)]
pub struct DecodeStep {
    pub coding: String,
    /// "decoded", "unknown", "not-built-in" or "failed".
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
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

impl DiagnosticReport {
    fn new(severity: Severity, code: Code, message: String, start: usize, end: usize) -> DiagnosticReport {
        DiagnosticReport {
            severity: severity.as_str(),
            code: code.as_str(),
            message,
            start,
            end,
            rfc: explain::code(code).rfc,
        }
    }
}

impl<'a> Report<'a> {
    pub fn new(parse: &'a Parse) -> Report<'a> {
        let mut diagnostics: Vec<DiagnosticReport> = parse
            .diagnostics
            .iter()
            .map(|d| DiagnosticReport::new(d.severity, d.code, d.message.clone(), d.start, d.end))
            .collect();
        let messages = parse.messages.iter().map(|m| message(parse, m, &mut diagnostics)).collect();
        diagnostics.sort_by_key(|d| d.start);
        let verdict = if diagnostics.iter().any(|d| d.severity == "error") { "error" } else { "ok" };
        Report { verdict, messages, diagnostics, spans: Spans(parse) }
    }
}

fn message(parse: &Parse, m: &Message, diagnostics: &mut Vec<DiagnosticReport>) -> MessageReport {
    let text = |r: Option<Range>| r.map(|r| parse.text(r));
    let pairs = |hs: &[Header]| hs.iter().map(|h| (parse.text(h.name), parse.header_value(h))).collect();
    let fields = |hs: &[Header]| {
        hs.iter().map(|h| FieldRanges { name: pair(h.name), value: pair(h.value), line: pair(h.line()) }).collect()
    };
    let body = parse.body(m);
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let (decoded, decoding) = decode_step(parse, m, &body, diagnostics);
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
        framing: m.framing.map(Framing::as_str),
        body_b64: b64(&body),
        decoded_b64: decoded.as_deref().map(b64),
        complete: m.complete,
        is_final: m.is_final(),
        start: m.start,
        end: m.end,
        structure: Structure {
            spans: pair(m.spans),
            method: m.method.map(pair),
            target: m.target.map(pair),
            version: m.version.map(pair),
            status_code: m.status_code.map(pair),
            reason: m.reason.map(pair),
            headers: fields(parse.headers(m)),
            trailers: fields(parse.trailers(m)),
            chunks: parse
                .chunks(m)
                .iter()
                .map(|c| ChunkRanges {
                    size: c.size,
                    size_digits: pair(c.size_digits),
                    ext: pair(c.ext),
                    data: pair(c.data),
                    end: c.end,
                })
                .collect(),
            body: parse.body_ranges(m).iter().map(|r| pair(*r)).collect(),
            head_end: m.head_end,
            content_length: match m.framing {
                Some(Framing::Length(n)) => Some(n),
                _ => None,
            },
            answers: m.answers,
            closes: m.closes,
            decoding,
        },
    }
}

/// Decodes the body of a complete message with a Content-Encoding, adding
/// a diagnostic for a coding that could not be undone.
fn decode_step(
    parse: &Parse,
    m: &Message,
    body: &[u8],
    diagnostics: &mut Vec<DiagnosticReport>,
) -> (Option<Vec<u8>>, Vec<DecodeStep>) {
    let ranges = parse.body_ranges(m);
    if !m.content_coded || !m.complete || ranges.is_empty() {
        return (None, Vec::new());
    }
    let codings = parse.content_codings(m);
    if codings.is_empty() {
        return (None, Vec::new());
    }
    let decoded = decode::decode(body, &codings);
    let (start, end) = (ranges[0].start as usize, ranges[ranges.len() - 1].end as usize);
    let mut add =
        |severity, code, message| diagnostics.push(DiagnosticReport::new(severity, code, message, start, end));
    if decoded.truncated {
        let mib = decode::MAX_DECODED >> 20;
        add(
            Severity::Warning,
            Code::ContentDecodingFailed,
            format!("the decoded body is larger than {mib} MiB; only the first {mib} MiB are shown"),
        );
    }
    let steps = decoded
        .steps
        .iter()
        .map(|s| {
            let c = &s.coding;
            let error = match &s.outcome {
                Outcome::Decoded(_) => None,
                Outcome::Unknown => {
                    let why = format!("the content coding \"{c}\" is not one wirepad can decode (gzip, deflate, br)");
                    add(Severity::Info, Code::UnknownContentEncoding, why.clone());
                    Some(why)
                }
                Outcome::NotBuiltIn => {
                    let why = format!("this build of wirepad does not decode \"{c}\"");
                    add(Severity::Info, Code::UnknownContentEncoding, why.clone());
                    Some(why)
                }
                Outcome::Failed(e) => {
                    add(
                        Severity::Warning,
                        Code::ContentDecodingFailed,
                        format!("the body does not decode as {c}: {e}"),
                    );
                    Some(e.clone())
                }
            };
            DecodeStep { coding: c.clone(), outcome: s.outcome.as_str(), error }
        })
        .collect();
    (decoded.bytes, steps)
}

/// The counts of a parse, for scripts and benchmarks. A stream read in
/// pieces ([`crate::Parser::drain`]) is counted piece by piece with
/// [`Summary::add`].
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

impl Default for Summary {
    fn default() -> Summary {
        Summary { messages: 0, spans: 0, errors: 0, warnings: 0, infos: 0, bytes: 0, verdict: Verdict::Ok.as_str() }
    }
}

impl Summary {
    pub fn new(p: &Parse) -> Summary {
        let mut s = Summary::default();
        s.add(p);
        s
    }

    /// Counts one more piece of the stream.
    /// Counts an error found outside the parse (a reader's own limit).
    pub fn add_error(&mut self) {
        self.errors += 1;
        self.verdict = Verdict::Error.as_str();
    }

    pub fn add(&mut self, p: &Parse) {
        let count = |s: Severity| p.diagnostics.iter().filter(|d| d.severity == s).count();
        self.messages += p.messages.len();
        self.spans += p.spans.len();
        self.errors += count(Severity::Error);
        self.warnings += count(Severity::Warning);
        self.infos += count(Severity::Info);
        self.bytes += p.input.len();
        let verdict = if self.errors > 0 { Verdict::Error } else { Verdict::Ok };
        self.verdict = verdict.as_str();
    }
}
