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

test('the text view shows every byte, and in a body pane an LF also ends the line', () => {
  const input = bytes('a\tb\r\nc\x00\n\xe9');
  assert.equal(logic.visibleText(input, 0, input.length), 'a␉b␍␊c\\x00␊\\xe9');
  assert.equal(logic.visibleText(input, 0, input.length, true), 'a␉b␍␊\nc\\x00␊\n\\xe9');
});

test('a UTF-8 text view shows characters for well-formed sequences only', () => {
  const utf8 = new TextEncoder().encode('§ 1 · é 😀\n');
  assert.equal(logic.visibleText(utf8, 0, utf8.length, true, true), '§ 1 · é 😀␊\n');
  assert.equal(logic.visibleText(utf8, 0, utf8.length), '\\xc2\\xa7 1 \\xc2\\xb7 \\xc3\\xa9 \\xf0\\x9f\\x98\\x80␊', 'not without the charset');
  // Overlong, a surrogate, past U+10FFFF, cut short, a lone continuation byte.
  const bad = Uint8Array.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xe2, 0x82, 0x41, 0x80]);
  assert.equal(logic.visibleText(bad, 0, bad.length, false, true), '\\xc0\\xaf\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80\\xe2\\x82A\\x80');
  // A sequence cut by the end of the view stays bytes.
  assert.equal(logic.visibleText(utf8, 0, 1, false, true), '\\xc2');
});

test('an element of a wire is named for a screen reader in words: kind, then its bytes', () => {
  const input = bytes('HTTP/1.1 200 OK\r\n  x\ty');
  assert.equal(logic.spokenText(input, 9, 12), '200');
  assert.equal(logic.spokenText(input, 8, 9), 'space');
  assert.equal(logic.spokenText(input, 17, 19), '2 spaces');
  assert.equal(logic.spokenText(input, 15, 17), 'CRLF');
  assert.equal(logic.spokenText(input, 13, 22), 'OKCRLF  x␉y');
  assert.equal(logic.spokenText(input, 0, 12, 4), 'HTTP … (12 bytes)');
  assert.equal(logic.kindWords('Status code'), 'status code');
  assert.equal(logic.kindWords('HTTP version'), 'HTTP version');
  assert.equal(logic.kindWords('Line end (CRLF)'), 'line end (CRLF)');
});

/** Span columns, as the wasm result gives them, from [start, end, kind] triples. */
function columns(list, message = 0) {
  const kinds = [...new Set(list.map((s) => s[2]))];
  return {
    start: Uint32Array.from(list, (s) => s[0]),
    end: Uint32Array.from(list, (s) => s[1]),
    kind: Uint8Array.from(list, (s) => kinds.indexOf(s[2])),
    message: Int32Array.from(list, () => message),
    kinds,
  };
}

const RESPONSE_SPANS = [
  [0, 8, 'http-version'], [8, 9, 'sp'], [9, 12, 'status-code'], [12, 13, 'sp'], [13, 15, 'reason-phrase'], [15, 17, 'crlf'],
  [17, 31, 'header-name'], [31, 32, 'colon'], [32, 33, 'ows'], [33, 35, 'header-value'], [35, 37, 'crlf'], [37, 39, 'empty-line'],
  [39, 51, 'body'],
];

test('rows cover every byte once, break at line ends, LFs in bodies and read boundaries', () => {
  const input = bytes('HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nline1\nline2\n');
  const spans = columns(RESPONSE_SPANS);
  const layout = logic.layoutRows(input, spans);
  assert.equal(layout.count, 6); // title, status line, header, empty line, two body lines
  assert.deepEqual([...layout.title], [0, -1, -1, -1, -1, -1]);
  assert.deepEqual(logic.rowPieces(spans, layout, 0), [], 'a title row covers no bytes');
  const pieces = [];
  for (let r = 0; r < layout.count; r++) pieces.push(...logic.rowPieces(spans, layout, r, [0, 20]));
  let at = 0;
  for (const p of pieces) {
    assert.equal(p.start, at);
    at = p.end;
  }
  assert.equal(at, input.length);
  assert.ok(pieces.find((p) => p.start === 20).read, 'a read boundary starts a piece');
  assert.ok(pieces[0].read);
  assert.equal(logic.spanAt(spans, 40), 12);
  assert.equal(logic.spanAt(spans, 99), -1);
  assert.equal(logic.rowAt(layout, 44), 4);
  assert.equal(logic.rowAt(layout, 0), 1, 'a byte is in its row, not in the title');
});

