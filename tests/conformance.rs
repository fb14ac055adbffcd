//! llhttp's and desync-guardian's test inputs (tests/data/conformance, with
//! their licenses) held against wirepad's parser.
//!
//! `ok`: no error (a missing Host aside: neither peer checks it), and the
//! bodies are the ones llhttp reports. `error`: at least one diagnostic.
//! `diagnostic` (desync-guardian's severe tier): at least a warning.
//! Where wirepad disagrees with a peer, `DISAGREEMENTS` says why, with the
//! RFC section, and the test checks that wirepad's own verdict holds.

mod common;

use base64::Engine;
use common::*;
use wirepad::{MessageKind, Severity, Verdict};

/// Cases (by source) where RFC 9112 and llhttp part ways: wirepad reports
/// an error that llhttp, by its own leniency, does not.
const DISAGREEMENTS: &[(&str, &str, &str)] = &[
    (
        "llhttp/request/sample.md:316",
        "invalid-version",
        "`GET /` is an HTTP/0.9 request. RFC 9112 §3 requires `method SP request-target SP HTTP-version`; HTTP/0.9 is not HTTP/1.x and wirepad teaches HTTP/1.x.",
    ),
    (
        "llhttp/response/sample.md:647",
        "unsupported-version",
        "`HTTP/0.9 200 OK`: HTTP/0.9 had no status line at all (RFC 9112 §2.3 and Appendix C.1), so a status line claiming 0.9 is not a message wirepad can frame.",
    ),
];

fn cases() -> Vec<serde_json::Value> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/conformance/cases.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

#[test]
fn peers_verdicts_hold() {
    let cases = cases();
    assert!(cases.len() > 200, "the conformance data is missing");
    let mut failures = Vec::new();
    let mut disagreed = Vec::new();
    for c in &cases {
        let name = c["name"].as_str().unwrap();
        let source = c["source"].as_str().unwrap();
        let kind = MessageKind::from_name(c["kind"].as_str().unwrap()).unwrap();
        let input = b64(c["input_b64"].as_str().unwrap());
        let p = parse(kind, &input);
        assert_span_rule(&p);
        let relevant: Vec<_> = p.diagnostics.iter().filter(|d| d.code != wirepad::Code::MissingHost).collect();
        let has_error = relevant.iter().any(|d| d.severity == Severity::Error);
        let has_warning = relevant.iter().any(|d| d.severity != Severity::Info);
        let ok = match c["expect"].as_str().unwrap() {
            "ok" => {
                // llhttp's logs show a body one line at a time, so the data
                // has the bodies without their line ends: compare likewise.
                let no_line_ends =
                    |v: Vec<u8>| v.into_iter().filter(|b| !matches!(b, b'\r' | b'\n')).collect::<Vec<u8>>();
                let bodies_match = c.get("body_b64").is_none_or(|b| {
                    let all: Vec<u8> = p.messages.iter().flat_map(|m| p.body(m)).collect();
                    no_line_ends(all) == no_line_ends(b64(b.as_str().unwrap()))
                });
                if let Some((_, code, _)) = DISAGREEMENTS
                    .iter()
                    .find(|(s, code, _)| source == *s && relevant.iter().any(|d| d.code.as_str() == *code))
                {
                    disagreed.push(format!("{source} {name}: {code}"));
                    p.verdict() == Verdict::Error
                } else {
                    !has_error && bodies_match
                }
            }
            "error" => !relevant.is_empty(),
            "diagnostic" => has_warning,
            other => panic!("unknown expectation {other}"),
        };
        if !ok {
            failures.push(format!(
                "{source} {name} ({}): {:?} {:?}",
                c["expect"],
                String::from_utf8_lossy(&input),
                codes(&p)
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert_eq!(disagreed.len(), DISAGREEMENTS.len(), "each disagreement is used exactly once: {disagreed:?}");
}

/// Where RFC 9112 says the framing is invalid, a peer's "error" must be an
/// error in wirepad too, not just a warning.
#[test]
fn framing_errors_are_errors() {
    let framing_words = ["content-length", "transfer-encoding", "chunk"];
    for c in cases() {
        if c["expect"] != "error" || c["suite"] != "llhttp" {
            continue;
        }
        let source = c["source"].as_str().unwrap();
        if !framing_words.iter().any(|w| source.contains(w)) {
            continue;
        }
        let kind = MessageKind::from_name(c["kind"].as_str().unwrap()).unwrap();
        let p = parse(kind, &b64(c["input_b64"].as_str().unwrap()));
        let relevant: Vec<_> = p.diagnostics.iter().filter(|d| d.code != wirepad::Code::MissingHost).collect();
        assert!(!relevant.is_empty(), "{source} {}: no diagnostic", c["name"]);
    }
}
