// The wasm facade, tested in Node with the very package the page loads
// (www/pkg, built by `make wasm`), against the native CLI's --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, deflateSync } from 'node:zlib';
import * as wirepad from '../../www/pkg/wirepad.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
wirepad.initSync({ module: readFileSync(`${root}www/pkg/wirepad_bg.wasm`) });

const decoding = await import('../../www/pkg-decode/wirepad.js');
decoding.initSync({ module: readFileSync(`${root}www/pkg-decode/wirepad_bg.wasm`) });

const enc = new TextEncoder();
const latin1 = (bytes, [s, e]) => new TextDecoder('latin1').decode(bytes.subarray(s, e));
const classic = enc.encode('GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: Python 3\r\n\r\n');

/** The columns as span objects, for comparing with the CLI's JSON. */
function spanObjects(r) {
  const s = r.spans;
  return Array.from(s.end, (end, i) => ({ start: s.start[i], end, kind: s.kinds[s.kind[i]], message: s.message[i] === -1 ? null : s.message[i] }));
}

function spanRule(r, length) {
  const s = r.spans;
  assert.ok(s.start instanceof Uint32Array && s.end instanceof Uint32Array && s.kind instanceof Uint8Array && s.message instanceof Int32Array);
  let at = 0;
  for (let i = 0; i < s.end.length; i++) {
    assert.equal(s.start[i], at, `gap before span ${i}`);
    assert.ok(s.end[i] > s.start[i]);
    at = s.end[i];
  }
  assert.equal(at, length);
}

function native(input, args = []) {
  // Exit status 1 means the verdict is error; the JSON is printed either way.
  const r = spawnSync(`${root}target/release/wirepad`, ['parse', '--json', ...args, '-'], { input });
  assert.ok(r.status === 0 || r.status === 1, r.stderr.toString());
  return JSON.parse(r.stdout.toString());
}

test('parse gives spans as columns, no object per span', () => {
  const r = wirepad.parse(classic, { kind: 'request' });
  assert.equal(r.verdict, 'ok');
  spanRule(r, classic.length);
  assert.deepEqual([...r.spans.kind.subarray(0, 6)].map((k) => r.spans.kinds[k]), ['method', 'sp', 'request-target', 'sp', 'http-version', 'crlf']);
  assert.ok(!Array.isArray(r.spans), 'spans is an object of typed arrays');
  const m = r.messages[0];
  assert.deepEqual(m.spans, [0, r.spans.end.length]);
  assert.equal(latin1(classic, m.method), 'GET');
  assert.equal(latin1(classic, m.target), '/');
  const [a, b] = m.headers;
  assert.equal(b - a, 2);
  assert.equal(latin1(classic, [r.fields.name_start[a], r.fields.name_end[a]]), 'Host');
  assert.equal(latin1(classic, [r.fields.value_start[a + 1], r.fields.value_end[a + 1]]), 'Python 3');
  assert.equal(latin1(classic, [r.fields.name_start[a], r.fields.line_end[a]]), 'Host: example.org\r\n');
  assert.equal(m.head_end, classic.length);
});

