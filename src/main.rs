//! The `wirepad` command: `wirepad parse` annotates HTTP/1.x bytes in a
//! terminal; `wirepad serve` runs the playground and its relay.

mod cli;
mod serve;

fn main() {
    let code = match cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("wirepad: {err:#}");
            2
        }
    };
    std::process::exit(code);
}
