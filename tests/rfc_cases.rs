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
    // §2.2 allows a server to skip empty lines before a request line; a
    // line end between responses is stray.
    (Resp, "\r\nHTTP/1.1 204 No Content\r\n\r\n", Verdict::Ok, &["stray-line-end"]),
    // RFC 9110 §15: what some status codes must (or should) carry, and the
    // framing fields a response without content must not.
    (Resp, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", Verdict::Error, &["missing-www-authenticate"]),
    (
        Resp,
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"lab\"\r\nContent-Length: 0\r\n\r\n",
        Verdict::Ok,
        &[],
    ),
    (Resp, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n", Verdict::Error, &["missing-allow"]),
    (Resp, "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\n\r\n", Verdict::Ok, &[]),
    (Resp, "HTTP/1.1 206 Partial Content\r\nContent-Length: 2\r\n\r\nhi", Verdict::Error, &["missing-content-range"]),
    (
        Resp,
        "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-1/10\r\nContent-Length: 2\r\n\r\nhi",
        Verdict::Ok,
        &[],
    ),
    (
        Resp,
        "HTTP/1.1 206 Partial Content\r\nContent-Type: multipart/byteranges; boundary=B\r\nContent-Length: 0\r\n\r\n",
        Verdict::Ok,
        &[],
    ),
    (Resp, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n", Verdict::Ok, &["missing-range-length"]),
    (
        Resp,
        "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */10\r\nContent-Length: 0\r\n\r\n",
        Verdict::Ok,
        &[],
    ),
    (Resp, "HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n", Verdict::Ok, &["missing-location"]),
    (Resp, "HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n", Verdict::Ok, &[]),
    (Resp, "HTTP/1.1 304 Not Modified\r\n\r\n", Verdict::Ok, &[]),
    (Resp, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", Verdict::Error, &["framing-on-bodiless-response"]),
    (
        Resp,
        "HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        Verdict::Error,
        &["framing-on-bodiless-response"],
    ),
    // RFC 9112 §6.3: a 1xx, 204 or 304 ends at its empty line; a body sent
    // anyway is read as the next response, and is said to be one.
    (Resp, "HTTP/1.1 204 No Content\r\n\r\nhello", Verdict::Error, &["content-on-bodiless-response"]),
    (
        Resp,
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello",
        Verdict::Error,
        &["content-on-bodiless-response"],
    ),
    (Resp, "HTTP/1.1 100 Continue\r\n\r\nhello\r\n", Verdict::Error, &["content-on-bodiless-response"]),
    // After a 200 the same bytes are only a bad status line.
    (Resp, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nhello", Verdict::Error, &["invalid-version"]),
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
fn decoding_is_a_step_of_its_own_that_leaves_the_spans_alone() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"hello, wire").unwrap();
    let gz = gz.finish().unwrap();
    let mut input =
        format!("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n", gz.len()).into_bytes();
    input.extend_from_slice(&gz);
    let p = parse(Resp, &input);
    let m = &p.messages[0];
    assert!(m.content_coded);
    assert!(m.binary, "coded content is bytes, not text");
    assert_eq!(p.body(m), gz);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let decoded = wirepad::decode::decode(&p.body(m), &p.content_codings(m));
    assert_eq!(decoded.bytes.as_deref(), Some(&b"hello, wire"[..]));
    assert_eq!(p.spans.last().unwrap().kind.as_str(), "body", "decoding added no span");
}

#[test]
fn a_body_is_binary_when_coded_or_of_a_media_type_that_is_not_text() {
    let input = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\n\x89PNGHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
    let p = parse(Resp, input);
    let binary: Vec<bool> = p.messages.iter().map(|m| m.binary).collect();
    assert_eq!(binary, [true, false, false]);
}

#[test]
fn every_content_encoding_field_is_undone_and_a_failing_step_is_named() {
    let input =
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: zstd\r\nContent-Length: 5\r\n\r\nhello";
    let p = parse(Resp, input);
    let m = &p.messages[0];
    assert_eq!(p.content_codings(m), ["gzip", "zstd"]);
    let d = wirepad::decode::decode(&p.body(m), &p.content_codings(m));
    assert_eq!(d.failed().map(|s| s.coding.as_str()), Some("zstd"), "zstd, applied last, is undone first");
    let bad = parse(Resp, b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello");
    let d = wirepad::decode::decode(&bad.body(&bad.messages[0]), &["gzip".into()]);
    assert!(matches!(d.failed().unwrap().outcome, wirepad::decode::Outcome::Failed(_)));
}

// ---- findings from other projects' test suites --------------------------------

/// RFC 9112 §5.2: a recipient replaces each obs-fold with SP before
/// interpreting a field value, so a fold cannot hide a final `chunked`.
#[test]
fn an_obs_fold_inside_transfer_encoding_does_not_hide_chunked() {
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: deflate,\r\n chunked\r\n\r\n0\r\n\r\n";
    let p = parse(Req, input);
    assert_eq!(p.messages[0].framing, Some(Framing::Chunked));
    assert!(!codes(&p).contains(&"transfer-encoding-not-chunked"), "{:?}", codes(&p));
    assert!(codes(&p).contains(&"obs-fold"));
    assert!(p.messages[0].complete);
}

/// RFC 9110 §9.3.6: a CONNECT request has no content; the bytes after its
/// head are tunnel data once a 2xx arrives, and Content-Length or
/// Transfer-Encoding on it frames nothing.
#[test]
fn a_connect_request_has_no_content() {
    let input =
        b"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\nContent-Length: 5\r\n\r\n\x16\x03\x01hello";
    let p = parse(Req, input);
    let m = &p.messages[0];
    assert_eq!(m.framing, Some(Framing::None));
    assert!(p.body(m).is_empty(), "nothing is read as a body");
    assert!(codes(&p).contains(&"framing-on-connect"), "{:?}", codes(&p));
    assert!(codes(&p).contains(&"protocol-switched"));
    assert_eq!(p.spans.last().unwrap().kind.as_str(), "unparsed");
    assert_span_rule(&p);
}

/// RFC 9110 §9.3.6: a server MUST NOT send Content-Length or
/// Transfer-Encoding in a 2xx response to CONNECT.
#[test]
fn a_2xx_to_connect_with_framing_fields_is_flagged() {
    let options = Options { request_methods: vec!["CONNECT".into()], ..Options::default() };
    let p = wirepad::parse(Resp, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n\x16\x03", &options);
    assert!(codes(&p).contains(&"framing-on-connect"), "{:?}", codes(&p));
    assert!(codes(&p).contains(&"protocol-switched"));
    let clean = wirepad::parse(Resp, b"HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03", &options);
    assert!(!codes(&clean).contains(&"framing-on-connect"));
}

/// RFC 9110 §15.2: a 1xx is interim; when the connection closes after it,
/// the final response never came.
#[test]
fn an_interim_response_followed_by_the_end_is_reported() {
    let p = parse(Resp, b"HTTP/1.1 100 Continue\r\n\r\n");
    assert_eq!(codes(&p), ["no-final-response"]);
    let fine = parse(Resp, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    assert!(codes(&fine).is_empty(), "{:?}", codes(&fine));
}

/// RFC 9112 §7.1: the chunked framing has CRLF only; §2.2's tolerance of a
/// bare LF covers the start line and field lines.
#[test]
fn a_bare_lf_in_chunked_framing_is_an_error() {
    let input = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\n0\r\n\r\n";
    let p = parse(Resp, input);
    let bad: Vec<_> = p.diagnostics.iter().filter(|d| d.code.as_str() == "chunked-bare-lf").collect();
    assert_eq!(bad.len(), 2, "the size line and the end of the data: {:?}", codes(&p));
    assert!(bad.iter().all(|d| d.severity == wirepad::Severity::Error));
    assert_eq!(p.verdict(), Verdict::Error);
    assert_eq!(p.body(&p.messages[0]), b"ab");
    // The head's bare LF stays a warning.
    let head = parse(Resp, b"HTTP/1.1 200 OK\nContent-Length: 0\n\n");
    assert_eq!(head.verdict(), Verdict::Ok);
}

/// RFC 9112 §2.2 lets a server skip empty lines before a request line; on a
/// response stream a line end after a complete response is stray.
#[test]
fn a_line_end_after_a_response_is_stray_not_a_leading_empty_line() {
    let p = parse(Resp, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\r\n");
    assert_eq!(codes(&p), ["stray-line-end"]);
    let requests = parse(Req, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(codes(&requests), ["leading-empty-line"]);
}

/// RFC 9112 §7: `identity` is not a transfer coding any more (it was removed
/// from the registry); a recipient does not know it.
#[test]
fn transfer_encoding_identity_is_flagged() {
    let p = parse(Resp, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nbody");
    assert!(codes(&p).contains(&"unknown-transfer-coding"), "{:?}", codes(&p));
    let d = p.diagnostics.iter().find(|d| d.code.as_str() == "unknown-transfer-coding").unwrap();
    assert!(d.message.contains("obsolete"), "{}", d.message);
    let chunked = parse(Resp, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
    assert!(codes(&chunked).is_empty(), "{:?}", codes(&chunked));
}

// ---- the structure a parse carries ---------------------------------------------

#[test]
fn each_message_knows_its_parts() {
    let input = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX: 1\r\n\r\n4;a=b\r\nWiki\r\n0\r\nSum: 9\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n";
    let p = parse(Resp, input);
    let [first, second] = &p.messages[..] else { panic!("two messages") };
    assert_eq!(p.text(first.status_code.unwrap()), "200");
    assert_eq!(p.text(first.reason.unwrap()), "OK");
    let te = p.headers(first)[0];
    assert_eq!(p.text(te.line()), "Transfer-Encoding: chunked\r\n");
    assert_eq!(p.text(te.value), "chunked");
    let chunks = p.chunks(first);
    assert_eq!(chunks.len(), 2);
    assert_eq!((chunks[0].size, p.text(chunks[0].ext), p.text(chunks[0].data)), (4, ";a=b".into(), "Wiki".into()));
    assert_eq!(p.text(wirepad::Range { start: chunks[0].size_digits.start, end: chunks[0].end }), "4;a=b\r\nWiki\r\n");
    assert!(chunks[1].is_last() && chunks[1].data.is_empty());
    assert_eq!(p.text(p.trailers(first)[0].name), "Sum");
    assert_eq!(first.head_end, Some(53));
    assert_eq!((first.answers, second.answers), (Some(0), Some(1)));
    // The runs of spans follow each other and cover the messages.
    assert_eq!(first.spans.end, second.spans.start);
    assert_eq!(second.spans.end as usize, p.spans.len());
    assert_eq!(p.spans.get(first.spans.end as usize).start as usize, second.start);
    assert_eq!(second.framing, Some(Framing::None));
}

#[test]
fn the_open_message_is_seen_as_it_grows() {
    let mut parser = wirepad::Parser::new(Resp, Options::default());
    parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    let open = parser.open_message().unwrap();
    assert!(!open.complete);
    assert_eq!(open.end, parser.len());
    assert_eq!(open.spans.end as usize, parser.spans().len());
    parser.feed(b"de");
    assert_eq!(parser.spans().last().unwrap().len(), 5, "the body span grows");
    parser.feed(b"fghijHTTP/1.1 2");
    assert!(parser.messages()[0].complete);
    assert_eq!(parser.covered(), parser.len() - b"HTTP/1.1 2".len(), "a line is labelled once its end arrives");
}

/// RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without
/// Host; a response that is not a 4xx to such a request is flagged.
#[test]
fn a_server_that_accepts_a_request_it_must_reject_is_flagged() {
    let options = Options::answering(b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(options.request_problems, [Some(wirepad::Code::MissingHost), None]);
    let lenient = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    let p = wirepad::parse(Resp, lenient, &options);
    let flagged: Vec<_> = p.diagnostics.iter().filter(|d| d.code.as_str() == "accepted-invalid-request").collect();
    assert_eq!(flagged.len(), 1, "only the answer to the request without Host");
    assert_eq!((flagged[0].start, flagged[0].end), (9, 12), "on the status code");
    assert!(flagged[0]
        .message
        .contains("answered 200 to a request without Host; RFC 9112 §3.2 says it must answer 400"));
    let strict = wirepad::parse(Resp, b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", &options);
    assert!(codes(&strict).is_empty(), "{:?}", codes(&strict));
    // A 1xx first: the final response is the one judged.
    let interim = wirepad::parse(Resp, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\n\r\n", &options);
    assert!(!codes(&interim).contains(&"accepted-invalid-request"));
}

/// RFC 9112 §6.3: bytes after a response that cannot have content (here
/// an answer to HEAD, fed in pieces and drained as the relay's page does)
/// are named as the content the server must not send, not as a bad
/// status line, and the sentence says what the client made of them.
#[test]
fn content_after_a_bodiless_response_is_said_in_words() {
    let options = Options::answering(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
    let mut parser = wirepad::Parser::new(Resp, options);
    let mut done = wirepad::Parse::default();
    parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    parser.drain(&mut done);
    assert_eq!(done.messages.len(), 1, "the answer to HEAD is handed over");
    parser.feed(b"hello");
    let rest = parser.finish();
    let d = rest.diagnostics.iter().find(|d| d.code.as_str() == "content-on-bodiless-response").expect("flagged");
    assert!(d.message.contains("a response to HEAD"), "{}", d.message);
    assert!(d.message.contains("reads them as the next response"), "{}", d.message);
    assert_eq!(&rest.input[d.start..d.end], b"hello");

    let p = parse(Resp, b"HTTP/1.1 204 No Content\r\n\r\nhello");
    let d = p.diagnostics.iter().find(|d| d.code.as_str() == "content-on-bodiless-response").unwrap();
    assert!(d.message.contains("a 204 response, which never has content"), "{}", d.message);
    assert_eq!(wirepad::explain::code(d.code).rfc, "RFC 9112 §6.3");
}
