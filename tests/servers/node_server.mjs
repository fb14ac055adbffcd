// A Node.js `http` server for wirepad's tests: Node writes every byte of the
// framing (chunked, trailers, 100-continue, keep-alive); we only pick routes.
// Usage: node node_server.mjs PORT   (prints "ready" when listening)
import http from 'node:http';
import zlib from 'node:zlib';

const port = Number(process.argv[2]);
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  switch (url.pathname) {
    case '/chunked':
      res.setHeader('Content-Type', 'text/plain');
      res.write('first chunk\n');
      res.write('second chunk, a little longer\n');
      res.end('last words\n');
      return;
    case '/trailers':
      res.writeHead(200, { 'Content-Type': 'text/plain', Trailer: 'X-Checksum' });
      res.write('body before trailers\n');
      res.addTrailers({ 'X-Checksum': 'abc123' });
      res.end();
      return;
    case '/gzip':
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end(zlib.gzipSync('hello from gzip\n'.repeat(20)));
      return;
    case '/br':
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'br' });
      res.end(zlib.brotliCompressSync('hello from brotli\n'.repeat(20)));
      return;
    case '/nocontent':
      res.writeHead(204);
      res.end();
      return;
    case '/notmodified':
      res.writeHead(304, { ETag: '"v1"' });
      res.end();
      return;
    case '/redirect':
      res.writeHead(302, { Location: '/chunked' });
      res.end('see /chunked');
      return;
    case '/echo': {
      const parts = [];
      req.on('data', (d) => parts.push(d));
      req.on('end', () => {
        const body = Buffer.concat(parts);
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
        res.end(body);
      });
      return;
    }
    case '/die':
      // Announces 100000 bytes, sends 5000, then drops the connection.
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 100000 });
      res.write(Buffer.alloc(5000, 'x'), () => setTimeout(() => res.socket.destroy(), 50));
      return;
    case '/drip': {
      // One line every 100 ms, for as long as the client stays.
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      let i = 0;
      const timer = setInterval(() => res.write(`drip ${++i}\n`), 100);
      res.on('close', () => clearInterval(timer));
      return;
    }
    default:
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': 24 });
      res.end('<h1>hello from node</h1>');
  }
});
server.keepAliveTimeout = 2000;
server.listen(port, '127.0.0.1', () => console.log('ready'));
