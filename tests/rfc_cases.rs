//! Hand-written RFC 9112 edge cases, each with the verdict and the
//! diagnostic codes it must get, and the spans where they matter.

mod common;

use common::*;
use wirepad::{Framing, MessageKind, Options, Verdict};

use MessageKind::{Request as Req, Response as Resp};

/// (kind, input, verdict, codes that must be present)
const CASES: &[(MessageKind, &str, Verdict, &[&str])] = &[
    // RFC 9112 §3: the classic request is clean.
    (Req, "GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: Python 3\r\n\r\n", Verdict::Ok, &[]),
    // §3.2: HTTP/1.1 requires Host; HTTP/1.0 does not.
    (Req, "GET / HTTP/1.1\r\n\r\n", Verdict::Error, &["missing-host"]),
    (Req, "GET / HTTP/1.0\r\n\r\n", Verdict::Ok, &[]),
    (Req, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", Verdict::Error, &["multiple-host"]),
    // §2.2: bare LF is tolerated with a warning; a bare CR is not.
    (Req, "GET / HTTP/1.1\nHost: a\n\n", Verdict::Ok, &["bare-lf"]),
    (Req, "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", Verdict::Error, &["bare-cr"]),
    (Req, "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", Verdict::Ok, &["leading-empty-line"]),
    (Req, "GET / HTTP/1.1\r\n Host: a\r\n\r\n", Verdict::Error, &["whitespace-before-first-header"]),
    // §3: one SP between the parts; a version is required.
    (Req, "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", Verdict::Error, &["extra-whitespace"]),
    (Req, "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", Verdict::Error, &["invalid-version"]),
    (Req, "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", Verdict::Error, &["invalid-method"]),
    (Req, "GET / http/1.1\r\nHost: a\r\n\r\n", Verdict::Error, &["invalid-version"]),
    (Req, "GET / HTTP/2.0\r\nHost: a\r\n\r\n", Verdict::Error, &["unsupported-version"]),
    (Req, "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", Verdict::Ok, &["unregistered-method"]),
    // §5.1: no whitespace before the colon; names are tokens.
    (Req, "GET / HTTP/1.1\r\nHost : a\r\n\r\n", Verdict::Error, &["space-before-colon"]),
    (Req, "GET / HTTP/1.1\r\nHost: a\r\nX\"Y: 1\r\n\r\n", Verdict::Error, &["invalid-header-name"]),
    (Req, "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", Verdict::Error, &["missing-colon"]),
    (Req, "GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", Verdict::Error, &["invalid-header-value"]),
    // §5.2: obs-fold is read as a space, with a warning.
    (Req, "GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n  two\r\n\r\n", Verdict::Ok, &["obs-fold"]),
    // §6.3: framing.
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        Verdict::Error,
        &["conflicting-content-length"],
    ),
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
        Verdict::Ok,
        &["duplicate-content-length"],
    ),
    (Req, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", Verdict::Error, &["invalid-content-length"]),
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        Verdict::Error,
        &["invalid-content-length"],
    ),
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        Verdict::Error,
        &["content-length-with-transfer-encoding"],
    ),
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
        Verdict::Error,
        &["transfer-encoding-not-chunked"],
    ),
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
        Verdict::Error,
        &["chunked-applied-twice"],
    ),
    (
        Req,
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        Verdict::Error,
        &["transfer-encoding-in-http10"],
    ),
    // §7.1: chunks.
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",
        Verdict::Error,
        &["invalid-chunk-size"],
    ),
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
        Verdict::Error,
        &["missing-chunk-crlf"],
    ),
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2;a=\"x\r\nab\r\n0\r\n\r\n",
        Verdict::Error,
        &["invalid-chunk-ext"],
    ),
    (
        Req,
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n",
        Verdict::Error,
        &["invalid-chunk-size"],
    ),
    // §8: cut short is incomplete, not wrong.
    (Req, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", Verdict::Ok, &["incomplete-message"]),
    (Req, "GET / HT", Verdict::Ok, &["incomplete-message"]),
    (Req, "GET / HTTP/1.1\r\nHost: exa", Verdict::Ok, &["incomplete-message"]),
    // §9.3: HTTP/1.0 closes unless keep-alive.
    (Req, "GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n", Verdict::Ok, &["data-after-close"]),
    (Req, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n", Verdict::Ok, &[]),
    // Responses, §4 and §6.3.
    (Resp, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", Verdict::Ok, &[]),
    (Resp, "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", Verdict::Ok, &["missing-reason-space"]),
    (Resp, "HTTP/1.1 20 OK\r\n\r\n", Verdict::Error, &["invalid-status-code"]),
    (Resp, "HTTP/1.1 099 Low\r\n\r\n", Verdict::Error, &["invalid-status-code"]),
    (Resp, "HTTP/1.1 200 OK\r\n\r\nuntil close", Verdict::Ok, &["close-delimited-body"]),
    (
        Resp,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x01\x05hello",
        Verdict::Ok,
        &["protocol-switched"],
    ),
    (
        Resp,
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        Verdict::Ok,
        &["content-length-with-transfer-encoding"],
    ),
    (
        Resp,
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello",
        Verdict::Ok,
        &["content-decoding-failed"],
    ),
    (
        Resp,
        "HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\nContent-Length: 5\r\n\r\nhello",
        Verdict::Ok,
        &["unknown-content-encoding"],
    ),
];

#[test]
fn each_case_gets_its_verdict_and_codes() {
    for (kind, input, verdict, expected) in CASES {
        let p = parse(*kind, input.as_bytes());
        assert_span_rule(&p);
        let got = codes(&p);
        assert_eq!(p.verdict(), *verdict, "{input:?}: {got:?}");
        for code in *expected {
            assert!(got.contains(code), "{input:?} lacks {code}: {got:?}");
        }
        if expected.is_empty() {
            assert!(got.is_empty(), "{input:?} should be clean: {got:?}");
        }
    }
}

#[test]
fn the_classic_request_is_labelled_byte_by_byte() {
    let p = parse(Req, b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n");
    assert_eq!(
        kinds(&p),
        [
            "method",
            "sp",
            "request-target",
            "sp",
            "http-version",
            "crlf",
            "header-name",
            "colon",
            "ows",
            "header-value",
            "crlf",
            "empty-line"
        ]
    );
    let m = &p.messages[0];
    assert_eq!(p.text(m.method.unwrap()), "GET");
    assert_eq!(p.header(m, "HOST").as_deref(), Some("example.org"));
}

#[test]
fn chunked_bodies_are_labelled_per_chunk_and_joined() {
    let input =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=1\r\nWiki\r\n5\r\npedia\r\n0\r\nExpires: no\r\n\r\n";
    let p = parse(Resp, input);
    assert_eq!(p.verdict(), Verdict::Ok);
    let m = &p.messages[0];
    assert_eq!(p.body(m), b"Wikipedia");
    assert_eq!(m.framing, Some(Framing::Chunked));
    assert_eq!(p.trailers(m).len(), 1);
    let body_kinds: Vec<_> = kinds(&p).into_iter().skip(12).collect();
    assert_eq!(
        body_kinds,
        [
            "chunk-size",
            "chunk-ext",
            "crlf",
            "chunk-data",
            "crlf",
            "chunk-size",
            "crlf",
            "chunk-data",
            "crlf",
            "last-chunk",
            "crlf",
            "header-name",
            "colon",
            "ows",
            "header-value",
            "crlf",
            "empty-line"
        ]
    );
}

#[test]
fn a_large_body_is_one_span_however_it_arrives() {
    let body = vec![b'x'; 100_000];
    let mut input = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    input.extend_from_slice(&body);
    let cuts: Vec<usize> = (0..input.len()).step_by(1448).collect();
    let p = parse_in_pieces(Resp, &input, &cuts, &Options::default());
    assert_eq!(p.spans.last().unwrap().kind.as_str(), "body");
    assert_eq!(p.spans.last().unwrap().len(), body.len());
    assert_eq!(p.spans.len(), 13);
}

#[test]
fn responses_to_head_have_no_body() {
    let responses = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    let options = Options::answering(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(options.request_methods, ["HEAD", "GET"]);
    let p = wirepad::parse(Resp, responses, &options);
    assert_eq!(p.messages.len(), 2);
    assert!(p.messages.iter().all(|m| m.complete));
    assert_eq!(p.body(&p.messages[1]), b"hello");
    // Without knowing the first was HEAD, the second response's first bytes
    // are read as a body, and what follows is garbage.
    let naive = parse(Resp, responses);
    assert_eq!(naive.body(&naive.messages[0]), b"HTTP/");
    assert_eq!(naive.verdict(), Verdict::Error);
}

#[test]
fn interim_responses_are_messages_of_their_own() {
    let p = parse(
        Resp,
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
    );
    let statuses: Vec<_> = p.messages.iter().map(|m| m.status.unwrap()).collect();
    assert_eq!(statuses, [100, 204, 200]);
    assert_eq!(p.verdict(), Verdict::Ok);
}

#[test]
fn folded_values_read_as_one_space() {
    let p = parse(Req, b"GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n \t two\r\n\r\n");
    assert_eq!(p.header(&p.messages[0], "x").as_deref(), Some("one two"));
    assert!(kinds(&p).contains(&"obs-fold"));
}

#[test]
fn after_an_error_the_rest_is_one_unparsed_span() {
    let input = b"GET / HTTP/1.1\r\nHost : a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
    let p = parse(Req, input);
    let last = p.spans.last().unwrap();
    assert_eq!(last.kind.as_str(), "unparsed");
    assert_eq!(last.end as usize, input.len());
    assert_eq!(p.spans.iter().filter(|s| s.kind.as_str() == "unparsed").count(), 1);
}

#[test]
fn gzip_and_brotli_bodies_are_decoded_without_touching_spans() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"hello, wire").unwrap();
    let gz = gz.finish().unwrap();
    let mut input =
        format!("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n", gz.len()).into_bytes();
    input.extend_from_slice(&gz);
    let p = parse(Resp, &input);
    assert_eq!(p.messages[0].decoded.as_deref(), Some(&b"hello, wire"[..]));
    assert_eq!(p.body(&p.messages[0]), gz);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}
