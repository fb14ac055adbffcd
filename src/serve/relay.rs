//! The relay: one WebSocket in, one TCP connection out, bytes unchanged.
//!
//! Protocol (`ws://SERVER/relay?host=HOST&port=PORT`):
//! * text frames from the relay are JSON events (`wirepad::protocol::RelayEvent`): `connected` once, a `read`
//!   event before each binary frame, `closed` last, or `error` (then close);
//! * binary frames from the page go to the TCP socket unchanged; a text
//!   frame `{"type":"shutdown"}` half-closes it (like `shutdown(SHUT_WR)`);
//! * binary frames from the relay carry one upstream read each, in order.
//!
//! One upstream read is sent (and the WebSocket has taken it) before the
//! next read starts, so nothing is buffered beyond flow control and a
//! server that drips bytes is seen dripping.

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Extension, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wirepad::policy::{self, AllowedTarget, Decision, Host, Refusal};
use wirepad::protocol::{ClosedBy, Limit, RelayError, RelayEvent};

use super::access::Client;

/// Largest WebSocket message the page may send.
const MAX_MESSAGE: usize = 1 << 20;
/// Messages up to this size are read whole and then refused with an event;
/// only larger ones make the WebSocket layer drop the connection. (Refusing
/// a message before reading it leaves unread input, and closing a socket
/// with unread input resets it, which can overtake the error event.)
const MAX_READ_MESSAGE: usize = 16 << 20;
/// The upstream read buffer starts small, since every session holds one
/// (1,000 idle sessions stay near 30 MB), and doubles while reads fill it,
/// so that a big download is forwarded in big frames.
const READ_BUFFER: usize = 16 << 10;
const MAX_READ_BUFFER: usize = 256 << 10;
/// How long a session that ended may take to tell the page so (the page may
/// not be reading).
const GOODBYE: Duration = Duration::from_secs(2);

pub struct Config {
    pub allowed_targets: Vec<AllowedTarget>,
    /// The relay's own listener (the page's address): never a target.
    pub own: Vec<SocketAddr>,
    pub practice: Option<SocketAddr>,
    /// `--public-url`: the address students use, for the page's join link.
    pub public_url: Option<String>,
    pub connect_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_session_time: Duration,
    pub max_bytes: u64,
    pub max_sessions: usize,
    pub max_sessions_per_ip: usize,
    /// Extra trust anchors for the page's TLS (`--trust-ca`), as PEM text.
    /// The relay itself never uses them: it holds no key and sees no plaintext.
    pub trust_ca: Vec<String>,
}

#[derive(Clone)]
pub struct Relay {
    config: Arc<Config>,
    sessions: Arc<Mutex<Sessions>>,
}

#[derive(Default)]
struct Sessions {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

/// A session slot, given back when dropped.
struct Slot {
    sessions: Arc<Mutex<Sessions>>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut s = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        s.total -= 1;
        if let Some(n) = s.per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                s.per_ip.remove(&self.ip);
            }
        }
    }
}

impl Relay {
    pub fn new(config: Config) -> Relay {
        Relay { config: Arc::new(config), sessions: Arc::default() }
    }

    fn acquire(&self, ip: IpAddr) -> Result<Slot, Failure> {
        let mut s = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        if s.total >= self.config.max_sessions {
            return Err(Failure::new(
                RelayError::TooManySessions,
                "the relay has as many sessions open as it allows; try again soon",
            ));
        }
        let mine = s.per_ip.get(&ip).copied().unwrap_or(0);
        if mine >= self.config.max_sessions_per_ip {
            return Err(Failure::new(
                RelayError::TooManySessions,
                "your address has as many relay sessions open as it allows; close some first",
            ));
        }
        s.total += 1;
        *s.per_ip.entry(ip).or_default() += 1;
        Ok(Slot { sessions: self.sessions.clone(), ip })
    }
}

/// An `error` event: a stable code and a sentence for a student.
struct Failure {
    code: RelayError,
    message: String,
    reason: Option<&'static str>,
}

