"""Whole process, side by side: `python3 benches/process.py [RUNS]`.

`wirepad parse --summary FILE` against `examples/httparse_frame.rs` (an
httparse framer: heads by httparse, bodies skipped by Content-Length or
chunk sizes) on the same files, each started fresh, A B A B ..., medians of
RUNS runs (9 by default). This is the path a user takes: a new process that
reads the file and parses it from empty memory. The inputs come from
`examples/bench_inputs.rs`, the same ones the criterion bench uses.
"""
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "target" / "release"
INPUTS = ["100k-pipelined.response", "500-headers.response", "8MiB-chunked-4KiB.response", "nginx-response.response"]


def wall(cmd):
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - started) * 1000


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "wirepad", "--example", "httparse_frame", "--example", "bench_inputs"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(RELEASE / "examples" / "bench_inputs"), tmp], check=True, stdout=subprocess.DEVNULL)
        print("| input | wirepad parse --summary | httparse framer | wirepad / framer throughput |")
        print("|---|---|---|---|")
        for name in INPUTS:
            path = str(Path(tmp) / name)
            kind = "request" if name.endswith(".request") else "response"
            a_cmd = [str(RELEASE / "wirepad"), "parse", "--summary", path]
            b_cmd = [str(RELEASE / "examples" / "httparse_frame"), kind, path]
            wall(a_cmd), wall(b_cmd)  # warm the page cache and the binaries
            a, b = [], []
            for _ in range(runs):
                a.append(wall(a_cmd))
                b.append(wall(b_cmd))
            ma, mb = statistics.median(a), statistics.median(b)
            print(f"| {name} | {ma:.1f} ms | {mb:.1f} ms | {mb / ma:.2f}x |")


if __name__ == "__main__":
    main()
