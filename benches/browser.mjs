// Headless Chromium driven over a bare DevTools protocol connection, for the
// page benchmarks.
//
// Why not Playwright, as the tests use: Playwright turns on DevTools'
// Network domain for every page, and with it Chromium copies the payload of
// every WebSocket frame to the DevTools client (base64, across processes).
// Measured on the 8 MiB Send: with the Network domain on, the page took
// 307–315 ms and a bare WebSocket 152–156 ms; with it off, in the same
// Chromium, 162–165 ms and 37–38 ms. A student's browser has no DevTools
// attached, so the benchmarks use only the Target, Page, Runtime, DOM, Input
// and Emulation domains. `networkDomain()` turns it on, to show the difference.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import WebSocket from '../tests/node_modules/ws/index.js';

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts Chromium; resolves to `{newPage(width, height), close()}`. */
export async function launch() {
  const profile = mkdtempSync(`${tmpdir()}/wirepad-bench-`);
  const chrome = spawn('/usr/bin/chromium', ['--headless=new', '--remote-debugging-port=0', `--user-data-dir=${profile}`, ...CHROMIUM_FLAGS, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const endpoint = await new Promise((resolve, reject) => {
    let text = '';
    chrome.stderr.on('data', (d) => {
      text += d;
      const m = text.match(/DevTools listening on (ws:\S+)/);
      if (m) resolve(m[1]);
    });
    chrome.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${text}`)));
  });
  const socket = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let next = 0;
  const waiting = new Map();
  socket.on('message', (data) => {
    const m = JSON.parse(data);
    const w = m.id && waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(`${w.method}: ${m.error.message}`));
    else w.resolve(m.result);
  });
  const call = (method, params = {}, sessionId = undefined) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject, method });
    socket.send(JSON.stringify({ id, method, params, sessionId }));
  });

  async function newPage(width = 1400, height = 900) {
    const { targetId } = await call('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await call('Target.attachToTarget', { targetId, flatten: true });
    const on = (method, params) => call(method, params, sessionId);
    await on('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    /** `fn(arg)` in the page (awaited); its value, as JSON. */
    const evaluate = async (fn, arg) => {
      const r = await on('Runtime.evaluate', { expression: `(${fn})(${JSON.stringify(arg)})`, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value;
    };
    return {
      evaluate,
      /** Polls `fn(arg)` every `interval` ms until it is truthy; its value. */
      async waitFor(fn, arg, { interval = 100, timeout = 60000 } = {}) {
        const until = Date.now() + timeout;
        for (;;) {
          const v = await evaluate(fn, arg).catch((e) => (/context|navigat/i.test(e.message) ? null : Promise.reject(e)));
          if (v) return v;
          if (Date.now() > until) throw new Error(`timed out waiting for ${fn}`);
          await new Promise((r) => setTimeout(r, interval));
        }
      },
      goto: (url) => on('Page.navigate', { url }),
      /**
       * Clicks the middle of `selector` with the mouse (moved there, pressed,
       * released), as a user does: the pointer then stays over it, and
       * Chromium keeps its hover state up to date while the page changes.
       */
      async click(selector) {
        const { x, y } = await evaluate((sel) => {
          const r = document.querySelector(sel).getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }, selector);
        await on('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
        await on('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', buttons: 1, clickCount: 1 });
        await on('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', buttons: 0, clickCount: 1 });
      },
      /** Sets the files of the file input `selector` (as a user choosing them). */
      async setInputFiles(selector, files) {
        const { root } = await on('DOM.getDocument', { depth: 0 });
        const { nodeId } = await on('DOM.querySelector', { nodeId: root.nodeId, selector });
        await on('DOM.setFileInputFiles', { files, nodeId });
      },
      /** DevTools' Network domain on, as Playwright and an open DevTools have it. */
      networkDomain: () => on('Network.enable'),
      close: () => call('Target.closeTarget', { targetId }),
    };
  }

  return {
    newPage,
    async close() {
      socket.close();
      if (chrome.exitCode === null && chrome.signalCode === null) {
        const exited = new Promise((r) => chrome.once('exit', r));
        chrome.kill();
        await exited;
      }
      // Its helper processes (in its own process group) may still be
      // writing the profile: they go too before it is removed.
      try {
        process.kill(-chrome.pid, 'SIGKILL');
      } catch {
        // the group has already gone
      }
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}
