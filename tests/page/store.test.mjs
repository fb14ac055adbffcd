// The page's store and reducers (www/js/store.js, www/js/reducers.js), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, mount } from '../../www/js/store.js';
import { classRoom, exchange, exercise, initialState, marks, namesShown, reducer, roomSlice, selection, teaching, view } from '../../www/js/reducers.js';

/** A store whose frames the test runs by hand: `frame()` runs what requestAnimationFrame would. */
function manual(initial = initialState) {
  const frames = [];
  const store = createStore(reducer, initial, (f) => frames.push(f));
  return { store, frames, frame: () => frames.splice(0).forEach((f) => f()) };
}

test('dispatches change the state at once and draw once per frame, with the previous state', () => {
  const { store, frames, frame } = manual();
  const seen = [];
  mount(store, { update: (s, prev) => seen.push([s.view.hex, prev?.view.hex ?? null]) });
  assert.deepEqual(seen, [[false, null]], 'a mounted view draws at once');
  store.dispatch({ type: 'view/hex', hex: true });
  assert.equal(store.getState().view.hex, true);
  store.dispatch({ type: 'view/zoom', zoom: true });
  store.dispatch({ type: 'view/body-mode', mode: 'decoded' });
  assert.equal(frames.length, 1, 'one frame asked for three dispatches');
  frame();
  assert.deepEqual(seen, [[false, null], [true, false]]);
  frame();
  assert.equal(seen.length, 2, 'no change, no draw');
});

test('an action that changes nothing keeps the state object and asks for no frame', () => {
  const { store, frames } = manual();
  const before = store.getState();
  store.dispatch({ type: 'view/hex', hex: false });
  store.dispatch({ type: 'no/such-action' });
  store.dispatch({ type: 'view/body-mode', mode: 'not-a-mode' });
  assert.equal(store.getState(), before);
  assert.equal(frames.length, 0);
});

test('the view topic: hex, the body mode and the zoom', () => {
  let s = view(initialState.view, { type: 'view/hex', hex: true });
  s = view(s, { type: 'view/body-mode', mode: 'preview' });
  s = view(s, { type: 'view/zoom', zoom: true });
  assert.deepEqual(s, { hex: true, bodyMode: 'preview', zoom: true });
  assert.deepEqual(initialState.view, { hex: false, bodyMode: 'raw', zoom: false }, 'reducers never change the state they are given');
});

test('the teaching topic: a lesson step, then a prediction made and checked', () => {
  const step = { text: 'Look at the status line.', predict: { ask: 'status', question: 'Which status code?' } };
  let s = teaching(initialState.teaching, { type: 'lesson/step', id: 'status', title: 'Status', at: 1, count: 3, step });
  assert.deepEqual(s.lesson, { id: 'status', title: 'Status', at: 1, count: 3, step, own: true, mistakes: null });
  s = teaching(s, { type: 'predict/show', predict: step.predict });
  s = teaching(s, { type: 'predict/said', said: ' 200 ' });
  s = teaching(s, { type: 'predict/checked', actual: 200 });
  assert.deepEqual(s.checked, { actual: 200, said: '200' });
  // The question is the lesson's: the student cannot swap it.
  assert.equal(teaching(s, { type: 'predict/ask', ask: 'chunks' }), s);
  const fresh = teaching(s, { type: 'predict/show', predict: { ask: null } });
  assert.deepEqual([fresh.predict, fresh.said, fresh.checked], [{ ask: 'status', question: null }, '', null], 'a new prediction starts blank');
  assert.equal(teaching(fresh, { type: 'predict/ask', ask: 'chunks' }).predict.ask, 'chunks');
  assert.equal(teaching(s, { type: 'lesson/close' }).lesson, null);
});

test('a lesson file with mistakes: the lesson is its mistakes, with no step; opening a good one clears them', () => {
  let s = teaching(initialState.teaching, { type: 'lesson/mistakes', id: 'broken', title: 'Broken', mistakes: ['broken.json:3:8: unknown field'] });
  assert.deepEqual(s.lesson, { id: 'broken', title: 'Broken', at: 0, count: 0, step: null, own: true, mistakes: ['broken.json:3:8: unknown field'] });
  s = teaching(s, { type: 'lesson/step', id: 'good', title: 'Good', at: 0, count: 1, step: { text: 'hi' } });
  assert.equal(s.lesson.mistakes, null);
});

