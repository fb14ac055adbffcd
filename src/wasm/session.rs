//! A live exchange in the page: the relay's WebSocket (through web-sys),
//! TLS when the target is https (the `tls` build), and the incremental
//! response parser, in one object. Bytes from the relay reach TLS and the
//! parser without a trip through JavaScript; the page subscribes to what
//! changed with one listener, called with objects of these `type`s:
//!
//! * `event`: a relay event (`wirepad::protocol::RelayEvent`; the session
//!   acts on its `type`, `EventType`), as `event`;
//! * `plain`: new response bytes (`bytes`, after TLS) and what they changed
//!   in the parse (`change`, as `StreamParser.feed` returns it);
//! * `tls`: TLS bytes that crossed (`dir`: `up` or `down`, `bytes`);
//! * `handshake`: the TLS handshake is done (`info`, as `TlsClient.info`);
//! * `tls-error`: TLS failed (`failure`: `{code, message}`); the session
//!   has told the server with an alert and closed, sending nothing else;
//! * `protocol-error`: a text message that is not a relay event (`message`);
//! * `socket-closed`: the WebSocket closed (`code`, `reason`).

use super::{set, StreamParser};
use crate::protocol::EventType;
use crate::{MessageKind, Options, Parser};
use js_sys::{ArrayBuffer, Function, Object, Uint8Array, JSON};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

#[cfg(feature = "tls")]
use super::tls::TlsClient;

/// What the listener hears about, collected while the session's state is
/// borrowed and handed over once it is not (the listener may call back).
type Notes = Vec<Object>;

fn note(kind: &str, fields: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    let _ = set(&o, "type", &JsValue::from_str(kind));
    for (k, v) in fields {
        let _ = set(&o, k, v);
    }
    o
}

struct Shared {
    ws: WebSocket,
    /// The request bytes: what plain http sends once connected.
    request: Vec<u8>,
    #[cfg(feature = "tls")]
    tls: Option<TlsClient>,
    #[cfg(feature = "tls")]
    handshake_told: bool,
    /// After a TLS failure nothing more is sent or decrypted.
    #[cfg(feature = "tls")]
    tls_failed: bool,
    /// None once finished.
    parser: Option<StreamParser>,
}

impl Shared {
    fn send(&self, bytes: &[u8]) {
        let _ = self.ws.send_with_u8_array(bytes);
    }

    fn on_text(&mut self, text: &str, notes: &mut Notes) {
        let value = match JSON::parse(text) {
            Ok(v) => v,
            Err(_) => {
                return notes
                    .push(note("protocol-error", &[("message", "the relay sent text that is not JSON".into())]))
            }
        };
        let tag = js_sys::Reflect::get(&value, &"type".into()).ok().and_then(|t| t.as_string()).unwrap_or_default();
        match EventType::from_name(&tag) {
            Some(EventType::Connected) => {
                notes.push(note("event", &[("event", value)]));
                self.send_first(notes);
            }
            Some(_) => notes.push(note("event", &[("event", value)])),
            None => notes.push(note("protocol-error", &[("message", format!("not a relay event: {text}").into())])),
        }
    }

    /// Once connected: the request, or over TLS the ClientHello.
    fn send_first(&mut self, notes: &mut Notes) {
        #[cfg(feature = "tls")]
        if self.tls.is_some() {
            return self.flush_tls(notes);
        }
        let _ = &notes;
        self.send(&self.request);
    }

    /// Bytes from the relay (`data`, a view of the WebSocket message's own
    /// buffer): over TLS, records to decrypt; otherwise the response itself.
    fn on_bytes(&mut self, data: Uint8Array, notes: &mut Notes) {
        let bytes = data.to_vec();
        #[cfg(feature = "tls")]
        if let Some(client) = self.tls.as_mut() {
            notes.push(note("tls", &[("dir", "down".into()), ("bytes", data.into())]));
            if self.tls_failed {
                return;
            }
            let plain = match client.receive(&bytes) {
                Ok(plain) => plain,
                Err(failure) => {
                    // The alert that tells the server, then the end: nothing more is sent.
                    self.flush_tls(notes);
                    self.tls_failed = true;
                    notes.push(note("tls-error", &[("failure", failure)]));
                    let _ = self.ws.close();
                    return;
                }
            };
            self.flush_tls(notes);
            if let Some(client) = self.tls.as_ref().filter(|_| !self.handshake_told && !self.tls_failed) {
                let info = client.info();
                if !js_sys::Reflect::get(&info, &"handshaking".into()).ok().and_then(|v| v.as_bool()).unwrap_or(true) {
                    self.handshake_told = true;
                    notes.push(note("handshake", &[("info", info)]));
                }
            }
            return self.feed(&plain, None, notes);
        }
        self.feed(&bytes, Some(data), notes);
    }

    /// Parses `plain` and tells the page, with the bytes: `view` when the
    /// page holds them already (plain http: the message's own buffer, not a
    /// copy out of wasm memory), or a copy (what TLS decrypted).
    fn feed(&mut self, plain: &[u8], view: Option<Uint8Array>, notes: &mut Notes) {
        if plain.is_empty() {
            return;
        }
        if let Some(parser) = self.parser.as_mut() {
            match parser.feed(plain) {
                Ok(change) => {
                    let bytes = view.unwrap_or_else(|| Uint8Array::from(plain));
                    notes.push(note("plain", &[("bytes", bytes.into()), ("change", change)]))
                }
                Err(e) => notes.push(note("protocol-error", &[("message", JsValue::from(e))])),
            }
        }
    }

