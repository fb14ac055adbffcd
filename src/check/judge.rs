//! The judges the checks share: what came back, said in words, and whether
//! it meets the rule. Each is a pure function of an [`Exchange`].

use super::{finals, Exchange, Verdict};
use crate::diag::{Code, Severity};
use crate::explain;
use crate::parse::Message;

/// A judge's finding. A `fail` of a SHOULD or MAY becomes a `warn` in the
/// outcome ([`super::Run::finish`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub verdict: Verdict,
    pub why: String,
}

pub fn pass(why: impl Into<String>) -> Judgement {
    Judgement { verdict: Verdict::Pass, why: why.into() }
}

pub fn fail(why: impl Into<String>) -> Judgement {
    Judgement { verdict: Verdict::Fail, why: why.into() }
}

pub fn warn(why: impl Into<String>) -> Judgement {
    Judgement { verdict: Verdict::Warn, why: why.into() }
}

pub fn skip(why: impl Into<String>) -> Judgement {
    Judgement { verdict: Verdict::Skip, why: why.into() }
}

impl Exchange<'_> {
    /// The complete final responses, in order.
    pub fn finals(&self) -> Vec<&Message> {
        finals(self.responses).collect()
    }

    /// The first complete final response.
    pub fn first(&self) -> Option<&Message> {
        self.finals().first().copied()
    }

    /// The status codes of the complete final responses.
    pub fn statuses(&self) -> Vec<u16> {
        self.finals().iter().filter_map(|m| m.status).collect()
    }

    /// A response's status line as a student reads it: `404 Not Found`.
    pub fn status_line(&self, m: &Message) -> String {
        let mut reason = m.reason.map(|r| self.responses.text(r)).unwrap_or_default();
        // Some servers echo the request in the reason phrase.
        if reason.chars().count() > 60 {
            reason = reason.chars().take(57).chain("…".chars()).collect();
        }
        format!("{} {}", m.status.unwrap_or_default(), reason).trim_end().to_string()
    }

    /// A header of response `m`, by name.
    pub fn header(&self, m: &Message, name: &str) -> Option<String> {
        self.responses.header(m, name)
    }

    /// Whether field `name` of `m` lists `token` (case-insensitively), as
    /// `Connection: close` does.
    pub fn lists(&self, m: &Message, name: &str, token: &str) -> bool {
        let p = self.responses;
        p.headers(m)
            .iter()
            .filter(|h| p.bytes(h.name).eq_ignore_ascii_case(name.as_bytes()))
            .flat_map(|h| p.header_value(h).split(',').map(|t| t.trim().to_ascii_lowercase()).collect::<Vec<_>>())
            .any(|t| t == token)
    }

    /// The error diagnostics of the response parse, but for those about the
    /// request (a server that accepted an invalid one; judged by the check).
    pub fn framing_errors(&self) -> Vec<String> {
        let p = self.responses;
        p.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && d.code != Code::AcceptedInvalidRequest)
            .map(|d| format!("{} at bytes {}..{}: {}", d.code, d.start, d.end, d.message))
            .collect()
    }

    /// Whether an await timed out: the server kept the connection open
    /// without sending what was awaited.
    pub fn waited(&self) -> bool {
        self.steps.iter().any(|s| s.timed_out)
    }

    /// "no response" in words: closed, or silent for how long.
    pub fn silence(&self) -> String {
        let got = self.responses.input.len();
        let partial = if got > 0 { format!(" ({got} bytes that are not a complete response)") } else { String::new() };
        if self.closed {
            format!("no response: the server closed the connection{partial}")
        } else {
            format!("no response within {} ms{partial}", self.target.wait_ms)
        }
    }
}

/// The status, with what it means: `400 Bad Request`.
fn named(code: u16) -> String {
    match explain::status(code) {
        Some(e) => format!("{code} {}", e.title),
        None => code.to_string(),
    }
}

/// The request was answered: a complete final response that does not
/// refuse it as malformed (2xx, 3xx, or a 4xx about the resource).
pub fn answered(ex: &Exchange) -> Judgement {
    let Some(m) = ex.first() else { return fail(ex.silence()) };
    match m.status.unwrap_or_default() {
        400 | 408 | 411 | 413..=417 | 431 | 500..=599 => {
            fail(format!("answered {}: the request was refused", ex.status_line(m)))
        }
        _ => pass(format!("answered {}", ex.status_line(m))),
    }
}

/// The request is refused with `want`. Another 4xx or 5xx refuses it too,
/// but names another reason (a warning); so does closing without a word.
pub fn refused(ex: &Exchange, want: u16) -> Judgement {
    let Some(m) = ex.first() else {
        return if ex.closed {
            warn(format!("{}; that refuses the request, but the rule asks for {}", ex.silence(), named(want)))
        } else {
            fail(ex.silence())
        };
    };
    let status = m.status.unwrap_or_default();
    let line = ex.status_line(m);
    match status {
        s if s == want => pass(format!("answered {line}")),
        400..=599 => warn(format!("answered {line}: refused, but the rule asks for {}", named(want))),
        _ => fail(format!("answered {line}: the request was accepted")),
    }
}

