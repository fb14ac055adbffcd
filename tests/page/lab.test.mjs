// The classic HTTP lab on the page (issue 24): what the page says about a
// server caught breaking a response rule, about relay reads, about Basic
// credentials, and about the further requests an HTML page makes. Real
// Chromium against `wirepad serve` and its practice server on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { close, open, sendAndWait, setup, shareLink, teardown } from './harness.mjs';

let browser;
let relay;

before(async () => {
  ({ browser, relay } = await setup());
});

after(() => teardown(browser));

/** The page showing `request` and `response` as a shared link carries them. */
function exchangeLink(request, response) {
  const b64 = (s) => Buffer.from(s).toString('base64url');
  return `${relay.url}#host=a&port=80&request=${b64(request)}&response=${b64(response)}`;
}

test('a body after a 204 is named as content the server must not send, in words', async () => {
  const page = await open(browser, exchangeLink('GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'HTTP/1.1 204 No Content\r\n\r\nhello'));
  await page.waitForFunction(() => document.querySelector('#diagnostics').textContent.includes('content-on-bodiless-response'));
  const said = await page.textContent('#diagnostics');
  assert.match(said, /content-on-bodiless-response: these bytes follow a 204 response, which never has content/);
  assert.match(said, /a client reads them as the next response's status line/);
  assert.doesNotMatch(said, /invalid-version/, 'not reported as a bad status line');
  await close(page);
});

test('next to the read marks of the long document the page says what a read is', async () => {
  const request = 'GET /long HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n';
  const page = await open(browser, shareLink(relay.url, '127.0.0.1', relay.practice, request));
  await sendAndWait(page);
  // Six writes 150 ms apart: usually six reads (a starved relay may join them).
  await page.waitForSelector('#response-wire .read-mark');
  assert.match(await page.getAttribute('#response-wire .read-mark', 'title'), /^read 1: the \d+ bytes one recv got, at [\d.]+ ms \(not a TCP segment\)$/);
  assert.equal(await page.isVisible('#read-note'), true);
  assert.match(await page.textContent('#read-note'), /the bytes one recv on the relay's socket returned: whatever had arrived by then, not one TCP segment/);
  await close(page);
});

test('the explanation of Basic credentials shows them decoded, and the challenge names its realm', async () => {
  const request = 'GET /basic-auth/student/secret HTTP/1.1\r\nHost: practice\r\nAuthorization: Basic c3R1ZGVudDpzZWNyZXQ=\r\n\r\nGET /basic-auth/student/secret HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n';
  const page = await open(browser, shareLink(relay.url, '127.0.0.1', relay.practice, request));
  const loaded = [];
  page.on('request', (r) => loaded.push(r.url()));
  await sendAndWait(page);
  assert.ok(!loaded.some((u) => u.includes('/pkg-decode/')), 'the decoding build is not loaded before a credential is explained');
  // The credential: the value of the request's Authorization field (the
  // wire wraps it into pieces; any piece explains the whole value).
  await page.locator('#request-wire [data-kind="header-value"]', { hasText: 'c3R1ZGVudDpzZWNyZXQ=' }).click();
  await page.waitForSelector('#explain .value-note');
  assert.match(await page.textContent('#explain .value-note'), /base64 for "student:secret": user "student", password "secret"\. Base64 is an encoding, not encryption/);
  assert.match(await page.textContent('#explain .value-note a'), /RFC 7617 §2/);
  // The second response is the 401 and its challenge.
  await page.locator('#response-wire [data-kind="header-value"]', { hasText: /^Basic/ }).first().click();
  await page.waitForFunction(() => document.querySelector('#explain .value-note')?.textContent.includes('A Basic challenge'));
  assert.match(await page.textContent('#explain .value-note'), /realm "wirepad practice"/);
  // Another field has no note.
  await page.locator('#request-wire [data-kind="header-value"]', { hasText: /^practice$/ }).first().click();
  await page.waitForFunction(() => document.querySelector('#explain h3').textContent.includes('Field value'));
  assert.equal(await page.$('#explain .value-note'), null);
  await close(page);
});

test('an HTML page lists the further requests a browser would send, each loaded into the builder in one click', async () => {
  const request = 'GET /page HTTP/1.1\r\nHost: practice\r\n\r\n';
  const page = await open(browser, shareLink(relay.url, '127.0.0.1', relay.practice, request));
  await sendAndWait(page);
  await page.waitForSelector('#embedded button');
  const urls = await page.$$eval('#embedded button', (bs) => bs.map((b) => b.dataset.url));
  assert.deepEqual(urls.sort(), ['http://images.practice/cat.png', 'http://images.practice/dog.png', 'http://practice/dot.gif', 'http://practice/logo.png', 'http://practice/style.css']);
  assert.match(await page.textContent('#embedded'), /A browser showing http:\/\/practice\/page sends 5 more requests/);
  assert.match(await page.textContent('#embedded'), /GET \/cat\.png image, on another host: Host: images\.practice/);
  // The other host is a virtual host of the practice server: same connection, another Host.
  await page.click('#embedded button[data-url="http://images.practice/cat.png"]');
  const raw = () => page.evaluate(() => Array.from(window.wirepad.exchange().request, (b) => String.fromCharCode(b)).join(''));
  assert.equal(await raw(), 'GET /cat.png HTTP/1.1\r\nHost: images.practice\r\nReferer: http://practice/page\r\n\r\n');
  assert.equal(await page.inputValue('#port'), String(relay.practice));
  await sendAndWait(page);
  assert.match(await page.textContent('#response-wire .msg-row'), /200 OK/);
  assert.match(await page.evaluate(() => Array.from(window.wirepad.exchange().response.subarray(0, 400), (b) => String.fromCharCode(b)).join('')), /Content-Type: image\/png/i);
  // The list stays for the next object.
  await page.click('#embedded button[data-url="http://practice/style.css"]');
  assert.match(await raw(), /^GET \/style\.css HTTP\/1\.1\r\nHost: practice\r\n/);
  await close(page);
});

test('an HTTP/1.0 request: the practice server answers in HTTP/1.1 and closes, and the events say the server closed', async () => {
  const page = await open(browser, shareLink(relay.url, '127.0.0.1', relay.practice, 'GET / HTTP/1.0\r\nHost: practice\r\n\r\n'));
  await sendAndWait(page);
  await page.waitForFunction(() => /closed by server/.test(document.querySelector('#events').textContent), null, { timeout: 10000 }).catch(() => {});
  const events = await page.$$eval('#events li', (els) => els.map((e) => e.textContent));
  assert.ok(events.some((e) => /^closed by server/.test(e)), events.join('\n'));
  assert.ok(!events.some((e) => /the page closes/.test(e)), `the page never says it closed: ${events.join('\n')}`);
  assert.ok(events.some((e) => /the last says the connection closes after it: the server closes it/.test(e)));
  assert.match(await page.textContent('#response-wire [data-kind="http-version"]'), /^HTTP\/1\.1$/);
  await close(page);
});
