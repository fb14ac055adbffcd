// A class room (docs/relay-and-rooms.md): the teacher's page drives every
// follower's. This module holds the room's WebSocket, an effect that turns
// what the room says into actions on the store's `class` topic
// (reducers.js), and the view that draws the bar (#class-bar) from it; the
// app tells it what the teacher's page shows and is told what to show on a
// follower's. What the messages carry is the page's
// business and lives here, in one place:
//
//   exchange  {id, host, port, scheme, request, response, reads}   bytes as base64url
//   append    {id, bytes, reads}                           response bytes that arrived since
//   state     {id, exercise, cut, slice}
//             slice: the store's declared room slice (reducers.js, roomSlice: the view, the marks, the selection and stepping with the body message, the lesson, the prediction)
//             pacing: "teacher" | "student"; exercise.revealed: the right parts shown
//   answer    {kind: "exercise", exercise, q, ask, right, clicked}
//             {kind: "prediction", ask, question, said, actual, right}   said as typed; actual once checked
//             {kind: "request", host, port, request}      a student's own request, shown on request
//             {kind: "snapshot", host, port, request, marks, score}   asked by the teacher (#class-snapshot)
//
// A follower also says where it is in the lesson ({"type":"step"}), for
// the teacher's roster. In a student-paced class (#class-paced) each
// follower opens the teacher's lesson on its own page and moves through it
// alone; back to teacher-paced, everyone follows the teacher again.
// A follower mirrors the teacher until it acts on its own (a click, an
// edit, a Send): then it explores, keeps what the teacher sends, and
// #class-follow brings it back to where the teacher is now.

import { Dashboard, download } from './dashboard.js';
import { tallyPredictions } from './results.js';
import { base64url, fromBase64url, tallyAnswers } from './logic.js';
import { namesShown } from './reducers.js';

const $ = (id) => document.getElementById(id);

/** What each kind of prediction asks, in words. */
const PREDICT_WORDS = { status: 'What status code will the server answer?', chunks: 'How many chunks of data will the body have?', messages: 'How many responses will come back?' };

/**
 * The teacher key of each room this tab opened: a reload finds it here. It is
 * kept in session storage, which other tabs (and anything that runs after the
 * tab closes) cannot read; keys an older version left in local storage go.
 */
const keyName = (code) => `wirepad:room:${code}`;
const keyOf = (code) => sessionStorage.getItem(keyName(code));
for (const name of Object.keys(localStorage)) if (name.startsWith('wirepad:room:')) localStorage.removeItem(name);
/** A follower's seat in each room it joined: a reload comes back as the same student. */
const seatName = (code) => `wirepad:seat:${code}`;
/** The class this tab's teacher ended last: its results stay to export after a reload. */
const OVER = 'wirepad:class-over';

/**
 * Checks a student's code with the server (`GET /code-check`, which asks
 * the practice server's key) and says the verdict in #code-check-result
 * (`data-right` "true" or "false"; empty when it could not check).
 */
async function checkCode(student, code) {
  const out = $('code-check-result');
  out.dataset.right = '';
  if (!student || !code) {
    out.textContent = "Give the student's name and the code they read.";
    return;
  }
  out.textContent = 'Checking…';
  try {
    const r = await fetch(`code-check?student=${encodeURIComponent(student)}&code=${encodeURIComponent(code)}`);
    const answer = await r.json();
    if (!r.ok) throw new Error(answer.error ?? `the server answered ${r.status}`);
    out.dataset.right = String(answer.right);
    out.textContent = answer.right ? `Right: ${code} is ${student}'s code.` : `Wrong: ${code} is not ${student}'s code on this server run.`;
  } catch (e) {
    out.textContent = `Cannot check: ${e.message}.`;
  }
}

/** The start of a request as the teacher reads it: its bytes as Latin-1 (each byte one character). */
const latin1 = (bytes, max) => new TextDecoder('latin1').decode(bytes.subarray(0, max));

