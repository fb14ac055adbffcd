//! Content codings for teaching: a decoded view of a body (RFC 9110 §8.4).
//!
//! Decoding is its own step, apart from parsing: the parser labels the
//! bytes on the wire, and a decoded body is made only when someone looks at
//! it. It never changes the raw spans. Every coding of every
//! Content-Encoding field is undone, the last applied first, and each step
//! says what it did or why it failed.
//!
//! ```
//! use wirepad::decode::{decode, Outcome};
//! let d = decode(b"plain", &["br".to_string(), "x-unknown".to_string()]);
//! assert_eq!(d.bytes, None);
//! assert_eq!(d.steps[0].coding, "x-unknown");
//! assert_eq!(d.steps[0].outcome, Outcome::Unknown);
//! ```

#[cfg(feature = "decode")]
use std::io::Read;

/// Decoded bodies larger than this are cut off (and say so), so that a
/// small "zip bomb" cannot exhaust the page's memory.
pub const MAX_DECODED: u64 = 64 << 20;

/// What one step of decoding did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Undone: this many bytes came out.
    Decoded(usize),
    /// Not a coding wirepad knows (gzip, deflate, br).
    Unknown,
    /// A coding this build leaves out: the page's first wasm package is
    /// built without the `decode` feature; the second one has it.
    NotBuiltIn,
    /// The bytes do not decode as this coding; the sentence says why.
    Failed(String),
}

impl Outcome {
    /// "decoded", "unknown", "not-built-in" or "failed": the name the JSON
    /// and the page give it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Decoded(_) => "decoded",
            Outcome::Unknown => "unknown",
            Outcome::NotBuiltIn => "not-built-in",
            Outcome::Failed(_) => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The coding, lower-cased, as named in Content-Encoding.
    pub coding: String,
    pub outcome: Outcome,
}

/// The result of undoing a body's content codings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The body with every coding undone; `None` when a step failed.
    pub bytes: Option<Vec<u8>>,
    /// The steps in the order they ran (the last coding applied first), up
    /// to and including the first that failed.
    pub steps: Vec<Step>,
    /// The decoded body was larger than [`MAX_DECODED`] and was cut there.
    pub truncated: bool,
}

impl Decoded {
    /// The step that failed, if one did.
    pub fn failed(&self) -> Option<&Step> {
        self.steps.iter().find(|s| !matches!(s.outcome, Outcome::Decoded(_)))
    }
}

/// The codings named by Content-Encoding field values, in the order they
/// were applied: every field, every comma-separated element, lower-cased,
/// with `identity` (no coding) left out.
pub fn codings<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    values
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect()
}

/// Undoes `codings` (in the order they were applied) on `body`.
pub fn decode(body: &[u8], codings: &[String]) -> Decoded {
    let mut data = body.to_vec();
    let mut steps = Vec::new();
    let mut truncated = false;
    for coding in codings.iter().rev() {
        match decode_one(&data, coding) {
            Ok((out, cut)) => {
                steps.push(Step { coding: coding.clone(), outcome: Outcome::Decoded(out.len()) });
                data = out;
                truncated |= cut;
            }
            Err(outcome) => {
                steps.push(Step { coding: coding.clone(), outcome });
                return Decoded { bytes: None, steps, truncated };
            }
        }
    }
    Decoded { bytes: Some(data), steps, truncated }
}

fn decode_one(data: &[u8], coding: &str) -> Result<(Vec<u8>, bool), Outcome> {
    #[cfg(not(feature = "decode"))]
    let _ = data;
    #[cfg(feature = "decode")]
    let corrupt = |e: std::io::Error| Outcome::Failed(e.to_string());
    match coding {
        #[cfg(feature = "decode")]
        "gzip" | "x-gzip" => read_capped(flate2::read::MultiGzDecoder::new(data)).map_err(corrupt),
        // RFC 9110 §8.4.1.2: "deflate" is the zlib format; some servers send
        // raw deflate, which browsers accept too.
        #[cfg(feature = "decode")]
        "deflate" => read_capped(flate2::read::ZlibDecoder::new(data))
            .or_else(|_| read_capped(flate2::read::DeflateDecoder::new(data)))
            .map_err(corrupt),
        #[cfg(feature = "decode")]
        "br" => read_capped(brotli_decompressor::Decompressor::new(data, 4096)).map_err(corrupt),
        #[cfg(not(feature = "decode"))]
        "gzip" | "x-gzip" | "deflate" | "br" => Err(Outcome::NotBuiltIn),
        _ => Err(Outcome::Unknown),
    }
}

#[cfg(feature = "decode")]
fn read_capped(reader: impl Read) -> std::io::Result<(Vec<u8>, bool)> {
    let mut out = Vec::new();
    reader.take(MAX_DECODED + 1).read_to_end(&mut out)?;
    let truncated = out.len() as u64 > MAX_DECODED;
    out.truncate(MAX_DECODED as usize);
    Ok((out, truncated))
}

#[cfg(all(test, feature = "decode"))]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn codings_come_from_every_field_in_order() {
        assert_eq!(codings(["gzip, identity", "Deflate"]), ["gzip", "deflate"]);
        assert!(codings(["identity", " , "]).is_empty());
    }

    #[test]
    fn stacked_codings_are_undone_last_first() {
        let body = zlib(&gzip(b"hello, stacked"));
        let d = decode(&body, &codings(["gzip", "deflate"]));
        assert_eq!(d.bytes.as_deref(), Some(&b"hello, stacked"[..]));
        let order: Vec<&str> = d.steps.iter().map(|s| s.coding.as_str()).collect();
        assert_eq!(order, ["deflate", "gzip"]);
        assert_eq!(d.failed(), None);
    }

    #[test]
    fn raw_deflate_is_accepted_like_browsers_do() {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b"raw").unwrap();
        assert_eq!(decode(&e.finish().unwrap(), &["deflate".into()]).bytes.as_deref(), Some(&b"raw"[..]));
    }

    #[test]
    fn the_failing_step_is_named() {
        let body = gzip(b"inner");
        // Applied: gzip, then "deflate" claimed but never done.
        let d = decode(&body, &codings(["gzip", "deflate"]));
        assert_eq!(d.bytes, None);
        let failed = d.failed().unwrap();
        assert_eq!(failed.coding, "deflate");
        assert!(matches!(failed.outcome, Outcome::Failed(_)));
        assert_eq!(d.steps.len(), 1, "nothing runs after the failed step");
    }

    #[test]
    fn an_empty_list_leaves_the_body_as_it_is() {
        assert_eq!(decode(b"as is", &[]).bytes.as_deref(), Some(&b"as is"[..]));
    }

    #[test]
    fn brotli_decodes_when_built_in() {
        // "hi", compressed by Node's zlib.brotliCompressSync.
        let body = [0x8b, 0x00, 0x80, 0x68, 0x69, 0x03];
        assert_eq!(decode(&body, &["br".into()]).bytes.as_deref(), Some(&b"hi"[..]));
    }
}
