// The page's reducers, one per topic (docs/architecture.md): pure functions
// (state, action) -> state, with no DOM, network or storage, so that Node
// tests them (tests/page/store.test.mjs). A reducer returns the state it was
// given when an action changes nothing: the store then draws nothing.
//
// Topics: `view` (how the bytes are shown), `teaching` (the lesson and the
// prediction), `marks`, `selection` (with the byte range and stepping),
// `exercise`, `exchange` (the wires' bytes and parses, the reads, TLS) and
// `class` (the class room, as its messages and the teacher's or student's
// buttons leave it). What a reducer needs to know of the bytes comes with
// the action (a span's bytes, how many elements there are, the exercise's
// questions): reducers hold parses by reference and never read into them.

export const initialState = {
  view: {
    hex: false, // the wires in hex (true) or text
    bodyMode: 'raw', // the body pane: 'wire' | 'raw' | 'decoded' | 'preview'
    zoom: false, // the selected element shown large, for the back row
  },
  teaching: {
    // The lesson step on screen: {id, title, at, count, step, own, mistakes},
    // or null. `step` is the step as the lesson file has it (text, request,
    // look, exercise, predict); `own`: this page opened the lesson (a
    // follower's mirrors the teacher's, and cannot move it); `mistakes`: why
    // a teacher's lesson file cannot be used (["file:line:column: message"],
    // then step is null), or null.
    lesson: null,
    // A prediction to check when the response is complete: {ask, question}
    // (ask: 'status' | 'chunks' | 'messages'; question: a lesson's own
    // words, or null when the student picks the question), or null.
    predict: null,
    said: '', // what the student predicted, as typed
    checked: null, // {actual, said}: the last check (actual null: nothing came back)
  },
  // The teacher's marks: [{wire, start, end, color, note}], in the order made.
  marks: [],
  selection: {
    // The selected span: {wire, index, start, end, step}, or null (step:
    // {n, total} when stepping reached it, else null). It never outlives its bytes.
    selected: null,
    // The selected bytes: {wire, start, end, last} (last: the span the range
    // was extended to), or null: a span, or more by Shift+click or a drag.
    range: null,
    // A span of the TLS bytes: {dir, index} (dir: 'up' | 'down'), or null.
    tls: null,
    // Stepping walks the request's elements, then the response's: an index
    // into both (-1: not started), and how many there are.
    step: -1,
    elements: 0,
    // The response message whose body the body pane shows (the message of
    // the last span selected in the response); null: the last final one.
    bodyMessage: null,
    // The explanation panel shows something else than the selection (an
    // error, a check's outcome): a selection cleared leaves it there.
    aside: false,
  },
  // The "name the parts" exercise under way, or null: {id, parts, questions,
  // at, right, finished, tried, answered, missed, done, revealed, teacherId, said}.
  // questions: [{ask, prompt, wire, start, end}] (logic.js, exerciseQuestions);
  // at: the question on screen (questions.length: the end); right: named right
  // at the first try; finished: named right or missed (the score's
  // denominator); tried: the question on screen had a wrong answer;
  // answered: it was named right and waits for Next; missed: the questions
  // missed, in words; done: the parts named right, as marks (colour 3);
  // revealed: {teacher} once the teacher revealed the answers (teacher: this
  // page is the teacher's); teacherId: the teacher's exercise this follower
  // answers; said: what the page says of the last answer ({kind: 'start' |
  // 'wrong' | 'right' | 'skipped' | 'keys' | 'revealed', ...}).
  exercise: null,
  // What is on the wires. Each wire: its bytes, the wasm parse result
  // (docs/wasm.md) and the core's `Parsed` behind it (notes, bodies), or
  // null while a response streams in. Held by reference: a reducer never
  // copies or changes them (a new parse is a new object).
  exchange: {
    // `sideWaits`: a big live response is on its way, and only its wire
    // follows it (the tree, diagnostics and body pane wait for the end).
    request: { bytes: new Uint8Array(), result: null, parsed: null, sideWaits: false },
    response: { bytes: new Uint8Array(), result: null, parsed: null, sideWaits: false },
    // The relay's reads of the response, as its `read` events say them.
    reads: [],
    // An https exchange: its TLS client and the TLS bytes each way (a
    // handle the live session fills as records cross), or null.
    tls: null,
    // Counts new responses (a Send, a capture, a link): a live class tells
    // an exchange that grows from a new one by it.
    serial: 0,
    // The target the response on screen was sent to ("scheme://host:port"),
    // or null when it was not sent from here.
    sentTo: null,
    // Decoded bodies by response message index: the decode's result, or 'pending'.
    decoded: new Map(),
  },
  // The class room (class.js holds its WebSocket and dispatches what it says).
  class: {
    relay: false, // the page has a class server (relay-info.json)
    publicUrl: null, // the address students use (wirepad serve --public-url), or null
    role: null, // 'teacher' | 'follower' | null
    code: null, // the room's code, once entered (kept after a refusal: the address stays its link)
    connected: false, // entered, and the room's connection is up
    names: null, // whether the room asks students' names: 'anonymous' | 'optional' | 'required'
    namesShown: false, // the teacher shows the names (#class-names-shown)
    qrShown: true, // the join link's QR code shows (#class-qr-toggle)
    rosterShown: false, // the table of students shows (#class-roster-toggle)
    followers: 0, // how many follow the teacher
    following: true, // a follower mirrors the teacher (false: it explores on its own)
    pacing: 'teacher', // 'teacher' | 'student': the teacher's, as last said
    paused: false, // "eyes on the teacher"
    asking: false, // the student is asked a name before joining (#class-name-form)
    note: '', // said under the bar: a lost connection, a refusal, a request sent
    ended: false, // the teacher ended the class this follower was in (#class-ended)
    // A class the teacher ended in this tab, kept to export: {code, names,
    // exerciseId, questions, students}, or null.
    over: null,
    // The snapshot of one student's work the teacher asked for: {follower,
    // name, waiting: true} until it comes, {follower, name, missing: true}
    // when that student is not connected, then {follower, name, host, port,
    // request, marks: [{wire, start, end, note}], score: {right, finished} |
    // null}; or null. `name`: the student's in the roster when asked, or null.
    snapshot: null,
    // The requests students showed the teacher, anonymous, the last 20: [{host, port, request}].
    requests: [],
    // The exercise the teacher's page runs in the room, as published: its
    // id and questions ([{ask, prompt}]); and the students' answers to it,
    // each student's first answer to each question: {q: {follower: {right,
    // clicked}}} (clicked: what a wrong answer named, in words).
    exerciseId: null,
    questions: [],
    answers: {},
  },
};

