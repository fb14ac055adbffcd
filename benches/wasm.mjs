// The wasm build against the native binary, on the same inputs, in one run.
//
// - `wasm parse`: `parse(bytes)` in Node with its full result in JavaScript
//   (span columns, message objects, diagnostics): what the page gets.
// - `native process`: the whole `wirepad parse --summary FILE` process,
//   started fresh each time (exec, read, parse, print), as a user runs it;
//   timed from Python (a fork and an exec), not through Node's spawnSync.
// - `native parse`: one parse inside that process (`--repeat`), for scale.
//
// Usage: node benches/wasm.mjs   (after `make build`; `make bench` runs it)
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as wirepad from '../www/pkg/wirepad.js';
import * as full from '../www/pkg-decode/wirepad.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = `${root}target/bench-inputs`;
execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench_inputs', '--', dir], { cwd: root, stdio: 'inherit' });
// 10,000 pipelined responses: the first tenth of the 100,000.
const pipelined = readFileSync(`${dir}/100k-pipelined.response`);
writeFileSync(`${dir}/10k-pipelined.response`, pipelined.subarray(0, pipelined.length / 10));
wirepad.initSync({ module: readFileSync(`${root}www/pkg/wirepad_bg.wasm`) });
full.initSync({ module: readFileSync(`${root}www/pkg-decode/wirepad_bg.wasm`) });
const binary = `${root}target/release/wirepad`;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median ms of `fn` over `runs` runs of `reps` calls each (after a warm-up). */
function time(fn, reps, runs = 7) {
  fn();
  const out = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    out.push(Number(process.hrtime.bigint() - start) / 1e6 / reps);
  }
  return median(out);
}

/**
 * Median wall ms of the whole native process, started fresh each run by
 * Python's subprocess (a fork and an exec: about a millisecond), not by
 * Node's spawnSync, which costs about 10 ms of its own even for a
 * 59-byte request.
 */
const PROCESS_TIMER = `
import statistics, subprocess, sys, time
runs = []
for r in range(16):
    start = time.perf_counter()
    p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ms = (time.perf_counter() - start) * 1000
    if p.returncode not in (0, 1):
        sys.exit(p.stderr.decode())
    if r > 0:  # the first run warms the page cache
        runs.append(ms)
print(statistics.median(runs))
`;
function processMs(kind, file) {
  return Number(execFileSync('python3', ['-c', PROCESS_TIMER, binary, 'parse', '--summary', '--kind', kind, file]).toString());
}

const rows = [];
for (const file of readdirSync(dir).sort()) {
  const [name, kind] = file.split('.');
  const path = `${dir}/${file}`;
  const input = readFileSync(path);
  const once = time(() => wirepad.parse(input, { kind }), 1, 1);
  const reps = Math.max(1, Math.min(5000, Math.round(200 / Math.max(once, 0.001))));
  const wasmMs = time(() => wirepad.parse(input, { kind }), reps);
  const summaryMs = time(() => full.parse_summary(input, { kind }), reps);
  const wholeMs = processMs(kind, path);
  const inner = execFileSync(binary, ['parse', '--summary', '--kind', kind, '--repeat', String(Math.max(3, reps)), path]).toString();
  const innerMs = Number(/mean_parse_us=([\d.]+)/.exec(inner)[1]) / 1000;
  const r = wirepad.parse(input, { kind });
  rows.push({
    input: name,
    bytes: input.length,
    spans: r.spans.end.length,
    'wasm parse ms': wasmMs.toFixed(3),
    'native process ms': wholeMs.toFixed(3),
    'wasm / process': (wasmMs / wholeMs).toFixed(2),
    'wasm summary ms': summaryMs.toFixed(3),
    'native parse ms': innerMs.toFixed(3),
  });
}
console.table(rows);
