//! Command-line parsing and dispatch. The commands live in their own modules.

mod annotate;
mod check;
mod lesson;

use anyhow::{Context, Result};
use clap::{Parser as ClapParser, Subcommand, ValueEnum};
use std::io::Read;
use std::path::PathBuf;
use wirepad::report::Summary;
use wirepad::{MessageKind, Options, Parse, Parser, Verdict};

#[derive(ClapParser)]
#[command(name = "wirepad", version, about = "HTTP/1.1 on the wire, every byte labelled and explained")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a request or response stream and label every byte.
    ///
    /// Exit status: 0 when the verdict is ok, 1 when it is error, 2 for usage or I/O errors.
    Parse(ParseArgs),
    /// Check a web server against RFC 9112 and RFC 9110: a suite of requests, each with its rule.
    ///
    /// Loopback and private addresses only, unless --public.
    /// Exit status: 0 when no MUST fails, 1 when one does, 2 for usage or connection errors.
    Check(check::CheckArgs),
    /// Lesson files: check them before a class (`wirepad lesson check FILE…`).
    #[command(subcommand)]
    Lesson(lesson::LessonCommand),
    /// Serve the playground page, relay its requests to real servers, and run a practice server.
    Serve(Box<crate::serve::Args>),
}

#[derive(clap::Args)]
struct ParseArgs {
    /// The bytes to parse; `-` reads standard input.
    file: PathBuf,
    /// Print one JSON object: verdict, messages, diagnostics, spans.
    #[arg(long, conflicts_with = "summary")]
    json: bool,
    /// Print one line of counts instead of the annotated bytes.
    #[arg(long)]
    summary: bool,
    /// The requests these responses answer (so that responses to HEAD are framed right).
    #[arg(long, value_name = "REQFILE")]
    request: Option<PathBuf>,
    /// With --summary: parse N times and add the mean parse time (for benchmarks).
    #[arg(long, value_name = "N", default_value_t = 1, requires = "summary", value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// Whether FILE holds requests or responses; guessed from its first bytes by default.
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// The most bytes read: of the whole input (default and --json), of one message (--summary).
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 30)]
    max_input: u64,
}

/// `--summary` stops at a head (start line and fields, trailers, a chunk-size
/// line) that passes this many bytes without ending: memory stays at a few MB
/// whatever the stream holds.
const MAX_HEAD: usize = 1 << 20;

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Request,
    Response,
}

/// Runs the command line; returns the process exit status.
pub fn run() -> Result<i32> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            e.print()?;
            return Ok(code);
        }
    };
    match cli.command {
        Command::Parse(args) => parse(args),
        Command::Check(args) => check::run(args),
        Command::Lesson(command) => lesson::run(command),
        Command::Serve(args) => crate::serve::run(*args),
    }
}

fn parse(args: ParseArgs) -> Result<i32> {
    let options = match &args.request {
        Some(path) => Options::answering(&read_input(path, args.max_input)?),
        None => Options::default(),
    };
    if args.summary && args.repeat == 1 {
        return count(&args, &options);
    }
    let input = read_input(&args.file, args.max_input)?;
    let kind = kind_of(&args, &input);
    let started = std::time::Instant::now();
    let mut parsed = wirepad::Parse::default();
    if args.repeat == 1 {
        // One parse reads the bytes where they were read to: a copy would
        // be a second input-sized buffer of fresh pages, for nothing.
        wirepad::parse_into(&mut parsed, kind, input, &options);
    } else {
        for _ in 0..args.repeat {
            // Each parse copies the bytes into the buffer of the last and works
            // in its memory, as a program that reads stream after stream into
            // one buffer would (and as the wasm facade, which copies its input
            // into wasm memory, does).
            let mut buffer = std::mem::take(&mut parsed.input);
            buffer.clear();
            buffer.extend_from_slice(std::hint::black_box(&input));
            wirepad::parse_into(&mut parsed, kind, buffer, &options);
        }
    }
    let mean = started.elapsed() / args.repeat;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let report = wirepad::report::Report::new(&parsed);
        serde_json::to_writer(&mut out, &report)?;
        std::io::Write::write_all(&mut out, b"\n")?;
    } else if args.summary {
        annotate::summary(&mut out, &Summary::new(&parsed), Some(mean))?;
    } else {
        let colour = std::io::IsTerminal::is_terminal(&std::io::stdout());
        annotate::annotate(&mut out, &parsed, colour)?;
    }
    std::io::Write::flush(&mut out)?;
    Ok(exit_status(parsed.verdict()))
}