test('the wasm result says what the native --json says, on every conformance input', () => {
  const cases = JSON.parse(readFileSync(`${root}tests/data/conformance/cases.json`, 'utf8'));
  for (const c of cases) {
    const input = Buffer.from(c.input_b64, 'base64');
    const w = wirepad.parse(input, { kind: c.kind });
    const n = native(input, ['--kind', c.kind]);
    assert.deepEqual(spanObjects(w), n.spans, c.name);
    assert.equal(w.verdict === 'error' || n.diagnostics.some((d) => d.severity === 'error') ? 'error' : 'ok', n.verdict, c.name);
    // Decoding is the page's own step: the CLI adds its findings, wasm parse does not.
    const parseOnly = n.diagnostics.filter((d) => !['unknown-content-encoding', 'content-decoding-failed'].includes(d.code));
    assert.deepEqual(w.diagnostics.map(({ msg, ...d }) => d), parseOnly, c.name);
    assert.equal(w.messages.length, n.messages.length, c.name);
    w.messages.forEach((m, i) => {
      const nm = n.messages[i];
      assert.deepEqual(m.spans, nm.structure.spans, c.name);
      assert.equal(m.framing, nm.framing ?? null, c.name);
      assert.equal(m.status, nm.status ?? null, c.name);
      assert.deepEqual([m.start, m.end, m.complete, m.final], [nm.start, nm.end, nm.complete, nm.final], c.name);
      assert.deepEqual(m.method, nm.structure.method ?? null, c.name);
      assert.deepEqual(m.reason, nm.structure.reason ?? null, c.name);
      const fields = (run) => Array.from({ length: run[1] - run[0] }, (_, k) => {
        const j = run[0] + k;
        return { name: [w.fields.name_start[j], w.fields.name_end[j]], value: [w.fields.value_start[j], w.fields.value_end[j]], line: [w.fields.name_start[j], w.fields.line_end[j]] };
      });
      assert.deepEqual(fields(m.headers), nm.structure.headers, c.name);
      assert.deepEqual(fields(m.trailers), nm.structure.trailers, c.name);
      const chunks = Array.from({ length: m.chunks[1] - m.chunks[0] }, (_, k) => {
        const j = m.chunks[0] + k;
        const ch = w.chunks;
        return { size: ch.size[j], size_digits: [ch.size_start[j], ch.size_end[j]], ext: [ch.ext_start[j], ch.ext_end[j]], data: [ch.data_start[j], ch.data_end[j]], end: ch.end[j] };
      });
      assert.deepEqual(chunks, nm.structure.chunks, c.name);
      const body = Array.from({ length: m.body[1] - m.body[0] }, (_, k) => [w.body.start[m.body[0] + k], w.body.end[m.body[0] + k]]);
      assert.deepEqual(body, nm.structure.body, c.name);
    });
  }
});

test('a StreamParser says what changed, and its result equals a whole parse', () => {
  const input = enc.encode('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcdefghijHTTP/1.1 204 No Content\r\n\r\n');
  const whole = wirepad.parse(input, { kind: 'response' });
  for (let cut = 0; cut <= input.length; cut++) {
    const p = new wirepad.StreamParser('response', undefined);
    p.feed(input.subarray(0, cut));
    p.feed(input.subarray(cut));
    assert.deepEqual(p.finish().result(), whole, `split at ${cut}`);
  }
  const p = new wirepad.StreamParser('response', undefined);
  let change = p.feed(input.subarray(0, 40));
  assert.deepEqual([change.spans, change.messages, change.covered], [0, 0, 40]);
  assert.equal(change.until, 49, 'the head says the message ends 10 bytes after it');
  const before = p.result();
  assert.equal(before.messages[0].complete, false);
  assert.equal(before.spans.end[before.spans.end.length - 1], 40);
  change = p.feed(input.subarray(40, 45));
  const spanCount = before.spans.end.length;
  assert.equal(change.spans, spanCount - 1, 'the body span grew');
  assert.equal(change.messages, 0, 'the open message grew');
  const grown = p.result().spans;
  assert.deepEqual([grown.start[change.spans], grown.end[change.spans], grown.kinds[grown.kind[change.spans]]], [39, 45, 'body']);
  change = p.feed(input.subarray(45, 60));
  assert.equal(change.covered, 49, 'the next status line waits for its line end');
  assert.equal(p.result().messages[0].complete, true);
  assert.equal(change.finals, 1, 'the first response is complete');
  assert.equal(change.until, null, 'a message still without its head');
  change = p.feed(input.subarray(60));
  assert.equal(change.until, null, 'no message open');
  assert.equal(change.messages, 1);
  assert.equal(change.finals, 2);
  assert.equal(p.result().messages.length, 2);
});

