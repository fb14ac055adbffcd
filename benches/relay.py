"""The relay's speed, in one run, on loopback: `python3 benches/relay.py`
(`make bench` runs it after `make build`).

1. An 8 MiB response from nginx read by the same asyncio client directly,
   through `wirepad serve`, and through websockify (the peer).
2. The latency a small keep-alive exchange gains through the relay (p50, p99).
3. 1,000 relay sessions held open at once: all must connect and answer,
   and the relay's resident memory is read from /proc.
"""
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "servers"))

from conftest import BIG, WIREPAD, free_port, nginx_in, start, stop  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

RUNS = 10
SMALL_RUNS = 2000
SESSIONS = 1000


def request(target, close=True):
    extra = "Connection: close\r\n" if close else ""
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


async def direct_big(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request("/big.bin"))
    n = 0
    while chunk := await reader.read(1 << 20):
        n += len(chunk)
    writer.close()
    return n


async def relay_big(relay_port, port):
    url = f"ws://127.0.0.1:{relay_port}/relay?host=127.0.0.1&port={port}"
    async with connect(url, origin=f"http://127.0.0.1:{relay_port}", max_size=None) as ws:
        assert json.loads(await ws.recv())["type"] == "connected"
        await ws.send(request("/big.bin"))
        n = 0
        async for m in ws:
            if isinstance(m, bytes):
                n += len(m)
        return n


async def websockify_big(ws_port):
    async with connect(f"ws://127.0.0.1:{ws_port}/", subprotocols=["binary"], max_size=None) as ws:
        await ws.send(request("/big.bin"))
        n = 0
        async for m in ws:
            n += len(m)
        return n


def timed(make, runs=RUNS):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        n = asyncio.run(make())
        times.append(time.perf_counter() - t)
        assert n > len(BIG), n
    return statistics.median(times) * 1000


async def small_exchanges(send, recv_response, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        await send(request("/index.html", close=False))
        await recv_response()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.99)]


async def latency(relay_port, port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def send_direct(b):
        writer.write(b)

    async def recv_direct():
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        await reader.readexactly(length)

    direct = await small_exchanges(send_direct, recv_direct, SMALL_RUNS)
    writer.close()
    url = f"ws://127.0.0.1:{relay_port}/relay?host=127.0.0.1&port={port}"
    async with connect(url, origin=f"http://127.0.0.1:{relay_port}", max_size=None, compression=None) as ws:
        assert json.loads(await ws.recv())["type"] == "connected"
        buf = bytearray()

        async def recv_relay():
            while True:
                head, sep, rest = bytes(buf).partition(b"\r\n\r\n")
                if sep:
                    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
                    if len(rest) >= length:
                        del buf[: len(head) + 4 + length]
                        return
                m = await ws.recv()
                if isinstance(m, bytes):
                    buf.extend(m)

        relayed = await small_exchanges(ws.send, recv_relay, SMALL_RUNS)
    return direct, relayed


async def hold_sessions(relay_port, port, relay_pid):
    url = f"ws://127.0.0.1:{relay_port}/relay?host=127.0.0.1&port={port}"
    origin = f"http://127.0.0.1:{relay_port}"
    sockets = []
    for i in range(0, SESSIONS, 100):
        batch = await asyncio.gather(*(connect(url, origin=origin, max_size=None) for _ in range(100)))
        sockets.extend(batch)
    connected = sum([json.loads(await ws.recv())["type"] == "connected" for ws in sockets])
    rss_mb = int(next(line.split()[1] for line in open(f"/proc/{relay_pid}/status") if line.startswith("VmRSS"))) / 1024

    async def answer(ws):
        await ws.send(request("/index.html"))
        data = b""
        async for m in ws:
            if isinstance(m, bytes):
                data += m
        return data.startswith(b"HTTP/1.1 200 OK")

    answered = sum(await asyncio.gather(*(answer(ws) for ws in sockets)))
    return connected, answered, rss_mb


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    with tempfile.TemporaryDirectory() as tmp:
        nginx_port, nginx = nginx_in(Path(tmp))
        relay_port, ws_port = free_port(), free_port()
        relay = start([str(WIREPAD), "serve", "--listen", f"127.0.0.1:{relay_port}", "--no-practice", "--allow-target", f"127.0.0.1:{nginx_port}", "--max-sessions-per-ip", str(SESSIONS + 10)], relay_port)
        websockify = start([sys.executable, "-m", "websockify", f"127.0.0.1:{ws_port}", f"127.0.0.1:{nginx_port}"], ws_port)
        try:
            d = timed(lambda: direct_big(nginx_port))
            r = timed(lambda: relay_big(relay_port, nginx_port))
            w = timed(lambda: websockify_big(ws_port))
            print(f"8 MiB response, median of {RUNS}: direct {d:.1f} ms, wirepad relay {r:.1f} ms ({r / d:.2f}x direct), websockify {w:.1f} ms ({w / d:.2f}x direct)")
            (dp50, dp99), (rp50, rp99) = asyncio.run(latency(relay_port, nginx_port))
            print(f"small keep-alive exchange, {SMALL_RUNS} runs: direct p50 {dp50:.3f} ms p99 {dp99:.3f} ms; relay p50 {rp50:.3f} ms p99 {rp99:.3f} ms; added p50 {rp50 - dp50:.3f} ms")
            connected, answered, rss = asyncio.run(hold_sessions(relay_port, nginx_port, relay.pid))
            print(f"{SESSIONS} concurrent sessions: {connected} connected, {answered} answered, relay RSS {rss:.1f} MB while holding them")
            assert relay.poll() is None, "the relay died"
        finally:
            for p in (relay, websockify, nginx):
                stop(p)


if __name__ == "__main__":
    main()
