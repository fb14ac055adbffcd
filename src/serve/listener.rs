//! The HTTP listener: accepts connections and serves the app on each, within
//! three limits that hold whatever a client does.
//!
//! * **Header timeout**: from the moment a connection waits for a request,
//!   the request's whole head must arrive within `header_timeout` (hyper's
//!   `header_read_timeout`), however slowly its bytes drip in.
//! * **Keep-alive timeout**: a connection on which no byte moves either way
//!   for `keep_alive_timeout` is closed: an idle keep-alive connection, or a
//!   client that stopped reading its response.
//! * **Connection cap**: at most `max_connections` HTTP connections are open;
//!   a new one arriving at the cap closes the one idle longest, so a new
//!   visitor still gets the page while idle connections hold the rest.
//!
//! A connection that upgrades to a WebSocket (the relay, a class room)
//! leaves this count: the relay's and the rooms' own limits apply to it.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::Instant;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_timeout: Duration,
    pub keep_alive_timeout: Duration,
    pub max_connections: usize,
}

/// One open connection, as the cap sees it.
struct Entry {
    /// When a byte last moved either way (milliseconds since `Open::epoch`).
    active: Arc<AtomicU64>,
    close: Arc<Notify>,
}

/// The open connections.
struct Open {
    epoch: Instant,
    next: u64,
    entries: HashMap<u64, Entry>,
}

impl Open {
    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Makes room for one more connection (at the cap, the idlest goes) and
    /// enters it: its id, its activity and its close signal.
    fn admit(&mut self, max: usize) -> (u64, Activity, Arc<Notify>) {
        while self.entries.len() >= max.max(1) {
            // The idlest; of those idle as long, the oldest.
            let idlest = self.entries.iter().min_by_key(|(&id, e)| (e.active.load(Ordering::Relaxed), id));
            let Some((&id, _)) = idlest else {
                break;
            };
            if let Some(idlest) = self.entries.remove(&id) {
                idlest.close.notify_one();
            }
        }
        let id = self.next;
        self.next += 1;
        let entry = Entry { active: Arc::new(AtomicU64::new(self.now())), close: Arc::new(Notify::new()) };
        let handles = (id, Activity { active: entry.active.clone(), epoch: self.epoch }, entry.close.clone());
        self.entries.insert(id, entry);
        handles
    }
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let open = Arc::new(Mutex::new(Open { epoch: Instant::now(), next: 0, entries: HashMap::new() }));
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors, most likely: wait rather than spin.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        // Small relayed exchanges must not wait for Nagle's algorithm.
        let _ = tcp.set_nodelay(true);
        let (id, activity, close) = open.lock().unwrap_or_else(|e| e.into_inner()).admit(limits.max_connections);
        let open = open.clone();
        let app = app.clone();
        tokio::spawn(async move {
            connection(tcp, peer, app, limits, activity, &close).await;
            open.lock().unwrap_or_else(|e| e.into_inner()).entries.remove(&id);
        });
    }
}

async fn connection(tcp: TcpStream, peer: SocketAddr, app: Router, limits: Limits, activity: Activity, close: &Notify) {
    let idle = activity.clone();
    let io = TokioIo::new(Watched { inner: tcp, activity });
    let service = hyper::service::service_fn(move |mut request: axum::extract::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(request)
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let conn = http.serve_connection(io, service).with_upgrades();
    tokio::select! {
        _ = conn => {}
        () = close.notified() => tracing::debug!(%peer, "connection closed: the connection cap was reached and it was the idlest"),
        () = idle.expired(limits.keep_alive_timeout) => tracing::debug!(%peer, "connection closed: idle"),
    }
}

/// When a connection's bytes last moved.
#[derive(Clone)]
struct Activity {
    active: Arc<AtomicU64>,
    epoch: Instant,
}

impl Activity {
    fn touch(&self) {
        self.active.store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Completes once no byte has moved for `timeout`.
    async fn expired(&self, timeout: Duration) {
        loop {
            let last = self.epoch + Duration::from_millis(self.active.load(Ordering::Relaxed));
            if last.elapsed() >= timeout {
                return;
            }
            tokio::time::sleep_until(last + timeout).await;
        }
    }
}

/// A TCP stream that records when bytes move.
struct Watched {
    inner: TcpStream,
    activity: Activity,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_cap_the_idlest_connection_goes() {
        let mut open = Open { epoch: Instant::now(), next: 0, entries: HashMap::new() };
        let (a, a_activity, a_close) = open.admit(2);
        let (b, b_activity, _) = open.admit(2);
        a_activity.active.store(500, Ordering::Relaxed); // a spoke more recently than b
        b_activity.active.store(100, Ordering::Relaxed);
        let (c, _, _) = open.admit(2);
        assert!(open.entries.contains_key(&a) && open.entries.contains_key(&c));
        assert!(!open.entries.contains_key(&b), "b was the idlest");
        // a is still open: its close signal holds no permit.
        assert!(futures_util::FutureExt::now_or_never(a_close.notified()).is_none());
    }
}