impl Failure {
    fn new(code: RelayError, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into(), reason: None }
    }

    /// A refusal of `shown` (the host, and the address it resolved to),
    /// with what the teacher could add to `--allow-target` when a flag may
    /// let `host` through.
    fn refused(shown: &str, host: &str, port: u16, r: Refusal) -> Failure {
        let message = match policy::allow_hint(host, port, r) {
            Some(hint) => format!("{shown}: {}; {hint}", r.explain()),
            None => format!("{shown}: {}", r.explain()),
        };
        Failure { code: RelayError::TargetNotAllowed, message, reason: Some(r.as_str()) }
    }

    fn event(self) -> RelayEvent {
        RelayEvent::Error { code: self.code, message: self.message, reason: self.reason.map(String::from) }
    }
}

#[derive(Deserialize)]
pub struct Target {
    host: Option<String>,
    port: Option<String>,
}

/// What the page needs to know to offer targets: `GET /relay-info.json`.
pub async fn info(State(relay): State<Relay>) -> Response {
    let practice = relay.config.practice.map(|a| json!({"host": a.ip().to_string(), "port": a.port()}));
    let allowed: Vec<String> = relay.config.allowed_targets.iter().map(ToString::to_string).collect();
    Json(json!({"relay": true, "practice": practice, "allowed_targets": allowed, "public_ports": policy::PUBLIC_PORTS, "max_bytes": relay.config.max_bytes, "trust_ca": relay.config.trust_ca, "public_url": relay.config.public_url}))
        .into_response()
}

pub async fn upgrade(
    ws: WebSocketUpgrade,
    Query(target): Query<Target>,
    Extension(Client(client)): Extension<Client>,
    State(relay): State<Relay>,
) -> Response {
    ws.max_message_size(MAX_READ_MESSAGE)
        .max_frame_size(MAX_READ_MESSAGE)
        // The defaults (128 KiB each way) would cost 1,000 sessions 250 MB.
        .read_buffer_size(8 << 10)
        .write_buffer_size(0)
        .on_upgrade(move |socket| session(socket, target, client, relay))
}

/// How a session ended, for the `closed` event and the log line.
#[derive(Clone, Copy, Debug)]
enum End {
    Server,
    Client,
    Timeout,
    Limit(Limit),
}

impl End {
    fn by(self) -> ClosedBy {
        match self {
            End::Server => ClosedBy::Server,
            End::Client => ClosedBy::Client,
            End::Timeout => ClosedBy::Timeout,
            End::Limit(_) => ClosedBy::Limit,
        }
    }
}

async fn session(mut ws: WebSocket, target: Target, client: IpAddr, relay: Relay) {
    let started = Instant::now();
    let host = target.host.clone().unwrap_or_default();
    let port = target.port.clone().unwrap_or_else(|| policy::DEFAULT_PORT.to_string());
    let outcome = match relay.acquire(client) {
        Err(f) => Err(f),
        Ok(slot) => match connect(&target, &relay.config).await {
            Err(f) => Err(f),
            Ok((tcp, resolved)) => {
                let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
                let event = RelayEvent::Connected {
                    address: peer.clone(),
                    host: host.clone(),
                    port: tcp.peer_addr().map(|a| a.port()).ok(),
                    resolved,
                    ms: ms(started),
                };
                let told = by(tokio::time::Instant::now() + relay.config.idle_timeout, send_event(&mut ws, &event));
                let result = if told.await == Some(true) {
                    pump(&mut ws, tcp, &relay.config).await
                } else {
                    (End::Client, 0, 0)
                };
                drop(slot);
                Ok((peer, result))
            }
        },
    };
    match outcome {
        Ok((peer, (end, up, down))) => {
            // The upstream connection is closed by now (`pump` owned it). A
            // page that does not read gets a moment to take the last words.
            let goodbye = async {
                if !matches!(end, End::Client) {
                    let limit = if let End::Limit(what) = end { Some(what) } else { None };
                    let event =
                        RelayEvent::Closed { by: end.by(), bytes_up: up, bytes_down: down, ms: ms(started), limit };
                    let _ = send_event(&mut ws, &event).await;
                }
                let _ =
                    ws.send(Message::Close(Some(CloseFrame { code: 1000, reason: end.by().as_str().into() }))).await;
                linger(&mut ws).await;
            };
            let _ = tokio::time::timeout(GOODBYE, goodbye).await;
            tracing::info!(
                client = %client, target = %format!("{host}:{port}"), resolved = %peer, up, down,
                ms = started.elapsed().as_millis() as u64, ended = end.by().as_str(), "session"
            );
        }
        Err(f) => {
            let (code, reason) = (f.code.as_str(), f.reason);
            let refusal = async {
                let _ = send_event(&mut ws, &f.event()).await;
                let _ = ws.send(Message::Close(Some(CloseFrame { code: 1008, reason: code.into() }))).await;
            };
            let _ = tokio::time::timeout(GOODBYE, refusal).await;
            tracing::info!(client = %client, target = %format!("{host}:{port}"), error = code, reason, "session refused");
        }
    }
}

