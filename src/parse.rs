//! The result of a parse: the input, its spans, and the structure of every
//! message — start-line parts, header and trailer fields, chunks, body
//! ranges and framing — as ranges of the input and of the shared vectors.
//!
//! Nothing here is copied out of the input: a message is a handful of
//! ranges, and its fields, chunks and body parts are runs of vectors that
//! all messages share, so a parse of 100,000 messages makes no allocation
//! per message. Read texts with [`Parse::text`] or [`Parse::bytes`].
//!
//! ```
//! use wirepad::{parse, Framing, MessageKind, Options};
//! let input = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
//! let p = parse(MessageKind::Response, input, &Options::default());
//! let m = &p.messages[0];
//! assert_eq!(m.framing, Some(Framing::Chunked));
//! assert_eq!(p.text(p.headers(m)[0].name), "Transfer-Encoding");
//! let sizes: Vec<u64> = p.chunks(m).iter().map(|c| c.size).collect();
//! assert_eq!(sizes, [5, 0]);
//! assert_eq!(p.body(m), b"hello");
//! assert_eq!(m.head_end, Some(47));
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::span::{string_enum, Range, SpanIter, Spans};

string_enum! {
    /// Whether a stream carries requests or responses.
    pub enum MessageKind {
        Request = "request",
        Response = "response",
    }
}

impl MessageKind {
    /// Guesses the kind of a stream: responses start with `HTTP/`, after any
    /// leading empty lines.
    pub fn detect(input: &[u8]) -> MessageKind {
        let start = input.iter().position(|&b| b != b'\r' && b != b'\n');
        match start {
            Some(i) if input[i..].starts_with(b"HTTP/") => MessageKind::Response,
            _ => MessageKind::Request,
        }
    }
}

/// One field line: the ranges of its name and of its value (surrounding
/// whitespace removed), and where its line ends. A folded value's range and
/// line run over its continuation lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub name: Range,
    pub value: Range,
    /// The end of the field line, after its line end.
    pub line_end: u32,
}

impl Header {
    pub(crate) fn lowered(self, by: usize) -> Header {
        Header { name: self.name.lower(by), value: self.value.lower(by), line_end: self.line_end - by as u32 }
    }

    /// The whole field line: name, colon, value and line end.
    pub fn line(&self) -> Range {
        Range { start: self.name.start, end: self.line_end }
    }
}

/// One chunk of a chunked body (RFC 9112 §7.1):
/// `chunk-size [ chunk-ext ] CRLF chunk-data CRLF`, or the last chunk, whose
/// size is 0 and which has no data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub size: u64,
    /// The hexadecimal digits of the size.
    pub size_digits: Range,
    /// The `;name=value` extensions; empty when there are none.
    pub ext: Range,
    /// The chunk's data, as far as it has arrived; empty for the last chunk.
    pub data: Range,
    /// Where the chunk ends: after the CRLF that follows its data (after
    /// its size line for the last chunk), as far as it has arrived.
    pub end: u32,
}

impl Chunk {
    pub(crate) fn lowered(self, by: usize) -> Chunk {
        let (size_digits, ext, data) = (self.size_digits.lower(by), self.ext.lower(by), self.data.lower(by));
        Chunk { size: self.size, size_digits, ext, data, end: self.end - by as u32 }
    }

    pub fn is_last(&self) -> bool {
        self.size == 0
    }
}

/// How the end of a message's body is found (RFC 9112 §6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// No body: a request without Content-Length or Transfer-Encoding, a
    /// CONNECT request, a response to HEAD, 1xx, 204 or 304, or a response
    /// after which the connection changes protocol (101, a 2xx to CONNECT).
    None,
    /// `Content-Length: N`.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// A response body that ends when the server closes the connection.
    Close,
}

impl Framing {
    /// "none", "length", "chunked" or "close", as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Framing::None => "none",
            Framing::Length(_) => "length",
            Framing::Chunked => "chunked",
            Framing::Close => "close",
        }
    }
}

