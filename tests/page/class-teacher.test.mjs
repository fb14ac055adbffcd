// The teacher's dashboard in real Chromium (issue 23): a teacher and three
// students in a room that asks for names (optional): Ada gives hers and
// answers right, a nameless student answers wrong and leaves, Cy explores
// on his own and does not answer. The roster's statuses and cells, names
// off the projector until turned on, a pause that blocks followers' input,
// the predictions gathered, the answers revealed, a snapshot of one
// student's work, the export's CSV rows (also after the teacher reloads,
// and after the class ended), and the end of the class on a follower's
// page. A second test: each student's lesson step on the roster, and a
// student-paced class brought back to the teacher.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import WebSocket from 'ws';
import { closeLeftOpen, close, open, sendAndWait, setup, shareLink, shots, teardown } from './harness.mjs';

let browser, relay, nodePort;

before(async () => {
  ({ browser, relay, nodePort } = await setup());
});

after(() => teardown(browser));
afterEach(closeLeftOpen);

/** The row of the student whose name cell reads `label` (names shown). */
const rowOf = (page, label) => page.evaluate((l) => {
  const tr = [...document.querySelectorAll('#class-roster [data-student]')].find((r) => r.querySelector('th').textContent === l);
  return tr ? { id: tr.dataset.student, status: tr.dataset.status, answer: tr.querySelector('[data-question="0"]')?.dataset.answer } : null;
}, label);

/** Clicks #class-export and reads the two files it downloads: {csv, json}. */
async function exported(page) {
  const files = [];
  const both = new Promise((resolve) => page.on('download', (d) => files.push(d) === 2 && resolve()));
  await page.click('#class-export');
  await both;
  const out = {};
  for (const d of files) out[d.suggestedFilename().split('.').pop()] = await readFile(await d.path(), 'utf8');
  return out;
}

/** The CSV's lines for question 1, as {student: fields}. */
function firstQuestion(csv) {
  const [head, ...lines] = csv.trimEnd().split('\r\n');
  const cols = head.split(',');
  const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v]))).filter((r) => r.question === '1');
  return { cols, rows: Object.fromEntries(rows.map((r) => [r.student, r])) };
}

