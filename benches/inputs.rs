//! The benchmark inputs, shared by the criterion bench and (written to files
//! by examples/bench_inputs.rs) the wasm benchmark, benches/wasm.mjs.

/// A typical nginx response: status line, the headers nginx sends, a small body.
pub fn nginx_response() -> Vec<u8> {
    let body = b"<!doctype html><title>wirepad</title><h1>It works</h1>\n";
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Tue, 24 Nov 2026 05:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: {}\r\nLast-Modified: Mon, 23 Nov 2026 10:00:00 GMT\r\nConnection: keep-alive\r\nETag: \"6563a1c0-38\"\r\nAccept-Ranges: bytes\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

pub fn classic_request() -> Vec<u8> {
    b"GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: Python 3\r\n\r\n".to_vec()
}

pub fn many_headers_response(n: usize) -> Vec<u8> {
    let mut r = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..n {
        r.extend_from_slice(format!("X-Header-{i}: value number {i} of many\r\n").as_bytes());
    }
    r.extend_from_slice(b"Content-Length: 2\r\n\r\nok");
    r
}

pub fn pipelined_responses(n: usize) -> Vec<u8> {
    nginx_response().repeat(n)
}

pub fn content_length_body(size: usize) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n")
        .into_bytes();
    r.extend((0..size).map(|i| (i % 251) as u8));
    r
}

pub fn chunked_body(size: usize, chunk: usize) -> Vec<u8> {
    let mut r =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk);
        r.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        r.extend((0..n).map(|i| (i % 251) as u8));
        r.extend_from_slice(b"\r\n");
        left -= n;
    }
    r.extend_from_slice(b"0\r\n\r\n");
    r
}

/// (name, is_request, bytes) for every benchmark case.
pub fn all() -> Vec<(&'static str, bool, Vec<u8>)> {
    vec![
        ("classic-request", true, classic_request()),
        ("nginx-response", false, nginx_response()),
        ("500-headers", false, many_headers_response(500)),
        ("100k-pipelined", false, pipelined_responses(100_000)),
        ("8MiB-content-length", false, content_length_body(8 << 20)),
        ("8MiB-chunked-4KiB", false, chunked_body(8 << 20, 4096)),
    ]
}
