"""`wirepad serve`'s relay, end to end: a real relay process, real WebSocket
clients, and real servers we did not write (nginx, Node.js http) on loopback.
The relay only ever connects to 127.0.0.1 here: targets are allowed with
--allow-target, and every refusal is checked to make no connection at all.
"""
import asyncio
import json
import re
import select
import socket
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from conftest import BIG, Req, exchange, free_port


def session(relay, host, port, payload=b"", origin=None, timeout=10.0, shutdown=False):
    """Runs one relay session; returns (events, binary frames)."""
    events, frames = [], []
    with connect(relay.url(host, port), origin=origin or relay.origin, max_size=None, open_timeout=5, close_timeout=2) as ws:
        try:
            first = json.loads(ws.recv(timeout=timeout))
            events.append(first)
            if first["type"] == "connected":
                try:
                    if payload:
                        ws.send(payload)
                    if shutdown:
                        ws.send(json.dumps({"type": "shutdown"}))
                except ConnectionClosed:
                    pass  # the relay may close while we send; read what it said
            while True:
                m = ws.recv(timeout=timeout)
                (frames if isinstance(m, bytes) else events).append(m if isinstance(m, bytes) else json.loads(m))
        except ConnectionClosed:
            pass
    return events, frames


def without_date(data):
    return re.sub(rb"\r\nDate: [^\r]*", b"\r\nDate: (masked)", data)


def get(target, host="127.0.0.1"):
    return Req("GET", target, [("Host", host), ("Connection", "close")])


# ---- byte for byte --------------------------------------------------------


@pytest.mark.parametrize("server, target", [("nginx", "/index.html"), ("nginx", "/text.txt"), ("node_server", "/chunked"), ("node_server", "/trailers")])
def test_relayed_exchange_is_what_a_direct_socket_gets(server, target, request, relay_factory):
    port = request.getfixturevalue(server)
    relay = relay_factory("--allow-target", f"127.0.0.1:{port}")
    req = get(target)
    direct = exchange(port, [req])
    events, frames = session(relay, "127.0.0.1", port, req.bytes())
    assert events[0]["type"] == "connected" and events[0]["address"] == f"127.0.0.1:{port}"
    assert events[-1] == {**events[-1], "type": "closed", "by": "server"}
    relayed = b"".join(frames)
    assert without_date(relayed) == without_date(direct)
    reads = [e for e in events if e["type"] == "read"]
    assert [r["bytes"] for r in reads] == [len(f) for f in frames]
    assert [r["seq"] for r in reads] == list(range(1, len(reads) + 1))


