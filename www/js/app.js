// wirepad's page: wires the components together. The parsing, building and
// explanations all happen in the wasm core (pkg/), the same code as the CLI.

import init, * as wasm from '../pkg/wirepad.js';
import { Compose } from './compose.js';
import { Wire, appendChips } from './wire.js';
import { Lesson } from './lesson.js';
import { ClassRoom, classBarView } from './class.js';
import { Tree } from './tree.js';
import { explainCheck, explainSpan, explainText, explainTls } from './explain.js';
import { CheckPanel, checkBuild } from './check.js';
import { renderBody } from './body.js';
import { relayInfo } from './relay.js';
import { explainValue } from './values.js';
import { renderEmbedded } from './embedded.js';
import { createStore, mount } from './store.js';
import { answers, initialState, reducer, roomSlice } from './reducers.js';
import { exerciseView, marksView, predictionView, viewSettings } from './views.js';
import { TlsWire } from './tlswire.js';
import { PRESETS, presetBytes } from './presets.js';
import { LINK_RESPONSE_MAX, MARK_COLORS, firstChange, fromBase64url, partRange, predictionActual, captureJSON, curlCommand, describeSpan, exerciseQuestions, kindWords, span as spanOf, header, headerPairs, headerValues, lastFinal, makeHash, messageTitle, notesEnd, parseHash, pythonSnippet, rawText, readCapture, readTarget, responsesDone, spanAt, text, hexText, tlsFlights, tlsValue } from './logic.js';

const $ = (id) => document.getElementById(id);

// The page's store (store.js, reducers.js): the view settings, the lesson
// and the prediction, the marks, the selection, the exercise and the
// exchange change only by `dispatch`; the views mounted in main() draw them
// once per frame.
const store = createStore(reducer, initialState);
const { dispatch } = store;
const now = () => store.getState();
/** What is on the wires now (the store's `exchange`). */
const onScreen = () => now().exchange;

// What is not in the store (docs/architecture.md): the target as typed, the
// handles of the outside world (the relay's info, the live session), and
// two flags of what the page is doing.
const state = {
  // Where the request goes, as set by the page (setTarget) or typed by the
  // student (targetEdited): the fields show it, nothing reads it from them.
  target: { host: '', port: 80, scheme: 'http' },
  relay: undefined, // undefined: not asked yet; null: no relay
  session: null,
  // True while a follower's page shows what the teacher's shows: what
  // happens then is not the student acting on its own.
  mirroring: false,
};

// Timings for benches/page.mjs and curious teachers: ms since navigation start.
window.wirepad = {
  timings: {},
  // The bytes on screen, for tests and curious teachers.
  exchange: () => ({ request: onScreen().request.bytes, response: onScreen().response.bytes, tls: onScreen().tls && { up: onScreen().tls.up.length, down: onScreen().tls.down.length, info: onScreen().tls.info } }),
};
function mark(name) {
  window.wirepad.timings[name] = performance.now();
}

let table;
let lesson;
let compose;
let wires;
let tlsWire;
let tree;
let classroom;
let checkPanel;

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
    relayErrors: new Map(t.relay_errors),
  };
  wires = {
    request: new Wire($('request-wire'), { kindName, onSelect: (i, shift) => (now().exercise ? answer('request', i) : shift ? extendRange('request', i) : select('request', i)), onRange: (a, b) => selectRange('request', a, b), onHover: (i) => hover('request', i) }),
    response: new Wire($('response-wire'), { kindName, onSelect: (i, shift) => (now().exercise ? answer('response', i) : shift ? extendRange('response', i) : select('response', i)), onRange: (a, b) => selectRange('response', a, b), onHover: (i) => hover('response', i) }),
  };
  tlsWire = new TlsWire($('tls-wire'), { onSelect: (dir, i) => selectTls(dir, i) });
  tree = new Tree($('tree'), {
    onSelect: (wire, start, end) => {
      const i = spanAt(onScreen()[wire].result.spans, start);
      if (i >= 0) select(wire, i);
      wires[wire].mark('hl', start, end);
    },
    onHover: (wire, start, end) => {
      for (const name of ['request', 'response']) wires[name].mark('hl', name === wire ? start : null, end);
    },
  });
  compose = new Compose(wasm, (bytes) => requestChanged(bytes));
  lesson = new Lesson($('lesson-bar'), store, { onStep: applyStep });
  classroom = new ClassRoom(store, {
    // In a room the address is its join link, so that a reload comes back to it.
    entered: (code) => history.replaceState(null, '', `#room=${code}`),
    left: () => history.replaceState(null, '', makeHash({ ...target(), request: onScreen().request.bytes })),
    publishAll: publish,
    onExchange: (ex, response, reads) => {
      mirror(() => showExchange(ex, response, reads));
      if (now().class.role === 'teacher') sentBefore(ex.id);
    },
    onAppend: (response, reads) => {
      mirror(() => showResponse(response, reads, false));
      if (now().class.role === 'teacher') sentBefore(published.id);
    },
    onView: (v) => mirror(() => applyView(v)),
    shareRequest: () => classroom.shareRequest(target().host, target().port, onScreen().request.bytes),
    // The teacher's control: reveal the exercise's answers.
    reveal: revealExercise,
    // A student-paced class: this follower takes the teacher's lesson, at the teacher's step.
    onPaced: (v) => {
      const l = v?.slice?.teaching?.lesson;
      if (l?.id && !l.mistakes) lesson.open(l.id, l.at).catch((e) => toast(e.message));
    },
    stepLabel: () => stepLabelOf(now()),
    // A snapshot the teacher asked for: this page's request, marks and score.
    work: () => {
      const { host, port } = target();
      const ex = now().exercise;
      return { host, port, request: onScreen().request.bytes, marks: ex ? ex.done : now().marks, score: ex && { right: ex.right, finished: ex.finished } };
    },
  });
  checkPanel = new CheckPanel({ onShow: showCheck });
  mount(store, lesson);
  mount(store, classBarView(dispatch, showStudentRequest));
  mount(store, predictionView(dispatch));
  // Before the selection and the marks: they are drawn on the wires' rows.
  mount(store, exchangeView());
  mount(store, viewSettings(dispatch, (changed) => {
    if (changed.includes('hex')) for (const name of ['request', 'response']) renderWire(name);
    if (changed.includes('bodyMode')) {
      renderBodyPanel();
      decodeShown();
    }
    if (changed.includes('zoom')) updateZoom();
  }));
  mount(store, selectionView());
  mount(store, marksView(dispatch, (m) => {
    const result = onScreen()[m.wire].result;
    const first = result ? spanAt(result.spans, m.start) : -1;
    const last = result ? spanAt(result.spans, m.end - 1) : -1;
    if (first >= 0) selectRange(m.wire, first, Math.max(first, last));
  }));
  // The body pane shows the body of the message selected (the decode effect with it).
  store.subscribe((s, previous) => {
    if (s.selection.bodyMessage === previous?.selection.bodyMessage) return;
    renderBodyPanel();
    decodeShown();
  });
  // Before the wires: they read the exercise mode from the page (body.exercise).
  mount(store, exerciseView(dispatch));
  // The wires draw the marks on their bytes (in an exercise, the parts named
  // right): a wire whose marks changed is drawn again, and both when an
  // exercise starts or ends (its elements are named by their bytes only).
  store.subscribe((s, previous) => {
    const quiz = Boolean(s.exercise) !== Boolean(previous?.exercise);
    for (const name of ['request', 'response']) if (quiz || !sameNotes(notesOf(name), drawnNotes[name])) renderWire(name);
  });
  // The room effect: a teacher's page publishes the slice when it changes;
  // a follower's says where it is in the lesson, and what it predicts.
  store.subscribe(() => publish());
  store.subscribe((s, previous) => {
    if (s.class.role !== 'follower') return;
    classroom.step(stepLabelOf(s));
    const t = s.teaching;
    const p = previous?.teaching;
    if (t.predict && (t.said !== p?.said || t.checked !== p?.checked) && (t.said.trim() || t.checked)) {
      const { ask, question } = t.predict;
      const actual = t.checked?.actual ?? null;
      classroom.predicted({ ask, question, said: t.said.trim(), actual, right: actual !== null && t.said.trim() === String(actual) });
    }
  });
  setupToolbar();
  setupKeys();
  setupDrop();

  // Read before anything rewrites the address.
  const lessonId = new URLSearchParams(location.hash.slice(1)).get('lesson');
  const roomCode = new URLSearchParams(location.hash.slice(1)).get('room');
  const shared = parseHash(location.hash);
  if (shared) {
    setTarget(shared.host, shared.port, shared.scheme);
    $('preset').value = 'custom';
    state.loading = true;
    compose.setBytes(shared.request);
    state.loading = false;
    // A link may carry the response and the marks too: shown with no relay.
    dispatch({ type: 'marks/set', marks: shared.marks });
    if (shared.response?.length) showResponse(shared.response, []);
    if (shared.exercise) {
      $('exercise-parts').value = shared.exercise;
      startExercise(shared.exercise);
    }
  } else {
    loadPreset(0);
  }
  afterDraw(() => mark('requestAnnotated'));
  state.relay = await relayInfo();
  offerTargets();
  await listExamples();
  if (lessonId) openLesson(lessonId);
  dispatch({ type: 'class/relay', relay: Boolean(state.relay), publicUrl: state.relay?.public_url ?? null });
  if (roomCode && state.relay) classroom.join(roomCode);
  else if (roomCode) explainAside('No class server', 'A class room lives in `wirepad serve`: open the join link from the server that the teacher uses.');
}

