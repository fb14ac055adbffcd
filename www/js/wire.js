// One wire view (request or response): every byte inside an element with
// data-kind, data-start and data-end. Wires over 1 MiB render only the rows
// in view (and a few around them), so an 8 MiB body scrolls smoothly.

import { rows as cutRows, visibleText, hexText } from './logic.js';

const VIRTUAL_LIMIT = 1 << 20;
const OVERSCAN = 30;

export class Wire {
  constructor(el, handlers) {
    this.el = el;
    this.handlers = handlers;
    this.rows = [];
    this.bytes = new Uint8Array();
    this.marks = []; // [start, end, class]
    this.hex = false;
    this.virtual = false;
    el.addEventListener('click', (e) => {
      const t = e.target.closest('[data-kind]');
      if (t) handlers.onSelect(Number(t.dataset.span), Number(t.dataset.start));
    });
    el.addEventListener('mouseover', (e) => {
      const t = e.target.closest('[data-kind]');
      handlers.onHover(t ? Number(t.dataset.span) : null);
    });
    el.addEventListener('mouseleave', () => handlers.onHover(null));
    el.addEventListener('scroll', () => {
      if (this.virtual && !this.pending) {
        this.pending = requestAnimationFrame(() => {
          this.pending = 0;
          this.paintWindow();
        });
      }
    });
  }

  /** Shows `bytes` labelled by `report`; `reads` are the TCP reads that brought them. */
  render(bytes, report, { reads = [], hex = false, empty = '' } = {}) {
    this.bytes = bytes;
    this.report = report;
    this.hex = hex;
    this.el.classList.toggle('hex', hex);
    this.readAt = new Map();
    let at = 0;
    for (const r of reads) {
      this.readAt.set(at, r);
      at += r.bytes;
    }
    this.rows = report ? cutRows(bytes, report.spans, [...this.readAt.keys()], hex ? 24 : 96) : [];
    this.virtual = bytes.length > VIRTUAL_LIMIT;
    this.el.textContent = '';
    if (!this.rows.length) {
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = empty;
      this.el.append(p);
      return;
    }
    this.box = document.createElement('div');
    this.box.className = 'rows';
    this.el.append(this.box);
    if (this.virtual) {
      this.rowHeight = this.measureRow();
      this.box.style.height = `${this.rows.length * this.rowHeight}px`;
      this.painted = [-1, -1];
      this.paintWindow();
    } else {
      const frag = document.createDocumentFragment();
      for (const row of this.rows) frag.append(this.rowElement(row));
      this.box.append(frag);
      this.applyMarks();
    }
  }

  measureRow() {
    const probe = this.rowElement(this.rows[0]);
    this.box.append(probe);
    const h = probe.getBoundingClientRect().height || 22;
    probe.remove();
    return h;
  }

  paintWindow() {
    const top = this.el.scrollTop;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + this.el.clientHeight) / this.rowHeight) + OVERSCAN);
    if (first === this.painted[0] && last === this.painted[1]) return;
    this.painted = [first, last];
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const r = this.rowElement(this.rows[i]);
      r.style.position = 'absolute';
      r.style.top = `${i * this.rowHeight}px`;
      frag.append(r);
    }
    this.box.replaceChildren(frag);
    this.applyMarks();
  }

  rowElement(row) {
    const div = document.createElement('div');
    div.className = 'r';
    for (const p of row) {
      if (p.read) {
        const r = this.readAt.get(p.start);
        const mark = document.createElement('span');
        mark.className = 'read-mark';
        mark.textContent = `read ${r.seq}`;
        mark.title = `read ${r.seq}: ${r.bytes} bytes at ${r.ms} ms`;
        div.append(mark);
      }
      const s = document.createElement('span');
      s.className = `k-${p.kind}${p.read ? ' read' : ''}`;
      s.dataset.kind = p.kind;
      s.dataset.start = p.start;
      s.dataset.end = p.end;
      s.dataset.span = p.span;
      s.title = p.kind;
      s.textContent = this.hex ? hexText(this.bytes, p.start, p.end) + ' ' : visibleText(this.bytes, p.start, p.end);
      div.append(s);
    }
    return div;
  }

  /** Marks the bytes start..end with a class ('hl' for hover, 'sel' for the selection). */
  mark(cls, start, end) {
    this.marks = this.marks.filter((m) => m[2] !== cls);
    if (start !== null && start !== undefined) this.marks.push([start, end, cls]);
    this.applyMarks();
  }

  applyMarks() {
    if (!this.box) return;
    for (const el of this.box.querySelectorAll('.hl, .sel')) el.classList.remove('hl', 'sel');
    for (const [start, end, cls] of this.marks) {
      for (const el of this.box.querySelectorAll('[data-kind]')) {
        if (Number(el.dataset.start) < end && Number(el.dataset.end) > start) el.classList.add(cls);
      }
    }
  }

  /** Scrolls so that byte `offset` is in view. */
  reveal(offset) {
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rows[mid][0].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    if (this.virtual) {
      const y = lo * this.rowHeight;
      if (y < this.el.scrollTop || y > this.el.scrollTop + this.el.clientHeight - this.rowHeight) {
        this.el.scrollTop = Math.max(0, y - this.el.clientHeight / 3);
      }
      this.paintWindow();
    } else {
      this.box?.children[lo]?.scrollIntoView({ block: 'nearest' });
    }
  }
}