test('the marks topic: added, removed, set, and gone with the bytes they mark', () => {
  const status = { wire: 'response', start: 9, end: 12, color: 2, note: 'the status code' };
  const method = { wire: 'request', start: 0, end: 3, color: 5, note: '' };
  let s = marks(initialState.marks, { type: 'marks/add', mark: status });
  s = marks(s, { type: 'marks/add', mark: { ...method, extra: 'dropped' } });
  assert.deepEqual(s, [status, method], 'in the order made, with their fields only');
  assert.deepEqual(initialState.marks, [], 'reducers never change the state they are given');
  assert.deepEqual(marks(s, { type: 'marks/remove', index: 0 }), [method]);
  assert.equal(marks(s, { type: 'marks/remove', index: 2 }), s, 'no such mark: nothing changes');
  // A new request's bytes: its marks go, the response's stay; a new response: the other way round.
  assert.deepEqual(marks(s, { type: 'exchange/request-changed' }), [status]);
  assert.deepEqual(marks(s, { type: 'exchange/response-cleared' }), [method]);
  const onlyRequest = [method];
  assert.equal(marks(onlyRequest, { type: 'exchange/response-cleared' }), onlyRequest, 'no response marks: the same state');
  // Set (a capture, a link, a lesson step): replaces them all; the same marks again change nothing.
  const set = marks(s, { type: 'marks/set', marks: [status] });
  assert.deepEqual(set, [status]);
  assert.equal(marks(set, { type: 'marks/set', marks: [{ ...status }] }), set);
  assert.deepEqual(marks(set, { type: 'marks/set', marks: undefined }), []);
});

test('the selection topic: a span selected, its range extended, stepping, and cleared', () => {
  const status = { type: 'select/span', wire: 'response', index: 2, start: 9, end: 12, step: null, at: 20 };
  let s = selection(initialState.selection, { type: 'select/elements', elements: 30 });
  assert.deepEqual([s.step, s.elements], [-1, 30]);
  s = selection(s, status);
  assert.deepEqual(s.selected, { wire: 'response', index: 2, start: 9, end: 12, step: null });
  assert.deepEqual(s.range, { wire: 'response', start: 9, end: 12, last: 2 }, 'the range is the span');
  assert.equal(s.step, 20, 'stepping goes on from the span selected');
  // Extended (Shift+click): the range grows, the selection stays its anchor.
  const extended = selection(s, { type: 'select/extend', wire: 'response', start: 9, end: 15, last: 4 });
  assert.deepEqual(extended.range, { wire: 'response', start: 9, end: 15, last: 4 });
  assert.equal(extended.selected, s.selected);
  assert.equal(selection(s, { type: 'select/extend', wire: 'request', start: 0, end: 3, last: 1 }), s, 'a range grows only in its own wire');
  // Reached by stepping: where it is among the wire's elements.
  const stepped = selection(s, { ...status, index: 0, start: 0, end: 8, step: { n: 1, total: 10 }, at: 18 });
  assert.deepEqual(stepped.selected.step, { n: 1, total: 10 });
  // The exchange changed: stepping starts over, the selection (cleared apart) stays.
  const again = selection(stepped, { type: 'select/elements', elements: 31 });
  assert.deepEqual([again.step, again.elements, again.selected], [-1, 31, stepped.selected]);
  // A span of a response message: the body pane shows that message's body, until a new response.
  assert.equal(s.bodyMessage, null, 'no message given: the last final one');
  const inMessage = selection(s, { ...status, message: 3 });
  assert.equal(inMessage.bodyMessage, 3);
  assert.equal(selection(inMessage, { type: 'select/span', wire: 'request', index: 0, start: 0, end: 3, at: 0, message: 0 }).bodyMessage, 3, 'a request span leaves it');
  assert.equal(selection(inMessage, { ...status, message: null }).bodyMessage, 3, 'a span of no message leaves it');
  assert.equal(selection(inMessage, { type: 'select/clear' }).bodyMessage, 3, 'a selection cleared leaves it');
  assert.equal(selection(inMessage, { type: 'exchange/response-cleared' }).bodyMessage, null);
  const cleared = selection(extended, { type: 'select/clear' });
  assert.deepEqual([cleared.selected, cleared.range, cleared.tls], [null, null, null]);
  assert.equal(selection(cleared, { type: 'select/clear' }), cleared, 'nothing to clear: the same state');
  assert.equal(initialState.selection.selected, null, 'reducers never change the state they are given');
});

