//! Who may use the relay and the class rooms: their WebSocket upgrades must
//! come from the relay's own page (Origin), and every request must name the
//! relay itself (Host).
//! The first stops cross-site WebSocket hijacking; the second stops a
//! DNS-rebinding page from posing as the relay's own origin.

use anyhow::{bail, Result};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;

pub struct Access {
    /// Lower-case origins, e.g. `http://127.0.0.1:8080`.
    origins: Vec<String>,
    /// Lower-case Host header values, e.g. `127.0.0.1:8080`.
    hosts: Vec<String>,
}

impl Access {
    /// The relay's own origin is `http://` + the listen address, plus
    /// `http://localhost:PORT` when it listens on loopback; `extra` are
    /// `--allow-origin` values.
    pub fn new(listen: SocketAddr, extra: &[String]) -> Result<Access> {
        let port = listen.port();
        let mut hosts = vec![authority(&listen.ip().to_string(), listen.ip().is_ipv6(), port)];
        if listen.ip().is_loopback() {
            hosts.push(authority("localhost", false, port));
        }
        let mut origins: Vec<String> = hosts.iter().map(|h| format!("http://{h}")).collect();
        for origin in extra {
            let origin = origin.trim_end_matches('/').to_ascii_lowercase();
            let Some(host) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) else {
                bail!("--allow-origin {origin:?} must start with http:// or https://");
            };
            if host.is_empty() || host.contains('/') {
                bail!("--allow-origin {origin:?} must be scheme://host[:port] only");
            }
            hosts.push(host.to_string());
            origins.push(origin);
        }
        // A browser leaves out the default port in Host and Origin.
        if port == 80 {
            let without: Vec<String> = hosts.iter().filter_map(|h| h.strip_suffix(":80").map(String::from)).collect();
            origins.extend(without.iter().map(|h| format!("http://{h}")));
            hosts.extend(without);
        }
        Ok(Access { origins, hosts })
    }

    fn host_ok(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    fn origin_ok(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }
}

fn authority(host: &str, v6: bool, port: u16) -> String {
    if v6 {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Middleware: refuse a foreign Host anywhere, and a missing or foreign
/// Origin on the relay, before any upgrade.
pub async fn check(State(access): State<Arc<Access>>, req: Request, next: Next) -> Response {
    if let Some(refusal) = refuse(&access, &req) {
        return refusal;
    }
    next.run(req).await
}

fn refuse(access: &Access, req: &Request) -> Option<Response> {
    let text = |name| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    let host = text(header::HOST);
    if !access.host_ok(host) {
        tracing::warn!(host, "refused: foreign Host header");
        return Some(
            (StatusCode::FORBIDDEN, "wirepad: this Host is not the relay's own (DNS rebinding?)\n").into_response(),
        );
    }
    let origin = text(header::ORIGIN);
    let path = req.uri().path();
    if (path == "/relay" || path == "/room") && !access.origin_ok(origin) {
        tracing::warn!(origin, path, "refused: foreign Origin on a WebSocket endpoint");
        return Some(
            (StatusCode::FORBIDDEN, "wirepad: the relay only serves its own page (Origin refused)\n").into_response(),
        );
    }
    None
}
