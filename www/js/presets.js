// Ready-made requests. `practice: true` ones go to the practice server that
// `wirepad serve` runs on loopback; the classic one goes to example.org:80.

export const PRESETS = [
  {
    name: 'The classic: GET / to example.org',
    host: 'example.org',
    port: 80,
    text: 'GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: Python 3\r\n\r\n',
  },
  { name: 'Practice server: GET /', practice: true, text: 'GET / HTTP/1.1\r\nHost: practice\r\nUser-Agent: wirepad\r\n\r\n' },
  { name: 'HTTP/1.0 (no Host needed, closes after)', practice: true, text: 'GET / HTTP/1.0\r\n\r\n' },
  {
    name: 'POST a form',
    practice: true,
    text: 'POST /echo HTTP/1.1\r\nHost: practice\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16\r\n\r\nname=Ada&lang=en',
  },
  {
    name: 'Chunked upload',
    practice: true,
    text: 'POST /echo HTTP/1.1\r\nHost: practice\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
  },
  {
    name: 'Two pipelined requests',
    practice: true,
    text: 'GET /chunked HTTP/1.1\r\nHost: practice\r\n\r\nGET /gzip HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n',
  },
  { name: 'Keep-alive', practice: true, text: 'GET / HTTP/1.1\r\nHost: practice\r\nConnection: keep-alive\r\n\r\n' },
  { name: 'Trailers (TE: trailers)', practice: true, text: 'GET /trailers HTTP/1.1\r\nHost: practice\r\nTE: trailers\r\n\r\n' },
  { name: 'A slow server (drips)', practice: true, text: 'GET /slow HTTP/1.1\r\nHost: practice\r\n\r\n' },
  { name: 'A redirect', practice: true, text: 'GET /redirect HTTP/1.1\r\nHost: practice\r\n\r\n' },
  { name: 'Break it: no Host', practice: true, text: 'GET / HTTP/1.1\r\nUser-Agent: wirepad\r\n\r\n' },
  { name: 'Break it: bare LF line ends', practice: true, text: 'GET / HTTP/1.1\nHost: practice\n\n' },
  {
    name: 'Break it: wrong Content-Length',
    practice: true,
    text: 'POST /echo HTTP/1.1\r\nHost: practice\r\nContent-Length: 3\r\n\r\nhello',
  },
  { name: 'Big: 8 MiB response', practice: true, text: 'GET /large?bytes=8388608 HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n' },
];

export function presetBytes(preset) {
  return Uint8Array.from(preset.text, (c) => c.charCodeAt(0));
}
