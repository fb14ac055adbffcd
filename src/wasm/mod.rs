//! The WebAssembly facade: conversion between JavaScript values and the
//! core's types, nothing else.
//!
//! A parse crosses into JavaScript as columns: the spans as typed arrays
//! (`start`, `end`, `kind`, `message`), header fields, chunks and body
//! ranges likewise, and one small object per message (`assemble.js`) that
//! reads its numbers (ranges, index ranges into those columns) from one
//! flat array when asked. The page reads names and values from the bytes
//! it already holds.

use crate::diag::Diagnostic;
use crate::parse::{Chunk, Framing, Header, Message, MessageKind, Parse, Verdict};
use crate::span::{Range, SpanKind, Spans};
use crate::{explain, Code, Options, Parser, RequestSpec};
use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "check")]
mod check;
mod session;
#[cfg(feature = "tls")]
mod tls;

#[wasm_bindgen(module = "/src/wasm/assemble.js")]
extern "C" {
    #[wasm_bindgen(js_name = setNames)]
    fn set_names(kinds: Array, codes: Array, rfcs: Array, layout: Object);
    #[wasm_bindgen(js_name = namesSet)]
    fn names_set() -> bool;
    fn assemble(columns: &Object) -> JsValue;
}

/// Reads `{kind: "request" | "response" | "auto", requests: Uint8Array,
/// methods: [..]}`, every field optional. Read field by field (a serde
/// `Deserialize` for it cost the first package 1 KB gzipped).
fn read_options(options: JsValue, input: &[u8]) -> Result<(MessageKind, Options), JsError> {
    let field = |name: &str| field_of(&options, name);
    let kind = match field("kind").map(|k| string(k, "options.kind")).transpose()? {
        None => MessageKind::detect(input),
        Some(k) if k == "auto" => MessageKind::detect(input),
        Some(k) => MessageKind::from_name(&k).ok_or_else(|| JsError::new(&format!("unknown kind {k:?}")))?,
    };
    let options = match (field("requests"), field("methods")) {
        (Some(bytes), _) => Options::answering(&byte_array(bytes, "options.requests")?),
        (None, Some(methods)) => {
            Options { request_methods: strings(methods, "options.methods")?, ..Options::default() }
        }
        (None, None) => Options::default(),
    };
    Ok((kind, options))
}

/// Field `name` of a JavaScript object; `None` when it is missing,
/// `undefined` or `null` (or `object` is not an object).
fn field_of(object: &JsValue, name: &str) -> Option<JsValue> {
    let value = if object.is_object() { Reflect::get(object, &JsValue::from_str(name)).ok() } else { None };
    value.filter(|v| !v.is_undefined() && !v.is_null())
}

/// A string, or an error naming `what` should have been one.
fn string(value: JsValue, what: &str) -> Result<String, JsError> {
    value.as_string().ok_or_else(|| JsError::new(&format!("{what} must be a string")))
}

/// An array of strings, or an error naming `what`.
fn strings(value: JsValue, what: &str) -> Result<Vec<String>, JsError> {
    if !Array::is_array(&value) {
        return Err(JsError::new(&format!("{what} must be an array of strings")));
    }
    Array::from(&value).iter().map(|v| string(v, &format!("each of {what}"))).collect()
}

/// Bytes given as a `Uint8Array`, or an error naming `what`.
fn byte_array(value: JsValue, what: &str) -> Result<Vec<u8>, JsError> {
    value
        .dyn_into::<Uint8Array>()
        .map(|a| a.to_vec())
        .map_err(|_| JsError::new(&format!("{what} must be a Uint8Array")))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::new())?)
}

/// A parse, finished or still going, as the result builder reads it.
struct View<'a> {
    input: &'a [u8],
    length: usize,
    covered: usize,
    spans: &'a Spans,
    messages: &'a [Message],
    /// The open message as it stands, in place of the last of `messages`.
    open: Option<Message>,
    fields: &'a [Header],
    chunks: &'a [Chunk],
    body_parts: &'a [Range],
    diagnostics: &'a [Diagnostic],
}

