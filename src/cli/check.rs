//! `wirepad check URL`: the server-check suite of [`wirepad::check`] run
//! over TCP, each check on a connection of its own, many at once; then a
//! report (or JSON, or JUnit XML).
//!
//! The suite and its judges are in the library; this file does the IO the
//! library's [`Run`] asks for, and the output.

use super::annotate;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wirepad::check::{self, Action, Category, Check, Level, Outcome, Run, Target, Verdict};
use wirepad::policy::{self, Host, Reach};
use wirepad::{MessageKind, Options};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The server to check: http://HOST[:PORT][/PATH], a page it serves.
    #[arg(required_unless_present = "targets", conflicts_with = "targets")]
    url: Option<String>,
    /// Check every server in FILE (one URL a line) and print a table, one row per server.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["json", "junit"])]
    targets: Option<PathBuf>,
    /// Print one JSON array, one object per check.
    #[arg(long)]
    json: bool,
    /// Also write the results as JUnit XML to FILE, one testcase per check.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Run only the checks whose id starts with PREFIX (may be given more than once).
    #[arg(long, value_name = "PREFIX")]
    only: Vec<String>,
    /// Allow a public address: the checks include attacks, so check only a server you run.
    #[arg(long)]
    public: bool,
    /// How long a check waits for an answer (or a close), in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(100..=60_000))]
    timeout: u64,
    /// How many checks run at once, each on its own connection.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=256))]
    jobs: u32,
}

/// How long opening a connection may take.
const CONNECT: Duration = Duration::from_secs(3);

/// The most lines of an annotated exchange the report shows.
const SHOWN_LINES: usize = 40;

/// A server to check: where to connect, and what the requests say.
struct Server {
    url: String,
    address: SocketAddr,
    target: Target,
}

pub fn run(args: CheckArgs) -> Result<i32> {
    let checks = check::select(&args.only);
    if checks.is_empty() {
        bail!("no check id starts with {}", args.only.join(" or "));
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    if let Some(file) = &args.targets {
        return runtime.block_on(table(file, &checks, &args));
    }
    let url = args.url.as_deref().unwrap_or_default();
    let server = runtime.block_on(server(url, &args))?;
    let started = Instant::now();
    let outcomes = runtime.block_on(suite(&server, &checks, args.jobs))?;
    let elapsed = started.elapsed();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        json(&mut out, &outcomes)?;
    } else {
        let colour = std::io::IsTerminal::is_terminal(&std::io::stdout());
        report(&mut out, &server, &outcomes, elapsed, colour)?;
    }
    out.flush()?;
    if let Some(path) = &args.junit {
        let mut file = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        junit(&mut file, &server.url, &outcomes, elapsed)?;
    }
    Ok(exit_status(&outcomes))
}

/// 0 when no MUST fails, 1 when one does, 2 when a check could not connect.
fn exit_status(outcomes: &[Outcome]) -> i32 {
    if outcomes.iter().any(|o| !o.connected) {
        2
    } else if outcomes.iter().any(|o| o.verdict == Verdict::Fail && o.level == Level::Must) {
        1
    } else {
        0
    }
}

/// Reads the URL, resolves its host, applies the address policy and makes
/// sure something listens there.
async fn server(url: &str, args: &CheckArgs) -> Result<Server> {
    let (host, port, authority, path) = split_url(url)?;
    // Names are resolved once; every check connects to the address checked here.
    let addresses: Vec<IpAddr> = match policy::parse_host(&host) {
        Ok(Host::Ip(ip)) => vec![ip],
        Ok(Host::Name(_)) | Err(policy::Refusal::Localhost) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .with_context(|| format!("cannot resolve {host}"))?
            .map(|a| a.ip())
            .collect(),
        Err(refusal) => bail!("{host}: {}", refusal.explain()),
    };
    let mut refused = Vec::new();
    let chosen = addresses.iter().copied().find(|&ip| match policy::reach(ip) {
        Ok(Reach::Local) => true,
        Ok(Reach::Public) if args.public => true,
        Ok(Reach::Public) => {
            refused.push(format!(
                "{ip} is a public address; the checks include attacks (request smuggling), so wirepad checks \
                 loopback and private addresses only: add --public if the server is yours"
            ));
            false
        }
        Err(r) => {
            refused.push(format!("{ip}: {}", r.explain()));
            false
        }
    });
    let Some(ip) = chosen else { bail!("refusing {host}: {}", refused.join("; ")) };
    let address = SocketAddr::new(ip, port);
    match tokio::time::timeout(CONNECT, TcpStream::connect(address)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => bail!("cannot connect to {address}: {e}"),
        Err(_) => bail!("cannot connect to {address}: no answer within {} s", CONNECT.as_secs()),
    }
    let target = Target { authority, path, wait_ms: args.timeout };
    Ok(Server { url: url.to_string(), address, target })
}

