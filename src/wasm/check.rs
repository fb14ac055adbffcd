//! The server check in the page (the `check` build, www/pkg-check): the
//! suite of `wirepad check`, [`crate::check`], run by the page. The page
//! does only the IO, as `wirepad check` does over TCP: it opens a relay
//! WebSocket per check, writes the bytes a [`CheckRun`] asks it to, and
//! reports what arrives and when the server closed. The requests, the
//! clock's deadlines and the verdicts are the core's.

use super::set;
use crate::check::{Action, Outcome, Run, Target, SUITE};
use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;

/// The suite in order: `[{id, level, section, category, title}]`.
#[wasm_bindgen(js_name = checkList)]
pub fn check_list() -> Result<Array, JsError> {
    SUITE
        .iter()
        .map(|c| {
            let o = Object::new();
            set(&o, "id", &c.id.into())?;
            set(&o, "level", &c.level.as_str().into())?;
            set(&o, "section", &c.section.into())?;
            set(&o, "category", &c.category.as_str().into())?;
            set(&o, "title", &c.title.into())?;
            Ok(JsValue::from(o))
        })
        .collect()
}

/// One check on one connection: `check::Run`, the sans-IO state machine.
/// Clock times are milliseconds on any clock that never goes back (the
/// page's `performance.now()`).
#[wasm_bindgen]
pub struct CheckRun {
    run: Run,
}

#[wasm_bindgen]
impl CheckRun {
    /// The check `id` for the server at `authority` (the Host field value,
    /// `host` or `host:port`), asking for `path` (origin-form); each answer
    /// is awaited at most 2 s, as `wirepad check` waits by default.
    #[wasm_bindgen(constructor)]
    pub fn new(id: &str, authority: &str, path: &str) -> Result<CheckRun, JsError> {
        let check = SUITE.iter().find(|c| c.id == id).ok_or_else(|| JsError::new(&format!("no check {id:?}")))?;
        Ok(CheckRun { run: Run::new(check, Target::new(authority, path)) })
    }

    /// What to do next at clock time `now`: a `Uint8Array` to send (in one
    /// WebSocket message), then ask again; a number, the clock time to read
    /// until (report bytes, a close, or ask again once it has come); or
    /// `undefined` when the exchange is over: then call `finish`.
    pub fn next(&mut self, now: f64) -> JsValue {
        match self.run.next(now as u64) {
            Action::Send(bytes) => Uint8Array::from(&bytes[..]).into(),
            Action::Receive { until } => (until as f64).into(),
            Action::Done => JsValue::UNDEFINED,
        }
    }

    /// Bytes arrived from the server.
    pub fn received(&mut self, bytes: &[u8]) {
        self.run.received(bytes);
    }

    /// The server closed the connection (the relay said `closed`).
    pub fn closed(&mut self) {
        self.run.closed();
    }

    /// The server stopped taking bytes (the relay said `write-failed`):
    /// nothing more is sent, what it sent is still read.
    pub fn write_failed(&mut self) {
        self.run.write_failed();
    }

    /// The result (the run cannot be used after): `{id, level, section,
    /// category, title, rule, verdict, why, sent, received, closed,
    /// connected, ms}`, `sent` and `received` as `Uint8Array`s.
    pub fn finish(self, now: f64) -> Result<Object, JsError> {
        outcome(self.run.finish(now as u64))
    }

    /// The result when no connection was opened (`error` says why): a skip.
    pub fn unreachable(self, error: &str, now: f64) -> Result<Object, JsError> {
        outcome(self.run.unreachable(error, now as u64))
    }
}

fn outcome(o: Outcome) -> Result<Object, JsError> {
    let out = Object::new();
    set(&out, "id", &o.id.into())?;
    set(&out, "level", &o.level.as_str().into())?;
    set(&out, "section", &o.section.into())?;
    set(&out, "category", &o.category.as_str().into())?;
    set(&out, "title", &o.title.into())?;
    set(&out, "rule", &o.rule.into())?;
    set(&out, "verdict", &o.verdict.as_str().into())?;
    set(&out, "why", &o.why.into())?;
    set(&out, "sent", &Uint8Array::from(&o.sent[..]).into())?;
    set(&out, "received", &Uint8Array::from(&o.received[..]).into())?;
    set(&out, "closed", &o.closed.into())?;
    set(&out, "connected", &o.connected.into())?;
    set(&out, "ms", &(o.ms as f64).into())?;
    Ok(out)
}
