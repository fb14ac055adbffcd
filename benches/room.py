"""Class rooms under load: `python3 benches/room.py [--followers 500] [--hold 60]`.

Starts the real `wirepad serve` (target/release/wirepad) on loopback and
drives it with WebSocket clients in this one process, so that one clock
times both ends:

1. One room, 500 followers: the teacher sends a state (about 2 KB, like a
   page's view with marks) every 20 ms, 200 times; for each, the time from
   the teacher's send to the moment the *last* follower has it. p50 and p95
   of that. The clients share one Python event loop, so the figure includes
   the time this process takes to read 500 messages: it is an upper bound.
2. The server's resident memory with no room, and with those followers.
3. 1,000 followers across 5 rooms, held for `--hold` seconds with each
   teacher sending a state every second: every follower must get every
   state, and no connection may drop.
"""
import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
WIREPAD = ROOT / "target" / "release" / "wirepad"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Server:
    def __init__(self):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            # Each follower names its own address in X-Forwarded-For, as students
            # behind the nginx of docs/operating.md do: one address's join
            # budget (--join-rate) is not what is measured.
            [str(WIREPAD), "serve", "--listen", f"127.0.0.1:{self.port}", "--no-practice", "--max-followers", "500",
             "--trust-proxy", "127.0.0.1/32"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("wirepad serve did not start")

    def url(self, query):
        return f"ws://127.0.0.1:{self.port}/room?{query}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


opened = 0


async def open_room(server):
    """A teacher's room, each teacher from its own address (--max-rooms-per-ip)."""
    global opened
    opened += 1
    teacher = await connect(server.url("create"), origin=server.origin, max_size=None,
                            additional_headers={"X-Forwarded-For": f"10.7.0.{opened}"})
    created = json.loads(await teacher.recv())
    assert created["type"] == "created", created
    return teacher, created["code"]


joined = 0


async def join(server, code, n):
    """n followers of room `code`, joined a few at a time (each reads its hello),
    each from its own address."""
    async def one():
        global joined
        joined += 1
        address = f"10.8.{joined >> 8 & 255}.{joined & 255}"
        ws = await connect(server.url(f"code={code}"), origin=server.origin, max_size=None, open_timeout=30,
                           additional_headers={"X-Forwarded-For": address})
        hello = json.loads(await ws.recv())
        assert hello["type"] == "joined", hello
        return ws

    followers = []
    for i in range(0, n, 50):
        followers += await asyncio.gather(*(one() for _ in range(min(50, n - i))))
    return followers


def view(i):
    # About the size of a page's view: a selection, a step, a few marks with notes.
    marks = [{"wire": "response", "start": k * 10, "end": k * 10 + 5, "color": k % 5 + 1, "note": "look here " * 8} for k in range(20)]
    return {"type": "state", "state": {"id": 1, "seq": i, "selection": {"wire": "response", "index": i}, "marks": marks}}


async def latency(server, n_followers, rounds=200):
    teacher, code = await open_room(server)
    idle = rss_kib(server.proc.pid)
    followers = await join(server, code, n_followers)
    await asyncio.sleep(0.5)
    held = rss_kib(server.proc.pid)
    last_seen = {}

    async def reader(ws):
        while True:
            raw = await ws.recv()
            t = time.perf_counter()  # before this process spends time decoding it
            m = json.loads(raw)
            if m["type"] == "state":
                seq = m["state"]["seq"]
                last_seen[seq] = max(last_seen.get(seq, 0.0), t)
                counts[seq] = counts.get(seq, 0) + 1

    async def drain_teacher():
        while True:
            await teacher.recv()

    counts = {}
    tasks = [asyncio.create_task(reader(f)) for f in followers] + [asyncio.create_task(drain_teacher())]
    sent = {}
    payloads = [json.dumps(view(i)) for i in range(rounds)]
    for i in range(rounds):
        sent[i] = time.perf_counter()
        await teacher.send(payloads[i])
        await asyncio.sleep(0.02)
    deadline = time.perf_counter() + 10
    while sum(counts.values()) < rounds * n_followers and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    got = sum(counts.values())
    for t in tasks:
        t.cancel()
    lat = sorted((last_seen[i] - sent[i]) * 1000 for i in range(rounds) if counts.get(i) == n_followers)
    for ws in followers + [teacher]:
        await ws.close()
    return {
        "delivered": f"{got}/{rounds * n_followers}",
        "p50_ms": statistics.median(lat),
        "p95_ms": lat[int(len(lat) * 0.95) - 1],
        "max_ms": lat[-1],
        "rss_idle_mib": idle / 1024,
        "rss_with_followers_mib": held / 1024,
        "rss_per_follower_kib": (held - idle) / n_followers,
    }


async def hold(server, rooms=5, per_room=200, seconds=60):
    opened = [await open_room(server) for _ in range(rooms)]
    groups = [await join(server, code, per_room) for _, code in opened]
    received = [[0] * per_room for _ in range(rooms)]
    closed = []

    async def reader(r, k, ws):
        try:
            while True:
                m = json.loads(await ws.recv())
                if m["type"] == "state":
                    received[r][k] += 1
        except Exception as e:  # a drop
            closed.append(repr(e))

    async def drain(ws):
        try:
            while True:
                await ws.recv()
        except Exception:
            pass

    tasks = [asyncio.create_task(reader(r, k, ws)) for r, g in enumerate(groups) for k, ws in enumerate(g)]
    tasks += [asyncio.create_task(drain(t)) for t, _ in opened]
    rss = []
    for s in range(seconds):
        for i, (teacher, _) in enumerate(opened):
            await teacher.send(json.dumps(view(s)))
        rss.append(rss_kib(server.proc.pid))
        await asyncio.sleep(1)
    await asyncio.sleep(1)
    alive = sum(1 for g in groups for ws in g if ws.state.name == "OPEN")
    complete = sum(1 for r in received for n in r if n == seconds)
    for t in tasks:
        t.cancel()
    for ws in [w for g in groups for w in g] + [t for t, _ in opened]:
        await ws.close()
    return {
        "followers": rooms * per_room,
        "seconds": seconds,
        "open_at_end": alive,
        "got_every_state": complete,
        "drops": len(closed),
        "rss_max_mib": max(rss) / 1024,
    }


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--followers", type=int, default=500)
    ap.add_argument("--hold", type=int, default=60)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if not WIREPAD.exists():
        sys.exit(f"{WIREPAD} is missing: run `cargo build --release` first")
    server = Server()
    try:
        r = await latency(server, args.followers)
        print(f"{args.followers} followers, one room: teacher's state to the last follower p50 {r['p50_ms']:.1f} ms, "
              f"p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms (delivered {r['delivered']})")
        print(f"server RSS: {r['rss_idle_mib']:.1f} MiB idle, {r['rss_with_followers_mib']:.1f} MiB with them: "
              f"{r['rss_per_follower_kib']:.1f} KiB per follower")
        h = await hold(server, seconds=args.hold)
        print(f"{h['followers']} followers in 5 rooms for {h['seconds']} s: {h['open_at_end']} open at the end, "
              f"{h['got_every_state']} got every state, {h['drops']} drops, server RSS at most {h['rss_max_mib']:.1f} MiB")
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
