//! The span rule and split invariance, for every split point of the samples
//! and for random, mutated and randomly split input (proptest).

mod common;

use common::*;
use proptest::prelude::*;
use wirepad::{MessageKind, Options, RequestSpec};

#[test]
fn every_single_split_point_gives_the_same_result() {
    for (kind, input) in SAMPLES {
        let whole = parse(*kind, input);
        assert_span_rule(&whole);
        for cut in 0..=input.len() {
            let split = parse_in_pieces(*kind, input, &[cut], &Options::default());
            assert_eq!(split, whole, "split at {cut} of {:?}", String::from_utf8_lossy(input));
            let drained = parse_draining(*kind, input, &[cut], &Options::default());
            assert_eq!(drained, flat(&whole), "drained at {cut} of {:?}", String::from_utf8_lossy(input));
        }
    }
}

#[test]
fn byte_at_a_time_gives_the_same_result() {
    for (kind, input) in SAMPLES {
        let cuts: Vec<usize> = (1..input.len()).collect();
        assert_eq!(parse_in_pieces(*kind, input, &cuts, &Options::default()), parse(*kind, input));
        assert_eq!(parse_draining(*kind, input, &cuts, &Options::default()), flat(&parse(*kind, input)));
    }
}

/// Lines that the one-pass paths for plain status and field lines must read,
/// or leave to the line-by-line path, exactly as that path reads them: fed a
/// byte at a time, every line goes the line-by-line way.
#[test]
fn one_pass_lines_read_like_the_line_by_line_path() {
    let status_lines: &[&[u8]] = &[
        b"HTTP/1.1 200 OK",
        b"HTTP/1.0 404 Not Found",
        b"HTTP/1.1 200 ",
        b"HTTP/1.1 200",
        b"HTTP/1.1 200 caf\xe9\tau lait",
        b"HTTP/1.1 200 bad\x7fbyte",
        b"HTTP/1.2 200 OK",
        b"HTTP/2.0 200 OK",
        b"HTTP/1.1 099 Low",
        b"HTTP/1.1 600 High",
        b"HTTP/1.1 20 Short",
        b"HTTP/1.1  200 OK",
        b"http/1.1 200 OK",
    ];
    let field_lines: &[&[u8]] = &[
        b"Name: value",
        b"Name:value",
        b"Name:   spaced value  \t",
        b"Name:",
        b"Name: \t",
        b"Name : value",
        b"Na\"me: value",
        b"Name: a\x00b",
        b"Name: caf\xe9",
        b" folded",
    ];
    for status in status_lines {
        for field in field_lines {
            for line_end in [&b"\r\n"[..], b"\n"] {
                let mut input = status.to_vec();
                for part in [line_end, field, line_end, b"Content-Length: 2", line_end, line_end, b"ok"] {
                    input.extend_from_slice(part);
                }
                let input = input.repeat(2);
                let cuts: Vec<usize> = (1..input.len()).collect();
                let whole = parse(MessageKind::Response, &input);
                assert_span_rule(&whole);
                assert_eq!(
                    parse_in_pieces(MessageKind::Response, &input, &cuts, &Options::default()),
                    whole,
                    "{:?}",
                    String::from_utf8_lossy(&input)
                );
            }
        }
    }
}

#[test]
fn samples_parse_without_errors() {
    for (kind, input) in SAMPLES {
        let p = parse(*kind, input);
        assert_eq!(p.verdict(), wirepad::Verdict::Ok, "{:?}: {:?}", String::from_utf8_lossy(input), p.diagnostics);
        assert!(p.messages.iter().all(|m| m.complete));
    }
}

fn kind_strategy() -> impl Strategy<Value = MessageKind> {
    prop_oneof![Just(MessageKind::Request), Just(MessageKind::Response)]
}

/// A sample with a few bytes replaced, inserted or removed.
fn mutated() -> impl Strategy<Value = (MessageKind, Vec<u8>)> {
    (0..SAMPLES.len(), prop::collection::vec((any::<usize>(), 0u8..3, any::<u8>()), 1..6)).prop_map(|(i, edits)| {
        let (kind, input) = SAMPLES[i];
        let mut bytes = input.to_vec();
        for (at, op, byte) in edits {
            let at = at % (bytes.len() + 1);
            match op {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => bytes.push(byte),
            }
        }
        (kind, bytes)
    })
}

/// Bytes from HTTP's own alphabet, so that random input reaches deep states.
fn http_ish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let alphabet: &[u8] =
        b"HTTP/1.1 200 OK\r\nGET:;=\t \"0123456789abcdefABCDEF-chunkedContent-LengthTransfer-Encoding\x00\x7f\xff";
    prop::collection::vec(prop::sample::select(alphabet.to_vec()), 0..300)
}

