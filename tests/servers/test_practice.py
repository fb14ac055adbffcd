"""The practice server that `wirepad serve` runs, endpoint by endpoint: each
answer is parsed by wirepad and by h11, and must agree and be clean."""
import base64
import gzip
import socket
import time

from conftest import Req, check, exchange, get, header, statuses, wirepad_json


def test_every_endpoint_answers_cleanly(relay_factory, tmp_path):
    port = relay_factory().practice
    requests = [get(p) for p in ["/", "/chunked", "/trailers", "/gzip", "/redirect", "/status/404", "/status/204", "/headers", "/large?bytes=100000"]]
    requests[2] = get("/trailers", ("TE", "trailers"))  # hyper sends trailers only to clients that say they take them
    requests.append(get("/status/304", close=True))
    r = check(port, requests, tmp_path)
    assert statuses(r) == [200, 200, 200, 200, 302, 404, 204, 200, 200, 304]
    index, chunked, trailers, gz, redirect, _, _, many, large, _ = r["messages"]
    assert b"practice server" in base64.b64decode(index["body_b64"])
    assert chunked["framing"] == "chunked" and sum(s["kind"] == "chunk-data" and s["message"] == 1 for s in r["spans"]) == 3
    assert trailers["trailers"] == [["x-checksum", "sha256-not-really"]]
    assert b"gzip" in gzip.decompress(base64.b64decode(gz["body_b64"]))
    assert base64.b64decode(gz["decoded_b64"]) == gzip.decompress(base64.b64decode(gz["body_b64"]))
    assert header(redirect, "location") == "/"
    assert len(many["headers"]) > 60
    assert len(base64.b64decode(large["body_b64"])) == 100000


def test_echo_answers_with_the_exact_request_bytes(relay_factory, tmp_path):
    port = relay_factory().practice
    first = Req("POST", "/echo", [("Host", "practice"), ("X-Odd-CASE", "kept  as is"), ("Content-Length", "5")], b"hello")
    second = Req("GET", "/echo", [("host", "practice"), ("Connection", "close")])
    r = check(port, [first, second], tmp_path)
    assert [base64.b64decode(m["body_b64"]) for m in r["messages"]] == [first.bytes(), second.bytes()]


def test_slow_drips_a_line_every_200_ms(relay_factory):
    port = relay_factory().practice
    started = time.monotonic()
    raw = exchange(port, [get("/slow", close=True)])
    assert time.monotonic() - started >= 1.6
    assert raw.count(b"200 ms apart") == 10


def test_bad_arguments_get_400(relay_factory, tmp_path):
    port = relay_factory().practice
    r = check(port, [get("/status/99"), get("/large?bytes=999999999999", close=True)], tmp_path)
    assert statuses(r) == [400, 400]


# RFC 9112's rules for requests: what the practice server must answer, and
# that it closes the connection after (the framing of what follows is in doubt).
BROKEN = [
    (b"GET / HTTP/1.1\r\n\r\n", 400, "missing-host"),
    (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "multiple-host"),
    (b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, None),  # invalid request line (hyper answers it)
    (b"GET / HTTP/1.1\r\nHost: a\r\nX Y: 1\r\n\r\n", 400, None),  # invalid field name
    (b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, None),
    (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400, None),
    (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "content-length-with-transfer-encoding"),
    (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "invalid-chunk-size"),
    (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\nA\n0\r\n\r\n", 400, "chunked-bare-lf"),
    (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400, None),  # chunked not last: length unknown
    (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: x-pigeons, chunked\r\n\r\n0\r\n\r\n", 501, "unknown-transfer-coding"),
]


def test_requests_the_rfc_rejects_get_the_status_it_names(relay_factory, tmp_path):
    port = relay_factory().practice
    for request, status, code in BROKEN:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(request)
            raw = b""
            while chunk := s.recv(65536):  # the server closes after answering
                raw += chunk
        report = wirepad_json(raw, "--kind", "response", tmp_path=tmp_path)
        assert statuses(report) == [status], (request, raw)
        assert report["verdict"] == "ok" and report["messages"][0]["complete"], report
        if code:
            assert code.encode() in raw, (code, raw)  # the body says which rule, by its code


def test_valid_requests_are_still_served(relay_factory, tmp_path):
    port = relay_factory().practice
    odd_but_valid = Req("GET", "/", [("Host", "practice"), ("X-Folded", "one")])
    r = check(port, [odd_but_valid, get("/status/204", close=True)], tmp_path)
    assert statuses(r) == [200, 204]


def test_a_lenient_server_that_accepts_a_request_without_host_is_flagged(python_server, relay_factory, tmp_path):
    request = b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"
    reqfile = tmp_path / "request"
    reqfile.write_bytes(request)
    for port, flagged in [(python_server, True), (relay_factory().practice, False)]:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(request)
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
        report = wirepad_json(raw, "--request", reqfile, tmp_path=tmp_path)
        found = [d for d in report["diagnostics"] if d["code"] == "accepted-invalid-request"]
        if flagged:
            assert statuses(report) == [200], raw[:60]
            assert found and "to a request without Host; RFC 9112 §3.2 says it must answer 400" in found[0]["message"], found
            assert report["verdict"] == "error"
        else:
            assert statuses(report) == [400] and not found, report["diagnostics"]


def test_each_status_comes_with_the_fields_rfc_9110_asks_of_it(relay_factory, tmp_path):
    """wirepad flags a 401 without WWW-Authenticate, a 405 without Allow, a
    206 or 416 without Content-Range and a redirect without Location: the
    practice server sends none of those, and names itself in Server."""
    port = relay_factory().practice
    codes = [401, 405, 206, 416, 301, 302, 303, 307, 308, 204, 418]
    r = check(port, [get(f"/status/{c}") for c in codes[:-1]] + [get(f"/status/{codes[-1]}", close=True)], tmp_path)
    assert statuses(r) == codes
    assert r["diagnostics"] == [], r["diagnostics"]
    by_code = dict(zip(codes, r["messages"]))
    assert header(by_code[401], "www-authenticate") == 'Basic realm="wirepad practice"'
    assert header(by_code[405], "allow") == "GET, HEAD"
    assert header(by_code[206], "content-range").startswith("bytes 0-")
    assert header(by_code[416], "content-range").startswith("bytes */")
    assert all(header(m, "server").startswith("wirepad-practice/") for m in r["messages"])
