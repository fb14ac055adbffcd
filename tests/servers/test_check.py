"""`wirepad check` against real servers we did not write (nginx, Python's
http.server, Node's http) and against small servers written here to pass or
fail particular checks. No traffic leaves loopback: the one public address
used is refused before any connection.
"""
import json
import socket
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import WIREPAD


def check(url, *args, timeout=60):
    """Runs `wirepad check URL ARGS`: (exit status, stdout, stderr, seconds)."""
    started = time.monotonic()
    r = subprocess.run([str(WIREPAD), "check", url, *map(str, args)], capture_output=True, timeout=timeout)
    return r.returncode, r.stdout.decode(), r.stderr.decode(), time.monotonic() - started


def results(url, *args):
    """The --json results, by id, and the exit status."""
    code, out, err, _ = check(url, "--json", *args)
    assert code in (0, 1), err
    return {o["id"]: o for o in json.loads(out)}, code


def verdicts(found):
    return {i: o["verdict"] for i, o in found.items()}


class SmallServer:
    """A socket server written the way a course's first web server is: each
    connection is read until the end of the head, `answer(head)` is sent,
    and (unless `keep` says so) the connection is closed."""

    def __init__(self, answer):
        self.answer = answer
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            conn.settimeout(5)
            head = b""
            try:
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                conn.sendall(self.answer(head.split(b"\r\n\r\n")[0]))
            except OSError:
                return

    def close(self):
        self.listener.close()


def textbook(head):
    """200 to everything, as the classic assignment's server answers."""
    body = b"<h1>Hello</h1>"
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def careful(head):
    """Checks Host as RFC 9112 §3.2 says, and says it closes."""
    lines = head.split(b"\r\n")[1:]
    hosts = [l for l in lines if l.split(b":")[0].lower() == b"host"]
    valid = len(hosts) == 1 and b"/" not in hosts[0].split(b":", 1)[1] and not any(l[:1] in b" \t" for l in lines)
    status = b"200 OK" if valid else b"400 Bad Request"
    return b"HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % status


@pytest.fixture
def small():
    started = []

    def make(answer):
        s = SmallServer(answer)
        started.append(s)
        return s

    yield make
    for s in started:
        s.close()


# ---- real servers --------------------------------------------------------------


def test_python_http_server_accepts_a_request_without_host(python_server):
    found, code = results(f"http://127.0.0.1:{python_server}/index.html")
    v = verdicts(found)
    assert len(found) >= 60
    # Known behaviour of http.server: no Host check, the target read as a file path.
    assert v["rfc9112-3.2-missing-host"] == "fail"
    assert v["rfc9112-3.2-multiple-host"] == "fail"
    assert v["rfc9112-3.2.2-absolute-form"] == "fail"
    # It frames and dates its responses, keeps connections, and refuses long heads.
    for passing in ["rfc9110-9.3.1-get", "rfc9112-6.3-framing", "rfc9110-6.6.1-date", "rfc9112-9.3-keep-alive",
                    "rfc9112-2.2-one-byte-writes", "rfc9112-3-long-request-line", "rfc9110-13.1.3-if-modified-since"]:
        assert v[passing] == "pass", (passing, found[passing]["why"])
    assert v["rfc9110-13.1.2-if-none-match"] == "skip", "it sends no ETag"
    assert code == 1


def test_nginx_refuses_the_smuggling_set(nginx):
    found, code = results(f"http://127.0.0.1:{nginx}/index.html")
    v = verdicts(found)
    for passing in ["rfc9112-3.2-missing-host", "rfc9112-3.2-multiple-host", "rfc9112-5.1-space-before-colon",
                    "rfc9112-5.2-obs-fold", "rfc9112-6.1-content-length-and-chunked", "rfc9112-6.3-two-content-lengths",
                    "rfc9112-6.3-invalid-content-length", "rfc9112-3-long-request-line", "rfc9110-15.6.6-http2-version",
                    "rfc9110-13.1.2-if-none-match", "rfc9110-15.4.5-not-modified-fields", "rfc9112-3.2.2-absolute-form",
                    "rfc9110-9.3.1-body-on-get", "rfc9112-9.3.2-pipelining", "rfc9112-2.2-slow-client"]:
        assert v[passing] == "pass", (passing, found[passing]["why"])
    # nginx answers 405 without Allow: RFC 9110 §15.5.6 is broken.
    assert v["rfc9110-15.5.6-allow"] == "fail"
    assert [i for i, x in v.items() if x == "fail"] == ["rfc9110-15.5.6-allow"]
    assert code == 1


