// A web page is many requests: for an HTML response, the further requests a
// browser would send for the objects it names (images, stylesheets,
// scripts), each loaded into the builder with one click. Finding URLs in
// HTML is HTML knowledge, not HTTP, so the browser's DOMParser does it; the
// request bytes come from the core's request builder (wasm `build`).

import { header, text } from './logic.js';

/** What names an object a browser fetches while it shows the page. */
const OBJECTS = [
  ['img[src]', 'src', 'image'],
  ['link[rel~="stylesheet" i][href]', 'href', 'stylesheet'],
  ['link[rel~="icon" i][href]', 'href', 'icon'],
  ['script[src]', 'src', 'script'],
  ['video[src], audio[src], source[src], iframe[src], embed[src]', 'src', 'object'],
];

/** The objects `html` names, resolved against `base`: [{url, what}], http(s) only, each once. */
export function embeddedObjects(html, base) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const seen = new Set();
  const out = [];
  for (const [selector, attr, what] of OBJECTS) {
    for (const el of doc.querySelectorAll(selector)) {
      let url;
      try {
        url = new URL(el.getAttribute(attr), base);
      } catch {
        continue;
      }
      if (!['http:', 'https:'].includes(url.protocol) || seen.has(url.href)) continue;
      seen.add(url.href);
      out.push({ url, what });
    }
  }
  return out;
}

let shown = null;

/**
 * Lists in `container` the further requests of response message `m` when
 * it is a complete HTML page (decoded first if it has a content coding).
 * The list stays while other responses are shown, until the next HTML page,
 * so that each object can be loaded and sent in turn. `body()` gives m's
 * de-framed body (the core's). `load(bytes, host, port, scheme)` puts a
 * request in the builder; a host other than the one the page came from gets
 * its own connection, except on the practice server, which answers every
 * host name itself (virtual hosts).
 */
export function renderEmbedded(container, { response, m, body: deframed, request, decoded, wasm, connection, practice, load }) {
  const { bytes, result } = response;
  if (!m?.complete || shown?.bytes === bytes && shown.index === m.index) return;
  if (!/^text\/html\b/i.test(header(result, bytes, m, 'content-type') ?? '')) return;
  const coded = header(result, bytes, m, 'content-encoding');
  const body = coded ? decoded?.bytes : deframed();
  if (!body) return;
  shown = { bytes, index: m.index };
  const asked = request.result?.messages[m.answers ?? 0];
  const host = (asked && header(request.result, request.bytes, asked, 'host')) || connection.host;
  const base = new URL(asked?.target ? text(request.bytes, asked.target) : '/', `${connection.scheme}://${host}`);
  const objects = embeddedObjects(new TextDecoder('latin1').decode(body), base);
  const title = document.createElement('p');
  title.textContent = objects.length
    ? `A browser showing ${base.href} sends ${objects.length} more request${objects.length > 1 ? 's' : ''}, one for each object it names (click one to load it into the builder):`
    : `${base.href} names no images, stylesheets or scripts: a browser sends no further requests for it.`;
  const list = document.createElement('ul');
  for (const { url, what } of objects) {
    const button = document.createElement('button');
    button.dataset.url = url.href;
    button.textContent = `GET ${url.pathname}${url.search}`;
    const sameSite = url.host === base.host;
    const note = document.createTextNode(` ${what}${sameSite ? '' : `, on another host: Host: ${url.host}`}`);
    button.addEventListener('click', () => {
      const spec = { method: 'GET', target: `${url.pathname}${url.search}`, version: 'HTTP/1.1', headers: [['Host', url.host], ['Referer', base.href]], body: '', auto_content_length: false };
      const onPractice = practice && connection.host === practice.host && connection.port === practice.port;
      if (sameSite || onPractice) load(wasm.build(spec), connection.host, connection.port, connection.scheme);
      else load(wasm.build(spec), url.hostname, Number(url.port) || (url.protocol === 'https:' ? 443 : 80), url.protocol.slice(0, -1));
    });
    const li = document.createElement('li');
    li.append(button, note);
    list.append(li);
  }
  container.replaceChildren(title, list);
  container.hidden = false;
}
