// Views over the store (store.js): each is mounted on its elements and
// draws them in update(state, previous) from the state alone; what the user
// does with them becomes an action. They never read state back from the DOM
// and have no other effect.

import { BODY_MODES } from './reducers.js';

const $ = (id) => document.getElementById(id);

const pressed = (id, on) => $(id).setAttribute('aria-pressed', String(on));

/**
 * The view settings' buttons: Text/Hex, the body pane's modes, Zoom. What
 * they change elsewhere (the wires, the body pane, the zoom) is drawn by
 * `redraw`, given the names of the settings that changed.
 */
export function viewSettings(dispatch, redraw) {
  $('view-text').addEventListener('click', () => dispatch({ type: 'view/hex', hex: false }));
  $('view-hex').addEventListener('click', () => dispatch({ type: 'view/hex', hex: true }));
  for (const mode of BODY_MODES) $(`body-${mode}`).addEventListener('click', () => dispatch({ type: 'view/body-mode', mode }));
  return {
    update(state, previous) {
      const v = state.view;
      const p = previous?.view;
      if (v === p) return;
      pressed('view-text', !v.hex);
      pressed('view-hex', v.hex);
      for (const mode of BODY_MODES) pressed(`body-${mode}`, mode === v.bodyMode);
      pressed('zoom', v.zoom);
      if (p) redraw(['hex', 'bodyMode', 'zoom'].filter((k) => v[k] !== p[k]));
    },
  };
}

/** What the page says about a checked prediction: [text, class]. */
function verdict(checked) {
  if (checked.actual === null) return ['Nothing came back to check the prediction against.', ''];
  if (checked.said === String(checked.actual)) return [`Right: ${checked.actual}.`, 'right'];
  return [checked.said ? `The answer is ${checked.actual}; you said ${checked.said}.` : `The answer is ${checked.actual}.`, 'wrong'];
}

/**
 * The prediction bar (#predict-bar): a lesson's question, or the one the
 * student picks in #predict-kind; the answer typed; the check after Send.
 */
export function predictionView(dispatch) {
  $('predict-kind').addEventListener('change', () => dispatch({ type: 'predict/ask', ask: $('predict-kind').value }));
  $('predict-answer').addEventListener('input', () => dispatch({ type: 'predict/said', said: $('predict-answer').value }));
  return {
    update(state, previous) {
      const t = state.teaching;
      const p = previous?.teaching;
      if (p && t.predict === p.predict && t.said === p.said && t.checked === p.checked) return;
      const predict = t.predict;
      $('predict-bar').hidden = !predict;
      pressed('predict', Boolean(predict));
      $('predict-kind').hidden = Boolean(predict?.question);
      if (predict && !predict.question) $('predict-kind').value = predict.ask;
      $('predict-question').textContent = predict?.question ?? '';
      // Drawn only when it differs: rewriting what is being typed moves the caret.
      if ($('predict-answer').value !== t.said) $('predict-answer').value = t.said;
      const [text, cls] = t.checked ? verdict(t.checked) : ['', ''];
      $('predict-result').textContent = text;
      $('predict-result').className = cls;
    },
  };
}

/**
 * The marks' legend (#marks in #marks-section): each mark an element with its
 * range and its note. A click (or Enter) on one calls `go(mark)`, which
 * selects its bytes; its ✕ removes it.
 */
export function marksView(dispatch, go) {
  return {
    update(state, previous) {
      const marks = state.marks;
      if (marks === previous?.marks) return;
      const list = $('marks');
      list.replaceChildren(
        ...marks.map((m, i) => {
          const li = document.createElement('li');
          li.className = `mark-note mk-c${m.color}`;
          li.dataset.wire = m.wire;
          li.dataset.start = m.start;
          li.dataset.end = m.end;
          li.dataset.color = m.color;
          li.tabIndex = 0;
          const swatch = Object.assign(document.createElement('span'), { className: `swatch mk mk-c${m.color}`, textContent: String(m.color) });
          const note = Object.assign(document.createElement('span'), { className: 'note-text', textContent: m.note || '(no note)' });
          const where = Object.assign(document.createElement('span'), { className: 'muted', textContent: ` ${m.wire} ${m.start}–${m.end}` });
          const remove = Object.assign(document.createElement('button'), { className: 'remove', textContent: '✕', title: 'Remove this mark' });
          remove.setAttribute('aria-label', `remove mark ${i + 1}`);
          remove.addEventListener('click', (e) => {
            e.stopPropagation();
            dispatch({ type: 'marks/remove', index: i });
          });
          li.addEventListener('click', () => go(m));
          li.addEventListener('keydown', (e) => e.key === 'Enter' && go(m));
          li.append(swatch, ' ', note, where, remove);
          return li;
        }),
      );
      $('marks-section').hidden = !marks.length;
    },
  };
}

/** What the exercise bar says of the last answer (`said`, from the exercise topic). */
function feedback(said) {
  switch (said.kind) {
    case 'start':
      return 'Labels and explanations are hidden. Click the bytes asked for (or, in a wire, move with the arrow keys and press Enter).';
    case 'wrong':
      return `That is ${said.what}${said.wire !== said.asked ? ` in the ${said.wire}` : ''}, not what is asked. Try again.`;
    case 'right':
      return `Right: ${said.what}. ${said.why}${said.waiting ? ' Go on with Next (or Enter in the wire).' : ''}`;
    case 'skipped':
      return `Skipped: ${said.question}.`;
    case 'keys':
      return 'Move to a part with the arrow keys first, then press Enter.';
    default:
      return '';
  }
}

/**
 * The exercise bar (#exercise-bar): the question, Next (or Skip), what the
 * page says of the last answer, the score; the page in exercise mode
 * (body.exercise: labels and explanations hidden) while one runs.
 */
export function exerciseView(dispatch) {
  $('exercise-next').addEventListener('click', () => dispatch({ type: 'exercise/next' }));
  $('exercise-stop').addEventListener('click', () => dispatch({ type: 'exercise/stop' }));
  return {
    update(state, previous) {
      const ex = state.exercise;
      if (ex === previous?.exercise) return;
      document.body.classList.toggle('exercise', Boolean(ex));
      $('exercise-bar').hidden = !ex;
      if (!ex) return;
      const q = ex.questions[ex.at];
      const question = $('exercise-question');
      const next = $('exercise-next');
      $('exercise-bar').dataset.revealed = String(Boolean(ex.revealed));
      // After a reveal nothing is left to answer or skip.
      next.hidden = Boolean(ex.revealed);
      next.disabled = !q;
      next.textContent = ex.answered ? 'Next question' : 'Skip';
      next.title = ex.answered ? 'Go on to the next question' : 'Skip this question (it counts as missed)';
      question.dataset.ask = q?.ask ?? '';
      question.dataset.wire = q?.wire ?? '';
      if (ex.revealed) {
        question.textContent = ex.revealed.teacher
          ? "Answers revealed to the class: every part asked is marked on each following student's page, as here."
          : `The teacher revealed the answers: every part asked is marked (you named ${ex.right} of ${ex.questions.length} right at the first try).`;
      } else if (!q) {
        const missed = ex.missed.length ? `Missed: ${ex.missed.join('; ')}. Try them again with Exercise.` : 'Every part named right at the first try.';
        question.textContent = `Done: ${ex.right} of ${ex.finished} named right. ${missed}`;
      } else question.textContent = q.prompt;
      $('exercise-feedback').textContent = feedback(ex.said);
      $('exercise-score').textContent = `${ex.right}/${ex.finished}`;
    },
  };
}