export const BODY_MODES = ['wire', 'raw', 'decoded', 'preview'];

/** Returns `s` with `changes` applied, or `s` itself when no value changes. */
function set(s, changes) {
  for (const k of Object.keys(changes)) if (s[k] !== changes[k]) return { ...s, ...changes };
  return s;
}

const same = (a, b) => a === b || JSON.stringify(a) === JSON.stringify(b);

export function view(s, a) {
  switch (a.type) {
    case 'view/hex':
      return set(s, { hex: Boolean(a.hex) });
    case 'view/body-mode':
      return BODY_MODES.includes(a.mode) ? set(s, { bodyMode: a.mode }) : s;
    case 'view/zoom':
      return set(s, { zoom: Boolean(a.zoom) });
    case 'room/mirror': {
      const v = a.slice?.view;
      if (!v) return s;
      return set(s, { hex: Boolean(v.hex), bodyMode: BODY_MODES.includes(v.bodyMode) ? v.bodyMode : s.bodyMode });
    }
    default:
      return s;
  }
}

export function teaching(s, a) {
  switch (a.type) {
    case 'lesson/step': {
      const { id, title, at, count, step } = a;
      return { ...s, lesson: { id, title, at, count, step, own: true, mistakes: null } };
    }
    case 'lesson/mistakes': {
      const { id, title, mistakes } = a;
      return { ...s, lesson: { id, title, at: 0, count: 0, step: null, own: true, mistakes: [...mistakes] } };
    }
    case 'lesson/close':
      return s.lesson ? { ...s, lesson: null } : s;
    case 'predict/show':
      // A new question (or none): what was said and checked was for the old one.
      return { ...s, predict: a.predict && { ask: a.predict.ask ?? 'status', question: a.predict.question ?? null }, said: '', checked: null };
    case 'predict/ask':
      return s.predict && !s.predict.question ? { ...s, predict: { ...s.predict, ask: a.ask } } : s;
    case 'predict/said':
      return set(s, { said: String(a.said) });
    case 'predict/checked':
      return s.predict ? { ...s, checked: { actual: a.actual, said: s.said.trim() } } : s;
    case 'room/mirror': {
      const t = a.slice?.teaching;
      if (!t) return s;
      let next = s;
      const lesson = t.lesson ? { ...t.lesson, own: false } : null;
      if (!same(lesson, s.lesson)) next = { ...next, lesson };
      // The teacher's question: each student answers it on their own page.
      if (!same(t.predict ?? null, s.predict)) next = { ...next, predict: t.predict ?? null, said: '', checked: null };
      return next;
    }
    default:
      return s;
  }
}

