//! The server check: a suite of requests, each written byte by byte, and a
//! rule for what a conforming server sends back (RFC 9112, RFC 9110).
//!
//! Like the parser, this module does no IO. A [`Check`] is data — an id
//! naming its rule, a level, the section, the steps that say which bytes to
//! write and when — plus a pure function that judges the bytes that came
//! back, framed by wirepad's own response parser. A [`Run`] is the state
//! machine of one check on one connection, in the style of h11: the caller
//! asks it what to do next ([`Run::next`]), does it (write, or read until a
//! deadline) and reports what happened. The `wirepad check` command drives
//! runs over TCP; the page can drive the same runs through its relay.
//!
//! ```
//! use wirepad::check::{Action, Run, Target, Verdict, SUITE};
//! let check = SUITE.iter().find(|c| c.id == "rfc9112-3.2-missing-host").unwrap();
//! let mut run = Run::new(check, Target::new("127.0.0.1:8080", "/"));
//! let Action::Send(bytes) = run.next(0) else { panic!() };
//! assert_eq!(bytes, b"GET / HTTP/1.1\r\n\r\n");
//! assert!(matches!(run.next(0), Action::Receive { until: 2000 }));
//! run.received(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
//! assert!(matches!(run.next(1), Action::Done));
//! assert_eq!(run.finish(1).verdict, Verdict::Pass);
//! ```

mod judge;
mod suite;

use crate::parse::{Framing, Message, MessageKind, Parse};
use crate::parser::{parse, Options};
use crate::span::string_enum;
use base64::Engine;
use serde::Serialize;

pub use judge::Judgement;
pub use suite::SUITE;

string_enum! {
    /// The requirement level of a rule, in the words of RFC 2119.
    pub enum Level {
        Must = "MUST",
        Should = "SHOULD",
        May = "MAY",
    }
}

string_enum! {
    /// Which part of the suite a check belongs to.
    pub enum Category {
        /// Plain requests: status line, framing, Date, HEAD, 404, 501.
        Basics = "basics",
        /// Keep-alive, pipelining, close, HTTP/1.0, requests in pieces.
        Connections = "connections",
        /// Requests a server must refuse: the request-smuggling set.
        Reject = "reject",
        /// Expect, conditional requests, OPTIONS, target forms, field names.
        Semantics = "semantics",
    }
}

string_enum! {
    /// What a check found.
    pub enum Verdict {
        /// The rule is met.
        Pass = "pass",
        /// A MUST is not met.
        Fail = "fail",
        /// A SHOULD or MAY is not met, or a MUST only in part.
        Warn = "warn",
        /// The check does not apply to this server (the why says why).
        Skip = "skip",
    }
}

/// The server under test, as the checks write it into their requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The Host field value: `host` or `host:port`, as in the URL.
    pub authority: String,
    /// The path (and query) of the URL, in origin-form: starts with `/`.
    pub path: String,
    /// How long a check waits for an answer (or a close), in milliseconds.
    pub wait_ms: u64,
}

impl Target {
    /// A target with the default wait of 2 s.
    pub fn new(authority: &str, path: &str) -> Target {
        Target { authority: authority.into(), path: path.into(), wait_ms: 2000 }
    }
}

/// One step of a check's exchange on its connection.
#[derive(Clone, Debug)]
pub enum Step {
    /// Write these bytes in one write.
    Send(Vec<u8>),
    /// Write these bytes one at a time, each in a write of its own.
    SendBytewise(Vec<u8>),
    /// Wait this many milliseconds, reading whatever arrives meanwhile.
    Pause(u64),
    /// Read until the condition holds, the server closes, or the wait is over.
    Await(Until),
    /// Write the request this function makes of the responses so far; when
    /// it makes none (the check does not apply), the exchange ends here.
    Follow(fn(&Target, &Parse) -> Option<Vec<u8>>),
}

/// What an [`Step::Await`] waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// The head of a response, interim or final.
    Head,
    /// This many complete final (non-1xx) responses.
    Responses(usize),
    /// The server closing the connection.
    Close,
}

/// One check: a rule, the bytes that test it, and the judge.
pub struct Check {
    /// Stable: `rfcNNNN-SECTION-what`, e.g. `rfc9112-3.2-missing-host`.
    pub id: &'static str,
    pub level: Level,
    /// Where the rule is, e.g. "RFC 9112 §3.2".
    pub section: &'static str,
    pub category: Category,
    /// What a conforming server does, in a line.
    pub title: &'static str,
    /// The RFC's own sentence.
    pub rule: &'static str,
    /// The steps of the exchange, written for a target.
    pub steps: fn(&Target) -> Vec<Step>,
    /// Judges what came back.
    pub judge: fn(&Exchange) -> Judgement,
}