/**
 * Writes something else than the selection's explanation in #explain (an
 * error, a missing relay): a selection cleared meanwhile leaves it there.
 */
function explainAside(...said) {
  dispatch({ type: 'explain/aside' });
  explainText($('explain'), ...said);
}

/** A span kind in words, from the wasm explanation table: "status code". */
function kindName(kind) {
  const title = table.kinds.get(kind)?.title;
  return title ? kindWords(title) : kind;
}

// ---- the request ------------------------------------------------------------------

function requestChanged(bytes) {
  const same = onScreen().request.result && bytes.length === onScreen().request.bytes.length && bytes.every((b, i) => b === onScreen().request.bytes[i]);
  setWire('request', bytes, new wasm.Parsed(bytes, parseOptions('request')));
  if (!same && now().selection.selected?.wire === 'request') clearSelection();
  if (!same) userActed();
  if (!same && !state.loading) dispatch({ type: 'exchange/request-changed' });
  // (A change event for the target it was sent to, as when Tab leaves a
  // field after Ctrl+Enter sent it, changes nothing.)
  const moved = onScreen().sentTo !== targetKey();
  if ((!same || moved) && onScreen().response.bytes.length && !state.loading) clearResponse('The request changed: send it again to see its response.');
  // A lesson keeps its own address (#lesson=ID), a class room its join link;
  // otherwise the address is a share link.
  if (!now().teaching.lesson && !now().class.code) history.replaceState(null, '', makeHash({ ...target(), request: bytes }));
}

/** The target on screen as one string, to compare with the one a response came from. */
const targetKey = () => {
  const { host, port, scheme } = target();
  return `${scheme}://${host}:${port}`;
};

/** The target: {host, port, scheme} (`state.target` has `practiceGuess` too, see loadPreset). */
function target() {
  const { host, port, scheme } = state.target;
  return { host: host.trim(), port, scheme };
}

/** Sets the target, and the fields that show it. */
function setTarget(host, port, scheme = 'http') {
  state.target = { host: String(host), port: Number(port), scheme: scheme === 'https' ? 'https' : 'http' };
  $('host').value = host;
  $('port').value = port;
  $('tls').checked = scheme === 'https';
}

/** The student edited a target field: what it holds now is the target (the one place the fields are read). */
function targetEdited() {
  state.target = { host: $('host').value, port: Number($('port').value), scheme: $('tls').checked ? 'https' : 'http' };
}

/**
 * The host field takes a URL too: `https://example.org` turns TLS on and
 * the port to 443; TLS on or off moves a default port with it.
 */
function targetTyped() {
  const t = readTarget(state.target.host);
  let { port, scheme } = state.target;
  if (t.scheme) {
    scheme = t.scheme;
    port = t.port ?? (t.scheme === 'https' ? 443 : 80);
  } else if (t.port) port = t.port;
  setTarget(t.host, port, scheme);
}

function loadPreset(i) {
  const p = PRESETS[i];
  const practice = state.relay?.practice;
  if (p.practice) {
    setTarget(practice?.host ?? '127.0.0.1', practice?.port ?? 8081);
    // Before the relay has said where its practice server is: the address
    // is a guess, for offerTargets to put right.
    if (!practice) state.target.practiceGuess = true;
  } else setTarget(p.host, p.port);
  $('preset').value = String(i);
  compose.setBytes(presetBytes(p));
}

// ---- rendering -------------------------------------------------------------------------

/**
 * The marks a wire draws on its bytes. Parts named right in an exercise are
 * marked (colour 3) as they go; other marks (a lesson's) would give answers
 * away, and wait.
 */
const notesOf = (name) => (now().exercise?.done ?? now().marks).filter((m) => m.wire === name);
const sameNotes = (a, b) => a.length === b.length && a.every((m, i) => m === b[i]);
// The marks each wire was last drawn with: a wire is laid out again for its
// marks only when they changed (laying out a big capture twice took twice as long).
const drawnNotes = { request: [], response: [] };

function renderWire(name, changedByte = null) {
  const { bytes, result } = onScreen()[name];
  const notes = notesOf(name);
  drawnNotes[name] = notes;
  wires[name].render(bytes, result, {
    hex: now().view.hex,
    reads: name === 'response' ? onScreen().reads : [],
    changedByte,
    notes,
    empty: name === 'request' ? 'Type a request, or pick a preset.' : state.relay === null ? 'No relay: open this page from `wirepad serve` to send, or load a recorded exchange (Preset) or a capture file.' : 'Press Send to see the response arrive.',
  });
  $(`${name}-size`).textContent = bytes.length ? `${bytes.length} bytes` : '';
}

const spanCount = (name) => onScreen()[name].result?.spans.end.length ?? 0;

// The diagnostics list shows this many; the rest are counted (every one is
// also on its bytes in the wires).
const DIAGNOSTICS_SHOWN = 500;