/** A mark as the store keeps it: its fields only, whatever else came with it (a link, a room). */
const markOf = (m) => ({ wire: m.wire === 'request' ? 'request' : 'response', start: Number(m.start), end: Number(m.end), color: Number(m.color), note: String(m.note ?? '') });

/** `s` without the marks on `wire` (their bytes are gone), or `s` itself when it has none there. */
const dropWire = (s, wire) => (s.some((m) => m.wire === wire) ? s.filter((m) => m.wire !== wire) : s);

export function marks(s, a) {
  switch (a.type) {
    case 'marks/add':
      return [...s, markOf(a.mark)];
    case 'marks/remove':
      return a.index >= 0 && a.index < s.length ? s.filter((_, i) => i !== a.index) : s;
    case 'marks/set': {
      const next = (a.marks ?? []).map(markOf);
      return same(next, s) ? s : next;
    }
    // The request's bytes changed, or a new response replaces the one shown:
    // marks on the bytes that went describe nothing any more.
    case 'exchange/request-changed':
      return dropWire(s, 'request');
    case 'exchange/response-cleared':
      return dropWire(s, 'response');
    case 'room/mirror': {
      const m = a.slice?.marks;
      if (!Array.isArray(m)) return s;
      const next = m.map(markOf);
      return same(next, s) ? s : next;
    }
    default:
      return s;
  }
}

const spanOf = (a) => ({ wire: a.wire === 'request' ? 'request' : 'response', index: Number(a.index), start: Number(a.start), end: Number(a.end), step: a.step ? { n: Number(a.step.n), total: Number(a.step.total) } : null });
const rangeOf = (r) => ({ wire: r.wire === 'request' ? 'request' : 'response', start: Number(r.start), end: Number(r.end), last: Number(r.last) });

export function selection(s, a) {
  switch (a.type) {
    // A span (its bytes, from the parse result, come with the action), and
    // where stepping is now (`at`: the span's place in both wires); in the
    // response, `message`: the message it belongs to, or null (none).
    case 'select/span': {
      const selected = spanOf(a);
      const bodyMessage = selected.wire === 'response' && Number.isInteger(a.message) ? a.message : s.bodyMessage;
      return { ...s, selected, range: { wire: selected.wire, start: selected.start, end: selected.end, last: selected.index }, tls: null, step: Number(a.at), bodyMessage, aside: false };
    }
    // The range grows (or shrinks) to span `last` of the wire it is on.
    case 'select/extend':
      return s.range?.wire === a.wire ? { ...s, range: rangeOf(a) } : s;
    case 'select/tls':
      return { ...s, selected: null, range: null, tls: { dir: a.dir === 'up' ? 'up' : 'down', index: Number(a.index) }, aside: false };
    case 'select/clear':
      return s.selected || s.range || s.tls || s.aside ? { ...s, selected: null, range: null, tls: null, aside: false } : s;
    // The exchange changed: stepping starts over, over this many elements.
    case 'select/elements':
      return set(s, { step: -1, elements: Number(a.elements) });
    case 'explain/aside':
      return set(s, { aside: true });
    // A new response: its bodies are other messages.
    case 'exchange/response-cleared':
      return set(s, { bodyMessage: null });
    case 'room/mirror': {
      const m = a.slice?.selection;
      if (!m) return s;
      const selected = m.selected ? spanOf(m.selected) : null;
      const range = m.range ? rangeOf(m.range) : null;
      const next = {
        ...s,
        selected: same(selected, s.selected) ? s.selected : selected,
        range: same(range, s.range) ? s.range : range,
        step: Number(m.step ?? -1),
        bodyMessage: Number.isInteger(m.bodyMessage) ? m.bodyMessage : null,
      };
      if (next.selected !== s.selected) Object.assign(next, { tls: null, aside: false });
      return next.selected === s.selected && next.range === s.range && next.step === s.step && next.bodyMessage === s.bodyMessage ? s : next;
    }
    default:
      return s;
  }
}