impl<'a> View<'a> {
    fn of_parse(p: &'a Parse) -> View<'a> {
        View {
            input: &p.input,
            length: p.input.len(),
            covered: p.input.len(),
            spans: &p.spans,
            messages: &p.messages,
            open: None,
            fields: &p.fields,
            chunks: &p.chunks,
            body_parts: &p.body_parts,
            diagnostics: &p.diagnostics,
        }
    }

    fn of_parser(p: &'a Parser) -> View<'a> {
        View {
            input: p.input(),
            length: p.len(),
            covered: p.covered(),
            spans: p.spans(),
            messages: p.messages(),
            open: p.open_message(),
            fields: p.fields(),
            chunks: p.chunks(),
            body_parts: p.body_parts(),
            diagnostics: p.diagnostics(),
        }
    }

    fn message(&self, i: usize) -> Message {
        match self.open {
            Some(open) if i + 1 == self.messages.len() => open,
            _ => self.messages[i],
        }
    }
}

const NONE: u32 = u32::MAX;

/// Declares the layout of one message in the flat array `assemble.js`
/// reads, once: `MESSAGE_NAMES` (handed to JavaScript by `ensure_names`,
/// so that `assemble.js` reads each number by its name) and
/// `message_numbers`, the numbers in the same order.
macro_rules! message_layout {
    ($m:ident => $($name:literal: $value:expr,)*) => {
        const MESSAGE_NAMES: &[&str] = &[$($name),*];
        const STRIDE: usize = MESSAGE_NAMES.len();
        fn message_numbers($m: &Message) -> [u32; STRIDE] {
            [$($value),*]
        }
    };
}

// Ranges are two numbers (`_start`, `_end`), absent ones `NONE`; enums are
// indexes into the name lists `ensure_names` hands over too.
message_layout! { m =>
    // (MessageKind::ALL is in declaration order.)
    "kind": m.kind as u32,
    "start": m.start as u32,
    "end": m.end as u32,
    "complete": m.complete as u32,
    "final": m.is_final() as u32,
    "spans_start": m.spans.start,
    "spans_end": m.spans.end,
    "head_end": m.head_end.unwrap_or(NONE),
    "framing": m.framing.map_or(NONE, framing_index),
    "status": m.status.map_or(NONE, u32::from),
    "method_start": m.method.map_or(NONE, |r| r.start),
    "method_end": m.method.map_or(NONE, |r| r.end),
    "target_start": m.target.map_or(NONE, |r| r.start),
    "target_end": m.target.map_or(NONE, |r| r.end),
    "version_start": m.version.map_or(NONE, |r| r.start),
    "version_end": m.version.map_or(NONE, |r| r.end),
    "status_code_start": m.status_code.map_or(NONE, |r| r.start),
    "status_code_end": m.status_code.map_or(NONE, |r| r.end),
    "reason_start": m.reason.map_or(NONE, |r| r.start),
    "reason_end": m.reason.map_or(NONE, |r| r.end),
    "headers_start": m.headers.start,
    "headers_end": m.headers.end,
    "trailers_start": m.trailers.start,
    "trailers_end": m.trailers.end,
    "chunks_start": m.chunks.start,
    "chunks_end": m.chunks.end,
    "body_start": m.body.start,
    "body_end": m.body.end,
    "answers": m.answers.unwrap_or(NONE),
    "closes": m.closes as u32,
    "content_coded": m.content_coded as u32,
    "binary": m.binary as u32,
}

/// The framings, in the order a message's `framing` number indexes.
const FRAMINGS: [Framing; 4] = [Framing::None, Framing::Length(0), Framing::Chunked, Framing::Close];

/// A framing's index in `FRAMINGS`, the order the page reads them in (by
/// variant: no string compared, for each of 100,000 messages).
fn framing_index(f: Framing) -> u32 {
    let variant = std::mem::discriminant(&f);
    FRAMINGS.iter().position(|n| std::mem::discriminant(n) == variant).unwrap_or(0) as u32
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &JsValue::from_str(key), value).map_err(|_| JsError::new("cannot build the result"))?;
    Ok(())
}

/// The names the result refers to by index, handed to `assemble.js` once.
fn ensure_names() {
    if names_set() {
        return;
    }
    let strings = |it: &mut dyn Iterator<Item = &str>| it.map(JsValue::from_str).collect::<Array>();
    let layout = Object::new();
    let lists: [(&str, Array); 4] = [
        ("message", strings(&mut MESSAGE_NAMES.iter().copied())),
        ("kinds", strings(&mut MessageKind::ALL.iter().map(|k| k.as_str()))),
        ("framings", strings(&mut FRAMINGS.iter().map(|f| f.as_str()))),
        ("severities", strings(&mut crate::Severity::ALL.iter().map(|s| s.as_str()))),
    ];
    for (name, list) in lists {
        let _ = Reflect::set(&layout, &JsValue::from_str(name), &list);
    }
    set_names(
        strings(&mut SpanKind::ALL.iter().map(|k| k.as_str())),
        strings(&mut Code::ALL.iter().map(|c| c.as_str())),
        strings(&mut Code::ALL.iter().map(|c| explain::code(*c).rfc)),
        layout,
    );
}

fn columns(named: &[(&str, Vec<u32>)]) -> Result<Object, JsError> {
    let o = Object::new();
    for (name, col) in named {
        set(&o, name, &Uint32Array::from(&col[..]).into())?;
    }
    Ok(o)
}

/// The fields whose values hold an obs-fold (RFC 9112 §5.2), and each
/// value as a recipient reads it (every fold one space): the page shows
/// those strings and reads every other value from the bytes as they are.
/// Found from the `obs-fold` spans, so a stream without folds costs one
/// `memchr` over the span kinds.
fn unfolded_values(view: &View) -> (Vec<u32>, Array) {
    let (mut folded, values) = (Vec::new(), Array::new());
    let fields = view.fields;
    for i in memchr::memchr_iter(SpanKind::ObsFold as u8, view.spans.kind_indexes()) {
        let at = view.spans.get(i).start;
        // The field whose line holds the fold: the last one starting before it.
        let j = fields.partition_point(|h| h.name.start <= at);
        if j == 0 || folded.last() == Some(&(j as u32 - 1)) || fields[j - 1].line_end <= at {
            continue;
        }
        let h = fields[j - 1];
        folded.push(j as u32 - 1);
        values.push(&JsValue::from_str(&crate::parse::unfold(&view.input[h.value.as_usize()])));
    }
    (folded, values)
}

/// The whole result: see docs/wasm.md for its shape.
fn result(view: &View) -> Result<JsValue, JsError> {
    ensure_names();
    let c = Object::new();
    // The spans' bounds: 0, then each span's end, one array of which
    // assemble.js makes the starts and the ends as two views; the kinds as
    // they are. (The message of each span is filled in there, from the
    // messages' span runs.)
    let ends = view.spans.ends();
    let bounds = Uint32Array::new_with_length(ends.len() as u32 + 1);
    bounds.subarray(1, ends.len() as u32 + 1).copy_from(ends);
    set(&c, "bounds", &bounds.into())?;
    set(&c, "kinds", &Uint8Array::from(view.spans.kind_indexes()).into())?;

    let mut flat = Vec::with_capacity(view.messages.len() * STRIDE);
    let mut lengths = Vec::with_capacity(view.messages.len());
    for i in 0..view.messages.len() {
        let m = view.message(i);
        lengths.push(match m.framing {
            Some(Framing::Length(n)) => n as f64,
            _ => f64::NAN,
        });
        flat.extend(message_numbers(&m));
    }
    set(&c, "messages", &Uint32Array::from(&flat[..]).into())?;
    set(&c, "lengths", &Float64Array::from(&lengths[..]).into())?;

    // The five columns of the fields, filled in one pass.
    let mut cols: [Vec<u32>; 5] = std::array::from_fn(|_| Vec::with_capacity(view.fields.len()));
    for h in view.fields {
        for (col, n) in cols.iter_mut().zip([h.name.start, h.name.end, h.value.start, h.value.end, h.line_end]) {
            col.push(n);
        }
    }
    let [name_start, name_end, value_start, value_end, line_end] = cols;
    let fields = columns(&[
        ("name_start", name_start),
        ("name_end", name_end),
        ("value_start", value_start),
        ("value_end", value_end),
        ("line_end", line_end),
    ])?;
    let (folded, unfolded) = unfolded_values(view);
    set(&fields, "folded", &Uint32Array::from(&folded[..]).into())?;
    set(&fields, "unfolded", &unfolded)?;
    set(&c, "fields", &fields)?;

    let k = view.chunks;
    let col = |get: fn(&Chunk) -> u32| k.iter().map(get).collect::<Vec<u32>>();
    let chunks = columns(&[
        ("size_start", col(|c| c.size_digits.start)),
        ("size_end", col(|c| c.size_digits.end)),
        ("ext_start", col(|c| c.ext.start)),
        ("ext_end", col(|c| c.ext.end)),
        ("data_start", col(|c| c.data.start)),
        ("data_end", col(|c| c.data.end)),
        ("end", col(|c| c.end)),
    ])?;
    // Sizes as numbers: exact up to 2^53, far past what a page can hold.
    let sizes: Vec<f64> = k.iter().map(|c| c.size as f64).collect();
    set(&chunks, "size", &Float64Array::from(&sizes[..]).into())?;
    set(&c, "chunks", &chunks)?;

    let b = view.body_parts;
    let body = columns(&[("start", b.iter().map(|r| r.start).collect()), ("end", b.iter().map(|r| r.end).collect())])?;
    set(&c, "body", &body)?;

    let mut diags = Vec::with_capacity(view.diagnostics.len() * 5);
    let mut text = String::new();
    for (i, d) in view.diagnostics.iter().enumerate() {
        let code = Code::ALL.iter().position(|&c| c == d.code).unwrap_or(0) as u32;
        let severity = crate::Severity::ALL.iter().position(|&s| s == d.severity).unwrap_or(0) as u32;
        diags.extend_from_slice(&[
            severity,
            code,
            d.start as u32,
            d.end as u32,
            d.msg_index.map_or(NONE, |m| m as u32),
        ]);
        if i > 0 {
            text.push('\0');
        }
        text.push_str(&d.message);
    }
    set(&c, "diags", &Uint32Array::from(&diags[..]).into())?;
    set(&c, "diagText", &JsValue::from_str(&text))?;
    set(&c, "verdict", &JsValue::from_str(Verdict::of(view.diagnostics).as_str()))?;
    set(&c, "length", &JsValue::from(view.length as u32))?;
    set(&c, "covered", &JsValue::from(view.covered as u32))?;
    Ok(assemble(&c))
}

/// Parses a whole stream; returns the result object (docs/wasm.md):
/// columns of spans, fields, chunks and body ranges, and one
/// object per message and per diagnostic. The same as
/// `new Parsed(input, options).result()`, for callers that need nothing else.
#[wasm_bindgen]
pub fn parse(input: Vec<u8>, options: JsValue) -> Result<JsValue, JsError> {
    Parsed::new(input, options)?.result()
}

/// A finished parse kept in wasm memory, for what the page asks of it after
/// drawing the result: what a span means in its message (`notes`) and a
/// message's de-framed body (`body`). Made by `new Parsed(input, options)`
/// or by finishing a `StreamParser` or a `Session`; the page frees it
/// (`free()`) when the bytes it holds are replaced.
#[wasm_bindgen]
pub struct Parsed {
    parse: Parse,
    methods: Vec<String>,
}

#[wasm_bindgen]
impl Parsed {
    /// Parses `input` whole, with the same `options` as `parse`.
    #[wasm_bindgen(constructor)]
    pub fn new(input: Vec<u8>, options: JsValue) -> Result<Parsed, JsError> {
        let (kind, options) = read_options(options, &input)?;
        Ok(Parsed { parse: crate::parse_owned(kind, input, &options), methods: options.request_methods })
    }