/// `http://HOST[:PORT][/PATH]` → host, port, the Host field value, path.
fn split_url(url: &str) -> Result<(String, u16, String, String)> {
    let lower = url.to_ascii_lowercase();
    let rest = match lower.find("://") {
        Some(i) if &lower[..i] == "http" => &url[i + 3..],
        Some(_) => bail!("{url}: wirepad check speaks plain HTTP: the URL starts with http://"),
        None => url,
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.is_empty() || authority.contains('@') || path.contains('#') || path.contains(' ') {
        bail!("{url} is not a URL like http://127.0.0.1:8080/index.html");
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => {
            (host, port.parse::<u16>().with_context(|| format!("{port:?} is not a port number"))?)
        }
        _ => (authority, policy::DEFAULT_PORT),
    };
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    Ok((host.to_string(), port, authority.to_string(), path))
}

/// Runs `checks` against `server`, `jobs` at once; outcomes in suite order.
async fn suite(server: &Server, checks: &[&'static Check], jobs: u32) -> Result<Vec<Outcome>> {
    let permits = Arc::new(tokio::sync::Semaphore::new(jobs as usize));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, &check) in checks.iter().enumerate() {
        let (permits, target, address) = (permits.clone(), server.target.clone(), server.address);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            (i, exchange(check, target, address).await)
        });
    }
    let mut outcomes = BTreeMap::new();
    while let Some(done) = tasks.join_next().await {
        let (i, outcome) = done?;
        outcomes.insert(i, outcome);
    }
    Ok(outcomes.into_values().collect())
}

/// One check on its own connection: does what the [`Run`] asks.
async fn exchange(check: &'static Check, target: Target, address: SocketAddr) -> Outcome {
    let started = Instant::now();
    let clock = || started.elapsed().as_millis() as u64;
    let mut run = Run::new(check, target);
    let mut stream = match tokio::time::timeout(CONNECT, TcpStream::connect(address)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return run.unreachable(&e.to_string(), clock()),
        Err(_) => return run.unreachable(&format!("no answer within {} s", CONNECT.as_secs()), clock()),
    };
    // Each write goes out as it is: one byte per write means one byte per segment.
    let _ = stream.set_nodelay(true);
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match run.next(clock()) {
            Action::Send(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    run.write_failed();
                }
            }
            Action::Receive { until } => {
                let wait = Duration::from_millis(until.saturating_sub(clock()));
                match tokio::time::timeout(wait, stream.read(&mut buffer)).await {
                    Ok(Ok(0) | Err(_)) => run.closed(),
                    Ok(Ok(n)) => run.received(&buffer[..n]),
                    // The deadline passed: the run sees it on its clock.
                    Err(_) => {}
                }
            }
            Action::Done => return run.finish(clock()),
        }
    }
}

// ---- output -----------------------------------------------------------------

