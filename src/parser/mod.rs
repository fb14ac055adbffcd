//! The incremental HTTP/1.x parser: bytes in, labelled spans, messages and
//! diagnostics out.
//!
//! The parser is an explicit, resumable state machine in the style of hyper's
//! `proto/h1/decode.rs`: a [`State`] says what comes next, and every step
//! either consumes input or changes state. The pieces live beside this file:
//!
//! * `lines.rs` reads the lines of a head — start lines, field lines and
//!   chunk-size lines — by their grammar (RFC 9112, quoted next to the code);
//! * `framing.rs` decides, once a header section has ended, how the body is
//!   framed (RFC 9112 §6.3);
//! * `body.rs` has one small reader per framing, each with its own rule for
//!   the end of the input;
//! * `grammar.rs` has the byte classes and value grammars they share.
//!
//! Head lines are interpreted only once their line end has arrived, and body
//! bytes are counted, so every decision depends on the bytes alone and never
//! on where the input was split. A line cut short by the end of the input is
//! interpreted by [`Parser::finish`], where it is reported as incomplete
//! rather than as wrong.
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

mod body;
mod framing;
pub(crate) mod grammar;
mod lines;

use crate::diag::{Code, Diagnostic, Severity};
use crate::parse::{Lengths, Message, MessageKind, Parse};
use crate::span::{Range, SpanKind, Spans};
use body::{BodyState, EndOfInput};
pub use grammar::describe_byte;
use lines::Line;

/// What the parser knows beyond the bytes themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// For a response stream: the methods of the requests it answers, in
    /// order, so that a response to HEAD (or a 2xx to CONNECT) is framed right.
    /// Responses beyond the list are taken to answer GET.
    pub request_methods: Vec<String>,
    /// For each of those requests, the first problem in it that a server
    /// MUST reject with 400 ([`Code::must_reject`]): a response that does
    /// not is flagged as `accepted-invalid-request`.
    pub request_problems: Vec<Option<Code>>,
}

impl Options {
    /// Options for the responses to the requests in `requests` (raw bytes).
    pub fn answering(requests: &[u8]) -> Options {
        let parsed = parse(MessageKind::Request, requests, &Options::default());
        let requests: Vec<usize> =
            (0..parsed.messages.len()).filter(|&i| parsed.messages[i].method.is_some()).collect();
        let request_methods =
            requests.iter().map(|&i| parsed.text(parsed.messages[i].method.unwrap_or_default())).collect();
        let problem = |i: usize| {
            let mine = parsed.diagnostics.iter().filter(|d| d.msg_index == Some(i) && d.severity == Severity::Error);
            mine.map(|d| d.code).find(|c| c.must_reject().is_some())
        };
        Options { request_methods, request_problems: requests.iter().map(|&i| problem(i)).collect() }
    }
}

/// What comes next in the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StartLine,
    Headers,
    Body(BodyState),
    Trailers,
    /// After an unrecoverable error or a protocol switch: the rest is `unparsed`.
    Dead,
}

/// Why a line reader stopped early.
#[derive(Debug, PartialEq, Eq)]
enum Stop {
    /// An unrecoverable error, already recorded; the parser is dead.
    Failed,
    /// A line read without first searching for its end (`Line::Open`) met
    /// something other than the plain case; the parser undoes what the line
    /// recorded and reads it again once its end is known.
    Retry,
}

/// A line reader's outcome: go on, or stop.
type Step = Result<(), Stop>;

/// What a line reader may change, to be undone when it retries.
#[derive(Clone, Copy)]
struct Checkpoint {
    pos: usize,
    lengths: Lengths,
    messages: usize,
    diagnostics: usize,
    state: State,
    open: Option<usize>,
    closing: bool,
}

