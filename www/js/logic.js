// Pure logic of the page: no DOM, no wasm, no network. Everything here takes
// values and returns values, so Node tests it directly (tests/page/logic.test.mjs).

const CR = 0x0d;
const LF = 0x0a;

// ---- the raw editor's text form ------------------------------------------
// The editor shows CR as ␍ and LF as ␊ followed by a real line break, so a
// student sees every line end and can type a bare LF on purpose. Bytes that
// have no visible form are written \xNN.

export const CR_GLYPH = '␍';
export const LF_GLYPH = '␊';

export function toEditorText(bytes) {
  let out = '';
  const isHex = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    // A backslash that would read as an escape is itself written escaped.
    if (b === 0x5c && bytes[i + 1] === 0x78 && isHex(bytes[i + 2]) && isHex(bytes[i + 3])) out += '\\x5c';
    else if (b === CR) out += CR_GLYPH;
    else if (b === LF) out += LF_GLYPH + '\n';
    else if (b === 0x09 || (b >= 0x20 && b < 0x7f)) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

export function fromEditorText(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === CR_GLYPH) out.push(CR);
    else if (c === LF_GLYPH) {
      out.push(LF);
      if (text[i + 1] === '\n') i++;
    } else if (c === '\n') {
      // A line break typed or pasted without glyphs is an HTTP line end.
      out.push(CR, LF);
    } else if (c === '\r') {
      // Pasted CRLF text: the \n that follows makes the line end.
    } else if (c === '\\' && text[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      const code = c.codePointAt(0);
      if (code <= 0xff) out.push(code);
      else {
        out.push(...new TextEncoder().encode(String.fromCodePoint(code)));
        if (code > 0xffff) i++;
      }
    }
  }
  return new Uint8Array(out);
}

// ---- how bytes look in the wire views -------------------------------------

/** The text-view form of one byte. */
export function visibleByte(b) {
  if (b === CR) return CR_GLYPH;
  if (b === LF) return LF_GLYPH;
  if (b === 0x09) return '␉';
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return '\\x' + b.toString(16).padStart(2, '0');
}

/**
 * The text-view form of bytes[start..end). With `breakLines`, each LF (shown
 * as ␊) also ends a line of the text, as in a body pane: one long paragraph
 * would be hard to read and slow to lay out.
 */
export function visibleText(bytes, start, end, breakLines = false, utf8 = false) {
  let s = '';
  for (let i = start; i < end; i++) {
    const n = utf8 && bytes[i] >= 0x80 ? utf8Length(bytes, i, end) : 0;
    if (n) {
      let cp = bytes[i] & (0xff >> (n + 1));
      for (let k = 1; k < n; k++) cp = (cp << 6) | (bytes[i + k] & 0x3f);
      s += String.fromCodePoint(cp);
      i += n - 1;
    } else s += breakLines && bytes[i] === LF ? LF_GLYPH + '\n' : visibleByte(bytes[i]);
  }
  return s;
}

/**
 * The length of the well-formed UTF-8 sequence of two to four bytes at
 * bytes[i] (before `end`), or 0: the Unicode standard's table 3-7, so no
 * overlong form, surrogate or code point past U+10FFFF is shown as a
 * character (those stay \xNN).
 */
export function utf8Length(bytes, i, end) {
  const b = bytes[i];
  const [n, lo, hi] = b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf] : b === 0xe0 ? [3, 0xa0, 0xbf] : b === 0xed ? [3, 0x80, 0x9f] : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf] : b === 0xf0 ? [4, 0x90, 0xbf] : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf] : b === 0xf4 ? [4, 0x80, 0x8f] : [0];
  if (!n || i + n > end || bytes[i + 1] < lo || bytes[i + 1] > hi) return 0;
  for (let k = 2; k < n; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0;
  return n;
}

/**
 * Bytes start..end as a screen reader says them (an element's accessible
 * name): as the wire draws them, CR and LF as the letters of their tags (a
 * name holds the text it shows: WCAG 2.5.3), a run of spaces counted; at
 * most `max` bytes.
 */
export function spokenText(bytes, start, end, max = 80) {
  let spaces = end - start <= max; // a long run is said as its first bytes
  for (let i = start; i < end && spaces; i++) spaces = bytes[i] === 0x20;
  if (spaces) return end - start === 1 ? 'space' : `${end - start} spaces`;
  let s = '';
  for (let i = start; i < Math.min(end, start + max); i++) s += bytes[i] === CR ? 'CR' : bytes[i] === LF ? 'LF' : visibleByte(bytes[i]);
  return s + (end - start > max ? ` … (${end - start} bytes)` : '');
}

/** A kind's title in running text: "Status code" → "status code"; "HTTP version" stays. */
export function kindWords(title) {
  return /^[A-Z][a-z]/.test(title) ? title[0].toLowerCase() + title.slice(1) : title;
}

