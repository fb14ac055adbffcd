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
