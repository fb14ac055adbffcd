//! The relay protocol's events: what `wirepad serve` sends the page as JSON
//! text messages on its `/relay` WebSocket, between the binary messages
//! that carry the bytes. One type, so the relay, the docs and the page's
//! explanations (the error codes are in [`crate::explain`]'s table) cannot
//! drift apart.
//!
//! ```
//! use wirepad::protocol::{RelayError, RelayEvent};
//! let e = RelayEvent::Error { code: RelayError::DnsFailed, message: "cannot resolve nowhere.invalid".into(), reason: None };
//! assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"type":"error","code":"dns-failed","message":"cannot resolve nowhere.invalid"}"#);
//! ```

use crate::span::string_enum;
use serde::Serialize;

string_enum! {
    /// Why the relay did not connect, or stopped forwarding.
    pub enum RelayError {
        /// The page asked something the relay does not understand (no host, a bad port).
        BadRequest = "bad-request",
        /// The address policy refuses the target (`reason` says which rule).
        TargetNotAllowed = "target-not-allowed",
        DnsFailed = "dns-failed",
        ConnectRefused = "connect-refused",
        ConnectTimeout = "connect-timeout",
        ConnectFailed = "connect-failed",
        TooManySessions = "too-many-sessions",
        MessageTooLarge = "message-too-large",
        WriteFailed = "write-failed",
    }
}

string_enum! {
    /// Who ended a session.
    pub enum ClosedBy {
        Server = "server",
        Client = "client",
        Timeout = "timeout",
        /// A limit of the relay's (see [`Limit`]).
        Limit = "limit",
    }
}

string_enum! {
    /// The relay limit that ended a session.
    pub enum Limit {
        MaxBytes = "max-bytes",
        MaxSessionTime = "max-session-time",
        MessageSize = "message-size",
    }
}

string_enum! {
    /// The `type` of a [`RelayEvent`]: what the page's session reads to act
    /// on an event (deserializing whole events would cost the first wasm
    /// package 13 KB gzipped; the page shows the rest as it came).
    pub enum EventType {
        Connected = "connected",
        Read = "read",
        Closed = "closed",
        Error = "error",
    }
}

impl RelayEvent {
    pub fn event_type(&self) -> EventType {
        match self {
            RelayEvent::Connected { .. } => EventType::Connected,
            RelayEvent::Read { .. } => EventType::Read,
            RelayEvent::Closed { .. } => EventType::Closed,
            RelayEvent::Error { .. } => EventType::Error,
        }
    }
}

/// One event; serialized with `"type"` naming the variant.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum RelayEvent {
    /// First, once the TCP connection is open: the page sends its bytes then.
    Connected {
        /// The address connected to, `ip:port`.
        address: String,
        host: String,
        port: Option<u16>,
        /// Every address the host resolved to.
        resolved: Vec<String>,
        /// Milliseconds since the session started.
        ms: f64,
    },
    /// Before each binary message of bytes from the server: one TCP read.
    Read { seq: u64, bytes: usize, ms: f64 },
    /// Last, when the session ends (not sent when the page closed it).
    Closed {
        by: ClosedBy,
        bytes_up: u64,
        bytes_down: u64,
        ms: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        limit: Option<Limit>,
    },
    /// Instead of `connected`, or during a session: a code and a sentence for a student.
    Error {
        code: RelayError,
        message: String,
        /// For `target-not-allowed`: the policy rule (`wirepad::policy::Refusal`).
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(e: &RelayEvent) -> String {
        serde_json::to_string(e).unwrap()
    }

    #[test]
    fn events_have_the_documented_shape() {
        let read = RelayEvent::Read { seq: 1, bytes: 512, ms: 0.25 };
        assert_eq!(json(&read), r#"{"type":"read","seq":1,"bytes":512,"ms":0.25}"#);
        let closed = RelayEvent::Closed {
            by: ClosedBy::Limit,
            bytes_up: 3,
            bytes_down: 4,
            ms: 1.0,
            limit: Some(Limit::MaxBytes),
        };
        assert_eq!(
            json(&closed),
            r#"{"type":"closed","by":"limit","bytes_up":3,"bytes_down":4,"ms":1.0,"limit":"max-bytes"}"#
        );
        let by_server = RelayEvent::Closed { by: ClosedBy::Server, bytes_up: 3, bytes_down: 4, ms: 1.0, limit: None };
        assert!(!json(&by_server).contains("limit"));
        let refused = RelayEvent::Error {
            code: RelayError::TargetNotAllowed,
            message: "10.0.0.1: private".into(),
            reason: Some("private".into()),
        };
        assert_eq!(
            json(&refused),
            r#"{"type":"error","code":"target-not-allowed","message":"10.0.0.1: private","reason":"private"}"#
        );
        let connected = RelayEvent::Connected {
            address: "127.0.0.1:80".into(),
            host: "localhost".into(),
            port: Some(80),
            resolved: vec!["127.0.0.1:80".into()],
            ms: 0.5,
        };
        assert!(json(&connected).starts_with(r#"{"type":"connected","address":"127.0.0.1:80""#));
        // The tag the page's session reads is the one the relay writes, for every variant.
        let mut seen = Vec::new();
        for e in [read, closed, by_server, refused, connected] {
            let v: serde_json::Value = serde_json::from_str(&json(&e)).unwrap();
            assert_eq!(v["type"], e.event_type().as_str());
            seen.push(e.event_type());
        }
        for t in EventType::ALL {
            assert!(seen.contains(t), "{t} has an example");
        }
    }

    #[test]
    fn every_error_code_is_explained() {
        for c in RelayError::ALL {
            let e = crate::explain::relay_error(*c);
            assert!(!e.title.is_empty() && crate::explain::rfc_url(e.rfc).is_some(), "{c}");
        }
    }
}
