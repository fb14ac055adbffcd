// The join link in real Chromium: with `--public-url` it is the address
// students use; without it, a teacher page opened on a loopback address warns
// that students cannot open the link and says what to do.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { closeLeftOpen, close, open, root, startOnFreePort, teardown } from './harness.mjs';

const bin = process.env.WIREPAD_BIN || `${root}target/release/wirepad`;
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(() => teardown(browser));
afterEach(closeLeftOpen);

/** Opens a class room on a `wirepad serve` started with `flags`; returns the page and its join link. */
async function startClass(flags) {
  const port = await startOnFreePort((port) => [bin, ['serve', '--listen', `127.0.0.1:${port}`, '--no-practice', ...flags]]);
  const page = await open(browser, `http://127.0.0.1:${port}/`);
  await page.click('#class-start');
  await page.waitForFunction(() => document.getElementById('class-link').textContent.includes('#room='));
  return { page, port, link: await page.textContent('#class-link') };
}

test('without --public-url a loopback teacher page warns that students cannot open its link', async () => {
  const { page, port, link } = await startClass([]);
  assert.match(link, new RegExp(`^http://127\\.0\\.0\\.1:${port}/#room=[A-Z2-9]{8}$`));
  assert.equal(await page.isVisible('#class-link-warning'), true);
  assert.match(await page.textContent('#class-link-warning'), /--public-url/);
  await close(page);
});

test('with --public-url the join link and its QR code name the address students use, and nothing warns', async () => {
  const { page, link } = await startClass(['--public-url', 'http://lab-server.example:8080']);
  assert.match(link, /^http:\/\/lab-server\.example:8080\/#room=[A-Z2-9]{8}$/);
  assert.equal(await page.getAttribute('#class-link', 'href'), link);
  assert.equal(await page.getAttribute('#class-qr', 'src'), `qr.svg?text=${encodeURIComponent(link)}`);
  assert.equal(await page.isVisible('#class-link-warning'), false);
  await close(page);
});
