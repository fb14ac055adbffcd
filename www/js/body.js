// The body of one message: the de-framed bytes, the decoded view (gzip,
// deflate, br undone by the wasm core's decode step), and a preview — HTML
// in a sandboxed iframe with scripts off, images, and text in its declared
// charset. Each size says what it counts.

import { charsetOf, visibleText } from './logic.js';

const SHOWN = 32 << 10; // the text views show the first 32 KiB: laying out more text costs seconds

/**
 * `view`: {title, body (de-framed bytes), wire (the bytes after the head,
 * framing included), onWire (their count), framing, type, coding, decoded
 * ({bytes, steps} or 'pending' or null)}; null when there is no message.
 * Modes: 'wire' (as on the wire), 'raw' (de-framed), 'decoded', 'preview'.
 */
export function renderBody(target, info, view, mode) {
  target.textContent = '';
  if (!view) {
    info.textContent = '';
    target.textContent = 'No response yet.';
    return;
  }
  const { body, decoded, coding, type } = view;
  const sizes = [`${view.onWire} bytes on the wire after the head`];
  if (view.framing === 'chunked') sizes.push(`${body.length} de-framed (chunk sizes and line ends removed)`);
  if (coding) sizes.push(decoded?.bytes ? `${coding}, ${decoded.bytes.length} decoded` : coding);
  info.textContent = `${view.title} · ${sizes.join(' · ')}${type ? ` · ${type}` : ''}`;
  const usable = decoded?.bytes ?? body;
  if (mode === 'wire') {
    target.textContent = visibleText(view.wire, 0, Math.min(view.wire.length, SHOWN), true) + more(view.wire);
  } else if (mode === 'raw') {
    target.textContent = visibleText(body, 0, Math.min(body.length, SHOWN), true) + more(body);
  } else if (mode === 'decoded') {
    if (!coding) target.textContent = 'This body has no Content-Encoding: the de-framed bytes are the content.';
    else if (decoded === 'pending') target.textContent = `Decoding ${coding}…`;
    else if (!decoded?.bytes) target.textContent = `The body does not decode as ${coding}: ${describeFailure(decoded)}`;
    else target.textContent = text(decoded.bytes, charsetOf(type)) + more(decoded.bytes);
  } else if (/^text\/html/i.test(type)) {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', ''); // no scripts, no forms, no same-origin access
    frame.title = 'HTML preview (scripts off)';
    frame.srcdoc = text(usable, charsetOf(type));
    target.append(frame);
  } else if (/^image\//i.test(type)) {
    const img = document.createElement('img');
    img.alt = 'image preview';
    img.src = URL.createObjectURL(new Blob([usable], { type }));
    target.append(img);
  } else {
    target.textContent = text(usable, charsetOf(type)) + more(usable);
  }
}

/** Which decoding step failed, and why. */
function describeFailure(decoded) {
  const step = decoded?.steps?.find((s) => s.outcome !== 'decoded');
  if (!step) return 'it could not be decoded.';
  if (step.outcome === 'unknown') return `"${step.coding}" is not a coding wirepad knows (gzip, deflate, br).`;
  return `undoing ${step.coding} failed (${step.error ?? step.outcome}).`;
}

function text(bytes, charset) {
  let decoder;
  try {
    decoder = new TextDecoder(charset || 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes.subarray(0, SHOWN));
}

function more(bytes) {
  return bytes.length > SHOWN ? `\n… ${bytes.length - SHOWN} more bytes` : '';
}
