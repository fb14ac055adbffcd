"""The practice server that `wirepad serve` runs, endpoint by endpoint: each
answer is parsed by wirepad and by h11, and must agree and be clean.

h11 refuses none of the practice server's responses: every status of
/status/N and every method on every path is read alike by both
(test_h11_frames_every_status_...). What h11 cannot do is be the client of
some exchanges: it sends only valid HTTP/1.1 ("I only send HTTP/1.1" for an
HTTP/1.0 request; no request without Host or with a broken line or field;
no body announced and never sent). The answers to those (the 400s and 501
for broken requests, HTTP/1.0, 413 before a 100) are read by h11 as the
answer to a valid stand-in request, which RFC 9112 §6.3 frames the same
way: conftest.h11_stand_in."""
import base64
import gzip
import json
import socket
import time
from email.utils import parsedate_to_datetime

from conftest import ROOT, Req, check, exchange, get, h11_stand_in, header, statuses, wirepad_json, wirepad_responses


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


def test_status_answers_unconditionally_and_says_so_and_no_lesson_takes_it_for_a_conditional_get(relay_factory, tmp_path):
    """Issue 24: the 304 lesson sent students to /status/304, which answers
    304 whatever the request says, and so taught that the server compares
    nothing. /status/N stays httpbin's (that status, unconditionally), the
    home page says so in words, and no lesson sends a conditional request to
    it: the documents, /etag and /scratch evaluate validators."""
    port = relay_factory().practice
    r = check(port, [get("/status/304", ("If-None-Match", '"any"')), get("/status/304"), get("/", close=True)], tmp_path)
    assert statuses(r) == [304, 304, 200]
    home = base64.b64decode(r["messages"][2]["body_b64"]).decode()
    assert "that status, unconditionally, as httpbin's /status does. /status/304 answers 304 to any request" in home
    assert "compares nothing" in home and "evaluate them too" in home
    conditional = ("if-none-match:", "if-modified-since:", "if-match:", "if-unmodified-since:", "if-range:")
    lessons = sorted((ROOT / "www" / "lessons").glob("*.json"))
    assert len(lessons) > 10
    for path in lessons:
        if path.name == "index.json":
            continue
        for step in json.loads(path.read_text())["steps"]:
            text = step.get("request", {}).get("text", "")
            if any(c in text.lower() for c in conditional):
                assert " /status/" not in text.split("\r\n")[0], (path.name, text)


PATHS = [
    "/", "/echo", "/chunked", "/trailers", "/gzip", "/slow", "/redirect", "/large?bytes=1000", "/headers", "/etag/v1",
    "/basic-auth/student/secret", "/digest-auth/student/secret", "/code?student=ann", "/code/check?student=ann&code=1",
    "/cookies", "/cookies/set?a=b", "/visits", "/redirect/2", "/long", "/scratch/h11", "/form", "/hello", "/page",
    "/style.css", "/logo.png", "/dot.gif", "/whoami", "/nothing-here",
]


def test_h11_frames_every_status_and_every_method_on_every_path_as_wirepad_does(relay_factory, tmp_path):
    """Issue 24 asks for every response's framing checked by h11. Every
    /status/N (200-599) to GET and HEAD, and every path to GET, HEAD, OPTIONS,
    DELETE, POST and PUT (and images.practice's), pipelined on kept-alive
    connections: h11 reads each response as wirepad does, and none is
    refused. (The answers to requests h11 cannot send, HTTP/1.0 and broken
    ones, are read with h11_stand_in in the tests of those.)"""
    port = relay_factory().practice
    with_body = lambda t, m: get(t, ("Content-Length", "3"), method=m, body=b"x=1")
    reqs = [get(f"/status/{c}", method=m) for c in range(200, 600) for m in ("GET", "HEAD")]
    reqs += [get(p, method=m) for p in PATHS for m in ("GET", "HEAD", "OPTIONS", "DELETE")]
    reqs += [with_body(p, m) for p in PATHS for m in ("POST", "PUT")]
    reqs += [Req(m, p, [("Host", "images.practice")]) for p in ("/cat.png", "/dog.png", "/x") for m in ("GET", "HEAD")]
    answered = 0
    for i in range(0, len(reqs), 50):
        batch = reqs[i:i + 50]
        last = batch[-1]
        batch[-1] = Req(last.method, last.target, last.headers + [("Connection", "close")], last.body)
        r = check(port, batch, tmp_path)  # wirepad and h11 agree, message by message, and all is clean
        assert len([m for m in r["messages"] if m["status"] >= 200]) == len(batch)
        answered += len(batch)
    assert answered == len(reqs) > 900


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
        # h11 cannot send these requests; it reads the answers as a valid
        # request's (see h11_stand_in) and frames them as wirepad does.
        assert wirepad_responses(report) == h11_stand_in(raw, request.split(b" ")[0].decode()), raw
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
        assert wirepad_responses(report) == h11_stand_in(raw), raw
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


def curl(*args):
    """Runs curl (a client we did not write); returns its output as text."""
    import subprocess
    r = subprocess.run(["curl", "-s", "-i", "--max-time", "10", *args], capture_output=True, timeout=20)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode("latin-1")


def status_of(text):
    return int(text.split("\r\n", 1)[0].split()[1])


def test_conditional_get_compares_validators(relay_factory, tmp_path):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    tags = tmp_path / "etags"
    first = curl("--etag-save", str(tags), url)
    assert status_of(first) == 200
    assert "etag: \"" in first.lower() and "last-modified: " in first.lower() and "cache-control: max-age=60" in first.lower()
    # Expires says the same freshness as max-age: 60 s after Date.
    fields = dict(l.split(": ", 1) for l in first.split("\r\n\r\n")[0].split("\r\n")[1:])
    fields = {k.lower(): v for k, v in fields.items()}
    fresh = parsedate_to_datetime(fields["expires"]) - parsedate_to_datetime(fields["date"])
    assert 59 <= fresh.total_seconds() <= 61, fields
    # The same validator: 304, no body, the validators repeated.
    again = curl("--etag-compare", str(tags), url)
    assert status_of(again) == 304 and again.lower().count("etag:") == 1 and again.endswith("\r\n\r\n")
    # A stale validator, or none: the document itself.
    assert status_of(curl("-H", 'If-None-Match: "v0"', url)) == 200
    assert status_of(curl(url)) == 200
    # If-Modified-Since: not modified since the server started; modified since long before.
    modified = next(l.split(": ", 1)[1] for l in first.split("\r\n") if l.lower().startswith("last-modified:"))
    assert status_of(curl("-z", modified, url)) == 304
    assert status_of(curl("-z", "Sat, 01 Jan 2000 00:00:00 GMT", url)) == 200
    # The framing of both answers, checked by wirepad and h11.
    etag = next(l.split(": ", 1)[1] for l in first.split("\r\n") if l.lower().startswith("etag:"))
    r = check(port, [get("/", ("If-None-Match", etag)), get("/", ("If-None-Match", '"v0"'), close=True)], tmp_path)
    assert statuses(r) == [304, 200]