def test_8_mib_body_arrives_intact(nginx, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{nginx}")
    events, frames = session(relay, "127.0.0.1", nginx, get("/big.bin").bytes())
    data = b"".join(frames)
    head, _, body = data.partition(b"\r\n\r\n")
    assert body == BIG
    assert events[-1]["type"] == "closed" and events[-1]["bytes_down"] == len(data)


def test_upstream_dying_mid_body_delivers_what_it_sent(node_server, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{node_server}")
    events, frames = session(relay, "127.0.0.1", node_server, get("/die").bytes())
    data = b"".join(frames)
    assert data.endswith(b"x" * 5000) and b"Content-Length: 100000" in data
    assert events[-1]["type"] == "closed" and events[-1]["by"] == "server"


def test_half_close_lets_an_http10_exchange_finish(nginx, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{nginx}")
    events, frames = session(relay, "127.0.0.1", nginx, b"GET /index.html HTTP/1.0\r\n\r\n", shutdown=True)
    assert b"".join(frames).startswith(b"HTTP/1.1 200 OK")
    assert events[-1]["by"] == "server"


# ---- never an open proxy ----------------------------------------------------

DISGUISES = [
    ("localhost", "localhost"),
    ("LOCALHOST", "localhost"),
    ("localhost.", "localhost"),
    ("127.0.0.1", "loopback"),
    ("127.1", "non-canonical-address"),
    ("2130706433", "non-canonical-address"),
    ("0x7f000001", "non-canonical-address"),
    ("017700000001", "non-canonical-address"),
    ("0.0.0.0", "unspecified"),
    ("[::1]", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),
    ("%6c%6f%63%61%6c%68%6f%73%74", "localhost"),
    ("%25%36%63ocalhost", "invalid-host"),
    ("127.0.0.1%2580", "invalid-host"),
]


@pytest.fixture
def trap():
    """Listeners on 127.0.0.1:P and [::1]:P that must never see a connection."""
    port = free_port()
    listeners = []
    for family, addr in [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")]:
        s = socket.socket(family)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(16)
        listeners.append(s)
    yield port, listeners
    for s in listeners:
        s.close()


@pytest.mark.parametrize("host, reason", DISGUISES)
def test_disguises_of_the_relays_machine_are_refused(host, reason, trap, relay_factory):
    port, listeners = trap
    relay = relay_factory()
    events, frames = session(relay, host, port)
    assert frames == []
    assert events == [{**events[0], "type": "error", "code": "target-not-allowed", "reason": reason}]
    readable, _, _ = select.select(listeners, [], [], 0.2)
    assert readable == [], f"{host} reached a listener"
    assert relay.alive()


def test_a_port_not_allowed_is_refused(nginx, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{nginx}")
    events, _ = session(relay, "127.0.0.1", nginx + 1 if nginx < 65535 else nginx - 1)
    assert events[0]["code"] == "target-not-allowed" and events[0]["reason"] == "loopback"
    # A public address on another port is refused before any connection is tried.
    events, _ = session(relay, "93.184.215.14", 8443)
    assert events[0]["code"] == "target-not-allowed" and events[0]["reason"] == "port-not-allowed"


def test_a_foreign_origin_is_refused_before_the_upgrade(nginx, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{nginx}")
    for origin in ["http://evil.example", f"http://127.0.0.1:{relay.port + 1}", "null"]:
        with pytest.raises(InvalidStatus) as e:
            session(relay, "127.0.0.1", nginx, origin=origin)
        assert e.value.response.status_code == 403
    # The same relay accepts its own origin, and localhost's.
    events, _ = session(relay, "127.0.0.1", nginx, get("/").bytes(), origin=f"http://localhost:{relay.port}")
    assert events[0]["type"] == "connected"


def test_a_foreign_origin_allowed_by_flag_is_accepted(nginx, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{nginx}", "--allow-origin", "http://class.example:8080")
    events, _ = session(relay, "127.0.0.1", nginx, get("/").bytes(), origin="http://class.example:8080")
    assert events[0]["type"] == "connected"


def raw_upgrade(relay, host_header, origin):
    with socket.create_connection(("127.0.0.1", relay.port), timeout=5) as s:
        s.sendall(
            (
                f"GET /relay?host=127.0.0.1&port=80 HTTP/1.1\r\nHost: {host_header}\r\nOrigin: {origin}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
            ).encode()
        )
        return s.recv(4096).split(b"\r\n")[0]


def test_a_foreign_host_is_refused(relay_factory):
    relay = relay_factory()
    assert raw_upgrade(relay, "rebound.example:%d" % relay.port, relay.origin) == b"HTTP/1.1 403 Forbidden"
    assert raw_upgrade(relay, "rebound.example:%d" % relay.port, "http://rebound.example:%d" % relay.port) == b"HTTP/1.1 403 Forbidden"
    assert raw_upgrade(relay, "127.0.0.1:%d" % relay.port, relay.origin) == b"HTTP/1.1 101 Switching Protocols"


# ---- limits -----------------------------------------------------------------


def test_max_sessions_in_total_and_per_ip(node_server, relay_factory):
    for flag in ["--max-sessions", "--max-sessions-per-ip"]:
        relay = relay_factory("--allow-target", f"127.0.0.1:{node_server}", flag, "2")
        url = relay.url("127.0.0.1", node_server)
        held = [connect(url, origin=relay.origin).__enter__() for _ in range(2)]
        try:
            for ws in held:
                assert json.loads(ws.recv(timeout=5))["type"] == "connected"
            events, _ = session(relay, "127.0.0.1", node_server)
            assert events[0]["type"] == "error" and events[0]["code"] == "too-many-sessions", flag
        finally:
            for ws in held:
                ws.close()
        # Slots are given back when sessions end.
        events, _ = session(relay, "127.0.0.1", node_server, get("/").bytes())
        assert events[0]["type"] == "connected"


def test_connect_timeout(relay_factory):
    # A listener whose accept queue is full drops further SYNs: connecting hangs.
    port = free_port()
    full = socket.socket()
    full.bind(("127.0.0.1", port))
    full.listen(0)
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fillers.append(c)
    try:
        relay = relay_factory("--allow-target", f"127.0.0.1:{port}", "--connect-timeout", "0.5")
        events, _ = session(relay, "127.0.0.1", port)
        assert events[0]["code"] == "connect-timeout"
    finally:
        for c in fillers + [full]:
            c.close()


def test_connect_refused(relay_factory):
    port = free_port()
    relay = relay_factory("--allow-target", f"127.0.0.1:{port}")
    events, _ = session(relay, "127.0.0.1", port)
    assert events[0]["code"] == "connect-refused"


def test_idle_timeout(node_server, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{node_server}", "--idle-timeout", "0.5")
    events, _ = session(relay, "127.0.0.1", node_server)
    assert events[-1]["type"] == "closed" and events[-1]["by"] == "timeout"


def test_max_session_time(node_server, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{node_server}", "--max-session-time", "0.6")
    events, frames = session(relay, "127.0.0.1", node_server, get("/drip").bytes())
    assert events[-1]["by"] == "limit" and events[-1]["limit"] == "max-session-time"
    assert b"drip 1\n" in b"".join(frames)


def test_max_bytes(nginx, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{nginx}", "--max-bytes", "1000")
    events, frames = session(relay, "127.0.0.1", nginx, get("/big.bin").bytes())
    assert events[-1]["by"] == "limit" and events[-1]["limit"] == "max-bytes"
    assert len(b"".join(frames)) == 1000


def test_one_websocket_message_is_capped_at_1_mib(nginx, relay_factory):
    relay = relay_factory("--allow-target", f"127.0.0.1:{nginx}")
    events, _ = session(relay, "127.0.0.1", nginx, b"x" * ((1 << 20) + 1))
    assert events[0]["type"] == "connected"
    assert any(e.get("code") == "message-too-large" for e in events), events


# ---- load -----------------------------------------------------------------


def test_100_concurrent_sessions_all_succeed(node_server, relay_factory):
    from websockets.asyncio.client import connect as aconnect

    relay = relay_factory("--allow-target", f"127.0.0.1:{node_server}")

    async def one(i):
        async with aconnect(relay.url("127.0.0.1", node_server), origin=relay.origin, max_size=None) as ws:
            assert json.loads(await ws.recv())["type"] == "connected"
            await ws.send(get(f"/?n={i}").bytes())
            data = b""
            async for m in ws:
                if isinstance(m, bytes):
                    data += m
            return data

    async def all_of_them():
        return await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(100))), 60)

    results = asyncio.run(all_of_them())
    assert all(r.startswith(b"HTTP/1.1 200 OK") and r.endswith(b"<h1>hello from node</h1>") for r in results)
    assert relay.alive()
    events, _ = session(relay, "127.0.0.1", node_server, get("/").bytes())
    assert events[0]["type"] == "connected"


def test_ctrl_c_shuts_down_gracefully(relay_factory):
    import signal

    relay = relay_factory()
    events, _ = session(relay, "127.0.0.1", relay.practice, b"GET / HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n")
    assert events[0]["type"] == "connected"
    relay.proc.send_signal(signal.SIGINT)
    assert relay.proc.wait(timeout=5) == 0


def test_serving_the_page(relay_factory):
    import urllib.request

    relay = relay_factory()
    with urllib.request.urlopen(f"http://127.0.0.1:{relay.port}/") as r:
        assert r.headers["Content-Type"].startswith("text/html")
        assert b'id="request-wire"' in r.read()
    with urllib.request.urlopen(f"http://127.0.0.1:{relay.port}/relay-info.json") as r:
        info = json.load(r)
    assert info["relay"] is True and info["practice"] == {"host": "127.0.0.1", "port": relay.practice}


def test_a_taken_practice_port_is_said_in_one_line(tmp_path):
    import subprocess

    from conftest import WIREPAD, stop, wait_for_port

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = free_port()
    out = tmp_path / "out"
    with open(out, "wb") as f:
        proc = subprocess.Popen([str(WIREPAD), "serve", "--listen", f"127.0.0.1:{port}", "--practice-listen", f"127.0.0.1:{taken.getsockname()[1]}"], stdout=f, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        # The port accepts connections once bound, a moment before the
        # playground line is printed: wait for the line, not only the port.
        deadline = time.monotonic() + 5
        while len(lines := out.read_text().splitlines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert lines[0] == f"practice server not started: 127.0.0.1:{taken.getsockname()[1]} is not free (Address already in use (os error 98)); running without it"
        assert lines[1] == f"wirepad playground: http://127.0.0.1:{port}/"
    finally:
        stop(proc)
        taken.close()


def test_trust_ca_files_reach_the_page_in_relay_info(relay_factory, tmp_path):
    import subprocess
    import urllib.request

    from conftest import WIREPAD

    key, ca = tmp_path / "ca.key", tmp_path / "ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", ca, "-days", "2", "-subj", "/CN=wirepad lab CA"], check=True, capture_output=True)
    relay = relay_factory("--trust-ca", ca)
    with urllib.request.urlopen(f"http://127.0.0.1:{relay.port}/relay-info.json") as r:
        info = json.load(r)
    assert info["trust_ca"] == [ca.read_text()]
    assert info["public_ports"] == [80, 443]
    # A file without a certificate is refused at start, in words.
    bad = subprocess.run([str(WIREPAD), "serve", "--listen", f"127.0.0.1:{free_port()}", "--no-practice", "--trust-ca", str(key)], capture_output=True, timeout=10)
    assert bad.returncode != 0
    assert b"holds no PEM certificate" in bad.stderr


# ---- --allow-target ranges -------------------------------------------------


def test_an_address_and_port_range_reaches_a_server_inside_it_and_nothing_outside(node_server, relay_factory):
    # The lab network is 127.0.0.0/29 here, its servers on ports up to node_server's.
    low = max(1, node_server - 20)
    relay = relay_factory("--allow-target", f"127.0.0.0/29:{low}-{node_server}")
    req = get("/chunked")
    events, frames = session(relay, "127.0.0.1", node_server, req.bytes(), shutdown=True)
    assert events[0]["type"] == "connected", events
    assert without_date(b"".join(frames)) == without_date(exchange(node_server, [req]))
    # One port past the range, one address past it, and IPv6 loopback (not in a v4 range): refused, with the flag to add.
    above = node_server + 1
    events, frames = session(relay, "127.0.0.1", above)
    assert (events[0]["code"], events[0]["reason"], frames) == ("target-not-allowed", "loopback", [])
    assert f"--allow-target 127.0.0.1:{above}," in events[0]["message"], events[0]["message"]
    assert f"--allow-target 127.0.0.0/24:{above}-" in events[0]["message"]
    for host in ["127.0.0.8", "::1"]:
        events, _ = session(relay, host, node_server)
        assert (events[0]["code"], events[0]["reason"]) == ("target-not-allowed", "loopback"), host
    assert relay.alive()


def test_no_range_reaches_the_relay_itself_or_the_metadata_service(relay_factory):
    relay = relay_factory("--allow-target", "127.0.0.0/8:1-65535", "--allow-target", "169.254.0.0/16:80")
    events, frames = session(relay, "127.0.0.1", relay.port)
    assert (events[0]["code"], events[0]["reason"], frames) == ("target-not-allowed", "relay", [])
    events, _ = session(relay, "169.254.169.254", 80)
    assert (events[0]["code"], events[0]["reason"]) == ("target-not-allowed", "link-local")
    assert "--allow-target" not in events[0]["message"], "no flag is offered for the metadata service"
    # The practice server stays reachable through its own entry.
    events, _ = session(relay, "127.0.0.1", relay.practice, get("/").bytes(), shutdown=True)
    assert events[0]["type"] == "connected"


def test_a_bad_range_stops_the_server_with_a_clear_error():
    import subprocess
    from conftest import WIREPAD

    out = subprocess.run([str(WIREPAD), "serve", "--listen", "127.0.0.1:0", "--no-practice", "--allow-target", "10.0.5.1/24:8000-8099"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 2
    assert "has bits set past its prefix: write 10.0.5.0/24" in out.stderr


# ---- --public-url ------------------------------------------------------------


def test_the_public_url_is_in_relay_info_and_its_origin_is_allowed(nginx, relay_factory):
    import urllib.request

    relay = relay_factory("--allow-target", f"127.0.0.1:{nginx}", "--public-url", "http://Lab-Server.example:8080")
    with urllib.request.urlopen(f"http://127.0.0.1:{relay.port}/relay-info.json") as r:
        assert json.load(r)["public_url"] == "http://lab-server.example:8080/"
    events, _ = session(relay, "127.0.0.1", nginx, get("/").bytes(), origin="http://lab-server.example:8080")
    assert events[0]["type"] == "connected"
    with pytest.raises(InvalidStatus) as e:
        session(relay, "127.0.0.1", nginx, origin="http://other.example:8080")
    assert e.value.response.status_code == 403
    with urllib.request.urlopen(f"http://127.0.0.1:{relay_factory().port}/relay-info.json") as r:
        assert json.load(r)["public_url"] is None, "without the flag the page builds the link itself"


@pytest.mark.parametrize("url", ["lab-server:8080", "ftp://lab/", "http://lab/?room=1", "http://user@lab/"])
def test_a_public_url_students_cannot_type_stops_the_server(url):
    import subprocess

    from conftest import WIREPAD

    out = subprocess.run([str(WIREPAD), "serve", "--listen", "127.0.0.1:0", "--no-practice", "--public-url", url], capture_output=True, text=True, timeout=10)
    assert out.returncode == 2
    assert "write the address students type" in out.stderr
