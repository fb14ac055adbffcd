"""Python's http.server for wirepad's tests: static files over HTTP/1.1.

Usage: python3 py_server.py PORT ROOT   (prints "ready" when listening)
http.server writes every byte; this only turns on HTTP/1.1 (keep-alive,
100-continue) and serves ROOT.
"""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass


def main():
    port, root = int(sys.argv[1]), sys.argv[2]
    handler = functools.partial(Handler, directory=root)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print("ready", flush=True)
        httpd.serve_forever()


if __name__ == "__main__":
    main()