/**
 * The class bar (#class-bar and its children) drawn from the store's `class`
 * topic (and whether an exercise runs, for Reveal), with the teacher's
 * snapshot of a student, the students' requests and the answers tallied.
 * The controls that change only the page's own state dispatch: the names,
 * the QR code and the table of students shown, the pacing.
 * `show({host, port, request})` puts a student's request (one shown to the
 * teacher, or a snapshot's) on the teacher's page.
 */
export function classBarView(dispatch, show) {
  const el = $('class-bar');
  let c = null; // the class topic as last drawn: what the buttons act on
  $('class-names-shown').addEventListener('change', (e) => dispatch({ type: 'class/names-shown', shown: e.target.checked }));
  $('class-qr-toggle').addEventListener('click', () => dispatch({ type: 'class/qr-shown', shown: !c.qrShown }));
  $('class-roster-toggle').addEventListener('click', () => dispatch({ type: 'class/roster-shown', shown: !c.rosterShown }));
  $('class-paced').addEventListener('click', () => dispatch({ type: 'class/pacing', pacing: c.pacing === 'student' ? 'teacher' : 'student' }));
  $('class-snapshot-show').addEventListener('click', () => c.snapshot?.request && show(c.snapshot));
  const running = (s) => Boolean(s?.exercise && !s.exercise.revealed);
  return {
    update(state, previous) {
      const p = previous?.class;
      if (state.class === p && running(state) === running(previous)) return;
      c = state.class;
      const over = !c.role && Boolean(c.over);
      const teacher = c.role === 'teacher' || over;
      const follower = c.role === 'follower';
      el.hidden = !c.role && !c.note && !c.asking && !over;
      $('class-name-form').hidden = !c.asking;
      if (c.asking && !p?.asking) $('class-name').focus();
      // "Eyes on the teacher": a modal over the whole page, the rest of it inert.
      const paused = $('class-paused');
      if (follower && c.paused && !paused.open) paused.showModal();
      if (!(follower && c.paused) && paused.open) paused.close();
      $('class-pause').setAttribute('aria-pressed', String(c.paused));
      $('class-pause').textContent = c.paused ? 'Resume' : 'Pause';
      el.dataset.role = c.role ?? '';
      $('class-teacher').hidden = !teacher;
      // A class that ended shows its results only: the live controls go.
      el.dataset.over = String(over);
      for (const id of ['class-live', 'class-live-controls']) $(id).hidden = over;
      $('class-over').hidden = !over;
      if (over) $('class-over-code').textContent = dashed(c.over.code);
      $('class-paced').setAttribute('aria-pressed', String(c.pacing === 'student'));
      $('class-paced').textContent = c.pacing === 'student' ? 'Bring everyone back' : 'Student-paced';
      $('class-reveal').disabled = !running(state);
      $('class-names-shown').checked = c.namesShown;
      // Each button (aria-pressed) shows its element while pressed.
      $('class-qr-toggle').setAttribute('aria-pressed', String(c.qrShown));
      $('class-qr').hidden = !c.qrShown;
      $('class-roster-toggle').setAttribute('aria-pressed', String(c.rosterShown));
      $('class-roster').hidden = !c.rosterShown;
      // The status line shows a teacher's notes too (a lost connection, a refusal).
      $('class-follower').hidden = !follower && !c.note;
      for (const id of ['class-follow', 'class-break', 'class-share-request', 'class-leave']) $(id).hidden = !follower;
      $('class-start').disabled = !c.relay || Boolean(c.role);
      $('class-start').setAttribute('aria-pressed', String(Boolean(c.role)));
      $('class-ended').hidden = !c.ended;
      if (c.role === 'teacher' && c.code) {
        const names = c.names && c.names !== 'anonymous' ? `&names=${c.names}` : '';
        const link = `${c.publicUrl ?? `${location.origin}${location.pathname}`}#room=${c.code}${names}`;
        // A page opened on a loopback address would hand students a link to their own machines.
        const loopback = /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(location.hostname);
        $('class-link-warning').hidden = Boolean(c.publicUrl) || !loopback;
        const a = $('class-link');
        if (a.textContent !== link) {
          a.textContent = link;
          a.href = link;
          $('class-qr').src = `qr.svg?text=${encodeURIComponent(link)}`;
        }
        $('class-code').textContent = dashed(c.code);
        $('class-followers').textContent = `${c.followers} following`;
      }
      let where = '';
      if (follower) {
        $('class-follow').hidden = c.following;
        $('class-break').hidden = !c.following;
        if (c.connected && c.following && c.pacing === 'student') where = `Student-paced: go through the lesson at your own pace (room ${c.code ?? ''}).`;
        else if (c.connected) where = c.following ? `Following the teacher (room ${c.code ?? ''}).` : 'Exploring on your own: the teacher goes on without you.';
      }
      $('class-status').textContent = [where, c.note].filter(Boolean).join(' ');
      if (c.snapshot !== p?.snapshot || namesShown(c) !== (p && namesShown(p))) drawSnapshot(c.snapshot, namesShown(c));
      if (c.requests !== p?.requests) drawRequests(c.requests, show);
      if (c.answers !== p?.answers || c.questions !== p?.questions) drawAnswers(c.questions, c.answers);
    },
  };
}