/** A question in words, as a student reads it: "the status code of response 1". */
const inWords = (q) => q.prompt.replace(/^Click /, '').replace(/\.$/, '');

/** Whether the bytes `start`..`end` of `wire` answer question `q`: they lie inside the part it asks for. */
export const answers = (q, { wire, start, end }) => wire === q.wire && start >= q.start && end <= q.end;

export function exercise(s, a) {
  switch (a.type) {
    case 'exercise/start':
      return {
        id: a.id,
        parts: a.parts,
        questions: a.questions,
        at: 0,
        right: 0,
        finished: 0,
        tried: false,
        answered: false,
        missed: [],
        done: [],
        revealed: null,
        teacherId: a.teacherId ?? null,
        said: { kind: 'start' },
      };
    case 'exercise/stop':
      return null;
    default:
      if (!s) return s;
  }
  const q = s.questions[s.at];
  switch (a.type) {
    // An answer to the question on screen: the part clicked ({wire, start,
    // end}) is right when it lies inside the part asked. `what` names the
    // part clicked, `why` is what the table says of it (the page's words).
    case 'exercise/answer': {
      if (!q || s.answered) return s;
      const right = answers(q, a);
      if (!right) return { ...s, tried: true, said: { kind: 'wrong', what: a.what, wire: a.wire, asked: q.wire } };
      const next = {
        ...s,
        right: s.tried ? s.right : s.right + 1,
        missed: s.tried ? [...s.missed, inWords(q)] : s.missed,
        finished: s.finished + 1,
        done: [...s.done, { wire: a.wire, start: q.start, end: q.end, color: 3, note: q.ask }],
      };
      // The student reads why it is right and goes on with Next; the last
      // question has nothing after it: the score shows at once.
      const last = s.at + 1 === s.questions.length;
      return last
        ? { ...next, at: s.at + 1, tried: false, said: { kind: 'right', what: a.what, why: a.why, waiting: false } }
        : { ...next, answered: true, said: { kind: 'right', what: a.what, why: a.why, waiting: true } };
    }
    // Next: the next question after a right answer, or the one on screen
    // skipped (it counts as missed).
    case 'exercise/next':
      if (!q) return s;
      if (s.answered) return { ...s, at: s.at + 1, tried: false, answered: false };
      return { ...s, at: s.at + 1, tried: false, missed: [...s.missed, inWords(q)], finished: s.finished + 1, said: { kind: 'skipped', question: inWords(q) } };
    case 'exercise/keys':
      return q ? { ...s, said: { kind: 'keys' } } : s;
    // The teacher revealed the answers: every part asked is marked, and the
    // questions end. Two parts asked of the same bytes share one mark.
    case 'exercise/reveal': {
      if (s.revealed) return s;
      const done = s.done.map((d) => ({ ...d }));
      for (const x of s.questions) {
        const same = done.find((d) => d.wire === x.wire && d.start === x.start && d.end === x.end);
        if (!same) done.push({ wire: x.wire, start: x.start, end: x.end, color: 3, note: x.ask });
        else if (!same.note.split(' & ').includes(x.ask)) same.note += ` & ${x.ask}`;
      }
      return { ...s, done, at: s.questions.length, tried: false, answered: false, revealed: { teacher: Boolean(a.teacher) }, said: { kind: 'revealed' } };
    }
    default:
      return s;
  }
}