    /// The result object, as `parse` returns it.
    pub fn result(&self) -> Result<JsValue, JsError> {
        result(&View::of_parse(&self.parse))
    }

    /// What span `index` means in its own message (`explain::notes`):
    /// `{context, framing}`, the sentences the page shows after "In this
    /// message:" and "Where it ends:" ("" when there is nothing to add).
    pub fn notes(&self, index: usize) -> Result<JsValue, JsError> {
        let notes = explain::notes(&self.parse, &self.methods, index);
        let out = Object::new();
        set(&out, "context", &JsValue::from_str(&notes.context))?;
        set(&out, "framing", &JsValue::from_str(&notes.framing))?;
        Ok(out.into())
    }

    /// Message `message`'s de-framed body: its Content-Length or
    /// close-delimited body, or its chunks' data joined (empty for a
    /// message without one, or an index past the last).
    pub fn body(&self, message: usize) -> Vec<u8> {
        self.parse.messages.get(message).map_or_else(Vec::new, |m| self.parse.body(m))
    }
}

/// What a field's value says beyond the field's own explanation (decoded
/// Basic credentials, an authentication challenge): `{text, rfc}` or
/// undefined. In the decoding build only, loaded when such a value is shown.
#[cfg(feature = "decode")]
#[wasm_bindgen]
pub fn explain_value(name: &str, value: &str) -> Result<JsValue, JsError> {
    to_js(&explain::field_value(name, value))
}

/// Parses and returns only the counts `wirepad parse --summary` prints, as
/// `{messages, spans, errors, warnings, infos, bytes, verdict}`. For tools
/// and benchmarks, not the page: it is left out of the first package (it
/// costs 0.8 KB gzipped there) and built with `decode` (www/pkg-decode).
#[cfg(feature = "decode")]
#[wasm_bindgen]
pub fn parse_summary(input: Vec<u8>, options: JsValue) -> Result<JsValue, JsError> {
    let (kind, options) = read_options(options, &input)?;
    let parsed = crate::parse_owned(kind, input, &options);
    to_js(&crate::report::Summary::new(&parsed))
}

/// A parser for bytes that arrive in pieces: `feed` says what changed, so
/// a page repaints only the new part of a live response.
#[wasm_bindgen]
pub struct StreamParser {
    inner: Parser,
    /// Messages before this index are complete and counted in `finals`.
    counted: usize,
    /// Complete final responses (status 101 or 200 and up) so far.
    finals: u32,
}

#[wasm_bindgen]
impl StreamParser {
    /// `kind` is "request" or "response"; options as for `parse`.
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, options: JsValue) -> Result<StreamParser, JsError> {
        let kind = MessageKind::from_name(kind).ok_or_else(|| JsError::new(&format!("unknown kind {kind:?}")))?;
        let (_, options) = read_options(options, &[])?;
        Ok(StreamParser { inner: Parser::new(kind, options), counted: 0, finals: 0 })
    }