def test_entity_tags_answer_if_match_and_if_none_match(relay_factory, tmp_path):
    port = relay_factory().practice
    r = check(port, [get("/etag/v1", ("If-None-Match", 'W/"v1"')), get("/etag/v1", ("If-Match", '"v2"')), get("/etag/v1", ("If-Match", '"v1"'), close=True)], tmp_path)
    assert statuses(r) == [304, 412, 200]
    assert all(header(m, "etag") == '"v1"' for m in r["messages"])


def test_basic_authentication_with_curl(relay_factory, tmp_path):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/basic-auth/student/secret"
    refused = curl(url)
    assert status_of(refused) == 401 and 'www-authenticate: basic realm="wirepad practice"' in refused.lower()
    assert status_of(curl("-u", "student:wrong", url)) == 401
    assert status_of(curl("-u", "student:secret", url)) == 200
    r = check(port, [get("/basic-auth/student/secret", ("Authorization", "Basic c3R1ZGVudDpzZWNyZXQ="), close=True)], tmp_path)
    assert statuses(r) == [200]


def test_cookies_with_curls_cookie_jar(relay_factory, tmp_path):
    port = relay_factory().practice
    jar = tmp_path / "jar"
    base = f"http://127.0.0.1:{port}"
    set_ = curl("-c", str(jar), f"{base}/cookies/set?flavour=oat")
    assert "set-cookie: flavour=oat; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax" in set_
    assert "flavour = oat" in curl("-b", str(jar), f"{base}/cookies")
    assert "first visit" in curl("-b", str(jar), "-c", str(jar), f"{base}/visits")
    assert "Visit number 2" in curl("-b", str(jar), "-c", str(jar), f"{base}/visits")


def test_options_and_405_name_the_allowed_methods(relay_factory, tmp_path):
    port = relay_factory().practice
    r = check(port, [get("/", method="OPTIONS"), get("/", method="DELETE"), get("/whoami", close=True)], tmp_path)
    assert statuses(r) == [200, 405, 200]
    assert header(r["messages"][0], "allow") == "GET, HEAD, OPTIONS" == header(r["messages"][1], "allow")
    assert b"127.0.0.1:" in base64.b64decode(r["messages"][2]["body_b64"])


def test_an_http10_request_is_answered_in_http11_and_the_server_closes(relay_factory, tmp_path):
    port = relay_factory().practice
    out = curl("--http1.0", f"http://127.0.0.1:{port}/")
    assert out.startswith("HTTP/1.1 200 OK\r\n"), out[:40]
    assert "connection: close" in out.lower()
    # On a bare socket, a streamed body: framed by the end of the connection
    # (HTTP/1.0 has no chunked), which the server closes after the response.
    raw_10 = exchange_raw(port, b"GET /chunked HTTP/1.0\r\nHost: practice\r\n\r\n")
    assert raw_10.startswith(b"HTTP/1.1 200 OK\r\n")
    report = wirepad_json(raw_10, tmp_path=tmp_path)
    assert report["verdict"] == "ok" and report["messages"][0]["framing"] == "close", report["messages"][0]["framing"]
    # h11 sends no HTTP/1.0 request; the answer frames as the answer to a 1.1 one with Connection: close.
    assert wirepad_responses(report) == h11_stand_in(raw_10, "GET", "/chunked")


def exchange_raw(port, request, timeout=10.0):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        received = b""
        while chunk := s.recv(65536):
            received += chunk
    return received


def test_keep_alive_is_stated_and_an_idle_connection_is_closed_by_the_server(relay_factory):
    port = relay_factory().practice
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: practice\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            head += s.recv(65536)
        assert b"keep-alive: timeout=5, max=99" in head.lower(), head
        started = time.monotonic()
        # Read the rest of the body, then nothing more comes: the server closes the idle connection.
        while s.recv(65536):
            pass
        assert time.monotonic() - started < 15


def test_ranges_with_curl(relay_factory, tmp_path):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    whole = curl(url)
    body = whole.split("\r\n\r\n", 1)[1]
    assert "accept-ranges: bytes" in whole.lower()
    one = curl("-r", "0-14", url)
    assert status_of(one) == 206 and one.split("\r\n\r\n", 1)[1] == body[:15]
    assert f"content-range: bytes 0-14/{len(body)}" in one.lower()
    last = curl("-r", "-10", url)
    assert last.split("\r\n\r\n", 1)[1] == body[-10:]
    several = curl("-r", "0-4,10-14", url)
    assert status_of(several) == 206 and "content-type: multipart/byteranges; boundary=" in several.lower()
    assert f"Content-Range: bytes 10-14/{len(body)}\r\n\r\n{body[10:15]}\r\n" in several
    past = curl("-r", f"{len(body) + 10}-", url)
    assert status_of(past) == 416 and f"content-range: bytes */{len(body)}" in past.lower()
    # If-Range with a validator that is not the current one: the whole document.
    stale = curl("-r", "0-4", "-H", 'If-Range: "stale"', url)
    assert status_of(stale) == 200
    # Every one of these framed as h11 and wirepad read it, and clean.
    r = check(port, [get("/", ("Range", "bytes=0-4")), get("/", ("Range", "bytes=0-4,10-14")), get("/", ("Range", "bytes=99999-"), close=True)], tmp_path)
    assert statuses(r) == [206, 206, 416]


