// What a field's value says beyond what the field is: Basic credentials
// decoded, an authentication challenge read. The words come from the core
// (`explain_value` in wasm), in the decoding build (www/pkg-decode), loaded
// only when such a field is explained: the first package has no room.

import { fieldAt, span as spanOf, text as textOf } from './logic.js';

/** The fields whose values the core has a note on. */
const NOTED = new Set(['authorization', 'proxy-authorization', 'www-authenticate', 'proxy-authenticate']);

let build;

/**
 * Adds the note on the value of the field span `index` belongs to, after
 * explainSpan filled `target`; nothing for other spans and fields, or if
 * another explanation replaced this one while the build loaded.
 */
export async function explainValue(target, { bytes, result, index, rfcUrl }) {
  const span = spanOf(result, index);
  const m = result.messages[span.message];
  if (!m || !['header-name', 'header-value'].includes(span.kind)) return;
  const f = result.fields;
  const j = fieldAt(result, m, span.start);
  if (j === -1) return;
  const name = textOf(bytes, [f.name_start[j], f.name_end[j]]);
  if (!NOTED.has(name.toLowerCase())) return;
  const value = textOf(bytes, [f.value_start[j], f.value_end[j]]);
  const shown = target.firstChild;
  build ??= import('../pkg-decode/wirepad.js').then(async (mod) => {
    await mod.default();
    return mod;
  });
  const note = (await build).explain_value(name, value);
  if (!note || target.firstChild !== shown) return;
  const p = document.createElement('p');
  p.className = 'context value-note';
  const rfc = document.createElement('a');
  Object.assign(rfc, { href: rfcUrl(note.rfc) ?? '', target: '_blank', rel: 'noopener', textContent: note.rfc });
  const strong = document.createElement('strong');
  strong.textContent = 'This value: ';
  p.append(strong, note.text, ' (', rfc, ')');
  target.append(p);
}