test('the selection topic: a TLS span, and what the explanation panel shows besides', () => {
  const s = selection(initialState.selection, { type: 'select/span', wire: 'request', index: 0, start: 0, end: 3, at: 0 });
  const tls = selection(s, { type: 'select/tls', dir: 'down', index: 7 });
  assert.deepEqual([tls.selected, tls.range, tls.tls], [null, null, { dir: 'down', index: 7 }], 'a TLS span replaces the HTTP selection');
  assert.equal(selection(tls, { type: 'select/span', wire: 'request', index: 0, start: 0, end: 3, at: 0 }).tls, null);
  // An error written in the panel stays when the selection is cleared after it...
  const aside = selection(s, { type: 'explain/aside' });
  assert.equal(aside.aside, true);
  assert.equal(selection(aside, { type: 'explain/aside' }), aside);
  // ...and a new selection, or a clear, gives the panel back to the selection.
  assert.equal(selection(aside, { type: 'select/clear' }).aside, false);
  assert.equal(selection(aside, { type: 'select/span', wire: 'request', index: 1, start: 3, end: 4, at: 1 }).aside, false);
});

const QUESTIONS = [
  { ask: 'status-code', prompt: 'Click the status code of response 1.', wire: 'response', start: 9, end: 12 },
  { ask: 'reason-phrase', prompt: 'Click the reason phrase of response 1.', wire: 'response', start: 13, end: 15 },
  { ask: 'empty-line', prompt: 'Click the empty line of response 1.', wire: 'response', start: 40, end: 42 },
];
const click = (wire, start, end) => ({ type: 'exercise/answer', wire, start, end, what: `bytes ${start}–${end}`, why: 'Because.' });

test('the exercise topic: right at the first try, right after a wrong answer, skipped; the score and what is said', () => {
  let s = exercise(initialState.exercise, { type: 'exercise/start', id: 7, parts: 'all', questions: QUESTIONS });
  assert.deepEqual([s.at, s.right, s.finished, s.said], [0, 0, 0, { kind: 'start' }]);
  assert.equal(exercise(null, { type: 'exercise/next' }), null, 'no exercise: nothing to move');
  // Right at the first try: it waits for Next (it never moves on by itself).
  s = exercise(s, click('response', 9, 12));
  assert.deepEqual([s.at, s.right, s.finished, s.answered], [0, 1, 1, true]);
  assert.deepEqual(s.done, [{ wire: 'response', start: 9, end: 12, color: 3, note: 'status-code' }]);
  assert.deepEqual(s.said, { kind: 'right', what: 'bytes 9–12', why: 'Because.', waiting: true });
  assert.equal(exercise(s, click('response', 13, 15)), s, 'an answer while one waits for Next answers nothing');
  s = exercise(s, { type: 'exercise/next' });
  assert.deepEqual([s.at, s.answered, s.finished], [1, false, 1], 'Next after a right answer counts nothing more');
  // Wrong (the request, not the response), then right: missed, in words.
  s = exercise(s, click('request', 0, 3));
  assert.deepEqual(s.said, { kind: 'wrong', what: 'bytes 0–3', wire: 'request', asked: 'response' });
  assert.equal(s.tried, true);
  s = exercise(s, click('response', 13, 15));
  assert.deepEqual([s.right, s.finished, s.missed], [1, 2, ['the reason phrase of response 1']]);
  s = exercise(s, { type: 'exercise/next' });
  // Skipped: missed too; the end.
  s = exercise(s, { type: 'exercise/next' });
  assert.deepEqual([s.at, s.right, s.finished, s.missed.length], [3, 1, 3, 2]);
  assert.deepEqual(s.said, { kind: 'skipped', question: 'the empty line of response 1' });
  assert.equal(exercise(s, { type: 'exercise/next' }), s, 'nothing after the last question');
  assert.equal(exercise(s, { type: 'exercise/stop' }), null);
});