/// What the caller does next for a [`Run`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Write these bytes (in one write), then call [`Run::next`] again.
    Send(Vec<u8>),
    /// Read until bytes arrive (report them with [`Run::received`]), the
    /// server closes ([`Run::closed`]) or the clock reaches `until`
    /// (milliseconds, on the clock passed to [`Run::next`]); then call
    /// [`Run::next`] again.
    Receive { until: u64 },
    /// The exchange is over: call [`Run::finish`].
    Done,
}

/// How far the received bytes had come when a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StepEnd {
    /// How many bytes had been received.
    pub received: usize,
    /// An await that ended because its wait was over.
    pub timed_out: bool,
}

/// One check running on one connection: the sans-IO state machine.
pub struct Run {
    check: &'static Check,
    target: Target,
    steps: Vec<Step>,
    step: usize,
    /// The next byte of a [`Step::SendBytewise`].
    offset: usize,
    /// When the current pause or await ends.
    deadline: Option<u64>,
    sent: Vec<u8>,
    received: Vec<u8>,
    ends: Vec<StepEnd>,
    closed: bool,
    /// A write failed: the server stopped reading, but what it sent before
    /// can still be read.
    unwritable: bool,
}

impl Run {
    pub fn new(check: &'static Check, target: Target) -> Run {
        let steps = (check.steps)(&target);
        Run {
            check,
            target,
            steps,
            step: 0,
            offset: 0,
            deadline: None,
            sent: Vec::new(),
            received: Vec::new(),
            ends: Vec::new(),
            closed: false,
            unwritable: false,
        }
    }

    /// What to do next; `now` is a clock in milliseconds (any origin, never
    /// going back).
    pub fn next(&mut self, now: u64) -> Action {
        while let Some(step) = self.steps.get(self.step) {
            match step {
                // Once the server has closed, nothing more can be sent.
                Step::Send(_) | Step::SendBytewise(_) | Step::Follow(_) if self.closed || self.unwritable => {
                    self.advance(false)
                }
                Step::Send(bytes) => {
                    let bytes = bytes.clone();
                    self.sent.extend_from_slice(&bytes);
                    self.advance(false);
                    return Action::Send(bytes);
                }
                Step::SendBytewise(bytes) => match bytes.get(self.offset) {
                    Some(&b) => {
                        self.offset += 1;
                        self.sent.push(b);
                        return Action::Send(vec![b]);
                    }
                    None => self.advance(false),
                },
                Step::Pause(ms) => {
                    let until = *self.deadline.get_or_insert(now + ms);
                    if self.closed || now >= until {
                        self.advance(false);
                    } else {
                        return Action::Receive { until };
                    }
                }
                &Step::Await(condition) => {
                    let until = *self.deadline.get_or_insert(now + self.target.wait_ms);
                    if self.closed || self.holds(condition) {
                        self.advance(false);
                    } else if now >= until {
                        self.advance(true);
                    } else {
                        return Action::Receive { until };
                    }
                }
                Step::Follow(make) => match make(&self.target, &self.responses()) {
                    Some(bytes) => self.steps[self.step] = Step::Send(bytes),
                    None => {
                        self.advance(false);
                        self.steps.truncate(self.step);
                    }
                },
            }
        }
        Action::Done
    }

    /// Bytes arrived from the server.
    pub fn received(&mut self, bytes: &[u8]) {
        self.received.extend_from_slice(bytes);
    }

    /// The server closed the connection: a read found the end of the
    /// stream, or a reset.
    pub fn closed(&mut self) {
        self.closed = true;
    }

    /// A write failed (the server closed or reset the connection while a
    /// request was still going out): nothing more is sent, but reading
    /// goes on, since the answer may have come before the close.
    pub fn write_failed(&mut self) {
        self.unwritable = true;
    }

    /// The check's result; `now` on the clock of [`Run::next`].
    pub fn finish(self, now: u64) -> Outcome {
        let responses = self.responses();
        let exchange = Exchange {
            target: &self.target,
            sent: &self.sent,
            responses: &responses,
            closed: self.closed,
            steps: &self.ends,
        };
        let Judgement { verdict, why } = (self.check.judge)(&exchange);
        // A rule not met is a failure for a MUST, a warning for the rest.
        let verdict = match (verdict, self.check.level) {
            (Verdict::Fail, Level::Should | Level::May) => Verdict::Warn,
            (v, _) => v,
        };
        Outcome::new(self.check, verdict, why, self.sent, responses, self.closed, now)
    }

