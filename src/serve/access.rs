//! Who may use the relay and the class rooms: their WebSocket upgrades must
//! come from the relay's own page (Origin), and every request must name the
//! relay itself (Host).
//! The first stops cross-site WebSocket hijacking; the second stops a
//! DNS-rebinding page from posing as the relay's own origin.
//!
//! Here too: who the client is (its address, or behind a trusted proxy the
//! address the proxy names), and what every response tells the browser the
//! page's origin may do (`security_headers`).

use anyhow::{bail, Result};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

pub struct Access {
    /// Lower-case origins, e.g. `http://127.0.0.1:8080`.
    origins: Vec<String>,
    /// Lower-case Host header values, e.g. `127.0.0.1:8080`.
    hosts: Vec<String>,
    /// `--trust-proxy` ranges: connections from these name their client in
    /// `X-Forwarded-For`.
    trusted: Vec<IpNet>,
}

/// The client a request comes from, as the per-address limits count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client(pub IpAddr);

impl Access {
    /// The relay's own origin is `http://` + the listen address, plus
    /// `http://localhost:PORT` when it listens on loopback; `extra` are
    /// `--allow-origin` values.
    pub fn new(listen: SocketAddr, extra: &[String], trusted: Vec<IpNet>) -> Result<Access> {
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
        Ok(Access { origins, hosts, trusted })
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
/// Origin on the relay, before any upgrade; then name the client.
pub async fn check(State(access): State<Arc<Access>>, mut req: Request, next: Next) -> Response {
    if let Some(refusal) = refuse(&access, &req) {
        return refusal;
    }
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded: Vec<&str> =
        req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    let client = peer.map(|peer| client_address(peer, &forwarded.join(","), &access.trusted));
    if let Some(client) = client {
        req.extensions_mut().insert(Client(client));
    }
    next.run(req).await
}

/// The client's address: the connection's peer, unless the peer is a
/// trusted proxy; then the rightmost address in `X-Forwarded-For` that is not
/// a trusted proxy itself (each proxy appends the address it got the
/// request from, so the entries left of an untrusted one may be forged).
pub fn client_address(peer: IpAddr, forwarded_for: &str, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&ip.to_canonical()));
    let mut client = peer;
    for entry in forwarded_for.rsplit(',') {
        if !is_trusted(&client) {
            break;
        }
        match entry.trim().parse::<IpAddr>() {
            Ok(ip) => client = ip.to_canonical(),
            Err(_) => break,
        }
    }
    client
}

/// What the page's origin may do, on every response: run only its own
/// scripts and wasm, connect only to itself, embed no objects, be framed by
/// nobody, and send no Referer. A previewed response body runs in a frame of
/// its own with an opaque origin, under a policy that loads nothing
/// (`www/js/body.js`); these headers are the net under it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'none'; \
     object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_peer_unless_the_peer_is_a_trusted_proxy() {
        let trusted: Vec<IpNet> = vec!["127.0.0.1/32".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
        // Not from a proxy: X-Forwarded-For is anyone's to forge.
        assert_eq!(client_address(ip("192.0.2.7"), "203.0.113.9", &trusted), ip("192.0.2.7"));
        // From the proxy: the address it appended.
        assert_eq!(client_address(ip("127.0.0.1"), "203.0.113.9", &trusted), ip("203.0.113.9"));
        // A client that sent its own header: what it wrote is left of what the proxy appended.
        assert_eq!(client_address(ip("127.0.0.1"), "1.2.3.4, 203.0.113.9", &trusted), ip("203.0.113.9"));
        // Two proxies: the first untrusted address from the right.
        assert_eq!(client_address(ip("127.0.0.1"), "203.0.113.9, 10.1.2.3", &trusted), ip("203.0.113.9"));
        // No header, or garbage: the peer.
        assert_eq!(client_address(ip("127.0.0.1"), "", &trusted), ip("127.0.0.1"));
        assert_eq!(client_address(ip("127.0.0.1"), "unknown", &trusted), ip("127.0.0.1"));
        // Nothing trusted: always the peer.
        assert_eq!(client_address(ip("127.0.0.1"), "203.0.113.9", &[]), ip("127.0.0.1"));
        // An IPv4 peer seen as IPv6-mapped is still the trusted proxy.
        assert_eq!(client_address(ip("::ffff:127.0.0.1"), "203.0.113.9", &trusted), ip("203.0.113.9"));
    }
}