test('the dashboard: names, statuses, a cell per question, the export (after a reload too), end of class', async () => {
  const teacher = await open(browser, shareLink(relay.url, '127.0.0.1', nodePort, 'GET /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
  await teacher.selectOption('#class-names-mode', 'optional');
  await teacher.click('#class-start');
  await teacher.waitForFunction(() => /#room=[A-HJ-NP-Z2-9]{8}&names=optional$/.test(document.querySelector('#class-link').textContent));
  const link = await teacher.textContent('#class-link');

  // Joining asks for a name (optional here: one student gives none).
  const students = {};
  for (const [who, name] of [['ada', 'Ada'], ['anon', ''], ['cy', 'Cy']]) {
    const page = await open(browser, link);
    await page.waitForSelector('#class-name-form:not([hidden])');
    await page.fill('#class-name', name);
    await page.click('#class-name-form button');
    await page.waitForFunction(() => /Following the teacher/.test(document.querySelector('#class-status').textContent));
    students[who] = page;
  }
  const { ada, anon, cy } = students;
  await teacher.waitForFunction(() => document.querySelectorAll('#class-roster [data-student][data-status="following"]').length === 3);

  // The table is shown on request (it takes the wires' room on a projector).
  assert.equal(await teacher.isVisible('#class-roster'), false);
  await teacher.click('#class-roster-toggle');
  assert.equal(await teacher.isVisible('#class-roster'), true);

  // Names stay off the projector until the teacher turns them on.
  const labels = () => teacher.$$eval('#class-roster [data-student] th', (ths) => ths.map((th) => th.textContent));
  assert.ok((await labels()).every((l) => /^student \d+$/.test(l)), `${await labels()}`);
  await teacher.check('#class-names-shown');
  await teacher.waitForFunction(() => [...document.querySelectorAll('#class-roster [data-student] th')].some((th) => th.textContent === 'Ada'));
  const shown = await labels();
  assert.deepEqual([shown[0], shown[2]], ['Ada', 'Cy']);
  assert.match(shown[1], /^student \d+$/, 'a student who gave no name is a number');
  const anonLabel = shown[1];

  // Pause: every follower's page is covered and takes no input until the teacher resumes.
  const covered = (page) => page.evaluate(() => {
    const b = document.querySelector('#class-break').getBoundingClientRect();
    const at = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
    return document.querySelector('#class-paused').open && Boolean(at?.closest('#class-paused'));
  });
  await teacher.click('#class-pause');
  for (const f of [ada, anon, cy]) await f.waitForFunction(() => document.querySelector('#class-paused').open);
  for (const f of [ada, anon, cy]) assert.equal(await covered(f), true, 'a click lands on the pause, not on the page');
  await cy.keyboard.press('Escape');
  assert.equal(await covered(cy), true, 'Escape does not lift the pause');
  await teacher.click('#class-pause');
  for (const f of [ada, anon, cy]) await f.waitForFunction(() => !document.querySelector('#class-paused').open);
  assert.equal(await covered(cy), false);

  // Cy explores on his own: the roster says so.
  await cy.click('#class-break');
  await teacher.waitForFunction(() => [...document.querySelectorAll('#class-roster [data-student]')].some((tr) => tr.querySelector('th').textContent === 'Cy' && tr.dataset.status === 'exploring'));

  // A prediction: the teacher asks, the students' answers are gathered.
  await teacher.click('#predict');
  for (const f of [ada, anon]) await f.waitForSelector('#predict-bar:not([hidden])');
  await ada.fill('#predict-answer', '200');
  await anon.fill('#predict-answer', '404');
  const gathered = () => teacher.$$eval('#class-predictions li', (lis) => lis.map((li) => [li.dataset.said, li.dataset.count, li.dataset.right ?? '']));
  await teacher.waitForFunction(() => document.querySelectorAll('#class-predictions li').length === 2);
  assert.deepEqual(await gathered(), [['200', '1', ''], ['404', '1', '']]);

  // An exercise: Ada right, the nameless student wrong, Cy silent.
  await sendAndWait(teacher);
  // Checked against what came back: the right answer says so.
  await teacher.waitForFunction(() => [...document.querySelectorAll('#class-predictions li')].every((li) => li.dataset.right));
  assert.deepEqual(await gathered(), [['200', '1', 'true'], ['404', '1', 'false']]);
  const length = await teacher.evaluate(() => window.wirepad.exchange().response.length);
  for (const f of [ada, anon]) await f.waitForFunction((n) => window.wirepad.exchange().response.length === n, length);
  await teacher.click('#exercise');
  for (const f of [ada, anon]) await f.waitForSelector('#exercise-bar:not([hidden])');
  assert.equal(await ada.getAttribute('#exercise-question', 'data-ask'), 'http-version');
  await ada.click('#response-wire [data-kind="http-version"]');
  await anon.click('#response-wire [data-kind="reason-phrase"]');
  await teacher.waitForFunction(() => document.querySelectorAll('#class-roster [data-question="0"][data-answer="wrong"]').length === 1);
  await teacher.waitForFunction(() => document.querySelectorAll('#class-roster [data-question="0"][data-answer="right"]').length === 1);
  assert.equal((await rowOf(teacher, 'Ada')).answer, 'right');
  assert.equal((await rowOf(teacher, anonLabel)).answer, 'wrong');
  assert.equal((await rowOf(teacher, 'Cy')).answer, 'none');
  // The prediction each gave is on its row.
  assert.equal(await teacher.$eval('#class-roster [data-student] .prediction', (td) => td.textContent), '200 ✓');

  // Reveal: every following student sees every right part marked; a click answers nothing more.
  const questions = await teacher.evaluate(() => document.querySelectorAll('#class-roster thead [role="columnheader"]').length - 4);
  assert.ok(questions > 1, `${questions} questions`);
  await teacher.click('#class-reveal');
  // The parts marked, by what each is (a mark's title ends with the parts asked, joined by ' & ').
  const marked = (page) => page.$$eval('#response-wire .mk-c3', (els) => [...new Set(els.flatMap((e) => e.title.split(': ').pop().split(' & ')))].sort());
  const revealed = await marked(teacher);
  for (const f of [ada, anon]) {
    await f.waitForSelector('#exercise-bar[data-revealed="true"]');
    assert.deepEqual(await marked(f), revealed, "the teacher's reveal, on each student's page");
    assert.equal(await f.isVisible('#exercise-next'), false, 'nothing left to answer or skip');
  }
  assert.equal(await teacher.isDisabled('#class-reveal'), true, 'revealed once');
  assert.equal(await cy.$('#exercise-bar[data-revealed="true"]'), null, 'a student exploring on his own keeps his page');

  // A snapshot of Ada's work on the teacher's screen, named only while names are shown.
  await teacher.selectOption('#class-snapshot-of', { label: 'Ada' });
  await teacher.click('#class-snapshot');
  await teacher.waitForSelector('#class-snapshot-view[data-state="shown"]');
  assert.equal(await teacher.textContent('#class-snapshot-who'), 'Ada');
  assert.match(await teacher.textContent('#class-snapshot-request'), /^GET \/chunked HTTP\/1\.1\r\n/);
  const hers = await teacher.$$eval('#class-snapshot-marks li', (lis) => [...new Set(lis.flatMap((li) => li.textContent.split(': ').pop().split(' & ')))].sort());
  assert.deepEqual(hers, revealed, 'her marks: the revealed parts');
  // Anonymous on the projector once names are off.
  await teacher.uncheck('#class-names-shown');
  await teacher.waitForFunction(() => document.querySelector('#class-snapshot-who').textContent === 'a student');
  await teacher.check('#class-names-shown');
  await teacher.screenshot({ path: `${shots}/class-dashboard-1400x900.png` });
  await ada.screenshot({ path: `${shots}/class-revealed-1400x900.png` });

  // The nameless student leaves for good: gone.
  await anon.click('#class-leave');
  await teacher.waitForFunction((l) => [...document.querySelectorAll('#class-roster [data-student]')].some((tr) => tr.querySelector('th').textContent === l && tr.dataset.status === 'gone'), anonLabel);

  // The export: a row per student and question, the columns documented in docs/page.md.
  const check = ({ csv, json }) => {
    const { cols, rows } = firstQuestion(csv);
    assert.deepEqual(cols, ['student', 'lesson', 'step', 'question', 'asked', 'first_click', 'right_first_try', 'tries', 'seconds', 'prediction', 'predicted', 'prediction_actual', 'prediction_right']);
    assert.deepEqual(Object.keys(rows).sort(), ['Ada', 'Cy', anonLabel].sort());
    assert.equal(rows.Ada.asked, 'http-version');
    assert.equal(rows.Ada.right_first_try, 'true');
    assert.equal(rows[anonLabel].right_first_try, 'false');
    assert.deepEqual([rows.Ada.predicted, rows.Ada.prediction_actual, rows.Ada.prediction_right], ['200', '200', 'true']);
    assert.notEqual(rows[anonLabel].first_click, '');
    assert.equal(rows.Cy.right_first_try, '');
    assert.equal(rows.Cy.tries, '0');
    assert.equal(JSON.parse(json).filter((r) => r.question === '1').length, 3);
    assert.deepEqual([...new Set(JSON.parse(json).map((r) => r.asked))].sort(), revealed, 'every part asked was revealed');
  };
  const before = await exported(teacher);
  check(before);

  // The teacher reloads: the roster and the results come back.
  await teacher.reload();
  await teacher.waitForFunction(() => document.querySelectorAll('#class-roster [data-student]').length === 3);
  await teacher.check('#class-names-shown');
  await teacher.waitForFunction(() => document.querySelector('#class-roster [data-question="0"][data-answer="right"]'));
  const after = await exported(teacher);
  check(after);
  assert.equal(after.csv, before.csv, 'the same results after a reload');

  // End of class: followers are told and cannot follow again.
  await teacher.click('#class-end');
  for (const f of [ada, cy]) {
    await f.waitForSelector('#class-ended:not([hidden])');
    assert.equal(await f.isVisible('#class-follow'), false, 'nothing to follow after the class ended');
  }
  // The teacher keeps the results to export, after a reload too, until closed.
  await teacher.waitForSelector('#class-over:not([hidden])');
  assert.equal(await teacher.isVisible('#class-end'), false, 'nothing live to drive');
  await teacher.check('#class-names-shown');
  assert.equal((await exported(teacher)).csv, before.csv, 'the same results after the class ended');
  await teacher.reload();
  await teacher.waitForSelector('#class-over:not([hidden])');
  await teacher.check('#class-names-shown');
  assert.equal((await exported(teacher)).csv, before.csv, 'and after a reload');
  await teacher.click('#class-close');
  assert.equal(await teacher.isVisible('#class-bar'), false);
  await teacher.reload();
  await teacher.waitForSelector('#request-wire [data-kind]');
  assert.equal(await teacher.isVisible('#class-bar'), false, 'closed for good');
  for (const p of [teacher, ada, anon, cy]) await close(p);
});

test("each student's lesson step on the roster; a student-paced class, brought back; a student's code checked", async () => {
  const teacher = await open(browser, `${relay.url}#lesson=socket`);
  await teacher.waitForSelector('#lesson-bar:not([hidden])');
  const count = await teacher.evaluate(() => Number(document.querySelector('#lesson-count').textContent.match(/of (\d+)/)[1]));
  assert.ok(count >= 3, `${count} steps`);
  await teacher.click('#class-start');
  await teacher.waitForFunction(() => /#room=/.test(document.querySelector('#class-link').textContent));
  const link = await teacher.textContent('#class-link');
  const [one, two] = [await open(browser, link), await open(browser, link)];
  await teacher.click('#class-roster-toggle');
  const steps = () => teacher.$$eval('#class-roster [data-student]', (trs) => trs.map((tr) => [tr.dataset.status, tr.querySelector('.step').textContent]));
  const title = await teacher.textContent('#lesson-title');
  // Teacher-paced: every student is on the teacher's step.
  await teacher.waitForFunction((t) => [...document.querySelectorAll('#class-roster .step')].filter((td) => td.textContent === `1/${document.querySelector('#lesson-count').textContent.match(/of (\d+)/)[1]} · ${t}`).length === 2, title);
  await teacher.click('#lesson-next');
  await teacher.waitForFunction((c) => [...document.querySelectorAll('#class-roster .step')].every((td) => td.textContent.startsWith(`2/${c} `)) && document.querySelectorAll('#class-roster .step').length === 2, count);

  // Student-paced: each moves alone, still in the class (not exploring).
  await teacher.click('#class-paced');
  assert.equal(await teacher.getAttribute('#class-paced', 'aria-pressed'), 'true');
  for (const f of [one, two]) {
    await f.waitForFunction(() => /Student-paced/.test(document.querySelector('#class-status').textContent));
    await f.waitForSelector('#lesson-next:not([disabled])');
    assert.match(await f.textContent('#lesson-count'), /^step 2 of/, "each starts at the teacher's step");
  }
  await one.click('#lesson-next');
  await one.click('#lesson-next');
  await teacher.waitForFunction((c) => [...document.querySelectorAll('#class-roster .step')].some((td) => td.textContent.startsWith(`4/${c} `)), count);
  assert.deepEqual((await steps()).map(([status, step]) => [status, step.split(' ')[0]]).sort(), [['following', '2/' + count], ['following', '4/' + count]]);
  assert.match(await teacher.textContent('#lesson-count'), /^step 2 of/, "the teacher's own step did not move");

  // Brought back: everyone is on the teacher's step again, and cannot move it.
  await teacher.click('#class-paced');
  for (const f of [one, two]) {
    await f.waitForFunction(() => /Following the teacher/.test(document.querySelector('#class-status').textContent));
    await f.waitForFunction(() => /^step 2 of/.test(document.querySelector('#lesson-count').textContent) && document.querySelector('#lesson-next').disabled);
  }
  await teacher.waitForFunction((c) => [...document.querySelectorAll('#class-roster .step')].every((td) => td.textContent.startsWith(`2/${c} `)), count);

  // A snapshot nobody asked for is not shown: a student cannot push one onto the teacher's screen.
  const code8 = link.split('#room=')[1];
  const rogue = new WebSocket(`${relay.url.replace('http', 'ws')}room?code=${code8}`, { origin: relay.url.slice(0, -1) });
  await new Promise((resolve, reject) => rogue.on('message', (d) => JSON.parse(d).type === 'joined' && resolve()).on('error', reject));
  rogue.send(JSON.stringify({ type: 'answer', answer: { kind: 'snapshot', request: Buffer.from('GET /pushed HTTP/1.1\r\n\r\n').toString('base64url') } }));
  rogue.send(JSON.stringify({ type: 'step', step: 'after the snapshot' }));
  await teacher.waitForFunction(() => [...document.querySelectorAll('#class-roster .step')].some((td) => td.textContent === 'after the snapshot'));
  assert.equal(await teacher.isVisible('#class-snapshot-view'), false, 'an unasked snapshot is dropped');
  rogue.close();

  // A code a student read off the practice server's wire, checked from the teacher's page.
  const code = (await fetch(`http://127.0.0.1:${relay.practice}/code?student=Ada`)).headers.get('x-student-code');
  assert.match(code, /^[0-9a-f]{8}$/);
  await teacher.click('#class-code-check');
  await teacher.fill('#code-check-student', 'Ada');
  await teacher.fill('#code-check-code', code);
  await teacher.click('#code-check-run');
  await teacher.waitForSelector('#code-check-result[data-right="true"]');
  await teacher.fill('#code-check-student', 'Bob');
  await teacher.click('#code-check-run');
  await teacher.waitForSelector('#code-check-result[data-right="false"]');
  assert.match(await teacher.textContent('#code-check-result'), /not Bob's code/);
  await teacher.click('#code-check button[value="close"]');
  assert.equal(await teacher.isVisible('#code-check'), false);
  await teacher.click('#class-end');
  for (const p of [teacher, one, two]) await close(p);
});