export function hexText(bytes, start, end) {
  const parts = [];
  for (let i = start; i < end; i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ');
}

// ---- display rows ---------------------------------------------------------
// A wire is shown as rows. A row ends after a line end (crlf, empty-line),
// after an LF inside a body, after `width` bytes, and where one message's
// spans end and the next one's begin. Rows are laid out over the span
// columns into two typed arrays (no object per row or span), and only the
// rows in view are turned into pieces and elements.

const LINE_END = 1;
const BODY_LIKE = 2;

/** Bytes of a binary body: drawn as hex, three cells each ("1f "), never broken at an LF. */
const BYTES = 3;

/**
 * Whether a piece of span kind `kind` in message `message` is drawn as
 * bytes: the body of a message whose content the core says is not text
 * (`binary`, a 0/1 per message, from each message's `binary`).
 */
export function drawnAsBytes(binary, kind, message) {
  return binary !== null && message !== -1 && binary[message] === 1 && (kind === 'body' || kind === 'chunk-data');
}

/** A class per span-kind index: LINE_END, BODY_LIKE or 0. */
function kindClasses(kinds) {
  return Uint8Array.from(kinds, (k) => (k === 'crlf' || k === 'empty-line' ? LINE_END : k === 'body' || k === 'chunk-data' || k === 'unparsed' ? BODY_LIKE : 0));
}

/**
 * Lays out the rows of a wire: `{start, span, title, count}`, where row r
 * covers bytes start[r]..start[r + 1] and begins inside span span[r]. Each
 * message starts with a title row, which covers no bytes: title[r] is its
 * message index (-1 for rows of bytes). With
 * `resume = {layout, byte}`, the rows before the one holding byte `byte`
 * are kept from `layout` and only the rest is laid out again: a live
 * response repaints only its new part. `width` counts bytes, or with
 * `cells` (a table of how many character cells each byte value takes on
 * screen) cells, so that rows fit the wire they are shown in. With
 * `binary` (see drawnAsBytes), a binary body's bytes fill rows as hex.
 */
export function layoutRows(bytes, spans, width = 96, resume = null, cells = null, binary = null) {
  const n = spans.end.length;
  const reserve = cells ? cells[CR] + cells[LF] : 0;
  const cls = kindClasses(spans.kinds);
  const words = cells && ASCII.every((b) => cells[b] === 1) ? new Uint32Array(bytes.buffer, 0, bytes.buffer.byteLength >> 2) : null;
  let cap = Math.max(64, resume ? resume.layout.count * 2 : n >> 2);
  let starts = new Uint32Array(cap + 1);
  let firsts = new Uint32Array(cap);
  let titles = new Int32Array(cap);
  let count = 0;
  let i = 0;
  let at = 0;
  // The message whose title row was emitted last.
  let titled = -1;
  if (resume && resume.layout.count && n && resume.byte < spans.end[n - 1]) {
    // The rows before the one holding the first changed byte stay as they are.
    count = rowAt(resume.layout, resume.byte);
    starts.set(resume.layout.start.subarray(0, count));
    firsts.set(resume.layout.span.subarray(0, count));
    titles.set(resume.layout.title.subarray(0, count));
    for (let r = count - 1; r >= 0 && titled === -1; r--) titled = titles[r];
    i = resume.layout.span[count];
    at = resume.layout.start[count];
  }
  // More room: at least twice as much, or what the bytes laid out so far
  // say the rest needs (a body of short lines needs many more rows than
  // its first spans did), but never more rows than bytes and titles.
  const grow = () => {
    const guess = Math.ceil((((count + 1) * bytes.length) / Math.max(1, at)) * 1.1);
    cap = Math.max(cap * 2, Math.min(guess, bytes.length + n + 1));
    const s2 = new Uint32Array(cap + 1);
    s2.set(starts);
    starts = s2;
    const f2 = new Uint32Array(cap);
    f2.set(firsts);
    firsts = f2;
    const t2 = new Int32Array(cap);
    t2.set(titles);
    titles = t2;
  };
  let rowOpen = false;
  let rowLen = 0;
  let rowMessage = 0;
  let nextLf = -1;
  for (; i < n; i++) {
    const message = spans.message[i];
    let c = cls[spans.kind[i]];
    if (c === BODY_LIKE && binary !== null && message !== -1 && binary[message] === 1) c = BYTES;
    const end = spans.end[i];
    if (rowOpen && message !== rowMessage) rowOpen = false;
    let title = message !== -1 && message !== titled && at === spans.start[i];
    while (at < end) {
      if (!rowOpen && !title && c === BODY_LIKE && words) {
        // The common case of a big body, in a tight loop: rows of
        // printable ASCII text (textLines), exactly as the general loop
        // below would lay them out. Anything else (a wider byte, CR, a line
        // not complete yet) goes to that loop.
        for (;;) {
          const upto = textLines(bytes, words, at, end, Math.max(0, width - reserve), starts, count, cap);
          firsts.fill(i, count, upto);
          titles.fill(-1, count, upto);
          count = upto;
          at = starts[count];
          if (count < cap - 1) break;
          grow();
        }
        if (at >= end) break;
      }
      if (!rowOpen) {
        if (count + 1 >= cap) grow();
        if (title) {
          starts[count] = at;
          firsts[count] = i;
          titles[count] = message;
          count++;
          titled = message;
          title = false;
        }
        if (c === 0 && words) {
          // A start line or field line of printable ASCII that fits a row
          // whole, line end included (most of a head): one row, without
          // going through its spans byte by byte, to the row the loop below
          // would lay out.
          const j = wholeLine(bytes, words, spans, cls, cells, i, at, width - reserve, width);
          if (j !== -1) {
            starts[count] = at;
            firsts[count] = i;
            titles[count] = -1;
            count++;
            i = j;
            at = spans.end[j];
            break;
          }
        }
        starts[count] = at;
        firsts[count] = i;
        titles[count] = -1;
        count++;
        rowOpen = true;
        rowLen = 0;
        rowMessage = spans.message[i];
      }
      let stop;
      if (c === BYTES) {
        // As many bytes as fit, keeping room for a line end after them (a
        // chunk's CR LF); never broken at an LF, which is one byte of many.
        const per = cells ? 3 : 1;
        const fit = Math.floor((width - reserve - rowLen) / per);
        if (fit < 1 && rowLen > 0) {
          rowOpen = false;
          continue;
        }
        stop = Math.min(end, at + Math.max(1, fit));
        rowLen += (stop - at) * per;
        at = stop;
        continue;
      }
      if (cells) {
        // Byte by byte: each takes as many cells as it is wide on screen.
        // The last cells of a row are kept for a line end, so that CR LF
        // stays with its line: never alone on a row (it would look like an
        // empty line), never split (a lone LF would look like a bare LF).
        let used = rowLen;
        let full = false;
        stop = at;
        if (c === BODY_LIKE) {
          // A body's common case first, in a tight loop: a run of one-cell
          // bytes up to the next LF or the room left (the loop below goes on
          // from there exactly as it would have).
          const lim = Math.min(end, at + Math.max(0, width - reserve - used));
          stop = printableRun(bytes, words, stop, lim);
          while (stop < lim && cells[bytes[stop]] === 1 && bytes[stop] !== LF) stop++;
          used += stop - at;
        }
        while (stop < end) {
          const b = bytes[stop];
          const room = b === CR || b === LF ? width : width - reserve;
          if (used + cells[b] > room) {
            full = true;
            break;
          }
          used += cells[b];
          stop++;
          if (c === BODY_LIKE && b === LF) break;
        }
        if (full && stop > at && c !== LINE_END) {
          // Cut by the width: break after a space or a separator nearby
          // rather than inside a word, or before this span when the one
          // before it ended with one.
          let k = stop - 1;
          while (k > at && k >= stop - 16 && !BREAK_AFTER[bytes[k]]) k--;
          if (k > at && BREAK_AFTER[bytes[k]]) {
            for (let j = k + 1; j < stop; j++) used -= cells[bytes[j]];
            stop = k + 1;
          } else if (rowLen > 0 && stop - at < 16 && BREAK_AFTER[bytes[at - 1]]) {
            stop = at;
          }
        }
        if (stop === at) {
          if (rowLen > 0) {
            rowOpen = false; // this row is full: go on in the next one
            continue;
          }
          stop = at + 1; // wider than a whole row: it still goes somewhere
          used += cells[bytes[at]];
        }
        rowLen = used;
        at = stop;
        if ((stop === end && c === LINE_END) || full || (c === BODY_LIKE && bytes[stop - 1] === LF)) rowOpen = false;
        continue;
      }
      stop = Math.min(end, at + (width - rowLen));
      if (c === BODY_LIKE) {
        if (nextLf !== Infinity && nextLf < at) {
          nextLf = bytes.indexOf(LF, at);
          if (nextLf === -1) nextLf = Infinity;
        }
        if (nextLf < stop) stop = nextLf + 1;
      }
      rowLen += stop - at;
      at = stop;
      if ((stop === end && c === LINE_END) || rowLen >= width || (c === BODY_LIKE && bytes[stop - 1] === LF)) rowOpen = false;
    }
  }
  starts[count] = n ? spans.end[n - 1] : 0;
  return { start: starts.subarray(0, count + 1), span: firsts.subarray(0, count), title: titles.subarray(0, count), count };
}

/**
 * Whether the line starting at `at` (the start of span i) is one row: spans
 * of class 0 in one message up to a LINE_END span of the same message, the
 * bytes before it printable ASCII (one cell each) and at most `room` of
 * them, and the line end's bytes fitting the `width` with them. The index
 * of the line end's span, or -1.
 */
function wholeLine(bytes, words, spans, cls, cells, i, at, room, width) {
  const n = spans.end.length;
  const message = spans.message[i];
  let j = i;
  while (j < n && cls[spans.kind[j]] === 0 && spans.message[j] === message) j++;
  if (j === n || cls[spans.kind[j]] !== LINE_END || spans.message[j] !== message) return -1;
  const content = spans.start[j];
  if (content - at > room) return -1;
  let k = printableRun(bytes, words, at, content);
  while (k < content && bytes[k] >= 0x20 && bytes[k] <= 0x7e) k++;
  if (k < content) return -1;
  let used = content - at;
  for (let b = content; b < spans.end[j]; b++) {
    if (bytes[b] !== CR && bytes[b] !== LF) return -1;
    used += cells[bytes[b]];
    if (used > width) return -1;
  }
  return j;
}

/** The printable ASCII bytes, 0x20..0x7e. */
const ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i);

