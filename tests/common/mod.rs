//! Helpers shared by the parser's test files.
#![allow(dead_code)] // each test file uses its own subset

use wirepad::{MessageKind, Options, Parse, Parser};

/// Asserts the span rule: non-empty, contiguous, in order, from 0 to the end.
pub fn assert_span_rule(p: &Parse) {
    let mut at = 0;
    for s in &p.spans {
        assert_eq!(s.start, at, "gap or overlap before {s:?}");
        assert!(s.end > s.start, "empty span {s:?}");
        at = s.end;
    }
    assert_eq!(at as usize, p.input.len(), "spans stop at {at} of {}", p.input.len());
    for d in &p.diagnostics {
        assert!(d.start <= d.end && d.end <= p.input.len(), "diagnostic out of range: {d:?}");
    }
    for m in &p.messages {
        assert!(m.start <= m.end && m.end <= p.input.len());
    }
    // Each message owns a run of spans that follows the previous message's
    // run and covers its bytes; only stray empty lines after the last
    // message belong to none.
    let mut next = 0;
    for (i, m) in p.messages.iter().enumerate() {
        let own: Vec<_> = p.spans_of(m).collect();
        assert!(!own.is_empty(), "message {i} has no spans");
        assert_eq!(own[0].start as usize, next, "message {i}'s spans do not follow the previous message's");
        assert!(own[0].start as usize <= m.start && own.last().unwrap().end as usize == m.end, "message {i}");
        next = m.end;
    }
    let owners: Vec<Option<usize>> = p.span_messages().collect();
    assert_eq!(owners.len(), p.spans.len());
    for (s, owner) in p.spans.iter().zip(&owners) {
        if owner.is_none() {
            assert_eq!(s.kind, wirepad::SpanKind::Crlf, "only stray line ends belong to no message: {s:?}");
        }
    }
}

/// Parses `input` fed in the pieces that `cuts` (sorted offsets) make.
pub fn parse_in_pieces(kind: MessageKind, input: &[u8], cuts: &[usize], options: &Options) -> Parse {
    let mut p = Parser::new(kind, options.clone());
    let mut from = 0;
    for &cut in cuts {
        let cut = cut.clamp(from, input.len());
        p.feed(&input[from..cut]);
        from = cut;
    }
    p.feed(&input[from..]);
    p.finish()
}

pub fn parse(kind: MessageKind, input: &[u8]) -> Parse {
    wirepad::parse(kind, input, &Options::default())
}

pub fn codes(p: &Parse) -> Vec<&'static str> {
    p.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

pub fn kinds(p: &Parse) -> Vec<&'static str> {
    p.spans.iter().map(|s| s.kind.as_str()).collect()
}

/// Well-formed sample streams of both kinds, used as seeds for mutation.
pub const SAMPLES: &[(MessageKind, &[u8])] = &[
    (MessageKind::Request, b"GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: Python 3\r\n\r\n"),
    (MessageKind::Request, b"POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\nq=hello"),
    (
        MessageKind::Request,
        b"PUT /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=\"v\"\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Sum: 1\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n",
    ),
    (MessageKind::Request, b"GET /old HTTP/1.0\nAccept: */*\n  folded\n\n"),
    (
        MessageKind::Response,
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
    ),
    (
        MessageKind::Response,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nExpires: never\r\n\r\n",
    ),
    (MessageKind::Response, b"HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until close"),
];

/// A parse laid out as plain vectors, so that pieces of one stream can be
/// joined and compared with a whole parse.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Flat {
    pub input: Vec<u8>,
    pub spans: Vec<wirepad::Span>,
    pub messages: Vec<wirepad::Message>,
    pub diagnostics: Vec<(wirepad::Code, usize, usize, Option<usize>, String)>,
    pub fields: Vec<wirepad::Header>,
    pub chunks: Vec<wirepad::Chunk>,
    pub body_parts: Vec<wirepad::Range>,
}

impl Flat {
    /// Appends `p`, a piece handed over by `Parser::drain` (or the rest
    /// that `finish` returns), raising its offsets and indexes to follow
    /// what is already here.
    pub fn append(&mut self, p: &Parse) {
        use wirepad::Range;
        let at = self.input.len() as u32;
        let up = |r: Range| Range { start: r.start + at, end: r.end + at };
        let runs = |r: Range, base: usize| Range { start: r.start + base as u32, end: r.end + base as u32 };
        let (spans, fields, chunks, parts, messages) =
            (self.spans.len(), self.fields.len(), self.chunks.len(), self.body_parts.len(), self.messages.len());
        self.spans.extend(p.spans.iter().map(|s| wirepad::Span { start: s.start + at, end: s.end + at, ..s }));
        self.fields.extend(p.fields.iter().map(|h| wirepad::Header {
            name: up(h.name),
            value: up(h.value),
            line_end: h.line_end + at,
        }));
        self.chunks.extend(p.chunks.iter().map(|c| wirepad::Chunk {
            size_digits: up(c.size_digits),
            ext: up(c.ext),
            data: up(c.data),
            end: c.end + at,
            ..*c
        }));
        self.body_parts.extend(p.body_parts.iter().map(|&r| up(r)));
        self.diagnostics.extend(p.diagnostics.iter().map(|d| {
            let at = at as usize;
            (d.code, d.start + at, d.end + at, d.msg_index.map(|i| i + messages), d.message.clone())
        }));
        self.messages.extend(p.messages.iter().map(|m| wirepad::Message {
            method: m.method.map(up),
            target: m.target.map(up),
            version: m.version.map(up),
            status_code: m.status_code.map(up),
            reason: m.reason.map(up),
            headers: runs(m.headers, fields),
            trailers: runs(m.trailers, fields),
            chunks: runs(m.chunks, chunks),
            body: runs(m.body, parts),
            spans: runs(m.spans, spans),
            head_end: m.head_end.map(|e| e + at),
            start: m.start + at as usize,
            end: m.end + at as usize,
            ..*m
        }));
        self.input.extend_from_slice(&p.input);
    }
}

/// Parses `input` fed in the pieces that `cuts` make, handing over the
/// complete messages after every piece (`Parser::drain`), and joins what was
/// handed over and what `finish` returns.
pub fn parse_draining(kind: MessageKind, input: &[u8], cuts: &[usize], options: &Options) -> Flat {
    let mut p = Parser::new(kind, options.clone());
    let (mut joined, mut piece) = (Flat::default(), Parse::default());
    let mut from = 0;
    for &cut in cuts.iter().chain([&input.len()]) {
        let cut = cut.clamp(from, input.len());
        p.feed(&input[from..cut]);
        from = cut;
        let handed = p.drain(&mut piece);
        if handed > 0 {
            assert_eq!(handed, piece.input.len());
            assert_span_rule(&piece);
            joined.append(&piece);
        }
    }
    let rest = p.finish();
    assert_span_rule(&rest);
    joined.append(&rest);
    joined
}

/// A whole parse as a [`Flat`].
pub fn flat(p: &Parse) -> Flat {
    let mut f = Flat::default();
    f.append(p);
    f
}
