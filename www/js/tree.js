// The structure tree: one title per message, and under an open message its
// start line, headers, body or chunks, trailers. Each node names a byte range
// of one wire; hovering or clicking a node marks those bytes, and selecting
// bytes opens their message and marks the innermost node that holds them.
// The list is virtualized like the wires: every message is reachable, and
// only the nodes in view are in the document.

import { messageNodes, messageTitle, spanAt } from './logic.js';

// Wires with at most this many messages open them all at first.
const OPEN_ALL = 20;
const OVERSCAN = 20;

export class Tree {
  constructor(el, handlers) {
    this.el = el;
    this.handlers = handlers;
    this.wires = [];
    this.items = []; // [{w, m, child}] built by index()
    this.marks = {}; // cls -> item index
    el.addEventListener('click', (e) => {
      const b = e.target.closest('.node');
      if (!b) return;
      const it = this.items[Number(b.dataset.item)];
      if (e.target.closest('.twisty')) return this.toggle(it.w, it.m);
      handlers.onSelect(b.dataset.wire, Number(b.dataset.start), Number(b.dataset.end));
    });
    el.addEventListener('mouseover', (e) => {
      const b = e.target.closest('.node');
      handlers.onHover(b ? b.dataset.wire : null, b ? Number(b.dataset.start) : null, b ? Number(b.dataset.end) : null);
    });
    el.addEventListener('mouseleave', () => handlers.onHover(null));
    el.addEventListener('keydown', (e) => {
      const b = e.target.closest('.node');
      if (!b || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) return;
      const it = this.items[Number(b.dataset.item)];
      if (it.child === -1) {
        e.stopPropagation();
        e.preventDefault();
        this.toggle(it.w, it.m, e.key === 'ArrowRight');
      }
    });
    el.addEventListener('scroll', () => {
      if (!this.pending) {
        this.pending = requestAnimationFrame(() => {
          this.pending = 0;
          this.paint();
        });
      }
    });
  }

  /** `wires`: [{name, bytes, result}] */
  render(wires) {
    this.wires = wires
      .filter((w) => w.result && w.bytes.length)
      .map((w) => ({ ...w, open: new Set(w.result.messages.length <= OPEN_ALL ? w.result.messages.map((m) => m.index) : [0]), children: new Map() }));
    this.marks = {};
    this.index();
    this.el.scrollTop = 0;
    this.paint(true);
  }

  /** The flat list of items: each message's title, and the parts of open ones. */
  index() {
    this.items = [];
    this.wires.forEach((w, wi) => {
      w.titleItem = new Int32Array(w.result.messages.length);
      for (const m of w.result.messages) {
        w.titleItem[m.index] = this.items.length;
        this.items.push({ w: wi, m: m.index, child: -1 });
        if (!w.open.has(m.index)) continue;
        const n = this.children(w, m.index).length;
        for (let c = 0; c < n; c++) this.items.push({ w: wi, m: m.index, child: c });
      }
    });
  }

  children(w, mi) {
    if (!w.children.has(mi)) w.children.set(mi, messageNodes(w.result, w.bytes, w.result.messages[mi]));
    return w.children.get(mi);
  }

  toggle(wi, mi, open) {
    const w = this.wires[wi];
    const now = open ?? !w.open.has(mi);
    if (now === w.open.has(mi)) return;
    if (now) w.open.add(mi);
    else w.open.delete(mi);
    this.index();
    this.paint(true);
  }

  /** The node of item i: {label, start, end, depth, title}. */
  node(i) {
    const it = this.items[i];
    const w = this.wires[it.w];
    const m = w.result.messages[it.m];
    if (it.child === -1) {
      const label = `${messageTitle(w.bytes, m)}${m.complete ? '' : ' (incomplete)'}`;
      return { label, start: m.start, end: m.end, depth: 0, title: true, open: w.open.has(it.m) };
    }
    return { ...this.children(w, it.m)[it.child], depth: 1 };
  }

  paint(force = false) {
    if (!this.items.length) {
      this.el.replaceChildren();
      this.box = null;
      return;
    }
    if (!this.box || force) {
      this.box = document.createElement('div');
      this.box.className = 'items';
      this.el.replaceChildren(this.box);
      this.itemHeight = this.measure();
      this.box.style.height = `${this.items.length * this.itemHeight}px`;
      this.painted = null;
    }
    const top = this.el.scrollTop;
    const first = Math.max(0, Math.floor(top / this.itemHeight) - OVERSCAN);
    const last = Math.min(this.items.length, Math.ceil((top + this.el.clientHeight) / this.itemHeight) + OVERSCAN);
    if (this.painted && this.painted[0] === first && this.painted[1] === last) return;
    this.painted = [first, last];
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const b = this.button(i);
      b.style.position = 'absolute';
      b.style.top = `${i * this.itemHeight}px`;
      frag.append(b);
    }
    this.box.replaceChildren(frag);
  }

  measure() {
    const probe = this.button(0);
    this.box.append(probe);
    const h = probe.getBoundingClientRect().height || 20;
    probe.remove();
    return h;
  }

  button(i) {
    const n = this.node(i);
    const w = this.wires[this.items[i].w];
    const b = document.createElement('button');
    b.className = `node${n.title ? ' msg-title' : ''}`;
    for (const [cls, at] of Object.entries(this.marks)) if (at === i) b.classList.add(cls);
    b.setAttribute('role', 'treeitem');
    b.style.paddingLeft = `${4 + n.depth * 14}px`;
    b.dataset.wire = w.name;
    b.dataset.start = n.start;
    b.dataset.end = n.end;
    b.dataset.item = i;
    if (n.title) {
      b.setAttribute('aria-expanded', String(n.open));
      b.append(Object.assign(document.createElement('span'), { className: 'twisty', textContent: n.open ? '▾' : '▸' }));
    }
    b.append(n.label);
    b.title = `${w.name} bytes ${n.start}–${n.end}`;
    return b;
  }

  /** Marks the innermost node of `wire` that holds start..end, opening its message. */
  mark(cls, wire, start, end) {
    delete this.marks[cls];
    const wi = this.wires.findIndex((w) => w.name === wire);
    if (wi !== -1 && start !== null && start !== undefined) {
      const w = this.wires[wi];
      const s = spanAt(w.result.spans, start);
      const mi = s === -1 ? -1 : w.result.spans.message[s];
      if (mi !== -1) {
        if (cls === 'sel' && !w.open.has(mi)) {
          w.open.add(mi);
          this.index();
          this.paint(true);
        }
        const title = w.titleItem[mi];
        let best = title;
        if (w.open.has(mi)) {
          this.children(w, mi).forEach((n, c) => {
            if (n.start <= start && n.end >= end) best = title + 1 + c;
          });
        }
        this.marks[cls] = best;
        if (cls === 'sel') this.scrollTo(best);
      }
    }
    this.painted = null;
    this.paint();
  }

  scrollTo(i) {
    if (!this.itemHeight) return;
    const y = i * this.itemHeight;
    if (y < this.el.scrollTop || y > this.el.scrollTop + this.el.clientHeight - this.itemHeight) {
      this.el.scrollTop = Math.max(0, y - this.el.clientHeight / 3);
    }
  }
}