/// The readable report: one line per check; a failure shows its rule and
/// its exchange, annotated as `wirepad parse` shows bytes.
fn report(out: &mut impl Write, server: &Server, outcomes: &[Outcome], elapsed: Duration, colour: bool) -> Result<()> {
    writeln!(out, "wirepad check {} ({}): {} checks", server.url, server.address, outcomes.len())?;
    let mut category = None;
    for o in outcomes {
        if category != Some(o.category) {
            category = Some(o.category);
            writeln!(out, "\n{}", heading(o.category))?;
        }
        let verdict = o.verdict.as_str();
        let shown = match (colour, o.verdict) {
            (true, Verdict::Pass) => format!("\x1b[32m{verdict:<4}\x1b[0m"),
            (true, Verdict::Fail) => format!("\x1b[1;31m{verdict:<4}\x1b[0m"),
            (true, Verdict::Warn) => format!("\x1b[33m{verdict:<4}\x1b[0m"),
            _ => format!("{verdict:<4}"),
        };
        writeln!(out, "  {shown}  {:<6}  {:<50}  {}", o.level.as_str(), o.id, o.why)?;
        if matches!(o.verdict, Verdict::Fail | Verdict::Warn) {
            writeln!(out, "        {}", o.title)?;
            writeln!(out, "        {}: {}", o.section, o.rule)?;
        }
        if o.verdict == Verdict::Fail && o.connected {
            let sent = wirepad::parse(MessageKind::Request, &o.sent, &Options::default());
            writeln!(out, "        sent:")?;
            annotated(out, &sent, colour)?;
            writeln!(out, "        received{}:", if o.closed { ", then the server closed" } else { "" })?;
            annotated(out, &o.responses, colour)?;
        }
    }
    let count = |v: Verdict| outcomes.iter().filter(|o| o.verdict == v).count();
    writeln!(
        out,
        "\n{} checks in {:.1} s: {} pass, {} fail, {} warn, {} skip",
        outcomes.len(),
        elapsed.as_secs_f64(),
        count(Verdict::Pass),
        count(Verdict::Fail),
        count(Verdict::Warn),
        count(Verdict::Skip)
    )?;
    Ok(())
}

fn heading(c: Category) -> &'static str {
    match c {
        Category::Basics => "basics",
        Category::Connections => "connections",
        Category::Reject => "requests that must be rejected",
        Category::Semantics => "semantics",
    }
}

/// `wirepad parse`'s view of `p`, indented, at most [`SHOWN_LINES`] lines.
fn annotated(out: &mut impl Write, p: &wirepad::Parse, colour: bool) -> Result<()> {
    if p.input.is_empty() {
        writeln!(out, "          (nothing)")?;
        return Ok(());
    }
    let mut text = Vec::new();
    annotate::annotate(&mut text, p, colour)?;
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(SHOWN_LINES) {
        writeln!(out, "          {line}")?;
    }
    if lines.len() > SHOWN_LINES {
        writeln!(out, "          … ({} more lines)", lines.len() - SHOWN_LINES)?;
    }
    Ok(())
}

/// One array, one object per check: the outcome's fields and `response`,
/// the received bytes in `wirepad parse --json`'s shape.
fn json(out: &mut impl Write, outcomes: &[Outcome]) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        #[serde(flatten)]
        outcome: &'a Outcome,
        response: wirepad::report::Report<'a>,
    }
    let entries: Vec<Entry> =
        outcomes.iter().map(|o| Entry { outcome: o, response: wirepad::report::Report::new(&o.responses) }).collect();
    serde_json::to_writer(&mut *out, &entries)?;
    writeln!(out)?;
    Ok(())
}