test('the exercise topic: the last question right ends it at once; the teacher reveals the answers', () => {
  let s = exercise(null, { type: 'exercise/start', id: 1, parts: 'all', questions: QUESTIONS.slice(0, 1), teacherId: 99 });
  assert.equal(s.teacherId, 99);
  s = exercise(s, click('response', 10, 11));
  assert.deepEqual([s.at, s.answered, s.said.waiting], [1, false, false], 'the score shows at once');
  // Reveal: every part asked marked; two parts asked of the same bytes share one mark.
  const same = [...QUESTIONS, { ask: 'body', prompt: 'Click the body.', wire: 'response', start: 40, end: 42 }];
  let r = exercise(null, { type: 'exercise/start', id: 2, parts: 'all', questions: same });
  r = exercise(r, click('response', 9, 12));
  const before = r;
  r = exercise(r, { type: 'exercise/reveal', teacher: false });
  assert.deepEqual(r.done.map((d) => d.note), ['status-code', 'reason-phrase', 'empty-line & body']);
  assert.deepEqual([r.at, r.answered, r.revealed, r.said], [4, false, { teacher: false }, { kind: 'revealed' }]);
  assert.equal(before.done.length, 1, 'reducers never change the state they are given');
  assert.equal(exercise(r, { type: 'exercise/reveal', teacher: true }), r, 'revealed once');
  assert.equal(exercise(r, click('response', 13, 15)), r, 'after a reveal a click answers nothing');
});

test('the exchange topic: wires by reference, a response and its reads, a Send, cleared', () => {
  const request = { bytes: Uint8Array.of(1, 2), result: { spans: {} }, parsed: { handle: 1 } };
  let s = exchange(initialState.exchange, { type: 'exchange/wire', wire: 'request', ...request });
  assert.equal(s.request.bytes, request.bytes, 'the bytes are held, not copied');
  assert.equal(s.request.parsed, request.parsed);
  assert.equal(s.response, initialState.exchange.response, 'the other wire is the same object');
  // A response streaming in has no Parsed yet.
  s = exchange(s, { type: 'exchange/wire', wire: 'response', bytes: Uint8Array.of(3), result: { spans: {} }, parsed: undefined });
  assert.equal(s.response.parsed, null);
  const sent = exchange(s, { type: 'exchange/sent', to: 'http://a:80', tls: null });
  assert.equal(sent.sentTo, 'http://a:80');
  const read = { type: 'read', seq: 1, bytes: 1 };
  const one = exchange(sent, { type: 'exchange/read', read });
  assert.deepEqual(one.reads, [read]);
  assert.deepEqual(sent.reads, [], 'the state before is not changed');
  const decoded = exchange(one, { type: 'exchange/decoded', index: 0, decoded: 'pending' });
  assert.equal(decoded.decoded.get(0), 'pending');
  assert.equal(one.decoded.size, 0);
  // A capture: a fresh response counts, more of the one shown does not.
  const reads = [{ seq: 1 }];
  const loaded = exchange(decoded, { type: 'exchange/response', bytes: Uint8Array.of(4), result: {}, parsed: { handle: 2 }, reads, fresh: true });
  assert.equal(loaded.serial, decoded.serial + 1);
  assert.deepEqual(loaded.reads, reads);
  assert.notEqual(loaded.reads, reads, 'the reads are copied: the caller may keep its array');
  assert.equal(exchange(loaded, { type: 'exchange/response', bytes: Uint8Array.of(4, 5), result: {}, parsed: null, reads, fresh: false }).serial, loaded.serial);
  // Cleared by a new Send: the response and all that came with it go, the request stays.
  const store = createStore(reducer, { ...initialState, exchange: decoded, marks: [{ wire: 'response', start: 0, end: 1, color: 1, note: '' }, { wire: 'request', start: 0, end: 1, color: 2, note: '' }] }, () => {});
  store.dispatch({ type: 'exchange/response-cleared' });
  const after = store.getState();
  assert.equal(after.exchange.response.bytes.length, 0);
  assert.deepEqual([after.exchange.reads, after.exchange.tls, after.exchange.sentTo, after.exchange.decoded.size], [[], null, null, 0]);
  assert.equal(after.exchange.serial, decoded.serial + 1);
  assert.equal(after.exchange.request, decoded.request);
  assert.deepEqual(after.marks.map((m) => m.wire), ['request'], 'marks on the old response go with it');
});

/** The class topic after `actions`, from the initial state. */
const room = (...actions) => actions.reduce(classRoom, initialState.class);

