//! httparse's framing of a stream, the peer wirepad is measured against:
//! heads by httparse, bodies skipped by Content-Length or chunk sizes
//! (`httparse::parse_chunk_size`), the least work any HTTP/1.1 client must
//! do. Shared by the criterion bench and `examples/httparse_frame.rs`.

/// Frames a stream of messages with httparse; returns how many it read.
/// `headers` is httparse's header buffer, allocated once by the caller.
pub fn httparse_frame<'a>(input: &'a [u8], is_request: bool, headers: &mut [httparse::Header<'a>]) -> usize {
    let mut pos = 0;
    let mut count = 0;
    while pos < input.len() {
        let (head_len, content_length, chunked) = if is_request {
            let mut req = httparse::Request::new(headers);
            let Ok(httparse::Status::Complete(n)) = req.parse(&input[pos..]) else { break };
            let (cl, ch) = framing(req.headers);
            (n, cl, ch)
        } else {
            let mut res = httparse::Response::new(headers);
            let Ok(httparse::Status::Complete(n)) = res.parse(&input[pos..]) else { break };
            let (cl, ch) = framing(res.headers);
            (n, cl, ch)
        };
        pos += head_len;
        if chunked {
            loop {
                let Ok(httparse::Status::Complete((n, size))) = httparse::parse_chunk_size(&input[pos..]) else {
                    return count;
                };
                pos += n;
                if size == 0 {
                    pos += 2; // the empty trailer section
                    break;
                }
                pos += size as usize + 2;
            }
        } else {
            pos += content_length;
        }
        count += 1;
    }
    count
}

pub fn framing(headers: &[httparse::Header]) -> (usize, bool) {
    let mut cl = 0;
    let mut chunked = false;
    for h in headers {
        if h.name.eq_ignore_ascii_case("content-length") {
            cl = std::str::from_utf8(h.value).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(0);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = h.value.eq_ignore_ascii_case(b"chunked");
        }
    }
    (cl, chunked)
}
