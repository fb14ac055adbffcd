"""A web server written the way the classic networking assignment writes it
(the "Web Server" socket lab of Kurose and Ross's textbook): one `recv` of
at most 1024 bytes, the path taken from the request line, the file sent
after a bare `HTTP/1.1 200 OK` and a blank line, no Content-Length, the
connection closed to end the body; a missing file gets a 404 the same way.
It checks nothing else. One thread per connection, and a request it cannot
split is dropped instead of ending the server, so that `wirepad check` can
run all its checks against it (the assignment's server would stop at the
first one-byte write).

Usage: python3 textbook_server.py PORT ROOT
"""
import socket
import sys
import threading
from pathlib import Path


def serve(conn, root):
    with conn:
        try:
            message = conn.recv(1024)
            filename = message.split()[1].decode("latin-1")
            with open(root / filename.lstrip("/").split("?")[0], "rb") as f:
                output = f.read()
            conn.send(b"HTTP/1.1 200 OK\r\n\r\n")
            conn.sendall(output)
        except (IOError, IndexError, UnicodeDecodeError, IsADirectoryError):
            try:
                conn.send(b"HTTP/1.1 404 Not Found\r\n\r\n<h1>404 Not Found</h1>")
            except OSError:
                pass


def main():
    port, root = int(sys.argv[1]), Path(sys.argv[2])
    server = socket.create_server(("127.0.0.1", port), backlog=128)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn, root), daemon=True).start()


if __name__ == "__main__":
    main()
