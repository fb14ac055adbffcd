// The body of one message: the de-framed bytes, the decoded view (gzip,
// deflate, br undone by the wasm core's decode step), and a preview. Each
// size says what it counts.
//
// A body is whatever a server (or a share link, or a capture) says it is,
// so a preview never runs as the page: HTML and SVG are shown in a frame
// that is sandboxed (no scripts, an opaque origin) under a policy that loads
// nothing; a raster image is shown from its own bytes (a data: URL, never an
// object URL of the page's origin) only when its first bytes are those of a
// known image format; anything else is shown as text.

import { charsetOf, visibleText } from './logic.js';

const SHOWN = 8 << 10; // the text views show the first 8 KiB: 32 KiB took 9 ms of layout, more costs seconds

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
  // Characters when the charset says UTF-8 (any other byte stays \xNN; the
  // hex view shows every byte).
  const utf8 = /^utf-?8$/i.test(charsetOf(type) ?? '');
  if (mode === 'wire') {
    target.textContent = visibleText(view.wire, 0, Math.min(view.wire.length, SHOWN), true, utf8) + more(view.wire);
  } else if (mode === 'raw') {
    target.textContent = visibleText(body, 0, Math.min(body.length, SHOWN), true, utf8) + more(body);
  } else if (mode === 'decoded') {
    if (!coding) target.textContent = 'This body has no Content-Encoding: the de-framed bytes are the content.';
    else if (decoded === 'pending') target.textContent = `Decoding ${coding}…`;
    else if (!decoded?.bytes) target.textContent = `The body does not decode as ${coding}: ${describeFailure(decoded)}`;
    else target.textContent = text(decoded.bytes, charsetOf(type)) + more(decoded.bytes);
  } else if (/^text\/html/i.test(type)) {
    target.append(isolated(text(usable, charsetOf(type)), 'HTML preview (scripts off, nothing loaded)'));
  } else if (/^image\/svg\+xml/i.test(type)) {
    const img = `<img alt="SVG preview" src="data:image/svg+xml;base64,${base64(usable)}">`;
    target.append(isolated(img, 'SVG preview (scripts off, nothing loaded)'));
  } else if (/^image\//i.test(type)) {
    const format = imageFormat(usable);
    if (format) {
      const img = document.createElement('img');
      img.alt = 'image preview';
      img.src = `data:${format};base64,${base64(usable)}`;
      target.append(img);
    } else {
      target.textContent = `Not shown as an image: the bytes do not start as a PNG, GIF, JPEG, WebP, BMP or ICO file does (Content-Type says ${type}).\n\n${text(usable, charsetOf(type))}${more(usable)}`;
    }
  } else {
    target.textContent = text(usable, charsetOf(type)) + more(usable);
  }
}

/**
 * The policy of a preview frame: nothing is fetched, nothing runs (images
 * only from data: URLs, for the SVG preview). The page's own policy applies
 * as well: a frame can only be stricter.
 */
const FRAME_POLICY = "default-src 'none'; img-src data:";

/** A frame with an opaque origin and no scripts, showing `html` under FRAME_POLICY. */
function isolated(html, title) {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', ''); // no scripts, no forms, no popups, an opaque origin
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.title = title;
  // The policy comes first, before anything in the body can ask for a load.
  frame.srcdoc = `<meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}">${html}`;
  return frame;
}

/** The media type of an image by its first bytes, or null. */
export function imageFormat(bytes) {
  const starts = (...sig) => sig.every((b, i) => b === null || bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38, null, 0x61) && (bytes[4] === 0x37 || bytes[4] === 0x39)) return 'image/gif';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (starts(0x42, 0x4d) && bytes.length > 14) return 'image/bmp';
  if (starts(0x00, 0x00, 0x01, 0x00) && bytes.length > 6) return 'image/x-icon';
  return null;
}

function base64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
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