test('rows break at message boundaries and wrap long lines', () => {
  const input = bytes('x'.repeat(250));
  const spans = columns([[0, 100, 'header-value'], [100, 250, 'body']]);
  spans.message[1] = 1;
  const layout = logic.layoutRows(input, spans, 96);
  assert.deepEqual([...layout.start], [0, 0, 96, 100, 100, 196, 250]);
  assert.deepEqual([...layout.title], [0, -1, -1, 1, -1, -1]);
});

test('a resumed layout equals a fresh one, whatever span it resumes at', () => {
  const input = bytes('HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nline1\nline2\n');
  const spans = columns(RESPONSE_SPANS);
  const fresh = logic.layoutRows(input, spans);
  for (let i = 0; i < RESPONSE_SPANS.length; i++) {
    const resumed = logic.layoutRows(input, spans, 96, { layout: fresh, byte: spans.start[i] + (i % 2) });
    assert.deepEqual([...resumed.start], [...fresh.start], `resumed in span ${i}`);
    assert.deepEqual([...resumed.span], [...fresh.span], `resumed at span ${i}`);
    assert.deepEqual([...resumed.title], [...fresh.title], `resumed at span ${i}`);
  }
  // A body with no LF at all is cut by width, without searching it again for every row.
  const big = new Uint8Array(96 * 1000).fill(0x41);
  const one = logic.layoutRows(big, columns([[0, big.length, 'body']]));
  assert.equal(one.count, 1001);
});

test('fields and tree nodes are read from the structure', () => {
  const input = bytes('HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nline1\nline2\n');
  const result = {
    spans: columns(RESPONSE_SPANS),
    fields: { name_start: Uint32Array.of(17), name_end: Uint32Array.of(31), value_start: Uint32Array.of(33), value_end: Uint32Array.of(35), line_end: Uint32Array.of(37), unfolded: new Map() },
    chunks: { size: new Float64Array(), size_start: new Uint32Array(), size_end: new Uint32Array(), ext_start: new Uint32Array(), ext_end: new Uint32Array(), data_start: new Uint32Array(), data_end: new Uint32Array(), end: new Uint32Array() },
    body: { start: Uint32Array.of(39), end: Uint32Array.of(51) },
    messages: [{ index: 0, kind: 'response', start: 0, end: 51, complete: true, spans: [0, 13], head_end: 39, framing: 'length', content_length: 12, status: 200, reason: [13, 15], headers: [0, 1], trailers: [1, 1], chunks: [0, 0], body: [0, 1] }],
  };
  const m = result.messages[0];
  assert.equal(logic.header(result, input, m, 'content-length'), '12');
  assert.equal(logic.messageTitle(input, m), 'Response 1: 200 OK');
  assert.deepEqual(logic.messageNodes(result, input, m).map((n) => [n.label.split('  ')[0], n.start, n.end]), [
    ['start line', 0, 17],
    ['header', 17, 37],
    ['empty line: end of headers', 37, 39],
    ['body', 39, 51],
  ]);
  assert.equal(logic.fieldAt(result, m, 33), 0);
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
  const py = logic.pythonSnippet('example.org', 80, bytes('GET / HTTP/1.1\r\nHost: example.org\r\n\r\n'), ['GET']);
  assert.match(py, /HOST, PORT = "example\.org", 80/);
  assert.match(py, /METHODS = \["GET"\]/);
  assert.match(py, /int\(headers\[b"content-length"\]\)/, 'the body is read by its framing, not until a timeout');
  assert.doesNotMatch(py, /settimeout/);
  const curl = logic.curlCommand('h', 8081, { method: 'POST', target: '/echo', version: 'HTTP/1.1', headers: [['Host', 'h:8081'], ['Content-Length', '3'], ['X-A', "it's"]] }, bytes('a=1'), ['a note']);
  assert.equal(curl, "# a note\ncurl --http1.1 --path-as-is --raw -sS -i 'http://h:8081/echo' -H 'Host: h:8081' -H 'X-A: it'\\''s' -H 'User-Agent:' -H 'Accept:' --data-binary 'a=1' -H 'Content-Type:'");
  assert.match(logic.curlCommand('h', 80, { method: 'HEAD', target: '/', version: 'HTTP/1.1', headers: [] }), /--head 'http:\/\/h\/'/);
  const json = logic.captureJSON({ host: 'h', port: 1, request: bytes('GET'), response: bytes('HTTP/1.1 200 OK') });
  const c = logic.readCapture(new TextEncoder().encode(json));
  assert.deepEqual([c.host, c.port, c.request, c.response], ['h', 1, bytes('GET'), bytes('HTTP/1.1 200 OK')]);
  assert.ok(logic.readCapture(bytes('\r\nHTTP/1.1 200 OK')).response);
  assert.ok(logic.readCapture(bytes('GET / HTTP/1.1')).request);
});


