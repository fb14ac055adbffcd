// The teacher's dashboard (#class-roster): one row per student, a cell per
// exercise question. A view: `update(model)` draws what changed since the
// last model, so a roster of 500 students costs only the rows that moved.
//
//   <tr data-student="ID" data-status="following|exploring|away|gone">
//     <th>name or "student N"</th> <td class="step">step</td>
//     <td data-question="0" data-answer="right|wrong|none">✓</td> …
//     <td class="score">right/asked</td> <td class="prediction">said</td>
//   </tr>
//
// Names are shown only when `model.names` is true (a projected dashboard
// must not expose a student): otherwise each student is "student N".

import { cellOf } from './results.js';

const MARK = { right: '✓', wrong: '✗', none: '·' };
const WORDS = { right: 'right at the first try', wrong: 'wrong at the first try', none: 'no answer' };
const STATUS = { following: 'following', exploring: 'exploring on their own', away: 'connection lost', gone: 'left' };

export class Roster {
  constructor(table) {
    this.table = table;
    // Laid out as grids (style.css), so the table's roles are said outright.
    table.setAttribute('role', 'table');
    this.head = table.createTHead();
    this.body = table.tBodies[0] ?? table.createTBody();
    this.rows = new Map(); // student id -> {tr, signature}
    this.headSignature = '';
  }

  /**
   * model: {students: [{id, number, name, status, step}], questions:
   * [{ask, prompt}], results: Map(id -> {questions: Map(q -> result),
   * prediction}), names: boolean}.
   */
  update({ students, questions, results, names }) {
    const headSignature = `${questions.length}|${questions.map((q) => q.ask).join(' ')}`;
    if (headSignature !== this.headSignature) {
      this.headSignature = headSignature;
      const tr = document.createElement('tr');
      const th = (text, title = '') => Object.assign(document.createElement('th'), { textContent: text, title, scope: 'col' });
      tr.setAttribute('role', 'row');
      tr.append(th('Student'), th('Step'), ...questions.map((q, i) => th(`Q${i + 1}`, q.prompt ?? q.ask)), th('Score'), th('Prediction'));
      for (const cell of tr.children) cell.setAttribute('role', 'columnheader');
      this.head.replaceChildren(tr);
      this.table.style.setProperty('--questions', questions.length);
      // The rows are built again for the new questions.
      for (const row of this.rows.values()) row.tr.remove();
      this.rows.clear();
    }
    const seen = new Set();
    let previous = null;
    for (const s of students) {
      seen.add(s.id);
      let row = this.rows.get(s.id);
      if (!row) {
        row = this.newRow(s.id, questions.length);
        this.rows.set(s.id, row);
      }
      this.fill(row, s, questions.length, results.get(s.id), names);
      // Keep the students' order without moving rows that are in place.
      const want = previous ? previous.nextSibling : this.body.firstChild;
      if (want !== row.tr) this.body.insertBefore(row.tr, want);
      previous = row.tr;
    }
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.tr.remove();
        this.rows.delete(id);
      }
    }
  }

  newRow(id, count) {
    const tr = document.createElement('tr');
    tr.dataset.student = id;
    const name = Object.assign(document.createElement('th'), { scope: 'row' });
    const step = Object.assign(document.createElement('td'), { className: 'step' });
    const cells = Array.from({ length: count }, (_, i) => {
      const td = document.createElement('td');
      td.dataset.question = i;
      return td;
    });
    const score = Object.assign(document.createElement('td'), { className: 'score' });
    const prediction = Object.assign(document.createElement('td'), { className: 'prediction' });
    tr.append(name, step, ...cells, score, prediction);
    tr.setAttribute('role', 'row');
    name.setAttribute('role', 'rowheader');
    for (const cell of [step, ...cells, score, prediction]) cell.setAttribute('role', 'cell');
    // What each element shows now: only what changes is written again.
    return { tr, name, step, cells, score, prediction, shown: { cells: [] } };
  }

  /** Writes what changed in a student's row (a roster update touches only those nodes). */
  fill(row, s, count, mine, names) {
    const shown = row.shown;
    const set = (key, value, write) => {
      if (shown[key] !== value) {
        shown[key] = value;
        write(value);
      }
    };
    set('status', s.status, (v) => {
      row.tr.dataset.status = v;
      row.name.title = STATUS[v] ?? v;
    });
    set('label', names && s.name ? s.name : `student ${s.number}`, (v) => (row.name.textContent = v));
    set('step', s.step ?? '', (v) => {
      row.step.textContent = v;
      row.step.title = v;
    });
    let right = 0;
    let answered = 0;
    for (let i = 0; i < count; i++) {
      const c = cellOf(mine?.questions.get(i));
      if (c === 'right') right++;
      if (c !== 'none') answered++;
      if (shown.cells[i] === c) continue;
      shown.cells[i] = c;
      const td = row.cells[i];
      td.dataset.answer = c;
      td.textContent = MARK[c];
      td.setAttribute('aria-label', `question ${i + 1}: ${WORDS[c]}`);
    }
    set('score', count ? `${right}/${answered}` : '', (v) => (row.score.textContent = v));
    const p = mine?.prediction;
    set('prediction', p ? `${p.said}${p.right ? ' ✓' : ''}` : '', (v) => {
      row.prediction.textContent = v;
      row.prediction.title = p ? `said ${p.said}, the answer was ${p.actual}` : '';
    });
  }
}
