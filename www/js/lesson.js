// A lesson: a plain file in www/lessons/ (JSON, see docs/formats.md) that a
// teacher writes without code: steps with prose, the request to load, what
// to look at, an exercise to start or a prediction to make. This component
// shows the current step and moves between steps; the app applies them.

const $ = (id) => document.getElementById(id);

export class Lesson {
  constructor(el, { onStep }) {
    this.el = el;
    this.onStep = onStep;
    this.steps = [];
    this.at = 0;
    $('lesson-prev').addEventListener('click', () => this.show(this.at - 1));
    $('lesson-next').addEventListener('click', () => this.show(this.at + 1));
    $('lesson-close').addEventListener('click', () => this.close());
  }

  /** The lessons listed in lessons/index.json: [{id, title, file}]. */
  static async list() {
    const r = await fetch('lessons/index.json');
    return r.ok ? r.json() : [];
  }

  /** Opens lesson `id` at its first step; says so when there is no such lesson. */
  async open(id) {
    const entry = (await Lesson.list()).find((l) => l.id === id);
    if (!entry) throw new Error(`there is no lesson "${id}" in lessons/index.json`);
    const r = await fetch(`lessons/${entry.file}`);
    // A teacher's lesson with mistakes (wirepad serve --lessons) comes as
    // 422 {file, errors: ["file:line:column: message"]}: shown in the bar.
    const mistakes = r.status === 422 ? (await r.json()).errors : null;
    if (mistakes) return this.showMistakes(id, entry.title, mistakes);
    if (!r.ok) throw new Error(`lessons/${entry.file} could not be loaded (${r.status})`);
    const lesson = await r.json();
    this.id = id;
    $('lesson-errors').hidden = true;
    this.steps = lesson.steps ?? [];
    $('lesson-title').textContent = lesson.title ?? entry.title;
    this.el.hidden = false;
    this.show(0);
  }

  /** Shows why a lesson cannot be used, one line per mistake, instead of its steps. */
  showMistakes(id, title, mistakes) {
    this.id = id;
    this.steps = [];
    this.onStep(null);
    $('lesson-title').textContent = title;
    $('lesson-count').textContent = '';
    $('lesson-step').textContent = 'This lesson has mistakes; fix its file and reload the page (wirepad lesson check FILE shows the same):';
    $('lesson-errors').replaceChildren(...mistakes.map((m) => Object.assign(document.createElement('li'), { textContent: m })));
    $('lesson-errors').hidden = false;
    $('lesson-prev').disabled = true;
    $('lesson-next').disabled = true;
    this.el.hidden = false;
  }

  show(i) {
    if (i < 0 || i >= this.steps.length) return;
    this.at = i;
    const step = this.steps[i];
    $('lesson-step').textContent = step.text ?? '';
    $('lesson-count').textContent = `step ${i + 1} of ${this.steps.length}`;
    $('lesson-prev').disabled = i === 0;
    $('lesson-next').disabled = i === this.steps.length - 1;
    this.onStep(step);
  }

  close() {
    this.el.hidden = true;
    $('lesson-errors').hidden = true;
    this.steps = [];
    this.onStep(null);
  }
}