test('the class topic: a teacher opens a room, students follow, the teacher pauses, paces and ends it', () => {
  let s = room({ type: 'class/relay', relay: true, publicUrl: null }, { type: 'class/connecting', role: 'teacher' });
  assert.deepEqual([s.role, s.connected, s.code], ['teacher', false, null], 'connecting: not in a room yet');
  s = classRoom(s, { type: 'class/joined', code: 'ABCDEFGH', names: 'optional', followers: 0 });
  assert.deepEqual([s.code, s.connected, s.names, s.followers], ['ABCDEFGH', true, 'optional', 0]);
  s = classRoom(s, { type: 'class/followers', count: 12 });
  s = classRoom(s, { type: 'class/paused', paused: true });
  s = classRoom(s, { type: 'class/pacing', pacing: 'student' });
  s = classRoom(s, { type: 'class/names-shown', shown: true });
  assert.deepEqual([s.followers, s.paused, s.pacing, s.namesShown], [12, true, 'student', true]);
  // Everyone joined: the QR code gives the wires its room; the table of students shows.
  s = classRoom(s, { type: 'class/qr-shown', shown: false });
  s = classRoom(s, { type: 'class/roster-shown', shown: true });
  assert.deepEqual([s.qrShown, s.rosterShown], [false, true]);
  assert.equal(classRoom(s, { type: 'class/pacing', pacing: 'nonsense' }).pacing, 'teacher', 'a pacing the page does not know is the teacher\'s');
  assert.equal(classRoom(s, { type: 'class/followers', count: 12 }), s, 'the same count changes nothing');
  assert.equal(classRoom(s, { type: 'class/following', following: false }), s, 'a teacher does not follow');
  const lost = classRoom(s, { type: 'class/lost', note: 'Connection to the room lost; trying again…' });
  assert.deepEqual([lost.role, lost.code, lost.connected], ['teacher', 'ABCDEFGH', false], 'a lost connection keeps the room to come back to');
  assert.equal(classRoom(lost, { type: 'class/joined', code: 'ABCDEFGH', names: 'optional', followers: 11 }).note, '', 'back in the room: the note goes');
  const left = classRoom(s, { type: 'class/left' });
  assert.deepEqual([left.role, left.code, left.connected, left.paused], [null, null, false, false], 'End class forgets the room');
  const over = { code: 'ABCDEFGH', names: 'optional', exerciseId: 'x1', questions: [], students: [] };
  assert.equal(classRoom(left, { type: 'class/over', over }).over, over, 'its results stay to export');
  assert.equal(initialState.class.role, null, 'reducers never change the state they are given');
});

test('the class topic: a student asked a name, following, exploring, refused, and the class ended', () => {
  let s = room({ type: 'class/asking' });
  assert.deepEqual([s.role, s.asking], [null, true]);
  s = classRoom(s, { type: 'class/connecting', role: 'follower' });
  assert.deepEqual([s.role, s.asking], ['follower', false], 'the name given: it joins');
  s = classRoom(s, { type: 'class/joined', code: 'ABCDEFGH' });
  assert.deepEqual([s.code, s.connected, s.following, s.names], ['ABCDEFGH', true, true, null], 'a follower is not told how names are asked');
  s = classRoom(s, { type: 'class/following', following: false });
  assert.equal(s.following, false, 'exploring on its own');
  s = classRoom(s, { type: 'class/note', note: 'Your request was sent to the teacher (without your name).' });
  s = classRoom(s, { type: 'class/paused', paused: true });
  const ended = classRoom(s, { type: 'class/ended' });
  assert.deepEqual([ended.role, ended.paused, ended.following, ended.ended, ended.note], [null, false, false, true, 'The teacher ended the class.']);
  assert.equal(ended.code, 'ABCDEFGH', 'the address stays the room\'s link (it does not join again)');
  const refused = classRoom(s, { type: 'class/refused', note: 'Cannot enter the room: no such room.' });
  assert.deepEqual([refused.role, refused.connected, refused.note], [null, false, 'Cannot enter the room: no such room.']);
  // A teacher's page told the class ended keeps its role (and its results).
  assert.equal(room({ type: 'class/connecting', role: 'teacher' }, { type: 'class/ended' }).role, 'teacher');
});

