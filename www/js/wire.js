// One wire view (request or response): every byte inside an element with
// data-kind, data-start and data-end. The rows are laid out over the span
// columns (logic.layoutRows) to the width of the wire in character cells,
// so nothing is ever cut off: a line too long for a row goes on in the next,
// and the row it leaves ends with a continuation mark (↩). A wire of many
// rows renders only the rows in view (and a few around them), so 100,000
// messages or an 8 MiB body scroll smoothly. A live response repaints from
// its first changed span on. CR and LF are drawn as the letters CR and LF
// (small tags), as legible as the bytes around them.
//
// For a keyboard and a screen reader a wire is a listbox: each piece of a
// span is an option named by its kind in words and its bytes ("status code,
// 200"; in an exercise only its bytes, which the student names). Focus stays
// on the wire; the element the keyboard is on is its active descendant
// (`active`, a span index), which survives repaints and virtual scrolling.

import { CHIP_CELLS, drawnAsBytes, hexText, layoutRows, messageRowTitle, rowAt, rowContinues, rowPieces, spokenText, visibleText } from './logic.js';

// Above this many rows only the rows in view are in the document.
const VIRTUAL_ROWS = 1500;

/** Appends bytes start..end to `el` as text, CR and LF as letter chips. */
export function appendChips(el, bytes, start, end) {
  let from = start;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x0d && b !== 0x0a) continue;
    if (i > from) el.append(visibleText(bytes, from, i));
    const chip = document.createElement('b');
    chip.className = 'ctl';
    chip.textContent = b === 0x0d ? 'CR' : 'LF';
    el.append(chip);
    from = i + 1;
  }
  if (end > from) el.append(visibleText(bytes, from, end));
}
const OVERSCAN = 30;

export class Wire {
  constructor(el, handlers) {
    this.el = el;
    this.handlers = handlers;
    this.layout = null;
    this.bytes = new Uint8Array();
    this.result = null;
    this.highlights = []; // [start, end, class]: hover ('hl') and selection ('sel')
    this.notes = []; // the teacher's marks on this wire: {start, end, color, note}
    this.splits = []; // their edges, sorted
    this.hex = false;
    this.virtual = false;
    this.active = null; // the span the keyboard is on (the listbox's active option), or null
    // A click selects a span; Shift+click, or a drag from one span to
    // another, selects the bytes from one to the other.
    el.addEventListener('mousedown', (e) => {
      const t = e.target.closest('[data-kind]');
      this.dragFrom = t && e.button === 0 && !e.shiftKey ? Number(t.dataset.span) : null;
      this.dragged = false;
    });
    el.addEventListener('mouseup', (e) => {
      const t = e.target.closest('[data-kind]');
      if (t && this.dragFrom !== null && Number(t.dataset.span) !== this.dragFrom) {
        this.dragged = true;
        handlers.onRange(this.dragFrom, Number(t.dataset.span));
      }
      this.dragFrom = null;
    });
    el.addEventListener('click', (e) => {
      const t = e.target.closest('[data-kind]');
      if (this.dragged) this.dragged = false;
      else if (t) {
        this.setActive(Number(t.dataset.span), false);
        handlers.onSelect(Number(t.dataset.span), e.shiftKey);
      }
    });
    el.addEventListener('mouseover', (e) => {
      const t = e.target.closest('[data-kind]');
      handlers.onHover(t ? Number(t.dataset.span) : null);
    });
    el.addEventListener('mouseleave', () => handlers.onHover(null));
    // A wider or narrower wire (window, projector mode, a panel collapsed)
    // lays its rows out again.
    new ResizeObserver(() => {
      if (this.last && !this.resizing) {
        this.resizing = requestAnimationFrame(() => {
          this.resizing = 0;
          if (this.cellsPerRow() !== this.width) this.render(...this.last);
        });
      }
    }).observe(el);
    el.addEventListener('scroll', () => {
      if (this.virtual && !this.pending) {
        this.pending = requestAnimationFrame(() => {
          this.pending = 0;
          this.paintWindow();
        });
      }
    });
  }