impl Checkpoint {
    /// Nothing but the spans (and the position) differ.
    #[cfg(debug_assertions)]
    fn same_except_spans(&self, before: &Checkpoint) -> bool {
        let (a, b) = (self.lengths, before.lengths);
        (a.fields, a.chunks, a.body_parts) == (b.fields, b.chunks, b.body_parts)
            && (self.messages, self.diagnostics, self.state, self.open, self.closing)
                == (before.messages, before.diagnostics, before.state, before.open, before.closing)
    }
}

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
    /// byte at a time is scanned once, not once per byte. A line whose end
    /// was searched for and not found (`scan > pos`) is not read again
    /// until its LF arrives.
    scan: usize,
    state: State,
    /// The line being read (see `lines.rs`).
    line: Line,
    spans: Spans,
    messages: Vec<Message>,
    /// The field lines of all messages, headers and trailers.
    fields: Vec<crate::Header>,
    chunks: Vec<crate::Chunk>,
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
    /// The status of the last response if it ended at its empty line (a
    /// 1xx, 204 or 304, or an answer to HEAD): bytes after it that are no
    /// status line are most likely content the server must not have sent.
    bodiless: Option<u16>,
    /// The message being read; `None` between messages, where spans belong
    /// to the message about to start.
    open: Option<usize>,
    /// Bytes fed past [`MAX_INPUT`].
    dropped: u64,
}

/// The most bytes one parse reads: span offsets are `u32`. (The relay and
/// the page stop far sooner, at 64 MiB per direction.)
pub const MAX_INPUT: usize = u32::MAX as usize;

/// The most [`Parser::feed`] sets aside at once for a body that says its length.
const RESERVE_MAX: usize = 64 << 20;

impl Parser {
    pub fn new(kind: MessageKind, options: Options) -> Parser {
        Parser::reusing(kind, options, Parse::default())
    }

    /// A parser that writes into the memory of a finished parse: `used` is
    /// emptied, but its vectors keep their capacity. A program that parses
    /// stream after stream allocates nothing once that memory has grown to
    /// fit, as httparse's callers do with their header array. See
    /// [`parse_into`].
    pub fn reusing(kind: MessageKind, options: Options, used: Parse) -> Parser {
        let Parse { mut input, mut spans, mut messages, mut diagnostics, mut fields, mut chunks, mut body_parts } =
            used;
        input.clear();
        spans.clear();
        messages.clear();
        diagnostics.clear();
        fields.clear();
        chunks.clear();
        body_parts.clear();
        Parser {
            kind,
            options,
            input,
            pos: 0,
            scan: 0,
            state: State::StartLine,
            line: Line::Open,
            spans,
            messages,
            fields,
            chunks,
            body_parts,
            diagnostics,
            claimed: 0,
            answered: 0,
            closing: false,
            bodiless: None,
            open: None,
            dropped: 0,
        }
    }

    /// Adds bytes to the stream and parses as far as they allow. Bytes past
    /// [`MAX_INPUT`] are not read; [`Parser::finish`] reports how many.
    pub fn feed(&mut self, bytes: &[u8]) {
        let room = MAX_INPUT - self.input.len();
        let (taken, dropped) = bytes.split_at(bytes.len().min(room));
        self.dropped += dropped.len() as u64;
        // A body of known length is arriving: room for all of it now, not
        // doubling (and copying what came so far) as it comes; at most
        // RESERVE_MAX, since the header may say anything.
        if let State::Body(BodyState::Length { remaining }) = self.state {
            let body = usize::try_from(remaining).unwrap_or(usize::MAX).min(RESERVE_MAX);
            self.input.reserve(body);
        }
        self.input.extend_from_slice(taken);
        self.run();
    }

    /// The options this parser reads with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The bytes fed so far.
    pub fn input(&self) -> &[u8] {
        &self.input
    }

    /// The spans so far: they cover the bytes before [`Parser::covered`].
    /// Only the last one may still grow (a body arriving).
    pub fn spans(&self) -> &Spans {
        &self.spans
    }

    /// How many bytes the spans cover; the rest is a line whose end has not
    /// arrived, labelled once it does (or by [`Parser::finish`]).
    pub fn covered(&self) -> usize {
        self.pos
    }

