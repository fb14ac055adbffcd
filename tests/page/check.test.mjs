// The page's Check panel in headless Chromium: the suite of `wirepad check`
// run from the page through a real `wirepad serve`'s relay, against nginx
// (which refuses a request without Host) and a lax server written for this
// test (which answers everything with 200). The page's verdicts must be the
// CLI's, check by check, and a click on a check puts its exchange in the
// wires and its rule in #explain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { freePort, launchBrowser, root, startOnFreePort, teardown } from './harness.mjs';

const wirepad = `${root}target/release/wirepad`;
let browser;
let relayUrl;
let nginxPort;
let laxPort;
let lax;

/**
 * The lax server: every request head gets `200 OK` with "ok", whatever it
 * says (no Host, bad framing, HTTP/2.0), and the connection stays open. A
 * head is counted by its blank line in all the bytes so far, so the answers
 * do not depend on how the bytes were split.
 */
function startLax() {
  return new Promise((resolve) => {
    lax = createServer((socket) => {
      let seen = '';
      let answered = 0;
      socket.on('data', (data) => {
        seen += data.toString('latin1');
        const heads = seen.split('\r\n\r\n').length - 1;
        for (; answered < heads; answered++) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
      socket.on('error', () => {});
    });
    lax.listen(0, '127.0.0.1', () => resolve(lax.address().port));
  });
}

before(async () => {
  const dir = mkdtempSync(`${tmpdir()}/wirepad-check-nginx-`);
  mkdirSync(`${dir}/www`);
  writeFileSync(`${dir}/www/index.html`, '<!doctype html><title>nginx</title><h1>served by nginx</h1>\n');
  nginxPort = await startOnFreePort((port) => {
    const conf = readFileSync(`${root}tests/servers/nginx.conf`, 'utf8').replaceAll('@DIR@', dir).replaceAll('@PORT@', String(port)).replaceAll('@ROOT@', `${dir}/www`);
    writeFileSync(`${dir}/nginx.conf`, conf);
    return ['nginx', ['-p', dir, '-c', `${dir}/nginx.conf`]];
  });
  laxPort = await startLax();
  const practice = await freePort();
  const port = await startOnFreePort((port) => [wirepad, ['serve', '--listen', `127.0.0.1:${port}`, '--practice-listen', `127.0.0.1:${practice}`, '--allow-target', `127.0.0.1:${nginxPort}`, '--allow-target', `127.0.0.1:${laxPort}`]]);
  relayUrl = `http://127.0.0.1:${port}/`;
  browser = await launchBrowser();
});

after(async () => {
  lax?.close();
  await teardown(browser);
});

/** `wirepad check --json URL`'s outcomes (run without blocking: the lax server is in this process). */
function cliCheck(url) {
  return new Promise((resolve, reject) => {
    const p = spawn(wirepad, ['check', '--json', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', () => resolve(JSON.parse(out)));
  });
}

/** Opens the page with the target and a GET of `/`, runs the check; returns {page, verdicts} (id → verdict). */
async function checkFromPage(port) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.problems = [];
  page.on('console', (m) => m.type() === 'error' && page.problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n').toString('base64url');
  await page.goto(`${relayUrl}#host=127.0.0.1&port=${port}&request=${request}`);
  await page.waitForSelector('#request-wire [data-kind]');
  assert.ok(await page.isHidden('#check'), 'the panel shows once a check runs');
  await page.click('#check-run');
  await page.waitForFunction(() => {
    const all = document.querySelectorAll('#check-list [data-check]');
    return all.length > 0 && document.querySelectorAll('#check-list [data-check][data-verdict]').length === all.length;
  }, null, { timeout: 90000 });
  assert.equal(await page.textContent('#check-target'), `http://127.0.0.1:${port}/`);
  // The list takes the compose panel's place: many checks are in view at once.
  const inView = await page.$$eval('#check-list [data-check]', (els) => {
    const box = document.querySelector('#check-list').getBoundingClientRect();
    return els.filter((e) => {
      const r = e.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom && r.bottom <= innerHeight;
    }).length;
  });
  assert.ok(inView >= 15, `${inView} checks in view`);
  const verdicts = Object.fromEntries(await page.$$eval('#check-list [data-check]', (els) => els.map((e) => [e.dataset.check, e.dataset.verdict])));
  return { page, verdicts };
}

/** A click on check `id` shows its exchange (the bytes the CLI sent too) and its rule. */
async function assertShown(page, cli, id) {
  const o = cli.find((c) => c.id === id);
  await page.click(`[data-check="${id}"]`);
  await page.waitForSelector('#request-wire [data-kind]');
  const shown = await page.evaluate(() => {
    const { request, response } = window.wirepad.exchange();
    return { request: [...request], response: [...response] };
  });
  assert.deepEqual(Buffer.from(shown.request), Buffer.from(o.sent_b64, 'base64'), 'the request wire holds the bytes the check sent');
  assert.ok(shown.response.length > 0, 'the response wire holds what came back');
  const explain = await page.textContent('#explain');
  for (const part of [id, o.title, o.level, o.section, o.rule]) assert.ok(explain.includes(part), `#explain says ${part}`);
  assert.ok(await page.$('#explain a[href*="rfc-editor.org"]'), 'the section links to the RFC');
}

for (const [name, port, verdict] of [
  ['nginx', () => nginxPort, 'pass'],
  ['a lax server', () => laxPort, 'fail'],
]) {
  test(`the Check panel against ${name}: verdicts as the CLI's, ${verdict} for a request without Host, a click shows the exchange`, async () => {
    const [{ page, verdicts }, cli] = await Promise.all([checkFromPage(port()), cliCheck(`http://127.0.0.1:${port()}/`)]);
    assert.equal(verdicts['rfc9112-3.2-missing-host'], verdict);
    assert.equal(await page.getAttribute('[data-check="rfc9112-3.2-missing-host"]', 'data-verdict'), verdict);
    assert.deepEqual(verdicts, Object.fromEntries(cli.map((o) => [o.id, o.verdict])), 'the page and `wirepad check --json` agree on every check');
    assert.ok(Object.keys(verdicts).length >= 60);
    assert.match(await page.textContent('#check-summary'), new RegExp(`${cli.length} checks: .*\\d+ ${verdict}`));
    await assertShown(page, cli, 'rfc9112-3.2-missing-host');
    assert.match(await page.textContent('#explain'), new RegExp(`^[^]*${verdict}`));
    await page.screenshot({ path: `${root}target/screenshots/check-${verdict}-1400x900.png` });
    assert.deepEqual(page.problems, [], 'no console errors');
    await page.close();
  });
}
