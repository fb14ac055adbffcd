// The wasm facade, tested in Node with the very package the page loads
// (www/pkg, built by `make wasm`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as wirepad from '../../www/pkg/wirepad.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
wirepad.initSync({ module: readFileSync(`${root}www/pkg/wirepad_bg.wasm`) });

const enc = new TextEncoder();
const classic = enc.encode('GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: Python 3\r\n\r\n');

function spanRule(result, length) {
  let at = 0;
  for (const s of result.spans) {
    assert.equal(s.start, at, `gap before ${JSON.stringify(s)}`);
    assert.ok(s.end > s.start);
    at = s.end;
  }
  assert.equal(at, length);
}

test('parse labels the classic request like the CLI', () => {
  const r = wirepad.parse(classic, { kind: 'request' });
  assert.equal(r.verdict, 'ok');
  spanRule(r, classic.length);
  assert.deepEqual(r.spans.slice(0, 6).map((s) => s.kind), ['method', 'sp', 'request-target', 'sp', 'http-version', 'crlf']);
  const m = r.messages[0];
  assert.equal(m.method, 'GET');
  assert.deepEqual(m.headers, [['Host', 'example.org'], ['User-Agent', 'Python 3']]);
  assert.ok(m.body instanceof Uint8Array);
});

test('the wasm result equals the native --json output', () => {
  const input = enc.encode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nHTTP/1.1 200 OK\nContent-Length: 9\n\r\nabc');
  const wasm = wirepad.parse(input, {});
  const native = JSON.parse(execFileSync(`${root}target/release/wirepad`, ['parse', '--json', '-'], { input }).toString().trim() || '{}');
  assert.deepEqual(wasm.spans, native.spans);
  assert.deepEqual(wasm.diagnostics, native.diagnostics);
  assert.equal(wasm.verdict, native.verdict);
  for (const [i, m] of wasm.messages.entries()) {
    const n = native.messages[i];
    assert.equal(Buffer.from(m.body).toString('base64'), n.body_b64);
    const { body, ...rest } = m;
    const { body_b64, ...nrest } = n;
    assert.deepEqual(rest, nrest);
  }
});

test('StreamParser gives the same result whatever the split', () => {
  const whole = wirepad.parse(classic, { kind: 'request' });
  for (let cut = 0; cut <= classic.length; cut++) {
    const p = new wirepad.StreamParser('request', undefined);
    p.feed(classic.subarray(0, cut));
    p.feed(classic.subarray(cut));
    assert.deepEqual(p.snapshot(), whole, `split at ${cut}`);
  }
});

test('StreamParser snapshots a message still arriving as incomplete', () => {
  const p = new wirepad.StreamParser('response', { methods: ['GET'] });
  p.feed(enc.encode('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
  const snap = p.snapshot();
  assert.equal(p.length, 42);
  assert.equal(snap.messages[0].complete, false);
  assert.ok(snap.diagnostics.some((d) => d.code === 'incomplete-message'));
  p.feed(enc.encode('defghij'));
  assert.equal(p.snapshot().messages[0].complete, true);
});

test('responses to HEAD are framed from the request bytes', () => {
  const requests = enc.encode('HEAD / HTTP/1.1\r\nHost: a\r\n\r\n');
  const r = wirepad.parse(enc.encode('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'), { kind: 'response', requests });
  assert.equal(r.verdict, 'ok');
  assert.equal(r.messages[0].complete, true);
});

test('build writes exact bytes and never adds Host', () => {
  const bytes = wirepad.build({ method: 'POST', target: '/form', version: 'HTTP/1.1', headers: [['X-A', '1']], body: 'q=1', auto_content_length: true });
  assert.equal(new TextDecoder().decode(bytes), 'POST /form HTTP/1.1\r\nX-A: 1\r\nContent-Length: 3\r\n\r\nq=1');
  const r = wirepad.parse(bytes, { kind: 'request' });
  assert.ok(r.diagnostics.some((d) => d.code === 'missing-host' && d.severity === 'error'));
});

test('explanations cover every span kind and diagnostic code', () => {
  const t = wirepad.explanations();
  const kinds = new Map(t.kinds);
  for (const k of ['method', 'sp', 'request-target', 'http-version', 'status-code', 'reason-phrase', 'crlf', 'header-name', 'colon', 'ows', 'header-value', 'obs-fold', 'empty-line', 'body', 'chunk-size', 'chunk-ext', 'chunk-data', 'last-chunk', 'unparsed']) {
    assert.ok(kinds.get(k)?.text.length > 10, k);
  }
  assert.ok(t.codes.length >= 30);
  assert.ok(t.headers.length >= 40);
  assert.equal(new Map(t.statuses).get(404).title, 'Not Found');
  assert.equal(new Map(t.methods).get('HEAD').rfc, 'RFC 9110 §9.3.2');
  assert.equal(wirepad.rfc_url('RFC 9112 §6.3'), 'https://www.rfc-editor.org/rfc/rfc9112#section-6.3');
});

test('the first package leaves brotli to the second, which decodes it', async () => {
  const { brotliCompressSync } = await import('node:zlib');
  const body = brotliCompressSync(Buffer.from('hello brotli '.repeat(10)));
  const input = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  const slim = wirepad.parse(input, {});
  assert.equal(slim.messages[0].decoded, undefined);
  assert.ok(slim.diagnostics.some((d) => d.code === 'unknown-content-encoding' && /does not decode "br"/.test(d.message)));
  const full = await import('../../www/pkg-br/wirepad.js');
  full.initSync({ module: readFileSync(`${root}www/pkg-br/wirepad_bg.wasm`) });
  const r = full.parse(input, {});
  assert.equal(new TextDecoder().decode(r.messages[0].decoded), 'hello brotli '.repeat(10));
  assert.deepEqual(r.diagnostics, []);
});

test('bad options are errors, not crashes', () => {
  assert.throws(() => wirepad.parse(classic, { kind: 'sideways' }), /unknown kind/);
  assert.throws(() => new wirepad.StreamParser('nope', undefined), /unknown kind/);
});
