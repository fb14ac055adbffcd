// wirepad's page: wires the components together. The parsing, building and
// explanations all happen in the wasm core (pkg/), the same code as the CLI.

import init, * as wasm from '../pkg/wirepad.js';
import { Compose } from './compose.js';
import { Wire } from './wire.js';
import { Tree } from './tree.js';
import { explainSpan, explainText } from './explain.js';
import { renderBody } from './body.js';
import { relayInfo, openSession, ERROR_TITLES } from './relay.js';
import { PRESETS, presetBytes } from './presets.js';
import { header, makeHash, parseHash, pythonSnippet, curlCommand, rawText, captureJSON, readCapture, responsesDone, spanAt } from './logic.js';

const $ = (id) => document.getElementById(id);

const state = {
  request: new Uint8Array(),
  requestReport: null,
  response: new Uint8Array(),
  responseReport: null,
  reads: [],
  events: [],
  hex: false,
  bodyMode: 'raw',
  steps: [],
  step: -1,
  relay: undefined, // undefined: not asked yet; null: no relay
  session: null,
};

// Timings for benches/page.mjs and curious teachers: ms since navigation start.
window.wirepad = { timings: {} };
function mark(name) {
  window.wirepad.timings[name] = performance.now();
}

let table;
let compose;
let wires;
let tree;

async function main() {
  await init();
  const t = wasm.explanations();
  table = {
    kinds: new Map(t.kinds),
    ends: new Map(t.ends),
    codes: new Map(t.codes),
    statuses: new Map(t.statuses),
    methods: new Map(t.methods),
    headers: new Map(t.headers),
  };
  wires = {
    request: new Wire($('request-wire'), { onSelect: (i) => select('request', i), onHover: (i) => hover('request', i) }),
    response: new Wire($('response-wire'), { onSelect: (i) => select('response', i), onHover: (i) => hover('response', i) }),
  };
  tree = new Tree($('tree'), {
    onSelect: (wire, start, end) => {
      const report = wire === 'request' ? state.requestReport : state.responseReport;
      const i = spanAt(report.spans, start);
      if (i >= 0) select(wire, i);
      wires[wire].mark('hl', start, end);
    },
    onHover: (wire, start, end) => {
      for (const name of ['request', 'response']) wires[name].mark('hl', name === wire ? start : null, end);
    },
  });
  compose = new Compose(wasm, (bytes) => requestChanged(bytes));
  setupToolbar();
  setupKeys();
  setupDrop();

  const shared = parseHash(location.hash);
  if (shared) {
    setTarget(shared.host, shared.port);
    $('preset').value = 'custom';
    compose.setBytes(shared.request);
  } else {
    loadPreset(0);
  }
  mark('requestAnnotated');
  state.relay = await relayInfo();
  offerTargets();
  await listExamples();
}

// ---- the request ------------------------------------------------------------------

function requestChanged(bytes) {
  state.request = bytes;
  state.requestReport = wasm.parse(bytes, { kind: 'request' });
  if (state.response.length && !state.loading) clearResponse('The request changed: send it again to see its response.');
  renderWire('request');
  refreshSide();
  history.replaceState(null, '', makeHash({ host: $('host').value, port: Number($('port').value), request: bytes }));
}

function setTarget(host, port) {
  $('host').value = host;
  $('port').value = port;
}

function loadPreset(i) {
  const p = PRESETS[i];
  const practice = state.relay?.practice;
  if (p.practice) setTarget(practice?.host ?? '127.0.0.1', practice?.port ?? 8081);
  else setTarget(p.host, p.port);
  $('preset').value = String(i);
  compose.setBytes(presetBytes(p));
}

// ---- rendering -------------------------------------------------------------------------

function renderWire(name) {
  const bytes = name === 'request' ? state.request : state.response;
  const report = name === 'request' ? state.requestReport : state.responseReport;
  wires[name].render(bytes, report, {
    hex: state.hex,
    reads: name === 'response' ? state.reads : [],
    empty: name === 'request' ? 'Type a request, or pick a preset.' : state.relay === null ? 'No relay: open this page from `wirepad serve` to send, or load a recorded exchange (Preset) or a capture file.' : 'Press Send to see the response arrive.',
  });
  $(`${name}-size`).textContent = bytes.length ? `${bytes.length} bytes` : '';
}