/// JUnit XML for autograders: one testsuite, one testcase per check; a
/// failed MUST is a failure, a skipped check is skipped, a warning passes
/// with its words in system-out.
fn junit(out: &mut impl Write, url: &str, outcomes: &[Outcome], elapsed: Duration) -> Result<()> {
    let count = |v: Verdict| outcomes.iter().filter(|o| o.verdict == v).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuite name="wirepad check {}" tests="{}" failures="{}" errors="0" skipped="{}" time="{:.3}">"#,
        xml(url),
        outcomes.len(),
        count(Verdict::Fail),
        count(Verdict::Skip),
        elapsed.as_secs_f64()
    )?;
    for o in outcomes {
        let seconds = o.ms as f64 / 1000.0;
        write!(out, r#"  <testcase classname="{}" name="{}" time="{seconds:.3}">"#, o.category, o.id)?;
        let message = format!("{} {}: {}", o.level, o.section, o.why);
        match o.verdict {
            Verdict::Fail => write!(
                out,
                "\n    <failure message=\"{}\" type=\"{}\">{}\n{}: {}</failure>\n  ",
                xml(&message),
                o.level,
                xml(o.title),
                o.section,
                xml(o.rule)
            )?,
            Verdict::Skip => write!(out, "\n    <skipped message=\"{}\"/>\n  ", xml(&o.why))?,
            Verdict::Warn => write!(out, "\n    <system-out>warn: {}</system-out>\n  ", xml(&message))?,
            Verdict::Pass => {}
        }
        writeln!(out, "</testcase>")?;
    }
    writeln!(out, "</testsuite>")?;
    Ok(())
}

/// Text made safe for an XML attribute or element: markup escaped, and
/// bytes XML 1.0 cannot carry at all written as \xNN.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `--targets FILE`: the suite against every server in FILE, one row each.
async fn table(file: &Path, checks: &[&'static Check], args: &CheckArgs) -> Result<i32> {
    let list = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let urls: Vec<&str> = list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    if urls.is_empty() {
        bail!("{} names no server", file.display());
    }
    let categories: Vec<Category> =
        Category::ALL.iter().copied().filter(|c| checks.iter().any(|k| k.category == *c)).collect();
    let mut out = std::io::stdout().lock();
    write!(out, "| server | MUST failed | pass | fail | warn | skip |")?;
    for c in &categories {
        write!(out, " {c} |")?;
    }
    writeln!(out)?;
    writeln!(out, "|{}", "---|".repeat(6 + categories.len()))?;
    let mut status = 0;
    for url in urls {
        let outcomes = match server(url, args).await {
            Ok(server) => suite(&server, checks, args.jobs).await?,
            Err(e) => {
                writeln!(out, "| {url} | {e:#} |{}", " |".repeat(4 + categories.len()))?;
                status = 2;
                continue;
            }
        };
        let count = |v: Verdict| outcomes.iter().filter(|o| o.verdict == v).count();
        let failed: Vec<&str> =
            outcomes.iter().filter(|o| o.verdict == Verdict::Fail && o.level == Level::Must).map(|o| o.id).collect();
        write!(
            out,
            "| {url} | {} | {} | {} | {} | {} |",
            failed.len(),
            count(Verdict::Pass),
            count(Verdict::Fail),
            count(Verdict::Warn),
            count(Verdict::Skip)
        )?;
        for c in &categories {
            let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.category == *c).collect();
            let passed = mine.iter().filter(|o| o.verdict == Verdict::Pass).count();
            write!(out, " {passed}/{} |", mine.len())?;
        }
        writeln!(out)?;
        status = status.max(exit_status(&outcomes));
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_host_port_authority_and_path() {
        let split = |u: &str| split_url(u).unwrap();
        assert_eq!(
            split("http://127.0.0.1:8080/a?b"),
            ("127.0.0.1".into(), 8080, "127.0.0.1:8080".into(), "/a?b".into())
        );
        assert_eq!(split("localhost"), ("localhost".into(), 80, "localhost".into(), "/".into()));
        assert_eq!(split("HTTP://[::1]:81"), ("::1".into(), 81, "[::1]:81".into(), "/".into()));
        assert_eq!(split("http://[::1]/x"), ("::1".into(), 80, "[::1]".into(), "/x".into()));
        assert_eq!(split("http://h?q=1").3, "/?q=1");
        assert!(split_url("https://example.org/").is_err());
        assert!(split_url("http://user@h/").is_err());
        assert!(split_url("http://h:port/").is_err());
        assert!(split_url("http:///x").is_err());
    }

    #[test]
    fn xml_text_escapes_markup_and_bytes_xml_cannot_carry() {
        assert_eq!(xml("a<b & \"c\"\0"), "a&lt;b &amp; &quot;c&quot;\\x00");
    }
}