/// Waits (briefly) for the page's answer to our Close, so that the events
/// already sent are read before the socket goes: dropping a socket with
/// unread input makes the kernel reset the connection, and a reset can
/// overtake data the page has not read yet (after an oversized message).
async fn linger(ws: &mut WebSocket) {
    let wait = async {
        loop {
            match ws.recv().await {
                Some(Ok(Message::Close(_))) | None => return,
                Some(Ok(_)) => continue,
                Some(Err(_)) => return tokio::time::sleep(Duration::from_millis(500)).await,
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), wait).await;
}

fn message_len(m: &Message) -> usize {
    match m {
        Message::Binary(b) => b.len(),
        Message::Text(t) => t.len(),
        _ => 0,
    }
}

fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

async fn send_event(ws: &mut WebSocket, event: &RelayEvent) -> bool {
    match serde_json::to_string(event) {
        Ok(text) => ws.send(Message::Text(text.into())).await.is_ok(),
        Err(_) => false,
    }
}

/// Checks the target, resolves it once, checks every address, and connects
/// to a checked one.
async fn connect(target: &Target, config: &Config) -> Result<(TcpStream, Vec<String>), Failure> {
    let host = target
        .host
        .as_deref()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| Failure::new(RelayError::BadRequest, "the relay needs ?host=...&port=..."))?;
    let port: u16 = match target.port.as_deref() {
        None | Some("") => policy::DEFAULT_PORT,
        Some(p) => {
            p.parse().map_err(|_| Failure::new(RelayError::BadRequest, format!("{p:?} is not a port number")))?
        }
    };
    let decision =
        policy::decide(host, port, &config.allowed_targets).map_err(|r| Failure::refused(host, host, port, r))?;
    let addresses: Vec<SocketAddr> = match decision {
        Decision::Public(Host::Ip(ip)) => vec![SocketAddr::new(ip.to_canonical(), port)],
        Decision::Public(Host::Name(name)) => {
            let found = resolve(&name, port).await?;
            for a in &found {
                policy::check_address(a.ip())
                    .map_err(|r| Failure::refused(&format!("{name} ({})", a.ip()), &name, port, r))?;
            }
            found.into_iter().map(|a| SocketAddr::new(a.ip().to_canonical(), port)).collect()
        }
        Decision::Allowed(name) => {
            let found = resolve(&name, port).await?;
            if found.iter().any(|a| policy::is_own(*a, &config.own)) {
                return Err(Failure {
                    code: RelayError::TargetNotAllowed,
                    message: format!("{name}:{port}: {}", Refusal::Relay.explain()),
                    reason: Some(Refusal::Relay.as_str()),
                });
            }
            found
        }
    };
    let resolved = addresses.iter().map(ToString::to_string).collect();
    let deadline = tokio::time::Instant::now() + config.connect_timeout;
    let mut last = Failure::new(RelayError::ConnectFailed, "no address to connect to");
    for addr in addresses {
        match tokio::time::timeout_at(deadline, TcpStream::connect(addr)).await {
            Ok(Ok(tcp)) => {
                let _ = tcp.set_nodelay(true);
                return Ok((tcp, resolved));
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = Failure::new(
                    RelayError::ConnectRefused,
                    format!("{addr} refused the connection: nothing listens on that port"),
                );
            }
            Ok(Err(e)) => last = Failure::new(RelayError::ConnectFailed, format!("cannot connect to {addr}: {e}")),
            Err(_) => {
                return Err(Failure::new(
                    RelayError::ConnectTimeout,
                    format!("{addr} did not answer within {} s", config.connect_timeout.as_secs_f64()),
                ))
            }
        }
    }
    Err(last)
}

async fn resolve(name: &str, port: u16) -> Result<Vec<SocketAddr>, Failure> {
    let found: Vec<SocketAddr> = tokio::net::lookup_host((name, port))
        .await
        .map_err(|e| Failure::new(RelayError::DnsFailed, format!("cannot resolve {name}: {e}")))?
        .collect();
    if found.is_empty() {
        return Err(Failure::new(RelayError::DnsFailed, format!("{name} has no addresses")));
    }
    Ok(found)
}