    /// The messages so far. The last may still be open: its `end` and
    /// `spans` are set when it completes; see [`Parser::open_message`].
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The message being read, as it stands: its end and its run of spans
    /// reach as far as the spans do.
    pub fn open_message(&self) -> Option<Message> {
        let mut m = *self.messages.get(self.open?)?;
        m.end = self.pos;
        m.spans.end = self.spans.len() as u32;
        Some(m)
    }

    pub fn fields(&self) -> &[crate::Header] {
        &self.fields
    }

    pub fn chunks(&self) -> &[crate::Chunk] {
        &self.chunks
    }

    pub fn body_parts(&self) -> &[Range] {
        &self.body_parts
    }

    /// The diagnostics so far, in the order they were found.
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

    /// How many bytes of a head the parser holds unfinished: from the start
    /// of the message whose start line, field section or trailer section (or
    /// whose chunk-size line) has not ended yet — empty lines before a start
    /// line included — to the end of the input. 0 while body bytes are read,
    /// and after the parse has stopped ([`Parser::is_stopped`]).
    ///
    /// A head has no length limit in HTTP; a reader of a stream of unknown
    /// origin sets its own (servers answer 431 past 8–64 KiB; `wirepad parse
    /// --summary` stops at 1 MiB) and stops feeding past it.
    pub fn unfinished_head(&self) -> usize {
        let len = self.input.len();
        match self.state {
            State::StartLine | State::Headers => {
                // The message's first span (empty lines before its start line included).
                let start =
                    if self.claimed < self.spans.len() { self.spans.start(self.claimed) as usize } else { self.pos };
                len - start
            }
            // The trailer section, which starts where the last chunk ends
            // (the chunked body before it is not a head).
            State::Trailers => len - self.chunks.last().map_or(self.pos, |c| c.end as usize),
            State::Body(BodyState::ChunkSize | BodyState::ChunkDataEnd) => len - self.pos,
            State::Body(_) | State::Dead => 0,
        }
    }

    /// Whether the parse has stopped: after an unrecoverable error (or a
    /// protocol switch) every further byte is one `unparsed` span, so a
    /// caller that only counts need not feed them.
    pub fn is_stopped(&self) -> bool {
        self.state == State::Dead
    }

