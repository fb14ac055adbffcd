//! The incremental HTTP/1.x parser: bytes in, labelled spans, messages and
//! diagnostics out.
//!
//! The parser is an explicit, resumable state machine in the style of hyper's
//! `proto/h1/decode.rs`. Head lines (start line, field lines, chunk-size lines)
//! are only interpreted once their line end has arrived, and body bytes are
//! counted, so every decision depends on the bytes alone and never on where the
//! input was split. A line cut short is only interpreted by [`Parser::finish`],
//! where it is reported as incomplete rather than as wrong.
//!
//! The grammar, from RFC 9112:
//!
//! ```text
//! HTTP-message   = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
//! request-line   = method SP request-target SP HTTP-version
//! status-line    = HTTP-version SP status-code SP [ reason-phrase ]
//! field-line     = field-name ":" OWS field-value OWS
//! chunked-body   = *chunk last-chunk trailer-section CRLF
//! chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//! ```

use crate::decode;
use crate::diag::{Code, Diagnostic, Severity};
use crate::span::{string_enum, Range, Span, SpanKind};

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

/// One field line: the ranges of its name and of its value, with surrounding
/// whitespace removed. A folded value's range runs over its continuation lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub name: Range,
    pub value: Range,
}

/// How the end of a message's body is found (RFC 9112 §6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// No body: a request without Content-Length or Transfer-Encoding, a
    /// response to HEAD, 1xx, 204 or 304.
    None,
    /// `Content-Length: N`.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// A response body that ends when the server closes the connection.
    Close,
}

/// One parsed message. Texts are ranges into [`Parse::input`]; read them with
/// [`Parse::text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub method: Option<Range>,
    pub target: Option<Range>,
    pub status: Option<u16>,
    pub reason: Option<Range>,
    pub version: Option<Range>,
    // The next four are runs of shared vectors, so that a message costs no
    // allocation of its own; read them with the accessors of [`Parse`].
    /// Its field lines in [`Parse::headers`].
    headers: Range,
    /// Its trailer field lines in [`Parse::trailers`].
    trailers: Range,
    /// Its de-framed body, as ranges of `body` and `chunk-data` spans, in
    /// [`Parse::body_ranges`].
    body: Range,
    /// It has a Content-Encoding field, so [`Parser::finish`] decodes its body.
    pub(crate) content_coding: bool,
    /// Its spans in [`Parse::spans_of`]: from the first byte after the
    /// previous message (empty lines before its start line included) to its
    /// end.
    spans: Range,
    /// The body with its Content-Encoding undone, when it has one that
    /// decoded (filled in by [`Parser::finish`]).
    pub decoded: Option<Vec<u8>>,
    pub framing: Option<Framing>,
    /// Whether the message ended where its framing says it does.
    pub complete: bool,
    pub start: usize,
    /// Where the message ends: set when it completes, or by
    /// [`Parser::finish`] for the one still open (which runs to the end).
    pub end: usize,
}

impl Message {
    /// A message starting at byte `start`, whose lists start at the given
    /// lengths of the shared vectors.
    fn new(kind: MessageKind, start: usize, fields: usize, body_parts: usize, first_span: usize) -> Message {
        Message {
            kind,
            method: None,
            target: None,
            status: None,
            reason: None,
            version: None,
            headers: Range::new(fields, fields),
            trailers: Range::new(fields, fields),
            body: Range::new(body_parts, body_parts),
            spans: Range::new(first_span, first_span),
            content_coding: false,
            decoded: None,
            framing: None,
            complete: false,
            start,
            end: start,
        }
    }
}

/// What the parser knows beyond the bytes themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// For a response stream: the methods of the requests it answers, in
    /// order, so that a response to HEAD (or a 2xx to CONNECT) is framed right.
    /// Responses beyond the list are taken to answer GET.
    pub request_methods: Vec<String>,
}

impl Options {
    /// Options for the responses to the requests in `requests` (raw bytes).
    pub fn answering(requests: &[u8]) -> Options {
        let parsed = parse(MessageKind::Request, requests, &Options::default());
        let request_methods = parsed.messages.iter().filter_map(|m| m.method.map(|r| parsed.text(r))).collect();
        Options { request_methods }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StartLine,
    Headers,
    Trailers,
    Body {
        remaining: u64,
    },
    ChunkSize,
    ChunkData {
        remaining: u64,
    },
    ChunkDataEnd,
    BodyUntilClose,
    /// After an unrecoverable error or a protocol switch: the rest is `unparsed`.
    Dead,
}

/// Whether a line handler may wait for more input or must interpret what it has.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    /// `content_end..line_end` is the line end (CRLF or bare LF).
    Complete { content_end: usize, line_end: usize },
    /// The input ended inside this line (only at [`Parser::finish`]).
    CutShort { content_end: usize, line_end: usize },
}

impl Line {
    fn content_end(self) -> usize {
        match self {
            Line::Complete { content_end, .. } | Line::CutShort { content_end, .. } => content_end,
        }
    }
    fn line_end(self) -> usize {
        match self {
            Line::Complete { line_end, .. } | Line::CutShort { line_end, .. } => line_end,
        }
    }
    fn cut_short(self) -> bool {
        matches!(self, Line::CutShort { .. })
    }
}

/// A line handler's outcome: go on with the next state, or stop.
type Step = Result<(), Stop>;

/// Why a line handler stopped early; the diagnostic has already been recorded.
#[derive(Debug)]
struct Stop;

/// The incremental parser. Feed it bytes as they arrive, then call
/// [`Parser::finish`] for the result.
///
/// ```
/// use wirepad::{MessageKind, Options, Parser};
/// let mut p = Parser::new(MessageKind::Request, Options::default());
/// p.feed(b"GET / HTTP/1.1\r\nHo");
/// p.feed(b"st: example.org\r\n\r\n");
/// let parse = p.finish();
/// assert_eq!(parse.messages.len(), 1);
/// assert_eq!(parse.verdict(), wirepad::Verdict::Ok);
/// ```
#[derive(Clone, Debug)]
pub struct Parser {
    kind: MessageKind,
    options: Options,
    input: Vec<u8>,
    /// Every byte before `pos` is covered by a span.
    pos: usize,
    /// Where the search for the next LF resumes, so that a long line fed a
    /// byte at a time is scanned once, not once per byte.
    scan: usize,
    state: State,
    spans: Vec<Span>,
    messages: Vec<Message>,
    /// The field lines of all messages, headers and trailers.
    fields: Vec<Header>,
    /// The body ranges of all messages.
    body_parts: Vec<Range>,
    diagnostics: Vec<Diagnostic>,
    /// The first span of the open message, or of the next one between
    /// messages (empty lines before a start line belong to it).
    claimed: usize,
    /// How many final responses have been matched to `options.request_methods`.
    answered: usize,
    /// The last message asked for the connection to be closed after it.
    closing: bool,
    /// The message being read; `None` between messages, where spans belong
    /// to the message about to start.
    open: Option<usize>,
    /// Bytes fed past [`MAX_INPUT`].
    dropped: u64,
    /// Some message has a Content-Encoding field.
    content_coded: bool,
}

/// The most bytes one parse reads: span offsets are `u32`. (The relay and
/// the page stop far sooner, at 64 MiB per direction.)
pub const MAX_INPUT: usize = u32::MAX as usize;

impl Parser {
    pub fn new(kind: MessageKind, options: Options) -> Parser {
        Parser {
            kind,
            options,
            input: Vec::new(),
            pos: 0,
            scan: 0,
            state: State::StartLine,
            spans: Vec::new(),
            messages: Vec::new(),
            fields: Vec::new(),
            body_parts: Vec::new(),
            diagnostics: Vec::new(),
            claimed: 0,
            answered: 0,
            closing: false,
            open: None,
            dropped: 0,
            content_coded: false,
        }
    }