function refreshSide() {
  tree.render([
    { name: 'request', bytes: state.request, report: state.requestReport },
    { name: 'response', bytes: state.response, report: state.responseReport },
  ]);
  const verdicts = $('verdicts');
  verdicts.textContent = '';
  for (const [name, report, bytes] of [['request', state.requestReport, state.request], ['response', state.responseReport, state.response]]) {
    if (!report || !bytes.length) continue;
    const v = document.createElement('span');
    v.className = `verdict ${report.verdict}`;
    v.textContent = `${name}: ${report.verdict}`;
    verdicts.append(v);
  }
  const list = $('diagnostics');
  list.textContent = '';
  for (const [name, report] of [['request', state.requestReport], ['response', state.responseReport]]) {
    for (const d of report?.diagnostics ?? []) {
      const li = document.createElement('li');
      const sev = document.createElement('span');
      sev.className = `sev-${d.severity}`;
      sev.textContent = d.severity;
      li.append(sev, ` ${name} `, Object.assign(document.createElement('code'), { textContent: d.code }), `: ${d.message} (${d.rfc})`);
      li.tabIndex = 0;
      const go = () => {
        const i = spanAt(report.spans, Math.min(d.start, Math.max(0, (name === 'request' ? state.request : state.response).length - 1)));
        if (i >= 0) select(name, i);
      };
      li.addEventListener('click', go);
      li.addEventListener('keydown', (e) => e.key === 'Enter' && go());
      list.append(li);
    }
  }
  if (!list.children.length) list.append(Object.assign(document.createElement('li'), { className: 'muted', textContent: 'None: every byte is where HTTP/1.1 expects it.' }));
  state.steps = [];
  for (const [name, report] of [['request', state.requestReport], ['response', state.responseReport]]) {
    (report?.spans ?? []).forEach((_, i) => state.steps.push({ wire: name, index: i }));
  }
  state.step = -1;
  $('step-label').textContent = state.steps.length ? `${state.steps.length} elements: press Next` : 'Step through the framing';
  renderBodyPanel();
}

function renderBodyPanel() {
  const messages = state.responseReport?.messages ?? [];
  const last = [...messages].reverse().find((m) => m.status >= 200) ?? messages[messages.length - 1];
  renderBody($('body-view'), $('body-info'), last, state.bodyMode);
}

// ---- selection, hover, stepping ------------------------------------------------------

function select(wire, index, step) {
  const report = wire === 'request' ? state.requestReport : state.responseReport;
  const bytes = wire === 'request' ? state.request : state.response;
  const span = report?.spans[index];
  if (!span) return;
  for (const name of ['request', 'response']) wires[name].mark('sel', name === wire ? span.start : null, span.end);
  wires[wire].reveal(span.start);
  tree.mark('sel', wire, span.start, span.end);
  explainSpan($('explain'), { table, rfcUrl: wasm.rfc_url, wire, bytes, report, index, step });
  if (!step) {
    const k = state.steps.findIndex((s) => s.wire === wire && s.index === index);
    if (k >= 0) state.step = k;
  }
}

function hover(wire, index) {
  const report = wire === 'request' ? state.requestReport : state.responseReport;
  const span = index === null ? null : report?.spans[index];
  tree.mark('hl', span ? wire : null, span?.start, span?.end);
}

function stepBy(delta) {
  if (!state.steps.length) return;
  state.step = Math.max(0, Math.min(state.steps.length - 1, state.step + delta));
  const { wire, index } = state.steps[state.step];
  const sameWire = state.steps.filter((s) => s.wire === wire);
  const n = sameWire.findIndex((s) => s.index === index) + 1;
  $('step-label').textContent = `${wire} ${n} / ${sameWire.length}`;
  select(wire, index, { n, total: sameWire.length });
}

// ---- sending -----------------------------------------------------------------------------

function clearResponse(why) {
  state.session?.close();
  state.session = null;
  state.response = new Uint8Array();
  state.responseReport = null;
  state.reads = [];
  $('events').textContent = '';
  if (why) logEvent(why);
  renderWire('response');
  refreshSide();
}

function logEvent(text, cls) {
  const li = document.createElement('li');
  li.textContent = text;
  if (cls) li.className = cls;
  const list = $('events');
  list.append(li);
  // One scroll per frame, not one forced layout per event.
  cancelAnimationFrame(logEvent.frame);
  logEvent.frame = requestAnimationFrame(() => {
    list.parentElement.scrollTop = list.parentElement.scrollHeight;
  });
}

