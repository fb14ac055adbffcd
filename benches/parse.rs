//! wirepad's full annotated parse against httparse's framing, on the same
//! inputs in one run: `cargo bench --bench parse`.
//!
//! The httparse side parses each head with httparse and skips the body by
//! Content-Length or by chunk sizes (httparse::parse_chunk_size), which is
//! the least work any HTTP/1.1 client must do. wirepad does more: it labels
//! every byte, keeps every message, and checks the framing rules.
//!
//! Both read the input in place and work in memory kept from the previous
//! iteration: httparse in its caller's header array, wirepad in the vectors
//! of the previous parse (`parse_into`). A third line, `wirepad-fresh`,
//! times `wirepad::parse`, which copies the input and starts from empty
//! vectors: there the kernel's cost of handing out fresh pages shows.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use wirepad::{MessageKind, Options, Parse};

#[path = "inputs.rs"]
mod inputs;

/// Frames a stream of messages with httparse; returns how many it read.
/// `headers` is httparse's header buffer, allocated once by the caller.
fn httparse_frame<'a>(input: &'a [u8], is_request: bool, headers: &mut [httparse::Header<'a>]) -> usize {
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

fn framing(headers: &[httparse::Header]) -> (usize, bool) {
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

fn bench(c: &mut Criterion) {
    for (name, is_request, input) in inputs::all() {
        let kind = if is_request { MessageKind::Request } else { MessageKind::Response };
        let expected = wirepad::parse(kind, &input, &Options::default()).messages.len();
        let mut headers = vec![httparse::EMPTY_HEADER; 600];
        assert_eq!(
            httparse_frame(&input, is_request, &mut headers),
            expected,
            "{name}: both must read the same messages"
        );
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(input.len() as u64));
        if input.len() > 1 << 20 {
            group.sample_size(10);
        }
        let mut reused = Parse::default();
        wirepad::parse_into(&mut reused, kind, input.clone(), &Options::default());
        assert_eq!(reused.messages.len(), expected, "{name}: the reused parse reads the same messages");
        group.bench_function(BenchmarkId::new("wirepad", name), |b| {
            b.iter(|| {
                let input = std::mem::take(&mut reused.input);
                wirepad::parse_into(&mut reused, kind, black_box(input), &Options::default());
            })
        });
        group.bench_with_input(BenchmarkId::new("wirepad-fresh", name), &input, |b, input| {
            b.iter(|| wirepad::parse(kind, black_box(input), &Options::default()))
        });
        group.bench_function(BenchmarkId::new("httparse", name), |b| {
            b.iter(|| httparse_frame(black_box(&input[..]), is_request, &mut headers))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
