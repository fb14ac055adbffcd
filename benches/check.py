"""The whole `wirepad check` suite against a server on loopback:
`python3 benches/check.py [RUNS]` (`make bench` runs it).

A fresh `wirepad check URL` process (start-up, every check on its own
connection, 16 at once, the report written) timed from start to exit
against nginx, Python's http.server and the practice server, RUNS runs
each (7 by default), the servers taking turns; prints the median, the
fastest and the slowest of each. The goal (issue 25): under 5 s.
"""
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "servers"))

from conftest import WIREPAD  # noqa: E402
from known_servers import known_servers  # noqa: E402

SERVERS = ["nginx", "Python http.server", "wirepad practice server"]


def timed(url):
    """Seconds one `wirepad check URL` process takes, and how many checks it ran."""
    started = time.perf_counter()
    r = subprocess.run([str(WIREPAD), "check", url], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    assert r.returncode in (0, 1), r.stderr
    return seconds, r.stdout


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with known_servers() as servers:
        urls = {name: url for name, _, url in servers if name in SERVERS}
        for url in urls.values():
            timed(url)  # warm the binary and the servers
        times = {name: [] for name in urls}
        for _ in range(runs):
            for name, url in urls.items():
                times[name].append(timed(url)[0])
        checks = timed(urls["nginx"])[1].strip().splitlines()[-1]
    print(f"whole suite, fresh process, {runs} runs each ({checks})")
    print("| server | median | fastest | slowest | goal |")
    print("|---|---|---|---|---|")
    for name, t in times.items():
        print(f"| {name} | {statistics.median(t):.2f} s | {min(t):.2f} s | {max(t):.2f} s | < 5 s |")


if __name__ == "__main__":
    main()