    /// A parser that writes into the memory of a finished parse: `used` is
    /// emptied, but its vectors keep their capacity. A program that parses
    /// stream after stream allocates nothing once that memory has grown to
    /// fit, as httparse's callers do with their header array. See
    /// [`parse_into`].
    pub fn reusing(kind: MessageKind, options: Options, used: Parse) -> Parser {
        let Parse { mut input, mut spans, mut messages, mut diagnostics, mut fields, mut body_parts } = used;
        input.clear();
        spans.clear();
        messages.clear();
        diagnostics.clear();
        fields.clear();
        body_parts.clear();
        Parser { input, spans, messages, diagnostics, fields, body_parts, ..Parser::new(kind, options) }
    }

    /// Adds bytes to the stream and parses as far as they allow. Bytes past
    /// [`MAX_INPUT`] are not read; [`Parser::finish`] reports how many.
    pub fn feed(&mut self, bytes: &[u8]) {
        let room = MAX_INPUT - self.input.len();
        let (taken, dropped) = bytes.split_at(bytes.len().min(room));
        self.dropped += dropped.len() as u64;
        self.input.extend_from_slice(taken);
        self.run();
    }

    /// The spans so far. Only the last one may still grow (a body arriving).
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The messages so far; the last may be incomplete.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// How many input bytes have been fed.
    pub fn len(&self) -> usize {
        self.input.len()
    }

    pub fn is_empty(&self) -> bool {
        self.input.is_empty()
    }

    /// Ends the stream: interprets any line cut short, reports an incomplete
    /// message, decodes content codings, and returns the result.
    pub fn finish(mut self) -> Parse {
        self.run();
        let len = self.input.len();
        if self.pos < len {
            // Only a line cut short can be pending: bodies and dead states
            // consume everything they are given.
            let content_end = if self.input[len - 1] == b'\r' { len - 1 } else { len };
            let line = Line::CutShort { content_end, line_end: len };
            let _ = match self.state {
                State::StartLine => self.start_line(line),
                State::Headers | State::Trailers => self.field_line(line),
                State::ChunkSize => self.chunk_size_line(line),
                State::ChunkDataEnd => self.chunk_data_end(line),
                // Body and dead states consume all input in `run`.
                _ => Ok(()),
            };
            if self.pos < len {
                // A handler that stopped has labelled the rest as unparsed;
                // this is only for safety of the span rule.
                self.push(SpanKind::Unparsed, len);
            }
        }
        let in_message = self.state != State::Dead && self.messages.last().is_some_and(|m| !m.complete);
        if self.state == State::BodyUntilClose {
            self.complete_message();
        } else if in_message {
            if let Some(m) = self.messages.last() {
                let start = m.start;
                let what = match self.state {
                    State::Body { remaining } | State::ChunkData { remaining } => {
                        format!("the input ended {remaining} byte(s) before the end of the body its framing announced")
                    }
                    State::Headers => "the input ended inside the header section, before its empty line".into(),
                    State::Trailers => "the input ended inside the trailer section, before its empty line".into(),
                    State::ChunkSize | State::ChunkDataEnd => {
                        "the input ended inside the chunked body, before its last chunk".into()
                    }
                    _ => "the input ended inside the start line".into(),
                };
                self.diag(Severity::Warning, Code::IncompleteMessage, start, len, what);
            }
        }
        let spans = self.spans.len();
        if let Some(m) = self.open.and_then(|i| self.messages.get_mut(i)) {
            m.end = len; // the open message runs to the end of the input
            m.spans.end = spans as u32;
        }
        if self.dropped > 0 {
            let message =
                format!("wirepad reads at most {MAX_INPUT} bytes; the {} bytes after that were not read", self.dropped);
            self.diag(Severity::Error, Code::InputTooLarge, len, len, message);
        }
        let mut parse = Parse {
            input: self.input,
            spans: self.spans,
            messages: self.messages,
            diagnostics: self.diagnostics,
            fields: self.fields,
            body_parts: self.body_parts,
        };
        if self.content_coded {
            decode::check_content_codings(&mut parse);
        }
        parse.diagnostics.sort_by_key(|d| d.start);
        parse
    }

    fn run(&mut self) {
        loop {
            let before = (self.pos, self.state);
            match self.state {
                State::Dead => {
                    let len = self.input.len();
                    self.push(SpanKind::Unparsed, len);
                    return;
                }
                State::BodyUntilClose => {
                    let len = self.input.len();
                    self.push_body(SpanKind::Body, len);
                    return;
                }
                State::Body { remaining } | State::ChunkData { remaining } => {
                    let avail = (self.input.len() - self.pos) as u64;
                    let take = remaining.min(avail);
                    if take == 0 {
                        return;
                    }
                    let end = self.pos + take as usize;
                    let left = remaining - take;
                    if let State::Body { .. } = self.state {
                        self.push_body(SpanKind::Body, end);
                        self.state = State::Body { remaining: left };
                        if left == 0 {
                            self.complete_message();
                        }
                    } else {
                        self.push_body(SpanKind::ChunkData, end);
                        self.state = if left == 0 { State::ChunkDataEnd } else { State::ChunkData { remaining: left } };
                    }
                }
                State::ChunkDataEnd => {
                    // CRLF after chunk data: decided byte by byte, no line search.
                    let rest = &self.input[self.pos..];
                    let line = match rest {
                        [] | [b'\r'] => return,
                        [b'\n', ..] => Line::Complete { content_end: self.pos, line_end: self.pos + 1 },
                        [b'\r', b'\n', ..] => Line::Complete { content_end: self.pos, line_end: self.pos + 2 },
                        _ => Line::Complete { content_end: self.pos + 1, line_end: self.pos + 1 },
                    };
                    let _ = self.chunk_data_end(line);
                }
                State::StartLine | State::Headers | State::Trailers | State::ChunkSize => {
                    match self.state {
                        State::Headers | State::Trailers => self.plain_field_lines(),
                        State::StartLine => self.plain_status_line(),
                        _ => {}
                    }
                    if (self.pos, self.state) != before {
                        continue;
                    }
                    let Some(line) = self.next_line() else { return };
                    let _ = match self.state {
                        State::StartLine => self.start_line(line),
                        State::ChunkSize => self.chunk_size_line(line),
                        _ => self.field_line(line),
                    };
                }
            }
            if (self.pos, self.state) == before {
                // Every step consumes input or changes state; this is a guard
                // against a bug turning into a hang.
                return;
            }
        }
    }

    /// The next complete line at `pos`, if its LF has arrived.
    fn next_line(&mut self) -> Option<Line> {
        let from = self.scan.max(self.pos);
        match memchr::memchr(b'\n', &self.input[from..]) {
            Some(i) => {
                let lf = from + i;
                self.scan = lf + 1;
                let content_end = if lf > self.pos && self.input[lf - 1] == b'\r' { lf - 1 } else { lf };
                Some(Line::Complete { content_end, line_end: lf + 1 })
            }
            None => {
                self.scan = self.input.len();
                None
            }
        }
    }

    // ---- recording -------------------------------------------------------

    /// The message that the bytes at `pos` belong to: the open one, or
    /// between messages the next one.
    fn current(&self) -> Option<usize> {
        Some(self.open.unwrap_or(self.messages.len()))
    }

