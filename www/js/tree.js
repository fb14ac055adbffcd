// The structure tree: messages, start line, headers, body or chunks, trailers.
// Each node names a byte range of one wire; hovering or clicking a node marks
// those bytes, and selecting bytes marks the innermost node that holds them.

import { preview } from './logic.js';

/** Builds the tree nodes of one wire from its report: [{label, start, end, depth}]. */
export function treeNodes(bytes, report) {
  const nodes = [];
  const spans = report.spans;
  report.messages.forEach((m, mi) => {
    const mine = spans.filter((s) => s.message === mi);
    if (!mine.length) return;
    const title = m.kind === 'request'
      ? `Request ${mi + 1}: ${m.method ?? ''} ${m.target ?? ''}`
      : `Response ${mi + 1}: ${m.status ?? ''} ${m.reason ?? ''}`;
    nodes.push({ label: `${title}${m.complete ? '' : ' (incomplete)'}`, start: mine[0].start, end: mine[mine.length - 1].end, depth: 0, title: true });
    let i = 0;
    // The start line: everything up to the first line end.
    while (i < mine.length && mine[i].kind === 'crlf') i++; // empty lines before the start line
    const lineEnd = mine.findIndex((s, k) => k >= i && s.kind === 'crlf');
    if (lineEnd >= 0) {
      nodes.push({ label: `start line  ${preview(bytes, mine[i].start, mine[lineEnd].start, 60)}`, start: mine[i].start, end: mine[lineEnd].end, depth: 1 });
      i = lineEnd + 1;
    }
    let section = 'headers';
    let chunk = 0;
    while (i < mine.length) {
      const s = mine[i];
      if (s.kind === 'header-name' || s.kind === 'obs-fold') {
        let j = i;
        while (j < mine.length && mine[j].kind !== 'crlf') j++;
        const end = j < mine.length ? mine[j].end : mine[mine.length - 1].end;
        nodes.push({ label: `${section === 'headers' ? 'header' : 'trailer'}  ${preview(bytes, s.start, j < mine.length ? mine[j].start : end, 60)}`, start: s.start, end, depth: 1 });
        i = j + 1;
      } else if (s.kind === 'empty-line') {
        nodes.push({ label: section === 'headers' ? 'empty line: end of headers' : 'empty line: end of trailers', start: s.start, end: s.end, depth: 1 });
        i++;
      } else if (s.kind === 'chunk-size') {
        // A chunk: its size line, its data and the CRLF after it.
        const size = parseInt(new TextDecoder('latin1').decode(bytes.subarray(s.start, s.end)), 16);
        let j = i + 1;
        while (j < mine.length && !['chunk-size', 'last-chunk', 'unparsed'].includes(mine[j].kind)) j++;
        nodes.push({ label: `chunk ${++chunk}: ${size} bytes`, start: s.start, end: mine[j - 1].end, depth: 1 });
        i = j;
      } else if (s.kind === 'last-chunk') {
        let j = i + 1;
        while (j < mine.length && mine[j].kind !== 'crlf') j++;
        nodes.push({ label: 'last chunk (size 0)', start: s.start, end: (mine[j] ?? mine[j - 1]).end, depth: 1 });
        section = 'trailers';
        i = j + 1;
      } else if (s.kind === 'body') {
        let j = i;
        while (j < mine.length && mine[j].kind === 'body') j++;
        nodes.push({ label: `body  ${mine[j - 1].end - s.start} bytes`, start: s.start, end: mine[j - 1].end, depth: 1 });
        i = j;
      } else if (s.kind === 'unparsed') {
        nodes.push({ label: `unparsed  ${s.end - s.start} bytes`, start: s.start, end: s.end, depth: 1 });
        i++;
      } else {
        i++;
      }
    }
  });
  return nodes;
}

export class Tree {
  constructor(el, handlers) {
    this.el = el;
    this.handlers = handlers;
    this.items = []; // {wire, start, end, button}
    el.addEventListener('click', (e) => {
      const b = e.target.closest('.node');
      if (b) handlers.onSelect(b.dataset.wire, Number(b.dataset.start), Number(b.dataset.end));
    });
    el.addEventListener('mouseover', (e) => {
      const b = e.target.closest('.node');
      handlers.onHover(b ? b.dataset.wire : null, b ? Number(b.dataset.start) : null, b ? Number(b.dataset.end) : null);
    });
    el.addEventListener('mouseleave', () => handlers.onHover(null));
  }

  /** `wires`: [{name, bytes, report}] */
  render(wires) {
    this.el.textContent = '';
    this.items = [];
    for (const { name, bytes, report } of wires) {
      if (!report || !bytes.length) continue;
      const nodes = treeNodes(bytes, report);
      // Trees of huge streams (thousands of messages) show the first 400 nodes.
      for (const n of nodes.slice(0, 400)) {
        const b = document.createElement('button');
        b.className = `node${n.title ? ' msg-title' : ''}`;
        b.setAttribute('role', 'treeitem');
        b.style.paddingLeft = `${4 + n.depth * 14}px`;
        b.dataset.wire = name;
        b.dataset.start = n.start;
        b.dataset.end = n.end;
        b.textContent = n.label;
        b.title = `${name} bytes ${n.start}–${n.end}`;
        this.el.append(b);
        this.items.push({ wire: name, start: n.start, end: n.end, button: b, depth: n.depth });
      }
    }
  }

  /** Marks the innermost node of `wire` that holds start..end. */
  mark(cls, wire, start, end) {
    for (const it of this.items) it.button.classList.remove(cls);
    if (wire === null || wire === undefined) return;
    let best = null;
    for (const it of this.items) {
      if (it.wire === wire && it.start <= start && it.end >= end && (!best || it.depth >= best.depth)) best = it;
    }
    if (best) {
      best.button.classList.add(cls);
      if (cls === 'sel') best.button.scrollIntoView({ block: 'nearest' });
    }
  }
}
