//! The practice server: a small HTTP/1.1 server on loopback, so that the
//! playground has something to talk to without internet. hyper writes every
//! byte of the framing; the handlers only choose what to send.
//!
//! It follows RFC 9112's rules for requests, so that the lessons about
//! broken requests are true here: a missing or repeated Host, an invalid
//! request line or field, conflicting Content-Length, Transfer-Encoding with
//! Content-Length and bad chunked framing get 400 (Bad Request), a transfer
//! coding it does not know (before a final chunked) 501 (Not Implemented),
//! and an HTTP version it does not speak 505. hyper rejects some of these
//! itself; the rest are found by wirepad's own parser on the recorded bytes.
//!
//! It reads at most [`MAX_BODY`] of a request's content (a path may read
//! less: a form or a scratch resource 64 KiB), counted as it arrives, and
//! waits [`BODY_TIMEOUT`] at most for all of it: more is answered 413
//! (Content Too Large), slower 408 (Request Timeout), and the connection is
//! closed without reading the rest.
//!
//! | path | what it teaches |
//! |---|---|
//! | `/` | a small HTML page with Content-Length |
//! | `/echo` | the request's own raw bytes as the body |
//! | `/chunked` | a body in three chunks |
//! | `/trailers` | a chunked body with a trailer field (sent when the request says `TE: trailers`) |
//! | `/gzip` | a gzip-compressed body (Content-Encoding) |
//! | `/slow` | ten lines, one every 200 ms |
//! | `/redirect` | 302 to `/` |
//! | `/status/{code}` | that status code (200-599), whatever the request says (httpbin-style: `/status/304` compares no validator) |
//! | `/large?bytes=N` | N bytes (default 1 MiB, at most 64 MiB) |
//! | `/headers` | a response with 60 header fields |
//!
//! and the lab's resources of `lab.rs` (conditional requests, Basic
//! authentication, cookies, OPTIONS and 405, `/whoami`).

mod lab;

use bytes::Bytes;
use futures_util::stream;
use http_body_util::{combinators::BoxBody, BodyExt, Full, LengthLimitError, Limited, StreamBody};
use hyper::body::{Body as _, Frame, Incoming};
use hyper::header::{HeaderName, HeaderValue};
use hyper::{HeaderMap, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

type Body = BoxBody<Bytes, Infallible>;

const MAX_LARGE: u64 = 64 << 20;
/// Seconds an idle connection stays open, and requests one connection serves.
const KEEP_ALIVE: u64 = 5;
const MAX_REQUESTS: usize = 100;

pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// What the lab's resources share across connections (and, for the
/// students' codes, with the page's listener: `/code-check`).
pub type Lab = Arc<lab::Shared>;

/// A new lab, its key made now.
pub fn lab() -> Lab {
    Arc::new(lab::Shared::new())
}

pub async fn serve(listener: TcpListener, lab: Lab) {
    loop {
        let lab = lab.clone();
        let Ok((stream, peer)) = listener.accept().await else { continue };
        tokio::spawn(async move {
            let recorded = Arc::new(Mutex::new(Recorded::default()));
            let http10 = Arc::new(AtomicBool::new(false));
            let io = TokioIo::new(Recording { inner: stream, recorded: recorded.clone(), http10: http10.clone() });
            let handled = Arc::new(Mutex::new(0usize));
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let index = {
                    let mut n = handled.lock().unwrap_or_else(|e| e.into_inner());
                    *n += 1;
                    *n - 1
                };
                http10.store(req.version() == hyper::Version::HTTP_10, Ordering::Relaxed);
                handle(req, recorded.clone(), index, peer, lab.clone())
            });
            // An idle connection is closed after KEEP_ALIVE seconds (said in
            // each response's Keep-Alive field): the server closes it, and
            // the page's events say so.
            let _ = hyper::server::conn::http1::Builder::new()
                .preserve_header_case(true)
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(KEEP_ALIVE))
                .serve_connection(io, service)
                .await;
        });
    }
}

/// A TCP stream that keeps a copy of the bytes read from it (from the
/// request being served on), so that `/echo` can answer with the request
/// exactly as it arrived.
///
/// It also puts right the one thing hyper writes that the RFC does not ask
/// for: to an HTTP/1.0 request hyper answers `HTTP/1.0`, but a server sends
/// the highest version it conforms to whose major version is not above the
/// request's (RFC 9110 §6.2), `HTTP/1.1`. The framing hyper chose for an
/// HTTP/1.0 client (Content-Length, or the end of the connection) stays.
struct Recording {
    inner: TcpStream,
    recorded: Arc<Mutex<Recorded>>,
    /// The response being written answers an HTTP/1.0 request.
    http10: Arc<AtomicBool>,
}

