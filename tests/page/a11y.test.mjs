// The page's accessibility, in real headless Chromium against a real
// `wirepad serve`: axe-core (npm) finds no WCAG 2.1 AA violation (nor a
// best-practice one) in each theme, with a response shown, during an
// exercise and with a class open; the wires are listboxes a keyboard walks
// and a screen reader announces element by element ("status code, 200").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { close, open, sendAndWait, setup, shareLink, shots, teardown } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const THEMES = ['light', 'dark', 'projector', 'projector-dark'];
const CHUNKED = 'GET /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
// A body longer than the body pane: the pane scrolls.
const LONG = Array.from({ length: 60 }, (_, i) => `line ${i + 1} of the body`).join('\n');
const ECHO = `POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: ${LONG.length}\r\nConnection: close\r\n\r\n${LONG}`;

let browser;
let relay;
let nodePort;

before(async () => {
  ({ browser, relay, nodePort } = await setup());
});

after(() => teardown(browser));

const link = (request) => shareLink(relay.url, '127.0.0.1', nodePort, request);

/** Switches the page to `theme` with its own buttons (#theme, #projector), and waits until it shows. */
async function setTheme(page, theme) {
  const dark = theme.endsWith('dark');
  const projector = theme.startsWith('projector');
  const now = await page.evaluate(() => ({ dark: document.documentElement.dataset.theme === 'dark', projector: document.body.classList.contains('projector') }));
  if (now.dark !== dark) await page.click('#theme');
  if (now.projector !== projector) await page.click('#projector');
  await page.waitForFunction(([dark, projector]) => (document.documentElement.dataset.theme === 'dark') === dark && document.body.classList.contains('projector') === projector, [dark, projector]);
  // The wires lay their rows out again for the new font: wait for that frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** axe-core's violations on the page as it is: [{id, impact, help, nodes: [{target, summary}]}]. */
async function violations(page) {
  // Evaluated by the driver, not as a script tag: the page's CSP allows no inline script.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })) }));
  }, TAGS);
}

/** Runs axe in every theme; fails with every violation listed (id, target, summary) if any theme has one. */
async function assertNoViolations(page, state) {
  const report = [];
  const counts = {};
  for (const theme of THEMES) {
    await setTheme(page, theme);
    const found = await violations(page);
    counts[theme] = found.reduce((n, v) => n + v.nodes.length, 0);
    for (const v of found) {
      report.push(`[${state} · ${theme}] ${v.id} (${v.impact}): ${v.help}`);
      for (const n of v.nodes) report.push(`    ${n.target}\n      ${n.summary.replaceAll('\n', '\n      ')}`);
    }
    if (found.length) await page.screenshot({ path: `${shots}/a11y-${state.replaceAll(' ', '-')}-${theme}.png` });
  }
  console.log(`axe, ${state}: ${JSON.stringify(counts)} (elements with a violation, by theme)`);
  assert.equal(report.length, 0, `axe-core found violations:\n${report.join('\n')}`);
}

test('axe: no violation with a response shown, a part marked and the status code selected, in every theme', async () => {
  const page = await open(browser, link(CHUNKED));
  await sendAndWait(page);
  // A mark (colour 2, with a note) on the reason phrase, then the status code selected.
  await page.click('#response-wire [data-kind="reason-phrase"]');
  await page.fill('#mark-text', 'ignored by clients');
  await page.click('#mark-2');
  await page.waitForSelector('#response-wire .mk-c2[data-kind="reason-phrase"]');
  await page.click('#response-wire [data-kind="status-code"]');
  await page.waitForSelector('#response-wire .sel[data-kind="status-code"]');
  await assertNoViolations(page, 'response shown');
  await close(page);
});

test('axe: no violation during an exercise on a response with a long body, in every theme', async () => {
  const page = await open(browser, link(ECHO));
  await sendAndWait(page);
  await page.click('#exercise');
  await page.waitForSelector('#exercise-bar:not([hidden])');
  // One part named right, one wrong: the feedback and a mark show too.
  await page.click('#response-wire [data-kind="http-version"]');
  await page.waitForFunction(() => /^Right: /.test(document.querySelector('#exercise-feedback').textContent));
  // A click after a right answer goes on to the next question; the next one answers wrong.
  const asked = await page.textContent('#exercise-question');
  await page.click('#response-wire [data-kind="http-version"]');
  await page.waitForFunction((q) => document.querySelector('#exercise-question').textContent !== q, asked);
  await page.click('#response-wire [data-kind="http-version"]');
  await page.waitForFunction(() => /^That is /.test(document.querySelector('#exercise-feedback').textContent));
  await assertNoViolations(page, 'exercise');
  await close(page);
});

