//! The line readers: start lines, field lines and chunk-size lines, each
//! read by its grammar.
//!
//! There is one reader per kind of line, and it runs in one of two ways.
//! Usually the line end is not searched for first ([`Line::Open`]): every
//! byte class the grammar scans with excludes CR and LF, so each scan stops
//! at the first line end, and the reader checks there whether the line ends
//! ([`Parser::at_content_end`]). When it meets anything else — a bad byte,
//! a bare CR, the end of the input — it asks to retry: what it recorded is
//! undone, the line end is searched for, and the same reader reads the line
//! again knowing where it ends ([`Line::Complete`]). Since a scan stops at
//! the first CR or LF either way, the position where an open read finds its
//! line end is exactly the line's content end, so both ways give the same
//! spans and diagnostics (tests/span_rule.rs checks it on odd lines fed byte
//! by byte, which always takes the second way).

use super::grammar::{
    check_chunk_ext, parse_decimal, parse_hex, swar, DIGIT, FIELD_VCHAR_OR_WS, HEXDIG, REGISTERED_METHODS, TARGET,
    TCHAR, WS,
};
use super::{BodyState, Parser, State, Step, Stop};
use crate::diag::{Code, Severity};
use crate::parse::{Chunk, Header, Message, MessageKind};
use crate::span::{Range, SpanKind};

/// The line being read, and what is known of its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Line {
    /// Not searched for: the reader finds the end by its grammar, or retries.
    Open,
    /// `content_end..line_end` is the line end (CRLF or bare LF).
    Complete { content_end: usize, line_end: usize },
    /// The input ended inside this line (only at [`Parser::finish`]).
    CutShort { content_end: usize, line_end: usize },
}

impl Line {
    pub(super) fn content_end(self) -> usize {
        match self {
            Line::Complete { content_end, .. } | Line::CutShort { content_end, .. } => content_end,
            Line::Open => unreachable!("an open line's end is found before it is asked for"),
        }
    }

    pub(super) fn line_end(self) -> usize {
        match self {
            Line::Complete { line_end, .. } | Line::CutShort { line_end, .. } => line_end,
            Line::Open => unreachable!("an open line's end is found before it is asked for"),
        }
    }

    pub(super) fn cut_short(self) -> bool {
        matches!(self, Line::CutShort { .. })
    }
}

impl Parser {
    // ---- the line end ----------------------------------------------------

    /// How far the scans of this line may go: its content end when known,
    /// else the end of the input (a scan stops at the first CR or LF anyway).
    fn limit(&self) -> usize {
        match self.line {
            Line::Open => self.input.len(),
            line => line.content_end(),
        }
    }