/// The bytes read on a connection, from the start of the request being
/// served (see [`this_request_on`]), and how many requests came before them.
#[derive(Default)]
struct Recorded {
    bytes: Vec<u8>,
    dropped: usize,
}

impl AsyncRead for Recording {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = poll {
            let new = &buf.filled()[before..];
            self.recorded.lock().unwrap_or_else(|e| e.into_inner()).bytes.extend_from_slice(new);
        }
        poll
    }
}

impl AsyncWrite for Recording {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        if self.http10.load(Ordering::Relaxed) && buf.starts_with(b"HTTP/1.0 ") {
            let mut head = buf.to_vec();
            head[7] = b'1';
            return Pin::new(&mut self.inner).poll_write(cx, &head);
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

fn full(data: impl Into<Bytes>) -> Body {
    Full::new(data.into()).boxed()
}

fn response(status: StatusCode, content_type: &str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    r.headers_mut().insert("content-type", HeaderValue::from_str(content_type).expect("static content type"));
    r
}

pub(super) fn stream_of(frames: Vec<Frame<Bytes>>, delay: Option<Duration>) -> Body {
    let s = stream::unfold((frames.into_iter(), delay, true), |(mut it, delay, first)| async move {
        let frame = it.next()?;
        if let (Some(d), false) = (delay, first) {
            tokio::time::sleep(d).await;
        }
        Some((Ok::<_, Infallible>(frame), (it, delay, false)))
    });
    BodyExt::boxed(StreamBody::new(s))
}

async fn handle(
    req: Request<Incoming>,
    recorded: Arc<Mutex<Recorded>>,
    index: usize,
    peer: SocketAddr,
    lab: Arc<lab::Shared>,
) -> Result<Response<Body>, Infallible> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    let target = parts.uri.path_and_query().map_or(path.clone(), |t| t.as_str().to_string());
    // Read the whole request first, its body included, so that all of it
    // has been recorded and its framing checked; but no more of it than the
    // path reads, and for no longer than BODY_TIMEOUT.
    let cap = lab::body_cap(&path).unwrap_or(MAX_BODY);
    let (content, body_ok) = match read_body(body, cap).await {
        Read::Whole(content) => (content, true),
        Read::Broken => (Bytes::new(), false),
        Read::TooLarge => {
            let why = format!("413 Content Too Large: {path} reads at most {cap} bytes of request content, and this request's is larger (RFC 9110 §15.5.14). The server closes the connection rather than read the rest.\n");
            return Ok(closing(response(StatusCode::PAYLOAD_TOO_LARGE, "text/plain; charset=utf-8", full(why))));
        }
        Read::TooSlow => {
            let why = format!("408 Request Timeout: the request's content did not all arrive within {} s (RFC 9110 §15.5.9). The server closes the connection.\n", BODY_TIMEOUT.as_secs());
            return Ok(closing(response(StatusCode::REQUEST_TIMEOUT, "text/plain; charset=utf-8", full(why))));
        }
    };
    let (all, index_here) = this_request_on(&recorded, index);
    if let Some((status, why)) = rejection(&all, index_here, body_ok) {
        // After a request whose framing is in doubt, the connection cannot go on.
        return Ok(closing(response(status, "text/plain; charset=utf-8", full(why))));
    }
    let asked = lab::Asked {
        method: &parts.method,
        headers: &parts.headers,
        path: &path,
        query: &query,
        target: &target,
        peer,
        body: &content,
    };
    let r = if let Some(r) = lab::methods(&asked) {
        r
    } else if path == "/form" {
        lab::form(&asked).await
    } else if let Some(r) = lab.route(&asked) {
        r
    } else {
        answer(&asked, &lab, &all, index_here)
    };
    Ok(connection_fields(named(r), &parts.version, &parts.headers, index))
}

/// The most request content the practice server reads (a path may read
/// less, [`lab::body_cap`]), and how long it waits for all of it.
const MAX_BODY: usize = 1 << 20;
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// A request's content, as far as it was read.
enum Read {
    Whole(Bytes),
    /// Its framing is broken (it ended before its length, or bad chunks).
    Broken,
    /// More than the path reads: refused without reading the rest.
    TooLarge,
    /// It did not all arrive within [`BODY_TIMEOUT`].
    TooSlow,
}

/// Reads a request's content, at most `cap` bytes of it: a Content-Length
/// above `cap` is refused before a byte is read (and so before any
/// `100 Continue`), a chunked body as soon as its chunks pass `cap`.
async fn read_body(body: Incoming, cap: usize) -> Read {
    if body.size_hint().lower() > cap as u64 {
        return Read::TooLarge;
    }
    match tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, cap).collect()).await {
        Err(_) => Read::TooSlow,
        Ok(Ok(collected)) => Read::Whole(collected.to_bytes()),
        Ok(Err(e)) if e.is::<LengthLimitError>() => Read::TooLarge,
        Ok(Err(_)) => Read::Broken,
    }
}