function refreshSide() {
  tree.render(['request', 'response'].map((name) => ({ name, ...onScreen()[name] })));
  const verdicts = $('verdicts');
  verdicts.textContent = '';
  for (const name of ['request', 'response']) {
    const { bytes, result } = onScreen()[name];
    if (!result || !bytes.length) continue;
    // "ok" means no error; warnings are said beside it, never hidden by it.
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
    const v = document.createElement('span');
    v.className = `verdict ${result.verdict}${warnings ? ' warned' : ''}`;
    v.textContent = `${name}: ${result.verdict}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
    verdicts.append(v);
  }
  const list = $('diagnostics');
  list.textContent = '';
  let shown = 0;
  let hidden = 0;
  for (const name of ['request', 'response']) {
    const { bytes, result } = onScreen()[name];
    for (const d of result?.diagnostics ?? []) {
      if (shown === DIAGNOSTICS_SHOWN) {
        hidden++;
        continue;
      }
      shown++;
      const li = document.createElement('li');
      const sev = document.createElement('span');
      sev.className = `sev-${d.severity}`;
      sev.textContent = d.severity;
      li.append(sev, ` ${name} `, Object.assign(document.createElement('code'), { textContent: d.code }), `: ${d.message} (${d.rfc})`);
      li.tabIndex = 0;
      const go = () => {
        const i = spanAt(result.spans, Math.min(d.start, Math.max(0, bytes.length - 1)));
        if (i >= 0) select(name, i);
      };
      li.addEventListener('click', go);
      li.addEventListener('keydown', (e) => e.key === 'Enter' && go());
      list.append(li);
    }
  }
  if (hidden) list.append(Object.assign(document.createElement('li'), { className: 'muted', textContent: `… and ${hidden} more` }));
  if (!list.children.length) list.append(Object.assign(document.createElement('li'), { className: 'muted', textContent: 'None: every byte is where HTTP/1.1 expects it.' }));
  renderBodyPanel();
  decodeShown();
}

/** The response message the body pane shows. */
function bodyMessage() {
  const result = onScreen().response.result;
  if (!result) return null;
  return result.messages[now().selection.bodyMessage ?? -1] ?? lastFinal(result) ?? null;
}

function renderBodyPanel() {
  const m = bodyMessage();
  const { bytes, result } = onScreen().response;
  const mode = now().view.bodyMode;
  if (!m) return renderBody($('body-view'), $('body-info'), null, mode);
  const coding = headerValues(result, bytes, m, 'content-encoding').join(', ');
  renderEmbedded($('embedded'), { response: onScreen().response, m, body: () => bodyOf('response', m), request: onScreen().request, decoded: onScreen().decoded.get(m.index), wasm, connection: target(), practice: state.relay?.practice, load: (bytes, host, port, scheme) => (setTarget(host, port, scheme), compose.setBytes(bytes)) });
  renderBody(
    $('body-view'),
    $('body-info'),
    {
      title: `body of ${messageTitle(bytes, m).replace(/^Response/, 'response')}`,
      body: bodyOf('response', m),
      wire: m.head_end === null ? new Uint8Array() : bytes.subarray(m.head_end, m.end),
      onWire: m.head_end === null ? 0 : m.end - m.head_end,
      framing: m.framing,
      type: header(result, bytes, m, 'content-type') || '',
      coding,
      decoded: onScreen().decoded.get(m.index) ?? null,
    },
    mode,
  );
}

/** The decode effect: a decoded view of an encoded body that is not decoded yet starts its decode. */
function decodeShown() {
  const m = bodyMessage();
  const { bytes, result } = onScreen().response;
  const mode = now().view.bodyMode;
  if (!m?.complete || (mode !== 'decoded' && mode !== 'preview') || onScreen().decoded.has(m.index)) return;
  if (headerValues(result, bytes, m, 'content-encoding').length) decodeBody(m);
}

// TLS is done in the page by a build with rustls (www/pkg-tls), loaded the
// first time a target is https: the first package stays small. It brings
// the TLS part of the explanation table with it.
let tlsModule;
let tlsNames = null;
function tlsBuild() {
  tlsModule ??= import('../pkg-tls/wirepad.js').then(async (mod) => {
    await mod.default();
    const t = mod.tlsExplanations();
    tlsNames = Object.fromEntries(Object.entries(t).map(([k, list]) => [k, new Map(list)]));
    return mod;
  });
  return tlsModule;
}

/** Says in words why the TLS connection failed ({code, message} from pkg-tls). */
function tlsFailed(e) {
  const known = tlsNames?.failures.get(e?.code);
  logEvent(`TLS error ${e?.code ?? ''}: ${e?.message ?? e}`, 'error');
  explainAside(known?.title ?? 'The TLS connection failed', `${known?.text ?? ''} (${known?.rfc ?? 'RFC 8446 §6'}) What the TLS library said: ${e?.message ?? e}. Nothing was sent unencrypted.`);
}

/** Appends `data` to a byte buffer that grows by doubling: `{bytes, length}`. */
function appendBytes(buf, data) {
  if (buf.length + data.length > buf.bytes.length) {
    const grown = new Uint8Array(Math.max(buf.bytes.length * 2, buf.length + data.length, 4096));
    grown.set(buf.bytes.subarray(0, buf.length));
    buf.bytes = grown;
  }
  buf.bytes.set(data, buf.length);
  buf.length += data.length;
}

/** Shows the TLS bytes of the exchange both ways, labelled (#tls-wire). */
function renderTls() {
  const tls = onScreen().tls;
  $('tls-section').hidden = !tls;
  if (!tls) {
    $('tls-wire').replaceChildren();
    return;
  }
  const up = tls.up.bytes.subarray(0, tls.up.length);
  const down = tls.down.bytes.subarray(0, tls.down.length);
  tls.labels = { up: tls.mod.tlsLabels(up), down: tls.mod.tlsLabels(down) };
  tls.links = tls.session.tls_links();
  const records = tls.labels.up.records.length + tls.labels.down.records.length;
  $('tls-summary').textContent = `${records} records · ${up.length} bytes sent, ${down.length} received${tls.info ? ` · ${tls.info.version}` : ''}`;
  tlsWire.render({ up, down, labels: tls.labels, flights: tlsFlights(tls.chunks), links: tls.links, names: tlsNames });
}

/** Selects span `index` of the TLS bytes sent `dir` (selectionView explains it). */
function selectTls(dir, index) {
  if (onScreen().tls?.labels) dispatch({ type: 'select/tls', dir, index });
}

/**
 * Shows the TLS span selected ({dir, index}): explains it, marks its record,
 * and returns the HTTP bytes the record carried ({wire, start, end}, drawn
 * as selected in their wire), or null.
 */
function showTls({ dir, index }) {
  const tls = onScreen().tls;
  if (!tls?.labels) return null;
  const labels = tls.labels[dir];
  const bytes = (dir === 'up' ? tls.up : tls.down).bytes;
  const start = labels.spans.start[index];
  const end = labels.spans.end[index];
  const kind = labels.spans.kinds[labels.spans.kind[index]];
  const record = labels.records.findIndex((r) => r.range.start <= start && start < r.range.end);
  tlsWire.mark('sel', dir, start, end);
  tlsWire.mark('linked', dir, 0, 0, record === -1 ? [] : [record]);
  const links = tls.links[dir];
  const li = record === -1 ? -1 : links.tls_start.indexOf(labels.records[record].range.start);
  const wire = dir === 'up' ? 'request' : 'response';
  let carried = null;
  let said = null;
  if (li !== -1) {
    const [ps, pe] = [links.plain_start[li], links.plain_end[li]];
    carried = { wire, start: ps, end: pe };
    wires[wire].reveal(ps);
    const rec = labels.records[record].range;
    const added = rec.end - rec.start - 5 - (pe - ps);
    const what = tls.info?.version === 'TLS 1.3' ? 'the authentication tag and the hidden content type byte' : 'the authentication tag, and with AES-GCM an 8-byte explicit nonce';
    said = `This record carried ${wire} bytes ${ps}–${pe} (${pe - ps} bytes of HTTP, now highlighted in the ${wire}). The other ${rec.end - rec.start - (pe - ps)} bytes are its header (5) and what encryption adds (${added}: ${what}).`;
  }
  explainTls($('explain'), {
    entry: tlsNames.kinds.get(kind),
    kind,
    value: tlsValue(bytes, start, end, kind, tlsNames),
    where: `${dir === 'up' ? 'sent' : 'received'} TLS bytes ${start}–${end} (${end - start})`,
    hex: hexText(bytes, start, Math.min(end, start + 32)) + (end - start > 32 ? ' …' : ''),
    carried: said,
    rfcUrl: wasm.rfc_url,
  });
  return carried;
}

/** For a selection in a wire of an https exchange: marks the TLS records that carried its bytes. */
function linkTls(wire, start, end) {
  const tls = onScreen().tls;
  if (!tls?.labels) return;
  const dir = wire === 'request' ? 'up' : 'down';
  const links = tls.links[dir];
  const records = [];
  for (let i = 0; i < links.tls_start.length; i++) {
    if (links.plain_start[i] < end && links.plain_end[i] > start) {
      records.push(tls.labels[dir].records.findIndex((r) => r.range.start === links.tls_start[i]));
    }
  }
  tlsWire.mark('linked', records.length ? dir : null, 0, 0, records);
}

// Decoding is its own step, run when a decoded body is shown. The first wasm
// package has no decoders; the build with them (www/pkg-decode) is loaded
// only now: brotli's dictionary alone would double the first download.
let decodeBuild;
async function decodeBody(m) {
  const { bytes, result } = onScreen().response;
  const body = bodyOf('response', m);
  const codings = headerValues(result, bytes, m, 'content-encoding');
  dispatch({ type: 'exchange/decoded', index: m.index, decoded: 'pending' });
  decodeBuild ??= import('../pkg-decode/wirepad.js').then(async (mod) => {
    await mod.default();
    return mod;
  });
  const d = (await decodeBuild).decode(body, codings);
  if (onScreen().response.result !== result) return; // a new exchange came meanwhile
  dispatch({ type: 'exchange/decoded', index: m.index, decoded: d });
  renderBodyPanel();
}

// ---- selection, hover, stepping ------------------------------------------------------

/** Selects the bytes from span a to span b of a wire (a drag). */
function selectRange(wire, a, b) {
  select(wire, Math.min(a, b));
  extendRange(wire, Math.max(a, b));
}

/** Extends the selected bytes of `wire` to span i (Shift+click, Shift+arrow). */
function extendRange(wire, i) {
  const result = onScreen()[wire].result;
  const { selected, range } = now().selection;
  if (!range || range.wire !== wire || !selected) return select(wire, i);
  if (!result || i < 0 || i >= result.spans.end.length) return;
  dispatch({ type: 'select/extend', wire, start: Math.min(selected.start, result.spans.start[i]), end: Math.max(selected.end, result.spans.end[i]), last: i });
}

/** Marks the selected bytes in `color` with the note typed in #mark-text. */
function addMark(color) {
  userActed();
  const r = now().selection.range;
  if (!r) {
    toast('Select some bytes first: click, Shift+click or drag in a wire');
    return;
  }
  dispatch({ type: 'marks/add', mark: { wire: r.wire, start: r.start, end: r.end, color, note: $('mark-text').value.trim() } });
  $('mark-text').value = '';
}

/** Forgets the selection (its bytes changed) and what the explanation panel said. */
const clearSelection = () => dispatch({ type: 'select/clear' });

/** Selects span `index` of `wire` (`step`: {n, total} when stepping reached it). */
function select(wire, index, step = null) {
  const result = onScreen()[wire].result;
  if (!result || index < 0 || index >= result.spans.end.length) return;
  userActed();
  const at = (wire === 'request' ? 0 : spanCount('request')) + index;
  // The body pane shows the body of the message selected.
  const m = wire === 'response' ? result.spans.message[index] : -1;
  const message = m !== -1 && result.messages[m] ? m : null;
  dispatch({ type: 'select/span', wire, index, start: result.spans.start[index], end: result.spans.end[index], step, at, message });
}

/**
 * What the selection shows (the topic `selection`): the selected bytes in
 * the wires, the tree's node (.sel), the explanation of the span (or of a
 * TLS span, with the HTTP bytes its record carried), the TLS records that
 * carried a span, the range's note, the zoom and the step label, over the
 * exchange on screen.
 */
function selectionView() {
  return {
    update(s, previous) {
      const sel = s.selection;
      const p = previous?.selection;
      if (sel === p) return;
      const { selected, range, tls } = sel;
      const changed = selected !== p?.selected || tls !== p?.tls;
      let carried = null;
      if (tls !== p?.tls) {
        tlsWire.mark('sel', null);
        tlsWire.mark('linked', null);
        if (tls) carried = showTls(tls);
      }
      if (range !== p?.range || changed) {
        const on = range ?? carried;
        for (const name of ['request', 'response']) wires[name].mark('sel', name === on?.wire ? on.start : null, on?.end);
        const r = range;
        $('range-note').textContent = r ? `Selected: ${r.wire} bytes ${r.start}–${r.end} (${r.end - r.start} bytes). Shift+click or drag to select more; a colour (or the keys 1–5) marks them.` : '';
        // A range extended: the span it reached is brought into view.
        if (r && !changed && r.last !== selected?.index) {
          const spans = onScreen()[r.wire].result?.spans;
          if (spans && r.last < spans.end.length) wires[r.wire].reveal(spans.start[r.last]);
        }
      }
      if (selected !== p?.selected) {
        tree.mark('sel', selected?.wire ?? null, selected?.start, selected?.end);
        if (selected) explainSelected(selected);
        updateZoom();
      }
      // Cleared: the panel says what to do, unless it shows something else now
      // (an error written since); an error shown before goes with the selection.
      if (p && !selected && !tls && !sel.aside && (p.selected || p.tls || p.aside)) {
        $('explain').replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Click any byte, or step through the framing.' }));
      }
      const total = sel.elements;
      $('step-label').textContent = stepText(selected) ?? (total ? `${total} elements: press Next` : 'Step through the framing');
    },
  };
}

/** Explains the selected span, brings it into view, and marks the TLS records that carried it. */
function explainSelected({ wire, index, start, end, step }) {
  const { bytes, result } = onScreen()[wire];
  if (!result || index >= result.spans.end.length) return;
  wires[wire].reveal(start);
  wires[wire].setActive(index, false);
  explainSpan($('explain'), { table, rfcUrl: wasm.rfc_url, notes: (i) => withParsed(wire, notesEnd(result, i, bytes.length), (p) => p.notes(i)), wire, bytes, result, index, step: step ?? undefined });
  explainValue($('explain'), { bytes, result, index, rfcUrl: wasm.rfc_url });
  linkTls(wire, start, end);
}

/** The options a wire's bytes are parsed with: a response stream answers the requests sent. */
function parseOptions(wire) {
  return wire === 'request' ? { kind: 'request' } : { kind: 'response', requests: onScreen().request.bytes };
}

/**
 * Puts new bytes on a wire with their parse: `parsed`, the core's Parsed
 * (kept for what the page asks later: notes, bodies), or null while a
 * response streams in (then `result` is the parse so far). `more`: the
 * action's other fields (`type` 'exchange/response' with its reads). The
 * Parsed it replaces is freed: nothing asks an old parse anything.
 */
function setWire(wire, bytes, parsed, result = parsed.result(), more = { type: 'exchange/wire' }) {
  freeParsed(wire);
  dispatch({ wire, bytes, result, parsed, ...more });
  // Stepping starts over, through the elements there are now.
  if (!more.sideWaits) countElements();
}

const countElements = () => dispatch({ type: 'select/elements', elements: spanCount('request') + spanCount('response') });

/**
 * The exchange drawn (the topic `exchange`): a wire whose bytes or parse
 * changed is drawn again, from the first byte that may differ when it is
 * the same response grown (firstChange); the tree, the diagnostics and the
 * body pane follow, but not while a big live response streams in
 * (`sideWaits`); the TLS records too.
 */
function exchangeView() {
  return {
    update(s, previous) {
      const e = s.exchange;
      const p = previous?.exchange;
      if (e === p) return;
      let side = !p;
      for (const name of ['request', 'response']) {
        const w = e[name];
        const was = p?.[name];
        if (w === was) continue;
        const grown = name === 'response' && was?.result && w.result && e.serial === p.serial && w.bytes.length >= was.bytes.length;
        renderWire(name, grown ? firstChange(was.result, w.result) : null);
        side ||= !w.sideWaits;
      }
      if (side) refreshSide();
      if (side || e.tls !== p?.tls) renderTls();
    },
  };
}

/** Calls fn once the next frame has drawn what was dispatched (for the timings). */
function afterDraw(fn) {
  const off = store.subscribe(() => {
    off();
    fn();
  });
}

/** Frees the core's parse of a wire's bytes, before they are replaced. */
const freeParsed = (wire) => onScreen()[wire].parsed?.free();

/**
 * `use(parsed)` with the core's parse of a wire's bytes up to `end` (the
 * prefix holds the same spans and messages, the span rule): the wire's own
 * Parsed, or while a response streams in, one made for the call.
 */
function withParsed(wire, end, use) {
  const w = onScreen()[wire];
  if (w.parsed) return use(w.parsed);
  const p = new wasm.Parsed(w.bytes.subarray(0, end), parseOptions(wire));
  try {
    return use(p);
  } finally {
    p.free();
  }
}

/**
 * Message m's de-framed body: a body in one piece (Content-Length, or until
 * close) is its range of the wire's bytes, where the core says it lies
 * (not copied: it may be megabytes); chunks come joined from the core.
 */
function bodyOf(wire, m) {
  const { bytes, result } = onScreen()[wire];
  const [a, b] = m.body;
  if (a === b) return new Uint8Array();
  if (b - a === 1) return bytes.subarray(result.body.start[a], result.body.end[a]);
  return withParsed(wire, m.end, (p) => p.body(m.index));
}

function hover(wire, index) {
  const result = onScreen()[wire].result;
  const valid = index !== null && result && index < result.spans.end.length;
  tree.mark('hl', valid ? wire : null, valid ? result.spans.start[index] : null, valid ? result.spans.end[index] : null);
}

/**
 * Steps `delta` elements: through the request, then the response; with
 * `only` ('request' or 'response'), within that wire (starting at its first element).
 */
function stepBy(delta, only = null) {
  const requestSpans = spanCount('request');
  const total = requestSpans + spanCount('response');
  if (!total) return;
  let [lo, hi] = [0, total];
  if (only) [lo, hi] = only === 'request' ? [0, requestSpans] : [requestSpans, total];
  if (hi === lo) return;
  const at = now().selection.step;
  const inside = at >= lo && at < hi;
  const to = Math.max(lo, Math.min(hi - 1, inside ? at + delta : delta > 0 ? lo : hi - 1));
  const wire = to < requestSpans ? 'request' : 'response';
  const index = wire === 'request' ? to : to - requestSpans;
  select(wire, index, { n: index + 1, total: spanCount(wire) });
}

/** Where stepping is, in words: "response 3 / 48" (from the selection, never from the page). */
const stepText = (sel) => (sel?.step ? `${sel.wire} ${sel.step.n} / ${sel.step.total}` : null);

// ---- sending -----------------------------------------------------------------------------

function clearResponse(why) {
  // A new exchange: a selection in the old response (or an old relay error
  // in the explanation) would describe bytes that are gone.
  const kept = now().selection.selected?.wire === 'request' ? now().selection.selected : null;
  stopExercise();
  clearSelection();
  // The response goes, and with it its marks, reads, TLS and decoded bodies.
  freeParsed('response');
  dispatch({ type: 'exchange/response-cleared' });
  countElements();
  state.session?.close();
  state.session = null;
  log.queue = [];
  $('events').textContent = '';
  if (why) logEvent(why);
  if (kept) select(kept.wire, kept.index);
}

// While a big response streams in, the log is drawn at most four times a
// second (`log.holding`, set by send): a frame for every read would hold up
// the bytes themselves. Otherwise an event shows at once.
const log = { queue: [], timer: 0, holding: null };

function logEvent(text, cls) {
  const li = document.createElement('li');
  li.textContent = text;
  if (cls) li.className = cls;
  log.queue.push(li);
  if (!log.holding?.()) flushLog();
  else if (!log.timer) log.timer = setTimeout(flushLog, 250);
}

function flushLog() {
  clearTimeout(log.timer);
  log.timer = 0;
  if (!log.queue.length) return;
  const list = $('events');
  list.append(...log.queue);
  log.queue = [];
  // One scroll per frame, not one forced layout per event.
  cancelAnimationFrame(flushLog.frame);
  flushLog.frame = requestAnimationFrame(() => {
    list.parentElement.scrollTop = list.parentElement.scrollHeight;
  });
}

async function send() {
  if (state.relay === undefined) state.relay = await relayInfo();
  if (!state.relay) {
    explainAside('No relay', 'This page was opened without `wirepad serve`, so it cannot open connections: browsers cannot open raw TCP sockets themselves. Run `make serve` and open the page it prints, or pick a recorded exchange under Preset, or load a capture file.');
    logEvent('cannot send: no relay', 'error');
    return;
  }
  userActed();
  clearResponse();
  mark('sendStart');
  const { host, port, scheme } = target();
  const request = onScreen().request.bytes;
  // The live exchange is one wasm Session: the relay WebSocket, TLS for
  // https (www/pkg-tls, loaded only now: the relay forwards only the
  // records) and the response parser; it says what changed (onChange).
  let tls = null;
  let session;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/relay?host=${encodeURIComponent(host)}&port=${encodeURIComponent(port)}`;
  try {
    if (scheme === 'https') {
      const mod = await tlsBuild();
      const buffer = () => ({ bytes: new Uint8Array(4096), length: 0 });
      // The TLS bytes each way, and the order they crossed in (for #tls-wire).
      tls = { mod, session: null, up: buffer(), down: buffer(), chunks: [], info: null, labels: null, links: null };
      session = new mod.Session(url, request, { host, trust: state.relay.trust_ca ?? [] }, (c) => onChange(c));
      tls.session = session;
    } else {
      session = new wasm.Session(url, request, null, (c) => onChange(c));
    }
  } catch (e) {
    if (tls) tlsFailed(e);
    else logEvent(`cannot open the relay session: ${e?.message ?? e}`, 'error');
    return;
  }
  dispatch({ type: 'exchange/sent', to: targetKey(), tls });
  const requestCount = onScreen().request.result.messages.length;
  // The response bytes, in a buffer that grows by doubling.
  let buffer = new Uint8Array(64 << 10);
  let total = 0;
  let scheduled = 0;
  let finished = false;
  let parserDone = false;
  // Each paint dispatches the response so far; the exchange view draws it
  // again from where it changed (firstChange).
  const paint = () => {
    scheduled = 0;
    const bytes = buffer.subarray(0, total);
    let result = session.result();
    let parsed = null;
    if (!finished && requestCount && responsesDone(result, requestCount) && state.session === session) {
      // Every request has its complete response: a browser would stop
      // reading here too, so the page closes the connection itself.
      finished = true;
      if (tls) {
        // Over TLS the page says so first (close_notify, RFC 8446 §6.1) and
        // lets the server close, so that every record it sent is seen.
        logEvent('every response is complete: the page ends the TLS session (close_notify)');
        session.tls_close();
        setTimeout(() => session.open() && session.close(), 2000);
      } else if (lastFinal(result)?.closes) {
        // The last response says the connection closes after it
        // (Connection: close, or HTTP/1.0 without keep-alive): closing is
        // the server's to do (RFC 9112 §9.6). The page waits for it, and
        // closes itself only if the server does not keep its word.
        logEvent('every response is complete, and the last says the connection closes after it: the server closes it');
        setTimeout(() => {
          if (!session.open()) return;
          logEvent('the server did not close the connection as its response said: the page closes it');
          session.close();
        }, 2000);
      } else {
        logEvent('every response is complete: the page closes the connection');
        state.session = null;
        session.close();
      }
    }
    if (finished) {
      parserDone = true;
      parsed = session.finish(); // labels a line cut short, reports an incomplete message
      result = parsed.result();
    }
    // While a big response streams in, only its wire is redrawn; the tree,
    // diagnostics and body wait for the end.
    setWire('response', bytes, parsed, result, { type: 'exchange/wire', sideWaits: !finished && total >= 1 << 18 });
    flushLog();
    if (finished) {
      afterResponse();
      afterDraw(() => mark('responseAnnotated'));
    }
  };
  const grow = (size) => {
    if (size <= buffer.length) return;
    const grown = new Uint8Array(size);
    grown.set(buffer.subarray(0, total));
    buffer = grown;
  };
  log.holding = () => state.session === session && !finished && total > 1 << 18;
  logEvent(`sending ${request.length} bytes to ${host}:${port} through the relay${tls ? ', encrypted with TLS by this page' : ''}`);
  state.session = session;

  /** What the session says changed (see src/wasm/session.rs). */
  function onChange(c) {
    if (c.type === 'plain') onPlain(c.bytes, c.change);
    else if (c.type === 'event') onEvent(c.event);
    else if (c.type === 'tls') {
      appendBytes(c.dir === 'up' ? tls.up : tls.down, c.bytes);
      tls.chunks.push({ dir: c.dir, length: c.bytes.length });
    } else if (c.type === 'handshake') {
      tls.info = c.info;
      const certs = tls.info.certificates;
      logEvent(`TLS handshake done: ${tls.info.version}, ${tls.info.cipher_suite}, ALPN ${tls.info.alpn ?? 'not agreed'}, ${certs.length} certificate${certs.length === 1 ? '' : 's'} verified`);
      const day = (t) => new Date(t * 1000).toISOString().slice(0, 10);
      certs.forEach((x, i) => logEvent(`certificate ${i + 1}: ${x.subject}, issued by ${x.issuer}, valid ${day(x.not_before)} to ${day(x.not_after)}${x.names.length ? `, for ${x.names.join(', ')}` : ''}`, 'cert'));
      renderTls();
    } else if (c.type === 'tls-error') {
      tlsFailed(c.failure);
      renderTls();
    } else if (c.type === 'protocol-error') logEvent(`the relay's message could not be read: ${c.message}`, 'error');
    else if (c.type === 'socket-closed') onEvent({ type: 'socket-closed', code: c.code, reason: c.reason });
  }

  function onPlain(data, change) {
    if (parserDone) return;
    if (!total) mark('firstByte');
    mark('lastByte');
    // A body of known length (the core says where its message ends): the
    // buffer takes its whole size at once rather than doubling (and
    // copying) as the bytes come; no more than the relay forwards by
    // default (64 MiB), whatever the header claims.
    if (change.until !== null) grow(Math.min(change.until, 64 << 20));
    if (total + data.length > buffer.length) grow(Math.max(buffer.length * 2, total + data.length));
    buffer.set(data, total);
    total += data.length;
    if (requestCount && change.finals >= requestCount) {
      // The last response is complete: paint now, not at the next tick.
      clearTimeout(scheduled);
      paint();
    } else if (!scheduled) {
      // A big response, or one whose Content-Length says much more is on
      // its way, is painted four times a second while it streams in, not
      // at once: a paint holds up the bytes behind it.
      const big = total >= 1 << 18 || (change.until !== null && change.until - total >= 1 << 18);
      scheduled = setTimeout(paint, big ? 250 : 30);
    }
  }

  function onEvent(e) {
    if (e.type === 'connected') logEvent(`connected to ${e.address} (resolved: ${e.resolved.join(', ')}) in ${e.ms} ms`);
    else if (e.type === 'read') {
      // Reads of TLS records do not line up with the plaintext: they are only listed.
      if (!tls) dispatch({ type: 'exchange/read', read: e });
      logEvent(`read ${e.seq}: ${e.bytes} ${tls ? 'TLS ' : ''}bytes at ${e.ms} ms`);
    } else if (e.type === 'closed') {
      logEvent(`closed by ${e.by}${e.limit ? ` (${e.limit})` : ''} after ${e.ms} ms: ${e.bytes_up} bytes sent, ${e.bytes_down} received`);
      // The last records (close_notify each way) crossed after the last paint.
      if (tls && onScreen().tls === tls) renderTls();
    } else if (e.type === 'error') {
      logEvent(`error ${e.code}: ${e.message}`, 'error');
      const practice = state.relay?.practice;
      const unreachable = ['dns-failed', 'connect-refused', 'connect-timeout', 'connect-failed'].includes(e.code);
      // Without internet the classic request cannot reach example.org:
      // offer the practice server, which runs beside the relay.
      const action = unreachable && practice && !(host === practice.host && port === practice.port)
        ? { id: 'use-practice', label: `Send it to the practice server instead (${practice.host}:${practice.port})`, run: () => {
            setTarget(practice.host, practice.port);
            requestChanged(onScreen().request.bytes);
            send();
          } }
        : null;
      const known = table.relayErrors.get(e.code);
      explainAside(known?.title ?? 'The relay reported an error', `${e.message}. ${known ? `${known.text} (${known.rfc})` : ''}`, action);
    } else if (e.type === 'socket-closed') {
      if (state.session === session) state.session = null;
      if (!finished) {
        finished = true;
        clearTimeout(scheduled);
        paint();
      }
    }
  }
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
    const lessons = document.createElement('optgroup');
    lessons.label = 'Lessons';
    for (const l of await Lesson.list()) lessons.append(new Option(l.title, `lesson:${l.id}`));
    if (lessons.children.length) $('preset').append(lessons);
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
  dispatch({ type: 'marks/set', marks: c.marks });
  if (c.response?.length) {
    showResponse(c.response, c.reads);
    const n = onScreen().response.result.messages.length;
    logEvent(`loaded a capture: ${c.response.length} response bytes in ${n} message${n === 1 ? '' : 's'}${c.reads.length ? `, ${c.reads.length} reads` : ''}`);
  }
  afterDraw(() => mark('captureAnnotated'));
}

/**
 * Shows response bytes that did not come through the relay (a capture, a
 * link, the teacher's page); `fresh` false: more bytes of the one shown.
 */
function showResponse(bytes, reads, fresh = true) {
  const parsed = new wasm.Parsed(bytes, parseOptions('response'));
  setWire('response', bytes, parsed, parsed.result(), { type: 'exchange/response', reads, fresh });
  afterResponse();
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
    mark('captureStart');
    if (file) loadCapture(new Uint8Array(await file.arrayBuffer()));
  });
}

