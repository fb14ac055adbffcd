//! The suite: every check, its bytes and its rule, with the RFC's sentence
//! beside it. Requests are written out as they go on the wire; `{path}` and
//! `{host}` are the URL's.
//!
//! Ids are stable: `rfc` + number, the section, and what is tested. Checks
//! are independent: each runs on a connection of its own.

use super::judge::{
    answered, body_refused, closes_after, fail, first_success, pass, refused, refused_400, refused_and_closed,
    refused_or_replaced, skip, warn, Judgement,
};
use super::{finals, Category::*, Check, Exchange, Level::*, Step, Target, Until};
use crate::diag::Code;
use crate::parse::Parse;

/// A path no server has: the 404 check asks for it, and requests sent after
/// another on one connection ask for it so that their answers can be told
/// apart.
const MISSING: &str = "/wirepad-check-no-such-page";

/// `GET {path}` with Host and the extra field lines (each ending in CRLF).
fn get(t: &Target, fields: &str) -> String {
    format!("GET {} HTTP/1.1\r\nHost: {}\r\n{fields}\r\n", t.path, t.authority)
}

/// `GET` of the missing page: a second request that cannot be mistaken for the first.
fn get_missing(t: &Target) -> String {
    format!("GET {MISSING} HTTP/1.1\r\nHost: {}\r\n\r\n", t.authority)
}

/// One request in one write, then its response.
fn one(request: String) -> Vec<Step> {
    vec![Step::Send(request.into_bytes()), Step::Await(Until::Responses(1))]
}

/// One request in one write, then everything until the server closes.
fn until_close(request: String) -> Vec<Step> {
    vec![Step::Send(request.into_bytes()), Step::Await(Until::Close)]
}

/// A POST whose framing is broken, with a second request right after it in
/// the same write, then everything until the server closes.
fn smuggle(t: &Target, version: &str, fields: &str, body: &str) -> Vec<Step> {
    let request = format!("POST {} {version}\r\nHost: {}\r\n{fields}\r\n{body}", t.path, t.authority);
    until_close(request + &get_missing(t))
}

/// A request with a body, and a second request after it in the same write.
fn body_then_next(t: &Target, head: String, body: &str) -> Vec<Step> {
    vec![Step::Send(format!("{head}{body}{}", get_missing(t)).into_bytes()), Step::Await(Until::Responses(2))]
}

/// GET of the path, then a conditional GET made from its answer (see `follow`).
fn conditional(t: &Target, follow: fn(&Target, &Parse) -> Option<Vec<u8>>) -> Vec<Step> {
    vec![
        Step::Send(get(t, "").into_bytes()),
        Step::Await(Until::Responses(1)),
        Step::Follow(follow),
        Step::Await(Until::Close),
    ]
}

/// A conditional GET of the path with `field: value` taken from the first
/// response's `from` field, closing the connection after it.
fn follow_with(t: &Target, p: &Parse, from: &str, field: &str) -> Option<Vec<u8>> {
    let m = finals(p).next()?;
    let value = p.header(m, from)?;
    Some(get(t, &format!("{field}: {value}\r\nConnection: close\r\n")).into_bytes())
}