/// The span rule holds, and feeding `input` in the pieces that `cuts` make
/// (offsets taken modulo its length) gives what feeding it whole gives.
fn same_whole_and_split(kind: MessageKind, input: &[u8], cuts: Vec<usize>) -> Result<(), TestCaseError> {
    let whole = parse(kind, input);
    assert_span_rule(&whole);
    let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (input.len() + 1)).collect();
    cuts.sort_unstable();
    prop_assert_eq!(parse_in_pieces(kind, input, &cuts, &Options::default()), whole.clone());
    // Handing complete messages over as they arrive changes nothing either.
    prop_assert_eq!(parse_draining(kind, input, &cuts, &Options::default()), flat(&whole));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_keep_the_span_rule(kind in kind_strategy(), input in prop::collection::vec(any::<u8>(), 0..400),
                                       cuts in prop::collection::vec(any::<usize>(), 0..8)) {
        same_whole_and_split(kind, &input, cuts)?;
    }

    #[test]
    fn http_like_bytes_keep_the_span_rule(kind in kind_strategy(), input in http_ish_bytes(),
                                          cuts in prop::collection::vec(any::<usize>(), 0..8)) {
        same_whole_and_split(kind, &input, cuts)?;
    }

    #[test]
    fn mutated_messages_keep_the_span_rule((kind, input) in mutated(), cuts in prop::collection::vec(any::<usize>(), 0..8)) {
        same_whole_and_split(kind, &input, cuts)?;
    }

    #[test]
    fn parsing_into_used_memory_gives_what_a_fresh_parse_gives(
        (kind, first) in mutated(), i in 0..SAMPLES.len(), second_kind in kind_strategy(),
    ) {
        // The first parse leaves spans, messages, fields and diagnostics
        // behind; none of it may leak into the next.
        let mut out = parse(kind, &first);
        let second = SAMPLES[i].1;
        wirepad::parse_into(&mut out, second_kind, second.to_vec(), &Options::default());
        prop_assert_eq!(&out, &parse(second_kind, second));
        let mut reused = wirepad::Parser::reusing(kind, Options::default(), out);
        reused.feed(&first);
        prop_assert_eq!(reused.finish(), parse(kind, &first));
    }

    #[test]
    fn built_requests_parse_back_to_the_same_message(
        method in "[A-Z]{1,8}",
        target in "/[a-zA-Z0-9/._~%?=&-]{0,30}",
        minor in 0u8..2,
        headers in prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,15}", "[ -~]{0,30}"), 0..6),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        // Framing headers are the builder's job here; the rest are free text.
        let headers: Vec<(String, String)> = headers
            .into_iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("content-length") && !n.eq_ignore_ascii_case("transfer-encoding"))
            .map(|(n, v)| (n, v.trim().to_string()))
            .collect();
        let spec = RequestSpec {
            method: method.clone(),
            target: target.clone(),
            version: format!("HTTP/1.{minor}"),
            headers: headers.clone(),
            body: body.clone(),
            auto_content_length: true,
        };
        let bytes = spec.to_bytes();
        let p = parse(MessageKind::Request, &bytes);
        assert_span_rule(&p);
        prop_assert_eq!(p.messages.len(), 1);
        let m = &p.messages[0];
        prop_assert!(m.complete);
        prop_assert_eq!(p.text(m.method.unwrap()), method);
        prop_assert_eq!(p.text(m.target.unwrap()), target);
        let got: Vec<(String, String)> = p.headers(m).iter().map(|h| (p.text(h.name), p.header_value(h))).collect();
        prop_assert_eq!(got, spec.effective_headers());
        prop_assert_eq!(p.body(m), body);
    }
}

/// TLS-record-shaped bytes: records of the four content types, with lengths
/// that sometimes lie, holding handshake-looking payloads.
fn tls_ish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let record = (
        20u8..25,
        prop::collection::vec(any::<u8>(), 0..60),
        any::<bool>(),
        prop::sample::select(vec![1u8, 2, 11, 14]),
    )
        .prop_map(|(content_type, mut payload, honest, msg_type)| {
            if content_type == 22 && payload.len() >= 4 {
                payload[0] = msg_type;
                payload[1] = 0;
                payload[2] = 0;
                payload[3] = (payload.len() - 4) as u8;
            }
            let len = if honest { payload.len() as u16 } else { payload.len() as u16 + 7 };
            let mut r = vec![content_type, 3, 3];
            r.extend_from_slice(&len.to_be_bytes());
            r.extend_from_slice(&payload);
            r
        });
    prop::collection::vec(record, 0..6).prop_map(|rs| rs.concat())
}

/// The TLS labels keep the span rule on any input.
fn tls_span_rule(input: &[u8]) -> Result<(), TestCaseError> {
    let labels = wirepad::tls::label(input);
    let mut at = 0;
    for s in &labels.spans {
        prop_assert_eq!(s.start, at);
        prop_assert!(s.start < s.end);
        at = s.end;
    }
    prop_assert_eq!(at as usize, input.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn tls_labels_cover_random_bytes(input in prop::collection::vec(any::<u8>(), 0..300)) {
        tls_span_rule(&input)?;
    }

    #[test]
    fn tls_labels_cover_record_shaped_bytes(input in tls_ish_bytes()) {
        tls_span_rule(&input)?;
    }
}
