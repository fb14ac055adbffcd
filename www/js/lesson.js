// A lesson: a plain file in www/lessons/ (JSON, see docs/formats.md) that a
// teacher writes without code: steps with prose, the request to load, what
// to look at, an exercise to start or a prediction to make.
//
// The step on screen is in the store (state.teaching.lesson, reducers.js);
// this module is the lesson bar's view (update) and the effect that loads a
// lesson file and moves between its steps: each move is a `lesson/step`
// action, and `onStep(step)` lets the app apply what the step asks for (its
// request, its prediction). A follower's lesson is the teacher's, mirrored
// by the room: it shows the same step and cannot move it.

import { runName, withRun } from './logic.js';

const $ = (id) => document.getElementById(id);

export class Lesson {
  constructor(el, store, { onStep }) {
    this.el = el;
    this.store = store;
    this.onStep = onStep;
    // The steps of the lesson this page opened (a follower has none).
    this.steps = [];
    const at = () => this.store.getState().teaching.lesson?.at ?? 0;
    $('lesson-prev').addEventListener('click', () => this.show(at() - 1));
    $('lesson-next').addEventListener('click', () => this.show(at() + 1));
    $('lesson-close').addEventListener('click', () => this.close());
  }

  /** The lessons listed in lessons/index.json: [{id, title, file}]. */
  static async list() {
    const r = await fetch('lessons/index.json');
    return r.ok ? r.json() : [];
  }

  /** Opens lesson `id` at step `at` (its first); says so when there is no such lesson. */
  async open(id, at = 0) {
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
    this.title = lesson.title ?? entry.title;
    // `{run}` in a step: a name of this run's own, made up each time the lesson opens.
    this.steps = withRun(lesson.steps ?? [], runName());
    this.show(Math.min(Math.max(0, at), this.steps.length - 1));
  }

  /** Shows why a lesson cannot be used, one line per mistake, instead of its steps. */
  showMistakes(id, title, mistakes) {
    this.id = id;
    this.steps = [];
    this.store.dispatch({ type: 'lesson/mistakes', id, title, mistakes });
    this.onStep(null);
  }

  show(i) {
    if (i < 0 || i >= this.steps.length) return;
    const step = this.steps[i];
    this.store.dispatch({ type: 'lesson/step', id: this.id, title: this.title, at: i, count: this.steps.length, step });
    this.onStep(step);
  }

  close() {
    this.steps = [];
    this.store.dispatch({ type: 'lesson/close' });
    this.onStep(null);
  }

  update(state, previous) {
    const l = state.teaching.lesson;
    if (previous && l === previous.teaching.lesson) return;
    this.el.hidden = !l;
    $('lesson-errors').hidden = !l?.mistakes;
    if (!l) return;
    $('lesson-title').textContent = l.title;
    if (l.mistakes) {
      $('lesson-step').textContent = 'This lesson has mistakes; fix its file and reload the page (wirepad lesson check FILE shows the same):';
      $('lesson-errors').replaceChildren(...l.mistakes.map((m) => Object.assign(document.createElement('li'), { textContent: m })));
    } else $('lesson-step').textContent = l.step.text ?? '';
    $('lesson-count').textContent = l.mistakes ? '' : `step ${l.at + 1} of ${l.count}`;
    // A follower's lesson moves with the teacher's; one with mistakes has no steps.
    $('lesson-prev').disabled = !l.own || l.at === 0 || Boolean(l.mistakes);
    $('lesson-next').disabled = !l.own || l.at >= l.count - 1;
    $('lesson-close').hidden = !l.own;
    $('lesson-exercise').hidden = !l.own || !l.step?.exercise;
  }
}
