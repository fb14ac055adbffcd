// The page's pure logic module (www/js/logic.js), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as logic from '../../www/js/logic.js';

const bytes = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));

test('the raw editor text round-trips every byte', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(logic.fromEditorText(logic.toEditorText(all)), all);
  const tricky = bytes('a\\x41b\\');
  assert.deepEqual(logic.fromEditorText(logic.toEditorText(tricky)), tricky);
  assert.equal(logic.toEditorText(bytes('GET / HTTP/1.1\r\nHost: a\n')), 'GET / HTTP/1.1␍␊\nHost: a␊\n');
  // Plain line breaks (pasted text) are HTTP line ends; \xNN is any byte.
  assert.deepEqual(logic.fromEditorText('A\nB\\x00'), bytes('A\r\nB\x00'));
  assert.deepEqual(logic.fromEditorText('pasted\r\nline'), bytes('pasted\r\nline'));
});

test('rows cover every byte once, break at line ends, LFs in bodies and read boundaries', () => {
  const input = bytes('HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nline1\nline2\n');
  const spans = [
    { start: 0, end: 8, kind: 'http-version', message: 0 },
    { start: 8, end: 9, kind: 'sp', message: 0 },
    { start: 9, end: 12, kind: 'status-code', message: 0 },
    { start: 12, end: 13, kind: 'sp', message: 0 },
    { start: 13, end: 15, kind: 'reason-phrase', message: 0 },
    { start: 15, end: 17, kind: 'crlf', message: 0 },
    { start: 17, end: 31, kind: 'header-name', message: 0 },
    { start: 31, end: 32, kind: 'colon', message: 0 },
    { start: 32, end: 33, kind: 'ows', message: 0 },
    { start: 33, end: 35, kind: 'header-value', message: 0 },
    { start: 35, end: 37, kind: 'crlf', message: 0 },
    { start: 37, end: 39, kind: 'empty-line', message: 0 },
    { start: 39, end: 51, kind: 'body', message: 0 },
  ];
  const rows = logic.rows(input, spans, [0, 20]);
  const pieces = rows.flat();
  let at = 0;
  for (const p of pieces) {
    assert.equal(p.start, at);
    at = p.end;
  }
  assert.equal(at, input.length);
  assert.equal(rows.length, 5); // status line, header, empty line, two body lines
  assert.ok(pieces.find((p) => p.start === 20).read, 'a read boundary starts a piece');
  assert.ok(pieces[0].read);
  assert.equal(logic.spanAt(spans, 40), 12);
  assert.equal(logic.spanAt(spans, 99), -1);
});

test('share hashes carry host, port and the exact bytes', () => {
  const request = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
  const hash = logic.makeHash({ host: 'example.org', port: 80, request });
  assert.match(hash, /^#host=example\.org&port=80&request=[A-Za-z0-9_-]+$/);
  const back = logic.parseHash(hash);
  assert.equal(back.host, 'example.org');
  assert.equal(back.port, 80);
  assert.deepEqual(back.request, request);
  assert.equal(logic.parseHash('#nothing'), null);
});

test('exports: Python bytes literal, curl, capture files', () => {
  assert.equal(logic.pythonBytes(bytes('GET / HTTP/1.1\r\nX: "\\"\r\n\r\n')), '    b"GET / HTTP/1.1\\r\\n"\n    b"X: \\"\\\\\\"\\r\\n"\n    b"\\r\\n"');
  const py = logic.pythonSnippet('example.org', 80, bytes('GET / HTTP/1.1\r\nHost: example.org\r\n\r\n'));
  assert.match(py, /socket\.create_connection\(\("example\.org", 80\)\)/);
  const curl = logic.curlCommand('h', 8081, { method: 'POST', target: '/echo', version: 'HTTP/1.1', headers: [['Content-Length', '3'], ['X-A', "it's"]] }, bytes('a=1'));
  assert.equal(curl, "curl --http1.1 -v -X POST 'http://h:8081/echo' -H 'X-A: it'\\''s' --data-binary 'a=1'");
  const json = logic.captureJSON({ host: 'h', port: 1, request: bytes('GET'), response: bytes('HTTP/1.1 200 OK') });
  const c = logic.readCapture(new TextEncoder().encode(json));
  assert.deepEqual([c.host, c.port, c.request, c.response], ['h', 1, bytes('GET'), bytes('HTTP/1.1 200 OK')]);
  assert.ok(logic.readCapture(bytes('\r\nHTTP/1.1 200 OK')).response);
  assert.ok(logic.readCapture(bytes('GET / HTTP/1.1')).request);
});

test('responsesDone waits for every final response, complete', () => {
  const r = (ms) => ({ messages: ms });
  assert.equal(logic.responsesDone(r([{ status: 100, complete: true }, { status: 200, complete: true }]), 1), true);
  assert.equal(logic.responsesDone(r([{ status: 100, complete: true }]), 1), false);
  assert.equal(logic.responsesDone(r([{ status: 200, complete: true }, { status: 200, complete: false }]), 2), false);
});