/** What a student sent when the teacher asked (#class-snapshot-view), or that it is awaited or missing. */
function drawSnapshot(snap, names) {
  const view = $('class-snapshot-view');
  view.hidden = !snap;
  if (!snap) return;
  // On the projector a snapshot is anonymous unless names are shown.
  $('class-snapshot-who').textContent = names && snap.name ? snap.name : 'a student';
  view.dataset.state = snap.waiting ? 'waiting' : snap.missing ? 'missing' : 'shown';
  if (snap.waiting || snap.missing) {
    $('class-snapshot-request').textContent = snap.waiting ? 'Waiting for the student’s page…' : 'That student is not connected now.';
    $('class-snapshot-marks').replaceChildren();
    $('class-snapshot-score').textContent = '';
    $('class-snapshot-show').hidden = true;
    return;
  }
  $('class-snapshot-request').textContent = latin1(snap.request, 4096);
  $('class-snapshot-marks').replaceChildren(
    ...snap.marks.map((m) => Object.assign(document.createElement('li'), { textContent: `${m.wire} bytes ${m.start}–${m.end}${m.note ? `: ${m.note}` : ''}` })),
  );
  const sc = snap.score;
  $('class-snapshot-score').textContent = sc ? `Exercise: ${sc.right} of ${sc.finished} named right at the first try.` : '';
  $('class-snapshot-show').hidden = !snap.request.length;
}

/**
 * The exercise's answers (#class-answers): per question, right/answered and
 * the wrong part clicked most often.
 */
function drawAnswers(questions, answers) {
  const rows = tallyAnswers(questions, new Map(Object.entries(answers).map(([q, per]) => [Number(q), new Map(Object.entries(per))])));
  $('class-answers').replaceChildren(
    ...rows.map((r) => {
      const li = document.createElement('li');
      li.className = 'class-answer';
      li.dataset.q = r.q;
      li.dataset.ask = r.ask;
      li.dataset.right = r.right;
      li.dataset.answered = r.answered;
      const ratio = Object.assign(document.createElement('strong'), { className: 'ratio', textContent: `${r.right}/${r.answered}` });
      const wrong = r.commonWrong ? ` · most common wrong click: ${r.commonWrong} (${r.commonWrongCount})` : '';
      li.append(ratio, ` right · ${r.prompt}${wrong}`);
      return li;
    }),
  );
  $('class-answers-section').hidden = !rows.length;
}

/** The requests students showed the teacher (#class-requests), anonymous, each with its Show button. */
function drawRequests(requests, show) {
  $('class-requests').replaceChildren(
    ...requests.map((r, i) => {
      const li = document.createElement('li');
      const line = latin1(r.request, 60).split('\r\n')[0];
      const button = Object.assign(document.createElement('button'), { className: 'class-show-request', textContent: 'Show' });
      button.addEventListener('click', () => show(r));
      li.append(`student request ${i + 1}: `, Object.assign(document.createElement('code'), { textContent: line }), ' ', button);
      return li;
    }),
  );
  $('class-requests-section').hidden = !requests.length;
}