const EMPTY_WIRE = initialState.exchange.response;

export function exchange(s, a) {
  switch (a.type) {
    // New bytes on a wire, with their parse (while a response streams in:
    // the result so far, `parsed` null).
    case 'exchange/wire': {
      const wire = a.wire === 'request' ? 'request' : 'response';
      const { bytes, result, parsed } = a;
      return { ...s, [wire]: { bytes, result, parsed: parsed ?? null, sideWaits: Boolean(a.sideWaits) } };
    }
    // A response that did not come through the relay (a capture, a link,
    // the teacher's page): `fresh` false when it is more of the one shown.
    case 'exchange/response': {
      const { bytes, result, parsed } = a;
      return { ...s, response: { bytes, result, parsed, sideWaits: false }, reads: [...a.reads], serial: a.fresh ? s.serial + 1 : s.serial };
    }
    case 'exchange/response-cleared':
      return { ...s, response: EMPTY_WIRE, reads: [], tls: null, sentTo: null, serial: s.serial + 1, decoded: new Map() };
    // A Send: where to, and over TLS its handle.
    case 'exchange/sent':
      return { ...s, sentTo: a.to, tls: a.tls ?? null };
    case 'exchange/read':
      return { ...s, reads: [...s.reads, a.read] };
    case 'exchange/decoded':
      return { ...s, decoded: new Map(s.decoded).set(a.index, a.decoded) };
    default:
      return s;
  }
}

/**
 * The class room: what the room says (entered, followers, pacing, pause,
 * refusals, the end) and what the teacher or student does with the bar.
 * Sending to the room is class.js's, never the reducer's.
 */