// ---- the server check -------------------------------------------------------------------

/**
 * Runs the server check (the suite of `wirepad check`, from www/pkg-check)
 * against the target in the toolbar, through the relay, asking for the
 * path of the request composed (its target when in origin-form, else /).
 */
async function runCheck() {
  if (state.relay === undefined) state.relay = await relayInfo();
  if (!state.relay) {
    explainAside('No relay', 'The server check opens a connection for every check, through the relay of `wirepad serve`: open the page it prints. Or run the same checks from a terminal: `wirepad check http://HOST:PORT/`.');
    return;
  }
  const { host, port, scheme } = target();
  if (scheme === 'https') {
    explainAside('The server check speaks plain HTTP', 'Its requests are written byte by byte in plain HTTP, as `wirepad check` writes them: untick TLS and give the port where the server speaks http.');
    return;
  }
  if (!host) {
    explainAside('Which server?', 'Type the host and port of the server to check in the toolbar, then press Check.');
    return;
  }
  userActed();
  const m = onScreen().request.result?.messages[0];
  const requested = m?.target ? text(onScreen().request.bytes, m.target) : '';
  const path = requested.startsWith('/') ? requested : '/';
  const name = host.includes(':') ? `[${host}]` : host;
  const authority = port === 80 ? name : `${name}:${port}`;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/relay?host=${encodeURIComponent(host)}&port=${encodeURIComponent(port)}`;
  collapse('compose', false); // the check takes the compose panel's place
  await checkPanel.run(await checkBuild(), { url, authority, path, label: `http://${authority}${path}` });
}

