// The room mirrors a declared slice of the teacher's store (www/js/reducers.js,
// roomSlice): in real Chromium, against a real `wirepad serve`, a follower
// sees the lesson's prose and its prediction question as the teacher's page
// shows them, step by step, and answers the question on its own page.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { closeLeftOpen, close, launchBrowser, open, root, startOnFreePort, teardown } from './harness.mjs';

let browser;
let url;

before(async () => {
  const bin = process.env.WIREPAD_BIN || `${root}target/release/wirepad`;
  // Every page joins from one address: the join budget is raised as e2e's is.
  const port = await startOnFreePort((port) => [bin, ['serve', '--listen', `127.0.0.1:${port}`, '--no-practice', '--join-rate', '100']]);
  url = `http://127.0.0.1:${port}/`;
  browser = await launchBrowser();
});

after(() => teardown(browser));
afterEach(closeLeftOpen);

/** Waits until `selector`'s text is `want`, then asserts it (a wrong text fails with what was shown). */
async function shows(page, selector, want, message) {
  await page.waitForFunction(([sel, w]) => document.querySelector(sel)?.textContent === w, [selector, want], { timeout: 5000 }).catch(() => {});
  assert.equal(await page.textContent(selector), want, message);
}

test("a follower sees the teacher's lesson step, its prose and its prediction question, and moves with it", async () => {
  const teacher = await open(browser, url);
  await teacher.click('#class-start');
  await teacher.waitForFunction(() => /#room=[A-HJ-NP-Z2-9]{8}$/.test(document.querySelector('#class-link').textContent));
  const link = await teacher.textContent('#class-link');
  const follower = await open(browser, link);
  await follower.waitForFunction(() => /Following the teacher/.test(document.querySelector('#class-status').textContent));
  await teacher.waitForFunction(() => document.querySelector('#class-followers').textContent === '1 following');

  // The teacher opens the chunked lesson: its first step asks a question.
  await teacher.selectOption('#preset', 'lesson:chunked');
  await teacher.waitForFunction(() => document.querySelector('#lesson-count').textContent === 'step 1 of 4');
  const prose = await teacher.textContent('#lesson-step');
  const question = await teacher.textContent('#predict-question');
  assert.match(prose, /does not know the length of a body/);
  assert.match(question, /How many chunks/);

  await follower.waitForSelector('#lesson-bar:not([hidden])', { timeout: 5000 }).catch(() => {});
  await shows(follower, '#lesson-step', prose, "the follower reads the teacher's lesson prose");
  await shows(follower, '#lesson-title', await teacher.textContent('#lesson-title'));
  await shows(follower, '#lesson-count', 'step 1 of 4');
  await shows(follower, '#predict-question', question, "the follower is asked the teacher's question");
  assert.equal(await follower.isVisible('#predict-bar'), true);
  assert.equal(await follower.isDisabled('#lesson-next'), true, "only the teacher's page moves the lesson");
  // Each student answers on their own page: typing there is the student's, not the teacher's.
  await follower.fill('#predict-answer', '3');
  assert.equal(await teacher.inputValue('#predict-answer'), '');

  // The teacher goes on: the follower's step follows, and the question goes away.
  await teacher.click('#lesson-next');
  await shows(teacher, '#lesson-count', 'step 2 of 4');
  await shows(follower, '#lesson-count', 'step 2 of 4', "the follower moves with the teacher's lesson");
  await shows(follower, '#lesson-step', await teacher.textContent('#lesson-step'));
  await follower.waitForSelector('#predict-bar[hidden]', { state: 'attached', timeout: 5000 }).catch(() => {});
  assert.equal(await follower.isVisible('#predict-bar'), false, 'step 2 asks nothing');

  // The teacher leaves the lesson: so does the follower.
  await teacher.click('#lesson-close');
  await follower.waitForSelector('#lesson-bar[hidden]', { state: 'attached', timeout: 5000 }).catch(() => {});
  assert.equal(await follower.isVisible('#lesson-bar'), false);
  await close(follower);
  await close(teacher);
});
