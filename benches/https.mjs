// https in the page, side by side with plain http, in real headless Chromium
// against a real `wirepad serve` and Node's `https` and `http` servers on
// loopback (TLS 1.3, a CA made here with openssl and handed over with
// --trust-ca): time from Send to the first response byte shown (the
// handshake in wasm), an 8 MiB body from Send until annotated and
// scrollable, and the size of the TLS package. Chromium runs without
// DevTools' Network domain, as a user's browser (see browser.mjs).
// Usage: node benches/https.mjs   (after `make build`; `make bench` runs it)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

const dir = mkdtempSync(`${tmpdir()}/wirepad-https-bench-`);
const ssl = (...args) => {
  if (spawnSync('openssl', args, { cwd: dir }).status !== 0) throw new Error(`openssl ${args.join(' ')}`);
};
ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=bench CA');
ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
writeFileSync(`${dir}/ext.cnf`, 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');

const BIG = Buffer.alloc(8 << 20, 'x');
const handler = (q, r) => {
  if (q.url === '/big') {
    r.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': BIG.length });
    r.end(BIG);
  } else r.end('<!doctype html><h1>hello</h1>\n');
};
const listen = (s) => new Promise((r) => s.listen(0, '127.0.0.1', () => r(s.address().port)));
const tlsOptions = { key: readFileSync(`${dir}/server.key`), cert: readFileSync(`${dir}/server.pem`), minVersion: 'TLSv1.3' };
// Node's https picks the cipher suite by its own order (AES-256-GCM first);
// nginx, by default, takes the client's, which puts ChaCha20-Poly1305 first
// (software AES is slow in WebAssembly). Both are measured.
const tlsServer = https.createServer(tlsOptions, handler);
const chachaServer = https.createServer({ ...tlsOptions, honorCipherOrder: false }, handler);
const plainServer = http.createServer(handler);
const ports = { https: await listen(tlsServer), chacha: await listen(chachaServer), http: await listen(plainServer) };

const port = await freePort();
const relay = spawn(`${root}target/release/wirepad`, ['serve', '--listen', `127.0.0.1:${port}`, '--no-practice', '--trust-ca', `${dir}/ca.pem`, '--allow-target', `127.0.0.1:${ports.https}`, '--allow-target', `127.0.0.1:${ports.chacha}`, '--allow-target', `127.0.0.1:${ports.http}`], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const browser = await launch();

/** Send on a fresh page: {first: Send to first byte, done: Send to annotated} in ms. */
async function send(server, path) {
  const scheme = server === 'http' ? 'http' : 'https';
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`).toString('base64url');
  const page = await browser.newPage(1400, 900);
  await page.goto(`http://127.0.0.1:${port}/#host=127.0.0.1&port=${ports[server]}&scheme=${scheme}&request=${request}`);
  await page.waitFor(() => window.wirepad?.timings?.requestAnnotated);
  // The TLS package is loaded (and compiled) at the first https Send of a page; load it once first.
  if (scheme === 'https') await page.evaluate(() => import('./pkg-tls/wirepad.js').then((m) => m.default()));
  await page.click('#send');
  await page.waitFor(() => window.wirepad.timings.responseAnnotated > window.wirepad.timings.sendStart, null, { interval: 200, timeout: 30000 });
  const t = await page.evaluate(() => window.wirepad.timings);
  const suite = await page.evaluate(() => window.wirepad.exchange().tls?.info?.cipher_suite ?? '');
  await page.close();
  return { first: t.firstByte - t.sendStart, done: t.responseAnnotated - t.sendStart, suite };
}

try {
  const rows = [];
  for (const [what, path] of [['small page, Send to first byte shown', '/'], ['8 MiB body, Send to annotated and scrollable', '/big']]) {
    const m = { http: [], https: [], chacha: [] };
    for (let i = 0; i < RUNS; i++) for (const server of ['http', 'https', 'chacha']) m[server].push(await send(server, path));
    const key = path === '/' ? 'first' : 'done';
    const cell = (server) => `${median(m[server].map((x) => x[key])).toFixed(1)}${m[server][0].suite ? ` (${m[server][0].suite})` : ''}`;
    rows.push({ figure: what, http: cell('http'), 'https, server order': cell('https'), "https, client's order": cell('chacha') });
  }
  console.table(rows);
  const wasm = readFileSync(`${root}www/pkg-tls/wirepad_bg.wasm`);
  console.log(`www/pkg-tls: ${(wasm.length / 1024).toFixed(0)} KiB, ${(gzipSync(wasm, { level: 9 }).length / 1024).toFixed(0)} KiB gzipped`);
} finally {
  await browser.close();
  relay.kill();
  tlsServer.close();
  chachaServer.close();
  plainServer.close();
}