test('the class topic: a snapshot asked, only the one asked shown, and a student not connected', () => {
  const teacher = room({ type: 'class/connecting', role: 'teacher' }, { type: 'class/joined', code: 'ABCDEFGH', names: 'required', followers: 2 });
  const request = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  const sent = { host: 'example.org', port: '80', request, marks: [{ wire: 'response', start: 9, end: 12, note: 'status', color: 2 }], score: { right: 3, finished: 4 } };
  assert.equal(classRoom(teacher, { type: 'class/snapshot', follower: 7, ...sent }), teacher, 'a snapshot nobody asked for is not shown');
  let s = classRoom(teacher, { type: 'class/snapshot-asked', follower: 7, name: 'Ada' });
  assert.deepEqual(s.snapshot, { follower: 7, name: 'Ada', waiting: true });
  assert.equal(classRoom(s, { type: 'class/snapshot', follower: 8, ...sent }), s, "another student's is not shown");
  s = classRoom(s, { type: 'class/snapshot', follower: 7, ...sent });
  assert.deepEqual(s.snapshot, { follower: 7, name: 'Ada', host: 'example.org', port: 80, request, marks: [{ wire: 'response', start: 9, end: 12, note: 'status' }], score: { right: 3, finished: 4 } });
  assert.equal(classRoom(s, { type: 'class/snapshot', follower: 7, ...sent, host: 'other' }), s, 'shown once');
  assert.equal(classRoom(s, { type: 'class/snapshot-missing' }), s, 'a snapshot shown is not missing');
  const missing = room({ type: 'class/snapshot-asked', follower: 9 }, { type: 'class/snapshot-missing' });
  assert.deepEqual(missing.snapshot, { follower: 9, name: null, missing: true });
  assert.equal(classRoom(s, { type: 'class/left' }).snapshot, null, 'End class: the snapshot goes');
  // Names show only in a room that asks for them, and while the teacher shows them.
  assert.equal(namesShown(s), false);
  assert.equal(namesShown(classRoom(s, { type: 'class/names-shown', shown: true })), true);
  assert.equal(namesShown({ ...s, names: 'anonymous', namesShown: true }), false);
});

test("the class topic: students' requests, the last 20, gone with the room", () => {
  const request = (i) => ({ type: 'class/request', host: 'example.org', port: 8080, request: new Uint8Array([i]) });
  let s = room({ type: 'class/connecting', role: 'teacher' }, { type: 'class/joined', code: 'ABCDEFGH', names: 'anonymous', followers: 0 });
  for (let i = 0; i < 25; i++) s = classRoom(s, request(i));
  assert.deepEqual(s.requests.map((r) => r.request[0]), Array.from({ length: 20 }, (_, i) => i + 5), 'the newest 20, oldest first');
  assert.deepEqual(classRoom(s, { type: 'class/request', request: new Uint8Array() }).requests.at(-1), { host: '', port: 80, request: new Uint8Array() });
  // A teacher who comes back hears the room's requests again: those it showed go first.
  assert.deepEqual(classRoom(s, { type: 'class/joined', code: 'ABCDEFGH', names: 'anonymous', followers: 3 }).requests, []);
  assert.deepEqual(classRoom(s, { type: 'class/left' }).requests, []);
});

test("the class topic: the exercise's answers, each student's first per question, and a new exercise starts empty", () => {
  const questions = [{ ask: 'status-code', prompt: 'Click the status code.' }, { ask: 'method', prompt: 'Click the method.' }];
  const answer = (follower, q, right, clicked = null) => ({ type: 'class/answer', exercise: 'e1', follower, q, right, clicked });
  let s = room({ type: 'class/answer', ...answer(1, 0, true) });
  assert.deepEqual(s.answers, {}, 'no exercise runs: nothing is tallied');
  s = classRoom(s, { type: 'class/exercise', id: 'e1', questions });
  s = [answer(1, 0, true), answer(2, 0, false, 'the reason phrase'), answer(2, 0, true), answer(1, 1, false, 'the target'.repeat(20))].reduce(classRoom, s);
  assert.deepEqual(s.answers[0], { 1: { right: true, clicked: null }, 2: { right: false, clicked: 'the reason phrase' } }, 'a second answer does not count');
  assert.equal(s.answers[1][1].clicked.length, 80, 'what was clicked, cut short');
  assert.equal(classRoom(s, { ...answer(3, 0, true), exercise: 'e0' }), s, "an earlier exercise's answer is not counted");
  assert.equal(classRoom(s, { type: 'class/exercise', id: 'e1', questions }), s, 'the same exercise published again keeps its answers');
  const next = classRoom(s, { type: 'class/exercise', id: 'e2', questions: [] });
  assert.deepEqual([next.exerciseId, next.answers], ['e2', {}]);
  // End class: the tally stays with the results; another room starts without it.
  const left = classRoom(s, { type: 'class/left' });
  assert.equal(left.answers, s.answers);
  const again = classRoom(left, { type: 'class/joined', code: 'ZZZZZZZZ', names: 'anonymous', followers: 0 });
  assert.deepEqual([again.exerciseId, again.questions, again.answers], [null, [], {}]);
});

