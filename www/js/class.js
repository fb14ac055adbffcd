// A class room (docs/relay-and-rooms.md): the teacher's page drives every
// follower's. This component holds the room's WebSocket and its bar
// (#class-bar); the app tells it what the teacher's page shows and is told
// what to show on a follower's. What the messages carry is the page's
// business and lives here, in one place:
//
//   exchange  {id, host, port, scheme, request, response, reads}   bytes as base64url
//   append    {id, bytes, reads}                           response bytes that arrived since
//   state     {id, selection, range, step, marks, exercise, bodyMessage, cut, slice}
//             slice: the store's declared room slice (reducers.js, roomSlice)
//   answer    {kind: "exercise", exercise, q, ask, right, clicked}
//             {kind: "request", host, port, request}      a student's own request, shown on request
//
// A follower mirrors the teacher until it acts on its own (a click, an
// edit, a Send): then it explores, keeps what the teacher sends, and
// #class-follow brings it back to where the teacher is now.

import { Dashboard, download } from './dashboard.js';
import { base64url, fromBase64url, tallyAnswers } from './logic.js';
import { relayInfo } from './relay.js';

const $ = (id) => document.getElementById(id);

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

export class ClassRoom {
  /**
   * `el`: the bar. Handlers: onExchange(exchange, responseBytes, reads),
   * onAppend(responseBytes, reads) (the whole response so far), onView(view),
   * onShowRequest({host, port, request}) on the teacher's page.
   */
  constructor(el, handlers) {
    this.el = el;
    this.on = handlers;
    this.ws = null;
    this.role = null; // 'teacher' | 'follower' | null
    this.code = null;
    this.following = true;
    // What the teacher shows, as last received (a follower keeps it while exploring).
    this.teacher = { exchange: null, response: new Uint8Array(), reads: [], view: null };
    this.answers = new Map(); // "exercise/q" -> {ask, answers: Map(follower -> {right, clicked})}
    this.requests = []; // students' requests shown to the teacher
    this.retry = 0;
    // The address students use (wirepad serve --public-url), when given.
    this.publicUrl = null;
    relayInfo().then((info) => {
      this.publicUrl = info?.public_url ?? null;
      if (this.role) this.render();
    });
    $('class-start').addEventListener('click', () => this.create());
    $('class-end').addEventListener('click', () => this.end());
    $('class-leave').addEventListener('click', () => this.end());
    $('class-qr-toggle').addEventListener('click', () => {
      const show = $('class-qr-toggle').getAttribute('aria-pressed') !== 'true';
      $('class-qr-toggle').setAttribute('aria-pressed', String(show));
      $('class-qr').hidden = !show;
    });
    $('class-follow').addEventListener('click', () => this.follow());
    $('class-break').addEventListener('click', () => this.breakAway());
    $('class-share-request').addEventListener('click', () => this.on.shareRequest());
    // The dashboard: names on the projector only when the teacher turns them on.
    this.dashboard = new Dashboard($('class-roster'));
    // The join link says whether the room asks for names (`&names=`); read
    // before the page rewrites its address.
    this.linkNames = new URLSearchParams(location.hash.slice(1)).get('names');
    $('class-names-shown').addEventListener('change', () => this.render());
    $('class-export').addEventListener('click', () => this.exportResults());
    $('class-roster-toggle').addEventListener('click', () => {
      const show = $('class-roster-toggle').getAttribute('aria-pressed') !== 'true';
      $('class-roster-toggle').setAttribute('aria-pressed', String(show));
      $('class-roster').hidden = !show;
    });
    $('class-pause').addEventListener('click', () => {
      if (this.teaching) this.ws.send(JSON.stringify({ type: 'pause', pause: !this.paused }));
      this.paused = !this.paused;
      this.render();
    });
    // A paused follower cannot close the pause itself (Escape closes a modal dialog).
    $('class-paused').addEventListener('cancel', (e) => e.preventDefault());
    $('class-name-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.name = $('class-name').value.trim();
      this.asking = false;
      if (this.pending) this.join(this.pending);
    });
  }

  get teaching() {
    return this.role === 'teacher' && this.ws?.readyState === WebSocket.OPEN;
  }

  get mirroring() {
    return this.role === 'follower' && this.following;
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
    this.role = null;
    this.asking = true;
    this.render();
    $('class-name').focus();
  }

  connect(query, role) {
    this.close();
    this.role = role;
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
      this.status(`Connection to the room lost; trying again…`);
      const wait = Math.min(10000, 500 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.code && this.join(this.code), wait);
    };
    this.ended = false;
    this.render();
  }

  close() {
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  /** The teacher ends the class on this page: the room closes when idle. */
  end() {
    this.ended = true;
    // The room closes at once, and every follower is told.
    if (this.teaching) this.ws.send(JSON.stringify({ type: 'end' }));
    // A follower leaves for good: the teacher's roster says so.
    if (this.role === 'follower' && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'leave' }));
    if (this.role === 'teacher' && this.code) {
      sessionStorage.removeItem(keyName(this.code));
      localStorage.removeItem(`wirepad:room-exercise:${this.code}`);
    }
    this.close();
    this.role = null;
    this.code = null;
    this.el.hidden = true;
    this.on.left();
  }

  receive(m) {
    switch (m.type) {
      case 'created':
        sessionStorage.setItem(keyName(m.code), m.key);
        this.code = m.code;
        this.names = m.names;
        this.dashboard.reset(m.code);
        this.retry = 0;
        this.note = '';
        this.on.entered(m.code);
        this.on.publishAll();
        break;
      case 'teacher': {
        this.code = m.code;
        this.retry = 0;
        this.followers = m.followers;
        this.names = m.names;
        this.dashboard.reset(m.code);
        this.note = '';
        this.restoring = true; // the backlog that follows is what this page showed
        // The room sends the answers so far after it: they are tallied again
        // against the exercise this browser last started in the room.
        const last = JSON.parse(localStorage.getItem(`wirepad:room-exercise:${m.code}`) ?? 'null');
        this.exerciseId = last?.id;
        this.questions = last?.questions ?? [];
        this.answers = new Map();
        this.requests = [];
        // The answers this tab kept; those the room sends again are not counted twice.
        for (const { follower, answer } of this.dashboard.log) this.tally(follower, answer);
        this.on.entered(m.code);
        break;
      }
      case 'joined':
        sessionStorage.setItem(seatName(m.code), m.seat);
        this.code = m.code;
        this.retry = 0;
        this.note = '';
        this.on.entered(m.code);
        break;
      case 'followers':
        this.followers = m.count;
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
      case 'state':
        this.teacher.view = m.state;
        if (this.mirroring || this.restoring) this.on.onView(m.state);
        this.restoring = false;
        break;
      case 'roster':
        for (const s of m.roster) this.dashboard.student(s);
        break;
      case 'student':
        this.dashboard.student(m);
        break;
      case 'answer':
        if (this.dashboard.add(m.follower, m.answer)) this.tally(m.follower, m.answer);
        break;
      case 'pause':
        this.paused = m.pause;
        break;
      case 'ended':
        this.classEnded();
        break;
      case 'error':
        this.refused(m);
        break;
    }
    this.render();
  }

  refused(m) {
    if (m.code === 'replaced') {
      // The teacher opened the room in another page: this one stops driving.
      this.ended = true;
      this.role = null;
      this.status('This room is now driven from another page.');
    } else if (m.code === 'class-ended') {
      this.classEnded();
    } else if (m.code === 'name-required' || m.code === 'bad-name') {
      this.ended = true;
      this.name = undefined;
      this.askName(this.code ?? this.pending ?? new URLSearchParams(this.query).get('code'));
      this.status(m.message);
    } else if (['no-such-room', 'wrong-key', 'room-full', 'too-many-rooms', 'too-many-joins'].includes(m.code)) {
      this.ended = true;
      if (m.code === 'wrong-key' && this.code) sessionStorage.removeItem(keyName(this.code));
      this.role = null;
      this.status(`Cannot enter the room: ${m.message}.`);
    } else {
      this.status(`The room refused a message: ${m.message}.`);
    }
  }

  /** The teacher ended the class: this page does not come back to it (#class-ended). */
  classEnded() {
    this.ended = true;
    if (this.code) sessionStorage.removeItem(seatName(this.code));
    this.following = false;
    this.paused = false;
    this.role = this.role === 'follower' ? null : this.role;
    $('class-ended').hidden = false;
    this.status('The teacher ended the class.');
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
    if (v.exercise && v.exercise.id !== this.exerciseId) {
      this.exerciseId = v.exercise.id;
      this.answers = new Map();
      this.questions = v.exercise.questions ?? [];
      // Kept for a reload of this page (the room keeps the answers).
      localStorage.setItem(`wirepad:room-exercise:${this.code}`, JSON.stringify({ id: this.exerciseId, questions: this.questions }));
    }
    this.send('state', v);
    this.render();
  }

  tally(follower, a) {
    if (a?.kind === 'request') {
      // Anonymised: the teacher sees "student request 3", never a follower number.
      this.requests.push({ host: String(a.host ?? ''), port: Number(a.port) || 80, request: fromBase64url(String(a.request ?? '')) });
      this.requests = this.requests.slice(-20);
      return;
    }
    if (a?.kind !== 'exercise' || a.exercise !== this.exerciseId) return;
    const key = Number(a.q);
    if (!this.answers.has(key)) this.answers.set(key, new Map());
    // A follower's first answer to a question is the one that counts.
    const per = this.answers.get(key);
    if (!per.has(follower)) per.set(follower, { right: Boolean(a.right), clicked: a.right ? null : String(a.clicked ?? '').slice(0, 80) });
  }

  // ---- a follower's side --------------------------------------------------

  /** The student acted on its own page: it explores until it follows again. */
  touched() {
    if (this.role !== 'follower' || !this.following) return;
    this.breakAway();
  }

  breakAway() {
    this.following = false;
    this.sendStatus('exploring');
    this.render();
  }

  /** Tells the teacher's roster where this follower is. */
  sendStatus(status) {
    if (this.role === 'follower' && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'status', status }));
  }

  /** Back to what the teacher shows now. */
  follow() {
    // After the class ended there is nothing to follow.
    if (this.role !== 'follower') return;
    this.following = true;
    this.sendStatus('following');
    const t = this.teacher;
    if (t.exchange) this.on.onExchange(t.exchange, t.response, t.reads);
    if (t.view) this.on.onView(t.view);
    this.render();
  }

  /** A follower's answer in an exercise the teacher started. */
  answer(a) {
    if (this.role === 'follower') this.send('answer', { kind: 'exercise', ...a });
  }

  shareRequest(host, port, request) {
    this.send('answer', { kind: 'request', host, port, request: base64url(request) });
    this.status('Your request was sent to the teacher (without your name).');
  }

  // ---- the bar ---------------------------------------------------------------

  /** A note under the bar (a lost connection, a refusal, a request sent). */
  status(text) {
    this.note = text;
    this.render();
  }

  render() {
    const teacher = this.role === 'teacher';
    const follower = this.role === 'follower';
    const open = this.ws?.readyState === WebSocket.OPEN;
    this.el.hidden = !this.role && !this.note && !this.asking;
    $('class-name-form').hidden = !this.asking;
    // "Eyes on the teacher": a modal over the whole page, the rest of it inert.
    const paused = $('class-paused');
    if (follower && this.paused && !paused.open) paused.showModal();
    if (!(follower && this.paused) && paused.open) paused.close();
    $('class-pause').setAttribute('aria-pressed', String(Boolean(this.paused)));
    $('class-pause').textContent = this.paused ? 'Resume' : 'Pause';
    this.el.dataset.role = this.role ?? '';
    $('class-teacher').hidden = !teacher;
    // The status line shows a teacher's notes too (a lost connection, a refusal).
    $('class-follower').hidden = !follower && !this.note;
    for (const id of ['class-follow', 'class-break', 'class-share-request', 'class-leave']) $(id).hidden = !follower;
    $('class-start').disabled = Boolean(this.role);
    $('class-start').setAttribute('aria-pressed', String(Boolean(this.role)));
    if (teacher && this.code) {
      const names = this.names && this.names !== 'anonymous' ? `&names=${this.names}` : '';
      const link = `${this.publicUrl ?? `${location.origin}${location.pathname}`}#room=${this.code}${names}`;
      // A page opened on a loopback address would hand students a link to their own machines.
      const loopback = /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(location.hostname);
      $('class-link-warning').hidden = Boolean(this.publicUrl) || !loopback;
      const a = $('class-link');
      if (a.textContent !== link) {
        a.textContent = link;
        a.href = link;
        $('class-qr').src = `qr.svg?text=${encodeURIComponent(link)}`;
      }
      $('class-code').textContent = `${this.code.slice(0, 4)}-${this.code.slice(4)}`;
      $('class-followers').textContent = `${this.followers ?? 0} following`;
      this.renderAnswers();
      this.renderRequests();
      this.dashboard.render(this.exerciseId, this.questions ?? [], this.namesShown);
    }
    let where = '';
    if (follower) {
      $('class-follow').hidden = this.following;
      $('class-break').hidden = !this.following;
      if (open) where = this.following ? `Following the teacher (room ${this.code ?? ''}).` : 'Exploring on your own: the teacher goes on without you.';
    }
    $('class-status').textContent = [where, this.note].filter(Boolean).join(' ');
  }

  /** Names show on the dashboard only in a room that asked for them, and when the teacher turns them on. */
  get namesShown() {
    return this.names !== 'anonymous' && $('class-names-shown').checked;
  }

  /** #class-export: the results as CSV and as JSON, one row per student and question. */
  exportResults() {
    const { csv, json } = this.dashboard.exportFiles(this.exerciseId, this.questions ?? [], this.names !== 'anonymous');
    download(`wirepad-class-${this.code}.csv`, csv, 'text/csv');
    download(`wirepad-class-${this.code}.json`, json, 'application/json');
  }

  renderAnswers() {
    const list = $('class-answers');
    const rows = tallyAnswers(this.questions ?? [], this.answers);
    list.replaceChildren(
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

  renderRequests() {
    const list = $('class-requests');
    list.replaceChildren(
      ...this.requests.map((r, i) => {
        const li = document.createElement('li');
        const line = new TextDecoder('latin1').decode(r.request.subarray(0, 60)).split('\r\n')[0];
        const show = Object.assign(document.createElement('button'), { className: 'class-show-request', textContent: 'Show' });
        show.addEventListener('click', () => this.on.onShowRequest(r));
        li.append(`student request ${i + 1}: `, Object.assign(document.createElement('code'), { textContent: line }), ' ', show);
        return li;
      }),
    );
    $('class-requests-section').hidden = !this.requests.length;
  }
}
