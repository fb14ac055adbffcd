// What a span means in its own message comes from the core through wasm
// (`Parsed.notes`, src/explain/context.rs): the page keeps the core's parse
// of the bytes it shows and asks it, and shows the sentences it gets. Every branch
// is tested beside the Rust code; these check that the package the page loads
// gives the page the same words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as wirepad from '../../www/pkg/wirepad.js';
import { notesEnd } from '../../www/js/logic.js';

wirepad.initSync({ module: readFileSync(new URL('../../www/pkg/wirepad_bg.wasm', import.meta.url)) });

const bytes = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const GET = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
const HEAD = 'HEAD / HTTP/1.1\r\nHost: a\r\n\r\n';

/** The notes on the n-th span of `kind` in a response stream answering `requests`, as the page asks for them. */
function notes(response, requests, kind, n = 0) {
  const input = bytes(response);
  const options = { kind: 'response', requests: bytes(requests) };
  return notesOf(input, options, (result) => [...result.spans.kind].map((k, i) => [result.spans.kinds[k], i]).filter(([k]) => k === kind)[n][1]);
}

/** The notes of the span `pick(result)` of `input`, from a Parsed freed after. */
function notesOf(input, options, pick) {
  const parsed = new wirepad.Parsed(input, options);
  try {
    return parsed.notes(typeof pick === 'number' ? pick : pick(parsed.result()));
  } finally {
    parsed.free();
  }
}
const note = (...args) => notes(...args).context;

test('the empty line is explained for the message it ends', () => {
  const head = note('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', HEAD, 'empty-line');
  assert.match(head, /answers a HEAD request, so no body follows/);
  assert.doesNotMatch(head, /the body is the next/);
  const pipelined = note('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n', GET + GET, 'empty-line');
  assert.equal(pipelined, 'This empty line ends the header section of response 1. Content-Length: 2 says the body is the next 2 bytes (RFC 9112 §6.3). This response ends at byte 40; response 2 starts right there.');
  assert.match(note('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', GET, 'empty-line'), /first chunk-size line, not the body itself/);
  assert.match(note('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', GET, 'empty-line'), /interim response: it has no body, and the final response/);
  assert.match(note('HTTP/1.1 204 No Content\r\n\r\n', GET, 'empty-line'), /204 No Content never has a body/);
  assert.match(note('HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n', GET, 'empty-line'), /304 Not Modified never has a body/);
  assert.match(note('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x00', GET, 'empty-line'), /not HTTP\/1\.1/);
  assert.match(note('HTTP/1.1 200 OK\r\n\r\n\x16\x03', 'CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n', 'empty-line'), /tunnel/);
  assert.match(note('HTTP/1.1 200 OK\r\n\r\nuntil close', GET, 'empty-line'), /until the server closes the connection/);
});

test('Content-Length is explained for what it frames here', () => {
  assert.match(note('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', HEAD, 'header-value'), /HEAD[\s\S]*does not frame anything/);
  assert.match(note('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', GET, 'header-name'), /reads exactly 5 bytes after the empty line; byte 43 is where/);
  assert.match(note('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', GET, 'header-value'), /Transfer-Encoding is present too, and it wins/);
  assert.equal(note('HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 0\r\n\r\n', GET, 'header-name'), '', 'other fields add nothing');
});

test('status codes name the request they answer, by its method', () => {
  assert.equal(note('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n', GET + GET, 'status-code', 1), '404 is a client error code, answering request 2.');
  assert.match(note('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', HEAD, 'reason-phrase'), /^200 is a success code, answering request 1 \(HEAD\)\. This response answers a HEAD request/);
});

test('the step-through hears where a body ends', () => {
  const cl = 'HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nline1\nline2\n';
  assert.equal(notes(cl, GET, 'empty-line').framing, 'Content-Length: 12 says how many body bytes follow.');
  assert.equal(notes(cl, GET, 'body').framing, 'Here Content-Length: 12 announced 12 bytes.');
  assert.equal(notes(cl, GET, 'header-name').framing, '');
  // A request wire is parsed as requests, its own method counting.
  const post = bytes('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc');
  const r = wirepad.parse(post, { kind: 'request' });
  const empty = [...r.spans.kind].findIndex((k) => r.spans.kinds[k] === 'empty-line');
  assert.deepEqual(notesOf(post, { kind: 'request' }, empty), {
    context: 'This empty line ends the header section of request 1. Content-Length: 3 says the body is the next 3 bytes (RFC 9112 §6.3).',
    framing: 'Content-Length: 3 says how many body bytes follow.',
  });
  assert.deepEqual(notesOf(post, { kind: 'request' }, 10_000), { context: '', framing: '' }, 'past the last span');
});

test('the page parses only up to the message after the clicked one, and gets the same notes', () => {
  const requests = bytes(GET + HEAD + GET + GET + GET);
  const input = bytes('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\r\n' + 'HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n' + 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX: y\r\n\r\n' + 'HTTP/1.1 304 Not Modified\r\n\r\n' + 'HTTP/1.1 200 OK\r\n\r\nuntil the end');
  const options = { kind: 'response', requests };
  const result = wirepad.parse(input, options);
  assert.ok(result.messages.length >= 6, `${result.messages.length} messages`);
  let shorter = 0;
  for (let i = 0; i < result.spans.end.length; i++) {
    const end = notesEnd(result, i, input.length);
    if (end < input.length) shorter++;
    assert.deepEqual(notesOf(input.subarray(0, end), options, i), notesOf(input, options, i), `span ${i} (${result.spans.kinds[result.spans.kind[i]]})`);
  }
  assert.ok(shorter > result.spans.end.length / 2, 'most clicks parse a prefix');
});
