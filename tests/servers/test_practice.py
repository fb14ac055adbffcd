"""The practice server that `wirepad serve` runs, endpoint by endpoint: each
answer is parsed by wirepad and by h11, and must agree and be clean."""
import base64
import gzip
import time

from conftest import Req, check, exchange, get, header, statuses


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