async function send() {
  if (state.relay === undefined) state.relay = await relayInfo();
  if (!state.relay) {
    explainText($('explain'), 'No relay', 'This page was opened without `wirepad serve`, so it cannot open connections: browsers cannot open raw TCP sockets themselves. Run `make serve` and open the page it prints, or pick a recorded exchange under Preset, or load a capture file.');
    logEvent('cannot send: no relay', 'error');
    return;
  }
  clearResponse();
  const host = $('host').value.trim();
  const port = Number($('port').value);
  const request = state.request;
  const requestCount = state.requestReport.messages.length;
  const parser = new wasm.StreamParser('response', { requests: request });
  const chunks = [];
  let total = 0;
  let scheduled = 0;
  let finished = false;
  const paint = () => {
    scheduled = 0;
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    state.response = all;
    state.responseReport = parser.snapshot();
    if (!finished && requestCount && responsesDone(state.responseReport, requestCount) && state.session === ws) {
      // Every request has its complete response: a browser would stop
      // reading here too, so the page closes the connection itself.
      logEvent('every response is complete: the page closes the connection');
      state.session = null;
      ws.close();
      finished = true;
    }
    renderWire('response');
    // While a big response streams in, only its wire is redrawn; the tree,
    // diagnostics and body wait for the end.
    if (finished || total < 1 << 20) refreshSide();
    if (finished) {
      mark('responseAnnotated');
      decodeBrotli();
    }
  };
  logEvent(`sending ${request.length} bytes to ${host}:${port} through the relay`);
  const ws = openSession({
    host,
    port,
    bytes: request,
    onData: (data) => {
      chunks.push(data);
      total += data.length;
      parser.feed(data);
      if (!scheduled) scheduled = setTimeout(paint, total > 1 << 20 ? 250 : 30);
    },
    onEvent: (e) => {
      if (e.type === 'connected') logEvent(`connected to ${e.address} (resolved: ${e.resolved.join(', ')}) in ${e.ms} ms`);
      else if (e.type === 'read') {
        state.reads.push(e);
        logEvent(`read ${e.seq}: ${e.bytes} bytes at ${e.ms} ms`);
      } else if (e.type === 'closed') {
        logEvent(`closed by ${e.by}${e.limit ? ` (${e.limit})` : ''} after ${e.ms} ms: ${e.bytes_up} bytes sent, ${e.bytes_down} received`);
      } else if (e.type === 'error') {
        logEvent(`error ${e.code}: ${e.message}`, 'error');
        explainText($('explain'), ERROR_TITLES[e.code] ?? 'The relay reported an error', e.message);
      } else if (e.type === 'socket-closed') {
        if (state.session === ws) state.session = null;
        if (!finished) {
          finished = true;
          clearTimeout(scheduled);
          paint();
        }
      }
    },
  });
  state.session = ws;
}

// The wasm build with brotli (www/pkg-br) is loaded only when a response
// needs it: its dictionary would double the size of the first download.
let brotliBuild;
async function decodeBrotli() {
  const report = state.responseReport;
  const needs = report?.messages.some((m) => m.complete && !m.decoded && /\bbr\b/i.test(header(m, 'content-encoding') ?? ''));
  if (!needs) return;
  brotliBuild ??= import('../pkg-br/wirepad.js').then(async (m) => {
    await m.default();
    return m;
  });
  const full = await brotliBuild;
  state.responseReport = full.parse(state.response, { kind: 'response', requests: state.request });
  renderWire('response');
  refreshSide();
}

// ---- recorded exchanges and capture files ------------------------------------------------

async function listExamples() {
  try {
    const r = await fetch('examples/index.json');
    if (!r.ok) return;
    const group = document.createElement('optgroup');
    group.label = 'Recorded exchanges (no relay needed)';
    for (const ex of await r.json()) group.append(new Option(ex.name, `example:${ex.file}`));
    $('preset').append(group);
  } catch {
    // no examples: fine
  }
}

async function loadExample(file) {
  const r = await fetch(`examples/${file}`);
  loadCapture(new Uint8Array(await r.arrayBuffer()));
}

function loadCapture(bytes) {
  const c = readCapture(bytes);
  if (c.request) $('preset').value = 'custom';
  state.loading = true;
  if (c.host) setTarget(c.host, c.port);
  if (c.request) compose.setBytes(c.request);
  state.loading = false;
  clearResponse();
  if (c.response?.length) {
    state.response = c.response;
    state.reads = c.reads;
    state.responseReport = wasm.parse(c.response, { kind: 'response', requests: state.request });
    renderWire('response');
    refreshSide();
    logEvent(`loaded a capture: ${c.response.length} response bytes${c.reads.length ? ` in ${c.reads.length} reads` : ''}`);
    decodeBrotli();
  }
}

function setupDrop() {
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (e) => {
    if (e.target === document.documentElement || !e.relatedTarget) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', async (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    const file = e.dataTransfer.files[0];
    if (file) loadCapture(new Uint8Array(await file.arrayBuffer()));
  });
}