  /**
   * Shows `bytes` labelled by `result`; `reads` are the TCP reads that
   * brought them. With `changedByte` (a live response: the first byte whose
   * span or row may differ from the last render), the rows before the one
   * holding that byte are kept.
   */
  render(bytes, result, { reads = [], hex = false, empty = '', changedByte = null, notes = this.notes } = {}) {
    this.last = [bytes, result, { reads, hex, empty, notes }];
    this.notes = notes;
    this.splits = [...new Set(notes.flatMap((m) => [m.start, m.end]))].sort((a, b) => a - b);
    this.hex = hex;
    this.quiz = document.body.classList.contains('exercise');
    const cells = this.cellsPerRow();
    // In hex every byte takes three cells ("0d "); in text, as many as it is wide.
    const width = hex ? Math.max(4, Math.floor(cells / 3)) : cells;
    const resume = changedByte !== null && this.layout && this.width === cells && this.result ? { layout: this.layout, byte: changedByte } : null;
    this.width = cells;
    const keepRows = resume ? rowAt(this.layout, changedByte) : 0;
    this.bytes = bytes;
    this.result = result;
    this.hex = hex;
    this.el.classList.toggle('hex', hex);
    this.reads = new Map();
    this.cuts = [];
    let at = 0;
    for (const r of reads) {
      this.reads.set(at, r);
      this.cuts.push(at);
      at += r.bytes;
    }
    const table = hex ? null : this.table;
    // Which messages' bodies are bytes rather than text (the core says).
    this.binary = result && result.messages.some((m) => m.binary) ? Uint8Array.from(result.messages, (m) => m.binary) : null;
    this.layout = result && result.spans.end.length ? layoutRows(bytes, result.spans, width, resume, table, this.binary) : null;
    this.covered = result ? result.covered : 0;
    if (this.active !== null && this.active >= this.spanCount()) this.active = null;
    const count = this.layout ? this.layout.count : 0;
    // A listbox of the elements, once there are any.
    if (count) this.el.setAttribute('role', 'listbox');
    else this.el.removeAttribute('role');
    const virtual = count > VIRTUAL_ROWS;
    if (!count && !(result && bytes.length > this.covered)) {
      this.box = null;
      this.virtual = false;
      this.el.replaceChildren(Object.assign(document.createElement('p'), { className: 'empty', textContent: empty }));
      return;
    }
    if (virtual) {
      if (!this.virtual || !this.box) this.makeBox();
      this.virtual = true;
      // A row's height changes only with the font, as a cell's width does
      // (cellsPerRow): measured again only then (a probe forces a layout).
      if (this.rowFont !== this.font || !this.rowHeight) {
        const h = this.measureRow();
        this.rowHeight = h || 22;
        this.rowFont = h ? this.font : null; // (a hidden wire measures 0)
      }
      this.box.style.height = `${(count + 1) * this.rowHeight}px`;
      this.painted = [-1, -1];
      this.paintWindow();
      return;
    }
    if (!resume || this.virtual || !this.box) {
      this.makeBox();
      this.virtual = false;
    }
    // Keep the rows that did not change; lay out the rest.
    const rows = this.box.querySelectorAll(':scope > .r, :scope > .msg-row');
    for (let r = rows.length - 1; r >= keepRows && r >= 0; r--) rows[r].remove();
    // A kept title row of a message that grew says so.
    for (const t of this.box.querySelectorAll(':scope > .msg-row')) {
      const m = result.messages[Number(t.dataset.message)];
      if (m && m.index >= result.messages.length - 2) t.textContent = messageRowTitle(bytes, m);
    }
    this.box.querySelector(':scope > .pending')?.remove();
    const frag = document.createDocumentFragment();
    for (let r = Math.min(keepRows, rows.length); r < count; r++) frag.append(this.rowElement(r));
    if (bytes.length > this.covered) frag.append(this.pendingElement());
    this.box.append(frag);
    this.applyMarks();
  }

  /**
   * How many character cells fit in a row of this wire, one kept for the
   * continuation mark; also how many cells the tab's control picture (␉,
   * from its own font) takes, into `this.table`.
   */
  cellsPerRow() {
    // The cell's width changes only with the font (projector mode): measure
    // it again only then, not at every render (a probe forces a layout).
    const font = document.body.className;
    if (this.font !== font) {
      const width = (text) => {
        const probe = document.createElement('div');
        probe.className = 'r';
        probe.style.cssText = 'position:absolute;visibility:hidden;width:auto';
        probe.textContent = text;
        this.el.append(probe);
        const w = probe.getBoundingClientRect().width;
        probe.remove();
        return w;
      };
      this.cell = width('M'.repeat(40)) / 40 || 8;
      this.table = Uint8Array.from(CHIP_CELLS);
      this.table[0x09] = Math.max(1, Math.ceil(width('␉'.repeat(10)) / 10 / this.cell - 0.05));
      this.font = font;
    }
    const cell = this.cell;
    const style = getComputedStyle(this.el);
    const inner = this.el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return Math.max(12, Math.floor(inner / cell) - 1);
  }