/** Shows a check's exchange in the wires, and its rule in the explanation. */
function showCheck(o) {
  userActed();
  if (o.connected) {
    $('preset').value = 'custom';
    state.loading = true;
    compose.setBytes(o.sent);
    state.loading = false;
    clearResponse();
    logEvent(`check ${o.id}: ${o.sent.length} bytes sent, ${o.received.length} received${o.closed ? ', then the server closed the connection' : ''}`);
    if (o.received.length) showResponse(o.received, []);
  }
  dispatch({ type: 'explain/aside' });
  explainCheck($('explain'), { outcome: o, rfcUrl: wasm.rfc_url });
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
    explainAside(what, text);
  }
}

function offerTargets() {
  const list = $('host-list');
  list.textContent = '';
  const p = state.relay?.practice;
  if (p) list.append(new Option(`practice server (${p.host}:${p.port})`, p.host));
  list.append(new Option('example.org (port 80)', 'example.org'));
  if (p && state.target.practiceGuess) setTarget(p.host, p.port);
}

/** The export of the request as `what` ('python', 'curl', 'raw'), shown in #export-code before it is copied. */
function exportText(what) {
  const { host, port } = target();
  const { bytes, result } = onScreen().request;
  if (what === 'python') {
    const methods = result.messages.map((m) => text(bytes, m.method) || 'GET');
    return ['Python socket code', pythonSnippet(host, port, bytes, methods.length ? methods : ['GET'])];
  }
  if (what === 'curl') {
    const m = result.messages[0];
    if (!m) return ['curl command', '# There is no request to export.'];
    const request = { method: text(bytes, m.method), target: text(bytes, m.target), version: text(bytes, m.version), headers: headerPairs(result, bytes, m) };
    // What curl cannot say, said before the command.
    const notes = [];
    if (result.messages.length > 1) notes.push(`curl sends one request; these bytes hold ${result.messages.length} (only the first is here).`);
    if (result.diagnostics.some((d) => d.code === 'bare-lf')) notes.push('curl ends every line with CRLF; the bare LF line ends of these bytes are lost.');
    if (result.diagnostics.some((d) => d.code === 'obs-fold')) notes.push('curl cannot send a folded field line; the value is sent on one line.');
    if (result.verdict === 'error') notes.push('These bytes are not a valid request; curl sends a valid one built from what could be read.');
    notes.push('curl orders the fields its own way (Host first).');
    return ['curl command', curlCommand(host, port, request, bodyOf('request', m), notes)];
  }
  return ['Raw bytes', rawText(bytes)];
}

