//! # wirepad: HTTP/1.x on the wire, every byte labelled
//!
//! wirepad's core is a sans-IO library: it takes bytes and returns values.
//! It never opens a socket; the `wirepad` binary and the browser page do the
//! IO and hand the bytes over.
//!
//! * [`Parser`] reads a request or response stream fed in any number of
//!   pieces and labels every input byte with a [`SpanKind`] (method, header
//!   name, CRLF, chunk size, body, ...). Problems become [`Diagnostic`]s in
//!   plain English with the RFC section they come from.
//! * [`RequestSpec`] writes a request's exact bytes.
//! * A [`Parse`] carries the structure of every message: start-line parts,
//!   header and trailer [`Header`] fields, [`Chunk`]s, body ranges and
//!   [`Framing`], as ranges of the input; [`Spans`] are stored as columns.
//! * [`decode`] undoes content codings, as a step of its own.
//! * [`explain`] holds the one table of explanations that the CLI and the
//!   page share: span kinds, diagnostic codes, status codes, header fields.
//! * [`tls`] labels the TLS records an https exchange sends (record
//!   headers, ClientHello and ServerHello fields, what is encrypted).
//! * [`protocol`] is the relay's events, one type for the relay and the page.
//! * [`check`] is the server check: a suite of requests, each with the
//!   RFC rule a server's answer must meet, run by any IO.
//! * [`lesson`] is the lesson file format and its check (native only).
//! * [`report`] turns a [`Parse`] into the JSON shape of `wirepad parse --json`.
//!
//! ## The span rule
//!
//! Spans are non-empty, contiguous and in order, start at byte 0 and cover
//! every input byte exactly once — for any input at all, including random
//! bytes — and they are the same however the input was split when fed:
//!
//! ```
//! use wirepad::{parse, MessageKind, Options, SpanKind};
//! let input = b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n";
//! let p = parse(MessageKind::Request, input, &Options::default());
//! let kinds: Vec<&str> = p.spans.iter().take(6).map(|s| s.kind.as_str()).collect();
//! assert_eq!(kinds, ["method", "sp", "request-target", "sp", "http-version", "crlf"]);
//! assert_eq!(p.spans.last().unwrap().kind, SpanKind::EmptyLine);
//! assert_eq!(p.spans.last().unwrap().end as usize, input.len());
//! ```

pub mod build;
pub mod check;
pub mod decode;
pub mod diag;
pub mod explain;
#[cfg(not(target_arch = "wasm32"))]
pub mod lesson;
mod parse;
mod parser;
// The relay's address policy: the relay and `wirepad check` use it, the page never.
#[cfg(not(target_arch = "wasm32"))]
pub mod policy;
pub mod protocol;
pub mod report;
pub mod span;
pub mod tls;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use build::RequestSpec;
pub use diag::{Code, Diagnostic, Severity};
pub use parse::{Chunk, Framing, Header, Message, MessageKind, Parse, Verdict};
pub use parser::{describe_byte, parse, parse_into, parse_owned, Options, Parser, MAX_INPUT};
pub use span::{Range, Span, SpanIter, SpanKind, Spans};
