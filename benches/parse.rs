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

#[path = "httparse_framer.rs"]
mod framer;
#[path = "inputs.rs"]
mod inputs;
use framer::httparse_frame;

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