/// [`refused`] with 400 (Bad Request).
pub fn refused_400(ex: &Exchange) -> Judgement {
    refused(ex, 400)
}

/// A request whose body length cannot be known from its head (RFC 9112
/// §6.3): 400, then the connection closed. Each such check sends a second
/// request after the bad one, in the same write: a server that answers it
/// has read on past the framing error, which is how request smuggling works.
pub fn refused_and_closed(ex: &Exchange) -> Judgement {
    if let Some(j) = read_on(ex) {
        return j;
    }
    match ex.first() {
        Some(m) if m.status.is_some_and(|s| s < 400) => {
            fail(format!("answered {}: a request whose body length cannot be known was accepted", ex.status_line(m)))
        }
        _ => refused_then_closed(ex),
    }
}

/// A chunked body that is broken: as [`refused_and_closed`], but a server
/// may have answered from the head before it read the body; then what
/// counts is that it refused the body (closing) and read nothing after it.
pub fn body_refused(ex: &Exchange) -> Judgement {
    if let Some(j) = read_on(ex) {
        return j;
    }
    match ex.first() {
        Some(m) if m.status.is_some_and(|s| s < 400) && ex.closed => warn(format!(
            "answered {} before reading the body, then closed the connection without reading on: no desync, but the rule asks for 400 (Bad Request)",
            ex.status_line(m)
        )),
        Some(m) if m.status.is_some_and(|s| s < 400) => fail(format!(
            "answered {} and kept the connection open: the broken body was accepted",
            ex.status_line(m)
        )),
        _ => refused_then_closed(ex),
    }
}

/// A response to the request sent after a broken one: the server read on.
/// (A 400 after the first answer is the server refusing the broken body.)
fn read_on(ex: &Exchange) -> Option<Judgement> {
    let finals = ex.finals();
    finals.iter().skip(1).any(|m| m.status != Some(400)).then(|| {
        let answered: Vec<String> = finals.iter().map(|m| ex.status_line(m)).collect();
        fail(format!(
            "answered {}: the server took this body as valid and answered the request that followed it on the connection",
            answered.join(", then ")
        ))
    })
}

/// The first answer refuses: 400 and a close pass, another refusal warns.
fn refused_then_closed(ex: &Exchange) -> Judgement {
    let Some(m) = ex.first() else {
        return if ex.closed {
            warn(format!("{}; closing is safe, but the rule asks for 400 (Bad Request) first", ex.silence()))
        } else {
            fail(ex.silence())
        };
    };
    let line = ex.status_line(m);
    match (m.status.unwrap_or_default(), ex.closed) {
        (400, true) => pass(format!("answered {line} and closed the connection")),
        (_, true) => warn(format!("answered {line} and closed the connection: safe, but the rule asks for 400")),
        (_, false) => fail(format!(
            "answered {line} but kept the connection open: the bytes after the head would be read as the next request"
        )),
    }
}

/// The server closes the connection after answering (whatever the answer),
/// and answers nothing that followed on it.
pub fn closes_after(ex: &Exchange) -> Judgement {
    let finals = ex.finals();
    let said: Vec<String> = finals.iter().map(|m| ex.status_line(m)).collect();
    match (finals.len(), ex.closed) {
        (0, true) => pass("closed the connection without a response"),
        (1, true) => pass(format!("answered {} and closed the connection", said[0])),
        (0, false) => fail(ex.silence()),
        (1, false) => fail(format!(
            "answered {} and kept the connection open for {} ms: the next bytes would be read as a new request",
            said[0], ex.target.wait_ms
        )),
        _ => fail(format!(
            "answered {}: the server read on and answered the request that followed on the same connection",
            said.join(", then ")
        )),
    }
}

/// A field whose value is invalid and dangerous (a bare CR, a NUL, an
/// obs-fold): the rule lets the server refuse it (400) or replace the
/// bytes with spaces, which cannot be seen from outside.
pub fn refused_or_replaced(ex: &Exchange) -> Judgement {
    let Some(m) = ex.first() else {
        return if ex.closed {
            warn(format!("{}; the rule asks for 400 (Bad Request) or for reading on with spaces", ex.silence()))
        } else {
            fail(ex.silence())
        };
    };
    let line = ex.status_line(m);
    match m.status.unwrap_or_default() {
        400 => pass(format!("answered {line}: refused")),
        200..=399 => pass(format!(
            "answered {line}: accepted, which the rule allows only if the bytes were replaced with spaces (400 is the safer answer)"
        )),
        _ => warn(format!("answered {line}: refused, but the rule asks for 400 (Bad Request)")),
    }
}