test('axe: no violation with a class open (the teacher\'s page), in every theme', async () => {
  const page = await open(browser, link(CHUNKED));
  await sendAndWait(page);
  await page.click('#class-start');
  await page.waitForFunction(() => /#room=\w{8}$/.test(document.querySelector('#class-link').textContent));
  await page.waitForFunction(() => document.querySelector('#class-qr').complete && document.querySelector('#class-qr').naturalWidth > 0);
  await assertNoViolations(page, 'class open');
  await page.click('#class-end');
  await close(page);
});

/** What Chromium tells a screen reader about the element the wire's keyboard is on: {role, name, selected}. */
async function announced(page, wire) {
  const id = await page.getAttribute(`#${wire}`, 'aria-activedescendant');
  assert.ok(id, `#${wire} has an active descendant`);
  const cdp = await page.context().newCDPSession(page);
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: `#${wire} #${id}` });
  assert.ok(nodeId, `the active descendant #${id} is inside #${wire}`);
  const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
  await cdp.detach();
  const node = nodes.find((n) => !n.ignored) ?? nodes[0];
  const selected = node.properties?.find((p) => p.name === 'selected')?.value.value ?? false;
  return { role: node.role?.value, name: node.name?.value, selected };
}

test('each wire is a listbox: arrows, Home and End reach every element, announced by its kind in words and its bytes', async () => {
  const page = await open(browser, link(CHUNKED));
  await sendAndWait(page);
  assert.equal(await page.getAttribute('#response-wire', 'role'), 'listbox');
  assert.equal(await page.getAttribute('#response-wire', 'aria-label'), 'response bytes');
  await page.focus('#response-wire');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await announced(page, 'response-wire'), { role: 'option', name: 'HTTP version, HTTP/1.1', selected: true });
  await page.keyboard.press('ArrowRight');
  assert.equal((await announced(page, 'response-wire')).name, 'space');
  await page.keyboard.press('ArrowRight');
  assert.equal((await announced(page, 'response-wire')).name, 'status code, 200');
  assert.equal(await page.getAttribute('#response-wire .sel', 'data-kind'), 'status-code', 'the element reached is selected (and explained)');
  assert.match(await page.textContent('#explain'), /Status code/);
  // Down: the first element of the next line, a field name.
  await page.keyboard.press('ArrowDown');
  assert.match((await announced(page, 'response-wire')).name, /^field name, [A-Za-z-]+$/);
  await page.keyboard.press('ArrowUp');
  assert.equal((await announced(page, 'response-wire')).name, 'HTTP version, HTTP/1.1');
  await page.keyboard.press('End');
  assert.equal((await announced(page, 'response-wire')).name, 'empty line, CRLF');
  const count = await page.$eval('#response-wire', (el) => new Set([...el.querySelectorAll('[data-span]')].map((e) => e.dataset.span)).size);
  assert.equal(await page.getAttribute('#response-wire .cur', 'aria-posinset'), String(count));
  assert.equal(await page.getAttribute('#response-wire .cur', 'aria-setsize'), String(count));
  await page.keyboard.press('Home');
  assert.equal((await announced(page, 'response-wire')).name, 'HTTP version, HTTP/1.1');
  // The request wire too, with its line ends in words.
  await page.focus('#request-wire');
  await page.keyboard.press('ArrowRight');
  assert.equal((await announced(page, 'request-wire')).name, 'method, GET');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  assert.equal((await announced(page, 'request-wire')).name, 'line end (CRLF), CRLF');
  // In an exercise an element is announced by its bytes only: its kind is what the student names.
  await page.click('#exercise');
  await page.focus('#response-wire');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await announced(page, 'response-wire'), { role: 'option', name: '200', selected: false });
  assert.equal(await page.$('#response-wire .sel'), null, 'moving selects nothing in an exercise');
  await close(page);
});