/**
 * How far bytes[from..to) is printable ASCII, read four bytes at a time from
 * `words` (a Uint32Array over the whole of bytes.buffer): the index of the
 * first byte that may not be, at most `to`. It may stop a few bytes early
 * (at a word holding another byte, or at the last whole word before `to`);
 * the caller goes on byte by byte from there. Bodies are mostly printable
 * text, so this is the row layout's inner loop.
 */
function printableRun(bytes, words, from, to) {
  if (!words) return from;
  const base = bytes.byteOffset;
  let i = from;
  while (i < to && (base + i) & 3) {
    const b = bytes[i];
    if (b < 0x20 || b > 0x7e) return i;
    i++;
  }
  let w = (base + i) >> 2;
  const last = (base + to) >> 2;
  // A byte below 0x20 or above 0x7e sets a high bit in one of the two
  // (the SWAR tests "has less than" and "has more than", carries included).
  while (w < last) {
    const x = words[w];
    if ((((x - 0x20202020) & ~x) | (x + 0x01010101) | x) & 0x80808080) break;
    w++;
  }
  return Math.max(i, w * 4 - base);
}

/**
 * Rows of plain text in a body, from `at` to at most `end`, laid out as the
 * general loop of layoutRows would: a line of printable ASCII that fits
 * `room` cells is one row with its LF (the cells kept for a line end hold it);
 * a longer one is cut where the room ends, or after a space or separator
 * among the last 16 bytes before. It stops at anything else (a byte of
 * another width, CR, the end of the span). The row starts go into `starts`
 * from index `count` on, stopping short of `cap`, and the start of what is
 * left after them into the index returned (their end).
 */
function textLines(bytes, words, at, end, room, starts, count, cap) {
  while (count < cap - 1 && room > 0) {
    const lim = Math.min(end, at + room);
    let stop = printableRun(bytes, words, at, lim);
    while (stop < lim && bytes[stop] >= 0x20 && bytes[stop] <= 0x7e) stop++;
    if (stop < end && bytes[stop] === LF) {
      stop++;
    } else if (stop === lim && lim < end && bytes[lim] !== CR && bytes[lim] !== LF) {
      let k = lim - 1;
      while (k > at && k >= lim - 16 && !BREAK_AFTER[bytes[k]]) k--;
      if (k > at && BREAK_AFTER[bytes[k]]) stop = k + 1;
    } else {
      break;
    }
    starts[count++] = at;
    at = stop;
  }
  starts[count] = at;
  return count;
}

/** Bytes after which a row cut by the width may break: space, tab and separators. */
const BREAK_AFTER = Uint8Array.from({ length: 256 }, (_, b) => (' \t;,=&/-'.includes(String.fromCharCode(b)) ? 1 : 0));

/** How many cells each byte takes in the text view: 4 for `\xNN`, else 1. */
export const TEXT_CELLS = Uint8Array.from({ length: 256 }, (_, b) => (b === CR || b === LF || b === 0x09 || (b >= 0x20 && b < 0x7f) ? 1 : 4));

/** The same in projector mode, where CR and LF are drawn as the letters CR and LF. */
export const CHIP_CELLS = Uint8Array.from(TEXT_CELLS, (n, b) => (b === CR || b === LF ? 2 : n));

/** Whether row r was cut by the width (its line goes on in the next row). */
export function rowContinues(bytes, layout, r) {
  if (r + 1 >= layout.count || layout.title[r] !== -1 || layout.title[r + 1] !== -1) return false;
  const end = layout.start[r + 1];
  return bytes[end - 1] !== LF && layout.start[r] < end;
}

