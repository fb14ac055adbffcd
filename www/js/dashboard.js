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

import { EXPORT_COLUMNS, exportRows, foldAnswers, toCSV, toJSON } from './results.js';
import { Roster } from './roster.js';

const storeName = (code) => `wirepad:room-answers:${code}`;

export class Dashboard {
  constructor(table) {
    this.roster = new Roster(table);
    this.code = null;
    this.reset(null);
  }

  /** A room entered (or left, `code` null): its answers so far come back from storage. */
  reset(code) {
    this.code = code;
    this.students = new Map(); // follower -> {id, number, name, status}
    this.log = []; // [{follower, answer}] in the order received
    this.seen = new Set(); // each answer once (the room resends them to a teacher who comes back)
    const kept = code ? JSON.parse(sessionStorage.getItem(storeName(code)) ?? '[]') : [];
    for (const a of kept) this.add(a.follower, a.answer, false);
  }

  student({ follower, name, status, step }) {
    this.students.set(follower, { id: follower, number: follower, name, status, step: step ?? this.students.get(follower)?.step });
  }

  /** Each student's latest prediction: Map(follower -> {ask, question, said, actual, right}). */
  predictions() {
    const out = new Map();
    for (const [follower, r] of foldAnswers(this.log, null)) if (r.prediction) out.set(follower, r.prediction);
    return out;
  }

  /** Adds one answer; false if it was had already. */
  add(follower, answer, keep = true) {
    const key = JSON.stringify([follower, answer]);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.log.push({ follower, answer });
    if (keep && this.code) {
      try {
        sessionStorage.setItem(storeName(this.code), JSON.stringify(this.log));
      } catch {
        // Storage full: the room still holds the newest answers.
      }
    }
    return true;
  }

  /** Students in the order they joined, and their results for `exercise`. */
  model(exercise, questions) {
    const results = foldAnswers(this.log, exercise);
    return { students: [...this.students.values()], questions, results };
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