def test_a_redirect_chain_with_relative_locations_followed_by_curl(relay_factory, tmp_path):
    port = relay_factory().practice
    out = curl("-L", f"http://127.0.0.1:{port}/redirect/3?status=307")
    assert [status_of(part) for part in out.split("\r\n\r\n") if part.startswith("HTTP/")] == [307, 307, 307, 200]
    assert "location: 2?status=307" in out.lower() and "location: 1?status=307" in out.lower()
    r = check(port, [get(f"/redirect/2?status={s}") for s in (301, 302, 303, 308)] + [get("/redirect/1", close=True)], tmp_path)
    assert statuses(r) == [301, 302, 303, 308, 302]
    assert r["diagnostics"] == []


def test_the_long_document_arrives_in_pieces(relay_factory):
    """/long is a few KB written in six pieces 150 ms apart (issue 24): the
    reads are visible. A read is whatever one recv got, so the test counts
    what it can be sure of: the pauses make the body arrive in several reads,
    and the last piece comes at least 5 x 150 ms after the first (a busy
    machine only makes that longer, and only joins reads, never splits fewer)."""
    port = relay_factory().practice
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /long HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n")
        reads = [s.recv(65536)]
        first = time.monotonic()
        while chunk := s.recv(65536):
            reads.append(chunk)
        spread = time.monotonic() - first
    data = b"".join(reads)
    head, body = data.split(b"\r\n\r\n", 1)
    assert body.startswith(b"Alice's Adventures in Wonderland, by Lewis Carroll (1865)\n")
    assert b"Alice was beginning to get very tired" in body and body.endswith(b"and the fall was over.\n")
    body.decode("ascii")  # plain text, one byte a character
    length = int(next(l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")).split(b":")[1])
    assert len(body) == length and 4000 <= length <= 6000, length
    # The body did not come in one read: at least the pauses show.
    assert len(reads) >= 3, f"the body arrived in {len(reads)} reads: {[len(r) for r in reads]}"
    assert len(reads[0]) < len(data) - 4000, "the first read has the head and the first piece, not the document"
    assert spread >= 0.74, f"written in six pieces, with pauses between them ({spread:.3f} s)"


def test_expect_100_continue_gets_the_interim_response_first(relay_factory, tmp_path):
    port = relay_factory().practice
    out = curl("-H", "Expect: 100-continue", "--data-binary", "hello", f"http://127.0.0.1:{port}/echo")
    assert out.startswith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), out[:80]
    req = Req("POST", "/echo", [("Host", "practice"), ("Expect", "100-continue"), ("Content-Length", "5"), ("Connection", "close")], b"hello")
    r = check(port, [req], tmp_path, wait_for_continue=True)
    assert statuses(r) == [100, 200]


def test_a_scratch_resource_written_with_put_and_delete_and_412_for_a_stale_copy(relay_factory, tmp_path):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/scratch/notes"
    assert status_of(curl(url)) == 404
    created = curl("-X", "PUT", "--data-binary", "first draft", url)
    assert status_of(created) == 201 and "location: /scratch/notes" in created.lower()
    tag = next(l.split(": ", 1)[1] for l in created.split("\r\n") if l.lower().startswith("etag:"))
    assert curl(url).endswith("\r\n\r\nfirst draft")
    # A write conditional on the copy the client has: it holds, then it does not.
    assert status_of(curl("-X", "PUT", "-H", f"If-Match: {tag}", "--data-binary", "second draft", url)) == 204
    stale = curl("-X", "PUT", "-H", f"If-Match: {tag}", "--data-binary", "my edit of the first draft", url)
    assert status_of(stale) == 412 and "changed since the copy you named" in stale
    assert curl(url).endswith("\r\n\r\nsecond draft"), "the stale edit was not written"
    assert status_of(curl("-X", "DELETE", url)) == 204
    assert status_of(curl(url)) == 404
    r = check(port, [Req("PUT", "/scratch/x", [("Host", "practice"), ("Content-Length", "2")], b"hi"), get("/scratch/x", method="DELETE", close=True)], tmp_path)
    assert statuses(r) == [201, 204]


def test_a_posted_form_is_echoed_as_its_decoded_fields(relay_factory):
    port = relay_factory().practice
    out = curl("--data-urlencode", "name=Ada Lovelace", "--data-urlencode", "language=Rust & C", f"http://127.0.0.1:{port}/form")
    assert status_of(out) == 200
    assert "name = Ada Lovelace\n" in out and "language = Rust & C\n" in out
    refused = curl("-H", "Content-Type: text/plain", "--data-binary", "x", f"http://127.0.0.1:{port}/form")
    assert status_of(refused) == 415


def test_accept_language_chooses_and_says_so(relay_factory, tmp_path):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/hello"
    fr = curl("-H", "Accept-Language: de;q=0.5, fr-CH, en;q=0.1", url)
    assert fr.endswith("Bonjour !\n") and "content-language: fr" in fr.lower() and "vary: accept-language" in fr.lower()
    assert curl("-H", "Accept-Language: de, fr;q=0", url).endswith("Hallo!\n")
    assert curl(url).endswith("Hello!\n")


def test_accept_encoding_chooses_a_coding_with_its_own_entity_tag(relay_factory, tmp_path):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    plain, gz = curl(url), curl("--compressed", url)
    assert "content-encoding: gzip" in gz.lower() and "vary: accept-encoding" in gz.lower() and "content-encoding" not in plain.lower()
    assert gz.split("\r\n\r\n", 1)[1] == plain.split("\r\n\r\n", 1)[1], "curl undid the coding: the same document"
    etag = lambda out: next(l.split(": ", 1)[1] for l in out.split("\r\n") if l.lower().startswith("etag:"))
    assert etag(plain) != etag(gz), "each coding is a representation of its own"
    r = check(port, [get("/", ("Accept-Encoding", "deflate;q=0.9, gzip;q=0.5")), get("/", ("Accept-Encoding", "x-pigeons, gzip;q=0"), close=True)], tmp_path)
    assert [header(m, "content-encoding") for m in r["messages"]] == ["deflate", None]
    assert base64.b64decode(r["messages"][0]["decoded_b64"]) == base64.b64decode(r["messages"][1]["body_b64"])


def test_a_web_page_is_many_requests_on_two_virtual_hosts(relay_factory, tmp_path):
    import re
    port = relay_factory().practice
    page = check(port, [get("/page", close=True)], tmp_path)
    html = base64.b64decode(page["messages"][0]["body_b64"]).decode()
    objects = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert objects == ["/style.css", "/logo.png", "http://images.practice/cat.png", "http://images.practice/dog.png", "/dot.gif"]
    # What a browser would send for each: the host from the URL (or the page's), the path.
    requests = []
    for url in objects:
        host, path = ("images.practice", url.split("images.practice", 1)[1]) if url.startswith("http://") else ("practice", url)
        requests.append(Req("GET", path, [("Host", host)]))
    requests.append(Req("GET", "/page", [("Host", "images.practice"), ("Connection", "close")]))
    r = check(port, requests, tmp_path)
    assert statuses(r) == [200, 200, 200, 200, 200, 404]
    bodies = [base64.b64decode(m["body_b64"]) for m in r["messages"]]
    assert [header(m, "content-type") for m in r["messages"][:5]] == ["text/css; charset=utf-8", "image/png", "image/png", "image/png", "image/gif"]
    assert all(b.startswith(b"\x89PNG\r\n\x1a\n") for b in bodies[1:4]) and bodies[4].startswith(b"GIF89a")
    assert b"images.practice has /cat.png" in bodies[5], "the Host field chose the other site"


def test_digest_authentication_with_curl(relay_factory):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/digest-auth/student/secret"
    challenge = curl(url)
    assert status_of(challenge) == 401 and "www-authenticate: digest realm=\"wirepad practice\", qop=\"auth\", algorithm=sha-256" in challenge.lower()
    answered = curl("--digest", "-u", "student:secret", url)
    assert answered.count("HTTP/1.1 401") == 1 and answered.rstrip().endswith("without sending it."), answered[-200:]
    import subprocess
    sent = subprocess.run(["curl", "-s", "-v", "--digest", "-u", "student:secret", url], capture_output=True, timeout=20).stderr.decode()
    authorization = [l for l in sent.splitlines() if l.lower().startswith("> authorization: digest")]
    # (The target names the password, as httpbin's does; the credentials carry only a hash.)
    credentials = authorization[0].replace('uri="/digest-auth/student/secret"', "") if authorization else ""
    assert credentials and "response=" in credentials and "secret" not in credentials, "the password never crosses the wire"
    wrong = curl("--digest", "-u", "student:guess", url)
    assert wrong.count("HTTP/1.1 401") == 2


def test_a_code_personal_to_each_student_and_its_check(relay_factory):
    port = relay_factory().practice
    base = f"http://127.0.0.1:{port}"
    ada = next(l.split(": ", 1)[1] for l in curl(f"{base}/code?student=ada").split("\r\n") if l.lower().startswith("x-student-code:"))
    bob = next(l.split(": ", 1)[1] for l in curl(f"{base}/code?student=bob").split("\r\n") if l.lower().startswith("x-student-code:"))
    assert len(ada) == 8 and ada != bob
    assert "x-code-check: right" in curl(f"{base}/code/check?student=ada&code={ada}").lower()
    assert "x-code-check: wrong" in curl(f"{base}/code/check?student=bob&code={ada}").lower()


def test_the_teachers_page_checks_a_code_with_the_practice_servers_key(relay_factory):
    relay = relay_factory()
    ada = next(l.split(": ", 1)[1] for l in curl(f"http://127.0.0.1:{relay.practice}/code?student=Ada%20L").split("\r\n") if l.lower().startswith("x-student-code:"))
    check = lambda q: json.loads(body_of(curl(f"http://127.0.0.1:{relay.port}/code-check?{q}")))
    assert check(f"student=Ada%20L&code={ada}") == {"student": "Ada L", "right": True}
    assert check(f"student=Ada%20L&code=%20{ada.upper()}%20")["right"] is True, "any case, spaces around"
    assert check(f"student=Bob&code={ada}")["right"] is False
    assert "error" in check("student=Bob")
    # Another server run has another key: the code is not right there.
    other = relay_factory()
    assert json.loads(body_of(curl(f"http://127.0.0.1:{other.port}/code-check?student=Ada%20L&code={ada}")))["right"] is False
    # Without a practice server there is nothing to check against.
    alone = relay_factory("--no-practice")
    assert status_of(curl(f"http://127.0.0.1:{alone.port}/code-check?student=Ada&code={ada}")) == 404


def body_of(text):
    return text.split("\r\n\r\n", 1)[1]


def field(text, name):
    return next((l.split(": ", 1)[1] for l in text.split("\r\n") if l.lower().startswith(name.lower() + ":")), None)


def test_a_range_is_bounded_and_for_get_only(relay_factory, tmp_path):
    """RFC 9110 §14.2: a server may ignore a Range of many or overlapping
    ranges (this one: more than 8, or any two overlapping), and ignores Range
    on a method it does not define range handling for (HEAD)."""
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    whole = body_of(curl(url))
    eight = ",".join(f"{2 * i}-{2 * i}" for i in range(8))
    nine = ",".join(f"{2 * i}-{2 * i}" for i in range(9))
    assert status_of(curl("-r", eight, url)) == 206
    many = curl("-r", nine, url)
    assert status_of(many) == 200 and body_of(many) == whole and "content-range" not in many.lower()
    overlapping = curl("-r", "0-10,5-15", url)
    assert status_of(overlapping) == 200 and body_of(overlapping) == whole
    head = curl("-I", "-r", "0-4", url)
    assert status_of(head) == 200 and "content-range" not in head.lower()
    assert field(head, "content-length") == str(len(whole))
    r = check(port, [get("/", ("Range", "bytes=0-4"), method="HEAD"), get("/", ("Range", f"bytes={nine}")), get("/", ("Range", "bytes=0-4"), close=True)], tmp_path)
    assert statuses(r) == [200, 200, 206]


def lesson_requests(lesson_id, run):
    """The requests of a lesson's steps, `{run}` replaced as the page replaces
    it (docs/formats.md), each as the Req whose bytes are the step's."""
    lesson = json.loads((ROOT / "www" / "lessons" / f"{lesson_id}.json").read_text())
    out = []
    for step in lesson["steps"]:
        if "request" not in step:
            continue
        raw = step["request"]["text"].replace("{run}", run).encode("latin-1")
        head, body = raw.split(b"\r\n\r\n", 1)
        line, *fields = head.decode("latin-1").split("\r\n")
        method, target, _ = line.split(" ")
        req = Req(method, target, [tuple(f.split(": ", 1)) for f in fields], body)
        assert req.bytes() == raw, "the step's bytes, exactly"
        out.append((step, req))
    return out


def test_the_caching_lesson_is_true_however_many_times_it_is_run(relay_factory, tmp_path):
    """Issue 24: the caching lesson's PUT got 204 instead of 201 on a re-run
    or a shared practice server, and its "stale" copy was a made-up tag. Now
    each run writes a resource of its own (`{run}`), the stale tag is one the
    resource really had, and what the prose says holds on a first run, on a
    second run with a fresh name, and even on a second run with the same name
    (the 201 becomes the 204 the prose announces)."""
    port = relay_factory().practice
    t1, t2 = '"f1716397f3b6e4de"', '"9c895a4247dd2de2"'  # the tags of "first draft" and "second draft"
    for run, created in [("abc123", 201), ("zzz999", 201), ("abc123", 204)]:
        steps = lesson_requests("caching", run)
        reqs = [req for _, req in steps]
        reqs[-1].headers.append(("Connection", "close"))
        r = check(port, reqs, tmp_path)
        assert statuses(r) == [200, 304, created, 204, 412, 304], (run, statuses(r))
        _, _, put, edit, stale, revalidated = r["messages"]
        prose = [step["text"] for step, _ in steps]
        assert header(put, "etag") == t1 and t1 in prose[2] and ("If-Match", t1) in reqs[3].headers
        assert (header(put, "location") == f"/scratch/notes-{run}") == (created == 201)
        assert "204 No Content, no Location, the same tag" in prose[2]
        assert header(edit, "etag") == t2 and ("If-Match", t1) in reqs[4].headers, "the stale tag is one the resource had"
        assert ("If-None-Match", t2) in reqs[5].headers and header(revalidated, "etag") == t2
        assert stale["status"] == 412 and "412" in prose[4]
    # What the prose says of sending a step again, and of the old tag.
    again = lesson_requests("caching", "abc123")
    edit_again = again[3][1]
    revalidate_old = Req("GET", "/scratch/notes-abc123", [("Host", "practice"), ("If-None-Match", t1), ("Connection", "close")])
    r = check(port, [edit_again, revalidate_old], tmp_path)
    assert statuses(r) == [412, 200]
    assert "the second gets 412" in again[3][0]["text"] and "(200)" in again[5][0]["text"]


def test_the_100_continue_lesson_says_what_the_server_does(relay_factory, tmp_path):
    """The 100-continue lesson: its first request gets the interim 100 (no
    content, no framing fields) and then the echo; its last, whose 70,000
    announced bytes are never sent, gets 413 at once, without a 100, and the
    server closes. Each exchange as the page sends it, all its bytes at once."""
    port = relay_factory().practice
    (_, first), (last_step, last) = lesson_requests("continue", "unused")
    first = Req(first.method, first.target, first.headers + [("Connection", "close")], first.body)
    r = check(port, [first], tmp_path)
    assert statuses(r) == [100, 200]
    interim, final = r["messages"]
    assert interim["headers"] == [] and base64.b64decode(interim["body_b64"]) == b""
    assert base64.b64decode(final["body_b64"]) == first.bytes() and header(final, "content-type") == "message/http"
    # And as a client that waits for the 100 before it sends the body.
    assert statuses(check(port, [first], tmp_path, wait_for_continue=True)) == [100, 200]
    raw = exchange(port, [last])  # the server closes: exchange returns
    assert raw.startswith(b"HTTP/1.1 413 Content Too Large\r\n"), raw[:60]
    report = wirepad_json(raw, tmp_path=tmp_path)
    assert statuses(report) == [413] and header(report["messages"][0], "connection") == "close"
    assert wirepad_responses(report) == h11_stand_in(raw, "POST", "/form", body_pending=70000)
    assert "Content-Length: 70000" in last_step["request"]["text"] and "413" in last_step["look"][0]["note"]


def test_scratch_evaluates_every_precondition_in_order(relay_factory, tmp_path):
    """RFC 9110 §13.2.2: If-Match for every method, If-None-Match too (a PUT
    with If-None-Match: * only creates)."""
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/scratch/draft"
    created = curl("-X", "PUT", "-H", "If-None-Match: *", "--data-binary", "mine", url)
    assert status_of(created) == 201
    tag = field(created, "etag")
    again = curl("-X", "PUT", "-H", "If-None-Match: *", "--data-binary", "someone else's", url)
    assert status_of(again) == 412 and "If-None-Match" in again and "§13.1.2" in again
    assert body_of(curl(url)) == "mine", "the refused PUT wrote nothing"
    stale_read = curl("-H", 'If-Match: "stale"', url)
    assert status_of(stale_read) == 412 and "§13.1.1" in stale_read
    cached = curl("-H", f"If-None-Match: {tag}", url)
    assert status_of(cached) == 304 and field(cached, "etag") == tag and field(cached, "last-modified")
    # Python's http.client, a client we did not write, and h11 on the framing.
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/scratch/draft", headers={"If-Match": tag, "If-None-Match": tag})
    reply = conn.getresponse()
    assert reply.status == 304 and reply.read() == b""
    conn.close()
    r = check(port, [get("/scratch/draft", ("If-Match", '"stale"')), get("/scratch/draft", ("If-None-Match", tag)), get("/scratch/draft", ("If-None-Match", "*"), method="DELETE", close=True)], tmp_path)
    assert statuses(r) == [412, 304, 412]


def test_a_field_sent_in_several_lines_is_one_list(relay_factory, tmp_path):
    """RFC 9110 §5.3: the lines of a list field are one comma-separated list."""
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    coded = curl("-H", "Accept-Encoding: x-pigeons", "-H", "Accept-Encoding: gzip", url)
    assert field(coded, "content-encoding") == "gzip"
    tag = field(curl(url), "etag")
    cached = curl("-H", 'If-None-Match: "v0"', "-H", f"If-None-Match: {tag}", url)
    assert status_of(cached) == 304
    r = check(port, [Req("GET", "/", [("Host", "practice"), ("If-None-Match", '"v0"'), ("If-None-Match", tag), ("Connection", "close")])], tmp_path)
    assert statuses(r) == [304]


def digest_answer(challenge, user, password, method, uri, nc="00000001", scheme="Digest"):
    import hashlib
    import re
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge.split(" ", 1)[1]))
    h = lambda s: hashlib.sha256(s.encode()).hexdigest()
    cnonce = "0a4f113b"
    realm, nonce = params["realm"], params["nonce"]
    ha1, ha2 = h(f"{user}:{realm}:{password}"), h(f"{method}:{uri}")
    response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
    return (f'{scheme} username="{user}", realm="{params["realm"]}", nonce="{params["nonce"]}", uri="{uri}", '
            f'algorithm=SHA-256, qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}", opaque="{params["opaque"]}"')