    /// Hands the messages completed so far to `out` — their bytes, spans,
    /// fields, chunks, body ranges and diagnostics — and keeps only the
    /// message being read. Reading a long stream this way needs memory for
    /// one message, not for the whole stream.
    ///
    /// `out` is replaced, its vectors' memory reused. Its offsets count from
    /// its first byte and its message indexes from 0, as if its bytes were a
    /// stream of their own; the parser goes on as before, so the pieces laid
    /// end to end are exactly what one whole parse gives. Returns how many
    /// bytes were handed over: 0, with `out` left alone, when no message is
    /// complete. (An interim response stays while nothing follows it: the end
    /// of the input would have something to say about it.)
    ///
    /// ```
    /// use wirepad::{MessageKind, Options, Parse, Parser};
    /// let mut p = Parser::new(MessageKind::Request, Options::default());
    /// let mut done = Parse::default();
    /// p.feed(b"GET /a HTTP/1.1\r\n\r\nGET /b HT");
    /// assert_eq!(p.drain(&mut done), 19);
    /// assert_eq!(done.text(done.messages[0].target.unwrap()), "/a");
    /// assert_eq!(p.drain(&mut done), 0); // nothing more is complete
    /// p.feed(b"TP/1.1\r\n\r\n");
    /// let rest = p.finish();
    /// assert_eq!(rest.text(rest.messages[0].target.unwrap()), "/b");
    /// ```
    pub fn drain(&mut self, out: &mut Parse) -> usize {
        // The first message kept: the open one, or an interim response that
        // nothing follows yet, or none.
        let mut keep = self.open.unwrap_or(self.messages.len());
        if keep > 0 && keep == self.messages.len() && matches!(self.messages[keep - 1].status, Some(100..=199)) {
            keep -= 1;
        }
        let runs = match self.messages.get(keep) {
            Some(m) => Lengths {
                spans: m.spans.start as usize,
                fields: m.headers.start as usize,
                chunks: m.chunks.start as usize,
                body_parts: m.body.start as usize,
            },
            None => self.lengths_from(self.claimed),
        };
        let at = self.spans.start(runs.spans) as usize;
        if keep == 0 || at == 0 {
            return 0;
        }
        // The vectors change hands; only what is kept is copied back.
        let mut rest = std::mem::take(&mut out.input);
        rest.clear();
        rest.extend_from_slice(&self.input[at..]);
        out.input = std::mem::replace(&mut self.input, rest);
        out.input.truncate(at);
        std::mem::swap(&mut out.spans, &mut self.spans);
        self.spans.clear();
        self.spans.extend_lowered(&out.spans, runs.spans, at as u32);
        out.spans.truncate(runs.spans);
        move_tail(&mut out.messages, &mut self.messages, keep, |m| m.lowered(at, runs));
        move_tail(&mut out.fields, &mut self.fields, runs.fields, |h| h.lowered(at));
        move_tail(&mut out.chunks, &mut self.chunks, runs.chunks, |c| c.lowered(at));
        move_tail(&mut out.body_parts, &mut self.body_parts, runs.body_parts, |r| r.lower(at));
        std::mem::swap(&mut out.diagnostics, &mut self.diagnostics);
        self.diagnostics.clear();
        let (kept, handed): (Vec<Diagnostic>, Vec<Diagnostic>) =
            out.diagnostics.drain(..).partition(|d| d.msg_index.is_some_and(|i| i >= keep));
        out.diagnostics.extend(handed);
        out.diagnostics.sort_by_key(|d| d.start);
        self.diagnostics.extend(kept.into_iter().map(|d| Diagnostic {
            start: d.start - at,
            end: d.end - at,
            msg_index: d.msg_index.map(|i| i - keep),
            ..d
        }));
        self.pos -= at;
        self.scan = self.scan.saturating_sub(at);
        self.claimed -= runs.spans;
        self.open = self.open.map(|i| i - keep);
        at
    }