/// One parsed message: ranges of the input, and runs of the vectors of its
/// [`Parse`] (read those with [`Parse::headers`], [`Parse::trailers`],
/// [`Parse::chunks`], [`Parse::body_ranges`] and [`Parse::spans_of`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub method: Option<Range>,
    pub target: Option<Range>,
    pub version: Option<Range>,
    pub status: Option<u16>,
    /// The three digits of the status code.
    pub status_code: Option<Range>,
    pub reason: Option<Range>,
    /// Its header field lines: indexes into [`Parse::fields`].
    pub headers: Range,
    /// Its trailer field lines: indexes into [`Parse::fields`].
    pub trailers: Range,
    /// Its chunks: indexes into [`Parse::chunks`].
    pub chunks: Range,
    /// Its de-framed body: indexes into [`Parse::body_parts`].
    pub body: Range,
    /// Its spans: indexes into [`Parse::spans`], from the first byte after
    /// the previous message (empty lines before its start line included)
    /// to its end.
    pub spans: Range,
    /// Where its header section ends, after the empty line; `None` while
    /// that line has not arrived.
    pub head_end: Option<u32>,
    pub framing: Option<Framing>,
    /// For a response: the index of the request it answers, counting the
    /// requests of [`crate::Options::request_methods`] from 0. Interim (1xx)
    /// responses share the index of the final response that follows them.
    pub answers: Option<u32>,
    /// The connection closes after this message: `Connection: close`,
    /// HTTP/1.0 without keep-alive, or a body that ends with the connection.
    pub closes: bool,
    /// It has a Content-Encoding field: [`crate::decode`] can undo it.
    pub content_coded: bool,
    /// Its content is bytes rather than text: coded by a Content-Encoding,
    /// or of a media type that is not text (an image, `application/pdf`…).
    /// A page draws such a body as bytes, not as lines.
    pub binary: bool,
    /// Whether the message ended where its framing says it does.
    pub complete: bool,
    pub start: usize,
    /// Where the message ends: where its framing says, or for the one still
    /// open, the end of the input.
    pub end: usize,
}

impl Message {
    /// A final response: one that ends the request's exchange (RFC 9110
    /// §15: a status of 200 or more, or 101, after which the connection
    /// speaks another protocol). Interim (1xx) responses come before it;
    /// a request is never final.
    pub fn is_final(&self) -> bool {
        self.status.is_some_and(|s| s == 101 || s >= 200)
    }

    /// A message starting at byte `start`, whose runs start at the given
    /// lengths of the shared vectors.
    pub(crate) fn new(kind: MessageKind, start: usize, at: Lengths) -> Message {
        let empty = |n: usize| Range::new(n, n);
        Message {
            kind,
            method: None,
            target: None,
            version: None,
            status: None,
            status_code: None,
            reason: None,
            headers: empty(at.fields),
            trailers: empty(at.fields),
            chunks: empty(at.chunks),
            body: empty(at.body_parts),
            spans: empty(at.spans),
            head_end: None,
            framing: None,
            answers: None,
            closes: false,
            content_coded: false,
            binary: false,
            complete: false,
            start,
            end: start,
        }
    }

    /// The same message in a parse whose first `bytes` bytes and first
    /// runs of vectors (`runs`) were handed over ([`crate::Parser::drain`]).
    pub(crate) fn lowered(mut self, bytes: usize, runs: Lengths) -> Message {
        for r in [&mut self.method, &mut self.target, &mut self.version, &mut self.status_code, &mut self.reason] {
            *r = r.map(|r| r.lower(bytes));
        }
        self.headers = self.headers.lower(runs.fields);
        self.trailers = self.trailers.lower(runs.fields);
        self.chunks = self.chunks.lower(runs.chunks);
        self.body = self.body.lower(runs.body_parts);
        self.spans = self.spans.lower(runs.spans);
        self.head_end = self.head_end.map(|e| e - bytes as u32);
        self.start -= bytes;
        self.end -= bytes;
        self
    }

    /// The indexes of its spans, for slicing columns.
    pub fn span_indexes(&self) -> std::ops::Range<usize> {
        self.spans.as_usize()
    }
}

/// The lengths of the shared vectors at some moment.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lengths {
    pub spans: usize,
    pub fields: usize,
    pub chunks: usize,
    pub body_parts: usize,
}

/// The result of parsing a whole stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parse {
    pub input: Vec<u8>,
    pub spans: Spans,
    pub messages: Vec<Message>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every message's field lines, headers and trailers, in order.
    pub fields: Vec<Header>,
    /// Every message's chunks, in order.
    pub chunks: Vec<Chunk>,
    /// Every message's body ranges (a Content-Length or close-delimited
    /// body, or the data of each chunk), in order.
    pub body_parts: Vec<Range>,
}

/// "error" iff some diagnostic has severity error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Error => "error",
        }
    }

    pub fn of(diagnostics: &[Diagnostic]) -> Verdict {
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            Verdict::Error
        } else {
            Verdict::Ok
        }
    }
}

impl Parse {
    pub fn verdict(&self) -> Verdict {
        Verdict::of(&self.diagnostics)
    }

    /// The bytes of `r`.
    pub fn bytes(&self, r: Range) -> &[u8] {
        &self.input[r.as_usize()]
    }