    /// Labels `pos..end` as `kind`, merging with the previous span when a
    /// body, chunk-data or unparsed run simply continues.
    fn push(&mut self, kind: SpanKind, end: usize) {
        if end <= self.pos {
            return;
        }
        // Offsets fit: feed() never takes more than MAX_INPUT bytes.
        let (start, end32) = (self.pos as u32, end as u32);
        let same_message = self.spans.len() > self.claimed;
        match self.spans.last_mut() {
            Some(last)
                if matches!(kind, SpanKind::Body | SpanKind::ChunkData | SpanKind::Unparsed)
                    && last.end == start
                    && last.kind == kind
                    && same_message =>
            {
                last.end = end32;
            }
            _ => self.spans.push(Span { start, end: end32, kind }),
        }
        self.pos = end;
    }

    fn push_body(&mut self, kind: SpanKind, end: usize) {
        if end <= self.pos {
            return;
        }
        let start = self.pos;
        self.push(kind, end);
        if let Some(m) = self.messages.last_mut() {
            match self.body_parts.last_mut() {
                Some(r) if !m.body.is_empty() && r.end as usize == start => r.end = end as u32,
                _ => {
                    self.body_parts.push(Range::new(start, end));
                    m.body.end = self.body_parts.len() as u32;
                }
            }
        }
    }

    fn push_line_end(&mut self, kind: SpanKind, line: Line) {
        let (content_end, line_end) = (line.content_end(), line.line_end());
        if !line.cut_short() && line_end - content_end == 1 {
            self.diag(
                Severity::Warning,
                Code::BareLf,
                content_end,
                line_end,
                "this line ends with a bare LF; HTTP/1.1 lines end with CR LF".into(),
            );
        }
        self.push(kind, line_end);
    }

    #[cold]
    #[inline(never)]
    fn diag(&mut self, severity: Severity, code: Code, start: usize, end: usize, message: String) {
        let msg_index = self.current();
        self.diagnostics.push(Diagnostic { severity, code, message, start, end, msg_index });
    }

