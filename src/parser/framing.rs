//! The framing decision: once a header section has ended, how is the body
//! framed (RFC 9112 §6.3), does the connection stay open (§9.3), and does
//! it stop carrying HTTP (101, CONNECT)?

use super::grammar::{list_items, name_is, parse_decimal};
use super::{BodyState, Parser, State};
use crate::diag::{Code, Severity};
use crate::parse::{Framing, Header, MessageKind};
use crate::span::SpanKind;

/// What the framing decision needs from a header section.
#[derive(Debug, Default, PartialEq, Eq)]
struct HeadFacts {
    host_count: usize,
    content_length: Option<u64>,
    content_length_invalid: bool,
    content_length_conflict: bool,
    content_length_repeated: bool,
    transfer_encoding: Option<TransferEncoding>,
    /// A Content-Encoding field is present.
    content_coding: bool,
    /// Content-Type names a media type that is not text (see [`binary_media`]).
    binary_media: bool,
    close: bool,
    keep_alive: bool,
    /// Fields that some status codes require (RFC 9110 §15).
    www_authenticate: bool,
    allow: bool,
    content_range: bool,
    location: bool,
    /// Content-Type is multipart/byteranges (a 206 with several parts).
    byteranges: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct TransferEncoding {
    chunked_count: usize,
    last_is_chunked: bool,
    /// A coding this parser does not know, `identity` included: it was
    /// removed from the registry (RFC 7230 §8.4.2, kept so in RFC 9112 §7).
    unknown: Option<String>,
}

/// The transfer codings of the registry (RFC 9112 §7).
const TRANSFER_CODINGS: &[&[u8]] = &[b"chunked", b"compress", b"deflate", b"gzip", b"x-compress", b"x-gzip"];

/// Whether a Content-Type value names content that is bytes rather than
/// text (RFC 9110 §8.3.1: `media-type = type "/" subtype parameters`):
/// `image`, `audio`, `video`, `font` and `model` types, and `application`
/// ones but for those written in text (JSON, XML, JavaScript, forms, and
/// any `+json` or `+xml` suffix: `image/svg+xml` is text). `text/*`,
/// `multipart/*` (its boundaries are text) and `message/*` are text; so is
/// a value that is not a media type.
fn binary_media(value: &[u8]) -> bool {
    let essence = value.split(|&b| b == b';').next().unwrap_or_default().trim_ascii();
    let Some(slash) = essence.iter().position(|&b| b == b'/') else { return false };
    let (kind, sub) = essence.split_at(slash);
    let sub = &sub[1..];
    let is = |s: &[u8], lower: &[u8]| s.eq_ignore_ascii_case(lower);
    let ends = |suffix: &[u8]| sub.len() >= suffix.len() && is(&sub[sub.len() - suffix.len()..], suffix);
    if ends(b"+json") || ends(b"+xml") {
        return false;
    }
    const TEXT_APPLICATIONS: [&[u8]; 6] =
        [b"json", b"xml", b"javascript", b"ecmascript", b"x-www-form-urlencoded", b"yaml"];
    const BINARY_TYPES: [&[u8]; 5] = [b"image", b"audio", b"video", b"font", b"model"];
    if is(kind, b"application") {
        return !TEXT_APPLICATIONS.iter().any(|t| is(sub, t));
    }
    BINARY_TYPES.iter().any(|t| is(kind, t))
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
                5 if is(b"allow") => facts.allow = true,
                8 if is(b"location") => facts.location = true,
                12 if is(b"content-type") => {
                    facts.byteranges |= value.len() >= 20 && value[..20].eq_ignore_ascii_case(b"multipart/byteranges");
                    facts.binary_media = binary_media(value);
                }
                13 if is(b"content-range") => facts.content_range = true,
                16 if is(b"www-authenticate") => facts.www_authenticate = true,
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
            let known = |c: &[u8]| TRANSFER_CODINGS.iter().any(|k| c.eq_ignore_ascii_case(k));
            facts.transfer_encoding = Some(TransferEncoding {
                chunked_count: codings.iter().filter(|c| is_chunked(c)).count(),
                last_is_chunked: codings.last().is_some_and(|c| is_chunked(c)),
                unknown: codings.iter().find(|c| !known(c)).map(|c| crate::parse::latin1(c)),
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

    /// Content-Length or Transfer-Encoding is present, valid or not.
    fn has_framing_field(&self) -> bool {
        self.content_length.is_some() || self.content_length_invalid || self.transfer_encoding.is_some()
    }
}

impl Parser {
    /// The header section has ended: decide how the body is framed
    /// (RFC 9112 §6.3) and whether the connection stays open (§9.3).
    pub(super) fn head_complete(&mut self) {
        let idx = self.messages.len() - 1;
        let facts = HeadFacts::read(&self.input, &self.fields[self.messages[idx].headers.as_usize()]);
        let http10 = self.messages[idx].version.is_some_and(|v| self.input[v.end as usize - 1] == b'0');
        let (start, head_end) = (self.messages[idx].start, self.pos);
        self.messages[idx].content_coded = facts.content_coding;
        self.messages[idx].binary = facts.content_coding || facts.binary_media;
        self.closing = if http10 { !facts.keep_alive } else { facts.close };

        match self.kind {
            MessageKind::Request => {
                if !http10 {
                    self.check_host(facts.host_count, start, head_end);
                }
                let method = self.messages[idx].method.map(|r| &self.input[r.as_usize()]);
                if method == Some(b"CONNECT") {
                    return self.connect_request(&facts, start, head_end);
                }
            }
            MessageKind::Response => {
                let status = self.messages[idx].status.unwrap_or(0);
                let method = self.options.request_methods.get(self.answered).map_or("GET", String::as_str);
                let (connect, head) = (method == "CONNECT", method == "HEAD");
                self.messages[idx].answers = Some(self.answered as u32);
                if matches!(status, 100..=199 | 204 | 206 | 301..=303 | 307 | 308 | 401 | 405 | 416) {
                    self.response_rules(&facts, status, start, head_end);
                }
                if (100..200).contains(&status) {
                    // Interim responses answer no request of their own.
                    if status == 101 {
                        return self.switch_protocols(
                            "101 Switching Protocols: the bytes after it belong to another protocol",
                        );
                    }
                    return self.frame(Framing::None);
                }
                let problem = self.options.request_problems.get(self.answered).copied().flatten();
                if let Some(problem) = problem.filter(|_| !(400..500).contains(&status)) {
                    self.accepted_invalid_request(problem, status, idx);
                }
                self.answered += 1;
                if connect && (200..300).contains(&status) {
                    if facts.has_framing_field() {
                        // RFC 9110 §9.3.6: a server MUST NOT send them; a
                        // client MUST ignore them.
                        let why = "a 2xx answer to CONNECT carries Content-Length or Transfer-Encoding; a server must not send them, and the client ignores them".into();
                        self.diag(Severity::Warning, Code::FramingOnConnect, start, head_end, why);
                    }
                    return self.switch_protocols(
                        "a 2xx answer to CONNECT turns the connection into a tunnel; the bytes after it are not HTTP",
                    );
                }
                if head || status == 204 || status == 304 {
                    return self.frame(Framing::None);
                }
            }
        }

        if let Some(te) = &facts.transfer_encoding {
            if let Some(coding) = &te.unknown {
                self.unknown_transfer_coding(coding, start, head_end);
            }
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
            self.closing = true;
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

    /// What RFC 9110 asks of a response with this status beyond its framing:
    /// the fields it must (or should) carry, and those it must not.
    #[cold]
    #[inline(never)]
    fn response_rules(&mut self, facts: &HeadFacts, status: u16, start: usize, head_end: usize) {
        let mut flag = |severity, code, why: String| self.diag(severity, code, start, head_end, why);
        match status {
            // §15.5.2: "The server generating a 401 response MUST send a
            // WWW-Authenticate header field containing at least one challenge."
            401 if !facts.www_authenticate => flag(Severity::Error, Code::MissingWwwAuthenticate, "this 401 has no WWW-Authenticate field: the server must say how to authenticate (for example WWW-Authenticate: Basic realm=\"lab\")".into()),
            // §15.5.6: "The origin server MUST generate an Allow header field in a 405 response."
            405 if !facts.allow => flag(Severity::Error, Code::MissingAllow, "this 405 has no Allow field: the server must list the methods the resource allows".into()),
            // §15.3.7: a single-part 206 MUST carry Content-Range (several
            // parts come as multipart/byteranges).
            206 if !facts.content_range && !facts.byteranges => flag(Severity::Error, Code::MissingContentRange, "this 206 has neither Content-Range nor a multipart/byteranges body: the client cannot know which bytes it got".into()),
            // §15.5.17: a 416 SHOULD carry Content-Range: bytes */length.
            416 if !facts.content_range => flag(Severity::Warning, Code::MissingRangeLength, "this 416 has no Content-Range: the server should say the representation's length (Content-Range: bytes */N)".into()),
            // §15.4.2-§15.4.9: the server SHOULD generate a Location field.
            301..=303 | 307 | 308 if !facts.location => flag(Severity::Warning, Code::MissingLocation, format!("this {status} redirect has no Location field: there is nowhere to follow it to")),
            // §8.6 (Content-Length) and RFC 9112 §6.1 (Transfer-Encoding):
            // a server MUST NOT send them in a 1xx or 204 response.
            100..=199 | 204 if facts.has_framing_field() => {
                let field = if facts.transfer_encoding.is_some() { "Transfer-Encoding" } else { "Content-Length" };
                flag(Severity::Error, Code::FramingOnBodilessResponse, format!("a {status} response has no content, and a server must not send {field} in it"))
            }
            _ => {}
        }
    }

    /// The request this response answers had `problem`, which a server MUST
    /// reject with 400, and this response is not a 4xx.
    #[cold]
    #[inline(never)]
    fn accepted_invalid_request(&mut self, problem: Code, status: u16, idx: usize) {
        let m = &self.messages[idx];
        let at = m.status_code.map_or((m.start, self.pos), |r| (r.start as usize, r.end as usize));
        let what = match problem {
            Code::MissingHost => "a request without Host",
            Code::MultipleHost => "a request with more than one Host",
            Code::SpaceBeforeColon => "a request with whitespace before a field's colon",
            Code::InvalidContentLength => "a request with an invalid Content-Length",
            Code::ConflictingContentLength => "a request with conflicting Content-Length values",
            _ => "a request whose last transfer coding is not chunked",
        };
        let rfc = problem.must_reject().unwrap_or("RFC 9112");
        let why = format!("the server answered {status} to {what}; {rfc} says it must answer 400 (Bad Request)");
        self.diag(Severity::Error, Code::AcceptedInvalidRequest, at.0, at.1, why);
    }

    fn check_host(&mut self, host_count: usize, start: usize, head_end: usize) {
        match host_count {
            1 => {}
            0 => self.diag(
                Severity::Error,
                Code::MissingHost,
                start,
                head_end,
                "this HTTP/1.1 request has no Host header field; a server must answer it with 400".into(),
            ),
            n => self.diag(
                Severity::Error,
                Code::MultipleHost,
                start,
                head_end,
                format!("this request has {n} Host header fields; exactly one is allowed"),
            ),
        }
    }

    /// RFC 9110 §9.3.6: a CONNECT request has no content; once a 2xx
    /// answers it, the bytes after its head are tunnel data, not HTTP.
    #[cold]
    #[inline(never)]
    fn connect_request(&mut self, facts: &HeadFacts, start: usize, head_end: usize) {
        if facts.has_framing_field() {
            let why = "a CONNECT request has no content, so its Content-Length or Transfer-Encoding frames nothing; the bytes after its head are tunnel data".into();
            self.diag(Severity::Warning, Code::FramingOnConnect, start, head_end, why);
        }
        self.switch_protocols(
            "after a CONNECT request the client waits for the answer; once a 2xx comes, the bytes after the head are tunnel data, not HTTP",
        );
    }

    #[cold]
    #[inline(never)]
    fn unknown_transfer_coding(&mut self, coding: &str, start: usize, head_end: usize) {
        let why = if coding.eq_ignore_ascii_case("identity") {
            "the transfer coding \"identity\" is obsolete: it was removed from the registry, and a recipient does not know it".to_string()
        } else {
            format!("the transfer coding \"{coding}\" is not in the registry; a server answers a request with a coding it does not know with 501")
        };
        self.diag(Severity::Warning, Code::UnknownTransferCoding, start, head_end, why);
    }

    fn frame(&mut self, framing: Framing) {
        let (closing, kind) = (self.closing, self.kind);
        let m = self.last_mut();
        m.framing = Some(framing);
        m.closes = closing;
        let bodiless = (kind == MessageKind::Response && framing == Framing::None).then_some(m.status).flatten();
        self.bodiless = bodiless;
        match framing {
            Framing::None | Framing::Length(0) => self.complete_message(),
            Framing::Length(n) => self.state = State::Body(BodyState::Length { remaining: n }),
            Framing::Chunked => self.state = State::Body(BodyState::ChunkSize),
            Framing::Close => self.state = State::Body(BodyState::UntilClose),
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

    /// The message is complete, and what follows it is not HTTP: the rest
    /// of the input is `unparsed` and stays in this message's run of spans.
    fn switch_protocols(&mut self, why: &str) {
        let (start, head_end, len, closing) = (self.last_mut().start, self.pos, self.input.len(), self.closing);
        let m = self.last_mut();
        m.framing = Some(Framing::None);
        m.closes = closing;
        m.complete = true;
        self.diag(Severity::Info, Code::ProtocolSwitched, start, head_end, why.into());
        self.state = State::Dead;
        self.push(SpanKind::Unparsed, len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Range;

    /// The facts of a header section written as `name: value` lines.
    fn facts(lines: &[&str]) -> HeadFacts {
        let mut input = Vec::new();
        let mut headers = Vec::new();
        for line in lines {
            let (name, _) = line.split_once(": ").unwrap();
            let start = input.len();
            input.extend_from_slice(line.as_bytes());
            let name = Range::new(start, start + name.len());
            let value = Range::new(start + name.len() + 2, input.len());
            headers.push(Header { name, value, line_end: input.len() as u32 });
        }
        HeadFacts::read(&input, &headers)
    }

    #[test]
    fn binary_media_types_are_those_not_written_in_text() {
        for binary in
            ["image/png", "IMAGE/GIF", "application/octet-stream", "application/pdf; x=1", "font/woff2", "video/mp4"]
        {
            assert!(binary_media(binary.as_bytes()), "{binary}");
        }
        for text in [
            "text/html; charset=utf-8",
            "application/json",
            "Application/JSON;charset=utf-8",
            "image/svg+xml",
            "application/problem+json",
            "application/x-www-form-urlencoded",
            "multipart/byteranges; boundary=x",
            "nonsense",
            "",
        ] {
            assert!(!binary_media(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn content_length_lists_of_one_value_are_one_length() {
        let f = facts(&["Content-Length: 5, 5"]);
        assert_eq!((f.content_length, f.content_length_repeated, f.content_length_conflict), (Some(5), true, false));
        assert!(facts(&["Content-Length: 5", "content-length: 6"]).content_length_conflict);
        assert!(facts(&["Content-Length: "]).content_length_invalid);
        assert!(facts(&["Content-Length: -1"]).content_length_invalid);
    }

    #[test]
    fn transfer_codings_are_read_across_fields_and_folds() {
        let te = facts(&["Transfer-Encoding: gzip", "Transfer-Encoding: chunked"]).transfer_encoding.unwrap();
        assert!(te.last_is_chunked && te.unknown.is_none());
        let folded = facts(&["Transfer-Encoding: deflate,\r\n chunked"]).transfer_encoding.unwrap();
        assert!(folded.last_is_chunked, "an obs-fold reads as a space");
        let identity = facts(&["Transfer-Encoding: identity"]).transfer_encoding.unwrap();
        assert_eq!(identity.unknown.as_deref(), Some("identity"));
        assert!(!identity.last_is_chunked);
    }

    #[test]
    fn connection_options_are_tokens_in_any_case() {
        let f = facts(&["Connection: Keep-Alive, Upgrade"]);
        assert!(f.keep_alive && !f.close);
        assert!(facts(&["connection: CLOSE"]).close);
        assert_eq!(facts(&["Host: a", "HOST: b"]).host_count, 2);
    }
}
