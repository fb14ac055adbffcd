// A teacher's lessons from `wirepad serve --lessons DIR` in real Chromium:
// a good one opens (its recorded response shown with no network), a broken
// one shows its mistakes in the lesson bar instead of breaking the page, and
// a lesson edited on disk shows its new version on reload, no restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { close, open, root, startOnFreePort, teardown } from './harness.mjs';

const dir = mkdtempSync(`${tmpdir()}/wirepad-lessons-`);
const good = (text) => JSON.stringify({
  id: 'good', title: 'A teacher\'s lesson',
  steps: [{ text, response: { text: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi' }, look: [{ wire: 'response', part: 'status-code', note: 'recorded' }] }],
});
let browser;
let url;

before(async () => {
  writeFileSync(`${dir}/good.json`, good('first version'));
  writeFileSync(`${dir}/broken.json`, '{"id": "broken", "title": "Broken",\n "steps": [\n  {"txt": "t"},\n  {"text": "t", "look": [{"wire": "resp", "part": "method"}]}\n ]}\n');
  const bin = process.env.WIREPAD_BIN || `${root}target/release/wirepad`;
  const port = await startOnFreePort((port) => [bin, ['serve', '--listen', `127.0.0.1:${port}`, '--no-practice', '--lessons', dir]]);
  url = `http://127.0.0.1:${port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(() => teardown(browser));

test('a broken lesson shows its mistakes; a good one opens, and an edit on disk shows on reload', async () => {
  const page = await open(browser, `${url}#lesson=broken`);
  await page.waitForSelector('#lesson-errors li');
  assert.deepEqual(await page.$$eval('#lesson-errors li', (li) => li.map((l) => l.textContent)), [
    'broken.json:3:8: unknown field `txt`, expected one of `text`, `request`, `response`, `look`, `predict`, `exercise`',
    'broken.json:4:40: "resp" is not one of "request", "response"',
  ]);
  assert.equal(await page.textContent('#lesson-title'), 'broken (has mistakes)');
  assert.equal(await page.isDisabled('#lesson-next'), true);
  // The browser logs the 422 the lesson came with, and only that.
  const logged = page.problems.splice(0);
  assert.deepEqual(logged, ['console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);

  await page.goto(`${url}#lesson=good`);
  await page.reload();
  await page.waitForFunction(() => document.getElementById('lesson-step').textContent === 'first version');
  assert.equal(await page.isHidden('#lesson-errors'), true);
  // The recorded response is on screen, parsed, and the look marks its status code.
  await page.waitForSelector('#response-wire [data-kind="status-code"]');
  assert.match(await page.textContent('#response-size'), /40/);

  writeFileSync(`${dir}/good.json`, good('second version'));
  await page.reload();
  await page.waitForFunction(() => document.getElementById('lesson-step').textContent === 'second version');
  assert.equal(await page.textContent('#lesson-title'), 'A teacher\'s lesson');
  await close(page);
});
