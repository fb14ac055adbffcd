// The class's results (www/js/results.js): folding the room's answers per
// student and question, and the export's CSV and JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellOf, exportRows, EXPORT_COLUMNS, foldAnswers, tallyPredictions, toCSV, toJSON } from '../../www/js/results.js';

const ex = (follower, q, right, clicked, ms = 1000, exercise = 'e1') => ({ follower, answer: { kind: 'exercise', exercise, q, ask: `ask${q}`, right, clicked, ms } });

test('a first right click is right at the first try; later clicks change nothing', () => {
  const r = foldAnswers([ex(1, 0, true, 'status-code', 2500), ex(1, 0, false, 'reason-phrase')], 'e1');
  assert.deepEqual(r.get(1).questions.get(0), { ask: 'ask0', first: 'status-code', rightFirst: true, right: true, tries: 1, ms: 2500 });
  assert.equal(cellOf(r.get(1).questions.get(0)), 'right');
});

test('wrong, wrong, right: three tries, wrong at the first, the first click kept', () => {
  const r = foldAnswers([ex(2, 1, false, 'header-name'), ex(2, 1, false, 'crlf'), ex(2, 1, true, 'status-code'), ex(2, 1, false, 'x')], 'e1');
  const q = r.get(2).questions.get(1);
  assert.equal(q.first, 'header-name');
  assert.equal(q.tries, 3);
  assert.equal(q.right, true);
  assert.equal(cellOf(q), 'wrong');
  assert.equal(cellOf(r.get(2).questions.get(0)), 'none');
});

test("answers to another exercise are not counted; a prediction is kept", () => {
  const r = foldAnswers([ex(3, 0, true, 'a', 1, 'old'), { follower: 3, answer: { kind: 'prediction', ask: 'status', said: '200', actual: '404', right: false } }], 'e1');
  assert.equal(r.get(3).questions.size, 0);
  assert.deepEqual(r.get(3).prediction, { ask: 'status', question: null, said: '200', actual: '404', right: false });
});

const said = (follower, s, { ask = 'status', question = null, actual = null } = {}) => ({
  follower,
  answer: { kind: 'prediction', ask, question, said: s, actual, right: actual !== null && s === actual },
});

test('predictions are gathered per answer, each student once (the latest), for the question asked only', () => {
  const log = [said(1, '404'), said(1, '200'), said(2, ' 200'), said(3, '404'), said(4, '301', { question: 'Where does it go?' }), said(5, '2', { ask: 'chunks' })];
  const latest = new Map([...foldAnswers(log, null)].map(([f, r]) => [f, r.prediction]));
  assert.deepEqual(tallyPredictions(latest, { ask: 'status', question: null }), [
    { said: '200', count: 2, right: null },
    { said: '404', count: 1, right: null },
  ]);
  assert.deepEqual(tallyPredictions(latest, { ask: 'status', question: 'Where does it go?' }), [{ said: '301', count: 1, right: null }]);
  // Checked: each answer says whether it was right.
  const checked = new Map([...foldAnswers([...log, said(1, '200', { actual: '200' }), said(3, '404', { actual: '200' })], null)].map(([f, r]) => [f, r.prediction]));
  assert.deepEqual(tallyPredictions(checked, { ask: 'status', question: null }), [
    { said: '200', count: 2, right: true },
    { said: '404', count: 1, right: false },
  ]);
});

test('the export has a row per student and question, a silent student included', () => {
  const results = foldAnswers([ex(1, 0, true, 'status-code', 1234), ex(1, 1, false, 'crlf', 800), ex(1, 1, true, 'empty-line')], 'e1');
  const students = [{ id: 1, label: 'Ada', step: 3 }, { id: 2, label: 'student 2', step: 3 }];
  const questions = [{ ask: 'status-code' }, { ask: 'empty-line' }];
  const rows = exportRows({ students, questions, results, lesson: 'socket' });
  assert.equal(rows.length, 4);
  assert.deepEqual(rows[0], ['Ada', 'socket', 3, '1', 'status-code', 'status-code', 'true', '1', '1.2', '', '', '', '']);
  assert.deepEqual(rows[1].slice(3, 9), ['2', 'empty-line', 'crlf', 'false', '2', '0.8']);
  assert.deepEqual(rows[2].slice(0, 9), ['student 2', 'socket', 3, '1', 'status-code', '', '', '0', '']);
  for (const r of rows) assert.equal(r.length, EXPORT_COLUMNS.length);
});

test('CSV quotes what it must, defuses formulas, ends lines with CRLF; JSON has the same fields', () => {
  const csv = toCSV(['a', 'b'], [['Smith, "Jo"', '=1+1'], ['line\nbreak', 'plain']]);
  assert.equal(csv, 'a,b\r\n"Smith, ""Jo""",\'=1+1\r\n"line\nbreak",plain\r\n');
  assert.deepEqual(JSON.parse(toJSON(['a', 'b'], [['x', 'y']])), [{ a: 'x', b: 'y' }]);
});
