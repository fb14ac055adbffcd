// The page's speed in real headless Chromium, against a real `wirepad serve`:
// time from navigation to an annotated request, the wasm package size, and
// time until an 8 MiB response is annotated and scrollable.
// Usage: node benches/page.mjs   (after `make build`; `make bench` runs it)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from '../tests/node_modules/playwright-core/index.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 10;

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const port = await freePort();
const practice = await freePort();
const relay = spawn(`${root}target/release/wirepad`, ['serve', '--listen', `127.0.0.1:${port}`, '--practice-listen', `127.0.0.1:${practice}`], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const url = `http://127.0.0.1:${port}/`;
  const annotated = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    annotated.push(await page.waitForFunction(() => window.wirepad.timings.requestAnnotated).then((h) => h.jsonValue()));
    await page.close();
  }

  const wasm = readFileSync(`${root}www/pkg/wirepad_bg.wasm`);
  const gz = gzipSync(wasm, { level: 9 }).length;

  const big = [];
  const scroll = [];
  for (let i = 0; i < 5; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.waitForFunction(() => window.wirepad.timings.requestAnnotated);
    await page.selectOption('#preset', { label: 'Big: 8 MiB response' });
    const t0 = await page.evaluate(() => performance.now());
    await page.click('#send');
    const t1 = await page.waitForFunction(() => window.wirepad.timings.responseAnnotated).then((h) => h.jsonValue());
    big.push(t1 - t0);
    scroll.push(await page.evaluate(async () => {
      const el = document.querySelector('#response-wire');
      const start = performance.now();
      el.scrollTop = el.scrollHeight * 0.75;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const ok = [...el.querySelectorAll('[data-kind]')].some((e) => Number(e.dataset.start) > 6 * 1024 * 1024);
      return ok ? performance.now() - start : Infinity;
    }));
    await page.close();
  }
  console.log(`navigation to annotated request: median ${median(annotated).toFixed(0)} ms of ${RUNS} (goal < 300 ms)`);
  console.log(`wasm package: ${(wasm.length / 1024).toFixed(0)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped (goal < 150 KB)`);
  console.log(`8 MiB response, Send to annotated: median ${median(big).toFixed(0)} ms of 5 (goal < 1500 ms); a scroll to 75% repaints in ${median(scroll).toFixed(1)} ms`);
} finally {
  await browser.close();
  relay.kill();
}