    /// Adds bytes; returns what changed: `{spans, messages, diagnostics}`,
    /// the index of the first span, message and diagnostic that is new or
    /// has grown (the last span grows as a body arrives; the open message
    /// grows until it completes), and `covered`, how many bytes the spans
    /// cover now (the rest waits for its line end), and `finals`, how many
    /// final responses (101, or 200 and up) are complete: a page that sent
    /// N requests can stop reading once it is N; and `until`, the byte the
    /// open message will end at when its head gave a Content-Length (null
    /// otherwise): a page can make room for the whole body at once.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<JsValue, JsError> {
        let p = &self.inner;
        let (spans, last_end) = (p.spans().len(), p.spans().last().map_or(0, |s| s.end));
        let messages = p.messages().len();
        let open = p.open_message().is_some();
        let diagnostics = p.diagnostics().len();
        self.inner.feed(bytes);
        let p = &self.inner;
        let grew = spans > 0 && p.spans().get(spans - 1).end != last_end;
        while let Some(m) = p.messages().get(self.counted).filter(|m| m.complete) {
            self.finals += m.is_final() as u32;
            self.counted += 1;
        }
        let change = Object::new();
        set(&change, "spans", &JsValue::from((spans - grew as usize) as u32))?;
        set(&change, "messages", &JsValue::from((messages - open as usize) as u32))?;
        set(&change, "diagnostics", &JsValue::from(diagnostics as u32))?;
        set(&change, "covered", &JsValue::from(p.covered() as u32))?;
        set(&change, "finals", &JsValue::from(self.finals))?;
        // Where the open message will end, when its head said (Content-Length).
        let until = p.open_message().and_then(|m| match (m.head_end, m.framing) {
            (Some(head_end), Some(Framing::Length(n))) => Some(head_end as f64 + n as f64),
            _ => None,
        });
        set(&change, "until", &until.map_or(JsValue::NULL, JsValue::from))?;
        Ok(change.into())
    }

    /// The result so far, in the shape `parse` returns; the open message is
    /// incomplete, and bytes past `covered` have no span yet.
    pub fn result(&self) -> Result<JsValue, JsError> {
        result(&View::of_parser(&self.inner))
    }

    /// Ends the stream (a line cut short is labelled, an incomplete message
    /// reported) and returns the finished parse (`result()` gives what
    /// `parse` would). The parser cannot be used after this.
    pub fn finish(self) -> Parsed {
        let methods = self.inner.options().request_methods.clone();
        Parsed { parse: self.inner.finish(), methods }
    }

    /// How many bytes have been fed.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }
}

