// The response body: raw bytes, the decoded view (gzip, deflate, br, done by
// the wasm core), and a preview — HTML in a sandboxed iframe with scripts
// off, images, and text in its declared charset.

import { charsetOf, header, visibleText } from './logic.js';

const SHOWN = 32 << 10; // the raw and text views show the first 32 KiB: laying out more text costs seconds

export function renderBody(target, info, message, mode) {
  target.textContent = '';
  if (!message) {
    info.textContent = '';
    target.textContent = 'No response yet.';
    return;
  }
  const type = header(message, 'content-type') || '';
  const coding = header(message, 'content-encoding');
  const decoded = message.decoded;
  const body = decoded || message.body;
  info.textContent = `${message.body.length} bytes on the wire${coding ? `, ${coding}` : ''}${decoded ? `, ${decoded.length} decoded` : ''}${type ? ` · ${type}` : ''}`;
  if (mode === 'raw') {
    target.textContent = visibleText(message.body, 0, Math.min(message.body.length, SHOWN)) + more(message.body);
  } else if (mode === 'decoded') {
    if (!coding) target.textContent = 'This body has no Content-Encoding: the raw bytes are the content.';
    else if (!decoded) target.textContent = `The body did not decode as ${coding}; see the diagnostics.`;
    else target.textContent = text(decoded, charsetOf(type)) + more(decoded);
  } else if (/^text\/html/i.test(type)) {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', ''); // no scripts, no forms, no same-origin access
    frame.title = 'HTML preview (scripts off)';
    frame.srcdoc = text(body, charsetOf(type));
    target.append(frame);
  } else if (/^image\//i.test(type)) {
    const img = document.createElement('img');
    img.alt = 'image preview';
    img.src = URL.createObjectURL(new Blob([body], { type }));
    target.append(img);
  } else {
    target.textContent = text(body, charsetOf(type)) + more(body);
  }
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
