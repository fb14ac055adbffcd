// The relay (`wirepad serve`) forwards the request bytes to the target and
// each TCP read back; the live exchange itself is a wasm Session
// (src/wasm/session.rs). This module asks the relay what it allows.

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