/// `{bytes, steps: [{coding, outcome, error}], truncated}`: `body` with the
/// codings of the given Content-Encoding field values undone (last applied
/// first). `bytes` is absent when a step failed; `outcome` is "decoded",
/// "unknown", "not-built-in" or "failed". Only in the build with the
/// decoders (www/pkg-decode): the first package leaves decoding to it.
#[cfg(feature = "decode")]
#[wasm_bindgen]
pub fn decode(body: &[u8], content_encodings: Vec<String>) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Step {
        coding: String,
        outcome: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    }
    let codings = crate::decode::codings(content_encodings.iter().map(String::as_str));
    let d = crate::decode::decode(body, &codings);
    let steps: Vec<Step> = d
        .steps
        .iter()
        .map(|s| Step {
            coding: s.coding.clone(),
            outcome: s.outcome.as_str(),
            error: match &s.outcome {
                crate::decode::Outcome::Failed(e) => Some(e.clone()),
                _ => None,
            },
        })
        .collect();
    let out = Object::new();
    if let Some(bytes) = &d.bytes {
        set(&out, "bytes", &Uint8Array::from(&bytes[..]).into())?;
    }
    set(&out, "steps", &to_js(&steps)?)?;
    set(&out, "truncated", &JsValue::from(d.truncated))?;
    Ok(out.into())
}

