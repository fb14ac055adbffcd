// The wasm build against the native binary, on the criterion inputs, in one run.
// Usage: node benches/wasm.mjs   (after `make build`; `make bench` runs it)
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as wirepad from '../www/pkg/wirepad.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = `${root}target/bench-inputs`;
execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench_inputs', '--', dir], { cwd: root, stdio: 'inherit' });
wirepad.initSync({ module: readFileSync(`${root}www/pkg/wirepad_bg.wasm`) });

const rows = [];
for (const file of readdirSync(dir).sort()) {
  const [name, kind] = file.split('.');
  const input = readFileSync(`${dir}/${file}`);
  // Enough repetitions for about a second of work, at least 3.
  const once = time(() => wirepad.parse_summary(input, { kind }), 1);
  const reps = Math.max(3, Math.min(20000, Math.round(1000 / Math.max(once, 0.001))));
  const wasmMs = time(() => wirepad.parse_summary(input, { kind }), reps);
  const native = execFileSync(`${root}target/release/wirepad`, ['parse', '--summary', '--kind', kind, '--repeat', String(reps), `${dir}/${file}`]).toString();
  const nativeMs = Number(/mean_parse_us=([\d.]+)/.exec(native)[1]) / 1000;
  const mib = input.length / (1 << 20);
  rows.push({ input: name, bytes: input.length, 'native ms': nativeMs.toFixed(4), 'wasm ms': wasmMs.toFixed(4), 'wasm/native': (wasmMs / nativeMs).toFixed(2), 'wasm MiB/s': (mib / (wasmMs / 1000)).toFixed(0) });
}
console.table(rows);

function time(fn, reps) {
  fn(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / reps;
}