/** The row that holds byte `offset`. */
export function rowAt(layout, offset) {
  let lo = 0;
  let hi = layout.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (layout.start[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/**
 * The pieces of row r: `[{start, end, kind, span, message, read}]`. Pieces
 * also break at `cuts` (sorted TCP read boundaries), so a read marker can
 * sit on the first byte of its read, and at `splits` (sorted mark edges), so
 * a mark styles exactly its bytes. Every byte of the row is in one piece.
 */
export function rowPieces(spans, layout, r, cuts = [], splits = []) {
  if (layout.title[r] !== -1) return [];
  const rowStart = layout.start[r];
  const rowEnd = layout.start[r + 1];
  const out = [];
  let k = lowerBound(cuts, rowStart);
  let q = lowerBound(splits, rowStart + 1);
  for (let i = layout.span[r]; i < spans.end.length && spans.start[i] < rowEnd; i++) {
    let at = Math.max(rowStart, spans.start[i]);
    const end = Math.min(rowEnd, spans.end[i]);
    while (at < end) {
      while (k < cuts.length && cuts[k] < at) k++;
      while (q < splits.length && splits[q] <= at) q++;
      const read = cuts[k] === at;
      if (read) k++;
      let stop = k < cuts.length && cuts[k] < end ? cuts[k] : end;
      if (q < splits.length && splits[q] < stop) stop = splits[q];
      out.push({ start: at, end: stop, kind: spans.kinds[spans.kind[i]], span: i, message: spans.message[i], read });
      at = stop;
    }
  }
  return out;
}

function lowerBound(sorted, x) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the span that holds byte `offset`, by binary search; -1 for none. */
export function spanAt(spans, offset) {
  const n = spans.end.length;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans.end[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && spans.start[lo] <= offset ? lo : -1;
}

// ---- share links: #host=H&port=P&request=BASE64URL --------------------------

export function base64url(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** A share link carries a response up to this size; larger ones need a capture file. */
export const LINK_RESPONSE_MAX = 64 << 10;

/**
 * A share hash: `#host=H&port=P&request=B64` and, when given, the response
 * (`&response=B64`, up to LINK_RESPONSE_MAX bytes) and the marks
 * (`&marks=B64` of their UTF-8 JSON), and an exercise to start (`&exercise=PARTS`,
 * one of EXERCISE_PARTS); `&scheme=https` when the page does TLS. Base64url
 * without padding.
 */
export function makeHash({ host, port, scheme = 'http', request, response = null, marks = [], exercise = null }) {
  let hash = `#host=${encodeURIComponent(host)}&port=${port}${scheme === 'https' ? '&scheme=https' : ''}&request=${base64url(request)}`;
  if (response && response.length && response.length <= LINK_RESPONSE_MAX) hash += `&response=${base64url(response)}`;
  if (marks.length) hash += `&marks=${base64url(new TextEncoder().encode(JSON.stringify(marks.map(markFields))))}`;
  if (exercise) hash += `&exercise=${encodeURIComponent(exercise)}`;
  return hash;
}

/**
 * What a student types as the target: `host`, `host:port`, `http://host` or
 * `https://host[:port]` (a path after it is ignored: the request line says
 * it). Returns {host, port (null when none was typed), scheme (null when
 * none was typed)}.
 */
export function readTarget(text) {
  const m = /^\s*(?:(https?):\/\/)?(\[[^\]]*\]|[^/:\s]*)(?::(\d+))?(?:\/\S*)?\s*$/i.exec(text);
  if (!m) return { host: text.trim(), port: null, scheme: null };
  return { host: m[2], port: m[3] ? Number(m[3]) : null, scheme: m[1] ? m[1].toLowerCase() : null };
}

/** Reads a share hash; returns null when it is not one. */
export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (!params.has('request')) return null;
  try {
    return {
      host: params.get('host') || '',
      port: Number(params.get('port')) || (params.get('scheme') === 'https' ? 443 : 80),
      scheme: params.get('scheme') === 'https' ? 'https' : 'http',
      request: fromBase64url(params.get('request')),
      response: params.has('response') ? fromBase64url(params.get('response')) : null,
      marks: params.has('marks') ? readMarks(JSON.parse(new TextDecoder().decode(fromBase64url(params.get('marks'))))) : [],
      exercise: EXERCISE_PARTS.includes(params.get('exercise')) ? params.get('exercise') : null,
    };
  } catch {
    return null;
  }
}

// ---- marks ------------------------------------------------------------------
// A mark: a byte range of one wire, a colour from the palette (1 to 5, each
// also drawn with its own underline and shown with its number) and a note.

export const MARK_COLORS = 5;

/** The fields of a mark as they travel: {wire, start, end, color, note}. */
function markFields(m) {
  return { wire: m.wire, start: m.start, end: m.end, color: m.color, note: m.note ?? '' };
}

/** The valid marks of a list read from a file or a link (anything else is left out). */
export function readMarks(list) {
  if (!Array.isArray(list)) return [];
  return list
    .filter((m) => m && (m.wire === 'request' || m.wire === 'response') && Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0 && m.end > m.start)
    .map((m) => ({ ...markFields(m), color: Math.min(MARK_COLORS, Math.max(1, Number(m.color) || 1)), note: String(m.note ?? '') }));
}

// ---- exports -----------------------------------------------------------------

/** A Python bytes literal for `bytes`, split after each LF for reading. */
export function pythonBytes(bytes) {
  const lines = [];
  let cur = '';
  for (const b of bytes) {
    if (b === CR) cur += '\\r';
    else if (b === LF) {
      cur += '\\n';
      lines.push(cur);
      cur = '';
      continue;
    } else if (b === 0x09) cur += '\\t';
    else if (b === 0x5c) cur += '\\\\';
    else if (b === 0x22) cur += '\\"';
    else if (b >= 0x20 && b < 0x7f) cur += String.fromCharCode(b);
    else cur += '\\x' + b.toString(16).padStart(2, '0');
  }
  if (cur || !lines.length) lines.push(cur);
  return lines.map((l) => `    b"${l}"`).join('\n');
}

/**
 * The classic lesson as a program: a socket, the exact bytes, and a reply
 * read the way its framing says — status line and headers up to the empty
 * line, then the body by Content-Length, by chunks, or until the server
 * closes — so it stops as soon as the last response is complete instead of
 * waiting for a timeout. `methods` are the methods of the requests in
 * `bytes`, one response read for each.
 */
export function pythonSnippet(host, port, bytes, methods = ['GET']) {
  return `import socket
import sys

HOST, PORT = ${JSON.stringify(host)}, ${port}
REQUEST = (
${pythonBytes(bytes)}
)
METHODS = ${JSON.stringify(methods)}  # one response is read for each request sent


def read_response(wire, method):
    """Reads one response as its framing says (RFC 9112 section 6.3).
    Returns its raw bytes and whether it is the final response
    (a 1xx is interim: the final one follows)."""
    raw = wire.readline()                      # the status line, up to its LF
    if not raw:
        return raw, True                       # the server closed the connection
    status = int(raw.split()[1])
    headers = {}
    while True:                                # field lines, up to the empty line
        line = wire.readline()
        raw += line
        if line in (b"\\r\\n", b"\\n", b""):
            break
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    if 100 <= status < 200 and status != 101:
        return raw, False                      # interim: no body, the final response follows
    if method == "HEAD" or status in (101, 204, 304):
        return raw, True                       # no body, whatever the headers say
    codings = headers.get(b"transfer-encoding", b"")
    if codings.split(b",")[-1].strip() == b"chunked":
        while True:                            # chunks: a size in hex, the data, CRLF
            size_line = wire.readline()
            raw += size_line
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break                          # the last chunk
            raw += wire.read(size + 2)         # the data and the CRLF after it
        while True:                            # trailer fields, up to the empty line
            line = wire.readline()
            raw += line
            if line in (b"\\r\\n", b"\\n", b""):
                break
    elif b"content-length" in headers:
        raw += wire.read(int(headers[b"content-length"]))   # exactly that many bytes
    else:
        raw += wire.read()                     # no length: until the server closes
    return raw, True


with socket.create_connection((HOST, PORT)) as sock:
    sock.sendall(REQUEST)
    wire = sock.makefile("rb")                 # buffered: readline() and read(n)
    response = b""
    for method in METHODS:
        final = False
        while not final:
            raw, final = read_response(wire, method)
            response += raw

sys.stdout.buffer.write(response)              # the bytes as they came, not decoded
`;
}

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * curl for one request, as exact as curl can say it: curl's own default
 * headers are removed when the request lacks them, the target is sent as
 * it is, and the body byte for byte. What curl cannot reproduce (bare LF
 * line ends, folded fields, more than one request) is said in a comment
 * line before the command.
 */
export function curlCommand(host, port, message, body, notes = []) {
  const authority = port === 80 ? host : `${host}:${port}`;
  const parts = ['curl', message.version === 'HTTP/1.0' ? '--http1.0' : '--http1.1', '--path-as-is', '--raw', '-sS', '-i'];
  const names = new Set((message.headers || []).map(([n]) => n.toLowerCase()));
  if (message.method === 'HEAD') parts.push('--head');
  else if (message.method && message.method !== 'GET' && !(message.method === 'POST' && body?.length)) parts.push('-X', message.method);
  parts.push(shellQuote(`http://${authority}${message.target && message.target.startsWith('/') ? message.target : '/'}`));
  for (const [name, value] of message.headers || []) {
    if (name.toLowerCase() === 'content-length' && body?.length) continue; // curl writes the same length itself
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  // curl adds these unless told not to.
  if (!names.has('user-agent')) parts.push('-H', shellQuote('User-Agent:'));
  if (!names.has('accept')) parts.push('-H', shellQuote('Accept:'));
  if (!names.has('host')) parts.push('-H', shellQuote('Host:'));
  if (body && body.length) {
    parts.push('--data-binary', shellQuote(new TextDecoder('latin1').decode(body)));
    if (!names.has('content-type')) parts.push('-H', shellQuote('Content-Type:'));
  }
  const comments = notes.map((n) => `# ${n}\n`).join('');
  return comments + parts.join(' ');
}

/** The exact bytes as text (Latin-1), for the clipboard. */
export function rawText(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

// ---- saved exchanges -----------------------------------------------------------

export function captureJSON({ host, port, request, response, reads = [], events = [], marks = [] }) {
  return JSON.stringify(
    {
      wirepad: 1,
      host,
      port,
      request_b64: base64url(request),
      response_b64: base64url(response || new Uint8Array()),
      reads,
      events,
      marks: marks.map(markFields),
    },
    null,
    1,
  );
}

/**
 * Reads a capture file: a saved exchange (JSON), or raw bytes, which are a
 * response when they start with "HTTP/" and a request otherwise.
 */
export function readCapture(bytes) {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 16)).trimStart();
  if (head.startsWith('{')) {
    try {
      const j = JSON.parse(new TextDecoder().decode(bytes));
      if (j.wirepad) {
        return {
          host: j.host || '',
          port: j.port || 80,
          request: fromBase64url(j.request_b64 || ''),
          response: fromBase64url(j.response_b64 || ''),
          reads: j.reads || [],
          marks: readMarks(j.marks),
        };
      }
    } catch {
      // not JSON after all: raw bytes
    }
  }
  let i = 0;
  while (i < bytes.length && (bytes[i] === CR || bytes[i] === LF)) i++;
  const isResponse = new TextDecoder('latin1').decode(bytes.subarray(i, i + 5)) === 'HTTP/';
  return isResponse ? { response: bytes, reads: [], marks: [] } : { request: bytes, reads: [], marks: [] };
}

// ---- reading a parse result -------------------------------------------------
// The wasm result (docs/wasm.md): spans, fields, chunks and body
// ranges as typed-array columns; one object per message with ranges into
// the bytes and index ranges into the columns. Names and values are read
// from the bytes when they are shown.

/** Span i as a small object. */
export function span(result, i) {
  const s = result.spans;
  return { index: i, start: s.start[i], end: s.end[i], kind: s.kinds[s.kind[i]], message: s.message[i] };
}

/**
 * Where a wire drawn from parse `before` must be drawn again to show parse
 * `after` of the same stream grown longer: the first byte whose span or row
 * may differ. By the span rule (the spans of a prefix are the spans of the
 * whole, but for the last, which may still grow or be labelled again when
 * the stream ends) only spans at the end differ, so it walks back from
 * there. A span that only grew keeps its rows up to its old end (one byte
 * before: the row holding it may take more); spans that belonged to no
 * message and now start one differ in their message.
 */
export function firstChange(before, after) {
  const a = before.spans;
  const b = after.spans;
  const n = a.end.length;
  let k = Math.min(n, b.end.length);
  const same = (i) => a.end[i] === b.end[i] && a.start[i] === b.start[i] && a.kinds[a.kind[i]] === b.kinds[b.kind[i]] && a.message[i] === b.message[i];
  while (k > 0 && !same(k - 1)) k--;
  if (k === n) return n ? a.end[n - 1] : 0;
  const grew = a.start[k] === b.start[k] && a.kinds[a.kind[k]] === b.kinds[b.kind[k]] && a.message[k] === b.message[k] && b.end[k] > a.end[k];
  return grew ? Math.max(a.start[k], a.end[k] - 1) : a.start[k];
}

/**
 * How much of a wire a parse for span i's notes needs while a response
 * streams in (it has no `Parsed` yet): up to the end of the message after
 * the span's own (the notes say what comes next too); spans and messages
 * before that are the same in that prefix (the span rule).
 */
export function notesEnd(result, i, length) {
  const next = result.messages[result.spans.message[i] + 1];
  return next ? next.end : length;
}

/** The bytes of `[start, end]` as Latin-1 text; '' for null. */
export function text(bytes, range) {
  if (!range) return '';
  let out = '';
  for (let i = range[0]; i < range[1]; i += 8192) out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(range[1], i + 8192)));
  return out;
}

/** The fields of message m (`which`: 'headers' or 'trailers'): [{index, name, value, line}]. */
export function fieldsOf(result, bytes, m, which = 'headers') {
  const f = result.fields;
  const out = [];
  for (let j = m[which][0]; j < m[which][1]; j++) {
    out.push({
      index: j,
      name: text(bytes, [f.name_start[j], f.name_end[j]]),
      // A value with an obs-fold as the core reads it (each fold one space).
      value: f.unfolded.get(j) ?? text(bytes, [f.value_start[j], f.value_end[j]]),
      line: [f.name_start[j], f.line_end[j]],
    });
  }
  return out;
}

/** [[name, value]] pairs of message m's headers. */
export function headerPairs(result, bytes, m) {
  return fieldsOf(result, bytes, m).map((h) => [h.name, h.value]);
}

/** Every value of the header `name` (any case) of message m. */
export function headerValues(result, bytes, m, name) {
  return fieldsOf(result, bytes, m).filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
}

/** The first value of the header `name` (lower case) of message m. */
export function header(result, bytes, m, name) {
  return headerValues(result, bytes, m, name)[0];
}

/** The field of message m (`which`) whose line holds byte `offset`: its index, or -1. */
export function fieldAt(result, m, offset, which = 'headers') {
  const f = result.fields;
  for (let j = m[which][0]; j < m[which][1]; j++) if (f.name_start[j] <= offset && offset < f.line_end[j]) return j;
  return -1;
}

/** Where message m's body lies on the wire, framing included: [start, end], or null. */
export function bodyExtent(m) {
  if (m.head_end === null || m.end <= m.head_end) return null;
  return [m.head_end, m.end];
}

/** The gist of message m's start line: "GET /" or "200 OK". */
function startLine(bytes, m) {
  const line = m.kind === 'request' ? `${text(bytes, m.method)} ${text(bytes, m.target)}` : `${m.status ?? ''} ${text(bytes, m.reason)}`;
  return line.trim();
}

/** The title row of message m in its wire: "response 2 · 200 OK · bytes 429–858". */
export function messageRowTitle(bytes, m) {
  return `${m.kind} ${m.index + 1} · ${startLine(bytes, m) || '(start line incomplete)'} · bytes ${m.start}–${m.end}${m.complete ? '' : ' · incomplete'}`;
}

/** "Request 1: GET /" or "Response 2: 200 OK", numbered from 1. */
export function messageTitle(bytes, m) {
  return `${m.kind === 'request' ? 'Request' : 'Response'} ${m.index + 1}: ${startLine(bytes, m)}`;
}

/** Whether every request has its final response, complete. */
export function responsesDone(result, requestCount) {
  const finals = result.messages.filter((m) => m.final);
  return requestCount > 0 && finals.length >= requestCount && finals.every((m) => m.complete);
}

/** The response whose body the page shows first: the last final one (the core says which are final). */
export function lastFinal(result) {
  const ms = result?.messages ?? [];
  for (let i = ms.length - 1; i >= 0; i--) if (ms[i].final) return ms[i];
  return ms[ms.length - 1];
}

export function charsetOf(contentType) {
  const m = /charset\s*=\s*"?([\w.-]+)/i.exec(contentType || '');
  return m ? m[1].toLowerCase() : null;
}

// ---- the structure tree ------------------------------------------------------------
// One title per message, and for the messages that are open, its parts: the
// start line, each header, the empty line, the body or each chunk, each
// trailer, and unparsed bytes. Built from the structure, one message at a time.

/** The child nodes of message m: [{label, start, end}]. */
export function messageNodes(result, bytes, m) {
  const s = result.spans;
  const nodes = [];
  let i = m.spans[0];
  while (i < m.spans[1] && s.kinds[s.kind[i]] === 'crlf') i++; // empty lines before the start line
  let j = i;
  while (j < m.spans[1] && s.kinds[s.kind[j]] !== 'crlf' && s.kinds[s.kind[j]] !== 'unparsed') j++;
  if (j < m.spans[1] && s.kinds[s.kind[j]] === 'crlf') nodes.push({ label: `start line  ${preview(bytes, s.start[i], s.start[j], 60)}`, start: s.start[i], end: s.end[j] });
  const field = (h, what) => nodes.push({ label: `${what}  ${preview(bytes, h.line[0], h.line[1] - (bytes[h.line[1] - 2] === CR ? 2 : 1), 60)}`, start: h.line[0], end: h.line[1] });
  for (const h of fieldsOf(result, bytes, m)) field(h, 'header');
  if (m.head_end !== null) {
    const e = spanAt(s, m.head_end - 1);
    nodes.push({ label: 'empty line: end of headers', start: s.start[e], end: m.head_end });
  }
  const ch = result.chunks;
  for (let k = m.chunks[0]; k < m.chunks[1]; k++) {
    const size = ch.size[k];
    const label = size === 0 ? 'last chunk (size 0)' : `chunk ${k - m.chunks[0] + 1}: ${size} bytes`;
    nodes.push({ label, start: ch.size_start[k], end: ch.end[k] });
  }
  if (m.chunks[0] === m.chunks[1] && m.body[1] > m.body[0]) {
    const start = result.body.start[m.body[0]];
    const end = result.body.end[m.body[1] - 1];
    nodes.push({ label: `body  ${end - start} bytes`, start, end });
  }
  for (const h of fieldsOf(result, bytes, m, 'trailers')) field(h, 'trailer');
  const last = m.spans[1] - 1;
  if (m.framing === 'chunked' && m.complete && s.kinds[s.kind[last]] === 'empty-line') nodes.push({ label: 'empty line: end of trailers', start: s.start[last], end: s.end[last] });
  if (last >= m.spans[0] && s.kinds[s.kind[last]] === 'unparsed') nodes.push({ label: `unparsed  ${s.end[last] - s.start[last]} bytes`, start: s.start[last], end: s.end[last] });
  return nodes;
}

/** A short label for a tree node or step: the bytes, shortened. */
export function preview(bytes, start, end, max = 40) {
  const text = visibleText(bytes, start, Math.min(end, start + max));
  return end - start > max ? `${text}… (${end - start} bytes)` : text;
}

// ---- the raw editor's line ends ----------------------------------------------------
// A line end shows as ␍␊ plus a real line break; deleting any part of it
// deletes the whole unit, so Backspace never turns CRLF into CR CR LF.

/**
 * The editor text after Backspace (`backward`) or Delete at `caret`, when
 * the caret touches a line end: `{text, caret}`; null when it does not.
 */
export function deleteLineEnd(text, caret, backward) {
  // Every line end unit: [start, end) of "␍␊\n" or "␊\n" (a bare LF).
  const unitAround = (i) => {
    // The unit that holds text position i, if any.
    let start = i;
    let end = i;
    if (text[i] === '\n' && text[i - 1] === LF_GLYPH) start = i - 1;
    else if (text[i] === LF_GLYPH && text[i + 1] === '\n') start = i;
    else if (text[i] === CR_GLYPH && text[i + 1] === LF_GLYPH && text[i + 2] === '\n') start = i;
    else return null;
    if (start > 0 && text[start] === LF_GLYPH && text[start - 1] === CR_GLYPH) start--;
    end = text.indexOf('\n', start) + 1;
    return [start, end];
  };
  const unit = unitAround(backward ? caret - 1 : caret);
  if (!unit) return null;
  return { text: text.slice(0, unit[0]) + text.slice(unit[1]), caret: unit[0] };
}

// ---- the "name the parts" exercise ----------------------------------------------------
// Questions come from the parse itself, so any exchange works. Each asks for
// one component, named by `ask` (the documented list in docs/page.md): a span
// kind (`status-code`, `reason-phrase`, `http-version`, `method`,
// `request-target`, `empty-line`, `last-chunk`), `header-name:NAME`,
// `header-value:NAME`, `trailer:NAME`, `body-start` or `chunk-size:N`. The
// answer is the byte range of the component; several that fit are asked in
// wire order.

/** Which parts an exercise asks: all, the start line only, the headers, or the framing. */
export const EXERCISE_PARTS = ['all', 'start-line', 'headers', 'framing'];

// The header fields whose values an exercise asks (their names are asked too).
const ASKED_FIELDS = new Set(['content-type', 'content-length', 'transfer-encoding', 'location', 'connection', 'host']);

/** The questions of an exercise on one wire: [{ask, wire, prompt, start, end}]. */
export function exerciseQuestions(result, bytes, wire, parts = 'all') {
  if (!result) return [];
  const s = result.spans;
  const out = [];
  const want = (part) => parts === 'all' || parts === part;
  const ask = (key, prompt, range) => range && out.push({ ask: key, wire, prompt, start: range[0], end: range[1] });
  for (const m of result.messages) {
    const noun = `${m.kind} ${m.index + 1}`;
    if (want('start-line')) {
      if (m.kind === 'request') {
        ask('method', `Click the method of ${noun}.`, m.method);
        ask('request-target', `Click the request target of ${noun}.`, m.target);
        ask('http-version', `Click the HTTP version of ${noun}.`, m.version);
      } else {
        ask('http-version', `Click the HTTP version of ${noun}.`, m.version);
        ask('status-code', `Click the status code of ${noun}.`, m.status_code);
        if (m.reason) ask('reason-phrase', `Click the reason phrase of ${noun}.`, m.reason);
      }
    }
    const fields = fieldsOf(result, bytes, m);
    if (want('headers')) {
      fields.forEach((h, k) => {
        const j = h.index;
        if (k === 0) ask(`header-name:${h.name}`, `Click the name of the ${h.name} field of ${noun}.`, [result.fields.name_start[j], result.fields.name_end[j]]);
        if (ASKED_FIELDS.has(h.name.toLowerCase()) && result.fields.value_end[j] > result.fields.value_start[j]) {
          ask(`header-value:${h.name}`, `Click the value of the ${h.name} field of ${noun}.`, [result.fields.value_start[j], result.fields.value_end[j]]);
        }
      });
    }
    if (want('framing') || want('headers')) {
      if (m.head_end !== null) {
        const e = spanAt(s, m.head_end - 1);
        ask('empty-line', `Click the empty line that ends the header section of ${noun}.`, [s.start[e], s.end[e]]);
      }
    }
    if (want('framing')) {
      if (m.head_end !== null && m.end > m.head_end && m.framing !== 'none') {
        const first = spanAt(s, m.head_end);
        ask('body-start', `Click where the body of ${noun} starts.`, [s.start[first], s.end[first]]);
      }
      const ch = result.chunks;
      for (let k = m.chunks[0]; k < m.chunks[1]; k++) {
        const n = k - m.chunks[0] + 1;
        if (ch.size[k] === 0) ask('last-chunk', `Click the size of the last chunk of ${noun}, the one that ends the body.`, [ch.size_start[k], ch.size_end[k]]);
        else ask(`chunk-size:${n}`, `Click the size of chunk ${n} of ${noun}.`, [ch.size_start[k], ch.size_end[k]]);
      }
      for (const h of fieldsOf(result, bytes, m, 'trailers')) ask(`trailer:${h.name}`, `Click the trailer field ${h.name} of ${noun}.`, h.line);
    }
  }
  return out;
}

/** What the span clicked is, in words: "the reason phrase", "the value of the Date field". */
export function describeSpan(result, bytes, sp, titles) {
  const m = result.messages[sp.message];
  if (m && (sp.kind === 'header-name' || sp.kind === 'header-value')) {
    for (const which of ['headers', 'trailers']) {
      const j = fieldAt(result, m, sp.start, which);
      if (j === -1) continue;
      const name = text(bytes, [result.fields.name_start[j], result.fields.name_end[j]]);
      const part = sp.kind === 'header-name' ? 'name' : 'value';
      return `the ${part} of the ${name} ${which === 'trailers' ? 'trailer' : 'field'}`;
    }
  }
  return `the ${(titles.get(sp.kind) ?? sp.kind).toLowerCase()}`;
}

// ---- lessons and predictions ----------------------------------------------------------

/** A name made up for one run of a lesson: six lower-case letters and digits. */
export function runName(random = crypto.getRandomValues(new Uint8Array(6))) {
  return Array.from(random, (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
}

/**
 * A lesson's steps with `{run}` in their prose and request bytes replaced by
 * `run` (docs/formats.md): a run of the lesson has resources of its own,
 * which no classmate and no earlier run wrote.
 */
export function withRun(steps, run) {
  const put = (s) => (typeof s === 'string' ? s.replaceAll('{run}', run) : s);
  return steps.map((step) => {
    const out = { ...step, text: put(step.text) };
    if (step.request) out.request = { ...step.request, text: put(step.request.text) };
    return out;
  });
}

/**
 * The byte range of a part named as an exercise names it (`status-code`,
 * `header-value:Content-Length`, `chunk-size:2`, ...): the first that fits in
 * the wire, names of fields in any case. null when there is none.
 */
export function partRange(result, bytes, wire, part) {
  const [what, name] = part.split(':');
  if (name && (what === 'header-name' || what === 'header-value' || what === 'trailer')) {
    const f = result?.fields;
    for (const m of result?.messages ?? []) {
      for (const h of fieldsOf(result, bytes, m, what === 'trailer' ? 'trailers' : 'headers')) {
        if (h.name.toLowerCase() !== name.toLowerCase()) continue;
        if (what === 'header-name') return [f.name_start[h.index], f.name_end[h.index]];
        if (what === 'header-value') return [f.value_start[h.index], f.value_end[h.index]];
        return h.line;
      }
    }
    return null;
  }
  const q = exerciseQuestions(result, bytes, wire, 'all').find((x) => x.ask === part);
  return q ? [q.start, q.end] : null;
}

/** What a prediction asks, counted in the responses that came back: `status`, `chunks` or `messages`. */
export function predictionActual(ask, result) {
  const finals = (result?.messages ?? []).filter((m) => m.final);
  if (ask === 'status') return finals[0]?.status ?? null;
  if (ask === 'messages') return finals.length;
  if (ask === 'chunks') {
    const m = finals[0];
    if (!m) return null;
    let n = 0;
    for (let k = m.chunks[0]; k < m.chunks[1]; k++) if (result.chunks.size[k] > 0) n++;
    return n;
  }
  return null;
}

// ---- a live class -----------------------------------------------------------------

/**
 * The teacher's summary of a class's answers, per question answered so far:
 * how many followers answered, how many were right (a follower's first
 * answer counts), and the wrong part clicked most often. `questions`:
 * [{ask, prompt}] by index; `answers`: Map(question index -> Map(follower ->
 * {right, clicked})).
 */
export function tallyAnswers(questions, answers) {
  return [...answers]
    .sort((a, b) => a[0] - b[0])
    .map(([q, per]) => {
      let right = 0;
      const wrong = new Map();
      for (const a of per.values()) {
        if (a.right) right++;
        else if (a.clicked) wrong.set(a.clicked, (wrong.get(a.clicked) ?? 0) + 1);
      }
      let commonWrong = null;
      let commonWrongCount = 0;
      for (const [what, n] of wrong) if (n > commonWrongCount) [commonWrong, commonWrongCount] = [what, n];
      return { q, ask: questions[q]?.ask ?? '', prompt: questions[q]?.prompt ?? `question ${q + 1}`, answered: per.size, right, commonWrong, commonWrongCount };
    });
}

// ---- TLS on the wire ----------------------------------------------------------------
// An https exchange shows the bytes that crossed the socket both ways
// (#tls-wire), labelled by wasm `tlsLabels` per direction: 'up' is what the
// page sent, 'down' what the server sent, each counted from its first byte.

/**
 * The flights of an exchange: runs of chunks sent the same way, in the order
 * they crossed, as `{dir, start, end}` in that direction's byte offsets.
 * `chunks` is `[{dir, length}]` in order.
 */
export function tlsFlights(chunks) {
  const flights = [];
  const at = { up: 0, down: 0 };
  for (const { dir, length } of chunks) {
    if (!length) continue;
    const last = flights[flights.length - 1];
    if (last?.dir === dir) last.end += length;
    else flights.push({ dir, start: at[dir], end: at[dir] + length });
    at[dir] += length;
  }
  return flights;
}

/**
 * The rows of #tls-wire: per flight, its records (cut where the flight
 * ends, should a record straddle two), each with the spans in it, clipped:
 * `[{flight, records: [{dir, record, start, end, spans: [{index, start, end}]}]}]`.
 * `record` is the index in `labels[dir].records`, -1 for bytes that are no
 * record (not TLS).
 */
export function tlsRows(labels, flights) {
  const next = { up: { record: 0, span: 0 }, down: { record: 0, span: 0 } };
  return flights.map((flight) => {
    const { dir } = flight;
    const { records, spans } = labels[dir];
    const cursor = next[dir];
    const rows = [];
    let at = flight.start;
    while (at < flight.end) {
      while (cursor.record < records.length && records[cursor.record].range.end <= at) cursor.record++;
      const rec = records[cursor.record];
      const inRecord = rec && rec.range.start <= at;
      const end = Math.min(flight.end, inRecord ? rec.range.end : flight.end);
      const row = { dir, record: inRecord ? cursor.record : -1, start: at, end, spans: [] };
      while (cursor.span < spans.end.length && spans.end[cursor.span] <= at) cursor.span++;
      for (let i = cursor.span; i < spans.end.length && spans.start[i] < end; i++) {
        row.spans.push({ index: i, start: Math.max(at, spans.start[i]), end: Math.min(end, spans.end[i]) });
      }
      rows.push(row);
      at = end;
    }
    return { flight, records: rows };
  });
}

const u16 = (b, i) => (b[i] << 8) | b[i + 1];
const latin1 = (b, s, e) => String.fromCharCode(...b.subarray(s, e));
/** GREASE values (RFC 8701) look like 0x0a0a, 0x1a1a, ...: reserved, sent so servers learn to ignore the unknown. */
const isGrease = (v) => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);

/**
 * What a whole TLS span's bytes say, in words ('handshake (22)', 'TLS 1.2
 * (0x0303)', '517 bytes', the SNI host, the ALPN list). `names` holds Maps
 * from wasm `tlsExplanations()`: content_types, handshakes, alerts,
 * versions, extensions, suites.
 */
export function tlsValue(bytes, start, end, kind, names) {
  const b = bytes;
  const n = end - start;
  const num = () => b.subarray(start, end).reduce((v, x) => v * 256 + x, 0);
  const named = (map, v, width) => `${map.get(v) ?? 'unknown'} (${width ? `0x${v.toString(16).padStart(width, '0')}` : v})`;
  switch (kind) {
    case 'tls-record-type':
      return named(names.content_types, b[start]);
    case 'tls-record-version':
    case 'tls-hello-version':
      return n === 2 ? named(names.versions, u16(b, start), 4) : null;
    case 'tls-record-length':
    case 'tls-handshake-length':
    case 'tls-vector-length':
      return `${num()} bytes follow`;
    case 'tls-handshake-type':
      return named(names.handshakes, b[start]);
    case 'tls-random':
      return `${n} random bytes`;
    case 'tls-session-id':
      return `${n} bytes`;
    case 'tls-cipher-suite':
    case 'tls-extension-type': {
      if (n !== 2) return null;
      const v = u16(b, start);
      if (isGrease(v)) return `GREASE (0x${v.toString(16)}): a reserved value that means nothing`;
      return named(kind === 'tls-cipher-suite' ? names.suites : names.extensions, v, 4);
    }
    case 'tls-compression':
      return b.subarray(start, end).every((x) => x === 0) ? 'null (0): no compression' : `${n} methods`;
    case 'tls-server-name':
      // server_name_list length (2), name_type (1: host_name), length (2), then the name (RFC 6066 §3).
      return n > 5 ? `host name ${latin1(b, start + 5, end)}` : null;
    case 'tls-alpn': {
      // protocol_name_list length (2), then each name with a one-byte length (RFC 7301 §3.1).
      const out = [];
      for (let i = start + 2; i < end; i += 1 + b[i]) out.push(latin1(b, i + 1, Math.min(end, i + 1 + b[i])));
      return out.join(', ');
    }
    case 'tls-alert-level':
      return { 1: 'warning (1)', 2: 'fatal (2)' }[b[start]] ?? `unknown (${b[start]})`;
    case 'tls-alert-description':
      return named(names.alerts, b[start]);
    case 'tls-encrypted':
      return `${n} encrypted bytes`;
    default:
      return `${n} bytes`;
  }
}

/** A record's one-line title: '→ handshake: client_hello · 517 bytes'. */
export function tlsRecordTitle(bytes, labels, index, names) {
  if (index === -1) return 'not TLS';
  const rec = labels.records[index];
  const type = names.content_types.get(rec.content_type) ?? String(rec.content_type);
  let what = type;
  if (rec.encrypted) what += rec.content_type === 23 ? '' : ' (encrypted)';
  else if (rec.content_type === 22) {
    const inside = labels.handshakes.filter((h) => h.range.start < rec.range.end && h.range.end > rec.range.start).map((h) => names.handshakes.get(h.msg_type) ?? h.msg_type);
    if (inside.length) what += `: ${inside.join(', ')}`;
  } else if (rec.content_type === 21 && rec.range.end - rec.range.start >= 7) {
    what += `: ${names.alerts.get(bytes[rec.range.start + 6]) ?? bytes[rec.range.start + 6]}`;
  }
  const length = rec.range.end - rec.range.start - 5;
  return `${what} · ${Math.max(0, length)} bytes${rec.complete ? '' : ' (cut short)'}`;
}