    /// The bytes of `r`, decoded as Latin-1 (every byte is one character).
    pub fn text(&self, r: Range) -> String {
        latin1(self.bytes(r))
    }

    /// A header's value as a recipient reads it: each obs-fold becomes one
    /// space (RFC 9112 §5.2).
    pub fn header_value(&self, h: &Header) -> String {
        unfold(self.bytes(h.value))
    }

    /// The field lines of the header section of `m`, in order.
    pub fn headers(&self, m: &Message) -> &[Header] {
        &self.fields[m.headers.as_usize()]
    }

    /// The field lines of the trailer section of `m` (after a chunked body).
    pub fn trailers(&self, m: &Message) -> &[Header] {
        &self.fields[m.trailers.as_usize()]
    }

    /// The chunks of `m`, the last chunk included once it has arrived.
    pub fn chunks(&self, m: &Message) -> &[Chunk] {
        &self.chunks[m.chunks.as_usize()]
    }

    /// The first header of message `m` named `name` (case-insensitively).
    pub fn header(&self, m: &Message, name: &str) -> Option<String> {
        self.headers(m)
            .iter()
            .find(|h| self.bytes(h.name).eq_ignore_ascii_case(name.as_bytes()))
            .map(|h| self.header_value(h))
    }

    /// The content codings of `m`, in the order they were applied, from
    /// every Content-Encoding field (see [`crate::decode::codings`]).
    pub fn content_codings(&self, m: &Message) -> Vec<String> {
        let values: Vec<String> = self
            .headers(m)
            .iter()
            .filter(|h| self.bytes(h.name).eq_ignore_ascii_case(b"content-encoding"))
            .map(|h| self.header_value(h))
            .collect();
        crate::decode::codings(values.iter().map(String::as_str))
    }

    /// Where the de-framed body of `m` lies in the input: the `body` span,
    /// or the `chunk-data` spans.
    pub fn body_ranges(&self, m: &Message) -> &[Range] {
        &self.body_parts[m.body.as_usize()]
    }

    /// The de-framed body of `m`: its Content-Length body or its chunks joined.
    pub fn body(&self, m: &Message) -> Vec<u8> {
        let ranges = self.body_ranges(m);
        let mut out = Vec::with_capacity(ranges.iter().map(Range::len).sum());
        for r in ranges {
            out.extend_from_slice(self.bytes(*r));
        }
        out
    }

    /// The spans of `m`: those of its bytes, and of the empty lines (if any)
    /// between the previous message and its start line.
    pub fn spans_of(&self, m: &Message) -> SpanIter<'_> {
        self.spans.range(m.span_indexes())
    }

    /// For each span in order, the index of the message it belongs to;
    /// `None` for stray empty lines at the end, which start no message.
    pub fn span_messages(&self) -> impl Iterator<Item = Option<usize>> + '_ {
        span_owners(&self.messages, self.spans.len())
    }
}

/// For each of `spans` spans, the index of the message whose run holds it.
pub(crate) fn span_owners(messages: &[Message], spans: usize) -> impl Iterator<Item = Option<usize>> + '_ {
    let owned = messages.iter().enumerate().flat_map(|(i, m)| std::iter::repeat_n(Some(i), m.spans.len()));
    let covered = messages.last().map_or(0, |m| m.spans.end as usize);
    owned.chain(std::iter::repeat_n(None, spans - covered))
}

pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// A field value with each obs-fold (a line end and the whitespace after
/// it) read as one space, decoded as Latin-1.
pub(crate) fn unfold(raw: &[u8]) -> String {
    if !raw.contains(&b'\n') {
        return latin1(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if matches!(raw[i], b' ' | b'\t' | b'\r' | b'\n') {
            let run_end =
                raw[i..].iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')).map_or(raw.len(), |j| i + j);
            if raw[i..run_end].contains(&b'\n') {
                out.push(' ');
            } else {
                out.extend(raw[i..run_end].iter().map(|&b| b as char));
            }
            i = run_end;
        } else {
            out.push(raw[i] as char);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfold_reads_each_fold_as_one_space() {
        assert_eq!(unfold(b"a,\r\n  b"), "a, b");
        assert_eq!(unfold(b"a\n\tb"), "a b");
        assert_eq!(unfold(b"a  b"), "a  b");
        assert_eq!(unfold(b"caf\xe9"), "caf\u{e9}");
    }

    #[test]
    fn a_header_line_runs_from_its_name_to_its_line_end() {
        let h = Header { name: Range::new(3, 7), value: Range::new(9, 12), line_end: 14 };
        assert_eq!(h.line(), Range::new(3, 14));
    }
}