fn exit_status(verdict: Verdict) -> i32 {
    match verdict {
        Verdict::Ok => 0,
        Verdict::Error => 1,
    }
}

/// Whether FILE holds requests or responses: as told, or guessed from its
/// first bytes.
fn kind_of(args: &ParseArgs, input: &[u8]) -> MessageKind {
    match (args.kind, &args.request) {
        (Some(KindArg::Request), _) => MessageKind::Request,
        (Some(KindArg::Response), _) | (None, Some(_)) => MessageKind::Response,
        (None, None) => MessageKind::detect(input),
    }
}

/// `--summary`: the stream is read a block at a time and each message is
/// counted and forgotten once it is complete ([`Parser::drain`]), so the
/// memory needed is that of one message, however long the stream. The
/// counts are those of a whole parse.
fn count(args: &ParseArgs, options: &Options) -> Result<i32> {
    const BLOCK: usize = 64 * 1024;
    let mut source: Box<dyn Read> = if args.file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
        Box::new(file)
    };
    let what = || format!("cannot read {}", args.file.display());
    // The kind is guessed from the first bytes that are not line ends.
    let mut first = Vec::new();
    while first.iter().all(|&b| b == b'\r' || b == b'\n') {
        let had = first.len();
        source.by_ref().take(BLOCK as u64).read_to_end(&mut first).with_context(what)?;
        if first.len() == had {
            break;
        }
    }
    let mut parser = Parser::new(kind_of(args, &first), options.clone());
    parser.feed(&first);
    let (mut summary, mut done, mut block) = (Summary::default(), Parse::default(), vec![0; BLOCK]);
    // Bytes after the parse stopped: counted, not kept (they are one `unparsed` span).
    let mut unparsed = 0;
    let mut too_large = None;
    loop {
        if parser.drain(&mut done) > 0 {
            summary.add(&done);
        }
        let at = summary.bytes + parser.len();
        if parser.unfinished_head() > MAX_HEAD {
            too_large = Some(format!("a head passed {MAX_HEAD} bytes without ending (at byte {at}); stopped reading"));
            break;
        }
        if parser.len() as u64 > args.max_input {
            too_large = Some(format!(
                "one message passed --max-input ({} bytes) at byte {at}; stopped reading",
                args.max_input
            ));
            break;
        }
        let n = match source.read(&mut block) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(what),
        };
        if parser.is_stopped() {
            unparsed += n;
        } else {
            parser.feed(&block[..n]);
        }
    }
    summary.add(&parser.finish());
    summary.bytes += unparsed;
    if let Some(why) = &too_large {
        eprintln!("wirepad: error input-too-large: {why}");
        summary.add_error();
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    annotate::summary(&mut out, &summary, None)?;
    std::io::Write::flush(&mut out)?;
    Ok(exit_status(if summary.errors > 0 { Verdict::Error } else { Verdict::Ok }))
}

/// Reads FILE (or standard input for `-`), at most `max` bytes: more is an
/// error that says what to do, not a cut the reader would not see.
fn read_input(path: &PathBuf, max: u64) -> Result<Vec<u8>> {
    let source: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?)
    };
    let mut buf = Vec::new();
    source
        .take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if buf.len() as u64 > max {
        let name = if path.as_os_str() == "-" { "standard input".into() } else { path.display().to_string() };
        anyhow::bail!(
            "{name} holds more than --max-input ({max} bytes); `--summary` reads a stream of any length, or raise --max-input"
        );
    }
    Ok(buf)
}
