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

/** What a relay error code means, for a student. */
export const ERROR_TITLES = {
  'bad-request': 'The page asked the relay something it does not understand',
  'target-not-allowed': 'The relay refuses this target',
  'dns-failed': 'The host name could not be looked up',
  'connect-refused': 'Nothing listens there',
  'connect-timeout': 'The server did not answer in time',
  'connect-failed': 'The connection failed',
  'too-many-sessions': 'The relay is busy',
  'message-too-large': 'The request is too large to relay',
  'write-failed': 'The server stopped accepting bytes',
};

/**
 * What a TLS failure means (codes from www/pkg-tls), for a student. RFC 8446
 * is TLS 1.3; RFC 5280 says how certificates chain to a trusted root and
 * RFC 9525 how their names are checked.
 */
export const TLS_ERRORS = {
  'tls-unknown-issuer': { title: 'The certificate is signed by no one this page trusts', text: "The server's certificate does not chain to a trusted root (the public roots, or a lab CA the server gives with --trust-ca): anyone could have made it (RFC 5280 §6)." },
  'tls-expired': { title: "The server's certificate has expired", text: 'A certificate is valid only between its notBefore and notAfter dates (RFC 5280 §4.1.2.5).' },
  'tls-not-yet-valid': { title: "The server's certificate is not valid yet", text: 'Its notBefore date is in the future, or this computer’s clock is wrong (RFC 5280 §4.1.2.5).' },
  'tls-wrong-name': { title: 'The certificate is for another name', text: 'The name typed as the target is not among the names the certificate was issued for (RFC 9525 §6): it may be another server.' },
  'tls-bad-certificate': { title: "The server's certificate was refused", text: 'It could not be verified (RFC 8446 §4.4.2.4).' },
  'tls-not-tls': { title: 'The server did not answer in TLS', text: 'What came back is not TLS records (RFC 8446 §5.1): perhaps the server speaks plain HTTP on this port. Try it without TLS.' },
  'tls-handshake-failure': { title: 'The TLS handshake failed', text: 'Client and server could not agree (a version, a cipher suite), or the server sent an alert (RFC 8446 §6).' },
  'tls-bad-name': { title: 'This host cannot be a TLS server name', text: 'TLS needs a DNS name or an IP address to check the certificate against (RFC 6066 §3).' },
  'tls-bad-trust': { title: 'A CA handed over by the server cannot be read', text: 'A --trust-ca file holds a certificate that is not valid PEM.' },
  'tls-failed': { title: 'The TLS connection failed', text: '' },
};

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