/** The export on show in #export: [title, code], what Copy copies. */
let exported = ['', ''];

function showExport(what) {
  exported = exportText(what);
  const [title, code] = exported;
  $('export-title').textContent = title;
  $('export-code').textContent = code;
  $('export').showModal();
}

/** Collapses a panel to its heading (or opens it again). */
function collapse(panel, collapsed) {
  const section = document.querySelector(`.panel.${panel}`);
  section.toggleAttribute('data-collapsed', collapsed);
  const b = section.querySelector('.collapse');
  b.setAttribute('aria-expanded', String(!collapsed));
  b.textContent = collapsed ? '▸' : '▾';
}

/** The zoom: the selected element's bytes large, with its kind, for the back row. */
function updateZoom() {
  const view = $('zoom-view');
  const on = now().view.zoom;
  const sel = now().selection.selected;
  view.hidden = !on;
  if (!on) return;
  if (!sel) {
    view.replaceChildren(Object.assign(document.createElement('span'), { className: 'zoom-kind', textContent: 'Select an element to see it here, large.' }));
    return;
  }
  const { bytes, result } = onScreen()[sel.wire];
  const start = result.spans.start[sel.index];
  const end = Math.min(result.spans.end[sel.index], start + 200);
  const kind = result.spans.kinds[result.spans.kind[sel.index]];
  const title = Object.assign(document.createElement('span'), { className: 'zoom-kind', textContent: `${table.kinds.get(kind).title} (${kind}) · ${sel.wire} bytes ${start}–${result.spans.end[sel.index]}` });
  const text = Object.assign(document.createElement('span'), { className: `k-${kind}` });
  appendChips(text, bytes, start, end);
  if (end < result.spans.end[sel.index]) text.append('…');
  view.replaceChildren(title, text);
}

// ---- lessons ---------------------------------------------------------------------------

async function openLesson(id) {
  try {
    await lesson.open(id);
    // In a class room the address stays its join link (a reload comes back to the room).
    if (!now().class.code) history.replaceState(null, '', `#lesson=${encodeURIComponent(id)}`);
  } catch (e) {
    explainAside('This lesson cannot be opened', e.message);
  }
}

