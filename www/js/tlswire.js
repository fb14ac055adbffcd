// The TLS view (#tls-wire) of an https exchange: the bytes that crossed the
// socket both ways, in the order they crossed, as hex. Every byte is inside
// an element with data-kind, data-dir ('up': sent by the page, 'down': sent
// by the server), data-start and data-end (offsets in that direction's
// bytes). Records are grouped under a title; an application data record
// that carried HTTP bytes names them, and selecting one highlights them in
// the request or response wire (and the other way round).

import { hexText, preview, tlsRecordTitle, tlsRows, tlsValue } from './logic.js';

// Longer spans show their first bytes and how many more; a click shows all.
const SHOWN = 48;

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

export class TlsWire {
  constructor(el, handlers) {
    this.el = el;
    this.handlers = handlers;
    this.expanded = new Set(); // "dir:start" of spans shown whole
    el.addEventListener('click', (e) => {
      const more = e.target.closest('.more');
      const t = e.target.closest('[data-kind]');
      if (!t) return;
      if (more) {
        this.expanded.add(`${t.dataset.dir}:${t.dataset.start}`);
        this.render(this.last);
      }
      handlers.onSelect(t.dataset.dir, Number(t.dataset.span));
    });
  }

  /**
   * `{up, down}`: bytes each way; `labels`: wasm tlsLabels of each;
   * `flights`: logic.tlsFlights; `links`: TlsClient.links(); `names`: Maps
   * of the TLS explanation table.
   */
  render(view) {
    this.last = view;
    const { labels, flights, links, names } = view;
    const frag = document.createDocumentFragment();
    for (const { flight, records } of tlsRows(labels, flights)) {
      const { dir } = flight;
      const bytes = view[dir];
      const arrow = dir === 'up' ? 'page → server' : 'server → page';
      frag.append(el('div', { className: `tls-flight ${dir}`, textContent: `${arrow} · ${dir === 'up' ? 'sent' : 'received'} bytes ${flight.start}–${flight.end}` }));
      for (const row of records) {
        const box = el('div', { className: `tls-record ${dir}` });
        box.dataset.dir = dir;
        box.dataset.record = row.record;
        box.dataset.start = row.start;
        box.dataset.end = row.end;
        let title = tlsRecordTitle(bytes, labels[dir], row.record, names);
        if (row.record === -1) title += ` (${labels[dir].error}): “${preview(bytes, row.start, row.end, 60)}”`;
        const link = row.record === -1 ? null : linkOf(links[dir], labels[dir].records[row.record].range.start);
        if (link) {
          const wire = dir === 'up' ? 'request' : 'response';
          box.dataset.wire = wire;
          box.dataset.plainStart = link.start;
          box.dataset.plainEnd = link.end;
          title += ` · carried ${wire} bytes ${link.start}–${link.end}`;
        }
        box.append(el('div', { className: 'tls-title', textContent: `${dir === 'up' ? '→' : '←'} ${title}` }));
        const line = el('div', { className: 'tls-bytes' });
        for (const s of row.spans) line.append(this.spanElement(view, dir, s));
        box.append(line);
        frag.append(box);
      }
    }
    this.el.replaceChildren(frag);
    this.applyMarks();
  }

  spanElement(view, dir, s) {
    const { labels, names } = view;
    const bytes = view[dir];
    const spans = labels[dir].spans;
    const kind = spans.kinds[spans.kind[s.index]];
    const e = el('span', { className: `tls-span ${kind}` });
    Object.assign(e.dataset, { kind, dir, start: s.start, end: s.end, span: s.index });
    const whole = s.end - s.start <= SHOWN || this.expanded.has(`${dir}:${s.start}`);
    e.append(hexText(bytes, s.start, whole ? s.end : s.start + SHOWN));
    if (!whole) e.append(el('span', { className: 'more', textContent: ` … +${s.end - s.start - SHOWN} bytes`, title: 'Show every byte' }));
    e.title = `${kind}: ${tlsValue(bytes, spans.start[s.index], spans.end[s.index], kind, names) ?? ''}`;
    return e;
  }

  /**
   * Highlights with class `cls` the spans of `dir` that overlap start..end,
   * and the records of `dir` with indexes in `records` (`dir` null clears).
   */
  mark(cls, dir, start, end, records = []) {
    this.marks ??= {};
    this.marks[cls] = dir === null ? null : { dir, start, end, records: new Set(records) };
    this.applyMarks();
  }

  applyMarks() {
    for (const [cls, m] of Object.entries(this.marks ?? {})) {
      for (const e of this.el.querySelectorAll(`.${cls}`)) e.classList.remove(cls);
      if (!m) continue;
      let first = null;
      for (const e of this.el.querySelectorAll(`[data-dir="${m.dir}"]`)) {
        const hit = e.dataset.kind ? Number(e.dataset.start) < m.end && Number(e.dataset.end) > m.start : m.records.has(Number(e.dataset.record));
        if (hit) {
          e.classList.add(cls);
          first ??= e;
        }
      }
      if (cls === 'sel' || cls === 'linked') first?.scrollIntoView({ block: 'nearest' });
    }
  }
}

/** The plaintext range the record starting at `start` carried, or null. */
function linkOf(links, start) {
  if (!links) return null;
  const i = links.tls_start.indexOf(start);
  return i === -1 ? null : { start: links.plain_start[i], end: links.plain_end[i] };
}
