"""Real servers we did not write (nginx, Python's http.server, Node.js http),
started on loopback for the tests, plus the h11 oracle and a raw socket client.
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import h11
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# WIREPAD=path runs the tests against another build (to check that a new test fails on an old one).
WIREPAD = Path(os.environ.get("WIREPAD", ROOT / "target" / "release" / "wirepad"))

INDEX_HTML = b"<!doctype html><title>wirepad</title><h1>It works</h1>\n"
TEXT = b"".join(b"line %d of a text file that compresses well\n" % i for i in range(400))
BIG = bytes(range(256)) * (8 * 1024 * 4)  # 8 MiB


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@pytest.fixture(scope="session")
def docroot(tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    fill_docroot(root)
    return root


def start(cmd, port, **kw):
    """Starts a server and waits for its port. Its stderr goes to a file, not a
    pipe that nobody reads, so a chatty server never blocks on a full pipe."""
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, **kw)
    try:
        wait_for_port(port, proc)
    except RuntimeError as e:
        proc.kill()
        log.seek(0)
        raise RuntimeError(f"{cmd[0]}: {e}: {log.read().decode(errors='replace')}")
    return proc


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


def launch_nginx(workdir, docroot):
    """Starts nginx serving `docroot` on a free loopback port: (port, process)."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(binary), "nginx is required (Debian package nginx-light)"
    port = free_port()
    conf = (HERE / "nginx.conf").read_text().replace("@DIR@", str(workdir)).replace("@PORT@", str(port)).replace("@ROOT@", str(docroot))
    (workdir / "nginx.conf").write_text(conf)
    return port, start([binary, "-p", str(workdir), "-c", str(workdir / "nginx.conf")], port)


def fill_docroot(root):
    (root / "index.html").write_bytes(INDEX_HTML)
    (root / "text.txt").write_bytes(TEXT)
    (root / "big.bin").write_bytes(BIG)
    (root / "dir").mkdir(exist_ok=True)
    (root / "dir" / "index.html").write_bytes(INDEX_HTML)


def nginx_in(tmp):
    """nginx serving a fresh docroot, all under the folder `tmp`: (port, process)."""
    (tmp / "www").mkdir()
    (tmp / "nginx").mkdir()
    fill_docroot(tmp / "www")
    return launch_nginx(tmp / "nginx", tmp / "www")


@pytest.fixture(scope="session")
def nginx(tmp_path_factory, docroot):
    port, proc = launch_nginx(tmp_path_factory.mktemp("nginx"), docroot)
    yield port
    stop(proc)


@pytest.fixture(scope="session")
def python_server(docroot):
    port = free_port()
    proc = start(["python3", str(HERE / "py_server.py"), str(port), str(docroot)], port)
    yield port
    stop(proc)


@pytest.fixture(scope="session")
def node_server():
    port = free_port()
    proc = start(["node", str(HERE / "node_server.mjs"), str(port)], port)
    yield port
    stop(proc)


class RelayProcess:
    """A `wirepad serve` started for a test, on free loopback ports."""

    def __init__(self, *args):
        self.port, self.practice = free_port(), free_port()
        cmd = [str(WIREPAD), "serve", "--listen", f"127.0.0.1:{self.port}", "--practice-listen", f"127.0.0.1:{self.practice}", *map(str, args)]
        self.proc = start(cmd, self.port)
        self.origin = f"http://127.0.0.1:{self.port}"

    def url(self, host, port):
        return f"ws://127.0.0.1:{self.port}/relay?host={host}&port={port}"

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        stop(self.proc)


@pytest.fixture
def relay_factory():
    started = []

    def make(*args):
        r = RelayProcess(*args)
        started.append(r)
        return r

    yield make
    for r in started:
        r.stop()