export function classRoom(s, a) {
  switch (a.type) {
    case 'class/relay':
      return set(s, { relay: Boolean(a.relay), publicUrl: a.publicUrl ?? null });
    // The student is asked a name first; joining waits for it.
    case 'class/asking':
      return set(s, { role: null, connected: false, asking: true });
    case 'class/connecting':
      return set(s, { role: a.role, connected: false, asking: false });
    // The room let this page in: `names` and `followers` come to a teacher.
    // The requests and answers shown are this room's, sent again after it (a
    // teacher who comes back); another room's go.
    case 'class/joined':
      return set(s, {
        requests: s.requests.length ? [] : s.requests,
        exerciseId: null,
        questions: s.questions.length ? [] : s.questions,
        answers: Object.keys(s.answers).length ? {} : s.answers,
        code: a.code,
        connected: true,
        note: '',
        ended: false,
        ...(a.names !== undefined && { names: a.names }),
        ...(a.followers !== undefined && { followers: Number(a.followers) }),
      });
    case 'class/followers':
      return set(s, { followers: Number(a.count) });
    case 'class/following':
      return s.role === 'follower' ? set(s, { following: Boolean(a.following) }) : s;
    case 'class/pacing':
      return set(s, { pacing: a.pacing === 'student' ? 'student' : 'teacher' });
    case 'class/paused':
      return set(s, { paused: Boolean(a.paused) });
    case 'class/names-shown':
      return set(s, { namesShown: Boolean(a.shown) });
    case 'class/qr-shown':
      return set(s, { qrShown: Boolean(a.shown) });
    case 'class/roster-shown':
      return set(s, { rosterShown: Boolean(a.shown) });
    case 'class/note':
      return set(s, { note: String(a.note ?? '') });
    // The connection dropped; class.js tries again.
    case 'class/lost':
      return set(s, { connected: false, note: a.note });
    // The room turned this page away (or another page drives it now).
    case 'class/refused':
      return set(s, { role: null, connected: false, note: a.note });
    // This page left (End class, Leave): the room is forgotten.
    case 'class/left':
      return set(s, { role: null, code: null, connected: false, following: true, paused: false, note: '', snapshot: null, requests: s.requests.length ? [] : s.requests });
    // The teacher ended the class: a follower's page does not come back to it.
    case 'class/ended':
      return set(s, { role: s.role === 'follower' ? null : s.role, connected: false, following: false, paused: false, ended: true, note: 'The teacher ended the class.' });
    case 'class/over':
      return set(s, { over: a.over ?? null });
    case 'class/snapshot-asked':
      return { ...s, snapshot: { follower: a.follower, name: a.name ?? null, waiting: true } };
    // A student's snapshot: shown only if it is the one asked for, and only
    // once (a student cannot push one unasked).
    case 'class/snapshot': {
      if (!s.snapshot?.waiting || s.snapshot.follower !== a.follower) return s;
      const marks = (Array.isArray(a.marks) ? a.marks.slice(0, 50) : []).map((m) => ({ wire: String(m?.wire ?? ''), start: Number(m?.start) || 0, end: Number(m?.end) || 0, note: String(m?.note ?? '').slice(0, 120) }));
      const score = a.score ? { right: Number(a.score.right) || 0, finished: Number(a.score.finished) || 0 } : null;
      return { ...s, snapshot: { follower: a.follower, name: s.snapshot.name, host: String(a.host ?? ''), port: Number(a.port) || 80, request: a.request, marks, score } };
    }
    // The student asked is not connected.
    case 'class/snapshot-missing':
      return s.snapshot?.waiting ? { ...s, snapshot: { follower: s.snapshot.follower, name: s.snapshot.name, missing: true } } : s;
    // The teacher's page runs an exercise in the room: a new one starts with no answers.
    case 'class/exercise':
      return a.id === s.exerciseId ? s : { ...s, exerciseId: a.id, questions: a.questions ?? [], answers: {} };
    // A student's answer to the exercise running: its first to each question counts.
    case 'class/answer': {
      if (s.exerciseId === null || a.exercise !== s.exerciseId) return s;
      const q = Number(a.q);
      const per = s.answers[q] ?? {};
      if (per[a.follower]) return s;
      const answer = { right: Boolean(a.right), clicked: a.right ? null : String(a.clicked ?? '').slice(0, 80) };
      return { ...s, answers: { ...s.answers, [q]: { ...per, [a.follower]: answer } } };
    }
    // A student's request, shown to the teacher without who sent it.
    case 'class/request':
      return { ...s, requests: [...s.requests, { host: String(a.host ?? ''), port: Number(a.port) || 80, request: a.request }].slice(-20) };
    default:
      return s;
  }
}

/** Students' names show on the teacher's screen only in a room that asked for them, and while the teacher shows them. */
export const namesShown = (c) => (c.role ? c.names : c.over?.names) !== 'anonymous' && c.namesShown;

const topics = { view, teaching, marks, selection, exercise, exchange, class: classRoom };

/** The page's reducer: each topic's reducer on its part of the state. */
export function reducer(state, action) {
  let next = state;
  for (const [name, topic] of Object.entries(topics)) {
    const part = topic(state[name], action);
    if (part !== state[name]) next = next === state ? { ...state, [name]: part } : Object.assign(next, { [name]: part });
  }
  return next;
}

/**
 * What a class room mirrors of the store, declared once: the teacher's page
 * publishes it whenever it changes, a follower's dispatches it back
 * ({type: 'room/mirror', slice}), and each topic's reducer takes its part.
 * A field added here (and taken in its reducer) is mirrored.
 */
export function roomSlice(state) {
  const { lesson, predict } = state.teaching;
  return {
    view: { hex: state.view.hex, bodyMode: state.view.bodyMode },
    marks: state.marks,
    selection: { selected: state.selection.selected, range: state.selection.range, step: state.selection.step, bodyMessage: state.selection.bodyMessage },
    teaching: {
      lesson: lesson && { id: lesson.id, title: lesson.title, at: lesson.at, count: lesson.count, step: lesson.step, mistakes: lesson.mistakes },
      predict,
    },
  };
}