def test_digest_checks_the_target_and_the_nonce_and_schemes_ignore_case(relay_factory, tmp_path):
    import http.client
    port = relay_factory().practice
    path = "/digest-auth/student/secret"

    def ask(authorization=None, target=path):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", target, headers={"Authorization": authorization} if authorization else {})
        reply = conn.getresponse()
        out = (reply.status, reply.getheader("WWW-Authenticate"), reply.read().decode())
        conn.close()
        return out

    _, first, _ = ask()
    _, second, _ = ask()
    assert first != second, "each challenge has a nonce of its own"
    # The answer names another target than the one asked: refused (RFC 7616 §3.4.6).
    status, _, why = ask(digest_answer(first, "student", "secret", "GET", "/digest-auth/student/other"))
    assert status == 400 and "is not this request's target" in why and "RFC 7616 §3.4.6" in why
    # A right answer, with the scheme in capitals (RFC 9110 §11.1); then the same nc again: a replay.
    answer = digest_answer(first, "student", "secret", "GET", path, scheme="DIGEST")
    assert ask(answer)[0] == 200
    status, _, why = ask(answer)
    assert status == 401 and "already used" in why
    assert ask(digest_answer(first, "student", "secret", "GET", path, nc="00000002"))[0] == 200
    # A nonce this server did not make.
    forged = first.replace('nonce="', 'nonce="0')
    assert ask(digest_answer(forged, "student", "secret", "GET", path))[0] == 401
    # Basic's scheme name is case-insensitive too.
    assert ask("BASIC c3R1ZGVudDpzZWNyZXQ=", "/basic-auth/student/secret")[0] == 200
    r = check(port, [get(path, ("Authorization", digest_answer(first, "student", "secret", "GET", "/elsewhere")), close=True)], tmp_path)
    assert statuses(r) == [400]