    /// Ends the stream: interprets any line cut short, reports an incomplete
    /// message, and returns the result.
    pub fn finish(mut self) -> Parse {
        self.run();
        let len = self.input.len();
        if self.pos < len {
            // Only a line cut short can be pending: bodies and dead states
            // consume everything they are given.
            let content_end = if self.input[len - 1] == b'\r' { len - 1 } else { len };
            self.line = Line::CutShort { content_end, line_end: len };
            let _ = self.read_line();
            if self.pos < len {
                // A reader that stopped has labelled the rest as unparsed;
                // this is only for safety of the span rule.
                self.push(SpanKind::Unparsed, len);
            }
        }
        self.end_of_input();
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
            chunks: self.chunks,
            body_parts: self.body_parts,
        };
        parse.diagnostics.sort_by_key(|d| d.start);
        parse
    }

    /// What the end of the input means for the message being read, or for
    /// the exchange as a whole.
    fn end_of_input(&mut self) {
        let len = self.input.len();
        let Some(m) = self.messages.last() else { return };
        let (start, complete, status) = (m.start, m.complete, m.status);
        let cut_short = match self.state {
            State::Dead => return,
            State::Body(body) => match body.at_end_of_input() {
                EndOfInput::Complete => return self.complete_message(),
                EndOfInput::CutShort(why) => why,
            },
            _ if complete => {
                // RFC 9110 §15.2: an interim response is followed by the
                // final one; a stream that ends after a 1xx never got it.
                if let Some(code @ 100..=199) = status {
                    let why = format!("the input ended after the interim response {code}; the final response to the request never came");
                    self.diag(Severity::Warning, Code::NoFinalResponse, start, len, why);
                }
                return;
            }
            State::Headers => "the input ended inside the header section, before its empty line".into(),
            State::Trailers => "the input ended inside the trailer section, before its empty line".into(),
            State::StartLine => "the input ended inside the start line".into(),
        };
        self.diag(Severity::Warning, Code::IncompleteMessage, start, len, cut_short);
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
                State::Body(body) => {
                    if let Some(take) = body.take(self.input.len() - self.pos) {
                        if take.n == 0 && take.next == Some(body) {
                            return; // nothing to take until more input arrives
                        }
                        self.push_body(take.kind, self.pos + take.n);
                        match take.next {
                            Some(next) => self.state = State::Body(next),
                            None => self.complete_message(),
                        }
                    } else if body == BodyState::ChunkDataEnd {
                        // CRLF after chunk data: decided byte by byte, no line search.
                        let line = match &self.input[self.pos..] {
                            [] | [b'\r'] => return,
                            [b'\n', ..] => Line::Complete { content_end: self.pos, line_end: self.pos + 1 },
                            [b'\r', b'\n', ..] => Line::Complete { content_end: self.pos, line_end: self.pos + 2 },
                            _ => Line::Complete { content_end: self.pos + 1, line_end: self.pos + 1 },
                        };
                        self.line = line;
                        let _ = self.chunk_data_end();
                    } else if !self.next_line_read() {
                        return;
                    }
                }
                State::StartLine | State::Headers | State::Trailers => {
                    if !self.next_line_read() {
                        return;
                    }
                }
            }
            if (self.pos, self.state) == before {
                // Every step consumes input or changes state; this is a guard
                // against a bug turning into a hang.
                return;
            }
        }
    }

    /// Reads the line at `pos`: first in one pass by its grammar (the usual
    /// case), and when that meets anything else, again once its line end is
    /// known. Returns false when the line end has not arrived yet.
    fn next_line_read(&mut self) -> bool {
        if self.scan <= self.pos {
            if self.state != State::StartLine {
                if self.open_lines() {
                    return true;
                }
            } else {
                let checkpoint = self.checkpoint();
                self.line = Line::Open;
                if self.read_line() != Err(Stop::Retry) {
                    return true;
                }
                self.rollback(checkpoint);
            }
        }
        match self.next_line() {
            Some(line) => {
                self.line = line;
                let stop = self.read_line();
                debug_assert_ne!(stop, Err(Stop::Retry), "a line with a known end never retries");
                true
            }
            None => false,
        }
    }

    /// Reads lines in one pass, one after another while they are field
    /// lines, until the section ends or a line needs its end searched for
    /// (then returns false, with that line undone).
    ///
    /// Undoing a line is cheap here: every reader but the start line's
    /// records nothing but spans before it knows its line end (a field, a
    /// chunk and any state change wait for it, and a reader never retries
    /// after), so the line's start and the number of spans are the whole
    /// checkpoint. A start line opens its message first and gets the full
    /// [`Checkpoint`].
    fn open_lines(&mut self) -> bool {
        loop {
            let (pos, spans) = (self.pos, self.spans.len());
            #[cfg(debug_assertions)]
            let before = self.checkpoint();
            self.line = Line::Open;
            if self.read_line() == Err(Stop::Retry) {
                #[cfg(debug_assertions)]
                debug_assert!(self.checkpoint().same_except_spans(&before), "a line reader changed more than spans");
                self.pos = pos;
                self.spans.truncate(spans);
                return false;
            }
            if !matches!(self.state, State::Headers | State::Trailers) {
                return true;
            }
        }
    }

    /// Reads the current line with the reader for the current state.
    fn read_line(&mut self) -> Step {
        match self.state {
            State::StartLine => self.start_line(),
            State::Headers | State::Trailers => self.field_line(),
            State::Body(BodyState::ChunkSize) => self.chunk_size_line(),
            State::Body(BodyState::ChunkDataEnd) => self.chunk_data_end(),
            // Bodies and dead states consume all input in `run`.
            State::Body(_) | State::Dead => Ok(()),
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

    fn lengths(&self) -> Lengths {
        Lengths {
            spans: self.spans.len(),
            fields: self.fields.len(),
            chunks: self.chunks.len(),
            body_parts: self.body_parts.len(),
        }
    }

    /// The lengths now, for a message whose spans start at `first_span`.
    fn lengths_from(&self, first_span: usize) -> Lengths {
        Lengths { spans: first_span, ..self.lengths() }
    }

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            pos: self.pos,
            lengths: self.lengths(),
            messages: self.messages.len(),
            diagnostics: self.diagnostics.len(),
            state: self.state,
            open: self.open,
            closing: self.closing,
        }
    }

    /// Undoes what a line reader recorded since `c`. Readers only append to
    /// the vectors (they change a message's runs only once the line end is
    /// known, and then never retry), so truncating them is enough.
    fn rollback(&mut self, c: Checkpoint) {
        self.pos = c.pos;
        self.spans.truncate(c.lengths.spans);
        self.fields.truncate(c.lengths.fields);
        self.chunks.truncate(c.lengths.chunks);
        self.body_parts.truncate(c.lengths.body_parts);
        self.messages.truncate(c.messages);
        self.diagnostics.truncate(c.diagnostics);
        self.state = c.state;
        self.open = c.open;
        self.closing = c.closing;
    }

    // ---- recording -------------------------------------------------------

    /// Labels `pos..end` as `kind`, merging with the previous span when a
    /// body, chunk-data or unparsed run simply continues.
    #[inline(always)]
    fn push(&mut self, kind: SpanKind, end: usize) {
        if end <= self.pos {
            return;
        }
        // Offsets fit: feed() never takes more than MAX_INPUT bytes.
        let end32 = end as u32;
        let continues = matches!(kind, SpanKind::Body | SpanKind::ChunkData | SpanKind::Unparsed)
            && self.spans.len() > self.claimed
            && self.spans.last_kind() == Some(kind);
        if continues {
            self.spans.extend_last(end32);
        } else {
            self.spans.push(end32, kind);
        }
        self.pos = end;
    }

    /// Labels `pos..end` as body bytes of the open message, extending its
    /// body range (and its current chunk's data).
    fn push_body(&mut self, kind: SpanKind, end: usize) {
        if end <= self.pos {
            return;
        }
        let start = self.pos;
        self.push(kind, end);
        let Some(m) = self.messages.last_mut() else { return };
        match self.body_parts.last_mut() {
            Some(r) if !m.body.is_empty() && r.end as usize == start => r.end = end as u32,
            _ => {
                self.body_parts.push(Range::new(start, end));
                m.body.end = self.body_parts.len() as u32;
            }
        }
        if kind == SpanKind::ChunkData {
            if let Some(chunk) = self.chunks.last_mut() {
                chunk.data.end = end as u32;
                chunk.end = end as u32;
            }
        }
    }

    /// Labels the current line's end as `kind`.
    #[inline(always)]
    fn push_line_end(&mut self, kind: SpanKind) {
        let (content_end, line_end) = (self.line.content_end(), self.line.line_end());
        if !self.line.cut_short() && line_end - content_end == 1 {
            self.bare_lf(content_end, line_end);
        }
        self.push(kind, line_end);
    }

    /// A line ended by LF alone. RFC 9112 §2.2 lets a recipient accept that
    /// for the start line and field lines; the chunked framing of §7.1 has
    /// CRLF only.
    #[cold]
    #[inline(never)]
    fn bare_lf(&mut self, start: usize, end: usize) {
        if matches!(self.state, State::Body(BodyState::ChunkSize | BodyState::ChunkDataEnd)) {
            let why = "this chunk line ends with a bare LF; the chunked framing allows CR LF only".into();
            self.diag(Severity::Error, Code::ChunkedBareLf, start, end, why);
        } else {
            let why = "this line ends with a bare LF; HTTP/1.1 lines end with CR LF".into();
            self.diag(Severity::Warning, Code::BareLf, start, end, why);
        }
    }

    #[cold]
    #[inline(never)]
    fn diag(&mut self, severity: Severity, code: Code, start: usize, end: usize, message: String) {
        let msg_index = Some(self.open.unwrap_or(self.messages.len()));
        self.diagnostics.push(Diagnostic { severity, code, message, start, end, msg_index });
    }

    /// Records an unrecoverable error at `at..end`, labels everything from
    /// `pos` on as unparsed, and stops the line reader. A line read in one
    /// pass retries instead: the error's range needs the line end.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, code: Code, at: usize, end: usize, message: String) -> Step {
        if self.line == Line::Open {
            return Err(Stop::Retry);
        }
        let end = end.max(at + 1).min(self.input.len().max(at));
        self.diag(Severity::Error, code, at, end, message);
        self.state = State::Dead;
        let len = self.input.len();
        self.push(SpanKind::Unparsed, len);
        Err(Stop::Failed)
    }

    /// Fails at the byte `at`, naming it in the message.
    #[cold]
    #[inline(never)]
    fn fail_byte(&mut self, code: Code, at: usize, what: &str) -> Step {
        if self.line == Line::Open {
            return Err(Stop::Retry);
        }
        let shown = describe_byte(self.input[at]);
        self.fail(code, at, at + 1, format!("{shown} {what}"))
    }

    /// The line ended early: fine if the input was cut short, an error if not.
    #[cold]
    #[inline(never)]
    fn cut_or_fail(&mut self, code: Code, message: &str) -> Step {
        if self.line.cut_short() {
            return Ok(());
        }
        let (at, end) = (self.line.content_end(), self.line.line_end());
        self.fail(code, at, end, message.into())
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

    fn last_mut(&mut self) -> &mut Message {
        self.messages.last_mut().expect("a message is open in this state")
    }
}