class Req:
    """A request we send: its exact bytes and the same request as h11 events."""

    def __init__(self, method, target, headers, body=b""):
        self.method, self.target, self.headers, self.body = method, target, headers, body

    def head_bytes(self):
        lines = [f"{self.method} {self.target} HTTP/1.1"] + [f"{n}: {v}" for n, v in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def bytes(self):
        return self.head_bytes() + self.body

    def h11_events(self):
        yield h11.Request(method=self.method, target=self.target, headers=self.headers)
        if self.body:
            yield h11.Data(data=self.body)
        yield h11.EndOfMessage()


def exchange(port, requests, wait_for_continue=False, timeout=5.0):
    """Sends the requests on one connection and returns every byte the server
    sent until it closed. With wait_for_continue, the (single) request's body
    is held back until the server's interim response has arrived."""
    received = bytearray()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        if wait_for_continue:
            (req,) = requests
            s.sendall(req.head_bytes())
            while b"\r\n\r\n" not in received:
                chunk = s.recv(65536)
                assert chunk, "server closed before its interim response"
                received += chunk
            s.sendall(req.body)
        else:
            s.sendall(b"".join(r.bytes() for r in requests))
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
    return bytes(received)


def h11_responses(requests, raw):
    """What h11, an independent parser, reads in `raw` as the answers to `requests`."""
    conn = h11.Connection(our_role=h11.CLIENT)
    pending = list(requests)

    def send_next():
        for ev in pending.pop(0).h11_events():
            conn.send(ev)

    def next_cycle():
        if pending and conn.our_state is h11.DONE and conn.their_state is h11.DONE:
            conn.start_next_cycle()
            send_next()

    send_next()
    return h11_read(conn, raw, next_cycle)


def h11_stand_in(raw, method="GET", target="/", body_pending=0):
    """What h11 reads in `raw`, the response to a request h11 cannot send.

    h11 sends only valid HTTP/1.1: an HTTP/1.0 request is refused with
    LocalProtocolError("I only send HTTP/1.1"), a request without Host or
    with a broken line or field cannot be made at all, and a body announced
    but never sent (a client waiting for 100 Continue, refused first) cannot
    end. The response to such a request is still framed by RFC 9112 §6.3's
    rules, which look at the request's method and at the response only, not
    at the request's version or at what was wrong with it. So h11 is told it
    sent a valid stand-in (the same method and target, HTTP/1.1, Connection:
    close, and with `body_pending` the head of a body it has not sent yet) and
    reads the bytes the server really sent: a response h11 cannot frame, or
    frames otherwise than wirepad, fails the comparison."""
    conn = h11.Connection(our_role=h11.CLIENT)
    headers = [("Host", "practice"), ("Connection", "close")]
    if body_pending:
        headers.append(("Content-Length", str(body_pending)))
    conn.send(h11.Request(method=method, target=target, headers=headers))
    if not body_pending:
        conn.send(h11.EndOfMessage())
    return h11_read(conn, raw)


def h11_read(conn, raw, after_each=lambda: None):
    """The responses h11 connection `conn` reads in `raw` and the end of the
    input; `after_each` runs after each complete response (to send the next
    request of a pipeline)."""
    conn.receive_data(raw)
    conn.receive_data(b"")
    out, current = [], None
    while True:
        ev = conn.next_event()
        if isinstance(ev, h11.InformationalResponse):
            out.append(message(ev, b"", []))
        elif isinstance(ev, h11.Response):
            current = (ev, bytearray())
        elif isinstance(ev, h11.Data):
            current[1].extend(ev.data)
        elif isinstance(ev, h11.EndOfMessage):
            out.append(message(current[0], bytes(current[1]), ev.headers.raw_items()))
            current = None
            after_each()
        else:
            assert ev is h11.NEED_DATA or isinstance(ev, h11.ConnectionClosed) or ev is h11.PAUSED, ev
            return out


def message(ev, body, trailers):
    headers = [[n.decode("latin-1"), v.decode("latin-1")] for n, v in ev.headers.raw_items()]
    return {
        "status": ev.status_code,
        "reason": ev.reason.decode("latin-1"),
        "headers": headers,
        "body": body,
        "trailers": [[n.decode("latin-1"), v.decode("latin-1")] for n, v in trailers],
    }


def wirepad_json(data, *args, tmp_path):
    path = tmp_path / f"input-{time.monotonic_ns()}"
    path.write_bytes(data)
    r = subprocess.run([str(WIREPAD), "parse", "--json", *map(str, args), str(path)], capture_output=True, timeout=30)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def wirepad_responses(report):
    return [
        {
            "status": m["status"],
            "reason": m["reason"],
            "headers": m["headers"],
            "body": base64.b64decode(m["body_b64"]),
            "trailers": m["trailers"],
        }
        for m in report["messages"]
    ]


def assert_span_rule(report, length):
    at = 0
    for s in report["spans"]:
        assert s["start"] == at and s["end"] > s["start"], s
        at = s["end"]
    assert at == length


FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT"

def get(target, *extra, method="GET", close=False, body=b""):
    headers = [("Host", "127.0.0.1"), ("User-Agent", "wirepad-tests")] + list(extra)
    if close:
        headers.append(("Connection", "close"))
    return Req(method, target, headers, body)

def check(port, requests, tmp_path, wait_for_continue=False):
    """Runs one exchange and asserts wirepad and h11 agree; returns wirepad's report."""
    raw = exchange(port, requests, wait_for_continue=wait_for_continue)
    assert raw, "the server sent nothing"
    reqfile = tmp_path / "requests"
    reqfile.write_bytes(b"".join(r.bytes() for r in requests))
    report = wirepad_json(raw, "--request", reqfile, tmp_path=tmp_path)
    assert report["verdict"] == "ok", report["diagnostics"]
    assert_span_rule(report, len(raw))
    assert all(m["complete"] for m in report["messages"]), report["messages"]
    assert wirepad_responses(report) == h11_responses(requests, raw)
    return report

def statuses(report):
    return [m["status"] for m in report["messages"]]

def header(message, name):
    return next((v for n, v in message["headers"] if n.lower() == name.lower()), None)



class FloodServer:
    """A TCP server that answers every connection with an endless stream of
    bytes (once the client has sent something), and notes when a connection
    is closed under it."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.listener.getsockname()[1]
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._flood, args=(conn,), daemon=True).start()

    def _flood(self, conn):
        block = b"x" * 65536
        try:
            conn.recv(65536)
            while True:
                conn.sendall(block)
        except OSError:
            self.closed.set()
        finally:
            conn.close()

    def close(self):
        self.listener.close()


class RawWebSocket:
    """A WebSocket client written on a bare socket, for clients that misbehave:
    it reads only when told to, so it can stop reading altogether (with a
    small receive buffer, the server's sends to it block)."""

    def __init__(self, port, path, origin, rcvbuf=4096, timeout=10.0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            assert chunk, "the server closed during the handshake"
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def send(self, data, opcode=None):
        """Sends one message: text for str, binary for bytes (masked, as a client must)."""
        if isinstance(data, str):
            data, opcode = data.encode(), opcode or 1
        opcode = opcode or 2
        n = len(data)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        mask = os.urandom(4)
        self.sock.sendall(head + mask + _mask(data, mask))

    def _take(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def recv(self):
        """One frame's (opcode, payload); raises ConnectionError once the server has closed."""
        b0, b1 = self._take(2)
        n = b1 & 0x7F
        if n == 126:
            n = int.from_bytes(self._take(2), "big")
        elif n == 127:
            n = int.from_bytes(self._take(8), "big")
        return b0 & 0x0F, self._take(n)

    def closed_by_server(self, timeout):
        """Whether the server closes (FIN or reset) within `timeout` seconds,
        reading (and dropping) whatever arrives meanwhile."""
        self.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if not self.sock.recv(1 << 20):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False
        return False

    def close(self):
        self.sock.close()


def _mask(data, mask):
    key = (mask * ((len(data) + 3) // 4))[: len(data)]
    return (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(len(data), "big")