    /// The check's result when no connection could be opened.
    pub fn unreachable(self, error: &str, now: u64) -> Outcome {
        let why = format!("could not connect: {error}");
        let mut outcome = Outcome::new(self.check, Verdict::Skip, why, Vec::new(), Parse::default(), false, now);
        outcome.connected = false;
        outcome
    }

    fn advance(&mut self, timed_out: bool) {
        self.ends.push(StepEnd { received: self.received.len(), timed_out });
        self.step += 1;
        self.offset = 0;
        self.deadline = None;
    }

    /// The bytes received so far, parsed as the responses to what was sent.
    fn responses(&self) -> Parse {
        parse(MessageKind::Response, &self.received, &Options::answering(&self.sent))
    }

    fn holds(&self, condition: Until) -> bool {
        let responses = self.responses();
        match condition {
            Until::Head => responses.messages.iter().any(|m| m.head_end.is_some()),
            // A body that ends with the connection is whole only once it
            // closed (which ends the await anyway): its head alone is not an
            // answer to wait no more for.
            Until::Responses(n) => finals(&responses).filter(|m| m.framing != Some(Framing::Close)).count() >= n,
            Until::Close => false,
        }
    }
}

/// The complete final responses of a parse, in order.
fn finals(p: &Parse) -> impl Iterator<Item = &Message> {
    p.messages.iter().filter(|m| m.complete && m.status.is_some_and(|s| s >= 200))
}

/// What a judge sees: the bytes sent, the responses, how the connection ended.
pub struct Exchange<'a> {
    pub target: &'a Target,
    pub sent: &'a [u8],
    /// The bytes received, parsed as responses to the requests sent.
    pub responses: &'a Parse,
    /// The server closed the connection.
    pub closed: bool,
    /// How far the received bytes had come at the end of each step.
    pub steps: &'a [StepEnd],
}

/// A check's result, as `wirepad check --json` prints it (with the parse of
/// the response added) and as the page would show it.
#[derive(Serialize)]
pub struct Outcome {
    pub id: &'static str,
    pub level: Level,
    pub section: &'static str,
    pub category: Category,
    pub title: &'static str,
    pub rule: &'static str,
    pub verdict: Verdict,
    /// What came back and why that meets the rule or not.
    pub why: String,
    #[serde(rename = "sent_b64", serialize_with = "base64_bytes")]
    pub sent: Vec<u8>,
    #[serde(rename = "received_b64", serialize_with = "base64_bytes")]
    pub received: Vec<u8>,
    /// The server closed the connection.
    pub closed: bool,
    /// A connection was opened: false when the server could not be reached.
    pub connected: bool,
    /// How long the check took.
    pub ms: u64,
    /// The received bytes parsed as responses (`received` is its input).
    #[serde(skip)]
    pub responses: Parse,
}

impl Outcome {
    fn new(
        check: &Check,
        verdict: Verdict,
        why: String,
        sent: Vec<u8>,
        responses: Parse,
        closed: bool,
        ms: u64,
    ) -> Outcome {
        Outcome {
            id: check.id,
            level: check.level,
            section: check.section,
            category: check.category,
            title: check.title,
            rule: check.rule,
            verdict,
            why,
            sent,
            received: responses.input.clone(),
            closed,
            connected: true,
            ms,
            responses,
        }
    }
}

