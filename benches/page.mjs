// The page's speed in real headless Chromium, against a real `wirepad serve`:
// time from navigation to an annotated request, the wasm package size, time
// from the click on Send until an 8 MiB response is annotated and
// scrollable, and time until a capture of 16,000 or 100,000 pipelined
// responses, loaded with Load, is annotated and scrollable.
//
// Chromium is driven as a user's browser runs: without DevTools' Network
// domain, which copies every WebSocket frame to the DevTools client (see
// browser.mjs). The Send is also timed with it on, as under Playwright, to
// show what that harness adds.
// Usage: node benches/page.mjs   (after `make build`; `make bench` runs it)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 10;
const SENDS = 7;

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
const browser = await launch();
const url = `http://127.0.0.1:${port}/`;

/** A fresh page with the request annotated. */
async function open() {
  const page = await browser.newPage(1400, 900);
  await page.goto(url);
  await page.waitFor(() => window.wirepad?.timings?.requestAnnotated);
  return page;
}

/**
 * A real click on a span near the end of the capture on screen, timed from
 * the click event to the next frame: its explanation, context notes
 * included, is written by then.
 */
async function clickNearEnd(page) {
  const start = await page.evaluate(async () => {
    // The wire in view, scrolled to its end, and the last header name shown.
    const el = document.querySelector('#response-wire');
    el.scrollIntoView({ block: 'nearest' });
    el.scrollTop = el.scrollHeight;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const box = el.getBoundingClientRect();
    const inView = (s) => {
      const r = s.getBoundingClientRect();
      return r.top >= Math.max(0, box.top) && r.bottom <= Math.min(innerHeight, box.bottom);
    };
    const span = [...el.querySelectorAll('[data-kind="header-name"]')].filter(inView).pop();
    window.wirepad.explained = null;
    const before = document.querySelector('#explain').textContent;
    document.addEventListener('click', (e) => {
      const t0 = e.timeStamp;
      requestAnimationFrame(() => {
        window.wirepad.explained = { ms: performance.now() - t0, changed: document.querySelector('#explain').textContent !== before };
      });
    }, { once: true });
    return span.dataset.start;
  });
  await page.click(`#response-wire [data-start="${start}"]`);
  const r = await page.waitFor(() => window.wirepad.explained);
  if (!r.changed) throw new Error('the click near the end did not explain its span');
  return r.ms;
}

/**
 * One 8 MiB Send in a fresh page, timed from the click event's time stamp
 * to the page's `responseAnnotated` mark (its own clock), then a scroll to
 * 75% of the wire, then a bare WebSocket through the relay in the same page
 * receiving the same bytes (no parse, no paint): the floor.
 */
async function send({ network }) {
  const page = await open();
  if (network) await page.networkDomain();
  await page.evaluate(() => {
    const s = document.querySelector('#preset');
    s.value = [...s.options].find((o) => o.label === 'Big: 8 MiB response').value;
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await new Promise((r) => setTimeout(r, 300));
  await page.evaluate(() => document.querySelector('#send').addEventListener('click', (e) => { window.wirepad.timings.click = e.timeStamp; }, { capture: true, once: true }));
  await page.click('#send');
  // Polled on a timer: the figure is read from the page's own clock.
  const t = await page.waitFor(() => window.wirepad.timings.responseAnnotated && window.wirepad.timings, null, { interval: 200 });
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector('#response-wire');
    const start = performance.now();
    el.scrollTop = el.scrollHeight * 0.75;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const ok = [...el.querySelectorAll('[data-kind]')].some((e) => Number(e.dataset.start) > 6 * 1024 * 1024);
    return ok ? performance.now() - start : null;
  });
  if (scroll === null) throw new Error('a scroll to 75% did not paint the bytes there');
  const bare = await page.evaluate((at) => new Promise((resolve) => {
    const ws = new WebSocket(`ws://${location.host}/relay?host=127.0.0.1&port=${at}`);
    ws.binaryType = 'arraybuffer';
    let n = 0;
    let t0 = 0;
    ws.onopen = () => {
      t0 = performance.now();
      ws.send(new TextEncoder().encode('GET /large?bytes=8388608 HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n'));
    };
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') return;
      n += e.data.byteLength;
      if (n >= 8388608) resolve(performance.now() - t0);
    };
  }), practice);
  await page.close();
  return { total: t.responseAnnotated - t.click, firstByte: t.firstByte - t.click, delivery: t.lastByte - t.firstByte, after: t.responseAnnotated - t.lastByte, scroll, bare };
}