/** Applies a lesson step: its request, what to look at, its exercise or prediction. */
function applyStep(step) {
  dispatch({ type: 'predict/show', predict: step?.predict ?? null });
  if (step?.request) {
    const r = step.request;
    const practice = state.relay?.practice;
    if (r.practice) setTarget(practice?.host ?? '127.0.0.1', practice?.port ?? 8081);
    else setTarget(r.target, r.port ?? 80);
    $('preset').value = 'custom';
    compose.setBytes(Uint8Array.from(r.text, (c) => c.charCodeAt(0)));
  }
  // A recorded response ({text} or {base64}) is shown at once, no network needed.
  const recorded = step?.response;
  if (recorded) showResponse(Uint8Array.from(recorded.text ?? atob(recorded.base64), (c) => c.charCodeAt(0)), []);
  applyLook();
}

/** Marks what the lesson step says to look at, in the request and the response on screen. */
function applyLook() {
  // A follower's lesson is the teacher's: its marks come with the teacher's view.
  const lessonOn = now().teaching.lesson;
  const look = lessonOn?.own && lessonOn.step?.look;
  if (!look) return;
  const marks = [];
  look.forEach((l, i) => {
    const { bytes, result } = onScreen()[l.wire];
    const range = partRange(result, bytes, l.wire, l.part);
    if (range) marks.push({ wire: l.wire, start: range[0], end: range[1], color: (i % MARK_COLORS) + 1, note: l.note ?? l.part });
  });
  dispatch({ type: 'marks/set', marks });
}

/** A response is complete: the lesson's marks on it, and the prediction checked. */
function afterResponse() {
  applyLook();
  const p = now().teaching.predict;
  if (p) dispatch({ type: 'predict/checked', actual: predictionActual(p.ask, onScreen().response.result) });
}

// ---- the "name the parts" exercise ------------------------------------------------------

// Exercise ids stay unique across reloads of a teacher's page: the room
// keeps the answers to earlier exercises, tallied by their id.
let exerciseSerial = Date.now();

/** Where a page is in its lesson, for the teacher's roster: "3/7 · Caching" ('' without one). */
function stepLabelOf(s) {
  const l = s.teaching.lesson;
  return l && !l.mistakes ? `${l.at + 1}/${l.count} · ${l.title}`.slice(0, 80) : '';
}

/**
 * Starts an exercise on the current exchange: the response's parts (the
 * request's without one). A follower's answers the teacher's (teacherId); a
 * teacher's page that reloaded takes its running exercise back as it was
 * (id: the room kept the followers' answers by it).
 */
function startExercise(parts, { id = ++exerciseSerial, teacherId = null } = {}) {
  const wire = onScreen().response.result?.messages.length ? 'response' : 'request';
  const { bytes, result } = onScreen()[wire];
  const questions = exerciseQuestions(result, bytes, wire, parts);
  if (!questions.length) {
    toast('There is nothing to ask yet: send a request or load an exchange first');
    return;
  }
  userActed();
  clearSelection();
  for (const name of ['request', 'response']) wires[name].setActive(null, false);
  dispatch({ type: 'exercise/start', id, parts, questions, teacherId });
}

/** A click on span i of a wire during an exercise: right, or what it was instead. */
function answer(wire, i) {
  const ex = now().exercise;
  const q = ex.questions[ex.at];
  if (!q) return;
  // After a right answer the next click (or Enter on a wire) goes on to the
  // next question, as Next does: it answers nothing.
  if (ex.answered) {
    dispatch({ type: 'exercise/next' });
    return;
  }
  const { bytes, result } = onScreen()[wire];
  const sp = spanOf(result, i);
  const what = describeSpan(result, bytes, sp, new Map([...table.kinds].map(([k, v]) => [k, v.title])));
  const right = answers(q, { wire, start: sp.start, end: sp.end });
  // In a class, a student's first answer to each question goes to the teacher.
  if (!ex.tried && ex.teacherId) classroom.answer({ exercise: ex.teacherId, q: ex.at, ask: q.ask, right, clicked: right ? null : what });
  const size = sp.kind === 'chunk-size' ? ` 0x${text(bytes, [sp.start, sp.end])} is ${parseInt(text(bytes, [sp.start, sp.end]), 16)} in decimal.` : '';
  dispatch({ type: 'exercise/answer', wire, start: sp.start, end: sp.end, what, why: `${table.kinds.get(sp.kind).text}${size}` });
}

/**
 * The teacher revealed the answers (#class-reveal): every part asked is
 * marked, and the questions end (a click answers nothing any more).
 */
function revealExercise() {
  const ex = now().exercise;
  if (!ex || ex.revealed) return;
  dispatch({ type: 'exercise/reveal', teacher: now().class.role === 'teacher' });
}

const stopExercise = () => dispatch({ type: 'exercise/stop' });

// ---- a live class (class.js) ---------------------------------------------------------

/** A follower acted on its own page: it stops mirroring the teacher's. */
function userActed() {
  if (!state.mirroring) classroom?.touched();
}

/** Runs `show` as the teacher's page's doing, not the student's. */
function mirror(show) {
  state.mirroring = true;
  try {
    show();
  } finally {
    state.mirroring = false;
  }
}

/** The teacher puts a student's request on its page (and so on every following student's). */
function showStudentRequest(r) {
  setTarget(r.host, r.port);
  $('preset').value = 'custom';
  compose.setBytes(r.request);
  toast("A student's request, now on every screen");
}

/** A follower shows the teacher's exchange: its target, request and response. */
function showExchange(ex, response, reads) {
  setTarget(ex.host ?? '', ex.port ?? 80, ex.scheme);
  $('preset').value = 'custom';
  state.loading = true;
  compose.setBytes(fromBase64url(ex.request ?? ''));
  state.loading = false;
  clearResponse();
  if (response.length) showResponse(response, reads);
}

// A class mirrors a response up to this size (a room message carries at most 16 MiB).
const MIRROR_MAX = 8 << 20;

// What the room was last sent: the exchange (by its parts), how many of its
// response bytes and reads, and the view as JSON.
const published = { id: 0, request: null, host: null, port: null, scheme: null, serial: -1, sent: 0, reads: 0, view: '' };

/**
 * A teacher's page that came back (a reload, a lost network) shows what the
 * room kept of exchange `id`: that is what the room was sent. Sending it
 * again as a new exchange would restart what every follower is doing.
 */
function sentBefore(id) {
  const { host, port, scheme } = target();
  Object.assign(published, { id, request: onScreen().request.bytes, host, port, scheme, serial: onScreen().serial, sent: onScreen().response.bytes.length, reads: onScreen().reads.length });
}

/** The teacher's page changed: followers get what changed, at most every 40 ms. */
function publish() {
  if (!classroom?.teaching || publish.timer) return;
  publish.timer = setTimeout(() => {
    publish.timer = 0;
    publishNow();
  }, 40);
}

function publishNow() {
  if (!classroom?.teaching) return;
  const p = published;
  const { host, port, scheme } = target();
  const response = onScreen().response.bytes.subarray(0, MIRROR_MAX);
  const same = p.request === onScreen().request.bytes && p.host === host && p.port === port && p.scheme === scheme && p.serial === onScreen().serial && response.length >= p.sent;
  if (!same) {
    p.id++;
    classroom.exchange(p.id, { host, port, scheme, request: onScreen().request.bytes, response, reads: onScreen().reads });
    Object.assign(p, { request: onScreen().request.bytes, host, port, scheme, serial: onScreen().serial, sent: response.length, reads: onScreen().reads.length });
  } else if (response.length > p.sent) {
    classroom.append(p.id, response.subarray(p.sent), onScreen().reads.slice(p.reads));
    p.sent = response.length;
    p.reads = onScreen().reads.length;
  }
  const ex = now().exercise;
  const view = {
    id: p.id,
    exercise: ex && { id: ex.id, parts: ex.parts, questions: ex.questions.map((q) => ({ ask: q.ask, prompt: q.prompt })), revealed: Boolean(ex.revealed) },
    pacing: now().class.pacing,
    cut: onScreen().response.bytes.length > MIRROR_MAX ? onScreen().response.bytes.length : null,
    // The store's declared slice (reducers.js, roomSlice): the view settings,
    // the marks, the lesson step with its prose, the prediction question. A follower
    // dispatches it as it comes; a field added to roomSlice is mirrored.
    slice: roomSlice(now()),
  };
  const json = JSON.stringify(view);
  if (json !== p.view) {
    classroom.view(view);
    p.view = json;
  }
}

