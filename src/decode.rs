//! Content codings for teaching: a decoded view of gzip, deflate and br
//! bodies (RFC 9110 §8.4.1). Decoding never changes the raw spans.

use crate::diag::{Code, Diagnostic, Severity};
use crate::parser::Parse;
use std::io::Read;

/// Decoded bodies larger than this are cut off with a warning, so that a
/// small "zip bomb" cannot exhaust the page's memory.
const MAX_DECODED: u64 = 64 << 20;

/// Decodes the body of every complete message that has a Content-Encoding,
/// storing the result in `Message::decoded` and reporting what went wrong.
pub(crate) fn check_content_codings(parse: &mut Parse) {
    let mut found = Vec::new();
    for (i, m) in parse.messages.iter().enumerate() {
        if !m.content_coding || !m.complete || parse.body_ranges(m).is_empty() {
            continue;
        }
        let Some(value) = parse.header(m, "content-encoding") else { continue };
        let codings: Vec<String> = value
            .split(',')
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty() && c != "identity")
            .collect();
        if codings.is_empty() {
            continue;
        }
        let outcome = decode_all(&parse.body(m), &codings);
        found.push((i, outcome));
    }
    for (i, outcome) in found {
        let (start, end) = {
            let body = parse.body_ranges(&parse.messages[i]);
            (body[0].start as usize, body[body.len() - 1].end as usize)
        };
        let diag = |severity, code, message| Diagnostic { severity, code, message, start, end, msg_index: Some(i) };
        match outcome {
            Ok((bytes, truncated)) => {
                if truncated {
                    parse.diagnostics.push(diag(
                        Severity::Warning,
                        Code::ContentDecodingFailed,
                        format!(
                            "the decoded body is larger than {} MiB; only the first {} MiB are shown",
                            MAX_DECODED >> 20,
                            MAX_DECODED >> 20
                        ),
                    ));
                }
                parse.messages[i].decoded = Some(bytes);
            }
            Err(Failure::Unknown(c)) => parse.diagnostics.push(diag(
                Severity::Info,
                Code::UnknownContentEncoding,
                format!("the content coding \"{c}\" is not one wirepad can decode (gzip, deflate, br)"),
            )),
            #[cfg(not(feature = "brotli"))]
            Err(Failure::NotBuiltIn(c)) => parse.diagnostics.push(diag(
                Severity::Info,
                Code::UnknownContentEncoding,
                format!("this build of wirepad does not decode \"{c}\" (the page loads a build that does when it needs one)"),
            )),
            Err(Failure::Corrupt(c, why)) => parse.diagnostics.push(diag(
                Severity::Warning,
                Code::ContentDecodingFailed,
                format!("the body does not decode as {c}: {why}"),
            )),
        }
    }
}

enum Failure {
    Unknown(String),
    /// A coding this build leaves out (see the `brotli` feature).
    #[cfg(not(feature = "brotli"))]
    NotBuiltIn(&'static str),
    Corrupt(String, String),
}

/// Undoes the codings in reverse order of application.
fn decode_all(body: &[u8], codings: &[String]) -> Result<(Vec<u8>, bool), Failure> {
    let mut data = body.to_vec();
    let mut truncated = false;
    for coding in codings.iter().rev() {
        let (out, cut) = decode_one(&data, coding)?;
        data = out;
        truncated |= cut;
    }
    Ok((data, truncated))
}

fn decode_one(data: &[u8], coding: &str) -> Result<(Vec<u8>, bool), Failure> {
    let corrupt = |e: std::io::Error| Failure::Corrupt(coding.to_string(), e.to_string());
    match coding {
        "gzip" | "x-gzip" => read_capped(flate2::read::MultiGzDecoder::new(data)).map_err(corrupt),
        // RFC 9110 §8.4.1.2: "deflate" is the zlib format; some servers send
        // raw deflate, which browsers accept too.
        "deflate" => read_capped(flate2::read::ZlibDecoder::new(data))
            .or_else(|_| read_capped(flate2::read::DeflateDecoder::new(data)))
            .map_err(corrupt),
        #[cfg(feature = "brotli")]
        "br" => read_capped(brotli_decompressor::Decompressor::new(data, 4096)).map_err(corrupt),
        #[cfg(not(feature = "brotli"))]
        "br" => Err(Failure::NotBuiltIn("br")),
        other => Err(Failure::Unknown(other.to_string())),
    }
}

fn read_capped(reader: impl Read) -> std::io::Result<(Vec<u8>, bool)> {
    let mut out = Vec::new();
    reader.take(MAX_DECODED + 1).read_to_end(&mut out)?;
    let truncated = out.len() as u64 > MAX_DECODED;
    out.truncate(MAX_DECODED as usize);
    Ok((out, truncated))
}
