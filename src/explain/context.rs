//! Explanations in context: what an element means in the message it is in.
//!
//! The table above says what an empty line is; this says what *this* empty
//! line does: it ends a head that a Content-Length body follows, or one that
//! has no body because the request was HEAD. The page shows [`Notes::context`]
//! under "In this message" and [`Notes::framing`] after "Where it ends" when
//! stepping, through wasm (`span_notes`, docs/wasm.md); it writes no HTTP
//! prose of its own.
//!
//! The rules the sentences teach, as RFC 9112 §6.3 orders them:
//!
//! > 1. Any response to a HEAD request and any response with a 1xx
//! >    (Informational), 204 (No Content), or 304 (Not Modified) status code
//! >    is always terminated by the first empty line after the header fields,
//! >    regardless of the header fields present in the message, and thus
//! >    cannot contain a message body or trailer section.
//! > 2. Any 2xx (Successful) response to a CONNECT request implies that the
//! >    connection will become a tunnel immediately after the empty line that
//! >    concludes the header fields.
//! > 3. If a message is received with both a Transfer-Encoding and a
//! >    Content-Length header field, the Transfer-Encoding overrides the
//! >    Content-Length.
//! > 4. If a Transfer-Encoding header field is present and the chunked
//! >    transfer coding is the final encoding, the message body length is
//! >    determined by reading and decoding the chunked data until the
//! >    transfer coding indicates the data is complete. [...] If a
//! >    Transfer-Encoding header field is present in a response and the
//! >    chunked transfer coding is not the final encoding, the message body
//! >    length is determined by reading the connection until it is closed by
//! >    the server.
//! > 6. If a valid Content-Length header field is present without
//! >    Transfer-Encoding, its decimal value defines the expected message
//! >    body length in octets.
//! > 7. If this is a request message and none of the above are true, then
//! >    the message body length is zero (no message body is present).
//! > 8. Otherwise, this is a response message without a declared message
//! >    body length, so the message body length is determined by the number
//! >    of octets received prior to the server closing the connection.

use crate::parse::{Framing, Message, MessageKind, Parse};
use crate::span::SpanKind;

/// What one span means in its message: `context` ("In this message: …")
/// and `framing` (added to "Where it ends: …" in the step-through). Each is
/// empty when the general explanation says it all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes {
    pub context: String,
    pub framing: String,
}

/// The notes on span `index` of `p`. `request_methods` are the methods of
/// the requests a response stream answers, in order, as the parser took
/// them ([`crate::Options::request_methods`]): a response beyond them
/// answers GET, as the parser assumes. A request's method is its own.
pub fn notes(p: &Parse, request_methods: &[String], index: usize) -> Notes {
    if index >= p.spans.len() {
        return Notes::default();
    }
    // Each message's run of spans follows the previous one's.
    let at = p.messages.partition_point(|m| (m.spans.end as usize) <= index);
    let Some(m) = p.messages.get(at).filter(|m| m.span_indexes().contains(&index)) else {
        return Notes::default();
    };
    let own;
    let method = match m.kind {
        MessageKind::Request => {
            own = m.method.map(|r| p.text(r));
            own.as_deref().unwrap_or("GET")
        }
        MessageKind::Response => {
            let answered = m.answers.and_then(|i| request_methods.get(i as usize));
            answered.map_or("GET", String::as_str)
        }
    };
    let c = Context { p, m, index: at, method, kind: p.spans.kinds()[index], span_end: p.spans.get(index).end };
    Notes { context: c.context(p.spans.start(index)), framing: c.framing() }
}

/// One span's message, and what the notes read about it.
struct Context<'a> {
    p: &'a Parse,
    m: &'a Message,
    /// The message's index in the stream.
    index: usize,
    /// The method of the request (a request's own, or the one a response answers).
    method: &'a str,
    kind: SpanKind,
    span_end: u32,
}

