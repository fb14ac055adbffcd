//! The terminal view of a parse: one line per wire line (or body run), the
//! bytes made visible, the span kinds named, diagnostics underneath.

use std::io::{self, Write};
use wirepad::report::Summary;
use wirepad::{explain, Parse, Severity, SpanKind};

/// Body runs longer than this are shown by their start and length.
const BODY_PREVIEW: usize = 48;

/// One line of counts; with `mean`, the mean time of one parse.
pub fn summary(out: &mut impl Write, s: &Summary, mean: Option<std::time::Duration>) -> io::Result<()> {
    write!(
        out,
        "messages={} spans={} errors={} warnings={} infos={} bytes={} verdict={}",
        s.messages, s.spans, s.errors, s.warnings, s.infos, s.bytes, s.verdict
    )?;
    if let Some(mean) = mean {
        write!(out, " mean_parse_us={:.1}", mean.as_secs_f64() * 1e6)?;
    }
    writeln!(out)
}

pub fn annotate(out: &mut impl Write, p: &Parse, colour: bool) -> io::Result<()> {
    let owners: Vec<Option<usize>> = p.span_messages().collect();
    let mut current_message = None;
    for group in groups(p.spans.kinds(), &owners) {
        let (first, owner) = (p.spans.get(group.start), owners[group.start]);
        if owner != current_message {
            current_message = owner;
            if let Some(i) = owner {
                writeln!(out, "{}", message_title(p, i))?;
            }
        }
        let mut text = String::new();
        let mut kinds = Vec::new();
        for s in p.spans.range(group) {
            let bytes = p.bytes(s.range());
            let shown = visible(bytes, matches!(s.kind, SpanKind::Body | SpanKind::ChunkData | SpanKind::Unparsed));
            if colour {
                text.push_str(&format!("\x1b[{}m{shown}\x1b[0m", colour_code(s.kind)));
            } else {
                text.push_str(&shown);
            }
            kinds.push(s.kind.as_str());
        }
        writeln!(out, "{:>8}  {}    [{}]", first.start, text, kinds.join(" "))?;
    }
    if !p.diagnostics.is_empty() {
        writeln!(out)?;
    }
    for d in &p.diagnostics {
        let severity = d.severity.as_str();
        let severity = if colour {
            let c = match d.severity {
                Severity::Error => "1;31",
                Severity::Warning => "1;33",
                Severity::Info => "1;36",
            };
            format!("\x1b[{c}m{severity}\x1b[0m")
        } else {
            severity.to_string()
        };
        writeln!(
            out,
            "{severity}[{}] bytes {}..{}: {} ({})",
            d.code,
            d.start,
            d.end,
            d.message,
            explain::code(d.code).rfc
        )?;
    }
    writeln!(out, "verdict: {}", p.verdict().as_str())
}

fn message_title(p: &Parse, i: usize) -> String {
    let m = &p.messages[i];
    let start_line = match (m.method, m.target, m.status) {
        (Some(method), Some(target), _) => format!("{} {}", p.text(method), p.text(target)),
        (Some(method), None, _) => p.text(method),
        (_, _, Some(status)) => format!("{status} {}", m.reason.map(|r| p.text(r)).unwrap_or_default()),
        _ => String::new(),
    };
    let state = if m.complete { "complete" } else { "incomplete" };
    // Numbered from 1, as the page numbers them (the JSON's indexes start at 0).
    let n = i + 1;
    format!("── {} {n}: {}, {state}, bytes {}..{}", m.kind, start_line.trim_end(), m.start, m.end)
}

/// Spans grouped into wire lines (as index ranges): a group ends with a line
/// end, body runs stand alone, and a group never spans two messages.
/// `owners` holds the message of each span.
fn groups(kinds: &[SpanKind], owners: &[Option<usize>]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &kind) in kinds.iter().enumerate() {
        let standalone = matches!(kind, SpanKind::Body | SpanKind::ChunkData | SpanKind::Unparsed);
        if standalone && start < i {
            out.push(start..i);
            start = i;
        }
        let prev_message_differs = i > start && owners[i - 1] != owners[i];
        if prev_message_differs {
            out.push(start..i);
            start = i;
        }
        if standalone || matches!(kind, SpanKind::Crlf | SpanKind::EmptyLine) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < kinds.len() {
        out.push(start..kinds.len());
    }
    out
}

/// Bytes as text a student can read: CR and LF as ␍ and ␊, other control
/// bytes and non-ASCII as \xNN. Long bodies are shortened.
fn visible(bytes: &[u8], is_body: bool) -> String {
    let (shown, rest) =
        if is_body && bytes.len() > BODY_PREVIEW { bytes.split_at(BODY_PREVIEW) } else { (bytes, &[][..]) };
    let mut s = String::new();
    for &b in shown {
        match b {
            b'\r' => s.push('␍'),
            b'\n' => s.push('␊'),
            b'\t' => s.push('␉'),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    if !rest.is_empty() {
        s.push_str(&format!("… ({} bytes in all)", bytes.len()));
    }
    s
}

fn colour_code(kind: SpanKind) -> &'static str {
    use SpanKind::*;
    match kind {
        Method | StatusCode => "1;35",
        RequestTarget | ReasonPhrase => "36",
        HttpVersion => "34",
        HeaderName => "1;32",
        HeaderValue => "33",
        Crlf | EmptyLine | Sp | Ows | Colon | ObsFold => "2",
        ChunkSize | LastChunk | ChunkExt => "1;34",
        Body | ChunkData => "0",
        Unparsed => "1;31",
    }
}
