"""`wirepad serve` holds whatever a client does: every relay limit fires
while the page does not read, the HTTP listener times out slow and idle
connections and caps how many are open, and every response tells the browser
what the page's origin may do. Loopback only; every wait is for a condition,
with a generous bound."""
import http.client
import json
import socket
import subprocess
import threading
import time
import urllib.request

from websockets.sync.client import connect

from conftest import WIREPAD, RawWebSocket, free_port, start, stop


class FloodServer:
    """A TCP server that answers every connection with an endless stream of
    bytes, and notes when a connection is closed under it."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
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


def test_relay_limits_fire_while_the_page_does_not_read(relay_factory):
    upstream = FloodServer()
    relay = relay_factory("--allow-target", f"127.0.0.1:{upstream.port}", "--idle-timeout", "2", "--max-session-time", "3", "--max-sessions-per-ip", "1")
    ws = RawWebSocket(relay.port, f"/relay?host=127.0.0.1&port={upstream.port}", relay.origin)
    try:
        opcode, event = ws.recv()
        assert json.loads(event)["type"] == "connected"
        ws.send(b"GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        # The page reads nothing more. Its session must still end within its
        # limits: the upstream connection closed under the flood...
        assert upstream.closed.wait(timeout=20), "the relay kept the upstream connection while the page did not read"
        # ...and the session's slot given back: with one session per address,
        # a new one connects while the old page is still there, not reading.
        deadline = time.monotonic() + 10
        while True:
            with connect(relay.url("127.0.0.1", upstream.port), origin=relay.origin, open_timeout=5, close_timeout=1) as again:
                first = json.loads(again.recv(timeout=10))
            # (The slot is given back a moment after the upstream socket closes.)
            if first.get("code") != "too-many-sessions" or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert first["type"] == "connected", first
        # And the page that did not read is closed too.
        assert ws.closed_by_server(timeout=15)
    finally:
        ws.close()
        upstream.close()


def test_relay_time_limit_fires_while_the_server_does_not_read(relay_factory):
    """The other way: the page sends and sends, the server never reads."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    relay = relay_factory("--allow-target", f"127.0.0.1:{port}", "--idle-timeout", "60", "--max-session-time", "3")
    ws = RawWebSocket(relay.port, f"/relay?host=127.0.0.1&port={port}", relay.origin)
    try:
        assert json.loads(ws.recv()[1])["type"] == "connected"
        ws.sock.settimeout(0.5)
        sent, closed, deadline = 0, False, time.monotonic() + 20
        while time.monotonic() < deadline and not closed:
            try:
                ws.send(b"y" * 65536)
                sent += 65536
            except (socket.timeout, BrokenPipeError, ConnectionResetError):
                # Our sends block once both sides' buffers are full; see
                # whether the relay has given up on the session.
                closed = events_say_closed(ws)
        assert closed, f"the session outlived --max-session-time while the server read nothing ({sent} bytes sent)"
    finally:
        ws.close()
        listener.close()
        for c in accepted:
            c.close()


def events_say_closed(ws):
    """Reads what the relay sent; True once it said `closed` or closed the socket."""
    try:
        while True:
            opcode, payload = ws.recv()
            if opcode == 1 and json.loads(payload).get("type") == "closed":
                assert json.loads(payload)["limit"] == "max-session-time"
                return True
            if opcode == 8:
                return True
    except socket.timeout:
        return False
    except (ConnectionError, OSError):
        return True


def test_every_response_says_what_the_pages_origin_may_do(relay_factory):
    relay = relay_factory()
    for path in ["/", "/js/app.js", "/relay-info.json", "/no-such-file"]:
        try:
            response = urllib.request.urlopen(f"http://127.0.0.1:{relay.port}{path}", timeout=5)
        except urllib.error.HTTPError as e:
            response = e
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self' 'wasm-unsafe-eval'" in policy, (path, policy)
        assert "connect-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path


# ---- the HTTP listener ----------------------------------------------------


def open_until_closed(sockets, timeout):
    """Waits until the server has closed every socket; returns how many it closed."""
    deadline, closed = time.monotonic() + timeout, set()
    while time.monotonic() < deadline and len(closed) < len(sockets):
        for i, s in enumerate(sockets):
            if i in closed:
                continue
            s.settimeout(0.01)
            try:
                if s.recv(4096) == b"":
                    closed.add(i)
            except socket.timeout:
                pass
            except OSError:
                closed.add(i)
        time.sleep(0.1)
    return len(closed)


def test_slow_headers_and_silent_connections_are_closed(relay_factory):
    relay = relay_factory("--header-timeout", "2", "--keep-alive-timeout", "3")
    silent = [socket.create_connection(("127.0.0.1", relay.port)) for _ in range(10)]
    slow = [socket.create_connection(("127.0.0.1", relay.port)) for _ in range(10)]
    try:
        stop_dripping = threading.Event()

        def drip():
            # A byte of a header every half second: never idle, never done.
            for s in slow:
                s.sendall(b"GET / HTTP/1.1\r\n")
            while not stop_dripping.wait(0.5):
                for s in slow:
                    try:
                        s.sendall(b"X")
                    except OSError:
                        pass

        threading.Thread(target=drip, daemon=True).start()
        assert open_until_closed(slow, timeout=30) == len(slow), "slow-header connections outlived --header-timeout"
        stop_dripping.set()
        assert open_until_closed(silent, timeout=30) == len(silent), "silent connections outlived the timeouts"
        # The page is still served.
        assert urllib.request.urlopen(f"http://127.0.0.1:{relay.port}/", timeout=5).status == 200
    finally:
        for s in silent + slow:
            s.close()


def test_at_the_connection_cap_a_new_visitor_gets_the_page_and_the_idlest_go(relay_factory):
    relay = relay_factory("--max-connections", "20", "--header-timeout", "300", "--keep-alive-timeout", "300")
    idle = [socket.create_connection(("127.0.0.1", relay.port)) for _ in range(40)]
    try:
        # Twenty of them are beyond the cap: the oldest twenty were closed for them.
        assert open_until_closed(idle[:20], timeout=20) == 20
        visitors = []
        for _ in range(3):
            visitor = http.client.HTTPConnection("127.0.0.1", relay.port, timeout=5)
            visitor.request("GET", "/")
            response = visitor.getresponse()
            assert response.status == 200 and response.read()
            visitors.append(visitor)  # it stays open, keep-alive
        # Each visitor that stayed closed one more of the idlest.
        assert open_until_closed(idle[20:23], timeout=20) == 3
        assert open_until_closed(idle[23:], timeout=1) == 0, "only the idlest go"
        for visitor in visitors:
            visitor.close()
    finally:
        for s in idle:
            s.close()


def test_the_log_has_no_colour_codes_when_it_is_not_a_terminal(tmp_path):
    port, practice = free_port(), free_port()
    log = open(tmp_path / "log", "wb")
    proc = subprocess.Popen([str(WIREPAD), "serve", "--listen", f"127.0.0.1:{port}", "--practice-listen", f"127.0.0.1:{practice}"], stdout=log, stderr=log)
    try:
        from conftest import wait_for_port
        wait_for_port(port, proc)
        # A refused Host is logged as a warning.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "evil.example"})
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as e:
            assert e.code == 403
        deadline = time.monotonic() + 10
        while b"refused" not in (tmp_path / "log").read_bytes() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop(proc)
        log.close()
    text = (tmp_path / "log").read_bytes()
    assert b"refused" in text, text
    assert b"\x1b[" not in text, text
