//! The WebAssembly facade: conversion between JavaScript values and the
//! core's types, nothing else.

use crate::report::{Bodies, Report};
use crate::{explain, MessageKind, Options, Parser, RequestSpec};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// `{kind: "request" | "response" | "auto", requests: Uint8Array, methods: [..]}`,
/// every field optional.
#[derive(Default, Deserialize)]
#[serde(default)]
struct JsOptions {
    kind: Option<String>,
    #[serde(with = "serde_bytes")]
    requests: Option<Vec<u8>>,
    methods: Option<Vec<String>>,
}

fn read_options(options: JsValue, input: &[u8]) -> Result<(MessageKind, Options), JsError> {
    let o: JsOptions = if options.is_undefined() || options.is_null() {
        JsOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options)?
    };
    let kind = match o.kind.as_deref() {
        None | Some("auto") => MessageKind::detect(input),
        Some(k) => MessageKind::from_name(k).ok_or_else(|| JsError::new(&format!("unknown kind {k:?}")))?,
    };
    let options = match (o.requests, o.methods) {
        (Some(bytes), _) => Options::answering(&bytes),
        (None, Some(methods)) => Options { request_methods: methods },
        (None, None) => Options::default(),
    };
    Ok((kind, options))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::new())?)
}

/// Parses a whole stream; returns the object `wirepad parse --json` prints,
/// with bodies as `body`/`decoded` Uint8Arrays.
#[wasm_bindgen]
pub fn parse(input: Vec<u8>, options: JsValue) -> Result<JsValue, JsError> {
    let (kind, options) = read_options(options, &input)?;
    let parsed = crate::parse_owned(kind, input, &options);
    to_js(&Report::new(&parsed, Bodies::Bytes))
}

/// Parses and returns only the counts `wirepad parse --summary` prints, as
/// `{messages, spans, errors, warnings, infos, bytes, verdict}` (for
/// benchmarks, where building the full object would be measured instead).
#[wasm_bindgen]
pub fn parse_summary(input: Vec<u8>, options: JsValue) -> Result<JsValue, JsError> {
    let (kind, options) = read_options(options, &input)?;
    let parsed = crate::parse_owned(kind, input, &options);
    to_js(&crate::report::Summary::new(&parsed))
}

/// A parser for bytes that arrive in pieces.
#[wasm_bindgen]
pub struct StreamParser {
    inner: Parser,
}

#[wasm_bindgen]
impl StreamParser {
    /// `kind` is "request" or "response"; options as for `parse`.
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, options: JsValue) -> Result<StreamParser, JsError> {
        let kind = MessageKind::from_name(kind).ok_or_else(|| JsError::new(&format!("unknown kind {kind:?}")))?;
        let (_, options) = read_options(options, &[])?;
        Ok(StreamParser { inner: Parser::new(kind, options) })
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        self.inner.feed(bytes);
    }

    /// The result as it would be if the stream ended now.
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let parsed = self.inner.clone().finish();
        to_js(&Report::new(&parsed, Bodies::Bytes))
    }

    /// How many bytes have been fed.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }
}

/// The exact bytes of a request: `{method, target, version, headers: [[n, v]], body, auto_content_length}`.
#[wasm_bindgen]
pub fn build(spec: JsValue) -> Result<Vec<u8>, JsError> {
    let spec: RequestSpec = serde_wasm_bindgen::from_value(spec)?;
    Ok(spec.to_bytes())
}

/// The explanation table: `{kinds, codes, statuses, headers}`, each a list of
/// `[key, {title, text, rfc}]`.
#[wasm_bindgen]
pub fn explanations() -> Result<JsValue, JsError> {
    to_js(&explain::table())
}

/// The rfc-editor.org link for a reference such as "RFC 9112 §6.3".
#[wasm_bindgen]
pub fn rfc_url(rfc: &str) -> Option<String> {
    explain::rfc_url(rfc)
}
