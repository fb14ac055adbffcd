// Compose a request: a builder (method, target, version, ordered headers,
// body, automatic Content-Length) and a raw editor of the exact bytes, kept
// in sync both ways. Nothing is fixed behind the student's back: a missing
// Host or a bare LF stays as typed, and the parser explains it.

import { deleteLineEnd, toEditorText, fromEditorText, headerPairs, text, CR_GLYPH, LF_GLYPH } from './logic.js';

const $ = (id) => document.getElementById(id);
const latin1 = new TextDecoder('latin1');

export class Compose {
  constructor(wasm, onChange) {
    this.wasm = wasm;
    this.onChange = onChange;
    this.tail = new Uint8Array();
    this.bytes = new Uint8Array();
    for (const id of ['method', 'method-custom', 'target', 'version', 'body', 'auto-length']) {
      $(id).addEventListener('input', () => this.fromBuilder());
      $(id).addEventListener('change', () => this.fromBuilder());
    }
    $('add-header').addEventListener('click', () => {
      this.addHeaderRow('', '');
      this.fromBuilder();
      $('header-rows').lastElementChild.querySelector('input').focus();
    });
    $('header-rows').addEventListener('input', () => this.fromBuilder());
    $('header-rows').addEventListener('click', (e) => this.headerAction(e));
    const raw = $('raw');
    raw.addEventListener('input', () => this.fromRaw());
    raw.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        // Enter is an HTTP line end; Shift+Enter a deliberate bare LF.
        insertAtCaret(raw, e.shiftKey ? `${LF_GLYPH}\n` : `${CR_GLYPH}${LF_GLYPH}\n`);
        this.fromRaw();
      } else if ((e.key === 'Backspace' || e.key === 'Delete') && raw.selectionStart === raw.selectionEnd) {
        // A line end (␍␊ and its line break) is one unit to delete.
        const r = deleteLineEnd(raw.value, raw.selectionStart, e.key === 'Backspace');
        if (!r) return;
        e.preventDefault();
        raw.value = r.text;
        raw.selectionStart = raw.selectionEnd = r.caret;
        this.fromRaw();
      }
    });
  }

  /** Shows `bytes` in both editors (a preset, a share link, a loaded capture). */
  setBytes(bytes) {
    $('raw').value = toEditorText(bytes);
    this.fromRaw();
  }

  spec() {
    const method = $('method').value === '*' ? $('method-custom').value : $('method').value;
    const headers = [...$('header-rows').children].map((tr) => [...tr.querySelectorAll('input')].map((i) => i.value));
    return {
      method,
      target: $('target').value,
      version: $('version').value,
      headers: headers.filter(([n, v]) => n !== '' || v !== ''),
      body: $('body').value,
      auto_content_length: $('auto-length').checked,
    };
  }

  fromBuilder() {
    $('method-custom').hidden = $('method').value !== '*';
    const head = this.wasm.build(this.spec());
    const bytes = new Uint8Array(head.length + this.tail.length);
    bytes.set(head);
    bytes.set(this.tail, head.length);
    $('raw').value = toEditorText(bytes);
    this.bytes = bytes;
    this.onChange(bytes);
  }

  fromRaw() {
    const bytes = fromEditorText($('raw').value);
    this.bytes = bytes;
    const parsed = new this.wasm.Parsed(bytes, { kind: 'request' });
    const result = parsed.result();
    const m = result.messages[0];
    let note = '';
    if (m && m.method && m.target) {
      // Headers that do not parse leave the table as it was: an edit in
      // progress must not empty it.
      const headEnd = m.head_end ?? m.end;
      const hostRule = (code) => code === 'missing-host' || code === 'multiple-host';
      const headOk = !result.diagnostics.some((d) => d.severity === 'error' && d.msg === 0 && d.start < headEnd && !hostRule(d.code));
      this.fill({
        method: text(bytes, m.method),
        target: text(bytes, m.target),
        version: m.version ? text(bytes, m.version) : undefined,
        headers: headOk ? headerPairs(result, bytes, m) : null,
        body: parsed.body(0),
      });
      this.tail = bytes.slice(m.end);
      if (!headOk) note = 'The header lines do not parse (see the diagnostics); the builder keeps its table until they do.';
      else if (result.messages.length > 1) note = `The raw bytes hold ${result.messages.length} requests; the builder edits the first and keeps the rest as typed.`;
      else if (this.tail.length) note = 'The builder edits the first request; the bytes after it stay as typed.';
    } else {
      this.tail = new Uint8Array();
      note = bytes.length ? 'These bytes are not a request line the builder can show; edit them here.' : '';
    }
    parsed.free();
    $('compose-note').textContent = note;
    this.onChange(bytes);
  }

  /** Puts a parsed request into the builder, exactly as written (no automatic length). */
  fill(m) {
    const known = [...$('method').options].some((o) => o.value === m.method);
    $('method').value = known ? m.method : '*';
    $('method-custom').hidden = known;
    $('method-custom').value = known ? '' : m.method;
    $('target').value = m.target;
    const version = $('version');
    if (m.version && ![...version.options].some((o) => o.value === m.version)) version.append(new Option(m.version));
    if (m.version) version.value = m.version;
    if (m.headers) {
      $('header-rows').textContent = '';
      for (const [n, v] of m.headers) this.addHeaderRow(n, v);
    }
    $('body').value = latin1.decode(m.body);
    $('auto-length').checked = false;
  }

  addHeaderRow(name, value) {
    const tr = document.createElement('tr');
    const cell = (v, label) => {
      const td = document.createElement('td');
      const input = document.createElement('input');
      input.value = v;
      input.spellcheck = false;
      input.setAttribute('aria-label', label);
      td.append(input);
      return td;
    };
    const actions = document.createElement('td');
    actions.className = 'actions';
    for (const [act, text, label] of [['up', '↑', 'move up'], ['down', '↓', 'move down'], ['remove', '✕', 'remove']]) {
      const b = document.createElement('button');
      b.dataset.act = act;
      b.textContent = text;
      b.title = label;
      b.setAttribute('aria-label', `${label}: ${name || 'header'}`);
      actions.append(b);
    }
    tr.append(cell(name, 'header name'), cell(value, 'header value'), actions);
    $('header-rows').append(tr);
  }

  headerAction(e) {
    const b = e.target.closest('button[data-act]');
    if (!b) return;
    const tr = b.closest('tr');
    if (b.dataset.act === 'remove') tr.remove();
    if (b.dataset.act === 'up' && tr.previousElementSibling) tr.previousElementSibling.before(tr);
    if (b.dataset.act === 'down' && tr.nextElementSibling) tr.nextElementSibling.after(tr);
    this.fromBuilder();
  }
}

function insertAtCaret(textarea, text) {
  const { selectionStart: a, selectionEnd: b, value } = textarea;
  textarea.value = value.slice(0, a) + text + value.slice(b);
  textarea.selectionStart = textarea.selectionEnd = a + text.length;
}