def test_identity_refused_with_no_acceptable_coding_is_406(relay_factory, tmp_path):
    """RFC 9110 §12.5.3: identity;q=0 (or *;q=0) with no coding the server
    has is answered 406, with why in words; q-values and * are honoured."""
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    refused = curl("-H", "Accept-Encoding: identity;q=0", url)
    assert status_of(refused) == 406 and "refuses the document without a coding" in refused and "§12.5.3" in refused
    assert status_of(curl("-H", "Accept-Encoding: x-pigeons, *;q=0", url)) == 406
    assert field(curl("-H", "Accept-Encoding: identity;q=0, gzip;q=0, *;q=0.3", url), "content-encoding") == "deflate"
    assert field(curl("-H", "Accept-Encoding: gzip;q=0.2, identity;q=0.5", url), "content-encoding") is None
    r = check(port, [get("/", ("Accept-Encoding", "identity;q=0")), get("/", ("Accept-Encoding", "*;q=0, identity"), close=True)], tmp_path)
    assert statuses(r) == [406, 200]
    assert header(r["messages"][0], "vary") == "Accept-Encoding"


def test_br_is_negotiated_and_decoded_by_curl(relay_factory, tmp_path):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    plain, br = curl(url), curl("-H", "Accept-Encoding: br", url)
    assert field(br, "content-encoding") == "br" and field(br, "vary") == "Accept-Encoding"
    assert field(br, "etag") != field(plain, "etag"), "each coding is a representation of its own"
    decoded = curl("--compressed", "-H", "Accept-Encoding: br", url)
    assert field(decoded, "content-encoding") == "br" and body_of(decoded) == body_of(plain), "curl undid br: the same document"
    r = check(port, [get("/", ("Accept-Encoding", "br"), close=True)], tmp_path)
    assert header(r["messages"][0], "content-encoding") == "br"
    assert base64.b64decode(r["messages"][0]["decoded_b64"]) == body_of(plain).encode("latin-1")


