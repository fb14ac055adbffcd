// Pure logic of the page: no DOM, no wasm, no network. Everything here takes
// values and returns values, so Node tests it directly (tests/page/logic.test.mjs).

const CR = 0x0d;
const LF = 0x0a;

// ---- the raw editor's text form ------------------------------------------
// The editor shows CR as ␍ and LF as ␊ followed by a real line break, so a
// student sees every line end and can type a bare LF on purpose. Bytes that
// have no visible form are written \xNN.

export const CR_GLYPH = '␍';
export const LF_GLYPH = '␊';

export function toEditorText(bytes) {
  let out = '';
  const isHex = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    // A backslash that would read as an escape is itself written escaped.
    if (b === 0x5c && bytes[i + 1] === 0x78 && isHex(bytes[i + 2]) && isHex(bytes[i + 3])) out += '\\x5c';
    else if (b === CR) out += CR_GLYPH;
    else if (b === LF) out += LF_GLYPH + '\n';
    else if (b === 0x09 || (b >= 0x20 && b < 0x7f)) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

export function fromEditorText(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === CR_GLYPH) out.push(CR);
    else if (c === LF_GLYPH) {
      out.push(LF);
      if (text[i + 1] === '\n') i++;
    } else if (c === '\n') {
      // A line break typed or pasted without glyphs is an HTTP line end.
      out.push(CR, LF);
    } else if (c === '\r') {
      // Pasted CRLF text: the \n that follows makes the line end.
    } else if (c === '\\' && text[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      const code = c.codePointAt(0);
      if (code <= 0xff) out.push(code);
      else {
        out.push(...new TextEncoder().encode(String.fromCodePoint(code)));
        if (code > 0xffff) i++;
      }
    }
  }
  return new Uint8Array(out);
}

// ---- how bytes look in the wire views -------------------------------------

/** The text-view form of one byte. */
export function visibleByte(b) {
  if (b === CR) return CR_GLYPH;
  if (b === LF) return LF_GLYPH;
  if (b === 0x09) return '␉';
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return '\\x' + b.toString(16).padStart(2, '0');
}

export function visibleText(bytes, start, end) {
  let s = '';
  for (let i = start; i < end; i++) s += visibleByte(bytes[i]);
  return s;
}

export function hexText(bytes, start, end) {
  const parts = [];
  for (let i = start; i < end; i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ');
}

/**
 * Cuts the spans of a wire into display rows. A row ends after a line end
 * (crlf, empty-line), after an LF inside a body, or after `width` bytes, and
 * at message boundaries. Pieces also break at `cuts` (TCP read boundaries),
 * so a read marker can sit on the first byte of its read. Every byte is in
 * exactly one piece; each piece keeps its span's kind and index.
 */
export function rows(bytes, spans, cuts = [], width = 96) {
  const out = [];
  let row = [];
  let rowLen = 0;
  const sorted = [...cuts].sort((a, b) => a - b);
  let next = 0; // index of the first cut after the current position
  const flush = () => {
    if (row.length) out.push(row);
    row = [];
    rowLen = 0;
  };
  spans.forEach((span, index) => {
    if (row.length && row[row.length - 1].message !== span.message) flush();
    let at = span.start;
    const bodyLike = span.kind === 'body' || span.kind === 'chunk-data' || span.kind === 'unparsed';
    while (at < span.end) {
      let end = Math.min(span.end, at + (width - rowLen));
      if (bodyLike) {
        const lf = bytes.indexOf(LF, at);
        if (lf !== -1 && lf < end) end = lf + 1;
      }
      while (next < sorted.length && sorted[next] < at) next++;
      const read = sorted[next] === at;
      if (read) next++;
      if (next < sorted.length && sorted[next] < end) end = sorted[next];
      row.push({ start: at, end, kind: span.kind, span: index, message: span.message, read });
      rowLen += end - at;
      at = end;
      const lineEnd = end === span.end && (span.kind === 'crlf' || span.kind === 'empty-line');
      if (lineEnd || rowLen >= width || (bodyLike && bytes[end - 1] === LF)) flush();
    }
  });
  flush();
  return out;
}

/** The index of the span that holds byte `offset`, by binary search. */
export function spanAt(spans, offset) {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= offset) lo = mid + 1;
    else if (spans[mid].start > offset) hi = mid - 1;
    else return mid;
  }
  return -1;
}

// ---- share links: #host=H&port=P&request=BASE64URL --------------------------

export function base64url(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function makeHash({ host, port, request }) {
  return `#host=${encodeURIComponent(host)}&port=${port}&request=${base64url(request)}`;
}

/** Reads a share hash; returns null when it is not one. */
export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (!params.has('request')) return null;
  try {
    return {
      host: params.get('host') || '',
      port: Number(params.get('port')) || 80,
      request: fromBase64url(params.get('request')),
    };
  } catch {
    return null;
  }
}

// ---- exports -----------------------------------------------------------------

