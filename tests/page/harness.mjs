// Shared setup for the page's Chromium tests (the same as e2e.test.mjs does
// for itself): servers on free loopback ports, `wirepad serve` (the release
// build, or the binary named by WIREPAD_BIN), and headless Chromium (Debian's,
// driven by playwright-core).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const shots = `${root}target/screenshots`;
mkdirSync(shots, { recursive: true });

const procs = [];

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port, proc) {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`${proc.spawnfile} exited with ${proc.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = createServer().listen(port, '127.0.0.1');
      s.on('listening', () => s.close(() => resolve(false)));
      s.on('error', () => resolve(true));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Kills `proc` when the tests end (teardown). */
export function track(proc) {
  procs.push(proc);
  return proc;
}

async function start(cmd, args, port) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  procs.push(p);
  await waitForPort(port, p);
  return p;
}

/** Starts a server on a free port, `command(port)` giving [cmd, args]; tries another port if it was taken meanwhile. */
export async function startOnFreePort(command) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      await start(...command(port), port);
      return port;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/**
 * Starts the Node.js test server and `wirepad serve` allowed to reach it,
 * then Chromium. Returns {browser, relay: {url, practice}, nodePort}.
 */
export async function setup() {
  const nodePort = await startOnFreePort((port) => ['node', [`${root}tests/servers/node_server.mjs`, String(port)]]);
  const bin = process.env.WIREPAD_BIN || `${root}target/release/wirepad`;
  const practice = await freePort();
  const port = await startOnFreePort((port) => [bin, ['serve', '--listen', `127.0.0.1:${port}`, '--practice-listen', `127.0.0.1:${practice}`, '--allow-target', `127.0.0.1:${nodePort}`]]);
  const browser = await launchBrowser();
  return { browser, relay: { url: `http://127.0.0.1:${port}/`, practice }, nodePort };
}

/**
 * Debian's headless Chromium, with the flags the machine needs. Playwright
 * hides scrollbars in headless mode; with `scrollbars`, they take their room
 * as on a student's desktop.
 */
export function launchBrowser({ scrollbars = false } = {}) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ignoreDefaultArgs: scrollbars ? ['--hide-scrollbars'] : [],
  });
}

export async function teardown(browser) {
  await browser?.close();
  for (const p of procs) p.kill();
}

// The pages open now: a test that fails midway leaves its pages (and the
// class rooms they hold) open; closeLeftOpen, after each test, closes them,
// so that one failure does not make a later test meet the rooms' limits.
const openPages = new Set();

/** Closes the pages a test left open (run after each test). */
export async function closeLeftOpen() {
  for (const page of [...openPages]) await page.close().catch(() => {});
}

/**
 * Waits until the page's store drew what the last input changed: the views
 * over the store (www/js/store.js) draw once, at the next animation frame.
 */
export const drawn = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))).catch(() => {});

/**
 * Makes the page's inputs (a click, a key, a fill...) resolve once the store
 * drew what they changed, as a student sees it: what a test reads after an
 * input is the page as drawn. (A locator's click does not: call drawn.)
 */
export function drawsAfterInput(page) {
  for (const [target, names] of [[page, ['click', 'fill', 'dispatchEvent', 'selectOption', 'check', 'uncheck', 'press']], [page.keyboard, ['press', 'type']]]) {
    for (const name of names) {
      const input = target[name].bind(target);
      target[name] = async (...args) => {
        const r = await input(...args);
        await drawn(page);
        return r;
      };
    }
  }
  return page;
}

/** A fresh page (its own context: its own storage) that records console errors and page errors. */
export async function open(browser, url, { width = 1400, height = 900 } = {}) {
  const page = drawsAfterInput(await browser.newPage({ viewport: { width, height } }));
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  page.problems = [];
  page.on('console', (m) => m.type() === 'error' && page.problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('#request-wire [data-kind]');
  return page;
}

/** Closes a page, failing the test if it logged an error. */
export async function close(page) {
  assert.deepEqual(page.problems, [], 'no console errors');
  await page.close();
}

/** The link that opens `request` to host:port on the page at `base`. */
export function shareLink(base, host, port, request) {
  return `${base}#host=${host}&port=${port}&request=${Buffer.from(request).toString('base64url')}`;
}

/** Sends the request on screen and waits for its response, annotated. */
export async function sendAndWait(page) {
  await page.click('#send');
  await page.waitForFunction(() => window.wirepad.timings.responseAnnotated, null, { timeout: 15000 });
}