def test_a_multipart_form_is_echoed_as_its_fields(relay_factory, tmp_path):
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/form"
    upload = tmp_path / "notes.txt"
    upload.write_text("some notes\n")
    out = curl("-F", "name=Ada Lovelace", "-F", "language=Rust & C", "-F", f"file=@{upload};type=text/plain", url)
    assert status_of(out) == 200, out
    assert "name = Ada Lovelace\n" in out and "language = Rust & C\n" in out
    assert 'file: file "notes.txt", text/plain, 11 bytes\n' in out
    # Still urlencoded; another type 415, saying which it reads.
    assert "name = Ada\n" in curl("--data-urlencode", "name=Ada", url)
    refused = curl("-H", "Content-Type: text/plain", "--data-binary", "x", url)
    assert status_of(refused) == 415 and "multipart/form-data" in field(refused, "accept-post") and "§15.5.16" in refused
    broken = curl("-H", "Content-Type: multipart/form-data; boundary=xyz", "--data-binary", "no parts here", url)
    assert status_of(broken) == 400 and "RFC 7578" in broken
    body = b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n--b--\r\n'
    r = check(port, [Req("POST", "/form", [("Host", "practice"), ("Content-Type", "multipart/form-data; boundary=b"), ("Content-Length", str(len(body))), ("Connection", "close")], body)], tmp_path)
    assert statuses(r) == [200] and b"a = one\n" in base64.b64decode(r["messages"][0]["body_b64"])


