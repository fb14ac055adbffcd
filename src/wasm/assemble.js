// Part of the wasm facade (src/wasm/mod.rs): turns the columns the Rust side
// hands over into the result object the page reads. Spans, header fields and
// chunks stay typed arrays; only messages and diagnostics become objects, one
// loop each, so a stream of 100,000 messages costs no object per span.
// wasm-bindgen copies this file into the package (pkg/snippets/).

const NONE = 0xffffffff;
const FRAMINGS = ['none', 'length', 'chunked', 'close'];
const MESSAGE_KINDS = ['request', 'response'];
const SEVERITIES = ['error', 'warning', 'info'];

// The names of span kinds and diagnostic codes, and each code's RFC section,
// set once from the Rust enums (see `tables` in mod.rs).
let names = null;

export function setNames(kinds, codes, rfcs) {
  names = { kinds, codes, rfcs };
}

export function namesSet() {
  return names !== null;
}

const range = (a, b) => (a === NONE ? null : [a, b]);
const opt = (a) => (a === NONE ? null : a);

/**
 * `c` holds the columns: `ends`, `kinds` (span kinds as indexes),
 * `owners` (the message of each span, -1 for none), `messages` (STRIDE
 * numbers a message, laid out as in mod.rs), `lengths` (Content-Length per
 * message, NaN for none), `fields`, `chunks` and `body` (objects of columns,
 * passed on as they are), `diags` (five numbers a diagnostic) and `diagText`
 * (the diagnostics' sentences joined by NUL), `first` and `firstStart` (the
 * index and start of the first span given), and `verdict`, `length`,
 * `covered`.
 */
export function assemble(c) {
  const n = c.ends.length;
  const start = new Uint32Array(n);
  if (n) {
    start.set(c.ends.subarray(0, n - 1), 1);
    start[0] = c.firstStart;
  }
  const spans = { start, end: c.ends, kind: c.kinds, message: c.owners, kinds: names.kinds, first: c.first };
  const messages = [];
  const m = c.messages;
  for (let i = 0, k = 0; k < m.length; i++, k += c.stride) {
    const length = c.lengths[i];
    messages.push({
      index: i,
      kind: MESSAGE_KINDS[m[k]],
      start: m[k + 1],
      end: m[k + 2],
      complete: m[k + 3] === 1,
      spans: [m[k + 4], m[k + 5]],
      head_end: opt(m[k + 6]),
      framing: m[k + 7] === NONE ? null : FRAMINGS[m[k + 7]],
      content_length: Number.isNaN(length) ? null : length,
      status: opt(m[k + 8]),
      method: range(m[k + 9], m[k + 10]),
      target: range(m[k + 11], m[k + 12]),
      version: range(m[k + 13], m[k + 14]),
      status_code: range(m[k + 15], m[k + 16]),
      reason: range(m[k + 17], m[k + 18]),
      headers: [m[k + 19], m[k + 20]],
      trailers: [m[k + 21], m[k + 22]],
      chunks: [m[k + 23], m[k + 24]],
      body: [m[k + 25], m[k + 26]],
      answers: opt(m[k + 27]),
      closes: m[k + 28] === 1,
      content_coded: m[k + 29] === 1,
    });
  }
  const texts = c.diagText.length ? c.diagText.split('\u0000') : [];
  const diagnostics = texts.map((message, i) => {
    const d = c.diags.subarray(i * 5, i * 5 + 5);
    return { severity: SEVERITIES[d[0]], code: names.codes[d[1]], message, start: d[2], end: d[3], rfc: names.rfcs[d[1]], msg: opt(d[4]) };
  });
  return { verdict: c.verdict, length: c.length, covered: c.covered, spans, messages, fields: c.fields, chunks: c.chunks, body: c.body, diagnostics };
}
