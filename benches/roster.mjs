// The teacher's dashboard at lecture-hall size, in headless Chromium: the
// roster view (www/js/roster.js) with 500 students and 12 questions, fed by
// the results fold (www/js/results.js), on the page `wirepad serve` serves.
// Times, on the page's main thread (its own clock), one roster update:
//   - the first draw of 500 rows;
//   - one student's answer arriving (one row changes);
//   - 500 answers arriving in one frame (every row changes: what the page
//     meets at 500 answers a second, drawn once per frame);
// each the fold of the new answers plus the view's update and the layout
// it forces, median of 15.
// Usage: node benches/roster.mjs   (after `make build`)
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

const port = await freePort();
const practice = await freePort();
const server = spawn(`${root}target/release/wirepad`, ['serve', '--listen', `127.0.0.1:${port}`, '--practice-listen', `127.0.0.1:${practice}`], { stdio: 'ignore' });
const browser = await launch();
try {
  const page = await browser.newPage(1400, 900);
  for (let i = 0; ; i++) {
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await page.waitFor(() => document.readyState === 'complete');
  const figures = await page.evaluate(async () => {
    const { Roster } = await import('/js/roster.js');
    const { foldAnswers } = await import('/js/results.js');
    const STUDENTS = 500;
    const QUESTIONS = 12;
    const table = document.createElement('table');
    table.id = 'class-roster';
    document.body.append(table);
    const roster = new Roster(table);
    const students = Array.from({ length: STUDENTS }, (_, i) => ({ id: i + 1, number: i + 1, name: `Student ${i + 1}`, status: 'following', step: 1 }));
    const questions = Array.from({ length: QUESTIONS }, (_, q) => ({ ask: `part-${q}`, prompt: `question ${q + 1}` }));
    const answers = [];
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // One update as the page does it: fold, draw, and the layout it forces.
    const results = new Map();
    let folded = 0;
    const update = () => {
      const t0 = performance.now();
      foldAnswers(answers.slice(folded), 'e', results);
      folded = answers.length;
      roster.update({ students, questions, results, names: true });
      void table.offsetHeight;
      return performance.now() - t0;
    };
    const first = update();
    let q = 0;
    const one = [];
    for (let i = 0; i < 15; i++) {
      answers.push({ follower: 1 + ((i * 37) % STUDENTS), answer: { kind: 'exercise', exercise: 'e', q: q % QUESTIONS, ask: 'x', right: i % 3 !== 0, clicked: 'x', ms: 900 } });
      one.push(update());
    }
    const all = [];
    for (let i = 0; i < 15; i++) {
      q++;
      for (let s = 1; s <= STUDENTS; s++) answers.push({ follower: s, answer: { kind: 'exercise', exercise: 'e', q: q % QUESTIONS, ask: 'x', right: (s + q) % 4 !== 0, clicked: 'x', ms: 1200 } });
      all.push(update());
    }
    return { first, one: median(one), all: median(all), answers: answers.length };
  });
  console.log(`roster of 500 students, 12 questions (${figures.answers} answers at the end)`);
  console.log(`first draw: ${figures.first.toFixed(1)} ms`);
  console.log(`one answer arrives (one row changes), median of 15: ${figures.one.toFixed(2)} ms`);
  console.log(`500 answers in one frame (every row changes), median of 15: ${figures.all.toFixed(1)} ms (goal < 16 ms)`);
} finally {
  await browser.close();
  server.kill();
}
