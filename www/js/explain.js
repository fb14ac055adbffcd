// The explanation panel: what a span is, what its value means, where the RFC
// says so, and (when stepping) how the receiver knows where it ends. All the
// words come from the wasm explanation table, the same one the CLI prints.

import { framingNote, preview } from './logic.js';

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

/** The header field a header-name or header-value span belongs to. */
function fieldName(bytes, spans, index) {
  for (let i = index; i >= 0; i--) {
    const s = spans[i];
    if (s.kind === 'header-name') return new TextDecoder('latin1').decode(bytes.subarray(s.start, s.end));
    if (s.kind === 'crlf' && i !== index) break;
  }
  return null;
}

/** Fills `target` with the explanation of span `index` of a wire. */
export function explainSpan(target, { table, rfcUrl, wire, bytes, report, index, step }) {
  const span = report.spans[index];
  const kind = table.kinds.get(span.kind);
  const text = new TextDecoder('latin1').decode(bytes.subarray(span.start, span.end));
  const parts = [];
  parts.push(el('h3', {}, kind.title, ' ', el('span', { className: 'kind-tag', textContent: span.kind })));
  if (step) parts.push(el('p', { className: 'muted', textContent: `${wire} element ${step.n} of ${step.total}` }));
  parts.push(
    el('p', {}, el('span', { className: 'bytes', textContent: preview(bytes, span.start, span.end, 120) }), ' ', el('span', { className: 'muted', textContent: `${wire} bytes ${span.start}–${span.end} (${span.end - span.start})` })),
  );
  parts.push(entryBlock('What it is:', kind, rfcUrl));
  if (span.kind === 'method') {
    const method = table.methods.get(text);
    if (method) parts.push(entryBlock(`${text}:`, method, rfcUrl));
  }
  if (span.kind === 'status-code' || span.kind === 'reason-phrase') {
    const code = span.kind === 'status-code' ? text : new TextDecoder('latin1').decode(bytes.subarray(report.spans[index - 2]?.start ?? 0, report.spans[index - 2]?.end ?? 0));
    const status = table.statuses.get(Number(code));
    if (status) parts.push(entryBlock(`${code} ${status.title}:`, status, rfcUrl));
    else if (/^\d{3}$/.test(code)) parts.push(el('p', { textContent: `${code}: the first digit gives the class (${code[0]}xx).` }));
  }
  if (span.kind === 'header-name' || span.kind === 'header-value') {
    const name = fieldName(bytes, report.spans, index);
    const field = name && table.headers.get(name.toLowerCase());
    if (field) parts.push(entryBlock(`${field.title}:`, field, rfcUrl));
    else if (name) parts.push(el('p', { className: 'muted', textContent: `${name} is not one of the common fields wirepad explains; a recipient ignores fields it does not know.` }));
  }
  if (span.kind === 'chunk-size') {
    const size = parseInt(text, 16);
    parts.push(el('p', { textContent: `0x${text} = ${size} bytes of chunk data follow the line end.` }));
  }
  if (step) {
    parts.push(el('p', { className: 'ends' }, el('strong', { textContent: 'Where it ends: ' }), table.ends.get(span.kind), ' ', framingNote(report, span)));
  }
  const diags = report.diagnostics.filter((d) => d.start < span.end && (d.end > span.start || (d.start === d.end && d.start >= span.start)));
  for (const d of diags) {
    const entry = table.codes.get(d.code);
    parts.push(
      el('p', { className: 'diag' }, el('span', { className: `sev-${d.severity}`, textContent: `${d.severity} ` }), el('code', { textContent: d.code }), ': ', d.message, ' ', el('span', { className: 'muted' }, '(', rfcLink(d.rfc, rfcUrl), ')'), entry ? el('br') : null, entry ? el('span', { className: 'muted', textContent: entry.text }) : null),
    );
  }
  target.replaceChildren(...parts);
}

/** Explains a relay error or connection event in words a student understands. */
export function explainText(target, title, text) {
  target.replaceChildren(el('h3', { textContent: title }), el('p', { textContent: text }));
}