test('the class topic is not mirrored: a room slice leaves a follower\'s room as it was', () => {
  const s = reducer(initialState, { type: 'class/connecting', role: 'follower' });
  assert.equal(reducer(s, { type: 'room/mirror', slice: roomSlice(initialState) }).class, s.class);
  assert.equal(roomSlice(s).class, undefined);
});

test('the room slice: what the teacher publishes, a follower dispatches, and its store then shows the same', () => {
  const { store: teacher } = manual();
  const step = { text: 'A chunked body comes in pieces.', predict: { ask: 'chunks', question: 'How many chunks?' } };
  teacher.dispatch({ type: 'lesson/step', id: 'chunked', title: 'Chunked', at: 2, count: 5, step });
  teacher.dispatch({ type: 'predict/show', predict: step.predict });
  teacher.dispatch({ type: 'predict/said', said: '3' });
  teacher.dispatch({ type: 'view/hex', hex: true });
  teacher.dispatch({ type: 'view/zoom', zoom: true });
  teacher.dispatch({ type: 'marks/add', mark: { wire: 'response', start: 0, end: 8, color: 1, note: 'the version' } });
  teacher.dispatch({ type: 'select/elements', elements: 40 });
  teacher.dispatch({ type: 'select/span', wire: 'response', index: 1, start: 8, end: 9, step: { n: 2, total: 30 }, at: 11, message: 2 });
  teacher.dispatch({ type: 'select/extend', wire: 'response', start: 8, end: 12, last: 2 });
  // Over the room the slice travels as JSON.
  const slice = JSON.parse(JSON.stringify(roomSlice(teacher.getState())));

  const { store: follower } = manual();
  follower.dispatch({ type: 'predict/show', predict: step.predict });
  follower.dispatch({ type: 'predict/said', said: '4' });
  follower.dispatch({ type: 'marks/add', mark: { wire: 'request', start: 0, end: 3, color: 2, note: 'mine' } });
  follower.dispatch({ type: 'room/mirror', slice });
  const f = follower.getState();
  assert.deepEqual(f.marks, [{ wire: 'response', start: 0, end: 8, color: 1, note: 'the version' }], "the teacher's marks replace the follower's");
  assert.deepEqual(f.selection.selected, { wire: 'response', index: 1, start: 8, end: 9, step: { n: 2, total: 30 } });
  assert.deepEqual([f.selection.range, f.selection.step], [{ wire: 'response', start: 8, end: 12, last: 2 }, 11], "the teacher's range, and where stepping is");
  assert.equal(f.selection.elements, 0, 'how many elements there are is counted on each page');
  assert.equal(f.selection.bodyMessage, 2, "the body pane shows the teacher's message");
  assert.deepEqual(roomSlice(f), slice, 'the follower shows what the teacher shows');
  assert.equal(f.teaching.lesson.step.text, 'A chunked body comes in pieces.');
  assert.equal(f.teaching.lesson.own, false, 'a mirrored lesson is moved by the teacher only');
  assert.equal(f.teaching.said, '4', 'the same question keeps the student\'s own answer');
  assert.equal(f.view.zoom, false, 'the zoom is not in the slice');
  const before = follower.getState();
  follower.dispatch({ type: 'room/mirror', slice: JSON.parse(JSON.stringify(slice)) });
  assert.equal(follower.getState(), before, 'the same slice again changes nothing');
  follower.dispatch({ type: 'room/mirror', slice: { ...slice, selection: { selected: null, range: null, step: -1 }, teaching: { lesson: null, predict: null } } });
  assert.equal(follower.getState().selection.selected, null, 'the teacher cleared the selection');
  assert.deepEqual([follower.getState().teaching.lesson, follower.getState().teaching.predict], [null, null], 'the teacher closed both');
});
