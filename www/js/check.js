// The server check panel (#check): the suite of `wirepad check` run from the
// page. The suite, every request it writes and every verdict are the core's
// (src/check/, exported by the `check` build, www/pkg-check, loaded only when
// a check runs); this module only moves bytes between a CheckRun and a relay
// WebSocket, one per check, as `wirepad check` does over TCP, and draws the
// list: one `[data-check]` element per check, `data-verdict` once it is done.

const AT_ONCE = 16; // checks running at once, as `wirepad check --jobs`

let build;

/** The `check` build (www/pkg-check), loaded the first time it is asked for. */
export function checkBuild() {
  build ??= import('../pkg-check/wirepad.js').then(async (mod) => {
    await mod.default();
    return mod;
  });
  return build;
}

/**
 * Runs check `id` over one relay WebSocket (`url`); resolves with its outcome
 * (`{id, level, section, category, title, rule, verdict, why, sent,
 * received, closed, connected, ms}`). `stopped()` says the run was given up.
 */
function runOne(mod, id, { url, authority, path }, stopped) {
  return new Promise((resolve) => {
    const run = new mod.CheckRun(id, authority, path);
    const start = performance.now();
    const now = () => performance.now() - start;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let timer;
    let connected = false;
    let done = false;
    const end = (outcome) => {
      done = true;
      clearTimeout(timer);
      ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close();
      resolve(outcome);
    };
    // Does what the run asks until it waits: sends, or sleeps until its deadline.
    const step = () => {
      if (done) return;
      clearTimeout(timer);
      if (stopped()) return end(run.unreachable('the check was stopped', now()));
      for (;;) {
        const action = run.next(now());
        if (action === undefined) return end(run.finish(now()));
        if (typeof action === 'number') {
          timer = setTimeout(step, Math.max(0, action - now()) + 1);
          return;
        }
        ws.send(action);
      }
    };
    ws.onmessage = (e) => {
      if (done) return;
      if (typeof e.data !== 'string') {
        run.received(new Uint8Array(e.data));
        return step();
      }
      const event = JSON.parse(e.data);
      if (event.type === 'connected') {
        connected = true;
        step();
      } else if (event.type === 'closed') {
        run.closed();
        step();
      } else if (event.type === 'error') {
        if (!connected) return end(run.unreachable(`${event.code}: ${event.message}`, now()));
        if (event.code === 'write-failed') run.write_failed();
        else run.closed();
        step();
      }
    };
    ws.onclose = () => {
      if (done) return;
      if (!connected) return end(run.unreachable('the relay closed the connection', now()));
      run.closed();
      step();
    };
  });
}

/** The panel: `run` fills #check-list as results come; a click on a check calls `onShow(outcome)`. */
export class CheckPanel {
  constructor({ onShow }) {
    this.onShow = onShow;
    this.generation = 0;
    this.section = document.getElementById('check');
    this.list = document.getElementById('check-list');
    this.summary = document.getElementById('check-summary');
    this.target = document.getElementById('check-target');
    this.outcomes = new Map();
    this.list.addEventListener('click', (e) => {
      const li = e.target.closest('[data-check]');
      const outcome = li && this.outcomes.get(li.dataset.check);
      if (!outcome) return;
      for (const other of this.list.querySelectorAll('.sel')) other.classList.remove('sel');
      li.classList.add('sel');
      this.onShow(outcome);
    });
    document.getElementById('check-close').addEventListener('click', () => this.close());
  }

  close() {
    this.generation++;
    this.section.hidden = true;
    document.body.classList.remove('checking');
  }

  /** Runs the whole suite against `target` ({url, authority, path, label}). */
  async run(mod, target) {
    const generation = ++this.generation;
    const stopped = () => generation !== this.generation;
    const checks = mod.checkList();
    this.outcomes = new Map();
    this.section.hidden = false;
    document.body.classList.add('checking');
    this.target.textContent = target.label;
    const items = new Map();
    const rows = [];
    let category;
    for (const c of checks) {
      if (c.category !== category) {
        category = c.category;
        const head = document.createElement('li');
        head.className = 'check-category';
        head.textContent = category;
        head.setAttribute('aria-hidden', 'true');
        rows.push(head);
      }
      const li = document.createElement('li');
      li.dataset.check = c.id;
      const button = document.createElement('button');
      button.className = 'check-item';
      button.disabled = true;
      const verdict = document.createElement('span');
      verdict.className = 'check-verdict';
      verdict.textContent = '…';
      button.append(verdict, `${c.title} `);
      const id = document.createElement('span');
      id.className = 'muted';
      id.textContent = `${c.level} · ${c.id}`;
      button.append(id);
      li.append(button);
      rows.push(li);
      items.set(c.id, { li, button, verdict });
    }
    this.list.replaceChildren(...rows);
    const started = performance.now();
    let finished = 0;
    const progress = () => {
      this.summary.textContent = `Checking ${target.label}: ${finished} of ${checks.length} done…`;
    };
    progress();
    const queue = checks.map((c) => c.id);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && !stopped(); id = queue.shift()) {
        const outcome = await runOne(mod, id, target, stopped);
        if (stopped()) return;
        this.outcomes.set(id, outcome);
        const { li, button, verdict } = items.get(id);
        li.dataset.verdict = outcome.verdict;
        verdict.textContent = outcome.verdict;
        button.disabled = false;
        button.title = `${outcome.verdict}: ${outcome.why}. Click to see the exchange and the rule.`;
        finished++;
        progress();
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, worker));
    if (stopped()) return;
    const count = (v) => [...this.outcomes.values()].filter((o) => o.verdict === v).length;
    const mustFails = [...this.outcomes.values()].filter((o) => o.verdict === 'fail' && o.level === 'MUST').length;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    this.summary.textContent = `${checks.length} checks: ${count('pass')} pass, ${count('fail')} fail, ${count('warn')} warn, ${count('skip')} skip, in ${seconds} s. ${mustFails ? `${mustFails} MUST ${mustFails === 1 ? 'rule is' : 'rules are'} broken.` : 'No MUST rule is broken.'} Click a check to see its exchange.`;
  }
}
