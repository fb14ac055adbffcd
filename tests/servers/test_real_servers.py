"""wirepad's parser against the raw bytes of real servers, checked against h11.

Each exchange is sent over a plain socket to a server on loopback; the bytes
that come back are parsed by `wirepad parse --json --request REQFILE` and by
h11, and the messages must agree: status, reason, headers (with their case),
de-framed bodies and trailers.
"""
import base64
import gzip

import h11
import pytest

from conftest import FUTURE, INDEX_HTML, TEXT, Req, check, get, header, statuses, wirepad_json

# ---- nginx ------------------------------------------------------------------


def test_nginx_static_file(nginx, tmp_path):
    r = check(nginx, [get("/index.html", close=True)], tmp_path)
    assert base64.b64decode(r["messages"][0]["body_b64"]) == INDEX_HTML
    assert r["messages"][0]["framing"] == "length"


def test_nginx_head_then_get_keep_alive(nginx, tmp_path):
    r = check(nginx, [get("/index.html", method="HEAD"), get("/index.html", close=True)], tmp_path)
    assert statuses(r) == [200, 200]
    head, full = r["messages"]
    assert header(head, "Content-Length") == str(len(INDEX_HTML))
    assert head["body_b64"] == "" and head["framing"] == "none"
    assert base64.b64decode(full["body_b64"]) == INDEX_HTML


def test_nginx_gzip_is_chunked_and_decoded(nginx, tmp_path):
    r = check(nginx, [get("/text.txt", ("Accept-Encoding", "gzip"), close=True)], tmp_path)
    m = r["messages"][0]
    assert m["framing"] == "chunked" and header(m, "Content-Encoding") == "gzip"
    assert base64.b64decode(m["decoded_b64"]) == TEXT
    assert gzip.decompress(base64.b64decode(m["body_b64"])) == TEXT
    assert "chunk-size" in {s["kind"] for s in r["spans"]}


def test_nginx_redirect_no_content_not_modified_pipelined(nginx, tmp_path):
    requests = [
        get("/redirect"),
        get("/nocontent"),
        get("/index.html", ("If-Modified-Since", FUTURE)),
        get("/missing", close=True),
    ]
    r = check(nginx, requests, tmp_path)
    assert statuses(r) == [301, 204, 304, 404]
    assert header(r["messages"][0], "Location").endswith("/index.html")


# ---- Python http.server ---------------------------------------------------


def test_python_static_and_head(python_server, tmp_path):
    r = check(python_server, [get("/index.html", method="HEAD"), get("/index.html", close=True)], tmp_path)
    assert statuses(r) == [200, 200]
    assert base64.b64decode(r["messages"][1]["body_b64"]) == INDEX_HTML


def test_python_redirect_not_modified_and_404(python_server, tmp_path):
    requests = [get("/dir"), get("/index.html", ("If-Modified-Since", FUTURE)), get("/nope", close=True)]
    r = check(python_server, requests, tmp_path)
    assert statuses(r) == [301, 304, 404]
    assert header(r["messages"][0], "Location") == "/dir/"


def test_python_100_continue(python_server, tmp_path):
    post = get("/upload", ("Expect", "100-continue"), ("Content-Length", "5"), method="POST", close=True, body=b"hello")
    r = check(python_server, [post], tmp_path, wait_for_continue=True)
    assert statuses(r)[0] == 100
    assert statuses(r)[-1] == 501


# ---- Node.js http -----------------------------------------------------------


def test_node_chunked_and_trailers(node_server, tmp_path):
    r = check(node_server, [get("/chunked"), get("/trailers", ("TE", "trailers"), close=True)], tmp_path)
    chunked, trailers = r["messages"]
    assert base64.b64decode(chunked["body_b64"]) == b"first chunk\nsecond chunk, a little longer\nlast words\n"
    assert trailers["trailers"] == [["X-Checksum", "abc123"]]
    assert sum(s["kind"] == "chunk-data" for s in r["spans"]) >= 4


def test_node_gzip_and_brotli_are_decoded(node_server, tmp_path):
    r = check(node_server, [get("/gzip"), get("/br", close=True)], tmp_path)
    assert base64.b64decode(r["messages"][0]["decoded_b64"]) == b"hello from gzip\n" * 20
    assert base64.b64decode(r["messages"][1]["decoded_b64"]) == b"hello from brotli\n" * 20


def test_node_204_304_redirect_keep_alive(node_server, tmp_path):
    requests = [get("/nocontent"), get("/notmodified"), get("/redirect"), get("/", close=True)]
    r = check(node_server, requests, tmp_path)
    assert statuses(r) == [204, 304, 302, 200]


def test_node_100_continue_echo(node_server, tmp_path):
    post = get("/echo", ("Expect", "100-continue"), ("Content-Length", "11"), method="POST", close=True, body=b"hello wire!")
    r = check(node_server, [post], tmp_path, wait_for_continue=True)
    assert statuses(r) == [100, 200]
    assert base64.b64decode(r["messages"][1]["body_b64"]) == b"hello wire!"


# ---- the requests themselves, against h11 as a server --------------------


@pytest.mark.parametrize(
    "req",
    [
        get("/"),
        get("/search?q=wire&lang=en", ("Accept", "*/*")),
        get("/form", ("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", "9"), method="POST", body=b"q=1&r=two"),
    ],
)
def test_requests_read_the_same_as_h11_reads_them(req, tmp_path):
    conn = h11.Connection(our_role=h11.SERVER)
    conn.receive_data(req.bytes())
    ev = conn.next_event()
    body = b""
    while True:
        nxt = conn.next_event()
        if isinstance(nxt, h11.Data):
            body += nxt.data
        else:
            break
    report = wirepad_json(req.bytes(), "--kind", "request", tmp_path=tmp_path)
    (m,) = report["messages"]
    assert m["method"] == ev.method.decode()
    assert m["target"] == ev.target.decode()
    assert m["headers"] == [[n.decode(), v.decode()] for n, v in ev.headers.raw_items()]
    assert base64.b64decode(m["body_b64"]) == body
