//! `wirepad parse` as a user runs it: exit codes, the three output forms, stdin.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn spawn(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_wirepad"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wirepad runs")
}

fn wirepad(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn(args);
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

const CLASSIC: &[u8] = b"GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: Python 3\r\n\r\n";

#[test]
fn annotated_output_names_kinds_and_shows_line_ends() {
    let out = wirepad(&["parse", "-"], CLASSIC);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("GET / HTTP/1.1␍␊    [method sp request-target sp http-version crlf]"), "{text}");
    assert!(text.contains("Host: example.org␍␊    [header-name colon ows header-value crlf]"), "{text}");
    assert!(text.ends_with("verdict: ok\n"));
    assert!(!text.contains('\x1b'), "no colour when stdout is not a terminal");
}

#[test]
fn messages_are_titled_and_numbered_from_one_like_the_page() {
    let two = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n";
    let text = String::from_utf8(wirepad(&["parse", "-"], two).stdout).unwrap();
    assert!(text.starts_with("── request 1: GET /, complete, bytes 0..27\n"), "{text}");
    assert!(text.contains("── request 2: GET /x, complete, bytes 27..55\n"), "{text}");
}

#[test]
fn errors_exit_1_with_diagnostics_underneath() {
    let out = wirepad(&["parse", "-"], b"GET / HTTP/1.1\r\nHost : a\r\n\r\n");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("error[space-before-colon] bytes 20..21:"), "{text}");
    assert!(text.contains("(RFC 9112 §5.1)"));
}

#[test]
fn json_has_the_documented_fields() {
    let out = wirepad(&["parse", "--json", "-"], b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "ok");
    let m = &v["messages"][0];
    assert_eq!(
        (m["kind"].as_str(), m["status"].as_u64(), m["reason"].as_str()),
        (Some("response"), Some(200), Some("OK"))
    );
    assert_eq!(m["body_b64"], "aGk=");
    assert_eq!(m["headers"][0], serde_json::json!(["Content-Length", "2"]));
    assert_eq!(v["spans"][0], serde_json::json!({"start": 0, "end": 8, "kind": "http-version", "message": 0}));
    assert!(m.get("method").is_none());
}

#[test]
fn summary_is_one_line_of_counts() {
    let out = wirepad(&["parse", "--summary", "-"], CLASSIC);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "messages=1 spans=17 errors=0 warnings=0 infos=0 bytes=59 verdict=ok\n"
    );
    let out = wirepad(&["parse", "--summary", "--repeat", "3", "-"], CLASSIC);
    assert!(String::from_utf8(out.stdout).unwrap().contains(" mean_parse_us="));
}

