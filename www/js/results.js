// A class's results: what the teacher's dashboard (#class-roster) shows and
// what #class-export writes, as pure functions over what the room delivers.
//
// The room hands the teacher every answer a follower sends, each click of an
// exercise included, in the order they were sent:
//   {follower, answer: {kind: "exercise", exercise, q, ask, right, clicked, ms}}
// (`ms`: from the question appearing on the follower's screen to the click),
// and each prediction as {kind: "prediction", ask, said, actual, right}.
// From them, per follower and question: the first click, whether it was
// right, how many tries it took to be right, and when.

/** The cell of question q for one student: 'right' (first try), 'wrong', or 'none'. */
export function cellOf(result) {
  if (!result) return 'none';
  return result.rightFirst ? 'right' : 'wrong';
}

/**
 * Folds answers into results: Map(follower -> {questions: Map(q -> result),
 * prediction}). A result is {ask, first, rightFirst, tries, right, ms}:
 * `first` is the first part clicked, `tries` the clicks until the first
 * right one (all of them when none was right), `ms` the first click's time.
 * Only answers to `exercise` count (an earlier exercise's are dropped).
 * Given the results of the answers before these (`students`), it adds
 * these to them: a dashboard folds each answer once.
 */
export function foldAnswers(answers, exercise, students = new Map()) {
  const of = (follower) => {
    if (!students.has(follower)) students.set(follower, { questions: new Map(), prediction: null });
    return students.get(follower);
  };
  for (const { follower, answer: a } of answers) {
    if (a?.kind === 'prediction') {
      of(follower).prediction = { ask: a.ask, question: a.question ?? null, said: String(a.said ?? ''), actual: a.actual ?? null, right: a.actual == null ? null : Boolean(a.right) };
      continue;
    }
    if (a?.kind !== 'exercise' || a.exercise !== exercise || !Number.isInteger(a.q)) continue;
    const questions = of(follower).questions;
    const r = questions.get(a.q);
    if (!r) {
      questions.set(a.q, { ask: a.ask, first: a.clicked ?? '', rightFirst: Boolean(a.right), right: Boolean(a.right), tries: 1, ms: a.ms ?? null });
    } else if (!r.right) {
      r.tries++;
      r.right = Boolean(a.right);
    }
  }
  return students;
}

/**
 * The predictions gathered for one question (`asked`: {ask, question}, as
 * the teacher's page shows it): [{said, count, right}], the most said first.
 * Only students' latest predictions to that question count; `right` is
 * whether that answer was right once checked (null before).
 */
export function tallyPredictions(predictions, asked) {
  const counts = new Map();
  for (const p of predictions.values()) {
    if (p.ask !== asked.ask || (p.question ?? null) !== (asked.question ?? null)) continue;
    const said = p.said.trim();
    const c = counts.get(said) ?? { said, count: 0, right: null };
    c.count++;
    if (p.right !== null) c.right = p.right;
    counts.set(said, c);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.said.localeCompare(b.said, 'en', { numeric: true }));
}

/** The columns of the export, in order (docs/page.md documents each). */
export const EXPORT_COLUMNS = ['student', 'lesson', 'step', 'question', 'asked', 'first_click', 'right_first_try', 'tries', 'seconds', 'prediction', 'predicted', 'prediction_actual', 'prediction_right'];

/**
 * The export's rows: one per student and question asked (a student who
 * answered nothing gets a row per question, empty where it did not answer),
 * each carrying the student's prediction. `students`: [{id, label, step}]
 * (label: the name, or "student N"); `questions`: [{ask, prompt}] by index.
 */
export function exportRows({ students, questions, results, lesson = '', step = '' }) {
  const rows = [];
  for (const s of students) {
    const mine = results.get(s.id) ?? { questions: new Map(), prediction: null };
    const p = mine.prediction;
    const predicted = p ? [p.ask, p.said, p.actual, String(p.right)] : ['', '', '', ''];
    const list = questions.length ? questions : [null];
    list.forEach((q, i) => {
      const r = q && mine.questions.get(i);
      rows.push([
        s.label,
        lesson,
        s.step ?? step,
        q ? String(i + 1) : '',
        q?.ask ?? '',
        r?.first ?? '',
        r ? String(r.rightFirst) : '',
        r ? String(r.tries) : '0',
        r?.ms == null ? '' : (r.ms / 1000).toFixed(1),
        ...predicted,
      ]);
    });
  }
  return rows;
}

/** RFC 4180 CSV: a header line, then the rows; fields quoted when they must be; CRLF line ends. */
export function toCSV(columns, rows) {
  const field = (v) => {
    const s = String(v ?? '');
    // A leading = + - @ would be a formula in a spreadsheet: kept as text.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return [columns, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** The same rows as JSON: an array of objects keyed by the columns. */
export function toJSON(columns, rows) {
  return JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))), null, 1);
}