// Real parses (the wasm package the page loads). What a span means in its
// message is the core's (`span_notes`): tests/wasm/notes.test.mjs.
const { readFileSync } = await import('node:fs');
const wasm = await import('../../www/pkg/wirepad.js');
wasm.initSync({ module: readFileSync(new URL('../../www/pkg/wirepad_bg.wasm', import.meta.url)) });

test('deleting any part of a line end deletes the whole line end', () => {
  const t = logic.toEditorText(bytes('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
  const lf = t.indexOf('␊');
  for (const [caret, backward] of [[lf + 1, true], [lf + 2, true], [lf, true], [lf - 1, false], [lf, false], [lf + 1, false]]) {
    const r = logic.deleteLineEnd(t, caret, backward);
    assert.deepEqual(logic.fromEditorText(r.text), bytes('GET / HTTP/1.1Host: a\r\n\r\n'), `caret ${caret} ${backward ? 'Backspace' : 'Delete'}`);
    assert.equal(r.caret, lf - 1);
  }
  // A bare LF is a unit too; elsewhere nothing special happens.
  const bare = logic.toEditorText(bytes('A\nB'));
  assert.deepEqual(logic.fromEditorText(logic.deleteLineEnd(bare, 3, true).text), bytes('AB'));
  assert.equal(logic.deleteLineEnd(t, 3, true), null);
});

test('rows fit a width in screen cells, and a row cut by it is marked as continuing', () => {
  const input = bytes('HTTP/1.1 200 OK\r\nX-Long: ' + 'v'.repeat(40) + '\r\n\r\n\x00\x01ab\ncd');
  const result = wasm.parse(input, { kind: 'response' });
  const width = 20;
  const layout = logic.layoutRows(input, result.spans, width, null, logic.TEXT_CELLS);
  let at = 0;
  for (let r = 0; r < layout.count; r++) {
    const pieces = logic.rowPieces(result.spans, layout, r);
    const cells = pieces.reduce((n, p) => n + logic.visibleText(input, p.start, p.end).length, 0);
    assert.ok(cells <= width, `row ${r} takes ${cells} cells`);
    for (const p of pieces) {
      assert.equal(p.start, at);
      at = p.end;
    }
  }
  assert.equal(at, input.length, 'every byte is in a row: nothing is hidden');
  const long = logic.rowAt(layout, 17 + 10); // inside the long header line
  assert.ok(logic.rowContinues(input, layout, long), 'the long line goes on');
  assert.ok(!logic.rowContinues(input, layout, logic.rowAt(layout, 0)), 'the status line fits');
  // \x00 and \x01 take four cells each.
  const body = logic.rowAt(layout, result.messages[0].head_end);
  assert.equal(layout.start[body + 1] - layout.start[body], 5, '\\x00\\x01ab and the LF: 4 + 4 + 1 + 1 + 1 cells');
});

test('a head line is one row exactly when it fits, line end included', () => {
  // "X-A: " and 32 bytes: 37 cells. A row keeps the cells of a CR LF (two
  // chips, 2 cells each) for the line end, even when the line ends in a bare LF.
  const lines = [['v'.repeat(32), 37, '\r\n'], ['v'.repeat(31) + '\x01', 40, '\r\n'], ['v'.repeat(30) + '\t\t', 37, '\r\n'], ['v'.repeat(32), 37, '\n']];
  for (const [inside, cells, eol] of lines) {
    const input = bytes(`HTTP/1.1 200 OK\r\nX-A: ${inside}${eol}B: c\r\n\r\n`);
    const result = wasm.parse(input, { kind: 'response' });
    const after = 17 + 5 + inside.length + eol.length;
    for (const width of [cells + 2, cells + 3, cells + 4, cells + 5]) {
      const layout = logic.layoutRows(input, result.spans, width, null, logic.CHIP_CELLS);
      const first = logic.rowAt(layout, 17);
      const next = logic.rowAt(layout, after);
      assert.equal(next - first, cells + 4 <= width ? 1 : 2, `${JSON.stringify(inside + eol)} in ${width} cells`);
      assert.equal(layout.start[first], 17);
      assert.equal(layout.start[next], after, 'the next line starts a row');
    }
  }
});

/**
 * The rows of a body alone, by the rules layoutRows states, one byte at a
 * time: a byte fits while the row's cells stay within the width less the
 * cells kept for a line end (a CR or LF may use those), an LF ends its row,
 * and a row cut by the width breaks after a space or separator among its
 * last 16 bytes, if there is one past its first byte.
 */
function bodyRows(input, width, cells) {
  const reserve = cells[0x0d] + cells[0x0a];
  const breakAfter = (b) => ' \t;,=&/-'.includes(String.fromCharCode(b));
  const starts = [];
  let at = 0;
  while (at < input.length) {
    starts.push(at);
    let used = 0;
    let stop = at;
    let full = false;
    while (stop < input.length) {
      const b = input[stop];
      const room = b === 0x0d || b === 0x0a ? width : width - reserve;
      if (used + cells[b] > room) {
        full = true;
        break;
      }
      used += cells[b];
      stop++;
      if (b === 0x0a) break;
    }
    if (full) {
      let k = stop - 1;
      while (k > at && k >= stop - 16 && !breakAfter(input[k])) k--;
      if (k > at && breakAfter(input[k])) stop = k + 1;
    }
    at = Math.max(stop, at + 1);
  }
  return starts;
}

test('rows of body text are laid out by the rules, whatever the lines, the width and the bytes\' place in their buffer', () => {
  // Text lines (the fast path lays these out four bytes at a time) mixed
  // with what it leaves to the byte-by-byte loop: tabs, control and high
  // bytes, CR LF, lines longer than a row, with and without spaces.
  let seed = 7;
  const next = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const text = 'wirepad practice server: a large body, sixty-four bytes a line.abcdefghijklmnopqrstuvwxyz0123456789';
  for (let trial = 0; trial < 300; trial++) {
    const parts = [];
    while (parts.length < 40) {
      const line = text.slice(next(text.length), text.length);
      const odd = next(6) === 0 ? String.fromCharCode([0x09, 0x00, 0x7f, 0xe9, 0x0d][next(5)]) : '';
      parts.push(line.slice(0, next(line.length + 1)) + odd + line.slice(0, next(20)) + (next(8) === 0 ? '\r\n' : '\n'));
    }
    const body = bytes(parts.join(''));
    const width = 8 + next(120);
    const cells = next(2) ? logic.TEXT_CELLS : logic.CHIP_CELLS;
    const offset = next(4);
    const buffer = new Uint8Array(body.length + 8);
    buffer.set(body, offset);
    const input = buffer.subarray(offset, offset + body.length);
    const layout = logic.layoutRows(input, columns([[0, input.length, 'body']]), width, null, cells);
    const rows = [...layout.start.subarray(0, layout.count)].filter((_, r) => layout.title[r] === -1);
    assert.deepEqual(rows, bodyRows(input, width, cells), `trial ${trial}, width ${width}, offset ${offset}`);
  }
});

test('a wrapped line keeps its CR LF together on its last row, and breaks between words', () => {
  const line = 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n';
  const input = bytes(line);
  const result = wasm.parse(input, { kind: 'response' });
  for (let width = 12; width <= 44; width++) {
    const layout = logic.layoutRows(input, result.spans, width, null, logic.CHIP_CELLS);
    for (let r = 0; r < layout.count; r++) {
      const [a, b] = [layout.start[r], layout.start[r + 1]];
      if (layout.title[r] !== -1 || a === b) continue;
      const text = line.slice(a, b);
      assert.ok(!(text.startsWith('\n') && a > 0 && line[a - 1] === '\r'), `width ${width}: CR and LF split at ${a}`);
      assert.ok(!(/^\r\n$/.test(text) && line[a - 1] !== '\n'), `width ${width}: a line end alone on row ${r} looks like an empty line`);
    }
  }
  const layout = logic.layoutRows(input, result.spans, 30, null, logic.CHIP_CELLS);
  const rows = Array.from({ length: layout.count }, (_, r) => line.slice(layout.start[r], layout.start[r + 1])).filter(Boolean);
  assert.ok(rows.includes('Content-Type: text/html; '), rows.join('|'));
});

test('a binary body fills its rows with bytes, three cells each, and an LF in it ends no row', () => {
  const data = '\x89PNG\r\n\x1a\n' + 'a\r\nb\nc'.repeat(12);
  const head = (type) => `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${data.length}\r\n\r\n`;
  for (const [type, binary] of [['image/png', true], ['text/plain', false]]) {
    const input = bytes(head(type) + data);
    const result = wasm.parse(input, { kind: 'response' });
    assert.equal(result.messages[0].binary, binary, type);
    const flags = Uint8Array.from(result.messages, (m) => m.binary);
    const width = 40;
    const layout = logic.layoutRows(input, result.spans, width, null, logic.CHIP_CELLS, flags);
    const bodyStart = head(type).length;
    const rows = [];
    for (let r = 0; r < layout.count; r++) if (layout.title[r] === -1 && layout.start[r] >= bodyStart) rows.push(layout.start[r + 1] - layout.start[r]);
    const reserve = logic.CHIP_CELLS[13] + logic.CHIP_CELLS[10];
    const per = Math.floor((width - reserve) / 3);
    if (binary) {
      assert.deepEqual(rows, [...Array(Math.floor(data.length / per)).fill(per), data.length % per].filter(Boolean), type);
      assert.ok(logic.drawnAsBytes(flags, 'body', 0) && !logic.drawnAsBytes(flags, 'field-value', 0));
    } else {
      assert.ok(rows.length > data.length / per, `${type}: lines end at each LF`);
      assert.ok(!logic.drawnAsBytes(flags, 'body', 0));
    }
  }
});

test('marks travel in share links and capture files, and only valid ones are read', () => {
  const request = bytes('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  const response = bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  const marks = [{ wire: 'response', start: 9, end: 12, color: 2, note: 'the status code — 200 ✓' }, { wire: 'request', start: 0, end: 3, color: 5, note: '' }];
  const hash = logic.makeHash({ host: 'h', port: 80, request, response, marks });
  assert.match(hash, /&response=[\w-]+&marks=[\w-]+$/);
  const back = logic.parseHash(hash);
  assert.deepEqual(back.response, response);
  assert.deepEqual(back.marks, marks);
  // Over 64 KiB the response stays out of the link (a capture file carries it).
  assert.doesNotMatch(logic.makeHash({ host: 'h', port: 80, request, response: new Uint8Array(logic.LINK_RESPONSE_MAX + 1) }), /response=/);
  const c = logic.readCapture(new TextEncoder().encode(logic.captureJSON({ host: 'h', port: 1, request, response, marks })));
  assert.deepEqual(c.marks, marks);
  assert.deepEqual(logic.readMarks([{ wire: 'elsewhere', start: 0, end: 1 }, { wire: 'request', start: 5, end: 5 }, { wire: 'request', start: 1, end: 2, color: 9 }]), [{ wire: 'request', start: 1, end: 2, color: 5, note: '' }]);
});

test('pieces break at mark edges as well as at reads', () => {
  const input = bytes('HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nline1\nline2\n');
  const spans = columns(RESPONSE_SPANS);
  const layout = logic.layoutRows(input, spans);
  const pieces = logic.rowPieces(spans, layout, 1, [], [2, 10]);
  assert.deepEqual(pieces.map((p) => [p.start, p.end]), [[0, 2], [2, 8], [8, 9], [9, 10], [10, 12], [12, 13], [13, 15], [15, 17]]);
  assert.ok(pieces.every((p) => !p.read));
});

test('exercise questions come from the parse, in wire order, for the parts chosen', () => {
  const raw = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1F\r\n' + 'x'.repeat(31) + '\r\n0\r\nX-Sum: 9\r\n\r\n';
  const input = bytes(raw);
  const result = wasm.parse(input, { kind: 'response' });
  const all = logic.exerciseQuestions(result, input, 'response');
  assert.deepEqual(all.map((q) => q.ask), ['http-version', 'status-code', 'reason-phrase', 'header-name:Content-Type', 'header-value:Content-Type', 'header-value:Transfer-Encoding', 'empty-line', 'body-start', 'chunk-size:1', 'chunk-size:2', 'last-chunk', 'trailer:X-Sum']);
  const at = (ask) => all.find((q) => q.ask === ask);
  assert.equal(raw.slice(at('status-code').start, at('status-code').end), '200');
  assert.equal(raw.slice(at('chunk-size:2').start, at('chunk-size:2').end), '1F');
  assert.equal(raw.slice(at('body-start').start, at('body-start').end), '5', 'a chunked body starts with its first chunk size');
  assert.deepEqual(logic.exerciseQuestions(result, input, 'response', 'start-line').map((q) => q.ask), ['http-version', 'status-code', 'reason-phrase']);
  assert.ok(logic.exerciseQuestions(result, input, 'response', 'framing').every((q) => !q.ask.startsWith('header-')));
  const titles = new Map([['reason-phrase', 'Reason phrase']]);
  assert.equal(logic.describeSpan(result, input, logic.span(result, 4), titles), 'the reason phrase');
  assert.equal(logic.describeSpan(result, input, logic.span(result, 9), titles), 'the value of the Content-Type field');
});

test("a class's answers: first answers per question, right/answered, the wrong part clicked most", () => {
  const questions = [{ ask: 'status-code', prompt: 'Click the status code of response 1.' }, { ask: 'reason-phrase', prompt: 'Click the reason phrase of response 1.' }];
  const answers = new Map([
    [1, new Map([[4, { right: false, clicked: 'the status code' }]])],
    [0, new Map([[1, { right: true, clicked: null }], [2, { right: false, clicked: 'the reason phrase' }], [3, { right: false, clicked: 'the reason phrase' }], [5, { right: false, clicked: 'the HTTP version' }]])],
  ]);
  const rows = logic.tallyAnswers(questions, answers);
  assert.deepEqual(rows.map((r) => [r.q, r.ask, r.right, r.answered]), [[0, 'status-code', 1, 4], [1, 'reason-phrase', 0, 1]]);
  assert.equal(rows[0].commonWrong, 'the reason phrase');
  assert.equal(rows[0].commonWrongCount, 2);
  assert.equal(rows[1].commonWrong, 'the status code');
  assert.deepEqual(logic.tallyAnswers(questions, new Map()), []);
});

test('targets typed as URLs, and https in share links', () => {
  assert.deepEqual(logic.readTarget('https://example.org'), { host: 'example.org', port: null, scheme: 'https' });
  assert.deepEqual(logic.readTarget('HTTPS://example.org:8443/a/b'), { host: 'example.org', port: 8443, scheme: 'https' });
  assert.deepEqual(logic.readTarget('http://[::1]:80'), { host: '[::1]', port: 80, scheme: 'http' });
  assert.deepEqual(logic.readTarget('example.org'), { host: 'example.org', port: null, scheme: null });
  assert.deepEqual(logic.readTarget('127.0.0.1:8081'), { host: '127.0.0.1', port: 8081, scheme: null });
  const request = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  const hash = logic.makeHash({ host: 'a', port: 443, scheme: 'https', request });
  assert.match(hash, /&scheme=https&/);
  assert.equal(logic.parseHash(hash).scheme, 'https');
  assert.equal(logic.parseHash(logic.makeHash({ host: 'a', port: 80, request })).scheme, 'http');
  assert.doesNotMatch(logic.makeHash({ host: 'a', port: 80, request }), /scheme/);
  assert.equal(logic.parseHash('#host=a&scheme=https&request=R0VU').port, 443, 'https defaults to port 443');
});

test('TLS flights join chunks sent the same way, and rows cut records and spans where a flight ends', () => {
  const flights = logic.tlsFlights([{ dir: 'up', length: 10 }, { dir: 'down', length: 4 }, { dir: 'down', length: 8 }, { dir: 'up', length: 0 }, { dir: 'up', length: 3 }]);
  assert.deepEqual(flights, [{ dir: 'up', start: 0, end: 10 }, { dir: 'down', start: 0, end: 12 }, { dir: 'up', start: 10, end: 13 }]);
  // Up: one 13-byte record (header 5, payload 8) sent in two flights; down: a record, then bytes that are not TLS.
  const labels = {
    up: { records: [{ range: { start: 0, end: 13 } }], spans: { start: Uint32Array.of(0, 1, 3, 5), end: Uint32Array.of(1, 3, 5, 13) } },
    down: { records: [{ range: { start: 0, end: 7 } }], spans: { start: Uint32Array.of(0, 1, 3, 5, 7), end: Uint32Array.of(1, 3, 5, 7, 12) } },
  };
  const rows = logic.tlsRows(labels, flights);
  assert.deepEqual(rows[0].records, [{ dir: 'up', record: 0, start: 0, end: 10, spans: [{ index: 0, start: 0, end: 1 }, { index: 1, start: 1, end: 3 }, { index: 2, start: 3, end: 5 }, { index: 3, start: 5, end: 10 }] }]);
  assert.deepEqual(rows[1].records.map((r) => [r.record, r.start, r.end, r.spans.length]), [[0, 0, 7, 4], [-1, 7, 12, 1]]);
  assert.deepEqual(rows[2].records, [{ dir: 'up', record: 0, start: 10, end: 13, spans: [{ index: 3, start: 10, end: 13 }] }]);
});

test('TLS values in words', () => {
  const names = {
    content_types: new Map([[22, 'handshake']]),
    versions: new Map([[0x0303, 'TLS 1.2']]),
    handshakes: new Map([[1, 'client_hello']]),
    alerts: new Map([[0, 'close_notify']]),
    extensions: new Map([[0, 'server_name']]),
    suites: new Map([[0x1301, 'TLS_AES_128_GCM_SHA256']]),
  };
  const b = Uint8Array.of(22, 3, 3, 0x02, 0x00, 0x13, 0x01, 0x2a, 0x2a, 0, 9, 0, 0, 6, ...bytes('a.test'), 0, 9, 8, ...bytes('http/1.1'));
  assert.equal(logic.tlsValue(b, 0, 1, 'tls-record-type', names), 'handshake (22)');
  assert.equal(logic.tlsValue(b, 1, 3, 'tls-record-version', names), 'TLS 1.2 (0x0303)');
  assert.equal(logic.tlsValue(b, 3, 5, 'tls-record-length', names), '512 bytes follow');
  assert.equal(logic.tlsValue(b, 5, 7, 'tls-cipher-suite', names), 'TLS_AES_128_GCM_SHA256 (0x1301)');
  assert.match(logic.tlsValue(b, 7, 9, 'tls-cipher-suite', names), /^GREASE/);
  assert.equal(logic.tlsValue(b, 9, 20, 'tls-server-name', names), 'host name a.test');
  assert.equal(logic.tlsValue(b, 20, 31, 'tls-alpn', names), 'http/1.1');
});

test('responsesDone waits for every final response, complete; which are final is the core\'s word', () => {
  const parsed = (text, requests) => wasm.parse(new TextEncoder().encode(text), { kind: 'response', requests: new TextEncoder().encode(requests) });
  const get = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
  const interimThenOk = parsed('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', get);
  assert.deepEqual(interimThenOk.messages.map((m) => m.final), [false, true]);
  assert.equal(logic.responsesDone(interimThenOk, 1), true);
  assert.equal(logic.responsesDone(parsed('HTTP/1.1 100 Continue\r\n\r\n', get), 1), false);
  assert.equal(logic.responsesDone(parsed('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab', get + get), 2), false);
  // 101 ends the HTTP exchange: the last final response is the 101, not the 100 before it.
  const upgraded = parsed('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x00', get);
  assert.equal(logic.lastFinal(upgraded).status, 101);
  assert.equal(logic.predictionActual('status', upgraded), 101);
});

test('{run} in a lesson step is a name of the run\'s own, in its prose and its request bytes', () => {
  const steps = [
    { text: 'PUT /scratch/notes-{run}', request: { practice: true, text: 'PUT /scratch/notes-{run} HTTP/1.1\r\n\r\n' }, look: [{ wire: 'response', part: 'status-code' }] },
    { text: 'no request here' },
  ];
  const run = logic.withRun(steps, 'k3f9x2');
  assert.equal(run[0].text, 'PUT /scratch/notes-k3f9x2');
  assert.equal(run[0].request.text, 'PUT /scratch/notes-k3f9x2 HTTP/1.1\r\n\r\n');
  assert.equal(run[0].request.practice, true);
  assert.deepEqual(run[0].look, steps[0].look);
  assert.deepEqual(run[1], { text: 'no request here' });
  assert.equal(steps[0].request.text, 'PUT /scratch/notes-{run} HTTP/1.1\r\n\r\n', 'the lesson itself is untouched');
  assert.match(logic.runName(), /^[a-z0-9]{6}$/);
  assert.notEqual(logic.runName(), logic.runName());
  assert.equal(logic.runName(Uint8Array.of(0, 25, 26, 35, 36, 255)), 'az09ad');
});

test('a growing stream is drawn again from firstChange: the rows equal a fresh layout, whatever the pieces', () => {
  const stream = bytes('\r\n\r\n\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n' + 'a long line, then more\nafter.\n' + 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: y\r\n\r\n' + 'HTTP/1.1 204 No Content\r\n\r\n\r\n\r\n\r\nHTTP/1.1 200 OK\r\n\r\nuntil the end');
  const options = { kind: 'response', methods: ['GET', 'GET', 'GET', 'GET'] };
  /** The layout of a result as the page draws it (chips, 40 cells). */
  const layout = (input, result, resume = null) => logic.layoutRows(input, result.spans, 40, resume, logic.CHIP_CELLS);
  let resumed = 0;
  for (let cut = 1; cut < stream.length; cut += 2) {
    const p = new wasm.StreamParser('response', options);
    p.feed(stream.subarray(0, cut));
    const before = p.result();
    const drawn = layout(stream.subarray(0, cut), before);
    // Later: more bytes, or the whole stream finished (a cut line labelled).
    p.feed(stream.subarray(cut, Math.min(stream.length, cut + 7)));
    const later = [[Math.min(stream.length, cut + 7), p.result()], [stream.length, wasm.parse(stream, options)]];
    for (const [end, after] of later) {
      const from = logic.firstChange(before, after);
      assert.ok(from <= cut, `cut ${cut}: from ${from}`);
      const input = stream.subarray(0, end);
      const fresh = layout(input, after);
      const again = drawn ? layout(input, after, { layout: drawn, byte: from }) : fresh;
      if (drawn && from > 0) resumed++;
      assert.deepEqual([[...again.start], [...again.span], [...again.title]], [[...fresh.start], [...fresh.span], [...fresh.title]], `cut at ${cut}, drawn again from ${from} of ${end}`);
    }
  }
  assert.ok(resumed > 20, `${resumed} layouts kept rows`);
});