/// Moves `own` to `out` but for its elements from `from` on, which stay in
/// `own`, changed by `lower`: the bulk changes hands without a copy.
fn move_tail<T: Copy>(out: &mut Vec<T>, own: &mut Vec<T>, from: usize, lower: impl Fn(T) -> T) {
    std::mem::swap(out, own);
    own.clear();
    own.extend(out[from..].iter().map(|&x| lower(x)));
    out.truncate(from);
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
    // A head has a span every six bytes or so, a field line every 30 and a
    // message (with a body part) every 250 or more; bodies need none.
    // Reserving for the head-heavy case saves the copies of growing vectors.
    p.spans.reserve((input.len() / 6).min(1 << 20));
    p.fields.reserve((input.len() / 30).min(1 << 17));
    p.messages.reserve((input.len() / 250).min(1 << 14));
    p.body_parts.reserve((input.len() / 250).min(1 << 14));
    // (On wasm32 no vector can be longer: there this is never more than 0.)
    let extra = input.len().saturating_sub(MAX_INPUT);
    if extra > 0 {
        p.dropped = extra as u64;
        input.truncate(MAX_INPUT);
    }
    p.input = input;
    p.run();
    *out = p.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &Parse, m: &Message) -> (String, Vec<(String, String)>, Vec<u8>) {
        let headers = p.headers(m).iter().map(|h| (p.text(h.name), p.text(h.value))).collect();
        (p.text(m.target.or(m.reason).unwrap_or_default()), headers, p.body(m))
    }

    #[test]
    fn a_body_of_known_length_gets_its_room_once_and_a_lying_one_at_most_the_cap() {
        let mut p = Parser::new(MessageKind::Response, Options::default());
        p.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nab");
        p.feed(b"cd");
        let room = p.input.capacity();
        assert!(room >= 1_000_000, "{room}");
        for _ in 0..100 {
            p.feed(&[b'x'; 4096]);
        }
        assert_eq!(p.input.capacity(), room, "no copy while the body arrives");
        let mut liar = Parser::new(MessageKind::Response, Options::default());
        liar.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 999999999999999\r\n\r\n");
        liar.feed(b"ab");
        assert!(liar.input.capacity() <= 2 * RESERVE_MAX);
    }

    #[test]
    fn drain_hands_over_complete_messages_and_keeps_the_open_one() {
        let mut p = Parser::new(MessageKind::Request, Options::default());
        let mut done = Parse::default();
        p.feed(b"GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhe");
        assert_eq!(p.drain(&mut done), 28);
        assert_eq!(done.input, b"GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
        assert_eq!(done.messages.len(), 1);
        assert_eq!(texts(&done, &done.messages[0]), ("/a".into(), vec![("Host".into(), "a".into())], vec![]));
        assert_eq!(done.spans.last().map(|s| s.end), Some(28));
        assert_eq!(p.drain(&mut done), 0, "the open message stays");
        p.feed(b"llo");
        let rest = p.finish();
        assert_eq!(rest.messages.len(), 1);
        let m = &rest.messages[0];
        assert_eq!(texts(&rest, m), ("/b".into(), vec![("Content-Length".into(), "5".into())], b"hello".to_vec()));
        assert_eq!((m.start, m.end, m.spans.start, m.complete), (0, rest.input.len(), 0, true));
        assert_eq!(rest.spans.get(0).start, 0);
    }

    #[test]
    fn an_interim_response_stays_until_something_follows_it() {
        let mut p = Parser::new(MessageKind::Response, Options::default());
        let mut done = Parse::default();
        p.feed(b"HTTP/1.1 100 Continue\r\n\r\n");
        assert_eq!(p.drain(&mut done), 0);
        let alone = p.clone().finish();
        assert_eq!(alone.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::NoFinalResponse]);
        p.feed(b"HTTP/1.1 204 No Content\r\n\r\n");
        assert_eq!(p.drain(&mut done), 52);
        assert_eq!(done.messages.iter().map(|m| m.status).collect::<Vec<_>>(), [Some(100), Some(204)]);
        assert!(done.diagnostics.is_empty());
    }

    #[test]
    fn the_open_message_keeps_its_diagnostics_at_its_new_offsets() {
        let mut p = Parser::new(MessageKind::Request, Options::default());
        let mut done = Parse::default();
        p.feed(b"GET /a HTTP/1.1\nHost: a\n\nGET /b HTTP/1.1\nHost: x");
        assert_eq!(p.drain(&mut done), 25);
        let handed: Vec<_> = done.diagnostics.iter().map(|d| (d.code, d.start, d.msg_index)).collect();
        assert_eq!(handed, [(Code::BareLf, 15, Some(0)), (Code::BareLf, 23, Some(0)), (Code::BareLf, 24, Some(0))]);
        let rest = p.finish();
        let found: Vec<_> = rest.diagnostics.iter().map(|d| (d.code, d.start, d.msg_index)).collect();
        assert_eq!(found, [(Code::IncompleteMessage, 0, Some(0)), (Code::BareLf, 15, Some(0))]);
    }

    #[test]
    fn an_unfinished_head_is_measured_from_its_message_start_and_a_body_is_not() {
        let mut p = Parser::new(MessageKind::Request, Options::default());
        p.feed(b"\r\nGET / HTTP/1.1\r\nHost: a\r\nX-Long: abc");
        assert_eq!(p.unfinished_head(), p.len(), "the empty line before it counts too");
        p.feed(b"\r\nContent-Length: 5\r\n\r\nhel");
        assert_eq!(p.unfinished_head(), 0, "a body is not a head");
        p.feed(b"loGET /b HT");
        assert_eq!(p.unfinished_head(), 9, "the next message's start line");
        assert!(!p.is_stopped());
        p.feed(b"\0TP/1.1\r\n");
        assert!(p.is_stopped(), "an unrecoverable error");
        assert_eq!(p.unfinished_head(), 0);
    }

    #[test]
    fn an_unfinished_trailer_section_is_measured_from_its_own_start() {
        let mut p = Parser::new(MessageKind::Request, Options::default());
        p.feed(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        p.feed(b"a\r\n0123456789\r\n0\r\nX-Sum: 12");
        assert_eq!(p.unfinished_head(), b"X-Sum: 12".len(), "the chunked body before it is not a head");
        p.feed(b"\r\n\r\n");
        assert_eq!(p.unfinished_head(), 0);
    }
}
