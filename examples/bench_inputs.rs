//! Writes the benchmark inputs (benches/inputs.rs) to a folder, so that the
//! wasm benchmark in Node parses exactly the bytes criterion does.
//! Usage: cargo run --release --example bench_inputs -- DIR

#[path = "../benches/inputs.rs"]
mod inputs;

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/bench-inputs".into());
    std::fs::create_dir_all(&dir)?;
    for (name, is_request, bytes) in inputs::all() {
        let kind = if is_request { "request" } else { "response" };
        std::fs::write(format!("{dir}/{name}.{kind}"), bytes)?;
    }
    Ok(())
}
