// The relay client: a WebSocket to the page's own server (`wirepad serve`),
// which forwards the request bytes to the target and each TCP read back.

/**
 * The relay's `relay-info.json`, or null when the page has no relay: opened
 * from static files, it gets www/relay-info.json, which says so.
 */
export async function relayInfo() {
  try {
    const r = await fetch('relay-info.json', { cache: 'no-store' });
    const info = r.ok ? await r.json() : null;
    return info?.relay ? info : null;
  } catch {
    return null;
  }
}

/**
 * Opens a relay session to host:port, sends `bytes` once connected, and
 * reports JSON events and binary reads. Returns the WebSocket (close it to
 * end the session from the page).
 */
export function openSession({ host, port, bytes, onEvent, onData }) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${location.host}/relay?host=${encodeURIComponent(host)}&port=${encodeURIComponent(port)}`);
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (e) => {
    if (typeof e.data === 'string') {
      const event = JSON.parse(e.data);
      if (event.type === 'connected') ws.send(bytes);
      onEvent(event);
    } else {
      onData(new Uint8Array(e.data));
    }
  };
  ws.onclose = (e) => onEvent({ type: 'socket-closed', code: e.code, reason: e.reason });
  return ws;
}
