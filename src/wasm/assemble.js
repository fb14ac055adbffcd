// Part of the wasm facade (src/wasm/mod.rs): turns the columns the Rust side
// hands over into the result object the page reads. Spans, header fields and
// chunks stay typed arrays; only messages and diagnostics become objects, one
// loop each, so a stream of 100,000 messages costs no object per span.
// wasm-bindgen copies this file into the package (pkg/snippets/).

const NONE = 0xffffffff;

// The names of span kinds and diagnostic codes, each code's RFC section, and
// the layout of a message's numbers with the enum names they index, set once
// from Rust (`ensure_names` and `message_numbers` in mod.rs): nothing of the
// layout is written here.
let names = null;
// Where each named number of a message sits in its stride.
let at = null;

export function setNames(kinds, codes, rfcs, layout) {
  names = { kinds, codes, rfcs, layout };
  at = Object.fromEntries(layout.message.map((name, i) => [name, i]));
}

export function namesSet() {
  return names !== null;
}

const range = (a, b) => (a === NONE ? null : [a, b]);
const opt = (a) => (a === NONE ? null : a);

/**
 * `c` holds the columns: `ends`, `kinds` (span kinds as indexes),
 * `owners` (the message of each span, -1 for none), `messages` (the numbers
 * of each message, one after another, named by `names.layout.message`),
 * `lengths` (Content-Length per message, NaN for none), `fields`, `chunks` and `body` (objects of columns,
 * passed on as they are, but for `fields.folded` and `fields.unfolded`: the
 * indexes of folded values and their unfolded strings, made one Map), `diags` (five numbers a diagnostic) and `diagText`
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
  const { kinds, framings } = names.layout;
  const stride = names.layout.message.length;
  // The offsets of each range's two numbers, looked up once, not per message.
  const [sp, me, ta, ve, sc, re, he, tr, ch, bo] = ['spans', 'method', 'target', 'version', 'status_code', 'reason', 'headers', 'trailers', 'chunks', 'body'].map((name) => [at[`${name}_start`], at[`${name}_end`]]);
  const pair = (k, [a, b]) => range(m[k + a], m[k + b]);
  const run = (k, [a, b]) => [m[k + a], m[k + b]];
  for (let i = 0, k = 0; k < m.length; i++, k += stride) {
    const length = c.lengths[i];
    messages.push({
      index: i,
      kind: kinds[m[k + at.kind]],
      start: m[k + at.start],
      end: m[k + at.end],
      complete: m[k + at.complete] === 1,
      final: m[k + at.final] === 1,
      spans: run(k, sp),
      head_end: opt(m[k + at.head_end]),
      framing: m[k + at.framing] === NONE ? null : framings[m[k + at.framing]],
      content_length: Number.isNaN(length) ? null : length,
      status: opt(m[k + at.status]),
      method: pair(k, me),
      target: pair(k, ta),
      version: pair(k, ve),
      status_code: pair(k, sc),
      reason: pair(k, re),
      headers: run(k, he),
      trailers: run(k, tr),
      chunks: run(k, ch),
      body: run(k, bo),
      answers: opt(m[k + at.answers]),
      closes: m[k + at.closes] === 1,
      content_coded: m[k + at.content_coded] === 1,
      binary: m[k + at.binary] === 1,
    });
  }
  const texts = c.diagText.length ? c.diagText.split('\u0000') : [];
  const diagnostics = texts.map((message, i) => {
    const d = c.diags.subarray(i * 5, i * 5 + 5);
    return { severity: names.layout.severities[d[0]], code: names.codes[d[1]], message, start: d[2], end: d[3], rfc: names.rfcs[d[1]], msg: opt(d[4]) };
  });
  // The values that hold an obs-fold, as the core reads them (each fold one
  // space), by field index; every other value is its bytes as they are.
  const { folded, unfolded, ...fields } = c.fields;
  fields.unfolded = new Map(Array.from(folded, (j, k) => [j, unfolded[k]]));
  return { verdict: c.verdict, length: c.length, covered: c.covered, spans, messages, fields, chunks: c.chunks, body: c.body, diagnostics };
}
