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

from conftest import WIREPAD, FloodServer, RawWebSocket, free_port, stop


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


# ---- class rooms ----------------------------------------------------------


def room(server, query, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
    return connect(f"ws://127.0.0.1:{server.port}/room?{query}", origin=server.origin, additional_headers=headers, open_timeout=5, close_timeout=2, max_size=None)


def recv(ws, timeout=5.0):
    return json.loads(ws.recv(timeout=timeout))


def created_by(server, forwarded_for=None):
    with room(server, "create", forwarded_for) as ws:
        return recv(ws)


def test_a_room_creation_flood_leaves_room_for_a_real_teacher(relay_factory):
    # Behind docs/operating.md's proxy (here: no proxy at all, the header set by the
    # test), each client is its own address.
    server = relay_factory("--trust-proxy", "127.0.0.1/32", "--max-rooms-per-ip", "3", "--room-unused", "2")
    flood = [created_by(server, "10.9.9.9") for _ in range(3)]
    assert all(m["type"] == "created" for m in flood), flood
    assert created_by(server, "10.9.9.9")["code"] == "too-many-rooms"
    # Another address (another teacher in the school) still opens a room.
    assert created_by(server, "10.1.1.1")["type"] == "created"
    # Rooms nobody joined expire in --room-unused, and join attempts with a
    # wrong key do not keep them alive.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with room(server, f"code={flood[0]['code']}&key={'0' * 32}", "10.9.9.9") as knock:
            knocked = recv(knock)["code"]
        again = created_by(server, "10.9.9.9")
        if again["type"] == "created":
            break
        time.sleep(0.3)
    assert again["type"] == "created", again
    assert knocked in ("wrong-key", "no-such-room")


def rss_peak_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])


def refusal(ws):
    """The code of the next error a page is sent (follower counts and roster updates skipped)."""
    while (m := recv(ws))["type"] != "error":
        assert m["type"] in ("followers", "student"), m
    return m["code"]


def test_a_huge_state_is_kept_as_text_and_rooms_keep_within_their_budgets(relay_factory):
    server = relay_factory("--max-room-message", "17000000", "--room-memory", "36000000", "--rooms-memory", "40000000")
    with room(server, "create") as teacher:
        code = recv(teacher)["code"]
        with room(server, f"code={code}") as follower:
            recv(follower)
            before = rss_peak_kb(server.proc.pid)
            huge = json.dumps({"type": "state", "state": [0] * 8_000_000}, separators=(",", ":"))
            assert len(huge) > 15_000_000
            teacher.send(huge)
            teacher.send(json.dumps({"type": "state", "state": {"after": True}}))
            assert len(recv(follower, timeout=30)["state"]) == 8_000_000
            assert recv(follower) == {"type": "state", "state": {"after": True}}
        with room(server, f"code={code}") as late:
            assert recv(late)["type"] == "joined"
            assert recv(late) == {"type": "state", "state": {"after": True}}
        grown_mb = (rss_peak_kb(server.proc.pid) - before) / 1024
        # Read, checked and kept as text: a few copies of 16 MB, not a tree of 8 million values.
        assert grown_mb < 120, f"peak RSS grew {grown_mb:.0f} MB for one 16 MB state"
        # Too deep to be a view: refused without building anything.
        teacher.send('{"type":"state","state":' + "[" * 100_000 + "]" * 100_000 + "}")
        assert refusal(teacher) == "bad-message"


def test_rooms_keep_within_their_address_budget_and_all_rooms_within_theirs(relay_factory):
    server = relay_factory(
        "--trust-proxy", "127.0.0.1/32", "--max-room-message", "1000000", "--room-memory", "2000000", "--rooms-memory", "2500000"
    )
    blob = lambda n: json.dumps("x" * n)
    with room(server, "create", "10.0.0.1") as first, room(server, "create", "10.0.0.1") as second, room(server, "create", "10.0.0.2") as other:
        recv(first), recv(second), recv(other)
        first.send(f'{{"type":"exchange","exchange":{{"b":{blob(900_000)}}}}}')
        first.send(f'{{"type":"state","state":{{"b":{blob(900_000)}}}}}')
        # 1.8 MB kept: a state replaces the last one (it is not added to it)...
        first.send(f'{{"type":"state","state":{{"b":{blob(900_000)}}}}}')
        with pytest_raises_timeout():
            recv(first, timeout=0.5)
        # ...but 300 KB more would pass the room's 2 MB.
        first.send(f'{{"type":"append","append":{{"b":{blob(300_000)}}}}}')
        assert recv(first)["code"] == "room-memory"
        # Another room of the same address shares those 2 MB: one address
        # cannot fill the server's budget with rooms of its own.
        second.send(f'{{"type":"state","state":{{"b":{blob(500_000)}}}}}')
        assert recv(second)["code"] == "room-memory"
        second.send(f'{{"type":"state","state":{{"b":{blob(100_000)}}}}}')
        with pytest_raises_timeout():
            recv(second, timeout=0.5)
        # Another address has its own share, within the 2.5 MB of all rooms.
        other.send(f'{{"type":"state","state":{{"b":{blob(900_000)}}}}}')
        assert recv(other)["code"] == "room-memory"
        other.send(f'{{"type":"state","state":{{"b":{blob(500_000)}}}}}')
        with pytest_raises_timeout():
            recv(other, timeout=0.5)