/// `--summary` reads the stream a block at a time and forgets each message
/// once counted; its counts must be those of the whole parse that `--json`
/// prints, for a stream many blocks long whose findings fall on both sides
/// of block ends, and which ends after an interim response.
#[test]
fn summary_of_a_long_stream_counts_what_the_whole_parse_finds() {
    let mut stream = Vec::new();
    for i in 0..3000 {
        if i % 11 == 0 {
            stream.extend_from_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        let line_end: &[u8] = if i % 7 == 0 { b"\n" } else { b"\r\n" };
        let body = "x".repeat(i % 300);
        for part in [format!("HTTP/1.1 200 OK{}", "\r\n").as_bytes(), b"Server: test", line_end] {
            stream.extend_from_slice(part);
        }
        stream.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }
    stream.extend_from_slice(b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n");
    assert!(stream.len() > 8 * 64 * 1024, "several blocks long");
    let json: serde_json::Value = serde_json::from_slice(&wirepad(&["parse", "--json", "-"], &stream).stdout).unwrap();
    let severity = |s: &str| json["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == s).count();
    let expected = format!(
        "messages={} spans={} errors={} warnings={} infos={} bytes={} verdict={}\n",
        json["messages"].as_array().unwrap().len(),
        json["spans"].as_array().unwrap().len(),
        severity("error"),
        severity("warning"),
        severity("info"),
        stream.len(),
        json["verdict"].as_str().unwrap()
    );
    assert!(severity("warning") > 3000 / 7, "bare LFs and the final interim response are found: {expected}");
    assert_eq!(String::from_utf8(wirepad(&["parse", "--summary", "-"], &stream).stdout).unwrap(), expected);
}

#[test]
fn request_file_frames_responses_to_head() {
    let dir = std::env::temp_dir().join(format!("wirepad-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let req = dir.join("req");
    std::fs::write(&req, b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
    let response = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
    let out = wirepad(&["parse", "--summary", "--request", req.to_str().unwrap(), "-"], response);
    assert!(
        String::from_utf8(out.stdout).unwrap().contains("warnings=0"),
        "a HEAD response is complete without a body"
    );
    let naive = wirepad(&["parse", "--summary", "-"], response);
    assert!(String::from_utf8(naive.stdout).unwrap().contains("warnings=1"), "without the request it looks cut short");
}

#[test]
fn usage_and_io_errors_exit_2_with_one_line() {
    let out = wirepad(&["parse", "/nonexistent/file"], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("wirepad: cannot read /nonexistent/file"));
    assert_eq!(wirepad(&["parse", "--bogus", "-"], b"").status.code(), Some(2));
    assert_eq!(wirepad(&["parse", "--json", "--summary", "-"], b"").status.code(), Some(2));
}

/// Runs wirepad on a stream of `len` bytes made by `byte(i)`, written from
/// another thread: wirepad may stop reading long before the end.
fn wirepad_on_stream(args: &[&str], head: &[u8], len: usize, byte: fn(usize) -> u8) -> Output {
    let mut child = spawn(args);
    let mut stdin = child.stdin.take().unwrap();
    let head = head.to_vec();
    let writer = std::thread::spawn(move || {
        let block: Vec<u8> = (0..1 << 16).map(byte).collect();
        if stdin.write_all(&head).is_err() {
            return;
        }
        for _ in 0..len / block.len() {
            if stdin.write_all(&block).is_err() {
                return; // wirepad stopped reading
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn counted_bytes(out: &Output) -> usize {
    let text = String::from_utf8_lossy(&out.stdout);
    let field = text.split(' ').find_map(|f| f.strip_prefix("bytes=")).expect("a bytes= count");
    field.parse().unwrap()
}

#[test]
fn summary_stops_at_a_head_that_never_ends() {
    // 64 MiB of NUL bytes: a start line with no end.
    let out = wirepad_on_stream(&["parse", "--summary", "-"], b"", 64 << 20, |_| 0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("input-too-large") && err.contains("without ending"), "{err}");
    assert!(counted_bytes(&out) < 2 << 20, "stopped after about 1 MiB: {}", String::from_utf8_lossy(&out.stdout));
    // Field lines without end: each line ends, the header section never does.
    let lines = |i: usize| b"X-Field: value\r\n"[i % 16];
    let out =
        wirepad_on_stream(&["parse", "--summary", "--kind", "request", "-"], b"GET / HTTP/1.1\r\n", 64 << 20, lines);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("input-too-large"));
    assert!(counted_bytes(&out) < 2 << 20);
}

#[test]
fn summary_counts_what_follows_an_unrecoverable_error_without_keeping_it() {
    // After the error the rest is one unparsed span: all of it counted.
    let out =
        wirepad_on_stream(&["parse", "--summary", "--kind", "request", "-"], b"G\0T / HTTP/1.1\r\n", 8 << 20, |i| {
            (i % 251) as u8
        });
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(counted_bytes(&out), 16 + (8 << 20));
}

#[test]
fn whole_input_modes_read_at_most_max_input() {
    for mode in [&["parse", "--max-input", "1000000", "-"][..], &["parse", "--json", "--max-input", "1000000", "-"]] {
        let out = wirepad_on_stream(mode, CLASSIC, 4 << 20, |_| b'a');
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("more than --max-input (1000000 bytes)"), "{err}");
        assert!(out.stdout.is_empty(), "nothing half-done is printed");
    }
    let out = wirepad(&["parse", "--max-input", "1000000", "-"], CLASSIC);
    assert_eq!(out.status.code(), Some(0));
}

/// A server caught breaking a response-side rule of RFC 9110 or 9112 (issue
/// 24): `wirepad parse` on a hand-made response file names the diagnostic's
/// code, its severity and its RFC section, in the annotated text and in
/// `--json`, and exits 1 for an error, 0 for a warning. Beside each, the same
/// response done right, which gets no such code.
const RESPONSE_RULES: &[(&str, &str, &str, &str, &str)] = &[
    // (bytes, code, severity, RFC section, the same response done right)
    (
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n",
        "missing-www-authenticate",
        "error",
        "RFC 9110 §15.5.2",
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"lab\"\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n",
        "missing-allow",
        "error",
        "RFC 9110 §15.5.6",
        "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 206 Partial Content\r\nContent-Length: 2\r\n\r\nhi",
        "missing-content-range",
        "error",
        "RFC 9110 §15.3.7",
        "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-1/10\r\nContent-Length: 2\r\n\r\nhi",
    ),
    (
        "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n",
        "missing-range-length",
        "warning",
        "RFC 9110 §15.5.17",
        "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */10\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n",
        "missing-location",
        "warning",
        "RFC 9110 §15.4",
        "HTTP/1.1 301 Moved Permanently\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n",
        "missing-location",
        "warning",
        "RFC 9110 §15.4",
        "HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 303 See Other\r\nContent-Length: 0\r\n\r\n",
        "missing-location",
        "warning",
        "RFC 9110 §15.4",
        "HTTP/1.1 303 See Other\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 307 Temporary Redirect\r\nContent-Length: 0\r\n\r\n",
        "missing-location",
        "warning",
        "RFC 9110 §15.4",
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 308 Permanent Redirect\r\nContent-Length: 0\r\n\r\n",
        "missing-location",
        "warning",
        "RFC 9110 §15.4",
        "HTTP/1.1 308 Permanent Redirect\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
        "framing-on-bodiless-response",
        "error",
        "RFC 9110 §8.6",
        "HTTP/1.1 204 No Content\r\n\r\n",
    ),
    (
        "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
        "framing-on-bodiless-response",
        "error",
        "RFC 9110 §8.6",
        "HTTP/1.1 204 No Content\r\n\r\n",
    ),
    (
        "HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        "framing-on-bodiless-response",
        "error",
        "RFC 9110 §8.6",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "HTTP/1.1 204 No Content\r\n\r\nhello",
        "content-on-bodiless-response",
        "error",
        "RFC 9112 §6.3",
        "HTTP/1.1 204 No Content\r\n\r\n",
    ),
    (
        "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\nhello",
        "content-on-bodiless-response",
        "error",
        "RFC 9112 §6.3",
        "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n",
    ),
    (
        "HTTP/1.1 100 Continue\r\n\r\nhello\r\n",
        "content-on-bodiless-response",
        "error",
        "RFC 9112 §6.3",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ),
];

/// `wirepad parse [--json] FILE` on `bytes` written to a file of the test's own.
fn parse_file(name: &str, bytes: &str, json: bool) -> Output {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-response-rules");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let file = file.to_str().unwrap();
    let args: &[&str] = if json { &["parse", "--json", file] } else { &["parse", file] };
    Command::new(env!("CARGO_BIN_EXE_wirepad")).args(args).output().expect("wirepad runs")
}

#[test]
fn response_rules_are_named_with_their_code_and_rfc_section_in_text_and_json() {
    for (i, &(bytes, code, severity, rfc, right)) in RESPONSE_RULES.iter().enumerate() {
        let exit = if severity == "error" { 1 } else { 0 };
        // The annotated text: `severity[code] bytes A..B: why (RFC …)`.
        let out = parse_file(&format!("{i}-{code}"), bytes, false);
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(exit), "{code}: {text}");
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{severity}[{code}] bytes ")))
            .unwrap_or_else(|| panic!("{code} ({severity}) is not reported for {bytes:?}:\n{text}"));
        assert!(line.ends_with(&format!("({rfc})")), "{code}: {line}");
        // --json: the same code, severity and section.
        let out = parse_file(&format!("{i}-{code}.json"), bytes, true);
        assert_eq!(out.status.code(), Some(exit), "{code}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let found = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == code);
        let d = found.unwrap_or_else(|| panic!("{code} is not in the JSON for {bytes:?}: {v}"));
        assert_eq!((d["severity"].as_str(), d["rfc"].as_str()), (Some(severity), Some(rfc)), "{d}");
        assert_eq!(v["verdict"], if exit == 1 { "error" } else { "ok" });
        // The same response done right: no such code, and a clean verdict.
        let out = parse_file(&format!("{i}-{code}-right.json"), right, true);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["diagnostics"], serde_json::json!([]), "{right:?}");
        assert_eq!(out.status.code(), Some(0));
    }
}

/// The messages say which field or which status, in words.
#[test]
fn response_rules_say_what_is_wrong_in_words() {
    let said = |bytes: &str| String::from_utf8(parse_file("words", bytes, false).stdout).unwrap();
    assert!(said("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n")
        .contains("a 204 response has no content, and a server must not send Transfer-Encoding in it"));
    assert!(said("HTTP/1.1 101 Switching Protocols\r\nContent-Length: 0\r\n\r\n")
        .contains("a 101 response has no content, and a server must not send Content-Length in it"));
    assert!(said("HTTP/1.1 307 Temporary Redirect\r\nContent-Length: 0\r\n\r\n")
        .contains("this 307 redirect has no Location field"));
    assert!(
        said("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n").contains("Content-Range: bytes */N")
    );
}
