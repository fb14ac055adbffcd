// TLS done in the page (www/pkg-tls, the `tls` feature): the very package the
// page loads, in Node, against real TLS servers we did not write — Node's
// `https` and nginx with `ssl` — on loopback, with a CA and certificates made
// here with `openssl`. Node's `net` sockets stand in for the relay: they
// carry ciphertext only, as the relay does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tls from '../../www/pkg-tls/wirepad.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
tls.initSync({ module: readFileSync(`${root}www/pkg-tls/wirepad_bg.wasm`) });

const dir = mkdtempSync(`${tmpdir()}/wirepad-tls-`);
const servers = [];
let nginx;
const ports = {};
const PAGE = '<!doctype html><title>tls</title><h1>served over TLS</h1>\n';

function openssl(...args) {
  const r = spawnSync('openssl', args, { cwd: dir });
  assert.equal(r.status, 0, r.stderr.toString());
}

/** A CA, and a certificate for localhost and 127.0.0.1 signed by it. */
function makeCerts() {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=wirepad test CA');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=another CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(`${dir}/ext.cnf`, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  // The same name and CA, valid for one day in 2020 (`openssl ca` takes dates; `x509 -req` only a number of days).
  writeFileSync(`${dir}/ca.cnf`, '[ca]\ndefault_ca = lab\n[lab]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial.txt\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n');
  writeFileSync(`${dir}/index.txt`, '');
  writeFileSync(`${dir}/serial.txt`, '01\n');
  openssl('ca', '-batch', '-config', 'ca.cnf', '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-in', 'server.csr', '-out', 'expired.pem', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-notext', '-extfile', 'ext.cnf');
}

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.end(() => resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

before(async () => {
  makeCerts();
  const key = readFileSync(`${dir}/server.key`);
  const cert = readFileSync(`${dir}/server.pem`);
  const handler = (q, r) => r.end(PAGE);
  for (const v of ['1.2', '1.3']) {
    const s = https.createServer({ key, cert, minVersion: `TLSv${v}`, maxVersion: `TLSv${v}` }, handler);
    servers.push(s);
    ports[v] = await listen(s);
  }
  const plain = http.createServer(handler);
  servers.push(plain);
  ports.plain = await listen(plain);
  const expired = https.createServer({ key, cert: readFileSync(`${dir}/expired.pem`) }, handler);
  servers.push(expired);
  ports.expired = await listen(expired);

  // nginx with ssl, in its own folder.
  mkdirSync(`${dir}/www`);
  writeFileSync(`${dir}/www/index.html`, PAGE);
  writeFileSync(`${dir}/www/big.bin`, Buffer.alloc(1 << 20, 'wirepad '));
  const probe = net.createServer();
  ports.nginx = await listen(probe);
  await new Promise((r) => probe.close(r));
  writeFileSync(`${dir}/nginx.conf`, `daemon off; master_process off; worker_processes 1;
error_log ${dir}/error.log; pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  types { text/html html; application/octet-stream bin; }
  server {
    listen 127.0.0.1:${ports.nginx} ssl;
    ssl_certificate ${dir}/server.pem; ssl_certificate_key ${dir}/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root ${dir}/www;
  }
}
`);
  nginx = spawn('nginx', ['-p', dir, '-c', `${dir}/nginx.conf`], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(ports.nginx);
});

after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  nginx?.kill();
});

/**
 * One https exchange as the page does it: plaintext into the TLS client, its
 * records onto a TCP socket, the server's records back through it. Returns
 * the plaintext response, the bytes each way on the socket, the connection
 * info, and the failure if there was one.
 */
function exchange(port, host, request, trust = [readFileSync(`${dir}/ca.pem`, 'utf8')]) {
  const client = new tls.TlsClient(host, trust);
  client.write(new TextEncoder().encode(request));
  const up = [];
  let plain = new Uint8Array();
  let failure = null;
  const down = [];
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const send = () => {
      const out = client.outgoing();
      if (out.length) {
        up.push(out);
        sock.write(out);
      }
    };
    sock.on('connect', send);
    sock.on('data', (d) => {
      down.push(d);
      try {
        const more = client.receive(d);
        const grown = new Uint8Array(plain.length + more.length);
        grown.set(plain);
        grown.set(more, plain.length);
        plain = grown;
      } catch (e) {
        failure ??= e;
      }
      send();
      if (failure) sock.end();
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      const sent = Buffer.concat(up);
      resolve({ requestLength: request.length, text: new TextDecoder('latin1').decode(plain), plain, sent, received: Buffer.concat(down), info: client.info(), links: client.links(), failure });
    });
  });
}