// The sentences are templates with holes, filled by `Context::say`: %K the
// message's kind ("request" or "response"), %I its number and %J the next
// one's (from 1), %E where it ends, %N its Content-Length, %S its status,
// %C the status's class ("a success"), %A ", answering request N (METHOD)"
// (the method unless GET), %W " whatever its headers say" (when they have
// Content-Length or Transfer-Encoding), %B " (after N stray byte(s))" (bytes
// between it and the next message). One filler, not a format! per sentence,
// keeps the page's first wasm package small.

impl Context<'_> {
    /// Appends `template`, its holes filled, to `out` (after a space, unless first).
    fn say(&self, out: &mut String, template: &str) {
        use std::fmt::Write;
        if template.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let mut pieces = template.split('%');
        out.push_str(pieces.next().unwrap_or(""));
        let m = self.m;
        let next = self.p.messages.get(self.index + 1);
        for piece in pieces {
            let (hole, rest) = piece.split_at(1);
            let number = match hole {
                "K" => {
                    out.push_str(m.kind.as_str());
                    None
                }
                "I" => Some(self.index as u64 + 1),
                "J" => Some(self.index as u64 + 2),
                "E" => Some(m.end as u64),
                "N" => self.length(),
                "S" => m.status.map(u64::from),
                "C" => {
                    // RFC 9110 §15: "The first digit of the status code defines the class of response."
                    out.push_str(match m.status.unwrap_or(0) / 100 {
                        1 => "an interim",
                        2 => "a success",
                        3 => "a redirection",
                        4 => "a client error",
                        5 => "a server error",
                        _ => "a nonstandard",
                    });
                    None
                }
                "A" => {
                    if let Some(i) = m.answers {
                        let _ = write!(out, ", answering request {}", i + 1);
                        if self.method != "GET" {
                            let _ = write!(out, " ({})", self.method);
                        }
                    }
                    None
                }
                "W" => {
                    if self.has_framing_field() {
                        out.push_str(" whatever its headers say");
                    }
                    None
                }
                "B" => {
                    let stray = next.map_or(0, |n| n.start.saturating_sub(m.end));
                    if stray > 0 {
                        let _ = write!(out, " (after {stray} stray byte(s))");
                    }
                    None
                }
                _ => None,
            };
            if let Some(n) = number {
                let _ = write!(out, "{n}");
            }
            out.push_str(rest);
        }
    }

    /// The announced length: `Content-Length: N` framing.
    fn length(&self) -> Option<u64> {
        match self.m.framing {
            Some(Framing::Length(n)) => Some(n),
            _ => None,
        }
    }

    /// Whether this span is the empty line that ends the header section.
    fn ends_head(&self) -> bool {
        self.kind == SpanKind::EmptyLine && Some(self.span_end) == self.m.head_end
    }

    /// A response that cannot have content (RFC 9112 §6.3, rules 1 and 2):
    /// to HEAD, 1xx, 204, 304, or a 2xx to CONNECT.
    fn no_body(&self) -> bool {
        self.m.kind == MessageKind::Response
            && (self.method == "HEAD"
                || self
                    .m
                    .status
                    .is_some_and(|s| s < 200 || s == 204 || s == 304 || (self.method == "CONNECT" && s < 300)))
    }

    /// Whether the header section has a Content-Length or Transfer-Encoding field.
    fn has_framing_field(&self) -> bool {
        self.p.headers(self.m).iter().any(|h| self.named(h, "content-length") || self.named(h, "transfer-encoding"))
    }

    /// The header field whose line holds byte `at`, if its name is `name` (lower case).
    fn in_field(&self, at: u32, name: &str) -> bool {
        let h = self.p.headers(self.m).iter().find(|h| h.name.start <= at && at < h.line_end);
        h.is_some_and(|h| self.named(h, name))
    }

    /// Whether field `h` is named `name` (lower case; field names are case-insensitive).
    #[inline(never)]
    fn named(&self, h: &crate::Header, name: &str) -> bool {
        self.p.bytes(h.name).eq_ignore_ascii_case(name.as_bytes())
    }

    /// Why the message has the body (or no body) it has: one sentence with its RFC section.
    fn body_rule(&self) -> &'static str {
        let m = self.m;
        let chunked = m.framing == Some(Framing::Chunked);
        if m.kind == MessageKind::Request {
            return if self.method == "CONNECT" {
                // RFC 9110 §9.3.6: "A CONNECT request message does not have content."
                "A CONNECT request has no content: once the server answers 2xx, the bytes after this head are tunnel data, not HTTP (RFC 9110 §9.3.6)."
            } else if self.length().is_some() {
                "Content-Length: %N says the body is the next %N bytes (RFC 9112 §6.3)."
            } else if chunked {
                "Transfer-Encoding: chunked: what follows this line is the first chunk-size line, not the body itself (RFC 9112 §7.1)."
            } else {
                "This request has neither Content-Length nor Transfer-Encoding, so it has no body (RFC 9112 §6.3)."
            };
        }
        match m.status.unwrap_or(0) {
            // RFC 9110 §15.2.2: "the server will switch to those protocols
            // [...] immediately after the empty line that terminates the 101 response."
            101 => "101 Switching Protocols: after this empty line the connection speaks the protocol named in Upgrade, so the bytes that follow are not HTTP/1.1 (RFC 9110 §15.2.2).",
            100..=199 => "%S is an interim response: it has no body, and the final response to the same request follows right after this line (RFC 9110 §15.2).",
            200..=299 if self.method == "CONNECT" => "A 2xx answer to CONNECT turns the connection into a tunnel: the bytes after this line are whatever the two ends send through it, not HTTP (RFC 9110 §9.3.6).",
            // RFC 9110 §9.3.2: "The server SHOULD send the same header fields
            // in response to a HEAD request as it would have sent if the
            // request method had been GET."
            _ if self.method == "HEAD" => "This response answers a HEAD request, so no body follows%W: the headers describe the body a GET would get (RFC 9110 §9.3.2).",
            204 => "204 No Content never has a body: the response ends with this empty line (RFC 9110 §15.3.5).",
            304 => "304 Not Modified never has a body: the client uses the copy it already has (RFC 9110 §15.4.5).",
            _ => match m.framing {
                Some(Framing::Length(_)) => "Content-Length: %N says the body is the next %N bytes (RFC 9112 §6.3).",
                Some(Framing::Chunked) => "Transfer-Encoding: chunked: what follows this line is the first chunk-size line, not the body itself; each chunk announces its size (RFC 9112 §7.1).",
                Some(Framing::Close) => "There is no Content-Length and no chunked coding, so the body is everything until the server closes the connection; this connection cannot carry another response (RFC 9112 §6.3).",
                _ => "",
            },
        }
    }

    /// Where the message ends and what comes after it, in a stream of several.
    fn boundary(&self) -> &'static str {
        if !self.m.complete {
            "This %K is incomplete: the input ended before its framing said it would."
        } else if self.index + 1 < self.p.messages.len() {
            "This %K ends at byte %E; %K %J starts right there%B."
        } else {
            ""
        }
    }

    /// "In this message: …": a sentence or two about the span in its own
    /// message (empty lines, the fields that frame the body, bodies, chunk
    /// sizes, status codes); empty when the general explanation says it all.
    fn context(&self, span_start: u32) -> String {
        let m = self.m;
        let framing = m.framing.map(Framing::as_str).unwrap_or("");
        let mut out = String::new();
        let say = |out: &mut String, template: &str| self.say(out, template);
        match self.kind {
            SpanKind::EmptyLine => {
                if self.ends_head() {
                    say(&mut out, "This empty line ends the header section of %K %I.");
                    say(&mut out, self.body_rule());
                } else if framing == "chunked" {
                    // RFC 9112 §7.1: `chunked-body = *chunk last-chunk trailer-section CRLF`
                    say(&mut out, "This empty line ends the trailer section, and with it the chunked body: the message is complete here (RFC 9112 §7.1).");
                }
                say(&mut out, self.boundary());
            }
            SpanKind::HeaderName | SpanKind::HeaderValue => {
                let (length, coding) = (self.in_field(span_start, "content-length"), self.in_field(span_start, "transfer-encoding"));
                if (length || coding) && self.no_body() {
                    say(&mut out, self.body_rule());
                    say(&mut out, if length { "Here Content-Length does not frame anything." } else { "Here Transfer-Encoding does not frame anything." });
                } else if length {
                    say(&mut out, match framing {
                        "chunked" => "Transfer-Encoding is present too, and it wins: this body is chunked, and Content-Length is ignored (RFC 9112 §6.3). The pair is how request smuggling starts.",
                        "length" => "The receiver reads exactly %N bytes after the empty line; byte %E is where this %K ends.",
                        _ => "",
                    });
                } else if coding {
                    say(&mut out, match framing {
                        "chunked" => "chunked is the last coding, so the body arrives as chunks, each announcing its size in hex, and a chunk of size 0 ends it (RFC 9112 §7.1).",
                        "close" => "The last coding is not chunked, so in a response the body ends only when the server closes the connection (RFC 9112 §6.3).",
                        _ => "",
                    });
                } else if m.closes && self.in_field(span_start, "connection") {
                    say(&mut out, "The connection closes after this %K: nothing more may follow on it.");
                }
            }
            SpanKind::Body => {
                say(&mut out, match framing {
                    "length" => "Content-Length: %N announced %N bytes; they end at byte %E.",
                    "close" => "No Content-Length and no chunked coding: this body ends when the server closes the connection.",
                    _ => "",
                });
                say(&mut out, self.boundary());
            }
            // RFC 9112 §7.1: `last-chunk = 1*("0") [ chunk-ext ] CRLF`
            SpanKind::LastChunk => say(&mut out, "A chunk of size 0 ends the chunked body; trailer fields, if any, and an empty line follow it (RFC 9112 §7.1)."),
            SpanKind::StatusCode | SpanKind::ReasonPhrase => {
                if m.status.is_some() {
                    say(&mut out, "%S is %C code%A.");
                }
                if self.no_body() || m.status == Some(101) {
                    say(&mut out, self.body_rule());
                }
            }
            _ => {}
        }
        out
    }

    /// What the framing adds to "Where it ends" for a body or the empty line ending the head.
    fn framing(&self) -> String {
        let template = match (self.kind, self.m.framing) {
            (SpanKind::Body, Some(Framing::Length(_))) => "Here Content-Length: %N announced %N bytes.",
            (SpanKind::Body, Some(Framing::Close)) => "This response has no Content-Length and is not chunked, so its body ends when the server closes the connection.",
            (SpanKind::EmptyLine, Some(f)) if self.ends_head() => match f {
                Framing::Length(_) => "Content-Length: %N says how many body bytes follow.",
                Framing::Chunked => "Transfer-Encoding: chunked: the body follows as chunks, each announcing its size.",
                Framing::Close => "No length is given: the body runs until the server closes the connection.",
                Framing::None => "This message has no body, so the next message (if any) starts right after this line.",
            },
            _ => "",
        };
        let mut out = String::new();
        self.say(&mut out, template);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Options};

    const GET: &str = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    const HEAD: &str = "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n";
    const CONNECT: &str = "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n";

    /// The notes on the `n`-th span of `kind` in `input`: a response stream
    /// answering `requests`, or (when `requests` is None) a request stream.
    fn notes_of(input: &str, requests: Option<&str>, kind: SpanKind, n: usize) -> Notes {
        let (stream, options) = match requests {
            Some(r) => (MessageKind::Response, Options::answering(r.as_bytes())),
            None => (MessageKind::Request, Options::default()),
        };
        let p = parse(stream, input.as_bytes(), &options);
        let i = p.spans.kinds().iter().enumerate().filter(|(_, k)| **k == kind).nth(n).map(|(i, _)| i);
        notes(&p, &options.request_methods, i.unwrap_or_else(|| panic!("no {kind:?} #{n} in {input:?}")))
    }

    fn note(response: &str, requests: &str, kind: SpanKind) -> String {
        notes_of(response, Some(requests), kind, 0).context
    }

    fn request_note(request: &str, kind: SpanKind, n: usize) -> String {
        notes_of(request, None, kind, n).context
    }

    use SpanKind::*;

    #[test]
    fn a_request_head_ends_before_its_body_chunks_or_nothing() {
        assert_eq!(
            request_note("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", EmptyLine, 0),
            "This empty line ends the header section of request 1. Content-Length: 3 says the body is the next 3 bytes (RFC 9112 §6.3)."
        );
        let chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n";
        assert_eq!(
            request_note(chunked, EmptyLine, 0),
            "This empty line ends the header section of request 1. Transfer-Encoding: chunked: what follows this line is the first chunk-size line, not the body itself (RFC 9112 §7.1)."
        );
        // The second empty line ends the trailer section.
        assert_eq!(
            request_note(chunked, EmptyLine, 1),
            "This empty line ends the trailer section, and with it the chunked body: the message is complete here (RFC 9112 §7.1)."
        );
        assert_eq!(
            request_note(&format!("{GET}{GET}"), EmptyLine, 0),
            "This empty line ends the header section of request 1. This request has neither Content-Length nor Transfer-Encoding, so it has no body (RFC 9112 §6.3). This request ends at byte 27; request 2 starts right there."
        );
        assert_eq!(
            request_note(CONNECT, EmptyLine, 0),
            "This empty line ends the header section of request 1. A CONNECT request has no content: once the server answers 2xx, the bytes after this head are tunnel data, not HTTP (RFC 9110 §9.3.6)."
        );
        // A request's own method counts, not the GET a response stream assumes.
        assert_eq!(request_note(CONNECT, Method, 0), "");
    }

    #[test]
    fn a_response_head_ends_as_its_status_and_request_say() {
        let head = note("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", HEAD, EmptyLine);
        assert_eq!(head, "This empty line ends the header section of response 1. This response answers a HEAD request, so no body follows whatever its headers say: the headers describe the body a GET would get (RFC 9110 §9.3.2).");
        assert!(note("HTTP/1.1 200 OK\r\n\r\n", HEAD, EmptyLine).contains("so no body follows: the headers describe"));
        assert_eq!(
            note("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", GET, EmptyLine),
            "This empty line ends the header section of response 1. 100 is an interim response: it has no body, and the final response to the same request follows right after this line (RFC 9110 §15.2). This response ends at byte 25; response 2 starts right there."
        );
        assert!(note("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x01\x00", GET, EmptyLine).contains(
            "101 Switching Protocols: after this empty line the connection speaks the protocol named in Upgrade, so the bytes that follow are not HTTP/1.1 (RFC 9110 §15.2.2)."
        ));
        assert!(note("HTTP/1.1 200 OK\r\n\r\n\x16\x03", CONNECT, EmptyLine).contains("A 2xx answer to CONNECT turns the connection into a tunnel: the bytes after this line are whatever the two ends send through it, not HTTP (RFC 9110 §9.3.6)."));
        // A 4xx to CONNECT is an ordinary response.
        assert!(note("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n", CONNECT, EmptyLine)
            .contains("Content-Length: 0 says the body is the next 0 bytes"));
        assert!(note("HTTP/1.1 204 No Content\r\n\r\n", GET, EmptyLine)
            .ends_with("204 No Content never has a body: the response ends with this empty line (RFC 9110 §15.3.5)."));
        assert!(note("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", GET, EmptyLine).ends_with(
            "304 Not Modified never has a body: the client uses the copy it already has (RFC 9110 §15.4.5)."
        ));
        assert!(note("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", GET, EmptyLine).contains(
            "Transfer-Encoding: chunked: what follows this line is the first chunk-size line, not the body itself; each chunk announces its size (RFC 9112 §7.1)."
        ));
        assert!(note("HTTP/1.1 200 OK\r\n\r\nuntil close", GET, EmptyLine).contains("There is no Content-Length and no chunked coding, so the body is everything until the server closes the connection; this connection cannot carry another response (RFC 9112 §6.3)."));
    }

    #[test]
    fn boundaries_name_the_next_message_stray_bytes_and_what_is_missing() {
        let pipelined = note(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n",
            &format!("{GET}{GET}"),
            EmptyLine,
        );
        assert!(pipelined.contains("the body is the next 2 bytes"), "{pipelined}");
        assert!(pipelined.ends_with("This response ends at byte 40; response 2 starts right there."), "{pipelined}");
        let stray = note(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\r\nHTTP/1.1 204 No Content\r\n\r\n",
            &format!("{GET}{GET}"),
            Body,
        );
        assert_eq!(stray, "Content-Length: 2 announced 2 bytes; they end at byte 40. This response ends at byte 40; response 2 starts right there (after 2 stray byte(s)).");
        assert_eq!(
            note("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhi", GET, Body),
            "Content-Length: 5 announced 5 bytes; they end at byte 40. This response is incomplete: the input ended before its framing said it would."
        );
        assert_eq!(
            request_note("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc", EmptyLine, 0),
            "This empty line ends the header section of request 1. Content-Length: 9 says the body is the next 9 bytes (RFC 9112 §6.3). This request is incomplete: the input ended before its framing said it would."
        );
        assert_eq!(
            note("HTTP/1.1 200 OK\r\n\r\nuntil close", GET, Body),
            "No Content-Length and no chunked coding: this body ends when the server closes the connection."
        );
    }

    #[test]
    fn framing_fields_are_explained_for_what_they_frame_here() {
        let cl = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
        assert_eq!(note(cl, HEAD, HeaderValue), "This response answers a HEAD request, so no body follows whatever its headers say: the headers describe the body a GET would get (RFC 9110 §9.3.2). Here Content-Length does not frame anything.");
        assert_eq!(
            note(&format!("{cl}hello"), GET, HeaderName),
            "The receiver reads exactly 5 bytes after the empty line; byte 43 is where this response ends."
        );
        let both = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assert_eq!(note(both, GET, HeaderValue), "Transfer-Encoding is present too, and it wins: this body is chunked, and Content-Length is ignored (RFC 9112 §6.3). The pair is how request smuggling starts.");
        assert_eq!(
            notes_of(both, Some(GET), HeaderName, 1).context,
            "chunked is the last coding, so the body arrives as chunks, each announcing its size in hex, and a chunk of size 0 ends it (RFC 9112 §7.1)."
        );
        assert_eq!(
            note("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx", GET, HeaderValue),
            "The last coding is not chunked, so in a response the body ends only when the server closes the connection (RFC 9112 §6.3)."
        );
        assert_eq!(
            note("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", GET, HeaderName),
            "204 No Content never has a body: the response ends with this empty line (RFC 9110 §15.3.5). Here Transfer-Encoding does not frame anything."
        );
        assert_eq!(
            note("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", GET, HeaderValue),
            "The connection closes after this response: nothing more may follow on it."
        );
        assert_eq!(
            note("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", GET, HeaderValue),
            ""
        );
        assert_eq!(
            note("HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 0\r\n\r\n", GET, HeaderName),
            "",
            "other fields add nothing"
        );
        // A request's Content-Length frames its body too.
        assert_eq!(
            request_note("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", HeaderName, 1),
            "The receiver reads exactly 3 bytes after the empty line; byte 50 is where this request ends."
        );
    }

    #[test]
    fn status_codes_say_their_class_and_the_request_they_answer() {
        for (response, kind, said) in [
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", StatusCode, "200 is a success code, answering request 1."),
            (
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                ReasonPhrase,
                "404 is a client error code, answering request 1.",
            ),
            (
                "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n",
                StatusCode,
                "503 is a server error code, answering request 1.",
            ),
            (
                "HTTP/1.1 301 Moved\r\nLocation: /\r\nContent-Length: 0\r\n\r\n",
                StatusCode,
                "301 is a redirection code, answering request 1.",
            ),
        ] {
            assert_eq!(note(response, GET, kind), said, "{response:?}");
        }
        assert_eq!(
            note("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", HEAD, StatusCode),
            "200 is a success code, answering request 1 (HEAD). This response answers a HEAD request, so no body follows whatever its headers say: the headers describe the body a GET would get (RFC 9110 §9.3.2)."
        );
        let interim =
            note("HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", GET, StatusCode);
        assert!(
            interim.starts_with("103 is an interim code, answering request 1. 103 is an interim response"),
            "{interim}"
        );
        let switching = note("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", GET, StatusCode);
        assert!(switching.ends_with("so the bytes that follow are not HTTP/1.1 (RFC 9110 §15.2.2)."), "{switching}");
        // The second response answers the second request.
        let p = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(
            notes_of(p, Some(&format!("{GET}POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")), StatusCode, 1)
                .context,
            "201 is a success code, answering request 2 (POST)."
        );
    }

    #[test]
    fn the_last_chunk_and_other_spans() {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n";
        assert_eq!(note(chunked, GET, LastChunk), "A chunk of size 0 ends the chunked body; trailer fields, if any, and an empty line follow it (RFC 9112 §7.1).");
        for kind in [ChunkSize, ChunkData, HttpVersion, Crlf, Colon] {
            assert_eq!(notes_of(chunked, Some(GET), kind, 0), Notes::default(), "{kind:?}");
        }
        let p = parse(MessageKind::Response, chunked.as_bytes(), &Options::default());
        assert_eq!(notes(&p, &[], p.spans.len()), Notes::default(), "past the last span");
    }

    #[test]
    fn framing_notes_say_where_the_body_ends() {
        let framing = |input: &str, requests: &str, kind, n| notes_of(input, Some(requests), kind, n).framing;
        let cl = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nline1\nline2\n";
        assert_eq!(framing(cl, GET, EmptyLine, 0), "Content-Length: 12 says how many body bytes follow.");
        assert_eq!(framing(cl, GET, Body, 0), "Here Content-Length: 12 announced 12 bytes.");
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assert_eq!(
            framing(chunked, GET, EmptyLine, 0),
            "Transfer-Encoding: chunked: the body follows as chunks, each announcing its size."
        );
        assert_eq!(framing(chunked, GET, EmptyLine, 1), "", "the empty line after the trailers");
        let close = "HTTP/1.1 200 OK\r\n\r\nuntil close";
        assert_eq!(
            framing(close, GET, EmptyLine, 0),
            "No length is given: the body runs until the server closes the connection."
        );
        assert_eq!(framing(close, GET, Body, 0), "This response has no Content-Length and is not chunked, so its body ends when the server closes the connection.");
        assert_eq!(
            framing("HTTP/1.1 204 No Content\r\n\r\n", GET, EmptyLine, 0),
            "This message has no body, so the next message (if any) starts right after this line."
        );
        assert_eq!(
            notes_of(GET, None, EmptyLine, 0).framing,
            "This message has no body, so the next message (if any) starts right after this line."
        );
        assert_eq!(framing(cl, GET, HeaderName, 0), "");
    }
}