/** A Python bytes literal for `bytes`, split after each LF for reading. */
export function pythonBytes(bytes) {
  const lines = [];
  let cur = '';
  for (const b of bytes) {
    if (b === CR) cur += '\\r';
    else if (b === LF) {
      cur += '\\n';
      lines.push(cur);
      cur = '';
      continue;
    } else if (b === 0x09) cur += '\\t';
    else if (b === 0x5c) cur += '\\\\';
    else if (b === 0x22) cur += '\\"';
    else if (b >= 0x20 && b < 0x7f) cur += String.fromCharCode(b);
    else cur += '\\x' + b.toString(16).padStart(2, '0');
  }
  if (cur || !lines.length) lines.push(cur);
  return lines.map((l) => `    b"${l}"`).join('\n');
}

/** The classic lesson: a socket, the exact bytes, and the raw reply. */
export function pythonSnippet(host, port, bytes) {
  return `import socket

request = (
${pythonBytes(bytes)}
)

with socket.create_connection((${JSON.stringify(host)}, ${port})) as s:
    s.sendall(request)
    s.settimeout(5)  # a keep-alive server does not close: stop waiting after 5 s
    response = b""
    try:
        while chunk := s.recv(4096):
            response += chunk
    except TimeoutError:
        pass

print(response.decode("latin-1"))
`;
}

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** curl for the first request of a parse report, as close as curl can say it. */
export function curlCommand(host, port, message, body) {
  const authority = port === 80 ? host : `${host}:${port}`;
  const parts = ['curl', '--http1.1', '-v'];
  if (message.version === 'HTTP/1.0') parts[1] = '--http1.0';
  if (message.method && message.method !== 'GET') parts.push('-X', message.method);
  parts.push(shellQuote(`http://${authority}${message.target && message.target.startsWith('/') ? message.target : '/'}`));
  for (const [name, value] of message.headers || []) {
    if (name.toLowerCase() === 'content-length') continue; // curl writes its own
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (body && body.length) parts.push('--data-binary', shellQuote(new TextDecoder('latin1').decode(body)));
  return parts.join(' ');
}

/** The exact bytes as text (Latin-1), for the clipboard. */
export function rawText(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

// ---- saved exchanges -----------------------------------------------------------

export function captureJSON({ host, port, request, response, reads = [], events = [] }) {
  return JSON.stringify(
    {
      wirepad: 1,
      host,
      port,
      request_b64: base64url(request),
      response_b64: base64url(response || new Uint8Array()),
      reads,
      events,
    },
    null,
    1,
  );
}

/**
 * Reads a capture file: a saved exchange (JSON), or raw bytes, which are a
 * response when they start with "HTTP/" and a request otherwise.
 */
export function readCapture(bytes) {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 16)).trimStart();
  if (head.startsWith('{')) {
    try {
      const j = JSON.parse(new TextDecoder().decode(bytes));
      if (j.wirepad) {
        return {
          host: j.host || '',
          port: j.port || 80,
          request: fromBase64url(j.request_b64 || ''),
          response: fromBase64url(j.response_b64 || ''),
          reads: j.reads || [],
        };
      }
    } catch {
      // not JSON after all: raw bytes
    }
  }
  let i = 0;
  while (i < bytes.length && (bytes[i] === CR || bytes[i] === LF)) i++;
  const isResponse = new TextDecoder('latin1').decode(bytes.subarray(i, i + 5)) === 'HTTP/';
  return isResponse ? { response: bytes, reads: [] } : { request: bytes, reads: [] };
}

// ---- reading a parse report ------------------------------------------------------

/** Whether every request has its final response, complete. */
export function responsesDone(report, requestCount) {
  const finals = report.messages.filter((m) => m.status >= 200 || m.status === 101);
  return requestCount > 0 && finals.length >= requestCount && finals.every((m) => m.complete);
}

export function header(message, name) {
  const h = (message.headers || []).find(([n]) => n.toLowerCase() === name);
  return h ? h[1] : undefined;
}

export function charsetOf(contentType) {
  const m = /charset\s*=\s*"?([\w.-]+)/i.exec(contentType || '');
  return m ? m[1].toLowerCase() : null;
}

/** What the message around a span says about it, for the step-through. */
export function framingNote(report, span) {
  const m = report.messages[span.message];
  if (!m) return '';
  if (span.kind === 'body') {
    const cl = header(m, 'content-length');
    if (m.framing === 'length' && cl !== undefined) return `Here Content-Length: ${cl} announced ${cl} bytes.`;
    if (m.framing === 'close') return 'This response has no Content-Length and is not chunked, so its body ends when the server closes the connection.';
  }
  if (span.kind === 'empty-line') {
    if (m.framing === 'length') return `Content-Length: ${header(m, 'content-length')} says how many body bytes follow.`;
    if (m.framing === 'chunked') return 'Transfer-Encoding: chunked: the body follows as chunks, each announcing its size.';
    if (m.framing === 'close') return 'No length is given: the body runs until the server closes the connection.';
    if (m.framing === 'none') return 'This message has no body, so the next message (if any) starts right after this line.';
  }
  return '';
}

/** A short label for a tree node or step: the bytes, shortened. */
export function preview(bytes, start, end, max = 40) {
  const text = visibleText(bytes, start, Math.min(end, start + max));
  return end - start > max ? `${text}… (${end - start} bytes)` : text;
}