class pytest_raises_timeout:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        assert kind is TimeoutError, f"expected nothing, got {kind}"
        return True


def test_a_follower_that_does_not_read_is_closed_and_counted_gone(relay_factory):
    server = relay_factory("--room-send-timeout", "2")
    with room(server, "create") as teacher:
        code = recv(teacher)["code"]
        lazy = RawWebSocket(server.port, f"/room?code={code}", server.origin)
        try:
            assert json.loads(lazy.recv()[1])["type"] == "joined"
            assert recv(teacher)["type"] == "student"
            assert recv(teacher) == {"type": "followers", "count": 1}
            view = json.dumps({"type": "state", "state": {"b": "x" * 1_000_000}})
            for _ in range(8):
                teacher.send(view)
            # The follower reads nothing: it is closed, and the teacher told.
            deadline, count = time.monotonic() + 30, 1
            while count and time.monotonic() < deadline:
                try:
                    m = recv(teacher, timeout=1)
                    count = m.get("count", count)
                except TimeoutError:
                    pass
            assert count == 0, "a follower that did not read still counted as following"
            assert lazy.closed_by_server(timeout=10)
        finally:
            lazy.close()


def test_a_follower_that_falls_too_far_behind_is_told_too_slow_and_is_away(relay_factory):
    # A page that reads, but too late: the room lets it go past --room-max-lag
    # bytes waiting, and once it reads what was queued it is told why.
    server = relay_factory("--room-send-timeout", "60", "--room-max-lag", "3000000")
    with room(server, "create") as teacher:
        code = recv(teacher)["code"]
        lazy = RawWebSocket(server.port, f"/room?code={code}", server.origin)
        try:
            lazy_number = json.loads(lazy.recv()[1])["follower"]
            with room(server, f"code={code}") as reader:
                recv(reader)
                view = json.dumps({"type": "state", "state": {"b": "x" * 1_000_000}})
                for _ in range(8):
                    teacher.send(view)
                # Every state is broadcast to both followers at once: once the
                # reader has the eighth, the lazy page's queue was over its limit.
                for _ in range(8):
                    assert recv(reader)["type"] == "state"
                last = None
                while True:
                    opcode, payload = lazy.recv()
                    if opcode == 1:
                        last = json.loads(payload)
                        if last["type"] == "error":
                            break
                    elif opcode == 8:
                        break
                assert last and last.get("code") == "too-slow", last
                assert lazy.closed_by_server(timeout=10)
                # And the teacher's roster has it away.
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    m = recv(teacher)
                    if m == {"type": "student", "follower": lazy_number, "name": None, "status": "away"}:
                        break
                else:
                    raise AssertionError("the teacher was not told the follower is away")
        finally:
            lazy.close()


def test_join_attempts_are_limited_per_address_but_a_class_joins_at_once(relay_factory):
    # (A rate of 0.01 a second: the budget does not refill while the test runs,
    # however slowly a loaded machine runs it; the burst is still 60.)
    server = relay_factory("--join-rate", "0.01")
    answers = []
    for _ in range(70):
        with room(server, "code=NOPE2345") as ws:
            answers.append(recv(ws)["code"])
    assert answers[:60] == ["no-such-room"] * 60, "a class of 60 behind one address joins at once"
    assert answers[60:] == ["too-many-joins"] * 10, answers[60:]


def test_the_teacher_key_is_never_logged(tmp_path):
    port, practice = free_port(), free_port()
    log = open(tmp_path / "log", "wb")
    env = {**__import__("os").environ, "RUST_LOG": "trace"}
    proc = subprocess.Popen([str(WIREPAD), "serve", "--listen", f"127.0.0.1:{port}", "--practice-listen", f"127.0.0.1:{practice}"], stdout=log, stderr=log, env=env)
    try:
        from conftest import wait_for_port
        wait_for_port(port, proc)

        class Server:
            pass

        server = Server()
        server.port, server.origin = port, f"http://127.0.0.1:{port}"
        with room(server, "create") as teacher:
            created = recv(teacher)
            key = created["key"]
            with room(server, f"code={created['code']}&key={key}") as again:
                assert recv(again)["type"] == "teacher"
                again.send(json.dumps({"type": "state", "state": {"step": 1}}))
                time.sleep(0.2)
    finally:
        stop(proc)
        log.close()
    text = (tmp_path / "log").read_bytes()
    assert b"room: joined" in text, "the log is written"
    assert key.encode() not in text
    assert key.encode().hex().encode() not in text, "not even as a hex dump"