    /// Records an unrecoverable error at `at..end`, labels everything from
    /// `pos` on as unparsed, and stops the line handler.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, code: Code, at: usize, end: usize, message: String) -> Step {
        let end = end.max(at + 1).min(self.input.len().max(at));
        self.diag(Severity::Error, code, at, end, message);
        self.state = State::Dead;
        let len = self.input.len();
        self.push(SpanKind::Unparsed, len);
        Err(Stop)
    }

    // ---- start lines -----------------------------------------------------

    /// The common case of a status line, `HTTP/1.1 200 OK` CRLF with an
    /// HTTP/1.0 or 1.1 version, a code of 100 or more and a plain reason,
    /// read in one pass without first searching for the line end. Changes
    /// nothing for anything else, which [`Parser::start_line`] then reads;
    /// both give the same spans.
    fn plain_status_line(&mut self) {
        if self.kind != MessageKind::Response || self.scan > self.pos || self.closing {
            return;
        }
        let start = self.pos;
        let line = &self.input[start..];
        let plain_head = line.len() > 13
            && line.starts_with(b"HTTP/1.")
            && matches!(line[7], b'0' | b'1')
            && line[8] == b' '
            && line[9..12].iter().all(u8::is_ascii_digit)
            && line[9] != b'0'
            && line[12] == b' ';
        if !plain_head {
            return;
        }
        let reason_end = self.scan_words(start + 13, self.input.len(), &FIELD_VCHAR_OR_WS, swar::all_field_text);
        if self.input.get(reason_end) != Some(&b'\r') || self.input.get(reason_end + 1) != Some(&b'\n') {
            return;
        }
        let status = parse_decimal(&self.input[start + 9..start + 12]).unwrap_or(0) as u16;
        self.open = Some(self.messages.len());
        let mut m = Message::new(self.kind, start, self.fields.len(), self.body_parts.len(), self.claimed);
        m.version = Some(Range::new(start, start + 8));
        m.status = Some(status);
        m.reason = (reason_end > start + 13).then(|| Range::new(start + 13, reason_end));
        self.messages.push(m);
        let parts = [
            (SpanKind::HttpVersion, start + 8),
            (SpanKind::Sp, start + 9),
            (SpanKind::StatusCode, start + 12),
            (SpanKind::Sp, start + 13),
            (SpanKind::ReasonPhrase, reason_end),
            (SpanKind::Crlf, reason_end + 2),
        ];
        for (kind, end) in parts {
            if end > self.pos {
                self.spans.push(Span { start: self.pos as u32, end: end as u32, kind });
                self.pos = end;
            }
        }
        self.scan = self.pos;
        self.state = State::Headers;
    }

    fn start_line(&mut self, line: Line) -> Step {
        let content_end = line.content_end();
        if content_end == self.pos {
            // RFC 9112 §2.2: a server SHOULD ignore at least one empty line
            // received before the request-line.
            let (start, end) = (self.pos, line.line_end());
            self.diag(
                Severity::Warning,
                Code::LeadingEmptyLine,
                start,
                end,
                "an empty line before the start line; recipients ignore it, but a sender must not send it".into(),
            );
            self.push_line_end(SpanKind::Crlf, line);
            return Ok(());
        }
        self.open = Some(self.messages.len());
        let m = Message::new(self.kind, self.pos, self.fields.len(), self.body_parts.len(), self.claimed);
        self.messages.push(m);
        if self.closing {
            self.closing = false;
            let (start, end) = (self.pos, content_end);
            self.diag(
                Severity::Warning,
                Code::DataAfterClose,
                start,
                end,
                "another message follows one after which the connection was to be closed".into(),
            );
        }
        match self.kind {
            MessageKind::Request => self.request_line(line)?,
            MessageKind::Response => self.status_line(line)?,
        }
        self.push_line_end(SpanKind::Crlf, line);
        if !line.cut_short() {
            self.state = State::Headers;
        }
        Ok(())
    }

    /// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3).
    fn request_line(&mut self, line: Line) -> Step {
        let end = line.content_end();
        let method_end = self.scan_class(self.pos, end, &TCHAR);
        if method_end == self.pos {
            return self.fail_byte(
                Code::InvalidMethod,
                self.pos,
                "a request line starts with a method, a token such as GET",
            );
        }
        let method = Range::new(self.pos, method_end);
        if method_end < end && !REGISTERED_METHODS.contains(&&self.input[self.pos..method_end]) {
            let name = latin1(&self.input[self.pos..method_end]);
            self.diag(
                Severity::Info,
                Code::UnregisteredMethod,
                self.pos,
                method_end,
                format!("{name} is not a registered HTTP method; methods are case-sensitive, and servers answer unknown ones with 501"),
            );
        }
        self.push(SpanKind::Method, method_end);
        self.last_mut().method = Some(method);
        if self.pos == end {
            return self.cut_or_fail(line, Code::InvalidRequestTarget, "the request line ends after the method; a space, the request target, a space and the HTTP version must follow");
        }
        self.single_sp(Code::InvalidMethod, "is not allowed in a method")?;
        if self.pos == end {
            return self.cut_or_fail(
                line,
                Code::InvalidRequestTarget,
                "the request line ends before the request target",
            );
        }
        let target_end = self.scan_words(self.pos, end, &TARGET, swar::all_visible_ascii);
        if target_end == self.pos {
            return self.fail_byte(Code::InvalidRequestTarget, self.pos, "is not allowed in a request target");
        }
        let target = Range::new(self.pos, target_end);
        self.push(SpanKind::RequestTarget, target_end);
        self.last_mut().target = Some(target);
        if self.pos == end {
            return self.cut_or_fail(
                line,
                Code::InvalidVersion,
                "the request line has no HTTP version (an HTTP/0.9 request); HTTP/1.x requests end with SP HTTP/1.1",
            );
        }
        self.single_sp(Code::InvalidRequestTarget, "is not allowed in a request target")?;
        self.version(line, end)?;
        if self.pos < end {
            return self.fail_byte(
                Code::InvalidVersion,
                self.pos,
                "follows the HTTP version; the request line must end right after it",
            );
        }
        Ok(())
    }

    /// `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4).
    fn status_line(&mut self, line: Line) -> Step {
        let end = line.content_end();
        self.version(line, end)?;
        if self.pos == end {
            return self.cut_or_fail(
                line,
                Code::InvalidStatusCode,
                "the status line ends after the HTTP version; a space and a three-digit status code must follow",
            );
        }
        self.single_sp(Code::InvalidVersion, "follows the HTTP version where a space belongs")?;
        let digits_end = self.scan_class(self.pos, end, &DIGIT);
        let n = digits_end - self.pos;
        if n < 3 && digits_end == end && line.cut_short() {
            self.push(SpanKind::StatusCode, digits_end);
            return Ok(());
        }
        if n != 3 {
            let (start, at) = (self.pos, digits_end.max(self.pos + 1));
            return self.fail(
                Code::InvalidStatusCode,
                start,
                at,
                "the status code must be exactly three digits".into(),
            );
        }
        let code = parse_decimal(&self.input[self.pos..digits_end]).unwrap_or(0) as u16;
        if code < 100 {
            let start = self.pos;
            return self.fail(
                Code::InvalidStatusCode,
                start,
                digits_end,
                format!("status code {code:03} is below 100; valid codes are 100 to 599"),
            );
        }
        self.push(SpanKind::StatusCode, digits_end);
        self.last_mut().status = Some(code);
        if self.pos == end {
            if !line.cut_short() {
                self.diag(
                    Severity::Warning,
                    Code::MissingReasonSpace,
                    end,
                    line.line_end(),
                    "the status line ends right after the status code; the grammar wants a space there even when the reason phrase is empty".into(),
                );
            }
            return Ok(());
        }
        if self.input[self.pos] != b' ' {
            return self.fail_byte(Code::InvalidStatusCode, self.pos, "follows the status code where a space belongs");
        }
        self.push(SpanKind::Sp, self.pos + 1);
        let reason_end = self.scan_words(self.pos, end, &FIELD_VCHAR_OR_WS, swar::all_field_text);
        if reason_end < end {
            let bad = reason_end;
            if reason_end > self.pos {
                let r = Range::new(self.pos, reason_end);
                self.push(SpanKind::ReasonPhrase, reason_end);
                self.last_mut().reason = Some(r);
            }
            return self.fail_byte(Code::InvalidReasonPhrase, bad, "is not allowed in a reason phrase");
        }
        if reason_end > self.pos {
            self.last_mut().reason = Some(Range::new(self.pos, reason_end));
            self.push(SpanKind::ReasonPhrase, reason_end);
        }
        Ok(())
    }

    /// `HTTP-version = "HTTP" "/" DIGIT "." DIGIT` (RFC 9112 §2.3).
    fn version(&mut self, line: Line, end: usize) -> Step {
        const SHAPE: &[u8] = b"HTTP/0.0";
        let start = self.pos;
        let avail = &self.input[start..end];
        let matched =
            avail.iter().zip(SHAPE).take_while(|(&b, &s)| if s == b'0' { b.is_ascii_digit() } else { b == s }).count();
        let whole = matched == SHAPE.len() && (avail.len() == SHAPE.len() || avail[SHAPE.len()] == b' ');
        if !whole {
            if line.cut_short() && matched == avail.len() {
                self.push(SpanKind::HttpVersion, end);
                return Ok(());
            }
            return self.fail(
                Code::InvalidVersion,
                start,
                end.min(start + SHAPE.len()).max(start + 1),
                "expected an HTTP version of the form HTTP/1.1 (upper case, one digit each side of the dot)".into(),
            );
        }
        let (major, minor) = (avail[5] - b'0', avail[7] - b'0');
        let version_end = start + SHAPE.len();
        if major != 1 {
            return self.fail(
                Code::UnsupportedVersion,
                start,
                version_end,
                format!("HTTP/{major}.{minor} is not HTTP/1.x; this parser reads HTTP/1.0 and HTTP/1.1 messages only"),
            );
        }
        self.push(SpanKind::HttpVersion, version_end);
        self.last_mut().version = Some(Range::new(start, version_end));
        if minor > 1 {
            self.diag(
                Severity::Warning,
                Code::UnsupportedVersion,
                start,
                version_end,
                format!("HTTP/1.{minor} does not exist; a recipient treats it as HTTP/1.1, the highest 1.x version it knows"),
            );
        }
        Ok(())
    }

    // ---- field lines -----------------------------------------------------

    /// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5), or
    /// the empty line that ends the section.
    fn field_line(&mut self, line: Line) -> Step {
        let trailers = self.state == State::Trailers;
        let end = line.content_end();
        if self.pos == end {
            self.push_line_end(SpanKind::EmptyLine, line);
            if !line.cut_short() {
                self.section_complete();
            }
            return Ok(());
        }
        let first = self.input[self.pos];
        if first == b' ' || first == b'\t' {
            return self.folded_line(line, trailers);
        }
        let name_end = self.scan_class(self.pos, end, &TCHAR);
        let name = Range::new(self.pos, name_end);
        if name_end == end {
            if line.cut_short() {
                self.push(SpanKind::HeaderName, name_end);
                self.push_line_end(SpanKind::Crlf, line);
                return Ok(());
            }
            return self.fail(
                Code::MissingColon,
                self.pos,
                end,
                "this field line has no colon; a field line is name, colon, value".into(),
            );
        }
        let next = self.input[name_end];
        if name.is_empty() && next == b':' {
            return self.fail(
                Code::InvalidHeaderName,
                self.pos,
                name_end + 1,
                "this field line has an empty field name".into(),
            );
        }
        if next != b':' {
            let ws_end = self.scan_class(name_end, end, &WS);
            if ws_end > name_end && ws_end < end && self.input[ws_end] == b':' && !name.is_empty() {
                self.push(SpanKind::HeaderName, name_end);
                return self.fail(
                    Code::SpaceBeforeColon,
                    name_end,
                    ws_end,
                    "whitespace between a field name and its colon; servers must reject this (a classic request smuggling trick)".into(),
                );
            }
            if !name.is_empty() {
                self.push(SpanKind::HeaderName, name_end);
            }
            return self.fail_byte(Code::InvalidHeaderName, name_end, "is not allowed in a field name");
        }
        self.push(SpanKind::HeaderName, name_end);
        self.push(SpanKind::Colon, name_end + 1);
        let ows_end = self.scan_class(self.pos, end, &WS);
        self.push(SpanKind::Ows, ows_end);
        let value = self.field_value(end)?;
        self.push_line_end(SpanKind::Crlf, line);
        self.record_field(Header { name, value });
        Ok(())
    }

    /// The common case of a header section: field lines `name ":" SP value
    /// CRLF` with nothing odd in them, read in one pass each without first
    /// searching for the line end, then the empty line that ends the
    /// section. Stops, having changed nothing for that line, at anything
    /// else (a fold, a bare LF, a bad byte, a line not complete yet), which
    /// [`Parser::field_line`] then reads; both give the same spans.
    fn plain_field_lines(&mut self) {
        if self.scan > self.pos {
            return; // this line was searched before: memchr resumes
        }
        let fields_before = self.fields.len();
        loop {
            let input = &self.input[..];
            let start = self.pos;
            if input.get(start) == Some(&b'\r') && input.get(start + 1) == Some(&b'\n') {
                self.record_fields(fields_before);
                self.spans.push(Span { start: start as u32, end: start as u32 + 2, kind: SpanKind::EmptyLine });
                self.pos = start + 2;
                self.scan = self.pos;
                return self.section_complete();
            }
            let name_end = self.scan_class(start, input.len(), &TCHAR);
            if name_end == start || input.get(name_end) != Some(&b':') {
                break;
            }
            let value_start = self.scan_class(name_end + 1, input.len(), &WS);
            let value_stop = self.scan_words(value_start, input.len(), &FIELD_VCHAR_OR_WS, swar::all_field_text);
            if input.get(value_stop) != Some(&b'\r') || input.get(value_stop + 1) != Some(&b'\n') {
                break;
            }
            let value_end = self.trim_ws_end(value_start, value_stop);
            // What `push` does, without its merge check (none of these kinds
            // merge). The name, the colon and the line end are never empty.
            let span = |start: usize, end: usize, kind| Span { start: start as u32, end: end as u32, kind };
            let spans = &mut self.spans;
            spans.reserve(6);
            spans.push(span(start, name_end, SpanKind::HeaderName));
            spans.push(span(name_end, name_end + 1, SpanKind::Colon));
            if value_start > name_end + 1 {
                spans.push(span(name_end + 1, value_start, SpanKind::Ows));
            }
            if value_end > value_start {
                spans.push(span(value_start, value_end, SpanKind::HeaderValue));
            }
            if value_stop > value_end {
                spans.push(span(value_end, value_stop, SpanKind::Ows));
            }
            spans.push(span(value_stop, value_stop + 2, SpanKind::Crlf));
            self.pos = value_stop + 2;
            self.scan = self.pos;
            self.fields.push(Header { name: Range::new(start, name_end), value: Range::new(value_start, value_end) });
        }
        self.record_fields(fields_before);
    }

    /// Adds the field lines pushed since there were `before` to the open
    /// message's headers, or to its trailers after the last chunk.
    fn record_fields(&mut self, before: usize) {
        if self.fields.len() == before {
            return;
        }
        let (trailers, end) = (self.state == State::Trailers, self.fields.len() as u32);
        let m = self.last_mut();
        if trailers {
            m.trailers.end = end;
        } else {
            m.headers.end = end;
        }
    }

    /// The empty line that ends a header or trailer section has been read.
    fn section_complete(&mut self) {
        if self.state == State::Trailers {
            self.complete_message();
        } else {
            self.head_complete();
        }
    }

    /// Adds a field line to the open message's headers, or to its trailers
    /// after the last chunk.
    fn record_field(&mut self, header: Header) {
        self.fields.push(header);
        self.record_fields(self.fields.len() - 1);
    }

    /// A line that starts with whitespace continues the previous field value
    /// (`obs-fold`, RFC 9112 §5.2).
    #[cold]
    #[inline(never)]
    fn folded_line(&mut self, line: Line, trailers: bool) -> Step {
        let end = line.content_end();
        let has_previous = {
            let m = self.last_mut();
            if trailers {
                !m.trailers.is_empty()
            } else {
                !m.headers.is_empty()
            }
        };
        if !has_previous {
            return self.fail(
                Code::WhitespaceBeforeFirstHeader,
                self.pos,
                end,
                "a line starting with whitespace right after the start line; it folds onto nothing and must be rejected".into(),
            );
        }
        let ws_end = self.scan_class(self.pos, end, &WS);
        let (start, fold_end) = (self.pos, ws_end);
        self.diag(
            Severity::Warning,
            Code::ObsFold,
            start,
            fold_end,
            "an obsolete line fold: this line continues the previous field value; read it as a single space".into(),
        );
        self.push(SpanKind::ObsFold, ws_end);
        let value = self.field_value(end)?;
        self.push_line_end(SpanKind::Crlf, line);
        if !value.is_empty() {
            // The open message's fields are the last recorded: the fold
            // continues the last of them.
            if let Some(h) = self.fields.last_mut() {
                if h.value.is_empty() {
                    h.value = value;
                } else {
                    h.value.end = value.end;
                }
            }
        }
        Ok(())
    }

    /// Labels a field value and its trailing whitespace up to `end`.
    fn field_value(&mut self, end: usize) -> Result<Range, Stop> {
        let value_end = self.scan_words(self.pos, end, &FIELD_VCHAR_OR_WS, swar::all_field_text);
        if value_end < end {
            let trimmed = self.trim_ws_end(self.pos, value_end);
            self.push(SpanKind::HeaderValue, trimmed);
            self.push(SpanKind::Ows, value_end);
            let code = if self.input[value_end] == b'\r' { Code::BareCr } else { Code::InvalidHeaderValue };
            self.fail_byte(code, value_end, "is not allowed in a field value")?;
        }
        let trimmed = self.trim_ws_end(self.pos, end);
        let value = Range::new(self.pos, trimmed);
        self.push(SpanKind::HeaderValue, trimmed);
        self.push(SpanKind::Ows, end);
        Ok(value)
    }

    // ---- framing ---------------------------------------------------------

    /// The header section has ended: decide how the body is framed
    /// (RFC 9112 §6.3) and whether the connection stays open (§9.3).
    fn head_complete(&mut self) {
        let idx = self.messages.len() - 1;
        let facts = HeadFacts::read(&self.input, &self.fields[self.messages[idx].headers.start as usize..]);
        let http10 = self.messages[idx].version.is_some_and(|v| self.input[v.end as usize - 1] == b'0');
        let (start, head_end) = (self.messages[idx].start, self.pos);
        self.messages[idx].content_coding = facts.content_coding;
        self.content_coded |= facts.content_coding;
        self.closing = if http10 { !facts.keep_alive } else { facts.close };

        if self.kind == MessageKind::Request && !http10 {
            match facts.host_count {
                0 => self.diag(
                    Severity::Error,
                    Code::MissingHost,
                    start,
                    head_end,
                    "this HTTP/1.1 request has no Host header field; a server must answer it with 400".into(),
                ),
                1 => {}
                n => self.diag(
                    Severity::Error,
                    Code::MultipleHost,
                    start,
                    head_end,
                    format!("this request has {n} Host header fields; exactly one is allowed"),
                ),
            }
        }

        let method_is = |name: &[u8]| -> bool {
            if self.kind == MessageKind::Request {
                return false;
            }
            let m = self.options.request_methods.get(self.answered).map(|s| s.as_bytes()).unwrap_or(b"GET");
            m == name
        };
        let status = self.messages[idx].status.unwrap_or(0);
        let (head, connect) = (method_is(b"HEAD"), method_is(b"CONNECT"));

        if self.kind == MessageKind::Response {
            if (100..200).contains(&status) {
                // Interim responses answer no request of their own.
                if status == 101 {
                    return self
                        .switch_protocols("101 Switching Protocols: the bytes after it belong to another protocol");
                }
                return self.frame(Framing::None);
            }
            self.answered += 1;
            if connect && (200..300).contains(&status) {
                return self.switch_protocols(
                    "a 2xx answer to CONNECT turns the connection into a tunnel; the bytes after it are not HTTP",
                );
            }
            if head || status == 204 || status == 304 {
                return self.frame(Framing::None);
            }
        }

        if let Some(te) = &facts.transfer_encoding {
            if http10 {
                return self.fatal_framing(Code::TransferEncodingInHttp10, "an HTTP/1.0 message with Transfer-Encoding: the framing is faulty, since HTTP/1.0 has no transfer codings".into());
            }
            if te.chunked_count > 1 {
                return self.fatal_framing(
                    Code::ChunkedAppliedTwice,
                    "chunked is applied more than once; a sender must not do that".into(),
                );
            }
            if facts.content_length.is_some() || facts.content_length_invalid {
                let severity = if self.kind == MessageKind::Request { Severity::Error } else { Severity::Warning };
                self.diag(
                    severity,
                    Code::ContentLengthWithTransferEncoding,
                    start,
                    head_end,
                    "both Transfer-Encoding and Content-Length: Transfer-Encoding wins, but the pair is a sign of request smuggling".into(),
                );
            }
            if te.last_is_chunked {
                return self.frame(Framing::Chunked);
            }
            if self.kind == MessageKind::Request {
                return self.fatal_framing(
                    Code::TransferEncodingNotChunked,
                    "the last transfer coding of a request must be chunked; otherwise its length cannot be known"
                        .into(),
                );
            }
            self.diag(
                Severity::Info,
                Code::TransferEncodingNotChunked,
                start,
                head_end,
                "the last transfer coding is not chunked, so this body ends when the server closes the connection"
                    .into(),
            );
            return self.frame(Framing::Close);
        }
        if facts.content_length_invalid {
            return self
                .fatal_framing(Code::InvalidContentLength, "Content-Length must be a decimal number of bytes".into());
        }
        if facts.content_length_conflict {
            return self.fatal_framing(
                Code::ConflictingContentLength,
                "Content-Length is given with different values; the body's length cannot be known".into(),
            );
        }
        if facts.content_length_repeated {
            self.diag(
                Severity::Warning,
                Code::DuplicateContentLength,
                start,
                head_end,
                "Content-Length is given more than once with the same value; recipients may accept it, but it should appear once".into(),
            );
        }
        match (facts.content_length, self.kind) {
            (Some(n), _) => self.frame(Framing::Length(n)),
            (None, MessageKind::Request) => self.frame(Framing::None),
            (None, MessageKind::Response) => {
                self.diag(
                    Severity::Info,
                    Code::CloseDelimitedBody,
                    start,
                    head_end,
                    "no Content-Length and no chunked coding: this body ends when the server closes the connection"
                        .into(),
                );
                self.closing = true;
                self.frame(Framing::Close)
            }
        }
    }

    fn frame(&mut self, framing: Framing) {
        self.last_mut().framing = Some(framing);
        match framing {
            Framing::None | Framing::Length(0) => self.complete_message(),
            Framing::Length(n) => self.state = State::Body { remaining: n },
            Framing::Chunked => self.state = State::ChunkSize,
            Framing::Close => self.state = State::BodyUntilClose,
        }
    }

    fn fatal_framing(&mut self, code: Code, message: String) {
        let start = self.messages.last().map_or(0, |m| m.start);
        let head_end = self.pos;
        self.diag(Severity::Error, code, start, head_end, message);
        self.state = State::Dead;
        let len = self.input.len();
        self.push(SpanKind::Unparsed, len);
    }

    fn switch_protocols(&mut self, why: &str) {
        let (start, head_end, len) = (self.last_mut().start, self.pos, self.input.len());
        self.last_mut().framing = Some(Framing::None);
        self.last_mut().complete = true;
        self.diag(Severity::Info, Code::ProtocolSwitched, start, head_end, why.into());
        self.state = State::Dead;
        self.push(SpanKind::Unparsed, len);
    }

    fn complete_message(&mut self) {
        let (end, spans) = (self.pos, self.spans.len());
        let m = self.last_mut();
        m.complete = true;
        m.end = end;
        m.spans.end = spans as u32;
        self.claimed = spans;
        self.open = None;
        self.state = State::StartLine;
    }

    // ---- chunked bodies --------------------------------------------------

    /// `chunk-size [ chunk-ext ] CRLF` or `last-chunk` (RFC 9112 §7.1).
    fn chunk_size_line(&mut self, line: Line) -> Step {
        let end = line.content_end();
        let digits_end = self.scan_class(self.pos, end, &HEXDIG);
        if digits_end == self.pos {
            if line.cut_short() && end == self.pos {
                self.push_line_end(SpanKind::Crlf, line);
                return Ok(());
            }
            return self.fail_byte(
                Code::InvalidChunkSize,
                self.pos,
                "is where a chunk size (hexadecimal digits) belongs",
            );
        }
        let digits = &self.input[self.pos..digits_end];
        let Some(size) = parse_hex(digits) else {
            let start = self.pos;
            return self.fail(
                Code::InvalidChunkSize,
                start,
                digits_end,
                "this chunk size does not fit in 64 bits".into(),
            );
        };
        self.push(if size == 0 { SpanKind::LastChunk } else { SpanKind::ChunkSize }, digits_end);
        if self.pos < end {
            let b = self.input[self.pos];
            if b != b';' && b != b' ' && b != b'\t' {
                return self.fail_byte(
                    Code::InvalidChunkSize,
                    self.pos,
                    "follows the chunk size; only a chunk extension (;name=value) or the line end may",
                );
            }
            if let Err(bad) = check_chunk_ext(&self.input[self.pos..end]) {
                let at = self.pos + bad;
                if line.cut_short() && at == end {
                    self.push(SpanKind::ChunkExt, end);
                    self.push_line_end(SpanKind::Crlf, line);
                    return Ok(());
                }
                return self.fail_byte(
                    Code::InvalidChunkExt,
                    at,
                    "breaks the chunk extension grammar ;name or ;name=value",
                );
            }
            self.push(SpanKind::ChunkExt, end);
        }
        self.push_line_end(SpanKind::Crlf, line);
        if !line.cut_short() {
            if size == 0 {
                let fields = self.fields.len();
                self.last_mut().trailers = Range::new(fields, fields);
                self.state = State::Trailers;
            } else {
                self.state = State::ChunkData { remaining: size };
            }
        }
        Ok(())
    }

    /// The CRLF that ends a chunk's data.
    fn chunk_data_end(&mut self, line: Line) -> Step {
        if line.content_end() > self.pos {
            return self.fail_byte(
                Code::MissingChunkCrlf,
                self.pos,
                "follows a chunk's data where CRLF belongs: the chunk is longer than its size says",
            );
        }
        self.push_line_end(SpanKind::Crlf, line);
        if !line.cut_short() {
            self.state = State::ChunkSize;
        }
        Ok(())
    }

    // ---- helpers ---------------------------------------------------------

    fn last_mut(&mut self) -> &mut Message {
        self.messages.last_mut().expect("a message is open in this state")
    }

    fn scan_class(&self, from: usize, end: usize, class: &[bool; 256]) -> usize {
        self.input[from..end].iter().position(|&b| !class[b as usize]).map_or(end, |i| from + i)
    }

    /// Like [`Parser::scan_class`], but skips eight bytes at a time while
    /// `word_ok` vouches for all of them (the long runs are field values
    /// and targets, where this is what keeps up with httparse).
    fn scan_words(&self, from: usize, end: usize, class: &[bool; 256], word_ok: fn(u64) -> bool) -> usize {
        let bytes = &self.input[from..end];
        let words = bytes.chunks_exact(8).take_while(|w| word_ok(u64::from_le_bytes((*w).try_into().unwrap()))).count();
        self.scan_class(from + words * 8, end, class)
    }

    fn trim_ws_end(&self, from: usize, end: usize) -> usize {
        if end == from || !matches!(self.input[end - 1], b' ' | b'\t') {
            return end; // the usual case: nothing to trim
        }
        self.input[from..end].iter().rposition(|&b| b != b' ' && b != b'\t').map_or(from, |i| from + i + 1)
    }

    /// Expects one SP at `pos`; a different byte fails with `code`.
    fn single_sp(&mut self, code: Code, what: &str) -> Step {
        if self.input[self.pos] != b' ' {
            return self.fail_byte(code, self.pos, what);
        }
        self.push(SpanKind::Sp, self.pos + 1);
        if self.pos < self.input.len() && self.input[self.pos] == b' ' {
            let start = self.pos;
            return self.fail(
                Code::ExtraWhitespace,
                start,
                start + 1,
                "more than one space between the parts of the start line".into(),
            );
        }
        Ok(())
    }

    /// The line ended early: fine if the input was cut short, an error if not.
    #[cold]
    #[inline(never)]
    fn cut_or_fail(&mut self, line: Line, code: Code, message: &str) -> Step {
        if line.cut_short() {
            return Ok(());
        }
        let at = line.content_end();
        self.fail(code, at, line.line_end(), message.into())
    }

    /// Fails at the byte `at`, naming it in the message.
    #[cold]
    #[inline(never)]
    fn fail_byte(&mut self, code: Code, at: usize, what: &str) -> Step {
        let b = self.input[at];
        let shown = describe_byte(b);
        self.fail(code, at, at + 1, format!("{shown} {what}"))
    }
}

