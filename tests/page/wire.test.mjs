// How the wires draw bytes, in real Chromium against the practice server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { close, launchBrowser, open, sendAndWait, setup, shareLink, teardown } from './harness.mjs';

let browser;
let relay;

before(async () => {
  ({ browser, relay } = await setup());
});

after(() => teardown(browser));

/** The text of each body piece in the response wire, and whether it holds a CR or LF chip. */
const bodyPieces = (page) =>
  page.$$eval('#response-wire [data-kind="body"]', (els) => els.map((el) => ({ text: el.textContent, chips: el.querySelectorAll('.ctl').length })));

test('a binary body (gzip) is drawn as bytes in hex, a text body as text with its line ends', async () => {
  const page = await open(browser, shareLink(relay.url, '127.0.0.1', relay.practice, 'GET /gzip HTTP/1.1\r\nHost: practice\r\nAccept-Encoding: gzip\r\n\r\n'));
  await sendAndWait(page);
  const coded = await bodyPieces(page);
  assert.ok(coded.length > 0, 'the body is on screen');
  for (const piece of coded) {
    assert.match(piece.text, /^([0-9a-f]{2} )+$/, 'every byte as two hex digits');
    assert.equal(piece.chips, 0, 'no CR or LF chip inside compressed data');
  }
  // The rows of bytes are full rows: none says its line goes on.
  assert.equal(await page.$$eval('#response-wire .r:has([data-kind="body"]) .cont', (els) => els.length), 0);
  await close(page);

  const text = await open(browser, shareLink(relay.url, '127.0.0.1', relay.practice, 'GET /echo HTTP/1.1\r\nHost: practice\r\n\r\n'));
  await sendAndWait(text);
  const plain = await bodyPieces(text);
  assert.ok(plain.some((p) => p.chips > 0), `a text body shows its LF: ${JSON.stringify(plain)}`);
  assert.ok(plain.every((p) => !/^([0-9a-f]{2} )+$/.test(p.text)), 'and its characters');
  await close(text);
});

test('a response that overflows its wire keeps the wire\'s width: rows are not laid out again when the scrollbar comes', async () => {
  // Without room kept for the scrollbar, its coming narrows the wire by its
  // width, and a resize lays out every row again (20 ms for 8 MiB).
  // Scrollbars that take room, as on a student's desktop:
  const desktop = await launchBrowser({ scrollbars: true });
  try {
    const page = await open(desktop, shareLink(relay.url, '127.0.0.1', relay.practice, 'GET /large?bytes=300000 HTTP/1.1\r\nHost: practice\r\n\r\n'));
    const width = () => page.$eval('#response-wire', (el) => el.clientWidth);
    const before = await width();
    await sendAndWait(page);
    assert.ok(await page.$eval('#response-wire', (el) => el.scrollHeight > el.clientHeight), 'the response overflows its wire');
    assert.equal(await width(), before);
    await close(page);
  } finally {
    await desktop.close();
  }
});