/** A follower shows the teacher's view of the exchange on screen. */
function applyView(v) {
  if (v.cut) dispatch({ type: 'class/note', note: `The teacher's response is ${v.cut} bytes; a class mirrors the first ${MIRROR_MAX} (Send it yourself to see it all).` });
  if (v.exercise && now().exercise?.teacherId !== v.exercise.id) {
    // A teacher's page that reloaded takes its running exercise back as it
    // was: the followers answer it, and the room kept their answers by its id.
    startExercise(v.exercise.parts, { teacherId: v.exercise.id, ...(now().class.role === 'teacher' && { id: v.exercise.id }) });
  } else if (!v.exercise && now().exercise?.teacherId) stopExercise();
  if (v.exercise?.revealed && now().exercise?.teacherId === v.exercise.id) revealExercise();
  if (v.slice) {
    const { teaching, selection, ...rest } = v.slice;
    // A teacher's page that reloaded takes back what it showed, but not its
    // lesson: that is its own to reopen (a mirrored one could not be moved).
    // During an exercise the teacher's selection would give the answers away.
    dispatch({ type: 'room/mirror', slice: { ...rest, ...(now().class.role !== 'teacher' && { teaching }), ...(!now().exercise && { selection }) } });
  }
}

function setupToolbar() {
  $('preset').append(new Option('(your own request)', 'custom'));
  PRESETS.forEach((p, i) => $('preset').append(new Option(p.name, String(i))));
  $('preset').addEventListener('change', () => {
    const v = $('preset').value;
    if (v.startsWith('example:')) loadExample(v.slice('example:'.length));
    else if (v.startsWith('lesson:')) openLesson(v.slice('lesson:'.length));
    else if (v !== 'custom') loadPreset(Number(v));
  });
  for (const id of ['host', 'port', 'tls']) $(id).addEventListener('input', targetEdited);
  $('host').addEventListener('change', () => {
    targetEdited();
    targetTyped();
    requestChanged(onScreen().request.bytes);
  });
  $('port').addEventListener('change', () => {
    targetEdited();
    requestChanged(onScreen().request.bytes);
  });
  $('tls').addEventListener('change', () => {
    targetEdited();
    const { host, port, scheme } = state.target;
    const https = scheme === 'https';
    setTarget(host, https && port === 80 ? 443 : !https && port === 443 ? 80 : port, scheme);
    requestChanged(onScreen().request.bytes);
  });
  $('send').addEventListener('click', send);
  $('check-run').addEventListener('click', runCheck);
  $('share').addEventListener('click', () => {
    // The link carries the response too (up to 64 KiB) and the marks.
    const response = onScreen().response.bytes;
    const hash = makeHash({ ...target(), request: onScreen().request.bytes, response, marks: now().marks, exercise: now().exercise?.parts ?? null });
    copy(`${location.origin}${location.pathname}${hash}`, 'Share link');
    if (response.length > LINK_RESPONSE_MAX) toast(`The response is over 64 KiB, too large for a link: the link opens the request (and its marks); Save a capture file to share the response.`);
  });
  // A pick by mouse opens the export at once; arrow keys only move through
  // the choices (Chromium fires change on each), and Enter opens the one shown.
  const copyAs = $('copy-as');
  let stepping = false;
  const exportPicked = () => {
    const what = copyAs.value;
    copyAs.value = '';
    if (what) showExport(what);
  };
  copyAs.addEventListener('keydown', (e) => {
    stepping = ['ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(e.key);
    if (e.key === 'Enter' && copyAs.value) {
      e.preventDefault();
      exportPicked();
    }
  });
  copyAs.addEventListener('change', () => {
    if (!stepping) exportPicked();
    stepping = false;
  });
  copyAs.addEventListener('blur', () => {
    stepping = false;
    copyAs.value = '';
  });
  $('export-copy').addEventListener('click', () => copy(exported[1], exported[0]));
  $('save').addEventListener('click', () => {
    const json = captureJSON({ host: target().host, port: target().port, request: onScreen().request.bytes, response: onScreen().response.bytes, reads: onScreen().reads, marks: now().marks });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    a.download = 'wirepad-exchange.json';
    a.click();
    URL.revokeObjectURL(a.href);
  });
  $('load').addEventListener('change', async () => {
    const file = $('load').files[0];
    mark('captureStart');
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
  toggle('projector', (on) => {
    const was = document.body.classList.contains('projector');
    document.body.classList.toggle('projector', on);
    // Entering projector mode gives the wires the room; every panel can be opened again.
    if (on && !was) for (const panel of ['compose', 'connection', 'body-panel']) collapse(panel, true);
    if (!on && was) for (const panel of ['compose', 'connection', 'body-panel', 'side']) collapse(panel, false);
    if (wires) {
      renderWire('request');
      renderWire('response');
    }
  });
  for (const b of document.querySelectorAll('.panel .collapse')) {
    b.addEventListener('click', () => collapse(b.dataset.panel, b.getAttribute('aria-expanded') === 'true'));
  }
  $('zoom').addEventListener('click', () => dispatch({ type: 'view/zoom', zoom: !now().view.zoom }));
  toggle('labels', (on) => document.body.classList.toggle('labels', on));
  toggle('theme', (on) => {
    document.documentElement.dataset.theme = on ? 'dark' : 'light';
    $('theme').textContent = on ? 'Light' : 'Dark';
  });
  $('step-prev').addEventListener('click', () => stepBy(-1));
  $('step-next').addEventListener('click', () => stepBy(1));
}

function toggleShortcuts() {
  const d = $('shortcuts');
  if (d.open) d.close();
  else d.showModal();
}

/**
 * Keys on a wire that has focus (a listbox): ←/→ the previous or next
 * element, ↑/↓ the first element of the line above or below, Home/End the
 * first or last; outside an exercise the element reached is selected (and
 * explained). In an exercise the keys only move the keyboard's place (nothing
 * is explained), and Enter (or Space) answers with the element it is on.
 * Returns whether the key was one of these.
 */
function wireKey(e) {
  const el = e.target.closest?.('#request-wire, #response-wire');
  if (!el || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return false;
  const name = el.id.replace('-wire', '');
  const wire = wires[name];
  if (now().exercise && (e.key === 'Enter' || e.key === ' ')) {
    if (wire.active === null) dispatch({ type: 'exercise/keys' });
    else answer(name, wire.active);
    return true;
  }
  let to;
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    // Outside an exercise ←/→ step the framing (stepBy), as before.
    if (!now().exercise) return false;
    to = wire.step(e.key === 'ArrowRight' ? 1 : -1);
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') to = wire.stepLine(e.key === 'ArrowDown' ? 1 : -1);
  else if (e.key === 'Home') to = wire.spanCount() ? 0 : null;
  else if (e.key === 'End') to = wire.spanCount() ? wire.spanCount() - 1 : null;
  else return false;
  if (to === null) return true;
  if (now().exercise) wire.setActive(to);
  else if (to !== now().selection.selected?.index || now().selection.selected?.wire !== name) select(name, to);
  return true;
}

function setupKeys() {
  document.addEventListener('keydown', (e) => {
    const typing = e.target.closest('input, textarea, select');
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    } else if (!typing && e.shiftKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft') && now().selection.range) {
      // Shift+arrow: the selected bytes grow (or shrink) by one element.
      e.preventDefault();
      const { range } = now().selection;
      extendRange(range.wire, range.last + (e.key === 'ArrowRight' ? 1 : -1));
    } else if (!typing && /^[1-9]$/.test(e.key) && Number(e.key) <= MARK_COLORS && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      addMark(Number(e.key));
    } else if (!typing && wireKey(e)) {
      e.preventDefault();
    } else if (!typing && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      // The wire that has focus is the one stepped; elsewhere, the request first.
      const focused = e.target.closest?.('#request-wire, #response-wire');
      stepBy(e.key === 'ArrowRight' ? 1 : -1, focused ? focused.id.replace('-wire', '') : null);
    } else if (!typing && e.key === '?') {
      e.preventDefault();
      toggleShortcuts();
    }
  });
  $('help').addEventListener('click', toggleShortcuts);
  $('exercise').addEventListener('click', () => startExercise($('exercise-parts').value));
  $('lesson-exercise').addEventListener('click', () => startExercise(now().teaching.lesson?.step?.exercise ?? 'all'));
  $('predict').addEventListener('click', () => dispatch({ type: 'predict/show', predict: now().teaching.predict ? null : { ask: null } }));
  for (let c = 1; c <= MARK_COLORS; c++) $(`mark-${c}`).addEventListener('click', () => addMark(c));
  $('mark-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      addMark(1);
    }
  });
  // Load is a button for the hidden file input.
  $('load-button').addEventListener('click', () => $('load').click());
}

main().catch((e) => {
  document.body.prepend(Object.assign(document.createElement('p'), { className: 'note', textContent: `wirepad could not start: ${e.message}. Was the wasm package built (make build)?` }));
  throw e;
});