pub static SUITE: &[Check] = &[
    // ---- basics -------------------------------------------------------------
    Check {
        id: "rfc9110-9.3.1-get",
        level: Must,
        section: "RFC 9110 §9.3.1",
        category: Basics,
        title: "GET of the path is answered with a complete response",
        rule: "The GET method requests transfer of a current selected representation for the target resource. [RFC 9112 §2.2: a recipient MUST parse an HTTP message as a sequence of octets.]",
        steps: |t| one(get(t, "")),
        judge: |ex| match ex.first() {
            Some(m) if m.status.is_some_and(|s| s < 400) => pass(format!("answered {}", ex.status_line(m))),
            Some(m) => warn(format!(
                "answered {}: is the path in the URL right? Checks that compare with it skip",
                ex.status_line(m)
            )),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9112-4-status-line",
        level: Must,
        section: "RFC 9112 §4",
        category: Basics,
        title: "The status line is HTTP-version SP 3DIGIT SP reason-phrase",
        rule: "status-line = HTTP-version SP status-code SP [ reason-phrase ]. [RFC 9110 §2.2: a sender MUST NOT generate protocol elements that do not match the grammar defined by the corresponding ABNF rules.]",
        steps: |t| one(get(t, "")),
        judge: |ex| {
            use Code::*;
            grammar(ex, &[InvalidVersion, UnsupportedVersion, InvalidStatusCode, InvalidReasonPhrase, MissingReasonSpace, ExtraWhitespace])
        },
    },
    Check {
        id: "rfc9110-2.5-response-version",
        level: Should,
        section: "RFC 9110 §2.5",
        category: Basics,
        title: "An HTTP/1.1 request is answered in HTTP/1.1",
        rule: "A server SHOULD send a response version equal to the highest version to which the server is conformant that has a major version less than or equal to the one received in the request.",
        steps: |t| one(get(t, "")),
        judge: |ex| match ex.first() {
            Some(m) => {
                let version = m.version.map(|v| ex.responses.text(v)).unwrap_or_default();
                if version == "HTTP/1.1" {
                    pass("answered in HTTP/1.1")
                } else {
                    fail(format!("answered an HTTP/1.1 request in {version}"))
                }
            }
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9112-2.1-crlf",
        level: Must,
        section: "RFC 9112 §2.1",
        category: Basics,
        title: "Every line of the response head ends with CR LF",
        rule: "HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]. [RFC 9110 §2.2: a sender MUST NOT generate protocol elements that do not match the grammar.]",
        steps: |t| one(get(t, "")),
        judge: |ex| grammar(ex, &[Code::BareLf, Code::ChunkedBareLf, Code::BareCr]),
    },
    Check {
        id: "rfc9112-6.3-framing",
        level: Must,
        section: "RFC 9112 §6.3",
        category: Basics,
        title: "The response is framed: its body ends where Content-Length, chunked or the close says",
        rule: "The length of a message body is determined by one of the following (in order of precedence): [...] If a valid Content-Length header field is present without Transfer-Encoding, its decimal value defines the expected message body length in octets. [RFC 9112 §6.2: a sender MUST NOT send a Content-Length header field in any message that contains a Transfer-Encoding header field.]",
        steps: |t| one(get(t, "")),
        judge: |ex| {
            let errors = ex.framing_errors();
            if !errors.is_empty() {
                return fail(errors.join("; "));
            }
            match ex.first() {
                Some(m) => match m.framing {
                    Some(crate::Framing::Length(n)) => pass(format!("framed by Content-Length: {n}")),
                    Some(crate::Framing::Close) => {
                        pass("the body ends when the server closes the connection: allowed, but the connection cannot be reused")
                    }
                    Some(f) => pass(format!("framed: {}", f.as_str())),
                    None => fail("the head never ended"),
                },
                None => fail(ex.silence()),
            }
        },
    },
    Check {
        id: "rfc9112-5-field-lines",
        level: Must,
        section: "RFC 9112 §5",
        category: Basics,
        title: "Every response field line is a name, a colon and a valid value",
        rule: "field-line = field-name \":\" OWS field-value OWS. [RFC 9110 §2.2: a sender MUST NOT generate protocol elements that do not match the grammar.]",
        steps: |t| one(get(t, "")),
        judge: |ex| {
            use Code::*;
            grammar(ex, &[InvalidHeaderName, SpaceBeforeColon, MissingColon, InvalidHeaderValue, WhitespaceBeforeFirstHeader])
        },
    },
    Check {
        id: "rfc9112-5.2-no-obs-fold",
        level: Must,
        section: "RFC 9112 §5.2",
        category: Basics,
        title: "The response has no folded field lines",
        rule: "A sender MUST NOT generate a message that includes line folding (i.e., that has any field line value that contains a match to the obs-fold rule) unless the message is intended for packaging within the \"message/http\" media type.",
        steps: |t| one(get(t, "")),
        judge: |ex| grammar(ex, &[Code::ObsFold]),
    },
    Check {
        id: "rfc9110-6.6.1-date",
        level: Must,
        section: "RFC 9110 §6.6.1",
        category: Basics,
        title: "A 2xx, 3xx or 4xx response carries Date",
        rule: "An origin server with a clock (as defined in Section 5.6.7) MUST generate a Date header field in all 2xx (Successful), 3xx (Redirection), and 4xx (Client Error) responses, and MAY generate a Date header field in 1xx (Informational) and 5xx (Server Error) responses.",
        steps: |t| one(get(t, "")),
        judge: |ex| match ex.first() {
            Some(m) if m.status.is_some_and(|s| s >= 500) => skip(format!("answered {}: Date is optional on 5xx", ex.status_line(m))),
            Some(m) => match ex.header(m, "Date") {
                Some(date) => pass(format!("Date: {date}")),
                None => fail(format!("answered {} without Date", ex.status_line(m))),
            },
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-5.6.7-imf-fixdate",
        level: Must,
        section: "RFC 9110 §5.6.7",
        category: Basics,
        title: "Date is written in IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT",
        rule: "When a sender generates a field that contains one or more timestamps defined as HTTP-date, the sender MUST generate those timestamps in the IMF-fixdate format.",
        steps: |t| one(get(t, "")),
        judge: |ex| match ex.first() {
            Some(m) => match ex.header(m, "Date") {
                Some(date) if imf_fixdate(&date) => pass(format!("Date: {date}")),
                Some(date) => fail(format!("Date: {date} is not IMF-fixdate (like Sun, 06 Nov 1994 08:49:37 GMT)")),
                None => skip("the response has no Date"),
            },
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-8.3-content-type",
        level: Should,
        section: "RFC 9110 §8.3",
        category: Basics,
        title: "A response with content says its Content-Type",
        rule: "A sender that generates a message containing content SHOULD generate a Content-Type header field in that message unless the intended media type of the enclosed representation is unknown to the sender.",
        steps: |t| one(get(t, "")),
        judge: |ex| match ex.first() {
            Some(m) if ex.responses.body_ranges(m).iter().all(|r| r.is_empty()) => skip("the response has no content"),
            Some(m) => match ex.header(m, "Content-Type") {
                Some(ct) => pass(format!("Content-Type: {ct}")),
                None => fail("the response has content but no Content-Type"),
            },
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-9.3.2-head-no-content",
        level: Must,
        section: "RFC 9110 §9.3.2",
        category: Basics,
        title: "A response to HEAD ends with its head: no content follows",
        rule: "The HEAD method is identical to GET except that the server MUST NOT send content in the response.",
        steps: |t| until_close(format!("HEAD {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", t.path, t.authority)),
        judge: |ex| match ex.first() {
            Some(m) => {
                let after = ex.responses.input.len() - m.end;
                if after > 0 {
                    fail(format!("{after} bytes followed the head of the response to HEAD: content"))
                } else {
                    pass(format!("answered {} with a head alone", ex.status_line(m)))
                }
            }
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-9.3.2-head-fields",
        level: Should,
        section: "RFC 9110 §9.3.2",
        category: Basics,
        title: "HEAD gets the status and fields GET gets",
        rule: "The server SHOULD send the same header fields in response to a HEAD request as it would have sent if the request method had been GET. However, a server MAY omit header fields for which a value is determined only while generating the content.",
        steps: |t| {
            let head = format!("HEAD {} HTTP/1.1\r\nHost: {}\r\n\r\n", t.path, t.authority);
            vec![
                Step::Send(get(t, "").into_bytes()),
                Step::Await(Until::Responses(1)),
                Step::Send(head.into_bytes()),
                Step::Await(Until::Responses(2)),
            ]
        },
        judge: head_fields,
    },
    Check {
        id: "rfc9110-15.5.5-not-found",
        level: Should,
        section: "RFC 9110 §15.5.5",
        category: Basics,
        title: "A path the server does not have is answered 404 (Not Found)",
        rule: "The 404 (Not Found) status code indicates that the origin server did not find a current representation for the target resource or is not willing to disclose that one exists.",
        steps: |t| one(get_missing(t)),
        judge: |ex| match ex.first() {
            Some(m) if matches!(m.status, Some(404 | 410)) => pass(format!("answered {}", ex.status_line(m))),
            Some(m) => fail(format!("answered {} for {MISSING}", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-9.1-unknown-method",
        level: Should,
        section: "RFC 9110 §9.1",
        category: Basics,
        title: "A method the server does not implement is answered 501 (or 405 with Allow)",
        rule: "An origin server that receives a request method that is unrecognized or not implemented SHOULD respond with the 501 (Not Implemented) status code.",
        steps: |t| one(format!("WIREPADCHECK {} HTTP/1.1\r\nHost: {}\r\n\r\n", t.path, t.authority)),
        judge: |ex| match ex.first() {
            Some(m) if m.status == Some(501) => pass(format!("answered {}", ex.status_line(m))),
            Some(m) if m.status == Some(405) && ex.header(m, "Allow").is_some() => {
                pass(format!("answered {}: the method is known but not allowed here", ex.status_line(m)))
            }
            Some(m) => fail(format!("answered {} to the method WIREPADCHECK", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-15.5.6-allow",
        level: Must,
        section: "RFC 9110 §15.5.6",
        category: Basics,
        title: "A 405 (Method Not Allowed) lists the allowed methods in Allow",
        rule: "The origin server MUST generate an Allow header field in a 405 response containing a list of the target resource's currently supported methods.",
        steps: |t| one(format!("TRACE {} HTTP/1.1\r\nHost: {}\r\n\r\n", t.path, t.authority)),
        judge: |ex| match ex.first() {
            Some(m) if m.status == Some(405) => match ex.header(m, "Allow") {
                Some(allow) => pass(format!("405 with Allow: {allow}")),
                None => fail("answered 405 without Allow"),
            },
            Some(m) => skip(format!("TRACE was answered {}, not 405", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    // ---- connections ----------------------------------------------------------
    Check {
        id: "rfc9112-9.3-keep-alive",
        level: Must,
        section: "RFC 9112 §9.3",
        category: Connections,
        title: "Two requests on one connection are both answered, or the first answer says Connection: close",
        rule: "HTTP/1.1 defaults to the use of \"persistent connections\", allowing multiple requests and responses to be carried over a single connection. [§9.6: a server that does not support persistent connections MUST send the \"close\" connection option in every response message that does not have a 1xx (Informational) status code.]",
        steps: |t| {
            vec![
                Step::Send(get(t, "").into_bytes()),
                Step::Await(Until::Responses(1)),
                Step::Send(get_missing(t).into_bytes()),
                Step::Await(Until::Responses(2)),
            ]
        },
        judge: |ex| {
            let finals = ex.finals();
            match finals.as_slice() {
                [a, b, ..] => pass(format!("answered {}, then {} on the same connection", ex.status_line(a), ex.status_line(b))),
                [a] if a.closes => pass(format!("answered {} and said it closes the connection", ex.status_line(a))),
                [a] if ex.closed => fail(format!("answered {}, then closed the connection without saying Connection: close", ex.status_line(a))),
                [a] => fail(format!("answered {}, but not the second request within {} ms", ex.status_line(a), ex.target.wait_ms)),
                [] => fail(ex.silence()),
            }
        },
    },
    Check {
        id: "rfc9112-9.3.2-pipelining",
        level: Must,
        section: "RFC 9112 §9.3.2",
        category: Connections,
        title: "Two requests in one write are answered in order",
        rule: "A server MAY process a sequence of pipelined requests in parallel if they all have safe methods, but it MUST send the corresponding responses in the same order that the requests were received.",
        steps: |t| vec![Step::Send((get(t, "") + &get_missing(t)).into_bytes()), Step::Await(Until::Responses(2))],
        judge: |ex| {
            let finals = ex.finals();
            match finals.as_slice() {
                [a, b, ..] if a.status == Some(404) && b.status != Some(404) => {
                    fail(format!("answered {}, then {}: the answer to {MISSING} came first", ex.status_line(a), ex.status_line(b)))
                }
                [a, b, ..] => pass(format!("answered {}, then {}", ex.status_line(a), ex.status_line(b))),
                [a] if a.closes => pass(format!("answered {} and said it closes the connection; a client sends the second again", ex.status_line(a))),
                [a] => fail(format!("answered {}, and nothing for the second request", ex.status_line(a))),
                [] => fail(ex.silence()),
            }
        },
    },
    Check {
        id: "rfc9112-9.6-close",
        level: Must,
        section: "RFC 9112 §9.6",
        category: Connections,
        title: "After a request with Connection: close the server closes the connection",
        rule: "A server that receives a \"close\" connection option MUST initiate closure of the connection (see below) after it sends the final response to the request that contained the \"close\" connection option.",
        steps: |t| until_close(get(t, "Connection: close\r\n")),
        judge: closes_after,
    },
    Check {
        id: "rfc9112-9.6-close-said",
        level: Should,
        section: "RFC 9112 §9.6",
        category: Connections,
        title: "The answer to a request with Connection: close says Connection: close",
        rule: "The server SHOULD send a \"close\" connection option in its final response on that connection.",
        steps: |t| until_close(get(t, "Connection: close\r\n")),
        judge: |ex| match ex.first() {
            Some(m) if ex.lists(m, "Connection", "close") => pass("the response says Connection: close"),
            Some(_) => fail("the response does not say Connection: close"),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-2.5-http10",
        level: Should,
        section: "RFC 9110 §2.5",
        category: Connections,
        title: "An HTTP/1.0 request is answered in HTTP/1.x",
        rule: "A server SHOULD send a response version equal to the highest version to which the server is conformant that has a major version less than or equal to the one received in the request.",
        steps: |t| until_close(format!("GET {} HTTP/1.0\r\nHost: {}\r\n\r\n", t.path, t.authority)),
        judge: |ex| match ex.first() {
            Some(m) => {
                let version = m.version.map(|v| ex.responses.text(v)).unwrap_or_default();
                match answered(ex) {
                    j if j.verdict != super::Verdict::Pass => j,
                    _ if version.starts_with("HTTP/1.") => pass(format!("answered {} in {version}", ex.status_line(m))),
                    _ => fail(format!("answered an HTTP/1.0 request in {version}")),
                }
            }
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9112-9.3-http10-close",
        level: Must,
        section: "RFC 9112 §9.3",
        category: Connections,
        title: "After an HTTP/1.0 request without keep-alive the connection closes",
        rule: "If the received protocol is HTTP/1.0, the \"keep-alive\" connection option is present, [...] the connection will persist after the current response; otherwise, the connection will close after the current response. [§9.6: a server MUST initiate closure ...]",
        steps: |t| until_close(format!("GET {} HTTP/1.0\r\nHost: {}\r\n\r\n", t.path, t.authority)),
        judge: closes_after,
    },
    Check {
        id: "rfc9112-2.2-one-byte-writes",
        level: Must,
        section: "RFC 9112 §2.2",
        category: Connections,
        title: "A request written one byte per write is answered",
        rule: "A recipient MUST parse an HTTP message as a sequence of octets in an encoding that is a superset of US-ASCII. [TCP keeps no message boundaries: a request may arrive in any number of pieces.]",
        steps: |t| vec![Step::SendBytewise(get(t, "").into_bytes()), Step::Await(Until::Responses(1))],
        judge: answered,
    },
    Check {
        id: "rfc9112-2.2-slow-client",
        level: Must,
        section: "RFC 9112 §2.2",
        category: Connections,
        title: "A request that arrives in pieces, 300 ms apart, is answered",
        rule: "A recipient MUST parse an HTTP message as a sequence of octets in an encoding that is a superset of US-ASCII. [A read that returns part of a head is not the whole head.]",
        steps: |t| {
            vec![
                Step::Send(format!("GET {} HTTP/1.1\r\nHo", t.path).into_bytes()),
                Step::Pause(300),
                Step::Send(format!("st: {}\r\n", t.authority).into_bytes()),
                Step::Pause(300),
                Step::Send(b"\r\n".to_vec()),
                Step::Await(Until::Responses(1)),
            ]
        },
        judge: answered,
    },
    Check {
        id: "rfc9112-2.2-split-line-end",
        level: Must,
        section: "RFC 9112 §2.2",
        category: Connections,
        title: "A request whose CR and LF arrive in different reads is answered",
        rule: "A recipient MUST parse an HTTP message as a sequence of octets in an encoding that is a superset of US-ASCII.",
        steps: |t| {
            vec![
                Step::Send(format!("GET {} HTTP/1.1\r", t.path).into_bytes()),
                Step::Pause(200),
                Step::Send(format!("\nHost: {}\r\n\r", t.authority).into_bytes()),
                Step::Pause(200),
                Step::Send(b"\n".to_vec()),
                Step::Await(Until::Responses(1)),
            ]
        },
        judge: answered,
    },
    Check {
        id: "rfc9112-2.2-leading-empty-line",
        level: Should,
        section: "RFC 9112 §2.2",
        category: Connections,
        title: "An empty line before the request line is ignored",
        rule: "In the interest of robustness, a server that is expecting to receive and parse a request-line SHOULD ignore at least one empty line (CRLF) received prior to the request-line.",
        steps: |t| one(format!("\r\n{}", get(t, ""))),
        judge: answered,
    },
    Check {
        id: "rfc9112-2.2-bare-lf",
        level: May,
        section: "RFC 9112 §2.2",
        category: Connections,
        title: "Lines ended by a bare LF are read, or refused with 400",
        rule: "Although the line terminator for the start-line and fields is the sequence CRLF, a recipient MAY recognize a single LF as a line terminator and ignore any preceding CR.",
        steps: |t| one(format!("GET {} HTTP/1.1\nHost: {}\n\n", t.path, t.authority)),
        judge: |ex| match ex.first() {
            Some(m) if m.status == Some(400) => pass("refused with 400: this server reads CR LF only"),
            Some(m) => pass(format!("answered {}: this server reads a bare LF as a line end", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    // ---- requests that must be rejected --------------------------------------
    Check {
        id: "rfc9112-3.2-missing-host",
        level: Must,
        section: "RFC 9112 §3.2",
        category: Reject,
        title: "An HTTP/1.1 request without Host is refused with 400",
        rule: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that lacks a Host header field and to any request message that contains more than one Host header field line or a Host header field with an invalid field value.",
        steps: |t| one(format!("GET {} HTTP/1.1\r\n\r\n", t.path)),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-3.2-multiple-host",
        level: Must,
        section: "RFC 9112 §3.2",
        category: Reject,
        title: "A request with two Host field lines is refused with 400",
        rule: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that lacks a Host header field and to any request message that contains more than one Host header field line or a Host header field with an invalid field value.",
        steps: |t| one(get(t, "Host: other.example\r\n")),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-3.2-invalid-host",
        level: Must,
        section: "RFC 9112 §3.2",
        category: Reject,
        title: "A Host whose value is not a host is refused with 400",
        rule: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that lacks a Host header field and to any request message that contains more than one Host header field line or a Host header field with an invalid field value.",
        steps: |t| one(format!("GET {} HTTP/1.1\r\nHost: bad/host\r\n\r\n", t.path)),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-2.2-whitespace-before-first-field",
        level: Must,
        section: "RFC 9112 §2.2",
        category: Reject,
        title: "A first field line that starts with a space is refused, or ignored (and then Host is missing: 400)",
        rule: "A recipient that receives whitespace between the start-line and the first header field MUST either reject the message as invalid or consume each whitespace-preceded line without further processing of it.",
        steps: |t| one(format!("GET {} HTTP/1.1\r\n Host: {}\r\n\r\n", t.path, t.authority)),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-5.1-space-before-colon",
        level: Must,
        section: "RFC 9112 §5.1",
        category: Reject,
        title: "A field name followed by a space before the colon is refused with 400",
        rule: "A server MUST reject, with a response status code of 400 (Bad Request), any received request message that contains whitespace between a header field name and colon.",
        steps: |t| one(get(t, "X-Wirepad-Check : 1\r\n")),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-5.1-tab-before-colon",
        level: Must,
        section: "RFC 9112 §5.1",
        category: Reject,
        title: "A field name followed by a tab before the colon is refused with 400",
        rule: "A server MUST reject, with a response status code of 400 (Bad Request), any received request message that contains whitespace between a header field name and colon.",
        steps: |t| one(get(t, "X-Wirepad-Check\t: 1\r\n")),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-5.1-transfer-encoding-space-before-colon",
        level: Must,
        section: "RFC 9112 §5.1",
        category: Reject,
        title: "\"Transfer-Encoding : chunked\" beside Content-Length is refused with 400",
        rule: "A server MUST reject, with a response status code of 400 (Bad Request), any received request message that contains whitespace between a header field name and colon.",
        steps: |t| smuggle(t, "HTTP/1.1", "Content-Length: 5\r\nTransfer-Encoding : chunked\r\n", "0\r\n\r\n"),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-5.2-obs-fold",
        level: Must,
        section: "RFC 9112 §5.2",
        category: Reject,
        title: "A folded field line is refused with 400 (or the fold read as spaces)",
        rule: "A server that receives an obs-fold in a request message that is not within a \"message/http\" container MUST either reject the message by sending a 400 (Bad Request), preferably with a representation explaining that obsolete line folding is unacceptable, or replace each received obs-fold with one or more SP octets prior to interpreting the field value or forwarding the message downstream.",
        steps: |t| one(get(t, "X-Wirepad-Check: a\r\n b\r\n")),
        judge: refused_or_replaced,
    },
    Check {
        id: "rfc9112-2.2-bare-cr",
        level: Must,
        section: "RFC 9112 §2.2",
        category: Reject,
        title: "A bare CR in a field value is refused with 400 (or read as a space)",
        rule: "A recipient of such a bare CR MUST consider that element to be invalid or replace each bare CR with SP before processing the element or forwarding the message.",
        steps: |t| one(get(t, "X-Wirepad-Check: a\rb\r\n")),
        judge: refused_or_replaced,
    },
    Check {
        id: "rfc9110-5.5-nul-in-value",
        level: Must,
        section: "RFC 9110 §5.5",
        category: Reject,
        title: "A NUL in a field value is refused with 400 (or read as a space)",
        rule: "Field values containing CR, LF, or NUL characters are invalid and dangerous [...]; a recipient of CR, LF, or NUL within a field value MUST either reject the message or replace each of those characters with SP before further processing or forwarding of that message.",
        steps: |t| one(get(t, "X-Wirepad-Check: a\0b\r\n")),
        judge: refused_or_replaced,
    },
    Check {
        id: "rfc9112-2.2-missing-colon",
        level: Should,
        section: "RFC 9112 §2.2",
        category: Reject,
        title: "A field line without a colon is refused with 400",
        rule: "When a server listening only for HTTP request messages [...] receives a sequence of octets that does not match the HTTP-message grammar aside from the robustness exceptions listed above, the server SHOULD respond with a 400 (Bad Request) response and close the connection.",
        steps: |t| one(get(t, "X-Wirepad-Check\r\n")),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-2.2-empty-field-name",
        level: Should,
        section: "RFC 9112 §2.2",
        category: Reject,
        title: "A field line with an empty name is refused with 400",
        rule: "When a server listening only for HTTP request messages [...] receives a sequence of octets that does not match the HTTP-message grammar aside from the robustness exceptions listed above, the server SHOULD respond with a 400 (Bad Request) response and close the connection.",
        steps: |t| one(get(t, ": no name\r\n")),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-2.2-invalid-field-name",
        level: Should,
        section: "RFC 9112 §2.2",
        category: Reject,
        title: "A field name with a character a token cannot hold is refused with 400",
        rule: "When a server listening only for HTTP request messages [...] receives a sequence of octets that does not match the HTTP-message grammar aside from the robustness exceptions listed above, the server SHOULD respond with a 400 (Bad Request) response and close the connection.",
        steps: |t| one(get(t, "X(Wirepad): 1\r\n")),
        judge: refused_400,
    },
    Check {
        id: "rfc9112-3-space-in-target",
        level: Should,
        section: "RFC 9112 §3",
        category: Reject,
        title: "A request target with a space in it is refused with 400",
        rule: "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) error or a 301 (Moved Permanently) redirect with the request-target properly encoded.",
        steps: |t| one(format!("GET /wirepad check HTTP/1.1\r\nHost: {}\r\n\r\n", t.authority)),
        judge: invalid_request_line,
    },
    Check {
        id: "rfc9112-3-control-in-target",
        level: Should,
        section: "RFC 9112 §3",
        category: Reject,
        title: "A request target with a control byte in it is refused with 400",
        rule: "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) error or a 301 (Moved Permanently) redirect with the request-target properly encoded.",
        steps: |t| one(format!("GET /wirepad\x01check HTTP/1.1\r\nHost: {}\r\n\r\n", t.authority)),
        judge: invalid_request_line,
    },
    Check {
        id: "rfc9112-3-malformed-version",
        level: Should,
        section: "RFC 9112 §3",
        category: Reject,
        title: "HTTP/1.01 (two minor digits) is refused with 400",
        rule: "HTTP-version = HTTP-name \"/\" DIGIT \".\" DIGIT. Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) error or a 301 (Moved Permanently) redirect with the request-target properly encoded.",
        steps: |t| one(format!("GET {} HTTP/1.01\r\nHost: {}\r\n\r\n", t.path, t.authority)),
        judge: version_refused,
    },
    Check {
        id: "rfc9112-3-lowercase-version",
        level: Should,
        section: "RFC 9112 §3",
        category: Reject,
        title: "http/1.1 in lower case is refused with 400",
        rule: "HTTP-name = %s\"HTTP\" (case-sensitive). Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) error or a 301 (Moved Permanently) redirect with the request-target properly encoded.",
        steps: |t| one(format!("GET {} http/1.1\r\nHost: {}\r\n\r\n", t.path, t.authority)),
        judge: version_refused,
    },
    Check {
        id: "rfc9110-15.6.6-http2-version",
        level: Should,
        section: "RFC 9110 §15.6.6",
        category: Reject,
        title: "A request line saying HTTP/2.0 is refused with 505 (or 400)",
        rule: "The 505 (HTTP Version Not Supported) status code indicates that the server does not support, or refuses to support, the major version of HTTP that was used in the request message. [HTTP/2 is not written as text lines at all; a server SHOULD NOT answer this as HTTP/1.1.]",
        steps: |t| one(format!("GET {} HTTP/2.0\r\nHost: {}\r\n\r\n", t.path, t.authority)),
        judge: version_refused,
    },
    Check {
        id: "rfc9112-3-long-request-line",
        level: Must,
        section: "RFC 9112 §3",
        category: Reject,
        title: "A 70,000-byte request target is refused with 414 (URI Too Long), or read",
        rule: "A server that receives a request-target longer than any URI it wishes to parse MUST respond with a 414 (URI Too Long) status code.",
        steps: |t| {
            let sep = if t.path.contains('?') { '&' } else { '?' };
            one(format!("GET {}{sep}wirepad={} HTTP/1.1\r\nHost: {}\r\n\r\n", t.path, "a".repeat(70_000), t.authority))
        },
        judge: |ex| match ex.first() {
            Some(m) if m.status.is_some_and(|s| s < 400 || s == 404) => {
                pass(format!("answered {}: the server read the whole target", ex.status_line(m)))
            }
            _ => refused(ex, 414),
        },
    },
    Check {
        id: "rfc9112-3-long-method",
        level: Should,
        section: "RFC 9112 §3",
        category: Reject,
        title: "A 1,000-byte method is refused with 501 (Not Implemented)",
        rule: "A server that receives a method longer than any that it implements SHOULD respond with a 501 (Not Implemented) status code.",
        steps: |t| one(format!("{} {} HTTP/1.1\r\nHost: {}\r\n\r\n", "W".repeat(1000), t.path, t.authority)),
        judge: |ex| refused(ex, 501),
    },
    Check {
        id: "rfc6585-5-long-header-section",
        level: Should,
        section: "RFC 6585 §5",
        category: Reject,
        title: "A 100 KB header section (200 fields) is refused with 431",
        rule: "The 431 status code indicates that the server is unwilling to process the request because its header fields are too large. [A server SHOULD bound what it reads of a head; 431 says why it stopped.]",
        steps: |t| {
            let fields: String = (0..200).map(|i| format!("X-Wirepad-{i}: {}\r\n", "a".repeat(500))).collect();
            one(get(t, &fields))
        },
        judge: |ex| refused(ex, 431),
    },
    Check {
        id: "rfc6585-5-long-field-line",
        level: Should,
        section: "RFC 6585 §5",
        category: Reject,
        title: "One 70,000-byte field line is refused with 431",
        rule: "The 431 status code indicates that the server is unwilling to process the request because its header fields are too large. [A server SHOULD bound what it reads of a head; 431 says why it stopped.]",
        steps: |t| one(get(t, &format!("X-Wirepad-Check: {}\r\n", "a".repeat(70_000)))),
        judge: |ex| refused(ex, 431),
    },
    Check {
        id: "rfc9112-6.1-content-length-and-chunked",
        level: Must,
        section: "RFC 9112 §6.1",
        category: Reject,
        title: "After a request with both Content-Length and Transfer-Encoding the connection closes",
        rule: "A server MAY reject a request that contains both Content-Length and Transfer-Encoding or process such a request in accordance with the Transfer-Encoding alone. Regardless, the server MUST close the connection after responding to such a request to avoid the potential attacks.",
        steps: |t| smuggle(t, "HTTP/1.1", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
        judge: closes_after,
    },
    Check {
        id: "rfc9112-6.1-transfer-encoding-http10",
        level: Must,
        section: "RFC 9112 §6.1",
        category: Reject,
        title: "After an HTTP/1.0 request with Transfer-Encoding the connection closes, even with keep-alive",
        rule: "A server or client that receives an HTTP/1.0 message containing a Transfer-Encoding header field MUST treat the message as if the framing is faulty, even if a Content-Length is present, and close the connection after processing the message.",
        steps: |t| {
            let fields = "Connection: keep-alive\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n";
            smuggle(t, "HTTP/1.0", fields, "0\r\n\r\n")
        },
        judge: closes_after,
    },
    Check {
        id: "rfc9112-6.1-unknown-transfer-coding",
        level: Should,
        section: "RFC 9112 §6.1",
        category: Reject,
        title: "A transfer coding the server does not know is refused with 501",
        rule: "A server that receives a request message with a transfer coding it does not understand SHOULD respond with 501 (Not Implemented).",
        steps: |t| smuggle(t, "HTTP/1.1", "Transfer-Encoding: wirepad, chunked\r\n", "0\r\n\r\n"),
        judge: |ex| refused(ex, 501),
    },
    Check {
        id: "rfc9112-6.3-chunked-not-last",
        level: Must,
        section: "RFC 9112 §6.3",
        category: Reject,
        title: "Transfer-Encoding without chunked last is refused with 400, then the connection closes",
        rule: "If a Transfer-Encoding header field is present in a request and the chunked transfer coding is not the final encoding, the message body length cannot be determined reliably; the server MUST respond with the 400 (Bad Request) status code and then close the connection.",
        steps: |t| smuggle(t, "HTTP/1.1", "Transfer-Encoding: gzip\r\n", "hello"),
        judge: refused_and_closed,
    },
    Check {
        id: "rfc9112-6.3-two-content-lengths",
        level: Must,
        section: "RFC 9112 §6.3",
        category: Reject,
        title: "Two Content-Length lines that differ are refused with 400, then the connection closes",
        rule: "If a message is received without Transfer-Encoding and with an invalid Content-Length header field, then the message framing is invalid and the recipient MUST treat it as an unrecoverable error [...]. If the unrecoverable error is in a request message, the server MUST respond with a 400 (Bad Request) status code and then close the connection.",
        steps: |t| smuggle(t, "HTTP/1.1", "Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"),
        judge: refused_and_closed,
    },
    Check {
        id: "rfc9112-6.3-content-length-list",
        level: Must,
        section: "RFC 9112 §6.3",
        category: Reject,
        title: "Content-Length: 5, 6 is refused with 400, then the connection closes",
        rule: "[...] unless the field value can be successfully parsed as a comma-separated list, all values in the list are valid, and all values in the list are the same [...]. If the unrecoverable error is in a request message, the server MUST respond with a 400 (Bad Request) status code and then close the connection.",
        steps: |t| smuggle(t, "HTTP/1.1", "Content-Length: 5, 6\r\n", "hello!"),
        judge: refused_and_closed,
    },
    Check {
        id: "rfc9112-6.3-invalid-content-length",
        level: Must,
        section: "RFC 9112 §6.3",
        category: Reject,
        title: "Content-Length: abc is refused with 400, then the connection closes",
        rule: "If a message is received without Transfer-Encoding and with an invalid Content-Length header field, then the message framing is invalid and the recipient MUST treat it as an unrecoverable error [...]. If the unrecoverable error is in a request message, the server MUST respond with a 400 (Bad Request) status code and then close the connection.",
        steps: |t| smuggle(t, "HTTP/1.1", "Content-Length: abc\r\n", "hello"),
        judge: refused_and_closed,
    },
    Check {
        id: "rfc9112-6.3-negative-content-length",
        level: Must,
        section: "RFC 9112 §6.3",
        category: Reject,
        title: "Content-Length: -5 is refused with 400, then the connection closes",
        rule: "Content-Length = 1*DIGIT. If a message is received without Transfer-Encoding and with an invalid Content-Length header field [...] the server MUST respond with a 400 (Bad Request) status code and then close the connection.",
        steps: |t| smuggle(t, "HTTP/1.1", "Content-Length: -5\r\n", "hello"),
        judge: refused_and_closed,
    },
    Check {
        id: "rfc9112-6.3-plus-content-length",
        level: Must,
        section: "RFC 9112 §6.3",
        category: Reject,
        title: "Content-Length: +5 is refused with 400, then the connection closes",
        rule: "Content-Length = 1*DIGIT. If a message is received without Transfer-Encoding and with an invalid Content-Length header field [...] the server MUST respond with a 400 (Bad Request) status code and then close the connection.",
        steps: |t| smuggle(t, "HTTP/1.1", "Content-Length: +5\r\n", "hello"),
        judge: refused_and_closed,
    },
    Check {
        id: "rfc9112-7.1-invalid-chunk-size",
        level: Must,
        section: "RFC 9112 §7.1",
        category: Reject,
        title: "A chunk size that is not hexadecimal is refused with 400, then the connection closes",
        rule: "chunk-size = 1*HEXDIG. A recipient MUST be able to parse and decode the chunked transfer coding. [RFC 9112 §2.2: the server SHOULD respond with a 400 (Bad Request) response and close the connection.]",
        steps: |t| smuggle(t, "HTTP/1.1", "Transfer-Encoding: chunked\r\n", "zz\r\nhello\r\n0\r\n\r\n"),
        judge: body_refused,
    },
    Check {
        id: "rfc9112-7.1-chunk-size-overflow",
        level: Must,
        section: "RFC 9112 §7.1",
        category: Reject,
        title: "A chunk size past 64 bits is refused, not wrapped around",
        rule: "Recipients MUST anticipate potentially large hexadecimal numerals and prevent parsing errors due to integer conversion overflows or precision loss due to integer representation.",
        steps: |t| smuggle(t, "HTTP/1.1", "Transfer-Encoding: chunked\r\n", "10000000000000005\r\nhello\r\n0\r\n\r\n"),
        judge: body_refused,
    },
    Check {
        id: "rfc9112-7.1-chunk-overrun",
        level: Must,
        section: "RFC 9112 §7.1",
        category: Reject,
        title: "Chunk data longer than its size is refused with 400, then the connection closes",
        rule: "chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF. A recipient MUST be able to parse and decode the chunked transfer coding.",
        steps: |t| smuggle(t, "HTTP/1.1", "Transfer-Encoding: chunked\r\n", "5\r\nhello, and more\r\n0\r\n\r\n"),
        judge: body_refused,
    },
    Check {
        id: "rfc9112-7.1-chunked-bare-lf",
        level: Should,
        section: "RFC 9112 §7.1",
        category: Reject,
        title: "Chunk lines ended by a bare LF are refused with 400",
        rule: "chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF. [The leniency for a bare LF covers the start line and field lines only (§2.2); a server SHOULD respond with a 400 (Bad Request) response and close the connection.]",
        steps: |t| smuggle(t, "HTTP/1.1", "Transfer-Encoding: chunked\r\n", "5\nhello\n0\n\n"),
        judge: body_refused,
    },
    // ---- semantics --------------------------------------------------------------
    Check {
        id: "rfc9110-10.1.1-expect-continue",
        level: Must,
        section: "RFC 9110 §10.1.1",
        category: Semantics,
        title: "Expect: 100-continue gets 100 (Continue) or a final answer at once",
        rule: "An origin server MUST, upon receiving an HTTP/1.1 (or later) request-line and a complete header section that contains a 100-continue expectation and indicates a request message body will follow, either send an immediate response with a final status code, if that status can be determined by examining just the request-line and header fields, or send an immediate 100 (Continue) response to encourage the client to send the request content.",
        steps: |t| {
            let head = format!("POST {} HTTP/1.1\r\nHost: {}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", t.path, t.authority);
            vec![
                Step::Send(head.into_bytes()),
                Step::Await(Until::Head),
                Step::Send(b"hello".to_vec()),
                Step::Await(Until::Responses(1)),
            ]
        },
        judge: |ex| {
            // Step 1 is the wait for an answer to the head alone.
            if ex.steps.get(1).is_some_and(|s| s.timed_out) {
                return fail(format!("nothing came back within {} ms of the head: the client had to send the body blind", ex.target.wait_ms));
            }
            let interim = ex.responses.messages.iter().any(|m| m.status == Some(100));
            match ex.first() {
                Some(m) if interim => pass(format!("sent 100 Continue, then {} after the body", ex.status_line(m))),
                Some(m) => pass(format!("answered {} at once, without asking for the body", ex.status_line(m))),
                None => fail(ex.silence()),
            }
        },
    },
    Check {
        id: "rfc9110-10.1.1-expect-http10",
        level: Must,
        section: "RFC 9110 §10.1.1",
        category: Semantics,
        title: "Expect: 100-continue in an HTTP/1.0 request is ignored: no 100",
        rule: "A server that receives a 100-continue expectation in an HTTP/1.0 request MUST ignore that expectation.",
        steps: |t| {
            one(format!("POST {} HTTP/1.0\r\nHost: {}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello", t.path, t.authority))
        },
        judge: |ex| match ex.first() {
            _ if ex.responses.messages.iter().any(|m| m.status == Some(100)) => fail("sent 100 Continue to an HTTP/1.0 client, which cannot know it"),
            Some(m) => pass(format!("answered {} with no 100", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-10.1.1-unknown-expectation",
        level: May,
        section: "RFC 9110 §10.1.1",
        category: Semantics,
        title: "An expectation the server cannot meet gets 417 (Expectation Failed), or is ignored",
        rule: "A server that receives an Expect field value containing a member other than 100-continue MAY respond with a 417 (Expectation Failed) status code to indicate that the unexpected expectation cannot be met.",
        steps: |t| one(get(t, "Expect: wirepad-check\r\n")),
        judge: |ex| match ex.first() {
            Some(m) if m.status == Some(417) => pass("answered 417 Expectation Failed"),
            Some(m) if m.status.is_some_and(|s| s < 400) => pass(format!("answered {}: the expectation was ignored", ex.status_line(m))),
            Some(m) => fail(format!("answered {}", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-13.1.2-if-none-match",
        level: Must,
        section: "RFC 9110 §13.1.2",
        category: Semantics,
        title: "GET with If-None-Match: its own ETag is answered 304 (Not Modified)",
        rule: "An origin server that evaluates an If-None-Match condition MUST NOT perform the requested method if the condition evaluates to false; instead, the origin server MUST respond with either a) the 304 (Not Modified) status code if the request method is GET or HEAD or b) the 412 (Precondition Failed) status code for all other request methods.",
        steps: |t| conditional(t, |t, p| follow_with(t, p, "ETag", "If-None-Match")),
        judge: |ex| revalidated(ex, "ETag", "If-None-Match"),
    },
    Check {
        id: "rfc9110-13.1.3-if-modified-since",
        level: Should,
        section: "RFC 9110 §13.1.3",
        category: Semantics,
        title: "GET with If-Modified-Since: its own Last-Modified is answered 304 (Not Modified)",
        rule: "If-Modified-Since makes a GET or HEAD request method conditional on the selected representation's modification date being more recent than the date provided in the field value. [§13.2.1: an origin server MUST evaluate received request preconditions ...; a server SHOULD answer 304 when the representation has not changed.]",
        steps: |t| conditional(t, |t, p| follow_with(t, p, "Last-Modified", "If-Modified-Since")),
        judge: |ex| revalidated(ex, "Last-Modified", "If-Modified-Since"),
    },
    Check {
        id: "rfc9110-15.4.5-not-modified-fields",
        level: Must,
        section: "RFC 9110 §15.4.5",
        category: Semantics,
        title: "A 304 carries the Date and ETag a 200 would",
        rule: "The server generating a 304 response MUST generate any of the following header fields that would have been sent in a 200 (OK) response to the same request: Content-Location, Date, ETag, and Vary.",
        steps: |t| conditional(t, |t, p| follow_with(t, p, "ETag", "If-None-Match")),
        judge: not_modified_fields,
    },
    Check {
        id: "rfc9110-15.4.5-not-modified-no-content",
        level: Must,
        section: "RFC 9110 §15.4.5",
        category: Semantics,
        title: "A 304 ends with its head: no content follows",
        rule: "A 304 response is terminated by the end of the header section; it cannot contain content or trailers.",
        steps: |t| conditional(t, |t, p| follow_with(t, p, "ETag", "If-None-Match")),
        judge: |ex| match ex.finals().get(1) {
            Some(m) if m.status == Some(304) => {
                let after = ex.responses.input.len() - m.end;
                if after > 0 {
                    fail(format!("{after} bytes followed the head of the 304"))
                } else {
                    pass("the 304 ended with its head")
                }
            }
            Some(m) => skip(format!("the conditional GET was answered {}, not 304", ex.status_line(m))),
            None => skip("no conditional GET was answered (no ETag, or no second response)"),
        },
    },
    Check {
        id: "rfc9110-13.1.3-invalid-date-ignored",
        level: Must,
        section: "RFC 9110 §13.1.3",
        category: Semantics,
        title: "If-Modified-Since that is not a date is ignored: 200, not 304",
        rule: "A recipient MUST ignore the If-Modified-Since header field if the received field value is not a valid HTTP-date, the field value has more than one member, or if the request method is neither GET nor HEAD.",
        steps: |t| one(get(t, "If-Modified-Since: not a date\r\n")),
        judge: |ex| match ex.first() {
            Some(m) if m.status == Some(304) => fail("answered 304 Not Modified to a condition that is not a date"),
            Some(m) if m.status.is_some_and(|s| (200..300).contains(&s)) => pass(format!("answered {}", ex.status_line(m))),
            Some(m) => skip(format!("answered {}, not 2xx: nothing to compare", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-13.1.1-if-match",
        level: Must,
        section: "RFC 9110 §13.1.1",
        category: Semantics,
        title: "GET with If-Match: a tag that does not match is answered 412 (Precondition Failed)",
        rule: "An origin server MUST NOT perform the requested method if a received If-Match condition evaluates to false. Instead, the origin server MAY indicate that the conditional request failed by responding with a 412 (Precondition Failed) status code.",
        steps: |t| {
            conditional(t, |t, p| {
                let m = finals(p).next()?;
                p.header(m, "ETag")?;
                Some(get(t, "If-Match: \"wirepad-no-such-tag\"\r\nConnection: close\r\n").into_bytes())
            })
        },
        judge: |ex| {
            let first = match first_success(ex) {
                Ok(m) => m,
                Err(j) => return j,
            };
            if ex.header(first, "ETag").is_none() {
                return skip("the path has no ETag: the server may not evaluate If-Match");
            }
            match ex.finals().get(1) {
                Some(m) if m.status == Some(412) => pass("answered 412 Precondition Failed"),
                Some(m) => fail(format!("answered {} although the tag does not match", ex.status_line(m))),
                None => fail(ex.silence()),
            }
        },
    },
    Check {
        id: "rfc9112-3.2.4-asterisk-form",
        level: Should,
        section: "RFC 9112 §3.2.4",
        category: Semantics,
        title: "OPTIONS * is about the server, not a file named *",
        rule: "The asterisk-form of request-target is only used for a server-wide OPTIONS request. [RFC 9110 §9.3.7: an OPTIONS request with an asterisk (\"*\") as the request-target applies to the server in general rather than to a specific resource; a server that does not implement OPTIONS SHOULD answer 501.]",
        steps: |t| one(format!("OPTIONS * HTTP/1.1\r\nHost: {}\r\n\r\n", t.authority)),
        judge: |ex| match ex.first() {
            Some(m) => match m.status.unwrap_or_default() {
                200..=299 => pass(format!("answered {}", ex.status_line(m))),
                405 | 501 => pass(format!("answered {}: OPTIONS is not implemented, which the rules allow", ex.status_line(m))),
                404 => fail("answered 404 Not Found: the server looked for a resource named *"),
                _ => fail(format!("answered {}", ex.status_line(m))),
            },
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-9.3.7-options-allow",
        level: Should,
        section: "RFC 9110 §9.3.7",
        category: Semantics,
        title: "A successful answer to OPTIONS lists the methods in Allow",
        rule: "A server generating a successful response to OPTIONS SHOULD send any header that might indicate optional features implemented by the server and applicable to the target resource (e.g., Allow), including potential extensions not defined by this specification.",
        steps: |t| one(format!("OPTIONS {} HTTP/1.1\r\nHost: {}\r\n\r\n", t.path, t.authority)),
        judge: |ex| match ex.first() {
            Some(m) if m.status.is_some_and(|s| (200..300).contains(&s)) => match ex.header(m, "Allow") {
                Some(allow) => pass(format!("Allow: {allow}")),
                None => fail(format!("answered {} without Allow", ex.status_line(m))),
            },
            Some(m) => skip(format!("OPTIONS was answered {}: not implemented", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9112-3.2.2-absolute-form",
        level: Must,
        section: "RFC 9112 §3.2.2",
        category: Semantics,
        title: "GET http://host/path (absolute-form) is answered like GET /path",
        rule: "A server MUST accept the absolute-form in requests even though most HTTP/1.1 clients will only send the absolute-form to a proxy.",
        steps: |t| one(format!("GET http://{}{} HTTP/1.1\r\nHost: {}\r\n\r\n", t.authority, t.path, t.authority)),
        judge: |ex| match ex.first() {
            Some(m) if m.status.is_some_and(|s| s < 400) => pass(format!("answered {}", ex.status_line(m))),
            Some(m) => fail(format!("answered {}: the absolute-form was not read as the path", ex.status_line(m))),
            None => fail(ex.silence()),
        },
    },
    Check {
        id: "rfc9110-5.1-field-name-case",
        level: Must,
        section: "RFC 9110 §5.1",
        category: Semantics,
        title: "hOsT is read as Host: field names are case-insensitive",
        rule: "Field names are case-insensitive. [RFC 9112 §3.2: a server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that lacks a Host header field: a server that misses hOsT refuses a valid request.]",
        steps: |t| one(format!("GET {} HTTP/1.1\r\nhOsT: {}\r\n\r\n", t.path, t.authority)),
        judge: answered,
    },
    Check {
        id: "rfc9110-7.6.1-connection-option-case",
        level: Must,
        section: "RFC 9110 §7.6.1",
        category: Semantics,
        title: "cOnNeCtIoN: ClOsE closes the connection: names and options are case-insensitive",
        rule: "Connection options are case-insensitive. [RFC 9112 §9.6: a server that receives a \"close\" connection option MUST initiate closure of the connection after it sends the final response.]",
        steps: |t| until_close(get(t, "cOnNeCtIoN: ClOsE\r\n")),
        judge: closes_after,
    },
    Check {
        id: "rfc9110-9.3.1-body-on-get",
        level: Must,
        section: "RFC 9110 §9.3.1",
        category: Semantics,
        title: "A GET with a Content-Length body: the body is read, the next request answered",
        rule: "Although request message framing is independent of the method used, content received in a GET request has no generally defined semantics [...] and might lead some implementations to reject the request and close the connection. [RFC 9112 §6.3: a valid Content-Length defines the body length; a server MUST read it or close.]",
        steps: |t| body_then_next(t, get(t, "Content-Length: 5\r\n"), "hello"),
        judge: |ex| match ex.first() {
            Some(m) if m.status == Some(400) && (ex.closed || m.closes) => pass("refused with 400 and closed, which the rule allows"),
            _ => read_body_then_next(ex),
        },
    },
    Check {
        id: "rfc9112-7.1-chunked-request",
        level: Must,
        section: "RFC 9112 §7.1",
        category: Semantics,
        title: "A chunked request body is read, and the request after it answered",
        rule: "A recipient MUST be able to parse and decode the chunked transfer coding.",
        steps: |t| {
            let head = format!("POST {} HTTP/1.1\r\nHost: {}\r\nTransfer-Encoding: chunked\r\n\r\n", t.path, t.authority);
            body_then_next(t, head, "5\r\nhello\r\n0\r\n\r\n")
        },
        judge: read_body_then_next,
    },
    Check {
        id: "rfc9112-7.1.1-chunk-extension",
        level: Must,
        section: "RFC 9112 §7.1.1",
        category: Semantics,
        title: "A chunk extension is ignored: the body is read, the next request answered",
        rule: "A recipient MUST ignore unrecognized chunk extensions.",
        steps: |t| {
            let head = format!("POST {} HTTP/1.1\r\nHost: {}\r\nTransfer-Encoding: chunked\r\n\r\n", t.path, t.authority);
            body_then_next(t, head, "5;wirepad=check\r\nhello\r\n0\r\n\r\n")
        },
        judge: read_body_then_next,
    },
];

/// The response has none of these grammar problems (from wirepad's parse).
fn grammar(ex: &Exchange, codes: &[Code]) -> Judgement {
    let found: Vec<String> = ex
        .responses
        .diagnostics
        .iter()
        .filter(|d| codes.contains(&d.code))
        .map(|d| format!("{} at bytes {}..{}: {}", d.code, d.start, d.end, d.message))
        .collect();
    if !found.is_empty() {
        return fail(found.join("; "));
    }
    match ex.first() {
        Some(m) => pass(format!("{} is well-formed", ex.status_line(m))),
        None => fail(ex.silence()),
    }
}

/// An invalid request line: 400, or a 301 to the target properly encoded.
fn invalid_request_line(ex: &Exchange) -> Judgement {
    match ex.first() {
        Some(m) if m.status == Some(301) => pass("answered 301 Moved Permanently, which the rule allows"),
        _ => refused_400(ex),
    }
}

/// A version the server cannot speak: 505 and 400 both refuse it.
fn version_refused(ex: &Exchange) -> Judgement {
    match ex.first() {
        Some(m) if m.status == Some(505) => pass("answered 505 HTTP Version Not Supported"),
        _ => invalid_request_line(ex),
    }
}

/// GET, then HEAD on the same connection: same status, same fields (but
/// for those only the content decides).
fn head_fields(ex: &Exchange) -> Judgement {
    let finals = ex.finals();
    let [get, head, ..] = finals.as_slice() else {
        return match finals.first() {
            Some(m) if m.closes || ex.closed => {
                skip(format!("answered {} and closed: no HEAD on this connection", ex.status_line(m)))
            }
            _ => fail(ex.silence()),
        };
    };
    if get.status != head.status {
        return fail(format!("GET was answered {}, HEAD {}", ex.status_line(get), ex.status_line(head)));
    }
    let p = ex.responses;
    let names = |m: &crate::Message| -> Vec<String> {
        p.headers(m).iter().map(|h| p.text(h.name).to_ascii_lowercase()).collect()
    };
    let (of_get, of_head) = (names(get), names(head));
    // Fields that describe the content or the connection may differ.
    let exempt =
        ["date", "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding", "vary"];
    let missing: Vec<&String> =
        of_get.iter().filter(|n| !of_head.contains(n) && !exempt.contains(&n.as_str())).collect();
    match (ex.header(get, "Content-Length"), ex.header(head, "Content-Length")) {
        (Some(a), Some(b)) if a != b => {
            return fail(format!("HEAD says Content-Length: {b}, GET sent {a} bytes"));
        }
        _ => {}
    }
    if missing.is_empty() {
        pass(format!("both answered {} with the same fields", ex.status_line(get)))
    } else {
        let missing: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        fail(format!("the answer to HEAD lacks {} that GET's has", missing.join(", ")))
    }
}

/// The first response has validator `from`; the conditional request sent
/// back with `field` gets 304.
fn revalidated(ex: &Exchange, from: &str, field: &str) -> Judgement {
    let first = match first_success(ex) {
        Ok(m) => m,
        Err(j) => return j,
    };
    let Some(validator) = ex.header(first, from) else {
        return skip(format!("the path has no {from}: nothing to send back in {field}"));
    };
    match ex.finals().get(1) {
        Some(m) if m.status == Some(304) => pass(format!("{field}: {validator} was answered 304 Not Modified")),
        Some(m) => fail(format!("{field}: {validator} (its own {from}) was answered {}", ex.status_line(m))),
        None if ex.closed && ex.steps.get(1).is_some_and(|s| s.received == ex.responses.input.len()) => {
            skip("the server closed the connection after the first response")
        }
        None => fail(ex.silence()),
    }
}

/// The 304 to If-None-Match repeats the 200's Date and ETag.
fn not_modified_fields(ex: &Exchange) -> Judgement {
    let finals = ex.finals();
    let [ok, not_modified, ..] = finals.as_slice() else {
        return skip("no conditional GET was answered (no ETag, or no second response)");
    };
    if not_modified.status != Some(304) {
        return skip(format!("the conditional GET was answered {}, not 304", ex.status_line(not_modified)));
    }
    let lacking: Vec<&str> = ["Date", "ETag", "Content-Location", "Vary"]
        .into_iter()
        .filter(|f| ex.header(ok, f).is_some() && ex.header(not_modified, f).is_none())
        .collect();
    if lacking.is_empty() {
        pass("the 304 has the Date and ETag of the 200")
    } else {
        fail(format!("the 304 lacks {} that the 200 has", lacking.join(", ")))
    }
}

/// A request with a body, then GET of the missing page in the same write:
/// both answered means the body was read as a body.
fn read_body_then_next(ex: &Exchange) -> Judgement {
    let finals = ex.finals();
    match finals.as_slice() {
        // The body read as a request: its bytes make a method no server has.
        [a, b, ..] if matches!(b.status, Some(400 | 405 | 501)) => fail(format!(
            "answered {}, then {}: the body was read as the start of the next request",
            ex.status_line(a),
            ex.status_line(b)
        )),
        [a, b, ..] => pass(format!("answered {}, then {}: the body was read", ex.status_line(a), ex.status_line(b))),
        [a] if a.status == Some(400) => fail(format!("answered {}: a valid request was refused", ex.status_line(a))),
        [a] if a.closes || ex.closed => {
            skip(format!("answered {} and closed the connection: the body may never have been read", ex.status_line(a)))
        }
        [a] => fail(format!("answered {}, and nothing for the request after the body", ex.status_line(a))),
        [] => fail(ex.silence()),
    }
}

/// IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7).
///
/// ```text
/// IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
/// date1       = day SP month SP year   ; e.g., 02 Jun 1982
/// time-of-day = hour ":" minute ":" second
/// ```
pub fn imf_fixdate(s: &str) -> bool {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    b.len() == 29
        && DAYS.contains(&&s[0..3])
        && &s[3..5] == ", "
        && digits(5..7)
        && b[7] == b' '
        && MONTHS.contains(&&s[8..11])
        && b[11] == b' '
        && digits(12..16)
        && b[16] == b' '
        && digits(17..19)
        && b[19] == b':'
        && digits(20..22)
        && b[22] == b':'
        && digits(23..25)
        && &s[25..] == " GMT"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{judge::Judgement, Run, StepEnd, Verdict};
    use crate::parse::MessageKind;
    use crate::parser::{parse, Options};

    /// The judge of check `id` on the bytes of its own steps (Follow steps
    /// made from `received`) and `received`.
    fn judged(id: &str, received: &[u8], closed: bool) -> Judgement {
        let check = SUITE.iter().find(|c| c.id == id).unwrap();
        let target = Target::new("h", "/");
        let mut run = Run::new(check, target.clone());
        run.received(received);
        // Send everything, waiting nowhere (the clock jumps past every deadline).
        let mut now = 0;
        while run.next(now) != crate::check::Action::Done {
            now += 100_000;
        }
        let sent = run.sent.clone();
        let responses = parse(MessageKind::Response, received, &Options::answering(&sent));
        let steps = vec![StepEnd { received: received.len(), timed_out: false }; 4];
        (check.judge)(&Exchange { target: &target, sent: &sent, responses: &responses, closed, steps: &steps })
    }

    const OK: &str = "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";
    const NOT_FOUND: &str = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    const BAD: &str = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

    fn verdict(id: &str, received: &str, closed: bool) -> Verdict {
        judged(id, received.as_bytes(), closed).verdict
    }

    #[test]
    fn imf_fixdate_is_the_one_date_format_sent() {
        assert!(imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT"));
        assert!(!imf_fixdate("Sunday, 06-Nov-94 08:49:37 GMT"), "rfc850-date");
        assert!(!imf_fixdate("Sun Nov  6 08:49:37 1994"), "asctime-date");
        assert!(!imf_fixdate("Sun, 06 Nov 1994 08:49:37 UTC"));
        assert!(!imf_fixdate("Sún, 06 Nov 1994 08:49:37 GM"));
    }

    #[test]
    fn basics_on_good_and_bad_responses() {
        assert_eq!(verdict("rfc9110-6.6.1-date", OK, false), Verdict::Pass);
        assert_eq!(verdict("rfc9110-6.6.1-date", NOT_FOUND, false), Verdict::Fail);
        assert_eq!(verdict("rfc9110-5.6.7-imf-fixdate", OK, false), Verdict::Pass);
        let asctime = "HTTP/1.1 200 OK\r\nDate: Sun Nov  6 08:49:37 1994\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(verdict("rfc9110-5.6.7-imf-fixdate", asctime, false), Verdict::Fail);
        assert_eq!(verdict("rfc9110-8.3-content-type", OK, false), Verdict::Pass);
        assert_eq!(verdict("rfc9110-8.3-content-type", NOT_FOUND, false), Verdict::Skip);
        assert_eq!(verdict("rfc9112-2.1-crlf", OK, false), Verdict::Pass);
        assert_eq!(verdict("rfc9112-2.1-crlf", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", false), Verdict::Fail);
        assert_eq!(verdict("rfc9112-4-status-line", "HTTP/1.1 2000 OK\r\n\r\n", true), Verdict::Fail);
        assert_eq!(
            verdict("rfc9112-5.2-no-obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", false),
            Verdict::Fail
        );
        let framing = judged("rfc9112-6.3-framing", b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhi", true);
        assert_eq!(framing.verdict, Verdict::Fail, "{}", framing.why);
        assert_eq!(verdict("rfc9110-15.5.5-not-found", NOT_FOUND, false), Verdict::Pass);
        assert_eq!(verdict("rfc9110-15.5.5-not-found", OK, false), Verdict::Fail);
    }

    #[test]
    fn head_must_not_carry_content() {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n";
        assert_eq!(verdict("rfc9110-9.3.2-head-no-content", head, true), Verdict::Pass);
        let with_body = judged("rfc9110-9.3.2-head-no-content", format!("{head}hi").as_bytes(), true);
        assert_eq!(with_body.verdict, Verdict::Fail);
        assert!(with_body.why.contains("2 bytes followed"), "{}", with_body.why);
        let same =
            format!("{OK}{}", "HTTP/1.1 200 OK\r\nDate: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n");
        assert_eq!(verdict("rfc9110-9.3.2-head-fields", &same, false), Verdict::Pass);
        let lacking = format!("{OK}{}", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
        let j = judged("rfc9110-9.3.2-head-fields", lacking.as_bytes(), false);
        assert_eq!(j.verdict, Verdict::Fail);
        assert!(j.why.contains("content-type"), "{}", j.why);
    }

    #[test]
    fn the_405_check_applies_only_to_a_405() {
        let no_allow = "HTTP/1.1 405 Not Allowed\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(verdict("rfc9110-15.5.6-allow", no_allow, false), Verdict::Fail);
        let allow = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(verdict("rfc9110-15.5.6-allow", allow, false), Verdict::Pass);
        assert_eq!(verdict("rfc9110-15.5.6-allow", OK, false), Verdict::Skip);
    }

    #[test]
    fn connections_keep_alive_and_pipelining() {
        let two = format!("{OK}{NOT_FOUND}");
        assert_eq!(verdict("rfc9112-9.3-keep-alive", &two, false), Verdict::Pass);
        let said = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(verdict("rfc9112-9.3-keep-alive", said, true), Verdict::Pass);
        assert_eq!(verdict("rfc9112-9.3.2-pipelining", &two, false), Verdict::Pass);
        assert_eq!(verdict("rfc9112-9.3.2-pipelining", &format!("{NOT_FOUND}{OK}"), false), Verdict::Fail);
        assert_eq!(verdict("rfc9112-9.6-close-said", said, true), Verdict::Pass);
        assert_eq!(verdict("rfc9112-9.6-close", OK, false), Verdict::Fail);
    }

    #[test]
    fn smuggling_checks_fail_a_server_that_reads_on() {
        let desync = format!("{OK}{NOT_FOUND}");
        for id in [
            "rfc9112-6.3-two-content-lengths",
            "rfc9112-7.1-invalid-chunk-size",
            "rfc9112-6.1-content-length-and-chunked",
        ] {
            assert_eq!(verdict(id, &desync, false), Verdict::Fail, "{id}");
            assert_eq!(verdict(id, BAD, true), Verdict::Pass, "{id}");
        }
        assert_eq!(verdict("rfc9112-3.2-missing-host", OK, false), Verdict::Fail);
        assert_eq!(verdict("rfc9112-3.2-missing-host", BAD, true), Verdict::Pass);
        let too_long = "HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(verdict("rfc9112-3-long-request-line", too_long, false), Verdict::Pass);
        assert_eq!(verdict("rfc9112-3-long-request-line", BAD, true), Verdict::Warn);
    }

    #[test]
    fn conditional_requests_compare_with_the_first_answer() {
        let tagged = "HTTP/1.1 200 OK\r\nDate: d\r\nETag: \"v1\"\r\nContent-Length: 0\r\n\r\n";
        let not_modified = "HTTP/1.1 304 Not Modified\r\nDate: d\r\nETag: \"v1\"\r\n\r\n";
        let both = format!("{tagged}{not_modified}");
        assert_eq!(verdict("rfc9110-13.1.2-if-none-match", &both, true), Verdict::Pass);
        assert_eq!(verdict("rfc9110-15.4.5-not-modified-fields", &both, true), Verdict::Pass);
        assert_eq!(verdict("rfc9110-15.4.5-not-modified-no-content", &both, true), Verdict::Pass);
        let bare = format!("{tagged}HTTP/1.1 304 Not Modified\r\n\r\n");
        assert_eq!(verdict("rfc9110-15.4.5-not-modified-fields", &bare, true), Verdict::Fail);
        assert_eq!(verdict("rfc9110-13.1.2-if-none-match", &format!("{tagged}{tagged}"), true), Verdict::Fail);
        assert_eq!(verdict("rfc9110-13.1.2-if-none-match", OK, true), Verdict::Skip);
    }

    #[test]
    fn a_body_read_as_a_request_is_a_desync() {
        let desync = format!("{OK}{BAD}");
        assert_eq!(verdict("rfc9110-9.3.1-body-on-get", &desync, true), Verdict::Fail);
        assert_eq!(verdict("rfc9110-9.3.1-body-on-get", &format!("{OK}{NOT_FOUND}"), false), Verdict::Pass);
        assert_eq!(verdict("rfc9110-9.3.1-body-on-get", BAD, true), Verdict::Pass);
        assert_eq!(verdict("rfc9112-7.1-chunked-request", BAD, true), Verdict::Fail);
    }

    #[test]
    fn expect_100_continue_wants_an_answer_before_the_body() {
        let both = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        let j = judged("rfc9110-10.1.1-expect-continue", both.as_bytes(), false);
        assert_eq!(j.verdict, Verdict::Pass);
        assert!(j.why.contains("100 Continue"), "{}", j.why);
        assert_eq!(verdict("rfc9110-10.1.1-expect-http10", both, false), Verdict::Fail);
    }

    /// For every check of the suite, a response built to pass it and one
    /// built to break its rule (a SHOULD's or MAY's becomes a warning in the
    /// outcome): each check can fail, and a good server passes it.
    #[test]
    fn every_check_passes_a_server_built_for_it_and_fails_one_built_against_it() {
        const CLOSE: &str = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        const CONTINUE: &str = "HTTP/1.1 100 Continue\r\n\r\n";
        let status = |code: u16| format!("HTTP/1.1 {code} Status\r\nContent-Length: 0\r\n\r\n");
        let two = format!("{OK}{NOT_FOUND}");
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n";
        let head_same =
            format!("{OK}HTTP/1.1 200 OK\r\nDate: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n");
        let head_lacking = format!("{OK}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
        let tagged = "HTTP/1.1 200 OK\r\nDate: d\r\nETag: \"v1\"\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";
        let not_modified = format!("{tagged}HTTP/1.1 304 Not Modified\r\nDate: d\r\nETag: \"v1\"\r\n\r\n");
        let not_modified_bare = format!("{tagged}HTTP/1.1 304 Not Modified\r\n\r\n");
        let not_modified_body = format!("{tagged}HTTP/1.1 304 Not Modified\r\nDate: d\r\nETag: \"v1\"\r\n\r\nhi");
        let precondition = format!("{tagged}{}", status(412));
        // (id, passes, closed, fails, closed)
        // A refusal that closes, and an answer that keeps the connection.
        let (bad, bad_closed, ok, ok_closed) = (BAD, true, OK, false);
        let cases: Vec<(&str, String, bool, String, bool)> = [
            ("rfc9110-9.3.1-get", OK, false, "", true),
            ("rfc9112-4-status-line", OK, false, "HTTP/1.1 2000 OK\r\n\r\n", true),
            ("rfc9110-2.5-response-version", OK, false, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false),
            ("rfc9112-2.1-crlf", OK, false, "HTTP/1.1 200 OK\nContent-Length: 0\n\n", false),
            ("rfc9112-6.3-framing", OK, false, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhi", true),
            ("rfc9112-5-field-lines", OK, false, "HTTP/1.1 200 OK\r\nX : 1\r\nContent-Length: 0\r\n\r\n", false),
            ("rfc9112-5.2-no-obs-fold", OK, false, "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", false),
            ("rfc9110-6.6.1-date", OK, false, NOT_FOUND, false),
            (
                "rfc9110-5.6.7-imf-fixdate",
                OK,
                false,
                "HTTP/1.1 200 OK\r\nDate: Sun Nov  6 08:49:37 1994\r\nContent-Length: 0\r\n\r\n",
                false,
            ),
            ("rfc9110-8.3-content-type", OK, false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", false),
            (
                "rfc9110-9.3.2-head-no-content",
                head,
                true,
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
                true,
            ),
            ("rfc9110-9.3.2-head-fields", &head_same, false, &head_lacking, false),
            ("rfc9110-15.5.5-not-found", NOT_FOUND, false, OK, false),
            ("rfc9110-9.1-unknown-method", &status(501), false, OK, false),
            (
                "rfc9110-15.5.6-allow",
                "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: 0\r\n\r\n",
                false,
                "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n",
                false,
            ),
            ("rfc9112-9.3-keep-alive", &two, false, OK, true),
            ("rfc9112-9.3.2-pipelining", &two, false, &format!("{NOT_FOUND}{OK}"), false),
            ("rfc9112-9.6-close", CLOSE, true, OK, false),
            ("rfc9112-9.6-close-said", CLOSE, true, OK, true),
            // An answer in HTTP/1.0 passes: the server may speak 1.0 only.
            ("rfc9110-2.5-http10", OK, true, bad, bad_closed),
            ("rfc9112-9.3-http10-close", OK, true, OK, false),
            ("rfc9112-2.2-one-byte-writes", OK, false, bad, bad_closed),
            ("rfc9112-2.2-slow-client", OK, false, bad, bad_closed),
            ("rfc9112-2.2-split-line-end", OK, false, bad, bad_closed),
            ("rfc9112-2.2-leading-empty-line", OK, false, bad, bad_closed),
            ("rfc9112-2.2-bare-lf", bad, bad_closed, "", true),
            ("rfc9112-3.2-missing-host", bad, bad_closed, ok, ok_closed),
            ("rfc9112-3.2-multiple-host", bad, bad_closed, ok, ok_closed),
            ("rfc9112-3.2-invalid-host", bad, bad_closed, ok, ok_closed),
            ("rfc9112-2.2-whitespace-before-first-field", bad, bad_closed, ok, ok_closed),
            ("rfc9112-5.1-space-before-colon", bad, bad_closed, ok, ok_closed),
            ("rfc9112-5.1-tab-before-colon", bad, bad_closed, ok, ok_closed),
            ("rfc9112-5.1-transfer-encoding-space-before-colon", bad, bad_closed, ok, ok_closed),
            ("rfc9112-5.2-obs-fold", bad, bad_closed, "", true),
            ("rfc9112-2.2-bare-cr", bad, bad_closed, "", true),
            ("rfc9110-5.5-nul-in-value", bad, bad_closed, "", true),
            ("rfc9112-2.2-missing-colon", bad, bad_closed, ok, ok_closed),
            ("rfc9112-2.2-empty-field-name", bad, bad_closed, ok, ok_closed),
            ("rfc9112-2.2-invalid-field-name", bad, bad_closed, ok, ok_closed),
            ("rfc9112-3-space-in-target", bad, bad_closed, ok, ok_closed),
            ("rfc9112-3-control-in-target", bad, bad_closed, ok, ok_closed),
            ("rfc9112-3-malformed-version", &status(505), false, ok, ok_closed),
            ("rfc9112-3-lowercase-version", &status(505), false, ok, ok_closed),
            ("rfc9110-15.6.6-http2-version", &status(505), false, ok, ok_closed),
            ("rfc9112-3-long-request-line", &status(414), false, "", true),
            ("rfc9112-3-long-method", &status(501), false, ok, ok_closed),
            ("rfc6585-5-long-header-section", &status(431), false, ok, ok_closed),
            ("rfc6585-5-long-field-line", &status(431), false, ok, ok_closed),
            ("rfc9112-6.1-content-length-and-chunked", bad, bad_closed, &two, false),
            ("rfc9112-6.1-transfer-encoding-http10", bad, bad_closed, &two, false),
            ("rfc9112-6.1-unknown-transfer-coding", &status(501), true, &two, false),
            ("rfc9112-6.3-chunked-not-last", bad, bad_closed, &two, false),
            ("rfc9112-6.3-two-content-lengths", bad, bad_closed, &two, false),
            ("rfc9112-6.3-content-length-list", bad, bad_closed, &two, false),
            ("rfc9112-6.3-invalid-content-length", bad, bad_closed, &two, false),
            ("rfc9112-6.3-negative-content-length", bad, bad_closed, &two, false),
            ("rfc9112-6.3-plus-content-length", bad, bad_closed, &two, false),
            ("rfc9112-7.1-invalid-chunk-size", bad, bad_closed, &two, false),
            ("rfc9112-7.1-chunk-size-overflow", bad, bad_closed, &two, false),
            ("rfc9112-7.1-chunk-overrun", bad, bad_closed, &two, false),
            ("rfc9112-7.1-chunked-bare-lf", bad, bad_closed, &two, false),
            ("rfc9110-10.1.1-expect-continue", &format!("{CONTINUE}{OK}"), false, "", true),
            ("rfc9110-10.1.1-expect-http10", OK, false, &format!("{CONTINUE}{OK}"), false),
            ("rfc9110-10.1.1-unknown-expectation", &status(417), false, "", true),
            ("rfc9110-13.1.2-if-none-match", &not_modified, true, &format!("{tagged}{tagged}"), true),
            ("rfc9110-13.1.3-if-modified-since", &not_modified, true, &format!("{tagged}{tagged}"), true),
            ("rfc9110-15.4.5-not-modified-fields", &not_modified, true, &not_modified_bare, true),
            ("rfc9110-15.4.5-not-modified-no-content", &not_modified, true, &not_modified_body, true),
            ("rfc9110-13.1.3-invalid-date-ignored", OK, false, "HTTP/1.1 304 Not Modified\r\n\r\n", false),
            ("rfc9110-13.1.1-if-match", &precondition, true, &format!("{tagged}{tagged}"), true),
            ("rfc9112-3.2.4-asterisk-form", OK, false, "", true),
            (
                "rfc9110-9.3.7-options-allow",
                "HTTP/1.1 200 OK\r\nAllow: GET, HEAD, OPTIONS\r\nContent-Length: 0\r\n\r\n",
                false,
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                false,
            ),
            ("rfc9112-3.2.2-absolute-form", OK, false, bad, bad_closed),
            ("rfc9110-5.1-field-name-case", OK, false, bad, bad_closed),
            ("rfc9110-7.6.1-connection-option-case", CLOSE, true, OK, false),
            ("rfc9110-9.3.1-body-on-get", &two, false, &format!("{OK}{BAD}"), true),
            ("rfc9112-7.1-chunked-request", &two, false, &format!("{OK}{BAD}"), true),
            ("rfc9112-7.1.1-chunk-extension", &two, false, &format!("{OK}{BAD}"), true),
        ]
        .into_iter()
        .map(|(id, good, good_closed, bad, bad_closed)| {
            (id, good.to_string(), good_closed, bad.to_string(), bad_closed)
        })
        .collect();
        let mut ids: Vec<&str> = cases.iter().map(|c| c.0).collect();
        ids.sort_unstable();
        let mut suite: Vec<&str> = SUITE.iter().map(|c| c.id).collect();
        suite.sort_unstable();
        assert_eq!(ids, suite, "one case per check of the suite");
        let mut wrong = Vec::new();
        for (id, good, good_closed, bad, bad_closed) in &cases {
            let passes = judged(id, good.as_bytes(), *good_closed);
            if passes.verdict != Verdict::Pass {
                wrong.push(format!("{id} on the good server: {:?} ({})", passes.verdict, passes.why));
            }
            let fails = judged(id, bad.as_bytes(), *bad_closed);
            if !matches!(fails.verdict, Verdict::Fail | Verdict::Warn) {
                wrong.push(format!("{id} on the bad server: {:?} ({})", fails.verdict, fails.why));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