/// A byte as a student reads it: `'a'`, or `0x0D (CR)`.
pub fn describe_byte(b: u8) -> String {
    match b {
        b'\r' => "the byte 0x0D (CR)".into(),
        b'\n' => "the byte 0x0A (LF)".into(),
        b' ' => "a space (0x20)".into(),
        b'\t' => "a tab (0x09)".into(),
        0x21..=0x7e => format!("the character '{}'", b as char),
        _ => format!("the byte 0x{b:02X}"),
    }
}

/// Methods in the IANA HTTP Method Registry (RFC 9110 §16.1), the ones a
/// student is likely to meet first.
const REGISTERED_METHODS: &[&[u8]] = &[
    b"GET",
    b"HEAD",
    b"POST",
    b"PUT",
    b"DELETE",
    b"CONNECT",
    b"OPTIONS",
    b"TRACE",
    b"PATCH",
    b"ACL",
    b"BASELINE-CONTROL",
    b"BIND",
    b"CHECKIN",
    b"CHECKOUT",
    b"COPY",
    b"LABEL",
    b"LINK",
    b"LOCK",
    b"MERGE",
    b"MKACTIVITY",
    b"MKCALENDAR",
    b"MKCOL",
    b"MKREDIRECTREF",
    b"MKWORKSPACE",
    b"MOVE",
    b"ORDERPATCH",
    b"PRI",
    b"PROPFIND",
    b"PROPPATCH",
    b"QUERY",
    b"REBIND",
    b"REPORT",
    b"SEARCH",
    b"UNBIND",
    b"UNCHECKOUT",
    b"UNLINK",
    b"UNLOCK",
    b"UPDATE",
    b"UPDATEREDIRECTREF",
    b"VERSION-CONTROL",
];