  makeBox() {
    this.box = document.createElement('div');
    this.box.className = 'rows';
    this.el.replaceChildren(this.box);
  }

  measureRow() {
    const probe = this.rowElement(this.layout.title[0] === -1 ? 0 : 1);
    this.box.append(probe);
    const h = probe.getBoundingClientRect().height;
    probe.remove();
    return h;
  }

  paintWindow() {
    const count = this.layout ? this.layout.count : 0;
    const top = this.el.scrollTop;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const last = Math.min(count, Math.ceil((top + this.el.clientHeight) / this.rowHeight) + OVERSCAN);
    if (first === this.painted[0] && last === this.painted[1]) return;
    this.painted = [first, last];
    const frag = document.createDocumentFragment();
    const place = (el, i) => {
      el.style.position = 'absolute';
      el.style.top = `${i * this.rowHeight}px`;
      frag.append(el);
    };
    for (let i = first; i < last; i++) place(this.rowElement(i), i);
    if (last === count && this.bytes.length > this.covered) place(this.pendingElement(), count);
    this.box.replaceChildren(frag);
    this.applyMarks();
  }

  rowElement(r) {
    const div = document.createElement('div');
    const title = this.layout.title[r];
    if (title !== -1) {
      // A message's title row: not a span (it covers no bytes).
      div.className = 'msg-row';
      div.dataset.message = title;
      // In an exercise the title row (hidden) would name the status code.
      if (this.quiz) div.setAttribute('aria-hidden', 'true');
      div.textContent = messageRowTitle(this.bytes, this.result.messages[title]);
      return div;
    }
    div.className = 'r';
    // Whether the row's last piece was drawn as bytes (hex).
    let bytes = false;
    for (const p of rowPieces(this.result.spans, this.layout, r, this.cuts, this.splits)) {
      if (p.read) {
        const read = this.reads.get(p.start);
        const mark = document.createElement('span');
        mark.className = 'read-mark';
        mark.textContent = `read ${read.seq}`;
        mark.title = `read ${read.seq}: the ${read.bytes} bytes one recv got, at ${read.ms} ms (not a TCP segment)`;
        div.append(mark);
      }
      const s = document.createElement('span');
      s.className = `k-${p.kind}${p.read ? ' read' : ''}`;
      s.dataset.kind = p.kind;
      s.dataset.start = p.start;
      s.dataset.end = p.end;
      s.dataset.span = p.span;
      s.setAttribute('role', 'option');
      s.setAttribute('aria-posinset', p.span + 1);
      s.setAttribute('aria-setsize', this.result.spans.end.length);
      // In an exercise the kinds are what the student names: no tooltip.
      if (!this.quiz) s.title = p.kind;
      // The last mark that holds this piece styles it (pieces break at mark edges).
      const mark = this.notes.findLast((m) => m.start <= p.start && p.end <= m.end);
      if (mark) {
        s.classList.add('mk', `mk-c${mark.color}`);
        s.title = `${p.kind} · mark ${mark.color}${mark.note ? `: ${mark.note}` : ''}`;
      }
      bytes = this.hex || drawnAsBytes(this.binary, p.kind, p.message);
      s.setAttribute('aria-label', this.spokenName(p, mark, bytes));
      if (bytes) s.textContent = hexText(this.bytes, p.start, p.end) + ' ';
      else appendChips(s, this.bytes, p.start, p.end);
      div.append(s);
    }
    // A binary body has no lines to go on: its rows are just full.
    if (!bytes && rowContinues(this.bytes, this.layout, r)) {
      const mark = document.createElement('span');
      mark.className = 'cont';
      mark.setAttribute('aria-hidden', 'true');
      mark.title = 'this line goes on in the next row';
      mark.textContent = '↩';
      div.append(mark);
    }
    return div;
  }

  /**
   * A piece's accessible name: "status code, 200" (in an exercise "200"),
   * with its mark. It holds the piece's text as drawn (hex in the hex view,
   * and for a body drawn as bytes).
   */
  spokenName(p, mark, asBytes = this.hex) {
    const bytes = asBytes ? hexText(this.bytes, p.start, p.end) : spokenText(this.bytes, p.start, p.end, 4096);
    const words = this.handlers.kindName?.(p.kind) ?? p.kind;
    // "space", not "space, space".
    const kind = this.quiz || words.toLowerCase() === bytes ? '' : `${words}, `;
    return `${kind}${bytes}${mark ? `, mark ${mark.color}${mark.note ? `: ${mark.note}` : ''}` : ''}`;
  }

