// Part of the wasm facade (src/wasm/mod.rs): turns the columns the Rust side
// hands over into the result object the page reads. Spans, header fields and
// chunks stay typed arrays; only messages and diagnostics become objects, so
// a stream of 100,000 messages costs no object per span (and a message's
// fields are read from its numbers when asked).
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
  Message = messageType(layout);
}

export function namesSet() {
  return names !== null;
}

const opt = (a) => (a === NONE ? null : a);

// One message of a result: its index and Content-Length, and the rest read
// from its numbers in the flat array when asked (getters named as in
// docs/wasm.md), so that a result of 100,000 messages makes 100,000 small
// objects, not ten arrays more for each.
let Message = null;

/** The class of a result's messages, its getters made from the layout Rust declares. */
function messageType(layout) {
  const { kinds, framings } = layout;
  class Message {
    constructor(numbers, offset, index, contentLength) {
      this.index = index;
      this.content_length = contentLength;
      this.numbers = numbers;
      this.offset = offset;
    }
  }
  const define = (name, read) => {
    const k = at[name];
    Object.defineProperty(Message.prototype, name, { enumerable: true, get() { return read(this.numbers[this.offset + k]); } });
  };
  const asIs = (x) => x;
  const flag = (x) => x === 1;
  define('kind', (x) => kinds[x]);
  for (const name of ['start', 'end']) define(name, asIs);
  for (const name of ['complete', 'final', 'closes', 'content_coded', 'binary']) define(name, flag);
  for (const name of ['head_end', 'status', 'answers']) define(name, opt);
  define('framing', (x) => (x === NONE ? null : framings[x]));
  // Ranges: [start, end], null when absent; index runs into the columns are always there.
  for (const name of ['spans', 'headers', 'trailers', 'chunks', 'body', 'method', 'target', 'version', 'status_code', 'reason']) {
    const [a, b] = [at[`${name}_start`], at[`${name}_end`]];
    const always = ['spans', 'headers', 'trailers', 'chunks', 'body'].includes(name);
    Object.defineProperty(Message.prototype, name, {
      enumerable: true,
      get() {
        const first = this.numbers[this.offset + a];
        return first === NONE && !always ? null : [first, this.numbers[this.offset + b]];
      },
    });
  }
  return Message;
}

/**
 * `c` holds the columns: `bounds` (0, then each span's end: the starts and
 * the ends are two views of it), `kinds` (span kinds as indexes),
 * `messages` (the numbers of each message, one after another, named by
 * `names.layout.message`), `lengths` (Content-Length per message, NaN for
 * none), `fields`, `chunks` and `body` (objects of columns, passed on as
 * they are, but for `fields.folded` and `fields.unfolded`: the indexes of
 * folded values and their unfolded strings, made one Map), `diags` (five
 * numbers a diagnostic) and `diagText` (the diagnostics' sentences joined
 * by NUL), and `verdict`, `length`, `covered`.
 */
export function assemble(c) {
  const n = c.bounds.length - 1;
  const stride = names.layout.message.length;
  const messages = new Array(c.lengths.length);
  // The message of each span, from the messages' span runs (in order, not
  // overlapping); -1 for spans between or after them.
  const owners = new Int32Array(n);
  const [runStart, runEnd] = [at.spans_start, at.spans_end];
  let filled = 0;
  for (let i = 0; i < messages.length; i++) {
    const length = c.lengths[i];
    messages[i] = new Message(c.messages, i * stride, i, Number.isNaN(length) ? null : length);
    const [a, b] = [c.messages[i * stride + runStart], c.messages[i * stride + runEnd]];
    owners.fill(-1, filled, a).fill(i, a, b);
    filled = b;
  }
  owners.fill(-1, filled);
  const spans = { start: c.bounds.subarray(0, n), end: c.bounds.subarray(1), kind: c.kinds, message: owners, kinds: names.kinds, first: 0 };
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