/// What the framing decision needs from a header section.
#[derive(Default)]
struct HeadFacts {
    host_count: usize,
    content_length: Option<u64>,
    content_length_invalid: bool,
    content_length_conflict: bool,
    content_length_repeated: bool,
    transfer_encoding: Option<TransferEncoding>,
    /// A Content-Encoding field is present.
    content_coding: bool,
    close: bool,
    keep_alive: bool,
}

struct TransferEncoding {
    chunked_count: usize,
    last_is_chunked: bool,
}

impl HeadFacts {
    fn read(input: &[u8], headers: &[Header]) -> HeadFacts {
        let mut facts = HeadFacts::default();
        let mut codings: Vec<&[u8]> = Vec::new();
        let mut saw_te = false;
        for h in headers {
            // Most names are none of those asked about; their lengths tell at once.
            let is = |wanted: &[u8]| name_is(&input[h.name.as_usize()], wanted);
            let value = &input[h.value.as_usize()];
            match h.name.len() {
                4 if is(b"host") => facts.host_count += 1,
                10 if is(b"connection") => {
                    for token in list_items(value) {
                        facts.close |= name_is(token, b"close");
                        facts.keep_alive |= name_is(token, b"keep-alive");
                    }
                }
                14 if is(b"content-length") => facts.read_content_length(value),
                16 if is(b"content-encoding") => facts.content_coding = true,
                17 if is(b"transfer-encoding") => {
                    saw_te = true;
                    codings.extend(list_items(value));
                }
                _ => {}
            }
        }
        if saw_te {
            let is_chunked = |c: &[u8]| c.eq_ignore_ascii_case(b"chunked");
            facts.transfer_encoding = Some(TransferEncoding {
                chunked_count: codings.iter().filter(|c| is_chunked(c)).count(),
                last_is_chunked: codings.last().is_some_and(|c| is_chunked(c)),
            });
        }
        facts
    }

