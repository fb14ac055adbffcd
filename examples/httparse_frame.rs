//! The peer of `wirepad parse --summary` in whole-process benchmarks: reads
//! FILE and frames it with httparse (benches/httparse_framer.rs), printing
//! how many messages it read.
//! Usage: cargo run --release --example httparse_frame -- request|response FILE

#[path = "../benches/httparse_framer.rs"]
mod framer;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let is_request = args.next().as_deref() == Some("request");
    let input = std::fs::read(args.next().unwrap_or_default())?;
    let mut headers = vec![httparse::EMPTY_HEADER; 600];
    println!("messages={}", framer::httparse_frame(&input, is_request, &mut headers));
    Ok(())
}