def test_node_http_rejects_missing_host_but_not_two(node_server):
    found, _ = results(f"http://127.0.0.1:{node_server}/")
    v = verdicts(found)
    assert v["rfc9112-3.2-missing-host"] == "pass"
    assert v["rfc9112-3.2-multiple-host"] == "fail"
    assert v["rfc9110-10.1.1-expect-continue"] == "pass"
    assert "100 Continue" in found["rfc9110-10.1.1-expect-continue"]["why"]
    assert v["rfc9112-6.1-content-length-and-chunked"] == "pass"


# ---- small servers made to pass or fail -------------------------------------------


def test_the_textbook_server_fails_and_the_careful_one_passes_the_host_rules(small):
    ids = ["rfc9112-3.2-missing-host", "rfc9112-3.2-multiple-host", "rfc9112-3.2-invalid-host",
           "rfc9112-2.2-whitespace-before-first-field"]
    bad, code = results(small(textbook).url, "--only", "rfc9112-3.2-", "--only", "rfc9112-2.2-whitespace")
    assert verdicts(bad) == {i: "fail" for i in ids} and code == 1
    good, code = results(small(careful).url, "--only", "rfc9112-3.2-", "--only", "rfc9112-2.2-whitespace")
    assert verdicts(good) == {i: "pass" for i in ids} and code == 0


def test_a_server_that_keeps_quiet_about_closing_fails_keep_alive(small):
    found, _ = results(small(textbook).url, "--only", "rfc9112-9.3-keep-alive", "--only", "rfc9112-9.6-close")
    assert found["rfc9112-9.3-keep-alive"]["verdict"] == "fail"
    assert "without saying Connection: close" in found["rfc9112-9.3-keep-alive"]["why"]
    assert found["rfc9112-9.6-close"]["verdict"] == "pass"
    assert found["rfc9112-9.6-close-said"]["verdict"] == "warn"
    careful_found, _ = results(small(careful).url, "--only", "rfc9112-9.3-keep-alive")
    assert careful_found["rfc9112-9.3-keep-alive"]["verdict"] == "pass"


def test_a_server_that_answers_head_with_a_body_fails(small):
    found, code = results(small(textbook).url, "--only", "rfc9110-9.3.2-head-no-content")
    assert found["rfc9110-9.3.2-head-no-content"]["verdict"] == "fail"
    assert "followed the head" in found["rfc9110-9.3.2-head-no-content"]["why"]
    assert code == 1


# ---- output forms -------------------------------------------------------------------


def test_json_has_one_object_per_check_with_the_documented_fields(small):
    code, out, _, _ = check(small(textbook).url, "--json")
    checks = json.loads(out)
    assert len(checks) >= 60 and len({c["id"] for c in checks}) == len(checks)
    for c in checks:
        for field in ["id", "level", "section", "title", "verdict", "sent_b64", "received_b64", "why", "response"]:
            assert field in c, (field, c["id"])
        assert c["level"] in ("MUST", "SHOULD", "MAY") and c["verdict"] in ("pass", "fail", "warn", "skip")
    get = next(c for c in checks if c["id"] == "rfc9110-9.3.1-get")
    assert get["response"]["messages"][0]["status"] == 200
    assert get["response"]["spans"][0]["kind"] == "http-version"
    assert code == 1