test('a message still arriving is incomplete when the stream ends', () => {
  const p = new wirepad.StreamParser('response', { methods: ['GET'] });
  p.feed(enc.encode('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
  assert.equal(p.length, 42);
  const r = p.finish().result();
  assert.equal(r.messages[0].complete, false);
  assert.ok(r.diagnostics.some((d) => d.code === 'incomplete-message'));
});

test('responses to HEAD are framed from the request bytes, and know what they answer', () => {
  const requests = enc.encode('HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n');
  const r = wirepad.parse(enc.encode('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'), { kind: 'response', requests });
  assert.equal(r.verdict, 'ok');
  assert.deepEqual(r.messages.map((m) => [m.answers, m.framing, m.content_length]), [[0, 'none', null], [1, 'length', 2]]);
});

test('build writes exact bytes and never adds Host', () => {
  const bytes = wirepad.build({ method: 'POST', target: '/form', version: 'HTTP/1.1', headers: [['X-A', '1']], body: 'q=1', auto_content_length: true });
  assert.equal(new TextDecoder().decode(bytes), 'POST /form HTTP/1.1\r\nX-A: 1\r\nContent-Length: 3\r\n\r\nq=1');
  const r = wirepad.parse(bytes, { kind: 'request' });
  assert.ok(r.diagnostics.some((d) => d.code === 'missing-host' && d.severity === 'error'));
  // A body is a string (one byte per character up to U+00FF, UTF-8 beyond), bytes or byte values; missing fields are empty.
  const body = (b) => [...wirepad.build({ method: 'PUT', target: '/', version: 'HTTP/1.1', body: b })].slice(-3);
  assert.deepEqual(body('\xe9\u20ac'), [0xe2, 0x82, 0xac]);
  assert.deepEqual(body(Uint8Array.of(0, 1, 255)), [0, 1, 255]);
  assert.deepEqual(body([7, 8, 9]), [7, 8, 9]);
  assert.equal(new TextDecoder().decode(wirepad.build({ method: 'GET' })), 'GET  \r\n\r\n');
  assert.equal(new TextDecoder().decode(wirepad.build({ method: 'DELETE', target: '/x', version: 'HTTP/1.1', headers: [['Host', 'a']], auto_content_length: true })), 'DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n');
});

test('explanations cover every span kind and diagnostic code', () => {
  const t = wirepad.explanations();
  const kinds = new Map(t.kinds);
  const r = wirepad.parse(classic, { kind: 'request' });
  for (const k of r.spans.kinds) assert.ok(kinds.get(k)?.text.length > 10, k);
  assert.ok(t.codes.length >= 40);
  assert.ok(t.headers.length >= 40);
  assert.equal(new Map(t.statuses).get(404).title, 'Not Found');
  assert.equal(new Map(t.methods).get('HEAD').rfc, 'RFC 9110 §9.3.2');
  assert.equal(wirepad.rfc_url('RFC 9112 §6.3'), 'https://www.rfc-editor.org/rfc/rfc9112#section-6.3');
});

test('the first package leaves decoding to the second, which decodes the body alone', async () => {
  const body = brotliCompressSync(Buffer.from('hello brotli '.repeat(10)));
  assert.equal(wirepad.decode, undefined, 'the first package has no decode at all');
  const d = decoding.decode(body, ['br']);
  assert.equal(new TextDecoder().decode(d.bytes), 'hello brotli '.repeat(10));
});

test('decode undoes every coding in order and names the step that failed', () => {
  const wirepad = decoding;
  const text = Buffer.from('hello, decoded');
  const stacked = deflateSync(gzipSync(text));
  const d = wirepad.decode(stacked, ['gzip', 'deflate']);
  assert.equal(new TextDecoder().decode(d.bytes), 'hello, decoded');
  assert.deepEqual(d.steps.map((s) => [s.coding, s.outcome]), [['deflate', 'decoded'], ['gzip', 'decoded']]);
  const bad = wirepad.decode(gzipSync(text), ['gzip', 'deflate']);
  assert.equal(bad.bytes, undefined);
  assert.deepEqual(bad.steps.map((s) => s.outcome), ['failed']);
  assert.ok(bad.steps[0].error.length > 0);
  assert.deepEqual(wirepad.decode(text, ['zstd']).steps, [{ coding: 'zstd', outcome: 'unknown' }]);
});

test('bad options are errors, not crashes', () => {
  assert.throws(() => wirepad.parse(classic, { kind: 'sideways' }), /unknown kind/);
  assert.throws(() => new wirepad.StreamParser('nope', undefined), /unknown kind/);
  // A field of the wrong type says which, rather than being read as empty.
  assert.throws(() => wirepad.parse(classic, { kind: 7 }), /options\.kind must be a string/);
  assert.throws(() => wirepad.parse(classic, { kind: 'response', requests: 'GET / HTTP/1.1' }), /options\.requests must be a Uint8Array/);
  assert.throws(() => wirepad.parse(classic, { kind: 'response', methods: 'HEAD' }), /options\.methods must be an array of strings/);
  assert.throws(() => wirepad.parse(classic, { kind: 'response', methods: ['HEAD', 3] }), /each of options\.methods must be a string/);
  assert.throws(() => wirepad.build({ method: 5 }), /spec\.method must be a string/);
  assert.throws(() => wirepad.build({ method: 'GET', headers: [['Host']] }), /\[name, value\]/);
  assert.throws(() => wirepad.build({ method: 'GET', headers: 'Host: a' }), /spec\.headers must be an array/);
  assert.throws(() => wirepad.build({ method: 'PUT', body: [256] }), /from 0 to 255/);
  assert.throws(() => wirepad.build({ method: 'PUT', body: { length: 3 } }), /spec\.body must be/);
});

test('a Parsed keeps the parse: bodies joined and notes, as the whole parse has them', () => {
  const input = enc.encode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=1\r\n world\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc');
  const options = { kind: 'response', methods: ['GET', 'GET', 'GET'] };
  const parsed = new wirepad.Parsed(input, options);
  assert.deepEqual(parsed.result(), wirepad.parse(input, options));
  assert.equal(new TextDecoder().decode(parsed.body(0)), 'hello world', 'the chunks\' data joined, without sizes or extensions');
  assert.equal(parsed.body(1).length, 0, 'a 204 has no body');
  assert.equal(new TextDecoder().decode(parsed.body(2)), 'abc');
  assert.equal(parsed.body(3).length, 0, 'past the last message');
  // A StreamParser finishes into the same Parsed, whatever the pieces.
  const p = new wirepad.StreamParser('response', options);
  p.feed(input.subarray(0, 30));
  p.feed(input.subarray(30));
  const streamed = p.finish();
  const spans = parsed.result().spans.end.length;
  for (let i = 0; i < spans; i++) assert.deepEqual(streamed.notes(i), parsed.notes(i), `span ${i}`);
  assert.equal(new TextDecoder().decode(streamed.body(0)), 'hello world');
  streamed.free();
  parsed.free();
});

test('folded field values come unfolded from the core, the others not at all', () => {
  const input = enc.encode('HTTP/1.1 200 OK\r\nX-A: one,\r\n  two,\r\n\tthree\r\nX-B: plain\r\nX-C: a\r\n b\r\nContent-Length: 0\r\n\r\n');
  const whole = wirepad.parse(input, { kind: 'response' });
  assert.deepEqual([...whole.fields.unfolded], [[0, 'one, two, three'], [2, 'a b']]);
  assert.ok(whole.diagnostics.some((d) => d.code === 'obs-fold'));
  // The same while the response streams in.
  const p = new wirepad.StreamParser('response', undefined);
  p.feed(input.subarray(0, 60));
  assert.deepEqual([...p.result().fields.unfolded], [[0, 'one, two, three']]);
  assert.equal(wirepad.parse(enc.encode('HTTP/1.1 204 No Content\r\nX: y\r\n\r\n'), { kind: 'response' }).fields.unfolded.size, 0);
});