def test_every_4xx_says_what_was_wrong_and_cites_the_rule(relay_factory, tmp_path):
    port = relay_factory().practice
    requests = [
        get("/no-such-page"), get("/status/99"), get("/status/404"), get("/large?bytes=x"), get("/etag/a%20b"),
        get("/etag/v1", ("If-Match", '"v2"')), get("/basic-auth/student"), get("/basic-auth/student/secret"),
        get("/digest-auth/student"), get("/digest-auth/student/secret"), get("/code"), get("/code/check"),
        get("/redirect/x"), get("/redirect/1?status=200"), get("/cookies/set"), get("/scratch/a%20b"),
        get("/scratch/nothing-here"), get("/", method="DELETE"), get("/", ("Range", "bytes=99999-")),
        get("/", ("Accept-Encoding", "identity;q=0")), Req("GET", "/x", [("Host", "images.practice")]),
        get("/form", ("Content-Type", "text/plain"), ("Content-Length", "1"), method="POST", body=b"x"),
    ]
    requests.append(get("/", close=True))
    r = check(port, requests, tmp_path)
    assert statuses(r) == [404, 400, 404, 400, 400, 412, 400, 401, 400, 401, 400, 400, 400, 400, 400, 400, 404, 405, 416, 406, 404, 415, 200]
    for req, m in zip(requests, r["messages"][:-1]):
        said = base64.b64decode(m["body_b64"]).decode()
        assert str(m["status"]) in said and "RFC " in said and "§" in said, (req.target, said)


def memory_kb(pid):
    """The server process's resident set now and its peak (VmRSS, VmHWM), in kB."""
    from pathlib import Path
    fields = dict(l.split(":", 1) for l in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in l)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def push_body(port, head, piece, pause=0.0, give_up=20.0):
    """Sends `head`, then `piece` again and again (`pause` seconds apart) from
    a thread of its own, while this one reads what the server answers, until
    the server closes or `give_up` seconds pass. Returns the bytes read, the
    seconds until the answer's head had arrived (None if it never did), and
    how many bytes of the body were sent."""
    import threading
    sent, done = [0], threading.Event()
    s = socket.create_connection(("127.0.0.1", port), timeout=give_up)

    def send():
        try:
            s.sendall(head)
            while not done.is_set():
                s.sendall(piece)
                sent[0] += len(piece)
                if pause:
                    done.wait(pause)
        except OSError:
            pass  # the server closed: it is reading no more

    started = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    received, head_at = b"", None
    try:
        while time.monotonic() - started < give_up:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
            if head_at is None and b"\r\n\r\n" in received:
                head_at = time.monotonic() - started
    except (ConnectionResetError, socket.timeout):
        pass
    finally:
        done.set()
        s.close()
        sender.join(timeout=5)
    return received, head_at, sent[0]


def test_a_request_body_over_the_limit_is_refused_while_it_is_read(relay_factory):
    """A client cannot make the server hold gigabytes: 200 MB announced by
    Content-Length, or chunks that never end, are answered 413 with
    Connection: close as soon as they pass the limit (1 MiB), and the
    server's memory does not grow with them."""
    server = relay_factory()
    port, pid = server.practice, server.proc.pid
    exchange(port, [get("/", close=True)])  # warm: the server has served once
    before, _ = memory_kb(pid)
    block = b"x" * (1 << 20)
    announced = b"POST /echo HTTP/1.1\r\nHost: practice\r\nContent-Type: application/octet-stream\r\nContent-Length: 200000000\r\n\r\n"
    endless = b"POST /echo HTTP/1.1\r\nHost: practice\r\nTransfer-Encoding: chunked\r\n\r\n"
    for head, piece in [(announced, block), (endless, b"%x\r\n" % len(block) + block + b"\r\n")]:
        raw, head_at, sent = push_body(port, head, piece)
        assert raw.startswith(b"HTTP/1.1 413 Content Too Large\r\n"), (head[:40], raw[:200], sent)
        assert head_at < 5, f"413 within a few seconds, not after the whole body ({head_at:.1f} s)"
        text = raw.decode("utf-8", errors="replace")
        assert "connection: close" in text.lower() and "RFC 9110 §15.5.14" in text and "at most 1048576 bytes" in text, text
        assert sent < 150_000_000, f"the server stopped reading ({sent} bytes sent)"
    now, peak = memory_kb(pid)
    assert peak - before < 12_000, f"the server's peak memory grew by {peak - before} kB"
    assert now - before < 12_000, f"the server's memory grew by {now - before} kB"


