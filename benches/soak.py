"""The server under attack while a class works: `python3 benches/soak.py [--seconds 60]`.

Starts the real `wirepad serve` (target/release/wirepad) on loopback, behind
a "proxy" it trusts (`--trust-proxy 127.0.0.1/32`; each simulated client
names its own address in X-Forwarded-For, as the nginx of docs/operating.md does), and
for `--seconds` runs all of these at once:

* slow-header clients: 200 connections that each send a byte of a request
  head every second, reconnecting when closed;
* idle connections: 1,500 that send nothing, reopened when closed;
* non-reading relay clients: 20 WebSockets that ask an endless server for
  bytes through the relay and never read, reconnecting when closed;
* a room-creation flood: three addresses creating rooms in a loop;
* oversized states: two attackers' rooms whose teachers send 16 MB views
  again and again, each with three followers that never read.

Meanwhile, every 2 seconds, a real class: a teacher creates a room, a
student joins and gets the teacher's view, and a Send through the relay to
the practice server gets its whole response. Every one must succeed.

Prints the server's peak RSS and most open descriptors during the attack,
and how long after it its RSS is back under 30 MB. Loopback only; bounded in
time; stops by itself.
"""
import argparse
import base64
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent
WIREPAD = ROOT / "target" / "release" / "wirepad"
sys.path.insert(0, str(ROOT / "tests" / "servers"))
from conftest import FloodServer, RawWebSocket, free_port, wait_for_port  # noqa: E402