    fn read_content_length(&mut self, value: &[u8]) {
        if let (Some(n), None) = (parse_decimal(value), self.content_length) {
            self.content_length = Some(n); // the usual case: one number, once
            return;
        }
        // RFC 9110 §8.6: a list of identical values may be read as one.
        for item in list_items(value) {
            match parse_decimal(item) {
                Some(n) => match self.content_length {
                    Some(prev) if prev != n => self.content_length_conflict = true,
                    Some(_) => self.content_length_repeated = true,
                    None => self.content_length = Some(n),
                },
                None => self.content_length_invalid = true,
            }
        }
        if list_items(value).next().is_none() {
            self.content_length_invalid = true;
        }
    }
}

/// Whether a field name or a token of a field value equals `lower`
/// (lower-case letters and dashes) in any case. Setting bit 0x20 lower-cases
/// a letter and keeps a dash; the only other byte it maps to a letter or
/// dash is CR, which neither holds.
fn name_is(name: &[u8], lower: &[u8]) -> bool {
    name.len() == lower.len() && name.iter().zip(lower).all(|(&a, &b)| a | 0x20 == b)
}

/// The non-empty, trimmed elements of a comma-separated list value.
fn list_items(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|&b| b == b',').map(trim_ws).filter(|s| !s.is_empty())
}

fn trim_ws(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(s.len());
    let end = s.iter().rposition(|&b| b != b' ' && b != b'\t').map_or(start, |i| i + 1);
    &s[start..end]
}

