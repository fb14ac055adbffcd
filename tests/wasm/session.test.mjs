// The wasm Session (src/wasm/session.rs) in Node: a real `wirepad serve`
// relay, Node's `http` and `https` servers on loopback (a CA and a
// certificate made here with openssl), and the `ws` package standing in for
// the browser's WebSocket, which web-sys calls. Plain http from `www/pkg`,
// https from `www/pkg-tls`: the events arrive in order, the response is
// parsed, and the TLS bytes the session reports are exactly the bytes the
// relay says it forwarded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import WS from 'ws';
import * as plainPkg from '../../www/pkg/wirepad.js';
import * as tlsPkg from '../../www/pkg-tls/wirepad.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
plainPkg.initSync({ module: readFileSync(`${root}www/pkg/wirepad_bg.wasm`) });
tlsPkg.initSync({ module: readFileSync(`${root}www/pkg-tls/wirepad_bg.wasm`) });

const dir = mkdtempSync(`${tmpdir()}/wirepad-session-`);
const PAGE = '<!doctype html><title>session</title><h1>hello</h1>\n';
const servers = [];
const ports = {};
let relay;
let base;

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const freePort = async () => {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
};

before(async () => {
  const ssl = (...args) => assert.equal(spawnSync('openssl', args, { cwd: dir }).status, 0, `openssl ${args.join(' ')}`);
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=session test CA');
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=another CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(`${dir}/ext.cnf`, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  const handler = (q, r) => r.end(PAGE);
  const tlsServer = https.createServer({ key: readFileSync(`${dir}/server.key`), cert: readFileSync(`${dir}/server.pem`), minVersion: 'TLSv1.3' }, handler);
  const plainServer = http.createServer(handler);
  servers.push(tlsServer, plainServer);
  ports.https = await listen(tlsServer);
  ports.http = await listen(plainServer);
  for (const s of servers) s.unref();

  const port = await freePort();
  base = `127.0.0.1:${port}`;
  relay = spawn(`${root}target/release/wirepad`, ['serve', '--listen', base, '--no-practice', '--allow-target', `127.0.0.1:${ports.https}`, '--allow-target', `127.0.0.1:${ports.http}`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.end(() => resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // What web-sys's `new WebSocket(url)` finds: a WebSocket from the page's origin.
  globalThis.WebSocket = class extends WS {
    constructor(url) {
      super(url, { origin: `http://${base}` });
    }
  };
});

after(() => {
  relay?.kill();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** Runs one exchange through a Session until the socket closes; returns what the listener heard. */
function exchange(pkg, port, tls) {
  const request = new TextEncoder().encode('GET /page HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  const heard = { types: [], events: [], plain: [], up: [], down: [], handshake: null, failure: null, close: null };
  return new Promise((resolve, reject) => {
    let session;
    const listener = (c) => {
      heard.types.push(c.type);
      if (c.type === 'event') heard.events.push(c.event);
      else if (c.type === 'plain') heard.plain.push(c.bytes);
      else if (c.type === 'tls') (c.dir === 'up' ? heard.up : heard.down).push(c.bytes);
      else if (c.type === 'handshake') heard.handshake = c.info;
      else if (c.type === 'tls-error') heard.failure = c.failure;
      else if (c.type === 'socket-closed') {
        heard.close = c;
        heard.result = session.finish().result();
        heard.links = tls ? session.tls_links() : null;
        resolve(heard);
      }
    };
    try {
      session = new pkg.Session(`ws://${base}/relay?host=127.0.0.1&port=${port}`, request, tls, listener);
    } catch (e) {
      reject(e);
    }
  });
}

const joined = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));

test('plain http: connected, reads, the response parsed as it arrives, closed', async () => {
  const h = await exchange(plainPkg, ports.http, null);
  assert.deepEqual(h.events.map((e) => e.type).filter((t) => t !== 'read'), ['connected', 'closed']);
  const reads = h.events.filter((e) => e.type === 'read');
  assert.ok(reads.length >= 1);
  const body = joined(h.plain);
  assert.equal(reads.reduce((n, e) => n + e.bytes, 0), body.length, 'every byte read is handed to the page');
  assert.match(body.toString('latin1'), /^HTTP\/1\.1 200 OK\r\n/);
  assert.ok(body.toString('latin1').endsWith(PAGE));
  assert.equal(h.result.verdict, 'ok');
  assert.equal(h.result.messages.length, 1);
  assert.equal(h.result.spans.end[h.result.spans.end.length - 1], body.length);
  const closed = h.events.find((e) => e.type === 'closed');
  assert.equal(closed.by, 'server');
  assert.equal(closed.bytes_down, body.length);
});

test('https: the TLS bytes the session reports are the bytes the relay forwarded, and the plaintext is the page', async () => {
  const h = await exchange(tlsPkg, ports.https, { host: 'localhost', trust: [readFileSync(`${dir}/ca.pem`, 'utf8')] });
  assert.equal(h.failure, null);
  assert.equal(h.handshake.version, 'TLS 1.3');
  assert.equal(h.handshake.alpn, 'http/1.1');
  assert.match(h.handshake.certificates[0].issuer, /session test CA/);
  const body = joined(h.plain).toString('latin1');
  assert.match(body, /^HTTP\/1\.1 200 OK\r\n/);
  assert.ok(body.endsWith(PAGE));
  assert.equal(h.result.verdict, 'ok');
  const closed = h.events.find((e) => e.type === 'closed');
  const up = joined(h.up);
  const down = joined(h.down);
  assert.equal(closed.bytes_up, up.length);
  assert.equal(closed.bytes_down, down.length);
  assert.ok(!up.toString('latin1').includes('GET /page'), 'only ciphertext went up');
  assert.equal(h.types.indexOf('handshake') < h.types.indexOf('plain'), true, 'the handshake is told before the first plaintext');
  // Every plaintext byte came in an application data record.
  assert.equal(h.links.down.plain_end[h.links.down.plain_end.length - 1], body.length);
  const labels = tlsPkg.tlsLabels(down);
  assert.equal(labels.spans.end[labels.spans.end.length - 1], down.length);
});

test('https: an unknown CA ends the session with its code, and nothing is sent in the clear', async () => {
  const h = await exchange(tlsPkg, ports.https, { host: 'localhost', trust: [readFileSync(`${dir}/other.pem`, 'utf8')] });
  assert.equal(h.failure?.code, 'tls-unknown-issuer');
  assert.deepEqual(h.plain, []);
  assert.ok(!joined(h.up).toString('latin1').includes('GET /page'));
  assert.ok(h.types.includes('socket-closed'));
});

test('the first package has no TLS and says so', () => {
  assert.throws(() => new plainPkg.Session(`ws://${base}/relay?host=127.0.0.1&port=1`, new Uint8Array(), { host: 'localhost', trust: [] }, () => {}), /no TLS/);
});