/// A response after which the connection cannot go on: it says
/// `Connection: close`, and hyper closes once it is sent, without reading
/// the rest of the request.
fn closing(r: Response<Body>) -> Response<Body> {
    let mut r = named(r);
    r.headers_mut().insert("connection", HeaderValue::from_static("close"));
    r
}

/// The practice server's own paths (the lab's are in `lab.rs`).
fn answer(asked: &lab::Asked, lab: &lab::Shared, all: &[u8], index: usize) -> Response<Body> {
    let (path, query) = (asked.path, asked.query);
    match path {
        "/" => lab.document(asked, "text/html; charset=utf-8", INDEX.as_bytes()),
        // RFC 9112 §10.1: message/http is the media type of an HTTP message.
        "/echo" => response(StatusCode::OK, "message/http", full(nth_request(all, index))),
        "/chunked" => response(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            stream_of(
                ["Each piece of this body ", "is one chunk: its size in hex, ", "CRLF, the bytes, CRLF.\n"]
                    .map(|s| Frame::data(Bytes::from_static(s.as_bytes())))
                    .into(),
                None,
            ),
        ),
        "/trailers" => {
            let mut trailers = HeaderMap::new();
            trailers.insert("x-checksum", HeaderValue::from_static("sha256-not-really"));
            let mut r = response(
                StatusCode::OK,
                "text/plain; charset=utf-8",
                stream_of(
                    vec![
                        Frame::data(Bytes::from_static(b"The trailer comes after the last chunk.\n")),
                        Frame::trailers(trailers),
                    ],
                    None,
                ),
            );
            r.headers_mut().insert("trailer", HeaderValue::from_static("X-Checksum"));
            r
        }
        "/gzip" => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            let _ =
                gz.write_all("This body was compressed with gzip; wirepad shows it decoded.\n".repeat(10).as_bytes());
            let mut r = response(StatusCode::OK, "text/plain; charset=utf-8", full(gz.finish().unwrap_or_default()));
            r.headers_mut().insert("content-encoding", HeaderValue::from_static("gzip"));
            r
        }
        "/slow" => response(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            stream_of(
                (1..=10).map(|i| Frame::data(Bytes::from(format!("line {i} of 10, 200 ms apart\n")))).collect(),
                Some(Duration::from_millis(200)),
            ),
        ),
        "/redirect" => {
            let mut r = response(StatusCode::FOUND, "text/plain; charset=utf-8", full("Redirecting to /\n"));
            r.headers_mut().insert("location", HeaderValue::from_static("/"));
            r
        }
        "/headers" => {
            let mut r =
                response(StatusCode::OK, "text/plain; charset=utf-8", full("This response has 60 header fields.\n"));
            for i in 1..=60 {
                let name = HeaderName::from_bytes(format!("x-header-{i:02}").as_bytes()).expect("valid name");
                r.headers_mut().insert(name, HeaderValue::from_str(&format!("value {i}")).expect("valid value"));
            }
            r
        }
        "/large" => large(query),
        p if p.starts_with("/status/") => status(&p["/status/".len()..]),
        _ => response(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            full(format!(
                "404 Not Found: the practice server has nothing at {path}; / lists what it has (RFC 9110 §15.5.5).\n"
            )),
        ),
    }
}

/// What the connection does after this response, said in its fields: an
/// HTTP/1.0 request without keep-alive, or the last request a connection
/// serves, gets `Connection: close` (and the server closes); any other gets
/// `Keep-Alive: timeout=5, max=N` (RFC 9112 §9.3; Keep-Alive as RFC 2068
/// §19.7.1.1 described it, still sent by Apache and nginx).
fn connection_fields(
    mut r: Response<Body>,
    version: &hyper::Version,
    headers: &HeaderMap,
    index: usize,
) -> Response<Body> {
    let asked = |token: &str| {
        headers
            .get_all("connection")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    let http10 = *version == hyper::Version::HTTP_10;
    let closes = asked("close") || (http10 && !asked("keep-alive")) || index + 1 >= MAX_REQUESTS;
    let h = r.headers_mut();
    if closes {
        h.insert("connection", HeaderValue::from_static("close"));
    } else {
        let left = MAX_REQUESTS - index - 1;
        h.insert("keep-alive", HeaderValue::from_str(&format!("timeout={KEEP_ALIVE}, max={left}")).expect("digits"));
    }
    r
}

/// Every response names the server that sent it (RFC 9110 §10.2.4), with
/// RFC 9110's reason phrase where hyper has an older one (RFC 7231's).
fn named(mut r: Response<Body>) -> Response<Body> {
    r.headers_mut().insert("server", HeaderValue::from_static(SERVER));
    let reason: Option<&'static [u8]> = match r.status().as_u16() {
        413 => Some(b"Content Too Large"),
        422 => Some(b"Unprocessable Content"),
        _ => None,
    };
    if let Some(reason) = reason {
        r.extensions_mut().insert(hyper::ext::ReasonPhrase::from_static(reason));
    }
    r
}