const GET = 'GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

for (const v of ['1.2', '1.3']) {
  test(`TLS ${v} to Node's https: the page's own bytes, encrypted, and the response in plaintext`, async () => {
    const r = await exchange(ports[v], 'localhost', GET);
    assert.equal(r.failure, null);
    assert.equal(r.info.version, `TLS 1.${v.slice(2)}`);
    assert.equal(r.info.alpn, 'http/1.1', 'ALPN offers only http/1.1, and the server took it');
    assert.equal(r.info.certificates.length, 1);
    const [cert] = r.info.certificates;
    assert.match(cert.subject, /CN=localhost/);
    assert.match(cert.issuer, /CN=wirepad test CA/);
    assert.deepEqual(cert.names, ['localhost', '127.0.0.1']);
    const now = Date.now() / 1000;
    assert.ok(cert.not_before <= now && now < cert.not_after && cert.not_after - cert.not_before > 86400, JSON.stringify(cert));
    assert.match(r.text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.ok(r.text.endsWith(PAGE));
    // The response parses, every byte labelled, with the parser in the same package.
    const parsed = tls.parse(r.plain, { kind: 'response', requests: new TextEncoder().encode(GET) });
    assert.equal(parsed.verdict, 'ok');
    assert.equal(parsed.spans.end[parsed.spans.end.length - 1], r.plain.length);
    // Only ciphertext crossed the socket: the request is nowhere in it.
    assert.ok(!r.sent.toString('latin1').includes('GET /index.html'));
    assert.equal(r.sent[0], 0x16, 'the first byte up is a TLS handshake record');
    checkWire(r, v);
  });
}

/** The span rule over one direction's TLS labels; returns the labels. */
function labelled(bytes) {
  const labels = tls.tlsLabels(bytes);
  const { start, end } = labels.spans;
  assert.ok(start.length > 0);
  for (let i = 0; i < start.length; i++) {
    assert.equal(start[i], i === 0 ? 0 : end[i - 1]);
    assert.ok(end[i] > start[i]);
  }
  assert.equal(end[end.length - 1], bytes.length);
  assert.equal(labels.error ?? null, null);
  return labels;
}

/** The TLS bytes both ways are labelled, and each HTTP byte is linked to the record that carried it. */
function checkWire(r, v) {
  const up = labelled(r.sent);
  const down = labelled(r.received);
  const kindsOf = (l) => new Set(Array.from(l.spans.kind, (k) => l.spans.kinds[k]));
  for (const k of ['tls-record-type', 'tls-record-length', 'tls-random', 'tls-cipher-suite', 'tls-server-name', 'tls-alpn', 'tls-encrypted']) assert.ok(kindsOf(up).has(k), k);
  const sni = up.spans.kind.findIndex((k) => up.spans.kinds[k] === 'tls-server-name');
  assert.ok(r.sent.subarray(up.spans.start[sni], up.spans.end[sni]).toString('latin1').endsWith('localhost'));
  assert.equal(up.handshakes[0].msg_type, 1, 'the client starts with a ClientHello');
  assert.equal(down.handshakes[0].msg_type, 2, 'the server answers with a ServerHello');
  // TLS 1.2 sends the certificate in the clear; TLS 1.3 encrypts it.
  assert.equal(down.handshakes.some((h) => h.msg_type === 11), v === '1.2');
  // Every plaintext byte each way came in exactly one application data record, in order.
  for (const [labels, links, plainLength] of [[up, r.links.up, r.requestLength], [down, r.links.down, r.plain.length]]) {
    assert.ok(links.tls_start.length > 0);
    let at = 0;
    for (let i = 0; i < links.tls_start.length; i++) {
      assert.equal(links.plain_start[i], at);
      at = links.plain_end[i];
      const record = labels.records.find((rec) => rec.range.start === links.tls_start[i]);
      assert.ok(record, `a record starts at ${links.tls_start[i]}`);
      assert.equal(record.range.end, links.tls_end[i]);
      assert.equal(record.content_type, 23);
      // AEAD adds a tag (and TLS 1.3 a content type byte, TLS 1.2 an explicit nonce): a little more than the plaintext.
      const overhead = record.range.end - record.range.start - 5 - (links.plain_end[i] - links.plain_start[i]);
      assert.ok(overhead >= 16 && overhead <= 40, `overhead ${overhead}`);
    }
    assert.equal(at, plainLength);
  }
}

test('nginx with ssl returns the page it holds, by IP address too', async () => {
  const r = await exchange(ports.nginx, 'localhost', GET);
  assert.equal(r.failure, null);
  assert.match(r.text, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(r.text, /Server: nginx/);
  assert.ok(r.text.endsWith(PAGE));
  const byIp = await exchange(ports.nginx, '127.0.0.1', GET.replace('Host: localhost', 'Host: 127.0.0.1'));
  assert.equal(byIp.failure, null);
  assert.match(byIp.text, /^HTTP\/1\.1 200 OK\r\n/);
});

test('failures are named: unknown issuer, wrong name, expired, plain HTTP on a TLS port; no plaintext goes out after them', async () => {
  const unknown = await exchange(ports['1.3'], 'localhost', GET, [readFileSync(`${dir}/other.pem`, 'utf8')]);
  assert.equal(unknown.failure?.code, 'tls-unknown-issuer', JSON.stringify(unknown.failure));
  assert.equal(unknown.text, '');
  const noTrust = await exchange(ports['1.2'], 'localhost', GET, []);
  assert.equal(noTrust.failure?.code, 'tls-unknown-issuer', 'a lab CA is trusted only when handed over');
  const wrong = await exchange(ports['1.3'], 'wrong.localhost', GET);
  assert.equal(wrong.failure?.code, 'tls-wrong-name', JSON.stringify(wrong.failure));
  const plain = await exchange(ports.plain, 'localhost', GET);
  assert.equal(plain.failure?.code, 'tls-not-tls', JSON.stringify(plain.failure));
  const expired = await exchange(ports.expired, 'localhost', GET);
  assert.equal(expired.failure?.code, 'tls-expired', JSON.stringify(expired.failure));
  for (const r of [unknown, noTrust, wrong, plain, expired]) {
    assert.ok(!r.sent.toString('latin1').includes('GET /index.html'), 'the request never went out unencrypted');
    assert.match(r.failure.message, /\w/);
  }
  assert.throws(() => new tls.TlsClient('localhost', ['-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n']), (e) => e.code === 'tls-bad-trust');
});

test('a large response is linked record by record, and plain HTTP on a TLS port is labelled as not TLS', async () => {
  const r = await exchange(ports.nginx, 'localhost', GET.replace('/index.html', '/big.bin'));
  assert.equal(r.failure, null);
  assert.match(r.text, /^HTTP\/1\.1 200 OK\r\n/);
  checkWire(r, r.info.version.slice(-3));
  assert.ok(r.links.down.tls_start.length >= 64, 'a 1 MiB body takes many records');
  const plain = await exchange(ports.plain, 'localhost', GET);
  const labels = tls.tlsLabels(plain.received);
  assert.deepEqual([...labels.spans.kind].map((k) => labels.spans.kinds[k]), ['tls-unparsed']);
  assert.match(labels.error, /not a TLS record/);
});

test('the TLS explanations come from the one table', () => {
  const table = tls.tlsExplanations();
  const kinds = new Map(table.kinds);
  for (const k of tls.tlsLabels(new Uint8Array([21, 3, 3, 0, 2, 2, 40])).spans.kinds) assert.match(kinds.get(k)?.rfc ?? '', /^RFC \d+ §/, k);
  assert.equal(new Map(table.failures).get('tls-unknown-issuer').rfc, 'RFC 5280 §6');
  assert.equal(new Map(table.suites).get(0x1301), 'TLS_AES_128_GCM_SHA256');
});