/** A room code as the teacher reads it out: "ABCD-EFGH". */
const dashed = (code) => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * The class room's effect: its WebSocket. What the room says becomes
 * actions on the store's `class` topic (and, on a follower's page, calls to
 * the app's handlers, which show the teacher's exchange and view); what the
 * teacher or student asks of the room is sent from here. It also keeps,
 * outside the store, the teacher's last exchange as received (bytes, sent
 * apart from the slice), and the dashboard (dashboard.js), which it draws
 * once per frame.
 */
export class ClassRoom {
  /**
   * Handlers: onExchange(exchange, responseBytes, reads), onAppend(responseBytes,
   * reads) (the whole response so far), onView(view), and the others named
   * where used.
   */
  constructor(store, handlers) {
    this.store = store;
    this.dispatch = store.dispatch;
    this.on = handlers;
    this.ws = null;
    // What the teacher shows, as last received (a follower keeps it while exploring).
    this.teacher = { exchange: null, response: new Uint8Array(), reads: [], view: null };
    this.retry = 0;
    $('class-start').addEventListener('click', () => this.create());
    $('class-end').addEventListener('click', () => this.end());
    $('class-leave').addEventListener('click', () => this.end());
    $('class-follow').addEventListener('click', () => this.follow());
    $('class-break').addEventListener('click', () => this.breakAway());
    $('class-share-request').addEventListener('click', () => this.on.shareRequest());
    // The dashboard: names on the projector only when the teacher turns them on.
    this.dashboard = new Dashboard($('class-roster'));
    // The join link says whether the room asks for names (`&names=`); read
    // before the page rewrites its address.
    this.linkNames = new URLSearchParams(location.hash.slice(1)).get('names');
    $('class-export').addEventListener('click', () => this.exportResults());
    $('class-reveal').addEventListener('click', () => this.on.reveal());
    $('class-snapshot').addEventListener('click', () => {
      const follower = Number($('class-snapshot-of').value);
      if (this.teaching && follower) this.ws.send(JSON.stringify({ type: 'snapshot', follower }));
      this.dispatch({ type: 'class/snapshot-asked', follower, name: this.dashboard.students.get(follower)?.name });
    });
    $('class-close').addEventListener('click', () => this.closeResults());
    $('class-code-check').addEventListener('click', () => $('code-check').showModal());
    $('code-check-form').addEventListener('submit', (e) => {
      if (e.submitter?.value !== 'check') return;
      e.preventDefault();
      checkCode($('code-check-student').value.trim(), $('code-check-code').value.trim());
    });
    $('class-pause').addEventListener('click', () => {
      const pause = !this.now().paused;
      if (this.teaching) this.ws.send(JSON.stringify({ type: 'pause', pause }));
      this.dispatch({ type: 'class/paused', paused: pause });
    });
    // A paused follower cannot close the pause itself (Escape closes a modal dialog).
    $('class-paused').addEventListener('cancel', (e) => e.preventDefault());
    // A class that ended in this tab keeps its results until the teacher closes them.
    const over = JSON.parse(sessionStorage.getItem(OVER) ?? 'null');
    if (over) this.showResults(over);
    $('class-name-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.name = $('class-name').value.trim();
      if (this.pending) this.join(this.pending);
    });
    // The dashboard draws from the class topic and the prediction asked.
    store.subscribe((s, previous) => {
      if (s.class !== previous?.class || s.teaching.predict !== previous?.teaching.predict) this.drawDashboard();
    });
  }

  /** The store's class topic, as it is now. */
  now() {
    return this.store.getState().class;
  }

  /** This page drives a room whose connection is open: it can send to it. */
  get teaching() {
    return this.now().role === 'teacher' && this.ws?.readyState === WebSocket.OPEN;
  }

  get mirroring() {
    const c = this.now();
    return c.role === 'follower' && c.following && c.pacing !== 'student';
  }

  /** In a student-paced class, a follower moves through the lesson alone. */
  get selfPaced() {
    const c = this.now();
    return c.role === 'follower' && c.following && c.pacing === 'student';
  }

  /** Opens a new room; this page becomes its teacher. */
  create() {
    this.connect(`create&names=${$('class-names-mode').value}`, 'teacher');
  }

  /** Joins room `code` from a join link: as its teacher if this browser holds the key. */
  join(code) {
    const key = keyOf(code.toUpperCase());
    if (key) return this.connect(`code=${encodeURIComponent(code)}&key=${key}`, 'teacher');
    const seat = sessionStorage.getItem(seatName(code.toUpperCase()));
    const asks = this.linkNames;
    if (!seat && this.name === undefined && (asks === 'required' || asks === 'optional')) return this.askName(code);
    let query = `code=${encodeURIComponent(code)}`;
    if (seat) query += `&seat=${seat}`;
    else if (this.name) query += `&name=${encodeURIComponent(this.name)}`;
    this.connect(query, 'follower');
  }

  /** Asks the student's name (#class-name), then joins room `code`. */
  askName(code) {
    this.pending = code;
    this.close();
    this.dispatch({ type: 'class/asking' });
  }

  connect(query, role) {
    this.close();
    this.dispatch({ type: 'class/connecting', role });
    this.query = query;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/room?${query}`);
    this.ws = ws;
    ws.onmessage = (e) => this.receive(JSON.parse(e.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.ended) return;
      // A lost network: come back (a teacher with its key, a follower as a follower).
      this.dispatch({ type: 'class/lost', note: 'Connection to the room lost; trying again…' });
      const wait = Math.min(10000, 500 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.now().code && this.join(this.now().code), wait);
    };
    this.ended = false;
  }

  close() {
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  /** The teacher ends the class on this page: the room closes when idle. */
  end() {
    const { role, code } = this.now();
    const results = role === 'teacher' && code ? this.results() : null;
    this.ended = true;
    // The room closes at once, and every follower is told.
    if (this.teaching) this.ws.send(JSON.stringify({ type: 'end' }));
    // A follower leaves for good: the teacher's roster says so.
    if (role === 'follower' && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'leave' }));
    if (role === 'teacher' && code) {
      sessionStorage.removeItem(keyName(code));
      localStorage.removeItem(`wirepad:room-exercise:${code}`);
    }
    this.close();
    this.dispatch({ type: 'class/left' });
    this.on.left();
    if (results) {
      sessionStorage.setItem(OVER, JSON.stringify(results));
      this.showResults(results);
    }
  }

  /** What the teacher's dashboard holds of this class, to keep after it ended. */
  results() {
    const { code, names, exerciseId, questions } = this.now();
    return { code, names, exerciseId, questions, students: [...this.dashboard.students.values()] };
  }

  /** The dashboard of a class that ended: its roster and answers, to export (#class-export). */
  showResults(over) {
    this.dashboard.reset(over.code);
    for (const s of over.students) this.dashboard.student({ follower: s.id, name: s.name, status: s.status, step: s.step });
    this.dispatch({ type: 'class/over', over });
  }

  /** #class-close: the ended class's results go (from this tab's storage too). */
  closeResults() {
    const code = this.now().over?.code;
    this.dashboard.reset(null);
    if (code) sessionStorage.removeItem(`wirepad:room-answers:${code}`);
    sessionStorage.removeItem(OVER);
    this.dispatch({ type: 'class/over', over: null });
  }

  receive(m) {
    switch (m.type) {
      case 'created':
        if (this.now().over) this.closeResults();
        sessionStorage.setItem(keyName(m.code), m.key);
        this.dashboard.reset(m.code);
        this.retry = 0;
        this.dispatch({ type: 'class/joined', code: m.code, names: m.names, followers: 0 });
        this.on.entered(m.code);
        this.on.publishAll();
        break;
      case 'teacher': {
        this.retry = 0;
        this.dispatch({ type: 'class/joined', code: m.code, names: m.names, followers: m.followers });
        this.dashboard.reset(m.code);
        this.restoring = true; // the backlog that follows is what this page showed
        // The room sends the answers so far after it: they are tallied again
        // against the exercise this browser last started in the room.
        const last = JSON.parse(localStorage.getItem(`wirepad:room-exercise:${m.code}`) ?? 'null');
        if (last) this.dispatch({ type: 'class/exercise', id: last.id, questions: last.questions });
        // The answers this tab kept; those the room sends again are not counted twice.
        for (const { follower, answer } of this.dashboard.log) this.tally(follower, answer);
        this.on.entered(m.code);
        break;
      }
      case 'joined':
        sessionStorage.setItem(seatName(m.code), m.seat);
        // The roster hears where this page is (again, after a reload).
        this.sentStep = undefined;
        queueMicrotask(() => this.step(this.on.stepLabel()));
        this.retry = 0;
        this.dispatch({ type: 'class/joined', code: m.code });
        this.on.entered(m.code);
        break;
      case 'followers':
        this.dispatch({ type: 'class/followers', count: m.count });
        break;
      case 'exchange':
        this.teacher = { exchange: m.exchange, response: fromBase64url(m.exchange.response ?? ''), reads: m.exchange.reads ?? [], view: null };
        if (this.mirroring || this.restoring) this.on.onExchange(this.teacher.exchange, this.teacher.response, this.teacher.reads);
        break;
      case 'append': {
        if (m.append.id !== this.teacher.exchange?.id) break;
        const more = fromBase64url(m.append.bytes);
        const grown = new Uint8Array(this.teacher.response.length + more.length);
        grown.set(this.teacher.response);
        grown.set(more, this.teacher.response.length);
        this.teacher.response = grown;
        this.teacher.reads = [...this.teacher.reads, ...(m.append.reads ?? [])];
        if (this.mirroring || this.restoring) this.on.onAppend(this.teacher.response, this.teacher.reads);
        break;
      }
      case 'state': {
        this.teacher.view = m.state;
        const pacing = m.state.pacing === 'student' ? 'student' : 'teacher';
        if (pacing !== this.now().pacing) {
          this.dispatch({ type: 'class/pacing', pacing });
          // Student-paced: this page takes the lesson to move through alone;
          // teacher-paced again: everyone is brought back to the teacher.
          const { role, following } = this.now();
          if (role === 'follower' && following) {
            if (pacing === 'student') this.on.onPaced(m.state);
            else this.follow();
          }
        }
        if (this.mirroring || this.restoring) this.on.onView(m.state);
        this.restoring = false;
        break;
      }
      case 'roster':
        for (const s of m.roster) this.dashboard.student(s);
        break;
      case 'student':
        this.dashboard.student(m);
        break;
      case 'answer':
        // A snapshot is shown (if it is the one asked for), not kept with the results.
        if (m.answer?.kind === 'snapshot') this.dispatch({ ...m.answer, type: 'class/snapshot', follower: m.follower, request: fromBase64url(String(m.answer.request ?? '')) });
        else if (this.dashboard.add(m.follower, m.answer)) this.tally(m.follower, m.answer);
        break;
      case 'snapshot':
        this.sendSnapshot();
        break;
      case 'pause':
        this.dispatch({ type: 'class/paused', paused: m.pause });
        break;
      case 'ended':
        this.classEnded();
        break;
      case 'error':
        this.refused(m);
        break;
    }
    this.drawDashboard();
  }

  refused(m) {
    if (m.code === 'replaced') {
      // The teacher opened the room in another page: this one stops driving.
      this.ended = true;
      this.dispatch({ type: 'class/refused', note: 'This room is now driven from another page.' });
    } else if (m.code === 'class-ended') {
      this.classEnded();
    } else if (m.code === 'name-required' || m.code === 'bad-name') {
      this.ended = true;
      this.name = undefined;
      this.askName(this.now().code ?? this.pending ?? new URLSearchParams(this.query).get('code'));
      this.status(m.message);
    } else if (m.code === 'not-here') {
      this.dispatch({ type: 'class/snapshot-missing' });
      this.status(`No snapshot: ${m.message}.`);
    } else if (['no-such-room', 'wrong-key', 'room-full', 'too-many-rooms', 'too-many-joins'].includes(m.code)) {
      this.ended = true;
      const { code } = this.now();
      if (m.code === 'wrong-key' && code) sessionStorage.removeItem(keyName(code));
      this.dispatch({ type: 'class/refused', note: `Cannot enter the room: ${m.message}.` });
    } else {
      this.status(`The room refused a message: ${m.message}.`);
    }
  }

  /** The teacher ended the class: this page does not come back to it (#class-ended). */
  classEnded() {
    this.ended = true;
    const { code } = this.now();
    if (code) sessionStorage.removeItem(seatName(code));
    this.dispatch({ type: 'class/ended' });
  }

  send(type, body) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type, [type]: body }));
  }

  // ---- the teacher's side -------------------------------------------------

  /** A new exchange on the teacher's page. */
  exchange(id, { host, port, scheme, request, response, reads }) {
    this.teacher = { exchange: { id }, response, reads, view: null };
    this.send('exchange', { id, host, port, scheme, request: base64url(request), response: base64url(response), reads });
  }

  /** Response bytes that arrived on the teacher's page, with their reads. */
  append(id, bytes, reads) {
    this.send('append', { id, bytes: base64url(bytes), reads });
  }

  view(v) {
    // A new exercise: its answers start empty.
    if (v.exercise && v.exercise.id !== this.now().exerciseId) {
      const { id, questions } = v.exercise;
      this.dispatch({ type: 'class/exercise', id, questions });
      // Kept for a reload of this page (the room keeps the answers).
      localStorage.setItem(`wirepad:room-exercise:${this.now().code}`, JSON.stringify({ id, questions }));
    }
    this.send('state', v);
    this.drawDashboard();
  }

  /** An answer the room passed on (or this tab kept): a request shown, or an exercise's. */
  tally(follower, a) {
    // Anonymised: the teacher sees "student request 3", never a follower number.
    if (a?.kind === 'request') this.dispatch({ type: 'class/request', host: a.host, port: a.port, request: fromBase64url(String(a.request ?? '')) });
    else if (a?.kind === 'exercise') this.dispatch({ ...a, type: 'class/answer', follower });
  }

  // ---- a follower's side --------------------------------------------------

  /** The student acted on its own page: it explores until it follows again. */
  touched() {
    const { role, following } = this.now();
    if (role !== 'follower' || !following || this.selfPaced) return;
    this.breakAway();
  }

  breakAway() {
    this.dispatch({ type: 'class/following', following: false });
    this.sendStatus('exploring');
  }

  /** Tells the teacher's roster where this follower is. */
  sendStatus(status) {
    if (this.now().role === 'follower' && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'status', status }));
  }

  /** Back to what the teacher shows now. */
  follow() {
    // After the class ended there is nothing to follow.
    if (this.now().role !== 'follower') return;
    this.dispatch({ type: 'class/following', following: true });
    this.sendStatus('following');
    if (this.now().pacing === 'student') {
      this.on.onPaced(this.teacher.view);
      return;
    }
    const t = this.teacher;
    if (t.exchange) this.on.onExchange(t.exchange, t.response, t.reads);
    if (t.view) this.on.onView(t.view);
  }

  /** A follower's answer in an exercise the teacher started. */
  answer(a) {
    if (this.now().role === 'follower') this.send('answer', { kind: 'exercise', ...a });
  }

  /** Where this follower is in the lesson, for the teacher's roster (once per change). */
  step(label) {
    if (this.now().role !== 'follower' || label === this.sentStep) return;
    this.sentStep = label;
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'step', step: label }));
  }

  /**
   * This follower's prediction, for the teacher's tally: what it says, sent
   * a moment after typing stops, and again once checked.
   */
  predicted(p) {
    if (this.now().role !== 'follower') return;
    clearTimeout(this.predictTimer);
    const send = () => this.send('answer', { kind: 'prediction', ...p });
    if (p.actual !== null && p.actual !== undefined) send();
    else this.predictTimer = setTimeout(send, 800);
  }

  /** The teacher asked for this follower's work: its request, marks and score. */
  sendSnapshot() {
    const w = this.on.work();
    this.send('answer', { kind: 'snapshot', host: w.host, port: w.port, request: base64url(w.request), marks: w.marks, score: w.score });
  }

  shareRequest(host, port, request) {
    this.send('answer', { kind: 'request', host, port, request: base64url(request) });
    this.status('Your request was sent to the teacher (without your name).');
  }

  /** A note under the bar (a lost connection, a refusal, a request sent). */
  status(text) {
    this.dispatch({ type: 'class/note', note: text });
  }

  // ---- the dashboard -----------------------------------------------------------

  /**
   * The dashboard (the predictions, whom a snapshot can be taken of, the
   * roster), drawn once per frame however many messages came: 500 students
   * answering at once cost one draw a frame, not one an answer.
   */
  drawDashboard() {
    if (this.drawing) return;
    this.drawing = requestAnimationFrame(() => {
      this.drawing = 0;
      const { role, over } = this.now();
      const c = role === 'teacher' ? this.now() : over;
      if (!c) return;
      if (role === 'teacher') {
        this.renderPredictions();
        this.renderSnapshotChoice();
      }
      this.dashboard.render(c.exerciseId, c.questions ?? [], namesShown(this.now()));
    });
  }

  /** #class-export: the results as CSV and as JSON, one row per student and question. */
  exportResults() {
    const { role, over } = this.now();
    const c = role || !over ? this.now() : over;
    const { csv, json } = this.dashboard.exportFiles(c.exerciseId, c.questions ?? [], c.names !== 'anonymous');
    download(`wirepad-class-${c.code}.csv`, csv, 'text/csv');
    download(`wirepad-class-${c.code}.json`, json, 'application/json');
  }

  /** The predictions gathered (#class-predictions): "12 said 200 · 5 said 404". */
  renderPredictions() {
    const asked = this.store.getState().teaching.predict;
    const rows = asked ? tallyPredictions(this.dashboard.predictions(), asked) : [];
    const section = $('class-predictions-section');
    section.hidden = !asked;
    if (!asked) return;
    $('class-predictions-question').textContent = asked.question ?? PREDICT_WORDS[asked.ask] ?? asked.ask;
    const list = $('class-predictions');
    const signature = JSON.stringify(rows);
    if (list.dataset.signature === signature) return;
    list.dataset.signature = signature;
    list.replaceChildren(
      ...rows.map((r) => {
        const li = document.createElement('li');
        li.dataset.said = r.said;
        li.dataset.count = r.count;
        if (r.right !== null) li.dataset.right = String(r.right);
        li.textContent = `${r.count} said ${r.said || '(nothing yet)'}${r.right ? ' ✓' : ''}`;
        return li;
      }),
    );
  }

  /** The students a snapshot can be taken of (#class-snapshot-of): those connected now. */
  renderSnapshotChoice() {
    const names = namesShown(this.now());
    const here = [...this.dashboard.students.values()].filter((s) => s.status === 'following' || s.status === 'exploring');
    const choice = $('class-snapshot-of');
    const options = here.map((s) => [String(s.id), names && s.name ? s.name : `student ${s.number}`]);
    const signature = JSON.stringify(options);
    if (choice.dataset.signature !== signature) {
      const was = choice.value;
      choice.dataset.signature = signature;
      choice.replaceChildren(...options.map(([v, label]) => new Option(label, v)));
      if (options.some(([v]) => v === was)) choice.value = was;
    }
    $('class-snapshot').disabled = !here.length;
  }
}