const SERVER: &str = concat!("wirepad-practice/", env!("CARGO_PKG_VERSION"));

/// The bytes recorded on a connection from the start of its `index`-th
/// request on (what is pipelined after it included), and that request's
/// index among them. The requests before it have been answered: their
/// bytes are dropped from the recording, so that a kept-alive connection
/// holds one request, not all it has served.
fn this_request_on(recorded: &Mutex<Recorded>, index: usize) -> (Vec<u8>, usize) {
    let mut r = recorded.lock().unwrap_or_else(|e| e.into_inner());
    let here = index - r.dropped;
    if here > 0 {
        let parsed = wirepad::parse(wirepad::MessageKind::Request, &r.bytes, &wirepad::Options::default());
        if let Some(start) = parsed.messages.get(here).map(|m| m.start) {
            r.bytes.drain(..start);
            r.dropped = index;
            return (r.bytes.clone(), 0);
        }
    }
    (r.bytes.clone(), here)
}

/// The status the RFC has a server answer to the `index`-th request on a
/// connection, and why, when the request must not be served as it is.
fn rejection(recorded: &[u8], index: usize, body_ok: bool) -> Option<(StatusCode, String)> {
    use wirepad::{Code, Severity};
    let parsed = wirepad::parse(wirepad::MessageKind::Request, recorded, &wirepad::Options::default());
    let mine: Vec<_> = parsed.diagnostics.iter().filter(|d| d.msg_index == Some(index)).collect();
    let explain = |status: StatusCode, d: &wirepad::Diagnostic| {
        let rfc = wirepad::explain::code(d.code).rfc;
        let why = format!(
            "{status}: {} ({}, {rfc}). A server must not guess what a broken request meant.\n",
            d.message, d.code
        );
        (status, why)
    };
    if let Some(d) = mine.iter().find(|d| d.severity == Severity::Error) {
        let status = if d.code == Code::UnsupportedVersion {
            StatusCode::HTTP_VERSION_NOT_SUPPORTED
        } else {
            StatusCode::BAD_REQUEST
        };
        return Some(explain(status, d));
    }
    if let Some(d) = mine.iter().find(|d| d.code == Code::UnknownTransferCoding) {
        return Some(explain(StatusCode::NOT_IMPLEMENTED, d));
    }
    (!body_ok).then(|| {
        let why = "400 Bad Request: the body's framing is broken: it ended before the length its Content-Length or chunks announced (RFC 9112 §6.3, §7.1).\n";
        (StatusCode::BAD_REQUEST, why.to_string())
    })
}

/// The bytes of the `index`-th request recorded on a connection, found with
/// wirepad's own parser.
fn nth_request(recorded: &[u8], index: usize) -> Vec<u8> {
    let parsed = wirepad::parse(wirepad::MessageKind::Request, recorded, &wirepad::Options::default());
    match parsed.messages.get(index) {
        Some(m) => recorded[m.start..m.end].to_vec(),
        None => recorded.to_vec(),
    }
}

