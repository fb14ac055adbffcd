// The page's reducers, one per topic (docs/architecture.md): pure functions
// (state, action) -> state, with no DOM, network or storage, so that Node
// tests them (tests/page/store.test.mjs). A reducer returns the state it was
// given when an action changes nothing: the store then draws nothing.
//
// Topics in the store so far: `view` (how the bytes are shown), `teaching`
// (the lesson and the prediction), `marks` and `selection` (with the byte
// range and stepping). The exchange and the exercise still live in app.js's
// `state` (see the architecture doc): actions carry what a reducer needs of
// them (a span's bytes, how many elements there are).

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
    // The explanation panel shows something else than the selection (an
    // error, a check's outcome): a selection cleared leaves it there.
    aside: false,
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
    // where stepping is now (`at`: the span's place in both wires).
    case 'select/span': {
      const selected = spanOf(a);
      return { ...s, selected, range: { wire: selected.wire, start: selected.start, end: selected.end, last: selected.index }, tls: null, step: Number(a.at), aside: false };
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
      };
      if (next.selected !== s.selected) Object.assign(next, { tls: null, aside: false });
      return next.selected === s.selected && next.range === s.range && next.step === s.step ? s : next;
    }
    default:
      return s;
  }
}

const topics = { view, teaching, marks, selection };

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
    selection: { selected: state.selection.selected, range: state.selection.range, step: state.selection.step },
    teaching: {
      lesson: lesson && { id: lesson.id, title: lesson.title, at: lesson.at, count: lesson.count, step: lesson.step, mistakes: lesson.mistakes },
      predict,
    },
  };
}