try {
  const annotated = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await open();
    annotated.push(await page.evaluate(() => window.wirepad.timings.requestAnnotated));
    await page.close();
  }

  const wasm = readFileSync(`${root}www/pkg/wirepad_bg.wasm`);
  const gz = gzipSync(wasm, { level: 9 }).length;

  // Sends as a user's browser makes them, and with DevTools' Network domain
  // on, alternated in one run.
  const sends = { user: [], network: [] };
  for (let i = 0; i < SENDS; i++) {
    sends.user.push(await send({ network: false }));
    sends.network.push(await send({ network: true }));
  }
  const figure = (runs, key) => median(runs.map((r) => r[key]));

  // Captures of pipelined nginx-style responses (the criterion input).
  const dir = `${root}target/bench-inputs`;
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench_inputs', '--', dir], { cwd: root, stdio: 'inherit' });
  const all = readFileSync(`${dir}/100k-pipelined.response`);
  // The files a user picks with Load (not in bench-inputs: benches/wasm.mjs reads every file there).
  const tmp = mkdtempSync(`${tmpdir()}/wirepad-page-bench-`);
  const loads = {};
  const clicks = [];
  for (const count of [16000, 100000]) {
    const file = `${tmp}/pipelined-${count}.txt`;
    writeFileSync(file, all.subarray(0, (all.length / 100000) * count));
    loads[count] = [];
    for (let i = 0; i < 3; i++) {
      const page = await open();
      await page.setInputFiles('#load', [file]);
      // From the file chosen to the response annotated, then one scroll
      // painted: the capture is on screen and scrollable.
      await page.waitFor(() => window.wirepad.timings.captureAnnotated > window.wirepad.timings.captureStart);
      const ms = await page.evaluate(async () => {
        const el = document.querySelector('#response-wire');
        el.scrollTop = el.scrollHeight * 0.75;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const t = window.wirepad.timings;
        const total = parseInt(document.querySelector('#response-size').textContent, 10);
        const deep = [...el.querySelectorAll('[data-kind]')].some((e) => Number(e.dataset.start) > 0.7 * total);
        const treeLast = document.querySelector('#tree');
        treeLast.scrollTop = treeLast.scrollHeight;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const lastTitle = [...treeLast.querySelectorAll('.msg-title')].pop()?.textContent ?? '';
        return { ms: performance.now() - t.captureStart, deep, lastTitle };
      });
      if (!ms.deep) throw new Error('a scroll to 75% did not paint the bytes there');
      if (!ms.lastTitle.includes(`Response ${count}:`)) throw new Error(`the tree does not reach response ${count}: ${ms.lastTitle}`);
      loads[count].push(ms.ms);
      if (count === 100000) clicks.push(await clickNearEnd(page));
      await page.close();
    }
  }
  rmSync(tmp, { recursive: true, force: true });

  const u = sends.user;
  const n = sends.network;
  console.log(`navigation to annotated request: median ${median(annotated).toFixed(0)} ms of ${RUNS} (goal < 300 ms)`);
  console.log(`wasm package: ${(wasm.length / 1024).toFixed(0)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped (goal < 80 KB)`);
  console.log(`8 MiB response, click on Send to annotated: median ${figure(u, 'total').toFixed(0)} ms of ${SENDS} (goal < 250 ms; all: ${u.map((r) => r.total.toFixed(0)).join(' ')}), of which click to first byte ${figure(u, 'firstByte').toFixed(0)} ms, first to last byte ${figure(u, 'delivery').toFixed(0)} ms and last byte to annotated ${figure(u, 'after').toFixed(0)} ms; a bare WebSocket receives the same bytes in ${figure(u, 'bare').toFixed(0)} ms; a scroll to 75% repaints in ${figure(u, 'scroll').toFixed(1)} ms`);
  console.log(`  the same with DevTools' Network domain on (as under Playwright): median ${figure(n, 'total').toFixed(0)} ms, first to last byte ${figure(n, 'delivery').toFixed(0)} ms; a bare WebSocket ${figure(n, 'bare').toFixed(0)} ms`);
  console.log(`capture of 16,000 pipelined responses (4.7 MB), Load to annotated and scrolled: median ${median(loads[16000]).toFixed(0)} ms of 3 (goal < 500 ms)`);
  console.log(`capture of 100,000 pipelined responses (29 MB), Load to annotated and scrolled: median ${median(loads[100000]).toFixed(0)} ms of 3 (goal < 1000 ms)`);
  console.log(`  a click on a header name near its end, to the next frame with the span explained: median ${median(clicks).toFixed(1)} ms of 3 (goal < 50 ms)`);
} finally {
  await browser.close();
  relay.kill();
}