fn base64_bytes<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// The checks whose id starts with one of `prefixes` (all for none).
pub fn select(prefixes: &[String]) -> Vec<&'static Check> {
    SUITE.iter().filter(|c| prefixes.is_empty() || prefixes.iter().any(|p| c.id.starts_with(p.as_str()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(id: &str) -> &'static Check {
        SUITE.iter().find(|c| c.id == id).unwrap()
    }

    #[test]
    fn ids_are_unique_kebab_case_and_name_their_section() {
        let mut ids: Vec<&str> = SUITE.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), SUITE.len(), "duplicate ids");
        assert!(SUITE.len() >= 60, "{} checks", SUITE.len());
        for c in SUITE {
            assert!(c.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'));
            let (rfc, section) = c.section.strip_prefix("RFC ").unwrap().split_once(" §").unwrap();
            assert!(c.id.starts_with(&format!("rfc{rfc}-{section}-")), "{} vs {}", c.id, c.section);
            // A MUST check quotes a MUST (or a "cannot", the grammar's own must).
            let says = |w: &str| c.rule.contains(w);
            assert!(c.level != Level::Must || says("MUST") || says("cannot"), "{}: the rule says no MUST", c.id);
            assert!(c.level != Level::May || says("MAY"), "{}: the rule says no MAY", c.id);
        }
        for category in Category::ALL {
            assert!(SUITE.iter().any(|c| c.category == *category));
        }
    }

    #[test]
    fn a_bytewise_step_sends_one_byte_per_write() {
        let mut run = Run::new(check("rfc9112-2.2-one-byte-writes"), Target::new("h", "/"));
        let mut writes = Vec::new();
        while let Action::Send(b) = run.next(0) {
            writes.push(b);
        }
        assert!(writes.len() > 20 && writes.iter().all(|w| w.len() == 1));
        assert_eq!(writes.concat(), b"GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    }

    #[test]
    fn a_pause_waits_on_the_clock_and_an_await_ends_at_its_deadline() {
        let mut run = Run::new(check("rfc9112-2.2-slow-client"), Target::new("h", "/"));
        assert!(matches!(run.next(0), Action::Send(_)));
        assert_eq!(run.next(0), Action::Receive { until: 300 });
        assert_eq!(run.next(100), Action::Receive { until: 300 }, "the deadline holds");
        assert!(matches!(run.next(300), Action::Send(_)));
        assert_eq!(run.next(300), Action::Receive { until: 600 });
        assert!(matches!(run.next(600), Action::Send(_)));
        assert_eq!(run.next(600), Action::Receive { until: 2600 });
        assert_eq!(run.next(2600), Action::Done);
        let outcome = run.finish(2600);
        assert_eq!(outcome.verdict, Verdict::Fail);
        assert!(outcome.why.contains("no response"), "{}", outcome.why);
    }

    #[test]
    fn nothing_is_sent_after_the_server_closed() {
        let mut run = Run::new(check("rfc9112-9.3-keep-alive"), Target::new("h", "/"));
        assert!(matches!(run.next(0), Action::Send(_)));
        run.received(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        run.closed();
        assert_eq!(run.next(1), Action::Done);
        let outcome = run.finish(1);
        assert_eq!(outcome.verdict, Verdict::Fail, "{}", outcome.why);
        assert!(outcome.why.contains("close"), "{}", outcome.why);
    }

    #[test]
    fn a_follow_step_writes_from_the_first_response_or_ends_the_exchange() {
        let t = Target::new("h", "/");
        let mut run = Run::new(check("rfc9110-13.1.2-if-none-match"), t.clone());
        assert!(matches!(run.next(0), Action::Send(_)));
        run.received(b"HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Length: 0\r\n\r\n");
        let Action::Send(conditional) = run.next(1) else { panic!() };
        assert!(conditional.windows(20).any(|w| w == b"If-None-Match: \"v1\"\r"));
        let mut without = Run::new(check("rfc9110-13.1.2-if-none-match"), t);
        assert!(matches!(without.next(0), Action::Send(_)));
        without.received(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(without.next(1), Action::Done);
        assert_eq!(without.finish(1).verdict, Verdict::Skip);
    }

    #[test]
    fn a_body_ended_by_the_close_is_awaited_until_the_close() {
        // The textbook server: a head without Content-Length, its body later.
        let mut run = Run::new(check("rfc9110-8.3-content-type"), Target::new("h", "/"));
        assert!(matches!(run.next(0), Action::Send(_)));
        run.received(b"HTTP/1.1 200 OK\r\n\r\n");
        assert!(matches!(run.next(1), Action::Receive { .. }), "the head alone ends no wait");
        run.received(b"<h1>hello</h1>");
        run.closed();
        assert_eq!(run.next(2), Action::Done);
        let outcome = run.finish(2);
        assert_eq!(outcome.verdict, Verdict::Warn, "content and no Content-Type: {}", outcome.why);
    }

    #[test]
    fn a_should_not_met_is_a_warning() {
        let mut run = Run::new(check("rfc9110-9.1-unknown-method"), Target::new("h", "/"));
        assert!(matches!(run.next(0), Action::Send(_)));
        run.received(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(run.next(1), Action::Done);
        assert_eq!(run.finish(1).verdict, Verdict::Warn);
    }

    #[test]
    fn outcomes_serialize_with_their_bytes_in_base64() {
        let mut run = Run::new(check("rfc9112-3.2-missing-host"), Target::new("h", "/"));
        let _ = run.next(0);
        run.received(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        run.closed();
        let v = serde_json::to_value(run.finish(5)).unwrap();
        assert_eq!(v["verdict"], "pass");
        assert_eq!(v["level"], "MUST");
        assert_eq!(v["category"], "reject");
        assert_eq!(v["sent_b64"], "R0VUIC8gSFRUUC8xLjENCg0K");
        assert!(v.get("responses").is_none());
    }
}