/// `1*DIGIT` as a u64; `None` for anything else or overflow.
fn parse_decimal(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u64, |n, &b| {
        if !b.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// `1*HEXDIG` as a u64; `None` on overflow.
fn parse_hex(s: &[u8]) -> Option<u64> {
    s.iter().try_fold(0u64, |n, &b| {
        let d = (b as char).to_digit(16)? as u64;
        n.checked_mul(16)?.checked_add(d)
    })
}

/// Checks `chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`
/// (RFC 9112 §7.1.1); `Err(i)` names the first offending byte (or `s.len()`).
fn check_chunk_ext(s: &[u8]) -> Result<(), usize> {
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < s.len() && (s[*i] == b' ' || s[*i] == b'\t') {
            *i += 1;
        }
    };
    let token = |i: &mut usize| -> Result<(), usize> {
        let start = *i;
        while *i < s.len() && TCHAR[s[*i] as usize] {
            *i += 1;
        }
        if *i == start {
            Err(*i)
        } else {
            Ok(())
        }
    };
    let mut extensions = 0;
    loop {
        skip_ws(&mut i);
        if i == s.len() {
            // Whitespace alone after the size is no extension.
            return if extensions > 0 { Ok(()) } else { Err(i) };
        }
        extensions += 1;
        if s[i] != b';' {
            return Err(i);
        }
        i += 1;
        skip_ws(&mut i);
        token(&mut i)?;
        let after_name = i;
        skip_ws(&mut i);
        if i < s.len() && s[i] == b'=' {
            i += 1;
            skip_ws(&mut i);
            if i < s.len() && s[i] == b'"' {
                i += 1;
                loop {
                    match s.get(i) {
                        None => return Err(i),
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => {
                            match s.get(i + 1) {
                                Some(&c) if FIELD_VCHAR_OR_WS[c as usize] => i += 2,
                                _ => return Err(i + 1),
                            };
                        }
                        Some(&c) if FIELD_VCHAR_OR_WS[c as usize] => i += 1,
                        Some(_) => return Err(i),
                    }
                }
            } else {
                token(&mut i)?;
            }
        } else {
            i = after_name.max(i);
        }
    }
}

// ---- byte classes (httparse style tables) ---------------------------------

/// Builds a 256-entry table from a list of inclusive ranges.
const fn table(ranges: &[(u8, u8)]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut r = 0;
    while r < ranges.len() {
        let (lo, hi) = ranges[r];
        let mut b = lo as usize;
        while b <= hi as usize {
            t[b] = true;
            b += 1;
        }
        r += 1;
    }
    t
}

/// `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
///          "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA` (RFC 9110 §5.6.2)
static TCHAR: [bool; 256] = table(&[
    (b'!', b'!'),
    (b'#', b'\''),
    (b'*', b'+'),
    (b'-', b'.'),
    (b'0', b'9'),
    (b'A', b'Z'),
    (b'^', b'`'),
    (b'a', b'z'),
    (b'|', b'|'),
    (b'~', b'~'),
]);

/// Request-target bytes: visible ASCII (RFC 9112 §3.2 allows no spaces or
/// controls, and no raw bytes above 0x7E).
static TARGET: [bool; 256] = table(&[(0x21, 0x7e)]);

/// `field-vchar = VCHAR / obs-text` plus SP and HTAB (RFC 9110 §5.5); the
/// same set serves reason phrases and quoted strings.
static FIELD_VCHAR_OR_WS: [bool; 256] = table(&[(b'\t', b'\t'), (b' ', 0x7e), (0x80, 0xff)]);

/// Eight bytes at a time ("SIMD within a register"): each test is true
/// only if every byte of the little-endian word belongs to the class. A
/// false answer just sends the caller back to the byte table.
mod swar {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;

    /// Some byte is below `n` (valid for n <= 128; bytes >= 0x80 never count).
    fn any_below(w: u64, n: u8) -> bool {
        w.wrapping_sub(ONES * n as u64) & !w & HIGH != 0
    }

    fn any_equal(w: u64, n: u8) -> bool {
        let x = w ^ (ONES * n as u64);
        x.wrapping_sub(ONES) & !x & HIGH != 0
    }

    /// SP, VCHAR and obs-text: no control byte and no DEL. (A tab, also
    /// allowed, is left to the byte table.)
    pub fn all_field_text(w: u64) -> bool {
        !any_below(w, 0x20) && !any_equal(w, 0x7f)
    }

    /// 0x21..=0x7E only.
    pub fn all_visible_ascii(w: u64) -> bool {
        w & HIGH == 0 && !any_below(w, 0x21) && !any_equal(w, 0x7f)
    }
}

static WS: [bool; 256] = table(&[(b' ', b' '), (b'\t', b'\t')]);
static DIGIT: [bool; 256] = table(&[(b'0', b'9')]);
static HEXDIG: [bool; 256] = table(&[(b'0', b'9'), (b'A', b'F'), (b'a', b'f')]);

/// The result of parsing a whole stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parse {
    pub input: Vec<u8>,
    pub spans: Vec<Span>,
    pub messages: Vec<Message>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every message's field lines, in order; see [`Parse::headers`].
    fields: Vec<Header>,
    /// Every message's body ranges, in order; see [`Parse::body_ranges`].
    body_parts: Vec<Range>,
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
}

impl Parse {
    pub fn verdict(&self) -> Verdict {
        if self.diagnostics.iter().any(|d| d.severity == Severity::Error) {
            Verdict::Error
        } else {
            Verdict::Ok
        }
    }

    /// The bytes of `r`.
    pub fn bytes(&self, r: Range) -> &[u8] {
        &self.input[r.as_usize()]
    }

    /// The bytes of `r`, decoded as Latin-1 (every byte is one character).
    pub fn text(&self, r: Range) -> String {
        latin1(&self.input[r.as_usize()])
    }

    /// A header's value as a recipient reads it: each obs-fold becomes one space.
    pub fn header_value(&self, h: &Header) -> String {
        let raw = &self.input[h.value.as_usize()];
        if !raw.contains(&b'\n') {
            return latin1(raw);
        }
        let mut out = String::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if matches!(raw[i], b' ' | b'\t' | b'\r' | b'\n') {
                let run_end = raw[i..]
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                    .map_or(raw.len(), |j| i + j);
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

    /// The field lines of the header section of `m`, in order.
    pub fn headers(&self, m: &Message) -> &[Header] {
        &self.fields[m.headers.as_usize()]
    }

    /// The field lines of the trailer section of `m` (after a chunked body).
    pub fn trailers(&self, m: &Message) -> &[Header] {
        &self.fields[m.trailers.as_usize()]
    }

    /// The first header of message `m` named `name` (case-insensitively).
    pub fn header(&self, m: &Message, name: &str) -> Option<String> {
        self.headers(m)
            .iter()
            .find(|h| self.input[h.name.as_usize()].eq_ignore_ascii_case(name.as_bytes()))
            .map(|h| self.header_value(h))
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
            out.extend_from_slice(&self.input[r.as_usize()]);
        }
        out
    }

    /// The spans of `m`: those of its bytes, and of the empty lines (if any)
    /// between the previous message and its start line.
    pub fn spans_of(&self, m: &Message) -> &[Span] {
        &self.spans[m.spans.as_usize()]
    }

    /// For each span in order, the index of the message it belongs to;
    /// `None` for stray empty lines at the end, which start no message.
    pub fn span_messages(&self) -> impl Iterator<Item = Option<usize>> + '_ {
        let owned = self.messages.iter().enumerate().flat_map(|(i, m)| std::iter::repeat_n(Some(i), m.spans.len()));
        let covered = self.messages.last().map_or(0, |m| m.spans.end as usize);
        owned.chain(std::iter::repeat_n(None, self.spans.len() - covered))
    }
}

pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// Parses a whole stream at once.
pub fn parse(kind: MessageKind, input: &[u8], options: &Options) -> Parse {
    parse_owned(kind, input.to_vec(), options)
}

/// Parses a whole stream that the caller hands over, without copying it
/// (the wasm facade's input arrives as a fresh vector anyway).
pub fn parse_owned(kind: MessageKind, input: Vec<u8>, options: &Options) -> Parse {
    let mut out = Parse::default();
    parse_into(&mut out, kind, input, options);
    out
}

/// Parses a whole stream handed over as `input` into `out`, reusing the
/// memory of what `out` held (see [`Parser::reusing`]): the fastest way to
/// parse stream after stream. The input is read in place, not copied; the
/// last input can be taken back from `out.input`.
///
/// ```
/// use wirepad::{parse_into, MessageKind, Options, Parse};
/// let mut out = Parse::default();
/// for target in ["/a", "/b"] {
///     let request = format!("GET {target} HTTP/1.1\r\nHost: example.org\r\n\r\n");
///     parse_into(&mut out, MessageKind::Request, request.into_bytes(), &Options::default());
///     assert_eq!(out.text(out.messages[0].target.unwrap()), target);
/// }
/// ```
pub fn parse_into(out: &mut Parse, kind: MessageKind, mut input: Vec<u8>, options: &Options) {
    let mut p = Parser::reusing(kind, options.clone(), std::mem::take(out));
    // A head has a span every five bytes or so; bodies need few. Reserving
    // for the head-heavy case saves the copies of a growing vector.
    p.spans.reserve((input.len() / 5).min(1 << 20));
    if input.len() > MAX_INPUT {
        p.dropped = (input.len() - MAX_INPUT) as u64;
        input.truncate(MAX_INPUT);
    }
    p.input = input;
    p.run();
    *out = p.finish();
}