// ---- toolbar -------------------------------------------------------------------------------

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 2500);
}

async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied`);
  } catch {
    toast(`${what} could not be copied here; it is in the explanation panel`);
    explainText($('explain'), what, text);
  }
}

function offerTargets() {
  const list = $('host-list');
  list.textContent = '';
  const p = state.relay?.practice;
  if (p) list.append(new Option(`practice server (${p.host}:${p.port})`, p.host));
  list.append(new Option('example.org (port 80)', 'example.org'));
  if (p && $('host').value === '127.0.0.1' && PRESETS[Number($('preset').value)]?.practice) setTarget(p.host, p.port);
}

function setupToolbar() {
  $('preset').append(new Option('(your own request)', 'custom'));
  PRESETS.forEach((p, i) => $('preset').append(new Option(p.name, String(i))));
  $('preset').addEventListener('change', () => {
    const v = $('preset').value;
    if (v.startsWith('example:')) loadExample(v.slice('example:'.length));
    else if (v !== 'custom') loadPreset(Number(v));
  });
  for (const id of ['host', 'port']) $(id).addEventListener('change', () => requestChanged(state.request));
  $('send').addEventListener('click', send);
  $('share').addEventListener('click', () => {
    const hash = makeHash({ host: $('host').value, port: Number($('port').value), request: state.request });
    copy(`${location.origin}${location.pathname}${hash}`, 'Share link');
  });
  $('copy-as').addEventListener('change', () => {
    const what = $('copy-as').value;
    $('copy-as').value = '';
    const host = $('host').value;
    const port = Number($('port').value);
    const m = state.requestReport.messages[0];
    if (what === 'python') copy(pythonSnippet(host, port, state.request), 'Python socket code');
    if (what === 'curl' && m) copy(curlCommand(host, port, m, m.body), 'curl command');
    if (what === 'raw') copy(rawText(state.request), 'Raw bytes');
  });
  $('save').addEventListener('click', () => {
    const json = captureJSON({ host: $('host').value, port: Number($('port').value), request: state.request, response: state.response, reads: state.reads });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    a.download = 'wirepad-exchange.json';
    a.click();
    URL.revokeObjectURL(a.href);
  });
  $('load').addEventListener('change', async () => {
    const file = $('load').files[0];
    if (file) loadCapture(new Uint8Array(await file.arrayBuffer()));
    $('load').value = '';
  });
  const toggle = (id, apply) => {
    const key = `wirepad:${id}`;
    const set = (on) => {
      $(id).setAttribute('aria-pressed', String(on));
      apply(on);
      localStorage.setItem(key, on ? '1' : '');
    };
    $(id).addEventListener('click', () => set($(id).getAttribute('aria-pressed') !== 'true'));
    set(localStorage.getItem(key) === '1');
  };
  toggle('projector', (on) => document.body.classList.toggle('projector', on));
  toggle('labels', (on) => document.body.classList.toggle('labels', on));
  toggle('theme', (on) => {
    document.documentElement.dataset.theme = on ? 'dark' : 'light';
    $('theme').textContent = on ? 'Light' : 'Dark';
  });
  const view = (hex) => {
    state.hex = hex;
    $('view-text').setAttribute('aria-pressed', String(!hex));
    $('view-hex').setAttribute('aria-pressed', String(hex));
    renderWire('request');
    renderWire('response');
  };
  $('view-text').addEventListener('click', () => view(false));
  $('view-hex').addEventListener('click', () => view(true));
  for (const mode of ['raw', 'decoded', 'preview']) {
    $(`body-${mode}`).addEventListener('click', () => {
      state.bodyMode = mode;
      for (const m of ['raw', 'decoded', 'preview']) $(`body-${m}`).setAttribute('aria-pressed', String(m === mode));
      renderBodyPanel();
    });
  }
  $('step-prev').addEventListener('click', () => stepBy(-1));
  $('step-next').addEventListener('click', () => stepBy(1));
}

function setupKeys() {
  document.addEventListener('keydown', (e) => {
    const typing = e.target.closest('input, textarea, select');
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    } else if (!typing && e.key === 'ArrowRight') {
      e.preventDefault();
      stepBy(1);
    } else if (!typing && e.key === 'ArrowLeft') {
      e.preventDefault();
      stepBy(-1);
    }
  });
}

main().catch((e) => {
  document.body.prepend(Object.assign(document.createElement('p'), { className: 'note', textContent: `wirepad could not start: ${e.message}. Was the wasm package built (make build)?` }));
  throw e;
});