    /// Sends the TLS records the client has ready.
    #[cfg(feature = "tls")]
    fn flush_tls(&mut self, notes: &mut Notes) {
        let Some(client) = self.tls.as_mut().filter(|_| !self.tls_failed) else { return };
        match client.outgoing() {
            Ok(out) if !out.is_empty() => {
                self.send(&out);
                notes.push(note("tls", &[("dir", "up".into()), ("bytes", Uint8Array::from(&out[..]).into())]));
            }
            Ok(_) => {}
            Err(failure) => {
                self.tls_failed = true;
                notes.push(note("tls-error", &[("failure", failure)]));
                let _ = self.ws.close();
            }
        }
    }
}

#[wasm_bindgen]
pub struct Session {
    shared: Rc<RefCell<Shared>>,
    /// For what `tls_close` sends.
    #[cfg(feature = "tls")]
    listener: Function,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

#[wasm_bindgen]
impl Session {
    /// Opens the relay WebSocket at `url` (`ws://SERVER/relay?host=…&port=…`)
    /// to send `request` and parse the response. `tls` is null for plain
    /// http, or `{host, trust}` (the server name and PEM trust anchors) for
    /// https, in the `tls` build. `listener` is called with each change.
    #[wasm_bindgen(constructor)]
    pub fn new(url: &str, request: Vec<u8>, tls: JsValue, listener: Function) -> Result<Session, JsValue> {
        #[cfg(feature = "tls")]
        let tls = if tls.is_null() || tls.is_undefined() {
            None
        } else {
            let host = js_sys::Reflect::get(&tls, &"host".into())?.as_string().unwrap_or_default();
            let trust = js_sys::Reflect::get(&tls, &"trust".into())?;
            let trust: Vec<String> = serde_wasm_bindgen::from_value(trust).unwrap_or_default();
            let mut client = TlsClient::new(&host, trust)?;
            client.write(&request);
            Some(client)
        };
        #[cfg(not(feature = "tls"))]
        if !(tls.is_null() || tls.is_undefined()) {
            return Err(JsValue::from_str("this build has no TLS: load www/pkg-tls for https"));
        }
        let ws = WebSocket::new(url)?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let parser = StreamParser {
            inner: Parser::new(MessageKind::Response, Options::answering(&request)),
            counted: 0,
            finals: 0,
        };
        let shared = Rc::new(RefCell::new(Shared {
            ws: ws.clone(),
            request,
            #[cfg(feature = "tls")]
            tls,
            #[cfg(feature = "tls")]
            handshake_told: false,
            #[cfg(feature = "tls")]
            tls_failed: false,
            parser: Some(parser),
        }));
        let (s, l) = (shared.clone(), listener.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let mut notes = Notes::new();
            let data = e.data();
            if let Some(text) = data.as_string() {
                s.borrow_mut().on_text(&text, &mut notes);
            } else if let Ok(buffer) = data.dyn_into::<ArrayBuffer>() {
                s.borrow_mut().on_bytes(Uint8Array::new(&buffer), &mut notes);
            }
            tell(&l, notes);
        });
        let l = listener.clone();
        #[cfg(not(feature = "tls"))]
        drop(listener);
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            tell(&l, vec![note("socket-closed", &[("code", e.code().into()), ("reason", e.reason().into())])]);
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Session {
            shared,
            #[cfg(feature = "tls")]
            listener,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    /// The response's parse so far, as `StreamParser.result()`.
    pub fn result(&self) -> Result<JsValue, JsError> {
        match self.shared.borrow().parser.as_ref() {
            Some(p) => p.result(),
            None => Err(JsError::new("the session's parse is finished")),
        }
    }

    /// Ends the parse (as `StreamParser.finish()`, returning the finished
    /// `Parsed`): bytes that arrive later are not parsed.
    pub fn finish(&self) -> Result<super::Parsed, JsError> {
        match self.shared.borrow_mut().parser.take() {
            Some(p) => Ok(p.finish()),
            None => Err(JsError::new("the session's parse is finished")),
        }
    }

    /// Closes the WebSocket (the relay then closes the TCP connection).
    pub fn close(&self) {
        let _ = self.shared.borrow().ws.close();
    }

    /// Whether the WebSocket is open.
    pub fn open(&self) -> bool {
        self.shared.borrow().ws.ready_state() == WebSocket::OPEN
    }

    /// Over TLS: says goodbye (close_notify, RFC 8446 §6.1) and sends it.
    #[cfg(feature = "tls")]
    pub fn tls_close(&self) {
        let mut notes = Notes::new();
        {
            let mut s = self.shared.borrow_mut();
            if let Some(client) = s.tls.as_mut() {
                client.close();
                s.flush_tls(&mut notes);
            }
        }
        tell(&self.listener, notes);
    }

    /// Over TLS: `TlsClient.info()`, or null.
    #[cfg(feature = "tls")]
    pub fn tls_info(&self) -> JsValue {
        self.shared.borrow().tls.as_ref().map_or(JsValue::NULL, TlsClient::info)
    }

    /// Over TLS: `TlsClient.links()`, or null.
    #[cfg(feature = "tls")]
    pub fn tls_links(&self) -> Result<JsValue, JsValue> {
        self.shared.borrow().tls.as_ref().map_or(Ok(JsValue::NULL), TlsClient::links)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The closures go with the session: the socket must not call them after.
        let s = self.shared.borrow();
        s.ws.set_onmessage(None);
        s.ws.set_onclose(None);
        let _ = s.ws.close();
    }
}

fn tell(listener: &Function, notes: Notes) {
    for n in notes {
        let _ = listener.call1(&JsValue::NULL, &n);
    }
}