def test_the_readable_report_shows_a_failure_annotated_with_its_rule(small):
    code, out, _, _ = check(small(textbook).url, "--only", "rfc9112-3.2-missing-host")
    assert code == 1
    assert "fail  MUST    rfc9112-3.2-missing-host" in out
    assert "A server MUST respond with a 400 (Bad Request)" in out
    assert "GET / HTTP/1.1␍␊    [method sp request-target sp http-version crlf]" in out
    assert "HTTP/1.1 200 OK␍␊    [http-version sp status-code sp reason-phrase crlf]" in out
    assert "1 checks in" in out


def test_junit_has_one_testcase_per_check_and_the_failures(small, tmp_path):
    report = tmp_path / "junit.xml"
    code, out, _, _ = check(small(textbook).url, "--json", "--junit", report)
    checks = json.loads(out)
    suite = ET.parse(report).getroot()
    cases = suite.findall("testcase")
    assert suite.tag == "testsuite" and len(cases) == len(checks) == int(suite.get("tests"))
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == [c["id"] for c in checks if c["verdict"] == "fail"]
    assert "rfc9112-3.2-missing-host" in failed and int(suite.get("failures")) == len(failed)
    missing_host = next(c for c in cases if c.get("name") == "rfc9112-3.2-missing-host").find("failure")
    assert missing_host.get("message").startswith("MUST RFC 9112 §3.2: answered 200 OK")
    assert len([c for c in cases if c.find("skipped") is not None]) == int(suite.get("skipped"))
    assert code == 1


def test_only_runs_the_checks_with_the_prefix(small):
    found, _ = results(small(careful).url, "--only", "rfc9112-6.3")
    assert found and all(i.startswith("rfc9112-6.3") for i in found)
    code, _, err, _ = check(small(careful).url, "--only", "no-such-check")
    assert code == 2 and "no check id starts with no-such-check" in err


def test_targets_writes_one_row_per_server(small, tmp_path):
    a, b = small(textbook), small(careful)
    listing = tmp_path / "class.txt"
    listing.write_text(f"# the class\n{a.url}\n\n{b.url}\n")
    r = subprocess.run([str(WIREPAD), "check", "--targets", str(listing), "--only", "rfc9112-3.2-"],
                       capture_output=True, timeout=60)
    rows = [l for l in r.stdout.decode().splitlines() if l.startswith("| http")]
    assert [row.split(" | ")[0] for row in rows] == [f"| {a.url}", f"| {b.url}"]
    assert rows[0].split(" | ")[1] == "3" and rows[1].split(" | ")[1] == "0", rows
    assert r.returncode == 1


# ---- safety, exit codes and bounds (the suite's speed is in benches/check.py) ----


def test_a_public_address_is_refused_without_public():
    # A literal address: refused before any lookup or connection.
    code, _, err, seconds = check("http://93.184.215.14/")
    assert code == 2 and "--public" in err and seconds < 5


def test_usage_and_connection_errors_exit_2():
    assert check("https://127.0.0.1/")[0] == 2
    assert check("http://169.254.169.254/")[0] == 2
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: refused
        code, _, err, _ = check(f"http://127.0.0.1:{port}/")
    assert code == 2 and "cannot connect" in err


def test_a_server_that_never_answers_is_bounded_by_the_timeout():
    # It accepts every connection and never reads or writes.
    listener = socket.create_server(("127.0.0.1", 0), backlog=256)
    held = []
    stop = threading.Event()

    def hold():
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=hold, daemon=True).start()
    try:
        port = listener.getsockname()[1]
        code, out, _, seconds = check(f"http://127.0.0.1:{port}/", "--timeout", "300", "--json")
        found = json.loads(out)
        # Each check waits at most three times its timeout, plus its pauses; 16 run at once.
        assert seconds < 10
        assert {o["verdict"] for o in found} <= {"fail", "warn", "skip"}
        assert next(o for o in found if o["id"] == "rfc9110-9.3.1-get")["why"] == "no response within 300 ms"
        assert code == 1
    finally:
        stop.set()
        listener.close()
        for c in held:
            c.close()