def status(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Soak:
    def __init__(self, seconds, settle=60):
        self.seconds, self.settle = seconds, settle
        self.stop = threading.Event()
        self.flood = FloodServer()
        self.port, self.practice = free_port(), free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(WIREPAD), "serve", "--listen", f"127.0.0.1:{self.port}", "--practice-listen", f"127.0.0.1:{self.practice}",
             "--trust-proxy", "127.0.0.1/32", "--allow-target", f"127.0.0.1:{self.flood.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.proc)
        self.peak_fds = 0
        self.real = {"tried": 0, "ok": 0, "failures": []}
        self.counts = {"slow-header closed": 0, "idle closed": 0, "relay clients closed": 0, "rooms refused": 0, "big states sent": 0, "big states refused": 0}

    def room(self, query, address):
        return connect(f"ws://127.0.0.1:{self.port}/room?{query}", origin=self.origin,
                       additional_headers={"X-Forwarded-For": address}, open_timeout=10, close_timeout=1, max_size=None)

    # ---- attackers ---------------------------------------------------------

    def slow_headers(self):
        conns = []
        while not self.stop.is_set():
            while len(conns) < 200:
                try:
                    s = socket.create_connection(("127.0.0.1", self.port), timeout=2)
                    s.sendall(b"GET / HTTP/1.1\r\n")
                    conns.append(s)
                except OSError:
                    break
            alive = []
            for s in conns:
                try:
                    s.sendall(b"X")
                    alive.append(s)
                except OSError:
                    self.counts["slow-header closed"] += 1
                    s.close()
            conns = alive
            self.stop.wait(1)
        for s in conns:
            s.close()

    def idle(self):
        conns = []
        while not self.stop.is_set():
            while len(conns) < 1500:
                try:
                    conns.append(socket.create_connection(("127.0.0.1", self.port), timeout=2))
                except OSError:
                    break
            alive = []
            for s in conns:
                s.setblocking(False)
                try:
                    if s.recv(1) == b"":
                        raise ConnectionError
                    alive.append(s)
                except BlockingIOError:
                    alive.append(s)
                except OSError:
                    self.counts["idle closed"] += 1
                    s.close()
            conns = alive
            self.stop.wait(1)
        for s in conns:
            s.close()

    def non_reading_relay_client(self, i):
        while not self.stop.is_set():
            try:
                ws = RawWebSocket(self.port, f"/relay?host=127.0.0.1&port={self.flood.port}", self.origin, timeout=5)
                ws.send(b"GET / HTTP/1.1\r\n\r\n")
                while not self.stop.is_set():
                    if ws.closed_by_server(timeout=1):
                        self.counts["relay clients closed"] += 1
                        break
                ws.close()
            except OSError:
                self.stop.wait(0.5)

    def room_flood(self, address):
        while not self.stop.is_set():
            try:
                with self.room("create", address) as ws:
                    if json.loads(ws.recv(timeout=5)).get("type") == "error":
                        self.counts["rooms refused"] += 1
                        self.stop.wait(0.2)
            except Exception:
                self.stop.wait(0.2)

    def big_states(self, n):
        state = '{"type":"state","state":[' + ",".join(["0"] * 8_000_000) + "]}"
        while not self.stop.is_set():
            try:
                with self.room("create", f"10.66.3.{n}") as teacher:
                    code = json.loads(teacher.recv(timeout=5))["code"]
                    lazy = [RawWebSocket(self.port, f"/room?code={code}", self.origin) for _ in range(3)]
                    while not self.stop.is_set():
                        teacher.send(state)
                        self.counts["big states sent"] += 1
                        try:
                            while True:
                                m = json.loads(teacher.recv(timeout=0.5))
                                if m.get("type") == "error":
                                    self.counts["big states refused"] += 1
                        except TimeoutError:
                            pass
                    for w in lazy:
                        w.close()
            except Exception:
                self.stop.wait(0.5)

    # ---- the class that must be served ----------------------------------------

    def real_class(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            self.real["tried"] += 1
            try:
                with self.room("create", "10.1.0.1") as teacher:
                    created = json.loads(teacher.recv(timeout=10))
                    assert created["type"] == "created", created
                    with self.room(f"code={created['code']}", f"10.1.0.{2 + n % 200}") as student:
                        assert json.loads(student.recv(timeout=10))["type"] == "joined"
                        teacher.send(json.dumps({"type": "state", "state": {"step": n}}))
                        got = json.loads(student.recv(timeout=10))
                        assert got == {"type": "state", "state": {"step": n}}, got
                        teacher.send(json.dumps({"type": "end"}))
                        assert json.loads(student.recv(timeout=10))["type"] == "ended"
                # A Send through the relay to the practice server.
                with connect(f"ws://127.0.0.1:{self.port}/relay?host=127.0.0.1&port={self.practice}", origin=self.origin,
                             additional_headers={"X-Forwarded-For": "10.1.0.1"}, open_timeout=10, close_timeout=1) as ws:
                    assert json.loads(ws.recv(timeout=10))["type"] == "connected"
                    ws.send(b"GET / HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n")
                    body = b""
                    while True:
                        m = ws.recv(timeout=10)
                        if isinstance(m, bytes):
                            body += m
                        elif json.loads(m)["type"] in ("closed", "error"):
                            break
                    assert body.startswith(b"HTTP/1.1 200 OK"), body[:40]
                # And the page itself.
                page = socket.create_connection(("127.0.0.1", self.port), timeout=10)
                page.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nConnection: close\r\n\r\n".encode())
                reply = b""
                while chunk := page.recv(65536):
                    reply += chunk
                page.close()
                assert reply.startswith(b"HTTP/1.1 200 OK"), reply[:40]
                self.real["ok"] += 1
            except Exception as e:  # noqa: BLE001 (every failure is reported)
                self.real["failures"].append(f"{type(e).__name__}: {e}")
            self.stop.wait(2)

    def run(self):
        resource.setrlimit(resource.RLIMIT_NOFILE, (8192, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        pid = self.proc.pid
        base = status(pid, "VmRSS")
        threads = [threading.Thread(target=self.slow_headers), threading.Thread(target=self.idle)]
        threads += [threading.Thread(target=self.non_reading_relay_client, args=(i,)) for i in range(20)]
        threads += [threading.Thread(target=self.room_flood, args=(f"10.66.2.{i}",)) for i in range(3)]
        threads += [threading.Thread(target=self.big_states, args=(i,)) for i in range(2)]
        threads += [threading.Thread(target=self.real_class)]
        for t in threads:
            t.daemon = True
            t.start()
        end = time.monotonic() + self.seconds
        while time.monotonic() < end:
            self.peak_fds = max(self.peak_fds, len(os.listdir(f"/proc/{pid}/fd")))
            time.sleep(0.5)
        self.stop.set()
        for t in threads:
            t.join(timeout=15)
        peak = status(pid, "VmHWM")
        stopped = time.monotonic()
        series = []
        while status(pid, "VmRSS") >= 30 * 1024 and time.monotonic() - stopped < self.settle:
            series.append(status(pid, "VmRSS") // 1024)
            time.sleep(5)
        print("  RSS every 5 s after the attack (MB):", series)
        after, settled = status(pid, "VmRSS"), time.monotonic() - stopped
        fds_after = len(os.listdir(f"/proc/{pid}/fd"))
        self.proc.terminate()
        self.proc.wait()
        print(f"{self.seconds} s of attack on loopback, with a real class every 2 s:")
        print(f"  real class (room created, student joined and mirrored, relay Send, page): {self.real['ok']}/{self.real['tried']} served")
        for f in self.real["failures"][:10]:
            print(f"    failure: {f}")
        print(f"  attackers: {', '.join(f'{k} {v}' for k, v in self.counts.items())}")
        print(f"  server RSS: {base / 1024:.1f} MB at start, peak {peak / 1024:.1f} MB; "
              f"{after / 1024:.1f} MB {settled:.1f} s after the attack ended")
        print(f"  open descriptors: at most {self.peak_fds} during, {fds_after} after")
        ok = self.real["ok"] == self.real["tried"] and peak < 200 * 1024 and after < 30 * 1024
        print("  goal (everything served, RSS < 200 MB, back under 30 MB within a minute):", "met" if ok else "NOT met")
        return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--settle", type=int, default=60, help="seconds to wait for the RSS to come down afterwards")
    args = parser.parse_args()
    sys.exit(Soak(args.seconds, args.settle).run())


if __name__ == "__main__":
    main()