/// The exact bytes of a request: `{method, target, version, headers: [[n, v]], body, auto_content_length}`.
#[wasm_bindgen]
pub fn build(spec: JsValue) -> Result<Vec<u8>, JsError> {
    Ok(read_spec(&spec)?.to_bytes())
}

/// Reads a `RequestSpec` field by field, as its serde defaults say: a
/// missing field is empty (false), and the body is a string (characters up
/// to U+00FF one byte each), a `Uint8Array` or an array of byte values; a
/// field of another type is an error that names it. Not
/// through serde: `Deserialize` from JavaScript values brought the float
/// formatting of serde's error messages into the first package (14 KB
/// gzipped of its 79).
fn read_spec(spec: &JsValue) -> Result<RequestSpec, JsError> {
    let field = |name: &str| field_of(spec, name);
    let text = |name: &str| -> Result<String, JsError> {
        field_of(spec, name).map(|v| string(v, &format!("spec.{name}"))).transpose().map(Option::unwrap_or_default)
    };
    let headers = match field("headers") {
        None => Vec::new(),
        Some(list) if Array::is_array(&list) => Array::from(&list)
            .iter()
            .map(|pair| {
                let what = "each of spec.headers must be [name, value], two strings";
                if !Array::is_array(&pair) || Array::from(&pair).length() != 2 {
                    return Err(JsError::new(what));
                }
                let pair = Array::from(&pair);
                Ok((string(pair.get(0), what)?, string(pair.get(1), what)?))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(JsError::new("spec.headers must be an array of [name, value] pairs")),
    };
    let body = match field("body") {
        None => Vec::new(),
        Some(b) => match b.as_string() {
            Some(s) => {
                let mut out = Vec::with_capacity(s.len());
                crate::build::put(&mut out, &s);
                out
            }
            None if b.is_instance_of::<Uint8Array>() => Uint8Array::from(b).to_vec(),
            None if Array::is_array(&b) => Array::from(&b)
                .iter()
                .map(|v| match v.as_f64() {
                    Some(n) if n.fract() == 0.0 && (0.0..=255.0).contains(&n) => Ok(n as u8),
                    _ => Err(JsError::new("each byte of spec.body must be a whole number from 0 to 255")),
                })
                .collect::<Result<_, _>>()?,
            None => return Err(JsError::new("spec.body must be a string, a Uint8Array or an array of bytes")),
        },
    };
    Ok(RequestSpec {
        method: text("method")?,
        target: text("target")?,
        version: text("version")?,
        headers,
        body,
        auto_content_length: field("auto_content_length").is_some_and(|v| v.is_truthy()),
    })
}

/// The explanation table: `{kinds, ends, codes, statuses, methods, headers}`,
/// each a list of `[key, {title, text, rfc}]` (`ends`: `[kind, sentence]`).
#[wasm_bindgen]
pub fn explanations() -> Result<JsValue, JsError> {
    to_js(&explain::table())
}

/// The rfc-editor.org link for a reference such as "RFC 9112 §6.3".
#[wasm_bindgen]
pub fn rfc_url(rfc: &str) -> Option<String> {
    explain::rfc_url(rfc)
}