    /// Whether the line's content ends at `at`. An open line learns its end
    /// here when CRLF or LF follows; a bare CR or the end of the input at
    /// `at` means the end must be searched for: retry.
    pub(super) fn at_content_end(&mut self, at: usize) -> Result<bool, Stop> {
        if self.line != Line::Open {
            return Ok(at == self.line.content_end());
        }
        match &self.input[at..] {
            [b'\r', b'\n', ..] => self.line = Line::Complete { content_end: at, line_end: at + 2 },
            [b'\n', ..] => self.line = Line::Complete { content_end: at, line_end: at + 1 },
            [] | [b'\r', ..] => return Err(Stop::Retry),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The line's content end, for the unusual paths that need it first.
    fn known_end(&self) -> Result<usize, Stop> {
        match self.line {
            Line::Open => Err(Stop::Retry),
            line => Ok(line.content_end()),
        }
    }

    // ---- start lines -----------------------------------------------------

    /// `start-line = request-line / status-line` (RFC 9112 §2.1), or an
    /// empty line before it.
    pub(super) fn start_line(&mut self) -> Step {
        if self.at_content_end(self.pos)? {
            return self.empty_line_before_start();
        }
        let start = self.pos;
        self.open = Some(self.messages.len());
        self.messages.push(Message::new(self.kind, start, self.lengths_from(self.claimed)));
        let after_close = std::mem::take(&mut self.closing);
        let diagnostics = self.diagnostics.len();
        let read = match self.kind {
            MessageKind::Request => self.request_line(),
            MessageKind::Response => self.status_line(),
        };
        if after_close && read != Err(Stop::Retry) {
            let end = self.line.content_end();
            let why = "another message follows one after which the connection was to be closed".into();
            self.diag(Severity::Warning, Code::DataAfterClose, start, end, why);
            // In order: before whatever the line's own reading found.
            let d = self.diagnostics.pop().expect("just pushed");
            self.diagnostics.insert(diagnostics, d);
        }
        read?;
        self.push_line_end(SpanKind::Crlf);
        if !self.line.cut_short() {
            self.state = State::Headers;
        }
        Ok(())
    }

    /// RFC 9112 §2.2: a server SHOULD ignore at least one empty line received
    /// before the request-line. No such allowance exists for a client
    /// reading responses: there a line end between responses is stray.
    #[cold]
    #[inline(never)]
    fn empty_line_before_start(&mut self) -> Step {
        let (start, end) = (self.pos, self.line.line_end());
        let (code, why) = match self.kind {
            MessageKind::Request => (
                Code::LeadingEmptyLine,
                "an empty line before the start line; recipients ignore it, but a sender must not send it",
            ),
            MessageKind::Response => (
                Code::StrayLineEnd,
                "a line end where a status line belongs: the previous response was over, so these bytes are not part of it, and the leniency servers give empty lines before a request does not apply to responses",
            ),
        };
        self.diag(Severity::Warning, code, start, end, why.into());
        self.push_line_end(SpanKind::Crlf);
        Ok(())
    }

    /// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3).
    fn request_line(&mut self) -> Step {
        let method_end = self.scan_class(self.pos, self.limit(), &TCHAR);
        if method_end == self.pos {
            return self.fail_byte(
                Code::InvalidMethod,
                self.pos,
                "a request line starts with a method, a token such as GET",
            );
        }
        let ends_here = self.at_content_end(method_end)?;
        if !ends_here && !REGISTERED_METHODS.contains(&&self.input[self.pos..method_end]) {
            self.unregistered_method(method_end);
        }
        let method = Range::new(self.pos, method_end);
        self.push(SpanKind::Method, method_end);
        self.last_mut().method = Some(method);
        if ends_here {
            return self.cut_or_fail(Code::InvalidRequestTarget, "the request line ends after the method; a space, the request target, a space and the HTTP version must follow");
        }
        self.single_sp(Code::InvalidMethod, "is not allowed in a method")?;
        if self.at_content_end(self.pos)? {
            return self.cut_or_fail(Code::InvalidRequestTarget, "the request line ends before the request target");
        }
        let target_end = self.scan_words(self.pos, self.limit(), &TARGET, swar::not_visible_ascii);
        if target_end == self.pos {
            return self.fail_byte(Code::InvalidRequestTarget, self.pos, "is not allowed in a request target");
        }
        let target = Range::new(self.pos, target_end);
        self.push(SpanKind::RequestTarget, target_end);
        self.last_mut().target = Some(target);
        if self.at_content_end(self.pos)? {
            return self.cut_or_fail(
                Code::InvalidVersion,
                "the request line has no HTTP version (an HTTP/0.9 request); HTTP/1.x requests end with SP HTTP/1.1",
            );
        }
        self.single_sp(Code::InvalidRequestTarget, "is not allowed in a request target")?;
        self.version()?;
        if !self.at_content_end(self.pos)? {
            return self.fail_byte(
                Code::InvalidVersion,
                self.pos,
                "follows the HTTP version; the request line must end right after it",
            );
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn unregistered_method(&mut self, method_end: usize) {
        let name = crate::parse::latin1(&self.input[self.pos..method_end]);
        let why = format!("{name} is not a registered HTTP method; methods are case-sensitive, and servers answer unknown ones with 501");
        self.diag(Severity::Info, Code::UnregisteredMethod, self.pos, method_end, why);
    }

    /// `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4).
    fn status_line(&mut self) -> Step {
        self.version()?;
        if self.at_content_end(self.pos)? {
            return self.cut_or_fail(
                Code::InvalidStatusCode,
                "the status line ends after the HTTP version; a space and a three-digit status code must follow",
            );
        }
        self.single_sp(Code::InvalidVersion, "follows the HTTP version where a space belongs")?;
        let digits_end = self.scan_class(self.pos, self.limit(), &DIGIT);
        let n = digits_end - self.pos;
        if n < 3 && self.line.cut_short() && digits_end == self.line.content_end() {
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
            let why = format!("status code {code:03} is below 100; valid codes are 100 to 599");
            return self.fail(Code::InvalidStatusCode, start, digits_end, why);
        }
        let digits = Range::new(self.pos, digits_end);
        self.push(SpanKind::StatusCode, digits_end);
        let m = self.last_mut();
        m.status = Some(code);
        m.status_code = Some(digits);
        if self.at_content_end(self.pos)? {
            if !self.line.cut_short() {
                let (end, line_end) = (self.line.content_end(), self.line.line_end());
                self.diag(
                    Severity::Warning,
                    Code::MissingReasonSpace,
                    end,
                    line_end,
                    "the status line ends right after the status code; the grammar wants a space there even when the reason phrase is empty".into(),
                );
            }
            return Ok(());
        }
        if self.input[self.pos] != b' ' {
            return self.fail_byte(Code::InvalidStatusCode, self.pos, "follows the status code where a space belongs");
        }
        self.push(SpanKind::Sp, self.pos + 1);
        let reason_end = self.scan_words(self.pos, self.limit(), &FIELD_VCHAR_OR_WS, swar::not_field_text);
        if reason_end > self.pos {
            self.last_mut().reason = Some(Range::new(self.pos, reason_end));
            self.push(SpanKind::ReasonPhrase, reason_end);
        }
        if !self.at_content_end(reason_end)? {
            return self.fail_byte(Code::InvalidReasonPhrase, reason_end, "is not allowed in a reason phrase");
        }
        Ok(())
    }

    /// `HTTP-version = "HTTP" "/" DIGIT "." DIGIT` (RFC 9112 §2.3).
    fn version(&mut self) -> Step {
        const SHAPE: &[u8] = b"HTTP/0.0";
        let start = self.pos;
        let limit = self.limit();
        let matched = self.input[start..limit]
            .iter()
            .zip(SHAPE)
            .take_while(|(&b, &s)| if s == b'0' { b.is_ascii_digit() } else { b == s })
            .count();
        let version_end = start + SHAPE.len();
        let whole = matched == SHAPE.len() && (self.at_content_end(version_end)? || self.input[version_end] == b' ');
        if !whole {
            if self.line.cut_short() && matched == limit - start {
                let end = self.line.content_end();
                self.push(SpanKind::HttpVersion, end);
                return Ok(());
            }
            let end = self.known_end()?;
            if let Some(status) = self.bodiless {
                return self.content_after_bodiless(status, start, end);
            }
            return self.fail(
                Code::InvalidVersion,
                start,
                end.min(version_end).max(start + 1),
                "expected an HTTP version of the form HTTP/1.1 (upper case, one digit each side of the dot)".into(),
            );
        }
        let (major, minor) = (self.input[start + 5] - b'0', self.input[start + 7] - b'0');
        if major != 1 {
            let why =
                format!("HTTP/{major}.{minor} is not HTTP/1.x; this parser reads HTTP/1.0 and HTTP/1.1 messages only");
            return self.fail(Code::UnsupportedVersion, start, version_end, why);
        }
        self.push(SpanKind::HttpVersion, version_end);
        self.last_mut().version = Some(Range::new(start, version_end));
        if minor > 1 {
            let why = format!(
                "HTTP/1.{minor} does not exist; a recipient treats it as HTTP/1.1, the highest 1.x version it knows"
            );
            self.diag(Severity::Warning, Code::UnsupportedVersion, start, version_end, why);
        }
        Ok(())
    }

    /// Bytes that are no status line right after a response that ends at
    /// its empty line (RFC 9112 §6.3): most likely a body the server sent
    /// where none may be, which a client reads as the next response.
    #[cold]
    #[inline(never)]
    fn content_after_bodiless(&mut self, status: u16, start: usize, end: usize) -> Step {
        let what = match status {
            100..=199 | 204 | 304 => format!("a {status} response, which never has content"),
            _ => "a response to HEAD, which never has content".into(),
        };
        let why = format!("these bytes follow {what}: that response ended at its empty line, so a client reads them as the next response's status line, and they are not one; the server sent content it must not send");
        self.fail(Code::ContentOnBodilessResponse, start, end, why)
    }

    // ---- field lines -----------------------------------------------------

    /// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5), or
    /// the empty line that ends the section.
    pub(super) fn field_line(&mut self) -> Step {
        if self.at_content_end(self.pos)? {
            self.push_line_end(SpanKind::EmptyLine);
            if !self.line.cut_short() {
                self.section_complete();
            }
            return Ok(());
        }
        let first = self.input[self.pos];
        if first == b' ' || first == b'\t' {
            self.known_end()?;
            return self.folded_line();
        }
        let name_end = self.scan_class(self.pos, self.limit(), &TCHAR);
        let name = Range::new(self.pos, name_end);
        if self.at_content_end(name_end)? {
            if self.line.cut_short() {
                self.push(SpanKind::HeaderName, name_end);
                self.push_line_end(SpanKind::Crlf);
                return Ok(());
            }
            let (at, end) = (self.pos, self.line.content_end());
            return self.fail(
                Code::MissingColon,
                at,
                end,
                "this field line has no colon; a field line is name, colon, value".into(),
            );
        }
        if self.input[name_end] != b':' || name.is_empty() {
            return self.bad_field_name(name, name_end);
        }
        self.push(SpanKind::HeaderName, name_end);
        self.push(SpanKind::Colon, name_end + 1);
        let ows_end = self.scan_class(self.pos, self.limit(), &WS);
        self.push(SpanKind::Ows, ows_end);
        let value = self.field_value()?;
        self.push_line_end(SpanKind::Crlf);
        self.record_field(Header { name, value, line_end: self.pos as u32 });
        Ok(())
    }

    /// A field name that is empty or not followed by a colon.
    #[cold]
    #[inline(never)]
    fn bad_field_name(&mut self, name: Range, name_end: usize) -> Step {
        let end = self.known_end()?;
        if name.is_empty() && self.input[name_end] == b':' {
            let why = "this field line has an empty field name".into();
            return self.fail(Code::InvalidHeaderName, self.pos, name_end + 1, why);
        }
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
        self.fail_byte(Code::InvalidHeaderName, name_end, "is not allowed in a field name")
    }

    /// Adds a field line to the open message's headers, or to its trailers
    /// after the last chunk.
    #[inline(always)]
    fn record_field(&mut self, header: Header) {
        self.fields.push(header);
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
            self.last_mut().head_end = Some(self.pos as u32);
            self.head_complete();
        }
    }

    /// A line that starts with whitespace continues the previous field value
    /// (`obs-fold`, RFC 9112 §5.2). Read only with the line end known.
    #[cold]
    #[inline(never)]
    fn folded_line(&mut self) -> Step {
        let end = self.line.content_end();
        let trailers = self.state == State::Trailers;
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
        let value = self.field_value()?;
        self.push_line_end(SpanKind::Crlf);
        // The open message's fields are the last recorded: the fold
        // continues the last of them.
        let line_end = self.pos as u32;
        if let Some(h) = self.fields.last_mut() {
            if !value.is_empty() {
                if h.value.is_empty() {
                    h.value = value;
                } else {
                    h.value.end = value.end;
                }
            }
            h.line_end = line_end;
        }
        Ok(())
    }

    /// Labels a field value and its trailing whitespace up to the line end.
    #[inline(always)]
    fn field_value(&mut self) -> Result<Range, Stop> {
        let value_end = self.scan_words(self.pos, self.limit(), &FIELD_VCHAR_OR_WS, swar::not_field_text);
        if !self.at_content_end(value_end)? {
            let trimmed = self.trim_ws_end(self.pos, value_end);
            self.push(SpanKind::HeaderValue, trimmed);
            self.push(SpanKind::Ows, value_end);
            let code = if self.input[value_end] == b'\r' { Code::BareCr } else { Code::InvalidHeaderValue };
            self.fail_byte(code, value_end, "is not allowed in a field value")?;
        }
        let trimmed = self.trim_ws_end(self.pos, value_end);
        let value = Range::new(self.pos, trimmed);
        self.push(SpanKind::HeaderValue, trimmed);
        self.push(SpanKind::Ows, value_end);
        Ok(value)
    }

    // ---- chunked bodies --------------------------------------------------

    /// `chunk-size [ chunk-ext ] CRLF` or `last-chunk` (RFC 9112 §7.1).
    pub(super) fn chunk_size_line(&mut self) -> Step {
        let digits_end = self.scan_class(self.pos, self.limit(), &HEXDIG);
        if digits_end == self.pos {
            if self.line.cut_short() && self.line.content_end() == self.pos {
                self.push_line_end(SpanKind::Crlf);
                return Ok(());
            }
            return self.fail_byte(
                Code::InvalidChunkSize,
                self.pos,
                "is where a chunk size (hexadecimal digits) belongs",
            );
        }
        let digits = Range::new(self.pos, digits_end);
        let Some(size) = parse_hex(&self.input[self.pos..digits_end]) else {
            let start = self.pos;
            return self.fail(
                Code::InvalidChunkSize,
                start,
                digits_end,
                "this chunk size does not fit in 64 bits".into(),
            );
        };
        let ends_here = self.at_content_end(digits_end)?;
        self.push(if size == 0 { SpanKind::LastChunk } else { SpanKind::ChunkSize }, digits_end);
        let mut ext = Range::new(digits_end, digits_end);
        if !ends_here {
            let end = self.known_end()?;
            self.chunk_ext(end)?;
            ext = Range::new(digits_end, end);
        }
        self.push_line_end(SpanKind::Crlf);
        if self.line.cut_short() {
            return Ok(());
        }
        let end = self.pos as u32;
        self.chunks.push(Chunk { size, size_digits: digits, ext, data: Range::new(self.pos, self.pos), end });
        let m = self.last_mut();
        m.chunks.end += 1;
        if size == 0 {
            let fields = self.fields.len();
            self.last_mut().trailers = Range::new(fields, fields);
            self.state = State::Trailers;
        } else {
            self.state = State::Body(BodyState::ChunkData { remaining: size });
        }
        Ok(())
    }

    /// The chunk extensions after a chunk size, up to `end`.
    #[cold]
    #[inline(never)]
    fn chunk_ext(&mut self, end: usize) -> Step {
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
            if self.line.cut_short() && at == end {
                self.push(SpanKind::ChunkExt, end);
                return Ok(());
            }
            return self.fail_byte(
                Code::InvalidChunkExt,
                at,
                "breaks the chunk extension grammar ;name or ;name=value",
            );
        }
        self.push(SpanKind::ChunkExt, end);
        Ok(())
    }

    /// The CRLF that ends a chunk's data.
    pub(super) fn chunk_data_end(&mut self) -> Step {
        if self.line.content_end() > self.pos {
            return self.fail_byte(
                Code::MissingChunkCrlf,
                self.pos,
                "follows a chunk's data where CRLF belongs: the chunk is longer than its size says",
            );
        }
        self.push_line_end(SpanKind::Crlf);
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.end = self.pos as u32;
        }
        if !self.line.cut_short() {
            self.state = State::Body(BodyState::ChunkSize);
        }
        Ok(())
    }

    // ---- scanning --------------------------------------------------------

    fn scan_class(&self, from: usize, end: usize, class: &[bool; 256]) -> usize {
        self.input[from..end].iter().position(|&b| !class[b as usize]).map_or(end, |i| from + i)
    }

    /// Like [`Parser::scan_class`], but skips eight bytes at a time while
    /// `outside` marks none of them, and goes on with the byte table from
    /// the first byte it marks (the long runs are field values and targets,
    /// where this is what keeps up with httparse).
    fn scan_words(&self, from: usize, end: usize, class: &[bool; 256], outside: fn(u64) -> u64) -> usize {
        let mut at = from;
        for w in self.input[from..end].chunks_exact(8) {
            if let Some(i) = swar::first_marked(outside(u64::from_le_bytes(w.try_into().unwrap()))) {
                at += i;
                break;
            }
            at += 8;
        }
        self.scan_class(at, end, class)
    }

    #[inline(always)]
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
        if self.input.get(self.pos) == Some(&b' ') {
            let start = self.pos;
            let why = "more than one space between the parts of the start line".into();
            return self.fail(Code::ExtraWhitespace, start, start + 1, why);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, MessageKind, Options, Parser, SpanKind};

    fn fed(kind: MessageKind, pieces: &[&[u8]]) -> Parser {
        let mut p = Parser::new(kind, Options::default());
        for piece in pieces {
            p.feed(piece);
        }
        p
    }

    #[test]
    fn a_line_without_its_end_leaves_no_trace() {
        // The open read reaches the end of the input, retries, and waits:
        // nothing of the line is recorded until its LF arrives.
        let p = fed(MessageKind::Response, &[b"HTTP/1.1 200 O"]);
        assert_eq!((p.spans().len(), p.covered(), p.messages().len()), (0, 0, 0));
        let p = fed(MessageKind::Response, &[b"HTTP/1.1 200 O", b"K\r\n"]);
        let kinds: Vec<_> = p.spans().kinds().to_vec();
        use SpanKind::*;
        assert_eq!(kinds, [HttpVersion, Sp, StatusCode, Sp, ReasonPhrase, Crlf]);
        assert_eq!(p.messages()[0].status, Some(200));
    }

    #[test]
    fn an_open_read_finds_the_content_end_where_the_grammar_stops() {
        let p = fed(MessageKind::Response, &[b"HTTP/1.1 204 No Content\n\n"]);
        let bare: Vec<_> =
            p.diagnostics().iter().filter(|d| d.code == Code::BareLf).map(|d| (d.start, d.end)).collect();
        assert_eq!(bare, [(23, 24), (24, 25)]);
        assert!(p.messages()[0].complete);
    }

    #[test]
    fn a_bare_cr_sends_the_line_to_the_careful_read() {
        let p = fed(MessageKind::Request, &[b"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"]);
        let d = &p.diagnostics()[0];
        assert_eq!((d.code, d.start), (Code::BareCr, 20));
        assert_eq!(p.spans().last().unwrap().kind, SpanKind::Unparsed);
    }

    #[test]
    fn a_field_line_knows_its_whole_line_and_a_fold_extends_it() {
        let p = fed(MessageKind::Request, &[b"GET / HTTP/1.1\r\nX: one\r\n two\r\nHost: a\r\n\r\n"]);
        let lines: Vec<_> = p.fields().iter().map(|h| (h.line().start, h.line().end)).collect();
        assert_eq!(lines, [(16, 30), (30, 39)]);
    }

    #[test]
    fn a_chunk_records_its_size_extension_data_and_end() {
        let p = fed(
            MessageKind::Response,
            &[b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\n\r\n"],
        );
        let c = p.chunks()[0];
        assert_eq!((c.size, c.ext.start, c.ext.end, c.data.start, c.data.end, c.end), (3, 48, 50, 52, 55, 57));
        assert!(p.chunks()[1].is_last());
    }
}