def test_a_body_over_a_paths_own_limit_gets_413_and_the_connection_closes(relay_factory, tmp_path):
    """/form reads 64 KiB, /scratch 64 KiB, everything else 1 MiB; curl (a
    client we did not write) sends a large body with Expect: 100-continue,
    and gets the 413 instead of the 100."""
    port = relay_factory().practice
    big = tmp_path / "big"
    big.write_bytes(b"a=" + b"x" * (2 << 20))
    out = curl("--data-binary", f"@{big}", f"http://127.0.0.1:{port}/echo")
    assert "100 Continue" not in out and status_of(out) == 413, out[:200]
    assert field(out, "connection") == "close" and "§15.5.14" in out
    for path, size in [("/form", 65 << 10), ("/scratch/big", 65 << 10)]:
        method = "PUT" if path.startswith("/scratch") else "POST"
        body = b"a=" + b"x" * size
        raw, _, _ = push_body(port, f"{method} {path} HTTP/1.1\r\nHost: practice\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n".encode(), b"x" * 4096, give_up=10)
        text = raw.decode("utf-8", errors="replace")
        assert text.startswith("HTTP/1.1 413 ") and "at most 65536 bytes" in text and "connection: close" in text.lower(), text[:300]
    # Under the limit, still served (h11 and wirepad check the framing).
    form = b"a=" + b"x" * (60 << 10)
    r = check(port, [Req("POST", "/form", [("Host", "practice"), ("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(form))), ("Connection", "close")], form)], tmp_path)
    assert statuses(r) == [200]


def test_a_body_that_trickles_is_cut_by_a_time_limit(relay_factory):
    """One byte every half second would take minutes: the server answers 408
    (RFC 9110 §15.5.9) and closes once the body has taken 10 s."""
    port = relay_factory().practice
    head = b"POST /echo HTTP/1.1\r\nHost: practice\r\nContent-Length: 1000\r\n\r\n"
    raw, head_at, sent = push_body(port, head, b"x", pause=0.5, give_up=20)
    assert head_at is not None and head_at < 13, (head_at, sent, raw[:100])
    assert sent < 1000
    text = raw.decode("utf-8", errors="replace")
    assert text.startswith("HTTP/1.1 408 Request Timeout\r\n") and "connection: close" in text.lower() and "§15.5.9" in text, text


def test_every_response_says_what_the_connection_does_next(relay_factory, tmp_path):
    """The lab's paths (OPTIONS and 405, /form, /etag, cookies, /scratch, the
    virtual host...) state Keep-Alive as the others do, and Connection: close
    to an HTTP/1.0 request without keep-alive."""
    port = relay_factory().practice
    form = b"name=Ada"
    requests = [
        get("/", method="OPTIONS"), get("/", method="DELETE"), get("/form"),
        get("/form", ("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(form))), method="POST", body=form),
        get("/etag/v1"), get("/cookies"), get("/hello"), get("/whoami"), get("/scratch/nothing-here"), get("/page"),
        Req("GET", "/cat.png", [("Host", "images.practice")]), get("/basic-auth/student/secret"), get("/redirect/1"),
        get("/chunked", close=True),
    ]
    r = check(port, requests, tmp_path)
    assert statuses(r) == [200, 405, 200, 200, 200, 200, 200, 200, 404, 200, 200, 401, 302, 200]
    said = [header(m, "keep-alive") for m in r["messages"][:-1]]
    assert said == [f"timeout=5, max={99 - i}" for i in range(len(requests) - 1)], list(zip([q.target for q in requests], said))
    assert header(r["messages"][-1], "connection") == "close"
    for target in ["/whoami", "/form", "/etag/v1", "/hello"]:
        raw = exchange_raw(port, f"GET {target} HTTP/1.0\r\nHost: practice\r\n\r\n".encode())
        report = wirepad_json(raw, tmp_path=tmp_path)
        assert statuses(report) == [200] and header(report["messages"][0], "connection") == "close", (target, raw[:300])
        assert wirepad_responses(report) == h11_stand_in(raw, "GET", target)


def test_x_gzip_is_taken_for_gzip(relay_factory, tmp_path):
    """RFC 9110 §8.4.1.3: a recipient SHOULD consider x-gzip to be gzip; the
    response names the coding gzip."""
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    out = curl("-H", "Accept-Encoding: x-gzip", url)
    assert field(out, "content-encoding") == "gzip", out[:300]
    r = check(port, [get("/", ("Accept-Encoding", "x-gzip;q=0.8, deflate;q=0.5")), get("/", close=True)], tmp_path)
    assert [header(m, "content-encoding") for m in r["messages"]] == ["gzip", None]
    assert base64.b64decode(r["messages"][0]["decoded_b64"]) == base64.b64decode(r["messages"][1]["body_b64"])


def test_if_range_with_a_date_compares_dates(relay_factory, tmp_path):
    """RFC 9110 §13.1.5: an If-Range date holds when it is the Last-Modified
    date exactly, in any of the three HTTP-date formats a recipient must
    accept (§5.6.7), once Last-Modified is a strong validator (a second or
    more before the response's Date); another date, or a weak tag, gets the
    whole document."""
    from email.utils import formatdate, parsedate_to_datetime
    port = relay_factory().practice
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 5
    # The documents' Last-Modified is the server's start: wait until the Date is past it.
    while (first := curl(url)) and field(first, "date") == field(first, "last-modified"):
        assert time.monotonic() < deadline, first
        time.sleep(0.05)
    modified = field(first, "last-modified")
    at = parsedate_to_datetime(modified)
    rfc850 = at.strftime("%A, %d-%b-%y %H:%M:%S GMT")
    asctime = f"{at:%a %b} {at.day:2d} {at:%H:%M:%S %Y}"
    for date in [modified, rfc850, asctime]:
        out = curl("-r", "0-4", "-H", f"If-Range: {date}", url)
        assert status_of(out) == 206 and body_of(out) == body_of(first)[:5], (date, out[:200])
    later = formatdate(at.timestamp() + 1, usegmt=True)
    assert status_of(curl("-r", "0-4", "-H", f"If-Range: {later}", url)) == 200
    weak = "W/" + field(first, "etag")
    r = check(port, [get("/", ("Range", "bytes=0-4"), ("If-Range", rfc850)), get("/", ("Range", "bytes=0-4"), ("If-Range", weak), close=True)], tmp_path)
    assert statuses(r) == [206, 200]


def test_a_connection_does_not_keep_the_requests_it_has_answered(relay_factory):
    """The server records each request's bytes (for /echo and its checks of
    the framing); on a kept-alive connection it forgets those of requests
    already answered, so forty bodies of nearly 1 MiB on one connection (with
    Python's http.client) cost what one does."""
    import http.client
    server = relay_factory()
    port, pid = server.practice, server.proc.pid
    exchange(port, [get("/", close=True)])
    before, _ = memory_kb(pid)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = b"x" * 1_000_000
    for i in range(40):
        conn.request("POST", "/echo" if i == 39 else "/whoami", body=body, headers={"Content-Type": "application/octet-stream"})
        reply = conn.getresponse()
        answer = reply.read()
        assert reply.status == (200 if i == 39 else 405), (i, reply.status, answer[:200])
    assert answer.startswith(b"POST /echo HTTP/1.1\r\n") and answer.endswith(b"\r\n\r\n" + body), "/echo: this request, and only it"
    conn.close()
    now, peak = memory_kb(pid)
    assert peak - before < 12_000, f"the server's peak memory grew by {peak - before} kB"