/// Forwards bytes both ways until one side ends or a limit fires; returns
/// how it ended and the bytes sent up and down.
///
/// Every wait inside the loop is bounded by the session's deadlines too: a
/// page that stops reading blocks our send to it, and a server that stops
/// reading blocks our write to it, and neither may hold the session (or the
/// upstream connection, or the client's session slot) past its limits.
async fn pump(ws: &mut WebSocket, mut tcp: TcpStream, config: &Config) -> (End, u64, u64) {
    let started = Instant::now();
    let session_end = tokio::time::Instant::now() + config.max_session_time;
    let mut idle_end = tokio::time::Instant::now() + config.idle_timeout;
    // Which limit a deadline that passed was.
    let expired = |idle_end| if session_end <= idle_end { End::Limit(Limit::MaxSessionTime) } else { End::Timeout };
    let (mut up, mut down, mut reads) = (0u64, 0u64, 0u64);
    let mut buf = vec![0u8; READ_BUFFER];
    let mut write_open = true;
    loop {
        tokio::select! {
            message = ws.recv() => {
                idle_end = tokio::time::Instant::now() + config.idle_timeout;
                let deadline = idle_end.min(session_end);
                match message {
                    Some(Ok(m)) if message_len(&m) > MAX_MESSAGE => {
                        let message = format!("one WebSocket message may carry at most {MAX_MESSAGE} bytes; this one had {}", message_len(&m));
                        let _ = by(deadline, send_event(ws, &Failure::new(RelayError::MessageTooLarge, message).event())).await;
                        return (End::Limit(Limit::MessageSize), up, down);
                    }
                    Some(Ok(Message::Binary(data))) => {
                        if up + data.len() as u64 > config.max_bytes {
                            return (End::Limit(Limit::MaxBytes), up, down);
                        }
                        let written = if write_open { by(deadline, tcp.write_all(&data)).await } else { Some(Err(std::io::ErrorKind::BrokenPipe.into())) };
                        match written {
                            None => return (expired(idle_end), up, down),
                            Some(Ok(())) => up += data.len() as u64,
                            Some(Err(_)) => {
                                let failure = Failure::new(RelayError::WriteFailed, "the server no longer accepts bytes (it closed its side)");
                                if by(deadline, send_event(ws, &failure.event())).await.is_none() {
                                    return (expired(idle_end), up, down);
                                }
                            }
                        }
                    }
                    Some(Ok(Message::Text(text))) => {
                        if text.contains("\"shutdown\"") && write_open {
                            let _ = by(deadline, tcp.shutdown()).await;
                            write_open = false;
                        }
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return (End::Client, up, down),
                }
            }
            read = tcp.read(&mut buf) => {
                idle_end = tokio::time::Instant::now() + config.idle_timeout;
                let n = match read {
                    Ok(0) | Err(_) => return (End::Server, up, down),
                    Ok(n) => n,
                };
                let room = config.max_bytes.saturating_sub(down) as usize;
                let n_sent = n.min(room);
                reads += 1;
                let event = RelayEvent::Read { seq: reads, bytes: n_sent, ms: ms(started) };
                let forward = async {
                    send_event(ws, &event).await && ws.send(Message::Binary(bytes::Bytes::copy_from_slice(&buf[..n_sent]))).await.is_ok()
                };
                match by(idle_end.min(session_end), forward).await {
                    None => return (expired(idle_end), up, down),
                    Some(false) => return (End::Client, up, down),
                    Some(true) => {}
                }
                down += n_sent as u64;
                if n == buf.len() && buf.len() < MAX_READ_BUFFER {
                    buf.resize(buf.len() * 2, 0);
                }
                if n_sent < n {
                    return (End::Limit(Limit::MaxBytes), up, down);
                }
            }
            _ = tokio::time::sleep_until(idle_end) => return (End::Timeout, up, down),
            _ = tokio::time::sleep_until(session_end) => return (End::Limit(Limit::MaxSessionTime), up, down),
        }
    }
}

/// `work`, unless `deadline` comes first (then `None`, and `work` is dropped).
async fn by<T>(deadline: tokio::time::Instant, work: impl std::future::Future<Output = T>) -> Option<T> {
    tokio::time::timeout_at(deadline, work).await.ok()
}