  spanCount() {
    return this.result?.spans.end.length ?? 0;
  }

  /**
   * Puts the keyboard on span i (null: on none): the listbox's active
   * descendant, outlined; `reveal` scrolls it into view.
   */
  setActive(i, reveal = true) {
    this.active = i === null || i < 0 || i >= this.spanCount() ? null : i;
    if (this.active !== null && reveal) this.reveal(this.result.spans.start[this.active]);
    this.applyActive();
  }

  applyActive() {
    for (const el of this.el.querySelectorAll('.cur')) {
      el.classList.remove('cur');
      el.removeAttribute('id');
    }
    const first = this.active === null ? null : this.box?.querySelector(`[data-span="${this.active}"]`);
    if (!first) {
      this.el.removeAttribute('aria-activedescendant');
      return;
    }
    for (const el of this.box.querySelectorAll(`[data-span="${this.active}"]`)) el.classList.add('cur');
    first.id = `${this.el.id}-element-${this.active}`;
    this.el.setAttribute('aria-activedescendant', first.id);
  }

  /** The span `delta` elements from the active one (from the first or last when none is). */
  step(delta) {
    const n = this.spanCount();
    if (!n) return null;
    if (this.active === null) return delta > 0 ? 0 : n - 1;
    return Math.max(0, Math.min(n - 1, this.active + delta));
  }

  /** The first span of the line `delta` rows from the active span's row (title rows skipped). */
  stepLine(delta) {
    if (!this.layout) return null;
    if (this.active === null) return this.step(delta);
    const spans = this.result.spans;
    let r = rowAt(this.layout, spans.start[this.active]);
    // A span that starts in an earlier row than the one it ends in: move from its last row.
    if (delta > 0) r = rowAt(this.layout, spans.end[this.active] - 1);
    for (r += delta; r >= 0 && r < this.layout.count; r += delta) {
      if (this.layout.title[r] !== -1) continue;
      // The span that holds the row's first byte.
      const i = this.layout.span[r];
      if (i !== this.active) return i;
    }
    return this.active;
  }

  /** The bytes that arrived but wait for their line end before they are labelled. */
  pendingElement() {
    const div = document.createElement('div');
    div.className = 'pending';
    div.title = 'these bytes wait for their line end: a receiver reads a head line only once it is complete';
    const end = Math.min(this.bytes.length, this.covered + 4096);
    div.textContent = this.hex ? hexText(this.bytes, this.covered, end) : visibleText(this.bytes, this.covered, end);
    return div;
  }

  /** Highlights the bytes start..end with a class ('hl' for hover, 'sel' for the selection). */
  mark(cls, start, end) {
    this.highlights = this.highlights.filter((m) => m[2] !== cls);
    if (start !== null && start !== undefined) this.highlights.push([start, end, cls]);
    this.applyMarks();
  }

  applyMarks() {
    if (!this.box) return;
    for (const el of this.box.querySelectorAll('.hl, .sel')) {
      el.classList.remove('hl', 'sel');
      el.removeAttribute('aria-selected');
    }
    this.applyActive();
    if (!this.highlights.length) return;
    for (const el of this.box.querySelectorAll('[data-kind]')) {
      const s = Number(el.dataset.start);
      const e = Number(el.dataset.end);
      for (const [start, end, cls] of this.highlights) if (s < end && e > start) el.classList.add(cls);
      if (el.classList.contains('sel')) el.setAttribute('aria-selected', 'true');
    }
  }

  /** Scrolls so that byte `offset` is in view. */
  reveal(offset) {
    if (!this.layout) return;
    const r = rowAt(this.layout, offset);
    if (this.virtual) {
      const y = r * this.rowHeight;
      if (y < this.el.scrollTop || y > this.el.scrollTop + this.el.clientHeight - this.rowHeight) {
        this.el.scrollTop = Math.max(0, y - this.el.clientHeight / 3);
      }
      this.paintWindow();
    } else {
      // Scroll the wire, never the page: headings stay where they are.
      const row = this.box?.children[r];
      if (!row) return;
      const top = row.offsetTop + this.box.offsetTop;
      if (top < this.el.scrollTop || top + row.offsetHeight > this.el.scrollTop + this.el.clientHeight) {
        this.el.scrollTop = Math.max(0, top - this.el.clientHeight / 3);
      }
    }
  }
}
