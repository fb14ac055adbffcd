// The explanation panel: what a span is, what its value means, where the RFC
// says so, and (when stepping) how the receiver knows where it ends. All the
// words come from wasm: the explanation table, the same one the CLI prints,
// and `notes`, what the span means in its own message (the core's `Parsed.notes`).

import { fieldAt, preview, span as spanOf, text as textOf } from './logic.js';

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

function rfcLink(rfc, rfcUrl) {
  const url = rfcUrl(rfc);
  return url ? el('a', { href: url, target: '_blank', rel: 'noopener', textContent: rfc }) : el('span', { textContent: rfc });
}

function entryBlock(heading, entry, rfcUrl) {
  return el('p', {}, el('strong', { textContent: heading }), ' ', entry.text, ' ', el('span', { className: 'muted' }, '(', rfcLink(entry.rfc, rfcUrl), ')'));
}

/** The name of the field (header or trailer) that holds byte `offset` of message m. */
function fieldName(result, bytes, m, offset) {
  for (const which of ['headers', 'trailers']) {
    const j = fieldAt(result, m, offset, which);
    if (j !== -1) return textOf(bytes, [result.fields.name_start[j], result.fields.name_end[j]]);
  }
  return null;
}

/**
 * Fills `target` with the explanation of span `index` of a wire. `notes(index)`
 * → `{context, framing}`: the core's `Parsed.notes` for the wire's bytes,
 * parsed as `result` was.
 */
export function explainSpan(target, { table, rfcUrl, notes, wire, bytes, result, index, step }) {
  const span = spanOf(result, index);
  const m = result.messages[span.message];
  const kind = table.kinds.get(span.kind);
  const text = textOf(bytes, [span.start, span.end]);
  const parts = [];
  parts.push(el('h3', {}, kind.title, ' ', el('span', { className: 'kind-tag', textContent: span.kind })));
  if (step) parts.push(el('p', { className: 'muted', textContent: `${wire} element ${step.n} of ${step.total}` }));
  parts.push(
    el('p', {}, el('span', { className: 'bytes', textContent: preview(bytes, span.start, span.end, 120) }), ' ', el('span', { className: 'muted', textContent: `${wire} bytes ${span.start}–${span.end} (${span.end - span.start})` })),
  );
  // What it means here first, then what it is in general.
  const { context, framing } = notes(index);
  if (context) parts.push(el('p', { className: 'context' }, el('strong', { textContent: 'In this message: ' }), context));
  parts.push(entryBlock('What it is:', kind, rfcUrl));
  if (span.kind === 'method') {
    const method = table.methods.get(text);
    if (method) parts.push(entryBlock(`${text}:`, method, rfcUrl));
  }
  if ((span.kind === 'status-code' || span.kind === 'reason-phrase') && m?.status !== null && m?.status !== undefined) {
    const code = String(m.status);
    const status = table.statuses.get(m.status);
    if (status) parts.push(entryBlock(`${code} ${status.title}:`, status, rfcUrl));
    else parts.push(el('p', { textContent: `${code}: the first digit gives the class (${code[0]}xx).` }));
  }
  if ((span.kind === 'header-name' || span.kind === 'header-value') && m) {
    const name = fieldName(result, bytes, m, span.start);
    const field = name && table.headers.get(name.toLowerCase());
    if (field) parts.push(entryBlock(`${field.title}:`, field, rfcUrl));
    else if (name) parts.push(el('p', { className: 'muted', textContent: `${name} is not one of the common fields wirepad explains; a recipient ignores fields it does not know.` }));
  }
  if (span.kind === 'chunk-size') {
    const size = parseInt(text, 16);
    parts.push(el('p', { textContent: `0x${text} = ${size} bytes of chunk data follow the line end.` }));
  }
  if (step) {
    parts.push(el('p', { className: 'ends' }, el('strong', { textContent: 'Where it ends: ' }), table.ends.get(span.kind), ' ', framing));
  }
  const diags = result.diagnostics.filter((d) => d.start < span.end && (d.end > span.start || (d.start === d.end && d.start >= span.start)));
  for (const d of diags) {
    const entry = table.codes.get(d.code);
    parts.push(
      el('p', { className: 'diag' }, el('span', { className: `sev-${d.severity}`, textContent: `${d.severity} ` }), el('code', { textContent: d.code }), ': ', d.message, ' ', el('span', { className: 'muted' }, '(', rfcLink(d.rfc, rfcUrl), ')'), entry ? el('br') : null, entry ? el('span', { className: 'muted', textContent: entry.text }) : null),
    );
  }
  target.replaceChildren(...parts);
}

/** Explains a relay error or connection event in words a student understands; `action` adds a button. */
export function explainText(target, title, text, action = null) {
  const parts = [el('h3', { textContent: title }), el('p', { textContent: text })];
  if (action) {
    const b = el('button', { id: action.id, className: 'primary', textContent: action.label });
    b.addEventListener('click', action.run);
    parts.push(el('p', {}, b));
  }
  target.replaceChildren(...parts);
}

/**
 * Fills `target` with the explanation of a span of the TLS bytes: its kind
 * (`entry` from the TLS part of the table), what its bytes say, and for an
 * application data record the HTTP bytes it carried.
 */
export function explainTls(target, { entry, kind, value, where, hex, carried, rfcUrl }) {
  const parts = [el('h3', {}, entry?.title ?? kind, ' ', el('span', { className: 'kind-tag', textContent: kind }))];
  parts.push(el('p', {}, el('span', { className: 'bytes', textContent: hex }), ' ', el('span', { className: 'muted', textContent: where })));
  if (value) parts.push(el('p', { className: 'context' }, el('strong', { textContent: 'Here: ' }), value));
  if (carried) parts.push(el('p', { className: 'context', textContent: carried }));
  if (entry) parts.push(entryBlock('What it is:', entry, rfcUrl));
  target.replaceChildren(...parts);
}

/**
 * Fills `target` with a check of the server check (an outcome of
 * www/pkg-check's CheckRun): what a conforming server does, the rule in the
 * RFC's words, its level and section, the verdict and why.
 */
export function explainCheck(target, { outcome: o, rfcUrl }) {
  const closed = o.closed ? ', then the server closed the connection' : '';
  target.replaceChildren(
    el('h3', {}, o.title, ' ', el('span', { className: 'kind-tag', textContent: o.id })),
    el('p', {}, el('span', { className: `check-verdict ${o.verdict}`, textContent: o.verdict }), ` · ${o.level} · `, rfcLink(o.section, rfcUrl), el('span', { className: 'muted', textContent: ` · ${o.category}` })),
    el('blockquote', { textContent: o.rule }),
    el('p', {}, el('strong', { textContent: 'What came back: ' }), o.why),
    el('p', { className: 'muted', textContent: o.connected ? `${o.sent.length} bytes sent, ${o.received.length} received${closed}, in ${o.ms} ms: the wires show them.` : 'No connection was opened.' }),
  );
}