/// `/status/CODE`: that status, with the fields RFC 9110 asks of it, so that
/// what a student sees is a status as a correct server sends it.
fn status(code: &str) -> Response<Body> {
    let Some(s) =
        code.parse::<u16>().ok().filter(|c| (200..=599).contains(c)).and_then(|c| StatusCode::from_u16(c).ok())
    else {
        let why = format!("400 Bad Request: {code:?} is not a status code from 200 to 599; use /status/CODE (RFC 9110 §15: a status code is three digits, §15.5.1).\n");
        return response(StatusCode::BAD_REQUEST, "text/plain; charset=utf-8", full(why));
    };
    if s == StatusCode::NO_CONTENT || s == StatusCode::NOT_MODIFIED {
        // No content, and so no Content-Type either.
        let mut r = Response::new(full(Bytes::new()));
        *r.status_mut() = s;
        return r;
    }
    // What the status means and where the RFC says so; a 4xx says too that
    // nothing was wrong with the request: it asked for this status.
    let body = match wirepad::explain::status(s.as_u16()) {
        Some(e) if s.is_client_error() => format!(
            "This is status {s}, sent because the request asked /status/{}: nothing else was wrong with it. {}: {}\n",
            s.as_u16(),
            e.rfc,
            e.text
        ),
        Some(e) => format!("This is status {s}. {}: {}\n", e.rfc, e.text),
        None => format!("This is status {s}.\n"),
    };
    let length = body.len();
    let mut r = response(s, "text/plain; charset=utf-8", full(body));
    let fields = r.headers_mut();
    let mut set = |name: &'static str, value: String| {
        fields.insert(name, HeaderValue::from_str(&value).expect("a valid field value"));
    };
    match s.as_u16() {
        // §15.5.2: a 401 MUST carry a challenge.
        401 => set("www-authenticate", "Basic realm=\"wirepad practice\"".into()),
        // §15.5.6: a 405 MUST list the allowed methods.
        405 => set("allow", "GET, HEAD".into()),
        // §15.3.7: a 206 says which bytes it carries (here: all of this little body).
        206 => set("content-range", format!("bytes 0-{}/{length}", length - 1)),
        // §15.5.17: a 416 says the length of what could have been asked for.
        416 => set("content-range", format!("bytes */{length}")),
        // §15.4: a redirect says where to.
        301..=303 | 307 | 308 => set("location", "/".into()),
        _ => {}
    }
    r
}

fn large(query: &str) -> Response<Body> {
    let asked = query.split('&').find_map(|kv| kv.strip_prefix("bytes=")).map(str::parse::<u64>);
    let n = match asked {
        None => 1 << 20,
        Some(Ok(n)) if n <= MAX_LARGE => n,
        _ => {
            return response(
                StatusCode::BAD_REQUEST,
                "text/plain; charset=utf-8",
                full(format!("400 Bad Request: the query asks for no size this server sends; use /large?bytes=N with N up to {MAX_LARGE} (RFC 9110 §15.5.1).\n")),
            )
        }
    };
    const LINE: &[u8; 64] = b"wirepad practice server: a large body, sixty-four bytes a line.\n";
    let block: Bytes = LINE.repeat(1024).into();
    let mut left = n;
    let mut frames = Vec::new();
    while left > 0 {
        let take = left.min(block.len() as u64) as usize;
        frames.push(Frame::data(block.slice(..take)));
        left -= take as u64;
    }
    let mut r = response(StatusCode::OK, "text/plain; charset=utf-8", stream_of(frames, None));
    r.headers_mut().insert("content-length", HeaderValue::from(n));
    r
}

const INDEX: &str = "<!doctype html>
<html><head><title>wirepad practice server</title></head>
<body><h1>wirepad practice server</h1>
<p>A small server for learning HTTP/1.1 on the wire. Try these targets:</p>
<ul>
<li>/echo: your request's own bytes</li><li>/chunked, /trailers: chunked bodies</li>
<li>/gzip: a compressed body</li><li>/slow: a body that drips</li>
<li>/redirect, /headers, /large?bytes=100000</li>
<li>/status/404, or any code from 200 to 599: that status, unconditionally, as httpbin's /status does. /status/304 answers 304 to any request: it shows what a 304 looks like, and compares nothing</li>
<li>/etag/v1: conditional requests, evaluated (If-Match, If-None-Match: 304 or 412 only when the validator says so); this page, /page's files and /scratch/NAME have an ETag and Last-Modified and evaluate them too</li>
<li>/basic-auth/student/secret: Basic authentication (user <code>student</code>, password <code>secret</code>)</li>
<li>/cookies/set?flavour=oat, /cookies, /visits: cookies</li>
<li>/scratch/notes: PUT, GET and DELETE a resource of your own (If-Match: 412 when your copy is stale; If-None-Match: * to create only)</li>
<li>/form: a form to POST (urlencoded or multipart/form-data); /hello: Accept-Language; this page: Accept-Encoding (gzip, deflate, br) and Range (GET) too</li>
<li>/redirect/3: a chain of redirects; /long: a long text sent in pieces</li>
<li>/page: a web page is many requests (its images on this host and on images.practice)</li>
<li>/digest-auth/student/secret: Digest authentication; /code?student=YOUR-NAME: a code of your own to read off the wire</li>
<li>/whoami: your address and port as this server saw them; OPTIONS on any path: what it allows</li>
</ul></body></html>
";