/// The first response, and whether it is 2xx: the conditional checks need
/// one to compare with.
pub fn first_success<'a>(ex: &'a Exchange) -> Result<&'a Message, Judgement> {
    match ex.first() {
        Some(m) if m.status.is_some_and(|s| (200..300).contains(&s)) => Ok(m),
        Some(m) => Err(skip(format!("GET of the path answered {}, not 2xx: nothing to compare", ex.status_line(m)))),
        None => Err(fail(ex.silence())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{StepEnd, Target};
    use crate::parse::MessageKind;
    use crate::parser::{parse, Options};

    fn judge(f: fn(&Exchange) -> Judgement, sent: &[u8], received: &[u8], closed: bool) -> Judgement {
        let responses = parse(MessageKind::Response, received, &Options::answering(sent));
        let target = Target::new("h", "/");
        let steps = [StepEnd { received: received.len(), timed_out: !closed }];
        f(&Exchange { target: &target, sent, responses: &responses, closed, steps: &steps })
    }

    const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
    const BAD: &[u8] = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";

    #[test]
    fn answered_wants_a_complete_response_that_does_not_refuse() {
        assert_eq!(judge(answered, GET, OK, false).verdict, Verdict::Pass);
        assert_eq!(judge(answered, GET, BAD, false).verdict, Verdict::Fail);
        let cut = judge(answered, GET, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhi", true);
        assert_eq!(cut.verdict, Verdict::Fail);
        assert!(cut.why.contains("closed") && cut.why.contains("not a complete response"), "{}", cut.why);
        assert!(judge(answered, GET, b"", false).why.contains("within 2000 ms"));
    }

    #[test]
    fn refused_names_the_status_it_wanted() {
        assert_eq!(judge(refused_400, GET, BAD, false), pass("answered 400 Bad Request"));
        let other = judge(|ex| refused(ex, 414), GET, BAD, false);
        assert_eq!(other.verdict, Verdict::Warn);
        assert!(other.why.contains("414 URI Too Long"), "{}", other.why);
        assert_eq!(judge(refused_400, GET, OK, false).verdict, Verdict::Fail);
        assert_eq!(judge(refused_400, GET, b"", true).verdict, Verdict::Warn);
        assert_eq!(judge(refused_400, GET, b"", false).verdict, Verdict::Fail);
    }

    #[test]
    fn refused_and_closed_wants_400_a_close_and_nothing_more() {
        assert_eq!(judge(refused_and_closed, GET, BAD, true).verdict, Verdict::Pass);
        assert_eq!(judge(refused_and_closed, GET, BAD, false).verdict, Verdict::Fail);
        let two = [BAD, OK].concat();
        let desync = judge(refused_and_closed, &[GET, GET].concat(), &two, true);
        assert_eq!(desync.verdict, Verdict::Fail);
        assert!(desync.why.contains("answered 400 Bad Request, then 200 OK"), "{}", desync.why);
        let other = b"HTTP/1.1 501 Not Implemented\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(judge(refused_and_closed, GET, other, true).verdict, Verdict::Warn);
        assert_eq!(judge(refused_and_closed, GET, OK, true).verdict, Verdict::Fail, "accepted");
    }

    #[test]
    fn a_body_refused_after_an_early_answer_is_no_desync() {
        let early = [OK, BAD].concat();
        let j = judge(body_refused, &[GET, GET].concat(), &early, true);
        assert_eq!(j.verdict, Verdict::Warn, "{}", j.why);
        assert_eq!(judge(body_refused, GET, OK, true).verdict, Verdict::Warn);
        assert_eq!(judge(body_refused, GET, OK, false).verdict, Verdict::Fail);
        let desync = [OK, OK].concat();
        assert_eq!(judge(body_refused, &[GET, GET].concat(), &desync, true).verdict, Verdict::Fail);
    }

    #[test]
    fn closes_after_wants_a_close_whatever_the_answer() {
        assert_eq!(judge(closes_after, GET, OK, true).verdict, Verdict::Pass);
        assert_eq!(judge(closes_after, GET, OK, false).verdict, Verdict::Fail);
        assert_eq!(judge(closes_after, &[GET, GET].concat(), &[OK, OK].concat(), true).verdict, Verdict::Fail);
    }

    #[test]
    fn refused_or_replaced_lets_either_through() {
        assert_eq!(judge(refused_or_replaced, GET, BAD, false).verdict, Verdict::Pass);
        let ok = judge(refused_or_replaced, GET, OK, false);
        assert_eq!(ok.verdict, Verdict::Pass);
        assert!(ok.why.contains("replaced"));
    }

    #[test]
    fn lists_reads_comma_separated_tokens_of_every_field_line() {
        let r = b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nconnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n";
        let responses = parse(MessageKind::Response, r, &Options::default());
        let target = Target::new("h", "/");
        let ex = Exchange { target: &target, sent: GET, responses: &responses, closed: false, steps: &[] };
        let m = ex.first().unwrap();
        assert!(ex.lists(m, "Connection", "close"));
        assert!(!ex.lists(m, "Connection", "clos"));
    }
}
