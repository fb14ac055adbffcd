// The teacher's dashboard (#class-roster-section): who is in the class, and
// what each answered. It keeps what the room tells the teacher's page —
// the roster (`roster`, `student`) and every answer — and draws it with
// roster.js; #class-export writes it with results.js.
//
// The answers are kept in session storage under the room's code, so a
// teacher who reloads has every one of them again (the room resends only
// the newest within its budget; the two are merged, each answer once).
// A student is its follower number, random in the room ("student 8977"),
// and its name only when the room asked for names and the teacher shows them.
//
// Built for a lecture hall (500 students answering at once): each answer
// is folded once into the results as it comes (the whole log again only
// when the exercise changes), and storage is written at most once a second
// (and when the page goes away).

import { EXPORT_COLUMNS, exportRows, foldAnswers, toCSV, toJSON } from './results.js';
import { Roster } from './roster.js';

const storeName = (code) => `wirepad:room-answers:${code}`;

export class Dashboard {
  constructor(table) {
    this.roster = new Roster(table);
    this.code = null;
    this.reset(null);
    addEventListener('pagehide', () => this.save());
  }

  /** A room entered (or left, `code` null): its answers so far come back from storage. */
  reset(code) {
    this.save();
    this.code = code;
    this.students = new Map(); // follower -> {id, number, name, status, step}
    this.log = []; // [{follower, answer}] in the order received
    this.seen = new Set(); // each answer once (the room resends them to a teacher who comes back)
    this.latest = new Map(); // follower -> its latest prediction
    this.folded = { exercise: undefined, results: new Map() }; // the log folded for one exercise
    const kept = code ? JSON.parse(sessionStorage.getItem(storeName(code)) ?? '[]') : [];
    for (const a of kept) this.add(a.follower, a.answer, false);
  }

  student({ follower, name, status, step }) {
    this.students.set(follower, { id: follower, number: follower, name, status, step: step ?? this.students.get(follower)?.step });
  }

  /** Each student's latest prediction: Map(follower -> {ask, question, said, actual, right}). */
  predictions() {
    return this.latest;
  }

  /** Adds one answer; false if it was had already. */
  add(follower, answer, keep = true) {
    const key = JSON.stringify([follower, answer]);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    const entry = { follower, answer };
    this.log.push(entry);
    // Folded once, into what is drawn now.
    foldAnswers([entry], this.folded.exercise, this.folded.results);
    const p = this.folded.results.get(follower)?.prediction;
    if (answer?.kind === 'prediction' && p) this.latest.set(follower, p);
    if (keep && this.code && !this.saving) this.saving = setTimeout(() => this.save(), 1000);
    return true;
  }

  /** Writes the answers to this tab's storage (a reload gets them back). */
  save() {
    clearTimeout(this.saving);
    this.saving = 0;
    if (!this.code) return;
    try {
      sessionStorage.setItem(storeName(this.code), JSON.stringify(this.log));
    } catch {
      // Storage full: the room still holds the newest answers.
    }
  }

  /** Students in the order they joined, and their results for `exercise`. */
  model(exercise, questions) {
    // Another exercise: the log is folded again, once.
    if (exercise !== this.folded.exercise) this.folded = { exercise, results: foldAnswers(this.log, exercise) };
    return { students: [...this.students.values()], questions, results: this.folded.results };
  }

  render(exercise, questions, names) {
    this.roster.update({ ...this.model(exercise, questions), names });
  }

  /**
   * The export: CSV and the same rows as JSON. Names go in only when the
   * room asked for them (a student without one is "student N").
   */
  exportFiles(exercise, questions, withNames) {
    const { students, results } = this.model(exercise, questions);
    const rows = exportRows({
      students: students.map((s) => ({ id: s.id, label: withNames && s.name ? s.name : `student ${s.number}`, step: s.step ?? '' })),
      questions,
      results,
      lesson: exercise ?? '',
    });
    return { csv: toCSV(EXPORT_COLUMNS, rows), json: toJSON(EXPORT_COLUMNS, rows) };
  }
}

/** Hands a file to the browser's downloads. */
export function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}
